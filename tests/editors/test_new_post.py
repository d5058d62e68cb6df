"""`make new TITLE=… CATEGORY=… [SLUG=…] [EN=1]`: a complete post, never an overwrite."""

import os
import subprocess
import sys
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from editors_support import GOOD, ROOT, SETTINGS

from plugins.content_check.checker import check_content
from plugins.new_post.create import NewPostError, create_post

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2022, 3, 1, 10, 5, tzinfo=SHANGHAI)


def front_matter(path):
    head = path.read_text(encoding="utf-8").split("\n\n", 1)[0]
    return dict(line.split(": ", 1) for line in head.splitlines())


def test_new_post_has_complete_front_matter(tmp_path):
    created = create_post(tmp_path, SETTINGS, title="春运交通安全提示", category="交管动态", slug="spring-travel-2022", now=NOW)
    path = tmp_path / "news/traffic/2022/spring-travel-2022.md"
    assert created.paths == [path]
    meta = front_matter(path)
    assert meta == {
        "Title": "春运交通安全提示", "Date": "2022-03-01 10:05", "Category": "交管动态",
        "Slug": "spring-travel-2022", "Lang": "zh-Hans", "Summary": "TODO(编辑) 用一两句话概括这篇文章",
    }


def test_date_is_now_in_beijing_time_and_column_slug_is_accepted(tmp_path):
    created = create_post(tmp_path, SETTINGS, title="协会召开年会", category="association")
    meta = front_matter(created.paths[0])
    written = datetime.strptime(meta["Date"], "%Y-%m-%d %H:%M").replace(tzinfo=SHANGHAI)
    assert abs(datetime.now(SHANGHAI) - written) < timedelta(minutes=2)
    assert meta["Category"] == "协会动态"
    assert created.paths[0].parent.parent.name == "association"
    # no SLUG=: a valid slug from the date, never from the Chinese title
    assert meta["Slug"] == written.strftime("news-%Y%m%d-%H%M")


def test_generated_slugs_do_not_collide(tmp_path):
    first = create_post(tmp_path, SETTINGS, title="一", category="交管动态", now=NOW)
    second = create_post(tmp_path, SETTINGS, title="二", category="交管动态", now=NOW)
    assert (first.slug, second.slug) == ("news-20220301-1005", "news-20220301-1005-2")


def test_new_post_fails_make_check_until_the_placeholders_are_replaced(tmp_path):
    created = create_post(tmp_path, SETTINGS, title="标题", category="交管动态", slug="a-post", now=NOW)
    problems, _ = check_content(tmp_path, SETTINGS, relative_to=tmp_path.parent)
    assert [(p.line, p.finding.en) for p in problems] == [
        (6, "placeholder TODO(编辑) is still there"), (8, "placeholder TODO(编辑) is still there")]
    path = created.paths[0]
    path.write_text(path.read_text("utf-8").replace("TODO(编辑) ", ""), encoding="utf-8")
    assert check_content(tmp_path, SETTINGS)[0] == []


def test_en_creates_the_linked_translation_stub(tmp_path):
    created = create_post(tmp_path, SETTINGS, title="标题", category="行业动态", slug="a-post", english=True, now=NOW)
    original, translation = created.paths
    assert translation == original.with_name("a-post.en.md")
    meta = front_matter(translation)
    assert meta["Lang"] == "en"
    assert meta["Slug"] == front_matter(original)["Slug"] == "a-post"  # how Pelican links translations
    assert meta["Category"] == "行业动态" and meta["Date"] == "2022-03-01 10:05"
    assert meta["Title"] == "TODO(编辑) English title of “标题”"
    # once both are written, make check is happy: the translation points at its original
    for path in created.paths:
        path.write_text(path.read_text("utf-8").replace("TODO(编辑) ", ""), encoding="utf-8")
    assert check_content(tmp_path, SETTINGS)[0] == []


def test_refuses_to_overwrite(tmp_path):
    path = tmp_path / "news/traffic/2022/a-post.md"
    path.parent.mkdir(parents=True)
    path.write_text("editor's work", encoding="utf-8")
    # the slug is free (the file has no front matter), but the file is there
    with pytest.raises(NewPostError, match="file exists, it is never overwritten"):
        create_post(tmp_path, SETTINGS, title="标题", category="交管动态", slug="a-post", now=NOW)
    assert path.read_text(encoding="utf-8") == "editor's work"


def test_refuses_an_existing_translation_file_and_writes_nothing(tmp_path):
    en = tmp_path / "news/traffic/2022/a-post.en.md"
    en.parent.mkdir(parents=True)
    en.write_text("translator's work", encoding="utf-8")
    with pytest.raises(NewPostError, match="never overwritten"):
        create_post(tmp_path, SETTINGS, title="标题", category="交管动态", slug="a-post", english=True, now=NOW)
    assert not (tmp_path / "news/traffic/2022/a-post.md").exists()
    assert en.read_text(encoding="utf-8") == "translator's work"


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"category": "体育新闻"}, "category '体育新闻' is not a news column — use one of: 交管动态, 协会动态, 行业动态"),
        ({"category": ""}, "CATEGORY is missing"),
        ({"title": "  "}, "TITLE is missing"),
        ({"slug": "测试/../x"}, "slug '测试/../x' is not allowed"),
        ({"slug": "used-slug"}, "slug 'used-slug' is already used"),
    ],
    ids=["unknown-category", "no-category", "no-title", "unsafe-slug", "used-slug"],
)
def test_refusals_explain_the_fix(tmp_path, kwargs, message):
    existing = tmp_path / "news/industry/2020/old.md"
    existing.parent.mkdir(parents=True)
    existing.write_text(GOOD.replace("test-article", "used-slug"), encoding="utf-8")
    args = {"title": "标题", "category": "交管动态", "slug": None, "now": NOW} | kwargs
    with pytest.raises(NewPostError, match=message.replace("(", r"\(").replace(")", r"\)")):
        create_post(tmp_path, SETTINGS, **args)
    assert sorted(p.name for p in tmp_path.rglob("*.md")) == ["old.md"]


def test_en_is_refused_while_english_is_not_a_site_language(tmp_path):
    settings = dict(SETTINGS, SITE_LANGUAGES=SETTINGS["SITE_LANGUAGES"][:1])
    with pytest.raises(NewPostError, match="English \\(en\\) is not one of the site's languages"):
        create_post(tmp_path, settings, title="标题", category="交管动态", english=True, now=NOW)
    assert not list(tmp_path.rglob("*.md"))


def test_make_new_reads_title_with_quotes_from_the_environment(tmp_path):
    """`make new TITLE="…"` exports TITLE; the command line never has to quote it."""
    content = tmp_path / "content"
    env = dict(os.environ, TITLE='他说"安全第一" & $HOME', CATEGORY="交管动态", SLUG="quoted-title")
    result = subprocess.run([sys.executable, "-m", "plugins.new_post", "--content", str(content)],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    [path] = content.rglob("quoted-title.md")
    assert front_matter(path)["Title"] == '他说"安全第一" & $HOME'
    assert f"created / 已新建: {path}" in result.stdout
    again = subprocess.run([sys.executable, "-m", "plugins.new_post", "--content", str(content)],
                           cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert again.returncode == 1 and "already used" in again.stderr
