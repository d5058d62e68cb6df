"""One build at a time, and the search index moves with the site (issue 12).

`make site` is killed (SIGKILL, the whole process group, as a crash or a closed terminal would)
at 20 points — 15 spread over a build by time, 5 at the exact moments around the swap
(``SITEBUILD_KILL_AT``, plugins/sitebuild/build.py) — each time building the other of two versions:
after every kill `output/` holds exactly one whole version, and the search command line finds
exactly that version's articles.  Two builds started together both end cleanly, one waiting for
the other, and leave the same consistency.
"""

import json
import os
import shutil
import signal
import subprocess
import sys
import time

import pytest
from editors_support import ROOT

from plugins.search.__main__ import main as search_main
from plugins.sitebuild.build import KILL_STAGES

WORD = "consistencyprobe"
VERSIONS = {"a": ["alpha-1", "alpha-2", "alpha-3"], "b": ["beta-1", "beta-2"]}
ABOUT = "Title: 关于协会\nSlug: about\nLang: zh-Hans\n\n关于。\n"


def _write_version(content, version):
    shutil.rmtree(content, ignore_errors=True)
    (content / "pages").mkdir(parents=True)
    (content / "pages" / "about.md").write_text(ABOUT, encoding="utf-8")
    folder = content / "news" / "traffic" / "2022"
    folder.mkdir(parents=True)
    for n, slug in enumerate(VERSIONS[version], 1):
        (folder / f"{slug}.md").write_text(
            f"Title: 一致性测试 {slug}\nDate: 2022-03-0{n} 10:00\nCategory: 交管动态\nSlug: {slug}\n\n"
            f"正文 {WORD} {slug}。\n", encoding="utf-8")


def _start(project, **extra_env):
    env = dict(os.environ, COLUMNS="300", PYTHONPATH=str(ROOT), **extra_env)
    return subprocess.Popen(
        [sys.executable, "-m", "plugins.sitebuild", "--content", str(project / "content"),
         "--settings", str(ROOT / "pelicanconf.py"), "--output", str(project / "output"),
         # 简体 only: the kills test the swap, not the languages, and a shorter build keeps the test cheap
         "--", "-e", 'BUILD_LANGUAGES=["zh-hans"]'],
        cwd=project, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        start_new_session=True)


def _live_version(output):
    """The one content version ``output`` holds, checked whole (articles of one version only)."""
    pages = {p.stem for p in (output / "news" / "2022" / "03").glob("*.html")}
    matches = [v for v, slugs in VERSIONS.items() if pages == set(slugs)]
    assert len(matches) == 1, f"output/ is not one whole version: {sorted(pages)}"
    assert (output / "index.html").is_file() and (output / "search.html").is_file()
    return matches[0]


def _search_urls(project, capsys):
    settings = project / "settings.py"
    capsys.readouterr()
    status = search_main(["--settings", str(settings), "--json", "--limit", "50", WORD])
    out = capsys.readouterr().out
    assert status == 0, out
    return {hit["url"] for hit in json.loads(out)}


def _assert_consistent(project, capsys):
    version = _live_version(project / "output")
    expected = {f"news/2022/03/{slug}.html" for slug in VERSIONS[version]}
    assert _search_urls(project, capsys) == expected
    for url in expected:
        assert (project / "output" / url).is_file()
    return version


@pytest.fixture
def project(tmp_path):
    (tmp_path / "settings.py").write_text(
        f"import sys\nsys.path.insert(0, {str(ROOT)!r})\nfrom pelicanconf import *  # noqa\n"
        f"OUTPUT_PATH = {str(tmp_path / 'output')!r}\n", encoding="utf-8")
    _write_version(tmp_path / "content", "a")
    return tmp_path


def test_kills_at_20_points_leave_site_and_search_consistent(project, capsys):
    started = time.monotonic()
    first = _start(project)
    log = first.communicate(timeout=300)[0]
    assert first.returncode == 0, log
    duration = time.monotonic() - started
    assert _assert_consistent(project, capsys) == "a"
    seen = []
    points = [("time", duration * (0.05 + n / 14 * 1.0)) for n in range(15)] + [("stage", s) for s in KILL_STAGES]
    for how, point in points:
        live = _live_version(project / "output")
        _write_version(project / "content", "b" if live == "a" else "a")
        if how == "time":
            build = _start(project)
            time.sleep(point)  # from the content check to past the swap
            os.killpg(build.pid, signal.SIGKILL)
        else:
            build = _start(project, SITEBUILD_KILL_AT=point)
        log = build.communicate(timeout=300)[0]
        if how == "stage":
            assert build.returncode == -signal.SIGKILL, log  # it did reach that point
        seen.append((point, live, _assert_consistent(project, capsys)))
    # killed after the swap, the new version is live (with its index); before it, the old one
    by_stage = {point: (before, after) for point, before, after in seen[15:]}
    for stage in ("checked", "built", "linked"):
        assert by_stage[stage][0] == by_stage[stage][1], stage
    for stage in ("swapped", "live"):
        assert by_stage[stage][0] != by_stage[stage][1], stage
    # the next build cleans up what the killed ones left, and only the live generations remain
    final = _start(project)
    log = final.communicate(timeout=300)[0]
    assert final.returncode == 0, log
    _assert_consistent(project, capsys)
    assert not list(project.glob("output.*")), list(project.glob("output.*"))
    assert len(list((project / ".search-index").glob("gen-*"))) == 1


def test_two_builds_at_once_both_end_cleanly(project, capsys):
    builds = [_start(project), _start(project)]
    logs = [b.communicate(timeout=300)[0] for b in builds]
    assert [b.returncode for b in builds] == [0, 0], logs
    assert sum("another build is running" in log for log in logs) == 1, logs
    assert "Traceback" not in "".join(logs)
    assert _assert_consistent(project, capsys) == "a"
