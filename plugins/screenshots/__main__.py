"""Screenshots of the article page, the search page (with filters) and the print view in each
language, for docs/screenshots/ — ``make screenshots``, never by hand.

    python -m plugins.screenshots [--content content] [--corpus 40] [--out docs/screenshots]

Builds ``--content`` plus a small generated archive (bench/corpus.py, so the article has previous/
next and related articles) with ``publishconf.py`` and ``SITEURL`` set to a local address (so the
WeChat QR code is drawn as in the published site), serves it on 127.0.0.1 and photographs it with
Debian's chromium through Playwright: ``<lang>-article.png``, ``<lang>-search.png``,
``<lang>-print.png`` for 简体 (``zh-hans``), 繁體 (``zh-hant``) and English (``en``).
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import http.server
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
ARTICLE = "news/2021/12/crsa-4821.html"
# (language folder, file prefix, a search that finds several articles, with a column filter)
LANGUAGES = [("", "zh-hans", "交通安全"), ("zh-hant/", "zh-hant", "交通安全"), ("en/", "en", "traffic")]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def build(content: Path, corpus: int, output: Path, siteurl: str) -> None:
    work = output.parent / "content"
    shutil.copytree(content, work)
    if corpus:
        sys.path.insert(0, str(ROOT / "bench"))
        from corpus import generate_articles, write_corpus

        write_corpus(generate_articles(corpus, seed=7), work)
    cmd = [sys.executable, "-m", "pelican", str(work), "-s", str(ROOT / "publishconf.py"), "-o", str(output),
           "--fatal", "warnings", "-e", "DELETE_OUTPUT_DIRECTORY=false"]
    result = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, env={**os.environ, "SITEURL": siteurl})
    if result.returncode != 0:
        raise SystemExit(f"the build failed:\n{result.stdout}\n{result.stderr}")


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextlib.contextmanager
def serving(site: Path, port: int):
    """The built site on http://127.0.0.1:<port>/ (the port its SITEURL names) while the block runs."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        server.shutdown()
        server.server_close()


def photograph(site: Path, port: int, out: Path) -> list[Path]:
    from playwright.sync_api import sync_playwright

    written = []
    with serving(site, port) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for folder, name, query in LANGUAGES:
                # The whole article page (down to share, previous/next and related), at 60 % scale.
                whole = browser.new_page(viewport={"width": 1280, "height": 1100}, device_scale_factor=0.6)
                whole.goto(f"{base}{folder}{ARTICLE}", wait_until="load")
                written.append(_shot(whole, out / f"{name}-article.png", full_page=True))
                whole.close()
                page = browser.new_page(viewport={"width": 1280, "height": 1100}, device_scale_factor=1)
                page.goto(f"{base}{folder}{ARTICLE}", wait_until="load")
                page.emulate_media(media="print")
                page.set_viewport_size({"width": 900, "height": 1270})
                written.append(_shot(page, out / f"{name}-print.png", full_page=False))
                page.emulate_media(media="screen")
                page.set_viewport_size({"width": 1280, "height": 1100})
                page.goto(f"{base}{folder}search.html?q={query}&column=traffic&sort=date", wait_until="load")
                page.wait_for_function("document.querySelector('[data-search-status]')"
                                       " && document.querySelector('[data-search-status]').textContent.trim() !== ''"
                                       " && !document.querySelector('[data-search-status]').textContent.includes('…')",
                                       timeout=20000)
                written.append(_shot(page, out / f"{name}-search.png", full_page=False))
                page.close()
        finally:
            browser.close()
    return written


def _shot(page, path: Path, full_page: bool) -> Path:
    page.screenshot(path=str(path), full_page=full_page)
    return path


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--content", type=Path, default=ROOT / "content")
    parser.add_argument("--corpus", type=int, default=40, help="generated articles added to the content (0: none)")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args(argv)
    if not Path(CHROMIUM).exists():
        raise SystemExit(f"{CHROMIUM} is missing: `make system-deps` installs Debian's chromium")
    args.out.mkdir(parents=True, exist_ok=True)
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="screenshots-") as tmp:
        site = Path(tmp) / "site"
        build(args.content, args.corpus, site, f"http://127.0.0.1:{port}")
        for path in photograph(site, port, args.out):
            print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
