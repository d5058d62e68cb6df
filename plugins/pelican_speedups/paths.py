"""Pelican's ``Content.get_relative_source_path`` answered from a memo.

Every URL and output path Pelican computes (``url_format``) makes the item's source path relative to
the content folder again: two ``abspath`` and a ``relpath``, about 120,000 times in a rebuild of
10,000 articles (a second of it) before ``frozen_urls`` fixes the URLs.  The answer depends only on
the two paths when the content folder is absolute (Pelican makes it so), not on the working folder,
so it is kept per (content folder, source path) and computed the first time by Pelican's own method.
Anything else (no source path, a relative content folder, a value that is not a string) goes to
Pelican every time.
"""

from __future__ import annotations

import functools
import os

from pelican.contents import Content

MEMO_SIZE = 1 << 16  # the archive's files, three languages' items share them


class _Where:
    """What Pelican's method reads of an item when it is given the source path: the settings."""

    __slots__ = ("settings",)

    def __init__(self, content_path: str):
        self.settings = {"PATH": content_path}


def install() -> None:
    pelican_method = Content.get_relative_source_path
    if getattr(pelican_method, "speedup", False):
        return

    @functools.lru_cache(maxsize=MEMO_SIZE)
    def relative(content_path: str, source_path: str):
        return pelican_method(_Where(content_path), source_path)

    def get_relative_source_path(self, source_path=None):
        path = source_path or self.source_path
        settings = getattr(self, "settings", None)
        content_path = settings.get("PATH") if isinstance(settings, dict) else None
        if path and type(path) is str and type(content_path) is str and os.path.isabs(content_path):
            return relative(content_path, path)
        return pelican_method(self, source_path)

    get_relative_source_path.speedup = True
    get_relative_source_path.pelican = pelican_method
    get_relative_source_path.__doc__ = pelican_method.__doc__
    Content.get_relative_source_path = get_relative_source_path
