"""suggest: pair + findings -> a corrected English sentence.

Rule findings carry the replacement for their span. Major and critical
findings without one get a model rewrite: the translator's words before the
span are forced as a prefix, the translation model continues, and the rest of
the translator's sentence is spliced back where the continuation re-joins it
(the full model translation is the fallback). Then the non-overlapping fixes
are applied, most severe first, so nothing outside flagged spans changes.
"""
from __future__ import annotations

import re

from .text import words
from .types import Pair

REJOIN_WORDS = 3  # a continuation re-joins the original where this many words match


def apply_fixes(pair: Pair) -> str | None:
    """The target with every applicable suggestion applied, or None if there is none."""
    chosen: list = []
    for finding in sorted(pair.findings, key=lambda f: (-f.rank, f.start)):
        if finding.suggestion is None:
            continue
        if any(finding.start < other.end and other.start < finding.end for other in chosen):
            continue
        if finding.start == finding.end and any(other.start == finding.start for other in chosen):
            continue
        chosen.append(finding)
    if not chosen:
        return None
    text = pair.target
    for finding in sorted(chosen, key=lambda f: f.start, reverse=True):
        text = _agree_article(text[: finding.start], finding.suggestion) + text[finding.end:]
    return text if text != pair.target else None


_ARTICLE = re.compile(r"\b([Aa]n?)(\s+)$")
_AN_EXCEPTIONS = re.compile(r"^(?:uni|use|usu|eu|one|once|ur)", re.IGNORECASE)  # "a university", "a one-off"
_SILENT_H = re.compile(r"^(?:hour|honest|honou?r|heir)", re.IGNORECASE)


def _agree_article(before: str, replacement: str) -> str:
    """``before + replacement`` with an "a"/"an" just before the replacement agreeing with its first sound,
    so that a fix never leaves "an possible" behind."""
    article = _ARTICLE.search(before)
    if not article or not replacement[:1].isalpha():
        return before + replacement
    vowel = (replacement[0].lower() in "aeiou" and not _AN_EXCEPTIONS.match(replacement)) or bool(_SILENT_H.match(replacement))
    wanted = ("An" if article.group(1)[0] == "A" else "an") if vowel else article.group(1)[0]
    return before[: article.start()] + wanted + article.group(2) + replacement


def suggest(pairs: list[Pair]) -> None:
    """Set ``pair.suggestion``: the rule and model fixes applied (or a model fallback already set).
    A fix no model wrote is the check's own: it is marked ``fix_origin="rule"`` (what ``tq fix`` may trust)."""
    for pair in pairs:
        for finding in pair.findings:
            if finding.suggestion is not None and finding.fix_origin is None:
                finding.fix_origin = "rule"
        pair.suggestion = apply_fixes(pair) or pair.suggestion


def splice(target: str, start: int, end: int, continuation: str) -> tuple[str, int]:
    """(replacement, new end): the continuation up to where it re-joins ``target`` after ``end``."""
    rest = words(target[end:])
    cont = words(continuation)
    keys = [w.text.lower() for w in rest]
    for i in range(len(cont) - REJOIN_WORDS + 1):
        run = [w.text.lower() for w in cont[i:i + REJOIN_WORDS]]
        for j in range(len(keys) - REJOIN_WORDS + 1):
            if keys[j:j + REJOIN_WORDS] == run:
                return continuation[: cont[i].start].strip(), end + rest[j].start
    return continuation.strip(), len(target.rstrip())


def model_suggestions(ctx) -> None:
    """Model rewrites for major and critical findings that have no rule fix."""
    mt = ctx.resources["mt"]
    for pair in ctx.pairs:
        serious = [f for f in pair.findings if f.rank >= 2 and f.suggestion is None and f.end > f.start]
        for finding in serious:
            prefix = pair.target[: finding.start]
            continuation = mt.complete(pair.source, prefix.rstrip())
            if not continuation.strip():
                continue
            replacement, new_end = splice(pair.target, finding.start, finding.end, continuation)
            rewritten = pair.target[finding.start:new_end].rstrip()
            if replacement and replacement != rewritten.strip():
                finding.end = finding.start + len(rewritten)  # the span the rewrite replaces
                finding.suggestion = replacement
                finding.fix_origin = "model"
        if serious and not any(f.suggestion for f in serious) and pair.source.strip():
            pair.suggestion = ctx.machine_translation(pair) or None
