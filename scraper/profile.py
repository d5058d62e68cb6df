"""Load and validate a site profile (``scraper/sites/<name>.toml``).

The profile is data: selectors, columns, URLs and politeness settings. Every
error names the file and the key so that an editor can fix it without reading code.

Selectors are CSS, compiled once here (cssselect via ``lxml.cssselect``, HTML rules:
element names are case-insensitive) into XPath evaluators for the lxml tree.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from lxml.cssselect import CSSSelector, SelectorError

SITES_DIR = Path(__file__).parent / "sites"
DEFAULT_PROFILE = SITES_DIR / "crsa.toml"
SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")


class ProfileError(ValueError):
    """The site profile is missing a key or has an invalid value."""


@dataclass(frozen=True)
class Column:
    id: int
    name: str
    slug: str


@dataclass(frozen=True)
class HttpSettings:
    user_agent: str
    robots_agent: str
    delay_seconds: float = 2.0
    max_in_flight_per_host: int = 1
    timeout_seconds: float = 20.0      # one connect or read
    deadline_seconds: float = 60.0     # one request in total: connect + headers + the whole body
    max_attempts: int = 3
    backoff_base_seconds: float = 1.0
    backoff_max_seconds: float = 30.0
    retry_after_max_seconds: float = 120.0
    max_redirects: int = 5
    max_page_bytes: int = 5_000_000
    max_media_bytes: int = 30_000_000


@dataclass(frozen=True)
class Profile:
    path: Path
    name: str
    source_name: str
    canonical_base_url: str
    lang: str
    timezone: str
    slug_prefix: str
    allowed_redirect_origins: tuple[str, ...]
    http: HttpSettings
    list_url: str
    list_page_param: str
    article_url: str
    article_pattern: re.Pattern[str]
    columns: tuple[Column, ...]
    list_sel: dict[str, str]
    article_sel: dict[str, object]
    # The selectors above, compiled at load time: [list] key / [article] key -> CSSSelector,
    # and the [article] drop / chrome lists in order.
    list_css: dict[str, CSSSelector]
    article_css: dict[str, CSSSelector]
    drop_css: tuple[CSSSelector, ...]
    chrome_css: tuple[CSSSelector, ...]
    image_extensions: frozenset[str]
    attachment_extensions: frozenset[str]

    def column_by_id(self, column_id: int) -> Column:
        for col in self.columns:
            if col.id == column_id:
                return col
        known = ", ".join(f"{c.id} ({c.name})" for c in self.columns)
        raise ProfileError(f"{self.path}: unknown column id {column_id}; known columns: {known}")

    def column_by_name(self, name: str) -> Column | None:
        return next((c for c in self.columns if c.name == name), None)


def select_one(selector: CSSSelector, root):
    """First element matched by a compiled selector (the root itself included), or None."""
    found = selector(root)
    return found[0] if found else None


# The type of every optional value the code reads as text or a list of text (the required ones and
# the numbers of [http] are checked where they are read).  A wrong type stops the load here, naming
# the file and the key, instead of failing later in the middle of a crawl.
_TEXT_KEYS = {
    "site": ("name", "source_name", "canonical_base_url", "lang", "timezone", "slug_prefix"),
    "urls": ("list", "list_page_param", "article", "article_pattern"),
    "article": ("title_meta", "badge_text", "date_meta", "column_meta", "source_meta", "summary_meta"),
}
_TEXT_LIST_KEYS = {
    "site": ("allowed_redirect_origins",),
    "media": ("image_extensions", "attachment_extensions"),
}


def _check_types(data: dict, path: Path) -> None:
    if not isinstance(data.get("media", {}), dict):
        raise ProfileError(f"{path}: [media] must be a table")
    if not isinstance(data.get("columns", []), list) or not all(isinstance(c, dict) for c in data.get("columns", [])):
        raise ProfileError(f"{path}: columns must be [[columns]] tables (id, name, slug)")
    for table, keys in _TEXT_KEYS.items():
        for key in keys:
            value = data.get(table, {}).get(key)
            if value is not None and not isinstance(value, str):
                raise ProfileError(f"{path}: [{table}] {key} = {value!r} must be a string")
    for table, keys in _TEXT_LIST_KEYS.items():
        for key in keys:
            value = data.get(table, {}).get(key)
            if value is not None and not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
                raise ProfileError(f"{path}: [{table}] {key} = {value!r} must be a list of strings")
    zone = data["site"].get("timezone", "Asia/Shanghai")
    try:
        ZoneInfo(zone)
    except (ValueError, ZoneInfoNotFoundError):
        raise ProfileError(f"{path}: [site] timezone = {zone!r} is not a known time zone (e.g. Asia/Shanghai)") from None


def _req(table: dict, key: str, where: str, path: Path, kind: type | tuple = str):
    if key not in table:
        raise ProfileError(f"{path}: missing key '{key}' in [{where}]")
    value = table[key]
    if not isinstance(value, kind) or (kind is str and not value.strip()):
        raise ProfileError(f"{path}: [{where}] {key} = {value!r} is not a valid {getattr(kind, '__name__', kind)}")
    return value


def _compile_selector(path: Path, where: str, key: str, selector: object) -> CSSSelector:
    if not isinstance(selector, str):
        raise ProfileError(f"{path}: [{where}] {key} = {selector!r} is not a valid CSS selector (not a string)")
    try:
        return CSSSelector(selector, translator="html")
    except SelectorError as exc:
        raise ProfileError(f"{path}: [{where}] {key} = {selector!r} is not a valid CSS selector ({exc})") from None


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def load_profile(path: str | Path | None = None) -> Profile:
    """Read a profile TOML file; raise ProfileError with file and key on any problem."""
    path = Path(path) if path else DEFAULT_PROFILE
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ProfileError(f"site profile {path} not found (profiles live in {SITES_DIR})") from None
    except OSError as exc:
        raise ProfileError(f"site profile {path} cannot be read ({exc.strerror or exc})") from None
    except UnicodeDecodeError as exc:
        raise ProfileError(f"site profile {path} is not UTF-8 text (byte {exc.start}); give a TOML file") from None
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(f"{path}: invalid TOML: {exc}") from None
    except ValueError as exc:   # a NUL in the path
        raise ProfileError(f"site profile {str(path)!r} cannot be read ({exc})") from None

    for section in ("site", "http", "urls", "list", "article"):
        if not isinstance(data.get(section), dict):
            raise ProfileError(f"{path}: missing table [{section}]")
    _check_types(data, path)
    site, http, urls = data["site"], data["http"], data["urls"]

    base = _req(site, "canonical_base_url", "site", path).rstrip("/")
    if urlsplit(base).scheme not in ("http", "https") or not urlsplit(base).netloc:
        raise ProfileError(f"{path}: [site] canonical_base_url = {base!r} must be an absolute http(s) URL")

    http_kwargs = {}
    for key, default in HttpSettings.__dataclass_fields__.items():
        if key in http:
            value = http[key]
            want = type(default.default) if default.default is not default.default_factory else str
            if key in ("user_agent", "robots_agent"):
                want = str
            if want is float and isinstance(value, int):
                value = float(value)
            if not isinstance(value, want) or (isinstance(value, (int, float)) and value < 0):
                raise ProfileError(f"{path}: [http] {key} = {value!r} must be a non-negative {want.__name__}")
            http_kwargs[key] = value
    for key in ("user_agent", "robots_agent"):
        if key not in http_kwargs:
            raise ProfileError(f"{path}: missing key '{key}' in [http]")
    if http_kwargs.get("max_in_flight_per_host", 1) < 1:
        raise ProfileError(f"{path}: [http] max_in_flight_per_host must be at least 1")
    if http_kwargs.get("max_attempts", 1) < 1:
        raise ProfileError(f"{path}: [http] max_attempts must be at least 1")

    list_url = _req(urls, "list", "urls", path)
    if "{column_id}" not in list_url:
        raise ProfileError(f"{path}: [urls] list = {list_url!r} must contain '{{column_id}}'")
    try:
        article_pattern = re.compile(_req(urls, "article_pattern", "urls", path))
    except re.error as exc:
        raise ProfileError(f"{path}: [urls] article_pattern is not a valid regular expression ({exc})") from None
    if "id" not in article_pattern.groupindex:
        raise ProfileError(f"{path}: [urls] article_pattern must have a named group (?P<id>...)")

    article_url = urls.get("article", "")
    if article_url and "{id}" not in article_url:
        raise ProfileError(f"{path}: [urls] article = {article_url!r} must contain '{{id}}'")

    columns = []
    for i, col in enumerate(data.get("columns", [])):
        where = f"columns #{i + 1}"
        cid = _req(col, "id", where, path, int)
        slug = _req(col, "slug", where, path)
        if not SLUG_RE.match(slug):
            raise ProfileError(f"{path}: [{where}] slug = {slug!r} must be lowercase ASCII letters, digits and '-'")
        columns.append(Column(cid, _req(col, "name", where, path), slug))
    if not columns:
        raise ProfileError(f"{path}: no [[columns]] defined")
    if len({c.id for c in columns}) != len(columns):
        raise ProfileError(f"{path}: duplicate column id in [[columns]]")

    list_sel = data["list"]
    for key in ("item", "link"):
        _req(list_sel, key, "list", path)
    list_css = {key: _compile_selector(path, "list", key, value) for key, value in list_sel.items()}

    art = data["article"]
    for key in ("title", "body"):
        _req(art, key, "article", path)
    article_css = {
        key: _compile_selector(path, "article", key, art[key])
        for key in ("title", "badge", "date_year", "date_month_day", "column", "summary", "body")
        if key in art
    }
    lists: dict[str, tuple[CSSSelector, ...]] = {}
    for key in ("drop", "chrome"):
        values = art.get(key, [])
        if not isinstance(values, list):
            raise ProfileError(f"{path}: [article] {key} must be a list of CSS selectors")
        lists[key] = tuple(_compile_selector(path, "article", key, value) for value in values)

    media = data.get("media", {})
    slug_prefix = site.get("slug_prefix", f"{site.get('name', 'site')}-")
    if not re.match(r"^[a-z0-9-]*$", slug_prefix):
        raise ProfileError(f"{path}: [site] slug_prefix = {slug_prefix!r} must be lowercase ASCII letters, digits and '-'")

    return Profile(
        path=path,
        name=_req(site, "name", "site", path),
        source_name=_req(site, "source_name", "site", path),
        canonical_base_url=base,
        lang=site.get("lang", "zh-Hans"),
        timezone=site.get("timezone", "Asia/Shanghai"),
        slug_prefix=slug_prefix,
        allowed_redirect_origins=tuple(_origin(o) for o in site.get("allowed_redirect_origins", [])),
        http=HttpSettings(**http_kwargs),
        list_url=list_url,
        list_page_param=urls.get("list_page_param", "page"),
        article_url=article_url,
        article_pattern=article_pattern,
        columns=tuple(columns),
        list_sel=dict(list_sel),
        article_sel=dict(art),
        list_css=list_css,
        article_css=article_css,
        drop_css=lists["drop"],
        chrome_css=lists["chrome"],
        image_extensions=frozenset(e.lower() for e in media.get("image_extensions", ["jpg", "jpeg", "png", "gif"])),
        attachment_extensions=frozenset(
            e.lower() for e in media.get("attachment_extensions", ["pdf", "doc", "docx", "xls", "xlsx"])
        ),
    )
