"""tq: a bilingual translation-quality checker for English translations of Italian news.

    >>> import tq
    >>> report = tq.check(italian_text, english_text)
    >>> report.worst_severity, report.to_frame()

Nothing heavy happens at import: models load on first use.
"""
from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["check", "check_pairs", "check_many", "align", "align_words", "fix", "Report", "Finding", "Pair", "Link", "TqError",
           "__version__"]


def __getattr__(name: str):
    # Lazy public API: ``import tq`` stays instant (the CLI imports it too).
    if name in ("check", "check_pairs", "align"):
        from . import pipeline

        return getattr(pipeline, name)
    if name == "check_many":  # many articles, on every core or a Dask cluster (tq.batch)
        from .batch import check_many

        return check_many
    if name == "align_words":  # word links inside one pre-tokenized pair (tq.wordalign)
        from .wordalign import align_words

        return align_words
    if name == "fix":  # the logic lives in tq.fixes: a submodule named tq.fix would shadow this function
        from .fixes import fix

        return fix
    if name in ("Report", "Finding", "Pair", "Link", "TqError", "Document", "Sentence"):
        from . import types

        return getattr(types, name)
    raise AttributeError(f"module 'tq' has no attribute {name!r}")
