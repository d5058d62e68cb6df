"""plugins/incremental/digest.py: what a page's fingerprint sees of tags, columns and authors."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from pelican.settings import DEFAULT_CONFIG  # noqa: E402
from pelican.urlwrappers import Category, Tag  # noqa: E402

from plugins.incremental.digest import Digester  # noqa: E402


def _settings(**changes):
    settings = dict(DEFAULT_CONFIG)
    settings.update(changes)
    return settings


def test_equal_tags_of_different_articles_digest_alike_and_where_their_page_is_counts():
    zh = _settings(TAG_URL="tags/{slug}.html", TAG_SAVE_AS="tags/{slug}.html")
    hant = _settings(TAG_URL="zh-hant/tags/{slug}.html", TAG_SAVE_AS="zh-hant/tags/{slug}.html")
    d = Digester()
    one, two = Tag("酒驾", zh), Tag("酒驾", zh)  # Pelican makes one per article that names it
    assert one is not two and d.value([one]) == d.value([two])
    assert d.value([Tag("酒驾", hant)]) != d.value([one])  # its page is elsewhere
    assert d.value([Tag("头盔", zh)]) != d.value([one])
    assert d.value([Category("酒驾", zh)]) != d.value([one])  # a column, not a tag
    # A fresh digester (the next build) gives the same digests.
    assert Digester().value([two]) == d.value([one])


def test_a_tag_with_its_own_slug_is_not_taken_for_another():
    zh = _settings(TAG_URL="tags/{slug}.html", TAG_SAVE_AS="tags/{slug}.html")
    d = Digester()
    plain = Tag("ETC", zh)
    other = Tag("ETC", zh)
    other.slug = "etc-lane"
    assert d.value([plain]) != d.value([other])
    assert d.value(other) != d.value(plain)


def test_digests_computed_ahead_on_two_cores_equal_those_computed_one_by_one():
    """plugins/incremental/ahead.py: half the items digested in a forked child, handed back with
    the items they refer to; every digest, at every depth, as without it."""
    import threading

    from pelican.contents import Article

    from plugins.incremental.ahead import digest_ahead
    settings = _settings(TAG_URL="tags/{slug}.html", TAG_SAVE_AS="tags/{slug}.html")
    items = []
    for n in range(40):
        metadata = {"title": f"标题{n}", "date": __import__("datetime").datetime(2024, 1, 1 + n % 28),
                    "slug": f"crsa-{n}", "tags": [Tag(f"标签{n % 5}", settings)],
                    "category": Category("交管动态", settings)}
        items.append(Article(f"<p>正文{n}</p>", metadata=metadata, settings=settings, source_path=f"/c/{n}.md"))
    for n, item in enumerate(items):
        item.related = [items[(n + 1) % 40], items[(n + 7) % 40]]
        item.is_hot = n % 3 == 0
    outsider = Article("<p>外</p>", metadata={"title": "外", "date": items[0].date, "slug": "x"}, settings=settings)
    items[-1].related.append(outsider)  # refers to an item outside the list: left to this process
    serial = Digester()
    expected = [serial.item(item, depth) for item in items for depth in (0, 1, 2)]
    ahead = Digester()
    adopted = digest_ahead(ahead, items, min_items=0)
    assert adopted == 19  # the child's half (20), but the item that refers outside the list
    assert [ahead.item(item, depth) for item in items for depth in (0, 1, 2)] == expected
    assert digest_ahead(Digester(), items) == 0  # fewer than AHEAD_MIN_ITEMS: nothing forked
    # make serve builds in a thread of its own: nothing forked there.
    from_thread = []
    worker = threading.Thread(target=lambda: from_thread.append(digest_ahead(Digester(), items, min_items=0)))
    worker.start()
    worker.join()
    assert from_thread == [0]
