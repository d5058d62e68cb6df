"""News context: the association's columns and side lists, computed once per build.

Gives each column's category its configured URL slug (``NEWS_COLUMNS``:
交管动态 → ``traffic``) instead of a transliteration, and adds to the shared
template context:

* ``news_columns`` — one entry per configured column (``NEWS_COLUMNS``), in menu
  order, with its name, slug, URL and articles (newest first);
* ``recommended_articles`` — articles whose metadata says ``recommended: true``,
  newest first (the 最新推荐 list);
* ``hot_articles`` — editor-curated articles (``hot: true``), newest first (热门新闻);
* ``COPYRIGHT_YEAR`` — the year of the newest article, so output stays
  deterministic (never the build time).

And to every article: ``is_recommended``, ``is_hot`` (booleans parsed from the
metadata) and ``has_summary`` (the editor wrote a summary, rather than Pelican
cutting one from the body).
"""

from pelican import signals

from .context import annotate_articles, build_news_context, set_column_slug


def _on_article_read(generator, metadata):
    set_column_slug(generator.settings, metadata)


def _on_articles_finalized(generator):
    annotate_articles(generator.articles + generator.translations)
    generator.context.update(build_news_context(generator.settings, generator.articles, generator.categories))


def register():
    signals.article_generator_context.connect(_on_article_read)
    signals.article_generator_finalized.connect(_on_articles_finalized)
