"""Rules that make "`make check` passes" mean "the build passes" (issue 12).

Each is a plain function returning ``None`` or a :class:`~plugins.content_guard.rules.Finding`,
used by `make check` (``plugins/content_check/build_checks.py``, over the files, with line
numbers) and, where Pelican's objects carry the value, by the build-time guard
(``plugins/content_guard/__init__.py``): a post that would crash Pelican, publish nothing, or
publish something absurd is reported by name before Pelican reads it.

No Pelican import here (make check stays fast); callers compute slugs with Pelican's slugify.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from .rules import Finding, _join, source_lines

# The earliest year a post may carry (setting ``EARLIEST_POST_YEAR``); a later date than a day
# from now is refused too (a typo such as 2099, or a placeholder, would otherwise publish the
# post at the top of every list and put © 2999 in the footer).
DEFAULT_EARLIEST_POST_YEAR = 1990
FUTURE_TOLERANCE = timedelta(days=1)
# Longest slug: it becomes a file name (at most 255 bytes on every file system), under a prefix.
MAX_SLUG_LENGTH = 100
# Deepest nesting Markdown is asked to render: lists/blockquotes (a level per `>` or 4 columns of
# indentation), brackets, runs of emphasis marks.  Python-Markdown recurses per level: a few
# thousand levels exceed Python's recursion limit (the build stops), a thousand nested quote lines
# take minutes; no article nests a hundred levels.
MAX_NESTING = 100
MAX_EMPHASIS_RUN = 300
_QUOTES = re.compile(r"^(?:[ ]{0,3}>[ ]?)*")
_EMPHASIS_RUN = re.compile(rf"[*_]{{{MAX_EMPHASIS_RUN + 1},}}")
# Fields Pelican reads as a path or template of its own: a post does not choose them.
NOT_FOR_POSTS = ("save_as", "url")


def earliest_year(settings) -> int:
    return int(settings.get("EARLIEST_POST_YEAR") or DEFAULT_EARLIEST_POST_YEAR)


def now_in_site_time(settings) -> datetime:
    """Now, naive, in the site's ``TIMEZONE`` (how `Date:` is written)."""
    try:
        zone = ZoneInfo(settings.get("TIMEZONE") or "UTC")
    except (KeyError, ValueError):
        zone = ZoneInfo("UTC")
    return datetime.now(zone).replace(tzinfo=None)


def date_range_problem(date: datetime | None, settings, now: datetime, *, draft: bool = False) -> Finding | None:
    """``date`` (naive, site time) before ``EARLIEST_POST_YEAR`` or more than a day after ``now``
    (a draft may carry the date it is meant to be published on)."""
    if date is None:
        return None
    first = earliest_year(settings)
    if date.year < first:
        return Finding(f"日期 {date.year:04d}-{date:%m-%d} 早于 {first} 年", f"date {date.year:04d}-{date:%m-%d} is before {first}",
                       f"检查年份（最早 {first} 年；设置 EARLIEST_POST_YEAR）",
                       f"check the year (the earliest allowed is {first}: setting EARLIEST_POST_YEAR)")
    if date > now + FUTURE_TOLERANCE and not draft:
        return Finding(f"日期 {date:%Y-%m-%d} 在将来", f"date {date:%Y-%m-%d} is in the future",
                       "检查年份；要以后再发布，先加一行 `Status: draft`",
                       "check the year; to publish later, add `Status: draft` until then")
    return None


def translation_status(status: str, original_status: str) -> Finding:
    return Finding(f"译文的状态（{status}）和原文（{original_status}）不同",
                   f"the translation is {status} but its original is {original_status}",
                   f"写成同样的 `Status: {original_status}`（译文没写好时可以用 `Status: draft`）",
                   f"use the same `Status: {original_status}` (or `Status: draft` while the translation is unfinished)")


def translation_status_problem(status, original_status) -> Finding | None:
    """A published or hidden translation must have an original of the same status (Pelican pairs
    them per status: an English hidden translation of a published original became a hidden
    'original' of its own, rendered as 简体 and 繁體 pages).  A draft translation is always fine."""
    status, original_status = (status or "published").lower(), (original_status or "published").lower()
    if status == "draft" or status == original_status:
        return None
    return translation_status(status, original_status)


# Fields that must not be empty when present (an empty `Lang:` made Pelican write the post to
# "/news/…", outside the output; an empty `Status:` or `Author:` is no value Pelican accepts).
NOT_EMPTY = ("lang", "status", "template", "modified", "author", "authors")


def empty_field(key: str) -> Finding:
    name = key.capitalize()
    return Finding(f"字段 {name} 是空的", f"field {name} is empty", "写上值，或删除这一行", "write a value, or delete the line")


def source_url_problem(value: str) -> Finding | None:
    """`Source_url:` is the page's canonical link (<link rel="canonical">): a full http(s) address, or the link is broken."""
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(value.strip())
    except ValueError:
        parts = None
    if parts is not None and parts.scheme in ("http", "https") and parts.netloc:
        return None
    return Finding(f"来源网址 {value.strip()!r} 不是完整的网址", f"source URL {value.strip()!r} is not a full http(s) address",
                   "写成 https://www.crsa.net/… 这样的完整网址，或删除这一行",
                   "write a full address such as https://www.crsa.net/…, or delete the line")


def duplicate_key(key: str, first_line: int) -> Finding:
    name = key.capitalize()
    return Finding(f"字段 {name} 写了两次（第一次在第 {first_line} 行）", f"field {name} is given twice (first on line {first_line})",
                   "只保留一行", "keep one of the two lines")


def control_characters(codes) -> Finding:
    shown = ", ".join(f"U+{c:04X}" for c in sorted(codes))
    return Finding(f"有看不见的控制字符（{shown}）", f"contains invisible control characters ({shown})",
                   "删除它们（常见于从别的软件复制的文字），或重新另存为 UTF-8 文本",
                   "delete them (text pasted from another program often has them), or save the file again as UTF-8")


def no_slug_for(kind: str, name: str) -> Finding:
    what_zh = {"tag": "标签", "author": "作者"}.get(kind, kind)
    return Finding(f"{what_zh} {name!r} 生成不了网址", f"{kind} {name!r} makes no URL (no letters or digits)",
                   f"给{what_zh}加上文字或数字，或删除它", f"give the {kind} letters or digits, or remove it")


def long_name(kind: str, name: str, length: int) -> Finding:
    what_zh = {"tag": "标签", "author": "作者", "slug": "网址名"}.get(kind, kind)
    return Finding(f"{what_zh}太长（{length} 个字符）", f"{kind} is too long ({length} characters)",
                   f"缩短到 {MAX_SLUG_LENGTH} 个字符以内", f"shorten it to at most {MAX_SLUG_LENGTH} characters")


def slug_length_problem(slug) -> Finding | None:
    if slug and len(slug) > MAX_SLUG_LENGTH:
        return long_name("slug", slug, len(slug))
    return None


def reserved_page_slug(slug: str, taken_by: str) -> Finding:
    return Finding(f"网址名 {slug!r} 被网站的 {taken_by} 占用", f"slug {slug!r} is the site's own {taken_by}",
                   "换一个 `Slug:`", "choose another `Slug:`")


def template_problem(value: str, allowed: str) -> Finding:
    return Finding(f"模板 {value!r} 不能用于这篇文章", f"template {value!r} cannot render this post",
                   f"删除 `Template:` 这一行（默认就是 {allowed}）", f"delete the `Template:` line (the default is {allowed})")


def not_for_posts(key: str) -> Finding:
    name = key.capitalize()
    return Finding(f"不支持字段 {name}", f"field {name} is not supported",
                   "删除这一行；网址由 `Slug:` 和日期决定", "delete the line; the URL comes from `Slug:` and the date")


def filename_not_a_post(target: str) -> Finding:
    return Finding(f"`{{filename}}` 指向的不是文章：{target}", f"`{{filename}}` links {target!r}, which is not a post",
                   "图片和附件写成 `{attach}文件名`", "link images and attachments as `{attach}name`")


def static_is_a_post(target: str) -> Finding:
    return Finding(f"{target} 是一篇文章，不能当附件链接", f"{target!r} is a post, not a file to attach",
                   "链接文章写成 `{filename}路径`", "link a post as `{filename}path`")


def ignored_target(target: str) -> Finding:
    return Finding(f"文件 {target} 不会复制到网站（隐藏文件或被忽略的文件）",
                   f"file {target!r} is not copied to the site (hidden or ignored)",
                   "把文件改个名字（不以 . 开头）", "rename the file (no leading dot, not *.scraped.md)")


def unknown_link_target(kind: str, value: str, known) -> Finding:
    what_zh = {"category": "栏目", "tag": "标签", "author": "作者"}.get(kind, kind)
    if not known:
        return Finding(f"`{{{kind}}}` 链接不可用", f"`{{{kind}}}` links are not available on this site",
                       "改成普通链接或删除", "use an ordinary link, or remove it")
    return Finding(f"链接的{what_zh}不存在：{value}", f"linked {kind} {value!r} does not exist",
                   f"可选：{_join(sorted(known), '、')}", f"use one of: {_join(sorted(known))}")


# --- files under content/: every one is published, a known asset, or reported ------------------

def post_not_published(article_paths, page_paths) -> Finding:
    article = _join([f"content/{p}/<栏目>/" for p in article_paths], "、")
    page = _join([f"content/{p}/" for p in page_paths], "、")
    return Finding("这篇文章不会发布：它不在文章或页面目录里", "this post is not published: it is outside the post folders",
                   f"新闻移到 {article}（如 content/news/traffic/2022/），页面移到 {page}",
                   f"move a news post to {article.replace('<栏目>', '<column>')} (e.g. content/news/traffic/2022/), "
                   f"a page to {page}")


def file_not_published(static_paths) -> Finding:
    folders = _join([f"content/{p}/" for p in static_paths], "、")
    return Finding("这个文件不会发布到网站上", "this file is not published on the site",
                   f"图片和附件放在文章旁边（{folders} 下），不需要的文件请删除",
                   f"put images and attachments beside their post (under {folders.replace('、', ', ')}); delete files not needed")


def symlink_problem(state: str) -> Finding:
    zh = {"broken": "（指向的文件不存在）", "loop": "（循环链接）", "folder": "（指向文件夹）",
          "outside": "（指向 content/ 以外）"}.get(state, "")
    return Finding(f"这是一个符号链接{zh}", f"this is a symbolic link ({state})",
                   "换成文件本身的副本", "replace the link with a copy of the file itself")


def extension_case(suffix: str) -> Finding:
    return Finding(f"扩展名 {suffix} 要写成小写 {suffix.lower()}，否则不会作为文章发布",
                   f"extension {suffix} must be lower case ({suffix.lower()}), or the post is not published",
                   f"把文件改名为 …{suffix.lower()}", f"rename the file to …{suffix.lower()}")


def not_markdown(suffix: str) -> Finding:
    return Finding(f"{suffix} 文件不会作为文章发布（只会原样复制，内容不经检查）",
                   f"a {suffix} file is not published as a post (it would be copied as it is, unchecked)",
                   "把内容写成 Markdown（.md）文章；附件请改用 PDF 等格式",
                   "write it as a Markdown (.md) post; for an attachment use PDF or another document format")


def special_file() -> Finding:
    return Finding("这不是普通文件（管道、套接字或设备）", "this is not a regular file (a pipe, socket or device)",
                   "删除它", "delete it")


def undecodable_name() -> Finding:
    return Finding("文件名不是 UTF-8 编码", "the file name is not UTF-8",
                   "重命名这个文件", "rename the file")


def unreadable_file(error: str) -> Finding:
    return Finding(f"文件读不了（{error}）", f"the file cannot be read ({error})",
                   "检查文件权限，或重新保存这个文件", "check the file's permissions, or save it again")


def nesting_depth(line: str) -> int:
    """How deeply one (tab-expanded) line nests: `>` markers plus 4-column indents, or brackets."""
    if not line.startswith((" ", ">")) and line.count("[") <= MAX_NESTING:
        return 0  # most lines: no quote marker, no indent, few brackets (the rest below gives 0 too)
    quotes = _QUOTES.match(line).group()
    rest = line[len(quotes):]
    block = quotes.count(">") + (len(rest) - len(rest.lstrip(" "))) // 4
    depth = deepest = 0
    if line.count("[") > MAX_NESTING:
        for char in line:
            if char == "[":
                depth += 1
                deepest = max(deepest, depth)
            elif char == "]" and depth:
                depth -= 1
    return max(block, deepest)


def nesting_problem(line: str) -> Finding | None:
    """A line Markdown cannot render in reasonable time or stack (see ``MAX_NESTING``)."""
    depth = nesting_depth(line)
    if depth > MAX_NESTING:
        return Finding(f"这一行嵌套太深（{depth} 层，最多 {MAX_NESTING} 层），网站无法生成",
                       f"this line nests {depth} levels deep (lists, quotes, indents or brackets; at most "
                       f"{MAX_NESTING}), which the build cannot render",
                       "减少列表、引用（>）、缩进或方括号的层数", "flatten the lists, quotes (>), indentation or brackets")
    run = _EMPHASIS_RUN.search(line)
    if run:
        return Finding(f"这一行有 {len(run.group())} 个连续的 * 或 _，网站无法生成",
                       f"this line has a run of {len(run.group())} * or _ characters, which the build cannot render",
                       f"缩短到 {MAX_EMPHASIS_RUN} 个以内，或写成 \\* 转义", f"shorten it to at most {MAX_EMPHASIS_RUN}, or escape them as \\*")
    return None


def body_nesting_problem(lines: list[str]) -> tuple[int, Finding] | None:
    """(line number, finding) of the first body line (after the first blank line) of a post's
    ``source_lines`` that nests too deeply; ``None`` when Markdown can render the body."""
    in_body = False
    for number, line in enumerate(lines, 1):
        if not in_body:
            in_body = not line.strip()
            continue
        finding = nesting_problem(line)
        if finding:
            return number, finding
    return None


# A line nests deeper than MAX_NESTING only with > MAX_NESTING/2 `>` or ≥ 4 × MAX_NESTING/2 columns of
# indentation, or > MAX_NESTING `[`: a file with none of these anywhere cannot (checked in C, not line
# by line: every build reads every post).
_DEEP_INDENT = re.compile(rf"^ {{{4 * (MAX_NESTING // 2)}}}", re.MULTILINE)


def _cannot_nest_too_deeply(text: str) -> bool:
    if "\r" in text or "\t" in text:
        return False  # lines and columns as Markdown counts them: the line-by-line check
    return (text.count(">") <= MAX_NESTING // 2 and text.count("[") <= MAX_NESTING
            and not _DEEP_INDENT.search(text) and not _EMPHASIS_RUN.search(text))


def file_nesting_problem(path) -> tuple[int, Finding] | None:
    """``body_nesting_problem`` of a Markdown file (``None`` when it cannot be read: reported elsewhere)."""
    try:
        with open(path, encoding="utf-8-sig") as handle:
            text = handle.read()
    except (OSError, UnicodeDecodeError):
        return None
    if _cannot_nest_too_deeply(text):
        return None
    return body_nesting_problem(source_lines(text))
