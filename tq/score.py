"""Segment and document quality scores (higher is better, 0..1).

MQM-style: penalty points per finding (minor 1, major 5, critical 10) per
word, multiplied by the encoder's adequacy probability, the pair's word
coverage (:mod:`tq.lexicon`) and the LM's fluency probability when they are
known. Coverage and fluency move the score a little, but they move it for
errors no check flags (a vaguer word, a wrong article), which is what ranking
a clean translation above a faulty one needs.
"""
from __future__ import annotations

import math

from .checks.adequacy import adequacy_probability
from .text import words
from .types import Pair

PENALTY = {"minor": 1.0, "major": 5.0, "critical": 10.0}
FLOOR = 0.8  # coverage and fluency refine a score, findings decide it: at worst they take 20% of it
# mean LM surprisal (nats per word) of clean news English, FLORES/NTREX/WMT09: median 4.45, 95th percentile 6.5
FLUENT_SURPRISAL, SURPRISAL_SCALE = 6.0, 1.0


def fluency_probability(surprisal: float) -> float:
    """Rough probability that a sentence with this mean LM surprisal reads as fluent English."""
    return 1.0 / (1.0 + math.exp((surprisal - FLUENT_SURPRISAL) / SURPRISAL_SCALE))


def pair_score(pair: Pair, digits: int | None = 4) -> float:
    """The pair's score, rounded for reports (``digits=None``: exact, for ranking pairs against each other)."""
    if not pair.source.strip() or not pair.target.strip():
        return 0.0
    size = max(len(words(pair.target)), len(words(pair.source)), 10)
    points = sum(PENALTY[f.severity] for f in pair.findings)
    score = max(0.0, 1.0 - points / size)
    if pair.similarity is not None:
        score *= adequacy_probability(pair.similarity)
    if pair.word_coverage is not None:
        score *= FLOOR + (1 - FLOOR) * pair.word_coverage
    if pair.lm_surprisal is not None:
        score *= FLOOR + (1 - FLOOR) * fluency_probability(pair.lm_surprisal)
    return score if digits is None else round(score, digits)


def document_score(pairs: list[Pair]) -> float:
    """Mean of the pair scores, weighted by the pairs' length in words."""
    weights = [max(len(words(p.source)), len(words(p.target)), 1) for p in pairs]
    if not pairs:
        return 1.0
    return round(sum(w * p.score for w, p in zip(weights, pairs)) / sum(weights), 4)
