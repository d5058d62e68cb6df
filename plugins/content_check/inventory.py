"""Every entry under content/, classified without following links or opening special files.

A regular Markdown file in ``ARTICLE_PATHS``/``PAGE_PATHS`` is a post; another regular file in
``STATIC_PATHS`` is an asset (copied to the site); the project's own data files under content/
(``ZH_HANT_PHRASES_FILE``) are known; hidden and ``IGNORE_FILES`` entries are skipped, as
Pelican skips them.  Everything else is reported, naming the file: a Markdown file Pelican would
never publish (``content/x.md``), a file no page will ever have, a symbolic link (broken,
looping, or to a folder: Pelican follows them, a link to ``..`` reads content/ again and again),
a pipe named ``.md`` (reading it would hang the build), a name that is not UTF-8.
"""

from __future__ import annotations

import fnmatch
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from plugins.content_guard import build_rules
from plugins.content_guard.rules import Problem

MARKDOWN_EXTENSIONS = (".md", ".markdown", ".mkd", ".mdown")
# Posts in another format: Pelican's readers for them are off (pelicanconf.py READERS), so the file
# would be copied raw — an HTML page with its scripts and links unchecked, or reStructuredText as text.
OTHER_POST_EXTENSIONS = (".html", ".htm", ".rst")


@dataclass
class Inventory:
    posts: list[tuple[Path, str]] = field(default_factory=list)  # (file, "article" | "page")
    assets: list[Path] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # the subset Pelican cannot survive: it follows links (a link to `..` never ends) and opens pipes
    unsafe: list[Problem] = field(default_factory=list)


def ignored(rel: str, patterns) -> bool:
    name = os.path.basename(rel)
    return (name.startswith(".") or any(fnmatch.fnmatch(name, p) or fnmatch.fnmatch(rel, p) for p in patterns))


def under(rel: str, folders) -> bool:
    return any(f in ("", ".") or rel == f or rel.startswith(f.rstrip("/") + "/") for f in folders)


def _link_state(path: Path, content: Path) -> str:
    try:
        target = path.resolve(strict=True)
    except RuntimeError:
        return "loop"
    except OSError as error:
        return "loop" if error.errno == 40 else "broken"
    if target.is_dir():
        return "folder"
    if content not in target.parents:
        return "outside"
    return "file"


# Settings naming the project's own data files, which may live under content/.
DATA_FILE_SETTINGS = ("ZH_HANT_PHRASES_FILE",)


def known_data_files(settings) -> set[str]:
    """Paths (relative to the settings' ``PATH``) of the project's data files under content/; call
    it with the settings as loaded, so the same files are known in a copy of content/."""
    root = os.path.abspath(settings.get("PATH") or "content")
    known = set()
    for key in DATA_FILE_SETTINGS:
        value = settings.get(key)
        if isinstance(value, str) and value:
            rel = os.path.relpath(os.path.abspath(value), root)
            if not rel.startswith(".."):
                known.add(Path(rel).as_posix())
    return known


def take_inventory(content: Path, settings, where, known=()) -> Inventory:
    """``where(path) -> str`` names a file in messages; ``known``: data files (``known_data_files``)."""
    content = Path(content).resolve()
    patterns = settings.get("IGNORE_FILES", ["**/.*"])
    article_paths = settings.get("ARTICLE_PATHS", [""])
    page_paths = settings.get("PAGE_PATHS", ["pages"])
    static_paths = settings.get("STATIC_PATHS", ["images"])
    found = Inventory()

    def report(path: Path, finding, *, unsafe: bool = False):
        problem = Problem(where(path), None, finding)
        found.problems.append(problem)
        if unsafe:
            found.unsafe.append(problem)

    for dirpath, dirs, files in os.walk(content, followlinks=False):
        folder = Path(dirpath)
        for name in sorted(dirs):
            path = folder / name
            rel = path.relative_to(content).as_posix()
            if ignored(rel, patterns):
                dirs.remove(name)
            elif path.is_symlink():
                report(path, build_rules.symlink_problem(_link_state(path, content)), unsafe=True)
        dirs.sort()
        for name in sorted(files):
            path = folder / name
            rel = path.relative_to(content).as_posix()
            if ignored(rel, patterns):
                continue
            try:
                name.encode("utf-8")
            except UnicodeEncodeError:
                report(path, build_rules.undecodable_name(), unsafe=True)
                continue
            try:
                mode = os.lstat(path).st_mode
            except OSError as error:
                report(path, build_rules.unreadable_file(error.strerror or str(error)))
                continue
            if stat.S_ISLNK(mode):
                report(path, build_rules.symlink_problem(_link_state(path, content)), unsafe=True)
            elif not stat.S_ISREG(mode):
                report(path, build_rules.special_file(), unsafe=True)
            elif path.suffix.lower() in MARKDOWN_EXTENSIONS and path.suffix not in MARKDOWN_EXTENSIONS:
                # Pelican reads `.md`, never `.MD`: such a file would be copied as a text file.
                report(path, build_rules.extension_case(path.suffix))
            elif path.suffix in MARKDOWN_EXTENSIONS:
                if under(rel, page_paths):
                    found.posts.append((path, "page"))
                elif under(rel, article_paths):
                    found.posts.append((path, "article"))
                else:
                    report(path, build_rules.post_not_published(article_paths, page_paths))
            elif path.suffix.lower() in OTHER_POST_EXTENSIONS:
                report(path, build_rules.not_markdown(path.suffix))
            elif under(rel, static_paths):
                found.assets.append(path)
            elif rel not in known:
                report(path, build_rules.file_not_published(static_paths))
    return found
