"""CLI: progress bar rendering, `page URL`, concurrency, and the throughput benchmark entry point."""

from __future__ import annotations

import io

from rich.console import Console
from scraper_helpers import (
    FAST_ROBOTS,
    FIXTURES,
    SAMPLE_POST,
    article_page,
    list_page,
    make_crawler,
    serve_capture,
)

import scraper.cli as cli


def test_crawl_with_live_progress_bar(httpserver, tmp_path, monkeypatch):
    base = serve_capture(httpserver)
    buf = io.StringIO()
    monkeypatch.setattr(cli, "err", Console(file=buf, force_terminal=True, width=160))
    code = cli.main(["crawl", "--base-url", base, "--column", "12", "--content-dir", str(tmp_path / "c"),
                     "--state-dir", str(tmp_path / "s"), "--delay", "0"])
    out = buf.getvalue()
    assert code == 0
    assert "fetched 1" in out and "new 1" in out and "crawl summary" in out


def test_page_command_with_url(httpserver, capsys):
    base = serve_capture(httpserver)
    code = cli.main(["page", base + "/news/article/4821", "--base-url", base])
    assert code == 0
    assert capsys.readouterr().out == SAMPLE_POST.read_text(encoding="utf-8")
    assert not any(r.path not in ("/robots.txt", "/news/article/4821") for r, _ in httpserver.log)


def test_concurrent_crawl_same_result(httpserver, tmp_path, profile):
    httpserver.expect_request("/robots.txt").respond_with_data(FAST_ROBOTS)
    ids = range(1, 7)
    httpserver.expect_request("/news/list/12").respond_with_data(
        list_page([(f"/news/article/{i}", "2022-03-04", "x") for i in ids]), content_type="text/html")
    for i in ids:
        httpserver.expect_request(f"/news/article/{i}").respond_with_data(
            article_page(body=f"<p>正文{i}</p>"), content_type="text/html")
    stats = make_crawler(profile, tmp_path, httpserver.url_for("/").rstrip("/"), columns=[12], concurrency=2).run()
    assert (stats.new, stats.failed) == (6, 0)
    assert len(list((tmp_path / "content").rglob("*.md"))) == 6


def test_benchmark_run_returns_figures():
    from bench.scraper_throughput import run
    result = run(n_pages=20)
    assert result["scraper_pages_per_s"] > 0 and result["baseline_pages_per_s"] > 0


def test_fixture_copy_matches_routes():
    import json
    routes = json.loads((FIXTURES / "routes.json").read_text(encoding="utf-8"))
    assert all((FIXTURES / r["file"]).exists() for r in routes.values())
