"""Word-level spelling: lost hyphens, lost apostrophes, non-words, repeated words.

Word knowledge, and correction candidates for non-words, come from
wordfreq's English frequencies (Zipf scale).
"""
from __future__ import annotations

import re
from functools import lru_cache

from . import Check, CheckContext, register
from ..lexicon import Word, capitalised
from ..text import document_apostrophe, words, zipf
from ..types import Pair

_CAMEL = re.compile(r"\b([A-Z][a-z]{2,})([A-Z][a-z]{2,})\b")
_NAME_PREFIXES = {"Mac", "Van", "Von", "Della", "Del", "Dei", "Des"}
_SUFFIXES = ("ing", "ed", "es", "s", "er", "ers", "ly")
_REPEAT = re.compile(r"\b([^\W\d_]+)(\s+)\1\b", re.IGNORECASE)
_LEGIT_REPEATS = {"had", "that", "is", "do", "bye", "very", "so", "ha", "no", "yeah", "now", "knock"}


def _known(word: str) -> bool:
    lower = word.lower()
    if zipf(lower, "en") >= 2.0:
        return True
    return any(lower.endswith(s) and len(lower) - len(s) >= 4 and zipf(lower[: -len(s)], "en") >= 2.5 for s in _SUFFIXES)


HALF_ZIPF = 3.5  # both halves of a run-together compound must be at least this common


def _hyphen_split(word: str) -> tuple[str, str, float] | None:
    """The two most frequent halves of a run-together compound, when both are common words."""
    best = None
    for k in range(3, len(word) - 2):
        left, right = word[:k], word[k:]
        score = min(zipf(left.lower(), "en"), zipf(right.lower(), "en"))
        if best is None or score > best[2]:
            best = (left, right, score)
    return best if best and best[2] >= HALF_ZIPF else None


@register
class LostHyphenCheck(Check):
    """Compounds whose hyphen was lost: RussiaUkraine, AngloAmerican, longrange."""

    id = "lost-hyphen"
    category = "fluency/spelling"
    description = "hyphenated compound written as one word"

    def check_pair(self, pair: Pair, ctx: CheckContext):
        for m in _CAMEL.finditer(pair.target):
            whole, left, right = m.group(), m.group(1), m.group(2)
            if left in _NAME_PREFIXES or zipf(whole.lower(), "en") >= 1.5 or whole in pair.source:
                continue  # a name with its capitals inside (McDonald, AstroNet), as the source writes it
            if zipf(left.lower(), "en") >= 2.5 and zipf(right.lower(), "en") >= 2.5:
                yield self.finding(m.start(), m.end(), "minor", f"'{whole}' looks like '{left}-{right}' without its hyphen",
                                   suggestion=f"{left}-{right}", confidence=0.9)
        for token in words(pair.target):
            word = token.text
            if not word.islower() or len(word) < 7 or "-" in word or "'" in word or "’" in word or _known(word):
                continue
            if word.lower() in pair.source.lower():  # a foreign word or name copied from the source
                continue
            split = _hyphen_split(word)
            if split:  # no fix offered: a rare closed compound may be right ("fourballs", "homewear")
                left, right, score = split
                yield self.finding(token.start, token.end, "minor", f"'{word}' may be '{left}-{right}' without its hyphen",
                                   confidence=min(0.9, 0.4 + (score - HALF_ZIPF) / 2))


@register
class MissingApostropheCheck(Check):
    """Contractions that lost their apostrophe: dont, isnt, youre."""

    id = "missing-apostrophe"
    category = "fluency/spelling"
    description = "contraction without its apostrophe"

    def check_pair(self, pair: Pair, ctx: CheckContext):
        apostrophe = document_apostrophe(pair.target)
        for token in words(pair.target):
            word = token.text
            if "'" in word or "’" in word or len(word) < 3 or len(word) > 8 or word.isupper() or capitalised(token, pair.target):
                continue  # USA, Ian, Bean: not contractions
            candidate = _contraction(word)
            if candidate is None:
                continue
            own, better = zipf(word.lower(), "en"), zipf(candidate.lower(), "en")
            if better >= 5.0 and better - own >= 1.2:
                yield self.finding(token.start, token.end, "minor", f"'{word}' should be '{candidate.replace(chr(39), apostrophe)}'",
                                   suggestion=candidate.replace("'", apostrophe), confidence=0.9)


# The endings an English contraction puts after its apostrophe (don't, it's, you're, we've, I'll, he'd, I'm).
_CONTRACTION = re.compile(r"^([^\W\d_]+?)(n)(t)$|^([^\W\d_]+?)(s|re|ve|ll|d|m)$", re.IGNORECASE)


def _contraction(word: str) -> str | None:
    """The word with an apostrophe where a contraction has one ("dont" -> "don't", "youre" -> "you're"),
    or None: an apostrophe anywhere else ("be'at") is no contraction."""
    m = _CONTRACTION.match(word)
    if not m:
        return None
    if m.group(1):
        return f"{m.group(1)}n't"
    return f"{m.group(4)}'{m.group(5)}"


@lru_cache(maxsize=1)
def _vocabulary() -> list[str]:
    """The 50,000 most frequent English words, most frequent first."""
    import wordfreq

    return [w for w in wordfreq.top_n_list("en", 50_000) if w.isalpha()]


def spelling_suggestion(word: str) -> str | None:
    """The only or the most frequent English word one edit away (a letter added, dropped, changed or two
    swapped), or None: two edits away, "nidicolous" would become "ridiculous" (rapidfuzz in C++)."""
    from rapidfuzz import process
    from rapidfuzz.distance import OSA

    word = word.lower()
    hits = [hit for hit in process.extract(word, _vocabulary(), scorer=OSA.distance, score_cutoff=1, limit=None) if hit[0] != word]
    if not hits:
        return None
    return min(hits, key=lambda hit: hit[2])[0]  # the most frequent (the vocabulary is in frequency order)


@register
class NonWordCheck(Check):
    """Lower-case words that English does not have and the source does not contain."""

    id = "non-word"
    category = "fluency/spelling"
    description = "word not found in English (not a name, not copied from the source)"

    def check_pair(self, pair: Pair, ctx: CheckContext):
        source = pair.source.lower()
        for token in words(pair.target):
            word = token.text
            if not word.islower() or len(word) < 4 or "-" in word or word in source:
                continue
            if zipf(word, "en") > 0 or _known(word) or zipf(word, ctx.src_lang) >= 3.0:
                continue  # known English, or an untranslated word (another check's business)
            if _hyphen_split(word) or _prefixed(word):
                continue  # a lost hyphen (lost-hyphen's), or a prefix before a known word (reinjecting)
            yield self.finding(token.start, token.end, "minor", f"'{word}' is not an English word",
                               suggestion=spelling_suggestion(word), confidence=0.6)


_PREFIXES = ("re", "un", "non", "pre", "post", "over", "under", "co", "anti", "inter", "multi", "mis", "out", "sub", "super",
             "counter", "cross", "semi", "self", "mid", "de", "dis", "micro", "mega", "ultra")


def _prefixed(word: str) -> bool:
    """A common prefix before a known English word: a word English makes as it needs (reinjecting, overpolicing)."""
    return any(word.startswith(p) and len(word) - len(p) >= 4 and _known(word[len(p):]) for p in _PREFIXES)


@register
class RepeatedWordCheck(Check):
    """The same word twice in a row ("the the"), except legitimate repeats ("had had")."""

    id = "repeated-word"
    category = "fluency/grammar"
    description = "word repeated twice in a row"

    def check_pair(self, pair: Pair, ctx: CheckContext):
        for m in _REPEAT.finditer(pair.target):
            if m.group(1).lower() in _LEGIT_REPEATS or pair.target[m.start() - 1:m.start()] == "-":
                continue  # "Moon Jae-in in": the first is the end of a hyphenated name
            second = m.start() + len(m.group(1))
            if capitalised(Word(m.group(1), m.start(), second), pair.target) or re.match(r"[\s-]*[A-Z]", pair.target[m.end():]):
                continue  # a name that repeats itself (Pago Pago, Roa Roa Hotel) or one of several names
            yield self.finding(second, m.end(), "minor", f"'{m.group(1)}' is repeated", suggestion="", confidence=0.9)
