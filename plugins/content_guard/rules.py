"""Rules every post must satisfy, as plain functions over Pelican content objects."""

import os
import re
from collections import defaultdict

# Lowercase ASCII words joined by single hyphens: readable in a URL, safe on
# every file system, never a path (no "/", "..", or spaces).
SAFE_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class ContentError(Exception):
    """Content that must not be published; the message lists every problem."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__(
            f"{len(self.problems)} problem(s) in content/, nothing was published:\n"
            + "\n".join(f"  {p}" for p in self.problems)
        )


def source_of(item, settings) -> str:
    """The item's source path relative to the project, for messages."""
    path = getattr(item, "source_path", "") or ""
    base = os.path.dirname(os.path.abspath(settings.get("PATH", "content")))
    try:
        return os.path.relpath(path, base)
    except ValueError:
        return path


def slug_problem(slug) -> str | None:
    if not slug:
        return "has no slug — add a line `Slug: crsa-1234` (lowercase letters, digits and hyphens)"
    if not SAFE_SLUG.match(slug):
        return (
            f"slug {slug!r} is not allowed — use only lowercase letters a-z, digits and single hyphens "
            "(for example `Slug: shandong-police-2021`); slashes, dots and Chinese characters are not allowed"
        )
    return None


def check_items(items, settings, *, require_column: bool) -> list[str]:
    """Problems of a list of articles or pages (originals, translations, drafts)."""
    problems = []
    columns = [name for name, _slug in settings.get("NEWS_COLUMNS", [])]
    by_output = defaultdict(list)
    by_slug_lang = defaultdict(list)
    for item in items:
        where = source_of(item, settings)
        problem = slug_problem(getattr(item, "slug", None))
        if problem:
            problems.append(f"{where}: {problem}")
        if require_column:
            category = getattr(item, "category", None)
            name = getattr(category, "name", "") if category else ""
            if not name:
                problems.append(f"{where}: has no category — add `Category: {columns[0]}` (one of: {', '.join(columns)})")
            elif name not in columns:
                problems.append(
                    f"{where}: category {name!r} is not a news column — use one of: {', '.join(columns)}"
                )
        by_slug_lang[(getattr(item, "slug", None), getattr(item, "lang", None))].append(where)
        save_as = getattr(item, "save_as", None)
        if save_as:
            by_output[save_as].append(where)
    reported = set()
    for (slug, lang), wheres in sorted(by_slug_lang.items(), key=lambda kv: str(kv[0])):
        if slug and len(wheres) > 1:
            reported.update(wheres)
            problems.append(
                f"{wheres[0]}: slug {slug!r} ({lang}) is also used by {', '.join(wheres[1:])} — "
                "give each post its own `Slug:`"
            )
    for save_as, wheres in sorted(by_output.items()):
        distinct = sorted(set(wheres))
        if len(distinct) > 1 and not set(distinct) <= reported:
            problems.append(f"{distinct[0]}: would be written to {save_as}, like {', '.join(distinct[1:])}")
    return problems
