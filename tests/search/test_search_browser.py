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
    return page.eval_on_selector_all("#search-results a", "els => els.map(e => e.href)")


def _page(browser, url):
    page = browser.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url)
    return page, errors


def test_simplified_query_finds_the_seed_and_opens_it(browser, base):
    page, errors = _page(browser, base + "search.html")
    links = _search(page, "扫黑除恶")
    assert [link.endswith(SEED) for link in links] == [True]
    assert "assoc-sweep" not in page.content()  # the 协会动态 article is not searched
    assert page.inner_text("#search-results mark") == "扫黑除恶"
    page.click("#search-results a")
    page.wait_for_load_state()
    assert page.url.endswith(SEED)
    assert "山东公安" in page.inner_text("h1")
    assert not errors
    page.close()


def test_traditional_query_finds_the_seed(browser, base):
    page, errors = _page(browser, base + "search.html")
    links = _search(page, "掃黑除惡")
    assert [link.endswith(SEED) for link in links] == [True]
    assert not errors
    page.close()


def test_no_results_state_and_keyboard(browser, base):
    page, _ = _page(browser, base + "search.html?q=%E6%89%AB%E9%BB%91%E9%99%A4%E6%81%B6")
    page.wait_for_selector("form[data-search-done]", timeout=15000)
    page.focus("#search-q")
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.href").endswith(SEED)
    links = _search(page, "不存在的词语组合")
    assert links == []
    assert "不存在的词语组合" in page.inner_text("[data-search-status]")
    page.close()


@pytest.mark.parametrize("prefix, query", [("en/", "crime"), ("zh-hant/", "掃黑除惡")], ids=["en", "zh-hant"])
def test_language_page_finds_the_seed_in_its_language(browser, base, prefix, query):
    """The English page finds the translation by an English word; the 繁體 page links to 繁體 pages."""
    page, errors = _page(browser, base + prefix + "search.html")
    links = _search(page, query)
    assert [link.endswith(prefix + SEED) for link in links] == [True]
    assert query in page.inner_text("#search-results")
    assert not errors
    page.close()


def test_header_search_box_goes_to_the_search_page(browser, base):
    page, _ = _page(browser, base + "index.html")
    page.fill("#site-search-q", "扫黑除恶")
    page.press("#site-search-q", "Enter")
    page.wait_for_selector("form[data-search-done]", timeout=15000)
    assert page.url.split("?")[0].endswith("search.html")
    assert page.eval_on_selector_all("#search-results a", "els => els.length") == 1
    page.close()


AGREEMENT_QUERIES = ["酒后驾驶", "扫黑除恶", "警", "交通事故", "驾驶人 全省", '"酒后开车"', "ETC", "12123",
                     "掃黑除惡 專項", "公安部交通管理局"]


@pytest.fixture(scope="module")
def generated_export(tmp_path_factory):
    """400 generated articles (10% English) indexed and exported, with a page per index that loads
    search.js; yields the output folder, the records and a warm searcher."""
    output = tmp_path_factory.mktemp("generated") / "output"
    # A low threshold for a posting entry's own file: shards hold both kinds of entries, and ids
    # come both as gaps and as bitmaps.
    settings = {"OUTPUT_PATH": str(output), "SEARCH_PROCS": 1, "SITE_LANGUAGES": [], "SEARCH_EXPORT_OWN_FILE_BYTES": 300}
    records = to_records(generate_articles(400, 5, columns=["交管动态"], english_share=0.1), converter_for(settings))
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
