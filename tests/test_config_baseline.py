"""Project configuration (tq.toml, [tool.tq]), baselines, and strict suppression and glossary files.

The commands run in-process through click's CliRunner with the working directory in ``tmp_path``
(so that no tq.toml of the checkout is found) and the models off, through the real pipeline.
"""
from __future__ import annotations

import codecs
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

import tq
from tq.cli import main

from conftest import DEMO, MODELS_OFF

# Short pairs (TSV): quick runs with one known finding each.
PAIRS = ("Il portavoce ha detto che i colloqui continueranno domani a Londra.\t"
         "The spokesman said that the the talks will continue tomorrow in London.\n"
         "Il governo britannico ha annunciato nuove sanzioni contro la Russia.\t"
         "The British government announced new sanctions against Russia.\n")


@pytest.fixture(autouse=True)
def _models_off(monkeypatch):
    monkeypatch.setenv("TQ_LM_MODEL", "none")
    monkeypatch.setenv("TQ_MT_MODEL", "none")
    monkeypatch.setenv("NO_COLOR", "1")


def run(*args: str) -> tuple[int, str, str]:
    """(exit code, stdout, stderr) of ``tq ARGS`` as the console script runs it (main maps errors to exit codes)."""
    with CliRunner().isolation() as (stdout, stderr, _):
        try:
            main(list(args))
            code = 0
        except SystemExit as exc:
            code = exc.code
    return code, stdout.getvalue().decode("utf-8"), stderr.getvalue().decode("utf-8")


def findings(stdout: str) -> list[tuple[str, str]]:
    """(check, flagged text) of every finding in a JSON report."""
    report = json.loads(stdout)
    return [(f["check"], p["target"][f["start"]:f["end"]]) for p in report["pairs"] for f in p["findings"]]


def one_line_error(code: int, stdout: str, stderr: str, *fragments: str) -> str:
    assert code == 2, (code, stderr, stdout[:300])
    lines = stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("tq: error:"), stderr
    assert "Traceback" not in stderr and not stdout.strip()
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])
    return lines[0]


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    """A project folder, the working directory, with a pairs file."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pairs.tsv").write_text(PAIRS, encoding="utf-8")
    return tmp_path


# ---------------------------------------------------------------- configuration


def test_tq_toml_disables_a_check_and_moves_the_gate(project):
    code, out, _ = run("check", "--pairs", "pairs.tsv", "--format", "json")
    assert code == 0 and ("repeated-word", " the") in findings(out)  # the minor finding the config acts on

    (project / "tq.toml").write_text('fail_on = "minor"\n', encoding="utf-8")
    code, out, err = run("check", "--pairs", "pairs.tsv", "--format", "json")
    assert code == 1 and "gate failed" in err

    (project / "tq.toml").write_text('fail_on = "major"\n', encoding="utf-8")
    assert run("check", "--pairs", "pairs.tsv", "--format", "json")[0] == 0

    (project / "tq.toml").write_text('fail_on = "minor"\n[checks.repeated-word]\nenabled = false\n', encoding="utf-8")
    code, out, _ = run("check", "--pairs", "pairs.tsv", "--format", "json")
    assert "repeated-word" not in {check for check, _ in findings(out)}
    assert code == (1 if findings(out) else 0)


def test_threshold_override_applies_to_that_run_only(project):
    """A raised adequacy threshold flags the (good) second pair; the class default is untouched afterwards."""
    from tq.checks.adequacy import AdequacyCheck

    (project / "tq.toml").write_text("[checks.adequacy]\nminor_below = 0.999\n", encoding="utf-8")
    code, out, _ = run("check", "--pairs", "pairs.tsv", "--format", "json")
    assert code == 0 and sum(check == "adequacy" for check, _ in findings(out)) == 2
    assert AdequacyCheck.minor_below == 0.52
    code, out, _ = run("check", "--pairs", "pairs.tsv", "--format", "json", "--config", str(project / "missing.toml"))
    assert code == 2
    (project / "tq.toml").unlink()
    assert "adequacy" not in {check for check, _ in findings(run("check", "--pairs", "pairs.tsv", "--format", "json")[1])}


def test_pyproject_tool_tq_is_found_from_a_subfolder_and_tq_toml_wins(project, monkeypatch):
    (project / "pyproject.toml").write_text('[project]\nname = "x"\n\n[tool.tq]\nfail_on = "critical"\nskip = ["names"]\n',
                                            encoding="utf-8")
    sub = project / "a" / "b"
    sub.mkdir(parents=True)
    monkeypatch.chdir(sub)
    code, out, _ = run("config", "--format", "json")
    settings = json.loads(out)
    assert code == 0 and settings["file"] == str(project / "pyproject.toml")
    assert settings["settings"]["fail_on"] == {"value": "critical", "origin": f"{project / 'pyproject.toml'} [tool.tq]"}
    assert settings["settings"]["skip"]["value"] == ["names"]

    (project / "tq.toml").write_text('fail_on = "minor"\n', encoding="utf-8")  # same folder: tq.toml wins
    settings = json.loads(run("config", "--format", "json")[1])
    assert settings["settings"]["fail_on"] == {"value": "minor", "origin": str(project / "tq.toml")}
    assert settings["settings"]["skip"] == {"value": [], "origin": "default"}


def test_precedence_default_file_config_option_command_line(project):
    (project / "tq.toml").write_text('fail_on = "major"\ntgt_lang = "en"\nglossary = "terms.tsv"\n', encoding="utf-8")
    other = project / "other.toml"
    other.write_text('fail_on = "critical"\nmax_size = 5\n', encoding="utf-8")

    text = run("config")[1]
    assert f"configuration file: {project / 'tq.toml'}" in text
    line = next(l for l in text.splitlines() if l.startswith("glossary"))
    assert str(project / "terms.tsv") in line and f"({project / 'tq.toml'})" in line  # relative to the file's folder
    assert "(default)" in next(l for l in text.splitlines() if l.startswith("src_lang"))

    settings = json.loads(run("config", "--format", "json", "--config", str(other))[1])["settings"]
    assert settings["fail_on"] == {"value": "critical", "origin": f"--config {other}"}  # replaces tq.toml entirely
    assert settings["glossary"] == {"value": None, "origin": "default"}
    assert settings["max_size"]["value"] == 5.0

    settings = json.loads(run("config", "--format", "json", "--config", str(other), "--fail-on", "minor")[1])["settings"]
    assert settings["fail_on"] == {"value": "minor", "origin": "command line"}
    assert settings["max_size"]["origin"] == f"--config {other}"

    # and tq check obeys the same order: the command line's --fail-on never beats nothing (its click default)
    (project / "tq.toml").write_text('fail_on = "minor"\n', encoding="utf-8")
    assert run("check", "--pairs", "pairs.tsv", "--format", "json")[0] == 1
    assert run("check", "--pairs", "pairs.tsv", "--format", "json", "--fail-on", "never")[0] == 0
    assert run("check", "--pairs", "pairs.tsv", "--format", "json", "--config", str(other))[0] == 0


@pytest.mark.parametrize("content, fragments", [
    ('fail_on = "mayor"\n', ("tq.toml:1:", "fail_on", "mayor")),
    ('src_lang = "it"\ncolour = "red"\n', ("tq.toml:2:", "unknown key 'colour'")),
    ('skip = "fluency"\n', ("tq.toml:1:", "skip", "list of check ids")),
    ('skip = ["fluency", "nope"]\n', ("tq.toml:1:", "nope")),
    ('max_size = "big"\n', ("tq.toml:1:", "max_size")),
    ('encoding = "klingon-8"\n', ("tq.toml:1:", "unknown encoding")),
    ('\n[checks.adequacy]\nminor_below = "high"\n', ("tq.toml:3:", "checks.adequacy.minor_below", "number")),
    ('[checks.adequacy]\nmajor_belw = 0.3\n', ("tq.toml:2:", "no parameter 'major_belw'")),
    ('[checks.no-such-check]\nenabled = false\n', ("tq.toml:1:", "unknown check id")),
    ('[checks.names]\nenabled = "no"\n', ("tq.toml:2:", "checks.names.enabled", "true or false")),
    ('fail_on = "major\n', ("tq.toml:1:", "invalid TOML")),
])
def test_a_bad_config_is_one_line_with_file_line_and_key(project, content, fragments):
    (project / "tq.toml").write_text(content, encoding="utf-8")
    for command in (["config"], ["check", "--pairs", "pairs.tsv"], ["baseline", "--pairs", "pairs.tsv"]):
        one_line_error(*run(*command), *fragments)
    assert not (project / "tq-baseline.json").exists()


def test_a_glossary_in_the_config_gives_a_terminology_finding(project, monkeypatch):
    (project / "terms").mkdir()
    (project / "terms" / "news.tsv").write_text("portavoce\tspokeswoman\n", encoding="utf-8")
    (project / "tq.toml").write_text('glossary = "terms/news.tsv"\n', encoding="utf-8")
    sub = project / "sub"
    sub.mkdir()
    monkeypatch.chdir(sub)  # the path is relative to tq.toml's folder, not to where tq runs
    code, out, err = run("check", "--pairs", str(project / "pairs.tsv"), "--format", "json")
    assert code == 0, err
    assert any(check == "terminology" and "spokesman" in text for check, text in findings(out))


def test_a_glossary_with_a_utf8_bom_keeps_its_first_entry(project):
    """Excel and Notepad start UTF-8 files with a BOM; it used to glue itself to the first term, which then never matched."""
    path = project / "bom.tsv"
    path.write_bytes(codecs.BOM_UTF8 + b"portavoce\tspokeswoman\ngoverno\tgovernment\n")
    code, out, err = run("check", "--pairs", "pairs.tsv", "--format", "json", "--glossary", str(path))
    assert code == 0, err
    assert any(check == "terminology" and "spokesman" in text for check, text in findings(out))
    from tq.checks.terminology import load_glossary

    assert load_glossary(path)[0].source.search("il portavoce")  # and the API reads it the same way


# ---------------------------------------------------------------- suppressions


@pytest.mark.parametrize("content, fragments", [
    ("# accepted\nrepeated-word\t the\nno-such-check\tfoo\n", ("supp.tsv:3:", "unknown check id 'no-such-check'")),
    ("repeated-word the\n", ("supp.tsv:1:", "tab")),
    ("repeated-word\t the\tmore\n", ("supp.tsv:1:", "3 tab-separated columns")),
    ("\nrepeated-word\t  \n", ("supp.tsv:2:", "empty flagged text")),
])
def test_a_bad_suppression_line_is_refused_with_its_line(project, content, fragments):
    (project / "supp.tsv").write_text(content, encoding="utf-8")
    one_line_error(*run("check", "--pairs", "pairs.tsv", "--suppressions", "supp.tsv"), *fragments)
    (project / "tq.toml").write_text('suppressions = "supp.tsv"\n', encoding="utf-8")
    one_line_error(*run("check", "--pairs", "pairs.tsv"), *fragments)


def test_suppressions_from_config_with_a_bom_still_match(project):
    (project / "supp.tsv").write_bytes(codecs.BOM_UTF8 + b"# accepted\nrepeated-word\t the\n")
    (project / "tq.toml").write_text('suppressions = "supp.tsv"\nfail_on = "minor"\n', encoding="utf-8")
    code, out, err = run("check", "--pairs", "pairs.tsv", "--format", "json")
    assert ("repeated-word", " the") not in findings(out)
    assert code == (1 if findings(out) else 0), err


# ---------------------------------------------------------------- baselines


@pytest.fixture(scope="module")
def demo_baseline(tmp_path_factory) -> Path:
    """The demo article copied to a folder, with a baseline of its findings written by `tq baseline`."""
    folder = tmp_path_factory.mktemp("demo")
    for name in ("it.txt", "en.txt"):
        shutil.copy(DEMO / name, folder / name)
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(folder)
        patch.setenv("TQ_LM_MODEL", "none")
        patch.setenv("TQ_MT_MODEL", "none")
        code, _, err = run("baseline", "it.txt", "en.txt")
    assert code == 0 and "tq-baseline.json" in err, err
    return folder


def test_baseline_accepts_the_current_findings_and_lets_new_ones_fail(demo_baseline, monkeypatch):
    monkeypatch.chdir(demo_baseline)
    baseline = json.loads((demo_baseline / "tq-baseline.json").read_text("utf-8"))
    assert baseline["schema"] == "tq.baseline" and len(baseline["entries"]) >= 5
    assert all(set(e) >= {"check", "text", "context"} for e in baseline["entries"])

    code, out, err = run("check", "it.txt", "en.txt", "--baseline", "tq-baseline.json", "--fail-on", "minor", "--format", "json")
    assert code == 0 and findings(out) == [] and "stale" not in err, err
    code, out, _ = run("check", "it.txt", "en.txt", "--no-baseline", "--fail-on", "minor", "--format", "json")
    assert code == 1 and len(findings(out)) >= 5  # without the baseline the same article fails


    # an edit elsewhere (a sentence that had no finding) that adds an error: only that error is reported
    english = (demo_baseline / "en.txt").read_text("utf-8")
    edited = english.replace("While Ukraine continues to bleed.", "While Ukraine continues to to bleed.")
    assert edited != english
    (demo_baseline / "edited.txt").write_text(edited, encoding="utf-8")
    code, out, err = run("check", "it.txt", "edited.txt", "--baseline", "tq-baseline.json", "--fail-on", "minor", "--format", "json")
    assert code == 1, err
    assert findings(out) == [("repeated-word", " to")]


def test_baseline_from_config_and_stale_entries(demo_baseline, monkeypatch):
    """A fixed finding leaves its entry stale: noted in the report and on stderr, and the gate still passes."""
    monkeypatch.chdir(demo_baseline)
    (demo_baseline / "tq.toml").write_text('baseline = "tq-baseline.json"\nfail_on = "minor"\n', encoding="utf-8")
    try:
        english = (demo_baseline / "en.txt").read_text("utf-8")
        fixed = english.replace("US UK dont trust", "US UK don't trust", 1)
        assert fixed != english
        (demo_baseline / "fixed.txt").write_text(fixed, encoding="utf-8")
        code, out, err = run("check", "it.txt", "fixed.txt", "--format", "json")
        assert code == 0 and findings(out) == [], err
        stale = [line for line in err.splitlines() if "stale baseline" in line]
        assert len(stale) == 1 and "missing-apostrophe" in stale[0] and "dont" in stale[0]
        assert any("stale baseline" in note for note in json.loads(out)["notes"])
    finally:
        (demo_baseline / "tq.toml").unlink()


def test_baseline_through_the_python_api(demo_baseline):
    """``baseline=`` takes a path (validated before any work) for tq.check as for the command line."""
    report = tq.check(demo_baseline / "it.txt", demo_baseline / "en.txt", baseline=demo_baseline / "tq-baseline.json", **MODELS_OFF)
    assert report.findings == []
    bad = demo_baseline / "bad.json"
    bad.write_text('{"schema": "something else"}', encoding="utf-8")
    with pytest.raises(tq.TqError, match="not a tq baseline"):
        tq.check(demo_baseline / "it.txt", demo_baseline / "en.txt", baseline=bad, **MODELS_OFF)


def test_baseline_refuses_to_overwrite_an_input(demo_baseline, monkeypatch):
    monkeypatch.chdir(demo_baseline)
    before = (demo_baseline / "en.txt").read_bytes()
    one_line_error(*run("baseline", "it.txt", "en.txt", "-o", "en.txt"), "refusing to overwrite an input")
    assert (demo_baseline / "en.txt").read_bytes() == before


def test_check_uses_the_baseline_tq_baseline_wrote_here_and_says_so(demo_baseline, monkeypatch, tmp_path):
    """`tq baseline` says how its file is used; the next `tq check` in that folder uses it, with a note."""
    folder = tmp_path / "here"
    shutil.copytree(demo_baseline, folder)
    monkeypatch.chdir(folder)
    code, out, err = run("check", "it.txt", "en.txt", "--fail-on", "minor", "--format", "json")
    assert code == 0 and findings(out) == [], err
    assert "using tq-baseline.json" in err and "--no-baseline" in err
    (folder / "tq-baseline.json").rename(folder / "accepted.json")
    code, _, err = run("baseline", "it.txt", "en.txt", "-o", "kept.json")
    assert code == 0 and "tq check --baseline kept.json" in err, err
    code, out, err = run("check", "it.txt", "en.txt", "--fail-on", "minor", "--format", "json")
    assert code == 1 and "using" not in err  # no tq-baseline.json here any more: every finding counts
