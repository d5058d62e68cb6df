"""Is a downloaded file what the post links it as?

An image must answer with an image type the site may serve (``image/jpeg``, ``image/png`` … whose
usual extension is in the profile's ``image_extensions``; never SVG, which can carry script), an
attachment with anything but a web page or text.  A body that starts like HTML is refused whatever the
``Content-Type`` says (an error or log-in page answered with 200).  ``application/octet-stream`` or
no ``Content-Type`` is accepted when the file's own extension is one the profile lists.
"""

from __future__ import annotations

import mimetypes
import re

_HTML_START = re.compile(rb"^(?:\xef\xbb\xbf)?\s*<(?:!doctype\s+html|html|head|body|script|\?xml|!--)", re.IGNORECASE)
_UNTYPED = ("", "application/octet-stream", "binary/octet-stream", "application/unknown")
# mimetypes knows these under other names on some systems
_IMAGE_EXTENSIONS = {"image/jpeg": "jpg", "image/pjpeg": "jpg", "image/png": "png", "image/gif": "gif",
                     "image/webp": "webp", "image/bmp": "bmp", "image/x-ms-bmp": "bmp"}


def media_type(content_type: str | None) -> str:
    return (content_type or "").split(";", 1)[0].strip().lower()


def image_extension(content_type: str | None) -> str | None:
    """The usual extension (no dot) for an image type, or None."""
    kind = media_type(content_type)
    if kind in _IMAGE_EXTENSIONS:
        return _IMAGE_EXTENSIONS[kind]
    guessed = mimetypes.guess_extension(kind) if kind.startswith("image/") else None
    return guessed.lstrip(".") if guessed else None


def mismatch(kind: str, extension: str, content_type: str | None, head: bytes, *,
             image_extensions, attachment_extensions) -> str | None:
    """Why the file cannot be published as ``kind`` ("image" / "attachment"), or None when it can.

    ``extension``: the saved file's extension (no dot, lower case); ``head``: the body's first bytes.
    """
    declared = media_type(content_type)
    shown = f"Content-Type {declared}" if declared else "no Content-Type"
    if _HTML_START.match(head[:512]) or declared in ("text/html", "application/xhtml+xml"):
        return f"answers with a web page ({shown}), not {'an image' if kind == 'image' else 'a file'}"
    if kind == "image":
        if declared in _UNTYPED:
            return None if extension in image_extensions else f"{shown} and no image extension"
        ext = image_extension(declared)
        if ext is None or ext not in image_extensions:
            allowed = ", ".join(sorted(image_extensions))
            return f"{shown} is not an image type the site publishes ({allowed})"
        return None
    if declared.startswith("text/"):
        return f"{shown}, not a {extension or 'binary'} file"
    if declared in _UNTYPED and extension not in attachment_extensions:
        return f"{shown} and no attachment extension"
    return None
