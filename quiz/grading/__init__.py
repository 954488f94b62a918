"""The grader: ``grade(question, answer) -> GradeResult`` for all six question types.

See bank-format.md ("Question types and how each is graded", "Normalisation",
"What free-text grading must get right"). The grader itself is imported on first
use, so that loading banks (which reads the grader's word lists, quiz.grading.lexicon)
does not pay for it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from quiz.grading.grader import grade, parse_judge, parse_letters
    from quiz.grading.result import GradeResult, Verdict

__all__ = ["GradeResult", "Verdict", "grade", "parse_judge", "parse_letters"]


def __getattr__(name: str) -> Any:
    if name in ("grade", "parse_judge", "parse_letters"):
        from quiz.grading import grader

        return getattr(grader, name)
    if name in ("GradeResult", "Verdict"):
        from quiz.grading import result

        return getattr(result, name)
    raise AttributeError(f"module 'quiz.grading' has no attribute {name!r}")
