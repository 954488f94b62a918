"""The shared development grading cases (../shared/eval): at least 97% and no false accept."""

from __future__ import annotations

from tests.conftest import SHARED
from tests.grading_cases import score_cases

EVAL = SHARED / "eval"


def test_dev_cases_accuracy_and_no_false_accept() -> None:
    score = score_cases(EVAL / "dev-bank.yaml", EVAL / "dev-cases.jsonl")
    assert score.cases >= 90
    assert score.false_accepts == []
    assert score.accuracy >= 0.97, score.failures
