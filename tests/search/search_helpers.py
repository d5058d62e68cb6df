"""Shared helpers of the search tests (imported by basename: tests/ has no packages)."""

import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
for p in (str(ROOT), str(ROOT / "bench")):
    if p not in sys.path:
        sys.path.insert(0, p)

ENGLISH_SEED = """Title: Shandong police solve the safety equation
Date: 2021-12-20 09:30
Category: 交管动态
Slug: crsa-4821
Lang: en

Shandong police used the "four arithmetic operations" to cut crime and root out gangs.
In 2020 the campaign against organised crime in Shandong ranked among the best in the country.
"""

OTHER_COLUMN = """Title: 协会召开扫黑除恶工作座谈会
Date: 2021-11-02 10:00
Category: 协会动态
Slug: assoc-sweep
Lang: zh-Hans

协会召开座谈会,交流扫黑除恶专项斗争经验。
"""


def make_content(target: Path) -> Path:
    shutil.copytree(ROOT / "content", target)
    seed_dir = target / "news" / "traffic" / "2021"
    if not (seed_dir / "crsa-4821.en.md").exists():
        (seed_dir / "crsa-4821.en.md").write_text(ENGLISH_SEED, encoding="utf-8")
    assoc = target / "news" / "association" / "2021"
    assoc.mkdir(parents=True, exist_ok=True)
    (assoc / "assoc-sweep.md").write_text(OTHER_COLUMN, encoding="utf-8")
    return target


def settings_for(output: Path) -> dict:
    from pelican.settings import read_settings

    settings = read_settings(str(ROOT / "pelicanconf.py"))
    settings["OUTPUT_PATH"] = str(output)
    return settings


def run_pelican(content: Path, output: Path):
    """The same command as tests/conftest.py's run_pelican (imported by path to avoid name clashes)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("_root_conftest_for_search", ROOT / "tests" / "conftest.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.run_pelican(content, output)


@pytest.fixture(scope="session", name="search_site")
def search_site_fixture(tmp_path_factory):
    """content/ + an English translation of the seed + a 协会动态 article, built by real Pelican.

    (A fixture here, not in a conftest.py: a second ``conftest`` module would shadow tests/conftest.py
    for the modules that import from it.)
    """
    base = tmp_path_factory.mktemp("search-site")
    content = make_content(base / "content")
    output = base / "output"
    result = run_pelican(content, output)
    assert result.returncode == 0, result.stdout + result.stderr
    return output
