"""Sentences that end at closing quotes, on real news text and on sentences written in the same patterns.

Real excerpts, copied here so that the tests need no ``../shared``:
- NTREX-128 (microsoft/NTREX, via Helsinki-NLP/OPUS-MT-testsets), ``newstest2019.it`` / ``newstest2019.en``,
  lines 5-7, 169-170 and 283-284 (Italian), 49-51, 775-776 (shortened), 961-964, 1139-1140 and 1452-1453 (English);
  licence CC BY-SA 4.0 (NTREX's LICENSE.md).
- FLORES-101 devtest (Helsinki-NLP/OPUS-MT-testsets), ``devtest.it`` / ``devtest.en`` line 690; licence CC BY-SA 4.0.
Each document is the corpus's lines joined with a space, as they run in the article.
"""
from __future__ import annotations

import pytest

from tq.segment import quoted_ends, segment
from tq.types import Document


def sentences(text: str, language: str) -> list[str]:
    found = segment(Document(text, language))
    for sentence in found:
        assert text[sentence.start:sentence.end] == sentence.text, "offsets must point into the original text"
        assert sentence.text == sentence.text.strip()
    assert [s.index for s in found] == list(range(len(found)))
    return [s.text for s in found]


# NTREX-128, newstest2019.it lines 5-7 (bbc.381790): a “ closed by a straight quote made sentencex keep all three as one
NTREX_PWP = [
    ("Un membro dell’Assemblea del partito laburista ha affermato che il suo partito è preoccupato che “possa fare rima "
     "con Twp e Pwp.\""),
    "Per i lettori che non vivono in Galles: In gallese, twp significa cretino e pwp significa cacca.",
    ("Un membro dell’Assemblea del Plaid ha affermato che il gruppo nel complesso “non era contento” e ha suggerito "
     "delle alternative."),
]

# NTREX-128, newstest2019.it lines 283-284 (reuters.218888)
NTREX_SPAGNA = [
    ("Per diverse ore i gruppi di indipendentisti che cantavano “Non dimenticheremo, non perdoneremo” si sono confrontati "
     "con i dimostranti unionisti che gridavano “Lunga vita alla Spagna.\""),
    ("La stampa locale ha segnalato che quattordici persone hanno dovuto ricevere cure per lievi ferite ricevute durante "
     "le manifestazioni."),
]

# NTREX-128, newstest2019.en lines 1139-1140 (bbc.381646)
NTREX_HOPE = [
    "The 24-year-old said he did not realise until he went to secondary school that \"not everyone is like me.\"",
    ("Speaking on the first Radio 4 Desert Island Discs presented by Lauren Laverne, he said he spoke out about gay "
     "rights to give others \"hope.\""),
]

# NTREX-128, newstest2019.en lines 49-51 (upi.176266): a name and a verb of saying after the quote continue it
NTREX_SHARK = (
    "Hammel said at first he thought it was just excitement of catching a lobster, but then he \"realized that he was "
    "yelling, 'I got bit! I got bit!' His whole clavicle was ripped open,\" Hammel said he noticed once he got to the boy. "
    "\"I yelled at everyone to get out of the water: 'There's a shark in the water!'\" Hammel added."
)

# NTREX-128, newstest2019.en lines 961-964 (cbsnews.248471): 'Did you do it?' ends inside a longer quotation
NTREX_KENNEDY = (
    "\"I mean, of course,\" said Kennedy. \"I said going into the hearing, I said, I've talked to Judge Kavanaugh. "
    "I called him after this happened, that allegation came out, said, 'Did you do it?' "
    "He was resolute, determined, unequivocal.\" Graham's vote, however, appears set in stone."
)

# FLORES-101 devtest line 690, Italian and English
FLORES_BLOG = {
    "it": ["I blog inoltre \"costringono gli studenti a diventare più consapevoli del momento che li circonda\".",
           ("L'esigenza di alimentare l'interesse del pubblico motiva gli studenti a essere ingegnosi e interessanti "
            "(Toto, 2004).")],
    "en": ["Also blogging \"forces students to become more savvy about the world around them.\"",
           "The need to feed the interest of the audience inspires students to be clever and interesting (Toto, 2004)."],
}


@pytest.mark.parametrize("expected, language", [
    pytest.param(NTREX_PWP, "it", id="ntrex-it-pwp"),
    pytest.param(NTREX_SPAGNA, "it", id="ntrex-it-spagna"),
    pytest.param(NTREX_HOPE, "en", id="ntrex-en-hope"),
    pytest.param(FLORES_BLOG["it"], "it", id="flores-it-690"),
    pytest.param(FLORES_BLOG["en"], "en", id="flores-en-690"),
])
def test_real_sentences_that_end_at_closing_quotes(expected, language):
    assert sentences(" ".join(expected), language) == expected


def test_the_ntrex_case_in_a_paragraph_with_a_headline_and_line_breaks():
    text = "Il Galles e i suoi nomi\n\n" + NTREX_PWP[0] + " " + NTREX_PWP[1] + "\n" + NTREX_PWP[2] + "\n"
    assert sentences(text, "it") == ["Il Galles e i suoi nomi", *NTREX_PWP]


def test_a_name_and_a_verb_of_saying_continue_the_quotation():
    found = sentences(NTREX_SHARK, "en")
    assert found[-1] == "\"I yelled at everyone to get out of the water: 'There's a shark in the water!'\" Hammel added."
    assert not any(s.endswith("water!'\"") for s in found)


def test_no_end_inside_a_longer_quotation():
    assert quoted_ends(NTREX_KENNEDY) == [NTREX_KENNEDY.index("unequivocal.\"") + len("unequivocal.\"")]
    found = sentences(NTREX_KENNEDY, "en")
    assert found[0] == "\"I mean, of course,\" said Kennedy."
    assert found[1].startswith("\"I said going")  # the opening quote stays with its sentence
    assert found[-1] == "Graham's vote, however, appears set in stone."


SPLIT = [
    # (language, text, sentences): written for these tests, in the patterns of the news above
    ("it", "Ha detto: «Non lo so.» Poi è uscito.", ["Ha detto: «Non lo so.»", "Poi è uscito."]),
    ("it", "“Andiamo a casa.” Il giorno dopo sono partiti per Roma.",
     ["“Andiamo a casa.”", "Il giorno dopo sono partiti per Roma."]),
    ("it", "Il sindaco ha risposto: \"Non lo so.\" Poi è uscito dalla sala.",
     ["Il sindaco ha risposto: \"Non lo so.\"", "Poi è uscito dalla sala."]),
    ("it", "Ha chiesto: «Chi paga?» Nessuno ha risposto.", ["Ha chiesto: «Chi paga?»", "Nessuno ha risposto."]),
    ("en", "He asked: \"Who pays?\" Nobody knew.", ["He asked: \"Who pays?\"", "Nobody knew."]),
    ("it", "Lo ha definito «un errore». «Rimedieremo», ha promesso.",
     ["Lo ha definito «un errore».", "«Rimedieremo», ha promesso."]),
    ("it", "Ha detto: «Non lo so. Vedremo.» «Domani?» Forse.",
     ["Ha detto: «Non lo so. Vedremo.»", "«Domani?»", "Forse."]),
    ("en", "The minister said: “We will not resign.” The opposition walked out.",
     ["The minister said: “We will not resign.”", "The opposition walked out."]),
    ("en", "She called it ‘a disgrace.’ The vote was delayed.", ["She called it ‘a disgrace.’", "The vote was delayed."]),
    ("en", "He did not even say \"workers\". \"The crisis helps Obama,\" one aide said.",
     ["He did not even say \"workers\".", "\"The crisis helps Obama,\" one aide said."]),
]

WHOLE = [
    # one sentence each: a comma, a lower-case word or a verb of saying continues; abbreviations do not end
    ("en", "\"We are going home,\" he said."),
    ("en", "\"We are going home!\" he shouted at the crowd."),
    ("en", "\"Stop!\" John Smith shouted."),
    ("en", "\"Is it over?\" Mrs. Jones asked the guard."),
    ("it", "«Basta!», ha gridato."),
    ("it", "«Basta!» ha gridato il presidente."),
    ("it", "«Non ci sto!» Mario Rossi gridò."),
    ("it", "Il Sig. Rossi e il Dott. Bianchi hanno portato mele, pere ecc. al mercato."),
    ("it", "Si usano parole straniere, p.es. weekend, senza tradurle."),
    ("en", "Mr. Smith went to the U.S. Army base in Germany."),
    ("en", "The players’ union said nothing."),
]


@pytest.mark.parametrize("language, text, expected", SPLIT, ids=[t[1][:30] for t in SPLIT])
def test_quoted_speech_ends_a_sentence(language, text, expected):
    assert sentences(text, language) == expected


@pytest.mark.parametrize("language, text", WHOLE, ids=[t[1][:30] for t in WHOLE])
def test_no_split(language, text):
    assert sentences(text, language) == [text]


def test_offsets_with_crlf_and_several_paragraphs():
    text = "Titolo\r\n\r\n" + " ".join(NTREX_SPAGNA) + "\r\n\r\n  Ha detto: «Non lo so.»   Poi è uscito.  \r\n"
    found = segment(Document(text, "it"))
    assert [s.text for s in found] == ["Titolo", *NTREX_SPAGNA, "Ha detto: «Non lo so.»", "Poi è uscito."]
    assert [s.paragraph for s in found] == [0, 1, 1, 2, 2]
    assert all(text[s.start:s.end] == s.text for s in found)


def test_a_capital_pronoun_after_a_quoted_question_starts_a_new_sentence():
    # NTREX-128, newstest2019.en lines 775-776, shortened
    text = "One girl came up to me and said: 'Why am I only being told this now?' She said no one had ever told her."
    assert sentences(text, "en") == ["One girl came up to me and said: 'Why am I only being told this now?'",
                                     "She said no one had ever told her."]


# NTREX-128, newstest2019.en lines 1452-1453 (a quotation that runs on into the next paragraph)
NTREX_ALBENCE = [
    "The agency later confirmed that 70 percent of those arrested did not have prior criminal records.",
    ("\"Close to 80 percent of the individuals that are either sponsors or household members of sponsors are here in "
     "the country illegally, and a large chunk of those are criminal aliens."),
]
# NTREX-128, newstest2019.it lines 169-170 (telegraph.405401)
NTREX_CROMWELL = [
    "Ma la Cromwell Society ha definito la proposta di Crick una “follia” e un “tentativo di riscrivere la storia.\"",
    ("John Goldsmith, presidente della Cromwell Society, ha dichiarato: \"Era inevitabile alla luce dell’attuale "
     "dibattito sulla rimozione delle statue che la figura di Oliver Cromwell all’esterno del Palazzo di Westminster "
    "diventasse un obiettivo."),
]
# NTREX-128, newstest2019.en lines 50-51 (upi.176266)
NTREX_SHARK_END = [
    "His whole clavicle was ripped open,\" Hammel said he noticed once he got to the boy.",
    "\"I yelled at everyone to get out of the water: 'There's a shark in the water!'\" Hammel added.",
]


@pytest.mark.parametrize("expected, language", [
    pytest.param(NTREX_ALBENCE, "en", id="opening-quote-opens-the-next-sentence"),
    pytest.param(NTREX_CROMWELL, "it", id="closing-quote-closes-the-last-sentence"),
    pytest.param(NTREX_SHARK_END, "en", id="closing-quote-then-a-verb-of-saying"),
])
def test_quote_marks_stay_with_their_sentence(expected, language):
    assert sentences(" ".join(expected), language) == expected
