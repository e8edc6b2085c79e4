"""``tq bench fluency``: how well the fluency check separates clean FLORES English from corrupted copies."""
from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console
from rich.table import Table

from . import find_data


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


KINDS = ("swap", "shuffle", "drop", "repeat")
# AUCs with 200 sentences, seed 13, before the LM moved to onnxruntime (llama.cpp, commit 472f800):
# the aim is to keep them ("the same or better", issue 11).
BASELINE_AUC = {"swap": 0.861, "shuffle": 0.823, "drop": 0.572, "repeat": 0.758}


@dataclass
class FluencyResult:
    scores: dict[str, list[float]]   # set name (clean or a corruption kind) -> each sentence's disfluency
    aucs: dict[str, float]           # corruption kind -> AUC against clean
    sentences_per_second: float


def measure_fluency(lm, data: Path, sentences: int = 200, seed: int = 13) -> FluencyResult:
    """Disfluency scores of clean FLORES English sentences and of their corrupted copies, and the AUCs."""
    import random

    from tq.checks.fluency import analyse

    english = (data / "flores" / "devtest.en").read_text("utf-8").splitlines()
    rng = random.Random(seed)
    clean = [english[i] for i in sorted(rng.sample(range(len(english)), min(sentences, len(english))))]
    sets = {"clean": clean}
    for kind in KINDS:
        sets[kind] = [c for c in (corrupt(s, kind, rng) for s in clean) if c]
    scores, begin = {}, time.perf_counter()
    for name, texts in sets.items():
        scores[name] = [sentence.disfluency for sentence in analyse(lm, texts)]
    rate = sum(map(len, sets.values())) / (time.perf_counter() - begin)
    return FluencyResult(scores, {kind: _auc(scores[kind], scores["clean"]) for kind in KINDS}, rate)


def run_fluency_bench(data_dir: str | None, sentences: int, seed: int, lm_spec: str | None) -> int:
    """AUC and detection rates of the fluency check on FLORES English: clean vs corrupted."""
    import numpy as np

    from tq.checks.fluency import THRESHOLDS
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
    result = measure_fluency(lm, data, sentences, seed)
    table = Table(title=f"fluency check, {spec}: FLORES devtest English, {len(result.scores['clean'])} sentences (seed {seed})",
                  title_justify="left")
    for column in ("set", "n", "AUC vs clean", *(f"≥ {s} ({t:g})" for s, t in THRESHOLDS)):
        table.add_column(column, justify="right")
    for name, values in result.scores.items():
        shares = [f"{np.mean(np.asarray(values) >= t):.1%}" for _, t in THRESHOLDS]
        table.add_row(name, str(len(values)), "—" if name == "clean" else f"{result.aucs[name]:.3f}", *shares)
    console.print(table)
    clean_scores = np.asarray(result.scores["clean"])
    console.print(f"clean percentiles 90/95/99: {np.percentile(clean_scores, [90, 95, 99]).round(2).tolist()}; "
                  f"model load {load:.2f} s; {result.sentences_per_second:.1f} sentences/s (scoring + deletion tests)")
    return 0
