"""Create ``content/news/<column-slug>/<year>/<slug>.md`` (and ``<slug>.en.md``), never overwriting.

The post passes every rule of ``make check`` except one on purpose: the places the
editor still has to write are marked ``TODO(编辑)``, and ``make check`` (so ``make site``)
refuses them until they are replaced — an empty stub can be previewed but never published.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from plugins.content_check.checker import find_posts, read_post
from plugins.content_guard import rules

ENGLISH = "en"


class NewPostError(Exception):
    """A refusal, with its bilingual explanation as the message."""


@dataclass
class Created:
    paths: list[Path]
    slug: str


def _column(category: str, settings) -> tuple[str, str]:
    columns = settings.get("NEWS_COLUMNS", [])
    for name, slug in columns:
        if category.strip() in (name, slug):
            return name, slug
    names = "、".join(name for name, _ in columns)
    raise NewPostError(
        f"栏目 {category!r} 不存在，请用 {names} 之一 / category {category!r} is not a news column — "
        f"use one of: {', '.join(name for name, _ in columns)} (例如 / e.g. CATEGORY={columns[0][0]})"
        if category.strip() else
        f"请指定栏目 / CATEGORY is missing — 例如 / e.g. make new TITLE=\"…\" CATEGORY={columns[0][0]} ({names})"
    )


def _used_slugs(content: Path, settings) -> set[str]:
    used = set()
    scratch: list = []
    settings = dict(settings, PATH=str(content))
    for path, kind in find_posts(content, settings):
        post = read_post(path, kind, str(path), scratch)
        if post and post.meta.get("slug"):
            used.add(post.meta["slug"])
    return used


def _english_entry(settings) -> dict | None:
    for entry in settings.get("SITE_LANGUAGES") or []:
        if entry["code"].lower() == ENGLISH and not rules.is_generated(entry):
            return entry
    return None


def render(title: str, date: str, column: str, slug: str, lang_tag: str, *, english: bool = False) -> str:
    """The new post's text; ``english`` gives the translation stub (same slug, English placeholders)."""
    if english:
        title = f"{rules.PLACEHOLDER} English title of “{title}”"
        summary = "One or two sentences in English."
        body = "The English translation goes here; keep the same `Slug:` as the Chinese post."
    else:
        summary = "用一两句话概括这篇文章"
        body = "在这里写正文，段落之间空一行；小标题写成“## 小标题”。"
    return (
        f"Title: {title}\n"
        f"Date: {date}\n"
        f"Category: {column}\n"
        f"Slug: {slug}\n"
        f"Lang: {lang_tag}\n"
        f"Summary: {rules.PLACEHOLDER} {summary}\n"
        "\n"
        f"{rules.PLACEHOLDER} {body}\n"
    )


def create_post(content: Path, settings: dict, *, title: str, category: str, slug: str | None = None,
                english: bool = False, now: datetime | None = None) -> Created:
    content = Path(content)
    title = " ".join((title or "").split())
    if not title:
        raise NewPostError('请写标题 / TITLE is missing — 例如 / e.g. make new TITLE="春运交通安全提示" CATEGORY=交管动态')
    column, column_slug = _column(category or "", settings)
    english_entry = _english_entry(settings) if english else None
    if english and english_entry is None:
        raise NewPostError("网站还没有英文版（SITE_LANGUAGES 里没有 en），不能加英文译文 / English (en) is not one of "
                           "the site's languages in SITE_LANGUAGES yet — create the post without EN=1")
    zone = ZoneInfo(settings.get("TIMEZONE") or "Asia/Shanghai")
    now = (now or datetime.now(zone)).astimezone(zone)
    date = now.strftime("%Y-%m-%d %H:%M")
    used = _used_slugs(content, settings)
    if slug:
        finding = rules.slug_problem(slug)
        if finding:
            raise NewPostError(f"SLUG={slug}: {finding}")
        if slug in used:
            raise NewPostError(f"网址名 {slug!r} 已被使用 / slug {slug!r} is already used — 换一个 SLUG= / choose another SLUG=")
    else:
        base = now.strftime("news-%Y%m%d-%H%M")
        slug, n = base, 2
        while slug in used:
            slug, n = f"{base}-{n}", n + 1
    folder = content / "news" / column_slug / f"{now:%Y}"
    original = folder / f"{slug}.md"
    translation = folder / f"{slug}.{ENGLISH}.md"
    targets = [original] + ([translation] if english else [])
    for path in targets:
        if path.exists():
            raise NewPostError(f"{path}: 文件已存在，不会覆盖 / file exists, it is never overwritten — "
                               "换一个 SLUG= / choose another SLUG=")
    folder.mkdir(parents=True, exist_ok=True)
    default_tag = rules.lang_tag(rules.default_lang(settings), settings)
    texts = [render(title, date, column, slug, default_tag)]
    if english:
        texts.append(render(title, date, column, slug, english_entry.get("tag", ENGLISH), english=True))
    written = []
    try:
        for path, text in zip(targets, texts, strict=True):
            with open(path, "x", encoding="utf-8", newline="\n") as handle:  # "x": never overwrite
                handle.write(text)
            written.append(path)
    except FileExistsError as error:
        for path in written:
            path.unlink()
        raise NewPostError(f"{error.filename}: 文件已存在，不会覆盖 / file exists, it is never overwritten") from error
    return Created(paths=written, slug=slug)
