"""Words put back into the English and read by the LM: the shared test of the dropped-verb and dropped-subject checks.

Both checks look for a word the English lost by putting candidates back and asking the LM whether the sentence
reads better. The score is SLOR's: the LM's log-probability change of the text, plus the inserted words' own
unigram surprisal (wordfreq), so that a word is not charged for being a word, only for being out of place.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from . import Check, CheckContext
from ..types import Finding, Pair

if TYPE_CHECKING:
    from ..models.lm import Comparison

SHORTLIST = 3           # variants the LM runs in full per pair: those whose first word it finds likeliest


@dataclass(frozen=True)
class Insertion:
    """``words`` put in before character ``at`` of the English; ``variant`` is the English with them (and with
    whatever case change the place asks for: "Said" -> "He said"), ``len(words) + 1`` characters longer."""

    at: int
    words: str
    variant: str
    about: Any = None  # what the check needs back with the winner (the source word it puts back)


@dataclass(frozen=True)
class Scored:
    insertion: Insertion
    score: float  # SLOR: the LM's gain plus the inserted words' unigram surprisal (nats)
    gain: float   # the LM's gain alone: positive where the English reads better with the words outright


class InsertionCheck(Check):
    """A check that puts candidate words back into each pair's English and reports the one the LM reads best, where
    its score reaches ``insert_from``. The judge leaves it alone (``judged``): it learnt on other checks' findings, so
    the severity comes from the threshold, set on development data as the repair stage's is.

    The LM compares the sentence the fluency check scores (past a dateline) with each variant, so the fluency
    check's LM pass answers the comparison on the sentence's own run."""

    needs = frozenset({"encoder", "lm"})
    judged = False
    insert_from: float

    def prepare(self, ctx: CheckContext) -> None:
        self._asked: list[tuple[Pair, list[Insertion], Comparison]] = []
        for pair in ctx.pairs:
            if not (pair.source.strip() and pair.target.strip() and ctx.lm_reads(pair)):
                continue
            offset = ctx.lm_text_start(pair)
            insertions = [i for i in self.insertions(pair, ctx) if i.at >= offset]
            if insertions:
                comparison = ctx.ask_lm(pair, pair.target[offset:], [i.variant[offset:] for i in insertions], shortlist=SHORTLIST)
                self._asked.append((pair, insertions, comparison))

    def check_document(self, ctx: CheckContext):
        gains = ctx.compared([comparison for _, _, comparison in self._asked])
        for (pair, insertions, _), gained in zip(self._asked, gains):
            best = best_insertion(insertions, gained)
            if best is not None and best.score >= self.insert_from:
                yield pair.index, self.reported(pair, best)

    def insertions(self, pair: Pair, ctx: CheckContext) -> Iterable[Insertion]:
        raise NotImplementedError

    def reported(self, pair: Pair, best: Scored) -> Finding:
        """The finding for the best insertion, once it reaches ``insert_from``."""
        raise NotImplementedError

    def confidence(self, score: float) -> float:
        return round(min(0.9, 0.5 + 0.05 * (score - self.insert_from)), 2)


def best_insertion(insertions: list[Insertion], gains: list[float | None]) -> Scored | None:
    """The insertion the LM reads best, by SLOR (the LM's gain for the sentence with it, plus the inserted words'
    unigram surprisal); None where the LM scored none of them (the rest of the shortlist)."""
    from .fluency import expected_surprisal

    scored = [Scored(i, gain + sum(expected_surprisal(w) for w in i.words.split()), gain)
              for i, gain in zip(insertions, gains) if gain is not None]
    return max(scored, key=lambda s: s.score, default=None)


def around(text: str, at: int) -> tuple[int, int]:
    """The words either side of an insertion point: the span an editor sees highlighted and the suggestion replaces."""
    before = text.rfind(" ", 0, max(0, at - 1)) + 1
    after = text.find(" ", at)
    return before, len(text.rstrip()) if after < 0 else after
