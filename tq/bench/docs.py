"""``tq bench docs``: false alarms and proposed fixes on clean, professionally translated whole articles.

Clean documents are checked as an editor would check them, whole: NTREX-128
news (by document id; English is the original, Italian its professional
translation) and FLORES-101 devtest (by URL; both sides human translations).
Every finding on them is a false alarm and every fix a false fix, as far as a
gate is concerned. Documents go to a development or a held-out half by the
same stable hash as the error suite (:func:`tq.bench.errorsuite.split_of`); both
halves are reported and only the development half may be looked at while
tuning.

The fixes tq proposes for the error suite's corrupted sentences are scored
too: a fix restores the clean sentence or it is wrong.
"""
from __future__ import annotations

import json
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console
from rich.table import Table

from ..types import SEVERITY_RANK
from . import find_data
from .errorsuite import load_pairs, split_of

AIMS = {"critical docs": 0.10, "major+ docs": 0.25, "fixes per 100 pairs": 1.0}


@dataclass
class Document:
    corpus: str
    id: str
    split: str
    source: list[str]
    target: list[str]


@dataclass
class DocumentTally:
    docs: int = 0
    pairs: int = 0
    critical_docs: int = 0
    major_docs: int = 0
    findings: Counter = field(default_factory=Counter)       # severity -> count
    fixes: int = 0
    by_check: Counter = field(default_factory=Counter)       # (check, severity) -> count

    def add(self, report) -> None:
        self.docs += 1
        self.pairs += len(report.pairs)
        ranks = [SEVERITY_RANK[f.severity] for _, f in report.findings]
        self.critical_docs += any(r >= 3 for r in ranks)
        self.major_docs += any(r >= 2 for r in ranks)
        for _, finding in report.findings:
            self.findings[finding.severity] += 1
            self.by_check[(finding.check, finding.severity)] += 1
            self.fixes += finding.suggestion is not None

    def row(self) -> dict[str, float]:
        per100 = 100 / max(self.pairs, 1)
        return {"docs": self.docs, "pairs": self.pairs, "critical docs": self.critical_docs / max(self.docs, 1),
                "major+ docs": self.major_docs / max(self.docs, 1),
                **{f"{s} per 100 pairs": self.findings[s] * per100 for s in ("critical", "major", "minor")},
                "fixes per 100 pairs": self.fixes * per100}


def documents(data: Path) -> list[Document]:
    """NTREX documents (by id) and FLORES documents (by URL), one sentence per line on each side."""
    out: dict[tuple[str, str], Document] = {}
    for pair in load_pairs(data, ("NTREX", "FLORES")):
        entry = out.setdefault((pair.corpus, pair.doc), Document(pair.corpus, pair.doc, split_of(pair.corpus, pair.doc), [], []))
        entry.source.append(pair.source)
        entry.target.append(pair.reference)
    return list(out.values())


def check_documents(docs: list[Document], lm: str | None, progress=None, calibrate: bool = True) -> dict[tuple[str, str], object]:
    """The report of each document, checked whole (sentences one per line)."""
    import tq

    reports = {}
    for index, doc in enumerate(docs):
        reports[(doc.corpus, doc.id)] = tq.check("\n".join(doc.source), "\n".join(doc.target), lm=lm, mt="none", calibrate=calibrate)
        if progress:
            progress(index + 1, len(docs))
    return reports


def run_docs_bench(data_dir: str | None, lm: str | None, corpora: tuple[str, ...], json_path: str | None,
                   with_fixes: bool = True) -> int:
    console = Console()
    data = find_data(data_dir)
    if data is None:
        console.print("tq bench docs: skipped, no ../shared/data found; pass --data DIR")
        return 0
    docs = [d for d in documents(data) if d.corpus in corpora]
    begin = time.perf_counter()
    with console.status("checking documents") as status:
        reports = check_documents(docs, lm, lambda done, total: status.update(f"checking documents {done}/{total}"))
    seconds = time.perf_counter() - begin
    tallies: dict[tuple[str, str], DocumentTally] = {}
    for doc in docs:
        for key in ((doc.split, doc.corpus), (doc.split, "all")):
            tallies.setdefault(key, DocumentTally()).add(reports[(doc.corpus, doc.id)])
    table = Table(title=f"tq bench docs: clean professional articles, default configuration (lm {lm or 'default'}; "
                        f"{len(docs)} documents in {seconds:.0f} s)", title_justify="left")
    columns = ["split", "corpus", "docs", "pairs", "critical docs", "major+ docs", "critical per 100 pairs",
               "major per 100 pairs", "minor per 100 pairs", "fixes per 100 pairs"]
    for column in columns:
        table.add_column(column.replace(" per 100 pairs", " /100p"), justify="right")
    for (split, corpus), tally in sorted(tallies.items(), key=lambda kv: (kv[0][0] != "test", kv[0][1] != "all", kv[0])):
        row = tally.row()
        cells = []
        for column in columns[2:]:
            value = row[column]
            aim = AIMS.get(column)
            text = f"{value:.0%}" if column.endswith("docs") and column != "docs" else f"{value:.1f}" if "100" in column else str(value)
            if aim is not None and corpus == "all":
                text += " ✓" if value <= aim else " ✗"
            cells.append(text)
        table.add_row("held-out" if split == "test" else "dev", corpus, *cells)
    console.print(table)
    console.print(f"aims (held-out, all): critical docs ≤ {AIMS['critical docs']:.0%}, major+ docs ≤ {AIMS['major+ docs']:.0%}, "
                  f"fixes ≤ {AIMS['fixes per 100 pairs']:g} per 100 pairs")
    checks = Table(title="major and critical findings by check (per 100 pairs)", title_justify="left")
    for column in ("check", "dev critical", "dev major", "held-out critical", "held-out major"):
        checks.add_column(column, justify="right")
    names = sorted({c for t in tallies.values() for c, s in t.by_check if SEVERITY_RANK[s] >= 2})
    for name in names:
        cells = []
        for split in ("dev", "test"):
            tally = tallies.get((split, "all"), DocumentTally())
            for severity in ("critical", "major"):
                cells.append(f"{tally.by_check[(name, severity)] * 100 / max(tally.pairs, 1):.1f}")
        checks.add_row(name, *cells)
    console.print(checks)
    fixes = score_fixes(data, lm) if with_fixes else None
    if fixes:
        console.print(f"fixes on the error suite's corrupted sentences (held-out): {fixes['restored']} restore the clean "
                      f"sentence, {fixes['wrong']} are wrong, of {fixes['corrupted']} corrupted pairs; "
                      f"by check (restored/wrong): {', '.join(f'{k} {v[0]}/{v[1]}' for k, v in sorted(fixes['by_check'].items()))}")
    if json_path:
        payload = {"tallies": {f"{s}/{c}": t.row() for (s, c), t in tallies.items()},
                   "by_check": {f"{s}/{c}": {f"{k[0]}:{k[1]}": v for k, v in t.by_check.items()} for (s, c), t in tallies.items()},
                   "fixes": fixes,
                   "documents": [{"corpus": d.corpus, "id": d.id, "split": d.split,
                                  "findings": [{"pair": p.index, "check": f.check, "severity": f.severity, "text": p.target[f.start:f.end],
                                                "message": f.message, "fix": f.suggestion, "source": p.source, "target": p.target}
                                               for p, f in reports[(d.corpus, d.id)].findings]} for d in docs]}
        Path(json_path).write_text(json.dumps(payload, ensure_ascii=False, indent=1), "utf-8")
    return 0


def score_fixes(data: Path, lm: str | None) -> dict:
    """On the error suite's held-out corrupted sentences: how many of tq's fixes give back the clean sentence."""
    import tq

    from .detect import batches_without_twins
    from .errorsuite import build_suite

    cases = [c for c in build_suite(data) if c.split == "test" and c.kind != "clean"]
    restored = wrong = 0
    by_check: dict[str, list[int]] = {}
    for batch in batches_without_twins(cases):
        if not batch:
            continue
        report = tq.check_pairs([c.source for c in batch], [c.target for c in batch], lm=lm, mt="none", verify_languages=False)
        for case, pair in zip(batch, report.pairs):
            for finding in pair.findings:
                if finding.suggestion is None:
                    continue
                fixed = pair.target[: finding.start] + finding.suggestion + pair.target[finding.end:]
                good = " ".join(fixed.split()) == " ".join(case.reference.split())
                restored += good
                wrong += not good
                by_check.setdefault(finding.check, [0, 0])[0 if good else 1] += 1
    return {"corrupted": len(cases), "restored": restored, "wrong": wrong, "by_check": by_check}
