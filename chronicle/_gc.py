"""Pausing the cyclic garbage collector for bulk work that makes no reference cycles.

Loading, indexing and merging make many objects that all stay alive: the collector,
triggered by the allocations, would find nothing to free and only traverse them again
and again, time that grows with the ledger.
"""

from __future__ import annotations

__all__ = ["paused_gc"]

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def paused_gc() -> Iterator[bool]:
    """The collector off inside the block and restored as it was after; yields whether
    it was running."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield enabled
    finally:
        if enabled:
            gc.enable()
