"""Article body element -> Markdown.

1. ``prepare_body``: on the lxml tree: centred bold paragraphs become ``<h2>``,
   leading full-width/&nbsp; indentation is removed, links are made absolute
   against the canonical page URL, images and attachments are planned as local
   files beside the post (``{static}<slug>/<file>``), every image gets alt text
   (``image_alt``), and links a reader could not follow (any scheme but http,
   https and mailto, or with control characters, like ``java&#x0A;script:``)
   are removed, their text kept, and listed as left out.
2. ``body_to_markdown``: serialise, sanitise with nh3, convert with markdownify.
3. ``relink``: after the downloads, a copy of the body with each media link
   pointed elsewhere (the original URL) or left out (image removed, link text kept).
"""

from __future__ import annotations

import copy
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

from plugins.content_guard.safety import URL_SCHEMES

from .profile import Profile
from .sanitize import sanitize_fragment

INDENT = "\u3000\xa0 \t\r\n\u2002\u2003"
_CENTER = re.compile(r"text-align\s*:\s*center", re.IGNORECASE)
_BLOCKS = frozenset("p div li td th h1 h2 h3 h4 h5 h6 blockquote dd dt figcaption caption".split())
_ENTITY = re.compile(r"&(?=#?\w+;)")
_SAFE_NAME = re.compile(r"[^\w.\-]+", re.UNICODE)
# Control characters in a URL attribute (`&#x01;javascript:…`): browsers drop them, lxml refuses them.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
LINK_SCHEMES = URL_SCHEMES  # the site's one policy (plugins/content_guard/safety.py)
# A paragraph right after an image that starts like a caption: 图为… / 图：… / ▲ … / （图…
_CAPTION_START = re.compile(r"^[（(]?(?:图|圖|▲|△|↑|photo|pic)", re.IGNORECASE)
CAPTION_MAX_CHARS = 80
_ALT_UNSAFE = re.compile(r"[\[\]\\<>`*_]+")


@dataclass(frozen=True)
class MediaRef:
    url: str          # where to download it from (the crawled host)
    public_url: str   # absolute URL on the canonical host (used if the download fails)
    kind: str         # "image" or "attachment"
    filename: str     # validated file name inside the <slug>/ folder
    link: str         # the link written in the post: {static}slug/file


@dataclass
class PreparedBody:
    media: list[MediaRef]
    left_out: list[str]   # what was removed from the body and why, one line each


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


def _text(el) -> str:
    return re.sub(r"\s+", " ", el.text_content()).strip(INDENT + " ")


def _clean_alt(text: str) -> str:
    """Alt text that cannot break the Markdown image syntax, on one line, at most 100 characters."""
    return re.sub(r"\s+", " ", _ALT_UNSAFE.sub(" ", text)).strip()[:100].strip()


def _caption(img, body) -> str:
    """The image's caption: its <figure>'s <figcaption>, or the caption paragraph right after it."""
    for parent in img.iterancestors("figure"):
        for cap in parent.iter("figcaption"):
            return _text(cap)
        break
    block = next(img.iterancestors(*_BLOCKS), None)
    if block is None or block is body or block.tag in ("td", "th") or _text(block):
        return ""   # the image is inside running text or a table cell: the text around it is no caption
    nxt = block.getnext()
    while nxt is not None and not isinstance(nxt.tag, str):
        nxt = nxt.getnext()
    if nxt is None or nxt.tag not in ("p", "div") or nxt.xpath(".//img"):
        return ""
    text = _text(nxt)
    centred = bool(_CENTER.search(nxt.get("style", ""))) or (nxt.get("align") or "").lower() == "center"
    if text and len(text) <= CAPTION_MAX_CHARS and (centred or _CAPTION_START.match(text)):
        return text
    return ""


def image_alt(img, src: str, body) -> str:
    """Alt text for an image: its own alt, else its title, else its caption, else its file name."""
    for candidate in (img.get("alt"), img.get("title"), _caption(img, body)):
        alt = _clean_alt(candidate or "")
        if alt:
            return alt
    name = splitext(unquote(basename(urlsplit(src).path)))[0]
    return _clean_alt(name.replace("_", " ")) or "图片"


def _absolute(base: str, ref: str) -> str | None:
    """``ref`` made absolute against ``base``; None for a URL that cannot be parsed (``http://[::1``)."""
    try:
        absolute = urljoin(base, ref)
        urlsplit(absolute).port  # noqa: B018 - raises ValueError for a bad port
    except ValueError:
        return None
    return absolute


def _unusable(href: str, absolute: str | None) -> bool:
    """A link a reader could not (or must not) follow: another scheme, control characters inside,
    or no URL at all."""
    if absolute is None:
        return True
    if _CONTROL.search(href) or urlsplit(href).scheme.lower() not in LINK_SCHEMES:
        return urlsplit(absolute).scheme.lower() not in LINK_SCHEMES
    return False


def _one_line(text: str, limit: int = 80) -> str:
    text = repr(text)[1:-1]
    return text if len(text) <= limit else text[: limit - 1] + "…"


def prepare_body(body, *, page_url: str, canonical_page_url: str, profile: Profile, slug: str) -> PreparedBody:
    """Transform the body tree in place; return the media files the post links to and what was left out."""
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
            if el.get(attr) is not None and _CONTROL.search(el.get(attr)):
                el.attrib[attr] = _CONTROL.sub("", el.get(attr))

    media: list[MediaRef] = []
    left_out: list[str] = []
    used: set[str] = set()
    seen: dict[str, MediaRef] = {}

    def plan(url_attr: str, el, kind: str, absolute: str) -> None:
        if absolute in seen:
            el.set(url_attr, seen[absolute].link)
            return
        name = safe_filename(absolute, used)
        ref = MediaRef(
            url=_fetch_url(absolute, page_url, profile.canonical_base_url),
            public_url=absolute,
            kind=kind,
            filename=name,
            # {static}: resolved from the post's folder, and valid in every language's pages
            # (a second {attach} of one file stops Pelican: "output location was already overridden").
            link=f"{{static}}{slug}/{name}",
        )
        seen[absolute] = ref
        media.append(ref)
        el.set(url_attr, ref.link)

    for img in list(body.iter("img")):
        src = (img.get("src") or "").strip()
        if not src:
            src = (img.get("data-src") or img.get("original") or "").strip()
        absolute = _absolute(canonical_page_url, src) if src and not _CONTROL.search(src) else None
        if absolute is None or urlsplit(absolute).scheme not in ("http", "https"):
            left_out.append(f"image {_one_line(src) or '(no src)'}: not an http(s) URL; image left out")
            img.drop_tree()
            continue
        img.set("alt", image_alt(img, absolute, body))
        plan("src", img, "image", absolute)
    for a in list(body.iter("a")):
        href = a.get("href")
        if href is None:
            continue
        if not href.strip(INDENT):
            a.attrib.pop("href")
            continue
        absolute = _absolute(canonical_page_url, href.strip(INDENT))
        if _unusable(href.strip(INDENT), absolute):
            left_out.append(f"link {_one_line(href)}: not an http, https or mailto URL; link removed, text kept")
            a.drop_tag()
        elif urlsplit(absolute).scheme in ("http", "https") and _extension(absolute) in profile.attachment_extensions:
            plan("href", a, "attachment", absolute)
        else:
            a.set("href", absolute)
    return PreparedBody(media, left_out)


def relink(body, changes: dict[str, str | None]):
    """A copy of ``body`` with each media link in ``changes`` pointed to a new URL, or left out when None
    (an image is removed, a link keeps its text)."""
    body = copy.deepcopy(body)
    for el in list(body.iter("img", "a")):
        attr = "src" if el.tag == "img" else "href"
        link = el.get(attr)
        if link not in changes:
            continue
        if changes[link] is not None:
            el.set(attr, changes[link])
        elif el.tag == "img":
            el.drop_tree()
        else:
            el.drop_tag()
    return body


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


# Our own media links after nh3 (which percent-encodes non-ASCII URLs): the file names are only
# letters, digits, "." "-" "_" (safe_filename), so unquoting cannot produce Markdown syntax.
_STATIC_LINK = re.compile(r"\{static\}[^\s)\"'<>]+")


def body_to_markdown(body) -> str:
    """Sanitised Markdown.  ``{static}`` links are written unquoted: Pelican looks static files up by the
    literal path of the link (``%E9%80%9A.pdf`` is not found, ``通.pdf`` is)."""
    html = lxml.html.tostring(body, encoding="unicode")
    md = html_to_markdown(sanitize_fragment(html))
    return _STATIC_LINK.sub(lambda m: unquote(m.group(0)), md)
