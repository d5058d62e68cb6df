"""`make check`'s rules of ``plugins/content_guard/build_rules.py`` over posts read as text.

What these catch used to pass `make check` and then stop the build (or publish nonsense): a
field given twice (Pelican turns a second ``Title:`` into a list and crashes), a date before
``EARLIEST_POST_YEAR`` or in the future, a tag or author that makes no URL, a slug too long for
a file name or taken by the site's own pages, control characters (NUL) in the text, a
``Template:``/``Save_as:``/``URL:`` a post cannot use, and links Pelican cannot resolve
(``{filename}`` to a file that is not a post, ``{static}`` to a post, ``{attach}`` to an
ignored file, ``{category}``/``{tag}``/``{author}`` to a page the site does not have).
"""

from __future__ import annotations

import functools
import re
from datetime import datetime
from pathlib import Path
from urllib.parse import unquote

from plugins.content_guard import build_rules, rules
from plugins.content_guard.rules import Problem

from .inventory import MARKDOWN_EXTENSIONS, ignored

CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
CONTENT_TEMPLATES = {"article": "article", "page": "page"}


now_in_site_time = build_rules.now_in_site_time


def name_slug(kind: str, name: str, settings) -> str:
    """The slug Pelican gives a tag/author/category named ``name`` (pelican.urlwrappers)."""
    from pelican.settings import DEFAULT_CONFIG

    subs = settings.get(f"{kind.upper()}_REGEX_SUBSTITUTIONS",
                        settings.get("SLUG_REGEX_SUBSTITUTIONS", DEFAULT_CONFIG["SLUG_REGEX_SUBSTITUTIONS"]))
    options = (settings.get("SLUGIFY_PRESERVE_CASE", False), settings.get("SLUGIFY_USE_UNICODE", False))
    try:
        key = (name, tuple(tuple(pair) for pair in subs), *options)
        hash(key)
    except TypeError:  # not pairs of strings: slugify as given (and fail as Pelican would)
        return _slugify(name, subs, *options)
    return _slug(*key)


def _slugify(name, subs, preserve_case, use_unicode) -> str:
    from pelican.utils import slugify

    return slugify(name, regex_subs=subs, preserve_case=preserve_case, use_unicode=use_unicode)


@functools.lru_cache(maxsize=4096)
def _slug(name, subs, preserve_case, use_unicode) -> str:
    """The same names recur across posts (a few hundred tags over 10,000 articles)."""
    return _slugify(name, subs, preserve_case, use_unicode)


def metadata_list(value: str) -> list[str]:
    """Tags/authors as Pelican splits them (readers.ensure_metadata_list)."""
    parts = value.split(";") if ";" in value else value.split(",")
    return list(dict.fromkeys(p.strip() for p in parts if p.strip()))


def reserved_slugs(settings) -> dict[str, str]:
    """Page slugs whose page would overwrite one of the site's own (``index`` → index.html)."""
    pattern = settings.get("PAGE_SAVE_AS", "{slug}.html")
    if "{slug}" not in pattern:
        return {}
    before, after = pattern.split("{slug}", 1)
    taken = {}
    for key, value in settings.items():
        if (key.endswith("_SAVE_AS") and key not in ("PAGE_SAVE_AS", "PAGE_LANG_SAVE_AS") and isinstance(value, str)
                and "{" not in value and value.startswith(before) and value.endswith(after)):
            slug = value[len(before):len(value) - len(after)]
            if slug and "/" not in slug:
                taken[slug] = value
    for entry in settings.get("SITE_LANGUAGES") or []:
        prefix = str(entry.get("prefix") or "").strip("/")
        if prefix:
            taken.setdefault(prefix, f"{prefix}/")
    return taken


def _front_matter(post):
    for number in range(1, post.body_start):
        match = rules.META_LINE.match(post.text_lines[number - 1])
        if match:
            yield number, match["key"].lower(), match["value"].strip()


def post_problems(post, settings, *, now: datetime) -> list[Problem]:
    found: list[Problem] = []

    def add(line, finding):
        if finding is not None:
            found.append(Problem(post.where, line, finding))

    first_line: dict[str, int] = {}
    nested = build_rules.body_nesting_problem(post.text_lines)
    if nested:
        add(*nested)
    for number, key, value in _front_matter(post):
        if key in build_rules.NOT_EMPTY and not value:
            add(number, build_rules.empty_field(key))
        if key in first_line:
            add(number, build_rules.duplicate_key(key, first_line[key]))
        else:
            first_line[key] = number
    if CONTROL.search("\n".join(post.text_lines)):  # most files have none: one search, not one per line
        for number, line in enumerate(post.text_lines, 1):
            codes = {ord(c) for c in CONTROL.findall(line)}
            if codes:
                add(number, build_rules.control_characters(codes))
    meta = post.meta
    for key in ("date", "modified"):
        if key in meta:
            add(post.line(key), build_rules.date_range_problem(
                rules.parse_date(meta[key]), settings, now, draft=(meta.get("status") or "").lower() == "draft"))
    if meta.get("source_url"):
        add(post.line("source_url"), build_rules.source_url_problem(meta["source_url"]))
    if meta.get("slug"):
        add(post.line("slug"), build_rules.slug_length_problem(meta["slug"]))
        if post.kind == "page":
            taken = reserved_slugs(settings).get(meta["slug"])
            if taken:
                add(post.line("slug"), build_rules.reserved_page_slug(meta["slug"], taken))
    for kind, key in (("tag", "tags"), ("author", "author"), ("author", "authors")):
        for name in metadata_list(meta.get(key, "")):
            slug = name_slug(kind, name, settings)
            if not slug:
                add(post.line(key), build_rules.no_slug_for(kind, name))
            elif len(slug) > build_rules.MAX_SLUG_LENGTH:
                add(post.line(key), build_rules.long_name(kind, name, len(slug)))
    if "template" in meta and meta["template"] != CONTENT_TEMPLATES[post.kind]:
        add(post.line("template"), build_rules.template_problem(meta["template"], CONTENT_TEMPLATES[post.kind]))
    for key in build_rules.NOT_FOR_POSTS:
        if key in meta:
            add(post.line(key), build_rules.not_for_posts(key))
    return found


def link_target_problems(post, links, settings, *, posts: set[Path], tag_slugs: dict[str, set]) -> list[Problem]:
    """``links``: (line, target, is image) of the post (checker._links)."""
    content = Path(settings["PATH"])
    patterns = settings.get("IGNORE_FILES", ["**/.*"])
    columns = {slug for _name, slug in settings.get("NEWS_COLUMNS", [])}
    lang = (post.meta.get("lang") or rules.default_lang(settings)).lower()
    found = []
    for number, target, _image in links:
        match = re.match(r"^(?:\{(?P<a>\w+)\}|\|(?P<b>\w+)\|)(?P<rest>.*)$", target)
        if not match:
            continue
        kind, rest = match["a"] or match["b"], unquote(match["rest"]).split("#", 1)[0].split("?", 1)[0]
        finding = None
        if kind in ("filename", "static", "attach") and rest:
            base = content if rest.startswith("/") else post.path.parent
            try:
                resolved = (base / rest.lstrip("/")).resolve()
                exists = resolved.is_file()
            except (OSError, ValueError, RuntimeError):
                continue  # the existing rules report a path that cannot exist
            if not exists:
                continue
            try:
                rel = resolved.relative_to(content.resolve()).as_posix()
            except ValueError:
                continue
            if kind == "filename" and resolved not in posts:
                finding = build_rules.filename_not_a_post(rest)
            elif kind != "filename" and (resolved in posts or resolved.suffix.lower() in MARKDOWN_EXTENSIONS):
                finding = build_rules.static_is_a_post(rest)
            elif kind != "filename" and ignored(rel, patterns):
                finding = build_rules.ignored_target(rest)
        elif kind == "category" and name_slug("category", rest, settings) not in columns:
            finding = build_rules.unknown_link_target("category", rest, columns)
        elif kind == "tag" and name_slug("tag", rest, settings) not in tag_slugs.get(lang, set()):
            finding = build_rules.unknown_link_target("tag", rest, tag_slugs.get(lang, set()))
        elif kind == "author" and not settings.get("AUTHOR_SAVE_AS"):
            finding = build_rules.unknown_link_target("author", rest, set())
        if finding is not None:
            found.append(Problem(post.where, number, finding))
    return found


def tag_slugs_by_language(posts, settings) -> dict[str, set]:
    default = rules.default_lang(settings)
    slugs: dict[str, set] = {}
    for post in posts:
        if post.kind != "article" or (post.meta.get("status") or "").lower() in ("draft",):
            continue
        lang = (post.meta.get("lang") or default).lower()
        for name in metadata_list(post.meta.get("tags", "")):
            slugs.setdefault(lang, set()).add(name_slug("tag", name, settings))
    # 繁體 pages are made from the default language's posts
    for entry in settings.get("SITE_LANGUAGES") or []:
        if rules.is_generated(entry):
            slugs[entry["code"].lower()] = slugs.get(default, set())
    return slugs


def translation_status_problems(posts, settings) -> list[Problem]:
    """Each translation's ``Status:`` against its original's (build_rules.translation_status_problem)."""
    default = rules.default_lang(settings)
    originals = {}
    for post in posts:
        if (post.meta.get("lang") or default).lower() == default and post.meta.get("slug"):
            originals.setdefault((post.kind, post.meta["slug"]), post)
    found = []
    for post in posts:
        if (post.meta.get("lang") or default).lower() == default:
            continue
        original = originals.get((post.kind, post.meta.get("slug")))
        if original is not None:
            finding = build_rules.translation_status_problem(post.meta.get("status"), original.meta.get("status"))
            if finding is not None:
                found.append(Problem(post.where, post.line("status"), finding))
    return found
