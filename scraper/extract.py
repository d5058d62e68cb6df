"""Profile-driven extraction of one article page into a structured ``Article``.

Only reads the page; no network, no files. When the profile's selectors do not
match (the template changed, or the column links to another site) the caller
uses ``fallback.extract_generic`` instead and flags the post for review.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import lxml.html
from lxml import etree

from .profile import Profile, select_one

_WS = re.compile(r"\s+")
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*>", re.IGNORECASE)
_DATE = re.compile(
    r"(?P<y>\d{4})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})日?"
    r"(?:[\sT]+(?P<H>\d{1,2}):(?P<M>\d{2})(?::\d{2}(?:\.\d+)?)?\s*(?P<tz>Z|[+-]\d{2}:?\d{2})?)?"
)

_SUMMARY_LABEL = re.compile(r"^([【\[]\s*(内容)?(摘要|导读|提要)\s*[】\]]\s*[:：]?\s*|(内容)?(摘要|导读|提要)(\s*[:：]\s*|\s+))")
SUMMARY_LABEL_ONLY = re.compile(r"^[【\[]?\s*(内容)?(摘要|导读|提要)\s*[】\]]?\s*[:：]?$")


def strip_summary_label(text: str) -> str:
    """A summary shown as "摘要：…" is the text after the label."""
    return _SUMMARY_LABEL.sub("", text)


class NotArticle(ValueError):
    """The page cannot be published (no date, no body ...); the message says why."""


class EmptyBody(NotArticle):
    """The profile's body selector matched an element without text: the article is empty."""


class ProfileMismatch(ValueError):
    """The page does not match the site profile; use the generic extractor."""


@dataclass
class Article:
    title: str
    date: str                   # "YYYY-MM-DD HH:MM" or "YYYY-MM-DD", Asia/Shanghai local time
    category: str
    summary: str
    source: str
    source_url: str             # canonical URL (profile's canonical host)
    source_id: str
    body: etree._Element        # the article body element, not yet sanitised
    page_url: str               # URL actually fetched (may be a local test server)
    recommended: bool = False
    review: str | None = None
    warnings: list[str] = field(default_factory=list)


def parse_html(text: str) -> etree._Element:
    text = _XML_DECL.sub("", text, count=1)
    if not text.strip():
        raise NotArticle("empty page")
    try:
        return lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError) as exc:
        raise NotArticle(f"unparsable HTML ({exc})") from None


def clean_text(value: str | None) -> str:
    return _WS.sub(" ", (value or "").replace("\u3000", " ").replace("\xa0", " ")).strip()


def text_of(el) -> str:
    return clean_text(el.text_content()) if el is not None else ""


def _badge_text_of(el) -> str:
    """A badge's text, or an image badge's alt/title."""
    return text_of(el) or el.get("alt") or el.get("title") or ""


def _spaced_text(el) -> str:
    return clean_text(" ".join(el.itertext())) if el is not None else ""


def meta(root, name: str | None) -> str:
    if not name:
        return ""
    for el in root.iter("meta"):
        if (el.get("name") or el.get("property") or "").lower() == name.lower():
            return clean_text(el.get("content"))
    return ""


def parse_date(value: str, tz: str = "Asia/Shanghai") -> str | None:
    """Normalise a date string to 'YYYY-MM-DD HH:MM' (or 'YYYY-MM-DD') in local time ``tz``."""
    m = _DATE.search(value or "")
    if not m:
        return None
    try:
        day = datetime(int(m["y"]), int(m["m"]), int(m["d"]))
    except ValueError:
        return None
    if m["H"] is None:
        return day.strftime("%Y-%m-%d")
    try:
        stamp = day.replace(hour=int(m["H"]), minute=int(m["M"]))
    except ValueError:
        return day.strftime("%Y-%m-%d")
    if m["tz"]:
        offset = "+00:00" if m["tz"] == "Z" else m["tz"]
        if ":" not in offset:
            offset = offset[:3] + ":" + offset[3:]
        stamp = datetime.fromisoformat(stamp.strftime("%Y-%m-%dT%H:%M") + offset).astimezone(ZoneInfo(tz))
    return stamp.strftime("%Y-%m-%d %H:%M")


_BLOCK_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)\s*年?")
_BLOCK_MONTH_DAY = re.compile(r"(?<!\d)(\d{1,2})\s*[-/.月]\s*(\d{1,2})(?!\d)日?")


def date_from_block(year_text: str, month_day_text: str, tz: str = "Asia/Shanghai") -> str | None:
    """The date of a date block: the year over ``MM-DD`` (two texts), both in one element in either
    order ("12-20 2021"), or a whole date in one of them ("2022年1月14日 10:00")."""
    for text in dict.fromkeys((year_text, month_day_text)):
        if date := parse_date(text, tz):
            return date
    combined = year_text if year_text == month_day_text else f"{year_text} {month_day_text}"
    y = _BLOCK_YEAR.search(combined)
    if not y:
        return None
    md = _BLOCK_MONTH_DAY.search(combined[: y.start()] + " " + combined[y.end():])
    return parse_date(f"{y.group(1)}-{md.group(1)}-{md.group(2)}", tz) if md else None


def source_id_from_url(url: str, profile: Profile) -> str | None:
    m = profile.article_pattern.match(urlsplit(url).path)
    return m.group("id") if m else None


def canonical_url(url: str, profile: Profile) -> str:
    """The page URL on the profile's canonical host (keeps path and query)."""
    parts = urlsplit(url)
    return profile.canonical_base_url + (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def extract_article(
    root: etree._Element,
    page_url: str,
    profile: Profile,
    *,
    column_name: str | None = None,
    source_id: str | None = None,
    on_profile_host: bool = True,
) -> Article:
    """Extract with the profile's selectors. Raise ProfileMismatch or NotArticle."""
    sel, css = profile.article_sel, profile.article_css
    if not on_profile_host:
        raise ProfileMismatch(f"article is on another site ({urlsplit(page_url).netloc})")
    sid = source_id or source_id_from_url(page_url, profile)
    if sid is None:
        raise ProfileMismatch(f"URL path does not match [urls] article_pattern ({urlsplit(page_url).path})")

    body = select_one(css["body"], root)
    title_el = select_one(css["title"], root)
    if body is None or title_el is None:
        missing = [f"{k} {sel[k]!r}" for k, el in (("body", body), ("title", title_el)) if el is None]
        raise ProfileMismatch("selector(s) not found: " + ", ".join(missing))

    recommended = False
    badge_text = sel.get("badge_text", "")
    if "badge" in css:
        for badge in css["badge"](title_el):
            if not badge_text or badge_text in _badge_text_of(badge):
                recommended = True
            badge.drop_tree()
        # a badge printed right after the title's element (its next sibling or the one after)
        sibling = title_el.getnext()
        for _ in range(2):
            if recommended or sibling is None:
                break
            recommended = any(not badge_text or badge_text in _badge_text_of(b) for b in css["badge"](sibling))
            sibling = sibling.getnext()
    title = text_of(title_el) or meta(root, sel.get("title_meta"))
    if badge_text and title.endswith(badge_text):
        title, recommended = title[: -len(badge_text)].rstrip(), True
    if not title:
        raise NotArticle("no title")

    date = parse_date(meta(root, sel.get("date_meta")), profile.timezone)
    if date is None and "date_year" in css and "date_month_day" in css:
        year = _spaced_text(select_one(css["date_year"], root))      # "12-20<br>2021": two pieces
        md = _spaced_text(select_one(css["date_month_day"], root))
        if year and md:
            date = date_from_block(year, md, profile.timezone)
    if date is None:
        raise NotArticle(f"no publication date (neither meta {sel.get('date_meta')} nor the date block)")

    category = meta(root, sel.get("column_meta"))
    if not category and "column" in css:
        category = text_of(select_one(css["column"], root))
    category = category or column_name or ""

    summary = strip_summary_label(text_of(select_one(css["summary"], root))) if "summary" in css else ""
    summary = summary or meta(root, sel.get("summary_meta"))

    for drop in profile.drop_css:
        for el in drop(body):
            if el is not body:
                el.drop_tree()
    if not clean_text(body.text_content()) and not body.xpath(".//img|.//table"):
        raise EmptyBody("empty body")

    return Article(
        title=title,
        date=date,
        category=category,
        summary=summary,
        source=meta(root, sel.get("source_meta")) or profile.source_name,
        source_url=canonical_url(page_url, profile),
        source_id=sid,
        body=body,
        page_url=page_url,
        recommended=recommended,
    )
