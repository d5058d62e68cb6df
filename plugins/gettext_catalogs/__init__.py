"""Gettext catalogs for the theme's interface strings.

The theme's templates mark every interface string with ``_()`` (English
msgids).  Translations live as ``.po`` files under ``THEME_TRANSLATIONS_DIR``
(``theme/translations/<locale>/LC_MESSAGES/messages.po``), managed with Babel
(see the Makefile's ``translations-*`` targets).  They are compiled in memory at
build time — no ``.mo`` file is kept in git — and installed into each
generator's Jinja environment for the language being rendered.
"""

from pelican import signals

from .catalogs import install_for_generator


def register():
    signals.generator_init.connect(install_for_generator)
