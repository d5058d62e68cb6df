"""What an article page says about itself, computed once per article (pure functions).

* ``plain_text`` — the text of an HTML fragment (tags dropped, entities decoded, spaces
  collapsed), for comparisons and the meta description; never rendered as markup.
* ``cut_text`` — a text of at most ``limit`` characters that ends on a sentence boundary or
  with "…" (an English cut ends between words).
* ``summary_repeats_body`` — the editor's summary adds nothing: it is the start of the body
  (the scraper fills ``Summary:`` with the first 60 characters of the body).
* ``http_url`` — the source page's address, only when it is an absolute http(s) URL.
* ``has_time_of_day`` — the post gave a time (``Date: 2021-12-20 09:30``); Pelican turns a bare
  date into midnight, so 00:00 counts as "no time".
"""

from __future__ import annotations

import html
import re
from urllib.parse import urlsplit

_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s+")
# Characters that end a sentence, in Chinese and in English (closing quotes may follow).
SENTENCE_END = re.compile(r"[。！？!?…]|\.(?=\s|$)|[。！？!?.][”’\"」』）)]")
ELLIPSIS = "…"
_TRAILING_ELLIPSIS = re.compile(r"(\s*(…|\.\.\.)\s*)+$")
_COMPARABLE = re.compile(r"[\W_]+", re.UNICODE)


def plain_text(fragment: str | None) -> str:
    if not fragment:
        return ""
    return _SPACE.sub(" ", html.unescape(_TAG.sub(" ", str(fragment)))).strip()


def text_start(fragment: str | None, chars: int) -> str:
    """At least the first ``chars`` characters of an HTML fragment's text (or all of it), reading
    only as much of the fragment as needed: a 3,000-character body is not stripped whole to get
    its first sentence."""
    fragment = str(fragment or "")
    size = max(chars * 8, 512)
    while size < len(fragment):
        head = fragment[:size]
        if head.rfind("<") > head.rfind(">"):
            head = head[: head.rfind("<")]  # never half a tag
        text = plain_text(head)
        if len(text) >= chars + 1:
            return text
        size *= 4
    return plain_text(fragment)


def _comparable(text: str) -> str:
    """Letters and digits only, lower-case: punctuation and spacing differ between a summary and its body."""
    return _COMPARABLE.sub("", text).lower()


def summary_repeats_body(summary_text: str, body_text: str) -> bool:
    summary = _comparable(_TRAILING_ELLIPSIS.sub("", summary_text))
    if not summary:
        return True
    body = _comparable(body_text)
    return body.startswith(summary) or (len(body) > 0 and summary.startswith(body))


def ends_sentence(text: str) -> bool:
    text = text.rstrip()
    return bool(text) and bool(re.search(r"([。！？!?.…]|[。！？!?.][”’\"」』）)])$", text))


def cut_text(text: str, limit: int) -> str:
    """``text`` if it fits, else its longest start of whole sentences (at least half of ``limit``),
    else a start cut between words (or characters, for Chinese) ending with "…"."""
    text = text.strip()
    if len(text) <= limit:
        return text
    head = text[:limit]
    ends = [m.end() for m in SENTENCE_END.finditer(head)]
    if ends and ends[-1] >= limit // 2:
        return head[: ends[-1]].rstrip()
    head = text[: limit - 1]
    if re.match(r"[A-Za-z0-9]", text[limit - 1 : limit]) and " " in head:
        head = head[: head.rfind(" ")]  # an English word is never cut in two
    return head.rstrip(" ,;:，、；：") + ELLIPSIS


def complete_summary(text: str) -> str:
    """A summary shown as it is when it ends a sentence, with "…" when the editor's text stops mid-way."""
    text = _TRAILING_ELLIPSIS.sub("", text.strip())
    if not text or ends_sentence(text):
        return text
    return text.rstrip(" ,;:，、；：") + ELLIPSIS


def http_url(value) -> str | None:
    if not isinstance(value, str):
        return None
    value = value.strip()
    try:
        parts = urlsplit(value)
    except ValueError:
        return None
    if parts.scheme.lower() in ("http", "https") and parts.netloc and not any(c.isspace() for c in value):
        return value
    return None


def has_time_of_day(date) -> bool:
    return bool(date.hour or date.minute or date.second)
