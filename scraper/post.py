"""Render an Article as a Pelican Markdown post (metadata lines, blank line, body)."""

from __future__ import annotations

import re

from plugins.content_guard.safety import plain_text, safe_url

from .extract import Article, NotArticle
from .profile import Profile

KEY_ORDER = ("Title", "Date", "Category", "Slug", "Lang", "Summary", "Source", "Source_url", "Source_id",
             "Recommended", "Review")
_SLUG_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")


class UnsafeId(ValueError):
    pass


def make_slug(source_id: str, profile: Profile) -> str:
    """``<prefix><id>``; refuses anything that is not a plain identifier (no '/', '..', etc.)."""
    if not _SLUG_ID.match(source_id or ""):
        raise UnsafeId(f"source id {source_id!r} is not a safe identifier (letters, digits, '-', '_')")
    return f"{profile.slug_prefix}{source_id}".lower()


# Shown to readers as URLs (only http, https, mailto or relative; anything else is left out).
URL_KEYS = ("Source_url",)


def _line(key: str, value) -> str:
    """One front-matter value, whatever extraction path produced it: plain text on one line
    (entities decoded, markup and control characters removed), URLs only with an allowed scheme."""
    text = plain_text(str(value) if value is not None else "")
    return safe_url(text) if key in URL_KEYS else text


def render_post(article: Article, body_md: str, profile: Profile, slug: str) -> str:
    meta = {
        "Title": article.title,
        "Date": article.date,
        "Category": article.category,
        "Slug": slug,
        "Lang": profile.lang,
        "Summary": article.summary,
        "Source": article.source,
        "Source_url": article.source_url,
        "Source_id": article.source_id,
    }
    if article.recommended:
        meta["Recommended"] = "true"
    if article.review:
        meta["Review"] = article.review
    lines = {k: _line(k, meta[k]) for k in KEY_ORDER if k in meta}
    if not lines["Title"]:
        raise NotArticle(f"no title once markup is removed ({article.title[:80]!r})")
    head = "".join(f"{k}: {v}\n" for k, v in lines.items() if v)
    return head + "\n" + body_md.strip("\n") + "\n"
