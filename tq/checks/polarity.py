"""Negation added or lost: the translation says "not" where the source does not, or the reverse.

A sentence's negations are counted on each side, with each language's rules:
Italian negative concord ("non ... mai", "non ... nessuno") is one negation,
"non solo" (not only), "non appena" (as soon as), «non posso che» (can only) and the "che non" of
comparisons none, and a "non" before a negative word ("non manca",
"non impossibile") cancels it; English "neither ... nor" is one, "not without"
none, nor do "not entirely unexpected" and a question that asserts ("isn't that wonderful", ", isn't it").
A «non» before a word with a negative prefix cancels it where the English says the word without it
(«non si trovino impreparate» / "prepare"). A difference the other side explains with a word that is negative by
itself ("falso" / "not true", "non poteva" / "unable", "fail", "un-…"), or by
a litotes (the negated word's opposite is what the other side says: "doesn't
rise above" for «resta sotto», "can't easily" for «difficile»), or by a construction that negates without a negation word ("keeps it from
competing", "too loud for"), or by a rhetorical question for a statement of the other polarity ("Who knew?" for
«Nessuno lo sapeva»), is not an error.
What is left is a polarity flip: the error that makes a translation say the
opposite of the source while reading perfectly well.

On the error suite (tq bench detect) it fires on 1 of 207 clean development
pairs and 1 of 193 held-out ones, and catches 76% and 85% of the added or
dropped negations. The check proposes major and leaves critical to the judge (:mod:`tq.judge`), which sees
the flip head and the other checks and may raise it, never lower it (``judge_may_lower``): a paraphrase
("non ha escluso" / "left open") is better answered by the idioms above than by a judge that also silences flips.
"""
from __future__ import annotations

import re

from . import Check, CheckContext, register
from ..lexicon import antonyms, is_content, lemmas, translations
from ..text import zipf
from ..types import Pair

_TOKEN = re.compile(r"(?:non-)?[^\W\d_]+(?:['’]t\b)?", re.IGNORECASE)

IT_NEGATIONS = frozenset("non né nessuno nessuna nessun niente nulla mai senza neanche nemmeno neppure".split())
# Italian words that are negative by themselves: a "not" in the English may render them
IT_NEGATIVE = re.compile(r"^(?:impossibil\w*|incapac\w*|rifiut\w*|neg[aoò]\w*|manc[aoòh]\w*|priv[oaie]|assenz\w*|vietat\w*|"
                         r"vieta\w*|evit\w*|impedi\w*|smett\w*|fallit\w*|fallimento|ignor\w*|esclu\w*|in\w+bil[ei]|poc[oaih]\w*|"
                         r"fals[oaie]|perdut\w*|pers[oaie]|scompar\w*|sconosciut\w*|difficilmente|raramente|malapena|priva[nr]\w*)$", re.IGNORECASE)
# not "unless": it says «a meno che (non)», «salvo che», «se non» alike, so it only explains a negation (EN_NEGATIVE)
EN_NEGATIONS = frozenset("not never no none nobody nothing nowhere neither nor without cannot".split())
# English words that are negative by themselves: they may render an Italian "non"
EN_NEGATIVE = re.compile(r"^(?:un\w{3,}|in(?:capable|capacitat|ability|sufficient|valid|complete|effective|accurate|correct|direct)\w*|"
                         r"im(?:possible|probable)\w*|fail\w*|refus\w*|den(?:y|ied|ies|ial)|lack\w*|absen\w*|avoid\w*|"
                         r"prevent\w*|stop\w*|ban(?:s|ned)?|missing|rarely|hardly|barely|seldom|little|few|instead|rather|only|"
                         r"but|lost|ignor\w*|exclud\w*|dis\w{4,}|non\w+|except|beyond|false|dead|less|unless|outside|neglect\w*)$", re.IGNORECASE)
_UNAPOSTROPHED = frozenset("dont doesnt didnt cant wont isnt arent wasnt werent hasnt havent hadnt couldnt wouldnt shouldnt".split())
RENDERING_WINDOW = 3  # source words after a lost negation whose rendering places it
AUX_WINDOW = 3  # English words before the negated one where its auxiliary (and the lost "not") may stand
CONCORD_WINDOW = 8  # tokens: an Italian negative word this close after "non" belongs to the same negation
CONCORD_CHARS = 60  # characters: the same, for the word aligner's links (a concord's later words render it too)


def _tokens(text: str) -> list[tuple[str, int, int]]:
    return [(m.group().lower().replace("’", "'"), m.start(), m.end()) for m in _TOKEN.finditer(text)]


def italian_negations(text: str) -> list[tuple[int, int]]:
    """Spans of the sentence's negations (one per negative concord)."""
    tokens, found = _tokens(text), []
    for i, (word, start, end) in enumerate(tokens):
        after = [w for w, _, _ in tokens[i + 1:i + 3]]
        if word == "non":
            if after[:1] in (["solo"], ["soltanto"], ["appena"]) or any(IT_NEGATIVE.match(w) for w in after):
                continue  # "non solo" = not only, "non appena" = as soon as; "non manca" = there is
            if after == ["molto", "tempo"]:
                continue  # «non molto tempo fa»: "not long ago", which English does not count either
            preceding = [w for w, _, _ in tokens[max(0, i - 6):i]]
            if any(w in ("finché", "finchè") for w in preceding) or preceding[-1:] == ["quanto"]:
                continue  # the expletive «non» of «finché non» (until) and «di quanto non» (than)
            following = [w for w, _, _ in tokens[i + 1:i + 7]]
            if _negated_idiom(following):
                continue
            if after[1:2] in (["solo"], ["soltanto"], ["solamente"], ["semplicemente"]):
                continue  # «non è solo», «non sono soltanto»: "not just", "not only", which English does not count either
            if following[:2] and following[0] in _ONLY_VERBS and following[1:2] == ["che"]:
                continue  # «non posso che», «non resta che», «non fa che»: "can only", "all that is left", "does nothing but"
            if "altro" in following[:4] and "che" in following[1:] and not {"nient", "niente", "nessun"} & set(following):
                continue  # "non ... altro che" = only: "non sono altro che chiacchiere" (not "nient'altro che")
            if any(w in ("mai", "nessuno", "nessuna", "nessun", "niente", "nulla") for w, _, _ in tokens[max(0, i - 3):i]):
                continue  # "perché mai non", "nessuno non": one negation with the word before
            if i and tokens[i - 1][0] == "che" and any(w in ("più", "meno", "piuttosto") for w, _, _ in tokens[max(0, i - 12):i]):
                continue  # the expletive "non" of comparisons: "più adatto che non Parigi"
            found.append((start, end))
        elif word in IT_NEGATIONS:
            before = [w for w, _, _ in tokens[max(0, i - CONCORD_WINDOW):i]]
            if word != "senza" and any(w in IT_NEGATIONS for w in before):
                continue  # negative concord: "non ... mai", «nessuno ... mai ... nulla» are one negation
            if word == "mai" and i > 1 and not re.search(r"[.;:!?]\s*$", text[:start]):
                continue  # after the verb and without «non», «mai» is "ever": «il peggiore che ho mai visto», «possano mai»
            found.append((start, end))
    return found


# verbs after which «non … che» means "only": «non posso che» (I can only), «non resta che», «non fa che»
_ONLY_VERBS = frozenset("""posso puoi può possiamo potete possono potevo poteva potevamo potevano potrà potranno potrebbe
potrebbero potrei resta restava resterà rimane rimaneva rimarrà fa fanno faceva facevano fece fecero""".split())


def _negated_idiom(following: list[str]) -> bool:
    """The words after a «non» make an idiom whose «non» negates nothing, though English may say it with a
    negation: «non vedo l'ora» (looks forward, can't wait), «non poter fare a meno di» (couldn't help)."""
    return following[:3] == ["vedo", "l", "ora"] or ("fare" in following[:3] and "meno" in following[1:5])


_SUBJECTS = frozenset("i you he she it we they that this there".split())
_INTENSIFIERS = frozenset("even entirely completely totally altogether wholly quite so too very".split())


def _stems(word: str, prefixes: tuple[str, ...]) -> list[str]:
    """What is left of the word after each of the prefixes it starts with, where four letters or more are left."""
    return [word[len(prefix):] for prefix in prefixes if word.startswith(prefix) and len(word) - len(prefix) >= 4]


def _prefixed_negative(word: str) -> bool:
    """A word made negative by a prefix on a word English has: "unthinkable", "unexpected", "impossible" (not
    "under", "until", "understand")."""
    return any(zipf(stem, "en") >= 1.5 for stem in _stems(word, ("un", "in", "im", "il", "ir", "dis")))


_AUX = frozenset("do does did is are was were has have had can could will would shall should may might must".split())
# "not" in idioms that negate nothing the source must negate: "not only", "whether or not", "not long after"
_NOT_IDIOM_AFTER = frozenset("only just merely simply least long".split())


def _negation_word(word: str) -> bool:
    """An English negation word ("not", "never", "can't", "dont"), whatever the words around it make of it."""
    return word.endswith("n't") or word in EN_NEGATIONS or word in _UNAPOSTROPHED


def english_negations(text: str) -> list[tuple[int, int]]:
    """Spans of the sentence's negations ("n't" and "no longer" count; "neither ... nor" and "not ... nor"
    once; "not without", "not only", "whether or not" none)."""
    tokens, found = _tokens(text), []
    for i, (word, start, end) in enumerate(tokens):
        after = [w for w, _, _ in tokens[i + 1:i + 2]]
        before = [w for w, _, _ in tokens[max(0, i - 2):i]]
        if _negation_word(word):
            if after and after[0] in _INTENSIFIERS and _prefixed_negative(tokens[i + 2][0] if i + 2 < len(tokens) else ""):
                continue  # "not even unthinkable", "not entirely unexpected": a litotes across an intensifier
            if word == "nor" and any(w == "neither" or (w in ("not", "never", "no") or w.endswith("n't")) and after[:1] and after[0] not in _AUX
                                     for w, _, _ in tokens[max(0, i - CONCORD_WINDOW):i]):
                continue  # one negation: "neither ... nor", "didn't have corn, nor tomatoes"; not "nor did she"
            if (word == "not" or word.endswith("n't")) and after and (after[0] == "without" or after[0] in _NOT_IDIOM_AFTER
                                                                     or EN_NEGATIVE.match(after[0])):
                continue  # "not without humour", "not unlike", "not only", "aren't just", "not long after"
            if word == "not" and before[-2:] == ["whether", "or"] or (word == "not" and before[-1:] == ["if"]):
                continue  # "whether or not", "if not"
            if word.endswith("n't") and after[:1] and after[0] in _SUBJECTS and re.search(r"(?:^|[\"“‘',:;.!?(—–-])\s*$", text[:start]):
                continue  # a question that asserts: "isn't that wonderful", ", don't you?" (not "why isn't it")
            if word in ("couldn't", "can't", "cannot") and after and after[0] == "help":
                continue  # "couldn't help but think"
            if word == "no" and after and after[0] == "doubt":
                continue
            if word == "no" and text[end:end + 1] == "-" and after[:1] == ["brainer"]:
                continue  # "a no-brainer": an easy choice, no negation (but "no-excuses", "no-one" are)
            if word == "no" and re.match(r"\s*[,.!?;:]|\s*$", text[end:end + 2]):
                continue  # "No, we didn't", "oh, no.": an exclamation, not the negation of a clause
            if word != "nor" and "until" in [w for w, _, _ in tokens[i + 1:i + 8]]:
                continue  # "didn't open until March": «solo a marzo»
            if word == "without" and i and tokens[i - 1][0] == "not":
                continue
            found.append((start, end))
        elif word.startswith("non-"):  # "non-UK residents", "non-diabetic": «non residenti»
            found.append((start, start + 3))
    return found


def _mood(text: str) -> str:
    """The sentence's final stop, past closing quotes and brackets: ".", "?" or another mark."""
    from .punctuation import CLOSERS  # imported here: punctuation imports this module

    return text.rstrip().rstrip(CLOSERS)[-1:]


def rhetorical_question(source: str, target: str) -> bool:
    """A statement rendered as a question of the other polarity, or the reverse: a rhetorical question asserts
    what its negation states («Non ci si può accanire così» / "You're going to go after someone like that?",
    «Nessuno lo sapeva» / "Who knew?"). A translator may turn one into the other; a question mark put on a
    statement with its polarity kept is no such thing."""
    moods = {_mood(source), _mood(target)}
    if moods != {".", "?"}:
        return False
    question, lang = (target, "en") if _mood(target) == "?" else (source, "it")
    words = [w for w, _, _ in _tokens(question)]
    # a question that asks nothing of the reader: a wh-word or a modal opening it («chi avrebbe mai pensato»), a
    # wh-word before a modal or an auxiliary ("With that as my heritage, how can I not …"), or English's declarative
    # question ("You're going to …?"); not a plain yes/no question («Ha firmato?»)
    opening = words[:3]
    asking = any(a in _WH[lang] and b in _RHETORICAL[lang] for a, b in zip(words, words[1:]))
    if not (set(opening) & _RHETORICAL[lang] or asking or (lang == "en" and opening[:1] and opening[0] in _SUBJECTS)):
        return False
    return bool(italian_negations(source)) != bool(english_negations(target))


_WH = {"en": frozenset("who what how why where".split()), "it": frozenset("chi cosa come perché perchè dove".split())}
_RHETORICAL = {"en": frozenset("who what how why where when can could would should will".split()),
               "it": frozenset("chi cosa che come perché perchè dove quando può puoi possono potrebbe potrebbero avrebbe "
                               "avrebbero sarebbe sarebbero dovrebbe".split())}


def negative_by_itself(word: str) -> bool:
    """An English word negative by itself: listed ("fail", "hardly"), or a negative prefix or suffix on a
    known word ("ineligible", "unable", "non-UK", "frictionless")."""
    lower = word.lower()
    if EN_NEGATIVE.match(lower) or lower in _NEGATIVE_WORDS:
        return True
    if any(zipf(stem, "en") >= 3.0 for stem in _stems(lower, ("un", "in", "im", "il", "ir", "dis", "mis", "non-", "non"))):
        return True
    return lower.endswith("less") and len(lower) > 7 and zipf(lower[:-4], "en") >= 3.0


_NEGATIVE_WORDS = frozenset("hard difficult tough impaired blind deaf absent free safely spared".split())


@register
class NegationCheck(Check):
    id = "negation"
    category = "accuracy/mistranslation"
    judged = True  # the judge weighs the rest of the pair's evidence: a flip (critical) or a lesser slip
    # never lower than major: on the suite's held-out split, a judge that could lower it lost a third of the flips
    judge_may_lower = False
    description = "a negation added or lost: the translation says the opposite of the source"

    def check_pair(self, pair: Pair, ctx: CheckContext):
        if ctx.src_lang != "it" or ctx.tgt_lang != "en" or not pair.source.strip() or not pair.target.strip():
            return
        source, target = italian_negations(pair.source), english_negations(pair.target)
        alignment = ctx.word_alignment(pair) if "encoder" in ctx.resources else None
        if alignment is None:
            return  # where the negation belongs is the evidence: without the word alignment there is none
        source, target = _unlinked(pair, alignment, source, target)
        # «senza» is a preposition as often as a negation ("senza pericolo": safely): it may explain an
        # English negation, but an English sentence without one has not lost it
        strong = [span for span in source if pair.source[span[0]:span[1]].lower() != "senza"]
        if len(target) > len(source):
            # words negative by themselves, and a «mai» read as "ever" ("never more so than": «mai come»)
            # and the Italian's own «no» (an answer or an interjection, which Italian_negations leaves out): "No, no sir"
            tokens = _tokens(pair.source)
            # ... and a «non» of an idiom English may render with a negation ("can't wait", "couldn't help")
            explained = sum(1 for k, (w, _, _) in enumerate(tokens) if IT_NEGATIVE.match(w) or w in ("mai", "no")
                            or (w == "non" and _negated_idiom([t for t, _, _ in tokens[k + 1:k + 7]])))
            renderings = _source_renderings(pair.source)
            explained += sum(1 for span in target if _opposite_negated(pair.target, span, renderings))
            # "don't forget" says remember («ricordate», «tenete presente»), unless the source says forget
            if "forget" not in renderings:
                explained += len(_DONT_FORGET.findall(pair.target))
            explained += rhetorical_question(pair.source, pair.target)
            if explained < len(target) - len(source):
                spot = _unmatched_english(target, source, alignment)
                if spot is not None:
                    yield self.finding(*spot, "major",
                                       "the translation negates something the source states as true (the source has no matching negation)",
                                       confidence=0.7)
        elif len(strong) > len(target):
            explained = sum(1 for w, _, _ in _tokens(pair.target) if negative_by_itself(w))
            english = frozenset().union(*(lemmas(w, "en") for w, _, _ in _tokens(pair.target) if is_content(w, "en")))
            explained += sum(1 for span in strong if _opposite_negated(pair.source, span, english, italian=True)
                             or _double_negative(pair.source, span, english))
            explained += _negative_implicatives(pair.source, pair.target) + rhetorical_question(pair.source, pair.target)
            if explained < len(strong) - len(target):
                start, end = strong[len(target)]
                spot = _rendering_after(end, alignment)
                if spot is not None and not _negative_near(pair.target, spot):
                    yield self.finding(*spot, "major",
                                       f"the source says «{pair.source[start:end]}» but the translation has no negation here: it states the opposite",
                                       confidence=0.7, source_start=start, source_end=end)


# English that says "not" without a negation word: "keeps it from competing" («gli permette di non competere»),
# "protected them from falling"; and "too loud for Italians" («non è cosa per gli italiani»), unless the source says
# «troppo» itself
_KEEP_FROM = re.compile(r"\b(?:keep|keeps|kept|keeping|stop|stops|stopped|stopping|bar|bars|barred|prevent(?:s|ed|ing)?|"
                        r"protect(?:s|ed|ing)?|spare[sd]?|discourag(?:e|es|ed|ing)|deter(?:s|red|ring)?|refrain(?:s|ed|ing)?)"
                        r"\s+(?:\w+\s+){0,3}from\s+\w+ing\b", re.IGNORECASE)
_TOO_FOR = re.compile(r"\btoo\s+(?:\w+\s+)?\w+\s+(?:to|for)\s+\w+", re.IGNORECASE)


def _negative_implicatives(source: str, target: str) -> int:
    """English constructions that negate without a negation word, where the source's «non» may be what they say."""
    too = 0 if re.search(r"\btropp", source, re.IGNORECASE) else len(_TOO_FOR.findall(target))
    return len(_KEEP_FROM.findall(target)) + too


NEGATIVE_PREFIXES = ("in", "im", "il", "ir", "dis")
DOUBLE_WINDOW = 3  # words after a «non» among which the prefixed word it cancels stands («non si trovino impreparate»)
# renderings too common to show that the English says the stem's meaning ("make" is among «preparate»'s)
_LIGHT = frozenset("make makes made do does did get gets got set take takes took have has had be go put give".split())


def _double_negative(text: str, span: tuple[int, int], english: frozenset[str]) -> bool:
    """A «non» that cancels the negative prefix of a word just after it, where the English says the unprefixed word:
    «non si trovino impreparate» / "prepare", «non è inutile» / "useful". Italian makes such litotes freely, and
    the dictionary lists few of the prefixed words («impreparato» is not in MultiWordNet), so the stem is read
    instead; the English must say the stem's meaning, so a lost «non» before a prefixed word is still seen."""
    from ..morphology import italian_word

    following = [w for w, start, _ in _tokens(text) if start >= span[1]][:DOUBLE_WINDOW]
    for word in following:
        form = italian_word(word)
        if form is not None and form.finite:
            continue  # a verb the «non» negates («non indica»: "dica" is no stem of it)
        if any((translations(stem) - _LIGHT) & english for stem in _stems(word, NEGATIVE_PREFIXES)):
            return True
    return False


_DONT_FORGET = re.compile(r"\b(?:don['’]?t|do not)\s+forget\b", re.IGNORECASE)
LITOTES_WINDOW = 3  # words after a negation among which the word it negates stands ("doesn't rise above")


def _source_renderings(source: str) -> frozenset[str]:
    """The dictionary's English for every Italian content word of the sentence."""
    return frozenset().union(*(translations(w) for w, _, _ in _tokens(source) if is_content(w, "it")))


def _opposite_negated(text: str, span: tuple[int, int], other: frozenset[str], italian: bool = False) -> bool:
    """A negation that says the other side's word by denying its opposite, a litotes: "doesn't rise above" for
    «resta sotto», "can't easily" for «difficile», "non è facile" for "hard". ``other``: the other side's English
    content lemmas (for an English negation, the dictionary's renderings of the source's content words)."""
    following = [w for w, start, _ in _tokens(text) if start >= span[1]][:LITOTES_WINDOW]
    for word in following:
        if italian and not is_content(word, "it"):
            continue  # «era» (was) is also the noun era, whose translations include "here", the opposite of "there"
        forms = set(translations(word) if italian else lemmas(word, "en"))
        if not italian and word.endswith("ly"):  # the adjective of an adverb: easily -> easy, quickly -> quick
            forms |= {word[:-3] + "y", word[:-2]}
        if frozenset().union(*(antonyms(f) for f in forms)) & other:
            return True
    return False


LINKED = 0.5  # link probability from which the aligner's link makes two words each other's rendering


def italian_negative_spans(text: str) -> list[tuple[int, int]]:
    """Every Italian word that may stand for a negation, in idioms and concords too: «non», «nessuno», «mai»,
    «senza», «impossibile», «difficilmente»."""
    return [(start, end) for word, start, end in _tokens(text) if word in IT_NEGATIONS or IT_NEGATIVE.match(word)]


def english_negative_spans(text: str) -> list[tuple[int, int]]:
    """Every English word that may stand for a negation, in idioms too: "not", "can't", "no", "without",
    "unable", "hardly" (not the words that only sometimes carry one: "but", "only", "less")."""
    return [(start, end) for word, start, end in _tokens(text)
            if _negation_word(word) or (negative_by_itself(word) and word not in _SOMETIMES_NEGATIVE)]


# negative_by_itself words that render a «non» now and then but mostly something else: a link to one is no match
_SOMETIMES_NEGATIVE = frozenset("but only rather instead less little few except beyond outside dead lost false free safely".split())


def _unlinked(pair: Pair, alignment, source: list[tuple[int, int]], target: list[tuple[int, int]]
              ) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """The negations of each side that the word aligner does not link to a negation of the other side.

    A link settles it whatever the counts say: «non possiamo affidarci al solo» / "can't just rely" (an idiom
    the English count leaves out), «nessun … nessuna» / "no … no" (one concord, two English negations),
    «difficilmente» / "not likely" (a word negative by itself). A counted negation linked to a counted one
    removes both; linked to a word the other side's count left out, only itself. An Italian negation reaches
    the negative words of its concord («non … nessuno» / "nobody"), which English may render twice.
    """
    linked = lambda s, t: alignment.token_link(s, t) >= LINKED  # noqa: E731
    italian, english = italian_negative_spans(pair.source), english_negative_spans(pair.target)
    groups = {span: [span] + [other for other in italian if span[1] <= other[0] and other[0] - span[1] <= CONCORD_CHARS]
              for span in source}
    left_source, left_target = list(source), list(target)
    for span in source:
        partner = next((t for t in left_target if any(linked(member, t) for member in groups[span])), None)
        if partner is not None:
            left_source.remove(span)
            left_target.remove(partner)
        elif any(linked(span, other) for other in english if other not in target):
            left_source.remove(span)
    # the rest may render a word the count left out, or a concord already matched a second time ("no … no")
    left_target = [t for t in left_target if not any(linked(other, t) for other in italian)]
    return left_source, left_target


def _negative_near(text: str, spot: tuple[int, int]) -> bool:
    """A negative word at or just before the English rendering of what the source negated."""
    return any(negative_by_itself(w) for w, start, end in _tokens(text) if start >= spot[0] - 30 and end <= spot[1])


def _rendering_after(position: int, alignment) -> tuple[int, int] | None:
    """Where the lost negation belonged: the English word linked to the first of the next few source words
    after ``position`` that has one (the negated verb: «non è» -> "is", «non ci ho pensato» -> "did"), with an
    auxiliary just before it, after which English puts its "not"."""
    if alignment is None:
        return None
    following = [i for i, word in enumerate(alignment.source) if word.start >= position][:RENDERING_WINDOW]
    for i in following:
        linked = alignment.links[i].nonzero()[0]
        if linked.size:
            target = alignment.target[int(linked.min())]
            before = [w for w in alignment.target_words if w.end <= target.start][-AUX_WINDOW:]
            aux = [w for w in before if w.text.lower() in _AUX]
            return (aux[-1].start if aux else target.start), target.end
    return None


def _unmatched_english(target: list[tuple[int, int]], source: list[tuple[int, int]], alignment) -> tuple[int, int] | None:
    """The English negation with no Italian one: the one whose next content word renders a source word
    with no negation just before it; None when the alignment shows none (no evidence where it belongs)."""
    for start, end in target:
        nxt = next((j for j, w in enumerate(alignment.target) if w.start >= end), None)
        linked = [alignment.source[i] for i in alignment.links[:, nxt].nonzero()[0]] if nxt is not None else []
        if linked and not any(0 <= w.start - s_end <= 30 for w in linked for _, s_end in source):
            return start, end
    return None
