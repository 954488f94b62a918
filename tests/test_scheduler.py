"""Verdict -> rating rule and the FSRS wrapper."""

from __future__ import annotations

from datetime import timedelta

import pytest

from quiz.scheduler import EASY_SECONDS, Rating, SpacedScheduler, State, rating_for, state_name
from tests.progress_helpers import T0


@pytest.mark.parametrize("state", [None, State.Learning, State.Review, State.Relearning])
@pytest.mark.parametrize("seconds", [None, 0.5, 3.0, 60.0])
def test_wrong_is_again_and_partial_is_never_good(state: State | None, seconds: float | None) -> None:
    assert rating_for("wrong", qtype="single", seconds=seconds, state=state) == Rating.Again
    assert rating_for("partial", qtype="multi", seconds=seconds, state=state) == Rating.Hard


def test_correct_is_good_and_easy_only_when_fast_on_a_review_card() -> None:
    assert rating_for("correct", qtype="single", seconds=2, state=State.Review) == Rating.Easy
    assert rating_for("correct", qtype="judge", seconds=EASY_SECONDS["judge"], state=State.Review) == Rating.Easy
    assert rating_for("correct", qtype="single", seconds=20, state=State.Review) == Rating.Good
    assert rating_for("correct", qtype="single", seconds=None, state=State.Review) == Rating.Good
    # a question met for the first time, or still being learnt, is never Easy
    assert rating_for("correct", qtype="single", seconds=1, state=None) == Rating.Good
    assert rating_for("correct", qtype="single", seconds=1, state=State.Learning) == Rating.Good
    # a free-text scenario answer is never Easy
    assert rating_for("correct", qtype="scenario", seconds=1, state=State.Review) == Rating.Good


def test_first_answers_follow_fsrs_learning_steps() -> None:
    s = SpacedScheduler(enable_fuzzing=False)
    again = s.review(None, Rating.Again, T0)
    good = s.review(None, Rating.Good, T0)
    easy = s.review(None, Rating.Easy, T0)
    assert again.due - T0 == timedelta(minutes=1)
    assert good.due - T0 == timedelta(minutes=10)
    assert easy.state == State.Review and easy.due - T0 >= timedelta(days=1)
    assert state_name(None) == "new" and state_name(good) == "learning" and state_name(easy) == "review"


def test_intervals_grow_with_success_and_shrink_with_higher_retention() -> None:
    lo, hi = SpacedScheduler(0.8, enable_fuzzing=False), SpacedScheduler(0.95, enable_fuzzing=False)

    def graduate(s: SpacedScheduler) -> timedelta:
        c = s.review(None, Rating.Good, T0)
        c = s.review(c, Rating.Good, c.due)
        assert c.state == State.Review
        c2 = s.review(c, Rating.Good, c.due)
        assert c2.due - c.due > c.due - T0  # the next interval is longer
        return c2.due - c.due

    assert graduate(hi) < graduate(lo)


def test_retrievability_is_zero_for_unseen_and_decays_with_time() -> None:
    s = SpacedScheduler(enable_fuzzing=False)
    assert s.retrievability(None, T0) == 0.0
    c = s.review(None, Rating.Easy, T0)
    r1 = s.retrievability(c, T0 + timedelta(days=1))
    r30 = s.retrievability(c, T0 + timedelta(days=30))
    assert 0 < r30 < r1 <= 1


def test_naive_and_non_utc_times_are_accepted() -> None:
    from datetime import timezone

    s = SpacedScheduler(enable_fuzzing=False)
    beijing = T0.astimezone(timezone(timedelta(hours=8)))
    assert s.review(None, Rating.Good, beijing).due == s.review(None, Rating.Good, T0.replace(tzinfo=None)).due


def test_preview_gives_a_due_time_per_rating() -> None:
    p = SpacedScheduler(enable_fuzzing=False).preview(None, T0)
    assert p[Rating.Again] < p[Rating.Good] < p[Rating.Easy]


def test_desired_retention_out_of_range_is_refused() -> None:
    with pytest.raises(ValueError):
        SpacedScheduler(desired_retention=1.2)
