"""Crawl behaviour against a real local server: robots, cookies, state, edits, resume, safety."""

from __future__ import annotations

import json

import pytest
from scraper_helpers import FAST_ROBOTS, FIXTURES, ROOT, article_page, list_page, make_crawler, serve_capture
from werkzeug import Response

from scraper.cli import main


def robots(httpserver, text=FAST_ROBOTS):
    httpserver.expect_request("/robots.txt").respond_with_data(text, content_type="text/plain")


def html(httpserver, path, body, **kw):
    httpserver.expect_request(path).respond_with_data(body, content_type="text/html; charset=utf-8", **kw)


def requests_to(httpserver, path):
    return [r for r, _ in httpserver.log if r.path == path]


def post(tmp_path, sid, column="traffic", year="2022"):
    return tmp_path / "content" / "news" / column / year / f"crsa-{sid}.md"


def site(httpserver, ids=(1, 2, 3), **page_kw):
    robots(httpserver)
    html(httpserver, "/news/list/12", list_page([(f"/news/article/{i}", "2022-03-04", f"t{i}") for i in ids]))
    for i in ids:
        html(httpserver, f"/news/article/{i}", article_page(title=f"标题{i}", body=f"<p>正文{i}</p>", **page_kw))
    return httpserver.url_for("/").rstrip("/")


def serve_article_again(httpserver, **article):
    """The site of ``site(ids=(1,))`` again, its one article now rendered with ``article``."""
    httpserver.clear_all_handlers()
    robots(httpserver)
    html(httpserver, "/news/list/12", list_page([("/news/article/1", "2022-03-04", "a")]))
    html(httpserver, "/news/article/1", article_page(**{"title": "标题1", "body": "<p>正文1</p>", **article}))


# -- robots ----------------------------------------------------------------------------------------
def test_robots_disallow_skips_article(httpserver, tmp_path, profile):
    base = site(httpserver, ids=(1, 2))
    httpserver.clear_all_handlers()
    robots(httpserver, "User-agent: *\nDisallow: /news/article/2\n")
    html(httpserver, "/news/list/12", list_page([("/news/article/1", "2022-03-04", "a"),
                                                 ("/news/article/2", "2022-03-04", "b")]))
    html(httpserver, "/news/article/1", article_page())
    stats = make_crawler(profile, tmp_path, base, columns=[12]).run()
    assert (stats.new, stats.robots, stats.failed) == (1, 1, 0)
    assert requests_to(httpserver, "/news/article/2") == []


def test_robots_agent_specific_group(httpserver, tmp_path, profile):
    robots(httpserver, f"User-agent: {profile.http.robots_agent}\nDisallow: /\n\nUser-agent: *\nAllow: /\n")
    base = httpserver.url_for("/").rstrip("/")
    stats = make_crawler(profile, tmp_path, base, columns=[12]).run()
    assert stats.robots == 1 and len(httpserver.log) == 1


def fast_profile(tmp_path):
    """A copy of the real profile file with tiny backoffs, for CLI runs (--profile)."""
    text = (ROOT / "scraper" / "sites" / "crsa.toml").read_text(encoding="utf-8")
    text = text.replace("backoff_base_seconds = 1.0", "backoff_base_seconds = 0.01")
    assert "0.01" in text
    path = tmp_path / "fast.toml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_robots_5xx_means_disallow_all_and_failure_exit(httpserver, tmp_path, profile):
    httpserver.expect_request("/robots.txt").respond_with_data("down", status=500)
    base = httpserver.url_for("/").rstrip("/")
    code = main(["--profile", fast_profile(tmp_path), "crawl", "--base-url", base, "--column", "12", "--content-dir", str(tmp_path / "c"),
                 "--state-dir", str(tmp_path / "s"), "--delay", "0", "--no-progress"])
    assert code == 1
    assert {r.path for r, _ in httpserver.log} == {"/robots.txt"}   # nothing else was requested


def test_robots_unreachable_reported(httpserver, tmp_path, profile):
    httpserver.expect_request("/robots.txt").respond_with_data("down", status=503)
    stats = make_crawler(profile, tmp_path, httpserver.url_for("/").rstrip("/"), columns=[12]).run()
    assert stats.robots == 1
    assert any("disallow-all" in reason for _, reason in stats.problems)


def test_robots_404_allows_all(httpserver, tmp_path, profile):
    httpserver.expect_request("/robots.txt").respond_with_data("nope", status=404)
    html(httpserver, "/news/list/12", list_page([("/news/article/7", "2022-03-04", "a")]))
    html(httpserver, "/news/article/7", article_page())
    stats = make_crawler(profile, tmp_path, httpserver.url_for("/").rstrip("/"), columns=[12]).run()
    assert (stats.new, stats.robots) == (1, 0)


# -- cookies ---------------------------------------------------------------------------------------
def test_cookie_from_list_sent_with_article(httpserver, tmp_path, profile):
    robots(httpserver)
    html(httpserver, "/news/list/12", (FIXTURES / "news-list-12.html").read_bytes(),
         headers={"Set-Cookie": "acw_tc=firewall123; Path=/"})
    html(httpserver, "/news/article/4821", (FIXTURES / "news-article-4821.html").read_bytes())
    stats = make_crawler(profile, tmp_path, httpserver.url_for("/").rstrip("/"), columns=[12]).run()
    assert stats.new == 1
    (article_req,) = requests_to(httpserver, "/news/article/4821")
    assert "acw_tc=firewall123" in article_req.headers.get("Cookie", "")


# -- gone / failures -------------------------------------------------------------------------------
def test_404_recorded_as_gone_and_not_retried(httpserver, tmp_path, profile):
    robots(httpserver)
    html(httpserver, "/news/list/12", list_page([("/news/article/1", "2022-03-04", "a"),
                                                 ("/news/article/404", "2022-03-04", "b")]))
    html(httpserver, "/news/article/1", article_page())
    httpserver.expect_request("/news/article/404").respond_with_data("gone", status=410)
    base = httpserver.url_for("/").rstrip("/")
    stats = make_crawler(profile, tmp_path, base, columns=[12]).run()
    assert (stats.new, stats.gone, stats.failed) == (1, 1, 0)
    state = json.loads((tmp_path / "state" / "crsa.json").read_text())
    assert state["articles"]["https://www.crsa.net/news/article/404"]["status"] == "gone"
    stats = make_crawler(profile, tmp_path, base, columns=[12]).run()
    assert stats.gone == 1
    assert len(requests_to(httpserver, "/news/article/404")) == 1


def test_no_date_and_no_body_not_published(httpserver, tmp_path, profile):
    robots(httpserver)
    html(httpserver, "/news/list/12", list_page([("/news/article/1", "2022-03-04", "a"),
                                                 ("/news/article/2", "2022-03-04", "b")]))
    html(httpserver, "/news/article/1", article_page(pubdate=None))
    html(httpserver, "/news/article/2", article_page(body="<p>　　</p>"))
    stats = make_crawler(profile, tmp_path, httpserver.url_for("/").rstrip("/"), columns=[12]).run()
    assert (stats.new, stats.failed) == (0, 2)
    reasons = dict(stats.problems)
    assert "no publication date" in reasons[httpserver.url_for("/news/article/1")]
    assert "empty body" in reasons[httpserver.url_for("/news/article/2")]
    assert not (tmp_path / "content" / "news").exists() or not list((tmp_path / "content").rglob("*.md"))


def test_failed_article_makes_cli_exit_nonzero(httpserver, tmp_path):
    robots(httpserver)
    html(httpserver, "/news/list/12", list_page([("/news/article/1", "2022-03-04", "a")]))
    httpserver.expect_request("/news/article/1").respond_with_data("err", status=500)
    code = main(["--profile", fast_profile(tmp_path), "crawl", "--base-url", httpserver.url_for("/").rstrip("/"),
                 "--column", "12",
                 "--content-dir", str(tmp_path / "c"), "--state-dir", str(tmp_path / "s"), "--delay", "0",
                 "--no-progress"])
    assert code == 1


# -- editors' edits --------------------------------------------------------------------------------
def test_editor_edit_is_never_overwritten(httpserver, tmp_path, profile):
    base = site(httpserver, ids=(1,))
    make_crawler(profile, tmp_path, base, columns=[12]).run()
    path = post(tmp_path, 1)
    edited = path.read_text(encoding="utf-8").replace("正文1", "编辑修改过的正文")
    path.write_text(edited, encoding="utf-8")

    serve_article_again(httpserver, body="<p>来源更新后的正文</p>")
    stats = make_crawler(profile, tmp_path, base, columns=[12]).run()
    assert stats.edited == 1 and stats.updated == 0
    assert path.read_text(encoding="utf-8") == edited
    side = path.with_name("crsa-1.scraped.md")
    assert "来源更新后的正文" in side.read_text(encoding="utf-8")
    assert stats.edited_files == [str(side)]


def test_unedited_post_is_updated_when_source_changes(httpserver, tmp_path, profile):
    base = site(httpserver, ids=(1,))
    make_crawler(profile, tmp_path, base, columns=[12]).run()
    serve_article_again(httpserver, body="<p>新版本</p>")
    stats = make_crawler(profile, tmp_path, base, columns=[12]).run()
    assert stats.updated == 1
    assert "新版本" in post(tmp_path, 1).read_text(encoding="utf-8")
    assert not post(tmp_path, 1).with_name("crsa-1.scraped.md").exists()


def test_existing_hand_made_post_is_protected(httpserver, tmp_path, profile):
    base = serve_capture(httpserver)
    target = tmp_path / "content" / "news" / "traffic" / "2021" / "crsa-4821.md"
    target.parent.mkdir(parents=True)
    target.write_text("Title: hand made\n\nkeep me\n", encoding="utf-8")
    stats = make_crawler(profile, tmp_path, base, columns=[12]).run()
    assert stats.edited == 1
    assert target.read_text(encoding="utf-8") == "Title: hand made\n\nkeep me\n"
    assert target.with_name("crsa-4821.scraped.md").exists()


@pytest.mark.parametrize("change", ["column", "year"])
def test_article_moved_on_the_site_keeps_one_post_at_its_path(httpserver, tmp_path, profile, change):
    """The association re-files an article (another column, or a corrected date in another year):
    the post is updated where it is, never written a second time elsewhere (two posts with one
    slug would stop the build), and the crawl says so."""
    base = site(httpserver, ids=(1,))
    make_crawler(profile, tmp_path, base, columns=[12]).run()
    serve_article_again(httpserver, **({"column": "协会动态"} if change == "column" else {"pubdate": "2023-01-05 09:00"}))
    stats = make_crawler(profile, tmp_path, base, columns=[12]).run()
    posts = sorted((tmp_path / "content").rglob("crsa-1*.md"))
    assert posts == [post(tmp_path, 1)]
    text = posts[0].read_text(encoding="utf-8")
    assert ("Category: 协会动态" in text) if change == "column" else ("Date: 2023-01-05" in text)
    assert stats.updated == 1
    assert any("stays at news/traffic/2022/crsa-1.md" in message for _, message in stats.warnings)


# -- interruption and resume -----------------------------------------------------------------------
def test_interrupted_crawl_resumes_without_refetching(httpserver, tmp_path, profile):
    base = site(httpserver, ids=(1, 2, 3))

    def interrupt_after_first(key):
        raise KeyboardInterrupt

    crawler = make_crawler(profile, tmp_path, base, columns=[12], after_article=interrupt_after_first)
    with pytest.raises(KeyboardInterrupt):
        crawler.run()
    assert post(tmp_path, 1).exists() and not post(tmp_path, 2).exists()
    assert not [p for p in (tmp_path / "content").rglob("*") if p.name.endswith(".tmp")]

    stats = make_crawler(profile, tmp_path, base, columns=[12]).run()
    assert (stats.resumed, stats.new, stats.failed) == (1, 2, 0)
    assert all(post(tmp_path, i).exists() for i in (1, 2, 3))
    assert [len(requests_to(httpserver, f"/news/article/{i}")) for i in (1, 2, 3)] == [1, 1, 1]
    state = json.loads((tmp_path / "state" / "crsa.json").read_text())
    assert state["run"] is None   # finished: the next crawl starts fresh


def test_crash_during_write_leaves_no_partial_file(httpserver, tmp_path, profile, monkeypatch):
    base = site(httpserver, ids=(1,))
    import scraper.store as store

    real_fdopen = store.os.fdopen

    class Boom:
        def __init__(self, fh):
            self.fh = fh

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.fh.close()

        def write(self, data):
            self.fh.write(data[: len(data) // 2])
            raise OSError("disk full")

    monkeypatch.setattr(store.os, "fdopen", lambda fd, mode: Boom(real_fdopen(fd, mode)))
    with pytest.raises(OSError):
        make_crawler(profile, tmp_path, base, columns=[12]).run()
    leftovers = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert leftovers == []


# -- list walking ----------------------------------------------------------------------------------
def test_pagination_and_max_pages(httpserver, tmp_path, profile):
    robots(httpserver)
    pages = {
        None: list_page([("/news/article/1", "2022-03-04", "a")], '<span class="cur">1</span><a href="?page=2">2</a>'),
        "page=2": list_page([("/news/article/2", "2022-03-03", "b")],
                            '<a href="?page=1">1</a><span class="cur">2</span><a href="?page=3">3</a>'),
        "page=3": list_page([("/news/article/3", "2022-03-02", "c")], '<a href="?page=2">2</a><span class="cur">3</span>'),
    }
    for qs, body in pages.items():
        if qs:
            html(httpserver, "/news/list/12", body, query_string=qs) if False else \
                httpserver.expect_request("/news/list/12", query_string=qs).respond_with_data(
                    body, content_type="text/html; charset=utf-8")
    httpserver.expect_request("/news/list/12", query_string="").respond_with_data(
        pages[None], content_type="text/html; charset=utf-8")
    for i in (1, 2, 3):
        html(httpserver, f"/news/article/{i}", article_page(body=f"<p>正文{i}</p>"))
    base = httpserver.url_for("/").rstrip("/")
    stats = make_crawler(profile, tmp_path / "a", base, columns=[12]).run()
    assert stats.new == 3
    assert len(requests_to(httpserver, "/news/list/12")) == 3   # stops: page 3 links to no page 4
    httpserver.clear_log()
    stats = make_crawler(profile, tmp_path / "b", base, columns=[12], max_pages=2).run()
    assert stats.new == 2 and len(requests_to(httpserver, "/news/list/12")) == 2


def test_since_skips_older_articles(httpserver, tmp_path, profile):
    from datetime import date
    robots(httpserver)
    html(httpserver, "/news/list/12", list_page([("/news/article/1", "2022-03-04", "a"),
                                                 ("/news/article/2", "2020-01-01", "b")]))
    html(httpserver, "/news/article/1", article_page())
    stats = make_crawler(profile, tmp_path, httpserver.url_for("/").rstrip("/"), columns=[12],
                         since=date(2021, 1, 1)).run()
    assert (stats.new, stats.old) == (1, 1)
    assert requests_to(httpserver, "/news/article/2") == []


# -- review flag (profile mismatch) ----------------------------------------------------------------
def test_template_change_goes_through_trafilatura_and_is_flagged(httpserver, tmp_path, profile):
    robots(httpserver)
    html(httpserver, "/news/list/12", list_page([("/news/article/9", "2022-03-04", "a")]))
    paragraphs = "".join(f"<p>这是改版后页面的第{i}段正文，内容足够长以便通用提取器识别为正文内容。道路交通安全很重要。</p>"
                         for i in range(8))
    new_template = (
        '<html><head><meta charset="utf-8"><title>改版后的标题</title>'
        '<meta name="PubDate" content="2022-05-06 10:00"></head><body>'
        f'<div class="nav">首页 新闻</div><article class="new-layout"><h1>改版后的标题</h1>{paragraphs}</article>'
        '<div class="foot">版权所有</div></body></html>'
    )
    html(httpserver, "/news/article/9", new_template)
    stats = make_crawler(profile, tmp_path, httpserver.url_for("/").rstrip("/"), columns=[12]).run()
    assert stats.new == 1
    text = post(tmp_path, 9).read_text(encoding="utf-8")
    assert "\nReview: generic-extractor" in text
    assert "Date: 2022-05-06 10:00" in text and "Title: 改版后的标题" in text
    assert "第3段正文" in text
    assert stats.warnings and "review" in stats.warnings[0][1]


def test_external_link_in_column_is_flagged(httpserver, tmp_path, profile):
    robots(httpserver)
    other = f"http://127.0.0.1:{httpserver.port}/external/story.html"
    html(httpserver, "/news/list/12", list_page([(other, "2022-03-04", "外链")]))
    paragraphs = "".join(f"<p>外部网站文章第{i}段，讲述道路交通安全宣传活动的详细情况和后续安排。</p>" for i in range(8))
    html(httpserver, "/external/story.html",
         f'<html><head><meta charset="utf-8"><title>外部文章</title><meta name="PubDate" content="2022-01-02">'
         f"</head><body><article><h1>外部文章</h1>{paragraphs}</article></body></html>")
    stats = make_crawler(profile, tmp_path, httpserver.url_for("/").rstrip("/"), columns=[12]).run()
    assert stats.new == 1, stats.problems
    (md,) = (tmp_path / "content").rglob("*.md")
    text = md.read_text(encoding="utf-8")
    assert "Review: generic-extractor (article is on another site" in text
    assert f"Source_url: {other}" in text


# -- path safety -----------------------------------------------------------------------------------
@pytest.mark.parametrize("sid", ["..%2F..%2Fx", "../../x", "%2Fetc%2Fpasswd", "a/b"])
def test_hostile_ids_never_escape_content_dir(httpserver, tmp_path, profile, sid):
    robots(httpserver)
    html(httpserver, "/news/list/12", list_page([(f"/news/article/{sid}", "2022-03-04", "x")]))
    httpserver.expect_request(f"/news/article/{sid}").respond_with_data(article_page(), content_type="text/html")
    httpserver.expect_request("/news/article/x").respond_with_data(article_page(), content_type="text/html")
    make_crawler(profile, tmp_path, httpserver.url_for("/").rstrip("/"), columns=[12]).run()
    content = (tmp_path / "content").resolve()
    for p in tmp_path.rglob("*"):
        if p.is_file() and p.suffix == ".md":
            assert p.resolve().is_relative_to(content)
    assert not (tmp_path / "x.md").exists() and not (tmp_path / "content" / "x.md").exists()


def test_hostile_attachment_names(httpserver, tmp_path, profile):
    robots(httpserver)
    html(httpserver, "/news/list/12", list_page([("/news/article/5", "2022-03-04", "x")]))
    body = ('<p>附件：<a href="/upload/..%2F..%2F..%2Fevil.pdf">一</a> <a href="/upload/%2Fetc%2Fpasswd.doc">二</a>'
            ' <a href="/upload/.hidden.xls">三</a> <a href="/upload/..">四</a></p>')
    html(httpserver, "/news/article/5", article_page(body=body))
    for path in ("/upload/..%2F..%2F..%2Fevil.pdf", "/upload/%2Fetc%2Fpasswd.doc", "/upload/.hidden.xls"):
        httpserver.expect_request(path).respond_with_data(b"%PDF-1.4", content_type="application/octet-stream")
    stats = make_crawler(profile, tmp_path, httpserver.url_for("/").rstrip("/"), columns=[12]).run()
    assert stats.new == 1
    content = (tmp_path / "content").resolve()
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    for p in files:
        if "state" not in p.parts:
            assert p.resolve().is_relative_to(content / "news" / "traffic" / "2022"), p
    names = sorted(p.name for p in (content / "news" / "traffic" / "2022" / "crsa-5").iterdir())
    assert all(not n.startswith(".") and ".." not in n and "/" not in n for n in names)


# -- media -----------------------------------------------------------------------------------------
def test_images_and_attachments_downloaded_beside_post(httpserver, tmp_path, profile):
    robots(httpserver)
    html(httpserver, "/news/list/12", list_page([("/news/article/6", "2022-03-04", "x")]))
    body = ('<p><img src="/upload/2022/photo.jpg" alt="现场"></p>'
            '<p>下载：<a href="/upload/2022/通知.pdf">通知</a> <a href="/upload/b.xlsx">表</a>'
            ' <a href="/news/article/5">相关</a></p>')
    html(httpserver, "/news/article/6", article_page(body=body))
    httpserver.expect_request("/upload/2022/photo.jpg").respond_with_data(b"\xff\xd8jpeg", content_type="image/jpeg")
    httpserver.expect_request("/upload/2022/通知.pdf").respond_with_data(b"%PDF", content_type="application/pdf")
    httpserver.expect_request("/upload/b.xlsx").respond_with_data(b"PK", content_type="application/vnd.ms-excel")
    stats = make_crawler(profile, tmp_path, httpserver.url_for("/").rstrip("/"), columns=[12]).run()
    assert stats.new == 1, stats.problems
    text = post(tmp_path, 6).read_text(encoding="utf-8")
    folder = post(tmp_path, 6).with_name("crsa-6")
    assert (folder / "photo.jpg").read_bytes() == b"\xff\xd8jpeg"
    assert (folder / "通知.pdf").read_bytes() == b"%PDF"
    assert "![现场]({static}crsa-6/photo.jpg)" in text
    # {static}, not {attach}: a second {attach} of one file (the 繁體 pages) stops Pelican; the name
    # unquoted: Pelican copies a {static} file by the link's literal path.
    assert "[通知]({static}crsa-6/通知.pdf)" in text
    assert "[表]({static}crsa-6/b.xlsx)" in text
    assert "[相关](https://www.crsa.net/news/article/5)" in text   # other links: absolute, canonical host


def test_failed_media_download_links_original(httpserver, tmp_path, profile):
    robots(httpserver)
    html(httpserver, "/news/list/12", list_page([("/news/article/6", "2022-03-04", "x")]))
    html(httpserver, "/news/article/6", article_page(body='<p><img src="/upload/busy.png"></p><p>文字</p>'))
    httpserver.expect_request("/upload/busy.png").respond_with_data("no", status=500)
    stats = make_crawler(profile, tmp_path, httpserver.url_for("/").rstrip("/"), columns=[12]).run()
    assert stats.new == 1
    assert "(https://www.crsa.net/upload/busy.png)" in post(tmp_path, 6).read_text(encoding="utf-8")
    assert any("media download failed" in m for _, m in stats.warnings)


def test_missing_media_is_left_out_and_reported(httpserver, tmp_path, profile):
    """A 404 image is not linked to a file that does not exist: it is left out, and the crawl says so."""
    robots(httpserver)
    html(httpserver, "/news/list/12", list_page([("/news/article/6", "2022-03-04", "x")]))
    html(httpserver, "/news/article/6", article_page(body='<p><img src="/upload/missing.png"></p><p>文字</p>'))
    httpserver.expect_request("/upload/missing.png").respond_with_data("no", status=404)
    stats = make_crawler(profile, tmp_path, httpserver.url_for("/").rstrip("/"), columns=[12]).run()
    assert stats.new == 1
    text = post(tmp_path, 6).read_text(encoding="utf-8")
    assert "missing.png" not in text and "文字" in text
    assert [(u.rsplit("/", 1)[1], "404" in w) for u, w in stats.left_out] == [("missing.png", True)]


def test_column_slug_mapping(httpserver, tmp_path, profile):
    robots(httpserver)
    html(httpserver, "/news/list/11", list_page([("/news/article/8", "2022-03-04", "x")]))
    html(httpserver, "/news/article/8", article_page(column="协会动态"))
    stats = make_crawler(profile, tmp_path, httpserver.url_for("/").rstrip("/"), columns=[11]).run()
    assert stats.new == 1
    assert "Category: 协会动态" in post(tmp_path, 8, column="association").read_text(encoding="utf-8")


def test_server_error_page_uses_response(httpserver, tmp_path, profile):
    """A crafted handler (werkzeug Response) works too: 503 then OK for the list page."""
    robots(httpserver)
    calls = []

    def flaky(request):
        calls.append(1)
        if len(calls) == 1:
            return Response("busy", 503, headers={"Retry-After": "0"})
        return Response(list_page([]), content_type="text/html")
    httpserver.expect_request("/news/list/12").respond_with_handler(flaky)
    stats = make_crawler(profile, tmp_path, httpserver.url_for("/").rstrip("/"), columns=[12]).run()
    assert stats.failed == 0 and len(calls) == 2


def test_post_moved_by_hand_to_its_new_column_is_found_there(httpserver, tmp_path, profile):
    base = site(httpserver, ids=(1,))
    make_crawler(profile, tmp_path, base, columns=[12]).run()
    serve_article_again(httpserver, column="协会动态")
    make_crawler(profile, tmp_path, base, columns=[12]).run()
    moved = post(tmp_path, 1, column="association")
    moved.parent.mkdir(parents=True)
    post(tmp_path, 1).rename(moved)
    stats = make_crawler(profile, tmp_path, base, columns=[12]).run()
    assert sorted((tmp_path / "content").rglob("crsa-1*.md")) == [moved]
    assert stats.unchanged + stats.updated == 1 and not stats.warnings
