"""The content rules, in one place.

Used twice, with the same wording:

* at build time by the Pelican plugin ``content_guard`` (``check_items`` over Pelican's
  content objects), so no build publishes a broken post;
* before any build by ``make check`` (``plugins/content_check``), which reads the
  Markdown files themselves, without Pelican, and so also knows line numbers.

Each rule is a plain function over plain values that returns ``None`` or a
:class:`Finding`: what is wrong and how to fix it, in Chinese and in English.  A
:class:`Problem` places a finding in a file (and a line when known) and prints as
``file:line: 中文 / English — 修改方法 / how to fix it``.

This module imports nothing from Pelican, so ``make check`` stays fast.
"""

from __future__ import annotations

import difflib
import os
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

# Lowercase ASCII words joined by single hyphens: readable in a URL, safe on
# every file system, never a path (no "/", "..", or spaces).
SAFE_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

# What `make new` writes where the editor still has to write something.
PLACEHOLDER = "TODO(编辑)"

# An explicit `Summary:` longer than this is refused (Chinese characters and Latin words
# count one each); the setting `SUMMARY_MAX_CHARS` overrides it.
DEFAULT_SUMMARY_MAX_CHARS = 200

# `Date:` as editors and the scraper write it: Beijing time, minutes optional.
DATE_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d")
DATE_EXAMPLE = "2022-03-01 10:00"

# Metadata keys the project uses (lower case).  An unknown key close to one of
# these is almost certainly a typo that Pelican would silently ignore.
KNOWN_KEYS = (
    "title", "date", "modified", "category", "tags", "slug", "lang", "summary", "status",
    "author", "authors", "source", "source_url", "source_id", "recommended", "hot", "review",
    "template", "save_as", "url", "menu_label",
)
FLAG_KEYS = ("recommended", "hot")
FLAG_WORDS = ("true", "false", "yes", "no", "1", "0")
STATUSES = ("published", "draft", "hidden")


_TERMINAL_UNSAFE = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class Finding:
    """What is wrong and how to fix it, in Chinese and English."""

    zh: str
    en: str
    fix_zh: str
    fix_en: str

    def __str__(self) -> str:
        return f"{self.zh} / {self.en} — {self.fix_zh} / {self.fix_en}"


@dataclass(frozen=True)
class Problem:
    """A finding placed in a file (and a line, when known)."""

    path: str
    line: int | None
    finding: Finding

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        # One line for a terminal: a control character from a file name or a value it quotes is
        # shown as an escape (\x1b), never sent to the terminal as one.
        return _TERMINAL_UNSAFE.sub(lambda m: m[0].encode("unicode_escape").decode("ascii"), f"{where}: {self.finding}")

    def sort_key(self):
        return (self.path, self.line or 0, str(self.finding))


class ContentError(Exception):
    """Content that must not be published; the message lists every problem."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__(
            f"{len(self.problems)} problem(s) in content/, nothing was published "
            f"/ 内容有 {len(self.problems)} 个问题，网站没有生成:\n"
            + "\n".join(f"  {p}" for p in self.problems)
        )


# --- settings ---------------------------------------------------------------------------------

def column_names(settings) -> list[str]:
    return [name for name, _slug in settings.get("NEWS_COLUMNS", [])]


def _languages(settings) -> list[dict]:
    langs = list(settings.get("SITE_LANGUAGES") or [])
    if not langs:
        langs = [{"code": str(settings.get("DEFAULT_LANG", "zh-hans")).lower()}]
    return langs


# `SITE_LANGUAGES` sources whose pages are made from another language's posts, never written by editors.
GENERATED_SOURCES = ("opencc",)


def is_generated(entry: dict) -> bool:
    """A language built from another one (繁體 from 简体: ``"source": "opencc"``), never written by editors."""
    return bool(entry.get("generated")) or entry.get("source") in GENERATED_SOURCES


def default_lang(settings) -> str:
    return str(settings.get("DEFAULT_LANG") or _languages(settings)[0]["code"]).lower()


def lang_tag(code: str, settings) -> str:
    """The spelling editors write (``zh-Hans``) for a lower-case code."""
    for entry in _languages(settings):
        if entry["code"].lower() == code.lower():
            return entry.get("tag", entry["code"])
    return code


def _join(items, sep=", ") -> str:
    return sep.join(items)


# --- the rules (plain values in, a Finding or None out) ---------------------------------------

def missing_field(field: str, settings) -> Finding:
    columns = column_names(settings)
    if field == "title":
        return Finding("缺少标题", "has no title",
                       "在开头加一行 `Title: 文章标题`", "add a line `Title: <headline>` at the top")
    if field == "date":
        return Finding("缺少日期", "has no date",
                       f"加一行 `Date: {DATE_EXAMPLE}`（北京时间）",
                       f"add a line `Date: {DATE_EXAMPLE}` (Beijing time)")
    if field == "category":
        return Finding("缺少栏目", "has no category",
                       f"加一行 `Category: {columns[0] if columns else ''}`（可选：{_join(columns, '、')}）",
                       f"add `Category: {columns[0] if columns else ''}` (one of: {_join(columns)})")
    if field == "slug":
        return Finding("缺少网址名", "has no slug",
                       "加一行 `Slug: shandong-police-2022`（小写英文字母、数字和连字符）",
                       "add a line `Slug: crsa-1234` (lowercase letters, digits and hyphens)")
    return Finding(f"缺少 {field}", f"has no {field}", f"加一行 `{field.title()}: …`", f"add `{field.title()}: …`")


def slug_problem(slug) -> Finding | None:
    if not slug:
        return Finding("缺少网址名", "has no slug",
                       "加一行 `Slug: shandong-police-2022`（小写英文字母、数字和连字符）",
                       "add a line `Slug: crsa-1234` (lowercase letters, digits and hyphens)")
    if not SAFE_SLUG.match(slug):
        return Finding(
            f"网址名 {slug!r} 不合规", f"slug {slug!r} is not allowed",
            "只能用小写英文字母 a-z、数字和单个连字符，例如 `Slug: shandong-police-2021`；不能有斜杠、点或汉字",
            "use only lowercase letters a-z, digits and single hyphens (for example `Slug: shandong-police-2021`); "
            "slashes, dots and Chinese characters are not allowed",
        )
    return None


def category_problem(name, settings) -> Finding | None:
    columns = column_names(settings)
    if not name:
        return missing_field("category", settings)
    if name not in columns:
        close = difflib.get_close_matches(name, columns, n=1, cutoff=0.5)
        hint_zh = f"（是不是 {close[0]}？）" if close else ""
        hint_en = f" (did you mean {close[0]}?)" if close else ""
        return Finding(
            f"栏目 {name!r} 不存在", f"category {name!r} is not a news column",
            f"请改为 {_join(columns, '、')} 之一{hint_zh}", f"use one of: {_join(columns)}{hint_en}",
        )
    return None


def parse_date(raw: str) -> datetime | None:
    text = (raw or "").strip()
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            continue
    return None


def date_problem(raw) -> Finding | None:
    if not (raw or "").strip():
        return Finding("缺少日期", "has no date",
                       f"加一行 `Date: {DATE_EXAMPLE}`（北京时间）", f"add a line `Date: {DATE_EXAMPLE}` (Beijing time)")
    if parse_date(raw) is None:
        return Finding(f"日期无法解析 {raw.strip()!r}", f"date {raw.strip()!r} cannot be parsed",
                       f"请写成 {DATE_EXAMPLE}", f"write it as {DATE_EXAMPLE}")
    return None


def lang_problem(lang, settings, *, written_by_editor: bool = True) -> Finding | None:
    """``lang`` must be one of SITE_LANGUAGES (any case); editors never write a generated one."""
    if not lang:
        return None  # the default language
    entries = _languages(settings)
    writable = [e for e in entries if not (written_by_editor and is_generated(e))]
    tags = [e.get("tag", e["code"]) for e in writable]
    for entry in entries:
        if entry["code"].lower() == str(lang).strip().lower():
            if entry in writable:
                return None
            return Finding(
                f"语言 {lang!r} 的版本是自动生成的，不能手写", f"language {lang!r} is generated, never written by hand",
                f"删除这个文件，或改成 {_join(tags, '、')} 之一", f"delete this file, or use one of: {_join(tags)}",
            )
    return Finding(f"未知语言 {lang!r}", f"unknown language {lang!r}",
                   f"请写 `Lang: {tags[0]}`（可选：{_join(tags, '、')}）",
                   f"write `Lang: {tags[0]}` (one of: {_join(tags)})")


_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\u3040-\u30ff\uac00-\ud7af]")
_WORD = re.compile(r"[A-Za-z0-9]+(?:['’.-][A-Za-z0-9]+)*")


def summary_length(summary) -> int:
    """Length as a reader feels it: each Chinese character and each Latin word counts one."""
    text = re.sub(r"<[^>]+>", "", str(summary or ""))
    return len(_CJK.findall(text)) + len(_WORD.findall(text))


def summary_problem(summary, settings) -> Finding | None:
    limit = int(settings.get("SUMMARY_MAX_CHARS", DEFAULT_SUMMARY_MAX_CHARS))
    length = summary_length(summary)
    if length > limit:
        return Finding(f"摘要太长（{length} 字，最多 {limit} 字）",
                       f"summary is too long ({length} characters or words, at most {limit})",
                       f"把 `Summary:` 缩短到 {limit} 字以内", f"shorten `Summary:` to {limit} characters or words")
    return None


def flag_problem(key: str, value) -> Finding | None:
    if str(value).strip().lower() in FLAG_WORDS:
        return None
    name = key.title()
    return Finding(f"{name} 的值 {str(value).strip()!r} 无效", f"{name} value {str(value).strip()!r} is not true or false",
                   f"写 `{name}: true` 或删除这一行", f"write `{name}: true`, or delete the line")


def status_problem(value) -> Finding | None:
    if not value or str(value).strip().lower() in STATUSES:
        return None
    return Finding(f"状态 {str(value).strip()!r} 无效", f"status {str(value).strip()!r} is not known",
                   "写 `Status: draft`（草稿，不发布）或删除这一行", "write `Status: draft` (not published), or delete the line")




def misspelled_key(key: str) -> Finding | None:
    low = key.lower()
    if low in KNOWN_KEYS:
        return None
    close = difflib.get_close_matches(low, KNOWN_KEYS, n=1, cutoff=0.75)
    if not close:
        return None
    right = close[0].capitalize()
    return Finding(f"字段名 {key!r} 可能拼错了", f"unknown field {key!r}, probably a typo",
                   f"改成 `{right}:`", f"write `{right}:`")


def header_line_problem(text: str) -> Finding:
    return Finding(f"文章开头这一行不是 `字段: 值` 格式：{text.strip()!r}，它后面的字段都会被忽略",
                   f"front-matter line {text.strip()!r} is not `Key: value`, so the fields after it are ignored",
                   "改成 `Key: value` 格式（英文冒号加空格），或在它前面空一行",
                   "write it as `Key: value` (colon and space), or put a blank line before it")


def placeholder_problem() -> Finding:
    return Finding(f"还有没填写的占位文字 {PLACEHOLDER}", f"placeholder {PLACEHOLDER} is still there",
                   f"把标着 {PLACEHOLDER} 的文字换成真正的内容", f"replace the text marked {PLACEHOLDER} with the real text")


def duplicate_slug(slug: str, lang: str, others: list[str]) -> Finding:
    return Finding(f"网址名 {slug!r}（{lang}）已被 {_join(others, '、')} 使用",
                   f"slug {slug!r} ({lang}) is also used by {_join(others)}",
                   "给每篇文章一个不同的 `Slug:`", "give each post its own `Slug:`")


def same_output(save_as: str, others: list[str]) -> Finding:
    return Finding(f"会和 {_join(others, '、')} 写到同一个网址 {save_as}",
                   f"would be written to {save_as}, like {_join(others)}",
                   "给每篇文章一个不同的 `Slug:`", "give each post its own `Slug:`")


def translation_problem(slug, lang, settings, *, original_slug: str | None = None) -> Finding:
    """A translation (``lang`` not the default) whose ``slug`` no original uses."""
    default_tag = lang_tag(default_lang(settings), settings)
    if original_slug:
        fix_zh = f"把 `Slug:` 改成原文的 `Slug: {original_slug}`"
        fix_en = f"use the original's slug: `Slug: {original_slug}`"
    else:
        fix_zh = "译文的 `Slug:` 必须和原文（同名的 .md 文件）完全一样"
        fix_en = "a translation must have exactly the same `Slug:` as its original (the .md file of the same name)"
    return Finding(f"译文找不到原文：没有 {default_tag} 文章的网址名是 {slug!r}",
                   f"translation ({lang}) has no original: no {default_tag} post has slug {slug!r}",
                   fix_zh, fix_en)


def missing_file(target: str, *, image: bool) -> Finding:
    what_zh, what_en = ("图片", "image") if image else ("附件或链接的文件", "linked file")
    return Finding(f"{what_zh}不存在：{target}", f"{what_en} {target!r} does not exist",
                   "检查文件名（区分大小写），并把文件放在文章旁边，写成 `{attach}文件名`",
                   "check the file name (case matters) and put the file beside the post, as `{attach}name`")


def plain_relative_link(target: str, fixed: str, *, image: bool) -> Finding:
    what_zh, what_en = ("图片", "image") if image else ("附件", "attachment")
    return Finding(f"{what_zh}路径 {target!r} 在生成的网站里会失效", f"{what_en} path {target!r} breaks on the built site",
                   f"写成 `{fixed}`", f"write it as `{fixed}`")


def not_static(target: str, static_paths) -> Finding:
    return Finding(f"文件 {target} 不在会复制到网站的目录里", f"file {target!r} is outside the folders copied to the site",
                   f"把它放到 content/ 下的 {_join(static_paths, '、')} 目录里",
                   f"move it under content/{{{_join(static_paths, ',')}}}/")


def missing_post(target: str) -> Finding:
    return Finding(f"链接的文章不存在：{target}", f"linked post {target!r} does not exist",
                   "检查 `{filename}` 后面的路径（从 content/ 算起，如 `{filename}/news/traffic/2021/crsa-4821.md`）",
                   "check the path after `{filename}` (from content/, e.g. `{filename}/news/traffic/2021/crsa-4821.md`)")


def unreadable(error: str) -> Finding:
    return Finding("文件不是 UTF-8 编码的文本", f"file is not UTF-8 text ({error})",
                   "用编辑器“另存为 UTF-8”", "save it again as UTF-8")


# --- front-matter positions ---------------------------------------------------------------------

META_LINE = re.compile(r"^[ ]{0,3}(?P<key>[A-Za-z0-9_-]+):\s*(?P<value>.*)$")
META_CONTINUATION = re.compile(r"^[ ]{4,}(?P<value>.*)$")


def source_lines(text: str) -> list[str]:
    """The lines of a post as Python-Markdown splits them: at LF, CRLF and a lone CR only.

    ``str.splitlines`` also splits at U+2028/U+2029, U+0085, VT, FF and FS/GS/RS, which Markdown
    keeps inside a line (a `Title:` with U+2028 is one field, not two lines); tabs are expanded
    to 4 columns, as Markdown does before it reads the front matter.
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").expandtabs(4).split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def metadata_lines(path) -> dict[str, int]:
    """``key`` (lower case) → line number of its ``Key: value`` line; empty if unreadable."""
    try:
        with open(path, encoding="utf-8-sig") as handle:
            lines = {}
            for number, line in enumerate(handle, 1):
                line = line.rstrip("\r\n")
                if not line.strip():
                    break
                match = META_LINE.match(line)
                if match:
                    lines.setdefault(match["key"].lower(), number)
                elif not META_CONTINUATION.match(line):
                    break
            return lines
    except (OSError, UnicodeDecodeError):
        return {}


# --- the build-time guard over Pelican content objects ------------------------------------------

def source_of(item, settings) -> str:
    """The item's source path relative to the project, for messages."""
    path = getattr(item, "source_path", "") or ""
    base = os.path.dirname(os.path.abspath(settings.get("PATH", "content")))
    try:
        return os.path.relpath(path, base)
    except ValueError:
        return path


def check_items(items, settings, *, require_column: bool, originals=None) -> list[Problem]:
    """Problems of a list of articles or pages (originals, translations, drafts).

    ``originals`` (default: ``items``) are the items a translation may translate: a
    translation is refused when no original in the default language has its slug.
    """
    problems: list[Problem] = []
    by_output = defaultdict(list)
    by_slug_lang = defaultdict(list)
    line_cache: dict[str, dict[str, int]] = {}
    default = default_lang(settings)

    def add(item, key, finding):
        if finding is None:
            return
        source = getattr(item, "source_path", "") or ""
        if source not in line_cache:
            line_cache[source] = metadata_lines(source) if source else {}
        problems.append(Problem(source_of(item, settings), line_cache[source].get(key), finding))

    for item in items:
        slug = getattr(item, "slug", None)
        lang = str(getattr(item, "lang", "") or default).lower()
        add(item, "slug", slug_problem(slug))
        if require_column:
            category = getattr(item, "category", None)
            add(item, "category", category_problem(getattr(category, "name", "") if category else "", settings))
        add(item, "lang", lang_problem(lang, settings, written_by_editor=False))
        by_slug_lang[(slug, lang)].append(item)
        save_as = getattr(item, "save_as", None)
        if save_as:
            by_output[save_as].append(source_of(item, settings))

    if originals is None:
        original_slugs = {slug for (slug, lang) in by_slug_lang if lang == default}
    else:
        original_slugs = {getattr(o, "slug", None) for o in originals
                          if str(getattr(o, "lang", "") or default).lower() == default}
    reported = set()
    for (slug, lang), group in sorted(by_slug_lang.items(), key=lambda kv: str(kv[0])):
        wheres = [source_of(item, settings) for item in group]
        if slug and len(group) > 1:
            reported.update(wheres)
            add(group[-1], "slug", duplicate_slug(slug, lang_tag(lang, settings), wheres[:-1]))
        if slug and lang != default and slug not in original_slugs and lang_problem(lang, settings) is None:
            for item in group:
                add(item, "slug", translation_problem(slug, lang_tag(lang, settings), settings))
    for save_as, wheres in sorted(by_output.items()):
        distinct = sorted(set(wheres))
        if len(distinct) > 1 and not set(distinct) <= reported:
            problems.append(Problem(distinct[0], None, same_output(save_as, distinct[1:])))
    return sorted(problems, key=Problem.sort_key)
