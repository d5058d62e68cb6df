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


RECORDS_VERSION = 1  # bump when a record is made differently from the same inputs


def records_salt(settings, columns) -> str:
    """What every record depends on besides its article: the content folder (sources are named
    relative to it), the searched columns, the default language and the 繁體 conversion (OpenCC
    configuration and the editors' phrases file, by content)."""
    phrases = settings.get("ZH_HANT_PHRASES_FILE")
    try:
        phrases_digest = hashlib.sha256(Path(phrases).read_bytes()).hexdigest() if phrases else ""
    except OSError:
        phrases_digest = "missing"
    data = [RECORDS_VERSION, str(Path(settings.get("PATH", ".")).resolve()), list(columns),
            settings.get("DEFAULT_LANG", "zh-hans").lower(), settings.get("ZH_HANT_OPENCC_CONFIG", "s2t"),
            str(phrases or ""), phrases_digest]
    return hashlib.sha256(json.dumps(data, ensure_ascii=False).encode()).hexdigest()[:32]


def _inputs_digest(item, index_lang: str) -> str:
    """A digest of exactly what ``_record_of`` reads from ``item`` (with the salt: all it depends on)."""
    h = hashlib.sha256()
    summary = str(item.summary) if "summary" in item.metadata else None
    parts = [index_lang, str(item.source_path), str(item.url), str(item.title), item.date.isoformat(),
             [str(t) for t in getattr(item, "tags", []) or []], item.category.name, summary]
    h.update(json.dumps(parts, ensure_ascii=False).encode())
    h.update(b"\0")
    h.update(str(item.content or "").encode("utf-8", "surrogatepass"))
    return h.hexdigest()[:32]


def _record_of(item, index_lang: str, content_root: Path, to_hant) -> dict:
    title = html.unescape(str(item.title))
    body = plain_text(item.content)
    if "summary" in item.metadata:
        summary = plain_text(item.summary)
        if summary and not body.startswith(summary.rstrip("…. ")[:20]):
            body = summary + "\n" + body
    try:
        source = str(Path(item.source_path).resolve().relative_to(content_root))
    except ValueError:
        source = str(item.source_path)
    return make_record(
        key=f"{index_lang}:{source}", lang=index_lang, url=item.url, title=title, text=body,
        date=item.date.isoformat(), tags=[str(t) for t in getattr(item, "tags", []) or []],
        title_hant=to_hant.convert(title) if (to_hant and index_lang == "zh") else "",
        text_hant=to_hant.convert(body) if (to_hant and index_lang == "zh") else "",
        source=source, column=item.category.name,
    )


def records_from_articles(settings, articles, translations, columns, to_hant=None, cache=None) -> list[dict]:
    """Records for the zh index (zh-Hans articles, shown as zh-Hant too) and the en index.

    ``cache`` (``{inputs digest: record}``, the previous build's, see ``index.load_record_cache``)
    gives back the record of an article whose inputs did not change instead of making it again
    (text extraction and 繁體 conversion are most of the cost); it is replaced in place by the
    records of this build."""
    content_root = Path(settings.get("PATH", ".")).resolve()
    default_lang = settings.get("DEFAULT_LANG", "zh-hans").lower()
    previous = cache if cache is not None else {}
    current: dict = {}
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
        digest = _inputs_digest(item, index_lang)
        record = previous.get(digest)
        if record is None:
            record = _record_of(item, index_lang, content_root, to_hant)
        current[digest] = record
        records.append(record)
    if cache is not None:
        cache.clear()
        cache.update(current)
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
