"""One page, no network: decoded HTML -> Article -> (media plan, post text)."""

from __future__ import annotations

from dataclasses import dataclass

from .convert import MediaRef, body_to_markdown, prepare_body
from .extract import Article, ProfileMismatch, extract_article, parse_html
from .fallback import extract_generic
from .post import make_slug, render_post
from .profile import Profile


@dataclass
class PageResult:
    article: Article
    slug: str
    media: list[MediaRef]
    text: str              # the complete post (front matter + Markdown)


def process_page(
    html: str,
    page_url: str,
    profile: Profile,
    *,
    column_name: str | None = None,
    source_id: str | None = None,
    on_profile_host: bool = True,
    list_date: str | None = None,
) -> PageResult:
    """Extract (profile first, the generic fallback when it does not match), sanitise, convert, render.

    ``list_date``: the date the list printed beside the link (the fallback's last resort for a date).
    Raises extract.NotArticle (no date/body/title) or post.UnsafeId.
    """
    root = parse_html(html)
    try:
        article = extract_article(root, page_url, profile, column_name=column_name, source_id=source_id,
                                  on_profile_host=on_profile_host)
    except ProfileMismatch as exc:
        article = extract_generic(parse_html(html), html, page_url, profile, reason=str(exc),
                                  column_name=column_name, on_profile_host=on_profile_host, list_date=list_date)
        if source_id and on_profile_host:
            article.source_id = source_id
    slug = make_slug(article.source_id, profile)
    media = prepare_body(article.body, page_url=page_url, canonical_page_url=article.source_url,
                         profile=profile, slug=slug)
    body_md = body_to_markdown(article.body)
    return PageResult(article, slug, media, render_post(article, body_md, profile, slug))
