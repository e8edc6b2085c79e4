"""read: path, bytes or str -> Document.

Decoding is hand-written because the choices are few and must be
predictable for editors: a BOM wins, then strict UTF-8, then UTF-16 without
BOM (recognised by its NUL pattern), then Windows-1252 (a superset of
Latin-1's printable range, the usual encoding of Italian Windows files).
charset detectors guess among dozens of code pages on short texts and
sometimes pick the wrong one; an explicit ``encoding=`` always wins.
Input files are opened read-only and never written.

An HTML or Markdown article (a path ending .html/.htm/.md/.markdown, or
``markup="html"|"markdown"``) is read into its plain text by ``tq.markup``:
the Document's ``text`` is what the pipeline checks, its ``markup`` the map
back to the file.
"""
from __future__ import annotations

import codecs
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from .types import Document, TqError

if TYPE_CHECKING:
    from .markup import Kind

DEFAULT_MAX_BYTES = 2_000_000  # a long news article is < 100 kB; see --max-size

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_SURROGATE = re.compile("[\ud800-\udfff]")


def read_document(
    source: str | bytes | os.PathLike,
    language: str,
    *,
    name: str | None = None,
    encoding: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    markup: Literal["html", "markdown", "text"] | None = None,
) -> Document:
    """Read a path (``Path``), raw bytes, or text (``str``) into a Document.

    A ``str`` is taken as the text itself; pass a ``Path`` to read a file. ``markup`` says the input is HTML
    or Markdown ("text": plain, whatever the suffix); None: a path's suffix says, bytes and ``str`` are plain.
    """
    kind: Kind | None = None
    if markup not in (None, "html", "markdown", "text"):
        raise TqError(f"unknown markup {markup!r} (html, markdown or text)")
    if isinstance(source, str):
        text, used, label = source, "str", name or "<text>"
    else:
        if isinstance(source, bytes):
            data, label = source, name or "<bytes>"
        else:
            data, label = _read_file(Path(source), max_bytes), name or str(source)
            if markup is None:
                from .markup import markup_of

                kind = markup_of(Path(source).name)
        if len(data) > max_bytes:
            raise TqError(f"{label}: {len(data) / 1e6:.1f} MB is over the {max_bytes / 1e6:g} MB limit (raise it with --max-size)")
        text, used = decode(data, label, encoding)
    if len(text.encode("utf-8", "surrogatepass")) > max_bytes:
        raise TqError(f"{label}: text is over the {max_bytes / 1e6:g} MB limit (raise it with --max-size)")
    if not text.strip():
        raise TqError(f"{label}: the file is empty")
    refuse_surrogates(text, label)
    if _looks_binary(text):
        raise TqError(f"{label}: looks like a binary file, not text")
    if markup in ("html", "markdown"):
        kind = markup
    if kind is None:
        return Document(text=text, language=language, name=label, encoding=used)
    from .markup import read_markup

    mapped = read_markup(text, kind, label)
    if not mapped.text.strip():
        raise TqError(f"{label}: the {'HTML' if kind == 'html' else 'Markdown'} holds no text")
    return Document(text=mapped.text, language=language, name=label, encoding=used, markup=mapped)


def _read_file(path: Path, max_bytes: int) -> bytes:
    try:
        if path.is_dir():
            raise TqError(f"{path}: is a directory, not a text file")
        size = path.stat().st_size
        if size > max_bytes:
            raise TqError(f"{path}: {size / 1e6:.1f} MB is over the {max_bytes / 1e6:g} MB limit (raise it with --max-size)")
        with open(path, "rb") as handle:  # read-only: tq never modifies its inputs
            return handle.read(max_bytes + 1)
    except FileNotFoundError:
        raise TqError(f"{path}: no such file") from None
    except PermissionError:
        raise TqError(f"{path}: permission denied") from None
    except OSError as exc:
        raise TqError(f"{path}: cannot read ({exc.strerror or exc})") from None


def decode(data: bytes, label: str = "<bytes>", encoding: str | None = None) -> tuple[str, str]:
    """Return (text, encoding used)."""
    if encoding:
        try:
            return data.decode(encoding), encoding
        except LookupError:
            raise TqError(f"unknown encoding {encoding!r}") from None
        except UnicodeDecodeError as exc:
            raise TqError(f"{label}: not valid {encoding} (byte {exc.start})") from None
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec), codec.replace("-sig", "")
            except UnicodeDecodeError:
                raise TqError(f"{label}: starts with a {codec} byte-order mark but is not valid {codec}") from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    utf16 = _utf16_without_bom(data)
    if utf16:
        try:
            return data.decode(utf16), utf16
        except UnicodeDecodeError:
            pass
    if b"\x00" in data:
        raise TqError(f"{label}: looks like a binary file, not text")
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def refuse_surrogates(text: str, label: str) -> None:
    """A ``str`` with a lone surrogate (``"\\ud800"``, left by ``errors="surrogateescape"``) is not text: no encoder,
    segmenter or UTF-8 report can take it, so it is refused here rather than failing deep inside a model."""
    found = _SURROGATE.search(text)
    if found:
        raise TqError(f"{label}: not valid Unicode text (a lone surrogate, U+{ord(found.group()):04X}, "
                      f"at character {found.start()})")


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text of a Latin-script language has a NUL in every other byte."""
    sample = data[:4000]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.05 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.4 * len(even) and odd.count(0) < 0.05 * len(odd):
        return "utf-16-be"
    return None


def _looks_binary(text: str) -> bool:
    sample = text[:20000]
    controls = sum(1 for ch in sample if (ord(ch) < 32 and ch not in "\n\r\t\f\v") or ch == "\ufffd")
    return controls > max(2, 0.01 * len(sample))
