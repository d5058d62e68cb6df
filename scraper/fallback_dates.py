"""The publication date of a page of another site: the date a reader sees by the headline first.

Order of evidence:

1. a date printed near the headline (or, when the headline is not in the text, near the body's
   first words) in the page's visible text — ``2022年1月27日``, ``2022-01-27 10:30``, ``2005/4/5``,
   ``9/17/2004 5:54:13 AM``, a year block over ``MM-DD`` — usually after ``发布时间：``/``发布日期：``/
   ``时间：``/``来源：… 时间``: the first one after the headline (a labelled one between the headline
   and the body first); else one just before it (a date block above the title);
2. the page's metadata (``article:published_time``, ``pubdate``, JSON-LD …, and the URL), read by
   htmldate;
3. a labelled date (``发布时间：`` …) anywhere on the page;
4. the date the list printed beside the link (``list_date``), when the crawl had one;
5. htmldate's extensive search (dates anywhere in the text, copyright lines …): a guess.

Only the visible text is read (no script, style or comment).  Returns ``None`` when nothing says.
"""

from __future__ import annotations

import re
from datetime import date

from lxml import etree

from .extract import clean_text, parse_date

_DATE = re.compile(
    r"(?P<y>(?:19|20)\d{2})(?:\s*(?:[-/.]|年)\s*|\s+(?=\d{1,2}[-/.月]\d))"      # also a year block over MM-DD
    r"(?P<m>\d{1,2})\s*(?:[-/.]|月)\s*(?P<d>\d{1,2})(?!\d)\s*日?"
    r"(?:\s*(?P<H>\d{1,2})\s*[:：时]\s*(?P<M>\d{2})(?:\s*[:：分]\s*\d{2})?)?"
)
# M/D/YYYY h:mm AM/PM as ASP and other US-locale servers print it ("9/17/2004 5:54:13 AM"); without
# the AM/PM the order of day and month is a guess, so such dates are not read.
_US_DATE = re.compile(
    r"(?<![\d/])(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<y>(?:19|20)\d{2})(?![\d/])"
    r"\s+(?P<H>\d{1,2}):(?P<M>\d{2})(?::\d{2})?\s*(?P<ampm>[AaPp][Mm])\b"
)
_LABEL = re.compile(
    r"(?:(?:发布|发表|更新|刊发|刊登|录入|添加|上传|成文)(?:时间|日期|于)|时间|日期)\s*[:：]?\s*$|来源\s*[:：].{0,30}$"
)
# A government notice's 成文日期 (the date it was signed, also printed under its text) wins over
# the day it was put online (发布日期).
_SIGNED = re.compile(r"成文日期\s*[:：]?\s*$")
# A byline rather than prose: a date, or a label such as 作者： 来源： 发布时间：
BYLINE = re.compile(
    r"\d{4}\s*[-/.年]\s*\d{1,2}|\d{1,2}/\d{1,2}/\d{4}|(?:作者|来源|发布|发表|日期|时间|编辑|点击|浏览)\s*[:：]"
)
_VISIBLE_TEXT = etree.XPath(
    "//body//text()[not(ancestor::script) and not(ancestor::style) and not(ancestor::noscript)"
    " and not(ancestor::textarea) and not(ancestor::select)]"
)
AFTER_TITLE = 300      # characters after the headline in which the byline's date is looked for
BEFORE_TITLE = 120     # ... and before it (a date block above the title)
EARLIEST_YEAR = 1990


def visible_text(root: etree._Element) -> str:
    parts = (clean_text(t) for t in _VISIBLE_TEXT(root))
    return " ".join(p for p in parts if p)


def _us_value(m: re.Match) -> str:
    month, day = int(m["a"]), int(m["b"])
    value = f"{m['y']}-{month}-{day}"
    hour = int(m["H"]) % 12 + (12 if m["ampm"].lower() == "pm" else 0)
    return value + f" {hour}:{m['M']}"


def _dates(text: str, tz: str) -> list[tuple[int, int, str, int]]:
    """(start, end, normalised date, label rank: 2 signed, 1 labelled, 0 none) for every plausible
    date in ``text``, in text order."""
    found = []
    latest = date.today().year + 1
    matches = [(m, f"{m['y']}-{m['m']}-{m['d']}" + (f" {m['H']}:{m['M']}" if m["H"] else "")) for m in _DATE.finditer(text)]
    matches += [(m, _us_value(m)) for m in _US_DATE.finditer(text)]
    for m, value in sorted(matches, key=lambda x: x[0].start()):
        if not EARLIEST_YEAR <= int(m["y"]) <= latest:
            continue
        normalised = parse_date(value, tz)
        if normalised is None:
            continue
        before = text[max(0, m.start() - 40):m.start()]
        rank = 2 if _SIGNED.search(before) else 1 if _LABEL.search(before) else 0
        found.append((m.start(), m.end(), normalised, rank))
    return found


def _title_spans(text: str, title: str) -> list[tuple[int, int]]:
    title = clean_text(title)
    spans = []
    for probe in (title, title[:20]):
        if len(probe) < 4:
            continue
        start = text.find(probe)
        while start != -1 and len(spans) < 10:
            spans.append((start, start + len(title if probe == title else probe)))
            start = text.find(probe, start + 1)
        if spans:
            break
    return spans


def _best(dates: list) -> str:
    top = max(d[3] for d in dates)
    return next(d[2] for d in dates if d[3] == top)


def date_near_title(text: str, title: str, tz: str, body_start: str = "") -> str | None:
    """The date printed by the headline: the first after it (a labelled one first, between the
    headline and the body's first words when they are found), else the last just before it.  When
    the headline is not in the text, the byline above the body's first words."""
    dates = _dates(text, tz)
    if not dates:
        return None
    spans = _title_spans(text, title)
    for start, end in spans:
        window = [d for d in dates if start - BEFORE_TITLE <= d[0] <= end + AFTER_TITLE]
        if any(d[3] == 2 for d in window):
            return _best(window)
        after = [d for d in window if d[0] >= end]
        body_at = text.find(body_start, end) if body_start else -1
        if body_at > end:
            # The byline sits between the headline and the body; a labelled date inside the body
            # ("会议时间：…") is not the publication date.
            byline = [d for d in after if d[0] < body_at]
            after = byline or after[:1]
        if after:
            return _best(after)
    for start, _end in spans:
        before = [d for d in dates if d[1] <= start and start - d[1] <= BEFORE_TITLE]
        if before:
            return before[-1][2]
    if spans:
        return None
    for start, _end in _title_spans(text, body_start)[:1]:
        before = [d for d in dates if d[1] <= start and start - d[1] <= AFTER_TITLE]
        if before:
            top = max(d[3] for d in before)
            return [d for d in before if d[3] == top][-1][2]
    return None


def labelled_date(text: str, tz: str) -> str | None:
    """The first date on the page after a label (发布时间：, 日期：, 发表于 …), anywhere."""
    dates = [d for d in _dates(text, tz) if d[3]]
    return _best(dates) if dates else None


def date_from_metadata(html: str, page_url: str, tz: str, extensive: bool = False) -> str | None:
    """htmldate's reading of the metadata and URL (``extensive``: also its guesses from the text)."""
    from htmldate import find_date

    try:
        found = find_date(html, url=page_url, original_date=True, extensive_search=extensive)
    except Exception:  # noqa: BLE001 - htmldate on a hostile page: no evidence
        return None
    return parse_date(found, tz) if found else None


def find_date(root: etree._Element, html: str, page_url: str, title: str, tz: str,
              list_date: str | None = None, body_start: str = "") -> tuple[str | None, str]:
    """(date, where it came from: "page", "metadata", "list", "guess" or "")."""
    text = visible_text(root)
    found = date_near_title(text, title, tz, body_start)
    if found:
        return found, "page"
    found = date_from_metadata(html, page_url, tz)
    if found:
        return found, "metadata"
    found = labelled_date(text, tz)
    if found:
        return found, "page"
    found = parse_date(list_date or "", tz)
    if found:
        return found, "list"
    found = date_from_metadata(html, page_url, tz, extensive=True)
    if found:
        return found, "guess"
    return None, ""
