"""The captured article, served by a real local HTTP server, becomes the hand-made sample post."""

from __future__ import annotations

import re
import subprocess
import sys
import time

from scraper_helpers import FIXTURES, ROOT, SAMPLE_POST, make_crawler, serve_capture

from scraper.cli import main


def parse_post(text: str) -> tuple[dict[str, str], str]:
    head, _, body = text.partition("\n\n")
    meta = dict(line.split(": ", 1) for line in head.splitlines())
    return meta, body


def norm(body: str) -> str:
    return re.sub(r"\s+", " ", body).strip()


def test_crawl_capture_produces_sample_post(httpserver, tmp_path, profile):
    # The real capture, including its robots.txt with Crawl-delay: 1 (so this test takes ~2 s).
    base = serve_capture(httpserver, robots=None)
    t0 = time.monotonic()
    code = main(["crawl", "--base-url", base, "--column", "12", "--content-dir", str(tmp_path / "content"),
                 "--state-dir", str(tmp_path / "state"), "--delay", "0", "--no-progress"])
    elapsed = time.monotonic() - t0
    assert code == 0
    out = tmp_path / "content" / "news" / "traffic" / "2021" / "crsa-4821.md"
    got_meta, got_body = parse_post(out.read_text(encoding="utf-8"))
    want_meta, want_body = parse_post(SAMPLE_POST.read_text(encoding="utf-8"))
    assert list(got_meta) == list(want_meta)          # same keys, same order
    for key, value in want_meta.items():
        assert got_meta[key] == value, key
    assert norm(got_body) == norm(want_body)
    assert got_meta["Source_url"] == "https://www.crsa.net/news/article/4821"   # canonical, not the local server
    for chrome in ("热门新闻", "版权声明", "打印", "共同让道路交通更安全", "首页", "最新推荐", "京ICP"):
        assert chrome not in got_body
    # robots Crawl-delay: 1 was honoured between robots.txt, list and article requests.
    assert elapsed >= 2.0
    ua = {req.headers.get("User-Agent") for req, _ in httpserver.log}
    assert ua == {profile.http.user_agent}


def test_page_command_on_saved_file():
    proc = subprocess.run([sys.executable, "-m", "scraper", "page", str(FIXTURES / "news-article-4821.html")],
                          cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == SAMPLE_POST.read_text(encoding="utf-8")


def test_page_command_missing_file_names_it():
    proc = subprocess.run([sys.executable, "-m", "scraper", "page", "no/such/file.html"],
                          cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert "no/such/file.html" in proc.stderr


def test_recrawl_is_idempotent_and_conditional(httpserver, tmp_path, profile):
    etag = '"v1"'

    def article(request):
        from werkzeug import Response
        if request.headers.get("If-None-Match") == etag:
            return Response(status=304, headers={"ETag": etag})
        body = (FIXTURES / "news-article-4821.html").read_bytes()
        return Response(body, content_type="text/html; charset=utf-8", headers={"ETag": etag})

    base = serve_capture(httpserver)  # fast robots
    httpserver.clear_all_handlers()
    serve_list_and_robots(httpserver)
    httpserver.expect_request("/news/article/4821").respond_with_handler(article)
    stats = make_crawler(profile, tmp_path, base, columns=[12]).run()
    assert (stats.new, stats.failed) == (1, 0)
    post = tmp_path / "content" / "news" / "traffic" / "2021" / "crsa-4821.md"
    before = (post.read_bytes(), post.stat().st_mtime_ns)
    time.sleep(0.01)
    stats = make_crawler(profile, tmp_path, base, columns=[12]).run()
    assert (stats.new, stats.updated, stats.unchanged, stats.failed) == (0, 0, 1, 0)
    assert (post.read_bytes(), post.stat().st_mtime_ns) == before
    conditional = [r for r, _ in httpserver.log if r.path == "/news/article/4821" and r.headers.get("If-None-Match")]
    assert len(conditional) == 1

    # Without validators the server answers 200 again: same content -> file untouched too.
    httpserver.clear_all_handlers()
    serve_list_and_robots(httpserver)
    httpserver.expect_request("/news/article/4821").respond_with_data(
        (FIXTURES / "news-article-4821.html").read_bytes(), content_type="text/html; charset=utf-8")
    stats = make_crawler(profile, tmp_path, base, columns=[12]).run()
    assert (stats.unchanged, stats.new, stats.updated) == (1, 0, 0)
    assert (post.read_bytes(), post.stat().st_mtime_ns) == before


def serve_list_and_robots(httpserver):
    from scraper_helpers import FAST_ROBOTS
    httpserver.expect_request("/robots.txt").respond_with_data(FAST_ROBOTS, content_type="text/plain")
    httpserver.expect_request("/news/list/12").respond_with_data(
        (FIXTURES / "news-list-12.html").read_bytes(), content_type="text/html; charset=utf-8")
