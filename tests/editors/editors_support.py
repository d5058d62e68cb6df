"""Shared by tests/editors: settings of the shape pelicanconf.py has once English exists, and a tiny content tree."""

from pathlib import Path

# The project's columns and the three languages (繁體 generated, so never written by editors).
SETTINGS = {
    "NEWS_COLUMNS": [("交管动态", "traffic"), ("协会动态", "association"), ("行业动态", "industry")],
    "DEFAULT_LANG": "zh-hans",
    "SITE_LANGUAGES": [
        {"code": "zh-hans", "tag": "zh-Hans", "prefix": ""},
        {"code": "zh-hant", "tag": "zh-Hant", "prefix": "zh-hant/", "source": "opencc"},
        {"code": "en", "tag": "en", "prefix": "en/"},
    ],
    "ARTICLE_PATHS": ["news"],
    "PAGE_PATHS": ["pages"],
    "STATIC_PATHS": ["images", "news"],
    "IGNORE_FILES": ["**/.*", "*.scraped.md", "*.scraped.md.tmp*"],
    "TIMEZONE": "Asia/Shanghai",
}

GOOD = """Title: 测试文章
Date: 2022-03-01 10:00
Category: 交管动态
Slug: test-article
Lang: zh-Hans
Summary: 一句话摘要。

正文。
"""

POST = "content/news/traffic/2022/x.md"


def write_tree(root: Path, files: dict) -> Path:
    """Write ``{relative path: text or bytes}`` under ``root``; return ``root / "content"``."""
    for rel, data in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8")
    (root / "content").mkdir(exist_ok=True)
    return root / "content"
