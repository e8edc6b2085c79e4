"""Benchmarks, each in its own module, all reading real data from ``../shared/data`` (skipped without it).

- :mod:`tq.bench.speed` (``tq bench``): speed and memory against the aims of issue 11;
- :mod:`tq.bench.fluency` (``tq bench fluency``): the fluency check's AUCs on corrupted FLORES English;
- :mod:`tq.bench.align` (``tq bench align``): alignment P/R/F1, speed and memory;
- :mod:`tq.bench.detect` (``tq bench detect``): detection and false flags on the error suite
  (:mod:`tq.bench.errorsuite`), and the severity calibration.
"""
from __future__ import annotations

import os
from collections import OrderedDict
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DEMO = REPO / "corpora" / "us-uk-putin-talks"


def find_data(data_dir: str | None) -> Path | None:
    candidates = [data_dir, os.environ.get("TQ_DATA"), Path.cwd().parent / "shared" / "data", REPO.parent / "shared" / "data"]
    for candidate in candidates:
        if candidate and (Path(candidate) / "flores" / "devtest.it").exists():
            return Path(candidate)
    return None


def flores_documents(data: Path) -> list[tuple[list[str], list[str]]]:
    """FLORES devtest documents as (Italian sentences, English sentences)."""
    it = (data / "flores" / "devtest.it").read_text("utf-8").splitlines()
    en = (data / "flores" / "devtest.en").read_text("utf-8").splitlines()
    urls = [line.split("\t")[0] for line in (data / "flores" / "devtest.meta.tsv").read_text("utf-8").splitlines()[1:]]
    documents: OrderedDict[str, tuple[list[str], list[str]]] = OrderedDict()
    for url, source, target in zip(urls, it, en):
        documents.setdefault(url, ([], []))
        documents[url][0].append(source)
        documents[url][1].append(target)
    return list(documents.values())
