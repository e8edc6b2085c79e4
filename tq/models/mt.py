"""Translation model: translate, score a given translation (forced decoding), continue a prefix.

Backends:
- ``HFSeq2SeqMT``: Hugging Face encoder-decoder models through transformers +
  sentencepiece: MarianMT (default ``Helsinki-NLP/opus-mt-it-en``), NLLB and
  M2M100 (language codes handled);
- ``PromptedMT``: a local Llama-architecture GGUF causal LM prompted with
  Italian→English examples, run by the same onnxruntime backend as the
  fluency LM (:class:`tq.models.lm.OnnxLM`).
"""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from .hub import load_hf
from .lm import OnnxLM, TokenScore, token_spans

DEFAULT_MT = "Helsinki-NLP/opus-mt-it-en"
NLLB_CODES = {"it": "ita_Latn", "en": "eng_Latn", "fr": "fra_Latn", "de": "deu_Latn", "es": "spa_Latn", "pt": "por_Latn"}


class TranslationModel(Protocol):
    name: str

    def load(self) -> object:
        """Load the weights now (tq.models.get_mt does, so that a missing model fails before any work)."""

    def translate(self, sources: Sequence[str]) -> list[str]: ...

    def score(self, sources: Sequence[str], targets: Sequence[str]) -> list[list[TokenScore]]:
        """Log-probability of each token of each target given its source (forced decoding)."""

    def complete(self, source: str, prefix: str) -> str:
        """The model's continuation of ``prefix`` as a translation of ``source`` (without the prefix)."""


class HFSeq2SeqMT:
    """MarianMT, NLLB or M2M100 through transformers, on the CPU."""

    def __init__(self, name_or_path: str, src_lang: str = "it", tgt_lang: str = "en", beams: int = 4, max_tokens: int = 256):
        self.name, self.src_lang, self.tgt_lang = name_or_path, src_lang, tgt_lang
        self.beams, self.max_tokens = beams, max_tokens
        self._tokenizer = self._model = None
        self._generate_kwargs: dict = {}

    def load(self):
        if self._model is None:
            tokenizer, model = load_hf(self.name, "seq2seq")
            kind = type(tokenizer).__name__
            if kind.startswith("Nllb"):
                tokenizer.src_lang, tokenizer.tgt_lang = NLLB_CODES[self.src_lang], NLLB_CODES[self.tgt_lang]
                self._generate_kwargs["forced_bos_token_id"] = tokenizer.convert_tokens_to_ids(NLLB_CODES[self.tgt_lang])
            elif kind.startswith("M2M100"):
                tokenizer.src_lang, tokenizer.tgt_lang = self.src_lang, self.tgt_lang
                self._generate_kwargs["forced_bos_token_id"] = tokenizer.get_lang_id(self.tgt_lang)
            self._tokenizer, self._model = tokenizer, model
        return self._tokenizer, self._model

    def translate(self, sources: Sequence[str]) -> list[str]:
        import torch

        tokenizer, model = self.load()
        out: list[str] = []
        for start in range(0, len(sources), 16):
            batch = tokenizer(list(sources[start:start + 16]), return_tensors="pt", padding=True, truncation=True)
            with torch.no_grad():
                generated = model.generate(**batch, num_beams=self.beams, max_new_tokens=self.max_tokens, **self._generate_kwargs)
            out.extend(t.strip() for t in tokenizer.batch_decode(generated, skip_special_tokens=True))
        return out

    def _labels(self, target: str) -> tuple[list[int], int]:
        """Decoder labels of ``target`` and how many special tokens precede its pieces."""
        tokenizer, _ = self.load()
        labels = list(tokenizer(text_target=target)["input_ids"])
        pieces, _ = token_spans(tokenizer, target, target=True)
        offset = next((i for i in range(len(labels)) if labels[i:i + len(pieces)] == pieces), 0)
        return labels, offset

    def score(self, sources: Sequence[str], targets: Sequence[str]) -> list[list[TokenScore]]:
        import torch

        tokenizer, model = self.load()
        results = []
        for source, target in zip(sources, targets):
            labels, offset = self._labels(target)
            _, spans = token_spans(tokenizer, target, target=True)
            encoded = tokenizer(source, return_tensors="pt", truncation=True)
            with torch.no_grad():
                logits = model(**encoded, labels=torch.tensor([labels])).logits[0].double()
            logprobs = torch.log_softmax(logits, dim=-1)[torch.arange(len(labels)), torch.tensor(labels)].tolist()
            tokens = []
            for index, logprob in enumerate(logprobs):
                piece = index - offset
                start, end = spans[piece] if 0 <= piece < len(spans) else (len(target), len(target))
                tokens.append(TokenScore(target[start:end], start, end, logprob))
            results.append(tokens)
        return results

    def _room(self, model, used: int) -> int:
        """New tokens the decoder may add after ``used`` ones: a model that never says end-of-sentence (a forced
        prefix it finds odd) would otherwise run past its position embeddings and fail."""
        positions = getattr(model.config, "max_position_embeddings", None)
        return max(1, min(self.max_tokens, positions - used)) if positions else self.max_tokens

    def complete(self, source: str, prefix: str) -> str:
        import torch

        tokenizer, model = self.load()
        labels, _ = self._labels(prefix) if prefix.strip() else ([], 0)
        if labels and labels[-1] == tokenizer.eos_token_id:
            labels = labels[:-1]
        start = model.config.decoder_start_token_id
        decoder_input = torch.tensor([[start] + labels])
        encoded = tokenizer(source, return_tensors="pt", truncation=True)
        with torch.no_grad():
            generated = model.generate(**encoded, decoder_input_ids=decoder_input, num_beams=self.beams,
                                       max_new_tokens=self._room(model, decoder_input.shape[1]))
        full = tokenizer.decode(generated[0], skip_special_tokens=True).strip()
        head = tokenizer.decode(decoder_input[0], skip_special_tokens=True).strip()
        if head and full.startswith(head):
            return full[len(head):]
        new = tokenizer.decode(generated[0][decoder_input.shape[1]:], skip_special_tokens=True)
        return new if new[:1].isspace() or not new else " " + new


FEW_SHOT = (
    "Translate Italian news sentences into English.\n"
    "Italian: Il governo ha approvato ieri la legge di bilancio.\n"
    "English: The government passed the budget law yesterday.\n"
    "Italian: «Non siamo nati ieri», ha commentato il ministro.\n"
    "English: “We were not born yesterday,” the minister commented.\n"
)


class PromptedMT:
    """A local GGUF causal LM prompted to translate (few-shot), decoded greedily."""

    def __init__(self, path: str | Path, src_lang: str = "it", tgt_lang: str = "en", max_tokens: int = 200):
        self.lm = OnnxLM(path)
        self.name = self.lm.name
        self.max_tokens = max_tokens

    def load(self):
        return self.lm.load()

    @staticmethod
    def _prompt(source: str) -> str:
        return f"{FEW_SHOT}Italian: {' '.join(source.split())}\nEnglish:"

    def translate(self, sources: Sequence[str]) -> list[str]:
        from concurrent.futures import ThreadPoolExecutor

        self.load()
        with ThreadPoolExecutor(self.lm.threads) as pool:  # one onnxruntime thread per sentence, as in scoring
            return list(pool.map(lambda source: self.lm.generate(self._prompt(source), self.max_tokens).strip(), sources))

    def score(self, sources: Sequence[str], targets: Sequence[str]) -> list[list[TokenScore]]:
        # the target follows "English:" after a space; shift offsets back onto the target itself
        scored = self.lm.score([" " + t for t in targets], contexts=[self._prompt(s) for s in sources])
        return [[TokenScore(tok.text, max(tok.start - 1, 0), max(tok.end - 1, 0), tok.logprob) for tok in result.tokens]
                for result in scored]

    def complete(self, source: str, prefix: str) -> str:
        prompt = self._prompt(source) + (" " + prefix.rstrip() if prefix.strip() else "")
        return self.lm.generate(prompt, self.max_tokens).rstrip()


def load_mt(spec: str, src_lang: str = "it", tgt_lang: str = "en") -> TranslationModel:
    """A path to a .gguf file (prompted causal LM) or a Hugging Face seq2seq id/path."""
    if spec.endswith(".gguf"):
        return PromptedMT(spec, src_lang, tgt_lang)
    return HFSeq2SeqMT(spec, src_lang, tgt_lang)
