"""CPU and wall time of each stage of a full search build, alone in one process (no Pelican).

    .venv/bin/python -m bench.search_stages <index folder of a built site> [--procs 2]

Reads the records a build left (``<index folder>/records.pickle``: ``.search-index`` next to the
output), builds a fresh index and export from them in a temporary folder, and prints one JSON
object: the main process's and the workers' CPU seconds, the main process's peak RSS, and
``[CPU s, wall s]`` per stage of the main process (the analysis runs in the workers).  CPU seconds
are what to compare across corpus sizes on a shared machine: wall time there mostly measures the
other jobs.  Stages are timed by wrapping the functions that do them (``plugins/search/index.py``,
``export.py``, Whoosh's commit); a stage's time includes the stages inside it (``bulk_write``
holds the commit, which holds ``postings_write``).
"""

from __future__ import annotations

import argparse
import functools
import json
import resource
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

STAGES = [  # (module, owner attribute path, label)
    ("plugins.search.index", "_bulk_write", "bulk_write (merge, stored documents, commit)"),
    ("whoosh.writing", "SegmentWriter.commit", "whoosh_commit"),
    ("plugins.search.index", "_BulkPool.add_postings", "postings_write"),
    ("plugins.search.index", "PostingStore.save", "posting_store_save"),
    ("plugins.search.index", "_write_manifest", "manifest"),
    ("plugins.search.index", "check", "check"),
    ("plugins.search.index", "save_records", "save_records"),
    ("plugins.search.export", "export", "export (all)"),
    ("plugins.search.export", "_posting_entries", "export_posting_entries (weights, encoding, cache)"),
    ("plugins.search.export", "_Writer.__call__", "export_files"),
]


def _wrap(times: dict, module: str, path: str, label: str) -> None:
    import importlib

    owner = importlib.import_module(module)
    *parents, name = path.split(".")
    for part in parents:
        owner = getattr(owner, part)
    func = getattr(owner, name)

    @functools.wraps(func)
    def timed(*args, **kwargs):
        cpu, wall = time.process_time(), time.perf_counter()
        try:
            return func(*args, **kwargs)
        finally:
            t = times.setdefault(label, [0.0, 0.0])
            t[0] += time.process_time() - cpu
            t[1] += time.perf_counter() - wall

    setattr(owner, name, timed)


def _rss_poller(peak: list) -> None:
    while True:
        try:
            for line in Path("/proc/self/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    peak[0] = max(peak[0], int(line.split()[1]) // 1024)
        except OSError:
            pass
        time.sleep(0.1)


def run(index_folder: Path, procs: int = 2) -> dict:
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    times: dict = {}
    for module, path, label in STAGES:
        _wrap(times, module, path, label)
    from plugins.search.export import export  # the wrapped one
    from plugins.search.index import load_records
    from plugins.search.query import build_index, normaliser_for, open_or_rebuild
    peak = [0]
    threading.Thread(target=_rss_poller, args=(peak,), daemon=True).start()
    records = load_records(Path(index_folder))
    time.sleep(0.2)
    rss_records = peak[0]
    work = Path(tempfile.mkdtemp(prefix="crsa-search-stages-"))
    try:
        from bench.build_bench import project_settings

        settings = dict(project_settings())  # the project's search settings (columns, OpenCC, boosts)
        settings.update({"OUTPUT_PATH": str(work / "output"), "SEARCH_PROCS": procs, "SEARCH_INDEX_DIR": None})
        wall, cpu = time.perf_counter(), time.process_time()
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        report = build_index(settings, records)
        index, _ = open_or_rebuild(settings, deep=False)
        try:
            export(index, work / "output" / "search", settings, normaliser_for(settings)._t2s, update=report)
        finally:
            index.close()
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        return {"records": len(records), "procs": procs, "wall_s": round(time.perf_counter() - wall, 1),
                "main_cpu_s": round(time.process_time() - cpu, 1),
                "workers_cpu_s": round(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime, 1),
                "main_rss_with_records_mb": rss_records, "main_peak_rss_mb": peak[0],
                "stages_cpu_wall_s": {k: [round(v[0], 2), round(v[1], 2)] for k, v in times.items()}}
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("index_folder", type=Path, help="a built site's search index folder (records.pickle)")
    parser.add_argument("--procs", type=int, default=2)
    args = parser.parse_args(argv)
    if not (args.index_folder / "records.pickle").exists():
        print(f"{args.index_folder}: no records.pickle (build the site first: the index folder is "
              "`.search-index` next to the output)", file=sys.stderr)
        return 2
    print(json.dumps(run(args.index_folder, args.procs), ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
