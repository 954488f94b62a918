"""The trainer's view of a team: learners' progress, disputes to resolve, assignments.

Everything here reads and writes the shared ``progress.db`` (tables in
:mod:`quiz.store`); the trainer screen (``tui/screens/team.py``) only shows it.

**Disputes** ("我答对了"). :func:`resolve_dispute` with ``accept=True`` regrades
the disputed answer as correct and updates the learner's record to match: the
answer's review row (verdict ``correct``, score 1, the rating the scheduler's
rule gives a correct answer), the question's FSRS card (replayed from the
learner's answers to it, with the regraded rating in place of the old one) and
the 错题本 entry (replayed by the same rule as :meth:`Store.record_answer`; a
regrade only ever takes a question out of the book or raises its streak, never
puts back one the learner removed). The original verdict and score stay on the
dispute. A dispute of an exam answer (from the exam's review, :meth:`quiz.exam.ExamAttempt.dispute`)
names its attempt and question; accepting it also corrects the paper the same way: the question's
row on the paper becomes correct with the section's full points, and the attempt's score, pass and
section and topic breakdown are recomputed from the paper (the score and pass before stay on the
dispute: ``original_exam_score``, ``original_exam_passed``). ``accept=False`` rejects it with a note; the learner sees resolutions
of their disputes on their home screen (:func:`notices`) for
:data:`NOTICE_DAYS` days.

**Assignments.** A trainer assigns an exam or a topic to learners with a
deadline (:func:`assign`). An exam assignment is done when the learner has
submitted an attempt of that exam started after it was assigned; a topic
assignment when they have answered every question of the topic (in the banks in
use) since it was assigned. Not done by the deadline is *overdue*.

**The team** (:func:`team`): one row per account, and per profile with answers
but no account (e.g. the terminal's ``default``), with progress, readiness for
each exam, exam attempts, open disputes and assignments.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime, time, timedelta, tzinfo
from typing import Literal

from quiz.errors import UserError
from quiz.exam import ExamAttempt
from quiz.library import Library
from quiz.scheduler import Card, Rating, SpacedScheduler, State, rating_for, to_utc
from quiz.store import DISPUTE_COLS, Dispute, Store, dispute_from_row, dumps, iso, parse_ts

NOTICE_DAYS = 14
"""How long a learner's home shows the resolution of one of their disputes."""

Kind = Literal["exam", "topic"]


# --------------------------------------------------------------------------- disputes


DisputeCase = Dispute
"""A dispute as the trainer and the learner see it (the store's record, every column)."""


@dataclass(frozen=True)
class ExamContext:
    """Where a disputed exam answer sits: the attempt, the question on its paper, the score now."""

    attempt_id: int
    exam_id: str
    started: datetime
    submitted: datetime | None
    position: int  # 0-based
    points: float  # the question's points on this paper
    earned: float  # what it earns now
    score: float | None  # the attempt's score now
    total: float
    passed: bool | None


def exam_context(store: Store, case: DisputeCase) -> ExamContext | None:
    """The exam a dispute's answer was given in (None: a study answer, or the attempt is gone)."""
    if case.attempt_id is None or case.position is None:
        return None
    r = store.execute(
        "SELECT a.exam_id, a.started, a.submitted, e.points, e.earned, a.score, a.total, a.passed"
        " FROM exam_attempts a JOIN exam_answers e ON e.attempt_id = a.id"
        " WHERE a.id = ? AND e.position = ? AND a.profile = ?",
        (case.attempt_id, case.position, case.profile),
    ).fetchone()
    if r is None:
        return None
    return ExamContext(
        case.attempt_id, str(r[0]), parse_ts(str(r[1])), parse_ts(str(r[2])) if r[2] else None, case.position,
        float(r[3]), float(r[4] or 0.0), float(r[5]) if r[5] is not None else None, float(r[6]),
        bool(r[7]) if r[7] is not None else None,
    )


def disputes(store: Store, *, profile: str | None = None, status: str | None = None) -> list[DisputeCase]:
    """Disputes, open ones first, then newest first."""
    sql = f"SELECT {DISPUTE_COLS} FROM disputes"
    where: list[str] = []
    params: list[str] = []
    if profile is not None:
        where.append("profile = ?")
        params.append(profile)
    if status is not None:
        where.append("status = ?")
        params.append(status)
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY status != 'open', id DESC"
    return [dispute_from_row(r) for r in store.execute(sql, params)]


def get_dispute(store: Store, dispute_id: int) -> DisputeCase | None:
    r = store.execute(f"SELECT {DISPUTE_COLS} FROM disputes WHERE id = ?", (dispute_id,)).fetchone()
    return dispute_from_row(r) if r else None


def notices(store: Store, profile: str, now: datetime, *, days: int = NOTICE_DAYS) -> list[DisputeCase]:
    """The learner's disputes resolved in the last ``days`` days, newest first (for their home)."""
    rows = store.execute(
        f"SELECT {DISPUTE_COLS} FROM disputes WHERE profile = ? AND status != 'open' AND resolved_at >= ?"
        " ORDER BY resolved_at DESC",
        (profile, iso(now - timedelta(days=days))),
    )
    return [dispute_from_row(r) for r in rows]


def resolve_dispute(
    store: Store,
    library: Library | None,
    dispute_id: int,
    *,
    accept: bool,
    by: str,
    now: datetime,
    note: str = "",
    scheduler: SpacedScheduler | None = None,
) -> DisputeCase:
    """Accept (regrade as correct, update the record) or reject (with ``note``) an open dispute."""
    case = get_dispute(store, dispute_id)
    if case is None:
        raise UserError(f"no dispute {dispute_id}")
    if not case.open:
        raise UserError(f"dispute {dispute_id} was already {case.status}")
    note = " ".join(note.split())
    if not accept and not note:
        raise UserError("say why in a note: the learner sees it")
    ts = iso(now)
    with store.transaction() as c:
        c.execute(
            "UPDATE disputes SET status = ?, resolved_at = ?, resolved_by = ?, resolution_note = ?,"
            " original_verdict = verdict, original_score = score WHERE id = ? AND status = 'open'",
            ("accepted" if accept else "rejected", ts, by, note, dispute_id),
        )
        if accept and case.review_id is not None:
            _regrade(c, store, library, case, scheduler)
        if accept and case.attempt_id is not None:
            _regrade_exam(c, store, library, case)
    out = get_dispute(store, dispute_id)
    assert out is not None
    return out


def _regrade(c: sqlite3.Connection, store: Store, library: Library | None, case: DisputeCase,
             scheduler: SpacedScheduler | None) -> None:
    """The disputed review becomes correct; the card and the wrong book are replayed to match."""
    r = c.execute(
        "SELECT profile, qid, seconds, state_before, rating FROM reviews WHERE id = ?", (case.review_id,)
    ).fetchone()
    if r is None or r[0] != case.profile or r[1] != case.qid:
        return  # the review is gone or is not this learner's answer: only the dispute is resolved
    item = library.get(case.qid) if library is not None else None
    qtype = item.question.type if item is not None else "single"
    state = State(r[3]) if r[3] is not None else None
    new_rating = rating_for("correct", qtype=qtype, seconds=r[2], state=state) if r[4] is not None else None
    c.execute(
        "UPDATE reviews SET verdict = 'correct', score = 1.0, rating = ?, auto_rating = coalesce(?, auto_rating)"
        " WHERE id = ?",
        (int(new_rating) if new_rating is not None else None, int(new_rating) if new_rating is not None else None,
         case.review_id),
    )
    _replay_card(c, store, case.profile, case.qid, scheduler)
    _replay_wrong_book(c, store, case.profile, case.qid)


def _regrade_exam(c: sqlite3.Connection, store: Store, library: Library | None, case: DisputeCase) -> None:
    """The disputed question earns its full points on the paper; the attempt is scored again from the paper."""
    r = c.execute(
        "SELECT a.exam_id, a.score, a.passed FROM exam_attempts a JOIN exam_answers e ON e.attempt_id = a.id"
        " WHERE a.id = ? AND e.position = ? AND a.profile = ? AND e.qid = ? AND a.submitted IS NOT NULL",
        (case.attempt_id, case.position, case.profile, case.qid),
    ).fetchone()
    if r is None:
        return  # the attempt is gone or is not this learner's: only the dispute (and the review) are resolved
    exam_id, score_before, passed_before = r
    c.execute(
        "UPDATE disputes SET original_exam_score = ?, original_exam_passed = ? WHERE id = ?",
        (score_before, passed_before, case.id),
    )
    c.execute(
        "UPDATE exam_answers SET verdict = 'correct', score = 1.0, earned = points WHERE attempt_id = ? AND position = ?",
        (case.attempt_id, case.position),
    )
    score = round(float(c.execute(
        "SELECT coalesce(sum(earned), 0) FROM exam_answers WHERE attempt_id = ?", (case.attempt_id,)
    ).fetchone()[0]), 4)
    passed: object = passed_before
    breakdown: str | None = None
    if library is not None and exam_id in library.exams:
        assert case.attempt_id is not None
        try:  # the paper as the exam's result screen builds it: score, pass, sections and topics
            result = ExamAttempt.resume(store, library, case.attempt_id).result()
        except (UserError, KeyError):  # a question of the paper is no longer in the banks
            result = None
        if result is not None:
            score, passed = result.score, int(result.passed)
            breakdown = dumps({"sections": [asdict(x) for x in result.sections],
                               "topics": [asdict(x) for x in result.topics]})
    c.execute(
        "UPDATE exam_attempts SET score = ?, passed = ?, breakdown = coalesce(?, breakdown) WHERE id = ?",
        (score, passed, breakdown, case.attempt_id),
    )


def _replay_card(c: sqlite3.Connection, store: Store, profile: str, qid: str, scheduler: SpacedScheduler | None) -> None:
    """Rebuild the question's FSRS card from every scheduled answer the learner gave it."""
    if c.execute("SELECT 1 FROM cards WHERE profile = ? AND qid = ?", (profile, qid)).fetchone() is None:
        return  # never scheduled (or reset by the learner): nothing to rebuild
    sched = scheduler or SpacedScheduler(desired_retention=store.get_settings(profile).desired_retention)
    card: Card | None = None
    reps = lapses = fails = 0
    last: int | None = None
    for ts, rating, seconds in c.execute(
        "SELECT ts, rating, seconds FROM reviews WHERE profile = ? AND qid = ? AND rating IS NOT NULL ORDER BY id",
        (profile, qid),
    ).fetchall():
        before = card.state if card is not None else None
        card = sched.review(card, Rating(int(rating)), parse_ts(ts), seconds)
        reps += 1
        lapses += before == State.Review and card.state == State.Relearning
        fails += int(rating) == int(Rating.Again)
        last = int(rating)
    if card is None:
        return
    c.execute(
        "UPDATE cards SET card = ?, due = ?, state = ?, stability = ?, difficulty = ?, last_review = ?, reps = ?,"
        " lapses = ?, fails = ?, last_rating = ? WHERE profile = ? AND qid = ?",
        (card.to_json(), iso(card.due), int(card.state), card.stability, card.difficulty,
         iso(card.last_review) if card.last_review else None, reps, lapses, fails, last, profile, qid),
    )


def _replay_wrong_book(c: sqlite3.Connection, store: Store, profile: str, qid: str) -> None:
    """The 错题本 entry as the learner's answers, regraded, would have left it (never re-added)."""
    entry = c.execute("SELECT streak FROM wrong_book WHERE profile = ? AND qid = ?", (profile, qid)).fetchone()
    if entry is None:
        return
    need = store.get_settings(profile).wrong_book_streak
    in_book, streak, wrong = False, 0, 0
    for (verdict,) in c.execute("SELECT verdict FROM reviews WHERE profile = ? AND qid = ? ORDER BY id", (profile, qid)):
        if verdict != "correct":
            in_book, streak, wrong = True, 0, wrong + 1
        elif in_book:
            streak += 1
            if streak >= need:
                in_book, streak, wrong = False, 0, 0
    if not in_book:
        c.execute("DELETE FROM wrong_book WHERE profile = ? AND qid = ?", (profile, qid))
    else:
        c.execute(
            "UPDATE wrong_book SET streak = ?, wrong_count = ? WHERE profile = ? AND qid = ?", (streak, wrong, profile, qid)
        )


# --------------------------------------------------------------------------- assignments


@dataclass(frozen=True)
class Assignment:
    id: int
    created: datetime
    created_by: str
    kind: Kind
    target: str  # the exam id, or the topic
    due: datetime
    note: str
    learners: tuple[str, ...]
    cancelled: datetime | None = None


@dataclass(frozen=True)
class AssignmentStatus:
    """How far one learner is with one assignment."""

    assignment: Assignment
    profile: str
    done: bool
    overdue: bool
    answered: int = 0  # topic: questions answered since assigned
    total: int = 0  # topic: questions in the topic
    score: float | None = None  # exam: the best score of an attempt since assigned
    exam_total: float | None = None
    passed: bool | None = None

    @property
    def progress(self) -> float:
        if self.done:
            return 1.0
        return self.answered / self.total if self.total else 0.0


def parse_due(text: str, now: datetime, tz: tzinfo | None = None) -> datetime:
    """A deadline as a trainer types it: ``YYYY-MM-DD`` (the end of that day, local time) or a
    number of days from today (``7``). UserError for anything else or a day already past."""
    text = text.strip()
    local_now = now.astimezone(tz) if tz is not None else now.astimezone()
    if text.isdigit() and len(text) <= 4:
        day = local_now.date() + timedelta(days=int(text))
    else:
        try:
            day = datetime.strptime(text, "%Y-%m-%d").date()
        except ValueError:
            raise UserError(f"deadline {text!r}: give a date as YYYY-MM-DD or a number of days") from None
    if day < local_now.date():
        raise UserError(f"deadline {day.isoformat()} is already past")
    end = datetime.combine(day, time(23, 59, 59), tzinfo=local_now.tzinfo)
    return to_utc(end)


def assign(
    store: Store,
    library: Library,
    *,
    kind: Kind,
    target: str,
    learners: Sequence[str],
    due: datetime,
    by: str,
    now: datetime,
    note: str = "",
) -> Assignment:
    """Give ``learners`` an exam or a topic to finish by ``due``. UserError for an unknown exam,
    topic or learner, no learner, or a deadline already past."""
    if kind == "exam":
        if target not in library.exams:
            raise UserError(f"no exam {target!r} (exams: {', '.join(library.exams) or 'none'})")
    elif kind == "topic":
        if target not in library.topics():
            raise UserError(f"no topic {target!r} in the banks")
    else:
        raise UserError(f"unknown assignment kind {kind!r} (exam or topic)")
    names = list(dict.fromkeys(n.strip() for n in learners if n.strip()))
    if not names:
        raise UserError("choose at least one learner")
    known = set(store.profiles())
    unknown = [n for n in names if n not in known]
    if unknown:
        raise UserError(f"no learner {unknown[0]!r}")
    if due <= now:
        raise UserError("the deadline is already past")
    with store.transaction() as c:
        cur = c.execute(
            "INSERT INTO assignments (created, created_by, kind, target, due, note) VALUES (?, ?, ?, ?, ?, ?)",
            (iso(now), by, kind, target, iso(due), " ".join(note.split())),
        )
        aid = int(cur.lastrowid or 0)
        c.executemany("INSERT INTO assignment_learners (assignment_id, profile) VALUES (?, ?)", [(aid, n) for n in names])
    out = get_assignment(store, aid)
    assert out is not None
    return out


def cancel_assignment(store: Store, assignment_id: int, now: datetime) -> None:
    with store.transaction() as c:
        cur = c.execute("UPDATE assignments SET cancelled = ? WHERE id = ? AND cancelled IS NULL", (iso(now), assignment_id))
        if cur.rowcount == 0:
            raise UserError(f"no open assignment {assignment_id}")


def _assignments(store: Store, where: str = "", params: Sequence[object] = ()) -> list[Assignment]:
    rows = store.execute(
        "SELECT a.id, a.created, a.created_by, a.kind, a.target, a.due, a.note, a.cancelled,"
        " group_concat(l.profile, char(31)) FROM assignments a LEFT JOIN assignment_learners l ON l.assignment_id = a.id"
        f" {where} GROUP BY a.id ORDER BY a.due, a.id",
        params,
    )
    out: list[Assignment] = []
    for r in rows:
        kind: Kind = "exam" if r[3] == "exam" else "topic"
        learners = tuple(sorted((r[8] or "").split("\x1f"))) if r[8] else ()
        out.append(Assignment(r[0], parse_ts(r[1]), r[2], kind, r[4], parse_ts(r[5]), r[6], learners,
                              parse_ts(r[7]) if r[7] else None))
    return out


def get_assignment(store: Store, assignment_id: int) -> Assignment | None:
    found = _assignments(store, "WHERE a.id = ?", (assignment_id,))
    return found[0] if found else None


def assignments(store: Store, *, include_cancelled: bool = False) -> list[Assignment]:
    """Every assignment, earliest deadline first."""
    return _assignments(store, "" if include_cancelled else "WHERE a.cancelled IS NULL")


def status(store: Store, library: Library, assignment: Assignment, profile: str, now: datetime) -> AssignmentStatus:
    """How far ``profile`` is with ``assignment`` at ``now``."""
    since = iso(assignment.created)
    if assignment.kind == "exam":
        best = store.execute(
            "SELECT score, total, passed FROM exam_attempts WHERE profile = ? AND exam_id = ? AND submitted IS NOT NULL"
            " AND started >= ? ORDER BY score DESC LIMIT 1",
            (profile, assignment.target, since),
        ).fetchone()
        done = best is not None
        return AssignmentStatus(
            assignment, profile, done, not done and now > assignment.due,
            score=float(best[0]) if best else None, exam_total=float(best[1]) if best else None,
            passed=bool(best[2]) if best else None,
        )
    qids = [it.qid for it in library.select(topics=[assignment.target])]
    answered = 0
    if qids:
        marks = ",".join("?" * len(qids))
        answered = int(store.execute(
            f"SELECT count(DISTINCT qid) FROM reviews WHERE profile = ? AND ts >= ? AND qid IN ({marks})",
            (profile, since, *qids),
        ).fetchone()[0])
    done = bool(qids) and answered >= len(qids)
    return AssignmentStatus(assignment, profile, done, not done and now > assignment.due, answered, len(qids))


def learner_assignments(store: Store, library: Library, profile: str, now: datetime) -> list[AssignmentStatus]:
    """A learner's assignments for their home: not cancelled, earliest deadline first."""
    mine = _assignments(
        store,
        "WHERE a.cancelled IS NULL AND a.id IN (SELECT assignment_id FROM assignment_learners WHERE profile = ?)",
        (profile,),
    )
    return [status(store, library, a, profile, now) for a in mine]


# --------------------------------------------------------------------------- the team


@dataclass(frozen=True)
class ReadinessLine:
    exam_id: str
    title: str
    expected: float
    total: float
    likely_pass: bool


@dataclass(frozen=True)
class AttemptLine:
    attempt_id: int
    exam_id: str
    started: datetime
    submitted: datetime | None
    score: float | None
    total: float
    passed: bool | None


@dataclass
class LearnerRow:
    """One learner in the trainer's team table."""

    name: str
    role: str | None  # learner, trainer, or None for a profile without an account
    active: bool
    answers: int = 0
    accuracy: float | None = None
    seen: int = 0
    questions: int = 0
    due: int = 0
    mastery: float = 0.0
    last_active: datetime | None = None
    readiness: list[ReadinessLine] = field(default_factory=list)
    attempts: list[AttemptLine] = field(default_factory=list)
    open_disputes: int = 0
    assignments_open: int = 0
    assignments_overdue: int = 0

    @property
    def exams_taken(self) -> int:
        return sum(1 for a in self.attempts if a.submitted is not None)

    @property
    def exams_passed(self) -> int:
        return sum(1 for a in self.attempts if a.passed)


def team_names(store: Store) -> list[tuple[str, str | None, bool]]:
    """(name, role or None, active) of every account, and of every profile with answers but no account."""
    out: dict[str, tuple[str, str | None, bool]] = {}
    for name, role, disabled in store.execute("SELECT name, role, disabled FROM accounts ORDER BY name"):
        out[name] = (name, role, disabled is None)
    for (name,) in store.execute("SELECT DISTINCT profile FROM reviews ORDER BY profile"):
        out.setdefault(name, (name, None, True))
    return sorted(out.values(), key=lambda x: (not x[2], x[1] == "trainer", x[0]))


def learner_row(store: Store, library: Library, name: str, role: str | None, active: bool, now: datetime) -> LearnerRow:
    from quiz import stats
    from quiz.exam import ExamAttempt

    row = LearnerRow(name, role, active)
    agg = store.execute(
        "SELECT count(*), coalesce(sum(verdict = 'correct'), 0), max(ts) FROM reviews WHERE profile = ?", (name,)
    ).fetchone()
    row.answers = int(agg[0])
    row.accuracy = int(agg[1]) / row.answers if row.answers else None
    row.last_active = parse_ts(agg[2]) if agg[2] else None
    ov = stats.overview(store, library, name, now)
    row.seen, row.questions, row.due = ov.seen, ov.questions, ov.due
    weights = sum(t.questions for t in ov.topics)
    row.mastery = sum(t.mastery * t.questions for t in ov.topics) / weights if weights else 0.0
    for exam_id in library.exams:
        r = stats.exam_readiness(store, library, name, exam_id, now)
        row.readiness.append(ReadinessLine(exam_id, r.title, r.expected_score, r.total, r.likely_pass))
    for a in ExamAttempt.history(store, name):
        row.attempts.append(AttemptLine(a.attempt_id, a.exam_id, a.started, a.submitted, a.score, a.total,
                                        bool(a.passed) if a.passed is not None else None))
    row.open_disputes = int(store.execute(
        "SELECT count(*) FROM disputes WHERE profile = ? AND status = 'open'", (name,)
    ).fetchone()[0])
    for st in learner_assignments(store, library, name, now):
        row.assignments_open += not st.done
        row.assignments_overdue += st.overdue
    return row


def team(store: Store, library: Library, now: datetime) -> list[LearnerRow]:
    """Every learner's row (active accounts first, trainers after learners, removed accounts last)."""
    return [learner_row(store, library, name, role, active, now) for name, role, active in team_names(store)]
