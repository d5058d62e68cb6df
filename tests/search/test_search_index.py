"""The index: analysis, 100% substring recall, phrases, incremental builds, corruption."""

import json
import subprocess
import sys

import pytest
import search_helpers  # noqa: F401 (puts the project and bench/ on sys.path)
from search_corpus import generate_articles, to_records
from search_helpers import ROOT, search_site_fixture, settings_for  # noqa: F401 (fixture)

from plugins.search._compat import converter_for
from plugins.search.analysis import Normaliser, analyse_field, parse_query
from plugins.search.export import export
from plugins.search.index import open_index
from plugins.search.query import Searcher, build_index, fingerprint, index_dir, normaliser_for


def test_analysis_emits_unigrams_bigrams_words_and_latin_with_true_positions():
    terms = analyse_field("etc通道酒后驾驶12123发生交通事故", segment=True)
    assert terms["etc"] == [0]
    assert terms["通道"] == [1] and terms["通"] == [1, 11] and terms["道"] == [2]
    assert terms["酒后"] == [3] and terms["后驾"] == [4] and terms["驾驶"] == [5]
    assert terms["12123"] == [7]
    assert terms["交通事故"] == [10]  # a jieba word, for ranking


def test_traditional_query_normalises_to_simplified():
    normalise = Normaliser(converter_for({}, to_simplified=True))
    assert parse_query("掃黑除惡", normalise).segments[0].terms == parse_query("扫黑除恶", normalise).segments[0].terms
    assert normalise("ＥＴＣ") == "etc"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    output = tmp_path_factory.mktemp("corpus") / "output"
    settings = {"OUTPUT_PATH": str(output), "SEARCH_COLUMNS": ["交管动态"], "SEARCH_PROCS": 1}
    articles = generate_articles(300, 11, columns=["交管动态"], english_share=0.1)
    records = to_records(articles, converter_for(settings))
    build_index(settings, records)
    searcher = Searcher(settings)
    yield settings, records, searcher
    searcher.close()


QUERIES = ["酒后驾驶", "扫黑除恶", "后驾驶员", "警", "12123", "etc通道", "交通事故死亡", "驾驶人", "全省各地", "酒后开车"]


def _substring_hits(records, query, lang="zh"):
    return {r["url"] for r in records if r["lang"] == lang and (query in r["title"].lower() or query in r["text"].lower())}


@pytest.mark.parametrize("query", QUERIES)
def test_every_article_containing_the_query_verbatim_is_found(corpus, query):
    _, records, searcher = corpus
    hits, total = searcher.search(query, limit=None, snippets=False)
    expected = _substring_hits(records, query)
    assert expected, query
    assert {h.url for h in hits} == expected


def test_quoted_phrase_query_works_and_title_matches_rank_first(corpus):
    _, records, searcher = corpus
    hits, _ = searcher.search('"酒后驾驶"', limit=None, snippets=False)
    assert {h.url for h in hits} == _substring_hits(records, "酒后驾驶")
    in_title = {r["url"] for r in records if "酒后驾驶" in r["title"]}
    assert in_title and {h.url for h in hits[: len(in_title)]} == in_title
    scores = [h.score for h in hits]
    assert scores == sorted(scores, reverse=True)


def test_english_index_stems(corpus):
    _, _, searcher = corpus
    plural, _ = searcher.search("accidents", "en", limit=None, snippets=False)
    singular, _ = searcher.search("accident", "en", limit=None, snippets=False)
    assert plural and [h.url for h in plural] == [h.url for h in singular]
    assert all(h.url.startswith("en/") for h in plural)


def test_date_filters(corpus):
    _, _, searcher = corpus
    hits, _ = searcher.search("驾驶", since="2018-01-01", until="2019-12-31", limit=None, snippets=False)
    assert hits and all("2018-01-01" <= h.date <= "2019-12-31" for h in hits)
    everything, _ = searcher.search("驾驶", limit=None, snippets=False)
    assert len(everything) > len(hits)


def test_rebuild_after_editing_one_article_reindexes_only_it(tmp_path):
    settings = {"OUTPUT_PATH": str(tmp_path / "output"), "SEARCH_PROCS": 1}
    records = to_records(generate_articles(40, 3, columns=["交管动态"]))
    assert build_index(settings, records)["indexed"] == 40
    assert build_index(settings, records)["indexed"] == 0
    changed = to_records(generate_articles(40, 3, columns=["交管动态"]))
    changed[5] = dict(changed[5], title="全新标题独一无二", hash="edited")
    report = build_index(settings, changed[:-1])
    assert (report["indexed"], report["removed"], report["rebuilt"]) == (1, 1, False)
    searcher = Searcher(settings)
    assert [h.url for h in searcher.search("独一无二")[0]] == [changed[5]["url"]]
    searcher.close()
    assert len(list((index_dir(settings)).glob("gen-*"))) == 1


def test_cli_json_ranking_and_rebuild_of_a_corrupt_index(search_site):
    index = search_site.parent / ".search-index"
    cmd = [sys.executable, "-m", "plugins.search", "--index", str(index), "--json"]
    out = subprocess.run(cmd + ["扫黑除恶"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    hits = json.loads(out.stdout)  # every column is searched: the 协会动态 article too (title boost: first)
    assert [h["url"] for h in hits] == ["news/2021/11/assoc-sweep.html", "news/2021/12/crsa-4821.html"]
    out = subprocess.run(cmd + ["扫黑除恶", "--column", "traffic"], cwd=ROOT, capture_output=True, text=True,
                         timeout=120)
    hits = json.loads(out.stdout)
    assert [h["url"] for h in hits] == ["news/2021/12/crsa-4821.html"]
    assert {"title", "url", "date", "score"} <= set(hits[0])
    # Damage the live generation: the next search rebuilds it instead of serving it.
    gen = index / (index / "CURRENT").read_text().strip()
    victim = max((p for p in gen.iterdir() if p.suffix == ".seg"), key=lambda p: p.stat().st_size)
    data = bytearray(victim.read_bytes())
    data[len(data) // 2] ^= 0xFF
    victim.write_bytes(bytes(data))
    out = subprocess.run(cmd + ["--lang", "zh-Hant", "掃黑除惡", "--column", "交管动态"], cwd=ROOT,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "rebuilt" in out.stderr
    hits = json.loads(out.stdout)
    assert [h["url"] for h in hits] == ["zh-hant/news/2021/12/crsa-4821.html"]
    assert "掃黑除惡" in hits[0]["snippet"]


def test_cli_text_output_and_date_filter(search_site):
    index = search_site.parent / ".search-index"
    cmd = [sys.executable, "-m", "plugins.search", "--index", str(index)]
    out = subprocess.run(cmd + ["扫黑除恶"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0 and "【扫黑除恶】" in out.stdout and "2021-12-20" in out.stdout
    out = subprocess.run(cmd + ["扫黑除恶", "--since", "2022-01-01"], cwd=ROOT, capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 1 and "No results" in out.stdout
    out = subprocess.run(cmd + ["--lang", "en", "Shandong police"], cwd=ROOT, capture_output=True, text=True,
                         timeout=120)
    assert "en/news/2021/12/crsa-4821.html" in out.stdout


def test_index_lives_outside_the_output(search_site):
    assert (search_site.parent / ".search-index" / "CURRENT").exists()
    assert not list(search_site.rglob("*.seg"))
    assert (search_site / "search" / "meta.js").exists()


def test_settings_from_pelicanconf_point_outside_output(tmp_path):
    settings = settings_for(tmp_path / "output")
    assert index_dir(settings) == tmp_path / ".search-index"


@pytest.mark.parametrize("query", ["后驾驶员", "酒后驾驶", "交通事故死亡", "全省各地 驾驶人"])
def test_phrases_checked_in_rank_order_give_the_top_of_the_full_ranking(corpus, query):
    _, _, searcher = corpus
    everything, total = searcher.search(query, limit=None, snippets=False)
    assert everything and total.exact and total == len(everything)
    for limit in (1, 3, 10):
        top, shown_of = searcher.search(query, limit=limit, snippets=False)
        assert [(h.url, h.score) for h in top] == [(h.url, h.score) for h in everything[:limit]]
        assert shown_of >= len(everything)  # an upper bound until every candidate is checked
        assert not shown_of.exact or shown_of == len(everything)
        if limit == 1 and len(everything) > 1:
            assert not shown_of.exact  # the first candidate passed: the rest were never checked


def test_posting_entries_round_trip_in_both_encodings():
    from plugins.search.export import decode_postings, encode_postings

    sparse = [(3, 0), (40, 63), (41, 64), (900, 4095), (5000, 300000)]
    dense = [(i, i % 70) for i in range(0, 3000, 2)]
    assert not encode_postings(sparse)[0].startswith("~") and encode_postings(dense)[0].startswith("~")
    assert encode_postings([(0, 5), (1, 31), (2, 32), (3, 1025)])[1] == "5v" + "x0" + "xw1"
    for pairs in (sparse, dense, [(0, 0)], [(7, 1)]):
        assert decode_postings(encode_postings(pairs)) == pairs


def test_search_js_reads_the_format_the_export_writes():
    import re
    from pathlib import Path

    from plugins.search.export import FORMAT_VERSION

    js = (Path(__file__).resolve().parents[2] / "theme/static/js/search.js").read_text(encoding="utf-8")
    assert int(re.search(r"var FORMAT = (\d+);", js).group(1)) == FORMAT_VERSION


def _export_files(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*.js")}


@pytest.mark.parametrize("change", ["body", "title", "body+previous", "title+previous", "date", "added", "none"])
def test_export_after_an_edit_reuses_entries_and_equals_a_full_export(tmp_path, change):
    """The export keeps the previous posting entries of terms an edit did not touch; the files are
    exactly those of an export computed from scratch.  A changed date reorders the documents, so
    nothing is reused then; neither when an article is added (the document count changes).  Given
    the previous records (as the plugin does), an edit in place patches the last export: only the
    files that change are computed and written."""
    change, _, previous = change.partition("+")
    settings = {"OUTPUT_PATH": str(tmp_path / "output"), "SEARCH_PROCS": 1, "SITE_LANGUAGES": []}
    normalise = normaliser_for(settings)
    records = to_records(generate_articles(60, 8, columns=["交管动态"], english_share=0.2), converter_for(settings))
    first = build_index(settings, records[:-1])
    searcher = Searcher(settings)
    assert export(searcher.index, tmp_path / "a", settings, normalise._t2s, update=first)["reused_entries"] == 0
    searcher.close()
    edited = list(records[:-1])
    if change == "body":
        edited[3] = dict(edited[3], text=edited[3]["text"] + "交通安全宣传进社区。", hash="edited")
    elif change == "title":
        edited[5] = dict(edited[5], title="路" + edited[5]["title"][1:], hash="edited")  # same length
    elif change == "date":
        edited[3] = dict(edited[3], date="2001-01-01T08:00:00+08:00", hash="edited")
    elif change == "added":
        edited.append(records[-1])
    report = build_index(settings, edited, previous={r["key"]: r for r in records[:-1]} if previous else None)
    assert report["base"] and report["changed_terms"] is not None
    searcher = Searcher(settings)
    incremental = export(searcher.index, tmp_path / "a", settings, normalise._t2s, update=report)
    searcher.close()
    if previous or change == "none":
        assert incremental["how"] == ("unchanged" if change == "none" else "patched"), incremental["how"]
        assert incremental["written"] < 60, incremental["written"]  # of ~400 files
    if change in ("body", "title", "none"):
        assert incremental["reused_entries"] > 1000
    else:
        assert incremental["reused_entries"] == 0
    fresh = open_index(index_dir(settings), fingerprint(settings))
    export(fresh, tmp_path / "b", settings, normalise._t2s)  # no update: every entry computed
    fresh.close()
    assert _export_files(tmp_path / "a") == _export_files(tmp_path / "b")


def _cli(*args, index=None):
    cmd = [sys.executable, "-m", "plugins.search", *(["--index", str(index)] if index else []), *args]
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("args, message", [
    (["--settings", "/nonexistent.py", "酒后驾驶"], "settings file /nonexistent.py not found"),
    (["--limit", "0", "酒后驾驶"], "'0' is not a whole number of 1 or more"),
    (["--limit", "-1", "酒后驾驶"], "'-1' is not a whole number of 1 or more"),
    (["--limit", "ten", "酒后驾驶"], "'ten' is not a whole number of 1 or more"),
    (["--page", "0", "酒后驾驶"], "'0' is not a whole number of 1 or more"),
    (["--year", "twenty", "酒后驾驶"], "'twenty' is not a year"),
    (["--sort", "popularity", "酒后驾驶"], "invalid choice: 'popularity'"),
], ids=["missing-settings", "limit-0", "limit-negative", "limit-word", "page-0", "year-word", "sort"])
def test_cli_bad_arguments_get_a_message_not_a_traceback(args, message):
    out = _cli(*args)
    assert out.returncode == 2, out
    assert message in out.stderr and "Traceback" not in out.stderr
    assert "No results" not in out.stdout


def test_cli_settings_file_with_an_error_gets_a_message(tmp_path):
    broken = tmp_path / "broken.py"
    broken.write_text("PATH = 'content'\nTHIS IS NOT PYTHON\n", encoding="utf-8")
    out = _cli("--settings", str(broken), "酒后驾驶")
    assert out.returncode == 2 and "cannot read the settings file" in out.stderr and "Traceback" not in out.stderr


def test_cli_column_year_sort_and_page(search_site):
    index = search_site.parent / ".search-index"
    out = _cli("--json", "扫黑除恶", "--column", "association", index=index)
    assert [h["url"] for h in json.loads(out.stdout)] == ["news/2021/11/assoc-sweep.html"]
    out = _cli("--json", "扫黑除恶", "--sort", "date", index=index)  # 2021-12-20 before 2021-11-02
    assert [h["url"] for h in json.loads(out.stdout)] == ["news/2021/12/crsa-4821.html", "news/2021/11/assoc-sweep.html"]
    out = _cli("--json", "扫黑除恶", "--year", "2020", index=index)
    assert out.returncode == 0 and json.loads(out.stdout) == []
    out = _cli("扫黑除恶", "--limit", "1", "--page", "2", index=index)
    assert out.returncode == 0 and "showing 2" in out.stdout and "crsa-4821" in out.stdout
    out = _cli("扫黑除恶", "--limit", "1", "--page", "3", index=index)
    assert out.returncode == 1 and "No page 3: 2 result(s), 2 page(s) of 1" in out.stdout
    out = _cli("扫黑除恶", "--column", "nonexistent", index=index)
    assert out.returncode == 2 and "unknown column 'nonexistent'" in out.stderr and "traffic (交管动态)" in out.stderr


def test_cli_object_prototype_names_are_ordinary_words(search_site):
    """Python has no prototype chain, but the command line must answer them like the browser does."""
    names = ["constructor", "__proto__", "toString", "toLocaleString", "valueOf", "hasOwnProperty",
             "isPrototypeOf", "propertyIsEnumerable", "__defineGetter__", "__lookupSetter__"]
    searcher = Searcher(settings_for(search_site))
    try:
        for name in names:
            for lang in ("zh-Hans", "zh-Hant", "en"):
                assert searcher.search(name, lang) == ([], 0), (name, lang)
    finally:
        searcher.close()
    out = _cli("--lang", "en", "constructor", index=search_site.parent / ".search-index")
    assert out.returncode == 1 and "No results" in out.stdout and not out.stderr


def test_cli_snippets_of_english_text_start_and_end_on_word_boundaries():
    from plugins.search.query import make_snippet

    normalise = Normaliser(None)
    text = ("Traffic police across the province of Beijing stepped up checks on drunk driving during the "
            "holiday, and the municipal traffic police in Fujian carried out hazard screening on rural roads.")
    for word in ("checks", "holiday", "screening", "rural", "drunk driving"):
        snippet, marks = make_snippet(text, parse_query(word, normalise, stem=True), normalise, stem=True, width=50)
        body = snippet.strip("…").strip()
        at = text.find(body)
        assert at >= 0 and marks, (word, snippet)
        assert at == 0 or not (text[at - 1].isalnum() and body[0].isalnum()), snippet
        end = at + len(body)
        assert end == len(text) or not (text[end].isalnum() and body[-1].isalnum()), snippet


def test_export_writer_never_changes_a_file_in_place(tmp_path):
    """New export files are written directly (no live meta.js refers to them yet); a file already
    there — known to the last export or not — is replaced by rename, so a hard-linked copy of the
    previous site keeps its bytes."""
    import os

    from plugins.search.export import _Writer

    target = tmp_path / "search"
    (target / "zh" / "d").mkdir(parents=True)
    stray = target / "zh" / "d" / "7.js"  # left by a killed build: unknown to the writer
    stray.write_bytes(b"old")
    os.link(stray, tmp_path / "previous-site-copy.js")
    write = _Writer(target, existing=set())
    write("zh/d/7", {"t": "新"})
    write("zh/d/8", {"t": "另"})
    write("zh/d/8", {"t": "另"})  # the same name twice in one export: replaced, not an error
    assert (tmp_path / "previous-site-copy.js").read_bytes() == b"old"
    assert "新" in stray.read_text("utf-8") and "另" in (target / "zh" / "d" / "8.js").read_text("utf-8")
    umask = os.umask(0o022)
    os.umask(umask)
    assert (target / "zh" / "d" / "8.js").stat().st_mode & 0o777 == 0o666 & ~umask
    assert write.written == 3 and sorted(write.changed) == ["zh/d/7.js", "zh/d/8.js", "zh/d/8.js"]


def test_a_sites_pointer_to_another_index_folder_is_not_followed(search_site, tmp_path):
    """``--index DIR`` beside a project whose ``output/`` was built with another index folder: the
    site's ``search-generation.txt`` names no generation of DIR, so DIR's own ``CURRENT`` is used
    (it used to report "no index" and rebuild DIR from its records)."""
    from plugins.search.index import _current

    root = search_site.parent / ".search-index"
    live = _current(root)
    assert live is not None and live.is_dir()
    foreign = tmp_path / "search-generation.txt"
    foreign.write_text("gen-0therind", encoding="utf-8")
    assert _current(root, foreign) == live
    foreign.write_text("not a generation", encoding="utf-8")
    assert _current(root, foreign) == live
    own = tmp_path / "own.txt"
    own.write_text(live.name, encoding="utf-8")
    assert _current(root, own) == live
    index = open_index(root, pointer=foreign, deep=False)
    try:
        assert index.doc_count() > 0
    finally:
        index.close()
