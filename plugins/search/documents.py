"""Pelican articles → search records (plain dicts), and the analysis of one record."""

from __future__ import annotations

import hashlib
import html
import json
import re
from pathlib import Path

from .analysis import Normaliser, analyse_field

_BLOCK = re.compile(r"</?(?:p|div|h[1-6]|li|ul|ol|br|tr|td|th|table|blockquote|pre|section|figure|figcaption)\b[^>]*>",
                    re.I)
_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"[ \t\r\f\v]+")
_LINES = re.compile(r"\n\s*\n+")


def plain_text(fragment: str) -> str:
    """HTML → text: block elements become line breaks, entities are decoded."""
    text = _BLOCK.sub("\n", str(fragment or ""))
    text = html.unescape(_TAG.sub("", text))
    text = _SPACE.sub(" ", text)
    return _LINES.sub("\n", "\n".join(line.strip() for line in text.split("\n"))).strip()


def make_record(*, key, lang, url, title, text, date, tags=(), title_hant="", text_hant="", source="",
                column="") -> dict:
    record = {"key": key, "lang": lang, "url": url, "title": title, "title_hant": title_hant, "text": text,
              "text_hant": text_hant, "date": date, "tags": list(tags), "source": source, "column": column}
    record["hash"] = hashlib.sha256(json.dumps(record, ensure_ascii=False, sort_keys=True).encode()).hexdigest()[:32]
    return record


def records_from_articles(settings, articles, translations, columns, to_hant=None) -> list[dict]:
    """Records for the zh index (zh-Hans articles, shown as zh-Hant too) and the en index."""
    content_root = Path(settings.get("PATH", "."))
    default_lang = settings.get("DEFAULT_LANG", "zh-hans").lower()
    records = []
    for item in list(articles) + list(translations):
        if getattr(item, "category", None) is None or item.category.name not in columns:
            continue
        lang = (item.lang or default_lang).lower()
        if lang == default_lang:
            index_lang = "zh"
        elif lang == "en":
            index_lang = "en"
        else:
            continue
        title = html.unescape(str(item.title))
        body = plain_text(item.content)
        if "summary" in item.metadata:
            summary = plain_text(item.summary)
            if summary and not body.startswith(summary.rstrip("…. ")[:20]):
                body = summary + "\n" + body
        try:
            source = str(Path(item.source_path).resolve().relative_to(content_root.resolve()))
        except ValueError:
            source = str(item.source_path)
        records.append(make_record(
            key=f"{index_lang}:{source}", lang=index_lang, url=item.url, title=title, text=body,
            date=item.date.isoformat(), tags=[str(t) for t in getattr(item, "tags", []) or []],
            title_hant=to_hant.convert(title) if (to_hant and index_lang == "zh") else "",
            text_hant=to_hant.convert(body) if (to_hant and index_lang == "zh") else "",
            source=source, column=item.category.name,
        ))
    records.sort(key=lambda r: r["key"])
    return records


_NORMALISE = Normaliser(None)


def set_normaliser(normaliser: Normaliser) -> None:
    global _NORMALISE
    _NORMALISE = normaliser


def analyse_record(record: dict) -> dict:
    zh = record["lang"] == "zh"
    return {
        "t": analyse_field(_NORMALISE(record["title"]), stem=not zh, segment=zh),
        "b": analyse_field(_NORMALISE(record["text"]), stem=not zh, segment=zh),
    }
