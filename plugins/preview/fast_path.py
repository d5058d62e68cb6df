"""The fast path: one saved post shown in well under a second, whatever the size of the archive.

``refresh_post`` reads the saved file with the last build's own readers (the plugins' reading
signals included), and — when the edit leaves the article where it was (same URL, date, column,
tags, status, flags and metadata fields) — updates, in place, every article object of that file
in the last build's model: the 简体 original and its 繁體 variant (converted again with OpenCC,
``plugins/languages/variants.make_variant``), or the English translation.  In place, so every list,
column, side list and neighbour that holds the object shows the new title.  The annotations the
plugins set at the end of reading (related articles, previous/next, language links, frozen URL)
stay; those computed from the text are computed again (``news_context``'s summary box and
description, the date in the language, a translation's freshness notice).

It then renders the article page of each and the one page of its column that lists it, through
Pelican's writer (``Writer.write_file``, the same call the generators make), every other page of
the column skipped before rendering, each file written atomically.

Whatever it cannot do safely it declines (``Declined``: the background build does it); a post
that cannot be read raises ``PostError`` with one line naming the file.
"""

from __future__ import annotations

import os

from pelican import signals
from pelican.contents import Article, Content
from pelican.readers import SkipStub

from plugins.atomic_file import write_atomically
from plugins.content_guard.build_guard import build_problems
from plugins.content_guard.rules import check_items
from plugins.content_guard.safety import item_problems
from plugins.incremental.writer import UNCHANGED, IncrementalWriter
from plugins.languages.chinese import converter_for
from plugins.languages.freshness import annotate_freshness
from plugins.languages.variants import localized_date, make_variant
from plugins.news_context.context import annotate_articles

from .site_model import Found, SiteModel

# Metadata whose change moves the article (URL, column, lists, tag pages, side lists, status).
STRUCTURAL = ("date", "category", "tags", "slug", "lang", "status", "template", "save_as", "url",
              "recommended", "hot", "translation")
# What an in-place update keeps of the object the build made: its links to the rest of the site.
KEPT = ("_context", "settings", "original", "translations", "override_url", "category", "tags", "related",
        "previous_in_column", "next_in_column", "in_default_lang", "lang", "tags_without_page")


class Declined(Exception):
    """The fast path does not handle this change; the background build will."""


class PostError(Exception):
    """The saved post cannot be read or would not build: one line naming the file."""


def refresh_post(model: SiteModel, path: str, output_path: str) -> list[str]:
    """Update the model from the saved post ``path`` and write its pages; return the pages written."""
    found = model.items_from(path)
    if not found:
        raise Declined("not an article page of the last build")
    fresh = read_post(model, path)
    raw = _raw_item(found)
    _check_unmoved(raw, fresh)
    for item in [raw] + [f.item for f in found if f.item is not raw]:
        forget_memoised(item)
    _update(raw, fresh)
    for hit in found:
        if hit.item is not raw:
            _update(hit.item, _variant(hit, fresh, model))
        _annotate(hit, model)
    if any(hit.item is raw for hit in found):
        # Links in the summary, as Pelican resolves them after reading (refresh_metadata_intersite_links).
        raw.refresh_metadata_intersite_links()
    return render(found, model, output_path)


# -- reading ------------------------------------------------------------------------------------
def read_post(model: SiteModel, path: str) -> Article:
    generator = model.default
    relative = os.path.relpath(path, generator.path)
    shown = os.path.relpath(path, os.path.dirname(generator.path))  # content/news/…: as make check names it
    try:
        article = generator.readers.read_file(
            base_path=generator.path, path=relative, content_class=Article, context=generator.context,
            preread_signal=signals.article_generator_preread, preread_sender=generator,
            context_signal=signals.article_generator_context, context_sender=generator)
    except Exception as error:  # a reader, a date, a plugin's check: the post cannot be read
        raise PostError(f"{shown}: {_reason(error)}") from None
    if isinstance(article, SkipStub):
        raise Declined("skipped by its reader")
    if not article.is_valid():
        raise PostError(f"{shown}: not a valid article (title and date are required)")
    settings = generator.settings
    # A translation needs its original among the build's originals (the slug rules of content_guard).
    originals = generator.articles + generator.hidden_articles + generator.drafts
    problems = check_items([article], settings, require_column=True, originals=originals + [article])
    problems += item_problems([article], settings) + build_problems([article], settings)
    if problems:
        raise PostError("; ".join(str(p) for p in problems))
    return article


def _reason(error: Exception) -> str:
    text = " ".join(str(error).split()) or type(error).__name__
    return f"{type(error).__name__}: {text}" if type(error).__name__ not in text else text


# -- updating in place ------------------------------------------------------------------------
def _raw_item(found: list[Found]):
    """The object Pelican read (a default-language article, or the translation a variant copies)."""
    for hit in found:
        if getattr(hit.item, "original", None) is None:
            return hit.item
    return found[0].item.original


def _check_unmoved(old, new) -> None:
    # (Pelican's refresh_metadata_intersite_links may add "summary" after reading: text, not structure.)
    if set(old.metadata) - {"summary"} != set(new.metadata) - {"summary"}:
        raise Declined("metadata fields added or removed")
    for key in STRUCTURAL:
        if _comparable(old.metadata.get(key)) != _comparable(new.metadata.get(key)):
            raise Declined(f"{key} changed")
    if old.url != new.url or old.save_as != new.save_as or old.status != new.status:
        raise Declined("its URL or status changed")


def _comparable(value):
    if isinstance(value, (list, tuple)):
        return [_comparable(v) for v in value]
    if hasattr(value, "slug") and hasattr(value, "name"):  # Category, Tag, Author
        return (type(value).__name__, value.name, value.slug)
    return value


def _update(item, fresh) -> None:
    kept = {name: item.__dict__[name] for name in KEPT if name in item.__dict__}
    item.__dict__.update(fresh.__dict__)
    item.__dict__.update(kept)


def forget_memoised(item) -> None:
    """Pelican memoises ``get_content``/``get_summary`` per object: drop this object's entries."""
    for method in (Content.get_content, Content.get_summary):
        cache = method.cache
        for key in [key for key in list(cache) if key and key[0] is item]:
            cache.pop(key, None)


class _SameTaxonomy:
    """``make_variant``'s names: the variant keeps the category and tag objects it has."""

    def __init__(self, variant):
        self._category = getattr(variant, "category", None)
        self._tags = {tag.slug: tag for tag in getattr(variant, "tags", None) or ()}

    def category(self, _original):
        return self._category

    def tag(self, original):
        return self._tags.get(original.slug, original)


def _variant(hit: Found, fresh, model: SiteModel):
    entry, item = hit.language.entry, hit.item
    converter = converter_for(model.settings) if entry["source"] == "opencc" else None
    return make_variant(fresh, entry, item.settings, _SameTaxonomy(item), converter)


def _annotate(hit: Found, model: SiteModel) -> None:
    item, entry = hit.item, hit.language.entry
    annotate_articles([item], model.settings.get("DESCRIPTION_MAX_CHARS", 120))
    item.locale_date = localized_date(item.date, entry)
    if entry["source"] == "translations":
        annotate_freshness([item])


# -- rendering ----------------------------------------------------------------------------------
class _Only:
    """A template that renders only the page ``wanted`` of a paginated list: the writer's other
    pages are skipped before rendering (plugins/incremental's ``UNCHANGED``: nothing written)."""

    def __init__(self, template, wanted: str):
        self._template, self._wanted = template, wanted

    def __getattr__(self, name):
        return getattr(self._template, name)

    def render(self, localcontext):
        if localcontext.get("output_file") != self._wanted:
            return UNCHANGED
        return self._template.render(localcontext)


class _PreviewWrites:
    """What plugins/incremental's writer reports to: write changed bytes atomically, keep names."""

    enabled = False

    def __init__(self, output_path: str):
        self.output_path = output_path
        self.written: list[str] = []

    def write_if_changed(self, path: str, data: bytes) -> None:
        try:
            with open(path, "rb") as handle:
                if handle.read() == data:
                    return
        except OSError:
            pass
        os.makedirs(os.path.dirname(path), exist_ok=True)
        write_atomically(path, data)
        self.written.append(os.path.relpath(path, self.output_path))

    def produced(self, path: str) -> None:
        pass


def render(found: list[Found], model: SiteModel, output_path: str) -> list[str]:
    writes = _PreviewWrites(output_path)

    class Writer(IncrementalWriter):
        run = writes

    writer = Writer(output_path, settings=model.settings)
    for hit in found:
        generator, item = hit.language.generator, hit.item
        relative = generator.settings["RELATIVE_URLS"]
        writer.write_file(item.save_as, generator.get_template(item.template), generator.context,
                          relative_urls=relative, article=item, category=getattr(item, "category", None),
                          override_output=hasattr(item, "override_save_as"), url=item.url, blog=True)
        _render_column_page(writer, generator, item, relative)
    return writes.written


def _render_column_page(writer, generator, item, relative: bool) -> None:
    """The page of the item's column that lists it (as ``ArticlesGenerator.generate_categories``)."""
    slug = getattr(getattr(item, "category", None), "slug", None)
    for category, articles in generator.categories:
        if category.slug != slug:
            continue
        index = next((i for i, article in enumerate(articles) if article is item), None)
        if index is None:
            return
        members = {id(article) for article in articles}
        dates = [article for article in generator.dates if id(article) in members]
        wanted = _page_save_as(writer, category, articles, index)
        writer.write_file(category.save_as, _Only(generator.get_template("category"), wanted), generator.context,
                          relative_urls=relative, url=category.url, category=category, articles=articles,
                          dates=dates, template_name="category", blog=True, page_name=category.page_name,
                          all_articles=generator.articles)
        return


def _page_save_as(writer, category, articles, index: int) -> str:
    from pelican.paginator import Paginator

    settings = writer.settings
    per_page = settings["PAGINATED_TEMPLATES"].get("category") or settings["DEFAULT_PAGINATION"]
    paginator = Paginator(category.save_as, category.url, articles, settings, per_page)
    for number in range(1, paginator.num_pages + 1):
        page = paginator.page(number)
        if page.start_index() <= index + 1 <= page.end_index():
            return page.save_as
    return category.save_as
