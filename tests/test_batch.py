"""Batch runs (`tq check SRC_DIR TGT_DIR -o OUT`, `tq.check_many`): pairing, errors that never stop the batch,
atomic reports, resuming after `kill -9`, a process pool and a real local Dask cluster giving the same findings."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tq.batch import Article, check_many, pair_folders, read_manifest

DEMO = Path(__file__).resolve().parent.parent / "corpora" / "us-uk-putin-talks"


def _paragraphs(name: str) -> list[str]:
    return [line for line in (DEMO / name).read_text("utf-8").splitlines() if line.strip()]


def make_archive(folder: Path, count: int) -> Path:
    """``count`` distinct real articles: the demo article's first 3, 4, … paragraphs on each side."""
    it, en = _paragraphs("it.txt"), _paragraphs("en.txt")
    for side in ("it", "en"):
        (folder / side).mkdir(parents=True, exist_ok=True)
    for k in range(count):
        size = 3 + k % (len(it) - 2)
        (folder / "it" / f"a{k:02d}.txt").write_text("\n\n".join(it[:size]) + "\n", "utf-8")
        (folder / "en" / f"a{k:02d}.txt").write_text("\n\n".join(en[:size]) + "\n", "utf-8")
    return folder


def tq(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tq", *args], capture_output=True, text=True, cwd=cwd, timeout=600)


def findings(report_file: Path) -> list[tuple]:
    data = json.loads(report_file.read_text("utf-8"))
    return [(pair["index"], f["check"], f["severity"], f["start"], f["end"]) for pair in data["pairs"] for f in pair["findings"]]


def test_bad_inputs_are_listed_and_never_stop_the_batch(tmp_path):
    archive = make_archive(tmp_path / "in", 2)
    (archive / "it" / "orphan.txt").write_text("Un articolo senza traduzione.\n", "utf-8")
    (archive / "it" / "empty.txt").write_text("", "utf-8")
    (archive / "en" / "empty.txt").write_text("", "utf-8")
    (archive / "it" / "binary.txt").write_bytes(b"\x00\x01\x02\xff" * 100)
    (archive / "en" / "binary.txt").write_text("Some text.\n", "utf-8")
    (archive / "it" / "swapped.txt").write_text("\n".join(_paragraphs("en.txt")[:3]), "utf-8")
    (archive / "en" / "swapped.txt").write_text("\n".join(_paragraphs("it.txt")[:3]), "utf-8")
    out = tmp_path / "out"
    result = tq("check", str(archive / "it"), str(archive / "en"), "-o", str(out), "--format", "json", "--lm", "none")
    assert result.returncode == 0, result.stderr
    summary = json.loads((out / "summary.json").read_text("utf-8"))
    rows = {row["id"]: row for row in summary["rows"]}
    assert summary["articles"] == 6 and summary["checked"] == 2
    assert rows["a00"]["status"] == rows["a01"]["status"] == "ok"
    assert "no translation" in rows["orphan"]["reason"]
    assert "empty" in rows["empty"]["reason"]
    assert "binary" in rows["binary"]["reason"]
    assert rows["swapped"]["status"] == "error" and rows["swapped"]["reason"]
    for row in rows.values():
        assert "\n" not in row["reason"]
    assert sorted(p.name for p in out.glob("*.json")) == ["a00.json", "a01.json", "summary.json"]
    assert (out / "summary.csv").read_text("utf-8").splitlines()[0].startswith("id,status,score")

    only_bad = tmp_path / "bad"
    (only_bad / "it").mkdir(parents=True)
    (only_bad / "en").mkdir()
    (only_bad / "it" / "x.txt").write_text("", "utf-8")
    (only_bad / "en" / "x.txt").write_text("", "utf-8")
    result = tq("check", str(only_bad / "it"), str(only_bad / "en"), "-o", str(tmp_path / "out2"), "--lm", "none")
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0 and "nothing could be checked" in result.stderr


def test_gate_manifest_progress_and_resume_after_an_edit(tmp_path):
    archive = make_archive(tmp_path / "in", 3)
    manifest = tmp_path / "in" / "batch.tsv"
    manifest.write_text("".join(f"it/a{k:02d}.txt\ten/a{k:02d}.txt\tart-{k}\n" for k in range(3)), "utf-8")
    assert [a.id for a in read_manifest(manifest)] == ["art-0", "art-1", "art-2"]
    out = tmp_path / "out"
    first = tq("check", "--manifest", str(manifest), "-o", str(out), "--format", "json", "--lm", "none", "--fail-on", "minor",
               "--progress")
    assert first.returncode == 1  # the demo article's opening has minor findings
    assert "articles" in first.stderr and "pairs/s" in first.stderr and "gate failed" in first.stderr
    stamps = {p.name: p.stat().st_mtime_ns for p in out.glob("art-*.json")}
    text = (archive / "en" / "a01.txt").read_text("utf-8")
    assert " to " in text
    (archive / "en" / "a01.txt").write_text(text.replace(" to ", " to to ", 1), "utf-8")
    second = tq("check", "--manifest", str(manifest), "-o", str(out), "--format", "json", "--lm", "none")
    rows = {row["id"]: row for row in json.loads((out / "summary.json").read_text("utf-8"))["rows"]}
    assert second.returncode == 0  # the gate is per run: no --fail-on now
    assert rows["art-0"]["status"] == rows["art-2"]["status"] == "unchanged"
    assert rows["art-1"]["status"] == "ok"
    assert (out / "art-0.json").stat().st_mtime_ns == stamps["art-0.json"]
    assert ("repeated-word" in {f[1] for f in findings(out / "art-1.json")})


def test_kill_minus_nine_keeps_finished_reports_and_the_rerun_does_only_the_rest(tmp_path):
    archive = make_archive(tmp_path / "in", 10)
    out = tmp_path / "out"
    command = [sys.executable, "-m", "tq", "check", str(archive / "it"), str(archive / "en"), "-o", str(out), "--format", "json",
               "--lm", "none"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 300
    while time.time() < deadline and len(list((out / ".tq-state").glob("*.json"))) < 3 and process.poll() is None:
        time.sleep(0.02)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    done = sorted(p.stem for p in (out / ".tq-state").glob("*.json"))
    assert 3 <= len(done) < 10, "the batch finished before it could be killed halfway"
    reports = sorted(p for p in out.glob("a*.json"))
    assert {p.stem for p in reports} >= set(done)
    for report in reports:
        json.loads(report.read_text("utf-8"))  # whole and valid, never half-written
    stamps = {p.stem: p.stat().st_mtime_ns for p in reports if p.stem in done}

    rerun = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert rerun.returncode == 0, rerun.stderr
    rows = {row["id"]: row for row in json.loads((out / "summary.json").read_text("utf-8"))["rows"]}
    assert len(rows) == 10
    assert {i for i, row in rows.items() if row["status"] == "unchanged"} == set(done)
    assert all(rows[i]["status"] == "ok" for i in rows if i not in done)
    for stem, stamp in stamps.items():
        assert (out / f"{stem}.json").stat().st_mtime_ns == stamp  # not redone
    assert not list(out.glob(".*.tmp"))


def test_check_many_is_lazy_and_a_process_pool_gives_the_same_findings(tmp_path):
    archive = make_archive(tmp_path / "in", 3)
    articles = pair_folders(archive / "it", archive / "en")
    results = check_many(articles, lm="none")
    first = next(results)  # a generator: the first report comes before the others are checked
    assert first.status == "ok" and first.report is not None
    rest = list(results)
    serial = {r.article.id: [(p.index, f.check, f.start, f.end) for p, f in r.report.findings] for r in [first, *rest]}
    pooled = {r.article.id: [(p.index, f.check, f.start, f.end) for p, f in r.report.findings]
              for r in check_many([(a.source, a.translation) for a in articles], workers=2, lm="none")}
    assert pooled == serial
    bad = list(check_many([Article("missing", tmp_path / "nope.txt", tmp_path / "nope-en.txt")], lm="none"))
    assert bad[0].status == "error" and "no such file" in bad[0].reason


def test_a_real_local_dask_cluster_gives_identical_findings(tmp_path):
    distributed = pytest.importorskip("distributed")
    archive = make_archive(tmp_path / "in", 4)
    local = tmp_path / "local"
    assert tq("check", str(archive / "it"), str(archive / "en"), "-o", str(local), "--format", "json", "--lm", "none").returncode == 0
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None) as cluster:
        on_dask = tmp_path / "dask"
        result = tq("check", str(archive / "it"), str(archive / "en"), "-o", str(on_dask), "--format", "json", "--lm", "none",
                    "--scheduler", cluster.scheduler_address)
        assert result.returncode == 0, result.stderr
        with distributed.Client(cluster) as client:
            assert len(client.scheduler_info()["workers"]) == 2
    for report in sorted(local.glob("a*.json")):
        assert findings(report) == findings(on_dask / report.name)
    unreachable = tq("check", str(archive / "it"), str(archive / "en"), "-o", str(tmp_path / "x"), "--lm", "none",
                     "--scheduler", "tcp://127.0.0.1:9")
    assert unreachable.returncode == 2 and unreachable.stderr.count("\n") == 1


def test_batch_usage_errors_are_one_line(tmp_path):
    archive = make_archive(tmp_path / "in", 1)
    no_output = tq("check", str(archive / "it"), str(archive / "en"))
    assert no_output.returncode == 2 and "-o FOLDER" in no_output.stderr
    inside = tq("check", str(archive / "it"), str(archive / "en"), "-o", str(archive / "it" / "reports"))
    assert inside.returncode == 2 and "inside an input folder" in inside.stderr
    jobs_alone = tq("check", str(archive / "it" / "a00.txt"), str(archive / "en" / "a00.txt"), "--jobs", "2")
    assert jobs_alone.returncode == 2 and "many articles" in jobs_alone.stderr
