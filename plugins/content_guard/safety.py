"""The one sanitising policy: what HTML a post may contain, which URLs it may link to, and that its
metadata is plain text.  Nothing from content or from a scraped page may run as script in a reader's
browser (docs/publishing.md, "What a post may contain").

Used by

* the scraper (``scraper/sanitize.py``: nh3 with :data:`TAGS`, :data:`ATTRIBUTES`,
  :data:`URL_SCHEMES`; ``scraper/post.py``: :func:`plain_text` and :func:`url_allowed` on every
  front-matter field it writes);
* the build (``content_guard``: :func:`item_problems` over Pelican's content objects — the rendered
  body and summary, the metadata — refuses a post that breaks a rule);
* ``make check`` (``content_check``: the same rule functions over the files, with line numbers).

Like ``rules.py`` it imports nothing from Pelican.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping

import lxml.html
from lxml import etree

try:
    from plugins import build_memo
except ImportError:  # pragma: no cover - Pelican put plugins/ itself on sys.path
    import build_memo

from .rules import Finding, source_lines

# --- the policy -----------------------------------------------------------------------------------

# Elements a post body may contain: text structure, links, images, tables.
TAGS = frozenset(
    "p br hr div span h1 h2 h3 h4 h5 h6 strong b em i u s del sub sup blockquote pre code "
    "ul ol li dl dt dd a img figure figcaption table caption thead tbody tfoot tr th td".split()
)
# Removed by the scraper together with their content (never text worth keeping).
CLEAN_CONTENT_TAGS = frozenset(
    "script style iframe frame frameset object embed applet noscript template svg math "
    "form button select textarea input canvas audio video".split()
)
# Attributes per element; nothing else (no on…, no style, no class, no id).
ATTRIBUTES: Mapping[str, frozenset[str]] = {
    "a": frozenset({"href", "title"}),
    "img": frozenset({"src", "alt", "title", "width", "height"}),
    "td": frozenset({"colspan", "rowspan"}),
    "th": frozenset({"colspan", "rowspan"}),
    "ol": frozenset({"start"}),
}
# URL schemes links and images may use; a URL without a scheme (relative, `#…`, Pelican's
# `{static}…`/`{attach}…`) is allowed too.
URL_SCHEMES = frozenset({"http", "https", "mailto"})

# What Python-Markdown itself writes from plain Markdown, allowed in the rendered body besides the
# policy: heading ids (toc), footnotes (extra), abbreviations (extra), column alignment (tables,
# written as `align` — pelicanconf.py turns on `use_align_attribute`; a `style=` would break the CSP).
MARKDOWN_TAGS = frozenset({"abbr"})
MARKDOWN_ATTRIBUTES: Mapping[str, frozenset[str]] = {
    **{f"h{n}": frozenset({"id"}) for n in range(1, 7)},
    "sup": frozenset({"id"}),
    "li": frozenset({"id"}),
    "a": frozenset({"class"}),
    "div": frozenset({"class"}),
    "abbr": frozenset({"title"}),
    "td": frozenset({"align"}),
    "th": frozenset({"align"}),
}
# The setting that allows editors more elements: {"element": ["attribute", ...]} (docs/publishing.md).
EXTRA_SETTING = "CONTENT_HTML_EXTRA"
# Never allowed, whatever the setting says: elements that run or load active content, and
# attributes that run script or carry inline style (the Content-Security-Policy forbids both).
NEVER_TAGS = CLEAN_CONTENT_TAGS | {"base", "link", "meta", "title", "head", "body", "html", "param", "portal",
                                   "xmp", "plaintext", "noembed", "noframes"}
URL_ATTRIBUTES = frozenset({"href", "src", "cite", "srcset", "poster", "data", "action", "formaction",
                            "background", "longdesc", "usemap", "xlink:href", "ping"})

# Front-matter fields shown to readers: plain text, never HTML.
TEXT_FIELDS = ("title", "summary", "tags", "category", "source", "author", "authors", "menu_label")
URL_FIELDS = ("source_url",)
# Front-matter fields that choose where Pelican writes a page and the address every list, feed and
# sitemap links to (`URL:`, `Save_as:`): templates and Pelican's feeds write them into `href`
# unescaped, so they are a path inside the site — the characters of a slug, `.` and `/`, never a
# scheme, a host, `..` or a quote.
PATH_FIELDS = ("url", "save_as")


# --- plain text and URLs --------------------------------------------------------------------------

_TAG_LIKE = re.compile(r"<[A-Za-z/!?]")
_URL_IGNORED = re.compile(r"[\t\n\r]")  # browsers drop these anywhere in a URL
_C0_AND_SPACE = "".join(map(chr, range(0x21)))  # browsers strip these around a URL
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")
_URL_UNSAFE_CHARS = re.compile(r"[\s\"'<>`\\]")
_WS = re.compile(r"\s+")
_SITE_PATH = re.compile(r"^[A-Za-z0-9_\-][A-Za-z0-9_\-./]*$")


# Unicode category Cc without tab, line feed and carriage return.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _controls(value: str) -> list[str]:
    return _CONTROL.findall(value)


def url_scheme(url: str) -> str | None:
    """The scheme a browser would see (lower case), or None for a relative URL."""
    cleaned = _URL_IGNORED.sub("", url).strip(_C0_AND_SPACE)
    match = _SCHEME.match(cleaned)
    return match[1].lower() if match else None


def url_allowed(url: str) -> bool:
    """http, https, mailto or relative — also once HTML character references are decoded."""
    forms = (url, html.unescape(url)) if "&" in url else (url,)
    return all(url_scheme(form) in (None, *URL_SCHEMES) for form in forms)


def plain_text(value: str | None) -> str:
    """Any scraped string as plain text: character references decoded, markup and control characters
    removed, white space collapsed.  The result passes :func:`plain_text_problem`."""
    text = value or ""
    for _ in range(5):  # `&amp;lt;` … decodes in several steps
        decoded = html.unescape(text)
        if decoded == text:
            break
        text = decoded
    text = _CONTROL.sub("", text).replace("\t", " ").replace("\n", " ").replace("\r", " ")
    if _TAG_LIKE.search(text):
        # Parsed as the HTML a browser would see: keep the text, drop script, style and comments.
        fragment = lxml.html.fragment_fromstring(text, create_parent="div")
        etree.strip_elements(fragment, *CLEAN_CONTENT_TAGS, etree.Comment, etree.ProcessingInstruction,
                             with_tail=False)
        text = fragment.text_content()
    text = _TAG_LIKE.sub(lambda m: m[0][1:], text)  # a stray "<b" left by broken markup
    if html.unescape(text) != text:  # references nested more than five deep
        text = text.replace("&", "＆")
    return _WS.sub(" ", text.replace("\u3000", " ").replace("\xa0", " ")).strip()


def safe_url(value: str | None) -> str:
    """A scraped URL for the front matter: kept when :func:`url_problem` accepts it, else ''."""
    url = (value or "").strip()
    return url if url and url_problem(url) is None else ""


# --- the rules (plain values in, a Finding or None out) -------------------------------------------

def plain_text_problem(key: str, value: str) -> Finding | None:
    """A front-matter field shown to readers must be plain text."""
    if not value:
        return None
    field = key.title()
    if _TAG_LIKE.search(value):
        return Finding(f"{field} 含有 HTML 标记", f"{field} contains HTML markup",
                       "这一项只能是纯文本：删除 <…> 标记（要显示尖括号请用 ＜ ＞ 或《》）",
                       "this field is plain text: remove the <…> markup (write ＜ ＞ or words for angle brackets)")
    if "&" in value and html.unescape(value) != value:
        return Finding(f"{field} 含有 HTML 字符引用（&…;）", f"{field} contains an HTML character reference (&…;)",
                       "直接写字符本身，例如把 &amp; 写成 &", "write the character itself, e.g. & instead of &amp;")
    if _controls(value):
        return Finding(f"{field} 含有控制字符", f"{field} contains control characters",
                       "删除不可见的控制字符（可重新输入这一行）", "remove the invisible control characters (retype the line)")
    return None


def url_problem(url: str, *, key: str | None = None) -> Finding | None:
    """Links, images and Source_url: http, https, mailto or relative only."""
    if not url_allowed(url):
        scheme = url_scheme(html.unescape(url)) or url_scheme(url)
        where_zh = f"{key.title()} 的网址" if key else "链接"
        where_en = f"{key.title()} URL" if key else "link"
        return Finding(f"{where_zh}使用了不允许的协议 {scheme}:", f"{where_en} uses the forbidden scheme {scheme}:",
                       "只能用 http://、https://、mailto: 或站内相对链接", "use an http://, https://, mailto: or relative link")
    if key and _URL_UNSAFE_CHARS.search(url):
        return Finding(f"{key.title()} 的网址含有空格、引号或尖括号", f"{key.title()} URL contains spaces, quotes or angle brackets",
                       "写完整的网址，特殊字符用 %XX 编码", "write the full URL, with special characters %-encoded")
    return None


def site_path_problem(key: str, path: str) -> Finding | None:
    """`URL:` and `Save_as:` name a path inside the site (relative, no scheme, host, `..` or quotes)."""
    if not path or (_SITE_PATH.match(path) and ".." not in path and "//" not in path):
        return None
    field = {"url": "URL"}.get(key, key.capitalize())
    return Finding(f"{field} 必须是站内的相对路径", f"{field} must be a relative path inside the site",
                   "只用英文字母、数字、- _ . /，例如 `news/2022/05/my-post.html`；不能有协议（https:）、空格、引号、"
                   "“..” 或开头的 /（通常删掉这一行，让网址由 Slug 生成）",
                   "use only letters, digits and - _ . /, e.g. `news/2022/05/my-post.html`: no scheme (https:), "
                   "spaces, quotes, `..` or leading / (usually: delete the line and let the slug make the address)")


def body_control_problem() -> Finding:
    return Finding("正文含有控制字符", "the body contains control characters",
                   "删除不可见的控制字符（可重新输入这一行）；它们在网页上不显示，却能在终端里执行转义序列",
                   "remove the invisible control characters (retype the line): a page shows nothing of them, but "
                   "in a terminal (the search command's excerpts) they are escape sequences")


def has_controls(text: str) -> bool:
    """Control characters other than tab and line breaks (C0, DEL, C1)."""
    return bool(_CONTROL.search(text))


def element_problem(tag: str) -> Finding:
    return Finding(f"正文含有不允许的 HTML 元素 <{tag}>", f"the body contains the HTML element <{tag}>, which is not allowed",
                   "删除它（正文只允许段落、标题、列表、链接、图片、表格等元素，清单见 docs/publishing.md）",
                   "remove it (a body may contain paragraphs, headings, lists, links, images, tables …: "
                   "the list is in docs/publishing.md)")


def attribute_problem(tag: str, attribute: str) -> Finding:
    return Finding(f"正文的 <{tag}> 含有不允许的属性 {attribute}", f"<{tag}> in the body has the attribute {attribute}, which is not allowed",
                   "删除这个属性（不允许 on… 事件、style、class 等；见 docs/publishing.md）",
                   "remove the attribute (no on… handlers, style, class …; see docs/publishing.md)")


def extra_html(settings: Mapping | None) -> dict[str, frozenset[str]]:
    """The editors' extra elements (setting CONTENT_HTML_EXTRA), minus what is never allowed."""
    extra = (settings or {}).get(EXTRA_SETTING) or {}
    return {tag.lower(): frozenset(a.lower() for a in attrs if not a.lower().startswith("on") and a.lower() != "style")
            for tag, attrs in extra.items() if tag.lower() not in NEVER_TAGS}


def allowed_html(settings: Mapping | None) -> tuple[frozenset[str], dict[str, frozenset[str]]]:
    extra = extra_html(settings)
    tags = TAGS | MARKDOWN_TAGS | frozenset(extra)
    attributes: dict[str, frozenset[str]] = {}
    for table in (ATTRIBUTES, MARKDOWN_ATTRIBUTES, extra):
        for tag, names in table.items():
            attributes[tag] = attributes.get(tag, frozenset()) | names
    return tags, attributes


def html_problems(fragment: str, settings: Mapping | None = None) -> list[tuple[tuple[str, ...], Finding]]:
    """Every element, attribute and URL of an HTML fragment (a rendered body or summary) that the
    policy refuses, each with the strings that find it in the Markdown source.  A fragment found
    safe under the same policy in an earlier build is not parsed again (plugins/build_memo.py)."""
    if not fragment or not fragment.strip():
        return []
    # The policy's own tables are code (part of the cache folder's digest); the settings add CONTENT_HTML_EXTRA.
    extra = repr(sorted((tag, sorted(names)) for tag, names in extra_html(settings).items())) if settings else ""
    found = build_memo.memo(settings, "safe-html", extra.encode()) if settings else None
    if found is not None and found.get(found.key(fragment), lambda: not _html_problems(fragment, settings)):
        return []
    return _html_problems(fragment, settings)


def _html_problems(fragment: str, settings: Mapping | None) -> list[tuple[tuple[str, ...], Finding]]:
    tags, attributes = allowed_html(settings)
    root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    found: list[tuple[tuple[str, ...], Finding]] = []
    if has_controls(fragment):
        found.append((tuple(sorted(set(_CONTROL.findall(fragment)))), body_control_problem()))
    for el in root.iterdescendants():
        if not isinstance(el.tag, str):
            if el.tag is etree.ProcessingInstruction:
                found.append((("<?",), element_problem("?")))
            continue
        tag = el.tag.lower()
        if tag not in tags:
            found.append(((f"<{tag}",), element_problem(tag)))
            continue
        for name, value in el.attrib.items():
            name = name.lower()
            if name not in attributes.get(tag, ()):
                found.append(((f"{name}=", f"{name} =", name), attribute_problem(tag, name)))
            elif name in URL_ATTRIBUTES:
                finding = url_problem(value)
                if finding:
                    scheme = url_scheme(value) or ""
                    found.append(((f"{scheme}:", value[:30], f"{name}=", "]("), finding))
    return found


def metadata_problems(meta: Mapping[str, str]) -> list[tuple[str, Finding]]:
    """(key, finding) for the reader-visible fields of a post's metadata (keys in lower case)."""
    found = []
    for key in TEXT_FIELDS:
        finding = plain_text_problem(key, meta.get(key) or "")
        if finding:
            found.append((key, finding))
    for key in URL_FIELDS:
        value = (meta.get(key) or "").strip()
        finding = url_problem(value, key=key) if value else None
        if finding:
            found.append((key, finding))
    for key in PATH_FIELDS:
        finding = site_path_problem(key, (meta.get(key) or "").strip())
        if finding:
            found.append((key, finding))
    return found


def locate(lines: list[str], start: int, needles: Iterable[str]) -> int:
    """The first line (1-based, from ``start``) that contains one of ``needles`` (any case)."""
    lowered = [line.lower() for line in lines]
    for needle in needles:
        needle = needle.lower()
        if not needle:
            continue
        for number in range(max(start, 1), len(lines) + 1):
            if needle in lowered[number - 1]:
                return number
    return max(start, 1)


# --- the build-time guard over Pelican content objects ------------------------------------------

def _names(values) -> str:
    if values is None:
        return ""
    if isinstance(values, str):
        return values
    return ", ".join(str(getattr(v, "name", v)) for v in values)


def item_metadata(item) -> dict[str, str]:
    """The reader-visible metadata of a Pelican article or page, as text (keys in lower case)."""
    metadata = getattr(item, "metadata", {}) or {}
    category = getattr(item, "category", None)
    return {
        "title": str(getattr(item, "title", "") or ""),
        "tags": _names(getattr(item, "tags", None)),
        "category": str(getattr(category, "name", "") or "") if category else "",
        "source": str(metadata.get("source") or ""),
        "source_url": str(metadata.get("source_url") or ""),
        "authors": _names(metadata.get("authors") or ([metadata["author"]] if metadata.get("author") else None)),
        "menu_label": str(metadata.get("menu_label") or ""),
        **{key: str(metadata.get(key) or "") for key in PATH_FIELDS},
    }


def _source_lines(path: str) -> tuple[list[str], int]:
    """The file's lines and the number of its first body line."""
    try:
        with open(path, encoding="utf-8-sig") as handle:
            lines = source_lines(handle.read())
    except (OSError, UnicodeDecodeError):
        return [], 1
    start = next((n for n, line in enumerate(lines, 1) if not line.strip()), len(lines))
    return lines, start + 1


_PARAGRAPH = re.compile(r"^\s*<p>|</p>\s*$")


def _may_hold_markup(rendered: str) -> bool:
    """Whether a rendered one-paragraph summary holds anything but plain text."""
    return bool(re.search(r"[<&]", _PARAGRAPH.sub("", rendered)))


def _raw_value(path: str, key: str) -> str:
    """The value of front-matter ``key`` as written in the file (first line only)."""
    from .rules import META_LINE

    lines, body_start = _source_lines(path)
    for line in lines[: body_start - 1]:
        match = META_LINE.match(line)
        if match and match["key"].lower() == key:
            return match["value"].strip()
    return ""


def item_problems(items, settings) -> list:
    """Problems of Pelican articles or pages against the policy: plain-text metadata, allowed URLs,
    and only the allowed elements and attributes in the rendered body and summary."""
    from .rules import Problem, metadata_lines, source_of

    problems = []
    for item in items:
        source = getattr(item, "source_path", "") or ""
        where = source_of(item, settings)
        found_meta = metadata_problems(item_metadata(item))
        summary = (getattr(item, "metadata", {}) or {}).get("summary")
        found_html = html_problems(str(getattr(item, "_content", "") or ""), settings)
        found_summary = html_problems(str(summary), settings) if summary else []
        if summary and source and _may_hold_markup(str(summary)):
            # What the editor wrote (Markdown may have escaped it): plain text, as `make check` says.
            raw = _raw_value(source, "summary")
            finding = plain_text_problem("summary", raw) if raw else None
            if finding:
                found_meta.append(("summary", finding))
        if not (found_meta or found_html or found_summary):
            continue
        keys = metadata_lines(source) if source else {}
        lines, body_start = _source_lines(source) if source else ([], 1)
        for key, finding in found_meta:
            problems.append(Problem(where, keys.get("author" if key == "authors" and "author" in keys else key), finding))
        for _needles, finding in found_summary:
            problems.append(Problem(where, keys.get("summary"), finding))
        for needles, finding in found_html:
            problems.append(Problem(where, locate(lines, body_start, needles) if lines else None, finding))
    return problems
