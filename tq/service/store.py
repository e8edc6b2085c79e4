"""The review page's memory: each review's inputs, report and the editor's decisions, in SQLite.

SQLite in WAL mode (under ``tq serve --data DIR``) because a review must survive a reload, a closed tab and a
server restart, several worker processes may write at once, and it needs no server of its own. Every
decision is committed as it is made. A decision is about one finding (its number in the report's order):
``accepted`` applies the finding's suggestion, ``edited`` applies the editor's own text for the flagged span,
``rejected`` keeps the translation and puts the finding in the downloadable baseline; ``open`` undoes.
"""
from __future__ import annotations

import json
import secrets
import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..types import TqError

DECISIONS = ("accepted", "rejected", "edited", "open")
DATABASE_NAME = "tq-reviews.sqlite3"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS reviews (
    id TEXT PRIMARY KEY,
    created REAL NOT NULL,
    source TEXT NOT NULL,
    translation TEXT NOT NULL,
    markup TEXT NOT NULL,      -- 'text', 'html' or 'markdown': how the texts were read
    report TEXT NOT NULL,      -- the tq.report JSON of the check
    baseline TEXT NOT NULL     -- one baseline entry per finding, in the report's order (JSON list)
);
CREATE TABLE IF NOT EXISTS decisions (
    review TEXT NOT NULL REFERENCES reviews(id) ON DELETE CASCADE,
    finding INTEGER NOT NULL,
    status TEXT NOT NULL,
    text TEXT,
    updated REAL NOT NULL,
    PRIMARY KEY (review, finding)
);
"""


class NotFound(TqError):
    """No such review or finding."""


class Conflict(TqError):
    """A decision that cannot hold with the others (two edits of overlapping text)."""


@dataclass
class Review:
    id: str
    source: str
    translation: str
    markup: str
    report: dict[str, Any]
    baseline: list[dict[str, Any]]
    decisions: dict[int, dict[str, Any]]

    def findings(self) -> list[dict[str, Any]]:
        """The report's findings in order, each with its number and its pair's index."""
        return [{**finding, "number": number, "pair": pair["index"]}
                for number, (pair, finding) in enumerate((p, f) for p in self.report["pairs"] for f in p["findings"])]

    def edits(self) -> list[tuple[int, int, str]]:
        """(start, end, replacement) in the translation for every accepted or edited finding, in text order."""
        findings = self.findings()
        edits = []
        for number, decision in self.decisions.items():
            finding = findings[number]
            if decision["status"] == "accepted" and finding["suggestion"] is not None:
                edits.append((finding["doc_start"], finding["doc_end"], finding["suggestion"]))
            elif decision["status"] == "edited":
                edits.append((finding["doc_start"], finding["doc_end"], decision["text"]))
        return sorted(edits)

    def markup_map(self):
        """An HTML or Markdown translation's map from the checked plain text back to it (None for plain text)."""
        if self.markup == "text":
            return None
        from ..markup import read_markup

        return read_markup(self.translation, self.markup)  # type: ignore[arg-type]

    def corrected(self) -> str:
        """The translation with exactly the accepted and edited changes; every other character as it came
        (for HTML or Markdown, every tag and attribute too: the edits are written into the markup)."""
        mapped = self.markup_map()
        if mapped is not None:
            return mapped.apply(self.edits())
        text, pieces, at = self.translation, [], 0
        for start, end, replacement in self.edits():
            pieces += [text[at:start], replacement]
            at = end
        return "".join(pieces) + text[at:]

    def rejected_baseline(self) -> str:
        """The rejected findings as a baseline file (`tq check --baseline` leaves them out)."""
        from ..accepted import baseline_file

        return baseline_file(row for number, row in enumerate(self.baseline)
                             if self.decisions.get(number, {}).get("status") == "rejected")

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "findings": self.findings(),
                "decisions": {str(k): v for k, v in sorted(self.decisions.items())}, "report": self.report}


class ReviewStore:
    """Reviews in one SQLite file; safe to share between the threads of a worker and between workers."""

    def __init__(self, folder: str | Path) -> None:
        self.path = Path(folder) / DATABASE_NAME
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        with self._connection() as db:
            db.execute("PRAGMA journal_mode=WAL")
            db.executescript(_SCHEMA)

    def _connection(self) -> sqlite3.Connection:
        db = getattr(self._local, "db", None)
        if db is None:
            db = sqlite3.connect(self.path, timeout=30, isolation_level=None)  # autocommit: each statement lands at once
            db.execute("PRAGMA foreign_keys=ON")
            db.execute("PRAGMA synchronous=NORMAL")  # with WAL: durable across a crash of the server, fast
            self._local.db = db
        return db

    def create(self, source: str, translation: str, report: dict[str, Any], baseline: list[dict[str, Any]],
               markup: str = "text") -> str:
        review_id = secrets.token_urlsafe(12)
        self._connection().execute("INSERT INTO reviews VALUES (?, ?, ?, ?, ?, ?, ?)", (
            review_id, time.time(), source, translation, markup, json.dumps(report), json.dumps(baseline)))
        return review_id

    def get(self, review_id: str) -> Review:
        db = self._connection()
        row = db.execute("SELECT source, translation, markup, report, baseline FROM reviews WHERE id = ?", (review_id,)).fetchone()
        if row is None:
            raise NotFound(f"no review {review_id!r}")
        decisions = {finding: {"status": status, "text": text, "updated": updated} for finding, status, text, updated in
                     db.execute("SELECT finding, status, text, updated FROM decisions WHERE review = ?", (review_id,))}
        return Review(review_id, row[0], row[1], row[2], json.loads(row[3]), json.loads(row[4]), decisions)

    def decide(self, review_id: str, finding: int, status: str, text: str | None = None) -> Review:
        """Record one decision (``open`` removes it); an accept or edit that overlaps another is a Conflict."""
        if status not in DECISIONS:
            raise TqError(f"status must be one of {', '.join(DECISIONS)}, not {status!r}")
        review = self.get(review_id)
        findings = review.findings()
        if not 0 <= finding < len(findings):
            raise NotFound(f"review {review_id!r} has no finding {finding} (it has {len(findings)})")
        if status == "edited" and text is None:
            raise TqError("an edit needs its text")
        if status == "accepted" and findings[finding]["suggestion"] is None:
            raise Conflict(f"finding {finding} has no suggestion to accept: edit it instead")
        if status in ("accepted", "edited"):
            start, end = findings[finding]["doc_start"], findings[finding]["doc_end"]
            mapped = review.markup_map()
            if mapped is not None and mapped.edit_span(start, end) is None:
                raise Conflict(f"finding {finding} crosses markup (a tag or a paragraph break): edit it in the article itself")
            for other, decision in review.decisions.items():
                if other == finding or decision["status"] not in ("accepted", "edited"):
                    continue
                o_start, o_end = findings[other]["doc_start"], findings[other]["doc_end"]
                if start < o_end and o_start < end or (start == end == o_start == o_end):
                    raise Conflict(f"finding {finding} overlaps finding {other}, already changed: undo that one first")
        db = self._connection()
        if status == "open":
            db.execute("DELETE FROM decisions WHERE review = ? AND finding = ?", (review_id, finding))
        else:
            db.execute("INSERT INTO decisions VALUES (?, ?, ?, ?, ?) ON CONFLICT(review, finding) DO UPDATE SET "
                       "status = excluded.status, text = excluded.text, updated = excluded.updated",
                       (review_id, finding, status, text if status == "edited" else None, time.time()))
        return self.get(review_id)
