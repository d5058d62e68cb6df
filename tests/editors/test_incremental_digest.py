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
