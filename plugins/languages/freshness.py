"""Is an English translation up to date with its Chinese original?

A translation records the fingerprint of the original it was made from in its
metadata (``Translation_of: 1a2b3c4d5e6f``), written by ``make translations
STAMP=<file>``.  The fingerprint covers what a translator translates — the
original's title, summary and body — not its other metadata, so flagging a post
as recommended does not make its translations stale.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

FINGERPRINT_KEY = "translation_of"
TRANSLATED_FIELDS = ("title", "summary")


def split_post(text: str) -> tuple[list[tuple[int, str, str]], str]:
    """``(metadata lines as (line number, key, value), body)`` of a Markdown post."""
    lines = text.splitlines()
    meta = []
    body_start = len(lines)
    for number, line in enumerate(lines):
        if not line.strip():
            body_start = number + 1
            break
        if ":" in line and not line.startswith((" ", "\t")):
            key, value = line.split(":", 1)
            meta.append((number + 1, key.strip().lower(), value.strip()))
        elif meta:  # continuation line of the previous value
            lineno, key, value = meta[-1]
            meta[-1] = (lineno, key, f"{value} {line.strip()}")
    return meta, "\n".join(lines[body_start:])


def fingerprint_text(text: str) -> str:
    meta, body = split_post(text)
    fields = {key: value for _, key, value in meta}
    parts = [fields.get(name, "") for name in TRANSLATED_FIELDS]
    parts.append("\n".join(line.rstrip() for line in body.strip().splitlines()))
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:12]


def fingerprint_file(path: str | Path) -> str:
    return fingerprint_text(Path(path).read_text(encoding="utf-8"))


def original_of(translation):
    """The default-language original among a Pelican translation's siblings."""
    source = getattr(translation, "original", translation)
    for other in getattr(source, "translations", []):
        if getattr(other, "in_default_lang", False):
            return other
    return None


def annotate_freshness(translations) -> None:
    """Set ``translation_stale`` and ``translation_original`` on translation variants."""
    for item in translations:
        original = original_of(item)
        item.translation_original = original
        recorded = str(item.metadata.get(FINGERPRINT_KEY, "")).strip()
        if original is None or not getattr(original, "source_path", None):
            item.translation_stale = False
            continue
        item.translation_stale = recorded != fingerprint_file(original.source_path)
