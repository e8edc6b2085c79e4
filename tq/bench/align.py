"""``tq bench align``: accuracy, speed and memory of ``tq.align`` on real parallel data.

First a real translation: the Text+Berg development document (``textberg-dev``:
a German yearbook and its French translation, 468 / 554 sentences, aligned by
hand; the development set of Bleualign, Vecalign and Bertalign), aligned in a
fresh process and scored with the same metrics; skipped when absent.

Then perturbed gold documents (all 1-1 sentence-aligned line by line in ``../shared/data``):

- FLORES-101 devtest: consecutive lines with the same URL form a document;
- NTREX-128 newstest2019: ``document_ids.tsv`` gives the document of each line;
- ParTUT: blocks of consecutive ids (a gap in the ids ends a block), each cut
  into near-equal chunks of at most 40 rows; rows whose two sides are out of
  step in the data itself (:data:`PARTUT_MISALIGNED`) are left out.

Perturbations (:func:`perturb`), the edits translators make, seeded per
document: merge 2 or 3 adjacent sentences into one on either side (gold links
1-2, 1-3 when the Italian is merged, 2-1, 3-1 when the English is), split a
sentence of at least 20 words at the ", " or "; " nearest its middle on either
side (2-1 when the Italian is split, 1-2 when the English is), drop a sentence
on either side (a dropped Italian sentence leaves its English as a 0-1 link, a
dropped English one leaves a 1-0 link) and insert a sentence taken from another
document on either side (1-0 in Italian, 0-1 in English). About 25-35 % of the
original sentences of a document are touched (an insertion counts as one; the
budget is rounded stochastically, so a 3-sentence FLORES document gets one edit
about 90 % of the time; the "touched" share printed by the benchmark is the
share of original pairs that did not stay a 1-1 gold link). The gold
links are built from the original line indices of each output sentence and
checked to cover both sides exactly once, in order. Documents at even positions
(in corpus order) are the development half the aligner was tuned on, those at
odd positions the held-out half; both are reported.

Metrics (after Vecalign, Thompson & Koehn 2019, and Bertalign, Liu & Zhu 2022),
micro-averaged over all links of all documents. A link is the pair
``(src_ids, tgt_ids)``; a *null* link has one side empty (1-0 or 0-1).

- **strict**: a predicted link is correct iff the identical link is in the
  gold; precision = correct predicted / predicted links, recall = gold links
  found identically / gold links. ALL links count, null links included (this
  differs from Vecalign's ``score.py``, whose recall leaves null links out).
- **lax**: every non-null link implies the set of sentence pairs
  ``src_ids x tgt_ids``. A predicted non-null link is correct iff at least one
  of its sentence pairs is implied by some gold link (so it overlaps a gold
  link on both sides); a predicted null link is correct iff the identical
  null link is in the gold. Recall is symmetric: a gold non-null link is found
  iff one of its sentence pairs is implied by some predicted link, a gold null
  link iff the identical null link was predicted. Example: gold 1-1 + 1-1
  predicted as a single 2-2 gives strict P = R = 0 on those links but lax
  P = R = 1.
- **per-type recall**: strict and lax recall of gold links grouped by type
  ``len(src_ids)-len(tgt_ids)`` (1-1, 1-2, 2-1, 1-3, 3-1, 1-0, 0-1, other).

Speed and memory: documents of about 100, 1,000 and 10,000 sentences per side
are built by concatenating clean gold documents (FLORES, NTREX, ParTUT, then
Tatoeba lines), lightly perturbed (~5 % of sentences touched) and aligned with
``tq.align(..., presegmented=True)`` in a fresh Python process per size. The
child loads the encoder first, then times the alignment alone; it reports its
own peak RSS (``ru_maxrss``, so every size has its own peak; loading the model
sets a floor) and the growth of its resident memory during the alignment
(``/proc/self/statm`` sampled every 5 ms, minus the RSS just before).

Run: ``python -m tq.bench.align [DATA] --sizes 100,1000,10000 [--max-documents N]``.
"""
from __future__ import annotations

import json
import math
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console
from rich.table import Table

from . import find_data

LinkPair = tuple[tuple[int, ...], tuple[int, ...]]

CORPORA = ("FLORES", "NTREX", "ParTUT")
LINK_TYPES = ("1-1", "1-2", "2-1", "1-3", "3-1", "1-0", "0-1", "other")
PARTUT_CHUNK = 40
SPLIT_MIN_WORDS = 20
SPLIT_MIN_PIECE = 4  # words on each side of a split
DEFAULT_RATE = (0.25, 0.35)
LIGHT_RATE = (0.05, 0.05)
# perturbation kinds and how often each is tried
KIND_WEIGHTS = {"merge": 0.35, "split": 0.25, "drop": 0.2, "insert": 0.2}


@dataclass(frozen=True)
class GoldDoc:
    """One document, 1-1 aligned: ``src[i]`` (Italian) translates as ``tgt[i]`` (English)."""

    corpus: str
    name: str
    src: tuple[str, ...]
    tgt: tuple[str, ...]

    def __len__(self) -> int:
        return len(self.src)


# ---------------------------------------------------------------- data

def _lines(path: Path) -> list[str]:
    return path.read_text("utf-8").splitlines()


def _group_consecutive(keys: Sequence[str], src: Sequence[str], tgt: Sequence[str], corpus: str) -> list[GoldDoc]:
    if not (len(keys) == len(src) == len(tgt)):
        raise ValueError(f"{corpus}: {len(keys)} document ids, {len(src)} Italian and {len(tgt)} English lines")
    documents: list[GoldDoc] = []
    start = 0
    for i in range(1, len(keys) + 1):
        if i == len(keys) or keys[i] != keys[start]:
            documents.append(GoldDoc(corpus, f"{keys[start]}#{start}", tuple(src[start:i]), tuple(tgt[start:i])))
            start = i
    return documents


def flores_gold(data: Path) -> list[GoldDoc]:
    folder = data / "flores"
    urls = [line.split("\t")[0] for line in _lines(folder / "devtest.meta.tsv")[1:]]
    return _group_consecutive(urls, _lines(folder / "devtest.it"), _lines(folder / "devtest.en"), "FLORES")


def ntrex_gold(data: Path) -> list[GoldDoc]:
    folder = data / "ntrex"
    if not (folder / "document_ids.tsv").exists():
        return []
    ids = [line.split("\t")[0].strip() for line in _lines(folder / "document_ids.tsv")]
    return _group_consecutive(ids, _lines(folder / "newstest2019.it"), _lines(folder / "newstest2019.en"), "NTREX")


def _chunks(rows: list, size: int) -> list[list]:
    """Near-equal consecutive chunks of at most ``size`` rows (no tiny leftover)."""
    count = math.ceil(len(rows) / size)
    bounds = [round(k * len(rows) / count) for k in range(count + 1)]
    return [rows[a:b] for a, b in zip(bounds, bounds[1:])]


# ParTUT rows whose Italian and English sides are out of step in the shared data (read by
# hand: in the Pericles communication row 644 "La relazione di valutazione ... 30 novembre
# 2004" sits beside the English of row 649, and so on); their "gold" links are wrong, so
# the benchmark leaves them out rather than score an aligner against them.
PARTUT_MISALIGNED = ((639, 656), (701, 716))


def _misaligned_in_data(row_id: int) -> bool:
    return any(first <= row_id <= last for first, last in PARTUT_MISALIGNED)


def partut_gold(data: Path, chunk: int = PARTUT_CHUNK) -> list[GoldDoc]:
    path = data / "partut" / "partut.it-en.tsv"
    if not path.exists():
        return []
    rows = []
    for line in _lines(path):
        fields = line.split("\t")
        if len(fields) >= 3 and fields[0].strip().isdigit() and not _misaligned_in_data(int(fields[0])):
            rows.append((int(fields[0]), fields[1].strip(), fields[2].strip()))
    blocks: list[list] = []
    for row in rows:
        if blocks and row[0] == blocks[-1][-1][0] + 1:
            blocks[-1].append(row)
        else:
            blocks.append([row])
    documents = []
    for block in blocks:
        for part in _chunks(block, chunk):
            documents.append(GoldDoc("ParTUT", f"partut:{part[0][0]}-{part[-1][0]}",
                                     tuple(r[1] for r in part), tuple(r[2] for r in part)))
    return documents


def gold_documents(data: Path) -> list[GoldDoc]:
    """FLORES (by URL), NTREX (by document id) and ParTUT (blocks, chunks of <= 40) documents."""
    return flores_gold(data) + ntrex_gold(data) + partut_gold(data)


def textberg_gold(data: Path) -> tuple[list[str], list[str], list[LinkPair]] | None:
    """The Text+Berg development document (German, French, hand-made gold links), or None when absent."""
    folder = data / "textberg-dev"
    if not (folder / "gold.tsv").exists():
        return None
    links: list[LinkPair] = []
    for line in _lines(folder / "gold.tsv"):
        if line.startswith("#") or not line.strip():
            continue
        src_ids, tgt_ids = (line.split("\t") + [""])[:2]
        links.append((tuple(int(x) for x in src_ids.split(",") if x.strip()),
                      tuple(int(x) for x in tgt_ids.split(",") if x.strip())))
    return _lines(folder / "de.txt"), _lines(folder / "fr.txt"), links


def tatoeba_pairs(data: Path) -> list[tuple[str, str]]:
    folder = data / "tatoeba"
    if not (folder / "test.it").exists():
        return []
    return list(zip(_lines(folder / "test.it"), _lines(folder / "test.en")))


# ---------------------------------------------------------------- perturbation

_CLAUSE = re.compile(r"[,;] ")


def split_point(sentence: str) -> int | None:
    """Index of the ", " or "; " nearest the middle of a sentence of >= 20 words, or None."""
    if len(sentence.split()) < SPLIT_MIN_WORDS:
        return None
    middle = len(sentence) / 2
    best = None
    for match in _CLAUSE.finditer(sentence):
        left, right = sentence[:match.start()], sentence[match.end():]
        if len(left.split()) < SPLIT_MIN_PIECE or len(right.split()) < SPLIT_MIN_PIECE:
            continue
        if best is None or abs(match.start() - middle) < abs(best - middle):
            best = match.start()
    return best


def split_sentence(sentence: str, at: int) -> tuple[str, str]:
    """Two sentences, the way a translator splits one: "A, b c." -> "A.", "B c."."""
    left = sentence[:at].rstrip()
    right = sentence[at + 2:].lstrip()
    if left and left[-1] not in ".!?":
        left += "."
    right = right[:1].upper() + right[1:]
    return left, right


def _join(sentences: Iterable[str]) -> str:
    return " ".join(s.strip() for s in sentences)


def _plan(doc: GoldDoc, rng: random.Random, rate: tuple[float, float], can_insert: bool):
    """Non-overlapping edits: {first original index: (kind, side, size)} and insertions [(gap, side)]."""
    n = len(doc)
    share = rng.uniform(*rate)
    target = int(math.floor(share * n + rng.random()))  # stochastic rounding: E[target] = share * n
    used = [False] * n
    edits: dict[int, tuple[str, str, int]] = {}
    inserts: list[tuple[int, str]] = []
    dropped = {"src": 0, "tgt": 0}
    splittable = {side: [split_point(s) is not None for s in texts] for side, texts in (("src", doc.src), ("tgt", doc.tgt))}
    kinds = [k for k in KIND_WEIGHTS if k != "insert" or can_insert]
    weights = [KIND_WEIGHTS[k] for k in kinds]
    touched, attempts = 0, 0
    while touched < target and attempts < 20 + 10 * target:
        attempts += 1
        kind = rng.choices(kinds, weights)[0]
        side = rng.choice(("src", "tgt"))
        free = [i for i in range(n) if not used[i]] if kind != "insert" else []
        if kind == "merge":
            size = 3 if rng.random() < 0.3 else 2
            if target - touched < size - 1:  # do not overshoot by more than one sentence
                size = 2
            starts = [i for i in free if i + size <= n and not any(used[i:i + size])]
            if not starts:
                continue
            i = rng.choice(starts)
            for k in range(i, i + size):
                used[k] = True
            edits[i] = ("merge", side, size)
            touched += size
        elif kind == "split":
            candidates = [i for i in free if splittable[side][i]]
            if not candidates:
                continue
            i = rng.choice(candidates)
            used[i] = True
            edits[i] = ("split", side, 1)
            touched += 1
        elif kind == "drop":
            if not free or n - dropped[side] <= 2:  # never leave a side (nearly) empty
                continue
            i = rng.choice(free)
            used[i] = True
            dropped[side] += 1
            edits[i] = ("drop", side, 1)
            touched += 1
        else:
            inserts.append((rng.randrange(n + 1), side))
            touched += 1
    return edits, inserts


def _unrelated(doc: GoldDoc, others: Sequence[GoldDoc], side: str, rng: random.Random) -> str:
    candidates = [o for o in others if o.name != doc.name and len(o)]
    same = [o for o in candidates if o.corpus == doc.corpus]
    other = rng.choice(same or candidates)
    return rng.choice(other.src if side == "src" else other.tgt)


def perturb(doc: GoldDoc, rng: random.Random, others: Sequence[GoldDoc] = (),
            rate: tuple[float, float] = DEFAULT_RATE) -> tuple[list[str], list[str], list[LinkPair]]:
    """Perturb a 1-1 document -> (Italian sentences, English sentences, gold links, 0-based).

    ``others``: documents to take inserted sentences from (no insertions when
    empty); ``rate``: range of the share of original sentences to touch.
    """
    n = len(doc)
    edits, inserts = _plan(doc, rng, rate, can_insert=bool([o for o in others if o.name != doc.name and len(o)]))
    inserted_at: dict[int, list[str]] = {}
    for gap, side in sorted(inserts):
        inserted_at.setdefault(gap, []).append(side)

    # beads: (Italian texts, English texts, original index of each Italian text, of each English text);
    # an inserted sentence has original index None.
    beads: list[tuple[list[str], list[str], list, list]] = []

    def add_inserts(gap: int) -> None:
        for side in inserted_at.get(gap, []):
            text = _unrelated(doc, others, side, rng)
            beads.append(([text], [], [None], []) if side == "src" else ([], [text], [], [None]))

    i = 0
    while i < n:
        add_inserts(i)
        kind, side, size = edits.get(i, ("keep", "", 1))
        span = list(range(i, i + size))
        src = [doc.src[k] for k in span]
        tgt = [doc.tgt[k] for k in span]
        if kind == "keep":
            beads.append((src, tgt, span, span))
        elif kind == "merge":
            if side == "src":
                beads.append(([_join(src)], tgt, [tuple(span)], span))
            else:
                beads.append((src, [_join(tgt)], span, [tuple(span)]))
        elif kind == "split":
            at = split_point((src if side == "src" else tgt)[0])
            assert at is not None, i  # _plan splits only sentences that have a split point
            if side == "src":
                beads.append((list(split_sentence(src[0], at)), tgt, [(i, "a"), (i, "b")], span))
            else:
                beads.append((src, list(split_sentence(tgt[0], at)), span, [(i, "a"), (i, "b")]))
        elif kind == "drop":
            beads.append(([], tgt, [], span) if side == "src" else (src, [], span, []))
        for k in span[1:]:
            add_inserts(k)  # gaps inside a merged span move after it
        i += size
    add_inserts(n)

    src_sents: list[str] = []
    tgt_sents: list[str] = []
    origins: list[tuple[list, list]] = []
    gold: list[LinkPair] = []
    for src, tgt, src_orig, tgt_orig in beads:
        src_ids = tuple(range(len(src_sents), len(src_sents) + len(src)))
        tgt_ids = tuple(range(len(tgt_sents), len(tgt_sents) + len(tgt)))
        src_sents += src
        tgt_sents += tgt
        origins.append((src_orig, tgt_orig))
        gold.append((src_ids, tgt_ids))
    _check_gold(doc, src_sents, tgt_sents, gold, origins)
    return src_sents, tgt_sents, gold


def _flatten(origins: Iterable) -> list[int]:
    out = []
    for origin in origins:
        if origin is None:
            continue
        if isinstance(origin, tuple) and len(origin) == 2 and origin[1] in ("a", "b"):
            if origin[1] == "a":
                out.append(origin[0])
        elif isinstance(origin, tuple):
            out.extend(origin)
        else:
            out.append(origin)
    return out


def _check_gold(doc: GoldDoc, src: list[str], tgt: list[str], gold: list[LinkPair], origins) -> None:
    """Gold links cover both sides exactly once, in order, and agree with the original lines."""
    assert_cover(gold, len(src), len(tgt))
    src_orig = _flatten(o for s, _ in origins for o in s)
    tgt_orig = _flatten(o for _, t in origins for o in t)
    # every original line survives on at least one side, in order, at most once per side
    assert src_orig == sorted(set(src_orig)) and tgt_orig == sorted(set(tgt_orig)), "original order broken"
    assert set(src_orig) | set(tgt_orig) == set(range(len(doc))), "an original line vanished from both sides"
    for (src_ids, tgt_ids), (so, to) in zip(gold, origins):
        src_lines = set(_flatten(so))
        tgt_lines = set(_flatten(to))
        if src_ids and tgt_ids:  # a non-null link joins the same original lines on both sides
            assert src_lines == tgt_lines and None not in so + to, "link joins different original lines"
            assert _letters(_join(src[k] for k in src_ids)) == _letters(_join(doc.src[k] for k in sorted(src_lines)))
            assert _letters(_join(tgt[k] for k in tgt_ids)) == _letters(_join(doc.tgt[k] for k in sorted(tgt_lines)))


def _letters(text: str) -> str:
    return re.sub(r"\W+", "", text.lower())


def assert_cover(links: Sequence[LinkPair], n_src: int, n_tgt: int) -> None:
    """Links are monotone and cover 0..n_src-1 and 0..n_tgt-1 exactly once, in order."""
    src = [i for s, _ in links for i in s]
    tgt = [j for _, t in links for j in t]
    assert src == list(range(n_src)), f"source ids not covered once in order: {src} vs {n_src}"
    assert tgt == list(range(n_tgt)), f"target ids not covered once in order: {tgt} vs {n_tgt}"
    assert all(s or t for s, t in links), "empty link"


# ---------------------------------------------------------------- metrics

def as_pairs(links: Iterable) -> list[LinkPair]:
    """Links as ((src ids), (tgt ids)) tuples; accepts tq Links or pairs."""
    out = []
    for link in links:
        if hasattr(link, "src_ids"):
            out.append((tuple(link.src_ids), tuple(link.tgt_ids)))
        else:
            out.append((tuple(link[0]), tuple(link[1])))
    return out


def link_type(link: LinkPair) -> str:
    kind = f"{len(link[0])}-{len(link[1])}"
    return kind if kind in LINK_TYPES else "other"


def _sentence_pairs(links: Iterable[LinkPair]) -> set[tuple[int, int]]:
    return {(i, j) for s, t in links for i in s for j in t}


def _lax_hits(links: Sequence[LinkPair], other: Sequence[LinkPair]) -> list[bool]:
    """For each link: does it lax-match the ``other`` alignment?"""
    pairs = _sentence_pairs(other)
    exact = set(other)
    return [any((i, j) in pairs for i in s for j in t) if s and t else (s, t) in exact for s, t in links]


@dataclass
class Counts:
    """Counts for micro-averaged precision/recall, plus per-type recall counts."""

    predicted: int = 0
    gold: int = 0
    strict_p: int = 0  # predicted links that are correct (strict)
    strict_r: int = 0  # gold links found (strict)
    lax_p: int = 0
    lax_r: int = 0

    def __post_init__(self) -> None:
        self.by_type: dict[str, list[int]] = {k: [0, 0, 0, 0] for k in LINK_TYPES}  # gold, strict, lax, predicted

    def add(self, predicted: Iterable, gold: Iterable) -> Counts:
        predicted, gold = as_pairs(predicted), as_pairs(gold)
        gold_set, pred_set = set(gold), set(predicted)
        pred_lax, gold_lax = _lax_hits(predicted, gold), _lax_hits(gold, predicted)
        self.predicted += len(predicted)
        self.gold += len(gold)
        self.strict_p += sum(link in gold_set for link in predicted)
        self.strict_r += sum(link in pred_set for link in gold)
        self.lax_p += sum(pred_lax)
        self.lax_r += sum(gold_lax)
        for link, hit in zip(gold, gold_lax):
            row = self.by_type[link_type(link)]
            row[0] += 1
            row[1] += link in pred_set
            row[2] += hit
        for link in predicted:
            self.by_type[link_type(link)][3] += 1
        return self

    def __iadd__(self, other: Counts) -> Counts:
        for name in ("predicted", "gold", "strict_p", "strict_r", "lax_p", "lax_r"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for kind, row in other.by_type.items():
            self.by_type[kind] = [a + b for a, b in zip(self.by_type[kind], row)]
        return self

    @staticmethod
    def _prf(hits_p: int, n_p: int, hits_r: int, n_r: int) -> tuple[float, float, float]:
        p = hits_p / n_p if n_p else 0.0
        r = hits_r / n_r if n_r else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)

    @property
    def strict(self) -> tuple[float, float, float]:
        return self._prf(self.strict_p, self.predicted, self.strict_r, self.gold)

    @property
    def lax(self) -> tuple[float, float, float]:
        return self._prf(self.lax_p, self.predicted, self.lax_r, self.gold)


def score(predicted: Iterable, gold: Iterable) -> dict[str, tuple[float, float, float]]:
    """{"strict": (P, R, F1), "lax": (P, R, F1)} for one alignment."""
    counts = Counts().add(predicted, gold)
    return {"strict": counts.strict, "lax": counts.lax}


# ---------------------------------------------------------------- speed and memory

_CHILD = r"""
import json, os, resource, sys, threading, time
payload = json.load(open(sys.argv[1], encoding="utf-8"))
import tq
from tq.models import get_encoder
get_encoder().encode(["Caricamento del modello."])
page = os.sysconf("SC_PAGE_SIZE") / 1024

def rss_kb():
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * page
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
loaded, before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, rss_kb()
highest, done = [before], threading.Event()

def sample():
    while not done.wait(0.005):
        highest[0] = max(highest[0], rss_kb())
sampler = threading.Thread(target=sample, daemon=True)
sampler.start()
start = time.perf_counter()
links = tq.align(payload["src"], payload["tgt"], src_lang="it", tgt_lang="en", presegmented=True)
seconds = time.perf_counter() - start
done.set()
sampler.join()
highest[0] = max(highest[0], rss_kb())
json.dump({"seconds": seconds, "loaded_kb": loaded, "peak_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
           "before_kb": before, "during_kb": highest[0],
           "links": [[list(l.src_ids), list(l.tgt_ids)] for l in links]}, open(sys.argv[2], "w", encoding="utf-8"))
"""


def long_document(size: int, documents: Sequence[GoldDoc], extra: Sequence[tuple[str, str]]) -> GoldDoc:
    """About ``size`` clean 1-1 pairs: the gold documents in order, then ``extra`` pairs (Tatoeba)."""
    src: list[str] = []
    tgt: list[str] = []
    for doc in documents:
        if len(src) >= size:
            break
        src += doc.src
        tgt += doc.tgt
    for it, en in extra:
        if len(src) >= size:
            break
        src.append(it)
        tgt.append(en)
    return GoldDoc("long", f"long-{size}", tuple(src[:size]), tuple(tgt[:size]))


def _pool(data: Path, documents: Sequence[GoldDoc]) -> tuple[GoldDoc, list[tuple[str, str]]]:
    """(sentences to insert into long documents, Tatoeba pairs left for concatenation).

    The pool is the last 500 Tatoeba pairs (never concatenated), else the last gold document.
    """
    pairs = tatoeba_pairs(data)
    if len(pairs) >= 1000:
        tail, pairs = pairs[-500:], pairs[:-500]
        return GoldDoc("pool", "tatoeba-tail", tuple(p[0] for p in tail), tuple(p[1] for p in tail)), pairs
    last = documents[-1]
    return GoldDoc("pool", "pool", last.src, last.tgt), pairs


def measure(src: list[str], tgt: list[str], timeout: float) -> dict:
    """Align in a fresh Python process: seconds (model already loaded), RSS after load and peak (kB)."""
    with tempfile.TemporaryDirectory(prefix="tq-bench-align-") as folder:
        inp, out = Path(folder) / "in.json", Path(folder) / "out.json"
        inp.write_text(json.dumps({"src": src, "tgt": tgt}), "utf-8")
        env = dict(os.environ)
        env.setdefault("PYTHONIOENCODING", "utf-8")
        done = subprocess.run([sys.executable, "-c", _CHILD, str(inp), str(out)], capture_output=True, text=True,
                              timeout=timeout, env=env)
        if done.returncode != 0:
            raise RuntimeError(f"alignment child failed ({done.returncode}): {done.stderr.strip()[-500:]}")
        return json.loads(out.read_text("utf-8"))


# ---------------------------------------------------------------- data notes

_BOUNDARY = re.compile(r"(?<!\b[A-Z])(?<!\bDr)(?<!\bMr)(?<!\bMrs)(?<!\bSt)(?<!\bNo)(?<!\bDott)(?<!\bSig)"
                       r"[.!?][\"”»’)]*\s+[\"“«(]*[A-ZÀ-Ý]")


def multi_sentence(line: str) -> bool:
    """Heuristic: does a line hold more than one sentence?"""
    return bool(_BOUNDARY.search(line))


# ---------------------------------------------------------------- driver

def _select(documents: list[GoldDoc], limit: int | None) -> list[GoldDoc]:
    if limit is None or len(documents) <= limit:
        return documents
    step = len(documents) / limit
    return [documents[int(k * step)] for k in range(limit)]


def _doc_rng(seed: int, doc: GoldDoc) -> random.Random:
    return random.Random(f"{seed}:{doc.corpus}:{doc.name}")


def evaluate(documents: Sequence[GoldDoc], seed: int, align=None, others: Sequence[GoldDoc] | None = None,
             rate: tuple[float, float] = DEFAULT_RATE) -> tuple[dict[str, Counts], dict[str, float]]:
    """Perturb and align every document -> ({corpus: Counts, "all": Counts}, stats)."""
    if align is None:
        import tq

        def align(src, tgt):
            return tq.align(src, tgt, src_lang="it", tgt_lang="en", presegmented=True)
    others = list(documents) if others is None else others
    results: dict[str, Counts] = {}
    total = Counts()
    originals = untouched = broken = 0
    start = time.perf_counter()
    for doc in documents:
        src, tgt, gold = perturb(doc, _doc_rng(seed, doc), others, rate)
        predicted = as_pairs(align(src, tgt))
        try:
            assert_cover(predicted, len(src), len(tgt))
        except AssertionError:
            broken += 1  # scored anyway: the metrics only compare links
        counts = Counts().add(predicted, gold)
        results.setdefault(doc.corpus, Counts())
        results[doc.corpus] += counts
        total += counts
        originals += len(doc)
        untouched += sum(1 for s, t in gold if len(s) == len(t) == 1)
    results["all"] = total
    stats = {"documents": len(documents), "originals": originals,
             "touched": 1 - untouched / originals if originals else 0.0,
             "broken": broken, "seconds": time.perf_counter() - start}
    return results, stats


def _type_table(counts: Counts, title: str) -> Table:
    table = Table(title=title, title_justify="left")
    for column in ("type", "gold", "strict recall", "lax recall", "predicted"):
        table.add_column(column, justify="right" if column != "type" else "left")
    for kind, (gold, strict, lax, predicted) in counts.by_type.items():
        if gold or predicted:
            table.add_row(kind, str(gold), f"{strict / gold:.3f}" if gold else "—", f"{lax / gold:.3f}" if gold else "—",
                          str(predicted))
    return table


def run_align_bench(data_dir: str | None, sizes: tuple[int, ...] = (100, 1000, 10000), seed: int = 7,
                    max_documents: int | None = None, timeout: float = 3600.0) -> int:
    """Accuracy of tq.align on the Text+Berg development document (a real translation, hand-aligned) and on
    perturbed gold documents (development and held-out halves), then speed and memory by length.

    ``max_documents`` caps the documents per corpus (evenly spread); ``timeout``
    bounds each speed/memory child process in seconds.
    """
    console = Console(width=None if sys.stdout.isatty() else 150)  # wide tables in logs
    data = find_data(data_dir)
    if data is None:
        console.print("tq bench align: skipped, no ../shared/data (FLORES) found; pass --data DIR")
        return 0
    textberg = textberg_gold(data)
    if textberg is None:
        console.print("textberg-dev: skipped, not in the data folder")
    else:
        src, tgt, gold = textberg
        result = measure(src, tgt, timeout)
        counts = Counts().add(result["links"], gold)
        table = Table(title=f"real translation: Text+Berg development document (de-fr, {len(src)} / {len(tgt)} sentences, "
                            f"{len(gold)} gold links, hand-aligned)", title_justify="left")
        for column in ("document", "predicted", "strict P", "strict R", "strict F1", "lax P", "lax R", "lax F1", "seconds"):
            table.add_column(column, justify="right" if column != "document" else "left")
        table.add_row("textberg-dev", str(counts.predicted), *(f"{v:.3f}" for v in counts.strict + counts.lax),
                      f"{result['seconds']:.1f}")
        console.print(table)
        console.print(_type_table(counts, "textberg-dev: recall by gold link type"))

    all_documents = gold_documents(data)
    # development half (even positions: tuning) and held-out half (odd positions: never tuned on)
    halves = {half: [d for k, d in enumerate(all_documents) if k % 2 == parity] for half, parity in (("dev", 0), ("held-out", 1))}
    results: dict[str, Counts] = {}
    stats = {"documents": 0, "originals": 0, "touched": 0.0, "broken": 0, "seconds": 0.0}
    for half, members in halves.items():
        chosen = [d for corpus in CORPORA for d in _select([x for x in members if x.corpus == corpus], max_documents)]
        by_corpus, half_stats = evaluate(chosen, seed, others=all_documents)
        results[half] = by_corpus.pop("all")
        for corpus, counts in by_corpus.items():
            results.setdefault(corpus, Counts())
            results[corpus] += counts
        stats["touched"] += half_stats["touched"] * half_stats["originals"]
        for key in ("documents", "originals", "broken", "seconds"):
            stats[key] += half_stats[key]
    stats["touched"] /= max(stats["originals"], 1)
    results["all"] = Counts()
    for half in halves:
        results["all"] += results[half]

    title = (f"tq.align on perturbed gold documents: {stats['documents']} documents, "
             f"{stats['originals']} original sentence pairs ({stats['touched']:.0%} touched), "
             f"{results['all'].gold} gold links, {results['all'].predicted} predicted (seed {seed}; "
             f"{stats['seconds']:.1f} s; data {data})")
    table = Table(title=title, title_justify="left")
    for column in ("documents", "gold links", "predicted", "strict P", "strict R", "strict F1", "lax P", "lax R", "lax F1"):
        table.add_column(column, justify="right" if column != "documents" else "left")
    for name in (*CORPORA, "dev", "held-out", "all"):
        if name in results:
            c = results[name]
            table.add_row(name, str(c.gold), str(c.predicted), *(f"{v:.3f}" for v in c.strict + c.lax))
    console.print(table)
    if stats["broken"]:
        console.print(f"[bold red]{stats['broken']} alignments do not cover both sides exactly once, in order[/]")
    console.print(_type_table(results["all"], "perturbed documents: recall by gold link type (all corpora)"))

    sides = [(d.corpus, side, lines) for d in all_documents for side, lines in (("it", d.src), ("en", d.tgt))]
    notes: Counter[tuple[str, str]] = Counter()
    for corpus, side, lines in sides:
        notes[corpus, side] += sum(multi_sentence(line) for line in lines)
    console.print("data: lines that look like two or more sentences (heuristic) - " + "; ".join(
        f"{corpus} it {notes[corpus, 'it']}, en {notes[corpus, 'en']} of {sum(len(d) for d in all_documents if d.corpus == corpus)}"
        for corpus in CORPORA if any(d.corpus == corpus for d in all_documents)))

    if sizes:
        pool, extra = _pool(data, all_documents)
        speed = Table(title=f"tq.align speed and memory by length (one process per size, ~5% perturbed; {os.cpu_count()} cores)",
                      title_justify="left")
        for column in ("size", "it / en sentences", "seconds", "it sent./s", "peak MB", "MB after load",
                       "RSS growth MB", "strict F1", "lax F1", "time growth", "peak growth"):
            speed.add_column(column, justify="right")
        previous = None
        measured: dict[int, dict] = {}
        for size in sizes:
            doc = long_document(size, all_documents, extra)
            src, tgt, gold = perturb(doc, random.Random(f"{seed}:long:{size}"), [pool], LIGHT_RATE)
            try:
                result = measure(src, tgt, timeout)
            except subprocess.TimeoutExpired:
                speed.add_row(str(size), f"{len(src)} / {len(tgt)}", f"> {timeout:.0f} (timeout)", *["—"] * 8)
                console.print(f"size {size}: no result within {timeout:.0f} s")
                previous = None
                continue
            quality = score(result["links"], gold)
            peak, loaded = result["peak_kb"] / 1024, result["loaded_kb"] / 1024
            growth_rss = (result["during_kb"] - result["before_kb"]) / 1024
            growth_t = growth_m = "—"
            if previous is not None:
                factor = size / previous[0]
                growth_t = f"×{result['seconds'] / previous[1]['seconds']:.1f} (size ×{factor:g})"
                growth_m = f"×{peak / previous[2]:.2f}"
            speed.add_row(str(size), f"{len(src)} / {len(tgt)}", f"{result['seconds']:.2f}",
                          f"{len(src) / max(result['seconds'], 1e-9):.0f}", f"{peak:.0f}", f"{loaded:.0f}",
                          f"{growth_rss:.0f}", f"{quality['strict'][2]:.3f}", f"{quality['lax'][2]:.3f}",
                          growth_t, growth_m)
            previous = (size, result, peak)
            measured[size] = result
        console.print(speed)
        if 1000 in measured and 10000 in measured:
            console.print(f"growth from 1,000 to 10,000 sentences: time ×{measured[10000]['seconds'] / measured[1000]['seconds']:.1f}, "
                          f"peak RSS ×{measured[10000]['peak_kb'] / measured[1000]['peak_kb']:.2f} "
                          "(×10 is linear, ×100 quadratic)")
    return 0


if __name__ == "__main__":  # python -m tq.bench.align [DATA] [--sizes 100,1000] [--max-documents N] [--timeout S]
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", nargs="?")
    parser.add_argument("--sizes", default="100,1000,10000")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--max-documents", type=int, help="documents per corpus (evenly spread)")
    parser.add_argument("--timeout", type=float, default=3600.0, help="seconds per speed/memory size")
    args = parser.parse_args()
    sys.exit(run_align_bench(args.data, tuple(int(s) for s in args.sizes.split(",") if s), args.seed, args.max_documents,
                             args.timeout))
