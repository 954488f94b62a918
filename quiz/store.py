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
* ``settings(profile PK, desired_retention, daily_new_limit, language, theme, wrong_book_streak,
  day_start_hour (0-23, when a study day begins, local time), leech_threshold (failures that make a
  leech), exam_date (ISO date of the learner's real exam, or NULL))``
* ``cards(profile, qid, card (fsrs Card JSON), due, state (1 learning, 2 review,
  3 relearning), stability, difficulty, last_review, reps, lapses, first_seen,
  fingerprint (of the question when last answered), flagged_changed 0/1,
  fails (answers rated Again, i.e. failed, over the card's life), last_rating (1-4, the rating of
  the latest scheduled answer))``; PK (profile, qid). A question with no row is *new*.
* ``reviews(id, ts, profile, qid, mode, answer, verdict, score, rating (1-4 as
  scheduled, NULL when not scheduled), auto_rating (the rule's rating), seconds,
  session_id, attempt_id, fingerprint, state_before (the card's state before the answer:
  NULL new, 1 learning, 2 review, 3 relearning))``: every answer ever given, exam answers
  included (``mode='exam'``, ``attempt_id`` set; a question left blank in an exam has no review).
* ``wrong_book(profile, qid, added, streak (correct answers in a row since), wrong_count, last_wrong)``
* ``bookmarks(profile, qid, added)``
* ``sessions(id, profile, mode, filters JSON, queue JSON, position, seed, started, updated, finished,
  draft_qid, draft (the text typed for the current question, not yet submitted))``
* ``positions(profile, scope, qid, updated)``: where 顺序练习 stopped, per scope (filters).
* ``exam_attempts(id, profile, exam_id, seed, started, deadline, submitted, auto_submitted,
  score, total, passed, breakdown JSON, model_before (the model's expected score when the attempt
  started), readiness_before (the readiness shown then), answered_points (the points of the
  questions answered), predicted_answered (the points the model expected on those questions, read
  before they were recorded), model_after (the model's expected score right after submitting))``
* ``exam_answers(attempt_id, position, section, qid, points, permutation JSON, answer,
  answer_original, flagged, answered_at, verdict, score, earned, seconds (time spent on the
  question))``: ``answer`` is what is in the answer box (saved as typed); ``verdict`` is NULL
  for a question left blank (未作答).
* ``disputes(id, ts, profile, qid, review_id, answer, verdict, score, note, status ('open',
  'accepted', 'rejected'), resolved_at, resolved_by, resolution_note (the trainer's note the learner sees),
  original_verdict, original_score (the grading before an accepted dispute regraded it), attempt_id,
  position (a dispute of an exam answer: the attempt and the question's place on its paper; NULL
  for a study answer), original_exam_score, original_exam_passed (the attempt's score and pass
  before an accepted dispute corrected them))``
* ``accounts(name PK (= the learner's profile), role ('learner' | 'trainer'), password
  (``scrypt$n$r$p$salt$hash``, never the password), created, updated, disabled (NULL or when removed))``
* ``login_failures(name PK, failures, last_failure, locked_until)``: failed logins in a row, per name
* ``assignments(id, created, created_by, kind ('exam' | 'topic'), target (exam id or topic), due, note,
  cancelled)`` and ``assignment_learners(assignment_id, profile)``: work a trainer set

Schema history: v1 (first release): everything above except ``positions``,
``exam_answers.answer_original`` and ``reviews.fingerprint``; v2 adds them;
v3 adds ``reviews.state_before`` (for true retention); v4 adds covering indexes
for the statistics; v5 drops the reviews v4 recorded for questions left blank in exams (and the
cards and 错题本 entries only they made), adds ``cards.fails``/``cards.last_rating`` (filled from the history),
the settings ``day_start_hour``/``leech_threshold``/``exam_date``, the study draft
``sessions.draft_qid``/``sessions.draft``, ``exam_answers.seconds`` and the readiness
predictions on ``exam_attempts``; v6 adds the served app's accounts and login failures, the
dispute resolutions and the trainer's assignments (:mod:`quiz.accounts`, :mod:`quiz.team`); v7
adds disputes of exam answers (``disputes.attempt_id``/``position`` and the attempt's score before
an accepted one corrected it).
"""

from __future__ import annotations

import json
import sqlite3
import threading
import urllib.parse
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, fields
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    import sqlite_utils

from quiz.dbfile import check_db_path as _check_file
from quiz.errors import UserError
from quiz.scheduler import Card, Rating, State, to_utc, utc_now
from quiz.text import printable

SCHEMA_VERSION = 7
BUSY_TIMEOUT_MS = 5000

Mode = Literal["smart", "sequential", "random", "focus", "wrong", "bookmarks", "browse", "retry", "exam"]


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
    day_start_hour: int = 4  # a study day starts at this local hour (Anki's default: 4:00)
    leech_threshold: int = 6  # failed answers that make a question a leech (顽固题)
    exam_date: str | None = None  # ISO date of the learner's real exam (YYYY-MM-DD), or None

    def validated(self) -> Settings:
        if not 0.7 <= self.desired_retention <= 0.99:
            raise UserError("desired retention must be between 0.70 and 0.99")
        if self.daily_new_limit < 0:
            raise UserError("the daily limit of new questions cannot be negative")
        if self.wrong_book_streak < 1:
            raise UserError("the wrong-book streak must be at least 1")
        if self.language not in ("zh", "en"):
            raise UserError(f"unknown language {self.language!r} (use zh or en)")
        if not 0 <= self.day_start_hour <= 23:
            raise UserError("the hour a study day starts must be between 0 and 23")
        if self.leech_threshold < 2:
            raise UserError("the leech threshold must be at least 2 failed answers")
        if self.exam_date is not None:
            parse_exam_date(self.exam_date)
        return self

    @property
    def exam_day(self) -> date | None:
        """The exam date as a date (None when not set)."""
        return parse_exam_date(self.exam_date) if self.exam_date else None


def parse_exam_date(text: str) -> date:
    """``YYYY-MM-DD`` (UserError otherwise)."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise UserError(f"exam date {text!r} is not a date such as 2026-12-20") from None


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
    fails: int = 0  # answers rated Again over the card's life
    last_rating: int | None = None  # the rating of the latest scheduled answer (1 Again ... 4 Easy)

    @property
    def failed_last(self) -> bool:
        """The latest answer failed (rated Again): the learner has not shown they know it since."""
        return self.last_rating == int(Rating.Again)


@dataclass(frozen=True)
class CardSummary:
    """A card's scheduling numbers without its JSON (for statistics over many cards)."""

    qid: str
    state: int
    stability: float | None
    last_review: datetime | None
    due: datetime
    fails: int = 0
    last_rating: int | None = None

    @property
    def failed_last(self) -> bool:
        return self.last_rating == int(Rating.Again)


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
    """A learner's dispute of a grading, as the trainer and the learner see it."""

    id: int
    ts: datetime
    profile: str
    qid: str
    review_id: int | None
    answer: str
    verdict: str
    score: float | None
    note: str
    status: str  # open, accepted, rejected
    resolved_at: datetime | None = None
    resolved_by: str | None = None
    resolution_note: str | None = None
    attempt_id: int | None = None  # a dispute of an exam answer: the attempt ...
    position: int | None = None  # ... and the question's place on its paper (0-based)
    original_exam_score: float | None = None  # the attempt's score before an accepted dispute corrected it
    original_exam_passed: bool | None = None

    @property
    def open(self) -> bool:
        return self.status == "open"


DISPUTE_COLS = (
    "id, ts, profile, qid, review_id, answer, verdict, score, note, status, resolved_at, resolved_by, resolution_note,"
    " attempt_id, position, original_exam_score, original_exam_passed"
)
"""The columns :func:`dispute_from_row` reads, in its order."""


def dispute_from_row(r: Sequence[object]) -> Dispute:
    return Dispute(
        int(r[0]),  # type: ignore[call-overload]
        parse_ts(str(r[1])),
        str(r[2]),
        str(r[3]),
        int(r[4]) if r[4] is not None else None,  # type: ignore[call-overload]
        str(r[5]),
        str(r[6]),
        float(r[7]) if r[7] is not None else None,  # type: ignore[arg-type]
        str(r[8] or ""),
        str(r[9]),
        parse_ts(str(r[10])) if r[10] else None,
        str(r[11]) if r[11] is not None else None,
        str(r[12]) if r[12] is not None else None,
        int(r[13]) if r[13] is not None else None,  # type: ignore[call-overload]
        int(r[14]) if r[14] is not None else None,  # type: ignore[call-overload]
        float(r[15]) if r[15] is not None else None,  # type: ignore[arg-type]
        bool(r[16]) if r[16] is not None else None,
    )


@dataclass(frozen=True)
class RecordedAnswer:
    """What :meth:`Store.record_answer` wrote."""

    review_id: int
    card: CardRow | None  # None when the answer was not scheduled
    in_wrong_book: bool
    added_to_wrong_book: bool
    left_wrong_book: bool
    wrong_streak: int
    wrong_before: WrongEntry | None = None  # the 错题本 entry before this answer (to undo it on a re-rating)


def is_mistake(verdict: str, rating: int | None) -> bool:
    """Whether an answer counts as a mistake for the 错题本: rated Again or Hard when scheduled
    (a re-rating by the learner counts), else any verdict but ``correct``. With the default
    verdict->rating rule the two agree (wrong -> Again, partial -> Hard, correct -> Good/Easy)."""
    if rating is not None:
        return rating <= int(Rating.Hard)
    return verdict != "correct"


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


def _migrate_v3(conn: sqlite3.Connection) -> None:
    conn.execute("ALTER TABLE reviews ADD COLUMN state_before INTEGER")


def _migrate_v4(conn: sqlite3.Connection) -> None:
    # covering indexes for the statistics over a long history (per-question accuracy, true retention)
    conn.execute("CREATE INDEX reviews_profile_qid_verdict ON reviews (profile, qid, verdict)")
    conn.execute("DROP INDEX reviews_profile_qid")
    conn.execute("CREATE INDEX reviews_profile_state ON reviews (profile, state_before, verdict)")


def _migrate_v5(conn: sqlite3.Connection) -> None:
    # settings: the day boundary, the leech threshold, the learner's exam date
    conn.execute("ALTER TABLE settings ADD COLUMN day_start_hour INTEGER NOT NULL DEFAULT 4")
    conn.execute("ALTER TABLE settings ADD COLUMN leech_threshold INTEGER NOT NULL DEFAULT 6")
    conn.execute("ALTER TABLE settings ADD COLUMN exam_date TEXT")
    # cards: failures (leeches) and the latest rating (mastery counts a just-failed card as not known)
    conn.execute("ALTER TABLE cards ADD COLUMN fails INTEGER NOT NULL DEFAULT 0")
    conn.execute("ALTER TABLE cards ADD COLUMN last_rating INTEGER")
    # A question left blank in an exam used to be recorded as a failed review (answer ''), a card and a
    # 错题本 entry: it was never an answer. Its review goes; a card or an entry that only it made goes too.
    # (A card that also has real answers keeps its FSRS state, which counted the blank as Again.)
    conn.execute("DELETE FROM reviews WHERE mode = 'exam' AND answer = '' AND attempt_id IS NOT NULL")
    conn.execute(
        "DELETE FROM cards WHERE NOT EXISTS (SELECT 1 FROM reviews r WHERE r.profile = cards.profile AND r.qid = cards.qid)"
    )
    conn.execute(
        "DELETE FROM wrong_book WHERE NOT EXISTS (SELECT 1 FROM reviews r WHERE r.profile = wrong_book.profile"
        " AND r.qid = wrong_book.qid AND r.verdict != 'correct')"
    )
    conn.execute(
        "UPDATE exam_answers SET verdict = NULL, score = 0, earned = 0 WHERE answer IS NULL"
        " AND attempt_id IN (SELECT id FROM exam_attempts WHERE submitted IS NOT NULL)"
    )
    conn.execute(
        "UPDATE cards SET"
        " fails = (SELECT count(*) FROM reviews r WHERE r.profile = cards.profile AND r.qid = cards.qid AND r.rating = 1),"
        " last_rating = (SELECT r.rating FROM reviews r WHERE r.profile = cards.profile AND r.qid = cards.qid"
        "  AND r.rating IS NOT NULL ORDER BY r.id DESC LIMIT 1),"
        " first_seen = (SELECT min(r.ts) FROM reviews r WHERE r.profile = cards.profile AND r.qid = cards.qid)"
    )
    # study drafts: the text typed for the session's current question
    conn.execute("ALTER TABLE sessions ADD COLUMN draft_qid TEXT")
    conn.execute("ALTER TABLE sessions ADD COLUMN draft TEXT")
    # exams: time spent per question; the readiness predictions around each attempt
    conn.execute("ALTER TABLE exam_answers ADD COLUMN seconds REAL")
    conn.execute("ALTER TABLE exam_attempts ADD COLUMN model_before REAL")
    conn.execute("ALTER TABLE exam_attempts ADD COLUMN readiness_before REAL")
    conn.execute("ALTER TABLE exam_attempts ADD COLUMN answered_points REAL")
    conn.execute("ALTER TABLE exam_attempts ADD COLUMN predicted_answered REAL")
    conn.execute("ALTER TABLE exam_attempts ADD COLUMN model_after REAL")
    # questions answered today (sibling burying) read reviews by (profile, ts): already indexed


def _migrate_v6(conn: sqlite3.Connection) -> None:
    """The served app: accounts, login failures, dispute resolutions, assignments."""
    conn.execute(
        "CREATE TABLE accounts (name TEXT PRIMARY KEY, role TEXT NOT NULL CHECK (role IN ('learner', 'trainer')),"
        " password TEXT NOT NULL, created TEXT NOT NULL, updated TEXT NOT NULL, disabled TEXT)"
    )
    conn.execute(
        "CREATE TABLE login_failures (name TEXT PRIMARY KEY, failures INTEGER NOT NULL, last_failure TEXT NOT NULL,"
        " locked_until TEXT)"
    )
    for col in ("resolved_at TEXT", "resolved_by TEXT", "resolution_note TEXT", "original_verdict TEXT",
                "original_score REAL"):
        conn.execute(f"ALTER TABLE disputes ADD COLUMN {col}")
    conn.execute("CREATE INDEX disputes_profile ON disputes (profile, status)")
    conn.execute(
        "CREATE TABLE assignments (id INTEGER PRIMARY KEY, created TEXT NOT NULL, created_by TEXT NOT NULL,"
        " kind TEXT NOT NULL CHECK (kind IN ('exam', 'topic')), target TEXT NOT NULL, due TEXT NOT NULL,"
        " note TEXT NOT NULL DEFAULT '', cancelled TEXT)"
    )
    conn.execute(
        "CREATE TABLE assignment_learners (assignment_id INTEGER NOT NULL REFERENCES assignments(id),"
        " profile TEXT NOT NULL, PRIMARY KEY (assignment_id, profile)) WITHOUT ROWID"
    )
    conn.execute("CREATE INDEX assignment_learners_profile ON assignment_learners (profile)")


def _migrate_v7(conn: sqlite3.Connection) -> None:
    """Disputes of exam answers: which attempt and question, and the attempt's score before a regrade."""
    for col in ("attempt_id INTEGER", "position INTEGER", "original_exam_score REAL", "original_exam_passed INTEGER"):
        conn.execute(f"ALTER TABLE disputes ADD COLUMN {col}")
    conn.execute("CREATE INDEX disputes_attempt ON disputes (attempt_id) WHERE attempt_id IS NOT NULL")


MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [
    _migrate_v1,
    _migrate_v2,
    _migrate_v3,
    _migrate_v4,
    _migrate_v5,
    _migrate_v6,
    _migrate_v7,
]
"""``MIGRATIONS[i]`` takes a database from version ``i`` to ``i + 1``; append, never edit."""

assert len(MIGRATIONS) == SCHEMA_VERSION


# --------------------------------------------------------------------------- errors and refusals

# the tables every quiz database has had since schema 1
_QUIZ_TABLES = frozenset({"profiles", "settings", "cards", "reviews", "wrong_book", "bookmarks", "sessions"})


class StoreError(UserError):
    """The progress database cannot be written (or read) right now: locked by another
    program past the busy timeout, read-only, or the disk is full. Nothing of the
    failed write was kept; the same call can be retried."""

    @classmethod
    def of(cls, path: Path, e: sqlite3.Error) -> StoreError:
        text = str(e).lower()
        if "locked" in text or "busy" in text:
            why = (f"is locked by another program (waited {BUSY_TIMEOUT_MS // 1000} s); "
                   "close the other program or try again")
        elif "readonly" in text or "read-only" in text:
            why = "is read-only; quiz cannot save progress there (check its permissions, or give another --db)"
        elif "full" in text:
            why = "cannot be written: the disk is full; free some space and try again"
        elif "disk i/o" in text:
            why = "cannot be written: disk I/O error"
        else:
            why = f"cannot be used ({e})"
        return cls(f"{printable(str(path), one_line=True)}: the progress database {why}")


def _has_quiz_tables(conn: sqlite3.Connection) -> bool:
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    return _QUIZ_TABLES <= names


def _check_tables(p: Path, conn: sqlite3.Connection, version: int) -> None:
    if not _has_quiz_tables(conn):
        raise UserError(
            f"{p}: a SQLite database of another program (user_version {version}, without quiz's tables), "
            "not a quiz progress database; give another --db"
        )


def _connect_readonly(p: Path, timeout: float) -> sqlite3.Connection:
    """A connection that can only read ``p`` (it never creates or changes the file); sqlite3.Error if it cannot."""
    uri = "file:" + urllib.parse.quote(str(p.resolve())) + "?mode=ro"
    return sqlite3.connect(uri, uri=True, isolation_level=None, timeout=timeout, check_same_thread=False)


def _inspect(p: Path) -> None:
    """Refuse a database quiz must not touch, reading it through a read-only connection only."""
    try:
        conn = _connect_readonly(p, BUSY_TIMEOUT_MS / 1000)
    except sqlite3.Error:
        return  # cannot even be opened read-only: the read-write open reports why
    try:
        version, has_tables = conn.execute(
            "SELECT user_version, (SELECT count(*) FROM sqlite_master) FROM pragma_user_version"
        ).fetchone()
        if version > SCHEMA_VERSION:
            raise UserError(
                f"{p}: written by a newer version of quiz (schema {version}, this version reads up to "
                f"{SCHEMA_VERSION}); upgrade quiz or use another --db"
            )
        if version == 0 and has_tables:
            raise UserError(f"{p}: a SQLite database, but not a quiz progress database")
        if version > 0:
            _check_tables(p, conn, version)
    except sqlite3.DatabaseError as e:
        raise StoreError.of(p, e) from None
    finally:
        conn.close()


# --------------------------------------------------------------------------- store


class Store:
    """One open progress database. Use :meth:`open`; close with :meth:`close` or ``with``.

    The store speaks SQL through :mod:`sqlite3`; :attr:`db` (sqlite-utils, for trainers'
    scripts and ad-hoc queries) is made on first use, so that opening the store, on the
    way to the first screen, does not import sqlite-utils and what it pulls in (numpy).
    """

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self._conn = conn
        self._db: sqlite_utils.Database | None = None
        self.path = path
        # one writer at a time per connection: a UI worker thread and the UI thread may share a Store
        self._lock = threading.RLock()

    # -- opening ------------------------------------------------------------
    @classmethod
    def open(cls, path: str | Path, *, migrate: bool = True) -> Store:
        """Open (creating if missing) and migrate the database at ``path``.

        Raises :class:`UserError` (file untouched) for a non-SQLite file, an
        unreadable or corrupt database, or a newer schema version.
        """
        p = Path(path)
        _check_file(p)
        if p.exists():
            _inspect(p)  # refuses a foreign or newer database through a read-only connection: the file is untouched
        try:
            conn = sqlite3.connect(
                str(p), isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False
            )
        except sqlite3.Error as e:
            raise UserError(f"{p}: cannot open the progress database: {e}") from None
        try:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            # one statement, so another process creating the database cannot slip in between
            version, has_tables = conn.execute(
                "SELECT user_version, (SELECT count(*) FROM sqlite_master) FROM pragma_user_version"
            ).fetchone()
            if version > SCHEMA_VERSION:
                raise UserError(
                    f"{p}: written by a newer version of quiz (schema {version}, this version reads up to "
                    f"{SCHEMA_VERSION}); upgrade quiz or use another --db"
                )
            if version == 0 and has_tables:
                raise UserError(f"{p}: a SQLite database, but not a quiz progress database")
            if version > 0:
                _check_tables(p, conn, version)
            if conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA foreign_keys = ON")
            store = cls(conn, p)
            if migrate and version < SCHEMA_VERSION:
                store._migrate(version)
        except sqlite3.DatabaseError as e:
            conn.close()
            raise StoreError.of(p, e) from None
        except BaseException:
            conn.close()
            raise
        return store

    @classmethod
    def open_current_readonly(cls, path: str | Path, *, timeout: float = 0.2) -> Store | None:
        """A read-only connection to an existing database at this version's schema, else None (missing,
        foreign, older or newer, locked for longer than ``timeout`` seconds): for a reader that must
        never create, migrate or wait long (the home screen's head start, :mod:`quiz.home`)."""
        p = Path(path)
        if not p.is_file():
            return None
        try:
            conn = _connect_readonly(p, timeout)
        except sqlite3.Error:
            return None
        try:
            version = int(conn.execute("PRAGMA user_version").fetchone()[0])
            if version == SCHEMA_VERSION and _has_quiz_tables(conn):
                return cls(conn, p)
        except sqlite3.Error:
            pass
        conn.close()
        return None

    def _migrate(self, version: int) -> None:
        """Run the migrations from ``version`` up, each in its own transaction with the version bump."""
        while version < SCHEMA_VERSION:
            with self.transaction() as conn:
                current = int(conn.execute("PRAGMA user_version").fetchone()[0])
                if current != version:  # another process migrated meanwhile
                    version = current
                    continue
                MIGRATIONS[version](conn)
                version += 1
                conn.execute(f"PRAGMA user_version = {version}")

    @property
    def conn(self) -> sqlite3.Connection:
        return self._conn

    @property
    def db(self) -> sqlite_utils.Database:
        """The same connection as a sqlite-utils Database."""
        if self._db is None:
            import sqlite_utils

            self._db = sqlite_utils.Database(self._conn)
        return self._db

    def close(self) -> None:
        try:
            self.conn.execute("PRAGMA optimize")  # keeps the query planner's statistics fresh
        except sqlite3.Error:
            pass
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def schema_version(self) -> int:
        return int(self.conn.execute("PRAGMA user_version").fetchone()[0])

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """``BEGIN IMMEDIATE`` ... ``COMMIT`` (rolled back on error).

        Nested use in the same thread joins the outer transaction; another thread
        using the same Store waits for it to finish.
        """
        conn = self.conn
        with self._lock:
            if conn.in_transaction:
                yield conn
                return
            try:
                conn.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as e:  # locked past the busy timeout, read-only
                raise StoreError.of(self.path, e) from None
            try:
                yield conn
                conn.execute("COMMIT")
            except sqlite3.OperationalError as e:  # disk full, read-only, locked: nothing of it was written
                self._rollback()
                raise StoreError.of(self.path, e) from None
            except BaseException:
                self._rollback()
                raise

    def _rollback(self) -> None:
        if self.conn.in_transaction:
            try:
                self.conn.execute("ROLLBACK")
            except sqlite3.Error:  # SQLite may have rolled back already (disk full)
                pass

    # -- profiles and settings ---------------------------------------------
    def ensure_profile(self, profile: str, now: datetime | None = None) -> None:
        if not profile.strip():
            raise UserError("a profile name cannot be empty")
        if self.conn.execute("SELECT 1 FROM profiles WHERE name = ?", (profile,)).fetchone():
            return
        with self.transaction() as c:
            c.execute("INSERT OR IGNORE INTO profiles (name, created) VALUES (?, ?)", (profile, iso(now or utc_now())))

    def profiles(self) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT name FROM profiles ORDER BY created, name")]

    def get_settings(self, profile: str) -> Settings:
        names = settings_fields()
        row = self.conn.execute(f"SELECT {', '.join(names)} FROM settings WHERE profile = ?", (profile,)).fetchone()
        if row is None:
            return Settings()
        return Settings(**dict(zip(names, row, strict=True)))

    def save_settings(self, profile: str, settings: Settings) -> None:
        settings.validated()
        self.ensure_profile(profile)
        names = settings_fields()
        values = [getattr(settings, n) for n in names]
        with self.transaction() as c:
            c.execute(
                f"INSERT OR REPLACE INTO settings (profile, {', '.join(names)}) VALUES (?{', ?' * len(names)})",
                (profile, *values),
            )

    # -- cards ----------------------------------------------------------------
    _CARD_COLS = (
        "profile, qid, card, due, state, stability, difficulty, last_review, reps, lapses, first_seen,"
        " fingerprint, flagged_changed, fails, last_rating"
    )

    @staticmethod
    def _card_row(r: Sequence[Any]) -> CardRow:
        return CardRow(
            profile=r[0],
            qid=r[1],
            card=Card.from_json(r[2]),
            due=parse_ts(r[3]),
            state=State(r[4]),
            stability=r[5],
            difficulty=r[6],
            last_review=parse_ts(r[7]) if r[7] else None,
            reps=r[8],
            lapses=r[9],
            first_seen=parse_ts(r[10]),
            fingerprint=r[11],
            flagged_changed=bool(r[12]),
            fails=int(r[13] or 0),
            last_rating=r[14],
        )

    def get_card(self, profile: str, qid: str) -> CardRow | None:
        r = self.conn.execute(
            f"SELECT {self._CARD_COLS} FROM cards WHERE profile = ? AND qid = ?", (profile, qid)
        ).fetchone()
        return self._card_row(r) if r else None

    def cards(self, profile: str) -> dict[str, CardRow]:
        """Every card of a learner, by qid (questions answered at least once)."""
        rows = self.conn.execute(f"SELECT {self._CARD_COLS} FROM cards WHERE profile = ?", (profile,))
        return {r[1]: self._card_row(r) for r in rows}

    def card_summaries(self, profile: str) -> list[CardSummary]:
        """Every card of a learner without parsing the card JSON (fast)."""
        rows = self.conn.execute(
            "SELECT qid, state, stability, last_review, due, fails, last_rating FROM cards WHERE profile = ?",
            (profile,),
        )
        return [
            CardSummary(r[0], r[1], r[2], parse_ts(r[3]) if r[3] else None, parse_ts(r[4]), int(r[5] or 0), r[6])
            for r in rows
        ]

    def answered_since(self, profile: str, since: datetime) -> set[str]:
        """Questions answered (a review recorded) since ``since``."""
        # no DISTINCT: it would lead the planner to walk the (profile, qid) index over the whole history
        return {
            r[0]
            for r in self.conn.execute("SELECT qid FROM reviews WHERE profile = ? AND ts >= ?", (profile, iso(since)))
        }

    def leeches(self, profile: str, threshold: int) -> dict[str, int]:
        """Questions failed at least ``threshold`` times: qid -> failures."""
        return {
            r[0]: int(r[1])
            for r in self.conn.execute(
                "SELECT qid, fails FROM cards WHERE profile = ? AND fails >= ? ORDER BY fails DESC, qid",
                (profile, threshold),
            )
        }

    def seen_qids(self, profile: str) -> set[str]:
        return {r[0] for r in self.conn.execute("SELECT qid FROM cards WHERE profile = ?", (profile,))}

    def due_qids(self, profile: str, now: datetime, limit: int | None = None) -> list[str]:
        """Qids due at ``now``, earliest due first (questions no longer in the banks included;
        callers filter them out with the library)."""
        sql = "SELECT qid FROM cards WHERE profile = ? AND due <= ? ORDER BY due"
        params: list[Any] = [profile, iso(now)]
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        return [r[0] for r in self.conn.execute(sql, params)]

    def new_seen_since(self, profile: str, since: datetime) -> int:
        """How many questions were answered for the first time since ``since``."""
        r = self.conn.execute(
            "SELECT count(*) FROM cards WHERE profile = ? AND first_seen >= ?", (profile, iso(since))
        ).fetchone()
        return int(r[0])

    def reset_card(self, profile: str, qid: str) -> None:
        """Forget the card (it becomes new again); its reviews stay in the history."""
        with self.transaction() as c:
            c.execute("DELETE FROM cards WHERE profile = ? AND qid = ?", (profile, qid))

    def accept_change(self, profile: str, qid: str, fingerprint: str) -> None:
        """Keep the card's progress for a changed question and clear its flag."""
        with self.transaction() as c:
            c.execute(
                "UPDATE cards SET fingerprint = ?, flagged_changed = 0 WHERE profile = ? AND qid = ?",
                (fingerprint, profile, qid),
            )

    def flag_changed(self, profile: str, fingerprints: dict[str, str]) -> list[str]:
        """Flag the cards whose question's fingerprint differs from ``fingerprints[qid]``.

        Returns the qids flagged now or earlier (still flagged). Qids not in
        ``fingerprints`` (removed from the banks) are left alone.
        """
        rows = self.conn.execute(
            "SELECT qid, fingerprint, flagged_changed FROM cards WHERE profile = ?", (profile,)
        ).fetchall()
        to_flag = [
            qid
            for qid, fp, flagged in rows
            if not flagged and fp is not None and qid in fingerprints and fingerprints[qid] != fp
        ]
        if to_flag:
            with self.transaction() as c:
                c.executemany(
                    "UPDATE cards SET flagged_changed = 1 WHERE profile = ? AND qid = ?",
                    [(profile, q) for q in to_flag],
                )
        return self.changed_qids(profile)

    def changed_qids(self, profile: str) -> list[str]:
        return [
            r[0]
            for r in self.conn.execute(
                "SELECT qid FROM cards WHERE profile = ? AND flagged_changed = 1 ORDER BY qid", (profile,)
            )
        ]

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
        session_queue: str | None = None,
    ) -> RecordedAnswer:
        """Write one graded answer in one transaction: the review row, the card (when
        ``card`` is given, i.e. the answer is scheduled), the wrong-answer book (a mistake,
        see :func:`is_mistake`, adds the question or resets its streak; ``wrong_book_streak``
        correct answers in a row remove it), the session's position (clearing its draft) and
        the 顺序练习 position (and the session's queue when ``session_queue`` is given, JSON).
        Committed before returning.
        """
        ts = iso(now)
        self.ensure_profile(profile, now)
        with self.transaction() as c:
            before = c.execute("SELECT state FROM cards WHERE profile = ? AND qid = ?", (profile, qid)).fetchone()
            cur = c.execute(
                "INSERT INTO reviews (ts, profile, qid, mode, answer, verdict, score, rating, auto_rating, seconds,"
                " session_id, attempt_id, fingerprint, state_before) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    ts,
                    profile,
                    qid,
                    mode,
                    answer,
                    verdict,
                    float(score),
                    int(rating) if rating is not None else None,
                    int(auto_rating) if auto_rating is not None else None,
                    seconds,
                    session_id,
                    attempt_id,
                    fingerprint,
                    before[0] if before else None,
                ),
            )
            review_id = int(cur.lastrowid or 0)
            row: CardRow | None = None
            if card is not None:
                row = self._write_card(
                    c, profile, qid, card, now, fingerprint,
                    rating=int(rating) if rating is not None else None,
                    fails_delta=1 if rating == Rating.Again else 0,
                )
            wrong_before = self._wrong_entry(c, profile, qid)
            mistake = is_mistake(verdict, int(rating) if rating is not None else None)
            in_book, added, left, streak = self._apply_wrong_book(c, profile, qid, mistake, ts, wrong_book_streak)
            if session_id is not None and session_position is not None:
                c.execute(
                    "UPDATE sessions SET position = ?, updated = ?, queue = coalesce(?, queue), draft_qid = NULL,"
                    " draft = NULL WHERE id = ?",
                    (session_position, ts, session_queue, session_id),
                )
            if position_scope is not None:
                c.execute(
                    "INSERT OR REPLACE INTO positions (profile, scope, qid, updated) VALUES (?, ?, ?, ?)",
                    (profile, position_scope, qid, ts),
                )
        return RecordedAnswer(review_id, row, in_book, added, left, streak, wrong_before)

    @staticmethod
    def _wrong_entry(c: sqlite3.Connection, profile: str, qid: str) -> WrongEntry | None:
        r = c.execute(
            "SELECT qid, added, streak, wrong_count, last_wrong FROM wrong_book WHERE profile = ? AND qid = ?",
            (profile, qid),
        ).fetchone()
        return WrongEntry(r[0], parse_ts(r[1]), r[2], r[3], parse_ts(r[4])) if r else None

    @staticmethod
    def _apply_wrong_book(
        c: sqlite3.Connection, profile: str, qid: str, mistake: bool, ts: str, need: int
    ) -> tuple[bool, bool, bool, int]:
        """One answer's effect on the 错题本: (in the book now, added, left, correct streak)."""
        wb = c.execute("SELECT streak FROM wrong_book WHERE profile = ? AND qid = ?", (profile, qid)).fetchone()
        if mistake:
            if wb is None:
                c.execute(
                    "INSERT INTO wrong_book (profile, qid, added, streak, wrong_count, last_wrong) VALUES (?, ?, ?, 0, 1, ?)",
                    (profile, qid, ts, ts),
                )
                return True, True, False, 0
            c.execute(
                "UPDATE wrong_book SET streak = 0, wrong_count = wrong_count + 1, last_wrong = ?"
                " WHERE profile = ? AND qid = ?",
                (ts, profile, qid),
            )
            return True, False, False, 0
        if wb is None:
            return False, False, False, 0
        streak = int(wb[0]) + 1
        if streak >= need:
            c.execute("DELETE FROM wrong_book WHERE profile = ? AND qid = ?", (profile, qid))
            return False, False, True, streak
        c.execute("UPDATE wrong_book SET streak = ? WHERE profile = ? AND qid = ?", (streak, profile, qid))
        return True, False, False, streak

    def _write_card(
        self,
        c: sqlite3.Connection,
        profile: str,
        qid: str,
        card: Card,
        now: datetime,
        fingerprint: str | None,
        *,
        reps_delta: int = 1,
        lapses_delta: int | None = None,
        rating: int | None = None,
        fails_delta: int = 0,
    ) -> CardRow:
        old = c.execute(
            "SELECT reps, lapses, first_seen, fingerprint, flagged_changed, state, fails, last_rating"
            " FROM cards WHERE profile = ? AND qid = ?",
            (profile, qid),
        ).fetchone()
        reps, lapses, first_seen, fp, flagged, old_state, fails, last_rating = (
            old if old else (0, 0, iso(now), None, 0, None, 0, None)
        )
        if lapses_delta is None:
            # a lapse (Anki's word): a card in the Review state forgotten, i.e. back to Relearning
            lapses_delta = 1 if old_state == int(State.Review) and card.state == State.Relearning else 0
        values = (
            profile,
            qid,
            card.to_json(),
            iso(card.due),
            int(card.state),
            card.stability,
            card.difficulty,
            iso(card.last_review) if card.last_review else None,
            max(0, reps + reps_delta),
            max(0, lapses + lapses_delta),
            first_seen,
            fp if fp is not None else fingerprint,
            flagged,
            max(0, int(fails or 0) + fails_delta),
            rating if rating is not None else last_rating,
        )
        c.execute(f"INSERT OR REPLACE INTO cards ({self._CARD_COLS}) VALUES ({', '.join('?' * 15)})", values)
        return self._card_row(values)

    def update_rating(
        self,
        review_id: int,
        card: Card,
        rating: Rating,
        now: datetime,
        previous: Card | None = None,
        *,
        wrong_before: WrongEntry | None = None,
        wrong_book_streak: int = 2,
    ) -> RecordedAnswer:
        """The learner overrode the rating of ``review_id`` (their latest answer to the question):
        store the card rescheduled from ``previous`` (the card before that answer; None for a
        question answered the first time), and redo the answer's effect on the 错题本 from
        ``wrong_before`` (the entry before that answer) with the new rating: a wrong answer
        re-rated Good takes back the mistake, a right one re-rated Again records one."""
        with self.transaction() as c:
            r = c.execute("SELECT profile, qid, rating, ts FROM reviews WHERE id = ?", (review_id,)).fetchone()
            if r is None:
                raise ValueError(f"no review {review_id}")
            profile, qid, old_rating, ts = r
            c.execute("UPDATE reviews SET rating = ? WHERE id = ?", (int(rating), review_id))
            cur = c.execute("SELECT state FROM cards WHERE profile = ? AND qid = ?", (profile, qid)).fetchone()
            was_review = previous is not None and previous.state == State.Review
            old_lapse = 1 if was_review and cur is not None and cur[0] == int(State.Relearning) else 0
            new_lapse = 1 if was_review and card.state == State.Relearning else 0
            fails_delta = int(rating == Rating.Again) - int(old_rating == int(Rating.Again))
            row = self._write_card(
                c, profile, qid, card, now, None, reps_delta=0, lapses_delta=new_lapse - old_lapse,
                rating=int(rating), fails_delta=fails_delta,
            )
            # the 错题本 as it was before the answer, then the answer again with its new rating
            c.execute("DELETE FROM wrong_book WHERE profile = ? AND qid = ?", (profile, qid))
            if wrong_before is not None:
                c.execute(
                    "INSERT INTO wrong_book (profile, qid, added, streak, wrong_count, last_wrong) VALUES (?, ?, ?, ?, ?, ?)",
                    (profile, qid, iso(wrong_before.added), wrong_before.streak, wrong_before.wrong_count,
                     iso(wrong_before.last_wrong)),
                )
            in_book, added, left, streak = self._apply_wrong_book(
                c, profile, qid, rating <= Rating.Hard, ts, wrong_book_streak
            )
            return RecordedAnswer(review_id, row, in_book, added, left, streak, wrong_before)

    _REVIEW_COLS = (
        "id, ts, profile, qid, mode, answer, verdict, score, rating, auto_rating, seconds, session_id, attempt_id"
    )

    def reviews(self, profile: str | None = None, qid: str | None = None) -> list[Review]:
        where, params = [], []
        if profile is not None:
            where.append("profile = ?")
            params.append(profile)
        if qid is not None:
            where.append("qid = ?")
            params.append(qid)
        sql = f"SELECT {self._REVIEW_COLS} FROM reviews"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY id"
        return [Review(r[0], parse_ts(r[1]), *r[2:]) for r in self.conn.execute(sql, params)]

    def review_count(self, profile: str) -> int:
        return int(self.conn.execute("SELECT count(*) FROM reviews WHERE profile = ?", (profile,)).fetchone()[0])

    # -- wrong-answer book and bookmarks -------------------------------------
    def wrong_book(self, profile: str) -> list[WrongEntry]:
        """错题本, oldest entry first."""
        rows = self.conn.execute(
            "SELECT qid, added, streak, wrong_count, last_wrong FROM wrong_book WHERE profile = ? ORDER BY added, qid",
            (profile,),
        )
        return [WrongEntry(r[0], parse_ts(r[1]), r[2], r[3], parse_ts(r[4])) for r in rows]

    def in_wrong_book(self, profile: str, qid: str) -> bool:
        return (
            self.conn.execute("SELECT 1 FROM wrong_book WHERE profile = ? AND qid = ?", (profile, qid)).fetchone()
            is not None
        )

    def remove_from_wrong_book(self, profile: str, qid: str) -> None:
        with self.transaction() as c:
            c.execute("DELETE FROM wrong_book WHERE profile = ? AND qid = ?", (profile, qid))

    def wrong_book_entry(self, profile: str, qid: str) -> WrongEntry | None:
        r = self.conn.execute(
            "SELECT qid, added, streak, wrong_count, last_wrong FROM wrong_book WHERE profile = ? AND qid = ?",
            (profile, qid),
        ).fetchone()
        return WrongEntry(r[0], parse_ts(r[1]), r[2], r[3], parse_ts(r[4])) if r else None

    def restore_wrong_book(self, profile: str, entry: WrongEntry) -> None:
        """Put back an entry removed by :meth:`remove_from_wrong_book` exactly as it was (undo)."""
        with self.transaction() as c:
            c.execute(
                "INSERT OR REPLACE INTO wrong_book (profile, qid, added, streak, wrong_count, last_wrong)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (profile, entry.qid, iso(entry.added), entry.streak, entry.wrong_count, iso(entry.last_wrong)),
            )

    def set_bookmark(self, profile: str, qid: str, on: bool, now: datetime | None = None) -> None:
        self.ensure_profile(profile, now)
        with self.transaction() as c:
            if on:
                c.execute(
                    "INSERT OR IGNORE INTO bookmarks (profile, qid, added) VALUES (?, ?, ?)",
                    (profile, qid, iso(now or utc_now())),
                )
            else:
                c.execute("DELETE FROM bookmarks WHERE profile = ? AND qid = ?", (profile, qid))

    def toggle_bookmark(self, profile: str, qid: str, now: datetime | None = None) -> bool:
        """Returns whether the question is bookmarked now."""
        on = not self.is_bookmarked(profile, qid)
        self.set_bookmark(profile, qid, on, now)
        return on

    def is_bookmarked(self, profile: str, qid: str) -> bool:
        return (
            self.conn.execute("SELECT 1 FROM bookmarks WHERE profile = ? AND qid = ?", (profile, qid)).fetchone()
            is not None
        )

    def bookmarks(self, profile: str) -> list[str]:
        """收藏, oldest first."""
        return [
            r[0]
            for r in self.conn.execute("SELECT qid FROM bookmarks WHERE profile = ? ORDER BY added, qid", (profile,))
        ]

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
        attempt_id: int | None = None,
        position: int | None = None,
    ) -> int:
        """A learner's dispute of a grading (``attempt_id`` and ``position``: of an exam answer)."""
        self.ensure_profile(profile, now)
        with self.transaction() as c:
            cur = c.execute(
                "INSERT INTO disputes (ts, profile, qid, review_id, answer, verdict, score, note, status, attempt_id,"
                " position) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?)",
                (iso(now or utc_now()), profile, qid, review_id, answer, verdict, score, note, attempt_id, position),
            )
            return int(cur.lastrowid or 0)

    def disputes(self, profile: str | None = None) -> list[Dispute]:
        sql = f"SELECT {DISPUTE_COLS} FROM disputes"
        params: tuple[str, ...] = ()
        if profile is not None:
            sql += " WHERE profile = ?"
            params = (profile,)
        return [dispute_from_row(r) for r in self.conn.execute(sql + " ORDER BY id", params)]

    # -- 顺序练习 positions -----------------------------------------------------
    def get_position(self, profile: str, scope: str) -> str | None:
        """The qid last answered in 顺序练习 over ``scope``."""
        r = self.conn.execute("SELECT qid FROM positions WHERE profile = ? AND scope = ?", (profile, scope)).fetchone()
        return str(r[0]) if r else None

    def set_position(self, profile: str, scope: str, qid: str, now: datetime) -> None:
        with self.transaction() as c:
            c.execute(
                "INSERT OR REPLACE INTO positions (profile, scope, qid, updated) VALUES (?, ?, ?, ?)",
                (profile, scope, qid, iso(now)),
            )

    # -- raw helpers for sessions and exams -----------------------------------
    def execute(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> sqlite3.Cursor:
        return self.conn.execute(sql, params)


def settings_fields() -> list[str]:
    return [f.name for f in fields(Settings)]


def dumps(obj: object) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


_ = utc_now  # re-exported for callers that want the default clock
