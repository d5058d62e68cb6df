"""Incremental builds equal builds from scratch, byte for byte (issue #15, plugins/incremental).

A seeded sequence of editor's edits — body, title, date across a year boundary, column, tags,
Recommended/Hot, a translation added/edited/removed, an article added and deleted, a theme template
touched, a setting changed, nothing — and after each step ``make site``'s incremental build
(``plugins.sitebuild``: check, fresh folder from the previous site's pages, swap) is compared file
by file with a build from scratch.  Any difference fails, naming the step and the files.

``INCREMENTAL_ARTICLES`` (default 40), ``INCREMENTAL_STEPS`` (default: every kind of edit once),
``INCREMENTAL_SEED`` (default 15) change the run; the 2,000-article run is
``python tests/editors/incremental_edits.py --articles 2000`` (docs/performance.md).
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys

import pytest

sys.path.insert(0, os.path.dirname(__file__))

import incremental_edits as edits  # noqa: E402


def test_incremental_builds_equal_builds_from_scratch(tmp_path):
    n = int(os.environ.get("INCREMENTAL_ARTICLES", "40"))
    steps = int(os.environ.get("INCREMENTAL_STEPS", str(len(edits.EDITS))))
    seed = int(os.environ.get("INCREMENTAL_SEED", "15"))
    records = edits.run_sequence(tmp_path, n=n, steps=steps, seed=seed, say=lambda line: print(line))
    assert len(records) == steps
    kinds = {edit.split(":")[0].split(" of ")[0] for record in records for edit in record["edits"]}
    assert len(kinds) >= min(steps, 10), kinds
    by_kind = {record["edits"][0]: record for record in records if len(record["edits"]) == 1}
    # Every step rebuilt with the items' digests computed ahead by a second process (the workspace
    # asks for it on any size of site; plugins/incremental/ahead.py), and still equalled the scratch build.
    assert all(record.get("ahead", 0) > 0 for record in records), [r.get("ahead") for r in records]
    nothing = [r for e, r in by_kind.items() if e == "nothing changed"]
    if nothing:
        # Nothing changed: nothing rendered, nothing written.
        assert nothing[0]["rendered"] == 0 and nothing[0]["written"] == 0, nothing[0]
    bodies = [r for e, r in by_kind.items() if e.startswith("body of")]
    if bodies:
        # One body edited: a small part of the site is rendered again, not all of it.
        record = bodies[0]
        assert record["rendered"] < (record["rendered"] + record["skipped"]) / 2, record
    global_changes = [r for e, r in by_kind.items() if e.startswith(("template touched", "setting changed"))]
    for record in global_changes:
        # A template or a setting: every page is rendered again (the build cannot know what it changes).
        assert record["skipped"] == 0, record


def _site(tmp_path, n=12):
    ws = edits.make_workspace(tmp_path / "ws", n, 4)
    output = tmp_path / "site" / "output"
    result = edits.build_incremental(ws, output)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    return ws, output


def test_a_page_changed_by_hand_in_the_output_is_rendered_again(tmp_path):
    ws, output = _site(tmp_path)
    page = next(output.glob("news/*/*/crsa-*.html"))
    original = page.read_bytes()
    page.write_bytes(b"edited by hand")
    assert edits.build_incremental(ws, output).returncode == 0
    assert page.read_bytes() == original


def test_a_torn_record_or_cache_means_a_full_build_not_a_failure(tmp_path):
    from plugins.incremental.run import PAGES_FILE, state_dir

    ws, output = _site(tmp_path)
    folder = state_dir({"OUTPUT_PATH": str(output)})
    (folder / PAGES_FILE).write_bytes(b"\x80\x05torn")
    for cache in (folder / "content-cache").rglob("*Generator-Readers"):
        cache.write_bytes(cache.read_bytes()[:40])  # a build killed while Pelican saved its cache
    result = edits.build_incremental(ws, output)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    with open(folder / PAGES_FILE, "rb") as handle:
        counts = pickle.load(handle)["counts"]
    assert counts["skipped"] == 0 and counts["rendered"] > 0
    assert not edits.differences(output, _scratch(ws, tmp_path))


def test_the_previous_site_is_untouched_by_a_build_that_fails(tmp_path):
    """Pages are hard-linked from the previous site into the new build's folder: a page the new
    build changes is replaced, never changed in place, so a failed build leaves the old site whole."""
    ws, output = _site(tmp_path)
    before = edits.tree(output)
    post = edits.originals(ws)[0]
    post.write_text(post.read_text(encoding="utf-8") + "\n正文修改。\n", encoding="utf-8")
    # A broken internal link fails the link check after Pelican has written the new pages.
    (ws.theme / "templates" / "base.html").write_text(
        (ws.theme / "templates" / "base.html").read_text(encoding="utf-8").replace(
            "</footer>", '<a href="missing-page.html">x</a></footer>', 1), encoding="utf-8")
    result = edits.build_incremental(ws, output)
    assert result.returncode != 0
    assert edits.tree(output) == before


def _scratch(ws, tmp_path):
    result = edits.build_scratch(ws, tmp_path / "scratch")
    assert result.returncode == 0, result.stderr[-2000:]
    return tmp_path / "scratch" / "out"


@pytest.mark.parametrize("flag", ["INCREMENTAL_BUILD=false"])
def test_incremental_off_renders_everything_and_still_writes_the_same_site(tmp_path, flag):
    ws, output = _site(tmp_path)
    result = subprocess.run([sys.executable, "-m", "plugins.sitebuild", "--content", str(ws.content), "--settings",
                             str(ws.settings), "--output", str(output), "--", "-e", flag],
                            cwd=edits.ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert not edits.differences(output, _scratch(ws, tmp_path))


PNG_1 = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                      "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")


def test_images_are_linked_from_the_previous_site_and_replaced_when_their_source_changes(tmp_path):
    """An archive's images are most of its bytes: make site starts from the previous site's copies
    of unchanged ones, copies a changed one afresh, and never writes into the live site's copy."""
    ws = edits.make_workspace(tmp_path / "ws", 8, 4)
    (ws.content / "images").mkdir(exist_ok=True)
    image = ws.content / "images" / "photo.png"
    image.write_bytes(PNG_1)
    post = edits.originals(ws)[0]
    post.write_text(post.read_text(encoding="utf-8") + "\n![现场照片]({static}/images/photo.png)\n", encoding="utf-8")
    output = tmp_path / "site" / "output"
    assert edits.build_incremental(ws, output).returncode == 0
    copy = output / "images" / "photo.png"
    inode = copy.stat().st_ino
    assert edits.build_incremental(ws, output).returncode == 0
    assert copy.stat().st_ino == inode  # linked, not copied again

    # A changed image and a failing build: the live site's copy is untouched.
    image.write_bytes(PNG_1 + b"\0changed")
    os.utime(image, ns=(copy.stat().st_mtime_ns + 10**9, copy.stat().st_mtime_ns + 10**9))
    base = ws.theme / "templates" / "base.html"
    good = base.read_text(encoding="utf-8")
    base.write_text(good.replace("</footer>", '<a href="missing-page.html">x</a></footer>', 1), encoding="utf-8")
    assert edits.build_incremental(ws, output).returncode != 0
    assert copy.read_bytes() == PNG_1

    base.write_text(good, encoding="utf-8")
    assert edits.build_incremental(ws, output).returncode == 0
    assert copy.read_bytes() == PNG_1 + b"\0changed"
    assert not edits.differences(output, _scratch(ws, tmp_path))


def test_new_files_are_written_in_place_and_existing_ones_replaced_by_rename(tmp_path):
    """A page that did not exist is written where it goes (mode as ``open`` gives it, its folder
    made); one that exists is replaced by rename, so a hard link to the previous site keeps its
    bytes; unchanged bytes are not written at all."""
    sys.path.insert(0, str(edits.ROOT))
    from plugins.incremental.run import IncrementalRun

    output = tmp_path / "out"
    output.mkdir()
    run = IncrementalRun({"OUTPUT_PATH": str(output), "INCREMENTAL_STATE_DIR": str(tmp_path / "state"),
                          "PATH": str(tmp_path), "THEME": str(tmp_path / "no-theme")})
    new = output / "news" / "2026" / "a.html"
    run.write_if_changed(str(new), b"<p>new</p>")
    assert new.read_bytes() == b"<p>new</p>" and run.written == 1
    mask = os.umask(0)
    os.umask(mask)
    assert new.stat().st_mode & 0o777 == 0o666 & ~mask
    assert not [p for p in new.parent.iterdir() if p.name.endswith(".tmp")]

    previous = tmp_path / "previous.html"
    previous.write_bytes(b"<p>old</p>")
    linked = output / "linked.html"
    os.link(previous, linked)
    run.write_if_changed(str(linked), b"<p>old</p>")
    assert run.written == 1 and linked.stat().st_ino == previous.stat().st_ino  # same bytes: untouched
    run.write_if_changed(str(linked), b"<p>changed</p>")
    assert linked.read_bytes() == b"<p>changed</p>" and run.written == 2
    assert previous.read_bytes() == b"<p>old</p>", "the previous site's file was written through its link"


def _record(output):
    from plugins.incremental.run import PAGES_FILE, state_dir

    with open(state_dir({"OUTPUT_PATH": str(output)}) / PAGES_FILE, "rb") as handle:
        return pickle.load(handle)


def test_a_new_tag_renders_the_pages_that_show_it_not_every_article_page(tmp_path):
    """An article added with a tag no other article has: a hidden or draft article's page names its
    tags without a link when they have no page, but a published article's page does not depend on
    which tags the site has (it used to: every article page was rendered again for a new tag)."""
    ws, output = _site(tmp_path)
    name, slug = edits.COLUMNS[0]
    folder = ws.content / "news" / slug / "2010"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "crsa-800001.md").write_text(
        f"Title: 隐藏的文章\nDate: 2010-01-05 10:00\nCategory: {name}\nSlug: crsa-800001\nLang: zh-Hans\n"
        "Status: hidden\nTags: 只在隐藏文章里\n\n隐藏文章的正文。\n", encoding="utf-8")
    extra = ["--", "-e", "INCREMENTAL_EXPLAIN=true"]
    result = subprocess.run([sys.executable, "-m", "plugins.sitebuild", "--content", str(ws.content), "--settings",
                             str(ws.settings), "--output", str(output), *extra],
                            cwd=edits.ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    hidden = (output / "news" / "2010" / "01" / "crsa-800001.html").read_text(encoding="utf-8")
    assert '<span class="tag">只在隐藏文章里</span>' in hidden  # its tag has no page: no link

    (folder / "crsa-800002.md").write_text(
        f"Title: 新增文章\nDate: 2010-01-06 10:00\nCategory: {name}\nSlug: crsa-800002\nLang: zh-Hans\n"
        "Tags: 只在隐藏文章里, 另一个新标签\n\n新增文章的正文。\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "plugins.sitebuild", "--content", str(ws.content), "--settings",
                             str(ws.settings), "--output", str(output), *extra],
                            cwd=edits.ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    record = _record(output)
    counts, reasons = record["counts"], record["reasons"]
    assert not [page for page, why in reasons.items() if "tag" in why and "crsa-8000" not in page
                and page.startswith(("news/", "zh-hant/news/", "en/news/"))
                and page.rsplit("/", 1)[-1].startswith("crsa-")], reasons
    assert counts["rendered"] < (counts["rendered"] + counts["skipped"]) / 2, counts
    # The tag now has a page (a published article has it): the hidden article links it.
    hidden = (output / "news" / "2010" / "01" / "crsa-800001.html").read_text(encoding="utf-8")
    assert '<a class="tag" href=' in hidden and '<span class="tag">' not in hidden
    assert not edits.differences(output, _scratch(ws, tmp_path))
