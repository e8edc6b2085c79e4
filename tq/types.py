"""Plain data types that flow between the pipeline stages.

read -> Document -> segment -> list[Sentence] -> align -> list[Link]
-> check -> Finding (inside Pair) -> report -> Report.

They are plain dataclasses on purpose: every stage can be tested, serialised
and replaced alone.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from .markup import MarkupMap

Severity = Literal["minor", "major", "critical"]
SEVERITIES: tuple[Severity, ...] = ("minor", "major", "critical")
SEVERITY_RANK: dict[str, int] = {"none": 0, "minor": 1, "major": 2, "critical": 3}


class TqError(Exception):
    """An error the user can fix (bad input, bad option): shown as one line, exit code 2."""


@dataclass(frozen=True)
class Document:
    """Decoded text of one side, exactly as read (offsets refer to this string).

    For an HTML or Markdown input, ``text`` is the plain text read out of it and ``markup`` maps it back
    to the original (``tq.markup``); ``markup`` is None for plain text.
    """

    text: str
    language: str
    name: str = "<text>"
    encoding: str = "utf-8"
    markup: MarkupMap | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Sentence:
    """One sentence; ``start``/``end`` are character offsets into ``Document.text``."""

    index: int
    text: str
    start: int
    end: int
    paragraph: int


@dataclass(frozen=True)
class Link:
    """An alignment link: 0-based sentence ids on each side (either may be empty)."""

    src_ids: tuple[int, ...]
    tgt_ids: tuple[int, ...]
    score: float

    @property
    def kind(self) -> str:
        return f"{len(self.src_ids)}-{len(self.tgt_ids)}"


@dataclass(frozen=True)
class Repair:
    """A garbled sentence repaired by a few edits (tq.repair): ``target[start:end]`` becomes ``replacement``, giving
    ``text``; ``score`` is the language model's gain (nats) with the word map's channel; ``edits`` say what moved."""

    start: int
    end: int
    replacement: str
    text: str
    score: float
    edits: tuple[str, ...]


@dataclass
class Finding:
    """One problem in the English text of a pair.

    ``start``/``end`` are offsets into ``Pair.target`` (whitespace trimmed); an
    omission has an empty span where the missing text belongs and the missing
    source text in ``source_start``/``source_end`` (offsets into ``Pair.source``).
    ``suggestion`` replaces ``target[start:end]`` when the fix is known.
    """

    category: str
    severity: Severity
    start: int
    end: int
    message: str
    check: str
    confidence: float = 1.0
    suggestion: str | None = None
    source_start: int | None = None
    source_end: int | None = None
    also: tuple[str, ...] = ()  # other checks that found the same error (merged into this finding)
    # where ``suggestion`` came from: "rule" (the check's own fix), "model" (a translation model's rewrite, or what an
    # insertion check puts back: a verb from the word map's table, a pronoun the Italian verb fixes, tq.checks.insertion;
    # an auxiliary in the tense the LM reads better, tq.checks.tense_swap)
    # or "lm" (the repair stage's edits of garbled English, tq.repair)
    fix_origin: str | None = None

    @property
    def rank(self) -> int:
        return SEVERITY_RANK[self.severity]


@dataclass
class Pair:
    """Aligned source and target segments with what the checks found in them.

    ``source``/``target`` are the document text from the first to the last
    sentence of the link (original spacing kept); ``src_offset``/``tgt_offset``
    place them in their documents.
    """

    index: int
    source: str
    target: str
    src_ids: tuple[int, ...]
    tgt_ids: tuple[int, ...]
    src_offset: int = 0
    tgt_offset: int = 0
    link_score: float = 1.0
    similarity: float | None = None
    word_coverage: float | None = None  # how fully the words of each side are rendered (tq.wordalign), 0..1
    # the best link probability of each side's worst-explained content word (tq.wordalign): a dropped or added word
    # leaves one word with no likely counterpart, where a paraphrase leaves several half-likely ones
    least_explained: tuple[float, float] | None = None
    lm_surprisal: float | None = None   # the English LM's mean surprisal per word, nats (lower reads better)
    repair: Repair | None = None        # the repair stage's best repair of the sentence, proposed or not (tq.repair)
    score: float = 1.0
    findings: list[Finding] = field(default_factory=list)
    suggestion: str | None = None
    low_confidence: bool = False  # the aligner was unsure these segments correspond

    @property
    def worst_severity(self) -> str:
        return max((f.severity for f in self.findings), key=SEVERITY_RANK.__getitem__, default="none")


@dataclass
class Report:
    """Everything one run found; every renderer (text, JSON, Markdown, frame) reads this."""

    pairs: list[Pair]
    source_name: str = "<source>"
    translation_name: str = "<translation>"
    src_lang: str = "it"
    tgt_lang: str = "en"
    source_encoding: str = "utf-8"
    translation_encoding: str = "utf-8"
    document_score: float = 1.0
    skipped: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    signature: str = ""
    # an HTML or Markdown translation: its plain text's map back to the markup (``markup_span``); None for plain text
    translation_markup: MarkupMap | None = field(default=None, compare=False, repr=False)

    @property
    def findings(self) -> list[tuple[Pair, Finding]]:
        return [(pair, finding) for pair in self.pairs for finding in pair.findings]

    @property
    def worst_severity(self) -> str:
        return max((pair.worst_severity for pair in self.pairs), key=SEVERITY_RANK.__getitem__, default="none")

    def skipped_by_reason(self) -> dict[str, list[str]]:
        """Skipped check ids grouped by why (a missing model skips several checks at once)."""
        grouped: dict[str, list[str]] = {}
        for check_id, reason in sorted(self.skipped.items()):
            grouped.setdefault(reason, []).append(check_id)
        return grouped

    def markup_span(self, pair: Pair, finding: Finding) -> tuple[int, int] | None:
        """Where ``finding`` lies in the original HTML/Markdown of the translation (text only, never a tag
        around it); None when the translation was plain text."""
        if self.translation_markup is None:
            return None
        return self.translation_markup.span(pair.tgt_offset + finding.start, pair.tgt_offset + finding.end)

    def counts(self) -> dict[str, int]:
        """Findings by severity, most severe first (what editors ask for)."""
        counts: dict[str, int] = dict.fromkeys(reversed(SEVERITIES), 0)
        for _, finding in self.findings:
            counts[finding.severity] += 1
        return counts

    def fails(self, fail_on: str) -> bool:
        """True when a finding reaches the gate's severity (``never`` never fails)."""
        return fail_on != "never" and SEVERITY_RANK[self.worst_severity] >= SEVERITY_RANK[fail_on]

    def to_dict(self) -> dict:
        from .report.json import report_dict

        return report_dict(self)

    def to_json(self, indent: int | None = 2) -> str:
        from .report.json import render_json

        return render_json(self, indent=indent)

    def to_markdown(self) -> str:
        from .report.markdown import render_markdown

        return render_markdown(self)

    def to_html(self) -> str:
        """The self-contained HTML report (what ``tq check --format html`` writes)."""
        from .report.html import render_html

        return render_html(self)

    def _repr_html_(self) -> str:
        """Jupyter shows a Report as the HTML report: a scoped ``<div>`` (its style and script touch nothing else)."""
        from .report.html import render_html_fragment

        return render_html_fragment(self)

    def to_frame(self):
        """One row per finding (pairs without findings get one empty row): a pandas DataFrame."""
        from .report.frame import report_frame

        return report_frame(self)
