"""Bank-format extensions the importers need: a single choice with several right choices (`also_correct`,
Moodle's `{=a =b ~c}`) and feedback on one accepted or rejected short answer (Moodle's per-answer feedback)."""

from __future__ import annotations

import textwrap
from pathlib import Path

from quiz.exam import shuffled
from quiz.grading import grade
from quiz.loader import load_file
from quiz.model import Bank, ShortQuestion, SingleQuestion

BANK = """\
bank: ext
title: 扩展
questions:
  - id: season
    type: single
    prompt: 哪个是季节？
    choices: [春, 夏, 复活节]
    answer: A
    also_correct: [B]
    feedback: {A: 春天没错。, C: 复活节是节日，不是季节。}
  - id: rate
    type: short
    prompt: 应答率怎么算？
    answers: [接待量/咨询量]
    reject: [咨询量/接待量]
    feedback: {咨询量/接待量: 反了：分子是接待量。, 接待量/咨询量: 对。}
"""


def load(tmp_path: Path, text: str) -> tuple[Bank | None, list[str]]:
    path = tmp_path / "bank.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    result = load_file(path, use_cache=False)
    return (result.document if isinstance(result.document, Bank) else None), [str(p) for p in result.problems]


def test_any_right_choice_of_a_single_is_correct(tmp_path: Path) -> None:
    bank, problems = load(tmp_path, BANK)
    assert problems == [] and bank is not None
    q = bank.questions[0]
    assert isinstance(q, SingleQuestion) and q.right_indexes == {0, 1}
    assert grade(q, "A").verdict == "correct" and grade(q, "A").answer_feedback == ("春天没错。",)
    assert grade(q, "B").verdict == "correct"
    assert grade(q, "夏").verdict == "correct"  # the text of the second right choice
    wrong = grade(q, "C")
    # every right choice is in `expected` (shown on its own line), not repeated in the feedback
    assert wrong.verdict == "wrong" and wrong.expected == "A. 春 / B. 夏"
    assert wrong.answer_feedback == ("复活节是节日，不是季节。",)
    assert q.expected_text() == "A. 春 / B. 夏"


def test_also_correct_must_name_another_choice(tmp_path: Path) -> None:
    bad = BANK.replace("also_correct: [B]", "also_correct: [A, D]")
    _, problems = load(tmp_path, bad)
    assert any("also_correct 'A' is already a right choice" in p for p in problems)
    assert any("also_correct 'D' names no choice" in p for p in problems)


def test_an_exam_shuffle_keeps_every_right_choice_and_the_feedback_on_its_choice(tmp_path: Path) -> None:
    bank, _ = load(tmp_path, BANK)
    assert bank is not None
    q = bank.questions[0]
    assert isinstance(q, SingleQuestion)
    shown = shuffled(q, [2, 0, 1])  # shown A = 复活节, B = 春, C = 夏
    assert isinstance(shown, SingleQuestion)
    assert shown.choices == ["复活节", "春", "夏"]
    assert {shown.choices[i] for i in shown.right_indexes} == {"春", "夏"}
    assert grade(shown, "C").verdict == "correct" and grade(shown, "A").verdict == "wrong"
    assert grade(shown, "A").answer_feedback == ("复活节是节日，不是季节。",)
    assert grade(shown, "B").answer_feedback == ("春天没错。",)


def test_feedback_on_one_accepted_or_rejected_short_answer(tmp_path: Path) -> None:
    bank, problems = load(tmp_path, BANK)
    assert problems == [] and bank is not None
    q = bank.questions[1]
    assert isinstance(q, ShortQuestion)
    assert grade(q, "接待量/咨询量").answer_feedback == ("对。",)
    reversed_ = grade(q, "咨询量/接待量")
    assert reversed_.verdict == "wrong" and reversed_.answer_feedback == ("反了：分子是接待量。",)
    assert grade(q, "不知道").answer_feedback == ()
    _, problems = load(tmp_path, BANK.replace("咨询量/接待量: 反了", "咨询量除以接待量: 反了"))
    assert any("feedback key '咨询量除以接待量' names nothing" in p for p in problems)
