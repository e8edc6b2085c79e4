"""``tq bench``: the speed and memory a user sees, each next to its aim (medians of repeats).

Rows: the first ``make demo`` on a fresh clone (a cold pip cache, an empty tq
cache, ``CC=false CXX=false`` so nothing can compile); the demo article from
the shell without and with the LM, the latter again beside a CPU-bound
process; ``tq.check_pairs`` warm on FLORES devtest without and with the LM;
the peak memory of the demo with the LM; one sentence of 3,000 and of 30,000 words with the LM (seconds,
their ratio, peak memory: ``run_long_sentence_bench`` runs these alone); and the fluency check's AUCs. The
machine's CPUs and load are printed with them: on a shared machine the figures
mean little without. Reads FLORES from ``../shared/data`` and skips cleanly
without it.
"""
from __future__ import annotations

import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from rich.console import Console
from rich.table import Table

from . import DEMO, REPO, find_data
from .errorsuite import load_pairs

FRESH_DEMO_TIMEOUT = 900


@dataclass
class Row:
    measure: str
    value: float | None  # None: not measured (the detail says why)
    unit: str
    aim: tuple[str, float] | None  # ("<=", 1.5) or (">=", 250)
    detail: str = ""

    @property
    def met(self) -> bool | None:
        """Compared as printed (an AUC to 3 decimals, a time to 0.1 s): an aim quoted at that precision."""
        if self.value is None or self.aim is None:
            return None
        op, bound = self.aim
        value = float(self.shown.split()[0])
        return value <= bound if op == "<=" else value >= bound

    @property
    def shown(self) -> str:
        if self.value is None:
            return "—"
        return f"{self.value:.3f}" if self.unit == "AUC" else f"{self.value:.{1 if self.value < 100 else 0}f} {self.unit}"

    def cells(self) -> list[str]:
        aim = "" if self.aim is None else f"{self.aim[0].replace('<=', '≤').replace('>=', '≥')} {self.aim[1]:g}"
        return [self.measure, self.shown, aim, {True: "✓", False: "✗", None: ""}[self.met], self.detail]


def _machine() -> str:
    """CPUs, the vector extensions that matter to the kernels, and the load average."""
    from ..threads import available_cpus, busy_cpus

    model, flags = "", set[str]()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name") and not model:
                model = line.split(":", 1)[1].strip()
            elif line.startswith("flags") and not flags:
                flags = set(line.split(":", 1)[1].split())
    except OSError:
        pass
    vector = "/".join(f for f in ("avx2", "avx512f", "avx512_vnni", "avx_vnni") if f in flags) or "no AVX2"
    load = os.getloadavg() if hasattr(os, "getloadavg") else (0.0, 0.0, 0.0)
    return (f"{available_cpus()} CPUs ({model or 'unknown'}, {vector}); load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}, "
            f"{busy_cpus()} busy with other processes")


def _child(command: list[str], env: dict | None = None, cwd: Path | None = None, timeout: float | None = None) -> tuple[float, float, int, str]:
    """(seconds, peak resident memory in MB, exit status, last line of stderr) of a command run to completion."""
    begin = time.perf_counter()
    with tempfile.TemporaryFile() as stderr:
        process = subprocess.Popen(command, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=stderr)
        try:
            _, status, usage = os.wait4(process.pid, 0) if timeout is None else _wait4(process, timeout)
        finally:
            if process.poll() is None:
                process.kill()
        elapsed = time.perf_counter() - begin
        process.returncode = os.waitstatus_to_exitcode(status)
        stderr.seek(0)
        lines = stderr.read().decode("utf-8", "replace").strip().splitlines()
    return elapsed, usage.ru_maxrss / 1024, process.returncode, lines[-1] if lines else ""


def _wait4(process: subprocess.Popen, timeout: float):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            return pid, status, usage
        time.sleep(0.2)
    process.kill()
    return os.wait4(process.pid, 0)


def _tq() -> list[str]:
    """The tq command of this environment (the console script beside this Python, else the module)."""
    script = Path(sys.executable).with_name("tq")
    return [str(script)] if script.exists() else [sys.executable, "-c", "from tq.cli import main; main()"]


def _demo(lm: str | None) -> list[str]:
    return [*_tq(), "check", str(DEMO / "it.txt"), str(DEMO / "en.txt"), "--format", "json", "-o", os.devnull,
            *(["--lm", lm] if lm else [])]


def _runs(command: list[str], repeats: int) -> tuple[list[float], float]:
    """Seconds of each run, and the largest peak memory (MB), of ``repeats`` runs of a command that must succeed."""
    seconds, peak = [], 0.0
    for _ in range(repeats):
        elapsed, memory, status, last = _child(command)
        if status != 0:
            raise RuntimeError(f"{' '.join(command)} failed: {last}")
        seconds.append(elapsed)
        peak = max(peak, memory)
    return seconds, peak


def fresh_demo() -> Row:
    """Time ``make demo`` in a fresh clone of this checkout's HEAD, as a new user's first run."""
    measure, aim = "first `make demo` on a fresh clone", ("<=", 120.0)
    head = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    if head.returncode != 0:
        return Row(measure, None, "s", aim, "skipped: not a git checkout")
    with tempfile.TemporaryDirectory(prefix="tq-bench-fresh-") as folder:
        clone = Path(folder) / "tq"
        subprocess.run(["git", "clone", "--quiet", str(REPO), str(clone)], check=True)
        # a new user's machine: no pip or tq cache, and no C/C++ compiler for any Python package
        env = {**os.environ, "PIP_CACHE_DIR": str(Path(folder) / "pip-cache"), "TQ_CACHE_DIR": str(Path(folder) / "tq-cache"),
               "CC": "false", "CXX": "false"}
        env.pop("VIRTUAL_ENV", None)
        elapsed, _, status, last = _child(["make", "demo"], env=env, cwd=clone, timeout=FRESH_DEMO_TIMEOUT)
    if status != 0:
        return Row(measure, None, "s", aim, f"failed (exit {status}): {last}")
    return Row(measure, elapsed, "s", aim, f"HEAD {head.stdout.strip()}: venv, wheels downloaded, LM converted, demo checked; CC=false CXX=false")


def measure(data: Path, repeats: int, with_fresh_demo: bool, console: Console) -> list[Row]:
    import tq
    from tq.models import describe, get_encoder, get_lm, resolve

    from .fluency import BASELINE_AUC, KINDS, measure_fluency

    rows = [fresh_demo() if with_fresh_demo else Row("first `make demo` on a fresh clone", None, "s", ("<=", 120.0), "skipped (--no-fresh-demo)")]
    console.print(f"[dim]{rows[-1].measure}: {rows[-1].shown}[/dim]")
    # one untimed run prepares tq's cache (the LM's conversion is the fresh clone's row above); the shell runs
    # come before this process loads any model, as a child's peak memory counts the parent's at fork time
    _child(_demo(None))
    embedded, _ = _runs(_demo("none"), repeats)
    rows.append(Row("demo article from the shell, embedded checks (--lm none)", statistics.median(embedded), "s", ("<=", 1.5),
                    f"tq check it.txt en.txt, new process each time; runs {', '.join(f'{s:.2f}' for s in embedded)}"))
    spec = resolve("lm")
    available = describe("lm")["available"]
    if not available:
        rows.append(Row("the LM", None, "", None, f"not available: {describe('lm')['detail']}"))
    else:
        idle, peak = _runs(_demo(None), repeats)
        rows.append(Row("demo article from the shell, default (with the LM)", statistics.median(idle), "s", ("<=", 4.0),
                        f"LM {spec}; runs {', '.join(f'{s:.2f}' for s in idle)}"))
        busy = subprocess.Popen([sys.executable, "-c", "while True: pass"])
        try:
            loaded, _ = _runs(_demo(None), repeats)
        finally:
            busy.kill()
            busy.wait()
        rows.append(Row("  … beside one other CPU-bound process", statistics.median(loaded), "s",
                        ("<=", round(2 * statistics.median(idle), 2)),
                        f"aim: 2x the idle median; {statistics.median(loaded) / statistics.median(idle):.2f}x; "
                        f"runs {', '.join(f'{s:.2f}' for s in loaded)}"))
        rows.append(Row("peak memory, demo with the LM", peak, "MB", ("<=", 1000.0), "largest resident set of those runs"))
    # before this process loads a model too (see above); once each: the 30,000 words take about half a minute
    rows += long_sentence_rows(data, 1, console)

    flores = load_pairs(data, ("FLORES",))
    sources, targets = [p.source for p in flores], [p.reference for p in flores]
    encoder = get_encoder()
    tq.check_pairs(sources[:20], targets[:20], lm="none", mt="none")  # warm: models loaded once, as in a long run

    def timed(function) -> float:
        times = []
        for _ in range(repeats):
            encoder.forget()  # every repeat encodes its sentences from scratch
            begin = time.perf_counter()
            function()
            times.append(time.perf_counter() - begin)
        return statistics.median(times)

    # the word map's single words come from the persistent store (tq.models.encoder) once a run has put them there:
    # both figures, without it (a first run, or TQ_WORD_STORE=off) and with it filled by the repeats before
    stores, encoder.store_words = encoder.store_words, False
    cold = timed(lambda: tq.check_pairs(sources, targets, lm="none", mt="none"))
    encoder.store_words = stores
    rows.append(Row("tq.check_pairs warm, embedded, no stored word vectors", len(sources) / cold, "pairs/s", (">=", 250.0),
                    f"{len(sources)} FLORES devtest pairs in {cold:.2f} s; every word encoded (TQ_WORD_STORE=off)"))
    seconds = timed(lambda: tq.check_pairs(sources, targets, lm="none", mt="none"))
    rows.append(Row("tq.check_pairs warm, embedded", len(sources) / seconds, "pairs/s", (">=", 250.0),
                    f"{len(sources)} FLORES devtest pairs in {seconds:.2f} s; words' vectors from the store once a run put them there"))
    if available:
        lm = get_lm(spec)
        n = 200
        seconds = timed(lambda: tq.check_pairs(sources[:n], targets[:n], mt="none"))
        rows.append(Row("tq.check_pairs warm, with the LM", n / seconds, "pairs/s", (">=", 12.0), f"{n} FLORES devtest pairs in {seconds:.2f} s"))
        fluency = measure_fluency(lm, data)
        for kind in KINDS:
            rows.append(Row(f"fluency AUC, {kind}", fluency.aucs[kind], "AUC", (">=", BASELINE_AUC[kind]),
                            "200 FLORES sentences, seed 13; aim: llama.cpp's at 472f800"))
    return rows


def run_bench(data_dir: str | None, repeats: int, with_fresh_demo: bool, json_path: str | None = None) -> int:
    console = Console()
    data = find_data(data_dir)
    if data is None:
        console.print("tq bench: skipped, no ../shared/data (FLORES) found; pass --data DIR")
        return 0
    before = _machine()
    rows = measure(data, repeats, with_fresh_demo, console)
    after = _machine()
    print_rows(console, f"tq bench (medians of {repeats})", rows, before, after, json_path, {"repeats": repeats})
    return 0


def print_rows(console: Console, title: str, rows: list[Row], before: str, after: str, json_path: str | None,
               extra: dict | None = None) -> None:
    """The rows as a table with the machine's load before and after; also as JSON (with ``extra``) to ``json_path``."""
    table = Table(title=title, title_justify="left", caption=f"before: {before}\nafter:  {after}", caption_justify="left")
    for column in ("measure", "value", "aim", "", "detail"):
        table.add_column(column)
    for row in rows:
        table.add_row(*row.cells())
    console.print(table)
    if json_path:
        Path(json_path).write_text(json.dumps({"machine_before": before, "machine_after": after, **(extra or {}),
                                               "rows": [{**asdict(r), "met": r.met} for r in rows]}, indent=1), "utf-8")


# -- one over-long sentence ---------------------------------------------------------------------------------------

# A user's report: one sentence of 30,000 words (an OCR dump, a pasted table) ran over 5 minutes and took 1.7 GB
# with the LM, 3,000 words 10.5 s. Linear cost makes the longer 10x the shorter (the square: 100x).
LONG_SENTENCE_WORDS = (3_000, 30_000)
LONG_SENTENCE_RATIO = 12.0     # aim: 30,000 words cost at most this many times 3,000 (10x is linear, plus noise)
LONG_SENTENCE_SECONDS = 60.0   # aim for 30,000 words with the LM on two cores
LONG_SENTENCE_MEMORY = 1000.0  # MB: as the demo's aim, however long the sentence
LONG_SENTENCE_TIMEOUT = 900    # s: a run gone quadratic again is stopped and reported, not waited for
_FINAL_STOP = re.compile(r"[.!?…]+(?=[\"'»”’)\]]*$)")
_STOPS = ".!?…"


def one_sentence(text: str, language: str) -> str:
    """``text`` as ONE sentence, as an OCR dump or a text that lost its stops reads: every sentence's final stop
    becomes a comma (one without gets a comma), line breaks and blank lines become spaces. Where the segmenter
    still ends a sentence (inside a quotation), the last stop before that end becomes a comma too."""
    from ..segment import segment
    from ..types import Document

    parts = []
    for sentence in segment(Document(text, language), max_words=0):
        flat = " ".join(sentence.text.split())
        parts.append(_FINAL_STOP.sub(",", flat, count=1) if _FINAL_STOP.search(flat) else flat + ",")
    joined = " ".join(parts).rstrip(",") + "."
    for _ in range(10):
        found = segment(Document(joined, language), max_words=0)
        if len(found) <= 1:
            return joined
        chars = list(joined)
        for sentence in found[:-1]:
            stops = [k for k in range(sentence.start, sentence.end) if chars[k] in _STOPS]
            if stops:
                chars[stops[-1]] = ","
        joined = "".join(chars)
    raise ValueError("could not make the text one sentence")


def parallel_units(data: Path | None) -> list[tuple[str, str]]:
    """Italian and English texts that translate each other, in order: FLORES devtest then NTREX lines (64,000
    English words, none repeated), or without ``data`` the demo article whole."""
    if data is None:
        return [((DEMO / "it.txt").read_text("utf-8"), (DEMO / "en.txt").read_text("utf-8"))]
    units: list[tuple[str, str]] = []
    for italian, english in (("flores/devtest.it", "flores/devtest.en"), ("ntrex/newstest2019.it", "ntrex/newstest2019.en")):
        if (data / italian).exists() and (data / english).exists():
            units += zip((data / italian).read_text("utf-8").splitlines(), (data / english).read_text("utf-8").splitlines())
    return units or parallel_units(None)


def long_sentence_pair(words: int, data: Path | None = None) -> tuple[str, str]:
    """An Italian source and its English translation, each ONE sentence (``one_sentence``) of about ``words``
    English words, from ``parallel_units`` (repeated when they run out)."""
    units = parallel_units(data)
    source: list[str] = []
    target: list[str] = []
    count = 0
    while count < words:
        for italian, english in units:
            if count >= words:
                break
            source.append(italian)
            target.append(english)
            count += len(english.split())
    return one_sentence("\n\n".join(source), "it"), one_sentence("\n\n".join(target), "en")


def long_sentence_rows(data: Path | None, repeats: int, console: Console | None = None) -> list[Row]:
    """`tq check` (default LM, no MT) on one-sentence inputs of ``LONG_SENTENCE_WORDS``, each in a new process:
    the seconds of each, their ratio, and the longest's peak memory, against their aims."""
    from tq.models import describe

    lm = describe("lm")
    origin = f"FLORES+NTREX ({data})" if data is not None else "the demo article, repeated"
    seconds: dict[int, list[float]] = {}
    peaks: dict[int, float] = {}
    failures: dict[int, str] = {}
    with tempfile.TemporaryDirectory(prefix="tq-bench-long-") as folder:
        commands = {}
        for words in LONG_SENTENCE_WORDS:
            source, target = long_sentence_pair(words, data)
            paths = Path(folder) / f"it-{words}.txt", Path(folder) / f"en-{words}.txt"
            paths[0].write_text(source, "utf-8")
            paths[1].write_text(target, "utf-8")
            commands[words] = [*_tq(), "check", str(paths[0]), str(paths[1]), "--format", "json", "-o", os.devnull,
                               "--mt", "none", "--fail-on", "never"]
        _child(_demo(None))  # untimed: tq's cache (the LM's conversion) is ready before the first timed run
        for words in LONG_SENTENCE_WORDS:
            for _ in range(repeats):
                elapsed, memory, status, last = _child(commands[words], timeout=LONG_SENTENCE_TIMEOUT)
                if status != 0:
                    failures[words] = f"failed (exit {status}) after {elapsed:.0f} s: {last}"
                    break
                seconds.setdefault(words, []).append(elapsed)
                peaks[words] = max(peaks.get(words, 0.0), memory)
            if console is not None:
                console.print(f"[dim]one {words:,}-word sentence: {', '.join(f'{s:.1f} s' for s in seconds.get(words, []))}"
                              f"{' ' + failures[words] if words in failures else ''}[/dim]")
    short, long = LONG_SENTENCE_WORDS
    detail = f"tq check --mt none, LM {'on' if lm['available'] else 'unavailable: ' + str(lm['detail'])}; {origin}; new process each"
    rows = []
    for words in LONG_SENTENCE_WORDS:
        value = statistics.median(seconds[words]) if words in seconds and words not in failures else None
        runs = ", ".join(f"{s:.1f}" for s in seconds.get(words, []))
        rows.append(Row(f"one {words:,}-word sentence from the shell, with the LM", value, "s",
                        ("<=", LONG_SENTENCE_SECONDS) if words == long else None,
                        failures.get(words, f"{detail}; runs {runs}; peak {peaks.get(words, 0):.0f} MB")))
    ratio = rows[1].value / rows[0].value if rows[0].value and rows[1].value else None
    rows.append(Row(f"  … {long:,} / {short:,} words", ratio, "x", ("<=", LONG_SENTENCE_RATIO),
                    f"linear: {long / short:g}x, the square: {(long / short) ** 2:g}x"))
    rows.append(Row(f"peak memory, one {long:,}-word sentence with the LM", peaks.get(long) if long not in failures else None,
                    "MB", ("<=", LONG_SENTENCE_MEMORY), "largest resident set of those runs"))
    return rows


def run_long_sentence_bench(json_path: str | None = None, data_dir: str | None = None, repeats: int = 1) -> int:
    """The one-sentence rows of ``tq bench`` alone (a few minutes): FLORES+NTREX text where ../shared/data is,
    else the demo article repeated."""
    console = Console()
    before = _machine()
    rows = long_sentence_rows(find_data(data_dir), repeats, console)
    after = _machine()
    print_rows(console, f"tq bench: one over-long sentence (medians of {repeats})", rows, before, after, json_path, {"repeats": repeats})
    return 0
