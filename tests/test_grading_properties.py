"""Properties of the grader over any input (hypothesis): never raises, score within 0..1,
verdict consistent with the score, deterministic."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter

from quiz.grading import grade
from quiz.model import AnyQuestion, Question

_Q: TypeAdapter[Any] = TypeAdapter(Question)


def q(**kw: Any) -> AnyQuestion:
    question: AnyQuestion = _Q.validate_python({"id": "q", "prompt": "题目", **kw})
    return question


QUESTIONS: list[AnyQuestion] = [
    q(type="single", choices=["7天", "15天", "30天", "由买家承担"], answer="B"),
    q(type="multi", choices=["截图", "报警", "辱骂", "投诉"], answer=["A", "B", "D"], scoring="partial"),
    q(type="multi", choices=["截图", "报警", "辱骂", "投诉"], answer=["A", "D"]),
    q(type="judge", answer=True),
    q(type="judge", answer=False),
    q(type="numeric", answer=1000000, unit="元", units=["块"]),
    q(type="numeric", answer=4.8, tolerance=0.05),
    q(type="numeric", prompt="参照价200元,净变化多少分?", answer=-5, unit="分"),
    q(type="numeric", prompt="应答率是百分之多少?", answer=90, unit="%"),
    q(type="numeric", prompt="阈值是多少?", answer=0.8),
    q(type="judge", prompt="运费券的使用没有门槛,卖家不能拒绝。", answer=False),
    q(type="single", prompt="题目", choices=["不存在,可以这样写", "存在,最大让利", "按点击扣费,展示不扣费", "30天内可以修改一次"], answer="B"),
    q(type="short", answers=["接待量/咨询量", "应答率=接待量/咨询量"], reject=["咨询量/接待量"], threshold=85),
    q(type="short", answers=["有门槛", "有"], reject=["没有门槛", "无门槛", "没有"]),
    q(
        type="short",
        answers=["联系客服、申诉、等待审核"],
        keypoints=[{"point": "联系客服", "any": ["联系客服"]}, {"point": "申诉", "any": ["申诉"]}],
        ordered=True,
    ),
    q(
        type="scenario",
        keypoints=[
            {"point": "保留证据", "any": ["截图", "保留聊天记录"], "weight": 2},
            {"point": "投诉", "any": ["投诉", "举报"]},
            {"point": "报警", "any": ["报警"]},
        ],
        forbidden=[{"point": "辱骂", "any": ["辱骂", "骂"]}],
        ordered=True,
    ),
]

# Text made of what the grader looks at: numerals, negators, letters, operators, separators.
ALPHABET = (
    "ABCDabcd0123456789一二两三十百千万亿零点不没无非未别要有是对错√×✓✗买卖家截图投诉报警骂辱接待量咨询/÷除以、，。 1.\n\t\x00\u200b"
    "-−+负%成折萬俩或还是以上第内=~e,天分元可以能会存在门槛最大让利点击扣费吗"
)
texts = st.one_of(st.text(max_size=60), st.text(alphabet=ALPHABET, max_size=40))


def _consistent(question: AnyQuestion, answer: str) -> None:
    r = grade(question, answer)
    assert r.verdict in ("correct", "partial", "wrong")
    assert 0.0 <= r.score <= 1.0
    assert "error" not in r.details, r.details
    if r.verdict == "wrong":
        assert r.score == 0.0
    elif r.verdict == "partial":
        assert 0.0 < r.score < 1.0
    else:
        assert r.score > 0.0
    assert isinstance(r.feedback, str) and r.feedback
    assert r.expected == question.expected_text()
    assert grade(question, answer) == r


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(QUESTIONS), texts)
def test_any_text_grades_without_error(question: AnyQuestion, answer: str) -> None:
    _consistent(question, answer)


def test_huge_and_odd_answers() -> None:
    odd = [
        "",
        " ",
        "\x00\x01\x1f",
        "骂" * 100_000,
        "不" * 5000 + "截图",
        "1" * 5000,
        "一" * 3000 + "万亿" * 500,
        "A" * 10_000,
        "．" * 1000,
        "\U0001f600" * 100,
        "%s" * 50,
        "|" * 100 + "\x01" * 100,
    ]
    for question in QUESTIONS:
        for answer in odd:
            _consistent(question, answer)
