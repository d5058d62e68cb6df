"""Incremental builds that equal a build from scratch, byte for byte.

A build renders only the pages whose inputs changed, writes only files whose bytes changed, and
removes the pages it no longer produces.  What a page depends on is found, not declared: the names
its template (and everything the template includes) can read, by Jinja's analysis, and a digest of
each value (``digest.py``, ``environment.py``).  When it cannot be sure — a setting, the theme, a
plugin or a library changed, a template uses a filter or function that does not say what it reads,
or the previous build's record is missing or torn — it renders everything (``run.py``).

Pelican's content cache (``CACHE_CONTENT``/``LOAD_CONTENT_CACHE``) is kept per global digest beside
the record, so a parse is never reused under other settings.

Signals: ``get_generators`` (every run, also each run of ``make serve``'s autoreload: a fresh record
of the previous build and a fresh cache location), ``get_writer`` (the writer) and ``finalized``
(the record saved, gone pages removed).  Registered last in ``PLUGINS`` so that every other plugin's
settings changes are part of the digest.  See docs/performance.md, "Incremental builds".
"""

from __future__ import annotations

from pelican import signals

from .run import IncrementalRun, prepare_cache
from .writer import IncrementalWriter

_CURRENT: dict = {}


def _start(pelican):
    run = IncrementalRun(pelican.settings)
    prepare_cache(pelican.settings, run.digest)
    _CURRENT["run"] = run
    return None  # no generator of its own


def _generators_ready(generators):
    run = _CURRENT.get("run")
    if run is not None:
        run.note_static(generators)
        run.generators = generators


def _writer(pelican):
    run = _CURRENT.get("run")
    if run is not None:
        run.digest_ahead()  # after Pelican's last changes to the items (intersite links in summaries)

    class Writer(IncrementalWriter):
        pass

    Writer.run = run
    return Writer


def _finish(pelican):
    run = _CURRENT.pop("run", None)
    if run is not None:
        run.finish()


def register():
    signals.get_generators.connect(_start)
    signals.all_generators_finalized.connect(_generators_ready)
    signals.get_writer.connect(_writer)
    signals.finalized.connect(_finish)
