"""quiz import of Moodle GIFT files, read as Moodle's own reader (question/format/gift/format.php) reads them.

The fixture `tests/data/import/constructs.gift` holds one question per construct; what has no
type here (matching, essay without a model answer, descriptions, broken braces) is reported by
its line, never dropped silently, and per-answer feedback stays with its answer.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from quiz.cli import main
from quiz.grading import grade
from quiz.loader import load_file
from quiz.model import (
    AnyQuestion,
    Bank,
    JudgeQuestion,
    MultiQuestion,
    NumericQuestion,
    ShortQuestion,
    SingleQuestion,
)
from quiz.trainer.gift import parse_gift
from quiz.trainer.importers import ImportResult, import_file

DATA = Path(__file__).parent / "data" / "import"
CONSTRUCTS = DATA / "constructs.gift"
LINES = CONSTRUCTS.read_text(encoding="utf-8").splitlines()


def line_of(text: str) -> int:
    return next(n for n, ln in enumerate(LINES, 1) if text in ln)


@pytest.fixture(scope="module")
def res() -> ImportResult:
    return import_file(CONSTRUCTS)


def by_id(res: ImportResult) -> dict[str, AnyQuestion]:
    return {q.id: q for q in res.questions}


def test_single_choice_keeps_feedback_per_choice(res: ImportResult) -> None:
    q = by_id(res)["ping-jia-qi"]  # ::评价期:: in pinyin
    assert isinstance(q, SingleQuestion)
    assert q.choices == ["7天", "15天", "30天", "90天"] and q.answer == "B" and q.also_correct == []
    assert q.topic == "评价规则"  # the last part of $CATEGORY
    assert q.explanation == "评价期为交易成功后15天内。"  # the general feedback, and only it
    assert q.feedback == {"A": "太短了", "B": "对，交易成功后15天内"}
    # a learner sees the feedback of the choice made, not the others'
    assert grade(q, "A").answer_feedback == ("太短了",)
    assert grade(q, "B").answer_feedback == ("对，交易成功后15天内",)
    assert grade(q, "C").answer_feedback == ()


def test_several_equals_are_each_fully_right_and_format_markers_go(res: ImportResult) -> None:
    q = by_id(res)["ji-jie"]
    assert isinstance(q, SingleQuestion)
    assert q.prompt == "哪个是季节？"  # [html] gone, tags gone, the comment gone whole
    assert q.choices == ["春天", "夏天", "复活节"]  # [plain] / [markdown] markers gone from the choices
    assert (q.answer, q.also_correct) == ("A", ["B"])
    assert q.feedback == {"A": "对", "B": "也对", "C": "复活节是节日"}  # [html]<i>..</i> in a feedback
    assert grade(q, "A").verdict == grade(q, "B").verdict == "correct"
    assert grade(q, "C").verdict == "wrong"


def test_multiple_answers_without_equals_are_a_multi_with_partial_credit(res: ImportResult) -> None:
    q = by_id(res)["wu-fa-tou-su"]
    assert isinstance(q, MultiQuestion)
    assert q.answer == ["A", "B"] and q.scoring == "partial"
    assert q.feedback == {"A": "对", "C": "这种可以投诉"}
    assert grade(q, "A").verdict == "partial" and grade(q, "AB").verdict == "correct"


def test_true_false_feedback_goes_to_the_answer_it_is_for(res: ImportResult) -> None:
    q = by_id(res)["malicious-deleted"]  # // [id:...] names the question
    assert isinstance(q, JudgeQuestion)
    assert q.answer is True and q.tags == ["恶意评价"]
    # {TRUE#wrong-feedback#right-feedback}
    assert q.feedback == {"true": "正确", "false": "不对，会删除"}
    assert grade(q, "对").answer_feedback == ("正确",)
    assert grade(q, "错").answer_feedback == ("不对，会删除",)
    f = next(x for x in res.questions if x.prompt == "运费券的使用没有门槛。")
    assert isinstance(f, JudgeQuestion) and f.answer is False


def test_lower_case_true_false_is_read_leniently_and_said_so(res: ImportResult) -> None:
    q = by_id(res)["xiao-xie-pan-duan"]
    assert isinstance(q, JudgeQuestion) and q.answer is False
    notice = [n for n in res.notices if n.line == line_of("::小写判断::")]
    assert len(notice) == 1 and "upper-case" in notice[0].message and "short answer" in notice[0].message


def test_short_answer_catch_all_and_known_wrong_answers(res: ImportResult) -> None:
    q = by_id(res)["ying-da-lv"]
    assert isinstance(q, ShortQuestion)
    assert q.prompt == "应答率=? 写出公式。"  # \= is an escaped =
    assert q.answers == ["接待量/咨询量", "应答率=接待量/咨询量"]
    assert q.reject == ["咨询量/接待量"]  # =%0%x: a known wrong answer, never '*'
    assert "*" not in q.reject
    assert q.feedback == {"咨询量/接待量": "反了：分子是接待量", "correct": "对", "wrong": "公式是 接待量/咨询量"}
    assert grade(q, "咨询量/接待量").answer_feedback[0] == "反了：分子是接待量"
    assert grade(q, "随便写").answer_feedback == ("公式是 接待量/咨询量",)  # the catch-all's feedback
    assert grade(q, "接待量/咨询量").answer_feedback == ("对",)


def test_numbers_as_moodle_reads_them(res: ImportResult) -> None:
    q = by_id(res)
    neg = q["fu-shu"]
    assert isinstance(neg, NumericQuestion) and neg.answer == -1 and neg.tolerance == 0
    pi = q["yuan-zhou-lv"]
    assert isinstance(pi, NumericQuestion) and (pi.answer, pi.tolerance) == (3.1415, 0.0005)
    assert pi.expected_text() == "3.1415"  # not 3.1414999999999997
    assert grade(pi, "3.142").verdict == "correct" and grade(pi, "3.143").verdict == "wrong"
    one_five = q["yi-dao-wu"]  # {#3:2 ~#feedback}: Moodle's own construct
    assert isinstance(one_five, NumericQuestion) and (one_five.answer, one_five.tolerance) == (3, 2)
    assert one_five.feedback == {"wrong": "完全错了"}
    assert grade(one_five, "5").verdict == "correct"
    assert grade(one_five, "6").answer_feedback == ("完全错了",)
    fine = q["wei-yue-jin"]
    assert isinstance(fine, NumericQuestion) and fine.answer == 1_000_000 and fine.feedback == {"correct": "对，100万元"}


def test_an_imported_negative_answer_grades_right(res: ImportResult) -> None:
    neg = by_id(res)["fu-shu"]
    assert grade(neg, "-1").verdict == "correct"
    assert grade(neg, "1").verdict == "wrong"


def test_an_arrow_in_a_choice_is_a_choice_and_missing_words_keep_their_place(res: ImportResult) -> None:
    q = by_id(res)
    menu = q["cai-dan"]
    assert isinstance(menu, SingleQuestion) and menu.choices == ["File -> Save", "Edit -> Copy", "View"]
    blank = next(x for x in res.questions if x.prompt.startswith("卖家发货后"))
    assert blank.prompt == "卖家发货后 _____ 内需要填写物流单号。" and blank.type == "single"
    esc = q["zhuan-yi"]
    assert esc.prompt == "模板写作 {订单号} 时\n要替换成什么？" and esc.type == "short"


def test_images_and_what_has_no_type_here_are_reported_by_line(res: ImportResult) -> None:
    issues = {i.line: i.message for i in res.issues}
    img = line_of("waybill.png")
    assert "image '@@PLUGINFILE@@/waybill.png' dropped" in issues[img]  # the line of the <img>, not the question's
    pic = by_id(res)["kan-tu"]
    assert pic.topic == "运费承担" and "运费由谁承担" in pic.prompt and "<" not in pic.prompt
    assert "matching" in issues[line_of("::配对::")]
    assert "essay" in issues[line_of("::论述::")]
    assert "description" in issues[line_of("这是一段说明文字")]
    assert "{ inside the answer block" in issues[line_of("::嵌套::")]  # not imported as 'b {'
    assert "no closing }" in issues[line_of("::没闭合::")]
    assert "'点击' (50%) dropped" in issues[line_of("::部分分填空::")]
    assert "'100:0' (50%) dropped" in issues[line_of("=%50%100:0")]
    assert len(res.issues) == 8
    skipped = sum(1 for i in res.issues if i.message.startswith("skipped"))
    assert res.found == len(res.questions) + skipped == 22
    assert all(str(i).startswith(f"{CONSTRUCTS}:") for i in res.issues)
    # the question after the unclosed one still came in
    assert by_id(res)["xia-yi-ti"].type == "judge"


def test_gift_output_validates_and_cli_exits_1_when_something_was_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "constructs.yaml"
    assert main(["import", str(CONSTRUCTS), "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert f"{CONSTRUCTS}:{line_of('::配对::')}: skipped: matching" in err
    assert "to check (1)" in err and "upper-case" in err  # the lenient reading, in the summary
    loaded = load_file(out, use_cache=False)
    assert loaded.problems == [] and isinstance(loaded.document, Bank)
    assert len(loaded.document.questions) == 17


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


def test_moodle_export_shapes_read_back(tmp_path: Path) -> None:
    """What Moodle's GIFT export writes: weights on every answer, an empty feedback after #, ~# for wrong answers."""
    text = (
        "// question: 666  name: Q5\n::Q5::What is a number from 1 to 5?{#\n\t=%100%3:2#\n\t~#Completely wrong\n}\n\n"
        "// question: 667  name: S\n::S::Which is the best animal?{\n\t=%100%Frog#Good!\n\t=%50%Cat#Cats?\n"
        "\t=%0%*#Completely wrong\n\t####[html]General <b>feedback</b>\n}\n\n"
        "::M::[html]Pick{\n\t~%100%yellow#right\n\t~%-50%red#wrong\n\t~%-50%blue#wrong\n}\n"
    )
    read = parse_gift(text, "x")
    by_prompt = {d.data["prompt"]: d.data for d in read.drafts}
    assert by_prompt["What is a number from 1 to 5?"] == {
        "type": "numeric", "prompt": "What is a number from 1 to 5?", "answer": 3, "tolerance": 2,
        "feedback": {"wrong": "Completely wrong"}}
    s = by_prompt["Which is the best animal?"]
    assert s["answers"] == ["Frog"] and s["feedback"] == {"correct": "Good!", "wrong": "Completely wrong"}
    assert s["explanation"] == "General feedback"
    catch_all = parse_gift("::n::几天？{#=15:0#对 =%0%*#再数数}", "x").drafts[0].data
    assert catch_all["feedback"] == {"correct": "对", "wrong": "再数数"} and catch_all["answer"] == 15
    m = by_prompt["Pick"]
    assert m["type"] == "multi" and m["answer"] == ["A"] and m["feedback"] == {"A": "right", "B": "wrong", "C": "wrong"}


def test_gift_essay_with_a_model_answer_becomes_a_scenario_for_review() -> None:
    read = parse_gift("::e::买家威胁差评怎么办？{####保留聊天记录作为证据。向平台投诉。拒绝不合理的要求。}", "x")
    [d] = read.drafts
    assert d.data["type"] == "scenario" and d.data["sample_answer"].startswith("保留聊天记录")
    assert [k["point"] for k in d.data["keypoints"]] == ["保留聊天记录作为证据", "向平台投诉", "拒绝不合理的要求"]
    assert d.guesses and "check the key points" in str(d.guesses[0])


def test_one_unclosed_brace_costs_only_its_own_question() -> None:
    """Issue 15: one unclosed { swallowed (and re-scanned) the rest of the file; its speed is benchmarks/bench_import.py's."""
    blocks = ["::bad::坏的 {=甲 ~乙"] + [f"::q{i}::题{i} {{=对 ~错}}" for i in range(2_000)]
    read = parse_gift("\n\n".join(blocks), "x")
    assert len(read.drafts) == 2_000
    assert [(i.line, i.message) for i in read.issues] == [(1, "skipped: the answer block { has no closing }")]


def test_short_answers_are_never_misnamed_matching() -> None:
    read = parse_gift("::a::几天？{=15天#见规则 -> 第3条}\n\n::b::保存？{=File -> Save}\n\n"
                      "::c::[html]保存？{=File -&gt; Save}\n", "x")
    by_id = {d.id_hint: d for d in read.drafts}
    assert by_id["a"].data["answers"] == ["15天"]  # the arrow is in the feedback
    assert "short answer" in str(by_id["a"].guesses[0])
    assert by_id["c"].data["answers"] == ["File -> Save"]
    [issue] = read.issues
    assert issue.line == 3 and "one =a -> b pair" in issue.message and "-&gt;" in issue.message


def test_ids_from_titles_are_the_pinyin_of_the_title() -> None:
    """slugify reads only the start of a text and caches pypinyin's words: the ids are those of lazy_pinyin."""
    import re

    import yaml
    from pypinyin import lazy_pinyin

    from quiz.trainer.importers import slugify

    def reference(text: str, max_length: int) -> str:
        words = [w for part in lazy_pinyin(text, errors="default") for w in re.split(r"[^a-z0-9]+", part.lower()) if w]
        slug = ""
        for w in words:
            candidate = f"{slug}-{w}" if slug else w
            if len(candidate) > max_length:
                return slug or w[:max_length]
            slug = candidate
        return slug

    banks = Path(__file__).resolve().parent.parent / "banks"
    texts = ["应答率", "重庆的重复", "  ！？ abc 淘宝规则 x1", "第12题：恶意评价" * 9]
    for f in sorted(banks.glob("*.yaml")):
        for q in yaml.safe_load(f.read_text(encoding="utf-8"))["questions"]:
            texts += [q["prompt"], *q.get("choices", [])]
    assert len(texts) > 300
    for text in texts:
        for n in (40, 48):
            assert slugify(text, n) == reference(text, n), text
