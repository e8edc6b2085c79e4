"""Names in the source that are misspelt or replaced in the translation (Antony / Anthony)."""
from __future__ import annotations

import re
import unicodedata

from rapidfuzz.distance import Levenshtein

from . import Check, CheckContext, register
from ..lexicon import exonym_renderings, exonyms
from ..text import is_sentence_initial, zipf
from ..types import Pair

_NAME = re.compile(r"\b[A-Z][^\W\d_]+(?:['’][A-Z][^\W\d_]+)?\b")


def _plain(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c))


_UMLAUTS = (("ü", "ue"), ("ö", "oe"), ("ä", "ae"), ("Ü", "Ue"), ("Ö", "Oe"), ("Ä", "Ae"), ("ß", "ss"))


def _transliterated(word: str) -> str:
    """One spelling for a name's usual transliterations: Württemberg / Wuerttemberg / Wurttemberg."""
    for letter, digraph in _UMLAUTS:
        word = word.replace(letter, digraph)
    return _plain(word).replace("ue", "u").replace("oe", "o").replace("ae", "a")


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
                    and not (t.startswith(name) or name.startswith(t)) and _transliterated(t) != _transliterated(name)
                    and 1 <= Levenshtein.distance(t, name) <= 2 and Levenshtein.normalized_similarity(t, name) >= 0.7]
            if near:
                wrong = target_names[min(near, key=lambda t: Levenshtein.distance(t, name))]
                if wrong.group() in exonym_renderings() and name not in table:
                    # a place English knows (Taiwan) for a spelling nobody does («Thaiwan»): the source's slip, not
                    # the translator's, and copying it would damage correct English
                    yield self.finding(wrong.start(), wrong.end(), "minor", f"the source spells '{wrong.group()}' as '{name}'",
                                       confidence=0.4, source_start=m.start(), source_end=m.end())
                    continue
                yield self.finding(wrong.start(), wrong.end(), "major", f"name spelt '{wrong.group()}', the source has '{name}'",
                                   suggestion=name, confidence=0.85, source_start=m.start(), source_end=m.end())
            # a name replaced by another is `wrong-name`'s, one left out `missing-name`'s (both read the word alignment)
