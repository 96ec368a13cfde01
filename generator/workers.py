"""How many processes CPU-bound build work may use (charts, pages), and how they are started."""
from __future__ import annotations

import multiprocessing
import os

MAX_WORKERS = 4


def default_workers() -> int:
    """Processes for CPU-bound build work: the cores, at most MAX_WORKERS."""
    return max(1, min(os.cpu_count() or 1, MAX_WORKERS))


def fork_context():
    """The fork start method, or None where there is none: workers then inherit the parent's
    data (frames drawn, pages' indexes) instead of rebuilding or pickling it."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return None
    return multiprocessing.get_context("fork")
