"""What a learner's progress means: the numbers behind the stats screen and ``quiz stats``.

Definitions (every function takes ``now``; days are calendar days in ``tz``,
default the machine's local time zone):

* **seen**: questions answered at least once (outside 背题模式).
* **accuracy** of a topic: share of ``correct`` verdicts among all its reviews
  (partial counts as not correct); ``None`` with no review.
* **mastery** of a topic: mean FSRS retrievability *now* over all its questions
  in the banks, a question never answered counting 0. It reads "how much of this
  topic you would get right today".
* **mastered**: questions in the Review state with stability of at least
  :data:`MASTERED_STABILITY_DAYS` (21 days, Anki's "mature").
* **true retention**: share of correct answers among reviews of cards that were
  in the Review state when answered (Anki's definition); ``None`` without any.
* **streak**: consecutive days with at least one review, ending today (or
  yesterday, when today has none yet).
* **due forecast**: per day for the next 30 days, how many cards fall due that
  day (cards already overdue count on day 0), questions no longer in the banks excluded.
* **exam readiness**: expected score on a blueprint = sum over sections of
  ``points x count x mean retrievability of the section's pool``, where a
  question never answered counts 0 (nothing is assumed known).
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from typing import Any

from quiz.context import Context
from quiz.library import Library
from quiz.store import Store

MASTERED_STABILITY_DAYS = 21.0


@dataclass(frozen=True)
class TopicStats:
    topic: str
    questions: int
    seen: int
    reviews: int
    correct: int
    accuracy: float | None
    mastery: float  # 0..1
    mastered: int
    due: int


@dataclass(frozen=True)
class SectionReadiness:
    title: str
    count: int
    points: float
    pool: int
    seen: int
    mean_retrievability: float
    expected: float


@dataclass(frozen=True)
class Readiness:
    exam_id: str
    title: str
    expected_score: float
    total: float
    pass_score: float
    likely_pass: bool
    sections: list[SectionReadiness]


@dataclass(frozen=True)
class ExamHistoryEntry:
    attempt_id: int
    exam_id: str
    started: datetime
    submitted: datetime
    score: float
    total: float
    passed: bool


@dataclass(frozen=True)
class Overview:
    """Everything ``quiz stats`` reports (``to_json`` gives the cli.md keys)."""

    profile: str
    questions: int
    seen: int
    due: int
    new_today: int
    new_left_today: int
    reviews: int
    reviews_today: int
    wrong_book: int
    bookmarks: int
    exams: int
    changed: int
    mastered: int
    true_retention: float | None
    streak: int
    topics: list[TopicStats]
    states: dict[str, int] = field(default_factory=dict)  # new/learning/review/relearning counts

    def to_json(self) -> dict[str, Any]:
        raise NotImplementedError


def overview(store: Store, library: Library, profile: str, now: datetime, tz: tzinfo | None = None) -> Overview:
    raise NotImplementedError


def topic_stats(store: Store, library: Library, profile: str, now: datetime) -> list[TopicStats]:
    """Per topic in bank order (questions without a topic under ``""``)."""
    raise NotImplementedError


def reviews_per_day(
    store: Store, profile: str, now: datetime, days: int = 365, tz: tzinfo | None = None
) -> dict[date, int]:
    """Reviews per calendar day over the last ``days`` days (days without reviews included as 0)."""
    raise NotImplementedError


def due_forecast(
    store: Store, library: Library, profile: str, now: datetime, days: int = 30, tz: tzinfo | None = None
) -> list[tuple[date, int]]:
    raise NotImplementedError


def true_retention(store: Store, profile: str, since: datetime | None = None) -> float | None:
    raise NotImplementedError


def streak(store: Store, profile: str, now: datetime, tz: tzinfo | None = None) -> int:
    raise NotImplementedError


def exam_history(store: Store, profile: str, exam_id: str | None = None) -> list[ExamHistoryEntry]:
    """Submitted attempts, newest first."""
    raise NotImplementedError


def exam_readiness(store: Store, library: Library, profile: str, exam_id: str, now: datetime) -> Readiness:
    """Expected score if the exam were taken at ``now`` (UserError for an unknown exam)."""
    raise NotImplementedError


def cli_stats(args: argparse.Namespace, ctx: Context) -> int:
    """``quiz stats [--json]``."""
    raise NotImplementedError
