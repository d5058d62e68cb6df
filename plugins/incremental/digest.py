"""Digests of what a page is rendered from: the values a template can read, hashed the same way in
every build so that two builds compare.

A value is walked structurally: strings, numbers, dates, lists, dicts, sets, and objects by their
attributes (``vars()``).  Every build recreates its objects, so nothing here depends on identity or
memory addresses.  Two things bound the walk:

* a content item (article, page, translation) is digested by who it is (source file, language, URL,
  status) and its own fields (body, summary, metadata, the plugins' annotations), where it refers to
  other items only by position (depth 1: how a list shows its items); the page's own item (depth 2,
  ``TOP_DEPTH``) also by who and what the items it refers to are (its related articles'
  titles, previous/next, translations) — the theme reads nothing deeper (``docs/performance.md``);
* ``settings`` and ``_context`` (the whole site) are never walked: the settings are part of the
  build's global digest (``environment.py``), and the site's lists are only walked when a template
  names them.

A paginator contributes its page count and the identity of every item it pages (what its pages'
numbers and URLs depend on); a paginator page contributes its items in full.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re

from pelican.contents import Content
from pelican.paginator import Page, Paginator
from pelican.urlwrappers import URLWrapper

TOP_DEPTH = 2
# Who an item is: where it comes from, its language, where it is published, and its status.
IDENTITY = ("source_path", "lang", "url", "save_as", "status", "in_default_lang")
NEVER_WALKED = frozenset({"settings", "_context"})
_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")
# Pelican's intrasite link placeholders ({filename}…, {static}…, {attach}…, {tag}…, |filename|…):
# an item whose body has one depends on the URLs those links resolve to.
_PLACEHOLDER = re.compile(r"[{|](filename|static|attach|tag|category|index|author|author_url)[}|]")


class Digester:
    """Digests for one build.  Content items and shared values are digested once (memoised by
    identity; the memo keeps a reference, so an identity is never reused within a build)."""

    def __init__(self):
        self._items: dict = {}
        self._shared: dict = {}

    # -- public -------------------------------------------------------------------------------
    def value(self, value, depth: int = TOP_DEPTH) -> bytes:
        out: list = []
        self._feed(out, value, depth, set())
        return hashlib.blake2b(b"".join(out), digest_size=16).digest()

    def shared(self, value, depth: int = TOP_DEPTH) -> bytes:
        """A value shared by many pages (the site's lists): digested once per build."""
        key = (id(value), depth)
        hit = self._shared.get(key)
        if hit is None:
            hit = self._shared[key] = (value, self.value(value, depth))
        return hit[1]

    def item(self, item: Content, depth: int) -> bytes:
        """Depth 0: who it is; depth 1: who it is and its own fields (where it refers to other items,
        not which: a list shows its items' titles, not their related articles); depth 2: that, and
        who and what the items it refers to are (an article page shows its related articles)."""
        if depth <= 0:
            return self._identity(item)
        face, refs = self._own(item)
        if depth == 1 or not refs:
            return face
        key = (id(item), 2)
        hit = self._items.get(key)
        if hit is None:
            h = hashlib.blake2b(face, digest_size=16)
            for ref in refs:
                h.update(self._identity(ref) + self.item(ref, depth - 1))
            hit = self._items[key] = (item, h.digest())
        return hit[1]

    def _own(self, item: Content) -> tuple[bytes, list]:
        key = (id(item), 1)
        hit = self._items.get(key)
        if hit is None:
            # The bytes hashed are collected and hashed once: one ``update`` per item, not per field.
            out: list = [b"item:" + type(item).__name__.encode()]
            add = out.append
            refs: list = []
            fields = vars(item)
            for name in sorted(fields):
                if name in NEVER_WALKED:
                    continue
                value = fields[name]
                kind = type(value)
                if kind is str:  # most fields: inline, without a call per field
                    data = value.encode("utf-8", "surrogatepass")
                    add(b"\x00" + name.encode() + b"\x00u%d:" % len(data) + data)
                elif value is None or kind is bool:
                    add(b"\x00" + name.encode() + b"\x00s" + repr(value).encode())
                else:
                    add(b"\x00" + name.encode())
                    self._feed(out, value, 0, set(), refs)
            # Who it is, with the properties Pelican computes from settings and metadata (URL, path).
            add(b"\x01" + self._identity(item))
            if self.resolves_links(item):
                # Where its intrasite links point, as resolved by Pelican (absolute form).
                add(b"\x02")
                self._feed(out, _safe_call(item, "get_content", ""), 0, set())
                self._feed(out, _safe_call(item, "get_summary", ""), 0, set())
            digest = hashlib.blake2b(b"".join(out), digest_size=16).digest()
            hit = self._items[key] = (item, (digest, refs))
        return hit[1]

    def resolves_links(self, item) -> bool:
        """Whether the item's digest asks Pelican where its intrasite links point (see ``_own``)."""
        fields = vars(item)
        return bool(_PLACEHOLDER.search(fields.get("_content") or "") or _PLACEHOLDER.search(fields.get("_summary") or ""))

    def adopt(self, item, face: bytes, refs: list, identity: bytes) -> None:
        """An item's own digest computed elsewhere from the same objects (``ahead.py``)."""
        self._items.setdefault((id(item), 1), (item, (face, refs)))
        self._items.setdefault((id(item), 0), (item, identity))

    # -- walking ------------------------------------------------------------------------------
    def _identity(self, item) -> bytes:
        key = (id(item), 0)
        hit = self._items.get(key)
        if hit is None:
            fields = [type(item).__name__] + [_safe_attribute(item, name) for name in IDENTITY]
            text = "\x00".join(value if type(value) is str else f"\x01{value!r}" for value in fields)
            hit = self._items[key] = (item, hashlib.blake2b(text.encode("utf-8", "surrogatepass"),
                                                            digest_size=16).digest())
        return hit[1]

    def _feed(self, out: list, value, depth: int, stack: set, refs: list | None = None) -> None:
        """Append the bytes that stand for ``value`` to ``out`` (hashed by the caller)."""
        kind = type(value)
        if kind is str:
            data = value.encode("utf-8", "surrogatepass")
            out.append(b"u%d:" % len(data) + data)
        elif kind in _WRAPPER_TYPES:  # tags, columns, authors: before the general chain below
            out.append(b"w" + self._wrapper(value))
        elif value is None or isinstance(value, (bool, int, float)):
            out.append(b"s" + repr(value).encode() + b";")
        elif isinstance(value, str):
            data = value.encode("utf-8", "surrogatepass")
            out.append(b"u%d:" % len(data) + data)
        elif isinstance(value, bytes):
            out.append(b"b%d:" % len(value) + value)
        elif isinstance(value, (dt.datetime, dt.date, dt.time)):
            out.append(b"d" + value.isoformat().encode() + b"|" + str(getattr(value, "tzinfo", None)).encode())
        elif isinstance(value, dt.tzinfo):
            out.append(b"z" + str(value).encode())
        elif isinstance(value, Content):
            if refs is not None:
                # Inside an item's own fields: where it refers to another item, not which one; who
                # and what that is counts at depth 2 only (the page's own item), see ``item``.
                out.append(b"c")
                refs.append(value)
            else:
                out.append(b"c" + self.item(value, depth))
        elif id(value) in stack:
            out.append(b"<cycle>")
        elif isinstance(value, (list, tuple)):
            stack.add(id(value))
            out.append(b"l%d[" % len(value))
            for element in value:
                if type(element) is str:  # inline: most elements are
                    data = element.encode("utf-8", "surrogatepass")
                    out.append(b"u%d:" % len(data) + data)
                else:
                    self._feed(out, element, depth, stack, refs)
            out.append(b"]")
            stack.discard(id(value))
        elif isinstance(value, dict):
            stack.add(id(value))
            out.append(b"m%d{" % len(value))
            keys = list(value)
            for key in (sorted(keys) if all(type(k) is str for k in keys) else sorted(keys, key=repr)):
                if type(key) is str:
                    data = key.encode("utf-8", "surrogatepass")
                    out.append(b"u%d:" % len(data) + data)
                else:
                    self._feed(out, key, depth, stack, refs)
                field = value[key]
                if type(field) is str:
                    data = field.encode("utf-8", "surrogatepass")
                    out.append(b"u%d:" % len(data) + data)
                else:
                    self._feed(out, field, depth, stack, refs)
            out.append(b"}")
            stack.discard(id(value))
        elif isinstance(value, (set, frozenset)):
            parts = sorted(self.value(element, depth) for element in value)
            out.append(b"e%d{" % len(parts) + b"".join(parts) + b"}")
        elif isinstance(value, URLWrapper):
            _WRAPPER_TYPES.add(kind)
            out.append(b"w" + self._wrapper(value))
        elif isinstance(value, Paginator):
            out.append(b"p")
            self._feed(out, [value.name, value.url, value.per_page, value.orphans, value.num_pages], 0, stack)
            out.append(self._identities(value.object_list))
        elif isinstance(value, Page):
            out.append(b"g")
            self._feed(out, [value.name, value.url, value.number, value.save_as], 0, stack)
            self._feed(out, list(value.object_list), depth, stack)
            self._feed(out, value.paginator, depth, stack)
        elif isinstance(value, type) or _is_function(value):
            # Functions' code is part of the build's global digest.
            out.append(b"f" + getattr(value, "__qualname__", type(value).__name__).encode())
        elif hasattr(value, "__dict__"):
            stack.add(id(value))
            out.append(b"o" + type(value).__qualname__.encode() + b"{")
            for name, field in sorted(vars(value).items()):
                if name in NEVER_WALKED:
                    continue
                out.append(name.encode() + b"=")
                self._feed(out, field, depth, stack, refs)
            out.append(b"}")
            stack.discard(id(value))
        else:
            out.append(b"r" + _ADDRESS.sub("", repr(value)).encode("utf-8", "replace"))

    def _wrapper(self, wrapper) -> bytes:
        """A tag, column or author: its name, slug and where its page is.  Pelican makes a Tag per
        article that names it; where its page is follows from its class, name, slug and settings,
        so equal ones are digested once."""
        key = (id(wrapper), "w")
        hit = self._items.get(key)
        if hit is None:
            settings = getattr(wrapper, "settings", None)
            name, slug = _safe_attribute(wrapper, "name"), _safe_attribute(wrapper, "slug")
            alike = (type(wrapper), name, slug, id(settings)) if type(name) is str and type(slug) is str else None
            same = self._items.get(alike) if alike else None
            if same is not None:
                hit = self._items[key] = (wrapper, same[1])
                return hit[1]
            out: list = [type(wrapper).__name__.encode()]
            for field in (name, slug, _safe_attribute(wrapper, "url"), _safe_attribute(wrapper, "save_as")):
                self._feed(out, field, 0, set())
            hit = self._items[key] = (wrapper, hashlib.blake2b(b"".join(out), digest_size=16).digest())
            if alike:
                self._items[alike] = (settings, hit[1])  # keeps the settings alive: their id stays theirs
        return hit[1]

    def _identities(self, items) -> bytes:
        key = ("ids", id(items))
        hit = self._shared.get(key)
        if hit is None:
            h = hashlib.blake2b(digest_size=16)
            for item in items:
                h.update(self._identity(item) if isinstance(item, Content) else self.value(item, 0))
            hit = self._shared[key] = (items, h.digest())
        return hit[1]


# Types found to be URLWrappers (Pelican's Tag, Category, Author, and subclasses): looked up by
# their exact type first.  Only ever holds URLWrapper subclasses, which no other branch matches.
_WRAPPER_TYPES: set = set()


def _is_function(value) -> bool:
    return type(value).__name__ in {"function", "method", "builtin_function_or_method", "method-wrapper",
                                    "_lru_cache_wrapper", "partial"}


def _safe_attribute(obj, name):
    try:
        return getattr(obj, name, None)
    except Exception as error:  # a property that cannot be computed: its failure is its value
        return f"<{type(error).__name__}>"


def _safe_call(obj, name, *args):
    try:
        return getattr(obj, name)(*args)
    except Exception as error:
        return f"<{type(error).__name__}>"
