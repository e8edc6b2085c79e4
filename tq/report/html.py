"""HTML report: one self-contained file (inline CSS and JS, no network) for reading a check in a browser.

The pairs sit side by side with the flagged English spans highlighted by severity; overlapping findings are
split at every boundary so each character belongs to exactly one ``<mark>`` and the markup stays well formed.
Everything from the articles goes through Jinja's autoescape, and the inline script reads only data attributes,
so article text can never become markup or code.
"""
from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import TypedDict

from .common import word_diff
from ..types import SEVERITIES, SEVERITY_RANK, Finding, Pair, Report

LANGUAGES = {"it": "Italian", "en": "English"}


@dataclass(frozen=True)
class Segment:
    """A run of target text covered by the same findings (none: plain text)."""

    text: str
    severity: str = "none"
    finding_ids: tuple[str, ...] = ()
    tip: str = ""


class Marker(TypedDict):
    """A caret for an omission (a finding with an empty span) at offset ``at`` of the target."""

    at: int
    id: str
    severity: str
    tip: str


@lru_cache(maxsize=1)
def _environment():
    """The Jinja environment, built on first use (importing tq must stay instant)."""
    from jinja2 import Environment, PackageLoader

    return Environment(loader=PackageLoader("tq.report", "templates"), autoescape=True,
                       trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)


def finding_id(pair: Pair, number: int) -> str:
    """Stable id of a pair's n-th finding (the browser test maps findings to their marks with it)."""
    return f"f{pair.index + 1}-{number}"


def _tip(finding: Finding) -> str:
    fix = "" if finding.suggestion is None else f" → {finding.suggestion or '(delete)'}"
    return (f"{finding.severity} · {finding.category}: {finding.message}{fix} "
            f"[{finding.check}, confidence {finding.confidence:.2f}]")


def segments(pair: Pair) -> list[Segment]:
    """The target cut at every finding boundary (omission points too), each piece with the findings covering it."""
    text = pair.target
    spans = [(max(0, f.start), min(len(text), f.end), finding_id(pair, n), f)
             for n, f in enumerate(pair.findings) if f.end > f.start]
    spans = [s for s in spans if s[1] > s[0]]
    points = {min(max(0, f.start), len(text)) for f in pair.findings}
    cuts = sorted({0, len(text), *points, *(s[1] for s in spans)})
    out: list[Segment] = []
    for a, b in zip(cuts, cuts[1:]):
        covering = [s for s in spans if s[0] <= a and b <= s[1]]
        if not covering:
            out.append(Segment(text[a:b]))
            continue
        worst = max((s[3].severity for s in covering), key=SEVERITY_RANK.__getitem__)
        out.append(Segment(text[a:b], worst, tuple(s[2] for s in covering), "\n".join(_tip(s[3]) for s in covering)))
    return out


def target_pieces(pair: Pair) -> list[Segment | Marker]:
    """Segments with a caret marker for each omission (a finding with an empty span) at its offset."""
    markers = sorted((Marker(at=f.start, id=finding_id(pair, n), severity=f.severity, tip=_tip(f))
                      for n, f in enumerate(pair.findings) if f.end <= f.start), key=lambda m: m["at"])
    out: list[Segment | Marker] = []
    pos = 0
    for seg in segments(pair):
        while markers and markers[0]["at"] <= pos:
            out.append(markers.pop(0))
        out.append(seg)
        pos += len(seg.text)
    out.extend(markers)
    return out


def diff_pieces(before: str, after: str) -> list[tuple[str, str]]:
    """The word diff, with deletions that are only whitespace made visible (an invisible ``<del> </del>`` says nothing)."""
    return [(op, "␣" * len(text) if op == "-" and not text.strip() else text) for op, text in word_diff(before, after)]


def _pair_view(pair: Pair) -> dict:
    findings = [{"id": finding_id(pair, n), "f": f, "text": pair.target[f.start:f.end]} for n, f in enumerate(pair.findings)]
    return {
        "pair": pair,
        "number": pair.index + 1,
        "pieces": target_pieces(pair),
        "findings": findings,
        "diff": diff_pieces(pair.target, pair.suggestion) if pair.suggestion else [],
        "severities": " ".join(sorted({f.severity for f in pair.findings})),
        "checks": " ".join(sorted({f.check for f in pair.findings})),
        "combos": " ".join(sorted({f"{f.severity}:{f.check}" for f in pair.findings})),
        "clean": not pair.findings and not pair.low_confidence,
    }


def _context(report: Report, root_id: str) -> dict:
    by_category = Counter((f.category, f.severity) for _, f in report.findings)
    categories = sorted({c for c, _ in by_category})
    return {
        "report": report,
        "root_id": root_id,
        "severities": list(reversed(SEVERITIES)),
        "counts": report.counts(),
        "categories": [(c, [by_category[(c, s)] for s in reversed(SEVERITIES)]) for c in categories],
        "checks": sorted({f.check for _, f in report.findings}),
        "skipped": report.skipped_by_reason(),
        "low_confidence": sum(p.low_confidence for p in report.pairs),
        "pairs": [_pair_view(p) for p in report.pairs],
        "src_label": LANGUAGES.get(report.src_lang, report.src_lang),
        "tgt_label": LANGUAGES.get(report.tgt_lang, report.tgt_lang),
    }


def render_html_fragment(report: Report, root_id: str | None = None) -> str:
    """The report as one ``<div>`` with its own scoped style and script: what a notebook cell shows.

    ``root_id`` scopes the script to this report (several can share a notebook page); a random one by default.
    """
    root_id = root_id or f"tq-{uuid.uuid4().hex[:12]}"
    return _environment().get_template("report.html.j2").render(_context(report, root_id), fragment=True)


def render_html(report: Report) -> str:
    """The report as a complete, self-contained HTML document."""
    return _environment().get_template("report.html.j2").render(_context(report, "tq-report"), fragment=False)
