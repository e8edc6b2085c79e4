"""`tq bench …`: the benchmarks' command line (speed, alignment, word alignment, fluency, detection, articles, batches,
the judge).

Each subcommand is a thin wrapper over a ``run_*`` function of this package, which prints its rows against
their aims; the main command line (tq.cli) registers the group.
"""
from __future__ import annotations

import click

from ..types import TqError

EXIT_OK = 0


@click.group("bench", invoke_without_command=True)
@click.option("--data", "data_dir", default=None, metavar="DIR", help="The shared data folder (default: ../shared/data).")
@click.option("--repeats", default=3, show_default=True)
@click.option("--fresh-demo/--no-fresh-demo", default=True, show_default=True,
              help="Also time `make demo` in a fresh clone (cold pip cache, no compiler; a few minutes).")
@click.option("--json", "json_path", metavar="FILE", help="Also write the rows as JSON.")
@click.pass_context
def bench_command(ctx, data_dir, repeats, fresh_demo, json_path) -> int:
    """Speed and memory against their aims: first `make demo`, the demo article from the shell (idle and beside
    a busy process), tq.check_pairs warm, peak memory, and the fluency AUCs; with the machine's load.

    Subcommands measure quality: `tq bench align`, `tq bench wordalign`, `tq bench fluency`, `tq bench detect`,
    `tq bench docs`.
    """
    ctx.obj = {"data": data_dir}
    if ctx.invoked_subcommand:
        return EXIT_OK
    from .speed import run_bench

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
    from .align import run_align_bench

    return run_align_bench(ctx.obj["data"], _whole_numbers(sizes, "--sizes"), seed, max_documents)


@bench_command.command("wordalign")
@click.option("--threshold", type=click.FloatRange(0, 1), default=None, metavar="X",
              help="Keep only links of at least this probability (default: every link the aligner returns).")
@click.option("--passes", type=click.IntRange(min=1), default=3, show_default=True, help="Timed passes over the pairs (median).")
@click.option("--json", "json_path", metavar="FILE", help="Also write the measures as JSON.")
@click.option("--train", is_flag=True, help="First rebuild the aligner's table and combiner (tq/data/wordalign) from the "
                                            "shared data (needs scikit-learn: pip install 'tq[train]').")
@click.option("--include-nc", is_flag=True, help="With --train: let the table also learn from ParTUT and XL-WA train "
                                                 "(CC BY-NC-SA: to measure, never to ship).")
@click.option("--output", metavar="DIR", help="With --train: write the table and combiner here instead of tq/data/wordalign.")
@click.pass_context
def bench_wordalign_command(ctx, threshold, passes, json_path, train, include_nc, output) -> int:
    """Word alignment on XL-WA's hand-aligned it-en dev pairs: P/R/F1 (all and content words), AER, content words
    left unlinked on each side, pairs per second; --train rebuilds the aligner first."""
    from .wordalign import run_wordalign_bench

    if train:
        from .wordtrain import run_training

        status = run_training(ctx.obj["data"], output, include_nc)
        if status or output:
            return status
    return run_wordalign_bench(ctx.obj["data"], threshold, json_path, passes)


@bench_command.command("fluency")
@click.option("--sentences", default=200, show_default=True, help="FLORES English sentences (each also corrupted 4 ways).")
@click.option("--seed", default=13, show_default=True)
@click.option("--lm", metavar="MODEL", help="As for tq check.")
@click.pass_context
def bench_fluency_command(ctx, sentences, seed, lm) -> int:
    """AUC of the fluency check: clean FLORES sentences vs swapped, shuffled, dropped and repeated words."""
    from .fluency import run_fluency_bench

    return run_fluency_bench(ctx.obj["data"], sentences, seed, lm)


@bench_command.command("repair")
@click.option("--per-split", default=150, show_default=True, help="Garbled sentences per half (each also checked clean).")
@click.option("--seed", default=13, show_default=True)
@click.option("--lm", metavar="MODEL", help="As for tq check (default: SmolLM2).")
@click.option("--json", "json_path", metavar="FILE", help="Also write the tallies and every case as JSON.")
@click.pass_context
def bench_repair_command(ctx, per_split, seed, lm, json_path) -> int:
    """The repair stage on garbles of clean news English: detected, restored, and repairs on the clean originals."""
    from .repair import run_repair_bench

    return run_repair_bench(ctx.obj["data"], per_split, seed, lm, json_path)


@bench_command.command("docs")
@click.option("--lm", metavar="MODEL", help="As for tq check (default: SmolLM2; 'none' for the embedded checks alone).")
@click.option("--corpus", "corpora", multiple=True, type=click.Choice(["NTREX", "FLORES", "WMT09"]), help="Only these corpora (repeatable).")
@click.option("--json", "json_path", metavar="FILE", help="Also write the tallies and every finding as JSON.")
@click.option("--fixes/--no-fixes", default=True, show_default=True, help="Also score fixes on the error suite's corrupted sentences.")
@click.pass_context
def bench_docs_command(ctx, lm, corpora, json_path, fixes) -> int:
    """False alarms and fixes on clean professional articles (NTREX, FLORES, WMT09), checked whole; dev and held-out halves."""
    from .docs import run_docs_bench

    return run_docs_bench(ctx.obj["data"], lm, tuple(corpora) or ("NTREX", "FLORES", "WMT09"), json_path, fixes)


@bench_command.command("batch")
@click.option("--articles", default=50, show_default=True, help="Real NTREX/FLORES articles in the archive.")
@click.option("--jobs-list", default="1,2", show_default=True, help="Worker counts to time, locally and on a local Dask cluster.")
@click.option("--json", "json_path", metavar="FILE", help="Also write the runs as JSON.")
@click.pass_context
def bench_batch_command(ctx, articles, jobs_list, json_path) -> int:
    """Articles per minute of the batch `tq check` over an archive of real articles, locally and on Dask, fresh processes."""
    from .batch import run_batch_bench

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
    from .detect import run_detect_bench

    return run_detect_bench(ctx.obj["data"], sentences, seed, lm, suite_path, json_path)


@bench_command.command("judge")
@click.option("--train", is_flag=True, help="Fit the judge on the development halves and write tq/data/judge.json "
                                            "(needs scikit-learn: pip install 'tq[train]').")
@click.option("--work", "work_dir", metavar="DIR", help="Where the checks' raw findings are kept between runs (default .cache/judge).")
@click.option("--output", metavar="FILE", help="Write the trained judge here instead of tq/data/judge.json.")
@click.pass_context
def bench_judge_command(ctx, train, work_dir, output) -> int:
    """The severity judge on held-out data (suite test split, article held-out halves); --train retrains it on dev halves."""
    from .judge import run_judge_bench

    if train:
        try:
            import sklearn  # noqa: F401
        except ImportError:
            raise TqError("tq bench judge --train needs scikit-learn: pip install 'tq[train]'") from None
    return run_judge_bench(ctx.obj["data"], work_dir, train, output)


@bench_command.command("serve")
@click.option("--seconds", type=click.FloatRange(min=5), default=60, show_default=True, help="How long the clients post.")
@click.option("--clients", type=click.IntRange(min=1), default=8, show_default=True, help="Concurrent clients.")
@click.option("--workers", type=click.IntRange(min=1), default=1, show_default=True, help="tq serve --workers (and check_many's).")
@click.option("--queue", type=click.IntRange(min=0), default=8, show_default=True, help="tq serve --queue.")
@click.option("--lm", metavar="MODEL", help="As for tq check (default: SmolLM2).")
@click.option("--json", "json_path", metavar="FILE", help="Also write the measurements as JSON.")
def bench_serve_command(seconds, clients, workers, queue, lm, json_path) -> int:
    """The service under load: no 5xx, latency, throughput against tq.check_many, memory, /healthz, a burst."""
    from .serve import run_serve_bench

    return run_serve_bench(seconds, clients, workers, queue, lm, json_path)


@bench_command.command("long")
@click.option("--repeats", default=1, show_default=True, help="Runs of each length (a new process each).")
@click.option("--json", "json_path", metavar="FILE", help="Also write the rows as JSON.")
@click.pass_context
def bench_long_command(ctx, repeats, json_path) -> int:
    """One sentence of 3,000 and of 30,000 words with the LM: seconds, their ratio (aim ≤ 12x), the 30,000-word
    time (aim ≤ 60 s), peak memory (aim ≤ 1 GB)."""
    from .speed import run_long_sentence_bench

    return run_long_sentence_bench(json_path, ctx.obj["data"], repeats)
