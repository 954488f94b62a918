"""The grader's markup of a free-text answer (``GradeResult.details["spans"]``, see quiz/grading/result.py):
which words of the answer, exactly as typed, made a key point, were forgiven a slip, were negated or
broke a rule; and the study screen drawing them."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from textual import events
from textual.widgets import TextArea

from quiz.grading import grade, lexicon, semantics
from quiz.grading.normalize import analyse, source_map
from quiz.loader import load_paths
from quiz.model import AnyQuestion
from tests.tui_support import build_app, screen_text, settle
from tui.app import Start
from tui.screens.study import StudyScreen
from tui.widgets.feedback import SPAN_STYLE, FeedbackPanel

BANKS = Path(__file__).resolve().parent.parent / "banks"
LIBRARY, _PROBLEMS = load_paths([BANKS], use_cache=False)
QUESTIONS: dict[str, AnyQuestion] = {it.qid: it.question for it in LIBRARY}
KINDS = set(SPAN_STYLE)


def marked(qid: str, answer: str) -> tuple[str, list[tuple[str, str, str]]]:
    """The verdict and each span as (the answer's text it covers, kind, label)."""
    r = grade(QUESTIONS[qid], answer)
    return r.verdict, [(answer[s:e], kind, label) for s, e, kind, label in r.details.get("spans", [])]


# --- where normalisation puts each character -------------------------------------------------------


def test_source_map_follows_full_width_forms_numerals_and_dropped_punctuation() -> None:
    raw = "１．先核实订单。二、三十天内补发，别骂买家"
    flat = analyse(raw).flat
    assert flat == "先核实订单30天内补发别骂买家"
    src = source_map(raw)
    assert src is not None and len(src) == len(flat)
    assert [raw[s:e] for s, e in src][:8] == ["先", "核", "实", "订", "单", "三十", "三十", "天"]
    reading = semantics.read(raw, lexicon.thesaurus())
    k = flat.index("30天")
    assert reading.raw_span(k, k + 3) == (raw.index("三十天"), raw.index("三十天") + 3)
    assert reading.raw_span(k + 1, k + 3) is None  # the 0 of 30 has no place of its own in 三十
    b = flat.index("补发")
    assert raw[slice(*reading.raw_span(b, b + 4) or (0, 0))] == "补发，别骂"  # the comma dropped inside is kept


def test_a_word_the_thesaurus_rewrote_is_placed_whole_or_not_at_all() -> None:
    raw = "亲，不好意思，回复慢了"
    reading = semantics.read(raw, lexicon.thesaurus())
    assert reading.reps, "不好意思 is the thesaurus's 抱歉"
    k = reading.canon.flat.index("抱歉")
    assert reading.raw_span(k, k + 2) == (raw.index("不好意思"), raw.index("不好意思") + 4)
    assert reading.raw_span(k, k + 1) is None  # half of a rewritten word
    after = reading.canon.flat.index("回复")
    assert raw[slice(*reading.raw_span(after, after + 2) or (0, 0))] == "回复"  # shifted by the rewrite


# --- spans from real questions and realistic answers ---------------------------------------------


def test_a_homophone_in_a_formula_after_full_width_signs() -> None:
    verdict, spans = marked("cs-metrics/response-rate-formula-short", "应答率＝接代量÷咨询量")
    assert verdict == "correct"
    assert spans == [("应答率＝接代量÷咨询量", "homophone", "应答率=接待量/咨询量")]
    verdict, spans = marked("cs-metrics/response-rate-formula-short", "第一，我觉得是：接代量除以咨询量")
    assert verdict == "correct"
    assert spans == [("接代量除以咨询量", "homophone", "接待量/咨询量")]


def test_a_corrected_answer_is_marked_where_the_correction_stands() -> None:
    answer = "写错了，应该是　接待量／咨询量"
    r = grade(QUESTIONS["cs-metrics/response-rate-formula-short"], answer)
    assert r.verdict == "correct"
    assert r.details["spans"] == [[answer.index("接待量"), len(answer), "matched", "接待量/咨询量"]]


def test_a_denied_accepted_form_is_marked_negated() -> None:
    verdict, spans = marked("cs-metrics/response-rate-formula-short", "不是接待量/咨询量")
    assert verdict == "wrong"
    assert spans == [("接待量/咨询量", "negated", "接待量/咨询量")]


def test_a_scenario_answer_with_a_negated_point_a_forbidden_move_and_numerals_before_them() -> None:
    answer = "１．跟她好好说，吊牌拆了、洗过了，不能退；二、我不截图了，十五天内直接投诉她饿意评价，把威胁的话举证；三、再打电话骂她一顿"
    verdict, spans = marked("disputes/washed-underwear-scenario", answer)
    assert verdict == "wrong"
    assert [(text, kind) for text, kind, _ in spans] == [
        ("好好说", "matched"),
        ("吊牌", "matched"),
        ("截图", "negated"),  # 不截图: said, and denied
        ("投诉", "matched"),  # after 十五 (read as 15) and full-width numbering
        ("举证", "matched"),
        ("骂她", "violation"),
    ]
    labels = dict((text, label) for text, _kind, label in spans)
    assert labels["截图"] == "保留聊天证据（截图带用户名和时间）"
    assert labels["骂她"] == "辱骂、报复或骚扰对方"


def test_typos_and_synonyms_are_marked_in_the_learner_s_words() -> None:
    verdict, spans = marked("advertising-marketing/discount-monitor-short", "最低价<参照价*预警阀值")
    assert verdict == "correct" and spans[0][:2] == ("最低价<参照价*预警阀值", "typo")
    verdict, spans = marked("cs-metrics/slow-reply-scenario", "亲，对不起回复慢了，帮我们改成好评，下次来给您免邮")
    assert verdict == "wrong"
    assert [(text, kind) for text, kind, _ in spans] == [
        ("对不起", "matched"),  # the thesaurus reads it as 抱歉
        ("改成好评", "violation"),
        ("免邮", "violation"),
    ]


def test_an_answer_graded_on_a_text_made_from_it_gets_no_spans() -> None:
    # 看展示,点击不收钱 is graded as 看展示 (what it denies cut out), and 看展示 as 按展示扣费 (the prompt's
    # words left out): nothing of what was graded stands in the answer as typed, so nothing is marked
    r = grade(QUESTIONS["advertising-marketing/zhizuan-cpm-short"], "看展示，点击不收钱")
    assert r.verdict == "correct" and r.nearest == "按展示扣费"
    assert "spans" not in r.details


def test_a_found_point_no_span_marks_is_still_listed_by_label() -> None:
    from quiz.grading.result import GradeResult
    from tests.test_tui_widgets import SCENARIO, _render
    from tui.widgets.feedback import feedback_renderable

    answer = "我先道歉，然后骂他"
    result = GradeResult(verdict="wrong", score=0.0, feedback="", expected=SCENARIO.expected_text(),
                         found=("安抚情绪", "核实情况"), violations=("辱骂买家",),
                         details={"spans": [[2, 4, "matched", "安抚情绪"], [7, 8, "violation", "辱骂买家"]]})
    text = _render(feedback_renderable(SCENARIO, result, answer))
    assert "答到的要点：核实情况" in text  # found, with no place in the answer: listed
    assert "安抚情绪" not in text and "辱骂买家" not in text  # marked in the answer: not listed again


# --- every shipped example: the contract holds --------------------------------------------------

EXAMPLES = [
    (it.qid, ex.answer)
    for it in sorted(LIBRARY, key=lambda it: it.qid)
    if it.type in ("short", "scenario")
    for ex in (getattr(it.question, "examples", None) or [])
]


def test_the_shipped_banks_have_examples_to_check() -> None:
    assert len(EXAMPLES) > 200


@pytest.mark.parametrize(("qid", "answer"), EXAMPLES, ids=[f"{q}#{i}" for i, (q, _a) in enumerate(EXAMPLES)])
def test_spans_of_every_shipped_example_keep_the_contract(qid: str, answer: str) -> None:
    r = grade(QUESTIONS[qid], answer)
    spans = r.details.get("spans", [])
    names = {*r.found, *r.missed, *r.violations, r.nearest, r.expected}
    end = 0
    for span in spans:
        assert len(span) == 4, span
        s, e, kind, label = span
        assert isinstance(s, int) and isinstance(e, int) and end <= s < e <= len(answer), (span, spans)
        end = e  # sorted, not overlapping
        assert kind in KINDS and label in names, (span, names)
        text = answer[s:e]
        assert analyse(text).flat, f"{text!r} is only punctuation or space"
        for edge in (text[0], text[-1]):  # it starts and ends on what the learner wrote, not on a gap
            assert not edge.isspace() and not unicodedata.category(edge).startswith("P"), (text, span)
        if kind == "violation":
            assert label in r.violations
        elif kind == "negated":
            assert label not in r.found
        else:
            assert r.verdict == "correct" or label in r.found, (span, r.found)


# --- the study screen draws them -----------------------------------------------------------------


async def test_the_study_screen_draws_the_spans_with_a_legend(tmp_path: Path) -> None:
    app = build_app(tmp_path, start=Start("study", mode="focus", topic="纠纷处理"))
    answer = "１．先倒歉，不拍照了，直接补发；二、再骂他两句"
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, StudyScreen)
        assert screen.item is not None and screen.item.qid == "tui-rules/angry-buyer"
        box = screen.query_one(TextArea)
        assert app.focused is box
        app.post_message(events.Paste(answer))  # as a terminal delivers an input method's text, full-width signs and all
        await settle(pilot)
        assert box.text == answer
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert screen.outcome is not None
        result = screen.outcome.result
        assert result.verdict == "wrong"
        drawn = [(answer[s:e], kind) for s, e, kind, _label in result.details["spans"]]
        assert drawn == [("倒歉", "homophone"), ("拍照", "negated"), ("补发", "matched"), ("骂", "violation")]
        panel = screen.query_one("#feedback", FeedbackPanel)
        painted = {  # what the panel paints: each run of the answer in one style
            seg.text: seg.style
            for line in panel.render_lines(panel.region.reset_offset)
            for seg in line
            if seg.style is not None
        }
        plain_style = painted["他两句"]
        assert painted["倒歉"].underline and painted["补发"].underline and not plain_style.underline
        assert painted["倒歉"].color != painted["补发"].color  # forgiven and found as written look apart
        assert painted["拍照"].strike
        assert painted["骂"].bgcolor != plain_style.bgcolor
        text = screen_text(app)
        assert "你的答案：１．先倒歉，不拍照了，直接补发；二、再骂他两句" in text
        for legend in ("答到", "同音字已原谅", "被否定，不算", "不当做法"):
            assert legend in text, legend
        assert "答到的要点" not in text  # marked in the answer, not listed again
        assert "漏掉的要点：核实情况" in text
