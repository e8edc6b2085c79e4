"""suggest: pair + findings -> a corrected English sentence.

Rule findings carry the replacement for their span; this stage applies the
non-overlapping ones (most severe first) to the translator's own text, so the
suggestion changes nothing outside the flagged spans. Model rewrites of
garbled spans plug in here with the translation model.
"""
from __future__ import annotations

import difflib
import re

from .types import Pair

_TOKEN = re.compile(r"\s+|[^\w\s]|\w+")


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
        text = text[: finding.start] + finding.suggestion + text[finding.end:]
    return text if text != pair.target else None


def suggest(pairs: list[Pair]) -> None:
    for pair in pairs:
        pair.suggestion = apply_fixes(pair)


def word_diff(before: str, after: str) -> list[tuple[str, str]]:
    """[(op, text)] with op in ' ', '-', '+': a word-level diff for reports."""
    a, b = _TOKEN.findall(before), _TOKEN.findall(after)
    out: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append((" ", "".join(a[i1:i2])))
        else:
            if i2 > i1:
                out.append(("-", "".join(a[i1:i2])))
            if j2 > j1:
                out.append(("+", "".join(b[j1:j2])))
    return out
