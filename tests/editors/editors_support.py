"""Shared by tests/editors: settings of the shape pelicanconf.py has once English exists, and a tiny content tree."""

import os
import subprocess
import sys
from pathlib import Path

# The project root (not imported from tests/conftest.py: with no packages under tests/, another
# directory's conftest module can shadow it).
ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def run_pelican(content: Path, output: Path, settings: str = "pelicanconf.py"):
    """Pelican as `make site` runs it (warnings fatal), with a wide log so messages are not wrapped."""
    cmd = [sys.executable, "-m", "pelican", str(content), "-s", str(ROOT / settings), "-o", str(output),
           "--fatal", "warnings"]
    env = dict(os.environ, COLUMNS="400")
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, env=env, timeout=600)

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


def write_files(content: Path, files: dict) -> None:
    """Files under ``content``: bytes or text, ``"fifo"`` for a named pipe, ``("link", target)`` for a
    symbolic link."""
    for rel, value in files.items():
        path = content / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if value == "fifo":
            os.mkfifo(path)
        elif isinstance(value, tuple):
            os.symlink(value[1], path)
        else:
            path.write_bytes(value.encode("utf-8") if isinstance(value, str) else value)
