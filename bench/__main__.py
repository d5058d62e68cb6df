"""``python -m bench [all|build|scraper|extraction|search|corpus|profile|preview]`` — see docs/performance.md.

Environment: ``BENCH_N`` (articles, default 2000), ``BENCH_SEED`` (default 1), ``BENCH_REPEAT``
(builds per median, default 3), ``BENCH_EXTRA=1`` (also the incremental build without search),
``BENCH_INCREMENTAL=0`` (no incremental builds: the cold figures only), ``BENCH_SCRAPER_PAGES``
(default 500).

``preview`` (bench/preview_bench.py) measures `make serve`: from saving a post until chromium shows
it, on its article page and its column page, and until the background build has finished; it
always writes ``bench/results/preview-n<N>.json`` (committed).

``all`` (the default, what ``make bench`` runs) writes ``bench/results/latest.json``; a single
part writes ``bench/results/<part>.json`` (git-ignored).  With another ``BENCH_N`` the name ends in
``-n<N>`` (``latest-n10000.json``, ``search-n10000.json``, ``build-n10000.json``: committed, the
large-corpus record).  ``search`` alone builds the site once.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from . import build_bench, corpus, site_search

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
PARTS = ("all", "build", "scraper", "extraction", "search", "corpus", "profile", "preview")
DEFAULT_N = 2000

# (key, target as text, check) — the printed table, in this order.
TARGETS = [
    ("n_articles", "", None),
    ("plain_pelican_build_s", "baseline", None),
    ("nosearch_build_s", "", None),
    ("build_ratio", "≤ 2.0", lambda v: v <= 2.0),
    ("full_build_s", "", None),
    ("full_build_ratio", "≤ 2.5", lambda v: v <= 2.5),
    ("full_build_cpu_ratio", "(info)", None),
    ("incremental_build_s", "", None),
    ("incremental_build_ratio", "≤ 0.10", lambda v: v <= 0.10),
    ("incremental_build_cpu_ratio", "(info)", None),
    ("plain_pelican_peak_rss_mb", "baseline", None),
    ("peak_rss_mb", "≤ 2× baseline", "rss"),
    ("preview_first_build_s", "(info)", None),
    ("preview_article_s", "≤ 2.0", lambda v: v <= 2.0),
    ("preview_column_s", "≤ 2.0", lambda v: v <= 2.0),
    ("preview_background_s", "(info)", None),
    ("preview_identical_to_scratch", "True", lambda v: v is True),
    ("scraper_pages_per_s", "≥ 300", lambda v: v >= 300),
    ("extraction_body_f1", "≥ both libraries'", "extraction"),
    ("extraction_trafilatura_body_f1", "", None),
    ("extraction_readability_body_f1", "", None),
    ("extraction_refusals", "0", lambda v: v == 0),
    ("search_index_docs_per_s", "≥ 150", lambda v: v >= 150),
    ("search_query_p50_ms", "", None),
    ("search_query_p95_ms", "≤ 50", lambda v: v <= 50),
    ("search_payload_kb_p50", "≤ 150 and ≤ Pagefind", "payload"),
    ("pagefind_payload_kb_p50", "", None),
    ("search_payload_filtered_kb_p50", "≤ 150 (column + sort by date)", lambda v: v <= 150),
    ("search_payload_filtered_kb_max", "(info)", None),
    ("search_payload_gzip_kb_p50", "(info: as a compressing host sends it)", None),
    ("pagefind_payload_gzip_kb_p50", "", None),
    ("search_substring_recall", "1.0", lambda v: v >= 1.0),
    ("search_index_peak_rss_mb", "≪ Pagefind", "pfrss"),
    ("pagefind_peak_rss_mb", "", None),
]


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def say(text: str = "") -> None:
    print(text, flush=True)


def machine() -> dict:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split("\n")[0].split()[1])
        mem = f"{kb / 2**20:.1f} GB"
    except (OSError, ValueError, IndexError):
        pass
    load = ""
    try:
        load = Path("/proc/loadavg").read_text().split()[:3]
    except OSError:
        pass
    return {"cpu": cpu, "cores": os.cpu_count(), "memory": mem, "python": platform.python_version(),
            "platform": platform.platform(), "loadavg_at_start": load}


def _git_commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                              check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""


def _child_json(code: str, timeout: float) -> dict:
    """Run ``code`` (which prints one JSON object last) in a fresh interpreter: no shared state, and
    the scraper benchmark pins its own process to one core."""
    try:
        proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                              timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {timeout:.0f} s"}
    if proc.returncode != 0:
        return {"error": (proc.stderr or proc.stdout)[-800:]}
    try:
        return json.loads(proc.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        return {"error": f"no JSON in output: {proc.stdout[-300:]}"}


def part_scraper() -> dict:
    pages = _env_int("BENCH_SCRAPER_PAGES", 500)
    say(f"scraper: {pages} saved pages, parse + sanitise + convert, one core")
    r = _child_json(f"import json; from bench.scraper_throughput import run; print(json.dumps(run({pages})))", 600)
    if "error" in r:
        return {"scraper_pages_per_s": None, "scraper_error": r["error"]}
    return {"scraper_pages_per_s": r["scraper_pages_per_s"], "scraper": r}


def part_extraction() -> dict:
    """The generic fallback against plain trafilatura and readability-lxml on the labelled set
    (bench/extraction_eval.py), in a child process; the side-by-side table is printed here."""
    from .extraction_eval import eval_dir

    if not eval_dir().is_dir():
        msg = f"labelled set not found at {eval_dir()} (../shared/extraction-eval/ beside the project): skipped"
        say(f"extraction: {msg}")
        return {"extraction_body_f1": None, "extraction_error": msg}
    say(f"extraction: the generic fallback, trafilatura and readability-lxml on {eval_dir()}")
    r = _child_json("import json; from bench.extraction_eval import run_all; "
                    "print(json.dumps(run_all(), ensure_ascii=False))", 600)
    if "error" in r:
        return {"extraction_body_f1": None, "extraction_error": r["error"]}
    from .extraction_eval import table as extraction_table

    say(extraction_table(r))
    return {
        "extraction_body_f1": r["ours"]["body_f1"],
        "extraction_trafilatura_body_f1": r["trafilatura"]["body_f1"],
        "extraction_readability_body_f1": r["readability"]["body_f1"],
        "extraction_refusals": r["ours"]["refusals"],
        "extraction": {k: v for k, v in r.items() if not k.endswith("_pages")},
        "extraction_per_page": {k: v for k, v in r.items() if k.endswith("_pages")},
    }


def part_search_index(n: int) -> dict:
    """The search plugin's own benchmark (bench/search_bench.py, by the search plugin's authors) in a
    child process: indexing rate of its generated corpus and its comparison with Whoosh + jieba."""
    if not (ROOT / "bench" / "search_bench.py").exists():
        return {"search_index_docs_per_s": None, "search_bench_error": "bench/search_bench.py does not exist yet"}
    say(f"search: bench/search_bench.py run({n}) (indexing rate, Whoosh + jieba baseline)")
    code = ("import json, sys; sys.path.insert(0, 'bench'); import search_bench; "
            f"print(json.dumps(search_bench.run({n}), ensure_ascii=False, default=str))")
    started = time.perf_counter()
    r = _child_json(code, 900)
    if "error" in r:
        return {"search_index_docs_per_s": None, "search_bench_error": r["error"]}
    r["wall_s"] = round(time.perf_counter() - started, 1)
    return {"search_index_docs_per_s": r.get("search_index_docs_per_s"), "search_bench": r}


def part_search(site: dict, n: int, seed: int) -> dict:
    """Searcher latency and recall, Pagefind and browser payloads on the built site ``site``."""
    out_dir = Path(site["site_dir"]) / "out"
    content = Path(site["content_dir"])
    result: dict = {}
    say("search: warm searcher, latency with snippets and substring recall")
    result.update(site_search.query_figures(Path(site["settings_file"]), out_dir, content, seed=seed))
    say("search: Pagefind extended over the same output")
    pf = site_search.run_pagefind(out_dir, Path(site["site_dir"]) / "pagefind.log")
    result.update(pf)
    if "pagefind_error" in pf:
        result["pagefind_payload_kb_p50"] = None
        result["pagefind_peak_rss_mb"] = None
    say("search: bytes the browser downloads per query (chromium, empty cache)")
    try:
        result.update(site_search.browser_payloads(out_dir, pagefind="pagefind_error" not in pf))
    except Exception as exc:  # noqa: BLE001 - report, do not lose the other figures
        result.update({"search_payload_kb_p50": None, "payload_error": f"{exc.__class__.__name__}: {exc}"[:500]})
    result.update(part_search_index(n))
    idx = result.get("search_bench", {})
    if idx.get("search_rebuild_one_edit_s") is not None:
        result["search_rebuild_one_edit_s"] = idx["search_rebuild_one_edit_s"]
    return result


def derived(results: dict) -> None:
    """Figures computed from others."""
    if results.get("peak_rss_mb"):
        # Our indexing runs inside the full build (its process tree's peak, Pelican included).
        results.setdefault("search_index_peak_rss_mb", results["peak_rss_mb"])


def check(key, test, results) -> str:
    value = results.get(key)
    if value is None or test is None:
        return ""
    try:
        if test == "rss":
            ok = value <= 2 * results["plain_pelican_peak_rss_mb"]
        elif test == "payload":
            pf = results.get("pagefind_payload_kb_p50")
            ok = value <= 150 and (pf is None or value <= pf)
        elif test == "extraction":
            ok = value >= max(results["extraction_trafilatura_body_f1"], results["extraction_readability_body_f1"])
        elif test == "pfrss":
            pf = results.get("pagefind_peak_rss_mb")
            if pf is None:
                return ""
            ok = value < pf
        else:
            ok = test(value)
    except (KeyError, TypeError):
        return ""
    return "ok" if ok else "MISS"


def table(results: dict) -> str:
    rows = [("metric", "value", "target", "ok?")]
    for key, target, test in TARGETS:
        if key not in results:
            continue
        value = results[key]
        rows.append((key, "—" if value is None else str(value), target, check(key, test, results)))
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    lines = []
    for i, row in enumerate(rows):
        lines.append("  ".join(cell.ljust(widths[j]) for j, cell in enumerate(row)).rstrip())
        if i == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def write(results: dict, name: str) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    part = argv[0] if argv else "all"
    if part not in PARTS:
        print(f"usage: python -m bench [{'|'.join(PARTS)}]", file=sys.stderr)
        return 2
    n = _env_int("BENCH_N", DEFAULT_N)
    seed = _env_int("BENCH_SEED", 1)
    repeat = _env_int("BENCH_REPEAT", 3)
    extra = os.environ.get("BENCH_EXTRA", "") not in ("", "0")
    incremental_builds = os.environ.get("BENCH_INCREMENTAL", "1") not in ("", "0")
    started = time.perf_counter()
    results: dict = {"n_articles": n, "seed": seed, "repeat": repeat,
                     "date": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
                     "commit": _git_commit(), "machine": machine()}
    if part == "scraper":
        results.update(part_scraper())
    elif part == "extraction":
        results.update(part_extraction())
    elif part == "preview":
        from . import preview_bench

        content = corpus.corpus_dir(n, seed)
        tmp = Path(tempfile.mkdtemp(prefix="crsa-bench-preview-"))
        try:
            results.update(preview_bench.run(content, tmp, say=say))
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    elif part == "profile":
        content = corpus.corpus_dir(n, seed)
        results["profile"] = build_bench.profile(content, say=say)
    else:
        t = time.perf_counter()
        content = corpus.corpus_dir(n, seed)
        articles = corpus.generate_articles(n, seed) if part == "corpus" else None
        results["corpus_s"] = round(time.perf_counter() - t, 1)
        results["corpus_dir"] = str(content.relative_to(ROOT)) if content.is_relative_to(ROOT) else str(content)
        say(f"corpus: {n} articles (seed {seed}) in {content} ({results['corpus_s']} s)")
        if part == "corpus":
            results["corpus"] = corpus.stats(articles)
            results["corpus_digest"] = corpus.digest(content)
        else:
            if part == "all":
                results.update(part_scraper())
                results.update(part_extraction())
            tmp = Path(tempfile.mkdtemp(prefix="crsa-bench-"))
            try:
                if part == "search":
                    say("search: one full build of the corpus first")
                    site = build_bench.run_single_full(content, tmp)
                else:
                    site = build_bench.run(content, tmp, repeat=repeat, say=say, extra=extra,
                                           incremental_builds=incremental_builds)
                    results.update({k: v for k, v in site.items() if k not in ("site_dir", "settings_file",
                                                                               "content_dir")})
                if part in ("all", "search"):
                    results.update(part_search(site, n, seed))
            finally:
                shutil.rmtree(tmp, ignore_errors=True)
    derived(results)
    results["bench_wall_s"] = round(time.perf_counter() - started, 1)
    name = "latest" if part == "all" else part
    path = write(results, name if n == DEFAULT_N and part != "preview" else f"{name}-n{n}")
    if part != "corpus" and part != "profile":
        say()
        say(table(results))
    elif part == "corpus":
        say(json.dumps(results["corpus"], ensure_ascii=False))
    say(f"\n{part}: {results['bench_wall_s']} s; wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
