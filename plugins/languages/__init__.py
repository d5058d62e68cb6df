"""Languages: one spelling of every language code, and the language of each page.

Posts say ``Lang: zh-Hans`` (BCP 47); Pelican lower-cases ``DEFAULT_LANG`` and
compares it with each post's ``lang`` as written, so without this plugin a
``zh-Hans`` post would count as a translation.  Codes are lower-cased when the
metadata is read, and templates get ``page_lang`` (the BCP 47 tag for
``<html lang>``) from ``SITE_LANGUAGES``.
"""

from pelican import signals

from .codes import add_language_globals, normalise_metadata_lang


def register():
    signals.article_generator_context.connect(normalise_metadata_lang)
    signals.page_generator_context.connect(normalise_metadata_lang)
    signals.generator_init.connect(add_language_globals)
