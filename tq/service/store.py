"""The review page's memory: each review's inputs, report and the editor's decisions, in SQLite.

SQLite in WAL mode (under ``tq serve --data DIR``) because a review must survive a reload, a closed tab and a
server restart, several worker processes may write at once, and it needs no server of its own. Every
decision is committed as it is made. A decision is about one finding (its number in the report's order):
``accepted`` applies the finding's suggestion, ``edited`` applies the editor's own text for the flagged span,
``rejected`` keeps the translation and puts the finding in the downloadable baseline; ``open`` undoes.

The store does not grow forever: a review older than ``keep_days`` is deleted (its texts, report and
decisions) when the store opens, before each creation, listing and read, and whenever :meth:`purge` is called
(the service does so hourly); ``max_reviews`` caps how many it holds (:class:`StoreFull` past it). A deleted
review's text must not stay readable in the file: every connection sets ``PRAGMA secure_delete=ON`` (SQLite
overwrites deleted content with zeros) and every deletion ends with ``PRAGMA wal_checkpoint(TRUNCATE)``, so the
write-ahead log, which still holds the pages as they were, is emptied. Time comes from ``clock`` (seconds
since the epoch, ``time.time`` unless a test says otherwise).
"""
from __future__ import annotations

import json
import secrets
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from ..types import TqError

DECISIONS = ("accepted", "rejected", "edited", "open")
DATABASE_NAME = "tq-reviews.sqlite3"
DAY_S = 86400.0
CHECKPOINT_TRIES = 20  # a TRUNCATE checkpoint waits for other connections' reads to end: try this often, 50 ms apart

_SCHEMA = """
CREATE TABLE IF NOT EXISTS reviews (
    id TEXT PRIMARY KEY,
    created REAL NOT NULL,
    source TEXT NOT NULL,
    translation TEXT NOT NULL,
    markup TEXT NOT NULL,      -- 'text', 'html' or 'markdown': how the texts were read
    report TEXT NOT NULL,      -- the tq.report JSON of the check
    baseline TEXT NOT NULL,    -- one baseline entry per finding, in the report's order (JSON list)
    findings INTEGER           -- how many findings (for the list of reviews without reading the report)
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
_INDEX = "CREATE INDEX IF NOT EXISTS reviews_created ON reviews(created)"  # after the migration of older files


def iso_utc(seconds: float) -> str:
    """ISO 8601 in UTC, to the second: ``2025-03-01T09:30:00Z``."""
    return datetime.fromtimestamp(seconds, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class NotFound(TqError):
    """No such review or finding."""


class Conflict(TqError):
    """A decision that cannot hold with the others (two edits of overlapping text)."""


class StoreFull(TqError):
    """The store holds ``max_reviews`` reviews already: a new one is refused until some are deleted or expire."""


@dataclass(frozen=True)
class ReviewEntry:
    """One line of the list of reviews: no text, only what tells the reviews apart."""

    id: str
    created: float         # seconds since the epoch
    findings: int
    decided: int           # findings with a decision (accepted, rejected or edited)
    expires: float | None  # when it will be deleted (None: kept until deleted)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "created": iso_utc(self.created), "findings": self.findings, "decided": self.decided,
                "expires": None if self.expires is None else iso_utc(self.expires)}


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
    """Reviews in one SQLite file; safe to share between the threads of a worker and between workers.

    ``keep_days``: a review older than that is deleted (None or 0: kept until deleted). ``max_reviews``: the
    most it holds (None or 0: no cap). ``clock``: the time, in seconds since the epoch."""

    def __init__(self, folder: str | Path, keep_days: float | None = None, max_reviews: int | None = None,
                 clock: Callable[[], float] = time.time) -> None:
        self.path = Path(folder) / DATABASE_NAME
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.keep_days = keep_days or None
        self.max_reviews = max_reviews or None
        self.clock = clock
        self._local = threading.local()
        self._unchecked = threading.Event()  # a deletion whose checkpoint could not finish yet: retry it
        db = self._connection()
        db.execute("PRAGMA journal_mode=WAL")
        db.executescript(_SCHEMA)
        self._migrate(db)
        db.execute(_INDEX)
        self.purge()  # at start-up: what expired while the server was down goes at once

    def _connection(self) -> sqlite3.Connection:
        db = getattr(self._local, "db", None)
        if db is None:
            db = sqlite3.connect(self.path, timeout=30, isolation_level=None)  # autocommit: each statement lands at once
            db.execute("PRAGMA foreign_keys=ON")
            db.execute("PRAGMA synchronous=NORMAL")  # with WAL: durable across a crash of the server, fast
            db.execute("PRAGMA secure_delete=ON")    # deleted text is overwritten with zeros, not left in free space
            self._local.db = db
        return db

    @staticmethod
    def _migrate(db: sqlite3.Connection) -> None:
        """A file from before the ``findings`` column: add it and count each review's findings once."""
        def migrated() -> bool:
            return "findings" in [row[1] for row in db.execute("PRAGMA table_info(reviews)").fetchall()]

        if migrated():
            return
        with _transaction(db):
            if migrated():  # another worker did it meanwhile
                return
            db.execute("ALTER TABLE reviews ADD COLUMN findings INTEGER")
            for review_id, baseline in db.execute("SELECT id, baseline FROM reviews").fetchall():
                db.execute("UPDATE reviews SET findings = ? WHERE id = ?", (len(json.loads(baseline)), review_id))

    # ---- retention and the cap

    def _cutoff(self) -> float | None:
        return None if self.keep_days is None else self.clock() - self.keep_days * DAY_S

    def purge(self) -> int:
        """Delete every review older than ``keep_days`` (and its decisions) so that no copy of its text stays in
        the file or its write-ahead log; the number deleted."""
        cutoff = self._cutoff()
        db = self._connection()
        deleted = 0
        if cutoff is not None and db.execute("SELECT 1 FROM reviews WHERE created < ? LIMIT 1", (cutoff,)).fetchall():
            with _transaction(db):
                db.execute("DELETE FROM decisions WHERE review IN (SELECT id FROM reviews WHERE created < ?)", (cutoff,))
                deleted = db.execute("DELETE FROM reviews WHERE created < ?", (cutoff,)).rowcount
        if deleted or self._unchecked.is_set():
            self._checkpoint()
        return deleted

    def delete(self, review_id: str) -> None:
        """Delete one review and its decisions (NotFound when there is none), leaving no copy of its text."""
        db = self._connection()
        with _transaction(db):
            db.execute("DELETE FROM decisions WHERE review = ?", (review_id,))
            if db.execute("DELETE FROM reviews WHERE id = ?", (review_id,)).rowcount == 0:
                raise NotFound(f"no review {review_id!r}")
        self._checkpoint()

    def _checkpoint(self) -> None:
        """Copy the write-ahead log into the file and truncate it to nothing: the log still holds the pages as they
        were before a deletion. Another connection's read in progress holds it up; a few tries, then the next
        purge tries again."""
        db = self._connection()
        for _ in range(CHECKPOINT_TRIES):
            busy, _log, _done = db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
            if not busy:
                self._unchecked.clear()
                return
            time.sleep(0.05)
        self._unchecked.set()

    def count(self) -> int:
        return int(self._connection().execute("SELECT COUNT(*) FROM reviews").fetchone()[0])

    def ensure_room(self) -> None:
        """Raise StoreFull when a new review would be past ``max_reviews`` (expired ones are deleted first)."""
        self.purge()
        if self.max_reviews is not None and self.count() >= self.max_reviews:
            raise StoreFull(self._full_message())

    def _full_message(self) -> str:
        return (f"the review store is full: it holds {self.max_reviews} reviews, its limit; delete some "
                f"(DELETE /v1/reviews/ID){'' if self.keep_days is None else ' or wait for old ones to expire'}")

    def entries(self, limit: int | None = None) -> list[ReviewEntry]:
        """The reviews, newest first (at most ``limit``), with their counts of findings and decisions."""
        self.purge()
        rows = self._connection().execute(
            "SELECT r.id, r.created, r.findings, (SELECT COUNT(*) FROM decisions d WHERE d.review = r.id) FROM reviews r "
            "ORDER BY r.created DESC, r.id LIMIT ?", (-1 if limit is None else limit,)).fetchall()
        keep = None if self.keep_days is None else self.keep_days * DAY_S
        return [ReviewEntry(review_id, created, findings or 0, decided, None if keep is None else created + keep)
                for review_id, created, findings, decided in rows]

    def create(self, source: str, translation: str, report: dict[str, Any], baseline: list[dict[str, Any]],
               markup: str = "text") -> str:
        """Keep a new review; StoreFull when the store already holds ``max_reviews``."""
        self.purge()
        review_id = secrets.token_urlsafe(12)
        db = self._connection()
        with _transaction(db):  # the count and the insert in one write transaction: two workers cannot both pass the cap
            if self.max_reviews is not None and db.execute("SELECT COUNT(*) FROM reviews").fetchone()[0] >= self.max_reviews:
                raise StoreFull(self._full_message())
            db.execute("INSERT INTO reviews (id, created, source, translation, markup, report, baseline, findings) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", (review_id, self.clock(), source, translation, markup,
                                                           json.dumps(report), json.dumps(baseline), len(baseline)))
        return review_id

    def get(self, review_id: str) -> Review:
        self.purge()  # an expired review is never served, even between two purges
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
                       (review_id, finding, status, text if status == "edited" else None, self.clock()))
        return self.get(review_id)


@contextmanager
def _transaction(db: sqlite3.Connection) -> Iterator[None]:
    """One write transaction (taken at once, so that what it reads still holds when it writes)."""
    db.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")
