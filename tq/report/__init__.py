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

Layering: each renderer (text, json, markdown, html, frame, tmx) imports ``tq.types`` and
``tq.report.common`` (helpers they share) and nothing else of tq, so one can change without the others;
this module is the registry and imports a renderer only when it is asked for (``import tq`` stays free
of rich and jinja2).
"""
from __future__ import annotations

from importlib import import_module

from ..types import Report

# format -> (module in tq.report, its function), imported on first use
_RENDERERS: dict[str, tuple[str, str]] = {
    "text": ("text", "render_text"),
    "json": ("json", "render_json"),
    "markdown": ("markdown", "render_markdown"),
    "html": ("html", "render_html"),
}
FORMATS = tuple(_RENDERERS)


def render(report: Report, fmt: str, *, color: bool = False, width: int | None = None) -> str:
    """The report in format ``fmt`` (one of FORMATS); ``color`` and ``width`` concern the text format only."""
    if fmt not in _RENDERERS:
        raise ValueError(f"unknown format {fmt!r}")
    module, function = _RENDERERS[fmt]
    renderer = getattr(import_module(f"{__name__}.{module}"), function)
    if fmt == "text":
        return renderer(report, color=color, width=width)
    return renderer(report)
