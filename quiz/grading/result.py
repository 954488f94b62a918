"""What grading one answer returns.

Contract with the screens that show it (``tui/widgets/feedback.py``):

* ``feedback`` is the grader's note on *this* answer (why it is wrong, what was
  forgiven), in the language ``grade()`` was asked for. It should not restate
  ``expected``: the screen shows the right answer on a line of its own (until
  every grader follows this, a closing ``正确答案：<expected>`` is cut there).
* ``details["spans"]`` (optional) marks up the learner's answer for free-text
  questions (``short``, ``scenario``): a list of ``[start, end, kind]`` or
  ``[start, end, kind, label]``, where ``start``/``end`` are offsets into the raw
  answer string exactly as passed to ``grade()`` (Python ``str`` indices, ``end``
  exclusive, before any normalisation), sorted by ``start``, not overlapping, and
  ``kind`` is one of:

  - ``matched``: a key point or accepted form, found as written;
  - ``typo``: found, with a mistyped character forgiven;
  - ``homophone``: found, with a pinyin-input homophone forgiven (``接代量``);
  - ``negated``: a key point said in a negated clause (``不截图``), not counted;
  - ``violation``: a forbidden action the answer states (it fails the answer).

  ``label`` names the key point or forbidden action. What is missing has no span
  (it is listed in ``missed``); neither has a point the grader found without an
  exact place in the answer (it is in ``found``; the screen lists such labels), nor
  an answer graded on a text it made from it (what it denies cut out). The screen
  draws each kind in its own style with a legend; with no spans it lists
  ``found``/``missed``/``violations`` by label instead. Spans that break these
  rules are not drawn (the labels are shown).

  The grader (``free.py``) places a span through the answer's maps: the
  thesaurus's rewrites (``semantics.Reading``) and normalisation's
  (``normalize.source_map``: full-width forms, numerals, operator words,
  punctuation dropped). Words that cut a rewrite (the ``0`` of ``30`` for
  ``三十``) have no exact place and get no span. A negated point's span is the
  point's words (``截图`` in ``不截图``).
"""

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
