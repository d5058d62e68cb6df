"""Shared fixtures: real Pelican builds of real content into temporary folders."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def run_pelican(content: Path, output: Path, *extra: str, settings: str = "pelicanconf.py", env=None):
    """Build ``content`` into ``output`` with the project's settings; warnings are fatal."""
    cmd = [
        sys.executable, "-m", "pelican", str(content),
        "-s", str(ROOT / settings), "-o", str(output), "--fatal", "warnings", *extra,
    ]
    full_env = dict(os.environ, COLUMNS="300", **(env or {}))
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, env=full_env, timeout=600)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The real content/ built once per test session."""
    output = tmp_path_factory.mktemp("site") / "output"
    result = run_pelican(ROOT / "content", output)
    assert result.returncode == 0, result.stdout + result.stderr
    return output


@pytest.fixture
def content_copy(tmp_path) -> Path:
    """A private copy of content/ that a test may break."""
    target = tmp_path / "content"
    shutil.copytree(ROOT / "content", target)
    return target
