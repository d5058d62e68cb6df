"""Bringing the browser export up to date without computing all of it (``export.py``).

A build after an edit changes a few documents; the export of a full build would read every stored
document and encode every file again (~9 s at 10,000 articles).  ``EXPORT_STATE`` (in the index
folder, beside the export cache) records what the last export wrote: the generation and settings
it was made from, where it was written, every file with its inode, size and modification time,
the documents in id order and the shard layout.  From it:

* **the previous export is reused**: when ``target`` is not where the last export was written
  (``make site`` builds into a fresh folder), that folder's files are hard-linked into ``target``
  — only if every one of them is still exactly as written (same inode, size and modification time);
  a file that changes is then replaced through a rename (``export._Writer``), never written in
  place, so the previous site stays untouched;
* **nothing changed** (same generation, same settings): nothing is computed or written;
* **documents edited in place** (the index was updated from the recorded generation, no document
  added, removed or moved in the order, same document count, average lengths and boosts): only
  the posting entries of the edited documents' terms change.  A term whose documents are the same
  (its document frequencies too) keeps every weight but the edited documents': those are patched
  into its encoded entry; any other term is computed again (``SearchIndex.weights``).  Then only
  the shards, own files and document files that hold something changed are written, plus the
  vocabulary, ``t2s.js``, ``c.js`` and ``meta.js`` when their content changes.

Anything else — no state, a file changed by hand, another generation, a different bucket count —
returns None, and the caller makes the whole export (``export._export_into``), which then records
a new state.  Both give the same bytes (tested against exports from scratch).
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
from bisect import bisect_right
from itertools import accumulate, repeat
from pathlib import Path

try:
    from plugins.atomic_file import write_atomically
except ImportError:  # pragma: no cover - Pelican put plugins/ itself on sys.path
    from atomic_file import write_atomically

from . import scoring
from .index import FIELDS, stored_length

EXPORT_STATE = "export-state.pickle"
STATE_FORMAT = 2  # 2: the Han characters of each index's terms


def settings_digest(settings, format_version: int, languages) -> str:
    """Everything the export's bytes depend on besides the index generation."""
    from .documents import records_salt
    from .query import column_slugs, searched_columns

    data = [format_version, settings.get("SEARCH_EXPORT_OWN_FILE_BYTES"), [list(x) for x in languages],
            sorted(column_slugs(settings).items()), settings.get("NEWS_COLUMNS"),
            records_salt(settings, searched_columns(settings))]
    return hashlib.sha256(json.dumps(data, ensure_ascii=False, default=str).encode()).hexdigest()[:32]


def _stat_key(path: Path) -> tuple:
    st = os.stat(path)
    return st.st_ino, st.st_size, st.st_mtime_ns


def load_state(root: Path) -> dict | None:
    try:
        with open(Path(root) / EXPORT_STATE, "rb") as f:
            state = pickle.load(f)
    except Exception:  # missing or torn: a whole export
        return None
    return state if isinstance(state, dict) and state.get("format") == STATE_FORMAT else None


def save_state(root: Path, state: dict) -> None:
    try:
        record = dict(state, format=STATE_FORMAT)
        write_atomically(Path(root) / EXPORT_STATE,
                         lambda handle: pickle.dump(record, handle, protocol=pickle.HIGHEST_PROTOCOL))
    except OSError:
        pass  # no record: the next build exports everything


def forget_state(root: Path) -> None:
    try:
        (Path(root) / EXPORT_STATE).unlink()
    except OSError:
        pass


def file_stats(target: Path, names) -> dict:
    return {name: _stat_key(target / name) for name in names}


def reuse_previous(state: dict | None, target: Path) -> bool:
    """True when ``target`` holds the last export exactly as written, hard-linking it there first
    from the folder it was written to if need be."""
    if not state:
        return False
    files = state.get("files") or {}
    source = Path(state.get("target") or "")
    target = Path(target)
    if source == target or (target.exists() and target.resolve() == source.resolve()):
        try:
            return all(_stat_key(target / name) == tuple(key) for name, key in files.items())
        except OSError:
            return False
    try:
        if any(_stat_key(source / name) != tuple(key) for name, key in files.items()):
            return False
    except OSError:
        return False
    if target.exists() and any(p.is_file() for p in target.rglob("*")):
        return False  # a folder that already holds files: the whole export compares with those
    made: set = set()
    try:
        for name in files:
            dest = target / name
            if dest.parent not in made:
                dest.parent.mkdir(parents=True, exist_ok=True)
                made.add(dest.parent)
            os.link(source / name, dest)
    except OSError:
        return False  # another filesystem, no hard links: the whole export writes what is missing
    return True


def changed_in_place(update, state: dict, search_index) -> dict | None:
    """``{key: [old tfs, new tfs, old row, new row]}`` when the update only edited documents in
    place (same documents, same places in the order), else None."""
    if not update or update.get("unchanged") or update.get("base") != state.get("gen"):
        return None
    changes = update.get("changes") or {}
    if not changes or update.get("removed") or update.get("changed_terms") is None:
        return None
    if len(changes) != update.get("indexed"):
        return None
    for old_f, new_f, old_row, new_row in changes.values():
        if old_f is None or new_f is None or old_row is None or new_row is None:
            return None
        if old_row[1] != new_row[1] or old_row[2] != new_row[2] or old_row[3] != new_row[3]:
            return None  # another language, date or URL: the order may change
    stats = search_index.stats
    if (stats["n"], stats["avg"], search_index.boosts) != (state["n"], state["avg"], state["boosts"]):
        return None
    return changes


_POP = {}
_TERMINATOR = {}


def _tables(b64: str):
    if not _POP:
        for value, ch in enumerate(b64):
            _POP[ord(ch)] = "1" * bin(value).count("1")
            _TERMINATOR[ord(ch)] = "1" if value < 32 else "0"
    return _POP, _TERMINATOR


def _rank(ids: str, dense_id: int, b64: str) -> int:
    """The place of ``dense_id`` among the ids of an encoded entry (it must be one of them)."""
    pop, _ = _tables(b64)
    if ids.startswith("~"):
        q, r = divmod(dense_id, 6)
        return len(ids[1:1 + q].translate(pop)) + bin(b64.index(ids[1 + q]) & ((1 << r) - 1)).count("1")
    at = list(accumulate(map(int, ids.split(","), repeat(36))))
    k = bisect_right(at, dense_id) - 1
    if k < 0 or at[k] != dense_id:
        raise KeyError(dense_id)
    return k


def _patched(entry, dense_id: int, weight: int, b64: str, varint) -> list:
    """``entry`` with the weight of ``dense_id`` replaced."""
    ids, weights = entry
    k = _rank(ids, dense_id, b64)
    _, term_table = _tables(b64)
    marks = weights.translate(term_table)  # "1" where a number ends

    def end_of(n):  # index just after the n-th number (0-based)
        lo, hi = 0, len(marks)
        while lo < hi:  # the smallest i with n + 1 numbers ended in marks[:i]
            mid = (lo + hi) // 2
            if marks.count("1", 0, mid) >= n + 1:
                hi = mid
            else:
                lo = mid + 1
        return lo

    start = end_of(k - 1) if k else 0
    end = end_of(k)
    return [ids, weights[:start] + varint(weight) + weights[end:]]


def _doc_weight(search_index, term: str, tfs: dict, row: list) -> int:
    """A document's integer weight for ``term`` (as ``term_weights_by_language`` sums it)."""
    stats = search_index.stats
    total = 0
    for i, fieldname in enumerate(FIELDS):
        tf = tfs[fieldname].get(term)
        if not tf:
            continue
        total += scoring.field_weight(tf, stored_length(row[4 + i]), stats["avg"][fieldname], stats["n"],
                                      stats["df"][fieldname][term], search_index.boosts.get(fieldname, 1.0))
    return total


def updated_entries(search_index, entries: dict, changes: dict, changed_terms, dense: dict, table, b64, varint,
                    encode) -> set:
    """Brings ``entries`` (``{index: {term: entry}}``, the last export's) up to date in place;
    returns the terms whose entry changed (in any index)."""
    patch: dict = {}  # term → [(index, dense id, new weight, old weight)]
    recompute = set()
    for key, (old_f, new_f, old_row, new_row) in changes.items():
        lang = new_row[1]
        dense_id = dense[lang][key]
        for term in set(old_f["t"]) | set(old_f["b"]) | set(new_f["t"]) | set(new_f["b"]):
            if term in recompute:
                continue
            if any((term in old_f[f]) != (term in new_f[f]) for f in FIELDS):
                recompute.add(term)  # the term's documents (and frequencies) change: every weight
                patch.pop(term, None)
                continue
            old = _doc_weight(search_index, term, old_f, old_row)
            new = _doc_weight(search_index, term, new_f, new_row)
            if old != new:
                patch.setdefault(term, []).append((lang, dense_id, new))
    # Terms named changed by the index build but not seen here cannot be: recompute them to be safe.
    seen = set()
    for old_f, new_f, _, _ in changes.values():
        for f in FIELDS:
            seen.update(old_f[f])
            seen.update(new_f[f])
    recompute |= set(changed_terms) - seen
    changed = set()
    for term, edits in patch.items():
        for lang, dense_id, weight in edits:
            entry = entries.get(lang, {}).get(term)
            if entry is None:
                recompute.add(term)
                break
            entries[lang][term] = _patched(entry, dense_id, weight, b64, varint)
        changed.add(term)
    if recompute:
        for by_term in entries.values():
            for term in recompute:
                by_term.pop(term, None)
        for term, by_lang in search_index.weights(dense, sorted(recompute)):
            for index_lang, pairs in by_lang.items():
                entries.setdefault(index_lang, {})[term] = encode(pairs, table)
        changed |= recompute
    return changed
