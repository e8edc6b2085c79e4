"""``tq bench serve``: the service under a newsroom's load, against its aims.

A real `tq serve` (uvicorn, ``--workers N``) in a subprocess; ``clients`` threads post the demo article to
``/v1/check`` back to back for ``seconds``, while a probe times ``/healthz`` four times a second and the
server's memory (its process tree) is sampled every second. Then a burst larger than the queue shows 429s,
not time-outs. The same articles through ``tq.check_many`` in this process, with the same workers, give the
throughput the service is held to (at least 80 % of it). Rows: no 5xx, p50 and p95 latency, throughput and
its ratio, memory from the first third of the run to the last, the slowest /healthz, and the burst.
"""
from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

from rich.console import Console

from . import DEMO
from .speed import Row, _machine, print_rows

START_TIMEOUT = 300   # seconds for the workers to load their models on a busy machine
REQUEST_TIMEOUT = 300  # a client waits this long for one check (a time-out is a failure, never expected)
HEALTH_EVERY = 0.25    # seconds between /healthz probes
BURST_EXTRA = 8        # the burst is this many requests past every place (running and waiting) of every worker


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _tree_rss(pid: int) -> float:
    """Resident memory of a process and its children, MB (uvicorn's workers are children)."""
    import psutil

    try:
        root = psutil.Process(pid)
        return sum(p.memory_info().rss for p in [root, *root.children(recursive=True)]) / 1e6
    except psutil.Error:
        return float("nan")


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def _in_process_throughput(texts: tuple[str, str], articles: int, workers: int, lm: str | None, folder: Path) -> float:
    """Articles per second of tq.check_many over ``articles`` copies of the demo (after one warm-up article)."""
    import tq

    source, translation = folder / "it.txt", folder / "en.txt"
    source.write_text(texts[0], encoding="utf-8")
    translation.write_text(texts[1], encoding="utf-8")
    options = {"lm": lm} if lm else {}
    list(tq.check_many([(source, translation)], workers=1, **options))  # the models load here, not in the timing
    started = time.perf_counter()
    results = list(tq.check_many([(source, translation)] * articles, workers=workers, **options))
    elapsed = time.perf_counter() - started
    if any(r.report is None for r in results):
        raise RuntimeError(f"check_many could not check the demo: {[r.status for r in results]}")
    return articles / elapsed


def run_serve_bench(seconds: float = 60, clients: int = 8, workers: int = 1, queue: int = 8, lm: str | None = None,
                    json_path: str | None = None) -> int:
    import httpx

    console = Console(width=max(120, Console().width))
    texts = ((DEMO / "it.txt").read_text("utf-8"), (DEMO / "en.txt").read_text("utf-8"))
    body = {"source": texts[0], "translation": texts[1]}
    before = _machine()
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    import tempfile

    with tempfile.TemporaryDirectory(prefix="tq-bench-serve-") as folder:
        command = [sys.executable, "-c", "from tq.cli import main; main()", "serve", "--port", str(port), "--workers",
                   str(workers), "--queue", str(queue), "--data", folder, "--time-limit", str(REQUEST_TIMEOUT)]
        if lm:
            command += ["--lm", lm]
        log = open(Path(folder) / "server.log", "w")
        server = subprocess.Popen(command, stderr=log, env=dict(os.environ, PYTHONUNBUFFERED="1"))
        try:
            _wait_ready(httpx, url, server, workers)
            console.print(f"tq bench serve: {workers} worker(s), queue {queue}, {clients} clients for {seconds:g} s …")
            load = _load(httpx, url, body, seconds, clients, server.pid)
            burst = _burst(httpx, url, body, workers * (1 + queue) + BURST_EXTRA)
        finally:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
            log.close()
        console.print("tq bench serve: tq.check_many in process, the same workers …")
        articles = max(4, min(16, load["ok"]))
        baseline = _in_process_throughput(texts, articles, workers, lm, Path(folder))
    after = _machine()
    rows = _rows(load, burst, baseline, seconds)
    print_rows(console, f"tq bench serve ({clients} clients, {seconds:g} s, {workers} worker(s), queue {queue})", rows, before,
               after, json_path, {"load": load, "burst": burst, "in_process_per_s": baseline})
    return 0


def _wait_ready(httpx, url: str, server: subprocess.Popen, workers: int) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    ready = 0
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("tq serve exited before it was ready")
        try:
            ready = ready + 1 if httpx.get(url + "/readyz", timeout=5).status_code == 200 else 0
        except httpx.HTTPError:
            ready = 0
        if ready >= 2 * workers:  # several ready answers in a row: every worker has loaded (requests spread over them)
            return
        time.sleep(0.5)
    raise RuntimeError("tq serve did not become ready")


def _load(httpx, url: str, body: dict, seconds: float, clients: int, pid: int) -> dict:
    """``clients`` threads posting back to back; a /healthz probe; the server's memory each second."""
    stop = threading.Event()
    latencies: list[float] = []
    statuses: list[int] = []
    health: list[float] = []
    memory: list[tuple[float, float]] = []
    lock = threading.Lock()
    started = time.perf_counter()

    def client() -> None:
        with httpx.Client(timeout=REQUEST_TIMEOUT) as session:
            while not stop.is_set():
                begun = time.perf_counter()
                try:
                    status = session.post(url + "/v1/check", json=body).status_code
                except httpx.HTTPError:
                    status = -1  # a time-out or a dropped connection
                with lock:
                    statuses.append(status)
                    if status == 200:
                        latencies.append(time.perf_counter() - begun)
                if status == 429:
                    time.sleep(0.5)

    def probe() -> None:
        with httpx.Client(timeout=10) as session:
            while not stop.is_set():
                begun = time.perf_counter()
                try:
                    session.get(url + "/healthz")
                    health.append(time.perf_counter() - begun)
                except httpx.HTTPError:
                    health.append(float("inf"))
                time.sleep(HEALTH_EVERY)

    def sample() -> None:
        while not stop.is_set():
            memory.append((time.perf_counter() - started, _tree_rss(pid)))
            time.sleep(1.0)

    threads = [threading.Thread(target=client) for _ in range(clients)] + [threading.Thread(target=probe),
                                                                            threading.Thread(target=sample)]
    for thread in threads:
        thread.start()
    time.sleep(seconds)
    stop.set()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    samples = [mb for _, mb in memory if mb == mb]  # the load's own seconds (NaN: the process was between children)
    third = max(1, len(samples) // 3)
    first, last = samples[:third], samples[-third:]
    return {"elapsed": elapsed, "ok": statuses.count(200), "statuses": {str(s): statuses.count(s) for s in sorted(set(statuses))},
            "p50": statistics.median(latencies) if latencies else float("nan"), "p95": _percentile(latencies, 0.95),
            "health_max": max(health, default=float("nan")), "health_p95": _percentile(health, 0.95),
            "memory_first": max(first, default=float("nan")), "memory_last": max(last, default=float("nan"))}


def _burst(httpx, url: str, body: dict, size: int) -> dict:
    """``size`` requests at once: past the queue they must be refused with 429 at once, none left hanging."""
    statuses: list[int] = []
    lock = threading.Lock()

    def one() -> None:
        try:
            status = httpx.post(url + "/v1/check", json=body, timeout=REQUEST_TIMEOUT).status_code
        except httpx.HTTPError:
            status = -1
        with lock:
            statuses.append(status)

    threads = [threading.Thread(target=one) for _ in range(size)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {"size": size, "statuses": {str(s): statuses.count(s) for s in sorted(set(statuses))}}


def _rows(load: dict, burst: dict, baseline: float, seconds: float) -> list[Row]:
    server_errors = sum(n for s, n in load["statuses"].items() if int(s) >= 500 or int(s) < 0)
    throughput = load["ok"] / load["elapsed"]
    burst_refused = burst["statuses"].get("429", 0)
    burst_failed = sum(n for s, n in burst["statuses"].items() if int(s) >= 500 or int(s) < 0)
    growth = 100 * (load["memory_last"] / load["memory_first"] - 1)
    return [
        Row("5xx or dropped during the load", server_errors, "requests", ("<=", 0), f"statuses {load['statuses']}"),
        Row("latency p50 (/v1/check, demo)", load["p50"], "s", None, f"{load['ok']} checks"),
        Row("latency p95", load["p95"], "s", None, ""),
        Row("throughput", throughput * 60, "articles/min", None, f"in process (tq.check_many): {baseline * 60:.1f} articles/min"),
        Row("throughput / in process", 100 * throughput / baseline, "%", (">=", 80), ""),
        Row("memory growth, first third to last", growth, "%", ("<=", 10),
            f"{load['memory_first']:.0f} MB -> {load['memory_last']:.0f} MB (server and workers)"),
        Row("slowest /healthz during the load", 1000 * load["health_max"], "ms", ("<=", 100), f"p95 {1000 * load['health_p95']:.1f} ms"),
        Row("burst: refused with 429", burst_refused, "requests", (">=", 1), f"{burst['size']} at once: {burst['statuses']}"),
        Row("burst: time-outs or 5xx", burst_failed, "requests", ("<=", 0), ""),
    ]
