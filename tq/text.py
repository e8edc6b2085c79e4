"""Small text helpers shared by the checks: word spans and word frequencies."""
from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

WORD = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")
APOSTROPHES = "'’"


class Token(NamedTuple):
    text: str
    start: int
    end: int


@lru_cache(maxsize=20_000)
def words(text: str) -> tuple[Token, ...]:
    """Alphabetic words (with inner apostrophes and hyphens) and their offsets (memoised: a dozen checks ask)."""
    return tuple(Token(m.group(), m.start(), m.end()) for m in WORD.finditer(text))


@lru_cache(maxsize=200_000)
def zipf(word: str, lang: str) -> float:
    """wordfreq's Zipf frequency (0 = unknown, 3 = once per million words, 7 = 'the')."""
    import wordfreq

    return wordfreq.zipf_frequency(word.replace("’", "'"), lang)


def is_sentence_initial(text: str, start: int) -> bool:
    """True when only punctuation, quotes or spaces precede ``start`` in its sentence."""
    before = text[:start].rstrip(" \t\"'“”«»‘’(-—–")
    return not before or before[-1] in ".!?:\n"


def document_apostrophe(text: str) -> str:
    """The apostrophe the translator uses most (’ or ')."""
    return "’" if text.count("’") >= text.count("'") else "'"
