"""Frozen URLs: each content item's URL and output path are computed once per build, not on every use.

Pelican computes ``Content.url`` and ``Content.save_as`` afresh on every access — a copy of the
metadata, the source path made relative, the URL pattern formatted with ``strftime`` — and a page
of this theme uses many URLs (the article lists, the side lists, the language toggle, the
alternates), while the writer, the language toggle and plugins/incremental's fingerprints ask for
output paths.  A build of three languages asked about 130,000 times for the URLs of 2,000
articles, a quarter of its time; a rebuild of 10,000 articles 92,000 times for output paths.

Once every generator has its final context (``all_generators_finalized``: slugs, dates, columns
and languages can no longer change), every article, page and draft gets

* its URL as Pelican's own ``override_url``, which ``get_url_setting`` returns before computing
  anything;
* its output path as ``_frozen_save_as``, which ``Content.save_as`` (wrapped once, at
  registration) returns while the item has no ``override_save_as``.  Not ``override_save_as``
  itself: that would also tell the writer the item may overwrite output (``override_output``),
  which must stay Pelican's decision.

The output is byte for byte the same (tests/test_site_build.py).
"""

from pelican import signals
from pelican.contents import Content

# Where Pelican's generators keep content items (ArticlesGenerator, PagesGenerator).
ITEM_LISTS = ("articles", "translations", "hidden_articles", "hidden_translations", "drafts",
              "drafts_translations", "pages", "hidden_pages", "draft_pages", "draft_translations")
FROZEN_SAVE_AS = "_frozen_save_as"


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
        fields = item.__dict__
        if "override_url" not in fields:
            item.override_url = item.url
        if FROZEN_SAVE_AS not in fields:
            fields[FROZEN_SAVE_AS] = item.save_as


def _wrap_save_as() -> None:
    """``Content.save_as`` answers from ``_frozen_save_as`` when the item has one (and no
    ``override_save_as``, which Pelican's getter returns first); otherwise Pelican's getter runs.
    Items this plugin did not freeze behave exactly as before."""
    pelican_save_as = Content.__dict__["save_as"]
    if getattr(pelican_save_as.fget, "frozen_wrapper", False):
        return
    compute = pelican_save_as.fget

    def save_as(self):
        fields = self.__dict__
        frozen = fields.get(FROZEN_SAVE_AS)
        if frozen is not None and "override_save_as" not in fields:
            return frozen
        return compute(self)

    save_as.frozen_wrapper = True
    save_as.__doc__ = pelican_save_as.__doc__
    Content.save_as = property(save_as, pelican_save_as.fset, pelican_save_as.fdel)


def register():
    _wrap_save_as()
    signals.all_generators_finalized.connect(freeze_urls)
