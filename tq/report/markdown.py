"""Markdown report, for review comments (pull requests, CMS notes)."""
from __future__ import annotations

import re

from .common import word_diff
from ..types import Report

_SPECIAL = re.compile(r"([\\`*_~\[\]<>|&!#])")
_CODE = re.compile(r"(`[^`\n]+`)")
_LAST_WORD = re.compile(r"\S*$")
_FIRST_WORD = re.compile(r"^\S*")


def _escape(text: str) -> str:
    """Article text as literal Markdown: markup characters backslash-escaped, newlines folded (one line per item)."""
    return _SPECIAL.sub(r"\\\1", re.sub(r"\s*\n\s*", " ", text))


def _escape_prose(text: str) -> str:
    """tq's own messages: escaped like article text, except the `code` spans they use on purpose."""
    return "".join(part if _CODE.fullmatch(part) else _escape(part) for part in _CODE.split(text))


def _code(text: str) -> str:
    """A code span that holds any text (backticks in it get a longer fence); pipes escaped for tables."""
    text = re.sub(r"\s*\n\s*", " ", text)
    fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or (text.startswith(" ") and text.endswith(" ") and text.strip()) else ""
    return f"{fence}{pad}{text.replace('|', chr(92) + '|')}{pad}{fence}"


def _edge_word(pattern: re.Pattern[str], text: str) -> str:
    """The text's first or last whitespace-separated word ("" at a space); the patterns match every text."""
    found = pattern.search(text)
    return found.group() if found else ""


def _blocks(before: str, after: str) -> list[list[str]]:
    """The word diff as ['=', text] and ['x', deleted, inserted] blocks, each change widened to whole
    whitespace-separated words: emphasis delimiters then always sit next to a space or the line's edge,
    where CommonMark and GFM accept them (``it~~'~~**’**s`` would render as literal tildes)."""
    blocks: list[list[str]] = []
    for op, text in word_diff(before, after):
        if op == " ":
            blocks.append(["=", text])
        elif blocks and blocks[-1][0] == "x":
            blocks[-1][1 if op == "-" else 2] += text
        else:
            blocks.append(["x", text if op == "-" else "", text if op == "+" else ""])
    changed = True
    while changed:
        changed = False
        for i, block in enumerate(blocks):
            if block[0] != "x":
                continue
            runs = [r for r in block[1:] if r]
            spaces = all(not r.strip() for r in runs)  # a changed space alone is shown with the words around it
            if i > 0 and blocks[i - 1][0] == "=" and (spaces or any(not r[0].isspace() for r in runs)):
                word = _edge_word(_LAST_WORD, blocks[i - 1][1])
                if word:
                    blocks[i - 1][1] = blocks[i - 1][1][: -len(word)]
                    block[1], block[2], changed = word + block[1], word + block[2], True
            if i + 1 < len(blocks) and blocks[i + 1][0] == "=" and (spaces or any(not r[-1].isspace() for r in runs)):
                word = _edge_word(_FIRST_WORD, blocks[i + 1][1])
                if word:
                    blocks[i + 1][1] = blocks[i + 1][1][len(word):]
                    block[1], block[2], changed = block[1] + word, block[2] + word, True
        merged: list[list[str]] = []
        for block in blocks:
            if block[0] == "=" and not block[1]:
                continue
            if merged and merged[-1][0] == "x" and block[0] == "x":
                merged[-1][1] += block[1]
                merged[-1][2] += block[2]
                changed = True
            else:
                merged.append(block)
        blocks = merged
    return blocks


def _run(text: str, delimiter: str) -> str:
    """One deleted or inserted run: whitespace outside the delimiters; a run of spaces alone shown as ␣."""
    if not text:
        return ""
    core = text.strip()
    if not core:
        return f"{delimiter}{'␣' * len(text)}{delimiter}"
    lead, trail = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()):]
    return f"{_escape(lead)}{delimiter}{_escape(core)}{delimiter}{_escape(trail)}"


def _diff(before: str, after: str) -> str:
    """The suggestion as Markdown: deletions ~~struck~~, insertions **bold**, everything else escaped text."""
    parts = []
    for block in _blocks(before, after):
        if block[0] == "=":
            parts.append(_escape(block[1]))
        else:
            parts.append(_run(block[1], "~~") + _run(block[2], "**"))
    return "".join(parts)


def render_markdown(report: Report) -> str:
    counts = report.counts()
    lines = [
        f"## tq: {_escape(report.translation_name)}",
        "",
        f"Source: {_code(report.source_name)} · {len(report.pairs)} segment pairs · document score **{report.document_score:.2f}** · "
        + " · ".join(f"{n} {severity}" for severity, n in counts.items()),
        "",
    ]
    for reason, checks in report.skipped_by_reason().items():
        lines.append(f"> skipped {', '.join(_code(c) for c in checks)}: {_escape_prose(reason)}")
    for note in report.notes:
        lines.append(f"> {_escape_prose(note)}")
    flagged = [pair for pair in report.pairs if pair.findings or pair.low_confidence]
    if not flagged:
        lines += ["", "No problems found."]
    for pair in flagged:
        note = ", low-confidence link" if pair.low_confidence else ""
        lines += ["", f"### Segment {pair.index + 1} ({pair.worst_severity}, score {pair.score:.2f}{note})", ""]
        lines.append(f"- **Source:** {_escape(pair.source) or '—'}")
        lines.append(f"- **Translation:** {_escape(pair.target) or '—'}")
        if pair.suggestion:
            lines.append(f"- **Suggestion:** {_diff(pair.target, pair.suggestion)}")
        if not pair.findings:
            continue
        lines += ["", "| severity | category | text | problem | fix | check |", "|---|---|---|---|---|---|"]
        for f in pair.findings:
            fix = "" if f.suggestion is None else _code(f.suggestion) if f.suggestion.strip() else "(delete)"
            span = pair.target[f.start:f.end]
            lines.append(f"| {f.severity} | {f.category} | {_code(span) if span.strip() else '∅'} | "
                         f"{_escape(f.message)} | {fix} | {_code(f.check)} |")
    return "\n".join(lines) + "\n"
