"""Content guard: refuse to build a site from content that would publish wrongly.

Pelican itself already refuses (with an error naming the file) an article with
no title or date, or one whose output path would leave ``output/``; the
Makefile runs Pelican with ``--fatal warnings`` so those stop the build.  This
plugin adds the rules Pelican does not know: every article in a configured news
column, slugs that are safe and readable, and no two items written to the same
URL.  All problems are collected and reported at once, each naming its file.
``safety.py`` adds the rules that keep script out of pages: plain-text metadata,
allowed URLs, only the allowed HTML in the rendered body and summary.
"""

from pelican import signals

from .build_guard import build_problems, refuse_unsafe_files
from .rules import ContentError, check_items
from .safety import item_problems


def _check_articles(generator):
    items = generator.articles + generator.translations + generator.drafts + generator.drafts_translations
    items += generator.hidden_articles + generator.hidden_translations
    originals = generator.articles + generator.drafts + generator.hidden_articles
    problems = check_items(items, generator.settings, require_column=True, originals=originals)
    problems += item_problems(items, generator.settings)
    problems += build_problems(items, generator.settings)
    if problems:
        raise ContentError(problems)


def _check_pages(generator):
    items = generator.pages + generator.translations + generator.hidden_pages + generator.hidden_translations
    items += generator.draft_pages + generator.draft_translations
    originals = generator.pages + generator.hidden_pages + generator.draft_pages
    problems = check_items(items, generator.settings, require_column=False, originals=originals)
    problems += item_problems(items, generator.settings)
    problems += build_problems(items, generator.settings)
    if problems:
        raise ContentError(problems)


def register():
    signals.initialized.connect(refuse_unsafe_files)
    signals.article_generator_pretaxonomy.connect(_check_articles)
    signals.page_generator_finalized.connect(_check_pages)
