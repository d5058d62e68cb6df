"""``gc.freeze()`` around a fork, so that forked workers do not copy the heap they share.

A garbage collection writes into every object it visits; in a forked process that copies each
visited memory page of the parent's heap (Pelican's whole site at 10,000 articles).  Frozen objects
are never visited.  Used by the search (analysis and export workers, the forked search step) and by
parallel reading.
"""

from __future__ import annotations

import contextlib
import gc


@contextlib.contextmanager
def frozen_heap():
    """``gc.freeze()`` around forking workers, undone afterwards only if this call did it (a forked
    search step keeps the heap it shares with Pelican frozen throughout)."""
    froze = gc.get_freeze_count() == 0
    gc.freeze()
    try:
        yield
    finally:
        if froze:
            gc.unfreeze()
