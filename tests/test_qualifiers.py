"""added-qualifier: a word that changes the claim (hearsay, "only"/"almost" before a number, "former", "partly")
with nothing in the source that says it. Sentences of our own."""
from __future__ import annotations

import pytest

import tq
from tq.checks.qualifiers import AddedQualifierCheck
from tq.types import Pair


def flagged(source: str, target: str) -> list[str]:
    """The check alone, on one pair: the English it flags."""
    pair = Pair(index=0, src_ids=[0], tgt_ids=[0], source=source, target=target)
    return [target[f.start:f.end] for f in AddedQualifierCheck().check_pair(pair, None)]


ADDED = [
    ("Il ministro è stato arrestato a Roma.", "The minister was reportedly arrested in Rome.", "reportedly "),
    ("Il sindaco ha incontrato il killer.", "The mayor met the alleged killer.", "alleged "),
    ("Sono morte 10 persone nell'incendio.", "Only 10 people died in the fire.", "Only "),
    ("Il museo ha ricevuto 200 visitatori.", "The museum received almost 200 visitors.", "almost "),
    ("Il ministro ha parlato ai giornalisti.", "The former minister spoke to reporters.", "former "),
    ("La ricerca è stata finanziata dall'università.", "The research was partly funded by the university.", "partly "),
]

RENDERED = [
    # the Italian says the same in its own way: the conditional of news reports, «secondo», «presunto», «solo», «ex»
    ("Il ministro sarebbe stato arrestato a Roma.", "The minister was reportedly arrested in Rome."),
    ("Secondo la polizia, il ministro è stato arrestato.", "The minister was allegedly arrested, police said."),
    ("Il sindaco ha incontrato il presunto killer.", "The mayor met the alleged killer."),
    ("Sono morte soltanto 10 persone.", "Only 10 people died."),
    ("Il museo ha ricevuto quasi 200 visitatori.", "The museum received almost 200 visitors."),
    ("Il museo ha ricevuto circa 200 visitatori.", "The museum received nearly 200 visitors."),
    ("L'ex ministro ha parlato ai giornalisti.", "The former minister spoke to reporters."),
    ("La ricerca è stata finanziata in parte dall'università.", "The research was partly funded by the university."),
]

NOT_QUALIFIERS = [
    # "alleged" the verb, "only" not before a number, "not only", "just" as "fairly"
    ("Zinke ha asserito che è un pretesto.", "Zinke alleged that it is a pretext."),
    ("È l'unica strada.", "It is the only way."),
    ("Non solo dieci persone, ma cento.", "Not only 10 people but a hundred."),
    ("Il risultato è giusto.", "The result is just."),
    # "formerly" is no "former": it says what a name was, not that a role is past
    ("Il paese, chiamato La grande provincia, nacque nel XVI secolo.",
     "The country, formerly called The Giant Province, was born in the 16th century."),
]


@pytest.mark.parametrize("source, target, word", ADDED)
def test_an_added_qualifier_is_flagged(source, target, word):
    assert flagged(source, target) == [word]


@pytest.mark.parametrize("source, target", RENDERED)
def test_a_qualifier_the_source_says_is_not(source, target):
    assert flagged(source, target) == []


@pytest.mark.parametrize("source, target", NOT_QUALIFIERS)
def test_words_that_only_look_like_qualifiers_are_not(source, target):
    assert flagged(source, target) == []


def test_the_finding_is_a_major_addition_whose_deletion_restores_the_claim():
    source, target = "Il ministro è stato arrestato a Roma.", "The minister was reportedly arrested in Rome."
    report = tq.check_pairs([source], [target], verify_languages=False, calibrate=False)
    found = [f for f in report.pairs[0].findings if f.check == "added-qualifier"]
    assert len(found) == 1
    finding = found[0]
    assert (finding.severity, finding.category) == ("major", "accuracy/addition")
    assert "hearsay" in finding.message
    fixed = target[:finding.start] + finding.suggestion + target[finding.end:]
    assert fixed == "The minister was arrested in Rome."
    # a suggestion a list may have got wrong is the editor's to take: tq fix does not write it unasked
    from tq.fixes import RULE_CONFIDENCE
    assert finding.confidence < RULE_CONFIDENCE
