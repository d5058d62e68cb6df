"""Language codes: lower-case inside Pelican (as Pelican wants), BCP 47 tags in the HTML."""


def normalise_metadata_lang(generator, metadata):
    lang = metadata.get("lang")
    if isinstance(lang, str):
        metadata["lang"] = lang.strip().lower()


def language_table(settings) -> dict:
    """``code`` → language entry of ``SITE_LANGUAGES``."""
    return {entry["code"]: entry for entry in settings["SITE_LANGUAGES"]}


def language_of_path(settings, path: str) -> dict:
    """The language an output path belongs to, by its prefix (``zh-hant/…``, ``en/…``)."""
    default = settings["SITE_LANGUAGES"][0]
    for entry in settings["SITE_LANGUAGES"][1:]:
        if path.startswith(entry["prefix"]):
            return entry
    return default


def current_language(settings) -> dict:
    """The ``SITE_LANGUAGES`` entry of the language these settings render (``DEFAULT_LANG``)."""
    return language_table(settings).get(settings["DEFAULT_LANG"], settings["SITE_LANGUAGES"][0])
