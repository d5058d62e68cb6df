"""Smoke test of the benchmark's corpus generator (no timing assertions: timings live in `make bench`)."""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import corpus  # noqa: E402
from plugins.content_check.checker import check_content, load_settings  # noqa: E402


def _front_matter(path: Path) -> dict:
    head = path.read_text(encoding="utf-8").split("\n\n", 1)[0]
    return dict(line.split(": ", 1) for line in head.splitlines())


def test_same_seed_same_files_other_seed_other_files(tmp_path):
    first = corpus.corpus_dir(5, 5, cache=tmp_path / "a")
    again = corpus.corpus_dir(5, 5, cache=tmp_path / "b")
    other = corpus.corpus_dir(5, 6, cache=tmp_path / "c")
    assert corpus.digest(first) == corpus.digest(again)
    assert corpus.digest(first) != corpus.digest(other)
    # a second call reuses the cached folder
    assert corpus.corpus_dir(5, 5, cache=tmp_path / "a") == first


def test_front_matter_is_valid_for_the_project(tmp_path):
    content = corpus.corpus_dir(5, 5, cache=tmp_path)
    posts = sorted((content / "news").rglob("*.md"))
    originals = [p for p in posts if not p.name.endswith(".en.md")]
    assert len(originals) == 5
    assert len(posts) > 5  # seed 5 gives English translations
    columns = {name for name, _, _ in corpus.COLUMNS}
    for path in posts:
        meta = _front_matter(path)
        for key in ("Title", "Date", "Category", "Slug", "Lang", "Summary"):
            assert meta.get(key), f"{path.name}: no {key}"
        assert meta["Category"] in columns
        assert path.name.startswith(meta["Slug"] + ".")
        if path.name.endswith(".en.md"):
            assert meta["Lang"] == "en"
            assert (path.parent / f"{meta['Slug']}.md").exists()
        else:
            assert meta["Lang"] == "zh-Hans"
            assert meta.get("Tags")
            body = path.read_text(encoding="utf-8").split("\n\n", 1)[1]
            assert 2000 <= len(body) <= 4600
    # the project's own content rules (what `make check` runs) accept the corpus
    problems, count = check_content(content, load_settings(ROOT / "pelicanconf.py"))
    assert count == len(posts) + 2  # + about.md, about.en.md
    assert not problems, "\n".join(map(str, problems))
