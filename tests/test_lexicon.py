"""The word alignment inside a pair (tq/lexicon.py): dictionary, cognates, word vectors, and what is left over."""
from __future__ import annotations

import pytest

from tq.lexicon import antonyms, cognates, exonyms, is_content, lemmas, runs, translations
from tq.models.encoder import get_encoder
from tq.score import pair_score
from tq.types import Pair
from tq.wordalign import align_sentence


@pytest.fixture(scope="module")
def encoder():
    return get_encoder()


def test_multiwordnet_translations_and_antonyms():
    assert "new" in translations("nuove")              # plural adjective -> lemma -> synsets
    assert "release" in translations("liberati")       # participle -> infinitive
    assert "old" in antonyms("new")
    assert "give" not in antonyms("take")  # verbs' opposites are left out (too loose)
    assert "middle" in translations("medioevo", parts=True) and "middle" not in translations("medioevo")


def test_lemmas_content_words_and_cognates():
    assert "child" in lemmas("children", "en") and "liberare" in lemmas("liberati", "it")
    assert is_content("ospedale", "it") and not is_content("della", "it") and not is_content("potevano", "it")
    assert is_content("hospital", "en") and not is_content("would", "en")
    assert cognates("presidente", "president") and cognates("Biškek", "Bishkek") and cognates("IA", "AI")
    assert not cognates("gatto", "cat")
    assert exonyms()["Galles"] == ("Wales", "Welsh")
    assert runs([1, 2, 3, 7, 9, 10]) == [[1, 2, 3], [7], [9, 10]]


def test_alignment_links_and_leftovers(encoder):
    source = "Il presidente ha incontrato i ministri degli esteri a Bruxelles."
    faithful = align_sentence(source, "The president met the foreign ministers in Brussels.", encoder)
    assert faithful.uncovered == [] and faithful.unsupported == []
    assert faithful.coverage > 0.9
    dropped = align_sentence(source, "The president met in Brussels.", encoder)
    assert [dropped.source[i].text for i in dropped.uncovered] == ["ministri", "esteri"]
    assert dropped.coverage < faithful.coverage
    # where the dropped words belong: after "met", before "Brussels"
    lo, hi = dropped.counterpart(dropped.uncovered, "source")
    assert dropped.target[lo - 1].text == "met" and dropped.target[hi].text == "Brussels"


def test_names_link_by_their_letters_only(encoder):
    alignment = align_sentence("Lo ha detto Merkel a Parigi.", "Scholz said so in Paris.", encoder)
    assert [alignment.source[i].text for i in alignment.uncovered] == ["Merkel"]
    assert [alignment.target[j].text for j in alignment.unsupported] == ["Scholz"]


@pytest.mark.parametrize("source, target", [("", "The cat."), ("Il gatto.", ""), ("", ""), ("123 456", "... !!!"),
                                            ("Il gatto dorme.", "Il gatto dorme.")])
def test_degenerate_pairs_do_not_break_the_alignment(encoder, source, target):
    alignment = align_sentence(source, target, encoder)
    assert 0.0 <= alignment.coverage <= 1.0
    assert len(alignment.uncovered) <= len(alignment.source) and len(alignment.unsupported) <= len(alignment.target)


def test_coverage_and_fluency_refine_the_score_but_findings_decide_it():
    base = Pair(0, "Il gatto dorme sul divano.", "The cat sleeps on the sofa.", (0,), (0,), similarity=0.8)
    full = pair_score(base, digits=None)
    base.word_coverage, base.lm_surprisal = 0.5, 7.0
    refined = pair_score(base, digits=None)
    assert 0.8 * 0.8 * full <= refined < full


def test_dictionary_phrases_find_multiword_entries_with_their_renderings():
    from tq.lexicon import dictionary_phrases

    text = "Dal suo punto di vista la testa di ponte era persa, e presero parte alla ritirata."
    found = {text[start:end]: renderings for start, end, renderings in dictionary_phrases(text)}
    assert "bridgehead" in found["testa di ponte"]
    assert "standpoint" in found["punto di vista"]
    assert "attend" in found["presero parte"]  # the first word looked up by its lemma (prendere)
    assert all(" " in phrase for phrase in found)  # single words are translations(), not phrases


def test_renderings_of_many_entries_in_one_query_equal_their_lookups_one_by_one():
    from tq.lexicon import lexicon

    table = lexicon()
    entries = ["testa di ponte", "punto di vista", "prendere parte", "casa", "nessuna voce cosi", "testa di ponte"]
    found = table.renderings(entries)
    assert set(found) == {"testa di ponte", "punto di vista", "prendere parte", "casa"}  # absent entries are left out
    for entry, renderings in found.items():
        assert renderings == table.translations(entry) | table.parts(entry)
    assert table.renderings([]) == {}
