"""Tense shifted: an English auxiliary in another time than the Italian verb it renders ("is" for «era»).

For each English auxiliary or copula (is/was, has/had, will/would…), the
next content word is looked up in the pair's word alignment; its Italian
counterpart and the auxiliary or copula just before it give the Italian verb
group's tense. Only clear contradictions are flagged: a past English verb
for a plain Italian present with no past anywhere before it (reported speech
shifts tenses back: «ha detto che è» / "said it was"), a present one for an
Italian imperfect, past historic or pluperfect, "would" for an Italian future
or present in a sentence with no past or conditional, "will" for a past.
"""
from __future__ import annotations

import re

from . import Check, CheckContext, register
from ..lexicon import lemmatize
from ..types import Pair

_TOKEN = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
STRONG_SIMILARITY = 0.7

EN_TENSE = {"was": "past", "were": "past", "did": "past", "had": "pluperfect",
            "is": "present", "are": "present", "am": "present", "does": "present", "has": "perfect", "have": "perfect",
            "will": "future", "would": "conditional"}
# Italian auxiliaries and copulas by tense (finite forms of essere, avere, stare, venire)
IT_TENSE = {
    **dict.fromkeys("è sono sei siamo siete ha hanno ho hai abbiamo avete sta stanno viene vengono".split(), "present"),
    **dict.fromkeys("era erano ero eri eravamo eravate aveva avevano avevo avevi stava stavano veniva venivano".split(), "imperfect"),
    # subjunctives follow the main verb ("come se fossero" / "as if they are"): no tense of their own
    **dict.fromkeys("fosse fossero avesse avessero stesse stessero sia siano abbia abbiano".split(), "subjunctive"),
    **dict.fromkeys("fu furono fui ebbe ebbero venne vennero stette".split(), "past"),
    **dict.fromkeys("sarà saranno sarò avrà avranno avrò verrà verranno".split(), "future"),
    **dict.fromkeys("sarebbe sarebbero sarei avrebbe avrebbero avrei verrebbe verrebbero".split(), "conditional"),
}
_ENDINGS = r"(?:at|ut|it|ess|ost|ort|ett|int|ers|uss|es|is|os|ott|ist|ass|olt|ert|ent|ast)[oaie]"
_PARTICIPLE = re.compile(_ENDINGS + "$")
_BEEN = frozenset("stato stata stati state".split())
_REPORTING = re.compile(r"\b(?:ha|hanno|aveva|avevano)\s+(?:\w+\s+)?(?:detto|affermato|dichiarato|annunciato|spiegato|riferito|"
                        r"sostenuto|scritto|aggiunto|precisato|sottolineato|riportato|ricordato)\b|\b(?:disse|dichiarò|affermò|"
                        r"annunciò|spiegò|riferì|sostenne|scrisse|aggiunse)\b", re.IGNORECASE)


_PERFECT = re.compile(r"\b(?:ha|hanno|ho|hai|abbiamo|avete|è|sono|siamo)\s+(?:\w+\s+)?\w+" + _ENDINGS + r"\b", re.IGNORECASE)
_MODAL_BEFORE = re.compile(r"\b(?:to|could|would|should|might|must|may|will|can|shall)\s+(?:not\s+)?$", re.IGNORECASE)


def _is_verb(word: str) -> bool:
    """simplemma takes the form back to an infinitive ("interesse" is a noun, "cercasse" a verb)."""
    lemma = lemmatize(word, "it")
    return lemma != word and lemma.endswith(("are", "ere", "ire", "rre"))


def verb_form_tense(word: str) -> str | None:
    """The tense a finite Italian verb form shows by its ending (None: not finite, or no telling)."""
    w = word.lower()
    if w in IT_TENSE:
        return IT_TENSE[w]
    if len(w) > 5 and re.search(r"(?:av|ev|iv)(?:a|ano|o|amo|ate)$", w) and _is_verb(w):
        return "imperfect"
    if len(w) > 5 and re.search(r"(?:asse|esse|isse|assero|essero|issero)$", w) and _is_verb(w):
        return "subjunctive"
    if len(w) > 4 and re.search(r"(?:arono|erono|irono|ò|ì|ettero)$", w):
        return "past"  # not "-ette": far more participles (affette, dirette, elette) than remote pasts
    if len(w) > 4 and re.search(r"(?:rà|ranno|rò)$", w):
        return "future"
    if re.search(r"(?:rebbe|rebbero)$", w):
        return "conditional"
    return None


def italian_group_tense(source: str, start: int) -> str | None:
    """Tense of the Italian verb group ending at the word starting at ``start``: its own form or the auxiliary before it."""
    tokens = [(m.group().lower().replace("’", "'"), m.start()) for m in _TOKEN.finditer(source)]
    at = next((i for i, (_, s) in enumerate(tokens) if s == start), None)
    if at is None:
        return None
    word = tokens[at][0]
    own = verb_form_tense(word)
    if own:
        return own
    before = [w for w, _ in tokens[max(0, at - 3):at]]
    for i in range(len(before) - 1, -1, -1):
        tense = IT_TENSE.get(before[i])
        if tense:
            if tense != "present":
                return tense
            participle = any(_PARTICIPLE.search(w) for w in before[i + 1:] + [word])
            if _BEEN & set(before[i + 1:]) or (before[i] in ("ha", "hanno", "ho", "hai", "abbiamo", "avete") and participle):
                return "perfect"  # "ha fatto", "è stato accolto": passato prossimo (English past or present perfect)
            return "ambiguous" if participle else "present"  # "è considerato": passive or perfect
    return None


def _clashes(english: str, italian: str, has_past_before: bool, source_has_past: bool) -> bool:
    """Whether an English auxiliary's tense contradicts the Italian verb group's."""
    if english == "past":  # was/were/did
        return italian in ("present", "future") and not has_past_before
    if english == "pluperfect":  # had
        return italian in ("present", "future", "perfect") and not has_past_before
    if english == "present":  # is/are/does
        return italian in ("imperfect", "past", "perfect")
    if english == "perfect":  # has/have
        return italian in ("imperfect", "past")
    if english == "future":
        return italian in ("imperfect", "past", "perfect")
    if english == "conditional":
        return italian in ("present", "future", "perfect") and not source_has_past
    return False


_DETERMINERS = frozenset("un uno una il lo la i gli le l del dello della dei degli delle al allo alla ai agli alle questo questa "
                         "questi queste quel quello quella ogni".split())


def _predicate(source: str, word) -> bool:
    """A word that heads a verb group (a verb, or a predicate after «era», «è stato»): not an adverb in -mente,
    not a name, not a word after an article or determiner («un rapido passaggio», «la prima volta»)."""
    if word.text.lower().endswith("mente") or word.text[:1].isupper():
        return False
    before = [w.lower().replace("’", "'") for w in _TOKEN.findall(source[:word.start])][-2:]
    return not any(w.rstrip("'") in _DETERMINERS for w in before)


@register
class TenseCheck(Check):
    id = "tense"
    category = "accuracy/mistranslation"
    description = "an English auxiliary in another tense than the Italian verb it renders (is for «era», would for «sarà»)"
    needs = frozenset({"encoder"})

    def check_pair(self, pair: Pair, ctx: CheckContext):
        if ctx.src_lang != "it" or ctx.tgt_lang != "en" or not pair.source.strip() or not pair.target.strip():
            return
        alignment = ctx.word_alignment(pair)
        source_has_past = any(verb_form_tense(w) in ("imperfect", "past", "conditional") for w in _TOKEN.findall(pair.source)) \
            or bool(_PERFECT.search(pair.source))
        for m in _TOKEN.finditer(pair.target):
            english = EN_TENSE.get(m.group().lower())
            if english is None or _MODAL_BEFORE.search(pair.target[max(0, m.start() - 12):m.start()]) or m.group().isupper():
                continue  # "to have followed", "could have": not a tense of its own; "AM": an Assembly Member
            following = next((j for j, w in enumerate(alignment.target) if m.end() <= w.start <= m.end() + 30), None)
            if following is None:
                continue
            # dictionary links, or very close vectors: an ordinary close vector ("heading" ~ «annunciato») is not enough
            for i in (alignment.sure[:, following] | (alignment.similarity[:, following] >= STRONG_SIMILARITY)).nonzero()[0]:
                word = alignment.source[int(i)]
                if not _predicate(pair.source, word):
                    continue  # an adverb, a name or a noun phrase («probabilmente», «un rapido passaggio»): no verb group
                italian = italian_group_tense(pair.source, word.start)
                if italian is None:
                    continue
                before = pair.source[:word.start]
                has_past_before = bool(_REPORTING.search(before) or _PERFECT.search(before)) or any(
                    verb_form_tense(w) in ("imperfect", "past") for w in _TOKEN.findall(before))
                if _clashes(english, italian, has_past_before, source_has_past):
                    yield self.finding(m.start(), m.end(), "major",
                                       f"“{m.group()}” is {english}, but the source's «{pair.source[word.start:word.end]}» is {italian}",
                                       confidence=0.6, source_start=word.start, source_end=word.end)
                break
