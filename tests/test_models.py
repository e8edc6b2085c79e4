"""The model tier through the real transformers code path, with tiny models built here.

The weights are random, so what is tested is the machinery: loading from a
saved folder (safetensors), batching, forced decoding aligned with the
target's characters, prefix continuation, and the suggestion splice.
"""
from __future__ import annotations

import pytest

transformers = pytest.importorskip("transformers")

import tq  # noqa: E402
from tq.models import ModelUnavailable, describe  # noqa: E402
from tq.models.hub import load_hf  # noqa: E402
from tq.models.lm import HFCausalLM  # noqa: E402
from tq.models.mt import HFSeq2SeqMT  # noqa: E402
from tq.suggest import splice  # noqa: E402

from tiny_models import build_tiny_causal_lm, build_tiny_marian  # noqa: E402

SOURCES = ["Il governo ha approvato la legge di bilancio.", "Kiev chiede armi."]


@pytest.fixture(scope="module")
def marian(tmp_path_factory):
    return build_tiny_marian(tmp_path_factory.mktemp("models") / "tiny-marian")


@pytest.fixture(scope="module")
def causal(tmp_path_factory):
    return build_tiny_causal_lm(tmp_path_factory.mktemp("models") / "tiny-gpt")


@pytest.fixture(scope="module")
def mt(marian):
    model = HFSeq2SeqMT(str(marian), beams=1, max_tokens=12)
    model.load()
    return model


def test_saved_as_safetensors_only(marian):
    assert (marian / "model.safetensors").exists()
    assert not list(marian.glob("*.bin"))


def test_translate_is_batched_and_deterministic(mt):
    first = mt.translate(SOURCES)
    assert len(first) == 2 and all(isinstance(t, str) and t for t in first)
    assert mt.translate(SOURCES) == first
    assert mt.translate(SOURCES[:1]) == first[:1]  # padding in a batch does not change a translation


def test_forced_decoding_scores_every_token_and_maps_it_to_the_target(mt):
    target = "The government passed the budget law."
    tokens = mt.score([SOURCES[0]], [target])[0]
    assert all(t.logprob <= 0 for t in tokens)
    assert "".join(t.text for t in tokens) == target.replace(" ", "")
    for t in tokens:
        assert target[t.start:t.end] == t.text


def test_forced_decoding_sums_to_the_models_own_loss(mt):
    """The per-token log-probabilities add up to the sequence log-likelihood transformers computes itself."""
    import torch

    tokenizer, model = mt.load()
    target = "The government passed the budget law."
    tokens = mt.score([SOURCES[0]], [target])[0]
    labels = tokenizer(text_target=target, return_tensors="pt")["input_ids"]
    with torch.no_grad():
        loss = model(**tokenizer(SOURCES[0], return_tensors="pt"), labels=labels).loss.item()
    assert len(tokens) == labels.shape[1]
    assert sum(t.logprob for t in tokens) == pytest.approx(-loss * labels.shape[1], rel=1e-4)


def test_complete_with_an_empty_prefix_is_the_translation(mt):
    assert mt.complete(SOURCES[0], "").strip() == mt.translate([SOURCES[0]])[0]


def test_complete_continues_after_the_prefix(mt):
    continuation = mt.complete(SOURCES[0], "The government")
    assert isinstance(continuation, str) and continuation.strip()
    assert not continuation.strip().startswith("The government")


def test_causal_lm_scores_tokens_with_offsets(causal):
    lm = HFCausalLM(str(causal))
    text = "Kyiv asks for long-range missiles."
    scored = lm.score([text], select=lambda index, tokens: [(text.index("long"), text.index("long") + 4)], window=3)[0]
    tokens = scored.tokens
    assert len(scored.deletions) == 1 and scored.deletions[0] != 0.0  # the deletion test ran
    assert tokens and all(t.logprob <= 0 for t in tokens)
    assert all(text[t.start:t.end] == t.text for t in tokens)
    assert "".join(t.text for t in tokens) == text.replace(" ", "")


def test_causal_lm_compares_variants_as_whole_sentences(causal):
    lm = HFCausalLM(str(causal))
    text, variant = "Kyiv asks for long-range missiles.", "Kyiv asks long-range missiles."
    whole = [sum(t.logprob for t in scored.tokens) for scored in lm.score([text, variant])]
    assert lm.compare(text, [variant, text]) == pytest.approx([whole[1] - whole[0], 0.0], abs=1e-6)


def test_splice_rejoins_the_translators_words():
    target = "They want to try, Putin’s armies too to evict the east of the country."
    start = target.index("try,")
    end = start + len("try, Putin’s armies too to evict")
    continuation = " try to drive Putin’s armies out of the east of the country too."
    replacement, new_end = splice(target, start, end, continuation)
    assert replacement == "try to drive Putin’s armies out of"
    assert target[new_end:].startswith("the east")


def test_check_with_the_tiny_translation_model_runs_model_checks_and_suggests(marian):
    report = tq.check_pairs(["Il governo ha approvato la legge di bilancio ieri sera."],
                            ["The the government approved yesterday the law of balance."], mt=str(marian), lm="none")
    assert not {"mt-qe", "mt-adequacy", "mt-coverage"} & set(report.skipped)
    assert "mt:" in report.signature
    pair = report.pairs[0]
    for finding in pair.findings:
        assert 0 <= finding.start <= finding.end <= len(pair.target)
    serious = [f for f in pair.findings if f.rank >= 2]
    if serious:  # random weights: whatever the model says, a serious finding gets a rewrite or a fallback
        assert pair.suggestion


def test_unreachable_hub_id_is_one_clear_line_and_other_checks_still_run(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    from tq.models import hub

    hub.hub_reachable.cache_clear()
    with pytest.raises(ModelUnavailable) as caught:
        load_hf("Helsinki-NLP/opus-mt-it-en-not-here", "seq2seq")
    message = str(caught.value)
    assert "\n" not in message and "unreachable" in message and "tq models fetch" in message
    report = tq.check_pairs(["Servono missili a lungo raggio."], ["They need longrange missiles."], mt="Helsinki-NLP/opus-mt-it-en-not-here")
    assert {"mt-qe", "mt-adequacy", "mt-coverage"} <= set(report.skipped)
    assert "unreachable" in report.skipped["mt-qe"]
    assert "lost-hyphen" in [f.check for _, f in report.findings]
    assert not [f for _, f in report.findings if f.check.startswith("mt-")]
    row = describe("mt", "Helsinki-NLP/opus-mt-it-en-not-here")
    assert row["available"] is False and "offline" in row["detail"]
    hub.hub_reachable.cache_clear()


def test_cli_offline_model_message(run_tq, corpus):
    result = run_tq("check", corpus / "it.txt", corpus / "en.txt", "--mt", "Helsinki-NLP/opus-mt-it-en", "--lm", "none",
                    "--format", "json")
    assert result.returncode == 0, result.stderr
    import json

    skipped = json.loads(result.stdout)["skipped_checks"]
    assert "unreachable" in skipped["mt-qe"] and "switched off" in skipped["fluency"]
    assert "Traceback" not in result.stderr
