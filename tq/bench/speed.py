"""``tq bench``: the speed and memory a user sees, each next to its aim (medians of repeats).

Rows: the first ``make demo`` on a fresh clone (a cold pip cache, an empty tq
cache, ``CC=false CXX=false`` so nothing can compile); the demo article from
the shell without and with the LM, the latter again beside a CPU-bound
process; ``tq.check_pairs`` warm on FLORES devtest without and with the LM;
the peak memory of the demo with the LM; and the fluency check's AUCs. The
machine's CPUs and load are printed with them: on a shared machine the figures
mean little without. Reads FLORES from ``../shared/data`` and skips cleanly
without it.
"""
from __future__ import annotations

import json
import os
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

    model, flags = "", set()
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

    flores = load_pairs(data, ("FLORES",))
    sources, targets = [p.source for p in flores], [p.reference for p in flores]
    encoder = get_encoder()
    tq.check_pairs(sources[:20], targets[:20], lm="none", mt="none")  # warm: models loaded once, as in a long run

    def timed(function) -> float:
        times = []
        for _ in range(repeats):
            encoder._cache.clear()  # every repeat encodes its sentences from scratch
            begin = time.perf_counter()
            function()
            times.append(time.perf_counter() - begin)
        return statistics.median(times)

    seconds = timed(lambda: tq.check_pairs(sources, targets, lm="none", mt="none"))
    rows.append(Row("tq.check_pairs warm, embedded", len(sources) / seconds, "pairs/s", (">=", 250.0),
                    f"{len(sources)} FLORES devtest pairs in {seconds:.2f} s"))
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
    table = Table(title=f"tq bench (medians of {repeats})", title_justify="left", caption=f"before: {before}\nafter:  {after}",
                  caption_justify="left")
    for column in ("measure", "value", "aim", "", "detail"):
        table.add_column(column)
    for row in rows:
        table.add_row(*row.cells())
    console.print(table)
    if json_path:
        Path(json_path).write_text(json.dumps({"machine_before": before, "machine_after": after, "repeats": repeats,
                                               "rows": [{**asdict(r), "met": r.met} for r in rows]}, indent=1), "utf-8")
    return 0
