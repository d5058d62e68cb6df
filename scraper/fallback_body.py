"""The article body of a page of another site: two libraries' candidates, and a choice between them.

Candidates:

* readability-lxml's summary (the highest-scoring block of paragraphs, with its original markup);
* trafilatura's main-text extraction (its own rules only, ``fast``: readability is the other candidate).

On news pages the two usually nest: one holds the other plus page furniture (related links, share
bars, a copyright notice). The choice:

1. a candidate with no text loses;
2. when one candidate's characters lie (almost) entirely inside the other's, the smaller one is the
   article and the rest is furniture — unless the smaller one is only a sliver of the larger (a
   caption or one paragraph picked out of a long text), when the larger one wins;
3. when they disagree, the one with the lower link density wins (navigation and lists of related
   articles are mostly links; an article is mostly plain text), then the longer.

A leading heading that repeats the title is removed (the post has its own ``Title:``), and so is a
byline line (date, 来源：, 作者：) that then opens the body (the post has ``Date:`` and ``Source:``).
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from dataclasses import dataclass

import lxml.html
import trafilatura
from lxml import etree
from readability import Document

from .extract import clean_text
from .fallback_dates import BYLINE

for _name in ("trafilatura", "readability", "readability.readability", "htmldate"):
    logging.getLogger(_name).setLevel(logging.ERROR)

NESTED = 0.9          # share of the smaller candidate's characters found in the larger one
SLIVER = 0.1          # below this share of the larger candidate, the smaller one is not the article
SLIVER_MIN_CHARS = 400  # ... unless it is at least this long on its own
_SENTENCE = re.compile(r"[。！？!?]")
_INLINE = frozenset("a b strong em i u span font img br sup sub small big".split())
_CONTAINERS = frozenset("div body table tbody thead tr td section article main".split())
LINK_BLOCK_SHARE = 0.6  # a block whose text is at least this much link text is navigation
TITLE_LEAD = 80        # the headline is looked for within this many characters of the body's start
BYLINE_CHARS = 120     # the block removed with it holds at most this much more (date, source, pages)


@dataclass
class Candidate:
    name: str
    body: etree._Element
    chars: Counter            # letters and digits of the visible text (a bag)
    size: int
    link_density: float


def _candidate(name: str, html: str | None) -> Candidate | None:
    if not html or not html.strip():
        return None
    try:
        body = lxml.html.fragment_fromstring(html, create_parent="div")
    except (etree.ParserError, ValueError):
        return None
    inner = body.find(".//body")
    if inner is not None:                          # trafilatura wraps its output in <html><body>
        inner.tag = "div"
        body = inner
    text = body.text_content()
    chars = Counter(ch for ch in text if ch.isalnum())
    size = sum(chars.values())
    if not size:
        return None
    linked = sum(1 for a in body.iter("a") for ch in (a.text_content() or "") if ch.isalnum())
    return Candidate(name, body, chars, size, min(1.0, linked / size))


def candidates(html: str, page_url: str) -> list[Candidate]:
    """The libraries' candidates for ``html`` (page furniture the profile names already removed)."""
    found = []
    try:
        # No url: links stay as the page wrote them (convert.prepare_body makes them absolute), which
        # spares readability a pass over every link.
        summary = Document(html).summary(html_partial=True)
    except Exception:  # noqa: BLE001 - readability raises bare Exceptions on odd pages: no candidate
        summary = None
    found.append(_candidate("readability", summary))
    try:
        traf = trafilatura.extract(
            html, url=page_url, output_format="html", include_tables=True, include_images=True,
            include_links=True, include_comments=False, fast=True,
        )
    except Exception:  # noqa: BLE001 - same for trafilatura
        traf = None
    found.append(_candidate("trafilatura", traf))
    return [c for c in found if c is not None]


def choose(found: list[Candidate]) -> Candidate | None:
    if not found:
        return None
    if len(found) == 1:
        return found[0]
    a, b = sorted(found[:2], key=lambda c: c.size)           # a: the smaller
    common = sum((a.chars & b.chars).values())
    if common >= NESTED * a.size:
        sliver = a.size < SLIVER * b.size and a.size < SLIVER_MIN_CHARS
        return b if sliver else a
    return min((a, b), key=lambda c: (round(c.link_density, 1), -c.size))


def _squash(text: str) -> str:
    return clean_text(text).replace(" ", "")


def drop_title_heading(body: etree._Element, title: str) -> None:
    """Remove the headline when the body starts with it, with the short block around it (the byline,
    date and source line an old table layout puts in one cell or table with the headline)."""
    want = _squash(title)
    if not want:
        return
    seen = 0
    for el in body.iter():
        if not isinstance(el.tag, str) or el is body:
            continue
        text = _squash(el.text_content())
        if text and (text == want
                     or (el.tag in ("h1", "h2", "h3") and want in text and len(text) <= 2 * len(want))
                     or (text in want and len(text) >= 0.5 * len(want))):   # the title without its tag
            break
        seen += len(_squash(el.text or ""))
        if seen > TITLE_LEAD:
            return
    else:
        return
    limit = len(want) + BYLINE_CHARS
    while el.getparent() is not None and el.getparent() is not body and len(_squash(el.getparent().text_content())) <= limit:
        el = el.getparent()
    el.drop_tree()


def _blocks(body: etree._Element) -> list[etree._Element]:
    """The body's top-level blocks, looking through wrappers that hold everything."""
    el = body
    while True:
        children = [c for c in el if isinstance(c.tag, str)]
        if len(children) == 1 and children[0].tag in _CONTAINERS and not (el.text or "").strip():
            el = children[0]
            continue
        return children


def _link_share(el: etree._Element) -> tuple[float, int]:
    text = _squash(el.text_content())
    if not text:
        return 0.0, 0
    links = list(el.iter("a"))
    linked = sum(len(_squash(a.text_content())) for a in links)
    return linked / len(text), len(links)


def trim_link_blocks(body: etree._Element) -> None:
    """Remove navigation bars and lists of other articles at the start and the end of the body:
    blocks that are mostly links (several of them)."""
    blocks = _blocks(body)
    for order in (blocks, list(reversed(blocks))):
        for el in order:
            if el.getparent() is None:
                break
            share, count = _link_share(el)
            if not _squash(el.text_content()) and el.find(".//img") is None:
                continue
            if share >= LINK_BLOCK_SHARE and count >= 2:
                el.drop_tree()
                continue
            break


def drop_leading_byline(body: etree._Element) -> None:
    """Remove the body's first block when it is a byline (date, 来源：, 作者： … in a short line without
    a sentence), with the short row or table around it."""
    for el in body.iter():
        if not isinstance(el.tag, str) or el is body or el.tag in _INLINE:
            continue
        text = _squash(el.text_content())
        if not text:
            continue
        if el.tag in _CONTAINERS and len(text) > BYLINE_CHARS:
            continue                                    # a wrapper of the whole body: look inside
        if len(text) <= BYLINE_CHARS and BYLINE.search(text) and not _SENTENCE.search(text):
            while (el.getparent() is not None and el.getparent() is not body
                   and len(_squash(el.getparent().text_content())) <= BYLINE_CHARS):
                el = el.getparent()
            el.drop_tree()
        return


def extract_body(html: str, page_url: str) -> tuple[etree._Element | None, str]:
    """The chosen body element (or None when neither library finds text) and the candidate's name."""
    best = choose(candidates(html, page_url))
    return (best.body, best.name) if best else (None, "")
