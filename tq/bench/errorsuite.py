"""A seeded, versioned error suite: real Italian–English pairs with controlled corruptions.

Each chosen pair of FLORES devtest, NTREX newstest2019 and WMT09 newstest2009
gives one clean case and up to ``per_sentence`` corrupted twins whose English
side carries one labelled error (tq category, MQM severity, character span of
the change). A benchmark runs the checker on both and counts hits and false
alarms; this module only builds, writes and reads the suite.

Everything is derived from the seed: the pairs from ``random.Random(seed)``,
each corruption from a string seed ``"{seed}:{corpus}:{line}:{kind}"``, the
dev/test split from a SHA-1 of the document, so a suite is identical run to
run. ``line`` is the 0-based line index in the corpus files.
"""
from __future__ import annotations

import hashlib
import json
import random
import re
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path

from ..lexicon import wordnet

SUITE_VERSION = 3  # 3: the machine-translation garbles (dangling-word … adverb-order)

CORPORA = ("FLORES", "NTREX", "WMT09")
WMT_BLOCK = 20  # WMT09 has no document boundaries: blocks of 20 lines stand in for documents


@dataclass(frozen=True)
class Corruption:
    """One corrupted English sentence; ``text[start:end]`` is the change (zero width for a deletion)."""
    kind: str; category: str; severity: str
    text: str; start: int; end: int


@dataclass(frozen=True)
class SourcePair:
    """A line-aligned pair with its corpus, document and 0-based line index."""
    corpus: str; doc: str; line: int; source: str; reference: str


@dataclass(frozen=True)
class Case:
    """One suite item: ``target`` is the English to check (the reference itself for ``kind == "clean"``)."""
    id: str; corpus: str; doc: str; line: int; split: str
    source: str; reference: str; target: str
    kind: str; category: str; severity: str; start: int; end: int


class Suite(list[Case]):
    """The cases plus the parameters that built them, so :func:`write_suite` can record them."""
    seed: int | None = None
    sentences: int | None = None
    per_sentence: int | None = None


Corrupter = Callable[[str, str, random.Random, Sequence[str]], "Corruption | None"]

# ---------------------------------------------------------------- helpers
_WORD = re.compile(r"(?<![\w'’-])[A-Za-z]+(?:['’-][A-Za-z]+)*(?![\w'’-])")
_LOWER5 = re.compile(r"(?<![\w'’-])[a-z]{5,}(?![\w'’-])")
_NAME = re.compile(r"(?<![\w'’-])[A-Z][a-z]+(?:-[A-Z][a-z]+)?(?![\w'’-])")
_FINAL = re.compile(r"([.!?])([\"”’')\]]*)\s*$")
_STARTERS = set("the a an this that these those it he she they we there its his her their our some many most all both".split())


def _edit(kind: str, english: str, start: int, end: int, new: str,
          span: tuple[int, int] | None = None) -> Corruption | None:
    """Replace ``english[start:end]`` by ``new``; None when nothing changes, so no fake corruption slips in."""
    text = english[:start] + new + english[end:]
    if text == english:
        return None
    category, severity, _ = CORRUPTIONS[kind]
    s, e = span or (start, start + len(new))
    return Corruption(kind, category, severity, text, s, e)


Edit = tuple  # (start, end, new) or (start, end, new, (span_start, span_end))


def _choose(kind: str, english: str, rng: random.Random, edits: Sequence[Edit]) -> Corruption | None:
    """Apply one edit picked by the rng; None when the kind does not apply (no candidate)."""
    return _edit(kind, english, *rng.choice(edits)) if edits else None


def _initial(text: str, pos: int) -> bool:
    """True at the start of a sentence, where capitals say nothing about names."""
    before = text[:pos].rstrip(" \"“‘'(")
    return not before or before[-1] in ".!?:;"


def _like(model: str, word: str) -> str:
    """``word`` with the capitalisation of ``model``."""
    if len(model) > 1 and model.isupper():
        return word.upper()
    return word[:1].upper() + word[1:] if model[:1].isupper() else word


def _in_source(word: str, source: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(word)}(?!\w)", source) is not None


def _names(text: str, source: str | None = None) -> list[re.Match[str]]:
    """Capitalised non-initial words (likely names), optionally only those also in the Italian."""
    return [m for m in _NAME.finditer(text) if not _initial(text, m.start())
            and (source is None or _in_source(m.group(), source))]


def _gap(english: str, a: re.Match[str], b: re.Match[str]) -> bool:
    """Only a space between two words."""
    return english[a.end():b.start()] == " "


def _content_end(text: str) -> int:
    """Index of the final . ! ? (before closing quotes), or len(text) when there is none."""
    m = _FINAL.search(text)
    return m.start(1) if m else len(text.rstrip())


# ---------------------------------------------------------------- English WordNet: parts of speech without a tagger
def _en_synsets(word: str) -> frozenset[str]:
    """Synsets of an English word's form and of its lemma (hospitals: hospital)."""
    from ..lexicon import lemmas

    return frozenset().union(*(wordnet().synsets(lemma, "en") for lemma in lemmas(word, "en")))


@lru_cache(maxsize=2_000)
def _source_synsets(source: str) -> frozenset[str]:
    """Synsets of the Italian source's lower-case words (names left out: they say nothing of a sense)."""
    from ..lexicon import lemmas

    return frozenset().union(*(wordnet().synsets(lemma, "it") for m in re.finditer(r"[^\W\d_]+", source)
                               if not m.group()[0].isupper() for lemma in lemmas(m.group(), "it")))


def _pos(word: str, source: str = "") -> str:
    """The parts of speech (letters of "nvar") of ``word``: of the senses it shares with a word of the
    Italian source when there are any (the sense the translator used), else of all its senses."""
    synsets = _en_synsets(word.lower())
    shared = synsets & _source_synsets(source) if source else frozenset()
    return "".join(sorted({s[0] for s in (shared or synsets)}))


def _head(english: str, word: re.Match[str], source: str) -> bool:
    """Whether no noun follows the word, so that it heads its phrase ("the school", not "the school day")."""
    nxt = _WORD.match(english, word.end() + 1) if english[word.end():word.end() + 1] == " " else None
    return nxt is None or "n" not in _pos(nxt.group(), source)


def _numeral(word: str) -> bool:
    """A number or an ordinal in words (text2num reads it): "second" is no gear."""
    from text_to_num import alpha2digit

    return alpha2digit(word.lower(), "en", threshold=0) != word.lower()


def _noun(word: str, source: str) -> bool:
    """Surely a noun here: lower case, and nothing but a noun in the senses :func:`_pos` finds."""
    return word.islower() and _pos(word, source) == "n"


def _zipf(word: str) -> float:
    from ..text import zipf

    return zipf(word, "en")


def _lemma(word: str) -> str:
    from ..lexicon import lemmatize

    return lemmatize(word.lower(), "en")


@lru_cache(maxsize=20_000)
def _inflect(base: str, form: str) -> str | None:
    """The regular ``form`` ("s", "ed" or "ing") of a verb, or None: the spelling rules' candidates, kept
    only when the lemmatizer reads the candidate back as ``base`` and wordfreq knows it (irregular verbs,
    went or took, give None and so are left alone)."""
    stem = base[:-1]
    candidates = {"s": [base + "s", base + "es", stem + "ies"],
                  "ed": [base + "ed", base + "d", stem + "ied", base + base[-1:] + "ed"],
                  "ing": [base + "ing", stem + "ing", base + base[-1:] + "ing", base[:-2] + "ying"]}[form]
    known = [c for c in candidates if _lemma(c) == base and _zipf(c) >= 3.0]
    return max(known, key=_zipf) if known else None


def _verb_form(word: str) -> tuple[str, str] | None:
    """(base, form) for a lower-case regular verb form that WordNet knows as a verb (confirmed: confirm, ed)."""
    if not word.islower():
        return None
    base = _lemma(word)
    if base == word or "v" not in _pos(base):
        return None
    return next(((base, form) for form in ("ed", "s", "ing") if _inflect(base, form) == word), None)


# A pronoun subject and the auxiliaries that agree with it (has/is/was); a name counts as "he".
_PRONOUNS = {"he": ("has", "is", "was"), "she": ("has", "is", "was"), "it": ("has", "is", "was"),
             "they": ("have", "are", "were"), "we": ("have", "are", "were"), "i": ("have", "am", "was"),
             "you": ("have", "are", "were")}


def _finite(word: str) -> tuple[str, str] | None:
    """(base, form) for a regular past or third-person form ("ed", "s"), or an irregular past ("past":
    said, told, went): a word the lemmatizer reads as another verb's form that the spelling rules do not
    make, not shaped like a participle (taken), and no noun in WordNet ("left" and "thought" are)."""
    regular = _verb_form(word)
    if regular:
        return regular if regular[1] in ("ed", "s") else None
    base = _lemma(word)
    if (not word.islower() or base == word or base in ("be", "have", "do") or word.endswith(("s", "ing", "en"))
            or not _inflect(base, "ing")  # a real verb: the lemmatizer reads "gone" as "gan"
            or "v" not in _pos(base) or any(s[0] == "n" for s in wordnet().synsets(word, "en"))):
        return None
    return base, "past"


def _subject_verbs(english: str) -> list[tuple[re.Match[str], tuple[str, str], tuple[str, str, str]]]:
    """(verb, (base, form), agreeing auxiliaries) for each pronoun or name directly followed by a
    finite verb (:func:`_finite`): "she confirmed", "Rossi said", "he says" (the third person only after he,
    she or it, since "Apple shares" reads as a name and a verb as easily)."""
    words = list(_WORD.finditer(english))
    out = []
    for subject, verb in zip(words, words[1:]):
        if english[subject.end():verb.start()] != " ":
            continue
        form = _finite(verb.group())
        pronoun = _PRONOUNS.get(subject.group().lower())
        name = (subject.group()[:1].isupper() and subject.group()[1:].islower() and not _initial(english, subject.start())
                and subject.group().lower() not in _PRONOUNS)  # not an acronym: "HIV contaminated blood"
        if form and form[1] != "s" and (pronoun or name):
            out.append((verb, form, pronoun or _PRONOUNS["he"]))
        elif form and subject.group().lower() in ("he", "she", "it"):
            out.append((verb, form, _PRONOUNS["he"]))
    return out


# ---------------------------------------------------------------- critical
_AUX = "is are was were has have had will would can could should must may might does do did"
_AUX_RE = re.compile(rf"(?<![\w'’-])({_AUX.replace(' ', '|')})(?![\w'’-])")
_NT = re.compile(r"(?<![\w'’-])([A-Za-z]+)n['’]t(?![\w'’-])|(?<![\w'’-])([Cc]an)not(?![\w'’-])")
_MODALS = set("will would can could should must may might".split())
_NOT_AFTER = re.compile(r" (?:not\b|never\b|also\b|already\b|still\b)|n['’]t")


def _negatable(english: str, aux: re.Match[str]) -> bool:
    """Whether "not" can follow this auxiliary: it is one here (has + participle, a modal or do + a bare
    verb, any be) and is not negated or followed by an adverb that "not" would have to cross."""
    word = aux.group()
    if (_NOT_AFTER.match(english, aux.end()) or (word[0].isupper() and not _initial(english, aux.start()))
            or english[:aux.start()].endswith("to ")):
        return False
    following = _WORD.match(english, aux.end() + 1) if english[aux.end():aux.end() + 1] == " " else None
    if following is None:
        return False
    nxt = following.group()
    if _pos(nxt) == "r":  # "are reportedly negotiating": "not" would go after the adverb
        return False
    if word in ("has", "have", "had"):
        return nxt == "been" or (_verb_form(nxt) or ("", ""))[1] == "ed" or (nxt.endswith("en") and "v" in _pos(_lemma(nxt)))
    if word in _MODALS or word in ("does", "do", "did"):
        return nxt.islower() and _lemma(nxt) == nxt and "v" in _pos(nxt)
    return True


def negation_added(source: str, english: str, rng: random.Random, pool: Sequence[str]) -> Corruption | None:
    """Negate a verb group, keeping the English well formed: "has not confirmed", "is not", "did not
    confirm" for "confirmed", "does not say" for "says", "never confirmed"."""
    edits: list[Edit] = [(m.end(), m.end(), " not", (m.end() + 1, m.end() + 4))
                         for m in _AUX_RE.finditer(english) if _negatable(english, m)]
    for verb, (base, form), _ in _subject_verbs(english):
        edits.append((verb.start(), verb.end(), ("does not " if form == "s" else "did not ") + base))
        if form != "s":
            edits.append((verb.start(), verb.start(), "never ", (verb.start(), verb.start() + 5)))
    return _choose("negation-added", english, rng, edits)


_POSITIVE = {"nothing": "something", "nobody": "somebody", "noone": "someone", "none": "some"}
_KEEP_NOT = r"(?! only| just| yet| until| least)"
_NPI = re.compile(r"(?:\W+\w+){0,4}?\W+(?:any|anything|anyone|anybody|anywhere|at all|either|yet|ever)\b")


def negation_removed(source: str, english: str, rng: random.Random, pool: Sequence[str]) -> Corruption | None:
    """Drop a negation ("not", "n't", "never", "no") where the rest still reads as English ("did not
    attend": "did attend"), or make a negative pronoun positive (nothing: something, none of: some of).
    Kept: "not only/just/yet/until", "or not", and a negation that a word like "any" or "at all" soon
    after needs ("did not find any"); "no" goes only before a plural, as "no permit" would need an article."""
    edits: list[Edit] = []
    for m in _NT.finditer(english):
        if re.match(_KEEP_NOT, english[m.end():]):
            stem = m.group(1) or m.group(2)
            stem = {"wo": "will", "Wo": "Will", "ca": "can", "Ca": "Can", "sha": "shall"}.get(stem, stem)
            edits.append((m.start(), m.end(), stem))
    edits += [(m.start(), m.end(), "") for m in re.finditer(rf"(?<!\bor)(?<!\bif) not{_KEEP_NOT}(?=[ ,.;:])", english)]
    edits += [(m.start(), m.end(), "") for m in re.finditer(r" never(?= [a-z])", english)]
    edits += [(m.start(), m.start() + 3, "") for m in re.finditer(r"(?<!said)(?<!say)(?<!says) no ([a-z]+)", english)
              if _lemma(m.group(1)) != m.group(1) and m.group(1).endswith("s")]  # "no injuries", not "no permit"
    edits += [(m.start(), m.end(), _like(m.group(), _POSITIVE[m.group().lower().replace(" ", "")]))
              for m in re.finditer(r"(?<![\w'’-])(?:[Nn]othing|[Nn]obody|[Nn]o one|[Nn]one(?= of))(?![\w'’-])", english)]
    return _choose("negation-removed", english, rng, [e for e in edits if not _NPI.match(english, e[1])])


_ANTONYM_PAIRS = """increase decrease increased decreased increases decreases rise fall rose fell rising falling
more less most least first last before after win lose won lost wins loses north south east west up down
higher lower high low highest lowest large small big little early late earlier later open closed opened closed
accept reject accepted rejected allow ban allowed banned support oppose supported opposed success failure
successful unsuccessful positive negative strong weak good bad best worst better worse long short longer shorter
maximum minimum majority minority include exclude included excluded inside outside above below true false
easy difficult cheap expensive rich poor heavy light hot cold safe dangerous legal illegal possible impossible
likely unlikely agree disagree began ended import export imports exports buy sell bought sold young old
fast slow always never new old won lost""".split()
_ANTONYMS: dict[str, str] = {}
for _a, _b in zip(_ANTONYM_PAIRS[::2], _ANTONYM_PAIRS[1::2]):
    _ANTONYMS.setdefault(_a, _b)
    _ANTONYMS.setdefault(_b, _a)
_COMPASS = {"north", "south", "east", "west"}


def antonym(source: str, english: str, rng: random.Random, pool: Sequence[str]) -> Corruption | None:
    """Swap a word for its opposite; capitalised mid-sentence words are left alone (New York) except compass points."""
    return _choose("antonym", english, rng, [
        (m.start(), m.end(), _like(m.group(), _ANTONYMS[m.group().lower()])) for m in _WORD.finditer(english)
        if m.group().lower() in _ANTONYMS
        and (m.group().islower() or _initial(english, m.start()) or m.group().lower() in _COMPASS)])


_NUMBER = re.compile(r"(?<![\w.,])(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?![\w])")


def number(source: str, english: str, rng: random.Random, pool: Sequence[str]) -> Corruption | None:
    """Change one digit among the last two of a number (keeps separators and plausibility), or ×10 a small one."""
    cands = list(_NUMBER.finditer(english))
    if not cands:
        return None
    m = rng.choice(cands)
    num = m.group()
    if num.isdigit() and len(num) <= 2 and rng.random() < 0.3:
        new = num + "0"
    else:
        digits = [i for i, ch in enumerate(num) if ch.isdigit()][-2:]
        i = rng.choice(digits)
        new = num[:i] + rng.choice([d for d in ("123456789" if i == 0 else "0123456789") if d != num[i]]) + num[i + 1:]
    return _edit("number", english, m.start(), m.end(), new)


def entity_replaced(source: str, english: str, rng: random.Random, pool: Sequence[str]) -> Corruption | None:
    """Swap a name shared with the Italian for another name from the pool (absent from both sides)."""
    cands = _names(english, source)
    others = sorted({m.group() for p in pool for m in _names(p)
                     if len(m.group()) > 2 and not _in_source(m.group(), english) and not _in_source(m.group(), source)})
    return _choose("entity-replaced", english, rng, [(m.start(), m.end(), rng.choice(others)) for m in cands] if others else [])


_RUN = re.compile(r"(?<![\w'’-])[A-Z][\w'’-]*(?: [A-Z][\w'’-]*)*")
_PREP_BEFORE = re.compile(r" (?:of|in|by|from|at|with|for|to|on|near) (?:the )?$")
_DETERMINER = re.compile(r"(?:\b(?:the|a|an|our|his|her|their|its|this|that)|['’]s) $", re.IGNORECASE)


def entity_dropped(source: str, english: str, rng: random.Random, pool: Sequence[str]) -> Corruption | None:
    """Drop a name shared with the Italian with its preposition ("in Rome"), or a multi-word name not after a determiner."""
    cands = []
    for m in _RUN.finditer(english):
        if (_initial(english, m.start()) or re.match(r" \d", english[m.end():])  # "Windows Mobile 7"
                or not any(_in_source(w, source) for w in m.group().split())):
            continue
        prep = _PREP_BEFORE.search(english[:m.start()])
        if prep:
            cands.append((prep.start(), m.end(), ""))
        elif " " in m.group() and english[m.start() - 1:m.start()] == " " and not _DETERMINER.search(english[:m.start()]):
            cands.append((m.start() - 1, m.end(), ""))
    return _choose("entity-dropped", english, rng, cands)


def clause_dropped(source: str, english: str, rng: random.Random, pool: Sequence[str]) -> Corruption | None:
    """Delete a comma-delimited clause of ≥4 words: ", which …," in the middle or ", …" at the end."""
    commas = [m.start() for m in re.finditer(r", ", english)]
    stop = _content_end(english)
    cands = []
    for i, c in enumerate(commas):
        end = commas[i + 1] + 1 if i + 1 < len(commas) else stop  # middle: drop through the next comma
        if len(_WORD.findall(english[c:end])) >= 4 and len(_WORD.findall(english[:c] + english[end:])) >= 4:
            cands.append((c, end, ""))
    return _choose("clause-dropped", english, rng, cands)


_OPENERS = set("yesterday today however meanwhile but and so then now in on at after before during when while if".split())


def clause_added(source: str, english: str, rng: random.Random, pool: Sequence[str]) -> Corruption | None:
    """Append ", " + a 5–12-word clause of another document before the final punctuation."""
    clauses = []
    lower = {w for p in [english, *pool] for w in _WORD.findall(p) if w.islower()} | _STARTERS | _OPENERS
    for p in pool:
        for i, seg in enumerate(re.split(r"[,;:] ", p[:_content_end(p)])):
            words = seg.split()
            if 5 <= len(words) <= 12 and seg not in english and not re.search(r"[\"“”()\[\]]", seg):
                if i == 0 and words[0].lower() in lower:  # a sentence-initial capital, not a name
                    seg = seg[0].lower() + seg[1:]
                clauses.append(seg)
    if not clauses:
        return None
    clause = rng.choice(clauses)
    at = _content_end(english)
    return _edit("clause-added", english, at, at, ", " + clause, span=(at + 2, at + 2 + len(clause)))


def shuffled(source: str, english: str, rng: random.Random, pool: Sequence[str]) -> Corruption | None:
    """Scramble a run of 5–8 consecutive words (never the last, which carries the full stop)."""
    tokens = list(re.finditer(r"\S+", english))
    if len(tokens) < 6:
        return None
    n = rng.randint(5, min(8, len(tokens) - 1))
    i = rng.randint(0, len(tokens) - 1 - n)
    words = [t.group() for t in tokens[i:i + n]]
    for _ in range(10):
        new = rng.sample(words, len(words))
        if new != words:
            return _edit("shuffled", english, tokens[i].start(), tokens[i + n - 1].end(), " ".join(new))
    return None


def untranslated(source: str, english: str, rng: random.Random, pool: Sequence[str]) -> Corruption | None:
    """Leave the Italian in place of the English (the whole sentence)."""
    if not source.strip() or source.strip() == english.strip():
        return None
    return _edit("untranslated", english, 0, len(english), source.strip())


# ---------------------------------------------------------------- major
_TENSE = {"is": "was", "was": "is", "are": "were", "were": "are", "has": "had", "had": "has",
          "will": "would", "does": "did"}


def tense(source: str, english: str, rng: random.Random, pool: Sequence[str]) -> Corruption | None:
    """Shift one auxiliary's tense (is↔was, has↔had, will→would, auxiliary have→had …)."""
    cands = [(m.start(), m.end(), _like(m.group(), _TENSE[m.group().lower()])) for m in _WORD.finditer(english)
             if m.group().lower() in _TENSE and (m.group().islower() or _initial(english, m.start()))]
    cands += [(m.start(), m.end(), _like(m.group(), "had"))
              for m in re.finditer(r"\b[Hh]ave(?= (?:been|\w+ed|\w+en)\b)", english)]
    return _choose("tense", english, rng, cands)


_PREPS = set("in on at from with during after before near across under over into through without between among since by".split())
_CONJ = set("and or but that which who while when because".split())
_PUNCT = ".,;:!?\"”’')]"


def pp_dropped(source: str, english: str, rng: random.Random, pool: Sequence[str]) -> Corruption | None:
    """Delete a prepositional phrase of 3–5 words that ends at punctuation, a conjunction or the end."""
    tokens = list(re.finditer(r"\S+", english))
    cands = []
    for i in range(1, len(tokens)):
        if tokens[i].group() not in _PREPS:
            continue
        for j in range(i + 1, min(i + 5, len(tokens))):
            word = tokens[j].group()
            core = word.rstrip(_PUNCT)
            if word.lower() in _CONJ or word[0] in _PUNCT or not core:
                break
            if core != word or j + 1 == len(tokens) or tokens[j + 1].group().lower() in _CONJ:
                if j - i >= 2:  # preposition + at least two words
                    cands.append((tokens[i].start() - 1, tokens[j].start() + len(core), ""))
                break
    return _choose("pp-dropped", english, rng, cands)


# Vaguer words where WordNet's hypernyms read badly or are not used (events, places, illnesses, money, verbs)
_BROADER = dict(w.split(">") for w in """president>person minister>official hospital>building school>building
church>building car>thing cars>things earthquake>event hurricane>event storm>event flood>event election>event
police>people soldiers>people doctors>people scientists>people researchers>people students>people children>people
injured>affected dog>animal dogs>animals cat>animal horse>animal bird>animal birds>animals
city>place village>place country>place airport>place aircraft>vehicle plane>vehicle train>vehicle ship>vehicle
murder>crime theft>crime cancer>illness diabetes>illness gold>metal dollars>money euros>money company>organisation
government>organisation army>group team>group bought>got purchased>got arrested>stopped built>made""".split())


def question(source: str, english: str, rng: random.Random, pool: Sequence[str]) -> Corruption | None:
    """Turn the statement into a question: invert "The plan is ready." or else end it with "?"."""
    final = _FINAL.search(english)
    if not final or final.group(1) != ".":
        return None
    words = english.split(" ")
    k = next((k for k, w in enumerate(words[:4]) if w in _AUX.split()), 0)
    subject = " ".join(words[:k])
    if k and words[0].lower() in _STARTERS and not re.search(r"[,;:\"“(]|ed\b|\bsaid\b|\bsays\b", subject):
        moved = [words[0].lower()] + words[1:k]
        body = " ".join([words[k].capitalize()] + moved + words[k + 1:])
        at = _content_end(body)
        return _edit("question", english, 0, len(english), body[:at] + "?" + body[at + 1:])
    return _edit("question", english, final.start(1), final.end(1), "?")


def untranslated_word(source: str, english: str, rng: random.Random, pool: Sequence[str]) -> Corruption | None:
    """Leave one to three words in Italian: English words that render neighbouring words of the source
    (MultiWordNet's translations of their lemmas) replaced by those Italian words ("the economic crisis":
    "the crisi economica"). Names, words the two languages spell alike and Italian words that are also
    common English words (data, via) are left alone: they would not read as Italian."""
    from ..lexicon import is_content, lemmas, plain, translations

    italian = [m for m in re.finditer(r"[^\W\d_]+", source)
               if m.group().islower() and is_content(m.group(), "it") and _zipf(m.group()) < 3.0]
    words = list(_WORD.finditer(english))
    linked: dict[int, int] = {}  # English word index -> Italian word index
    for i, w in enumerate(words):
        if not (w.group().islower() or _initial(english, w.start())) or not is_content(w.group(), "en"):
            continue
        for j, m in enumerate(italian):
            if plain(m.group()) != plain(w.group()) and lemmas(w.group(), "en") & translations(m.group()):
                linked.setdefault(i, j)
    edits: list[Edit] = []
    for i in linked:
        for n in (1, 2, 3):
            run = list(range(i, i + n))
            if any(k not in linked for k in run) or any(not _gap(english, words[k], words[k + 1]) for k in run[:-1]):
                break
            its = sorted(linked[k] for k in run)
            if its != list(range(its[0], its[0] + n)) or any(not _gap(source, italian[k], italian[k + 1]) for k in its[:-1]):
                continue
            new = source[italian[its[0]].start():italian[its[-1]].end()]
            edits.append((words[i].start(), words[run[-1]].end(), _like(words[i].group(), new)))
    return _choose("untranslated-word", english, rng, edits)


_PROGRESSIVE = re.compile(r"(?<![\w'’-])(is|are|am|was|were) ([a-z]+ing)(?![\w'’-])")
_PERFECT = re.compile(r"(?<![\w'’-])(has|have|had) (been |)([a-z]+)(?![\w'’-])")


def aspect(source: str, english: str, rng: random.Random, pool: Sequence[str]) -> Corruption | None:
    """Change the aspect, not the tense's time: "has confirmed" / "had confirmed" -> "confirmed" (and
    "has been" -> "was"), "is working" -> "works", "was working" -> "worked", and the reverse after a
    pronoun or a name ("she confirmed" -> "she has confirmed", "she was confirming"). Regular verbs only,
    whose forms :func:`_inflect` can spell."""
    edits: list[Edit] = []
    for m in _PERFECT.finditer(english):
        aux, been, verb = m.groups()
        if re.search(rf"\b(?:to|{'|'.join(_MODALS)}) $", english[:m.start()]):
            continue  # "may have walked" has no past "may walked"
        if been and aux != "had":
            edits.append((m.start(), m.end(), ("was " if aux == "has" else "were ") + verb))
        elif not been and (_verb_form(verb) or ("", ""))[1] == "ed":
            edits.append((m.start(), m.end(), verb))
    for m in _PROGRESSIVE.finditer(english):
        aux, verb = m.groups()
        base, form = _verb_form(verb) or ("", "")
        if form != "ing" or (english[m.end():m.end() + 3] == " to" and base == "go"):
            continue
        new = _inflect(base, "ed") if aux in ("was", "were") else _inflect(base, "s") if aux == "is" else base
        if new:
            edits.append((m.start(), m.end(), new))
    for verb, (base, form), (has, is_, was) in _subject_verbs(english):
        ing = _inflect(base, "ing")
        if form == "ed":  # a regular past is its participle too
            edits += [(verb.start(), verb.end(), f"{has} {verb.group()}"), (verb.start(), verb.end(), f"had {verb.group()}")]
        if ing:
            edits.append((verb.start(), verb.end(), f"{is_ if form == 's' else was} {ing}"))
    return _choose("aspect", english, rng, edits)


_DETERMINERS = set("the this that these those its his her their our my your".split())
_DEGREE = set("very so too more most less least quite rather how as fairly extremely".split())


_PAIRED = re.compile(r"\b(?:either|neither|both|between|whether)\b[^,;:]*$")  # "between A and B" needs its B


def noun_dropped(source: str, english: str, rng: random.Random, pool: Sequence[str]) -> Corruption | None:
    """Drop a noun where English stays grammatical: the first noun of a compound after a determiner
    ("the health minister": "the minister"), or the second of two coordinated noun phrases before
    punctuation, with its article and adjectives ("arrested the leader and his two deputies.")."""
    from ..lexicon import is_content

    words = list(_WORD.finditer(english))
    edits: list[Edit] = []
    for prev, w, nxt in zip(words, words[1:], words[2:]):
        if (prev.group().lower() in _DETERMINERS and _gap(english, prev, w) and _gap(english, w, nxt)
                and is_content(nxt.group(), "en") and _noun(w.group(), source) and _noun(nxt.group(), source)):
            edits.append((w.start(), nxt.start(), ""))
    for i, conj in enumerate(words):
        if (conj.group() not in ("and", "or") or i == 0 or not _noun(words[i - 1].group(), source)
                or not _gap(english, words[i - 1], conj) or _PAIRED.search(english, 0, conj.start())
                or re.search(r", (?:\S+ ){0,3}$", english[:words[i - 1].start()])):  # "A, B and C" keeps its "and"
            continue
        for j in range(i + 1, min(i + 5, len(words))):  # the second conjunct: up to four words, a noun last
            word = words[j].group()
            if (not _gap(english, words[j - 1], words[j]) or not word.islower()
                    or not (is_content(word, "en") or word in _DETERMINERS | {"a", "an"})):
                break
            after = english[words[j].end():words[j].end() + 1]
            if after in ("", ",", ".", ";", ":") and _noun(word, source):
                edits.append((words[i - 1].end(), words[j].end(), ""))
                break
    return _choose("noun-dropped", english, rng, edits)


def verb_dropped(source: str, english: str, rng: random.Random, pool: Sequence[str]) -> Corruption | None:
    """Drop a verb where a machine translation plausibly loses one: the first of two coordinated
    participles ("was arrested and charged": "was charged"), a passive participle before a preposition
    ("was arrested in Rome": "was in Rome"), a perfect's participle or a verb in -ing before its object ("has
    signed a deal", "is building a bridge", "for making a comment"), or an infinitive with its "to"
    ("decided to close the school": "decided the school"). A main verb alone ("He said that": "He that") is
    never dropped."""
    words = list(_WORD.finditer(english))
    objects = _DETERMINERS | {"a", "an"}
    edits: list[Edit] = []

    def form(w: re.Match[str]) -> str:
        return (_verb_form(w.group()) or ("", ""))[1]

    for a, b, c in zip(words, words[1:], words[2:]):
        if not (_gap(english, a, b) and _gap(english, b, c)):
            continue
        if b.group() == "and" and form(a) == "ed" and form(c) == "ed":
            edits.append((a.start(), c.start(), ""))
        if a.group() in ("is", "are", "was", "were", "been", "be") and form(b) == "ed" and c.group() in _PREPS - {"by"}:
            edits.append((b.start() - 1, b.end(), ""))
        if a.group() in ("has", "have", "had") and form(b) == "ed" and c.group().lower() in objects:
            edits.append((b.start() - 1, b.end(), ""))  # "has signed a deal": "has a deal"
        if (a.group() in _PREPS | {"is", "are", "was", "were", "for", "of"} and form(b) == "ing"
                and c.group().lower() in objects and "n" not in _pos(b.group(), source)):
            edits.append((b.start() - 1, b.end(), ""))
    for verb, to, inf, nxt in zip(words, words[1:], words[2:], words[3:]):
        if (to.group() == "to" and _gap(english, verb, to) and _gap(english, to, inf) and _gap(english, inf, nxt)
                and _verb_form(verb.group()) and inf.group().islower() and _lemma(inf.group()) == inf.group()
                and _pos(inf.group(), source) == "v" and nxt.group().lower() in objects):
            edits.append((to.start() - 1, inf.end(), ""))
    return _choose("verb-dropped", english, rng, edits)


_OPENING = set("the a an this these those his her its their our".split())


def subject_dropped(source: str, english: str, rng: random.Random, pool: Sequence[str]) -> Corruption | None:
    """Drop the subject of a clause, as a translation of pro-drop Italian might: "The new minister said" /
    "He said" -> "Said", "because he felt" -> "because felt", "and it was" -> "and was". At the start only
    before a main verb in the past or the third person that is no noun ("Is" would read as a question,
    "shares" as the subject); inside the sentence only a pronoun before a verb."""
    words = list(_WORD.finditer(english))
    edits: list[Edit] = []

    def finite(verb: re.Match[str]) -> bool:
        form = (_finite(verb.group()) or ("", ""))[1]
        return form in ("ed", "past") or (form == "s" and "n" not in _pos(verb.group(), source))

    if len(words) > 1 and words[0].start() == 0 and words[0].group() in ("He", "She", "They", "We", "It"):
        if _gap(english, words[0], words[1]) and finite(words[1]):
            edits.append((0, words[1].end(), words[1].group().capitalize()))
    elif words and words[0].start() == 0 and words[0].group().lower() in _OPENING:
        for h in range(1, min(4, len(words) - 1)):  # "The [adjective or noun]{0,2} head verb"
            head, verb = words[h], words[h + 1]
            if not all(_gap(english, a, b) and b.group().islower() for a, b in zip(words[:h + 1], words[1:h + 2])):
                break
            if _noun(head.group(), source) and finite(verb):
                edits.append((0, verb.end(), verb.group().capitalize()))
                break
    for pronoun, verb in zip(words[1:], words[2:]):
        if (pronoun.group().lower() in _PRONOUNS and english[pronoun.start() - 1] == " " and _gap(english, pronoun, verb)
                and (finite(verb) or verb.group() in _AUX.split())):
            edits.append((pronoun.start(), verb.start(), "", (pronoun.start(), pronoun.start())))
    return _choose("subject-dropped", english, rng, edits)


def _months() -> frozenset[str]:
    """English month names from Babel's CLDR data: "almost 5 March" is no English."""
    from babel.dates import get_month_names

    return frozenset(get_month_names("wide", locale="en").values())


# Hand-written: no installed library pairs English words by gender (WordNet does not mark it).
_GENDER_PAIRS = """he she him her his her himself herself man woman men women mr ms mrs mr king queen kings queens
boy girl boys girls father mother fathers mothers son daughter sons daughters brother sister brothers sisters
husband wife husbands wives prince princess uncle aunt nephew niece grandfather grandmother grandson granddaughter
actor actress gentleman lady gentlemen ladies widower widow businessman businesswoman chairman chairwoman
spokesman spokeswoman""".split()
_GENDER: dict[str, str] = {}
for _a, _b in zip(_GENDER_PAIRS[::2], _GENDER_PAIRS[1::2]):
    _GENDER.setdefault(_a, _b)
    _GENDER.setdefault(_b, _a)
_FEMININE = set(_GENDER_PAIRS[1::2]) - {"mr"} | {"mrs"}
_IT_BOTH = (re.compile(r"\b(?:lui|egli|signor|signore|uomo|uomini)\b", re.IGNORECASE),
            re.compile(r"\b(?:lei|ella|signora|donna|donne)\b", re.IGNORECASE))


def gender(source: str, english: str, rng: random.Random, pool: Sequence[str]) -> Corruption | None:
    """Swap one gendered word for its counterpart (he/she, his/her, Mr/Ms, king/queen …): "her" becomes
    "his" before a word and "him" elsewhere, "his" standing alone "hers". Sentences that speak of both a man
    and a woman (on either side) are left alone: there a swap may just point at the other person."""
    found = [m for m in _WORD.finditer(english) if m.group().lower() in _GENDER
             and (m.group().islower() or _initial(english, m.start()) or m.group() in ("Mr", "Ms", "Mrs"))]
    genders = {m.group().lower() in _FEMININE for m in found}
    if len(genders) != 1 or all(p.search(source) for p in _IT_BOTH):
        return None
    edits: list[Edit] = []
    for m in found:
        word = m.group().lower()
        new = _GENDER[word]
        following = english[m.end():m.end() + 2]
        if word == "her":
            nxt = _WORD.match(english, m.end() + 1) if following[:1] == " " else None
            new = "his" if nxt and nxt.group().lower() not in _CONJ | _PREPS | {"to", "of", "for"} else "him"
        elif word == "his" and following[:1] != " ":
            new = "hers"
        edits.append((m.start(), m.end(), _like(m.group(), new)))
    return _choose("gender", english, rng, edits)


_YEAR = re.compile(r"1[89]\d\d|20\d\d")
_APPROXIMATORS = set("about around nearly almost only just some over under than least up roughly approximately more "
                     "fewer less the a an each per every no".split())


# WordNet synsets of roles a person can hold and lose, so be "former" in (leader, worker, professional, advocate,
# communicator, associate: not a sister or a victim), and of what can be "new" (artifact; idea, thought)
_ROLES = frozenset("n#06950891 n#06957738 n#07504007 n#07065692 n#06942405 n#07087841".split())
_NEW_THINGS = frozenset(("n#00011937", "n#04492484"))
_PERSON = "n#00004123"
_BROADENED = frozenset((_PERSON, "n#00011937"))  # broader-word: people and artifacts, whose hypernyms read naturally


def _under(synset: str, roots: frozenset[str], depth: int = 12) -> bool:
    """Whether WordNet files the sense under one of ``roots`` (its hypernyms, transitively)."""
    return synset in roots or depth > 0 and any(_under(h, roots, depth - 1) for h in wordnet().hypernyms(synset))


def words_added(source: str, english: str, rng: random.Random, pool: Sequence[str]) -> Corruption | None:
    """Insert a word that changes the claim where English allows it: "reportedly"/"allegedly" (or
    "partly" in a passive with its agent) between an auxiliary and a participle, "only"/"almost" before a
    number (not a year, a date or an approximated one), "former" before a role and "new" before a thing,
    each a head noun after a determiner ("the minister": "the former minister"; the noun's sense is the one
    it shares with the source)."""
    edits: list[Edit] = []

    def insert(at: int, word: str) -> None:
        edits.append((at, at, word + " ", (at, at + len(word))))

    words = list(_WORD.finditer(english))
    for aux, verb in zip(words, words[1:]):
        if aux.group() in ("is", "are", "was", "were", "has", "have", "had", "been") and _gap(english, aux, verb):
            if (_verb_form(verb.group()) or ("", ""))[1] == "ed":
                if aux.group() != "been":  # "has reportedly been", not "has been reportedly"
                    insert(verb.start(), rng.choice(("reportedly", "allegedly")))
                if aux.group() in ("was", "were", "been") and re.match(r" (?:by|with)\b", english[verb.end():]):
                    insert(verb.start(), "partly")  # "was partly funded by", not "was partly arrested"
    for m in _NUMBER.finditer(english):
        before = english[:m.start()].split()
        after = _WORD.match(english, m.end() + 1)
        if (english[m.start() - 1:m.start()] == " " and not _YEAR.fullmatch(m.group()) and before
                and before[-1].lower() not in _APPROXIMATORS and before[-1][:1].islower()
                and not (after and after.group() in _months()) and not re.match(r"[.,]\d|[:/]", english[m.end():])):
            insert(m.start(), rng.choice(("only", "almost")))
    for det, noun in zip(words, words[1:]):
        if (det.group().lower() in _DETERMINERS and _gap(english, det, noun) and _noun(noun.group(), source)
                and _head(english, noun, source)):
            senses = [s for s in _en_synsets(noun.group().lower()) & _source_synsets(source) if s[0] == "n"]
            if senses and all(_under(s, _ROLES) for s in senses):
                insert(noun.start(), "former")
            elif senses and all(_under(s, _NEW_THINGS) for s in senses):
                insert(noun.start(), "new")
    return _choose("words-added", english, rng, edits)


def broader_word(source: str, english: str, rng: random.Random, pool: Sequence[str]) -> Corruption | None:
    """Replace a noun by a much vaguer one: the nearest common WordNet hypernym of the sense it shares with
    the Italian, for people and artifacts (chairman: leader, hospital: building), else a word of a short
    table (injured: affected, police: people). Not a title before a name ("Senator Obama")."""
    edits: list[Edit] = []
    for m in _WORD.finditer(english):
        word = m.group()
        if (not (word.islower() or _initial(english, m.start())) or re.match(r" [A-Z]", english[m.end():])
                or not _head(english, m, source) or _numeral(word)):
            continue
        broader = _hypernym(word.lower(), source) or _BROADER.get(word.lower())
        article = re.search(r"(?<![\w'’-])(an?) $", english[:m.start()])
        if broader and not (article and (article.group(1) == "an") != (broader[0] in "aeiou")):
            edits.append((m.start(), m.end(), _like(word, broader)))
    return _choose("broader-word", english, rng, edits)


@lru_cache(maxsize=20_000)
def _depth(synset: str, below: frozenset[str] = frozenset()) -> int:
    """Steps from the top of WordNet's noun hierarchy (entity 0, object 1, artifact 2, structure 3 …). ``below``: the
    synsets on the path up to this one, so that a cycle in the data (MultiWordNet is not checked for them) ends the
    climb instead of recursing forever; on an acyclic hierarchy no parent is ever among them."""
    parents = [p for p in wordnet().hypernyms(synset) if p not in below]
    return 1 + min(_depth(p, below | {synset}) for p in parents) if parents else 0


def _hypernym(word: str, source: str) -> str | None:
    """The first common one-word hypernym, within three steps, of the noun senses ``word`` shares with the
    source, when those are people or artifacts, in the word's number (hospitals: buildings). None when the
    senses disagree, none is shared, or only the top of the hierarchy is that vague (whole, object)."""
    senses = [s for s in _en_synsets(word) & _source_synsets(source) if s[0] == "n"]
    if not senses or _pos(word, source) != "n" or not all(_under(s, _BROADENED) for s in senses):
        return None
    found = set()
    for sense in senses:
        level, hyper = [sense], None
        for _ in range(3):
            level = [h for s in level for h in wordnet().hypernyms(s)]
            names = [w for s in level if s == _PERSON or _depth(s) >= 3
                     for w in wordnet().words(s)[:1] if w.isalpha() and w != word and _zipf(w) >= 4.0]
            if names:
                hyper = names[0]
                break
        found.add(hyper)
    if len(found) != 1:
        return None
    hyper = found.pop()
    if hyper is None:
        return None
    if _lemma(word) == word:
        return hyper
    plural = [c for c in (hyper + "s", hyper + "es", hyper[:-1] + "ies") if _lemma(c) == hyper and _zipf(c) >= 3.0]
    return max(plural, key=_zipf) if plural else None


_ADJ_AFTER_BLOCK = _DEGREE | _CONJ | set("is are was were be been being".split())


def modifier_dropped(source: str, english: str, rng: random.Random, pool: Sequence[str]) -> Corruption | None:
    """Drop an adjective before a noun ("the new law": "the law"; not after a degree word, nor where "a"/
    "an" would no longer agree, nor a singular noun's only word before it: "next year") or an adverb in -ly
    inside the sentence ("rose sharply": "rose")."""
    from ..lexicon import is_content

    words = list(_WORD.finditer(english))
    edits: list[Edit] = []
    for i, (w, nxt) in enumerate(zip(words, words[1:])):
        prev = words[i - 1].group().lower() if i else ""
        if not w.group().islower() or not _gap(english, w, nxt) or prev in _ADJ_AFTER_BLOCK:
            continue
        if _pos(w.group(), source) == "a" and _noun(nxt.group(), source) and is_content(w.group(), "en"):
            if prev in ("a", "an") and (w.group()[0] in "aeiou") != (nxt.group()[0] in "aeiou"):
                continue
            if _lemma(nxt.group()) == nxt.group() and prev not in _DETERMINERS | {"a", "an"}:
                continue  # "next year" -> "year": a singular noun may need what was dropped
            edits.append((w.start(), nxt.start(), ""))
    for i, w in enumerate(words):
        if (i and w.group().endswith("ly") and w.group().islower() and _pos(w.group(), source) == "r"
                and words[i - 1].group().lower() not in _DEGREE | _CONJ and english[w.start() - 1:w.start()] == " "
                and not (english[w.start() - 2:w.start()] == ", " and english[w.end():w.end() + 1] == ",")
                and not re.match(r" (?:as|than)\b", english[w.end():])):
            edits.append((w.start() - 1, w.end(), ""))
    return _choose("modifier-dropped", english, rng, edits)


def repeated_word(source: str, english: str, rng: random.Random, pool: Sequence[str]) -> Corruption | None:
    """Duplicate one word ("the the"); the span is the second copy."""
    return _choose("repeated-word", english, rng, [
        (m.end(), m.end(), " " + m.group(), (m.end() + 1, m.end() + 1 + len(m.group())))
        for m in _WORD.finditer(english) if english[m.end():m.end() + 1] == " "])


_PREP_SWAP = ("in", "on", "at", "to", "for", "of", "with", "from")


def function_word(source: str, english: str, rng: random.Random, pool: Sequence[str]) -> Corruption | None:
    """Swap an article (the/a/an) or a preposition for another of its class; never and↔or, which changes meaning."""
    cands = [m for m in _WORD.finditer(english) if m.group().lower() in _PREP_SWAP + ("the", "a", "an")
             and (m.group().islower() or _initial(english, m.start())) and english[m.end():m.end() + 1] != "."]
    if not cands:
        return None
    m = rng.choice(cands)
    word = m.group().lower()
    if word == "the":
        new = "an" if re.match(r"\s*[aeiouAEIOU]", english[m.end():]) else "a"
    elif word in ("a", "an"):
        new = "the"
    else:
        new = rng.choice([p for p in _PREP_SWAP if p != word])
    return _edit("function-word", english, m.start(), m.end(), _like(m.group(), new))


def misspelling(source: str, english: str, rng: random.Random, pool: Sequence[str]) -> Corruption | None:
    """Swap two adjacent inner letters or double an inner consonant of a lowercase word of ≥5 letters."""
    cands = []
    for m in _LOWER5.finditer(english):
        w = m.group()
        cands += [(m.start(), m.end(), w[:i] + w[i + 1] + w[i] + w[i + 2:]) for i in range(1, len(w) - 2) if w[i] != w[i + 1]]
        cands += [(m.start(), m.end(), w[:i] + w[i] + w[i:]) for i in range(1, len(w) - 1)
                  if w[i] not in "aeiouy" and w[i] not in (w[i - 1], w[i + 1])]
    return _choose("misspelling", english, rng, cands)


def char_dropped(source: str, english: str, rng: random.Random, pool: Sequence[str]) -> Corruption | None:
    """Drop one inner letter of a lowercase word of ≥5 letters."""
    return _choose("char-dropped", english, rng, [
        (m.start(), m.end(), m.group()[:i] + m.group()[i + 1:])
        for m in _LOWER5.finditer(english) for i in range(1, len(m.group()) - 1)])


def final_punct_dropped(source: str, english: str, rng: random.Random, pool: Sequence[str]) -> Corruption | None:
    """Remove the final . ! or ? (before any closing quote)."""
    m = _FINAL.search(english)
    return _edit("final-punct-dropped", english, m.start(1), m.end(1), "") if m else None


def casing(source: str, english: str, rng: random.Random, pool: Sequence[str]) -> Corruption | None:
    """Lowercase a mid-sentence name, or capitalise a mid-sentence common word."""
    names = _names(english)
    common = [m for m in _WORD.finditer(english) if m.group().islower() and len(m.group()) >= 4
              and not _initial(english, m.start())]
    if not names and not common:
        return None
    m = rng.choice(names if names and (not common or rng.random() < 0.5) else common)
    new = m.group().lower() if m.group()[0].isupper() else m.group().capitalize()
    return _edit("casing", english, m.start(), m.end(), new)


def spacing(source: str, english: str, rng: random.Random, pool: Sequence[str]) -> Corruption | None:
    """Glue a word to the comma or inner full stop before it, or put a space before a comma."""
    stop = _content_end(english)
    cands = [(m.start() + 1, m.start() + 2, "", (m.start() - 1, m.start() + 2))  # "a, b" -> "a,b"
             for m in re.finditer(r"(?<=\w), (?=\w)|(?<=[a-z])\. (?=[A-Z])", english) if m.start() < stop]
    cands += [(m.start(), m.start(), " ", (m.start(), m.start() + 2))  # "a, b" -> "a , b"
              for m in re.finditer(r"(?<=\w),(?= )", english)]
    return _choose("spacing", english, rng, cands)


# ---------------------------------------------------------------- what machine translation garbles (fluency)
# The kinds above that break fluency are synthetic (a shuffled run, a doubled word, a swapped letter). These are the
# garbles a machine translation of Italian news really leaves (the demo's «albeit on anonymity», «deals let, but to
# provide», «armies too to evict»): a function word that dangles, two function words in a row, an Italian
# construction rendered word for word, a phrase left in Italian word order. Each breaks the sentence's grammar, so
# that a reader must rebuild it (major), except an adverb between a verb and its object, which reads as non-native
# but clear (minor, as gold.json rates non-native word order).
_DANGLING = ("of", "to", "the", "with", "for", "by", "a")
_FUNCTION = set(_PREP_SWAP) | {"the", "a", "an", "by"}


def dangling_word(source: str, english: str, rng: random.Random, pool: Sequence[str]) -> Corruption | None:
    """A function word left where nothing can follow it: after a noun at a clause's end ("the talks of, but",
    "the minister the.") or between a subject and its verb ("she the confirmed", "Rossi to said")."""
    words = list(_WORD.finditer(english))
    stop = _content_end(english)
    edits: list[Edit] = []
    for prev, w in zip([None, *words], words):
        after = english[w.end():w.end() + 1]
        if (w.group().islower() and _noun(w.group(), source) and (after in (",", ";") or w.end() == stop)
                and (prev is None or prev.group().lower() not in _FUNCTION)):
            new = rng.choice(_DANGLING)
            edits.append((w.end(), w.end(), " " + new, (w.end() + 1, w.end() + 1 + len(new))))
    for verb, _, _ in _subject_verbs(english):
        new = rng.choice(("the", "to", "of", "a"))
        edits.append((verb.start(), verb.start(), new + " ", (verb.start(), verb.start() + len(new))))
    return _choose("dangling-word", english, rng, edits)


# Two function words that English does run together ("fit in with", "on to", "rose to at least"): never made.
_VALID_PAIRS = {("on", "to"), ("in", "to"), ("in", "with"), ("on", "with"), ("in", "on"), ("in", "at"), ("in", "for"),
                ("from", "in"), ("from", "on"), ("from", "at"), ("to", "at"), ("for", "at"), ("from", "with")}


def function_word_pair(source: str, english: str, rng: random.Random, pool: Sequence[str]) -> Corruption | None:
    """Another function word put before a preposition or an article, as a translation that rendered both
    the Italian article and preposition may leave ("of to the", "the a new law", "armies too to evict"); never
    the same word twice (repeated-word) nor a pair English uses; the span is both words."""
    edits: list[Edit] = []
    words = list(_WORD.finditer(english))
    for prev, w in zip(words, words[1:]):
        word = w.group()
        if (not word.islower() or word not in _FUNCTION or word == "at" or not _gap(english, prev, w)
                or prev.group().lower() in _FUNCTION):
            continue
        if word in ("the", "a", "an"):
            options = ["a"] if word == "the" else ["the"]
        else:
            options = [p for p in ("of", "to", "the", "for", "with", "from", "by") if p != word and (p, word) not in _VALID_PAIRS]
        new = rng.choice(options)
        edits.append((w.start(), w.start(), new + " ", (w.start(), w.end() + len(new) + 1)))
    return _choose("function-word-pair", english, rng, edits)


_BASES = {"bigger": "big", "larger": "large", "smaller": "small", "higher": "high", "lower": "low", "older": "old",
          "younger": "young", "stronger": "strong", "weaker": "weak", "longer": "long", "shorter": "short",
          "greater": "great", "faster": "fast", "slower": "slow", "richer": "rich", "poorer": "poor", "cheaper": "cheap",
          "harder": "hard", "easier": "easy", "safer": "safe", "closer": "close", "wider": "wide", "deeper": "deep",
          "heavier": "heavy", "newer": "new", "better": "good", "worse": "bad"}
_ESSERE = {"has": "is", "have": "are", "had": "was"}
_HAVE = {"is": "has", "are": "have", "was": "had", "were": "had"}
_MAKE = {"ask": "make", "asks": "makes", "asked": "made", "asking": "making",
         "take": "make", "takes": "makes", "took": "made", "taken": "made", "taking": "making"}
_QUANTITY = r"(?:\d+|a few|several|many|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty)"


def _calque_essere(m: re.Match[str]) -> str:
    return f"{_ESSERE[m.group(1)]} {m.group(2)}"


# Italian constructions word for word, where the English has its own idiom: (pattern, replacement); a pattern
# must match lower-case English (a capital at the start of a sentence is left alone).
_CALQUES: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], str]], ...] = (
    # essere as the auxiliary of a verb of motion or change, and of "stato": "è arrivato", "è stato arrestato"
    (re.compile(r"(?<![\w'’-])(has|have|had) (arrived|died|returned|remained|stayed|happened|occurred|been)(?![\w'’-])"),
     _calque_essere),
    # age with avere: "ha 20 anni"
    (re.compile(rf"(?<![\w'’-])(is|are|was|were) ({_QUANTITY}) years? old(?![\w'’-])"),
     lambda m: f"{_HAVE[m.group(1)]} {m.group(2)} years"),
    # duration with da: "da tre anni"
    (re.compile(rf"(?<![\w'’-])for ({_QUANTITY}) (years|months|weeks|days|decades|hours)(?![\w'’-])"),
     lambda m: f"since {m.group(1)} {m.group(2)}"),
    # decades: "negli anni Novanta", "gli anni 2000"
    (re.compile(r"(?<![\w'’-])the (19|20)(\d)0s(?![\w'’-])"),
     lambda m: f"the years {m.group(2)}0" if m.group(1) == "19" else f"the years 20{m.group(2)}0"),
    # comparatives with più: "più grande di"
    (re.compile(rf"(?<![\w'’-])({'|'.join(_BASES)}) than(?![\w'’-])"),
     lambda m: f"more {_BASES[m.group(1)]} than"),
    # fare: "fare una domanda", "fare una foto", "fare una passeggiata"
    (re.compile(r"(?<![\w'’-])(ask|asks|asked|asking) (a|the|any|some|several|many|two|three) questions?(?![\w'’-])"),
     lambda m: _MAKE[m.group(1)] + m.group()[len(m.group(1)):]),
    (re.compile(r"(?<![\w'’-])(take|takes|took|taken|taking) (a|the|some) (photos?|pictures?|photographs?|walk|shower|break)(?![\w'’-])"),
     lambda m: _MAKE[m.group(1)] + m.group()[len(m.group(1)):]),
    # avere paura, avere ragione
    (re.compile(r"(?<![\w'’-])(is|are|was|were) afraid(?![\w'’-])"), lambda m: f"{_HAVE[m.group(1)]} fear"),
    (re.compile(r"(?<![\w'’-])(is|are|was|were) right(?= (?:to|that|about)\b|[.,;])"), lambda m: f"{_HAVE[m.group(1)]} reason"),
    # prepositions: "dipende da", "sposato con", "in televisione", "alla radio"
    (re.compile(r"(?<![\w'’-])(depend|depends|depended|depending) on(?![\w'’-])"), lambda m: f"{m.group(1)} from"),
    (re.compile(r"(?<![\w'’-])married to(?![\w'’-])"), lambda m: "married with"),
    (re.compile(r"(?<![\w'’-])on (television|TV)(?![\w'’-])"), lambda m: f"in {m.group(1)}"),
    (re.compile(r"(?<![\w'’-])on the radio(?![\w'’-])"), lambda m: "at the radio"),
    (re.compile(r"(?<![\w'’-])(responsible) for(?![\w'’-])"), lambda m: f"{m.group(1)} of"),
    (re.compile(r"(?<![\w'’-])(interested) in(?![\w'’-])"), lambda m: f"{m.group(1)} to"),
    # the article of "nel 2010"
    (re.compile(r"(?<![\w'’-])in (1[89]\d\d|20\d\d)(?![\w'’-])"), lambda m: f"in the {m.group(1)}"),
    # avere luogo, avere senso, fare attenzione
    (re.compile(r"(?<![\w'’-])(take|takes|took|taken|taking) place(?![\w'’-])"),
     lambda m: {"take": "have", "takes": "has", "took": "had", "taken": "had", "taking": "having"}[m.group(1)] + " place"),
    (re.compile(r"(?<![\w'’-])(make|makes|made|making) sense(?![\w'’-])"),
     lambda m: {"make": "have", "makes": "has", "made": "had", "making": "having"}[m.group(1)] + " sense"),
    (re.compile(r"(?<![\w'’-])(pay|pays|paid|paying) attention(?![\w'’-])"),
     lambda m: {"pay": "make", "pays": "makes", "paid": "made", "paying": "making"}[m.group(1)] + " attention"),
    # a preposition that the Italian verb takes before its object: "entrare in", "rispondere a", "discutere di"
    (re.compile(r"(?<![\w'’-])(enter|enters|entered|entering) (?=(?:the|a|an) )"), lambda m: f"{m.group(1)} in "),
    (re.compile(r"(?<![\w'’-])(answer|answers|answered|answering) (?=(?:the|a|an) )"), lambda m: f"{m.group(1)} to "),
    (re.compile(r"(?<![\w'’-])(discuss|discusses|discussed|discussing) (?=(?:the|a|an) )"), lambda m: f"{m.group(1)} of "),
    (re.compile(r"(?<![\w'’-])(remember|remembers|remembered|remembering) (?=the )"), lambda m: f"{m.group(1)} of "),
)


def calque(source: str, english: str, rng: random.Random, pool: Sequence[str]) -> Corruption | None:
    """An Italian construction rendered word for word where the English has its own idiom: "has arrived" ->
    "is arrived", "has been arrested" -> "is been arrested", "is 20 years old" -> "has 20 years", "for three
    years" -> "since three years", "the 1990s" -> "the years 90", "bigger than" -> "more big than", "asked a
    question" -> "made a question", "is afraid" -> "has fear", "depends on" -> "depends from" (a short table)."""
    edits: list[Edit] = []
    for pattern, replace in _CALQUES:
        for m in pattern.finditer(english):
            if pattern is _CALQUES[0][0] and re.search(rf"(?<![\w'’-])(?:to|{'|'.join(_MODALS)}|I) $", english[:m.start()]):
                continue  # "may have arrived", "I have arrived": no "may are", "I are"
            edits.append((m.start(), m.end(), replace(m)))
    return _choose("calque", english, rng, edits)


_OBJECTS = ("him", "them", "us", "me", "it")


def word_order(source: str, english: str, rng: random.Random, pool: Sequence[str]) -> Corruption | None:
    """A phrase left in Italian word order: an adjective after its noun ("the new law" -> "the law new"),
    or an object pronoun before its verb, as Italian places a clitic ("she told them that" -> "she them told
    that", "has told them" -> "them has told"); "it" only where nothing it could be the subject of follows."""
    words = list(_WORD.finditer(english))
    edits: list[Edit] = []
    for i, (w, noun) in enumerate(zip(words, words[1:])):
        prev = words[i - 1].group().lower() if i else ""
        if (w.group().islower() and _gap(english, w, noun) and prev not in _ADJ_AFTER_BLOCK and _pos(w.group(), source) == "a"
                and _noun(noun.group(), source) and _head(english, noun, source)
                and not (prev in ("a", "an") and (w.group()[0] in "aeiou") != (noun.group()[0] in "aeiou"))):
            edits.append((w.start(), noun.end(), f"{noun.group()} {w.group()}"))

    def object_after(verb: re.Match[str]) -> re.Match[str] | None:
        obj = _WORD.match(english, verb.end() + 1) if english[verb.end():verb.end() + 1] == " " else None
        if obj is None or obj.group() not in _OBJECTS:
            return None
        if obj.group() == "it" and not re.match(r"[.,;:]| (?:to|in|on|at|for|with|from|by)\b", english[obj.end():]):
            return None
        return obj

    for verb, _, _ in _subject_verbs(english):
        obj = object_after(verb)
        if obj:
            edits.append((verb.start(), obj.end(), f"{obj.group()} {verb.group()}"))
    for aux, verb in zip(words, words[1:]):
        if aux.group() in ("has", "have", "had") and _gap(english, aux, verb) and _lemma(verb.group()) != verb.group() \
                and "v" in _pos(_lemma(verb.group())):
            obj = object_after(verb)
            if obj:
                edits.append((aux.start(), obj.end(), f"{obj.group()} {aux.group()} {verb.group()}"))
    return _choose("word-order", english, rng, edits)


_ADVERBS = set("""also always often never already usually rarely sometimes frequently recently previously finally
immediately quickly strongly clearly repeatedly officially publicly firmly formally""".split())


def adverb_order(source: str, english: str, rng: random.Random, pool: Sequence[str]) -> Corruption | None:
    """An adverb moved between a verb and its object, where Italian puts it ("he also said that" -> "he said
    also that", "has strongly criticised the plan" -> "has criticised strongly the plan"): the verb must be one
    (a finite form, or any form after an auxiliary) and be followed by its object (a determiner, "that" or an
    object pronoun), not by a preposition, after which English allows the adverb."""
    words = list(_WORD.finditer(english))
    edits: list[Edit] = []
    for prev, adverb, verb, obj in zip(words, words[1:], words[2:], words[3:]):
        before = prev.group().lower()
        if not (adverb.group() in _ADVERBS and _gap(english, prev, adverb) and _gap(english, adverb, verb)
                and _gap(english, verb, obj) and verb.group().islower()
                and (obj.group().lower() in _DETERMINERS | {"a", "an", "that"} or obj.group() in _OBJECTS
                     or (obj.group()[:1].isupper() and not _initial(english, obj.start())) or _noun(obj.group(), source))):
            continue
        after_aux = before in _AUX.split() and _lemma(verb.group()) != verb.group() and "v" in _pos(_lemma(verb.group()))
        if after_aux or (before not in _FUNCTION | _CONJ and _finite(verb.group())):
            edits.append((adverb.start(), verb.end(), f"{verb.group()} {adverb.group()}"))
    return _choose("adverb-order", english, rng, edits)


CORRUPTIONS: dict[str, tuple[str, str, Corrupter]] = {
    "negation-added": ("accuracy/mistranslation", "critical", negation_added),
    "negation-removed": ("accuracy/mistranslation", "critical", negation_removed),
    "antonym": ("accuracy/mistranslation", "critical", antonym),
    "number": ("accuracy/mistranslation", "critical", number),
    "entity-replaced": ("accuracy/mistranslation", "critical", entity_replaced),
    "entity-dropped": ("accuracy/omission", "critical", entity_dropped),
    "clause-dropped": ("accuracy/omission", "critical", clause_dropped),
    "clause-added": ("accuracy/addition", "critical", clause_added),
    "shuffled": ("fluency/grammar", "critical", shuffled),
    "untranslated": ("accuracy/untranslated", "critical", untranslated),
    "tense": ("accuracy/mistranslation", "major", tense),
    "pp-dropped": ("accuracy/omission", "major", pp_dropped),
    "broader-word": ("accuracy/mistranslation", "major", broader_word),
    "question": ("accuracy/mistranslation", "major", question),
    "untranslated-word": ("accuracy/untranslated", "major", untranslated_word),
    "aspect": ("accuracy/mistranslation", "major", aspect),
    "gender": ("accuracy/mistranslation", "major", gender),
    "words-added": ("accuracy/addition", "major", words_added),
    "noun-dropped": ("accuracy/omission", "major", noun_dropped),
    "verb-dropped": ("accuracy/omission", "major", verb_dropped),
    "subject-dropped": ("accuracy/omission", "major", subject_dropped),
    "repeated-word": ("fluency/grammar", "minor", repeated_word),
    "function-word": ("fluency/grammar", "minor", function_word),
    "misspelling": ("fluency/spelling", "minor", misspelling),
    "char-dropped": ("fluency/spelling", "minor", char_dropped),
    "final-punct-dropped": ("fluency/punctuation", "minor", final_punct_dropped),
    "casing": ("fluency/spelling", "minor", casing),
    "modifier-dropped": ("accuracy/omission", "minor", modifier_dropped),
    "spacing": ("fluency/punctuation", "minor", spacing),
    "dangling-word": ("fluency/grammar", "major", dangling_word),
    "function-word-pair": ("fluency/grammar", "major", function_word_pair),
    "calque": ("fluency/grammar", "major", calque),
    "word-order": ("fluency/grammar", "major", word_order),
    "adverb-order": ("fluency/grammar", "minor", adverb_order),
}


# ---------------------------------------------------------------- suite
def _lines(path: Path) -> list[str]:
    return path.read_text("utf-8").splitlines()


def load_pairs(data: Path, corpora: Sequence[str] = ("FLORES", "NTREX", "WMT09")) -> list[SourcePair]:
    """FLORES devtest (document = URL), NTREX newstest2019 (document ids) and WMT09 newstest2009 (20-line blocks),
    those of ``corpora``, in that order."""
    sets = {"FLORES": (data / "flores" / "devtest", data / "flores" / "devtest.meta.tsv", 1),
            "NTREX": (data / "ntrex" / "newstest2019", data / "ntrex" / "document_ids.tsv", 0),
            "WMT09": (data / "wmt09" / "newstest2009", None, 0)}
    pairs = []
    for corpus in corpora:
        stem, ids_file, header = sets[corpus]
        docs = None if ids_file is None else [r.split("\t")[0] for r in _lines(ids_file)[header:]]
        it, en = _lines(stem.with_suffix(".it")), _lines(stem.with_suffix(".en"))
        if len(it) != len(en) or (docs is not None and len(docs) != len(en)):
            raise ValueError(f"{stem}: sides or document ids are not line-aligned")
        for i, (s, t) in enumerate(zip(it, en)):
            doc = docs[i] if docs is not None else f"block{i // WMT_BLOCK}"
            pairs.append(SourcePair(corpus, doc, i, s.strip(), t.strip()))
    return pairs


def split_of(corpus: str, doc: str) -> str:
    """"dev" or "test" for a whole document, from a stable hash (same for every seed)."""
    return "dev" if hashlib.sha1(f"{corpus}\t{doc}".encode()).digest()[0] % 2 == 0 else "test"


def _case(p: SourcePair, kind: str, target: str, category: str = "", severity: str = "none",
          start: int = 0, end: int = 0) -> Case:
    return Case(f"{p.corpus}:{p.line}:{kind}", p.corpus, p.doc, p.line, split_of(p.corpus, p.doc),
                p.source, p.reference, target, kind, category, severity, start, end)


def build_suite(data: Path, seed: int = 13, sentences: int = 400, per_sentence: int = 4) -> list[Case]:
    """Pick ``sentences`` pairs (8–60 English words, about a third per corpus) and corrupt each up to ``per_sentence`` times.

    Kinds are balanced within each split: among those that apply, the least used so far in the pair's split
    win, ties broken by the rng.
    """
    rng = random.Random(seed)
    eligible = [p for p in load_pairs(data) if 8 <= len(p.reference.split()) <= 60 and p.source]
    queues = [rng.sample(q, len(q)) for q in ([p for p in eligible if p.corpus == c] for c in CORPORA)]
    chosen: list[SourcePair] = []
    while len(chosen) < sentences and any(queues):  # round robin: a third each, a short corpus leaves its share to the others
        for q in queues:
            if q and len(chosen) < sentences:
                chosen.append(q.pop())
    chosen.sort(key=lambda p: (CORPORA.index(p.corpus), p.line))
    used = {(split, kind): 0 for split in ("dev", "test") for kind in CORRUPTIONS}
    suite = Suite()
    suite.seed, suite.sentences, suite.per_sentence = seed, sentences, per_sentence
    for p in chosen:
        others = [q.reference for q in eligible if q.doc != p.doc or q.corpus != p.corpus]
        pool = random.Random(f"{seed}:{p.corpus}:{p.line}:pool").sample(others, min(40, len(others)))
        made = {}
        for kind, (_, _, corrupt) in CORRUPTIONS.items():
            c = corrupt(p.source, p.reference, random.Random(f"{seed}:{p.corpus}:{p.line}:{kind}"), pool)
            if c is not None and c.text != p.reference:
                made[kind] = c
        suite.append(_case(p, "clean", p.reference))
        split = split_of(p.corpus, p.doc)
        for kind in sorted(made, key=lambda k: (used[(split, k)], rng.random()))[:per_sentence]:
            c = made[kind]
            used[(split, kind)] += 1
            suite.append(_case(p, kind, c.text, c.category, c.severity, c.start, c.end))
    return suite


def write_suite(cases: Sequence[Case], path: Path) -> None:
    """JSON lines: a header naming the suite, its version and parameters (None when unknown), then one case a line."""
    header = {"suite": "tq.errorsuite", "version": SUITE_VERSION, "seed": getattr(cases, "seed", None),
              "sentences": getattr(cases, "sentences", None), "per_sentence": getattr(cases, "per_sentence", None)}
    with Path(path).open("w", encoding="utf-8") as out:
        out.writelines(json.dumps(row, ensure_ascii=False) + "\n" for row in [header] + [asdict(c) for c in cases])


def read_suite(path: Path) -> list[Case]:
    """Read a file of :func:`write_suite`; refuses other files and other versions rather than misread them."""
    lines = Path(path).read_text("utf-8").splitlines()
    header = json.loads(lines[0]) if lines else {}
    if header.get("suite") != "tq.errorsuite" or header.get("version") != SUITE_VERSION:
        raise ValueError(f"{path}: not a tq.errorsuite version {SUITE_VERSION} file")
    suite = Suite(Case(**json.loads(line)) for line in lines[1:] if line.strip())
    suite.seed, suite.sentences, suite.per_sentence = header["seed"], header["sentences"], header["per_sentence"]
    return suite
