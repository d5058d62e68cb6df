"""Helpers for the scraper tests: the capture served by a real local HTTP server (pytest-httpserver).

(Not in conftest.py: ``from conftest import`` is ambiguous with several conftest files.)
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from scraper.crawl import Crawler  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures" / "cctssa"
SAMPLE_POST = ROOT / "content" / "news" / "traffic" / "2021" / "crsa-4821.md"
FAST_ROBOTS = "User-agent: *\nDisallow: /member/\nCrawl-delay: 0.001\n"


def serve_capture(httpserver, robots: str | None = FAST_ROBOTS, headers: dict | None = None) -> str:
    """Serve tests/fixtures/cctssa via routes.json; return the base URL. ``robots=None`` serves the real file."""
    routes = json.loads((FIXTURES / "routes.json").read_text(encoding="utf-8"))
    for path, route in routes.items():
        body = (FIXTURES / route["file"]).read_bytes()
        if path == "/robots.txt" and robots is not None:
            body = robots.encode()
        httpserver.expect_request(path).respond_with_data(
            body, content_type=route["content_type"], headers=headers or {}
        )
    return httpserver.url_for("/").rstrip("/")


def make_crawler(profile, tmp_path, base_url, **kwargs) -> Crawler:
    kwargs.setdefault("delay", 0.0)
    return Crawler(profile, content_dir=tmp_path / "content", state_dir=tmp_path / "state", base_url=base_url,
                   **kwargs)


def list_page(items: list[tuple[str, str, str]], pages: str = '<span class="cur">1</span>') -> str:
    """A column list page in the live template: items are (href, date, title)."""
    lis = "".join(f'<li><span class="time">{d}</span><a href="{h}" title="{t}">{t}</a></li>' for h, d, t in items)
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>交管动态</title></head><body>'
        f'<div class="list-con"><ul class="news-list">{lis}</ul><div class="page">{pages}</div></div>'
        "</body></html>"
    )


def article_page(
    title: str = "测试文章",
    body: str = "<p>　　正文第一段。</p>",
    pubdate: str | None = "2022-03-04 08:15",
    column: str = "交管动态",
    badge: bool = False,
) -> str:
    """An article page in the live template."""
    meta_date = f'<meta name="PubDate" content="{pubdate}">' if pubdate else ""
    tj = '<span class="tj">最新推荐</span>' if badge else ""
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8">'
        f'<meta name="ArticleTitle" content="{title}">{meta_date}'
        f'<meta name="ContentSource" content="中国道路交通安全协会"><meta name="ColumnName" content="{column}">'
        f'<title>{title}-中国道路交通安全协会</title></head><body>'
        '<div class="top">中国道路交通安全协会主办</div><div class="nav"><a href="/">首页</a></div>'
        '<div class="detail"><div class="detail-side"><div class="lanmu"><a href="/news/list/12">交管动态</a></div>'
        '<div class="tools"><a href="javascript:void(0);" class="print">打印</a></div></div>'
        f'<div class="detail-con"><h1 class="detail-tit">{title}{tj}</h1><div class="detail-zy">摘要。</div>'
        f'<div class="detail-txt" id="zoom">{body}</div></div></div>'
        '<div class="hot"><div class="hot-tit">热门新闻</div></div>'
        '<div class="copyright"><h4>版权声明</h4></div><div class="foot">版权所有</div></body></html>'
    )
