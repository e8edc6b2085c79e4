"""segment: Document -> list[Sentence], with character offsets into the original text.

Blocks come first: a blank line, or a line break that is not a hard wrap (a
long line followed by one that continues in lower case), always ends a
sentence: headlines, bylines and datelines stand alone. Inside a block, sentence boundaries come from ``sentencex``
(Wikimedia's rule-based segmenter: abbreviations and quotes for ~300
languages, Italian and English included).

One rule comes before ``sentencex``: a sentence that ends inside or just before
the quotes that close a quotation (``.»``, ``?”``, ``!"``, or ``».``, ``".``) and is
followed by a space and a capital letter always ends there. ``sentencex`` never
splits inside what it takes for a quotation, and it pairs quotes loosely:
``«Non lo so.» Poi è uscito.`` stayed one sentence, and NTREX's ``“… Pwp." Per i
lettori … cacca. Un membro … “non era contento” …`` (a “ closed by a straight
quote) swallowed three. A comma or a lower-case word after the quote continues
the sentence (``"…," he said.``, ``«Basta!», ha gridato.``), and so does a name
and a verb of saying (NTREX's ``"…shark in the water!'" Hammel added.``); the rule
adds no end after a title (``“Sig.” Rossi``), nor inside a longer quotation
(``"… said, 'Did you do it?' He was …"``): a quotation of several sentences stays
whole, as ``sentencex`` keeps it.

After ``sentencex``, a quote mark it left on the wrong side of a boundary goes back
to its sentence (``office. "`` + ``I did…`` -> ``office.`` + ``"I did…``), and a
question or exclamation in quotes that it split from a name and a verb of saying
is joined to them again (``"Why?" | Smith asked.``).

Last, a sentence longer than ``MAX_SENTENCE_WORDS`` (an OCR dump, a pasted table, a
text with its stops lost) is split into pieces at clause boundaries (``;`` ``:``
a dash, then a comma, then a conjunction), or at a word where none is near, so that
every later stage (the aligner, the word alignment, the LM, the checks) sees pieces
of bounded length and a run's cost grows with its words, not their square. The
pieces keep their offsets into the text, as sentences do.
"""
from __future__ import annotations

import re
from itertools import pairwise
from typing import NamedTuple

from .types import Document, Sentence

WRAPPED_LINE = 50  # a line at least this long, continued in lower case, was hard-wrapped
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n|$)")

_CLOSERS = "\"'»”’"
_OPENERS = "\"'«“‘(["
# a stop then closing quote(s) ('.»', '?”', '!"'), or closing quote(s) then a stop ('».', '".'), then a space
_QUOTED_END = re.compile(rf"(?P<stop>[.!?…]+)[{_CLOSERS}]+(?=\s)|[{_CLOSERS}]+[.!?…]+(?=\s)")
_WORD_BEFORE = re.compile(r"(\w+)$")
TITLES = frozenset({  # “Sig.” Rossi: a title before a name
    "sig", "sigg", "dott", "dr", "mr", "mrs", "ms", "prof", "avv", "ing",
    "sen", "gen", "col", "mons", "st", "rev", "hon", "gov", "rep",
})
_SPEECH_VERBS = (  # verbs of saying, English and Italian
    "said|says|added|adds|asked|asks|told|tells|shouted|shouts|yelled|yells|cried|cries|replied|replies|explained|"
    "explains|wrote|writes|recalled|recalls|continued|continues|insisted|insists|noted|notes|exclaimed|whispered|"
    "laughed|argued|argues|warned|warns|admitted|admits|answered|answers|declared|declares|announced|announces|"
    "concluded|concludes|reported|reports|stated|states|commented|comments|tweeted|dice|disse|dicono|dissero|"
    "aggiunge|aggiunse|chiede|chiese|risponde|rispose|spiega|spiegò|urla|urlò|grida|gridò|commenta|commentò|afferma|"
    "affermò|conclude|concluse|osserva|osservò|racconta|raccontò|scrive|scrisse|ribatte|ribatté|dichiara|dichiarò|"
    "riferisce|riferì"
)
# '"…!" Hammel added.', '«Basta!» Mario gridò.': one to three capitalised words, then a verb of saying. A capital
# pronoun starts a new sentence ('"…?" She said no one had told her.'; 'she said' would continue), and so does
# '«…?» Nessuno ha risposto.' (Italian puts the verb first, '«…» ha detto Mario', and a lower-case word continues anyway)
_PRONOUNS = "I|He|She|It|We|You|They|Nobody|Everyone|Someone|Io|Lui|Lei|Noi|Voi|Loro|Egli|Ella|Nessuno|Tutti|Qualcuno"
_ATTRIBUTION = re.compile(rf"(?!(?:{_PRONOUNS})\b)(?:[A-ZÀ-ÖØ-Þ][\w’'.-]*\s+){{1,3}}(?:{_SPEECH_VERBS})\b")
_QUESTION_IN_QUOTES = re.compile(rf"[?!]+[{_CLOSERS}]+$")
_STOP_AT_END = re.compile(rf"[.!?…][{_CLOSERS}]*$")
_AFTER_OPENING_QUOTE = "([{—–-/"  # a straight quote after a space, the start or one of these opens a quotation


def _opens(text: str, index: int, start: int) -> bool:
    """Is the straight quote at ``index`` an opening one?"""
    before = text[index - 1] if index > start else " "
    after = text[index + 1] if index + 1 < len(text) else " "
    return (before.isspace() or before in _AFTER_OPENING_QUOTE) and not after.isspace()


def blocks(text: str) -> list[tuple[int, int, int]]:
    """(start, end, paragraph number) of each block of text that no sentence may cross."""
    out: list[tuple[int, int, int]] = []
    paragraph, start, end, previous_blank, previous_length = -1, None, 0, True, 0
    for match in _LINE.finditer(text):
        line = match.group()
        if not line:
            break
        content = line.strip()
        if not content:
            if start is not None:
                out.append((start, end, paragraph))
                start = None
            previous_blank = True
            continue
        left = match.start() + (len(line) - len(line.lstrip()))
        right = match.start() + len(line.rstrip())
        continues = start is not None and content[0].islower() and previous_length >= WRAPPED_LINE
        if continues:
            end = right
        else:
            if start is not None:
                out.append((start, end, paragraph))
            if previous_blank or start is None:
                paragraph += 1
            start, end = left, right
        previous_blank = False
        previous_length = len(content)
    if start is not None:
        out.append((start, end, paragraph))
    return out


def quoted_ends(text: str, start: int = 0, end: int | None = None) -> list[int]:
    """Offsets in ``text[start:end]`` just after a sentence that ends at closing quotes (see the module's notes).

    Only where the quotation closes: double quotes (« » “ ” ") of any kind are counted
    together, so a sentence that ends inside a longer quotation (``"… 'Did you do it?'
    He was …"``) is left whole, as ``sentencex`` leaves it; a single closing quote ends
    a sentence only when a single quote opened since the last end.
    """
    end = len(text) if end is None else end
    cuts: list[int] = []
    open_quotes: list[str] = []  # the quotations open here, innermost last
    scanned, single_open = start, False
    for match in _QUOTED_END.finditer(text, start, end):
        for index in range(scanned, match.end()):
            char = text[index]
            if char in "«“" or (char == '"' and _opens(text, index, start)):
                open_quotes.append(char)
            elif char in "»”" or char == '"':
                if open_quotes:
                    open_quotes.pop()
            elif char == "‘" or (char == "'" and _opens(text, index, start)):
                single_open = True
        scanned = match.end()
        closing = match.group().rstrip(".!?…")
        if open_quotes or (closing[-1] in "’'" and not single_open):
            continue
        after = match.end()
        while after < end and text[after].isspace():
            after += 1
        while after < end and text[after] in _OPENERS:
            after += 1
        if after >= end or not text[after].isupper() or _ATTRIBUTION.match(text, after, end):
            continue
        if match.group("stop") == ".":
            word = _WORD_BEFORE.search(text, start, match.start())
            if word and word.group(1).lower() in TITLES:
                continue  # a title before a name, not an end
        cuts.append(match.end())
        single_open = False
    return cuts


def _sentencex_spans(language: str, text: str, start: int, end: int) -> list[tuple[int, int]]:
    """(start, end) of each sentence ``sentencex`` finds in ``text[start:end]``."""
    import sentencex

    chunk = text[start:end]
    spans: list[tuple[int, int]] = []
    cursor = 0
    try:
        pieces = list(sentencex.segment(language, chunk))
    except BaseException as error:  # sentencex (Rust, pyo3) panics on some text, e.g. a slice inside a no-break space
        if type(error).__name__ != "PanicException":
            raise
        pieces = [chunk]  # the whole chunk is one sentence: the blank-line and quotation cuts still apply
    for piece in pieces:
        piece = piece.strip()
        if not piece:
            continue
        found = chunk.find(piece, cursor)
        if found < 0:  # the segmenter normalised something: fall back to the rest of the chunk
            found = cursor + len(chunk[cursor:]) - len(chunk[cursor:].lstrip())
            piece = chunk[cursor:].strip()
        spans.append((start + found, start + found + len(piece)))
        cursor = found + len(piece)
        if cursor >= len(chunk.rstrip()):
            break
    return spans


def _continues_quotation(text: str, previous: tuple[int, int], span: tuple[int, int]) -> bool:
    """'"Why?" | Smith asked.': a question or exclamation in quotes, then a name and a verb of saying."""
    return (bool(_QUESTION_IN_QUOTES.search(text, previous[0], previous[1])) and not text[previous[1]:span[0]].strip()
            and bool(_ATTRIBUTION.match(text, span[0], span[1])))


def _reattach_quotes(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """A quote mark that ``sentencex`` left on the wrong side of a boundary goes back to its sentence:
    'office. "' + 'I did not…' -> 'office.' + '"I did not…'; 'storia.' + '" John…' -> 'storia."' + 'John…'."""
    spans = list(spans)
    for i in range(len(spans) - 1):
        (a, b), (c, d) = spans[i], spans[i + 1]
        if c == b and b - a > 1 and text[b - 1] in '"“«' and text[b - 2].isspace() and c < d and not text[c].isspace():
            end = b - 1
            while end > a and text[end - 1].isspace():
                end -= 1
            spans[i], spans[i + 1] = (a, end), (b - 1, d)  # an opening mark ends the sentence: it opens the next
        elif c == b and d - c > 1 and text[c] in '"”»' and text[c + 1].isspace() and _STOP_AT_END.search(text, a, b):
            start = c + 1
            while start < d and text[start].isspace():
                start += 1
            spans[i], spans[i + 1] = (a, c + 1), (start, d)  # a closing mark starts the sentence: it closes the last
    return [(a, b) for a, b in spans if a < b]


def segment(document: Document, max_words: int | None = None) -> list[Sentence]:
    """Split a document into sentences that keep their offsets into ``document.text``; a sentence of more
    than ``max_words`` words (default ``MAX_SENTENCE_WORDS``; 0: never) is split into pieces (see ``cap_sentences``)."""
    text = document.text
    sentences: list[Sentence] = []
    for block_start, block_end, paragraph in blocks(text):
        bounds = [block_start, *quoted_ends(text, block_start, block_end), block_end]
        found = [span for chunk in pairwise(bounds) for span in _sentencex_spans(document.language, text, *chunk)]
        spans: list[tuple[int, int]] = []
        for span in _reattach_quotes(text, found):
            if spans and _continues_quotation(text, spans[-1], span):
                spans[-1] = (spans[-1][0], span[1])
            else:
                spans.append(span)
        for start, end in spans:
            sentences.append(Sentence(len(sentences), text[start:end], start, end, paragraph))
    if max_words == 0:
        return sentences
    return cap_sentences(text, sentences, MAX_SENTENCE_WORDS if max_words is None else max_words).sentences


# Longest sentence, in words, that is checked whole. News sentences are far shorter: the longest of FLORES
# devtest, NTREX and WMT09 (5,534 English and 5,534 Italian lines) has 108 words, their 99.9th percentiles
# are 52-92; ParTUT's legal texts reach 190 (two sentences over 150 in 4,180). Longer is an OCR dump, a pasted
# table or a text without stops, whose word alignment costs the square of its length (checked whole, one sentence
# of 3,000 words took 9 s, of 30,000 words 14 minutes and 2.3 GB).
MAX_SENTENCE_WORDS = 150
# Words a piece of a split sentence aims at: a clause or two, so that the two sides' pieces mostly end at the
# same commas and the aligner's links between them end where both sides agree (it then joins its links into
# pairs of a usual sentence's length: tq.aligner.PIECE_PAIR_WORDS). Pieces of 40 words, a sentence's length,
# ended at different commas on each side: 3,000 words of FLORES as one sentence gave 58 findings where its
# sentences give 16; pieces of 10 joined into pairs of up to 60 words give 21, in the same time.
PIECE_WORDS = 10
MIN_PIECE_WORDS = 5   # no piece shorter (unless the sentence's last is): a fragment aligns to nothing
# A run of characters without spaces counts as one word per this many characters (and may be cut inside
# there, last of all): a 100 KB string without spaces would otherwise be one "word" of unbounded cost.
MAX_WORD_CHARS = 40
_UNITS = re.compile(rf"\S{{1,{MAX_WORD_CHARS}}}")
_STRONG_END = re.compile(rf"[.!?…;:][{_CLOSERS})\]]*$")   # a stop, semicolon or colon ends the word
_COMMA_END = re.compile(rf"[,)\]][{_CLOSERS})\]]*$")
_DASHES = frozenset({"-", "--", "—", "–", "―"})
CONJUNCTIONS = frozenset({  # a clause may start here: English and Italian coordinating and subordinating words
    "and", "or", "but", "nor", "while", "whereas", "although", "because", "since", "so", "which", "who", "when",
    "where", "e", "ed", "o", "od", "oppure", "ma", "però", "mentre", "quando", "perché", "poiché", "quindi",
    "dunque", "né", "che", "cui", "dove", "benché", "sebbene",
})
# A cut's worth by what precedes it: a clause boundary beats a comma beats a conjunction beats a bare word
# boundary, and cutting inside a run of characters is the last resort. One rank is worth being ``PIECE_WORDS``
# words off the aim: a comma 15 words off it still beats a bare space at it.
_RANK_STRONG, _RANK_COMMA, _RANK_CONJUNCTION, _RANK_SPACE, _RANK_INSIDE = 3.0, 2.0, 1.0, 0.0, -5.0


def _abbreviation(word: str) -> bool:
    """'Dr.', 'U.S.', 'J.': a stop that ends no clause."""
    bare = word.rstrip(_CLOSERS + ")]").lstrip(_OPENERS)
    return bare.endswith(".") and (bare[:-1].lower() in TITLES or len(bare) <= 2 or "." in bare[:-1])


def _cut_rank(text: str, left: re.Match, right: re.Match) -> float:
    """How good a boundary between the units ``left`` and ``right`` is for cutting a sentence."""
    if left.end() == right.start():
        return _RANK_INSIDE
    word, following = left.group(), right.group()
    if (_STRONG_END.search(word) and not _abbreviation(word)) or following in _DASHES:
        return _RANK_STRONG
    if _COMMA_END.search(word):
        return _RANK_COMMA
    if following.lstrip(_OPENERS).lower() in CONJUNCTIONS:
        return _RANK_CONJUNCTION
    return _RANK_SPACE


def split_sentence(text: str, start: int, end: int, max_words: int = MAX_SENTENCE_WORDS) -> list[tuple[int, int]]:
    """(start, end) of the pieces of ``text[start:end]``, each of at most ``max_words`` units (words, a long
    run of characters counting one per ``MAX_WORD_CHARS``); one piece when it is no longer than that.

    Greedy, left to right: each piece ends at the best boundary (``_cut_rank``, less how far it lies from
    ``PIECE_WORDS``) among those that leave it and the rest at least ``MIN_PIECE_WORDS``. Linear in the
    sentence's length: each boundary is ranked once, and each cut weighs at most ``max_words`` of them
    (fewer: none further than the best rank can make up). Pieces are stripped of whitespace: only
    whitespace lies between them.
    """
    units = list(_UNITS.finditer(text, start, end))
    if len(units) <= max_words:
        return [(start, end)]
    ranks = [_cut_rank(text, left, right) for left, right in pairwise(units)]  # ranks[k]: cut after unit k
    least = max(1, min(MIN_PIECE_WORDS, max_words // 2))
    aim = min(PIECE_WORDS, max_words)
    pieces: list[tuple[int, int]] = []
    first = 0
    # the last piece too is cut to the aim (so it ends where the other side's does), and kept within the cap
    while len(units) - first > min(max_words, aim + least):
        remaining = len(units) - first
        best, best_value = first + least, float("-inf")
        for size in range(least, min(max_words, remaining - least) + 1):
            distance = abs(size - aim) / aim
            if size > aim and _RANK_STRONG - distance <= best_value:
                break  # no boundary further on can beat the best one
            value = ranks[first + size - 1] - distance
            if value > best_value:
                best, best_value = first + size, value
        pieces.append((units[first].start(), units[best - 1].end()))
        first = best
    pieces.append((units[first].start(), units[-1].end()))
    return pieces


class Capped(NamedTuple):
    """Sentences after ``cap_sentences``: the pieces of a split sentence in its place."""

    sentences: list[Sentence]
    origins: list[int | None]  # per sentence: the index of the over-long sentence it is a piece of, None if whole
    split: list[int]           # the length in words of each sentence that was split (what a report's note tells)


def cap_sentences(text: str, sentences: list[Sentence], max_words: int = MAX_SENTENCE_WORDS) -> Capped:
    """The sentences, renumbered, with each one over ``max_words`` units split into pieces (``split_sentence``)."""
    out: list[Sentence] = []
    origins: list[int | None] = []
    split: list[int] = []
    for sentence in sentences:
        spans = split_sentence(text, sentence.start, sentence.end, max_words)
        if len(spans) > 1:
            split.append(len(sentence.text.split()))
        for start, end in spans:
            out.append(Sentence(len(out), text[start:end], start, end, sentence.paragraph))
            origins.append(sentence.index if len(spans) > 1 else None)
    return Capped(out, origins, split)


def split_note(split: list[int], what: str = "sentence", max_words: int = MAX_SENTENCE_WORDS) -> str:
    """The report's note on split sentences: '2 over-long sentences (longest 30,000 words) were split …'."""
    many = len(split) > 1
    return (f"{len(split)} over-long {what}{'s' if many else ''} (longest {max(split):,} words) "
            f"{'were' if many else 'was'} split into pieces of at most {max_words} words for checking")


def sentences_from_list(lines: list[str]) -> tuple[str, list[Sentence]]:
    """Pre-segmented input: join with newlines and keep each line as one sentence."""
    sentences, parts, offset = [], [], 0
    for index, line in enumerate(lines):
        sentences.append(Sentence(index, line, offset, offset + len(line), index))
        parts.append(line)
        offset += len(line) + 1
    return "\n".join(parts), sentences
