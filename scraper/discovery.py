"""Finding article URLs without the profile's list selectors: by URL pattern, by page probing, by sitemap.

* ``article_links``: every link on a list page whose path matches ``[urls] article_pattern``, outside
  the page's furniture (``header``/``footer``/``nav``/``aside`` and their ARIA roles) and outside
  hot-news boxes (a box headed 热门新闻, 热点新闻, 点击排行 ...), each with the date printed next to it.
* ``page_links``: does a list page link to page ``n`` (``?page=n``)? does it link to any page at all?
  A list without such links (pagination drawn as buttons) is probed page after page by the crawler.
* ``read_sitemap``: the article URLs (and ``lastmod``) of a sitemap or sitemap index, parsed
  without entities or network access.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit, urlunsplit

from lxml import etree

from .extract import clean_text, parse_date
from .fetch import origin
from .layout import contains, fragments, in_furniture
from .profile import Profile

HOT_BOX = re.compile(r"^(热门新闻|热点新闻|热门文章|热门推荐|点击排行|阅读排行|排行榜|相关新闻|相关阅读|推荐阅读|最新推荐|友情链接)"
                     r"\s*(更多|more)?\s*[>»›]*$", re.I)
MAX_SITEMAP_URLS = 100_000
MAX_DATE_CHARS = 24       # "发布日期：2021-12-20 09:30" and shorter: a date, not a title that names one


@dataclass(frozen=True)
class Link:
    url: str
    article_id: str
    date: str | None      # "YYYY-MM-DD" printed next to the link, if any


def to_base(url: str, profile: Profile, base_url: str) -> str:
    """A URL on the profile's canonical host, moved to the host actually crawled (--base-url)."""
    if origin(url) == origin(profile.canonical_base_url) and origin(base_url) != origin(url):
        parts, base = urlsplit(url), urlsplit(base_url)
        return urlunsplit((base.scheme, base.netloc, parts.path, parts.query, ""))
    return url


def article_id(url: str, profile: Profile) -> str | None:
    m = profile.article_pattern.match(urlsplit(url).path)
    return m.group("id") if m else None


# Script navigation on a list item: onclick="location.href='/news/article/10234'", window.open('…'),
# location='…'; and data-href / data-url attributes read by a script.
_ONCLICK_URL = re.compile(r"""(?:location(?:\.href)?\s*=|location\.(?:assign|replace)\s*\(|window\.open\s*\()"""
                          r"""\s*(['"])([^'"]+)\1""")
LINK_ATTRS = ("data-href", "data-url", "data-link")


def link_target(el) -> str:
    """Where an element leads when clicked: its href, a URL its onclick script navigates to, or its
    data-href/data-url attribute ("" if none). Nothing is executed: the URL is read from the text."""
    if not isinstance(el.tag, str):
        return ""
    href = (el.get("href") or "").strip() if el.tag.lower() == "a" else ""
    if href and not href.lower().startswith("javascript:"):
        return href
    if m := _ONCLICK_URL.search(el.get("onclick") or ""):
        return m.group(2).strip()
    return next((v.strip() for attr in LINK_ATTRS if (v := el.get(attr)) and v.strip()), href)


def clickables(root):
    """The elements of ``root`` (itself included) that lead somewhere: anchors and script links."""
    return (el for el in root.iter() if isinstance(el.tag, str) and (
        el.tag.lower() == "a" or el.get("onclick") or any(el.get(x) for x in LINK_ATTRS)))


def without_tracking(url: str, profile: Profile) -> str:
    """An article URL without its query and fragment (``?from=list&t=1``, ``#top``): the id is in the
    path (``article_pattern`` reads only the path), so one article has one URL and one Source_url."""
    parts = urlsplit(url)
    if (parts.query or parts.fragment) and profile.article_pattern.match(parts.path):
        return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))
    return url


def article_url_of(a, page_url: str, profile: Profile, base_url: str) -> str | None:
    """The article URL a link (or an element with a script link) points to (on the crawled host), or None."""
    href = link_target(a)
    if not href or href.startswith(("#", "javascript:", "mailto:")):
        return None
    url = to_base(urljoin(page_url, href), profile, base_url)
    if origin(url) != origin(base_url) or urlsplit(url).scheme not in ("http", "https"):
        return None
    return without_tracking(url, profile) if article_id(url, profile) else None


def _hot_boxes(root, page_url: str, profile: Profile, base_url: str) -> list[tuple[object, object]]:
    """(box, heading) of every hot-news box: the smallest ancestor of a 热门新闻-like heading holding article links."""
    boxes = []
    page_text = len(clean_text(root.text_content()))
    for frag in fragments(root):
        if not HOT_BOX.match(frag.text) or frag.owner.tag == "a" or in_furniture(frag.owner):
            continue
        box = frag.block
        while box is not None and not any(article_url_of(a, page_url, profile, base_url) for a in clickables(box)):
            box = box.getparent()
        # A "box" holding most of the page is the page's main part (a heading without its own wrapper).
        if box is not None and box.tag not in ("body", "html") and len(clean_text(box.text_content())) < 0.6 * page_text:
            boxes.append((box, frag.block))
    return boxes


def _in_hot_box(a, boxes) -> bool:
    for box, heading in boxes:
        if not contains(box, a):
            continue
        # The box may also hold the main list (a heading without its own wrapper): only what follows
        # the heading, up to the next heading-like element, is the hot list then.
        before = True
        for el in box.iter():
            if el is heading:
                before = False
            elif el is a:
                if before:
                    break
                return True
    return False


def _date_near(a, page_url: str, profile: Profile, base_url: str) -> str | None:
    """The date printed in the smallest list item around the link (its title text left out): a short
    text that is a date (``2021-12-20``, ``[2021/12/20]``, ``2021年12月20日``), inside the link or beside
    it, else a date anywhere in the item's text but the link's."""
    item, own = a, clean_text(a.text_content())
    for _ in range(5):
        for attr in (x.get("datetime") for x in item.iter("time")):
            if attr and (d := parse_date(attr, profile.timezone)):
                return d[:10]
        for piece in item.itertext():
            piece = clean_text(piece)
            if len(piece) <= MAX_DATE_CHARS and (d := parse_date(piece, profile.timezone)):
                return d[:10]
        parent = item.getparent()
        if parent is None:
            break
        links = {u for x in clickables(parent) if (u := article_url_of(x, page_url, profile, base_url))}
        if len(links) > 1:
            break
        item = parent
    item = a
    for _ in range(4):
        parent = item.getparent()
        if parent is None:
            break
        links = {u for x in clickables(parent) if (u := article_url_of(x, page_url, profile, base_url))}
        if len(links) > 1:
            break
        item = parent
        text = clean_text(item.text_content()).replace(own, " ")
        for attr in (x.get("datetime") for x in item.iter("time")):
            if attr and (d := parse_date(attr, profile.timezone)):
                return d[:10]
        if d := parse_date(text, profile.timezone):
            return d[:10]
    return None


def article_links(root, page_url: str, profile: Profile, base_url: str) -> list[Link]:
    """Links to articles on a list page, in page order, without furniture and hot-news boxes.

    When some links show a date beside them (a news list), an undated link placed differently from
    every dated one (another chain of tags) is page furniture that markup alone does not tell apart
    (a "热点：" line in a top bar, a notice linked from a footer ``div``)."""
    boxes = _hot_boxes(root, page_url, profile, base_url)
    out: list[Link] = []
    seen: set[str] = set()
    shapes: list[tuple] = []
    for a in clickables(root):
        url = article_url_of(a, page_url, profile, base_url)
        if not url or in_furniture(a) or _in_hot_box(a, boxes):
            continue
        aid = article_id(url, profile)
        if aid in seen:
            continue
        seen.add(aid)
        out.append(Link(url, aid, _date_near(a, page_url, profile, base_url)))
        shapes.append(_shape(a))
    dated_shapes = {shape for link, shape in zip(out, shapes, strict=True) if link.date}
    if dated_shapes:
        out = [link for link, shape in zip(out, shapes, strict=True) if link.date or shape in dated_shapes]
    return out


def _shape(el, depth: int = 4) -> tuple:
    """The tags of an element and its nearest ancestors: the items of one list share it."""
    tags = []
    while el is not None and len(tags) < depth:
        tags.append(el.tag if isinstance(el.tag, str) else "")
        el = el.getparent()
    return tuple(tags)


def page_links(scopes, param: str, n: int) -> tuple[bool, bool]:
    """(links to page n, links to any numbered page) within ``scopes`` (elements)."""
    pattern = re.compile(rf"[?&]{re.escape(param)}=(\d+)(?!\d)")
    to_n = any_page = False
    for scope in scopes:
        for a in scope.iter("a"):
            m = pattern.search(a.get("href") or "")
            if m:
                any_page = True
                to_n = to_n or int(m.group(1)) == n
    return to_n, any_page


# -- sitemaps ----------------------------------------------------------------------------------------------
_XML_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                              recover=True)


def read_sitemap(data: bytes) -> tuple[list[tuple[str, str | None]], list[str]]:
    """(urls with lastmod, nested sitemap URLs) of a sitemap or sitemap index; ([], []) if unreadable."""
    try:
        root = etree.fromstring(data.lstrip(), _XML_PARSER)
    except (etree.XMLSyntaxError, ValueError):
        return [], []
    if root is None:
        return [], []
    urls: list[tuple[str, str | None]] = []
    nested: list[str] = []
    kind = etree.QName(root).localname if isinstance(root.tag, str) else ""
    for entry in root:
        if not isinstance(entry.tag, str):
            continue
        loc = lastmod = None
        for child in entry:
            if not isinstance(child.tag, str):
                continue
            name = etree.QName(child).localname
            if name == "loc":
                loc = (child.text or "").strip()
            elif name == "lastmod":
                lastmod = (child.text or "").strip() or None
        if not loc:
            continue
        if kind == "sitemapindex":
            nested.append(loc)
        elif len(urls) < MAX_SITEMAP_URLS:
            urls.append((loc, lastmod))
    return urls, nested
