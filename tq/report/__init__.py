"""report: Report -> text (rich), JSON, Markdown, HTML or a pandas DataFrame.

Every renderer reads the same ``Report``; ``render`` picks one by name.

Numbering, one rule for every renderer: what a person reads is counted from 1,
what a program reads is an id from 0.

* People: "segment N" is ``pair.index + 1`` (text, Markdown and HTML headings,
  the JSON and frame field ``segment``), and sentences shown in the text report
  ("src 1,2 · tgt 1") are ``id + 1``.
* Programs: ``index`` (JSON) and ``pair`` (frame) are ``pair.index``, and
  ``src_ids``/``tgt_ids`` are the sentence ids ``tq align`` and ``tq.align``
  return, all 0-based like Python lists (``report.pairs[index]``); offsets
  (``start``, ``end``, ``doc_start``, ``src_offset``...) are 0-based characters.
"""
from __future__ import annotations

from ..types import Report

FORMATS = ("text", "json", "markdown", "html")


def render(report: Report, fmt: str, *, color: bool = False, width: int | None = None) -> str:
    if fmt == "json":
        from .json import render_json

        return render_json(report)
    if fmt == "markdown":
        from .markdown import render_markdown

        return render_markdown(report)
    if fmt == "html":
        from .html import render_html

        return render_html(report)
    if fmt == "text":
        from .text import render_text

        return render_text(report, color=color, width=width)
    raise ValueError(f"unknown format {fmt!r}")
