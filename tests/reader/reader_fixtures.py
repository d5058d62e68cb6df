"""Fixtures of tests/reader (loaded with ``pytest_plugins``, as tests/quality does): the project's
content plus a small generated archive (bench/corpus.py, 48 articles in three columns, a fifth
translated), built by real Pelican — for development (``pelicanconf.py``) and twice for publishing
(``publishconf.py`` with an absolute SITEURL), once per test session."""

import shutil
import sys
from pathlib import Path

import pytest
from build_helpers import ROOT, QuietHandler, run_pelican, serving

sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "tests" / "quality"))
from corpus import generate_articles, write_corpus  # noqa: E402
from reader_support import SITEURL  # noqa: E402

from pelicanconf import CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY_HEADER_ONLY  # noqa: E402

CORPUS_ARTICLES = 48


def make_reader_content(target: Path) -> Path:
    shutil.copytree(ROOT / "content", target)
    write_corpus(generate_articles(CORPUS_ARTICLES, seed=7), target)
    return target


def build(content: Path, output: Path, **kwargs) -> Path:
    # Search has its own tests (tests/search): its index would only slow these builds down.
    result = run_pelican(content, output, "-e", "SEARCH_ENABLED=false", **kwargs)
    assert result.returncode == 0, result.stdout + result.stderr
    return output


@pytest.fixture(scope="session")
def reader_content(tmp_path_factory) -> Path:
    return make_reader_content(tmp_path_factory.mktemp("reader") / "content")


@pytest.fixture(scope="session")
def reader_dev(reader_content) -> Path:
    return build(reader_content, reader_content.parent / "dev")


def _publish(content: Path, name: str) -> Path:
    return build(content, content.parent / name, settings="publishconf.py", env={"SITEURL": SITEURL})


@pytest.fixture(scope="session")
def reader_published(reader_content) -> Path:
    return _publish(reader_content, "public")


@pytest.fixture(scope="session")
def reader_published_again(reader_content) -> Path:
    return _publish(reader_content, "public-again")


class CspHandler(QuietHandler):
    def end_headers(self):
        # The site's one policy, as the association's server sends it (docs/publishing.md).
        self.send_header("Content-Security-Policy", f"{CONTENT_SECURITY_POLICY}; {CONTENT_SECURITY_POLICY_HEADER_ONLY}")
        super().end_headers()


@pytest.fixture(scope="session")
def reader_url(reader_dev):
    """The development build over HTTP on 127.0.0.1, with the strict CSP header."""
    with serving(reader_dev, CspHandler) as url:
        yield url
