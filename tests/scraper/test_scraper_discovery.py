"""Finding articles without the list selectors, --ids, sitemaps, and the loud failure of a crawl/page
that recognises nothing (exit 3 with the list URL, the selectors that matched nothing, the fallback
count and what to do)."""

from __future__ import annotations

import re
import time

from scraper_helpers import ROOT, make_crawler
from templates_helpers import TEMPLATES, serve_template
from werkzeug import Response

from scraper.cli import main
from scraper.diagnosis import EXIT_NOT_RECOGNISED

DIVS = TEMPLATES / "divs" / "site"
FAST = "User-agent: *\nCrawl-delay: 0.001\n"


def run_cli(base, tmp_path, *args):
    return main(["crawl", "--base-url", base, "--content-dir", str(tmp_path / "content"),
                 "--state-dir", str(tmp_path / "state"), "--delay", "0", "--no-progress", *args])


def article_requests(httpserver):
    return [r.path for r, _ in httpserver.log if r.path.startswith("/news/article/")]


# -- loud failures --------------------------------------------------------------------------------------
def test_crawl_that_finds_nothing_exits_3_and_says_why(httpserver, tmp_path, capfd):
    shell = '<html><body><div id="app"></div><script src="/app.js"></script></body></html>'
    serve_template(httpserver, "divs", FAST, extra={"/news/list/12": (shell, "text/html; charset=utf-8")})
    base = httpserver.url_for("/").rstrip("/")
    code = run_cli(base, tmp_path, "--column", "12")
    err = re.sub(r"\s+", " ", capfd.readouterr().err)
    assert code == EXIT_NOT_RECOGNISED
    assert "The crawl found no article" in err
    assert f"{base}/news/list/12" in err
    assert "[list] item 'ul.news-list li' matched nothing" in err
    assert "0 needed the generic fallback" in err
    assert "python -m scraper doctor ARTICLE.html --list LIST.html" in err
    assert not (tmp_path / "content").exists() or not list((tmp_path / "content").rglob("*.md"))


def test_crawl_where_every_article_falls_back_exits_3(httpserver, tmp_path, capfd):
    paragraphs = "".join(f"<p>改版后页面的第{i}段正文，内容足够长以便通用提取器识别为正文内容。道路交通安全很重要。</p>"
                         for i in range(8))
    page = ('<html><head><meta charset="utf-8"><title>改版后的标题</title><meta name="PubDate" content="2022-05-06">'
            f'</head><body><article><h1>改版后的标题</h1>{paragraphs}</article></body></html>')
    lst = '<html><body><ul><li><a href="/news/article/777">改版后的标题</a> 2022-05-06</li></ul></body></html>'
    serve_template(httpserver, "divs", FAST, extra={"/news/list/12": (lst, "text/html"),
                                                     "/news/article/777": (page, "text/html; charset=utf-8")})
    code = run_cli(httpserver.url_for("/").rstrip("/"), tmp_path, "--column", "12")
    err = re.sub(r"\s+", " ", capfd.readouterr().err)
    assert code == EXIT_NOT_RECOGNISED
    assert "Every article of this crawl (1) needed the generic fallback" in err
    assert "1 needed the generic fallback" in err
    assert "selector(s) not found: body '#zoom', title 'h1.detail-tit'" in err
    assert "scraper doctor" in err
    assert len(list((tmp_path / "content").rglob("*.md"))) == 1     # published, flagged Review:


def test_page_where_every_path_fails_exits_3(tmp_path, capfd):
    saved = tmp_path / "news-article-55.html"
    saved.write_text("<html><body><div>网站维护中，请稍后访问。</div></body></html>", encoding="utf-8")
    code = main(["page", str(saved)])
    out = capfd.readouterr()
    assert code == EXIT_NOT_RECOGNISED and out.out == ""
    err = re.sub(r"\s+", " ", out.err)
    assert "not publishable" in err and "profile: selector(s) not found" in err and "layout:" in err
    assert f"python -m scraper doctor {saved}" in err


def test_page_that_only_falls_back_prints_the_post_and_exits_3(tmp_path, capfd):
    paragraphs = "".join(f"<p>这是第{i}段正文，讲述道路交通安全宣传活动的详细情况和后续安排，内容充实。</p>" for i in range(8))
    saved = tmp_path / "news-article-56.html"
    saved.write_text(f'<html><head><meta charset="utf-8"><meta name="PubDate" content="2022-02-03"><title>标题</title>'
                     f"</head><body><article><h1>标题</h1>{paragraphs}</article></body></html>", encoding="utf-8")
    code = main(["page", str(saved)])
    out = capfd.readouterr()
    assert code == EXIT_NOT_RECOGNISED
    assert "Review: generic-extractor" in out.out
    assert "only the generic fallback" in out.err and "doctor" in out.err


def test_page_on_a_template_uses_the_layout_and_exits_0(capfd):
    code = main(["page", str(DIVS / "article-10412.html")])
    out = capfd.readouterr()
    assert code == 0, out.err
    assert out.out == (TEMPLATES / "divs" / "expected" / "crsa-10412.md").read_text(encoding="utf-8")


# -- list discovery ---------------------------------------------------------------------------------------
def test_list_without_pagination_links_is_probed_until_no_new_id(httpserver, tmp_path, profile):
    serve_template(httpserver, "divs", FAST)
    stats = make_crawler(profile, tmp_path, httpserver.url_for("/").rstrip("/"), columns=[12]).run()
    lists = [r.query_string.decode() for r, _ in httpserver.log if r.path == "/news/list/12"]
    assert lists == ["", "page=2", "page=3"]        # page 3 repeats page 2: nothing new, stop
    assert stats.new == 3 and stats.layout == 3 and stats.failed == 0
    assert stats.list_misses and "matched nothing" in stats.list_misses[0][1]


def test_list_dates_next_to_links_serve_since(httpserver, tmp_path, profile):
    from datetime import date
    serve_template(httpserver, "nuxt", FAST)
    stats = make_crawler(profile, tmp_path, httpserver.url_for("/").rstrip("/"), columns=[12],
                         since=date(2022, 1, 1)).run()
    assert stats.old == 1 and stats.new == 2          # 2021-12-20 skipped from the list's date
    assert "/news/article/12001" not in article_requests(httpserver)


# -- --ids --------------------------------------------------------------------------------------------------
def ids_site(httpserver, robots):
    present = {"10398": "article-10398.html", "10412": "article-10412.html"}

    def handler(request):
        if request.path == "/robots.txt":
            return Response(robots, content_type="text/plain")
        sid = request.path.rsplit("/", 1)[-1]
        if request.path.startswith("/news/article/") and sid in present:
            return Response((DIVS / present[sid]).read_bytes(), content_type="text/html; charset=utf-8")
        return Response("gone", status=410 if sid == "10400" else 404)

    httpserver.expect_request(re.compile(".*")).respond_with_handler(handler)
    return httpserver.url_for("/").rstrip("/")


def test_ids_walk_records_gone_obeys_robots_and_delay(httpserver, tmp_path, capfd):
    base = ids_site(httpserver, "User-agent: *\nDisallow: /news/article/10405\nCrawl-delay: 0.05\n")
    t0 = time.monotonic()
    code = run_cli(base, tmp_path, "--ids", "10396-10412")
    elapsed = time.monotonic() - t0
    assert code == 0, capfd.readouterr().err
    names = sorted(p.name for p in (tmp_path / "content").rglob("*.md"))
    assert names == ["crsa-10398.md", "crsa-10412.md"]
    requested = article_requests(httpserver)
    assert "/news/article/10405" not in requested and len(requested) == 16
    assert elapsed >= 0.05 * 16                       # Crawl-delay between the 17 requests
    import json
    state = json.loads((tmp_path / "state" / "crsa.json").read_text(encoding="utf-8"))
    gone = [k for k, v in state["articles"].items() if v["status"] == "gone"]
    assert len(gone) == 14
    # a second walk never asks for the gone ids again
    httpserver.clear_log()
    assert run_cli(base, tmp_path, "--ids", "10396-10412") == 0
    assert sorted(article_requests(httpserver)) == ["/news/article/10398", "/news/article/10412"]


def test_ids_walk_resumes_after_an_interruption(httpserver, tmp_path, profile):
    base = ids_site(httpserver, FAST)
    seen = []

    def stop_after_three(key):
        seen.append(key)
        if len(seen) == 3:
            raise KeyboardInterrupt

    crawler = make_crawler(profile, tmp_path, base, ids=(10396, 10412), after_article=stop_after_three)
    try:
        crawler.run()
    except KeyboardInterrupt:
        pass
    first = article_requests(httpserver)
    assert first == ["/news/article/10396", "/news/article/10397", "/news/article/10398"]
    httpserver.clear_log()
    stats = make_crawler(profile, tmp_path, base, ids=(10396, 10412)).run()
    again = article_requests(httpserver)
    assert not set(first) & set(again) and len(again) == 14
    assert stats.resumed == 3 and stats.new == 1
    assert sorted(p.name for p in (tmp_path / "content").rglob("*.md")) == ["crsa-10398.md", "crsa-10412.md"]


def test_ids_argument_is_checked(capfd):
    import pytest
    with pytest.raises(SystemExit):
        main(["crawl", "--ids", "20-10"])
    assert "--ids '20-10': expected FIRST-LAST" in capfd.readouterr().err


# -- sitemap ----------------------------------------------------------------------------------------------
def sitemap_site(httpserver, disallow=""):
    base = httpserver.url_for("/").rstrip("/")
    robots = f"User-agent: *\n{disallow}Crawl-delay: 0.001\nSitemap: {base}/sitemap_index.xml\n"
    index = ('<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
             "<sitemap><loc>https://www.crsa.net/sitemap-news.xml</loc></sitemap></sitemapindex>")
    urls = "".join(f"<url><loc>https://www.crsa.net/news/article/{i}</loc><lastmod>2022-01-20</lastmod></url>"
                   for i in ("10398", "10437", "10412"))
    news = ('<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE x [<!ENTITY e "boom">]>'
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}'
            "<url><loc>https://www.crsa.net/about.html</loc></url></urlset>")
    empty = "<html><body><p>暂无内容</p></body></html>"
    serve_template(httpserver, "divs", robots, extra={
        "/sitemap_index.xml": (index, "application/xml"), "/sitemap-news.xml": (news, "application/xml"),
        "/news/list/12": (empty, "text/html"), "/news/list/11": (empty, "text/html"),
        "/news/list/13": (empty, "text/html")})
    return base


def test_sitemap_named_by_robots_finds_articles(httpserver, tmp_path, capfd):
    base = sitemap_site(httpserver, disallow="Disallow: /news/article/10437\n")
    code = run_cli(base, tmp_path)
    assert code == 0, capfd.readouterr().err
    posts = {p.relative_to(tmp_path / "content").as_posix() for p in (tmp_path / "content").rglob("*.md")}
    assert posts == {"news/traffic/2022/crsa-10398.md", "news/traffic/2021/crsa-10412.md"}   # column from the page
    assert "/news/article/10437" not in article_requests(httpserver)      # robots
    assert "/about.html" not in [r.path for r, _ in httpserver.log]       # not an article URL
    # unchanged lastmod: the next crawl does not request the articles again
    httpserver.clear_log()
    assert run_cli(base, tmp_path) == 0
    assert article_requests(httpserver) == []


def test_sitemap_not_read_when_columns_are_chosen(httpserver, tmp_path, profile):
    sitemap_site(httpserver)
    base = httpserver.url_for("/").rstrip("/")
    stats = make_crawler(profile, tmp_path, base, columns=[12]).run()
    assert stats.listed == 0 and not any(r.path.startswith("/sitemap") for r, _ in httpserver.log)


def test_profile_file_unchanged():
    text = (ROOT / "scraper" / "sites" / "crsa.toml").read_text(encoding="utf-8")
    assert 'item = "ul.news-list li"' in text and 'body = "#zoom"' in text


def test_sitemap_crawl_resumes_after_an_interruption_with_the_delay(httpserver, tmp_path, profile):
    import dataclasses
    sitemap_site(httpserver)
    base = httpserver.url_for("/").rstrip("/")
    profile = dataclasses.replace(profile, http=dataclasses.replace(profile.http, delay_seconds=0.05))

    def stop(key):
        raise KeyboardInterrupt

    try:
        make_crawler(profile, tmp_path, base, after_article=stop, delay=None).run()
    except KeyboardInterrupt:
        pass
    first = article_requests(httpserver)
    assert first == ["/news/article/10398"]
    httpserver.clear_log()
    t0 = time.monotonic()
    stats = make_crawler(profile, tmp_path, base, delay=None).run()
    elapsed = time.monotonic() - t0
    assert stats.resumed == 1 and stats.new == 2
    assert "/news/article/10398" not in article_requests(httpserver)
    n = len(httpserver.log)                     # robots, 3 lists (+ probes), 2 sitemaps, 2 articles
    assert elapsed >= 0.05 * (n - 1)            # the delay between every two requests to the host
