"""Small text helpers shared by the checks: word spans, word frequencies and tq's own word lists."""
from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache
from typing import NamedTuple

WORD = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")
APOSTROPHES = "'’"
ROMAN_NUMERAL = re.compile(r"\b(?=[MDCLXVI]+\b)M{0,3}(?:C[MD]|D?C{0,3})(?:X[CL]|L?X{0,3})(?:I[XV]|V?I{0,3})\b")
_ROMAN_VALUES = {"M": 1000, "D": 500, "C": 100, "L": 50, "X": 10, "V": 5, "I": 1}


class Token(NamedTuple):
    text: str
    start: int
    end: int


def bundled_table(name: str) -> list[tuple[str, ...]]:
    """The rows of a tab-separated list in ``tq/data`` (exonyms, variants, opposites): each line's non-empty
    cells, stripped; blank lines and lines starting with # are left out."""
    from importlib.resources import files

    rows = []
    for line in (files("tq") / "data" / name).read_text("utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            rows.append(tuple(cell.strip() for cell in line.split("\t") if cell.strip()))
    return rows


# Tokens for word alignment (``tq align --words``): every word, number and punctuation mark of a sentence, the way
# hand-aligned corpora (XL-WA, Moses-tokenized) split it, so that Pharaoh indices can be compared with theirs.
# An Italian (or French) elided word keeps its apostrophe (dell'isola: dell' isola; l'84%: l' 84 %); an English
# clitic takes it on the right (John's: John 's; don't: don 't). Numbers keep inner points and commas (12,500; 3.5);
# words keep inner hyphens (long-range); any other character that is not a space is a token of its own.
_NUMBER = r"\d+(?:[.,]\d+)+"
_WORD = r"[^\W_]+(?:[-‐][^\W_]+)*"
_MARK = r"[^\w\s]|_"
_ELIDING = re.compile(rf"[^\W\d_]+['’](?=\w)|{_NUMBER}|{_WORD}|{_MARK}")
_CLITIC = re.compile(rf"(?<=[^\W\d_])['’][^\W\d_]+|{_NUMBER}|{_WORD}|{_MARK}")
ELIDING_LANGUAGES = frozenset({"it", "fr", "ca"})


def alignment_tokens(text: str, lang: str) -> tuple[Token, ...]:
    """The tokens of a sentence for word alignment (see above) with their offsets: Italian elisions keep the
    apostrophe on the left, other languages' clitics on the right."""
    pattern = _ELIDING if lang in ELIDING_LANGUAGES else _CLITIC
    return tuple(Token(m.group(), m.start(), m.end()) for m in pattern.finditer(text))


@lru_cache(maxsize=20_000)
def words(text: str) -> tuple[Token, ...]:
    """Alphabetic words (with inner apostrophes and hyphens) and their offsets (memoised: a dozen checks ask)."""
    return tuple(Token(m.group(), m.start(), m.end()) for m in WORD.finditer(text))


# Words wordfreq tokenises as themselves, normalised (NFC, case-folded): letters only, none that
# NFKC would rewrite (², ﬁ) and no Turkish dotted or dotless i (whose case folding it treats apart).
PLAIN_WORD = re.compile(r"[^\W\d_İı]+")


def _plain(word: str) -> bool:
    return PLAIN_WORD.fullmatch(word) is not None and unicodedata.is_normalized("NFKC", word)


@lru_cache(maxsize=200_000)
def zipf(word: str, lang: str) -> float:
    """wordfreq's Zipf frequency (0 = unknown, 3 = once per million words, 7 = 'the').

    A word of letters only is looked up in a table of wordfreq's own values kept
    in tq's cache (``tests/test_text.py`` checks they agree): wordfreq would
    import and read its whole list for the language, 0.3 s and 50 MB a process.
    Other words (apostrophes, hyphens, digits) ask wordfreq itself.
    """
    word = word.replace("’", "'")
    table = _zipf_table(lang) if _plain(word) else None
    if table is None:
        import wordfreq

        return wordfreq.zipf_frequency(word, lang)
    return table.get(unicodedata.normalize("NFC", word).casefold(), 0.0)


@cache
def _zipf_table(lang: str):
    """wordfreq's Zipf value of every word in its list for ``lang`` (None: a language it lacks)."""
    from importlib.metadata import version

    from .cache import cached_table, key_of

    def rows():
        import wordfreq

        for word in wordfreq.get_frequency_dict(lang, "best"):
            if _plain(word):
                yield word, wordfreq.zipf_frequency(word, lang)

    try:
        return cached_table(f"wordfreq/{lang}", key_of(version("wordfreq"), lang), rows)
    except (LookupError, ValueError):
        return None


def is_sentence_initial(text: str, start: int) -> bool:
    """True when only punctuation, quotes or spaces precede ``start`` in its sentence."""
    before = text[:start].rstrip(" \t\"'“”«»‘’(-—–")
    return not before or before[-1] in ".!?:\n"


def document_apostrophe(text: str) -> str:
    """The apostrophe the translator uses most (’ or ')."""
    return "’" if text.count("’") >= text.count("'") else "'"


def roman_value(numeral: str) -> int:
    """The value of a Roman numeral that ``ROMAN_NUMERAL`` matches (XIII: 13)."""
    values = [_ROMAN_VALUES[c] for c in numeral]
    return sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))
