"""`make serve`'s latency after a save, in a real browser (``python -m bench preview``).

On a copy of the bench corpus: start the command `make serve` runs (``python -m plugins.preview``),
wait for its first build, open one article's page and the column page that lists it in Debian's
chromium (Playwright), then save an edit of the post (its title, then its body) and reload both
tabs every ~100 ms until they show the new text.  Measured from the moment the file is saved:

* ``preview_article_s`` / ``preview_column_s`` — until the browser shows the edit (the fast path);
* ``preview_background_s`` — until the background build that follows has finished;

then the server is stopped and its output compared file by file with a build from scratch
(``tests/editors/incremental_edits.differences``): ``preview_identical_to_scratch``.
"""

from __future__ import annotations

import asyncio
import json
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-quic"]
POLL_S = 0.1


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve_command(content: Path, output: Path, port: int, settings: str = "pelicanconf.py") -> list[str]:
    """What `make serve CONTENT=… OUTPUT=… PORT=…` runs (the Makefile's recipe)."""
    return [sys.executable, "-m", "plugins.preview", "--content", str(content), "--settings", settings,
            "--output", str(output), "--port", str(port)]


def status(base: str) -> dict:
    with urllib.request.urlopen(base + "_preview/status", timeout=10) as answer:
        return json.loads(answer.read())


def wait_idle(base: str, proc, *, after: int = 0, timeout: float = 3600) -> dict:
    """Until the server has built every change it saw (and at least ``after`` of them)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the preview server exited with status {proc.returncode}")
        try:
            state = status(base)
        except OSError:
            state = None
        if state and state["seen"] >= after and state["built"] >= state["seen"] and not state["building"]:
            return state
        time.sleep(0.2)
    raise TimeoutError(f"the preview was not up to date after {timeout:.0f} s")


def _front(text: str) -> dict:
    head = text.split("\n\n", 1)[0]
    return {k.strip().lower(): v.strip() for k, v in (line.split(":", 1) for line in head.splitlines() if ":" in line)}


def pick_article(content: Path) -> Path:
    """An original post in the middle of the largest column: its column page is deep in the list."""
    posts = sorted(p for p in (content / "news").rglob("*.md") if not p.name.endswith(".en.md"))
    by_column: dict[str, list[Path]] = {}
    for post in posts:
        by_column.setdefault(post.relative_to(content / "news").parts[0], []).append(post)
    largest = max(by_column.values(), key=len)
    return largest[len(largest) // 2]


def article_url(post: Path) -> str:
    meta = _front(post.read_text(encoding="utf-8"))
    return f"news/{meta['date'][:4]}/{meta['date'][5:7]}/{meta['slug']}.html"


def column_page_of(output: Path, url: str) -> str:
    """The page of the article's column that links to it (news/<column>/index*.html; news/<year>/
    holds the year archives)."""
    name = url.rsplit("/", 1)[-1]
    for page in sorted((output / "news").glob("*/index*.html")):
        if page.parent.name.isdigit():
            continue
        text = page.read_text(encoding="utf-8")
        if re.search(r'href="[^"]*/' + re.escape(name) + '"', text):
            return page.relative_to(output).as_posix()
    raise LookupError(f"no column page links to {url}")


def edit_title(post: Path, marker: str) -> None:
    text = post.read_text(encoding="utf-8")
    post.write_text(re.sub(r"^Title: (.*)$", lambda m: f"Title: {m.group(1)}{marker}", text, count=1, flags=re.M),
                    encoding="utf-8")


def edit_body(post: Path, marker: str) -> None:
    text = post.read_text(encoding="utf-8")
    post.write_text(text.rstrip("\n") + f"\n\n编辑补充{marker}。\n", encoding="utf-8")


async def _poll_until_shown(page, url: str, marker: str, saved: float, timeout: float) -> float | None:
    """Reload ``url`` in ``page`` every ~``POLL_S`` until it shows ``marker``; seconds since the save."""
    while time.perf_counter() - saved < timeout:
        tick = time.perf_counter()
        await page.goto(url, wait_until="domcontentloaded")
        if marker in await page.content():
            return round(time.perf_counter() - saved, 3)
        await asyncio.sleep(max(0.0, POLL_S - (time.perf_counter() - tick)))
    return None


async def measure_edit(tabs: dict, base: str, edit, post: Path, marker: str, timeout: float = 120) -> dict:
    """Save the edit, then reload every page (each in its own tab, all at once) until it shows
    ``marker``.  ``written_s``: when the server had written the pages (the fast path's own record)."""
    edit(post, marker)
    saved, saved_epoch = time.perf_counter(), time.time()
    names = list(tabs)
    seen = await asyncio.gather(*(_poll_until_shown(tabs[n][0], base + tabs[n][1], marker, saved, timeout)
                                  for n in names))
    result = {"saved_at": saved, **{f"{name}_s": value for name, value in zip(names, seen, strict=True)}}
    fast = status(base)["fast_paths"][-1:]
    if fast and fast[0].get("done_at"):
        result["written_s"] = round(fast[0]["done_at"] - saved_epoch, 3)
    return result


async def browser_rounds(base: str, proc, post: Path, url: str, column: str, say) -> list[dict]:
    from playwright.async_api import async_playwright

    rounds = []
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            article_tab, column_tab = await browser.new_page(), await browser.new_page()
            await article_tab.goto(base + url)
            await column_tab.goto(base + column)
            plan = [("title", edit_title, {"article": (article_tab, url), "column": (column_tab, column)}),
                    ("body", edit_body, {"article": (article_tab, url)})]
            for number, (what, edit, tabs) in enumerate(plan, 1):
                before = status(base)["seen"]
                marker = f"〔预览{number}-{int(time.time()) % 100000}〕"
                timing = await measure_edit(tabs, base, edit, post, marker)
                await asyncio.to_thread(wait_idle, base, proc, after=before + 1)
                timing["background_s"] = round(time.perf_counter() - timing.pop("saved_at"), 2)
                timing["edit"] = what
                timing["fast_path"] = status(base)["fast_paths"][-1:]
                say(f"preview: {what} edit — {json.dumps(timing, ensure_ascii=False)}")
                rounds.append(timing)
        finally:
            await browser.close()
    return rounds


def run(content: Path, tmp: Path, *, say=print) -> dict:
    sys.path.insert(0, str(ROOT))
    from tests.editors.incremental_edits import differences

    work = tmp / "ws" / "content"
    shutil.copytree(content, work)
    output = tmp / "site" / "output"
    port = _free_port()
    base = f"http://127.0.0.1:{port}/"
    log = open(tmp / "serve.log", "w", encoding="utf-8")
    say(f"preview: {' '.join(serve_command(work, output, port)[1:])}")
    started = time.perf_counter()
    proc = subprocess.Popen(serve_command(work, output, port), cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    result: dict = {}
    try:
        state = wait_idle(base, proc, after=1)
        result["preview_first_build_s"] = round(time.perf_counter() - started, 1)
        if state["failures"]:
            raise RuntimeError(f"the first build failed: {state['last_error']}")
        post = pick_article(work)
        url = article_url(post)
        column = column_page_of(output, url)
        result.update({"preview_post": post.relative_to(work).as_posix(), "preview_article_url": url,
                       "preview_column_url": column})
        say(f"preview: first build {result['preview_first_build_s']} s; editing {post.name} ({url}, {column})")
        rounds = asyncio.run(browser_rounds(base, proc, post, url, column, say))
        result["preview_rounds"] = rounds
        result["preview_article_s"] = max(r["article_s"] for r in rounds if r["article_s"] is not None) \
            if all(r["article_s"] is not None for r in rounds) else None
        result["preview_column_s"] = rounds[0]["column_s"]
        result["preview_background_s"] = round(statistics.median(r["background_s"] for r in rounds), 1)
        try:
            for line in Path(f"/proc/{proc.pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    result["preview_server_peak_rss_mb"] = round(int(line.split()[1]) / 1024, 1)
        except OSError:
            pass
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()
    say("preview: a build from scratch of the edited content, to compare")
    scratch = tmp / "scratch" / "out"
    built = subprocess.run([sys.executable, "-m", "pelican", str(work), "-s", "pelicanconf.py", "-o", str(scratch),
                            "--fatal", "warnings"], cwd=ROOT, capture_output=True, text=True, timeout=7200)
    if built.returncode != 0:
        result["preview_scratch_error"] = (built.stdout + built.stderr)[-800:]
        result["preview_identical_to_scratch"] = None
    else:
        diff = differences(output, scratch)
        result["preview_differences"] = diff
        result["preview_identical_to_scratch"] = not diff
    return result
