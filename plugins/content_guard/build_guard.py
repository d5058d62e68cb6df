"""The build-time side of ``build_rules.py``: over Pelican's objects, before anything is written.

A build run without `make check` (`make serve`, ``--no-check``) still stops with a message
naming the file, instead of a crash or a hang: a symbolic link or a pipe under content/
(``refuse_unsafe_files``, before Pelican walks the folder), a field given twice (Pelican makes a list of a
second ``Title:``), a date out of range (0001-01-01 crashed the search export), a tag or author
that makes no slug (Pelican's own warning names no file), a slug too long for a file name.
"""

from __future__ import annotations

from plugins.content_guard import build_rules
from plugins.content_guard.rules import ContentError, Problem, metadata_lines, source_of

SINGLE_VALUED = ("title", "summary", "slug", "lang", "category", "status", "template", "source", "source_url")


def build_problems(items, settings) -> list[Problem]:
    problems: list[Problem] = []
    now = build_rules.now_in_site_time(settings)
    lines: dict[str, dict] = {}

    def add(item, key, finding):
        if finding is None:
            return
        source = getattr(item, "source_path", "") or ""
        if source not in lines:
            lines[source] = metadata_lines(source) if source else {}
        problems.append(Problem(source_of(item, settings), lines[source].get(key), finding))

    default = str(settings.get("DEFAULT_LANG", "")).lower()
    original_status = {}
    for item in items:
        if str(getattr(item, "lang", "") or default).lower() == default:
            original_status.setdefault(getattr(item, "slug", None), getattr(item, "status", None))
    for item in items:
        if str(getattr(item, "lang", "") or default).lower() != default and item.slug in original_status:
            add(item, "status", build_rules.translation_status_problem(item.status, original_status[item.slug]))
    for item in items:
        metadata = getattr(item, "metadata", {}) or {}
        for key in SINGLE_VALUED:
            if isinstance(metadata.get(key), list):
                add(item, key, build_rules.duplicate_key(key, lines.get(item.source_path, {}).get(key) or 1))
        for key in ("date", "modified"):
            value = getattr(item, key, None)
            if value is not None and hasattr(value, "year"):
                add(item, key, build_rules.date_range_problem(value.replace(tzinfo=None), settings, now,
                                                              draft=getattr(item, "status", "") == "draft"))
        add(item, "slug", build_rules.slug_length_problem(getattr(item, "slug", None)))
        for kind, key in (("tag", "tags"), ("author", "authors")):
            for wrapper in getattr(item, key, None) or []:
                slug = wrapper.slug if wrapper._slug is not None else _slug_quietly(wrapper)
                if not slug:
                    add(item, key if key in lines.get(item.source_path, {}) else kind, build_rules.no_slug_for(kind, wrapper.name))
                elif len(slug) > build_rules.MAX_SLUG_LENGTH:
                    add(item, key, build_rules.long_name(kind, wrapper.name, len(slug)))
    return problems


def _slug_quietly(wrapper) -> str:
    """The slug Pelican will compute for a Tag/Author, without its (file-less) warning."""
    from pelican.utils import slugify

    settings = wrapper.settings
    subs = settings.get(f"{wrapper.__class__.__name__.upper()}_REGEX_SUBSTITUTIONS",
                        settings.get("SLUG_REGEX_SUBSTITUTIONS", []))
    return slugify(wrapper.name, regex_subs=subs, preserve_case=settings.get("SLUGIFY_PRESERVE_CASE", False),
                   use_unicode=settings.get("SLUGIFY_USE_UNICODE", False))


def refuse_unsafe_files(pelican) -> None:
    """Before Pelican walks content/: symbolic links, pipes, undecodable names and bodies nesting
    deeper than Markdown renders stop the build by name (Pelican follows a link to ``..`` for ever,
    reading a pipe named ``.md`` never ends, 2,000 nested list levels exceed the recursion limit)."""
    from pathlib import Path

    from plugins.content_check.inventory import take_inventory

    content = Path(pelican.settings["PATH"])
    if not content.is_dir():
        return
    base = content.resolve().parent

    def where(path):
        try:
            return Path(path).relative_to(base).as_posix()
        except ValueError:
            return str(path)

    inventory = take_inventory(content, pelican.settings, where)
    unsafe = list(inventory.unsafe)
    for path, _kind in inventory.posts:
        nested = build_rules.file_nesting_problem(path)  # Markdown would recurse out of stack, or take minutes
        if nested:
            unsafe.append(Problem(where(path), *nested))
    if unsafe:
        raise ContentError(unsafe)
