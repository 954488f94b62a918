"""The grader: ``grade(question, answer) -> GradeResult`` for all six question types.

See bank-format.md ("Question types and how each is graded", "Normalisation",
"What free-text grading must get right").

``grade``, ``parse_judge`` and ``parse_letters`` are imported on first use: the
grader's tables (pypinyin's, the compiled patterns) are heavy, and a module that
only needs :class:`GradeResult` (the store, the stats, the home screen) must not
pay for them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from quiz.grading.result import GradeResult, Verdict

if TYPE_CHECKING:
    from quiz.grading.grader import grade, parse_judge, parse_letters

__all__ = ["GradeResult", "Verdict", "grade", "parse_judge", "parse_letters"]


def __getattr__(name: str) -> Any:
    if name in ("grade", "parse_judge", "parse_letters"):
        from quiz.grading import grader

        return getattr(grader, name)
    raise AttributeError(f"module 'quiz.grading' has no attribute {name!r}")
