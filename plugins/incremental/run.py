"""One build's incremental bookkeeping: the previous build's record, this build's fingerprints, the
pages no longer produced, and Pelican's content cache kept consistent with both.

The record lives outside the output (``<parent of output>/.incremental/<output name>/``, or
``INCREMENTAL_STATE_DIR``), so the site itself stays byte for byte what a from-scratch build writes:

* ``pages.pickle`` — for every file the writer produced: its fingerprint and the (inode, size,
  modification time) it had when written;
* ``content-cache/<global digest>/`` — Pelican's reader cache (``CACHE_PATH``), one per global
  digest, so a changed setting, theme, plugin or library never reuses a parse made under another;
  each cache file is trusted only if ``complete.pickle`` (written after the build) names its exact
  size and modification time — a build killed while Pelican saved its cache leaves no torn pickle
  behind to stop the next one.

``INCREMENTAL_OUTPUT``: the folder the output will be once in place (``make site`` builds into a
temporary folder and swaps it in); default the output folder itself.  ``INCREMENTAL_BUILD = False``
renders every page (files are still written only when their bytes changed).
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import shutil
from pathlib import Path

from pelican.contents import Content

try:
    from plugins import build_memo
    from plugins.atomic_file import write_atomically, write_new
    from plugins.frozen_urls import content_items
except ImportError:  # pragma: no cover - Pelican put plugins/ itself on sys.path
    import build_memo
    from atomic_file import write_atomically, write_new
    from frozen_urls import content_items

from .ahead import AHEAD_MIN_ITEMS, digest_ahead
from .digest import TOP_DEPTH, Digester
from .environment import TemplateReads, global_digest, global_inputs

log = logging.getLogger(__name__)
VERSION = 1
PAGES_FILE = "pages.pickle"
CACHE_FOLDER = "content-cache"
COMPLETE_FILE = "complete.pickle"


def state_dir(settings) -> Path:
    explicit = settings.get("INCREMENTAL_STATE_DIR")
    if explicit:
        return Path(explicit)
    output = Path(settings.get("INCREMENTAL_OUTPUT") or settings["OUTPUT_PATH"]).absolute()
    return output.parent / ".incremental" / output.name


def _stat(path: str):
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_ino, st.st_size, st.st_mtime_ns)


class IncrementalRun:
    def __init__(self, settings):
        self.settings = settings
        self.output = os.path.abspath(settings["OUTPUT_PATH"])
        self.enabled = settings.get("INCREMENTAL_BUILD", True) is not False
        self.dir = state_dir(settings)
        self.digest = global_digest(settings)
        self.digester = Digester()
        self._reads: dict = {}
        self.previous = self._load_previous()
        self.pending: dict[str, bytes] = {}
        self.records: dict[str, tuple] = {}
        self.static: dict[str, tuple] = {}
        self.rendered = self.skipped = self.written = 0
        self.generators = None
        self.ahead = 0
        # INCREMENTAL_EXPLAIN: keep each page's per-name digests and log why a page was rendered.
        self.explain = bool(settings.get("INCREMENTAL_EXPLAIN"))
        self.parts: dict[str, dict] = {}
        self.reasons: dict[str, str] = {}

    # -- the previous build -------------------------------------------------------------------
    def _load_previous(self) -> dict:
        if not self.enabled:
            return {}
        try:
            with open(self.dir / PAGES_FILE, "rb") as handle:
                data = pickle.load(handle)
        except FileNotFoundError:
            return {}
        except Exception as error:  # a torn or foreign file: render everything, say so
            log.info("incremental: ignoring %s (%s); every page is rendered", self.dir / PAGES_FILE, error)
            return {}
        if not isinstance(data, dict) or data.get("version") != VERSION:
            return {}
        if data.get("digest") != self.digest:
            log.info("incremental: settings, theme, plugins or libraries changed; every page is rendered")
            # The files it wrote are still known: pages no longer produced are removed at the end.
            return {"pages": {name: (None, *rest) for name, (_fp, *rest) in data.get("pages", {}).items()}}
        return data

    # -- per page -----------------------------------------------------------------------------
    def fingerprint(self, template, localcontext) -> bytes | None:
        """The page's fingerprint, or None when the template reads something unnamed."""
        env = template.environment
        reads = self._reads.get(id(env))
        if reads is None:
            reads = self._reads[id(env)] = (env, TemplateReads(env))
        names, sure = reads[1].of(template.name)
        if not sure:
            return None
        page_values, sure = global_inputs(env, names, localcontext)
        if not sure:
            return None
        d = self.digester
        parts = [self.digest.encode(), template.name.encode(), d.value(page_values)]
        for name in sorted(names):
            if name not in localcontext:
                parts.append(b"-" + name.encode())
                continue
            # Memoised by identity: the site's lists are the same objects on every page.
            value = localcontext[name]
            # A page's own item is walked two levels deep (its related articles' titles and bodies);
            # the items of a list one level (their own fields), as list templates show them.
            depth = TOP_DEPTH if isinstance(value, Content) else TOP_DEPTH - 1
            parts.append(name.encode() + b"=" + d.shared(value, depth))
        if self.explain:
            self.parts[localcontext.get("output_file")] = dict(zip(["<global>", "<template>", "<functions>"]
                                                                   + sorted(names), parts, strict=True))
        return hashlib.blake2b(b"\0".join(parts), digest_size=16).digest()

    def digest_ahead(self) -> int:
        """A rebuild, before its first page: every item's own digest, on both cores (``ahead.py``).
        ``INCREMENTAL_AHEAD_MIN_ITEMS``: fewer items than that are left to the writer (default
        2,000)."""
        if not self.enabled or not self.previous.get("pages") or self.generators is None:
            return 0
        least = self.settings.get("INCREMENTAL_AHEAD_MIN_ITEMS", AHEAD_MIN_ITEMS)
        self.ahead = digest_ahead(self.digester, content_items(self.generators), least)
        return self.ahead

    def unchanged(self, name: str, fingerprint: bytes) -> bool:
        old = self.previous.get("pages", {}).get(name)
        if old is None or old[0] != fingerprint:
            self._say_why(name, "new page" if old is None else None)
            return False
        if _stat(os.path.join(self.output, name)) != tuple(old[1:]):
            self._say_why(name, "the file is not the one the last build wrote")
            return False
        return True

    def _say_why(self, name: str, reason: str | None) -> None:
        if not self.explain:
            return
        if reason is None:
            before = self.previous.get("explain", {}).get(name, {})
            now = self.parts.get(name, {})
            reason = "changed: " + ", ".join(k for k in now if before.get(k) != now[k])
        self.reasons[name] = reason
        log.info("incremental: rendering %s (%s)", name, reason)

    def write_if_changed(self, path: str, data: bytes) -> None:
        """A file that exists is replaced by rename (a reader sees old or new bytes; a hard link to
        the previous site keeps its own); a new one is written in place: nothing refers to it yet,
        and a build killed while writing it left no record of it, so the next build renders and
        writes it again."""
        try:
            with open(path, "rb") as handle:
                same = handle.read() == data
        except FileNotFoundError:
            if write_new(path, data):
                self.written += 1
                return
            same = False
        except OSError:
            same = False
        if not same:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            write_atomically(path, data)
            self.written += 1

    def produced(self, path: str) -> None:
        name = os.path.relpath(path, self.output)
        self.records[name] = (self.pending.pop(name, None), *(_stat(path) or (None, None, None)))

    def note_static(self, generators) -> None:
        """Each copied file's source (stat) and output, so that ``make site`` can start from the
        previous site's copies of unchanged images and attachments (plugins/sitebuild/prelink.py)."""
        for generator in generators:
            for static in getattr(generator, "staticfiles", None) or ():
                source = os.path.join(self.settings["PATH"], static.source_path)
                self.static[static.save_as] = (source,)

    # -- the end ------------------------------------------------------------------------------
    def finish(self) -> None:
        removed = self._remove_gone()
        self.dir.mkdir(parents=True, exist_ok=True)
        static = {}
        for name, (source,) in self.static.items():
            source_stat, copy_stat = _stat(source), _stat(os.path.join(self.output, name))
            if source_stat and copy_stat:
                static[name] = (source, source_stat[1:], copy_stat)
        data = {"version": VERSION, "digest": self.digest, "pages": self.records, "static": static,
                "counts": {"rendered": self.rendered, "skipped": self.skipped, "written": self.written,
                           "removed": removed, "ahead": self.ahead}}
        if self.explain:
            data["explain"], data["reasons"] = self.parts, self.reasons
        write_atomically(str(self.dir / PAGES_FILE), pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL))
        build_memo.save_all()
        mark_cache_complete(self.settings)
        log.info("incremental: %d pages rendered, %d unchanged, %d files written, %d removed "
                 "(%d item digests computed ahead by a second process)",
                 self.rendered, self.skipped, self.written, removed, self.ahead)

    def _remove_gone(self) -> int:
        """Files the previous build's writer produced that this build did not: gone pages (an
        article deleted, moved to another date or column), removed as a build from scratch would
        not have them.  Only a file still exactly as that build left it is removed."""
        removed = 0
        for name, (_fp, *stat) in self.previous.get("pages", {}).items():
            if name in self.records:
                continue
            path = os.path.join(self.output, name)
            if _stat(path) == tuple(stat):
                os.unlink(path)
                removed += 1
                _prune_empty(os.path.dirname(path), self.output)
        return removed


def _prune_empty(folder: str, root: str) -> None:
    root = os.path.abspath(root)
    folder = os.path.abspath(folder)
    while folder != root and folder.startswith(root + os.sep):
        try:
            os.rmdir(folder)
        except OSError:
            return
        folder = os.path.dirname(folder)


# -- Pelican's content cache ------------------------------------------------------------------
def prepare_cache(settings, digest: str) -> None:
    """Point ``CACHE_PATH`` at this digest's cache; drop torn cache files and other digests' caches."""
    if not settings.get("CACHE_CONTENT") and not settings.get("LOAD_CONTENT_CACHE"):
        return
    root = state_dir(settings) / CACHE_FOLDER
    path = root / digest
    settings["CACHE_PATH"] = str(path)
    if root.is_dir():
        for other in root.iterdir():
            if other.name != digest:
                shutil.rmtree(other, ignore_errors=True)
    if not path.is_dir():
        return
    try:
        with open(path / COMPLETE_FILE, "rb") as handle:
            complete = pickle.load(handle)
    except Exception:
        complete = {}
    for entry in path.iterdir():
        if entry.name == COMPLETE_FILE:
            continue
        if complete.get(entry.name) != _stat(str(entry)):
            entry.unlink(missing_ok=True)


def mark_cache_complete(settings) -> None:
    path = Path(settings.get("CACHE_PATH", ""))
    if not settings.get("CACHE_CONTENT") or not path.is_dir() or CACHE_FOLDER not in path.parts:
        return
    stats = {entry.name: _stat(str(entry)) for entry in path.iterdir() if entry.name != COMPLETE_FILE}
    write_atomically(str(path / COMPLETE_FILE), pickle.dumps(stats))


__all__ = ["IncrementalRun", "prepare_cache", "state_dir", "TOP_DEPTH"]
