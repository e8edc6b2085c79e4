"""The tense check on aligned verb groups: clear contradictions of tense or aspect, and the guards (sentences written here)."""
from __future__ import annotations

import pytest

import tq


def tense_findings(source: str, target: str) -> list[tuple[str, str, str]]:
    report = tq.check_pairs([source], [target], verify_languages=False, calibrate=False, lm="none", mt="none")
    pair = report.pairs[0]
    return [(pair.target[f.start:f.end], f.severity, f.message) for f in pair.findings if f.check == "tense"]


@pytest.mark.parametrize("source, target, flagged, kind", [
    ("La città era piena di turisti.", "The city is full of tourists.", "is", "is present"),
    ("Il sindaco ha firmato il decreto.", "The mayor will sign the decree.", "will sign", "is future"),
    ("Il sindaco aveva firmato il decreto.", "The mayor has signed the decree.", "has signed", "is present perfect"),
    ("Il piano sarà pronto a marzo.", "The plan would be ready in March.", "would be", "is conditional"),
    ("Il presidente parlerà domani al Senato.", "The president spoke to the Senate tomorrow.", "spoke", "is past"),
    # aspect: a progressive for a finished act, a finished act for a progressive
    ("Il sindaco ha firmato il decreto.", "The mayor was signing the decree.", "was signing", "another aspect"),
    ("Il sindaco sta firmando il decreto.", "The mayor has signed the decree.", "has signed", "another aspect"),
    # a verb of showing with a plain object reports nothing: its tense is compared
    ("Il vaccino sta dando risultati promettenti.", "The vaccine was showing promising results.", "was showing", "is past"),
])
def test_a_contradiction_is_one_major_finding_on_the_verb_group(source, target, flagged, kind):
    found = tense_findings(source, target)
    assert len(found) == 1, found
    text, severity, message = found[0]
    assert (text, severity) == (flagged, "major") and kind in message and "«" in message


@pytest.mark.parametrize("source, target", [
    # reported speech shifts tenses back
    ("Il ministro ha detto che il piano è pronto.", "The minister said the plan was ready."),
    # a subjunctive follows the main verb
    ("Si comportano come se fossero i padroni.", "They behave as if they are the owners."),
    # a historical present
    ("Nel 1945 Hitler si uccide nel bunker di Berlino.", "In 1945 Hitler killed himself in the Berlin bunker."),
    # English uses a progressive where Italian has its present; a passato prossimo is an English simple past
    ("Il governo prepara una nuova legge.", "The government is preparing a new law."),
    ("Il sindaco ha firmato il decreto.", "The mayor signed the decree."),
    ("Il sindaco ha firmato il decreto.", "The mayor has signed the decree."),
    # news English reports in a tense of its own; "would like" is a polite present; what was started goes on
    ("Il ministro dice che il piano è pronto.", "The minister said the plan is ready."),
    # after a past verb of saying or knowing, Italian puts what holds still in the imperfect, English in the present
    ("Sapevo solo che era quello che avevo sempre sognato.", "I just knew that this is what I had always dreamt of."),
    ("Il ministro vuole incontrare il presidente.", "The minister would like to meet the president."),
    ("Una tata ha citato in giudizio la famiglia.", "A nanny is suing the family."),
    # «è arrivato» is a perfect or a present passive: a past renders it either way
    ("Il treno è arrivato in ritardo.", "The train arrived late."),
])
def test_the_same_time_said_another_way_is_not_flagged(source, target):
    assert tense_findings(source, target) == []


@pytest.mark.parametrize("source, target, flagged", [
    # the content words are paraphrased; the copula the word aligner links to «sono» carries the tense
    ("I piatti sono facili da digerire.", "The dishes were easily digestible.", "were"),
    ("Le strade sono piene di gente.", "The streets were crowded.", "were crowded"),
])
def test_a_verb_linked_only_through_its_auxiliary_is_compared(source, target, flagged):
    assert [(text, severity) for text, severity, _ in tense_findings(source, target)] == [(flagged, "major")]


@pytest.mark.parametrize("source, target", [
    ("I piatti sono facili da digerire.", "The dishes are easily digestible."),
    ("Le strade sono piene di gente.", "The streets are crowded."),
    # "read" is a past as well as a present; "did" carries the question's tense, not "leak"
    ("Ho letto il giornale.", "I read the paper."),
    ("Hai fatto trapelare il documento?", "Did you leak the document?"),
    # a verb of showing or thinking that reports a clause keeps news English's own tense
    ("Lo studio mostra che il vaccino funziona.", "The study showed that the vaccine works."),
    ("Il ministro pensa che il piano sia pronto.", "The minister thought the plan was ready."),
    # a reporting verb after a sentence adverb still shifts what follows it back
    ("Moualem ha comunque sottolineato che il piano ha delle scadenze.", "Moualem however stressed that the plan had deadlines."),
    # «state» after «sono» is essere's participle, not stare's «(voi) state»: a finished past, as "were killed" says
    ("Tre persone sono state uccise.", "Three people were killed."),
])
def test_the_same_tense_through_an_auxiliary_link_is_not_flagged(source, target):
    assert tense_findings(source, target) == []
