"""Segment and document quality scores (higher is better, 0..1).

MQM-style: penalty points per finding (minor 1, major 5, critical 10) per
word, multiplied by the encoder's adequacy probability when it is known.
"""
from __future__ import annotations

from .checks.adequacy import adequacy_probability
from .text import words
from .types import Pair

PENALTY = {"minor": 1.0, "major": 5.0, "critical": 10.0}


def pair_score(pair: Pair, digits: int | None = 4) -> float:
    """The pair's score, rounded for reports (``digits=None``: exact, for ranking pairs against each other)."""
    if not pair.source.strip() or not pair.target.strip():
        return 0.0
    size = max(len(words(pair.target)), len(words(pair.source)), 10)
    points = sum(PENALTY[f.severity] for f in pair.findings)
    score = max(0.0, 1.0 - points / size)
    if pair.similarity is not None:
        score *= adequacy_probability(pair.similarity)
    return score if digits is None else round(score, digits)


def document_score(pairs: list[Pair]) -> float:
    """Mean of the pair scores, weighted by the pairs' length in words."""
    weights = [max(len(words(p.source)), len(words(p.target)), 1) for p in pairs]
    if not pairs:
        return 1.0
    return round(sum(w * p.score for w, p in zip(weights, pairs)) / sum(weights), 4)
