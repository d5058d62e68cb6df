"""Language variants of Pelican content objects, made once per item per build.

Pelican reads and renders every post once (in Simplified Chinese, or in English
for translations).  A *variant* is a shallow copy of that object with the
language's settings (so its URL carries the language prefix), its own category
and tag objects, and — for 繁體 — its title, summary, body and source converted
by OpenCC once, here, never at template-render time.
"""

from __future__ import annotations

import copy

from babel.dates import format_date, format_skeleton
from pelican.urlwrappers import Category, Tag

try:
    from plugins import build_memo
except ImportError:  # pragma: no cover - Pelican put plugins/ itself on sys.path
    import build_memo

from .chinese import ChineseConverter

# Settings whose value is a URL or output path pattern: they get the language prefix.
PATH_SETTING_SUFFIXES = ("_URL", "_SAVE_AS")
PATH_SETTINGS_EXTRA = ("FEED_ALL_ATOM", "CATEGORY_FEED_ATOM", "CATEGORY_FEED_RSS", "TAG_FEED_ATOM", "TAG_FEED_RSS",
                       "FEED_ATOM", "FEED_RSS", "FEED_ALL_RSS")
NOT_PREFIXED = {"SITEURL", "FEED_DOMAIN", "STATIC_URL", "STATIC_SAVE_AS"}


def language_settings(settings: dict, entry: dict, converter: ChineseConverter | None) -> dict:
    """Pelican settings for rendering one language: prefixed paths, translated site strings."""
    prefix = entry["prefix"]
    lang_settings = dict(settings)
    lang_settings["DEFAULT_LANG"] = entry["code"]
    if prefix:
        for key, value in settings.items():
            if key in NOT_PREFIXED or not isinstance(value, str) or not value:
                continue
            if key.endswith(PATH_SETTING_SUFFIXES) or key in PATH_SETTINGS_EXTRA:
                lang_settings[key] = prefix + value
    if converter is not None:
        for key in settings.get("LOCALIZED_SETTINGS", []):
            if isinstance(settings.get(key), str):
                lang_settings[key] = converter.convert(settings[key])
    lang_settings.update(entry.get("settings", {}))
    return lang_settings


def localized_date(date, entry: dict) -> str:
    """The article date as readers of the language write it (2021年12月20日 / 20 December 2021)."""
    return format_date(date, format="long", locale=entry["babel_locale"])


def localized_month(date, entry: dict) -> str:
    """A month as the language's readers write it (2021年12月 / December 2021): archive headings."""
    return format_skeleton("yMMMM", date, locale=entry["babel_locale"])


class TaxonomyNames:
    """One Category/Tag object per name and language, so pages of a language share them."""

    def __init__(self, settings: dict, entry: dict, converter: ChineseConverter | None):
        self.settings = settings
        self.converter = converter
        self.column_names = entry.get("column_names", {})
        self._categories: dict[str, Category] = {}
        self._tags: dict[str, Tag] = {}

    def _display(self, name: str, mapping: dict | None = None) -> str:
        if mapping and name in mapping:
            return mapping[name]
        return self.converter.convert(name) if self.converter else name

    def category(self, original: Category) -> Category:
        found = self._categories.get(original.name)
        if found is None:
            found = Category(self._display(original.name, self.column_names), self.settings)
            found.slug = original.slug  # URLs are never converted
            self._categories[original.name] = found
        return found

    def tag(self, original: Tag) -> Tag:
        found = self._tags.get(original.name)
        if found is None:
            found = Tag(self._display(original.name), self.settings)
            found.slug = original.slug
            self._tags[original.name] = found
        return found


def _remembered(converter: ChineseConverter, settings: dict, *, html: bool = True):
    """``converter.convert_html`` (or ``convert``), its results kept between builds
    (plugins/build_memo.py): the 繁體 bodies and titles of 10,000 articles cost seconds of OpenCC
    per build, and an edit changes one."""
    function = converter.convert_html if html else converter.convert
    found = build_memo.memo(settings, "opencc-html" if html else "opencc-text", converter.identity)
    if found is None:
        return function

    def convert(text):
        if not text:
            return text
        return found.get(found.key(str(text)), lambda: function(text))

    return convert


def make_variant(item, entry: dict, settings: dict, names: TaxonomyNames, converter: ChineseConverter | None):
    """A copy of an article or page for one language (the original is left untouched)."""
    variant = copy.copy(item)
    variant.settings = settings
    variant.lang = entry["code"]
    variant.in_default_lang = True  # its own language's URL pattern, already prefixed
    variant.metadata = dict(item.metadata)
    variant.original = getattr(item, "original", item)
    if converter is not None:
        convert_html = _remembered(converter, settings)
        convert = _remembered(converter, settings, html=False)
        variant.title = convert(item.title)
        variant._content = convert_html(item._content)
        if "summary" in item.metadata:
            variant.metadata["summary"] = convert_html(item.metadata["summary"])
        for key in ("source", "menu_label"):
            if isinstance(getattr(item, key, None), str):
                setattr(variant, key, convert(getattr(item, key)))
    if getattr(item, "category", None) is not None:
        variant.category = names.category(item.category)
    if getattr(item, "tags", None):
        variant.tags = [names.tag(tag) for tag in item.tags]
    if getattr(item, "date", None) is not None:
        variant.locale_date = localized_date(item.date, entry)
    return variant
