"""A pandas DataFrame of findings, for notebook exploration."""
from __future__ import annotations

from ..types import Report

# "pair" is the 0-based pair index (report.pairs[pair]); "segment" the 1-based number the reports show (see tq.report)
COLUMNS = ["pair", "segment", "src_ids", "tgt_ids", "source", "target", "score", "similarity", "word_coverage", "check", "category", "severity",
           "start", "end", "text", "message", "suggestion", "fix_origin", "confidence"]


def report_frame(report: Report):
    try:
        import pandas as pd
    except ImportError:
        from ..types import TqError

        raise TqError("Report.to_frame() needs pandas: pip install 'tq[frame]'") from None
    rows = []
    for pair in report.pairs:
        base = {"pair": pair.index, "segment": pair.index + 1, "src_ids": list(pair.src_ids), "tgt_ids": list(pair.tgt_ids), "source": pair.source,
                "target": pair.target, "score": pair.score, "similarity": pair.similarity,
                "word_coverage": pair.word_coverage}
        if not pair.findings:
            rows.append(base)
        for f in pair.findings:
            rows.append({**base, "check": f.check, "category": f.category, "severity": f.severity, "start": f.start,
                         "end": f.end, "text": pair.target[f.start:f.end], "message": f.message,
                         "suggestion": f.suggestion, "fix_origin": f.fix_origin, "confidence": f.confidence})
    return pd.DataFrame(rows, columns=COLUMNS)
