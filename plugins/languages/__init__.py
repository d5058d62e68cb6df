"""Languages: 简体中文 (default), 繁體中文 (generated with OpenCC) and English (translations).

Pelican reads each post once.  This plugin then

* spells language codes one way (``Lang: zh-Hans`` → ``zh-hans`` inside Pelican,
  ``zh-Hans`` in ``<html lang>`` and hreflang) — ``codes.py``;
* installs each language's gettext catalog in its Jinja environment (繁體's is the
  Simplified catalog converted with OpenCC) — ``catalogs.py``;
* renders the non-default languages under their prefixes from variants of the
  content made once per item (``variants.py``, ``subsites.py``);
* gives every page the language toggle's targets and hreflang alternates, falling
  back to a useful page (never a 404) — ``links.py``; writes ``sitemap.xml`` —
  ``sitemap.py``; flags English translations whose original changed — ``freshness.py``;
* writes each ``{attach}``-linked file once, linked from every language — ``attachments.py``.

Settings: ``SITE_LANGUAGES``, ``ZH_HANT_OPENCC_CONFIG``, ``ZH_HANT_PHRASES_FILE``,
``LOCALIZED_SETTINGS`` (see pelicanconf.py and docs/languages.md); ``BUILD_LANGUAGES`` (the
codes to build, the default language always included; unset: all — ``make serve QUICK=1``
previews 简体 and English only).
"""

from pelican import signals

from .attachments import place_attachments, unquote_static_links
from .catalogs import install
from .chinese import converter_for
from .codes import language_table, normalise_metadata_lang
from .feeds import feed_page, newest_date, plain_titles
from .subsites import REGISTRY_KEY, LanguageSubsites, capture_sources, set_language_context
from .variants import localized_date, localized_month


def _setup_environment(generator) -> None:
    """Each generator renders one language: its catalog, and the toggle's targets."""
    env = getattr(generator, "env", None)
    if env is None:
        return
    settings = generator.settings
    entry = language_table(settings)[settings["DEFAULT_LANG"]]
    converter = converter_for(settings) if entry["source"] == "opencc" else None
    install(env, settings["THEME_TRANSLATIONS_DIR"], entry.get("catalog"), converter)
    context = generator.context

    def language_links(output_file):
        registry = context.get(REGISTRY_KEY)
        return registry.for_page(output_file) if registry is not None else []

    def month_year(date):
        return localized_month(date, entry)

    # What each reads, for plugins/incremental: the toggle depends on the page and the site's
    # languages; the month's name on the date and the language's settings only.
    language_links.incremental_reads = "output_file"
    month_year.incremental_reads = "nothing"
    env.globals["language_links"] = language_links
    env.filters["month_year"] = month_year
    set_language_context(generator.context, entry)


def _articles_read(generator) -> None:
    if not getattr(generator, "is_language_variant", False):
        default = generator.settings["SITE_LANGUAGES"][0]
        for article in generator.articles + generator.hidden_articles + generator.drafts:
            article.locale_date = localized_date(article.date, default)
    capture_sources(generator)


def _label_feed(context, feed) -> None:
    """Each language's feed is its own: its own id (the feed's URL), link and xml:lang; a column's
    feed links to the column's page; its date is its newest entry's, never the build time."""
    if "language" not in context:
        return
    feed.feed["id"] = feed.feed["feed_url"]
    feed.feed["language"] = context["language"]["tag"]
    if context.get("SITEURL"):
        page = feed_page(context, feed.feed["feed_url"]) or context["INDEX_SAVE_AS"]
        feed.feed["link"] = f"{context['SITEURL']}/{page}"
    if not feed.items:
        newest = newest_date(context)
        feed.latest_post_date = lambda: newest


def _only_built_languages(pelican) -> None:
    """``BUILD_LANGUAGES``: drop the other languages from ``SITE_LANGUAGES`` for this build (every
    part of the plugin reads that list, so toggles and alternates only offer what is built)."""
    wanted = pelican.settings.get("BUILD_LANGUAGES")
    if not wanted:
        return
    languages = pelican.settings["SITE_LANGUAGES"]
    wanted = {str(code).lower() for code in wanted}
    unknown = wanted - {entry["code"] for entry in languages}
    if unknown:
        raise ValueError(f"BUILD_LANGUAGES: unknown language(s) {sorted(unknown)}; "
                         f"SITE_LANGUAGES has {[entry['code'] for entry in languages]}")
    pelican.settings["SITE_LANGUAGES"] = [languages[0]] + [e for e in languages[1:] if e["code"] in wanted]


def _place_attachments(generators) -> None:
    variants = []
    for generator in generators:
        for site, _articles, _pages in getattr(generator, "sites", None) or ():
            variants += site.articles + site.hidden_articles + site.pages + site.hidden_pages
    place_attachments(generators, variants)


def _get_generators(pelican):
    return LanguageSubsites


def register():
    signals.initialized.connect(_only_built_languages)
    signals.article_generator_context.connect(normalise_metadata_lang)
    signals.page_generator_context.connect(normalise_metadata_lang)
    signals.generator_init.connect(_setup_environment)
    signals.article_generator_finalized.connect(_articles_read)
    signals.page_generator_finalized.connect(capture_sources)
    signals.get_generators.connect(_get_generators)
    signals.page_generator_finalized.connect(unquote_static_links)
    signals.all_generators_finalized.connect(_place_attachments)
    signals.feed_generated.connect(_label_feed)
    signals.feed_generated.connect(plain_titles)
