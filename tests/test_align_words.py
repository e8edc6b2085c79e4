"""`tq align --words --pairs FILE`: word links inside pre-aligned pairs, as Pharaoh lines or JSON.

These run the real word aligner (tq.wordalign); the refusals of bad pairs files, which come before it loads,
are in test_bad_input.py.
"""
from __future__ import annotations

import json

import pytest

import tq
import tq.wordalign  # noqa: F401  (these tests need the aligner itself)
from tq.text import alignment_tokens

PAIRS = [
    ("Il presidente Mattarella ha parlato a Roma.", "President Mattarella spoke in Rome."),
    ("Dell'accordo si parlerà il 12 maggio, ha detto.", "The agreement will be discussed on 12 May, he said."),
    ("Grazie.", "Thank you."),
]


@pytest.fixture
def pairs_tsv(tmp_path):
    path = tmp_path / "pairs.tsv"
    path.write_text("".join(f"{s}\t{t}\n" for s, t in PAIRS), encoding="utf-8")
    return path


def test_alignment_tokens():
    """Words, numbers and punctuation marks; the Italian elision keeps its apostrophe, English clitics take it."""
    assert [t.text for t in alignment_tokens("Dell'isola, l’84% di 12,500 km² long-range.", "it")] == \
        ["Dell'", "isola", ",", "l’", "84", "%", "di", "12,500", "km²", "long-range", "."]
    assert [t.text for t in alignment_tokens("John's «don't» 3.5", "en")] == ["John", "'s", "«", "don", "'t", "»", "3.5"]
    text = "Dell'accordo, 12 maggio."
    assert all(text[t.start:t.end] == t.text for t in alignment_tokens(text, "it"))


def test_pharaoh_by_default(run_tq, pairs_tsv):
    result = run_tq("align", "--words", "--pairs", pairs_tsv)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.split("\n")
    assert lines[-1] == "" and len(lines) - 1 == len(PAIRS)  # one line per pair, even one without links
    for line, (source, target) in zip(lines, PAIRS):
        n, m = len(alignment_tokens(source, "it")), len(alignment_tokens(target, "en"))
        links = [tuple(map(int, link.split("-"))) for link in line.split()]
        assert all(0 <= i < n and 0 <= j < m for i, j in links), line
        assert links == sorted(set(links))
    # a name written the same on both sides, and the final stop, are linked (source index first)
    first = {tuple(map(int, link.split("-"))) for link in lines[0].split()}
    assert (2, 1) in first  # Mattarella
    assert (len(alignment_tokens(PAIRS[0][0], "it")) - 1, len(alignment_tokens(PAIRS[0][1], "en")) - 1) in first


def test_json_matches_pharaoh_and_the_api(run_tq, pairs_tsv, tmp_path):
    pharaoh = run_tq("align", "--words", "--pairs", pairs_tsv, "--format", "pharaoh").stdout.splitlines()
    out = tmp_path / "links.json"
    result = run_tq("align", "--words", "--pairs", pairs_tsv, "--format", "json", "-o", out)
    assert result.returncode == 0 and result.stdout == "", result.stderr
    document = json.loads(out.read_text("utf-8"))
    assert document["schema"] == "tq.word-alignment" and document["version"] == 1
    assert [p["index"] for p in document["pairs"]] == list(range(len(PAIRS)))
    for pair, line, (source, target) in zip(document["pairs"], pharaoh, PAIRS):
        assert pair["source_tokens"] == [t.text for t in alignment_tokens(source, "it")]
        assert pair["target_tokens"] == [t.text for t in alignment_tokens(target, "en")]
        assert " ".join(f"{i}-{j}" for i, j, _ in pair["links"]) == line
        assert all(0 < p <= 1 and round(p, 4) == p for _, _, p in pair["links"])
        expected = sorted(tq.align_words(pair["source_tokens"], pair["target_tokens"]))
        assert [(i, j) for i, j, _ in pair["links"]] == [(i, j) for i, j, _ in expected]


def test_jsonl_pairs_give_the_same_links(run_tq, pairs_tsv, tmp_path):
    jsonl = tmp_path / "pairs.jsonl"
    jsonl.write_text("".join(json.dumps({"source": s, "target": t}, ensure_ascii=False) + "\n" for s, t in PAIRS), "utf-8")
    from_tsv = run_tq("align", "--words", "--pairs", pairs_tsv)
    from_jsonl = run_tq("align", "--words", "--pairs", jsonl)
    assert from_jsonl.returncode == 0 and from_jsonl.stdout == from_tsv.stdout
