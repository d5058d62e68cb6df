"""Build benchmarks: plain Pelican (the baseline) against our three-language build, with and without
the search index, cold and incremental, each build in its own ``python -m pelican`` child process.

    python -m bench build          # BENCH_N, BENCH_SEED, BENCH_REPEAT (default 3)
    python -m bench profile        # cProfile of one full build, top functions

Settings files are written into the temp dir:

* ``baseline.py`` — Pelican's default theme (``THEME`` unset), no plugins, one language, the same
  content and the same ``ARTICLE_PATHS``/``PAGE_PATHS``, Markdown extensions and pagination as ours;
* ``nosearch.py`` — the project's ``pelicanconf.py`` with ``search`` removed from ``PLUGINS`` and
  ``DIRECT_TEMPLATES``;
* ``full.py`` — the project's ``pelicanconf.py`` as it is;

The incremental build is the full build's folder built again after one article was edited, with the
project's settings as they are (plugins/incremental and Pelican's content cache on).

Every cold build gets a fresh output folder, so the search index (``<parent of output>/.search-index``)
and any cache are rebuilt from nothing.
"""

from __future__ import annotations

import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from . import measure

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable

BASELINE = """\
# Plain Pelican: default theme, no plugins, one language.
PATH = {content!r}
ARTICLE_PATHS = ["news"]
PAGE_PATHS = ["pages"]
SITENAME = "中国道路交通安全协会"
AUTHOR = "中国道路交通安全协会"
SITEURL = ""
RELATIVE_URLS = True
TIMEZONE = "Asia/Shanghai"
DEFAULT_LANG = {lang!r}
USE_FOLDER_AS_CATEGORY = False
DEFAULT_PAGINATION = {pagination!r}
MARKDOWN = {markdown!r}
FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False
"""

DERIVED = """\
import sys
import tempfile
sys.path.insert(0, {root!r})
from pelicanconf import *  # noqa: F401,F403
from pelicanconf import PLUGINS, DIRECT_TEMPLATES

PATH = {content!r}
THEME = {theme!r}
PLUGIN_PATHS = {plugin_paths!r}
"""

NO_SEARCH = """
PLUGINS = [p for p in PLUGINS if p != "search"]
DIRECT_TEMPLATES = [t for t in DIRECT_TEMPLATES if t != "search"]
"""



def project_settings() -> dict:
    sys.path.insert(0, str(ROOT)) if str(ROOT) not in sys.path else None
    from pelican.settings import read_settings

    return read_settings(str(ROOT / "pelicanconf.py"))


def write_settings(tmp: Path, content: Path) -> dict[str, Path]:
    ours = project_settings()
    baseline = BASELINE.format(content=str(content), lang="zh-Hans", pagination=ours.get("DEFAULT_PAGINATION"),
                               markdown=ours.get("MARKDOWN"))
    derived = DERIVED.format(root=str(ROOT), content=str(content), theme=str(ROOT / "theme"),
                             plugin_paths=[str(ROOT / "plugins")])
    files = {
        "baseline": baseline,
        "nosearch": derived + NO_SEARCH,
        "full": derived,
    }
    out = {}
    for name, text in files.items():
        path = tmp / f"{name}.py"
        path.write_text(text, encoding="utf-8")
        out[name] = path
    return out


def pelican_cmd(content: Path, settings: Path, output: Path, *, profile: Path | None = None) -> list[str]:
    prefix = [PYTHON, "-m", "cProfile", "-o", str(profile)] if profile else [PYTHON]
    return prefix + ["-m", "pelican", str(content), "-s", str(settings), "-o", str(output), "--fatal", "errors"]


def build_once(content: Path, settings: Path, run_dir: Path, *, fresh: bool = True, label: str = "") -> dict:
    """One build into ``run_dir/out``; with ``fresh`` the run folder (output, index) is wiped first."""
    if fresh and run_dir.exists():
        shutil.rmtree(run_dir)
    run_dir.mkdir(parents=True, exist_ok=True)
    log = run_dir.parent / f"{label or run_dir.name}.log"
    result = measure.run(pelican_cmd(content, settings, run_dir / "out"), cwd=ROOT, log_path=log)
    if not result.ok:
        tail = log.read_text(encoding="utf-8", errors="replace")[-3000:]
        raise RuntimeError(f"build {label} failed ({result['returncode']}):\n{tail}")
    result["log"] = str(log)
    return result


def median_build(content: Path, settings: Path, tmp: Path, name: str, repeat: int, say) -> dict:
    runs = []
    for i in range(repeat):
        r = build_once(content, settings, tmp / f"{name}-{i}", label=f"{name}-{i}")
        say(f"  {name} #{i + 1}: {r['wall_s']:.2f} s ({r['cpu_s']:.1f} s CPU), {r['peak_rss_mb']:.0f} MB")
        runs.append(r)
        if i < repeat - 1:
            shutil.rmtree(tmp / f"{name}-{i}", ignore_errors=True)
    walls = [r["wall_s"] for r in runs]
    out = {"wall_s": statistics.median(walls), "walls": [round(w, 2) for w in walls],
           "cpu_s": statistics.median(r["cpu_s"] for r in runs),
           "peak_rss_mb": statistics.median(r["peak_rss_mb"] for r in runs),
           "main_rss_mb": statistics.median(r["main_rss_mb"] for r in runs),
           "tree_rss_mb": statistics.median(r["tree_rss_mb"] for r in runs)}
    out["last_dir"] = str(tmp / f"{name}-{repeat - 1}")
    return out


def edit_one_article(content: Path) -> Path:
    """Append a sentence to one Simplified-Chinese article in the searched column; return its path."""
    posts = sorted(p for p in (content / "news" / "traffic").rglob("*.md") if not p.name.endswith(".en.md"))
    target = posts[len(posts) // 2]
    text = target.read_text(encoding="utf-8")
    target.write_text(text.rstrip("\n") + f"\n\n编辑补充说明：本文于基准测试中修改（{time.time_ns()}）。\n", encoding="utf-8")
    return target


def incremental(content: Path, settings: Path, run_dir: Path, name: str, say, *, cold: bool = True) -> dict:
    """Optionally a cold build with ``settings`` into ``run_dir``, then one article of ``content`` (a
    private copy) edited and the same build again (same output, search index and cache)."""
    first = None
    if cold:
        first = build_once(content, settings, run_dir, label=f"{name}-cold")
        say(f"  {name} cold: {first['wall_s']:.2f} s")
    edited = edit_one_article(content)
    second = build_once(content, settings, run_dir, fresh=False, label=f"{name}-warm")
    pages = _incremental_counts(run_dir / "out")
    say(f"  {name} after editing {edited.name}: {second['wall_s']:.2f} s ({second['cpu_s']:.1f} s CPU), "
        f"pages: {pages}")
    return {"cold_s": first["wall_s"] if first else None, "warm_s": second["wall_s"], "warm_cpu_s": second["cpu_s"],
            "pages": pages}


def _incremental_counts(output: Path) -> dict:
    """What the incremental build did (plugins/incremental's record of the build)."""
    import pickle

    sys.path.insert(0, str(ROOT)) if str(ROOT) not in sys.path else None
    from plugins.incremental.run import PAGES_FILE, state_dir

    try:
        with open(state_dir({"OUTPUT_PATH": str(output)}) / PAGES_FILE, "rb") as handle:
            return pickle.load(handle).get("counts", {})
    except OSError:
        return {}


def count_files(folder: Path) -> tuple[int, int]:
    files = [p for p in Path(folder).rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)


def run(corpus: Path, tmp: Path, *, repeat: int = 3, say=print, extra: bool = False,
        incremental_builds: bool = True) -> dict:
    """Every build figure.  Builds a private copy of ``corpus`` inside ``tmp`` (edited for the
    incremental builds); ``result["site_dir"]`` is the last full build (``out/`` and its
    ``.search-index``), left in ``tmp`` for the search part.  ``extra``: also the incremental build
    without the search plugin; ``incremental_builds`` False: no incremental build at all (the
    cold figures only, for a quick large-corpus run)."""
    content = tmp / "content"
    if content.exists():
        shutil.rmtree(content)
    shutil.copytree(corpus, content)
    settings = write_settings(tmp, content)
    say("build: plain Pelican (baseline)")
    base = median_build(content, settings["baseline"], tmp, "baseline", repeat, say)
    say("build: ours, three languages, no search index")
    nosearch = median_build(content, settings["nosearch"], tmp, "nosearch", repeat, say)
    say("build: ours, full (search index and browser export)")
    full = median_build(content, settings["full"], tmp, "full", repeat, say)
    files, size = count_files(Path(full["last_dir"]) / "out")
    base_files, base_size = count_files(Path(base["last_dir"]) / "out")
    for d in (base["last_dir"], nosearch["last_dir"]):
        shutil.rmtree(d, ignore_errors=True)
    inc = inc_ns = None
    if incremental_builds:
        say("build: incremental (plugins/incremental, as configured), after editing one article")
        inc = incremental(content, settings["full"], Path(full["last_dir"]), "incremental", say, cold=False)
    if extra:
        say("build: incremental without search")
        inc_ns = incremental(content, settings["nosearch"], tmp / "nosearch-inc", "nosearch-inc", say)
        shutil.rmtree(tmp / "nosearch-inc", ignore_errors=True)
    ours = project_settings()
    search_s = full["wall_s"] - nosearch["wall_s"]
    result = {
        "plain_pelican_build_s": round(base["wall_s"], 2),
        "plain_pelican_build_runs_s": base["walls"],
        "plain_pelican_peak_rss_mb": round(base["peak_rss_mb"], 1),
        "plain_pelican_output_files": base_files,
        "plain_pelican_output_mb": round(base_size / 2**20, 1),
        "nosearch_build_s": round(nosearch["wall_s"], 2),
        "nosearch_build_runs_s": nosearch["walls"],
        "nosearch_peak_rss_mb": round(nosearch["peak_rss_mb"], 1),
        "build_ratio": round(nosearch["wall_s"] / base["wall_s"], 2),
        "full_build_s": round(full["wall_s"], 2),
        "full_build_runs_s": full["walls"],
        "full_build_ratio": round(full["wall_s"] / base["wall_s"], 2),
        "full_build_output_files": files,
        "full_build_output_mb": round(size / 2**20, 1),
        "search_share_of_full_build_s": round(search_s, 2),
        # CPU seconds (the build and its workers): what the shared machine disturbs least.
        "plain_pelican_build_cpu_s": round(base["cpu_s"], 1),
        "nosearch_build_cpu_s": round(nosearch["cpu_s"], 1),
        "full_build_cpu_s": round(full["cpu_s"], 1),
        "full_build_cpu_ratio": round(full["cpu_s"] / base["cpu_s"], 2),
        "search_share_of_full_build_cpu_s": round(full["cpu_s"] - nosearch["cpu_s"], 1),
        "peak_rss_mb": round(full["peak_rss_mb"], 1),
        "peak_rss_largest_process_mb": round(full["main_rss_mb"], 1),
        "peak_rss_summed_rss_mb": round(full["tree_rss_mb"], 1),
        "peak_rss_ratio": round(full["peak_rss_mb"] / base["peak_rss_mb"], 2),
        "content_cache_in_pelicanconf": bool(ours.get("CACHE_CONTENT")) and bool(ours.get("LOAD_CONTENT_CACHE")),
        "incremental_plugin": "incremental" in (ours.get("PLUGINS") or []),
        "site_dir": full["last_dir"],
        "settings_file": str(settings["full"]),
        "content_dir": str(content),
    }
    if inc:
        result.update({
            "incremental_build_s": round(inc["warm_s"], 2),
            "incremental_build_cpu_s": round(inc["warm_cpu_s"], 1),
            "incremental_build_ratio": round(inc["warm_s"] / full["wall_s"], 3),
            "incremental_build_cpu_ratio": round(inc["warm_cpu_s"] / full["cpu_s"], 3),
            "incremental_pages": inc["pages"],
        })
    if inc_ns:
        result["incremental_nosearch_build_s"] = round(inc_ns["warm_s"], 2)
        result["incremental_nosearch_ratio_to_nosearch"] = round(inc_ns["warm_s"] / nosearch["wall_s"], 3)
    return result


def run_single_full(corpus: Path, tmp: Path) -> dict:
    """One full build (for ``python -m bench search`` alone): the same keys ``run`` leaves for the search part."""
    content = tmp / "content"
    shutil.copytree(corpus, content)
    settings = write_settings(tmp, content)
    r = build_once(content, settings["full"], tmp / "full", label="full")
    return {"site_dir": str(tmp / "full"), "settings_file": str(settings["full"]), "content_dir": str(content),
            "full_build_s": round(r["wall_s"], 2), "peak_rss_mb": round(r["peak_rss_mb"], 1)}


def profile(content: Path, *, top: int = 30, say=print) -> dict:
    """cProfile of one cold full build (in its own process); top functions by cumulative and own time."""
    import io
    import pstats

    tmp = Path(tempfile.mkdtemp(prefix="crsa-bench-profile-"))
    try:
        settings = write_settings(tmp, content)
        prof = tmp / "full.prof"
        run_dir = tmp / "run"
        run_dir.mkdir()
        log = tmp / "profile.log"
        r = measure.run(pelican_cmd(content, settings["full"], run_dir / "out", profile=prof), cwd=ROOT,
                        log_path=log)
        if not r.ok:
            raise RuntimeError(log.read_text(encoding="utf-8", errors="replace")[-3000:])
        stats = pstats.Stats(str(prof))
        total = stats.total_tt
        rows = []
        for (file, line, func), (_cc, nc, tt, ct, _callers) in stats.stats.items():
            rows.append({"function": f"{_short(file)}:{line}({func})", "calls": nc, "own_s": round(tt, 3),
                         "cum_s": round(ct, 3)})
        by_cum = sorted(rows, key=lambda r: -r["cum_s"])[:top]
        by_own = sorted(rows, key=lambda r: -r["own_s"])[:top]
        buf = io.StringIO()
        pstats.Stats(str(prof), stream=buf).sort_stats("cumulative").print_stats(top)
        say(buf.getvalue())
        return {"profile_wall_s": round(r["wall_s"], 2), "profile_total_s": round(total, 2),
                "top_cumulative": by_cum, "top_own": by_own}
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _short(path: str) -> str:
    for marker in ("site-packages/", str(ROOT) + "/"):
        if marker in path:
            return path.split(marker, 1)[1]
    return os.path.basename(path) if path.startswith("/") else path
