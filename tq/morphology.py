"""Tense, mood, aspect and person of Italian and English verb groups (for the tense check).

A verb group is analysed as one: «ha detto», «era stato», «avrà fatto», «sta facendo»; "has said",
"had been", "will have done", "is doing". Each function takes the group's last word (its main verb)
and the words before it, where the auxiliaries are.

Italian: no conjugation resource fits as a wheel. verbecc (code LGPL-3.0) and mlconjug3 (code MIT)
both ship Verbiste's conjugation tables, which are GPL-2.0-or-later (their XML headers say so), so
neither can be a dependency of this Apache-2.0 project; both also pin numpy to versions tq's other
dependencies do not allow (verbecc ==2.3.3 with scikit-learn, scipy and Cython at run time, mlconjug3
<2). So the analysis is derived here: simplemma's lemma says that a word is a verb and which one, and
the verb's regular paradigm, generated from the ending table below, says which tense, mood and person
the word is. Forms outside the regular paradigm fall back on endings only one tense has (-rebbe,
-ranno, strong past historics such as disse, venne, ebbe). The auxiliaries essere, avere, stare and
the short, ambiguous dare («danno», «diede») are written out.

English: lemminflect (code MIT; its tables are derived from the NLM's SPECIALIST Lexicon, which the NLM
releases as an open-source resource under its own terms) gives a word's verb lemmas and inflections (VBD,
VBN, VBG, VBZ...), read from a table in tq's cache (lemminflect loads all its tables, over a second, in
every process; the table is built once, 2 s). Auxiliaries and modals are a closed class, listed here.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

# ---------------------------------------------------------------- data types
PERSONS = ((1, "singular"), (2, "singular"), (3, "singular"), (1, "plural"), (2, "plural"), (3, "plural"))
FINITE_MOODS = frozenset({"indicative", "subjunctive", "conditional", "imperative"})
# Italian compound tenses: the auxiliary's tense -> the group's
COMPOUND = {"present": "perfect", "imperfect": "pluperfect", "past-historic": "past-anterior", "future": "future-perfect",
            "conditional": "conditional-perfect", "infinitive": "perfect", "gerund": "perfect"}


@dataclass(frozen=True)
class VerbForm:
    """One verb group.

    ``tense``: Italian present, imperfect, past-historic, future, conditional, perfect, pluperfect,
    past-anterior, future-perfect, conditional-perfect; English present, past, future, conditional, perfect,
    pluperfect; None where the form cannot tell («è arrivato» is a perfect, «è considerato» a present passive;
    "could"). ``mood``: indicative, subjunctive, conditional, imperative, infinitive, gerund or participle.
    ``words``: how many words the group spans, auxiliaries and adverbs between them included. ``readings``: where
    ``tense`` is None, the tenses the group may be, its perfect reading first («è considerato»: perfect, present
    passive; «era arrivato»: pluperfect, imperfect passive).
    """

    lemma: str
    tense: str | None
    mood: str
    person: int | None = None
    number: str | None = None
    progressive: bool = False
    perfect: bool = False
    passive: bool = False
    words: int = 1
    readings: tuple[str, ...] = ()

    @property
    def finite(self) -> bool:
        return self.mood in FINITE_MOODS


# ---------------------------------------------------------------- Italian
def _persons(tense: str, mood: str, forms: str) -> dict[str, tuple]:
    return {form: (tense, mood, *person) for person, alternatives in zip(PERSONS, forms.split())
            for form in alternatives.split("/")}


# The auxiliaries and the short, ambiguous dare, written out: irregular throughout (see the module docstring).
_AUXILIARIES: dict[str, dict[str, tuple]] = {
    "essere": {
        **_persons("present", "indicative", "sono sei è siamo siete sono"),
        **_persons("imperfect", "indicative", "ero eri era eravamo eravate erano"),
        **_persons("past-historic", "indicative", "fui fosti fu fummo foste furono"),
        **_persons("future", "indicative", "sarò sarai sarà saremo sarete saranno"),
        **_persons("conditional", "conditional", "sarei saresti sarebbe saremmo sareste sarebbero"),
        **_persons("present", "subjunctive", "sia sia sia siamo siate siano"),
        **_persons("imperfect", "subjunctive", "fossi fossi fosse fossimo foste fossero"),
        "essere": ("present", "infinitive", None, None), "essendo": ("present", "gerund", None, None),
        **dict.fromkeys("stato stata stati state".split(), ("perfect", "participle", None, None)),
    },
    "avere": {
        **_persons("present", "indicative", "ho hai ha abbiamo avete hanno"),
        **_persons("imperfect", "indicative", "avevo avevi aveva avevamo avevate avevano"),
        **_persons("past-historic", "indicative", "ebbi avesti ebbe avemmo aveste ebbero"),
        **_persons("future", "indicative", "avrò avrai avrà avremo avrete avranno"),
        **_persons("conditional", "conditional", "avrei avresti avrebbe avremmo avreste avrebbero"),
        **_persons("present", "subjunctive", "abbia abbia abbia abbiamo abbiate abbiano"),
        **_persons("imperfect", "subjunctive", "avessi avessi avesse avessimo aveste avessero"),
        **dict.fromkeys(("avere", "aver"), ("present", "infinitive", None, None)), "avendo": ("present", "gerund", None, None),
        **dict.fromkeys("avuto avuta avuti avute".split(), ("perfect", "participle", None, None)),
    },
    "stare": {
        **_persons("present", "indicative", "sto stai sta stiamo state stanno"),
        **_persons("imperfect", "indicative", "stavo stavi stava stavamo stavate stavano"),
        **_persons("past-historic", "indicative", "stetti stesti stette stemmo steste stettero"),
        **_persons("future", "indicative", "starò starai starà staremo starete staranno"),
        **_persons("conditional", "conditional", "starei staresti starebbe staremmo stareste starebbero"),
        **_persons("present", "subjunctive", "stia stia stia stiamo stiate stiano"),
        **_persons("imperfect", "subjunctive", "stessi stessi stesse stessimo steste stessero"),
        "stare": ("present", "infinitive", None, None), "stando": ("present", "gerund", None, None),
    },
    "dare": {
        **_persons("present", "indicative", "do dai dà diamo date danno"),
        **_persons("past-historic", "indicative", "diedi/detti desti diede/dette demmo deste diedero/dettero"),
        **_persons("imperfect", "subjunctive", "dessi dessi desse dessimo deste dessero"),
    },
}
_AUXILIARY_FORMS = {form: (lemma, analysis) for lemma, forms in _AUXILIARIES.items() for form, analysis in forms.items()}

# Regular endings: (tense, mood) -> conjugation -> the six persons (alternatives split by "/")
_ENDINGS = {
    ("present", "indicative"): {"are": "o i a iamo ate ano", "ere": "o i e iamo ete ono",
                                "ire": "o/isco i/isci e/isce iamo ite ono/iscono"},
    ("imperfect", "indicative"): {"are": "avo avi ava avamo avate avano", "ere": "evo evi eva evamo evate evano",
                                  "ire": "ivo ivi iva ivamo ivate ivano"},
    ("past-historic", "indicative"): {"are": "ai asti ò ammo aste arono", "ere": "ei/etti esti é/ette emmo este erono/ettero",
                                      "ire": "ii isti ì immo iste irono"},
    ("future", "indicative"): {"are": "erò erai erà eremo erete eranno", "ere": "erò erai erà eremo erete eranno",
                               "ire": "irò irai irà iremo irete iranno"},
    ("conditional", "conditional"): {"are": "erei eresti erebbe eremmo ereste erebbero",
                                     "ere": "erei eresti erebbe eremmo ereste erebbero",
                                     "ire": "irei iresti irebbe iremmo ireste irebbero"},
    ("present", "subjunctive"): {"are": "i i i iamo iate ino", "ere": "a a a iamo iate ano",
                                 "ire": "a/isca a/isca a/isca iamo iate ano/iscano"},
    ("imperfect", "subjunctive"): {"are": "assi assi asse assimo aste assero", "ere": "essi essi esse essimo este essero",
                                   "ire": "issi issi isse issimo iste issero"},
}
_NON_FINITE = {"participle": {"are": "ato ata ati ate", "ere": "uto uta uti ute", "ire": "ito ita iti ite"},
               "gerund": {"are": "ando", "ere": "endo", "ire": "endo"}}
# Verbs whose paradigm is built on another stem (faceva, diceva, beveva, poneva, traeva, produceva)
_STEMS = (("fare", "fac"), ("dire", "dic"), ("bere", "bev"), ("porre", "pon"), ("trarre", "tra"), ("durre", "duc"))
# Forms outside the regular paradigm: endings that only one tense has (futures, conditionals and strong
# past historics of irregular verbs: sarà, vorrebbe, disse, venne, ebbe, nacque, fece, vide)
_IRREGULAR = tuple((re.compile(pattern + "$"), analysis) for pattern, analysis in (
    # (not crebbe, accrebbe: past historics of crescere)
    (r"(?<!c)rebbero", ("conditional", "conditional", 3, "plural")), (r"(?<!c)rebbe", ("conditional", "conditional", 3, "singular")),
    (r"rei", ("conditional", "conditional", 1, "singular")), (r"remmo", ("conditional", "conditional", 1, "plural")),
    (r"ranno", ("future", "indicative", 3, "plural")), (r"rà", ("future", "indicative", 3, "singular")),
    (r"rò", ("future", "indicative", 1, "singular")), (r"remo", ("future", "indicative", 1, "plural")),
    (r"(?:ss|[nrl]s|[aeiou]s|nn|bb|pp|cqu|dd|vv|rv|ll|ec|id)ero", ("past-historic", "indicative", 3, "plural")),
    (r"(?:ss|[nrl]s|[aeiou]s|nn|bb|pp|cqu|dd|vv|rv|ll|ec|id)e", ("past-historic", "indicative", 3, "singular")),
))
# Person endings of an irregular present (deve, può, vuole, esce, fanno, vogliono)
_PRESENT_PERSON = ((re.compile(r"(?:iamo)$"), (1, "plural")), (re.compile(r"(?:ono|anno|ano)$"), (3, "plural")),
                   (re.compile(r"(?:te)$"), (2, "plural")), (re.compile(r"[aeòà]$"), (3, "singular")),
                   (re.compile(r"o$"), (1, "singular")))
_PARTICIPLE_SHAPE = re.compile(r"(?:at|ut|it|tt|st|rt|nt|lt|ss|[aeiou]s|rs|ls|ns)[oaie]$")
_GERUND = re.compile(r"[ae]ndo$")
_CLITICS = r"(?:lo|la|li|le|gli|glielo|gliela|ne|ci|vi|si|mi|ti|sene|cene)"

# Words that may stand between an auxiliary and its participle or gerund (any adverb in -mente too)
IT_ADVERBS = frozenset("""non già ancora mai anche sempre più pure appena poi subito ormai davvero solo soltanto forse finora
così spesso effettivamente infatti quindi invece inoltre tuttavia molto poco troppo tanto meno ben bene male""".split())
# Words after which the next is a noun (un rapido passaggio, la prima volta), not a verb
IT_DETERMINERS = frozenset("""un uno una il lo la i gli le l del dello della dei degli delle dell al allo alla ai agli alle all
dal dallo dalla dai dagli dalle dall nel nello nella nei negli nelle nell sul sullo sulla sui sugli sulle sull questo questa
questi queste quel quello quella quei quegli quelle ogni suo sua suoi sue loro mio mia miei mie nostro nostra nostri nostre
vostro vostra tuo tua""".split())
_REFLEXIVE = frozenset("si mi ti se".split())  # not ci, vi: «ci sono», «vi sono» are "there are"
# Before a first person singular present (io, a clitic, non): elsewhere «ritorno», «accordo», «controllo» are nouns
_FIRST_PERSON = frozenset("io non mi ti ci vi ne gli".split())


def _regular_stems(lemma: str) -> list[tuple[str, str]]:
    """(stem, conjugation) of an infinitive: parlare -> (parl, are); fare -> (fac, ere); produrre -> (produc, ere)."""
    for ending, stem in _STEMS:
        if lemma == ending or (ending in ("porre", "trarre", "durre") and lemma.endswith(ending)):
            return [(lemma[: len(lemma) - len(ending)] + stem, "ere")]
    if len(lemma) > 3 and lemma[-3:] in ("are", "ere", "ire"):
        return [(lemma[:-3], lemma[-3:])]
    return []


def _join(stem: str, ending: str, conjugation: str) -> str:
    """Spelling at the join: cerc+erà -> cercherà, cominci+erà -> comincerà, studi+iamo -> studiamo."""
    if conjugation == "are" and ending[:1] in "ei" and stem.endswith(("c", "g")):
        return stem + "h" + ending
    if conjugation == "are" and stem.endswith("i") and ending[:1] == "i":
        return stem[:-1] + ending
    if conjugation == "are" and ending[:1] == "e" and stem.endswith(("ci", "gi")):
        return stem[:-1] + ending
    return stem + ending


@lru_cache(maxsize=20_000)
def _paradigm(lemma: str) -> dict[str, tuple]:
    """Every regular form of an Italian verb -> (tense, mood, person, number). Where forms coincide, the reading
    a news text uses wins: non-finite before finite, second persons last («adottate» is the participle, not
    "you adopt"; «ricerchi» the subjunctive, not "you seek")."""
    forms: dict[str, tuple] = {}
    for stem, conjugation in _regular_stems(lemma):
        for mood, table in _NON_FINITE.items():
            for ending in table[conjugation].split():
                forms.setdefault(_join(stem, ending, conjugation), ("perfect" if mood == "participle" else "present", mood, None, None))
        for second in (False, True):
            for (tense, mood), table in _ENDINGS.items():
                for person, alternatives in zip(PERSONS, table[conjugation].split()):
                    for ending in alternatives.split("/") if (person[0] == 2) == second else ():
                        forms.setdefault(_join(stem, ending, conjugation), (tense, mood, *person))
    return forms


def _is_infinitive(lemma: str) -> bool:
    return len(lemma) > 3 and lemma.endswith(("are", "ere", "ire", "rre"))


@lru_cache(maxsize=50_000)
def italian_word(word: str) -> VerbForm | None:
    """One Italian word's own analysis (no auxiliaries), or None for a word that is no verb form."""
    from .lexicon import lemmatize

    w = word.lower().replace("’", "'")
    if w in _AUXILIARY_FORMS:
        return VerbForm(_AUXILIARY_FORMS[w][0], *_AUXILIARY_FORMS[w][1])
    lemma = lemmatize(w, "it")
    clitic = re.fullmatch(r"(.+?r)" + _CLITICS + "+", w)
    if clitic and not _is_infinitive(lemma):  # «farlo», «produrlo»: the infinitive with a pronoun joined to it
        lemma = next((c for c in (clitic.group(1) + "e", clitic.group(1) + "re") if lemmatize(c, "it") == c), lemma)
    if not _is_infinitive(lemma) or len(w) < 2:
        return None
    if w == lemma or (clitic and lemma in (clitic.group(1) + "e", clitic.group(1) + "re")):
        return VerbForm(lemma, "present", "infinitive")  # «fare», «farlo», «dirgli»
    analysis: tuple | None = _paradigm(lemma).get(w)
    if analysis is None:
        if _GERUND.search(w):
            analysis = ("present", "gerund", None, None)
        elif (w.endswith("o") and _PARTICIPLE_SHAPE.search(w)) or _feminine_plural_participle(w, lemma):
            analysis = ("perfect", "participle", None, None)  # «morto», «scritto»; «decise» (also a past historic)
        else:
            analysis = next((a for pattern, a in _IRREGULAR if pattern.search(w)), None) or (
                ("perfect", "participle", None, None) if _PARTICIPLE_SHAPE.search(w) else _irregular_present(w, lemma))
        if analysis is None:
            return None
    if analysis[2] == 1 and analysis[3] == "singular" and _PARTICIPLE_SHAPE.search(w):
        analysis = ("perfect", "participle", None, None)  # «detto»: the participle of dire, not "I dictate"
    return VerbForm(lemma, *analysis)


def _feminine_plural_participle(word: str, lemma: str) -> bool:
    """«decise», «prese»: a strong past historic and the feminine plural of a participle alike (deciso, preso)."""
    from .lexicon import lemmatize

    return word.endswith("e") and bool(_PARTICIPLE_SHAPE.search(word)) and lemmatize(word[:-1] + "o", "it") == lemma


def _irregular_present(word: str, lemma: str) -> tuple | None:
    """An irregular present by its person ending; «-a», «-ano» of a verb not in -are is a subjunctive (tenga, possano)."""
    person = next((person for pattern, person in _PRESENT_PERSON if pattern.search(word)), None)
    if person is None:
        return None
    subjunctive = not lemma.endswith("are") and word.endswith(("a", "ano"))
    return ("present", "subjunctive" if subjunctive else "indicative", *person)


def _skip_adverbs(words: list[str], at: int) -> int:
    """Index of the first word at or before ``at`` that is no adverb («non ha mai detto»)."""
    while at >= 0 and (words[at] in IT_ADVERBS or (words[at].endswith("mente") and len(words[at]) > 6)):
        at -= 1
    return at


def _in_context(word: str, words: list[str], at: int) -> VerbForm | None:
    """:func:`italian_word`, but «state» after a form of essere is its participle («sono state uccise»), not
    stare's «(voi) state»."""
    if word == "state" and at > 0 and (aux := italian_word(words[_skip_adverbs(words, at - 1)])) is not None \
            and aux.lemma == "essere" and aux.finite:
        return VerbForm("essere", "perfect", "participle")
    return italian_word(word)


def _preceding_words(words: Sequence[str], i: int, most: int = 3) -> list[str]:
    """Up to ``most`` words before word ``i``, back to the nearest punctuation: where its auxiliaries would be."""
    k = i
    while k > max(0, i - most) and words[k - 1].isalpha():
        k -= 1
    return list(words[k:i])


def italian_verb_groups(words: Sequence[str]) -> list[VerbForm | None]:
    """Each word's verb group (:func:`italian_verb` with the words before it: «detto» after «ha» is a perfect, third
    person singular); None for a word that ends none, or is no word (a punctuation mark)."""
    return [italian_verb(w, _preceding_words(words, i)) if w.isalpha() else None for i, w in enumerate(words)]


def spanning_group(forms: Sequence[VerbForm | None], i: int, reach: int = 4) -> tuple[int, VerbForm] | None:
    """The longest finite verb group spanning word ``i`` (``forms`` as :func:`italian_verb_groups` gives them), looking
    ``reach`` words on from it, with the index of the word that ends it: «sono» of «sono stati condannati», «era» of
    «era piena». None if no finite group spans it."""
    return next(((end, form) for end in reversed(range(i, min(i + reach, len(forms))))
                 if (form := forms[end]) is not None and form.finite and end - form.words + 1 <= i), None)


def italian_verb(word: str, previous_words: list[str]) -> VerbForm | None:
    """The Italian verb group that ends at ``word``: «detto» after «ha» is a perfect, «facendo» after «stava» an
    imperfect progressive, «piena» after «era» a copula in the imperfect. None: no verb group ends here (a noun
    after an article, a name, an adverb)."""
    words = [w.lower().replace("’", "'").rstrip("'") for w in previous_words]
    if (word[:1].isupper() and words) or word.lower().endswith("mente"):
        return None
    if words and words[-1] in IT_DETERMINERS:  # a noun: a predicate only right after a copula («era un problema»)
        copula = italian_word(words[-2]) if len(words) > 1 else None
        if copula is None or copula.lemma != "essere" or not copula.finite:
            return None
        return _spanning(copula, 3)
    own = _in_context(word.lower(), words, len(words))
    if own is not None and (own.tense, own.mood, own.person, own.number) == ("present", "indicative", 1, "singular") \
            and not (words and words[-1] in _FIRST_PERSON):
        own = None
    at = _skip_adverbs(words, len(words) - 1)
    before = _in_context(words[at], words, at) if at >= 0 else None
    if own is None and before is not None and before.lemma == "essere" and _PARTICIPLE_SHAPE.search(word.lower()):
        own = VerbForm(word.lower(), "perfect", "participle")  # one simplemma reads as an adjective: «è comparsa»
        # (not after avere: «hanno diritto» is a noun; «ha scritto», which simplemma also reads as one, goes unread)
    if own is not None and own.mood == "participle":
        if before is not None and before.lemma == "essere" and before.mood == "participle":  # «è stato arrestato»
            aux = _skip_adverbs(words, at - 1)
            group = _compound(own, italian_word(words[aux]) if aux >= 0 else None, passive=True)
            return group and _spanning(group, len(words) - aux + 1)
        clitics = words[max(0, at - 2):at] if at > 0 and words[at - 1] == "ne" else words[max(0, at - 1):at]  # «se ne è andata»
        group = _compound(own, before, reflexive=bool(_REFLEXIVE.intersection(clitics)))
        return group and _spanning(group, len(words) - at + 1)
    if own is not None and own.mood == "gerund" and before is not None and before.lemma == "stare" and before.finite:
        return _spanning(_with_auxiliary(own.lemma, before, progressive=True), len(words) - at + 1)
    if own is not None and own.mood == "infinitive" and before is not None and before.finite \
            and before.lemma in ("potere", "dovere", "volere"):
        return _spanning(_with_auxiliary(own.lemma, before), len(words) - at + 1)  # «deve fare», «potrebbe essere»
    if own is not None:
        return own
    if before is not None and before.lemma == "essere" and (before.finite or before.mood == "participle"):
        if before.mood == "participle":  # «è stato difficile»
            aux = _skip_adverbs(words, at - 1)
            group = _compound(VerbForm("essere", "perfect", "participle"), italian_word(words[aux]) if aux >= 0 else None)
            return group and _spanning(group, len(words) - aux + 1)
        return _spanning(before, len(words) - at + 1)  # a copula and its predicate: «era piena»
    return None


def _spanning(form: VerbForm, words: int) -> VerbForm:
    return VerbForm(form.lemma, form.tense, form.mood, form.person, form.number, form.progressive, form.perfect,
                    form.passive, words, form.readings)


def _with_auxiliary(lemma: str, aux: VerbForm, progressive: bool = False) -> VerbForm:
    return VerbForm(lemma, aux.tense, aux.mood, aux.person, aux.number, progressive=progressive or aux.progressive,
                    perfect=aux.perfect, passive=aux.passive)


def _compound(participle: VerbForm, aux: VerbForm | None, passive: bool = False, reflexive: bool = False) -> VerbForm | None:
    """A participle after avere, essere or venire («ha detto», «era stato», «viene arrestato»). After essere alone
    it is a perfect («è arrivato») or a present passive («è considerato»): without a list of the verbs that take
    essere the tense is left open (None), unless a reflexive pronoun says perfect («si è dimesso»)."""
    if aux is None or aux.lemma not in ("avere", "essere", "venire") or aux.mood == "participle" or aux.tense is None:
        return None
    if aux.lemma == "venire":
        return VerbForm(participle.lemma, aux.tense, aux.mood, aux.person, aux.number, passive=True)
    if aux.mood == "subjunctive":
        tense = {"present": "perfect", "imperfect": "pluperfect"}.get(aux.tense)
    else:
        tense = COMPOUND.get(aux.tense)
    if aux.lemma == "essere" and not (passive or reflexive or participle.lemma == "essere") and tense:
        return VerbForm(participle.lemma, None, aux.mood, aux.person, aux.number, perfect=True, readings=(tense, aux.tense))
    return VerbForm(participle.lemma, tense, aux.mood, aux.person, aux.number, perfect=True, passive=passive)


# ---------------------------------------------------------------- English
# Closed classes: (lemma, tense, person, number) of each auxiliary form; None for a non-finite one
EN_AUXILIARIES: dict[str, tuple[str, str | None, int | None, str | None]] = {
    "am": ("be", "present", 1, "singular"), "is": ("be", "present", 3, "singular"), "are": ("be", "present", None, None),
    "was": ("be", "past", None, "singular"), "were": ("be", "past", None, None),
    "be": ("be", None, None, None), "been": ("be", None, None, None), "being": ("be", None, None, None),
    "has": ("have", "present", 3, "singular"), "have": ("have", "present", None, None), "had": ("have", "past", None, None),
    "having": ("have", None, None, None),
    "does": ("do", "present", 3, "singular"), "do": ("do", "present", None, None), "did": ("do", "past", None, None),
    "will": ("will", "future", None, None), "shall": ("shall", "future", None, None), "would": ("would", "conditional", None, None),
    "can": ("can", None, None, None), "could": ("could", None, None, None), "may": ("may", None, None, None),
    "might": ("might", None, None, None), "must": ("must", None, None, None), "should": ("should", None, None, None),
}
EN_MODALS = frozenset("will shall would can could may might must should".split())
_CONTRACTIONS = {"won't": "will", "can't": "can", "cannot": "can", "shan't": "shall"}
EN_ADVERBS = frozenset("""not never also already still just now recently always often ever yet long previously since
so then even only once first again soon finally further indeed however nonetheless nevertheless subsequently generally
usually""".split())
# After these a verb form is a participle or a noun, not a finite verb (the confirmed cases, to say)
_NOT_BEFORE_FINITE = frozenset("""a an the this that these those its his her their our my your to of in on at by for with from
into about as than very most more less such no any some each every what which whose whom""".split())
_SUBJECTS = frozenset("i you he she it we they who which that there this these those".split())


@dataclass(frozen=True)
class _EnglishWord:
    lemma: str
    tags: frozenset[str]  # Penn tags of its verb readings: VB VBP VBZ VBD VBN VBG
    other: bool           # it is also a noun, adjective or adverb (talks, left, united)


def _lemminflect_rows():
    """form -> "lemma:TAG TAG|lemma2:TAG;OTHER" for every verb form lemminflect knows (its private tables:
    the public calls give the same entries one word at a time after loading them all)."""
    from lemminflect import getAllInflections
    from lemminflect.core.Lemmatizer import Lemmatizer

    for form, by_pos in Lemmatizer()._getLemmaDict().items():
        lemmas = by_pos.get("VERB", ())
        if not lemmas or not form.isalpha():
            continue
        readings = []
        for lemma in lemmas:
            inflections = getAllInflections(lemma, "VERB")
            # a regular past is its participle too, in every spelling ("fuelled" beside "fueled"; "approved")
            inflections["VBN"] = (*inflections.get("VBN", ()), *(f for f in inflections.get("VBD", ()) if f.endswith("ed")))
            tags = sorted(tag for tag, spellings in inflections.items() if form in spellings)
            if not tags and form.endswith("en"):  # a participle the tables leave out ("proven")
                tags = ["VBN"]
            if tags:
                readings.append(f"{lemma}:{' '.join(tags)}")
        if readings:
            yield form, "|".join(readings) + (";other" if set(by_pos) - {"VERB", "AUX"} else "")


def _lemminflect_table(name: str, revision: int, rows):
    """A table built from lemminflect's lexicon once, kept in tq's cache until lemminflect or ``revision`` changes."""
    from importlib.metadata import version

    from .cache import cached_table, key_of

    return cached_table(f"lemminflect/{name}", key_of(revision, version("lemminflect")), rows)


@cache
def _english_table():
    return _lemminflect_table("verbs", 3, _lemminflect_rows)


@lru_cache(maxsize=50_000)
def _english_word(word: str) -> _EnglishWord | None:
    """A lexical verb form's lemma and tags (the first lemma: left -> leave), None for a word that is no verb."""
    value = _english_table().get(word.lower())
    if value is None:
        return None
    readings, _, other = value.partition(";")
    lemma, _, tags = readings.split("|")[0].partition(":")
    return _EnglishWord(lemma, frozenset(tags.split()), bool(other))


def _part_rows():
    """form -> its parts of speech in lemminflect's lexicon ("ADJ NOUN"), for every form it knows."""
    from lemminflect.core.Lemmatizer import Lemmatizer

    for form, by_pos in Lemmatizer()._getLemmaDict().items():
        yield form, " ".join(sorted(by_pos))


@cache
def _parts_table():
    return _lemminflect_table("parts", 1, _part_rows)


@lru_cache(maxsize=50_000)
def english_parts(word: str) -> frozenset[str]:
    """The parts of speech an English word form can be (lemminflect's ADJ, ADV, NOUN, VERB…), with no tagger:
    empty for a word it does not know."""
    value = _parts_table().get(word.lower())
    return frozenset(value.split()) if value else frozenset()


def english_tags(word: str) -> frozenset[str]:
    """Penn tags of a word's verb readings; auxiliaries by their own table (been: VBN, being: VBG, be: VB)."""
    if word in EN_AUXILIARIES:
        return frozenset({"been": {"VBN"}, "being": {"VBG"}, "having": {"VBG"}, "be": {"VB"}, "have": {"VB", "VBP"},
                          "do": {"VB", "VBP"}}.get(word, set()))
    entry = _english_word(word)
    return entry.tags if entry else frozenset()


def english_adverb(word: str) -> bool:
    return word in EN_ADVERBS or (word.endswith("ly") and len(word) > 4 and not english_tags(word))


def _plain(word: str) -> str:
    """Lower case, a contracted negation taken off (hasn't: has, won't: will); a capitalised word stays as it is, a
    name rather than an auxiliary ("Theresa May", "AM")."""
    if word[:1].isupper() and word != "I":
        return word
    w = word.lower().replace("’", "'")
    return _CONTRACTIONS.get(w, w.removesuffix("n't"))


def english_verb(word: str, previous_words: list[str]) -> VerbForm | None:
    """The English verb group that ends at ``word``: "said" after "has" is a perfect, "doing" after "was" a past
    progressive, "is" alone a present (a copula: its predicate follows), "say" after "to" an infinitive. None: no
    verb group ends here (a noun, an adjective, "the confirmed" cases, a name)."""
    w, words = _plain(word.lower() if word != "I" else word), [_plain(p) for p in previous_words]
    if (len(word) > 1 and word.isupper()) or (word[:1].isupper() and previous_words):
        return None  # an acronym ("AM", an Assembly Member), a name ("Theresa May")
    head = _english_word(w)
    if w not in EN_AUXILIARIES and head is None:
        return None
    lemma = EN_AUXILIARIES[w][0] if w in EN_AUXILIARIES else head.lemma if head else w
    chain, at = [w], len(words) - 1  # the group's verbs, right to left; the word before the group
    progressive = perfect = passive = False
    while chain[-1] not in EN_MODALS:
        tags, k = english_tags(chain[-1]), at
        while k >= 0 and english_adverb(words[k]):
            k -= 1
        aux = EN_AUXILIARIES.get(words[k]) if k >= 0 else None
        if aux is None:
            break
        if aux[0] == "be" and (chain[-1] == "being" or "VBG" in tags):
            progressive = True  # "was doing", "is being built"
        elif aux[0] == "be" and "VBN" in tags:
            passive = True
        elif aux[0] == "have" and "VBN" in tags:
            perfect = True
        elif not ((words[k] in EN_MODALS or aux[0] == "do") and tags & {"VB", "VBP"}):
            break
        chain.append(words[k])
        at = k - 1
    first, before = chain[-1], (words[at] if at >= 0 else None)
    subject = at
    while subject >= 0 and english_adverb(words[subject]):
        subject -= 1  # "the newly requested": the word before the adverbs says whether a verb can follow
    raw_before = previous_words[subject] if subject >= 0 else None
    span = len(words) - at
    if first in EN_AUXILIARIES and EN_AUXILIARIES[first][1] is None and first not in EN_MODALS or before == "to":
        if first not in EN_AUXILIARIES and before == "to" and "VB" not in english_tags(first):
            return None
        mood = "gerund" if first.endswith("ing") else "participle" if first == "been" else "infinitive"
        return VerbForm(lemma, None, mood, progressive=progressive, perfect=perfect, passive=passive, words=span)
    if first in EN_AUXILIARIES:
        _, tense, person, number = EN_AUXILIARIES[first]
    else:
        tense, person, number = _lexical_tense(first, raw_before)
        if tense is None or (tense == "present" and person is None and subject > 0 and words[subject - 1].lower() in ("do", "does", "did")):
            return None  # "did you leak": the auxiliary before the subject carries the tense
    if perfect and tense in ("present", "past") and EN_AUXILIARIES.get(first, ("",))[0] == "have":
        tense = "perfect" if tense == "present" else "pluperfect"
    return VerbForm(lemma, tense, "conditional" if tense == "conditional" else "indicative", person, number,
                    progressive, perfect, passive, span)


def _lexical_tense(word: str, before: str | None) -> tuple[str | None, int | None, str | None]:
    """Tense of a verb without auxiliary, after its subject: "said", "says", "they say". After a determiner or a
    preposition it is a participle or a noun ("the confirmed cases", "of talks"); a past that is also a participle
    ("confirmed") only after a pronoun or a name; a third person that is also a noun only after a pronoun ("Kiev forces",
    "Apple shares" are nouns as easily); a base form ("say") only after a plural pronoun."""
    entry = _english_word(word)
    lower = before.lower() if before else None
    if entry is None or lower is None or lower in _NOT_BEFORE_FINITE or before in EN_AUXILIARIES:
        return None, None, None
    subject = lower in _SUBJECTS or (before or "")[:1].isupper()
    if "VBD" in entry.tags and not entry.tags & {"VB", "VBP"} and (subject or "VBN" not in entry.tags):
        return "past", None, None  # not "set", "put" (presents too); "confirmed" only after a pronoun or a name
    if "VBZ" in entry.tags and (lower in _SUBJECTS or not entry.other):
        return "present", 3, "singular"
    if "VBP" in entry.tags and "VBD" not in entry.tags and lower in ("i", "you", "we", "they"):
        return "present", None, None  # not "I read", "they put": a past as well
    return None, None, None


_EN_TOKEN = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)?")


@dataclass(frozen=True)
class VerbGroup:
    """A verb group in a text: ``start``/``end`` span it (first auxiliary to last verb), ``head_*`` its last word."""

    start: int
    end: int
    head_start: int
    head_end: int
    form: VerbForm


def english_groups(text: str) -> list[VerbGroup]:
    """The English verb groups of a text, each once: the longest chain of auxiliaries and verb that ends at a word
    the next verb does not continue ("has been" in "has been working" is no group of its own)."""
    tokens = list(_EN_TOKEN.finditer(text))
    words = [t.group() for t in tokens]
    # a word joined by a hyphen is part of a compound ("oval-shaped", "well-known"), no verb
    forms = [None if "-" in (text[t.start() - 1:t.start()], text[t.end():t.end() + 1]) else english_verb(w, words[max(0, i - 8):i])
             for i, (t, w) in enumerate(zip(tokens, words))]
    groups = []
    for i, (token, form) in enumerate(zip(tokens, forms)):
        if form is None:
            continue
        following = next((j for j in range(i + 1, len(words)) if not english_adverb(_plain(words[j]))), None)
        longer = forms[following] if following is not None else None
        continued = following is not None and longer is not None and longer.words > following - i
        if not continued:
            groups.append(VerbGroup(tokens[i - form.words + 1].start(), token.end(), token.start(), token.end(), form))
    return groups
