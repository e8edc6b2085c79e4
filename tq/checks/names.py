"""Names in the source that are misspelt or replaced in the translation (Antony / Anthony)."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from rapidfuzz.distance import Levenshtein

from . import Check, CheckContext, register
from ..lexicon import exonym_phrases, exonym_renderings, exonym_sources, exonyms
from ..text import is_sentence_initial, zipf
from ..types import Pair

_NAME = re.compile(r"\b[A-Z][^\W\d_]+(?:['’][A-Z][^\W\d_]+)?\b")
# A source spelling nobody writes (Mozzart: Zipf 0 in Italian and English) beside an English spelling one or two
# letters away that English knows (Mozart 3.4, Bingley 2.6, Condoleezza 2.4): the source's slip, not the translator's.
KNOWN_EN_ZIPF = 2.3
RARE_ZIPF = 2.0
SLIP_MARGIN = 1.0
# A name spelt as another language spells it (Alexandre, Qaida) where English has its own spelling: the source
# spelling at least this much more frequent in German, French or Spanish than in English.
FOREIGN_MARGIN = 0.5
FOREIGN_ZIPF = 2.5  # and a spelling that language uses (Alexandre: 4.5 in French), not a rare slip (Bethoven: 1.4 in Spanish)
THIRD_LANGUAGES = ("de", "fr", "es")


def _plain(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c))


_UMLAUTS = (("ü", "ue"), ("ö", "oe"), ("ä", "ae"), ("Ü", "Ue"), ("Ö", "Oe"), ("Ä", "Ae"), ("ß", "ss"))
# How other languages write the same sounds (French ou, ch and -e, German and Polish w and j, tsch, ch for kh), and English's
# own two spellings (harbour/harbor, centre/center). Hand-written: no library maps romanisations onto each other.
# Both spellings are mapped, so Loukachenko and Lukashenko, Iwan and Ivan, Iouri and Yuri meet; Antony and Anthony,
# Schwarzenegger and Schwarzeneger do not (no rule drops an h or a letter of a double).
_ROMANISATIONS = tuple((re.compile(pattern), replacement) for pattern, replacement in (
    (r"our$", "or"), (r"re$", "er"), (r"kh", "ch"), (r"t?s?ch", "sh"), (r"ou", "u"), (r"w", "v"), (r"[jy]", "i"), (r"ie", "e"),
    (r"ph", "f"), (r"ck", "k"), (r"c(?![eih])", "k"), (r"(?<=[^aeiou])e$", "")))


def _transliterated(word: str) -> str:
    """One spelling for a name's usual transliterations: Württemberg / Wuerttemberg / Wurttemberg."""
    for letter, digraph in _UMLAUTS:
        word = word.replace(letter, digraph)
    return _plain(word).replace("ue", "u").replace("oe", "o").replace("ae", "a")


@lru_cache(maxsize=20_000)
def spelling_key(name: str) -> str:
    """The name with the spelling conventions of other languages undone (Loukachenko, Lukashenko: lukashenko;
    Telefónika, Telefonica: telefonika): two names with one key are one name spelt two ways."""
    key = _transliterated(name).lower()
    for pattern, replacement in _ROMANISATIONS:
        key = pattern.sub(replacement, key)
    return key


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


def known_renderings(name: re.Match[str], phrases: tuple[tuple[int, int, tuple[str, ...]], ...]) -> tuple[str, ...]:
    """English renderings of a source name: its own in the exonym table and those of the table's names of several
    words it is part of (Guyana in «Guyana francese»: French Guiana)."""
    found = exonyms().get(name.group(), ())
    for start, end, renderings in phrases:
        if start <= name.start() and name.end() <= end:
            found += renderings
    return found


def source_slip(source: str, english: str) -> bool:
    """The source misspells a name that English knows: its spelling rare in both languages (Mozzart, Henrz), the
    English one a word or name English uses (Mozart, Henry)."""
    rare = max(zipf(source.lower(), "it"), zipf(source.lower(), "en"))
    known = zipf(english.lower(), "en")
    return rare < RARE_ZIPF and known >= KNOWN_EN_ZIPF and known >= rare + SLIP_MARGIN


def foreign_spelling(source: str, english: str) -> bool:
    """The source spells the name as German, French or Spanish do (Alexandre, Qaida) and the English as English does
    (Alexander, Qaeda): one name, two languages' spellings."""
    in_english = zipf(source.lower(), "en")
    abroad = max(zipf(source.lower(), lang) for lang in THIRD_LANGUAGES)
    return (abroad >= max(FOREIGN_ZIPF, in_english + FOREIGN_MARGIN)
            and zipf(english.lower(), "en") >= in_english + FOREIGN_MARGIN)


def _plurals(source: str, english: str) -> bool:
    """An Italian plural and an English one of the same name (Merenidi, Merenids; Asburgo is not plural)."""
    return source[-1:] in "ie" and english[-1:] == "s" and source[:-1] == english[:-1]


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
        phrases = exonym_phrases(pair.source)
        for m in source_names(pair.source, ctx.src_lang):
            name = m.group()
            if name in target_names or any(re.search(rf"\b{re.escape(e)}\b", pair.target) for e in known_renderings(m, phrases)):
                continue
            # Only names that English uses unchanged (Antony, not Sagittario/Sagittarius) must be copied as they are;
            # plurals, demonyms and accents (India/Indian, Galapagos/Galápagos) are not misspellings. The table says
            # which names English writes as the source does (Slovenia).
            neutral = name in table.get(name, ()) or zipf(name.lower(), "en") >= zipf(name.lower(), ctx.src_lang) - 0.3
            near = [t for t in target_names if neutral and t[0] == name[0] and t not in pair.source
                    and not (t.startswith(name) or name.startswith(t)) and spelling_key(t) != spelling_key(name)
                    and 1 <= Levenshtein.distance(t, name) <= 2 and Levenshtein.normalized_similarity(t, name) >= 0.7]
            if not near:
                continue  # a name replaced by another is `wrong-name`'s, one left out `missing-name`'s
            wrong = target_names[min(near, key=lambda t: Levenshtein.distance(t, name))]
            spelling = wrong.group()
            places = exonym_sources().get(spelling, ())
            # another place the table knows (Slovakia for «Slovenia»): the translator's slip however alike, never
            # a spelling of the source's name
            other_place = bool(places) and name in table and name not in places and not any(p in pair.source for p in places)
            if not other_place and (source_slip(name, spelling) or (spelling in exonym_renderings() and name not in table)):
                # a name English knows (Mozart, Taiwan) for a spelling nobody uses («Mozzart», «Thaiwan»): the
                # source's slip, not the translator's, and copying it would damage correct English
                yield self.finding(wrong.start(), wrong.end(), "minor", f"the source spells '{spelling}' as '{name}'",
                                   confidence=0.4, source_start=m.start(), source_end=m.end())
                continue
            if not other_place and (foreign_spelling(name, spelling) or _plurals(name, spelling)):
                continue  # the name as German, French or Spanish spell it and as English does, or both plurals
            yield self.finding(wrong.start(), wrong.end(), "major", f"name spelt '{spelling}', the source has '{name}'",
                               suggestion=name, confidence=0.85, source_start=m.start(), source_end=m.end())


# A lower-case word that English also uses as a common word (bank, china, turkey) may be that word: only names
# rarer than this as a lower-case English word are flagged when written in lower case.
COMMON_LOWER_ZIPF = 3.0
_LOWER_WORD = re.compile(r"\b[a-z][^\W\d_A-Z]+\b")


@register
class NameCaseCheck(Check):
    id = "name-case"
    category = "fluency/spelling"
    description = "a source name written in lower case in the translation (tendulkar for «Tendulkar»)"

    def check_pair(self, pair: Pair, ctx: CheckContext):
        if not pair.target.strip() or not pair.source.strip():
            return
        phrases = exonym_phrases(pair.source)
        forms: dict[str, str] = {}
        for m in source_names(pair.source, ctx.src_lang):
            for form in (m.group(), *known_renderings(m, phrases)):
                if " " not in form and zipf(form.lower(), "en") < COMMON_LOWER_ZIPF:
                    forms.setdefault(form.lower(), form)
        if not forms:
            return
        for m in _LOWER_WORD.finditer(pair.target):
            name = forms.get(m.group())
            if name is None or name in pair.target or (m.start() and pair.target[m.start() - 1] in "-@/._"):
                continue  # written capitalised elsewhere in the sentence, or part of an address or a compound
            yield self.finding(m.start(), m.end(), "minor", f"the name «{name}» is written in lower case",
                               suggestion=name, confidence=0.6)
