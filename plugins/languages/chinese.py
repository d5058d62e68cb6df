"""Simplified ↔ Traditional Chinese with the official OpenCC binding, plus editors' phrase overrides.

OpenCC is not perfect for a news archive (``s2t`` turns the place name 竹溪大道 into
竹谿大道; ``s2twp`` turns 新闻发布会 into 新聞釋出會), so editors keep a list of
phrases that must convert their way (``ZH_HANT_PHRASES_FILE``, one ``简体<TAB>繁體``
pair a line).  Overrides win, longest match first; the text between them goes
through OpenCC unchanged.

``convert_html`` converts text only: element content and the ``alt``/``title``
attributes — never URLs, ``href``/``src`` values, ids or class names.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import opencc

SUPPORTED_CONFIGS = ("s2t", "s2tw", "s2twp", "s2hk", "t2s", "tw2s", "tw2sp", "hk2s")
_TAG = re.compile(r"(<!--.*?-->|<[^>]*>)", re.S)
_RAW_TEXT = re.compile(r"<(script|style)\b", re.I)
_TEXT_ATTRIBUTE = re.compile(r"""(\s(?:alt|title|aria-label|placeholder)\s*=\s*)("[^"]*"|'[^']*')""", re.I)


class PhraseFileError(ValueError):
    pass


def load_phrases(path: str | Path | None) -> dict[str, str]:
    """Read ``简体<TAB>繁體`` pairs; ``#`` starts a comment.  Errors name the file and line."""
    if not path:
        return {}
    path = Path(path)
    if not path.exists():
        return {}
    phrases = {}
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        parts = [p.strip() for p in re.split(r"\t+|\s{2,}", line) if p.strip()]
        if len(parts) != 2:
            raise PhraseFileError(
                f"{path}:{number}: expected two phrases separated by a tab (简体<TAB>繁體), got {raw!r}"
            )
        phrases[parts[0]] = parts[1]
    return phrases


class ChineseConverter:
    """One OpenCC configuration plus phrase overrides.  Create once per build, reuse."""

    def __init__(self, config: str = "s2t", phrases: dict[str, str] | None = None):
        if config not in SUPPORTED_CONFIGS:
            raise ValueError(f"unknown OpenCC configuration {config!r}; use one of {', '.join(SUPPORTED_CONFIGS)}")
        self.config = config
        self._opencc = opencc.OpenCC(config if config.endswith(".json") else f"{config}.json")
        self.phrases = dict(phrases or {})
        # What its conversions depend on: the configuration, the phrases and OpenCC's version.
        self.identity = repr((config, sorted(self.phrases.items()), getattr(opencc, "__version__", ""))).encode()
        if self.phrases:
            ordered = sorted(self.phrases, key=len, reverse=True)
            self._phrase_re = re.compile("|".join(map(re.escape, ordered)))
        else:
            self._phrase_re = None

    def convert(self, text: str) -> str:
        if not text:
            return text
        if self._phrase_re is None:
            return self._opencc.convert(text)
        out, last = [], 0
        for match in self._phrase_re.finditer(text):
            if match.start() > last:
                out.append(self._opencc.convert(text[last : match.start()]))
            out.append(self.phrases[match.group(0)])
            last = match.end()
        if last < len(text):
            out.append(self._opencc.convert(text[last:]))
        return "".join(out)

    def convert_html(self, html: str) -> str:
        """Convert the text of an HTML fragment; markup, URLs and ids stay as they are."""
        if not html:
            return html
        parts = _TAG.split(str(html))
        raw_text = False
        for i, part in enumerate(parts):
            if i % 2:  # a tag or comment
                if part.startswith("<!--"):
                    continue
                if raw_text and part.lower().startswith(("</script", "</style")):
                    raw_text = False
                elif _RAW_TEXT.match(part):
                    raw_text = True
                parts[i] = _TEXT_ATTRIBUTE.sub(lambda m: m.group(1) + self.convert(m.group(2)), part)
            elif part and not raw_text:
                parts[i] = self.convert(part)
        return "".join(parts)


@lru_cache(maxsize=8)
def _cached(config: str, phrases_file: str | None, mtime: float | None) -> ChineseConverter:
    return ChineseConverter(config, load_phrases(phrases_file))


def converter_for(settings, *, to_simplified: bool = False) -> ChineseConverter:
    """The build's converter (``ZH_HANT_OPENCC_CONFIG``, default s2t), or its reverse for queries.

    The reverse direction (``t2s``) applies the phrase overrides backwards so a 繁體 query
    finds what the editors' phrases produced.
    """
    config = settings.get("ZH_HANT_OPENCC_CONFIG", "s2t")
    phrases_file = settings.get("ZH_HANT_PHRASES_FILE")
    path = Path(phrases_file) if phrases_file else None
    mtime = path.stat().st_mtime if path and path.exists() else None
    if not to_simplified:
        return _cached(config, str(path) if path else None, mtime)
    reverse = {"s2t": "t2s", "s2tw": "tw2s", "s2twp": "tw2sp", "s2hk": "hk2s"}[config]
    forward = load_phrases(path)
    return ChineseConverter(reverse, {t: s for s, t in forward.items()})
