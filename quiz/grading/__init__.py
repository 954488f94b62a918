"""The grader: ``grade(question, answer) -> GradeResult`` for all six question types.

See bank-format.md ("Question types and how each is graded", "Normalisation",
"What free-text grading must get right").
"""

from quiz.grading.grader import grade, parse_judge, parse_letters
from quiz.grading.result import GradeResult, Verdict

__all__ = ["GradeResult", "Verdict", "grade", "parse_judge", "parse_letters"]
