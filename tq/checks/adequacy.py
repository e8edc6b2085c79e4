"""Semantic adequacy: does the translation say what the source says?

Cross-lingual cosine similarity of the pair's sentence vectors, mapped to a
severity by thresholds set on FLORES devtest (clean human translations score
0.59 at their 1st percentile, 0.81 at the median; unrelated sentences 0.05).
"""
from __future__ import annotations

import math

from . import Check, CheckContext, register
from ..text import words
from ..types import Pair, Severity

# similarity below which each severity applies (see module docstring)
THRESHOLDS = (("critical", 0.25), ("major", 0.40), ("minor", 0.52))
CLEAN_MEDIAN = 0.81


def adequacy_probability(similarity: float) -> float:
    """Rough probability that a pair with this similarity is an adequate translation."""
    return 1.0 / (1.0 + math.exp(-(similarity - 0.52) / 0.05))


@register
class AdequacyCheck(Check):
    id = "adequacy"
    category = "accuracy/mistranslation"
    description = "low cross-lingual similarity between source and translation"
    needs = frozenset({"encoder"})
    critical_below, major_below, minor_below = (threshold for _, threshold in THRESHOLDS)
    tunable = {"critical_below": "similarity below which a pair is a critical mistranslation",
               "major_below": "similarity below which it is a major one",
               "minor_below": "similarity below which it is a minor one"}

    def check_pair(self, pair: Pair, ctx: CheckContext):
        if len(words(pair.source)) < 3 or len(words(pair.target)) < 3:
            return  # bylines and datelines: too short for a stable similarity
        similarity = ctx.similarity(pair)
        if similarity is None:
            return
        bands: tuple[tuple[Severity, float], ...] = (("critical", self.critical_below), ("major", self.major_below),
                                                     ("minor", self.minor_below))
        for severity, threshold in bands:
            if similarity < threshold:
                end = len(pair.target.rstrip())
                yield self.finding(0, end, severity, f"the translation does not seem to say what the source says (similarity {similarity:.2f}, "
                                   f"clean translations score about {CLEAN_MEDIAN:.2f})",
                                   confidence=round(1 - adequacy_probability(similarity), 2))
                return
