"""Scraper throughput: parse + sanitise + convert, pages per second, one core, no network.

    python -m bench.scraper_throughput [N_PAGES]

Pages are variants of the saved article (tests/fixtures/cctssa/news-article-4821.html,
~10 KB): paragraphs rotated and ids changed so that no two pages are identical.
The baseline is plain BeautifulSoup+lxml parsing + markdownify of the same pages,
measured in the same run.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bs4 import BeautifulSoup  # noqa: E402
from markdownify import MarkdownConverter  # noqa: E402

from scraper.pipeline import process_page  # noqa: E402
from scraper.profile import load_profile  # noqa: E402

FIXTURE = ROOT / "tests" / "fixtures" / "cctssa" / "news-article-4821.html"


def make_pages(n: int) -> list[tuple[str, str]]:
    """n distinct (url, html) pages of roughly the fixture's size."""
    html = FIXTURE.read_text(encoding="utf-8")
    head, rest = html.split('<div class="TRS_Editor">\n', 1)
    body, tail = rest.split("</div>\n      </div>", 1)
    paras = body.strip().split("\n")
    pages = []
    for i in range(n):
        k = i % len(paras)
        rotated = paras[k:] + paras[:k]
        page = head + '<div class="TRS_Editor">\n' + "\n".join(rotated) + "\n</div>\n      </div>" + tail
        page = page.replace("2021-12-20 09:30", f"2021-12-{1 + i % 28:02d} 09:30")
        pages.append((f"https://www.crsa.net/news/article/{10000 + i}", page))
    return pages


def _pin_one_core() -> None:
    if hasattr(os, "sched_setaffinity"):
        try:
            os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
        except OSError:
            pass


def _rate(fn, pages) -> float:
    for url, page in pages[:20]:  # warm up
        fn(url, page)
    start = time.perf_counter()
    for url, page in pages:
        fn(url, page)
    return len(pages) / (time.perf_counter() - start)


def run(n_pages: int = 500) -> dict:
    _pin_one_core()
    profile = load_profile()
    pages = make_pages(n_pages)
    converter = MarkdownConverter()

    def scraper(url: str, page: str) -> None:
        process_page(page, url, profile)

    def baseline(url: str, page: str) -> None:
        converter.convert_soup(BeautifulSoup(page, "lxml"))

    scraper_rate = _rate(scraper, pages)
    baseline_rate = _rate(baseline, pages)
    avg_kb = sum(len(p.encode("utf-8")) for _, p in pages) / len(pages) / 1024
    return {
        "scraper_pages_per_s": round(scraper_rate, 1),
        "baseline_pages_per_s": round(baseline_rate, 1),
        "speedup_vs_baseline": round(scraper_rate / baseline_rate, 2),
        "pages": len(pages),
        "avg_page_kb": round(avg_kb, 1),
    }


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    result = run(int(argv[0]) if argv else 500)
    for key, value in result.items():
        print(f"{key}: {value}")


if __name__ == "__main__":
    main()
