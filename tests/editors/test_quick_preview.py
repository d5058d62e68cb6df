"""`make serve QUICK=1`: a faster preview of 简体 and English only, without search.

The Makefile passes ``--quick`` to plugins/preview, which builds with its ``QUICK_OVERRIDES``
(``BUILD_LANGUAGES=[…]``, ``SEARCH_ENABLED=false``); the same settings, given to Pelican here, must
give a consistent site: no 繁體 pages, no search page, export or search box, a toggle
that offers only what was built, and no broken link.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from build_helpers import run_pelican  # noqa: E402

from plugins.preview.__main__ import QUICK_OVERRIDES  # noqa: E402
from plugins.sitebuild.links import broken_links  # noqa: E402


def quick_settings() -> list[str]:
    """``-e`` arguments for Pelican: what `make serve QUICK=1` (``--quick``) overrides."""
    return ["-e"] + [f"{key}={json.dumps(value)}" for key, value in QUICK_OVERRIDES.items()]


def test_quick_preview_builds_simplified_and_english_without_search(tmp_path):
    out = tmp_path / "out"
    result = run_pelican(ROOT / "content", out, *quick_settings(), env={"PYTHONPATH": str(ROOT)})
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
    assert (out / "index.html").exists() and (out / "en" / "index.html").exists()
    assert not (out / "zh-hant").exists()
    assert not (out / "search").exists() and not list(out.rglob("search.html"))
    for page in out.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "site-search" not in text, page
        assert 'hreflang="zh-Hant"' not in text and "zh-hant/" not in text, page
    assert broken_links(out) == []
    assert not (tmp_path / ".search-index").exists()


def test_unknown_language_is_named(tmp_path):
    result = run_pelican(ROOT / "content", tmp_path / "out", "-e", 'BUILD_LANGUAGES=["zh-hans", "fr"]')
    assert result.returncode != 0
    assert "BUILD_LANGUAGES" in result.stdout + result.stderr and "fr" in result.stdout + result.stderr
