"""Start a build from the previous site's pages (plugins/incremental).

``make site`` builds into a fresh folder and swaps it in.  Before Pelican runs, every page the
previous build's writer produced and that is still exactly as it was written (same inode, size and
modification time as recorded) is hard-linked into the fresh folder, so the incremental writer can
leave it alone; so is every copy of an image or attachment whose source has the size and
modification time it had then (Pelican then copies only changed sources: STATIC_CHECK_IF_MODIFIED).
The theme's files and the sitemap are produced afresh; the search plugin links its own export
from the previous site (plugins/search/export_update.py).  The incremental writer replaces a file it changes through a rename,
so a linked file is never changed in place — the previous site stays exactly as it was until the
swap, and after a failed build.
"""

from __future__ import annotations

import os
import pickle
from pathlib import Path

from plugins.incremental.run import PAGES_FILE, VERSION, state_dir


def links_memo(settings, output: Path) -> Path:
    """Where the link check keeps each page's links between builds (beside the incremental record)."""
    return state_dir(dict(settings, INCREMENTAL_OUTPUT=str(output), INCREMENTAL_STATE_DIR=None)) / "links.pickle"


def _size_and_time(path: str):
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_size, st.st_mtime_ns)


def prelink(settings, output: Path, fresh: Path) -> int:
    """Link the previous build's unchanged pages from ``output`` into ``fresh``; return how many."""
    if settings.get("INCREMENTAL_BUILD", True) is False or "incremental" not in (settings.get("PLUGINS") or []):
        return 0
    if settings.get("DELETE_OUTPUT_DIRECTORY"):
        return 0  # Pelican would delete them again before writing
    record = state_dir(dict(settings, INCREMENTAL_OUTPUT=str(output), INCREMENTAL_STATE_DIR=None)) / PAGES_FILE
    try:
        with open(record, "rb") as handle:
            data = pickle.load(handle)
    except Exception:
        return 0
    if not isinstance(data, dict) or data.get("version") != VERSION:
        return 0
    linked = 0
    made: set = set()
    # Pages, and copies of images and attachments whose source has not changed since (Pelican, with
    # STATIC_CHECK_IF_MODIFIED, copies only a source newer than its copy: none of these).
    wanted = [(name, stat) for name, (_fingerprint, *stat) in data.get("pages", {}).items()]
    if settings.get("STATIC_CHECK_IF_MODIFIED"):
        wanted += [(name, copy_stat) for name, (source, source_stat, copy_stat) in data.get("static", {}).items()
                   if _size_and_time(source) == tuple(source_stat)]
    for name, stat in wanted:
        source = output / name
        try:
            st = os.stat(source)
        except OSError:
            continue
        if (st.st_ino, st.st_size, st.st_mtime_ns) != tuple(stat) or os.path.isabs(name) or ".." in Path(name).parts:
            continue
        target = fresh / name
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        try:
            os.link(source, target)
        except OSError:
            return linked  # another filesystem, or no hard links: the build renders what is missing
        linked += 1
    return linked
