"""Generic extraction with trafilatura for pages the site profile does not match.

The result is always flagged for review (``Review:`` in the post metadata):
an editor should check title, date and body, and update the site profile if
the site's template changed.
"""

from __future__ import annotations

import hashlib
import logging

import lxml.html
import trafilatura
from lxml import etree

from .extract import Article, NotArticle, canonical_url, clean_text, meta, parse_date, source_id_from_url
from .profile import Profile

log = logging.getLogger("trafilatura")
log.setLevel(logging.ERROR)


def extract_generic(
    root: etree._Element,
    html: str,
    page_url: str,
    profile: Profile,
    *,
    reason: str,
    column_name: str | None = None,
    on_profile_host: bool = True,
) -> Article:
    """Extract title/date/body with trafilatura; raise NotArticle when there is no date or no body."""
    for selector in profile.chrome_css + profile.drop_css:
        for el in selector(root):
            el.drop_tree()
    cleaned = lxml.html.tostring(root, encoding="unicode")
    body_html = trafilatura.extract(
        cleaned, url=page_url, output_format="html", include_tables=True, include_images=True,
        include_links=True, include_comments=False, favor_precision=True,
    )
    if not body_html or not body_html.strip():
        raise NotArticle(f"no article body found (generic extractor; {reason})")
    body = lxml.html.fragment_fromstring(body_html, create_parent="div")
    if body.tag == "div" and len(body) == 1 and body[0].tag == "html":
        body = body[0].find("body") if body[0].find("body") is not None else body[0]
    if not clean_text(body.text_content()):
        raise NotArticle(f"no article body found (generic extractor; {reason})")

    md = trafilatura.extract_metadata(html, default_url=page_url, extensive=False)
    sel = profile.article_sel
    title = meta(root, sel.get("title_meta")) or clean_text(getattr(md, "title", "") or "")
    badge_text = sel.get("badge_text", "")
    recommended = bool(badge_text and title.endswith(badge_text))
    if recommended:
        title = title[: -len(badge_text)].rstrip()
    date = parse_date(meta(root, sel.get("date_meta")), profile.timezone) or parse_date(
        getattr(md, "date", "") or "", profile.timezone
    )
    if not date:
        raise NotArticle(f"no publication date found (generic extractor; {reason})")
    if not title:
        raise NotArticle(f"no title found (generic extractor; {reason})")

    sid = source_id_from_url(page_url, profile) if on_profile_host else None
    if sid is None:
        sid = "x" + hashlib.sha1(page_url.encode()).hexdigest()[:12]
    return Article(
        title=title,
        date=date,
        category=meta(root, sel.get("column_meta")) or column_name or "",
        summary=meta(root, sel.get("summary_meta")) or clean_text(getattr(md, "description", "") or ""),
        source=meta(root, sel.get("source_meta")) or clean_text(getattr(md, "sitename", "") or "")
        or profile.source_name,
        source_url=canonical_url(page_url, profile) if on_profile_host else page_url,
        source_id=sid,
        body=body,
        page_url=page_url,
        recommended=recommended,
        review=f"generic-extractor ({reason}); check title, date and body, then update the site profile",
    )
