"""The search page as a reader uses it, in chromium over HTTP and from file://, on a small build
of the bench corpus (bench/corpus.py: every column, ten years, English translations): every
column searched, filters and sort in the URL (reload, Back), exact totals, numbered pages, the
language toggle, highlighted words on the opened article, English excerpts on word boundaries."""

import re

import pytest
import search_helpers  # noqa: F401 (puts the project and bench/ on sys.path)
from build_helpers import run_pelican, serving

from bench.corpus import generate_articles, write_corpus

pytestmark = pytest.mark.browser

N = 60  # articles: enough for several result pages, columns and years; ~6 s to build


@pytest.fixture(scope="module")
def bench_site(tmp_path_factory):
    base = tmp_path_factory.mktemp("bench-search-site")
    articles = generate_articles(N, 1)
    write_corpus(articles, base / "content")
    result = run_pelican(base / "content", base / "output")
    assert result.returncode == 0, result.stdout + result.stderr
    return base / "output", articles


@pytest.fixture(scope="module")
def server(bench_site):
    with serving(bench_site[0]) as url:
        yield url


@pytest.fixture(params=["http", "file"])
def base(request, bench_site):
    if request.param == "http":
        return request.getfixturevalue("server")
    return bench_site[0].as_uri() + "/"


def containing(articles, text, column=None, year=None):
    """Slugs of the Chinese articles whose title or body holds ``text`` verbatim."""
    return {a["slug"] for a in articles
            if (text in a["title"] or text in a["body"])
            and (column is None or a["column_slug"] == column) and (year is None or a["date"].year == year)}


def _wait(page):
    page.wait_for_selector("form[data-search-done]", timeout=20000)


def _open(browser, url):
    page = browser.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url)
    _wait(page)
    return page, errors


def _slugs(page):
    hrefs = page.eval_on_selector_all("#search-results a", "els => els.map(e => e.href)")
    return [href.split("?")[0].rsplit("/", 1)[1].removesuffix(".html") for href in hrefs]


def _total(page):
    status = page.query_selector("[data-search-status]")
    total = status.get_attribute("data-total")
    return (int(total) if total is not None else None), status.get_attribute("data-exact") == "true"


def _form(page):
    return page.evaluate("""() => ({q: document.querySelector('#search-q').value,
        column: document.querySelector('select[name=column]').value,
        year: document.querySelector('select[name=year]').value,
        sort: document.querySelector('select[name=sort]').value})""")


def test_association_query_finds_association_articles(browser, base, bench_site):
    _, articles = bench_site
    expected = containing(articles, "协会召开")
    assert expected and expected <= {a["slug"] for a in articles if a["category"] == "协会动态"}
    page, errors = _open(browser, base + "search.html?q=协会召开")
    assert set(_slugs(page)) == expected
    assert _total(page) == (len(expected), True)
    assert str(len(expected)) in page.inner_text("[data-search-status]")
    assert not errors
    page.close()


def test_column_and_year_filters_narrow_and_survive_reload_and_back(browser, base, bench_site):
    _, articles = bench_site
    page, errors = _open(browser, base + "search.html?q=驾驶")
    everything, exact = _total(page)
    assert exact and everything == len(containing(articles, "驾驶"))
    page.select_option("select[name=column]", "association")
    _wait(page)
    in_column = containing(articles, "驾驶", column="association")
    assert "column=association" in page.url and _total(page) == (len(in_column), True) and len(in_column) < everything
    assert set(_slugs(page)) <= in_column
    years = sorted({a["date"].year for a in articles if a["slug"] in in_column})
    year = max(years, key=lambda y: len(containing(articles, "驾驶", "association", y)))
    page.select_option("select[name=year]", str(year))
    _wait(page)
    narrowed = containing(articles, "驾驶", column="association", year=year)
    assert f"year={year}" in page.url and len(narrowed) < len(in_column)
    assert set(_slugs(page)) == narrowed and _total(page) == (len(narrowed), True)
    shown, url = _slugs(page), page.url
    form = {"q": "驾驶", "column": "association", "year": str(year), "sort": "relevance"}
    assert _form(page) == form
    page.reload()
    _wait(page)
    assert page.url == url and _slugs(page) == shown and _form(page) == form
    page.click("#search-results a")
    page.wait_for_selector("h1#article-title")
    page.go_back()
    _wait(page)
    assert page.url == url and _slugs(page) == shown and _form(page) == form
    page.go_back()  # the column filter alone
    _wait(page)
    assert "year=" not in page.url and set(_slugs(page)) <= in_column and _total(page)[0] == len(in_column)
    assert _form(page)["column"] == "association" and _form(page)["year"] == ""
    assert not errors
    page.close()


def test_total_of_a_phrase_equals_the_articles_containing_it_across_numbered_pages(browser, base, bench_site):
    _, articles = bench_site
    expected = containing(articles, "酒后驾驶")
    assert len(expected) > 20  # several pages
    page, errors = _open(browser, base + "search.html?q=酒后驾驶")
    total, exact = _total(page)
    assert total >= len(expected) and (not exact or total == len(expected))
    numbers = page.eval_on_selector_all("[data-search-pages] a:not([rel])", "els => els.map(e => e.textContent)")
    last = (len(expected) + 9) // 10
    assert str(last) in numbers  # the last page is one click away
    page.click(f"[data-search-pages] a:text-is('{last}')")
    _wait(page)
    assert f"page={last}" in page.url
    assert _total(page) == (len(expected), True)  # every candidate has been checked: exact
    assert f"{len(expected)}" in page.inner_text("[data-search-status]")
    seen = []
    page.goto(base + "search.html?q=酒后驾驶")
    _wait(page)
    while True:
        seen += _slugs(page)
        following = page.query_selector("[data-search-pages] a[rel=next]")
        if not following:
            break
        following.click()
        _wait(page)
    assert len(seen) == len(set(seen)) and set(seen) == expected
    assert _total(page) == (len(expected), True)
    assert not errors
    page.close()


def test_sort_by_date_is_in_date_order(browser, base, bench_site):
    page, errors = _open(browser, base + "search.html?q=酒后驾驶")
    page.select_option("select[name=sort]", "date")
    _wait(page)
    assert "sort=date" in page.url
    dates = page.eval_on_selector_all("#search-results time", "els => els.map(e => e.dateTime)")
    page.click("[data-search-pages] a[rel=next]")
    _wait(page)
    dates += page.eval_on_selector_all("#search-results time", "els => els.map(e => e.dateTime)")
    assert len(dates) == 20 and dates == sorted(dates, reverse=True)
    assert not errors
    page.close()


def test_language_toggle_keeps_the_query(browser, base, bench_site):
    page, errors = _open(browser, base + "search.html?q=酒后驾驶&column=traffic")
    total = _total(page)
    hrefs = page.eval_on_selector_all(".lang-toggle a", "els => els.map(e => e.href)")
    assert len(hrefs) == 3 and all("q=%E9%85%92%E5%90%8E%E9%A9%BE%E9%A9%B6" in h and "column=traffic" in h for h in hrefs)
    page.click(".lang-toggle a[hreflang=zh-Hant]")
    _wait(page)
    assert "zh-hant/search.html?" in page.url and _form(page)["q"] == "酒后驾驶" and _form(page)["column"] == "traffic"
    assert _total(page) == total  # the same index: the same articles, in 繁體
    page.click(".lang-toggle a[hreflang=en]")
    _wait(page)
    assert "en/search.html?" in page.url and _form(page)["q"] == "酒后驾驶"
    assert not errors
    page.close()


@pytest.mark.parametrize("prefix, word", [("", "酒后驾驶"), ("zh-hant/", "酒後駕駛"), ("en/", "police")],
                         ids=["zh-hans", "zh-hant", "en"])
def test_opened_article_marks_the_search_words(browser, base, bench_site, prefix, word):
    query = "police" if prefix == "en/" else "酒后驾驶"
    page, errors = _open(browser, f"{base}{prefix}search.html?q={query}")
    page.click("#search-results a")
    page.wait_for_selector("h1#article-title")
    assert "highlight=" in page.url
    marks = page.eval_on_selector_all(".detail__body mark", "els => els.map(e => e.textContent)")
    assert marks and {m.lower() for m in marks} == {word}
    assert page.is_visible("[data-highlight-bar] button")
    page.click("[data-highlight-bar] button")
    assert page.eval_on_selector_all(".detail__body mark", "els => els.length") == 0
    assert "highlight=" not in page.url or base.startswith("file:")
    assert not errors
    page.close()


def test_english_excerpts_start_and_end_on_word_boundaries(browser, base, bench_site):
    _, articles = bench_site
    bodies = {a["slug"]: " ".join(a["en"][2].split()) for a in articles if a["en"]}
    page, errors = _open(browser, base + "en/search.html?q=police")
    checked = 0
    for query in ["police", "checks", "drivers", "school buses", "Guangdong"]:
        page.fill("#search-q", query)
        page.press("#search-q", "Enter")
        _wait(page)
        excerpts = page.eval_on_selector_all(".search-result__excerpt", "els => els.map(e => e.textContent)")
        for slug, excerpt in zip(_slugs(page), excerpts, strict=True):
            text = excerpt.strip("…").strip()
            at = bodies[slug].find(text)
            assert at >= 0, (slug, excerpt)
            end = at + len(text)
            # No word cut in two: never a letter on both sides of either end.
            assert at == 0 or not (re.match(r"\w", bodies[slug][at - 1]) and re.match(r"\w", text[0])), excerpt
            assert end == len(bodies[slug]) or not re.match(r"\w", bodies[slug][end]) or not re.match(r"\w", text[-1]), excerpt
            checked += 1
    assert checked >= 20
    assert not errors
    page.close()


def test_back_and_reload_restore_the_scroll_position(browser, base, bench_site):
    page = browser.new_page(viewport={"width": 360, "height": 640})
    page.goto(base + "search.html?q=酒后驾驶&page=2")
    _wait(page)
    page.eval_on_selector("#search-results li:nth-child(8)", "e => e.scrollIntoView()")
    page.wait_for_timeout(400)  # the position is saved a moment after scrolling stops
    scrolled, shown = page.evaluate("window.scrollY"), _slugs(page)
    assert scrolled > 300
    page.click("#search-results li:nth-child(8) a")
    page.wait_for_selector("h1#article-title")
    page.go_back()
    _wait(page)
    page.wait_for_function("y => Math.abs(window.scrollY - y) < 5", arg=scrolled, timeout=15000)
    assert _slugs(page) == shown and "page=2" in page.url
    page.reload()
    _wait(page)
    page.wait_for_function("y => Math.abs(window.scrollY - y) < 5", arg=scrolled, timeout=15000)
    assert _slugs(page) == shown
    page.close()


def _serious_axe_violations(page):
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [f"{v['id']}: {v['help']} ({', '.join(str(n['target']) for n in v['nodes'][:3])})"
            for v in results.response["violations"] if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize("prefix", ["", "en/"], ids=["zh-hans", "en"])
def test_result_pages_and_highlighted_articles_pass_axe_and_fit_360_px(browser, server, prefix):
    """The quality gates' axe and 360 px checks on what only exists after a search: filters with
    values, results, numbered pages, and an article with marks and the clear bar."""
    query = "q=police&year=2024&sort=date" if prefix else "q=酒后驾驶&column=traffic&sort=date&page=2"
    page = browser.new_page(viewport={"width": 360, "height": 740})
    page.goto(f"{server}{prefix}search.html?{query}")
    _wait(page)
    assert page.query_selector("#search-results mark")
    assert prefix or page.query_selector("[data-search-pages] a")
    assert _serious_axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.click("#search-results a")
    page.wait_for_selector("[data-highlight-bar]")
    assert _serious_axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.close()


def test_a_page_past_the_last_shows_the_last_page(browser, base, bench_site):
    _, articles = bench_site
    expected = containing(articles, "酒后驾驶")
    last = (len(expected) + 9) // 10
    page, errors = _open(browser, base + "search.html?q=酒后驾驶&page=99999")
    assert page.url.endswith(f"page={last}") and _total(page) == (len(expected), True)
    assert len(_slugs(page)) == len(expected) - 10 * (last - 1)
    assert not errors
    page.close()


def _number_in_one_article(texts):
    """A number written in exactly one of ``texts`` (and in no other as part of a longer one)."""
    counts = {}
    for text in texts:
        for number in set(re.findall(r"\d{5,}", text)):
            counts[number] = counts.get(number, 0) + 1
    unique = sorted(n for n, c in counts.items() if c == 1 and sum(n in t for t in texts) == 1)
    assert unique, "the corpus has no number that only one article gives"
    return unique[0]


def test_a_single_result_is_one_article_not_one_articles(browser, base, bench_site):
    _, articles = bench_site
    chinese = _number_in_one_article([a["title"] + a["body"] for a in articles])
    english = _number_in_one_article([" ".join(a["en"]) for a in articles if a.get("en")])
    for prefix, query, said in (("", chinese, "共找到 1 篇。"), ("zh-hant/", chinese, "共找到 1 篇。"),
                                ("en/", english, "1 article found.")):
        page, errors = _open(browser, f"{base}{prefix}search.html?q={query}")
        assert _total(page) == (1, True) and len(_slugs(page)) == 1, prefix
        assert page.text_content("[data-search-status]") == said
        assert not errors
        page.close()
