"""Timed mock exams (模拟考试) drawn from blueprints.

An attempt (:class:`ExamAttempt`) draws each section's questions from the
section's pool with ``random.Random(seed)`` (the seed is stored, so the same
seed and banks give the same paper: :func:`draw`), never the same question twice
in one paper. The choices of 单选/多选 questions are shuffled; the permutation is
stored and the question is graded as shown (its answer key remapped), so the
learner's letters are the letters they saw. ``answer_original`` keeps the
answer in the bank's own letters for the trainer's item analysis.

The deadline is ``started + time_limit`` by the wall clock: a killed process
resumes with the time left. Every answer is saved when given (answering again
overwrites). Submitting, or any access after the deadline, scores the attempt:
per question the grader's score (多选 partial credit as the question's
``scoring`` says) times the section's points; per section and per topic; pass when
the score reaches ``pass_score``. Every question then counts as a review (mode
``exam``, FSRS-scheduled; never Easy): a question left blank counts as wrong,
and every question not answered correctly goes to the wrong-answer book.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from quiz.grading.result import GradeResult
from quiz.library import Item, Library
from quiz.model import AnyQuestion, Exam
from quiz.scheduler import Clock, SpacedScheduler, utc_now
from quiz.store import Store

Grader = Callable[[AnyQuestion, str], GradeResult]


@dataclass(frozen=True)
class DrawnQuestion:
    """One question of a paper, as drawn (before any answer)."""

    position: int  # 0-based, across sections
    section: int  # index of the blueprint's section
    qid: str
    points: float
    permutation: tuple[int, ...] | None  # shown choice i is the bank's choice permutation[i]; None if not shuffled


@dataclass(frozen=True)
class ExamQuestion:
    """A question of an attempt, as the UI shows it (choices already shuffled)."""

    position: int
    section: int
    section_title: str
    qid: str
    item: Item
    question: AnyQuestion  # with shuffled choices and remapped answer key
    points: float
    answer: str | None  # the learner's answer in the letters shown, None when blank
    flagged: bool

    @property
    def answered(self) -> bool:
        return self.answer is not None and self.answer.strip() != ""


@dataclass(frozen=True)
class QuestionResult:
    position: int
    section: int
    qid: str
    topic: str
    answer: str | None
    result: GradeResult
    points: float
    earned: float


@dataclass(frozen=True)
class SectionResult:
    title: str
    count: int
    points: float  # possible
    earned: float
    correct: int


@dataclass(frozen=True)
class TopicResult:
    topic: str
    count: int
    points: float
    earned: float
    correct: int


@dataclass(frozen=True)
class ExamResult:
    attempt_id: int
    exam_id: str
    title: str
    score: float
    total: float
    pass_score: float
    passed: bool
    started: datetime
    submitted: datetime
    auto_submitted: bool  # the deadline submitted it
    seconds_used: float
    sections: list[SectionResult]
    topics: list[TopicResult]
    questions: list[QuestionResult]


@dataclass(frozen=True)
class AttemptInfo:
    attempt_id: int
    exam_id: str
    started: datetime
    deadline: datetime
    submitted: datetime | None
    score: float | None
    total: float
    passed: bool | None


def draw(library: Library, exam: Exam, seed: int) -> list[DrawnQuestion]:
    """The paper for ``seed``: deterministic for the same banks and seed.

    Raises UserError when a section's pool (minus questions drawn by earlier
    sections) holds fewer questions than the section's count.
    """
    raise NotImplementedError


@dataclass
class ExamAttempt:
    """One attempt at an exam. Build with :meth:`start` or :meth:`resume`."""

    store: Store
    library: Library
    exam: Exam
    profile: str
    attempt_id: int
    seed: int
    started: datetime
    deadline: datetime
    questions: list[ExamQuestion]
    now: Clock = utc_now
    grader: Grader | None = None
    scheduler: SpacedScheduler | None = None
    submitted: datetime | None = None
    _result: ExamResult | None = field(default=None, repr=False)

    @classmethod
    def start(
        cls,
        store: Store,
        library: Library,
        profile: str,
        exam_id: str,
        *,
        seed: int | None = None,
        now: Clock = utc_now,
        grader: Grader | None = None,
        scheduler: SpacedScheduler | None = None,
    ) -> ExamAttempt:
        """Draw and store a new attempt. UserError for an unknown exam or a pool too small."""
        raise NotImplementedError

    @classmethod
    def resume(
        cls,
        store: Store,
        library: Library,
        attempt_id: int,
        *,
        now: Clock = utc_now,
        grader: Grader | None = None,
        scheduler: SpacedScheduler | None = None,
    ) -> ExamAttempt:
        """Reopen an attempt (auto-submitted at once if its deadline has passed)."""
        raise NotImplementedError

    @staticmethod
    def latest_unfinished(store: Store, profile: str, exam_id: str | None = None) -> AttemptInfo | None:
        raise NotImplementedError

    @staticmethod
    def history(store: Store, profile: str, exam_id: str | None = None) -> list[AttemptInfo]:
        """Attempts, newest first."""
        raise NotImplementedError

    # -- taking the exam --------------------------------------------------
    def time_left(self) -> timedelta:
        """Never negative."""
        raise NotImplementedError

    @property
    def expired(self) -> bool:
        raise NotImplementedError

    @property
    def is_submitted(self) -> bool:
        return self.submitted is not None

    def question(self, position: int) -> ExamQuestion:
        return self.questions[position]

    def answer(self, position: int, text: str) -> None:
        """Save (or overwrite) the answer at ``position``; ``""`` clears it.

        After the deadline the attempt is submitted instead and ``ExamOver`` raised.
        """
        raise NotImplementedError

    def flag(self, position: int, flagged: bool = True) -> None:
        """Mark a question on the answer sheet (答题卡) to come back to."""
        raise NotImplementedError

    def answered_count(self) -> int:
        return sum(1 for q in self.questions if q.answered)

    def check_deadline(self) -> ExamResult | None:
        """Submit if the deadline has passed; the result when submitted."""
        raise NotImplementedError

    def submit(self) -> ExamResult:
        """Score, store and schedule (idempotent: a second call returns the same result)."""
        raise NotImplementedError

    def result(self) -> ExamResult | None:
        """The result once submitted."""
        raise NotImplementedError


class ExamOver(Exception):
    """The attempt is submitted (by the learner or the deadline); ``result`` holds the score."""

    def __init__(self, result: ExamResult) -> None:
        super().__init__("the exam is over")
        self.result = result
