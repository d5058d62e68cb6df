"""Compile .po catalogs with Babel and hand them to Jinja."""

import gettext
import io
import os
from functools import lru_cache

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

DOMAIN = "messages"


def catalog_path(translations_dir: str, catalog: str) -> str:
    return os.path.join(translations_dir, catalog, "LC_MESSAGES", f"{DOMAIN}.po")


@lru_cache(maxsize=16)
def _compile(path: str, mtime_ns: int) -> gettext.GNUTranslations:
    with open(path, "rb") as po:
        catalog = read_po(po, abort_invalid=True)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def translations_for(translations_dir: str, catalog: str | None) -> gettext.NullTranslations:
    """The compiled catalog (e.g. ``zh_Hans``); ``None`` means the English msgids as they are."""
    if catalog is None:
        return gettext.NullTranslations()
    path = catalog_path(translations_dir, catalog)
    if not os.path.exists(path):
        raise FileNotFoundError(
            f"{path}: no interface translations for {catalog!r} — create it with "
            f"`.venv/bin/pybabel init -i theme/translations/messages.pot -d theme/translations -l {catalog}` "
            "and translate it"
        )
    return _compile(path, os.stat(path).st_mtime_ns)


def install(env, translations_dir: str, catalog: str | None) -> None:
    env.install_gettext_translations(translations_for(translations_dir, catalog), newstyle=True)


def install_for_generator(generator) -> None:
    settings = generator.settings
    if hasattr(generator, "env"):
        default = settings["SITE_LANGUAGES"][0]
        install(generator.env, settings["THEME_TRANSLATIONS_DIR"], default.get("catalog"))
