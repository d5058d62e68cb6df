"""The search step of an incremental `make site` equals a build from scratch (issue #15).

`make site` (``plugins.sitebuild``) builds into a fresh folder: the search plugin reuses the
records of unchanged articles, skips the index update when no record changed, and starts the export
from the previous site's files (hard links), writing only the files whose bytes change.  After each
edit — a body edited, an article deleted, an article added, nothing — the site's export and the
command line's results must be those of a build from scratch, and files that did not change must
be the previous site's very files (same inode: linked, not written again).
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "editors"))

import incremental_edits as edits  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
QUERIES = [("编辑补充", {}), ("新增文章", {}), ("交通", {}), ("安全", {"sort": "date", "limit": 5}),
           ("道路", {"page": 2}), ("traffic", {"lang": "en"}), ("交通", {"lang": "zh-hant", "column": "traffic"})]


def _inodes(folder: Path) -> dict:
    return {p.relative_to(folder).as_posix(): p.stat().st_ino for p in folder.rglob("*.js")}


def _cli_results(ws, output: Path) -> list:
    """What the command line prints for ``QUERIES`` against the site in ``output`` (its searcher)."""
    from pelican.settings import read_settings

    from plugins.search.query import Searcher

    settings = read_settings(str(ws.settings), override={"PATH": str(ws.content), "OUTPUT_PATH": str(output)})
    searcher = Searcher(settings)
    try:
        out = []
        for query, options in QUERIES:
            hits, total = searcher.search(query, **options)
            out.append((query, options, [hit.as_dict() for hit in hits], int(total), total.exact))
        return out
    finally:
        searcher.close()


def test_incremental_site_search_equals_a_build_from_scratch(tmp_path):
    rng = random.Random(7)
    ws = edits.make_workspace(tmp_path / "ws", 16, 7)
    output = tmp_path / "site" / "output"
    first = edits.build_incremental(ws, output)
    assert first.returncode == 0, first.stdout[-3000:] + first.stderr[-3000:]
    scratch = tmp_path / "scratch"
    for edit in (edits.edit_body, edits.delete_article, edits.add_article, edits.nothing):
        before = _inodes(output / "search")
        done = edit(ws, rng)
        result = edits.build_incremental(ws, output)
        assert result.returncode == 0, f"{done}:\n" + result.stdout[-3000:] + result.stderr[-3000:]
        after = _inodes(output / "search")
        kept = sum(1 for name, ino in after.items() if before.get(name) == ino)
        if edit is edits.nothing:
            assert kept == len(after) == len(before), f"{done}: {len(after) - kept} of {len(after)} files written"
        else:
            if edit is edits.edit_body:  # the other articles' document files are the previous site's
                written = [name for name, ino in after.items() if "/f/" in name and before.get(name) != ino]
                assert len(written) <= 2, f"{done}: document files written: {written}"
            scratch_result = edits.build_scratch(ws, scratch)
            assert scratch_result.returncode == 0, scratch_result.stderr[-3000:]
        diff = edits.differences(output, scratch / "out")
        assert not diff, f"{done}: the incremental site differs from a build from scratch:\n" + "\n".join(diff)
        assert _cli_results(ws, output) == _cli_results(ws, scratch / "out"), done
