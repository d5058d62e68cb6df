"""Helpers of tests/quality."""

from pathlib import Path


def all_pages(site: Path) -> list[Path]:
    """Every HTML page of every language."""
    return sorted(site.rglob("*.html"))
