"""Source-language words left in the English text."""
from __future__ import annotations

from . import Check, CheckContext, register
from ..text import words, zipf
from ..types import Pair, Severity

ENGLISH_TOO = 4.0  # a word this frequent in the target language is one of its words too: "solo", "piano", "opera"


def _source_word(word: str, src_lang: str, tgt_lang: str) -> bool:
    lower = word.lower()
    source, target = zipf(lower, src_lang), zipf(lower, tgt_lang)
    return source >= 3.0 and source >= target + 1.5 and target < ENGLISH_TOO


@register
class UntranslatedCheck(Check):
    id = "untranslated"
    category = "accuracy/untranslated"
    description = "Italian words or whole sentences left untranslated"

    def check_pair(self, pair: Pair, ctx: CheckContext):
        tokens = words(pair.target)
        if not tokens or not pair.source.strip():
            return
        # names are shared by both languages: only lower-case words are evidence
        flags = [t.text.islower() and _source_word(t.text, ctx.src_lang, ctx.tgt_lang) for t in tokens]
        lower = sum(t.text.islower() for t in tokens)
        if lower >= 3 and sum(flags) >= 0.6 * lower:
            end = len(pair.target.rstrip())
            yield self.finding(0, end, "critical", "the sentence is not translated", confidence=0.9)
            return
        run: list = []
        for token, flag in zip([*tokens, None], flags + [False]):
            if flag:
                run.append(token)
                continue
            if run and any(len(t.text) >= 4 for t in run):
                copied = all(t.text.lower() in pair.source.lower() for t in run)
                # a content word copied from the source is what MQM calls untranslated, a major error: its sense is lost
                # to an English reader; a word that only looks Italian (not in the source) is weaker evidence
                severity: Severity = "major" if copied or len(run) >= 3 else "minor"
                text = pair.target[run[0].start:run[-1].end]
                yield self.finding(run[0].start, run[-1].end, severity, f"'{text}' is Italian, not English",
                                   confidence=0.85 if copied else 0.6)
            run = []
