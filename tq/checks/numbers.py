"""Numbers, times and months that differ between source and translation.

Both sides are read as quantities, whatever their writing, from their
language's locale data (CLDR through Babel) and number words (text2num) rather
than from lists tuned on a few texts: digits with the language's separators or
with spaces (1.000,5 / 1,000.5 / 12 500), CLDR's compact scales, long and short
("1,5 miliardi", «3 mld.», «12mila», "15 billion", "£2m", "€3bn", "12K"), a scale
shared by a range («da 25 a 55 miliardi», "between 3 and 4 million"),
percentages, currency signs and codes, number words and ordinals ("trecento",
"three hundred and five", «terzo», "twenty-first"), Roman numerals of centuries
and rulers ("XIX secolo", "Luigi XIV"), Italian centuries («il Novecento», «il
'900»), ages ("ventunenne") and times ("alle 15.00" / "at 3 p.m."). A number
whose value the other side has in any of these writings is rendered.

A quantity the translation has in place of a different one of the source is a
changed number (critical); one side alone having a number is an addition or
an omission (minor). Ordinals in words are compared only with the other side's
ordinals («secondo» is also "according to", "first" often renders «prima»,
"before"). Measurements converted between metric and imperial units, and
temperatures between Celsius and Fahrenheit, are not compared.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from . import Check, CheckContext, register
from ..text import ROMAN_NUMERAL, roman_value
from ..types import Pair

_MONTHS = {
    "it": ["gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre", "ottobre", "novembre", "dicembre"],
    "en": ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"],
}
# the CLDR locales a language's news is written in: British and American English
_LOCALES = {"it": ("it_IT",), "en": ("en_US", "en_GB")}
# Abbreviations of scales that news writes and CLDR's compact patterns lack: Italian «mrd» (from German «Mrd.»),
# English "mn" (a British press style beside CLDR's "m").
_EXTRA_SCALES = {"it": {"mrd": 10**9}, "en": {"mn": 10**6}}
# half a unit of a scale: «7 milioni e mezzo», "two and a half million"
_AND_HALF = {"it": re.compile(r"\s+e\s+mezz[oa]\b", re.IGNORECASE), "en": re.compile(r"\s+and\s+a\s+half\b", re.IGNORECASE)}
# half before a scale: «mezzo milione», "half a million" (not "two and a half million")
_HALF = {"it": re.compile(r"\bmezz[oa](?=\s)", re.IGNORECASE), "en": re.compile(r"(?<!\band a )\bhalf(?:\s+an?)?(?=\s)", re.IGNORECASE)}
_SPACES = " \u00a0\u202f\u2009"  # space, no-break space, narrow no-break space, thin space: all group thousands
# digits grouped by spaces (groups of exactly three, then a decimal part), or joined by points, commas and colons
_DIGITS = re.compile(rf"(?<![\d.,])(?:\d{{1,3}}(?:[{_SPACES}]\d{{3}})+(?!\d)(?:[.,]\d+)?|\d+(?:[.,:]\d+)*)")
_FRACTIONS = "\u00bc-\u00be\u2150-\u215e"  # ¼ ½ ¾ ⅐ … ⅞
_TIME_EN = re.compile(r"\b(\d{1,2})(?:[:.](\d{2}))?\s*[ap]\.?\s?m\b\.?|\b(\d{1,2}|[^\W\d_]+)\s+o['’]clock\b", re.IGNORECASE)
_TIME_MILITARY = re.compile(r"\b([01]\d|2[0-3])([0-5]\d)(?=\s?(?:GMT|UTC)\b)")  # 1200 GMT
# «alle 6 del mattino», «verso le 15,», «alle 23,45»: an hour, when nothing is counted after the number
_TIME_IT = re.compile(r"\b(?:alle|dalle|delle|verso le|entro le|fino alle|dopo le|tra le|fra le|le ore|ore)\s+"
                      r"(?:(2[0-4]|[01]?\d)[.,:]([0-5]\d)(?![\d.,])|([01]?\d|2[0-4])(?![\d.,:]\d)"
                      r"(?=\s*(?:[,.;:)]|$|del mattino|di mattina|del pomeriggio|di pomeriggio|di sera|della sera|di notte|della notte|"
                      r"in punto|e mezza|e un quarto|circa|alle|ora\b|di oggi|di domani|di ieri|di lunedì|di martedì|di mercoledì|"
                      r"di giovedì|di venerdì|di sabato|di domenica|locali)))", re.IGNORECASE)
# «il XII e il XIII secolo», «tra il X e l'XI», «dal XII al XIII», "the 11th, 12th and 13th"
_CENTURY_LIST = re.compile(r"\s*(?:,|-|–|\s(?:e|ed|o|a|and|or|to))\s*(?:(?:il|al|nel|del|dal|the)\s+|(?:l|all|nell|dell|dall)['’])?")
_CENTURY_IT = re.compile(r"['’]([1-9])00\b")  # «il '900», «del '500»: a century by its hundreds
# units whose numbers a translator converts (metric <-> imperial, Celsius <-> Fahrenheit): not compared
_METRIC = re.compile(r"[\s-]*(?:metri|m\b|chilometri|km|centimetri|cm|millimetri|mm|chili|chilogrammi|kg|grammi|litri|gradi|[°º]|"
                     r"ettari|tonnellate)", re.IGNORECASE)
_IMPERIAL_UNITS = r"yards?|feet|foot|ft|miles?|mph|pounds?|lbs?|ounces?|oz|inch(?:es)?|gallons?|acres?|°\s?F\b|fahrenheit|degrees|tons?"
_IMPERIAL = re.compile(rf"(?:\d|half|a)[\s-]*(?:{_IMPERIAL_UNITS})|\d0s\b", re.IGNORECASE)
_IMPERIAL_AFTER = re.compile(rf"[\s-]*(?:{_IMPERIAL_UNITS})", re.IGNORECASE)
# words after which a number word counts nothing ("one of", "two and", "uno dei")
_NOT_COUNTED = frozenset("of and or to than in on at by for with di e o a da in su per con che del dei delle degli della dello".split())
# Hand-written, as no library here tags Italian function words: «secondo» before these is "according to", and
# «prima» is "first" after these articles, mostly "before" elsewhere («prima di», «poco prima»).
_ACCORDING_TO = frozenset("il lo la i gli le l un uno una me te lui lei noi voi loro quanto cui fonti".split())
_BEFORE_FIRST = frozenset("la una alla della nella sulla dalla sua mia tua nostra vostra loro questa quella".split())
# hand-written (no Italian tagger here): words before «sei» "you are", not «sei» "six"
_BEFORE_YOU_ARE = frozenset("tu se non che ne ci mi ti lo la li le ce te dove come quando chi cosa perché già ora mai sempre".split())
# an age in one word (ventunenne, quarantenne) and the ordinals text2num misses (sedicesimo): a number's stem
_IT_SUFFIXED = re.compile(r"\b([a-zé]+)(?:(enne)|esim[oaie])\b", re.IGNORECASE)
# what joins the two ends of a range whose scale is written once: «da 25 a 55 miliardi», «tra i 16 e i 18 milioni»,
# «3 e 4mila», "3-4 million", "between 3 and 4 million"
_RANGE = {"it": re.compile(r"\s*[-–—/]\s*|\s+(?:a|e|o|al|ai|agli|fino a)\s+(?:(?:il|i|gli)\s+|l['’])?", re.IGNORECASE),
          "en": re.compile(r"\s*[-–—/]\s*|\s+(?:to|and|or)\s+(?:the\s+)?", re.IGNORECASE)}


@dataclass(frozen=True)
class Quantity:
    value: str   # language-neutral: "1500000000", "1.5", "3:00" (a time on a 12-hour clock), "19" for "XIX secolo"
    start: int
    end: int
    written: str
    ordinal: bool = False  # a rank ("terzo", "3rd", "XIX secolo", «Luigi XIV»), compared by its value


@dataclass
class _Reading:
    """A number being read: mantissa × scale, or a time."""

    start: int
    end: int
    mantissa: Decimal = Decimal(0)
    scale: int = 1
    time: str | None = None
    ordinal: bool = False

    def quantity(self, text: str) -> Quantity:
        value = self.time or format((self.mantissa * self.scale).normalize(), "f")
        return Quantity(value, self.start, self.end, text[self.start:self.end], self.ordinal)


@dataclass(frozen=True)
class _Scale:
    value: int
    long: bool     # a word ("miliardi", "thousand"): also glued («12mila») or hyphenated ("150-million-crown")
    letter: bool   # "K", "m": glued only, and in lower case only after a currency sign (100m is a distance)


@dataclass(frozen=True)
class _Language:
    """What CLDR (Babel) says about writing numbers in a language, compiled once."""

    locale: str
    group: str
    decimal: str
    scales: dict[str, _Scale]          # lower-cased writing -> scale
    scale: re.Pattern                  # a scale right after a number
    percent: re.Pattern                # "%", "percent", "per cent", «per cento» right after a number
    currency: re.Pattern               # "€", "US$", "CHF", "EUR"


@cache
def _currency_symbols(locales: tuple[str, ...]) -> tuple[str, ...]:
    """Unicode's currency signs, the locales' CLDR symbols (US$, JP¥, CHF) and ISO codes, longest first."""
    from babel.numbers import get_currency_symbol, list_currencies

    signs = {chr(c) for c in range(0x10000) if unicodedata.category(chr(c)) == "Sc"}
    codes = set(list_currencies())
    symbols = {get_currency_symbol(code, name) for code in codes for name in locales}
    return tuple(sorted(signs | codes | symbols, key=len, reverse=True))


@cache
def _language(lang: str) -> _Language:
    from babel import Locale, UnknownLocaleError
    from babel.numbers import get_decimal_symbol, get_group_symbol
    from babel.units import format_unit

    names = _LOCALES.get(lang, (lang,))
    try:
        Locale.parse(names[0])
    except (UnknownLocaleError, ValueError):  # a language CLDR does not know: English conventions
        names = _LOCALES["en"]
    scales: dict[str, _Scale] = {}
    percent_words = set()
    for name in names:
        locale = Locale.parse(name)
        for form, plurals in locale.compact_decimal_formats.items():  # long ("3 miliardi") and short ("3 Mld", "3bn")
            for patterns in plurals.values():
                for magnitude, pattern in patterns.items():
                    zeros, word = pattern.pattern.count("0"), pattern.suffix[0].strip()
                    if zeros and word:  # not «mille» alone: a number word, read by text2num
                        scales.setdefault(word.lower(), _Scale(int(magnitude) // 10 ** (zeros - 1), form == "long", len(word) == 1))
        percent_words.add(format_unit(7, "concentr-percent", length="long", locale=name).replace("7", "").strip())
    for word, value in _EXTRA_SCALES.get(lang, {}).items():
        scales.setdefault(word, _Scale(value, False, False))
    words = "|".join(re.escape(w).replace(r"\ ", f"[{_SPACES}]") for w in sorted(scales, key=len, reverse=True))
    # «percento» is also written «per cento»
    percent = "|".join(re.escape(w).replace(r"\ ", r"\s").replace("per", r"per\s?", 1) for w in sorted(percent_words, key=len, reverse=True))
    return _Language(
        names[0], get_group_symbol(names[0]), get_decimal_symbol(names[0]), scales,
        re.compile(rf"(?P<gap>[{_SPACES}-]?)(?P<word>{words or '(?!)'})(?P<dot>\.(?=[{_SPACES}]+(?-i:[a-zà-ÿ\d])))?(?![^\W\d_])",
                   re.IGNORECASE),
        re.compile(rf"[{_SPACES}]?%|\s(?:{percent})\b", re.IGNORECASE),
        re.compile(rf"(?<![^\W\d_])(?:{'|'.join(re.escape(s) for s in _currency_symbols(names))})(?![^\W\d_])"))


def _digits_value(number: str, language: _Language) -> Decimal:
    """12 500,5 and 1.000,5 (it), 1,000.5 (en) -> 12500.5, 1000.5; the other convention's 3.5 in Italian is 3.5."""
    from babel.numbers import parse_decimal

    joined = re.sub(f"[{_SPACES}]", "", number)
    if joined != number:  # grouped by spaces: a point or a comma after the groups is the decimal sign
        return Decimal(joined.replace(",", "."))
    group, decimal = re.escape(language.group), re.escape(language.decimal)
    if re.fullmatch(rf"\d{{1,3}}(?:{group}\d{{3}})+(?:{decimal}\d+)?|\d+(?:{decimal}\d+)?", number):
        return parse_decimal(number, locale=language.locale)
    if re.fullmatch(rf"\d{{1,3}}(?:{decimal}\d{{3}})+(?:{group}\d+)?|\d+(?:{group}\d+)?", number):  # the other convention
        return Decimal(number.replace(language.decimal, "").replace(language.group, "."))
    return Decimal(re.sub(r"\D", "", number))  # 12.595.75: a slip in the separators


def _scale_after(text: str, end: int, language: _Language, currency: bool) -> tuple[int, int] | None:
    """(scale, end) of a scale right after a number: "1,5 miliardi", «3 mld.», "15 billion", "£2m", "3bn", "12K"."""
    found = language.scale.match(text, end)
    if not found:
        return None
    word, gap = found.group("word"), found.group("gap")
    scale = language.scales.get(re.sub(f"[{_SPACES}]", " ", word.lower()))  # None: a letter that only matches unfolded ("İ")
    if scale is None:
        return None
    if scale.letter and (gap or not (currency or word.isupper())):
        return None  # 100m is a distance, "5 K" is nothing; "12K", "£3m" are scales
    if gap == "-" and not scale.long:
        return None
    return scale.value, found.end() if not scale.long else found.end("word")


def _currency_at(text: str, language: _Language, start: int, end: int) -> tuple[int | None, int | None]:
    """Where a currency sign or code right before a number starts, and where one right after it ends."""
    before = after = None
    window = text[max(0, start - 12):start]
    for m in language.currency.finditer(window):
        if m.end() == len(window) or (m.end() == len(window) - 1 and window[-1] in _SPACES):
            before = start - len(window) + m.start()
    if sign := language.currency.match(text, end + (1 if text[end:end + 1] in tuple(_SPACES) else 0)):
        after = sign.end()
    return before, after


def _extend(text: str, lang: str, language: _Language, reading: _Reading, currency: bool) -> None:
    """A number's scale, half a scale, percent sign or currency after it: "two and a half million",
    «7 milioni e mezzo», "3 per cent", «3,00 €»."""
    half = _AND_HALF.get(lang)
    whole = reading.mantissa == reading.mantissa.to_integral()
    if whole and half and (m := half.match(text, reading.end)) and _scale_after(text, m.end(), language, currency):
        reading.mantissa += Decimal("0.5")  # "two and a half million"
        reading.end, whole = m.end(), False
    if scale := _scale_after(text, reading.end, language, currency):
        reading.scale, reading.end = scale
    if reading.scale > 1 and whole and half and (m := half.match(text, reading.end)):
        reading.mantissa += Decimal("0.5")  # «7 milioni e mezzo»
        reading.end = m.end()
    if m := language.percent.match(text, reading.end):
        reading.end = m.end()
    else:
        reading.end = _currency_at(text, language, reading.start, reading.end)[1] or reading.end


def _digit_readings(text: str, lang: str, language: _Language) -> list[_Reading]:
    readings = []
    for m in _DIGITS.finditer(text):
        number, start, end = m.group(), m.start(), m.end()
        before, after = _currency_at(text, language, start, end)
        if ":" in number:  # 12:28 (a time), 2:03:59 (a duration)
            hour = re.fullmatch(r"(\d{1,2}):(\d{2})", number)
            readings.append(_Reading(start, end, time=f"{int(hour.group(1)) % 12}:{hour.group(2)}" if hour else number))
            continue
        mantissa = _digits_value(number, language)
        if (lang == "en" and re.match(r"(?:st|nd|rd|th)\b", text[end:], re.IGNORECASE)) or (
                lang == "it" and re.match(r"[°ºª](?!\s?[CF]\b)(?=\s*[^\W\d_])", text[end:])):  # 3rd, 3° posto; not 25 °C
            readings.append(_Reading(start, end + (2 if lang == "en" else 1), mantissa, ordinal=True))
            continue
        if fraction := re.match(f"[{_FRACTIONS}]", text[end:end + 1]):  # 29¾
            mantissa += Decimal(str(unicodedata.numeric(fraction.group())))
            end += 1
        reading = _Reading(start if before is None else before, end, mantissa)
        _extend(text, lang, language, reading, currency=before is not None or after is not None)
        hour = re.fullmatch(r"(\d{1,2})\.(\d{2})", number)
        if (hour and reading.end == end and before is None and int(hour.group(1)) <= 24 and int(hour.group(2)) < 60
                and (lang == "it" or hour.group(2) == "00")):
            reading.time = f"{int(hour.group(1)) % 12}:{hour.group(2)}"  # 12.28 (Italian), 3.00
        readings.append(reading)
    for m in re.finditer(rf"(?<![\w.,])[{_FRACTIONS}]", text):  # ½ alone
        readings.append(_Reading(m.start(), m.end(), Decimal(str(unicodedata.numeric(m.group())))))
    return readings


class _Token:
    """A word, a run of digits or a punctuation sign, as text2num's ``find_numbers`` reads them."""

    __slots__ = ("word", "start", "end")

    def __init__(self, match: re.Match) -> None:
        self.word, self.start, self.end = match.group(), match.start(), match.end()

    def text(self) -> str:
        return self.word

    def nt_separated(self, previous: _Token) -> bool:
        return False

    def not_a_number_part(self) -> bool:
        return False


def _word_readings(text: str, lang: str, language: _Language) -> tuple[list[_Reading], list[_Reading]]:
    """Numbers in words (text2num): those that count something, and those that may be pronouns ("between the
    two", "one of them") unless a range gives them a scale («tra tre e quattro milioni»)."""
    from text_to_num import find_numbers

    tokens = [_Token(m) for m in re.finditer(r"[^\W\d_]+|\d+|[^\w\s]", text)]
    try:
        found = find_numbers(tokens, lang, 0)
    except ValueError:  # a language text2num does not read
        return [], []
    counted: list[_Reading] = []
    weak: list[_Reading] = []
    for occurrence in found:
        first, last = tokens[occurrence.start], tokens[occurrence.end - 1]
        words = [t.word.lower() for t in tokens[occurrence.start:occurrence.end] if t.word.isalpha()]
        previous = tokens[occurrence.start - 1] if occurrence.start else None
        following = tokens[occurrence.end] if occurrence.end < len(tokens) else None
        digits = re.match(r"\d+", occurrence.text)
        assert digits is not None, occurrence.text  # text2num writes the number it found in digits
        value = Decimal(digits.group())
        after_number = previous is not None and (previous.word.isdigit() or any(r.end == previous.end for r in counted))
        if after_number and (occurrence.is_ordinal or (len(words) == 1 and words[0] in language.scales)):
            continue  # "due terzi", "12 thousand": a fraction, a scale read with its digits
        if occurrence.is_ordinal:
            if lang == "it" and words == ["secondo"] and following is not None and (
                    following.word.lower() in _ACCORDING_TO or following.word[:1].isupper()):
                continue  # «secondo il ministro»: according to
            if lang == "it" and words == ["prima"] and (previous is None or previous.word.lower() not in _BEFORE_FIRST):
                continue  # «prima di», «poco prima»: before
            counted.append(_Reading(first.start, last.end, value, ordinal=True))
            continue
        reading = _Reading(first.start, last.end, value)
        century = lang == "it" and len(words) == 1 and first.word[:1].isupper() and value in range(200, 1000, 100)
        if century and previous is not None and (previous.word.isalpha() or previous.word in "'’"):  # «il Novecento», «dell'Ottocento»
            counted.append(_Reading(first.start, last.end, value // 100 + 11, ordinal=True))
            continue
        if lang == "en" and len(words) == 1 and words[0].endswith("s"):
            continue  # "hundreds", "millions": no count
        if lang == "en" and len(words) == 1 and value >= 100 and str(value).rstrip("0") == "1" and (
                previous is None or previous.word.lower() not in ("a", "an")):
            weak.append(reading)  # "a few hundred", "several million", "billion-dollar aid": no count, unless "a million"
            continue
        if len(words) == 1 and (value == 1 or (lang == "it" and words == ["sei"] and _you_are(tokens, occurrence.start))):
            weak.append(reading)  # an article or a pronoun ("una casa", "one of them"), «sei» "you are"
            continue
        if (scale := language.scales.get(words[-1])) and len(words) > 1 and value % scale.value == 0:
            reading.mantissa, reading.scale = value / scale.value, scale.value  # "tre milioni": its scale may be shared
        _extend(text, lang, language, reading, currency=False)
        after = text[reading.end:].lstrip(" -")
        decade = lang == "it" and previous is not None and previous.word.lower() == "anni"  # «negli anni Ottanta»
        if reading.end == last.end and len(words) == 1 and value < 100 and not decade and (
                not re.match(r"[^\W\d_]", after) or (following is not None and following.word.lower() in _NOT_COUNTED)):
            weak.append(reading)  # "between the two.", "one of them", «uno dei»: a pronoun, not a count of something
        else:
            counted.append(reading)
    return counted, weak


def _you_are(tokens: list[_Token], at: int) -> bool:
    """«sei» as "you are": after a subject, a clitic or a conjunction («se sei», «ne sei», «non sei»), or before a
    participle («sei stato», «sei arrivata»)."""
    previous = tokens[at - 1].word.lower() if at else ""
    following = tokens[at + 1].word.lower() if at + 1 < len(tokens) else ""
    return previous in _BEFORE_YOU_ARE or bool(re.fullmatch(r"[a-zà-ù]+(?:at|it|ut)[oaie]", following))


def _suffixed_readings(text: str) -> list[_Reading]:
    """Italian numbers with a suffix on their stem: ages (ventun-enne, quarant-enne) and ordinals (sedic-esimo)."""
    from text_to_num import text2num

    readings = []
    for m in _IT_SUFFIXED.finditer(text):
        for vowel in ("", "o", "a", "e", "i"):
            try:
                value = Decimal(text2num(m.group(1).lower() + vowel, "it"))
            except ValueError:
                continue
            readings.append(_Reading(m.start(), m.end(), value, ordinal=not m.group(2)))
            break
    return readings


def _roman_readings(text: str) -> list[_Reading]:
    """XVI secolo, «secolo XIX», «tra il X e l'XI secolo», Henry VIII: ranks; not Washington DC or a CD, which are
    letters, nor a lone I, V or X that no century follows."""
    readings: list[_Reading] = []
    for m in reversed([m for m in ROMAN_NUMERAL.finditer(text) if m.group()]):  # from the last: a list shares its century
        before, after = text[:m.start()].split()[-1:], re.findall(r"[^\W\d_]+", text[m.end():])[:1]
        regnal = len(m.group()) > 1 and set(m.group()) <= set("IVX") and before and before[0][:1].isupper() and before[0][1:].islower()
        century = (after and after[0].lower() in ("secolo", "sec", "secoli", "century", "centuries")) or (
            before and before[0].lower() == "secolo") or (
            readings and readings[-1].start > m.end() and _CENTURY_LIST.fullmatch(text, m.end(), readings[-1].start))
        if regnal or century:
            readings.append(_Reading(m.start(), m.end(), Decimal(roman_value(m.group())), ordinal=True))
    return readings


def _time_readings(text: str, lang: str) -> list[_Reading]:
    from text_to_num import text2num

    readings = [_Reading(m.start(), m.end(), time=f"{int(m.group(1)) % 12}:{m.group(2)}") for m in _TIME_MILITARY.finditer(text)]
    if lang == "en":
        for m in _TIME_EN.finditer(text):  # 3 p.m., 3:30pm, 7 o'clock, seven o'clock
            try:
                hour = int(m.group(1) or m.group(3)) if (m.group(1) or m.group(3)).isdigit() else text2num(m.group(3).lower(), "en")
            except ValueError:
                continue
            readings.append(_Reading(m.start(), m.end(), time=f"{hour % 12}:{m.group(2) or '00'}"))
    elif lang == "it":
        for m in _TIME_IT.finditer(text):  # «alle 6 del mattino», «verso le 15», «alle 23,45»
            group = 1 if m.group(1) else 3
            readings.append(_Reading(m.start(group), m.end(2 if m.group(1) else 3),
                                     time=f"{int(m.group(group)) % 12}:{m.group(2) or '00'}"))
        for m in _CENTURY_IT.finditer(text):  # «il '900»: the twentieth century
            readings.append(_Reading(m.start(), m.end(), Decimal(int(m.group(1)) + 11), ordinal=True))
    return readings


def _share_scales(text: str, lang: str, readings: list[_Reading]) -> None:
    """Give the first number of a range the scale written after the second: «da 25 a 55 miliardi», «tra 3 e 4 milioni»,
    "3-4 million", "between $3 and $4 billion"."""
    joint = _RANGE.get(lang)
    if joint is None:
        return
    for first, second in zip(readings, readings[1:]):
        if (first.scale == 1 and second.scale > 1 and first.time is None and second.time is None and not first.ordinal
                and first.mantissa < second.mantissa and joint.fullmatch(text, first.end, second.start)):
            first.scale = second.scale


def quantities(text: str, lang: str) -> list[Quantity]:
    """Every number of the text as a value, with its characters (see the module docstring)."""
    return _read(text, lang)[0]


def _read(text: str, lang: str) -> tuple[list[Quantity], list[Quantity]]:
    """The text's quantities, and the number words that may be pronouns or articles ("one of them", «una casa»):
    these count nothing themselves, but render a number of the other side."""
    language = _language(lang)
    taken: list[_Reading] = []

    def free(reading: _Reading) -> bool:
        return not any(t.start < reading.end and reading.start < t.end for t in taken)

    for reading in _time_readings(text, lang):
        if free(reading):
            taken.append(reading)
    for m in _HALF[lang].finditer(text) if lang in _HALF else ():  # «mezzo milione», "half a million"
        if scale := _scale_after(text, m.end(), language, currency=False):
            reading = _Reading(m.start(), scale[1], Decimal("0.5"), scale[0])
            if free(reading):
                taken.append(reading)
    for reading in _digit_readings(text, lang, language) + (_suffixed_readings(text) if lang == "it" else []):
        if free(reading):
            taken.append(reading)
    counted, weak = _word_readings(text, lang, language)
    for reading in counted + _roman_readings(text):
        if free(reading):
            taken.append(reading)
    weak = [r for r in weak if free(r)]
    readings = sorted(taken + weak, key=lambda r: r.start)
    _share_scales(text, lang, readings)
    pronouns = {id(r) for r in weak if r.scale == 1}
    return ([r.quantity(text) for r in readings if id(r) not in pronouns],
            [r.quantity(text) for r in readings if id(r) in pronouns])


def _months(text: str, lang: str) -> set[int]:
    lower = text.lower()
    names = _MONTHS.get(lang, [])
    return {i for i, name in enumerate(names) if re.search(rf"\b{name}\b", lower) and not (lang == "en" and name == "may")}


def _converted_units(source: str, target: str, src: list[Quantity], tgt: list[Quantity]) -> bool:
    """Metric units or degrees after a source number, imperial ones or degrees in the translation: numbers converted."""
    return any(_METRIC.match(source, q.end) for q in src) and (
        bool(_IMPERIAL.search(target)) or any(_IMPERIAL_AFTER.match(target, q.end) for q in tgt))


def _same_reading(a: Quantity, b: Quantity) -> bool:
    """The same number read otherwise: the same digits (2.53 as a time, 12.595.75 a slip for 12,595.75), a decade or
    short year written out (anni '60 / the 1960s, anni Ottanta / the 1980s, '22 / 2022), an hour of the 24-hour clock on a 12-hour one
    («tra le 16 e le 19» / "between 4pm and 7pm", «le 23,45» / "11:45"), a scale the sentence gave once (i finali
    350 / the final 350 billion), a century by its years (il Novecento / the 1900s)."""
    digits_a, digits_b = re.sub(r"\D", "", a.written), re.sub(r"\D", "", b.written)
    both_separated = bool(re.search(r"\d[.,:]\d", a.written)) and bool(re.search(r"\d[.,:]\d", b.written))
    short_year = (len(a.value) == 2 and len(b.value) == 4 and b.value.endswith(a.value)) or (
        len(b.value) == 2 and len(a.value) == 4 and a.value.endswith(b.value))  # also «gli anni Ottanta» / "the 1980s"
    return (both_separated and digits_a == digits_b) or short_year or _hour(a, b) or _hour(b, a) or _scale_elided(a, b) or (
        _century(a, b) or _century(b, a))


def _hour(time: Quantity, other: Quantity) -> bool:
    """«alle 19» / "7pm", «alle 7» / "at seven", «le 23,45» / "11:45": a time and a bare hour (or hour and minutes)."""
    clock = re.fullmatch(r"(\d{1,2}):(\d{2})", time.value)
    bare = re.fullmatch(r"(\d{1,2})(?:[.,](\d{2}))?", other.written) or (
        None if other.ordinal or re.search(r"\d", other.written) else re.fullmatch(r"(\d{1,2})()", other.value))
    return bool(clock and bare and int(bare.group(1)) <= 24 and int(bare.group(1)) % 12 == int(clock.group(1))
                and (bare.group(2) or "00") == clock.group(2))


def _scale_elided(a: Quantity, b: Quantity) -> bool:
    """The same digits, one side with a scale word and the other bare: a scale the sentence gave once."""
    bare = re.compile(r"[\d.,]+")
    return (re.sub(r"\D", "", a.written) == re.sub(r"\D", "", b.written) and a.value != b.value
            and (bool(bare.fullmatch(a.written)) != bool(bare.fullmatch(b.written)))
            and bool(re.search(r"[^\W\d_]", a.written + b.written)))


def _century(rank: Quantity, years: Quantity) -> bool:
    """The twentieth century and the 1900s."""
    return rank.ordinal and not years.ordinal and rank.value.isdigit() and int(rank.value) > 10 and years.value == str((int(rank.value) - 1) * 100)


def _unmatched(src: list[Quantity], tgt: list[Quantity], src_pronouns: set[str], tgt_pronouns: set[str]
               ) -> tuple[list[Quantity], list[Quantity]]:
    """The source's quantities the translation lacks and the translation's the source lacks, counted: "72% ... 63%"
    against "72% ... 72%" lacks a 63 and has a 72 too many. Ranks match ranks first and counts counts («primo 3-1»
    / "a 3-1 deficit"); a value the other side has as a pronoun ("nineteen of the injured"), or anywhere for an
    ordinal in words (often rephrased: «il primo gol» / "the opener"), is rendered."""
    missing, extra = list(src), list(tgt)
    for same_kind in (True, False):
        for q in list(missing):
            twin = next((t for t in extra if t.value == q.value and (t.ordinal == q.ordinal or not same_kind)), None)
            if twin is not None:
                missing.remove(q)
                extra.remove(twin)
    src_values, tgt_values = {q.value for q in src} | src_pronouns, {q.value for q in tgt} | tgt_pronouns
    return ([q for q in missing if q.value not in tgt_pronouns and not (_in_words(q) and q.value in tgt_values)],
            [q for q in extra if q.value not in src_pronouns and not (_in_words(q) and q.value in src_values)])


def _in_words(q: Quantity) -> bool:
    """An ordinal in words ("terzo", "first", «Novecento»), compared only with ordinals."""
    return q.ordinal and not re.search(r"\d", q.written) and not ROMAN_NUMERAL.fullmatch(q.written)


@register
class NumbersCheck(Check):
    id = "numbers"
    category = "accuracy/mistranslation"
    description = "numbers, times or months that differ from the source"

    def check_pair(self, pair: Pair, ctx: CheckContext):
        if not pair.target.strip() or not pair.source.strip():
            return
        (src, src_pronouns), (tgt, tgt_pronouns) = _read(pair.source, ctx.src_lang), _read(pair.target, ctx.tgt_lang)
        if not _converted_units(pair.source, pair.target, src, tgt):  # 25 metri / 30 yards: converted, not wrong
            yield from self._compare(pair, src, tgt, {q.value for q in src_pronouns}, {q.value for q in tgt_pronouns})
        src_months, tgt_months = _months(pair.source, ctx.src_lang), _months(pair.target, ctx.tgt_lang)
        if src_months and tgt_months and not src_months & tgt_months:
            names = _MONTHS["en"]
            for month in tgt_months:
                m = re.search(rf"\b{names[month]}\b", pair.target, re.IGNORECASE)
                assert m is not None, month  # _months found it there
                expected = " or ".join(names[i].capitalize() for i in sorted(src_months))
                yield self.finding(m.start(), m.end(), "major", f"month differs from the source ({expected})", category="locale/date",
                                   suggestion=expected if len(src_months) == 1 else None, confidence=0.85)

    def _compare(self, pair: Pair, src: list[Quantity], tgt: list[Quantity], src_pronouns: set[str], tgt_pronouns: set[str]):
        """Findings for the quantities one side has and the other lacks; a pronoun of one side ("nineteen of the
        injured") renders the other's number but is never one that is missing."""
        missing, extra = _unmatched(src, tgt, src_pronouns, tgt_pronouns)
        for q in list(extra):
            twin = next((m for m in missing if _same_reading(m, q)), None)
            if twin is not None:
                extra.remove(q)
                missing.remove(twin)
        counts_missing, counts_extra = [q for q in missing if not _in_words(q)], [q for q in extra if not _in_words(q)]
        changed: dict[Quantity, list[Quantity]] = {}
        if counts_missing and counts_extra:
            changed = dict.fromkeys(counts_extra, counts_missing)
        ranks_missing, ranks_extra = [q for q in missing if q.ordinal], [q for q in extra if q.ordinal]
        if ranks_missing and len(ranks_missing) == len(ranks_extra):  # "the fourth" for «il terzo», one for one
            for q in ranks_extra:
                changed.setdefault(q, ranks_missing)
        for q, expected in changed.items():
            yield self.finding(q.start, q.end, "critical",
                               f"number {q.written} is not in the source (the source has {', '.join(sorted({m.written for m in expected}))})",
                               confidence=0.8, source_start=expected[0].start, source_end=expected[0].end)
        if counts_missing and counts_extra:
            return
        explained = {m for expected in changed.values() for m in expected}
        for q in counts_extra:
            if q not in changed:
                yield self.finding(q.start, q.end, "minor", f"number {q.written} is not in the source", category="accuracy/addition",
                                   confidence=0.6)
        for q in counts_missing:
            if q not in explained:
                spot = len(pair.target.rstrip())
                yield self.finding(spot, spot, "minor", f"number {q.written} of the source is missing", category="accuracy/omission",
                                   confidence=0.7, source_start=q.start, source_end=q.end)
