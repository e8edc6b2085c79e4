"""TMX 1.4 export of an alignment, through translate-toolkit, for CAT tools' translation memories.

Only links with text on both sides become translation units (a translation
memory has no use for an unpaired sentence).
"""
from __future__ import annotations

from collections.abc import Sequence

from ..types import Link, TqError


def alignment_tmx(links: Sequence[Link], source: Sequence[str], target: Sequence[str], src_lang: str, tgt_lang: str) -> bytes:
    try:
        from translate.storage.tmx import tmxfile
    except ImportError:
        raise TqError("TMX output needs translate-toolkit: pip install translate-toolkit") from None
    memory = tmxfile(sourcelanguage=src_lang, targetlanguage=tgt_lang)
    for link in links:
        if link.src_ids and link.tgt_ids:
            memory.addtranslation(" ".join(source[i] for i in link.src_ids), src_lang,
                                  " ".join(target[j] for j in link.tgt_ids), tgt_lang)
    return bytes(memory)
