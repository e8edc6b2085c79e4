"""Excel workbook of findings (``--format xlsx``), for QA leads who share findings as spreadsheets (as Xbench does).

One sheet, ``findings``, one row per finding, in the JSON report's order (pairs in order, each pair's findings
in order), with the columns in ``COLUMNS``. The rows are read from the JSON report's data (``tq.report.json``'s
``report_dict``, schema ``tq.report``), never from the ``Report`` itself, so they are the JSON report's findings
field for field; a batch passes every article's data and gets one sheet, the ``article`` column telling them
apart. The header row is frozen and carries an autofilter over the data; severity cells are coloured.

What differs from the JSON, only where a spreadsheet cannot hold the text: characters XML 1.0 forbids (control
characters other than tab, newline and carriage return) become U+FFFD, and a cell longer than Excel's 32,767
characters is cut to that length, ending in "…". Text is always stored as text: a segment starting with "="
never becomes a formula.

The output is deterministic: the same data gives the same bytes (the document properties' created/modified
dates and the ZIP entries' dates are fixed to ``FIXED_TIME``, not the time of writing).
"""
from __future__ import annotations

import datetime
import io
import os
import re
import zipfile
from collections.abc import Iterable, Iterator
from typing import Any

from ..types import TqError

SHEET = "findings"
# (header, JSON field: the pair's or the finding's, column width in characters, wrap text)
COLUMNS: tuple[tuple[str, str, int, bool], ...] = (
    ("article", "article", 22, False),
    ("segment", "pair.segment", 9, False),
    ("source", "pair.source", 50, True),
    ("translation", "pair.target", 50, True),
    ("flagged text", "finding.text", 26, True),
    ("severity", "finding.severity", 10, False),
    ("category", "finding.category", 22, False),
    ("check", "finding.check", 20, False),
    ("message", "finding.message", 50, True),
    ("suggestion", "finding.suggestion", 40, True),
    ("confidence", "finding.confidence", 11, False),
)
HEADERS = tuple(column[0] for column in COLUMNS)
# severity -> cell fill (RGB): critical red, major orange, minor yellow
SEVERITY_FILLS = {"critical": "F8696B", "major": "FFB266", "minor": "FFEB84"}
HEADER_FILL = "D9D9D9"
MAX_CELL = 32767                    # the most characters an Excel cell holds
MAX_ROWS = 1_048_576                # the most rows an Excel sheet holds (the header is one of them)
FIXED_TIME = datetime.datetime(2000, 1, 1)
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def finding_rows(article: str, data: dict) -> Iterator[list[Any]]:
    """The rows of one report's findings (``data``: a ``tq.report`` JSON object), values in ``COLUMNS`` order."""
    for pair in data["pairs"]:
        for finding in pair["findings"]:
            scope = {"article": article, "pair": pair, "finding": finding}
            row = []
            for _header, field, _width, _wrap in COLUMNS:
                owner, _, key = field.partition(".")
                row.append(scope[owner] if not key else scope[owner][key])
            yield row


def _cell_text(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    value = _ILLEGAL.sub("\ufffd", value)
    return value if len(value) <= MAX_CELL else value[:MAX_CELL - 1] + "…"


class _FixedTimeZip(zipfile.ZipFile):
    """A ZIP archive whose entries all carry ``FIXED_TIME``: zipfile otherwise stamps ``writestr`` entries with the
    current time and ``write`` ones with the file's (openpyxl writes a worksheet through a temporary file)."""

    def writestr(self, zinfo_or_arcname, data, compress_type=None, compresslevel=None):
        if not isinstance(zinfo_or_arcname, zipfile.ZipInfo):
            zinfo = zipfile.ZipInfo(zinfo_or_arcname, date_time=FIXED_TIME.timetuple()[:6])
            zinfo.compress_type = self.compression
            zinfo.external_attr = 0o644 << 16
            zinfo_or_arcname = zinfo
        super().writestr(zinfo_or_arcname, data, compress_type, compresslevel)

    def write(self, filename, arcname=None, compress_type=None, compresslevel=None):
        with open(filename, "rb") as stream:
            self.writestr(arcname or os.path.basename(filename), stream.read(), compress_type, compresslevel)


def render_xlsx(reports: Iterable[tuple[str, dict]]) -> bytes:
    """An .xlsx workbook with one sheet of every finding of ``reports``: (article name, ``tq.report`` JSON object)
    pairs, written in the order given."""
    try:
        from openpyxl import Workbook
        from openpyxl.styles import Alignment, Font, PatternFill
        from openpyxl.utils import get_column_letter
        from openpyxl.writer.excel import ExcelWriter
    except ImportError:
        raise TqError("--format xlsx needs openpyxl: pip install openpyxl") from None
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None  # a new workbook has its one sheet
    sheet.title = SHEET
    sheet.append(HEADERS)
    bold, header_fill = Font(bold=True), PatternFill("solid", fgColor=HEADER_FILL)
    for cell in sheet[1]:
        cell.font, cell.fill = bold, header_fill
    wrap, top = Alignment(wrap_text=True, vertical="top"), Alignment(vertical="top")
    fills = {severity: PatternFill("solid", fgColor=rgb) for severity, rgb in SEVERITY_FILLS.items()}
    severity_column = HEADERS.index("severity")
    count = 0
    for article, data in reports:
        for values in finding_rows(article, data):
            count += 1
            if count >= MAX_ROWS:
                raise TqError(f"more findings than an Excel sheet holds ({MAX_ROWS - 1:,} rows): use --format json")
            row = count + 1
            for column, (value, (_header, _field, _width, wrapped)) in enumerate(zip(values, COLUMNS), 1):
                cell = sheet.cell(row=row, column=column, value=_cell_text(value))
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # text stays text: "=..." in an article is no formula
                cell.alignment = wrap if wrapped else top
            if values[severity_column] in fills:
                sheet.cell(row=row, column=severity_column + 1).fill = fills[values[severity_column]]
            sheet.cell(row=row, column=HEADERS.index("confidence") + 1).number_format = "0.00"
    for column, (_header, _field, width, _wrap) in enumerate(COLUMNS, 1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{count + 1}"
    workbook.properties.creator = "tq"
    workbook.properties.created = workbook.properties.modified = FIXED_TIME
    buffer = io.BytesIO()
    ExcelWriter(workbook, _FixedTimeZip(buffer, "w", zipfile.ZIP_DEFLATED, allowZip64=True)).save()
    return buffer.getvalue()
