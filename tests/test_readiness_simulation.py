"""Exam readiness validated on simulated learners (``tests/readiness_sim.py``): learners
whose chance of answering each question right is known at every moment study with the
real smart queue and sit real mock exams; the readiness shown before each mock must
predict its score, and a failed mock must never make it look better than it was.

``python -m tests.readiness_sim 1 2 3`` prints every mock and the measured error."""

from __future__ import annotations

import pytest

from tests.readiness_sim import LEARNERS, MockRecord, run_all


@pytest.fixture(scope="module")
def records(tmp_path_factory: pytest.TempPathFactory) -> list[MockRecord]:
    return run_all(tmp_path_factory.mktemp("sim"), seeds=(1,))


def test_readiness_predicts_the_next_mock_within_10_points_on_average(records: list[MockRecord]) -> None:
    assert len(records) == sum(len(k.mock_days) for k in LEARNERS)
    scores = [r.score for r in records]
    assert min(scores) < 60 <= max(scores)  # the learners pass and fail: the test means something
    error = sum(abs(r.before - r.score) for r in records) / len(records)
    print(f"\nmean |readiness - next mock score| over {len(records)} mocks: {error:.2f} points")
    assert error <= 10
    # and no kind of learner is far off (the worst: a learner who forgets much faster than FSRS's
    # default curve is overestimated between mocks, about 15-20 points)
    for kind in LEARNERS:
        mine = [r for r in records if r.learner == kind.name]
        assert sum(abs(r.before - r.score) for r in mine) / len(mine) <= 20, kind.name


def test_the_range_holds_most_next_scores(records: list[MockRecord]) -> None:
    inside = sum(1 for r in records if r.low <= r.score <= r.high)
    print(f"\nnext mock inside the shown range: {inside}/{len(records)}")
    assert inside >= 0.7 * len(records)  # an 80% range, measured on few mocks
    assert all(r.low <= r.before <= r.high for r in records)


def test_readiness_never_rises_after_a_failed_mock(records: list[MockRecord]) -> None:
    failed = [r for r in records if not r.passed]
    assert len(failed) >= 4
    for r in failed:
        # never above both what it said before and what the learner scored
        assert r.after <= max(r.before, r.score) + 1e-6, r
        # worse than predicted: readiness goes down
        if r.score < r.before:
            assert r.after < r.before, r
    assert any(r.score < r.before for r in failed)  # the bad-news case happened
