"""Gettext catalogs of the theme's interface strings, compiled with Babel in memory.

The templates mark every interface string with ``_()`` (English msgids).
Translations live in ``THEME_TRANSLATIONS_DIR/<catalog>/LC_MESSAGES/messages.po``;
no ``.mo`` file is kept in git.  A language whose entry in ``SITE_LANGUAGES`` says
``"source": "opencc"`` (繁體) uses the Simplified catalog converted with OpenCC, so
its interface is generated like its content.  English needs no catalog: the
msgids are English.
"""

import gettext
import io
import os
from functools import lru_cache

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from jinja2 import pass_context

from .chinese import ChineseConverter

DOMAIN = "messages"


def catalog_path(translations_dir: str, catalog: str) -> str:
    return os.path.join(translations_dir, catalog, "LC_MESSAGES", f"{DOMAIN}.po")


def _convert_message(message, converter: ChineseConverter) -> None:
    if isinstance(message.string, tuple | list):
        message.string = tuple(converter.convert(s) for s in message.string)
    elif message.string:
        message.string = converter.convert(message.string)


@lru_cache(maxsize=16)
def _compile(path: str, mtime_ns: int, converter: ChineseConverter | None) -> gettext.GNUTranslations:
    with open(path, "rb") as po:
        catalog = read_po(po, abort_invalid=True)
    if converter is not None:
        for message in catalog:
            if message.id:
                _convert_message(message, converter)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def translations_for(translations_dir: str, catalog: str | None, converter=None) -> gettext.NullTranslations:
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
    return _compile(path, os.stat(path).st_mtime_ns, converter)


def install(env, translations_dir: str, catalog: str | None, converter=None) -> None:
    env.install_gettext_translations(translations_for(translations_dir, catalog, converter), newstyle=True)
    env.globals["_"] = _remembering(env.globals["_"])


def _remembering(alias):
    """Jinja's ``_`` (the i18n extension's alias of the environment's ``gettext``), its result
    kept per string: a page asks for ~40 interface strings through three layers of calls, and a
    10,000-article build of three languages asked ~920,000 times.  Kept only when there are no
    variables, and per ``gettext`` in the template's context and autoescape mode (what the result
    depends on); computed the first time by Jinja's own function, so it is the same value."""
    known: dict = {}

    @pass_context
    def _(__context, __string, **variables):
        if variables:
            return alias(__context, __string, **variables)
        key = (__string, __context.eval_ctx.autoescape)
        gettext = __context.resolve("gettext")
        hit = known.get(key)
        if hit is not None and hit[0] is gettext:
            return hit[1]
        value = alias(__context, __string)
        if len(known) < 4096:  # the interface's strings; anything beyond is asked afresh
            known[key] = (gettext, value)
        return value

    return _
