"""Names in the source that are misspelt or replaced in the translation (Antony / Anthony)."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from rapidfuzz.distance import Levenshtein

from . import Check, CheckContext, register
from ..lexicon import exonyms
from ..text import is_sentence_initial, zipf
from ..types import Pair

_NAME = re.compile(r"\b[A-Z][^\W\d_]+(?:['’][A-Z][^\W\d_]+)?\b")


def _plain(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c))


def source_names(text: str, lang: str) -> list[re.Match[str]]:
    """Capitalised words that are names rather than sentence-initial or common words."""
    found = []
    for m in _NAME.finditer(text):
        lower = m.group().lower()
        common = zipf(lower, lang)
        if common >= 4.5 or (common >= 3.0 and is_sentence_initial(text, m.start())):
            continue
        found.append(m)
    return found


def _unexplained_name(pair: Pair, target_names: dict[str, re.Match[str]], src_lang: str) -> re.Match[str] | None:
    """A rare capitalised word of the translation that the source does not have: a name put in the place of another."""
    known = exonym_renderings()
    source_words = [_plain(w).lower() for w in re.findall(r"[^\W\d_]+", pair.source)]
    for word, m in target_names.items():
        plain = _plain(word).lower()
        if (word in pair.source or word in known or is_sentence_initial(pair.target, m.start())
                or zipf(word.lower(), "en") >= 3.0 or zipf(word.lower(), src_lang) >= 3.0 or not word[1:].islower()):
            continue
        # a variant of a source word (Namibia/Namibian, Biškek/Bishkek) is a rendering, not another name
        if any(w[:4] == plain[:4] or Levenshtein.normalized_similarity(w, plain) >= 0.6 for w in source_words):
            continue
        return m
    return None


@lru_cache(maxsize=1)
def exonym_renderings() -> frozenset[str]:
    """Every English rendering in the exonym table (Moscow, Beijing...)."""
    return frozenset(e for values in exonyms().values() for e in values)


@register
class NamesCheck(Check):
    id = "names"
    category = "accuracy/mistranslation"
    description = "source names misspelt or replaced by another name in the translation"

    def check_pair(self, pair: Pair, ctx: CheckContext):
        if not pair.target.strip():
            return
        target_names = {m.group(): m for m in _NAME.finditer(pair.target)}
        table = exonyms()
        for m in source_names(pair.source, ctx.src_lang):
            name = m.group()
            if name in target_names or any(re.search(rf"\b{re.escape(e)}\b", pair.target) for e in table.get(name, ())):
                continue
            # Only names that English uses unchanged (Antony, not Sagittario/Sagittarius) must be copied as they are;
            # plurals, demonyms and accents (India/Indian, Galapagos/Galápagos) are not misspellings.
            neutral = zipf(name.lower(), "en") >= zipf(name.lower(), ctx.src_lang) - 0.3
            near = [t for t in target_names if neutral and t[0] == name[0] and t not in pair.source
                    and not (t.startswith(name) or name.startswith(t)) and _plain(t) != _plain(name)
                    and 1 <= Levenshtein.distance(t, name) <= 2 and Levenshtein.normalized_similarity(t, name) >= 0.7]
            if near:
                wrong = target_names[min(near, key=lambda t: Levenshtein.distance(t, name))]
                yield self.finding(wrong.start(), wrong.end(), "major", f"name spelt '{wrong.group()}', the source has '{name}'",
                                   suggestion=name, confidence=0.85, source_start=m.start(), source_end=m.end())
            elif (zipf(name.lower(), "en") >= zipf(name.lower(), ctx.src_lang) - 1.0 and name not in table
                  and (other := _unexplained_name(pair, target_names, ctx.src_lang)) is not None):
                yield self.finding(other.start(), other.end(), "major", f"'{other.group()}' is not in the source, which names '{name}'",
                                   suggestion=name, confidence=0.6, source_start=m.start(), source_end=m.end())
            # a name simply left out is `missing-name`'s (it knows where it was from the word alignment)
