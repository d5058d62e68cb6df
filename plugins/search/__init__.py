"""Offline search over the searched columns (``SEARCH_COLUMNS``, default every news column).

Once the articles are read, this plugin brings the Whoosh index (``index.py``) up to date with the
articles — re-analysing only new or changed ones — and exports its static, sharded form into
``<output>/<SEARCH_EXPORT_DIR>/`` for ``theme/static/js/search.js``.  The command line is
``python -m plugins.search``.  See docs/search.md.

The search step needs only the articles, so by default (``SEARCH_IN_BACKGROUND``) it starts in a
forked process as soon as Pelican's articles generator has its articles (``article_generator_pretaxonomy``)
and runs while Pelican builds the rest of the site model and the other languages and renders the pages; ``finalized`` waits for it and
fails the build if it failed (``background.py``).  pelicanconf.py registers this plugin before
plugins/content_guard, so the step starts before the articles are checked: it makes its records
meanwhile, and writes nothing (index or export) until the articles generator is finalized, which
it only is once the check passed (``background.pass_gate``); a build that stops first stops it.

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


def _start_beside_rendering(generator):
    """``article_generator_pretaxonomy`` of Pelican's own articles generator (its articles and
    translations are final; plugins/content_guard checks them next, when registered after this
    plugin): with ``SEARCH_IN_BACKGROUND``, the search step is forked now, gated until
    ``_articles_checked``, while Pelican goes on with the check, the columns and tags, related
    articles, the pages, the other languages and the static files, then renders."""
    from pelican.generators import ArticlesGenerator

    settings = generator.settings
    if type(generator) is not ArticlesGenerator or getattr(generator, "is_language_variant", False) \
            or not _enabled(settings) or settings.get("SEARCH_IN_BACKGROUND", True) is False:
        return
    from . import background

    if not background.available():
        return
    _abandon()  # a build that failed before its end left its step behind (make serve)
    articles, translations = _collected(generator)
    step_settings = dict(settings)
    step_settings["OUTPUT_PATH"] = generator.output_path
    _STATE["job"] = background.start(functools.partial(
        _search_step, step_settings, generator.output_path, articles, translations, early=True), gated=True)


def _articles_checked(generator):
    """``article_generator_finalized`` of Pelican's own articles generator: every receiver of
    ``article_generator_pretaxonomy`` (plugins/content_guard's check) let the build go on, so the
    search step started beside it may write."""
    from pelican.generators import ArticlesGenerator

    job = _STATE.get("job")
    if job is not None and type(generator) is ArticlesGenerator and not getattr(generator, "is_language_variant", False):
        job.open_gate()


def _collected(generator) -> tuple[list, list]:
    """The articles and their translations (every published one, as Pelican grouped them)."""
    translations = {id(t): t for t in generator.translations}
    for article in generator.articles:
        translations.update((id(t), t) for t in getattr(article, "translations", []) or [])
    return list(generator.articles), list(translations.values())


def _collect(generators):
    """``all_generators_finalized``: the articles for a search step run after the rendering."""
    from pelican.generators import ArticlesGenerator

    if "job" in _STATE:  # started beside the rendering
        return
    _abandon()
    for generator in generators:
        # The first ArticlesGenerator is Pelican's own (the languages plugin adds per-language ones).
        if isinstance(generator, ArticlesGenerator):
            _STATE["articles"], _STATE["translations"] = _collected(generator)
            break


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


def _search_step(settings: dict, output_path: str, articles: list, translations: list, *,
                 early: bool = False) -> str:
    """Records, index and export; returns the log line that reports them.  ``early``: started when
    the articles were read, before Pelican listed the static files, so a body's ``{static}`` and
    ``{attach}`` links cannot resolve yet; the records keep the text only, which does not depend on
    where links point, and Pelican's warnings about them are not shown here (the rendering resolves
    and reports every link)."""
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
    links = logging.getLogger("pelican.contents")
    quiet, links.disabled = links.disabled, links.disabled or early
    try:
        records = records_from_articles(settings, articles, translations, columns, to_hant=converter_for(settings),
                                        cache=cache)
    finally:
        links.disabled = quiet
    del articles, translations
    from .background import pass_gate

    pass_gate()  # started before the articles were checked: nothing is written before they pass
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
    signals.article_generator_pretaxonomy.connect(_start_beside_rendering)
    signals.article_generator_finalized.connect(_articles_checked)
    signals.all_generators_finalized.connect(_collect)
    signals.finalized.connect(_build)
