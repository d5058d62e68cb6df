"""Search benchmark: ``run(n_articles) -> dict`` (figures only, never asserted).

    .venv/bin/python bench/search_bench.py 10000

Indexes a generated corpus (``search_corpus.generate_articles``) with ours and with the baseline
(Whoosh + jieba's ChineseAnalyzer, content stored), then measures query latency with snippets in
a warm process, substring recall, browser payload per query (index files a query loads + the
documents shown) and index sizes.  Pagefind is measured side by side on the built site by
``bench/site_search.py`` (part of ``python -m bench``).
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]

from search_corpus import generate_articles, to_records  # noqa: E402

from plugins.search._compat import converter_for  # noqa: E402
from plugins.search.export import export, fnv1a  # noqa: E402
from plugins.search.query import Searcher, build_index, normaliser_for  # noqa: E402

QUERIES = ["酒后驾驶", "扫黑除恶", "交通事故", "警", "12123", "ETC通道", "驾驶人 全省", "掃黑除惡", "夜查行动", "高速交警 隐患"]
RECALL_QUERIES = ["酒后驾驶", "扫黑除恶", "后驾驶员", "交通事故", "驾驶人", "酒后开车", "12123", "警"]


def _dir_kb(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) // 1024


def _registered(path: Path):
    """The data an export file registers (``CRSASearch.add(name, data);``)."""
    text = path.read_text(encoding="utf-8")
    return json.loads(text[text.index(",") + 1:text.rindex(")")])


def _payload_kb(searcher, out: Path, query: str, meta: dict) -> float:
    """Bytes search.js loads for ``query`` on the 简体 page: meta, t2s, vocab and posting shards, 10 documents."""
    parsed = searcher.parse(query)
    info = meta["indexes"]["zh"]
    files = {out / "meta.js", out / "zh" / "t2s.js"}
    for seg in parsed.segments:
        for ch in seg.text:
            files.add(out / "zh" / "v" / f"{fnv1a(ch) % info['vocab_buckets']}.js")
    for term in parsed.required + parsed.optional:
        shard = out / "zh" / "p" / f"{fnv1a(term) % info['buckets']}.js"
        files.add(shard)
        entry = _registered(shard).get(term) if shard.exists() else None
        if isinstance(entry, str):  # a big entry is a file of its own
            files.add(out / "zh" / "t" / f"{entry}.js")
    total = sum(p.stat().st_size for p in files if p.exists())
    hits, _ = searcher.search(query, limit=10, snippets=False)
    docs = {}
    for f in (out / "zh-hans" / "f").iterdir():
        docs[f.name] = f
    # documents shown: the export ids are not known to the CLI; approximate by average size × shown
    sizes = [p.stat().st_size for p in list(docs.values())[:500]]
    return (total + len(hits) * statistics.mean(sizes)) / 1024


def _baseline(articles, folder: Path) -> dict:
    import logging

    import jieba
    from jieba.analyse import ChineseAnalyzer
    from whoosh import fields, index
    from whoosh.highlight import ContextFragmenter
    from whoosh.qparser import MultifieldParser

    jieba.setLogLevel(logging.WARNING)
    schema = fields.Schema(url=fields.ID(stored=True), title=fields.TEXT(stored=True, analyzer=ChineseAnalyzer(), field_boost=3.0),
                           content=fields.TEXT(stored=True, analyzer=ChineseAnalyzer()))
    ix = index.create_in(str(folder), schema)
    zh = [a for a in articles if a["lang"] == "zh-Hans"]
    start = time.perf_counter()
    writer = ix.writer()
    for a in zh:
        writer.add_document(url=a["slug"], title=a["title"], content=a["body"])
    writer.commit()
    rate = len(zh) / (time.perf_counter() - start)
    times, found = [], {}
    with ix.searcher() as s:
        parser = MultifieldParser(["title", "content"], ix.schema)
        for q in QUERIES * 3:
            t = time.perf_counter()
            results = s.search(parser.parse(q), limit=10)
            results.fragmenter = ContextFragmenter(maxchars=90)
            for hit in results:
                hit.highlights("content")
            times.append((time.perf_counter() - t) * 1000)
        for q in RECALL_QUERIES:
            found[q] = {h["url"] for h in s.search(parser.parse(q), limit=None)}
    expected = {q: {a["slug"] for a in zh if q in a["title"] or q in a["body"]} for q in RECALL_QUERIES}
    hit = sum(len(found[q] & expected[q]) for q in RECALL_QUERIES)
    return {"baseline_index_docs_per_s": round(rate, 1),
            "baseline_query_p50_ms": round(statistics.median(times), 1),
            "baseline_query_p95_ms": round(sorted(times)[int(len(times) * 0.95) - 1], 1),
            "baseline_substring_recall": round(hit / max(1, sum(len(v) for v in expected.values())), 4),
            "baseline_index_size_kb": _dir_kb(folder)}


def run(n_articles: int = 2000, seed: int = 1) -> dict:
    articles = generate_articles(n_articles, seed, columns=["交管动态"], english_share=0.05)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        settings = {"OUTPUT_PATH": str(tmp / "output"), "SITE_LANGUAGES": []}
        records = to_records(articles, converter_for(settings))
        start = time.perf_counter()
        build_index(settings, records)
        build_s = time.perf_counter() - start
        zh_count = sum(1 for r in records if r["lang"] == "zh")
        # one edited article
        edited = list(records)
        edited[0] = dict(edited[0], title=edited[0]["title"] + "（更新）", hash="edited")
        start = time.perf_counter()
        report = build_index(settings, edited)
        rebuild_s = time.perf_counter() - start
        searcher = Searcher(settings)
        start = time.perf_counter()
        stats = export(searcher.index, tmp / "output" / "search", settings, normaliser_for(settings)._t2s)
        export_s = time.perf_counter() - start
        for q in QUERIES:  # warm
            searcher.search(q)
        times = []
        for q in QUERIES * 3:
            t = time.perf_counter()
            searcher.search(q, limit=10)
            times.append((time.perf_counter() - t) * 1000)
        hit = total = 0
        for q in RECALL_QUERIES:
            expected = {r["url"] for r in records if r["lang"] == "zh" and (q in r["title"].lower() or q in r["text"].lower())}
            got = {h.url for h in searcher.search(q, limit=None, snippets=False)[0]}
            hit += len(expected & got)
            total += len(expected)
        payloads = [_payload_kb(searcher, tmp / "output" / "search", q, stats["meta"]) for q in QUERIES]
        searcher.close()
        figures = {
            "n_articles": len(records),
            "search_index_docs_per_s": round(len(records) / build_s, 1),
            "search_zh_docs": zh_count,
            "search_rebuild_one_edit_s": round(rebuild_s, 2),
            "search_rebuild_one_edit_reindexed": report["indexed"],
            "search_export_s": round(export_s, 1),
            "search_query_p50_ms": round(statistics.median(times), 1),
            "search_query_p95_ms": round(sorted(times)[int(len(times) * 0.95) - 1], 1),
            "search_payload_kb_p50": round(statistics.median(payloads), 1),
            "search_payload_kb_max": round(max(payloads), 1),
            "search_substring_recall": round(hit / max(1, total), 4),
            # the folder: the live generation (Whoosh files, posting store), records.json.gz and
            # the export's cache of posting entries (export-cache.pickle)
            "search_index_size_kb": _dir_kb(tmp / ".search-index"),
            "search_index_generation_kb": _dir_kb(searcher.index.gen),
            "search_export_cache_kb": (tmp / ".search-index" / "export-cache.pickle").stat().st_size // 1024,
            "search_export_size_kb": stats["bytes"] // 1024,
            "search_export_files": stats["files"],
        }
        base = tmp / "baseline"
        base.mkdir()
        figures.update(_baseline(articles, base))
    # Pagefind is measured side by side on the built site by bench/site_search.py (`python -m bench`).
    return figures


if __name__ == "__main__":
    print(json.dumps(run(int(sys.argv[1]) if len(sys.argv) > 1 else 2000), ensure_ascii=False, indent=2))
