"""One page, no network: decoded HTML -> Article -> (media plan, post text)."""

from __future__ import annotations

from dataclasses import dataclass, field

from .convert import MediaRef, body_to_markdown, prepare_body, relink
from .extract import Article, EmptyBody, NotArticle, ProfileMismatch, extract_article, parse_html
from .fallback import extract_generic
from .layout import LayoutMismatch, extract_by_layout, recover_subheadings, split_br_paragraphs
from .post import make_slug, render_post
from .profile import Profile

PATHS = ("profile", "layout", "generic")


@dataclass
class PageResult:
    article: Article
    slug: str
    media: list[MediaRef]
    text: str              # the complete post (front matter + Markdown)
    profile: Profile
    left_out: list[str] = field(default_factory=list)   # removed from the body (unusable links ...), why
    path: str = "profile"  # which extractor produced it: "profile", "layout" or "generic"
    misses: list[str] = field(default_factory=list)   # why the earlier extractors did not

    def render(self, changes: dict[str, str | None]) -> str:
        """The post with media links changed (to the original URL) or left out (None); see convert.relink."""
        body_md = body_to_markdown(relink(self.article.body, changes))
        return render_post(self.article, body_md, self.profile, self.slug)


def extract(html: str, page_url: str, profile: Profile, *, column_name: str | None = None,
            source_id: str | None = None, on_profile_host: bool = True,
            list_date: str | None = None) -> tuple[Article, str, list[str]]:
    """The profile's selectors first; the association's visible layout when they miss; trafilatura last.

    Returns (article, path, misses). Raises extract.NotArticle when no extractor can publish the page.
    """
    misses: list[str] = []
    profile_error: NotArticle | None = None
    try:
        return extract_article(parse_html(html), page_url, profile, column_name=column_name, source_id=source_id,
                               on_profile_host=on_profile_host), "profile", misses
    except ProfileMismatch as exc:
        misses.append(f"profile: {exc}")
    except EmptyBody:
        raise
    except NotArticle as exc:      # the selectors matched, but a field is missing: the layout may have it
        profile_error = exc
        misses.append(f"profile: {exc}")
    if on_profile_host:
        try:
            article = extract_by_layout(parse_html(html), page_url, profile, column_name=column_name,
                                        source_id=source_id)
            return article, "layout", misses
        except (LayoutMismatch, NotArticle) as exc:
            misses.append(f"layout: {exc}")
    if profile_error is not None:
        raise NotArticle(f"{profile_error} ({'; '.join(misses[1:]) or 'no other extractor applies'})")
    try:
        article = extract_generic(parse_html(html), html, page_url, profile, reason=misses[0].split(": ", 1)[1],
                                  column_name=column_name, on_profile_host=on_profile_host, list_date=list_date)
    except NotArticle as exc:
        misses.append(f"generic: {exc}")
        raise NotArticle("; ".join(misses)) from None
    if source_id and on_profile_host:
        article.source_id = source_id
    return article, "generic", misses


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
    """Extract (profile, layout, then trafilatura), sanitise, convert, render.

    ``list_date``: the date the list printed beside the link (the fallback's last resort for a date).
    Raises extract.NotArticle (no date/body/title) or post.UnsafeId.
    """
    article, path, misses = extract(html, page_url, profile, column_name=column_name, source_id=source_id,
                                    on_profile_host=on_profile_host, list_date=list_date)
    if path == "profile":
        # Paragraphs written as <br><br>, heading levels and one-line bold or centred sub-headings,
        # as on the layout path (which has done it).
        split_br_paragraphs(article.body)
        recover_subheadings(article.body)
    slug = make_slug(article.source_id, profile)
    prepared = prepare_body(article.body, page_url=page_url, canonical_page_url=article.source_url,
                            profile=profile, slug=slug)
    body_md = body_to_markdown(article.body)
    return PageResult(article, slug, prepared.media, render_post(article, body_md, profile, slug), profile,
                      prepared.left_out, path, misses)
