"""The grader, phenomenon by phenomenon (bank-format.md), on questions and wordings of its own.

Every case states the verdict a careful human grader gives; a wrong answer graded
correct (a false accept) is the worst error, so the traps come with near-miss pairs.
"""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import TypeAdapter

from quiz.grading import GradeResult, grade, parse_judge, parse_letters
from quiz.grading.normalize import analyse, normalize, numbers
from quiz.model import AnyQuestion, Question

_Q: TypeAdapter[Any] = TypeAdapter(Question)


def q(**kw: Any) -> AnyQuestion:
    question: AnyQuestion = _Q.validate_python({"id": "q", "prompt": "题目", **kw})
    return question


def verdict(question: AnyQuestion, answer: str) -> str:
    return grade(question, answer).verdict


def check(question: AnyQuestion, cases: dict[str, str]) -> None:
    got = {a: verdict(question, a) for a in cases}
    assert got == cases


# --- normalisation ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("一百万", "1000000"),
        ("100万", "1000000"),
        ("1,000,000", "1000000"),
        ("十倍", "10倍"),
        ("十五", "15"),
        ("两千五百元", "2500元"),
        ("一千零五", "1005"),
        ("三点五", "3.5"),
        ("1.5万", "15000"),
        ("一亿两千万", "120000000"),
        ("百分之五十", "50%"),
        ("柒天", "7天"),
        ("ＡＢＣ　１２", "abc12"),
        ("接待量÷咨询量", "接待量/咨询量"),
        ("接待量 除以 咨询量", "接待量/咨询量"),
        ("单价乘以数量", "单价*数量"),
        ("单价乘数量", "单价*数量"),
        ("退款金额低于订单金额", "退款金额<订单金额"),
        ("评分高于4.8分", "评分>4.8分"),
        ("1. 联系客服 2. 申诉", "联系客服申诉"),
        ("一定要截图", "一定要截图"),  # an idiom, not the number one
        ("千万别骂人", "千万别骂人"),
        ("3-5个工作日", "3~5个工作日"),  # two numbers stay two numbers
        ("3、4天", "3~4天"),
        ("100w", "1000000"),
    ],
)
def test_normalize(text: str, expected: str) -> None:
    assert normalize(text) == expected


def test_clauses_split_on_punctuation_connectives_and_numbering() -> None:
    a = analyse("①核实订单②联系买家，然后提交凭证")
    assert a.flat == "核实订单联系买家然后提交凭证"
    assert a.bounds[:3] == (0, 4, 8)


def test_numbers_are_read_as_numbers() -> None:
    assert numbers(normalize("满十万元减一百")) == [100000.0, 100.0]


# --- single -------------------------------------------------------------------------------

SINGLE = q(type="single", choices=["7天", "15天", "30天", "45天"], answer="C")


@pytest.mark.parametrize(
    "answer", ["C", "c", "C.", "(C)", "（C）", "【c】", "选C", "选项C", "C项", "答案是C", "答案：c", "我选C吧", "Ｃ"]
)
def test_single_letter_in_any_decoration(answer: str) -> None:
    assert verdict(SINGLE, answer) == "correct"


def test_single_choice_text_and_numbers_as_numbers() -> None:
    check(
        SINGLE,
        {
            "30天": "correct",
            "三十天": "correct",
            "30": "correct",
            "应该是30天吧": "correct",
            "3天": "wrong",  # not a fuzzy neighbour of 30天: numbers compare as numbers
            "300天": "wrong",
            "十五天": "wrong",
            "45天": "wrong",
            "A": "wrong",
            "CD": "wrong",
            "C,D": "wrong",
            "": "wrong",
            "   ": "wrong",
            "K": "wrong",
        },
    )


def test_single_text_nearer_a_wrong_choice_is_wrong() -> None:
    question = q(type="single", choices=["由卖家承担", "由买家承担", "由平台承担", "由快递公司承担"], answer="A")
    check(
        question,
        {
            "卖家承担": "correct",
            "由卖家承担的": "correct",
            "卖家": "correct",
            "买家": "wrong",
            "承担": "wrong",
            "买家承担": "wrong",  # 买 and 卖 differ in tone: never a homophone
            "由买家承担": "wrong",
            "不是由买家承担": "wrong",
            "快递公司": "wrong",
        },
    )
    r = grade(question, "由买家承担")
    assert (r.nearest, r.expected, r.details["chosen"]) == ("B. 由买家承担", "A. 由卖家承担", ["B"])
    assert r.feedback == "回答错误：你的回答读作 B. 由买家承担。"  # which choice the words were taken for


def test_single_feedback_names_what_was_chosen_and_the_right_answer_once() -> None:
    r = grade(SINGLE, "a")
    assert (r.verdict, r.score, r.expected, r.nearest) == ("wrong", 0.0, "C. 30天", "A. 7天")
    # the right answer is in `expected` and the learner's letter in `nearest` (the UI shows both on
    # lines of their own), not repeated in the feedback
    assert r.feedback == "回答错误。"
    assert "只能选一个" in grade(SINGLE, "CD").feedback
    assert grade(SINGLE, "c").feedback == "回答正确。"


# --- multi -----------------------------------------------------------------------------------

MULTI_ALL = q(type="multi", choices=["截图留证", "报警", "辱骂对方", "平台投诉", "私下转账"], answer=["A", "B", "D"])
MULTI_PARTIAL = q(
    type="multi",
    choices=["截图留证", "报警", "辱骂对方", "平台投诉", "私下转账"],
    answer=["A", "B", "D"],
    scoring="partial",
)


@pytest.mark.parametrize("answer", ["ABD", "abd", "D B A", "A,B,D", "A、B、D", "a/b/d", "选ABD", "Ａ，Ｂ，Ｄ", "B;D;A"])
def test_multi_letters_any_order_case_separators(answer: str) -> None:
    assert verdict(MULTI_ALL, answer) == "correct"


def test_multi_scoring_all_and_partial() -> None:
    assert (grade(MULTI_ALL, "AB").verdict, grade(MULTI_ALL, "AB").score) == ("wrong", 0.0)
    r = grade(MULTI_PARTIAL, "AB")
    assert (r.verdict, r.score, r.missed) == ("partial", pytest.approx(2 / 3, abs=1e-3), ("D",))
    assert grade(MULTI_PARTIAL, "D").score == pytest.approx(1 / 3, abs=1e-3)
    for answer in ("ABC", "ABDE", "C", "ABCDE"):
        assert (grade(MULTI_PARTIAL, answer).verdict, grade(MULTI_PARTIAL, answer).score) == ("wrong", 0.0), answer
    assert verdict(MULTI_PARTIAL, "ABF") == "wrong"  # no option F
    assert verdict(MULTI_PARTIAL, "") == "wrong"


def test_multi_by_choice_texts() -> None:
    assert verdict(MULTI_ALL, "截图留证、报警、平台投诉") == "correct"
    assert verdict(MULTI_PARTIAL, "报警和平台投诉") == "partial"
    assert verdict(MULTI_ALL, "A和B和D") == "correct"
    with_and = q(type="multi", choices=["截图和录音", "报警", "辱骂对方", "平台投诉"], answer=["A", "B", "D"])
    assert verdict(with_and, "截图和录音、报警、平台投诉") == "correct"
    assert verdict(with_and, "截图和录音、报警") == "wrong"


# --- judge -------------------------------------------------------------------------------------

TRUE_Q = q(type="judge", answer=True)
FALSE_Q = q(type="judge", answer=False)

TRUE_WORDS = ["对", "正确", "是", "√", "✓", "T", "true", "yes", "Y", "对的", "是的", "没错", "TRUE", "我觉得对"]
FALSE_WORDS = ["错", "错误", "不对", "不正确", "否", "×", "✗", "F", "false", "no", "N", "不是", "错的", "FALSE"]


@pytest.mark.parametrize("word", TRUE_WORDS)
def test_judge_true_words(word: str) -> None:
    assert parse_judge(word) is True
    assert (verdict(TRUE_Q, word), verdict(FALSE_Q, word)) == ("correct", "wrong")


@pytest.mark.parametrize("word", FALSE_WORDS)
def test_judge_false_words(word: str) -> None:
    assert parse_judge(word) is False
    assert (verdict(TRUE_Q, word), verdict(FALSE_Q, word)) == ("wrong", "correct")


@pytest.mark.parametrize("answer", ["", "不知道", "对错", "可能吧", "A", "1234"])
def test_judge_unknown_is_wrong_and_says_what_to_type(answer: str) -> None:
    for question in (TRUE_Q, FALSE_Q):
        r = grade(question, answer)
        assert r.verdict == "wrong"
        assert "对 或 错" in r.feedback


# --- numeric --------------------------------------------------------------------------------------

DAYS = q(type="numeric", answer=7, unit="天", units=["日", "个自然日"])
MONEY = q(type="numeric", answer=100000, unit="元", units=["块"])
NO_UNIT = q(type="numeric", answer=3)


def test_numeric_numbers_units_and_numerals() -> None:
    check(
        DAYS,
        {
            "7天": "correct",
            "七天": "correct",
            "7日": "correct",
            "7个自然日": "correct",
            "7": "correct",
            "七": "correct",
            "7天内": "correct",
            "大约7天": "correct",
            "17天": "wrong",
            "70天": "wrong",
            "8天": "wrong",
            "7小时": "wrong",  # a unit that is neither unit nor in units
            "7周": "wrong",
            "7天或8天": "wrong",
            "7-8天": "wrong",
            "一周": "wrong",
            "": "wrong",
            "不知道": "wrong",
        },
    )
    check(
        MONEY,
        {
            "10万元": "correct",
            "十万": "correct",
            "100000元": "correct",
            "100,000块": "correct",
            "壹拾万元": "correct",
            "100万元": "wrong",  # 10万 is not 100万
            "1万元": "wrong",
            "10000元": "wrong",
        },
    )
    assert verdict(NO_UNIT, "3次") == "correct"
    assert verdict(NO_UNIT, "13") == "wrong"


def test_numeric_tolerance_and_feedback() -> None:
    rate = q(type="numeric", answer=4.8, tolerance=0.05, unit="分")
    assert verdict(rate, "4.8分") == "correct"
    assert verdict(rate, "四点八") == "correct"
    assert verdict(rate, "4.7分") == "wrong"
    r = grade(DAYS, "7小时")
    assert "单位" in r.feedback and "小时" in r.feedback and "天" in r.feedback
    r = grade(DAYS, "30天")
    assert (r.nearest, r.expected, r.feedback) == ("30天", "7天", "数值不对，大了。")
    assert grade(DAYS, "交易成功后30天,7个工作日核实").feedback == "数值不对：按 30天 评分，大了。"


# --- short: reversal, parties, negation, homophones, typos ----------------------------------------------

RATE = q(type="short", answers=["回复数/来访数", "回复率=回复数/来访数"], reject=["来访数/回复数"])


def test_short_reversed_formula_is_wrong() -> None:
    check(
        RATE,
        {
            "回复数/来访数": "correct",
            "回复数除以来访数": "correct",
            "回复数÷来访数": "correct",
            "回复率 = 回复数 / 来访数": "correct",
            "用回复数除以来访数": "correct",
            "来访数/回复数": "wrong",  # the same characters, the wrong order
            "来访数除以回复数": "wrong",
            "来访数÷回复数": "wrong",
            "回复数": "wrong",
            "": "wrong",
        },
    )
    r = grade(RATE, "来访数除以回复数")
    assert "来访数/回复数" in r.feedback
    assert r.expected == "回复数/来访数"


def test_short_reversal_without_reject_list_is_still_wrong() -> None:
    question = q(type="short", answers=["成交数/访客数"])
    assert verdict(question, "成交数除以访客数") == "correct"
    assert verdict(question, "访客数/成交数") == "wrong"


def test_short_swapped_parties_and_homophone_trap() -> None:
    question = q(type="short", answers=["由卖家承担来回运费"])
    check(
        question,
        {
            "由卖家承担来回运费": "correct",
            "卖家承担来回运费": "correct",
            "由卖家承担来回运废": "correct",  # 废 for 费: same toned reading (fèi), a pinyin-input slip
            "由买家承担来回运费": "wrong",  # 买 mǎi is not 卖 mài
            "买家承担来回运费": "wrong",
            "由商家承担来回运费": "correct",
        },
    )
    parties = q(type="short", answers=["商家"], reject=["买家"])
    assert verdict(parties, "商家") == "correct"
    assert verdict(parties, "买家") == "wrong"
    seller = q(type="short", answers=["卖家"])
    assert verdict(seller, "买家") == "wrong"
    assert verdict(seller, "卖家") == "correct"


def test_short_homophone_typed_by_pinyin_input() -> None:
    question = q(type="short", answers=["回复数/来访数"])
    assert verdict(question, "回付数/来访数") == "correct"  # 付 fù for 复 fù
    assert "同音" in grade(question, "回付数/来访数").feedback
    assert verdict(question, "来访数/回付数") == "wrong"


def test_fuzzy_pinyin_initials_in_key_points() -> None:
    question = q(
        type="scenario", keypoints=[{"point": "提交申诉", "any": ["申诉"]}, {"point": "截图", "any": ["截图"]}]
    )
    assert verdict(question, "先截图，再申述") == "correct"  # 述 shù typed for 诉 sù
    assert verdict(question, "先结图，再申诉") == "correct"  # 结 jié for 截 jié


def test_homophone_that_could_be_a_rejected_answer_does_not_count() -> None:
    # 权利 and 权力 sound the same (quán lì): a homophone of the accepted form is the rejected one.
    question = q(type="short", answers=["维护权利"], reject=["维护权力"])
    assert verdict(question, "维护权利") == "correct"
    assert verdict(question, "维护权力") == "wrong"
    assert verdict(question, "维户权利") == "correct"  # 户 for 护: not where the two answers differ
    long_form = q(type="short", answers=["维护买家的权利"], reject=["维护买家的权力"])
    assert verdict(long_form, "维护买家的全力") == "wrong"  # 力 is the rejected answer's character


def test_short_negation_flips_meaning() -> None:
    check(
        q(type="short", answers=["有权拒收"], reject=["无权拒收"]),
        {
            "有权拒收": "correct",
            "买家有权拒收": "correct",
            "无权拒收": "wrong",
            "没有权利拒收": "wrong",
            "不是有权拒收": "wrong",
        },
    )
    check(
        q(type="short", answers=["可以开发票"], reject=["不可以开发票"]),
        {"可以开发票": "correct", "不可以开发票": "wrong", "不能开发票": "wrong", "可以开发票的": "correct"},
    )
    check(
        q(type="short", answers=["存在风险"]),
        {"存在风险": "correct", "不存在风险": "wrong", "确实存在风险": "correct"},
    )
    check(
        q(type="short", answers=["正确"], reject=["不正确"]),
        {"正确": "correct", "不正确": "wrong"},
    )


def test_double_negation_cancels() -> None:
    question = q(type="short", answers=["有保质期"], reject=["没有保质期"])
    assert verdict(question, "不是没有保质期") == "correct"
    assert verdict(question, "并非没有保质期") == "correct"
    assert verdict(question, "不是有保质期") == "wrong"


def test_short_extra_polite_words_and_fillers() -> None:
    question = q(type="short", answers=["有保质期", "有"], reject=["没有保质期", "无保质期", "没有"])
    check(
        question,
        {
            "有": "correct",
            "亲，有的哦，有保质期": "correct",
            "是有保质期的呢": "correct",
            "有的，有明确的保质期": "correct",
            "没有": "wrong",
            "无保质期": "wrong",
            "这个商品没有保质期": "wrong",
            "没有明确的保质期": "wrong",
        },
    )


def test_short_one_typo_in_a_long_answer_but_not_in_the_distinguishing_part() -> None:
    question = q(type="short", answers=["按成交额抽佣"], reject=["按访客数抽佣"])
    check(
        question,
        {
            "按成交额抽佣": "correct",
            "按成交额抽成": "correct",  # one character off, not the part that tells the answers apart
            "按照成交额抽佣": "correct",
            "按访客数抽佣": "wrong",
            "按访客数抽成": "wrong",
            "按访问额抽佣": "wrong",  # the change is in the distinguishing part
        },
    )


def test_short_threshold_set_by_the_trainer() -> None:
    loose = q(type="short", answers=["先行赔付给买家"], reject=["先行赔付给卖家"], threshold=70)
    check(
        loose,
        {
            "先行赔付给买家": "correct",
            "先行赔偿给买家": "correct",
            "先赔付买家": "correct",  # 5 of 7 characters, in order: close enough at 70
            "先行赔付给卖家": "wrong",
            "先赔付卖家": "wrong",
            "不先行赔付给买家": "wrong",
        },
    )
    strict = q(type="short", answers=["先行赔付给买家"], threshold=95)
    assert verdict(strict, "先行赔偿给买家") == "wrong"


def test_characters_shared_by_accepted_forms_are_not_distinguishing() -> None:
    # 元 is in a rejected form, but also in an accepted one: writing it is no sign of the rejected answer
    question = q(
        type="short",
        answers=["100万或销售额10倍", "100万元或销售额的10倍"],
        reject=["10万元或销售额10倍", "100万元或销售额100倍"],
    )
    assert verdict(question, "100万元或销售额10倍") == "correct"
    assert verdict(question, "10万元或销售额10倍") == "wrong"
    assert verdict(question, "100万元或销售额100倍") == "wrong"


def test_short_numbers_are_never_fuzzy() -> None:
    question = q(type="short", answers=["满10万元可申请"])
    check(
        question,
        {
            "满10万元可申请": "correct",
            "满十万元可申请": "correct",
            "满100万元可申请": "wrong",
            "满1万元可申请": "wrong",
            "满一百万元可申请": "wrong",
        },
    )
    days = q(type="short", answers=["3个工作日内"])
    assert verdict(days, "三个工作日内") == "correct"
    assert verdict(days, "13个工作日内") == "wrong"


def test_short_feedback_names_nearest_answer() -> None:
    r = grade(RATE, "回复量/来访量是什么")
    assert r.verdict == "wrong"
    assert r.nearest in ("回复数/来访数", "回复率=回复数/来访数")
    assert "最接近的标准答案" in r.feedback


# --- key points: scenario and short with keypoints ---------------------------------------------------

REFUND = q(
    type="scenario",
    keypoints=[
        {"point": "安抚情绪", "any": ["道歉", "安抚", "理解您的心情"]},
        {"point": "核实物流", "any": ["查询物流", "核实物流", "联系快递"], "weight": 2},
        {"point": "给出方案", "any": ["补发", "重新发货", "退款"], "weight": 2},
        {"point": "跟进回访", "any": ["跟进", "回访"]},
    ],
    forbidden=[
        {"point": "推卸责任", "any": ["不关我们的事", "找快递去"]},
        {"point": "辱骂买家", "any": ["辱骂", "骂"]},
    ],
    **{"pass": 0.6},
)


def test_scenario_weighted_key_points() -> None:
    full = grade(REFUND, "先向买家道歉，然后查询物流，丢件就补发，之后跟进")
    assert (full.verdict, full.score) == ("correct", 1.0)
    assert set(full.found) == {"安抚情绪", "核实物流", "给出方案", "跟进回访"}
    heavy = grade(REFUND, "核实物流，重新发货")  # 4 of 6 points: the two heavy ones
    assert heavy.verdict == "correct"
    light = grade(REFUND, "道歉并回访")  # 2 of 6
    assert (light.verdict, light.score) == ("partial", pytest.approx(2 / 6, abs=1e-3))
    assert set(light.missed) == {"核实物流", "给出方案"}
    assert "缺少" in light.feedback and "核实物流" in light.feedback
    assert verdict(REFUND, "我也不知道怎么办") == "wrong"
    assert verdict(REFUND, "") == "wrong"


def test_half_the_key_points_is_partial_never_correct() -> None:
    four = q(
        type="scenario",
        keypoints=[{"point": p, "any": [p]} for p in ("核实订单", "联系买家", "提交凭证", "跟进结果")],
    )
    assert verdict(four, "核实订单，联系买家") == "partial"  # 2 of 4, pass 0.6
    assert verdict(four, "核实订单，联系买家，提交凭证") == "correct"
    two = q(type="scenario", keypoints=[{"point": p, "any": [p]} for p in ("核实订单", "联系买家")])
    assert verdict(two, "核实订单") == "partial"


def test_scenario_numbering_and_separators() -> None:
    assert verdict(REFUND, "1. 道歉 2. 联系快递 3. 补发 4. 回访") == "correct"
    assert verdict(REFUND, "道歉、查询物流、补发、回访") == "correct"


def test_scenario_negated_key_points_do_not_count() -> None:
    r = grade(REFUND, "不道歉，也不查询物流，直接补发")
    assert r.verdict == "partial"
    assert "核实物流" not in r.found and "安抚情绪" not in r.found
    assert "被否定" in r.feedback
    # negation reaches over coordinated verbs: 和 / 、 / 也
    assert verdict(REFUND, "不查询物流和补发") == "wrong"
    assert verdict(REFUND, "没有查询物流也没补发") == "wrong"
    assert "核实物流" not in grade(REFUND, "从不查询物流").found
    # a negation in a condition does not reach past it
    assert "给出方案" in grade(REFUND, "买家不满意的话就补发").found
    assert "核实物流" in grade(REFUND, "如果买家不同意，查询物流").found


def test_scenario_forbidden_stated_is_wrong_negated_is_not() -> None:
    bad = grade(REFUND, "道歉，查询物流，补发，但他再闹就骂他")
    # the bank's literal forbidden action is named (the default abuse class fires beside it)
    assert (bad.verdict, bad.score, bad.violations[0]) == ("wrong", 0.0, "辱骂买家")
    assert verdict(REFUND, "这不关我们的事，找快递去") == "wrong"
    ok = grade(REFUND, "千万不要骂买家，先道歉，再查询物流并补发")
    assert ok.verdict == "correct" and ok.violations == ()
    assert verdict(REFUND, "绝不辱骂买家，核实物流后重新发货") == "correct"
    assert verdict(REFUND, "不能骂人，要查询物流，补发") == "correct"
    assert verdict(REFUND, "严禁辱骂买家，核实物流，补发") == "correct"
    assert verdict(REFUND, "请勿辱骂买家，核实物流，补发") == "correct"


STEPS = q(
    type="short",
    answers=["核实订单、联系买家、提交凭证"],
    keypoints=[
        {"point": "核实订单", "any": ["核实订单", "查订单"]},
        {"point": "联系买家", "any": ["联系买家", "打电话给买家"]},
        {"point": "提交凭证", "any": ["提交凭证", "上传凭证"]},
    ],
    ordered=True,
)


def test_what_someone_else_does_is_not_the_learners_action() -> None:
    # the buyer's abuse described is no violation; the learner's own is
    assert verdict(REFUND, "如果对方辱骂客服，先道歉，查询物流，补发") == "correct"
    assert verdict(REFUND, "被买家骂了也要道歉，查询物流，补发") == "correct"
    assert verdict(REFUND, "买家骂我，我就骂回去") == "wrong"
    assert verdict(REFUND, "先道歉，查询物流，补发，他再闹就骂他") == "wrong"
    # naming the forbidden action as what a rule is about is not doing it
    assert verdict(REFUND, "辱骂买家会被扣分，所以先道歉，查询物流，补发") == "correct"
    assert verdict(REFUND, "道歉，查询物流，补发，然后辱骂买家") == "wrong"
    # key points may state consequences in the passive: 会被扣分 still says 扣分
    penalty = q(type="scenario", keypoints=[{"point": "会被扣分", "any": ["扣分"]}, {"point": "投诉", "any": ["投诉"]}])
    assert verdict(penalty, "骚扰买家会被扣分，走平台投诉") == "correct"


def test_ordered_key_points() -> None:
    check(
        STEPS,
        {
            "核实订单、联系买家、提交凭证": "correct",
            "先查订单，再打电话给买家，最后上传凭证": "correct",
            "1. 查订单 2. 联系买家 3. 上传凭证": "correct",
            "一、查订单 二、联系买家 三、上传凭证": "correct",
            "1、核实订单；2、联系买家；3、提交凭证": "correct",
            "联系买家，核实订单，提交凭证": "partial",  # out of order
            "提交凭证，联系买家，核实订单": "partial",
            "核实订单": "partial",
            "直接退款": "wrong",
        },
    )
    r = grade(STEPS, "联系买家，核实订单，提交凭证")
    assert r.score == pytest.approx(2 / 3, abs=1e-3)
    assert "顺序" in r.feedback


def test_short_with_keypoints_needs_all_unless_pass_says_otherwise() -> None:
    unordered = q(
        type="short",
        answers=["核实订单并联系买家"],
        keypoints=[{"point": "核实订单", "any": ["核实订单"]}, {"point": "联系买家", "any": ["联系买家"]}],
    )
    assert verdict(unordered, "联系买家，核实订单") == "correct"
    assert verdict(unordered, "联系买家") == "partial"
    lenient = q(
        type="short",
        answers=["核实订单并联系买家"],
        keypoints=[{"point": "核实订单", "any": ["核实订单"]}, {"point": "联系买家", "any": ["联系买家"]}],
        **{"pass": 0.5},
    )
    assert verdict(lenient, "联系买家") == "correct"


# --- the result ------------------------------------------------------------------------------------------


def test_result_fields_and_json() -> None:
    r = grade(REFUND, "道歉并回访")
    assert isinstance(r, GradeResult)
    assert r.expected == REFUND.expected_text()
    d = r.to_json("bank/q")
    assert d["id"] == "bank/q" and d["verdict"] == "partial" and isinstance(d["found"], list)


def test_parse_letters() -> None:
    assert parse_letters("答案是 b") == "B"
    assert parse_letters("a、c、d") == "ACD"
    assert parse_letters("买家承担") is None


def test_grading_is_cached_per_question_object_and_deterministic() -> None:
    a = grade(RATE, "回付数/来访数")
    b = grade(RATE, "回付数/来访数")
    assert a == b
    twin = q(type="short", answers=["回复数/来访数", "回复率=回复数/来访数"], reject=["来访数/回复数"])
    assert grade(twin, "回付数/来访数") == a
