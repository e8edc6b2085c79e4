"""markup: article bodies as a CMS holds them (HTML, Markdown) -> the plain text tq checks, plus a map back.

The pipeline checks plain text; an editor fixes the markup. ``read_markup`` gives both: the text a reader
sees (``MarkupMap.text``) and, for every one of its characters, the span of the original string it came from
(``MarkupMap.starts``/``ends``), so a finding can point into the HTML and ``tq fix`` can write into it.

* Block elements (``p``, ``h1``–``h6``, ``li``, ``blockquote``, ``div``, ``br``, ``tr``, ``td``…; Markdown
  paragraphs, headings, list items, table cells, hard breaks) end sentences: the plain text has a paragraph
  break ``"\\n\\n"`` between blocks (``tq.segment`` never lets a sentence cross one). The break is not in the
  markup: its two characters map to an empty span where the block ends.
* Inline elements (``a``, ``em``, ``strong``, ``span``…) add nothing: ``a <a href="x">link</a> here`` reads
  ``a link here``. Whitespace collapses to one space as a browser shows it (a line break inside a ``<p>`` is
  not a sentence end), mapped to the whole run.
* Entities (``&amp;``, ``&nbsp;``, ``&#8217;``) decode to their character, mapped to the whole entity.
* ``head``/``title``, ``script``, ``style``, ``template``, ``noscript``, comments and Markdown code blocks
  are not body text: dropped.

Why the mapping is hand-written: neither lxml nor markdown-it gives source offsets for text (lxml's
``sourceline`` is a line, markdown-it's ``map`` a range of lines). So for HTML, the standard library's
``html.parser.HTMLParser`` walks the original string (its ``getpos()`` places every tag, text run and entity;
it never builds a tree, which is all the map needs) and lxml parses the same string as the reference for what
text the page holds: when the two disagree on the text (markup broken in a way the two read differently),
the document is refused rather than checked or fixed at wrong places. For Markdown, markdown-it-py's tokens
are the reference (they carry the decoded text and, for entities and escapes, the raw markup), and each one
is found in order in the original string; link destinations are skipped with markdown-it's own parsers.
"""
from __future__ import annotations

import html
import re
from array import array
from collections.abc import Iterable
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Literal

from .types import TqError

Kind = Literal["html", "markdown"]
SUFFIXES: dict[str, Kind] = {".html": "html", ".htm": "html", ".xhtml": "html", ".md": "markdown", ".markdown": "markdown"}

# HTML's block-level elements (and br): each starts and ends a block. Anything else, a custom element
# included, is inline: wrongly joining two blocks costs less than splitting a sentence at an <abbr>.
BLOCK_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "body", "br", "caption", "center", "dd", "details", "dialog", "div",
    "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
    "hgroup", "hr", "html", "legend", "li", "main", "menu", "nav", "ol", "option", "p", "pre", "section", "summary",
    "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
})
SKIP_TAGS = frozenset({"head", "title", "script", "style", "template", "noscript"})  # their contents are not body text
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"})
_SPACE = " \t\n\r\f"  # the whitespace HTML collapses (not the no-break space)
_RUNS = re.compile(r"[ \t\n\r\f]+|[^ \t\n\r\f]+")
_LINE_END = re.compile(r"\r\n|\r|\n")
_TAG_NAME = re.compile(r"<\s*(/?)\s*([A-Za-z][\w:-]*)")
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>&~])")


@dataclass(frozen=True, eq=False)
class MarkupMap:
    """The plain text of a markup document and where each of its characters is in the original.

    ``text[i]`` came from ``source[starts[i]:ends[i]]``: one character, a whole entity, a whitespace run, or
    nothing (``starts[i] == ends[i]``: a block break the plain text adds).
    """

    kind: Kind
    source: str
    text: str
    starts: array
    ends: array

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Where ``text[start:end]`` lies in ``source``: from its first character's markup to its last's, so
        tags around it are never included (an empty span: where the text would go)."""
        if start < end:
            return self.starts[start], self.ends[end - 1]
        if start < len(self.text):
            return self.starts[start], self.starts[start]
        at = self.ends[-1] if self.text else 0
        return at, at

    def edit_span(self, start: int, end: int) -> tuple[int, int] | None:
        """Where replacing ``text[start:end]`` changes that text alone: its span in ``source``, or None when it
        crosses markup (a tag, a block break, part of an entity): such an edit is an editor's to make."""
        starts, ends, n = self.starts, self.ends, len(self.text)

        def real(i: int) -> bool:
            return starts[i] < ends[i]

        def same(i: int, j: int) -> bool:  # two characters of one entity
            return starts[i] == starts[j] and ends[i] == ends[j]

        if start == end:  # an insertion: next to text, never inside an entity
            if start > 0 and real(start - 1) and (start == n or not same(start - 1, start)):
                return ends[start - 1], ends[start - 1]
            if start < n and real(start) and (start == 0 or not same(start - 1, start)):
                return starts[start], starts[start]
            return None
        if not all(real(i) for i in range(start, end)):
            return None
        if any(ends[i] != starts[i + 1] and not same(i, i + 1) for i in range(start, end - 1)):
            return None
        if (start > 0 and same(start - 1, start)) or (end < n and same(end - 1, end)):
            return None
        return starts[start], ends[end - 1]

    def escape(self, text: str) -> str:
        """``text`` as it must be written in the markup to read as itself."""
        if self.kind == "html":
            return html.escape(text, quote=False)
        return _MD_SPECIAL.sub(r"\\\1", text)

    def apply(self, edits: Iterable[tuple[int, int, str]]) -> str:
        """``source`` with non-overlapping plain-text edits (start, end, replacement) written in; every tag,
        attribute and character outside them unchanged. An edit that ``edit_span`` refuses raises ValueError."""
        out, at = [], 0
        for start, end, replacement in sorted(edits, key=lambda e: (e[0], e[1])):
            span = self.edit_span(start, end)
            if span is None:
                raise ValueError(f"the edit of characters {start}-{end} crosses markup")
            out += [self.source[at:span[0]], self.escape(replacement)]
            at = span[1]
        out.append(self.source[at:])
        return "".join(out)


class _Builder:
    """Collects plain text and its map: collapses whitespace, puts one paragraph break between blocks."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.starts, self.ends = array("q"), array("q")
        self._space: tuple[int, int] | None = None  # a whitespace run not written yet
        self._break: int | None = None              # a block ended here, and no text since
        self._empty = True

    def block(self, at: int) -> None:
        if self._break is None:
            self._break = at
        self._space = None  # trailing whitespace of a block is dropped

    def _whitespace(self, start: int, end: int) -> None:
        if self._empty or self._break is not None:
            return  # leading whitespace of a block
        if self._space is None:
            self._space = (start, end)
        elif self._space[1] == start:
            self._space = (self._space[0], end)

    def _emit(self, text: str, starts: Iterable[int], ends: Iterable[int]) -> None:
        if not self._empty:
            if self._break is not None:
                self.parts.append("\n\n")
                self.starts.extend((self._break, self._break))
                self.ends.extend((self._break, self._break))
            elif self._space is not None:
                self.parts.append(" ")
                self.starts.append(self._space[0])
                self.ends.append(self._space[1])
        self._space = self._break = None
        self._empty = False
        self.parts.append(text)
        self.starts.extend(starts)
        self.ends.extend(ends)

    def verbatim(self, source: str, start: int, end: int) -> None:
        """``source[start:end]``, character for character."""
        for run in _RUNS.finditer(source, start, end):
            if run.group()[0] in _SPACE:
                self._whitespace(run.start(), run.end())
            else:
                self._emit(run.group(), range(run.start(), run.end()), range(run.start() + 1, run.end() + 1))

    def decoded(self, text: str, start: int, end: int) -> None:
        """``text`` read from ``source[start:end]`` as a whole (an entity, an escape)."""
        if not text:
            return
        if all(ch in _SPACE for ch in text):
            self._whitespace(start, end)
        else:
            self._emit(text, [start] * len(text), [end] * len(text))

    def result(self, kind: Kind, source: str) -> MarkupMap:
        text = "".join(self.parts)
        assert len(text) == len(self.starts) == len(self.ends)
        return MarkupMap(kind, source, text, self.starts, self.ends)


class _HtmlWalker(HTMLParser):
    """Feeds the builder from ``html.parser`` events, placed in the original string by ``getpos()``."""

    def __init__(self, source: str, builder: _Builder, base: int = 0, whole: str | None = None) -> None:
        super().__init__(convert_charrefs=False)  # entities come as their own events, text runs verbatim
        self.source, self.builder, self.base = source, builder, base
        self.whole = source if whole is None else whole  # the string the offsets index (``source`` is at ``base``)
        self.lines = [0, *(m.end() for m in re.finditer("\n", source))]  # HTMLParser counts lines at "\n"
        self.skipping: list[str] = []

    def _at(self) -> int:
        line, column = self.getpos()
        return self.lines[line - 1] + column

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag == "body" and "head" in self.skipping:  # </head> may be left out
            del self.skipping[self.skipping.index("head"):]
        if tag in SKIP_TAGS and tag not in _VOID:
            self.skipping.append(tag)
        elif tag in BLOCK_TAGS and not self.skipping:
            self.builder.block(self.base + self._at())

    def handle_startendtag(self, tag: str, attrs) -> None:
        if tag in BLOCK_TAGS and not self.skipping:
            self.builder.block(self.base + self._at())

    def handle_endtag(self, tag: str) -> None:
        if tag in self.skipping:
            del self.skipping[len(self.skipping) - 1 - self.skipping[::-1].index(tag):]
        elif tag in BLOCK_TAGS and not self.skipping:
            self.builder.block(self.base + self._at())

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            at = self._at()
            assert self.source.startswith(data, at), "html.parser data is not verbatim"
            self.builder.verbatim(self.whole, self.base + at, self.base + at + len(data))

    def _reference(self, prefix: str, name: str) -> None:
        if self.skipping:
            return
        at = self._at()
        end = at + len(prefix) + len(name)
        end += self.source.startswith(";", end)  # html.parser takes the ';' when there is one
        raw = self.source[at:end]
        decoded = html.unescape(raw)
        if decoded == raw:  # not an entity after all ("AT&T"): plain characters
            self.builder.verbatim(self.whole, self.base + at, self.base + end)
        else:
            self.builder.decoded(decoded, self.base + at, self.base + end)

    def handle_entityref(self, name: str) -> None:
        self._reference("&", name)

    def handle_charref(self, name: str) -> None:
        self._reference("&#", name)


def _html_into(source: str, builder: _Builder, base: int = 0, whole: str | None = None) -> None:
    walker = _HtmlWalker(source, builder, base, whole)
    walker.feed(source)
    walker.close()


def _lxml_text(source: str) -> str:
    """The page's text as lxml (libxml2's HTML parser) reads it, without what ``read_markup`` drops."""
    import lxml.etree
    import lxml.html

    parser = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True)
    try:  # bytes: lxml refuses a str that declares an encoding
        root = lxml.html.document_fromstring(source.encode("utf-8", "surrogatepass"), parser=parser)
    except lxml.etree.ParserError:  # "Document is empty"
        return ""
    for element in root.xpath("|".join(f"//{tag}" for tag in sorted(SKIP_TAGS))):
        element.drop_tree()  # keeps its tail: the text after it
    return root.text_content()


def _verify_html(mapped: MarkupMap, label: str) -> None:
    """Refuse a page whose text the walker and lxml read differently (whitespace aside)."""
    mine = "".join(mapped.text.split())
    theirs = "".join(_lxml_text(mapped.source).split())
    if mine == theirs:
        return
    differs = next((i for i, (a, b) in enumerate(zip(mine, theirs)) if a != b), min(len(mine), len(theirs)))
    seen, where = 0, len(mapped.source)
    for index, char in enumerate(mapped.text):  # the plain character where the two first differ
        if not char.isspace():
            if seen == differs:
                where = mapped.starts[index]
                break
            seen += 1
    raise TqError(f"{label}: the HTML reads differently to two parsers near character {where} (broken markup?): "
                  f"repair it, or check the text as a .txt file")


class _MarkdownWalker:
    """Finds each markdown-it token, in order, in the original string and feeds the builder."""

    def __init__(self, source: str, builder: _Builder) -> None:
        self.source, self.builder, self.at = source, builder, 0
        self.lines = [0, *(m.end() for m in _LINE_END.finditer(source))]  # markdown-it counts "\r\n", "\r", "\n"

    def _find(self, piece: str) -> int | None:
        found = self.source.find(piece, self.at)
        return None if found < 0 else found

    def _line(self, number: int) -> int:
        return self.lines[number] if number < len(self.lines) else len(self.source)

    def walk(self, tokens) -> None:
        for token in tokens:
            if token.map:
                self.at = max(self.at, self._line(token.map[0]))
            if token.type == "inline":
                self._inline(token.children or [])
            elif token.type in ("fence", "code_block"):  # code, not prose
                self.builder.block(self.at)
                self.at = max(self.at, self._line(token.map[1])) if token.map else self.at
            elif token.type == "html_block":
                self.builder.block(self.at)
                block = token.content.rstrip("\n")
                found = self._find(block)
                if found is not None:
                    _html_into(block, self.builder, found, self.source)
                    self.at = found + len(block)
                self.builder.block(self.at)
            elif token.block and token.nesting != 0 or token.type == "hr":
                self.builder.block(self.at)

    def _text(self, piece: str, decoded: str | None = None) -> None:
        """A piece of inline source: written verbatim, or as ``decoded`` mapped to the whole piece."""
        found = self._find(piece)
        if found is None:  # not where the tokens say (should not happen): readable, never editable
            self.builder.decoded(decoded if decoded is not None else piece, self.at, self.at)
            return
        if decoded is None:
            self.builder.verbatim(self.source, found, found + len(piece))
        else:
            self.builder.decoded(decoded, found, found + len(piece))
        self.at = found + len(piece)

    def _skip(self, piece: str) -> None:
        found = self._find(piece)
        if found is not None:
            self.at = found + len(piece)

    def _inline(self, children) -> None:
        for child in children:
            kind = child.type
            if kind == "text":
                self._text(child.content)
            elif kind == "text_special":  # an entity or a backslash escape: its markup is the source
                self._text(child.markup, child.content)
            elif kind == "softbreak":  # a line end inside a paragraph reads as a space
                found = _LINE_END.search(self.source, self.at)
                if found:
                    self.builder.decoded(" ", found.start(), found.end())
                    self.at = found.end()
            elif kind == "hardbreak":
                self._skip("\n")
                self.builder.block(self.at)
            elif kind == "code_inline":
                self._skip(child.markup)
                self._text(child.content)
                self._skip(child.markup)
            elif kind == "link_open":
                self._skip("<" if child.markup == "autolink" else "[")
            elif kind == "link_close":
                if child.markup == "autolink":
                    self._skip(">")
                else:
                    self._skip("]")
                    self._link_tail()
            elif kind == "image":  # ![alt](src): not body text
                image_at = self._find("![")
                if image_at is not None:
                    self.at = image_at + 2 + len(child.content)
                    self._skip("]")
                    self._link_tail()
            elif kind == "html_inline":
                name = _TAG_NAME.match(child.content)
                if name and name.group(2).lower() in BLOCK_TAGS:
                    self.builder.block(self.at)
                self._skip(child.content)
            elif child.markup:  # emphasis, strong, strikethrough delimiters
                self._skip(child.markup)

    def _link_tail(self) -> None:
        """Skip what follows a link's ``]``: ``(destination "title")`` or a ``[reference]``."""
        from markdown_it.helpers import parseLinkDestination, parseLinkTitle

        source, pos, end = self.source, self.at, len(self.source)
        if source.startswith("[", pos):
            close = source.find("]", pos)
            self.at = close + 1 if close >= 0 else pos
            return
        if not source.startswith("(", pos):
            return
        pos = _skip_spaces(source, pos + 1)
        destination = parseLinkDestination(source, pos, end)
        if destination.ok:
            after = _skip_spaces(source, destination.pos)
            title = parseLinkTitle(source, after, end)
            if after != destination.pos and title.ok:
                after = title.pos
            pos = _skip_spaces(source, after)
        if source.startswith(")", pos):
            self.at = pos + 1


def _skip_spaces(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \t\n\r":
        pos += 1
    return pos


def _markdown_parser():
    """CommonMark with tables and strikethrough; entities and escapes kept as their own tokens (their markup is
    the source a character maps to: ``text_join`` would merge them into plain text)."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable(["table", "strikethrough"]).disable("text_join")


def read_markup(source: str, kind: Kind, label: str = "<markup>") -> MarkupMap:
    """The plain text of ``source`` (HTML or Markdown) and the map back to it (see the module docstring)."""
    builder = _Builder()
    if kind == "html":
        _html_into(source, builder)
        mapped = builder.result(kind, source)
        _verify_html(mapped, label)
        return mapped
    if kind == "markdown":
        _MarkdownWalker(source, builder).walk(_markdown_parser().parse(source))
        return builder.result(kind, source)
    raise TqError(f"unknown markup {kind!r} (html or markdown)")


def markup_of(name: str) -> Kind | None:
    """The markup a file name's suffix says (``article.html`` -> html), None for plain text."""
    lowered = name.lower()
    return next((kind for suffix, kind in SUFFIXES.items() if lowered.endswith(suffix)), None)
