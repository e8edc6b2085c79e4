"""How many threads tq's models use: ``--threads``, else ``TQ_THREADS``, else what this process may really use."""
from __future__ import annotations

import math
import os
from pathlib import Path

from .types import TqError


def available_cpus() -> int:
    """CPUs this process may run on (its affinity mask), capped by a cgroup CPU quota (containers)."""
    count = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    try:  # cgroup v2: "max 100000" or "<quota> <period>"
        quota, period = Path("/sys/fs/cgroup/cpu.max").read_text().split()[:2]
        if quota != "max":
            count = min(count, max(1, math.ceil(int(quota) / int(period))))
    except (OSError, ValueError):
        pass
    return max(1, count)


def thread_count(explicit: int | None = None) -> int:
    """The thread count for a model: the explicit value, else ``TQ_THREADS``, else ``available_cpus()``."""
    value = explicit if explicit is not None else os.environ.get("TQ_THREADS") or None
    if value is None:
        return available_cpus()
    try:
        count = int(value)
    except ValueError:
        raise TqError(f"TQ_THREADS must be a whole number, not {value!r}") from None
    if count < 1:
        raise TqError(f"the thread count must be at least 1, not {count}")
    return count
