"""The build's process ends without freeing its objects one by one.

After a build, Python's own exit frees every object of the site model: millions of them at 10,000
articles, about a second of a rebuild that takes ten.  ``leave(status)`` runs the exit handlers
(``atexit``: logging's flush, ``weakref.finalize`` clean-ups, a search step still to stop), flushes
standard output and error, and ends the process with ``os._exit`` — what mypy does after a check
(``mypy.util.hard_exit``).  Every file the build writes is closed by then: Pelican's writer, the
plugins and the search step write through ``with`` blocks or ``atomic_file``.

* ``plugins/sitebuild/pelican_run.py`` (``make site``) calls ``leave`` with the status it returns.
* A plain ``pelican`` / ``python -m pelican`` run does it only after a build that reached
  ``finalized``, and only if nothing after that asked for another status (``sys.exit``) or failed
  (an uncaught exception): then Python's own exit runs as usual.  Pelican run inside another
  program (tests, ``make serve``) never leaves early.
"""

from __future__ import annotations

import atexit
import os
import sys

from pelican import signals

_ARMED: dict = {}


def leave(status: int) -> None:
    """Run the exit handlers, flush, and end this process with ``status``."""
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # closed or gone: nothing left to lose
            pass
    os._exit(status)


def _pelican_is_the_program() -> bool:
    main = sys.modules.get("__main__")
    spec = getattr(main, "__spec__", None)
    if spec is not None:
        return spec.name in ("pelican", "pelican.__main__")
    return os.path.basename(sys.argv[0] if sys.argv else "") == "pelican"  # the console script


def _arm(pelican) -> None:
    if _ARMED or not _pelican_is_the_program():
        return
    _ARMED["pid"] = os.getpid()
    python_exit = sys.exit

    def exit(status=None):  # noqa: A001 - stands for sys.exit
        _ARMED["status"] = status
        python_exit(status)

    sys.exit = exit
    atexit.register(_at_exit)


def _at_exit() -> None:
    """Registered last, so the first exit handler to run: the others run inside ``leave``."""
    if _ARMED.get("pid") != os.getpid() or "status" in _ARMED or hasattr(sys, "last_value"):
        return  # a forked process, a status asked for, or an exception: Python's own exit
    atexit.unregister(_at_exit)
    leave(0)


def install() -> None:
    signals.finalized.connect(_arm)
