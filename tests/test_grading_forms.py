"""数值, 判断, 单选 and 多选 answered the way learners write them (issue 9 items 1, 4, 5; the minus
sign of issues 14 and 15; 判断 restated, choices paraphrased, deducted amounts): the case sets in
tests/data/grading-forms*, then each mechanism with the wrong answers it must still refuse, the
feedback and its language."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from fsrs import Rating
from pydantic import TypeAdapter

from quiz.grading import grade
from quiz.grading.quantity import read
from quiz.model import AnyQuestion, Question
from quiz.scheduler import rating_for
from tests.grading_cases import score_cases

DATA = Path(__file__).parent / "data"
_Q: TypeAdapter[Any] = TypeAdapter(Question)


def q(**kw: Any) -> AnyQuestion:
    question: AnyQuestion = _Q.validate_python({"id": "q", **kw})
    return question


def verdicts(question: AnyQuestion, answers: list[str]) -> dict[str, str]:
    return {a: grade(question, a).verdict for a in answers}


@pytest.mark.parametrize(
    ("bank", "cases", "size", "floor"),
    [
        ("grading-forms", "grading-forms", 720, 0.99),  # written before the grader was changed for them (67.6% then)
        ("grading-forms", "grading-forms2", 490, 0.97),  # fresh wordings, written after the first round of changes
        ("grading-forms", "grading-forms3", 210, 0.96),  # traps: hedges, bounds, shared fragments, echoes
        ("grading-forms4", "grading-forms4", 210, 0.97),  # the rewritten banks' questions, new and reworded
        # restatements, paraphrased choices, deducted amounts (80.6% and 17 false accepts before the grader was
        # changed for them), then new wordings written after that round (92.7% and 5 false accepts at first run)
        ("grading-forms5", "grading-forms5", 680, 0.98),
        ("grading-forms5", "grading-forms6", 375, 0.97),
        ("grading-forms5", "grading-forms7", 145, 0.96),  # a third round, true and false statements in turn (93.9%, 3)
    ],
)
def test_learner_style_case_sets_no_false_accept(bank: str, cases: str, size: int, floor: float) -> None:
    score = score_cases(DATA / f"{bank}.yaml", DATA / f"{cases}.jsonl")
    assert score.cases >= size
    assert score.false_accepts == []
    assert score.accuracy >= floor, score.failures


# --- reading quantities -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("-1", [(-1.0, "")]),
        ("−1", [(-1.0, "")]),
        ("负1分", [(-1.0, "分")]),
        ("负零点五", [(-0.5, "")]),
        ("3-8=-5", [(3.0, ""), (8.0, ""), (-5.0, "")]),  # subtraction, then a negative result
        ("100萬元", [(1e6, "元")]),
        ("兩万", [(2e4, "")]),
        ("俩工作日", [(2.0, "工作日")]),
        ("1e3", [(1000.0, "")]),
        ("1,000,000", [(1e6, "")]),
        ("九成", [(90.0, "%")]),
        ("九成五", [(95.0, "%")]),
        ("八五折", [(85.0, "%")]),
        ("8.5折", [(85.0, "%")]),
        ("百分之九十", [(90.0, "%")]),
        ("三分之一", [(pytest.approx(1 / 3), "")]),
        ("4/5", [(0.8, "")]),
        ("0-15天", [(15.0, "天")]),
        ("服务——90天内", [(90.0, "天")]),  # a dash in the text is not a minus sign
    ],
)
def test_read_values_signs_units(text: str, values: list[tuple[float, str]]) -> None:
    assert [(x.value, x.unit) for x in read(text)[1]] == values


def test_read_roles() -> None:
    _, qs = read("200×0.9=180元")
    assert [(x.value, x.working, x.result) for x in qs] == [(200, True, False), (0.9, True, False), (180, False, True)]
    _, qs = read("不是30天,是15天")
    assert [(x.value, x.negated) for x in qs] == [(30, True), (15, False)]
    _, qs = read("30天,不对,是15天")
    assert [(x.value, x.retracted) for x in qs] == [(30, True), (15, False)]
    assert read("不能超过15天")[1][0].within and not read("不能超过15天")[1][0].negated
    assert read("15天以上")[1][0].lower and read("至少15天")[1][0].lower
    assert not read("超过15天就不能投诉")[1][0].lower  # a consequence follows: it states the limit
    assert read("15天,第16天就不行")[1][1].ordinal
    assert read("比如150元")[1][0].example
    _, qs = read("0-15天")
    assert (qs[0].lo, qs[0].value) == (0, 15)


# --- numeric ------------------------------------------------------------------------------------

WINDOW = q(type="numeric", prompt="卖家发起恶意评价投诉,须在交易成功后的多少天之内?", answer=15, unit="天", units=["日"])
POINTS = q(type="numeric", prompt="恶意评价的评价人,每次扣除多少分?", answer=12, unit="分")
DAYS3 = q(type="numeric", prompt="淘宝会在几个工作日内给予证实?", answer=3, unit="个工作日", units=["工作日"])
PRICE = q(type="numeric", prompt="原价200元的商品打九折,实际售价是多少元?", answer=180, unit="元", units=["块"])
RATE = q(type="numeric", prompt="咨询量200,接待量180,应答率是百分之多少?", answer=90, unit="%")
RATE_FRACTION = q(type="numeric", prompt="接待量除以咨询量,180/200等于多少?(填小数)", answer=0.9)
MINUS5 = q(type="numeric", prompt="加3分、扣8分,净变化多少分?", answer=-5, unit="分")
TEN = q(type="numeric", prompt="违约金为100万元或累计销售额的多少倍?", answer=10, unit="倍")


def test_the_asked_number_in_an_answer_that_explains_itself() -> None:
    assert set(verdicts(WINDOW, [
        "交易成功后15天以内可以投诉,过了就不行",
        "0-15天", "15天内", "不能超过15天", "不是30天,是15天", "15天,不是30天", "15天,第16天就投诉不了了",
        "交易成功后15天之内,3个工作日核实",
    ]).values()) == {"correct"}
    assert verdicts(POINTS, ["3个工作日核实,核实后扣12分", "12分,超过5例会查封账户"]) == {
        "3个工作日核实,核实后扣12分": "correct", "12分,超过5例会查封账户": "correct"}
    assert grade(DAYS3, "3个工作日核实,核实后扣12分").verdict == "correct"  # the unit tells which
    assert set(verdicts(PRICE, ["200×0.9=180元", "200-20=180元", "打九折是180", "九折就是200乘0.9,等于180块",
                                "180元,优惠了20元"]).values()) == {"correct"}
    assert grade(PRICE, "200×0.9=190元").verdict == "wrong"  # the working's result is the answer
    assert set(verdicts(RATE, ["171/190=90%", "180÷200=0.9,也就是90%", "应答率=接待量/咨询量=180/200=90%"]).values()) == {
        "correct"}
    assert grade(TEN, "违约金100万,或者累计销售额乘10").verdict == "correct"  # 100万 is the prompt's, in 元


def test_hedges_denials_bounds_units_and_questions_are_refused() -> None:
    for answer in ["15天或者30天", "15天还是30天", "15天/30天", "15天吧,也可能是30天", "15天,30天也行", "15天,30天",
                   "7-15天", "不是15天", "15天以上", "至少15天", "15小时", "15个工作日", "15天吗", "是不是15天?",
                   "30天", "16天"]:
        assert grade(WINDOW, answer).verdict == "wrong", answer
    assert grade(POINTS, "12还是24分").verdict == "wrong"
    assert grade(PRICE, "180或者190").verdict == "wrong"
    assert grade(PRICE, "200×0.9").verdict == "wrong"  # the working without its result


def test_a_sign_is_never_dropped() -> None:
    assert set(verdicts(MINUS5, ["-5", "−5分", "负5分", "负五", "3-8=-5", "3 - 8 = -5分", "+3-8=-5"]).values()) == {"correct"}
    assert set(verdicts(MINUS5, ["5", "5分", "+5", "-3", "-5或者5"]).values()) == {"wrong"}
    assert set(verdicts(TEN, ["-10", "−10倍", "负10倍"]).values()) == {"wrong"}
    assert set(verdicts(TEN, ["10", "+10倍", "十倍"]).values()) == {"correct"}
    assert "符号" in grade(TEN, "-10").feedback


def test_percent_forms_follow_the_question_unit() -> None:
    assert set(verdicts(RATE, ["九成", "90%", "百分之九十", "90"]).values()) == {"correct"}
    assert set(verdicts(RATE_FRACTION, ["九成", "0.9", "90%", "九折", "180/200", "9/10"]).values()) == {"correct"}
    assert grade(RATE_FRACTION, "90").verdict == "wrong"
    r = grade(RATE, "0.9")  # the value, not the percentage the question asks for
    assert r.verdict == "wrong" and "90%" in r.feedback


def test_big_numbers_in_every_spelling() -> None:
    fine = q(type="numeric", prompt="违约金的固定金额是多少元?", answer=1000000, unit="元", units=["块"])
    good = ["100万元", "一百万", "100萬元", "壹佰万元", "1,000,000元", "1e6元", "100w", "100万人民币", "百万"]
    assert set(verdicts(fine, good).values()) == {"correct"}
    assert set(verdicts(fine, ["10万元", "1000万", "100万美元", "1,000,00元"]).values()) == {"wrong"}


# --- judge ----------------------------------------------------------------------------------------

CAN_NOT = q(type="judge", prompt="交易成功后第20天才发现恶意差评,卖家仍然可以发起投诉。", answer=False)
NO_THRESHOLD = q(type="judge", prompt="运费券的使用没有门槛。", answer=False)
WONT_MIND = q(type="judge", prompt="送赠品时随便送一些小东西就好,客户不会在意。", answer=False)
MAY_NOT = q(type="judge", prompt="好评不能发起恶意评价投诉。", answer=True)
NOT_LATE = q(type="judge", prompt="怀疑买家要报复而拒绝发货,是合理的自我保护,不属于延迟发货。", answer=False)
APOLOGIZE = q(type="judge", prompt="因客服回复慢引来差评时,卖家要先拿出道歉的态度。", answer=True)


def test_judge_words_at_the_start_or_as_the_verdict_of_a_sentence() -> None:
    assert set(verdicts(CAN_NOT, ["不行,过了15天", "不可以的", "不能,只能在15天内", "错,超期了",
                                  "这个说法不对,应该是15天内", "超期了,所以不行", "当然不可以"]).values()) == {"correct"}
    assert set(verdicts(CAN_NOT, ["可以", "可以的", "能", "对", "可以吗?", "对也不对", "不知道"]).values()) == {"wrong"}
    assert set(verdicts(NO_THRESHOLD, ["有门槛", "有的", "错,有门槛的", "不对,要满足条件才能用"]).values()) == {"correct"}
    assert set(verdicts(NO_THRESHOLD, ["没有", "对,没门槛", "是的"]).values()) == {"wrong"}
    assert set(verdicts(WONT_MIND, ["会在意的", "客户会在意的", "不行,赠品要实用", "不能随便送"]).values()) == {"correct"}
    assert set(verdicts(APOLOGIZE, ["对的对的", "要先道歉", "没错", "是的,要先道歉"]).values()) == {"correct"}
    assert set(verdicts(APOLOGIZE, ["不用道歉", "错"]).values()) == {"wrong"}


def test_judge_relative_to_what_the_statement_says() -> None:
    # a statement that says 不能, answered 不能, agrees; 能 disagrees
    assert (grade(MAY_NOT, "不能").verdict, grade(MAY_NOT, "能").verdict) == ("correct", "wrong")
    assert (grade(NOT_LATE, "属于延迟发货").verdict, grade(NOT_LATE, "不属于").verdict) == ("correct", "wrong")


def test_judge_answer_is_read_by_its_verdict_whatever_its_length() -> None:
    long = "这个说法是错误的," + "因为平台规则写得很清楚,交易成功超过十五天以后就不能再发起恶意评价投诉了," * 6
    assert len(long) > 200
    assert grade(CAN_NOT, long).verdict == "correct"
    assert grade(CAN_NOT, "可以," + "只要证据充分就行," * 20).verdict == "wrong"


# --- single and multi -------------------------------------------------------------------------------

CPM = q(
    type="single",
    prompt="CPM怎么扣费?",
    choices=["在CPM投放模式下按点击扣费,展示不扣费", "在CPM投放模式下展示和点击都扣费", "在CPM投放模式下按成交金额扣费",
             "在CPM投放模式下按展示扣费,点击不扣费"],
    answer="D",
)
FUNNEL = q(type="single", prompt="用户数怎么变?", choices=["逐渐增加", "保持不变", "先减少后增加", "逐渐减少"], answer="D")
EXISTS = q(
    type="single",
    prompt="是否存在违规?",
    choices=["不存在,换季促销可以这样写", "不存在,违规只看主标题,副标题不算", "存在,\"最大让利\"是最高级用语"],
    answer="C",
)
COURT = q(
    type="single",
    prompt="结果是?",
    choices=["一审判王某删除差评,二审维持原判", "一审驳回申某的诉讼请求,二审维持原判", "一审驳回,二审改判王某公开道歉"],
    answer="B",
)
CHANNEL = q(type="single", prompt="怎么联系?", choices=["到买家家里当面协商", "电话或旺旺", "在店铺首页公开喊话"], answer="B")


def test_single_by_the_part_of_a_choice_that_tells_it_apart() -> None:
    assert set(verdicts(CPM, ["按展示扣费", "点击不扣费", "展示扣费点击不扣", "D", "d. 按展示扣费"]).values()) == {"correct"}
    assert set(verdicts(CPM, ["按点击扣费", "展示不扣费", "都扣费"]).values()) == {"wrong"}
    assert verdicts(FUNNEL, ["逐渐减少", "减少"]) == {"逐渐减少": "correct", "减少": "wrong"}  # 减少 is in C and D
    assert verdicts(EXISTS, ["存在", "存在违规", "不存在"]) == {"存在": "correct", "存在违规": "correct", "不存在": "wrong"}
    # each part is in two choices; together they are in one
    assert grade(COURT, "驳回,维持原判").verdict == "correct"
    # the letter first, then why (naming other letters in passing)
    assert set(verdicts(CPM, ["选D,因为按展示扣费", "答案D,因为A、B、C都不对", "D。按展示扣费"]).values()) == {"correct"}
    assert set(verdicts(CPM, ["D还是A", "A或D", "D. 按点击扣费,展示不扣费"]).values()) == {"wrong"}


def test_single_text_denied_or_asked_selects_nothing() -> None:
    for answer in ["不是按展示扣费", "肯定不是按展示扣费", "按展示扣费不对", "不选D", "是按展示扣费吗", "是不是D"]:
        assert grade(CPM, answer).verdict == "wrong", answer
    assert grade(CPM, "不是按点击扣费,是按展示扣费").verdict == "correct"


def test_single_fragment_shared_or_two_choices_offered_selects_none() -> None:
    r = grade(CPM, "CPM投放模式下")
    assert r.verdict == "wrong" and r.nearest is None and "A、B、C、D" in r.feedback
    assert grade(CHANNEL, "旺旺或者电话").verdict == "correct"  # both words of one choice
    r = grade(CHANNEL, "电话或者当面")
    assert r.verdict == "wrong" and r.nearest is None


OVER5 = q(type="multi", prompt="可以采取哪些措施?", choices=["查封账户", "每次评价扣100分", "要求买家支付100万元违约金", "冻结支付宝资金"],
          answer=["A", "D"], scoring="partial")


def test_multi_letters_texts_and_a_mix() -> None:
    over5 = OVER5
    assert verdicts(over5, ["AD", "查封账户、冻结支付宝资金", "查封账户和冻结资金", "A、冻结支付宝资金", "冻结资金,A", "查封",
                            "扣100分", "A、D都是"]) == {
        "AD": "correct", "查封账户、冻结支付宝资金": "correct", "查封账户和冻结资金": "correct", "A、冻结支付宝资金": "correct",
        "冻结资金,A": "correct", "查封": "partial", "扣100分": "wrong", "A、D都是": "correct"}
    assert grade(over5, "A、冻结支付宝资金").details["chosen"] == ["A", "D"]
    assert grade(over5, "AD,因为B和C不是平台的措施").verdict == "correct"


# --- feedback: what was chosen, once, in the learner's language ---------------------------------------


def test_feedback_says_what_the_statement_is_and_what_was_answered() -> None:
    r = grade(APOLOGIZE, "错")
    assert r.feedback == "回答错误：这句话是对的（你答了“错”）。"
    r = grade(APOLOGIZE, "不用道歉")
    assert "这句话是对的" in r.feedback and "读作“错”" in r.feedback
    assert grade(APOLOGIZE, "对", lang="en").feedback == "Correct: the statement is true."
    assert grade(APOLOGIZE, "错", lang="en").feedback == "Wrong: the statement is true (you answered “false”)."


def test_feedback_does_not_repeat_the_expected_answer() -> None:
    for question, answer in [(CPM, "A"), (CPM, "按点击扣费"), (WINDOW, "30天"), (MINUS5, "5")]:
        r = grade(question, answer)
        assert r.verdict == "wrong" and r.expected and r.expected not in r.feedback, (answer, r.feedback)
    assert grade(CPM, "D").feedback == "回答正确。"


_CJK = re.compile("[\u4e00-\u9fff]")


@pytest.mark.parametrize(
    ("question", "answer"),
    [
        (WINDOW, "15天或者30天"), (WINDOW, "15小时"), (WINDOW, "7-15天"), (WINDOW, "15天以上"), (WINDOW, "不是15天"),
        (WINDOW, "15天吗"), (WINDOW, "30天"), (WINDOW, ""), (WINDOW, "不知道"), (WINDOW, "15天,30天"), (TEN, "-10"),
        (RATE, "0.9"), (PRICE, "200×0.9"), (POINTS, "3个工作日核实,核实后扣12分"),
        (APOLOGIZE, "啊?"), (APOLOGIZE, "对吗"), (APOLOGIZE, ""),
        (CPM, "CPM投放模式下"), (CPM, "AB"), (CPM, "K"), (CPM, "G"), (CPM, "按点击扣费"), (CHANNEL, "电话或者当面"),
        (OVER5, "AB"), (OVER5, "A"), (OVER5, "A、H"), (OVER5, "查封账户、天气"), (OVER5, "AD"),
    ],
)
def test_feedback_in_english_has_no_chinese_template_text(question: AnyQuestion, answer: str) -> None:
    r = grade(question, answer, lang="en")
    # what the learner wrote may be quoted; the rest is English
    rest = r.feedback
    for quoted in re.findall(r"“[^”]*”", rest):
        rest = rest.replace(quoted, "")
    assert not _CJK.search(rest), r.feedback
    assert grade(question, answer).feedback != r.feedback


def test_per_answer_feedback_follows_what_was_chosen_by_letter_or_by_text() -> None:
    fb = {"A": "A 是按点击扣费，不对。", "D": "对，按展示扣费。", "wrong": "再看一遍扣费方式。"}
    question = q(type="single", prompt="CPM怎么扣费?", choices=CPM.choices, answer="D", feedback=fb)  # type: ignore[union-attr]
    assert grade(question, "按点击扣费").answer_feedback == (fb["A"], fb["wrong"])
    assert grade(question, "a").answer_feedback == (fb["A"], fb["wrong"])
    assert grade(question, "按展示扣费").answer_feedback == (fb["D"],)
    assert grade(question, "CPM投放模式下").answer_feedback == (fb["wrong"],)  # no choice read: only the verdict's
    tf = q(type="judge", prompt="好评不能发起恶意评价投诉。", answer=True, feedback={"true": "对。", "false": "想反了。"})
    assert grade(tf, "不能").answer_feedback == ("对。",)
    assert grade(tf, "能", lang="en").answer_feedback == ("想反了。",)  # the bank's own text, whatever the language


# --- 判断 answered by restating the fact (claims.py) ------------------------------------------------

KEEP_TALKING = q(type="judge", prompt="投诉处理期间，卖家应当停止和买家联系，只等平台的结论。", answer=False)
ONLY_ONE_LEG = q(type="judge", prompt="退货运费险只赔付买家寄回的运费，卖家补发的运费由卖家自己承担。", answer=True)
EVERY_ITEM = q(type="judge", prompt="直播间只需介绍主推款，其余商品可以不介绍。", answer=False)
ORDERED = q(type="judge", prompt="处理投诉时，应先安抚顾客情绪，再核对订单信息。", answer=True)
AMOUNT = q(type="judge", prompt="店铺保证金的最低金额为1000元。", answer=False)
QUOTED = q(type="judge", prompt="客服对催发货的买家说“爱买不买”，是不合适的回复。", answer=True)


def test_judge_restatement_agrees_or_contradicts_by_polarity_and_antonym() -> None:
    assert set(verdicts(KEEP_TALKING, ["要继续联系买家", "联系不能停", "不应该停止联系", "还得跟买家联系"]).values()) == {"correct"}
    assert set(verdicts(KEEP_TALKING, ["应该停止联系", "不用联系了，等结论", "停止联系是对的"]).values()) == {"wrong"}


def test_judge_restatement_by_party_quantifier_order_and_number() -> None:
    # the party that pays, 都 against an exception, 只 against "said of another too"
    assert grade(ONLY_ONE_LEG, "补发的运费由卖家承担").verdict == "correct"
    assert grade(ONLY_ONE_LEG, "补发的运费由买家承担").verdict == "wrong"
    assert set(verdicts(EVERY_ITEM, ["每款商品都要介绍", "其余商品也要介绍", "不能只介绍主推款"]).values()) == {"correct"}
    assert set(verdicts(EVERY_ITEM, ["只介绍主推款就行", "其余的不用介绍"]).values()) == {"wrong"}
    # steps in the statement's order, or the other way round
    assert set(verdicts(ORDERED, ["先安抚情绪", "先安抚再核对", "安抚在前，核对在后"]).values()) == {"correct"}
    assert set(verdicts(ORDERED, ["先核对订单信息", "先核对再安抚"]).values()) == {"wrong"}
    # a different number with the same unit contradicts, the same agrees
    assert set(verdicts(AMOUNT, ["不是1000元，是500元", "最低500元", "应该是五百元才对"]).values()) == {"correct"}
    assert grade(AMOUNT, "最低金额就是1000元").verdict == "wrong"


def test_judge_what_a_statement_quotes_is_what_it_judges() -> None:
    assert set(verdicts(QUOTED, ["不能说爱买不买", "爱买不买不合适"]).values()) == {"correct"}
    assert set(verdicts(QUOTED, ["可以说爱买不买", "爱买不买没问题"]).values()) == {"wrong"}


THRESHOLD = q(type="judge", prompt="当售价高于“成本×系数”时，系统会发出预警。", answer=False)


def test_judge_which_side_of_a_threshold() -> None:
    # 低于 is 不高于: a restatement on the other side of the threshold denies the statement
    assert set(verdicts(THRESHOLD, ["是低于的时候才预警", "低于才会预警", "高于的时候不预警", "售价低于它的时候才预警"]).values()) == {"correct"}
    assert set(verdicts(THRESHOLD, ["高于时预警", "对，超过就预警"]).values()) == {"wrong"}


def test_judge_verdict_its_explanation_contradicts_or_unsure_is_refused_with_why() -> None:
    r = grade(KEEP_TALKING, "错，应该停止联系")
    assert r.verdict == "wrong" and "矛盾" in r.feedback
    assert "contradicts itself" in grade(KEEP_TALKING, "错，应该停止联系", lang="en").feedback
    assert grade(KEEP_TALKING, "错，要继续联系买家").verdict == "correct"
    # an unsure answer is graded on the verdict it leans to, and marked unsure (scheduled as Hard)
    for answer in ["可能不对吧", "应该是错的吧", "我也不确定，应该错", "估计错"]:
        r = grade(KEEP_TALKING, answer)
        assert r.verdict == "correct" and r.details.get("unsure") and "不太确定" in r.feedback, answer
    for answer in ["可能对吧", "好像是对的，不太确定"]:
        r = grade(KEEP_TALKING, answer)
        assert r.verdict == "wrong" and not r.details.get("unsure"), answer
    for answer in ["不确定", "我也不知道"]:
        r = grade(KEEP_TALKING, answer)
        assert r.verdict == "wrong" and "拿定主意" in r.feedback, answer
    r = grade(KEEP_TALKING, "应该是错的")
    assert r.verdict == "correct" and not r.details.get("unsure")  # 应该 without 吧 is an answer


def test_judge_restatement_that_says_something_else_gives_no_verdict() -> None:
    # most of what it says is not in the statement: no reading, never a guess
    for answer in ["顾客体验最重要", "这是售后问题", "看平台规则"]:
        r = grade(KEEP_TALKING, answer)
        assert r.verdict == "wrong" and "读出判断" in r.feedback, answer


# --- choices paraphrased ---------------------------------------------------------------------------

WHO_PAYS = q(type="single", prompt="谁付运费?", choices=["均由消费者承担", "均由商家承担", "寄回由消费者承担，返回由商家承担"], answer="B")
FORMULA = q(type="single", prompt="转化率?", choices=["转化率 = 访客数 / 成交人数", "转化率 = 成交人数 / 访客数", "转化率 = 成交人数 × 访客数"], answer="B")
ALERT = q(type="single", prompt="何时预警?", choices=["售价 > 成本 × 系数", "售价 < 成本 × 系数", "成本 < 售价 × 系数"], answer="B")
TREND = q(type="single", prompt="怎么变?", choices=["逐渐增加", "先减少后增加", "逐渐减少"], answer="C")
STEPS = q(type="single", prompt="顺序?", choices=["登记、回访、补偿", "回访、登记、补偿", "回访、补偿、登记"], answer="B")


def test_single_paraphrase_by_canonical_words() -> None:
    assert set(verdicts(WHO_PAYS, ["都是卖家出", "全部由店家承担", "选经营者承担全部运费的", "两头运费都由商家付"]).values()) == {"correct"}
    # a fragment several choices share, or the words of a wrong choice, select none or the wrong one
    assert set(verdicts(WHO_PAYS, ["商家承担", "卖家那个", "都是顾客出", "寄回买家出，返回卖家出"]).values()) == {"wrong"}
    assert set(verdicts(TREND, ["越来越少", "一步步变少", "递减"]).values()) == {"correct"}
    assert set(verdicts(TREND, ["越来越多", "先少后多", "减少"]).values()) == {"wrong"}


def test_single_formula_in_any_equivalent_form() -> None:
    assert set(verdicts(FORMULA, ["成交人数除以访客数", "访客数分之成交人数", "成交人数÷访客数那个"]).values()) == {"correct"}
    assert set(verdicts(FORMULA, ["访客数除以成交人数", "成交人数分之访客数", "访客数×成交人数"]).values()) == {"wrong"}
    assert set(verdicts(ALERT, ["成本×系数>售价", "系数乘成本大于售价", "售价比成本×系数低"]).values()) == {"correct"}
    assert set(verdicts(ALERT, ["售价大于成本乘系数", "成本*系数<售价"]).values()) == {"wrong"}


def test_single_steps_in_order() -> None:
    assert set(verdicts(STEPS, ["先回访再登记", "回访开头，然后登记"]).values()) == {"correct"}
    assert set(verdicts(STEPS, ["先登记再回访", "回访、补偿、登记"]).values()) == {"wrong"}
    assert grade(STEPS, "回访开头的").verdict == "wrong"  # B and C both start with it


def test_multi_letters_against_words_and_letters_then_why() -> None:
    assert verdicts(OVER5, ["A冻结支付宝资金", "查封账户+冻结资金", "AD，B是扣分C是违约金"]) == {
        "A冻结支付宝资金": "correct", "查封账户+冻结资金": "correct", "AD，B是扣分C是违约金": "correct"}
    assert grade(OVER5, "AD，B也选").verdict == "wrong"


# --- numbers: deducted, within, retracted -------------------------------------------------------------

DEDUCT = q(type="numeric", prompt="虚假发货每次扣多少分?", answer=12, unit="分")
FINE = q(type="numeric", prompt="违规一次罚款多少元?", answer=500, unit="元")


def test_a_minus_says_deducted_only_where_the_question_asks_what_is_deducted() -> None:
    assert set(verdicts(DEDUCT, ["-12分", "－12", "−12", "负12分", "扣12分"]).values()) == {"correct"}
    assert set(verdicts(FINE, ["-500元", "罚500"]).values()) == {"correct"}
    assert set(verdicts(DEDUCT, ["-6分", "-24", "12分或者-24分"]).values()) == {"wrong"}
    assert set(verdicts(TEN, ["-10", "－10倍"]).values()) == {"wrong"}  # not a deduction: the sign counts
    assert grade(MINUS5, "5").verdict == "wrong" and grade(MINUS5, "-5").verdict == "correct"  # net change, negative


def test_within_ranges_and_retracted_numbers() -> None:
    assert set(verdicts(WINDOW, ["1-15天", "1到15天", "一至十五天", "一开始以为30天，其实是15天", "30天，哦不，15天",
                                 "我记成了30天，后来看是15天"]).values()) == {"correct"}
    assert set(verdicts(WINDOW, ["2-15天", "15天，哦不，30天", "以为是15天，其实是30天"]).values()) == {"wrong"}
    assert grade(PRICE, "1-180元").verdict == "wrong"  # not a "within" question: a range is a hedge


def test_an_answer_that_says_it_is_unsure_is_graded_on_what_it_answers_and_scheduled_hard() -> None:
    for question, answer in [(WINDOW, "15天吧，不太确定"), (CPM, "D吧，我也拿不准"), (CPM, "按展示扣费，猜的"), (OVER5, "AD，不确定")]:
        r = grade(question, answer)
        assert r.verdict == "correct" and r.details.get("unsure") and "不太确定" in r.feedback, answer
        assert "not sure" in grade(question, answer, lang="en").feedback
        assert rating_for(r.verdict, unsure=bool(r.details.get("unsure"))) == Rating.Hard
    for question, answer in [(WINDOW, "30天吧，不太确定"), (CPM, "A吧，拿不准")]:
        r = grade(question, answer)
        assert r.verdict == "wrong" and "不太确定" not in r.feedback, answer
    for question, answer in [(CPM, "D吧"), (WINDOW, "大概15天")]:
        r = grade(question, answer)
        assert r.verdict == "correct" and not r.details.get("unsure"), answer
        assert rating_for(r.verdict) == Rating.Good
