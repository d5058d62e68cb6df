"""Search figures on the benchmark's own built site (the full build's output and its index).

* ``query_figures`` — a warm ``plugins.search.query.Searcher`` over the full build's index: query
  latency with snippets (p50/p95) and substring recall over queries cut verbatim from the articles
  (the share of the articles containing the query that the search returns).
* ``run_pagefind`` — Pagefind's extended build (``pagefind-bin-extended`` from PyPI, optional) over
  the article pages of the same output: wall time and peak memory.
* ``browser_payloads`` — bytes Debian's chromium downloads for a query, over HTTP with an empty
  cache: ours (``search.html?q=…``: search.js, the English stemmer if loaded, and everything under
  ``search/``) and Pagefind's (``pagefind.js`` API: entry, wasm, meta, index chunks and the
  fragments of the first 10 results).  As served (Python's server does not compress), and as a
  compressing host (GitHub Pages) would send them: each file gzipped, or as is if that is smaller
  (Pagefind's chunks and fragments are gzipped already).
"""

from __future__ import annotations

import functools
import gzip
import http.server
import random
import re
import statistics
import threading
import time
import urllib.parse
from pathlib import Path

from . import measure

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run"]
# Typical queries: a word, a phrase, two words, a number, a Latin token, a 繁體 query, one character.
TYPICAL_QUERIES = ["酒驾", "酒后驾驶", "交通事故", "电动自行车 头盔", "高速公路", "12123", "ETC", "夜查",
                   "隐患排查", "校车安全", "超限超载", "济南", "交警", "事故預防", "春运 安全"]
# Article pages in the three languages (news/<yyyy>/<mm>/<slug>.html), not lists, tags or archives.
PAGEFIND_GLOB = "{news,zh-hant/news,en/news}/[0-9][0-9][0-9][0-9]/[0-9][0-9]/*.html"
_PUNCT = re.compile(r"[\s，。、；：？！“”‘’（）《》【】,;:?!()\"'#\-]")
_ASCII = re.compile(r"[0-9A-Za-z.%]")


def _plain(markdown_body: str) -> str:
    lines = []
    for line in markdown_body.splitlines():
        line = re.sub(r"^(#+\s+|-\s+)", "", line)
        lines.append(line)
    return "\n".join(lines)


def searched_articles(content: Path, columns=("traffic",)) -> list[dict]:
    """The 简体 posts of the searched columns: url, title and plain text."""
    out = []
    for column in columns:
        for path in sorted((content / "news" / column).rglob("*.md")):
            if path.name.endswith(".en.md"):
                continue
            head, body = path.read_text(encoding="utf-8").split("\n\n", 1)
            meta = dict(line.split(": ", 1) for line in head.splitlines())
            y, m = meta["Date"][:4], meta["Date"][5:7]
            out.append({"url": f"news/{y}/{m}/{meta['Slug']}.html", "title": meta["Title"], "text": _plain(body)})
    return out


def cut_queries(articles: list[dict], n: int, seed: int) -> list[str]:
    """``n`` distinct queries cut verbatim from article texts: 2–8 characters with no punctuation,
    never splitting a number or a Latin word."""
    rng = random.Random(f"queries-{seed}")
    queries: list[str] = []
    while len(queries) < n:
        text = rng.choice(articles)["text"]
        runs = [r for r in _PUNCT.split(text) if len(r) >= 2]
        run = rng.choice(runs)
        length = min(len(run), rng.choice([2, 3, 4, 4, 5, 6, 8]))
        start = rng.randint(0, len(run) - length)
        end = start + length
        # never cut inside a number or a Latin word (行为6 for 行为69106起 is nobody's query)
        while start > 0 and _ASCII.match(run[start - 1]) and _ASCII.match(run[start]):
            start -= 1
        while end < len(run) and _ASCII.match(run[end - 1]) and _ASCII.match(run[end]):
            end += 1
        q = run[start:end].strip(".")
        if len(q) < 2:
            continue
        if q not in queries:
            queries.append(q)
    return queries


def containment(q: str):
    """``text -> bool``: ``q`` occurs in the text without splitting a number or Latin word at either end
    (the same rule the queries are cut with; 活动33 is not in 活动331场次)."""
    pattern = re.escape(q)
    if _ASCII.match(q[0]):
        pattern = r"(?<![0-9A-Za-z.%])" + pattern
    if _ASCII.match(q[-1]):
        pattern = pattern + r"(?![0-9A-Za-z%]|\.[0-9])"
    rx = re.compile(pattern, re.I)
    return lambda text: rx.search(text) is not None


def query_figures(settings_file: Path, output: Path, content: Path, *, n_recall: int = 60, seed: int = 1,
                  rounds: int = 3) -> dict:
    """Latency and recall of the warm Python searcher over the index next to ``output``."""
    import sys

    sys.path.insert(0, str(ROOT)) if str(ROOT) not in sys.path else None
    from pelican.settings import read_settings

    from plugins.search.query import Searcher, column_slugs

    settings = read_settings(str(settings_file))
    settings["OUTPUT_PATH"] = str(output)
    searcher = Searcher(settings)
    try:
        articles = searched_articles(content, tuple(column_slugs(settings).values()))
        queries = cut_queries(articles, n_recall, seed)
        found = expected = 0
        misses = []
        for q in queries:
            contains = containment(q)
            truth = {a["url"] for a in articles if contains(a["title"]) or contains(a["text"])}
            hits, _ = searcher.search(q, "zh-hans", limit=None, snippets=False)
            got = {h.url for h in hits}
            found += len(truth & got)
            expected += len(truth)
            if truth - got:
                misses.append({"query": q, "missed": len(truth - got), "expected": len(truth)})
        latency_queries = TYPICAL_QUERIES + queries[:15]
        for q in latency_queries:  # warm up
            searcher.search(q, "zh-hans", limit=10)
        times = []
        for _ in range(rounds):
            for q in latency_queries:
                t = time.perf_counter()
                searcher.search(q, "zh-hans", limit=10)
                times.append((time.perf_counter() - t) * 1000)
        times.sort()
        return {
            "search_query_p50_ms": round(statistics.median(times), 1),
            "search_query_p95_ms": round(times[max(0, int(len(times) * 0.95) - 1)], 1),
            "search_query_count": len(times),
            "search_substring_recall": round(found / max(1, expected), 4),
            "search_recall_queries": len(queries),
            "search_recall_expected_hits": expected,
            "search_recall_misses": misses[:10],
        }
    finally:
        searcher.close()


def pagefind_binary() -> str | None:
    try:
        import pagefind_bin_extended
    except ImportError:
        return None
    path = Path(pagefind_bin_extended.__file__).parent / "pagefind_extended"
    return str(path) if path.exists() else None


def run_pagefind(output: Path, log: Path) -> dict:
    binary = pagefind_binary()
    if not binary:
        return {"pagefind_error": "pagefind-bin-extended is not installed (pip install 'pagefind[extended]')"}
    r = measure.run([binary, "--site", str(output), "--glob", PAGEFIND_GLOB, "--output-subdir", "pagefind"],
                    log_path=log)
    text = log.read_text(encoding="utf-8", errors="replace")
    if not r.ok:
        return {"pagefind_error": f"pagefind failed ({r['returncode']}): {text[-500:]}"}
    pages = re.search(r"Indexed (\d+) pages", text)
    files = [p for p in (output / "pagefind").rglob("*") if p.is_file()]
    return {"pagefind_build_s": round(r["wall_s"], 2), "pagefind_peak_rss_mb": round(r["peak_rss_mb"], 1),
            "pagefind_pages": int(pages.group(1)) if pages else None,
            "pagefind_bundle_kb": sum(p.stat().st_size for p in files) // 1024}


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


PAGEFIND_JS = """async (q) => {
  const pf = await import('/pagefind/pagefind.js');
  await pf.options({});
  const r = await pf.search(q);
  const shown = await Promise.all(r.results.slice(0, 10).map(x => x.data()));
  return {count: r.results.length, shown: shown.length};
}"""


# The search page's filters (issue 14): a column and sort by date, in the URL as a reader sets them.
FILTERS = "&column=traffic&sort=date"


def browser_payloads(output: Path, queries=TYPICAL_QUERIES, *, pagefind: bool = True) -> dict:
    """Median and max KB downloaded per query, ours (without and with ``FILTERS``) and Pagefind's,
    each query in a fresh context."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        return {"payload_error": f"{CHROMIUM} is missing (make system-deps)"}
    handler = functools.partial(_Quiet, directory=str(output))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    ours, filtered, theirs, counts = [], [], [], []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                for q in queries:
                    kb, _ = _one(browser, base, q, mine=True)
                    ours.append(kb)
                    kb, _ = _one(browser, base, q, mine=True, suffix=FILTERS)
                    filtered.append(kb)
                    if pagefind:
                        kb, count = _one(browser, base, q, mine=False)
                        theirs.append(kb)
                        counts.append(count)
            finally:
                browser.close()
    finally:
        server.shutdown()
    out = {"search_payload_kb_p50": round(statistics.median(k for k, _ in ours), 1),
           "search_payload_kb_max": round(max(k for k, _ in ours), 1),
           "search_payload_gzip_kb_p50": round(statistics.median(z for _, z in ours), 1),
           "search_payload_queries": list(queries),
           "search_payload_kb_each": [round(k, 1) for k, _ in ours],
           "search_payload_filtered_kb_p50": round(statistics.median(k for k, _ in filtered), 1),
           "search_payload_filtered_kb_max": round(max(k for k, _ in filtered), 1),
           "search_payload_filters": FILTERS,
           "search_payload_filtered_kb_each": [round(k, 1) for k, _ in filtered]}
    if theirs:
        out.update({"pagefind_payload_kb_p50": round(statistics.median(k for k, _ in theirs), 1),
                    "pagefind_payload_kb_max": round(max(k for k, _ in theirs), 1),
                    "pagefind_payload_gzip_kb_p50": round(statistics.median(z for _, z in theirs), 1),
                    "pagefind_payload_kb_each": [round(k, 1) for k, _ in theirs],
                    "pagefind_result_counts": counts})
    return out


def _one(browser, base: str, query: str, *, mine: bool, suffix: str = ""):
    context = browser.new_context()
    responses = []
    page = context.new_page()
    page.on("response", lambda response: responses.append(response))
    try:
        if mine:
            page.goto(f"{base}/search.html?q={urllib.parse.quote(query)}{suffix}")
            page.wait_for_selector("[data-search-form][data-search-done]", state="attached", timeout=60000)
            result = None
        else:
            page.goto(f"{base}/index.html")
            result = page.evaluate(PAGEFIND_JS, query)["count"]
        page.wait_for_load_state("networkidle")
        total = packed = 0
        for response in responses:
            path = urllib.parse.urlparse(response.url).path
            wanted = ((path.startswith("/search/") or "/js/search.js" in path or "/vendor/snowball/" in path)
                      if mine else path.startswith("/pagefind/"))
            if wanted and response.ok:
                body = response.body()
                total += len(body)
                packed += min(len(body), len(gzip.compress(body, 6)))
    finally:
        context.close()
    return (total / 1024, packed / 1024), result
