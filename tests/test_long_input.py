"""Over-long sentences: split into pieces that keep their offsets, so that a run's cost grows with its words.

No timings here: ``tq bench`` (tq.bench.speed, ``run_long_sentence_bench``) times 3,000 and 30,000 words.
"""
from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

import tq
from tq.aligner import AlignParams
from tq.bench.speed import long_sentence_pair, one_sentence
from tq.pipeline import LM_WORDS_PER_SENTENCE, _lm_unscored
from tq.segment import MAX_SENTENCE_WORDS, MAX_WORD_CHARS, MIN_PIECE_WORDS, cap_sentences, segment, split_note, split_sentence
from tq.types import Document, Pair

CORPORA = Path(__file__).resolve().parents[1] / "corpora"
DEMO = CORPORA / "us-uk-putin-talks"
LONG_WORDS = 5000  # the demo article repeated: well past the cap, quick to check without the LM


def _units(text: str) -> int:
    return len(re.findall(rf"\S{{1,{MAX_WORD_CHARS}}}", text))


def _assert_pieces(text: str, start: int, end: int, spans: list[tuple[int, int]], max_words: int) -> None:
    """Pieces in order inside [start, end), only whitespace around and between them, each within the cap."""
    assert spans
    cursor = start
    for a, b in spans:
        assert cursor <= a < b <= end
        assert not text[cursor:a].strip()  # nothing but whitespace is left out
        assert text[a:b] == text[a:b].strip()
        assert _units(text[a:b]) <= max_words
        cursor = b
    assert not text[cursor:end].strip()


@pytest.fixture(scope="module")
def long_pair() -> tuple[str, str]:
    return long_sentence_pair(LONG_WORDS)  # no ../shared/data: the demo article, repeated


def test_long_input_is_one_sentence(long_pair):
    source, target = long_pair
    for text, language in ((source, "it"), (target, "en")):
        assert len(segment(Document(text, language), max_words=0)) == 1
        assert len(text.split()) >= LONG_WORDS


def test_pieces_keep_offsets(long_pair):
    for text, language in zip(long_pair, ("it", "en")):
        whole = segment(Document(text, language), max_words=0)
        capped = cap_sentences(text, whole)
        assert capped.split == [len(text.split())]
        assert len(capped.sentences) > len(text.split()) / MAX_SENTENCE_WORDS
        for index, piece in enumerate(capped.sentences):
            assert piece.index == index and text[piece.start:piece.end] == piece.text
            assert _units(piece.text) <= MAX_SENTENCE_WORDS
        assert capped.origins == [0] * len(capped.sentences)
        _assert_pieces(text, whole[0].start, whole[0].end, [(p.start, p.end) for p in capped.sentences], MAX_SENTENCE_WORDS)
        # the pieces and what lies between them give the sentence back
        first, last = capped.sentences[0], capped.sentences[-1]
        assert text[first.start:last.end] == whole[0].text


def test_pieces_end_at_clause_boundaries(long_pair):
    """Most pieces end at a comma, a stop, a colon or a semicolon (the text has plenty), not inside a clause."""
    text = long_pair[1]
    pieces = segment(Document(text, "en"))
    ends = [p.text[-1] for p in pieces[:-1]]
    assert sum(end in ",;:.!?" for end in ends) >= 0.8 * len(ends)


@pytest.mark.parametrize("path", sorted([*DEMO.glob("*.txt"), *(CORPORA / "flores-sample").glob("*.txt")]), ids=lambda p: p.name)
def test_normal_sentences_are_never_split(path):
    language = "it" if ".it" in path.name or path.name == "it.txt" else "en"
    document = Document(path.read_text("utf-8"), language)
    whole = segment(document, max_words=0)
    assert segment(document) == whole
    assert cap_sentences(document.text, whole).split == []
    assert max(len(s.text.split()) for s in whole) < MAX_SENTENCE_WORDS / 2  # far from the cap


def test_check_splits_a_long_sentence_and_says_so(long_pair):
    source, target = long_pair
    report = tq.check(source, target, lm="none", mt="none")
    note = next(n for n in report.notes if "over-long" in n)
    assert note == split_note([len(source.split()), len(target.split())])
    assert f"at most {MAX_SENTENCE_WORDS} words" in note and f"{len(source.split()):,} words" in note
    assert "fluency" not in note  # the LM is off: nothing to say of what it read
    assert len(report.pairs) > 10 and report.findings
    widest = AlignParams().max_link * MAX_SENTENCE_WORDS
    for pair in report.pairs:
        assert source[pair.src_offset:pair.src_offset + len(pair.source)] == pair.source
        assert target[pair.tgt_offset:pair.tgt_offset + len(pair.target)] == pair.target
        assert max(len(pair.source.split()), len(pair.target.split())) <= widest  # every check saw a bounded pair
        for finding in pair.findings:
            assert 0 <= finding.start <= finding.end <= len(pair.target)
            if finding.source_start is not None:
                assert 0 <= finding.source_start <= (finding.source_end or finding.source_start) <= len(pair.source)


def test_check_pairs_folds_a_long_pair_back(long_pair):
    source, target = long_pair
    report = tq.check_pairs(["Il gatto dorme sul divano.", source], ["The cat sleeps on the sofa.", target], lm="none", mt="none")
    assert [p.index for p in report.pairs] == [0, 1]
    assert [(p.src_ids, p.tgt_ids) for p in report.pairs] == [((0,), (0,)), ((1,), (1,))]
    long = report.pairs[1]
    assert long.source == source and long.target == target
    assert long.findings and long.similarity is not None and long.word_coverage is not None
    assert any("over-long segment" in n for n in report.notes)
    for finding in long.findings:
        assert 0 <= finding.start <= finding.end <= len(target)
        if finding.source_start is not None:
            assert 0 <= finding.source_start <= (finding.source_end or finding.source_start) <= len(source)
    # a finding's text is the text it was found in: the pieces' offsets moved to the whole segment's
    assert any(f.end > f.start and target[f.start:f.end].strip() for f in long.findings)
    assert long.findings == sorted(long.findings, key=lambda f: (f.start, -f.rank))


def test_lm_reads_the_first_words_of_a_split_sentence():
    pairs = [Pair(i, "x", " ".join(["word"] * 100), (i,), (i,)) for i in range(12)]
    unscored = _lm_unscored(pairs, lambda pair: 0 if pair.index < 10 else None)
    read = LM_WORDS_PER_SENTENCE // 100 + (LM_WORDS_PER_SENTENCE % 100 > 0)
    assert unscored == frozenset(range(read, 10))  # whole sentences (None) are always read


def test_split_note():
    assert split_note([30000, 2000]) == ("2 over-long sentences (longest 30,000 words) were split into pieces of at "
                                         f"most {MAX_SENTENCE_WORDS} words for checking")
    assert split_note([151], "segment").startswith("1 over-long segment (longest 151 words) was split")


def test_text_without_spaces_is_split_too():
    text = "x" * (MAX_WORD_CHARS * MAX_SENTENCE_WORDS * 3)
    spans = split_sentence(text, 0, len(text))
    assert len(spans) > 3
    _assert_pieces(text, 0, len(text), spans, MAX_SENTENCE_WORDS)
    assert "".join(text[a:b] for a, b in spans) == text


def test_one_sentence_of_the_demo():
    english = one_sentence((DEMO / "en.txt").read_text("utf-8"), "en")
    assert len(segment(Document(english, "en"), max_words=0)) == 1
    assert "\n" not in english and english.endswith(".")


_WORDS = st.sampled_from(["e", "la", "casa", "Roma", "2022", "U.S.", "Dr.", "and", "ma", "—", "-", "«Sì»", "(nota)",
                          "parola,", "fine.", "punto;", "due:", "forse?", "x" * 90, "l'Italia", "caffè"])
_SPACES = st.sampled_from([" ", " ", " ", "  ", "\n", "\t", ""])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(_WORDS, _SPACES), min_size=0, max_size=400), st.integers(1, 40), st.text(" \n", max_size=3))
def test_split_sentence_properties(words, max_words, margin):
    body = "".join(word + space for word, space in words)
    text = margin + body + margin
    start, end = len(margin), len(margin) + len(body)
    spans = split_sentence(text, start, end, max_words)
    if _units(text[start:end]) <= max_words:
        assert spans == [(start, end)]  # never split a sentence within the cap
        return
    _assert_pieces(text, start, end, spans, max_words)
    least = max(1, min(MIN_PIECE_WORDS, max_words // 2))
    assert all(_units(text[a:b]) >= least for a, b in spans)  # no fragments


@pytest.mark.skipif(importlib.util.find_spec("onnxruntime") is None, reason="the LM needs onnxruntime")
def test_no_check_reads_a_piece_past_what_the_lm_reads_of_its_sentence(monkeypatch):
    """dropped-verb, dropped-subject and tense-swap honour lm_unscored as the fluency check does: every piece of a
    30,000-word sentence through the LM took minutes and a gigabyte."""
    from tq.checks import CheckContext, run_checks
    from tq.pipeline import Options, load_resources

    resources, unavailable, _ = load_resources(Options(mt="none"))
    if "lm" not in resources:
        pytest.skip("the LM is not installed")
    lm = resources["lm"]
    read: list[str] = []
    for name in ("score", "compare"):
        real = getattr(type(lm), name)
        monkeypatch.setattr(type(lm), name, lambda self, texts, *a, __real=real, **k: (
            read.extend([texts] if isinstance(texts, str) else texts), __real(self, texts, *a, **k))[1])
    # sentences each LM check has something to put back or swap in: a subject, a verb, an auxiliary's tense
    source = "Ha detto che il ponte è stato inaugurato il mese scorso e che la {} è stata chiusa."
    target = "Said that the bridge is opened last month and that the {} closed."
    pairs = [Pair(i, source.format(it), target.format(en), (i,), (i,)) for i, (it, en) in enumerate([("scuola", "school"),
                                                                                                     ("biblioteca", "library")])]
    ctx = CheckContext(pairs, resources=resources, options={"lm_unscored": frozenset({1})}, unavailable=unavailable)
    run_checks(ctx)
    assert any("school" in text for text in read)  # the piece the LM reads, read by its checks
    assert not any("library" in text for text in read)
    assert not [f for f in pairs[1].findings if f.check in ("fluency", "dropped-verb", "dropped-subject", "tense-swap")]
    assert ctx.lm_reads(pairs[0]) and not ctx.lm_reads(pairs[1])
    assert 1 not in ctx.fluency
