"""Download one image or attachment of a post into its folder, and say what the post may link to.

* saved (or already there): the post keeps its ``{static}<slug>/<file>`` link; an image whose URL
  has no image extension (``/showimg?id=5``) is saved under its type's (``showimg.png``);
* gone (404/410) or of the wrong type (``media_type.mismatch``): left out of the post, reported;
* not downloadable now (robots.txt, timeout, the deadline, 5xx, an unsafe path): the post links
  to the original, with a warning.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .convert import MediaRef, safe_filename
from .fetch import Fetcher, FetchError, Gone
from .media_type import image_extension, mismatch
from .profile import Profile
from .robots import Robots
from .store import UnsafePath, safe_path, write_media


@dataclass
class MediaOutcome:
    changes: dict[str, str | None] = field(default_factory=dict)   # post link -> new link, or None: left out
    left_out: list[tuple[str, str]] = field(default_factory=list)  # (media URL, what and why)
    saved: list[Path] = field(default_factory=list)                # files written now (removed if the post is not)


class MediaFiles:
    def __init__(self, profile: Profile, content_dir: Path, fetcher: Fetcher, robots: Robots,
                 warn: Callable[[str, str], None]):
        self.profile, self.content_dir = profile, content_dir.resolve()
        self.fetcher, self.robots, self.warn = fetcher, robots, warn

    def fetch_all(self, media: list[MediaRef], folder: Path) -> MediaOutcome:
        """Download every file of one post into ``folder`` (inside the content folder)."""
        outcome = MediaOutcome()
        for ref in media:
            link, note = self._fetch(ref, folder, media, outcome.saved)
            if link != ref.link:
                outcome.changes[ref.link] = link
            if note:
                outcome.left_out.append((ref.url, note))
        return outcome

    def _fetch(self, ref: MediaRef, folder: Path, media: list[MediaRef], saved: list[Path]) -> tuple[str | None, str | None]:
        try:
            rel_folder = folder.resolve().relative_to(self.content_dir).parts
            target = safe_path(self.content_dir, *rel_folder, ref.filename)
        except (UnsafePath, ValueError) as exc:
            self.warn(ref.public_url, f"media not saved: {exc}")
            return ref.public_url, None
        if target.exists():
            return ref.link, None
        if not self.robots.allowed(ref.url):
            self.warn(ref.url, "media disallowed by robots.txt; linked to the original")
            return ref.public_url, None
        try:
            resp = self.fetcher.get(ref.url, max_bytes=self.profile.http.max_media_bytes)
        except Gone as exc:
            return None, f"{ref.kind} left out: {exc.reason}"
        except FetchError as exc:
            self.warn(ref.url, f"media download failed ({exc.reason}); linked to the original")
            return ref.public_url, None
        stem, dot, ext = ref.filename.rpartition(".")
        stem, ext = (stem, ext.lower()) if dot else (ref.filename, "")
        why = mismatch(ref.kind, ext, resp.content_type, resp.content, image_extensions=self.profile.image_extensions,
                       attachment_extensions=self.profile.attachment_extensions)
        if why:
            return None, f"{ref.kind} left out: {why}"
        link = ref.link
        if ref.kind == "image" and ext not in self.profile.image_extensions:
            name = safe_filename(f"{stem}.{image_extension(resp.content_type)}", {r.filename for r in media})
            target = safe_path(self.content_dir, *rel_folder, name)
            link = ref.link.rpartition("/")[0] + "/" + name
        if write_media(target, resp.content):
            saved.append(target)
        return link, None
