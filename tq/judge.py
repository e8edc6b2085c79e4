"""judge: each finding's evidence -> the probability that it is a real error -> severity and confidence.

A check knows only its own evidence: a negation count, a similarity, an LM
surprise. Whether a "not" the source lacks is a polarity flip or a paraphrase
("non ha escluso" / "left open") shows in what the other checks and the
models saw in the same pair, so one small learned model reads all of it (see
``FEATURES``) and gives, per finding, the probabilities that it is no error,
a minor, a major or a critical one. Fixed bands on those probabilities set
the severity, within one level of the check's own: the judge learnt from
synthetic corruptions and a few hundred clean articles, and an error pattern
they lack (a number in words, one city for another) must never be silenced by
it; a check may also forbid the judge to lower its findings (``Check.judge_may_lower``: the negation
count). The probability that it is an error at all is the confidence. Only the
findings of checks whose evidence is a model's, and the negation count, are
judged (``Check.is_judged``): a rule whose evidence is the text itself (a number
that differs, a misspelt name, a doubled word) keeps its own.

The model is trained by ``tq bench judge --train`` (:mod:`tq.bench.judge`) on
development halves only: the error suite's development split (corrupted and
clean pairs) and the development halves of the clean articles of ``tq bench
docs``. It ships as ``tq/data/judge.json``: the feature names, the model (a
gradient-boosted tree ensemble or a logistic regression, whichever measured
better on held-out data), the band edges and the training signature; reading
it needs numpy only. ``calibrate=False`` (API) shows the checks' own severities.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from functools import cache, lru_cache
from pathlib import Path

import numpy as np

from .types import SEVERITIES, Finding, Pair, Severity

JUDGE_FILE = Path(__file__).parent / "data" / "judge.json"
MAX_STEP = 1  # levels the judge may move a finding from its check's own severity (see judge_pairs)
MISSING = -1.0  # value of a feature that could not be measured (no LM, no encoder); "has_*" features say so
_FINAL = re.compile(r"[.!?:;…][\"”’')\]]*\s*$")
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")

# Evidence about the pair and the finding, beside the check's identity and the other checks that fired.
# Nothing that tells how the pair was made: the aligner's link score and ``Pair.similarity`` (which is the link
# score in a whole document) are not here, since the error suite's pairs come pre-aligned and the clean articles
# aligned, and a judge that read them learnt which corpus a finding came from instead of whether it is real.
# No absolute sentence length: the error suite puts one corruption in each sentence, however long, which taught
# the judge "long sentence, no error" (the demo's garbles are in long sentences); the length ratio stays.
BASE_FEATURES = (
    "severity", "confidence", "accuracy", "point",
    "flip", "cosine", "coverage", "least_explained_source", "least_explained_target", "surprisal", "has_lm",
    "length_ratio", "headline",
    "span_words", "span_share", "span_capitalised", "span_digits", "span_in_source", "span_zipf_en", "span_zipf_src",
    "others", "other_checks", "other_max_rank", "overlapping", "overlap_max_rank",
)


def check_features(check_ids: Sequence[str]) -> tuple[str, ...]:
    """The full feature list for these checks: base evidence, which check this is, which others fired in the pair."""
    return BASE_FEATURES + tuple(f"is:{c}" for c in check_ids) + tuple(f"pair_has:{c}" for c in check_ids)


def _overlap(a: Finding, b: Finding) -> bool:
    if a.end > a.start and b.end > b.start:
        return max(a.start, b.start) < min(a.end, b.end)
    return min(a.end, b.end) + 1 >= max(a.start, b.start)


def _mean_zipf(words: list[str], lang: str) -> float:
    from .text import zipf

    return float(np.mean([zipf(w.lower(), lang) for w in words])) if words else MISSING


def finding_evidence(pair: Pair, finding: Finding, src_lang: str = "it", tgt_lang: str = "en",
                     vectors: tuple[float, float] = (MISSING, MISSING)) -> dict[str, float]:
    """The evidence the judge reads for one finding of ``pair``: the checks' own severities, after overlapping
    findings were merged (their checks are in ``also``). ``vectors`` is what the pair's sentence vectors say
    (:func:`vector_evidence`: the flip head's probability and the cosine), ``MISSING`` without an encoder."""
    target, source = pair.target, pair.source
    span = target[finding.start:finding.end]
    span_words = _WORD.findall(span)
    tgt_words, src_words = len(_WORD.findall(target)), len(_WORD.findall(source))
    others = [f for f in pair.findings if f is not finding]
    overlapping = [f for f in others if _overlap(f, finding)]
    # findings already merged into this one (``also``: the pipeline merges overlapping findings before judging)
    merged = [c for c in finding.also if c != finding.check]
    features = {
        "severity": float(finding.rank), "confidence": float(finding.confidence),
        "accuracy": float(finding.category.startswith("accuracy")), "point": float(finding.start == finding.end),
        "flip": vectors[0], "cosine": vectors[1],
        "coverage": MISSING if pair.word_coverage is None else float(pair.word_coverage),
        "least_explained_source": MISSING if pair.least_explained is None else pair.least_explained[0],
        "least_explained_target": MISSING if pair.least_explained is None else pair.least_explained[1],
        "surprisal": MISSING if pair.lm_surprisal is None else float(pair.lm_surprisal),
        "has_lm": float(pair.lm_surprisal is not None),
        "length_ratio": tgt_words / src_words if src_words else MISSING,
        "headline": float(bool(target.strip()) and not _FINAL.search(target)),
        "span_words": float(len(span_words)), "span_share": len(span) / max(len(target), 1),
        "span_capitalised": float(bool(span_words) and all(w[:1].isupper() for w in span_words)),
        "span_digits": float(any(c.isdigit() for c in span)),
        "span_in_source": float(bool(span.strip()) and span.strip().lower() in source.lower()),
        "span_zipf_en": _mean_zipf(span_words, tgt_lang), "span_zipf_src": _mean_zipf(span_words, src_lang),
        "others": float(len(others) + len(merged)),
        "other_checks": float(len(({f.check for f in others} | set(merged)) - {finding.check})),
        "other_max_rank": float(max((f.rank for f in others), default=0)),
        "overlapping": float(len(overlapping) + len(merged)),
        "overlap_max_rank": float(max((f.rank for f in overlapping), default=0)),
    }
    features[f"is:{finding.check}"] = 1.0
    for check in {f.check for f in others} | set(merged) | {c for f in others for c in f.also}:
        if check != finding.check:
            features[f"pair_has:{check}"] = 1.0
    return features


def evidence_matrix(rows: Iterable[dict[str, float]], names: Sequence[str]) -> np.ndarray:
    """Rows of evidence as a matrix in the order of ``names`` (absent one-hot features are 0)."""
    return np.array([[row.get(name, 0.0) for name in names] for row in rows], dtype=np.float64).reshape(-1, len(names))


class Judge:
    """The shipped model: ``probabilities(X)`` gives P(no error), P(minor), P(major), P(critical) per row."""

    def __init__(self, payload: dict) -> None:
        self.payload = payload
        self.features: tuple[str, ...] = tuple(payload["features"])
        self.bands: dict[str, float] = payload["bands"]
        self.head = FlipHead(payload["head"]) if payload.get("head") else None
        model = payload["model"]
        self.kind: str = model["kind"]
        if self.kind == "logistic":
            self._mean = np.array(model["mean"])
            self._scale = np.array(model["scale"])
            self._coef = np.array(model["coef"])
            self._intercept = np.array(model["intercept"])
        elif self.kind == "trees":
            self._init = np.array(model["init"])
            self._rate = float(model["learning_rate"])
            self._trees = [[_Tree(t) for t in stage] for stage in model["trees"]]
        else:
            raise ValueError(f"unknown judge model kind {self.kind!r}")

    def raw(self, X: np.ndarray) -> np.ndarray:
        if self.kind == "logistic":
            return ((X - self._mean) / self._scale) @ self._coef.T + self._intercept
        out = np.tile(self._init, (len(X), 1))
        for stage in self._trees:
            for k, tree in enumerate(stage):
                out[:, k] += self._rate * tree.predict(X)
        return out

    def probabilities(self, X: np.ndarray) -> np.ndarray:
        raw = self.raw(X)
        raw -= raw.max(axis=1, keepdims=True)
        exp = np.exp(raw)
        return exp / exp.sum(axis=1, keepdims=True)

    def severities(self, probabilities: np.ndarray, proposed: Sequence[int], checks: Sequence[str]) -> list[Severity]:
        """Fixed bands: critical where P(critical) reaches its edge, else major where P(major or worse) does;
        then kept between :func:`lowest_rank` and ``MAX_STEP`` levels above the check's own (``proposed``, ranks 1-3)."""
        return [SEVERITIES[judged_rank(p, self.bands, rank, check) - 1] for p, rank, check in zip(probabilities, proposed, checks)]


class FlipHead:
    """A two-layer network on a pair's sentence vectors, [u·v, |u−v|], that gives the probability that the
    translation states the opposite of the source (a negation added or lost, a word for its antonym).

    The cosine of the two vectors barely moves when one "not" is added; the element-wise product and
    difference keep the dimensions in which it does. Trained with the judge (:mod:`tq.bench.judge`) on flips
    made in development-split sentences.
    """

    def __init__(self, payload: dict) -> None:
        self.w1 = _unpack(payload["w1"])
        self.b1 = np.array(payload["b1"])
        self.w2 = np.array(payload["w2"])
        self.b2 = float(payload["b2"])

    @staticmethod
    def inputs(source_vectors: np.ndarray, target_vectors: np.ndarray) -> np.ndarray:
        return np.hstack([source_vectors * target_vectors, np.abs(source_vectors - target_vectors)])

    def probability(self, source_vectors: np.ndarray, target_vectors: np.ndarray) -> np.ndarray:
        return self.from_inputs(self.inputs(source_vectors, target_vectors))

    def from_inputs(self, inputs: np.ndarray) -> np.ndarray:
        hidden = np.maximum(inputs @ self.w1 + self.b1, 0.0)  # ReLU, as scikit-learn's MLPClassifier
        return 1.0 / (1.0 + np.exp(-(hidden @ self.w2 + self.b2)))


def pack(matrix: np.ndarray) -> dict:
    """A matrix as base64 float16 (a small file; float16 keeps the head's outputs to about 1e-3)."""
    import base64

    return {"shape": list(matrix.shape), "float16": base64.b64encode(np.asarray(matrix, dtype="<f2").tobytes()).decode()}


def _unpack(packed: dict) -> np.ndarray:
    import base64

    return np.frombuffer(base64.b64decode(packed["float16"]), dtype="<f2").astype(np.float64).reshape(packed["shape"])


class _Tree:
    """One regression tree of the ensemble, evaluated a batch of rows at a time (numpy, no scikit-learn)."""

    def __init__(self, arrays: dict) -> None:
        self.left = np.array(arrays["left"], dtype=np.int64)
        self.right = np.array(arrays["right"], dtype=np.int64)
        self.feature = np.array(arrays["feature"], dtype=np.int64)
        self.threshold = np.array(arrays["threshold"], dtype=np.float64)
        self.value = np.array(arrays["value"], dtype=np.float64)

    def predict(self, X: np.ndarray) -> np.ndarray:
        X = X.astype(np.float32).astype(np.float64)  # scikit-learn's trees compare float32 features
        node = np.zeros(len(X), dtype=np.int64)
        rows = np.arange(len(X))
        while True:
            inner = self.left[node] >= 0
            if not inner.any():
                return self.value[node]
            go_left = X[rows, np.maximum(self.feature[node], 0)] <= self.threshold[node]
            node = np.where(inner, np.where(go_left, self.left[node], self.right[node]), node)


@lru_cache(maxsize=1)
def judged_checks() -> frozenset[str]:
    """The checks whose findings the judge weighs (``Check.is_judged``); the others keep their own severity."""
    from .checks import all_checks

    return frozenset(check_id for check_id, cls in all_checks().items() if cls.is_judged())


@lru_cache(maxsize=1)
def raise_only_checks() -> frozenset[str]:
    """Judged checks whose findings the judge may raise but not lower (``Check.judge_may_lower``)."""
    from .checks import all_checks

    return frozenset(check_id for check_id in judged_checks() if not all_checks()[check_id].judge_may_lower)


def judged_rank(probabilities: np.ndarray, bands: dict[str, float], rank: int, check: str) -> int:
    """The rank (1-3) bands give one finding of ``check`` that its check ranked ``rank``: critical where P(critical)
    reaches its edge, else major where P(major or worse) does, kept between :func:`lowest_rank` and ``MAX_STEP``
    levels above ``rank``."""
    banded = 3 if probabilities[3] >= bands["critical"] else 2 if probabilities[2] + probabilities[3] >= bands["major"] else 1
    return min(max(banded, lowest_rank(check, rank)), rank + MAX_STEP)


def lowest_rank(check: str, rank: int) -> int:
    """The lowest rank the judge may give a finding that ``check`` ranked ``rank``."""
    return rank if check in raise_only_checks() else rank - MAX_STEP


@cache
def load_judge(path: Path = JUDGE_FILE) -> Judge | None:
    """The shipped judge, read once per process (None when none ships: the checks' own severities stand)."""
    if not path.exists():
        return None
    return Judge(json.loads(path.read_text("utf-8")))


def judge_id(path: Path = JUDGE_FILE) -> str:
    """For the report signature: which model and training data set the severities."""
    judge = load_judge(path)
    if judge is None:
        return "none"
    return str(judge.payload.get("signature", "unknown"))


def vector_evidence(pairs: Sequence[Pair], encoder, head: FlipHead | None) -> dict[int, tuple[float, float]]:
    """(flip head's probability, cosine) for each pair with findings and both sides, by ``id(pair)`` (pairs of
    several reports may be judged together)."""
    todo = [p for p in pairs if p.findings and p.source.strip() and p.target.strip()]
    if encoder is None or not todo:
        return {}
    vectors = encoder.encode([p.source for p in todo] + [p.target for p in todo])  # memoised by the encoder
    u, v = vectors[: len(todo)], vectors[len(todo):]
    flips = head.probability(u, v) if head is not None else np.full(len(todo), MISSING)
    return {id(pair): (float(f), float(c)) for pair, f, c in zip(todo, flips, (u * v).sum(axis=1))}


def judge_pairs(pairs: Iterable[Pair], src_lang: str = "it", tgt_lang: str = "en", judge: Judge | None = None,
                encoder=None) -> None:
    """Set every finding's severity and confidence from the judge's probabilities (in place).

    All findings of all pairs are judged in one matrix; each sees the raw severities of its pair's others.
    ``encoder`` gives the flip head its sentence vectors (without one, that evidence is missing).
    """
    judge = judge or load_judge()
    pairs = list(pairs)
    if judge is None:
        return
    evidence = vector_evidence(pairs, encoder, judge.head)
    rows, where = [], []
    for pair in pairs:
        for finding in pair.findings:
            rows.append(finding_evidence(pair, finding, src_lang, tgt_lang, evidence.get(id(pair), (MISSING, MISSING))))
            where.append(finding)
    if not rows:
        return
    probabilities = judge.probabilities(evidence_matrix(rows, judge.features))
    severities = judge.severities(probabilities, [f.rank for f in where], [f.check for f in where])
    for finding, severity, p in zip(where, severities, probabilities):
        if finding.check in judged_checks():
            finding.severity = severity
            finding.confidence = round(float(1.0 - p[0]), 2)

