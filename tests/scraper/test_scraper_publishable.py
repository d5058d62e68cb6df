"""Scraped ⇒ checked ⇒ built (issue #12): what the scraper writes passes `make check` and builds;
what it cannot make valid is left out, listed in the crawl summary and reflected in the exit status.

The site is the capture in tests/fixtures/cctssa, served by a real local HTTP server, extended here with
articles made from the captured article page: attachments (a PDF, a file from a sub-folder path),
images without alt text, a `java&#x0A;script:` link, an image URL that answers with a web page, an
unknown column name and a server that drips its answer one byte a second.
"""

from __future__ import annotations

import io
import re
import shutil
import time

import pytest
from rich.console import Console
from scraper_helpers import FIXTURES, ROOT, serve_capture
from werkzeug import Response

import scraper.cli as cli
from plugins.content_check.checker import check_content, load_settings
from plugins.sitebuild.build import build

PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c63"
                    "f8cfc0f01f0005000201e2a1a5ec0000000049454e44ae426082")
JPEG = b"\xff\xd8\xff\xe0" + b"\0" * 64 + b"\xff\xd9"
CAPTURED = (FIXTURES / "news-article-4821.html").read_text(encoding="utf-8")
BODY_START = '<div class="detail-txt TRS_Editor" id="zoom">'
LISTING = (FIXTURES / "news-list-12.html").read_text(encoding="utf-8")
LIST_ITEM = next(line for line in LISTING.splitlines() if "/news/article/4821" in line)

EXTRA_BODY = (
    '<p>附件：<a href="/upload/2021/12/通知.pdf">通知全文</a>，'
    '<a href="/upload/files/2021/sub/统计表.xlsx">统计表</a>。</p>'
    '<p style="text-align:center"><img src="/upload/2021/12/photo1.jpg"></p>'
    '<p style="text-align:center">图为民警在路口执勤</p>'
    '<p><img src="/upload/img/jiaotong_anquan.png" alt=""></p>'
    '<figure><img src="/upload/2021/12/fig.png"><figcaption>高速公路服务区</figcaption></figure>'
    '<p>详情<a href="java&#x0A;script:alert(1)">点此查看</a>。</p>'
    '<p><img src="/upload/2021/12/broken.jpg" alt="坏图"></p>'
)


def article(sid: int, *, column: str = "交管动态", extra_body: str = "") -> str:
    """The captured article page as article ``sid`` (its own title), with ``extra_body`` at the top."""
    page = CAPTURED.replace("保民安 解民忧 护民利", f"第{sid}号 保民安 解民忧 护民利")
    page = page.replace('<meta name="ColumnName" content="交管动态">', f'<meta name="ColumnName" content="{column}">')
    return page.replace(BODY_START, BODY_START + extra_body, 1)


def serve_extended_capture(httpserver) -> str:
    more = "\n".join(LIST_ITEM.replace("4821", str(sid)) for sid in (4822, 4823))
    # the list first: pytest-httpserver answers with the first handler that matches
    httpserver.expect_request("/news/list/12").respond_with_data(
        LISTING.replace(LIST_ITEM, LIST_ITEM + "\n" + more), content_type="text/html; charset=utf-8")
    base = serve_capture(httpserver)   # robots.txt and article 4821 as captured
    pages = {4822: article(4822, extra_body=EXTRA_BODY), 4823: article(4823, column="未知栏目")}
    for sid, page in pages.items():
        httpserver.expect_request(f"/news/article/{sid}").respond_with_data(
            page, content_type="text/html; charset=utf-8")
    media = {
        "/upload/2021/12/通知.pdf": (b"%PDF-1.4\n%%EOF\n", "application/pdf"),
        "/upload/files/2021/sub/统计表.xlsx": (b"PK\x03\x04xlsx", "application/vnd.openxmlformats-officedocument"
                                                               ".spreadsheetml.sheet"),
        "/upload/2021/12/photo1.jpg": (JPEG, "image/jpeg"),
        "/upload/img/jiaotong_anquan.png": (PNG, "image/png"),
        "/upload/2021/12/fig.png": (PNG, "image/png"),
        "/upload/2021/12/broken.jpg": (b"<!DOCTYPE html><html><body>404 not found</body></html>", "text/html"),
    }
    for path, (data, kind) in media.items():
        httpserver.expect_request(path).respond_with_data(data, content_type=kind)
    return base


def crawl(base: str, tmp_path, monkeypatch, *options: str) -> tuple[int, str]:
    """``python -m scraper [options] crawl …`` into tmp_path: (exit status, what it printed)."""
    out = io.StringIO()
    monkeypatch.setattr(cli, "err", Console(file=out, width=100, force_terminal=False))
    code = cli.main([*options, "crawl", "--base-url", base, "--column", "12", "--content-dir", str(tmp_path / "content"),
                     "--state-dir", str(tmp_path / "state"), "--delay", "0", "--no-progress"])
    return code, out.getvalue()


def test_crawl_of_the_capture_builds_and_reports_what_it_left_out(httpserver, tmp_path, monkeypatch):
    base = serve_extended_capture(httpserver)
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content" / "pages", content / "pages")
    code, summary = crawl(base, tmp_path, monkeypatch)

    # exit status and summary: one FAILED line (the unknown column), one LEFT OUT line per removed part
    assert code == 1
    lines = summary.splitlines()
    failed = [line for line in lines if line.startswith("FAILED")]
    left_out = [line for line in lines if line.startswith("LEFT OUT")]
    assert len(failed) == 1 and "/news/article/4823" in failed[0] and "未知栏目" in failed[0]
    assert len(left_out) == 2
    assert any("script:alert(1)" in line and "link removed, text kept" in line for line in left_out)
    assert any("broken.jpg" in line and "web page" in line for line in left_out)

    news = content / "news" / "traffic" / "2021"
    assert sorted(p.name for p in news.glob("*.md")) == ["crsa-4821.md", "crsa-4822.md"]   # 4823 left out
    post = (news / "crsa-4822.md").read_text(encoding="utf-8")
    assert "[通知全文]({static}crsa-4822/" in post and "{attach}" not in post
    assert "![图为民警在路口执勤]({static}crsa-4822/photo1.jpg)" in post          # caption paragraph
    assert "![jiaotong anquan]({static}crsa-4822/jiaotong_anquan.png)" in post   # file name
    assert "![高速公路服务区]({static}crsa-4822/fig.png)" in post                  # figcaption
    assert "详情点此查看。" in post and "script" not in post
    assert "broken" not in post and "坏图" not in post
    assert "![]" not in post
    assert not (news / "crsa-4822" / "broken.jpg").exists()
    assert (news / "crsa-4822" / "统计表.xlsx").read_bytes().startswith(b"PK")

    problems, count = check_content(content, load_settings(ROOT / "pelicanconf.py"))
    assert (problems, count) == ([], 4)   # 2 news posts, about.md and about.en.md
    logs: list[str] = []
    output = build(content, tmp_path / "output", ROOT / "pelicanconf.py", log=logs.append)   # + link check
    for lang, alt in (("", "图为民警在路口执勤"), ("zh-hant/", "圖爲民警在路口執勤")):
        page = (output / f"{lang}news/2021/12/crsa-4822.html").read_text(encoding="utf-8")
        assert re.search(rf'<img alt="{alt}" src="(\.\./)+news/traffic/2021/crsa-4822/photo1.jpg"', page)
        assert re.search(r'href="(\.\./)+news/traffic/2021/crsa-4822/通知.pdf"', page)
    assert (output / "news" / "traffic" / "2021" / "crsa-4822" / "通知.pdf").is_file()


def test_a_crawl_that_leaves_nothing_out_exits_0(httpserver, tmp_path, monkeypatch):
    code, summary = crawl(serve_capture(httpserver), tmp_path, monkeypatch)
    assert code == 0 and "LEFT OUT" not in summary and "FAILED" not in summary


@pytest.fixture
def threaded_httpserver():
    from pytest_httpserver import HTTPServer
    server = HTTPServer(threaded=True)
    server.start()
    yield server
    server.clear()
    server.stop()


def test_drip_server_fails_at_the_deadline_with_its_own_line(threaded_httpserver, tmp_path, monkeypatch):
    """An article dripped one byte a second fails at the profile's deadline; the crawl goes on and ends."""
    threaded_httpserver.expect_request("/news/list/12").respond_with_data(
        LISTING.replace(LIST_ITEM, LIST_ITEM.replace("4821", "4824") + "\n" + LIST_ITEM), content_type="text/html")
    base = serve_capture(threaded_httpserver)

    def drip(request):
        def body():
            for _ in range(60):
                yield b"<"
                time.sleep(1)
        return Response(body(), content_type="text/html")
    threaded_httpserver.expect_request("/news/article/4824").respond_with_handler(drip)
    profile = tmp_path / "fast.toml"
    profile.write_text((ROOT / "scraper" / "sites" / "crsa.toml").read_text(encoding="utf-8").replace(
        "deadline_seconds = 60.0", "deadline_seconds = 1.5"), encoding="utf-8")
    code, summary = crawl(base, tmp_path, monkeypatch, "--profile", str(profile))
    assert code == 1
    failed = [line for line in summary.splitlines() if line.startswith("FAILED")]
    assert len(failed) == 1 and "/news/article/4824" in failed[0] and "deadline" in failed[0] and "1.5 s" in failed[0]
    assert (tmp_path / "content" / "news" / "traffic" / "2021" / "crsa-4821.md").is_file()


def test_an_abstract_longer_than_make_check_allows_is_shortened(httpserver, tmp_path, monkeypatch):
    long_abstract = "道路交通安全" * 60   # 360 characters; make check allows 200
    page = article(4825).replace('<div class="detail-zy">', f'<div class="detail-zy">{long_abstract}', 1)
    httpserver.expect_request("/news/list/12").respond_with_data(
        LISTING.replace("4821", "4825"), content_type="text/html; charset=utf-8")
    httpserver.expect_request("/news/article/4825").respond_with_data(page, content_type="text/html; charset=utf-8")
    code, summary = crawl(serve_capture(httpserver), tmp_path, monkeypatch)
    assert code == 0, summary
    post = tmp_path / "content" / "news" / "traffic" / "2021" / "crsa-4825.md"
    line = next(x for x in post.read_text(encoding="utf-8").splitlines() if x.startswith("Summary: "))
    assert line.endswith("…") and len(line) == len("Summary: ") + 200 + 1
    assert check_content(tmp_path / "content", load_settings(ROOT / "pelicanconf.py"))[0] == []


# -- units: alt text, unusable links, media types --------------------------------------------------------
def converted(body: str) -> str:
    from scraper.pipeline import process_page
    from scraper.profile import load_profile
    return process_page(article(100, extra_body=body), "https://www.crsa.net/news/article/100", load_profile()).text


@pytest.mark.parametrize("body, alt", [
    ('<p><img src="/u/a.jpg" alt="现场 [1]"></p>', "现场 1"),                    # its own, made safe
    ('<p><img src="/u/a.jpg" alt=" " title="标题"></p>', "标题"),                 # blank alt: the title
    ('<figure><img src="/u/a.jpg"><figcaption>说明文字</figcaption></figure>', "说明文字"),
    ('<p><img src="/u/a.jpg"></p><p>图为事故现场</p>', "图为事故现场"),             # a caption paragraph
    ('<p><img src="/u/a.jpg"></p><p align="center">事故现场</p>', "事故现场"),       # centred: a caption
    ('<p><img src="/u/IMG_0042.jpg"></p><p>正文第一段，不是说明。</p>', "IMG 0042"),  # running text: file name
    ('<p>文字<img src="/u/a-b.jpg"></p><p>图为……</p>', "a-b"),                      # image inside text
    ('<p><img src="/u/%E7%8E%B0%E5%9C%BA.jpg"></p>', "现场"),                      # file name, unquoted
])
def test_alt_text(body, alt):
    assert f"![{alt}](" in converted(body)


def test_no_image_is_written_without_alt_text():
    text = converted('<p><img src="/u/a.jpg"></p><p><img src="/u/b.png" alt=""></p><table><tr><td>'
                     '<img src="/u/c.gif"></td></tr></table>')
    assert "![]" not in text and 'alt=""' not in text and text.count("![") == 3


def test_unusable_links_removed_with_their_text_kept():
    text = converted('<p><a href="java&#x0A;script:alert(1)">一</a><a href="javascript:void(0)">二</a>'
                     '<a href="data:text/html,x">三</a><a href="jav&#x09;ascript:x">四</a>'
                     '<a href="mailto:a@b.cn">五</a><a href="/news/article/7">六</a><a href="">七</a>'
                     '<a href="http://[::1">八</a><a href="http://h:99999/">九</a></p>'
                     '<p><img src="http://[::1/x.png" alt="坏"></p>')
    assert "一二三四[五](mailto:a@b.cn)[六](https://www.crsa.net/news/article/7)七八九" in text
    assert "坏" not in text
    assert "script" not in text.partition("\n\n")[2]


@pytest.mark.parametrize("kind, ext, content_type, head, refused", [
    ("image", "jpg", "image/jpeg", JPEG, None),
    ("image", "jpg", "text/html; charset=utf-8", b"<!DOCTYPE html><p>404", "web page"),
    ("image", "jpg", "image/jpeg", b"  <html><body>login", "web page"),      # the body says HTML
    ("image", "png", "application/octet-stream", PNG, None),
    ("image", "", "application/octet-stream", PNG, "no image extension"),
    ("image", "svg", "image/svg+xml", b"<svg onload=alert(1)>", "not an image type the site publishes"),
    ("image", "jpg", "text/plain", b"x", "not an image type"),
    ("image", "php", "image/png", PNG, None),                                 # renamed by its type
    ("attachment", "pdf", "application/pdf", b"%PDF-1.4", None),
    ("attachment", "pdf", "text/html", b"<html>", "web page"),
    ("attachment", "doc", "text/plain", b"error", "text/plain"),
    ("attachment", "xlsx", "", b"PK", None),
])
def test_media_types(kind, ext, content_type, head, refused):
    from scraper.media_type import mismatch
    from scraper.profile import load_profile
    profile = load_profile()
    why = mismatch(kind, ext, content_type, head, image_extensions=profile.image_extensions,
                   attachment_extensions=profile.attachment_extensions)
    assert (why is None) if refused is None else (refused in why), why


def test_image_url_without_extension_saved_under_its_type(httpserver, tmp_path, monkeypatch):
    httpserver.expect_request("/news/list/12").respond_with_data(
        LISTING.replace("4821", "4826"), content_type="text/html; charset=utf-8")
    httpserver.expect_request("/news/article/4826").respond_with_data(
        article(4826, extra_body='<p><img src="/showimg.php?id=5" alt="图"></p>'), content_type="text/html")
    httpserver.expect_request("/showimg.php").respond_with_data(PNG, content_type="image/png")
    code, summary = crawl(serve_capture(httpserver), tmp_path, monkeypatch)
    assert code == 0, summary
    news = tmp_path / "content" / "news" / "traffic" / "2021"
    assert "![图]({static}crsa-4826/showimg.png)" in (news / "crsa-4826.md").read_text(encoding="utf-8")
    assert (news / "crsa-4826" / "showimg.png").read_bytes() == PNG
    assert check_content(tmp_path / "content", load_settings(ROOT / "pelicanconf.py"))[0] == []


@pytest.mark.parametrize("change, expected", [
    (lambda text: text.replace("2022-03-01", "2999-03-01"), "is in the future"),
    (lambda text: text + "\n".join("    " * i + "- 层" for i in range(300)) + "\n", "nests 101 levels deep"),
    (lambda text: text.replace("Title: 测试\n", "Title: 测试\nTitle: 第二个\n"), "given twice"),
])
def test_the_scraper_refuses_what_make_check_refuses_for_the_build(change, expected):
    """Whatever the scraper writes passes `make check`: its own check has the build rules too."""
    from scraper.post_check import PostCheck, load_site_settings

    check = PostCheck(ROOT / "content", load_site_settings())
    good = "Title: 测试\nDate: 2022-03-01 10:00\nCategory: 交管动态\nSlug: crsa-1\n\n正文。\n"
    where = ROOT / "content" / "news" / "traffic" / "2022" / "crsa-1.md"
    assert check.problems(good, where) == []
    problems = check.problems(change(good), where)
    assert any(expected in p for p in problems), problems
