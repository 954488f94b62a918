"""What grading one answer returns."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Verdict = Literal["correct", "partial", "wrong"]


@dataclass(frozen=True)
class GradeResult:
    """The verdict on one answer, with feedback a learner can act on.

    ``found``/``missed`` name key points (or, for 多选, the options) by their
    labels; ``violations`` names forbidden actions the answer states; ``nearest``
    is the accepted answer (or choice) nearest to what was written; ``expected``
    is the right answer as a learner reads it.
    """

    verdict: Verdict
    score: float
    feedback: str
    expected: str = ""
    nearest: str | None = None
    found: tuple[str, ...] = ()
    missed: tuple[str, ...] = ()
    violations: tuple[str, ...] = ()
    details: dict[str, Any] = field(default_factory=dict)
    # The bank's own feedback for what this answer chose (a choice, true/false) or for its verdict.
    answer_feedback: tuple[str, ...] = ()

    @property
    def correct(self) -> bool:
        return self.verdict == "correct"

    def to_json(self, qid: str) -> dict[str, Any]:
        # Built field by field: dataclasses.asdict deep-copies and costs a third of `quiz grade --batch`.
        return {
            "id": qid,
            "verdict": self.verdict,
            "score": self.score,
            "feedback": self.feedback,
            "expected": self.expected,
            "nearest": self.nearest,
            "found": list(self.found),
            "missed": list(self.missed),
            "violations": list(self.violations),
            "details": dict(self.details),
            "answer_feedback": list(self.answer_feedback),
        }
