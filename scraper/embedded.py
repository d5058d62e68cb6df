"""Article data embedded in a page, read without running any script.

Sources, in this order: JSON-LD (``NewsArticle``/``Article``), ``<script id="__NEXT_DATA__">``, and
state assignments (``window.__NUXT__``, ``window.__INITIAL_STATE__``, ``window.__PRELOADED_STATE__``,
including Nuxt 2's ``(function(a,b){return {...}}(...))`` form and ``JSON.parse("...")``), read
with ``jsliteral``. In the data found, the object that looks most like one article (a title and a
content or a date) gives the fields. Everything fails soft: unreadable data is ignored.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from .extract import clean_text, parse_date
from .jsliteral import JSLiteralError, parse_assignment, parse_value

log = logging.getLogger(__name__)

MAX_NODES = 200_000
_STATE = re.compile(r"(?:(?:window|self|globalThis)\.)?(?:(?:window|self|globalThis)\[\s*(['\"]))?"
                    r"(__NUXT__|__INITIAL_STATE__|__PRELOADED_STATE__|__STATE__)(?(1)\1\s*\])\s*=\s*")
_ARTICLE_TYPES = {"newsarticle", "article", "reportagenewsarticle", "blogposting", "analysisnewsarticle"}

TITLE_KEYS = ("title", "articletitle", "newstitle", "headline", "contenttitle")
CONTENT_KEYS = ("content", "contenthtml", "articlecontent", "newscontent", "body", "bodyhtml", "articlebody", "html",
                "detail", "details", "txt")
DATE_KEYS = ("publishtime", "pubdate", "publishdate", "publishedat", "datepublished", "releasetime", "releasedate",
             "pubtime", "posttime", "inputtime", "addtime", "createtime", "createdat", "date", "time")
COLUMN_KEYS = ("columnname", "column", "categoryname", "category", "catname", "channelname", "channel",
               "articlesection", "lanmu", "typename", "sectionname")
SUMMARY_KEYS = ("summary", "description", "abstract", "digest", "intro", "brief", "zy", "desc")
RECOMMEND_KEYS = ("isrecommend", "recommend", "recommended", "isrecommended", "tj", "istj")
SOURCE_KEYS = ("sourcename", "source", "copyfrom", "contentsource")


@dataclass
class EmbeddedArticle:
    origin: str                    # where it was found, e.g. "window.__NUXT__"
    title: str = ""
    date: str | None = None        # normalised like extract.parse_date
    column: str = ""
    summary: str = ""
    body_html: str = ""            # HTML (state data) or paragraphs made from plain text (JSON-LD)
    recommended: bool | None = None
    source: str = ""


def _lower_keys(d: dict) -> dict:
    return {str(k).lower().replace("_", "").replace("-", ""): v for k, v in d.items()}


def _first(d: dict, keys: tuple[str, ...]):
    for k in keys:
        if k in d and d[k] not in (None, "", [], {}):
            return d[k]
    return None


def _text(value) -> str:
    if isinstance(value, dict):
        value = _first(_lower_keys(value), ("name", "title", "label", "value"))
    if isinstance(value, list) and value:
        value = value[0]
        if isinstance(value, dict):
            value = _first(_lower_keys(value), ("name", "title", "label", "value"))
    return clean_text(value) if isinstance(value, str) else ""


def _date(value, tz: str) -> str | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)) and value > 0:
        seconds = value / 1000 if value > 1e11 else value
        try:
            return datetime.fromtimestamp(seconds, ZoneInfo(tz)).strftime("%Y-%m-%d %H:%M")
        except (OverflowError, OSError, ValueError):
            return None
    if isinstance(value, str):
        if value.strip().isdigit():
            return _date(int(value.strip()), tz)
        return parse_date(value, tz)
    return None


def _flag(value) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return value != 0
    if isinstance(value, str):
        v = value.strip().lower()
        if v in ("1", "true", "yes", "y", "是"):
            return True
        if v in ("0", "false", "no", "n", "否", ""):
            return False
    return None


def _walk(data):
    """Every dict in ``data`` (bounded)."""
    stack, seen = [data], 0
    while stack and seen < MAX_NODES:
        node = stack.pop()
        seen += 1
        if isinstance(node, dict):
            yield node
            stack.extend(v for v in node.values() if isinstance(v, (dict, list)))
        elif isinstance(node, list):
            stack.extend(v for v in node if isinstance(v, (dict, list)))


def _paragraphs(text: str) -> str:
    from html import escape
    return "".join(f"<p>{escape(p.strip())}</p>" for p in re.split(r"\n+", text) if p.strip())


def _from_dict(d: dict, origin: str, tz: str, *, json_ld: bool = False) -> tuple[float, EmbeddedArticle] | None:
    low = _lower_keys(d)
    if json_ld:
        types = low.get("@type")
        types = types if isinstance(types, list) else [types]
        if not any(isinstance(t, str) and t.lower() in _ARTICLE_TYPES for t in types):
            return None
    title = _text(_first(low, TITLE_KEYS) or (low.get("name") if json_ld else None))
    content = _first(low, CONTENT_KEYS)
    content = content if isinstance(content, str) else ""
    date = None
    for k in DATE_KEYS:
        if k in low and (date := _date(low[k], tz)):
            break
    if not title or not (len(clean_text(content)) >= 20 or date):
        return None
    score = 1 + 2 * bool(content) + bool(date) + min(len(content), 100_000) / 1e6
    if json_ld or not re.search(r"<\w+[^>]*>", content):
        body_html = _paragraphs(content) if content else ""
    else:
        body_html = content
    rec = None
    for k in RECOMMEND_KEYS:
        if k in low and (rec := _flag(low[k])) is not None:
            break
    return score, EmbeddedArticle(
        origin=origin,
        title=title,
        date=date,
        column=_text(_first(low, COLUMN_KEYS)),
        summary=_text(_first(low, SUMMARY_KEYS)),
        body_html=body_html,
        recommended=rec,
        source=_text(_first(low, SOURCE_KEYS)) if not json_ld else _text(low.get("publisher")),
    )


def candidates(root, tz: str = "Asia/Shanghai") -> list[tuple[float, EmbeddedArticle]]:
    """Every article-like object of the page's embedded data, with its score."""
    found = []
    for origin, data in state_scripts(root):
        for d in _walk(data):
            hit = _from_dict(d, origin, tz, json_ld=origin == "JSON-LD")
            if hit:
                found.append(hit)
    return found


def _state_value(text: str, start: int):
    if text.startswith("JSON.parse(", start):
        raw, _ = parse_value(text, start + len("JSON.parse("))
        return json.loads(raw) if isinstance(raw, str) else None
    return parse_assignment(text, start)


def state_scripts(root) -> list[tuple[str, object]]:
    """(origin, data) of every embedded data block the page has; unreadable ones are skipped."""
    found: list[tuple[str, object]] = []
    for script in root.iter("script"):
        text = script.text or ""
        if not text.strip():
            continue
        kind = (script.get("type") or "").lower()
        try:
            if kind == "application/ld+json":
                found.append(("JSON-LD", json.loads(text, strict=False)))
            elif script.get("id") == "__NEXT_DATA__":
                found.append(("__NEXT_DATA__", json.loads(text, strict=False)))
            else:
                for m in _STATE.finditer(text):
                    found.append((f"window.{m.group(2)}", _state_value(text, m.end())))
        except (JSLiteralError, ValueError, RecursionError, IndexError) as exc:
            log.info("embedded data in a <script> not readable (%s); ignored", exc)
    return found


def find_embedded(root, tz: str = "Asia/Shanghai", *, title: str = "",
                  found: list[tuple[float, EmbeddedArticle]] | None = None) -> EmbeddedArticle | None:
    """The article the page's embedded data describes, or None. With ``title`` (the title the page
    shows), an object with that title wins over related-article lists and the like."""
    found = candidates(root, tz) if found is None else found
    want = re.sub(r"\s+", "", title)
    best = None
    for score, art in found:
        if want and re.sub(r"\s+", "", art.title) == want:
            score += 10
        if best is None or score > best[0]:
            best = (score, art)
    return best[1] if best else None
