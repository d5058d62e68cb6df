"""Previous/next in a column and related articles: pure functions over lists of articles.

Related articles are scored by the features two articles share — their tags, the character
bigrams (Chinese) or words (English) of their titles and of the start of their text — each
weighted by its rarity (idf), so a shared rare place name counts more than a shared 交通.
Computed once per build without comparing every pair: each feature keeps the list of its
articles in date order, and an article looks only at the nearest ``WINDOW`` articles of each
common feature's list (all of a rare feature's), so the work grows with the number of
articles, not with its square.  Ties are broken by closeness in date, then by slug, so two
builds of the same content give the same lists.
"""

from __future__ import annotations

import heapq
import math
import re
from bisect import bisect_left
from collections import defaultdict

from markupsafe import Markup

try:
    from plugins.news_context.reading import text_start
except ImportError:  # pragma: no cover - Pelican put plugins/ itself on sys.path
    from news_context.reading import text_start

RELATED_COUNT = 5
# A feature shared by at most this many articles: all of them are candidates.
RARE = 24
# Otherwise the articles nearest in date on each side of the feature's list.
WINDOW = 4
# Weights of the kinds of feature, and how much of the text's start is read.
TAG_WEIGHT, TITLE_WEIGHT, LEAD_WEIGHT = 3.0, 1.0, 0.4
LEAD_CHARS = 60
# A related article shares at least this many features.
MIN_SHARED = 2

_CJK_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9']{2,}|[0-9]{3,}")
STOPWORDS = frozenset("""the and for with from that this are was were has have had its into over
under about after before more most than their they them his her our out who which will would
been being also not but all any can new""".split())


def tokens(text: str) -> set[str]:
    """Character bigrams of every Chinese run and lower-cased words of Latin text."""
    found = set()
    for run in _CJK_RUN.findall(text):
        if len(run) == 1:
            found.add(run)
        found.update(run[i:i + 2] for i in range(len(run) - 1))
    found.update(w for w in (m.lower() for m in _WORD.findall(text)) if w not in STOPWORDS)
    return found


def features(article) -> dict[str, float]:
    """Feature → weight of one article (the highest weight when a feature occurs twice)."""
    found: dict[str, float] = {}
    lead = text_start(getattr(article, "_content", ""), LEAD_CHARS)[:LEAD_CHARS]
    for token in tokens(lead):
        found[token] = LEAD_WEIGHT
    for token in tokens(Markup(article.title).striptags()):
        found[token] = TITLE_WEIGHT
    for tag in getattr(article, "tags", None) or ():
        found["#" + tag.name] = TAG_WEIGHT
    return found


def _order_key(article):
    return (article.date, article.slug)


def related_articles(articles: list, count: int = RELATED_COUNT, features_of=None) -> dict[int, list]:
    """``id(article)`` → up to ``count`` related articles, best first.  ``features_of``: the
    ``features`` function, or one that remembers its results (plugins/related)."""
    ordered = sorted(articles, key=_order_key)
    feats = [(features_of or features)(article) for article in ordered]
    return _best(ordered, feats, count)


def _best(ordered: list, feats: list, count: int) -> dict[int, list]:
    postings: dict[str, list[int]] = defaultdict(list)
    for position, found in enumerate(feats):
        for feature in found:
            postings[feature].append(position)  # positions ascend: each list is in date order
    total = len(ordered)
    idf = {feature: math.log(1 + total / len(found)) for feature, found in postings.items()}
    times = [article.date.timestamp() for article in ordered]
    slugs = [article.slug for article in ordered]
    result = {}
    for position, found in enumerate(feats):
        scores: dict[int, float] = defaultdict(float)
        shared: dict[int, int] = defaultdict(int)
        # In sorted order: ``found`` was filled from sets, whose order changes from process to process
        # (string hashing), and a float sum in another order can differ in its last bit.
        for feature, weight in sorted(found.items()):
            posting = postings[feature]
            if len(posting) > RARE:
                at = bisect_left(posting, position)
                posting = posting[max(0, at - WINDOW): at + WINDOW + 1]
            gain = weight * idf[feature]
            for other in posting:
                scores[other] += gain
                shared[other] += 1
        scores.pop(position, None)
        when = times[position]
        # Sums are made in the same order in every build, so equal content gives equal floats.
        best = heapq.nsmallest(count, (o for o in scores if shared[o] >= MIN_SHARED),
                               key=lambda o: (-scores[o], abs(times[o] - when), slugs[o]))
        result[id(ordered[position])] = [ordered[o] for o in best]
    return result


def column_neighbours(categories) -> None:
    """``previous_in_column`` (the next older article) and ``next_in_column`` (the next newer) of
    every article of ``categories`` (Pelican's ``[(Category, [articles])]``)."""
    for _category, items in categories:
        ordered = sorted(items, key=_order_key)
        for index, article in enumerate(ordered):
            article.previous_in_column = ordered[index - 1] if index > 0 else None
            article.next_in_column = ordered[index + 1] if index + 1 < len(ordered) else None
