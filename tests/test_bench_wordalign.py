"""The word-alignment benchmark's reading, metrics and driver, on hand-made pairs (no ../shared or aligner needed).

The sentences are written for these tests (XL-WA's own text is CC BY-NC-SA and stays out of the project).
"""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

import tq.bench.wordalign as bench
from tq.bench.wordalign import Counts, GoldPair, content_word, evaluate, prf, read_xlwa, score_pair
from tq.cli import cli

# Il sindaco dell' isola ha chiuso il porto .  /  The island 's mayor closed the harbour .
IT = "Il sindaco dell' isola ha chiuso il porto ."
EN = "The island 's mayor closed the harbour ."
GOLD_EI = "0-0 3-1 2-2 1-3 4-4 4-5 5-6 6-7 7-8"  # XL-WA order: English index first
GOLD = frozenset({(0, 0), (1, 3), (2, 2), (3, 1), (4, 4), (5, 4), (6, 5), (7, 6), (8, 7)})  # (Italian, English)
PAIR = GoldPair(tuple(IT.split()), tuple(EN.split()), GOLD)
# 5 of these 7 are gold: (6, 6) il-harbour and (2, 1) dell'-island are wrong; porto (7) is left unlinked
PREDICTED = {(0, 0), (1, 3), (3, 1), (5, 4), (8, 7), (2, 1), (6, 6)}


def write_xlwa(folder, lines: list[str]):
    path = folder / "xlwa" / "en-it.dev.tsv"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_read_xlwa_flips_links_to_italian_first(tmp_path):
    path = write_xlwa(tmp_path, [f"{EN}\t{IT}\t{GOLD_EI}", "", "Yes .\tSì .\t0-0 1-1"])
    pairs = read_xlwa(path)
    assert pairs == [PAIR, GoldPair(("Sì", "."), ("Yes", "."), frozenset({(0, 0), (1, 1)}))]


@pytest.mark.parametrize("line, fragment", [
    pytest.param("Yes .\tSì .", "3 tab-separated", id="two-fields"),
    pytest.param("Yes .\tSì .\t0-2", "bad link '0-2'", id="out-of-range"),
    pytest.param("Yes .\tSì .\t0:0", "bad link '0:0'", id="not-a-link"),
])
def test_read_xlwa_names_the_bad_line(tmp_path, line, fragment):
    path = write_xlwa(tmp_path, ["Yes .\tSì .\t0-0", line])
    with pytest.raises(ValueError, match=f"en-it.dev.tsv:2: .*{fragment}"):
        read_xlwa(path)


@pytest.mark.parametrize("token, lang, expected", [
    ("sindaco", "it", True), ("isola", "it", True), ("dell'", "it", False), ("l’", "it", False), ("ha", "it", False),
    ("Il", "it", False), ("mayor", "en", True), ("harbour", "en", True), ("'s", "en", False), ("the", "en", False),
    (".", "en", False), ("...", "en", False), ("84", "en", False), ("12,500", "en", False), ("km²", "it", True),
])
def test_content_word(token, lang, expected):
    assert content_word(token, lang) is expected


def test_prf_by_hand():
    assert prf(5, 7, 5, 9) == pytest.approx((5 / 7, 5 / 9, 10 / 16))
    assert prf(0, 0, 0, 9) == (0.0, 0.0, 0.0)  # nothing predicted: zero, not a division by zero
    assert prf(0, 3, 0, 0) == (0.0, 0.0, 0.0)


def test_score_pair_by_hand():
    counts = score_pair(PREDICTED, PAIR)
    assert (counts.predicted, counts.sure, counts.sure_hits, counts.possible_hits) == (7, 9, 5, 5)
    assert counts.words == pytest.approx((5 / 7, 5 / 9, 0.625))
    assert counts.aer == pytest.approx(0.375)  # gold as both sure and possible: AER = 1 - F1
    # content links (both words content): sindaco-mayor, isola-island, chiuso-closed, porto-harbour in the gold;
    # predicted: the first three (il-harbour and dell'-island are not content links)
    assert (counts.content_predicted, counts.content_gold, counts.content_sure_hits) == (3, 4, 3)
    assert counts.content == pytest.approx((1.0, 0.75, 6 / 7))
    # Italian content words with a gold link: sindaco, isola, chiuso, porto; porto has no predicted link.
    # English: island, mayor, closed, harbour all have one (harbour's is wrong, but it is linked)
    assert (counts.it_content_aligned, counts.it_content_unlinked) == (4, 1)
    assert (counts.en_content_aligned, counts.en_content_unlinked) == (4, 0)
    assert counts.unlinked_share("it") == 0.25 and counts.unlinked_share("en") == 0.0


def test_aer_with_sure_and_possible_links():
    """The standard formula: precision against possible links, recall against sure ones."""
    pair = GoldPair(("Sì", "grazie"), ("Yes", "thanks"), frozenset({(0, 0)}))
    counts = score_pair({(0, 0), (1, 1)}, pair, possible={(0, 0), (1, 1)})
    assert counts.words[:2] == (1.0, 1.0)
    assert counts.aer == 0.0  # 1 - (|A∩S| + |A∩P|) / (|A| + |S|) = 1 - (1 + 2) / (2 + 1)
    counts = score_pair({(0, 1)}, pair, possible={(0, 0), (1, 1)})
    assert counts.aer == 1.0


def test_counts_add_up_over_pairs():
    total = Counts()
    total += score_pair(PREDICTED, PAIR)
    total += score_pair(set(), PAIR)
    assert (total.predicted, total.sure, total.sure_hits) == (7, 18, 5)
    assert total.words == pytest.approx((5 / 7, 5 / 18, 2 * (5 / 7) * (5 / 18) / (5 / 7 + 5 / 18)))


class FakeAligner:
    """Returns PREDICTED (with probabilities) for PAIR, one exact link otherwise; counts its calls."""

    def __init__(self, extra=()):
        self.calls = 0
        self.extra = list(extra)

    def __call__(self, it, en):
        self.calls += 1
        if tuple(it) == PAIR.it:
            return [(i, j, 0.9 if (i, j) in GOLD else 0.4) for i, j in sorted(PREDICTED)] + self.extra
        return [(0, 0, 1.0)]


def test_evaluate_scores_and_times_the_aligner():
    other = GoldPair(("Sì",), ("Yes",), frozenset({(0, 0)}))
    align = FakeAligner()
    result = evaluate([PAIR, other], align, passes=3)
    assert align.calls == 1 + 3 * 2  # one warm-up call, then three timed passes over both pairs
    assert result["pairs"] == 2 and result["threshold"] is None
    assert result["all"] == pytest.approx({"precision": 6 / 8, "recall": 6 / 10, "f1": 12 / 18, "predicted": 8, "gold": 10,
                                           "correct": 6})
    assert result["aer"] == pytest.approx(1 - 12 / 18)
    assert result["unlinked_content"]["it"] == {"gold_aligned": 5, "unlinked": 1, "share": 0.2}  # «Sì» is linked
    assert len(result["speed"]["pass_seconds"]) == 3 and result["speed"]["pairs_per_second"] > 0
    json.dumps(result)  # what --json writes


def test_evaluate_threshold_keeps_the_surer_links():
    result = evaluate([PAIR], FakeAligner(), threshold=0.5, passes=1)
    assert result["all"]["predicted"] == 5 and result["all"]["precision"] == 1.0


def test_evaluate_refuses_a_link_outside_the_pair():
    with pytest.raises(ValueError, match="pair 1: link 9-0 outside"):
        evaluate([PAIR], FakeAligner(extra=[(9, 0, 1.0)]), passes=1)


def data_folder(tmp_path, with_xlwa: bool):
    """A shared-data folder as find_data recognises it, with or without an XL-WA file of our own pairs."""
    (tmp_path / "flores").mkdir()
    (tmp_path / "flores" / "devtest.it").write_text("Sì.\n", encoding="utf-8")
    if with_xlwa:
        write_xlwa(tmp_path, [f"{EN}\t{IT}\t{GOLD_EI}", "Yes .\tSì .\t0-0 1-1"])
    return tmp_path


def test_bench_skips_without_xlwa(tmp_path):
    result = CliRunner().invoke(cli, ["bench", "--data", str(data_folder(tmp_path, False)), "wordalign"])
    assert result.exit_code == 0 and "skipped" in result.output and result.output.count("\n") == 1


def test_bench_command_prints_and_writes_json(tmp_path, monkeypatch):
    monkeypatch.setattr(bench, "_tq_aligner", FakeAligner)
    out = tmp_path / "wordalign.json"
    result = CliRunner().invoke(cli, ["bench", "--data", str(data_folder(tmp_path, True)), "wordalign", "--threshold",
                                      "0.5", "--json", str(out)])
    assert result.exit_code == 0, result.output
    assert "content (both words)" in result.output and "AER" in result.output and "pairs per second" in result.output
    written = json.loads(out.read_text("utf-8"))
    assert written["pairs"] == 2 and written["threshold"] == 0.5 and written["data"].endswith("en-it.dev.tsv")
    assert written["all"]["correct"] == 6  # 5 sure links above 0.5 in the first pair, Sì-Yes in the second
