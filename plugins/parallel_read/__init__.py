"""Parallel reading: the posts Pelican will read are converted from Markdown by forked workers first.

Pelican reads posts one after another on one core; at 10,000 articles that is a quarter of a build
from scratch, while the second core idles.  When Pelican's own articles generator is created
(``article_generator_init``), this plugin lists the files that generator is about to read (the same
``get_files`` call), and for each one its reader cache cannot answer, has ``READ_PROCS`` forked
workers run the very reader Pelican would use (``Readers.readers[ext].read``).  Each result goes
into the reader cache Pelican consults before reading (``Readers.get_cached_data``) under the
file's stamp taken before the read, so Pelican's loop then finds every post read and does all the
rest itself, in order, in this process: signals, metadata processing, content objects, errors.

A worker result is used only when reading the file logged nothing at warning level or above and
raised nothing: otherwise Pelican reads that file again itself, so its messages and failures are
exactly those of a sequential build.  A file changed while the workers read it has another stamp,
and Pelican reads it again too.  With ``CACHE_CONTENT`` off the cache is only this hand-over
(Pelican saves nothing).  ``READ_PROCS = 1`` turns it off; it also stays off without ``fork``,
for fewer than ``READ_MIN_FILES`` posts to read, and when the reader cache is not Pelican's.
"""

from __future__ import annotations

import io
import logging
import os
import pickle

from pelican import signals

log = logging.getLogger(__name__)

DEFAULTS = {"READ_PROCS": None, "READ_MIN_FILES": 64}
CHUNK = 32  # posts per task: large enough that pickling a task is nothing next to reading it
_FORKED: dict = {}  # what the forked workers inherit


def _procs(settings) -> int:
    configured = settings.get("READ_PROCS", DEFAULTS["READ_PROCS"])
    if configured is not None:
        return max(1, int(configured))
    return max(1, min(4, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1))


def _to_read(generator) -> list[tuple[str, str]]:
    """(absolute path, extension) of each post the generator will read that the cache cannot answer."""
    from pelican.utils import file_suffix

    readers = generator.readers
    todo = []
    for f in generator.get_files(generator.settings["ARTICLE_PATHS"],
                                 exclude=generator.settings["ARTICLE_EXCLUDES"]):
        path = os.path.abspath(os.path.join(generator.path, f))
        fmt = file_suffix(path)
        if fmt in readers.readers and readers.get_cached_data(path, (None, None))[0] is None:
            todo.append((path, fmt))
    return sorted(todo)


class _SharedPickler(pickle.Pickler):
    """Pickles the settings dict by reference: the metadata's tags and columns keep pointing at the
    build's own settings, not at a copy per task."""

    def persistent_id(self, obj):
        return "settings" if obj is _FORKED.get("settings") else None


class _SharedUnpickler(pickle.Unpickler):
    def persistent_load(self, pid):
        if pid == "settings":
            return _FORKED["settings"]
        raise pickle.UnpicklingError(f"unknown persistent id {pid!r}")


class _Capture(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.worst = 0

    def emit(self, record):
        self.worst = max(self.worst, record.levelno)


def _worker_init() -> None:
    # Messages of a worker are not shown: a file that logged a warning is read again by Pelican.
    root = logging.getLogger()
    for handler in list(root.handlers):
        root.removeHandler(handler)
    capture = _Capture()
    root.addHandler(capture)
    _FORKED["capture"] = capture


def _read_chunk(chunk: list[tuple[str, str]]) -> bytes:
    from pelican.readers import _filter_discardable_metadata

    readers, capture = _FORKED["readers"], _FORKED["capture"]
    results = []
    for path, fmt in chunk:
        capture.worst = 0
        try:
            stamp = readers._get_file_stamp(path)
            content, metadata = readers.readers[fmt].read(path)
            metadata = _filter_discardable_metadata(metadata)
        except Exception:  # noqa: BLE001 - Pelican reads it again and reports it
            continue
        if capture.worst >= logging.WARNING or stamp in (None, ""):
            continue
        buffer = io.BytesIO()
        try:
            _SharedPickler(buffer, pickle.HIGHEST_PROTOCOL).dump((content, metadata))
        except Exception:  # noqa: BLE001 - not picklable: Pelican reads it itself
            continue
        results.append((path, stamp, buffer.getvalue()))
    return pickle.dumps(results, pickle.HIGHEST_PROTOCOL)


def prefill(generator) -> int:
    """Read the generator's uncached posts in forked workers into its reader cache; how many."""
    from pelican.cache import FileStampDataCacher
    from pelican.generators import ArticlesGenerator

    settings = generator.settings
    # Pelican's own generator only (the languages plugin's variants read nothing), a cache we know.
    if type(generator) is not ArticlesGenerator or not hasattr(os, "fork"):
        return 0
    readers = getattr(generator, "readers", None)
    if not isinstance(readers, FileStampDataCacher) or not isinstance(getattr(readers, "_cache", None), dict) \
            or not hasattr(readers, "_get_file_stamp"):
        return 0
    procs = _procs(settings)
    if procs <= 1:
        return 0
    todo = _to_read(generator)
    if len(todo) < int(settings.get("READ_MIN_FILES", DEFAULTS["READ_MIN_FILES"])):
        return 0
    import multiprocessing

    try:
        from plugins.frozen_heap import frozen_heap
    except ImportError:  # loaded from PLUGIN_PATHS alone
        from frozen_heap import frozen_heap

    _FORKED.update(readers=readers, settings=settings)
    filled = 0
    try:
        chunks = [todo[i:i + CHUNK] for i in range(0, len(todo), CHUNK)]
        with frozen_heap(), multiprocessing.get_context("fork").Pool(procs, initializer=_worker_init) as pool:
            for payload in pool.imap_unordered(_read_chunk, chunks):
                for path, stamp, data in pickle.loads(payload):
                    readers._cache[path] = (stamp, _SharedUnpickler(io.BytesIO(data)).load())
                    filled += 1
    finally:
        _FORKED.clear()
    log.info("parallel_read: %d of %d posts read by %d workers", filled, len(todo), procs)
    return filled


def register():
    signals.article_generator_init.connect(prefill)
