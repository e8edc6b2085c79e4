"""``tq bench repair``: garbles made from clean news English, and how the repair stage finds and undoes them.

Sentences come from the shared clean corpora (FLORES devtest, NTREX, WMT09
newstest2009) with their Italian sources, split into development and held-out
halves by document (:func:`tq.bench.errorsuite.split_of`). Each chosen sentence
gives one garble, of one of these kinds in turn:

- ``moved-span``: 1-2 words moved 2-4 places;
- ``dangling-word``, ``doubled-word``, ``italian-order``: the error suite's own
  (:mod:`tq.bench.errorsuite`: a function word left where nothing can follow
  it, a word written twice, an adjective after its noun or a pronoun before
  its verb);
- ``dropped-function-word``: an article, preposition or conjunction left out;
- ``two-garbles``: two of the above in one sentence.

Every sentence is checked twice, garbled and clean, each set as a batch of
pre-aligned pairs through the whole pipeline with the LM. The repair
threshold is then chosen on the development half alone (the lowest that
proposes a repair on at most ``CLEAN_AIM`` of its clean sentences) and the
held-out half is reported at it: detected at major+ (any major or critical
finding, the repair's included), the original restored exactly, repairs on
clean sentences, and pairs per second.
"""
from __future__ import annotations

import json
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console
from rich.table import Table

from . import find_data
from ..types import SEVERITY_RANK

CLEAN_AIM = 0.01     # repairs proposed on clean development sentences at the chosen threshold, at most
MIN_WORDS, MAX_WORDS = 8, 40
_FUNCTION = ("the", "of", "to", "a", "in", "for", "from", "with", "on", "by", "that", "and", "an", "at", "as")


def moved_span(source: str, english: str, rng: random.Random) -> str | None:
    """1-2 words (no name, number or final stop) moved 2-4 places, never to or from the first place."""
    from ..repair import between_words, render, respace, tokenize

    tokens, tail = tokenize(english)
    choices = []
    for k in range(1, len(tokens) - 2):
        for length in (1, 2):
            span = tokens[k:k + length]
            if len(span) == length and all(t.word and not t.text[:1].isupper() and not t.text[:1].isdigit() for t in span):
                choices += [(k, length, d) for d in (-4, -3, -2, 2, 3, 4) if 1 <= k + d <= len(tokens) - length - 1
                            and between_words(tokens[:k] + tokens[k + length:], k + d)]
    if not choices:
        return None
    k, length, d = rng.choice(choices)
    rest = tokens[:k] + tokens[k + length:]
    moved = rest[:k + d] + tokens[k:k + length] + rest[k + d:]
    return render(respace(moved, {k, k + d, k + d + length}), tail)


def dropped_function_word(source: str, english: str, rng: random.Random) -> str | None:
    """An article, preposition or conjunction left out (never the first word)."""
    from ..repair import render, respace, tokenize

    tokens, tail = tokenize(english)
    choices = [k for k, t in enumerate(tokens) if k > 0 and t.text in _FUNCTION]
    if not choices:
        return None
    k = rng.choice(choices)
    return render(respace(tokens[:k] + tokens[k + 1:], {k}), tail)


def _suite_kind(name: str) -> Callable[[str, str, random.Random], str | None]:
    def make(source: str, english: str, rng: random.Random) -> str | None:
        from . import errorsuite

        corruption = getattr(errorsuite, name)(source, english, rng, ())
        return None if corruption is None else corruption.text
    return make


KINDS: dict[str, Callable[[str, str, random.Random], str | None]] = {
    "moved-span": moved_span,
    "dangling-word": _suite_kind("dangling_word"),
    "dropped-function-word": dropped_function_word,
    "doubled-word": _suite_kind("repeated_word"),
    "italian-order": _suite_kind("word_order"),
}


def two_garbles(source: str, english: str, rng: random.Random) -> str | None:
    """Two garbles of different kinds, the second made on the first's output."""
    first, second = rng.sample(sorted(KINDS), 2)
    once = KINDS[first](source, english, rng)
    return None if once is None else KINDS[second](source, once, rng)


ALL_KINDS = (*KINDS, "two-garbles")


@dataclass(frozen=True)
class Garble:
    split: str
    kind: str
    source: str
    original: str
    garbled: str


def build_garbles(data: Path, per_split: int, seed: int) -> list[Garble]:
    """``per_split`` garbles per half, the kinds in turn, each from its own sentence."""
    from .errorsuite import load_pairs, split_of

    rng = random.Random(seed)
    pairs = [p for p in load_pairs(data) if MIN_WORDS <= len(p.reference.split()) <= MAX_WORDS]
    rng.shuffle(pairs)
    out: list[Garble] = []
    counts = {"dev": 0, "test": 0}
    for pair in pairs:
        split = split_of(pair.corpus, pair.doc)
        if counts[split] >= per_split:
            if all(n >= per_split for n in counts.values()):
                break
            continue
        kind = ALL_KINDS[counts[split] % len(ALL_KINDS)]
        make = two_garbles if kind == "two-garbles" else KINDS[kind]
        garbled = make(pair.source, pair.reference, rng)
        if garbled is None or garbled == pair.reference:
            continue
        out.append(Garble(split, kind, pair.source, pair.reference, garbled))
        counts[split] += 1
    return out


@dataclass
class Outcome:
    """What tq did with one sentence: its worst severity apart from the repair, and the best repair (score, text)."""

    worst_other: int
    score: float | None
    repaired: str | None


def run_pipeline(sources: Sequence[str], targets: Sequence[str], lm_spec: str | None) -> tuple[list[Outcome], float]:
    """Each pair checked as one pre-aligned batch with the repair threshold out of reach (so the other checks'
    findings stay as they are), and the pairs per second."""
    import tq

    started = time.perf_counter()
    report = tq.check_pairs(list(sources), list(targets), lm=lm_spec, check_params={"fluency": {"repair_from": 1e9}})
    elapsed = time.perf_counter() - started
    outcomes = []
    for pair in report.pairs:
        worst = max((SEVERITY_RANK[f.severity] for f in pair.findings), default=0)
        repair = pair.repair
        outcomes.append(Outcome(worst, None if repair is None else repair.score, None if repair is None else repair.text))
    return outcomes, len(sources) / elapsed if elapsed else 0.0


def _proposed(outcome: Outcome, threshold: float) -> bool:
    return outcome.score is not None and outcome.score >= threshold


def choose_threshold(clean: Sequence[Outcome], aim: float = CLEAN_AIM) -> float:
    """The lowest threshold that proposes a repair on at most ``aim`` of these clean sentences."""
    scores = sorted((o.score for o in clean if o.score is not None), reverse=True)
    allowed = int(aim * len(clean))
    if len(scores) <= allowed:
        return 0.0
    return round(scores[allowed] + 0.01, 2)


def summarise(garbles: Sequence[Garble], garbled: Sequence[Outcome], clean: Sequence[Outcome], threshold: float) -> dict:
    rows = {}
    for kind in (*ALL_KINDS, "all"):
        chosen = [(g, o) for g, o in zip(garbles, garbled) if kind in ("all", g.kind)]
        if not chosen:
            continue
        rows[kind] = {
            "n": len(chosen),
            "detected_major": sum(o.worst_other >= 2 or _proposed(o, threshold) for _, o in chosen) / len(chosen),
            "detected_major_without_repair": sum(o.worst_other >= 2 for _, o in chosen) / len(chosen),
            "restored": sum(_proposed(o, threshold) and o.repaired == g.original for g, o in chosen) / len(chosen),
            "repaired": sum(_proposed(o, threshold) for _, o in chosen) / len(chosen),
        }
    rows["clean"] = {"n": len(clean), "repaired": sum(_proposed(o, threshold) for o in clean) / len(clean) if clean else 0.0,
                     "major": sum(o.worst_other >= 2 or _proposed(o, threshold) for o in clean) / len(clean) if clean else 0.0}
    return rows


def run_repair_bench(data_dir: str | None, per_split: int, seed: int, lm_spec: str | None, json_path: str | None) -> int:
    """Build the garbles, check them and their originals, choose the threshold on dev, report held-out."""
    console = Console()
    data = find_data(data_dir)
    if data is None:
        console.print("tq bench repair: skipped, no ../shared/data found; pass --data DIR")
        return 0
    from ..checks.fluency import FluencyCheck

    garbles = build_garbles(data, per_split, seed)
    results: dict[str, dict] = {}
    chosen: float | None = None
    speeds = []
    for split in ("dev", "test"):
        mine = [g for g in garbles if g.split == split]
        garbled, speed_garbled = run_pipeline([g.source for g in mine], [g.garbled for g in mine], lm_spec)
        clean, speed_clean = run_pipeline([g.source for g in mine], [g.original for g in mine], lm_spec)
        speeds += [speed_garbled, speed_clean]
        if split == "dev":
            chosen = choose_threshold(clean)
        assert chosen is not None
        results[split] = {"rows": summarise(mine, garbled, clean, chosen),
                          "at_shipped": summarise(mine, garbled, clean, FluencyCheck.repair_from),
                          "pairs_per_second": {"garbled": round(speed_garbled, 2), "clean": round(speed_clean, 2)},
                          "cases": [{"kind": g.kind, "original": g.original, "garbled": g.garbled, "score": o.score,
                                     "repaired": o.repaired, "clean_score": c.score, "clean_repaired": c.repaired}
                                    for g, o, c in zip(mine, garbled, clean)]}
    for split, title in (("dev", "development half"), ("test", "held-out half")):
        for key, at in (("rows", f"threshold chosen on dev: {chosen}"), ("at_shipped", f"shipped repair_from: {FluencyCheck.repair_from}")):
            table = Table(title=f"tq bench repair, {title}, {at}", title_justify="left")
            for column in ("kind", "n", "detected major+", "(without repairs)", "restored exactly", "repaired"):
                table.add_column(column, justify="right")
            for kind, row in results[split][key].items():
                if kind == "clean":
                    table.add_row("clean originals", str(row["n"]), f"{row['major']:.1%}", "", "", f"{row['repaired']:.1%}")
                else:
                    table.add_row(kind, str(row["n"]), f"{row['detected_major']:.1%}", f"{row['detected_major_without_repair']:.1%}",
                                  f"{row['restored']:.1%}", f"{row['repaired']:.1%}")
            console.print(table)
    console.print(f"pairs per second (whole pipeline with the LM): {', '.join(f'{s:.2f}' for s in speeds)}")
    if json_path:
        Path(json_path).write_text(json.dumps({"chosen_threshold": chosen, "seed": seed, "per_split": per_split, **results},
                                              indent=1, ensure_ascii=False), "utf-8")
    return 0
