"""The headline of a page of another site, without the site's name.

``<title>`` usually carries the site ("…-新华网", "…_中国政府网", "… | 人民网", "…_教育频道_中国青年网");
``og:title`` sometimes does; the page's own heading (``h1``, or a bold cell on old table layouts)
usually does not but may be the site's logo instead.  So:

1. a heading or short bold block of the page whose text starts ``<title>`` / ``og:title`` (or ends
   it, after a leading site name, or holds the headline those give once their suffix is cut) is the
   headline — the longest such;
2. else ``og:title``, else ``<title>``, with trailing site segments cut by separator rules: after a
   separator (`` - ``, ``-``, ``_``, ``|``, ``–``, ``—``, ``::``, ``»``), short trailing segments are
   cut while what remains is longer than them;
3. but when that text is nowhere on the page (a ``<title>`` that names only the site: "显示",
   "谢谢您访问…", "某某的博客"), the heading-like text printed just above the body (title proximity).
"""

from __future__ import annotations

import re

from lxml import etree

from .extract import clean_text, meta
from .fallback_dates import BYLINE, visible_text

# "·" is not one: it joins the parts of a transliterated name (约翰·史密斯).
_SEPARATORS = re.compile(r"\s*(?:\|\||::|——|--|[|_–—»]|\s-\s|-)\s*")
SITE_SEGMENT_MAX = 12      # a trailing segment this short (in characters) may be a site or channel name
HEADING_XPATH = "//h1|//h2|//h3|//strong|//b|//font[@size]|//*[contains(@class,'title')]|//*[contains(@id,'title')]"
MAX_TITLE = 200
MAX_NEAR_HEADING = 80     # characters of a headline found by its place above the body
BYLINE_GAP = 150           # at most this many characters (spaces left out) between a headline and the body
_WS_ALL = re.compile(r"\s+")


def strip_site_suffix(title: str) -> str:
    """Cut trailing site/channel segments: "标题_教育频道_中国青年网" -> "标题"."""
    title = clean_text(title)[:MAX_TITLE * 2]
    pieces = _SEPARATORS.split(title)
    seps = _SEPARATORS.findall(title)
    while len(pieces) > 1:
        last = pieces[-1].strip()
        rest = "".join(p + s for p, s in zip(pieces[:-1], seps, strict=True)).rstrip()
        rest_core = _SEPARATORS.sub("", rest)
        if last and (len(last) > SITE_SEGMENT_MAX or len(last) >= len(rest_core)):
            break
        pieces, seps = pieces[:-1], seps[:-1]
    return clean_text("".join(p + s for p, s in zip(pieces, seps + [""], strict=True)).strip(" -_|–—·:»"))


def _heading_texts(root: etree._Element) -> list[str]:
    seen, out = set(), []
    for el in root.xpath(HEADING_XPATH):
        if not isinstance(el.tag, str) or el.tag in ("body", "html", "head", "title", "meta"):
            continue
        text = clean_text(el.text_content())
        if 2 <= len(text) <= MAX_TITLE and text not in seen:
            seen.add(text)
            out.append(text)
    return out


def _matches(heading: str, full: str, stripped: str) -> bool:
    squashed, h = full.replace(" ", ""), heading.replace(" ", "")
    if len(h) < 4:
        return False
    if squashed.startswith(h) and len(h) >= 0.5 * len(stripped.replace(" ", "")):
        return True
    if squashed.endswith(h) and len(h) >= 0.5 * len(squashed):     # "网站名 » 标题"
        return True
    s = stripped.replace(" ", "")
    return bool(s) and s in h and len(h) <= 1.5 * len(s)


def _squash(text: str) -> str:
    return _WS_ALL.sub("", text)


def heading_before_body(root: etree._Element, body_start: str) -> str:
    """The heading-like text printed closest above the body's first words (within a byline's
    distance), or ''."""
    text = _squash(visible_text(root))
    start = text.find(_squash(body_start)) if body_start else -1
    if start <= 0:
        return ""
    lead_from = max(0, start - BYLINE_GAP - MAX_NEAR_HEADING)
    lead = text[lead_from:start]                  # only this stretch can hold the heading
    best, best_end = "", -1
    for h in _heading_texts(root):
        squashed = _squash(h)
        if len(squashed) < 4 or len(squashed) > MAX_NEAR_HEADING or BYLINE.search(h):
            continue
        pos = lead.rfind(squashed)
        if pos < 0:
            continue
        end = lead_from + pos + len(squashed)
        if start - end <= BYLINE_GAP and end > best_end:
            best, best_end = h, end
    return best


def find_title(root: etree._Element, metadata_title: str = "", body_start: str = "") -> str:
    """The page's headline ('' when the page has none).  ``body_start``: the first words of the
    chosen body, for pages whose ``<title>`` names only the site ("显示", "欢迎访问…")."""
    og = meta(root, "og:title")
    title_el = root.find(".//title")
    html_title = clean_text(title_el.text_content()) if title_el is not None else ""
    full_titles = [t for t in (og, html_title, clean_text(metadata_title)) if t]
    headings = _heading_texts(root)
    best = ""
    for full in full_titles:
        stripped = strip_site_suffix(full)
        for h in headings:
            if not _matches(h, full, stripped):
                continue
            if h.replace(" ", "") == full.replace(" ", ""):   # a heading that repeats <title>, suffix and all
                h = stripped
            if len(h) > len(best):
                best = h
    if best:
        return best
    stripped = next((strip_site_suffix(t) for t in full_titles if strip_site_suffix(t)), "")
    near = heading_before_body(root, body_start)
    if near and not (stripped and _squash(stripped) in _squash(near)):
        visible = _squash(visible_text(root))
        if not stripped or _squash(stripped) not in visible:
            return near
    if stripped:
        return stripped
    return headings[0] if headings else ""   # no <title> at all: the first heading
