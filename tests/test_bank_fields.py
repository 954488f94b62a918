"""Optional bank fields beyond the original contract: as_of, family, examples, per-answer feedback, required/who."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from quiz.grading import grade
from quiz.loader import load_file
from quiz.model import Bank

BANK = """\
bank: fields
title: 字段
questions:
  - id: pick
    type: single
    prompt: 运费谁出？
    choices: [买家, 卖家, 平台]
    answer: B
    as_of: 2024-09-01
    family: freight-who
    feedback: {A: 质量问题的来回运费不由买家出。, B: 对，卖家承担。, wrong: 再看一遍《消费者权益保护法》第二十四条。}
  - id: tf
    type: judge
    prompt: 质量问题维修的来回运费由商家承担。
    answer: true
    as_of: 2016
    feedback: {true: 对。, false: 想反了：是商家承担。}
  - id: handle
    type: scenario
    prompt: 买家要求退款不退货并补偿，否则差评。你怎么办？
    voice: seller
    keypoints:
      - {point: 拒绝无理要求, any: [拒绝], required: true, who: seller}
    forbidden: [inducement, {point: 辱骂买家, any: [骂]}]
    examples:
      - {answer: 拒绝他的要求, expect: correct}
"""


def load(tmp_path: Path, text: str) -> tuple[Bank | None, list[str]]:
    path = tmp_path / "bank.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    result = load_file(path, use_cache=False)
    bank = result.document if isinstance(result.document, Bank) else None
    return bank, [str(p) for p in result.problems]


def test_new_fields_load_and_read_as_written(tmp_path: Path) -> None:
    bank, problems = load(tmp_path, BANK)
    assert problems == []
    assert bank is not None
    pick, tf, handle = bank.questions
    assert pick.as_of == "2024-09-01" and pick.family == "freight-who"
    assert tf.as_of == "2016"
    assert tf.feedback == {"true": "对。", "false": "想反了：是商家承担。"}
    assert handle.type == "scenario"
    assert handle.keypoints[0].required and handle.keypoints[0].who == "seller"
    assert handle.forbidden[0] == "inducement"
    assert handle.examples[0].expect == "correct"


def test_per_answer_feedback_goes_only_to_the_learner_who_chose_it(tmp_path: Path) -> None:
    bank, _ = load(tmp_path, BANK)
    assert bank is not None
    pick, tf, _handle = bank.questions
    assert grade(pick, "A").answer_feedback == ("质量问题的来回运费不由买家出。", "再看一遍《消费者权益保护法》第二十四条。")
    assert grade(pick, "B").answer_feedback == ("对，卖家承担。",)
    assert grade(pick, "C").answer_feedback == ("再看一遍《消费者权益保护法》第二十四条。",)
    assert grade(tf, "错").answer_feedback == ("想反了：是商家承担。",)
    assert grade(tf, "对").answer_feedback == ("对。",)


def test_feedback_key_naming_nothing_and_a_bad_date_are_refused(tmp_path: Path) -> None:
    bad = BANK.replace("wrong: 再看", "E: 没有这个选项, wrong: 再看").replace("as_of: 2016", "as_of: 去年")
    _, problems = load(tmp_path, bad)
    assert any("feedback key 'E'" in p for p in problems), problems
    assert any("as_of" in p and "去年" in p for p in problems), problems


RETIRED = """\
bank: ret
title: 退役
questions:
  - id: old-judge
    type: judge
    topic: 运费
    prompt: 运费券的使用没有门槛。
    answer: false
    retired: true
  - id: new-judge
    type: judge
    topic: 运费
    prompt: 运费券有使用门槛。
    answer: true
"""


def test_a_retired_question_is_never_studied_or_drawn_but_still_found_and_graded(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from quiz.cli import main
    from quiz.loader import load_paths

    (tmp_path / "ret.yaml").write_text(RETIRED, encoding="utf-8")
    lib, problems = load_paths([tmp_path], use_cache=False)
    assert problems == []
    assert [it.qid for it in lib] == ["ret/new-judge"]
    assert len(lib) == 1 and "ret/old-judge" not in lib and lib.get("ret/old-judge") is None
    assert [it.qid for it in lib.select(topics=["运费"])] == ["ret/new-judge"]
    found = lib.find("ret/old-judge")
    assert found is not None and found.question.retired
    assert grade(found.question, "错").verdict == "correct"
    assert main(["grade", str(tmp_path / "ret.yaml"), "--id", "old-judge", "--answer", "错"]) == 0
    assert json.loads(capsys.readouterr().out)["verdict"] == "correct"
