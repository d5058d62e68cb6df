"""Feeds: which page a feed belongs to, and a stable date for a feed with no entries."""

from __future__ import annotations

import datetime

# A feed with no entry (an English column nothing is translated in yet) and a site with no article.
EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
COLUMN_FEED_SETTINGS = ("CATEGORY_FEED_ATOM", "CATEGORY_FEED_RSS")


def feed_page(context: dict, feed_url: str) -> str | None:
    """The column page of a column's feed (its URL relative to the site root), else None."""
    for category, _items in context.get("categories", ()):
        for setting in COLUMN_FEED_SETTINGS:
            pattern = context.get(f"{setting}_URL") or context.get(setting)
            if pattern and feed_url.endswith("/" + str(pattern).format(slug=category.slug)):
                return category.url
    return None


def newest_date(context: dict) -> datetime.datetime:
    """The newest article's date of this language, else of the whole site, else 1970: what an
    empty feed says as its ``updated``, so two builds of the same content give the same feed."""
    for key in ("articles", "_site_articles"):
        dates = [article.date for article in context.get(key) or ()]
        if dates:
            return max(dates)
    return EPOCH


def plain_titles(context: dict, feed) -> None:
    """Entry titles exactly as the pages show them.  Pelican passes each title through
    ``Markup(title).striptags()``, which drops whatever stands between ``<`` and ``>`` and decodes
    character references — meant for titles holding HTML, but here a title is plain text (the
    sanitising policy, content_guard/safety.py), so ``车速 5<6 & 7>3`` lost ``<6 & 7>``.  The feed
    writer (feedgenerator) escapes the text itself."""
    siteurl = str(context.get("SITEURL") or "")
    titles = {article.url: article.title for article in context.get("articles") or ()}
    for item in feed.items:
        link = str(item.get("link") or "").split("?", 1)[0]
        path = link[len(siteurl) + 1:] if siteurl and link.startswith(siteurl + "/") else link
        if path in titles:
            item["title"] = str(titles[path])
