"""Tense or aspect shifted: an English verb group in another time or aspect than the Italian one it renders.

Each English finite verb group (:func:`tq.morphology.english_groups`: "is", "was doing", "has said", "will
have done") is matched to its Italian counterpart through the pair's word alignment: its main verb, or
after a copula or an auxiliary alone the content word that follows in the same clause ("was full"), is
linked to Italian content words (the aligner's links first, then dictionary links and very close word
vectors), and the Italian verb group that ends at the first linked finite verb is analysed as a whole
(:func:`tq.morphology.italian_verb`: «ha detto», «era piena», «stava facendo»). Only clear contradictions
are flagged, one finding per English group, on the whole group:

- tense: a past for an Italian present or future, a past perfect for an Italian present, future or
  passato prossimo, unless the source has a past before it (reported speech shifts tenses back: «ha
  detto che è» / "said it was"), the English a past reporting verb before it, or the source a past time
  (a historical present: «nel 1945 Hitler si uccide»); a present for an Italian past or passato prossimo,
  a present perfect for an Italian imperfect, past historic, pluperfect or future, "will" for a past,
  "would" for an Italian present, future or passato prossimo when no other verb of the source is past or
  conditional;
- aspect: a progressive for an Italian finished past («ha fatto», «fece») that is not progressive itself,
  and a simple or perfect English verb for an Italian progressive («sta facendo»: "does", "has done").
  English uses the progressive where Italian has its plain present, so a progressive for a present, and
  a simple past for an imperfect, are never flagged.

Not flagged either: subjunctives (they follow the main verb: «come se fossero» / "as if they are"),
non-finite forms, reporting verbs ("said" for «dice», "says" for «ha detto»: news English reports in a
tense of its own), "would like" (a polite present), "was going to" (a future in the past), a present
progressive for a passato prossimo ("is suing" for «ha citato»: it goes on), a present passive for a
perfect passive ("is designed" for «è stata sviluppata»: the state it left), and «è» + participle unless
both its readings clash (a perfect, «è arrivato», or a present passive, «è considerato»; an English
passive picks the passive one). What these rules let pass, ``tense-swap`` reads with the LM: an auxiliary
that its own sentence reads better in the Italian verb's tense.
"""
from __future__ import annotations

import re
from collections.abc import Iterator

import numpy as np

from . import Check, CheckContext, register
from ..lexicon import Word, tokens
from ..morphology import (
    VerbForm,
    VerbGroup,
    english_adverb,
    english_groups,
    english_tags,
    italian_verb,
    italian_word,
    spanning_group,
)
from ..types import Finding, Pair

STRONG_SIMILARITY = 0.7  # a dictionary link or very close vectors: an ordinary close vector ("heading" ~ «annunciato») is not enough
FOLLOWING = 30           # characters after a copula or an auxiliary alone in which its predicate is looked for
TOKEN_LINK = 0.5         # the word aligner's probability for a link between two verb tokens ("were" / «sono»)

IT_PAST = frozenset({"imperfect", "past-historic", "pluperfect", "past-anterior"})
IT_FUTURE = frozenset({"future", "future-perfect"})
IT_FINISHED = frozenset({"perfect", "past-historic", "pluperfect", "past-anterior"})
# English verbs that report speech or thought: a past one shifts what follows it back ("said the plan was ready")
REPORTING = frozenset("""say tell add announce explain state claim report declare confirm insist warn note write argue
believe think know find show reveal admit deny suggest recall stress acknowledge estimate expect predict call describe""".split())
# the reporting verbs of knowing and showing, which as often take a plain object ("showing promising results")
PERCEIVING = frozenset("show find know believe think expect predict reveal suggest estimate".split())
# "would like": a polite present, not a conditional
IDIOMS = frozenset("like love prefer rather appreciate".split())
# Words that start another clause or verb group between a copula and what follows it ("this is what I had dreamt")
CLAUSE_WORDS = frozenset("""that which who whom what when where while if because and but or as than to i you he she it we they
has have had is are was were will would can could""".split())
_CLAUSE_BREAK = re.compile(r"[,;:.!?()\"“”]")
# A past time in the source: its present may be a historical present («nel 1945 Hitler ordina»)
_PAST_TIME = re.compile(r"\b(?:ieri|scors[oaie]|allora|all'epoca|(?:anni|mesi|giorni|settimane|ore|secoli|tempo) fa|"
                        r"1[0-9]{3}|20[01][0-9])\b", re.IGNORECASE)

EN_NAMES = {"past": "past", "present": "present", "future": "future (will)", "conditional": "conditional (would)",
            "perfect": "present perfect", "pluperfect": "past perfect"}
IT_NAMES = {"present": "present", "imperfect": "imperfect", "past-historic": "past historic", "future": "future",
            "conditional": "conditional", "perfect": "passato prossimo (a finished past)", "pluperfect": "pluperfect",
            "past-anterior": "past anterior", "future-perfect": "future perfect", "conditional-perfect": "past conditional"}


def tense_clash(english: VerbForm, italian: VerbForm, shifted: bool, conditional_context: bool) -> bool:
    """Whether the English group's tense contradicts the Italian's (``shifted``: reported speech or a past
    context allows a past for a present; ``conditional_context``: a past or conditional in the source allows "would").
    An Italian group of two readings («è considerato») clashes only under both, or, for an English passive, under its
    passive one ("was considered"; but "was born" renders «è nato»)."""
    if italian.tense is None:
        if english.passive and italian.lemma not in ("nascere", "morire") and len(italian.readings) == 2:
            return _clash(english.tense, italian.readings[1], shifted, conditional_context)
        return bool(italian.readings) and all(_clash(english.tense, t, shifted, conditional_context) for t in italian.readings)
    return _clash(english.tense, italian.tense, shifted, conditional_context) and not ongoing(english, italian)


def ongoing(english: VerbForm, italian: VerbForm) -> bool:
    """A present progressive for a passato prossimo: what was started goes on ("is suing" for «ha citato in giudizio»)."""
    return english.tense == "present" and english.progressive and italian.tense == "perfect"


def _clash(english: str | None, it: str, shifted: bool, conditional_context: bool) -> bool:
    return {
        "past": (it == "present" or it in IT_FUTURE) and not shifted,
        "pluperfect": (it in ("present", "perfect") or it in IT_FUTURE) and not shifted,
        "present": it in IT_PAST or it == "perfect",
        "perfect": it in IT_PAST or it in IT_FUTURE,
        "future": it in IT_PAST or it == "perfect",
        "conditional": (it in ("present", "perfect") or it in IT_FUTURE) and not conditional_context,
    }.get(english or "", False)


def aspect_clash(english: VerbForm, italian: VerbForm) -> bool:
    """Whether the English group's aspect contradicts the Italian's: progressive for a finished past, or not
    progressive for an Italian progressive (a lexical verb: "was" for «stava facendo» renders nothing of it)."""
    if english.progressive and not english.perfect and not italian.progressive:
        return italian.tense in IT_FINISHED and not ongoing(english, italian)
    return italian.progressive and not english.progressive and english.lemma not in ("be", "have", "do")


def contradiction(english: VerbForm, italian: VerbForm, shifted: bool, reported: bool, conditional_context: bool,
                  reporting: bool = True) -> str | None:
    """"tense", "aspect" or None: what the English group contradicts in the Italian one it renders. ``reported``: a past
    reporting verb comes before it in the English, which then may keep a present for a perfect ("told them it doesn't
    see" for «non ha osservato») or an imperfect (English keeps the present of what still holds, Italian puts it in
    the imperfect: "I just knew that this is what I had dreamt of" for «sapevo che era quello che»), and any aspect.
    ``reporting``: the English group reports what follows it (see :func:`reports`)."""
    if (english.lemma == "go" and english.progressive) or (english.tense == "present" and english.passive and italian.passive
                                                           and italian.tense == "perfect"):
        return None  # "was going to": a future in the past; "is designed" for «è stata sviluppata»: the state it left
    if tense_clash(english, italian, shifted, conditional_context) and not (english.lemma in REPORTING and reporting) and not (
            reported and english.tense == "present" and italian.tense in ("perfect", "imperfect")) and not (
            english.tense == "conditional" and english.lemma in IDIOMS):
        return "tense"  # not "said" for «dice», "says" for «ha detto»: news English reports in a tense of its own
    return "aspect" if aspect_clash(english, italian) and not reported else None


def reports(text: str, group: VerbGroup, groups: list[VerbGroup]) -> bool:
    """Whether a group of a reporting verb reports: a verb of speech always ("said the plan was ready"), one of
    knowing or showing only before what it reports: "that", a quotation, a colon or a comma, or another verb group
    within a few words ("found the plan was ready"; not "was showing promising results")."""
    if group.form.lemma not in PERCEIVING:
        return True
    after = text[group.end:group.end + FOLLOWING]
    return bool(re.match(r"\s*(?:that\b|[\"“'‘:,])", after)) or any(group.end < g.start <= group.end + FOLLOWING for g in groups)


def describe(form: VerbForm, names: dict[str, str]) -> str:
    tense = names.get(form.tense or "", form.tense or "")
    return f"{tense} progressive" if form.progressive and form.tense != "perfect" else tense


@register
class TenseCheck(Check):
    id = "tense"
    category = "accuracy/mistranslation"
    description = "an English verb group in another tense or aspect than the Italian one it renders (is for «era», was doing for «ha fatto»)"
    needs = frozenset({"encoder"})

    def check_pair(self, pair: Pair, ctx: CheckContext) -> Iterator[Finding]:
        if ctx.src_lang != "it" or ctx.tgt_lang != "en" or not pair.source.strip() or not pair.target.strip():
            return
        groups = [g for g in english_groups(pair.target) if g.form.finite and g.form.tense]
        if not groups:
            return
        alignment = ctx.word_alignment(pair)
        words = tokens(pair.source)
        italian = {w.start: (k, italian_verb(w.text, [p.text for p in words[max(0, k - 4):k]])) for k, w in enumerate(words)}
        forms = [form for _, form in italian.values()]  # by word index, as spanning_group reads them
        finite = [(start, form) for start, (_, form) in italian.items() if form is not None and form.finite]
        past_time = bool(_PAST_TIME.search(pair.source))
        for n, group in enumerate(groups):
            counterpart = self._counterpart(group, pair, alignment, italian) or self._linked_verb(group, alignment, words, italian, forms)
            if counterpart is None:
                continue
            word, form = counterpart
            if form.passive and group.form.words == 1 and "VBN" in english_tags(pair.target[group.head_start:group.head_end].lower()):
                continue  # "the extra cash used to help" for «verrà utilizzato»: a participle, not a past
            reported = any(g.form.lemma in REPORTING and g.form.tense in ("past", "perfect", "pluperfect") for g in groups[:n])
            shifted = past_time or reported or any(s < word.start and (f.tense in IT_PAST or f.perfect) for s, f in finite)
            # another verb in the past or the conditional: "would" may be a future in the past, or a conditional
            conditional_context = any(f.tense in IT_PAST or f.perfect or f.mood == "conditional" for s, f in finite if s != word.start)
            kind = contradiction(group.form, form, shifted, reported, conditional_context, reports(pair.target, group, groups))
            if kind:
                k = italian[word.start][0]
                source_start = words[k - form.words + 1].start
                what = "is" if kind == "tense" else "has another aspect:"
                yield self.finding(
                    group.start, group.end, "major",
                    f"“{pair.target[group.start:group.end]}” {what} {describe(group.form, EN_NAMES)}, but the source's "
                    f"«{pair.source[source_start:word.end]}» is {describe(form, IT_NAMES)}",
                    confidence=0.6 if kind == "tense" else 0.5, source_start=source_start, source_end=word.end)

    @staticmethod
    def _counterpart(group: VerbGroup, pair: Pair, alignment, italian: dict[int, tuple[int, VerbForm | None]]
                     ) -> tuple[Word, VerbForm] | None:
        """The Italian verb group the English one renders: the first finite one ending at a word linked to the English
        group's main verb (or to the predicate after a copula or an auxiliary alone), the aligner's surest link first;
        None if the links find none."""
        j = next((j for j, w in enumerate(alignment.target) if w.start == group.head_start), None)
        if j is None:  # be, have or do as the main verb: its predicate or object, in the same clause, carries the link
            j = next((j for j, w in enumerate(alignment.target) if group.head_end <= w.start <= group.head_end + FOLLOWING
                      and not english_adverb(w.text.lower())), None)
            between = pair.target[group.head_end:alignment.target[j].start] if j is not None else ""
            if j is None or _CLAUSE_BREAK.search(between) or set(between.lower().split()) & CLAUSE_WORDS:
                return None
        linked = sorted(alignment.links[:, j].nonzero()[0], key=lambda i: -alignment.similarity[i, j])
        close = (alignment.sure[:, j] | (alignment.similarity[:, j] >= STRONG_SIMILARITY)).nonzero()[0]
        for i in [*linked, *(i for i in close if i not in linked)]:
            word = alignment.source[int(i)]
            form = italian.get(word.start, (0, None))[1]
            if form is not None and form.finite:
                return None if form.mood == "subjunctive" else (word, form)
        return None

    @staticmethod
    def _linked_verb(group: VerbGroup, alignment, words: tuple[Word, ...], italian: dict[int, tuple[int, VerbForm | None]],
                     forms: list[VerbForm | None]) -> tuple[Word, VerbForm] | None:
        """The Italian verb group holding a token the word aligner links to a word of the English group: the
        copula carries the tense where the content words are paraphrased ("were crowded" / «sono piene di
        gente», "were easily digestible" / «sono facili»). The group is the longest one that ends within three
        words of the linked one and spans it (a copula and its predicate), in a simple tense."""
        probability = alignment.token_probability
        columns = [j for j, t in enumerate(alignment.target_tokens) if t.start < group.end and t.end > group.start]
        if not columns or not probability.size:
            return None
        best = probability[:, columns].max(axis=1)
        for i in np.argsort(-best):
            if best[i] < TOKEN_LINK:
                break
            at = italian.get(alignment.source_tokens[int(i)].start)  # a word of the source: its index and verb group
            if at is None:
                continue
            k = at[0]
            # the Italian token is a verb, and the English group holds its own best link (not "would" / «ha detto»)
            if italian_word(words[k].text) is None or int(probability[i].argmax()) not in columns:
                continue
            spanning = spanning_group(forms, k)
            if spanning is not None:
                end, form = spanning
                # a simple tense only: an auxiliary linked alone («ha» of «ha ottenuto» / "has") says nothing of what
                # the English made of the verb, which the main verb's own link (``_counterpart``) would have found
                simple = not (form.perfect or form.progressive or form.passive)
                return None if form.mood == "subjunctive" or not simple else (words[end], form)
        return None
