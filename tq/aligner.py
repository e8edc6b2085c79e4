"""align: two sentence lists -> list[Link].

Two passes, in the spirit of Bertalign with Vecalign's economy:

1. a dynamic program over 1-1, 1-2, 2-1, 1-0 and 0-1 links for the whole
   document, where a two-sentence span is represented by the
   normalised sum of its sentences' vectors (no extra encoding), run in a
   band around the length-proportional diagonal, each row solved with numpy
   (the 0-1 moves of a row reduce to a running maximum): time and memory grow
   with ``n x band``, not ``n x m``. A link is valued by (similarity -
   threshold) x its size, less a merge penalty, with a Gale-Church-style
   length term and number anchors;
2. every stretch where pass 1 found anything but confident 1-1 links is
   aligned again with every link shape up to ``max_link`` sentences (1-5, 2-4,
   3-3 ...), each multi-sentence span encoded as one text. Here a link is
   worth its margin similarity (Bertalign's: the cosine less the mean cosine
   of each side with the sentences around the other) times a length penalty,
   plus a small bonus per sentence it covers, so a fragment joins its
   neighbour's link when that costs the link less than the bonus and an
   unrelated sentence (a caption, an insertion) stays out.
   Only the spans of links that lie on a path within ``screen_slack`` of the
   best one (a forward-backward pass with summed vectors) are encoded, which
   keeps a 10,000-sentence document near 20 s on two cores.

Real translations (the Text+Berg development document) merge and split far
more than news does; pass 2's terms were chosen on it and on the even-numbered
perturbed documents of ``tq bench align`` (see AlignParams).
"""
from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np

from .models.encoder import Encoder
from .types import Link

_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


@dataclass(frozen=True)
class AlignParams:
    """Pass 1: (similarity - threshold) x size - merge penalty +/- length and anchor terms; pass 2:
    margin similarity x length penalty + ``sentence_bonus`` per sentence linked.

    Pass 1's terms were chosen on the even-numbered documents of `tq bench align` (a grid search).
    Pass 2's (``max_link``, ``sentence_bonus``) on the Text+Berg development document and the same
    even-numbered documents: a larger bonus pulls captions and inserted sentences into links
    (0.04: the development document's 40 unlinked French lines fall to 7 found), a smaller one leaves
    fragments out; ``screen_slack`` 0.3 encodes about a third of the text that encoding every span did, with
    the same links on the development document (1.0 and unlimited change nothing); ``parallel_split`` undoes
    wide links over runs of repeated sentences (Tatoeba) without splitting the development document's 2-2 links.
    An extra cost per merged sentence, for merged sentences unlike the other side, or for a link ending on
    a colon or semicolon (the development document's translators mostly join across those: +0.010 F1
    there, -0.004 on the perturbed documents) traded one for the other and was left out; so did a gentler
    length penalty and blending encoded with summed span vectors (both lower on the development document),
    and crediting each sentence of a link with its own similarity to the other side's span (weight 1.0:
    development document 0.881 / 0.985, perturbed development half 0.985 -> 0.979 strict).
    """

    threshold: float = 0.40
    merge_penalty: float = 0.16         # 1-2 and 2-1 links
    length_ratio: float = 0.95          # expected target/source characters (English/Italian news)
    length_weight: float = 0.12
    anchor_weight: float = 0.05
    min_band: int = 40
    band_fraction: float = 0.02
    confident: float = 0.55             # a 1-1 link this similar is not revisited in pass 2
    context: int = 2                    # links around a doubtful stretch re-aligned in pass 2
    gap_pair: float = 0.25              # a 1-0 beside a 0-1 this similar becomes one 1-1 link
    max_span: int = 6
    max_link: int = 7
    sentence_bonus: float = 0.02
    min_window_band: int = 20          # pass 2: columns either side of a window's diagonal
    # pass 2: links in one window at most (a longer doubtful stretch is re-aligned in consecutive windows, so
    # that its cost grows with its length, not its square); the Text+Berg document's longest spans 123 sentences
    max_window: int = 200
    screen_slack: float = 0.3           # pass 2: links on paths this close to the best are encoded
    parallel_split: float = 0.62        # a k-k link of 1-1 pairs each this similar is split into them
    ratio: float = 1.0                  # set per document: target/source characters
    background: float = 0.0             # set per document: mean similarity of unrelated sentences


# Pass 1's link shapes; (0, 1) is handled as a running maximum. Pass 2 allows every shape up to max_link.
COARSE_MOVES = ((1, 1), (1, 2), (2, 1), (1, 0))


def _number_masks(sentences: Sequence[str]) -> np.ndarray:
    masks = np.zeros(len(sentences), dtype=np.uint64)
    for index, sentence in enumerate(sentences):
        mask = 0
        for number in _NUMBER.findall(sentence):
            digits = re.sub(r"\D", "", number).lstrip("0") or "0"
            mask |= 1 << (hash(digits) % 64)
        masks[index] = mask
    return masks


class _Side:
    """Per-sentence features of one side, with O(1) access to any span of up to ``max_span`` sentences."""

    def __init__(self, sentences: Sequence[str], vectors: np.ndarray, max_span: int = 2,
                 origins: Sequence[int | None] | None = None):
        cumulative = np.vstack([np.zeros((1, vectors.shape[1])), np.cumsum(vectors, axis=0, dtype=np.float64)])
        # spans[size][end]: normalised sum of the vectors of sentences end-size .. end-1
        self.spans = {}
        for size in range(1, max_span + 1):
            total = np.zeros_like(cumulative)
            total[size:] = cumulative[size:] - cumulative[:-size]
            norms = np.maximum(np.linalg.norm(total, axis=1, keepdims=True), 1e-8)
            self.spans[size] = (total / norms).astype(np.float32)
        self.lengths = np.concatenate([[0.0], np.cumsum([len(s) for s in sentences])])
        self.masks = _number_masks(sentences)
        # whole[k]: the sentences before k that are not pieces of a split one. Both sides' pieces follow the
        # length-proportional diagonal closely (30,000 words as one sentence: within 12 pieces), so only whole
        # sentences count in the bands' allowance for one side having more sentences than the other
        whole = np.ones(len(sentences), dtype=np.int64) if origins is None else np.array([o is None for o in origins], dtype=np.int64)
        self.whole = np.concatenate([[0], np.cumsum(whole)])

    def vector(self, end, size: int) -> np.ndarray:
        return self.spans[size][end]

    def length(self, end, size: int):
        return self.lengths[end] - self.lengths[np.asarray(end) - size]

    def mask(self, end, size: int):
        out = self.masks[np.asarray(end) - 1]
        for k in range(2, size + 1):
            out = out | self.masks[np.asarray(end) - k]
        return out


def _link_value(params: AlignParams, a: int, b: int, similarity, src_length, tgt_length, src_mask, tgt_mask):
    size = (a + b) / 2.0
    value = (similarity - params.threshold) * size
    value = value - (params.merge_penalty if a + b == 3 else 0.0)
    delta = np.abs(np.log((tgt_length + 10.0) / (params.length_ratio * src_length + 10.0)))
    value = value - params.length_weight * np.maximum(0.0, delta - 0.25) * size
    both = (src_mask != 0) & (tgt_mask != 0)
    value = value + params.anchor_weight * np.where(both & (src_mask == tgt_mask), 1.0, 0.0)
    return value - params.anchor_weight * np.where(both & ((src_mask & tgt_mask) == 0), 1.0, 0.0)


def _forward(n: int, m: int, lo: np.ndarray, hi: np.ndarray, value: Callable,
             moves_allowed: Sequence[tuple[int, int]]) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Best score of a monotone path from (0, 0) to every cell inside the band [lo[i], hi[i]), and the move
    that reached it (``len(moves_allowed)`` for a 0-1 move)."""
    neg = -np.inf
    dp: list[np.ndarray] = []
    choice: list[np.ndarray] = []

    def previous(row: int, columns: np.ndarray) -> np.ndarray:
        values = np.full(columns.shape, neg)
        inside = (columns >= lo[row]) & (columns < hi[row])
        values[inside] = dp[row][columns[inside] - lo[row]]
        return values

    for i in range(n + 1):
        columns = np.arange(lo[i], hi[i])
        best = np.full(columns.shape, neg)
        move = np.full(columns.shape, -1, dtype=np.int8)
        if i == 0:
            best[columns == 0] = 0.0
        for index, (a, b) in enumerate(moves_allowed):
            if i < a:
                continue
            ok = columns >= b
            if not ok.any():
                continue
            cols = columns[ok]
            total = previous(i - a, cols - b) + (value(a, b, i, cols) if b else 0.0)
            sub_best, sub_move = best[ok], move[ok]
            better = total > sub_best
            sub_best[better] = total[better]
            sub_move[better] = index
            best[ok], move[ok] = sub_best, sub_move
        running = np.maximum.accumulate(best)  # 0-1 moves: dp[i, j] = max(best[i, j], dp[i, j - 1])
        move[running > best] = len(moves_allowed)
        dp.append(running)
        choice.append(move)
    return dp, choice


def _solve(n: int, m: int, lo: np.ndarray, hi: np.ndarray, value: Callable, moves_allowed: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Best monotone path from (0, 0) to (n, m) inside the band [lo[i], hi[i]); returns the moves in order."""
    _, choice = _forward(n, m, lo, hi, value, moves_allowed)
    moves = []
    i, j = n, m
    while i > 0 or j > 0:
        code = choice[i][j - lo[i]]
        a, b = (0, 1) if code == len(moves_allowed) else moves_allowed[code]
        moves.append((a, b))
        i, j = i - a, j - b
    return moves[::-1]


def _near_best(n: int, m: int, lo: np.ndarray, hi: np.ndarray, value: Callable, moves_allowed: Sequence[tuple[int, int]],
               slack: float) -> list[tuple[int, int, int, np.ndarray]]:
    """Every move (a, b) into row i, columns cols, that lies on some path scoring within ``slack`` of the best.

    Forward scores come from `_forward`; backward scores from the same program run on both sequences reversed
    (a move's value is the same read from either end). Used to decide which spans are worth encoding.
    """
    forward, _ = _forward(n, m, lo, hi, value, moves_allowed)
    rlo, rhi = m + 1 - hi[::-1], m + 1 - lo[::-1]
    backward, _ = _forward(n, m, rlo, rhi, lambda a, b, i, cols: value(a, b, n - i + a, m - cols + b), moves_allowed)
    best = forward[n][m - lo[n]]
    found = []
    for a, b in moves_allowed:
        if b == 0:
            continue
        for i in range(a, n + 1):
            cols = np.arange(max(lo[i], b), hi[i])
            before = cols - b
            inside = (before >= lo[i - a]) & (before < hi[i - a])
            cols, before = cols[inside], before[inside]
            if not cols.size:
                continue
            reverse_row = n - i
            after = backward[reverse_row][(m - cols) - rlo[reverse_row]]
            total = forward[i - a][before - lo[i - a]] + value(a, b, i, cols) + after
            keep = cols[total >= best - slack]
            if keep.size:
                found.append((a, b, i, keep))
    return found


def _band(src: _Side, tgt: _Side, n: int, m: int, params: AlignParams) -> tuple[np.ndarray, np.ndarray]:
    """Columns each row may use: around the point where the target has covered the same share of characters."""
    src_share = src.lengths / max(src.lengths[-1], 1.0)
    tgt_share = tgt.lengths / max(tgt.lengths[-1], 1.0)
    half = max(params.min_band, int(params.band_fraction * max(n, m)), abs(int(src.whole[-1] - tgt.whole[-1])) + 10)
    centre = np.searchsorted(tgt_share, src_share)
    lo = np.clip(centre - half, 0, m)
    hi = np.clip(centre + half + 1, 0, m + 1)
    lo[0], hi[-1] = 0, m + 1
    return lo, hi


def align_sentences(
    source: Sequence[str], target: Sequence[str], encoder: Encoder, params: AlignParams = AlignParams(),
    origins: tuple[Sequence[int | None], Sequence[int | None]] | None = None,
) -> list[Link]:
    """Monotone alignment of two sentence lists (0-based ids in each Link).

    ``origins`` (tq.segment.cap_sentences) says which sentences are pieces of one over-long sentence: the
    links between pieces are joined into links of up to ``PIECE_PAIR_WORDS`` words (see ``_join_pieces``).
    """
    n, m = len(source), len(target)
    if n == 0 or m == 0:
        return [Link((i,), (), 0.0) for i in range(n)] + [Link((), (j,), 0.0) for j in range(m)]
    vectors = encoder.encode(list(source) + list(target))
    src, tgt = (_Side(source, vectors[:n], params.max_span, origins and origins[0]),
                _Side(target, vectors[n:], params.max_span, origins and origins[1]))
    params = replace(params, ratio=max(tgt.lengths[-1], 1.0) / max(src.lengths[-1], 1.0), background=_background(src, tgt))

    lo, hi = _band(src, tgt, n, m, params)
    block: dict[tuple[int, int, int], tuple[int, np.ndarray]] = {}

    def summed(a: int, b: int, i: int, cols: np.ndarray) -> np.ndarray:
        # similarities come from one matrix product per block of 128 rows and link shape
        key = (a, b, i // 128)
        if key not in block:
            first, last = key[2] * 128, min(n, key[2] * 128 + 127)
            c0, c1 = int(lo[first]), int(hi[last])
            block.clear() if len(block) > 64 else None
            block[key] = (c0, src.spans[a][first:last + 1] @ tgt.spans[b][c0:c1].T)
        c0, matrix = block[key]
        similarity = matrix[i - key[2] * 128, cols - c0]
        return _link_value(params, a, b, similarity, src.length(i, a), tgt.length(cols, b), src.mask(i, a), tgt.mask(cols, b))

    moves = _solve(n, m, lo, hi, summed, COARSE_MOVES)
    spans = _spans(moves)
    similarities = [float(tgt.vector(j1, j1 - j0) @ src.vector(i1, i1 - i0)) if i1 > i0 and j1 > j0 else 0.0
                    for (i0, i1, j0, j1) in spans]
    spans = _refine(spans, similarities, source, target, src, tgt, encoder, params)
    spans = _pair_gaps(spans, src, tgt, params)
    spans = _split_parallel(spans, src, tgt, params)
    if origins is not None:
        spans = _join_pieces(spans, source, target, origins)
    # multi-sentence links are scored by their encoded texts, all in one call (one call per link cost a long
    # document's pieces a third of their alignment)
    wide = [(i0, i1, j0, j1) for i0, i1, j0, j1 in spans if i1 > i0 and j1 > j0 and (i1 - i0 > 1 or j1 - j0 > 1)]
    texts = [text for i0, i1, j0, j1 in wide for text in (" ".join(source[i0:i1]), " ".join(target[j0:j1]))]
    encoded = dict(zip(wide, encoder.encode(texts).reshape(len(wide), 2, -1))) if wide else {}
    links = []
    for i0, i1, j0, j1 in spans:
        score = 0.0
        if i1 > i0 and j1 > j0:
            pair = encoded.get((i0, i1, j0, j1))
            if pair is None:
                pair = np.vstack([vectors[i0], vectors[n + j0]])
            score = float(pair[0] @ pair[1])
        links.append(Link(tuple(range(i0, i1)), tuple(range(j0, j1)), round(score, 4)))
    return links


def _background(src: _Side, tgt: _Side, samples: int = 2000) -> float:
    """Mean similarity of random sentence pairs: the margin's stand-in for a neighbour past a document's end."""
    rng = np.random.default_rng(0)
    n, m = src.spans[1].shape[0] - 1, tgt.spans[1].shape[0] - 1
    rows, cols = rng.integers(1, n + 1, samples), rng.integers(1, m + 1, samples)
    return float(np.einsum("ij,ij->i", src.spans[1][rows], tgt.spans[1][cols]).mean())


def _pair_gaps(spans, src: _Side, tgt: _Side, params: AlignParams):
    """A dropped sentence next to an added one, in the same gap, is more likely a loose 1-1 translation.

    The DP only links sentences above ``threshold``; a free paraphrase ("Il quadro
    normativo è pronto" / "The work is done") falls below it and comes out as a
    1-0 beside a 0-1. Linking them when they are at least ``gap_pair`` similar and of
    plausible relative length keeps the pair together for the checks.
    """
    out: list[tuple[int, int, int, int]] = []
    for span in spans:
        if out:
            a0, a1, b0, b1 = out[-1]
            i0, i1, j0, j1 = span
            one_side = (a1 - a0, b1 - b0, i1 - i0, j1 - j0)
            if one_side in ((1, 0, 0, 1), (0, 1, 1, 0)):
                i, j = (a0 if a1 > a0 else i0), (b0 if b1 > b0 else j0)
                similarity = float(src.vector(i + 1, 1) @ tgt.vector(j + 1, 1))
                ratio = (tgt.length(j + 1, 1) + 10.0) / (params.length_ratio * src.length(i + 1, 1) + 10.0)
                if similarity >= params.gap_pair and 0.33 <= ratio <= 3.0:
                    out[-1] = (i, i + 1, j, j + 1)
                    continue
        out.append(span)
    return out


def _split_parallel(spans, src: _Side, tgt: _Side, params: AlignParams):
    """A k-k link whose sentences pair off one by one, each pair confidently similar, is k 1-1 links.

    The margin cannot tell repeated or near-identical neighbours apart ("Add it." / "Add it."): each
    1-1 pair's margin is near zero, so pass 2 prefers one wide link. Sentence order settles it.
    """
    out: list[tuple[int, int, int, int]] = []
    for i0, i1, j0, j1 in spans:
        size = i1 - i0
        if size >= 2 and j1 - j0 == size and all(
                float(src.vector(i0 + k + 1, 1) @ tgt.vector(j0 + k + 1, 1)) >= params.parallel_split for k in range(size)):
            out.extend((i0 + k, i0 + k + 1, j0 + k, j0 + k + 1) for k in range(size))
        else:
            out.append((i0, i1, j0, j1))
    return out


# Words (on the longer side) up to which consecutive links between the pieces of over-long sentences are joined
# into one: a usual sentence's length (FLORES/NTREX 99th percentile: 44-54 words), so that the checks see few
# boundaries and pairs that cost what a sentence's do. The pieces are clauses (tq.segment.PIECE_WORDS): each
# boundary left is one both sides agree on, and a boundary is where clauses get split from what renders them.
PIECE_PAIR_WORDS = 60


def _join_pieces(spans, source: Sequence[str], target: Sequence[str],
                 origins: tuple[Sequence[int | None], Sequence[int | None]]):
    """Join consecutive links whose sentences are all pieces of the same over-long sentence on each side, while
    the joined link has at most ``PIECE_PAIR_WORDS`` words a side. Whole sentences are never joined."""
    src_origin, tgt_origin = origins

    def origin(span) -> tuple[set, bool]:
        i0, i1, j0, j1 = span
        found = [src_origin[i] for i in range(i0, i1)], [tgt_origin[j] for j in range(j0, j1)]
        return ({("s", o) for o in found[0]} | {("t", o) for o in found[1]},
                all(o is not None for side in found for o in side))

    def words(span) -> int:
        i0, i1, j0, j1 = span
        return max(sum(len(s.split()) for s in source[i0:i1]), sum(len(t.split()) for t in target[j0:j1]))

    out: list[tuple[int, int, int, int]] = []
    open_origins: set | None = None  # the origins of the link being joined into, None when it may not grow
    for span in spans:
        found, pieces = origin(span)
        if out and open_origins is not None and pieces and _same_origins(open_origins, found):
            i0, _, j0, _ = out[-1]
            joined = (i0, span[1], j0, span[3])
            if words(joined) <= PIECE_PAIR_WORDS:
                out[-1] = joined
                open_origins |= found
                continue
        out.append(span)
        open_origins = found if pieces else None
    return out


def _same_origins(a: set, b: set) -> bool:
    """No side of the two links comes from two different over-long sentences (a side without sentences matches)."""
    for side in ("s", "t"):
        mine, theirs = {o for s, o in a if s == side}, {o for s, o in b if s == side}
        if mine and theirs and mine != theirs:
            return False
    return True


def _spans(moves: list[tuple[int, int]]) -> list[tuple[int, int, int, int]]:
    spans, i, j = [], 0, 0
    for a, b in moves:
        spans.append((i, i + a, j, j + b))
        i, j = i + a, j + b
    return spans


def _refine(spans, similarities, source, target, src: _Side, tgt: _Side, encoder: Encoder, params: AlignParams):
    """Pass 2: re-align each doubtful stretch (and ``context`` links around it) with encoded concatenations."""
    doubtful = [k for k, ((i0, i1, j0, j1), sim) in enumerate(zip(spans, similarities))
                if not (i1 - i0 == 1 and j1 - j0 == 1 and sim >= params.confident)]
    if not doubtful:
        return spans
    windows: list[list[int]] = []
    for k in doubtful:
        first, last = max(0, k - params.context), min(len(spans) - 1, k + params.context)
        if windows and first <= windows[-1][1] + 1:
            if last - windows[-1][0] < params.max_window:
                windows[-1][1] = max(windows[-1][1], last)
                continue
            first = windows[-1][1] + 1  # the stretch goes on in a window of its own
            if first > last:
                continue
        windows.append([first, last])
    out: list[tuple[int, int, int, int]] = []
    done = 0
    for first, last in windows:
        out.extend(spans[done:first])
        i0, j0 = spans[first][0], spans[first][2]
        i1, j1 = spans[last][1], spans[last][3]
        reshaped = any((b1 - b0, d1 - d0) != (1, 1) for b0, b1, d0, d1 in spans[first:last + 1])
        out.extend(_align_window(source, target, src, tgt, i0, i1, j0, j1, encoder, params, encode=reshaped))
        done = last + 1
    out.extend(spans[done:])
    return out


def _align_window(source, target, src: _Side, tgt: _Side, i0, i1, j0, j1, encoder: Encoder, params: AlignParams,
                  encode: bool):
    """DP over a small window with every link shape up to ``max_link`` sentences.

    A link is worth its margin similarity (cosine less the mean cosine of each side with the other's
    neighbouring sentences, as Bertalign does) scaled by a length penalty, plus ``sentence_bonus`` per
    sentence it covers: a sentence left unlinked earns nothing, so a fragment ("Literatur :", "C ) .")
    joins its neighbour's link whenever that costs the link less than the bonus.

    Where ``encode`` (pass 1 merged or dropped something here) a multi-sentence span is valued by the
    encoding of its concatenated text, but only the spans of links on a path within ``screen_slack`` of
    the best one under summed vectors are encoded (encoding every span up to ``max_span`` cost five times
    the document's text); other multi-sentence links are not considered. Elsewhere summed vectors serve.
    """
    n, m = i1 - i0, j1 - j0
    if n == 0 or m == 0:
        return [(i, i + 1, j0, j0) for i in range(i0, i1)] + [(i1, i1, j, j + 1) for j in range(j0, j1)]
    moves = [(a, b) for a in range(1, params.max_span + 1) for b in range(1, params.max_span + 1)
             if a + b <= params.max_link] + [(1, 0)]
    sizes = range(1, params.max_span + 1)
    matrices = {(side, size): np.zeros((count + 1, src.spans[1].shape[1]), dtype=np.float32)
                for side, count in (("s", n), ("t", m)) for size in sizes}
    usable = {(side, size): np.full(count + 1, not encode or size == 1)
              for side, count in (("s", n), ("t", m)) for size in sizes}
    for size in sizes:
        matrices[("s", size)][1:] = src.spans[size][i0 + 1:i1 + 1]
        matrices[("t", size)][1:] = tgt.spans[size][j0 + 1:j1 + 1]
    singles_s, singles_t = src.spans[1], tgt.spans[1]  # row k: sentence k - 1 (row 0 is zeros)

    def against(vectors: np.ndarray, singles: np.ndarray, first: int, last: int) -> np.ndarray:
        """Cosines of each vector with rows first..last of the other side's sentences (``background`` past
        the document's ends, so a span reaching an end gains nothing from the margin)."""
        rows = np.arange(first, last + 1)
        total = singles.shape[0] - 1
        sims = vectors @ singles[np.clip(rows, 0, total)].T
        sims[:, (rows < 1) | (rows > total)] = params.background
        return sims

    def scorer(screening: bool) -> Callable:
        """Link values, computed for blocks of rows at once (one matrix product per block and link shape)."""
        blocks: dict[tuple[int, int, int], tuple[int, int, np.ndarray]] = {}
        # a block's spans of one size against the other side's sentences, for every shape at once: one product
        # per (side, size, block) rather than per shape (it was a fifth of a long document's alignment)
        neighbours: dict[tuple[str, int, int], tuple[int, np.ndarray]] = {}

        def near(side: str, size: int, block: int, vectors: np.ndarray, singles: np.ndarray, first: int, last: int):
            key = (side, size, block)
            if key not in neighbours:
                neighbours[key] = (first - params.max_span, against(vectors, singles, first - params.max_span, last))
            return neighbours[key]

        def value(a: int, b: int, i: int, cols: np.ndarray) -> np.ndarray:
            key = (a, b, i // 64)
            if key not in blocks:
                r0, r1 = key[2] * 64, min(n, key[2] * 64 + 63)
                c0, c1 = int(lo[r0]), int(hi[r1])
                rows, columns = np.arange(r0, r1 + 1), np.arange(c0, c1)
                s_vecs, t_vecs = matrices[("s", a)][r0:r1 + 1], matrices[("t", b)][c0:c1]
                similarity = s_vecs @ t_vecs.T
                # margin: less the similarity each side has with the sentences just around the other's span
                first, t_sims = near("s", a, key[2], s_vecs, singles_t, j0 + c0, j0 + c1)
                t_near = t_sims[:, j0 + columns - b - first] + t_sims[:, j0 + columns + 1 - first]
                first, s_sims = near("t", b, key[2], t_vecs, singles_s, i0 + r0, i0 + r1 + 1)
                s_near = (s_sims[:, i0 + rows - a - first] + s_sims[:, i0 + rows + 1 - first]).T
                src_len = src.length(i0 + rows, a)[:, None]
                tgt_len = tgt.length(j0 + columns, b)[None, :] / params.ratio
                # (rows before the shape's size have no span: their lengths are meaningless and never read)
                shorter, longer = np.maximum(np.minimum(src_len, tgt_len), 0.0), np.maximum(np.maximum(src_len, tgt_len), 1.0)
                table = (similarity - (t_near + s_near) / 4) * np.log2(1.0 + shorter / longer) + params.sentence_bonus * (a + b)
                if not screening:
                    table[~(usable[("s", a)][rows][:, None] & usable[("t", b)][columns][None, :])] = -np.inf
                blocks[key] = (r0, c0, table)
            r0, c0, table = blocks[key]
            inside = (cols >= c0) & (cols < c0 + table.shape[1])  # the backward pass asks past the band's edge
            if inside.all():
                return table[i - r0, cols - c0]
            out = np.full(cols.shape, -np.inf)
            out[inside] = table[i - r0, cols[inside] - c0]
            return out

        return value

    # a band around the window's diagonal: long windows (many doubtful links in a row) stay linear
    excess = abs(int((src.whole[i1] - src.whole[i0]) - (tgt.whole[j1] - tgt.whole[j0])))  # n - m, whole sentences
    half = max(params.min_window_band, excess + params.max_link)
    centre = np.round(np.arange(n + 1) * (m / n)).astype(int)
    lo, hi = np.clip(centre - half, 0, m), np.clip(centre + half + 1, 0, m + 1)
    lo[0], hi[-1] = 0, m + 1
    if encode:
        wanted: set[tuple[str, int, int]] = set()
        for a, b, i, cols in _near_best(n, m, lo, hi, scorer(screening=True), moves, params.screen_slack):
            if a > 1:
                wanted.add(("s", int(i), a))
            if b > 1:
                wanted.update(("t", int(j), b) for j in cols)
        keys = sorted(wanted)
        texts = [" ".join(source[i0 + end - size:i0 + end] if side == "s" else target[j0 + end - size:j0 + end])
                 for side, end, size in keys]
        for (side, end, size), vector in zip(keys, encoder.encode(texts) if texts else []):
            matrices[(side, size)][end] = vector
            usable[(side, size)][end] = True
    return [(i0 + a0, i0 + a1, j0 + b0, j0 + b1) for a0, a1, b0, b1 in _spans(_solve(n, m, lo, hi, scorer(screening=False), moves))]
