"""Property tests (issue 20): on any input tq either reports or refuses it with a TqError, every span it reports
quotes the text it names, ``tq fix`` changes nothing outside the fixes it applies, and a run reproduces.

Inputs are random Unicode (combining marks, right-to-left scripts, emoji, controls, line breaks of every kind,
no-break spaces, lone surrogates) and random edits of news-like sentence pairs written here. Models stay off
(``lm="none", mt="none"``) except in one smaller test with the default fluency LM.
"""
from __future__ import annotations

import functools
import json
import os
import re
import subprocess
import sys
import tempfile
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, example, given, settings, strategies as st

import tq
from tq.read import decode
from tq.report import render
from tq.types import TqError

OFF = {"lm": "none", "mt": "none"}
QUICK = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# News-like pairs written for these tests: names, numbers in both locales, hours, dates, quotes, negation, a headline.
PAIRS = [
    ("Il presidente della Regione, Marco Bellini, ha annunciato martedì uno stanziamento di 12 milioni di euro per le scuole.",
     "Regional president Marco Bellini announced on Tuesday an allocation of 12 million euros for schools."),
    ("«Non ci fermeremo finché i lavori non saranno conclusi», ha detto il sindaco ai giornalisti.",
     "\u201cWe will not stop until the work is finished,\u201d the mayor told reporters."),
    ("Secondo l'Istat, la disoccupazione è scesa al 7,8% nel terzo trimestre del 2023.",
     "According to Istat, unemployment fell to 7.8% in the third quarter of 2023."),
    ("L'incendio, scoppiato alle 15.30 in un capannone di Prato, è stato domato dopo sei ore.",
     "The fire, which broke out at 3.30 p.m. in a warehouse in Prato, was put out after six hours."),
    ("Il treno per Milano è partito con quaranta minuti di ritardo a causa di un guasto alla linea.",
     "The train to Milan left forty minutes late because of a fault on the line."),
    ("La ministra ha respinto le accuse dell'opposizione e ha chiesto un confronto in Parlamento.",
     "The minister rejected the opposition's accusations and called for a debate in Parliament."),
    ("Circa 1.500 persone hanno partecipato domenica alla manifestazione contro la nuova autostrada.",
     "About 1,500 people took part on Sunday in the demonstration against the new motorway."),
    ("Il museo resterà chiuso fino al 3 marzo per lavori di restauro.",
     "The museum will remain closed until 3 March for restoration work."),
    ("Gli scienziati dell'Università di Padova hanno scoperto una nuova specie di rana nelle Ande.",
     "Scientists at the University of Padua have discovered a new species of frog in the Andes."),
    ("La Juventus ha battuto l'Inter per 2-1 grazie a un gol nei minuti di recupero.",
     "Juventus beat Inter 2-1 thanks to a goal in stoppage time."),
    ("Il governo non ha ancora deciso se rinnovare l'accordo italo-francese sui trasporti a lungo raggio.",
     "The government hasn't yet decided whether to renew the Italian-French agreement on long-range transport."),
    ("Terremoto in Calabria, nessun ferito",
     "Earthquake in Calabria, no one injured"),
]

WORDS = sorted({w for pair in PAIRS for side in pair for w in side.split()})
# Characters that break naive text handling, drawn besides hypothesis' own (which spans all of Unicode). Lone
# surrogates (a str that is not Unicode text) have their own test: tq refuses them, so they would hide the rest.
SPECIALS = [
    "\u0301", "\u0308", "\u200d", "\u200b", "\u200e", "\u200f", "\u202e", "\u2066", "\u05e9\u05dc\u05d5\u05dd",
    "\u0645\u0631\u062d\u0628\u0627", "\U0001f600", "\U0001f44d\U0001f3fd", "\U0001f1ee\U0001f1f9", "\u00a0", "\u202f",
    "\u2009", "\u3000", "\r\n", "\r", "\n", "\n\n", "\t", "\x0b", "\x0c", "\x00", "\x1b", "\x85", "\u2028", "\u2029",
    "\ufeff", "\ufffd", "«", "»", "\u201c", "\u201d", "\u2018", "\u2019", '"', "'", "\u2026", "\u2014",
    "-", ".", ",", ";", ":", "?", "!", "(", ")", "%", "€", "£", "$", "1", "7", "0", "1,5", "2.000", "ﬁ", "İ", "ß", "Ǆ",
]
# Control characters come mostly from SPECIALS: more than two in a short text make it binary, refused before any check.
CHARACTER = st.one_of(st.characters(exclude_categories=["Cc", "Cs"]), st.characters(codec="latin-1"),
                      st.sampled_from(SPECIALS), st.sampled_from(WORDS).map(lambda w: f" {w}"))
WILD = st.lists(CHARACTER, max_size=40).map("".join)


# ---------------------------------------------------------------- edits of real text


def _position(draw, text: str) -> int:
    return draw(st.integers(0, len(text)))


def _insert(draw, text: str) -> str:
    at = _position(draw, text)
    return text[:at] + draw(st.one_of(CHARACTER, st.sampled_from(WORDS).map(lambda w: f" {w} "))) + text[at:]


def _delete(draw, text: str) -> str:
    at = _position(draw, text)
    return text[:at] + text[at + draw(st.integers(1, 3)):]


def _replace(draw, text: str) -> str:
    at = _position(draw, text)
    return text[:at] + draw(CHARACTER) + text[at + 1:]


def _swap(draw, text: str) -> str:
    at = draw(st.integers(0, max(0, len(text) - 2)))
    return text[:at] + text[at + 1:at + 2] + text[at:at + 1] + text[at + 2:]


def _word_edit(draw, text: str) -> str:
    words = text.split(" ")
    at = draw(st.integers(0, len(words) - 1))
    kind = draw(st.sampled_from(["drop", "double", "swap", "lower", "upper", "join", "lone-punctuation"]))
    if kind == "drop":
        del words[at]
    elif kind == "double":
        words.insert(at, words[at])
    elif kind == "swap" and at + 1 < len(words):
        words[at], words[at + 1] = words[at + 1], words[at]
    elif kind == "lower":
        words[at] = words[at].lower()
    elif kind == "upper":
        words[at] = words[at].upper()
    elif kind == "join" and at + 1 < len(words):
        words[at:at + 2] = [words[at] + words[at + 1]]
    elif kind == "lone-punctuation":
        words.insert(at, draw(st.sampled_from([",", ";", ":", "?", "!", "«", "»", "."])))
    return " ".join(words)


def _digit(draw, text: str) -> str:
    places = [i for i, ch in enumerate(text) if ch.isdigit()]
    if not places:
        return text
    at = draw(st.sampled_from(places))
    return text[:at] + draw(st.sampled_from("0123456789")) + text[at + 1:]


def _punctuation(draw, text: str) -> str:
    """An apostrophe, stop, comma or space changed (curly, doubled, lost)."""
    return text.replace(draw(st.sampled_from(["'", "\u2019", ".", " ", ","])), draw(st.sampled_from(["", "\u2019", "  ", " ,"])), 1)


def _slip(draw, text: str) -> str:
    """A slip ``tq fix`` can mend: a space before punctuation, « » quotes in English, a word typed twice, a lost stop,
    a lost hyphen or apostrophe."""
    kind = draw(st.sampled_from(["space", "guillemets", "double", "stop", "hyphen", "apostrophe"]))
    if kind in ("hyphen", "apostrophe"):
        return re.sub(r"(?<=\w)[-'\u2019](?=\w)", "", text, count=draw(st.integers(1, 3)))
    if kind == "space":
        places = [i for i, ch in enumerate(text) if ch in ",;:?!." and i > 0 and text[i - 1] != " "] or [len(text)]
        at = draw(st.sampled_from(places))
        return text[:at] + " " + text[at:]
    if kind == "guillemets":
        return text.replace("\u201c", "«").replace("\u201d", "»") if "\u201c" in text else text.replace(" a ", " «a» ", 1)
    if kind == "double":
        words = text.split(" ")
        at = draw(st.integers(0, len(words) - 1))
        return " ".join(words[:at + 1] + words[at:])
    return text.rstrip(".")


def _whole(draw, text: str) -> str:
    """A change of the whole text that editors' tools make: decomposed accents (NFD), capitals, other line ends,
    no-break or thin spaces, straight quotes, zero-width spaces inside words."""
    kind = draw(st.sampled_from(["NFD", "NFKC", "upper", "lower", "cr", "crlf", "ls", "nbsp", "thin", "straight", "zwsp"]))
    if kind in ("NFD", "NFKC"):
        return unicodedata.normalize(kind, text)
    if kind in ("upper", "lower"):
        return getattr(text, kind)()
    if kind in ("cr", "crlf", "ls"):
        return text.replace("\n", {"cr": "\r", "crlf": "\r\n", "ls": "\u2028"}[kind])
    if kind in ("nbsp", "thin"):
        return text.replace(" ", "\u00a0" if kind == "nbsp" else "\u2009")
    if kind == "straight":
        return text.translate(str.maketrans("\u201c\u201d\u2018\u2019«»", "\"\"''\"\""))
    return re.sub(r"(?<=\w)(?=\w)", lambda m: "\u200b" if draw(st.booleans()) else "", text, count=20)


EDITS = [_insert, _delete, _replace, _swap, _word_edit, _word_edit, _digit, _punctuation, _slip, _whole]


@st.composite
def edited(draw, text: str, most: int = 4) -> str:
    """``text`` after up to ``most`` random edits of characters and words."""
    for _ in range(draw(st.integers(0, most))):
        text = draw(st.sampled_from(EDITS))(draw, text)
    return text


SEPARATORS = st.sampled_from(["\n\n", "\n", " ", "\r\n\r\n", "\r\n", "\r", "\n \n", "\n\n\n", "\n\t\n", "\u2029", "\x0c"])


@st.composite
def documents(draw, most_edits: int = 4, slips: int = 0) -> tuple[str, str]:
    """An Italian article and its English translation built from ``PAIRS``, either side possibly edited, and the
    translation given up to ``slips`` slips that ``tq fix`` can mend."""
    chosen = draw(st.lists(st.sampled_from(PAIRS), min_size=1, max_size=4, unique=True))
    sep_it, sep_en = draw(SEPARATORS), draw(SEPARATORS)
    source = sep_it.join(it for it, _ in chosen)
    translation = draw(edited(sep_en.join(en for _, en in chosen), most_edits))
    for _ in range(draw(st.integers(0, slips))):
        translation = _slip(draw, translation)
    return draw(edited(source, most_edits)), translation


CORPORA = Path(__file__).resolve().parent.parent / "corpora"


@functools.lru_cache(maxsize=1)
def corpus_articles() -> list[tuple[list[str], list[str]]]:
    """The demo article and the FLORES sample as (Italian lines, English lines); line n translates line n except
    in the demo (whose translation merges and drops lines, as real ones do)."""
    pairs = [("us-uk-putin-talks/it.txt", "us-uk-putin-talks/en.txt")]
    pairs += [(f"flores-sample/{n}.it.txt", f"flores-sample/{n}.en.txt") for n in (1, 2, 3)]
    return [tuple((CORPORA / name).read_text("utf-8").splitlines(keepends=True) for name in pair) for pair in pairs]


@st.composite
def corpus_documents(draw, most_edits: int = 4, slips: int = 0) -> tuple[str, str]:
    """A stretch of a real article from ``corpora/`` (the same share of each side), either side possibly edited, and
    the translation given up to ``slips`` slips that ``tq fix`` can mend."""
    it_lines, en_lines = draw(st.sampled_from(corpus_articles()))
    start = draw(st.floats(0, 0.8))
    length = draw(st.floats(0.1, 1))
    def cut(lines: list[str]) -> str:
        first = int(start * len(lines))
        return "".join(lines[first:first + max(1, round(length * len(lines)))])
    translation = draw(edited(cut(en_lines), most_edits))
    for _ in range(draw(st.integers(0, slips))):
        translation = _slip(draw, translation)
    return draw(edited(cut(it_lines), most_edits)), translation


@st.composite
def segment_lists(draw) -> tuple[list[str], list[str]]:
    """Pre-aligned segments: pairs from ``PAIRS`` edited, or random text, the same number on each side."""
    count = draw(st.integers(1, 4))
    one = st.one_of(st.sampled_from(PAIRS).flatmap(lambda p: st.tuples(edited(p[0]), edited(p[1]))), st.tuples(WILD, WILD))
    chosen = draw(st.lists(one, min_size=count, max_size=count))
    return [s for s, _ in chosen], [t for _, t in chosen]


# ---------------------------------------------------------------- what every report must satisfy


def _assert_sides_hold(report: tq.Report, text: str, side: str) -> None:
    """Each pair's ``side`` ("source" or "target") is its document's text at its offset, its sentence ids rise and
    are used once, and no character of the document but spaces is left out of every pair (the checks saw it all)."""
    ids, covered = [], [False] * len(text)
    for pair in report.pairs:
        part, offset = (pair.source, pair.src_offset) if side == "source" else (pair.target, pair.tgt_offset)
        assert text[offset:offset + len(part)] == part, (side, offset, part)
        covered[offset:offset + len(part)] = [True] * len(part)
        ids += pair.src_ids if side == "source" else pair.tgt_ids
    assert ids == sorted(set(ids)), (side, ids)
    assert "".join(ch for ch, seen in zip(text, covered) if not seen and not ch.isspace()) == "", side


def assert_report_holds(report: tq.Report, translation: str | None, source: str | None = None,
                        sources: list[str] | None = None) -> None:
    """Spans quote their text (property 2), the pairs cover both documents, and every renderer reads the report.

    ``translation`` and ``source`` are the whole documents as decoded (None for pre-aligned segments, whose
    pairs are the segments themselves: ``sources``, when given).
    """
    data = json.loads(report.to_json())
    assert len(data["pairs"]) == len(report.pairs)
    if translation is not None:
        _assert_sides_hold(report, translation, "target")
    if source is not None:
        _assert_sides_hold(report, source, "source")
    for pair, row in zip(report.pairs, data["pairs"]):
        assert row["target"] == pair.target and row["source"] == pair.source
        for finding, item in zip(pair.findings, row["findings"], strict=True):
            assert 0 <= finding.start <= finding.end <= len(pair.target), (finding, pair.target)
            assert item["text"] == pair.target[finding.start:finding.end]
            if translation is not None:
                assert translation[item["doc_start"]:item["doc_end"]] == item["text"], (item, pair.tgt_offset)
            if finding.source_start is not None or finding.source_end is not None:
                assert finding.source_start is not None and finding.source_end is not None, finding
                assert 0 <= finding.source_start <= finding.source_end <= len(pair.source), (finding, pair.source)
                assert item["source_text"] == pair.source[finding.source_start:finding.source_end]
            assert finding.suggestion is None or isinstance(finding.suggestion, str)
    if sources is not None:
        assert [p.source for p in report.pairs] == sources
    for fmt in ("text", "markdown", "html"):
        assert isinstance(render(report, fmt), str)
    frame = report.to_frame()
    assert len(frame) == sum(max(1, len(p.findings)) for p in report.pairs)


def check_or_refuse(source, translation, **options) -> tq.Report | None:
    """``tq.check``'s report, or None when it refused the input with a TqError (anything else propagates)."""
    try:
        report = tq.check(source, translation, **OFF, **options)
    except TqError as exc:
        event("refused: " + " ".join(str(exc).split(": ", 1)[-1].split()[:4]))
        return None
    event(f"checked: {len(report.findings)} findings" if len(report.findings) < 3 else "checked: 3+ findings")
    return report


# ---------------------------------------------------------------- 1 and 2: never raise, spans hold


@QUICK
@given(source=WILD, translation=WILD, verify=st.booleans())
def test_check_random_unicode(source: str, translation: str, verify: bool) -> None:
    report = check_or_refuse(source, translation, verify_languages=verify)
    if report is not None:
        assert_report_holds(report, translation, source)


@QUICK
@given(doc=documents(), noise=WILD, where=st.sampled_from(["source", "translation", "both"]), calibrate=st.booleans())
def test_check_real_text_with_noise(doc: tuple[str, str], noise: str, where: str, calibrate: bool) -> None:
    source, translation = doc
    if where in ("source", "both"):
        source = noise + source
    if where in ("translation", "both"):
        translation = translation + noise
    report = check_or_refuse(source, translation, calibrate=calibrate)
    if report is not None:
        assert_report_holds(report, translation, source)


@SLOW
@given(doc=st.one_of(documents(), corpus_documents()),
       encoding=st.sampled_from(["str", "utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-32", "cp1252"]))
def test_check_edited_documents(doc: tuple[str, str], encoding: str) -> None:
    source, translation = doc
    data = translation
    if encoding != "str":
        try:
            data = translation.encode(encoding, "surrogatepass" if encoding.startswith("utf") else "strict")
        except UnicodeEncodeError:
            data = translation.encode("utf-8", "surrogatepass")
    report = check_or_refuse(source, data)
    if report is not None:  # offsets index the translation as decoded (a byte-order mark is not part of it)
        assert_report_holds(report, data if isinstance(data, str) else decode(data)[0], source)


@st.composite
def corrupted_bytes(draw, text: str) -> bytes:
    """``text`` encoded in one of the encodings tq reads, then a few bytes changed, dropped or added."""
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "cp1252"]))
    data = bytearray(text.encode(encoding, "replace"))
    for _ in range(draw(st.integers(0, 6))):
        at = draw(st.integers(0, len(data)))
        kind = draw(st.sampled_from(["change", "drop", "add"]))
        if kind == "add" or at == len(data):
            data.insert(at, draw(st.integers(0, 255)))
        elif kind == "drop":
            del data[at]
        else:
            data[at] = draw(st.integers(0, 255))
    return bytes(data)


@QUICK
@given(doc=documents(), data=st.data())
def test_check_corrupted_bytes(doc: tuple[str, str], data: st.DataObject) -> None:
    source, translation = (data.draw(corrupted_bytes(side)) for side in doc)
    report = check_or_refuse(source, translation)
    if report is not None:
        assert_report_holds(report, decode(translation)[0], decode(source)[0])


@QUICK
@given(segments=segment_lists())
def test_check_pairs_never_raises(segments: tuple[list[str], list[str]]) -> None:
    sources, translations = segments
    try:
        report = tq.check_pairs(sources, translations, verify_languages=False, **OFF)
    except TqError:
        return
    assert [p.target for p in report.pairs] == translations
    assert_report_holds(report, None, sources=sources)


@QUICK
@given(doc=documents(), surrogate=st.sampled_from(["\ud800", "\udbff", "\udc00", "\udfff"]),
       side=st.sampled_from(["source", "translation"]), at=st.integers(0, 1000))
@example(doc=PAIRS[0], surrogate="\ud800", side="source", at=0)  # was a UnicodeEncodeError inside sentencex
def test_lone_surrogate_is_refused(doc: tuple[str, str], surrogate: str, side: str, at: int) -> None:
    """A str with a lone surrogate is not text: refused with a TqError, not a crash in the segmenter or encoder."""
    source, translation = doc
    text = source if side == "source" else translation
    at %= len(text) + 1
    text = text[:at] + surrogate + text[at:]
    with pytest.raises(TqError) as refused:
        tq.check(text, translation, **OFF) if side == "source" else tq.check(source, text, **OFF)
    message = str(refused.value)  # the other side may be refused first (an edit can empty it)
    assert "surrogate" in message or not message.startswith(f"<{side}>"), message


def test_check_pairs_lone_surrogate() -> None:
    with pytest.raises(TqError, match="surrogate"):
        tq.check_pairs(["Il treno \ud800 per Milano è partito."], ["The train \ud800 to Milan left."],
                       verify_languages=False, **OFF)


@SLOW
@given(segments=segment_lists())
@example(segments=(["Il treno è partito.", "Il museo resterà chiuso."], ["The train left.", "The the museum will remain closed ."]))
def test_check_pairs_doc_offsets(segments: tuple[list[str], list[str]]) -> None:
    sources, translations = segments
    try:
        report = tq.check_pairs(sources, translations, verify_languages=False, **OFF)
    except TqError:
        return
    assert_report_holds(report, "\n".join(translations), "\n".join(sources), sources)


# ---------------------------------------------------------------- 3: tq fix changes only what it fixes


def assert_fix_holds(result, translation: str, source: str) -> None:
    """The output is the input outside the applied fixes, character for character, and undoing them gives it back."""
    assert result.original == translation
    applied = sorted(result.applied, key=lambda f: (f.start, f.end))
    out, at_in, at_out, placed = result.text, 0, 0, []
    for fix in applied:
        assert at_in <= fix.start <= fix.end <= len(translation), (fix, at_in)  # in order, not overlapping
        assert translation[fix.start:fix.end] == fix.before and fix.before != fix.after
        assert fix.line == translation.count("\n", 0, fix.start) + 1
        gap = fix.start - at_in
        assert out[at_out:at_out + gap] == translation[at_in:fix.start]  # the unchanged stretch before the fix
        at_out += gap
        assert out[at_out:at_out + len(fix.after)] == fix.after
        placed.append((fix, at_out, at_out + len(fix.after)))
        at_out, at_in = at_out + len(fix.after), fix.end
    assert out[at_out:] == translation[at_in:]
    for pair, finding in result.checked.findings:  # each applied fix was proven: its error is gone from its spot
        start, end = pair.tgt_offset + finding.start, pair.tgt_offset + finding.end
        assert not any(start <= e and end >= s and finding.check in fix.checks for fix, s, e in placed), (finding, placed)
    assert not {id(f) for f in result.applied} & {id(f) for f, _ in result.rejected}
    assert (result.diff == "") == (result.text == translation) == (not applied)
    assert result.encoded().decode("utf-8-sig" if result.bom else "utf-8") == result.text
    assert_report_holds(result.checked, result.text, source)


@SLOW
@given(doc=st.one_of(documents(most_edits=2, slips=3), corpus_documents(most_edits=2, slips=3)))
def test_fix_changes_only_its_spans(doc: tuple[str, str]) -> None:
    source, translation = doc
    try:
        result = tq.fix(source, translation, **OFF)
    except TqError:
        event("refused")
        return
    event(f"{min(len(result.applied), 2)}{'+' if len(result.applied) > 1 else ''} applied")
    event(f"{'some' if result.rejected else 'none'} rejected")
    assert_fix_holds(result, translation, source)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(doc=documents(most_edits=1, slips=2), encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]))
def test_fix_never_writes_its_inputs(doc: tuple[str, str], encoding: str) -> None:
    source, translation = doc
    with tempfile.TemporaryDirectory() as folder:
        paths = Path(folder, "it.txt"), Path(folder, "en.txt")
        paths[0].write_bytes(source.encode("utf-8"))
        paths[1].write_bytes(translation.encode(encoding))
        before = [(p.read_bytes(), p.stat().st_mtime_ns) for p in paths]
        try:
            result = tq.fix(*paths, **OFF)
        except TqError:
            return
        assert [(p.read_bytes(), p.stat().st_mtime_ns) for p in paths] == before
        assert_fix_holds(result, result.original, source)


# ---------------------------------------------------------------- 4: a second run gives the same report


def _run(check, *args, **options) -> str:
    """The JSON report (in which NaN equals itself), or the refusal's message."""
    try:
        return check(*args, **OFF, **options).to_json()
    except TqError as exc:
        return f"refused: {exc}"


@SLOW
@given(doc=st.one_of(documents(), corpus_documents()), other=st.one_of(documents(), corpus_documents()))
def test_second_check_same_report(doc: tuple[str, str], other: tuple[str, str]) -> None:
    """The same input checked again, after another document (whose memoised vectors may linger), reports the same."""
    first = _run(tq.check, *doc)
    _run(tq.check, *other)
    assert _run(tq.check, *doc) == first


@QUICK
@given(segments=segment_lists())
def test_second_check_pairs_same_report(segments: tuple[list[str], list[str]]) -> None:
    first = _run(tq.check_pairs, *segments, verify_languages=False)
    assert _run(tq.check_pairs, *segments, verify_languages=False) == first


_CHECK_ALL = """
import json, sys, tq
out = []
for source, translation in json.load(sys.stdin):
    try:
        out.append(tq.check(source, translation, lm="none", mt="none").to_json())
    except tq.TqError as exc:
        out.append(f"refused: {exc}")
json.dump(out, sys.stdout)
"""


def test_same_report_in_another_process() -> None:
    """Another process, with another string hash seed (set iteration order), reports the same: a check that picked
    a name from a set flagged Zelensky in one process and Zelenski in another."""
    docs = [("Il presidente Zelenski ha parlato ieri a Kiev.\n\nZelensky ha poi incontrato i ministri.",
             "President Zelenski spoke yesterday in Kyiv.\n\nZelensky then met the ministers."),
            ("\n\n".join(it for it, _ in PAIRS), "\n\n".join(en for _, en in PAIRS)),
            *(("".join(it), "".join(en)) for it, en in corpus_articles())]
    here = [_run(tq.check, *doc) for doc in docs]
    for seed in ("0", "4"):  # under these two the set-order bug flagged different names
        done = subprocess.run([sys.executable, "-c", _CHECK_ALL], input=json.dumps(docs), capture_output=True, text=True,
                              encoding="utf-8", env={**os.environ, "PYTHONHASHSEED": seed}, timeout=300, check=True)
        assert json.loads(done.stdout) == here, f"PYTHONHASHSEED={seed}"


# ---------------------------------------------------------------- the same with the fluency LM (smaller)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(doc=documents())
def test_with_default_lm(doc: tuple[str, str]) -> None:
    """The default LM (when installed; its check is skipped otherwise): spans hold and a second run reproduces."""
    source, translation = doc
    try:
        first = tq.check(source, translation, mt="none")
    except TqError:
        return
    event("fluency ran" if "fluency" not in first.skipped else "fluency skipped")
    assert_report_holds(first, translation, source)
    assert tq.check(source, translation, mt="none").to_json() == first.to_json()
