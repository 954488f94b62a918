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
