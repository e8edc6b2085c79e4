"""The QA gate says why it failed in one line on stderr, and every report numbers segments the same way."""
from __future__ import annotations

import json
import re

import pytest

import tq
from tq.cli import main
from tq.report import render

SOURCES = ["Le fonti dell'intelligence britannica sono molto chiare su questo punto.",
           "Gli Stati Uniti e il Regno Unito non si fidano di Putin.",
           "Il segretario di Stato americano Antony Blinken ha parlato ieri sera."]
TARGETS = ["British intelligence sources are very clear on this point.",
           "The US and the UK dont trust Putin.",
           "US Secretary of State Anthony Blinken spoke yesterday evening."]


@pytest.fixture(scope="module")
def report():
    return tq.check_pairs(SOURCES, TARGETS)


@pytest.fixture(scope="module")
def pairs_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("gate") / "pairs.tsv"
    path.write_text("".join(f"{s}\t{t}\n" for s, t in zip(SOURCES, TARGETS)), "utf-8")
    return path


def run_tq(capsys, *args: str) -> tuple[int, str]:
    with pytest.raises(SystemExit) as exit_:
        main(list(args))
    return exit_.value.code, capsys.readouterr().err


def test_a_failed_gate_says_why_in_one_line(report, pairs_file, tmp_path, capsys):
    counts = report.counts()
    assert counts["major"] >= 1 and counts["critical"] == 0  # Anthony/Antony is major; nothing critical
    code, err = run_tq(capsys, "check", "--pairs", str(pairs_file), "--fail-on", "major", "-o", str(tmp_path / "report.txt"))
    n = counts["major"]
    assert code == 1 and err == f"tq: gate failed: {n} major finding{'s' if n > 1 else ''} at or above 'major'\n"
    code, err = run_tq(capsys, "check", "--pairs", str(pairs_file), "--fail-on", "minor", "-o", str(tmp_path / "report.txt"))
    assert code == 1 and re.fullmatch(r"tq: gate failed: \d+ major, \d+ minor findings at or above 'minor'\n", err)


def test_a_passed_gate_prints_nothing(pairs_file, tmp_path, capsys):
    code, err = run_tq(capsys, "check", "--pairs", str(pairs_file), "--fail-on", "critical", "-o", str(tmp_path / "report.txt"))
    assert code == 0 and err == ""


def test_segment_numbers_are_1_based_in_every_report(report):
    flagged = [pair for pair in report.pairs if pair.findings]
    assert flagged and all(pair.index >= 1 for pair in flagged)  # the second and third pairs: 0-based 1 and 2
    text, markdown = render(report, "text", width=200), render(report, "markdown")
    data = json.loads(render(report, "json"))
    frame = report.to_frame()
    for pair in flagged:
        number = pair.index + 1
        assert f"segment {number} · " in text and f"src {number} · tgt {number}" in text
        assert f"### Segment {number} (" in markdown
        entry = data["pairs"][pair.index]
        assert entry["index"] == pair.index and entry["segment"] == number and entry["src_ids"] == [pair.index]
        assert set(frame[frame.pair == pair.index].segment) == {number}
    assert "segment 1 · " not in text and "### Segment 1 (" not in markdown  # the clean first pair is not shown
