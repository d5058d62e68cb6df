"""Which pages exist in which language, and where the language toggle leads.

Before anything is written, every language's output paths are planned from its
content (articles, pages, columns with their pagination, tags, year archives,
direct templates).  The toggle and the ``hreflang`` alternates then link only to
pages that exist: the same page in another language when there is one, or else a
useful fallback — an untranslated article's EN link leads to the same column in
English, with a notice (``#untranslated``) — never a 404.
"""

from __future__ import annotations

from dataclasses import dataclass

from pelican.paginator import Paginator

from .codes import language_of_path

UNTRANSLATED_ANCHOR = "untranslated"


@dataclass(frozen=True)
class LanguageLink:
    code: str
    tag: str
    label: str
    name: str
    url: str  # relative to the site root
    current: bool
    available: bool  # the same page exists in that language (hreflang-worthy)


def paginated_paths(save_as: str, url: str, items: list, settings: dict, template: str) -> list[str]:
    per_page = None
    if template in settings["PAGINATED_TEMPLATES"]:
        per_page = settings["PAGINATED_TEMPLATES"][template] or settings["DEFAULT_PAGINATION"]
    if not per_page:
        return [save_as]
    paginator = Paginator(save_as, url, items, settings, per_page)
    return [paginator.page(n).save_as for n in range(1, paginator.num_pages + 1)]


class SavePaths:
    """Each item's output path, computed once: Pelican formats ``save_as`` from its pattern again on
    every use, and the toggle's registry asks for every item's several times (10,000 articles: ~10 s)."""

    def __init__(self):
        self._memo: dict[int, tuple] = {}

    def __call__(self, item) -> str:
        hit = self._memo.get(id(item))
        if hit is None or hit[0] is not item:
            hit = self._memo[id(item)] = (item, item.save_as)
        return hit[1]


def planned_paths(site, path_of=None) -> set[str]:
    """Every HTML path a language site (a ``LanguageContent``) will write."""
    path_of = path_of or SavePaths()
    settings = site.settings
    paths = set()
    for item in site.articles + site.pages:
        paths.add(path_of(item))
    for template in settings["DIRECT_TEMPLATES"]:
        save_as = settings.get(f"{template.upper()}_SAVE_AS", f"{template}.html")
        if save_as:
            url = settings.get(f"{template.upper()}_URL", f"{template}.html")
            paths.update(paginated_paths(save_as, url, site.articles, settings, template))
    for category, items in site.categories:
        paths.update(paginated_paths(category.save_as, category.url, items, settings, "category"))
    for tag, items in site.tags.items():
        paths.update(paginated_paths(tag.save_as, tag.url, items, settings, "tag"))
    for archive in site.period_archives.get("year", []):
        paths.add(archive["save_as"])
    return {p for p in paths if p}


class LanguageLinks:
    """The toggle's targets for every page of every language of one build."""

    def __init__(self, settings: dict):
        self.settings = settings
        self.languages = settings["SITE_LANGUAGES"]
        self.paths: dict[str, set[str]] = {}
        # (language code, path) → {other language code: path}, for pages whose
        # counterparts live at different paths (translations with another date).
        self.counterparts: dict[tuple[str, str], dict[str, str]] = {}
        # (language code, path of an article) → fallback path in each language.
        self.fallbacks: dict[tuple[str, str], dict[str, str]] = {}
        self.save_as = SavePaths()

    def add_site(self, code: str, site) -> None:
        self.paths[code] = planned_paths(site, self.save_as)

    def link_items(self, items_by_code: dict) -> None:
        """Tie together the variants of one article or page (``code`` → item)."""
        urls = {code: self.save_as(item) for code, item in items_by_code.items()}
        for code, path in urls.items():
            self.counterparts[(code, path)] = urls

    def set_fallbacks(self, code: str, path: str, fallbacks: dict[str, str]) -> None:
        self.fallbacks[(code, path)] = fallbacks

    def _target(self, current: dict, path: str, entry: dict) -> tuple[str, bool]:
        code = entry["code"]
        if code == current["code"]:
            return path, True
        twin = self.counterparts.get((current["code"], path), {}).get(code)
        if twin:
            return twin, True
        base = path[len(current["prefix"]):]
        candidate = entry["prefix"] + base
        if candidate in self.paths.get(code, ()):
            return candidate, True
        fallback = self.fallbacks.get((current["code"], path), {}).get(code)
        if fallback:
            return fallback, False
        return entry["prefix"] + self.settings["INDEX_SAVE_AS"], False

    def for_page(self, output_file: str) -> list[LanguageLink]:
        current = language_of_path(self.settings, output_file)
        links = []
        for entry in self.languages:
            url, available = self._target(current, output_file, entry)
            links.append(
                LanguageLink(
                    code=entry["code"], tag=entry["tag"], label=entry["label"], name=entry["name"],
                    url=url, current=entry["code"] == current["code"], available=available,
                )
            )
        return links
