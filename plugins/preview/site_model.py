"""The objects of the last completed build, kept in memory for the fast path.

``capture`` is connected to Pelican's ``all_generators_finalized`` signal: every build of the
serving process hands over its generators, and the preview makes them current (``SiteModel``)
only once that build has finished without error.  A model knows, for every language, the Pelican
``ArticlesGenerator`` that renders it (the default language's own, then the languages plugin's
variants, ``LanguageSubsites.subgenerators``) and finds the article objects made from one file.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass

from pelican import signals
from pelican.generators import ArticlesGenerator

# Where an ArticlesGenerator keeps the items it renders a page for (drafts are left to the build).
RENDERED_LISTS = ("articles", "hidden_articles", "translations", "hidden_translations")

_CAPTURED: dict = {}
_LOCK = threading.Lock()


@dataclass
class Language:
    entry: dict  # the SITE_LANGUAGES entry
    generator: ArticlesGenerator


@dataclass
class Found:
    language: Language
    item: object  # the rendered Article (the default language's own, or a language variant)


class SiteModel:
    def __init__(self, settings: dict, generators: list):
        self.settings = settings
        self.generators = generators
        languages = {entry["code"]: entry for entry in settings["SITE_LANGUAGES"]}
        self.languages: list[Language] = []
        for generator in generators:
            if isinstance(generator, ArticlesGenerator) and not getattr(generator, "is_language_variant", False):
                self.languages.append(Language(settings["SITE_LANGUAGES"][0], generator))
        for generator in generators:
            for sub in getattr(generator, "subgenerators", lambda: ())():
                if isinstance(sub, ArticlesGenerator):
                    code = sub.settings["DEFAULT_LANG"]
                    self.languages.append(Language(languages[code], sub))

        # Made here, in the build's thread, so that a save does not wait for it.
        self._by_source: dict[str, list[Found]] = {}
        for language in self.languages:
            for name in RENDERED_LISTS:
                for item in getattr(language.generator, name, None) or ():
                    source = getattr(item, "source_path", None)
                    if source:
                        self._by_source.setdefault(os.path.abspath(source), []).append(Found(language, item))

    @property
    def default(self) -> ArticlesGenerator:
        return self.languages[0].generator

    def items_from(self, path: str) -> list[Found]:
        """Every rendered article object made from the file ``path``, in every language."""
        return list(self._by_source.get(os.path.abspath(path), ()))


def _capture(generators) -> None:
    with _LOCK:
        _CAPTURED["generators"] = list(generators)


def start_capture() -> None:
    """Forget what an earlier (possibly failed) build handed over; connect the signal once."""
    with _LOCK:
        _CAPTURED.clear()
    signals.all_generators_finalized.connect(_capture)


def captured(settings: dict) -> SiteModel | None:
    with _LOCK:
        generators = _CAPTURED.pop("generators", None)
    return SiteModel(settings, generators) if generators else None
