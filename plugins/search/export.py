"""Static export of the Whoosh index for the browser: small ``.js`` files that register data.

Every file is a script calling ``CRSASearch.add(name, data)`` so it loads with a ``<script>``
tag — over HTTP and from ``file://`` (no fetch, no ES modules).  Layout under
``<output>/<SEARCH_EXPORT_DIR>/``::

    meta.js                    buckets per index, documents per language, version; the columns
                               (name, slug) and per index the id range of each year
    <index>/c.js               the column of every document (one B64 digit per id)
    <index>/p/<bucket>.js      postings: {term: [document ids, weights]} (``encode_postings``),
                               or {term: name} for a big entry, which is in <index>/t/<name>.js
    <index>/v/<bucket>.js      jieba words of ≥ 3 characters, bucketed by their first character
    zh/t2s.js                  繁→简 for every character of the vocabulary
    <lang>/f/<id>.js           one document: [title, url, date, text]

``<index>`` is ``zh`` (shared by zh-Hans and zh-Hant, which are the same text once normalised)
or ``en``.  A term's bucket is FNV-1a (32-bit, over code points) modulo the bucket count.
Document ids are dense, in (newest first, URL) order, which is the tie-break of the ranking.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import pickle
from collections import defaultdict
from pathlib import Path

try:
    from plugins.atomic_file import write_atomically, write_new
except ImportError:  # pragma: no cover - Pelican put plugins/ itself on sys.path
    from atomic_file import write_atomically, write_new

from .analysis import MIN_WORD, is_han
from .query import procs

log = logging.getLogger(__name__)

FORMAT_VERSION = 2
B64 = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_"  # digit values 0-63
TARGET_SHARD_BYTES = 6000
OWN_FILE_BYTES = 2000  # a posting entry bigger than this is a file of its own (<index>/t/<name>.js)


def fnv1a(text: str) -> int:
    h = 0x811C9DC5
    for ch in text:
        h ^= ord(ch)
        h = (h * 0x01000193) & 0xFFFFFFFF
    return h


def b36(n: int) -> str:
    if n == 0:
        return "0"
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = []
    while n:
        n, r = divmod(n, 36)
        out.append(digits[r])
    return "".join(reversed(out))


def _js(name: str, data) -> str:
    return "CRSASearch.add(" + json.dumps(name) + "," + json.dumps(data, ensure_ascii=False, separators=(",", ":")) + ");\n"


def encode_postings(pairs, table=None) -> list[str]:
    """``[(document id, integer weight), …]`` (ids ascending) as the two strings of a posting entry.

    Ids: base-36 gaps joined by commas, or — when shorter, as for a term in most documents — a
    bitmap: ``~`` then one base-64 digit (``B64``) per six ids, bit *j* of digit *k* for id 6k+j.
    Weights: each a base-32 number written with ``B64`` digits, most significant first, the digits
    before its last one flagged by adding 32; unseparated (a common term's weights are small: a
    byte each).
    """
    table = table or _b36_table()
    gaps, prev = [], 0
    for i, _ in pairs:
        d = i - prev
        gaps.append(table[d] if d < _TABLE_SIZE else b36(d))
        prev = i
    ids = ",".join(gaps)
    last = pairs[-1][0]
    if (last // 6) + 2 < len(ids):
        digits = bytearray((last // 6) + 1)
        for i, _ in pairs:
            digits[i // 6] |= 1 << (i % 6)
        ids = "~" + "".join(B64[d] for d in digits)
    return [ids, "".join(_varint(w) for _, w in pairs)]


@functools.lru_cache(maxsize=4096)
def _varint(value: int) -> str:
    """``value`` in base 32, most significant first; every digit but the last has 32 added."""
    digits = [B64[value & 31]]
    value >>= 5
    while value:
        digits.append(B64[32 | (value & 31)])
        value >>= 5
    return "".join(reversed(digits))


def decode_postings(entry) -> list[tuple[int, int]]:
    """The inverse of ``encode_postings`` (what search.js's ``decode`` does)."""
    ids_text, weights = entry
    if ids_text.startswith("~"):
        ids = [6 * k + j for k, ch in enumerate(ids_text[1:]) for j in range(6) if B64.index(ch) >> j & 1]
    else:
        ids, at = [], 0
        for gap in ids_text.split(","):
            at += int(gap, 36)
            ids.append(at)
    values, value = [], 0
    for ch in weights:
        digit = B64.index(ch)
        value = value * 32 + (digit & 31)
        if digit < 32:
            values.append(value)
            value = 0
    return list(zip(ids, values, strict=True))


def _pow2_at_least(n: int, lo: int = 1, hi: int = 1 << 16) -> int:
    p = lo
    while p < n and p < hi:
        p <<= 1
    return p


def _languages(settings):
    """(code, index, url prefix, uses the 繁體 fields) for each language the site has."""
    codes = [entry["code"] for entry in settings.get("SITE_LANGUAGES", [])] or [settings.get("DEFAULT_LANG")]
    wanted = set(codes) | set(settings.get("SEARCH_LANGUAGES", ["zh-hans", "zh-hant", "en"]))
    out = [("zh-hans", "zh", "", False)]
    if "zh-hant" in wanted:
        out.append(("zh-hant", "zh", "zh-hant/", True))
    if "en" in wanted:
        out.append(("en", "en", "", False))
    return out


def export(search_index, target: Path, settings, to_simplified=None, *, update=None, final_target=None) -> dict:
    """Bring the static index in ``target`` up to date; returns size figures.

    Every file is computed, but only files whose bytes differ are (atomically) rewritten and
    files no longer part of the export are deleted — after editing one article most document
    files and the vocabulary stay untouched.  ``meta.js`` is written last.

    ``update`` — the index build's report (``index.build``) — lets the posting entries of the
    previous export be reused (``EXPORT_CACHE`` beside the index): when the index was updated
    from the generation the cache was made for, with the same document count, (rounded) average
    lengths, boosts and document order, only the entries of the terms whose postings changed are
    computed again; anything else recomputes every entry.  Both give the same bytes (tested).

    With ``update``, the last export (``export_update.EXPORT_STATE``) is reused: linked from where
    it was written if ``target`` is elsewhere, left as it is when nothing changed, patched when
    documents were only edited (``export_update``).  ``final_target``: where ``target`` will be
    once the site is in place (``make site`` builds into a temporary folder); default ``target``.
    """
    from . import export_update

    target = Path(target)
    root = Path(search_index.gen).parent
    digest = export_update.settings_digest(settings, FORMAT_VERSION, _languages(settings))
    state = export_update.load_state(root) if update else None
    if state is not None and state.get("settings") != digest:
        state = None
    reused = state is not None and export_update.reuse_previous(state, target)
    export_update.forget_state(root)  # until this export is complete
    state_target = str(Path(final_target or target).absolute())
    if reused and state["gen"] == Path(search_index.gen).name:
        state["target"] = state_target
        export_update.save_state(root, state)
        return {"files": len(state["files"]), "bytes": sum(k[1] for k in state["files"].values()),
                "meta": state["meta"], "reused_entries": state["entry_count"], "written": 0,
                "removed": 0, "how": "unchanged"}
    if reused:
        changes = export_update.changed_in_place(update, state, search_index)
        if changes is not None:
            writer = _Writer(target, set(state["files"]))
            try:
                stats = _export_changed(search_index, writer, settings, to_simplified, state, changes, update)
            except (KeyError, IndexError, TypeError, ValueError) as exc:  # a state this code cannot use
                log.info("search: the last export could not be updated (%s: %s); exporting everything",
                            exc.__class__.__name__, exc)
                stats = None
            if stats is not None:
                files = dict(state["files"])
                for name in stats.pop("deleted"):
                    (target / name).unlink()
                    files.pop(name, None)
                files.update(export_update.file_stats(target, writer.changed))
                new_state = dict(stats.pop("state"), files=files, target=state_target, settings=digest)
                export_update.save_state(root, new_state)
                stats.update(files=len(files), bytes=sum(k[1] for k in files.values()), written=writer.written,
                             how="patched")
                return stats
    target.mkdir(parents=True, exist_ok=True)
    existing = {p.relative_to(target).as_posix() for p in target.rglob("*.js")}
    writer = _Writer(target, existing)
    stats = _export_into(search_index, writer, settings, to_simplified, update)
    for name in sorted(existing - writer.seen):
        (target / name).unlink()
    stats["written"] = writer.written
    stats["removed"] = len(existing - writer.seen)
    stats["how"] = "linked, then computed" if reused else "computed"
    state = stats.pop("state")
    export_update.save_state(root, dict(state, files=export_update.file_stats(target, sorted(writer.seen)),
                                        target=state_target, settings=digest))
    return stats


class _Writer:
    def __init__(self, target: Path, existing: set):
        self.target = target
        self.existing = existing
        self.seen: set = set()
        self.changed: list = []  # the files written
        self.written = 0
        self.files = 0
        self.bytes = 0

    def __call__(self, name: str, data) -> None:
        rel = f"{name}.js"
        payload = _js(name, data).encode("utf-8")
        self.seen.add(rel)
        self.files += 1
        self.bytes += len(payload)
        path = self.target / rel
        if rel in self.existing:
            try:
                if path.stat().st_size == len(payload) and path.read_bytes() == payload:
                    return
            except OSError:
                pass
            write_atomically(path, payload)  # a reader of the live export sees old or new bytes
        else:
            # A new file: no page of the live export refers to it before ``meta.js`` (written
            # last) does, so it is written in place — most of a first export's 30,000 files.  A
            # build killed meanwhile leaves no export state, and the next export compares (and
            # replaces) every file.
            if not write_new(path, payload):  # there after all (a file the state did not know of)
                write_atomically(path, payload)
        self.written += 1
        self.changed.append(rel)


_TABLE_SIZE = 36 ** 3  # b36 of every id delta and weight below this, computed once


@functools.cache
def _b36_table() -> list[str]:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    two = [a + b for a in digits for b in digits]
    return list(digits) + [d + x for d in digits[1:] for x in digits] + [d + x for d in digits[1:] for x in two]


EXPORT_CACHE = "export-cache.pickle"  # in the index folder: the last export's posting entries


def _signature(search_index, dense: dict) -> dict:
    """What every posting entry depends on besides its own term's postings."""
    order = {lang: hashlib.sha256("\n".join(sorted(ids, key=ids.get)).encode()).hexdigest()
             for lang, ids in dense.items()}
    stats = search_index.stats
    return {"format": FORMAT_VERSION, "n": stats["n"], "avg": stats["avg"], "boosts": search_index.boosts,
            "order": order}


PARALLEL_TERMS = 5000  # fewer terms to compute than this: no worker processes
_FORKED: dict = {}  # what the forked workers of ``_encoded_entries`` inherit


def _entries_of(terms: list) -> list:
    search_index, dense, table = _FORKED["args"]
    return [(term, {lang: encode_postings(pairs, table) for lang, pairs in by_lang.items()})
            for term, by_lang in search_index.weights(dense, terms)]


def _encoded_entries(search_index, dense: dict, todo, table, workers: int = 1, while_waiting=None):
    """``(term, {index: entry})`` in term order for every term (``todo`` None) or those of ``todo``
    (one pass over the terms for every index).  Many terms are shared out, in runs of
    consecutive terms, among ``workers`` forked processes that hand back the encoded entries
    (strings: cheap to pickle); the result is the same.  ``while_waiting`` (a function) is called
    once, as soon as the generator starts (even with no term to compute): while the workers compute,
    when there are workers."""
    terms = sorted(set().union(*(search_index.store.fields[f] for f in search_index.store.fields)))
    if todo is not None:
        terms = [t for t in terms if t in todo]
    if workers <= 1 or len(terms) < PARALLEL_TERMS:
        if while_waiting is not None:
            while_waiting()
        for term, by_lang in search_index.weights(dense, terms):
            yield term, {lang: encode_postings(pairs, table) for lang, pairs in by_lang.items()}
        return
    import multiprocessing

    try:
        from plugins.frozen_heap import frozen_heap
    except ImportError:  # loaded from PLUGIN_PATHS alone
        from frozen_heap import frozen_heap

    search_index._tables()  # computed once, before the fork
    runs = max(4 * workers, len(terms) // 4000)
    step = -(-len(terms) // runs)
    _FORKED["args"] = (search_index, dense, table)
    # Frozen: the workers' garbage collector leaves the inherited objects alone (no copies).
    try:
        with frozen_heap(), multiprocessing.get_context("fork").Pool(workers) as pool:
            runs = pool.imap(_entries_of, [terms[i:i + step] for i in range(0, len(terms), step)])
            if while_waiting is not None:
                while_waiting()
            for run in runs:
                yield from run
    finally:
        _FORKED.clear()


def _posting_entries(search_index, dense: dict, update, table, workers: int = 1,
                     while_waiting=None) -> tuple[dict, int]:
    """``{index: {term: entry}}`` of every term, and how many entries came from the cache.
    ``while_waiting``: see ``_encoded_entries``."""
    cache_file = Path(search_index.gen).parent / EXPORT_CACHE
    signature = _signature(search_index, dense)
    cached = None
    if update and update.get("base") and update.get("changed_terms") is not None:
        try:
            with open(cache_file, "rb") as f:
                cached = pickle.load(f)
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ValueError, TypeError):
            cached = None
        if not (isinstance(cached, dict) and cached.get("gen") == update["base"]
                and cached.get("signature") == signature):
            cached = None
    if cached is None:
        entries: dict[str, dict] = {lang: {} for lang in dense}
        todo = None
    else:
        entries = cached["entries"]
        todo = set(update["changed_terms"])
        for by_term in entries.values():
            for term in todo:
                by_term.pop(term, None)
    reused = sum(len(by_term) for by_term in entries.values())
    for term, by_lang in _encoded_entries(search_index, dense, todo, table, workers, while_waiting):
        for index_lang, value in by_lang.items():
            entries[index_lang][term] = value
    cache = {"gen": Path(search_index.gen).name, "signature": signature, "entries": entries}
    try:
        write_atomically(cache_file, lambda handle: pickle.dump(cache, handle, protocol=pickle.HIGHEST_PROTOCOL))
    except OSError:
        pass  # no cache: the next export computes everything
    return entries, reused


def _own_names(encoded: dict, own_bytes: int) -> dict:
    """A term whose entry alone is big (one in most documents) gets a file of its own, named in
    its shard, so a query never downloads another big term that shares the shard."""
    own: dict[str, str] = {}
    names: set = set()
    for term in sorted(encoded):
        value = encoded[term]
        if len(value[0]) + len(value[1]) > own_bytes:
            name = f"{fnv1a(term):08x}"
            while name in names:
                name += "x"
            own[term] = name
            names.add(name)
    return own


def _bucket_count(encoded: dict, own: dict) -> int:
    size = sum(len(t.encode()) + (20 if t in own else len(v[0]) + len(v[1])) + 8 for t, v in encoded.items())
    return _pow2_at_least(size // TARGET_SHARD_BYTES or 1)


def _vocab_and_chars(encoded) -> tuple[set, set]:
    vocab: set[str] = set()
    chars: set[str] = set()
    for term in encoded:
        if len(term) >= MIN_WORD and all(is_han(c) for c in term):
            vocab.add(term)
        chars.update(c for c in term if is_han(c))
    return vocab, chars


def _vocabulary_may_change(added: set, removed: set, chars) -> bool:
    """Whether the terms added and removed can change the vocabulary shards or ``t2s.js``: not if
    no removed term has a Han character (it may have been the last with it) and no added term is a
    word of Han characters long enough for the vocabulary or brings a Han character the last
    export did not have (``chars``)."""
    if chars is None:
        return bool(added or removed)
    if any(is_han(c) for term in removed for c in term):
        return True
    for term in added:
        han = [c for c in term if is_han(c)]
        if han and ((len(term) >= MIN_WORD and len(han) == len(term)) or any(c not in chars for c in han)):
            return True
    return False


def _write_vocab(write, index_lang: str, vocab: set) -> int:
    vocab_buckets = _pow2_at_least(sum(len(w) * 3 + 1 for w in vocab) // TARGET_SHARD_BYTES or 1)
    by_first: dict[int, list[str]] = defaultdict(list)
    for word in sorted(vocab):
        by_first[fnv1a(word[0]) % vocab_buckets].append(word)
    for b in range(vocab_buckets):
        write(f"{index_lang}/v/{b}", " ".join(by_first.get(b, [])))
    return vocab_buckets


def _shard(encoded: dict, own: dict, terms) -> dict:
    return {term: own.get(term, encoded[term]) for term in sorted(terms)}


def _write_document(write, codes, i: int, stored: dict) -> None:
    for code, prefix, hant in codes:
        title = stored["title_hant"] if hant and stored.get("title_hant") else stored["title"]
        text = stored["text_hant"] if hant and stored.get("text_hant") else stored["text"]
        write(f"{code}/f/{i}", [title, prefix + stored["url"], stored["date"].strftime("%Y-%m-%d"), text])


def _codes(settings, index_lang: str) -> list:
    return [(code, prefix, hant) for code, idx, prefix, hant in _languages(settings) if idx == index_lang]


def _column_numbers(settings, light: dict) -> tuple[dict, dict]:
    from .query import all_column_slugs

    slugs = all_column_slugs(settings, {column for items in light.values() for _, column in items})
    return slugs, {name: i for i, name in enumerate(slugs)}


def _export_into(search_index, write, settings, to_simplified, update=None) -> dict:
    table = _b36_table()
    # The documents' order only (docnum and key, newest first, then URL); each one's stored
    # fields are read when its files are written, so they are never all in memory at once.
    docs = {"zh": [], "en": []}
    docs.update(search_index.documents_in_order())
    # Each document's (date, column), for the year ranges and column codes of the filters: a light
    # pass that keeps no text.
    light = {lang: [_date_and_column(search_index.stored_fields(docnum)) for docnum, _ in items]
             for lang, items in docs.items()}
    slugs, column_numbers = _column_numbers(settings, light)
    meta = {"version": FORMAT_VERSION, "indexes": {}, "langs": {}, "columns": [[n, s] for n, s in slugs.items()]}
    dense = {}
    for index_lang, items in docs.items():
        dense[index_lang] = {key: i for i, (_, key) in enumerate(items)}

    def write_documents():
        # A document's files need no posting entry: written while the workers compute those.
        for index_lang, items in docs.items():
            codes = _codes(settings, index_lang)
            for i, (docnum, _) in enumerate(items):
                _write_document(write, codes, i, search_index.stored_fields(docnum))

    encoded_by_lang, reused = _posting_entries(search_index, dense, update, table, procs(settings), write_documents)
    own_bytes = settings.get("SEARCH_EXPORT_OWN_FILE_BYTES") or OWN_FILE_BYTES
    state = {"gen": Path(search_index.gen).name, "keys": {}, "light": light, "own": {}, "buckets": {}, "chars": {},
             "vocab_buckets": {}, "n": search_index.stats["n"], "avg": search_index.stats["avg"],
             "boosts": search_index.boosts, "signature": _signature(search_index, dense),
             "entry_count": sum(len(e) for e in encoded_by_lang.values())}
    for index_lang, items in docs.items():
        postings: dict[int, list] = defaultdict(list)
        encoded = encoded_by_lang.get(index_lang, {})
        vocab, chars = _vocab_and_chars(encoded)
        own = _own_names(encoded, own_bytes)
        buckets = _bucket_count(encoded, own)
        for term in encoded:
            if term in own:
                write(f"{index_lang}/t/{own[term]}", encoded[term])
            postings[fnv1a(term) % buckets].append(term)
        for b in range(buckets):
            write(f"{index_lang}/p/{b}", _shard(encoded, own, postings.get(b, ())))
        vocab_buckets = _write_vocab(write, index_lang, vocab)
        meta["indexes"][index_lang] = {"buckets": buckets, "vocab_buckets": vocab_buckets, "docs": len(items),
                                       "stem": index_lang == "en", "years": _year_ranges(light[index_lang])}
        write(f"{index_lang}/c", _column_codes(light[index_lang], column_numbers))
        if index_lang == "zh" and to_simplified is not None:
            write("zh/t2s", _t2s_pairs(chars, settings, to_simplified))
        for code, _, _ in _codes(settings, index_lang):
            meta["langs"][code] = {"index": index_lang, "docs": len(items)}
        state["keys"][index_lang] = [key for _, key in items]
        state["own"][index_lang] = own
        state["chars"][index_lang] = chars
        state["buckets"][index_lang] = buckets
        state["vocab_buckets"][index_lang] = vocab_buckets
    write("meta", meta)
    state["meta"] = meta
    return {"files": write.files, "bytes": write.bytes, "meta": meta, "reused_entries": reused, "state": state}


def _export_changed(search_index, write, settings, to_simplified, state: dict, changes: dict, update) -> dict | None:
    """The export after documents were edited in place (``export_update``): only what changed is
    computed and written.  None when the shard layout would change (the caller exports all)."""
    from . import export_update

    cache_file = Path(search_index.gen).parent / EXPORT_CACHE
    try:
        with open(cache_file, "rb") as f:
            cached = pickle.load(f)
    except Exception:
        return None
    if not (isinstance(cached, dict) and cached.get("gen") == state["gen"]
            and cached.get("signature") == state["signature"]):
        return None
    entries = cached["entries"]
    table = _b36_table()
    dense = {lang: {key: i for i, key in enumerate(keys)} for lang, keys in state["keys"].items()}
    before = {lang: set(by_term) for lang, by_term in entries.items()}
    changed_terms = export_update.updated_entries(search_index, entries, changes, update["changed_terms"], dense,
                                                  table, B64, _varint, encode_postings)
    own_bytes = settings.get("SEARCH_EXPORT_OWN_FILE_BYTES") or OWN_FILE_BYTES
    plans = {}
    for index_lang in state["keys"]:
        encoded = entries.get(index_lang, {})
        own = _own_names(encoded, own_bytes)
        buckets = _bucket_count(encoded, own)
        if buckets != state["buckets"][index_lang]:
            return None
        plans[index_lang] = (encoded, own, buckets)
    # Every document edited in place: its stored fields for its files, its column for c.js.
    light = {lang: list(items) for lang, items in state["light"].items()}
    stored_by_key = {}
    searcher = search_index.searcher
    for key, (_, _, _, new_row) in changes.items():
        lang = new_row[1]
        stored = searcher.stored_fields(searcher.document_number(key=key))
        stored_by_key[key] = stored
        light[lang][dense[lang][key]] = _date_and_column(stored)
    deleted = []
    new_chars = dict(state["chars"])
    meta = json.loads(json.dumps(state["meta"]))
    slugs, column_numbers = _column_numbers(settings, light)
    meta["columns"] = [[n, s] for n, s in slugs.items()]
    new_own = {}
    for index_lang, (encoded, own, buckets) in plans.items():
        old_own = state["own"][index_lang]
        touched = {t for t in changed_terms}
        touched |= {t for t in set(own) | set(old_own) if own.get(t) != old_own.get(t)}
        for term in sorted(touched):
            if term in own:
                write(f"{index_lang}/t/{own[term]}", encoded[term])
        names = set(own.values())
        deleted += [f"{index_lang}/t/{name}.js" for name in sorted(set(old_own.values()) - names)]
        wanted = {fnv1a(t) % buckets for t in touched}
        if wanted:
            by_bucket: dict[int, list] = defaultdict(list)
            for term in encoded:
                b = fnv1a(term) % buckets
                if b in wanted:
                    by_bucket[b].append(term)
            for b in sorted(wanted):
                write(f"{index_lang}/p/{b}", _shard(encoded, own, by_bucket.get(b, ())))
        terms_before = before.get(index_lang, set())
        if _vocabulary_may_change(set(encoded) - terms_before, terms_before - set(encoded),
                                  state["chars"].get(index_lang)):
            vocab, chars = _vocab_and_chars(encoded)
            new_chars[index_lang] = chars
            vocab_buckets = _write_vocab(write, index_lang, vocab)
            meta["indexes"][index_lang]["vocab_buckets"] = vocab_buckets
            if index_lang == "zh" and to_simplified is not None:
                write("zh/t2s", _t2s_pairs(chars, settings, to_simplified))
        if index_lang in meta["indexes"]:
            meta["indexes"][index_lang]["years"] = _year_ranges(light[index_lang])
        write(f"{index_lang}/c", _column_codes(light[index_lang], column_numbers))
        codes = _codes(settings, index_lang)
        for key, stored in stored_by_key.items():
            if key in dense[index_lang]:
                _write_document(write, codes, dense[index_lang][key], stored)
        new_own[index_lang] = own
    write("meta", meta)
    gen = Path(search_index.gen).name
    cache = {"gen": gen, "signature": state["signature"], "entries": entries}
    try:
        write_atomically(cache_file, lambda handle: pickle.dump(cache, handle, protocol=pickle.HIGHEST_PROTOCOL))
    except OSError:
        return None
    entry_count = sum(len(e) for e in entries.values())
    new_state = dict(state, gen=gen, light=light, own=new_own, meta=meta, entry_count=entry_count, chars=new_chars)
    new_state.pop("files", None)
    return {"meta": meta, "reused_entries": entry_count - len(changed_terms), "state": new_state,
            "deleted": deleted}


def _date_and_column(stored: dict) -> tuple:
    return stored["date"], stored.get("column") or ""


def _year_ranges(items) -> dict:
    """``{year: [first id, end id]}`` from ``(date, column)`` in id order: ids are newest first, so a
    year is one range of ids."""
    years: dict = {}
    for i, (date, _) in enumerate(items):
        year = str(date.year)
        if year in years:
            years[year][1] = i + 1
        else:
            years[year] = [i, i + 1]
    return years


def _column_codes(items, numbers: dict):
    """The column number of every document (``(date, column)`` in id order): one ``B64`` digit per id
    (a list if more than 64)."""
    codes = [numbers.get(column, 0) for _, column in items]
    if len(numbers) <= len(B64):
        return "".join(B64[c] for c in codes)
    return codes


def _t2s_pairs(chars: set[str], settings, to_simplified) -> str:
    """繁體 characters whose Simplified form is in the vocabulary, as "繁简繁简…"."""
    from ._compat import converter_for

    to_hant = converter_for(settings)
    pairs = {}
    for ch in sorted(chars):
        for variant in {to_hant.convert(ch), to_hant._opencc.convert(ch)}:
            if len(variant) == 1 and variant != ch and to_simplified.convert(variant) == ch:
                pairs[variant] = ch
    return "".join(t + s for t, s in sorted(pairs.items()))
