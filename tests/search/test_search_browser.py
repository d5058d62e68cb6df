"""In-browser search with Debian's chromium, over HTTP and from file://, and agreement with the CLI."""

from pathlib import Path

import pytest
import search_helpers  # noqa: F401 (puts the project and bench/ on sys.path)
from build_helpers import serving
from search_corpus import generate_articles, to_records
from search_helpers import search_site_fixture  # noqa: F401 (fixture)

from plugins.search._compat import converter_for
from plugins.search.export import export
from plugins.search.query import Searcher, build_index, normaliser_for

pytestmark = pytest.mark.browser

SEED = "news/2021/12/crsa-4821.html"


@pytest.fixture(scope="module")
def server(search_site):
    with serving(search_site) as url:
        yield url


@pytest.fixture(params=["http", "file"])
def base(request, search_site):
    if request.param == "http":
        return request.getfixturevalue("server")
    return search_site.as_uri() + "/"


def _search(page, query):
    page.fill("#search-q", query)
    page.press("#search-q", "Enter")
    page.wait_for_selector("form[data-search-done]", timeout=15000)
    # Result links carry ?highlight= (the words to mark on the article page): compare without it.
    return page.eval_on_selector_all("#search-results a", "els => els.map(e => e.href.split('?')[0])")


def _page(browser, url):
    page = browser.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url)
    return page, errors


def test_simplified_query_finds_the_seed_and_opens_it(browser, base):
    page, errors = _page(browser, base + "search.html")
    links = _search(page, "扫黑除恶")
    # Every column is searched: the 协会动态 article (its title matches: first) and the seed.
    assert [link.rsplit("/", 1)[1] for link in links] == ["assoc-sweep.html", "crsa-4821.html"]
    page.select_option("select[name=column]", "traffic")
    page.wait_for_selector("form[data-search-done]", timeout=15000)
    links = page.eval_on_selector_all("#search-results a", "els => els.map(e => e.href.split('?')[0])")
    assert [link.endswith(SEED) for link in links] == [True]
    assert "column=traffic" in page.url
    assert page.inner_text("#search-results mark") == "扫黑除恶"
    page.click("#search-results a")
    page.wait_for_load_state()
    assert page.url.split("?")[0].endswith(SEED)
    assert "山东公安" in page.inner_text("h1")
    # The article marks the search words in its body, and the bar's button clears them.
    marks = page.eval_on_selector_all(".detail__body mark", "els => els.map(e => e.textContent)")
    assert marks and set(marks) == {"扫黑除恶"}
    assert not page.eval_on_selector_all("h1 mark, .side-lists mark", "els => els.length")
    page.click("[data-highlight-bar] button")
    assert page.eval_on_selector_all(".detail__body mark", "els => els.length") == 0
    assert not page.query_selector("[data-highlight-bar]")
    assert not errors
    page.close()


def test_traditional_query_finds_the_seed(browser, base):
    page, errors = _page(browser, base + "search.html")
    links = _search(page, "掃黑除惡")
    assert [link.rsplit("/", 1)[1] for link in links] == ["assoc-sweep.html", "crsa-4821.html"]
    assert not errors
    page.close()


def test_no_results_state_and_keyboard(browser, base):
    page, _ = _page(browser, base + "search.html?q=%E6%89%AB%E9%BB%91%E9%99%A4%E6%81%B6")
    page.wait_for_selector("form[data-search-done]", timeout=15000)
    page.focus("#search-q")
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.href").split("?")[0].endswith("assoc-sweep.html")
    links = _search(page, "不存在的词语组合")
    assert links == []
    assert "不存在的词语组合" in page.inner_text("[data-search-status]")
    page.close()


@pytest.mark.parametrize("prefix, query", [("en/", "crime"), ("zh-hant/", "掃黑除惡")], ids=["en", "zh-hant"])
def test_language_page_finds_the_seed_in_its_language(browser, base, prefix, query):
    """The English page finds the translation by an English word; the 繁體 page links to 繁體 pages."""
    page, errors = _page(browser, base + prefix + "search.html")
    links = _search(page, query)
    assert [link.endswith(prefix + SEED) for link in links if "assoc-sweep" not in link] == [True]
    assert query in page.inner_text("#search-results")
    assert not errors
    page.close()


def test_header_search_box_goes_to_the_search_page(browser, base):
    page, _ = _page(browser, base + "index.html")
    page.fill("#site-search-q", "扫黑除恶")
    page.press("#site-search-q", "Enter")
    page.wait_for_selector("form[data-search-done]", timeout=15000)
    assert page.url.split("?")[0].endswith("search.html")
    assert page.eval_on_selector_all("#search-results a", "els => els.length") == 2
    page.close()


AGREEMENT_QUERIES = ["酒后驾驶", "扫黑除恶", "警", "交通事故", "驾驶人 全省", '"酒后开车"', "ETC", "12123",
                     "掃黑除惡 專項", "公安部交通管理局"]


PROTOTYPE_NAMES = ["constructor", "__proto__", "toString", "toLocaleString", "valueOf", "hasOwnProperty",
                   "isPrototypeOf", "propertyIsEnumerable", "__defineGetter__", "__defineSetter__",
                   "__lookupGetter__", "__lookupSetter__"]
PROTOTYPE_TEXT = "A text with the words " + " ".join(PROTOTYPE_NAMES) + " and proto in it."


@pytest.fixture(scope="module")
def generated_export(tmp_path_factory):
    """400 generated articles (10% English) indexed and exported, with a page per index that loads
    search.js; yields the output folder, the records and a warm searcher."""
    output = tmp_path_factory.mktemp("generated") / "output"
    # A low threshold for a posting entry's own file: shards hold both kinds of entries, and ids
    # come both as gaps and as bitmaps.
    settings = {"OUTPUT_PATH": str(output), "SEARCH_PROCS": 1, "SITE_LANGUAGES": [], "SEARCH_EXPORT_OWN_FILE_BYTES": 300}
    articles = generate_articles(400, 5, english_share=0.1)  # columns in turn: 交管动态, 协会动态, 行业动态
    # An English article whose words are Object.prototype's member names (search.js must read
    # its maps through own properties only).
    articles.append(dict(articles[-1], slug="gen-prototype", lang="en", title="Prototype words",
                         body=PROTOTYPE_TEXT, summary=""))
    records = to_records(articles, converter_for(settings))
    build_index(settings, records)
    searcher = Searcher(settings)
    export(searcher.index, output / "search", settings, normaliser_for(settings)._t2s)
    shards = (output / "search/zh/p").glob("*.js")
    assert list((output / "search/zh/t").glob("*.js")) and any('"~' in p.read_text(encoding="utf-8") for p in shards)
    js = (Path(__file__).resolve().parents[2] / "theme/static/js/search.js").as_uri()
    for lang in ("zh-hans", "en"):
        (output / f"agree-{lang}.html").write_text(
            f'<!DOCTYPE html><meta charset="utf-8"><script src="{js}" data-root="./" data-index="search/" '
            f'data-lang="{lang}"></script>', encoding="utf-8")
    yield output, records, searcher
    searcher.close()


def test_browser_top10_equals_cli_top10(browser, generated_export):
    output, _, searcher = generated_export
    page = browser.new_page()
    page.goto((output / "agree-zh-hans.html").as_uri())
    for query in AGREEMENT_QUERIES:
        cli = [[h.url, h.score] for h in searcher.search(query, limit=10, snippets=False)[0]]
        assert cli, query
        assert page.evaluate("q => CRSASearch.top(q, 10)", query) == cli, query
    page.goto((output / "agree-en.html").as_uri())
    for query in ["police crime", "drunk driving", "accident"]:
        cli = [[h.url, h.score] for h in searcher.search(query, "en", limit=10, snippets=False)[0]]
        assert cli and page.evaluate("q => CRSASearch.top(q, 10)", query) == cli, query
    page.close()


RECALL_QUERIES = ["后驾驶员", "酒后驾驶", "扫黑除恶", "12123", "警", "etc通道", "驾驶人", "全省各地"]


def test_browser_finds_every_article_containing_the_query_verbatim(browser, generated_export):
    output, records, _ = generated_export
    page = browser.new_page()
    page.goto((output / "agree-zh-hans.html").as_uri())
    for query in RECALL_QUERIES:
        expected = {r["url"] for r in records
                    if r["lang"] == "zh" and (query in r["title"].lower() or query in r["text"].lower())}
        found = {url for url, _ in page.evaluate("q => CRSASearch.top(q, 100000)", query)}
        assert expected and found == expected, query
    page.close()


def test_an_export_of_another_format_is_refused_not_misread(browser, generated_export):
    output, _, _ = generated_export
    page = browser.new_page()
    page.goto((output / "agree-zh-hans.html").as_uri())
    error = page.evaluate("""() => {
        CRSASearch.add("meta", {version: 1, indexes: {}, langs: {"zh-hans": {index: "zh", docs: 1}}});
        return CRSASearch.top("酒后驾驶", 10).then(() => "no error", e => String(e));
    }""")
    page.close()
    assert "index format 1" in error


FILTERS = [{}, {"column": "协会动态"}, {"year": 2018}, {"sort": "date"},
           {"column": "交管动态", "year": 2020, "sort": "date"}, {"column": "行业动态", "sort": "relevance"}]


def test_browser_and_cli_agree_with_filters_sort_and_pages(browser, generated_export):
    """Same results, scores, totals and exactness, page by page, for every filter and sort."""
    output, records, searcher = generated_export
    page = browser.new_page()
    page.goto((output / "agree-zh-hans.html").as_uri())
    for query in ["酒后驾驶", "警", "驾驶人 全省", "交通事故", '"后驾驶员"']:
        for options in FILTERS:
            for number in (1, 2, 4):
                hits, total = searcher.search(query, limit=10, page=number, snippets=False, **options)
                cli = {"results": [[h.url, h.score] for h in hits], "total": int(total), "exact": total.exact}
                js_options = {k: str(v) for k, v in options.items()}
                got = page.evaluate("([q, o, n]) => CRSASearch.page(q, o, n, 10)", [query, js_options, number])
                assert got == cli, (query, options, number)
    # The filters do what they say (checked against the records, not the code).
    column_of = {r["url"]: r["column"] for r in records}
    year_of = {r["url"]: r["date"][:4] for r in records}
    everything = page.evaluate("() => CRSASearch.page('警', {}, 1, 100000)")
    narrowed = page.evaluate("() => CRSASearch.page('警', {column: '协会动态', year: '2018'}, 1, 100000)")
    assert 0 < narrowed["total"] < everything["total"]
    assert {url for url, _ in narrowed["results"]} == {
        url for url, _ in everything["results"] if column_of[url] == "协会动态" and year_of[url] == "2018"}
    by_date = page.evaluate("() => CRSASearch.page('警', {sort: 'date'}, 1, 100000)")
    dates = [dict((r["url"], r["date"]) for r in records)[url] for url, _ in by_date["results"]]
    assert dates == sorted(dates, reverse=True) and len(dates) == everything["total"]
    page.close()


def test_object_prototype_names_are_searched_like_any_word(browser, generated_export):
    """constructor, __proto__, toString…: found where they occur, nowhere else, never an error."""
    output, _, searcher = generated_export
    page = browser.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto((output / "agree-en.html").as_uri())
    names = page.evaluate("Object.getOwnPropertyNames(Object.prototype)")
    assert set(PROTOTYPE_NAMES) <= set(names)
    for lang in ("en", "zh-hans"):
        page.goto((output / f"agree-{lang}.html").as_uri())
        for name in names:
            cli = [[h.url, h.score] for h in searcher.search(name, lang, limit=10, snippets=False)[0]]
            got = page.evaluate("q => CRSASearch.page(q, {}, 1, 10).then(r => r.results, e => 'error: ' + e)", name)
            assert got == cli, (lang, name)
            if lang == "en" and name in PROTOTYPE_NAMES:  # they are words of one English article
                assert any(url.endswith("/gen-prototype.html") for url, _ in got), name
            # As a filter value too: no such column or year, no results, no error.
            got = page.evaluate("q => CRSASearch.page('police', {column: q, year: q}, 1, 10)"
                                ".then(r => r.results, e => 'error: ' + e)", name)
            assert got == [], (lang, name)
    page.goto((output / "agree-en.html").as_uri())
    found = page.evaluate("() => CRSASearch.top('constructor tostring', 10)")
    assert [url.rsplit("/", 1)[1] for url, _ in found] == ["gen-prototype.html"]
    assert not errors
    page.close()
