"""HTTP fetching with politeness, retries and hard caps (httpx, streamed).

* one shared ``httpx.Client``: cookies set by any response (the live site sits
  behind a cloud firewall that sets cookies) are sent on later requests; a first
  answer that refuses (or is a small reload-script page) while setting a new
  cookie is asked again once, with the cookie, as a browser's reload would;
* per host: at most ``max_in_flight`` requests at a time and ``delay`` seconds
  between the end of one request and the start of the next;
* 5xx, timeouts and connection errors retried with capped exponential backoff;
  429/503 wait for ``Retry-After`` (seconds or HTTP date) when it is not above
  the cap, otherwise the URL fails (it is retried on the next crawl);
* redirects followed by hand: a limit, and never to another scheme or host
  unless the target origin is in the profile's ``allowed_redirect_origins``;
* bodies streamed and decompressed here with a byte cap on the *decoded*
  size, so neither a 50 MB page nor a gzip bomb can exhaust memory;
* a total deadline per request (connect + headers + whole body,
  ``deadline_seconds``), not only a timeout per read: a server that drips one
  byte a second fails the request at the deadline instead of holding the crawl.
"""

from __future__ import annotations

import email.utils
import logging
import re
import threading
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx

from .profile import HttpSettings

log = logging.getLogger(__name__)
CHUNK = 65536
CHALLENGE_MAX_BYTES = 8192
_SCRIPTS = re.compile(rb"<script\b.*?</script\s*>", re.I | re.S)
_TAGS = re.compile(rb"<[^>]*>")


class FetchError(Exception):
    """A URL could not be fetched; ``reason`` says why in plain words."""

    def __init__(self, url: str, reason: str, status: int | None = None):
        super().__init__(f"{url}: {reason}")
        self.url, self.reason, self.status = url, reason, status


class Gone(FetchError):
    """404 or 410: the page does not exist (any more)."""


class TooLarge(FetchError):
    pass


class RedirectRefused(FetchError):
    pass


class DeadlineExceeded(FetchError):
    """No complete answer within the request's total deadline; not retried (it would take as long again)."""


class _Deadline:
    """The current request's deadline (``time.monotonic()`` value), one per thread."""

    def __init__(self):
        self._local = threading.local()

    def set(self, when: float | None) -> None:
        self._local.when = when

    def cap(self, timeout: float | None) -> float | None:
        """``timeout`` shortened to what is left before the deadline (a tiny positive value once past it,
        so the socket operation times out at once)."""
        when = getattr(self._local, "when", None)
        if when is None:
            return timeout
        left = max(when - time.monotonic(), 0.001)
        return left if timeout is None else min(timeout, left)

    def passed(self) -> bool:
        when = getattr(self._local, "when", None)
        return when is not None and time.monotonic() >= when


class _DeadlineStream(httpcore.NetworkStream):
    """A socket stream whose every read, write and TLS handshake ends by the request's deadline."""

    def __init__(self, inner: httpcore.NetworkStream, deadline: _Deadline):
        self._inner, self._deadline = inner, deadline

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, self._deadline.cap(timeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, self._deadline.cap(timeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(self, ssl_context, server_hostname=None, timeout=None) -> httpcore.NetworkStream:
        inner = self._inner.start_tls(ssl_context, server_hostname, self._deadline.cap(timeout))
        return _DeadlineStream(inner, self._deadline)

    def get_extra_info(self, info: str):
        return self._inner.get_extra_info(info)


class _DeadlineBackend(httpcore.NetworkBackend):
    """httpcore's own socket backend, with every operation capped by the request's deadline."""

    def __init__(self, deadline: _Deadline):
        self._inner, self._deadline = httpcore.SyncBackend(), deadline

    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        stream = self._inner.connect_tcp(host, port, self._deadline.cap(timeout), local_address, socket_options)
        return _DeadlineStream(stream, self._deadline)

    def connect_unix_socket(self, path, timeout=None, socket_options=None):
        stream = self._inner.connect_unix_socket(path, self._deadline.cap(timeout), socket_options)
        return _DeadlineStream(stream, self._deadline)

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


def _deadline_transport(deadline: _Deadline) -> httpx.HTTPTransport:
    """httpx's standard transport on a connection pool that uses the deadline backend."""
    transport = httpx.HTTPTransport()
    transport._pool = httpcore.ConnectionPool(ssl_context=httpx.create_ssl_context(),
                                              network_backend=_DeadlineBackend(deadline))
    return transport


@dataclass
class Response:
    url: str                      # final URL after redirects
    status: int
    headers: httpx.Headers
    content: bytes = b""
    history: list[str] = field(default_factory=list)
    new_cookies: bool = False     # the response set a cookie the request did not send

    @property
    def firewall_challenge(self) -> bool:
        """A cloud firewall's first answer (as the live site's, which sets ``acw_tc``): a refusal, or a
        small script page that sets a cookie and reloads, given together with a new cookie. The same
        request sent again with the cookie passes; nothing of the page is executed."""
        if not self.new_cookies or self.status in (404, 410, 429) or self.status < 200:
            return False
        if self.status >= 400:
            return True
        small = self.status == 200 and len(self.content) < CHALLENGE_MAX_BYTES
        return small and any(x in self.content for x in (b"location.reload", b"document.cookie", b"location.href"))

    @property
    def script_challenge(self) -> bool:
        """A small page whose script sets a cookie and has next to no visible text: a firewall's
        challenge that only a browser running its script passes (nothing here runs it)."""
        if self.status != 200 or len(self.content) >= CHALLENGE_MAX_BYTES or b"document.cookie" not in self.content:
            return False
        text = _TAGS.sub(b" ", _SCRIPTS.sub(b" ", self.content))
        return len(re.sub(rb"\s+", b"", text)) < 40

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "")


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP date); None if absent/invalid."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class _Decompressor:
    """Incremental gzip/deflate decoding that never produces more than ``limit`` bytes."""

    def __init__(self, encoding: str):
        encoding = encoding.strip().lower()
        if encoding in ("", "identity"):
            self._z = None
        elif encoding in ("gzip", "x-gzip"):
            self._z = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif encoding == "deflate":
            self._z = zlib.decompressobj()
            self._raw_deflate_tried = False
        else:
            raise ValueError(f"unsupported Content-Encoding {encoding!r}")
        self.encoding = encoding

    def feed(self, data: bytes, limit: int) -> bytes:
        if self._z is None:
            return data[: limit + 1]
        try:
            out = self._z.decompress(data, limit + 1)
        except zlib.error:
            if self.encoding == "deflate" and not self._raw_deflate_tried:  # some servers send raw deflate
                self._raw_deflate_tried = True
                self._z = zlib.decompressobj(-zlib.MAX_WBITS)
                out = self._z.decompress(data, limit + 1)
            else:
                raise
        # Anything left in unconsumed_tail means output would exceed the limit.
        if self._z.unconsumed_tail:
            out += b"\0"  # signal overflow to the caller
        return out


class Fetcher:
    """Polite HTTP client. Thread-safe; one instance per crawl."""

    def __init__(
        self,
        settings: HttpSettings,
        *,
        allowed_redirect_origins: tuple[str, ...] = (),
        delay: float | None = None,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.settings = settings
        self.allowed_redirect_origins = {o.lower() for o in allowed_redirect_origins}
        self.default_delay = settings.delay_seconds if delay is None else delay
        self.sleep = sleep
        self._deadline = _Deadline()
        self.client = httpx.Client(
            headers={"User-Agent": settings.user_agent, "Accept-Encoding": "gzip, deflate",
                     "Accept": "text/html,application/xhtml+xml,*/*;q=0.8"},
            timeout=httpx.Timeout(settings.timeout_seconds),
            follow_redirects=False,
            transport=transport or _deadline_transport(self._deadline),
        )
        self._lock = threading.Lock()
        self._host_sem: dict[str, threading.BoundedSemaphore] = {}
        self._host_next: dict[str, float] = {}
        self._host_delay: dict[str, float] = {}
        self.requests_made = 0

    # -- politeness -------------------------------------------------------------------------
    def set_host_delay(self, url_or_origin: str, delay: float) -> None:
        """Set the delay for a host (e.g. from robots Crawl-delay); it applies from its last request."""
        host = origin(url_or_origin)
        with self._lock:
            old = self._host_delay.get(host, self.default_delay)
            self._host_delay[host] = delay
            if host in self._host_next:
                self._host_next[host] += delay - old

    def delay_for(self, url: str) -> float:
        return self._host_delay.get(origin(url), self.default_delay)

    def _slot(self, url: str) -> threading.BoundedSemaphore:
        host = origin(url)
        with self._lock:
            sem = self._host_sem.get(host)
            if sem is None:
                sem = self._host_sem[host] = threading.BoundedSemaphore(self.settings.max_in_flight_per_host)
            return sem

    def _wait_turn(self, url: str) -> None:
        host = origin(url)
        while True:
            with self._lock:
                wait = self._host_next.get(host, 0.0) - time.monotonic()
                if wait <= 0:
                    # reserve: the next request to this host may start after our delay at the earliest
                    self._host_next[host] = time.monotonic() + self.delay_for(url)
                    return
            self.sleep(wait)

    def _done(self, url: str) -> None:
        with self._lock:
            self._host_next[origin(url)] = time.monotonic() + self.delay_for(url)

    # -- public API -------------------------------------------------------------------------
    def close(self) -> None:
        self.client.close()

    def get(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        max_bytes: int | None = None,
    ) -> Response:
        """GET ``url`` with retries and redirects; raise FetchError (or Gone/TooLarge/RedirectRefused)."""
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        max_bytes = max_bytes or self.settings.max_page_bytes
        history: list[str] = []
        current = url
        for _hop in range(self.settings.max_redirects + 1):
            resp = self._get_with_retries(current, headers, max_bytes)
            if resp.status in (301, 302, 303, 307, 308):
                location = resp.headers.get("location")
                if not location:
                    raise FetchError(current, f"HTTP {resp.status} redirect without a Location header", resp.status)
                target = urljoin(current, location.strip())
                self._check_redirect(url, current, target)
                history.append(current)
                current = target
                continue
            resp.history = history
            if resp.script_challenge:
                raise FetchError(current, "the site's firewall answered a script challenge (a page whose script sets "
                                          "a cookie) even with the cookies it set: it wants a browser. Save the pages "
                                          "from a browser and use `python -m scraper page`, or crawl later", resp.status)
            if resp.status in (404, 410):
                raise Gone(current, f"HTTP {resp.status}: page does not exist", resp.status)
            if resp.status >= 400:
                raise FetchError(current, f"HTTP {resp.status}", resp.status)
            return resp
        raise FetchError(url, f"more than {self.settings.max_redirects} redirects (last: {current})")

    def _check_redirect(self, first: str, current: str, target: str) -> None:
        scheme = urlsplit(target).scheme.lower()
        if scheme not in ("http", "https"):
            raise RedirectRefused(current, f"redirect to a non-HTTP URL refused: {target}")
        if origin(target) == origin(current) or origin(target) == origin(first):
            return
        if origin(target) in self.allowed_redirect_origins:
            return
        raise RedirectRefused(
            current,
            f"redirect to another scheme or host refused: {target} "
            f"(add its origin to [site] allowed_redirect_origins in the profile if it is legitimate)",
        )

    def _get_with_retries(self, url: str, headers: dict, max_bytes: int) -> Response:
        s = self.settings
        attempt = 0
        challenged = False
        while True:
            attempt += 1
            try:
                resp = self._get_once(url, headers, max_bytes)
            except (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError) as exc:
                kind = "timeout" if isinstance(exc, httpx.TimeoutException) else "network error"
                if attempt >= s.max_attempts:
                    raise FetchError(url, f"{kind} after {attempt} attempts ({exc.__class__.__name__})") from None
                self._backoff(url, attempt, kind)
                continue
            except httpx.InvalidURL as exc:
                # httpx validates a redirect's Location while reading the response
                raise RedirectRefused(url, f"invalid URL or redirect target refused ({exc})") from None
            except httpx.HTTPError as exc:
                raise FetchError(url, f"HTTP client error: {exc}") from None
            if resp.firewall_challenge and not challenged:
                challenged = True           # once: a second challenge is an answer (a refusal)
                log.info("%s: HTTP %s with a new cookie (a firewall's challenge); asking again with it", url,
                         resp.status)
                continue
            if resp.status in (429, 503):
                wait = parse_retry_after(resp.headers.get("retry-after"))
                if wait is not None:
                    if wait > s.retry_after_max_seconds:
                        raise FetchError(
                            url,
                            f"HTTP {resp.status} with Retry-After {wait:.0f}s, above the cap of "
                            f"{s.retry_after_max_seconds:.0f}s; will be retried on the next crawl",
                            resp.status,
                        )
                    if attempt >= s.max_attempts:
                        raise FetchError(url, f"HTTP {resp.status} after {attempt} attempts", resp.status)
                    log.info("%s: HTTP %s, Retry-After %.1fs", url, resp.status, wait)
                    self.sleep(wait)
                    continue
            if resp.status >= 500 or resp.status == 429:
                if attempt >= s.max_attempts:
                    raise FetchError(url, f"HTTP {resp.status} after {attempt} attempts", resp.status)
                self._backoff(url, attempt, f"HTTP {resp.status}")
                continue
            return resp

    def _backoff(self, url: str, attempt: int, why: str) -> None:
        wait = min(self.settings.backoff_max_seconds, self.settings.backoff_base_seconds * 2 ** (attempt - 1))
        log.info("%s: %s, retry %d in %.2fs", url, why, attempt, wait)
        self.sleep(wait)

    def _get_once(self, url: str, headers: dict, max_bytes: int) -> Response:
        with self._slot(url):
            self._wait_turn(url)
            try:
                with self._lock:
                    self.requests_made += 1
                self._deadline.set(time.monotonic() + self.settings.deadline_seconds)
                with self.client.stream("GET", url, headers=headers) as r:
                    body = b""
                    if r.status_code == 200:
                        body = self._read_capped(url, r, max_bytes)
                    sent = {c.split("=", 1)[0].strip() for c in r.request.headers.get("cookie", "").split(";")}
                    got = {c.split("=", 1)[0].strip() for c in r.headers.get_list("set-cookie")}
                    return Response(str(r.url), r.status_code, r.headers, body, new_cookies=bool(got - sent - {""}))
            except (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError):
                if self._deadline.passed():
                    raise self._deadline_exceeded(url) from None
                raise
            finally:
                self._deadline.set(None)
                self._done(url)

    def _deadline_exceeded(self, url: str) -> DeadlineExceeded:
        return DeadlineExceeded(url, f"deadline: no complete answer within {self.settings.deadline_seconds:g} s "
                                     "(connect + whole body, [http] deadline_seconds); not retried in this crawl")

    def _read_capped(self, url: str, r: httpx.Response, max_bytes: int) -> bytes:
        length = r.headers.get("content-length")
        encoding = r.headers.get("content-encoding", "")
        if length and length.isdigit() and not encoding and int(length) > max_bytes:
            raise TooLarge(url, f"body of {int(length)} bytes is above the cap of {max_bytes} bytes")
        try:
            dec = _Decompressor(encoding)
        except ValueError as exc:
            raise FetchError(url, str(exc)) from None
        parts: list[bytes] = []
        size = 0
        try:
            for raw in r.iter_raw(CHUNK):
                if self._deadline.passed():   # data kept coming, but too slowly to finish in time
                    raise self._deadline_exceeded(url)
                out = dec.feed(raw, max_bytes - size)
                size += len(out)
                if size > max_bytes:
                    raise TooLarge(url, f"body above the cap of {max_bytes} bytes (decoded size); download stopped")
                parts.append(out)
        except zlib.error as exc:
            raise FetchError(url, f"corrupt {encoding} body ({exc})") from None
        return b"".join(parts)
