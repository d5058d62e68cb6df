"""CLI: progress bar rendering, `page URL`, concurrency, and the throughput benchmark entry point."""

from __future__ import annotations

import io

import pytest
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


# -- no traceback for any input: one line, a documented exit status (docs/scraper.md) -------------------
def run_cli(capsys, *argv: str) -> tuple[int, list[str]]:
    """(exit status, the non-empty lines written to stderr) of ``python -m scraper ARGV``, in process."""
    try:
        code = cli.main(list(argv))
    except SystemExit as exc:   # argparse
        code = exc.code
    captured = capsys.readouterr()
    return code, [line for line in captured.err.splitlines() if line.strip()]


def crawl_args(tmp_path, *more: str) -> list[str]:
    return ["crawl", "--base-url", "http://127.0.0.1:9", "--content-dir", str(tmp_path / "content"),
            "--state-dir", str(tmp_path / "state"), "--no-progress", *more]


def one_line_error(capsys, argv, *expected: str, code: int = 2) -> str:
    status, lines = run_cli(capsys, *argv)
    assert status == code and len(lines) == 1, (status, lines)
    assert "Traceback" not in lines[0]
    for text in expected:
        assert text in lines[0], lines[0]
    return lines[0]


def test_state_dir_that_is_a_file(tmp_path, capsys):
    (tmp_path / "state").write_text("x")
    one_line_error(capsys, crawl_args(tmp_path), f"state folder (--state-dir) {tmp_path / 'state'} is a file")


def test_content_dir_that_is_a_file(tmp_path, capsys):
    (tmp_path / "content").write_text("x")
    one_line_error(capsys, crawl_args(tmp_path), f"content folder (--content-dir) {tmp_path / 'content'} is a file")


@pytest.mark.parametrize("option", ["--content-dir", "--state-dir"])
def test_folder_with_a_nul(tmp_path, capsys, option):
    one_line_error(capsys, crawl_args(tmp_path, option, "a\0b"), option, "NUL")


def test_content_dir_below_a_file(tmp_path, capsys):
    (tmp_path / "file").write_text("x")
    args = crawl_args(tmp_path) + ["--content-dir", str(tmp_path / "file" / "content")]
    one_line_error(capsys, args, "cannot be created", f"{tmp_path / 'file'} is a file")


@pytest.mark.parametrize("state", [
    b"[]", b'"text"', b"null", b'{"version": 1, "articles": []}', b'{"version": 1, "articles": {"u": "x"}}',
    b'{"version": 1, "articles": {"u": {"path": 5}}}', b'{"version": 1, "articles": {}, "run": 5}',
    b'{"version": 1, "articles": {}, "run": {"done": [1]}}', b'{"version": 2}', b"{", b"\xff\xfe\x00binary",
])
def test_state_file_of_the_wrong_shape(tmp_path, capsys, state):
    (tmp_path / "state").mkdir()
    (tmp_path / "state" / "crsa.json").write_bytes(state)
    one_line_error(capsys, crawl_args(tmp_path), f"state file {tmp_path / 'state' / 'crsa.json'}", "move it away")


def test_state_file_that_is_a_folder(tmp_path, capsys):
    (tmp_path / "state" / "crsa.json").mkdir(parents=True)
    one_line_error(capsys, crawl_args(tmp_path), "state file", "is unreadable")


@pytest.mark.parametrize("content", [bytes(range(256)) * 4, b"\x00\x01\x02", "[site]\nname = 1\n".encode("utf-16")])
def test_binary_profile(tmp_path, capsys, content):
    profile = tmp_path / "p.toml"
    profile.write_bytes(content)
    one_line_error(capsys, ["--profile", str(profile), "crawl"], "profile error", str(profile))


@pytest.mark.parametrize("profile", ["/", "/nonexistent/x.toml", "bad\0name.toml"])
def test_unreadable_profile(capsys, profile):
    one_line_error(capsys, ["--profile", profile, "page", "x.html"], "profile error")


@pytest.mark.parametrize("argv", [
    ["page", "http://[::1"],
    ["page", "https://"],
    ["page", "http://host:99999/"],
    ["page", "x.html", "--url", "http://[::1"],
    ["page", "x.html", "--base-url", "file:///etc"],
    ["crawl", "--base-url", "http://[::1"],
    ["crawl", "--base-url", "ftp://example.org"],
])
def test_bad_url_arguments(capsys, argv):
    one_line_error(capsys, argv, "URL")


@pytest.mark.parametrize("option, value", [
    ("--delay", "nan"), ("--delay", "inf"), ("--delay", "-1"), ("--delay", "soon"),
    ("--max-pages", "0"), ("--max-pages", "-1"), ("--concurrency", "0"), ("--column", "abc"),
    ("--since", "2021-13-01"),
])
def test_bad_numbers_and_dates(tmp_path, capsys, option, value):
    one_line_error(capsys, crawl_args(tmp_path, option, value), option if option != "--column" else "abc")


def test_unknown_column_id(tmp_path, capsys):
    one_line_error(capsys, crawl_args(tmp_path, "--column", "99"), "99")


@pytest.mark.parametrize("argv", [[], ["scrape"], ["crawl", "--no-such-option"]])
def test_usage_errors_are_one_line(capsys, argv):
    one_line_error(capsys, argv, "error", "see --help")


def test_page_of_unreadable_files(tmp_path, capsys):
    one_line_error(capsys, ["page", str(tmp_path / "missing.html")], "missing.html", "cannot read")
    one_line_error(capsys, ["page", str(tmp_path)], "cannot read")
    one_line_error(capsys, ["page", "a\0b.html"], "cannot read")


def test_bad_settings_file(tmp_path, capsys):
    one_line_error(capsys, crawl_args(tmp_path, "--settings", str(tmp_path / "none.py")), "none.py", "not found")
    broken = tmp_path / "broken.py"
    broken.write_text("THEME = (\n")
    one_line_error(capsys, crawl_args(tmp_path, "--settings", str(broken)), "broken.py", "cannot be read")


def test_hostile_text_in_the_summary_stays_one_line_and_is_not_markup(tmp_path, capsys):
    from scraper.crawl import Stats
    stats = Stats(problems=[("http://x/[/]a\nb", "reason [bold]x[/bold]\r\nmore")], left_out=[("http://x/[red]", "a\nb")])
    cli.print_summary(stats)
    lines = [line for line in capsys.readouterr().err.splitlines() if line.startswith(("FAILED", "LEFT OUT"))]
    assert lines == ["FAILED http://x/[/]a\\nb: reason [bold]x[/bold]\\r\\nmore", "LEFT OUT http://x/[red]: a\\nb"]


def test_real_command_line_prints_no_traceback(tmp_path):
    """The same through ``python -m scraper`` itself (stderr as a user sees it)."""
    import subprocess
    import sys
    profile = tmp_path / "p.toml"
    profile.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    result = subprocess.run([sys.executable, "-m", "scraper", "--profile", str(profile), "page", "http://[::1"],
                            cwd=FIXTURES.parents[2], capture_output=True, text=True, timeout=120)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "is not UTF-8 text" in result.stderr


@pytest.mark.parametrize("old, new, key", [
    ('lang = "zh-Hans"', "lang = 5", "[site] lang"),
    ('slug_prefix = "crsa-"', "slug_prefix = []", "[site] slug_prefix"),
    ('timezone = "Asia/Shanghai"', 'timezone = "Mars/Olympus"', "[site] timezone"),
    ('allowed_redirect_origins = ["https://www.crsa.net", "https://crsa.net"]', "allowed_redirect_origins = 1",
     "[site] allowed_redirect_origins"),
    ('image_extensions = ["jpg", "jpeg", "png", "gif", "webp", "bmp"]', "image_extensions = 1.5",
     "[media] image_extensions"),
    ('[media]', '[media_old]', "[media]"),
])
def test_profile_values_of_the_wrong_type(tmp_path, capsys, old, new, key):
    text = (FIXTURES.parents[2] / "scraper" / "sites" / "crsa.toml").read_text(encoding="utf-8")
    assert old in text
    text = text.replace(old, new)
    if key == "[media]":
        text = "media = 3\n" + text   # a value, not a table
    profile = tmp_path / "p.toml"
    profile.write_text(text, encoding="utf-8")
    one_line_error(capsys, ["--profile", str(profile), "page", str(FIXTURES / "news-article-4821.html")],
                   "profile error", key)


def test_saved_page_with_a_broken_canonical_link(tmp_path, capsys):
    page = (FIXTURES / "news-article-4821.html").read_text(encoding="utf-8")
    saved = tmp_path / "news-article-4821.html"
    saved.write_text(page.replace("<head>", '<head><link rel="canonical" href="http://[::1">', 1), encoding="utf-8")
    assert cli.main(["page", str(saved)]) == 0
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    assert "Source_url: https://www.crsa.net/news/article/4821\n" in captured.out   # from the file name


def test_page_says_when_crawl_would_not_write_the_post(tmp_path, capsys):
    page = (FIXTURES / "news-article-4821.html").read_text(encoding="utf-8")
    saved = tmp_path / "news-article-4821.html"
    saved.write_text(page.replace('content="交管动态"', 'content="未知栏目"'), encoding="utf-8")
    assert cli.main(["page", str(saved)]) == 1
    captured = capsys.readouterr()
    assert "Category: 未知栏目" in captured.out
    lines = [line for line in captured.err.splitlines() if line.startswith("NOT PUBLISHABLE")]
    assert len(lines) == 1 and "category '未知栏目' is not a news column" in lines[0]
