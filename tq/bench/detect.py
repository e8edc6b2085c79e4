"""``tq bench detect``: how much of a controlled error suite tq catches, and how often it cries wolf.

Runs ``tq.check_pairs`` on the clean and corrupted pairs of the error suite
(:mod:`tq.bench.errorsuite`, built from ``../shared/data``) with the embedded checks
alone and with the language model, and reports on the held-out (test) split:

- **detection**, per severity and per corruption kind: a finding of at least the
  corruption's severity that overlaps the corrupted span ("span"), or anywhere
  in the pair ("sentence");
- **false flags**: clean pairs with a critical finding, a major-or-worse one, any;
- **pairwise accuracy**: the clean pair's score above its corrupted twin's;
- a **chrF baseline** row: sacrebleu's sentence chrF of each translation against
  the reference. The reference is the clean sentence itself, so chrF is an
  oracle here (100 on every clean pair): its row shows how much each
  corruption changes the surface, not a detector to beat on pairwise accuracy.

``--calibrate`` derives the severity map from the development split
(:mod:`tq.calibration`) and writes ``tq/data/calibration.json``; the test split
is then scored with it. Corrupted variants of one sentence go to different
``check_pairs`` calls so document-level checks never compare two versions
of the same sentence.
"""
from __future__ import annotations

import copy
import json
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from rich.console import Console
from rich.table import Table

from ..calibration import apply_calibration, derive_calibration, load_calibration, write_calibration
from ..score import pair_score
from ..types import SEVERITIES, SEVERITY_RANK, Pair
from . import find_data
from .errorsuite import CORRUPTIONS, SUITE_VERSION, Case, build_suite, read_suite, write_suite

TOLERANCE = 1  # characters: a finding touching a zero-width deletion point counts as overlapping it
AIMS = {"false major+": 0.02, "critical": 0.75, "major": 0.50, "minor": 0.65, "pairwise": 0.95}  # issue 12


def _overlaps(finding, case: Case) -> bool:
    return finding.start <= case.end + TOLERANCE and finding.end >= case.start - TOLERANCE


def batches_without_twins(cases: Sequence[Case]) -> list[list[Case]]:
    """Clean pairs in one batch; corrupted ones spread so no batch holds two variants of one sentence."""
    clean = [c for c in cases if c.kind == "clean"]
    seen: Counter = Counter()
    batches: dict[int, list[Case]] = defaultdict(list)
    for case in cases:
        if case.kind != "clean":
            key = (case.corpus, case.line)
            batches[seen[key]].append(case)
            seen[key] += 1
    return [clean] + [batches[k] for k in sorted(batches)]


def run_checks(cases: Sequence[Case], lm: str) -> dict[str, Pair]:
    """Raw (uncalibrated) findings for every case, by case id."""
    import tq

    pairs: dict[str, Pair] = {}
    for batch in batches_without_twins(cases):
        if not batch:
            continue
        report = tq.check_pairs([c.source for c in batch], [c.target for c in batch], lm=lm, mt="none",
                                verify_languages=False, calibrate=False)
        pairs.update((case.id, pair) for case, pair in zip(batch, report.pairs))
    return pairs


def calibrated(pairs: dict[str, Pair], mapping) -> dict[str, Pair]:
    """Copies of the pairs with the severity map applied and scores recomputed."""
    out = {key: copy.deepcopy(pair) for key, pair in pairs.items()}
    apply_calibration(out.values(), mapping)
    for pair in out.values():
        pair.score = pair_score(pair, digits=None)  # exact: rounding would tie near-identical pairs
    return out


@dataclass
class Tally:
    n: int = 0
    span: int = 0
    sentence: int = 0
    pairwise: int = 0
    chrf: list = field(default_factory=list)

    def rate(self, name: str) -> float:
        return getattr(self, name) / self.n if self.n else 0.0


@dataclass
class Result:
    by_severity: dict[str, Tally]
    by_kind: dict[str, Tally]
    clean: int
    false_critical: int
    false_major: int
    false_any: int
    chrf_pairwise: float

    def summary(self) -> dict[str, float]:
        total = Tally()
        for tally in self.by_severity.values():
            total.n += tally.n
            total.pairwise += tally.pairwise
        return {"false critical": self.false_critical / self.clean, "false major+": self.false_major / self.clean,
                "false any": self.false_any / self.clean,
                **{s: self.by_severity[s].rate("span") for s in reversed(SEVERITIES) if s in self.by_severity},
                "pairwise": total.rate("pairwise")}


def evaluate(cases: Sequence[Case], pairs: dict[str, Pair]) -> Result:
    from sacrebleu.metrics import CHRF

    chrf = CHRF()
    clean = {(c.corpus, c.line): c for c in cases if c.kind == "clean"}
    by_severity: dict[str, Tally] = {}
    by_kind: dict[str, Tally] = {}
    chrf_wins = chrf_n = 0
    for case in cases:
        if case.kind == "clean":
            continue
        pair, twin = pairs[case.id], pairs[clean[(case.corpus, case.line)].id]
        needed = SEVERITY_RANK[case.severity]
        strong = [f for f in pair.findings if f.rank >= needed]
        score = chrf.sentence_score(case.target, [case.reference]).score
        chrf_wins += score < 100.0
        chrf_n += 1
        for tally in (by_severity.setdefault(case.severity, Tally()), by_kind.setdefault(case.kind, Tally())):
            tally.n += 1
            tally.span += any(_overlaps(f, case) for f in strong)
            tally.sentence += bool(strong)
            tally.pairwise += twin.score > pair.score
            tally.chrf.append(score)
    clean_pairs = [pairs[c.id] for c in clean.values()]
    return Result(
        by_severity, by_kind, len(clean_pairs),
        sum(p.worst_severity == "critical" for p in clean_pairs),
        sum(SEVERITY_RANK[p.worst_severity] >= SEVERITY_RANK["major"] for p in clean_pairs),
        sum(bool(p.findings) for p in clean_pairs),
        chrf_wins / chrf_n if chrf_n else 0.0)


def counts_for_calibration(cases: Sequence[Case], pairs: dict[str, Pair]):
    """(clean fires, catches, clean pair count) per (check, proposed severity) for derive_calibration."""
    clean_fires: Counter = Counter()
    catches: dict[tuple[str, str], Counter] = defaultdict(Counter)
    n_clean = 0
    for case in cases:
        pair = pairs[case.id]
        if case.kind == "clean":
            n_clean += 1
            for key in {(f.check, f.severity) for f in pair.findings}:
                clean_fires[key] += 1
        else:
            branch = case.category.split("/")[0]
            for key in {(f.check, f.severity) for f in pair.findings if _overlaps(f, case) and f.category.split("/")[0] == branch}:
                catches[key][case.severity] += 1
    return clean_fires, catches, n_clean


def document_fires(data: Path, lm: str) -> tuple[Counter, int]:
    """Clean pairs of the development half of ``tq bench docs``'s articles on which each (check, raw severity)
    fired, and how many pairs there are."""
    from .docs import check_documents, documents

    reports = check_documents([d for d in documents(data) if d.split == "dev"], lm, calibrate=False)
    fires: Counter = Counter()
    pairs = 0
    for report in reports.values():
        pairs += len(report.pairs)
        for pair in report.pairs:
            fires.update({(f.check, f.severity) for f in pair.findings})
    return fires, pairs


def _pct(value: float) -> str:
    return f"{100 * value:.1f}%"


def print_results(console: Console, results: dict[str, Result], title: str) -> None:
    names = list(results)
    table = Table(title=title, title_justify="left")
    table.add_column("rows")
    table.add_column("n", justify="right")
    for name in names:
        for column in ("span", "sentence", "pairwise"):
            table.add_column(f"{name}\n{column}", justify="right")
    table.add_column("chrF\nmean", justify="right")
    first = results[names[0]]
    for group, key in (("severity", "by_severity"), ("kind", "by_kind")):
        order = [s for s in reversed(SEVERITIES) if s in first.by_severity] if group == "severity" else sorted(
            first.by_kind, key=lambda k: (-SEVERITY_RANK[_kind_severity(k)], k))
        for row in order:
            tallies = [getattr(results[n], key)[row] for n in names]
            label = row if group == "severity" else f"  {row} ({_kind_severity(row)})"
            cells = [_pct(t.rate(c)) for t in tallies for c in ("span", "sentence", "pairwise")]
            table.add_row(label, str(tallies[0].n), *cells, f"{sum(tallies[0].chrf) / len(tallies[0].chrf):.1f}")
        table.add_section()
    for label, attr in (("clean: false critical", "false_critical"), ("clean: false major+", "false_major"),
                        ("clean: any finding", "false_any")):
        cells = []
        for name in names:
            cells += [_pct(getattr(results[name], attr) / results[name].clean), "", ""]
        table.add_row(label, str(first.clean), *cells, "100.0")
    console.print(table)
    console.print(f"chrF against the reference (oracle, the reference is the clean sentence): pairwise accuracy "
                  f"{first.chrf_pairwise:.3f}")


def _kind_severity(kind: str) -> str:
    return CORRUPTIONS[kind][1] if kind in CORRUPTIONS else "none"


def run_detect_bench(data_dir: str | None, sentences: int = 400, seed: int = 13, lm: str | None = None,
                     calibrate: bool = False, suite_path: str | None = None, json_path: str | None = None) -> int:
    console = Console(width=None if sys.stdout.isatty() else 170)
    data = find_data(data_dir)
    if suite_path and Path(suite_path).exists():
        cases = read_suite(Path(suite_path))
    elif data is None:
        console.print("tq bench detect: skipped, no ../shared/data found; pass --data DIR")
        return 0
    else:
        cases = build_suite(data, seed=seed, sentences=sentences)
        if suite_path:
            write_suite(cases, Path(suite_path))
    dev = [c for c in cases if c.split == "dev"]
    test = [c for c in cases if c.split == "test"]
    configs = {"embedded": "none", "embedded+LM": lm or "smollm2"}
    wanted = (dev + test) if calibrate else test
    start = time.perf_counter()
    raw = {name: run_checks(wanted, spec) for name, spec in configs.items()}
    seconds = time.perf_counter() - start
    if "embedded+LM" in raw and not any(f.check == "fluency" for p in raw["embedded+LM"].values() for f in p.findings):
        console.print("[yellow]note: the language model produced no findings (is it installed? see `tq models`)[/]")

    mapping = load_calibration()
    if calibrate:
        clean_fires, catches, n_clean = counts_for_calibration(dev, raw["embedded+LM"])
        n_suite = n_clean
        if data is not None:  # clean professional articles, checked whole: a gate must stay quiet on them too
            doc_fires, n_doc_pairs = document_fires(data, configs["embedded+LM"])
            clean_fires += doc_fires
            n_clean += n_doc_pairs
        mapping, evidence = derive_calibration(clean_fires, n_clean, catches)
        meta = {"suite": {"version": SUITE_VERSION, "seed": seed, "sentences": sentences, "split": "dev",
                          "clean_pairs": n_suite, "corrupted_pairs": sum(c.kind != "clean" for c in dev)},
                "documents": {"split": "dev", "clean_pairs": n_clean - n_suite}, "lm": configs["embedded+LM"]}
        write_calibration(mapping, evidence, meta)
        console.print(f"calibration written to tq/data/calibration.json from {n_clean} clean and "
                      f"{sum(c.kind != 'clean' for c in dev)} corrupted development pairs: "
                      + (", ".join(f"{check} {a}->{b}" for check, m in sorted(mapping.items()) for a, b in m.items()) or "no changes"))

    n_test = len(test)
    results = {}
    for name in configs:
        results[f"{name} raw"] = evaluate(test, calibrated(raw[name], {}))
        results[name] = evaluate(test, calibrated(raw[name], mapping))
    title = (f"tq bench detect: held-out split, {sum(c.kind == 'clean' for c in test)} clean + "
             f"{sum(c.kind != 'clean' for c in test)} corrupted pairs (suite v{SUITE_VERSION}, seed {seed}, "
             f"{sentences} sentences; checks ran in {seconds:.0f} s)")
    print_results(console, {n: results[n] for n in configs}, title)

    aims = Table(title="aims on the held-out split (calibrated severities)", title_justify="left")
    for column in ("measure", "aim", *results):
        aims.add_column(column, justify="right" if column != "measure" else "left")
    summaries = {name: result.summary() for name, result in results.items()}
    for measure, aim in AIMS.items():
        comparison = "≤" if measure.startswith("false") else "≥"
        label = {"critical": "critical detected", "major": "major detected", "minor": "minor detected",
                 "pairwise": "pairwise accuracy"}.get(measure, measure)
        aims.add_row(label, f"{comparison} {_pct(aim) if measure != 'pairwise' else f'{aim:.2f}'}",
                     *(_pct(s[measure]) if measure != "pairwise" else f"{s[measure]:.3f}" for s in summaries.values()))
    aims.add_row("false critical", "", *(_pct(s["false critical"]) for s in summaries.values()))
    console.print(aims)
    if json_path:
        Path(json_path).write_text(json.dumps({"cases": n_test, "summaries": summaries}, indent=1), "utf-8")
    return 0
