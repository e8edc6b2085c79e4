"""Omissions and additions: unaligned sentences, and clauses with no counterpart.

A clause is taken as missing from the translation when removing it from the
source makes the source *more* similar to the translation (leave-one-out on
the encoder's similarity); additions are found the same way on the English
side. The test only runs where the length ratio already hints at a gap, which
keeps its cost low.
"""
from __future__ import annotations

import re

from . import Check, CheckContext, register
from ..text import words
from ..types import Pair

_CLAUSE_BREAK = re.compile(r"\s*[,;:()—–]\s*|\s+-\s+")
LENGTH_RATIO = 0.95     # English/Italian characters in news (FLORES devtest: 0.93-0.97)
SHORT, LONG = 0.75, 1.35  # ratios (to the expected length) that trigger the clause test
MIN_GAIN = 0.04


def clauses(text: str) -> list[tuple[int, int]]:
    """(start, end) of clauses of 4+ words, cut at punctuation."""
    spans, start = [], 0
    for m in _CLAUSE_BREAK.finditer(text):
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(text.rstrip(" .!?…\"”»"))))
    return [(s, e) for s, e in spans if len(words(text[s:e])) >= 4]


def _leave_one_out(ctx: CheckContext, side: str, other: str) -> list[tuple[int, int, float]]:
    """Clauses of ``side`` whose removal raises its similarity to ``other``, with the gain."""
    spans = clauses(side)
    if len(spans) < 2:
        return []
    variants = [side[:s] + side[e:] for s, e in spans]
    vectors = ctx.encoder.encode([side, other] + variants)
    full = float(vectors[0] @ vectors[1])
    gains = [(s, e, float(v @ vectors[1]) - full) for (s, e), v in zip(spans, vectors[2:])]
    return [g for g in gains if g[2] >= MIN_GAIN]


@register
class OmissionCheck(Check):
    id = "omission"
    category = "accuracy/omission"
    description = "source sentences or clauses with no counterpart in the translation"
    needs = frozenset({"encoder"})

    def check_pair(self, pair: Pair, ctx: CheckContext):
        source = pair.source.strip()
        if not source:
            return
        size = len(words(source))
        if not pair.target.strip():
            yield self.finding(0, 0, "major" if size >= 6 else "minor", f"not translated: «{_clip(source)}»",
                               confidence=0.9 if size >= 6 else 0.6, source_start=0, source_end=len(pair.source.rstrip()))
            return
        if len(pair.target) >= SHORT * LENGTH_RATIO * len(pair.source):
            return
        for start, end, gain in _leave_one_out(ctx, pair.source, pair.target):
            spot = _word_boundary(pair.target, round(len(pair.target) * start / max(len(pair.source), 1)))
            yield self.finding(spot, spot, "major" if gain >= 0.08 else "minor",
                               f"the translation seems to leave out «{_clip(pair.source[start:end])}»",
                               confidence=round(min(0.9, 0.4 + 5 * gain), 2), source_start=start, source_end=end)


@register
class AdditionCheck(Check):
    id = "addition"
    category = "accuracy/addition"
    description = "English sentences or clauses with no counterpart in the source"
    needs = frozenset({"encoder"})

    def check_pair(self, pair: Pair, ctx: CheckContext):
        target = pair.target.rstrip()
        if not target.strip():
            return
        size = len(words(target))
        if not pair.source.strip():
            yield self.finding(0, len(target), "major" if size >= 6 else "minor", "this sentence has no counterpart in the source",
                               confidence=0.9 if size >= 6 else 0.6)
            return
        if len(pair.target) <= LONG * LENGTH_RATIO * len(pair.source):
            return
        for start, end, gain in _leave_one_out(ctx, pair.target, pair.source):
            yield self.finding(start, end, "major" if gain >= 0.08 else "minor", "this clause has no counterpart in the source",
                               confidence=round(min(0.9, 0.4 + 5 * gain), 2))


def _clip(text: str, size: int = 80) -> str:
    return text if len(text) <= size else text[: size - 1] + "…"


def _word_boundary(text: str, position: int) -> int:
    position = min(max(position, 0), len(text))
    while 0 < position < len(text) and not text[position - 1].isspace():
        position -= 1
    return position
