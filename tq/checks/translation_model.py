"""Checks that compare the translation with what a translation model says.

- ``mt-qe``: forced-decoding quality estimation. Each token of the
  translation is scored by the model given the source; runs of tokens the
  model finds far less likely than its own translation's tokens become spans.
- ``mt-adequacy``: sentence chrF (sacrebleu) between the translation and the
  model's own translation.
- ``mt-coverage``: content words the model's translation has and the
  translation lacks (omissions), and the reverse (additions).
"""
from __future__ import annotations

import re
import statistics

from rapidfuzz import fuzz

from . import Check, CheckContext, register
from ..text import words, zipf
from ..types import Pair, Severity

QE_GAP: dict[Severity, float] = {"minor": 3.0, "major": 5.0, "critical": 8.0}  # nats below the model's own per-token log-probability
CHRF_MAJOR, CHRF_MINOR = 20.0, 32.0                     # model-vs-human chrF on clean news is typically 45-65
_PUNCT = re.compile(r"^\W*$")


def _severity(gap: float) -> Severity | None:
    order: tuple[Severity, ...] = ("critical", "major", "minor")
    return next((s for s in order if gap >= QE_GAP[s]), None)


@register
class ForcedDecodingQE(Check):
    id = "mt-qe"
    category = "accuracy/mistranslation"
    description = "words the translation model finds very unlikely given the source (forced decoding)"
    needs = frozenset({"mt"})

    def check_document(self, ctx: CheckContext):
        pairs = [p for p in ctx.pairs if p.source.strip() and p.target.strip()]
        if not pairs:
            return
        mt = ctx.mt
        own = [ctx.machine_translation(p) for p in pairs]
        given = mt.score([p.source for p in pairs], [p.target.strip() for p in pairs])
        expected = mt.score([p.source for p in pairs], own)
        for pair, tokens, reference in zip(pairs, given, expected):
            baseline = statistics.fmean([t.logprob for t in reference]) if reference else -2.0
            for start, end, gap in _low_runs(tokens, baseline):
                severity = _severity(gap)
                if severity:
                    yield pair.index, self.finding(start, end, severity,
                                                   f"the translation model finds this unlikely here ({gap:.1f} nats below its own wording)",
                                                   confidence=round(min(0.95, 0.4 + gap / 15), 2))


def _low_runs(tokens, baseline: float) -> list[tuple[int, int, float]]:
    """Spans of consecutive low-probability tokens (one good token may sit inside), with their mean gap."""
    runs, current = [], []
    for token in tokens:
        if token.end <= token.start or _PUNCT.match(token.text):
            continue
        gap = baseline - token.logprob
        if gap >= QE_GAP["minor"]:
            current.append((token, gap))
        elif current:
            runs.append(current)
            current = []
    if current:
        runs.append(current)
    return [(run[0][0].start, run[-1][0].end, statistics.fmean(g for _, g in run)) for run in runs]


@register
class ModelChrF(Check):
    id = "mt-adequacy"
    category = "accuracy/mistranslation"
    description = "low chrF between the translation and the translation model's own"
    needs = frozenset({"mt"})

    def check_pair(self, pair: Pair, ctx: CheckContext):
        if len(words(pair.source)) < 4 or not pair.target.strip():
            return
        from sacrebleu.metrics import CHRF

        own = ctx.machine_translation(pair)
        score = CHRF().sentence_score(pair.target, [own]).score
        bands: tuple[tuple[Severity, float], ...] = (("major", CHRF_MAJOR), ("minor", CHRF_MINOR))
        for severity, threshold in bands:
            if score < threshold:
                yield self.finding(0, len(pair.target.rstrip()), severity,
                                   f"far from the translation model's rendering (chrF {score:.0f}): “{own}”",
                                   confidence=round(min(0.9, (CHRF_MINOR - score) / CHRF_MINOR + 0.3), 2), suggestion=None)
                return


def _content(text: str) -> list:
    return [w for w in words(text) if len(w.text) >= 4 and zipf(w.text.lower(), "en") < 5.5]


def _has_match(word: str, candidates: list[str]) -> bool:
    return any(fuzz.ratio(word.lower(), c.lower()) >= 80 or word.lower()[:5] == c.lower()[:5] for c in candidates)


@register
class ModelCoverage(Check):
    id = "mt-coverage"
    category = "accuracy/omission"
    description = "content the translation model renders but the translation lacks, or adds"
    needs = frozenset({"mt"})
    MIN_RUN = 3

    def check_pair(self, pair: Pair, ctx: CheckContext):
        if len(words(pair.source)) < 6 or not pair.target.strip():
            return
        own = ctx.machine_translation(pair)
        target_words = [w.text for w in words(pair.target)]
        own_words = [w.text for w in words(own)]
        missing = [w for w in _content(own) if not _has_match(w.text, target_words)]
        if len(missing) >= self.MIN_RUN:
            spot = len(pair.target.rstrip())
            yield self.finding(spot, spot, "minor", f"the translation model also says: {', '.join(w.text for w in missing)}",
                               confidence=0.4)
        added = [w for w in _content(pair.target) if not _has_match(w.text, own_words) and w.text.lower() not in pair.source.lower()]
        if len(added) >= self.MIN_RUN:
            yield self.finding(added[0].start, added[-1].end, "minor", "words the translation model does not render: "
                               + ", ".join(w.text for w in added), category="accuracy/addition", confidence=0.4)
