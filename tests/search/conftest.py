import pytest
from search_helpers import make_content, run_pelican


@pytest.fixture(scope="session")
def search_site(tmp_path_factory):
    """content/ + an English translation of the seed + a 协会动态 article, built by real Pelican."""
    base = tmp_path_factory.mktemp("search-site")
    content = make_content(base / "content")
    output = base / "output"
    result = run_pelican(content, output)
    assert result.returncode == 0, result.stdout + result.stderr
    return output
