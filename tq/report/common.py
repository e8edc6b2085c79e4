"""Helpers the renderers share, kept here so that each renderer depends on ``tq.types`` and this module alone."""
from __future__ import annotations

import difflib
import re

_TOKEN = re.compile(r"\s+|[^\w\s]|\w+")


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
