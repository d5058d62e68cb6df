"""robots.txt handling with protego (RFC 9309).

Policy when robots.txt itself cannot be read:

* 2xx: parsed; its Crawl-delay for our agent (or ``*``) raises the per-host delay.
* 4xx (404, 403, 410 ... except 429): no usable robots.txt, so everything is allowed
  (RFC 9309 section 2.3.1.3).
* 5xx, 429, timeouts, network errors (after the fetcher's retries), a body above
  the cap, or a redirect we refuse: the host is treated as **disallow-all** for
  this crawl (RFC 9309 section 2.3.1.4: "unreachable" means complete disallow).
  Its URLs are counted as "skipped by robots", the reason is reported, and the
  crawl exits non-zero so that someone looks at it.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

from protego import Protego

from .encoding import decode_html
from .fetch import Fetcher, FetchError, Gone, origin

log = logging.getLogger(__name__)
ROBOTS_MAX_BYTES = 512_000  # RFC 9309 asks parsers to read at least 500 KiB


@dataclass
class HostRules:
    origin: str
    parser: Protego | None      # None: allow all (4xx)
    unreachable: str | None     # reason when robots.txt could not be read: disallow all
    crawl_delay: float | None

    def allowed(self, url: str, agent: str) -> bool:
        if self.unreachable:
            return False
        if self.parser is None:
            return True
        return self.parser.can_fetch(url, agent)


class Robots:
    """Per-host robots.txt cache. ``allowed(url)`` fetches robots.txt on first use of a host."""

    def __init__(self, fetcher: Fetcher, agent: str, *, min_delay: float | None = None):
        self.fetcher = fetcher
        self.agent = agent
        self.min_delay = fetcher.default_delay if min_delay is None else min_delay
        self._rules: dict[str, HostRules] = {}
        self._lock = threading.Lock()

    def rules(self, url: str) -> HostRules:
        host = origin(url)
        with self._lock:
            if host not in self._rules:
                self._rules[host] = self._load(host)
            return self._rules[host]

    def allowed(self, url: str) -> bool:
        return self.rules(url).allowed(url, self.agent)

    def _load(self, host: str) -> HostRules:
        url = host + "/robots.txt"
        try:
            resp = self.fetcher.get(url, max_bytes=ROBOTS_MAX_BYTES)
        except Gone:
            log.info("%s: no robots.txt (404/410): everything allowed", url)
            return HostRules(host, None, None, None)
        except FetchError as exc:
            if exc.status is not None and 400 <= exc.status < 500 and exc.status != 429:
                log.info("%s: robots.txt HTTP %s: everything allowed (RFC 9309 2.3.1.3)", url, exc.status)
                return HostRules(host, None, None, None)
            reason = f"robots.txt unreachable ({exc.reason}); host treated as disallow-all (RFC 9309 2.3.1.4)"
            log.warning("%s: %s", url, reason)
            return HostRules(host, None, reason, None)
        text = decode_html(resp.content, resp.content_type, url).text
        parser = Protego.parse(text)
        delay = parser.crawl_delay(self.agent)
        if delay is not None:
            delay = float(delay)
            self.fetcher.set_host_delay(host, max(self.min_delay, delay))
        return HostRules(host, parser, None, delay)
