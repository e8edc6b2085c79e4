"""check: aligned pairs -> findings, one small unit per check in a registry.

Each check has an ``id`` (what users pass to ``--skip``), a default MQM
category, the resources it ``needs`` ("encoder", later "lm" and "mt"), and
either ``check_pair`` (one pair at a time) or ``check_document`` (needs the
whole document, e.g. spelling consistency). A check whose resource is
missing is skipped and the report says so once.
"""
from __future__ import annotations

import importlib
from collections.abc import Callable, Container, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar, SupportsFloat, cast

from ..types import Finding, Pair, Severity

if TYPE_CHECKING:
    from ..models.encoder import Encoder
    from ..models.lm import Comparison, LanguageModel
    from ..models.mt import TranslationModel

REGISTRY: dict[str, type[Check]] = {}
LM_PASS = "fluency"  # the check that scores every sentence with the LM, and answers the others' comparisons as it goes

# Modules that define checks; imported on first use, never at ``import tq``.
CHECK_MODULES = (
    "adequacy",
    "coverage",
    "untranslated",
    "numbers",
    "names",
    "lexical",
    "broader_word",
    "dropped_verb",
    "dropped_subject",
    "qualifiers",
    "polarity",
    "tense",
    "tense_swap",
    "punctuation",
    "spelling",
    "consistency",
    "terminology",
    "fluency",
    "translation_model",
)


@dataclass
class CheckContext:
    """What a check may read besides its pair: languages, the other pairs, resources."""

    pairs: list[Pair]
    src_lang: str = "it"
    tgt_lang: str = "en"
    resources: dict[str, object] = field(default_factory=dict)
    options: dict[str, object] = field(default_factory=dict)

    unavailable: dict[str, str] = field(default_factory=dict)  # role -> why it cannot be used
    # pair index -> what checks will ask the LM to compare in that pair's English (registered in ``Check.prepare``):
    # the fluency check, which runs first, answers them on each sentence's own run, as it scores it
    comparisons: dict[int, list[Comparison]] = field(default_factory=dict)
    _translations: dict[int, str] = field(default_factory=dict)
    _word_alignments: dict[int, object] = field(default_factory=dict)
    # what the fluency check's LM saw in each pair it scored: pair index -> (where the scored text starts in the
    # target, its analysis); the repair stage (tq.repair) searches where it found words out of place
    fluency: dict[int, tuple[int, object]] = field(default_factory=dict)

    @property
    def encoder(self) -> Encoder:
        """The sentence encoder (a check that uses it lists "encoder" in its ``needs``)."""
        return cast("Encoder", self.resources["encoder"])

    @property
    def mt(self) -> TranslationModel:
        """The translation model (a check that uses it lists "mt" in its ``needs``)."""
        return cast("TranslationModel", self.resources["mt"])

    def machine_translation(self, pair: Pair) -> str:
        """The translation model's own rendering of the pair's source (all pairs translated in one batch)."""
        if pair.index not in self._translations:
            todo = [p for p in self.pairs if p.source.strip() and p.index not in self._translations]
            for done, text in zip(todo, self.mt.translate([p.source for p in todo])):
                self._translations[done.index] = text
        return self._translations.get(pair.index, "")

    def prepare_similarities(self) -> None:
        """Encode every pair in one batch (much faster than pair by pair)."""
        todo = [p for p in self.pairs if p.similarity is None and p.source.strip() and p.target.strip()]
        if todo and "encoder" in self.resources:
            vectors = self.encoder.encode([p.source for p in todo] + [p.target for p in todo])
            for pair, src, tgt in zip(todo, vectors[: len(todo)], vectors[len(todo):]):
                pair.similarity = float(src @ tgt)

    def word_alignment(self, pair: Pair):
        """The pair's word alignment (:mod:`tq.wordalign`), computed once and shared by the accuracy checks."""
        if pair.index not in self._word_alignments:
            from ..text import alignment_tokens
            from ..wordalign import align_sentence

            if not self._word_alignments:  # one batch for the document's words: much faster than pair by pair
                self.encoder.encode(sorted({t.text for p in self.pairs for text, lang in ((p.source, self.src_lang), (p.target, self.tgt_lang))
                                            for t in alignment_tokens(text, lang)}))
            self._word_alignments[pair.index] = alignment = align_sentence(pair.source, pair.target, self.encoder)
            pair.word_coverage = round(alignment.coverage, 4)
            source, target = alignment.least_explained
            pair.least_explained = (round(source, 4), round(target, 4))
        return self._word_alignments[pair.index]

    def lm_reads(self, pair: Pair) -> bool:
        """Whether the checks that read the LM read this pair: not a piece of an over-long sentence past the words
        the LM reads of one (``lm_unscored``, pair indices set by tq.pipeline: every piece of a 30,000-word
        sentence through the LM took minutes)."""
        return pair.index not in cast("Container[int]", self.options.get("lm_unscored", ()))

    def lm_text_start(self, pair: Pair) -> int:
        """Where the English the fluency check scores starts: past a dateline ("LONDON —"), which is not part of
        the sentence's grammar."""
        from .punctuation import DATELINE

        dateline = DATELINE.match(pair.target)
        return dateline.end() if dateline else 0

    def ask_lm(self, pair: Pair, text: str, variants: list[str], window: int = 4, shortlist: int | None = None) -> Comparison:
        """Register a comparison of ``variants`` of ``text`` (a pair's English, or what the fluency check scores of
        it) with ``text``, for ``compared`` to give; called from ``Check.prepare``."""
        from ..models.lm import Comparison

        comparison = Comparison(text, variants, window, shortlist)
        self.comparisons.setdefault(pair.index, []).append(comparison)
        return comparison

    def compared(self, comparisons: list[Comparison]) -> list[list[float | None]]:
        """Each comparison's gains (``LanguageModel.compare``): those the fluency check's LM pass answered on the
        sentence's own run, the others (another text, or that check off) run now, side by side on the LM's threads.
        Either way the numbers are the same."""
        lm = cast("LanguageModel", self.resources["lm"])
        todo = [c for c in comparisons if c.gains is None]
        for comparison, gains in zip(todo, on_lm_threads(lm, lambda c: lm.compare(c.text, c.variants, c.window, c.shortlist), todo)):
            comparison.gains = gains
        return [cast("list[float | None]", c.gains) for c in comparisons]

    def similarity(self, pair: Pair) -> float | None:
        """Cross-lingual cosine of the pair (computed once, shared by checks)."""
        if pair.similarity is None and pair.source.strip() and pair.target.strip() and "encoder" in self.resources:
            vectors = self.encoder.encode([pair.source, pair.target])
            pair.similarity = float(vectors[0] @ vectors[1])
        return pair.similarity


class Check:
    """Base class: override ``check_pair`` or ``check_document``."""

    id: ClassVar[str]
    category: ClassVar[str]
    description: ClassVar[str]
    needs: ClassVar[frozenset[str]] = frozenset()
    # Thresholds a project may tune in its configuration (``[checks.<id>]`` in tq.toml): class attribute name ->
    # what it does. ``run_checks`` sets overrides on the instance it creates, so one run never changes another's.
    tunable: ClassVar[dict[str, str]] = {}
    # Whether the severity judge (tq.judge) weighs this check's findings with the rest of the pair's evidence: by
    # default those of checks whose evidence is a model's (a similarity, a word alignment, an LM). A rule whose
    # evidence is the text itself (a number that differs, a misspelt name, a doubled word) keeps its own severity.
    judged: ClassVar[bool | None] = None
    # Whether the judge may also lower a judged finding below the check's own severity, or only raise it: a
    # count of negations that differs is rule evidence, like a number that differs, but only the other evidence
    # tells a flip (critical) from a lesser slip.
    judge_may_lower: ClassVar[bool] = True

    @classmethod
    def is_judged(cls) -> bool:
        return bool(cls.needs) if cls.judged is None else cls.judged

    def prepare(self, ctx: CheckContext) -> None:
        """Before any check runs: register what this check will ask the LM to compare (``ctx.ask_lm``)."""

    def check_pair(self, pair: Pair, ctx: CheckContext) -> Iterable[Finding]:
        return ()

    def check_document(self, ctx: CheckContext) -> Iterable[tuple[int, Finding]]:
        for pair in ctx.pairs:
            for finding in self.check_pair(pair, ctx):
                yield pair.index, finding

    def finding(self, start: int, end: int, severity: Severity, message: str, **extra) -> Finding:
        extra.setdefault("category", self.category)
        return Finding(severity=severity, start=start, end=end, message=message, check=self.id, **extra)


def register(cls: type[Check]) -> type[Check]:
    if cls.id in REGISTRY and REGISTRY[cls.id] is not cls:
        raise ValueError(f"duplicate check id {cls.id!r}")
    REGISTRY[cls.id] = cls
    return cls


def all_checks() -> dict[str, type[Check]]:
    """Every registered check, by id (imports the check modules once)."""
    for module in CHECK_MODULES:
        importlib.import_module(f"{__name__}.{module}")
    return dict(sorted(REGISTRY.items()))


def needed_resources(skip: Iterable[str] = ()) -> set[str]:
    """The resources the enabled checks need (so models that nothing needs are never loaded)."""
    skip = set(skip)
    return {need for check_id, cls in all_checks().items() if check_id not in skip for need in cls.needs}


def verify_skip(skip: Iterable[str]) -> None:
    """Refuse check ids that do not exist (before any slow work)."""
    unknown = set(skip) - set(all_checks())
    if unknown:
        from ..types import TqError

        raise TqError(f"unknown check id(s): {', '.join(sorted(unknown))} (see `tq checks`)")


def verify_params(params: Mapping[str, Mapping[str, object]] | None, origin: str = "check parameters") -> None:
    """Refuse threshold overrides for unknown checks or parameters, or of the wrong type (before any slow work)."""
    from ..types import TqError

    checks = all_checks()
    for check_id, values in (params or {}).items():
        if check_id not in checks:
            raise TqError(f"{origin}: unknown check id {check_id!r} (see `tq checks`)")
        cls = checks[check_id]
        for name, value in values.items():
            if name not in cls.tunable:
                known = ", ".join(sorted(cls.tunable)) or "none"
                raise TqError(f"{origin}: check {check_id!r} has no parameter {name!r} (tunable: {known})")
            default = getattr(cls, name)
            if not _same_kind(default, value):
                wanted = "a number" if isinstance(default, float) else f"a {type(default).__name__}"
                raise TqError(f"{origin}: {check_id}.{name} must be {wanted}, not {value!r}")


def _same_kind(default: object, value: object) -> bool:
    """Whether ``value`` may replace ``default``: a whole number may stand for a float, a bool never for a number."""
    if isinstance(default, bool) or isinstance(value, bool):
        return isinstance(default, bool) and isinstance(value, bool)
    if isinstance(default, float):
        return isinstance(value, (int, float))
    return type(value) is type(default)


def run_checks(
    ctx: CheckContext, skip: Iterable[str] = (), on_skipped: Callable[[str, str], None] | None = None,
    on_progress: Callable[[str, int, int], None] | None = None, params: Mapping[str, Mapping[str, object]] | None = None,
) -> None:
    """Run every enabled check and attach its findings to the pairs in ``ctx``.

    A check whose resource is missing is reported through ``on_skipped(check_id, reason)``;
    ``on_progress(check_id, done, total)`` is called as each check starts and once at the end.
    ``params`` overrides tunable thresholds by check id (``{"adequacy": {"minor_below": 0.6}}``) for this run only.
    """
    skip = set(skip)
    verify_skip(skip)
    verify_params(params)
    checks = {check_id: cls for check_id, cls in all_checks().items() if check_id not in skip}
    ctx.prepare_similarities()
    ready: dict[str, Check] = {}
    for check_id, cls in checks.items():
        missing = sorted(need for need in cls.needs if need not in ctx.resources)
        if missing:
            if on_skipped:
                on_skipped(check_id, "; ".join(ctx.unavailable.get(need, f"needs {need}, which is not available") for need in missing))
            continue
        check = ready[check_id] = cls()
        for name, value in (params or {}).get(check_id, {}).items():
            if isinstance(getattr(cls, name), float) and isinstance(value, (SupportsFloat, str)):
                value = float(value)  # a whole number may stand for a float parameter (verify_params)
            setattr(check, name, value)
    for check in ready.values():
        check.prepare(ctx)
    # the fluency check first: its LM pass answers the comparisons the others registered. Findings are attached in
    # the registry's order all the same (merge_overlapping keeps the first of two equal findings)
    found: dict[str, list[tuple[int, Finding]]] = {}
    for done, check_id in enumerate(sorted(ready, key=lambda c: c != LM_PASS)):
        if on_progress:
            on_progress(check_id, done, len(ready))
        found[check_id] = list(ready[check_id].check_document(ctx))
    for check_id in ready:
        for index, finding in found[check_id]:
            ctx.pairs[index].findings.append(finding)
    if on_progress:
        on_progress("done", len(ready), len(ready))


def on_lm_threads(lm, function: Callable, items: list) -> list:
    """``function`` of each item, the items side by side on the LM's threads (one LM run each, on one core), as the
    repair stage runs its sentences."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max(1, getattr(lm, "threads", 1))) as pool:
        return list(pool.map(function, items))
