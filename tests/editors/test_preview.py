"""`make serve` (plugins/preview) in a real browser: a saved post is shown on its article page and
its column page, the background build then leaves exactly what a build from scratch makes, and a
post that cannot be read is reported by name while the server keeps serving the last good site.

Waits are generous polls (the machine is shared); nothing here is timed — bench/preview_bench.py
measures the latency.
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from build_helpers import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from incremental_edits import build_scratch, differences, make_workspace  # noqa: E402
from watchfiles import Change  # noqa: E402

from bench.preview_bench import (  # noqa: E402
    _free_port,
    article_url,
    column_page_of,
    edit_title,
    pick_article,
    serve_command,
    status,
    wait_idle,
)
from plugins.preview.watch import classify  # noqa: E402

WAIT_S = 30


def _poll(page, url: str, text: str, timeout: float = WAIT_S) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        page.goto(url, wait_until="domcontentloaded")
        if text in page.content():
            return True
        time.sleep(0.2)
    return False


def _wait_for(condition, timeout: float = 120) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def test_preview_shows_a_saved_post_and_ends_equal_to_a_build_from_scratch(tmp_path):
    from playwright.sync_api import sync_playwright

    ws = make_workspace(tmp_path / "ws", 30, 7)
    output = tmp_path / "site" / "output"
    port = _free_port()
    base = f"http://127.0.0.1:{port}/"
    log_path = tmp_path / "serve.log"
    with open(log_path, "w", encoding="utf-8") as log:
        proc = subprocess.Popen(serve_command(ws.content, output, port, settings=str(ws.settings)), cwd=ROOT,
                                stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_idle(base, proc, after=1, timeout=300)
        post = pick_article(ws.content)
        url = article_url(post)
        column = column_page_of(output, url)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                page = browser.new_page()
                page.goto(base + url)
                assert "〔预览〕" not in page.content()
                edit_title(post, "〔预览〕")
                assert _poll(page, base + url, "〔预览〕"), log_path.read_text(encoding="utf-8")
                assert "〔预览〕" in page.locator("h1").first.inner_text()
                assert _poll(page, base + column, "〔预览〕"), log_path.read_text(encoding="utf-8")
                # The 繁體 page shows the converted title (预览 → 預覽).
                assert _poll(page, base + "zh-hant/" + url, "〔預覽〕"), log_path.read_text(encoding="utf-8")
                # An English translation: its own page.
                translation = next(p for p in sorted((ws.content / "news").rglob("*.en.md")))
                edit_title(translation, " [preview]")
                assert _poll(page, base + "en/" + article_url(translation), "[preview]"), \
                    log_path.read_text(encoding="utf-8")
            finally:
                browser.close()
        state = wait_idle(base, proc, after=status(base)["seen"], timeout=300)
        assert state["failures"] == 0, state
        shown = {Path(f["file"]).name for f in state["fast_paths"] if f["outcome"] == "shown"}
        assert {post.name, translation.name} <= shown, state

        # A post that cannot be read: named, and the last good site is still served.
        broken = next(p for p in sorted((ws.content / "news").rglob("*.md")) if p != post and ".en." not in p.name)
        good = broken.read_text(encoding="utf-8")
        failures = state["failures"]
        broken.write_text(re.sub(r"^Date: .*$", "Date: 2019-13-45 99:99", good, count=1, flags=re.M), encoding="utf-8")
        assert _wait_for(lambda: status(base)["failures"] > failures and not status(base)["building"])
        assert broken.name in status(base)["last_error"]
        assert _wait_for(lambda: log_path.read_text(encoding="utf-8").count(broken.name) >= 2)
        lines = [line for line in log_path.read_text(encoding="utf-8").splitlines() if broken.name in line]
        assert all("Traceback" not in line for line in lines), lines
        with urllib.request.urlopen(base + url, timeout=10) as answer:
            assert answer.status == 200 and "〔预览〕" in answer.read().decode("utf-8")
        assert proc.poll() is None

        broken.write_text(good, encoding="utf-8")
        seen = status(base)["seen"]
        assert _wait_for(lambda: status(base)["seen"] > seen)
        state = wait_idle(base, proc, after=seen + 1, timeout=300)
        assert state["last_error"] is None, state
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    assert "Traceback" not in log_path.read_text(encoding="utf-8")
    scratch = build_scratch(ws, tmp_path / "scratch")
    assert scratch.returncode == 0, scratch.stderr[-2000:]
    assert differences(output, tmp_path / "scratch" / "out") == []


@pytest.mark.parametrize("name, posts, build", [
    ("news/traffic/2020/crsa-1.md", ["news/traffic/2020/crsa-1.md"], True),
    ("news/traffic/2020/.crsa-1.md.swp", [], False),
    ("news/traffic/2020/crsa-1.scraped.md", [], False),
    ("news/traffic/2020/photo.png", [], True),
])
def test_classify_changes(tmp_path, name, posts, build):
    content = tmp_path / "content"
    path = content / name
    path.parent.mkdir(parents=True)
    path.write_text("x", encoding="utf-8")
    batch = classify({(Change.modified, str(path))}, content=str(content), settings_file=str(tmp_path / "s.py"),
                     ignore_patterns=[".*", "**/.*", "*.scraped.md"])
    assert batch.posts == [str(content / p) for p in posts]
    assert batch.build is build
    deleted = classify({(Change.deleted, str(content / "news/gone.md"))}, content=str(content),
                       settings_file=str(tmp_path / "s.py"), ignore_patterns=[])
    assert deleted.posts == [] and deleted.build


def test_make_serve_runs_the_preview():
    recipe = (ROOT / "Makefile").read_text(encoding="utf-8").split("\nserve:", 1)[1].split("\n\n", 1)[0]
    assert "-m plugins.preview" in recipe and "--port $(PORT)" in recipe and "--quick" in recipe
