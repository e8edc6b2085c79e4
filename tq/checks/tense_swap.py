"""An auxiliary in the wrong tense, found by reading it in the other: "the invasion [is → was] called".

The ``tense`` check compares each English verb group with the Italian one it renders, by rule, and flags only
clear contradictions: English shifts tenses for reasons of its own (reported speech, a historical present, a
state that a perfect left), so a rule that flagged every mismatch would flag clean news. What the rule cannot
read is the English sentence itself. A translation that put one auxiliary in another tense ("is" for «era»)
reads wrong against its own context ("On 15 August 1940 the Allies invaded southern France; the invasion is
called …"), and the English LM hears that.

So each finite auxiliary (be, have, do, will/would) is put in its other tense (is↔was, are↔were, has/have↔had,
does/do↔did, will↔would), and the LM compares the two sentences. The swap is tried only where the source asks
for it: the Italian verb group the word aligner links to the auxiliary is in the swapped tense and not in the
English one; where none is linked, the source has a finite verb in the swapped tense and none in the English
one. On the error suite's development split (a draw of seed 101, 1,600 sentences) that leaves 41 of 827 clean
pairs with a swap to read, and the LM's gain separates the changed tenses from the clean pairs: the clean pairs'
best gains reach 2.8 nats, while 45 of the 206 changed tenses and aspects gain 3.1 or more. With the swaps that
confirm the rule's verbs, 48 of its 103 changed tenses are caught at major or above, against 32 when the judge
weighed the rule's findings on those verbs alone (11 and 8 of its 103 changed aspects).

Severity is major from ``swap_from``, and the judge leaves it alone (it learnt on other checks' findings). Where
the ``tense`` rule flags the same verb, the LM's gain confirms the rule: the swap's finding, a little more
confident, absorbs the rule's when findings are merged (one error, one finding). Before, such a verb was left to
the rule's finding alone, which the judge lowers to minor on most pairs (it learnt that the rule alone misfires
on clean news: reported speech, English's own sequence of tenses). The swapped word is the suggestion, with
``fix_origin`` "model" (the LM chose it): ``tq fix`` writes it only with ``--min-confidence``.
"""
from __future__ import annotations

from typing import NamedTuple

from . import Check, CheckContext, register
from .tense import TenseCheck
from ..text import Token
from ..types import Finding, Pair

# the other tense of each auxiliary; "had" goes back to "has" or "have", whichever the LM reads better
SWAPS = {"is": ("was",), "am": ("was",), "are": ("were",), "was": ("is",), "were": ("are",), "has": ("had",),
         "have": ("had",), "had": ("has", "have"), "does": ("did",), "do": ("did",), "did": ("does", "do"),
         "will": ("would",), "would": ("will",)}
_PAST = frozenset({"imperfect", "past-historic", "perfect", "pluperfect", "past-anterior", "conditional-perfect"})
# the Italian tenses each English auxiliary may render (a passato prossimo is "has said" or "said")
RENDERS = {"was": _PAST, "were": _PAST, "did": _PAST, "had": _PAST,
           "is": frozenset({"present"}), "am": frozenset({"present"}), "are": frozenset({"present"}),
           "does": frozenset({"present"}), "do": frozenset({"present"}),
           "has": frozenset({"present", "perfect"}), "have": frozenset({"present", "perfect"}),
           "will": frozenset({"future", "future-perfect", "present"}),
           "would": frozenset({"conditional", "conditional-perfect"}) | _PAST}
MAX_SWAPS = 6      # auxiliaries read per pair: the cost stays linear in the text
READ_AFTER = 40    # tokens after a swap the LM reads: the context that decides a tense may come later in the sentence
LINKED = 0.5       # the word aligner's probability from which an auxiliary renders the Italian token


class Swap(NamedTuple):
    """An auxiliary at ``start``:``end`` of the English, ``word`` in its place, and the English with it."""

    start: int
    end: int
    word: str
    source: Token | None  # the Italian token the auxiliary is linked to, if any
    variant: str


def _tenses(form) -> frozenset[str]:
    """The tenses an Italian verb group may be: its own, or its readings where the form cannot tell («è considerato»)."""
    return frozenset({form.tense} if form.tense else form.readings)


@register
class TenseSwapCheck(Check):
    id = "tense-swap"
    category = "accuracy/mistranslation"
    description = ("an auxiliary in another tense than the Italian verb's, which the LM reads better in the Italian's "
                   "(“the invasion [is → was] called” for «prese il nome»)")
    needs = frozenset({"encoder", "lm"})
    judged = False
    # LM gain (nats) from which a swap is a major tense error: the lowest the development data leave without a false
    # alarm. On the error suite's development split (seed 101, 1600 sentences) the clean pairs' best gains were 2.7
    # and 2.4 ("Hydrogen ions are protons that had their electrons stripped off", "is available" for «è scaricabile …
    # si è aggiunta»); 45 of the 206 changed tenses and aspects reach 3.1, the lowest at 3.1, 3.2 and 3.2. On
    # `tq bench docs`' development halves (2,713 pairs), since the swap also confirms the rule's verbs: +3.0 on
    # "they were now based on caliber" for «ora sono basate» (a past narrative, no error: hence 3.1, not 3.0, the
    # threshold before the swap confirmed the rule), +3.0 on "It is Mr. Vic Toews … which allowed himself last
    # summer" for «E' stato», +3.2 on "the other team would be playing" for «giocherà», +3.4 on "the bodies were
    # still under the wreckage" for «si trovano» (the source says they are), +3.4 on "the girl was sitting …, even
    # though there are two more seats" for «nonostante ci fossero» (the reference is wrong)
    swap_from = 3.1
    tunable = {"swap_from": "LM gain (nats) from which an auxiliary read better in the Italian verb's tense is a tense error"}

    def prepare(self, ctx: CheckContext) -> None:
        # the whole English is compared (the fluency check's LM pass answers where it scores the same text)
        self._asked = [(pair, swaps, ctx.ask_lm(pair, pair.target, [swap.variant for swap in swaps], window=READ_AFTER))
                       for pair in ctx.pairs if pair.source.strip() and pair.target.strip() and ctx.lm_reads(pair)
                       for swaps in [_swaps(pair, ctx)[:MAX_SWAPS]] if swaps]

    def check_document(self, ctx: CheckContext):
        read = ctx.compared([comparison for _, _, comparison in self._asked])
        for (pair, swaps, _), gains in zip(self._asked, read):
            scored = [(gain, swap) for gain, swap in zip(gains, swaps) if gain is not None and gain >= self.swap_from]
            if scored:
                gain, swap = max(scored, key=lambda s: s[0])
                # the rule's findings are read only for a pair with a swap to report: where the rule flags the same
                # verb, the LM confirms it, and the swap's finding (with its fix) stands for both
                ruled = any(f.start < swap.end and swap.start < f.end for f in TenseCheck().check_pair(pair, ctx))
                yield pair.index, self._finding(pair, gain, swap, ruled)

    def _finding(self, pair: Pair, gain: float, swap: Swap, ruled: bool) -> Finding:
        start, end, word, source = swap.start, swap.end, swap.word, swap.source
        said = pair.target[start:end]
        where = f"the source's «{pair.source[source.start:source.end]}»" if source is not None else "the source's verbs"
        return self.finding(start, end, "major",
                            f"“{said}” reads in the wrong tense: {where} and the rest of the sentence read better with "
                            f"“{word}” (+{gain:.1f} nats)",
                            # above the rule's own finding (0.6) where it flags the verb too, so that merging keeps this one
                            confidence=round(min(0.9, 0.6 + 0.05 * (gain - self.swap_from) + (0.05 if ruled else 0)), 2),
                            suggestion=word,
                            fix_origin="model",
                            **({"source_start": source.start, "source_end": source.end} if source is not None else {}))


def _swaps(pair: Pair, ctx: CheckContext) -> list[Swap]:
    """Each auxiliary whose other tense the source asks for, in that tense."""
    from ..morphology import italian_verb_groups, spanning_group

    alignment = ctx.word_alignment(pair)
    tokens, probability, text = alignment.target_tokens, alignment.token_probability, pair.target
    auxiliaries = [(j, t) for j, t in enumerate(tokens) if t.text.lower() in SWAPS]
    if not auxiliaries or not probability.size:
        return []
    forms = italian_verb_groups([t.text for t in alignment.source_tokens])
    everywhere = frozenset().union(*(_tenses(f) for f in forms if f is not None and f.finite))
    found = []
    for j, token in auxiliaries:
        said = token.text.lower()
        tenses, source = everywhere, None
        i = int(probability[:, j].argmax())
        spanning = spanning_group(forms, i) if probability[i, j] >= LINKED else None
        if spanning is not None:
            tenses, source = _tenses(spanning[1]), alignment.source_tokens[i]
        if tenses & RENDERS[said]:
            continue  # the source allows the English tense
        for other in SWAPS[said]:
            if tenses & RENDERS[other]:
                word = other.capitalize() if token.text[0].isupper() else other
                found.append(Swap(token.start, token.end, word, source, text[:token.start] + word + text[token.end:]))
    return found
