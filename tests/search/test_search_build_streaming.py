"""The full build's memory-bounding paths give the same index and export as the in-memory ones:
position bytes spilled to disk in many small runs, analysis in forked workers, posting blocks
encoded by forked workers, posting entries computed by forked workers."""

import hashlib
import marshal
import multiprocessing

import search_helpers  # noqa: F401 (puts the project and bench/ on sys.path)
from search_corpus import generate_articles, to_records
from whoosh.filedb.compound import CompoundStorage
from whoosh.filedb.structfile import StructFile

from plugins.search import export as export_module
from plugins.search import index as index_module
from plugins.search._compat import converter_for
from plugins.search.export import export
from plugins.search.index import _current
from plugins.search.query import Searcher, build_index, index_dir, normaliser_for


def _index_digest(settings) -> dict:
    """The posting store and the statistics (as loaded: marshal's bytes depend on how often each
    string happens to be referenced) and the SHA-256 of every file inside the Whoosh segment (by
    extension: the segment's name is random; the compound directory holds modification times)."""
    gen = _current(index_dir(settings))
    out = {name: marshal.loads((gen / name).read_bytes()) for name in ("postings.bin", "stats.bin")}
    seg = next(gen.glob("*.seg"))
    segment_id = seg.stem.split("_", 1)[1]
    storage = CompoundStorage(StructFile(open(seg, "rb")), use_mmap=False)
    try:
        for name in storage.list():
            f = storage.open_file(name)
            out[name.replace(segment_id, "")] = hashlib.sha256(f.read()).hexdigest()
            f.close()
    finally:
        storage.close()
    return out


def _build_and_export(tmp_path, name, records, procs):
    settings = {"OUTPUT_PATH": str(tmp_path / name / "output"), "SEARCH_PROCS": procs}
    report = build_index(settings, records)
    searcher = Searcher(settings)
    try:
        export(searcher.index, tmp_path / name / "search", settings, normaliser_for(settings)._t2s, update=report)
    finally:
        searcher.close()
    files = {p.relative_to(tmp_path / name / "search").as_posix(): p.read_bytes()
             for p in (tmp_path / name / "search").rglob("*.js")}
    return _index_digest(settings), files


def test_spilled_parallel_build_equals_the_in_memory_serial_one(tmp_path, monkeypatch):
    records = to_records(generate_articles(240, 5, columns=["交管动态"], english_share=0.2), converter_for({}))
    assert len(records) > 200  # the size from which the analysis runs in workers
    serial = _build_and_export(tmp_path, "serial", records, 1)
    monkeypatch.setattr(index_module._PositionSpill, "RUN_BYTES", 1 << 16)  # hundreds of runs
    # Counted across the forked workers that encode the posting blocks (shared memory).
    spilled, encoded_in_workers = multiprocessing.get_context("fork").Value("i", 0), []
    real_take, real_encode = index_module._PositionSpill.take, index_module._BulkPool._encoded_terms

    def take(self, entry):
        if entry[4]:
            with spilled.get_lock():
                spilled.value += 1
        return real_take(self, entry)

    def encoded_terms(self, *args):
        for item in real_encode(self, *args):
            encoded_in_workers.extend(item[1])  # each term's posting byte count
            yield item

    monkeypatch.setattr(index_module._PositionSpill, "take", take)
    monkeypatch.setattr(index_module._BulkPool, "_encoded_terms", encoded_terms)
    monkeypatch.setattr(index_module, "PARALLEL_POSTINGS", 100)  # blocks encoded by the workers
    monkeypatch.setattr(export_module, "PARALLEL_TERMS", 100)
    parallel = _build_and_export(tmp_path, "parallel", records, 2)
    assert spilled.value > 1000  # most terms were read back from the spill file
    assert len(encoded_in_workers) > 1000  # and their blocks encoded by the forked workers
    assert parallel[0] == serial[0]
    assert parallel[1].keys() == serial[1].keys() and len(serial[1]) > 300
    assert parallel[1] == serial[1]
