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
from pathlib import Path

SUITE_VERSION = 1

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


def _content_end(text: str) -> int:
    """Index of the final . ! ? (before closing quotes), or len(text) when there is none."""
    m = _FINAL.search(text)
    return m.start(1) if m else len(text.rstrip())


# ---------------------------------------------------------------- critical
_AUX = "is are was were has have had will would can could should must may might does do did"
_AUX_RE = re.compile(rf"(?<![\w'’-])({_AUX.replace(' ', '|')})(?![\w'’-])")
_NT = re.compile(r"(?<![\w'’-])([A-Za-z]+)n['’]t(?![\w'’-])|(?<![\w'’-])([Cc]an)not(?![\w'’-])")


def negation(source: str, english: str, rng: random.Random, pool: Sequence[str]) -> Corruption | None:
    """Flip polarity: add "not" after the first auxiliary, or drop/flip an existing negation."""
    options: list[Edit] = []
    for m in _NT.finditer(english):
        stem = m.group(1) or m.group(2)
        stem = {"wo": "will", "Wo": "Will", "ca": "can", "Ca": "Can", "sha": "shall"}.get(stem, stem)
        options.append((m.start(), m.end(), stem))
    options += [(m.start(), m.end(), "") for m in re.finditer(r" not(?! only)(?=\W)", english)]
    options += [(m.start(), m.end(), _like(m.group(), "always")) for m in re.finditer(r"\b[Nn]ever\b", english)]
    options += [(m.start(), m.end(), "") for m in re.finditer(r"\bno (?!longer|one|matter|doubt)(?=[a-z])", english)]
    aux = next((m for m in _AUX_RE.finditer(english) if not re.match(r" not\b|n['’]t", english[m.end():])), None)
    if aux:
        options.append((aux.end(), aux.end(), " not", (aux.end() + 1, aux.end() + 4)))
    return _choose("negation", english, rng, options)


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


_BROADER = dict(w.split(">") for w in """president>person minister>official hospital>building school>building
church>building car>thing cars>things earthquake>event hurricane>event storm>event flood>event election>event
police>people soldiers>people doctors>people scientists>people researchers>people students>people children>people
killed>affected injured>affected dog>animal dogs>animals cat>animal horse>animal bird>animal birds>animals
city>place village>place country>place airport>place aircraft>vehicle plane>vehicle train>vehicle ship>vehicle
murder>crime theft>crime cancer>illness diabetes>illness gold>metal dollars>money euros>money company>organisation
government>organisation army>group team>group bought>got purchased>got arrested>stopped announced>did said>did
built>made wrote>did""".split())


def broader_word(source: str, english: str, rng: random.Random, pool: Sequence[str]) -> Corruption | None:
    """Replace a specific noun/verb by a much vaguer one (president→person, killed→affected)."""
    return _choose("broader-word", english, rng, [
        (m.start(), m.end(), _like(m.group(), _BROADER[m.group().lower()])) for m in _WORD.finditer(english)
        if m.group().lower() in _BROADER and (m.group().islower() or _initial(english, m.start()))])


def question(source: str, english: str, rng: random.Random, pool: Sequence[str]) -> Corruption | None:
    """Turn the statement into a question: invert "The plan is ready." or else end it with "?"."""
    final = _FINAL.search(english)
    if not final or final.group(1) != ".":
        return None
    words = english.split(" ")
    k = next((k for k, w in enumerate(words[:4]) if w in _AUX.split()), 0)
    subject = " ".join(words[:k])
    if k and words[0].lower() in _STARTERS and not re.search(r"[,;:\"“(]|ed\b|\bsaid\b|\bsays\b", subject):
        subject = [words[0].lower()] + words[1:k]
        body = " ".join([words[k].capitalize()] + subject + words[k + 1:])
        at = _content_end(body)
        return _edit("question", english, 0, len(english), body[:at] + "?" + body[at + 1:])
    return _edit("question", english, final.start(1), final.end(1), "?")


# ---------------------------------------------------------------- minor
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


CORRUPTIONS: dict[str, tuple[str, str, Corrupter]] = {
    "negation": ("accuracy/mistranslation", "critical", negation),
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
    "repeated-word": ("fluency/grammar", "minor", repeated_word),
    "function-word": ("fluency/grammar", "minor", function_word),
    "misspelling": ("fluency/spelling", "minor", misspelling),
    "char-dropped": ("fluency/spelling", "minor", char_dropped),
    "final-punct-dropped": ("fluency/punctuation", "minor", final_punct_dropped),
    "casing": ("fluency/spelling", "minor", casing),
    "spacing": ("fluency/punctuation", "minor", spacing),
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


def build_suite(data: Path, seed: int = 13, sentences: int = 400, per_sentence: int = 3) -> list[Case]:
    """Pick ``sentences`` pairs (8–60 English words, about a third per corpus) and corrupt each up to ``per_sentence`` times.

    Kinds are balanced: among those that apply, the least used so far win, ties broken by the rng.
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
    used = {kind: 0 for kind in CORRUPTIONS}
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
        for kind in sorted(made, key=lambda k: (used[k], rng.random()))[:per_sentence]:
            c = made[kind]
            used[kind] += 1
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
