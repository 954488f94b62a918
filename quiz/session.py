"""Study sessions: UI-free objects that decide what a learner sees next.

Modes (``StudySession.start(..., mode=...)``):

* ``smart``      智能复习: due questions first (earliest due first), then new
  questions up to what is left of today's daily limit of new questions, interleaved
  across banks and topics (one from each bank in turn, and within a bank one from each
  topic in turn; bank order inside a topic). Siblings (questions on one fact:
  :meth:`Library.family`) are never back to back, and once one is answered the others
  are buried for the day (dropped from the session and left out of today's queues).
  A question answered wrong comes back later in the same session while it is in
  a (re)learning step (at most 3 times).
* ``sequential`` 顺序练习: every question of the scope in bank order, starting after
  the last question answered or skipped in 顺序练习 over the same scope (wraps around).
* ``random``     随机练习: the scope shuffled (seed recorded, so a resumed session keeps its order),
  siblings never back to back.
* ``focus``      专项练习: one topic, bank or tag (filters required): due first, then
  questions answered wrong before, then new ones, then the rest weakest first; no daily limit.
* ``wrong``      错题本: the wrong-answer book, oldest first. A question leaves the book
  after ``Settings.wrong_book_streak`` (default 2) correct answers in a row.
* ``bookmarks``  收藏: bookmarked questions, oldest bookmark first.
* ``browse``     背题模式: answer and explanation shown; nothing graded, recorded or scheduled.
* ``retry``      错题重练: exactly the questions named by ``Filters.qids`` (an exam's missed
  questions), in that order, each once; graded, recorded and scheduled like any practice.

背题模式 can also be switched on inside any session (:meth:`StudySession.set_memorize`):
the session shows answers from the current question on, nothing is recorded and the
stored position does not move; switching it off returns to the question where it was
switched on. A 背题 session is never offered as "继续上次".

Filters (topics, banks, tags, types) narrow every mode. Every answer (all modes
but browse) is graded, recorded, scheduled with FSRS and fed to the wrong-answer
book, committed at once. A session is stored with its queue and position, and the
text typed for the current question (:meth:`StudySession.save_draft`), so an
interrupted session resumes with the draft in the box (:meth:`StudySession.latest_unfinished`,
:meth:`StudySession.resume`). Questions removed from the banks are dropped from
a resumed queue; nothing is ever scheduled for them.

A study day starts at ``Settings.day_start_hour`` (default 4:00, as Anki) in the
machine's time zone (:func:`start_of_day`); "today's new questions" and burying
count from there.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta, tzinfo
from typing import TYPE_CHECKING, Literal

from quiz.errors import UserError
from quiz.grading.result import GradeResult
from quiz.library import Item, Library, fingerprint
from quiz.scheduler import (
    Card,
    Clock,
    Rating,
    SpacedScheduler,
    State,
    StateName,
    rating_for,
    state_name,
    to_utc,
    utc_now,
)
from quiz.store import Settings, Store, WrongEntry, dumps, iso, parse_ts

if TYPE_CHECKING:
    from quiz.model import AnyQuestion

StudyMode = Literal["smart", "sequential", "random", "focus", "wrong", "bookmarks", "browse", "retry"]
MODES: tuple[StudyMode, ...] = ("smart", "sequential", "random", "focus", "wrong", "bookmarks", "browse", "retry")
MODE_LABELS: dict[str, tuple[str, str]] = {
    "smart": ("智能复习", "Smart review"),
    "sequential": ("顺序练习", "Sequential practice"),
    "random": ("随机练习", "Random practice"),
    "focus": ("专项练习", "Focused practice"),
    "wrong": ("错题本", "Wrong-answer book"),
    "bookmarks": ("收藏", "Bookmarks"),
    "browse": ("背题模式", "Browse answers"),
    "retry": ("错题重练", "Retry the missed questions"),
}

Grader = Callable[["AnyQuestion", str], GradeResult]


def default_grader() -> Grader:
    """``quiz.grading.grade``, imported when first needed."""
    from quiz.grading import grade

    g: Grader = grade
    return g


@dataclass(frozen=True)
class Filters:
    """What a session is limited to; an empty filter passes everything."""

    topics: tuple[str, ...] = ()
    banks: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    qids: tuple[str, ...] = ()  # exactly these questions (错题重练), in this order

    @property
    def empty(self) -> bool:
        return not (self.topics or self.banks or self.tags or self.types or self.qids)

    def scope(self) -> str:
        """A stable key for the scope (used for 顺序练习 positions)."""
        if self.empty:
            return "all"
        return json.dumps({k: sorted(v) for k, v in self.to_dict().items() if v}, ensure_ascii=False, sort_keys=True)

    def to_dict(self) -> dict[str, list[str]]:
        out = {
            "topics": list(self.topics),
            "banks": list(self.banks),
            "tags": list(self.tags),
            "types": list(self.types),
        }
        if self.qids:
            out["qids"] = list(self.qids)
        return out

    @classmethod
    def from_dict(cls, d: dict[str, list[str]]) -> Filters:
        return cls(
            topics=tuple(d.get("topics", ())),
            banks=tuple(d.get("banks", ())),
            tags=tuple(d.get("tags", ())),
            types=tuple(d.get("types", ())),
            qids=tuple(d.get("qids", ())),
        )

    def select(self, library: Library) -> list[Item]:
        items = library.select(types=self.types, topics=self.topics, tags=self.tags, banks=self.banks)
        if self.qids:
            passing = {it.qid: it for it in items}
            return [passing[q] for q in dict.fromkeys(self.qids) if q in passing]
        return items


@dataclass(frozen=True)
class StudyItem:
    """The question in front of the learner, with what the UI shows around it."""

    qid: str
    item: Item
    index: int  # 0-based position in the session
    total: int
    state: StateName  # new / learning / review / relearning
    show_answer: bool  # True in 背题模式: show expected answer and explanation at once
    bookmarked: bool
    in_wrong_book: bool
    flagged_changed: bool  # the question changed in its bank since last answered
    due: datetime | None
    fails: int = 0  # failed answers so far
    leech: bool = False  # failed at least the learner's leech threshold (顽固题)

    @property
    def question(self) -> AnyQuestion:
        return self.item.question


@dataclass(frozen=True)
class AnswerOutcome:
    """What answering did: the grade, the rating used, when the question comes back."""

    qid: str
    result: GradeResult
    rating: Rating | None  # None in browse mode (never scheduled)
    auto_rating: Rating | None  # what the verdict->rating rule chose
    next_due: datetime | None
    review_id: int | None
    in_wrong_book: bool
    added_to_wrong_book: bool
    left_wrong_book: bool
    wrong_streak: int  # correct answers in a row while in the wrong-answer book


@dataclass(frozen=True)
class SessionSummary:
    session_id: int
    mode: str
    answered: int
    correct: int
    partial: int
    wrong: int
    skipped: int
    total: int
    seconds: float
    new_seen: int
    started: datetime
    finished: datetime | None

    @property
    def accuracy(self) -> float | None:
        return self.correct / self.answered if self.answered else None


@dataclass(frozen=True)
class SessionInfo:
    """An unfinished session, as offered for resuming."""

    session_id: int
    profile: str
    mode: str
    filters: Filters
    position: int
    total: int
    started: datetime
    updated: datetime


@dataclass
class StudySession:
    """One study session. Build with :meth:`start` or :meth:`resume`."""

    store: Store
    library: Library
    profile: str
    mode: StudyMode
    filters: Filters
    session_id: int
    queue: list[str]
    position: int
    scheduler: SpacedScheduler
    grader: Grader | None = None
    now: Clock = utc_now
    seed: int | None = None
    started: datetime | None = None
    settings: Settings = field(default_factory=Settings)
    tz: tzinfo | None = None  # the learner's time zone for study days (None: the machine's)
    memorize: bool = False  # 背题模式 switched on inside the session (see set_memorize)
    _peek: int = field(default=0, repr=False)  # where 背题模式 is, while the stored position stays put
    _last: AnswerOutcome | None = field(default=None, repr=False)
    _last_wrong_before: WrongEntry | None = field(default=None, repr=False)
    _last_prev: Card | None = field(default=None, repr=False)
    _last_text: str = field(default="", repr=False)
    _last_time: datetime | None = field(default=None, repr=False)
    _last_seconds: float | None = field(default=None, repr=False)
    _fingerprints: dict[str, str] = field(default_factory=dict, repr=False)

    @classmethod
    def start(
        cls,
        store: Store,
        library: Library,
        profile: str,
        mode: StudyMode,
        filters: Filters | None = None,
        *,
        now: Clock = utc_now,
        grader: Grader | None = None,
        scheduler: SpacedScheduler | None = None,
        seed: int | None = None,
        limit: int | None = None,
        tz: tzinfo | None = None,
    ) -> StudySession:
        """A new session (earlier unfinished sessions of the same mode are closed).

        ``limit`` caps the number of questions; ``scheduler`` defaults to one with
        the learner's desired retention; ``grader`` defaults to ``quiz.grading.grade``.
        Raises UserError for an unknown mode or focus mode without a filter.
        """
        if mode not in MODES:
            raise UserError(f"unknown study mode {mode!r} (use one of {', '.join(MODES)})")
        filters = filters or Filters()
        if mode == "focus" and filters.empty:
            raise UserError("专项练习 needs a topic, bank or tag")
        if mode == "retry" and not filters.qids:
            raise UserError("错题重练 needs the questions to retry")
        t = to_utc(now())
        store.ensure_profile(profile, t)
        settings = store.get_settings(profile)
        if mode == "random" and seed is None:
            seed = random.SystemRandom().randrange(2**31)
        queue = build_queue(store, library, profile, mode, filters, t, settings=settings, seed=seed, tz=tz)
        if limit is not None:
            queue = queue[: max(0, limit)]
        ts = iso(t)
        with store.transaction() as c:
            c.execute(
                "UPDATE sessions SET finished = ? WHERE profile = ? AND mode = ? AND finished IS NULL",
                (ts, profile, mode),
            )
            cur = c.execute(
                "INSERT INTO sessions (profile, mode, filters, queue, position, seed, started, updated)"
                " VALUES (?, ?, ?, ?, 0, ?, ?, ?)",
                (profile, mode, dumps(filters.to_dict()), dumps(queue), seed, ts, ts),
            )
            sid = int(cur.lastrowid or 0)
        return cls(
            store=store,
            library=library,
            profile=profile,
            mode=mode,
            filters=filters,
            session_id=sid,
            queue=queue,
            position=0,
            scheduler=scheduler or SpacedScheduler(desired_retention=settings.desired_retention),
            grader=grader,
            now=now,
            seed=seed,
            started=t,
            settings=settings,
            tz=tz,
        )

    @classmethod
    def resume(
        cls,
        store: Store,
        library: Library,
        session_id: int,
        *,
        now: Clock = utc_now,
        grader: Grader | None = None,
        scheduler: SpacedScheduler | None = None,
        tz: tzinfo | None = None,
    ) -> StudySession:
        r = store.execute(
            "SELECT profile, mode, filters, queue, position, seed, started FROM sessions WHERE id = ?", (session_id,)
        ).fetchone()
        if r is None:
            raise UserError(f"no study session {session_id}")
        profile, mode, filters, queue, position, seed, started = r
        settings = store.get_settings(profile)
        return cls(
            store=store,
            library=library,
            profile=profile,
            mode=mode,
            filters=Filters.from_dict(json.loads(filters)),
            session_id=session_id,
            queue=list(json.loads(queue)),
            position=int(position),
            scheduler=scheduler or SpacedScheduler(desired_retention=settings.desired_retention),
            grader=grader,
            now=now,
            seed=seed,
            started=parse_ts(started),
            settings=settings,
            tz=tz,
        )

    @staticmethod
    def latest_unfinished(store: Store, profile: str, mode: StudyMode | None = None) -> SessionInfo | None:
        """The session to offer as "继续上次": the latest unfinished one (of ``mode`` when given;
        never a 背题模式 session unless ``mode`` asks for one: nothing in it is to be continued)."""
        sql = "SELECT id, mode, filters, queue, position, started, updated FROM sessions WHERE profile = ? AND finished IS NULL"
        params: list[str] = [profile]
        if mode is not None:
            sql += " AND mode = ?"
            params.append(mode)
        else:
            sql += " AND mode != 'browse'"
        for r in store.execute(sql + " ORDER BY updated DESC, id DESC", params):
            total = len(json.loads(r[3]))
            if r[4] < total:
                return SessionInfo(
                    session_id=r[0],
                    profile=profile,
                    mode=r[1],
                    filters=Filters.from_dict(json.loads(r[2])),
                    position=r[4],
                    total=total,
                    started=parse_ts(r[5]),
                    updated=parse_ts(r[6]),
                )
        return None

    # -- the loop ---------------------------------------------------------
    def _fingerprint(self, item: Item) -> str:
        fp = self._fingerprints.get(item.qid)
        if fp is None:
            fp = self._fingerprints[item.qid] = fingerprint(item.question)
        return fp

    def current(self) -> StudyItem | None:
        """The question to show, or None when the session is over."""
        while self._at < len(self.queue):
            qid = self.queue[self._at]
            item = self.library.get(qid)
            if item is not None:
                break
            self._at += 1  # removed from the banks: never shown, history kept
        else:
            return None
        row = self.store.get_card(self.profile, qid)
        flagged = False
        if row is not None:
            flagged = row.flagged_changed
            if not flagged and row.fingerprint is not None and row.fingerprint != self._fingerprint(item):
                self.store.flag_changed(self.profile, {qid: self._fingerprint(item)})
                flagged = True
        return StudyItem(
            qid=qid,
            item=item,
            index=self._at,
            total=len(self.queue),
            state=state_name(row.card if row else None),
            show_answer=self.mode == "browse" or self.memorize,
            bookmarked=self.store.is_bookmarked(self.profile, qid),
            in_wrong_book=self.store.in_wrong_book(self.profile, qid),
            flagged_changed=flagged,
            due=row.due if row else None,
            fails=row.fails if row else 0,
            leech=row is not None and row.fails >= self.settings.leech_threshold,
        )

    def _grade(self, question: AnyQuestion, text: str) -> GradeResult:
        if self.grader is None:
            self.grader = default_grader()
        return self.grader(question, text)

    def answer(self, text: str, seconds: float | None = None) -> AnswerOutcome:
        """Grade, record, schedule; then move to the next question.

        In browse mode the answer is graded for display only (nothing stored).
        Raises ValueError when the session is over.
        """
        if self.memorize:
            raise ValueError("背题模式 is on: nothing is answered")
        it = self.current()
        if it is None:
            raise ValueError("the session is over")
        t = to_utc(self.now())
        result = self._grade(it.question, text)
        if self.mode == "browse":
            self._advance(t)
            out = AnswerOutcome(it.qid, result, None, None, None, None, it.in_wrong_book, False, False, 0)
            self._last = None
            return out
        prev = self.store.get_card(self.profile, it.qid)
        prev_card = prev.card if prev else None
        auto = rating_for(
            result.verdict, qtype=it.item.type, seconds=seconds, state=prev_card.state if prev_card else None,
            unsure=bool(result.details.get("unsure")),
        )
        card = self.scheduler.review(prev_card, auto, t, seconds)
        new_queue: str | None = None
        queue = list(self.queue)  # the session's own queue changes only once this answer is recorded (a retry)
        if self.mode == "smart":
            # the siblings still ahead are buried for the day: the feedback just gave their answer away
            family = self.library.family(it.qid)
            if family is not None:
                rest = queue[self.position + 1 :]
                kept = [q for q in rest if q == it.qid or self.library.family(q) != family]
                if len(kept) != len(rest):
                    queue[self.position + 1 :] = kept
                    new_queue = dumps(queue)
            if not result.correct and card.due <= t + RELEARN_WITHIN and queue.count(it.qid) <= MAX_REQUEUE:
                queue.append(it.qid)
                new_queue = dumps(queue)
        rec = self.store.record_answer(
            profile=self.profile,
            qid=it.qid,
            mode=self.mode,
            answer=text,
            verdict=result.verdict,
            score=result.score,
            now=t,
            seconds=seconds,
            card=card,
            rating=auto,
            auto_rating=auto,
            fingerprint=self._fingerprint(it.item),
            session_id=self.session_id,
            session_position=self.position + 1,
            session_queue=new_queue,
            wrong_book_streak=self.settings.wrong_book_streak,
            position_scope=self.filters.scope() if self.mode == "sequential" else None,
        )
        self.queue[:] = queue
        self.position += 1
        out = AnswerOutcome(
            qid=it.qid,
            result=result,
            rating=auto,
            auto_rating=auto,
            next_due=card.due,
            review_id=rec.review_id,
            in_wrong_book=rec.in_wrong_book,
            added_to_wrong_book=rec.added_to_wrong_book,
            left_wrong_book=rec.left_wrong_book,
            wrong_streak=rec.wrong_streak,
        )
        self._last, self._last_prev, self._last_text, self._last_time, self._last_seconds = (
            out,
            prev_card,
            text,
            t,
            seconds,
        )
        self._last_wrong_before = rec.wrong_before
        return out

    @property
    def last(self) -> AnswerOutcome | None:
        """The outcome of the last answer (None before any, and in browse mode)."""
        return self._last

    def override_rating(self, rating: Rating) -> AnswerOutcome:
        """Replace the rating of the last answer (re-schedules from the card as it was before)."""
        last = self._last
        if last is None or last.review_id is None or self._last_time is None:
            raise ValueError("no answer to re-rate")
        rating = Rating(rating)
        card = self.scheduler.review(self._last_prev, rating, self._last_time, self._last_seconds)
        rec = self.store.update_rating(
            last.review_id,
            card,
            rating,
            self._last_time,
            previous=self._last_prev,
            wrong_before=self._last_wrong_before,
            wrong_book_streak=self.settings.wrong_book_streak,
        )
        self._last = replace(
            last,
            rating=rating,
            next_due=card.due,
            in_wrong_book=rec.in_wrong_book,
            added_to_wrong_book=rec.added_to_wrong_book,
            left_wrong_book=rec.left_wrong_book,
            wrong_streak=rec.wrong_streak,
        )
        return self._last

    def _advance(self, t: datetime, step: int = 1) -> None:
        left = self.queue[self.position] if step > 0 and self.position < len(self.queue) else None
        position = max(0, min(len(self.queue), self.position + step))
        with self.store.transaction() as c:
            c.execute(
                "UPDATE sessions SET position = ?, updated = ? WHERE id = ?", (position, iso(t), self.session_id)
            )
            if left is not None and self.mode == "sequential":  # 顺序练习 resumes after a skipped question too
                c.execute(
                    "INSERT OR REPLACE INTO positions (profile, scope, qid, updated) VALUES (?, ?, ?, ?)",
                    (self.profile, self.filters.scope(), left, iso(t)),
                )
        self.position = position  # moved only once stored: a failed write leaves the session where it was

    @property
    def _at(self) -> int:
        """The index of the question in front of the learner (背题模式 moves its own cursor)."""
        return self._peek if self.memorize else self.position

    @_at.setter
    def _at(self, value: int) -> None:
        if self.memorize:
            self._peek = value
        else:
            self.position = value

    def skip(self) -> None:
        """Move on without answering (in browse mode: the next question)."""
        if self.memorize:
            self._peek = min(len(self.queue), self._peek + 1)
        elif self.position < len(self.queue):
            self._advance(to_utc(self.now()))

    next = skip

    def back(self) -> None:
        """Go back one question (browse, sequential and random modes)."""
        if self.memorize:
            self._peek = max(0, self._peek - 1)
        elif self.position > 0:
            self._advance(to_utc(self.now()), -1)

    def set_memorize(self, on: bool) -> None:
        """Switch 背题模式 inside the session.

        On: answers are shown from the current question on; nothing is recorded and the
        stored position does not move (a resumed session starts where answering stopped).
        Off: back to the question where it was switched on. A 背题 session (mode ``browse``)
        switched off becomes a 顺序练习 session over the same questions from the current one.
        """
        if self.mode == "browse":
            if on:
                return
            with self.store.transaction() as c:
                c.execute(
                    "UPDATE sessions SET mode = 'sequential', updated = ? WHERE id = ?",
                    (iso(to_utc(self.now())), self.session_id),
                )
            self.mode = "sequential"  # once stored: a failed write leaves the session as it was
            return
        if on and not self.memorize:
            self._peek = self.position
        self.memorize = on

    @property
    def memorizing(self) -> bool:
        """Answers are shown, nothing is graded (a 背题 session, or 背题模式 switched on)."""
        return self.memorize or self.mode == "browse"

    # -- drafts ------------------------------------------------------------
    def save_draft(self, text: str) -> None:
        """Keep the text typed for the current question (not submitted yet) with the session,
        so that a resumed session puts it back in the box."""
        it = None if self.memorizing else self.current()
        if it is None:
            return
        with self.store.transaction() as c:
            c.execute(
                "UPDATE sessions SET draft_qid = ?, draft = ? WHERE id = ?",
                (it.qid if text else None, text or None, self.session_id),
            )

    def draft(self) -> str | None:
        """The text saved for the current question, if any."""
        it = self.current()
        if it is None:
            return None
        r = self.store.execute("SELECT draft_qid, draft FROM sessions WHERE id = ?", (self.session_id,)).fetchone()
        return str(r[1]) if r is not None and r[0] == it.qid and r[1] else None

    def toggle_bookmark(self) -> bool:
        """Bookmark or un-bookmark the current question; returns whether it is bookmarked."""
        it = self.current()
        if it is None:
            raise ValueError("the session is over")
        return self.store.toggle_bookmark(self.profile, it.qid, to_utc(self.now()))

    def dispute_last(self, note: str = "") -> int:
        """ "我答对了": the learner says the last grading was wrong. Returns the dispute id."""
        last = self._last
        if last is None:
            raise ValueError("no answer to dispute")
        return self.store.add_dispute(
            self.profile,
            last.qid,
            self._last_text,
            last.result.verdict,
            score=last.result.score,
            note=note,
            review_id=last.review_id,
            now=to_utc(self.now()),
        )

    def progress(self) -> tuple[int, int]:
        """(questions done, questions in the session): done is the index of the question in
        front of the learner, so the question shown is number ``done + 1`` of ``total``."""
        return (min(self._at, len(self.queue)), len(self.queue))

    @property
    def finished(self) -> bool:
        return self._at >= len(self.queue)

    def finish(self) -> SessionSummary:
        """Close the session (it is no longer offered for resuming)."""
        t = iso(to_utc(self.now()))
        with self.store.transaction() as c:
            c.execute(
                "UPDATE sessions SET finished = coalesce(finished, ?), updated = ? WHERE id = ?",
                (t, t, self.session_id),
            )
        return self.summary()

    def summary(self) -> SessionSummary:
        r = self.store.execute(
            "SELECT count(*), coalesce(sum(verdict = 'correct'), 0), coalesce(sum(verdict = 'partial'), 0),"
            " coalesce(sum(verdict = 'wrong'), 0), coalesce(sum(seconds), 0),"
            " coalesce(sum(NOT EXISTS (SELECT 1 FROM reviews r2 WHERE r2.profile = r.profile AND r2.qid = r.qid"
            " AND r2.id < r.id)), 0)"
            " FROM reviews r WHERE session_id = ?",
            (self.session_id,),
        ).fetchone()
        s = self.store.execute("SELECT started, finished FROM sessions WHERE id = ?", (self.session_id,)).fetchone()
        answered = int(r[0])
        return SessionSummary(
            session_id=self.session_id,
            mode=self.mode,
            answered=answered,
            correct=int(r[1]),
            partial=int(r[2]),
            wrong=int(r[3]),
            skipped=max(0, min(self.position, len(self.queue)) - answered) if self.mode != "browse" else 0,
            total=len(self.queue),
            seconds=float(r[4]),
            new_seen=int(r[5]),
            started=parse_ts(s[0]),
            finished=parse_ts(s[1]) if s[1] else None,
        )


RELEARN_WITHIN = timedelta(hours=1)
"""In 智能复习 a question answered wrong comes back in the same session when due within this."""
MAX_REQUEUE = 3


def study_day(t: datetime, tz: tzinfo | None = None, hour: int = 0) -> date:
    """The study day ``t`` falls in: the local calendar date in ``tz`` (default: the machine's
    time zone) of ``t`` minus ``hour`` hours, a day starting at ``hour``:00."""
    local = t.astimezone(tz) if tz is not None else t.astimezone()
    return (local - timedelta(hours=hour)).date()


def day_start(day: date, tz: tzinfo | None = None, hour: int = 0) -> datetime:
    """When the study ``day`` starts (``hour``:00 local time in ``tz``), in UTC."""
    naive = datetime.combine(day, time(hour))
    # a naive time's .astimezone() reads it as the machine's local time, with that day's DST
    return to_utc(naive.replace(tzinfo=tz) if tz is not None else naive.astimezone())


def start_of_day(t: datetime, tz: tzinfo | None = None, hour: int = 0) -> datetime:
    """When the study day containing ``t`` started (``hour``:00 local time in ``tz``), in UTC."""
    return day_start(study_day(t, tz, hour), tz, hour)


def spread(groups: Sequence[Sequence[str]]) -> list[str]:
    """Interleave groups evenly: each group's items keep their order and are spread over the
    whole sequence in proportion to the group's size (ties in group order)."""
    keyed = [((k + 0.5) / len(g), gi, q) for gi, g in enumerate(groups) for k, q in enumerate(g)]
    return [q for _, _, q in sorted(keyed, key=lambda x: (x[0], x[1]))]


def interleave(items: Iterable[Item]) -> list[str]:
    """New questions in study order: banks spread over each other, and inside a bank its topics
    spread over each other (:func:`spread`); bank order inside a topic."""
    banks: dict[str, dict[str, list[str]]] = {}
    for it in items:
        banks.setdefault(it.bank, {}).setdefault(it.topic, []).append(it.qid)
    return spread([spread(list(topics.values())) for topics in banks.values()])


def space_siblings(queue: list[str], family: Callable[[str], str | None]) -> list[str]:
    """The queue with no two siblings back to back where another order allows it (the
    later sibling swaps with the next question of another family)."""
    out = list(queue)
    for i in range(1, len(out)):
        f = family(out[i])
        if f is None or f != family(out[i - 1]):
            continue
        for j in range(i + 1, len(out)):
            if family(out[j]) != f:
                out.insert(i, out.pop(j))
                break
    return out


def build_queue(
    store: Store,
    library: Library,
    profile: str,
    mode: StudyMode,
    filters: Filters,
    now: datetime,
    *,
    settings: Settings | None = None,
    seed: int | None = None,
    tz: tzinfo | None = None,
) -> list[str]:
    """The questions of a new session, in order (see the module docstring for each mode)."""
    settings = settings or store.get_settings(profile)
    items = filters.select(library)
    pool = [it.qid for it in items]
    in_pool = set(pool) if not filters.empty else None

    def keep(qids: Iterable[str]) -> list[str]:
        return [q for q in qids if (q in in_pool if in_pool is not None else q in library)]

    if mode == "smart":
        today = start_of_day(now, tz, settings.day_start_hour)
        answered = store.answered_since(profile, today)
        taken = {f for q in answered if (f := library.family(q)) is not None}  # buried for the day

        def fresh(q: str) -> bool:
            """Not a sibling of a question already answered today or already in the queue."""
            f = library.family(q)
            if f is None or q in answered:
                return True
            if f in taken:
                return False
            taken.add(f)
            return True

        due = [q for q in keep(store.due_qids(profile, now)) if fresh(q)]
        allowance = max(0, settings.daily_new_limit - store.new_seen_since(profile, today))
        new: list[str] = []
        if allowance:
            seen = store.seen_qids(profile)
            for q in interleave(it for it in items if it.qid not in seen):
                if fresh(q):
                    new.append(q)
                    if len(new) >= allowance:
                        break
        return due + new
    if mode in ("sequential", "browse"):
        if mode == "sequential":
            last = store.get_position(profile, filters.scope())
            if last is not None and last in pool:
                i = pool.index(last) + 1
                pool = pool[i:] + pool[:i]
        return pool
    if mode == "random":
        rng = random.Random(seed)
        rng.shuffle(pool)
        return space_siblings(pool, library.family)
    if mode == "wrong":
        return keep(e.qid for e in store.wrong_book(profile))
    if mode == "bookmarks":
        return keep(store.bookmarks(profile))
    if mode == "retry":
        return pool  # the named questions in the order named (Filters.select keeps it)
    # focus: due, then in the wrong-answer book, then new, then the rest weakest first
    rows = {r.qid: r for r in store.card_summaries(profile)}
    due_set = {q for q, r in rows.items() if r.due <= now}
    due_q = sorted((q for q in pool if q in due_set), key=lambda q: rows[q].due)
    wrong = {e.qid for e in store.wrong_book(profile)}
    wrong_q = [q for q in pool if q in wrong and q not in due_set]
    new_q = [q for q in pool if q not in rows]
    placed = set(due_q) | set(wrong_q) | set(new_q)
    sched = SpacedScheduler(desired_retention=settings.desired_retention, enable_fuzzing=False)

    def weakness(q: str) -> float:
        r = rows[q]
        card = Card(card_id=1, state=State(r.state), stability=r.stability, last_review=r.last_review, due=r.due)
        return sched.retrievability(card, now)

    rest = sorted((q for q in pool if q not in placed), key=weakness)
    return space_siblings(due_q + wrong_q + new_q + rest, library.family)


def check_changed_questions(store: Store, library: Library, profile: str) -> list[str]:
    """Flag the learner's cards whose question changed in its bank; the qids flagged (in the banks).

    The learner then keeps the progress (:meth:`Store.accept_change`) or resets the
    question (:meth:`Store.reset_card`). Questions removed from the banks are left alone.
    """
    seen = store.seen_qids(profile)
    fps = {q: fingerprint(library.item(q).question) for q in seen if q in library}
    return [q for q in store.flag_changed(profile, fps) if q in library]
