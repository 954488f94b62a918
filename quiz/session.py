"""Study sessions: UI-free objects that decide what a learner sees next.

Modes (``StudySession.start(..., mode=...)``):

* ``smart``      智能复习: due questions first (earliest due first), then new
  questions (bank order) up to what is left of today's daily limit of new questions.
  A question answered wrong comes back later in the same session while it is in
  a (re)learning step (at most 3 times).
* ``sequential`` 顺序练习: every question of the scope in bank order, starting after
  the last question answered in 顺序练习 over the same scope (wraps around).
* ``random``     随机练习: the scope shuffled (seed recorded, so a resumed session keeps its order).
* ``focus``      专项练习: one topic, bank or tag (filters required): due first, then
  questions answered wrong before, then new ones, then the rest weakest first; no daily limit.
* ``wrong``      错题本: the wrong-answer book, oldest first. A question leaves the book
  after ``Settings.wrong_book_streak`` (default 2) correct answers in a row.
* ``bookmarks``  收藏: bookmarked questions, oldest bookmark first.
* ``browse``     背题模式: answer and explanation shown; nothing graded, recorded or scheduled.

Filters (topics, banks, tags, types) narrow every mode. Every answer (all modes
but browse) is graded, recorded, scheduled with FSRS and fed to the wrong-answer
book, committed at once. A session is stored with its queue and position, so an
interrupted session resumes (:meth:`StudySession.latest_unfinished`,
:meth:`StudySession.resume`). Questions removed from the banks are dropped from
a resumed queue; nothing is ever scheduled for them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from quiz.grading.result import GradeResult
from quiz.library import Item, Library
from quiz.model import AnyQuestion
from quiz.scheduler import Clock, Rating, SpacedScheduler, StateName, utc_now
from quiz.store import Store

StudyMode = Literal["smart", "sequential", "random", "focus", "wrong", "bookmarks", "browse"]
MODES: tuple[StudyMode, ...] = ("smart", "sequential", "random", "focus", "wrong", "bookmarks", "browse")
MODE_LABELS: dict[str, tuple[str, str]] = {
    "smart": ("智能复习", "Smart review"),
    "sequential": ("顺序练习", "Sequential practice"),
    "random": ("随机练习", "Random practice"),
    "focus": ("专项练习", "Focused practice"),
    "wrong": ("错题本", "Wrong-answer book"),
    "bookmarks": ("收藏", "Bookmarks"),
    "browse": ("背题模式", "Browse answers"),
}

Grader = Callable[[AnyQuestion, str], GradeResult]


def default_grader() -> Grader:
    """``quiz.grading.grade``, imported when first needed."""
    from quiz.grading import grade  # type: ignore[attr-defined,unused-ignore]

    g: Grader = grade
    return g


@dataclass(frozen=True)
class Filters:
    """What a session is limited to; an empty filter passes everything."""

    topics: tuple[str, ...] = ()
    banks: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    types: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.topics or self.banks or self.tags or self.types)

    def scope(self) -> str:
        """A stable key for the scope (used for 顺序练习 positions)."""
        raise NotImplementedError

    def to_dict(self) -> dict[str, list[str]]:
        return {"topics": list(self.topics), "banks": list(self.banks), "tags": list(self.tags), "types": list(self.types)}

    @classmethod
    def from_dict(cls, d: dict[str, list[str]]) -> Filters:
        return cls(
            topics=tuple(d.get("topics", ())),
            banks=tuple(d.get("banks", ())),
            tags=tuple(d.get("tags", ())),
            types=tuple(d.get("types", ())),
        )

    def select(self, library: Library) -> list[Item]:
        return library.select(types=self.types, topics=self.topics, tags=self.tags, banks=self.banks)


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
    grader: Grader
    now: Clock = utc_now
    seed: int | None = None
    started: datetime | None = None
    _last: AnswerOutcome | None = field(default=None, repr=False)
    _skipped: int = field(default=0, repr=False)

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
    ) -> StudySession:
        """A new session (earlier unfinished sessions of the same mode are closed).

        ``limit`` caps the number of questions; ``scheduler`` defaults to one with
        the learner's desired retention; ``grader`` defaults to ``quiz.grading.grade``.
        Raises UserError for an unknown mode or focus mode without a filter.
        """
        raise NotImplementedError

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
    ) -> StudySession:
        raise NotImplementedError

    @staticmethod
    def latest_unfinished(store: Store, profile: str, mode: StudyMode | None = None) -> SessionInfo | None:
        raise NotImplementedError

    # -- the loop ---------------------------------------------------------
    def current(self) -> StudyItem | None:
        """The question to show, or None when the session is over."""
        raise NotImplementedError

    def answer(self, text: str, seconds: float | None = None) -> AnswerOutcome:
        """Grade, record, schedule; then move to the next question.

        In browse mode the answer is graded for display only (nothing stored).
        Raises ValueError when the session is over.
        """
        raise NotImplementedError

    def override_rating(self, rating: Rating) -> AnswerOutcome:
        """Replace the rating of the last answer (re-schedules from the card as it was before)."""
        raise NotImplementedError

    def skip(self) -> None:
        """Move on without answering (in browse mode: the next question)."""
        raise NotImplementedError

    next = skip

    def back(self) -> None:
        """Go back one question (browse, sequential and random modes)."""
        raise NotImplementedError

    def toggle_bookmark(self) -> bool:
        """Bookmark or un-bookmark the current question; returns whether it is bookmarked."""
        raise NotImplementedError

    def dispute_last(self, note: str = "") -> int:
        """"我答对了": the learner says the last grading was wrong. Returns the dispute id."""
        raise NotImplementedError

    def progress(self) -> tuple[int, int]:
        """(questions done, questions in the session)."""
        raise NotImplementedError

    @property
    def finished(self) -> bool:
        return self.position >= len(self.queue)

    def finish(self) -> SessionSummary:
        """Close the session (it is no longer offered for resuming)."""
        raise NotImplementedError

    def summary(self) -> SessionSummary:
        raise NotImplementedError
