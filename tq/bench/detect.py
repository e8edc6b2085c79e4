"""``tq bench detect``: how much of a controlled error suite tq catches, and how often it cries wolf.

Runs ``tq.check_pairs`` on the clean and corrupted pairs of the error suite
(:mod:`tq.bench.errorsuite`, built from ``../shared/data``) with the embedded checks
alone and with the language model, and reports on the held-out (test) split:

- **detection**, per severity and per corruption kind: a finding of at least the
  corruption's severity that overlaps the corrupted span ("span"), a major or
  critical one that does ("major+"), or one anywhere in the pair ("sentence");
- **false flags**: clean pairs with a critical finding, a major-or-worse one, any;
- **pairwise accuracy**: the clean pair's score above its corrupted twin's;
- **AUC** per kind: how well the pair score ranks all clean pairs above that kind's corrupted ones, apart from
  any threshold;
- a **chrF baseline** row: sacrebleu's sentence chrF of each translation against
  the reference. The reference is the clean sentence itself, so chrF is an
  oracle here (100 on every clean pair): its row shows how much each
  corruption changes the surface, not a detector to beat on pairwise accuracy.

Each is shown with the checks' own severities ("raw") and with the shipped
judge's (:mod:`tq.judge`, trained by ``tq bench judge --train`` on the
development split only). Corrupted variants of one sentence go to different
``check_pairs`` calls so document-level checks never compare two versions
of the same sentence.
"""
from __future__ import annotations

import copy
import json
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console
from rich.table import Table

from . import find_data
from .errorsuite import CORRUPTIONS, SUITE_VERSION, Case, build_suite, read_suite, write_suite
from ..judge import Judge, judge_pairs, load_judge
from ..score import pair_score
from ..types import SEVERITIES, SEVERITY_RANK, Pair

TOLERANCE = 1  # characters: a finding touching a zero-width deletion point counts as overlapping it
AIMS = {"false major+": 0.02, "critical": 0.55, "major": 0.45, "minor": 0.65, "pairwise": 0.95}  # issue 20


def overlaps(finding, case: Case) -> bool:
    """A finding on the corrupted span (touching a zero-width deletion point counts)."""
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


def judged(pairs: dict[str, Pair], judge: Judge | None) -> dict[str, Pair]:
    """Copies of raw pairs with a judge's severities (None: the checks' own) and scores recomputed,
    as a report gets them (the judge's flip head reads the shared encoder's vectors)."""
    from ..models import get_encoder

    out = {key: copy.deepcopy(pair) for key, pair in pairs.items()}
    if judge is not None:
        # a repair's finding is not the judge's: the pipeline judges the checks' findings before the repair stage
        # makes it (tq.pipeline), so it keeps the severity the stage gave it here too
        repairs = {key: [f for f in pair.findings if f.fix_origin == "lm"] for key, pair in out.items()}
        for pair in out.values():
            pair.findings = [f for f in pair.findings if f.fix_origin != "lm"]
        judge_pairs(out.values(), judge=judge, encoder=get_encoder() if judge.head is not None else None)
        for key, pair in out.items():
            pair.findings += repairs[key]
    for pair in out.values():
        pair.score = pair_score(pair, digits=None)  # exact: rounding would tie near-identical pairs
    return out


@dataclass
class Tally:
    n: int = 0
    span: int = 0
    sentence: int = 0
    major_span: int = 0  # caught at major or above, whatever the corruption's own severity
    pairwise: int = 0
    chrf: list = field(default_factory=list)
    scores: list = field(default_factory=list)  # the corrupted pairs' scores

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
    clean_scores: list = field(default_factory=list)

    def auc(self, kind: str) -> float:
        """How well the pair score ranks every clean pair above the kind's corrupted ones, whatever the thresholds:
        the probability that a clean pair scores higher than a corrupted one, ties counting half (the
        Mann-Whitney form of the ROC AUC; a few lines of numpy, scikit-learn being no runtime dependency)."""
        import numpy as np

        clean, bad = np.asarray(self.clean_scores, dtype=float), np.asarray(self.by_kind[kind].scores, dtype=float)
        if not clean.size or not bad.size:
            return float("nan")
        return float(((clean[:, None] > bad[None, :]) + 0.5 * (clean[:, None] == bad[None, :])).mean())

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
            tally.span += any(overlaps(f, case) for f in strong)
            tally.sentence += bool(strong)
            tally.major_span += any(overlaps(f, case) for f in pair.findings if f.rank >= SEVERITY_RANK["major"])
            tally.pairwise += twin.score > pair.score
            tally.chrf.append(score)
            tally.scores.append(pair.score)
    clean_pairs = [pairs[c.id] for c in clean.values()]
    return Result(
        by_severity, by_kind, len(clean_pairs),
        sum(p.worst_severity == "critical" for p in clean_pairs),
        sum(SEVERITY_RANK[p.worst_severity] >= SEVERITY_RANK["major"] for p in clean_pairs),
        sum(bool(p.findings) for p in clean_pairs),
        chrf_wins / chrf_n if chrf_n else 0.0, [p.score for p in clean_pairs])


def _pct(value: float) -> str:
    return f"{100 * value:.1f}%"


def print_results(console: Console, results: dict[str, Result], title: str) -> None:
    names = list(results)
    table = Table(title=title, title_justify="left")
    table.add_column("rows")
    table.add_column("n", justify="right")
    for name in names:
        for column in ("span", "major+", "sentence", "pairwise", "AUC"):
            table.add_column(f"{name}\n{column}", justify="right")
    table.add_column("chrF\nmean", justify="right")
    first = results[names[0]]
    for group, key in (("severity", "by_severity"), ("kind", "by_kind")):
        order = [s for s in reversed(SEVERITIES) if s in first.by_severity] if group == "severity" else sorted(
            first.by_kind, key=lambda k: (-SEVERITY_RANK[_kind_severity(k)], k))
        for row in order:
            tallies = [getattr(results[n], key)[row] for n in names]
            label = row if group == "severity" else f"  {row} ({_kind_severity(row)})"
            cells = [cell for n, t in zip(names, tallies) for cell in (
                *(_pct(t.rate(c)) for c in ("span", "major_span", "sentence", "pairwise")),
                f"{results[n].auc(row):.2f}" if group == "kind" else "")]
            table.add_row(label, str(tallies[0].n), *cells, f"{sum(tallies[0].chrf) / len(tallies[0].chrf):.1f}")
        table.add_section()
    for label, attr in (("clean: false critical", "false_critical"), ("clean: false major+", "false_major"),
                        ("clean: any finding", "false_any")):
        cells = []
        for name in names:
            cells += [_pct(getattr(results[name], attr) / results[name].clean), "", "", "", ""]
        table.add_row(label, str(first.clean), *cells, "100.0")
    console.print(table)
    console.print(f"chrF against the reference (oracle, the reference is the clean sentence): pairwise accuracy "
                  f"{first.chrf_pairwise:.3f}")


def _kind_severity(kind: str) -> str:
    return CORRUPTIONS[kind][1] if kind in CORRUPTIONS else "none"


KIND_GROUPS = {"untranslated": ("untranslated", "untranslated-word"), "negation": ("negation", "negation-added", "negation-removed"),
               "numbers": ("number",), "names": ("entity-replaced", "entity-dropped")}
KIND_AIM = 0.60  # each group caught at major or above (issue 20)


def group_rates(result: Result) -> dict[str, float]:
    """Share of each group of kinds caught at major or above (a finding overlapping the corrupted span)."""
    out = {}
    for group, kinds in KIND_GROUPS.items():
        tallies = [result.by_kind[k] for k in kinds if k in result.by_kind]
        n = sum(t.n for t in tallies)
        out[group] = sum(t.major_span for t in tallies) / n if n else 0.0
    return out


def run_detect_bench(data_dir: str | None, sentences: int = 400, seed: int = 13, lm: str | None = None,
                     suite_path: str | None = None, json_path: str | None = None) -> int:
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
    test = [c for c in cases if c.split == "test"]
    configs = {"embedded": "none", "embedded+LM": lm or "smollm2"}
    start = time.perf_counter()
    raw = {name: run_checks(test, spec) for name, spec in configs.items()}
    seconds = time.perf_counter() - start
    if "embedded+LM" in raw and not any(f.check == "fluency" for p in raw["embedded+LM"].values() for f in p.findings):
        console.print("[yellow]note: the language model produced no findings (is it installed? see `tq models`)[/]")

    judge = load_judge()
    results = {}
    for name in configs:
        results[f"{name} raw"] = evaluate(test, judged(raw[name], None))
        results[name] = evaluate(test, judged(raw[name], judge))
    title = (f"tq bench detect: held-out split, {sum(c.kind == 'clean' for c in test)} clean + "
             f"{sum(c.kind != 'clean' for c in test)} corrupted pairs (suite v{SUITE_VERSION}, seed {seed}, "
             f"{sentences} sentences; checks ran in {seconds:.0f} s; judged severities)")
    print_results(console, {n: results[n] for n in configs}, title)

    aims = Table(title="aims on the held-out split (raw: the checks' own severities; else the judge's)", title_justify="left")
    for column in ("measure", "aim", *results):
        aims.add_column(column, justify="right" if column != "measure" else "left")
    summaries = {name: {**result.summary(), **{f"{g} at major+": r for g, r in group_rates(result).items()}}
                 for name, result in results.items()}
    for measure, aim in [*AIMS.items(), *((f"{g} at major+", KIND_AIM) for g in KIND_GROUPS)]:
        comparison = "≤" if measure.startswith("false") else "≥"
        label = {"critical": "critical detected", "major": "major detected", "minor": "minor detected",
                 "pairwise": "pairwise accuracy"}.get(measure, measure)
        aims.add_row(label, f"{comparison} {_pct(aim) if measure != 'pairwise' else f'{aim:.2f}'}",
                     *(_pct(s[measure]) if measure != "pairwise" else f"{s[measure]:.3f}" for s in summaries.values()))
    aims.add_row("false critical", "", *(_pct(s["false critical"]) for s in summaries.values()))
    console.print(aims)
    if json_path:
        auc = {name: {kind: round(result.auc(kind), 4) for kind in sorted(result.by_kind)} for name, result in results.items()}
        Path(json_path).write_text(json.dumps({"cases": len(test), "judge": judge.payload.get("signature") if judge else None,
                                               "summaries": summaries, "auc_against_clean": auc}, indent=1), "utf-8")
    return 0
