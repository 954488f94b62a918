"""Shared builders for the progress-engine tests (store, scheduler, sessions, exams, stats).

A small in-memory Library built from the models (no YAML, no loader), a
deterministic stand-in grader for choice/judge/numeric/short questions, and a
clock tests can move.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from quiz.grading.result import GradeResult
from quiz.library import Library
from quiz.model import (
    LETTERS,
    AnyQuestion,
    Bank,
    Exam,
    JudgeQuestion,
    MultiQuestion,
    NumericQuestion,
    ScenarioQuestion,
    ShortQuestion,
    SingleQuestion,
)

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@dataclass
class Clock:
    t: datetime = T0

    def __call__(self) -> datetime:
        return self.t

    def advance(self, **kw: float) -> datetime:
        self.t = self.t + timedelta(**kw)
        return self.t


def single(qid: str, topic: str, answer: str = "B", tags: list[str] | None = None, prompt: str | None = None) -> dict[str, Any]:
    return {
        "id": qid,
        "type": "single",
        "prompt": prompt or f"单选题 {qid}?",
        "topic": topic,
        "tags": tags or [],
        "choices": [f"{c}{qid}" for c in "甲乙丙丁"],  # each question its own fact (no siblings)
        "answer": answer,
    }


def make_bank(bank: str, questions: list[dict[str, Any]], tags: list[str] | None = None) -> Bank:
    return Bank.model_validate({"bank": bank, "title": bank, "tags": tags or [], "questions": questions})


def make_library(n_rules: int = 6, n_cs: int = 4, exams: list[Exam] | None = None) -> Library:
    """Two banks: ``rules`` (topics 评价规则/处罚规则, single questions) and ``cs``
    (topic 客服指标; judge, multi partial, multi all, numeric, more singles)."""
    lib = Library()
    rules = [single(f"r{i}", "评价规则" if i % 2 == 0 else "处罚规则", tags=["规则"]) for i in range(n_rules)]
    cs: list[dict[str, Any]] = [
        {"id": "judge1", "type": "judge", "prompt": "判断?", "topic": "客服指标", "answer": True},
        {
            "id": "multi-p",
            "type": "multi",
            "prompt": "多选(部分)?",
            "topic": "客服指标",
            "choices": ["一", "二", "三", "四"],
            "answer": ["A", "C", "D"],
            "scoring": "partial",
        },
        {
            "id": "multi-a",
            "type": "multi",
            "prompt": "多选(全对)?",
            "topic": "客服指标",
            "choices": ["一", "二", "三", "四"],
            "answer": ["B", "C"],
        },
        {"id": "num1", "type": "numeric", "prompt": "几天?", "topic": "客服指标", "answer": 15, "unit": "天"},
    ]
    cs += [single(f"c{i}", "客服指标") for i in range(max(0, n_cs - 4))]
    lib.add_bank(make_bank("rules", rules))
    lib.add_bank(make_bank("cs", cs[: max(n_cs, 1)]))
    for e in exams or []:
        lib.add_exam(e)
    return lib


def make_exam(**kw: Any) -> Exam:
    data: dict[str, Any] = {
        "exam": "mock",
        "title": "模拟考试",
        "time_limit_minutes": 30,
        "pass_score": 6,
        "sections": [
            {"title": "单选", "types": ["single"], "count": 4, "points": 1},
            {"title": "多选", "types": ["multi"], "count": 2, "points": 2},
            {"title": "判断", "types": ["judge"], "count": 1, "points": 1},
        ],
    }
    data.update(kw)
    return Exam.model_validate(data)


def _letters(text: str) -> set[int]:
    return {LETTERS.index(c) for c in text.upper() if c in LETTERS}


def fake_grade(q: AnyQuestion, answer: str) -> GradeResult:
    """A strict stand-in for quiz.grading.grade: letters, 对/错, numbers, exact text."""
    exp = q.expected_text()
    if isinstance(q, SingleQuestion):
        ok = _letters(answer) == {q.answer_index}
        return GradeResult("correct" if ok else "wrong", 1.0 if ok else 0.0, "", exp)
    if isinstance(q, MultiQuestion):
        chosen, right = _letters(answer), set(q.answer_indexes)
        if chosen == right:
            return GradeResult("correct", 1.0, "", exp)
        if q.scoring == "partial" and chosen and chosen < right:
            return GradeResult("partial", len(chosen) / len(right), "", exp)
        return GradeResult("wrong", 0.0, "", exp)
    if isinstance(q, JudgeQuestion):
        val = {"对": True, "错": False}.get(answer.strip())
        ok = val is not None and val == q.answer
        return GradeResult("correct" if ok else "wrong", 1.0 if ok else 0.0, "", exp)
    if isinstance(q, NumericQuestion):
        m = re.search(r"-?\d+(\.\d+)?", answer)
        ok = m is not None and abs(float(m.group()) - q.answer) <= q.tolerance
        return GradeResult("correct" if ok else "wrong", 1.0 if ok else 0.0, "", exp)
    if isinstance(q, ShortQuestion):
        ok = answer.strip() in q.answers
        return GradeResult("correct" if ok else "wrong", 1.0 if ok else 0.0, "", exp)
    assert isinstance(q, ScenarioQuestion)
    return GradeResult("partial", 0.5, "", exp)


def right_answer(q: AnyQuestion) -> str:
    """The text a learner types to be right (letters as shown)."""
    if isinstance(q, SingleQuestion):
        return LETTERS[q.answer_index]
    if isinstance(q, MultiQuestion):
        return "".join(LETTERS[i] for i in sorted(q.answer_indexes))
    if isinstance(q, JudgeQuestion):
        return "对" if q.answer else "错"
    if isinstance(q, NumericQuestion):
        return str(q.answer)
    if isinstance(q, ShortQuestion):
        return q.answers[0]
    return "whatever"


def wrong_answer(q: AnyQuestion) -> str:
    if isinstance(q, SingleQuestion):
        return LETTERS[(q.answer_index + 1) % len(q.choices)]
    if isinstance(q, MultiQuestion):
        return "".join(LETTERS[i] for i in range(len(q.choices)))  # every option: always wrong
    if isinstance(q, JudgeQuestion):
        return "错" if q.answer else "对"
    if isinstance(q, NumericQuestion):
        return str(q.answer + 1000)
    return "完全不对"
