"""Build-to-temp-and-swap.

1. ``make check``'s rules over content/ (no build): any problem stops here.
2. Pelican builds into ``<output>.building-<pid>`` beside the output folder, warnings fatal.
3. The new folder is checked: it has an ``index.html`` and every internal link and asset resolves.
4. Only then the new folder replaces the old one in one step (``exchange.py``; two renames where
   the system cannot), and the search index generation it names becomes live with it
   (``search_generation.py``); the old one is deleted afterwards.  On any failure the new folder
   is deleted and the old output and index are untouched.

One build at a time (``lock.py``): a second build waits for the first, saying so.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from plugins.cli import load_settings
from plugins.content_check.checker import check_content, report

from . import search_generation
from .exchange import exchange
from .links import broken_links
from .lock import build_lock
from .prelink import links_memo, prelink


class BuildFailed(Exception):
    pass


def _remove(path: Path) -> None:
    if path.is_symlink() or path.is_file():
        path.unlink()
    elif path.exists():
        shutil.rmtree(path)


def _stale_folders(output: Path):
    for pattern in (f"{output.name}.building-*", f"{output.name}.old-*"):
        for path in output.parent.glob(pattern):
            pid = path.name.rsplit("-", 1)[-1]
            if pid.isdigit() and _alive(int(pid)):
                continue
            yield path


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except (ProcessLookupError, PermissionError):
        return False
    return True


# Where tests/editors/test_build_consistency.py kills a build exactly (SITEBUILD_KILL_AT=<stage>),
# besides the kills it spreads over a build by time.
KILL_STAGES = ("checked", "built", "linked", "swapped", "live")


def _kill_point(stage: str) -> None:
    if os.environ.get("SITEBUILD_KILL_AT") == stage:
        os.kill(os.getpid(), 9)  # SIGKILL: nothing runs after it, as with a crash


def _die_with_parent() -> None:
    """In the Pelican child: be killed when this process dies (Linux ``PR_SET_PDEATHSIG``), so a
    killed `make site` never leaves a Pelican writing on behind it."""
    import ctypes
    import signal

    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG = 1
    except (OSError, AttributeError):
        pass


def with_extra_setting(pelican_args: list, item: str) -> list:
    """``pelican_args`` with ``item`` (KEY=JSON) among its ``-e`` settings: Pelican keeps only the
    last ``-e``, so a second one would drop the caller's or ours."""
    for n, arg in enumerate(pelican_args):
        if arg in ("-e", "--extra-settings"):
            return pelican_args[: n + 1] + [item] + pelican_args[n + 1:]
    return pelican_args + ["-e", item]


def build(content: Path, output: Path, settings_file: Path, *, pelican_args=(), check: bool = True,
          log=print) -> Path:
    """Build ``content`` into ``output`` atomically; raise BuildFailed (output untouched) on any problem."""
    content, output, settings_file = Path(content), Path(output).absolute(), Path(settings_file)
    settings = load_settings(settings_file)
    with build_lock(output, log):
        return _build_locked(content, output, settings_file, settings, pelican_args, check, log)


def _build_locked(content: Path, output: Path, settings_file: Path, settings, pelican_args, check, log) -> Path:
    if check:
        problems, count = check_content(content, settings, relative_to=Path.cwd())
        log(report(problems, count, f"{content.as_posix().rstrip('/')}/"))
        if problems:
            raise BuildFailed("content check failed / 内容检查没有通过")
    _kill_point("checked")

    output.parent.mkdir(parents=True, exist_ok=True)
    for stale in _stale_folders(output):
        _remove(stale)
    search_generation.tidy(settings, output)
    fresh = output.parent / f"{output.name}.building-{os.getpid()}"
    _remove(fresh)
    try:
        # The previous site's unchanged pages, so that only changed pages are rendered (plugins/incremental).
        prelink(settings, output, fresh)
        args = with_extra_setting(list(pelican_args), "SEARCH_SWAP_WITH_OUTPUT=true")
        args = with_extra_setting(args, "INCREMENTAL_OUTPUT=" + json.dumps(str(output)))
        cmd = [sys.executable, "-m", "plugins.sitebuild.pelican_run", str(content), "-s", str(settings_file),
               "-o", str(fresh), "--fatal", "warnings", *args]
        result = subprocess.run(cmd, preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None)
        if result.returncode != 0:
            raise BuildFailed(f"pelican failed (exit {result.returncode}) / 网站生成失败，{output} 保持不变")
        _kill_point("built")
        if not (fresh / "index.html").is_file():
            raise BuildFailed(f"the build wrote no index.html / 生成结果缺少 index.html，{output} 保持不变")
        broken = broken_links(fresh, settings.get("SITEURL", ""), memo=links_memo(settings, output))
        if broken:
            for line in broken:
                log(f"  broken link / 链接失效: {line}")
            raise BuildFailed(f"{len(broken)} broken internal link(s) / 个内部链接失效，{output} 保持不变")
        _kill_point("linked")
        swap(fresh, output, kill_point=_kill_point)
        search_generation.after_swap(settings, output)
        _kill_point("live")
    finally:
        _remove(fresh)
    log(f"built / 已生成: {output}")
    return output


def swap(fresh: Path, output: Path, kill_point=lambda stage: None) -> None:
    """Put ``fresh`` where ``output`` is; the old output is removed only after the new one is in place."""
    if output.is_dir() and not output.is_symlink() and exchange(fresh, output):
        kill_point("swapped")
        _remove(fresh)  # now the old site
        return
    old = output.parent / f"{output.name}.old-{os.getpid()}"
    _remove(old)
    if output.exists() or output.is_symlink():
        os.rename(output, old)
    try:
        os.rename(fresh, output)
    except OSError:
        if old.exists():
            os.rename(old, output)
        raise
    _remove(old)
