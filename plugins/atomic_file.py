"""Replace a file in one step: write a temporary file beside it, then rename it over the old one.

A reader (or a killed build) sees the old bytes or the new ones, never half; a file shared by hard
link with another folder (``make site``'s previous site) is replaced, never changed in place.  The
new file gets the usual mode (0666 less the umask), as ``open(path, "w")`` would give it.

``write_new`` writes a file that does not exist yet where it goes, without the temporary file: for
output nothing refers to yet, that a killed build's successor writes again.
"""

from __future__ import annotations

import os
import tempfile


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


_UMASK = _umask()


def write_atomically(path, data, *, durable: bool = False) -> None:
    """``data``: the bytes, or a function that writes them to the open file (a pickle streamed to
    disk instead of held in memory whole).  ``durable``: on disk before the rename (fsync), for
    what cannot be made again (the scraper's posts and state)."""
    folder = os.path.dirname(os.fspath(path)) or "."
    os.makedirs(folder, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            data(handle) if callable(data) else handle.write(data)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        os.chmod(tmp, 0o666 & ~_UMASK)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def write_new(path, data: bytes) -> bool:
    """Write ``data`` to ``path`` if no file is there (its folder made if need be): True; False,
    writing nothing, when one is (replace it with ``write_atomically``)."""
    for _attempt in (1, 2):
        try:
            with open(path, "xb") as handle:
                handle.write(data)
            return True
        except FileNotFoundError:  # its folder too is new
            os.makedirs(os.path.dirname(os.fspath(path)) or ".", exist_ok=True)
        except FileExistsError:
            return False
    return False
