"""The error suite: every corruption on hand-written sentences, and a seeded build on a tiny fake data folder."""
from __future__ import annotations

import json
import random
import re
from collections import Counter
from pathlib import Path

import pytest

from tq.bench.errorsuite import (
    CORRUPTIONS,
    SUITE_VERSION,
    Case,
    Corruption,
    build_suite,
    load_pairs,
    read_suite,
    write_suite,
)
from tq.types import SEVERITIES

TQ_CATEGORIES = {"accuracy/mistranslation", "accuracy/omission", "accuracy/addition", "accuracy/untranslated",
                 "fluency/grammar", "fluency/spelling", "fluency/punctuation"}
POOL = ["Officials said, the storm damaged several roads in the north.", "Yesterday Verdi visited Milan."]
NEUTRAL = "We sing songs loudly every evening."

# kind -> (source, english, check on the span text or None for a zero-width deletion)
APPLIES: dict[str, tuple[str, str, object]] = {
    "negation-added": ("Il piano è pronto per il voto.", "The plan is ready for the vote.", "not"),
    "negation-removed": ("", "The minister has not confirmed the news.", None),
    "antonym": ("I prezzi sono saliti l'anno scorso.", "Prices rose sharply last year.", {"fell", "first"}),
    "number": ("", "The company hired 1,250 workers in 2019.", lambda s: re.fullmatch(r"\d{1,3}(,\d{3})*0?|\d+", s)),
    "entity-replaced": ("Il sindaco Rossi ha incontrato Bianchi a Roma.", "The mayor Rossi met Bianchi in Rome.",
                        {"Verdi", "Milan"}),
    "entity-dropped": ("Il trattato è stato firmato da Angela Merkel.", "The treaty was signed by Angela Merkel last week.",
                       None),
    "clause-dropped": ("", "The museum, which opened in 1990 after years of delays, attracts many visitors.", None),
    "clause-added": ("", "The bridge was closed for repairs.", "the storm damaged several roads in the north"),
    "shuffled": ("", "One two three four five six seven eight nine.", lambda s: len(s.split()) >= 5),
    "untranslated": ("Il ponte è chiuso.", "The bridge is closed.", "Il ponte è chiuso."),
    "tense": ("", "The plan is ready.", "was"),
    "pp-dropped": ("", "The children played in the old park, then went home.", None),
    "broader-word": ("Il presidente ha visitato l'ospedale.", "The chairman visited the hospital.",
                     {"leader", "building"}),
    "question": ("", "The plan is ready.", "Is the plan ready?"),
    "untranslated-word": ("La crisi economica ha colpito il paese.", "The economic crisis hit the country.",
                          {"crisi economica", "crisi", "economica", "colpito", "paese"}),
    "aspect": ("", "The company has reported a loss.", "reported"),
    "gender": ("", "She said her family was safe.", {"He", "his"}),
    "words-added": ("", "The house was destroyed by fire.", {"reportedly", "allegedly", "partly"}),
    "noun-dropped": ("Il ministro della salute ha parlato.", "The health minister spoke.", None),
    "verb-dropped": ("", "He was arrested and charged on Monday.", None),
    "subject-dropped": ("Il ministro ha detto che il piano è pronto.", "The minister said the plan was ready.", "Said"),
    "modifier-dropped": ("", "Prices rose sharply in March.", None),
    "repeated-word": ("", "Cats sleep.", "Cats"),
    "function-word": ("", "She walked to the station.", {"a", "in", "on", "at", "for", "of", "with", "from"}),
    "misspelling": ("", "Cats sleep.", lambda s: s != "sleep" and sorted(s.replace("ll", "l").replace("pp", "p"))
                    in (sorted("sleep"),)),
    "char-dropped": ("", "Cats sleep.", {"seep", "slep", "slee"}),
    "final-punct-dropped": ("", 'He said "yes."', None),
    "casing": ("", "Cats like Rome.", {"Like", "rome"}),
    "spacing": ("", "First, second.", {"t,s", " ,"}),
    "dangling-word": ("", "She confirmed the news.", {"the", "to", "of", "a"}),
    "function-word-pair": ("", "She walked to the station.", {"of to", "the to", "for to", "with to", "from to"}),
    "calque": ("", "The bridge has been closed for three years.", {"is been", "since three years"}),
    "word-order": ("", "She told them about the plan.", "them told"),
    "adverb-order": ("", "He also said that the plan was ready.", "said also"),
}
EXACT = {  # kinds whose only candidate gives a known sentence
    "negation-added": "The plan is not ready for the vote.",
    "negation-removed": "The minister has confirmed the news.",
    "aspect": "The company reported a loss.",
    "noun-dropped": "The minister spoke.",
    "verb-dropped": "He was charged on Monday.",
    "subject-dropped": "Said the plan was ready.",
    "modifier-dropped": "Prices rose in March.",
    "entity-dropped": "The treaty was signed last week.",
    "clause-dropped": "The museum attracts many visitors.",
    "clause-added": "The bridge was closed for repairs, the storm damaged several roads in the north.",
    "tense": "The plan was ready.",
    "pp-dropped": "The children played, then went home.",
    "question": "Is the plan ready?",
    "repeated-word": "Cats Cats sleep.",
    "final-punct-dropped": 'He said "yes"',
    "untranslated": "Il ponte è chiuso.",
    "word-order": "She them told about the plan.",
    "adverb-order": "He said also that the plan was ready.",
}
NOT_APPLIES: dict[str, tuple[str, str, list[str]]] = {
    "negation-added": ("", NEUTRAL, POOL),
    "negation-removed": ("", "They did not find any trace of it.", POOL),  # "any" needs the negation
    "antonym": ("", NEUTRAL, POOL),
    "number": ("", NEUTRAL, POOL),
    "entity-replaced": ("Il sindaco Rossi.", "The mayor Rossi spoke.", []),  # no other name in the pool
    "entity-dropped": ("In Pennsylvania la Corte Suprema", "It ruled after the Pennsylvania Supreme Court ruled.", POOL),
    "clause-dropped": ("", "The museum, which opened, attracts visitors.", POOL),
    "clause-added": ("", "The bridge was closed for repairs.", ["Too short, really."]),
    "shuffled": ("", "Too short here.", POOL),
    "untranslated": ("", "The bridge is closed.", POOL),
    "tense": ("", NEUTRAL, POOL),
    "pp-dropped": ("", "Dogs bark loudly at night.", POOL),  # "at night" is only two words
    "broader-word": ("", NEUTRAL, POOL),
    "question": ("", "Is it ready?", POOL),
    "untranslated-word": ("Il film è uscito.", "The film came out.", POOL),  # the same word in both languages
    "aspect": ("", NEUTRAL, POOL),
    "gender": ("Lui e lei sono arrivati.", "He and she arrived.", POOL),  # both already marked
    "words-added": ("", "Cats sleep.", POOL),
    "noun-dropped": ("", NEUTRAL, POOL),
    "verb-dropped": ("", "He said that the plan was ready.", POOL),  # never "He that ..."
    "subject-dropped": ("", "Is it ready?", POOL),
    "modifier-dropped": ("", "It happened next year.", POOL),  # "next year" needs its "next"
    "repeated-word": ("", "Hello.", POOL),
    "function-word": ("", NEUTRAL, POOL),
    "misspelling": ("", "I am ok.", POOL),
    "char-dropped": ("", "I am ok.", POOL),
    "final-punct-dropped": ("", "No final punctuation", POOL),
    "casing": ("", "Hi.", POOL),
    "spacing": ("", "Hello there.", POOL),
    "dangling-word": ("", "Is it ready?", POOL),
    "function-word-pair": ("", NEUTRAL, POOL),
    "calque": ("", NEUTRAL, POOL),
    "word-order": ("", "He said it was late.", POOL),  # "it" is the subject of what follows: no "He it said was late"
    "adverb-order": ("", "She often goes to the market.", POOL),  # after a verb and before a preposition English allows it
}


def _run(kind: str, source: str, english: str, pool: list[str], seed: int = 0) -> Corruption | None:
    return CORRUPTIONS[kind][2](source, english, random.Random(seed), pool)


def test_registry() -> None:
    assert set(APPLIES) == set(CORRUPTIONS) == set(NOT_APPLIES)
    for category, severity, function in CORRUPTIONS.values():
        assert category in TQ_CATEGORIES and severity in SEVERITIES and callable(function)


@pytest.mark.parametrize("kind", sorted(APPLIES))
@pytest.mark.parametrize("seed", range(5))
def test_corruption_applies(kind: str, seed: int) -> None:
    source, english, expected = APPLIES[kind]
    c = _run(kind, source, english, POOL, seed)
    assert c is not None and c.text != english
    assert (c.kind, c.category, c.severity) == (kind, *CORRUPTIONS[kind][:2])
    assert 0 <= c.start <= c.end <= len(c.text)
    span = c.text[c.start:c.end]
    if kind == "clause-added":
        assert c.text[c.start - 2:c.start] == ", "
    else:  # outside the span the sentence is untouched
        assert english.startswith(c.text[:c.start]) and english.endswith(c.text[c.end:])
    if expected is None:
        assert c.start == c.end
    elif isinstance(expected, str):
        assert span == expected
    elif isinstance(expected, set):
        assert span in expected
    else:
        assert expected(span), span
    if kind in EXACT:
        assert c.text == EXACT[kind]


@pytest.mark.parametrize("kind", sorted(NOT_APPLIES))
def test_corruption_does_not_apply(kind: str) -> None:
    assert _run(kind, *NOT_APPLIES[kind]) is None


def test_details() -> None:
    removed = _run("negation-removed", "", "He did not attend the meeting.", [])
    assert removed and removed.text == "He did attend the meeting." and removed.start == removed.end == 6
    assert _run("negation-removed", "", "They won't come.", []).text == "They will come."
    number = _run("number", "", "It cost 1,250 euros.", [])
    assert number and re.fullmatch(r"1,2\d\d", number.text[number.start:number.end])
    assert _run("question", "", "Rossi said the plan was ready.", []).text == "Rossi said the plan was ready?"
    added = _run("clause-added", "", "It rained.", ["Yesterday the minister Verdi visited Milan."])
    assert added and added.text == "It rained, yesterday the minister Verdi visited Milan."
    shuffled = _run("shuffled", "", APPLIES["shuffled"][1], [])
    assert sorted(shuffled.text.split()) == sorted(APPLIES["shuffled"][1].split())


ITALIAN = "Questa è una frase italiana numero {} con abbastanza parole dentro."
ENGLISH = ["The mayor of Rome said on Monday that {} new buses will arrive in the city, which needs them.",
           "Scientists have not found any water on the planet, but they are still looking for {} signs.",
           "The team won the first match in {} minutes and the fans celebrated in the old square."]


def _fake_data(root: Path) -> Path:
    """The three corpora's file layout with a few lines each (one too short to be picked)."""
    def write(path: str, rows: list[str]) -> None:
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text("\n".join(rows) + "\n", "utf-8")
    for stem, n in (("flores/devtest", 6), ("ntrex/newstest2019", 6), ("wmt09/newstest2009", 45)):
        write(stem + ".it", [ITALIAN.format(i) for i in range(n)] + ["Troppo corta."])
        write(stem + ".en", [ENGLISH[i % 3].format(i + 2) for i in range(n)] + ["Too short."])
    write("flores/devtest.meta.tsv", ["URL\tdomain"] + [f"https://example.org/{i // 3}\tnews" for i in range(7)])
    write("ntrex/document_ids.tsv", [f"doc.{i // 2}" for i in range(7)])
    return root


def test_build_suite_is_deterministic(tmp_path: Path) -> None:
    data = _fake_data(tmp_path / "data")
    pairs = load_pairs(data)
    assert Counter(p.corpus for p in pairs) == {"FLORES": 7, "NTREX": 7, "WMT09": 46}
    assert {p.doc for p in pairs if p.corpus == "WMT09"} == {"block0", "block1", "block2"}
    cases = build_suite(data, seed=3, sentences=9, per_sentence=3)
    assert cases == build_suite(data, seed=3, sentences=9, per_sentence=3)
    clean = {c.id: c for c in cases if c.kind == "clean"}
    assert len(clean) == 9 and Counter(c.corpus for c in clean.values()) == {"FLORES": 3, "NTREX": 3, "WMT09": 3}
    assert len({c.id for c in cases}) == len(cases)
    assert max(Counter(c.kind for c in cases if c.kind != "clean").values()) <= 2  # balanced kinds
    for c in cases:
        assert c.split in ("dev", "test") and c.reference != "Too short."
        twin = clean[f"{c.corpus}:{c.line}:clean"]
        assert (twin.source, twin.reference, twin.doc, twin.split) == (c.source, c.reference, c.doc, c.split)
        if c.kind == "clean":
            assert (c.target, c.category, c.severity, c.start, c.end) == (c.reference, "", "none", 0, 0)
        else:
            assert c.target != c.reference and c.severity in SEVERITIES and c.id.endswith(":" + c.kind)
    same_doc = {}
    for c in cases:  # the split is per document
        assert same_doc.setdefault((c.corpus, c.doc), c.split) == c.split

    path = tmp_path / "suite.jsonl"
    write_suite(cases, path)
    header = json.loads(path.read_text("utf-8").splitlines()[0])
    assert header == {"suite": "tq.errorsuite", "version": SUITE_VERSION, "seed": 3, "sentences": 9, "per_sentence": 3}
    back = read_suite(path)
    assert back == cases and all(isinstance(c, Case) for c in back)
    path.write_text('{"suite": "other"}\n', "utf-8")
    with pytest.raises(ValueError):
        read_suite(path)


@pytest.mark.parametrize("kind", sorted(APPLIES))
def test_corruption_is_deterministic(kind: str) -> None:
    source, english, _ = APPLIES[kind]
    assert all(_run(kind, source, english, POOL, seed) == _run(kind, source, english, POOL, seed) for seed in range(3))


def _all(kind: str, source: str, english: str, seeds: int = 12) -> set[str]:
    """Every corrupted text the kind gives over a few seeds."""
    return {c.text for seed in range(seeds) if (c := _run(kind, source, english, [], seed))}


def test_new_kinds_details() -> None:
    assert _all("negation-added", "Lei ha confermato la notizia.", "She confirmed the news.") == {
        "She did not confirm the news.", "She never confirmed the news."}
    assert _all("negation-added", "", "Then Rossi said it.") == {"Then Rossi did not say it.", "Then Rossi never said it."}
    assert _all("negation-removed", "", "Nothing was stolen.") == {"Something was stolen."}
    assert _all("negation-removed", "", "There were no injuries.") == {"There were injuries."}
    assert _all("negation-removed", "", "There was no permit.") == set()  # "There was permit" needs an article
    assert _all("aspect", "", "The workers are waiting for news.") == {"The workers wait for news."}
    assert _all("aspect", "", "She visited the school.") == {
        "She has visited the school.", "She had visited the school.", "She was visiting the school."}
    assert _all("aspect", "", "It may have worked.") == set()  # no "may worked"
    assert _all("gender", "", "They thanked her.") == {"They thanked him."}
    assert _all("gender", "", "They took her car.") == {"They took his car."}
    assert _all("gender", "", "They met her son.") == set()  # a woman and a man: a swap may point at the other
    assert _all("words-added", "", "The storm killed 40 people in 2019.") == {
        "The storm killed only 40 people in 2019.", "The storm killed almost 40 people in 2019."}  # never "in only 2019"
    assert _all("untranslated-word", "Il governo ha deciso.", "The government decided.") == {
        "The governo decided.", "The government deciso."}
    assert _all("verb-dropped", "Il sindaco ha deciso di chiudere la scuola.", "The mayor decided to close the school.") == {
        "The mayor decided the school."}
    assert _all("subject-dropped", "", "The plan is ready because he worked hard.") == {
        "The plan is ready because worked hard."}
    assert _all("noun-dropped", "La polizia ha arrestato il capo e i suoi figli.", "Police arrested the leader and his sons.") == {
        "Police arrested the leader."}
    assert _all("broader-word", "Gli ospedali sono chiusi.", "The hospitals are closed.") == {"The buildings are closed."}
    assert _all("broader-word", "", "The school day ended.") == set()  # "school" is no head noun here
    assert _all("modifier-dropped", "", "It was an important decision.") == set()  # "an decision"


def test_machine_translation_garbles() -> None:
    """The fluency kinds that imitate what a machine translation of Italian leaves (suite version 3)."""
    assert _all("dangling-word", "", "She confirmed the news.") == {
        "She the confirmed the news.", "She to confirmed the news.", "She of confirmed the news.", "She a confirmed the news."}
    pairs = _all("function-word-pair", "", "They moved on to the next item.")
    assert pairs and all(t.startswith("They moved ") and t.endswith(" on to the next item.") for t in pairs)
    assert "They moved in on to the next item." not in pairs  # never a pair English uses ("in on"), nor "on on"
    assert _all("calque", "", "He has arrived.") == {"He is arrived."}
    assert _all("calque", "", "It may have arrived.") == set()  # no "may are arrived"
    assert _all("calque", "", "The man is 40 years old.") == {"The man has 40 years."}
    assert _all("calque", "", "Prices rose in the 1990s.") == {"Prices rose in the years 90."}
    assert _all("calque", "", "The talks took place in 2010.") == {"The talks had place in 2010.", "The talks took place in the 2010."}
    assert _all("word-order", "", "He said it.") == {"He it said."}
    assert _all("adverb-order", "", "The minister has strongly criticised the plan.") == {
        "The minister has criticised strongly the plan."}
    for kind in ("dangling-word", "function-word-pair", "calque", "word-order", "adverb-order"):
        assert CORRUPTIONS[kind][0] == "fluency/grammar"


def test_hypernym_depth_survives_a_cycle_in_the_data(monkeypatch):
    """MultiWordNet is not checked for cycles: a loop in the hypernyms ends the climb instead of recursing forever."""
    import tq.bench.errorsuite as errorsuite

    class Looping:
        def hypernyms(self, synset: str) -> list[str]:
            return {"n#a": ["n#b"], "n#b": ["n#a"], "n#c": ["n#a"]}.get(synset, [])

    monkeypatch.setattr(errorsuite, "wordnet", lambda: Looping())
    assert errorsuite._depth("n#a") == 1 and errorsuite._depth("n#c") == 2
