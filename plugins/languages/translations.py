"""`make translations`: which articles lack an English translation, and which are stale.

    python -m plugins.languages.translations [--content content] [--strict]
    python -m plugins.languages.translations --stamp content/news/…/crsa-4821.en.md

A translation is a sibling post with ``Lang: en`` and the same ``Slug:`` as its
original.  ``--stamp`` records the original's current fingerprint in the
translation (``Translation_of:``) — run it when the translation is brought up to
date.  The build shows a notice on English pages whose original changed since.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

from plugins.atomic_file import write_atomically
from plugins.cli import UsageError, content_folder, guarded, load_settings

from .freshness import FINGERPRINT_KEY, fingerprint_file, split_post

STAMP_FIELD = "Translation_of"


@dataclass
class Post:
    path: Path
    slug: str
    lang: str
    recorded: str


def read_posts(content: Path, default_lang: str, settings: dict | None = None) -> list[Post]:
    """The posts of ``content`` as `make check` finds them (no links followed, no pipes opened)."""
    from plugins.content_check.checker import find_posts

    posts = []
    for path, _kind in sorted(find_posts(content, dict(settings or {}, PATH=str(content)))):
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise UsageError(f"{path}: 不是 UTF-8 文本 / not UTF-8 text — 另存为 UTF-8 / save it again as UTF-8 "
                             "(make check lists every problem)") from None
        meta, _ = split_post(text)
        fields = {key: value for _, key, value in meta}
        if not fields.get("slug"):
            continue
        posts.append(Post(path, fields["slug"], fields.get("lang", default_lang).lower(), fields.get(FINGERPRINT_KEY, "")))
    return posts


def translation_report(content: Path, settings: dict) -> tuple[list[str], list[str]]:
    """(missing, stale) lines, each naming the file and what to do."""
    default = settings["SITE_LANGUAGES"][0]["code"]
    targets = [entry for entry in settings["SITE_LANGUAGES"] if entry["source"] == "translations"]
    posts = read_posts(content, default, settings)
    originals = {p.slug: p for p in posts if p.lang == default}
    by_key = {(p.slug, p.lang): p for p in posts if p.lang != default}
    missing, stale = [], []
    root = content.parent
    for slug, original in sorted(originals.items(), key=lambda kv: str(kv[1].path)):
        current = fingerprint_file(original.path)
        for entry in targets:
            translation = by_key.get((slug, entry["code"]))
            rel = original.path.relative_to(root)
            if translation is None:
                missing.append(f"{rel}: no {entry['name']} translation — write {rel.with_suffix('')}.{entry['code']}.md "
                               f"(Lang: {entry['tag']}, Slug: {slug})")
            elif translation.recorded != current:
                trel = translation.path.relative_to(root)
                why = "was never stamped" if not translation.recorded else f"was made from revision {translation.recorded}"
                stale.append(f"{trel}: translation of {rel} may be outdated ({why}, the original is now {current}) — "
                             f"update it, then run `make translations STAMP={trel}`")
    return missing, stale


def stamp(translation: Path, content: Path, settings: dict) -> str:
    """Record the original's fingerprint in the translation's front matter."""
    default = settings["SITE_LANGUAGES"][0]["code"]
    if not translation.is_file():
        raise UsageError(f"{translation}: 文件不存在 / no such file — STAMP= 写译文文件的路径 / give the translation's path")
    try:
        text = translation.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise UsageError(f"{translation}: 不是 UTF-8 文本 / not UTF-8 text — 另存为 UTF-8 / save it again as UTF-8") from None
    meta, _ = split_post(text)
    fields = {key: value for _, key, value in meta}
    slug = fields.get("slug")
    if not slug or fields.get("lang", default).lower() == default:
        raise UsageError(f"{translation}: not a translation (it needs `Lang: en` and the `Slug:` of its original)")
    originals = [p for p in read_posts(content, default, settings) if p.slug == slug and p.lang == default]
    if not originals:
        raise UsageError(f"{translation}: no original with `Slug: {slug}` in {content}/ — fix the Slug line")
    value = fingerprint_file(originals[0].path)
    lines = text.splitlines(keepends=True)
    for number, key, _ in meta:
        if key == FINGERPRINT_KEY:
            lines[number - 1] = f"{STAMP_FIELD}: {value}\n"
            break
    else:
        last = meta[-1][0] if meta else 0
        lines.insert(last, f"{STAMP_FIELD}: {value}\n")
    write_atomically(translation, "".join(lines).encode("utf-8"), durable=True)  # an editor's post
    return value


@guarded
def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="make translations", description=__doc__.split("\n\n")[0])
    parser.add_argument("--content", default="content")
    parser.add_argument("--settings", default="pelicanconf.py")
    parser.add_argument("--stamp", metavar="TRANSLATION", nargs="*", default=[], help="record the original's fingerprint")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a translation is missing or stale")
    args = parser.parse_args(argv)
    settings = load_settings(args.settings)
    content = content_folder(args.content)
    for name in args.stamp:
        value = stamp(Path(name), content, settings)
        print(f"{name}: stamped as a translation of revision {value}")
    if args.stamp:
        return 0
    missing, stale = translation_report(content, settings)
    for line in missing:
        print(f"missing  {line}")
    for line in stale:
        print(f"stale    {line}")
    print(f"{len(missing)} missing, {len(stale)} stale translation(s)")
    return 1 if args.strict and (missing or stale) else 0


if __name__ == "__main__":
    sys.exit(main())
