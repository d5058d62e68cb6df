"""Articles that lead somewhere: previous/next in the same column and up to five related
articles (``neighbours.py``), computed once per build and per language.

Sets on every published article ``previous_in_column``, ``next_in_column`` (or None) and
``related`` (a list, best first).  A 繁體 article is a conversion of its 简体 original, so it
takes the original's related list (as 繁體 articles) instead of computing it again; English
computes its own among the translated articles.
"""

from pelican import signals

from . import neighbours
from .neighbours import column_neighbours, related_articles

try:
    from plugins import build_memo
except ImportError:  # pragma: no cover - Pelican put plugins/ itself on sys.path
    import build_memo

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
    related = _remembered_related(generator.settings, articles, count) if count else {}
    for article in articles:
        article.related = related.get(id(article), [])


def _remembered_related(settings, articles, count) -> dict[int, list]:
    """``related_articles``, its features and its result kept between builds (plugins/build_memo.py):
    each article's features are computed again only when its title, body or tags changed, and the
    whole ranking only when some article's features, date or slug did (an edit further down a
    body changes neither)."""
    found = build_memo.memo(settings, "related", repr((count, neighbours.LEAD_CHARS)).encode())
    if found is None:
        return related_articles(articles, count)

    def features_of(article) -> tuple[dict, bytes]:
        tags = [tag.name for tag in getattr(article, "tags", None) or ()]
        key = found.key("features", str(article.title), str(getattr(article, "_content", "")), repr(tags))

        def compute():
            feats = neighbours.features(article)
            return feats, found.key("weights", repr(sorted(feats.items())))

        return found.get(key, compute)

    ordered = sorted(articles, key=neighbours._order_key)
    pairs = [features_of(article) for article in ordered]
    feats = [f for f, _ in pairs]
    signature = found.key("ranking", *(part for a, (_, weights) in zip(ordered, pairs, strict=True)
                                       for part in (a.slug, a.date.isoformat(), weights)))
    best = found.get(signature, lambda: _positions(ordered, neighbours._best(ordered, feats, count)))
    return {id(ordered[i]): [ordered[j] for j in chosen] for i, chosen in enumerate(best)}


def _positions(ordered, result) -> list[list[int]]:
    at = {id(article): i for i, article in enumerate(ordered)}
    return [[at[id(other)] for other in result.get(id(article), [])] for article in ordered]


def register():
    signals.article_generator_finalized.connect(_on_articles_finalized)
