"""``tq bench batch``: articles per minute of ``tq check`` over a whole archive (issue 15).

A newsroom archive is built from real articles (:func:`build_archive`: NTREX-128 and FLORES-101 documents,
Italian source in ``it/``, English translation in ``en/``, paired by file name, written as paragraphs) and
checked by the batch command line in fresh processes, each into a fresh output folder: with 1 and 2 local
workers, with 1 and 2 workers of a local Dask cluster, and once more into the same folder as the 2-worker
run, when every article is unchanged and skipped. Each run's ``summary.json`` must list every article and
every run's per-article findings (check, severity, start, end, text of each pair) must be the same; a run
that differs is reported, not hidden.

How it scales on paper to N machines. Nothing is shared between workers but the input bytes sent to each
(about 1 kB per article here) and the result returned (one report object; the parent renders and writes it).
Per worker is a fixed cost paid once: a fresh interpreter, the imports and the sentence encoder, about 0.8-1 s
and 225-235 MB resident (``one article with plain tq check`` in the caption); a worker process is at 250-300 MB
after its first articles (``proc MB``). Checking an article with --lm none --mt none is ~70 ms of one core (sum
of the in-process per-article seconds: 28.5 s for 400 articles, 3,000 sentences); the parent's own share (read,
hash, render the JSON report, write atomically) is ~5 ms per article, so W workers fed by one parent top out
near W = 14 before the parent is the bottleneck; with the LM on (seconds per article) that is hundreds. So with
W workers, time ~ load + articles/W x 70 ms + articles x 5 ms: the load is amortised over articles/W each, and
the speed-up nears W once each worker has more than a few dozen articles (measured on 2 shared cores, 400
articles: 1.81x local, 1.75x Dask, each worker on one thread). Two fixed costs matter on small runs: a local
Dask cluster takes ~2 s to start (scheduler, nanny, worker interpreter), and Dask adds ~15-25 ms per article here
(likely its scheduler sharing the parent's interpreter with the rendering); across machines that becomes a network round
trip per task, still small against an article checked with the models on. Each worker's models default to every
free CPU, so W workers on C cores run W x C threads; ``TQ_THREADS=1`` per worker is measured in its own rows
(local x2 was 1.2-2x faster with it, across runs on 2 cores). Memory grows with workers (one encoder each), and per process by about
0.3 MB per article checked (288 -> 427 MB in-process from 50 to 400 articles).
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import tempfile
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

from rich.console import Console
from rich.table import Table

from . import find_data
from .docs import Document, documents
from ..types import TqError

SENTENCES_PER_PARAGRAPH = 3
SOURCE_MD = """# Where these articles come from

Real articles, Italian source in `it/`, English translation in `en/` (paired by file name), written by
`tq bench batch` (`tq.bench.batch.build_archive`) for timing batch runs of `tq check`.

- NTREX-128 (`ntrex-*`): news test set of WMT 2019, English original and its professional Italian
  translation; Microsoft, licensed CC BY-SA 4.0. https://github.com/MicrosoftTranslator/NTREX
- FLORES-101 devtest (`flores-*`): Wikinews, Wikijunior and Wikivoyage sentences with human translations;
  Meta AI, licensed CC BY-SA 4.0. https://github.com/facebookresearch/flores

Changes: sentences of each document joined into paragraphs of {per} sentences. Shared under the same
licence (CC BY-SA 4.0).
"""


def safe_id(corpus: str, doc_id: str) -> str:
    """A file name for a document: NTREX ids as they are, FLORES URLs by their last part; corpus as a prefix."""
    tail = doc_id.rstrip("/").rsplit("/", 1)[-1] if corpus == "FLORES" else doc_id
    tail = re.sub(r"[^A-Za-z0-9._-]+", "-", tail).strip("-.") or "doc"
    return f"{corpus.lower()}-{tail}"


def select(docs: list[Document], count: int) -> list[Document]:
    """``count`` documents, alternating NTREX and FLORES in sorted id order (the rest of one corpus once the
    other runs out), so the selection is fixed and mixes long news with short wiki articles."""
    by_corpus = [sorted((d for d in docs if d.corpus == c), key=lambda d: d.id) for c in ("NTREX", "FLORES")]
    chosen: list[Document] = []
    for index in range(max((len(c) for c in by_corpus), default=0)):
        for corpus in by_corpus:
            if index < len(corpus) and len(chosen) < count:
                chosen.append(corpus[index])
    return chosen


def paragraphs(sentences: list[str], per: int = SENTENCES_PER_PARAGRAPH) -> str:
    """Sentences joined with spaces into paragraphs of ``per``, a blank line between them, as an article file
    looks (the pipeline segments whole text, so no line is a sentence)."""
    blocks = [" ".join(s.strip() for s in sentences[i:i + per] if s.strip()) for i in range(0, len(sentences), per)]
    return "\n\n".join(b for b in blocks if b) + "\n"


def write_archive(docs: list[Document], folder: Path) -> list[str]:
    """Write ``folder/it/<id>.txt`` and ``folder/en/<id>.txt`` for each document and ``SOURCE.md``; the ids, in order."""
    (folder / "it").mkdir(parents=True, exist_ok=True)
    (folder / "en").mkdir(parents=True, exist_ok=True)
    ids: list[str] = []
    for doc in docs:
        name = base = safe_id(doc.corpus, doc.id)
        suffix = 2
        while name in ids:  # two URLs with the same last part
            name, suffix = f"{base}-{suffix}", suffix + 1
        (folder / "it" / f"{name}.txt").write_text(paragraphs(doc.source), "utf-8")
        (folder / "en" / f"{name}.txt").write_text(paragraphs(doc.target), "utf-8")
        ids.append(name)
    (folder / "SOURCE.md").write_text(SOURCE_MD.format(per=SENTENCES_PER_PARAGRAPH), "utf-8")
    return ids


def build_archive(data: Path, folder: Path, count: int = 50) -> list[str]:
    """An archive of ``count`` real articles from NTREX and FLORES under ``folder`` (see :func:`write_archive`)."""
    return write_archive(select(documents(data), count), folder)


@dataclass
class Run:
    name: str
    jobs: int
    scheduler: str
    out: str
    seconds: float = 0.0
    status: int = 0
    peak_tree_mb: float = 0.0       # sum of RSS over the process tree, sampled (shared pages counted per process)
    peak_process_mb: float = 0.0    # largest single process, sampled
    processes: int = 0              # most processes seen in the tree at once
    listed: int = 0                 # articles in summary.json
    statuses: dict = field(default_factory=dict)
    same_findings: bool | None = None
    error: str = ""
    rerun: bool = False             # into the output folder of an earlier run: every article unchanged
    env: dict = field(default_factory=dict)  # extra environment of the run (TQ_THREADS=1: one model thread per worker)


def _timed(command: list[str], cwd: Path, timeout: float, interval: float = 0.2,
           env: dict | None = None) -> tuple[float, int, float, float, int, str]:
    """(seconds, exit status, peak tree RSS MB, peak single-process RSS MB, most processes, stderr tail) of a command;
    memory by sampling the process tree with psutil every ``interval`` s (cheap; misses peaks shorter than that)."""
    import psutil

    with tempfile.TemporaryFile() as stderr:
        begin = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=stderr,
                                   env={**os.environ, **env} if env else None)
        tree_peak = single_peak = 0.0
        most = 0
        try:
            root = psutil.Process(process.pid)
            while process.poll() is None:
                if time.perf_counter() - begin > timeout:
                    process.kill()
                    break
                try:
                    members = [root, *root.children(recursive=True)]
                except psutil.Error:
                    members = []
                sizes = []
                for member in members:
                    try:
                        sizes.append(member.memory_info().rss / 2**20)
                    except psutil.Error:
                        pass
                if sizes:
                    tree_peak, single_peak, most = max(tree_peak, sum(sizes)), max(single_peak, max(sizes)), max(most, len(sizes))
                time.sleep(interval)
        except psutil.Error:
            pass
        status = process.wait()
        seconds = time.perf_counter() - begin
        stderr.seek(0)
        lines = stderr.read().decode("utf-8", "replace").strip().splitlines()
    return seconds, status, tree_peak, single_peak, most, lines[-1] if lines else ""


def summary_articles(out: Path) -> list[dict]:
    """The article rows of ``out/summary.json`` (schema tq.batch: a dict holding them under 'rows')."""
    payload = json.loads((out / "summary.json").read_text("utf-8"))
    rows = payload.get("rows", []) if isinstance(payload, dict) else payload
    return [row for row in rows if isinstance(row, dict)] if isinstance(rows, list) else []


def findings_of(out: Path, ids: list[str]) -> dict[str, list[tuple] | None]:
    """Per article: (pair, check, severity, start, end, text) of each finding in its JSON report (None when missing)."""
    found: dict[str, list[tuple] | None] = {}
    for article in ids:
        path = out / f"{article}.json"
        if not path.exists():
            found[article] = None
            continue
        report = json.loads(path.read_text("utf-8"))
        found[article] = [(pair["index"], f["check"], f["severity"], f["start"], f["end"], f["text"])
                          for pair in report.get("pairs", []) for f in pair.get("findings", [])]
    return found


def measure(folder: Path, ids: list[str], jobs_list: tuple[int, ...], console: Console, timeout: float = 1200) -> list[Run]:
    """Time each run of the batch command line on ``folder``; the first run's findings are the reference."""
    from .speed import _tq

    base = [*_tq(), "check", "it", "en", "--format", "json", "--lm", "none", "--mt", "none"]
    plans = [Run(f"local ×{n}", n, "local", f"out-local-{n}") for n in jobs_list]
    plans += [Run(f"dask ×{n}", n, "dask", f"out-dask-{n}") for n in jobs_list]
    most = max(jobs_list)
    if most > 1:  # each worker's models default to every free CPU: W workers oversubscribe the cores W-fold
        plans += [Run(f"{kind} ×{most}, TQ_THREADS=1", most, kind, f"out-{kind}-{most}-t1", env={"TQ_THREADS": "1"})
                  for kind in ("local", "dask")]
    plans.append(Run(f"re-run local ×{most}, unchanged", most, "local", f"out-local-{most}", rerun=True))
    runs: list[Run] = []
    reference: dict[str, list[tuple] | None] | None = None
    for run in plans:
        command = [*base, "-o", run.out, "--jobs", str(run.jobs), *(["--scheduler", "dask"] if run.scheduler == "dask" else [])]
        with console.status(f"{run.name}: {' '.join(command[len(_tq()):])}"):
            run.seconds, run.status, run.peak_tree_mb, run.peak_process_mb, run.processes, last = _timed(command, folder, timeout,
                                                                                                          env=run.env)
        out = folder / run.out
        try:
            rows = summary_articles(out)
            run.listed = len(rows)
            run.statuses = dict(Counter(str(r.get("status")) for r in rows))
        except (OSError, ValueError) as exc:
            run.error = f"summary.json: {exc}"
        found = findings_of(out, ids)
        if any(v is None for v in found.values()):
            run.error = run.error or f"{sum(v is None for v in found.values())} reports missing"
        elif reference is None:
            reference, run.same_findings = found, True
        else:
            run.same_findings = found == reference
            if not run.same_findings:
                differ = [a for a in ids if found[a] != reference[a]]
                run.error = f"findings differ in {len(differ)} articles, e.g. {differ[0]}"
        if run.status != 0:
            run.error = f"exit {run.status}: {last}" + (f"; {run.error}" if run.error else "")
        runs.append(run)
    return runs


def one_article(folder: Path, article: str) -> tuple[float, float]:
    """(seconds, peak MB) of a plain ``tq check`` of one article: the fixed cost a worker pays once."""
    from .speed import _child, _tq

    command = [*_tq(), "check", f"it/{article}.txt", f"en/{article}.txt", "--format", "json", "--lm", "none", "--mt", "none",
               "-o", "one-article.json"]
    seconds, peak, status, last = _child(command, cwd=folder, timeout=300)
    if status != 0:
        raise RuntimeError(f"tq check of one article failed: {last}")
    return seconds, peak


def run_batch_bench(data_dir: str | None, count: int, jobs_list: tuple[int, ...], json_path: str | None = None) -> int:
    console = Console()
    data = find_data(data_dir)
    if data is None:
        console.print("tq bench batch: skipped, no ../shared/data found; pass --data DIR")
        return 0
    try:
        import distributed  # noqa: F401 - the Dask rows; psutil (memory sampling) comes with it
        import psutil  # noqa: F401
    except ImportError:
        raise TqError("tq bench batch needs Dask and psutil: pip install 'tq[batch]'") from None
    from .speed import _machine

    before = _machine()
    with tempfile.TemporaryDirectory(prefix="tq-bench-batch-") as tmp:
        folder = Path(tmp)
        chosen = select(documents(data), count)
        ids = write_archive(chosen, folder)
        sentences = sum(len(d.source) for d in chosen)
        kb = sum(p.stat().st_size for p in (folder / "it").glob("*.txt")) / 1024
        one_seconds, one_mb = one_article(folder, ids[0])
        runs = measure(folder, ids, jobs_list, console)
    after = _machine()
    first = {r.scheduler: r for r in runs if r.jobs == min(jobs_list) and not r.rerun and not r.env}
    table = Table(title=f"tq bench batch: tq check over {len(ids)} real articles (NTREX + FLORES, {sentences} Italian "
                        f"sentences, {kb:.0f} kB), --lm none --mt none, a fresh process and output folder per run",
                  title_justify="left", caption=f"before: {before}\nafter:  {after}\none article with plain tq check "
                                                 f"(start-up + encoder + check): {one_seconds:.2f} s, peak {one_mb:.0f} MB\n"
                                                 f"speed-up: against 1 worker of the same scheduler; the re-run against "
                                                 f"its first run; MB: resident, sampled every 0.2 s, tree = sum over processes",
                  caption_justify="left")
    for column in ("run", "s", "art/min", "speed-up", "tree MB", "proc MB", "procs", "summary.json", "findings"):
        table.add_column(column, justify="left" if column in ("run", "summary.json", "findings") else "right")
    for run in runs:
        base = next((r for r in runs if r.out == run.out and not r.rerun), None) if run.rerun else first.get(run.scheduler)
        speedup = base.seconds / run.seconds if base and run.seconds else float("nan")
        statuses = ", ".join(f"{v} {k}" for k, v in sorted(run.statuses.items())) or "-"
        summary = f"{run.listed}/{len(ids)}" + (" ✓" if run.listed == len(ids) else " ✗") + f" ({statuses})"
        same = "-" if run.same_findings is None else ("reference" if run is runs[0] else "same ✓" if run.same_findings else "differ ✗")
        table.add_row(run.name, f"{run.seconds:.1f}", f"{len(ids) * 60 / run.seconds:.0f}", f"{speedup:.2f}×",
                      f"{run.peak_tree_mb:.0f}", f"{run.peak_process_mb:.0f}", str(run.processes), summary, same)
    console.print(table)
    for run in runs:
        if run.error:
            console.print(f"[red]{run.name}: {run.error}[/red]")
    if json_path:
        Path(json_path).write_text(json.dumps({
            "machine_before": before, "machine_after": after, "articles": len(ids), "ids": ids, "sentences": sentences,
            "kb": round(kb, 1), "one_article": {"seconds": one_seconds, "peak_mb": one_mb},
            "runs": [{**asdict(r), "articles_per_minute": len(ids) * 60 / r.seconds if r.seconds else None} for r in runs]},
            indent=1), "utf-8")
    ok = all(r.status == 0 and r.listed == len(ids) and r.same_findings for r in runs)
    return 0 if ok else 1
