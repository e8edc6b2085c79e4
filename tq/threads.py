"""How many threads tq's models use: ``--threads``, else ``TQ_THREADS``, else the CPUs free right now.

Measured on two cores with another CPU-bound process beside tq: the demo took
4.7 s with one thread and 6.4 s with two (the threads of one matrix product
wait for each other while one of them is descheduled), and 2.3 s with two on
an idle machine. So the default counts the CPUs this process may use and
leaves out those other processes are busy on when the models load.
"""
from __future__ import annotations

import math
import os
import statistics
import time
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


def busy_cpus(samples: int = 3) -> int:
    """Threads of other processes running right now (Linux ``/proc/loadavg`` less this process's own
    running threads, such as BLAS workers still spinning; the median of a few reads)."""
    counts = []
    for index in range(samples):
        try:
            running = int(Path("/proc/loadavg").read_text().split()[3].split("/")[0])
        except (OSError, ValueError, IndexError):
            return 0
        counts.append(max(0, running - _own_running_threads()))
        if index + 1 < samples:
            time.sleep(0.002)
    return int(statistics.median(counts))


def _own_running_threads() -> int:
    count = 0
    for task in Path("/proc/self/task").glob("*/stat"):
        try:
            count += task.read_text().rsplit(")", 1)[1].split()[0] == "R"
        except (OSError, IndexError):
            pass
    return max(1, count)  # at least the thread reading


def configured_threads(explicit: int | None = None) -> int | None:
    """The explicit value, else ``TQ_THREADS``, checked; None when neither says."""
    value = explicit if explicit is not None else os.environ.get("TQ_THREADS") or None
    if value is None:
        return None
    try:
        count = int(value)
    except ValueError:
        raise TqError(f"TQ_THREADS must be a whole number, not {value!r}") from None
    if count < 1:
        raise TqError(f"the thread count must be at least 1, not {count}")
    return count


def thread_count(explicit: int | None = None) -> int:
    """The configured count, else the available CPUs less the busy ones (at least 1)."""
    configured = configured_threads(explicit)
    return configured if configured is not None else max(1, available_cpus() - busy_cpus())
