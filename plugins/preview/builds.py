"""Background builds: full incremental Pelican runs in the serving process, one at a time.

``Builds.request()`` asks for a build; a thread runs them one after the other, and a request that
arrives during a build starts another one after it (requests in between are merged).  A build
starts once no request came for ``quiet_s`` (1 s): a burst of saves makes one build, and the
reload that follows a save is served before the build takes the processor.  Each build
is Pelican's own ``run()`` on a Pelican object made from the settings (again after the settings
file changed), with warnings and errors fatal as in `make site`: a build that logs one stops
before it replaces anything the server serves, the first message is printed as one line (it names
the file), and the site stays as the last good build left it.  A successful build's objects
become the fast path's model (``site_model.py``).

``status()`` is what ``/_preview/status`` answers (server.py): how many changes were seen, up to
which one the site is built, whether a build runs, the last error and the fast path's last times.
"""

from __future__ import annotations

import logging
import sys
import threading
import time

from pelican import Pelican
from pelican.contents import Content
from pelican.log import LimitFilter
from pelican.settings import read_settings

from . import site_model
from .site_model import SiteModel

log = logging.getLogger(__name__)


def one_line(text: str) -> str:
    return " ".join(str(text).split())


class ErrorCollector(logging.Handler):
    """Remembers the first warning or error each build logs (the message that made it fail)."""

    def __init__(self):
        super().__init__(level=logging.WARNING)
        self.first: str | None = None

    def emit(self, record):
        if self.first is not None:
            return
        try:
            message = record.getMessage()
        except Exception:  # a malformed record: say what we know
            message = str(record.msg)
        # Pelican's "Could not process <file>" leaves its reason out unless DEBUG: the handler runs
        # inside the ``except`` that logged it, where the exception is still at hand.
        error = record.exc_info[1] if record.exc_info else sys.exc_info()[1]
        if error is not None and str(error) and str(error) not in message:
            message += f" — {type(error).__name__}: {error}"
        self.first = one_line(message)


def _forget_failed_search_collection() -> None:
    """plugins/search collects the articles at ``all_generators_finalized`` and indexes them at
    ``finalized``; a build that failed between the two leaves its collection behind, and the next
    build must collect afresh."""
    for name, module in list(sys.modules.items()):
        if name.rsplit(".", 1)[-1] == "search" and isinstance(getattr(module, "_STATE", None), dict) \
                and getattr(module, "__file__", "").endswith(("plugins/search/__init__.py",)):
            abandon = getattr(module, "_abandon", None)
            abandon() if abandon else module._STATE.clear()  # also stops a search step still running


class Builds:
    def __init__(self, settings_file: str, overrides: dict, say=print, quiet_s: float = 1.0):
        self.settings_file = settings_file
        self.overrides = overrides
        self.say = say
        self.quiet_s = quiet_s
        self._last_request = 0.0
        self.pelican: Pelican | None = None
        self.model: SiteModel | None = None
        self.model_lock = threading.RLock()
        self._cond = threading.Condition()
        self._stop = False
        self._reload_settings = True
        self.seen = 0  # changes (or the first build) asked for
        self.built = 0  # the last request the site is built up to (success or failure)
        self.building = False
        self.runs = self.failures = 0
        self.last_error: str | None = None
        self.last_build_s: float | None = None
        self.fast_paths: list[dict] = []
        self._thread = threading.Thread(target=self._loop, name="preview-builds", daemon=True)

    # -- asking ----------------------------------------------------------------------------------
    def start(self) -> None:
        self.request()
        self._thread.start()

    def request(self, settings_changed: bool = False) -> None:
        with self._cond:
            self.seen += 1
            self._last_request = time.monotonic()
            self._reload_settings = self._reload_settings or settings_changed
            self._cond.notify_all()

    def stop(self) -> None:
        with self._cond:
            self._stop = True
            self._cond.notify_all()

    def status(self) -> dict:
        with self._cond:
            return {"seen": self.seen, "built": self.built, "building": self.building, "runs": self.runs,
                    "failures": self.failures, "last_error": self.last_error, "last_build_s": self.last_build_s,
                    "fast_paths": self.fast_paths[-5:], "ready": self.model is not None}

    # -- building ------------------------------------------------------------------------------
    def _loop(self) -> None:
        while True:
            with self._cond:
                while not self._stop and self.built >= self.seen:
                    self._cond.wait()
                # Saves in quick succession make one build; and the browser's reload right after a
                # save is answered by a process that is not building yet.
                while not self._stop and self.runs and self._last_request > time.monotonic() - self.quiet_s:
                    self._cond.wait(self.quiet_s)
                if self._stop:
                    return
                target = self.seen
                reload_settings, self._reload_settings = self._reload_settings, False
                self.building = True
            started = time.perf_counter()
            error = self._build(reload_settings)
            with self._cond:
                self.building = False
                self.built = target
                self.last_build_s = round(time.perf_counter() - started, 2)
                self.runs += 1
                self.last_error = error
                if error:
                    self.failures += 1
                    self._reload_settings = self._reload_settings or reload_settings
            if error:
                self.say(f"preview: build failed, still serving the last good site — {error}")
            else:
                self.say(f"preview: site up to date ({self.last_build_s} s)")

    def _build(self, reload_settings: bool) -> str | None:
        collector = ErrorCollector()
        root = logging.getLogger()
        root.addHandler(collector)
        # Pelican drops a message it logged once in this process: a second failing build must fail.
        LimitFilter._raised_messages.clear()
        LimitFilter._group_count.clear()
        try:
            if reload_settings or self.pelican is None:
                settings = read_settings(self.settings_file, override=self.overrides)
                self.pelican = Pelican(settings)
            site_model.start_capture()
            self.pelican.run()
            model = site_model.captured(self.pelican.settings)
            with self.model_lock:
                self.model = model
                # Pelican memoises content per object for the life of the process: let the replaced
                # build's objects go (the current ones are computed again on use).
                for method in (Content.get_content, Content.get_summary):
                    method.cache.clear()
            return None
        except Exception as error:  # a bad post, template or setting: say it, keep serving
            _forget_failed_search_collection()
            return collector.first or one_line(f"{type(error).__name__}: {error}")
        finally:
            root.removeHandler(collector)
