"""Pure functions behind the news_context plugin (easy to test without Pelican)."""

from dataclasses import dataclass, field

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


def set_column_slug(settings, metadata) -> None:
    """Use the configured slug for a news column's category (a column's URL is not pinyin)."""
    category = metadata.get("category")
    slugs = dict(settings["NEWS_COLUMNS"])
    if category is not None and category.name in slugs:
        category.slug = slugs[category.name]


def annotate_articles(articles) -> None:
    for article in articles:
        article.is_recommended = parse_flag(getattr(article, "recommended", False))
        article.is_hot = parse_flag(getattr(article, "hot", False))
        article.has_summary = "summary" in article.metadata


def build_news_context(settings, articles, categories) -> dict:
    """Columns with their articles, and the side lists, for the template context.

    ``articles`` is Pelican's list of original articles, newest first;
    ``categories`` its list of ``(Category, [articles])`` pairs.
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
    newest = articles[0].date.year if articles else None
    return {
        "news_columns": columns,
        "recommended_articles": [a for a in articles if a.is_recommended],
        "hot_articles": [a for a in articles if a.is_hot],
        "COPYRIGHT_YEAR": newest or "",
    }
