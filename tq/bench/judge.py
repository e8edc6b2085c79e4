"""``tq bench judge``: train the severity judge (:mod:`tq.judge`) on development halves, measure it on held-out ones.

Training examples are the findings tq raises with its checks' own severities
(``calibrate=False``) on

- the error suite (:mod:`tq.bench.errorsuite`): a finding on a corrupted pair
  that overlaps the corrupted span is a real error of the corruption's
  severity; one that the clean twin has too (same check, same words) is no
  error; other findings on corrupted pairs say nothing either way and are left
  out; every finding on a clean pair is no error;
- the clean professional articles of ``tq bench docs`` (NTREX, FLORES, WMT09),
  checked whole: every finding is no error (some are real discrepancies of
  the translators, a quarter of WMT09's major ones by a reading of 45: they
  cost the judge recall, never precision).

Both model configurations are used (embedded checks alone, and with the LM),
so the judge serves users with or without the LM. Only the development split
of the suite and the development halves of the articles are trained on; band
edges come from out-of-fold predictions on the development data (grouped by
document), so they are not fitted to the model's own training rows. Two
candidates are fitted (a multinomial logistic regression and gradient-boosted
trees) and the one with the better out-of-fold development merit
(:func:`development_merit`) is shipped; the held-out data only reports on the
choice. Band edges keep each clean corpus within ``LIMITS`` on the development data.
Everything is seeded: a retrain on the same data and code writes the same file.

The checks run once, with the LM; the embedded configuration is derived from
that run (:func:`without_lm`). ``tq bench detect`` measures both for real.

The checks' raw findings are kept under ``--work`` (default ``.cache/judge``)
keyed by a hash of tq's source, so retraining after a change of the judge
alone does not re-run the checks.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import pickle
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from rich.console import Console
from rich.table import Table

from . import REPO, find_data
from .detect import overlaps
from .errorsuite import SUITE_VERSION, Case, build_suite, split_of
from ..judge import (
    JUDGE_FILE,
    MISSING,
    FlipHead,
    Judge,
    check_features,
    evidence_matrix,
    finding_evidence,
    judged_checks,
    judged_rank,
    lowest_rank,
    pack,
    vector_evidence,
)
from ..types import SEVERITY_RANK, Pair

# How much clean text may carry a finding of this severity or worse, on the development data (out of fold):
# a share of documents for the articles, of pairs for the suite's clean pairs. Issue 26's aims for the held-out
# halves, taken as the development limits: NTREX 20% major or worse and 3% critical, FLORES 10% and 3%, WMT09
# 35% and 8% (both its sides translate a third language and many of its discrepancies are real), the suite's
# clean pairs 2% and 2%. Where the findings the judge may not demote already pass a limit, see FLOOR_SLACK.
# (Tried under issue 20, on the same data: WMT09's findings left out of training, or weighted 0.3, since many
# are real discrepancies labelled "no error": fewer corruptions were caught on the held-out suite, merit 0.40
# and 0.53 against 0.59 for all of WMT09 at full weight.)
LIMITS = {"NTREX": {"critical": 0.03, "major": 0.20}, "FLORES": {"critical": 0.03, "major": 0.10},
          "WMT09": {"critical": 0.08, "major": 0.35}, "suite": {"critical": 0.02, "major": 0.02}}
# How far above the findings it may not demote a unit of clean text may be flagged, where those alone pass its limit.
FLOOR_SLACK = 0.05
CONFIGS = {"embedded": "none", "embedded+LM": "smollm2"}
SEED = 20


@dataclass
class Example:
    features: dict[str, float]
    label: int        # 0 no error, 1 minor, 2 major, 3 critical
    group: str        # document: the unit of the dev/held-out split and of the folds
    split: str        # "dev" or "test"
    origin: str       # "suite" or "docs"
    pair_key: str     # the clean pair this finding belongs to ("" for corrupted pairs)


def source_key() -> str:
    """A hash of tq's checking code: raw findings computed from other code are recomputed."""
    digest = hashlib.sha1()
    for path in sorted((REPO / "tq").rglob("*")):
        if path.is_file() and "bench" not in path.parts and path.name != "judge.py" and path.suffix in (".py", ".tsv"):
            digest.update(path.relative_to(REPO).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def _cached(work: Path, name: str, compute):
    path = work / f"{name}-{source_key()}.pkl"
    if path.exists():
        return pickle.loads(path.read_bytes())
    value = compute()
    work.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_bytes(pickle.dumps(value))
    tmp.replace(path)
    return value


def raw_findings(data: Path, work: Path, console: Console) -> tuple[list[Case], dict, dict]:
    """The suite, and raw pairs by (config, case id) and raw reports by (config, corpus, document).

    The checks run once, with the LM; the embedded configuration is derived from that run (see
    :func:`without_lm`), which halves the time a retrain takes. ``tq bench detect`` measures both for real.
    """
    from .detect import run_checks
    from .docs import check_documents, documents

    cases = build_suite(data)
    begin = time.perf_counter()
    with_lm = CONFIGS["embedded+LM"]
    suite = _cached(work, f"suite-v{SUITE_VERSION}-lm", lambda: run_checks(cases, with_lm))
    reports = _cached(work, "docs-lm", lambda: check_documents(documents(data), with_lm, calibrate=False))
    console.print(f"raw findings: {time.perf_counter() - begin:.0f} s")
    suite_pairs = {"embedded+LM": suite, "embedded": {key: without_lm(pair) for key, pair in suite.items()}}
    doc_reports = {"embedded+LM": reports, "embedded": {key: _report_without_lm(r) for key, r in reports.items()}}
    return cases, suite_pairs, doc_reports


def without_lm(pair: Pair) -> Pair:
    """The pair as the checks would leave it without the LM: no fluency findings, no surprisal. (A fluency
    finding that absorbed another when overlapping findings were merged hides that one here: rare, and only
    in the data of tq bench judge.)"""
    return dataclasses.replace(pair, lm_surprisal=None, findings=[
        dataclasses.replace(f, also=tuple(c for c in f.also if c != "fluency")) for f in pair.findings if f.check != "fluency"])


def _report_without_lm(report):
    return dataclasses.replace(report, pairs=[without_lm(p) for p in report.pairs])


def _same(a, pair_a: Pair, b, pair_b: Pair) -> bool:
    return a.check == b.check and pair_a.target[a.start:a.end] == pair_b.target[b.start:b.end]


def examples(cases: Sequence[Case], suite_pairs: dict, doc_reports: dict, docs_split: dict,
             head: FlipHead | None = None, encoder=None) -> list[Example]:
    """Labelled findings of every configuration (see the module docstring), with the flip head's evidence."""
    out: list[Example] = []
    every = [p for pairs in suite_pairs.values() for p in pairs.values()]
    every += [p for reports in doc_reports.values() for r in reports.values() for p in r.pairs]
    vectors = vector_evidence(every, encoder, head)
    clean_of = {(c.corpus, c.line): c for c in cases if c.kind == "clean"}
    for name in CONFIGS:
        pairs = suite_pairs[name]
        for case in cases:
            pair = pairs[case.id]
            group = f"{case.corpus}:{case.doc}"
            twin = pairs[clean_of[(case.corpus, case.line)].id]
            for finding in pair.findings:
                if case.kind == "clean":
                    label = 0
                elif overlaps(finding, case):
                    label = SEVERITY_RANK[case.severity]
                elif any(_same(finding, pair, other, twin) for other in twin.findings):
                    label = 0
                else:
                    continue
                key = f"{name}|suite|{case.id}" if case.kind == "clean" else ""
                out.append(Example(finding_evidence(pair, finding, vectors=vectors.get(id(pair), (MISSING, MISSING))), label, group, case.split,
                                   "suite", key))
        for (corpus, doc), report in doc_reports[name].items():
            for pair in report.pairs:
                for finding in pair.findings:
                    out.append(Example(finding_evidence(pair, finding, vectors=vectors.get(id(pair), (MISSING, MISSING))), 0, f"{corpus}:{doc}",
                                       docs_split[(corpus, doc)], "docs",
                                       f"{name}|docs|{corpus}|{doc}|{pair.index}"))
    return out


# ---------------------------------------------------------------- the flip head

FLIP_KINDS = ("negation", "antonym")  # corruption kinds whose name starts so make the head's positive examples
FLIP_HIDDEN = 32


def flip_examples(data: Path) -> dict[str, tuple[list[str], list[str], list[int]]]:
    """(sources, targets, labels) by split: every sentence pair of the shared data, clean (0) and with each
    polarity flip the suite's corrupters can make of it (1)."""
    import random

    from .errorsuite import CORRUPTIONS, load_pairs

    corrupters = [(kind, fn) for kind, (_, _, fn) in CORRUPTIONS.items() if kind.startswith(FLIP_KINDS)]
    out: dict[str, tuple[list[str], list[str], list[int]]] = {"dev": ([], [], []), "test": ([], [], [])}
    for pair in load_pairs(data):
        if not pair.source or len(pair.reference.split()) < 4:
            continue
        sources, targets, labels = out[split_of(pair.corpus, pair.doc)]
        sources.append(pair.source)
        targets.append(pair.reference)
        labels.append(0)
        for kind, corrupt in corrupters:
            made = corrupt(pair.source, pair.reference, random.Random(f"{SEED}:flip:{pair.corpus}:{pair.line}:{kind}"), [])
            if made is not None:
                sources.append(pair.source)
                targets.append(made.text)
                labels.append(1)
    return out


def fit_flip_head(data: Path, encoder, console: Console) -> tuple[dict, dict[str, float]]:
    """The head's weights, and its held-out AUC next to the plain cosine's: 0.82 (cosine 0.56) on suite v2's
    flips. On suite v1's, 32, 64, 128 or 256 hidden units and a logistic regression on the same inputs all
    gave 0.82-0.83, so the smallest is shipped."""
    from sklearn.metrics import roc_auc_score
    from sklearn.neural_network import MLPClassifier

    splits = flip_examples(data)
    inputs, labels, cosines = {}, {}, {}
    for split, (sources, targets, y) in splits.items():
        u, v = encoder.encode(sources), encoder.encode(targets)
        inputs[split], labels[split], cosines[split] = FlipHead.inputs(u, v), np.array(y), (u * v).sum(axis=1)
    model = MLPClassifier(hidden_layer_sizes=(FLIP_HIDDEN,), alpha=1e-2, max_iter=400, early_stopping=True, random_state=SEED)
    model.fit(inputs["dev"], labels["dev"])
    payload = {"w1": pack(model.coefs_[0]), "b1": _r(model.intercepts_[0]), "w2": _r(model.coefs_[1][:, 0]),
               "b2": float(model.intercepts_[1][0])}
    shipped = FlipHead(payload)
    n = len(splits["test"][0])
    test_p = shipped.from_inputs(inputs["test"])
    measured = {"head AUC (held-out)": float(roc_auc_score(labels["test"], test_p)),
                "cosine AUC (held-out)": float(roc_auc_score(labels["test"], -cosines["test"])),
                "pairs (dev)": float(len(labels["dev"])), "flips (dev)": float(labels["dev"].sum()), "pairs (held-out)": float(n)}
    console.print("flip head: " + ", ".join(f"{k} {v:.3f}" if "AUC" in k else f"{k} {v:.0f}" for k, v in measured.items()))
    return payload, measured


# ---------------------------------------------------------------- models


def fit_logistic(X: np.ndarray, y: np.ndarray) -> dict:
    """Multinomial logistic regression on standardised evidence, an indicator (a 0/1 column: which check, which
    others fired in the pair) left on its 0/1 scale: standardised by its own spread, an indicator seen in a few
    rows becomes huge where it is 1 (``pair_has:quote-marks``, 3 development rows, all WMT09 articles, scored 28),
    the penalty barely restrains its weight, and the judge learnt those rows' label for anything beside it (the
    demo's fluency findings lost 5 in the log-odds of an error beside a quotation closed with »)."""
    from sklearn.linear_model import LogisticRegression

    mean, scale = X.mean(axis=0), X.std(axis=0)
    scale[scale == 0] = 1.0
    scale[np.all((X == 0) | (X == 1), axis=0)] = 1.0
    model = LogisticRegression(C=0.5, max_iter=4000, random_state=SEED).fit((X - mean) / scale, y)
    coef, intercept = _all_classes(model.coef_, model.intercept_, model.classes_)
    return {"kind": "logistic", "mean": _r(mean), "scale": _r(scale), "coef": _r(coef), "intercept": _r(intercept)}


def _all_classes(coef: np.ndarray, intercept: np.ndarray, classes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Rows for all four labels (a label absent from training gets a very low intercept)."""
    full_coef, full_intercept = np.zeros((4, coef.shape[1])), np.full(4, -30.0)
    for row, label in enumerate(classes):
        full_coef[label], full_intercept[label] = coef[row], intercept[row]
    return full_coef, full_intercept


def fit_trees(X: np.ndarray, y: np.ndarray) -> dict:
    from sklearn.ensemble import GradientBoostingClassifier

    model = GradientBoostingClassifier(n_estimators=150, max_depth=3, learning_rate=0.1, subsample=0.8,
                                       min_samples_leaf=10, random_state=SEED).fit(X, y)
    if list(model.classes_) != [0, 1, 2, 3]:
        raise ValueError(f"the judge needs examples of every label, got {list(model.classes_)}")
    trees = [[_tree(est.tree_) for est in stage] for stage in model.estimators_]
    # the ensemble's starting point (the log class priors): its decision on one row less what the trees add
    added = np.array([sum(est.predict(X[:1])[0] for est in model.estimators_[:, k]) for k in range(4)])
    init = model.decision_function(X[:1])[0] - model.learning_rate * added
    exported = {"kind": "trees", "learning_rate": model.learning_rate, "init": _r(init), "trees": trees}
    check = Judge({"features": [str(i) for i in range(X.shape[1])], "bands": {"critical": 1, "major": 1}, "model": exported})
    sample = X[: min(len(X), 2000)]
    if not np.allclose(check.raw(sample), model.decision_function(sample), atol=1e-4):
        raise AssertionError("the exported trees do not reproduce scikit-learn's predictions")
    return exported


def _tree(tree) -> dict:
    return {"left": tree.children_left.tolist(), "right": tree.children_right.tolist(), "feature": tree.feature.tolist(),
            "threshold": tree.threshold.tolist(), "value": _r(tree.value[:, 0, 0])}  # thresholds exact: they sit between values


def _r(values: np.ndarray) -> list:
    """Rounded for a small, stable file (7 significant digits change no prediction that matters)."""
    return np.asarray(values, dtype=np.float64).round(7).tolist()


def out_of_fold(fit, X: np.ndarray, y: np.ndarray, groups: np.ndarray, features: Sequence[str], folds: int = 5) -> np.ndarray:
    """Probabilities for every development row from a model that did not see its document."""
    from sklearn.model_selection import GroupKFold

    out = np.zeros((len(X), 4))
    for train, held in GroupKFold(n_splits=folds).split(X, y, groups):
        judge = Judge({"features": list(features), "bands": {"critical": 1, "major": 1}, "model": fit(X[train], y[train])})
        out[held] = judge.probabilities(X[held])
    return out


def _worst(probabilities: np.ndarray, rows: Sequence[Example]) -> dict[str, tuple[float, float, int, bool]]:
    """For each clean pair with findings: its worst (P(critical), P(major or worse)) among judged findings, the
    highest rank a finding keeps whatever the judge says (an unjudged one's own, a judged one's lowest_rank),
    and whether any finding was judged; by pair key."""
    worst: dict[str, tuple[float, float, int, bool]] = {}
    for p, row in zip(probabilities, rows):
        if row.pair_key:
            c, m, floor, any_judged = worst.get(row.pair_key, (0.0, 0.0, 0, False))
            rank = int(row.features["severity"])
            check = _judged_check(row)
            if check is not None:
                worst[row.pair_key] = (max(c, float(p[3])), max(m, float(p[2] + p[3])), max(floor, lowest_rank(check, rank)), True)
            else:
                worst[row.pair_key] = (c, m, max(floor, rank), any_judged)
    return worst


def _judged_check(row: Example) -> str | None:
    """The check of a judged finding, None for a finding whose check keeps its own severity."""
    return next((c for c in judged_checks() if row.features.get(f"is:{c}")), None)


def flagged_shares(worst: dict, bands: dict[str, float], clean_units: dict[str, int]) -> dict[str, float]:
    """Share of each unit of clean text (a corpus's documents, the suite's clean pairs, per configuration)
    with a critical and with a major-or-worse finding under ``bands``."""
    hit: dict[tuple[str, str], set] = {}
    for key, (c, m, floor, _) in worst.items():
        parts = key.split("|")
        unit = f"{parts[0]}|{parts[2]}" if parts[1] == "docs" else f"{parts[0]}|suite"
        where = "|".join(parts[:4]) if parts[1] == "docs" else key
        critical = c >= bands["critical"] or floor >= 3
        if critical:
            hit.setdefault((unit, "critical"), set()).add(where)
        if critical or m >= bands["major"] or floor >= 2:
            hit.setdefault((unit, "major"), set()).add(where)
    return {f"{unit} {level}": len(hit.get((unit, level), ())) / n for unit, n in clean_units.items() for level in ("critical", "major")}


def bands_for(probabilities: np.ndarray, rows: Sequence[Example], clean_units: dict[str, int]) -> dict[str, float]:
    """Band edges from out-of-fold development predictions: the lowest P(critical) edge at which every unit of
    clean text stays within its ``LIMITS`` for critical findings, then the lowest P(major or worse) edge at
    which it stays within them for major-or-worse ones (those the critical edge already raises count)."""
    worst = _worst(probabilities, rows)
    grid = np.round(np.linspace(0.05, 0.99, 95), 2)

    # A unit that the findings the judge may not demote (MAX_STEP) already take past its limit stays in the search,
    # bound FLOOR_SLACK above that floor: the judge cannot help what its floor flags, but what it adds is still its
    # own. (Leaving such a unit out, as before, left it unbounded: with the LM, NTREX's development floor was 29%
    # against its 25% limit, the edges were set by the other corpora alone, and 55% of NTREX's held-out documents
    # came out with a major finding, 15 of them from the fluency check's own majors the judge no longer weighed.)
    floors = flagged_shares(worst, {"critical": 2.0, "major": 2.0}, clean_units)
    bound = {key: max(_limit(*key.split(" ")), share + FLOOR_SLACK) for key, share in floors.items()}

    def holds(bands: dict[str, float], level: str) -> bool:
        shares = flagged_shares(worst, bands, clean_units)
        return all(shares[key] <= limit for key, limit in bound.items() if key.endswith(level))

    critical = next((t for t in grid if holds({"critical": t, "major": 1.1}, "critical")), 0.99)
    major = next((t for t in grid if holds({"critical": critical, "major": t}, "major")), 0.99)
    return {"critical": float(critical), "major": float(major)}


def _limit(unit: str, level: str) -> float:
    return LIMITS[unit.split("|")[1]][level]


def clean_units(cases: Sequence[Case], doc_reports: dict, split: str) -> dict[str, int]:
    """How many documents of each corpus, and clean suite pairs, a split has, per configuration."""
    units: dict[str, int] = {}
    for name in CONFIGS:
        units[f"{name}|suite"] = sum(c.kind == "clean" and c.split == split for c in cases)
        for corpus, doc in doc_reports[name]:
            if split_of(corpus, doc) == split:
                units[f"{name}|{corpus}"] = units.get(f"{name}|{corpus}", 0) + 1
    return units


# ---------------------------------------------------------------- measurement


def held_out(judge: Judge | None, cases: Sequence[Case], suite_pairs: dict, doc_reports: dict) -> dict[str, float]:
    """Held-out measurements of a judge: the suite's test split and the articles' held-out halves, per configuration."""
    from .detect import evaluate, judged

    test = [c for c in cases if c.split == "test"]
    out: dict[str, float] = {}
    for name in CONFIGS:
        result = evaluate(test, judged({c.id: suite_pairs[name][c.id] for c in test}, judge))
        summary = result.summary()
        major_plus = {k: t.rate("major_span") for k, t in result.by_kind.items()}
        out[f"{name} false major+"] = summary["false major+"]
        for severity in ("critical", "major", "minor"):
            out[f"{name} {severity}"] = summary[severity]
        out[f"{name} pairwise"] = summary["pairwise"]
        out[f"{name} critical at major+"] = result.by_severity["critical"].rate("major_span") if "critical" in result.by_severity else 0.0
        for kind, rate in sorted(major_plus.items()):
            out[f"{name} kind {kind}"] = rate
        docs = {k: v for k, v in doc_reports[name].items() if split_of(*k) == "test"}
        critical_docs = major_docs = 0
        for report in docs.values():
            copies = judged({str(p.index): p for p in report.pairs}, judge)
            ranks = [f.rank for p in copies.values() for f in p.findings]
            critical_docs += any(r >= 3 for r in ranks)
            major_docs += any(r >= 2 for r in ranks)
        out[f"{name} docs critical"] = critical_docs / max(len(docs), 1)
        out[f"{name} docs major+"] = major_docs / max(len(docs), 1)
    return out


def development_merit(probabilities: np.ndarray, rows: Sequence[Example], bands: dict[str, float],
                      units: dict[str, int]) -> float:
    """What the candidates are chosen on, from out-of-fold development predictions only (the held-out data must not
    pick the model): the share of development findings on major or critical corruptions that come out major or
    above, less the mean share of clean development text (each configuration's clean suite pairs and each corpus's
    articles) flagged major or above."""
    caught = []
    for p, row in zip(probabilities, rows):
        check = _judged_check(row)
        if row.label >= 2 and check is not None:
            caught.append(judged_rank(p, bands, int(row.features["severity"]), check) >= 2)
    shares = flagged_shares(_worst(probabilities, rows), bands, units)
    false = [share for key, share in shares.items() if key.endswith(" major")]
    return float(np.mean(caught) if caught else 0.0) - float(np.mean(false) if false else 0.0)


def _merit(measured: dict[str, float]) -> float:
    """What the candidates are reported on (held out, after the choice), over both configurations: serious corruptions caught at major or above,
    less the clean text flagged major or above (the suite's clean pairs and the articles). Without the false alarms
    the trees won on suite v3 (0.768 to 0.757) with 30% of the held-out articles flagged major+ where the logistic
    regression and the judge before both flagged 27%."""
    return float(np.mean([measured[f"{name} critical at major+"] + measured[f"{name} major"]
                          - measured[f"{name} false major+"] - measured[f"{name} docs major+"] for name in CONFIGS]))


def run_judge_bench(data_dir: str | None, work_dir: str | None, train: bool, output: str | None = None) -> int:
    console = Console(width=None if sys.stdout.isatty() else 170)
    data = find_data(data_dir)
    if data is None:
        console.print("tq bench judge: skipped, no ../shared/data found; pass --data DIR")
        return 0
    work = Path(work_dir) if work_dir else REPO / ".cache" / "judge"
    cases, suite_pairs, doc_reports = raw_findings(data, work, console)
    docs_split = {key: split_of(*key) for key in doc_reports[next(iter(CONFIGS))]}
    candidates: dict[str, dict] = {}
    chosen_on: dict[str, float] = {}  # each candidate's development merit
    if train:
        from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]

        from ..models import get_encoder

        encoder = get_encoder()
        # One thread, so that a retrain on the same raw findings writes the same file: the encoder shares texts out
        # between as many threads as are free, which moved its vectors' last bits, the flip head's weights by 1e-3
        # and the judge's signature from run to run.
        encoder.threads = 1
        limits = threadpool_limits(limits=1)
        head_payload, _ = fit_flip_head(data, encoder, console)
        rows = examples(cases, suite_pairs, doc_reports, docs_split, FlipHead(head_payload), encoder)
        checks = sorted({name.split(":", 1)[1] for row in rows for name in row.features if name.startswith("is:")})
        features = check_features(checks)
        dev = [r for r in rows if r.split == "dev"]
        X = evidence_matrix((r.features for r in dev), features)
        y = np.array([r.label for r in dev])
        groups = np.array([r.group for r in dev])
        units = clean_units(cases, doc_reports, "dev")
        console.print(f"training rows (dev): {len(dev)} findings, labels {np.bincount(y, minlength=4).tolist()}; "
                      f"bands bounded on " + ", ".join(f"{n} {u}" for u, n in units.items()))
        for name, fit in (("logistic", fit_logistic), ("trees", fit_trees)):
            probabilities = out_of_fold(fit, X, y, groups, features)
            bands = bands_for(probabilities, dev, units)
            candidates[name] = {"features": list(features), "bands": bands, "model": fit(X, y), "head": head_payload}
            chosen_on[name] = development_merit(probabilities, dev, bands, units)
            console.print(f"{name}: bands {bands}; development merit (out of fold) {chosen_on[name]:.3f}; development "
                          "shares (out of fold): " + ", ".join(
                f"{k} {v:.1%}" for k, v in flagged_shares(_worst(probabilities, dev), bands, units).items()))
        limits.restore_original_limits()
    shipped = Judge(json.loads(JUDGE_FILE.read_text("utf-8"))) if JUDGE_FILE.exists() else None
    contenders: dict[str, Judge | None] = {"checks' own severities": None}
    if shipped is not None:
        contenders["shipped judge"] = shipped
    contenders.update({name: Judge(payload) for name, payload in candidates.items()})
    measured = {name: held_out(judge, cases, suite_pairs, doc_reports) for name, judge in contenders.items()}
    table = Table(title="tq bench judge: held-out suite split and held-out article halves", title_justify="left")
    table.add_column("measure")
    for name in contenders:
        table.add_column(name, justify="right")
    for key in measured[next(iter(contenders))]:
        table.add_row(key, *(f"{100 * measured[n][key]:.1f}%" if "pairwise" not in key else f"{measured[n][key]:.3f}" for n in contenders))
    console.print(table)
    if candidates:
        best = max(candidates, key=lambda name: chosen_on[name])
        payload = candidates[best]
        payload["signature"] = f"judge-{best}-suite-v{SUITE_VERSION}-{hashlib.sha1(json.dumps(payload, sort_keys=True).encode()).hexdigest()[:8]}"
        payload["trained_on"] = {"suite": f"v{SUITE_VERSION} dev split", "documents": "NTREX, FLORES, WMT09 dev halves",
                                 "configurations": list(CONFIGS), "limits": LIMITS, "seed": SEED,
                                 "development_merit": {name: round(chosen_on[name], 4) for name in candidates},
                                 "held_out_merit": {name: round(_merit(measured[name]), 4) for name in candidates}}
        path = Path(output) if output else JUDGE_FILE
        path.write_text(json.dumps(payload, separators=(",", ":")) + "\n", "utf-8")
        console.print(f"judge written to {path}: {best} ({payload['signature']}), bands {payload['bands']}, chosen on its "
                      f"development merit; held-out merit (reported, not chosen on) "
                      + ", ".join(f"{n} {_merit(measured[n]):.3f}" for n in candidates))
    return 0
