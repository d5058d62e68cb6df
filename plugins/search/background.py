"""The search step in a forked process, overlapping Pelican's rendering.

Pelican renders pages on one core; the search (records, analysis, Whoosh index, browser export) needs
only the articles, which are complete when Pelican's articles generator has grouped them
(``article_generator_pretaxonomy``, see ``__init__.py``).  ``start`` forks there: the child runs the
search step while the parent builds the other languages and renders, and ``Job.wait`` (at
``finalized``) collects its one-line report, or raises its error in the parent, so a failed search
still fails the build.

Both processes freeze their garbage collector's view of the heap they share (``gc.freeze``): a
collection writes into every object it visits, which would copy each shared memory page into the
process that visits it.  If the parent stops before ``wait`` (a failed build), the child is killed
at exit, and on Linux a child whose build was killed gets SIGTERM (``PR_SET_PDEATHSIG``); the
index's own crash safety (docs/search.md) covers a child killed mid-write.
"""

from __future__ import annotations

import atexit
import gc
import logging
import os
import pickle
import signal
import sys
import traceback

log = logging.getLogger(__name__)


class SearchStepFailed(RuntimeError):
    """The forked search step raised an exception that could not be sent back as itself."""


def available() -> bool:
    return hasattr(os, "fork") and hasattr(os, "waitpid")


class Abandoned(RuntimeError):
    """The build that forked this step stopped before opening its gate (it found bad content)."""


# In a child started with a gate: the pipe the parent writes its go-ahead into.
_GATE: dict = {}


def pass_gate() -> None:
    """In a gated child: wait until the parent opens the gate (``Job.open_gate``); ``Abandoned``
    if it closes it instead (or dies).  Elsewhere: nothing to wait for."""
    fd = _GATE.pop("fd", None)
    if fd is None:
        return
    try:
        answer = os.read(fd, 1)
    finally:
        os.close(fd)
    if answer != b"1":
        raise Abandoned("the build stopped before its content was checked")


class Job:
    def __init__(self, pid: int, pipe: int, froze: bool, gate: int | None = None):
        self.pid, self._pipe, self._froze, self._gate = pid, pipe, froze, gate
        atexit.register(self.kill)

    def open_gate(self) -> None:
        """Let a gated child go on to write (the content it was given passed the build's checks)."""
        self._close_gate(b"1")

    def _close_gate(self, answer: bytes) -> None:
        gate, self._gate = self._gate, None
        if gate is None:
            return
        try:
            if answer:
                os.write(gate, answer)
        except OSError:  # the child is gone: wait() reports it
            pass
        finally:
            os.close(gate)

    def wait(self):
        """The child's return value; its exception raised here if it failed.  Waiting means the build
        reached its end, so a gate still closed is opened first."""
        self.open_gate()
        chunks = []
        try:
            while chunk := os.read(self._pipe, 1 << 16):
                chunks.append(chunk)
        finally:
            os.close(self._pipe)
            _, status = os.waitpid(self.pid, 0)
            self.pid = None
            atexit.unregister(self.kill)
            self._thaw()
        code = os.waitstatus_to_exitcode(status)
        try:
            outcome, value = pickle.loads(b"".join(chunks))
        except Exception:
            raise SearchStepFailed(f"the search step stopped without a report (exit status {code})") from None
        if outcome == "ok":
            return value
        raise value

    def kill(self) -> None:
        """Stop a child nobody will wait for (the build failed before ``finalized``)."""
        self._close_gate(b"")
        if self.pid is None:
            return
        try:
            os.kill(self.pid, signal.SIGTERM)
            os.waitpid(self.pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
        try:
            os.close(self._pipe)
        except OSError:
            pass
        self.pid = None
        atexit.unregister(self.kill)
        self._thaw()

    def _thaw(self) -> None:
        if self._froze:
            self._froze = False
            gc.unfreeze()


def _die_with(parent: int) -> None:
    """Linux: this process gets SIGTERM when the build that forked it dies (a killed `make site`
    must not leave a search step writing into the index folder that the next build uses).  The
    signal follows the forking thread: Pelican forks from its main thread, `make serve` from its one
    long-lived build thread."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux: the parent's atexit still kills it
        return
    if os.getppid() != parent:  # the build died before the line above
        os._exit(1)


def start(step, *, gated: bool = False) -> Job:
    """Run ``step()`` in a forked child; ``Job.wait()`` returns its result in this process.
    ``gated``: the child may compute but must call ``pass_gate()`` before it writes anything; it
    goes on when this process calls ``Job.open_gate()`` (or ``wait``), and stops if this process
    kills it or dies first."""
    froze = gc.get_freeze_count() == 0
    if froze:
        gc.freeze()
    read_end, write_end = os.pipe()
    gate_read, gate_write = os.pipe() if gated else (None, None)
    for stream in (sys.stdout, sys.stderr):
        stream.flush()
    parent = os.getpid()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        os.close(read_end)
        if gated:
            os.close(gate_write)
            _GATE["fd"] = gate_read
        _die_with(parent)
        code = 0
        try:
            payload = pickle.dumps(("ok", step()))
        except BaseException as error:  # noqa: BLE001 - everything goes back to the parent
            code = 1
            log.debug("search step failed:\n%s", traceback.format_exc())
            try:
                payload = pickle.dumps(("error", error))
                pickle.loads(payload)
            except Exception:
                payload = pickle.dumps(("error", SearchStepFailed(f"{type(error).__name__}: {error}")))
        try:
            view = memoryview(payload)
            while view:
                view = view[os.write(write_end, view):]
            os.close(write_end)
            for handler in logging.getLogger().handlers:
                handler.flush()
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)
    os.close(write_end)
    if gated:
        os.close(gate_read)
    return Job(pid, read_end, froze, gate_write)

