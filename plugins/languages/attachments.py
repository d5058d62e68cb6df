"""``{attach}`` in every language: each attached file is written once, beside one post.

Pelican moves a file linked with ``{attach}`` next to the page that links it, and it can move a
file only once.  The languages plugin renders each post several times — the 简体 original, its
繁體 variant under ``zh-hant/``, the English translation under ``en/`` — so the second rendering
asked Pelican to move the file again, and Pelican refused ("cannot relocate … output location was
already overridden"), which ``--fatal warnings`` made a failed build.

Here, once every generator has its content and before anything is rendered, every
``{attach}``-linked file is placed by one item that links it — a post in the file's folder (or
above it) first, originals before translations, then by file name — and every other rendering of a link to it (the 繁體 and English
variants, a translation whose original already placed it, a second post linking the same file)
becomes ``{static}``: the same file, at the one place it is written, by a relative URL that
works from every language's pages.
"""

from __future__ import annotations

import html
import os
from urllib.parse import unquote

# Originals first: a file is placed beside the default-language post that links it.
ITEM_LISTS = ("articles", "hidden_articles", "pages", "hidden_pages", "drafts", "draft_pages",
              "translations", "hidden_translations", "drafts_translations", "draft_translations")


def _static_for(item, value: str, statics: dict):
    """The Static object a link ``value`` of ``item`` names, found as Pelican finds it."""
    path = value.split("#", 1)[0].split("?", 1)[0]
    for candidate in (path, unquote(path), unquote(html.unescape(path))):
        if candidate.startswith("/"):
            key = candidate[1:]
        else:
            key = item.get_relative_source_path(os.path.join(item.relative_dir, candidate))
        if key in statics:
            return statics[key]
    return None


def _attach_links(item):
    content = getattr(item, "_content", None)
    if not content:
        return []
    return [m for m in item._get_intrasite_link_regex().finditer(content) if m.group("what") == "attach"]


def _link_placed_files_as_static(item, statics: dict, placed_by: dict) -> None:
    """``{attach}`` → ``{static}`` in ``item`` wherever another item placed the file."""
    regex = item._get_intrasite_link_regex()

    def replace(match):
        if match.group("what") != "attach":
            return match.group(0)
        static = _static_for(item, match.group("value"), statics)
        if static is None or placed_by.get(id(static)) is item:
            return match.group(0)
        return f"{match.group('markup')}{match.group('quote')}{{static}}{match.group('value')}{match.group('quote')}"

    if getattr(item, "_content", None):
        item._content = regex.sub(replace, item._content)
    metadata = getattr(item, "metadata", None)
    if isinstance(metadata, dict) and isinstance(metadata.get("summary"), str):
        metadata["summary"] = regex.sub(replace, metadata["summary"])


def unquote_static_links(generator) -> None:
    """Percent-encoded ``{attach}``/``{static}`` paths (``通知.pdf`` as ``%E9%80%9A%E7%9F%A5.pdf``, how the
    scraper's sanitiser writes them) as the files they name.  Pelican resolves such a link by trying
    the unquoted path, but it first lists every linked path as a static file to read — and the
    quoted one does not exist ("Cannot get modification stamp", fatal).  Run before the static
    generator reads its files (after the pages generator, the last to add links)."""
    links = generator.context.get("static_links")
    if not links:
        return
    root = generator.path
    for path in list(links):
        if os.path.exists(os.path.join(root, path)):
            continue
        for candidate in (unquote(path), unquote(html.unescape(path))):
            if candidate != path and os.path.isfile(os.path.join(root, candidate)):
                links.discard(path)
                links.add(candidate)
                break


def place_attachments(generators, variant_items) -> None:
    """Place every ``{attach}``-linked file beside the first item linking it; every other link to
    it, and every link of ``variant_items`` (the other languages' copies), becomes ``{static}``."""
    statics = next((g.context["static_content"] for g in generators
                    if isinstance(getattr(g, "context", None), dict) and "static_content" in g.context), None)
    if not statics:
        return
    items, seen = [], set()
    for generator in generators:
        if getattr(generator, "is_language_variant", False):
            continue
        for name in ITEM_LISTS:
            items.extend(getattr(generator, name, None) or ())
    originals = len(items)
    # An English translation is no longer in its generator's lists: it is the original of its variant.
    items.extend(getattr(variant, "original", variant) for variant in variant_items)
    linkers: dict[int, list] = {}
    by_id: dict[int, object] = {}
    ordered = []
    for rank, item in enumerate(items):
        if id(item) in seen:
            continue
        seen.add(id(item))
        ordered.append(item)
        for match in _attach_links(item):
            static = _static_for(item, match.group("value"), statics)
            if static is not None:
                by_id[id(static)] = static
                linkers.setdefault(id(static), []).append((rank, item))
    placed_by: dict[int, object] = {}
    for key, candidates in linkers.items():
        static = by_id[key]
        folder = os.path.dirname(static.source_path)
        # Beside the post in the file's own folder (or above it), originals before translations,
        # then by file name: the same choice in every build.
        rank, item = min(candidates, key=lambda c: (
            not (folder + os.sep).startswith(os.path.dirname(c[1].source_path) + os.sep),
            c[0] >= originals, c[1].source_path))
        static.attach_to(item)
        placed_by[key] = item
    for item in ordered + [v for v in variant_items if id(v) not in seen]:
        _link_placed_files_as_static(item, statics, placed_by)
