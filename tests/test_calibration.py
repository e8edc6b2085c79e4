"""Severity calibration: the map derived from suite counts, and its effect on reports."""
from __future__ import annotations

import json

import tq
from tq.calibration import CALIBRATION_FILE, apply_calibration, derive_calibration, load_calibration
from tq.types import Finding, Pair


def test_a_check_that_fires_on_clean_text_is_demoted():
    mapping, evidence = derive_calibration({("noisy", "critical"): 8}, 200, {("noisy", "critical"): {"critical": 30}})
    assert mapping == {"noisy": {"critical": "minor"}}  # 4% of clean pairs: over the major budget too
    assert evidence["noisy"]["critical"]["clean_rate"] == 0.04


def test_a_quiet_check_that_catches_critical_errors_is_promoted():
    mapping, _ = derive_calibration({("numbers", "major"): 1}, 400, {("numbers", "major"): {"critical": 40, "minor": 2}})
    assert mapping == {"numbers": {"major": "critical"}}


def test_too_little_evidence_changes_nothing():
    mapping, _ = derive_calibration({}, 400, {("rare", "minor"): {"critical": 3}})
    assert mapping == {}


def test_apply_calibration_rewrites_severities_in_place():
    pair = Pair(0, "a", "b", (0,), (0,), findings=[Finding("accuracy/mistranslation", "major", 0, 1, "m", "numbers"),
                                                   Finding("fluency/spelling", "minor", 0, 1, "m", "spelling")])
    apply_calibration([pair], {"numbers": {"major": "critical"}})
    assert [f.severity for f in pair.findings] == ["critical", "minor"]


def test_shipped_calibration_records_how_it_was_made():
    payload = json.loads(CALIBRATION_FILE.read_text("utf-8"))
    assert payload["generated_by"] == "tq bench detect --calibrate"
    assert payload["suite"]["split"] == "dev" and payload["suite"]["clean_pairs"] > 0
    assert load_calibration() == payload["severity"]


def test_reports_use_calibrated_severities_unless_switched_off():
    mapping = load_calibration()
    report_raw = tq.check_pairs(["Il ponte è lungo 120 metri."], ["The bridge is 210 metres long."], lm="none", mt="none",
                                calibrate=False)
    report = tq.check_pairs(["Il ponte è lungo 120 metri."], ["The bridge is 210 metres long."], lm="none", mt="none")
    raw = {(f.check, f.severity) for _, f in report_raw.findings}
    assert raw, "the number check should flag 210 for 120"
    expected = {(check, mapping.get(check, {}).get(severity, severity)) for check, severity in raw}
    assert {(f.check, f.severity) for _, f in report.findings} == expected


def test_detect_bench_scores_a_tiny_suite():
    """Detection, false flags and pairwise accuracy on hand-made cases, through the real checks."""
    from tq.bench.detect import calibrated, evaluate, run_checks
    from tq.bench.errorsuite import Case

    source, clean = "Il ponte, costruito nel 1932, è lungo 120 metri.", "The bridge, built in 1932, is 120 metres long."
    bad = "The bridge, built in 1932, is 210 metres long."
    cases = [Case("T:1:clean", "T", "d", 1, "test", source, clean, clean, "clean", "", "none", 0, 0),
             Case("T:1:number", "T", "d", 1, "test", source, clean, bad, "number", "accuracy/mistranslation", "critical", 30, 33)]
    pairs = run_checks(cases, lm="none")
    result = evaluate(cases, calibrated(pairs, {}))
    assert result.by_kind["number"].span == 1 and result.by_kind["number"].pairwise == 1
    assert result.false_major == 0 and result.clean == 1
    demoted = evaluate(cases, calibrated(pairs, {"numbers": {"critical": "major"}}))
    assert demoted.by_kind["number"].span == 0 and demoted.by_kind["number"].sentence == 0  # "major" is below "critical"
