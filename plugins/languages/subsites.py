"""Render the site once per language, from content Pelican read once.

``LanguageSubsites`` is a Pelican generator (registered with ``get_generators``)
that runs after the article and page generators.  For every language after the
default one in ``SITE_LANGUAGES`` it builds a ``LanguageContent`` — the variants
of the articles and pages (繁體: converted copies; English: the editors'
translations) with their columns, tags and year archives — and hands it to an
ordinary Pelican ``ArticlesGenerator``/``PagesGenerator`` pair configured with
that language's settings (prefixed URLs, its gettext catalog).  Pelican's own
writing code then renders every template, paginates and writes the feeds, so a
language site is exactly the default site in another language.  Theme assets
and static files are written once and shared (all pages link to ``theme/``).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from operator import attrgetter
from urllib.parse import quote

from pelican import signals
from pelican.generators import ArticlesGenerator, PagesGenerator
from pelican.urlwrappers import Category

from .chinese import converter_for
from .freshness import annotate_freshness
from .links import UNTRANSLATED_ANCHOR, LanguageLinks, paginated_paths
from .sitemap import write_robots, write_sitemap
from .variants import TaxonomyNames, language_settings, make_variant

logger = logging.getLogger(__name__)

REGISTRY_KEY = "_language_links"
SOURCES_KEY = "_language_sources"
SITE_ARTICLES_KEY = "_site_articles"


@dataclass
class LanguageContent:
    """What one language's site contains."""

    entry: dict
    settings: dict
    articles: list = field(default_factory=list)
    hidden_articles: list = field(default_factory=list)
    pages: list = field(default_factory=list)
    hidden_pages: list = field(default_factory=list)
    categories: list = field(default_factory=list)  # [(Category, [articles])], column order
    tags: dict = field(default_factory=dict)  # {Tag: [articles]}
    dates: list = field(default_factory=list)
    period_archives: dict = field(default_factory=dict)


def columns_with_articles(settings, articles, category_for_column) -> list:
    """Every configured news column, in menu order, with its articles — empty columns too,
    so that each column has a page in every language (the toggle never leads to a 404)."""
    by_slug = defaultdict(list)
    for article in articles:
        by_slug[article.category.slug].append(article)
    return [(category_for_column(name, slug), by_slug.get(slug, [])) for name, slug in settings["NEWS_COLUMNS"]]


def main_column_category(settings):
    def make(name, slug):
        category = Category(name, settings)
        category.slug = slug
        return category

    return make


def capture_sources(generator) -> None:
    """Remember the default language's generators; complete their column list."""
    if getattr(generator, "is_language_variant", False):
        return
    sources = generator.context.setdefault(SOURCES_KEY, {})
    if isinstance(generator, ArticlesGenerator):
        sources["articles"] = generator
        existing = {category.slug: category for category, _ in generator.categories}
        make = main_column_category(generator.settings)
        generator.categories = columns_with_articles(
            generator.settings, generator.articles, lambda name, slug: existing.get(slug) or make(name, slug)
        )
        generator.context["categories"] = generator.categories
    elif isinstance(generator, PagesGenerator):
        sources["pages"] = generator


def _by_date(articles, settings):
    return sorted(articles, key=attrgetter("date"), reverse=settings.get("NEWEST_FIRST_ARCHIVES", True))


class LanguageSubsites:
    """Pelican generator: the sites of the non-default languages."""

    def __init__(self, context, settings, path, theme, output_path, **kwargs):
        self.context = context
        self.settings = settings
        self.path = path
        self.theme = theme
        self.output_path = output_path
        self.sites: list[tuple[LanguageContent, ArticlesGenerator, PagesGenerator]] = []

    # -- context ---------------------------------------------------------------------------
    def generate_context(self):
        sources = self.context.get(SOURCES_KEY, {})
        articles_gen, pages_gen = sources.get("articles"), sources.get("pages")
        if articles_gen is None or pages_gen is None:
            return
        languages = self.settings["SITE_LANGUAGES"]
        registry = LanguageLinks(self.settings)
        self.context[REGISTRY_KEY] = registry
        self.context[SITE_ARTICLES_KEY] = articles_gen.articles  # an empty feed's date (feeds.py)

        default = LanguageContent(
            entry=languages[0], settings=self.settings,
            articles=articles_gen.articles, hidden_articles=articles_gen.hidden_articles,
            pages=pages_gen.pages, hidden_pages=pages_gen.hidden_pages,
            categories=articles_gen.categories, tags=dict(articles_gen.tags),
            dates=articles_gen.dates, period_archives=articles_gen.period_archives,
        )
        registry.add_site(default.entry["code"], default)
        set_language_context(self.context, default.entry)

        # Translations are rendered by their own language's site, not by the default one.
        translations = defaultdict(list)
        for item in articles_gen.translations + articles_gen.hidden_translations:
            translations[("articles", item.lang)].append(item)
        for item in pages_gen.translations + pages_gen.hidden_translations:
            translations[("pages", item.lang)].append(item)
        articles_gen.translations, articles_gen.hidden_translations = [], []
        pages_gen.translations, pages_gen.hidden_translations = [], []

        for entry in languages[1:]:
            site, articles_variant, pages_variant = self._build_language(entry, default, translations)
            registry.add_site(entry["code"], site)
            self.sites.append((site, articles_variant, pages_variant))

        self._register_counterparts(registry, default)

    def _build_language(self, entry, default, translations):
        converter = converter_for(self.settings) if entry["source"] == "opencc" else None
        settings = language_settings(self.settings, entry, converter)
        # The variants' generators read no file: they must not load Pelican's content cache (each
        # would unpickle every cached post again: +200 MB and seconds at 10,000 articles).
        settings["LOAD_CONTENT_CACHE"] = False
        settings["READ_PROCS"] = 1  # nor have plugins/parallel_read read every post again for them
        names = TaxonomyNames(settings, entry, converter)

        def variants(items):
            return [make_variant(item, entry, settings, names, converter) for item in items]

        if entry["source"] == "opencc":
            articles, hidden = variants(default.articles), variants(default.hidden_articles)
            pages, hidden_pages = variants(default.pages), variants(default.hidden_pages)
        else:
            code = entry["code"]
            chosen = variants(translations[("articles", code)])
            articles = _by_date([a for a in chosen if a.status == "published"], settings)
            hidden = [a for a in chosen if a.status == "hidden"]
            chosen_pages = variants(translations[("pages", code)])
            pages = [p for p in chosen_pages if p.status == "published"]
            hidden_pages = [p for p in chosen_pages if p.status == "hidden"]
            annotate_freshness(articles + hidden + pages)

        site = LanguageContent(entry=entry, settings=settings, articles=articles, hidden_articles=hidden,
                               pages=pages, hidden_pages=hidden_pages)
        make_main = main_column_category(self.settings)
        site.categories = columns_with_articles(
            settings, articles, lambda name, slug: names.category(make_main(name, slug))
        )
        tags = defaultdict(list)
        for article in articles:
            for tag in getattr(article, "tags", []):
                tags[tag].append(article)
        site.tags = dict(tags)
        site.dates = _by_date(articles, settings)

        context = dict(self.context)
        context.update(settings)
        set_language_context(context, entry)
        context["pages"], context["hidden_pages"] = pages, hidden_pages
        for item in articles + hidden + pages + hidden_pages:
            item._context = context  # relative links inside the content follow this language's pages

        articles_variant = ArticlesGenerator(
            context=context, settings=settings, path=self.path, theme=self.theme, output_path=self.output_path
        )
        articles_variant.is_language_variant = True
        articles_variant.articles, articles_variant.hidden_articles = articles, hidden
        articles_variant.categories, articles_variant.tags = site.categories, site.tags
        articles_variant.dates = site.dates
        site.period_archives = articles_variant._build_period_archives(site.dates, articles, settings)
        articles_variant.period_archives = site.period_archives
        articles_variant.authors = {}
        articles_variant._update_context(("articles", "hidden_articles", "dates", "tags", "categories"))
        context["period_archives"] = site.period_archives
        context["drafts"], context["authors"] = [], []
        signals.article_generator_finalized.send(articles_variant)

        pages_variant = PagesGenerator(
            context=context, settings=settings, path=self.path, theme=self.theme, output_path=self.output_path
        )
        pages_variant.is_language_variant = True
        pages_variant.pages, pages_variant.hidden_pages = pages, hidden_pages
        return site, articles_variant, pages_variant

    def _register_counterparts(self, registry: LanguageLinks, default: LanguageContent) -> None:
        sites = [default] + [site for site, _, _ in self.sites]
        # Variants of the same article or page, whatever their paths.
        groups = defaultdict(dict)
        for site in sites:
            for item in site.articles + site.hidden_articles + site.pages + site.hidden_pages:
                groups[_group_key(item)][site.entry["code"]] = item
        for variants in groups.values():
            registry.link_items(variants)
        # Where a page has no counterpart, the nearest useful page of that language.
        for site in sites:
            code = site.entry["code"]
            for other in sites:
                if other is site:
                    continue
                other_code = other.entry["code"]
                column_pages = {cat.slug: cat.save_as for cat, _ in other.categories}
                for article in site.articles + site.hidden_articles:
                    target = column_pages.get(article.category.slug, other.settings["INDEX_SAVE_AS"])
                    # ?from=: the notice there links back to this article (theme/static/js/site.js).
                    path = registry.save_as(article)
                    back = quote(path, safe="/")
                    registry.set_fallbacks(code, path,
                                           {other_code: f"{target}?from={back}#{UNTRANSLATED_ANCHOR}"})
                for page in site.pages + site.hidden_pages:
                    registry.set_fallbacks(code, registry.save_as(page),
                                           {other_code: f"{other.settings['INDEX_SAVE_AS']}#{UNTRANSLATED_ANCHOR}"})
                for category, items in site.categories:
                    target = column_pages.get(category.slug, other.settings["INDEX_SAVE_AS"])
                    for path in paginated_paths(category.save_as, category.url, items, site.settings, "category"):
                        registry.set_fallbacks(code, path, {other_code: target})
                for tag, items in site.tags.items():
                    for path in paginated_paths(tag.save_as, tag.url, items, site.settings, "tag"):
                        registry.set_fallbacks(code, path, {other_code: other.settings["TAGS_SAVE_AS"]})
                for archive in site.period_archives.get("year", []):
                    registry.set_fallbacks(code, archive["save_as"], {other_code: other.settings["ARCHIVES_SAVE_AS"]})

    def subgenerators(self):
        """The Pelican generators that render the other languages (see plugins/frozen_urls)."""
        for _site, articles_variant, pages_variant in self.sites:
            yield articles_variant
            yield pages_variant

    # -- output ----------------------------------------------------------------------------
    def generate_output(self, writer):
        for _site, articles_variant, pages_variant in self.sites:
            pages_variant.generate_output(writer)
            articles_variant.generate_output(writer)
        registry = self.context.get(REGISTRY_KEY)
        if registry is not None:
            write_sitemap(self.output_path, self.settings, registry)
            if self.settings.get("ROBOTS_TXT"):
                write_robots(self.output_path, self.settings)


def _group_key(item) -> int:
    """The identity of the default-language original an item is a version of."""
    source = getattr(item, "original", item)
    if not getattr(source, "in_default_lang", True):
        for other in getattr(source, "translations", []):
            if getattr(other, "in_default_lang", False):
                return id(other)
    return id(source)


def set_language_context(context: dict, entry: dict) -> None:
    context["lang_code"] = entry["code"]
    context["page_lang"] = entry["tag"]
    context["lang_prefix"] = entry["prefix"]
    context["language"] = entry
