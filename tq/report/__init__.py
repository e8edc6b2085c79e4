"""report: Report -> text (rich), JSON, Markdown or a pandas DataFrame.

Every renderer reads the same ``Report``; ``render`` picks one by name.
"""
from __future__ import annotations

from ..types import Report

FORMATS = ("text", "json", "markdown")


def render(report: Report, fmt: str, *, color: bool = False, width: int | None = None) -> str:
    if fmt == "json":
        from .json import render_json

        return render_json(report)
    if fmt == "markdown":
        from .markdown import render_markdown

        return render_markdown(report)
    if fmt == "text":
        from .text import render_text

        return render_text(report, color=color, width=width)
    raise ValueError(f"unknown format {fmt!r}")
