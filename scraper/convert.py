"""Article body element -> Markdown.

1. ``prepare_body``: on the lxml tree: centred bold paragraphs become ``<h2>``,
   leading full-width/&nbsp; indentation is removed, links are made absolute
   against the canonical page URL, images and attachments are planned as local
   files beside the post (``{static}<slug>/<file>`` / ``{attach}<slug>/<file>``).
2. ``body_to_markdown``: serialise, sanitise with nh3, convert with markdownify.
"""

from __future__ import annotations

import hashlib
import html
import re
import unicodedata
from dataclasses import dataclass
from posixpath import basename, splitext
from urllib.parse import unquote, urljoin, urlsplit, urlunsplit

import lxml.html
from bs4 import BeautifulSoup
from markdownify import ATX, MarkdownConverter

from .profile import Profile
from .sanitize import sanitize_fragment

INDENT = "\u3000\xa0 \t\r\n\u2002\u2003"
_CENTER = re.compile(r"text-align\s*:\s*center", re.IGNORECASE)
_BLOCKS = frozenset("p div li td th h1 h2 h3 h4 h5 h6 blockquote dd dt figcaption caption".split())
_ENTITY = re.compile(r"&(?=#?\w+;)")
_SAFE_NAME = re.compile(r"[^\w.\-]+", re.UNICODE)
# Control characters in a URL attribute (`&#x01;javascript:…`): browsers drop them, lxml refuses them.
_URL_CONTROLS = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class MediaRef:
    url: str          # where to download it from (the crawled host)
    public_url: str   # absolute URL on the canonical host (used if the download fails)
    kind: str         # "image" or "attachment"
    filename: str     # validated file name inside the <slug>/ folder
    link: str         # the link written in the post: {static}slug/file or {attach}slug/file


def safe_filename(url: str, used: set[str], max_len: int = 80) -> str:
    """A file name for a downloaded file: never a path, never hidden, never '..'."""
    name = unicodedata.normalize("NFC", unquote(basename(urlsplit(url).path)))
    stem, ext = splitext(name)
    stem = _SAFE_NAME.sub("-", stem).strip("-._")[:max_len]
    ext = _SAFE_NAME.sub("", ext.lower())[:10]
    if not stem:
        stem = hashlib.sha1(url.encode()).hexdigest()[:12]
    candidate, n = f"{stem}{ext}", 1
    while candidate in used:
        n += 1
        candidate = f"{stem}-{n}{ext}"
    used.add(candidate)
    return candidate


def _extension(url: str) -> str:
    return splitext(urlsplit(url).path)[1].lower().lstrip(".")


def _lstrip_block(el) -> bool:
    """Strip leading indentation of a block; True once real text was reached."""
    if el.text:
        stripped = el.text.lstrip(INDENT)
        el.text = stripped
        if stripped:
            return True
    for child in el:
        if child.tag in _BLOCKS:
            return True
        if _lstrip_block(child) or child.tag == "img":
            return True
        if child.tail:
            stripped = child.tail.lstrip(INDENT)
            child.tail = stripped
            if stripped:
                return True
    return False


def _fetch_url(absolute: str, page_url: str, canonical_base: str) -> str:
    """Media on the canonical host is downloaded from the host actually crawled (--base-url)."""
    parts, base = urlsplit(absolute), urlsplit(canonical_base)
    page = urlsplit(page_url)
    if parts.netloc.lower() == base.netloc.lower() and page.netloc.lower() != base.netloc.lower():
        return urlunsplit((page.scheme, page.netloc, parts.path, parts.query, ""))
    return absolute


def prepare_body(body, *, page_url: str, canonical_page_url: str, profile: Profile, slug: str) -> list[MediaRef]:
    """Transform the body tree in place; return the media files the post links to."""
    for p in body.iter("p"):
        if not _CENTER.search(p.get("style", "")):
            continue
        children = [c for c in p if c.tag is not lxml.html.HtmlComment]
        if (
            len(children) == 1
            and children[0].tag in ("strong", "b")
            and not (p.text or "").strip(INDENT)
            and not (children[0].tail or "").strip(INDENT)
            and children[0].text_content().strip(INDENT)
        ):
            text = children[0].text_content().strip(INDENT)
            p.clear()
            p.tag, p.text = "h2", text

    for el in body.iter():
        if not isinstance(el.tag, str):
            continue
        if el.text and "\xa0" in el.text:
            el.text = el.text.replace("\xa0", " ")
        if el.tail and "\xa0" in el.tail:
            el.tail = el.tail.replace("\xa0", " ")
    for el in body.iter(*_BLOCKS):
        _lstrip_block(el)

    for el in body.iter("a", "img"):
        for attr in ("href", "src", "data-src", "original"):
            if el.get(attr) is not None and _URL_CONTROLS.search(el.get(attr)):
                el.attrib[attr] = _URL_CONTROLS.sub("", el.get(attr))

    media: list[MediaRef] = []
    used: set[str] = set()
    seen: dict[str, MediaRef] = {}

    def plan(url_attr: str, el, kind: str) -> None:
        absolute = urljoin(canonical_page_url, el.get(url_attr, "").strip())
        if absolute in seen:
            el.set(url_attr, seen[absolute].link)
            return
        name = safe_filename(absolute, used)
        ref = MediaRef(
            url=_fetch_url(absolute, page_url, profile.canonical_base_url),
            public_url=absolute,
            kind=kind,
            filename=name,
            link=("{static}" if kind == "image" else "{attach}") + f"{slug}/{name}",
        )
        seen[absolute] = ref
        media.append(ref)
        el.set(url_attr, ref.link)

    for img in body.iter("img"):
        src = (img.get("src") or "").strip()
        if not src:
            src = (img.get("data-src") or img.get("original") or "").strip()
            if src:
                img.set("src", src)
        if urlsplit(urljoin(canonical_page_url, src)).scheme in ("http", "https") and src:
            plan("src", img, "image")
    for a in body.iter("a"):
        href = (a.get("href") or "").strip()
        if not href:
            continue
        absolute = urljoin(canonical_page_url, href)
        if urlsplit(absolute).scheme in ("http", "https") and _extension(absolute) in profile.attachment_extensions:
            plan("href", a, "attachment")
        else:
            a.set("href", absolute)
    return media


# Text that Python-Markdown would read as syntax making links or attributes: "[…](…)", "[…]: …",
# "{: …}" (attr_list).  Escaped with a backslash, it stays text.
_LINK_SYNTAX = re.compile(r"([\[\]{}])")
# Characters that would end a Markdown link target early (and start another, live one).
_URL_BREAKERS = re.compile(r"[\s()<>\[\]\\\"'`]")


def _md_url(url: str | None) -> str:
    return _URL_BREAKERS.sub(lambda m: f"%{ord(m[0]):02X}", url or "")


def _md_title(title: str) -> str:
    """A link or image title for Python-Markdown: as character references, so no quote or bracket ends it."""
    text = html.escape(title, quote=True)
    return "".join(f"&#{ord(c)};" if c in "()[]\\`*_{}" else c for c in text)


def _md_text(text: str, *, backslashes: bool = True) -> str:
    """Text for Python-Markdown: what it would read as HTML, entities, links or attributes escaped."""
    if backslashes:
        text = text.replace("\\", "\\\\")
    text = _ENTITY.sub("&amp;", text).replace("<", "&lt;").replace(">", "&gt;")
    return _LINK_SYNTAX.sub(r"\\\1", text)


class _Converter(MarkdownConverter):
    """markdownify with text escaped for Python-Markdown and complex tables kept as HTML.

    Scraped text stays text: a paragraph reading `[点我](javascript:alert(1))` is not a link, and a
    link target or image text cannot close its link early and open another.
    """

    def escape(self, text, parent_tags):
        if not text or "_noformat" in parent_tags:
            return super().escape(text, parent_tags)
        # A literal backslash would escape the escapes below; then markdownify's "*", "_" escapes;
        # literal "<" would start raw HTML, ">" a blockquote, "&lt;" turn into "<", "[…](…)" a link:
        text = super().escape(text.replace("\\", "\\\\"), parent_tags)
        return _md_text(text, backslashes=False)

    def convert_a(self, el, text, parent_tags):
        if el.get("href"):
            el["href"] = _md_url(el["href"])
        if el.get("title"):
            el["title"] = _md_title(el["title"])
        return super().convert_a(el, text, parent_tags)

    def convert_img(self, el, text, parent_tags):
        el["src"] = _md_url(el.get("src"))
        if el.get("alt"):
            el["alt"] = _md_text(el["alt"])
        if el.get("title"):
            el["title"] = _md_title(el["title"])
        return super().convert_img(el, text, parent_tags)

    def convert_table(self, el, text, parent_tags):
        if el.find(attrs={"rowspan": True}) or el.find(attrs={"colspan": True}) or el.find("table"):
            return "\n\n" + str(el) + "\n\n"
        return super().convert_table(el, text, parent_tags)


_CONVERTER = _Converter(
    heading_style=ATX,
    bullets="-",
    keep_inline_images_in=["td", "th", "a", "span", "strong", "b", "em", "i", "li", "p", "div", "figure"],
    table_infer_header=True,
)


def html_to_markdown(safe_html: str) -> str:
    soup = BeautifulSoup(safe_html, "lxml")
    md = _CONVERTER.convert_soup(soup)
    return normalise_markdown(md)


def normalise_markdown(md: str) -> str:
    lines = [line.rstrip() for line in md.replace("\r\n", "\n").split("\n")]
    out: list[str] = []
    for line in lines:
        if not line and (not out or not out[-1]):
            continue
        out.append(line)
    return "\n".join(out).strip() + "\n"


def body_to_markdown(body) -> str:
    html = lxml.html.tostring(body, encoding="unicode")
    return html_to_markdown(sanitize_fragment(html))
