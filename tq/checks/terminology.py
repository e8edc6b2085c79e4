"""Terminology and false friends from a glossary (Xbench's key-term check).

tq ships rules for Italian news (datelines, titles, classic false friends in
``tq/data/glossary.it-en.tsv``); users add their own with ``--glossary FILE``
in the same format, or as plain ``term<TAB>translation`` lines.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import cast

from . import Check, CheckContext, register
from ..types import SEVERITIES, Pair, Severity, TqError


@dataclass(frozen=True)
class GlossaryRule:
    source: re.Pattern[str]
    expected: re.Pattern[str] | None
    avoid: re.Pattern[str] | None
    severity: Severity
    category: str
    note: str
    fix: str | None = None


def parse_glossary(text: str, origin: str) -> list[GlossaryRule]:
    rules = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if len(cells) == 2:  # plain term<TAB>translation
            cells = [r"\b" + re.escape(cells[0].strip()) + r"\b", r"\b" + re.escape(cells[1].strip()) + r"\b", "", "minor",
                     "terminology", f"glossary: «{cells[0].strip()}» → “{cells[1].strip()}”", cells[1].strip()]
        severity = next((s for s in SEVERITIES if len(cells) in (6, 7) and cells[3] == s), None)
        if severity is None:
            raise TqError(f"{origin}:{number}: expected 'term<TAB>translation' or 6-7 tab-separated columns")
        try:
            rules.append(GlossaryRule(
                re.compile(cells[0], re.IGNORECASE),
                re.compile(cells[1], re.IGNORECASE) if cells[1] else None,
                re.compile(cells[2], re.IGNORECASE) if cells[2] else None,
                severity, cells[4], cells[5], (cells[6] if len(cells) == 7 else "") or None))
        except re.error as exc:
            raise TqError(f"{origin}:{number}: bad pattern ({exc})") from None
    return rules


@lru_cache(maxsize=1)
def default_glossary() -> tuple[GlossaryRule, ...]:
    return tuple(parse_glossary((files("tq") / "data" / "glossary.it-en.tsv").read_text("utf-8"), "glossary.it-en.tsv"))


def load_glossary(path: str | Path) -> list[GlossaryRule]:
    """A glossary file decoded as documents are: a UTF-8 BOM (Excel, Notepad) must not glue itself to the first term."""
    from ..accepted import read_text_file

    return parse_glossary(read_text_file(path, "glossary"), str(path))


def _match_case(fix: str, original: str) -> str:
    return fix[0].upper() + fix[1:] if original[:1].isupper() else fix


# British and American spellings of words a glossary fix may carry: the fix takes the document's own
_VARIETIES = (("defence", "defense"), ("offence", "offense"), ("licence", "license"), ("centre", "center"),
              ("labour", "labor"), ("programme", "program"), ("organisation", "organization"), ("colour", "color"))


def _in_variety(fix: str, document: str) -> str:
    """The fix spelt as the document spells those words ("Defense Secretary" in a document that writes Defense)."""
    lower = document.lower()
    for british, american in _VARIETIES:
        uses = (re.search(rf"\b{british}", lower) is not None, re.search(rf"\b{american}", lower) is not None)
        for ours, theirs in ((british, american), (american, british)):
            if re.search(rf"\b{ours}", fix, re.IGNORECASE) and uses == ((theirs == british), (theirs == american)):
                fix = re.sub(rf"\b{ours}", lambda m: _match_case(theirs, m.group()), fix,  # noqa: B023 - re.sub calls it at once
                             flags=re.IGNORECASE)
    return fix


@register
class TerminologyCheck(Check):
    id = "terminology"
    category = "terminology"
    description = "glossary terms and false friends (built-in news glossary plus --glossary)"

    def check_pair(self, pair: Pair, ctx: CheckContext):
        if not pair.target.strip():
            return
        extra = cast("Iterable[GlossaryRule]", ctx.options.get("glossary", ()))  # the run's --glossary rules (tq.pipeline)
        rules = list(default_glossary()) + list(extra)
        for rule in rules:
            if not rule.source.search(pair.source):
                continue
            expected = [m.span() for m in rule.expected.finditer(pair.target)] if rule.expected else []
            flagged = False
            for m in (rule.avoid.finditer(pair.target) if rule.avoid else ()):
                if any(s <= m.start() and m.end() <= e for s, e in expected):
                    continue
                flagged = True
                document = " ".join(p.target for p in ctx.pairs)
                # the message spells the expected term as the fix does (the document's own variety)
                yield self.finding(m.start(), m.end(), rule.severity, _in_variety(rule.note, document), category=rule.category,
                                   confidence=0.85,
                                   suggestion=_match_case(_in_variety(rule.fix, document), m.group()) if rule.fix else None)
            if not flagged and rule.expected and not expected:
                text = pair.target.rstrip()
                yield self.finding(0, len(text), "minor", f"{rule.note} (expected rendering not found)",
                                   category=rule.category, confidence=0.5)
