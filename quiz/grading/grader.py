"""Grade one answer to one question (bank-format.md: "Question types and how each is graded").

Each question is compiled once (normalised choices, accepted and rejected forms,
key-point phrasings) and cached by object identity, so grading a batch costs a
few string searches per answer. Grading never raises: any failure inside is
caught and reported as a ``wrong`` verdict with a note, so one odd answer cannot
stop a batch or an exam.
"""

from __future__ import annotations

import dataclasses

from quiz.grading.choice import _grade_multi, _grade_single, parse_letters
from quiz.grading.common import UNSURE_NOTE, Lang, _result, language, tr, unsure
from quiz.grading.free import _grade_scenario, _grade_short
from quiz.grading.judge import _grade_judge, parse_judge
from quiz.grading.numeric import _grade_numeric
from quiz.grading.result import GradeResult
from quiz.model import (
    AnyQuestion,
    JudgeQuestion,
    MultiQuestion,
    NumericQuestion,
    ScenarioQuestion,
    ShortQuestion,
    SingleQuestion,
)

__all__ = ["grade", "parse_judge", "parse_letters"]


def grade(question: AnyQuestion, answer: str, lang: Lang = "zh") -> GradeResult:
    """Grade ``answer`` to ``question``, with feedback in ``lang``. Never raises; the score is within 0..1."""
    with language(lang):
        result = _grade(question, answer)
        if result.verdict == "correct" and isinstance(answer, str) and (
            result.details.get("unsure")
            or (isinstance(question, (SingleQuestion, MultiQuestion, NumericQuestion)) and unsure(answer))
        ):
            result = dataclasses.replace(
                result, feedback=f"{result.feedback} {tr(*UNSURE_NOTE)}".strip(),
                details={**result.details, "unsure": True},
            )
    if question.feedback:
        notes = answer_feedback(question, result)
        if notes:
            result = dataclasses.replace(result, answer_feedback=notes)
    return result


def answer_feedback(question: AnyQuestion, result: GradeResult) -> tuple[str, ...]:
    """The bank's feedback for what the answer chose (its choice letters, true/false), then for its verdict."""
    fb = question.feedback
    keys = [str(k) for k in result.details.get("chosen", ())]  # the letters chosen, or true/false
    if isinstance(question, ShortQuestion):
        # the accepted form the answer matched, or the known wrong one it matched
        if result.verdict == "correct" and result.nearest:
            keys.append(result.nearest)
        rejected = result.details.get("rejected")
        if isinstance(rejected, str):
            keys.append(rejected)
    keys.append(result.verdict)
    return tuple(dict.fromkeys(fb[k] for k in keys if k in fb))


def _grade(question: AnyQuestion, answer: str) -> GradeResult:
    if not isinstance(answer, str):
        answer = "" if answer is None else str(answer)
    try:
        if isinstance(question, SingleQuestion):
            return _grade_single(question, answer)
        if isinstance(question, MultiQuestion):
            return _grade_multi(question, answer)
        if isinstance(question, JudgeQuestion):
            return _grade_judge(question, answer)
        if isinstance(question, NumericQuestion):
            return _grade_numeric(question, answer)
        if isinstance(question, ShortQuestion):
            return _grade_short(question, answer)
        if isinstance(question, ScenarioQuestion):
            return _grade_scenario(question, answer)
    except Exception as e:  # never let one answer stop a batch or an exam
        return _result(
            question, "wrong", 0, f"无法评分（{type(e).__name__}），请换一种写法。", details={"error": repr(e)}
        )
    return GradeResult(verdict="wrong", score=0.0, feedback="未知题型。")
