"""The public contract: tq.check / tq.check_pairs / tq.align, Report, and the CLI."""
from __future__ import annotations

import csv
import io
import json
import textwrap

import pytest

import tq
from tq.types import SEVERITY_RANK

from conftest import MODELS_OFF

# ---------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def demo_texts(corpus) -> tuple[str, str]:
    return (corpus / "it.txt").read_text(encoding="utf-8"), (corpus / "en.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def demo_report(corpus):
    return tq.check(corpus / "it.txt", corpus / "en.txt", **MODELS_OFF)


@pytest.fixture(scope="module")
def flores_docs(flores) -> list[tuple[list[str], list[str]]]:
    return [((flores / f"{n}.it.txt").read_text(encoding="utf-8").splitlines(),
             (flores / f"{n}.en.txt").read_text(encoding="utf-8").splitlines()) for n in (1, 2, 3)]


def _ok(result) -> None:
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout, result.stderr
    assert "tq: error" not in result.stderr and "internal error" not in result.stderr, result.stderr


# ---------------------------------------------------------------- Python API: tq.check and Report


def test_tq_check_returns_a_report(demo_report, demo_texts):
    it, en = demo_texts
    assert isinstance(demo_report, tq.Report)
    assert demo_report.pairs, "no pairs"
    for index, pair in enumerate(demo_report.pairs):
        assert isinstance(pair, tq.Pair)
        assert pair.index == index
        assert isinstance(pair.source, str) and isinstance(pair.target, str)
        assert isinstance(pair.src_ids, tuple) and isinstance(pair.tgt_ids, tuple)
        assert 0.0 <= pair.score <= 1.0
        assert isinstance(pair.findings, list)
        # offsets place the segments in their documents
        assert it[pair.src_offset:pair.src_offset + len(pair.source)] == pair.source
        assert en[pair.tgt_offset:pair.tgt_offset + len(pair.target)] == pair.target
        for finding in pair.findings:
            assert isinstance(finding, tq.Finding)
            assert finding.severity in ("minor", "major", "critical")
            assert 0 <= finding.start <= finding.end <= len(pair.target)
            assert finding.check and finding.category and finding.message
    assert demo_report.source_encoding == demo_report.translation_encoding == "utf-8"


def test_demo_alignment_covers_every_sentence_once(demo_report):
    src_ids = [i for pair in demo_report.pairs for i in pair.src_ids]
    tgt_ids = [j for pair in demo_report.pairs for j in pair.tgt_ids]
    assert src_ids == list(range(len(src_ids)))
    assert tgt_ids == list(range(len(tgt_ids)))


def test_worst_severity(demo_report):
    findings = [f for _, f in demo_report.findings]
    assert findings, "the demo translation has known defects"
    worst = max(findings, key=lambda f: f.rank).severity
    assert demo_report.worst_severity == worst
    assert SEVERITY_RANK[demo_report.worst_severity] >= SEVERITY_RANK["major"]  # "Anthony" Blinken, "Change" in the dateline
    assert demo_report.fails("major") and not demo_report.fails("never")
    for pair in demo_report.pairs:
        expected = max((f.severity for f in pair.findings), key=SEVERITY_RANK.__getitem__, default="none")
        assert pair.worst_severity == expected


def test_to_json(demo_report, demo_texts):
    _, en = demo_texts
    data = json.loads(demo_report.to_json())
    assert data["schema"] == "tq.report"
    assert data["version"] == 1
    assert data["source"]["language"] == "it" and data["translation"]["language"] == "en"
    assert data["summary"]["pairs"] == len(demo_report.pairs) == len(data["pairs"])
    assert data["summary"]["worst_severity"] == demo_report.worst_severity
    assert sum(data["summary"]["counts"].values()) == len(demo_report.findings)
    for pair in data["pairs"]:
        for finding in pair["findings"]:
            assert en[finding["doc_start"]:finding["doc_end"]] == finding["text"]
    assert json.loads(demo_report.to_json(indent=None)) == data


def test_to_frame(demo_report):
    pd = pytest.importorskip("pandas")
    frame = demo_report.to_frame()
    assert isinstance(frame, pd.DataFrame)
    with_findings = frame[frame["check"].notna()]
    assert len(with_findings) == len(demo_report.findings)
    clean_pairs = sum(1 for pair in demo_report.pairs if not pair.findings)
    assert len(frame) == len(demo_report.findings) + clean_pairs
    assert sorted(with_findings["check"]) == sorted(f.check for _, f in demo_report.findings)
    assert set(with_findings["severity"]) <= {"minor", "major", "critical"}
    assert {"pair", "source", "target", "severity", "category", "text", "message"} <= set(frame.columns)


# ---------------------------------------------------------------- tq.check_pairs and tq.align on FLORES


def test_check_pairs_keeps_the_given_pairs(flores_docs):
    for sources, targets in flores_docs:
        report = tq.check_pairs(sources, targets)
        assert len(report.pairs) == len(sources)
        for i, pair in enumerate(report.pairs):
            assert pair.src_ids == pair.tgt_ids == (i,)
            assert pair.source == sources[i] and pair.target == targets[i]
        # human FLORES translations: nothing serious to report
        assert SEVERITY_RANK[report.worst_severity] < SEVERITY_RANK["major"], report.findings


def test_check_pairs_last_flores_line_holds_two_sentences_and_stays_one_pair(flores_docs):
    sources, targets = flores_docs[2]
    report = tq.check_pairs(sources, targets)
    assert report.pairs[-1].source == sources[-1]
    assert report.pairs[-1].target == targets[-1]


def test_align_presegmented_flores_is_one_to_one(flores_docs):
    for sources, targets in flores_docs:
        links = tq.align(sources, targets, presegmented=True)
        assert all(isinstance(link, tq.Link) for link in links)
        assert [(link.src_ids, link.tgt_ids) for link in links] == [((i,), (i,)) for i in range(len(sources))]
        assert all(link.kind == "1-1" for link in links)


def test_align_demo_article_links_every_english_sentence(demo_texts):
    it, en = demo_texts
    links = tq.align(it, en)
    tgt_ids = sorted(j for link in links for j in link.tgt_ids)
    assert tgt_ids == list(range(len(tgt_ids))), "every English sentence in exactly one link"
    assert not [link for link in links if link.kind == "0-1"], "an English sentence aligned to nothing"
    src_ids = sorted(i for link in links for i in link.src_ids)
    assert src_ids == list(range(len(src_ids)))
    assert [link for link in links if link.src_ids] == sorted((l for l in links if l.src_ids), key=lambda l: l.src_ids)


def test_tq_align_is_the_function():
    """``tq.align`` must stay the public function after the pipeline has been imported.

    Regression: a submodule ``tq/align.py`` used to replace the attribute on import.
    """
    import tq.pipeline  # noqa: F401  (what any earlier tq.check call does)

    assert callable(tq.align), f"tq.align is {tq.align!r}"
    links = tq.align(["Buongiorno."], ["Good morning."], presegmented=True)
    assert [(l.src_ids, l.tgt_ids) for l in links] == [((0,), (0,))]


def test_reference_translation_has_no_serious_finding(corpus):
    report = tq.check(corpus / "it.txt", corpus / "en.reference.txt")
    assert SEVERITY_RANK[report.worst_severity] <= SEVERITY_RANK["minor"], \
        [(f.check, f.severity, p.target[f.start:f.end]) for p, f in report.findings]


# ---------------------------------------------------------------- CLI: tq align


@pytest.fixture(scope="module")
def demo_links(demo_texts):
    it, en = demo_texts
    return tq.align(it, en)


def test_cli_align_json(run_tq, corpus, demo_links):
    result = run_tq("align", corpus / "it.txt", corpus / "en.txt", "--format", "json")
    _ok(result)
    assert result.returncode == 0
    data = json.loads(result.stdout)
    assert data["schema"] == "tq.alignment" and data["version"] == 1
    assert [(tuple(r["src_ids"]), tuple(r["tgt_ids"])) for r in data["links"]] == \
        [(l.src_ids, l.tgt_ids) for l in demo_links]
    assert all(isinstance(r["source"], str) and isinstance(r["target"], str) for r in data["links"])


def test_cli_align_tsv_presegmented(run_tq, flores, flores_docs):
    result = run_tq("align", flores / "3.it.txt", flores / "3.en.txt", "--presegmented")
    _ok(result)
    assert result.returncode == 0
    rows = result.stdout.splitlines()
    assert rows[0].split("\t") == ["src_ids", "tgt_ids", "score", "source", "target"]
    sources, targets = flores_docs[2]
    assert len(rows) == 1 + len(sources)
    for i, row in enumerate(rows[1:]):
        cells = row.split("\t")
        assert cells[:2] == [str(i), str(i)]
        float(cells[2])
        assert cells[3:] == [sources[i], targets[i]]


def test_cli_align_tsv_hard_wrapped_text_one_row_per_link(run_tq, tmp_path, demo_texts):
    """Text wrapped at 60 columns (e-mail, Word 'text only'): still one TSV row of 5 cells per link."""
    paths = []
    for name, text in zip(("it.txt", "en.txt"), demo_texts):
        path = tmp_path / name
        path.write_text("\n\n".join(textwrap.fill(p, 60) for p in text.split("\n\n")), encoding="utf-8")
        paths.append(path)
    result = run_tq("align", *paths)
    _ok(result)
    rows = list(csv.reader(io.StringIO(result.stdout), delimiter="\t", quoting=csv.QUOTE_NONE))
    assert rows[0] == ["src_ids", "tgt_ids", "score", "source", "target"]
    assert all(len(row) == 5 for row in rows), [row for row in rows if len(row) != 5][:3]


# ---------------------------------------------------------------- CLI: tq check


@pytest.mark.parametrize("fmt", ["tsv", "jsonl"])
def test_cli_check_pairs_file(run_tq, tmp_path, flores_docs, fmt):
    sources, targets = flores_docs[2]
    if fmt == "tsv":
        path = tmp_path / "pairs.tsv"
        path.write_text("".join(f"{s}\t{t}\n" for s, t in zip(sources, targets)), encoding="utf-8")
    else:
        path = tmp_path / "pairs.jsonl"
        path.write_text("".join(json.dumps({"source": s, "target": t}, ensure_ascii=False) + "\n"
                                for s, t in zip(sources, targets)), encoding="utf-8")
    result = run_tq("check", "--pairs", path, "--format", "json")
    _ok(result)
    assert result.returncode == 0
    data = json.loads(result.stdout)
    assert len(data["pairs"]) == len(sources)
    for i, pair in enumerate(data["pairs"]):
        assert pair["src_ids"] == pair["tgt_ids"] == [i]
        assert pair["source"] == sources[i] and pair["target"] == targets[i]


def test_cli_fail_on_major_fails_on_the_demo(run_tq, corpus):
    result = run_tq("check", corpus / "it.txt", corpus / "en.txt", "--fail-on", "major", "--format", "json")
    _ok(result)
    assert result.returncode == 1
    assert json.loads(result.stdout)["summary"]["worst_severity"] in ("major", "critical")


def test_cli_fail_on_critical_passes_the_reference(run_tq, corpus):
    result = run_tq("check", corpus / "it.txt", corpus / "en.reference.txt", "--fail-on", "critical")
    _ok(result)
    assert result.returncode == 0


def test_cli_default_run_passes_and_prints_plain_text(run_tq, corpus):
    result = run_tq("check", corpus / "it.txt", corpus / "en.txt")
    _ok(result)
    assert result.returncode == 0  # --fail-on never by default
    assert "segment pairs" in result.stdout
    assert "RussiaUkraine" in result.stdout
    assert "\x1b[" not in result.stdout, "colour codes in piped output"


def test_cli_markdown_to_file(run_tq, tmp_path, corpus):
    output = tmp_path / "report.md"
    result = run_tq("check", corpus / "it.txt", corpus / "en.txt", "--format", "markdown", "-o", output)
    _ok(result)
    assert result.returncode == 0
    assert result.stdout.strip() == "", "with -o the report goes to the file only"
    markdown = output.read_text(encoding="utf-8")
    assert markdown.startswith("## tq:")
    assert "| severity | category |" in markdown
    assert "|---|" in markdown
    assert "`RussiaUkraine`" in markdown


def test_cli_json_to_file(run_tq, tmp_path, corpus, demo_report):
    output = tmp_path / "out" / "report.json"
    output.parent.mkdir()
    result = run_tq("check", corpus / "it.txt", corpus / "en.txt", "--format", "json", "-o", output)
    _ok(result)
    assert result.returncode == 0
    data = json.loads(output.read_text(encoding="utf-8"))
    assert data["schema"] == "tq.report"
    assert sorted((f["check"], f["doc_start"]) for p in data["pairs"] for f in p["findings"]) == \
        sorted((f.check, p.tgt_offset + f.start) for p, f in demo_report.findings)


def test_cli_checks_lists_ids(run_tq):
    from tq.checks import all_checks

    result = run_tq("checks")
    _ok(result)
    assert result.returncode == 0
    assert "lost-hyphen" in result.stdout
    for check_id in all_checks():
        assert check_id in result.stdout, check_id


def test_cli_skip_removes_a_check(run_tq, corpus, demo_report):
    assert any(f.check == "lost-hyphen" for _, f in demo_report.findings)
    result = run_tq("check", corpus / "it.txt", corpus / "en.txt", "--skip", "lost-hyphen", "--format", "json")
    _ok(result)
    assert result.returncode == 0
    checks = [f["check"] for p in json.loads(result.stdout)["pairs"] for f in p["findings"]]
    assert "lost-hyphen" not in checks
    assert sorted(checks) == sorted(f.check for _, f in demo_report.findings if f.check != "lost-hyphen")


def test_api_skip_matches_cli(demo_report, corpus):
    report = tq.check(corpus / "it.txt", corpus / "en.txt", skip=("lost-hyphen",), **MODELS_OFF)
    assert not [f for _, f in report.findings if f.check == "lost-hyphen"]
    with pytest.raises(tq.TqError, match="no-such-check"):
        tq.check(corpus / "it.txt", corpus / "en.txt", skip=("no-such-check",))


def test_cli_skip_unknown_check(run_tq, corpus):
    result = run_tq("check", corpus / "it.txt", corpus / "en.txt", "--skip", "no-such-check")
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("tq: error:") and "no-such-check" in lines[0]
    assert "Traceback" not in result.stderr


def test_progress_bar_on_a_terminal_only(run_tq, tmp_path, corpus):
    from conftest import run_in_terminal

    output = tmp_path / "report.json"
    status, screen = run_in_terminal("check", corpus / "it.txt", corpus / "en.txt", "--format", "json", "-o", output)
    assert status == 0, screen
    assert "checks" in screen and "checking" in screen  # the bar, by check, on the terminal
    assert json.loads(output.read_text("utf-8"))["schema"] == "tq.report"
    piped = run_tq("check", corpus / "it.txt", corpus / "en.txt", "--format", "json", "-o", output)
    assert piped.returncode == 0 and piped.stderr == ""  # nothing on stderr in a pipe or a CI log
