"""``tq bench``: speed and memory of tq.check on real documents (medians of repeats).

Reads FLORES devtest from ``../shared/data`` (consecutive lines with the same
URL form one document) and skips cleanly when the folder is absent.
"""
from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import time
from collections import OrderedDict
from pathlib import Path

from rich.console import Console
from rich.table import Table

from . import DEMO, find_data, flores_documents


def _timed(function, repeats: int, reset) -> list[float]:
    times = []
    for _ in range(repeats):
        reset()
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return times


def run_bench(data_dir: str | None, n_documents: int, repeats: int) -> int:
    import tq
    from tq.models import get_encoder

    console = Console()
    data = find_data(data_dir)
    if data is None:
        console.print("tq bench: skipped, no ../shared/data (FLORES) found; pass --data DIR")
        return 0
    encoder = get_encoder()
    start = time.perf_counter()
    encoder.encode(["Caricamento del modello."])
    load = time.perf_counter() - start
    reset = encoder._cache.clear  # every repeat encodes from scratch

    embedded = {"lm": "none", "mt": "none"}  # the embedded checks alone; the LM is timed below
    documents = [d for d in flores_documents(data) if len(d[0]) >= 3][:n_documents]
    n_doc_pairs = sum(len(tq.check(" ".join(s), " ".join(t), **embedded).pairs) for s, t in documents)
    doc_times = _timed(lambda: [tq.check(" ".join(s), " ".join(t), **embedded) for s, t in documents], repeats, reset)

    sources = [s for d in flores_documents(data) for s in d[0]]
    targets = [t for d in flores_documents(data) for t in d[1]]
    pair_times = _timed(lambda: tq.check_pairs(sources, targets, **embedded), repeats, reset)

    it, en = (DEMO / "it.txt").read_text("utf-8"), (DEMO / "en.txt").read_text("utf-8")
    demo_times = _timed(lambda: tq.check(it, en, **embedded), repeats, reset)
    shell = [sys.executable, "-c", "from tq.cli import main; main()", "check", str(DEMO / "it.txt"), str(DEMO / "en.txt"),
             "--format", "json", "-o", os.devnull]
    shell_times = _timed(lambda: subprocess.run(shell + ["--lm", "none"], check=True, capture_output=True), repeats, lambda: None)

    from tq.models import ModelUnavailable, get_lm, resolve

    lm_rows = []
    spec = resolve("lm")
    try:
        begin = time.perf_counter()
        get_lm(spec)
        lm_load = time.perf_counter() - begin
        lm_pairs = 100
        lm_times = _timed(lambda: tq.check_pairs(sources[:lm_pairs], targets[:lm_pairs], mt="none"), repeats, reset)
        lm_shell = _timed(lambda: subprocess.run(shell, check=True, capture_output=True), repeats, lambda: None)
        lm_rows = [("LM load", f"{lm_load:.2f} s", spec),
                   ("tq.check_pairs with the LM", f"{lm_pairs / statistics.median(lm_times):.1f} pairs/s", f"{lm_pairs} FLORES pairs"),
                   ("demo article with the LM, from the shell", f"{statistics.median(lm_shell):.2f} s", "tq check it.txt en.txt")]
    except ModelUnavailable as exc:
        lm_rows = [("LM", "not available", str(exc))]
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux

    table = Table(title=f"tq bench (medians of {repeats}; {os.cpu_count()} cores; data {data})", title_justify="left")
    for column in ("measure", "value", "detail"):
        table.add_column(column)
    doc_median, pair_median = statistics.median(doc_times), statistics.median(pair_times)
    table.add_row("encoder load", f"{load:.2f} s", encoder.name)
    table.add_row("tq.check, whole documents (embedded checks)", f"{n_doc_pairs / doc_median:.0f} pairs/s",
                  f"{len(documents)} FLORES documents, {n_doc_pairs} aligned pairs, {doc_median:.2f} s")
    table.add_row("tq.check_pairs, pre-aligned (embedded checks)", f"{len(sources) / pair_median:.0f} pairs/s", f"{len(sources)} FLORES pairs, {pair_median:.2f} s")
    table.add_row("demo article, in process (warm)", f"{statistics.median(demo_times):.2f} s", "corpora/us-uk-putin-talks")
    table.add_row("demo article, from the shell", f"{statistics.median(shell_times):.2f} s", "tq check it.txt en.txt --lm none (new process)")
    for row in lm_rows:
        table.add_row(*row)
    table.add_row("peak memory (RSS)", f"{peak:.0f} MB", "this process")
    console.print(table)
    return 0


