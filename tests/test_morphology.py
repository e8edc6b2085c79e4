"""Verb groups analysed as one: tense, mood, aspect and person of Italian and English verbs (sentences written here)."""
from __future__ import annotations

import pytest

from tq.morphology import english_groups, english_verb, italian_verb, italian_word


def italian(text: str):
    *before, last = text.split()
    return italian_verb(last, before)


def english(text: str):
    *before, last = text.split()
    return english_verb(last, before)


@pytest.mark.parametrize("text, lemma, tense, mood, person, number", [
    ("Il sindaco parla", "parlare", "present", "indicative", 3, "singular"),
    ("i ministri parlavano", "parlare", "imperfect", "indicative", 3, "plural"),
    ("i soldati partirono", "partire", "past-historic", "indicative", 3, "plural"),
    ("il presidente disse", "dire", "past-historic", "indicative", 3, "singular"),
    ("gli operai vennero", "venire", "past-historic", "indicative", 3, "plural"),
    ("il paese crebbe", "crescere", "past-historic", "indicative", 3, "singular"),  # not a conditional in -rebbe
    ("la polizia cercherà", "cercare", "future", "indicative", 3, "singular"),
    ("i prezzi cominceranno", "cominciare", "future", "indicative", 3, "plural"),
    ("il governo potrebbe", "potere", "conditional", "conditional", 3, "singular"),
    ("come se parlasse", "parlare", "imperfect", "subjunctive", 3, "singular"),
    ("come se fossero", "essere", "imperfect", "subjunctive", 3, "plural"),
    ("il tribunale finisce", "finire", "present", "indicative", 3, "singular"),
    ("la fabbrica produce", "produrre", "present", "indicative", 3, "singular"),
    ("Il premier vuole", "volere", "present", "indicative", 3, "singular"),
])
def test_simple_italian_forms(text, lemma, tense, mood, person, number):
    form = italian(text)
    assert (form.lemma, form.tense, form.mood, form.person, form.number) == (lemma, tense, mood, person, number)
    assert not form.perfect and not form.progressive and form.finite


@pytest.mark.parametrize("text, lemma, tense, words, progressive, passive", [
    ("la giunta ha deciso", "decidere", "perfect", 2, False, False),
    ("la giunta non ha mai deciso", "decidere", "perfect", 3, False, False),  # «ha mai deciso»: «non» comes before the group
    ("il sindaco aveva firmato", "firmare", "pluperfect", 2, False, False),
    ("il sindaco avrà firmato", "firmare", "future-perfect", 2, False, False),
    ("il sindaco avrebbe firmato", "firmare", "conditional-perfect", 2, False, False),
    ("il piano è stato approvato", "approvare", "perfect", 3, False, True),
    ("il piano era stato approvato", "approvare", "pluperfect", 3, False, True),
    ("il ministro si è dimesso", "dimettere", "perfect", 2, False, False),
    ("il governo sta preparando", "preparare", "present", 2, True, False),
    ("il governo stava preparando", "preparare", "imperfect", 2, True, False),
    ("il decreto viene firmato", "firmare", "present", 2, False, True),
    ("il ministro deve partire", "partire", "present", 2, False, False),
])
def test_italian_compound_groups_are_one(text, lemma, tense, words, progressive, passive):
    form = italian(text)
    assert (form.lemma, form.tense, form.words, form.progressive, form.passive) == (lemma, tense, words, progressive, passive)


def test_essere_and_a_participle_keeps_both_readings():
    # «è arrivato» is a perfect, «è considerato» a present passive: without telling the verbs apart, both stay open
    form = italian("il treno è arrivato")
    assert form.tense is None and form.readings == ("perfect", "present") and form.perfect
    assert italian("il treno era arrivato").readings == ("pluperfect", "imperfect")


def test_a_copula_and_its_predicate():
    assert (italian("la città era piena").lemma, italian("la città era piena").tense) == ("essere", "imperfect")
    assert italian("il problema è stato grave").tense == "perfect"
    assert italian("il voto era un problema").tense == "imperfect"


@pytest.mark.parametrize("text", ["il fatto", "un rapido passaggio", "dopo un accordo", "firmato un accordo",
                                  "Il sindaco Rossi", "probabilmente"])
def test_nouns_names_and_adverbs_are_no_verb_group(text):
    assert italian(text) is None


def test_non_finite_italian_forms():
    assert italian_word("facendo").mood == "gerund"
    assert italian_word("firmare").mood == "infinitive"
    assert italian_word("farlo").mood == "infinitive"
    assert italian_word("firmato").mood == "participle"
    assert italian("il ministro è partito").perfect


@pytest.mark.parametrize("text, lemma, tense, progressive, perfect, passive", [
    ("he says", "say", "present", False, False, False),
    ("she said", "say", "past", False, False, False),
    ("he has said", "say", "perfect", False, True, False),
    ("they had been", "be", "pluperfect", False, True, False),
    ("they will have done", "do", "future", False, True, False),
    ("it is doing", "do", "present", True, False, False),
    ("it was doing", "do", "past", True, False, False),
    ("she would have gone", "go", "conditional", False, True, False),
    ("he has been working", "work", "perfect", True, True, False),
    ("the law was approved", "approve", "past", False, False, True),
    ("the law is being approved", "approve", "present", True, False, True),
    ("he did not say", "say", "past", False, False, False),
    ("it won't happen", "happen", "future", False, False, False),
    ("they have not yet decided", "decide", "perfect", False, True, False),
    # a regular past in its British spelling, a participle the tables leave out: both perfects after "has"
    ("the war has fuelled", "fuel", "perfect", False, True, False),
    ("it has proven", "prove", "perfect", False, True, False),
])
def test_english_verb_groups(text, lemma, tense, progressive, perfect, passive):
    form = english(text)
    assert (form.lemma, form.tense, form.progressive, form.perfect, form.passive) == (lemma, tense, progressive, perfect, passive)
    assert form.finite


def test_english_groups_are_each_found_once_with_their_span():
    text = "The plan has been approved, but the mayor was still working on it."
    assert [(text[g.start:g.end], g.form.tense) for g in english_groups(text)] == [
        ("has been approved", "perfect"), ("was still working", "past")]


@pytest.mark.parametrize("text", ["the confirmed cases were few", "peace talks resumed", "an oval-shaped space"])
def test_participles_nouns_and_compounds_are_no_finite_verbs(text):
    assert not [g for g in english_groups(text) if g.form.finite and text[g.head_start:g.head_end] in
                ("confirmed", "talks", "shaped")]


def test_names_and_acronyms_are_no_auxiliaries():
    assert english("Theresa May said").tense == "past"  # not the modal "may"
    assert english("One Welsh AM said").words == 1      # not "am said"
    assert english("to say").mood == "infinitive" and not english("to say").finite


def test_a_question_takes_its_tense_from_do_and_read_is_no_present():
    text = "Did you leak the document?"
    assert [(text[g.start:g.end], g.form.tense) for g in english_groups(text)] == [("Did", "past")]
    assert not [g for g in english_groups("I read the paper.") if g.form.tense == "present"]
