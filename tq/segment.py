"""segment: Document -> list[Sentence], with character offsets into the original text.

Blocks come first: a blank line, or a line break that is not a hard wrap (a
long line followed by one that continues in lower case), always ends a
sentence: headlines, bylines and datelines stand alone. Inside a block, sentence boundaries come from ``sentencex``
(Wikimedia's rule-based segmenter: abbreviations and quotes for ~300
languages, Italian and English included).
"""
from __future__ import annotations

import re

from .types import Document, Sentence

WRAPPED_LINE = 50  # a line at least this long, continued in lower case, was hard-wrapped
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n|$)")


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


def segment(document: Document) -> list[Sentence]:
    """Split a document into sentences that keep their offsets into ``document.text``."""
    import sentencex

    text = document.text
    sentences: list[Sentence] = []
    for block_start, block_end, paragraph in blocks(text):
        block = text[block_start:block_end]
        cursor = 0
        for piece in sentencex.segment(document.language, block):
            piece = piece.strip()
            if not piece:
                continue
            found = block.find(piece, cursor)
            if found < 0:  # the segmenter normalised something: fall back to the rest of the block
                found = cursor
                piece = block[cursor:].strip()
            start = block_start + found
            sentences.append(Sentence(len(sentences), text[start:start + len(piece)], start, start + len(piece), paragraph))
            cursor = found + len(piece)
            if cursor >= len(block):
                break
    return sentences


def sentences_from_list(lines: list[str]) -> tuple[str, list[Sentence]]:
    """Pre-segmented input: join with newlines and keep each line as one sentence."""
    sentences, parts, offset = [], [], 0
    for index, line in enumerate(lines):
        sentences.append(Sentence(index, line, offset, offset + len(line), index))
        parts.append(line)
        offset += len(line) + 1
    return "\n".join(parts), sentences
