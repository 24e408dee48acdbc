"""The progress store: one SQLite table of attempts, from which every state is derived.

Nothing in it is a flag a learner sets: a lab is passed when an attempt of it passed its
checks, and skills are verified from those attempts (:mod:`dlpath.path.progress.states`).

    attempts(id, lab, kind, at, passed, check_name, message, digest)

``kind`` is ``check`` (a lab's checks ran on the learner's code or model), ``quiz`` (a quiz
was answered), ``start`` (a lab file was written), ``hint`` (a hint was shown) or
``solution`` (the solution was shown). ``digest`` is the SHA-256 of what was checked.

The file lives in ``$DLPATH_HOME`` or else the user's data folder (platformdirs). It is
opened in WAL mode with a busy timeout, and every write is its own immediate transaction,
so two processes writing at once both land. A file that is not SQLite, is damaged, or is
some other program's database raises :class:`ProgressError` and is left as it was.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

APPLICATION_ID = 0x646C7061  # 'dlpa' in the SQLite header: this file is dlpath's
SCHEMA_VERSION = 1
KINDS = ("check", "quiz", "start", "hint", "solution")
_SQLITE_MAGIC = b"SQLite format 3\x00"
_SCHEMA = """
CREATE TABLE attempts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    lab TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('check', 'quiz', 'start', 'hint', 'solution')),
    at TEXT NOT NULL,
    passed INTEGER NOT NULL CHECK (passed IN (0, 1)),
    check_name TEXT NOT NULL DEFAULT '',
    message TEXT NOT NULL DEFAULT '',
    digest TEXT NOT NULL DEFAULT ''
);
CREATE INDEX attempts_lab ON attempts (lab, kind);
"""


class ProgressError(RuntimeError):
    """The progress file cannot be used; it has not been changed."""


@dataclass(frozen=True)
class Attempt:
    id: int
    lab: str
    kind: str
    at: str  # ISO 8601, UTC
    passed: bool
    check_name: str
    message: str
    digest: str


def home() -> Path:
    """dlpath's folder for the learner's own files: ``$DLPATH_HOME`` or the user data dir."""
    configured = os.environ.get("DLPATH_HOME")
    if configured:
        return Path(configured).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("dlpath", appauthor=False))


def default_path() -> Path:
    return home() / "progress.sqlite3"


class ProgressStore:
    """The attempts of one learner. Open with :meth:`open`; every method is one query."""

    def __init__(self, path: Path, connection: sqlite3.Connection):
        self.path = path
        self._db = connection

    # ------------------------------------------------------------------ opening
    @classmethod
    def open(cls, path: str | Path | None = None) -> "ProgressStore":
        path = Path(path) if path is not None else default_path()
        existing = path.is_file() and path.stat().st_size > 0
        if existing:
            _check_existing(path)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
        try:
            db = sqlite3.connect(path, timeout=30.0, isolation_level=None)
            db.execute("PRAGMA busy_timeout = 30000")
            if not existing:
                _create(db)
            db.execute("PRAGMA journal_mode = WAL")
        except sqlite3.Error as error:
            raise ProgressError(f"{path}: cannot open the progress database: {error}") from None
        return cls(path, db)

    def close(self) -> None:
        self._db.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # ------------------------------------------------------------------ writing
    def record(self, lab: str, kind: str, passed: bool, check_name: str = "",
               message: str = "", digest: str = "") -> Attempt:
        """Append one attempt (its own transaction) and return it."""
        if kind not in KINDS:
            raise ValueError(f"attempt kind must be one of {', '.join(KINDS)}, got {kind!r}")
        at = datetime.now(timezone.utc).isoformat(timespec="milliseconds")
        try:
            cursor = self._db.execute(
                "INSERT INTO attempts (lab, kind, at, passed, check_name, message, digest) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (lab, kind, at, int(bool(passed)), check_name, message, digest))
        except sqlite3.Error as error:
            raise ProgressError(f"{self.path}: cannot record the attempt: {error}") from None
        return Attempt(cursor.lastrowid, lab, kind, at, bool(passed), check_name, message,
                       digest)

    # ------------------------------------------------------------------ reading
    def attempts(self, lab: str | None = None, kinds=None) -> list[Attempt]:
        """Attempts in the order they were made, optionally of one lab and some kinds."""
        query, params = "SELECT * FROM attempts", []
        conditions = []
        if lab is not None:
            conditions.append("lab = ?")
            params.append(lab)
        if kinds:
            conditions.append(f"kind IN ({', '.join('?' for _ in kinds)})")
            params.extend(kinds)
        if conditions:
            query += " WHERE " + " AND ".join(conditions)
        try:
            rows = self._db.execute(query + " ORDER BY id", params).fetchall()
        except sqlite3.Error as error:
            raise ProgressError(f"{self.path}: cannot read the attempts: {error}") from None
        return [Attempt(r[0], r[1], r[2], r[3], bool(r[4]), r[5], r[6], r[7]) for r in rows]

    def last_started(self) -> str | None:
        """The lab whose file was written last, if any."""
        started = self.attempts(kinds=("start",))
        return started[-1].lab if started else None


def _check_existing(path: Path) -> None:
    """Refuse, without writing, a file that is not a sound dlpath progress database."""
    with open(path, "rb") as file:
        header = file.read(len(_SQLITE_MAGIC))
    if header != _SQLITE_MAGIC:
        raise ProgressError(f"{path} is not a dlpath progress database (not an SQLite file); "
                            "it was left untouched. Move it away, or set DLPATH_HOME to "
                            "another folder")
    try:
        db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=30.0)
        try:
            app_id = db.execute("PRAGMA application_id").fetchone()[0]
            if app_id != APPLICATION_ID:
                raise ProgressError(f"{path} is another program's SQLite database "
                                    f"(application id {app_id:#x}), not dlpath's progress; it "
                                    "was left untouched. Set DLPATH_HOME to another folder")
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise ProgressError(f"{path} was written by a newer dlpath (schema "
                                    f"{version} > {SCHEMA_VERSION}); upgrade dlpath")
            status = db.execute("PRAGMA quick_check").fetchone()[0]
            if status != "ok":
                raise ProgressError(f"{path} is damaged ({status}); it was left untouched")
        finally:
            db.close()
    except sqlite3.DatabaseError as error:
        raise ProgressError(f"{path} is damaged and cannot be read ({error}); it was left "
                            "untouched. Move it away to start a new record") from None


def _create(db: sqlite3.Connection) -> None:
    db.execute("BEGIN IMMEDIATE")
    try:
        exists = db.execute("SELECT count(*) FROM sqlite_master WHERE name = 'attempts'")
        if not exists.fetchone()[0]:  # another process may have created it a moment ago
            for statement in filter(str.strip, _SCHEMA.split(";")):
                db.execute(statement)
            db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        db.execute("COMMIT")
    except BaseException:
        if db.in_transaction:
            db.execute("ROLLBACK")
        raise
