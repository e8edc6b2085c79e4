"""tq bench docs: the bootstrap interval of a dev/held-out gap, and WMT09's 20-line blocks as documents."""
from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import numpy as np

from tq.bench.docs import RESAMPLES, bootstrap_gap, documents, gaps_by_corpus, measure_terms, repair_threshold
from tq.bench.errorsuite import WMT_BLOCK, split_of


def _shares(flags: list[int]) -> np.ndarray:
    """Per-document (numerator, denominator) of a share of documents: flag, 1."""
    return np.array([[f, 1] for f in flags], dtype=float)


def test_identical_halves_have_a_gap_of_zero_inside_the_interval() -> None:
    half = _shares([1, 0, 0, 1, 0, 0, 0, 1, 0, 0] * 3)
    gap = bootstrap_gap(half, half.copy())
    assert gap.dev == gap.held_out == 0.3 and gap.gap == 0
    assert gap.low < 0 < gap.high and not gap.excludes_zero


def test_a_large_real_gap_excludes_zero() -> None:
    dev, held_out = _shares([0] * 27 + [1] * 3), _shares([1] * 24 + [0] * 6)
    gap = bootstrap_gap(dev, held_out)
    assert np.isclose(gap.gap, 0.7) and gap.excludes_zero and 0 < gap.low < 0.7 < gap.high
    reverse = bootstrap_gap(held_out, dev)
    assert reverse.excludes_zero and reverse.high < 0


def test_ratio_measures_weigh_documents_by_their_pairs() -> None:
    # findings x 100 / pairs: 10 findings in 100 pairs is 10 per 100 pairs, however they are spread
    dev = np.array([[100 * 9, 90], [100 * 1, 10]], dtype=float)
    held_out = np.array([[100 * 20, 100]], dtype=float)
    gap = bootstrap_gap(dev, held_out, resamples=200)
    assert np.isclose(gap.dev, 10) and np.isclose(gap.held_out, 20) and np.isclose(gap.gap, 10)


def test_bootstrap_is_deterministic_for_a_seed() -> None:
    dev, held_out = _shares([0, 1, 0, 0, 1, 0, 1, 0]), _shares([1, 1, 0, 1, 0, 1])
    assert bootstrap_gap(dev, held_out, seed=3) == bootstrap_gap(dev, held_out, seed=3)
    assert bootstrap_gap(dev, held_out, seed=3) != bootstrap_gap(dev, held_out, seed=4)
    assert RESAMPLES == 2000


def _report(pairs: int, severities: list[str], fixes: int = 0, repairs: int = 0) -> SimpleNamespace:
    findings = [(None, SimpleNamespace(severity=s, suggestion="x" if i < fixes else None, fix_origin="lm" if i < repairs else "rule"))
                for i, s in enumerate(severities)]
    return SimpleNamespace(pairs=[None] * pairs, findings=findings)


def test_measures_of_one_document() -> None:
    terms = measure_terms(_report(20, ["major", "minor"], fixes=2, repairs=1))
    assert terms == {"critical docs": (0.0, 1.0), "major+ docs": (1.0, 1.0), "findings per 100 pairs": (200.0, 20.0),
                     "fixes per 100 pairs": (200.0, 20.0), "repairs per 100 pairs": (100.0, 20.0)}


def _write(path: Path, rows: list[str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(rows) + "\n", "utf-8")


def test_wmt09_lines_are_blocked_into_documents(tmp_path: Path) -> None:
    n = 2 * WMT_BLOCK + 5
    _write(tmp_path / "wmt09" / "newstest2009.it", [f"Frase numero {i}." for i in range(n)])
    _write(tmp_path / "wmt09" / "newstest2009.en", [f"Sentence number {i}." for i in range(n)])
    docs = documents(tmp_path, ("WMT09",))  # the other corpora's files are not needed
    assert [(d.corpus, d.id, len(d.source), len(d.target)) for d in docs] == [
        ("WMT09", "block0", WMT_BLOCK, WMT_BLOCK), ("WMT09", "block1", WMT_BLOCK, WMT_BLOCK), ("WMT09", "block2", 5, 5)]
    assert docs[1].source[0] == f"Frase numero {WMT_BLOCK}." and docs[2].target[-1] == f"Sentence number {n - 1}."
    assert all(d.split == split_of("WMT09", d.id) for d in docs)


def test_gaps_by_corpus_split_documents_by_their_half(tmp_path: Path) -> None:
    n = 6 * WMT_BLOCK
    _write(tmp_path / "wmt09" / "newstest2009.it", [f"Frase {i}." for i in range(n)])
    _write(tmp_path / "wmt09" / "newstest2009.en", [f"Sentence {i}." for i in range(n)])
    docs = documents(tmp_path, ("WMT09",))
    # a critical finding in every held-out document, none in the development ones
    reports = {(d.corpus, d.id): _report(len(d.source), ["critical"] if d.split == "test" else []) for d in docs}
    gaps = gaps_by_corpus(docs, reports)
    assert set(gaps) == {"WMT09", "all"} and gaps["WMT09"] == gaps["all"]
    assert sorted(d.split for d in docs) == ["dev"] * 3 + ["test"] * 3  # blocks 0, 3, 4 hash to dev
    critical = gaps["WMT09"]["critical docs"]
    assert (critical.dev, critical.held_out, critical.gap) == (0.0, 1.0, 1.0)
    assert (critical.low, critical.high) == (1.0, 1.0) and critical.excludes_zero  # no resample can differ


def test_the_repair_threshold_allows_the_aims_share_of_pairs_and_no_more() -> None:
    scores = [20.0, 15.0, 12.0, 8.0, 3.0]
    # 400 pairs at 0.5 per 100: two repairs allowed, so the third best (12.0) must fall below the threshold
    threshold = repair_threshold(scores, 400, per100=0.5)
    assert sum(s >= threshold for s in scores) == 2 and threshold <= 15.0
    assert repair_threshold(scores, 100, per100=0.5) > 20.0          # none allowed
    assert repair_threshold(scores, 10_000, per100=0.5) == float("-inf")  # fewer repairs than allowed
