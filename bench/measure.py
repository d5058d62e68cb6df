"""Run one command in a child process and measure its wall time and peak memory.

Peak memory (``peak_rss_mb``) is the larger of
* the peak of the summed PSS (proportional set size, ``/proc/<pid>/smaps_rollup``) of the child and
  all its descendants, polled every 0.1 s (less often when a poll itself is slow, so that polling
  takes at most 5 % of one core from the build: ``POLL_SHARE``): the search runs in forked processes, so
  one process's maxrss would hide them, and summing their RSS would count the pages they share
  copy-on-write with the parent once per process;
* the largest single process's ``ru_maxrss`` from ``wait4`` (``main_rss_mb``; catches a peak
  shorter than the poll interval).
``tree_rss_mb`` is the peak of the summed RSS (an upper bound that counts shared pages repeatedly).
``cpu_s`` is the user + system CPU time of the child and the descendants it waited for (``wait4``):
on a machine shared with other jobs it moves far less than the wall time.
"""

from __future__ import annotations

import os
import subprocess
import threading
import time
from pathlib import Path

PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
POLL_SHARE = 20  # the memory poller's wait is at least this many times its last poll's duration


def _children_map() -> dict[int, list[int]]:
    out: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
        except OSError:
            continue
        # pid (comm) state ppid ...; comm may contain spaces and parentheses
        ppid = int(stat[stat.rindex(")") + 2:].split()[1])
        out.setdefault(ppid, []).append(int(entry.name))
    return out


def _pss(pid: int) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    except (OSError, IndexError, ValueError):
        pass
    return None


def _tree_memory(pid: int) -> tuple[int, int]:
    """(summed PSS, summed RSS) of ``pid`` and its descendants; PSS falls back to RSS."""
    children = _children_map()
    pss = rss = 0
    stack = [pid]
    while stack:
        p = stack.pop()
        try:
            one = int(Path(f"/proc/{p}/statm").read_text().split()[1]) * PAGE
        except (OSError, IndexError, ValueError):
            one = 0
        rss += one
        proportional = _pss(p)
        pss += one if proportional is None else proportional
        stack.extend(children.get(p, []))
    return pss, rss


class Result(dict):
    @property
    def ok(self) -> bool:
        return self["returncode"] == 0


def run(cmd: list[str], *, cwd: str | Path | None = None, env: dict | None = None, interval: float = 0.1,
        log_path: Path | None = None) -> Result:
    """``{"wall_s", "cpu_s", "peak_rss_mb", "main_rss_mb", "tree_rss_mb", "returncode"}`` of ``cmd``; output goes to ``log_path`` (or nowhere)."""
    out = open(log_path, "wb") if log_path else subprocess.DEVNULL
    try:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
        peak = peak_rss = 0
        done = threading.Event()

        def poll():
            nonlocal peak, peak_rss
            while not done.is_set():
                began = time.perf_counter()
                pss, rss = _tree_memory(proc.pid)
                peak, peak_rss = max(peak, pss), max(peak_rss, rss)
                # Reading smaps_rollup walks each process's page tables (and holds its memory map's
                # lock): for a tree of large processes one poll takes tens of milliseconds, and
                # polling every 0.1 s would take a core from the build it measures.  The poller
                # keeps to ≤ 1/POLL_SHARE of one core by waiting longer when a poll is slow.
                done.wait(max(interval, POLL_SHARE * (time.perf_counter() - began)))

        poller = threading.Thread(target=poll, daemon=True)
        poller.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        done.set()
        poller.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
    finally:
        if log_path:
            out.close()
    main = usage.ru_maxrss * 1024
    return Result(wall_s=wall, cpu_s=usage.ru_utime + usage.ru_stime, peak_rss_mb=max(peak, main) / 2**20,
                  main_rss_mb=main / 2**20,
                  tree_rss_mb=max(peak_rss, main) / 2**20, returncode=proc.returncode)
