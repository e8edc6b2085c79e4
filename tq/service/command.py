"""`tq serve`: start the service with uvicorn (see docs/serve.md)."""
from __future__ import annotations

import os
from pathlib import Path

import click

from ..types import TqError

DEFAULT_PORT = 8741
LOOPBACK = ("127.0.0.1", "::1", "localhost")


def read_token(path: str) -> str:
    """The bearer token: the file's first line, at least 16 characters (a short token is guessable)."""
    try:
        token = Path(path).read_text(encoding="utf-8").strip().splitlines()[0].strip() if Path(path).stat().st_size else ""
    except OSError as exc:
        raise TqError(f"{path}: cannot read the token file ({exc.strerror or exc})") from None
    if len(token) < 16:
        raise TqError(f"{path}: the token must be at least 16 characters on the first line")
    return token


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind (loopback unless told otherwise).")
@click.option("--port", type=click.IntRange(0, 65535), default=DEFAULT_PORT, show_default=True)
@click.option("--workers", type=click.IntRange(min=1), default=1, show_default=True,
              help="Worker processes; each loads the models once and runs one check at a time.")
@click.option("--token-file", metavar="FILE", help="Require 'Authorization: Bearer TOKEN' (the file's first line) on every route but /healthz.")
@click.option("--data", "data_dir", default=".tq-serve", show_default=True, metavar="DIR",
              help="Where the review page keeps its decisions (SQLite).")
@click.option("--keep-days", type=click.IntRange(min=0), default=30, show_default=True, metavar="N",
              help="Delete reviews (texts and decisions) N days after they were made, at start-up and as the server runs; "
                   "0 keeps them until deleted.")
@click.option("--max-reviews", type=click.IntRange(min=0), default=0, metavar="N",
              help="Keep at most N reviews: past that a new one is refused with 507 until some are deleted or expire "
                   "(default 0: no cap).")
@click.option("--clock-offset-days", type=float, default=0.0, hidden=True,
              help="Tests only: run the service's clock this many days ahead (the retention tests).")
@click.option("--cors-origin", metavar="ORIGIN", help="Allow browser calls from this origin (default: none).")
@click.option("--queue", "queue_size", type=click.IntRange(min=0), default=8, show_default=True,
              help="Checks that may wait per worker; past that the answer is 429 with Retry-After.")
@click.option("--time-limit", type=click.FloatRange(min=1), default=120.0, show_default=True,
              help="Seconds one check may run; past that it is stopped and answered 503.")
@click.option("--max-size", type=float, default=2.0, show_default=True, help="Largest request body, in MB (as for tq check).")
@click.option("--config", "config_file", metavar="FILE", help="Settings as for tq check (tq.toml / [tool.tq]).")
@click.option("--lm", metavar="MODEL", help="As for tq check.")
@click.option("--mt", metavar="MODEL", help="As for tq check.")
def serve_command(host, port, workers, token_file, data_dir, keep_days, max_reviews, clock_offset_days, cors_origin, queue_size,
                  time_limit, max_size, config_file, lm, mt) -> int:
    """Serve the HTTP API (/v1/check, /v1/fix, /v1/align, …) and the editor's review page (GET /)."""
    try:
        import fastapi  # noqa: F401
        import uvicorn
    except ImportError:
        raise TqError("tq serve needs the service extra: pip install 'tq[serve]'") from None
    from .api import CONFIG_ENV, ServiceConfig

    if max_size <= 0:
        raise TqError("--max-size must be a positive number of MB")
    config = ServiceConfig(data_dir=str(Path(data_dir).resolve()), token=read_token(token_file) if token_file else None,
                           cors_origin=cors_origin, max_bytes=int(max_size * 1e6), queue_size=queue_size,
                           time_limit=time_limit, config_file=config_file, lm=lm, mt=mt, keep_days=keep_days,
                           max_reviews=max_reviews, clock_offset_days=clock_offset_days)
    from ..config import load_settings

    load_settings(config_file)  # a bad configuration file is refused here, in one line, before any worker starts
    if host not in LOOPBACK and not token_file:
        click.echo(f"tq: warning: serving on {host} without --token-file: anyone who can reach it can use it", err=True)
    os.environ[CONFIG_ENV] = config.to_env()
    kept = f"kept {keep_days} day{'s' if keep_days != 1 else ''}" if keep_days else "kept until deleted"
    click.echo(f"tq: serving on http://{host}:{port}/ ({workers} worker{'s' if workers > 1 else ''}); "
               f"reviews in {config.data_dir} ({kept}{f', at most {max_reviews}' if max_reviews else ''})", err=True)
    uvicorn.run("tq.service.api:create_app", factory=True, host=host, port=port, workers=workers, access_log=False,
                log_level="warning", timeout_graceful_shutdown=5)
    return 0
