"""Text measured in cells, charts and answer display: the pieces that make Chinese text line up."""

from __future__ import annotations

from datetime import date, timedelta

from rich.cells import cell_len

from quiz.model import MultiQuestion, SingleQuestion
from tui.widgets.charts import columns, hbars, heatmap
from tui.widgets.feedback import answer_display
from tui.widgets.text import bar, clip, duration, fit, meter


def test_fit_pads_and_cuts_by_cells_not_characters() -> None:
    assert fit("发货规则", 10) == "发货规则  "
    cut = fit("评价规则与恶意评价", 9)
    assert cell_len(cut) == 9 and cut.endswith("…")
    assert cell_len(fit("a发b货c", 5)) == 5
    for width in range(1, 14):
        assert cell_len(fit("纠纷处理与维权 dispute", width)) == width


def test_clip_never_exceeds_the_width() -> None:
    assert clip("短", 10) == "短"
    for width in range(2, 20):
        assert cell_len(clip("买家付款后，卖家一般应在多少小时内发货？", width)) <= width


def test_bars_and_meters_are_exactly_as_wide_as_asked() -> None:
    for f in (0, 0.01, 0.33, 0.5, 0.999, 1, 1.7, -1):
        assert cell_len(bar(f, 20)) == 20
        assert meter(f, 20).cell_len == 20
    assert bar(1, 4) == "████" and bar(0, 4) == "    "


def test_duration() -> None:
    assert duration(0) == "00:00" and duration(599.9) == "09:59" and duration(3725) == "1:02:05"
    assert duration(-5) == "00:00"


def test_heatmap_rows_line_up_and_mark_busy_days() -> None:
    today = date(2026, 11, 27)
    per_day = {today - timedelta(days=i): i % 4 for i in range(60)}
    lines = heatmap(per_day, today, weeks=10).plain.splitlines()
    day_rows = lines[1:8]
    assert len(day_rows) == 7
    assert len({cell_len(r.rstrip()) for r in day_rows[:4]}) == 1  # weeks line up whatever the weekday label
    assert heatmap({}, today).plain.count("■") > 0


def test_column_chart_and_bars_show_no_data_plainly() -> None:
    assert "暂无数据" in columns([0, 0, 0], ["a", "b", "c"]).plain
    wide = columns([0, 3, 6], ["一", "二", "三"], height=4, every=1, width=20).plain.splitlines()
    assert wide[0].startswith("6┤") and wide[-1].split() == ["一", "二", "三"]
    narrow = columns([0, 3, 6], ["一", "二", "三"], height=4, every=1).plain.splitlines()
    assert narrow[-1].split() == ["一"]  # no room: labels are dropped, never run together
    text = hbars([("发货规则", 0.5, "50%"), ("客服", None, "0/3")]).plain
    assert "暂无数据" in text and "50%" in text


def test_answer_display_names_the_chosen_choices() -> None:
    single = SingleQuestion(id="q", type="single", prompt="p", choices=["24小时", "48小时"], answer="B")
    multi = MultiQuestion(id="m", type="multi", prompt="p", choices=["甲", "乙", "丙"], answer=["A", "C"])
    assert answer_display(single, "b") == "B. 48小时"
    assert answer_display(multi, "A、C") == "A. 甲；C. 丙"
    assert answer_display(single, "48小时") == "48小时"  # typed text stays as typed


def test_a_long_choice_wraps_under_its_own_text() -> None:
    from rich.console import Console

    from tui.widgets.answer import ChoicePad

    long = "卖家表示之前跟买家有交易纠纷,怀疑买家现在为了报复要给差评,拒绝发货"
    pad = ChoicePad(["按时发货", long], kind="single")
    console = Console(width=40, record=True, color_system=None)
    console.print(pad.render())
    lines = [ln.rstrip() for ln in console.export_text().splitlines() if ln.strip()]
    assert lines[0].endswith("A. 按时发货") and "B. 卖家" in lines[1]
    indent = cell_len(lines[1][: lines[1].index("卖家")])
    assert len(lines) >= 3  # it wrapped
    for cont in lines[2:]:
        assert cell_len(cont) - cell_len(cont.lstrip()) == indent  # continuation lines start under the text
    assert "".join(ln.strip() for ln in lines[2:]) in long


# -- Chinese line breaking ------------------------------------------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from tui.widgets.wrap import CLOSING, OPENING, _longest_piece, wrap_offsets  # noqa: E402

PIECES = ["买家", "卖家", "应在", "48", "小时", "内发货", "。", "，", "、", "；", "：", "？", "」", "）", "》", "「", "（", "《",
          " ", "15", "天", "37 题", "0 分", "10 分钟", "OK", "Ctrl+S", "评价"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), min_size=1, max_size=40), st.integers(min_value=6, max_value=60))
def test_no_line_starts_with_closing_punctuation_or_ends_with_opening(pieces: list[str], width: int) -> None:
    text = "".join(pieces)
    lines = [text[a:b] for a, b in wrap_offsets(text, width)]
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")  # nothing lost but spaces at breaks
    if _longest_piece(text) > width:
        return  # a run that may not be broken is wider than the line: it is cut by the cell
    for i, line in enumerate(lines):
        assert cell_len(line) <= width or len(line) == 1 or not any(c in CLOSING | OPENING for c in line)
        if i and line and len(lines[i - 1]) > 1 and cell_len(lines[i - 1]) + cell_len(line[:1]) <= width:
            assert line[0] not in CLOSING, (lines, width)  # never pushed to a new line alone
        if i + 1 < len(lines) and line and len(line) > 1:
            assert line[-1] not in OPENING, (lines, width)


def test_numbers_stay_with_their_measure_words() -> None:
    feedback = "出现了不应有的做法：辱骂买家，本题 0 分；要点已答到：安抚情绪；缺少：核实情况、给出方案。"
    for width in range(14, 80):
        lines = [feedback[a:b] for a, b in wrap_offsets(feedback, width)]
        assert any("0 分" in ln for ln in lines), (width, lines)
        assert not any(ln.startswith(("。", "，", "；", "、", "：")) for ln in lines), (width, lines)
    rating = "下次复习：10 分钟后"
    for width in range(8, 20):
        assert any("10 分钟" in rating[a:b] for a, b in wrap_offsets(rating, width))
    dialog = "还有 37 题未答"
    for width in range(9, 16):
        assert any("37 题" in dialog[a:b] for a, b in wrap_offsets(dialog, width))


def test_a_no_break_space_holds_a_mark_to_its_word() -> None:
    legend = "■\u00a0answered  □\u00a0blank  ⚑\u00a0flagged"
    lines = [legend[a:b] for a, b in wrap_offsets(legend, 22)]
    assert lines == ["■\u00a0answered  □\u00a0blank", "⚑\u00a0flagged"]


def test_a_kept_range_is_not_broken_inside_unless_wider_than_the_line() -> None:
    row = "评分（按 1-4 修改）： 1 重来   2 困难   3 良好   4 简单     下次复习：10 分钟后"
    kept = (row.index("下次复习"), len(row))
    for width in range(20, len(row) + 4):
        lines = [row[a:b] for a, b in wrap_offsets(row, width, [kept])]
        assert any(ln.endswith("下次复习：10 分钟后") for ln in lines), (width, lines)
    lines = [row[a:b] for a, b in wrap_offsets(row, 6, [kept])]  # wider than the line: cut by the cell
    assert "".join(lines).replace(" ", "") == row.replace(" ", "")


def test_a_paragraph_renders_wrapped_with_its_styles() -> None:
    from rich.console import Console
    from rich.text import Text

    from tui.widgets.wrap import Paragraph

    text = Text()
    text.append("解析：", style="bold")
    text.append("投诉须在交易成功后 0-15 天内提出，逾期无法投诉。")
    console = Console(width=20, record=True, color_system=None)
    console.print(Paragraph(text))
    assert console.export_text().splitlines() == ["解析：投诉须在交易成", "功后 0-15 天内提出，", "逾期无法投诉。"]
    segments = list(console.render(Paragraph(text), console.options))
    assert any(seg.text == "解析：" and seg.style is not None and seg.style.bold for seg in segments)


# -- feedback ------------------------------------------------------------------------------------

from quiz.grading.result import GradeResult  # noqa: E402
from quiz.model import JudgeQuestion, ScenarioQuestion  # noqa: E402
from tui import i18n  # noqa: E402
from tui.widgets.feedback import feedback_renderable, grader_note, spans_of  # noqa: E402


def _render(renderable: object, width: int = 100) -> str:
    from rich.console import Console

    console = Console(width=width, record=True, color_system=None)
    console.print(renderable)
    return console.export_text()


SCENARIO = ScenarioQuestion.model_validate({
    "id": "angry", "type": "scenario", "prompt": "买家威胁给差评，你会怎么处理？", "topic": "纠纷处理",
    "keypoints": [{"point": "安抚情绪", "any": ["道歉", "安抚"]}, {"point": "核实情况", "any": ["核实", "拍照"]}],
    "forbidden": [{"point": "辱骂买家", "any": ["骂"]}],
    "sample_answer": "先道歉安抚，再请买家拍照核实。", "explanation": "先处理情绪，再处理事情。",
    "source": "客服培训手册", "as_of": "2024-09-01",
})


def test_spans_mark_up_the_answer_with_a_legend_and_replace_the_labels() -> None:
    answer = "我先道款安抚，不核实，然后骂他"
    result = GradeResult(
        verdict="wrong", score=0.0, feedback="出现了不应有的做法。", expected=SCENARIO.expected_text(),
        found=("安抚情绪",), missed=("核实情况",), violations=("辱骂买家",),
        details={"spans": [[2, 4, "typo", "安抚情绪"], [4, 6, "matched", "安抚情绪"], [8, 10, "negated", "核实情况"],
                           [13, 14, "violation", "辱骂买家"]]},
    )
    spans = spans_of(result, answer)
    assert [(s, e, k) for s, e, k, _ in spans] == [(2, 4, "typo"), (4, 6, "matched"), (8, 10, "negated"), (13, 14, "violation")]
    from rich.console import Group

    group = feedback_renderable(SCENARIO, result, answer)
    assert isinstance(group, Group)
    answer_line = group.renderables[1].text  # type: ignore[attr-defined]
    styles = {answer_line.plain[sp.start:sp.end]: str(sp.style) for sp in answer_line.spans}
    assert styles["道款"] == "bold yellow underline" and styles["安抚"] == "bold green underline"
    assert styles["核实"] == "dim strike" and styles["骂"] == "bold white on red"
    text = _render(group)
    assert "你的答案：我先道款安抚，不核实，然后骂他" in text
    assert "错字已原谅" in text and "答到" in text and "被否定，不算" in text and "不当做法" in text  # the legend
    assert "答到的要点" not in text  # the spans say it: not listed again
    assert "漏掉的要点：核实情况" in text  # what is missing cannot be marked in the answer
    assert "参考答案：先道歉安抚，再请买家拍照核实。" in text and "正确答案" not in text


def test_without_spans_the_key_points_are_listed_by_label() -> None:
    result = GradeResult(verdict="partial", score=0.5, feedback="要点已答到：安抚情绪；缺少：核实情况。",
                         expected=SCENARIO.expected_text(), found=("安抚情绪",), missed=("核实情况",))
    text = _render(feedback_renderable(SCENARIO, result, "我会道歉"))
    assert "答到的要点：安抚情绪" in text and "漏掉的要点：核实情况" in text
    assert "要点已答到" not in text  # a scenario's note sums up the lists: said once
    assert "得分 50%" in text


def test_key_points_holding_a_list_mark_are_parted_so_each_can_be_told_apart() -> None:
    found = ("识别异常订单、有组织的恶意买家", "保留证据（聊天记录、通话记录）")
    missed = ("每一单都及时向平台投诉、申请平台介入",)
    result = GradeResult(verdict="partial", score=0.5, feedback="", expected=SCENARIO.expected_text(), found=found, missed=missed)
    text = _render(feedback_renderable(SCENARIO, result, "我会留证据"), width=200)
    assert "答到的要点：识别异常订单、有组织的恶意买家；保留证据（聊天记录、通话记录）" in text
    assert "漏掉的要点：每一单都及时向平台投诉、申请平台介入" in text
    i18n.set_language("en")
    try:
        text = _render(feedback_renderable(SCENARIO, result, "我会留证据"), width=200)
    finally:
        i18n.set_language("zh")
    assert "Key points found: 识别异常订单、有组织的恶意买家; 保留证据（聊天记录、通话记录）" in text


def test_malformed_spans_are_not_drawn() -> None:
    bad = GradeResult(verdict="wrong", score=0.0, feedback="", details={"spans": [[0, 99, "matched"], [2, 1, "typo"],
                                                                             ["a", 2, "matched"], [0, 2, "sparkle"], "x"]})
    assert spans_of(bad, "道歉") == []
    overlapping = GradeResult(verdict="wrong", score=0.0, feedback="", details={"spans": [[0, 2, "matched"], [1, 2, "typo"]]})
    assert [s[:3] for s in spans_of(overlapping, "道歉")] == [(0, 2, "matched")]


def test_judge_feedback_cannot_be_misread_and_the_rule_date_is_shown() -> None:
    q = JudgeQuestion(id="j", type="judge", prompt="买家给出中评后不能再修改为好评。", answer=False,
                      source="《淘宝网评价规范》", as_of="2024")
    result = GradeResult(verdict="wrong", score=0.0, feedback="错误：这句话是错的。", expected="错", nearest="对")
    text = _render(feedback_renderable(q, result, "对", key_shown=True))
    assert "正确答案：错（这个说法不对）" in text
    assert "这句话是错的" not in text  # the grader's ambiguous note is not shown for 判断
    assert "出处：《淘宝网评价规范》（规则日期：2024）" in text
    i18n.set_language("en")
    try:
        text = _render(feedback_renderable(q, result, "对", key_shown=True))
        assert "Right answer: False (the statement is wrong)" in text
        assert "Source: 《淘宝网评价规范》 (rule as of 2024)" in text
    finally:
        i18n.set_language("zh")


def test_a_choice_is_not_repeated_where_the_choices_show_it() -> None:
    single = SingleQuestion(id="q", type="single", prompt="p", choices=["24小时", "48小时"], answer="B")
    result = GradeResult(verdict="wrong", score=0.0, feedback="你选的是 A. 24小时，不对。正确答案：B. 48小时",
                         expected="B. 48小时", nearest="A. 24小时")
    on_study = _render(feedback_renderable(single, result, "A", show_answer=False, key_shown=True))
    assert "B. 48小时" not in on_study and "A. 24小时" not in on_study  # the marked choices say it
    in_review = _render(feedback_renderable(single, result, "A"))
    assert in_review.count("B. 48小时") == 1 and "你的答案：A. 24小时" in in_review


def test_a_closing_restatement_of_the_answer_is_cut_from_the_grader_note() -> None:
    assert grader_note("数值不对：你答 16，大了。正确答案：15天", "15天") == "数值不对：你答 16，大了。"
    assert grader_note("正确：15天", "15天") == ""
    # the nearest accepted answer, when it is the right answer shown on its own line, is not said twice
    assert grader_note("错误。最接近的标准答案：举证号码", "举证号码") == "错误。"
    assert grader_note("Wrong. Nearest accepted answer: 举证号码", "举证号码") == "Wrong."
    assert grader_note("错误。最接近的标准答案：接待量/咨询量", "举证号码") == "错误。最接近的标准答案：接待量/咨询量"
    assert grader_note("Wrong: 16 is too large. Right answer: 15天", "15天") == "Wrong: 16 is too large."
    # an English note ends as English does, also when it quotes Chinese
    assert grader_note("Wrong: closer to the wrong answer “咨询量/接待量”. Expected: 接待量/咨询量", "接待量/咨询量") == (
        "Wrong: closer to the wrong answer “咨询量/接待量”."
    )
    assert grader_note("错误：与错误答案「咨询量/接待量」更接近。参考答案：接待量/咨询量", "接待量/咨询量") == (
        "错误：与错误答案「咨询量/接待量」更接近。"
    )


def test_a_single_exam_score_is_a_whole_column_on_a_whole_axis() -> None:
    lines = columns([25], ["25"], height=8, every=1, width=30, top=100).plain.splitlines()
    assert lines[0].startswith("100┤")
    assert any("█" in ln or "▂" in ln for ln in lines[:-2])  # the one attempt is visible
    assert lines[-1].split() == ["25"]
    drawn = [ln for ln in lines[:-2] if "█" in ln]
    assert drawn and all(ln.count("█") <= 6 for ln in drawn)  # a column, not a band across the chart
    assert not any("." in ln for ln in lines)  # no fractional axis
