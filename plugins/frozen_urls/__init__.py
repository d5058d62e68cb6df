"""Frozen URLs: each content item's URL is computed once per build, not on every use.

Pelican computes ``Content.url`` afresh on every access — a copy of the metadata, the source path
made relative, the URL pattern formatted with ``strftime`` — and a page of this theme uses many
(the article lists, the side lists, the language toggle, the alternates).  A build of three
languages asked about 130,000 times for the URLs of 2,000 articles, a quarter of its time.

Once every generator has its final context (``all_generators_finalized``: slugs, dates, columns
and languages can no longer change), the URL of every article, page and draft is recorded as
Pelican's own ``override_url``, which ``get_url_setting`` returns before computing anything.
Only the URL: ``override_save_as`` would also tell the writer that the item may overwrite output
(``override_output``), which must stay Pelican's decision.  The output is byte for byte the same
(tests/test_site_build.py).
"""

from pelican import signals

# Where Pelican's generators keep content items (ArticlesGenerator, PagesGenerator).
ITEM_LISTS = ("articles", "translations", "hidden_articles", "hidden_translations", "drafts",
              "drafts_translations", "pages", "hidden_pages", "draft_pages", "draft_translations")


def content_items(generators):
    """Every content item of ``generators`` and of the generators they render through
    (``subgenerators()``: the languages plugin's per-language variants)."""
    seen = set()
    todo = list(generators)
    while todo:
        generator = todo.pop()
        todo.extend(getattr(generator, "subgenerators", lambda: ())())
        for name in ITEM_LISTS:
            for item in getattr(generator, name, None) or ():
                if id(item) not in seen:
                    seen.add(id(item))
                    yield item


def freeze_urls(generators):
    for item in content_items(generators):
        if "override_url" not in item.__dict__:
            item.override_url = item.url


def register():
    signals.all_generators_finalized.connect(freeze_urls)
