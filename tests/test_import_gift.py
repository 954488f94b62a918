"""quiz import of Moodle GIFT files: every construct comes in as the matching type, and what has no
type here (matching, essay, descriptions) is reported by its line, never dropped silently."""

from __future__ import annotations

from pathlib import Path

import pytest

from quiz.cli import main
from quiz.loader import load_file
from quiz.model import Bank
from quiz.trainer.importers import ImportResult, import_file

GIFT = r"""// 评价规则题目, exported from Moodle
$CATEGORY: $course$/top/淘宝规则/评价规则

::评价期::买家有权在确认收货后多少天内评价？{
  ~7天#太短了
  =15天#对，交易成功后15天内
  ~30天
  ~90天
  ####评价期为交易成功后15天内。
}

::无法投诉::以下哪些情况无法发起恶意评价投诉？{
  ~%33.33333%双方评价后中差评未生效
  ~%33.33333%交易成功已超过15天
  ~%33.33333%买家给的是好评
  ~%-100%交易成功后第3天收到的恶意差评
}

// [id:malicious-deleted]
// [tag:恶意评价]
经核实属于恶意评价的，淘宝网会删除该条违规评价。{TRUE#不对，会删除#正确}

运费券的使用没有门槛。{F}

::应答率::应答率\=? 写出公式。{=接待量/咨询量 =应答率\=接待量/咨询量#完整公式 =%50%接待量 =%0%咨询量/接待量#反了}

::违约金::出售假冒商品被扣100分，违约金是多少元？{#1000000:0}

::评价期范围::评价期是多少天？{#14..16}

$CATEGORY: 运费/运费承担

::配对::把运费和承担方配对 {=质量问题 -> 商家 =人为损坏 -> 消费者}

::论述::写一段话说明如何处理差评。{}

这是一段说明文字，没有答案块。

::html::[html]<p>直通车按<b>什么</b>方式扣费&amp;计费？</p>{=按点击扣费 =点击扣费}

卖家发货后 {=48小时 ~72小时} 内需要填写物流单号。

::部分分单选::单选但有部分分 {=甲 ~%50%乙 ~丙}
"""


@pytest.fixture()
def imported(tmp_path: Path) -> tuple[ImportResult, Path]:
    src = tmp_path / "moodle.gift"
    src.write_text(GIFT, encoding="utf-8")
    return import_file(src), src


def line_of(text: str) -> int:
    return next(n for n, ln in enumerate(GIFT.splitlines(), 1) if text in ln)


def test_every_gift_construct(imported: tuple[ImportResult, Path]) -> None:
    res, _ = imported
    q = {x.id: x for x in res.questions}

    single = q["ping-jia-qi"]  # ::评价期:: in pinyin
    assert single.type == "single" and single.choices == ["7天", "15天", "30天", "90天"] and single.answer == "B"
    assert single.topic == "评价规则"  # the last part of $CATEGORY
    assert single.explanation is not None
    assert single.explanation.startswith("评价期为交易成功后15天内。")  # general feedback first
    assert "太短了" in single.explanation and "对，交易成功后15天内" in single.explanation

    multi = q["wu-fa-tou-su"]
    assert multi.type == "multi" and multi.answer == ["A", "B", "C"] and multi.scoring == "partial"

    judge = q["malicious-deleted"]  # // [id:...] names the question
    assert judge.type == "judge" and judge.answer is True and judge.tags == ["恶意评价"]
    assert judge.explanation is not None and "正确" in judge.explanation and "不对，会删除" in judge.explanation
    false = next(x for x in res.questions if x.prompt == "运费券的使用没有门槛。")
    assert false.type == "judge" and false.answer is False

    short = q["ying-da-lv"]
    assert short.type == "short"
    assert short.prompt == "应答率=? 写出公式。"  # \= is an escaped =
    assert short.answers == ["接待量/咨询量", "应答率=接待量/咨询量"]  # the 50% answer is not accepted
    assert "完整公式" in (short.explanation or "")
    assert short.reject == ["咨询量/接待量"]  # a 0% answer is a known wrong one: its feedback, and a reject
    assert "咨询量/接待量: 反了" in (short.explanation or "")

    fine = q["wei-yue-jin"]
    assert fine.type == "numeric" and fine.answer == 1_000_000 and fine.tolerance == 0
    window = q["ping-jia-qi-fan-wei"]
    assert window.type == "numeric" and window.answer == 15 and window.tolerance == 1  # 14..16

    html = q["html"]
    assert html.prompt == "直通车按什么方式扣费&计费？" and html.topic == "运费承担"
    blank = next(x for x in res.questions if x.prompt.startswith("卖家发货后"))
    assert blank.prompt == "卖家发货后 ____ 内需要填写物流单号。" and blank.type == "single"

    partial_single = q["bu-fen-fen-dan-xuan"]
    assert partial_single.type == "single" and partial_single.answer == "A"


def test_what_cannot_come_in_is_reported_by_line(imported: tuple[ImportResult, Path]) -> None:
    res, src = imported
    by_line = {i.line: i.message for i in res.issues}
    assert "matching" in by_line[line_of("::配对::")]
    assert "essay" in by_line[line_of("::论述::")]
    assert "description" in by_line[line_of("这是一段说明文字")]
    assert "'接待量' (50%) dropped" in by_line[line_of("::应答率::")]
    assert "乙" in by_line[line_of("::部分分单选::")] and "dropped" in by_line[line_of("::部分分单选::")]
    assert len(res.issues) == 5
    assert res.found == len(res.questions) + 3
    assert all(str(i).startswith(f"{src}:") for i in res.issues)


def test_gift_output_validates_and_cli_exits_1_for_skipped(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "moodle.gift"
    src.write_text(GIFT, encoding="utf-8")
    out = tmp_path / "moodle.yaml"
    assert main(["import", str(src), "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert f"{src}:{line_of('::配对::')}: skipped: matching" in err
    res = load_file(out, use_cache=False)
    assert res.problems == [] and isinstance(res.document, Bank)
    assert len(res.document.questions) == 10


def test_a_clean_gift_file_exits_0(tmp_path: Path) -> None:
    src = tmp_path / "clean.txt"
    src.write_text("::q1:: 1+1=2? {T}\n\n::q2:: 两个选项 {=甲 ~乙}\n", encoding="utf-8")
    out = tmp_path / "clean.yaml"
    assert main(["import", str(src), "-o", str(out)]) == 0
    assert [q.id for q in import_file(src).questions] == ["q1", "q2"]


def test_gift_in_gbk_and_questions_without_blank_lines(tmp_path: Path) -> None:
    src = tmp_path / "gbk.gift"
    src.write_bytes("::甲::第一题 {T}\n::乙::第二题 {=对 ~错}\n".encode("gbk"))
    res = import_file(src)
    assert [q.id for q in res.questions] == ["jia", "yi"] and res.complete
