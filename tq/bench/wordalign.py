"""``tq bench wordalign``: accuracy and speed of the word aligner (``tq.align_words``) on hand-aligned pairs.

Gold: XL-WA's Italian–English development split (``xlwa/en-it.dev.tsv`` in the shared data folder, 103 pairs
aligned by professional annotators; Martelli et al., CLiC-it 2023; CC BY-NC-SA 4.0, so it is read there and
never copied into the project). Each line is ``English tokens<TAB>Italian tokens<TAB>e-i ...`` with the
English index first; tq aligns Italian to English, so the links are flipped to ``(Italian, English)`` on reading
and the aligner is called as ``align(italian_tokens, english_tokens)`` on XL-WA's own tokens.

Measures, micro-averaged over all links of all pairs:

- precision, recall and F1 of the predicted links, over all words and over content words (a link is a content
  link when both its words are content words: :func:`content_word`);
- AER (Och & Ney 2003), ``1 - (|A∩S| + |A∩P|) / (|A| + |S|)`` for predicted links A, sure links S and possible
  links P. XL-WA has one kind of link, taken as both sure and possible, so here AER = 1 - F1;
- the share of gold-aligned content words that get no predicted link, per side: on a clean translation each
  one is false evidence for an omission (Italian) or an addition (English) check;
- pairs per second: the median of several passes over all pairs, timing the aligner's calls alone, after one
  warm-up call (which loads whatever the aligner loads).

:func:`evaluate` takes any aligner with the contract of ``tq.align_words`` (links ``(i, j, probability)``
between 0-based token indices, source first), so scripts can compare others on the same gold.
"""
from __future__ import annotations

import json
import statistics
import sys
import time
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import asdict, dataclass, fields
from pathlib import Path

from rich.console import Console
from rich.table import Table

from . import find_data

XLWA_DEV = Path("xlwa") / "en-it.dev.tsv"
PASSES = 3

WordLink = tuple[int, int]                     # (Italian token, English token), 0-based
Aligner = Callable[[list[str], list[str]], Iterable[tuple[int, int, float]]]


@dataclass(frozen=True)
class GoldPair:
    """One hand-aligned pair: Italian and English tokens and the gold links between them (Italian index first)."""

    it: tuple[str, ...]
    en: tuple[str, ...]
    links: frozenset[WordLink]


def read_xlwa(path: Path) -> list[GoldPair]:
    """XL-WA's ``English<TAB>Italian<TAB>e-i ...`` lines as pairs with ``(Italian, English)`` links."""
    pairs = []
    for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
        if not line.strip():
            continue
        cells = line.split("\t")
        if len(cells) != 3:
            raise ValueError(f"{path}:{number}: expected 3 tab-separated fields, found {len(cells)}")
        en, it = tuple(cells[0].split(" ")), tuple(cells[1].split(" "))
        links = set()
        for link in cells[2].split():
            e, _, i = link.partition("-")
            if not (e.isdigit() and i.isdigit()) or int(e) >= len(en) or int(i) >= len(it):
                raise ValueError(f"{path}:{number}: bad link {link!r} ({len(en)} English, {len(it)} Italian tokens)")
            links.add((int(i), int(e)))
        pairs.append(GoldPair(it, en, frozenset(links)))
    return pairs


def content_word(token: str, lang: str) -> bool:
    """A token that carries meaning (tq.lexicon.is_content), once an elision's or clitic's apostrophe is stripped
    (dell', 's); a token without a letter (punctuation, a number) never is."""
    from ..lexicon import is_content
    from ..text import APOSTROPHES

    word = token.strip(APOSTROPHES)
    return any(ch.isalpha() for ch in word) and is_content(word, lang)


@dataclass
class Counts:
    """Link and word counts, summed over pairs; the measures are their ratios (micro-averages)."""

    predicted: int = 0        # |A|
    sure: int = 0             # |S| (the gold links recall counts)
    sure_hits: int = 0        # |A ∩ S|
    possible_hits: int = 0    # |A ∩ P| (what precision counts)
    content_predicted: int = 0
    content_gold: int = 0
    content_sure_hits: int = 0
    content_possible_hits: int = 0
    it_content_aligned: int = 0   # Italian content words with a gold link
    it_content_unlinked: int = 0  # ... of which no predicted link touches
    en_content_aligned: int = 0
    en_content_unlinked: int = 0

    def __iadd__(self, other: Counts) -> Counts:
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))
        return self

    @property
    def words(self) -> tuple[float, float, float]:
        return prf(self.possible_hits, self.predicted, self.sure_hits, self.sure)

    @property
    def content(self) -> tuple[float, float, float]:
        return prf(self.content_possible_hits, self.content_predicted, self.content_sure_hits, self.content_gold)

    @property
    def aer(self) -> float:
        total = self.predicted + self.sure
        return 1.0 - (self.sure_hits + self.possible_hits) / total if total else 0.0

    def unlinked_share(self, side: str) -> float:
        aligned = getattr(self, f"{side}_content_aligned")
        return getattr(self, f"{side}_content_unlinked") / aligned if aligned else 0.0


def prf(precise: int, predicted: int, recalled: int, gold: int) -> tuple[float, float, float]:
    """(precision, recall, F1); an empty prediction or gold scores 0, not a division by zero."""
    p = precise / predicted if predicted else 0.0
    r = recalled / gold if gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def score_pair(predicted: Collection[WordLink], pair: GoldPair, possible: Collection[WordLink] | None = None) -> Counts:
    """The counts of one pair: ``predicted`` links against the pair's gold links as sure links, and ``possible``
    links (default: the same gold; a superset of the sure ones where a corpus has both kinds)."""
    links, sure = set(predicted), set(pair.links)
    allowed = sure | set(possible or ())
    it_content = [content_word(token, "it") for token in pair.it]
    en_content = [content_word(token, "en") for token in pair.en]

    def content(links: set[WordLink]) -> set[WordLink]:
        return {(i, j) for i, j in links if it_content[i] and en_content[j]}

    counts = Counts(len(links), len(sure), len(links & sure), len(links & allowed))
    counts.content_predicted, counts.content_gold = len(content(links)), len(content(sure))
    counts.content_sure_hits = len(content(links) & sure)
    counts.content_possible_hits = len(content(links) & allowed)
    for side, flags, index in (("it", it_content, 0), ("en", en_content, 1)):
        aligned = {link[index] for link in sure if flags[link[index]]}
        linked = {link[index] for link in links}
        setattr(counts, f"{side}_content_aligned", len(aligned))
        setattr(counts, f"{side}_content_unlinked", len(aligned - linked))
    return counts


def _checked(links: Iterable[tuple[int, int, float]], pair: GoldPair, number: int, threshold: float | None) -> set[WordLink]:
    """The links at or above ``threshold``, refusing any that points outside the pair (an aligner's bug)."""
    kept = set()
    for i, j, probability in links:
        if not (0 <= i < len(pair.it) and 0 <= j < len(pair.en)):
            raise ValueError(f"pair {number}: link {i}-{j} outside the pair ({len(pair.it)} Italian, {len(pair.en)} English tokens)")
        if threshold is None or probability >= threshold:
            kept.add((int(i), int(j)))
    return kept


def _tq_aligner() -> Aligner:
    from ..wordalign import align_words

    return lambda it, en: align_words(it, en, src_lang="it", tgt_lang="en")


def evaluate(pairs: Sequence[GoldPair], align: Aligner | None = None, threshold: float | None = None,
             passes: int = PASSES) -> dict:
    """Align every pair ``passes`` times (after one warm-up call) and score the first pass's links.

    ``align(italian_tokens, english_tokens)`` returns ``(i, j, probability)`` links (default: tq.align_words);
    ``threshold`` keeps only links of at least that probability. Returns the measures as a JSON-ready dict.
    """
    align = align or _tq_aligner()
    if pairs:
        list(align(list(pairs[0].it), list(pairs[0].en)))  # warm-up: models load here, not in the timed passes
    seconds: list[float] = []
    first: list[list[tuple[int, int, float]]] = []
    for _ in range(max(passes, 1)):
        elapsed = 0.0
        found = []
        for pair in pairs:
            it, en = list(pair.it), list(pair.en)
            start = time.perf_counter()
            links = list(align(it, en))
            elapsed += time.perf_counter() - start
            found.append(links)
        seconds.append(elapsed)
        first = first or found
    counts = Counts()
    for number, (pair, links) in enumerate(zip(pairs, first), 1):
        counts += score_pair(_checked(links, pair, number, threshold), pair)
    median = statistics.median(seconds)

    def measures(values: tuple[float, float, float], predicted: int, gold: int, correct: int) -> dict:
        return {"precision": values[0], "recall": values[1], "f1": values[2], "predicted": predicted, "gold": gold,
                "correct": correct}

    return {"pairs": len(pairs), "threshold": threshold,
            "all": measures(counts.words, counts.predicted, counts.sure, counts.sure_hits),
            "content": measures(counts.content, counts.content_predicted, counts.content_gold, counts.content_sure_hits),
            "aer": counts.aer,
            "unlinked_content": {side: {"gold_aligned": getattr(counts, f"{side}_content_aligned"),
                                        "unlinked": getattr(counts, f"{side}_content_unlinked"),
                                        "share": counts.unlinked_share(side)} for side in ("it", "en")},
            "speed": {"pairs_per_second": len(pairs) / median if median > 0 else None, "pass_seconds": seconds,
                      "passes": len(seconds)},
            "counts": asdict(counts)}


def run_wordalign_bench(data_dir: str | None, threshold: float | None = None, json_path: str | None = None,
                        passes: int = PASSES) -> int:
    """Print tq.align_words's accuracy and speed on XL-WA's Italian–English dev split (skipped without it)."""
    from .speed import _machine

    console = Console(width=None if sys.stdout.isatty() else 150)  # a log keeps the tables' columns readable
    data = find_data(data_dir)
    if data is None or not (data / XLWA_DEV).exists():
        console.print(f"tq bench wordalign: skipped, no {XLWA_DEV} in the shared data folder (../shared/data); pass --data DIR")
        return 0
    pairs = read_xlwa(data / XLWA_DEV)
    result = evaluate(pairs, threshold=threshold, passes=passes)
    kept = "all links" if threshold is None else f"links with probability ≥ {threshold:g}"
    table = Table(title=f"tq.align_words on XL-WA it-en dev: {len(pairs)} hand-aligned pairs, {kept} (data {data})",
                  title_justify="left")
    for column in ("words", "predicted links", "gold links", "correct", "precision", "recall", "F1"):
        table.add_column(column, justify="right" if column != "words" else "left")
    for name, label in (("all", "all"), ("content", "content (both words)")):
        row = result[name]
        table.add_row(label, str(row["predicted"]), str(row["gold"]), str(row["correct"]),
                      *(f"{row[key]:.3f}" for key in ("precision", "recall", "f1")))
    console.print(table)

    machine = _machine()
    speed = result["speed"]
    rate = speed["pairs_per_second"]
    more = Table(title="AER, gold-aligned content words left without a link, speed", title_justify="left",
                 caption=f"machine: {machine}", caption_justify="left")
    for column in ("measure", "value", "detail"):
        more.add_column(column, justify="right" if column == "value" else "left")
    more.add_row("AER", f"{result['aer']:.3f}", "gold links taken as both sure and possible (XL-WA has one kind)")
    for side, language in (("it", "Italian"), ("en", "English")):
        row = result["unlinked_content"][side]
        more.add_row(f"{language} content words unlinked", f"{row['share']:.1%}",
                     f"{row['unlinked']} of {row['gold_aligned']} with a gold link have no predicted link")
    more.add_row("pairs per second", "—" if rate is None else f"{rate:.1f}",
                 f"median of {speed['passes']} passes over the pairs, timing the aligner's calls alone, after a warm-up")
    console.print(more)
    if json_path:
        Path(json_path).write_text(json.dumps({"data": str(data / XLWA_DEV), "machine": machine, **result}, indent=1), "utf-8")
    return 0
