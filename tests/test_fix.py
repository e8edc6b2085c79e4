"""tq fix on the demo article: only certain fixes, each proven by a re-check; inputs never change.

Full runs are few (module fixtures): fix en.txt, check its output, fix en.reference.txt, and one run with
a glossary whose fixes are wrong on purpose.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

import tq
from tq.checks.terminology import parse_glossary
from tq.cli import main
from tq.fixes import RULE_CONFIDENCE

DEMO = Path(__file__).resolve().parent.parent / "corpora" / "us-uk-putin-talks"
IT, EN, REFERENCE = DEMO / "it.txt", DEMO / "en.txt", DEMO / "en.reference.txt"


def run_tq(capsys, *args: str) -> tuple[int, str, str]:
    """tq in this process (the models stay loaded): exit code, stdout, stderr."""
    with pytest.raises(SystemExit) as exit_:
        main(list(args))
    out, err = capsys.readouterr()
    return exit_.value.code, out, err


def places(result) -> list[tuple[int, int]]:
    """Where each applied fix sits in the fixed text (its replacement's span)."""
    spans, delta = [], 0
    for fix in result.applied:
        spans.append((fix.start + delta, fix.start + delta + len(fix.after)))
        delta += len(fix.after) - (fix.end - fix.start)
    return spans


@pytest.fixture(scope="module")
def fixed():
    return tq.fix(IT, EN)


@pytest.fixture(scope="module")
def rechecked(fixed):
    """tq check on the fixed text, run independently of tq.fix's own re-check."""
    return tq.check(IT.read_text("utf-8"), fixed.text)


@pytest.fixture(scope="module")
def gold():
    return json.loads((DEMO / "gold.json").read_text("utf-8"))["defects"]


def test_rule_fixes_of_the_demo_are_applied_and_agree_with_the_gold(fixed, gold):
    assert len(fixed.applied) >= 10 and not fixed.rejected
    assert {f.origin for f in fixed.applied} == {"rule"} and min(f.confidence for f in fixed.applied) >= RULE_CONFIDENCE
    corrections = {(d["text"], d["correction"]) for d in gold}
    for fix in fixed.applied:  # each fix is a gold correction (the article fix takes its "an" along: "an eventual" -> "a possible")
        assert (fix.before, fix.after) in corrections, fix
    for wanted in [("dont", "don’t"), ("RussiaUkraine", "Russia-Ukraine"), ("Anthony", "Antony"), (" ,", ","), ("an eventual", "a possible")]:
        assert wanted in {(f.before, f.after) for f in fixed.applied}


def test_everything_outside_the_fixes_is_the_input(fixed):
    original = EN.read_text("utf-8")
    assert fixed.original == original
    for fix, (start, end) in zip(fixed.applied, places(fixed)):
        assert original[fix.start:fix.end] == fix.before and fixed.text[start:end] == fix.after
    assert fixed.text.count("\n") == original.count("\n")  # paragraphs and line breaks untouched
    # remove the fixes from both sides: what is left is identical
    assert _outside(original, [(f.start, f.end) for f in fixed.applied]) == _outside(fixed.text, places(fixed))


def _outside(text: str, spans: list[tuple[int, int]]) -> list[str]:
    pieces, at = [], 0
    for start, end in spans:
        pieces.append(text[at:start])
        at = end
    return pieces + [text[at:]]


def test_no_finding_an_applied_fix_meant_to_remove_is_left(fixed, rechecked):
    assert rechecked.counts() == fixed.checked.counts()  # tq.fix's own re-check is what tq check says
    findings = [(f, pair.tgt_offset + f.start, pair.tgt_offset + f.end) for pair, f in rechecked.findings]
    for fix, (start, end) in zip(fixed.applied, places(fixed)):
        same = [f for f, s, e in findings if f.check in fix.checks and s <= end and e >= start]
        assert not same, (fix, same)
    assert len(rechecked.findings) < len(fixed.report.findings) - len(fixed.applied) + 1


def test_diff_and_summary(fixed):
    assert fixed.diff.startswith(f"--- {EN}\n+++ <fixed>\n")
    assert "-US UK dont trust" in fixed.diff and "+US UK don’t trust" in fixed.diff
    assert fixed.summary() == f"{len(fixed.applied)} fixes applied, {fixed.left} findings left for an editor"


def test_a_fix_that_does_not_remove_its_finding_or_makes_a_new_one_is_dropped():
    # two wrong glossary fixes: "war" -> "the war" leaves "war" flagged; "to the bitter" -> "to the the bitter" repeats a word
    glossary = parse_glossary("guerra a oltranza\t\t\\bwar\\b\tminor\tterminology\tsay 'the war'\tthe war\n"
                              "guerra a oltranza\t\tto the bitter\tminor\tterminology\tsay 'to the the'\tto the the bitter\n", "test")
    result = tq.fix(IT, EN, glossary=glossary)
    rejected = {(fix.before, fix.after): why for fix, why in result.rejected}
    assert "still finds an error" in rejected[("war", "the war")]
    assert "brings a new finding" in rejected[("to the bitter", "to the the bitter")]
    assert "war to the bitter end" in result.text
    assert {(f.before, f.after) for f in result.applied} >= {("dont", "don’t"), ("Anthony", "Antony")}


def test_cli_fix_writes_output_and_diff_and_never_touches_the_input(tmp_path, capsys, fixed):
    before = EN.read_bytes()
    out, diff = tmp_path / "en.fixed.txt", tmp_path / "en.diff"
    code, stdout, stderr = run_tq(capsys, "fix", str(IT), str(EN), "-o", str(out), "--diff", str(diff))
    assert code == 0 and stdout == ""
    assert stderr == f"tq: {len(fixed.applied)} fixes applied, {fixed.left} findings left for an editor\n"
    assert out.read_bytes() == fixed.text.encode("utf-8") and EN.read_bytes() == before
    assert diff.read_text("utf-8").startswith(f"--- {EN}\n+++ {out}\n")


def test_cli_fix_leaves_a_correct_translation_byte_for_byte(tmp_path, capsys):
    before = REFERENCE.read_bytes()
    out = tmp_path / "reference.out"
    code, stdout, stderr = run_tq(capsys, "fix", str(IT), str(REFERENCE), "-o", str(out))
    assert code == 0 and stdout == ""  # no diff: nothing changed
    assert stderr.startswith("tq: 0 fixes applied")
    assert out.read_bytes() == before and REFERENCE.read_bytes() == before


def test_a_bom_and_crlf_line_ends_survive(tmp_path, capsys):
    crlf = tmp_path / "en-crlf.txt"
    crlf.write_bytes(b"\xef\xbb\xbf" + REFERENCE.read_bytes().replace(b"\n", b"\r\n"))
    out = tmp_path / "out.txt"
    code, _, _ = run_tq(capsys, "fix", str(IT), str(crlf), "-o", str(out))
    assert code == 0 and out.read_bytes() == crlf.read_bytes()


@pytest.mark.parametrize("args, message", [
    (["-o", str(EN)], "refusing to overwrite an input file"),
    (["-o", str(IT)], "refusing to overwrite an input file"),
    ([], "Missing option '-o'"),
    (["-o", "{tmp}/out.txt", "--min-confidence", "1.5"], "--min-confidence"),
    (["-o", "{tmp}/out.txt", "--diff", "{tmp}/out.txt"], "two different files"),
    (["-o", "{tmp}/no-folder/out.txt"], "cannot write"),
])
def test_cli_fix_refuses_bad_input_in_one_line(tmp_path, capsys, args, message):
    before = EN.read_bytes(), IT.read_bytes()
    code, stdout, stderr = run_tq(capsys, "fix", str(IT), str(EN), *(a.format(tmp=tmp_path) for a in args))
    assert code == 2 and message in stderr and stderr.count("\n") == 1 and stdout == ""
    assert (EN.read_bytes(), IT.read_bytes()) == before


def test_api_refuses_a_bad_min_confidence_before_any_work():
    with pytest.raises(tq.TqError, match="between 0 and 1"):
        tq.fix(IT, EN, min_confidence=2)
