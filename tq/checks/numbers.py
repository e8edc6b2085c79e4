"""Numbers, times and months that differ between source and translation.

Both sides are read as quantities, whatever their writing: digits with their
language's separators (1.000,5 / 1,000.5), scale words ("1,5 miliardi",
"15 billion", "£2m"), number words ("sedici", "twenty-one", "mezzo milione",
"half a million"), Italian ages ("ventunenne") and times on a 12-hour clock
("alle 15.00" / "at 3 p.m."). A number whose value the other side has in any
of these writings is rendered.

A quantity the translation has in place of a different one of the source is a
changed number (critical); one side alone having a number is an addition or
an omission (minor). Measurements converted between metric and imperial
units, and temperatures between Celsius and Fahrenheit, are not compared.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from . import Check, CheckContext, register
from ..types import Pair

_MONTHS = {
    "it": ["gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre", "ottobre", "novembre", "dicembre"],
    "en": ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"],
}
_UNITS = {
    "it": "zero uno due tre quattro cinque sei sette otto nove dieci undici dodici tredici quattordici quindici sedici "
          "diciassette diciotto diciannove".split(),
    "en": "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
          "seventeen eighteen nineteen".split(),
}
_TENS = {
    "it": {"venti": 20, "trenta": 30, "quaranta": 40, "cinquanta": 50, "sessanta": 60, "settanta": 70, "ottanta": 80, "novanta": 90},
    "en": {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90},
}
_SCALES = {
    "it": {"cento": 100, "mila": 1000, "mille": 1000, "milione": 1e6, "milioni": 1e6, "miliardo": 1e9, "miliardi": 1e9},
    "en": {"hundred": 100, "thousand": 1000, "million": 1e6, "millions": 1e6, "billion": 1e9, "billions": 1e9,
           "trillion": 1e12, "m": 1e6, "mn": 1e6, "bn": 1e9, "k": 1000},
}
_HALF = {"it": re.compile(r"\bmezz[oa]\s+(milion[ei]|miliard[oi])\b", re.IGNORECASE),
         "en": re.compile(r"\bhalf\s+(?:an?\s+)?(million|billion)\b", re.IGNORECASE)}
_DIGITS = re.compile(r"(?<![\d.,])\d+(?:[.,:]\d+)*")
_TIME_EN = re.compile(r"\b(\d{1,2})(?:[:.](\d{2}))?\s*([ap])\.?\s?m\b\.?", re.IGNORECASE)
# «alle 6 del mattino», «verso le 15,» «dalle 9 alle 17»: an hour, when nothing is counted after the number
_TIME_IT = re.compile(r"\b(?:alle|dalle|verso le|entro le|fino alle|le ore|ore)\s+([01]?\d|2[0-4])(?![\d.,:]\d)"
                      r"(?=\s*(?:[,.;:)]|$|del mattino|di mattina|del pomeriggio|di pomeriggio|di sera|della sera|di notte|della notte|"
                      r"in punto|e mezza|e un quarto|circa|alle|ora\b|di oggi|di domani|di ieri|di lunedì|di martedì|di mercoledì|"
                      r"di giovedì|di venerdì|di sabato|di domenica|locali))", re.IGNORECASE)
_ROMAN = re.compile(r"\b(?=[MDCLXVI]{2,})M{0,3}(?:C[MD]|D?C{0,3})(?:X[CL]|L?X{0,3})(?:I[XV]|V?I{0,3})\b")
_ROMAN_VALUES = {"M": 1000, "D": 500, "C": 100, "L": 50, "X": 10, "V": 5, "I": 1}
# units whose numbers a translator converts (metric <-> imperial, Celsius <-> Fahrenheit): not compared
_METRIC = re.compile(r"\d[\s-]*(?:metri|m\b|chilometri|km|centimetri|cm|millimetri|mm|chili|chilogrammi|kg|grammi|litri|gradi|[°º]|"
                     r"ettari|tonnellate)", re.IGNORECASE)
_IMPERIAL = re.compile(r"(?:\d|half|a)[\s-]*(?:yards?|feet|foot|ft|miles?|mph|pounds?|lbs?|ounces?|oz|inch(?:es)?|gallons?|acres?|"
                       r"°\s?F\b|fahrenheit|degrees|tons?)|\d0s\b", re.IGNORECASE)


@dataclass(frozen=True)
class Quantity:
    value: str   # language-neutral: "1500000000", "1.5", "3:00" (a time on a 12-hour clock)
    start: int
    end: int
    written: str


def _value(number: float) -> str:
    return f"{number:.10g}"


def _word_number(words: list[str], lang: str) -> tuple[float, int] | None:
    """The value of a number written in words at the start of ``words`` and how many words it takes
    ("ventuno", "trentacinque", "twenty-one", "sixteen"); None if it is not one."""
    word = words[0]
    units, tens = _UNITS[lang], _TENS[lang]
    if word in units:
        return float(units.index(word)), 1
    if lang == "it":
        for ten, value in tens.items():
            stem = ten[:-1]  # elision before uno/otto: ventuno, trentotto
            for rest in (word[len(ten):] if word.startswith(ten) else None, word[len(stem):] if word.startswith(stem) else None):
                if rest == "":
                    return float(value), 1
                if rest in units[1:10] or rest in ("uno", "otto"):
                    return float(value + units.index(rest)), 1
                if rest == "tré":
                    return float(value + 3), 1
        return None
    if word in tens:
        if len(words) > 1 and words[1] in units[1:10]:  # twenty one (a hyphen was split off)
            return float(tens[word] + units.index(words[1])), 2
        return float(tens[word]), 1
    return None


# words after which a number word counts nothing ("one of", "two and", "uno dei")
_NOT_COUNTED = frozenset("of and or to than in on at by for with di e o a da in su per con che del dei delle degli della dello".split())

_IT_AGE = re.compile(r"\b([a-z]+)enne\b")  # ventunenne, quarantenne: an age in one word


def quantities(text: str, lang: str) -> list[Quantity]:
    """Every number of the text as a value, with its characters (see the module docstring)."""
    found: list[Quantity] = []
    taken: list[tuple[int, int]] = []
    scales = _SCALES.get(lang, {})

    def add(value: str, start: int, end: int) -> None:
        if not any(s < end and start < e for s, e in taken):
            found.append(Quantity(value, start, end, text[start:end]))
            taken.append((start, end))

    if lang == "en":
        for m in _TIME_EN.finditer(text):  # 3 p.m., 3:30pm
            add(f"{int(m.group(1)) % 12}:{m.group(2) or '00'}", m.start(), m.end())
    elif lang == "it":
        for m in _TIME_IT.finditer(text):  # «alle 6 del mattino», «verso le 15»: an hour
            add(f"{int(m.group(1)) % 12}:00", m.start(1), m.end(1))
    for m in _HALF.get(lang, re.compile("$^")).finditer(text):
        scale = scales.get(m.group(1).lower(), 1e6 if m.group(1).lower().startswith("mili" if lang == "it" else "mill") else 1e9)
        add(_value(0.5 * scale), m.start(), m.end())
    for m in _DIGITS.finditer(text):
        number, end = m.group(), m.end()
        time = re.fullmatch(r"(\d{1,2})[.:](\d{2})", number)
        if time and (":" in number or lang == "it" or int(time.group(1)) <= 24 and time.group(2) == "00"):
            add(f"{int(time.group(1)) % 12}:{time.group(2)}", m.start(), end)  # 12.28 (Italian), 12:28
            continue
        value = _parse_digits(number, lang)
        scale = _scale_after(text, m.start(), end, scales)
        if scale:
            value *= scale[0]  # 1,5 miliardi, 15 billion, £2m, 3bn
            end = scale[1]
        add(_value(value), m.start(), end)
    words = [(m.group().lower(), m.start(), m.end()) for m in re.finditer(r"[^\W\d_]+", text)]
    for i, (word, start, end) in enumerate(words):
        if lang == "it" and (age := _IT_AGE.fullmatch(word)):  # ventunenne: ventun(o), quarantenne: quarant(a)
            parsed = next((p for vowel in ("", "o", "a", "e", "i") if (p := _word_number([age.group(1) + vowel], lang))), None)
            if parsed:
                add(_value(parsed[0]), start, end)
            continue
        parsed = _word_number([w for w, _, _ in words[i:i + 2]], lang)
        if parsed is None:
            continue
        value, used = parsed
        if word in ("uno", "una", "one") and not (i + 1 < len(words) and words[i + 1][0] in scales):
            continue  # an article ("uno scetticismo") or a pronoun, unless "one million"
        after = text[words[i + used - 1][2]:].lstrip(" -")
        if not re.match(r"[^\W\d_]", after) or (i + used < len(words) and words[i + used][0] in _NOT_COUNTED):
            continue  # "between the two.", "one of them", "uno dei": a pronoun, not a count of something
        last = words[i + used - 1][2]
        if i + used < len(words) and words[i + used][0] in scales and words[i + used][0] not in ("m", "k", "mn", "bn"):
            value *= scales[words[i + used][0]]
            last = words[i + used][2]
        add(_value(value), start, last)
    for m in _ROMAN.finditer(text):  # XVI secolo, Henry VIII; not Washington DC or a CD, which are letters
        before, after = text[:m.start()].split()[-1:], text[m.end():].split()[:1]
        regnal = set(m.group()) <= set("IVX") and before and before[0][:1].isupper() and before[0][1:].islower()
        if regnal or (after and after[0].lower().rstrip(".,") in ("secolo", "sec", "century")):
            add(_value(_roman(m.group())), m.start(), m.end())
    return sorted(found, key=lambda q: q.start)


def _scale_after(text: str, start: int, end: int, scales: dict[str, float]) -> tuple[float, int] | None:
    """(scale, end) of a scale word right after a number: "1,5 miliardi", "15 billion"; the short "m", "bn", "k"
    only glued to the number, and "m" and "k" only after a currency sign (100m is a distance)."""
    following = re.match(r"(\s?)([^\W\d_]+)\b", text[end:])
    if not following:
        return None
    word, spaced = following.group(2).lower(), bool(following.group(1))
    if word not in scales:
        return None
    if word in ("m", "k", "bn", "mn") and (spaced or (word in ("m", "k") and not re.search(r"[$£€]\s?$", text[:start]))):
        return None
    return scales[word], end + following.end()


def _parse_digits(number: str, lang: str) -> float:
    """1.000,5 (it) and 1,000.5 (en) -> 1000.5."""
    thousands, decimal = (".", ",") if lang in ("it", "fr", "es", "de", "pt") else (",", ".")
    if re.fullmatch(r"\d{1,3}(?:\%s\d{3})+" % thousands, number):
        return float(number.replace(thousands, ""))
    cleaned = number.replace(thousands, "").replace(decimal, ".")
    try:
        return float(cleaned)
    except ValueError:  # 12.595.75: a slip in the separators
        return float(re.sub(r"\D", "", number))


def _roman(numeral: str) -> int:
    values = [_ROMAN_VALUES[c] for c in numeral]
    return sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))


def _months(text: str, lang: str) -> set[int]:
    lower = text.lower()
    names = _MONTHS.get(lang, [])
    return {i for i, name in enumerate(names) if re.search(rf"\b{name}\b", lower) and not (lang == "en" and name == "may")}


def _converted_units(source: str, target: str) -> bool:
    """Metric units or degrees in the source, imperial ones or degrees in the translation: numbers converted."""
    return bool(_METRIC.search(source)) and bool(_IMPERIAL.search(target))


def _same_reading(a: Quantity, b: Quantity) -> bool:
    """The same digits read otherwise (2.53 as a time, 12.595.75 a slip for 12,595.75), or a decade or short
    year written out (anni '60 / the 1960s, '22 / 2022): not a changed number."""
    digits_a, digits_b = re.sub(r"\D", "", a.written), re.sub(r"\D", "", b.written)
    both_separated = bool(re.search(r"\d[.,:]\d", a.written)) and bool(re.search(r"\d[.,:]\d", b.written))
    short_year = (len(digits_a) == 2 and len(digits_b) == 4 and digits_b.endswith(digits_a)) or (
        len(digits_b) == 2 and len(digits_a) == 4 and digits_a.endswith(digits_b))
    return (both_separated and digits_a == digits_b) or short_year


@register
class NumbersCheck(Check):
    id = "numbers"
    category = "accuracy/mistranslation"
    description = "numbers, times or months that differ from the source"

    def check_pair(self, pair: Pair, ctx: CheckContext):
        if not pair.target.strip() or not pair.source.strip():
            return
        src, tgt = quantities(pair.source, ctx.src_lang), quantities(pair.target, ctx.tgt_lang)
        if not _converted_units(pair.source, pair.target):  # 25 metri / 30 yards: converted, not wrong
            src_values, tgt_values = {q.value for q in src}, {q.value for q in tgt}
            missing = [q for q in src if q.value not in tgt_values]
            extra = [q for q in tgt if q.value not in src_values]
            for q in list(extra):
                twin = next((m for m in missing if _same_reading(m, q)), None)
                if twin is not None:
                    extra.remove(q)
                    missing = [m for m in missing if m.value != twin.value]
            if missing and extra:
                expected = ", ".join(sorted({m.written for m in missing}))
                for q in extra:
                    yield self.finding(q.start, q.end, "critical", f"number {q.written} is not in the source (the source has {expected})",
                                       confidence=0.8, source_start=missing[0].start, source_end=missing[0].end)
            else:
                for q in extra:
                    yield self.finding(q.start, q.end, "minor", f"number {q.written} is not in the source", category="accuracy/addition",
                                       confidence=0.6)
                for q in missing:
                    spot = len(pair.target.rstrip())
                    yield self.finding(spot, spot, "minor", f"number {q.written} of the source is missing", category="accuracy/omission",
                                       confidence=0.7, source_start=q.start, source_end=q.end)
        src_months, tgt_months = _months(pair.source, ctx.src_lang), _months(pair.target, ctx.tgt_lang)
        if src_months and tgt_months and not src_months & tgt_months:
            names = _MONTHS["en"]
            for month in tgt_months:
                m = re.search(rf"\b{names[month]}\b", pair.target, re.IGNORECASE)
                expected = " or ".join(names[i].capitalize() for i in sorted(src_months))
                yield self.finding(m.start(), m.end(), "major", f"month differs from the source ({expected})", category="locale/date",
                                   suggestion=expected if len(src_months) == 1 else None, confidence=0.85)
