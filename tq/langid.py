"""Which language is a document in? Enough to catch swapped or wrong inputs.

Hand-written on top of wordfreq's frequency lists (already a dependency):
the share of a text's words that are among a language's 200 most frequent
words is a reliable signal on whole paragraphs, costs nothing to load, and
avoids a separate language-identification model.
"""
from __future__ import annotations

import re
from functools import lru_cache

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
COMMON_LANGUAGES = ("it", "en", "fr", "es", "de", "pt")


@lru_cache(maxsize=None)
def _function_words(lang: str) -> frozenset[str]:
    import wordfreq

    try:
        return frozenset(wordfreq.top_n_list(lang, 200))
    except LookupError:
        return frozenset()


def language_scores(text: str, languages: tuple[str, ...] = COMMON_LANGUAGES) -> dict[str, float]:
    """Share of the text's words found among each language's most frequent words."""
    words = [w.lower() for w in _WORD.findall(text[:20000])]
    if not words:
        return {lang: 0.0 for lang in languages}
    return {lang: sum(w in _function_words(lang) for w in words) / len(words) for lang in languages}


def guess_language(text: str, languages: tuple[str, ...] = COMMON_LANGUAGES) -> str | None:
    """The best-scoring language, or None when the text has too few words to tell."""
    if len(_WORD.findall(text[:20000])) < 4:
        return None
    scores = language_scores(text, languages)
    best = max(scores, key=scores.__getitem__)
    return best if scores[best] > 0.15 else None
