"""JSON report, schema ``tq.report`` version 1 (documented in README.md).

Offsets: ``start``/``end`` index the pair's ``target``; ``doc_start``/
``doc_end`` index the whole translation text as read. ``index``, ``src_ids``
and ``tgt_ids`` are 0-based ids; ``segment`` is the 1-based number the text,
Markdown and HTML reports show (the rule is in ``tq.report``). ``fix_origin``
says whether a ``suggestion`` is the check's own ("rule") or a model rewrite.
When the translation was HTML or Markdown, the text offsets index its plain
text and each finding also has ``markup_start``/``markup_end``: its place in
the original markup file (tags around it never included).
"""
from __future__ import annotations

import json
from collections import Counter

from ..types import Finding, Pair, Report

SCHEMA_VERSION = 1


def report_dict(report: Report) -> dict:
    by_category = Counter(f.category for _, f in report.findings)
    return {
        "schema": "tq.report",
        "version": SCHEMA_VERSION,
        "signature": report.signature,
        "source": {"name": report.source_name, "language": report.src_lang, "encoding": report.source_encoding},
        "translation": {"name": report.translation_name, "language": report.tgt_lang, "encoding": report.translation_encoding},
        "summary": {
            "pairs": len(report.pairs),
            "document_score": report.document_score,
            "worst_severity": report.worst_severity,
            "counts": report.counts(),
            "by_category": dict(sorted(by_category.items())),
            "low_confidence_links": sum(p.low_confidence for p in report.pairs),
        },
        "skipped_checks": report.skipped,
        "notes": report.notes,
        "pairs": [
            {
                "index": pair.index,
                "segment": pair.index + 1,
                "src_ids": list(pair.src_ids),
                "tgt_ids": list(pair.tgt_ids),
                "source": pair.source,
                "target": pair.target,
                "src_offset": pair.src_offset,
                "tgt_offset": pair.tgt_offset,
                "score": pair.score,
                "similarity": None if pair.similarity is None else round(pair.similarity, 4),
                "word_coverage": pair.word_coverage,
                "lm_surprisal": pair.lm_surprisal,
                "link_score": pair.link_score,
                "low_confidence": pair.low_confidence,
                "suggestion": pair.suggestion,
                "findings": [
                    {
                        "check": f.check,
                        "category": f.category,
                        "severity": f.severity,
                        "start": f.start,
                        "end": f.end,
                        "doc_start": pair.tgt_offset + f.start,
                        "doc_end": pair.tgt_offset + f.end,
                        "text": pair.target[f.start:f.end],
                        "message": f.message,
                        "suggestion": f.suggestion,
                        "fix_origin": f.fix_origin,
                        "confidence": f.confidence,
                        "source_start": f.source_start,
                        "source_end": f.source_end,
                        "source_text": None if f.source_start is None else pair.source[f.source_start:f.source_end],
                        "also": list(f.also),
                        **_markup_offsets(report, pair, f),
                    }
                    for f in pair.findings
                ],
            }
            for pair in report.pairs
        ],
    }


def _markup_offsets(report: Report, pair: Pair, finding: Finding) -> dict[str, int]:
    """``markup_start``/``markup_end`` for a markup translation; nothing for plain text (its JSON is unchanged)."""
    span = report.markup_span(pair, finding)
    return {} if span is None else {"markup_start": span[0], "markup_end": span[1]}


def render_json(report: Report, indent: int | None = 2) -> str:
    return json.dumps(report_dict(report), ensure_ascii=False, indent=indent)
