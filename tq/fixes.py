"""fix: apply only the fixes that are certain to the translation document, and prove each one.

``tq check`` suggests fixes; ``tq fix`` writes a corrected document with the
ones that are certain, so an editor only sees what is left:

* a **rule fix** (a deterministic check's own replacement, ``fix_origin="rule"``)
  whose finding is at least ``RULE_CONFIDENCE`` sure: below it a check is
  guessing (a spelling candidate one edit away, a final stop copied from the source);
* a **model fix** (a translation-model rewrite) only when the caller asks for it
  with ``min_confidence`` and the finding is at least that sure;
* a **repair** (the repair stage's edits of garbled English, ``fix_origin="lm"``)
  whose finding is at least ``REPAIR_CONFIDENCE`` sure (or ``min_confidence``,
  when the caller asks for a higher bar);
* never a fix in a pair the aligner was unsure of (its source may not be the one
  the check compared against).

An HTML or Markdown translation (``tq.markup``) is checked as its plain text and
fixed in its markup: each fix is written over the text it replaces, every tag and
attribute kept. A fix whose span crosses markup (a tag, a block break, part of an
entity), or that would not read back as itself, is not written: its finding is
left for an editor. ``FixResult`` then describes the markup file.

Fixes are applied to the document text by character offsets
(``pair.tgt_offset`` + the finding's span), so everything outside them is the
input unchanged. Then the fixed document is checked again, exactly as ``tq check``
would: a fix whose finding is still there, or that brings a new finding to its
spot, is not certain and is dropped, and the rest is checked again until every
applied fix is proven.
"""
from __future__ import annotations

import codecs
import difflib
import os
from dataclasses import dataclass, field, replace
from pathlib import Path

from .markup import MarkupMap, read_markup
from .suggest import _agree_article
from .types import Document, Finding, Report, TqError

RULE_CONFIDENCE = 0.8  # rule findings below this carry a guess (non-word 0.6, final-stop 0.7), not a certain fix
# A repair this sure (its score 8 nats past the proposing threshold; tq.repair.confidence): on `tq bench repair`'s
# development half (threshold 7.45), 17 of the 28 such repairs gave back the clean sentence exactly, and no clean
# sentence got one.
REPAIR_CONFIDENCE = 0.9
MAX_ROUNDS = 6         # re-checks at most; each round drops at least one fix, and the demo needs one


@dataclass(frozen=True)
class Fix:
    """One replacement in the translation document: ``text[start:end]`` becomes ``after``.

    ``start``/``end`` are character offsets into the input text (the span includes
    an "a"/"an" the fix made agree; in a ``FixResult`` of HTML or Markdown, the
    markup file, ``after`` as written there); ``pair`` is the 0-based pair index.
    """

    pair: int
    check: str
    also: tuple[str, ...]
    origin: str
    severity: str
    confidence: float
    message: str
    start: int
    end: int
    before: str
    after: str
    line: int  # 1-based line of ``start`` in the input, for people

    @property
    def checks(self) -> set[str]:
        return {self.check, *self.also}


@dataclass
class FixResult:
    """What ``tq.fix`` did: the corrected text, the fixes applied and dropped, and a unified diff."""

    text: str                       # the corrected translation (the input where nothing was certain)
    original: str                   # the translation as read
    applied: list[Fix]
    rejected: list[tuple[Fix, str]]  # fixes the re-check disproved, with why
    report: Report                  # the check of the input
    checked: Report                 # the check of ``text`` (``report`` when nothing was applied)
    diff: str                       # unified diff of ``original`` and ``text`` ('' when equal)
    bom: bool = False               # the input began with a UTF-8 byte-order mark (kept in ``encoded``)
    candidates: list[Fix] = field(default_factory=list)  # every fix considered certain before the re-check
    # HTML/Markdown: certain fixes not written because they cross markup or would not read back as themselves
    unwritable: list[Fix] = field(default_factory=list)

    @property
    def left(self) -> int:
        """Findings still in the fixed text: what an editor has to look at."""
        return len(self.checked.findings)

    def encoded(self) -> bytes:
        """The corrected text as UTF-8 (with the input's BOM if it had one): byte for byte the input outside the fixes
        when the input was UTF-8."""
        return (codecs.BOM_UTF8 if self.bom else b"") + self.text.encode("utf-8")

    def summary(self) -> str:
        notes = [f"{len(self.rejected)} not certain after the re-check"] if self.rejected else []
        if self.unwritable:
            notes.append(f"{len(self.unwritable)} across markup, not written")
        dropped = f" ({'; '.join(notes)})" if notes else ""
        return (f"{len(self.applied)} fix{'es' if len(self.applied) != 1 else ''} applied{dropped}, "
                f"{self.left} finding{'s' if self.left != 1 else ''} left for an editor")


def _certain(finding: Finding, min_confidence: float | None) -> bool:
    if finding.suggestion is None:
        return False
    if finding.fix_origin == "rule":
        return finding.confidence >= RULE_CONFIDENCE
    if finding.fix_origin == "model":
        return min_confidence is not None and finding.confidence >= min_confidence
    if finding.fix_origin == "lm":
        return finding.confidence >= max(REPAIR_CONFIDENCE, min_confidence or 0.0)
    return False  # unknown origin: not certain


def _edit(target: str, finding: Finding) -> tuple[int, int, str]:
    """(start, end, replacement) in ``target``, widened to the "a"/"an" the fix makes agree (as ``apply_fixes`` does)."""
    before = target[: finding.start]
    joined = _agree_article(before, finding.suggestion or "")
    keep = len(os.path.commonprefix([before, joined[: len(before)]]))
    while keep < len(before) and keep and before[keep - 1].isalpha():  # a changed article whole ("an" -> "a"), not its last letter
        keep -= 1
    return keep, finding.end, joined[keep:]


def candidate_fixes(report: Report, text: str, min_confidence: float | None = None) -> list[Fix]:
    """The certain fixes of ``report`` as document edits, non-overlapping (most severe, then surest, first), in order."""
    fixes: list[Fix] = []
    for pair in report.pairs:
        if pair.low_confidence or not pair.target or text[pair.tgt_offset:pair.tgt_offset + len(pair.target)] != pair.target:
            continue  # an unsure link, or a pair that does not sit in the document (pre-aligned segments)
        chosen: list[tuple[int, int]] = []
        for finding in sorted(pair.findings, key=lambda f: (-f.rank, -f.confidence, f.start)):
            if not _certain(finding, min_confidence):
                continue
            start, end, after = _edit(pair.target, finding)
            if any(start < e and s < end or start == end == s or (start == end and s < start < e) for s, e in chosen):
                continue
            if pair.target[start:end] == after:
                continue
            chosen.append((start, end))
            doc_start, doc_end = pair.tgt_offset + start, pair.tgt_offset + end
            fixes.append(Fix(pair.index, finding.check, finding.also, finding.fix_origin or "", finding.severity, finding.confidence,
                             finding.message, doc_start, doc_end, text[doc_start:doc_end], after, text.count("\n", 0, doc_start) + 1))
    return sorted(fixes, key=lambda f: (f.start, f.end))


def apply(text: str, fixes: list[Fix]) -> str:
    """``text`` with ``fixes`` (non-overlapping document edits) applied; nothing else changes."""
    out, at = [], 0
    for fix in sorted(fixes, key=lambda f: (f.start, f.end)):
        out += [text[at:fix.start], fix.after]
        at = fix.end
    out.append(text[at:])
    return "".join(out)


def _shift(position: int, fixes: list[Fix], *, end: bool = False) -> int:
    """Where an offset of the input lands in the fixed text (an end at a fix's start stays before it)."""
    delta = 0
    for fix in fixes:
        if fix.end < position or fix.end == position and (fix.start < position or not end):
            delta += len(fix.after) - (fix.end - fix.start)
    return position + delta


def _doc_findings(report: Report) -> list[tuple[Finding, int, int]]:
    return [(f, pair.tgt_offset + f.start, pair.tgt_offset + f.end) for pair, f in report.findings]


def verify(fixes: list[Fix], before: Report, after: Report) -> list[tuple[Fix, str]]:
    """The fixes the re-check disproves: their finding is still at their spot, or a finding that was not there before
    is (touching counts: a fix that leaves a space missing after it made that error)."""
    old_places = {(f.check, _shift(s, fixes), _shift(e, fixes, end=True)) for f, s, e in _doc_findings(before)}
    bad: list[tuple[Fix, str]] = []
    for fix in fixes:
        fs = _shift(fix.start, fixes)
        fe = fs + len(fix.after)
        for finding, s, e in _doc_findings(after):
            if not (s <= fe and e >= fs):
                continue
            if finding.check in fix.checks or fix.check in finding.also:
                bad.append((fix, f"{finding.check} still finds an error there: {finding.message}"))
                break
            if (finding.check, s, e) not in old_places:
                bad.append((fix, f"it brings a new finding there ({finding.check}: {finding.message})"))
                break
    return bad


def _bom(translation) -> bool:
    """Whether the translation input starts with a UTF-8 BOM (kept on output so the bytes outside fixes stay the same)."""
    if isinstance(translation, bytes):
        return translation.startswith(codecs.BOM_UTF8)
    if isinstance(translation, (Path, os.PathLike)):
        try:
            with open(translation, "rb") as handle:  # read-only
                return handle.read(3) == codecs.BOM_UTF8
        except OSError:
            return False  # read_document reports the problem in its own words
    return False


def _diff(original: str, fixed: str, fromfile: str, tofile: str) -> str:
    lines = difflib.unified_diff(original.splitlines(keepends=True), fixed.splitlines(keepends=True), fromfile, tofile)
    return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines)


def fix(source, translation, *, min_confidence: float | None = None, output_name: str = "<fixed>", **options) -> FixResult:
    """Check ``translation`` against ``source`` and apply the certain fixes (see the module docstring).

    ``source``/``translation`` are as for :func:`tq.check` (text, bytes or a ``Path``); ``min_confidence`` also
    allows model rewrites whose finding is at least that sure (default: rule fixes only); other keyword options
    are :class:`tq.pipeline.Options`. Inputs are never written.
    """
    from . import pipeline

    if min_confidence is not None and not 0.0 <= min_confidence <= 1.0:
        raise TqError(f"min_confidence must be between 0 and 1, not {min_confidence}")
    opts = pipeline._options(dict(options))  # bad options are refused before any slow work
    src, tgt = pipeline.read_pair(source, translation, opts)
    options = {**options, "verify_languages": False}  # read_pair has just verified them
    report = pipeline.check(src, tgt, **options)
    candidates = candidate_fixes(report, tgt.text, min_confidence)
    unwritable: list[Fix] = []
    if tgt.markup is not None:  # a fix across a tag is an editor's to make
        unwritable = [f for f in candidates if tgt.markup.edit_span(f.start, f.end) is None]
        candidates = [f for f in candidates if tgt.markup.edit_span(f.start, f.end) is not None]
    applied, rejected, checked = list(candidates), [], report
    for _ in range(MAX_ROUNDS):
        if applied:
            fixed, unreadable = _fixed_document(tgt, applied)
            unwritable += unreadable
            applied = [f for f in applied if all(f is not u for u in unreadable)]
        if not applied:
            checked = report
            break
        checked = pipeline.check(src, fixed, **options)
        bad = verify(applied, report, checked)
        if not bad:
            break
        rejected += bad
        dropped = {id(f) for f, _ in bad}
        applied = [f for f in applied if id(f) not in dropped]
    else:  # still disproving fixes after MAX_ROUNDS: trust none
        rejected += [(f, "not proven within the re-check rounds") for f in applied]
        applied, checked = [], report
    if tgt.markup is None:
        original, text = tgt.text, apply(tgt.text, applied)
    else:  # the result describes the markup file: its text, diff and fix offsets
        markup = tgt.markup
        original, text = markup.source, markup.apply([(f.start, f.end, f.after) for f in applied])
        applied, candidates, unwritable = ([_in_markup(f, markup) for f in fixes] for fixes in (applied, candidates, unwritable))
        rejected = [(_in_markup(f, markup), why) for f, why in rejected]
    return FixResult(text, original, applied, rejected, report, checked, _diff(original, text, tgt.name, output_name),
                     _bom(translation), candidates, unwritable)


def _fixed_document(tgt: Document, fixes: list[Fix]) -> tuple[Document, list[Fix]]:
    """The translation with ``fixes`` applied, to check again; for markup, read back from the fixed markup, with
    the fixes that would not read back as themselves there (left out)."""
    text = apply(tgt.text, fixes)
    if tgt.markup is None:
        return Document(text, tgt.language, tgt.name, "utf-8"), []
    mapped = _reread(tgt.markup, fixes)
    if mapped is not None and mapped.text == text:
        return Document(text, tgt.language, tgt.name, "utf-8", markup=mapped), []
    # rare (a fix that makes Markdown syntax, a space that collapses): find the fixes to blame, one by one
    bad = [f for f in fixes if (alone := _reread(tgt.markup, [f])) is None or alone.text != apply(tgt.text, [f])]
    bad = bad or list(fixes)  # each reads back alone but not together: write none
    fixed, more = _fixed_document(tgt, [f for f in fixes if all(f is not b for b in bad)])
    return fixed, bad + more


def _reread(markup: MarkupMap, fixes: list[Fix]) -> MarkupMap | None:
    try:
        return read_markup(markup.apply([(f.start, f.end, f.after) for f in fixes]), markup.kind)
    except (TqError, ValueError):
        return None


def _in_markup(fix_: Fix, markup: MarkupMap) -> Fix:
    """``fix_`` (plain-text offsets) as an edit of the markup file."""
    start, end = markup.edit_span(fix_.start, fix_.end) or markup.span(fix_.start, fix_.end)
    return replace(fix_, start=start, end=end, before=markup.source[start:end], after=markup.escape(fix_.after),
                   line=markup.source.count("\n", 0, start) + 1)
