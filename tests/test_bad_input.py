"""Bad and unusual inputs through the command line, as a user meets them.

Every error is exit code 2 with exactly one line on stderr starting
"tq: error:" and never a traceback; inputs that are merely encoded
differently (Windows-1252, UTF-16 with or without BOM) give the same report
as the UTF-8 originals. tq never modifies its inputs (bytes and mtime).
"""
from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

import pytest

import tq

from conftest import MODELS_OFF

POSITIONS = ("source", "translation")


# ---------------------------------------------------------------- helpers


def snapshot(*paths: Path) -> dict:
    """Bytes and mtime of every file (recursively for folders) under ``paths``."""
    state = {}
    for path in paths:
        files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else []
        for file in files:
            stat = file.stat()
            state[str(file)] = (file.read_bytes(), stat.st_mtime_ns, stat.st_size)
    return state


def assert_one_line_error(result, *fragments: str) -> str:
    """Exit 2, one stderr line "tq: error: ...", no traceback, no partial report on stdout."""
    assert "Traceback" not in result.stderr, result.stderr
    assert "Traceback" not in result.stdout, result.stdout
    assert result.returncode == 2, (result.returncode, result.stderr, result.stdout[:500])
    lines = result.stderr.splitlines()
    assert len(lines) == 1, f"expected one stderr line, got {len(lines)}:\n{result.stderr}"
    assert lines[0].startswith("tq: error:"), lines[0]
    assert result.stdout.strip() == "", f"an error must not print a report: {result.stdout[:300]!r}"
    message = lines[0].lower()
    for fragment in fragments:
        assert fragment.lower() in message, f"{fragment!r} not in {lines[0]!r}"
    return lines[0]


def assert_ok(result) -> None:
    assert "Traceback" not in result.stderr, result.stderr
    assert "Traceback" not in result.stdout
    assert "tq: error" not in result.stderr and "internal error" not in result.stderr, result.stderr
    assert result.returncode == 0, (result.returncode, result.stderr)


@pytest.fixture
def inputs(tmp_path, corpus) -> tuple[Path, Path]:
    """Fresh copies of the demo source and translation in ``tmp_path/in``."""
    folder = tmp_path / "in"
    folder.mkdir()
    it, en = folder / "it.txt", folder / "en.txt"
    shutil.copy2(corpus / "it.txt", it)
    shutil.copy2(corpus / "en.txt", en)
    return it, en


def _findings(report_dict: dict) -> list[tuple]:
    """What a report says, independent of file names and float noise."""
    return [
        (tuple(p["src_ids"]), tuple(p["tgt_ids"]), f["check"], f["severity"], f["doc_start"], f["doc_end"], f["text"])
        for p in report_dict["pairs"]
        for f in p["findings"]
    ]


@pytest.fixture(scope="module")
def reference_report(corpus) -> dict:
    """The report on the UTF-8 originals, computed in process."""
    return tq.check(corpus / "it.txt", corpus / "en.txt", **MODELS_OFF).to_dict()


# ---------------------------------------------------------------- unreadable files, either side


def _empty(folder: Path) -> Path:
    path = folder / "empty.txt"
    path.write_bytes(b"")
    return path


def _whitespace(folder: Path) -> Path:
    path = folder / "blank.txt"
    path.write_bytes(b"  \n\t\n\r\n   \n\n \xc2\xa0\n")  # includes a UTF-8 no-break space
    return path


def _random_binary(folder: Path) -> Path:
    path = folder / "random.bin"
    data = bytearray(random.Random(20220330).randbytes(8192))
    data[100:116] = b"\x00" * 16
    path.write_bytes(bytes(data))
    return path


def _png(folder: Path) -> Path:
    path = folder / "image.png"
    # PNG signature, an IHDR chunk for a 16x16 RGBA image, and an IEND chunk
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00\x1f\xf3\xffa"
                     b"\x00\x00\x00\x00IEND\xaeB`\x82")
    return path


def _too_large(folder: Path) -> Path:
    """A 5 MB 'article': the demo paragraphs repeated (valid UTF-8 English text)."""
    paragraphs = (Path(__file__).parent.parent / "corpora" / "us-uk-putin-talks" / "en.txt").read_text("utf-8").split("\n\n")
    out, size, n = [], 0, 0
    while size < 5_000_000:
        paragraph = paragraphs[n % len(paragraphs)]
        out.append(paragraph)
        size += len(paragraph.encode("utf-8")) + 2
        n += 1
    path = folder / "huge.txt"
    path.write_text("\n\n".join(out), encoding="utf-8")
    assert 5_000_000 <= path.stat().st_size < 5_200_000
    return path


def _missing(folder: Path) -> Path:
    return folder / "does-not-exist.txt"


def _directory(folder: Path) -> Path:
    path = folder / "a-folder.txt"
    path.mkdir()
    (path / "inside.txt").write_text("non toccare", encoding="utf-8")
    return path


UNREADABLE = {
    # kind: (maker, words the one-line message must contain)
    "empty": (_empty, ("empty",)),
    "whitespace-only": (_whitespace, ("empty",)),
    "random-binary": (_random_binary, ("binary",)),
    "png": (_png, ("binary",)),
    "5MB": (_too_large, ("2 MB", "limit")),
    "missing": (_missing, ("no such file",)),
    "directory": (_directory, ("directory",)),
}


@pytest.mark.parametrize("command", ["check", "align"])
@pytest.mark.parametrize("position", POSITIONS)
@pytest.mark.parametrize("kind", list(UNREADABLE))
def test_unreadable_input(run_tq, tmp_path, inputs, kind, position, command):
    it, en = inputs
    maker, fragments = UNREADABLE[kind]
    bad_dir = tmp_path / "bad"
    bad_dir.mkdir()
    bad = maker(bad_dir)
    args = (bad, en) if position == "source" else (it, bad)
    before = snapshot(tmp_path)

    result = run_tq(command, *args, "--format", "json")

    line = assert_one_line_error(result, *fragments)
    assert bad.name in line, f"the message should name the file: {line}"
    assert snapshot(tmp_path) == before, "tq modified or created files next to its inputs"


# ---------------------------------------------------------------- same text, other encodings


def _encode(text: str, encoding: str) -> bytes:
    if encoding == "utf-16":
        return text.encode("utf-16")  # with BOM (little-endian on every platform we run on)
    return text.encode(encoding)


ENCODED = [
    # (source encoding, translation encoding): each side in each encoding at least once
    pytest.param("cp1252", "utf-8", id="latin1-source"),
    pytest.param("utf-8", "cp1252", id="latin1-translation"),
    pytest.param("utf-16", "utf-16-le", id="utf16bom-source-utf16le-translation"),
    pytest.param("utf-16-le", "utf-16", id="utf16le-source-utf16bom-translation"),
]


@pytest.mark.parametrize("src_encoding, tgt_encoding", ENCODED)
def test_encoded_inputs_give_the_same_report(run_tq, tmp_path, corpus, reference_report, src_encoding, tgt_encoding):
    it_text = (corpus / "it.txt").read_text(encoding="utf-8")
    en_text = (corpus / "en.txt").read_text(encoding="utf-8")
    it, en = tmp_path / "it.txt", tmp_path / "en.txt"
    it.write_bytes(_encode(it_text, src_encoding))
    en.write_bytes(_encode(en_text, tgt_encoding))
    if src_encoding == "cp1252":  # a real single-byte file: « » à è ’ — as Windows writes them
        assert b"\xab" in it.read_bytes() and b"\xe0" in it.read_bytes()
    if tgt_encoding == "utf-16-le":
        assert not en.read_bytes().startswith(b"\xff\xfe")
    before = snapshot(tmp_path)

    result = run_tq("check", it, en, "--format", "json")

    assert_ok(result)
    report = json.loads(result.stdout)
    assert report["source"]["encoding"] == src_encoding
    assert report["translation"]["encoding"] == tgt_encoding
    assert _findings(report) == _findings(reference_report)
    assert [(p["src_ids"], p["tgt_ids"]) for p in report["pairs"]] == \
        [(p["src_ids"], p["tgt_ids"]) for p in reference_report["pairs"]]
    # offsets refer to the decoded text, exactly as for the UTF-8 original
    for pair in report["pairs"]:
        assert en_text[pair["tgt_offset"]:pair["tgt_offset"] + len(pair["target"])] == pair["target"]
    assert snapshot(tmp_path) == before


# ---------------------------------------------------------------- wrong languages, wrong documents


# ---------------------------------------------------------------- tq align: the same guards as tq check


ALIGN_MODES = [pytest.param((), id="segmented"), pytest.param(("--presegmented",), id="presegmented")]


@pytest.fixture
def no_models(tmp_path_factory, monkeypatch) -> Path:
    """The sentence encoder's cache folder, which loading it creates: a refusal must come before (it stays absent)."""
    cache = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv("TQ_CACHE_DIR", str(cache))
    return cache / "usem3"


# tq check and tq align (segmented or one sentence per line) refuse the same inputs, before loading any model
COMMANDS = [pytest.param(("check",), id="check"), pytest.param(("align",), id="align"),
            pytest.param(("align", "--presegmented"), id="align-presegmented")]


@pytest.mark.parametrize("command", COMMANDS)
def test_swapped_inputs_are_refused(run_tq, tmp_path, inputs, no_models, command):
    it, en = inputs
    output = tmp_path / "out.txt"
    before = snapshot(tmp_path)

    result = run_tq(command[0], en, it, *command[1:], "-o", output)

    assert_one_line_error(result, "swapped")
    assert snapshot(tmp_path) == before and not output.exists() and not no_models.exists()


@pytest.mark.parametrize("command", ["check", "align"])
def test_english_source_is_refused(run_tq, tmp_path, corpus, no_models, command):
    source, translation = tmp_path / "en.txt", tmp_path / "en.reference.txt"
    shutil.copy2(corpus / "en.txt", source)
    shutil.copy2(corpus / "en.reference.txt", translation)
    before = snapshot(tmp_path)

    result = run_tq(command, source, translation)

    line = assert_one_line_error(result, "English", "Italian")
    assert "en.txt" in line
    assert snapshot(tmp_path) == before and not no_models.exists()


@pytest.mark.parametrize("command", ["check", "align"])
def test_unrelated_article_is_refused(run_tq, tmp_path, inputs, flores, command):
    it, _ = inputs
    other = tmp_path / "fukushima.en.txt"
    other.write_text(" ".join((flores / "2.en.txt").read_text(encoding="utf-8").split("\n")).strip(), encoding="utf-8")
    output = tmp_path / "out.json"
    before = snapshot(tmp_path)

    result = run_tq(command, it, other, "--format", "json", "-o", output)

    assert_one_line_error(result, "does not look like a translation", "fukushima.en.txt")
    assert snapshot(tmp_path) == before and not output.exists()


@pytest.mark.parametrize("position", POSITIONS)
@pytest.mark.parametrize("mode", ALIGN_MODES)
def test_align_max_size(run_tq, tmp_path, inputs, no_models, position, mode):
    it, en = inputs
    limit = (min(it.stat().st_size, en.stat().st_size) - 100) / 1e6  # both demo files are over it
    big, small = (it, en) if position == "source" else (en, it)
    small.write_bytes(small.read_bytes()[:int(limit * 1e6) // 2])  # the other side fits
    before = snapshot(tmp_path)

    result = run_tq("align", it, en, *mode, "--max-size", str(limit))

    line = assert_one_line_error(result, "limit", "--max-size")
    assert big.name in line
    assert snapshot(tmp_path) == before and not no_models.exists()


def test_align_refuses_a_5mb_file_by_default(run_tq, tmp_path, inputs, no_models):
    it, _ = inputs
    huge = _too_large(tmp_path)

    result = run_tq("align", it, huge)

    assert_one_line_error(result, "2 MB", "limit", "huge.txt")
    assert not no_models.exists()


@pytest.mark.parametrize("encoding, fragments", [
    pytest.param("utf-8", ("it.txt", "not valid utf-8"), id="wrong-encoding"),
    pytest.param("klingon", ("unknown encoding", "klingon"), id="unknown-encoding"),
])
def test_align_bad_encoding(run_tq, tmp_path, corpus, no_models, encoding, fragments):
    it, en = tmp_path / "it.txt", tmp_path / "en.txt"
    it.write_bytes((corpus / "it.txt").read_text(encoding="utf-8").encode("cp1252"))
    en.write_bytes((corpus / "en.txt").read_text(encoding="utf-8").encode("cp1252"))
    before = snapshot(tmp_path)

    result = run_tq("align", it, en, "--encoding", encoding)

    assert_one_line_error(result, *fragments)
    assert snapshot(tmp_path) == before and not no_models.exists()


def test_align_reads_the_given_encoding(run_tq, tmp_path, corpus):
    """--encoding cp1252: the same links as tq.align on the UTF-8 originals, the same text in every row."""
    it_text = (corpus / "it.txt").read_text(encoding="utf-8")
    en_text = (corpus / "en.txt").read_text(encoding="utf-8")
    it, en = tmp_path / "it.txt", tmp_path / "en.txt"
    it.write_bytes(it_text.encode("cp1252"))
    en.write_bytes(en_text.encode("cp1252"))
    before = snapshot(tmp_path)

    result = run_tq("align", it, en, "--encoding", "cp1252", "--format", "json")

    assert_ok(result)
    rows = json.loads(result.stdout)["links"]
    assert [(r["src_ids"], r["tgt_ids"]) for r in rows] == [(list(l.src_ids), list(l.tgt_ids)) for l in tq.align(it_text, en_text)]
    assert any("«" in r["source"] for r in rows) and any("’" in r["target"] for r in rows)
    assert snapshot(tmp_path) == before


# ---------------------------------------------------------------- -o never overwrites an input


@pytest.mark.parametrize("command, target", [
    pytest.param("check", "translation", id="check-o-translation"),
    pytest.param("check", "source-other-spelling", id="check-o-./source"),
    pytest.param("align", "source", id="align-o-source"),
])
def test_output_onto_an_input_is_refused(run_tq, tmp_path, inputs, command, target):
    it, en = inputs
    output = {"translation": str(en), "source": str(it), "source-other-spelling": "./it.txt"}[target]
    before = snapshot(tmp_path)

    result = run_tq(command, "it.txt", "en.txt", "--format", "json", "-o", output, cwd=it.parent) \
        if target == "source-other-spelling" else run_tq(command, it, en, "--format", "json", "-o", output)

    assert_one_line_error(result, "input")
    assert snapshot(tmp_path) == before


# the commands that read a --pairs file: tq check, and tq align --words (word links inside each pair)
PAIRS_COMMANDS = [pytest.param(("check",), id="check"), pytest.param(("align", "--words"), id="align-words")]


@pytest.mark.parametrize("command", PAIRS_COMMANDS)
def test_output_onto_the_pairs_file_is_refused(run_tq, tmp_path, flores, command):
    pairs = tmp_path / "pairs.tsv"
    sources = (flores / "1.it.txt").read_text(encoding="utf-8").splitlines()
    targets = (flores / "1.en.txt").read_text(encoding="utf-8").splitlines()
    pairs.write_text("".join(f"{s}\t{t}\n" for s, t in zip(sources, targets)), encoding="utf-8")
    before = snapshot(tmp_path)

    result = run_tq(*command, "--pairs", pairs, "-o", pairs)

    assert_one_line_error(result, "input")
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("where", ["missing-folder", "a-folder", "inside-a-file"])
def test_unwritable_output_is_refused_before_any_work(run_tq, tmp_path, inputs, where, monkeypatch):
    it, en = inputs
    output = {"missing-folder": tmp_path / "no" / "such" / "report.json", "a-folder": tmp_path,
              "inside-a-file": it / "report.json"}[where]
    monkeypatch.setenv("TQ_CACHE_DIR", str(tmp_path / "never-created"))  # no model is prepared or loaded
    result = run_tq("check", it, en, "-o", output)
    assert_one_line_error(result, str(output) if where != "a-folder" else "folder")
    assert not (tmp_path / "never-created").exists()


@pytest.mark.parametrize("args, env, fragments", [
    pytest.param(("--threads", "0"), {}, ("--threads",), id="threads-0"),
    pytest.param((), {"TQ_THREADS": "many"}, ("TQ_THREADS", "many"), id="TQ_THREADS-not-a-number"),
])
def test_bad_thread_counts(run_tq, inputs, args, env, fragments, monkeypatch):
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    result = run_tq("check", *inputs, *args)
    assert_one_line_error(result, *fragments)


# ---------------------------------------------------------------- bad --pairs files


def _flores_lines(flores: Path, n: int = 1) -> tuple[list[str], list[str]]:
    return ((flores / f"{n}.it.txt").read_text(encoding="utf-8").splitlines(),
            (flores / f"{n}.en.txt").read_text(encoding="utf-8").splitlines())


@pytest.mark.parametrize("command", PAIRS_COMMANDS)
@pytest.mark.parametrize("kind", ["tsv-3-columns", "jsonl-not-json", "jsonl-no-target", "empty-pairs"])
def test_bad_pairs_file(run_tq, tmp_path, flores, no_models, kind, command):
    sources, targets = _flores_lines(flores)
    if kind == "tsv-3-columns":
        path = tmp_path / "pairs.tsv"
        lines = [f"{s}\t{t}" for s, t in zip(sources, targets)]
        lines[2] += "\tun commento"
        fragments = ("pairs.tsv:3", "3 column")
    elif kind == "jsonl-not-json":
        path = tmp_path / "pairs.jsonl"
        lines = [json.dumps({"source": s, "target": t}, ensure_ascii=False) for s, t in zip(sources, targets)]
        lines[1] = "{'source': 'non è JSON', 'target': 'not JSON'"
        fragments = ("pairs.jsonl:2", "JSON")
    elif kind == "jsonl-no-target":
        path = tmp_path / "pairs.jsonl"
        lines = [json.dumps({"source": s, "target": t}, ensure_ascii=False) for s, t in zip(sources, targets)]
        lines[3] = json.dumps({"source": sources[3]}, ensure_ascii=False)
        fragments = ("pairs.jsonl:4", "target")
    else:
        path = tmp_path / "pairs.tsv"
        lines = ["", "   "]
        fragments = ("pairs.tsv", "empty")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    before = snapshot(tmp_path)

    result = run_tq(*command, "--pairs", path)

    assert_one_line_error(result, *fragments)
    assert snapshot(tmp_path) == before and not no_models.exists()


@pytest.mark.parametrize("command", PAIRS_COMMANDS)
@pytest.mark.parametrize("kind", ["swapped", "english-source", "surrogate"])
def test_bad_pairs_are_refused_before_any_model(run_tq, tmp_path, flores, no_models, kind, command):
    sources, targets = _flores_lines(flores)
    path = tmp_path / ("pairs.jsonl" if kind == "surrogate" else "pairs.tsv")
    if kind == "surrogate":  # a lone surrogate written as a JSON escape: valid JSON, not text
        lines = [json.dumps({"source": s, "target": t}) for s, t in zip(sources, targets)]
        lines[1] = json.dumps({"source": sources[1], "target": "Broken \ud800 text"})
        fragments: tuple[str, ...] = ("translation 2", "surrogate")
    else:
        lines = [f"{t}\t{s if kind == 'swapped' else t}" for s, t in zip(sources, targets)]  # English first
        fragments = ("swapped",) if kind == "swapped" else ("English", "Italian")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    before = snapshot(tmp_path)

    result = run_tq(*command, "--pairs", path)

    assert_one_line_error(result, *fragments)
    assert snapshot(tmp_path) == before and not no_models.exists()


@pytest.mark.parametrize("args, fragments", [
    pytest.param(("--words",), ("--words --pairs FILE",), id="words-without-pairs"),
    pytest.param(("--pairs", "PAIRS"), ("--words --pairs FILE",), id="pairs-without-words"),
    pytest.param(("--words", "--pairs", "PAIRS", "IT"), ("--words --pairs FILE",), id="words-and-documents"),
    pytest.param(("--words", "--pairs", "PAIRS", "--presegmented"), ("--words --pairs FILE",), id="words-presegmented"),
    pytest.param(("--words", "--pairs", "PAIRS", "--format", "tsv"), ("pharaoh or json", "tsv"), id="words-tsv"),
    pytest.param(("IT", "EN", "--format", "pharaoh"), ("pharaoh", "--words"), id="sentences-pharaoh"),
    pytest.param(("IT",), ("SOURCE and TRANSLATION",), id="one-document"),
])
def test_align_usage_errors(run_tq, inputs, tmp_path, no_models, args, fragments):
    it, en = inputs
    pairs = tmp_path / "pairs.tsv"
    pairs.write_text("Grazie.\tThank you.\n", encoding="utf-8")
    paths = {"IT": str(it), "EN": str(en), "PAIRS": str(pairs)}

    result = run_tq("align", *(paths.get(arg, arg) for arg in args))

    assert_one_line_error(result, *fragments)
    assert not no_models.exists()


def test_check_pairs_mismatched_counts_raises():
    with pytest.raises(tq.TqError, match="1 source segments but 0 translations"):
        tq.check_pairs(["a"], [])
    with pytest.raises(tq.TqError):
        tq.check_pairs(["Buongiorno a tutti.", "Grazie."], ["Good morning, everyone."])
    with pytest.raises(tq.TqError, match="no segment pairs"):
        tq.check_pairs([], [])


def test_api_errors_are_tq_errors(tmp_path):
    """The Python API raises TqError (one-line message) for the same bad inputs."""
    (tmp_path / "empty.txt").write_bytes(b"")
    with pytest.raises(tq.TqError, match="empty"):
        tq.check(tmp_path / "empty.txt", "The text.")
    with pytest.raises(tq.TqError, match="no such file"):
        tq.check(tmp_path / "missing.txt", "The text.")
    with pytest.raises(tq.TqError, match="binary"):
        tq.check(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10", "The text.")
    with pytest.raises(TypeError):
        tq.check("Testo.", "Text.", no_such_option=True)


# ---------------------------------------------------------------- usage errors


@pytest.mark.parametrize("args, fragments", [
    pytest.param(("check", "it.txt"), ("SOURCE and TRANSLATION",), id="one-file"),
    pytest.param(("check", "it.txt", "en.txt", "--format", "xml"), ("--format",), id="bad-format"),
    pytest.param(("check", "it.txt", "en.txt", "--fail-on", "serious"), ("--fail-on",), id="bad-fail-on"),
    pytest.param(("check", "it.txt", "en.txt", "--pairs", "p.tsv"), ("not both",), id="pairs-and-files"),
])
def test_usage_errors(run_tq, inputs, args, fragments):
    result = run_tq(*args, cwd=inputs[0].parent)
    line = assert_one_line_error(result, *fragments)
    assert "tq check --help" in line


def test_unknown_command_points_to_tq_help(run_tq):
    result = run_tq("chekc")
    line = assert_one_line_error(result, "chekc")
    assert "tq cli" not in line
    assert "tq --help" in line


def test_no_command_is_help_or_one_line(run_tq):
    result = run_tq()
    assert "Traceback" not in result.stderr
    if result.returncode == 0:
        assert "Usage:" in result.stdout and "check" in result.stdout
    else:
        assert_one_line_error(result)
