"""What a batch of file changes asks of the preview (``watchfiles``, Pelican's own reload backend).

``classify`` sorts one batch into the saved Markdown posts the fast path may show at once and
whether a background build is needed (always, when anything relevant changed) and whether the
settings must be read again.  Files Pelican ignores (``IGNORE_FILES``: editors' swap files, the
scraper's ``*.scraped.md`` proposals, hidden files) are not changes of the site.
"""

from __future__ import annotations

import fnmatch
import os
from dataclasses import dataclass, field

from watchfiles import Change

POST_SUFFIXES = (".md", ".markdown", ".mkd", ".mdown")


@dataclass
class Batch:
    posts: list[str] = field(default_factory=list)  # saved posts, for the fast path
    build: bool = False  # a background build is needed
    settings_changed: bool = False


def ignored(path: str, root: str, patterns) -> bool:
    name = os.path.basename(path)
    relative = os.path.relpath(path, root)
    parts = relative.split(os.sep)
    if any(part.startswith(".") for part in parts[:-1]):  # inside a hidden folder
        return True
    return any(fnmatch.fnmatch(name, p) or fnmatch.fnmatch(relative, p) for p in patterns)


def classify(changes, *, content: str, settings_file: str, ignore_patterns) -> Batch:
    batch = Batch()
    content = os.path.abspath(content)
    settings_file = os.path.abspath(settings_file)
    for change, path in sorted(changes, key=lambda c: c[1]):
        path = os.path.abspath(path)
        if path == settings_file:
            batch.build = batch.settings_changed = True
            continue
        inside_content = path.startswith(content + os.sep)
        if inside_content and ignored(path, content, ignore_patterns):
            continue
        batch.build = True
        if (inside_content and change in (Change.modified, Change.added) and path.endswith(POST_SUFFIXES)
                and os.path.isfile(path) and path not in batch.posts):
            batch.posts.append(path)
    return batch
