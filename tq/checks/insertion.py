"""Words put back into the English and read by the LM: the shared test of the dropped-verb and dropped-subject checks.

Both checks look for a word the English lost by putting candidates back and asking the LM whether the sentence
reads better. The score is SLOR's: the LM's log-probability change of the text, plus the inserted words' own
unigram surprisal (wordfreq), so that a word is not charged for being a word, only for being out of place.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from . import Check, CheckContext
from ..types import Finding, Pair

SHORTLIST = 3           # variants the LM runs in full per pair: those whose first word it finds likeliest
CONTEXT_BEFORE, CONTEXT_AFTER = 12, 6  # words of the English the LM reads before the first insertion point and after the last


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
    the severity comes from the threshold, set on development data as the repair stage's is."""

    needs = frozenset({"encoder", "lm"})
    judged = False
    insert_from: float

    def check_document(self, ctx: CheckContext):
        lm = ctx.resources["lm"]
        todo = [(pair, insertions) for pair in ctx.pairs if pair.source.strip() and pair.target.strip() and ctx.lm_reads(pair)
                for insertions in [list(self.insertions(pair, ctx))] if insertions]
        found = on_lm_threads(lm, lambda item: best_insertion(lm, item[0].target, item[1]), todo)
        for (pair, _), best in zip(todo, found):
            if best is not None and best.score >= self.insert_from:
                yield pair.index, self.reported(pair, best)

    def insertions(self, pair: Pair, ctx: CheckContext) -> Iterable[Insertion]:
        raise NotImplementedError

    def reported(self, pair: Pair, best: Scored) -> Finding:
        """The finding for the best insertion, once it reaches ``insert_from``."""
        raise NotImplementedError

    def confidence(self, score: float) -> float:
        return round(min(0.9, 0.5 + 0.05 * (score - self.insert_from)), 2)


def best_insertion(lm, text: str, insertions: list[Insertion]) -> Scored | None:
    """The insertion the LM reads best, by SLOR; None where the LM scored none of them.

    The LM reads the English from a few words before the first insertion point to a few past the last: what lies
    further off weighs about the same with the words and without them (OnnxLM.compare's window), and the text's own
    run is half the cost."""
    from .fluency import expected_surprisal

    first, last = min(i.at for i in insertions), max(i.at for i in insertions)
    begin, cut = words_before(text, first, CONTEXT_BEFORE), words_after(text, last, CONTEXT_AFTER)
    gains = lm.compare(text[begin:cut], [i.variant[begin:cut + len(i.words) + 1] for i in insertions], shortlist=SHORTLIST)
    scored = [Scored(i, gain + sum(expected_surprisal(w) for w in i.words.split()), gain)
              for i, gain in zip(insertions, gains) if gain is not None]
    return max(scored, key=lambda s: s.score, default=None)


def on_lm_threads(lm, function, items: list) -> list:
    """``function`` of each item, the items side by side on the LM's threads (one LM run each, on one core), as the
    repair stage runs its sentences."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max(1, getattr(lm, "threads", 1))) as pool:
        return list(pool.map(function, items))


def around(text: str, at: int) -> tuple[int, int]:
    """The words either side of an insertion point: the span an editor sees highlighted and the suggestion replaces."""
    before = text.rfind(" ", 0, max(0, at - 1)) + 1
    after = text.find(" ", at)
    return before, len(text.rstrip()) if after < 0 else after


def words_before(text: str, at: int, words: int) -> int:
    """The offset of the word ``words`` words before ``at`` (0 if fewer precede)."""
    for _ in range(words + 1):
        at = text.rfind(" ", 0, at)
        if at < 0:
            return 0
    return at + 1


def words_after(text: str, at: int, words: int) -> int:
    """The offset ``words`` words after ``at`` (the end of the text if fewer follow)."""
    for _ in range(words + 1):
        at = text.find(" ", at + 1)
        if at < 0:
            return len(text)
    return at
