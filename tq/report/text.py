"""Terminal diff report (rich): each flagged pair with its spans highlighted,
the suggestion as a word diff, and a summary table by category and severity."""
from __future__ import annotations

import io
from collections import Counter

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from .common import word_diff
from ..types import SEVERITIES, Pair, Report

STYLE = {"critical": "bold white on red", "major": "bold red", "minor": "yellow"}
UNDERLINE = {"critical": "white on red", "major": "red underline", "minor": "yellow underline"}


def _highlighted(pair: Pair) -> Text:
    text = Text(pair.target or "—")
    for f in sorted(pair.findings, key=lambda f: f.rank):
        if f.end > f.start:
            text.stylize(UNDERLINE[f.severity], f.start, f.end)
    return text


def _diff(before: str, after: str, plain: bool) -> Text:
    """Deleted words struck through in red, inserted in green; [-old-]{+new+} without colour (as git word-diff)."""
    out = Text()
    for op, piece in word_diff(before, after):
        if plain and op != " ":
            piece = f"[-{piece}-]" if op == "-" else f"{{+{piece}+}}"
        out.append(piece, style={"-": "red strike", "+": "bold green", " ": ""}[op])
    return out


def _numbers(ids: tuple[int, ...]) -> str:
    """Sentence numbers for people: 1-based, as the segment numbers (see tq.report)."""
    return ",".join(str(i + 1) for i in ids) or "—"


def _pair_panel(pair: Pair, plain: bool) -> Panel:
    body = Table.grid(padding=(0, 1))
    body.add_column(style="dim", no_wrap=True)
    body.add_column()
    body.add_row("source", Text(pair.source or "—"))
    body.add_row("translation", _highlighted(pair))
    for f in pair.findings:
        flagged = pair.target[f.start:f.end]
        line = Text()
        line.append(f"{f.severity:<8}", style=STYLE[f.severity])
        line.append(f" {f.category}  ", style="cyan")
        if flagged:
            line.append(f"“{flagged}” ", style="bold")
        line.append(f.message)
        if f.suggestion is not None:
            line.append("  → ", style="dim")
            line.append(f.suggestion or "(delete)", style="green")
        line.append(f"  [{f.check}]", style="dim")
        body.add_row("", line)
    if pair.suggestion:
        body.add_row("suggestion", _diff(pair.target, pair.suggestion, plain))
    if pair.low_confidence:
        body.add_row("alignment", Text("low confidence: these segments may not correspond; check the pairing before the findings",
                                       style="magenta"))
    ids = f"src {_numbers(pair.src_ids)} · tgt {_numbers(pair.tgt_ids)}"
    title = f"segment {pair.index + 1} · {pair.worst_severity} · score {pair.score:.2f} · {ids}"
    if pair.low_confidence:
        title += " · low-confidence link"
    border = STYLE[pair.worst_severity].split()[-1] if pair.findings else "magenta"
    return Panel(body, title=title, title_align="left", border_style=border)


def _summary(report: Report) -> Table:
    table = Table(title=f"{report.translation_name}: document score {report.document_score:.2f}", title_justify="left")
    table.add_column("category")
    for severity in reversed(SEVERITIES):
        table.add_column(severity, justify="right", style=STYLE[severity])
    counts = Counter((f.category, f.severity) for _, f in report.findings)
    for category in sorted({c for c, _ in counts}):
        table.add_row(category, *(str(counts[(category, s)] or "") for s in reversed(SEVERITIES)))
    total = report.counts()
    table.add_row("total", *(str(total[s]) for s in reversed(SEVERITIES)), style="bold", end_section=True)
    return table


def text_renderables(report: Report, plain: bool = False) -> list:
    items: list = [Text(f"tq {report.source_name} → {report.translation_name} · {len(report.pairs)} segment pairs", style="bold")]
    for note in report.notes:
        items.append(Text(f"note: {note}", style="dim"))
    for reason, checks in report.skipped_by_reason().items():
        items.append(Text(f"skipped {', '.join(checks)}: {reason}", style="dim"))
    flagged = [pair for pair in report.pairs if pair.findings or pair.low_confidence]
    items.extend(_pair_panel(pair, plain) for pair in flagged)
    if not flagged:
        items.append(Text("No problems found.", style="green"))
    items.append(_summary(report))
    return items


def render_text(report: Report, color: bool = False, width: int | None = None) -> str:
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=color, no_color=not color, width=width or 110, highlight=False)
    console.print(Group(*text_renderables(report, plain=not color)))
    return buffer.getvalue()
