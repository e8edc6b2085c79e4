"""report: Report -> text (rich), JSON, Markdown, HTML, an Excel workbook or a pandas DataFrame.

Every renderer reads the same ``Report``; ``render`` picks a text format by name, ``render_bytes`` any format
as the bytes of a file. The Excel workbook (``xlsx``, binary) is written from the JSON report's data
(``report_dict``), so its rows are the JSON report's findings.

Numbering, one rule for every renderer: what a person reads is counted from 1,
what a program reads is an id from 0.

* People: "segment N" is ``pair.index + 1`` (text, Markdown and HTML headings,
  the JSON and frame field ``segment``), and sentences shown in the text report
  ("src 1,2 · tgt 1") are ``id + 1``.
* Programs: ``index`` (JSON) and ``pair`` (frame) are ``pair.index``, and
  ``src_ids``/``tgt_ids`` are the sentence ids ``tq align`` and ``tq.align``
  return, all 0-based like Python lists (``report.pairs[index]``); offsets
  (``start``, ``end``, ``doc_start``, ``src_offset``...) are 0-based characters.

Layering: each renderer (text, json, markdown, html, xlsx, frame, tmx) imports ``tq.types`` and
``tq.report.common`` (helpers they share) and nothing else of tq, so one can change without the others;
this module is the registry and imports a renderer only when it is asked for (``import tq`` stays free
of rich, jinja2 and openpyxl); it alone hands the JSON report's data to the xlsx renderer.
"""
from __future__ import annotations

from collections.abc import Iterable
from importlib import import_module

from ..types import Report

# format -> (module in tq.report, its function), imported on first use
_RENDERERS: dict[str, tuple[str, str]] = {
    "text": ("text", "render_text"),
    "json": ("json", "render_json"),
    "markdown": ("markdown", "render_markdown"),
    "html": ("html", "render_html"),
}
# binary format -> (module, its function), which takes [(article name, the JSON report's data)] and returns bytes
_BINARY_RENDERERS: dict[str, tuple[str, str]] = {
    "xlsx": ("xlsx", "render_xlsx"),
}
FORMATS = (*_RENDERERS, *_BINARY_RENDERERS)
BINARY_FORMATS = tuple(_BINARY_RENDERERS)  # files, never a terminal: the command line asks for -o FILE


def render(report: Report, fmt: str, *, color: bool = False, width: int | None = None) -> str:
    """The report in text format ``fmt`` (one of FORMATS but BINARY_FORMATS); ``color`` and ``width`` concern the
    text format only."""
    if fmt in _BINARY_RENDERERS:
        raise ValueError(f"{fmt} is a binary format: use render_bytes")
    if fmt not in _RENDERERS:
        raise ValueError(f"unknown format {fmt!r}")
    module, function = _RENDERERS[fmt]
    renderer = getattr(import_module(f"{__name__}.{module}"), function)
    if fmt == "text":
        return renderer(report, color=color, width=width)
    return renderer(report)


def render_bytes(report: Report, fmt: str, *, article: str | None = None) -> bytes:
    """The report in format ``fmt`` (one of FORMATS) as the bytes of a file: UTF-8 text, or a binary format's
    bytes; ``article`` names the report in an xlsx sheet's article column (default: the translation's name)."""
    if fmt not in _BINARY_RENDERERS:
        return render(report, fmt).encode("utf-8")
    return render_many([(article or report.translation_name, report)], fmt)


def render_many(reports: Iterable[tuple[str, Report | dict]], fmt: str) -> bytes:
    """One file of many articles' findings in binary format ``fmt`` (xlsx: one sheet, an article column): each
    article as its ``Report`` or its JSON report's data (a parsed ``tq.report`` file), in the order given."""
    from .json import report_dict

    if fmt not in _BINARY_RENDERERS:
        raise ValueError(f"{fmt!r} is not a binary format (known: {', '.join(_BINARY_RENDERERS)})")
    module, function = _BINARY_RENDERERS[fmt]
    renderer = getattr(import_module(f"{__name__}.{module}"), function)
    return renderer((name, item if isinstance(item, dict) else report_dict(item)) for name, item in reports)
