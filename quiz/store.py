"""The progress database (``progress.db``): SQLite through sqlite-utils.

Opening (:meth:`Store.open`) refuses, with a one-line :class:`UserError` and
without touching the file, anything that is not a SQLite database and any
database written by a newer version of this program (``PRAGMA user_version``
above :data:`SCHEMA_VERSION`). Older databases are migrated forward by the
functions in :data:`MIGRATIONS`. The connection runs in WAL mode with a busy
timeout, in autocommit mode: every write is an explicit ``BEGIN IMMEDIATE``
transaction, so a graded answer is on disk the moment :meth:`Store.record_answer`
returns (a SIGKILL loses nothing already graded), and two processes studying on
one database wait for each other instead of failing with "database is locked".

Times are stored as ISO-8601 UTC text with microseconds
(``2026-11-27T17:50:00.000000+00:00``), so they sort as text. Several learners
share one database: every row carries ``profile`` (the profile's name).

Tables (read directly by the trainer tools; columns are stable):

* ``profiles(name PK, created)``
* ``settings(profile PK, desired_retention, daily_new_limit, language, theme, wrong_book_streak)``
* ``cards(profile, qid, card (fsrs Card JSON), due, state (1 learning, 2 review,
  3 relearning), stability, difficulty, last_review, reps, lapses, first_seen,
  fingerprint (of the question when last answered), flagged_changed 0/1)``; PK (profile, qid).
  A question with no row is *new*.
* ``reviews(id, ts, profile, qid, mode, answer, verdict, score, rating (1-4 as
  scheduled, NULL when not scheduled), auto_rating (the rule's rating), seconds,
  session_id, attempt_id, fingerprint)``: every answer ever given, exam answers
  included (``mode='exam'``, ``attempt_id`` set).
* ``wrong_book(profile, qid, added, streak (correct answers in a row since), wrong_count, last_wrong)``
* ``bookmarks(profile, qid, added)``
* ``sessions(id, profile, mode, filters JSON, queue JSON, position, seed, started, updated, finished)``
* ``positions(profile, scope, qid, updated)``: where 顺序练习 stopped, per scope (filters).
* ``exam_attempts(id, profile, exam_id, seed, started, deadline, submitted, auto_submitted,
  score, total, passed, breakdown JSON)``
* ``exam_answers(attempt_id, position, section, qid, points, permutation JSON, answer,
  answer_original, flagged, answered_at, verdict, score, earned)``
* ``disputes(id, ts, profile, qid, review_id, answer, verdict, score, note, status)``

Schema history: v1 (first release): everything above except ``positions``,
``exam_answers.answer_original`` and ``reviews.fingerprint``; v2 adds them.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, fields
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

import sqlite_utils

from quiz.errors import UserError
from quiz.scheduler import Card, Rating, State, to_utc, utc_now

SCHEMA_VERSION = 2
SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 5000

Mode = Literal["smart", "sequential", "random", "focus", "wrong", "bookmarks", "browse", "exam"]


def iso(dt: datetime) -> str:
    """A time as stored: ISO-8601 UTC with microseconds (sorts as text)."""
    return to_utc(dt).isoformat(timespec="microseconds")


def parse_ts(text: str) -> datetime:
    return to_utc(datetime.fromisoformat(text))


# --------------------------------------------------------------------------- rows


@dataclass(frozen=True)
class Settings:
    """A learner's settings (stored per profile)."""

    desired_retention: float = 0.9
    daily_new_limit: int = 20
    language: str = "zh"
    theme: str = "dark"
    wrong_book_streak: int = 2  # correct answers in a row that take a question out of 错题本

    def validated(self) -> Settings:
        if not 0.7 <= self.desired_retention <= 0.99:
            raise UserError("desired retention must be between 0.70 and 0.99")
        if self.daily_new_limit < 0:
            raise UserError("the daily limit of new questions cannot be negative")
        if self.wrong_book_streak < 1:
            raise UserError("the wrong-book streak must be at least 1")
        if self.language not in ("zh", "en"):
            raise UserError(f"unknown language {self.language!r} (use zh or en)")
        return self


@dataclass(frozen=True)
class CardRow:
    """A question's spaced-repetition state for one learner."""

    profile: str
    qid: str
    card: Card
    due: datetime
    state: State
    stability: float | None
    difficulty: float | None
    last_review: datetime | None
    reps: int
    lapses: int
    first_seen: datetime
    fingerprint: str | None
    flagged_changed: bool


@dataclass(frozen=True)
class Review:
    id: int
    ts: datetime
    profile: str
    qid: str
    mode: str
    answer: str
    verdict: str
    score: float
    rating: int | None
    auto_rating: int | None
    seconds: float | None
    session_id: int | None
    attempt_id: int | None


@dataclass(frozen=True)
class WrongEntry:
    qid: str
    added: datetime
    streak: int
    wrong_count: int
    last_wrong: datetime


@dataclass(frozen=True)
class Dispute:
    id: int
    ts: datetime
    profile: str
    qid: str
    review_id: int | None
    answer: str
    verdict: str
    score: float | None
    note: str
    status: str


@dataclass(frozen=True)
class RecordedAnswer:
    """What :meth:`Store.record_answer` wrote."""

    review_id: int
    card: CardRow | None  # None when the answer was not scheduled
    in_wrong_book: bool
    added_to_wrong_book: bool
    left_wrong_book: bool
    wrong_streak: int


# --------------------------------------------------------------------------- schema

_V1_DDL = """
CREATE TABLE profiles (name TEXT PRIMARY KEY, created TEXT NOT NULL);
CREATE TABLE settings (
    profile TEXT PRIMARY KEY, desired_retention REAL NOT NULL, daily_new_limit INTEGER NOT NULL,
    language TEXT NOT NULL, theme TEXT NOT NULL, wrong_book_streak INTEGER NOT NULL);
CREATE TABLE cards (
    profile TEXT NOT NULL, qid TEXT NOT NULL, card TEXT NOT NULL, due TEXT NOT NULL,
    state INTEGER NOT NULL, stability REAL, difficulty REAL, last_review TEXT,
    reps INTEGER NOT NULL DEFAULT 0, lapses INTEGER NOT NULL DEFAULT 0, first_seen TEXT NOT NULL,
    fingerprint TEXT, flagged_changed INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (profile, qid)) WITHOUT ROWID;
CREATE INDEX cards_due ON cards (profile, due);
CREATE INDEX cards_first_seen ON cards (profile, first_seen);
CREATE TABLE reviews (
    id INTEGER PRIMARY KEY, ts TEXT NOT NULL, profile TEXT NOT NULL, qid TEXT NOT NULL,
    mode TEXT NOT NULL, answer TEXT NOT NULL, verdict TEXT NOT NULL, score REAL NOT NULL,
    rating INTEGER, auto_rating INTEGER, seconds REAL, session_id INTEGER, attempt_id INTEGER);
CREATE INDEX reviews_profile_ts ON reviews (profile, ts);
CREATE INDEX reviews_profile_qid ON reviews (profile, qid);
CREATE INDEX reviews_session ON reviews (session_id) WHERE session_id IS NOT NULL;
CREATE INDEX reviews_qid ON reviews (qid);
CREATE TABLE wrong_book (
    profile TEXT NOT NULL, qid TEXT NOT NULL, added TEXT NOT NULL, streak INTEGER NOT NULL DEFAULT 0,
    wrong_count INTEGER NOT NULL DEFAULT 1, last_wrong TEXT NOT NULL,
    PRIMARY KEY (profile, qid)) WITHOUT ROWID;
CREATE TABLE bookmarks (
    profile TEXT NOT NULL, qid TEXT NOT NULL, added TEXT NOT NULL,
    PRIMARY KEY (profile, qid)) WITHOUT ROWID;
CREATE TABLE sessions (
    id INTEGER PRIMARY KEY, profile TEXT NOT NULL, mode TEXT NOT NULL, filters TEXT NOT NULL,
    queue TEXT NOT NULL, position INTEGER NOT NULL DEFAULT 0, seed INTEGER,
    started TEXT NOT NULL, updated TEXT NOT NULL, finished TEXT);
CREATE INDEX sessions_open ON sessions (profile, finished);
CREATE TABLE exam_attempts (
    id INTEGER PRIMARY KEY, profile TEXT NOT NULL, exam_id TEXT NOT NULL, seed INTEGER NOT NULL,
    started TEXT NOT NULL, deadline TEXT NOT NULL, submitted TEXT, auto_submitted INTEGER NOT NULL DEFAULT 0,
    score REAL, total REAL NOT NULL, passed INTEGER, breakdown TEXT);
CREATE INDEX exam_attempts_profile ON exam_attempts (profile, exam_id, started);
CREATE TABLE exam_answers (
    attempt_id INTEGER NOT NULL REFERENCES exam_attempts(id), position INTEGER NOT NULL,
    section INTEGER NOT NULL, qid TEXT NOT NULL, points REAL NOT NULL, permutation TEXT,
    answer TEXT, flagged INTEGER NOT NULL DEFAULT 0, answered_at TEXT,
    verdict TEXT, score REAL, earned REAL,
    PRIMARY KEY (attempt_id, position)) WITHOUT ROWID;
CREATE TABLE disputes (
    id INTEGER PRIMARY KEY, ts TEXT NOT NULL, profile TEXT NOT NULL, qid TEXT NOT NULL,
    review_id INTEGER, answer TEXT NOT NULL, verdict TEXT NOT NULL, score REAL,
    note TEXT NOT NULL DEFAULT '', status TEXT NOT NULL DEFAULT 'open');
CREATE INDEX disputes_qid ON disputes (qid);
"""

V1_DDL = _V1_DDL
"""The first release's schema, kept verbatim so tests can build a v1 database and migrate it."""


def _migrate_v1(conn: sqlite3.Connection) -> None:
    for stmt in _V1_DDL.split(";"):
        if stmt.strip():
            conn.execute(stmt)


def _migrate_v2(conn: sqlite3.Connection) -> None:
    conn.execute(
        "CREATE TABLE positions (profile TEXT NOT NULL, scope TEXT NOT NULL, qid TEXT NOT NULL,"
        " updated TEXT NOT NULL, PRIMARY KEY (profile, scope)) WITHOUT ROWID"
    )
    conn.execute("ALTER TABLE exam_answers ADD COLUMN answer_original TEXT")
    conn.execute("ALTER TABLE reviews ADD COLUMN fingerprint TEXT")


MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [_migrate_v1, _migrate_v2]
"""``MIGRATIONS[i]`` takes a database from version ``i`` to ``i + 1``; append, never edit."""

assert len(MIGRATIONS) == SCHEMA_VERSION


# --------------------------------------------------------------------------- store


class Store:
    """One open progress database. Use :meth:`open`; close with :meth:`close` or ``with``."""

    def __init__(self, db: sqlite_utils.Database, path: Path) -> None:
        self.db = db
        self.path = path

    # -- opening ------------------------------------------------------------
    @classmethod
    def open(cls, path: str | Path, *, migrate: bool = True) -> Store:
        """Open (creating if missing) and migrate the database at ``path``.

        Raises :class:`UserError` (file untouched) for a non-SQLite file, an
        unreadable or corrupt database, or a newer schema version.
        """
        raise NotImplementedError

    @property
    def conn(self) -> sqlite3.Connection:
        conn: sqlite3.Connection = self.db.conn
        return conn

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def schema_version(self) -> int:
        return int(self.conn.execute("PRAGMA user_version").fetchone()[0])

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """``BEGIN IMMEDIATE`` ... ``COMMIT`` (rolled back on error)."""
        raise NotImplementedError
        yield self.conn

    # -- profiles and settings ---------------------------------------------
    def ensure_profile(self, profile: str, now: datetime | None = None) -> None:
        raise NotImplementedError

    def profiles(self) -> list[str]:
        raise NotImplementedError

    def get_settings(self, profile: str) -> Settings:
        raise NotImplementedError

    def save_settings(self, profile: str, settings: Settings) -> None:
        raise NotImplementedError

    # -- cards ----------------------------------------------------------------
    def get_card(self, profile: str, qid: str) -> CardRow | None:
        raise NotImplementedError

    def cards(self, profile: str) -> dict[str, CardRow]:
        """Every card of a learner, by qid (questions answered at least once)."""
        raise NotImplementedError

    def seen_qids(self, profile: str) -> set[str]:
        raise NotImplementedError

    def due_qids(self, profile: str, now: datetime, limit: int | None = None) -> list[str]:
        """Qids due at ``now``, earliest due first (questions no longer in the banks included;
        callers filter them out with the library)."""
        raise NotImplementedError

    def new_seen_since(self, profile: str, since: datetime) -> int:
        """How many questions were answered for the first time since ``since``."""
        raise NotImplementedError

    def reset_card(self, profile: str, qid: str) -> None:
        """Forget the card (it becomes new again); its reviews stay in the history."""
        raise NotImplementedError

    def accept_change(self, profile: str, qid: str, fingerprint: str) -> None:
        """Keep the card's progress for a changed question and clear its flag."""
        raise NotImplementedError

    def flag_changed(self, profile: str, fingerprints: dict[str, str]) -> list[str]:
        """Flag the cards whose question's fingerprint differs from ``fingerprints[qid]``.

        Returns the qids flagged now or earlier (still flagged). Qids not in
        ``fingerprints`` (removed from the banks) are left alone.
        """
        raise NotImplementedError

    def changed_qids(self, profile: str) -> list[str]:
        raise NotImplementedError

    # -- answers --------------------------------------------------------------
    def record_answer(
        self,
        *,
        profile: str,
        qid: str,
        mode: str,
        answer: str,
        verdict: str,
        score: float,
        now: datetime,
        seconds: float | None = None,
        card: Card | None = None,
        rating: Rating | None = None,
        auto_rating: Rating | None = None,
        fingerprint: str | None = None,
        session_id: int | None = None,
        session_position: int | None = None,
        attempt_id: int | None = None,
        wrong_book_streak: int = 2,
        position_scope: str | None = None,
    ) -> RecordedAnswer:
        """Write one graded answer in one transaction: the review row, the card (when
        ``card`` is given, i.e. the answer is scheduled), the wrong-answer book (a
        non-correct verdict adds the question or resets its streak; ``wrong_book_streak``
        correct answers in a row remove it), the session's position and the 顺序练习
        position. Committed before returning.
        """
        raise NotImplementedError

    def update_rating(self, review_id: int, card: Card, rating: Rating, now: datetime) -> CardRow:
        """The learner overrode the rating of ``review_id``: store the rescheduled card."""
        raise NotImplementedError

    def reviews(self, profile: str | None = None, qid: str | None = None) -> list[Review]:
        raise NotImplementedError

    def review_count(self, profile: str) -> int:
        raise NotImplementedError

    # -- wrong-answer book and bookmarks -------------------------------------
    def wrong_book(self, profile: str) -> list[WrongEntry]:
        """错题本, oldest entry first."""
        raise NotImplementedError

    def in_wrong_book(self, profile: str, qid: str) -> bool:
        raise NotImplementedError

    def remove_from_wrong_book(self, profile: str, qid: str) -> None:
        raise NotImplementedError

    def set_bookmark(self, profile: str, qid: str, on: bool, now: datetime | None = None) -> None:
        raise NotImplementedError

    def toggle_bookmark(self, profile: str, qid: str, now: datetime | None = None) -> bool:
        """Returns whether the question is bookmarked now."""
        raise NotImplementedError

    def is_bookmarked(self, profile: str, qid: str) -> bool:
        raise NotImplementedError

    def bookmarks(self, profile: str) -> list[str]:
        """收藏, oldest first."""
        raise NotImplementedError

    # -- disputes ("我答对了") --------------------------------------------------
    def add_dispute(
        self,
        profile: str,
        qid: str,
        answer: str,
        verdict: str,
        *,
        score: float | None = None,
        note: str = "",
        review_id: int | None = None,
        now: datetime | None = None,
    ) -> int:
        raise NotImplementedError

    def disputes(self, profile: str | None = None) -> list[Dispute]:
        raise NotImplementedError

    # -- 顺序练习 positions -----------------------------------------------------
    def get_position(self, profile: str, scope: str) -> str | None:
        """The qid last answered in 顺序练习 over ``scope``."""
        raise NotImplementedError

    def set_position(self, profile: str, scope: str, qid: str, now: datetime) -> None:
        raise NotImplementedError

    # -- raw helpers for sessions and exams -----------------------------------
    def execute(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> sqlite3.Cursor:
        return self.conn.execute(sql, params)


def settings_fields() -> list[str]:
    return [f.name for f in fields(Settings)]


def dumps(obj: object) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


_ = utc_now  # re-exported for callers that want the default clock
