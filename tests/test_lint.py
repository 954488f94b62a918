"""quiz lint finds each planted problem, at the line of the question, and leaves a good question alone."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from quiz.cli import main
from quiz.trainer.lint import LintWarning, lint_paths

THIS_YEAR = datetime.date.today().year

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
    as_of: {this_year}

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
    as_of: {this_year}
  - id: ad-words
    type: judge
    prompt: 商品标题可以使用“全网最低价”。
    answer: false
    explanation: 广告法禁止最高级用语。
    source: 广告法
    as_of: {this_year}
"""

BANK_A = BANK_A.replace("{this_year}", str(THIS_YEAR))
BANK_B = BANK_B.replace("{this_year}", str(THIS_YEAR))

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

    # free-text questions without calibration examples; a 判断 needs none
    assert len(by(w, "shop-rules/formula", "no-examples")) == 1
    assert len(by(w, "shop-rules/reply", "no-examples")) == 1
    assert by(w, "shop-rules/bare", "no-examples") == []

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
    kept = BANK_B.split(f"    source: 淘宝网评价规范\n    as_of: {THIS_YEAR}\n")[1]
    (clean / "c.yaml").write_text(BANK_B.split("  - id: window")[0] + kept,
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

    report = lint_paths([SHIPPED_BANKS], today=datetime.date(2026, 12, 1))  # the day the banks were last dated
    assert report.valid
    assert not [w for w in report.warnings if "grader failed" in w.message]
    # every check is clean: dated, sourced, families of at most 3, balanced 判断, believable distractors,
    # Chinese punctuation, calibration examples on every free-text question
    assert [str(w) for w in report.warnings] == []


def test_shipped_banks_write_chinese_punctuation_in_what_the_learner_reads() -> None:
    from quiz.loader import load_paths
    from quiz.trainer.lint import half_width_spots
    from tests.conftest import SHIPPED_BANKS

    lib, _ = load_paths([SHIPPED_BANKS], use_cache=False)
    bad = []
    for it in lib:
        q = it.question
        for text in [q.prompt, q.explanation or "", q.source or "", *getattr(q, "choices", [])]:
            bad += [f"{it.qid}: {spot!r}" for spot in half_width_spots(text)]
    descriptions = [b.description or "" for b in lib.banks.values()] + [e.description or "" for e in lib.exams.values()]
    bad += [f"description: {spot!r}" for t in descriptions for spot in half_width_spots(t)]
    assert bad == []


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


# --- what makes a bank teach: dates, distractors, balance, families, punctuation ------------------

TEACHING = """\
bank: teaching
title: 教学检查
questions:
  - id: dated
    type: judge
    prompt: 恶意评价的评价人每次扣12分。
    answer: true
    explanation: 规则原文。
    source: 恶意评价规则
    as_of: 2015
    family: deduction
  - id: undated
    type: judge
    prompt: 恶意评价会被删除。
    answer: true
    explanation: 规则原文。
    source: 恶意评价规则
    family: deduction
  - id: half-width
    type: judge
    prompt: 评价人每次扣几分?扣12分,对吗
    answer: true
    explanation: 规则原文（每次扣12分）。
    source: 恶意评价规则：「每次扣除十二分」
    as_of: {this_year}
    family: deduction
  - id: sibling
    type: judge
    prompt: 扣分扣在评价人身上。
    answer: true
    explanation: 规则原文。
    source: 恶意评价规则
    as_of: {this_year}
    family: deduction
  - id: one-distractor
    type: multi
    prompt: 以下哪些是恶意评价投诉的证据？
    choices: [旺旺聊天截图, 发货快递单截图, 店铺销量截图]
    answer: [A, B]
    explanation: 销量证明不了什么。
    source: 恶意评价解读
    as_of: {this_year}
  - id: two-distractors
    type: multi
    prompt: 以下哪些是恶意评价投诉的证据？（二）
    choices: [旺旺聊天截图, 发货快递单截图, 店铺销量截图, 其他买家的好评截图]
    answer: [A, B]
    explanation: 销量和别人的好评都证明不了什么。
    source: 恶意评价解读
    as_of: {this_year}
""".replace("{this_year}", str(THIS_YEAR))


def test_teaching_checks_find_each_planted_problem(tmp_path: Path) -> None:
    (tmp_path / "t.yaml").write_text(TEACHING, encoding="utf-8")
    w = lint_paths([tmp_path], today=datetime.date(2026, 12, 1)).warnings

    old = by(w, "teaching/dated", "outdated")
    assert len(old) == 1 and "as_of 2015 is 12 years old (more than 10)" in old[0].message
    assert by(w, "teaching/undated", "no-as-of") and not by(w, "teaching/dated", "no-as-of")

    punct = by(w, "teaching/half-width", "half-width-punct")
    assert len(punct) == 1 and "prompt ×2" in punct[0].message
    assert "source" not in punct[0].message and "explanation" not in punct[0].message  # full-width there

    assert by(w, "teaching/one-distractor", "few-distractors")
    assert not by(w, "teaching/two-distractors", "few-distractors")

    family = [x for x in w if x.code == "family-size"]
    assert len(family) == 1 and family[0].qid == "teaching/dated" and "family deduction has 4 questions" in family[0].message

    balance = [x for x in w if x.code == "judge-balance"]
    assert len(balance) == 1 and balance[0].qid == "teaching" and "4 true / 0 false" in balance[0].message
    assert balance[0].line == 1  # the bank: line

    # a younger limit flags more; a trainer who keeps a dated rule on purpose says so on its id line
    assert not by(lint_paths([tmp_path], today=datetime.date(2026, 12, 1), max_age_years=12).warnings,
                  "teaching/dated", "outdated")
    (tmp_path / "t.yaml").write_text(TEACHING.replace("- id: dated", "- id: dated  # lint: ignore outdated"),
                                     encoding="utf-8")
    assert not by(lint_paths([tmp_path], today=datetime.date(2026, 12, 1)).warnings, "teaching/dated", "outdated")


def test_judge_balance_tolerates_a_near_even_split(tmp_path: Path) -> None:
    text = TEACHING.replace("prompt: 扣分扣在评价人身上。\n    answer: true", "prompt: 扣分扣在卖家身上。\n    answer: false")
    text = text.replace("prompt: 恶意评价会被删除。\n    answer: true", "prompt: 恶意评价会被保留。\n    answer: false")
    (tmp_path / "t.yaml").write_text(text, encoding="utf-8")
    assert not [x for x in lint_paths([tmp_path]).warnings if x.code == "judge-balance"]  # 2 true / 2 false


def test_max_age_years_option(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "t.yaml").write_text(TEACHING.replace("as_of: 2015", f"as_of: {THIS_YEAR - 3}"), encoding="utf-8")
    assert main(["lint", str(tmp_path)]) == 0
    assert "outdated" not in capsys.readouterr().err
    main(["lint", "--max-age-years", "2", str(tmp_path)])
    out = capsys.readouterr()
    assert f"teaching/dated: as_of {THIS_YEAR - 3} is" in out.out and "1 outdated" in out.err


def test_an_exam_that_cannot_draw_distinct_families_is_invalid(tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "t.yaml").write_text(TEACHING, encoding="utf-8")
    (tmp_path / "e.yaml").write_text("exam: e\ntitle: 判断\ntime_limit_minutes: 5\npass_score: 1\nsections:\n"
                                     "  - title: 判断\n    types: [judge]\n    count: 2\n    points: 1\n",
                                     encoding="utf-8")
    report = lint_paths([tmp_path])
    assert not report.valid
    assert "asks for 2 questions but its filters find only 1 (of 4 questions" in report.problems[0].message
    assert main(["lint", str(tmp_path)]) == 1
    assert "questions of one family count once" in capsys.readouterr().out
