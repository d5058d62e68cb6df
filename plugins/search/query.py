"""Searching the index: settings, opening (and rebuilding) the index, ranked hits with snippets."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import os
import re
import unicodedata
from collections import deque
from dataclasses import dataclass
from pathlib import Path

from . import scoring
from .analysis import _UNIT, ANALYSIS_VERSION, Normaliser, english_stem, parse_query
from .documents import analyse_record, set_normaliser
from .index import IndexUnavailable, build, load_records, open_index

DEFAULTS = {
    "SEARCH_COLUMNS": None,  # default: every column of NEWS_COLUMNS
    "SEARCH_INDEX_DIR": None,  # default: <parent of OUTPUT_PATH>/.search-index
    "SEARCH_EXPORT_DIR": "search",  # inside the output; None: no browser export
    "SEARCH_BOOSTS": scoring.DEFAULT_BOOSTS,
    "SEARCH_PROCS": None,  # analysis processes for large builds; None: up to 4
    "SEARCH_RESULTS_PER_PAGE": 10,
}
LANG_INDEX = {"zh-hans": "zh", "zh-hant": "zh", "en": "en"}


def setting(settings, name):
    value = settings.get(name)
    return DEFAULTS[name] if value is None else value


def searched_columns(settings) -> list[str]:
    """The columns (``Category:`` names) that are searched: ``SEARCH_COLUMNS``, else every column."""
    configured = setting(settings, "SEARCH_COLUMNS")
    if isinstance(configured, str):  # SEARCH_COLUMNS = "交管动态": one column, not its characters
        configured = [configured]
    if configured:
        return list(configured)
    return [name for name, _ in settings.get("NEWS_COLUMNS") or []]


def column_slugs(settings) -> dict[str, str]:
    """Column name → URL slug (``NEWS_COLUMNS``); a column without one is named by itself."""
    slugs = dict(settings.get("NEWS_COLUMNS") or [])
    return {name: slugs.get(name, name) for name in searched_columns(settings)}


def all_column_slugs(settings, indexed) -> dict[str, str]:
    """``column_slugs`` followed by any other column found in the index (``indexed``), in order."""
    slugs = column_slugs(settings)
    for name in sorted(indexed):
        if name and name not in slugs:
            slugs[name] = name
    return slugs


def resolve_column(slugs: dict, value: str) -> str:
    """A column given by name (交管动态) or slug (traffic) → its name; ValueError if unknown."""
    wanted = (value or "").strip()
    for name, slug in slugs.items():
        if wanted in (name, slug) or wanted.lower() == slug.lower():
            return name
    known = ", ".join(f"{slug} ({name})" if slug != name else name for name, slug in slugs.items())
    raise ValueError(f"unknown column {value!r}; use one of: {known}")


def index_dir(settings) -> Path:
    configured = setting(settings, "SEARCH_INDEX_DIR")
    if configured:
        return Path(configured)
    return Path(os.path.abspath(settings.get("OUTPUT_PATH", "output"))).parent / ".search-index"


GENERATION_POINTER = "search-generation.txt"  # in the output: the index generation this site was built with


def generation_pointer(settings) -> Path:
    return Path(os.path.abspath(settings.get("OUTPUT_PATH", "output"))) / GENERATION_POINTER


def fingerprint(settings) -> str:
    data = {"columns": searched_columns(settings), "boosts": setting(settings, "SEARCH_BOOSTS"),
            "opencc": settings.get("ZH_HANT_OPENCC_CONFIG", "s2t"), "analysis": ANALYSIS_VERSION}
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:16]


def normaliser_for(settings) -> Normaliser:
    from ._compat import converter_for

    return Normaliser(converter_for(settings, to_simplified=True))


def procs(settings) -> int:
    configured = setting(settings, "SEARCH_PROCS")
    return int(configured) if configured else min(4, os.cpu_count() or 1)


def build_index(settings, records, *, force=False, by_inputs=None, salt="", previous=None) -> dict:
    set_normaliser(normaliser_for(settings))
    # SEARCH_SWAP_WITH_OUTPUT (set by `make site`): the new generation becomes live with the site.
    return build(index_dir(settings), records, analyse_record, fingerprint(settings), force=force,
                 procs=procs(settings), swap=not settings.get("SEARCH_SWAP_WITH_OUTPUT"), by_inputs=by_inputs,
                 salt=salt, previous=previous)


def open_or_rebuild(settings, *, deep=True):
    """The verified index; a missing, corrupt or stale one is rebuilt from its records first."""
    root = index_dir(settings)
    fp = fingerprint(settings)
    boosts = setting(settings, "SEARCH_BOOSTS")
    try:
        return open_index(root, fp, boosts, deep=deep, pointer=generation_pointer(settings)), None
    except IndexUnavailable as problem:
        try:
            records = load_records(root)
        except Exception as exc:  # missing, torn or of another format
            raise IndexUnavailable(f"{problem}; no usable records to rebuild from ({exc.__class__.__name__}): "
                                   "run `make site`") from None
        report = build_index(settings, records, force=True, by_inputs=False)  # the records stay as saved
        return open_index(root, fp, boosts, deep=False), f"index {problem}: rebuilt {report['total']} documents"


@dataclass
class Hit:
    title: str
    url: str
    date: str
    score: int
    snippet: str
    highlights: list

    def as_dict(self):
        return {"title": self.title, "url": self.url, "date": self.date, "score": self.score,
                "snippet": self.snippet, "highlights": self.highlights}


class Searcher:
    """A warm searcher: open once, query many times."""

    def __init__(self, settings):
        self.settings = settings
        self.normalise = normaliser_for(settings)
        self.index, self.notice = open_or_rebuild(settings)

    def close(self):
        self.index.close()

    def column_slugs(self) -> dict[str, str]:
        """Name → slug of every column that can be searched (``--column`` takes either)."""
        return all_column_slugs(self.settings, self.index.columns())

    def parse(self, query, lang="zh-hans"):
        lang = lang.lower()
        stem = LANG_INDEX[lang] == "en"
        return parse_query(query, self.normalise, stem=stem,
                           vocabulary=None if stem else self.index.vocabulary())

    def search(self, query, lang="zh-hans", *, limit=10, since=None, until=None, column=None, year=None,
               sort="relevance", page=1, snippets=True):
        """Hits ``limit * (page - 1)`` to ``limit * page`` and the total (``Total``: exact, or an
        upper bound when phrases were checked only as far as the page).  ``column``: a name or
        slug; ``year``: only that year (within ``since``/``until`` if given too)."""
        lang = lang.lower()
        if lang not in LANG_INDEX:
            raise ValueError(f"unknown language {lang!r}; use zh-Hans, zh-Hant or en")
        columns = None if column in (None, "") else [resolve_column(self.column_slugs(), column)]
        if year is not None:
            first, last = dt.date(int(year), 1, 1), dt.date(int(year), 12, 31)
            since = max(_as_date(since), first) if since else first
            until = min(_as_date(until), last) if until else last
        parsed = self.parse(query, lang)
        offset = None if limit is None else limit * (max(1, int(page)) - 1)
        hits, total = self.index.search(parsed, LANG_INDEX[lang], since=since, until=until, columns=columns,
                                        sort=sort, limit=limit, offset=offset or 0)
        out = []
        hant = lang == "zh-hant"
        for score, stored in hits:
            title = stored["title_hant"] if hant and stored.get("title_hant") else stored["title"]
            text = stored["text_hant"] if hant and stored.get("text_hant") else stored["text"]
            url = ("zh-hant/" if hant else "") + stored["url"]
            snippet, marks = make_snippet(text, parsed, self.normalise, stem=lang == "en") if snippets else ("", [])
            out.append(Hit(title, url, stored["date"].strftime("%Y-%m-%d"), int(score), snippet, marks))
        return out, total


def _as_date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


# --- snippets -------------------------------------------------------------------------------


def aligned(text: str, normalise) -> str:
    """Normalised text of the same length as ``text`` (character offsets stay valid)."""
    whole = normalise(text)
    if len(whole) == len(text):
        return whole
    out = []
    for ch in text:
        n = normalise(ch)
        out.append(n[0] if len(n) >= 1 else ch)
    return "".join(out)


_RUN_CHAR = re.compile(_UNIT.pattern.split("|", 1)[1].replace("+", ""))  # a letter/digit of a run


@functools.lru_cache(maxsize=256)
def _prefilter_cached(keys: tuple) -> re.Pattern:
    return re.compile("|".join(r"[\W_]*".join(re.escape(k) for k in seg) for seg in keys))


def _prefilter(segments) -> re.Pattern:
    return _prefilter_cached(tuple(tuple(keys) for keys in segments))


def match_spans(text: str, parsed, normalise, stem=False, *, until=None):
    """Character spans of ``text`` where a query segment's units occur contiguously.

    With ``until``, the scan stops once every span starting before ``until`` characters past the
    first match found is known (a snippet needs no more), instead of cutting the whole text.
    """
    segments = [(seg.keys, len(seg.keys)) for seg in parsed.segments if seg.keys]
    if not segments:
        return []
    longest = max(n for _, n in segments)
    recent: deque = deque(maxlen=longest)  # (key, start, end) of the last units
    found = []
    limit = None
    norm = aligned(text, normalise)
    start = 0
    if not stem:
        # Where a span starts, its keys occur in order with only non-unit characters between
        # them: the first such place is a lower bound, the scan starts at the unit boundary
        # before it (no place: no span).
        first = _prefilter([keys for keys, _ in segments]).search(norm)
        if first is None:
            return []
        start = first.start()
        while start > 0 and _RUN_CHAR.match(norm, start - 1):
            start -= 1  # inside a run of letters/digits: back to its beginning
    for m in _UNIT.finditer(norm, start):
        key = english_stem(m.group(2)) if (stem and m.group(2)) else m.group(0)
        recent.append((key, m.start(), m.end()))
        if limit is not None and len(recent) == longest and recent[0][1] >= limit:
            break  # any span starting before ``limit`` has been completed
        have = len(recent)
        for keys, n in segments:
            if n <= have and keys[-1] == key and all(recent[have - n + j][0] == keys[j] for j in range(n - 1)):
                found.append((recent[have - n][1], m.end()))
                if until is not None and limit is None:
                    limit = recent[have - n][1] + until
    return sorted(found)


_WS = re.compile(r"\s+")
WORD_CUT_MAX = 20  # how far a cut moves to a word boundary (search.js: WORD_CUT_MAX)


def word_boundary(text: str, at: int, keep: int, forward: bool = False) -> int:
    """A cut at ``at`` moved off the middle of a run of letters/digits (a Latin word, a number),
    by at most ``WORD_CUT_MAX`` characters; between Han characters every position is a boundary.
    A start (``forward`` False) moves back to the run's start, else on to its end if that is not
    past ``keep`` (the first match); an end moves back if that keeps ``keep`` (the first match's
    end) in view, else on to the run's end.  search.js's ``wordBoundary`` is the same."""
    def run(i):
        return _RUN_CHAR.match(text, i) is not None

    if not (0 < at < len(text) and run(at - 1) and run(at)):
        return at
    back = at
    while back > 0 and run(back - 1) and at - back < WORD_CUT_MAX:
        back -= 1
    back_ok = back == 0 or not run(back - 1)
    ahead = at
    while ahead < len(text) and run(ahead) and ahead - at < WORD_CUT_MAX:
        ahead += 1
    ahead_ok = ahead == len(text) or not run(ahead)
    if not forward:
        if back_ok:
            return back
        if ahead_ok and ahead <= keep:
            return ahead
    else:
        if back_ok and back >= keep:
            return back
        if ahead_ok:
            return ahead
    return at


def make_snippet(text, parsed, normalise, *, stem=False, width=90):
    """About ``width`` characters around the first match; highlight offsets within the snippet."""
    text = _WS.sub(" ", unicodedata.normalize("NFC", text or "")).strip()
    spans = match_spans(text, parsed, normalise, stem, until=width)
    if not spans:
        cut = word_boundary(text, min(len(text), width), 0, forward=True)
        return text[:cut] + ("…" if cut < len(text) else ""), []
    first = spans[0][0]
    start = word_boundary(text, max(0, first - width // 3), first)
    end = word_boundary(text, min(len(text), start + width), spans[0][1], forward=True)
    snippet = text[start:end]
    marks = [[max(s, start) - start, min(e, end) - start] for s, e in spans if s < end and e > start]
    prefix = "…" if start > 0 else ""
    if prefix:
        marks = [[s + 1, e + 1] for s, e in marks]
    return prefix + snippet + ("…" if end < len(text) else ""), marks
