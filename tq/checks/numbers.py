"""Numbers, times and months that differ between source and translation."""
from __future__ import annotations

import re
from collections import Counter

from . import Check, CheckContext, register
from ..types import Pair

_NUMBER = re.compile(r"(?<![\w.,])\d+(?:[.,:]\d+)*")  # units may follow: 10km, 1990s, 5th
_MONTHS = {
    "it": ["gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre", "ottobre", "novembre", "dicembre"],
    "en": ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"],
}


def normalise(number: str, lang: str) -> str:
    """A language-neutral form: 1.000,5 (it) and 1,000.5 (en) -> 1000.5; 12.28 / 12:28 times -> 12:28."""
    time = re.fullmatch(r"(\d{1,2})[.:](\d{2})", number)
    if time and (":" in number or lang == "it" or int(time.group(1)) <= 24 and time.group(2) == "00"):
        # a time: 12.28 (Italian), 12:28; compared on a 12-hour clock since English adds am/pm
        return f"{int(time.group(1)) % 12}:{time.group(2)}"
    thousands, decimal = (".", ",") if lang in ("it", "fr", "es", "de", "pt") else (",", ".")
    if re.fullmatch(r"\d{1,3}(?:\%s\d{3})+" % thousands, number):
        return number.replace(thousands, "")
    return number.replace(thousands, "").replace(decimal, ".") if decimal in number else number


_WORDS = {
    "it": "zero uno due tre quattro cinque sei sette otto nove dieci undici dodici tredici quattordici quindici sedici "
          "diciassette diciotto diciannove venti".split(),
    "en": "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
          "seventeen eighteen nineteen twenty".split(),
}
_TENS = {
    "it": {"trenta": 30, "quaranta": 40, "cinquanta": 50, "sessanta": 60, "settanta": 70, "ottanta": 80, "novanta": 90,
           "cento": 100, "mille": 1000},
    "en": {"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
           "hundred": 100, "thousand": 1000},
}
_ROMAN = re.compile(r"\b(?=[MDCLXVI])M{0,3}(?:C[MD]|D?C{0,3})(?:X[CL]|L?X{0,3})(?:I[XV]|V?I{0,3})\b")
_ROMAN_VALUES = {"M": 1000, "D": 500, "C": 100, "L": 50, "X": 10, "V": 5, "I": 1}


def _roman(numeral: str) -> int:
    values = [_ROMAN_VALUES[c] for c in numeral]
    return sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))


def numbers(text: str, lang: str) -> list[tuple[str, int, int]]:
    return [(normalise(m.group(), lang), m.start(), m.end()) for m in _NUMBER.finditer(text)]


def spelled_numbers(text: str, lang: str) -> set[str]:
    """Numbers written otherwise: words ("tre", "thirty") and Roman numerals ("XVI secolo"), as digits."""
    lower = text.lower()
    found = {str(i) for i, word in enumerate(_WORDS.get(lang, [])) if re.search(rf"\b{word}\b", lower)}
    found |= {str(value) for word, value in _TENS.get(lang, {}).items() if re.search(rf"\b{word}", lower)}
    found |= {str(_roman(m.group())) for m in _ROMAN.finditer(text) if m.group()}
    return found


def _months(text: str, lang: str) -> set[int]:
    lower = text.lower()
    names = _MONTHS.get(lang, [])
    return {i for i, name in enumerate(names) if re.search(rf"\b{name}\b", lower) and not (lang == "en" and name == "may")}


def _digits(number: str) -> str:
    return re.sub(r"\D", "", number)


_METRIC = re.compile(r"\d\s*(?:metri|chilometri|km|centimetri|cm|chili|chilogrammi|kg|litri|gradi|ettari)\b", re.IGNORECASE)
_IMPERIAL = re.compile(r"\d\s*(?:yards?|feet|foot|ft|miles?|mph|pounds?|lbs?|ounces?|oz|inch(?:es)?|gallons?|acres?|°?\s?F\b|fahrenheit)",
                       re.IGNORECASE)


def _converted_units(source: str, target: str) -> bool:
    """Metric units in the source, imperial ones in the translation: the numbers were converted."""
    return bool(_METRIC.search(source)) and bool(_IMPERIAL.search(target))


@register
class NumbersCheck(Check):
    id = "numbers"
    category = "accuracy/mistranslation"
    description = "numbers, times or months that differ from the source"

    def check_pair(self, pair: Pair, ctx: CheckContext):
        if not pair.target.strip() or not pair.source.strip():
            return
        src = numbers(pair.source, ctx.src_lang)
        tgt = numbers(pair.target, ctx.tgt_lang)
        missing = Counter(n for n, _, _ in src) - Counter(n for n, _, _ in tgt)
        extra = Counter(n for n, _, _ in tgt) - Counter(n for n, _, _ in src)
        for spelled, counter in ((spelled_numbers(pair.target, ctx.tgt_lang), missing), (spelled_numbers(pair.source, ctx.src_lang), extra)):
            for number in spelled & set(counter):
                del counter[number]
        for number in list(extra):  # decades and short years: anni '60 / the 1960s, '22 / 2022
            short = [m for m in missing if len(m) == 2 and len(number) == 4 and number.endswith(m)]
            # the same digits read otherwise: 2.53 read as a time, 12.595.75 (a slip) for 12,595.75
            same = [m for m in missing if _digits(m) == _digits(number)]
            if short or same:
                del extra[number]
                del missing[(short or same)[0]]
        if _converted_units(pair.source, pair.target):  # 25 metri / 30 yards: a conversion, not a wrong number
            missing.clear()
            extra.clear()
        changed = bool(missing) and bool(extra)
        for number, start, end in tgt:
            if extra.get(number, 0) > 0:
                extra[number] -= 1
                if changed:
                    expected = ", ".join(sorted(missing))
                    yield self.finding(start, end, "critical", f"number {number} is not in the source (the source has {expected})", confidence=0.8)
                else:
                    yield self.finding(start, end, "minor", f"number {number} is not in the source", category="accuracy/addition", confidence=0.6)
        if missing and not changed:
            for number, start, end in src:
                if missing.get(number, 0) > 0:
                    missing[number] -= 1
                    spot = len(pair.target.rstrip())
                    yield self.finding(spot, spot, "minor", f"number {number} of the source is missing", category="accuracy/omission",
                                       confidence=0.7, source_start=start, source_end=end)
        src_months, tgt_months = _months(pair.source, ctx.src_lang), _months(pair.target, ctx.tgt_lang)
        if src_months and tgt_months and not src_months & tgt_months:
            names = _MONTHS["en"]
            for month in tgt_months:
                m = re.search(rf"\b{names[month]}\b", pair.target, re.IGNORECASE)
                expected = " or ".join(names[i].capitalize() for i in sorted(src_months))
                yield self.finding(m.start(), m.end(), "major", f"month differs from the source ({expected})", category="locale/date",
                                   suggestion=expected if len(src_months) == 1 else None, confidence=0.85)
