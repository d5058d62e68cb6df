"""Helpers to read a built site: parse pages, list internal links."""

from pathlib import Path
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")


def internal_targets(page: Path, output: Path):
    """Yield (attribute value, resolved file) for every internal href/src/action of a page."""
    doc = soup(page)
    for tag in doc.find_all(["a", "link", "script", "img", "source", "form"]):
        for attr in ("href", "src", "action"):
            value = tag.get(attr)
            if not value:
                continue
            parts = urlsplit(value)
            if parts.scheme or parts.netloc or value.startswith(("#", "mailto:", "tel:", "data:")):
                continue
            if not parts.path:
                continue
            target = (page.parent / unquote(parts.path)).resolve()
            if parts.path.endswith("/"):
                target = target / "index.html"
            yield value, target
