"""Pure functions behind the news_context plugin (easy to test without Pelican)."""

from dataclasses import dataclass, field

from .reading import (
    complete_summary,
    cut_text,
    has_time_of_day,
    http_url,
    plain_text,
    summary_repeats_body,
    text_start,
)

TRUE_WORDS = {"true", "yes", "1", "on", "是"}


def parse_flag(value) -> bool:
    """A metadata flag: ``true``/``yes``/``1`` (any case) is true, anything else false."""
    if isinstance(value, bool):
        return value
    return str(value or "").strip().lower() in TRUE_WORDS


@dataclass
class NewsColumn:
    name: str
    slug: str
    url: str | None
    articles: list = field(default_factory=list)
    # Originals of this column not translated into the page's language (English column pages).
    untranslated: list = field(default_factory=list)

    @property
    def has_content(self) -> bool:
        return bool(self.url and (self.articles or self.untranslated))


@dataclass(frozen=True)
class ColumnLink:
    """What every page's menus and feed links need of a column: not its articles (a page that
    showed no article would otherwise depend on all of them; plugins/incremental)."""
    name: str
    slug: str
    url: str | None
    has_content: bool
    has_articles: bool


def column_menu(columns) -> list:
    return [ColumnLink(c.name, c.slug, c.url, c.has_content, bool(c.articles)) for c in columns]


@dataclass(frozen=True)
class YearArchive:
    """A year's archive page as the year pages link it: its period and URL (not its articles, nor
    their count: a year's page would otherwise change with every article added to another year)."""
    period: tuple
    url: str


def year_archives(period_archives) -> list:
    return [YearArchive(tuple(a["period"]), a["url"]) for a in (period_archives or {}).get("year", [])]


def year_counts(period_archives) -> dict:
    """Year → number of articles, for the archives page's list of years."""
    return {a["period"][0]: len(a["articles"]) for a in (period_archives or {}).get("year", [])}


def tag_slugs(tags) -> list:
    """The slugs of the tags that have a page (published articles' tags), sorted."""
    pairs = tags.items() if isinstance(tags, dict) else tags
    return sorted({tag.slug for tag, _items in pairs})


def tags_without_page(article, published: set) -> frozenset:
    """The slugs of the article's own tags that have no page: none for a published article (tag
    pages list published articles, so each of its tags has one); for a hidden or draft article, those
    no published article shares.  Kept on the article, so that its page depends on its own tags only,
    not on every tag of the site (plugins/incremental)."""
    if getattr(article, "status", None) == "published":
        return frozenset()
    return frozenset(tag.slug for tag in getattr(article, "tags", None) or () if tag.slug not in published)


def set_column_slug(settings, metadata) -> None:
    """Use the configured slug for a news column's category (a column's URL is not pinyin)."""
    category = metadata.get("category")
    slugs = dict(settings["NEWS_COLUMNS"])
    if category is not None and category.name in slugs:
        category.slug = slugs[category.name]


def annotate_articles(articles, description_chars: int = 120, memo=None) -> None:
    """``memo``: a plugins/build_memo.py memo keeping the texts between builds (they depend on the
    summary, the body and the title only)."""
    for article in articles:
        article.is_recommended = parse_flag(getattr(article, "recommended", False))
        article.is_hot = parse_flag(getattr(article, "hot", False))
        summary = plain_text(article.metadata.get("summary")) if "summary" in article.metadata else ""
        content = str(getattr(article, "_content", "") or "")
        if memo is None:
            texts = summary_texts(summary, content, article.title, description_chars)
        else:
            key = memo.key(summary, content, str(article.title), str(description_chars))
            texts = memo.get(key, lambda s=summary, c=content, t=article.title: summary_texts(s, c, t, description_chars))
        article.has_summary, article.summary_text, article.description = texts
        article.source_link = http_url(getattr(article, "source_url", None))
        article.has_time = has_time_of_day(article.date)


def summary_texts(summary: str, content: str, title: str, description_chars: int) -> tuple[bool, str, str]:
    """(show the summary box, its text, the meta description) of an article."""
    # Enough of the body to compare with the summary and to cut a description from.
    body = text_start(content, max(len(summary), description_chars) + 1)
    # The summary box only when it says something the body's start does not.
    has_summary = bool(summary) and not summary_repeats_body(summary, body)
    summary_text = complete_summary(summary) if has_summary else ""
    description = cut_text(summary if has_summary else (body or summary or title), description_chars)
    return has_summary, summary_text, description


def build_news_context(settings, articles, categories, untranslated_from=None) -> dict:
    """Columns with their articles, and the side lists, for the template context.

    ``articles`` is Pelican's list of original articles, newest first;
    ``categories`` its list of ``(Category, [articles])`` pairs; ``untranslated_from``, for a
    language of translations, the default language's columns: their articles without a version
    here become each column's ``untranslated`` list (``LIST_UNTRANSLATED_ARTICLES``).
    """
    by_slug = {category.slug: (category, items) for category, items in categories}
    columns = []
    for name, slug in settings["NEWS_COLUMNS"]:
        category, items = by_slug.get(slug, (None, []))
        # Pelican writes no page for a column without articles: such a column has no URL.
        columns.append(NewsColumn(
            name=category.name if category else name, slug=slug,
            url=category.url if category else None, articles=list(items),
        ))
    if untranslated_from:
        add_untranslated(settings, columns, articles, untranslated_from)
    newest = articles[0].date.year if articles else None
    recommended = [a for a in articles if a.is_recommended]
    hot = [a for a in articles if a.is_hot]
    # What a page's side lists can show: the newest SIDEBAR_ARTICLES, one more for the article being
    # read (a page depends on these, not on every recommended or hot article; plugins/incremental).
    side = int(settings.get("SIDEBAR_ARTICLES", 8)) + 1
    return {
        "news_columns": columns,
        "column_menu": column_menu(columns),
        "untranslated_by_column": {c.slug: c.untranslated for c in columns if c.untranslated},
        "recommended_articles": recommended,
        "hot_articles": hot,
        "side_recommended": recommended[:side],
        "side_hot": hot[:side],
        "COPYRIGHT_YEAR": newest or "",
    }


def add_untranslated(settings, columns, articles, default_columns) -> None:
    """Each column's originals that have no version among ``articles`` (matched as Pelican matches
    translations, by ``ARTICLE_TRANSLATION_ID``), newest first."""
    key = settings.get("ARTICLE_TRANSLATION_ID", "slug")
    translated = {getattr(article, key, None) for article in articles}
    originals = {column.slug: column.articles for column in default_columns}
    for column in columns:
        column.untranslated = [a for a in originals.get(column.slug, []) if getattr(a, key, None) not in translated]
