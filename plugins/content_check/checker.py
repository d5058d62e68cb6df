"""`make check`: every rule of plugins/content_guard/rules.py over the Markdown files of content/.

No Pelican build: the files are read as text (front matter = the ``Key: value``
lines before the first blank line, exactly as Python-Markdown's ``meta``
extension reads them), so every problem has a line number.  All problems are
collected, then reported at once.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from plugins.content_guard import build_rules, rules
from plugins.content_guard.rules import Problem

from . import build_checks, safety_check
from .inventory import MARKDOWN_EXTENSIONS, known_data_files, take_inventory  # noqa: F401 (re-exported)

# Links in a post body: Markdown inline links and images, reference definitions (not footnotes), raw HTML.
# A target may hold spaces (Python-Markdown keeps `[a](java script:x)` as one link): it ends at
# an optional quoted title.
INLINE_LINK = re.compile(r"(?P<bang>!?)\[(?:[^\]\\]|\\.)*\]\(\s*<?(?P<target>[^)\s>](?:[^)>]*?[^)\s>])?)>?(?:\s+[\"'(][^)]*)?\s*\)")
REFERENCE = re.compile(r"^\s{0,3}\[(?!\^)[^\]]+\]:\s*<?(?P<target>[^\s>]+)>?")
HTML_LINK = re.compile(r"<(?P<tag>[a-zA-Z]+)\b[^>]*?\s(?:src|href)\s*=\s*(?:[\"'](?P<target>[^\"']+)[\"']|(?P<bare>[^\s\"'>]+))")
PELICAN_LINK = re.compile(r"^(?:\{(?P<a>static|attach|filename|index|category|tag|author)\}|\|(?P<b>static|attach|filename)\|)")


@dataclass
class Post:
    """One Markdown file as `make check` sees it."""

    path: Path  # absolute
    where: str  # as printed: relative to the project
    kind: str  # "article" or "page"
    meta: dict[str, str] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)
    body_start: int = 1
    text_lines: list[str] = field(default_factory=list)

    def line(self, key: str) -> int:
        return self.lines.get(key, 1)


def load_settings(settings_file: str | os.PathLike) -> dict:
    """Pelican's settings as Pelican reads them (no build, no plugins loaded)."""
    from pelican.settings import read_settings

    return read_settings(str(settings_file))


def _under(rel: str, folders) -> bool:
    return any(rel == f or rel.startswith(f.rstrip("/") + "/") for f in folders)


def find_posts(content: Path, settings) -> list[tuple[Path, str]]:
    """(file, kind) for every Markdown file Pelican would read as an article or a page."""
    content = Path(content)
    return take_inventory(content, settings, str).posts


def read_post(path: Path, kind: str, where: str, problems: list[Problem]) -> Post | None:
    post = Post(path=path, where=where, kind=kind)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        problems.append(Problem(where, 1, rules.unreadable(f"byte {error.start}")))
        return None
    except OSError as error:
        problems.append(Problem(where, None, build_rules.unreadable_file(error.strerror or str(error))))
        return None
    post.text_lines = rules.source_lines(text)
    number = 0
    last_key = None
    for number, line in enumerate(post.text_lines, 1):
        if not line.strip():
            break
        match = rules.META_LINE.match(line)
        if match:
            last_key = match["key"].lower()
            post.lines.setdefault(last_key, number)
            post.meta.setdefault(last_key, match["value"].strip())
            finding = rules.misspelled_key(match["key"])
            if finding:
                problems.append(Problem(where, number, finding))
        elif last_key and rules.META_CONTINUATION.match(line):
            post.meta[last_key] += " " + line.strip()
        else:
            if number > 1 or last_key is not None:
                problems.append(Problem(where, number, rules.header_line_problem(line)))
            number -= 1
            break
    post.body_start = number + 1
    return post


def _post_problems(post: Post, settings) -> list[Problem]:
    found: list[Problem] = []

    def add(key_or_line, finding):
        if finding is not None:
            line = key_or_line if isinstance(key_or_line, int) else post.line(key_or_line)
            found.append(Problem(post.where, line, finding))

    meta = post.meta
    if not meta.get("title"):
        add("title", rules.missing_field("title", settings))
    if post.kind == "article":
        add("date", rules.date_problem(meta.get("date", "")))
        add("category", rules.category_problem(meta.get("category", ""), settings))
        add("slug", rules.slug_problem(meta.get("slug", "")))
    else:
        if "date" in meta:
            add("date", rules.date_problem(meta["date"]))
        if "slug" in meta:
            add("slug", rules.slug_problem(meta["slug"]))
    if "modified" in meta:
        add("modified", rules.date_problem(meta["modified"]))
    add("lang", rules.lang_problem(meta.get("lang"), settings))
    if "summary" in meta:
        add("summary", rules.summary_problem(meta["summary"], settings))
    for key in rules.FLAG_KEYS:
        if key in meta:
            add(key, rules.flag_problem(key, meta[key]))
    add("status", rules.status_problem(meta.get("status")))
    if rules.PLACEHOLDER in "\n".join(post.text_lines):  # (it holds no line break)
        for number, line in enumerate(post.text_lines, 1):
            if rules.PLACEHOLDER in line:
                add(number, rules.placeholder_problem())
    found.extend(_link_problems(post, settings))
    found.extend(safety_check.post_problems(post, settings))
    return found


def _links(post: Post):
    """(line number, target, is image) of every link in the body."""
    in_fence = False
    for number in range(post.body_start, len(post.text_lines) + 1):
        line = post.text_lines[number - 1]
        if line.lstrip().startswith(("```", "~~~")):
            in_fence = not in_fence
            continue
        if in_fence or ("[" not in line and "<" not in line):
            continue  # no link can start on it: every pattern below needs one of the two
        if build_rules.nesting_problem(line):
            continue  # a line nesting too deeply is reported as such (and would take the regexes minutes)
        for match in INLINE_LINK.finditer(line):
            yield number, match["target"], bool(match["bang"])
        match = REFERENCE.match(line)
        if match:
            yield number, match["target"], bool(re.search(r"\.(png|jpe?g|gif|svg|webp)$", match["target"], re.I))
        for match in HTML_LINK.finditer(line):
            yield number, match["target"] or match["bare"], match["tag"].lower() in ("img", "source")


def _link_problems(post: Post, settings) -> list[Problem]:
    content = Path(settings["PATH"])
    static_paths = settings.get("STATIC_PATHS", ["images"])
    problems = []
    for number, target, image in _links(post):
        parts = urlsplit(target)
        if parts.scheme or parts.netloc or target.startswith(("#", "//")):
            continue
        prefix = PELICAN_LINK.match(target)
        path = unquote(target[prefix.end():] if prefix else parts.path)
        path = path.split("#", 1)[0].split("?", 1)[0]
        if not path:
            continue
        kind = (prefix["a"] or prefix["b"]) if prefix else None
        if kind in ("index", "category", "tag", "author"):
            continue
        base = content if path.startswith("/") else post.path.parent
        resolved = _resolve(base / path.lstrip("/"))
        if kind is None:
            if _is_file(resolved):
                fixed = "{static}" + path if path.startswith("/") else "{attach}" + path
                finding = rules.plain_relative_link(path, fixed, image=image)
            else:
                finding = rules.missing_file(path, image=image)
            problems.append(Problem(post.where, number, finding))
            continue
        if not _is_file(resolved):
            finding = rules.missing_post(path) if kind == "filename" else rules.missing_file(path, image=image)
            problems.append(Problem(post.where, number, finding))
        elif kind in ("static", "attach"):
            try:
                rel = resolved.relative_to(content.resolve()).as_posix()
            except ValueError:
                rel = None
            if rel is None or not _under(rel, static_paths):
                problems.append(Problem(post.where, number, rules.not_static(path, static_paths)))
    return problems


def _resolve(path: Path) -> Path | None:
    """``path.resolve()``; None for a name no file can have (a NUL byte, a loop)."""
    try:
        return path.resolve()
    except (OSError, ValueError, RuntimeError):
        return None


def _is_file(path: Path | None) -> bool:
    """``path.is_file()``, False for a name no file can have (too long, a NUL byte)."""
    try:
        return path is not None and path.is_file()
    except (OSError, ValueError):
        return False


def _cross_problems(posts: list[Post], settings) -> list[Problem]:
    """Rules over several posts: unique slugs, translations with an original."""
    problems = []
    default = rules.default_lang(settings)
    groups: dict[tuple, list[Post]] = {}
    for post in posts:
        slug = post.meta.get("slug")
        if not slug:
            continue
        lang = (post.meta.get("lang") or default).lower()
        groups.setdefault((post.kind, slug, lang), []).append(post)
    for (kind, slug, lang), group in sorted(groups.items()):
        for later in group[1:]:
            problems.append(Problem(later.where, later.line("slug"),
                                    rules.duplicate_slug(slug, rules.lang_tag(lang, settings), [group[0].where])))
        if lang == default or (kind, slug, default) in groups or rules.lang_problem(lang, settings):
            continue
        for post in group:
            original_slug = None
            stem = post.path.name.split(".")[0]
            for sibling in sorted(post.path.parent.glob(stem + ".*")):
                other = next((p for p in posts if p.path == sibling), None)
                if other and (other.meta.get("lang") or default).lower() == default and other.meta.get("slug"):
                    original_slug = other.meta["slug"]
                    break
            problems.append(Problem(post.where, post.line("slug"),
                                    rules.translation_problem(slug, rules.lang_tag(lang, settings), settings,
                                                              original_slug=original_slug)))
    return problems


def check_content(content: str | os.PathLike, settings: dict, *, relative_to: str | os.PathLike | None = None):
    """(problems, number of posts) for the content folder ``content``."""
    content = Path(content).resolve()
    known = known_data_files(settings)
    settings = dict(settings, PATH=str(content))
    base = Path(relative_to).resolve() if relative_to else content.parent
    problems: list[Problem] = []
    posts = []

    def where(path: Path) -> str:
        try:
            return path.relative_to(base).as_posix()
        except ValueError:
            return str(path)

    inventory = take_inventory(content, settings, where, known)
    problems.extend(inventory.problems)
    now = build_checks.now_in_site_time(settings)
    for path, kind in inventory.posts:
        post = read_post(path, kind, where(path), problems)
        if post is None:
            continue
        posts.append(post)
        problems.extend(_post_problems(post, settings))
        problems.extend(build_checks.post_problems(post, settings, now=now))
    problems.extend(_cross_problems(posts, settings))
    problems.extend(build_checks.translation_status_problems(posts, settings))
    post_paths = {path.resolve() for path, _kind in inventory.posts}
    tag_slugs = build_checks.tag_slugs_by_language(posts, settings)
    for post in posts:
        problems.extend(build_checks.link_target_problems(post, _links(post), settings, posts=post_paths,
                                                          tag_slugs=tag_slugs))
    return sorted(set(problems), key=Problem.sort_key), len(posts)


def report(problems, count: int, content_label: str = "content/") -> str:
    if not problems:
        return f"{content_label} 检查通过（{count} 篇） / {content_label} is OK ({count} posts)"
    lines = [str(p) for p in problems]
    lines.append(f"{len(problems)} 个问题，请修改后再生成网站 / {len(problems)} problem(s) in {content_label}, "
                 "fix them before building")
    return "\n".join(lines)
