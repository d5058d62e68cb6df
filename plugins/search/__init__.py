"""Offline search over the searched columns (``SEARCH_COLUMNS``, default every news column).

Once the articles are read, this plugin brings the Whoosh index (``index.py``) up to date with the
articles — re-analysing only new or changed ones — and exports its static, sharded form into
``<output>/<SEARCH_EXPORT_DIR>/`` for ``theme/static/js/search.js``.  The command line is
``python -m plugins.search``.  See docs/search.md.

The search step needs only the articles, so by default (``SEARCH_IN_BACKGROUND``) it starts in a
forked process as soon as they are read (``all_generators_finalized``) and runs while Pelican renders
the pages; ``finalized`` waits for it and fails the build if it failed (``background.py``).

``SEARCH_ENABLED = False`` (``make serve QUICK=1``) leaves the index alone and builds no search
page, no export and no search box.
"""

from __future__ import annotations

import functools
import logging
import time
from pathlib import Path

from pelican import signals

log = logging.getLogger(__name__)
_STATE: dict = {}


def _collect(generators):
    from pelican.generators import ArticlesGenerator

    _abandon()
    for generator in generators:
        # The first ArticlesGenerator is Pelican's own (the languages plugin adds per-language ones).
        if isinstance(generator, ArticlesGenerator) and "articles" not in _STATE:
            _STATE["articles"] = list(generator.articles)
            translations = {id(t): t for t in generator.translations}
            for article in generator.articles:
                translations.update((id(t), t) for t in getattr(article, "translations", []) or [])
            _STATE["translations"] = list(translations.values())
            settings = generator.settings
            if _enabled(settings) and settings.get("SEARCH_IN_BACKGROUND", True) is not False:
                from . import background

                if background.available():
                    # Everything the search needs is read: it runs beside Pelican's rendering.
                    step_settings = dict(settings)
                    step_settings["OUTPUT_PATH"] = generator.output_path
                    articles, translations = _STATE.pop("articles"), _STATE.pop("translations")
                    _STATE["job"] = background.start(functools.partial(
                        _search_step, step_settings, generator.output_path, articles, translations))
                    del articles, translations


def _abandon() -> None:
    """Forget (and stop) what a build that failed before ``finalized`` left behind."""
    job = _STATE.pop("job", None)
    if job is not None:
        job.kill()
    _STATE.clear()


def _build(pelican):
    if not _enabled(pelican.settings):
        _abandon()
        return
    started = time.perf_counter()
    job = _STATE.pop("job", None)
    if job is not None:
        line = job.wait()
        log.info("%s; waited %.1fs for it after rendering", line, time.perf_counter() - started)
        return
    settings = dict(pelican.settings)
    settings["OUTPUT_PATH"] = pelican.output_path
    log.info("%s", _search_step(settings, pelican.output_path, _STATE.pop("articles", []),
                                _STATE.pop("translations", [])))


def _search_step(settings: dict, output_path: str, articles: list, translations: list) -> str:
    """Records, index and export; returns the log line that reports them."""
    from ._compat import converter_for
    from .documents import records_from_articles, records_salt
    from .export import export
    from .index import load_record_cache, write_pointer
    from .query import (
        build_index,
        generation_pointer,
        index_dir,
        normaliser_for,
        open_or_rebuild,
        searched_columns,
        setting,
    )

    started, started_cpu = time.perf_counter(), time.process_time()
    columns = searched_columns(settings)
    salt = records_salt(settings, columns)
    # The last build's records by the digest of their inputs: only new or changed articles are
    # made into records again.
    cache = load_record_cache(index_dir(settings), salt)
    previous = {record["key"]: record for record in cache.values()}
    cached = set(cache)
    records = records_from_articles(settings, articles, translations, columns, to_hant=converter_for(settings),
                                    cache=cache)
    del articles, translations
    # by_inputs=False: records.pickle already holds exactly these records.
    report = build_index(settings, records, by_inputs=False if set(cache) == cached else cache, salt=salt,
                         previous=previous)
    del previous, cache
    # The site names its generation; with SEARCH_SWAP_WITH_OUTPUT (`make site`) that is what makes it
    # live, when plugins/sitebuild swaps the output in.  (Running beside the rendering, this step
    # may come first to a new output folder.)
    Path(output_path).mkdir(parents=True, exist_ok=True)
    write_pointer(generation_pointer(settings), Path(report["path"]))
    export_dir = setting(settings, "SEARCH_EXPORT_DIR")
    exported = None
    if export_dir:
        search_index, _ = open_or_rebuild(settings, deep=False)
        if report.get("store") is not None and Path(search_index.gen) == Path(report["path"]):
            search_index._store = report["store"]  # just written: not read back
        report["store"] = None
        try:
            to_simplified = normaliser_for(settings)._t2s
            # `make site` builds into a temporary folder that becomes INCREMENTAL_OUTPUT.
            final = Path(settings.get("INCREMENTAL_OUTPUT") or output_path) / export_dir
            exported = export(search_index, Path(output_path) / export_dir, settings, to_simplified,
                              update=report, final_target=final)
        finally:
            search_index.close()
    rebuilt = f", rebuilt: {report['reason']}" if report["rebuilt"] else ""
    export_line = (f"export {exported['how']}: {exported['files']} static files ({exported['written']} written), "
                   f"{exported['bytes'] // 1024} KB ({exported['reused_entries']} posting entries reused)"
                   if exported else "no export")
    return (f"search: {report['total']} documents ({report['indexed']} re-indexed, {report['removed']} removed"
            f"{rebuilt}), {export_line} in {time.perf_counter() - started:.1f}s"
            f" ({time.process_time() - started_cpu:.1f}s CPU in this process)")


def _enabled(settings) -> bool:
    return settings.get("SEARCH_ENABLED", True) is not False


def _initialized(pelican):
    if not _enabled(pelican.settings):
        pelican.settings["DIRECT_TEMPLATES"] = [t for t in pelican.settings["DIRECT_TEMPLATES"] if t != "search"]


def register():
    signals.initialized.connect(_initialized)
    signals.all_generators_finalized.connect(_collect)
    signals.finalized.connect(_build)
