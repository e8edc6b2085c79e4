"""Which language is a document in? Enough to catch swapped or wrong inputs.

Hand-written on top of wordfreq's frequency lists (already a dependency):
the share of a text's words that are among a language's 200 most frequent
words is a reliable signal on whole paragraphs and avoids a separate
language-identification model. The short lists are kept in tq's cache:
reading wordfreq's full lists of six languages took 0.3 s and 110 MB a run.
"""
from __future__ import annotations

import json
import re
from functools import cache, lru_cache
from pathlib import Path

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
COMMON_LANGUAGES = ("it", "en", "fr", "es", "de", "pt")


TOP_WORDS = 200


@lru_cache(maxsize=1)
def _top_lists() -> dict[str, list[str]]:
    """Each common language's most frequent words, derived once from wordfreq into tq's cache."""
    from importlib.metadata import version

    from .cache import cached_folder, key_of

    def build(folder: Path) -> None:
        import wordfreq

        lists = {lang: wordfreq.top_n_list(lang, TOP_WORDS) for lang in COMMON_LANGUAGES}
        (folder / "top-words.json").write_text(json.dumps(lists, ensure_ascii=False), "utf-8")

    folder = cached_folder("langid", key_of(TOP_WORDS, COMMON_LANGUAGES, version("wordfreq")), build)
    return json.loads((folder / "top-words.json").read_text("utf-8"))


@cache
def _function_words(lang: str) -> frozenset[str]:
    if lang in COMMON_LANGUAGES:
        return frozenset(_top_lists()[lang])
    import wordfreq

    try:
        return frozenset(wordfreq.top_n_list(lang, TOP_WORDS))
    except LookupError:
        return frozenset()


def language_scores(text: str, languages: tuple[str, ...] = COMMON_LANGUAGES) -> dict[str, float]:
    """Share of the text's words found among each language's most frequent words."""
    words = [w.lower() for w in _WORD.findall(text[:20000])]
    if not words:
        return dict.fromkeys(languages, 0.0)
    return {lang: sum(w in _function_words(lang) for w in words) / len(words) for lang in languages}


def guess_language(text: str, languages: tuple[str, ...] = COMMON_LANGUAGES) -> str | None:
    """The best-scoring language, or None when the text has too few words to tell."""
    if len(_WORD.findall(text[:20000])) < 4:
        return None
    scores = language_scores(text, languages)
    best = max(scores, key=scores.__getitem__)
    return best if scores[best] > 0.15 else None
