"""The HTTP service: an ASGI app (FastAPI) that turns requests into calls of tq.app and results into JSON.

The core knows nothing of HTTP (as LanguageTool keeps its server apart from its rules): each route parses and
validates its body, calls the application layer on the worker's :class:`~tq.service.runner.Runner` (off the
event loop, bounded, stoppable) and answers JSON. Every error is a 4xx (or a 503 for a time limit, a 507 for a
full review store) with one line, ``{"error": "..."}``, never a traceback. What sits around the routes, in
:class:`Guard`: bearer-token auth, the body size and time limits, security headers, and one JSON log line per
request.

The review store keeps reviews ``--keep-days`` days and at most ``--max-reviews`` (tq.service.store): a new
review past the cap is refused with ``507 Insufficient Storage`` (waiting does not help, unlike the queue's
429: reviews must be deleted or expire), and ``GET /v1/reviews``, ``DELETE /v1/reviews/{id}`` and the page
``GET /reviews`` let a client see and delete what is kept.
"""
from __future__ import annotations

import asyncio
import base64
import hmac
import json
import os
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal, TypeVar

from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

from .runner import Cancelled, QueueFull, Runner
from .store import DAY_S, Conflict, NotFound, ReviewEntry, ReviewStore, StoreFull
from .. import __version__, app
from ..read import DEFAULT_MAX_BYTES
from ..types import TqError

CONFIG_ENV = "TQ_SERVE_CONFIG"  # how `tq serve` hands its settings to each uvicorn worker process
RETRY_AFTER_S = 5                # what a 429 or a not-yet-ready 503 tells the client to wait
OPEN_ROUTES = ("/healthz",)      # the only route a token file does not guard (load balancers probe it)
STORE_FULL = 507                 # Insufficient Storage: a new review past --max-reviews
PURGE_EVERY_S = 3600             # how often a worker deletes expired reviews even when no request comes
LIST_LIMIT = 1000                # the most reviews GET /v1/reviews and the page list at once
UPLOAD_SUFFIXES = {".xlf": ".xlf", ".xliff": ".xliff", ".sdlxliff": ".xliff", ".po": ".po", ".tmx": ".tmx"}
CONTENT_SECURITY_POLICY = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                           "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")


@dataclass
class ServiceConfig:
    """What `tq serve` was started with (JSON in ``TQ_SERVE_CONFIG`` for the worker processes)."""

    data_dir: str = ".tq-serve"
    token: str | None = None
    cors_origin: str | None = None
    max_bytes: int = DEFAULT_MAX_BYTES
    queue_size: int = 8
    time_limit: float = 120.0   # seconds one check may run before it is stopped and answered 503
    body_timeout: float = 30.0  # seconds a client has to send its whole body (a slow sender frees its place)
    config_file: str | None = None
    lm: str | None = None
    mt: str | None = None
    preload: bool = True        # load the models at start-up (/readyz says when); False: on the first check
    keep_days: int = 30         # reviews older than this are deleted, texts and decisions (0: kept until deleted)
    max_reviews: int = 0        # the most reviews kept; past it POST /v1/reviews is refused with 507 (0: no cap)
    clock_offset_days: float = 0.0  # tests only (a hidden option): the service's clock runs this many days ahead

    def to_env(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_env(cls) -> ServiceConfig:
        raw = os.environ.get(CONFIG_ENV)
        return cls(**json.loads(raw)) if raw else cls()


class ApiError(Exception):
    """An answer other than 200: its status, one line, and extra headers."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.message, self.headers = status, message, headers or {}


# ---- request bodies (unknown fields are refused: a typo must not silently change a check) --------------------

class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


BodyT = TypeVar("BodyT", bound=_Body)


class CheckOptions(_Body):
    skip: list[str] = Field(default_factory=list, description="Check ids not to run (see GET /v1/checks).")
    glossary: list[tuple[str, str]] = Field(default_factory=list, description="Extra glossary: [term, translation] pairs.")
    fail_on: Literal["minor", "major", "critical", "never"] | None = Field(None, description="The gate's severity.")
    lm: bool = Field(True, description="Use the English LM the server was started with.")
    mt: bool = Field(True, description="Use the translation model the server was started with.")


class Texts(_Body):
    source: str = Field(description="The Italian source, the whole article.")
    translation: str = Field(description="The English translation, the whole article.")
    markup: Literal["text", "html", "markdown"] = Field(
        "text", description="Both texts are article bodies in HTML or Markdown: findings get offsets into the markup "
                            "(markup_start/markup_end) and fixes keep every tag.")


class CheckRequest(Texts, CheckOptions):
    pass


class FixRequest(CheckRequest):
    min_confidence: float | None = Field(None, ge=0, le=1, description="Also apply model rewrites at least this sure.")


class AlignRequest(Texts):
    presegmented: bool = Field(False, description="One sentence per line on each side.")


class DecisionRequest(_Body):
    status: Literal["accepted", "rejected", "edited", "open"]
    text: str | None = Field(None, description="The editor's text for the flagged span (status 'edited').")


# ---- the service --------------------------------------------------------------------------------------------

@dataclass
class Service:
    """One worker process's state: its settings, models, job runner and review store."""

    config: ServiceConfig
    runner: Runner = field(init=False)
    store: ReviewStore = field(init=False)
    ready: bool = False
    load_error: str | None = None
    models: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        from ..config import load_settings

        self.runner = Runner(self.config.queue_size)
        self.store = ReviewStore(self.config.data_dir, keep_days=self.config.keep_days,
                                 max_reviews=self.config.max_reviews, clock=self.clock)
        settings = load_settings(self.config.config_file)
        if self.config.lm is not None:
            settings.set("lm", self.config.lm, "tq serve --lm")
        if self.config.mt is not None:
            settings.set("mt", self.config.mt, "tq serve --mt")
        self.settings = settings
        self.base_options = app.options_from_settings(settings, baseline=False)
        self.base_options["max_bytes"] = self.config.max_bytes

    def clock(self) -> float:
        """The service's time (seconds since the epoch): the system's, shifted only where a test says so."""
        return time.time() + self.config.clock_offset_days * DAY_S

    async def purge_periodically(self) -> None:
        """Delete expired reviews every PURGE_EVERY_S, off the event loop, so that an idle server does not keep
        them (requests also purge before they read or create one)."""
        while True:
            await asyncio.sleep(PURGE_EVERY_S)
            try:
                await asyncio.to_thread(self.store.purge)
            except Exception as exc:  # a locked or broken file: say so, try again next time
                print(json.dumps({"event": "purge", "error": f"{type(exc).__name__}: {exc}"}), file=sys.stderr, flush=True)

    def load_models(self) -> None:
        """Load what the checks need, once per worker (the requests share them)."""
        from ..pipeline import _options, load_resources

        try:
            _, unavailable, self.models = load_resources(_options(self.base_options))
            self.models += [f"{role}: unavailable ({why})" for role, why in unavailable.items()]
            self.ready = True
        except Exception as exc:  # a model that fails to load: say so on /readyz, keep answering
            self.load_error = f"{type(exc).__name__}: {exc}"

    def options(self, body: CheckOptions) -> dict[str, Any]:
        """The pipeline options of a request: the server's settings with the request's choices laid over."""
        from ..checks import verify_skip
        from ..checks.terminology import parse_glossary

        verify_skip(body.skip)
        options = dict(self.base_options, skip=tuple(dict.fromkeys([*self.base_options["skip"], *body.skip])))
        if isinstance(body, Texts):
            options["markup"] = body.markup
        if body.glossary:
            lines = []
            for term, translation in body.glossary:
                if not term.strip() or not translation.strip() or "\t" in term + translation or "\n" in term + translation:
                    raise TqError("glossary: each entry is [term, translation], both non-empty, on one line")
                lines.append(f"{term}\t{translation}")
            options["glossary"] = [*options["glossary"], *parse_glossary("\n".join(lines), "request glossary")]
        if not body.lm:
            options["lm"] = "none"
        if not body.mt:
            options["mt"] = "none"
        return options

    def fail_on(self, body: CheckOptions) -> str:
        return body.fail_on or self.settings["fail_on"]

    async def run(self, request, job) -> Any:
        """Run ``job(cancel)`` on the runner: 429 when the queue is full, 503 past the time limit."""
        if not self.ready:
            raise ApiError(503, self.load_error and f"models failed to load: {self.load_error}"
                           or "models are still loading: retry shortly", {"Retry-After": str(RETRY_AFTER_S)})
        try:
            return await self.runner.run(job, self.config.time_limit, request.is_disconnected)
        except QueueFull:
            raise ApiError(429, f"busy: {self.runner.capacity} checks are running or waiting; retry shortly",
                           {"Retry-After": str(RETRY_AFTER_S)}) from None
        except Cancelled as exc:
            raise ApiError(503, f"stopped: {exc.reason}") from None


def _report_json(report, verdict) -> dict[str, Any]:
    return {**report.to_dict(), "gate": verdict.to_dict()}


def _note(request, report) -> None:
    """What the request log line tells about the result (never the text)."""
    request.state.pairs = len(report.pairs)
    request.state.worst = report.worst_severity


def _content_type(request) -> str:
    return request.headers.get("content-type", "").split(";")[0].strip().lower()


async def _parsed(request, model: type[BodyT]) -> BodyT:
    """The JSON body as ``model``; malformed JSON and wrong fields are a 400/422 with one line."""
    content_type = _content_type(request)
    if content_type not in ("application/json", ""):
        raise ApiError(415, f"send application/json (got {content_type})")
    return _validated(model, await request.body())


def _validated(model: type[BodyT], raw: bytes | str) -> BodyT:
    try:
        data = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ApiError(400, f"malformed JSON: {getattr(exc, 'msg', exc)}") from None
    if not isinstance(data, dict):
        raise ApiError(422, "the body must be a JSON object")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ApiError(422, _one_line(exc)) from None


def _one_line(exc: ValidationError) -> str:
    first = exc.errors()[0]
    where = ".".join(str(part) for part in first["loc"]) or "body"
    more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
    if first["type"] == "extra_forbidden":
        return f"unknown option {where!r}{more}"
    if first["type"] == "missing":
        return f"missing field {where!r}{more}"
    return f"{where}: {first['msg']}{more}"


@dataclass
class Upload:
    """A bilingual file posted to /v1/check: its bytes, the name the client gave, and the suffix tq will use."""

    data: bytes
    name: str
    suffix: str


async def _check_body(request) -> tuple[CheckOptions, CheckRequest | Upload]:
    """A /v1/check body: JSON (two texts), or multipart with a bilingual ``file`` (XLIFF/PO/TMX) and the options
    as form fields. Returns the options and what to check."""
    if _content_type(request) != "multipart/form-data":
        body = await _parsed(request, CheckRequest)
        return body, body
    try:
        form = await request.form(max_files=1, max_fields=32)
    except Exception as exc:  # a broken multipart body
        raise ApiError(400, f"malformed multipart body: {exc}") from None
    upload = form.get("file")
    if upload is None or isinstance(upload, str):
        raise ApiError(422, "missing field 'file' (an XLIFF, PO or TMX file)")
    suffix = UPLOAD_SUFFIXES.get(Path(upload.filename or "").suffix.lower())
    if suffix is None:
        raise ApiError(422, f"{upload.filename!r}: upload an XLIFF (.xlf, .xliff), PO (.po) or TMX (.tmx) file")
    known = set(CheckOptions.model_fields)
    unknown = sorted(set(form) - known - {"file"})
    if unknown:
        raise ApiError(422, f"unknown option {unknown[0]!r}")
    fields: dict[str, Any] = {"skip": form.getlist("skip")}
    for name in ("fail_on", "lm", "mt"):
        if name in form:
            fields[name] = form[name]
    if "glossary" in form:
        fields["glossary"] = _validated_json_field(form["glossary"], "glossary")
    try:
        options = CheckOptions.model_validate(fields)
    except ValidationError as exc:
        raise ApiError(422, _one_line(exc)) from None
    return options, Upload(await upload.read(), upload.filename or "upload", suffix)


def _validated_json_field(value: Any, name: str) -> Any:
    try:
        return json.loads(value)
    except (TypeError, json.JSONDecodeError):
        raise ApiError(422, f"{name}: must be JSON") from None


def _check_upload(upload: Upload, options: dict[str, Any]):
    """Check a bilingual upload: it is written to a file tq names, in a folder of its own, and removed after."""
    with tempfile.TemporaryDirectory(prefix="tq-upload-") as folder:
        path = Path(folder) / f"upload{upload.suffix}"
        path.write_bytes(upload.data)
        try:
            return app.check_pairs_file(str(path), options, progress=options.get("progress"))
        except TqError as exc:  # name the upload, not the temporary file
            raise TqError(str(exc).replace(str(path), upload.name)) from None


def create_app(config: ServiceConfig | None = None):
    """The ASGI application (uvicorn calls this in each worker: ``tq.service.api:create_app``, factory=True)."""
    from contextlib import asynccontextmanager

    from . import page

    config = config or ServiceConfig.from_env()
    service = Service(config)

    @asynccontextmanager
    async def lifespan(_app):
        if config.preload:
            threading.Thread(target=service.load_models, name="tq-load-models", daemon=True).start()
        else:
            service.ready = True
        purging = asyncio.create_task(service.purge_periodically()) if config.keep_days else None
        yield
        if purging is not None:
            purging.cancel()
        service.runner.shutdown()

    api = FastAPI(title="tq", version=__version__, lifespan=lifespan, docs_url=None, redoc_url=None,
                  description="Translation-quality checks of English translations of Italian articles: the same "
                              "report as `tq check --format json`, the gate's verdict, fixes, alignment and a review page.")
    api.state.service = service

    @api.exception_handler(ApiError)
    async def _api_error(_request, exc: ApiError):
        return JSONResponse({"error": exc.message}, status_code=exc.status, headers=exc.headers)

    @api.exception_handler(TqError)
    async def _input_error(_request, exc: TqError):
        status = next((code for kind, code in ((NotFound, 404), (Conflict, 409), (StoreFull, STORE_FULL))
                       if isinstance(exc, kind)), 422)
        return JSONResponse({"error": str(exc)}, status_code=status)

    @api.exception_handler(RequestValidationError)
    async def _invalid(_request, exc: RequestValidationError):  # path parameters (the bodies are validated in _parsed)
        first = exc.errors()[0]
        return JSONResponse({"error": f"{'.'.join(map(str, first['loc']))}: {first['msg']}"}, status_code=422)

    @api.exception_handler(StarletteHTTPException)
    async def _http_error(_request, exc: StarletteHTTPException):
        return JSONResponse({"error": str(exc.detail)}, status_code=exc.status_code, headers=getattr(exc, "headers", None))

    @api.exception_handler(Exception)
    async def _internal_error(_request, exc: Exception):  # a bug: still one JSON line, never a traceback
        return JSONResponse({"error": f"internal error: {type(exc).__name__}"}, status_code=500)

    def body_schema(model: type[BaseModel], multipart: bool = False) -> dict[str, Any]:
        content: dict[str, Any] = {"application/json": {"schema": model.model_json_schema()}}
        if multipart:
            content["multipart/form-data"] = {"schema": {"type": "object", "required": ["file"], "properties": {
                "file": {"type": "string", "format": "binary", "description": "XLIFF 1.2/2.0, PO or TMX"},
                "skip": {"type": "array", "items": {"type": "string"}}, "fail_on": {"type": "string"},
                "lm": {"type": "boolean"}, "mt": {"type": "boolean"},
                "glossary": {"type": "string", "description": "JSON list of [term, translation]"}}}}
        return {"requestBody": {"required": True, "content": content}}

    @api.get("/healthz", tags=["service"])
    async def healthz() -> dict[str, str]:
        """Always answers at once, whatever the checks are doing."""
        return {"status": "ok"}

    @api.get("/readyz", tags=["service"])
    async def readyz():
        """200 once the models are loaded; 503 while they load (or if they failed)."""
        body = {"ready": service.ready, "models": service.models, "queue": {"taken": service.runner.taken,
                                                                             "capacity": service.runner.capacity}}
        if service.load_error:
            body["error"] = service.load_error
        return JSONResponse(body, status_code=200 if service.ready else 503)

    @api.post("/v1/check", tags=["v1"], openapi_extra=body_schema(CheckRequest, multipart=True))
    async def check(request: Request):
        """Check a translation against its source: the `tq.report` JSON plus ``gate``, the QA gate's verdict."""
        options_body, what = await _check_body(request)
        options = service.options(options_body)

        def job(cancel):
            if isinstance(what, Upload):
                return _check_upload(what, dict(options, progress=cancel.progress))
            return app.check_documents(what.source, what.translation, options, progress=cancel.progress)
        report = await service.run(request, job)
        _note(request, report)
        return JSONResponse(_report_json(report, app.gate(report, service.fail_on(options_body))))

    @api.post("/v1/fix", tags=["v1"], openapi_extra=body_schema(FixRequest))
    async def fix(request: Request):
        """The translation with only the certain fixes applied, what was applied, and the findings left."""
        body = await _parsed(request, FixRequest)
        options = service.options(body)
        result = await service.run(request, lambda cancel: app.fix_documents(
            body.source, body.translation, dict(options, progress=cancel.progress), body.min_confidence))
        _note(request, result.checked)
        return {"schema": "tq.fix", "version": 1, "text": result.text, "diff": result.diff, "summary": result.summary(),
                "applied": [_fix_dict(f) for f in result.applied],
                "rejected": [{**_fix_dict(f), "why": why} for f, why in result.rejected], "left": result.left,
                "report": _report_json(result.checked, app.gate(result.checked, service.fail_on(body)))}

    @api.post("/v1/align", tags=["v1"], openapi_extra=body_schema(AlignRequest))
    async def align(request: Request):
        """Sentence links between the two texts (1-1, 1-2, 2-1, 1-0, 0-1 and wider)."""
        body = await _parsed(request, AlignRequest)
        options = dict(service.base_options, markup=body.markup)
        alignment = await service.run(request, lambda cancel: app.align_documents(
            body.source, body.translation, options, body.presegmented))
        request.state.pairs = len(alignment.links)
        return alignment.to_dict()

    @api.get("/v1/checks", tags=["v1"])
    async def checks():
        """Every check: id (for ``skip``), category, what it needs, what it finds."""
        return {"checks": app.check_catalogue()}

    @api.get("/v1/models", tags=["v1"])
    async def models():
        """Each model role: what the server is configured with and whether it is available."""
        return {"models": app.model_catalogue(service.base_options["lm"], service.base_options["mt"]), "loaded": service.models}

    @api.post("/v1/reviews", tags=["review"], openapi_extra=body_schema(CheckRequest), responses={
        STORE_FULL: {"description": "Insufficient Storage: the store holds --max-reviews reviews already; delete some "
                                    "(DELETE /v1/reviews/{id}) or wait for old ones to expire (--keep-days). "
                                    'Body: {"error": "..."}'}})
    async def create_review(request: Request):
        """Check the texts and keep a review of the findings (the review page's store). Refused with 507 when
        the store is full (``--max-reviews``), before the check runs."""
        body = await _parsed(request, CheckRequest)
        service.store.ensure_room()
        options = service.options(body)
        report = await service.run(request, lambda cancel: app.check_documents(
            body.source, body.translation, options, progress=cancel.progress))
        _note(request, report)
        from ..accepted import baseline_rows

        review_id = service.store.create(body.source, body.translation, report.to_dict(),
                                         baseline_rows(report.pairs, report.tgt_lang), body.markup)
        return {"id": review_id, "url": page.review_url(review_id), "findings": len(report.findings)}

    @api.get("/v1/reviews", tags=["review"])
    async def list_reviews(limit: int = Query(LIST_LIMIT, ge=1, le=LIST_LIMIT, description="The most to list.")):
        """The reviews kept, newest first: ``id``, ``url``, ``created`` (ISO 8601, UTC), ``findings`` and ``decided``
        (counts) and ``expires`` (when ``--keep-days`` deletes it; null when reviews are kept until deleted);
        ``total`` counts them all."""
        return {"reviews": [_entry_json(entry) for entry in service.store.entries(limit)], "total": service.store.count(),
                "keep_days": config.keep_days or None, "max_reviews": config.max_reviews or None}

    @api.get("/v1/reviews/{review_id}", tags=["review"])
    async def get_review(review_id: str):
        return service.store.get(review_id).to_dict()

    @api.delete("/v1/reviews/{review_id}", tags=["review"], status_code=204, response_class=Response,
                responses={404: {"description": "No such review"}})
    async def delete_review(review_id: str):
        """Delete a review, its texts and decisions, at once; no copy of its text is left in the store's file."""
        service.store.delete(review_id)
        return Response(status_code=204)

    @api.put("/v1/reviews/{review_id}/findings/{number}", tags=["review"], openapi_extra=body_schema(DecisionRequest))
    async def decide(review_id: str, number: int, request: Request):
        """Accept, reject, edit (``text``) or reopen one finding; saved at once."""
        body = await _parsed(request, DecisionRequest)
        review = service.store.decide(review_id, number, body.status, body.text)
        return {"decision": review.decisions.get(number, {"status": "open"}), "corrected": review.corrected()}

    @api.get("/v1/reviews/{review_id}/translation", tags=["review"])
    async def download(review_id: str):
        """The translation with exactly the accepted and edited changes (byte for byte the input elsewhere)."""
        return PlainTextResponse(service.store.get(review_id).corrected(), media_type="text/plain; charset=utf-8",
                                 headers={"Content-Disposition": 'attachment; filename="translation.txt"'})

    @api.get("/v1/reviews/{review_id}/baseline", tags=["review"])
    async def baseline(review_id: str):
        """The rejected findings as a baseline file for ``tq check --baseline``."""
        return Response(service.store.get(review_id).rejected_baseline(), media_type="application/json",
                        headers={"Content-Disposition": 'attachment; filename="tq-baseline.json"'})

    @api.get("/", response_class=HTMLResponse, include_in_schema=False)
    async def home():
        return HTMLResponse(page.render_home())

    @api.get("/reviews", response_class=HTMLResponse, include_in_schema=False)
    async def reviews_page():
        entries = service.store.entries(LIST_LIMIT)
        return HTMLResponse(page.render_reviews(entries, service.store.count(), config.keep_days, config.max_reviews))

    @api.get("/reviews/{review_id}", response_class=HTMLResponse, include_in_schema=False)
    async def review_page(review_id: str):
        return HTMLResponse(page.render_review(service.store.get(review_id)))

    @api.get("/static/{name}", include_in_schema=False)
    async def static(name: str):
        return page.static_response(name)

    if config.cors_origin:
        from starlette.middleware.cors import CORSMiddleware

        api.add_middleware(CORSMiddleware, allow_origins=[config.cors_origin], allow_methods=["GET", "POST", "PUT", "DELETE"],
                           allow_headers=["Authorization", "Content-Type"])
    return Guard(api, config)


def _entry_json(entry: ReviewEntry) -> dict[str, Any]:
    from .page import review_url

    return {**entry.to_dict(), "url": review_url(entry.id)}


def _fix_dict(fix) -> dict[str, Any]:
    return {"check": fix.check, "start": fix.start, "end": fix.end, "before": fix.before, "after": fix.after,
            "line": fix.line, "severity": fix.severity, "message": fix.message}


class Guard:
    """ASGI middleware around the app: auth, body limits, security headers and the request log.

    Plain ASGI rather than a Starlette BaseHTTPMiddleware, so that it can answer before reading a body (401,
    413 from Content-Length) and give up on a body that arrives too slowly without holding a check's place."""

    def __init__(self, inner, config: ServiceConfig) -> None:
        self.inner, self.config = inner, config
        self.token = config.token.encode("utf-8") if config.token else None
        self.state = inner.state  # tests and the server reach the Service through the app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.inner(scope, receive, send)
            return
        started = time.perf_counter()
        request_id = uuid.uuid4().hex[:12]
        scope.setdefault("state", {})
        status = {"code": 0}

        async def send_with_headers(message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
                headers = list(message.get("headers", []))
                headers += [(b"x-request-id", request_id.encode()), (b"x-content-type-options", b"nosniff"),
                            (b"referrer-policy", b"no-referrer"), (b"content-security-policy", CONTENT_SECURITY_POLICY.encode())]
                message = {**message, "headers": headers}
            await send(message)

        try:
            refusal = self._refusal(scope)
            if refusal is not None:
                await self._answer(send_with_headers, *refusal)
                return
            body = await self._read_body(scope, receive)
            if isinstance(body, tuple):
                await self._answer(send_with_headers, *body)
                return
            await self.inner(scope, _replay(body, receive), send_with_headers)
        finally:
            self._log(scope, request_id, status["code"], time.perf_counter() - started)

    def _refusal(self, scope) -> tuple[int, str, dict[str, str]] | None:
        if self.token is None or scope["path"] in OPEN_ROUTES:
            return None
        if self._authorised(dict(scope["headers"]).get(b"authorization", b"")):
            return None
        return 401, "a valid token is needed (Authorization: Bearer TOKEN)", {"WWW-Authenticate": 'Bearer realm="tq", Basic realm="tq"'}

    def _authorised(self, header: bytes) -> bool:
        """Bearer TOKEN, or Basic with TOKEN as the password (what a browser sends after its login prompt);
        compared in constant time."""
        scheme, _, value = header.partition(b" ")
        if scheme.lower() == b"basic":
            try:
                value = base64.b64decode(value.strip(), validate=True).partition(b":")[2]
            except ValueError:
                return False
        elif scheme.lower() != b"bearer":
            return False
        return hmac.compare_digest(value.strip(), self.token or b"")

    async def _read_body(self, scope, receive) -> bytes | tuple[int, str, dict[str, str]]:
        """The whole body within the size limit and the body time limit, or the refusal to send."""
        limit = self.config.max_bytes
        too_large: tuple[int, str, dict[str, str]] = (413, f"the body is over the {limit / 1e6:g} MB limit (the server's --max-size)", {})
        length = dict(scope["headers"]).get(b"content-length")
        if length is not None and length.isdigit() and int(length) > limit:
            return too_large
        chunks, size = [], 0
        deadline = time.monotonic() + self.config.body_timeout
        while True:
            try:
                message = await asyncio.wait_for(receive(), max(0.0, deadline - time.monotonic()))
            except asyncio.TimeoutError:
                return 408, f"the body did not arrive within {self.config.body_timeout:g} s", {"Connection": "close"}
            if message["type"] == "http.disconnect":
                return 400, "the client disconnected", {}
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                return too_large
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks)

    @staticmethod
    async def _answer(send, status: int, message: str, headers: dict[str, str]) -> None:
        body = json.dumps({"error": message}).encode("utf-8")
        raw = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
        raw += [(k.lower().encode(), v.encode()) for k, v in headers.items()]
        await send({"type": "http.response.start", "status": status, "headers": raw})
        await send({"type": "http.response.body", "body": body})

    @staticmethod
    def _log(scope, request_id: str, status: int, seconds: float) -> None:
        """One JSON line per request on stderr; the articles' text never goes into it."""
        state = scope.get("state", {})
        route = scope.get("route")
        line = {"request": request_id, "method": scope.get("method"), "route": getattr(route, "path", scope["path"]),
                "status": status, "seconds": round(seconds, 4), "pairs": state.get("pairs"), "worst": state.get("worst")}
        print(json.dumps(line), file=sys.stderr, flush=True)


def _replay(body: bytes, receive):
    """A receive() that gives the app the body already read, then waits for the client's disconnect."""
    sent = False

    async def replay():
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay
