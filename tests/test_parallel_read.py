"""plugins/parallel_read: posts read by forked workers give the site, the messages and the failures
of Pelican reading them one by one."""

import re
import shutil
import sys
from pathlib import Path

import build_helpers  # noqa: F401  (puts the project on sys.path)
import pytest
from build_helpers import run_pelican

from bench import corpus

sys.path.insert(0, str(Path(__file__).resolve().parent / "editors"))
import incremental_edits as edits  # noqa: E402  (compares two built sites file by file)

N = 40
QUIET = ["-e", "SEARCH_ENABLED=false"]


def _sequential(content, output, *extra, fatal="warnings"):
    return run_pelican(content, output, *QUIET, "READ_PROCS=1", *extra, fatal=fatal)


def _parallel(content, output, *extra, fatal="warnings"):
    return run_pelican(content, output, *QUIET, "READ_PROCS=2", "READ_MIN_FILES=1", *extra, fatal=fatal)


@pytest.fixture(scope="module")
def content(tmp_path_factory):
    folder = tmp_path_factory.mktemp("parallel-read") / "content"
    corpus.write_corpus(corpus.generate_articles(N, 21), folder)
    return folder


def _messages(stderr: str) -> list[str]:
    """The build's messages without what differs from run to run (times, temporary folders)."""
    text = re.sub(r"\s+", " ", stderr)
    text = re.sub(r"in \d+(\.\d+)? seconds", "in N seconds", text)
    text = re.sub(r"/tmp/\S+", "<tmp>", text)
    return sorted(re.findall(r"(?:WARNING|ERROR|CRITICAL)\s+(.{0,60})", text))


def test_the_site_is_byte_for_byte_the_site_of_a_sequential_read(content, tmp_path):
    one = _sequential(content, tmp_path / "one")
    assert one.returncode == 0, one.stderr[-3000:]
    two = _parallel(content, tmp_path / "two", "-v")
    assert two.returncode == 0, two.stderr[-3000:]
    # The workers did read the posts (N articles + their English translations).
    read = re.search(r"parallel_read: (\d+) of (\d+) posts read by 2 workers", two.stdout + two.stderr)
    assert read, (two.stdout + two.stderr)[-3000:]
    assert int(read.group(1)) == int(read.group(2)) >= N
    assert edits.differences(tmp_path / "two", tmp_path / "one") == []


def test_a_post_that_warns_or_fails_is_reported_exactly_as_in_a_sequential_read(content, tmp_path):
    broken = tmp_path / "content"
    shutil.copytree(content, broken)
    posts = sorted((broken / "news").rglob("*.md"))
    # A field given twice (Pelican's reader warns), a date Pelican cannot read (the reader raises).
    text = posts[0].read_text(encoding="utf-8")
    posts[0].write_text(text.replace("Title:", "Author: 甲\nAuthor: 乙\nTitle:", 1), encoding="utf-8")
    text = posts[1].read_text(encoding="utf-8")
    posts[1].write_text(re.sub(r"(?m)^Date: .*$", "Date: 二〇二四年十三月", text, count=1), encoding="utf-8")
    # Not fatal: every message is shown (Pelican's reading order is a set's, so with --fatal the
    # first message would differ from run to run).
    one = _sequential(broken, tmp_path / "one", fatal=None)
    two = _parallel(broken, tmp_path / "two", fatal=None)
    one_log, two_log = one.stdout + one.stderr, two.stdout + two.stderr
    assert one.returncode == two.returncode
    assert _messages(one_log) == _messages(two_log)
    assert _messages(two_log), two_log[-3000:]
    flat = re.sub(r"\s+", "", two_log)
    for post in posts[:2]:
        assert post.name in flat, two_log[-3000:]
    # Each message once, as in a sequential build (a worker's messages are never shown).
    assert flat.count(posts[0].name) == re.sub(r"\s+", "", one_log).count(posts[0].name)
    assert flat.count(posts[1].name) == re.sub(r"\s+", "", one_log).count(posts[1].name)


def test_tags_and_columns_read_by_workers_share_the_builds_settings():
    """Metadata objects come back from a worker pointing at the build's settings dict, not a copy."""
    import io
    import pickle

    from pelican.urlwrappers import Tag

    from plugins import parallel_read

    settings = {"TAG_URL": "tag/{slug}.html", "SLUGIFY_SOURCE": "title", "SLUG_REGEX_SUBSTITUTIONS": []}
    parallel_read._FORKED["settings"] = settings
    try:
        buffer = io.BytesIO()
        parallel_read._SharedPickler(buffer, pickle.HIGHEST_PROTOCOL).dump({"tags": [Tag("酒驾", settings)]})
        back = parallel_read._SharedUnpickler(io.BytesIO(buffer.getvalue())).load()
    finally:
        parallel_read._FORKED.clear()
    assert back["tags"][0].settings is settings
    assert back["tags"][0].name == "酒驾"
