"""Content that must not be published fails the build with a message naming the file."""

import pytest
from build_helpers import run_pelican

GOOD = """Title: 测试文章
Date: 2022-03-01 10:00
Category: 交管动态
Slug: test-article
Lang: zh-Hans

正文。
"""


def write(content, name, text):
    path = content / "news" / "traffic" / "2022" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def build(content, tmp_path):
    output = tmp_path / "output"
    result = run_pelican(content, output)
    return result, result.stdout + result.stderr, output


def test_a_valid_extra_post_builds(content_copy, tmp_path):
    write(content_copy, "ok.md", GOOD)
    result, log, output = build(content_copy, tmp_path)
    assert result.returncode == 0, log
    assert (output / "news/2022/03/test-article.html").is_file()


@pytest.mark.parametrize(
    "text, expected",
    [
        (GOOD.replace("Date: 2022-03-01 10:00\n", ""), "could not find information about 'date'"),
        (GOOD.replace("Title: 测试文章\n", ""), "could not find information about 'title'"),
        (GOOD.replace("Category: 交管动态\n", ""), "has no category"),
        (GOOD.replace("Category: 交管动态", "Category: 体育新闻"), "category '体育新闻' is not a news column"),
        (GOOD.replace("Slug: test-article", "Slug: ../../escape"), "slug '../../escape' is not allowed"),
        (GOOD.replace("Slug: test-article", "Slug: 测试"), "slug '测试' is not allowed"),
    ],
    ids=["missing-date", "missing-title", "missing-category", "unknown-category", "dotdot-slug", "chinese-slug"],
)
def test_invalid_post_fails_the_build_naming_the_file(content_copy, tmp_path, text, expected):
    write(content_copy, "broken.md", text)
    result, log, output = build(content_copy, tmp_path)
    assert result.returncode != 0
    assert "broken.md" in log, log
    assert expected in log, log


def test_slug_collision_names_both_files(content_copy, tmp_path):
    write(content_copy, "first.md", GOOD)
    write(content_copy, "second.md", GOOD.replace("Title: 测试文章", "Title: 另一篇"))
    result, log, _ = build(content_copy, tmp_path)
    assert result.returncode != 0
    assert "first.md" in log and "second.md" in log, log
    assert "test-article" in log


def test_dotdot_slug_writes_nothing_outside_output(content_copy, tmp_path):
    write(content_copy, "broken.md", GOOD.replace("Slug: test-article", "Slug: ../../../../../../escaped"))
    result, _, _ = build(content_copy, tmp_path)
    assert result.returncode != 0
    assert not list(tmp_path.rglob("escaped*"))
