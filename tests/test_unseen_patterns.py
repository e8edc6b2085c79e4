"""Issue 20's patterns that the severity judge decides, each in sentences written here (none copied).

Real machine translations flip a negation or leave an Italian word in the English, and the checks
flag it; the judge must then keep it at major or above. Correct English around the same words stays
below major. Default configuration: the shipped judge, embedded checks and the LM when installed.
"""
from __future__ import annotations

import pytest

import tq


def pair(source: str, target: str):
    return tq.check_pairs([source], [target], mt="none", verify_languages=False).pairs[0]


def serious(p, check: str | None = None) -> list[tuple[str, str, str]]:
    return [(f.check, f.severity, p.target[f.start:f.end]) for f in p.findings if f.rank >= 2 and check in (None, f.check, *f.also)]


@pytest.mark.parametrize("source,flipped", [
    ("Il ministro ha confermato la notizia durante la conferenza stampa di ieri.",
     "The minister has not confirmed the news during yesterday's press conference."),
    ("La società non ha pagato le tasse dovute negli ultimi tre anni.",
     "The company has paid the taxes it owed over the last three years."),
    ("Il sindaco ha detto che la scuola riaprirà a settembre.",
     "The mayor said that the school will not reopen in September."),
])
def test_a_flipped_negation_is_major_or_worse(source, flipped):
    assert serious(pair(source, flipped)), "the negation flip should be flagged at major or above"


@pytest.mark.parametrize("source,target", [
    ("Il governo ha approvato ieri la riforma delle pensioni.", "The government approved the pensioni reform yesterday."),
    ("I vigili del fuoco hanno spento l'incendio dopo tre ore.", "The firefighters put out the incendio after three hours."),
    ("Il tribunale ha respinto il ricorso della compagnia aerea.", "The court rejected the ricorso of the airline."),
])
def test_an_italian_word_left_in_the_english_is_major_or_worse(source, target):
    assert serious(pair(source, target)), "the untranslated word should be flagged at major or above"


@pytest.mark.parametrize("source,target", [
    ("Il ministro ha confermato la notizia durante la conferenza stampa di ieri.",
     "The minister confirmed the news during yesterday's press conference."),
    ("La società non ha pagato le tasse dovute negli ultimi tre anni.",
     "The company has not paid the taxes it owed over the last three years."),
    ("Il governo ha approvato ieri la riforma delle pensioni.", "The government approved the pension reform yesterday."),
    ("Non è la prima volta che il fiume esonda in autunno.", "It is not the first time the river has flooded in autumn."),
])
def test_the_correct_translations_stay_below_major(source, target):
    assert serious(pair(source, target)) == []


def test_a_reversed_relation_is_major_or_worse():
    p = pair("Il presidente ha parlato con i giornalisti prima della riunione.",
             "The president spoke to reporters after the meeting.")
    assert serious(p), "«prima» rendered as 'after' says the opposite"


def test_an_opposite_with_its_scale_turned_round_is_no_antonym():
    p = pair("Quelli più economici costano meno di tremila corone.", "The least expensive ones cost under three thousand crowns.")
    assert not [f for f in p.findings if "antonym" in (f.check, *f.also)]
