"""Pelican's writer, rendering only pages whose inputs changed and writing only changed bytes.

For every page Pelican asks for, the template's render is preceded by the page's *fingerprint*: the
build's global digest, the template's name, and the digest of every value the template can read
(``environment.TemplateReads``; content items as ``digest.py`` describes).  When the previous build
wrote this file with the same fingerprint, and the file is still the one it wrote (same inode, size
and modification time), the page is not rendered and the file is left as it is.  Otherwise it is
rendered, and written only if its bytes differ — through a temporary file renamed into place, so a
file shared by hard link with an older site (``make site``'s previous output) is replaced, never
changed in place.

Feeds and any other file Pelican writes through the writer are produced every time and written only
when their bytes changed.
"""

from __future__ import annotations

import logging
import os

from pelican.writers import FileOverwriteFailedError, Writer

from .digest import TOP_DEPTH

log = logging.getLogger(__name__)


class Unchanged(str):
    """What a skipped page "renders": nothing to write, the file on disk is already right."""


UNCHANGED = Unchanged("")


class _TrackedTemplate:
    """Stands for a Jinja template inside ``Writer.write_file``: decides before rendering."""

    def __init__(self, template, run):
        self._template = template
        self._run = run

    def __getattr__(self, name):
        return getattr(self._template, name)

    def render(self, localcontext):
        run = self._run
        name = localcontext.get("output_file")
        fingerprint = run.fingerprint(self._template, localcontext)
        if fingerprint is not None and name is not None:
            run.pending[name] = fingerprint
            if run.unchanged(name, fingerprint):
                run.skipped += 1
                return UNCHANGED
        run.rendered += 1
        return self._template.render(localcontext)


class _Sink:
    """The file object ``_open_w`` returns: collects what Pelican writes, then writes the file only
    if its bytes changed."""

    def __init__(self, path: str, encoding: str, run):
        self.path, self.encoding, self.run = path, encoding, run
        self.parts: list[bytes] = []
        self.unchanged = False

    def write(self, text):
        if isinstance(text, Unchanged):
            self.unchanged = True
        elif text:
            # Pages come as text; feedgenerator writes bytes.
            self.parts.append(text.encode(self.encoding) if isinstance(text, str) else bytes(text))
        return len(text)

    def __enter__(self):
        return self

    def __exit__(self, kind, error, tb):
        if kind is not None:
            return False
        if self.path == os.devnull:
            return False
        if not self.unchanged:
            self.run.write_if_changed(self.path, b"".join(self.parts))
        self.run.produced(self.path)
        return False


class IncrementalWriter(Writer):
    run = None  # the build's IncrementalRun, set by the plugin before Pelican creates the writer

    def write_file(self, name, template, context, *args, **kwargs):
        if self.run is not None and self.run.enabled and template is not None:
            template = _TrackedTemplate(template, self.run)
        return super().write_file(name, template, context, *args, **kwargs)

    def _open_w(self, filename, encoding, override=False):
        if self.run is None:
            return super()._open_w(filename, encoding, override)
        # Pelican's own bookkeeping of files written twice (writers.Writer._open_w), unchanged.
        if filename in self._overridden_files:
            if override:
                raise FileOverwriteFailedError(f'Failed to overwrite "{filename}" a second time '
                                               "(was previously overwritten)")
            log.info('Skipping "%s", not overwriting', filename)
            filename = os.devnull
        elif filename in self._written_files:
            if override:
                log.info('Overwriting "%s"', filename)
            else:
                raise FileOverwriteFailedError(f'Failed to overwrite "{filename}" as Pelican has already '
                                               "written to it previously (set `override=True` if intended)")
        if override:
            self._overridden_files.add(filename)
        self._written_files.add(filename)
        return _Sink(filename, encoding, self.run)


__all__ = ["IncrementalWriter", "UNCHANGED", "TOP_DEPTH"]
