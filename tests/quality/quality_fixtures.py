"""Fixtures of tests/quality (loaded with `pytest_plugins`, not a conftest.py: tests/ has no packages,
so a second conftest module would shadow tests/conftest.py for `from conftest import …`).

Quality gates over the built site: one build (tests/conftest.py's ``built_site``), one local HTTP
server, one Debian chromium, all per session.  The server sends no Content-Security-Policy header:
the pages' own ``<meta http-equiv="Content-Security-Policy">`` (pelicanconf.CONTENT_SECURITY_POLICY)
is what the browser enforces, as on GitHub Pages and from file://."""

from dataclasses import dataclass
from pathlib import Path

import pytest
from build_helpers import QuietHandler, serving


@dataclass(frozen=True)
class GatePage:
    lang: str  # BCP 47 tag, for messages
    kind: str  # home, column, article, archive, search
    path: str  # relative to the site root

    def __str__(self):
        return f"{self.lang} {self.kind} ({self.path})"


def _settings():
    import importlib

    return importlib.import_module("pelicanconf")


def site_languages(site: Path) -> list[tuple[str, str]]:
    """(BCP 47 tag, folder prefix) of every language the build produced."""
    conf = _settings()
    found = []
    for i, entry in enumerate(conf.SITE_LANGUAGES):
        prefix = entry.get("prefix", "" if i == 0 else entry["code"] + "/")
        if (site / prefix / "index.html").is_file():
            found.append((entry.get("tag", entry["code"]), prefix))
    return found


def gate_pages(site: Path) -> list[GatePage]:
    """Home, a column, an article, a year archive and (when built) the search page of each language."""
    conf = _settings()
    pages = []
    for tag, prefix in site_languages(site):
        root = site / prefix
        pages.append(GatePage(tag, "home", prefix + "index.html"))
        for _name, slug in conf.NEWS_COLUMNS:
            if (root / "news" / slug / "index.html").is_file():
                pages.append(GatePage(tag, "column", f"{prefix}news/{slug}/index.html"))
                break
        articles = sorted(root.glob("news/[0-9][0-9][0-9][0-9]/[0-9][0-9]/*.html"))
        if articles:
            pages.append(GatePage(tag, "article", articles[0].relative_to(site).as_posix()))
        years = sorted(root.glob("news/[0-9][0-9][0-9][0-9]/index.html"))
        if years:
            pages.append(GatePage(tag, "archive", years[-1].relative_to(site).as_posix()))
        if (root / "search.html").is_file():
            pages.append(GatePage(tag, "search", prefix + "search.html"))
    return pages


class _Handler(QuietHandler):
    def end_headers(self):
        self.send_header("X-Content-Type-Options", "nosniff")
        super().end_headers()


@pytest.fixture(scope="session")
def site_url(built_site):
    """The built site over HTTP on 127.0.0.1 (random port); each page's meta CSP applies."""
    with serving(built_site, _Handler) as url:
        yield url


@pytest.fixture(scope="session")
def gates(built_site):
    pages = gate_pages(built_site)
    kinds = {(p.lang, p.kind) for p in pages}
    assert {("zh-Hans", "home"), ("zh-Hans", "column"), ("zh-Hans", "article")} <= kinds, pages
    return pages

