"""Numbers read from locale data (CLDR through Babel) and number words (text2num), on sentences written here.

Each writing is read as its value by ``quantities``, and through the ``numbers`` check: no finding where the two
sides agree, a critical one where a number was changed. A Hypothesis property then checks that whatever Babel
writes in Italian or English reads back as the value it wrote.
"""
from __future__ import annotations

from decimal import Decimal

import pytest
from babel.numbers import (
    format_compact_currency,
    format_compact_decimal,
    format_currency,
    format_decimal,
    format_percent,
    get_group_symbol,
)
from hypothesis import given, settings, strategies as st

import tq
from tq.checks import CheckContext, all_checks
from tq.checks.numbers import NumbersCheck, quantities
from tq.types import Pair

NBSP, NNBSP = "\u00a0", "\u202f"


def read(text: str, lang: str) -> list[tuple[str, str]]:
    """(value, written) of every quantity, each span checked to be exactly its characters."""
    found = quantities(text, lang)
    for q in found:
        assert text[q.start:q.end] == q.written and q.written == q.written.strip(), q
    return [(q.value, q.written) for q in found]


def numbers_findings(source: str, target: str) -> list[tuple[str, str]]:
    """(severity, flagged text) of the numbers check; the other checks are skipped, so that none of their findings
    absorbs one of these (overlapping findings are merged) and these tests depend on this check alone."""
    others = [c for c in all_checks() if c != "numbers"]
    report = tq.check_pairs([source], [target], lm="none", mt="none", verify_languages=False, calibrate=False, skip=others)
    pair = report.pairs[0]
    return [(f.severity, pair.target[f.start:f.end]) for f in pair.findings if f.check == "numbers" or "numbers" in f.also]


# ---------------------------------------------------------------- read as values


@pytest.mark.parametrize("text, lang, expected", [
    # grouping: points, spaces, no-break and narrow no-break spaces; a decimal comma
    ("Il comune conta 12 500 abitanti.", "it", [("12500", "12 500")]),
    (f"Il comune conta 12{NBSP}500 abitanti.", "it", [("12500", f"12{NBSP}500")]),
    (f"Il comune conta 12{NNBSP}500 abitanti.", "it", [("12500", f"12{NNBSP}500")]),
    ("Il comune conta 12.500 abitanti.", "it", [("12500", "12.500")]),
    ("Il debito pubblico vale 2 750 000 000 euro.", "it", [("2750000000", "2 750 000 000")]),
    ("La media è di 3,5 figli.", "it", [("3.5", "3,5")]),
    ("Il prezzo è di 1.234,75 euro.", "it", [("1234.75", "1.234,75")]),
    ("The stadium holds 85 000 fans.", "en", [("85000", "85 000")]),
    ("The stadium holds 85,000 fans.", "en", [("85000", "85,000")]),
    ("The average is 3.5 children.", "en", [("3.5", "3.5")]),
    # scales, abbreviated and spelt
    ("Sono arrivati 12mila turisti.", "it", [("12000", "12mila")]),
    ("Sono arrivati 12 mila turisti.", "it", [("12000", "12 mila")]),
    ("Una perdita di 4,2 mln di euro.", "it", [("4200000", "4,2 mln")]),
    ("Una perdita di 4,2 mln. di euro.", "it", [("4200000", "4,2 mln.")]),
    ("Un fondo da 7 mld di euro.", "it", [("7000000000", "7 mld")]),
    ("Un fondo da 7 mld. di euro.", "it", [("7000000000", "7 mld.")]),
    ("Un fondo da 7 mrd di euro.", "it", [("7000000000", "7 mrd")]),
    ("Un fondo da 7 miliardi di euro.", "it", [("7000000000", "7 miliardi")]),
    ("Un buco da 1,5 milioni di euro.", "it", [("1500000", "1,5 milioni")]),
    ("Lo stadio è costato 7 milioni e mezzo.", "it", [("7500000", "7 milioni e mezzo")]),
    ("A loss of £4.2m was reported.", "en", [("4200000", "£4.2m")]),
    ("A fund of $7bn was set up.", "en", [("7000000000", "$7bn")]),
    ("A fund of 7 billion dollars.", "en", [("7000000000", "7 billion")]),
    ("A loss of 1.5 million pounds.", "en", [("1500000", "1.5 million")]),
    ("A bonus of $12k each.", "en", [("12000", "$12k")]),
    ("Two and a half million people voted.", "en", [("2500000", "Two and a half million")]),
    ("She won the 100m final.", "en", [("100", "100")]),  # a distance: "m" glued without a currency sign
    ("He ran a 5k race.", "en", [("5", "5")]),
    # a scale shared by a range
    ("Il costo va da 25 a 55 miliardi.", "it", [("25000000000", "25"), ("55000000000", "55 miliardi")]),
    ("Costerà tra 3 e 4 milioni di euro.", "it", [("3000000", "3"), ("4000000", "4 milioni")]),
    ("Serviranno tra i 16 e i 18 milioni.", "it", [("16000000", "16"), ("18000000", "18 milioni")]),
    ("Serviranno tre o quattro milioni.", "it", [("3000000", "tre"), ("4000000", "quattro milioni")]),
    ("It will cost between 3 and 4 million euros.", "en", [("3000000", "3"), ("4000000", "4 million")]),
    ("It will cost 3-4 million euros.", "en", [("3000000", "3"), ("4000000", "4 million")]),
    # percent
    ("Il Pil è cresciuto dell'8 per cento.", "it", [("8", "8 per cento")]),
    ("Il Pil è cresciuto dell'8%.", "it", [("8", "8%")]),
    ("Il Pil è cresciuto dell'8 percento.", "it", [("8", "8 percento")]),
    ("GDP grew by 8 percent.", "en", [("8", "8 percent")]),
    ("GDP grew by 8 per cent.", "en", [("8", "8 per cent")]),
    ("GDP grew by 8%.", "en", [("8", "8%")]),
    # number words
    ("Sono intervenuti trecento agenti.", "it", [("300", "trecento")]),
    ("Hanno firmato duemilacinquecento cittadini.", "it", [("2500", "duemilacinquecento")]),
    ("La regione ha tre milioni di abitanti.", "it", [("3000000", "tre milioni")]),
    ("Three hundred and five people signed.", "en", [("305", "Three hundred and five")]),
    ("The court heard twenty-one witnesses.", "en", [("21", "twenty-one")]),
    ("Uno dei ministri si è dimesso.", "it", []),   # a pronoun
    ("Ha comprato una casa al mare.", "it", []),   # an article
    ("One of them was arrested.", "en", []),
    ("Several million people watched.", "en", []),  # a vague amount, not a count
    ("A million people watched.", "en", [("1000000", "million")]),
    # ordinals
    ("È il terzo mandato del sindaco.", "it", [("3", "terzo")]),
    ("È arrivato 3° nella gara.", "it", [("3", "3°")]),
    ("È la 3ª edizione del festival.", "it", [("3", "3ª")]),
    ("It is the mayor's third term.", "en", [("3", "third")]),
    ("He came 3rd in the race.", "en", [("3", "3rd")]),
    ("Secondo il ministro, la crisi è finita.", "it", []),  # «secondo»: according to
    # centuries and rulers
    ("La villa risale al XIX secolo.", "it", [("19", "XIX")]),
    ("The villa dates from the nineteenth century.", "en", [("19", "nineteenth")]),
    ("The villa dates from the 19th century.", "en", [("19", "19th")]),
    ("Le mura risalgono al XII e al XIII secolo.", "it", [("12", "XII"), ("13", "XIII")]),
    ("Luigi XIV regnò a lungo.", "it", [("14", "XIV")]),
    ("Louis XIV reigned for a long time.", "en", [("14", "XIV")]),
    ("La pittura del Novecento.", "it", [("20", "Novecento")]),
    ("La pittura del '900.", "it", [("20", "'900")]),
    ("Novecento persone hanno firmato.", "it", [("900", "Novecento")]),  # the first word: a count
    ("The painting of the twentieth century.", "en", [("20", "twentieth")]),
    # currencies
    ("Lo Stato ha stanziato 3 mld. di euro.", "it", [("3000000000", "3 mld.")]),
    ("The state allocated 3 billion euros.", "en", [("3000000000", "3 billion")]),
    ("The state allocated €3bn.", "en", [("3000000000", "€3bn")]),
    ("The state allocated EUR 3 billion.", "en", [("3000000000", "EUR 3 billion")]),
    ("Il biglietto costa 12,50 €.", "it", [("12.5", "12,50 €")]),
])
def test_a_writing_is_read_as_its_value(text, lang, expected):
    assert read(text, lang) == expected


def test_a_language_without_cldr_data_reads_digits_the_english_way():
    assert read("Sono 12 500 e 1,234.", "xx") == [("12500", "12 500"), ("1234", "1,234")]


def test_ordinals_are_marked_as_ranks():
    assert [q.ordinal for q in quantities("Il terzo giorno del XIX secolo, 27 deputati.", "it")] == [True, True, False]


# ---------------------------------------------------------------- through the check


@pytest.mark.parametrize("source, target", [
    ("Il comune conta 12 500 abitanti.", "The town has 12,500 residents."),
    (f"Il comune conta 12{NBSP}500 abitanti.", "The town has 12,500 residents."),
    ("Sono arrivati 85.000 visitatori.", "85 000 visitors arrived."),
    ("Il tasso è sceso al 3,5 per cento.", "The rate fell to 3.5%."),
    ("Il debito è salito a 12mila euro.", "The debt rose to 12,000 euros."),
    ("L'azienda ha perso 4,2 mln. di euro.", "The company lost €4.2m."),
    ("L'azienda ha perso 4,2 milioni di euro.", "The company lost 4.2 million euros."),
    ("Il piano vale da 25 a 55 miliardi.", "The plan is worth 25 billion to 55 billion."),
    ("Il piano vale da 25 a 55 miliardi.", "The plan is worth between 25 and 55 billion."),
    ("Costerà tra 3 e 4 milioni di euro.", "It will cost 3 million to 4 million euros."),
    ("Il Pil è cresciuto del 2%.", "GDP grew by 2 per cent."),
    ("Il Pil è cresciuto del 2 per cento.", "GDP grew by 2 percent."),
    ("Sono intervenuti trecento agenti.", "300 officers took part."),
    ("Hanno firmato duemilacinquecento cittadini.", "2,500 citizens signed."),
    ("La regione ha tre milioni di abitanti.", "The region has 3 million inhabitants."),
    ("Hanno firmato in 305.", "Three hundred and five people signed."),
    ("Ha testimoniato per 21 ore.", "He testified for twenty-one hours."),
    ("Uno dei ministri si è dimesso.", "One of the ministers resigned."),
    ("Ha vinto per la terza volta.", "He won for the third time."),
    ("È arrivato 3° nella gara.", "He came third in the race."),
    ("È la 3ª edizione del festival.", "It is the festival's 3rd edition."),
    ("La villa risale al XIX secolo.", "The villa dates from the nineteenth century."),
    ("La villa risale al XIX secolo.", "The villa dates from the 19th century."),
    ("Luigi XIV regnò a lungo.", "Louis XIV reigned for a long time."),
    ("La pittura del Novecento è in mostra.", "Twentieth-century painting is on show."),
    ("La pittura del '900 è in mostra.", "Painting of the 1900s is on show."),
    ("Lo Stato ha stanziato 3 mld. di euro.", "The state allocated 3 billion euros."),
    ("Lo Stato ha stanziato 3 mld. di euro.", "The state allocated €3bn."),
    ("Lo Stato ha stanziato 3 mld. di euro.", "The state allocated EUR 3 billion."),
    ("Il treno parte alle 23,45.", "The train leaves at 11:45 p.m."),
    ("I negozi restano chiusi tra le 13 e le 16.", "Shops stay closed between 1pm and 4pm."),
    # number words as pronouns render the other side's count; «secondo» "according to", «sei» "you are"
    ("Tra i feriti, diciannove erano agenti.", "Nineteen of the injured were officers."),
    ("L'incendio ha ucciso diciassette persone.", "The fire killed seventeen."),
    ("Secondo il ministro, è la terza crisi.", "It is the third crisis, the minister says."),
    ("Non sai se sei stato visto.", "You do not know whether you were seen."),
    ("Divorziarono negli anni Ottanta.", "They divorced in the 1980s."),
])
def test_the_same_numbers_written_otherwise_are_not_flagged(source, target):
    assert numbers_findings(source, target) == []


@pytest.mark.parametrize("source, target, flagged", [
    ("Hanno votato 27 deputati.", "Thirty deputies voted.", "Thirty"),
    ("Il comune conta 12 500 abitanti.", "The town has 12,600 residents.", "12,600"),
    ("Il fondo vale 3 miliardi.", "The fund is worth 3 million.", "3 million"),
    ("Lo Stato ha stanziato 3 mld. di euro.", "The state allocated €3m.", "€3m"),
    ("Il tasso è sceso al 3,5 per cento.", "The rate fell to 5.3%.", "5.3%"),
    ("Il piano vale da 25 a 55 miliardi.", "The plan is worth 25 billion to 65 billion.", "65 billion"),
    ("Ha vinto per la terza volta.", "He won for the fourth time.", "fourth"),
    ("La villa risale al XIX secolo.", "The villa dates from the 20th century.", "20th"),
    ("Luigi XIV regnò a lungo.", "Louis XV reigned for a long time.", "XV"),
    ("Il 72% a Roma e il 63% a Milano.", "72% in Rome and 72% in Milan.", "72%"),  # numbers are counted, not only seen
])
def test_a_changed_number_is_critical(source, target, flagged):
    assert ("critical", flagged) in numbers_findings(source, target)


# ---------------------------------------------------------------- what Babel writes reads back as its value

# values up to 10^12: integers, decimals with up to two places, and such decimals at each scale (thousands, millions,
# billions), so that every compact scale is drawn
VALUES = st.one_of(st.integers(0, 10**12).map(Decimal), st.integers(0, 10**14).map(lambda n: Decimal(n).scaleb(-2)),
                   st.builds(lambda n, scale: Decimal(n).scaleb(-2) * 1000**scale, st.integers(1, 99_999), st.integers(1, 3)))
CURRENCIES = st.sampled_from(["EUR", "USD", "GBP", "JPY", "CHF"])
SPACES = [" ", NBSP, NNBSP]


@st.composite
def written(draw) -> tuple[str, str, Decimal]:
    """(language, Babel's writing, the value it writes) for a random value, locale and format."""
    value = draw(VALUES)
    lang = draw(st.sampled_from(["it", "en"]))
    locale = "it_IT" if lang == "it" else draw(st.sampled_from(["en_US", "en_GB"]))
    kind = draw(st.sampled_from(["decimal", "compact", "currency", "percent"]))
    if kind == "decimal":  # the group separator as the locale writes it, or a space of any width
        text = format_decimal(value, locale=locale).replace(get_group_symbol(locale), draw(st.sampled_from(SPACES + [get_group_symbol(locale)])))
        return lang, text, value
    if kind == "currency":
        return lang, format_currency(value, draw(CURRENCIES), locale=locale, decimal_quantization=False), value
    if kind == "percent":  # a percentage's value is its number of percent, as "25 percent" and «25 per cento» write it
        return lang, format_percent(value, locale=locale, decimal_quantization=False), value * 100
    # compact: only where the shown precision is exact (the same with more fraction digits)
    digits = draw(st.integers(0, 2))
    form = draw(st.sampled_from(["long", "short"]))
    if locale == "en_GB" and form == "short":
        # en_GB's short scales are lower case ("12m", "3k"): without a currency sign a person reads 100m as a
        # distance, so the short British writing is drawn with one
        code = draw(CURRENCIES)
        exact = format_compact_currency(value, code, locale=locale, fraction_digits=digits)
        full = format_compact_currency(value, code, locale=locale, fraction_digits=15)
    else:
        exact = format_compact_decimal(value, format_type=form, locale=locale, fraction_digits=digits)
        full = format_compact_decimal(value, format_type=form, locale=locale, fraction_digits=15)
    return lang, (exact if exact == full else full), value


@settings(max_examples=200, deadline=None)
@given(written(), st.booleans())
def test_what_babel_writes_reads_back_as_its_value(sample, in_a_sentence):
    lang, text, value = sample
    sentence = ("Il totale è {} in tutto." if lang == "it" else "The total is {} in all.").format(text) if in_a_sentence else text
    found = quantities(sentence, lang)
    assert len(found) == 1, (sentence, found)
    assert Decimal(found[0].value) == value and found[0].written == text, (sentence, found)


# pieces of number writings, letters whose case folding changes their length, other scripts' digits, and any text
PIECES = ["12 500", "3,5", "mila", " mln.", " miliardi", "€", "$", "%", " per cento", " e mezzo", " and a half", "tre", "three",
          "secondo", "XIX", "IIII", " secolo", "Lungo", "Novecento", "'900", "alle 23,45", "4pm", "o'clock", "ventunenne", "sedicesimo", " tra ",
          " e ", " a ", "-", "1.234", "1,234", "½", "°", "ª", "K", "m", "bn", "İ", "ſ", "٣", "３", NBSP, NNBSP, " "]
TEXTS = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=3)), max_size=12).map("".join)


@settings(max_examples=200, deadline=None)
@given(TEXTS, TEXTS, st.sampled_from(["it", "en"]))
def test_any_text_reads_without_error_and_spans_cover_their_writing(source, target, lang):
    for q in quantities(source, lang):
        assert source[q.start:q.end] == q.written and q.written and q.written == q.written.strip(), (source, q)
    list(NumbersCheck().check_pair(Pair(0, source, target, (0,), (0,)), CheckContext(pairs=[], src_lang=lang)))
