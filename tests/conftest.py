"""Shared fixtures: the corpora and a runner for the command line as a subprocess."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPORA = ROOT / "corpora"
DEMO = CORPORA / "us-uk-putin-talks"
FLORES = CORPORA / "flores-sample"

# The CLI tests run without models (see _env); API results they are compared with use the same.
MODELS_OFF = {"lm": "none", "mt": "none"}

# ``tq/cli.py`` defines ``main()``; run it the way the console script does.
CLI = [sys.executable, "-c", "from tq.cli import main; main()"]
CLI_TIMEOUT = 120


@pytest.fixture(scope="session")
def corpus() -> Path:
    """The demo document: it.txt, en.txt, en.reference.txt, gold.json."""
    return DEMO


@pytest.fixture(scope="session")
def flores() -> Path:
    """Three FLORES-101 documents, one sentence per line: <n>.it.txt / <n>.en.txt."""
    return FLORES


def _run_tq(*args, cwd: Path | str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*CLI, *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        timeout=CLI_TIMEOUT,
        cwd=cwd or ROOT,
        env=_env(),
    )


def run_in_terminal(*args, cwd: Path | str | None = None) -> tuple[int, str]:
    """(exit status, everything written to the terminal) of tq run with a pseudo-terminal as stdout and stderr."""
    import os
    import pty

    primary, secondary = pty.openpty()
    env = {**_env(), "COLUMNS": "100", "TERM": "xterm"}
    env.pop("NO_COLOR", None)
    process = subprocess.Popen([*CLI, *map(str, args)], stdin=subprocess.DEVNULL, stdout=secondary, stderr=secondary,
                               cwd=cwd or ROOT, env=env)
    os.close(secondary)
    chunks = []
    while True:
        try:
            chunk = os.read(primary, 65536)
        except OSError:  # the terminal closed: the process has exited
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(primary)
    return process.wait(timeout=CLI_TIMEOUT), b"".join(chunks).decode("utf-8", "replace")


def _env() -> dict:
    import os

    env = dict(os.environ)
    env.pop("TQ_DEBUG", None)  # tracebacks must never reach users
    env["NO_COLOR"] = "1"
    # CLI tests exercise the command line, not the models: those have their own tests
    # (test_lm_gguf.py, test_models.py), which set these explicitly where they need them.
    env.setdefault("TQ_LM_MODEL", "none")
    env.setdefault("TQ_MT_MODEL", "none")
    env.setdefault("PYTHONIOENCODING", "utf-8")
    return env


@pytest.fixture(scope="session")
def run_tq():
    """``run_tq("check", a, b, "--format", "json")`` -> CompletedProcess (text output)."""
    return _run_tq


# Measurements that tests record and the run prints at the end (precision/recall on gold.json).
MEASURED: list[str] = []


@pytest.fixture(scope="session")
def record_measurement():
    return MEASURED.append


def pytest_terminal_summary(terminalreporter):
    if MEASURED:
        terminalreporter.section("tq measurements")
        for line in MEASURED:
            terminalreporter.write_line(line)
