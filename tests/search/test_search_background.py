"""The search step forked beside Pelican's rendering (``plugins/search/background.py``): the same site
and index as the step run after rendering, and its failures are the build's failures."""

from __future__ import annotations

import gc
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))

import build_helpers  # noqa: E402

from bench import corpus  # noqa: E402
from plugins.search import background  # noqa: E402

pytestmark = pytest.mark.skipif(not background.available(), reason="needs fork")


class Unpicklable(Exception):
    def __reduce__(self):
        raise TypeError("no")


def test_the_childs_result_comes_back():
    job = background.start(lambda: {"documents": 3, "pid": os.getpid()})
    result = job.wait()
    assert result["documents"] == 3 and result["pid"] != os.getpid()


def test_the_childs_exception_is_raised_in_the_parent_as_itself():
    job = background.start(lambda: int("not a number"))
    with pytest.raises(ValueError, match="not a number"):
        job.wait()


def test_an_exception_that_cannot_travel_is_named():
    def step():
        raise Unpicklable("the index folder is odd")

    with pytest.raises(background.SearchStepFailed, match="Unpicklable: the index folder is odd"):
        background.start(step).wait()


def test_a_child_that_dies_without_a_report_fails_the_wait():
    job = background.start(lambda: os._exit(3))
    with pytest.raises(background.SearchStepFailed, match="exit status 3"):
        job.wait()


def test_a_child_nobody_waits_for_is_stopped_and_the_heap_thawed():
    assert gc.get_freeze_count() == 0
    job = background.start(lambda: time.sleep(60))
    assert gc.get_freeze_count() > 0  # the parent's heap stays frozen while the child shares it
    started = time.monotonic()
    job.kill()
    assert time.monotonic() - started < 10
    assert job.pid is None and gc.get_freeze_count() == 0
    job.kill()  # twice is harmless


def _gated_step(folder: Path):
    """A step that marks what it did before and after the gate."""
    def step():
        (folder / "before").write_text("computed")
        background.pass_gate()
        (folder / "after").write_text("written")
        return "done"
    return step


def _settle(path: Path, seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while not path.exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    return path.exists()


def test_a_gated_child_computes_but_writes_only_once_the_gate_opens(tmp_path):
    job = background.start(_gated_step(tmp_path), gated=True)
    assert _settle(tmp_path / "before")
    time.sleep(0.3)
    assert not (tmp_path / "after").exists(), "the child went past a closed gate"
    job.open_gate()
    assert job.wait() == "done"
    assert (tmp_path / "after").read_text() == "written"


def test_waiting_for_a_gated_child_opens_its_gate(tmp_path):
    job = background.start(_gated_step(tmp_path), gated=True)
    assert job.wait() == "done" and (tmp_path / "after").exists()


def test_a_gated_child_of_a_build_that_stopped_never_passes_the_gate(tmp_path):
    job = background.start(_gated_step(tmp_path), gated=True)
    assert _settle(tmp_path / "before")
    job.kill()
    time.sleep(0.3)
    assert not (tmp_path / "after").exists()


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux's /proc")
def test_a_gated_child_whose_build_died_never_passes_the_gate(tmp_path):
    """The build dies between the fork and the check's end: its step writes nothing."""
    script = (f"import sys, time, pathlib\nsys.path.insert(0, {str(ROOT)!r})\n"
              "from plugins.search import background\n"
              f"folder = pathlib.Path({str(tmp_path)!r})\n"
              "def step():\n"
              "    (folder / 'before').write_text('computed')\n"
              "    background.pass_gate()\n"
              "    (folder / 'after').write_text('written')\n"
              "job = background.start(step, gated=True)\n"
              "print(job.pid, flush=True)\ntime.sleep(120)\n")
    _step_of_killed_build(script, lambda step: _settle(tmp_path / "before"))
    assert not (tmp_path / "after").exists()


def _step_of_killed_build(script: str, running) -> int:
    """Run ``script`` (a build that forks a step and prints its pid), check ``running(pid)`` while it
    runs, kill the build, and wait up to 10 s for the step to stop; fails if it does not."""
    build = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        step = int(build.stdout.readline())
        assert running(step)
    finally:
        build.kill()
        build.wait()
    deadline = time.monotonic() + 10
    while _alive(step) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _alive(step), "the search step outlived the build that started it"
    return step


# A 1×1 PNG.
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082")


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")  # a zombie waits for init to reap it: it runs nothing


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux's /proc")
def test_a_step_whose_build_was_killed_stops_too():
    """A killed `make site` must not leave its search step writing into the index folder."""
    script = (f"import sys, time\nsys.path.insert(0, {str(ROOT)!r})\n"
              "from plugins.search import background\n"
              "job = background.start(lambda: time.sleep(120))\n"
              "print(job.pid, flush=True)\ntime.sleep(120)\n")
    _step_of_killed_build(script, _alive)


@pytest.fixture(scope="module")
def content(tmp_path_factory):
    folder = tmp_path_factory.mktemp("background") / "content"
    corpus.write_corpus(corpus.generate_articles(14, 5), folder)
    # Links that resolve only once Pelican has listed the static files, after the step has started:
    # an image (static), an attachment beside the post (attach) and another post (filename).
    (folder / "images").mkdir()
    (folder / "images" / "photo.png").write_bytes(PNG)
    posts = sorted(p for p in (folder / "news").rglob("*.md") if not p.name.endswith(".en.md"))
    (posts[0].parent / "notice.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    text = posts[0].read_text(encoding="utf-8")
    other = posts[1].relative_to(posts[0].parent).as_posix() if posts[1].parent == posts[0].parent else None
    extra = "\n\n![现场照片]({static}/images/photo.png)\n\n[通知全文]({attach}notice.pdf)\n"
    if other:
        extra += f"\n[相关报道]({{filename}}{other})\n"
    posts[0].write_text(text + extra, encoding="utf-8")
    return folder


def _build(content, output, background_step: bool, *settings: str):
    return build_helpers.run_pelican(content, output, "-e", f"SEARCH_IN_BACKGROUND={str(background_step).lower()}",
                                     "READ_PROCS=1", *settings)


def _files(folder: Path) -> dict:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_the_site_and_the_export_equal_those_of_the_step_after_rendering(content, tmp_path):
    after = _build(content, tmp_path / "after" / "out", False)
    assert after.returncode == 0, after.stderr[-3000:]
    beside = _build(content, tmp_path / "beside" / "out", True)
    assert beside.returncode == 0, beside.stderr[-3000:]
    one, two = _files(tmp_path / "after" / "out"), _files(tmp_path / "beside" / "out")
    # The index generation's name is random; the generation's files are compared below.
    one.pop("search-generation.txt"), two.pop("search-generation.txt")
    assert sorted(one) == sorted(two)
    assert [name for name in one if one[name] != two[name]] == []
    assert any(name.startswith("search/") for name in two)

    # The command line answers the same from both indexes.
    assert _cli(content, tmp_path / "after" / "out") == _cli(content, tmp_path / "beside" / "out")


def _cli(content: Path, output: Path) -> list:
    from pelican.settings import read_settings

    from plugins.search.query import Searcher

    settings = read_settings(str(ROOT / "pelicanconf.py"), override={"PATH": str(content), "OUTPUT_PATH": str(output)})
    searcher = Searcher(settings)
    try:
        out = []
        for query in ("交通", "安全 道路", "traffic"):
            hits, total = searcher.search(query)
            out.append((query, [hit.as_dict() for hit in hits], int(total)))
        assert out[0][1], "the index answers nothing"
        return out
    finally:
        searcher.close()


def test_a_failing_search_step_fails_the_build_with_its_own_message(content, tmp_path):
    messages = {}
    for mode in (False, True):
        run = tmp_path / f"run-{mode}"
        run.mkdir()
        (run / ".search-index").write_text("not a folder", encoding="utf-8")
        result = _build(content, run / "out", mode)
        assert result.returncode != 0
        log = result.stdout + result.stderr
        first = re.search(r"CRITICAL\s+(.*?)\s{2,}", log)
        assert first, log[-3000:]
        messages[mode] = first.group(1).replace(str(run), "<run>")
    assert messages[True] == messages[False]
    assert "File exists" in messages[True], messages


def test_the_step_forks_before_the_articles_are_checked_and_writes_nothing_when_they_fail(content, tmp_path):
    """pelicanconf.py registers the search before content_guard, so its step is forked before the
    check; a post the check refuses stops the build, and the step writes no index and no export."""
    from pelican.settings import read_settings

    plugins = read_settings(str(ROOT / "pelicanconf.py"))["PLUGINS"]
    assert plugins.index("search") < plugins.index("content_guard")
    hostile = tmp_path / "content"
    subprocess.run(["cp", "-r", str(content), str(hostile)], check=True)
    post = sorted(p for p in (hostile / "news").rglob("*.md") if not p.name.endswith(".en.md"))[-1]
    post.write_text(post.read_text(encoding="utf-8") + '\n\n<script>alert("x")</script>\n', encoding="utf-8")
    result = _build(hostile, tmp_path / "run" / "out", True)
    assert result.returncode != 0
    assert "script" in (result.stdout + result.stderr)
    time.sleep(0.5)  # a step that went on would be writing now
    index = tmp_path / "run" / ".search-index"
    assert not index.exists() or not [p for p in index.rglob("*") if p.is_file()], sorted(index.rglob("*"))
    assert not (tmp_path / "run" / "out" / "search").exists()
    assert not (tmp_path / "run" / "out" / "search-generation.txt").exists()


SLOW_CHECK = """
import time
from pelican import signals

def refuse(generator):
    if type(generator).__name__ == "ArticlesGenerator" and not getattr(generator, "is_language_variant", False):
        time.sleep(2)  # long enough for an ungated step to write its index and export
        raise RuntimeError("refused by the slow check")

def register():
    signals.article_generator_pretaxonomy.connect(refuse)
"""


def test_a_slow_check_that_refuses_leaves_no_index_and_no_export(content, tmp_path):
    """However long the checks after the fork take, the step waits for them: a check that refuses
    after two seconds (a 14-article step needs far less) leaves nothing written."""
    import json

    from pelican.settings import read_settings

    plugins_dir = tmp_path / "plugins"
    plugins_dir.mkdir()
    (plugins_dir / "slow_check.py").write_text(SLOW_CHECK, encoding="utf-8")
    settings = read_settings(str(ROOT / "pelicanconf.py"))
    paths = [str(ROOT / "plugins"), str(plugins_dir)]
    result = _build(content, tmp_path / "run" / "out", True, "-e", f"PLUGINS={json.dumps(settings['PLUGINS'] + ['slow_check'])}",
                    f"PLUGIN_PATHS={json.dumps(paths)}")
    assert result.returncode != 0 and "refused by the slow check" in result.stdout + result.stderr
    time.sleep(0.5)
    index = tmp_path / "run" / ".search-index"
    assert not index.exists() or not [p for p in index.rglob("*") if p.is_file()], sorted(index.rglob("*"))
    assert not (tmp_path / "run" / "out" / "search").exists()
