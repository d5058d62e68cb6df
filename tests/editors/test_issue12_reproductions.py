"""Issue 12, build side: each reproduction of "make check passes posts that crash the build", as it
was reported.  Each now stops `make check` and `make site` with a message naming the file — never
a traceback, never a hang — and, where Pelican reads the post at all, the build-time guard names it
too (a build without the check: `make serve`)."""

import os
import subprocess
import sys

import pytest
from editors_support import ROOT, write_files

from plugins.content_check.checker import check_content, load_settings
from plugins.sitebuild.__main__ import main as site_main

POST = "news/traffic/2022/x.md"
GOOD = "Title: 测试文章\nDate: 2022-03-01 10:00\nCategory: 交管动态\nSlug: test-article\n\n正文。\n"
ABOUT = "Title: 关于协会\nSlug: about\nLang: zh-Hans\n\n关于。\n"


def _tree(tmp_path, files):
    content = tmp_path / "content"
    (content / "pages").mkdir(parents=True)
    (content / "pages" / "about.md").write_text(ABOUT, encoding="utf-8")
    write_files(content, files)
    return content


def _site(content, *extra):
    return subprocess.run(
        [sys.executable, "-m", "plugins.sitebuild", "--content", str(content), "--settings",
         str(ROOT / "pelicanconf.py"), "--output", str(content.parent / "output"), *extra],
        cwd=content.parent, env=dict(os.environ, COLUMNS="400", PYTHONPATH=str(ROOT)),
        capture_output=True, text=True, timeout=120)


CASES = {
    "second-title": ({POST: GOOD.replace("Title: 测试文章\n", "Title: 测试文章\nTitle: 第二个标题\n")},
                     POST, "field Title is given twice"),
    "second-category": ({POST: GOOD.replace("Category: 交管动态\n", "Category: 交管动态\nCategory: 协会动态\n")},
                        POST, "field Category is given twice"),
    "date-0001": ({POST: GOOD.replace("2022-03-01 10:00", "0001-01-01")}, POST, "date 0001-01-01 is before 1990"),
    "date-2999": ({POST: GOOD.replace("2022-03-01 10:00", "2999-01-01")}, POST, "date 2999-01-01 is in the future"),
    "tag-without-slug": ({POST: GOOD.replace("Slug:", "Tags: ！！！, 交通\nSlug:")}, POST, "tag '！！！' makes no URL"),
    "broken-symlink": ({POST: GOOD, "news/traffic/2022/b.md": ("symlink", "/nonexistent/b.md")},
                       "news/traffic/2022/b.md", "symbolic link (broken)"),
    "looping-symlinks": ({POST: GOOD, "news/traffic/2022/l1.md": ("symlink", "l2.md"),
                          "news/traffic/2022/l2.md": ("symlink", "l1.md")}, "news/traffic/2022/l1.md", "(loop)"),
    "dir-symlink-to-parent": ({POST: GOOD, "news/traffic/2022/up": ("symlink", "..")}, "news/traffic/2022/up",
                              "symbolic link (folder)"),
    "attach-300-characters": ({POST: GOOD + "\n[附件]({attach}" + "a" * 300 + ".pdf)\n"}, POST,
                              "does not exist"),
    "attach-with-nul": ({POST: GOOD + "\n[附件]({attach}a\x00b.pdf)\n"}, POST, "control characters (U+0000)"),
    "nul-in-text": ({POST: GOOD.replace("正文。", "正\x00文。")}, POST, "control characters (U+0000)"),
    "fifo-named-md": ({POST: GOOD, "news/traffic/2022/pipe.md": "fifo"}, "news/traffic/2022/pipe.md",
                      "not a regular file"),
    "post-outside-news-and-pages": ({POST: GOOD, "x.md": GOOD.replace("test-article", "other")}, "x.md",
                                    "this post is not published"),
    # Held-out hostile bodies: Python-Markdown recurses per level (a RecursionError after minutes).
    "list-2000-levels": ({POST: GOOD + "\n".join("    " * i + "- x" for i in range(2000)) + "\n"}, POST,
                         "nests 101 levels deep"),
    "quote-10000-levels": ({POST: GOOD + "> " * 10000 + "x\n"}, POST, "nests 10000 levels deep"),
    "emphasis-5000": ({POST: GOOD + "*" * 5000 + "x" + "*" * 5000 + "\n"}, POST, "run of 5000 * or _"),
    "brackets-10000-with-html": ({POST: GOOD + "<b>x</b>\n\n" + "[" * 10000 + "x" + "]" * 10000 + "\n"}, POST,
                                 "nests 10000 levels deep"),
    # U+2028 is inside a line for Markdown: `Slug:` after it is part of the category, not a field.
    "u2028-joins-lines": ({POST: GOOD.replace("交管动态\n", "交管动态\u2028")}, POST, "is not a news column"),
    # Markdown keeps spaces (an expanded tab) inside a link target: the link checker would fail.
    "tab-in-link-target": ({POST: GOOD + "\n[链接](java\tscript:alert(1))\n"}, POST, "does not exist"),
}


@pytest.mark.parametrize("name", list(CASES))
def test_check_and_site_name_the_file(tmp_path, name, capsys, monkeypatch):
    files, culprit, expected = CASES[name]
    content = _tree(tmp_path, files)
    problems, _ = check_content(content, load_settings(ROOT / "pelicanconf.py"), relative_to=tmp_path)
    assert any(p.path == f"content/{culprit}" and expected in str(p) for p in problems), problems
    monkeypatch.chdir(tmp_path)
    status = site_main(["--content", "content", "--settings", str(ROOT / "pelicanconf.py"), "--output", "output"])
    out = capsys.readouterr()
    log = out.out + out.err
    assert status == 1, log
    assert f"content/{culprit}" in log and expected in log, log
    assert not (tmp_path / "output").exists()


@pytest.mark.parametrize("name", ["second-title", "second-category", "date-0001", "date-2999", "tag-without-slug",
                                  "list-2000-levels"])
def test_the_build_without_the_check_names_the_file(tmp_path, name):
    """The build-time guard alone (Pelican reads these posts, as `make serve` does)."""
    result = _site(_tree(tmp_path, {f"news/traffic/2022/{name}.md": CASES[name][0][POST]}), "--no-check")
    log = result.stdout + result.stderr
    assert result.returncode == 1, log
    assert "Traceback" not in log, log
    assert f"{name}.md" in log.replace("\n", "").replace(" ", ""), log


def test_a_draft_may_carry_its_future_publication_date(tmp_path):
    draft = GOOD.replace("2022-03-01 10:00", "2999-01-01").replace("Slug:", "Status: draft\nSlug:")
    content = _tree(tmp_path, {POST: draft})
    assert check_content(content, load_settings(ROOT / "pelicanconf.py"), relative_to=tmp_path)[0] == []


CARELESS_BUT_VALID = {
    # BOM, CRLF and lone CR line ends; a tab after the colon; U+2028 and bidi/zero-width marks in a title
    "bom-crlf": "\ufeff" + GOOD.replace("\n", "\r\n"),
    "lone-cr": GOOD.replace("\n", "\r"),
    "tab-after-colon": GOOD.replace("Title: ", "Title:\t"),
    "u2028-title": GOOD.replace("Title: 测试文章", "Title: 测试\u2028文章\u200b\u202e"),
    # footnotes (not reference links), a titled link, a form's blanks, 80 nested list levels
    "footnote": GOOD + "\n正文[^1]。\n\n[^1]: 脚注内容\n",
    "titled-link": GOOD + "\n[链接](https://example.org/a \"标题\")\n",
    "blanks": GOOD + "\n姓名：" + "_" * 200 + "\n",
    "list-80-levels": GOOD + "\n" + "\n".join("    " * i + "- x" for i in range(80)) + "\n",
}


def test_careless_but_valid_posts_pass_the_check_and_are_published(tmp_path):
    files = {f"news/traffic/2022/{name}.md": text.replace("test-article", name)
             for name, text in CARELESS_BUT_VALID.items()}
    content = _tree(tmp_path, files)
    problems, _ = check_content(content, load_settings(ROOT / "pelicanconf.py"), relative_to=tmp_path)
    assert problems == [], "\n".join(map(str, problems))
    result = _site(content)
    assert result.returncode == 0, result.stdout + result.stderr
    for name in CARELESS_BUT_VALID:
        assert (tmp_path / "output" / "news" / "2022" / "03" / f"{name}.html").is_file(), name
