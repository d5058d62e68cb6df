"""One build at a time: `make site` and `make publish` take a lock beside their output folder.

A second build started while one runs waits for it (saying so, with the other's process id), then
builds: both end cleanly, and the last one's site is the one left.  The lock is ``flock`` on
``<parent of the output>/.sitebuild.lock``: the kernel releases it when its process ends, even by
``kill -9``, so a killed build never leaves a lock behind.  One lock per parent folder because
``output/`` and ``public/`` share the search index beside them (``.search-index``).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from pathlib import Path

LOCK_NAME = ".sitebuild.lock"


@contextlib.contextmanager
def build_lock(output: Path, log=print):
    path = Path(output).parent / LOCK_NAME
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            other = handle.read().strip() or "?"
            log(f"another build is running (process {other}); waiting for it to finish "
                f"/ 另一个生成任务（进程 {other}）正在运行，等它结束后再生成…")
            fcntl.flock(handle, fcntl.LOCK_EX)
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        try:
            yield path
        finally:
            handle.seek(0)
            handle.truncate()
            handle.flush()
            fcntl.flock(handle, fcntl.LOCK_UN)
