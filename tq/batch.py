"""batch: many articles in one run — paired from two folders or a manifest, checked on every core or on a Dask
cluster, each report written as soon as it is done, and a re-run redoing only what changed.

The parent process reads the input bytes, hands each article to a worker (the
same process, a process pool, or Dask workers, which need no shared disk: the
bytes travel with the task), and writes what comes back. Workers keep their
models for the whole run (``tq.models`` caches them per process), so a model
loads once per worker, not once per article.

Nothing is lost: a report is written to a temporary file and renamed into place
(`os.replace` is atomic), and only then is its state record written under
``OUT/.tq-state/``. The record holds the article's key, a hash of both input
files and of every setting that changes findings. A re-run skips an article
whose record has the same key and whose report is there; anything else
(killed halfway, inputs or settings changed) is checked again.
"""
from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import json
import os
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ProcessPoolExecutor, as_completed, wait
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import ParamSpec, TypeVar

from .types import SEVERITY_RANK, Report, TqError

STATE_DIR = ".tq-state"
EXTENSIONS = {"json": "json", "text": "txt", "markdown": "md", "html": "html"}
# A binary format's batch writes one JSON report per article (what a re-run resumes from) and, at the end, one
# file of every article's findings made from them (xlsx: one sheet, an article column).
ARTICLE_FORMATS = {"xlsx": "json"}
COMBINED = {"xlsx": "findings.xlsx"}


def article_format(fmt: str) -> str:
    """The format of each article's own report in a batch of format ``fmt`` (its file's extension: EXTENSIONS)."""
    return ARTICLE_FORMATS.get(fmt, fmt)
SUMMARY_FIELDS = ["id", "status", "score", "critical", "major", "minor", "worst", "pairs", "seconds", "source", "translation",
                  "reason"]


@dataclass(frozen=True)
class Article:
    """One article of a batch: its id (the report's file name) and its two files; ``error`` when it cannot be paired."""

    id: str
    source: Path | None
    translation: Path | None
    error: str | None = None


@dataclass
class ArticleResult:
    """What one article gave: a report, or a one-line reason it could not be checked."""

    article: Article
    status: str                      # ok | error | unchanged (skipped on a re-run)
    report: Report | None = None
    reason: str = ""
    seconds: float = 0.0


def _is_article_file(path: Path) -> bool:
    return path.is_file() and not path.name.startswith(".")


def _article_id(relative: Path) -> str:
    """A file name for the article's report: its path inside the folder, without suffix, '/' as '--'."""
    return "--".join(relative.with_suffix("").parts)


def pair_folders(source_dir: Path, target_dir: Path) -> list[Article]:
    """Articles paired by file name (``it/x.txt`` with ``en/x.txt``, subfolders too); a file on one side only is an
    article with an error, listed in the summary, never a reason to stop."""
    for folder in (source_dir, target_dir):
        if not folder.is_dir():
            raise TqError(f"{folder}: not a folder")
    sources = {p.relative_to(source_dir): p for p in sorted(source_dir.rglob("*")) if _is_article_file(p)}
    targets = {p.relative_to(target_dir): p for p in sorted(target_dir.rglob("*")) if _is_article_file(p)}
    if not sources and not targets:
        raise TqError(f"{source_dir} and {target_dir}: no files to check")
    articles = []
    for relative in sorted(set(sources) | set(targets)):
        source, target = sources.get(relative), targets.get(relative)
        error = None
        if source is None:
            error = f"no source {source_dir / relative} for this translation"
        elif target is None:
            error = f"no translation {target_dir / relative} for this source"
        articles.append(Article(_article_id(relative), source, target, error))
    return _unique_ids(articles)


def read_manifest(path: Path) -> list[Article]:
    """Articles from a manifest: TSV lines ``source<TAB>translation[<TAB>id]`` or JSONL objects
    ``{"source", "translation", "id"}``; relative paths are taken from the manifest's folder."""
    from .read import read_document

    text = read_document(path, "", name=str(path)).text
    base = path.parent
    articles = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if line.lstrip().startswith("{"):
            try:
                item = json.loads(line)
                cells = [item["source"], item.get("translation", item.get("target")), item.get("id")]
            except (json.JSONDecodeError, KeyError, TypeError, AttributeError):
                raise TqError(f"{path}:{number}: expected a JSON object with 'source' and 'translation'") from None
        else:
            cells = line.split("\t") + [None]
            if not 3 <= len(cells) <= 4:
                raise TqError(f"{path}:{number}: expected 'source<TAB>translation[<TAB>id]', found {len(cells) - 1} column(s)")
        if not isinstance(cells[0], str) or not isinstance(cells[1], str) or not cells[0] or not cells[1]:
            raise TqError(f"{path}:{number}: needs a source and a translation path")
        source, target = base / cells[0], base / cells[1]
        article_id = cells[2] if isinstance(cells[2], str) and cells[2].strip() else _article_id(Path(cells[1]))
        articles.append(Article(article_id.strip().replace("/", "--"), source, target))
    if not articles:
        raise TqError(f"{path}: the manifest lists no articles")
    return _unique_ids(articles)


def _unique_ids(articles: list[Article]) -> list[Article]:
    seen: dict[str, int] = {}
    out = []
    for article in articles:
        count = seen.get(article.id, 0)
        seen[article.id] = count + 1
        out.append(article if not count else Article(f"{article.id}-{count + 1}", article.source, article.translation,
                                                    article.error))
    return out


def settings_key(options: dict, fmt: str) -> str:
    """A hash of everything that changes an article's report besides its text: tq's version, the options, the
    glossary, suppressions and baseline (by content), the judge and the report format."""
    from . import __version__
    from .judge import judge_id

    def plain(value):
        if isinstance(value, (str, int, float, bool)) or value is None:
            return value
        if isinstance(value, (Path, os.PathLike)):
            try:
                return hashlib.sha256(Path(value).read_bytes()).hexdigest()
            except OSError:
                return str(value)
        if isinstance(value, dict):
            return {str(k): plain(v) for k, v in sorted(value.items())}
        if isinstance(value, (list, tuple)):
            return [plain(v) for v in value]
        if hasattr(value, "__dataclass_fields__"):
            return plain(asdict(value))
        return repr(value)

    relevant = {k: v for k, v in options.items() if k not in ("progress", "threads")}
    text = json.dumps({"tq": __version__, "judge": judge_id(), "format": fmt, "options": plain(relevant)},
                      sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def check_article(source: bytes, translation: bytes, source_name: str, translation_name: str,
                  options: dict) -> tuple[Report, float]:
    """The worker's task: one article checked whole (models stay loaded in the worker between tasks), and the
    seconds it took there (time in a queue is not the article's)."""
    from . import pipeline
    from .read import read_document

    started = time.perf_counter()
    opts = pipeline._options(dict(options))
    src = read_document(source, opts.src_lang, name=source_name, encoding=opts.encoding, max_bytes=opts.max_bytes)
    tgt = read_document(translation, opts.tgt_lang, name=translation_name, encoding=opts.encoding, max_bytes=opts.max_bytes)
    try:
        return pipeline.check(src, tgt, **options), time.perf_counter() - started
    finally:
        from .models import get_encoder

        get_encoder().forget()


def _prepared(options: dict, workers: int, scheduler: str | None) -> tuple[dict, int]:
    """The options checked before any worker starts (bad ones raise TqError), with the baseline loaded here, so that
    workers on other machines need no access to its file, and each local worker's share of the cores; and the input
    size limit."""
    from .pipeline import _options

    opts = _options(dict(options))
    options = dict(options)
    if opts.baseline is not None:
        options["baseline"] = opts.baseline
    if workers > 1 and options.get("threads") is None and scheduler in (None, "dask"):
        from .threads import available_cpus

        # workers on one machine share its cores: each takes its share, or they fight (2 workers x 2 threads on
        # 2 cores took twice as long as 2 x 1); a remote cluster's workers set TQ_THREADS themselves
        options["threads"] = max(1, available_cpus() // workers)
    return options, opts.max_bytes


def _checked(article: Article, future: Future) -> ArticleResult:
    try:
        report, seconds = future.result()
    except TqError as exc:
        return ArticleResult(article, "error", reason=str(exc))
    except Exception as exc:  # a worker's bug or a lost worker: this article fails, the batch goes on
        return ArticleResult(article, "error", reason=f"internal error: {type(exc).__name__}: {exc}".splitlines()[0])
    return ArticleResult(article, "ok", report=report, seconds=seconds)


_P = ParamSpec("_P")
_T = TypeVar("_T")


class _InProcess(Executor):
    """One worker: the calling process itself, one article at a time (no pool to start, models load here once)."""

    def submit(self, fn: Callable[_P, _T], /, *args: _P.args, **kwargs: _P.kwargs) -> Future[_T]:
        future: Future[_T] = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as exc:  # noqa: BLE001 - handed to the caller through the future
            if isinstance(exc, KeyboardInterrupt):
                raise
            future.set_exception(exc)
        return future


@contextlib.contextmanager
def executor(workers: int = 1, scheduler: str | None = None) -> Iterator[tuple[Executor, int]]:
    """Where articles run: this process (1 worker), a pool of ``workers`` processes, or Dask (``scheduler`` 'dask'
    starts a local cluster of ``workers`` processes on loopback; 'tcp://host:port' joins a running one); with how
    many articles to hand out at a time (twice the workers: each has the next one waiting)."""
    if scheduler:
        try:
            from distributed import Client, LocalCluster
        except ImportError:
            raise TqError("--scheduler needs Dask: pip install 'tq[batch]'") from None
        if scheduler == "dask":
            with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                              dashboard_address=None) as cluster, Client(cluster) as client:
                yield client.get_executor(pure=False), 2 * workers
            return
        if not scheduler.startswith(("tcp://", "tls://")):
            raise TqError(f"--scheduler: 'dask' or a scheduler address such as tcp://HOST:8786, not {scheduler!r}")
        try:
            client = Client(scheduler, timeout="10s")
        except OSError as exc:
            raise TqError(f"--scheduler {scheduler}: cannot reach the Dask scheduler ({exc})") from None
        with client:
            yield client.get_executor(pure=False), 2 * max(1, sum(client.nthreads().values()))
        return
    if workers <= 1:
        yield _InProcess(), 1
        return
    import multiprocessing

    # spawn: a fresh interpreter per worker (forking a parent that runs a progress thread is unsafe)
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"))
    try:
        yield pool, 2 * workers
    except BaseException:  # Ctrl-C: drop the queued articles at once instead of checking them first
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()


def _inputs(article: Article, max_bytes: int) -> tuple[bytes, bytes] | str:
    """The bytes of the article's two files, or the one-line reason they cannot be had."""
    from .read import _read_file

    if article.error:
        return article.error
    assert article.source is not None and article.translation is not None, article.id  # only an error lacks a file
    try:
        return _read_file(article.source, max_bytes), _read_file(article.translation, max_bytes)
    except TqError as exc:
        return str(exc)


def _results(items: Iterable[tuple[Article, tuple[bytes, bytes] | str]], workers: int, scheduler: str | None,
             options: dict) -> Iterator[ArticleResult]:
    """Each article's result as soon as it is ready. Articles are handed out a few at a time (`executor`'s slots),
    so an archive's texts are read as the workers get to them, never all held at once."""
    with executor(workers, scheduler) as (pool, slots):
        pending: dict[Future, Article] = {}
        for article, inputs in items:
            if isinstance(inputs, str):
                yield ArticleResult(article, "error", reason=inputs)
                continue
            future = pool.submit(check_article, *inputs, str(article.source), str(article.translation), options)
            pending[future] = article
            if len(pending) >= slots:
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    yield _checked(pending.pop(future), future)
        for future in as_completed(pending):
            yield _checked(pending.pop(future), future)


def check_many(articles: Iterable[Article | tuple[str | os.PathLike, str | os.PathLike]], *, workers: int = 1, scheduler: str | None = None,
               **options) -> Iterator[ArticleResult]:
    """Check many articles, yielding each result as soon as it is ready (in finishing order): a report, or why an
    article could not be checked. ``articles`` are `Article`s (`pair_folders`, `read_manifest`) or
    (source path, translation path) tuples; ``options`` are those of :func:`tq.check`. For notebooks::

        for result in tq.check_many(tq.batch.pair_folders(Path("it"), Path("en")), workers=2):
            print(result.article.id, result.status, result.report and result.report.document_score)
    """
    options, max_bytes = _prepared(options, workers, scheduler)
    given = [a if isinstance(a, Article) else Article(_article_id(Path(Path(a[1]).name)), Path(a[0]), Path(a[1]))
             for a in articles]
    yield from _results(((article, _inputs(article, max_bytes)) for article in given), workers, scheduler, options)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _atomic_write(path: Path, data: str | bytes) -> None:
    """Write ``data`` (text as UTF-8) to ``path`` so that a reader (or a crash) sees the old file or the new one,
    never half of one."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.chmod(temporary, 0o666 & ~_umask())  # mkstemp makes it private; a report is an ordinary file
        with os.fdopen(handle, "wb") as stream:
            stream.write(data if isinstance(data, bytes) else data.encode("utf-8"))
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def _summary_row(result: ArticleResult, fail_on: str) -> dict:
    """One line of the summary: id, status (ok, failed the gate, error), score, counts, the worst finding, seconds."""
    row = {"id": result.article.id, "status": result.status, "source": str(result.article.source or ""),
           "translation": str(result.article.translation or ""), "reason": result.reason, "seconds": round(result.seconds, 2)}
    if result.report is not None:
        report = result.report
        counts = report.counts()
        worst = max(report.findings, key=lambda pf: (SEVERITY_RANK[pf[1].severity], pf[1].confidence), default=None)
        row.update(score=round(report.document_score, 4), pairs=len(report.pairs), **counts,
                   worst="" if worst is None else f"{worst[1].severity} {worst[1].check}: "
                                                  f"{worst[0].target[worst[1].start:worst[1].end] or worst[1].message}"[:120])
    return _gate(row, fail_on)


def _gate(row: dict, fail_on: str) -> dict:
    """The row's status under this run's gate (a re-run with another --fail-on re-judges stored counts)."""
    if fail_on == "never" or row["status"] not in ("ok", "failed", "unchanged", "unchanged-failed"):
        return row
    reached = any(row.get(severity) for severity in SEVERITY_RANK if severity != "none"
                  and SEVERITY_RANK[severity] >= SEVERITY_RANK[fail_on])
    unchanged = row["status"].startswith("unchanged")
    row["status"] = ("unchanged-failed" if reached else "unchanged") if unchanged else ("failed" if reached else "ok")
    return row


@dataclass
class BatchSummary:
    """The batch's rows (one per article, in id order) and its exit code; ``combined``: the file of every article's
    findings a binary format writes (xlsx), else None."""

    rows: list[dict]
    out_dir: Path
    combined: Path | None = None

    @property
    def checked(self) -> int:
        return sum(row["status"] in ("ok", "failed", "unchanged", "unchanged-failed") for row in self.rows)

    @property
    def exit_code(self) -> int:
        """2 when nothing could be checked, 1 when an article failed the gate, else 0."""
        if not self.checked:
            return 2
        return 1 if any(row["status"] in ("failed", "unchanged-failed") for row in self.rows) else 0

    def to_json(self) -> str:
        return json.dumps({"schema": "tq.batch", "version": 1, "articles": len(self.rows), "checked": self.checked,
                           "rows": self.rows}, ensure_ascii=False, indent=2) + "\n"

    def to_csv(self) -> str:
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=SUMMARY_FIELDS, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(self.rows)
        return buffer.getvalue()


def run_batch(articles: list[Article], out_dir: Path, *, fmt: str = "json", fail_on: str = "never", workers: int = 1,
              scheduler: str | None = None, options: dict, on_result: Callable[[dict, int], None] | None = None) -> BatchSummary:
    """Check every article not already done with the same inputs and settings, writing each report atomically to
    ``out_dir/<id>.<ext>`` as it finishes, then ``summary.json`` and ``summary.csv``. ``on_result(row, pairs)`` is
    called for each article (progress). A binary ``fmt`` (xlsx) writes JSON reports per article and then one file of
    every checked article's findings, in the articles' order (``COMBINED``)."""
    from .report import render

    options, max_bytes = _prepared(options, workers, scheduler)
    fmt, combined_fmt = article_format(fmt), fmt
    state_dir = out_dir / STATE_DIR
    state_dir.mkdir(parents=True, exist_ok=True)
    for leftover in [*out_dir.glob(".*.tmp"), *state_dir.glob(".*.tmp")]:  # a write cut short by a kill: never a report
        leftover.unlink(missing_ok=True)
    settings = settings_key(options, fmt)
    extension = EXTENSIONS[fmt]
    rows: dict[str, dict] = {}
    keys: dict[str, str] = {}

    def to_check() -> Iterator[tuple[Article, tuple[bytes, bytes] | str]]:
        """The articles not done before with these inputs and settings, each read once (for its key and its check)."""
        for article in articles:
            inputs = _inputs(article, max_bytes)
            if not isinstance(inputs, str):
                digest = hashlib.sha256(hashlib.sha256(inputs[0]).digest() + hashlib.sha256(inputs[1]).digest()).hexdigest()
                keys[article.id] = hashlib.sha256(f"{settings}:{digest}".encode()).hexdigest()
                with contextlib.suppress(OSError, ValueError, KeyError):
                    record = json.loads((state_dir / f"{article.id}.json").read_text("utf-8"))
                    if record["key"] == keys[article.id] and (out_dir / f"{article.id}.{extension}").is_file():
                        rows[article.id] = _gate(dict(record["row"], status="unchanged"), fail_on)
                        if on_result:
                            on_result(rows[article.id], 0)
                        continue
            yield article, inputs

    for result in _results(to_check(), workers, scheduler, options):
        row = _summary_row(result, fail_on)
        if result.report is not None:
            _atomic_write(out_dir / f"{result.article.id}.{extension}", render(result.report, fmt))
            _atomic_write(state_dir / f"{result.article.id}.json",
                          json.dumps({"key": keys[result.article.id], "row": row}, ensure_ascii=False))
        rows[result.article.id] = row
        if on_result:
            on_result(row, len(result.report.pairs) if result.report else 0)
    summary = BatchSummary([rows[a.id] for a in articles], out_dir)
    _atomic_write(out_dir / "summary.json", summary.to_json())
    _atomic_write(out_dir / "summary.csv", summary.to_csv())
    if combined_fmt in COMBINED:
        from .report import render_many

        summary.combined = out_dir / COMBINED[combined_fmt]
        _atomic_write(summary.combined, render_many(_stored_reports(out_dir, summary, extension), combined_fmt))
    return summary


def _stored_reports(out_dir: Path, summary: BatchSummary, extension: str) -> Iterator[tuple[str, dict]]:
    """(id, JSON report) of every checked article, as written in ``out_dir`` (this run's and unchanged ones), one at
    a time in the summary's order."""
    for row in summary.rows:
        if row["status"] in ("ok", "failed", "unchanged", "unchanged-failed"):
            path = out_dir / f"{row['id']}.{extension}"
            try:
                yield row["id"], json.loads(path.read_text("utf-8"))
            except (OSError, ValueError) as exc:
                raise TqError(f"{path}: cannot read the article's report ({exc})") from None
