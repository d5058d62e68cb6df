"""The loud messages of a crawl or a page that the site profile does not fit.

A crawl that finds no article, or whose articles all needed the generic fallback, most likely met a
template the profile does not know: it must not look like success. These messages name the list
URLs, the selectors that matched nothing, how many articles needed the fallback, and what to do.
"""

from __future__ import annotations

from .crawl import Stats
from .profile import Profile

EXIT_NOT_RECOGNISED = 3


def what_to_do(profile: Profile) -> str:
    return ("What to do: save a list page and an article page of the site (the browser's \"Save Page As\", or "
            "curl), then run\n"
            "    python -m scraper doctor ARTICLE.html --list LIST.html\n"
            f"and paste the selectors it proposes into {profile.path}; check the result with "
            "`python -m scraper page ARTICLE.html`.")


def crawl_verdict(stats: Stats, profile: Profile) -> str | None:
    """The message for a crawl that found nothing or only fell back; None when the crawl is fine."""
    seen = stats.new + stats.updated + stats.unchanged + stats.edited + stats.resumed
    published = stats.new + stats.updated + stats.edited + stats.unchanged
    if seen == 0 and stats.old == 0:
        head = "The crawl found no article."
    elif stats.fallback and stats.fallback >= published and not stats.layout:
        head = (f"Every article of this crawl ({stats.fallback}) needed the generic fallback: the site profile "
                "does not fit the site's pages.")
    else:
        return None
    lines = [head, f"  walked: {', '.join(stats.sources) or 'nothing (every list page was refused or failed)'}"]
    lines += [f"  list {url}: {what}" for url, what in stats.list_misses[:10]]
    if not stats.list_misses and stats.listed == 0:
        lines.append(f"  no link on the list pages matched [urls] article_pattern {profile.article_pattern.pattern!r}")
    lines.append(f"  articles: {stats.listed} found, {stats.layout} via the association's layout, "
                 f"{stats.fallback} needed the generic fallback, {stats.failed} failed, {stats.gone} gone")
    lines += [f"  article {url}: {why}" for url, why in stats.article_misses[:5]]
    lines.append(what_to_do(profile))
    return "\n".join(lines)


def stale_profile_note(stats: Stats) -> str | None:
    """A crawl that worked around the profile (list links by pattern, articles by the layout) says so."""
    parts = []
    if stats.list_misses:
        parts.append(f"the [list] selectors matched nothing on {len(stats.list_misses)} list page(s) "
                     "(links were found by [urls] article_pattern)")
    if stats.layout:
        parts.append(f"{stats.layout} article(s) were read by the association's layout because the [article] "
                     "selectors missed")
    if not parts:
        return None
    return "; ".join(parts) + ". The site's template has changed: `python -m scraper doctor` proposes new selectors."


def page_verdict(source: str, misses: list[str], profile: Profile, *, published: bool) -> str:
    """The message for ``page`` when the profile's selectors and the layout extractor both missed."""
    head = (f"{source}: only the generic fallback could read this page (the post above is flagged Review:)."
            if published else f"{source}: no extractor could read this page; nothing to publish.")
    return "\n".join([head, *(f"  {m}" for m in misses), what_to_do(profile).replace("--list LIST.html", "")
                      .replace("ARTICLE.html", source)])
