"""The search index moves with the site.

`make site` runs Pelican with ``SEARCH_SWAP_WITH_OUTPUT``: the search plugin writes a new index
generation beside the live one and names it in the new site's ``search-generation.txt``, but leaves
``CURRENT`` alone.  The command line (``python -m plugins.search``, `make search`) opens the
generation the site in ``output/`` names, so swapping ``output/`` in makes the new index live in
the same step — a failed or killed build leaves both the old site and the old index.  Afterwards
``after_swap`` points ``CURRENT`` at it too (for tools without a site) and removes the
generations no built site names.  Sites built from one index folder are listed in its ``SITES``.
"""

from __future__ import annotations

import json
from pathlib import Path

from plugins.atomic_file import write_atomically
from plugins.search.index import remove_generations, write_pointer
from plugins.search.query import GENERATION_POINTER, index_dir

SITES = "SITES"


def enabled(settings) -> bool:
    return settings.get("SEARCH_ENABLED", True) is not False and "search" in (settings.get("PLUGINS") or [])


def _named(site: Path) -> str | None:
    try:
        name = (site / GENERATION_POINTER).read_text(encoding="utf-8").strip()
    except OSError:
        return None
    return name if name.startswith("gen-") and "/" not in name else None


def _sites(root: Path) -> list[str]:
    try:
        sites = json.loads((root / SITES).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    return [s for s in sites if isinstance(s, str)] if isinstance(sites, list) else []


def _write_sites(root: Path, sites: list[str]) -> None:
    write_atomically(root / SITES, json.dumps(sorted(set(sites)), ensure_ascii=False).encode("utf-8"))


def tidy(settings, output: Path) -> None:
    """Remove generations that neither ``CURRENT`` nor a built site names (a failed or killed
    build's).  Call it holding the build lock."""
    if not enabled(settings):
        return
    root = index_dir(dict(settings, OUTPUT_PATH=str(output)))
    if not root.is_dir():
        return
    keep = {name for name in (_named(Path(site)) for site in _sites(root) + [str(output)]) if name}
    try:
        current = (root / "CURRENT").read_text(encoding="utf-8").strip()
        keep.add(current)
    except OSError:
        pass
    if keep:
        remove_generations(root, keep)


def after_swap(settings, output: Path) -> None:
    """``output`` was just swapped in: ``CURRENT`` names its generation; unused ones go."""
    if not enabled(settings):
        return
    name = _named(output)
    if name is None:
        return
    root = index_dir(dict(settings, OUTPUT_PATH=str(output)))
    write_pointer(root / "CURRENT", root / name)
    sites = [s for s in _sites(root) if Path(s).is_dir()]
    _write_sites(root, sites + [str(output)])
    tidy(settings, output)
