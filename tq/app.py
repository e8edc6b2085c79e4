"""The application layer: what every front end does, written once.

The CLI (``tq.cli``) and the service (``tq.service``) are thin over these functions: they read inputs and
options, run a check, a fix or an alignment, decide the QA gate and render results. Nothing here knows of
click or HTTP; errors a user can correct are :class:`tq.types.TqError` with a one-line message, which the CLI
prints with exit code 2 and the service answers as a 4xx JSON error.
"""
from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .read import DEFAULT_MAX_BYTES
from .types import SEVERITIES, SEVERITY_RANK, Link, Report, TqError

if TYPE_CHECKING:
    from .pipeline import Options

BASELINE_FILE = "tq-baseline.json"  # what `tq baseline` writes by default, and what `tq check` uses when present here
GATE_CHOICES = (*SEVERITIES, "never")
ALIGN_FORMATS = ("tsv", "json", "tmx")
WORD_ALIGN_FORMATS = ("pharaoh", "json")

Progress = Callable[[str, int, int], None]


def max_bytes(max_size_mb: float) -> int:
    """--max-size (MB) in bytes."""
    return int(max_size_mb * 1e6)


def options_from_settings(settings, threads: int | None = None, baseline: bool = True) -> dict[str, Any]:
    """The pipeline options of a run from its merged settings (tq.config): what `tq check`, `tq baseline`,
    `tq fix` and the service share."""
    from .accepted import load_suppressions
    from .checks.terminology import load_glossary

    return dict(src_lang=settings["src_lang"], tgt_lang=settings["tgt_lang"], skip=settings.skip, encoding=settings["encoding"],
                max_bytes=max_bytes(settings["max_size"]), lm=settings["lm"], mt=settings["mt"], threads=threads,
                glossary=load_glossary(settings["glossary"]) if settings["glossary"] else (),
                suppressions=load_suppressions(settings["suppressions"]) if settings["suppressions"] else (),
                baseline=settings["baseline"] if baseline else None, check_params=settings.check_params)


def default_baseline(configured: str | None, folder: Path | None = None) -> tuple[str | None, str | None]:
    """The baseline a check uses, and a note for the user when it was found rather than given.

    A configured or given baseline wins; else ``tq-baseline.json`` in the working folder (what `tq baseline`
    wrote there) is used, so that accepting findings once is enough for the next `tq check` in that folder."""
    if configured:
        return configured, None
    found = (folder or Path.cwd()) / BASELINE_FILE
    if found.is_file():
        return str(found), f"using {BASELINE_FILE} found here (accepted findings are left out; --no-baseline to see them)"
    return None, None


# ---- inputs ---------------------------------------------------------------------------------------------------

def read_pairs(path: str, encoding: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[list[str], list[str]]:
    """Pre-aligned pairs from TSV (source<TAB>translation) or JSONL ({"source": …, "target": …}); XLIFF, PO and
    TMX files are read by :func:`read_bilingual_file`."""
    from .read import read_document

    text = read_document(Path(path), "", name=path, encoding=encoding, max_bytes=max_bytes).text
    return parse_pairs(text, path, jsonl=path.endswith((".jsonl", ".json")))


def parse_pairs(text: str, label: str, jsonl: bool = False) -> tuple[list[str], list[str]]:
    """TSV or JSONL pairs from a text (JSONL when ``jsonl`` or when the text starts with '{')."""
    sources, targets = [], []
    jsonl = jsonl or text.lstrip().startswith("{")
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        if jsonl:
            try:
                item = json.loads(line)
                source, target = item.get("source", item.get("src")), item.get("target", item.get("tgt", item.get("translation")))
            except (json.JSONDecodeError, AttributeError):
                raise TqError(f"{label}:{number}: not a JSON object") from None
            if not isinstance(source, str) or not isinstance(target, str):
                raise TqError(f"{label}:{number}: needs string fields 'source' and 'target'")
        else:
            cells = line.split("\t")
            if len(cells) != 2:
                raise TqError(f"{label}:{number}: expected 'source<TAB>translation', found {len(cells)} column(s)")
            source, target = cells
        sources.append(source)
        targets.append(target)
    return sources, targets


def read_pairs_file(path: str, options: Mapping[str, Any], bilingual=None) -> tuple[list[str], list[str], str | None]:
    """Any pairs file ``tq check --pairs`` takes: (sources, targets, a note naming an XLIFF/PO/TMX file's format, or
    None for TSV/JSONL). ``bilingual``: the XLIFF/PO/TMX file when it was read already."""
    if bilingual is None:
        bilingual = read_bilingual_file(path, options)
    if bilingual is not None:
        return bilingual.sources, bilingual.targets, bilingual.note()
    sources, targets = read_pairs(path, options["encoding"], options["max_bytes"])
    return sources, targets, None


def read_bilingual_file(path: str | None, options: Mapping[str, Any]):
    """The parsed XLIFF/PO/TMX file (None when ``path`` is not one), read and checked before any slow work."""
    from .bilingual import bilingual_kind, read_bilingual

    if not path or not bilingual_kind(path):
        return None
    return read_bilingual(path, options["src_lang"], options["tgt_lang"], options["max_bytes"])


def refuse_bilingual_document(path: str) -> None:
    """An XLIFF/PO/TMX file given as SOURCE alone: say to give it as pairs (it holds both sides)."""
    from .bilingual import FORMAT_NAMES, bilingual_kind

    kind = bilingual_kind(path)
    if kind:
        raise TqError(f"{path} holds both sides ({FORMAT_NAMES[kind]}): give it with --pairs {path}")


def verify_annotate(annotate: str, pairs_file: str | None, output: str | None) -> None:
    """``--annotate OUT`` needs an XLIFF or PO pairs file, and OUT must be neither an input nor the report."""
    from .bilingual import ANNOTATABLE, bilingual_kind

    kind = bilingual_kind(pairs_file) if pairs_file else None
    if kind not in ANNOTATABLE:
        what = "two documents" if not pairs_file else f"{pairs_file} ({'TMX' if kind == 'tmx' else 'not XLIFF or PO'})"
        raise TqError(f"--annotate needs an XLIFF or PO file given with --pairs; got {what}")
    verify_output(annotate, (pairs_file,))
    if output and (os.path.abspath(output) == os.path.abspath(annotate)
                   or (os.path.exists(output) and os.path.exists(annotate) and os.path.samefile(output, annotate))):
        raise TqError(f"{annotate}: --annotate and --output must be different files")


def verify_output(output: str | None, inputs: Sequence[str | None]) -> None:
    """Refuse, before any work, an output that is an input or that cannot be written."""
    if output is None:
        return
    target = Path(output)
    if any(p and os.path.exists(p) and target.exists() and os.path.samefile(p, target) for p in inputs):
        raise TqError(f"{output}: refusing to overwrite an input file")
    if target.is_dir():
        raise TqError(f"{output}: is a folder, not a file")
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise TqError(f"{output}: cannot write (no folder {folder})")
    if not os.access(target if target.exists() else folder, os.W_OK):
        raise TqError(f"{output}: cannot write (permission denied)")


# ---- running --------------------------------------------------------------------------------------------------

def check_documents(source, translation, options: Mapping[str, Any], progress: Progress | None = None) -> Report:
    """Two whole documents (paths, text or bytes), segmented and aligned."""
    from . import pipeline

    return pipeline.check(source, translation, **dict(options, progress=progress))


def check_pairs_file(path: str, options: Mapping[str, Any], bilingual=None, progress: Progress | None = None) -> Report:
    """A pre-aligned pairs file: XLIFF/PO/TMX (``bilingual``, already read, or read here) or TSV/JSONL."""
    from . import pipeline

    sources, targets, note = read_pairs_file(path, options, bilingual)
    report = pipeline.check_pairs(sources, targets, **dict(options, progress=progress))
    if note:
        report.notes.append(note)
    return report


def fix_documents(source, translation, options: Mapping[str, Any], min_confidence: float | None = None,
                  output_name: str = "<fixed>"):
    """``tq.fix``: the translation with the certain fixes applied (a :class:`tq.fixes.FixResult`)."""
    from .fixes import fix

    return fix(source, translation, min_confidence=min_confidence, output_name=output_name, **options)


def baseline_text(report: Report, language: str = "en") -> str:
    """Every finding of ``report`` as a baseline file (accepted findings)."""
    from .accepted import baseline_json

    return baseline_json(report.pairs, language)


@dataclass(frozen=True)
class Verdict:
    """The QA gate's decision on a report: does any finding reach ``fail_on``?"""

    fail_on: str
    reached: dict[str, int] = field(default_factory=dict)

    @property
    def passed(self) -> bool:
        return not self.reached

    def message(self) -> str:
        if self.passed:
            return f"gate passed: no finding at or above '{self.fail_on}'"
        listed = ", ".join(f"{n} {s}" for s, n in self.reached.items())
        return f"gate failed: {listed} finding{'s' if sum(self.reached.values()) > 1 else ''} at or above '{self.fail_on}'"

    def to_dict(self) -> dict[str, Any]:
        return {"fail_on": self.fail_on, "passed": self.passed, "reached": self.reached, "message": self.message()}


def gate(report: Report, fail_on: str) -> Verdict:
    """The gate's verdict (``fail_on`` 'never' always passes)."""
    if fail_on not in GATE_CHOICES:
        raise TqError(f"fail_on must be one of {', '.join(GATE_CHOICES)}, not {fail_on!r}")
    if fail_on == "never" or not report.fails(fail_on):
        return Verdict(fail_on)
    return Verdict(fail_on, {s: n for s, n in report.counts().items() if n and SEVERITY_RANK[s] >= SEVERITY_RANK[fail_on]})


@dataclass
class Alignment:
    """Sentence links between two documents, with the sentences they link."""

    links: list[Link]
    source: list[str]
    target: list[str]
    src_lang: str
    tgt_lang: str

    def rows(self) -> list[dict[str, Any]]:
        return [{"src_ids": list(link.src_ids), "tgt_ids": list(link.tgt_ids), "score": link.score,
                 "source": " ".join(self.source[i] for i in link.src_ids),
                 "target": " ".join(self.target[j] for j in link.tgt_ids)} for link in self.links]

    def to_dict(self) -> dict[str, Any]:
        return {"schema": "tq.alignment", "version": 1, "links": self.rows()}

    def render(self, fmt: str) -> str:
        """``tsv`` (a header and one line per link), ``json`` or ``tmx``."""
        if fmt == "tmx":
            from .report.tmx import alignment_tmx

            return alignment_tmx(self.links, self.source, self.target, self.src_lang, self.tgt_lang).decode("utf-8")
        if fmt == "json":
            return json.dumps(self.to_dict(), ensure_ascii=False, indent=2)
        if fmt != "tsv":
            raise TqError(f"unknown alignment format {fmt!r} (known: {', '.join(ALIGN_FORMATS)})")
        header = "src_ids\ttgt_ids\tscore\tsource\ttarget"
        return "\n".join([header] + [
            f"{','.join(map(str, r['src_ids']))}\t{','.join(map(str, r['tgt_ids']))}\t{r['score']:.4f}\t"
            f"{' '.join(r['source'].split())}\t{' '.join(r['target'].split())}" for r in self.rows()]) + "\n"


def align_documents(source, translation, options: Mapping[str, Any], presegmented: bool = False) -> Alignment:
    """Read, segment (or take one sentence per line) and align two documents; unrelated texts are refused."""
    from .aligner import align_sentences
    from .models import get_encoder
    from .pipeline import read_pair, refuse_unrelated
    from .segment import segment

    opts = _reading_options(options)
    source_document, translation_document = read_pair(source, translation, opts)
    if presegmented:
        src, tgt = _lines(source_document.text), _lines(translation_document.text)
    else:
        src = [s.text for s in segment(source_document)]
        tgt = [s.text for s in segment(translation_document)]
    if not src or not tgt:
        raise TqError("nothing to align: a side has no sentences")
    links = align_sentences(src, tgt, get_encoder())
    refuse_unrelated(links, len(src), source_document.name, translation_document.name)
    return Alignment(links, src, tgt, opts.src_lang, opts.tgt_lang)


def _lines(text: str) -> list[str]:
    """The lines of a one-sentence-per-line text, blank ones left out."""
    return [line for line in text.splitlines() if line.strip()]


def _reading_options(options: Mapping[str, Any]) -> Options:
    """The pipeline options that reading and refusing inputs use (a :class:`tq.pipeline.Options`), from a run's
    options: an alignment loads no checks, so it takes no others."""
    from .pipeline import Options

    known = {"src_lang", "tgt_lang", "encoding", "max_bytes", "markup"}
    return Options(**{key: value for key, value in options.items() if key in known})


WordLink = tuple[int, int, float]  # (source token, target token, probability), 0-based: tq.wordalign.align_words


@dataclass
class WordLinks:
    """The word links inside each pre-aligned pair, with the tokens (tq.text.alignment_tokens) they index."""

    sources: list[list[str]]
    targets: list[list[str]]
    links: list[list[WordLink]]

    def to_dict(self) -> dict[str, Any]:
        return {"schema": "tq.word-alignment", "version": 1, "tokenizer": "tq.text.alignment_tokens", "pairs": [
            {"index": index, "source_tokens": source, "target_tokens": target,
             "links": [[i, j, round(probability, 4)] for i, j, probability in links]}
            for index, (source, target, links) in enumerate(zip(self.sources, self.targets, self.links))]}

    def render(self, fmt: str) -> str:
        """``pharaoh`` (``i-j`` per link, source index first, one line per pair: what fast_align and the word
        alignment literature read) or ``json`` (tokens, and links with their probabilities)."""
        if fmt == "json":
            return json.dumps(self.to_dict(), ensure_ascii=False, indent=2)
        if fmt != "pharaoh":
            raise TqError(f"unknown word alignment format {fmt!r} (known: {', '.join(WORD_ALIGN_FORMATS)})")
        return "".join(" ".join(f"{i}-{j}" for i, j, _ in links) + "\n" for links in self.links)


def align_pair_words(path: str, options: Mapping[str, Any]) -> WordLinks:
    """Word-align every pair of a pairs file (any ``tq check --pairs`` takes), refused as tq check refuses it."""
    from .pipeline import verify_pairs
    from .text import alignment_tokens
    from .wordalign import align_words

    opts = _reading_options(options)
    sources, targets, _ = read_pairs_file(path, options)
    verify_pairs(sources, targets, opts, task="align")
    result = WordLinks([], [], [])
    for source, target in zip(sources, targets):
        src = [token.text for token in alignment_tokens(source, opts.src_lang)]
        tgt = [token.text for token in alignment_tokens(target, opts.tgt_lang)]
        links = align_words(src, tgt, src_lang=opts.src_lang, tgt_lang=opts.tgt_lang) if src and tgt else []
        result.sources.append(src)
        result.targets.append(tgt)
        result.links.append(sorted(links))
    return result


# ---- catalogues ------------------------------------------------------------------------------------------------

def check_catalogue() -> list[dict[str, Any]]:
    """Every check: its id (for skip), category, what it needs and what it finds."""
    from .checks import all_checks

    return [{"id": check_id, "category": cls.category, "needs": sorted(cls.needs), "description": cls.description}
            for check_id, cls in all_checks().items()]


def model_catalogue(lm: str | None = None, mt: str | None = None) -> list[dict[str, Any]]:
    """Each model role, what is configured, whether it is available here (nothing is loaded), and its use."""
    from .models import ROLES, describe

    return [{**describe(role, {"lm": lm, "mt": mt}.get(role)), "purpose": ROLES[role].purpose} for role in ROLES]
