"""Language codes: lower-case inside Pelican, BCP 47 tags in the HTML."""


def normalise_metadata_lang(generator, metadata):
    lang = metadata.get("lang")
    if isinstance(lang, str):
        metadata["lang"] = lang.strip().lower()


def language_table(settings) -> dict:
    """``code`` → language entry of ``SITE_LANGUAGES``."""
    return {entry["code"]: entry for entry in settings["SITE_LANGUAGES"]}


def bcp47(settings, code: str) -> str:
    entry = language_table(settings).get((code or "").lower())
    return entry["tag"] if entry else code


def add_language_globals(generator) -> None:
    env = getattr(generator, "env", None)
    if env is None:
        return
    settings = generator.settings
    env.globals["page_lang"] = bcp47(settings, settings["DEFAULT_LANG"])
    env.filters["bcp47"] = lambda code: bcp47(settings, code)
