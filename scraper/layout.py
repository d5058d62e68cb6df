"""Article extraction by the association's visible layout, for pages the profile's selectors miss.

Every article page of 中国道路交通安全协会 shows the same text, in this order (see ``tests/fixtures/seed``):
the breadcrumb 首页 > 新闻中心 > 新闻详情, a date block (the year over ``MM-DD``), the column name,
打印, the title with an optional 最新推荐 badge, a summary, the body, then 热门新闻. This module finds
those fields by that shape and by their text, never by class names, so a new template (framework
classes, class-less nested ``div``s, tables) still yields a complete post. Data embedded in the page
(``embedded.find_embedded``) fills what the markup does not show and is compared with what it does:
a post from this path carries no ``Review:`` flag only when every field was found and agrees.

``find_layout`` returns the fields *and the elements that held them* (``scraper doctor`` proposes
selectors from those elements); ``extract_by_layout`` turns them into an ``Article``.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher

import lxml.html
from lxml import etree

from .embedded import candidates, find_embedded
from .extract import (
    SUMMARY_LABEL_ONLY,
    Article,
    NotArticle,
    canonical_url,
    clean_text,
    meta,
    parse_date,
    source_id_from_url,
    strip_summary_label,
)
from .profile import Profile

INLINE = frozenset("a abbr b big cite code del em font i ins kbd label mark q s small span strike strong sub sup "
                   "time tt u var br img wbr".split())
INVISIBLE = frozenset("script style noscript template head title meta link svg iframe object select option".split())
FURNITURE = frozenset("header footer nav aside".split())
_YEAR = re.compile(r"(19|20)\d{2}年?")
_MONTH_DAY = re.compile(r"(\d{1,2})\s*[-/.月]\s*(\d{1,2})日?")
_YEAR_MD = re.compile(r"((?:19|20)\d{2})\s*[-/.年]?\s+(\d{1,2}\s*[-/.月]\s*\d{1,2})日?")
_FULL_DATE = re.compile(r"(?:(?:发布|发表|更新)?(?:时间|日期)\s*[:：]?\s*)?"
                        r"(?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}日?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?")
_DATE_LABEL = re.compile(r"^(发布|发表|更新)?(时间|日期)\s*[:：]\s*(19|20)\d{2}")
_CRUMB = re.compile(r"首页.{0,6}新闻中心")
PRINT_TEXTS = frozenset(["打印", "【打印】", "[打印]", "打印本页", "打印此文", "打印文章", "【打印本页】"])
END_MARKER = re.compile(r"^(热门新闻|热点新闻|相关新闻|相关阅读|推荐阅读|上一篇|下一篇|版权声明|【关闭】|关闭窗口)")
HOT = "热门新闻"
META_LINE = re.compile(r"^((来源|作者|编辑|责任编辑|发布时间|发布日期|时间|日期|浏览|浏览次数|阅读|点击|访问量|字号)\s*[:：]"
                       r"|分享到|字号|【?[大中小]】?$|收藏|【关闭】|关闭窗口|返回列表)")
_CENTER = re.compile(r"text-align\s*:\s*center", re.I)
_BOLD = re.compile(r"font-weight\s*:\s*(bold|[6-9]00)", re.I)
_SENTENCE_END = tuple("。；;：:！!？?，,、")
HEADING_MAX_CHARS = 40
_CLOSING = re.compile(r"[（(【\[]\s*(全文)?完\s*[）)】\]]|[（(【\[]\s*(责任)?编辑.*[）)】\]]|-{2,}\s*(全文)?完\s*-{2,}")
FIELDS = ("title", "badge", "date_year", "date_month_day", "column", "summary", "body")


class LayoutMismatch(ValueError):
    """The page does not show the association's layout (and has no embedded article)."""


@dataclass
class Fragment:
    owner: etree._Element     # the element whose .text or child's .tail holds the text
    block: etree._Element     # nearest non-inline ancestor-or-self of the owner
    text: str


@dataclass
class Layout:
    """What the visible layout shows; ``elements`` maps profile keys to the elements that held them."""
    title: str = ""
    recommended: bool = False
    date: str | None = None            # from the date block (day only)
    column: str = ""
    summary: str = ""
    body: etree._Element | None = None
    body_is_element: bool = True       # False: the body is a synthetic wrapper of sibling paragraphs
    markers: list[str] = field(default_factory=list)   # shape markers found (breadcrumb, date block ...)
    elements: dict[str, etree._Element] = field(default_factory=dict)


def fragments(root) -> list[Fragment]:
    """The page's visible text pieces in document order (scripts, styles, templates skipped)."""
    out: list[Fragment] = []

    def block_of(el):
        while el is not None and isinstance(el.tag, str) and el.tag.lower() in INLINE:
            el = el.getparent()
        return el

    def visit(el):
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        if not tag or tag in INVISIBLE or el.get("hidden") is not None or el.get("aria-hidden") == "true" or \
                "display:none" in (
                el.get("style") or "").replace(" ", "").lower():
            return
        blk = block_of(el)
        if el.text and el.text.strip():
            t = clean_text(el.text)
            if t:
                out.append(Fragment(el, blk, t))
        for child in el:
            if isinstance(child.tag, str):
                visit(child)
            if child.tail and child.tail.strip():
                t = clean_text(child.tail)
                if t:
                    out.append(Fragment(el, blk, t))

    body = root.find("body") if root.tag == "html" else root
    visit(body if body is not None else root)
    return out


def contains(ancestor, el) -> bool:
    while el is not None:
        if el is ancestor:
            return True
        el = el.getparent()
    return False


def in_furniture(el) -> bool:
    """Inside the page's header/footer/nav/aside, or an element with their ARIA roles? (The header
    and footer of an ``<article>`` are the article's own.)"""
    while el is not None:
        if isinstance(el.tag, str):
            tag = el.tag.lower()
            if (el.get("role") or "").lower() in ("navigation", "banner", "contentinfo", "complementary") or (
                    tag in FURNITURE and not (tag in ("header", "footer") and el.xpath("ancestor::article"))):
                return True
        el = el.getparent()
    return False


def _block_text(el) -> str:
    return clean_text(el.text_content())


def _climb(el, barriers: list) -> etree._Element:
    """The highest ancestor-or-self of ``el`` that contains none of ``barriers``."""
    while True:
        parent = el.getparent()
        if parent is None or parent.tag in ("body", "html"):
            return el
        if any(b is not None and contains(parent, b) for b in barriers):
            return el
        el = parent


def find_layout(root, profile: Profile, summary_hints: tuple[str, ...] = ()) -> Layout:
    """Locate the layout's fields in a parsed page (read-only). Missing fields stay empty.

    ``summary_hints``: summaries the page states elsewhere (meta description, embedded data); a block
    after the title equal to one of them is the summary even when it shares the body's container."""
    frags = fragments(root)
    lay = Layout()
    badge_text = str(profile.article_sel.get("badge_text", "最新推荐"))
    column_names = {c.name for c in profile.columns}
    n = len(frags)

    # 1. breadcrumb: 首页 ... 新闻中心 ... 新闻详情 (one block, or consecutive fragments)
    start = 0
    for i, f in enumerate(frags):
        window = " ".join(x.text for x in frags[max(0, i - 6): i + 1])
        if ("新闻详情" in f.text and "首页" in window) or _CRUMB.search(f.text):
            start = i + 1
            lay.markers.append("breadcrumb")
            break
    head_end = min(n, start + 40)
    anchors: list[etree._Element] = []
    last_anchor = start - 1

    # 2. date block: the year over MM-DD (two fragments, or one "YYYY MM-DD"), else a full date
    for i in range(start, head_end):
        t = frags[i].text
        nxt = frags[i + 1].text if i + 1 < n else ""
        pair = None
        if _YEAR.fullmatch(t) and (m := _MONTH_DAY.fullmatch(nxt)):
            pair = (t[:4], m, frags[i].owner, frags[i + 1].owner)
        elif (m := _MONTH_DAY.fullmatch(t)) and _YEAR.fullmatch(nxt):      # MM-DD over the year
            pair = (nxt[:4], m, frags[i + 1].owner, frags[i].owner)
        if pair:
            year, m, year_el, md_el = pair
            lay.date = parse_date(f"{year}-{m.group(1)}-{m.group(2)}", profile.timezone)
            lay.elements["date_year"], lay.elements["date_month_day"] = year_el, md_el
            anchors += [year_el, md_el]
            last_anchor = i + 1
        elif m := _YEAR_MD.fullmatch(t):
            lay.date = parse_date(f"{m.group(1)}-{m.group(2)}", profile.timezone)
            lay.elements["date_year"] = lay.elements["date_month_day"] = frags[i].owner
            anchors.append(frags[i].owner)
            last_anchor = i
        if lay.date:
            lay.markers.append("date block")
            break
    else:
        # a date line: "2021-12-20", "2021年12月20日 09:30", "发布时间：2021-12-20 09:30　来源：…"
        for i in range(start, head_end):
            t = frags[i].text
            if not (_FULL_DATE.fullmatch(t) or _DATE_LABEL.match(t)) or not (d := parse_date(t, profile.timezone)):
                continue
            lay.date = d
            lay.elements["date_year"] = lay.elements["date_month_day"] = frags[i].owner
            anchors.append(frags[i].owner)
            if not META_LINE.match(t):       # a labelled line may follow the title: it does not end the head
                last_anchor = max(last_anchor, i)
            lay.markers.append("date")
            break

    # 3. column name and 打印 near the date block
    for i in range(start, head_end):
        t = re.sub(r"^(所属)?栏目\s*[:：]\s*", "", frags[i].text)
        if not lay.column and t in column_names and not _CRUMB.search(frags[i].block.text_content() or ""):
            lay.column = t
            lay.elements["column"] = frags[i].owner
            anchors.append(frags[i].owner)
            last_anchor = max(last_anchor, i)
            lay.markers.append("column")
        elif frags[i].text in PRINT_TEXTS:
            anchors.append(frags[i].owner)
            last_anchor = max(last_anchor, i)
            lay.markers.append("打印")
            break

    # 4. title: the page's h1 if it has one past the breadcrumb, else the first text after the anchors
    title_el = None
    labels = column_names | {"新闻中心", "新闻详情", "新闻动态", "新闻资讯", "正文", "详情"}
    past_crumb = {id(f.owner) for f in frags[start:]} if start else None
    for h in root.iter("h1"):
        text = _block_text(h)
        if len(text) < 4 or _site_name_banner(h, text, profile.source_name) or in_furniture(h) or text in labels:
            continue       # the site's name in a logo heading, a section banner
        if past_crumb is not None and not any(id(x) in past_crumb for x in h.iter()):
            continue
        title_el = h
        break
    after = last_anchor + 1
    if title_el is None and start and anchors:
        # a title printed between the breadcrumb and the date/column/打印 block
        first_anchor = min((i for i in range(start, n) if any(frags[i].owner is a for a in anchors)), default=start)
        in_box = False       # a 热门新闻 box placed before the article in the page's source
        for i in range(start, first_anchor):
            t = frags[i].text
            in_box = in_box or bool(END_MARKER.match(t))
            if len(t) >= 4 and t not in labels and not META_LINE.match(_block_text(frags[i].block)) \
                    and not in_furniture(frags[i].owner) and not in_box and not frags[i].owner.xpath("ancestor-or-self::a"):
                title_el = frags[i].block
                break
    if title_el is None:
        # the first text after the date/column/打印 block (a date line printed under the title is not
        # part of that block: the title comes before it)
        first_anchor = min((i for i in range(start, n) if any(contains(a, frags[i].owner) for a in anchors)),
                           default=after)
        for i in range(min(first_anchor, after), n):
            t = frags[i].text
            if any(contains(a, frags[i].owner) for a in anchors) or t.endswith(("：", ":")) or t in labels or (
                    len(_block_text(frags[i].block)) < 40 and any(contains(frags[i].block, a) for a in anchors)):
                continue     # the block's own parts, and labels such as "所属栏目：" beside them
            if t != badge_text and len(t) >= 2 and not META_LINE.match(_block_text(frags[i].block)) \
                    and not in_furniture(frags[i].owner):
                title_el = frags[i].block
                break
    if title_el is None:
        return lay
    anchors.append(title_el)
    idx = [i for i, f in enumerate(frags) if contains(title_el, f.owner)]
    after = (idx[-1] + 1) if idx else after
    badge_el = None
    for el in title_el.iter():
        if el is not title_el and isinstance(el.tag, str) and _is_badge(el, badge_text):
            badge_el = el
            break
    if badge_el is None and after < n and _badge_words(frags[after].text, badge_text):
        badge_el = frags[after].owner
        after += 1
    if badge_el is None and (nxt := title_el.getnext()) is not None and _is_badge(nxt, badge_text):
        badge_el = nxt                    # an image badge right after the title
    if badge_el is None and idx and idx[0] > 0 and _badge_words(frags[idx[0] - 1].text, badge_text) and not any(
            contains(a, frags[idx[0] - 1].owner) for a in anchors):
        badge_el = frags[idx[0] - 1].owner   # the badge printed just before the title
    title = _block_text(title_el)
    if badge_el is not None:
        lay.recommended = True
        lay.elements["badge"] = badge_el
        anchors.append(badge_el)
        if contains(title_el, badge_el):
            title = clean_text(title.replace(badge_text, "", 1) if title.endswith(badge_text) else
                               _text_without(title_el, badge_el))
    elif badge_text and (m := _badge_at_edge(badge_text).search(title)):
        title, lay.recommended = clean_text(title[: m.start()] + title[m.end():]), True
    lay.title = title
    lay.elements["title"] = title_el

    # 5. the end of the article: 热门新闻 (or another end marker) after the title
    end_el = None
    for f in frags[after:]:
        if END_MARKER.match(f.text):
            end_el = f.block
            if f.text.startswith(HOT):
                lay.markers.append(HOT)
            break

    # skip date/column/print fragments that a template shows after the title
    rest = [f for f in frags[after:] if not any(contains(a, f.owner) for a in anchors)]
    if end_el is not None:
        order = {el: i for i, el in enumerate(root.iter())}
        rest = [f for f in rest if order[f.owner] < order[end_el] and not contains(end_el, f.owner)]
    blocks: list[etree._Element] = []
    for f in rest:
        if not blocks or blocks[-1] is not f.block:
            if all(b is not f.block for b in blocks):
                blocks.append(f.block)
    # metadata lines between the title and the summary (来源：… 浏览：… 分享到 字号 大 中 小)
    while blocks and META_LINE.match(_block_text(blocks[0])):
        anchors.append(blocks.pop(0))
    if not blocks:
        return lay

    # 6. summary: the block right after the title, unless it is the body's first paragraph
    barriers = anchors + [end_el]
    summary_el = None
    if len(blocks) > 2 and SUMMARY_LABEL_ONLY.match(_block_text(blocks[0])):
        anchors.append(blocks.pop(0))      # a 摘要 / 内容提要 label above the summary's own block
        summary_el = blocks[0]
    first = blocks[0]
    if summary_el is None and len(blocks) > 1:
        holder = _climb(first, barriers)
        following = _norm("".join(_block_text(b) for b in blocks[1:6]))
        stated = [_norm(strip_summary_label(x)) for x in summary_hints if x]
        if (not contains(holder, blocks[1])
                # the site's summaries are the body's first sentences, cut off, or restate them
                or (len(_norm(_block_text(first))) >= 20 and (following.startswith(_norm(_block_text(first)))
                                                                or _restates(_norm(_block_text(first)), following)))
                or _norm(strip_summary_label(_block_text(first))) in stated):
            summary_el = first
    if summary_el is not None:
        lay.summary = strip_summary_label(_block_text(summary_el))
        lay.elements["summary"] = summary_el
        barriers.append(summary_el)
        rest_blocks = blocks[1:]
        # metadata lines between the summary and the body (来源：… 作者：… 浏览：…)
        while len(rest_blocks) > 1 and META_LINE.match(_block_text(rest_blocks[0])):
            barriers.append(rest_blocks.pop(0))
        body_start = rest_blocks[0]
    else:
        body_start = first

    # 7. body: the largest container of the first body block holding none of the other fields,
    #    plus its following siblings up to the end marker (when paragraphs are siblings of the title)
    body_el = _climb(body_start, barriers)
    parts = [body_el]
    # a container of paragraphs is the whole body; a lone paragraph has its siblings after it
    is_container = any(isinstance(c.tag, str) and c.tag.lower() not in INLINE for c in body_el)
    sib = None if is_container else body_el.getnext()
    while sib is not None:
        if any(b is not None and contains(sib, b) for b in barriers) or (isinstance(sib.tag, str) and (
                END_MARKER.match(_block_text(sib)) or sib.tag.lower() in FURNITURE)):
            break
        if isinstance(sib.tag, str) and sib.tag.lower() not in INVISIBLE:
            parts.append(sib)
        sib = sib.getnext()
    parts = [p for p in parts if not isinstance(p.tag, str) or p.tag.lower() not in INVISIBLE]
    if len(parts) == 1:
        lay.body = body_el
        lay.elements["body"] = body_el
    else:
        wrapper = lxml.html.Element("div")
        for p in parts:
            wrapper.append(copy.deepcopy(p))
        lay.body, lay.body_is_element = wrapper, False
        lay.elements["body"] = body_el.getparent()
    return lay


RESTATES_RATIO = 0.6     # a summary restating the first paragraph; two paragraphs of a body: ~0.2


def _restates(summary: str, following: str) -> bool:
    """Does ``summary`` say again what the text after it starts with (an editor's shortened lead)?"""
    start = following[: int(len(summary) * 1.3)]
    return SequenceMatcher(None, summary, start, autojunk=False).ratio() >= RESTATES_RATIO


_BRACKETS = "[]【】()（）<>《》「」 \u3000"


def _badge_words(text: str, badge_text: str) -> bool:
    """Is ``text`` the 最新推荐 badge, bare or in brackets ([最新推荐], 【最新推荐】)?"""
    return bool(badge_text) and text.strip(_BRACKETS) == badge_text


def _is_badge(el, badge_text: str) -> bool:
    """An element that shows the badge: its text, or an image's alt/title."""
    if not badge_text or not isinstance(el.tag, str):
        return False
    if el.tag.lower() == "img":
        return any(_badge_words(el.get(a) or "", badge_text) for a in ("alt", "title"))
    return _badge_words(_block_text(el), badge_text)


def _badge_at_edge(badge_text: str) -> re.Pattern:
    word = re.escape(badge_text)
    # at the start only in brackets (a title may begin with the words themselves), at the end bare too
    return re.compile(rf"^\s*[\[【(（]{word}[\]】)）]\s*|\s*[\[【(（]?{word}[\]】)）]?\s*$")


def _site_name_banner(h, text: str, site_name: str) -> bool:
    """A logo heading: the site's name (and a word or two: 主办, 官网), a logo image or a link home.
    A title that merely names the association ("中国道路交通安全协会召开…") is not one."""
    if h.xpath(".//img") or any((a.get("href") or "").strip() in ("/", "./", "index.html") for a in h.iter("a")):
        return True
    return bool(site_name) and site_name in text and len(text) - len(site_name) <= 4


def _text_without(el, skip) -> str:
    parts: list[str] = []

    def walk(x):
        if x is skip:
            if x.tail:
                parts.append(x.tail)
            return
        if x.text:
            parts.append(x.text)
        for c in x:
            walk(c)
        if x is not el and x.tail:
            parts.append(x.tail)

    walk(el)
    return clean_text("".join(parts))


# -- paragraphs written as <br><br> ------------------------------------------------------------------
_BLOCK_CHILD = frozenset("p div table ul ol dl h1 h2 h3 h4 h5 h6 blockquote section article pre figure".split())


def split_br_paragraphs(body) -> int:
    """Text split into paragraphs only by ``<br><br>`` (or a ``<br>`` before a full-width indent "　　"),
    as old editors write it, becomes one ``<p>`` per paragraph; returns how many containers changed."""
    changed = 0
    for el in list(body.iter()):
        if not isinstance(el.tag, str) or el.tag.lower() not in ("div", "td", "section", "article", "font", "span"):
            continue
        kids = [c for c in el if isinstance(c.tag, str)]
        if not any(c.tag.lower() == "br" for c in kids) or any(c.tag.lower() in _BLOCK_CHILD for c in kids):
            continue
        groups: list[list] = [[el.text or ""]]   # each group: [text, child, child, ...] (children keep tails)
        run = 0
        for child in list(el):
            if isinstance(child.tag, str) and child.tag.lower() == "br":
                run += 1
                nxt = child.tail or ""
                if not nxt.strip() and run < 2:
                    continue
                if run >= 2 or nxt.lstrip(" \t\r\n").startswith("\u3000"):
                    groups.append([nxt])
                    run = 0
                else:          # a line break inside a paragraph
                    groups[-1].append(child)
                    run = 0
                continue
            run = 0
            groups[-1].append(child)
        groups = [g for g in groups if (g[0] or "").strip() or any(
            isinstance(c.tag, str) and (c.text_content().strip() or c.xpath(".//img") or c.tag.lower() == "img")
            for c in g[1:])]
        if len(groups) < 2:
            continue
        tail = el.tail
        for child in list(el):
            el.remove(child)
        el.text, el.tail = None, tail
        for g in groups:
            p = lxml.html.Element("p")
            p.text = g[0]
            for child in g[1:]:
                p.append(child)
            el.append(p)
        changed += 1
    return changed


# -- sub-headings ------------------------------------------------------------------------------------
def _own_text_bold(el) -> bool:
    """All of the element's text is inside <strong>/<b> (or a bold style)."""
    if _BOLD.search(el.get("style") or ""):
        return True
    if (el.text or "").strip():
        return False
    bold = [c for c in el if isinstance(c.tag, str) and (c.tag.lower() in ("strong", "b") or _BOLD.search(
        c.get("style") or ""))]
    if not bold:
        inner = [c for c in el if isinstance(c.tag, str)]
        return len(inner) == 1 and not (inner[0].tail or "").strip() and inner[0].tag.lower() in (
            "span", "font") and _own_text_bold(inner[0])
    for c in el:
        if isinstance(c.tag, str) and c not in bold and c.text_content().strip():
            return False
        if (c.tail or "").strip():
            return False
    return True


def _centred(el) -> bool:
    return bool(_CENTER.search(el.get("style") or "")) or (el.get("align") or "").lower() == "center"


def _heading_like(el, centred: bool = True) -> bool:
    text = _block_text(el)
    if not text or len(text) > HEADING_MAX_CHARS or text.endswith(_SENTENCE_END) or "\n" in (el.text_content()
                                                                                               or "").strip():
        return False
    if el.xpath(".//img|.//table|.//br") or _FULL_DATE.search(text) or text.startswith(("来源", "作者", "图")):
        return False
    if _CLOSING.fullmatch(text):          # （完） 【全文完】 (责任编辑：张三): the end of a text, not a heading
        return False
    prev = el.getprevious()
    if prev is not None and prev.xpath("descendant-or-self::img"):   # an image caption
        return False
    return _own_text_bold(el) or (centred and _centred(el) and not el.xpath(".//a"))


def recover_subheadings(body, *, centred: bool = True) -> int:
    """h1/h3-h6 and one-line bold (or, with ``centred``, centred) paragraphs become <h2>; returns how many."""
    count = 0
    for el in list(body.iter()):
        if el is body or not isinstance(el.tag, str):
            continue
        tag = el.tag.lower()
        if tag in ("h1", "h3", "h4", "h5", "h6"):
            el.tag = "h2"
            count += 1
        elif tag in ("p", "div") and not any(isinstance(c.tag, str) and c.tag.lower() not in INLINE for c in el) \
                and _heading_like(el, centred):
            text = _block_text(el)
            tail = el.tail
            el.clear()
            el.tag, el.text, el.tail = "h2", text, tail
            count += 1
    return count


# -- the Article -------------------------------------------------------------------------------------
def _norm(text: str) -> str:
    return re.sub(r"\s+", "", text or "")


def _agree(a: str, b: str, *, strict: bool = False) -> bool:
    """Do two texts say the same? ``strict``: equal but for white space (titles); otherwise one may be
    a truncation of the other (summaries) or differ by a tenth (bodies)."""
    a, b = _norm(a), _norm(b)
    if strict:
        return not a or not b or a == b
    if not a or not b or a == b or a.startswith(b) or b.startswith(a):
        return True
    return SequenceMatcher(None, a[:3000], b[:3000], autojunk=False).ratio() >= 0.9


def extract_by_layout(
    root,
    page_url: str,
    profile: Profile,
    *,
    column_name: str | None = None,
    source_id: str | None = None,
) -> Article:
    """Build the Article from the visible layout and the embedded data; raise LayoutMismatch/NotArticle."""
    sid = source_id or source_id_from_url(page_url, profile)
    if sid is None:
        raise LayoutMismatch("URL path does not match [urls] article_pattern")
    found = candidates(root, profile.timezone)
    emb = find_embedded(root, profile.timezone, found=found)
    sel = profile.article_sel
    hints = (meta(root, str(sel.get("summary_meta") or "")), emb.summary if emb else "")
    lay = find_layout(root, profile, hints)
    if lay.title and found:
        emb = find_embedded(root, profile.timezone, title=lay.title, found=found)
    if len(lay.markers) < 2 and emb is None:
        raise LayoutMismatch("the page shows neither the association's layout "
                             f"(found: {', '.join(lay.markers) or 'nothing'}) nor embedded article data")
    if len(lay.markers) < 2:
        lay = Layout(markers=lay.markers)      # too little of the shape to trust its fields
    missing: list[str] = []
    disagree: list[str] = []

    def pick(name: str, dom: str, data: str, meta_value: str = "") -> str:
        value = meta_value or dom or data
        if dom and data and not _agree(dom, data, strict=name == "title"):
            disagree.append(f"{name} differs from {emb.origin}")
        if not value:
            missing.append(name)
        return value

    title = pick("title", lay.title, emb.title if emb else "")
    if not title:
        raise NotArticle("no title (layout extractor)")

    date_meta = parse_date(meta(root, sel.get("date_meta")), profile.timezone)
    dates = [d for d in (date_meta, emb.date if emb else None, lay.date) if d]
    if not dates:
        raise NotArticle("no publication date (layout extractor: no date block, meta or embedded date)")
    date = max(dates, key=len)          # the most precise of the agreeing dates
    if any(d[:10] != dates[0][:10] for d in dates):
        disagree.append("date: " + " / ".join(dates))
        date = dates[0]

    columns = {c.name for c in profile.columns}
    named = [meta(root, sel.get("column_meta")), lay.column, emb.column if emb else ""]
    category = next((c for c in named if c in columns), "") or column_name or next((c for c in named if c), "")
    if lay.column and emb and emb.column and emb.column in columns and lay.column != emb.column:
        disagree.append(f"column differs from {emb.origin}")

    summary = pick("summary", lay.summary, emb.summary if emb else "", "")
    summary = summary or meta(root, sel.get("summary_meta"))
    if summary and "summary" in missing:
        missing.remove("summary")

    recommended = lay.recommended
    if emb and emb.recommended is not None:
        if lay.markers and emb.recommended != lay.recommended and lay.title:
            disagree.append(f"最新推荐 badge differs from {emb.origin}")
        recommended = recommended or emb.recommended

    body = lay.body
    if body is not None and emb and emb.body_html and not _agree(_block_text(body), _html_text(emb.body_html)):
        disagree.append(f"body differs from {emb.origin}")
    if (body is None or not _block_text(body)) and emb and emb.body_html:
        body = lxml.html.fragment_fromstring(emb.body_html, create_parent="div")
    if body is None:
        raise NotArticle("no body (layout extractor)")
    for selector in profile.drop_css:
        for el in selector(body):
            if el is not body:
                el.drop_tree()
    if not _block_text(body) and not body.xpath(".//img|.//table"):
        raise NotArticle("empty body (layout extractor)")
    split_br_paragraphs(body)
    recover_subheadings(body)

    review = None
    if missing or disagree:
        review = ("layout-extractor (" + "; ".join([f"{m} not found" for m in missing] + disagree)
                  + "); check the post, then run `python -m scraper doctor` on the page")
    return Article(
        title=title,
        date=date,
        category=category,
        summary=summary,
        source=meta(root, sel.get("source_meta")) or (emb.source if emb and emb.source else "") or profile.source_name,
        source_url=canonical_url(page_url, profile),
        source_id=sid,
        body=body,
        page_url=page_url,
        recommended=bool(recommended),
        review=review,
    )


def _html_text(fragment: str) -> str:
    try:
        return _block_text(lxml.html.fragment_fromstring(fragment, create_parent="div"))
    except (etree.ParserError, ValueError):
        return fragment
