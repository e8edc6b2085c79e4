"""align: two sentence lists -> list[Link].

A dynamic program over 1-1, 1-2, 2-1, 2-2, 1-0 and 0-1 links, in the spirit
of Vecalign/Bertalign: each candidate link is valued by the cross-lingual
similarity of its (concatenated) sentences, corrected by a Gale-Church-style
length term and number anchors; dropping a sentence is worth nothing, so a
link is kept only when its similarity clears ``threshold``.

The search runs in a band around the length-proportional diagonal, so time
and memory grow with ``n x band`` instead of ``n x m``; each row is solved
with numpy (the 0-1 moves of a row reduce to a running maximum).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from .models.encoder import Encoder
from .types import Link

_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


@dataclass(frozen=True)
class AlignParams:
    """Link values: (similarity - threshold) x size - merge penalty +/- length and anchor terms."""

    threshold: float = 0.32
    merge_penalty: float = 0.04      # 1-2 and 2-1 links
    double_merge_penalty: float = 0.35  # 2-2 links
    length_ratio: float = 0.95       # expected target/source characters (English/Italian news)
    length_weight: float = 0.12
    anchor_weight: float = 0.05
    min_band: int = 30
    band_fraction: float = 0.15


MOVES = ((1, 1), (1, 2), (2, 1), (2, 2), (1, 0))  # (0, 1) is handled as a running maximum


def _number_masks(sentences: Sequence[str]) -> np.ndarray:
    masks = np.zeros(len(sentences), dtype=np.uint64)
    for index, sentence in enumerate(sentences):
        mask = 0
        for number in _NUMBER.findall(sentence):
            digits = re.sub(r"\D", "", number).lstrip("0") or "0"
            mask |= 1 << (hash(digits) % 64)
        masks[index] = mask
    return masks


def _pair_texts(sentences: Sequence[str]) -> list[str]:
    return [f"{a} {b}" for a, b in zip(sentences, sentences[1:])]


def align_sentences(
    source: Sequence[str], target: Sequence[str], encoder: Encoder, params: AlignParams = AlignParams()
) -> list[Link]:
    """Monotone alignment of two sentence lists (0-based ids in each Link)."""
    n, m = len(source), len(target)
    if n == 0 or m == 0:
        return [Link((i,), (), 0.0) for i in range(n)] + [Link((), (j,), 0.0) for j in range(m)]

    vectors = encoder.encode(list(source) + _pair_texts(source) + list(target) + _pair_texts(target))
    src1, src2 = vectors[:n], vectors[n:2 * n - 1]
    tgt1, tgt2 = vectors[2 * n - 1:2 * n - 1 + m], vectors[2 * n - 1 + m:]
    src_len = np.array([len(s) for s in source], dtype=np.float64)
    tgt_len = np.array([len(t) for t in target], dtype=np.float64)
    src_num, tgt_num = _number_masks(source), _number_masks(target)

    # band: around the point where the target has covered the same share of characters
    src_cum = np.concatenate([[0.0], np.cumsum(src_len)]) / max(src_len.sum(), 1.0)
    tgt_cum = np.concatenate([[0.0], np.cumsum(tgt_len)]) / max(tgt_len.sum(), 1.0)
    half = max(params.min_band, int(params.band_fraction * max(n, m)), abs(n - m) + 5)
    centre = np.searchsorted(tgt_cum, src_cum)
    lo = np.clip(centre - half, 0, m)
    hi = np.clip(centre + half + 1, 0, m + 1)
    lo[0], hi[-1] = 0, m + 1

    neg = -np.inf
    dp: list[np.ndarray] = []
    choice: list[np.ndarray] = []

    def previous(row: int, columns: np.ndarray) -> np.ndarray:
        if row < 0:
            return np.full(columns.shape, neg)
        values = np.full(columns.shape, neg)
        inside = (columns >= lo[row]) & (columns < hi[row])
        values[inside] = dp[row][columns[inside] - lo[row]]
        return values

    def span_vector(first: np.ndarray, second: np.ndarray, end: np.ndarray | int, size: int) -> np.ndarray:
        return first[end - 1] if size == 1 else second[end - 2]

    def span_length(lengths: np.ndarray, end, size: int):
        return lengths[end - 1] if size == 1 else lengths[end - 1] + lengths[end - 2]

    def span_mask(masks: np.ndarray, end, size: int):
        return masks[end - 1] if size == 1 else masks[end - 1] | masks[end - 2]

    for i in range(n + 1):
        columns = np.arange(lo[i], hi[i])
        best = np.full(columns.shape, neg)
        move = np.full(columns.shape, -1, dtype=np.int8)
        if i == 0:
            best[columns == 0] = 0.0
        for index, (a, b) in enumerate(MOVES):
            if i < a:
                continue
            ok = columns >= b
            if not ok.any():
                continue
            cols = columns[ok]
            candidate = previous(i - a, cols - b)
            if b == 0:
                value = np.zeros(cols.shape)
            else:
                sv = span_vector(src1, src2, i, a)
                tv = span_vector(tgt1, tgt2, cols, b)
                similarity = tv @ sv
                size = (a + b) / 2.0
                value = (similarity - params.threshold) * size
                value -= params.merge_penalty if a + b == 3 else (params.double_merge_penalty if a + b == 4 else 0.0)
                ls, lt = span_length(src_len, i, a), span_length(tgt_len, cols, b)
                delta = np.abs(np.log((lt + 10.0) / (params.length_ratio * ls + 10.0)))
                value -= params.length_weight * np.maximum(0.0, delta - 0.25) * size
                ms, mt = span_mask(src_num, i, a), span_mask(tgt_num, cols, b)
                both = (ms != 0) & (mt != 0)
                value += params.anchor_weight * np.where(both & (ms == mt), 1.0, 0.0)
                value -= params.anchor_weight * np.where(both & ((ms & mt) == 0), 1.0, 0.0)
            total = candidate + value
            sub_best, sub_move = best[ok], move[ok]
            better = total > sub_best
            sub_best[better] = total[better]
            sub_move[better] = index
            best[ok], move[ok] = sub_best, sub_move
        # 0-1 moves: dp[i, j] = max(best[i, j], dp[i, j - 1]); skipping is worth 0
        running = np.maximum.accumulate(best)
        from_left = running > best
        move[from_left] = len(MOVES)
        dp.append(running)
        choice.append(move)

    links: list[Link] = []
    i, j = n, m
    while i > 0 or j > 0:
        code = choice[i][j - lo[i]]
        if code == len(MOVES):
            a, b = 0, 1
        else:
            a, b = MOVES[code]
        src_ids, tgt_ids = tuple(range(i - a, i)), tuple(range(j - b, j))
        score = 0.0
        if a and b:
            score = float(span_vector(tgt1, tgt2, j, b) @ span_vector(src1, src2, i, a))
        links.append(Link(src_ids, tgt_ids, round(score, 4)))
        i, j = i - a, j - b
    links.reverse()
    return links
