"""Render an Article as a Pelican Markdown post (metadata lines, blank line, body)."""

from __future__ import annotations

import re

from .extract import Article, clean_text
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


def _line(value: str) -> str:
    return clean_text(value)


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
    head = "".join(f"{k}: {_line(meta[k])}\n" for k in KEY_ORDER if k in meta and _line(meta[k]))
    return head + "\n" + body_md.strip("\n") + "\n"
