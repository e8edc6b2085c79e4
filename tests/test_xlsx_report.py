"""`--format xlsx`: a spreadsheet of findings for QA leads, one row per finding, equal to the JSON report's
findings; header frozen, autofilter on, severities coloured; a batch writes one sheet of every article's findings;
never to stdout."""
from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from tq.report import BINARY_FORMATS, FORMATS, render, render_many
from tq.report.xlsx import COLUMNS, HEADERS, MAX_CELL, SEVERITY_FILLS, render_xlsx

openpyxl = pytest.importorskip("openpyxl", reason="openpyxl is not installed (pip install -e .)")

EXPECTED_HEADERS = ("article", "segment", "source", "translation", "flagged text", "severity", "category", "check", "message",
                    "suggestion", "confidence")


def _json_rows(article: str, data: dict) -> list[tuple]:
    """The JSON report's findings as the sheet's rows: same order, same fields."""
    return [(article, pair["segment"], pair["source"], pair["target"], f["text"], f["severity"], f["category"], f["check"],
             f["message"], f["suggestion"], f["confidence"]) for pair in data["pairs"] for f in pair["findings"]]


def _sheet(path: Path):
    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames == ["findings"]
    return workbook["findings"]


def _rows(sheet) -> list[tuple]:
    return [tuple(row) for row in sheet.iter_rows(min_row=2, values_only=True)]


@pytest.fixture(scope="module")
def demo_reports(corpus, tmp_path_factory, run_tq):
    """The demo article checked through the command line as JSON and as xlsx: (JSON data, xlsx path)."""
    folder = tmp_path_factory.mktemp("xlsx")
    for fmt in ("json", "xlsx"):
        result = run_tq("check", corpus / "it.txt", corpus / "en.txt", "--format", fmt, "-o", folder / f"r.{fmt}")
        assert result.returncode == 0, result.stderr
    return json.loads((folder / "r.json").read_text("utf-8")), folder / "r.xlsx"


def test_one_row_per_finding_equal_to_the_json_report(demo_reports):
    data, xlsx = demo_reports
    sheet = _sheet(xlsx)
    assert tuple(cell.value for cell in sheet[1]) == EXPECTED_HEADERS == HEADERS
    expected = _json_rows(data["translation"]["name"], data)
    assert len(expected) >= 10  # the demo article has findings of every severity
    assert {row[5] for row in expected} == {"critical", "major", "minor"}
    assert _rows(sheet) == expected


def test_header_frozen_autofilter_colours_widths_and_wrapping(demo_reports):
    data, xlsx = demo_reports
    sheet = _sheet(xlsx)
    last = sheet.max_row
    assert last == 1 + sum(len(pair["findings"]) for pair in data["pairs"])
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:K{last}"
    assert all(cell.font.b for cell in sheet[1])
    severity = HEADERS.index("severity")
    for row in sheet.iter_rows(min_row=2):
        assert row[severity].fill.fgColor.rgb.endswith(SEVERITY_FILLS[row[severity].value])
        for cell, (_header, _field, _width, wrapped) in zip(row, COLUMNS):
            assert bool(cell.alignment.wrap_text) == wrapped
    for letter, (header, _field, width, _wrap) in zip("ABCDEFGHIJK", COLUMNS):
        assert sheet.column_dimensions[letter].width == width, header
    for header in ("source", "translation", "message"):
        assert COLUMNS[HEADERS.index(header)][3] and COLUMNS[HEADERS.index(header)][2] >= 40


def test_the_file_is_the_json_data_rendered_and_deterministic(demo_reports):
    data, xlsx = demo_reports
    again = render_many([(data["translation"]["name"], data)], "xlsx")
    assert again == xlsx.read_bytes()  # the same data, the same bytes: no time of writing anywhere
    with zipfile.ZipFile(xlsx) as archive:
        assert {info.date_time for info in archive.infolist()} == {(2000, 1, 1, 0, 0, 0)}
    properties = openpyxl.load_workbook(xlsx).properties
    assert properties.created == properties.modified
    assert properties.created.year == 2000


def test_text_stays_text_and_what_xml_cannot_hold_is_replaced(tmp_path):
    data = {"pairs": [{"segment": 3, "source": "=1+1", "target": "=SUM(A1:A9) ok\x0c", "findings": [
        {"text": "@x", "severity": "none", "category": "fluency/grammar", "check": "demo", "message": "m " * 20000,
         "suggestion": None, "confidence": 0.25}]}]}
    path = tmp_path / "odd.xlsx"
    path.write_bytes(render_xlsx([("a", data)]))
    sheet = _sheet(path)
    (row,) = _rows(sheet)
    assert row[:5] == ("a", 3, "=1+1", "=SUM(A1:A9) ok\ufffd", "@x")
    assert all(cell.data_type != "f" for cell in sheet[2])  # never a formula
    assert len(row[8]) == MAX_CELL and row[8].endswith("…")
    assert row[9:] == (None, 0.25)
    assert sheet[2][HEADERS.index("severity")].fill.fill_type is None  # no colour for other severities


def test_no_findings_gives_the_header_alone(tmp_path):
    path = tmp_path / "empty.xlsx"
    path.write_bytes(render_xlsx([("a", {"pairs": [{"segment": 1, "source": "x", "target": "y", "findings": []}]})]))
    sheet = _sheet(path)
    assert sheet.max_row == 1 and sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:K1"


def test_the_registry_knows_xlsx_as_binary():
    assert "xlsx" in FORMATS and BINARY_FORMATS == ("xlsx",)
    with pytest.raises(ValueError, match="binary"):
        render(None, "xlsx")


def test_xlsx_to_stdout_is_refused_before_any_work(run_tq, corpus, tmp_path):
    for inputs in ((corpus / "it.txt", corpus / "en.txt"), (tmp_path / "missing.it.txt", tmp_path / "missing.en.txt")):
        result = run_tq("check", *inputs, "--format", "xlsx")
        assert result.returncode == 2
        assert result.stdout == ""
        assert result.stderr.count("\n") == 1  # one line
        assert "--format xlsx writes a binary file: give -o FILE" in result.stderr
        assert "Traceback" not in result.stderr


def _paragraphs(corpus: Path, name: str) -> list[str]:
    return [line for line in (corpus / name).read_text("utf-8").splitlines() if line.strip()]


def test_a_batch_writes_one_sheet_of_every_articles_findings(run_tq, corpus, tmp_path):
    it, en = _paragraphs(corpus, "it.txt"), _paragraphs(corpus, "en.txt")
    for side, paragraphs in (("it", it), ("en", en)):
        (tmp_path / side).mkdir()
        (tmp_path / side / "a.txt").write_text("\n\n".join(paragraphs[:4]) + "\n", "utf-8")
        (tmp_path / side / "b.txt").write_text("\n\n".join(paragraphs[4:9]) + "\n", "utf-8")
    (tmp_path / "it" / "orphan.txt").write_text("Un articolo senza traduzione.\n", "utf-8")
    out = tmp_path / "out"
    for run in ("first", "resumed"):
        result = run_tq("check", tmp_path / "it", tmp_path / "en", "-o", out, "--format", "xlsx")
        assert result.returncode == 0, result.stderr
        assert "findings.xlsx" in result.stdout
        rows = {row["id"]: row["status"] for row in json.loads((out / "summary.json").read_text("utf-8"))["rows"]}
        assert rows == ({"a": "ok", "b": "ok", "orphan": "error"} if run == "first"
                        else {"a": "unchanged", "b": "unchanged", "orphan": "error"})
        assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == [
            "a.json", "b.json", "findings.xlsx", "summary.csv", "summary.json"]
        expected = [row for article in ("a", "b") for row in _json_rows(article, json.loads((out / f"{article}.json").read_text("utf-8")))]
        assert {row[0] for row in expected} == {"a", "b"}  # both articles have findings
        sheet = _sheet(out / "findings.xlsx")
        assert _rows(sheet) == expected
        assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == f"A1:K{len(expected) + 1}"
    again = run_tq("check", tmp_path / "it", tmp_path / "en", "-o", out, "--format", "json")  # the same JSON reports
    assert again.returncode == 0, again.stderr
    assert [row["status"] for row in json.loads((out / "summary.json").read_text("utf-8"))["rows"]] == ["unchanged"] * 2 + ["error"]
