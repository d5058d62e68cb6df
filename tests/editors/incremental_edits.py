"""Random edits an editor makes, for the incremental-vs-scratch test (test_incremental_builds.py) and
its 2,000-article run (``python -m tests.editors.incremental_edits``, docs/performance.md).

Each edit changes the content tree, the theme copy or the settings file of a ``Workspace`` the way
an editor would — through the files — and says what it did.  Every post it writes passes
``make check`` (the incremental build runs through ``plugins.sitebuild``, which checks first).
"""

from __future__ import annotations

import hashlib
import random
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import corpus  # noqa: E402

COLUMNS = [(name, slug) for name, slug, _share in corpus.COLUMNS]
SETTINGS = """\
import sys
sys.path.insert(0, {root!r})
from pelicanconf import *  # noqa: F401,F403

THEME = {theme!r}
PLUGIN_PATHS = [{root!r} + "/plugins"]
# The items' digests computed ahead on both cores (plugins/incremental/ahead.py) on any size of site.
INCREMENTAL_AHEAD_MIN_ITEMS = 0
# Edited by the test ("a setting changed"):
SITE_SLOGAN = {slogan!r}
SIDEBAR_ARTICLES = {sidebar!r}
"""


@dataclass
class Workspace:
    root: Path
    slogan: str = "共同让道路交通更安全"
    sidebar: int = 8
    next_id: int = 900000
    log: list = field(default_factory=list)

    @property
    def content(self) -> Path:
        return self.root / "content"

    @property
    def theme(self) -> Path:
        return self.root / "theme"

    @property
    def settings(self) -> Path:
        return self.root / "settings.py"

    def write_settings(self) -> None:
        self.settings.write_text(SETTINGS.format(root=str(ROOT), theme=str(self.theme), slogan=self.slogan,
                                                 sidebar=self.sidebar), encoding="utf-8")


def make_workspace(root: Path, n: int, seed: int) -> Workspace:
    ws = Workspace(Path(root))
    ws.root.mkdir(parents=True, exist_ok=True)
    corpus.write_corpus(corpus.generate_articles(n, seed), ws.content)
    shutil.copytree(ROOT / "theme", ws.theme)
    ws.write_settings()
    return ws


# -- reading and writing posts ----------------------------------------------------------------
def _split(text: str) -> tuple[list[str], str]:
    head, _, body = text.partition("\n\n")
    return head.split("\n"), body


def _join(head: list[str], body: str) -> str:
    return "\n".join(head) + "\n\n" + body


def _get(head: list[str], key: str) -> str | None:
    for line in head:
        if line.lower().startswith(key.lower() + ":"):
            return line.split(":", 1)[1].strip()
    return None


def _set(head: list[str], key: str, value: str | None) -> list[str]:
    out = [line for line in head if not line.lower().startswith(key.lower() + ":")]
    if value is not None:
        out.append(f"{key}: {value}")
    return out


def originals(ws: Workspace) -> list[Path]:
    return sorted(p for p in (ws.content / "news").rglob("*.md") if not p.name.endswith(".en.md"))


def translation_of(original: Path) -> Path:
    return original.with_name(original.name[:-3] + ".en.md")


def _fingerprint(text: str) -> str:
    return corpus._fingerprint(text)


def _rewrite(path: Path, change) -> None:
    head, body = _split(path.read_text(encoding="utf-8"))
    head, body = change(head, body)
    path.write_text(_join(head, body), encoding="utf-8")


def _move_pair(ws: Workspace, original: Path, column_slug: str, year: int) -> Path:
    """Move a post (and its translation) to ``news/<column>/<year>/``, where an editor keeps it."""
    folder = ws.content / "news" / column_slug / str(year)
    folder.mkdir(parents=True, exist_ok=True)
    moved = folder / original.name
    if moved != original:
        original.rename(moved)
        en = translation_of(original)
        if en.exists():
            en.rename(translation_of(moved))
    return moved


# -- the edits --------------------------------------------------------------------------------
def edit_body(ws, rng):
    post = rng.choice(originals(ws))
    _rewrite(post, lambda h, b: (h, b.rstrip("\n") + f"\n\n编辑补充：第{rng.randint(1, 999)}次修改说明。\n"))
    return f"body of {post.name}"


def edit_title(ws, rng):
    post = rng.choice(originals(ws))
    _rewrite(post, lambda h, b: (_set(h, "Title", (_get(h, "Title") or "") + "（更新）"), b))
    return f"title of {post.name}"


def edit_date_year(ws, rng):
    post = rng.choice(originals(ws))
    head, _ = _split(post.read_text(encoding="utf-8"))
    date = _get(head, "Date") or "2020-06-01 09:00"
    year = int(date[:4])
    new_year = year + 1 if year < 2025 else year - 1
    # Across the year boundary: 31 December ↔ 1 January.
    new_date = f"{new_year}-01-01 08:00" if new_year > year else f"{new_year}-12-31 18:00"
    for path in (post, translation_of(post)):
        if path.exists():
            _rewrite(path, lambda h, b: (_set(h, "Date", new_date), b))
    column = post.parent.parent.name
    _move_pair(ws, post, column, new_year)
    return f"date of {post.name}: {date} → {new_date}"


def edit_column(ws, rng):
    post = rng.choice(originals(ws))
    head, _ = _split(post.read_text(encoding="utf-8"))
    current = _get(head, "Category")
    name, slug = rng.choice([c for c in COLUMNS if c[0] != current])
    for path in (post, translation_of(post)):
        if path.exists():
            _rewrite(path, lambda h, b: (_set(h, "Category", name), b))
    _move_pair(ws, post, slug, int(post.parent.name))
    return f"column of {post.name}: {current} → {name}"


def edit_tags(ws, rng):
    post = rng.choice(originals(ws))
    tags = rng.sample(["安全头盔", "智慧交通", "酒驾整治", "春运", "校车安全", "新标签"], rng.randint(0, 3))
    _rewrite(post, lambda h, b: (_set(h, "Tags", ", ".join(tags) if tags else None), b))
    return f"tags of {post.name}: {tags}"


def edit_flags(ws, rng):
    post = rng.choice(originals(ws))
    key = rng.choice(["Recommended", "Hot"])
    head, _ = _split(post.read_text(encoding="utf-8"))
    on = _get(head, key) != "true"
    _rewrite(post, lambda h, b: (_set(h, key, "true" if on else None), b))
    return f"{key} of {post.name}: {'on' if on else 'off'}"


def add_translation(ws, rng):
    choices = [p for p in originals(ws) if not translation_of(p).exists()]
    if not choices:
        return edit_body(ws, rng)
    post = rng.choice(choices)
    text = post.read_text(encoding="utf-8")
    head, _ = _split(text)
    en = [f"Title: Translated article {post.stem}", f"Date: {_get(head, 'Date')}", f"Category: {_get(head, 'Category')}",
          f"Slug: {_get(head, 'Slug')}", "Lang: en", f"Translation_of: {_fingerprint(text)}"]
    translation_of(post).write_text(_join(en, "An editor's translation of this article.\n"), encoding="utf-8")
    return f"translation added for {post.name}"


def edit_translation(ws, rng):
    choices = [translation_of(p) for p in originals(ws) if translation_of(p).exists()]
    if not choices:
        return add_translation(ws, rng)
    en = rng.choice(choices)
    _rewrite(en, lambda h, b: (_set(h, "Title", (_get(h, "Title") or "") + " (revised)"), b + "\nRevised.\n"))
    return f"translation edited: {en.name}"


def remove_translation(ws, rng):
    choices = [translation_of(p) for p in originals(ws) if translation_of(p).exists()]
    if not choices:
        return add_translation(ws, rng)
    en = rng.choice(choices)
    en.unlink()
    return f"translation removed: {en.name}"


def add_article(ws, rng):
    ws.next_id += 1
    name, slug = rng.choice(COLUMNS)
    year = rng.randint(2016, 2024)
    folder = ws.content / "news" / slug / str(year)
    folder.mkdir(parents=True, exist_ok=True)
    head = [f"Title: 新增文章{ws.next_id}", f"Date: {year}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)} 10:30",
            f"Category: {name}", f"Slug: crsa-{ws.next_id}", "Lang: zh-Hans", "Tags: 新标签"]
    if rng.random() < 0.5:
        head.append("Hot: true")
    path = folder / f"crsa-{ws.next_id}.md"
    path.write_text(_join(head, "新增文章的正文。\n"), encoding="utf-8")
    return f"article added: {path.relative_to(ws.content)}"


def delete_article(ws, rng):
    post = rng.choice(originals(ws))
    translation_of(post).unlink(missing_ok=True)
    post.unlink()
    return f"article deleted: {post.relative_to(ws.content)}"


def touch_template(ws, rng):
    name = rng.choice(["base.html", "article.html", "partials/article_list.html", "category.html"])
    path = ws.theme / "templates" / name
    text = path.read_text(encoding="utf-8")
    marker = f"{{# edited {rng.randint(0, 10**6)} #}}<!-- template edited -->\n"
    if "{% extends" in text.split("\n", 1)[0]:
        first, rest = text.split("\n", 1)
        text = first + "\n" + marker + rest
    else:
        text = marker + text
    path.write_text(text, encoding="utf-8")
    return f"template touched: {name}"


def change_setting(ws, rng):
    if rng.random() < 0.5:
        ws.slogan = ws.slogan + "！" if not ws.slogan.endswith("！") else ws.slogan[:-1]
        what = f"SITE_SLOGAN = {ws.slogan}"
    else:
        ws.sidebar = 5 if ws.sidebar == 8 else 8
        what = f"SIDEBAR_ARTICLES = {ws.sidebar}"
    ws.write_settings()
    return f"setting changed: {what}"


def nothing(ws, rng):
    return "nothing changed"


EDITS = [edit_body, edit_title, edit_date_year, edit_column, edit_tags, edit_flags, add_translation,
         edit_translation, remove_translation, add_article, delete_article, touch_template, change_setting,
         nothing]


def plan(rng: random.Random, steps: int) -> list:
    """Every kind of edit at least once (in a random order) when ``steps`` allows, then random ones;
    a step may combine two edits."""
    kinds = EDITS[:]
    rng.shuffle(kinds)
    out = [[k] for k in kinds[:steps]]
    while len(out) < steps:
        out.append(rng.sample(EDITS, rng.choice([1, 1, 2])))
    return out


# -- building and comparing -------------------------------------------------------------------
IGNORED = {"search-generation.txt"}


def build_incremental(ws: Workspace, output: Path) -> subprocess.CompletedProcess:
    """``make site``'s way: check, build into a fresh folder from the previous site, swap."""
    return subprocess.run([sys.executable, "-m", "plugins.sitebuild", "--content", str(ws.content),
                           "--settings", str(ws.settings), "--output", str(output)],
                          cwd=ROOT, capture_output=True, text=True, timeout=3600)


def build_scratch(ws: Workspace, folder: Path) -> subprocess.CompletedProcess:
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    return subprocess.run([sys.executable, "-m", "pelican", str(ws.content), "-s", str(ws.settings),
                           "-o", str(folder / "out"), "--fatal", "warnings"],
                          cwd=ROOT, capture_output=True, text=True, timeout=3600)


def tree(folder: Path) -> dict[str, str]:
    out = {}
    for path in Path(folder).rglob("*"):
        if path.is_file() and path.name not in IGNORED:
            out[path.relative_to(folder).as_posix()] = hashlib.blake2b(path.read_bytes(), digest_size=16).hexdigest()
    return out


def differences(a: Path, b: Path, limit: int = 12) -> list[str]:
    ta, tb = tree(a), tree(b)
    out = [f"only in the incremental build: {name}" for name in sorted(set(ta) - set(tb))]
    out += [f"missing from the incremental build: {name}" for name in sorted(set(tb) - set(ta))]
    out += [f"differs: {name}" for name in sorted(set(ta) & set(tb)) if ta[name] != tb[name]]
    return out[:limit] + ([f"… and {len(out) - limit} more"] if len(out) > limit else [])


def last_counts(ws_output: Path) -> dict:
    import pickle

    from plugins.incremental.run import PAGES_FILE, state_dir

    with open(state_dir({"OUTPUT_PATH": str(ws_output)}) / PAGES_FILE, "rb") as handle:
        return pickle.load(handle).get("counts", {})


def run_sequence(root: Path, *, n: int, steps: int, seed: int, say=print) -> list[dict]:
    """The whole test: a workspace of ``n`` articles, ``steps`` steps of random edits; after each
    step the incremental build and a build from scratch, compared file by file.  Returns one record
    per step; raises AssertionError at the first difference."""
    rng = random.Random(seed)
    ws = make_workspace(root / "ws", n, seed)
    output = root / "site" / "output"
    t = time.perf_counter()
    first = build_incremental(ws, output)
    assert first.returncode == 0, first.stdout[-3000:] + first.stderr[-3000:]
    say(f"first build: {time.perf_counter() - t:.1f} s")
    records = []
    for number, step in enumerate(plan(rng, steps), 1):
        done = [edit(ws, rng) for edit in step]
        t = time.perf_counter()
        inc = build_incremental(ws, output)
        inc_s = time.perf_counter() - t
        assert inc.returncode == 0, f"step {number} ({done}): incremental build failed:\n" + inc.stdout[-3000:] + inc.stderr[-3000:]
        t = time.perf_counter()
        scratch = build_scratch(ws, root / "scratch")
        scratch_s = time.perf_counter() - t
        assert scratch.returncode == 0, f"step {number}: scratch build failed:\n{scratch.stderr[-3000:]}"
        diff = differences(output, root / "scratch" / "out")
        counts = last_counts(output)
        record = {"step": number, "edits": done, "incremental_s": round(inc_s, 2), "scratch_s": round(scratch_s, 2),
                  **counts, "differences": len(diff)}
        records.append(record)
        say(f"step {number}: {'; '.join(done)} — incremental {inc_s:.1f} s ({counts.get('rendered')} pages "
            f"rendered, {counts.get('skipped')} kept), scratch {scratch_s:.1f} s, "
            f"{'identical' if not diff else 'DIFFERENT'}")
        assert not diff, f"step {number} ({'; '.join(done)}): the incremental build differs from a build from scratch:\n" + "\n".join(diff)
    return records


def main(argv=None) -> int:
    import argparse
    import json
    import tempfile

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--steps", type=int, default=len(EDITS))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", help="write the steps' records here")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="crsa-incremental-") as tmp:
        records = run_sequence(Path(tmp), n=args.articles, steps=args.steps, seed=args.seed)
    if args.json:
        Path(args.json).write_text(json.dumps(records, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
