"""plugins/related: related articles share what matters, never include the article, are capped and
deterministic; previous/next follow the column's dates."""

import datetime
import random
import types

from plugins.related.neighbours import column_neighbours, related_articles, tokens


def art(slug, title, tags=(), body="", day=1):
    return types.SimpleNamespace(slug=slug, title=title, _content=f"<p>{body}</p>",
                                 tags=[types.SimpleNamespace(name=t) for t in tags],
                                 date=datetime.datetime(2021, 1, 1) + datetime.timedelta(days=day))


def test_tokens_are_chinese_bigrams_and_english_words():
    assert {"酒驾", "驾整", "整治"} <= tokens("酒驾整治")
    assert {"drunk", "driving"} <= tokens("The drunk-driving checks") and "the" not in tokens("the")


def test_related_articles_share_tags_and_title_words():
    rng = random.Random(3)
    filler = [art(f"f{i}", f"{rng.choice('东南西北')}部{rng.choice('春夏秋冬')}季会议{i}", ["会议"], day=i) for i in range(40)]
    drunk = [art(f"d{i}", f"{city}严查酒驾醉驾", ["酒驾"], day=100 + i) for i, city in enumerate("济南青岛烟台潍坊临沂威海")]
    result = related_articles(filler + drunk)
    first = result[id(drunk[0])]
    assert len(first) == 5 and drunk[0] not in first
    assert {a.slug for a in first} <= {a.slug for a in drunk[1:]}
    # the same lists whatever order the articles come in
    shuffled = filler + drunk
    rng.shuffle(shuffled)
    again = related_articles(shuffled)
    assert all([a.slug for a in result[id(x)]] == [a.slug for a in again[id(x)]] for x in filler + drunk)


def test_an_article_sharing_nothing_has_no_related():
    alone = art("x", "Completely different words", ["other"])
    result = related_articles([alone, art("y", "交通安全"), art("z", "道路交通")])
    assert result[id(alone)] == []


def test_previous_and_next_follow_the_date_within_each_column():
    a, b, c = art("a", "A", day=1), art("b", "B", day=2), art("c", "C", day=3)
    other = art("o", "O", day=2)
    column_neighbours([("traffic", [c, a, b]), ("association", [other])])
    assert (a.previous_in_column, a.next_in_column) == (None, b)
    assert (b.previous_in_column, b.next_in_column) == (a, c)
    assert (c.previous_in_column, c.next_in_column) == (b, None)
    assert other.previous_in_column is None and other.next_in_column is None
