"""The held-out grading cases (tests/data/grading-holdout.*), written before the grader was tuned
on them: no false accept and at least 99% agreement with a careful human grader. Plus the
mechanisms behind the hard ones, each with the wrong answer it must still refuse."""

from __future__ import annotations

from pathlib import Path

import pytest

from quiz.grading import grade
from tests.grading_cases import load_bank, score_cases

DATA = Path(__file__).parent / "data"




@pytest.mark.parametrize(
    ("name", "size", "floor"),
    [
        ("grading-holdout", 300, 0.99),  # written before tuning, then used for it
        ("grading-holdout2", 85, 0.98),  # written after that tuning, before running the grader on it
    ],
)
def test_holdout_accuracy_and_no_false_accept(name: str, size: int, floor: float) -> None:
    score = score_cases(DATA / f"{name}.yaml", DATA / f"{name}.jsonl")
    assert score.cases >= size
    assert score.false_accepts == []
    assert score.accuracy >= floor, score.failures


PROBE = """
bank: probe
title: probe
questions:
  - id: compensation
    type: short
    prompt: 假一赔几?
    answers: ["赔偿十倍", "1000元保证金"]
    reject: ["赔偿三倍"]
  - id: who-pays
    type: short
    prompt: 运费由谁承担?
    answers: ["卖家"]
    reject: ["买家"]
  - id: can
    type: short
    prompt: 能不能?
    answers: ["可以"]
    reject: ["不可以"]
  - id: handle
    type: scenario
    prompt: 怎么处理?
    keypoints:
      - point: 报警
        any: ["报警"]
      - point: 保留证据
        any: ["保留证据", "保存聊天记录"]
    forbidden:
      - point: 公开买家信息
        any: ["公开买家信息"]
      - point: 好评返现
        any: ["好评返现"]
    pass: 0.5
  - id: may-modify
    type: judge
    prompt: 协商后,买家有权修改一次中差评。
    answer: true
  - id: may-not-complain
    type: judge
    prompt: 好评不能发起恶意评价投诉。
    answer: true
  - id: year
    type: numeric
    prompt: 哪一年?
    answer: 2015
    unit: 年
  - id: fine
    type: numeric
    prompt: 违约金多少万元?
    answer: 500
    unit: 万元
    units: [万]
  - id: who-rules
    type: short
    prompt: 由谁裁定?
    answers: ["淘宝"]
    reject: ["卖家", "买家"]
  - id: buyer
    type: short
    prompt: 谁有权修改评价?
    answers: ["买家"]
    reject: ["卖家"]
"""


@pytest.mark.parametrize(
    ("qid", "answer", "expect"),
    [
        # the same words in another order
        ("compensation", "十倍赔偿", "correct"),
        ("compensation", "保证金1000元", "correct"),
        ("compensation", "保证金100元", "wrong"),
        ("compensation", "三倍赔偿", "wrong"),
        ("compensation", "赔偿不是十倍", "wrong"),
        # a question states nothing
        ("can", "可以", "correct"),
        ("can", "可以吗", "wrong"),
        ("may-modify", "对吗?", "wrong"),
        # a negator after the answer denies it
        ("who-pays", "卖家承担", "correct"),
        ("who-pays", "卖家不承担", "wrong"),
        ("who-pays", "卖家也不用出", "wrong"),
        # a forbidden action in another order, and one only condemned
        ("handle", "把买家信息公开,然后报警", "wrong"),
        ("handle", "给他返现让他改成好评,然后报警", "wrong"),
        ("handle", "不要把买家信息公开,报警并保留证据", "correct"),
        ("handle", "曝光买家信息是违法的,应该报警", "correct"),
        ("handle", "报警并保留证据,好评返现是违规的", "correct"),
        ("handle", "把聊天记录保存下来,然后报警", "correct"),
        # a clause that ends by waving off what it lists
        ("handle", "保留证据、报警都不用", "wrong"),
        ("handle", "报警就不必了", "wrong"),
        ("handle", "保留证据和报警都不要忘", "correct"),
        # the wrong answer denied, the right one said
        ("who-pays", "买家不承担,卖家承担", "correct"),
        ("who-pays", "买家不承担", "wrong"),
        # a negator inside a "when ..." clause does not reach past it
        ("handle", "买家不收货时报警", "correct"),
        ("handle", "不及时报警", "wrong"),
        # modal answers to a judge statement
        ("may-modify", "有权", "correct"),
        ("may-modify", "可以", "correct"),
        ("may-modify", "无权", "wrong"),
        ("may-not-complain", "不能", "correct"),
        ("may-not-complain", "能", "wrong"),
        # years read digit by digit
        ("year", "二〇一五年", "correct"),
        ("year", "二〇一四年", "wrong"),
        # a unit with a multiplier
        ("fine", "500万元", "correct"),
        ("fine", "5000000元", "correct"),
        ("fine", "500", "correct"),
        ("fine", "50万元", "wrong"),
        ("fine", "500元", "wrong"),
        ("fine", "5亿", "wrong"),
        # a character picked for another of its readings, never for a contrast
        ("who-rules", "掏宝", "correct"),
        ("who-rules", "不是掏宝", "wrong"),
        ("buyer", "买佳", "correct"),
        ("buyer", "麦家", "wrong"),
        ("buyer", "卖家", "wrong"),
    ],
)
def test_grading_mechanisms(qid: str, answer: str, expect: str) -> None:
    questions = load_bank(PROBE)
    assert grade(questions[qid], answer).verdict == expect
