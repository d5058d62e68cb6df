"""Check ⇔ build parity, as a property (issue 12): whatever `make check` accepts, `make site` builds.

A seeded generator (``hostile_posts.py``; ``PARITY_SEED``, ``PARITY_CASES``, default 300) writes
hostile content.  Each case is checked alone, in process: `make check` never raises, and every
problem it reports names one of the case's files on one line.  All cases that pass are then
built together by `make site` (check, Pelican with warnings fatal, link check, swap): it must
pass, and every passing case's posts must be published (or be drafts).  The failing cases are
built without the check in batches (the build-time guard alone, as `make serve` runs): each
build fails with messages, never a traceback.
"""

import datetime as dt
import os
import shutil
import signal
import subprocess
import sys

import pytest
from editors_support import ROOT, write_files
from hostile_posts import cases

from plugins.content_check.checker import check_content, load_settings
from plugins.content_check.inventory import ignored
from plugins.sitebuild.build import BuildFailed, build

SEED = int(os.environ.get("PARITY_SEED", "20261201"))
COUNT = int(os.environ.get("PARITY_CASES", "300"))
BASE = {"pages/about.md": "Title: 关于协会\nSlug: about\nLang: zh-Hans\n\n关于。\n".encode()}


def _fresh(folder, *file_sets):
    shutil.rmtree(folder, ignore_errors=True)
    content = folder / "content"
    content.mkdir(parents=True)
    for files in (BASE, *file_sets):
        write_files(content, files)
    return content


@pytest.fixture(scope="module")
def settings():
    return load_settings(ROOT / "pelicanconf.py")


@pytest.fixture(scope="module")
def checked(tmp_path_factory, settings):
    """(case, problems) for every generated case, each checked alone."""
    now = dt.datetime.now()
    work = tmp_path_factory.mktemp("parity")
    results = []
    for case in cases(SEED, COUNT, now):
        content = _fresh(work / case.ident, case.files)
        problems, _count = check_content(content, settings, relative_to=content.parent)  # never raises
        results.append((case, problems))
    return results


def test_check_reports_every_problem_by_file_on_one_line(checked):
    passed = sum(1 for _case, problems in checked if not problems)
    assert 0.15 * COUNT < passed < 0.85 * COUNT, f"{passed}/{COUNT} pass: the generator is off balance"
    for case, problems in checked:
        files = {f"content/{rel}" for rel in case.files} | {f"content/{rel}" for rel in BASE}
        for problem in problems:
            assert problem.path in files, f"{case.ident}: {problem} names no file of the case"
            assert "\n" not in str(problem) and "\r" not in str(problem), f"{case.ident}: {problem!r}"


def test_whatever_check_passes_builds(checked, settings, tmp_path, capfd):
    good = [case for case, problems in checked if not problems]
    content = _fresh(tmp_path, *(case.files for case in good))
    problems, count = check_content(content, settings, relative_to=tmp_path)
    assert problems == [], "cases that pass alone fail together:\n" + "\n".join(map(str, problems))
    output = tmp_path / "output"
    log = []
    try:
        build(content, output, ROOT / "pelicanconf.py", log=log.append)
    except BuildFailed as error:
        out = capfd.readouterr()
        pytest.fail(f"make check passed but the build failed: {error}\n" + "\n".join(log) + out.out + out.err)
    out = capfd.readouterr()
    assert "Traceback" not in out.out + out.err
    html = "\n".join(p.read_text("utf-8") for p in output.glob("news/*/*/*.html"))
    for case in good:
        for rel in case.posts():
            text = case.files[rel].decode("utf-8-sig", errors="replace")
            if ("status: draft" in text.lower() or ".en." in rel or rel.startswith("pages/")
                    or ignored(rel, settings["IGNORE_FILES"])):
                continue
            assert f"{case.ident}" in html, f"{case.ident} ({rel}) passed the check but was not published"
    assert "\x00" not in html


@pytest.mark.parametrize("batch", range(2))
def test_failing_cases_stop_the_build_with_messages_not_tracebacks(checked, tmp_path, batch):
    bad = [case for case, problems in checked if problems]
    chunk = bad[batch::2]
    content = _fresh(tmp_path, *(case.files for case in chunk))
    env = dict(os.environ, COLUMNS="400")
    build = subprocess.Popen(
        [sys.executable, "-m", "plugins.sitebuild", "--no-check", "--content", str(content),
         "--settings", str(ROOT / "pelicanconf.py"), "--output", str(tmp_path / "output")],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        log = build.communicate(timeout=180)[0]
    except subprocess.TimeoutExpired:
        os.killpg(build.pid, signal.SIGKILL)  # Pelican runs in a child process of its own
        log = build.communicate()[0]
        pytest.fail("the build without the check hung:\n" + log[-3000:])
    assert "Traceback" not in log, log[-3000:]
    assert build.returncode == 1, log[-3000:]
    assert any(f"content/{rel}" in log or rel in log for case in chunk for rel in case.files), log[-3000:]
