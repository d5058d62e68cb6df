"""All Whoosh code of the project (whoosh-reloaded is unmaintained and pinned: keep it here).

Layout of an index folder (``SEARCH_INDEX_DIR``)::

    CURRENT            name of the live generation, replaced atomically (os.replace)
    gen-<id>/          a Whoosh index plus manifest.json (file sizes + SHA-256, counts, versions)
    records.json.gz    the documents last indexed (lets the command line rebuild a corrupt index)

A build copies the live generation (or starts empty), applies the changes — only documents
whose source path + content hash changed are re-analysed — checks the result and then swaps
``CURRENT``.  Readers always open the generation ``CURRENT`` names after verifying its manifest;
a missing, corrupt or stale generation is rebuilt from the records, never served.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import json
import os
import shutil
import sys
import tempfile
import uuid
from pathlib import Path

from whoosh import fields, formats, index
from whoosh import scoring as wscoring
from whoosh.query import And, AndMaybe, DateRange, Every, Or, Phrase, Term

from . import scoring
from .analysis import ANALYSIS_VERSION

SCHEMA_VERSION = 1
INDEX_NAME = "crsa"


class IndexUnavailable(RuntimeError):
    pass


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
        encode = self.format.encode
        for term, positions in sorted(value.items()):
            yield term.encode("utf-8"), len(positions), float(len(positions)), encode(positions)

    def process_text(self, qstring, mode="", **kwargs):  # used by Phrase: terms are given as-is
        return iter([qstring])


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
        date=fields.DATETIME(stored=True),
        t=PrecomputedText(),
        b=PrecomputedText(),
    )


# --- scoring ------------------------------------------------------------------------


class _Scorer(wscoring.BaseScorer):
    def __init__(self, searcher, fieldname, text, boost):
        self.searcher = searcher
        self.fieldname = fieldname
        self.boost = boost
        self.n = searcher.doc_count_all()
        self.df = searcher.doc_frequency(fieldname, text)
        self.avg = searcher.avg_field_length(fieldname, 1.0) or 1.0

    def supports_block_quality(self):
        return False

    def max_quality(self):  # an upper bound for Whoosh's optimisations (a saturated BM25 term)
        return float(scoring.SCALE * self.boost * (scoring.K1 + 1) * scoring.idf(self.n, max(self.df, 0)) + 1)

    def score(self, matcher):
        length = self.searcher.doc_field_length(matcher.id(), self.fieldname, 1)
        return float(scoring.field_weight(matcher.weight(), length, self.avg, self.n, self.df, self.boost))


class QuantisedBM25(wscoring.WeightingModel):
    def __init__(self, boosts=None):
        self.boosts = dict(boosts or scoring.DEFAULT_BOOSTS)

    def scorer(self, searcher, fieldname, text, qf=1):
        return _Scorer(searcher, fieldname, text, self.boosts.get(fieldname, 1.0))


def term_weights(searcher, term: str, boosts) -> dict[int, int]:
    """Whoosh docnum → integer weight of ``term`` (summed over the title and body fields)."""
    out: dict[int, int] = {}
    n = searcher.doc_count_all()
    reader = searcher.reader()
    for fieldname in ("t", "b"):
        if (fieldname, term) not in reader:
            continue
        df = searcher.doc_frequency(fieldname, term)
        avg = searcher.avg_field_length(fieldname, 1.0) or 1.0
        boost = boosts.get(fieldname, 1.0)
        m = reader.postings(fieldname, term)
        while m.is_active():
            docnum = m.id()
            w = scoring.field_weight(m.weight(), reader.doc_field_length(docnum, fieldname, 1), avg, n, df, boost)
            out[docnum] = out.get(docnum, 0) + w
            m.next()
    return out


# --- generations, manifest, atomic swap ---------------------------------------------------


def _file_digest(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _write_manifest(gen: Path, doc_count: int, fingerprint: str) -> None:
    files = {p.name: [p.stat().st_size, _file_digest(p)] for p in sorted(gen.iterdir()) if p.name != "manifest.json"}
    manifest = {"schema": SCHEMA_VERSION, "analysis": ANALYSIS_VERSION, "fingerprint": fingerprint,
                "doc_count": doc_count, "files": files}
    (gen / "manifest.json").write_text(json.dumps(manifest, sort_keys=True), encoding="utf-8")


def _current(root: Path) -> Path | None:
    try:
        name = (root / "CURRENT").read_text(encoding="utf-8").strip()
    except OSError:
        return None
    return root / name if name.startswith("gen-") else None


def check(gen: Path | None, fingerprint: str | None = None, deep: bool = True) -> str | None:
    """None if ``gen`` is a complete, uncorrupted index of this schema, else the reason."""
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
        if path.stat().st_size != size or (deep and _file_digest(path) != digest):
            return f"corrupt file {name}"
    try:
        ix = index.open_dir(str(gen), indexname=INDEX_NAME)
        with ix.searcher() as s:
            if s.doc_count() != manifest["doc_count"]:
                return "document count differs"
    except Exception as exc:  # whoosh raises many kinds of errors on damaged files
        return f"unreadable ({exc.__class__.__name__})"
    return None


def _swap(root: Path, new_gen: Path) -> None:
    tmp = root / f"CURRENT.{uuid.uuid4().hex}.tmp"
    tmp.write_text(new_gen.name, encoding="utf-8")
    os.replace(tmp, root / "CURRENT")
    for old in root.glob("gen-*"):
        if old != new_gen:
            shutil.rmtree(old, ignore_errors=True)


def save_records(root: Path, records: list[dict]) -> None:
    tmp = root / f"records.{uuid.uuid4().hex}.tmp"
    with gzip.open(tmp, "wt", encoding="utf-8") as f:
        json.dump(records, f, ensure_ascii=False, default=str)
    os.replace(tmp, root / "records.json.gz")


def load_records(root: Path) -> list[dict]:
    with gzip.open(root / "records.json.gz", "rt", encoding="utf-8") as f:
        return json.load(f)


def _whoosh_doc(record: dict, analysed: dict) -> dict:
    return {
        "key": record["key"], "hash": record["hash"], "lang": record["lang"], "url": record["url"],
        "title": record["title"], "title_hant": record.get("title_hant") or "",
        "text": record["text"], "text_hant": record.get("text_hant") or "",
        "tags": ",".join(record.get("tags") or []),
        "date": dt.datetime.fromisoformat(record["date"]).replace(tzinfo=None),
        "t": analysed["t"], "b": analysed["b"],
    }


def build(root: Path, records: list[dict], analyse, fingerprint: str, *, force: bool = False,
          procs: int = 1) -> dict:
    """Bring the index in ``root`` up to date with ``records``; returns what was done.

    ``analyse(record) -> {"t": {...}, "b": {...}}`` is called only for new or changed records.
    """
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    live = _current(root)
    reason = "forced" if force else check(live, fingerprint, deep=True)
    incremental = reason is None
    new_gen = Path(tempfile.mkdtemp(prefix="gen-", dir=root))
    try:
        existing: dict[str, str] = {}
        if incremental:
            shutil.copytree(live, new_gen, dirs_exist_ok=True)
            (new_gen / "manifest.json").unlink()
            ix = index.open_dir(str(new_gen), indexname=INDEX_NAME)
            with ix.searcher() as s:
                for stored in s.all_stored_fields():
                    existing[stored["key"]] = stored["hash"]
        else:
            ix = index.create_in(str(new_gen), make_schema(), indexname=INDEX_NAME)
        wanted = {r["key"]: r for r in records}
        changed = [r for r in records if existing.get(r["key"]) != r["hash"]]
        removed = [k for k in existing if k not in wanted]
        if changed or removed or not incremental:
            analysed = _analyse_all(changed, analyse, procs)
            writer = ix.writer()
            for key in removed:
                writer.delete_by_term("key", key)
            for record, result in zip(changed, analysed, strict=True):
                if record["key"] in existing:
                    writer.update_document(**_whoosh_doc(record, result))
                else:
                    writer.add_document(**_whoosh_doc(record, result))
            writer.commit()
        _write_manifest(new_gen, len(wanted), fingerprint)
        problem = check(new_gen, fingerprint, deep=False)
        if problem:
            raise IndexUnavailable(f"new index failed its check: {problem}")
        save_records(root, records)
        _swap(root, new_gen)
    except BaseException:
        shutil.rmtree(new_gen, ignore_errors=True)
        raise
    return {"rebuilt": not incremental, "reason": reason, "indexed": len(changed), "removed": len(removed),
            "total": len(wanted), "path": str(new_gen)}


def _analyse_all(records, analyse, procs):
    if procs > 1 and len(records) > 200:
        import multiprocessing

        ctx = multiprocessing.get_context("fork")
        with ctx.Pool(procs) as pool:
            return pool.map(analyse, records, chunksize=32)
    return [analyse(r) for r in records]


# --- reading ------------------------------------------------------------------------------


class SearchIndex:
    """A verified, open index generation.  Use ``open_index`` to get one."""

    def __init__(self, gen: Path, boosts=None):
        self.gen = gen
        self.ix = index.open_dir(str(gen), indexname=INDEX_NAME)
        self.boosts = dict(boosts or scoring.DEFAULT_BOOSTS)
        self.searcher = self.ix.searcher(weighting=QuantisedBM25(self.boosts))
        self._vocab = None

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

    def search(self, parsed, lang: str, *, since=None, until=None, limit=10):
        """Ranked ``(score, stored_fields)`` for a parsed query, ties by date then URL."""
        if not parsed.segments:
            return [], 0
        # Scored: the query's terms (required) and jieba words (optional).  Not scored: the
        # language, the phrases (exact adjacency of each segment) and the dates — a filter.
        q = And([Or([Term("t", t), Term("b", t)]) for t in parsed.required])
        optional = [Or([Term("t", w), Term("b", w)]) for w in parsed.optional]
        if optional:
            q = AndMaybe(q, Or(optional))
        conditions = [Term("lang", lang)]
        conditions += [Or([Phrase("t", seg.terms), Phrase("b", seg.terms)])
                       for seg in parsed.segments if len(seg.terms) > 1]
        if since or until:
            conditions.append(DateRange("date", _as_dt(since), _as_dt(until, end=True)))
        results = self.searcher.search(q, limit=None, filter=And(conditions), terms=False)
        scored = [(hit.score, hit.docnum) for hit in results]
        total = len(scored)
        if limit is not None and len(scored) > limit:
            cutoff = scored[limit - 1][0]
            scored = [s for s in scored if s[0] >= cutoff]
        hits = [(score, self.searcher.stored_fields(docnum)) for score, docnum in scored]
        hits.sort(key=lambda h: (-h[0], -h[1]["date"].timestamp(), h[1]["url"]))
        return hits[:limit] if limit is not None else hits, total

    def all_documents(self):
        """``(docnum, stored_fields)`` of every live document."""
        reader = self.searcher.reader()
        for docnum in reader.all_doc_ids():
            yield docnum, reader.stored_fields(docnum)

    def terms(self, lang_docnums):
        """Every term of the title/body fields with its weights restricted to ``lang_docnums``."""
        reader = self.searcher.reader()
        seen = set()
        for fieldname in ("t", "b"):
            for term in reader.lexicon(fieldname):
                if term in seen:
                    continue
                seen.add(term)
                text = term.decode("utf-8")
                weights = {d: w for d, w in term_weights(self.searcher, text, self.boosts).items()
                           if d in lang_docnums}
                if weights:
                    yield text, weights

    def doc_count(self) -> int:
        return self.searcher.doc_count()


def _as_dt(value, end=False):
    if value is None:
        return None
    if isinstance(value, str):
        value = dt.date.fromisoformat(value)
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        value = dt.datetime.combine(value, dt.time.max if end else dt.time.min)
    return value


def open_index(root: Path, fingerprint: str | None = None, boosts=None, deep: bool = True) -> SearchIndex:
    """The live generation, verified; raises IndexUnavailable (with the reason) otherwise."""
    gen = _current(Path(root))
    problem = check(gen, fingerprint, deep=deep)
    if problem:
        raise IndexUnavailable(problem)
    return SearchIndex(gen, boosts)


__all__ = ["Every", "IndexUnavailable", "SearchIndex", "build", "check", "load_records", "open_index"]
