"""Decode HTML bytes: BOM, then HTTP header, then <meta>, with a check of the result.

* gb2312 / gbk / x-gbk / cp936 are decoded as GB18030 (a superset): pages that
  declare gb2312 but contain GBK-only characters (堃, 镕 ...) decode exactly.
* If the declared charset is wrong (the text decodes with replacement
  characters, or the declared charset is a legacy one but the bytes are valid
  UTF-8, or ISO-8859-1/windows-1252 is declared for bytes that are Chinese GB18030), the page is
  re-decoded with the best candidate and a warning is logged.
* Control characters (C0 but tab, line feed, carriage return; DEL; C1) are taken out of the text,
  form feed becomes a space.  They are parse errors in HTML and mean nothing in a news page, but
  an escape sequence (ESC [ …, CSI) would reach an editor's terminal through `scraper page`,
  `crawl` and `doctor`, and lxml — under readability-lxml and trafilatura — refuses such strings
  with a traceback that stopped a whole crawl.
"""

from __future__ import annotations

import codecs
import dataclasses
import logging
import re
from dataclasses import dataclass

log = logging.getLogger(__name__)

_META_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_:.-]+)""", re.IGNORECASE)
_HEADER_RE = re.compile(r"""charset\s*=\s*["']?([A-Za-z0-9_:.-]+)""", re.IGNORECASE)
_SUPERSETS = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "cp936": "gb18030",
    "euc_cn": "gb18030",
    "hz": "gb18030",
    "big5": "big5hkscs",
    "ascii": "utf-8",
    "latin_1": "cp1252",  # as browsers do (WHATWG)
    "iso8859_1": "cp1252",
}
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
FALLBACKS = ("utf-8", "gb18030", "big5hkscs")
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str          # codec actually used
    declared: str | None   # what the page/header said (normalised), None if nothing
    source: str            # "bom", "header", "meta", "default"
    redetected: bool       # True when the declared charset was wrong


def normalise(name: str | None) -> str | None:
    """Canonical codec name, with legacy Chinese charsets mapped to GB18030; None if unknown."""
    if not name:
        return None
    try:
        codec = codecs.lookup(name.strip().strip("\"'")).name
    except LookupError:
        return None
    codec = codec.replace("-", "_")
    return _SUPERSETS.get(codec, codec).replace("_", "-") if codec not in ("utf_8",) else "utf-8"


def _chinese(data: bytes) -> str | None:
    """``data`` as GB18030 when it decodes strictly and its non-ASCII text is mostly Chinese, else None
    (Latin-1 text such as "café " is not valid GB18030: a lone high byte before ASCII)."""
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        return None
    wide = [c for c in text if ord(c) > 127]
    han = sum(1 for c in wide if "\u3000" <= c <= "\u9fff" or "\uff00" <= c <= "\uffef")
    return text if wide and han >= 0.8 * len(wide) else None


def _bad(text: str) -> int:
    return text.count("\ufffd")


def decode_html(data: bytes, content_type: str | None = None, url: str = "") -> Decoded:
    """The page's text (see the module's docstring), without control characters."""
    decoded = _decode(data, content_type, url)
    text = _CONTROLS.sub("", decoded.text).replace("\x0c", " ")
    return decoded if text == decoded.text else dataclasses.replace(decoded, text=text)


def _decode(data: bytes, content_type: str | None, url: str) -> Decoded:
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return Decoded(data[len(bom):].decode(enc, errors="replace"), enc, enc, "bom", False)

    declared, source = None, "default"
    if content_type:
        m = _HEADER_RE.search(content_type)
        if m and normalise(m.group(1)):
            declared, source = normalise(m.group(1)), "header"
    if declared is None:
        m = _META_RE.search(data[:4096])
        if m and normalise(m.group(1).decode("ascii", "ignore")):
            declared, source = normalise(m.group(1).decode("ascii", "ignore")), "meta"

    encoding = declared or "utf-8"
    text = data.decode(encoding, errors="replace")
    bad = _bad(text)
    if bad == 0 and (encoding == "utf-8" or data.isascii()):
        return Decoded(text, encoding, declared, source, False)

    if bad == 0:
        # A legacy charset decoded cleanly; but UTF-8 bytes often decode "cleanly" as GB18030
        # into mojibake. Non-ASCII bytes that are valid UTF-8 are almost never legacy text.
        try:
            utf8 = data.decode("utf-8")
        except UnicodeDecodeError:
            if encoding == "cp1252" and (gb := _chinese(data)) is not None:
                # ISO-8859-1 is many servers' default (Tomcat's): Chinese bytes decode "cleanly" as Latin.
                log.warning("%s: declared charset %s (%s) but the body is Chinese GB18030; decoded as GB18030",
                            url or "page", declared, source)
                return Decoded(gb, "gb18030", declared, source, True)
            return Decoded(text, encoding, declared, source, False)
        log.warning("%s: declared charset %s (%s) but the body is UTF-8; decoded as UTF-8",
                    url or "page", declared, source)
        return Decoded(utf8, "utf-8", declared, source, True)

    best_text, best_enc, best_bad = text, encoding, bad
    for candidate in FALLBACKS:
        if candidate == encoding:
            continue
        alt = data.decode(candidate, errors="replace")
        if _bad(alt) < best_bad:
            best_text, best_enc, best_bad = alt, candidate, _bad(alt)
    if best_enc != encoding:
        log.warning("%s: declared charset %s (%s) gives %d replacement characters; re-decoded as %s (%d left)",
                    url or "page", declared or "none", source, bad, best_enc, best_bad)
        return Decoded(best_text, best_enc, declared, source, True)
    log.warning("%s: %d undecodable bytes with charset %s", url or "page", bad, encoding)
    return Decoded(text, encoding, declared, source, False)
