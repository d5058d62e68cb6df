"""Generic extraction for pages the site profile does not match (another site, or a changed template).

* body: readability-lxml's and trafilatura's candidates, one chosen by nesting and link density
  (``fallback_body``);
* title: the page's heading that ``<title>``/``og:title`` start with, without the site's name
  (``fallback_title``);
* date: the date printed by the headline, then metadata, then a labelled date anywhere, then the date
  the list printed beside the link (``fallback_dates``).

A page is refused (``NotArticle``) only when it has no article text.  Without any date (none on the
page, in its metadata or from the list) it gets the day of the crawl, and the review flag says so.  The result is always flagged for review (``Review:`` in the post metadata): an
editor should check title, date and body, and update the site profile if the site's template changed.
"""

from __future__ import annotations

import copy
import hashlib
import re
from urllib.parse import urlsplit

import lxml.html
from lxml import etree

from .extract import Article, NotArticle, canonical_url, clean_text, meta, parse_date, source_id_from_url
from .fallback_body import drop_leading_byline, drop_title_heading, extract_body, trim_link_blocks
from .fallback_dates import find_date
from .fallback_title import find_title
from .profile import Profile

_PROSE = re.compile(r"[\u4e00-\u9fff]{8}|[A-Za-z]+(?:\W+[A-Za-z]+){5}")

UNDATED_MIN_CHARS = 100   # an undated text shorter than this is a notice (维护中, 404), not an article


def _prose(description: str) -> str:
    """A page's description when it reads as a sentence, not a list of keywords ("云南日报网,2013,云南")."""
    return description if _PROSE.search(description) else ""


def _site_name(root: etree._Element) -> str:
    return meta(root, "og:site_name") or meta(root, "application-name")


def extract_generic(
    root: etree._Element,
    html: str,
    page_url: str,
    profile: Profile,
    *,
    reason: str,
    column_name: str | None = None,
    on_profile_host: bool = True,
    list_date: str | None = None,
) -> Article:
    """Extract title/date/body without the profile's selectors; raise NotArticle when there is no
    article text.  ``list_date``: the date the list printed beside the link, if any."""
    # The body is looked for without the page furniture the profile names; title and date on the
    # whole page (the association's date block sits in its side column).
    furnished = copy.deepcopy(root)
    for selector in profile.chrome_css + profile.drop_css:
        for el in selector(root):
            el.drop_tree()
    cleaned = lxml.html.tostring(root, encoding="unicode")
    body, _origin = extract_body(cleaned, page_url)
    if body is None or not clean_text(body.text_content()):
        raise NotArticle(f"no article text found (generic extractor; {reason})")

    sel = profile.article_sel
    title = meta(root, sel.get("title_meta")) or find_title(furnished, body_start=clean_text(body.text_content())[:20])
    badge_text = sel.get("badge_text", "")
    recommended = bool(badge_text and title.endswith(badge_text))
    if recommended:
        title = title[: -len(badge_text)].rstrip()
    if title:
        drop_title_heading(body, title)
    drop_leading_byline(body)
    trim_link_blocks(body)
    body_start = clean_text(body.text_content())[:20]
    if not title:
        # No heading and no <title>: the body's first line stands in, for the editor to check.
        title = body_start
    if not clean_text(body.text_content()):
        raise NotArticle(f"no article text found (generic extractor; {reason})")

    # The profile's date meta describes the association's own pages; elsewhere the visible date leads.
    date, date_origin = (parse_date(meta(root, sel.get("date_meta")), profile.timezone) if on_profile_host
                         else None), "metadata"
    if not date:
        date, date_origin = find_date(furnished, html, page_url, title, profile.timezone, list_date=list_date,
                                      body_start=body_start)
    if not date and len(clean_text(body.text_content())) < UNDATED_MIN_CHARS:
        # A line or two without any date (网站维护中, 页面不存在, a login wall): a notice, not an article.
        raise NotArticle(f"no article: a short text without any date (generic extractor; {reason})")
    if not date:
        # A made-up date (the day of the crawl) would publish the page half-right, and differently on
        # every crawl: refused instead, and tried again next crawl (a list that prints a date gives one).
        raise NotArticle(f"no publication date found on the page, in its metadata or beside its link in the "
                         f"list (generic extractor; {reason}); add the date by hand with `make new` if it is news")

    sid = source_id_from_url(page_url, profile) if on_profile_host else None
    if sid is None:
        sid = "x" + hashlib.sha1(page_url.encode()).hexdigest()[:12]
    checks = {
        "list": "the date is the list's (none on the page); check title, date and body",
        "guess": "no date by the title or in the metadata, the date is a guess; check title, date and body",
    }.get(date_origin, "check title, date and body")
    return Article(
        title=title,
        date=date,
        category=(meta(root, sel.get("column_meta")) if on_profile_host else "") or column_name or "",
        summary=_prose(meta(root, sel.get("summary_meta")) or meta(root, "og:description")),
        source=meta(root, sel.get("source_meta")) or (profile.source_name if on_profile_host else
                                                      _site_name(root) or urlsplit(page_url).netloc),
        source_url=canonical_url(page_url, profile) if on_profile_host else page_url,
        source_id=sid,
        body=body,
        page_url=page_url,
        recommended=recommended,
        review=f"generic-extractor ({reason}); {checks}, then update the site profile",
    )
