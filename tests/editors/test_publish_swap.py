"""`make site` / `make publish`: check, build into a fresh folder, swap in only when everything passed."""

import subprocess
import sys

import pytest
from editors_support import GOOD, POST, ROOT, run_pelican, write_tree

from plugins.sitebuild.build import BuildFailed, build
from plugins.sitebuild.links import broken_links

ABOUT = "Title: 关于协会\nSlug: about\nLang: zh-Hans\n\n关于。\n"


@pytest.fixture
def small_content(tmp_path):
    return write_tree(tmp_path, {POST: GOOD, "content/pages/about.md": ABOUT})


def snapshot(folder):
    return {p.relative_to(folder): (p.read_bytes(), p.stat().st_mtime_ns) for p in folder.rglob("*") if p.is_file()}


def leftovers(output):
    return sorted(p.name for p in output.parent.iterdir() if p.name.startswith(output.name + "."))


def quiet(*_args):
    pass


def test_build_swaps_in_a_complete_site(small_content, tmp_path):
    output = tmp_path / "output"
    build(small_content, output, ROOT / "pelicanconf.py", log=quiet)
    assert (output / "index.html").is_file()
    assert (output / "news/2022/03/test-article.html").is_file()
    assert leftovers(output) == []
    # a second build replaces the first one
    (small_content / "news/traffic/2022/x.md").write_text(GOOD.replace("测试文章", "改过的标题"), encoding="utf-8")
    build(small_content, output, ROOT / "pelicanconf.py", log=quiet)
    assert "改过的标题" in (output / "news/2022/03/test-article.html").read_text("utf-8")
    assert leftovers(output) == []


@pytest.fixture
def previous(small_content, tmp_path):
    output = tmp_path / "output"
    build(small_content, output, ROOT / "pelicanconf.py", log=quiet)
    return output, snapshot(output)


def test_failed_content_check_leaves_the_previous_output_untouched(small_content, previous):
    output, before = previous
    (small_content / "news/traffic/2022/x.md").write_text(GOOD.replace("交管动态", "体育新闻"), encoding="utf-8")
    lines = []
    with pytest.raises(BuildFailed, match="content check failed"):
        build(small_content, output, ROOT / "pelicanconf.py", log=lines.append)
    assert "category '体育新闻' is not a news column" in lines[0]
    assert snapshot(output) == before
    assert leftovers(output) == []


def test_failed_pelican_build_leaves_the_previous_output_untouched(small_content, previous):
    """Pelican itself fails half-way (here: the build-time guard, with the check skipped)."""
    output, before = previous
    (small_content / "news/traffic/2022/y.md").write_text(GOOD.replace("test-article", "../../x"), encoding="utf-8")
    with pytest.raises(BuildFailed, match="pelican failed"):
        build(small_content, output, ROOT / "pelicanconf.py", check=False, log=quiet)
    assert snapshot(output) == before
    assert leftovers(output) == []


def test_broken_link_in_the_new_build_blocks_the_swap(small_content, previous):
    output, before = previous
    (small_content / "news/traffic/2022/x.md").write_text(GOOD + "\n[旧页面](old-page.html)\n", encoding="utf-8")
    lines = []
    with pytest.raises(BuildFailed, match="broken internal link"):
        build(small_content, output, ROOT / "pelicanconf.py", check=False, log=lines.append)
    assert "  broken link / 链接失效: news/2022/03/test-article.html: old-page.html" in lines
    assert snapshot(output) == before
    assert leftovers(output) == []


def test_publish_build_has_absolute_urls_and_feeds(small_content, tmp_path, monkeypatch):
    monkeypatch.setenv("SITEURL", "https://news.example.org/archive")
    public = tmp_path / "public"
    build(small_content, public, ROOT / "publishconf.py", log=quiet)
    html = (public / "news/2022/03/test-article.html").read_text("utf-8")
    assert 'href="https://news.example.org/archive/theme/css/site.css"' in html
    assert (public / "feeds/all.atom.xml").is_file()
    assert broken_links(public, "https://news.example.org/archive") == []
    assert leftovers(public) == []


def test_command_line_exit_status_and_message(small_content, tmp_path):
    (small_content / "news/traffic/2022/x.md").write_text(GOOD.replace("2022-03-01 10:00", "2022-02-30"),
                                                          encoding="utf-8")
    output = tmp_path / "output"
    result = subprocess.run(
        [sys.executable, "-m", "plugins.sitebuild", "--content", str(small_content), "--output", str(output)],
        cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert "x.md:2: 日期无法解析 '2022-02-30' / date '2022-02-30' cannot be parsed" in result.stdout
    assert "content check failed / 内容检查没有通过" in result.stderr
    assert not output.exists()


def test_build_time_guard_uses_the_same_rules_and_words(content_copy, tmp_path):
    """Without `make check`, the Pelican plugin still refuses the post, with the same message and line."""
    path = content_copy / "news/traffic/2022/broken.md"
    path.parent.mkdir(parents=True)
    path.write_text(GOOD.replace("交管动态", "体育新闻"), encoding="utf-8")
    result = run_pelican(content_copy, tmp_path / "out")
    log = " ".join((result.stdout + result.stderr).split())
    assert result.returncode != 0
    assert ("content/news/traffic/2022/broken.md:3: 栏目 '体育新闻' 不存在 / category '体育新闻' is not a news column"
            in log), log


def test_broken_links_finds_missing_pages_assets_and_css_urls(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "index.html").write_text(
        '<!DOCTYPE html><link rel="stylesheet" href="s.css"><a href="a/">a</a><a href="b.html#x">b</a>'
        '<img src="https://example.org/x.png" alt=""><a href="#top">top</a><a href="mailto:x@example.org">m</a>',
        encoding="utf-8")
    (tmp_path / "a/index.html").write_text('<img src="../missing.png" alt="">', encoding="utf-8")
    (tmp_path / "s.css").write_text("body { background: url('bg.png') }", encoding="utf-8")
    assert broken_links(tmp_path) == ["a/index.html: ../missing.png", "index.html: b.html#x", "s.css: bg.png"]


def test_one_link_value_resolves_per_folder(tmp_path):
    """The same link in pages of different folders points to different files: found in one
    folder, missing in another; two pages of one folder share the answer."""
    for folder in ("x", "y", "y/z"):
        (tmp_path / folder).mkdir(parents=True, exist_ok=True)
    (tmp_path / "x" / "logo.png").write_bytes(b"png")
    for page in ("x/a.html", "x/b.html", "y/a.html", "y/z/a.html"):
        (tmp_path / page).write_text('<img src="logo.png" alt=""><a href="../x/a.html">x</a>', encoding="utf-8")
    assert broken_links(tmp_path) == ["y/a.html: logo.png", "y/z/a.html: logo.png", "y/z/a.html: ../x/a.html"]


def test_make_site_and_publish_go_through_sitebuild():
    for target, settings in (("site", "pelicanconf.py"), ("publish", "publishconf.py")):
        dry = subprocess.run(["make", "-n", target], cwd=ROOT, capture_output=True, text=True, timeout=60).stdout
        assert f"-m plugins.sitebuild --content content --settings {settings}" in dry
    dry = subprocess.run(["make", "-n", "check"], cwd=ROOT, capture_output=True, text=True, timeout=60).stdout
    assert "-m plugins.content_check content" in dry
