"""Files and state: atomic writes, path safety, edit protection, crawl state.

* Every file is written to a temporary file in the same directory, fsynced and
  moved into place with ``os.replace``: a crash never leaves a partial file.
* Every path is checked to stay inside the content directory, whatever the
  page says (``../``, absolute paths, odd separators are refused).
* The state (JSON, written atomically after every article) remembers per
  article URL: status (ok / gone), the post path, the SHA-256 of what the
  scraper last wrote there, and ETag / Last-Modified for conditional requests.
* If a post on disk no longer has the hash the scraper wrote, an editor changed
  it: the new version goes beside it as ``<post>.scraped.md`` (ignored by
  Pelican) and the crawl reports it; the editor's file is never overwritten.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from pathlib import Path

from plugins.atomic_file import write_atomically

STATE_VERSION = 1


class UnsafePath(ValueError):
    """A path computed from page data would leave the content directory."""


def sha256(data: bytes | str) -> str:
    if isinstance(data, str):
        data = data.encode("utf-8")
    return hashlib.sha256(data).hexdigest()


def atomic_write(path: Path, data: bytes) -> None:
    """The bytes on disk under ``path`` in one step (plugins/atomic_file.py), synced first."""
    write_atomically(path, data, durable=True)


def _check_part(part: str) -> str:
    if (
        not part
        or part in (".", "..")
        or "/" in part
        or "\\" in part
        or "\0" in part
        or ":" in part
        or part.startswith(".")
        or os.path.isabs(part)
    ):
        raise UnsafePath(f"unsafe path component {part!r}")
    return part


def check_folder(path: Path, what: str) -> Path:
    """``path`` if it is a folder or can become one (nothing in the way); else ValueError naming it."""
    if "\0" in str(path):
        raise ValueError(f"{what} {str(path)!r} is not a valid path (it holds a NUL character)")
    for part in (path, *path.parents):
        if part.exists() or part.is_symlink():
            if not part.is_dir():
                problem = "is a file" if part == path else f"cannot be created: {part} is a file"
                raise ValueError(f"{what} {path} {problem}; give a folder")
            if not os.access(part, os.W_OK | os.X_OK):
                raise ValueError(f"{what} {path} is not writable ({part}); give a folder you may write to")
            break
    return path


def safe_path(root: Path, *parts: str) -> Path:
    """root/part/... after validating every component and the resolved result."""
    root_resolved = root.resolve()
    target = root_resolved.joinpath(*(_check_part(p) for p in parts))
    resolved = target.resolve()
    if not resolved.is_relative_to(root_resolved):
        raise UnsafePath(f"{target} is outside {root_resolved}")
    return resolved


_ENTRY_TEXT_KEYS = ("status", "path", "hash", "etag", "last_modified", "source_id", "reason")


def _shape_problem(loaded) -> str | None:
    """What is wrong with the shape of a loaded state file, or None."""
    if not isinstance(loaded, dict):
        return f"it holds a JSON {type(loaded).__name__}, not an object"
    if loaded.get("version") != STATE_VERSION:
        return f"it has version {loaded.get('version')!r}, expected {STATE_VERSION}"
    articles = loaded.get("articles", {})
    if not isinstance(articles, dict):
        return "'articles' is not an object"
    for url, entry in articles.items():
        if not isinstance(entry, dict):
            return f"articles[{url!r}] is not an object"
        for key in _ENTRY_TEXT_KEYS:
            if entry.get(key) is not None and not isinstance(entry[key], str):
                return f"articles[{url!r}].{key} is not a string"
    run = loaded.get("run")
    if run is not None and not (isinstance(run, dict) and isinstance(run.get("done", []), list)
                                and all(isinstance(k, str) for k in run.get("done", []))):
        return "'run' is not null or an object with a list 'done' of URLs"
    return None


class State:
    """Crawl state in ``<state-dir>/<profile>.json``."""

    def __init__(self, path: Path):
        self.path = path
        self.lock = threading.RLock()
        self.data: dict = {"version": STATE_VERSION, "articles": {}, "run": None}
        fresh = ("; move it away to start a fresh crawl "
                 "(posts already written are kept and edits are still detected by content)")
        if path.exists() or path.is_symlink():
            try:
                loaded = json.loads(path.read_bytes().decode("utf-8"))
            except (OSError, ValueError) as exc:   # JSONDecodeError and UnicodeDecodeError are ValueErrors
                reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
                raise ValueError(f"state file {path} is unreadable ({reason}){fresh}") from None
            problem = _shape_problem(loaded)
            if problem:
                raise ValueError(f"state file {path} is not a crawl state: {problem}{fresh}")
            self.data.update(loaded)

    @property
    def articles(self) -> dict[str, dict]:
        return self.data["articles"]

    def entry(self, key: str) -> dict:
        with self.lock:
            return dict(self.articles.get(key, {}))

    def update(self, key: str, **values) -> None:
        with self.lock:
            self.articles.setdefault(key, {}).update(values)

    # An unfinished run is resumed: articles it completed are not fetched again.
    def start_run(self, started: str) -> set[str]:
        with self.lock:
            run = self.data.get("run")
            if run and not run.get("complete"):
                return set(run.get("done", []))
            self.data["run"] = {"started": started, "done": [], "complete": False}
            return set()

    def mark_done(self, key: str) -> None:
        with self.lock:
            done = self.data["run"]["done"]
            if key not in done:
                done.append(key)

    def finish_run(self) -> None:
        with self.lock:
            self.data["run"] = None

    def save(self) -> None:
        with self.lock:
            payload = json.dumps(self.data, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")
            atomic_write(self.path, payload)


def scraped_path(post: Path) -> Path:
    """``crsa-4821.md`` -> ``crsa-4821.scraped.md``."""
    return post.with_name(post.stem + ".scraped.md")


def write_post(path: Path, text: str, last_written_hash: str | None) -> tuple[str, Path, str | None]:
    """Write a post respecting editors' changes.

    Returns (outcome, path written or kept, hash of the file now at ``path`` that the scraper owns)
    where outcome is "new", "updated", "unchanged" or "edited".
    """
    data = text.encode("utf-8")
    new_hash = sha256(data)
    if not path.exists():
        atomic_write(path, data)
        return "new", path, new_hash
    current = path.read_bytes()
    if current == data:
        return "unchanged", path, new_hash
    if last_written_hash is not None and sha256(current) == last_written_hash:
        atomic_write(path, data)
        return "updated", path, new_hash
    # Edited by someone (or never written by us): keep it, write ours beside it.
    side = scraped_path(path)
    if not (side.exists() and side.read_bytes() == data):
        atomic_write(side, data)
    return "edited", side, last_written_hash


def write_media(path: Path, data: bytes) -> bool:
    """Write a downloaded file unless identical content is already there; True if written."""
    if path.exists() and path.read_bytes() == data:
        return False
    atomic_write(path, data)
    return True
