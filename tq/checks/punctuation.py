"""Punctuation in the English text: spacing, quote marks, final stops."""
from __future__ import annotations

import re

from . import Check, CheckContext, register
from .polarity import rhetorical_question
from ..types import Pair

_SPACE_BEFORE = re.compile(r"[ \t\u00a0]+([,;:?!.])(?=[\s\"'”’»)]|$)")
_NO_SPACE_AFTER = re.compile(r"(?<=[^\W\d_])([,;])(?=[^\W\d_])")
_GUILLEMET = re.compile(r"\s?»|«\s?")
_GUILLEMET_QUOTE = re.compile(r"«\s?([^«»\n]*?)\s?»")
DATELINE = re.compile(r"^([A-Z]{3,}(?:[ '-][A-Z]{2,})*)(\s*[—–-]\s*|,\s*|\s+)(?=[A-Z“\"«])")
_FINAL = re.compile(r"[.!?…][\"'”’»)\]]*$|[\"'”’»)\]]*[.!?…]$")
CLOSERS = "\"'”’»)]"  # closing quotes and brackets that may follow a final stop


@register
class SpacingCheck(Check):
    """English puts no space before . , ; : ? ! and one space after , and ;."""

    id = "punctuation-spacing"
    category = "fluency/punctuation"
    description = "space before . , ; : ? ! or missing after , ;"

    def check_pair(self, pair: Pair, ctx: CheckContext):
        for m in _SPACE_BEFORE.finditer(pair.target):
            yield self.finding(m.start(), m.end(), "minor", f"space before '{m.group(1)}'", suggestion=m.group(1), confidence=0.95)
        for m in _NO_SPACE_AFTER.finditer(pair.target):
            yield self.finding(m.start(), m.end(), "minor", f"no space after '{m.group(1)}'", suggestion=m.group(1) + " ", confidence=0.8)


@register
class QuoteMarksCheck(Check):
    """English quotations use “ ” (or " "): « » are Italian marks, and a “ closed by » is a mix."""

    id = "quote-marks"
    category = "fluency/punctuation"
    description = "guillemets or mixed quotation marks in English text"

    def check_pair(self, pair: Pair, ctx: CheckContext):
        text = pair.target
        straight = text.count('"') > text.count("“")
        opening, closing = ('"', '"') if straight else ("“", "”")
        quoted = []
        # a quotation marked « … » is one error: one finding over it, whose fix changes the two marks alone
        for m in _GUILLEMET_QUOTE.finditer(text):
            quoted.append((m.start(), m.end()))
            yield self.finding(m.start(), m.end(), "minor", "quotation marked with Italian guillemets « » in English text",
                               suggestion=opening + m.group(1) + closing, confidence=0.95)
        for m in _GUILLEMET.finditer(text):
            if any(start <= m.start() < end for start, end in quoted):
                continue
            is_closing = "»" in m.group()
            opened = text.rfind("“", 0, m.start()) > text.rfind("”", 0, m.start())
            message = ("quotation opened with “ but closed with »" if is_closing and opened
                       else f"Italian quotation mark '{m.group().strip()}' in English text")
            yield self.finding(m.start(), m.end(), "minor", message, suggestion=closing if is_closing else opening, confidence=0.95)


HEADLINE_WORDS = 15  # the first line of an article, this short, is its headline
_INNER_STOP = re.compile(r"[.!?;:]\s")  # a line with a sentence break inside is no headline


@register
class FinalPunctuationCheck(Check):
    """A sentence that ends with a stop in the source should end with one in the translation."""

    id = "final-punctuation"
    category = "fluency/punctuation"
    description = "final stop present in the source but missing in the translation"

    def check_pair(self, pair: Pair, ctx: CheckContext):
        source, target = pair.source.rstrip(), pair.target.rstrip()
        if not source or not target or not _FINAL.search(source) or _FINAL.search(target):
            return
        if ctx.options.get("whole_document") and pair.tgt_ids[:1] == (0,) and len(target.split()) <= HEADLINE_WORDS:
            return  # an article's headline: English ones end without a stop even where the source has one
        if target[-1].isalnum() or target[-1] in "\"”’»)":
            mark = source.rstrip(CLOSERS)[-1]
            if len(target.split()) <= HEADLINE_WORDS and not _INNER_STOP.search(target):
                # a short line may be a headline, which English writes without a stop: said, with no fix
                yield self.finding(len(target), len(target), "minor",
                                   f"the source ends with '{mark}', the translation has no final stop (unless it is a headline)",
                                   confidence=0.4)
                return
            yield self.finding(len(target), len(target), "minor", f"the source ends with '{mark}', the translation has no final stop",
                               suggestion=mark, confidence=0.7)


@register
class SentenceMoodCheck(Check):
    """A statement translated as a question, or a question as a statement, says something else."""

    id = "question-mark"
    category = "accuracy/mistranslation"
    description = "the source asks a question and the translation states it, or the reverse"

    def check_pair(self, pair: Pair, ctx: CheckContext):
        source, target = pair.source.rstrip().rstrip(CLOSERS), pair.target.rstrip().rstrip(CLOSERS)
        if not source or not target or source[-1] not in ".?" or target[-1] not in ".?" or source[-1] == target[-1]:
            return
        message = ("the source is a statement, the translation asks a question" if target[-1] == "?"
                   else "the source asks a question, the translation states it")
        if ctx.src_lang == "it" and ctx.tgt_lang == "en" and rhetorical_question(pair.source, pair.target):
            yield self.finding(len(target) - 1, len(target), "minor",
                               message + " of the other polarity: a rhetorical question that may make the same claim",
                               confidence=0.4)
            return
        yield self.finding(len(target) - 1, len(target), "major", message, confidence=0.8)


@register
class DatelineCheck(Check):
    """A dateline (LONDON —) that lost the dash separating it from the first sentence."""

    id = "dateline"
    category = "fluency/punctuation"
    description = "dateline run into the first sentence without its dash"

    def check_pair(self, pair: Pair, ctx: CheckContext):
        target, source = DATELINE.match(pair.target), DATELINE.match(pair.source)
        if target and source and not target.group(2).strip() and source.group(2).strip():
            dash = source.group(2).strip()
            yield self.finding(target.start(1), target.end(1), "minor", f"the dateline “{target.group(1)}” needs a dash after it, as in the source",
                               suggestion=f"{target.group(1)} {dash}", confidence=0.85)
