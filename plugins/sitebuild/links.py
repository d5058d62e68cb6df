"""Internal links and assets of a built site: every one must resolve to a file of the site."""

from __future__ import annotations

import os
import pickle
import posixpath
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import lxml.etree
import lxml.html

from plugins.atomic_file import write_atomically

CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)")
SKIPPED_SCHEMES = ("mailto:", "tel:", "data:", "javascript:")


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


def _site_target(value: str, page: str, siteurl: str, dirs: set) -> str | None:
    """The site-relative file a link of ``page`` (site-relative) points to; ``OUTSIDE`` when it
    climbs out of the site; None when it leaves the site by URL (or is a fragment or mail link)."""
    value = value.strip()
    if not value or value.startswith(("#",) + SKIPPED_SCHEMES):
        return None
    if siteurl and (value == siteurl or value.startswith(siteurl + "/")):
        value = "/" + value[len(siteurl):].lstrip("/")
    parts = urlsplit(value)
    if parts.scheme or parts.netloc or not parts.path:
        return None
    path = unquote(parts.path)
    joined = path.lstrip("/") if path.startswith("/") else posixpath.join(posixpath.dirname(page), path)
    target = posixpath.normpath(joined) if joined else "."
    if target == ".." or target.startswith("../") or target.startswith("/"):
        return OUTSIDE
    if path.endswith("/") or target in dirs:
        target = "index.html" if target == "." else f"{target}/index.html"
    return target


OUTSIDE = "\0outside"
_UNSEEN = object()


def broken_links(root: Path, siteurl: str = "", *, memo: Path | None = None) -> list[str]:
    """``page: link`` for every internal link or asset of the site at ``root`` that is missing.

    ``memo``: a file keeping each page's links by its inode, size and modification time, so that
    pages a build left as they were (``make site`` links them from the previous site) are not parsed
    again; every link is still checked against the files of this site.
    """
    root = Path(root).resolve()
    siteurl = (siteurl or "").rstrip("/")
    files: set[str] = set()
    dirs: set[str] = {"."}
    for folder, dirnames, filenames in os.walk(root):
        rel = os.path.relpath(folder, root)
        prefix = "" if rel == "." else rel.replace(os.sep, "/") + "/"
        dirs.update(prefix + d for d in dirnames)
        files.update(prefix + f for f in filenames)
    known = _load(memo)
    seen: dict[str, tuple] = {}
    broken = []
    # A link's target depends on its value and the page's folder only: the pages of one folder
    # share their menus, styles and scripts (~1.3 million links at 10,000 articles).
    targets: dict[tuple, str | None] = {}
    for page in sorted(name for name in files if name.endswith(".html")):
        st = os.stat(root / page)
        key = (st.st_ino, st.st_size, st.st_mtime_ns)
        hit = known.get(page)
        links = hit[1] if hit is not None and hit[0] == key else list(page_links(root / page))
        seen[page] = (key, links)
        folder = posixpath.dirname(page)
        for value in links:
            where = (value, folder)
            target = targets.get(where, _UNSEEN)
            if target is _UNSEEN:
                target = targets[where] = _site_target(value, page, siteurl, dirs)
            if target is not None and target not in files:
                broken.append(f"{page}: {value}")
    for css in sorted(name for name in files if name.endswith(".css")):
        text = (root / css).read_text(encoding="utf-8", errors="replace")
        for value in CSS_URL.findall(text):
            target = _site_target(value, css, siteurl, dirs)
            if target is not None and target not in files:
                broken.append(f"{css}: {value}")
    _save(memo, seen)
    return broken


def _load(memo: Path | None) -> dict:
    if memo is None:
        return {}
    try:
        with open(memo, "rb") as handle:
            data = pickle.load(handle)
        return data if isinstance(data, dict) else {}
    except Exception:  # missing or torn: parse every page
        return {}


def _save(memo: Path | None, data: dict) -> None:
    if memo is None:
        return
    write_atomically(memo, lambda handle: pickle.dump(data, handle, protocol=pickle.HIGHEST_PROTOCOL))
