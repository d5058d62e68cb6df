"""`make check`: each rule, a broken post, the exact message (file:line: 中文 / English — 改法 / fix)."""

import pytest
from editors_support import GOOD, POST, SETTINGS, write_tree

from plugins.content_check.checker import check_content, report

COLUMNS_ZH = "交管动态、协会动态、行业动态"
COLUMNS_EN = "交管动态, 协会动态, 行业动态"


def messages(tmp_path, files, settings=SETTINGS):
    content = write_tree(tmp_path, files)
    problems, _count = check_content(content, settings, relative_to=tmp_path)
    return [str(p) for p in problems]


def test_a_good_post_and_its_translation_pass(tmp_path):
    en = GOOD.replace("Title: 测试文章", "Title: Test").replace("Lang: zh-Hans", "Lang: en")
    assert messages(tmp_path, {POST: GOOD, POST.replace(".md", ".en.md"): en}) == []


CASES = {
    "missing-title": (
        GOOD.replace("Title: 测试文章\n", ""),
        [f"{POST}:1: 缺少标题 / has no title — 在开头加一行 `Title: 文章标题` / add a line `Title: <headline>` at the top"],
    ),
    "missing-date": (
        GOOD.replace("Date: 2022-03-01 10:00\n", ""),
        [f"{POST}:1: 缺少日期 / has no date — 加一行 `Date: 2022-03-01 10:00`（北京时间） "
         "/ add a line `Date: 2022-03-01 10:00` (Beijing time)"],
    ),
    "unparseable-date": (
        GOOD.replace("2022-03-01 10:00", "2022-13-01"),
        [f"{POST}:2: 日期无法解析 '2022-13-01' / date '2022-13-01' cannot be parsed — 请写成 2022-03-01 10:00 "
         "/ write it as 2022-03-01 10:00"],
    ),
    "chinese-date": (
        GOOD.replace("2022-03-01 10:00", "2022年3月1日"),
        [f"{POST}:2: 日期无法解析 '2022年3月1日' / date '2022年3月1日' cannot be parsed — 请写成 2022-03-01 10:00 "
         "/ write it as 2022-03-01 10:00"],
    ),
    "missing-category": (
        GOOD.replace("Category: 交管动态\n", ""),
        [f"{POST}:1: 缺少栏目 / has no category — 加一行 `Category: 交管动态`（可选：{COLUMNS_ZH}） "
         f"/ add `Category: 交管动态` (one of: {COLUMNS_EN})"],
    ),
    "unknown-category": (
        GOOD.replace("Category: 交管动态", "Category: 体育新闻"),
        [f"{POST}:3: 栏目 '体育新闻' 不存在 / category '体育新闻' is not a news column — 请改为 {COLUMNS_ZH} 之一 "
         f"/ use one of: {COLUMNS_EN}"],
    ),
    "near-miss-category": (
        GOOD.replace("Category: 交管动态", "Category: 交管新闻"),
        [f"{POST}:3: 栏目 '交管新闻' 不存在 / category '交管新闻' is not a news column — 请改为 {COLUMNS_ZH} 之一"
         f"（是不是 交管动态？） / use one of: {COLUMNS_EN} (did you mean 交管动态?)"],
    ),
    "missing-slug": (
        GOOD.replace("Slug: test-article\n", ""),
        [f"{POST}:1: 缺少网址名 / has no slug — 加一行 `Slug: shandong-police-2022`（小写英文字母、数字和连字符） "
         "/ add a line `Slug: crsa-1234` (lowercase letters, digits and hyphens)"],
    ),
    "dotdot-slug": (
        GOOD.replace("Slug: test-article", "Slug: ../../escape"),
        [f"{POST}:4: 网址名 '../../escape' 不合规 / slug '../../escape' is not allowed — 只能用小写英文字母 a-z、数字和"
         "单个连字符，例如 `Slug: shandong-police-2021`；不能有斜杠、点或汉字 / use only lowercase letters a-z, digits "
         "and single hyphens (for example `Slug: shandong-police-2021`); slashes, dots and Chinese characters are "
         "not allowed"],
    ),
    "unknown-lang": (
        GOOD.replace("Lang: zh-Hans", "Lang: fr"),
        [f"{POST}:5: 未知语言 'fr' / unknown language 'fr' — 请写 `Lang: zh-Hans`（可选：zh-Hans、en） "
         "/ write `Lang: zh-Hans` (one of: zh-Hans, en)"],
    ),
    "generated-lang": (
        GOOD.replace("Lang: zh-Hans", "Lang: zh-Hant"),
        [f"{POST}:5: 语言 'zh-Hant' 的版本是自动生成的，不能手写 / language 'zh-Hant' is generated, never written by "
         "hand — 删除这个文件，或改成 zh-Hans、en 之一 / delete this file, or use one of: zh-Hans, en"],
    ),
    "long-summary": (
        GOOD.replace("Summary: 一句话摘要。", "Summary: " + "很长的摘要" * 41),
        [f"{POST}:6: 摘要太长（205 字，最多 200 字） / summary is too long (205 characters or words, at most 200) — "
         "把 `Summary:` 缩短到 200 字以内 / shorten `Summary:` to 200 characters or words"],
    ),
    "bad-flag": (
        GOOD.replace("Lang: zh-Hans\n", "Lang: zh-Hans\nRecommended: 是\n"),
        [f"{POST}:6: Recommended 的值 '是' 无效 / Recommended value '是' is not true or false — "
         "写 `Recommended: true` 或删除这一行 / write `Recommended: true`, or delete the line"],
    ),
    "bad-status": (
        GOOD.replace("Lang: zh-Hans\n", "Lang: zh-Hans\nStatus: 草稿\n"),
        [f"{POST}:6: 状态 '草稿' 无效 / status '草稿' is not known — 写 `Status: draft`（草稿，不发布）或删除这一行 "
         "/ write `Status: draft` (not published), or delete the line"],
    ),
    "misspelled-field": (
        GOOD.replace("Summary:", "Sumary:"),
        [f"{POST}:6: 字段名 'Sumary' 可能拼错了 / unknown field 'Sumary', probably a typo — 改成 `Summary:` "
         "/ write `Summary:`"],
    ),
    "broken-front-matter": (
        GOOD.replace("Category: 交管动态", "Category：交管动态"),
        [f"{POST}:1: 缺少栏目 / has no category — 加一行 `Category: 交管动态`（可选：{COLUMNS_ZH}） "
         f"/ add `Category: 交管动态` (one of: {COLUMNS_EN})",
         f"{POST}:1: 缺少网址名 / has no slug — 加一行 `Slug: shandong-police-2022`（小写英文字母、数字和连字符） "
         "/ add a line `Slug: crsa-1234` (lowercase letters, digits and hyphens)",
         f"{POST}:3: 文章开头这一行不是 `字段: 值` 格式：'Category：交管动态'，它后面的字段都会被忽略 / front-matter line "
         "'Category：交管动态' is not `Key: value`, so the fields after it are ignored — 改成 `Key: value` 格式"
         "（英文冒号加空格），或在它前面空一行 / write it as `Key: value` (colon and space), or put a blank line before it"],
    ),
    "placeholder-left": (
        GOOD.replace("正文。", "TODO(编辑) 在这里写正文。"),
        [f"{POST}:8: 还有没填写的占位文字 TODO(编辑) / placeholder TODO(编辑) is still there — 把标着 TODO(编辑) 的文字"
         "换成真正的内容 / replace the text marked TODO(编辑) with the real text"],
    ),
    "missing-image": (
        GOOD + "\n![现场照片]({attach}scene.jpg)\n",
        [f"{POST}:10: 图片不存在：scene.jpg / image 'scene.jpg' does not exist — 检查文件名（区分大小写），并把文件放在文章"
         "旁边，写成 `{attach}文件名` / check the file name (case matters) and put the file beside the post, as "
         "`{attach}name`"],
    ),
    "missing-attachment-html": (
        GOOD + '\n<a href="{static}/images/notice.pdf">通知</a>\n',
        [f"{POST}:10: 附件或链接的文件不存在：/images/notice.pdf / linked file '/images/notice.pdf' does not exist — "
         "检查文件名（区分大小写），并把文件放在文章旁边，写成 `{attach}文件名` / check the file name (case matters) and "
         "put the file beside the post, as `{attach}name`"],
    ),
    "missing-linked-post": (
        GOOD + "\n见[上一篇]({filename}/news/traffic/2021/none.md)。\n",
        [f"{POST}:10: 链接的文章不存在：/news/traffic/2021/none.md / linked post '/news/traffic/2021/none.md' does not "
         "exist — 检查 `{filename}` 后面的路径（从 content/ 算起，如 `{filename}/news/traffic/2021/crsa-4821.md`） / "
         "check the path after `{filename}` (from content/, e.g. `{filename}/news/traffic/2021/crsa-4821.md`)"],
    ),
}


@pytest.mark.parametrize("text, expected", list(CASES.values()), ids=list(CASES))
def test_each_broken_post_gives_the_exact_message(tmp_path, text, expected):
    assert messages(tmp_path, {POST: text}) == expected


def test_plain_relative_image_that_exists_must_use_attach(tmp_path):
    files = {POST: GOOD + "\n![现场](scene.jpg)\n", "content/news/traffic/2022/scene.jpg": b"\xff\xd8jpeg"}
    assert messages(tmp_path, files) == [
        f"{POST}:10: 图片路径 'scene.jpg' 在生成的网站里会失效 / image path 'scene.jpg' breaks on the built site — "
        "写成 `{attach}scene.jpg` / write it as `{attach}scene.jpg`"
    ]


def test_images_and_attachments_that_exist_pass(tmp_path):
    files = {
        POST: GOOD + "\n![现场]({attach}scene.jpg)\n\n[通知]({static}/images/notice.pdf)\n\n"
                     "[原文](https://www.crsa.net/news/article/1)\n\n```\n![代码里的](none.png)\n```\n",
        "content/news/traffic/2022/scene.jpg": b"\xff\xd8jpeg",
        "content/images/notice.pdf": b"%PDF-1.4",
    }
    assert messages(tmp_path, files) == []


def test_attachment_outside_the_static_folders(tmp_path):
    files = {POST: GOOD + "\n[表格]({static}/pages/form.xls)\n", "content/pages/form.xls": b"xls"}
    assert messages(tmp_path, files) == [
        f"{POST}:10: 文件 /pages/form.xls 不在会复制到网站的目录里 / file '/pages/form.xls' is outside the folders "
        "copied to the site — 把它放到 content/ 下的 images、news 目录里 / move it under content/{images,news}/",
        "content/pages/form.xls: 这个文件不会发布到网站上 / this file is not published on the site — 图片和附件放在"
        "文章旁边（content/images/、content/news/ 下），不需要的文件请删除 / put images and attachments beside their "
        "post (under content/images/, content/news/); delete files not needed",
    ]


def test_duplicate_slug_names_both_files(tmp_path):
    other = POST.replace("x.md", "y.md")
    assert messages(tmp_path, {POST: GOOD, other: GOOD.replace("测试文章", "另一篇")}) == [
        f"{other}:4: 网址名 'test-article'（zh-Hans）已被 {POST} 使用 / slug 'test-article' (zh-Hans) is also used by "
        f"{POST} — 给每篇文章一个不同的 `Slug:` / give each post its own `Slug:`"
    ]


def test_translation_must_point_at_an_existing_original(tmp_path):
    en_path = POST.replace(".md", ".en.md")
    en = GOOD.replace("Lang: zh-Hans", "Lang: en").replace("Slug: test-article", "Slug: test-article-en")
    assert messages(tmp_path, {POST: GOOD, en_path: en}) == [
        f"{en_path}:4: 译文找不到原文：没有 zh-Hans 文章的网址名是 'test-article-en' / translation (en) has no original: "
        "no zh-Hans post has slug 'test-article-en' — 把 `Slug:` 改成原文的 `Slug: test-article` / use the original's "
        "slug: `Slug: test-article`"
    ]


def test_translation_with_no_original_file_at_all(tmp_path):
    en_path = POST.replace(".md", ".en.md")
    assert messages(tmp_path, {en_path: GOOD.replace("Lang: zh-Hans", "Lang: en")}) == [
        f"{en_path}:4: 译文找不到原文：没有 zh-Hans 文章的网址名是 'test-article' / translation (en) has no original: "
        "no zh-Hans post has slug 'test-article' — 译文的 `Slug:` 必须和原文（同名的 .md 文件）完全一样 / a translation "
        "must have exactly the same `Slug:` as its original (the .md file of the same name)"
    ]


def test_file_that_is_not_utf8(tmp_path):
    assert messages(tmp_path, {POST: GOOD.encode("gb18030")}) == [
        f"{POST}:1: 文件不是 UTF-8 编码的文本 / file is not UTF-8 text (byte 7) — 用编辑器“另存为 UTF-8” "
        "/ save it again as UTF-8"
    ]


def test_all_problems_are_reported_at_once_sorted_by_file_and_line(tmp_path):
    broken = GOOD.replace("2022-03-01 10:00", "yesterday").replace("交管动态", "体育").replace("test-article", "测试")
    other = POST.replace("x.md", "a.md")
    found = messages(tmp_path, {POST: broken, other: GOOD.replace("Lang: zh-Hans", "Lang: de")})
    assert [m.split(" / ")[0] for m in found] == [
        f"{other}:5: 未知语言 'de'",
        f"{POST}:2: 日期无法解析 'yesterday'",
        f"{POST}:3: 栏目 '体育' 不存在",
        f"{POST}:4: 网址名 '测试' 不合规",
    ]
    summary = report([p for p in check_content(tmp_path / "content", SETTINGS, relative_to=tmp_path)[0]], 2)
    assert summary.splitlines()[-1] == "4 个问题，请修改后再生成网站 / 4 problem(s) in content/, fix them before building"


def test_scraped_proposals_and_hidden_files_are_ignored(tmp_path):
    files = {POST: GOOD, POST.replace(".md", ".scraped.md"): "garbage", "content/news/.draft.md": "garbage"}
    assert messages(tmp_path, files) == []


def test_pages_need_a_title_but_no_column(tmp_path):
    page = "Title: 关于协会\nSlug: about\nLang: zh-Hans\n\n正文。\n"
    assert messages(tmp_path, {"content/pages/about.md": page}) == []
    assert messages(tmp_path, {"content/pages/about.md": page.replace("Title: 关于协会\n", "")}) == [
        "content/pages/about.md:1: 缺少标题 / has no title — 在开头加一行 `Title: 文章标题` / add a line "
        "`Title: <headline>` at the top"
    ]


@pytest.mark.parametrize("value", ["../../../../etc/passwd", "no-such-template", "article.html", "article"])
def test_template_must_be_one_of_the_themes(tmp_path, value):
    """`Template:` that the theme lacks stops Pelican's build: `make check` says so first."""
    from build_helpers import ROOT

    from plugins.content_check.checker import load_settings

    settings = load_settings(ROOT / "pelicanconf.py")
    found = messages(tmp_path, {POST: GOOD.replace("Lang: zh-Hans\n", f"Lang: zh-Hans\nTemplate: {value}\n")}, settings)
    if value == "article":
        assert found == []
    else:
        # One rule (plugins/content_guard/build_rules.py): an article renders with `article` only.
        assert found == [f"{POST}:6: 模板 {value!r} 不能用于这篇文章 / template {value!r} cannot render this post — "
                         "删除 `Template:` 这一行（默认就是 article） / delete the `Template:` line (the default is article)"]
