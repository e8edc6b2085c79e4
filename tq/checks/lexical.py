"""Word-level adequacy: source words left out, English words with no source, opposites, wrong and missing names.

All five read the pair's word alignment (:mod:`tq.lexicon`). One unmatched
word is normal in a free translation; several *consecutive* ones are a
phrase that was dropped or added. Runs are counted in content words
(function words between them do not break a run); a name weighs 3, since
losing one changes who did what. Unmatched words on the other side are
subtracted from a run's weight: they may say the same thing in other words
(this cut the clean pairs with a major omission from 3.4% to 0.5% on the
error suite's development split). Severities by weight are the proposals that
``tq bench detect --calibrate`` then measures on clean pairs.
"""
from __future__ import annotations

import re
from functools import lru_cache
from itertools import islice

import numpy as np

from . import Check, CheckContext, register
from ..lexicon import (Word, WordAlignment, antonyms, capitalised, exonym_renderings, exonyms, is_content, lemmas, plain,
                       proper_name, runs, translations)
from ..text import zipf
from ..types import Pair

NAME_WEIGHT = 3
NEIGHBOURS = 2  # rendered source words on each side that place a dropped name (error suite dev: 1: 42%, 2: 48%, 3: 45% placed)
COMMON_ZIPF = 4.5  # a capitalised Italian word this frequent is a common word (Stato, Governo), not a name
# content-word weight of a run -> proposed severity, per side. On the error suite's development split a
# dropped run of weight 3 was a critical corruption as often as one of 4 (and fired on one clean pair);
# an added run of weight 3 fired on 3 clean pairs, so additions need 4 for critical.
RUN_SEVERITY = {"source": ((3, "critical"), (2, "minor")),
                "target": ((4, "critical"), (3, "major"), (2, "minor"))}
NEGATION_BEFORE = re.compile(r"(?:\b(?:not|never|no|non|senza|mai|nessun[oa]?|poco|poca|poche|pochi|scarsamente)|n['’]t)\b(?:\W+\w+){0,2}\W*$",
                             re.IGNORECASE)  # «poco probabile»: unlikely; "doesn't rise above": stays below
ANTONYM_SIMILARITY = 0.45  # word-vector cosine of a word and its opposite (nuove/old 0.51, vietati/allowed 0.78)
_NEGATIONS = frozenset("non no not né nessuno nessuna niente nulla mai never none nothing".split())  # negation's own check
_EN_POLAR = frozenset("more less most least before after up down always first last earlier later above below over under "
                      "inside outside".split())
_IT_POLAR = frozenset("più meno prima dopo sempre sopra sotto dentro fuori su giù".split())
MAX_GAP_SPAN = 40  # characters: wider gaps between the neighbours of an omission are marked as a point


def _is_name(word: Word, text: str, lang: str) -> bool:
    """Capitalised inside a sentence and not a common word."""
    return _capitalised(word, text) and zipf(word.text.lower(), lang) < 4.5


def _negated(text: str, start: int) -> bool:
    """A negation just before the word ("not true", «senza vita»): an opposite said the other way round."""
    return bool(NEGATION_BEFORE.search(text[max(0, start - 24):start]))


def _title_case(text: str) -> bool:
    """A headline in Title Case, where capitals say nothing about names: most of its common words
    (not the first) are capitalised ("Welsh AMs Worried About Looking Like Muppets"); names do not count,
    or a sentence full of them would pass for one."""
    words = [w.strip("\"'“”‘’()") for w in text.split()[1:]]
    common = [w for w in words if len(w) >= 3 and w.isalpha() and max(zipf(w.lower(), "en"), zipf(w.lower(), "it")) >= 4.0]
    return len(common) >= 3 and sum(w[0].isupper() for w in common) >= 0.7 * len(common)


def _weight(run: list[Word], text: str, lang: str, unmatched: list[Word]) -> int:
    """A run's content-word weight (names weigh NAME_WEIGHT) less the other side's unmatched words,
    which may say the same thing in other words (reordered, rephrased)."""
    return sum(NAME_WEIGHT if _is_name(w, text, lang) else 1 for w in run) - len(unmatched)


def _capitalised(word: Word, text: str) -> bool:
    """Capitalised inside a sentence that is not a Title Case headline."""
    return capitalised(word, text) and not _title_case(text)


def _severity(weight: int, side: str) -> str | None:
    return next((severity for least, severity in RUN_SEVERITY[side] if weight >= least), None)


def _omission_span(alignment: WordAlignment, lo: int, hi: int) -> tuple[int, int]:
    """Characters of the English between the renderings of an omitted run's neighbours (a point when far apart)."""
    target = alignment.target
    if not target:
        end = alignment.target_words[-1].end if alignment.target_words else 0
        return end, end
    start = target[lo - 1].end if lo > 0 else (target[hi].start if hi < len(target) else 0)
    end = target[hi].start if lo <= hi < len(target) else start
    return (start, end) if 0 <= end - start <= MAX_GAP_SPAN else (start, start)


def _unmatched_runs(pair: Pair, ctx: CheckContext, side: str):
    """(alignment, run's indices, run's words, weight, proposed severity) for each run of one side's unmatched content words."""
    alignment = ctx.word_alignment(pair)
    if side == "source":
        words, mine, other, text, lang = alignment.source, alignment.uncovered, alignment.unsupported, pair.source, ctx.src_lang
        unmatched = [alignment.target[j] for j in other]
    else:
        words, mine, other, text, lang = alignment.target, alignment.unsupported, alignment.uncovered, pair.target, ctx.tgt_lang
        unmatched = [alignment.source[i] for i in other]
    for run in runs(mine):
        found = [words[i] for i in run]
        weight = _weight(found, text, lang, unmatched)
        severity = _severity(weight, side)
        if severity:
            yield alignment, run, found, weight, severity


@register
class LexicalOmissionCheck(Check):
    id = "lexical-omission"
    category = "accuracy/omission"
    description = "consecutive source words that nothing in the translation renders (a dropped phrase or name)"
    needs = frozenset({"encoder"})

    def check_pair(self, pair: Pair, ctx: CheckContext):
        if not pair.source.strip() or not pair.target.strip():
            return  # whole-sentence omissions belong to `omission`
        for alignment, run, words, weight, severity in _unmatched_runs(pair, ctx, "source"):
            if all(_is_missing_name(w, pair) for w in words):
                continue  # a dropped name: `missing-name` says so
            start, end = _omission_span(alignment, *alignment.counterpart(run, "source"))
            yield self.finding(start, end, severity, f"nothing in the translation renders «{pair.source[words[0].start:words[-1].end]}»",
                               confidence=round(min(0.9, 0.3 + 0.15 * weight), 2),
                               source_start=words[0].start, source_end=words[-1].end)


@register
class LexicalAdditionCheck(Check):
    id = "lexical-addition"
    category = "accuracy/addition"
    description = "consecutive English words that nothing in the source accounts for (an added phrase)"
    needs = frozenset({"encoder"})

    def check_pair(self, pair: Pair, ctx: CheckContext):
        if not pair.source.strip() or not pair.target.strip() or not ctx.word_alignment(pair).source:
            return  # whole-sentence additions belong to `addition`; a source of names and numbers only says little
        for _, _, words, weight, severity in _unmatched_runs(pair, ctx, "target"):
            yield self.finding(words[0].start, words[-1].end, severity,
                               f"nothing in the source accounts for «{pair.target[words[0].start:words[-1].end]}»",
                               confidence=round(min(0.9, 0.3 + 0.15 * weight), 2))


@register
class AntonymCheck(Check):
    id = "antonym"
    category = "accuracy/mistranslation"
    description = "an English word that is the opposite of the source's (WordNet antonyms): new for vecchio, banned for permesso"
    needs = frozenset({"encoder"})

    def check_pair(self, pair: Pair, ctx: CheckContext):
        if not pair.source.strip() or not pair.target.strip():
            return
        alignment = ctx.word_alignment(pair)
        # content words, and the function words of degree, time and direction (più/less, dopo/before)
        source = [(w, translations(w.text)) for w in alignment.source_words if w.text.lower() not in _NEGATIONS
                  and (is_content(w.text, "it") or w.text.lower() in _IT_POLAR)]
        rendered = frozenset().union(*(t for _, t in source)) if source else frozenset()
        target_lemmas = [lemmas(w.text, "en") for w in alignment.target_words]
        for word, forms in zip(alignment.target_words, target_lemmas):
            if not (is_content(word.text, "en") or word.text.lower() in _EN_POLAR) or _capitalised(word, pair.target):
                continue  # "some", "all": MultiWordNet's determiners pair up loosely (alcune: no); "Southern Plains": a name
            if forms & rendered or _negated(pair.target, word.start):
                continue  # the word is itself a translation of something in the source, or "not true" for "falso"
            opposites = frozenset().union(*(antonyms(f) for f in forms))
            if not opposites:
                continue
            # the source word's own translation must be absent (or the sentence may say both), and the two
            # words close in the vector space, as a word and its opposite are (unlike a loose dictionary sense)
            for src, translated in source:
                if (opposites & translated and not any(t & translated for t in target_lemmas) and _in_place(alignment, src, word)
                        and not _negated(pair.source, src.start) and _similarity(ctx, src.text, word.text) >= ANTONYM_SIMILARITY):
                    yield self.finding(word.start, word.end, "critical",
                                       f"“{word.text}” says the opposite of «{src.text}» ({', '.join(sorted(opposites & translated))})",
                                       confidence=0.7, source_start=src.start, source_end=src.end)
                    break


def _in_place(alignment: WordAlignment, source: Word, target: Word) -> bool:
    """The English word stands where the source word's rendering would (between the renderings of the words
    around it, a word either way): "last" for «primo» is an opposite only where «primo» was said."""
    if source not in alignment.source or target not in alignment.target:
        return True  # a function word of degree or time: no place to compare
    j = alignment.target.index(target)
    lo, hi = alignment.counterpart([alignment.source.index(source)], "source")
    lo, hi = min(lo, hi), max(lo, hi)
    return lo - 1 <= j <= hi


def _similarity(ctx: CheckContext, source_word: str, target_word: str) -> float:
    """Cross-lingual cosine of two single words (the encoder memoises their vectors)."""
    vectors = ctx.encoder.encode([source_word, target_word])
    return float(vectors[0] @ vectors[1])


@register
class WrongNameCheck(Check):
    id = "wrong-name"
    category = "accuracy/mistranslation"
    description = "a name in the translation where the source has another (Venice for «Napoli»)"
    needs = frozenset({"encoder"})

    def check_pair(self, pair: Pair, ctx: CheckContext):
        if not pair.source.strip() or not pair.target.strip():
            return
        alignment = ctx.word_alignment(pair)
        uncovered = [i for i in alignment.uncovered if _proper_name(alignment.source[i], pair.source, ctx.src_lang)]
        if not uncovered:
            return
        renders = exonym_sources()
        for j in alignment.unsupported:
            word = alignment.target[j]
            if not _capitalised(word, pair.target) or not _english_name(word, pair, alignment, uncovered):
                continue
            lo, hi = alignment.counterpart([j], "target")
            near = [i for i in uncovered if (lo <= i < hi if lo <= hi else hi <= i <= lo)]  # crossing links: both ends
            if not near:
                continue  # the lost name was elsewhere in the sentence: nothing says this word replaced it
            src = alignment.source[near[0]]
            other = renders.get(word.text)  # "Venice" renders «Venezia», a name the source does not have
            if other and not any(o in pair.source for o in other):
                message = f"“{word.text}” is «{'» or «'.join(other)}», not the source's «{src.text}»"
            else:
                message = f"“{word.text}” is not in the source, which names «{src.text}» here"
            # a name for a name is a replacement; a description ("western Hungary" for «Balaton»: other words the
            # source does not have stand beside it) may be the translator's rendering for readers
            described = any(k in alignment.unsupported and not alignment.target[k].text[:1].isupper() for k in (j - 1, j + 1))
            # copying the source's spelling is right only for a name English writes the same way (Termes, not Assemblea)
            fix = src.text if _language_neutral(src.text) and not src.text.isupper() and not described else None
            yield self.finding(word.start, word.end, "major" if described else "critical",
                               message + (" (unless the words around it describe it)" if described else ""), suggestion=fix,
                               confidence=0.5 if described else 0.7, source_start=src.start, source_end=src.end)


DERIVED_SIMILARITY = 0.7  # word-vector cosine of a name and its adjective (Turchia/Turkish 0.81)
COMMON_EN_NAME_PART = 4.0  # see _is_missing_name
COMMON_EN_ZIPF = 4.5  # a capitalised English word this frequent is a common word (Labour, Fire), not a name (Denmark: 4.0)
# Titles and honorifics: capitalised, but never a name put in the place of another.
_TITLES = frozenset("Mr Mrs Ms Miss Dr Prof Sen Rep Gov Sir Lord Lady Dame St Gen Col Capt Lt Sgt Rev Pope King Queen Prince "
                    "Princess President Minister Mayor".split())


def _english_name(word: Word, pair: Pair, alignment: WordAlignment, uncovered: list[int]) -> bool:
    """An English capitalised word that is a name of its own: not an acronym (AMs may render «membri
    dell'Assemblea»), not a title, not a capitalised common word (Labour, Fire) unless it is a known place,
    not an adjective of a source name (Turkish for «Turchia»)."""
    text = word.text
    if text.isupper() or (len(text) > 2 and text[:-1].isupper() and text[-1] == "s") or text in _TITLES:
        return False
    if zipf(text.lower(), "en") >= COMMON_EN_ZIPF and text not in exonym_renderings():
        return False
    for i in uncovered:
        source = alignment.source[i]
        if plain(source.text)[:3] == plain(text)[:3] and alignment.similarity[i, alignment.target.index(word)] >= DERIVED_SIMILARITY:
            return False  # a derived form: Turkish / Turchia (0.81), not another name: Ferrer / Fermez
    return True


def _proper_name(word: Word, text: str, lang: str) -> bool:
    """A name of the source (``tq.lexicon.proper_name``) that is not a common word, unless the exonym table knows it."""
    return _capitalised(word, text) and (zipf(word.text.lower(), lang) < COMMON_ZIPF or word.text in exonyms()) and proper_name(word, text, lang)


def _language_neutral(name: str) -> bool:
    """A name English writes as the source does: no exonym, no translation but itself, not a common Italian word."""
    return name not in exonyms() and translations(name) <= {name.lower()} and zipf(name.lower(), "it") < 3.5


@lru_cache(maxsize=1)
def exonym_sources() -> dict[str, tuple[str, ...]]:
    """English rendering -> the Italian names it renders (Venice: Venezia)."""
    out: dict[str, list[str]] = {}
    for italian, renderings in exonyms().items():
        for rendering in renderings:
            out.setdefault(rendering, []).append(italian)
    return {k: tuple(v) for k, v in out.items()}


@register
class MissingNameCheck(Check):
    id = "missing-name"
    category = "accuracy/omission"
    description = "a name in the source that the translation neither copies nor renders (tensions in Indonesia → tensions)"
    needs = frozenset({"encoder"})

    def check_pair(self, pair: Pair, ctx: CheckContext):
        if not pair.source.strip() or not pair.target.strip() or _title_case(pair.source):
            return
        alignment = ctx.word_alignment(pair)
        names = [i for i in alignment.uncovered if _is_missing_name(alignment.source[i], pair)]
        acronyms = {w.text.rstrip("s") for w in alignment.target_words if len(w.text) > 1 and w.text.rstrip("s").isupper()}
        for run in runs(names):
            words = [alignment.source[i] for i in run]
            if "".join(w.text[0] for w in words).upper() in acronyms and len(words) > 1:
                continue  # «Johnny English» written as its initials, JE
            lo, hi = _gap(alignment, run)
            start, end = _omission_span(alignment, lo, hi)
            # dropped outright, or said another way (Balaton -> western Hungary, Infopoint -> info centers):
            # English words that no source word accounts for stand where the name was
            replaced = any(min(lo, hi) <= j < max(lo, hi) for j in alignment.unsupported)
            name = pair.source[words[0].start:words[-1].end]
            yield self.finding(start, end, "major" if replaced else "critical",
                               f"the name «{name}» in the source is missing from the translation"
                               + (" (unless what stands in its place renders it)" if replaced else ""),
                               confidence=0.5 if replaced else 0.7, source_start=words[0].start, source_end=words[-1].end)


def _is_missing_name(word: Word, pair: Pair) -> bool:
    """A name of the source (see ``_proper_name``) that appears nowhere in the translation, not even with other
    accents or spelt out with dots (FBI / F.B.I.)."""
    if not _proper_name(word, pair.source, "it") or plain(word.text) in plain(pair.target):
        return False
    if zipf(word.text.lower(), "en") >= COMMON_EN_NAME_PART and word.text not in exonyms() and word.text not in exonym_renderings():
        return False  # an English common word inside a name (Chequers Plan, Vanderbilt University): a translator may drop it
    return not (word.text.isupper() and word.text in re.sub(r"[^\w]|_", "", pair.target))


def _rendering(alignment: WordAlignment, i: int) -> int | None:
    """Index of the English content word that best renders source word ``i``, or None.

    Dictionary and copy links come before close vectors; among equals (two "name" in the sentence)
    the one at the nearer relative position wins, the diagonal prior of statistical word aligners.
    """
    n, m = len(alignment.source), len(alignment.target)
    form = plain(alignment.source[i].text)
    copies = np.array([alignment.source_copied[i] and plain(w.text) == form for w in alignment.target], dtype=bool)
    strength = np.where(alignment.sure[i] | copies, 2.0, np.where(alignment.links[i], 1.0, -np.inf))
    if not np.isfinite(strength).any():
        return None
    distance = np.abs(np.arange(m) / m - i / n)
    return int((strength + alignment.similarity[i] - distance).argmax())


def _gap(alignment: WordAlignment, run: list[int]) -> tuple[int, int]:
    """English content-word indices [lo, hi) where a dropped run belonged: after the last rendering of the
    NEIGHBOURS nearest rendered source words before it, before the first rendering of those after it.
    Where the two cross (words moved around the run), as :meth:`WordAlignment.counterpart` reads it (hi < lo).

    Near neighbours, not every word before and after (as ``counterpart`` reads them): one loose link far
    away would otherwise move a name's place to the sentence's end. Two, not one, since English often turns
    a pair round ("uragani atlantici": Atlantic hurricane).
    """
    before = list(islice((j for i in range(run[0] - 1, -1, -1) if (j := _rendering(alignment, i)) is not None), NEIGHBOURS))
    after = list(islice((j for i in range(run[-1] + 1, len(alignment.source)) if (j := _rendering(alignment, i)) is not None), NEIGHBOURS))
    lo = max(before) + 1 if before else 0
    hi = min(after) if after else len(alignment.target)
    return (lo, hi) if lo <= hi else alignment.counterpart(run, "source")
