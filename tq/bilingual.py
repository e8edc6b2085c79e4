"""Bilingual CAT-tool files (XLIFF 1.2, XLIFF 2.0, PO, TMX) as pre-aligned input, and tq's findings written back.

Reading and writing live in one module, not in ``tq.report``: writing the notes back needs the very
translate-toolkit store that was read (its units, in their order, with everything tq does not touch), and
the renderers in ``tq.report`` only ever see a ``Report``. ``tq check --pairs FILE`` reads through
``read_bilingual``; ``--annotate OUT`` writes through ``write_annotated`` (XLIFF and PO only: a TMX is a
translation memory, which has no place for a reviewer's notes that CAT tools show).

translate-toolkit parses and serialises every format (with its safe XML parser); only what it does not do
is written here, each place saying why.

Inline codes: tq checks the units' plain text exactly as translate-toolkit gives it. The text inside
paired markup (XLIFF ``<g>``, ``<pc>``, ``<mrk>``; TMX ``<hi>``) is kept; empty placeholders (``<x/>``,
``<bx/>``, ``<ex/>``, XLIFF 2.0 ``<ph/>``, ``<sc/>``, ``<ec/>``) disappear; the native codes that XLIFF 1.2
``<bpt>``/``<ept>``/``<ph>``/``<it>`` and TMX ``<ph>``/``<bpt>``/``<ept>`` carry (such as ``<b>``) stay in the
text, on both sides alike. A finding's offsets refer to that plain text, so the notes quote the flagged
words instead of pointing into the markup; the markup itself is never rewritten.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .types import Finding, Report, TqError

SUFFIXES = {".xlf": "xliff", ".xliff": "xliff", ".sdlxliff": "xliff", ".po": "po", ".pot": "po", ".tmx": "tmx"}
FORMAT_NAMES = {"xliff1": "XLIFF 1.2", "xliff2": "XLIFF 2.0", "po": "PO", "tmx": "TMX"}
ANNOTATABLE = ("xliff1", "xliff2", "po")
NOTE_FROM = "tq"  # XLIFF 1.2 <note from=…>, XLIFF 2.0 <note category=…>, PO "# tq: …"
PRIORITY = {"critical": "1", "major": "3", "minor": "5"}  # XLIFF note priority: 1 (highest) … 10
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_XLIFF2_NS = "urn:oasis:names:tc:xliff:document:2.0"
_SNIFF_BYTES = 4096


@dataclass(frozen=True)
class Segment:
    """One pre-aligned pair read from a unit; ``unit`` indexes ``BilingualFile.units``, ``label`` says
    where in the unit it is ("" for a whole unit, "segment 2", "plural form 1")."""

    source: str
    target: str
    unit: int
    label: str = ""


@dataclass
class BilingualFile:
    """A parsed bilingual file: the translate-toolkit store, the pairs to check and what was left out."""

    path: str
    kind: str  # "xliff1", "xliff2", "po" or "tmx"
    store: Any
    units: list[Any] = field(default_factory=list)  # where notes go: tt units (XLIFF 1.2, PO) or <unit> elements (2.0)
    segments: list[Segment] = field(default_factory=list)
    skipped: int = 0
    texts: list[tuple[str, str]] = field(default_factory=list)  # every unit's text as read: the round-trip guard

    @property
    def sources(self) -> list[str]:
        return [s.source for s in self.segments]

    @property
    def targets(self) -> list[str]:
        return [s.target for s in self.segments]

    @property
    def format_name(self) -> str:
        return FORMAT_NAMES[self.kind]

    def note(self) -> str:
        """A line for the report: how many pairs came from the file and how many units had no translation."""
        text = f"{self.path}: {len(self.segments)} pair(s) read from {self.format_name}"
        if self.skipped:
            text += f"; {self.skipped} unit(s) without a translation skipped"
        return text


def bilingual_kind(path: str) -> str | None:
    """"xliff1", "xliff2", "po", "tmx", or None for anything else (TSV, JSONL): by extension, else by the
    first few kB (cheap: no parsing). The XLIFF version is always read from the content."""
    head = _head(path)
    family = SUFFIXES.get(Path(path).suffix.lower()) or _sniff_family(head)
    if family == "xliff":
        return "xliff2" if re.search(rb"urn:oasis:names:tc:xliff:document:2\.|<xliff[^>]*\sversion\s*=\s*[\"']2", head) else "xliff1"
    return family


def _head(path: str) -> bytes:
    try:
        with open(path, "rb") as handle:  # read-only
            return handle.read(_SNIFF_BYTES)
    except OSError:
        return b""  # the reader that follows reports a missing or unreadable file in its own words


def _sniff_family(head: bytes) -> str | None:
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text.startswith(b"<"):
        if re.search(rb"<xliff[\s>]", text):
            return "xliff"
        if re.search(rb"<tmx[\s>]", text):
            return "tmx"
        return None
    if re.search(rb"(?m)^msgid\s+\"", text) and re.search(rb"(?m)^msgstr(\[\d+\])?\s+\"", text):
        return "po"
    return None


def read_bilingual(path: str, src_lang: str = "it", tgt_lang: str = "en", max_bytes: int | None = None) -> BilingualFile:
    """Parse ``path`` (see ``bilingual_kind``), refuse it when its declared languages contradict
    ``src_lang``/``tgt_lang``, and collect one pair per unit that has both source and target text."""
    from .read import DEFAULT_MAX_BYTES, _read_file

    kind = bilingual_kind(path)
    if kind is None:
        raise TqError(f"{path}: not an XLIFF, PO or TMX file")
    data = _read_file(Path(path), DEFAULT_MAX_BYTES if max_bytes is None else max_bytes)
    if not data.strip():
        raise TqError(f"{path}: the file is empty")
    store = _parse(data, kind, path)
    bilingual = BilingualFile(path, kind, store)
    if kind == "xliff1":
        _verify_languages(path, src_lang, tgt_lang, _xliff1_languages(store))
        _collect_xliff1(bilingual)
    elif kind == "xliff2":
        root = store.document.getroot()
        _verify_languages(path, src_lang, tgt_lang, [("srcLang", root.get("srcLang"), "trgLang", root.get("trgLang"))])
        _collect_xliff2(bilingual)
    elif kind == "po":
        header = store.parseheader()
        _verify_languages(path, src_lang, tgt_lang, [("X-Source-Language", header.get("X-Source-Language"),
                                                      "Language", header.get("Language"))])
        _collect_po(bilingual)
    else:
        _collect_tmx(bilingual, src_lang, tgt_lang)
    if not bilingual.segments:
        raise TqError(f"{path}: no unit has both source and target text"
                      + (f" ({bilingual.skipped} without a translation)" if bilingual.skipped else ""))
    return bilingual


def _parse(data: bytes, kind: str, path: str) -> Any:
    """The translate-toolkit store; any parse failure becomes one line (the parsers raise lxml, ValueError,
    AssertionError and more, depending on what is wrong)."""
    from lxml import etree
    from translate.storage import pypo, tmx, xliff, xliff2
    from translate.storage.base import TranslationStore

    parsers: dict[str, type[TranslationStore]] = {"xliff1": xliff.xlifffile, "xliff2": xliff2.Xliff2File, "po": pypo.pofile, "tmx": tmx.tmxfile}
    try:
        store = parsers[kind].parsestring(data)
    except etree.XMLSyntaxError as exc:
        raise TqError(f"{path}: not well-formed XML ({_one_line(exc.msg or str(exc))})") from None
    except Exception as exc:  # noqa: BLE001 - a parser's complaint about user input, shown as one line
        raise TqError(f"{path}: not a valid {FORMAT_NAMES[kind]} file ({_one_line(str(exc)) or type(exc).__name__})") from None
    if kind == "xliff1" and type(store) is not xliff.xlifffile:
        # translate-toolkit turns a PO-derived XLIFF into a PoXliffFile, whose units merge plural forms:
        # tq reads it as the plain XLIFF it is.
        store = xliff.xlifffile()
        store.parse(data)
    return store


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _primary(code: str | None) -> str | None:
    """"it-IT", "en_GB", "EN" -> "it", "en", "en"; None or "*all*" -> None."""
    if not code or not code.strip() or code.strip().startswith("*"):
        return None
    return re.split(r"[-_@.]", code.strip())[0].lower() or None


def _verify_languages(path: str, src_lang: str, tgt_lang: str, declared: list[tuple[str, str | None, str, str | None]]) -> None:
    """Refuse a file whose declared source or target language is not the one tq was asked to check."""
    for src_field, src_code, tgt_field, tgt_code in declared:
        for field_name, code, wanted, option in ((src_field, src_code, src_lang, "--src-lang"), (tgt_field, tgt_code, tgt_lang, "--tgt-lang")):
            found = _primary(code)
            if found is not None and found != _primary(wanted):
                raise TqError(f"{path}: the file's {field_name} is {code}, not {wanted} (set {option} if that is right)")


def _xliff1_languages(store: Any) -> list[tuple[str, str | None, str, str | None]]:
    """source-language/target-language of every <file> (translate-toolkit's getters read the first one only)."""
    files = store.document.getroot().iterchildren(store.namespaced("file"))
    return [("source-language", f.get("source-language"), "target-language", f.get("target-language")) for f in files]


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _add(bilingual: BilingualFile, unit: Any, pairs: list[tuple[str, str, str]]) -> None:
    """Record a unit's text and the pairs of it that have both sides (a unit with none is skipped)."""
    kept = [(s, t, label) for s, t, label in pairs if s.strip() and t.strip()]
    if not kept:
        bilingual.skipped += 1
        return
    bilingual.units.append(unit)
    bilingual.segments.extend(Segment(s, t, len(bilingual.units) - 1, label) for s, t, label in kept)


def _collect_xliff1(bilingual: BilingualFile) -> None:
    for unit in bilingual.store.units:
        if unit.isheader():
            continue
        source, target = _text(unit.source), _text(unit.target)
        bilingual.texts.append((source, target))
        _add(bilingual, unit, [(source, target, "")])


def _xliff2_units(store: Any) -> Iterator[tuple[Any, list[Any]]]:
    """Each <unit> element with translate-toolkit's units for its segments, in document order.

    translate-toolkit gives one unit per <segment>; notes belong to the enclosing <unit> (a <notes> inside
    <segment> is not valid XLIFF 2.0), so the writer needs the grouping."""
    by_element: dict[Any, list[Any]] = {}
    for unit in store.units:
        by_element.setdefault(unit.xmlelement.getparent(), []).append(unit)
    for element in store.document.getroot().iter(f"{{{_XLIFF2_NS}}}unit"):
        yield element, by_element.get(element, [])


def _collect_xliff2(bilingual: BilingualFile) -> None:
    for element, segments in _xliff2_units(bilingual.store):
        pairs = []
        for number, unit in enumerate(segments, 1):
            source, target = _text(unit.source), _text(unit.target)
            bilingual.texts.append((source, target))
            pairs.append((source, target, f"segment {number}" if len(segments) > 1 else ""))
        _add(bilingual, element, pairs)


def _collect_po(bilingual: BilingualFile) -> None:
    """One pair per entry; a plural entry gives one pair per translated form (msgstr[0] against msgid,
    every later form against msgid_plural), so both the singular and the plural are checked.
    Obsolete (#~) entries are history, not translations: left out and not counted."""
    for unit in bilingual.store.units:
        if unit.isheader() or unit.isobsolete():
            continue
        if unit.hasplural():
            sources, targets = [str(s) for s in unit.source.strings], [str(t) for t in unit.target.strings]
            bilingual.texts.append(("\x00".join(sources), "\x00".join(targets)))
            pairs = [(sources[min(form, len(sources) - 1)], target, f"plural form {form}") for form, target in enumerate(targets)]
        else:
            source, target = _text(unit.source), _text(unit.target)
            bilingual.texts.append((source, target))
            pairs = [(source, target, "")]
        _add(bilingual, unit, pairs)


def _collect_tmx(bilingual: BilingualFile, src_lang: str, tgt_lang: str) -> None:
    """One pair per <tu> with a <tuv> in each language. translate-toolkit's ``source``/``target`` are the
    first and second <tuv> whatever their xml:lang, so the <tuv>s are picked by language here."""
    found: set[str] = set()
    for unit in bilingual.store.units:
        texts: dict[str, str] = {}
        for node in unit.getlanguageNodes():
            language = _primary(node.get(_XML_LANG) or node.get("lang"))
            if language:
                found.add(language)
                texts.setdefault(language, _text(unit.getNodeText(node)))
        source, target = texts.get(_primary(src_lang) or "", ""), texts.get(_primary(tgt_lang) or "", "")
        bilingual.texts.append((source, target))
        _add(bilingual, unit, [(source, target, "")])
    for language, option in ((src_lang, "--src-lang"), (tgt_lang, "--tgt-lang")):
        if found and _primary(language) not in found:
            raise TqError(f"{bilingual.path}: has no {language} text (its languages: {', '.join(sorted(found))}; "
                          f"set {option} if that is right)")


# ---------------------------------------------------------------- writing the findings back


def note_text(finding: Finding, pair_source: str, pair_target: str, label: str = "") -> str:
    """One line per finding: 'major accuracy/mistranslation: "13" -> "12": number 13 is not in the source [numbers]'."""
    if finding.end > finding.start:
        where = f'"{pair_target[finding.start:finding.end]}"'
    elif finding.source_start is not None and finding.source_end is not None and finding.source_end > finding.source_start:
        where = f'missing "{pair_source[finding.source_start:finding.source_end]}"'
    else:
        where = ""
    if finding.suggestion is not None and where:
        where += f' -> "{finding.suggestion}"'
    parts = [f"{label}: " if label else "", f"{finding.severity} {finding.category}: ", f"{where}: " if where else "",
             finding.message, f" [{finding.check}]"]
    return _one_line("".join(parts))


def write_annotated(bilingual: BilingualFile, report: Report, output: str) -> int:
    """Write ``bilingual`` with one tq note per finding to ``output`` and return how many were written.

    Notes tq wrote before are replaced, other notes are kept; the unit texts are compared with those read
    and nothing is written if any differ. The input file is never opened for writing."""
    if bilingual.kind not in ANNOTATABLE:
        raise TqError(f"--annotate writes XLIFF or PO files; {bilingual.path} is {bilingual.format_name}")
    if len(report.pairs) != len(bilingual.segments):
        raise RuntimeError(f"the report has {len(report.pairs)} pairs for {len(bilingual.segments)} segments")
    notes: dict[int, list[tuple[str, str]]] = {}
    for segment, pair in zip(bilingual.segments, report.pairs):
        for finding in pair.findings:
            notes.setdefault(segment.unit, []).append((finding.severity, note_text(finding, pair.source, pair.target, segment.label)))
    writer = {"xliff1": _annotate_xliff1, "xliff2": _annotate_xliff2, "po": _annotate_po}[bilingual.kind]
    writer(bilingual, notes)
    data = bytes(bilingual.store)
    _verify_round_trip(bilingual, data)
    try:
        Path(output).write_bytes(data)
    except OSError as exc:
        raise TqError(f"{output}: cannot write ({exc.strerror or exc})") from None
    return sum(len(n) for n in notes.values())


def _verify_round_trip(bilingual: BilingualFile, data: bytes) -> None:
    """Re-read what is about to be written: every unit's source and target must be as read."""
    again = BilingualFile(bilingual.path, bilingual.kind, _parse(data, bilingual.kind, "<annotated>"))
    {"xliff1": _collect_xliff1, "xliff2": _collect_xliff2, "po": _collect_po}[bilingual.kind](again)
    if again.texts != bilingual.texts:
        raise RuntimeError("writing the notes would change the text of a unit; nothing was written")


def _annotate_xliff1(bilingual: BilingualFile, notes: dict[int, list[tuple[str, str]]]) -> None:
    """<note from="tq" priority=…> after the unit's last <note> (else its <target>): hand-placed with lxml
    because translate-toolkit's addnote appends after any extension elements (an order the schema forbids),
    and its removenotes(origin) also removes notes whose 'from' merely contains 'tq'."""
    from lxml import etree

    store = bilingual.store
    note_tag = store.namespaced("note")
    for unit in store.units:
        for old in [n for n in unit.xmlelement.iterchildren(note_tag) if n.get("from") == NOTE_FROM]:
            _remove(old)
    for index, unit_notes in notes.items():
        element = bilingual.units[index].xmlelement
        anchor = None
        for child in element.iterchildren(*(store.namespaced(t) for t in ("source", "seg-source", "target", "note"))):
            anchor = child
        assert anchor is not None, index  # a unit tq read text from has a <source>
        for severity, text in unit_notes:
            note = etree.Element(note_tag, {"from": NOTE_FROM, "priority": PRIORITY[severity]})
            note.text = text
            note.tail = anchor.tail  # the same layout as the element before it
            anchor.addnext(note)
            anchor = note


def _annotate_xliff2(bilingual: BilingualFile, notes: dict[int, list[tuple[str, str]]]) -> None:
    """<notes><note category="tq" priority=… appliesTo="target"> on the <unit>, where XLIFF 2.0 puts notes
    (before <originalData> and the segments); translate-toolkit would put them inside <segment>, so by hand."""
    from lxml import etree

    ns = f"{{{_XLIFF2_NS}}}"
    for element, _ in _xliff2_units(bilingual.store):
        container = element.find(f"{ns}notes")
        if container is not None:
            for old in [n for n in container.iterchildren(f"{ns}note") if n.get("category") == NOTE_FROM]:
                _remove(old)
            if not len(container):
                _remove(container)  # an empty <notes> is not valid XLIFF 2.0
    for index, unit_notes in notes.items():
        element = bilingual.units[index]
        container = element.find(f"{ns}notes")
        if container is None:
            container = etree.Element(f"{ns}notes")
            first = next(element.iterchildren(f"{ns}originalData", f"{ns}segment", f"{ns}ignorable"))
            first.addprevious(container)
        for severity, text in unit_notes:
            note = etree.SubElement(container, f"{ns}note", {"category": NOTE_FROM, "priority": PRIORITY[severity], "appliesTo": "target"})
            note.text = text


def _remove(element: Any) -> None:
    """Remove a note element (its tail is only layout, which translate-toolkit re-indents when it writes)."""
    element.getparent().remove(element)


def _is_tq_comment(comment: str) -> bool:
    return comment.lstrip("#").strip().startswith(f"{NOTE_FROM}:")


def _annotate_po(bilingual: BilingualFile, notes: dict[int, list[tuple[str, str]]]) -> None:
    """Translator comments "# tq: …", after the entry's other translator comments (pypo keeps those in
    ``othercomments``; its removenotes would drop the editors' comments too)."""
    for unit in bilingual.store.units:
        unit.othercomments = [c for c in unit.othercomments if not _is_tq_comment(c)]
    for index, unit_notes in notes.items():
        bilingual.units[index].othercomments.extend(f"# {NOTE_FROM}: {text}\n" for _, text in unit_notes)
