"""The cyclic garbage collector, paused where large acyclic object sets are built.

A snapshot, every status of an office, a parsed plan file or a ledger's cells are hundreds
of thousands of small objects without reference cycles: the collector walks them again and
again and frees nothing (at 50,000 tasks it more than doubled the statuses' time), while
reference counting frees them all the same. One helper for the CLI, the briefing and the UI.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused() -> Iterator[None]:
    """The collector off inside, and back as it was after (on, unless someone else turned it off)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
