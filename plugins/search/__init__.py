"""Offline search over the searched columns (``SEARCH_COLUMNS``, default every news column).

At the end of the build this plugin brings the Whoosh index (``index.py``) up to date with the
articles — re-analysing only new or changed ones — and exports its static, sharded form into
``<output>/<SEARCH_EXPORT_DIR>/`` for ``theme/static/js/search.js``.  The command line is
``python -m plugins.search``.  See docs/search.md.

``SEARCH_ENABLED = False`` (``make serve QUICK=1``) leaves the index alone and builds no search
page, no export and no search box.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

from pelican import signals

log = logging.getLogger(__name__)
_STATE: dict = {}


def _collect(generators):
    from pelican.generators import ArticlesGenerator

    for generator in generators:
        # The first ArticlesGenerator is Pelican's own (the languages plugin adds per-language ones).
        if isinstance(generator, ArticlesGenerator) and "articles" not in _STATE:
            _STATE["articles"] = list(generator.articles)
            translations = {id(t): t for t in generator.translations}
            for article in generator.articles:
                translations.update((id(t), t) for t in getattr(article, "translations", []) or [])
            _STATE["translations"] = list(translations.values())


def _build(pelican):
    if not _enabled(pelican.settings):
        _STATE.clear()
        return
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

    settings = dict(pelican.settings)
    settings["OUTPUT_PATH"] = pelican.output_path
    started, started_cpu = time.perf_counter(), time.process_time()
    columns = searched_columns(settings)
    salt = records_salt(settings, columns)
    # The last build's records by the digest of their inputs: only new or changed articles are
    # made into records again.
    cache = load_record_cache(index_dir(settings), salt)
    previous = {record["key"]: record for record in cache.values()}
    cached = set(cache)
    records = records_from_articles(settings, _STATE.pop("articles", []), _STATE.pop("translations", []),
                                    columns, to_hant=converter_for(settings), cache=cache)
    # by_inputs=False: records.pickle already holds exactly these records.
    report = build_index(settings, records, by_inputs=False if set(cache) == cached else cache, salt=salt,
                         previous=previous)
    del previous, cache
    # The site names its generation; with SEARCH_SWAP_WITH_OUTPUT (`make site`) that is what makes it
    # live, when plugins/sitebuild swaps the output in.
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
            final = Path(settings.get("INCREMENTAL_OUTPUT") or pelican.output_path) / export_dir
            exported = export(search_index, Path(pelican.output_path) / export_dir, settings, to_simplified,
                              update=report, final_target=final)
        finally:
            search_index.close()
    log.info("search: %d documents (%d re-indexed, %d removed%s), %s in %.1fs (%.1fs CPU in this process)",
             report["total"], report["indexed"], report["removed"],
             f", rebuilt: {report['reason']}" if report["rebuilt"] else "",
             (f"export {exported['how']}: {exported['files']} static files ({exported['written']} written), "
              f"{exported['bytes'] // 1024} KB"
              f" ({exported['reused_entries']} posting entries reused)") if exported else "no export",
             time.perf_counter() - started, time.process_time() - started_cpu)


def _enabled(settings) -> bool:
    return settings.get("SEARCH_ENABLED", True) is not False


def _initialized(pelican):
    if not _enabled(pelican.settings):
        pelican.settings["DIRECT_TEMPLATES"] = [t for t in pelican.settings["DIRECT_TEMPLATES"] if t != "search"]


def register():
    signals.initialized.connect(_initialized)
    signals.all_generators_finalized.connect(_collect)
    signals.finalized.connect(_build)
