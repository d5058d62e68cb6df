"""Normalisation and tokenisation shared by the index, the command line and the browser export.

Text is normalised with NFKC, lower-cased and converted to Simplified Chinese (OpenCC ``t2s``),
so a 繁體 query finds the same terms as a 简体 one.  It is then cut into *units*: one unit per
Han character, one per run of letters/digits (``12123``, ``etc``).  Each unit position carries

* the character **unigram** of a Han unit (so 警 alone is searchable),
* the **bigram** of a Han unit and the next Han unit (酒后 at 0, 后驾 at 1, 驾驶 at 2 …),
* the **word** of a Latin/digit unit (stemmed in English documents),
* and, at the position of its first character, every **jieba word** of three or more Han
  characters (酒后驾驶): ranking terms only, never needed to match.

A query segment becomes the fewest terms that cover its units (``cover_terms``): Han units two
at a time as bigrams (酒后驾驶 → 酒后 at 0, 驾驶 at 2; an odd one out takes the bigram with the
unit before it), a lone Han unit as its unigram, a Latin/digit unit as its word.  A document has
the segment exactly where its terms sit at those relative positions — 100% recall against
substring matching, whatever jieba does with the context — and the browser loads one posting
list per two characters.  ``static/js/search.js`` mirrors this file.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field

# Han ideographs (BMP blocks, compatibility ideographs, the supplementary planes).
HAN_CLASS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_UNIT = re.compile(f"([{HAN_CLASS}])|([^\\W_{HAN_CLASS}]+)")
_HAN_RUN = re.compile(f"[{HAN_CLASS}]+")
_QUOTED = re.compile(r'"([^"]*)"|“([^”]*)”|「([^」]*)」|(\S+)')
MIN_WORD = 3  # jieba words shorter than this are already bigrams/unigrams
MAX_WORD = 8

ANALYSIS_VERSION = 4


def is_han(ch: str) -> bool:
    return bool(_HAN_RUN.fullmatch(ch))


@functools.lru_cache(maxsize=65536)
def english_stem(word: str) -> str:
    """Snowball's English (Porter2) stem of a lower-cased word: ``crimes``/``crime`` → ``crime``,
    ``policing``/``policed`` → ``polic``, ``cities`` → ``citi``.  The browser stems with the
    JavaScript build of the same Snowball version (theme/static/js/vendor/snowball/)."""
    return _english().stemWord(word)


@functools.cache
def _english():
    import snowballstemmer

    return snowballstemmer.stemmer("english")


class Normaliser:
    """NFKC + lower case + 繁→简 (OpenCC ``t2s`` with the editors' phrases reversed)."""

    def __init__(self, to_simplified=None):
        # to_simplified: an object with .convert(str) -> str (plugins.languages.chinese), or None.
        self._t2s = to_simplified

    def __call__(self, text: str) -> str:
        text = unicodedata.normalize("NFKC", text or "").lower()
        if self._t2s is not None and _HAN_RUN.search(text):
            text = self._t2s.convert(text)
        return text


def units(normalised: str, stem: bool = False) -> list[tuple[str, bool, int]]:
    """``(unit, is_han, start_offset)`` for each unit of normalised text."""
    out = []
    for m in _UNIT.finditer(normalised):
        if m.group(1):
            out.append((m.group(1), True, m.start()))
        else:
            word = m.group(2)
            out.append((english_stem(word) if stem else word, False, m.start()))
    return out


def ngram_positions(us, words=None) -> dict[str, list[int]]:
    """Term → sorted positions for one field (see the module docstring)."""
    terms: dict[str, list[int]] = defaultdict(list)
    n = len(us)
    for i, (u, han, _) in enumerate(us):
        if han:
            terms[u].append(i)
            if i + 1 < n and us[i + 1][1]:
                terms[u + us[i + 1][0]].append(i)
        else:
            terms[u].append(i)
    if words:
        for word, pos in words:
            terms[word].append(pos)
        for positions in terms.values():
            positions.sort()
    return dict(terms)


_cut = None


def _jieba_cut():
    """jieba's segmenter (``cut`` with ``HMM`` off): the jieba-rs binding ``rjieba``, which has
    jieba's default dictionary and cuts identically (checked on the bench corpus: the same
    405,268 words), about 11× faster and without jieba's Python dictionary (~0.5 s to load)."""
    global _cut
    if _cut is None:
        import rjieba

        _cut = rjieba.cut
    return _cut


def jieba_words(normalised: str, us) -> list[tuple[str, int]]:
    """Jieba words of ≥ MIN_WORD Han characters with their unit positions (ranking terms)."""
    if not us:
        return []
    cut = _jieba_cut()
    unit_at = {start: i for i, (_, han, start) in enumerate(us) if han}
    out = []
    for run in _HAN_RUN.finditer(normalised):
        if run.end() - run.start() < MIN_WORD:
            continue
        offset = run.start()
        for word in cut(run.group(0), False):
            if MIN_WORD <= len(word) <= MAX_WORD:
                out.append((word, unit_at[offset]))
            offset += len(word)
    return out


def analyse_field(normalised: str, *, stem: bool = False, segment: bool = True) -> dict[str, list[int]]:
    us = units(normalised, stem)
    words = jieba_words(normalised, us) if segment else None
    return ngram_positions(us, words)


# --- queries -----------------------------------------------------------------------------


@dataclass
class Segment:
    """One whitespace-separated part (or quoted phrase) of a query."""

    text: str  # normalised
    terms: list[str]  # the terms covering its units (all required)
    keys: list[str]  # the units themselves (for substring checks on text)
    words: list[str] = field(default_factory=list)  # optional ranking terms
    offsets: list[int] = field(default_factory=list)  # unit offset of each term within the segment


@dataclass
class ParsedQuery:
    segments: list[Segment]

    @property
    def required(self) -> list[str]:
        seen = {}
        for seg in self.segments:
            for t in seg.terms:
                seen.setdefault(t, None)
        return list(seen)

    @property
    def optional(self) -> list[str]:
        req = set(self.required)
        seen = {}
        for seg in self.segments:
            for w in seg.words:
                if w not in req:
                    seen.setdefault(w, None)
        return list(seen)


def cover_terms(us) -> tuple[list[str], list[int]]:
    """The terms of a query segment and their unit offsets (see the module docstring)."""
    terms, offsets = [], []
    i, n = 0, len(us)
    while i < n:
        unit, han, _ = us[i]
        if han and i + 1 < n and us[i + 1][1]:
            terms.append(unit + us[i + 1][0])
            offsets.append(i)
            i += 2
            continue
        if han and i > 0 and us[i - 1][1]:  # the odd one out of a Han run: the bigram ending here
            terms.append(us[i - 1][0] + unit)
            offsets.append(i - 1)
        else:
            terms.append(unit)
            offsets.append(i)
        i += 1
    return terms, offsets


def longest_match_words(text: str, vocabulary) -> list[str]:
    """Forward longest match of ≥ MIN_WORD-character words of ``vocabulary`` over Han runs."""
    found = []
    for run in _HAN_RUN.finditer(text):
        s = run.group(0)
        i = 0
        while i < len(s):
            for j in range(min(len(s), i + MAX_WORD), i + MIN_WORD - 1, -1):
                if s[i:j] in vocabulary:
                    found.append(s[i:j])
                    i = j
                    break
            else:
                i += 1
    return found


def parse_query(query: str, normalise, *, stem: bool = False, vocabulary=None) -> ParsedQuery:
    segments = []
    for m in _QUOTED.finditer(query or ""):
        raw = next(g for g in m.groups() if g is not None)
        text = normalise(raw)
        us = units(text, stem)
        if not us:
            continue
        words = longest_match_words(text, vocabulary) if vocabulary is not None else []
        terms, offsets = cover_terms(us)
        segments.append(Segment(text=text, terms=terms, keys=[u for u, _, _ in us], words=words, offsets=offsets))
    return ParsedQuery(segments)
