"""Spaced repetition with FSRS (the ``fsrs`` package), and the rule that turns a verdict into a rating.

FSRS takes one of four ratings, never a fraction, so a graded answer becomes a
rating by this documented rule (:func:`rating_for`):

* ``wrong``   -> **Again**
* ``partial`` -> **Hard** (a partial answer never counts as Good)
* ``correct`` from an answer that says it is not sure (``15天吧，不太确定``, ``可能对吧``) -> **Hard**
* ``correct`` -> **Good**, or **Easy** when the answer was fast *and* the card was
  already in the Review state (a question first met is never Easy): "fast" means
  at most :data:`EASY_SECONDS` for the question's type (5 s for 判断/单选, 8 s for
  多选/数值, 15 s for 填空; 情景 questions are never Easy).

The learner may override the rating afterwards (``StudySession.override_rating``).

Every time is a timezone-aware UTC ``datetime``; every function that needs the
time takes it (or a :data:`Clock`) as an argument, so tests can move time.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

from fsrs import Card, Rating, Scheduler, State

from quiz.grading.result import Verdict

__all__ = [
    "EASY_SECONDS",
    "Card",
    "Clock",
    "Rating",
    "SpacedScheduler",
    "State",
    "StateName",
    "rating_for",
    "state_name",
    "to_utc",
    "utc_now",
]

Clock = Callable[[], datetime]
"""Returns the current time, timezone-aware (converted to UTC where stored)."""

StateName = Literal["new", "learning", "review", "relearning"]

EASY_SECONDS: dict[str, float] = {
    "judge": 5.0,
    "single": 5.0,
    "multi": 8.0,
    "numeric": 8.0,
    "short": 15.0,
    "scenario": 0.0,  # never Easy
}


def utc_now() -> datetime:
    return datetime.now(UTC)


def to_utc(dt: datetime) -> datetime:
    """The same instant in UTC (naive datetimes are taken to be UTC)."""
    if dt.tzinfo is None:
        return dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC)


def state_name(card: Card | None) -> StateName:
    """The state a learner recognises (Anki's words): a question never answered is ``new``."""
    if card is None:
        return "new"
    names: dict[State, StateName] = {State.Learning: "learning", State.Review: "review", State.Relearning: "relearning"}
    return names[card.state]


def rating_for(
    verdict: Verdict,
    *,
    qtype: str = "single",
    seconds: float | None = None,
    state: State | None = None,
    unsure: bool = False,
) -> Rating:
    """The FSRS rating for a verdict (the rule in this module's docstring).

    ``state`` is the card's state *before* this answer (``None`` for a new question).
    """
    if verdict == "wrong":
        return Rating.Again
    if verdict == "partial" or unsure:  # right, but the learner said they were not sure
        return Rating.Hard
    limit = EASY_SECONDS.get(qtype, 0.0)
    if state == State.Review and seconds is not None and limit > 0 and 0 < seconds <= limit:
        return Rating.Easy
    return Rating.Good


@dataclass
class SpacedScheduler:
    """A thin, typed wrapper around ``fsrs.Scheduler`` with the project's settings.

    ``enable_fuzzing=False`` makes intervals deterministic (tests use it).
    """

    desired_retention: float = 0.9
    enable_fuzzing: bool = True
    maximum_interval: int = 36500

    def __post_init__(self) -> None:
        if not 0.7 <= self.desired_retention <= 0.99:
            raise ValueError("desired retention must be between 0.70 and 0.99")
        self._fsrs = Scheduler(
            desired_retention=self.desired_retention,
            enable_fuzzing=self.enable_fuzzing,
            maximum_interval=self.maximum_interval,
        )

    @staticmethod
    def new_card(now: datetime, card_id: int = 1) -> Card:
        """A card for a question never answered (fsrs' Learning state, step 0, due now).

        ``card_id`` is given explicitly: fsrs would otherwise sleep 1 ms to make one up.
        """
        return Card(card_id=card_id, due=to_utc(now))

    def review(self, card: Card | None, rating: Rating, now: datetime, seconds: float | None = None) -> Card:
        """The card after an answer with ``rating`` at ``now`` (a new card when ``card`` is None)."""
        now = to_utc(now)
        if card is None:
            card = self.new_card(now)
        ms = int(seconds * 1000) if seconds is not None else None
        new, _log = self._fsrs.review_card(card, rating, review_datetime=now, review_duration=ms)
        return new

    def retrievability(self, card: Card | None, now: datetime) -> float:
        """Predicted probability of recalling the card at ``now`` (0 for a card never reviewed)."""
        if card is None:
            return 0.0
        return float(self._fsrs.get_card_retrievability(card, current_datetime=to_utc(now)))

    def preview(self, card: Card | None, now: datetime) -> dict[Rating, datetime]:
        """When the card would next be due for each rating (for override buttons)."""
        return {r: self.review(card, r, now).due for r in (Rating.Again, Rating.Hard, Rating.Good, Rating.Easy)}


def card_to_json(card: Card) -> str:
    return card.to_json()


def card_from_json(text: str) -> Card:
    return Card.from_json(text)
