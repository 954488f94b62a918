"""Answers written the way customer-service staff type them (phone, pinyin input, colloquial, wordy,
synonyms, a forbidden move in other words, a wrong script quoted to reject it), on copies of the
shipped short and scenario questions (tests/data/grading-realistic*.yaml, annotated with required
points, roles and violation classes as issue 10 prescribes), with the verdict a fair trainer gives.

* grading-realistic: 223 answers written before the grader was changed for issue 9 (it then scored
  75.3% with 16 false accepts), then used to tune it;
* grading-realistic2: 121 answers written after that tuning and scored once as written (90.9%,
  4 false accepts) before the changes that followed;
* grading-realistic3: 92 answers written after tuning on both, scored once as written (92.4%,
  2 false accepts) before the changes that followed;
* grading-realistic4: 182 answers on main's calibrated banks, written for the phenomena a held-out
  set showed failing (who pays said indirectly, a decision said the other way, dismissal,
  obligation, consequences as advice, violations in other words, short-answer contrasts,
  comparisons in words, Chinese numbering, wrong qualifiers, terse lists) and their near misses,
  scored once as written (59.9%, 3 false accepts), then used to tune the grader and the banks;
* grading-realistic5: 94 answers written after that tuning and scored once as written (91.5%,
  1 false accept) before the changes that followed.

The fourth and fifth sets' bank copies carry this branch's bank changes (the grader alone, on main's
wordings, scores the fourth at 89.6% with no false accept).
"""

from __future__ import annotations

from pathlib import Path

from tests.grading_cases import score_cases

DATA = Path(__file__).parent / "data"

# Answers the copied questions' own rubric passes (their key points reach the bank's pass share of
# 0.6) where the trainer who wrote the case would give partial: a rubric matter for the banks
# (the calibrated banks raise such passes or add required points), not something the grader misreads.
RUBRIC = {
    ("ad-copy-scenario", "最低价最好这些字眼要删掉,换成实际的描述"),
    ("reply-under-review-scenario", "抱歉亲,仓库排单晚了两天"),
    ("evidence-prep-scenario", "聊天截图和合格证"),
}


def test_realistic_answers_first_set() -> None:
    score = score_cases(DATA / "grading-realistic.yaml", DATA / "grading-realistic.jsonl")
    assert score.cases >= 220
    assert score.false_accepts == []
    assert score.accuracy >= 0.97, score.failures


def test_realistic_answers_second_set() -> None:
    score = score_cases(DATA / "grading-realistic2.yaml", DATA / "grading-realistic2.jsonl")
    assert score.cases >= 120
    assert set(score.false_accepts) <= RUBRIC, set(score.false_accepts) - RUBRIC
    assert score.accuracy >= 0.96, score.failures


def test_realistic_answers_third_set() -> None:
    score = score_cases(DATA / "grading-realistic3.yaml", DATA / "grading-realistic3.jsonl")
    assert score.cases >= 90
    assert score.false_accepts == []
    assert score.accuracy >= 0.97, score.failures


def test_realistic_answers_fourth_set() -> None:
    score = score_cases(DATA / "grading-realistic4.yaml", DATA / "grading-realistic4.jsonl")
    assert score.cases >= 180
    assert score.false_accepts == []
    assert score.accuracy >= 0.98, score.failures


def test_realistic_answers_fifth_set() -> None:
    score = score_cases(DATA / "grading-realistic5.yaml", DATA / "grading-realistic5.jsonl")
    assert score.cases >= 90
    assert score.false_accepts == []
    assert score.accuracy >= 0.97, score.failures
