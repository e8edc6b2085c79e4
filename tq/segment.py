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
"""
from __future__ import annotations

import re
from itertools import pairwise

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
    paragraph, start, end, previous_blank, previous_length = -1, None, None, True, 0
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
    for piece in sentencex.segment(language, chunk):
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


def segment(document: Document) -> list[Sentence]:
    """Split a document into sentences that keep their offsets into ``document.text``."""
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
    return sentences


def sentences_from_list(lines: list[str]) -> tuple[str, list[Sentence]]:
    """Pre-segmented input: join with newlines and keep each line as one sentence."""
    sentences, parts, offset = [], [], 0
    for index, line in enumerate(lines):
        sentences.append(Sentence(index, line, offset, offset + len(line), index))
        parts.append(line)
        offset += len(line) + 1
    return "\n".join(parts), sentences
