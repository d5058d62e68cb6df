"""News context: the association's columns and side lists, computed once per build.

Gives each column's category its configured URL slug (``NEWS_COLUMNS``:
交管动态 → ``traffic``) instead of a transliteration, and adds to the shared
template context:

* ``news_columns`` — one entry per configured column (``NEWS_COLUMNS``), in menu
  order, with its name, slug, URL and articles (newest first);
* ``recommended_articles`` — articles whose metadata says ``recommended: true``,
  newest first (the 最新推荐 list);
* ``hot_articles`` — editor-curated articles (``hot: true``), newest first (热门新闻);
* ``side_recommended`` / ``side_hot`` — the first ``SIDEBAR_ARTICLES`` + 1 of each, what the side
  lists show (the article being read left out);
* ``column_menu`` — each column's name, slug, URL and whether it has articles (the menus and feed
  links of every page: light, so a page depends on no article it does not show);
* ``untranslated_by_column`` — on English column pages, each column's untranslated originals;
* ``year_archives`` — each year's archive page (period, URL), for the year lists and previous/next
  year; ``year_counts`` — year → number of articles (the archives page);
* ``published_tag_slugs`` — the tags that have a page;
* ``COPYRIGHT_YEAR`` — the year of the newest article, so output stays
  deterministic (never the build time).

And to every article: ``is_recommended``, ``is_hot`` (booleans parsed from the
metadata); ``has_summary`` / ``summary_text`` (the editor's summary, only when it says
something the body's start does not, ending on a sentence or with "…"); ``description``
(the meta description, cut on a sentence boundary); ``source_link`` (``Source_url`` when it
is an http(s) URL); ``has_time`` (the post gave a time of day) — see ``reading.py``;
``tags_without_page`` (a hidden or draft article's tags that have no page, which it names without
a link; empty for a published article) — see ``context.py``.

On English column pages (a language whose ``source`` is ``translations``), each column also
lists the originals not translated yet (``untranslated``), unless ``LIST_UNTRANSLATED_ARTICLES``
is false.
"""

from pelican import signals

try:
    from plugins import build_memo
    from plugins.languages.codes import current_language
except ImportError:  # pragma: no cover - Pelican put plugins/ itself on sys.path
    import build_memo
    from languages.codes import current_language

from .context import (
    annotate_articles,
    build_news_context,
    set_column_slug,
    tag_slugs,
    tags_without_page,
    year_archives,
    year_counts,
)


def _on_article_read(generator, metadata):
    set_column_slug(generator.settings, metadata)


DEFAULT_COLUMNS_KEY = "_default_news_columns"
RENDERED_LISTS = ("articles", "translations", "hidden_articles", "hidden_translations", "drafts",
                  "drafts_translations")


def _on_articles_finalized(generator):
    settings = generator.settings
    # Every article that gets a page: published, hidden and draft ones, and their translations.
    rendered = [item for name in RENDERED_LISTS for item in getattr(generator, name, None) or ()]
    annotate_articles(rendered, settings.get("DESCRIPTION_MAX_CHARS", 120), build_memo.memo(settings, "summaries"))
    untranslated_from = None
    if (getattr(generator, "is_language_variant", False) and current_language(settings).get("source") == "translations"
            and settings.get("LIST_UNTRANSLATED_ARTICLES", True)):
        untranslated_from = generator.context.get(DEFAULT_COLUMNS_KEY)
    news = build_news_context(settings, generator.articles, generator.categories, untranslated_from)
    news["published_tag_slugs"] = tag_slugs(generator.tags or ())
    published = set(news["published_tag_slugs"])
    for item in rendered:
        item.tags_without_page = tags_without_page(item, published)
    news["year_archives"] = year_archives(generator.context.get("period_archives"))
    news["year_counts"] = year_counts(generator.context.get("period_archives"))
    generator.context.update(news)
    if not getattr(generator, "is_language_variant", False):
        generator.context[DEFAULT_COLUMNS_KEY] = news["news_columns"]


def register():
    signals.article_generator_context.connect(_on_article_read)
    signals.article_generator_finalized.connect(_on_articles_finalized)
