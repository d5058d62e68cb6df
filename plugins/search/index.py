"""All Whoosh code of the project (whoosh-reloaded is unmaintained and pinned: keep it here).

Layout of an index folder (``SEARCH_INDEX_DIR``)::

    CURRENT            name of the live generation, replaced atomically (os.replace)
                       (a built site names its own generation in ``<output>/search-generation.txt``,
                       which moves with the site: plugins/sitebuild)
    gen-<id>/          a Whoosh index plus manifest.json (file sizes + SHA-256, counts, versions),
                       the posting store and hashes.bin (every document's key → record hash)
    records.pickle     the records last indexed, by the digest of their inputs (the next build's
                       record cache; lets the command line rebuild a corrupt index)
    verified.pickle    per generation, the inode, size and mtime of each file when its digest was
                       last computed or checked (a file still so is not read again)
    export-cache.pickle, export-state.pickle  the last browser export (export.py, export_update.py)

A build starts from the live generation's files (hard links: Whoosh writes new segments under
new names and the posting store is replaced by rename, so the live files are never written) or
from nothing, applies the changes — only documents whose record hash changed are re-analysed —
checks the result and then swaps ``CURRENT``.  When no record changed, no generation is made.  Readers always open the generation ``CURRENT`` names after verifying its manifest;
a missing, corrupt or stale generation is rebuilt from the records, never served.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import hashlib
import heapq
import json
import marshal
import os
import pickle
import shutil
import sys
import tempfile
from array import array
from collections import OrderedDict, deque
from itertools import accumulate, islice
from pathlib import Path

from whoosh import fields, formats, index
from whoosh.codec.whoosh3 import W3LeafMatcher as _W3LeafMatcher
from whoosh.codec.whoosh3 import W3TermInfo
from whoosh.formats import dumps as _dumps
from whoosh.formats import pack_uint as _pack_uint
from whoosh.query import Every
from whoosh.reading import TermNotFound
from whoosh.system import pack_int as _pack_int
from whoosh.system import pack_long as _pack_long
from whoosh.system import pack_ushort as _pack_ushort
from whoosh.util.numeric import byte_to_length, length_to_byte

try:
    from plugins.atomic_file import write_atomically
except ImportError:  # loaded from PLUGIN_PATHS alone
    from atomic_file import write_atomically

from . import scoring
from .analysis import ANALYSIS_VERSION

SCHEMA_VERSION = 3  # 3: the column (stored and indexed) of every document
FIELDS = ("t", "b")
STORE_FILE = "postings.bin"  # PostingStore: term → (docs, tfs) per field, live documents
STATS_FILE = "stats.bin"  # what the scorer needs: document count, average lengths, df per term
INDEX_NAME = "crsa"
_loads = pickle.loads


_NO_WEIGHTS: dict = {}


class IndexUnavailable(RuntimeError):
    pass


class Total(int):
    """How many documents match; ``exact`` is False when it is an upper bound (candidates whose
    phrases were not checked because the results asked for were already found)."""

    exact: bool

    def __new__(cls, value: int, exact: bool = True):
        obj = super().__new__(cls, value)
        obj.exact = exact
        return obj


class PrecomputedText(fields.FieldType):
    """A positions field whose value is already analysed: ``{term: [positions]}``."""

    def __init__(self):
        self.format = formats.Positions()
        self.analyzer = None
        self.scorable = True
        self.stored = False
        self.unique = False
        self.vector = None

    def index(self, value, **kwargs):
        if isinstance(value, BulkLength):  # bulk build: postings come from _BulkPool, only the length here
            yield b"", int(value), float(value), b""
            return
        encode = self.format.encode
        for term, positions in sorted(value.items()):
            yield term.encode("utf-8"), len(positions), float(len(positions)), encode(positions)

    def process_text(self, qstring, mode="", **kwargs):  # used by Phrase: terms are given as-is
        return iter([qstring])


class BulkLength(int):
    """A field value for the bulk build: the field's length; its postings are written term by term."""


# Whoosh pickles the schema: give the custom field one importable home whether Pelican imported
# this package as ``search`` (its plugin loader) or as ``plugins.search`` (the command line).
PrecomputedText.__module__ = "plugins.search.index"
if __name__ != "plugins.search.index":
    sys.modules.setdefault("plugins.search.index", sys.modules[__name__])


def make_schema():
    return fields.Schema(
        key=fields.ID(unique=True, stored=True),
        hash=fields.STORED(),
        lang=fields.ID(stored=True),
        url=fields.STORED(),
        title=fields.STORED(),
        title_hant=fields.STORED(),
        text=fields.STORED(),
        text_hant=fields.STORED(),
        tags=fields.KEYWORD(stored=True, commas=True, lowercase=True),
        column=fields.ID(stored=True),
        date=fields.DATETIME(stored=True),
        t=PrecomputedText(),
        b=PrecomputedText(),
    )


# --- field lengths ------------------------------------------------------------------


def stored_length(length: int) -> int:
    """A field length as Whoosh stores it (one byte, lossy) and returns it to the scorer."""
    return byte_to_length(length_to_byte(length)) if length else 1


# --- the posting store: what the export and the scorer's statistics are computed from ---------


class PostingStore:
    """Per field, term → (document slots, term frequencies), plus one row per document slot.

    Filled from the analysis while the index is written (nothing is read back through Whoosh
    matchers); kept next to the Whoosh files (``postings.bin``) so an incremental build only
    replaces the slots of changed documents.  Slots of removed documents become ``None``.
    """

    def __init__(self, docs=None, fields_=None):
        self.docs: list = docs if docs is not None else []  # [key, lang, date, url, len_t, len_b] or None
        self.fields: dict = fields_ if fields_ is not None else {f: {} for f in FIELDS}

    def add(self, meta: list, analysed: dict) -> int:
        slot = len(self.docs)
        lengths = []
        for fieldname in FIELDS:
            terms = self.fields[fieldname]
            length = 0
            for term, positions in analysed[fieldname].items():
                tf = len(positions)
                length += tf
                entry = terms.get(term)
                if entry is None:
                    terms[term] = [array("I", (slot,)), array("I", (tf,))]
                else:
                    entry[0].append(slot)
                    entry[1].append(tf)
            lengths.append(length)
        self.docs.append(list(meta) + lengths)
        return slot

    def remove(self, keys: set, candidates: dict | None = None) -> set:
        """Removes the documents of ``keys``; returns the terms whose postings changed.

        ``candidates`` (field → terms), when given, holds every term of those documents (their
        analysis): only those terms are looked at, not the whole vocabulary."""
        touched: set = set()
        slots = {i for i, d in enumerate(self.docs) if d is not None and d[0] in keys}
        if not slots:
            return touched
        for i in slots:
            self.docs[i] = None
        lo, hi = min(slots), max(slots)
        for fieldname, terms in self.fields.items():
            for term in (list(terms) if candidates is None else [t for t in candidates[fieldname] if t in terms]):
                docs, tfs = terms[term]
                if docs[-1] < lo or docs[0] > hi:
                    continue
                if len(slots) < 16:  # a few edits: binary searches (slots are ascending in every list)
                    if not any(_contains(docs, s) for s in slots):
                        continue
                elif not any(s in slots for s in docs):
                    continue
                touched.add(term)
                if len(slots) < 16:  # delete in place (the arrays are this store's own, loaded from disk)
                    for slot in sorted(slots, reverse=True):
                        j = bisect.bisect_left(docs, slot)
                        if j < len(docs) and docs[j] == slot:
                            del docs[j]
                            del tfs[j]
                    if not docs:
                        del terms[term]
                    continue
                keep = [j for j, s in enumerate(docs) if s not in slots]
                if keep:
                    terms[term] = [array("I", (docs[j] for j in keep)), array("I", (tfs[j] for j in keep))]
                else:
                    del terms[term]
        return touched

    def stats(self) -> dict:
        """Document count, average field lengths and document frequencies of the live documents.

        The averages are rounded to three significant figures (BM25's length normalisation moves
        by at most 0.5%): editing an article rarely changes them, so the weights of the terms it
        does not contain stay the same and the export can keep their entries (``export.py``)."""
        live = [d for d in self.docs if d is not None]
        n = len(live)
        avg = {f: float(f"{(sum(d[4 + i] for d in live) / n if n else 0.0) or 1.0:.3g}") for i, f in enumerate(FIELDS)}
        df = {f: {term: _posting_count(v) for term, v in terms.items()} for f, terms in self.fields.items()}
        return {"n": n, "avg": avg, "df": df}

    def save(self, gen: Path) -> None:
        data = {"docs": self.docs,
                "fields": {f: {t: v if type(v) is tuple else (v[0].tobytes(), v[1].tobytes()) for t, v in terms.items()}
                           for f, terms in self.fields.items()}}
        _replace_bytes(gen / STORE_FILE, marshal.dumps(data))
        _replace_bytes(gen / STATS_FILE, marshal.dumps(self.stats()))

    @classmethod
    def load(cls, gen: Path) -> PostingStore:
        data = marshal.loads((gen / STORE_FILE).read_bytes())
        return cls(data["docs"], {f: _Terms(terms) for f, terms in data["fields"].items()})


class _Terms(dict):
    """term → [document slots, term frequencies] (arrays) of a store read from disk: each term's
    arrays are made from its saved bytes only when the term is first read (``[]``, ``get``), so
    a build after an edit converts the few terms it touches, not all of them, and saves the others'
    bytes as they were.  ``items``/``values`` give the saved ``(bytes, bytes)`` of terms not read."""

    __slots__ = ()

    def __getitem__(self, term):
        value = dict.__getitem__(self, term)
        return self._arrays(term, value) if type(value) is tuple else value

    def get(self, term, default=None):
        value = dict.get(self, term, default)
        return self._arrays(term, value) if type(value) is tuple else value

    def _arrays(self, term, value):
        a, b = array("I"), array("I")
        a.frombytes(value[0])
        b.frombytes(value[1])
        out = [a, b]
        dict.__setitem__(self, term, out)
        return out


_ITEM = array("I").itemsize


def _posting_count(value) -> int:
    return len(value[0]) // _ITEM if type(value) is tuple else len(value[0])


def _contains(sorted_slots, slot: int) -> bool:
    i = bisect.bisect_left(sorted_slots, slot)
    return i < len(sorted_slots) and sorted_slots[i] == slot


def load_stats(gen: Path) -> dict:
    return marshal.loads((gen / STATS_FILE).read_bytes())


_HEAD = W3TermInfo._struct.size  # a terminfo's bytes before its extent (pack_long offset + pack_int length)
RUN_POSTINGS = 40_000  # postings per run of terms a block encoder hands back (~2-3 MB encoded)
PARALLEL_POSTINGS = 20000  # fewer title/body terms than this: their blocks are encoded in this process
_FORKED_POSTINGS: dict = {}  # what the forked block encoders inherit


class _BulkPool:
    """Stands in for Whoosh's PostingPool in a full build: the title/body postings are not
    pickled, spilled and merged (the bulk of Whoosh's indexing time) but yielded term by term,
    in order, from the in-memory inverted lists; the few other postings are sorted in memory."""

    def __init__(self, inverted: dict, spill: _PositionSpill, procs: int = 1):
        self.inverted = inverted  # field → term → [docnums, tfs, positions blob, sizes of its values, pieces]
        self.spill = spill  # the position bytes already written to disk (``_PositionSpill``)
        self.procs = procs
        self.other: list = []
        self.fieldnames: set = set()

    def add(self, item):
        if item[0] not in self.inverted:
            self.other.append(item)
            self.fieldnames.add(item[0])

    def iter_postings(self):
        return iter(())  # Whoosh passes this to add_postings, which is replaced (below)

    def add_postings(self, fieldwriter, schema, lengths, items):
        """Replaces ``fieldwriter.add_postings``: the small fields go through Whoosh's generic
        loop, the title/body postings are handed to its postings writer a whole block at a time
        (the buffers ``add_posting`` would have filled, then its ``_write_block``/
        ``finish_postings``), not one Python call per posting — the same bytes.  With ``procs``
        > 1 and many terms, forked workers run that same postings writer on consecutive runs of
        terms into memory and this process writes their bytes in order (``_encoded_terms``)."""
        del items  # empty: see iter_postings
        self.other.sort()
        by_field: dict = {}
        for item in self.other:
            by_field.setdefault(item[0], []).append(item)
        generic = type(fieldwriter).add_postings
        for fieldname in sorted(set(by_field) | set(self.inverted)):
            if fieldname not in self.inverted:
                generic(fieldwriter, schema, lengths, by_field[fieldname])
                continue
            field_lengths = lengths._lengths[fieldname]
            fieldwriter.start_field(fieldname, schema[fieldname])
            terms = self.inverted[fieldname]
            names = sorted(terms)  # code point order = UTF-8 byte order
            if self.procs > 1 and len(names) >= PARALLEL_POSTINGS:
                postfile, tindex = fieldwriter._postfile, fieldwriter._tindex
                field_key = _pack_ushort(fieldwriter._fieldid)
                write, tell, add = postfile.write, postfile.tell, tindex.add
                k = 0
                for blob, sizes, heads in self._encoded_terms(fieldwriter, fieldname, names, field_lengths):
                    view, at = memoryview(blob), 0
                    for i, size in enumerate(sizes):
                        term = names[k]
                        terms[term] = None
                        k += 1
                        offset = tell()
                        write(view[at:at + size])
                        at += size
                        # = finish_term: the terminfo's bytes, its extent where the postings landed
                        add(field_key + term.encode("utf-8"),
                            heads[i * _HEAD:(i + 1) * _HEAD] + _pack_long(offset) + _pack_int(size))
                    del view, blob
                assert k == len(names)
            else:
                pw = fieldwriter._postwriter
                for term in names:
                    docs, tfs, blob, sizes = self.spill.take(terms[term])
                    terms[term] = None
                    fieldwriter.start_term(term.encode("utf-8"))
                    _fill_blocks(pw, field_lengths, docs, tfs, blob, sizes)
                    fieldwriter.finish_term()
            fieldwriter.finish_field()

    def _encoded_terms(self, fieldwriter, fieldname, names, field_lengths):
        """For each run of consecutive terms of ``names``, in order, encoded by forked workers:
        their posting bytes end to end, each term's byte count, and each term's terminfo bytes
        without its extent (``_HEAD`` bytes a term), which the caller adds where the bytes land."""
        import multiprocessing

        try:
            from plugins.frozen_heap import frozen_heap
        except ImportError:  # loaded from PLUGIN_PATHS alone
            from frozen_heap import frozen_heap

        # Runs of about equal postings (not terms: common terms cluster in code point order), at
        # most RUN_POSTINGS each, so that an encoded run stays a few MB.
        terms = self.inverted[fieldname]
        counts = [len(terms[name][0]) for name in names]
        target = max(1, min(sum(counts) // (8 * self.procs) + 1, RUN_POSTINGS))
        cuts, acc, lo = [], 0, 0
        for i, count in enumerate(counts):
            acc += count
            if acc >= target:
                cuts.append((lo, i + 1))
                lo, acc = i + 1, 0
        if lo < len(names):
            cuts.append((lo, len(names)))
        bounds = iter(cuts)
        del counts
        _FORKED_POSTINGS.update(pool=self, fieldname=fieldname, names=names, field_lengths=field_lengths,
                                codec=fieldwriter._codec, format=fieldwriter._format)
        try:
            with frozen_heap(), multiprocessing.get_context("fork").Pool(self.procs) as workers:
                # In order, and at most two runs per worker encoded ahead of the writing: the
                # encoded bytes do not pile up in this process (imap would collect them all).
                pending = deque(workers.apply_async(_encode_term_run, (b,)) for b in islice(bounds, 2 * self.procs))
                while pending:
                    encoded = pending.popleft().get()
                    for b in islice(bounds, 1):
                        pending.append(workers.apply_async(_encode_term_run, (b,)))
                    yield pickle.loads(encoded)
                    del encoded
        finally:
            _FORKED_POSTINGS.clear()

    def cleanup(self):
        self.inverted = {}
        self.other = []
        self.spill.close()


def _fill_blocks(pw, field_lengths, docs, tfs, blob, sizes) -> None:
    """One term's postings into Whoosh's postings writer ``pw`` (between ``start_postings`` and
    ``finish_postings``): every full block written, the last one left buffered, as
    ``add_posting`` would have left them."""
    offsets = list(accumulate(sizes, initial=0))
    limit = pw._blocklimit
    n = len(docs)
    for start in range(0, n, limit):
        end = min(n, start + limit)
        ids = docs[start:end]
        weights = array("f", tfs[start:end])
        present = [x for x in (field_lengths[d] for d in ids) if x]
        pw._ids = ids
        pw._weights = weights
        pw._values = [blob[offsets[i]:offsets[i + 1]] for i in range(start, end)]
        pw._maxweight = max(0, max(weights))
        pw._minlength = min(present) if present else None
        pw._maxlength = max(present) if present else 0
        if end < n:
            pw._write_block()


def _encode_term_run(bounds) -> bytes:
    """In a forked worker: the terms ``names[lo:hi]`` through Whoosh's own postings writer into
    memory; ``(posting bytes, their size per term, terminfo bytes without extent)`` pickled (three
    objects: thousands of small ones would fragment the writing process's heap)."""
    import io

    from whoosh.filedb.structfile import StructFile

    lo, hi = bounds
    forked = _FORKED_POSTINGS
    pool, fieldname, names = forked["pool"], forked["fieldname"], forked["names"]
    field_lengths, fmt = forked["field_lengths"], forked["format"]
    terms = pool.inverted[fieldname]
    buffer = io.BytesIO()
    pw = forked["codec"].postings_writer(StructFile(buffer))
    counts, heads = array("Q"), bytearray()
    for term in names[lo:hi]:
        start = buffer.tell()
        docs, tfs, blob, sizes = pool.spill.take(terms[term])
        pw.start_postings(fmt, W3TermInfo())
        _fill_blocks(pw, field_lengths, docs, tfs, blob, sizes)
        terminfo = pw.finish_postings()
        assert not terminfo.is_inlined()  # (inlinelimit 1: never, with at least one posting)
        counts.append(buffer.tell() - start)
        head = terminfo.to_bytes()[:_HEAD]
        heads += head
    return pickle.dumps((buffer.getvalue(), counts, bytes(heads)), pickle.HIGHEST_PROTOCOL)


class _PositionSpill:
    """The Whoosh position bytes of a bulk build, spilled to an anonymous temporary file.

    They are most of the inverted lists' memory (~21 bytes a posting: ~240 MB at 10,000
    articles) and are needed only at commit, term by term.  Each term's bytes (and their sizes)
    collect in memory as the analysed chunks arrive; once ``RUN_BYTES`` are pending, every term
    with pending bytes has them appended to the file as one piece (its sizes, then its bytes), so
    a term has at most one piece per run and memory stays bounded by ``RUN_BYTES``.  At commit,
    ``take`` reads a term's pieces back in order: the same bytes as if they had never left."""

    RUN_BYTES = 32 << 20

    def __init__(self, folder=None):
        self.file = tempfile.TemporaryFile(dir=folder, prefix="positions-")
        self.end = 0
        self.pending_bytes = 0
        self.dirty: list = []  # the entries with pending bytes since the last run

    def added(self, entry: list, nbytes: int) -> None:
        """``entry`` (``[docs, tfs, blob, sizes, pieces]``) received ``nbytes`` position bytes."""
        if len(entry[2]) == nbytes:  # nothing was pending for it before
            self.dirty.append(entry)
        self.pending_bytes += nbytes
        if self.pending_bytes >= self.RUN_BYTES:
            self.flush()

    def flush(self) -> None:
        write = self.file.write
        for entry in self.dirty:
            sizes, blob = entry[3], entry[2]
            pieces = entry[4]
            if pieces is None:
                pieces = entry[4] = array("Q")
            pieces.extend((self.end, len(sizes), len(blob)))
            write(sizes.tobytes())
            write(blob)
            self.end += 4 * len(sizes) + len(blob)
            entry[2], entry[3] = bytearray(), array("I")
        self.dirty = []
        self.pending_bytes = 0
        self.file.flush()

    def take(self, entry: list):
        """``(docs, tfs, position bytes, their sizes)`` of a term, its spilled pieces read back."""
        docs, tfs, blob, sizes, pieces = entry
        if not pieces:
            return docs, tfs, bytes(blob), sizes
        all_sizes, parts = array("I"), []
        fd = self.file.fileno()
        for k in range(0, len(pieces), 3):
            offset, count, nbytes = pieces[k], pieces[k + 1], pieces[k + 2]
            data = os.pread(fd, 4 * count + nbytes, offset)
            all_sizes.frombytes(data[:4 * count])
            parts.append(data[4 * count:])
        all_sizes += sizes
        parts.append(blob)
        return docs, tfs, b"".join(parts), all_sizes

    def close(self) -> None:
        self.dirty = []
        self.file.close()


# --- generations, manifest, atomic swap ---------------------------------------------------


def _file_digest(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _replace_bytes(path: Path, data: bytes) -> None:
    """Write ``path`` through a new file renamed over it: never into a file that may be a hard link."""
    write_atomically(path, data)


def _stat_key(path: Path) -> tuple:
    st = os.stat(path)
    return st.st_ino, st.st_size, st.st_mtime_ns


def _write_manifest(gen: Path, doc_count: int, fingerprint: str, known: dict | None = None) -> None:
    """``known``: ``{file name: (stat key, [size, digest])}`` of files whose digest is known (files
    hard-linked from the generation this one was made from): not read again while unchanged."""
    known = known or {}
    files = {}
    for p in sorted(gen.iterdir()):
        if p.name == "manifest.json":
            continue
        entry = known.get(p.name)
        files[p.name] = entry[1] if entry and entry[0] == _stat_key(p) else [p.stat().st_size, _file_digest(p)]
    manifest = {"schema": SCHEMA_VERSION, "analysis": ANALYSIS_VERSION, "fingerprint": fingerprint,
                "doc_count": doc_count, "files": files}
    (gen / "manifest.json").write_text(json.dumps(manifest, sort_keys=True), encoding="utf-8")


def _open(gen: Path):
    """The Whoosh index in ``gen``, its files read as files: with mmap, Whoosh's compound storage
    copies the whole postings file into memory (``BytesIO(memoryview)``) on every open."""
    from whoosh.filedb.filestore import FileStorage

    return FileStorage(str(gen), supports_mmap=False).open_index(INDEX_NAME)


def _current(root: Path, pointer: Path | None = None) -> Path | None:
    """The live generation: the one ``pointer`` names when that generation is in ``root``, else
    ``CURRENT``'s.  (A site's pointer that names no generation of ``root`` — the site was built
    with another index folder, or its generation is gone — says nothing about ``root``.)"""
    if pointer is not None:
        named = _named_generation(root, pointer)
        if named is not None and named.is_dir():
            return named
    return _named_generation(root, root / "CURRENT")


def _named_generation(root: Path, path: Path) -> Path | None:
    try:
        name = path.read_text(encoding="utf-8").strip()
    except OSError:
        return None
    return root / name if name.startswith("gen-") and "/" not in name else None


def check(gen: Path | None, fingerprint: str | None = None, deep: bool = True, trusted: dict | None = None) -> str | None:
    """None if ``gen`` is a complete, uncorrupted index of this schema, else the reason.

    ``trusted`` (``{file name: stat key}``, see ``VERIFIED``): a file still exactly as it was when
    its digest was last computed or checked (same inode, size and modification time) is not read
    again by a deep check."""
    trusted = trusted or {}
    if gen is None or not gen.is_dir():
        return "no index"
    try:
        manifest = json.loads((gen / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return "no readable manifest"
    if manifest.get("schema") != SCHEMA_VERSION or manifest.get("analysis") != ANALYSIS_VERSION:
        return "stale schema"
    if fingerprint is not None and manifest.get("fingerprint") != fingerprint:
        return "stale settings"
    present = {p.name for p in gen.iterdir() if p.name != "manifest.json"}
    if present != set(manifest["files"]):
        return "files missing or unexpected"
    for name, (size, digest) in manifest["files"].items():
        path = gen / name
        if path.stat().st_size != size:
            return f"corrupt file {name}"
        if deep and tuple(trusted.get(name) or ()) != _stat_key(path) and _file_digest(path) != digest:
            return f"corrupt file {name}"
    try:
        ix = _open(gen)
        with ix.searcher() as s:
            if s.doc_count() != manifest["doc_count"]:
                return "document count differs"
    except Exception as exc:  # whoosh raises many kinds of errors on damaged files
        return f"unreadable ({exc.__class__.__name__})"
    return None


def write_pointer(path: Path, gen: Path) -> None:
    """Name ``gen`` in the file ``path``, atomically (``CURRENT``, or a site's ``search-generation.txt``)."""
    write_atomically(path, gen.name.encode("utf-8"))


def remove_generations(root: Path, keep) -> None:
    """Delete every generation of ``root`` but those named in ``keep``."""
    keep = {Path(k).name for k in keep}
    for old in root.glob("gen-*"):
        if old.name not in keep:
            shutil.rmtree(old, ignore_errors=True)


def _swap(root: Path, new_gen: Path) -> None:
    write_pointer(root / "CURRENT", new_gen)
    remove_generations(root, {new_gen.name})


RECORDS_FILE = "records.pickle"
RECORDS_FORMAT = 2
VERIFIED = "verified.pickle"  # {generation: {file: stat key}} of files whose digest was computed or checked


class StoredRecord:
    """A record of the last build, kept as it was saved (marshal bytes) until a field other than
    its key and hash is read: a build after an edit reads only the few it re-analyses."""

    __slots__ = ("key", "hash", "blob", "_data")

    def __init__(self, key: str, hash_: str, blob: bytes):
        self.key, self.hash, self.blob, self._data = key, hash_, blob, None

    def data(self) -> dict:
        if self._data is None:
            self._data = marshal.loads(self.blob)
        return self._data

    def __getitem__(self, name):
        if name == "key":
            return self.key
        if name == "hash":
            return self.hash
        return self.data()[name]

    def get(self, name, default=None):
        return self[name] if name in ("key", "hash") else self.data().get(name, default)

    def __getstate__(self):
        return self.key, self.hash, self.blob

    def __setstate__(self, state):
        self.key, self.hash, self.blob = state
        self._data = None


def _frozen(record) -> tuple:
    if isinstance(record, StoredRecord):
        return record.key, record.hash, record.blob
    return record["key"], record["hash"], marshal.dumps(dict(record))


def save_records(root: Path, records: list, by_inputs: dict | None = None, salt: str = "") -> None:
    """The records last indexed (the command line rebuilds a corrupt index from them), by the
    digest of their inputs (``documents.records_from_articles``: the next build's cache)."""
    if by_inputs is None:
        by_inputs = {"key:" + r["key"]: r for r in records}
    data = {"format": RECORDS_FORMAT, "salt": salt, "records": {d: _frozen(r) for d, r in by_inputs.items()}}
    write_atomically(root / RECORDS_FILE, lambda f: pickle.dump(data, f, protocol=pickle.HIGHEST_PROTOCOL))


def _load_records_file(root: Path) -> dict:
    with open(Path(root) / RECORDS_FILE, "rb") as f:
        data = pickle.load(f)
    if not isinstance(data, dict) or data.get("format") != RECORDS_FORMAT or not isinstance(data.get("records"), dict):
        raise ValueError(f"{RECORDS_FILE} of another format")
    return data


def load_record_cache(root: Path, salt: str) -> dict:
    """``{inputs digest: StoredRecord}`` of the last build made with the same ``salt``; ``{}`` if none."""
    try:
        data = _load_records_file(root)
    except Exception:  # missing, torn or of another version: every record is made again
        return {}
    if data.get("salt") != salt:
        return {}
    return {digest: StoredRecord(*entry) for digest, entry in data["records"].items()}


def load_records(root: Path) -> list[dict]:
    data = _load_records_file(root)
    return sorted((marshal.loads(blob) for _, _, blob in data["records"].values()), key=lambda r: r["key"])


def _load_verified(root: Path) -> dict:
    try:
        with open(root / VERIFIED, "rb") as f:
            data = pickle.load(f)
    except Exception:
        return {}
    return data if isinstance(data, dict) else {}


def _save_verified(root: Path, gen: Path, files: dict) -> None:
    """Remember ``gen``'s files (``{name: stat key}``) as checked; generations gone are forgotten."""
    data = {name: v for name, v in _load_verified(root).items() if (root / name).is_dir()}
    data[gen.name] = files
    try:
        _replace_bytes(root / VERIFIED, pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL))
    except OSError:
        pass  # the next build checks every digest again


def _manifest_files(gen: Path) -> dict:
    try:
        return json.loads((gen / "manifest.json").read_text(encoding="utf-8")).get("files") or {}
    except (OSError, ValueError, AttributeError):
        return {}


HASHES_FILE = "hashes.bin"  # in a generation: {document key: record hash} of its documents


def _existing_hashes(gen: Path, ix) -> dict:
    try:
        data = marshal.loads((gen / HASHES_FILE).read_bytes())
        if isinstance(data, dict):
            return data
    except (OSError, ValueError, EOFError, TypeError):
        pass
    existing = {}
    with ix.searcher() as s:  # a generation made before hashes.bin: from the stored documents
        for stored in s.all_stored_fields():
            existing[stored["key"]] = stored["hash"]
    return existing


def _link_generation(live: Path, new_gen: Path) -> None:
    """``new_gen`` starts as ``live``: its files hard-linked (copied where links fail).  Whoosh
    writes new segment and TOC files under new names and the posting store is replaced through a
    rename, so no file shared with ``live`` is ever written to."""
    for path in live.iterdir():
        if path.name == "manifest.json" or path.name.endswith("WRITELOCK") or not path.is_file():
            continue
        try:
            os.link(path, new_gen / path.name)
        except OSError:
            shutil.copy2(path, new_gen / path.name)


def _whoosh_doc(record: dict, t, b) -> dict:
    return {
        "key": record["key"], "hash": record["hash"], "lang": record["lang"], "url": record["url"],
        "title": record["title"], "title_hant": record.get("title_hant") or "",
        "text": record["text"], "text_hant": record.get("text_hant") or "",
        "tags": ",".join(record.get("tags") or []),
        "column": record.get("column") or "",
        "date": _naive(record["date"]),
        "t": t, "b": b,
    }


def _meta(record: dict) -> list:
    return [record["key"], record["lang"], record["date"], record["url"]]


def build(root: Path, records: list[dict], analyse, fingerprint: str, *, force: bool = False,
          procs: int = 1, swap: bool = True, by_inputs: dict | None = None, salt: str = "",
          previous: dict | None = None) -> dict:
    """Bring the index in ``root`` up to date with ``records``; returns what was done.

    ``analyse(record) -> {"t": {...}, "b": {...}}`` is called only for new or changed records,
    one record at a time (results are streamed into the index, never all held); a full build
    of more than 200 records analyses in ``procs`` worker processes.  ``swap=False`` leaves
    ``CURRENT`` and the other generations alone: the caller makes the new one live.

    When no record changed, no generation is made: the report names the live one
    (``"unchanged"``).  ``by_inputs`` and ``salt`` are saved with the records (``save_records``);
    ``previous`` (``{key: record}`` of the last build) lets the few changed documents be removed
    from the posting store by their own terms instead of a pass over the whole vocabulary.
    """
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    live = _current(root)
    verified = _load_verified(root)
    reason = "forced" if force else check(live, fingerprint, deep=True,
                                          trusted=verified.get(live.name) if live is not None else None)
    incremental = reason is None
    wanted = {r["key"]: r for r in records}
    existing: dict[str, str] = {}
    if incremental:
        ix = _open(live)
        existing = _existing_hashes(live, ix)
        changed = [r for r in records if existing.get(r["key"]) != r["hash"]]
        removed = [k for k in existing if k not in wanted]
        if not changed and not removed:
            if live.name not in verified:
                _save_verified(root, live, {p.name: _stat_key(p) for p in live.iterdir() if p.name != "manifest.json"})
            if by_inputs is not None and by_inputs is not False:
                save_records(root, records, by_inputs, salt)
            return {"rebuilt": False, "reason": None, "indexed": 0, "removed": 0, "total": len(wanted),
                    "path": str(live), "base": live.name, "changed_terms": set(), "unchanged": True,
                    "store": None, "changes": {}}
    new_gen = Path(tempfile.mkdtemp(prefix="gen-", dir=root))
    changes: dict = {}  # key → (old row and term frequencies, new ones) of the changed documents
    try:
        if incremental:
            _link_generation(live, new_gen)
            known = {name: (verified.get(live.name, {}).get(name), entry)
                     for name, entry in _manifest_files(live).items()}
            store = PostingStore.load(new_gen)
            ix = _open(new_gen)
            gone = {r["key"] for r in changed} | set(removed)
            candidates = None
            if len(gone) <= 16 and previous is not None:
                olds = [previous.get(k) for k in gone if k in existing]
                if all(o is not None and o.get("hash") == existing.get(o["key"]) for o in olds):
                    candidates = {f: set() for f in FIELDS}
                    for old in olds:
                        analysed = analyse(old)
                        changes[old["key"]] = [_frequencies(analysed), None]
                        for fieldname in FIELDS:
                            candidates[fieldname].update(analysed[fieldname])
            old_rows = {d[0]: d for d in store.docs if d is not None and d[0] in gone}
            changed_terms: set | None = store.remove(gone, candidates)
            writer = ix.writer(codec=_codec())
            for key in removed:
                writer.delete_by_term("key", key)
            for record in changed:
                analysed = analyse(record)
                store.add(_meta(record), analysed)
                if candidates is not None:
                    changes.setdefault(record["key"], [None, None])[1] = _frequencies(analysed)
                for fieldname in FIELDS:
                    changed_terms.update(analysed[fieldname])
                doc = _whoosh_doc(record, analysed["t"], analysed["b"])
                if record["key"] in existing:
                    writer.update_document(**doc)
                else:
                    writer.add_document(**doc)
            writer.commit()
            store.save(new_gen)
            if candidates is not None:
                new_rows = {d[0]: d for d in store.docs if d is not None and d[0] in gone}
                for key, pair in changes.items():
                    pair.append(old_rows.get(key))
                    pair.append(new_rows.get(key))
            else:
                changes = {}
        else:
            changed, removed, changed_terms = list(records), [], None
            known = {}
            ix = index.create_in(str(new_gen), make_schema(), indexname=INDEX_NAME)
            store = _bulk_write(ix, records, analyse, procs, spill_dir=root)
            store.save(new_gen)
        _replace_bytes(new_gen / HASHES_FILE, marshal.dumps({r["key"]: r["hash"] for r in records}))
        _write_manifest(new_gen, len(wanted), fingerprint, known)
        problem = check(new_gen, fingerprint, deep=False)
        if problem:
            raise IndexUnavailable(f"new index failed its check: {problem}")
        _save_verified(root, new_gen, {p.name: _stat_key(p) for p in new_gen.iterdir() if p.name != "manifest.json"})
        if by_inputs is not False:
            save_records(root, records, by_inputs, salt)
        if swap:
            _swap(root, new_gen)
    except BaseException:
        shutil.rmtree(new_gen, ignore_errors=True)
        raise
    # ``base`` and ``changed_terms``: the generation this one was updated from and the terms whose
    # postings differ from it (None after a full build) — what the export needs to reuse entries.
    # ``changes``: per changed document key [old term frequencies, new ones, old row, new row]
    # (None where it did not exist; empty when unknown); ``store``: the posting store just written.
    return {"rebuilt": not incremental, "reason": reason, "indexed": len(changed), "removed": len(removed),
            "total": len(wanted), "path": str(new_gen), "base": live.name if incremental else None,
            "changed_terms": changed_terms, "unchanged": False, "store": store if incremental else None,
            "changes": changes}


def _frequencies(analysed: dict) -> dict:
    """``{field: {term: term frequency}}`` of one document's analysis."""
    return {f: {term: len(positions) for term, positions in analysed[f].items()} for f in FIELDS}


# Records per analysis task of a full build.  The writer merges each task's partial inverted
# lists term by term, so its work grows with (task, term) pairs: at 10,000 articles 128 records a
# task took 19 s of its CPU where 32 took 26 s, for the same posting store and segment.
CHUNK = 128


def _inverted_chunk(analyse, task):
    """Analyses records ``task = (first docnum, records)`` into partial inverted lists (in the
    worker): per field the terms and, concatenated in their order, their docnums, tfs, Whoosh
    Positions bytes and those bytes' sizes; and per record its field lengths.  The writer only
    concatenates them term by term (one step per term and chunk, not per posting)."""
    docnum, records = task
    inverted: dict = {f: {} for f in FIELDS}
    lengths = []
    for record in records:
        analysed = analyse(record)
        row = []
        for fieldname in FIELDS:
            terms = inverted[fieldname]
            length = 0
            for term, positions in analysed[fieldname].items():
                # formats.Positions.encode, inlined (byte for byte the same)
                deltas, base = [], 0
                for pos in positions:
                    deltas.append(pos - base)
                    base = pos
                vbytes = _pack_uint(len(deltas)) + _dumps(deltas, 2)
                tf = len(positions)
                length += tf
                entry = terms.get(term)
                if entry is None:
                    terms[term] = [array("I", (docnum,)), array("I", (tf,)), bytearray(vbytes),
                                   array("I", (len(vbytes),))]
                else:
                    entry[0].append(docnum)
                    entry[1].append(tf)
                    entry[2] += vbytes
                    entry[3].append(len(vbytes))
            row.append(length)
        lengths.append(row)
        docnum += 1
    # A few large objects per field (pickled through the pool's pipe far faster than ~10 k small
    # arrays): the terms, per term its posting count and value bytes, then everything concatenated.
    packed = {}
    for fieldname, terms in inverted.items():
        counts, nbytes, docs, tfs, sizes, blob = array("I"), array("I"), array("I"), array("I"), array("I"), bytearray()
        for d, tf, b, sz in terms.values():
            counts.append(len(d))
            nbytes.append(len(b))
            docs += d
            tfs += tf
            sizes += sz
            blob += b
        packed[fieldname] = (list(terms), counts, nbytes, docs, tfs, sizes, bytes(blob))
    return packed, lengths


def _bulk_write(ix, records, analyse, procs: int = 1, spill_dir=None) -> PostingStore:
    """A new index in one segment: documents go through Whoosh's writer (stored fields, lengths,
    the small fields), title/body postings through ``_BulkPool``; the posting store shares the
    inverted lists' arrays; their position bytes wait on disk (``_PositionSpill`` in
    ``spill_dir``) until the commit writes them."""
    inverted: dict = {f: {} for f in FIELDS}
    lengths: dict = {f: [] for f in FIELDS}
    docs = []
    spill = _PositionSpill(spill_dir)
    writer = ix.writer(codec=_codec())
    writer.pool.cleanup()
    writer.pool = _BulkPool(inverted, spill, procs)
    added = spill.added
    tasks = [(start, records[start:start + CHUNK]) for start in range(0, len(records), CHUNK)]
    for (_start, chunk), (partial, chunk_lengths) in _analysed(tasks, functools.partial(_inverted_chunk, analyse),
                                                               procs if len(records) > 200 else 1):
        for fieldname in FIELDS:
            terms = inverted[fieldname]
            names, counts, nbytes, pdocs, ptfs, psizes, pblob = partial[fieldname]
            pblob = memoryview(pblob)
            i = j = 0
            for term, n, nb in zip(names, counts, nbytes, strict=True):
                entry = terms.get(term)
                if entry is None:
                    entry = terms[term] = [pdocs[i:i + n], ptfs[i:i + n], bytearray(pblob[j:j + nb]),
                                           psizes[i:i + n], None]
                else:
                    entry[0] += pdocs[i:i + n]
                    entry[1] += ptfs[i:i + n]
                    entry[2] += pblob[j:j + nb]
                    entry[3] += psizes[i:i + n]
                added(entry, nb)
                i += n
                j += nb
            del pblob
        for record, row in zip(chunk, chunk_lengths, strict=True):
            for fieldname, length in zip(FIELDS, row, strict=True):
                lengths[fieldname].append(length)
            docs.append(_meta(record) + row)
            writer.add_document(**_whoosh_doc(record, *map(BulkLength, row)))
    del tasks
    store = PostingStore(docs, {f: {t: e[:2] for t, e in terms.items()} for f, terms in inverted.items()})
    # Whoosh asks the per-document reader for each posting's field length (for its per-term
    # statistics); answer from the lengths at hand instead of decoding the column each time.
    per_document_reader = writer.per_document_reader
    writer.per_document_reader = lambda: _KnownLengths(per_document_reader(), lengths)
    writer.fieldwriter.add_postings = functools.partial(writer.pool.add_postings, writer.fieldwriter)
    writer.commit()
    return store


def _codec():
    from whoosh.codec.whoosh3 import W3Codec

    # Posting blocks uncompressed: zlib was a sixth of the writing time, and reading is faster.
    return W3Codec(compression=0)


class _KnownLengths:
    def __init__(self, reader, lengths):
        self._reader = reader
        self._lengths = {}
        for fieldname, values in lengths.items():
            out = self._lengths[fieldname] = []
            for length in values:
                b = length_to_byte(length)
                out.append(byte_to_length(b) if b else 0)

    def doc_field_length(self, docnum, fieldname, default=0):
        values = self._lengths.get(fieldname)
        if values is None:
            return self._reader.doc_field_length(docnum, fieldname, default)
        return values[docnum] or default

    def close(self):
        self._reader.close()


def _analysed(records, analyse, procs):
    """``(record, analyse(record))`` in order; with ``procs`` > 1 the analysis runs in forked
    worker processes while this one writes (results are streamed, not collected)."""
    if procs > 1 and len(records) > 1:
        import multiprocessing

        try:
            from plugins.frozen_heap import frozen_heap
        except ImportError:  # loaded from PLUGIN_PATHS alone
            from frozen_heap import frozen_heap

        ctx = multiprocessing.get_context("fork")
        # The workers are forked from the build (Pelican's whole site in memory at 10,000 articles):
        # frozen, those objects are never visited by the workers' garbage collector, whose visits
        # would copy every page of that heap into each worker.
        with frozen_heap():
            with ctx.Pool(procs) as pool:
                yield from zip(records, pool.imap(analyse, records), strict=True)
        return
    for record in records:
        yield record, analyse(record)


# --- reading ------------------------------------------------------------------------------


class SearchIndex:
    """A verified, open index generation.  Use ``open_index`` to get one."""

    def __init__(self, gen: Path, boosts=None):
        self.gen = gen
        self.ix = _open(gen)
        self.boosts = dict(boosts or scoring.DEFAULT_BOOSTS)
        self.stats = load_stats(gen)
        self.searcher = self.ix.searcher()  # scores come from the posting store (``term_weights``)
        self._vocab = None
        self._store = None
        self._slot_tables = None
        self._slot_docnum = None
        self._weights_lru: OrderedDict = OrderedDict()

    @property
    def store(self) -> PostingStore:
        if self._store is None:
            self._store = PostingStore.load(self.gen)
        return self._store

    def close(self):
        self.searcher.close()

    def vocabulary(self) -> set[str]:
        """Indexed jieba words of three or more characters (for longest-match query segmentation)."""
        if self._vocab is None:
            from .analysis import MIN_WORD, is_han

            vocab = set()
            for fieldname in ("t", "b"):
                for term in self.searcher.reader().lexicon(fieldname):
                    word = term.decode("utf-8")
                    if len(word) >= MIN_WORD and all(is_han(c) for c in word):
                        vocab.add(word)
            self._vocab = vocab
        return self._vocab

    # --- the store's view: per-slot tables, per-term integer weights (CLI and export alike) ---

    def _tables(self):
        """Per slot: stored field lengths, naive datetime, rank in (newest first, URL) order,
        Whoosh docnum — computed once per searcher from the posting store."""
        if self._slot_tables is None:
            store = self.store
            docs = store.docs
            lengths = [[stored_length(d[4 + i]) if d is not None else 1 for d in docs] for i in range(len(FIELDS))]
            dates = [_naive(d[2]) if d is not None else None for d in docs]
            live = [slot for slot, d in enumerate(docs) if d is not None]
            live.sort(key=lambda slot: (-dates[slot].timestamp(), docs[slot][3]))
            rank = [0] * len(docs)
            for r, slot in enumerate(live):
                rank[slot] = r
            self._slot_tables = {"lengths": lengths, "dates": dates, "rank": rank}
        return self._slot_tables

    def _docnums(self) -> list:
        """Whoosh docnum of every slot (None for removed slots)."""
        if self._slot_docnum is None:
            docs = self.store.docs
            reader = self.searcher.reader()
            if (self.searcher.is_atomic() and not reader.has_deletions() and all(d is not None for d in docs)
                    and reader.doc_count_all() == len(docs)):
                self._slot_docnum = list(range(len(docs)))  # a full build: documents added in slot order
            else:
                self._slot_docnum = [self.searcher.document_number(key=d[0]) if d is not None else None
                                     for d in docs]
        return self._slot_docnum

    def term_weights_by_language(self, term: str) -> dict:
        """``{language: {slot: integer weight}}`` of ``term`` over the live documents: the sum over
        the title and body fields of ``scoring.field_weight`` with the live documents' statistics.
        The export writes exactly these integers and the command line adds exactly these.  One
        pass over the term's postings serves every language."""
        store, stats, tables = self.store, self.stats, self._tables()
        docs = store.docs
        n = stats["n"]
        weight = scoring.field_weight
        out: dict[str, dict[int, int]] = {}
        for i, fieldname in enumerate(FIELDS):
            entry = store.fields[fieldname].get(term)
            if entry is None:
                continue
            df = stats["df"][fieldname][term]
            avg = stats["avg"][fieldname]
            boost = self.boosts.get(fieldname, 1.0)
            lengths = tables["lengths"][i]
            memo: dict = {}
            for slot, tf in zip(entry[0], entry[1], strict=True):
                d = docs[slot]
                if d is None:
                    continue
                key = (tf, lengths[slot])
                w = memo.get(key)
                if w is None:
                    w = memo[key] = weight(tf, key[1], avg, n, df, boost)
                by_slot = out.get(d[1])
                if by_slot is None:
                    by_slot = out[d[1]] = {}
                by_slot[slot] = by_slot.get(slot, 0) + w
        return out

    def term_weights(self, term: str, lang: str) -> dict:
        """``{slot: integer weight}`` of ``term`` over the live documents of ``lang``."""
        return self.term_weights_by_language(term).get(lang, {})

    WEIGHTS_CACHED = 256  # terms whose weights a warm searcher keeps (a few MB at N = 10000)

    def _cached_weights(self, term: str, lang: str) -> dict:
        """``term_weights`` kept for the next queries (read-only: callers must not modify it)."""
        lru = self._weights_lru
        by_language = lru.get(term)
        if by_language is None:
            by_language = lru[term] = self.term_weights_by_language(term)
            if len(lru) > self.WEIGHTS_CACHED:
                lru.popitem(last=False)
        else:
            lru.move_to_end(term)
        return by_language.get(lang, _NO_WEIGHTS)

    SORTS = ("relevance", "date")

    def search(self, parsed, lang: str, *, since=None, until=None, columns=None, sort="relevance", limit=10,
               offset=0):
        """Ranked ``(score, stored_fields)`` for a parsed query, and the total.

        Scores are sums of the exported integer weights (``term_weights``) of the query's terms
        (all required) and jieba words (optional), so the browser's ranking is the same by
        construction.  ``sort="relevance"``: by score, ties newest first then URL; ``"date"``:
        newest first then URL (the export's document order).  ``columns``: only documents of
        these columns (names, as in ``Category:``).  Results ``offset`` to ``offset + limit`` of
        that order are returned (``limit=None``: all).  Candidates start from the rarest term;
        dates come from the store, columns from the index's ``column`` field; Whoosh only serves
        the positions that check the phrases (segments of several terms).
        """
        if sort not in self.SORTS:
            raise ValueError(f"unknown sort {sort!r}; use relevance or date")
        if not parsed.segments:
            return [], Total(0)
        required = sorted((self._cached_weights(t, lang) for t in parsed.required), key=len)
        if not required or not required[0]:
            return [], Total(0)
        scores = dict(required[0])
        for weights in required[1:]:
            scores = {slot: w + weights[slot] for slot, w in scores.items() if slot in weights}
            if not scores:
                return [], Total(0)
        for word in parsed.optional:
            weights = self._cached_weights(word, lang)
            for slot in scores.keys() & weights.keys():
                scores[slot] += weights[slot]
        tables = self._tables()
        docnums = self._docnums()
        if since or until:
            lo, hi = _as_dt(since), _as_dt(until, end=True)
            dates = tables["dates"]
            scores = {slot: w for slot, w in scores.items()
                      if (lo is None or dates[slot] >= lo) and (hi is None or dates[slot] <= hi)}
        if columns is not None:
            allowed = self._column_docnums(columns)
            scores = {slot: w for slot, w in scores.items() if docnums[slot] in allowed}
        phrases = []
        for seg in parsed.segments:
            if len(seg.terms) > 1:
                phrases.append(_phrase(seg))
        rank = tables["rank"]
        if sort == "relevance":
            def order_key(kv):
                return (-kv[1], rank[kv[0]])
        else:
            def order_key(kv):
                return (0, rank[kv[0]])
        wanted = None if limit is None else offset + limit
        if not phrases:
            if wanted is None:
                ordered = sorted(scores.items(), key=order_key)
            else:
                ordered = heapq.nsmallest(wanted, scores.items(), key=order_key)
            total = Total(len(scores), exact=True)
        else:
            ordered, total = self._verified_in_rank_order(phrases, scores, order_key, docnums, wanted)
        return [(score, self.searcher.stored_fields(docnums[slot])) for slot, score in ordered[offset:]], total

    def _column_docnums(self, columns) -> set:
        """Whoosh docnums of the documents of ``columns`` (the indexed ``column`` field)."""
        reader = self.searcher.reader()
        out: set = set()
        for name in columns:
            try:
                out.update(reader.postings("column", str(name).encode("utf-8")).all_ids())
            except TermNotFound:
                continue
        return out

    def columns(self) -> list[str]:
        """The column names of the indexed documents."""
        return sorted(t.decode("utf-8") for t in self.searcher.reader().lexicon("column"))

    def _verified_in_rank_order(self, phrases, scores, order_key, docnums, limit):
        """The first ``limit`` candidates, in ranking order, whose phrases check out, checked
        exactly as search.js checks them: from the top, each round the number of results still
        missing, so a query whose terms occur in most articles costs a few dozen position
        reads, not one per article — and the browser loads no more documents than it shows when
        they all pass.  The total is exact once every candidate has been checked, else an upper
        bound (the results found plus the candidates not checked) — the same in both."""
        order = [(*order_key(kv), kv[0], kv[1]) for kv in scores.items()]
        if limit is None:
            order.sort()
            passing = self._phrase_docs(phrases, {docnums[item[2]] for item in order})
            found = [(item[2], item[3]) for item in order if docnums[item[2]] in passing]
            return found, Total(len(found))
        heapq.heapify(order)
        found: list = []
        while order and len(found) < limit:
            want = min(len(order), limit - len(found))
            batch = [heapq.heappop(order) for _ in range(want)]
            passing = self._phrase_docs(phrases, {docnums[item[2]] for item in batch})
            found.extend((item[2], item[3]) for item in batch if docnums[item[2]] in passing)
        return found[:limit], Total(len(found) + len(order), exact=not order)

    def _phrase_docs(self, phrases: list, candidates: set) -> set:
        """The docnums of ``candidates`` where, for every phrase, its terms occur at their relative
        offsets in the title or in the body (Whoosh's Phrase query restricted to the candidates,
        reading the positions straight from the postings)."""
        reader = self.searcher.reader()
        passing = candidates
        for terms in phrases:
            ok: set = set()
            for fieldname in FIELDS:
                todo = sorted(passing - ok)
                if not todo:
                    break
                try:
                    values = [_values_by_doc(reader.postings(fieldname, t.encode("utf-8")), todo) for t, _ in terms]
                except TermNotFound:
                    continue
                for doc in todo:
                    starts = None
                    for (_, i), by_doc in zip(terms, values, strict=True):
                        value = by_doc.get(doc)
                        if value is None:
                            starts = None
                            break
                        at = set(islice(accumulate(_loads(value[4:] if value.endswith(b".") else value[4:] + b"."),
                                                   initial=-i), 1, None))  # positions - i
                        starts = at if starts is None else starts & at
                        if not starts:
                            break
                    if starts:
                        ok.add(doc)
            passing = ok
            if not passing:
                break
        return passing

    def all_documents(self):
        """``(docnum, stored_fields)`` of every live document."""
        reader = self.searcher.reader()
        for docnum in reader.all_doc_ids():
            yield docnum, reader.stored_fields(docnum)

    def stored_fields(self, docnum: int) -> dict:
        return self.searcher.stored_fields(docnum)

    def documents_in_order(self) -> dict:
        """``{language: [(docnum, key), …]}`` of the live documents, newest first, then URL, then
        docnum (the export's dense ids), from the posting store's rows: no stored document is
        read.  Languages come in the order of their first document."""
        docs = self.store.docs
        dates = self._tables()["dates"]
        docnums = self._docnums()
        out: dict = {}
        for docnum, slot in sorted((docnums[slot], slot) for slot, d in enumerate(docs) if d is not None):
            out.setdefault(docs[slot][1], []).append((-dates[slot].timestamp(), docs[slot][3], docnum, docs[slot][0]))
        return {lang: [(docnum, key) for _, _, docnum, key in sorted(rows)] for lang, rows in out.items()}

    def weights(self, dense: dict, terms=None):
        """``(term, {language: [(dense id, integer weight), …]})`` for every term (or those of
        ``terms`` still indexed), in term order (``term_weights_by_language``, slots mapped to the
        export's dense ids; ``dense`` maps each language to ``{document key: dense id}``).
        Languages without documents are left out."""
        store = self.store
        slot_id = {}
        for slot, d in enumerate(store.docs):
            if d is not None and d[0] in dense.get(d[1], ()):
                slot_id[slot] = dense[d[1]][d[0]]
        every = set().union(*(store.fields[f] for f in FIELDS))
        for term in sorted(every if terms is None else every & set(terms)):
            out = {}
            for lang, weights in self.term_weights_by_language(term).items():
                pairs = sorted((slot_id[slot], w) for slot, w in weights.items() if slot in slot_id)
                if pairs:
                    out[lang] = pairs
            if out:
                yield term, out

    def doc_count(self) -> int:
        return self.searcher.doc_count()


def _values_by_doc(m, docs: list) -> dict:
    """``{docnum: raw posting value}`` of matcher ``m`` for the sorted ``docs``.  A W3 leaf
    matcher (one segment, no deletions) is read block by block: a block whose last id is before
    the next wanted document is skipped unread, a block holding wanted documents has its ids read
    and its values only if one of them is there.  Any other matcher goes posting by posting
    through ``skip_to``."""
    out: dict = {}
    if not docs:
        return out
    if isinstance(m, _W3LeafMatcher) and m.is_active() and m._i == 0:  # a fresh matcher, at a block start
        k, n = 0, len(docs)
        while k < n:
            maxid = m._maxid
            if maxid >= docs[k]:
                j = bisect.bisect_right(docs, maxid, k)
                if m._ids is None:
                    m._read_ids()
                ids = m._ids
                if j - k > 8:
                    wanted = set(docs[k:j])
                    at = [(i, d) for i, d in enumerate(ids) if d in wanted]
                else:
                    at = []
                    for d in docs[k:j]:
                        i = bisect.bisect_left(ids, d)
                        if i < len(ids) and ids[i] == d:
                            at.append((i, d))
                if at:
                    if m._values is None:
                        m._read_values()
                    values = m._values
                    for i, d in at:
                        out[d] = values[i]
                k = j
            if m._lastblock or k >= n:
                break
            m._next_block()
        return out
    for doc in docs:
        if not m.is_active():
            break
        if m.id() < doc:
            m.skip_to(doc)
            if not m.is_active():
                break
        if m.id() == doc:
            out[doc] = m.value()
    return out


def _phrase(seg) -> list[tuple[str, int]]:
    """``(term, unit offset)`` of a segment whose terms must be checked for adjacency (several)."""
    return list(zip(seg.terms, seg.offsets, strict=True))


def _naive(iso: str) -> dt.datetime:
    """A record's date as Whoosh stores it (``_whoosh_doc``)."""
    return dt.datetime.fromisoformat(iso).replace(tzinfo=None)


def _as_dt(value, end=False):
    if value is None:
        return None
    if isinstance(value, str):
        value = dt.date.fromisoformat(value)
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        value = dt.datetime.combine(value, dt.time.max if end else dt.time.min)
    return value


def open_index(root: Path, fingerprint: str | None = None, boosts=None, deep: bool = True,
               pointer: Path | None = None) -> SearchIndex:
    """The live generation (see ``_current``), verified; raises IndexUnavailable (with the reason) otherwise."""
    gen = _current(Path(root), pointer)
    problem = check(gen, fingerprint, deep=deep)
    if problem:
        raise IndexUnavailable(problem)
    return SearchIndex(gen, boosts)


__all__ = ["Every", "IndexUnavailable", "SearchIndex", "build", "check", "load_records", "open_index",
           "remove_generations", "write_pointer"]
