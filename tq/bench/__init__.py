"""Benchmarks, each in its own module, all reading real data from ``../shared/data`` (skipped without it).

- :mod:`tq.bench.speed` (``tq bench``): speed and memory against the aims of issue 11;
- :mod:`tq.bench.fluency` (``tq bench fluency``): the fluency check's AUCs on corrupted FLORES English;
- :mod:`tq.bench.align` (``tq bench align``): alignment P/R/F1, speed and memory;
- :mod:`tq.bench.wordalign` (``tq bench wordalign``): word alignment P/R/F1, AER and speed on XL-WA's
  hand-aligned Italian–English pairs;
- :mod:`tq.bench.detect` (``tq bench detect``): detection and false flags on the error suite
  (:mod:`tq.bench.errorsuite`).
- :mod:`tq.bench.judge` (``tq bench judge [--train]``): the severity judge on held-out data; ``--train`` refits it.
- :mod:`tq.bench.docs` (``tq bench docs``): false alarms, fixes and repairs on clean professional articles, checked whole.
- :mod:`tq.bench.repair` (``tq bench repair``): the repair stage on garbles of clean news English: detected,
  restored, and repairs proposed on the clean originals.
- :mod:`tq.bench.batch` (``tq bench batch``): articles per minute of the batch ``tq check`` over an archive,
  1 and 2 workers, locally and on a local Dask cluster.
"""
from __future__ import annotations

import os
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DEMO = REPO / "corpora" / "us-uk-putin-talks"


def find_data(data_dir: str | None) -> Path | None:
    candidates = [data_dir, os.environ.get("TQ_DATA"), Path.cwd().parent / "shared" / "data", REPO.parent / "shared" / "data"]
    for candidate in candidates:
        if candidate and (Path(candidate) / "flores" / "devtest.it").exists():
            return Path(candidate)
    return None
