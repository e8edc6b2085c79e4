"""A real `tq serve` for the tests: a uvicorn subprocess on a free loopback port, models off, its log kept."""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import httpx

START_TIMEOUT = 180  # seconds for a worker to import tq and load the encoder on a busy 2-core machine


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """A `tq serve` subprocess and an HTTP client for it; its stderr (the request log) is kept."""

    def __init__(self, data: Path, *args: str, token: str | None = None) -> None:
        self.token = token
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = dict(os.environ, TQ_LM_MODEL="none", TQ_MT_MODEL="none", PYTHONUNBUFFERED="1")
        env.pop("TQ_DEBUG", None)
        self.log_path = data / f"server-{self.port}.log"
        self._log = open(self.log_path, "w")
        self.process = subprocess.Popen([sys.executable, "-c", "from tq.cli import main; main()", "serve", "--port",
                                         str(self.port), "--data", str(data), *args], stderr=self._log, env=env)
        self.wait_ready()

    def wait_ready(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"tq serve exited: {self.log_path.read_text()}")
            try:
                if httpx.get(self.url + "/readyz", headers=self.auth, timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.3)
        raise RuntimeError("tq serve did not become ready")

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}

    def log_lines(self) -> list[dict]:
        return [json.loads(line) for line in self.log_path.read_text().splitlines() if line.startswith("{")]

    def stop(self, kill: bool = False) -> None:
        if kill:
            self.process.kill()
        else:
            self.process.terminate()
        self.process.wait(timeout=30)
        self._log.close()


@contextmanager
def serving(data: Path, *args: str, token: str | None = None):
    server = Server(data, *args, token=token)
    try:
        yield server
    finally:
        server.stop()
