"""Decisions said in other words (issue 9, the phenomena behind tests/data/grading-realistic4.jsonl):
who finally pays, a required decision denied or said the other way, dismissal as rejection,
obligation, consequences as advice, a denied move carrying its denial, violations in other words.
Each mechanism is checked on wordings of its own, with the wrong answer it must still refuse."""

from __future__ import annotations

from typing import Any

from pydantic import TypeAdapter

from quiz.grading import grade
from quiz.model import AnyQuestion, Question

_Q: TypeAdapter[Any] = TypeAdapter(Question)


def q(**kw: Any) -> AnyQuestion:
    question: AnyQuestion = _Q.validate_python({"id": "q", "prompt": "题目", **kw})
    return question


def check(question: AnyQuestion, cases: dict[str, str]) -> None:
    assert {a: grade(question, a).verdict for a in cases} == cases


# --- who finally pays ------------------------------------------------------------------------------

REPAIR = q(type="scenario", prompt="质量问题寄回维修,两段运费谁出?", keypoints=[
    {"point": "来回运费都由商家承担", "any": ["来回运费我们出", "运费都由我们承担"], "weight": 2,
     "required": True, "who": "seller"},
    {"point": "道歉", "any": ["抱歉", "不好意思"]},
], forbidden=[{"point": "让买家出运费", "any": ["运费您出", "运费由您承担", "您自己付运费"]}], pass_=0.75)


def test_who_pays_read_from_cash_on_delivery_free_shipping_and_reimbursement() -> None:
    check(REPAIR, {
        # 到付: the receiver (the shop) pays; 包邮: the sender (the shop) pays
        "不好意思,您寄回来选到付,修好我们包邮寄给您": "correct",
        # the buyer advances, the shop pays it back: the shop pays
        "抱歉,寄过来的邮费您先垫一下,收到后我们给您报销,寄回去的也是我们出": "correct",
        "不好意思,运费您先付,到了我们返给您,修好我们包邮": "correct",
        # the payer after the verb, the cost said of a party
        "抱歉,寄回和寄给您的运费都我们来出": "correct",
        "抱歉,寄回来和寄过去的都算我们的": "correct",
        # a polite request with no paying back is the buyer paying
        "不好意思,寄过来的运费麻烦您先出一下,修好我们包邮寄回": "wrong",
        "抱歉,寄过来的快递费辛苦您付一下": "wrong",
        # 到付 refused, 我们 sending 到付: the buyer pays
        "抱歉,到付我们不收,运费您自己出": "wrong",
        "抱歉,修好我们给您发到付": "wrong",
        # a split is the forbidden move, not half an answer
        "抱歉,运费咱们一人一半吧": "wrong",
        "抱歉,运费各出一半可以吗": "wrong",
        "抱歉,您出寄过来那一段,我们出寄回去那一段": "wrong",
        # one leg said by the shop is half of the decision: partial, never correct
        "抱歉,修好后我们包邮寄给您": "partial",
        "修好后运费我们出": "partial",
    })
    r = grade(REPAIR, "抱歉,寄过来的运费麻烦您先出一下")
    assert r.details["role"][0]["party"] == "buyer"
    assert r.violations  # the bank's own forbidden move, read by who pays


def test_a_short_who_pays_answer_is_read_by_the_final_payer() -> None:
    who = q(type="short", prompt="质量问题维修的来回运费由谁承担?", answers=["商家", "商家承担"],
            reject=["买家", "买家承担", "各承担一半"])
    check(who, {
        "买家先垫付,最后商家报销,所以是商家承担": "correct",
        "卖家出,买家寄回时可以发到付": "correct",
        "买家先出,商家不报销": "wrong",
        "寄回去买家出,修好寄回来商家出": "wrong",
        "各出一半": "wrong",
        "买家不承担": "wrong",  # a denial names no payer: the question asks who
    })


# --- a required decision denied or said the other way ---------------------------------------------

COUPON = q(type="scenario", prompt="买家问运费券能不能直接用。请回复", keypoints=[
    {"point": "有货", "any": ["有货"]},
    {"point": "运费券要满足门槛", "any": ["门槛", "满足条件", "不能直接用"], "required": True},
], pass_=1.0)
LATE = q(type="scenario", prompt="交易成功后第18天才看到差评,店长让你去投诉,怎么办?", keypoints=[
    {"point": "过了15天,投诉不了", "any": ["超过15天", "投诉不了", "不能再投诉"], "required": True, "weight": 2},
    {"point": "回评解释", "any": ["回评"]},
], pass_=0.6)


def test_a_required_decision_said_the_other_way_is_wrong_not_partial() -> None:
    check(COUPON, {
        "有货,运费券没门槛直接用就行": "wrong",  # the decision denied
        "有货,运费券直接用就行": "wrong",  # its negative phrasing said as allowed
        "有货,运费券要满一定金额才可以用": "correct",  # (the thesaurus reads 满一定金额 as 满足门槛)
        "有货,运费券需要达到使用门槛才能抵扣": "correct",
        "有货": "partial",
        "有货,运费券不是没门槛": "correct",
    })
    check(LATE, {
        "超过15天也能投诉,赶紧去投": "wrong",
        "第18天还可以投诉": "wrong",
        "超过15天了投诉不了,15天内才能投诉,只能回评解释": "correct",  # a limit agrees with the decision
        "如果还在15天内能投诉,现在超过15天了,回评解释": "correct",  # a condition is not a claim
    })


# --- dismissal -----------------------------------------------------------------------------------------

REFUSE = q(type="scenario", prompt="买家退款后要你把鞋买回去,怎么办?", keypoints=[
    {"point": "拒绝回购", "any": ["不回购", "不买回来", "拒绝回购"], "required": True, "weight": 2},
    {"point": "报警", "any": ["报警"]},
], pass_=0.6)


def test_dismissing_something_rejects_it() -> None:
    check(REFUSE, {
        "回购没必要,再骚扰就报警": "correct",
        "买回来白搭,他还会再要,报警": "correct",
        "鞋子买回来就算了,报警": "correct",
        "回购也没啥用,报警": "correct",
        "报警没用": "wrong",  # the dismissed step is not made
        "买回来吧,报警": "wrong",  # said the other way
    })
    harass = q(type="scenario", voice="neutral", prompt="朋友被卖家骚扰,怎么办?", keypoints=[
        {"point": "投诉", "any": ["投诉"]}, {"point": "报警", "any": ["报警"]},
    ], pass_=0.5)
    check(harass, {
        "投诉没啥用,平台不管的": "wrong",
        "截图留着,不然投诉也没用,再报警": "correct",  # an "otherwise" clause dismisses nothing
    })


def test_suanle_drops_a_thing_but_just_doing_it_gives_in() -> None:
    ring = q(type="scenario", prompt="一伙买家要退款不退货加补偿,不给就差评,怎么办?", keypoints=[
        {"point": "拒绝补偿", "any": ["不给补偿", "拒绝补偿"], "required": True},
        {"point": "投诉", "any": ["投诉"]},
    ], forbidden=["payoff"], pass_=1.0)
    check(ring, {
        "补偿算了,一分不给,去投诉": "correct",
        "补偿就算了,投诉": "correct",
        "每单退一点钱算了,投诉": "wrong",  # 算了 after a giving: "just pay"
    })


# --- decisions said as obligation or consequence -----------------------------------------------------

RETALIATE = q(type="scenario", prompt="老板想打电话教训给差评的买家,还想把他信息发到群里。你怎么劝?", keypoints=[
    {"point": "劝住老板", "any": ["不能打电话", "不能发群里", "不能骚扰", "别冲动"], "required": True, "weight": 2},
    {"point": "回评解释", "any": ["回评"]},
], pass_=1.0)


def test_consequences_stated_as_advice_talk_the_boss_out_of_it() -> None:
    check(RETALIATE, {
        "老板,骚扰买家会被扣分的,咱们回评解释一下": "correct",
        "老板,打电话骂他只会被扣分,还是回评吧": "correct",
        "老板,发群里是违法的,我们正常回评": "correct",
        # a consequence accepted is no advice against
        "老板,打电话骂他,被扣分也无所谓,再回评": "wrong",
        "老板,电话可以打,吓吓他,再回评": "wrong",
    })


def test_a_move_right_after_a_denied_one_is_denied_too() -> None:
    rival = q(type="scenario", prompt="同行给了你恶意差评,怎么办?", keypoints=[
        {"point": "投诉", "any": ["投诉"]},
    ], pass_=1.0)
    check(rival, {
        "不要去他店里刷差评报复,直接投诉": "correct",
        "去他店里刷差评报复,再投诉": "wrong",
        "投诉,顺便也去他店里拍一单给个差评": "wrong",  # a bad review of one's own for the other's shop
    })


def test_suing_an_honest_reviewer_is_a_move_of_its_own() -> None:
    honest = q(type="scenario", prompt="买家如实给了差评,老板想起诉他,你怎么分析?", keypoints=[
        {"point": "不构成侵权", "any": ["不构成侵权", "驳回"], "required": True},
    ], forbidden=["lawsuit"], pass_=1.0)
    check(honest, {
        "起诉他没用,如实评价不构成侵权": "correct",
        "就算告他也会被驳回,如实评价不构成侵权": "correct",
        "老板,可以起诉他,告他让他赔钱道歉": "wrong",
        "不构成侵权,但还是让他赔我们损失": "wrong",
    })
