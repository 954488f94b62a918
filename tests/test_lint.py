"""quiz lint finds each planted problem, at the line of the question, and leaves a good question alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from quiz.cli import main
from quiz.trainer.lint import LintWarning, lint_paths

BANK_A = """\
bank: shop-rules
title: 店铺规则
questions:
  - id: good
    type: single
    prompt: 买家有权在确认收货后多少个自然日内对交易进行评价？
    choices: [7天, 15天, 30天, 90天]
    answer: B
    explanation: 评价期为交易成功后15天内。
    source: 淘宝网评价规范

  - id: review-window-copy
    type: single
    prompt: 买家有权在确认收货后多少个自然日内对交易进行评价?
    choices: [7天, 15天, 30天, 90天]
    answer: B
    explanation: 同上。
    source: 淘宝网评价规范

  - id: same-options
    type: single
    prompt: 发起恶意评价投诉后，淘宝网官方会在几个工作日内给予证实？
    choices: [3个工作日, 三个工作日, 7个工作日]
    answer: A
    explanation: 三个工作日内。
    source: 恶意评价解读

  - id: tick-everything
    type: multi
    prompt: 以下哪些属于恶意评价需要的证据？
    choices: [阿里旺旺聊天截图, 电话录音, 物流凭证]
    answer: [A, B, C]
    explanation: 都可以作为证据。
    source: 恶意评价解读

  - id: bare
    type: judge
    prompt: 恶意评价超出5例的买家账号可能被查封。
    answer: true

  - id: formula
    type: short
    prompt: 应答率怎么计算？
    answers: [接待量/咨询量]
    reject: [接待量/咨询量。]
    explanation: 应答率=接待量/咨询量。
    source: 淘宝考试练习题

  - id: reply
    type: scenario
    prompt: 买家在评价里辱骂客服，你怎么回应？
    keypoints:
      - point: 解释
        any: [解释原因, 说明情况]
      - point: 回应
        any: [骂回去, 公开回复]
    forbidden:
      - point: 辱骂买家
        any: [骂]
    explanation: 冷静回复。
    source: 客服规范
"""

BANK_B = """\
bank: other-rules
title: 另一题库
questions:
  - id: window
    type: single
    prompt: 买家有权在确认收货后多少个自然日内对交易进行评价
    choices: [7天, 15天, 30天, 90天]
    answer: B
    explanation: 15天。
    source: 淘宝网评价规范
  - id: ad-words
    type: judge
    prompt: 商品标题可以使用“全网最低价”。
    answer: false
    explanation: 广告法禁止最高级用语。
    source: 广告法
"""

EXAM = """\
exam: singles-only
title: 单选测验
time_limit_minutes: 10
pass_score: 1
sections:
  - title: 单选题
    types: [single]
    banks: [shop-rules]
    count: 2
    points: 1
"""


@pytest.fixture()
def banks(tmp_path: Path) -> Path:
    (tmp_path / "a.yaml").write_text(BANK_A, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(BANK_B, encoding="utf-8")
    (tmp_path / "exams").mkdir()
    (tmp_path / "exams" / "quiz.yaml").write_text(EXAM, encoding="utf-8")
    return tmp_path


def by(warnings: list[LintWarning], qid: str, code: str) -> list[LintWarning]:
    return [w for w in warnings if w.qid == qid and w.code == code]


def id_line(text: str, qid: str) -> int:
    return next(n for n, ln in enumerate(text.splitlines(), 1) if ln.strip() in (f"- id: {qid}", f"id: {qid}"))


def test_each_planted_problem_is_found(banks: Path) -> None:
    report = lint_paths([banks])
    assert report.valid and report.questions == 9
    w = report.warnings

    dup = by(w, "shop-rules/review-window-copy", "near-duplicate")
    assert len(dup) == 1 and "shop-rules/good" in dup[0].message
    across = by(w, "other-rules/window", "near-duplicate")
    assert len(across) == 1 and "shop-rules/" in across[0].message  # across banks

    same = by(w, "shop-rules/same-options", "repeated-choice")
    assert len(same) == 1 and "options A and B" in same[0].message

    assert len(by(w, "shop-rules/tick-everything", "multi-all-choices")) == 1

    assert len(by(w, "shop-rules/bare", "no-explanation")) == 1
    assert len(by(w, "shop-rules/bare", "no-source")) == 1

    confused = by(w, "shop-rules/formula", "grader-confusion")
    assert confused and any("接待量/咨询量" in x.message for x in confused)
    forbidden = by(w, "shop-rules/reply", "grader-confusion")
    assert len(forbidden) == 1 and "骂回去" in forbidden[0].message and "辱骂买家" in forbidden[0].message

    # the exam draws only 单选 from shop-rules: the other questions can never be drawn
    never = {x.qid for x in w if x.code == "never-drawn"}
    assert "shop-rules/bare" in never and "shop-rules/tick-everything" in never
    assert "shop-rules/good" not in never
    assert "other-rules" in never  # a whole bank: one warning naming the bank, not one per question

    # a good question gets no warning at all
    assert [x for x in w if x.qid == "shop-rules/good"] == []


def test_warnings_point_at_the_question_line(banks: Path) -> None:
    report = lint_paths([banks])
    for w in report.warnings:
        if w.qid == "other-rules":
            assert w.line == 1
            continue
        path = Path(w.path)
        qid = w.qid.split("/")[1]
        assert w.line == id_line(path.read_text(encoding="utf-8"), qid), str(w)
        assert str(w).startswith(f"{path}:{w.line}: {w.qid}: ")


def test_without_exams_nothing_is_reported_as_never_drawn(banks: Path) -> None:
    report = lint_paths([banks / "a.yaml", banks / "b.yaml"])
    assert not [w for w in report.warnings if w.code == "never-drawn"]


def test_cli_exit_codes(banks: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lint", str(banks)]) == 0  # warnings alone
    out = capsys.readouterr()
    assert f"{banks / 'a.yaml'}:{id_line(BANK_A, 'bare')}: shop-rules/bare: no explanation" in out.out
    assert "near-duplicate" in out.err  # the summary
    assert main(["lint", "--strict", str(banks)]) == 1

    clean = banks / "clean"
    clean.mkdir()
    (clean / "c.yaml").write_text(BANK_B.split("  - id: window")[0] + BANK_B.split("    source: 淘宝网评价规范\n")[1],
                                  encoding="utf-8")
    assert main(["lint", "--strict", str(clean)]) == 0
    capsys.readouterr()

    bad = banks / "bad.yaml"
    bad.write_text(BANK_B.replace("answer: B", "anwser: B"), encoding="utf-8")
    assert main(["lint", str(bad)]) == 1
    assert "anwser" in capsys.readouterr().out

    assert main(["lint", str(banks / "nope.yaml")]) == 2
    assert "no such file" in capsys.readouterr().err


def test_shipped_banks_lint_without_error() -> None:
    from tests.conftest import SHIPPED_BANKS

    report = lint_paths([SHIPPED_BANKS])
    assert report.valid
    assert not [w for w in report.warnings if "grader failed" in w.message]


def test_playground_revisions_validate_like_a_bank() -> None:
    from quiz.grading import grade
    from quiz.model import ScenarioQuestion, ShortQuestion
    from quiz.trainer.lint import grader_confusions, keypoints_text, revise_question

    q = ShortQuestion.model_validate({"id": "a", "type": "short", "prompt": "直通车按什么扣费？",
                                      "answers": ["按点击扣费"]})
    tuned = revise_question(q, {"reject": ["按展示扣费"]})
    assert grade(tuned, "按展示扣费").verdict == "wrong"
    with pytest.raises(ValueError, match="both an accepted answer and in reject"):
        revise_question(q, {"reject": ["按点击扣费"]})
    with pytest.raises(ValueError, match="answers"):
        revise_question(q, {"answers": []})

    s = ScenarioQuestion.model_validate({"id": "s", "type": "scenario", "prompt": "p",
                                         "keypoints": [{"point": "回应", "any": ["骂回去", "解释"], "weight": 2}],
                                         "forbidden": [{"point": "辱骂", "any": ["骂"]}]})
    text = keypoints_text(s.keypoints)
    assert text == "回应*2: 骂回去|解释"
    assert grader_confusions(s)  # '骂回去' counts as the forbidden 骂
    fixed = revise_question(s, {"keypoints": text.replace("骂回去|", "")})
    assert fixed.keypoints[0].any == ["解释"] and fixed.keypoints[0].weight == 2
    assert grader_confusions(fixed) == []


def test_a_lint_ignore_comment_turns_a_check_off(banks: Path) -> None:
    a = banks / "a.yaml"
    a.write_text(
        BANK_A.replace("- id: review-window-copy", "- id: review-window-copy  # lint: ignore near-duplicate")
        .replace("- id: bare", "- id: bare # lint: ignore"),
        encoding="utf-8",
    )
    b = banks / "b.yaml"
    b.write_text(BANK_B.replace("bank: other-rules", "bank: other-rules  # lint: ignore never-drawn, near-duplicate"),
                 encoding="utf-8")
    w = lint_paths([banks]).warnings
    assert not by(w, "shop-rules/review-window-copy", "near-duplicate")
    assert not [x for x in w if x.qid == "shop-rules/bare"]
    assert not [x for x in w if x.qid.startswith("other-rules")]
    assert by(w, "shop-rules/tick-everything", "multi-all-choices")  # the others still speak
