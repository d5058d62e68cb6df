"""Articles that lead somewhere: previous/next in the same column and up to five related
articles (``neighbours.py``), computed once per build and per language.

Sets on every published article ``previous_in_column``, ``next_in_column`` (or None) and
``related`` (a list, best first).  A 繁體 article is a conversion of its 简体 original, so it
takes the original's related list (as 繁體 articles) instead of computing it again; English
computes its own among the translated articles.
"""

from pelican import signals

from .neighbours import column_neighbours, related_articles

try:
    from plugins.languages.codes import current_language
except ImportError:  # pragma: no cover - Pelican put plugins/ itself on sys.path
    from languages.codes import current_language


def _on_articles_finalized(generator):
    articles = generator.articles
    column_neighbours(generator.categories)
    count = generator.settings.get("RELATED_ARTICLES", 5)
    if current_language(generator.settings).get("source") == "opencc":
        variants = {id(getattr(article, "original", article)): article for article in articles}
        for article in articles:
            original = getattr(article, "original", article)
            article.related = [variants[id(o)] for o in getattr(original, "related", []) if id(o) in variants]
        return
    related = related_articles(articles, count) if count else {}
    for article in articles:
        article.related = related.get(id(article), [])


def register():
    signals.article_generator_finalized.connect(_on_articles_finalized)
