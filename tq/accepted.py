"""Findings a reviewer has accepted: suppression files and baselines.

Both let a team keep a translation under a QA gate without re-reading the
same accepted findings on every run. A suppression is written by hand and
matches a check's flagged text anywhere; a baseline is written by
``tq baseline`` and matches each finding in the English sentence it sits in,
so that an edit elsewhere in the article neither revives accepted findings
nor hides new ones.
"""
from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .types import Finding, Pair, TqError

BASELINE_SCHEMA = "tq.baseline"
BASELINE_VERSION = 1
STALE_PREFIX = "stale baseline"  # starts the report note that the command line also prints on stderr
MAX_FILE_BYTES = 20_000_000  # suppression, glossary and baseline files: far above any real one


def read_text_file(path: str | os.PathLike, what: str) -> str:
    """A side file (glossary, suppressions, baseline) decoded exactly as documents are (BOM, UTF-8,
    UTF-16, else Windows-1252), so a file saved by Excel or Notepad reads the same as one saved by an editor.
    Unlike a document, an empty file is allowed: it accepts nothing."""
    from .read import _read_file, decode

    label = str(path)
    data = _read_file(Path(path), MAX_FILE_BYTES)
    if len(data) > MAX_FILE_BYTES:
        raise TqError(f"{label}: {what} file is over {MAX_FILE_BYTES / 1e6:g} MB")
    text, _ = decode(data, label)
    return text


# ---------------------------------------------------------------- suppressions


def parse_suppressions(text: str, origin: str) -> list[tuple[str, str]]:
    """Parse a suppression file into (check id, flagged text or '*') rules.

    Format, one rule a line (blank lines and lines starting with ``#`` are ignored):

    - ``check-id<TAB>flagged text``: drop that check's findings whose flagged English text is exactly
      ``flagged text`` (case and spacing as in the translation), wherever it occurs;
    - ``check-id`` alone: drop every finding of that check.

    The check id must be one ``tq checks`` lists; the flagged text may not be empty and may not contain
    a tab. A line that breaks these rules is an error naming ``origin:line``, because a rule that
    silently matches nothing would let findings through that the reviewer meant to keep out of the
    gate, or the other way round.
    """
    from .checks import all_checks

    known = all_checks()
    rules: list[tuple[str, str]] = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = line.split("\t")
        check_id = cells[0].strip()
        if len(cells) > 2:
            raise TqError(f"{origin}:{number}: expected 'check-id<TAB>flagged text', found {len(cells)} tab-separated columns")
        if not check_id or any(ch.isspace() for ch in check_id):
            raise TqError(f"{origin}:{number}: expected 'check-id<TAB>flagged text' (separate the check id with a tab)")
        if check_id not in known:
            raise TqError(f"{origin}:{number}: unknown check id {check_id!r} (see `tq checks`)")
        if len(cells) == 2 and not cells[1].strip():
            raise TqError(f"{origin}:{number}: empty flagged text (write the check id alone to drop all its findings)")
        rules.append((check_id, cells[1] if len(cells) == 2 else "*"))
    return rules


def load_suppressions(path: str | os.PathLike) -> list[tuple[str, str]]:
    """The rules of a suppression file (see :func:`parse_suppressions`)."""
    return parse_suppressions(read_text_file(path, "suppression"), str(path))


# ---------------------------------------------------------------- baselines


def _normalise(text: str) -> str:
    return " ".join(text.casefold().split())


def _sentences(pair: Pair, language: str) -> list:
    """The pair's English sentences, segmented once for all its findings."""
    from .segment import segment
    from .types import Document

    if not pair.target.strip():
        return []
    try:
        return segment(Document(pair.target, language))
    except Exception:  # the segmenter is a refinement here: the pair's whole target is a sound key too
        return []


def _context(pair: Pair, finding: Finding, sentences: list) -> str:
    """The English sentence of the pair that holds the finding (the whole target if it cannot be told)."""
    for sentence in sentences:
        if sentence.start <= finding.start < sentence.end or (finding.start == finding.end == sentence.end):
            if finding.end <= sentence.end:
                return sentence.text
            break
    return pair.target


def flagged_text(pair: Pair, finding: Finding) -> str:
    """What the finding points at: the English span, or for an omission (an empty span) the source text it misses."""
    text = pair.target[finding.start:finding.end]
    if not text.strip() and finding.source_start is not None and finding.source_end is not None:
        text = pair.source[finding.source_start:finding.source_end]
    return text


@dataclass(frozen=True)
class BaselineEntry:
    """One accepted finding: check id, normalised flagged text, and a hash of its normalised English sentence."""

    check: str
    text: str
    context: str

    @property
    def key(self) -> tuple[str, str, str]:
        return self.check, self.text, self.context


def _entries(pair: Pair, language: str) -> list[tuple[Finding, BaselineEntry]]:
    """Each finding of the pair with its key; offsets and pair numbers are left out of the key so that edits
    elsewhere do not change it."""
    sentences = _sentences(pair, language) if pair.findings else []
    return [(finding, BaselineEntry(finding.check, _normalise(flagged_text(pair, finding)),
                                    hashlib.sha256(_normalise(_context(pair, finding, sentences)).encode("utf-8")).hexdigest()[:16]))
            for finding in pair.findings]


@dataclass(frozen=True)
class Baseline:
    """The accepted findings of one baseline file."""

    entries: tuple[BaselineEntry, ...]
    name: str = "<baseline>"


def baseline_rows(pairs: Iterable[Pair], language: str = "en") -> list[dict]:
    """One baseline entry per finding, in the report's order (severity and message are kept for the reader,
    not for matching): what a baseline file lists, and what the review page keeps to write one later."""
    return [{"check": entry.check, "text": entry.text, "context": entry.context, "severity": finding.severity,
             "message": finding.message} for pair in pairs for finding, entry in _entries(pair, language)]


def baseline_json(pairs: Iterable[Pair], language: str = "en") -> str:
    """The baseline file for these findings."""
    return baseline_file(baseline_rows(pairs, language))


def baseline_file(rows: Iterable[dict]) -> str:
    """A baseline file of these entries (sorted, one per distinct key)."""
    unique: dict[tuple[str, str, str], dict] = {}
    for row in rows:
        unique.setdefault((row["check"], row["text"], row["context"]), row)
    document = {"schema": BASELINE_SCHEMA, "version": BASELINE_VERSION, "entries": [unique[k] for k in sorted(unique)]}
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def load_baseline(path: str | os.PathLike) -> Baseline:
    """Read a baseline written by ``tq baseline``; anything else is refused with one line."""
    name = str(path)
    try:
        document = json.loads(read_text_file(path, "baseline"))
    except json.JSONDecodeError as exc:
        raise TqError(f"{name}:{exc.lineno}: not a tq baseline (invalid JSON: {exc.msg})") from None
    if not isinstance(document, dict) or document.get("schema") != BASELINE_SCHEMA:
        raise TqError(f"{name}: not a tq baseline (write one with `tq baseline`)")
    if document.get("version") != BASELINE_VERSION:
        raise TqError(f"{name}: baseline version {document.get('version')!r} is not supported (expected {BASELINE_VERSION})")
    entries = document.get("entries")
    if not isinstance(entries, list):
        raise TqError(f"{name}: 'entries' must be a list")
    parsed = []
    for number, row in enumerate(entries, 1):
        if not isinstance(row, dict) or not all(isinstance(row.get(k), str) for k in ("check", "text", "context")):
            raise TqError(f"{name}: entry {number} needs string fields 'check', 'text' and 'context'")
        parsed.append(BaselineEntry(row["check"], row["text"], row["context"]))
    return Baseline(tuple(parsed), name)


def apply_baseline(pairs: list[Pair], baseline: Baseline, language: str = "en") -> list[BaselineEntry]:
    """Drop the findings the baseline accepted; return its entries that matched nothing (stale: fixed or reworded)."""
    accepted = {entry.key for entry in baseline.entries}
    used: set[tuple[str, str, str]] = set()
    for pair in pairs:
        kept = []
        for finding, entry in _entries(pair, language):
            key = entry.key
            if key in accepted:
                used.add(key)
            else:
                kept.append(finding)
        pair.findings = kept
    return [entry for entry in baseline.entries if entry.key not in used]


def stale_note(baseline: Baseline, stale: list[BaselineEntry]) -> str:
    """One line for the report and stderr: which baseline entries no longer match anything."""
    shown = ", ".join(f"{e.check} «{e.text[:40]}»" for e in stale[:5]) + (f" and {len(stale) - 5} more" if len(stale) > 5 else "")
    return (f"{STALE_PREFIX} {baseline.name}: {len(stale)} of {len(baseline.entries)} entries match no finding any more "
            f"(fixed or reworded; refresh it with `tq baseline`): {shown}")
