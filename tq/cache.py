"""tq's own cache folder: things derived once from installed packages and read fast afterwards.

What lives here is rebuilt from what is installed whenever it is missing or
stale (each entry is keyed by what it was built from), so deleting the folder
is always safe. ``TQ_CACHE_DIR`` moves it; the default follows XDG
(``$XDG_CACHE_HOME/tq``, else ``~/.cache/tq``).
"""
from __future__ import annotations

import atexit
import hashlib
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np


def cache_root() -> Path:
    explicit = os.environ.get("TQ_CACHE_DIR")
    if explicit:
        return Path(explicit).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "tq"


def _private_build(kind: str, build: Callable[[Path], None]) -> Path:
    folder = Path(tempfile.mkdtemp(prefix=f"tq-{kind.replace('/', '-')}-"))
    atexit.register(shutil.rmtree, folder, True)
    build(folder)
    return folder


def key_of(*parts: object) -> str:
    """A short stable name for what an entry was built from (versions, file sizes and dates)."""
    return hashlib.sha256("\x1f".join(map(str, parts)).encode("utf-8")).hexdigest()[:16]


def file_identity(path: Path) -> tuple[str, int, str]:
    """What identifies an installed file cheaply, wherever it is installed: its name, size and a hash of its
    first and last MiB (two virtual environments with the same package share one cache entry)."""
    size = path.stat().st_size
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        digest.update(handle.read(1 << 20))
        if size > 2 << 20:
            handle.seek(-(1 << 20), os.SEEK_END)
            digest.update(handle.read())
    return path.name, size, digest.hexdigest()[:16]


def cached_folder(kind: str, key: str, build: Callable[[Path], None]) -> Path:
    """The folder ``<cache>/<kind>/<key>``, built by ``build(folder)`` the first time.

    The build writes into a temporary sibling that is renamed into place, so an
    interrupted build never leaves a half-written entry, and two processes
    building at once both end with a complete one. Older entries of the same
    kind are removed.
    """
    parent = cache_root() / kind
    folder = parent / key
    if folder.is_dir():
        return folder
    try:
        parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{key}-", dir=parent))
    except OSError:  # no writable cache (read-only home): build for this process only
        return _private_build(kind, build)
    try:
        build(staging)
        try:
            staging.rename(folder)
        except OSError:
            if not folder.is_dir():  # not a concurrent build that finished first
                raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    for old in parent.iterdir():
        if old.name != key and not old.name.startswith("."):
            shutil.rmtree(old, ignore_errors=True)
    return folder


def open_read_only(path: Path):
    """An SQLite database of tq's cache, read-only: one connection the threads of a process share (SQLite
    serialises it); a worker process opens its own."""
    import sqlite3

    return sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)


def rows_where_in(db, query: str, keys: list[str]) -> Iterator[tuple]:
    """The rows of ``query`` (which ends in ``IN ({})``) for all of ``keys``, in statements of at most 500
    parameters (SQLite's limit is 999 in old builds): one statement for many keys instead of one per key."""
    for start in range(0, len(keys), 500):
        chunk = keys[start:start + 500]
        yield from db.execute(query.format(",".join("?" * len(chunk))), chunk)


class CachedTable:
    """A read-only key -> value table (SQLite) in tq's cache: opening it costs nothing and holds nothing in
    memory, where the packages it is derived from rebuild a dictionary of every word in every process."""

    def __init__(self, path: Path) -> None:
        self._db = open_read_only(path)

    def get(self, key: str, default=None):
        row = self._db.execute("SELECT value FROM entries WHERE key = ?", (key,)).fetchone()
        return default if row is None else row[0]


def cached_table(kind: str, key: str, rows: Callable[[], Iterable[tuple[str, object]]]) -> CachedTable:
    """The table ``<cache>/<kind>/<key>/table.sqlite``, filled from ``rows()`` the first time."""

    def build(folder: Path) -> None:
        import sqlite3

        with sqlite3.connect(folder / "table.sqlite") as connection:
            connection.execute("CREATE TABLE entries (key TEXT PRIMARY KEY, value) WITHOUT ROWID")
            connection.executemany("INSERT OR REPLACE INTO entries VALUES (?, ?)", rows())
        connection.close()

    return CachedTable(cached_folder(kind, key, build) / "table.sqlite")


class VectorStore:
    """A persistent text -> float32 vector table (SQLite) in tq's cache that every tq process reads and adds to,
    up to ``limit`` rows: a vector is stored as it was computed, so one read back is the same to the bit.
    Anything SQLite refuses (a read-only or full disk, a lock held too long) turns the store off for this
    process: it is a cache, never a reason to fail."""

    def __init__(self, path: Path, dim: int, limit: int) -> None:
        import sqlite3
        import threading

        self.dim, self.limit = dim, limit
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None
        try:
            self._db = sqlite3.connect(path, timeout=5, check_same_thread=False, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")  # readers never wait for a writer
            self._rows = int(self._db.execute("SELECT count(*) FROM vectors").fetchone()[0])
        except sqlite3.Error:
            self._db = None

    def get(self, texts: list[str]) -> dict[str, np.ndarray]:
        """The stored vectors of those of ``texts`` the store has."""
        import sqlite3

        import numpy as np

        found: dict[str, np.ndarray] = {}
        with self._lock:
            if self._db is None:
                return found
            try:
                for text, blob in rows_where_in(self._db, "SELECT text, vector FROM vectors WHERE text IN ({})", texts):
                    found[text] = np.frombuffer(blob, dtype="<f4").astype(np.float32)
            except sqlite3.Error:
                self._db = None
        return {text: vector for text, vector in found.items() if vector.shape == (self.dim,)}

    def put(self, vectors: dict[str, np.ndarray]) -> None:
        """Store these vectors, while the store holds fewer than ``limit``."""
        import sqlite3

        import numpy as np

        with self._lock:
            if self._db is None or not vectors or self._rows >= self.limit:
                return
            rows = [(text, np.asarray(v, dtype="<f4").tobytes()) for text, v in list(vectors.items())[:self.limit - self._rows]]
            try:
                self._db.execute("BEGIN")
                self._db.executemany("INSERT OR IGNORE INTO vectors VALUES (?, ?)", rows)
                self._db.execute("COMMIT")
                self._rows += len(rows)
            except sqlite3.Error:
                self._db = None


def vector_store(kind: str, key: str, dim: int, limit: int) -> VectorStore:
    """The store ``<cache>/<kind>/<key>/vectors.sqlite`` (created empty the first time; older keys removed)."""

    def build(folder: Path) -> None:
        import sqlite3

        with sqlite3.connect(folder / "vectors.sqlite") as connection:
            connection.execute("CREATE TABLE vectors (text TEXT PRIMARY KEY, vector BLOB NOT NULL) WITHOUT ROWID")
        connection.close()

    return VectorStore(cached_folder(kind, key, build) / "vectors.sqlite", dim, limit)
