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

REPO = Path(__file__).resolve().parents[1]
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


def corrupt(sentence: str, kind: str, rng) -> str | None:
    """A controlled disfluency: two adjacent words swapped, three shuffled, one dropped or one repeated."""
    words = sentence.split()
    if len(words) < 6:
        return None
    i = rng.randrange(1, len(words) - 3)
    if kind == "swap":
        words[i], words[i + 1] = words[i + 1], words[i]
    elif kind == "shuffle":
        window = words[i:i + 3]
        for _ in range(10):
            rng.shuffle(window)
            if window != words[i:i + 3]:
                break
        words[i:i + 3] = window
    elif kind == "drop":
        del words[i]
    elif kind == "repeat":
        words.insert(i, words[i])
    corrupted = " ".join(words)
    return corrupted if corrupted != sentence else None


def _auc(positives: list[float], negatives: list[float]) -> float:
    """Probability that a corrupted sentence scores above a clean one (ties count half)."""
    import numpy as np

    pos, neg = np.asarray(positives)[:, None], np.asarray(negatives)[None, :]
    return float(((pos > neg).sum() + 0.5 * (pos == neg).sum()) / (pos.size * neg.size))


def run_fluency_bench(data_dir: str | None, sentences: int, seed: int, lm_spec: str | None) -> int:
    """AUC and detection rates of the fluency check on FLORES English: clean vs corrupted."""
    import random

    import numpy as np

    from tq.checks.fluency import THRESHOLDS, analyse
    from tq.models import get_lm, resolve

    console = Console()
    data = find_data(data_dir)
    if data is None:
        console.print("tq bench fluency: skipped, no ../shared/data (FLORES) found; pass --data DIR")
        return 0
    spec = resolve("lm", lm_spec)
    start = time.perf_counter()
    lm = get_lm(spec)
    load = time.perf_counter() - start
    english = (data / "flores" / "devtest.en").read_text("utf-8").splitlines()
    rng = random.Random(seed)
    clean = [english[i] for i in sorted(rng.sample(range(len(english)), min(sentences, len(english))))]
    kinds = ("swap", "shuffle", "drop", "repeat")
    sets = {"clean": clean}
    for kind in kinds:
        sets[kind] = [c for c in (corrupt(s, kind, rng) for s in clean) if c]
    scores, timings = {}, []
    for name, texts in sets.items():
        begin = time.perf_counter()
        scores[name] = [sentence.disfluency for sentence in analyse(lm, texts)]
        timings.append((len(texts), time.perf_counter() - begin))
    rate = sum(n for n, _ in timings) / sum(t for _, t in timings)
    table = Table(title=f"fluency check, {spec}: FLORES devtest English, {len(clean)} sentences (seed {seed})", title_justify="left")
    for column in ("set", "n", "AUC vs clean", *(f"≥ {s} ({t:g})" for s, t in THRESHOLDS)):
        table.add_column(column, justify="right")
    for name, values in scores.items():
        shares = [f"{np.mean(np.asarray(values) >= t):.1%}" for _, t in THRESHOLDS]
        table.add_row(name, str(len(values)), "—" if name == "clean" else f"{_auc(values, scores['clean']):.3f}", *shares)
    console.print(table)
    clean_scores = np.asarray(scores["clean"])
    console.print(f"clean percentiles 90/95/99: {np.percentile(clean_scores, [90, 95, 99]).round(2).tolist()}; "
                  f"model load {load:.2f} s; {rate:.1f} sentences/s (scoring + deletion tests)")
    return 0
