"""Internal links and assets of a built site: every one must resolve to a file of the site."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import lxml.etree
import lxml.html

CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)")
SKIPPED_SCHEMES = ("mailto:", "tel:", "data:", "javascript:")


def _target(value: str, page: Path, root: Path, siteurl: str) -> Path | None:
    """The file a link points to, or None when it leaves the site (or is a fragment/mail link)."""
    value = value.strip()
    if not value or value.startswith(("#",) + SKIPPED_SCHEMES):
        return None
    if siteurl and (value == siteurl or value.startswith(siteurl + "/")):
        value = "/" + value[len(siteurl):].lstrip("/")
    parts = urlsplit(value)
    if parts.scheme or parts.netloc:
        return None
    if not parts.path:
        return None
    path = unquote(parts.path)
    base = root if path.startswith("/") else page.parent
    target = (base / path.lstrip("/")).resolve()
    if path.endswith("/") or target.is_dir():
        target = target / "index.html"
    return target


def page_links(page: Path):
    """(value) of every href/src/srcset/CSS url() of an HTML page (none for an empty one)."""
    data = page.read_bytes()
    if not data.strip():
        return
    try:
        doc = lxml.html.fromstring(data)
    except (lxml.etree.ParserError, ValueError):
        return
    for element, attribute, link, _pos in doc.iterlinks():
        if element.tag == "a" and attribute == "href" and element.get("rel") == "external":
            continue
        yield link


def broken_links(root: Path, siteurl: str = "") -> list[str]:
    """``page: link`` for every internal link or asset of the site at ``root`` that is missing."""
    root = Path(root).resolve()
    siteurl = (siteurl or "").rstrip("/")
    broken = []
    for page in sorted(root.rglob("*.html")):
        for value in page_links(page):
            target = _target(value, page, root, siteurl)
            if target is None:
                continue
            if not target.is_file() or root not in target.parents:
                broken.append(f"{page.relative_to(root)}: {value}")
    for css in sorted(root.rglob("*.css")):
        for value in CSS_URL.findall(css.read_text(encoding="utf-8", errors="replace")):
            target = _target(value, css, root, siteurl)
            if target is not None and not target.is_file():
                broken.append(f"{css.relative_to(root)}: {value}")
    return broken
