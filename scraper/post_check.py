"""Scraped ⇒ checked: ``make check``'s own rules (plugins/content_check) over a post before it is written.

The crawl writes a post only when these rules find nothing, so whatever the scraper writes
passes ``make check`` (and so builds).  The site's settings (``NEWS_COLUMNS``, languages,
``STATIC_PATHS`` …) come from the project's Pelican settings file, read once per crawl.
"""

from __future__ import annotations

import functools
import os
import tempfile
from pathlib import Path

from plugins.content_check import build_checks, checker
from plugins.content_guard import rules

PROJECT_SETTINGS = Path(__file__).resolve().parents[1] / "pelicanconf.py"


class SettingsError(ValueError):
    """The Pelican settings file cannot be read."""


@functools.lru_cache(maxsize=4)
def _settings(path: str) -> dict:
    try:
        return checker.load_settings(path)
    except Exception as exc:  # noqa: BLE001 - Pelican executes the file: any error is the file's
        raise SettingsError(f"Pelican settings {path} cannot be read ({exc.__class__.__name__}: {exc}); "
                            "give the project's pelicanconf.py with --settings") from None


def load_site_settings(path: str | os.PathLike | None = None) -> dict:
    path = Path(path) if path else PROJECT_SETTINGS
    if not path.is_file():
        raise SettingsError(f"Pelican settings {path} not found; give the project's pelicanconf.py with --settings")
    return _settings(str(path.resolve()))


def one_line(text: str) -> str:
    """Messages go to a summary with one line per problem: control characters are shown escaped."""
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in str(text))


class PostCheck:
    """``problems(text, path)``: what ``make check`` would say about ``text`` saved at ``path``."""

    def __init__(self, content_dir: Path, settings: dict):
        self.content_dir = Path(content_dir).resolve()
        self.settings = dict(settings, PATH=str(self.content_dir))

    def fit_summary(self, summary: str) -> str:
        """``summary`` shortened (ending in …) to the length ``make check`` allows, when it is longer."""
        limit = int(self.settings.get("SUMMARY_MAX_CHARS", rules.DEFAULT_SUMMARY_MAX_CHARS))
        if rules.summary_length(summary) <= limit:
            return summary
        low, high = 0, len(summary)   # the longest prefix that fits, found by bisection
        while low < high:
            middle = (low + high + 1) // 2
            if rules.summary_length(summary[:middle]) <= limit:
                low = middle
            else:
                high = middle - 1
        return summary[:low].rstrip() + "…"

    def problems(self, text: str, path: Path) -> list[str]:
        """One line per problem (``line N: English message``); empty when the post may be written."""
        found = []
        fd, tmp = tempfile.mkstemp(suffix=".md", prefix="scraped-post-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(text.encode("utf-8"))
            post = checker.read_post(Path(tmp), "article", str(path), found)
        finally:
            os.unlink(tmp)
        if post is not None:
            post.path = Path(path)   # links resolve from the folder the post will be written to
            found.extend(checker._post_problems(post, self.settings))
            # and the rules that make a checked post build (dates in range, nesting Markdown renders, …)
            found.extend(build_checks.post_problems(post, self.settings,
                                                    now=build_checks.now_in_site_time(self.settings)))
        return [one_line(f"line {p.line}: {p.finding.en} ({p.finding.fix_en})") for p in found]
