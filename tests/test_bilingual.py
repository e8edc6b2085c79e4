"""Bilingual CAT-tool files: XLIFF 1.2, XLIFF 2.0, PO and TMX read as pre-aligned pairs by ``tq check --pairs``,
and the findings written back with ``--annotate`` without changing any unit's text."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from lxml import etree

from tq.bilingual import bilingual_kind, note_text, read_bilingual, write_annotated
from tq.types import Finding, Report, TqError

XLIFF1_NS = "urn:oasis:names:tc:xliff:document:1.2"
XLIFF2_NS = "urn:oasis:names:tc:xliff:document:2.0"

XLIFF1 = """<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
  <file original="article.txt" source-language="it-IT" target-language="en-GB" datatype="plaintext">
    <body>
      <trans-unit id="date">
        <source>Il 12 marzo il governo ha approvato la nuova legge sul clima.</source>
        <target>On 13 March the government approved the new climate law.</target>
        <note from="editor">check the date</note>
        <note from="tq" priority="1">stale note from an earlier run [numbers]</note>
      </trans-unit>
      <group id="g1">
        <trans-unit id="amp">
          <source>Ricerca &amp; sviluppo: il rapporto è 5 &lt; 7 secondo l'istituto.</source>
          <target>Research &amp; development: the ratio is 5 &lt; 7 according to the institute.</target>
          <note from="tq" priority="5">stale note on a unit that is now clean [punctuation]</note>
        </trans-unit>
        <trans-unit id="tags">
          <source><g id="1">Il ministro</g> ha parlato<x id="2"/> ieri a Roma con i giornalisti.</source>
          <target><g id="1">The minister</g> spoke<x id="2"/> yesterday in Rome with the journalists.</target>
        </trans-unit>
      </group>
      <trans-unit id="double">
        <source>Il presidente ha firmato il decreto.</source>
        <target>The president signed the the decree.</target>
      </trans-unit>
      <trans-unit id="missing">
        <source>Il sindaco ha inaugurato la nuova scuola.</source>
      </trans-unit>
      <trans-unit id="empty">
        <source>La banca centrale ha alzato i tassi.</source>
        <target></target>
      </trans-unit>
    </body>
  </file>
</xliff>
"""

XLIFF2 = """<?xml version="1.0" encoding="UTF-8"?>
<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="it" trgLang="en">
  <file id="f1">
    <unit id="date">
      <notes>
        <note category="editor">check the date</note>
        <note category="tq" priority="1">stale note from an earlier run [numbers]</note>
      </notes>
      <segment>
        <source>Il 12 marzo il governo ha approvato la nuova legge sul clima.</source>
        <target>On 13 March the government approved the new climate law.</target>
      </segment>
    </unit>
    <unit id="amp">
      <segment>
        <source>Ricerca &amp; sviluppo: il rapporto è <ph id="1"/>5 &lt; 7 secondo l'istituto.</source>
        <target>Research &amp; development: the ratio is <ph id="1"/>5 &lt; 7 according to the institute.</target>
      </segment>
    </unit>
    <unit id="two">
      <originalData><data id="d1">&lt;br/&gt;</data></originalData>
      <segment>
        <source><pc id="p1">Il ministro</pc> ha parlato ieri a Roma.</source>
        <target><pc id="p1">The minister</pc> spoke yesterday in Rome.</target>
      </segment>
      <ignorable><source> </source></ignorable>
      <segment>
        <source>Il presidente ha firmato il decreto.</source>
        <target>The president signed the the decree.</target>
      </segment>
    </unit>
    <unit id="empty">
      <segment>
        <source>Il sindaco ha inaugurato la nuova scuola.</source>
        <target></target>
      </segment>
    </unit>
  </file>
</xliff>
"""

PO = """# Translation of the article.
msgid ""
msgstr ""
"Project-Id-Version: article\\n"
"Language: en\\n"
"MIME-Version: 1.0\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"

# editor: check the date
# tq: critical stale note from an earlier run [numbers]
#: article.txt:1
msgid "Il 12 marzo il governo ha approvato la nuova legge sul clima."
msgstr "On 13 March the government approved the new climate law."

#, fuzzy
msgctxt "box"
msgid "Ricerca & sviluppo: il rapporto è 5 < 7 secondo <b>l'istituto</b>."
msgstr "Research & development: the ratio is 5 < 7 according to <b>the institute</b>."

msgid "Il presidente ha firmato %d decreto."
msgid_plural "Il presidente ha firmato %d decreti."
msgstr[0] "The president signed %d decree."
msgstr[1] "The president signed the the %d decrees."

msgid "Il sindaco ha inaugurato la nuova scuola."
msgstr ""

#~ msgid "Vecchio titolo"
#~ msgstr "Old title"
"""

TMX = """<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4">
  <header creationtool="test" creationtoolversion="1" segtype="sentence" o-tmf="none" adminlang="en" srclang="it" datatype="plaintext"/>
  <body>
    <tu><tuv xml:lang="it-IT"><seg>Il 12 marzo il governo ha approvato la nuova legge sul clima.</seg></tuv>
        <tuv xml:lang="en-GB"><seg>On 13 March the government approved the new climate law.</seg></tuv></tu>
    <tu><tuv xml:lang="en"><seg>Research &amp; development: the ratio is 5 &lt; 7 according to the institute.</seg></tuv>
        <tuv xml:lang="it"><seg>Ricerca &amp; sviluppo: il rapporto è 5 &lt; 7 secondo l'istituto.</seg></tuv></tu>
    <tu><tuv xml:lang="it"><seg>Il ministro ha parlato ieri a Roma.</seg></tuv>
        <tuv xml:lang="fr"><seg>Le ministre a parlé hier à Rome.</seg></tuv>
        <tuv xml:lang="en"><seg>The minister spoke yesterday in Rome.</seg></tuv></tu>
    <tu><tuv xml:lang="it"><seg>Il sindaco ha inaugurato la nuova scuola.</seg></tuv></tu>
  </body>
</tmx>
"""

FILES = {"xliff1": ("article.xlf", XLIFF1), "xliff2": ("article.xliff", XLIFF2), "po": ("article.po", PO), "tmx": ("article.tmx", TMX)}

DATE = ("Il 12 marzo il governo ha approvato la nuova legge sul clima.", "On 13 March the government approved the new climate law.")
AMP = ("Ricerca & sviluppo: il rapporto è 5 < 7 secondo l'istituto.", "Research & development: the ratio is 5 < 7 according to the institute.")
EXPECTED_PAIRS = {
    "xliff1": ([DATE, AMP, ("Il ministro ha parlato ieri a Roma con i giornalisti.", "The minister spoke yesterday in Rome with the journalists."),
                ("Il presidente ha firmato il decreto.", "The president signed the the decree.")], 2),
    "xliff2": ([DATE, AMP, ("Il ministro ha parlato ieri a Roma.", "The minister spoke yesterday in Rome."),
                ("Il presidente ha firmato il decreto.", "The president signed the the decree.")], 1),
    "po": ([DATE, ("Ricerca & sviluppo: il rapporto è 5 < 7 secondo <b>l'istituto</b>.",
                   "Research & development: the ratio is 5 < 7 according to <b>the institute</b>."),
            ("Il presidente ha firmato %d decreto.", "The president signed %d decree."),
            ("Il presidente ha firmato %d decreti.", "The president signed the the %d decrees.")], 1),
    "tmx": ([DATE, AMP, ("Il ministro ha parlato ieri a Roma.", "The minister spoke yesterday in Rome.")], 1),
}


def _write(folder: Path, kind: str, text: str | None = None) -> Path:
    name, content = FILES[kind]
    path = folder / name
    path.write_text(content if text is None else text, encoding="utf-8")
    return path


def _one_line_error(result, *fragments: str) -> str:
    """Exit 2, one stderr line "tq: error: …", no traceback, nothing on stdout."""
    assert result.returncode == 2, (result.returncode, result.stderr, result.stdout[:500])
    assert "Traceback" not in result.stderr + result.stdout
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("tq: error:"), result.stderr
    assert result.stdout.strip() == ""
    for fragment in fragments:
        assert fragment.lower() in lines[0].lower(), (fragment, lines[0])
    return lines[0]


def _unit_texts(path: Path) -> list[tuple[str, str]]:
    """Every unit's (source, target) as translate-toolkit reads it, translated or not (plural forms joined)."""
    from translate.storage import pypo, xliff, xliff2

    data = path.read_bytes()
    if path.suffix == ".po":
        store = pypo.pofile.parsestring(data)
        return [("|".join(map(str, u.source.strings)), "|".join(map(str, u.target.strings))) if u.hasplural()
                else (str(u.source), str(u.target)) for u in store.units if not u.isheader()]
    parser = xliff2.Xliff2File if b"xliff:document:2.0" in data else xliff.xlifffile
    return [(str(u.source), "" if u.target is None else str(u.target)) for u in parser.parsestring(data).units]


def _inline_xml(path: Path) -> list[bytes]:
    """The markup of every <source> and <target>, inline codes included, as bytes (tails left out)."""
    root = etree.fromstring(path.read_bytes())
    elements = [e for e in root.iter() if isinstance(e.tag, str) and etree.QName(e).localname in ("source", "target")]
    return [etree.tostring(e, with_tail=False) for e in elements]


def _tq_notes(path: Path) -> dict[str, list[str]]:
    """The tq notes by unit id (XLIFF) or msgid (PO)."""
    if path.suffix == ".po":
        from translate.storage import pypo

        store = pypo.pofile.parsestring(path.read_bytes())
        return {str(u.source.strings[0]) if u.hasplural() else str(u.source):
                [c[len("# tq: "):].strip() for c in u.othercomments if c.startswith("# tq: ")] for u in store.units if not u.isheader()}
    root = etree.fromstring(path.read_bytes())
    if root.nsmap.get(None) == XLIFF2_NS:
        return {unit.get("id"): [n.text for n in unit.findall(f"{{{XLIFF2_NS}}}notes/{{{XLIFF2_NS}}}note") if n.get("category") == "tq"]
                for unit in root.iter(f"{{{XLIFF2_NS}}}unit")}
    return {unit.get("id"): [n.text for n in unit.findall(f"{{{XLIFF1_NS}}}note") if n.get("from") == "tq"]
            for unit in root.iter(f"{{{XLIFF1_NS}}}trans-unit")}


# ---------------------------------------------------------------- reading


@pytest.mark.parametrize("kind", list(FILES))
def test_reads_one_pair_per_translated_unit(tmp_path, kind):
    path = _write(tmp_path, kind)
    assert bilingual_kind(str(path)) == kind
    bilingual = read_bilingual(str(path))
    pairs, skipped = EXPECTED_PAIRS[kind]
    assert list(zip(bilingual.sources, bilingual.targets)) == pairs
    assert all(type(s) is str and type(t) is str for s, t in zip(bilingual.sources, bilingual.targets))
    assert bilingual.skipped == skipped
    assert f"{skipped} unit(s) without a translation skipped" in bilingual.note()


def test_content_decides_when_the_extension_does_not(tmp_path):
    for kind, (_, text) in FILES.items():
        path = tmp_path / f"{kind}.txt"
        path.write_text(text, encoding="utf-8")
        assert bilingual_kind(str(path)) == kind
    tsv = tmp_path / "pairs.tsv"
    tsv.write_text("Il 12 marzo.\tOn 12 March.\n", encoding="utf-8")
    assert bilingual_kind(str(tsv)) is None


def test_tmx_is_checked_through_the_cli(run_tq, tmp_path):
    path = _write(tmp_path, "tmx")
    result = run_tq("check", "--pairs", path, "--format", "json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert [(p["source"], p["target"]) for p in report["pairs"]] == EXPECTED_PAIRS["tmx"][0]
    assert [f["check"] for f in report["pairs"][0]["findings"]] == ["numbers"]
    assert any("1 unit(s) without a translation skipped" in note for note in report["notes"])


# ---------------------------------------------------------------- writing the findings back


@pytest.mark.parametrize("kind", ["xliff1", "xliff2", "po"])
def test_annotate_writes_one_note_per_finding_and_keeps_every_text(run_tq, tmp_path, kind):
    path = _write(tmp_path, kind)
    before = path.read_bytes()
    out = tmp_path / f"annotated{path.suffix}"
    result = run_tq("check", "--pairs", path, "--annotate", out, "--format", "json", "-o", tmp_path / "report.json")
    assert result.returncode == 0, result.stderr
    assert path.read_bytes() == before, "the input file was modified"
    assert _unit_texts(out) == _unit_texts(path)
    if kind != "po":
        assert _inline_xml(out) == _inline_xml(path), "inline markup or escaping changed"
    assert out.read_text("utf-8").count("check the date") == 1  # the editor's note is kept, once

    report = json.loads((tmp_path / "report.json").read_text("utf-8"))
    findings = [f for p in report["pairs"] for f in p["findings"]]
    notes = _tq_notes(out)
    assert sum(len(n) for n in notes.values()) == len(findings)
    assert not any("stale note" in note for n in notes.values() for note in n)
    date_key, amp_key = ("date", "amp") if kind != "po" else (DATE[0], EXPECTED_PAIRS["po"][0][1][0])
    assert notes[amp_key] == []
    [date_note] = notes[date_key]
    assert date_note.startswith('critical accuracy/mistranslation: "13": ') and date_note.endswith("[numbers]"), date_note
    doubled = [note for n in notes.values() for note in n if "[repeated-word]" in note]
    assert len(doubled) == 1 and '-> ""' in doubled[0], doubled
    if kind == "xliff2":
        assert doubled[0].startswith("segment 2: ")
        assert "[repeated-word]" in " ".join(notes["two"])
    if kind == "po":
        assert doubled[0].startswith("plural form 1: ")
    if kind == "xliff1":
        root = etree.fromstring(out.read_bytes())
        note = next(n for n in root.iter(f"{{{XLIFF1_NS}}}note") if n.get("from") == "tq" and "[numbers]" in n.text)
        assert note.get("priority") == "1"

    again = tmp_path / f"again{path.suffix}"
    assert run_tq("check", "--pairs", out, "--annotate", again).returncode == 0
    assert again.read_bytes() == out.read_bytes(), "re-running piles up or changes the notes"


def test_xliff2_notes_are_where_the_schema_puts_them(run_tq, tmp_path):
    path = _write(tmp_path, "xliff2")
    out = tmp_path / "annotated.xlf"
    assert run_tq("check", "--pairs", path, "--annotate", out).returncode == 0, out
    root = etree.fromstring(out.read_bytes())
    for unit in root.iter(f"{{{XLIFF2_NS}}}unit"):
        children = [etree.QName(c).localname for c in unit]
        if "notes" in children:
            assert children.index("notes") < min(children.index(t) for t in ("originalData", "segment") if t in children)
        for segment in unit.iter(f"{{{XLIFF2_NS}}}segment"):
            assert segment.find(f"{{{XLIFF2_NS}}}notes") is None
    tq_notes = [n for n in root.iter(f"{{{XLIFF2_NS}}}note") if n.get("category") == "tq"]
    assert tq_notes and all(n.get("appliesTo") == "target" and n.get("priority") for n in tq_notes)


def test_writer_refuses_to_change_a_unit_text(tmp_path):
    path = _write(tmp_path, "xliff1")
    bilingual = read_bilingual(str(path))
    bilingual.store.units[0].target = "On 12 March the government approved the new climate law."
    out = tmp_path / "out.xlf"
    with pytest.raises(RuntimeError, match="change the text"):
        _write_with_empty_findings(bilingual, out)
    assert not out.exists()


def _write_with_empty_findings(bilingual, out: Path) -> None:
    from tq.types import Pair

    pairs = [Pair(i, s.source, s.target, (i,), (i,)) for i, s in enumerate(bilingual.segments)]
    write_annotated(bilingual, Report(pairs), str(out))


def test_note_text_names_the_flagged_words_the_fix_and_the_check():
    finding = Finding("fluency/grammar", "minor", 24, 28, "'the' is repeated", "repeated-word", suggestion="")
    assert note_text(finding, "", "The president signed the the decree.") == \
        """minor fluency/grammar: " the" -> "": 'the' is repeated [repeated-word]"""
    omission = Finding("accuracy/omission", "major", 3, 3, "the source\nsays more", "coverage", source_start=0, source_end=2)
    assert note_text(omission, "Il presidente", "The president", "segment 2") == \
        'segment 2: major accuracy/omission: missing "Il": the source says more [coverage]'


# ---------------------------------------------------------------- refusals


@pytest.mark.parametrize("kind,old,new,named", [
    ("xliff1", 'target-language="en-GB"', 'target-language="fr-FR"', "fr-FR"),
    ("xliff1", 'source-language="it-IT"', 'source-language="de"', "source-language is de"),
    ("xliff2", 'trgLang="en"', 'trgLang="fr"', "trgLang is fr"),
    ("po", "Language: en", "Language: fr", "Language is fr"),
    ("tmx", 'xml:lang="en', 'xml:lang="fr', "no en text"),
])
def test_contradicting_languages_are_refused(run_tq, tmp_path, kind, old, new, named):
    path = _write(tmp_path, kind, FILES[kind][1].replace(old, new))
    _one_line_error(run_tq("check", "--pairs", path), path.name, named)
    with pytest.raises(TqError):
        read_bilingual(str(path))


@pytest.mark.parametrize("kind", ["xliff1", "xliff2", "tmx"])
def test_malformed_xml_is_one_line(run_tq, tmp_path, kind):
    path = _write(tmp_path, kind, FILES[kind][1].replace("</source>", "</sourc>", 1).replace("</seg>", "</sag>", 1))
    _one_line_error(run_tq("check", "--pairs", path), path.name, "not well-formed XML")


def test_no_translated_unit_is_refused(tmp_path):
    path = tmp_path / "template.pot"
    path.write_text('msgid ""\nmsgstr ""\n"Language: en\\n"\n\nmsgid "Ciao a tutti."\nmsgstr ""\n', encoding="utf-8")
    with pytest.raises(TqError, match="no unit has both source and target text"):
        read_bilingual(str(path))


def test_annotate_needs_an_xliff_or_po_input(run_tq, tmp_path):
    tsv = tmp_path / "pairs.tsv"
    tsv.write_text("Il 12 marzo il governo ha approvato la legge.\tOn 13 March the government passed the law.\n", encoding="utf-8")
    _one_line_error(run_tq("check", "--pairs", tsv, "--annotate", tmp_path / "out.xlf"), "--annotate", "XLIFF or PO")
    tmx = _write(tmp_path, "tmx")
    _one_line_error(run_tq("check", "--pairs", tmx, "--annotate", tmp_path / "out.tmx"), "--annotate", "TMX")
    xlf = _write(tmp_path, "xliff1")
    before = xlf.read_bytes()
    _one_line_error(run_tq("check", "--pairs", xlf, "--annotate", xlf), "overwrite an input")
    _one_line_error(run_tq("check", "--pairs", xlf, "--annotate", tmp_path / "same.xlf", "-o", tmp_path / "same.xlf"), "different files")
    assert xlf.read_bytes() == before
    assert not (tmp_path / "out.xlf").exists() and not (tmp_path / "same.xlf").exists()


def test_a_bilingual_file_given_alone_points_to_pairs(run_tq, tmp_path):
    path = _write(tmp_path, "xliff1")
    _one_line_error(run_tq("check", path), "both sides (XLIFF 1.2)", f"--pairs {path}")
