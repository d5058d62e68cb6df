"""``python -m scraper doctor PAGE [--list LIST_PAGE]``: why the profile does (not) fit a page, and the fix.

For a saved article page (or its URL) it shows what each ``[article]`` selector of the profile
matches, what the association's-layout extractor and the page's embedded data found, which
extractor a crawl would use, and proposes selectors for the profile: for each field the shortest
CSS selector that matches exactly the element that held it on this page, printed as the complete
``[article]`` table to paste over the profile's. With ``--list`` the same for a list page's
``[list]`` table. An editor fixes a changed template without reading Python.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from lxml.cssselect import CSSSelector

from . import discovery
from .css_path import selector_for, unique_selector
from .embedded import find_embedded
from .extract import NotArticle, clean_text, meta, parse_date, parse_html
from .layout import find_layout
from .pipeline import extract
from .profile import Profile

SELECTOR_KEYS = ("title", "badge", "date_year", "date_month_day", "column", "summary", "body")
LIST_KEYS = ("item", "link", "date", "pagination")


def toml_value(value) -> str:
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)     # a TOML basic string is JSON-compatible
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    raise TypeError(value)


def toml_table(name: str, values: dict) -> str:
    return f"[{name}]\n" + "".join(f"{k} = {toml_value(v)}\n" for k, v in values.items())


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _short(text: str, n: int = 70) -> str:
    """Page text for the terminal: one line, no control characters (no escape sequences from a page)."""
    text = _CONTROL.sub("", clean_text(text))
    return text if len(text) <= n else text[: n - 1] + "…"


@dataclass
class Report:
    lines: list[str] = field(default_factory=list)
    article_table: dict | None = None
    list_table: dict | None = None
    notes: list[str] = field(default_factory=list)

    def add(self, line: str = "") -> None:
        self.lines.append(line)

    def text(self, profile: Profile) -> str:
        out = list(self.lines)
        if self.article_table or self.list_table:
            out += ["", "== Proposed selectors ==",
                    f"Replace these tables of {profile.path} with the following (other tables stay as they are):", ""]
            if self.list_table:
                out.append(toml_table("list", self.list_table))
            if self.article_table:
                out.append(toml_table("article", self.article_table))
        out += [f"note: {n}" for n in self.notes]
        return "\n".join(out).rstrip() + "\n"


def _lca(a, b):
    ancestors = set()
    x = a
    while x is not None:
        ancestors.add(id(x))
        x = x.getparent()
    y = b
    while y is not None and id(y) not in ancestors:
        y = y.getparent()
    return y


def diagnose_article(html: str, page_url: str, profile: Profile, report: Report, *, own_host: bool = True) -> None:
    root = parse_html(html)
    sel = profile.article_sel
    report.add(f"== Page {page_url} ==")
    report.add("")
    report.add(f"-- the profile's [article] selectors ({profile.path}) --")
    for key in SELECTOR_KEYS:
        if key not in profile.article_css:
            continue
        found = profile.article_css[key](root)
        shown = f"{len(found)} match(es)" + (f": {_short(found[0].text_content())!r}" if found else "")
        report.add(f"  {key:15} {sel[key]!r:40} {shown}")
    for key in ("title_meta", "date_meta", "column_meta", "source_meta", "summary_meta"):
        if sel.get(key):
            value = meta(root, str(sel[key]))
            report.add(f"  {key:15} <meta name={sel[key]!r}>{'':18} {_short(value)!r}" if value else
                       f"  {key:15} <meta name={sel[key]!r}>{'':18} absent")

    report.add("")
    report.add("-- the association's layout (found by shape and text, not by class names) --")
    emb = find_embedded(root, profile.timezone)
    lay = find_layout(root, profile, (meta(root, str(sel.get("summary_meta") or "")), emb.summary if emb else ""))
    report.add(f"  shape found:    {', '.join(lay.markers) or 'nothing'}")
    for name, value in (("title", _short(lay.title, 200)), ("最新推荐", "yes" if lay.recommended else "no"),
                        ("date", lay.date or ""), ("column", _short(lay.column)), ("summary", _short(lay.summary)),
                        ("body", _short(lay.body.text_content()) if lay.body is not None else "")):
        report.add(f"  {name:15} {value or '(not found)'}")

    report.add("")
    report.add("-- embedded page data (read, never run) --")
    if emb is None:
        report.add("  none (no JSON-LD NewsArticle, __NEXT_DATA__, window.__NUXT__ or __INITIAL_STATE__ article)")
    else:
        report.add(f"  found in        {emb.origin}")
        for name, value in (("title", _short(emb.title, 200)), ("date", emb.date or ""), ("column", _short(emb.column)),
                            ("summary", _short(emb.summary)), ("recommended", "" if emb.recommended is None
                                                                else str(emb.recommended).lower()),
                            ("body", _short(emb.body_html and parse_html(emb.body_html).text_content()))):
            report.add(f"  {name:15} {value or '(absent)'}")

    report.add("")
    report.add("-- what a crawl would do --")
    try:
        _, path, misses = extract(html, page_url, profile, on_profile_host=own_host)
        report.add(f"  extractor: {path}" + {"profile": " (the profile's selectors fit)",
                                             "layout": " (the association's layout; the selectors miss)",
                                             "generic": " (generic fallback, flagged Review:)"}[path])
    except NotArticle as exc:
        path, misses = "none", [str(exc)]
        report.add("  extractor: none: the page cannot be published")
    for m in misses:
        report.add(f"    {_short(m, 300)}")

    # Proposals from the elements the layout extractor found them in (a fresh, unmodified tree).
    elements = dict(lay.elements)
    proposal = dict(sel)
    title_el, badge_el = elements.get("title"), elements.get("badge")
    if title_el is not None and badge_el is not None and _lca(title_el, badge_el) is not title_el:
        holder = _lca(title_el, badge_el)
        if clean_text(holder.text_content()).replace(" ", "") == (
                clean_text(title_el.text_content()) + clean_text(badge_el.text_content())).replace(" ", ""):
            elements["title"] = title_el = holder
        elif not _next_siblings_hold(title_el, badge_el):
            report.notes.append("the 最新推荐 badge is not inside the title's element nor right after it: the "
                                "profile path cannot see it (Recommended would be missed)")
    for key in SELECTOR_KEYS:
        el = elements.get(key)
        if el is None:
            continue
        if key == "body" and not lay.body_is_element:
            report.notes.append("the body's paragraphs are siblings of the title and summary: no element holds the "
                                "body alone, so the profile cannot select it; crawls use the layout extractor")
            continue
        scope = root
        if key == "badge":     # the profile looks for it inside the title, then in the title's next siblings
            scope = title_el if _lca(title_el, el) is title_el else next(
                (s for s in _next_siblings(title_el) if _lca(s, el) is s), title_el)
        proposed = unique_selector(el, scope)
        if proposed:
            proposal[key] = proposed
    if proposal != sel:
        report.article_table = proposal
    elif path == "profile":
        report.notes.append("the profile's [article] selectors already fit this page")


def _next_siblings(el, count: int = 2) -> list:
    out, sib = [], el.getnext()
    while sib is not None and len(out) < count:
        out.append(sib)
        sib = sib.getnext()
    return out


def _next_siblings_hold(title_el, badge_el) -> bool:
    """Is the badge inside one of the two elements after the title's (where the profile path looks)?"""
    return any(_lca(s, badge_el) is s for s in _next_siblings(title_el))


def _item_of(a, page_url: str, profile: Profile, base_url: str):
    item = a
    while True:
        parent = item.getparent()
        if parent is None or parent.tag in ("body", "html"):
            return item
        inside = {u for x in discovery.clickables(parent) if (u := discovery.article_url_of(x, page_url, profile, base_url))}
        if len(inside) > 1:
            return item
        item = parent


def diagnose_list(html: str, page_url: str, profile: Profile, report: Report) -> None:
    root = parse_html(html)
    base = page_url
    report.add(f"== List page {page_url} ==")
    css = profile.list_css
    items = css["item"](root)
    report.add(f"  [list] item {profile.list_sel['item']!r}: {len(items)} match(es)")
    links = discovery.article_links(root, page_url, profile, base)
    report.add(f"  links matching [urls] article_pattern (outside furniture and hot-news boxes): {len(links)}")
    for link in links[:5]:
        report.add(f"    {_short(link.url, 200)}  {link.date or ''}")
    if items or not links:
        return
    wanted = {link.url for link in links}
    anchors = [a for a in discovery.clickables(root) if discovery.article_url_of(a, page_url, profile, base) in wanted]
    seen, item_els = set(), []
    for a in anchors:
        url = discovery.article_url_of(a, page_url, profile, base)
        if url in seen:
            continue
        seen.add(url)
        item_els.append(_item_of(a, page_url, profile, base))
    proposal = dict(profile.list_sel)
    item_sel = selector_for(item_els, root)
    if not item_sel:
        report.notes.append("no single selector matches exactly the list's items")
        return
    proposal["item"] = item_sel
    first = item_els[0]
    link_el = next(a for a in discovery.clickables(first) if discovery.article_url_of(a, page_url, profile, base))
    if link_el is first and first.tag != "a":    # the item itself leads to the article (onclick, data-href)
        proposal["link"] = "[onclick]" if first.get("onclick") else next(
            f"[{x}]" for x in discovery.LINK_ATTRS if first.get(x))
    else:
        proposal["link"] = "a[href]" if next(first.iter("a"), None) is link_el else (
            unique_selector(link_el, first) or "a[href]")
    if links[0].date:
        holders = [el for el in first.iter() if isinstance(el.tag, str) and el is not link_el
                   and (parse_date(clean_text(el.text or ""), profile.timezone) or "")[:10] == links[0].date]
        if holders:
            proposal["date"] = unique_selector(holders[0], first) or proposal.get("date", "")
    try:
        CSSSelector(proposal["item"], translator="html")
    except Exception:   # pragma: no cover - selector_for only returns selectors it evaluated
        return
    report.list_table = proposal
