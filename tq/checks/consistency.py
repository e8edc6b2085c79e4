"""The same name spelt two ways in one translation (Kiev / Kyiv)."""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from functools import lru_cache

from rapidfuzz.distance import Levenshtein

from . import Check, CheckContext, register
from ..text import bundled_table, zipf

_CAPITALISED = re.compile(r"\b[A-Z][a-z]{3,}\b")


@lru_cache(maxsize=1)
def variant_groups() -> dict[str, tuple[str, ...]]:
    """Each known variant -> its group (preferred spelling first)."""
    return {name: group for group in bundled_table("variants.en.tsv") for name in group}


@register
class NameConsistencyCheck(Check):
    id = "name-consistency"
    category = "style/consistency"
    description = "one name spelt two ways in the same translation"

    def check_document(self, ctx: CheckContext):
        places: dict[str, list[tuple[int, int, int]]] = defaultdict(list)
        for pair in ctx.pairs:
            for m in _CAPITALISED.finditer(pair.target):
                places[m.group()].append((pair.index, m.start(), m.end()))
        counts = Counter({name: len(spots) for name, spots in places.items()})
        groups = variant_groups()
        clusters: list[set[str]] = []
        names = sorted(counts)
        for name in names:
            if name in groups:
                members = {n for n in groups[name] if n in counts}
                if len(members) > 1 and members not in clusters:
                    clusters.append(members)
        for i, a in enumerate(names):  # unknown names one edit apart: Blinken / Blinkin
            if zipf(a.lower(), "en") >= 3.5:
                continue
            for b in names[i + 1:]:
                if (a[0] == b[0] and zipf(b.lower(), "en") < 3.5 and not (a.startswith(b) or b.startswith(a))
                        and Levenshtein.distance(a, b) == 1 and min(len(a), len(b)) >= 5
                        and not any({a, b} <= c for c in clusters)):
                    clusters.append({a, b})
        for members in clusters:
            # chosen from the names alone, never from a set's order (which changes with PYTHONHASHSEED): the table's
            # group of any member, and at equal counts the preferred spelling, else the one that comes first
            preferred = next((groups[n] for n in sorted(members) if n in groups), ())
            majority = max(members, key=lambda n: (counts[n], n in preferred[:1], tuple(-x for x in min(places[n]))))
            for name in sorted(members - {majority}):
                for pair_index, start, end in places[name]:
                    yield pair_index, self.finding(
                        start, end, "minor", f"'{name}' is spelt '{majority}' elsewhere in this translation ({counts[majority]}x)",
                        suggestion=majority, confidence=0.8)
