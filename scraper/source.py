"""One page for ``page`` and ``doctor``: an http(s) URL (robots.txt obeyed) or a saved HTML file."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from .encoding import decode_html
from .fetch import Fetcher, FetchError, origin
from .profile import Profile
from .robots import Robots


class SourceError(Exception):
    """The page could not be read; ``status`` is the command's exit status."""

    def __init__(self, message: str, status: int):
        super().__init__(message)
        self.status = status


@dataclass
class Source:
    html: str
    url: str              # the page's URL (fetched, or the original URL of a saved file)
    own_host: bool        # on the profile's canonical host (or the --base-url mirror)


def url_problem(value: str) -> str | None:
    """Why ``value`` is not an http(s) URL with a host, or None."""
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises ValueError for a port out of range
    except ValueError as exc:
        return f"{value!r} is not a valid URL ({exc})"
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return f"{value!r} is not an http(s) URL with a host"
    return None


def _file_url(path: Path, html: str, profile: Profile, explicit: str | None) -> str:
    if explicit:
        return explicit
    m = re.search(r"""<link[^>]+rel=["']canonical["'][^>]*href=["']([^"']+)""", html, re.I)
    if m and url_problem(m.group(1)) is None:
        return m.group(1)
    ids = re.findall(r"\d+", path.stem)
    if ids and profile.article_url:
        return profile.canonical_base_url + profile.article_url.format(id=ids[-1])
    return profile.canonical_base_url + "/" + path.name


def read_source(source: str, profile: Profile, *, url: str | None = None, base_url: str | None = None,
                article: bool = True) -> Source:
    """Fetch or read ``source``. A saved file's URL comes from ``url``, its canonical link, or (for an
    article) the last number in its name. Raises SourceError."""
    if re.match(r"(?i)https?:", source):
        problem = url_problem(source)
        if problem:
            raise SourceError(problem, 2)
        fetcher = Fetcher(profile.http, allowed_redirect_origins=profile.allowed_redirect_origins)
        try:
            if not Robots(fetcher, profile.http.robots_agent).allowed(source):
                raise SourceError(f"{source}: disallowed by robots.txt", 1)
            resp = fetcher.get(source)
        except FetchError as exc:
            raise SourceError(str(exc), 1) from None
        finally:
            fetcher.close()
        html = decode_html(resp.content, resp.content_type, resp.url).text
        page_url = resp.url
    else:
        path = Path(source)
        try:
            data = path.read_bytes()
        except (OSError, ValueError) as exc:   # ValueError: a NUL in the name
            reason = getattr(exc, "strerror", None) or exc
            raise SourceError(f"{source!r}: cannot read ({reason}); give a saved HTML file or an http(s) URL",
                              2) from None
        html = decode_html(data, None, str(path)).text
        page_url = _file_url(path, html, profile, url) if article else (url or profile.canonical_base_url + "/")
    own = origin(page_url) in {origin(profile.canonical_base_url), origin(base_url or profile.canonical_base_url)}
    return Source(html, page_url, own)
