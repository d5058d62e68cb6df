"""Results of pure functions of a text, kept from one build to the next.

Some per-article work gives the same result for the same input every build: the 繁體 conversion of a
body (OpenCC), the safety check of a rendered body, the plain-text start of a body.  At 10,000
articles each costs seconds per build, though an edit changes one article.  A ``BuildMemo`` maps a
digest of the exact input (and of everything else the result depends on, in ``namespace``) to the
result, in Pelican's cache folder (``CACHE_PATH``, which plugins/incremental keeps per digest of the
settings, theme, plugins and libraries).  Only the entries used by a build are saved, so it never
grows beyond the archive; a file that cannot be read is ignored.  Off unless ``CACHE_CONTENT``.

Plugins call ``memo(settings, name)``; plugins/incremental saves every memo at the end of a
successful build (``save_all``).
"""

from __future__ import annotations

import hashlib
import os
import pickle
from pathlib import Path

try:
    from plugins.atomic_file import write_atomically
except ImportError:  # pragma: no cover - Pelican put plugins/ itself on sys.path
    from atomic_file import write_atomically

_OPEN: dict[str, BuildMemo] = {}


class BuildMemo:
    def __init__(self, path: Path, namespace: bytes = b""):
        self.path = path
        self.namespace = namespace
        self._old: dict | None = None
        self._new: dict = {}
        self._computed = 0

    def _load(self) -> dict:
        if self._old is None:
            try:
                with open(self.path, "rb") as handle:
                    data = pickle.load(handle)
                self._old = data if isinstance(data, dict) else {}
            except Exception:  # missing, torn or foreign: start empty
                self._old = {}
        return self._old

    def key(self, *parts) -> bytes:
        h = hashlib.blake2b(self.namespace, digest_size=16)
        for part in parts:
            data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else bytes(part)
            h.update(b"%d:" % len(data) + data)
        return h.digest()

    def get(self, key: bytes, compute):
        if key in self._new:
            return self._new[key]
        old = self._load()
        if key in old:
            value = self._new[key] = old[key]
            return value
        value = self._new[key] = compute()
        self._computed += 1
        return value

    def save(self) -> None:
        old = self._old or {}
        if not self._computed and len(self._new) == len(old):
            return  # the same entries as on disk
        write_atomically(self.path, lambda handle: pickle.dump(self._new, handle, protocol=pickle.HIGHEST_PROTOCOL))


def memo(settings, name: str, namespace: bytes = b"") -> BuildMemo | None:
    """The build's memo ``name`` (None when Pelican's content cache is off)."""
    # Only where plugins/incremental put the cache (an absolute folder per digest), never a relative
    # "cache" folder of whatever directory a command runs in.
    cache = settings.get("CACHE_PATH") if settings else None
    if not settings.get("CACHE_CONTENT") or not cache or not os.path.isabs(cache):
        return None
    space = hashlib.blake2b(namespace, digest_size=6).hexdigest()
    path = Path(settings["CACHE_PATH"]) / f"memo-{name}-{space}.pickle"
    found = _OPEN.get(str(path))
    if found is None:
        found = _OPEN[str(path)] = BuildMemo(path, namespace)
    return found


def save_all() -> None:
    memos = list(_OPEN.values())
    _OPEN.clear()
    for found in memos:
        found.save()


def forget_all() -> None:
    """A failed build: nothing of it is kept."""
    _OPEN.clear()
