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
        "有货,运费券直接用不了哦": "correct",  # X不了: cannot X
    })
    check(LATE, {
        "超过15天也能投诉,赶紧去投": "wrong",
        "第18天还可以投诉": "wrong",
        "超过15天了投诉不了,15天内才能投诉,只能回评解释": "correct",  # a limit agrees with the decision
        "如果还在15天内能投诉,现在超过15天了,回评解释": "correct",  # a condition is not a claim
        "超过15天了投不了,回评解释": "correct",  # (不了 is 投's, not a denial of 超过15天)
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
        "投诉少不了,报警": "correct",  # cannot do without it
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


# --- short answers ---------------------------------------------------------------------------------

CPM = q(type="short", prompt="智钻CPM模式按什么扣费?", answers=["按展示扣费", "按展示扣费点击不扣费"],
        reject=["按点击扣费", "展示和点击都扣费"])
ALERT = q(type="short", prompt="写出优惠监控的预警条件", answers=["商品最低价<参照价*预警阈值"],
          reject=["商品最低价>参照价*预警阈值"])
FINE = q(type="short", prompt="出售假冒商品的违约金是多少?", answers=["100万元或全部累计销售额10倍", "100万或累计销售额10倍"],
         reject=["10万元或累计销售额10倍", "100万元或近30天销售额10倍"],
         keypoints=[{"point": "100万元", "any": ["100万"]}, {"point": "累计销售额10倍", "any": ["累计销售额10倍"]}])


def test_a_contrast_that_corrects_is_graded_on_what_it_affirms() -> None:
    check(CPM, {
        "是按展示,不是按点击": "correct",
        "看展示,点击不收钱": "correct",
        "按展现量,点击不扣": "correct",
        "不按点击按展示": "correct",
        "是按点击,不是按展示": "wrong",
        "看点击,展示不收钱": "wrong",
        "展示和点击都收": "wrong",
    })


def test_a_comparison_said_in_words() -> None:
    check(ALERT, {
        "最低价比参照价乘预警阈值还低的时候": "correct",
        "商品最低价比参照价×预警阈值低就预警": "correct",
        "商品最低价低于参照价的预警阈值倍": "correct",  # 参照价的预警阈值倍 = 参照价×预警阈值
        "最低价<参照价x预警阈值": "correct",  # a letter x between words multiplies
        "商品最低价 比 参照价*预警阈值 小": "correct",
        "最低价比参照价乘以阈值还高的时候": "wrong",
        "参照价乘以预警阈值比商品最低价还低": "wrong",  # the same comparison the other way round
    })


def test_a_fact_with_another_qualifier_or_number_is_not_the_fact() -> None:
    check(FINE, {
        "100万或近一个月销售额十倍": "wrong",  # another qualifier where the rejected form shows one
        "100万或当月销售额十倍": "wrong",  # two characters changed side by side are not a slip
        "一百万或者年销售额的10倍": "wrong",
        "100万元或累计销售额的100倍": "wrong",  # the point said with another number
        "100万或者总销售额的10倍": "correct",  # (the thesaurus reads 总销售额 as 累计销售额)
        "100万或销售额十倍": "correct",  # the qualifier left out is not another one
        "100万,或全部累计销售额乘10": "correct",  # 乘10 = 10倍
        "100万或者十倍累计销售额": "correct",
        "100万": "partial",
    })


def test_chinese_numerals_run_together_number_the_steps() -> None:
    steps = q(type="short", prompt="删除差评的三个步骤依次是什么?", answers=["联系客服、申诉、等待审核"], ordered=True,
              keypoints=[{"point": "联系客服", "any": ["联系客服"]}, {"point": "申诉", "any": ["申诉"]},
                         {"point": "等待审核", "any": ["等待审核", "等审核"]}])
    check(steps, {"一联系客服二申诉三等待审核": "correct", "第一联系客服第二申诉第三等审核": "correct",
                  "一申诉二联系客服三等审核": "partial"})


def test_a_terse_list_names_the_points_it_lists() -> None:
    evidence = q(type="scenario", prompt="投诉恶意差评前要准备哪些证据?", keypoints=[
        {"point": "聊天截图", "any": ["聊天截图", "旺旺截图", "对话截图"], "required": True, "weight": 2},
        {"point": "快递单", "any": ["快递单", "物流单"]},
        {"point": "合格证", "any": ["合格证", "鉴定书"]},
    ], pass_=0.7)
    check(evidence, {
        "截图,快递单,合格证": "correct",
        "截图、物流单和鉴定书": "correct",
        "快递单截图和合格证": "partial",  # a screenshot of the waybill is not the chat's
        "销量截图,好评截图": "wrong",
    })
    shows = q(type="short", prompt="聊天截图里必须能看到哪两项信息?", answers=["用户名和聊天时间"], keypoints=[
        {"point": "用户名", "any": ["用户名", "旺旺名"]},
        {"point": "聊天时间", "any": ["聊天时间", "发消息的时间"]},
    ])
    check(shows, {"用户名 时间": "correct", "旺旺名还有时间": "correct", "聊天内容和时间": "partial",
                  "订单时间和商品名": "wrong"})  # 时间 with another qualifier is another time


def test_an_accepted_form_without_the_prompts_words_is_not_found_after_another_qualifier() -> None:
    shows = q(type="short", prompt="上传旺旺聊天截图时必须能看到哪两项?", answers=["聊天时间和用户名"])
    check(shows, {"时间和用户名": "correct", "是时间和用户名": "correct", "下单时间和用户名": "wrong"})


def test_paying_back_alone_and_whom_a_party_turns_to() -> None:
    check(REPAIR, {
        # the shop pays it back, its subject in the clause before
        "寄回来的运费我们到时候给您补上,修好后的运费也是我们的,抱歉": "correct",
        "抱歉,寄回的运费您先付,凭快递单找我报销,修好寄给您的运费我们承担": "correct",
    })
    harass = q(type="scenario", voice="neutral", prompt="朋友被卖家骚扰,怎么办?", keypoints=[
        {"point": "保存证据", "any": ["保存证据", "截图"], "who": "buyer", "weight": 2},
        {"point": "投诉", "any": ["投诉", "找小二"], "who": "buyer"},
    ], pass_=1.0)
    check(harass, {
        "先截图存好,然后找平台投诉": "correct",  # 平台 is whom the buyer turns to, not who complains
        "让卖家截图,卖家去投诉": "wrong",
    })
