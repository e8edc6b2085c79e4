"""Markdown report, for review comments (pull requests, CMS notes)."""
from __future__ import annotations

from ..suggest import word_diff
from ..types import Report


def _escape(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _diff(before: str, after: str) -> str:
    parts = []
    for op, text in word_diff(before, after):
        if op == "-" and text.strip():
            parts.append(f"~~{text}~~")
        elif op == "+" and text.strip():
            parts.append(f"**{text}**")
        elif op == " ":
            parts.append(text)
    return "".join(parts)


def render_markdown(report: Report) -> str:
    counts = report.counts()
    lines = [
        f"## tq: {report.translation_name}",
        "",
        f"Source: `{report.source_name}` · {len(report.pairs)} segment pairs · document score **{report.document_score:.2f}** · "
        + " · ".join(f"{n} {severity}" for severity, n in counts.items()),
        "",
    ]
    for reason, checks in report.skipped_by_reason().items():
        lines.append(f"> skipped {', '.join(f'`{c}`' for c in checks)}: {reason}")
    for note in report.notes:
        lines.append(f"> {note}")
    flagged = [pair for pair in report.pairs if pair.findings or pair.low_confidence]
    if not flagged:
        lines += ["", "No problems found."]
    for pair in flagged:
        note = ", low-confidence link" if pair.low_confidence else ""
        lines += ["", f"### Segment {pair.index + 1} ({pair.worst_severity}, score {pair.score:.2f}{note})", ""]
        lines.append(f"- **Source:** {_escape(pair.source) or '—'}")
        lines.append(f"- **Translation:** {_escape(pair.target) or '—'}")
        if pair.suggestion:
            lines.append(f"- **Suggestion:** {_escape(_diff(pair.target, pair.suggestion))}")
        if not pair.findings:
            continue
        lines += ["", "| severity | category | text | problem | fix | check |", "|---|---|---|---|---|---|"]
        for f in pair.findings:
            fix = "" if f.suggestion is None else f"`{f.suggestion}`" if f.suggestion else "(delete)"
            lines.append(f"| {f.severity} | {f.category} | `{_escape(pair.target[f.start:f.end]) or '∅'}` | "
                         f"{_escape(f.message)} | {fix} | `{f.check}` |")
    return "\n".join(lines) + "\n"
