"""Pelican's own command line, with every failure as one line of text and never a traceback.

``python -m plugins.sitebuild.pelican_run <pelican arguments>`` is ``pelican <arguments>`` except
for its log: a message that carries an exception (Pelican logs a fatal warning, a post it could
not read or a plugin's error with the traceback attached) is printed as the message followed by
the exception's own text.  The message names the file when Pelican or a plugin knows it
(``Could not process news/…/x.md: …``); the traceback helps nobody who edits content.
``PELICAN_TRACEBACKS=1`` keeps them, for developers.
"""

from __future__ import annotations

import logging
import os
import sys


class OneLineErrors(logging.Filter):
    """Strip tracebacks from log records; keep what the exception says."""

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        if exc is None and record.levelno >= logging.WARNING:
            active = sys.exc_info()[1]  # logger.exception(..., exc_info=False) inside an except block
            if active is not None and not isinstance(active, RuntimeError):
                exc = active
        if exc is not None:
            text = str(exc).strip() or exc.__class__.__name__
            message = record.getMessage()
            if text not in message:
                message = f"{message}: {exc.__class__.__name__}: {text}"
            record.msg, record.args = message, ()
        record.exc_info = None
        record.exc_text = None
        return True


def main(argv=None) -> int:
    from pelican import log
    from pelican import main as pelican_main

    if os.environ.get("PELICAN_TRACEBACKS") != "1":
        log.DEFAULT_LOG_HANDLER.addFilter(OneLineErrors())
    try:
        pelican_main(argv)
    except SystemExit as stop:
        return stop.code if isinstance(stop.code, int) else 1
    return 0


if __name__ == "__main__":
    status = main()
    try:
        from plugins.pelican_speedups.quick_exit import leave
    except ImportError:  # pragma: no cover - run from elsewhere than the project
        sys.exit(status)
    leave(status)
