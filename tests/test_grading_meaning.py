"""The grader reads meaning in free text (issue 9): synonyms, order, corrections, roles, required
decisions, prompt copies, violation classes, mentions that explain rather than do. Each mechanism
is checked on wordings of its own, with the wrong answer it must still refuse."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pydantic import TypeAdapter

from quiz.cli import main
from quiz.grading import grade, lexicon
from quiz.loader import load_paths
from quiz.model import AnyQuestion, Question

_Q: TypeAdapter[Any] = TypeAdapter(Question)


def q(**kw: Any) -> AnyQuestion:
    question: AnyQuestion = _Q.validate_python({"id": "q", "prompt": "题目", **kw})
    return question


def v(question: AnyQuestion, answer: str) -> str:
    return grade(question, answer).verdict


def check(question: AnyQuestion, cases: dict[str, str]) -> None:
    assert {a: v(question, a) for a in cases} == cases


# --- short answers ------------------------------------------------------------------------------

WHO = q(type="short", prompt="质量问题维修的来回运费由谁承担?", answers=["商家"], reject=["买家"])
FORMULA = q(type="short", prompt="写出应答率的公式", answers=["接待量/咨询量"], reject=["咨询量/接待量"])
FINE = q(type="short", prompt="违约金是多少?", answers=["100万元或累计销售额10倍"], reject=["10万元或累计销售额10倍"])
ALERT = q(type="short", prompt="写出优惠监控的预警条件", answers=["商品最低价<参照价*预警阈值"],
          reject=["商品最低价>参照价*预警阈值"])
CPM = q(type="short", prompt="智钻CPM模式按什么扣费?", answers=["按展示扣费"], reject=["按点击扣费"])


def test_thesaurus_synonyms_in_short_answers() -> None:
    check(WHO, {"经营者": "correct", "店家出": "correct", "掌柜的承担": "correct",
                "顾客": "wrong", "消费者自己出": "wrong"})
    check(CPM, {"按展现计费": "correct", "按曝光收费": "correct", "按点击收费": "wrong"})


def test_the_same_content_in_another_order() -> None:
    check(FINE, {"累计销售额10倍或100万元": "correct", "累计销售额的十倍或者一百万": "correct",
                 "累计销售额10倍或10万元": "wrong"})
    check(ALERT, {"参照价*预警阈值>商品最低价": "correct", "商品最低价<预警阈值×参照价": "correct",
                  "预警阈值*参照价<商品最低价": "wrong", "参照价乘以预警阈值小于商品最低价": "wrong"})
    check(FORMULA, {"咨询量分之接待量": "correct", "接待量分之咨询量": "wrong"})


def test_words_in_between_and_what_the_prompt_already_says() -> None:
    check(ALERT, {"当商品的最低价格 < 参照价格 × 预警阈值": "correct", "最低价<参照价*预警阈值": "correct"})
    check(CPM, {"按展示": "correct", "应该是按展示吧": "correct", "按点击吧": "wrong",
                "按照展示的次数来扣费": "correct", "按展示和点击扣费": "wrong"})


def test_a_correction_counts_as_the_final_answer() -> None:
    check(FORMULA, {
        "是接待量/咨询量,不是反过来的咨询量/接待量": "correct",
        "一开始写成咨询量/接待量了,应该是接待量/咨询量": "correct",
        "一开始写成接待量/咨询量,应该是咨询量/接待量": "wrong",
    })
    check(WHO, {"我觉得是买家…不对,是商家": "correct", "商家…不对,是买家": "wrong"})


def test_pinyin_typed_without_tones_but_never_a_rival() -> None:
    check(WHO, {"商价": "correct", "伤家承担": "correct", "卖家": "correct", "买佳": "wrong"})


def test_ordered_is_enforced_on_every_accepted_form() -> None:
    steps = q(type="short", answers=["联系客服、申诉、等待审核"], ordered=True, keypoints=[
        {"point": "联系客服", "any": ["联系客服", "找小二"]},
        {"point": "申诉", "any": ["申诉"]},
        {"point": "等待审核", "any": ["等待审核", "等审核"]},
    ])
    check(steps, {"联系客服、申诉、等待审核": "correct", "找小二,提交申诉,然后等审核": "correct",
                  "申诉、联系客服、等待审核": "partial"})


# --- key points -------------------------------------------------------------------------------------

EVIDENCE = q(type="scenario", prompt="买家以差评相要挟,你怎么办?", keypoints=[
    {"point": "保存证据", "any": ["保存证据"], "weight": 2},
    {"point": "投诉", "any": ["投诉"], "weight": 2, "required": True},
    {"point": "及时", "any": ["15天内"]},
], pass_=0.6)


def test_tolerant_phrasing_and_kinds_of_a_word() -> None:
    check(EVIDENCE, {
        "保存好证据,投诉": "correct",
        "保留证据,举报": "correct",  # thesaurus: 保留 = 保存, 举报 = 投诉
        "把截图保存好,去投诉": "correct",  # 截图 is a kind of 证据
        "证据都保存好,然后投诉": "correct",  # the object said first
        "不保存证据,投诉": "partial",  # still negated
    })
    shots = q(type="scenario", keypoints=[{"point": "聊天截图", "any": ["截图"], "weight": 2},
                                          {"point": "投诉", "any": ["投诉"]}])
    assert v(shots, "准备证据,投诉") == "partial"  # 证据 is not a kind of 截图


def test_required_decision_and_exact_pass_share() -> None:
    assert v(EVIDENCE, "保存证据,15天内处理") == "partial"  # 3 of 5 points, but not the required one
    seven = q(type="scenario", keypoints=[{"point": k, "any": [k]} for k in ("甲方案", "乙方案", "丙方案",
                                                                            "丁方案", "戊方案", "己方案", "庚方案")],
              pass_=0.6)
    assert v(seven, "甲方案,乙方案,丙方案,丁方案") == "partial"  # 4/7 = 0.571 < 0.6: no rounding up
    assert v(seven, "甲方案,乙方案,丙方案,丁方案,戊方案") == "correct"


def test_negation_scope() -> None:
    late = q(type="scenario", keypoints=[{"point": "延迟发货", "any": ["延迟发货"]},
                                         {"point": "正常发货", "any": ["正常发货"]}], pass_=1.0)
    check(late, {
        "拒绝发货属于延迟发货,应该正常发货": "correct",  # 拒绝 is the subject, not a negation of the point
        "不发货就是延迟发货,应该正常发货": "correct",
        "这不属于延迟发货,正常发货": "partial",  # a real negation still negates
        "不正常发货": "wrong",
    })
    refuse = q(type="scenario", keypoints=[{"point": "拒绝回购", "any": ["不回购", "不买回来"], "required": True},
                                           {"point": "报警", "any": ["报警"]}], pass_=0.5)
    check(refuse, {"不会把鞋买回来,再骚扰就报警": "correct", "鞋买回来,报警": "partial",
                   # what it denies, dismissed at the end of its clause, makes a negative point
                   "回购的要求一律不答应,报警": "correct", "买回来白搭,报警": "correct",
                   # the decision said the other way is wrong, not partial
                   "买回来也行,报警": "wrong", "可以回购,报警": "wrong"})
    court = q(type="scenario", keypoints=[{"point": "恶意诋毁", "any": ["恶意诋毁"]}])
    check(court, {"法院看的是有没有恶意诋毁": "correct", "没有恶意诋毁": "wrong"})


def test_what_the_answer_copies_from_the_prompt_earns_nothing() -> None:
    washed = q(type="scenario", prompt="买家拆了吊牌、洗过、试穿后说不喜欢,要求退换,不给退就差评。你怎么处理?",
               keypoints=[{"point": "说明原因", "any": ["吊牌", "洗过"]}, {"point": "投诉", "any": ["投诉"]}],
               pass_=1.0)
    check(washed, {
        "买家拆了吊牌、洗过、试穿后说不喜欢,要求退换": "wrong",
        "拆了吊牌、洗过、试穿后说不喜欢,给她退了": "wrong",
        "吊牌拆了不能退,然后投诉": "correct",
    })
    assert "吊牌" in str(grade(washed, "买家拆了吊牌、洗过、试穿后说不喜欢,要求退换").details["copied"])
    # facts the prompt hands over for the reply, relayed in an answer of its own, do count
    relay = q(type="scenario", prompt="买家问有没有M码、今天能不能发。店里的情况:M码有货;今天下午能发出。请回复。",
              keypoints=[{"point": "有货", "any": ["M码有货"]}, {"point": "今天发", "any": ["今天下午"]}], pass_=1.0)
    check(relay, {"亲 M码有货 今天下午能发出哦": "correct", "亲,有的": "wrong"})
    # a reply addressed to the buyer may repeat the facts word for word: it relays them
    relay_seller = relay.model_copy(update={"voice": "seller"})
    check(relay_seller, {"亲,店里的情况:M码有货;今天下午能发出": "correct", "店里的情况:M码有货;今天下午能发出": "wrong"})
    # but a copy of the situation, with 亲 in front, still restates it
    washed_seller = washed.model_copy(update={"voice": "seller"})
    check(washed_seller, {"亲,买家拆了吊牌、洗过、试穿后说不喜欢,要求退换": "wrong"})


FREIGHT = q(type="scenario", prompt="质量问题寄回维修,运费谁出?", keypoints=[
    {"point": "两段运费都由商家承担", "any": ["运费我们出", "我们承担运费", "商家承担"], "weight": 2,
     "required": True, "who": "seller"},
    {"point": "道歉", "any": ["抱歉"]},
], pass_=0.75)


def test_roles_who_does_or_pays() -> None:
    check(FREIGHT, {
        "抱歉亲,来回运费我们都包了": "correct",
        "抱歉,运费由店家承担": "correct",
        "抱歉,寄回的运费您出,寄给您的运费我们出": "wrong",  # the decision given to the buyer
        "抱歉,运费您来承担": "wrong",
        "抱歉,您不用出运费,我们承担运费": "correct",
    })
    r = grade(FREIGHT, "抱歉,寄回的运费您出,寄给您的运费我们出")
    assert r.details["role"][0]["party"] == "buyer" and "您" in r.details["role"][0]["words"]


def test_roles_follow_the_voice() -> None:
    advice = q(type="scenario", voice="buyer", prompt="你的朋友被卖家骚扰,怎么办?", keypoints=[
        {"point": "保存证据", "any": ["保存证据", "通话记录"], "who": "buyer", "weight": 2},
        {"point": "投诉", "any": ["投诉"], "who": "buyer"},
    ], pass_=0.6)
    check(advice, {
        "你把通话记录存好,去平台投诉他": "correct",
        "让卖家保存通话记录去投诉买家": "wrong",
    })


# --- forbidden moves by meaning ------------------------------------------------------------------------

REPLY = q(type="scenario", prompt="买家给了差评,请写回复", keypoints=[
    {"point": "道歉", "any": ["抱歉", "道歉"], "weight": 2},
    {"point": "改进", "any": ["改进", "加强培训"]},
], pass_=0.6)


@pytest.mark.parametrize(
    ("answer", "cls"),
    [
        ("抱歉亲,我们会改进,麻烦把中评改一下,下次来给您免邮", "inducement"),
        ("抱歉,我们会改进。您追评说两句好话,我给您返5元", "inducement"),
        ("抱歉亲,改进中,删掉差评送您小礼物,您看行吗", "inducement"),
        ("抱歉,我们会改进,但你敢再差评我们就找人上门", "threat"),
        ("抱歉,会改进。我们知道你住哪", "threat"),
        ("抱歉,我们会改进,已经把你的电话和地址发到卖家群里了", "doxxing"),
        ("抱歉,会改进。王先生手机13812345678", "doxxing"),
        ("抱歉,我们会改进,聊天记录我P一下再交给平台", "fabrication"),
        ("抱歉,会改进,再找人刷几单好评", "fabrication"),
        ("抱歉,我们会改进,不过你这种素质低的人少来", "insult"),
        ("抱歉会改进,嫌贵别买", "insult"),
        ("抱歉会改进,但我们会天天打电话给他", "abuse"),
        ("抱歉,会改进,回头我打电话骂他不专业", "abuse"),  # what is said to him, not a judgment of the move
        ("抱歉,我们会改进,规则您自己去看", "brush-off"),
    ],
)
def test_violation_classes_recognise_paraphrases(answer: str, cls: str) -> None:
    r = grade(REPLY, answer)
    label = lexicon.classes()[cls].label
    assert r.verdict == "wrong" and label in r.violations, (r.violations, r.feedback)


@pytest.mark.parametrize(
    "answer",
    [
        "抱歉,我们会改进。老话术里\"帮您返现\"是利益诱导好评,违规的,不能用",
        "抱歉,会改进,我们不会用返现换好评",
        "抱歉,我们会改进;买家要求返现才给好评,我们没答应",
        "抱歉,会改进。把他信息发群里只会让我们也违法",
        "抱歉,会改进,聊天截图提交给平台举证",
        "抱歉,会改进,千万不能P图伪造证据",
        "抱歉,会改进,被买家骂了也不能骂回去",
        "抱歉,会改进。打电话骂他确实解气,但会被平台扣分",
        "抱歉,会改进。如果他恐吓我们的话就报警",
        "抱歉,会改进。打电话\"教训\"买家是骚扰恐吓",
        "抱歉,会改进。打电话骂买家很不专业,还会被投诉",
        "抱歉,会改进。卖家有权要求删评吗?没有,买家有权评价",
    ],
)
def test_a_mention_that_rejects_or_explains_is_not_doing_it(answer: str) -> None:
    r = grade(REPLY, answer)
    assert r.violations == () and r.verdict == "correct", (r.violations, r.feedback)


def test_classes_apply_to_seller_scenarios_by_default_and_opt_in_or_out() -> None:
    # opt-in classes (payoff, evasion) only where a question names them
    demand = q(type="scenario", keypoints=[{"point": "保存证据", "any": ["截图"]}], forbidden=["payoff"])
    assert v(demand, "截图留证,先给他退运费再送个收纳袋息事宁人") == "wrong"
    assert v(REPLY, "抱歉会改进,息事宁人吧") == "correct"
    # a question can opt out of a default class
    relaxed = q(type="scenario", keypoints=REPLY.keypoints, forbidden=["allow-brush-off"], pass_=0.6)  # type: ignore[union-attr]
    assert v(relaxed, "抱歉,会改进,规则您自己去看") == "correct"
    # a neutral voice (third-person advice) gets no default class; a short answer neither
    neutral = q(type="scenario", voice="neutral", keypoints=REPLY.keypoints, pass_=0.6)  # type: ignore[union-attr]
    assert v(neutral, "抱歉,会改进,规则您自己去看") == "correct"


def test_unknown_class_name_is_a_validation_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bank = tmp_path / "b.yaml"
    bank.write_text(
        "bank: b\ntitle: t\nquestions:\n  - id: s\n    type: scenario\n    prompt: p\n"
        "    keypoints: [{point: 道歉, any: [道歉]}]\n    forbidden: [inducment]\n",
        encoding="utf-8",
    )
    assert main(["validate", str(bank)]) == 1
    out = capsys.readouterr().out
    assert f"{bank}:8:17: bank b, question s: unknown violation class `inducment` (did you mean `inducement`?)" in out


# --- explainable feedback ---------------------------------------------------------------------------------


def test_feedback_names_the_words_the_classes_and_what_was_ignored() -> None:
    r = grade(REPLY, "实在不好意思,我们会加强培训。老话术里\"改好评返现\"是违规的")
    assert r.verdict == "correct"
    assert {"point": "道歉", "words": "不好意思", "how": "exact"} in r.details["found"]
    assert "“不好意思”" in r.feedback
    assert any(x["why"] == "explained" for x in r.details["ignored"])
    bad = grade(REPLY, "抱歉,会改进,下次给您免邮,麻烦改个好评")
    assert bad.details["violations"][0]["words"] in ("免邮…改个好评", "免邮…好评")
    assert "免邮" in bad.feedback
    en = grade(REPLY, "抱歉,会改进,下次给您免邮,麻烦改个好评", lang="en")
    assert en.feedback.startswith("A move that must not be made: inducing a review")
    assert grade(REPLY, "我们会改进", lang="en").feedback.startswith("Partly correct. Key points made: 改进")
    # English is punctuated as English: points parted by ";", the words in (“…”), each part a sentence
    both = grade(REPLY, "实在抱歉，我们会加强培训", lang="en").feedback
    assert "Key points made: 道歉 (“实在抱歉”); 改进 (“加强培训”)" in both, both
    assert "（" not in both and "、" not in both


# --- a trainer's own thesaurus and classes ------------------------------------------------------------------


def test_a_trainers_thesaurus_and_classes_in_the_bank_folder(tmp_path: Path) -> None:
    (tmp_path / "words.yaml").write_text(
        "thesaurus: my-shop\ngroups:\n  - words: [售后单, 工单]\n", encoding="utf-8")
    (tmp_path / "rules.yaml").write_text(
        "violations: my-shop\nclasses:\n  upsell:\n    label: 借机推销\n    label_en: upselling\n"
        "    any: [顺便看看新品]\n    default: false\n", encoding="utf-8")
    (tmp_path / "bank.yaml").write_text(
        "bank: shop\ntitle: t\nquestions:\n  - id: s\n    type: scenario\n    prompt: p\n"
        "    keypoints: [{point: 建售后单, any: [建售后单]}]\n    forbidden: [upsell]\n", encoding="utf-8")
    try:
        lib, problems = load_paths([tmp_path], use_cache=False)
        assert problems == []
        question = lib.item("shop/s").question
        assert v(question, "先建个工单") == "correct"
        assert v(question, "建售后单,顺便看看新品") == "wrong"
    finally:
        lexicon.unregister_all()
    # the shipped thesaurus is still there; the trainer's word is gone again
    assert lexicon.thesaurus().canonical("工单") == "工单"
    assert lexicon.thesaurus().canonical("经营者") == "卖家"


def test_thesaurus_and_class_files_are_validated_with_places(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "t.yaml").write_text(
        "thesaurus: bad\ngroups:\n  - words: [卖家, 商家]\n  - words: [商家, 店铺]\n  - wrds: [甲]\n", encoding="utf-8")
    (tmp_path / "v.yaml").write_text(
        "violations: bad\nclasses:\n  odd:\n    label: 怪\n    label_en: odd\n    all: [[甲]]\n", encoding="utf-8")
    assert main(["validate", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert f"{tmp_path / 't.yaml'}:4:13: thesaurus bad: '商家' is already in group 1" in out
    assert f"{tmp_path / 't.yaml'}:5:5: thesaurus bad: unknown field `wrds` (did you mean `words`?)" in out
    assert f"{tmp_path / 'v.yaml'}:6:10: violations bad: class 'odd': `all` needs two or more word groups" in out
    lexicon.unregister_all()


# --- calibration examples ----------------------------------------------------------------------------------

CALIBRATED = """\
bank: cal
title: t
questions:
  - id: who
    type: short
    prompt: 运费由谁承担?
    answers: [商家]
    reject: [买家]
    examples:
      - {answer: 店家承担, expect: correct}
      - {answer: 买家出, expect: {buyer}}
"""


def test_validate_fails_when_the_grader_disagrees_with_an_example(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = tmp_path / "good.yaml"
    good.write_text(CALIBRATED.replace("{buyer}", "wrong"), encoding="utf-8")
    assert main(["validate", str(good)]) == 0
    bad = tmp_path / "bad.yaml"
    bad.write_text(CALIBRATED.replace("{buyer}", "correct"), encoding="utf-8")
    capsys.readouterr()
    assert main(["validate", str(bad)]) == 1
    out = capsys.readouterr().out
    assert (f"{bad}:11:18: bank cal, question who: example '买家出' expects correct, the grader says wrong") in out


def test_quiz_grade_uses_the_shipped_lists_and_those_of_the_bank_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    outside = tmp_path / "dev.yaml"
    outside.write_text(
        "bank: dev\ntitle: t\nquestions:\n  - id: who\n    type: short\n    prompt: 谁承担?\n"
        "    answers: [商家]\n    reject: [买家]\n  - id: ticket\n    type: short\n    prompt: 建什么?\n"
        "    answers: [售后单]\n", encoding="utf-8")

    def graded(*extra: str, qid: str, answer: str) -> str:
        capsys.readouterr()
        assert main([*extra, "grade", str(outside), "--id", qid, "--answer", answer]) == 0
        return str(json.loads(capsys.readouterr().out)["verdict"])

    try:
        assert graded(qid="who", answer="店家承担") == "correct"  # the shipped thesaurus
        assert graded(qid="ticket", answer="工单") == "wrong"
        trainer = tmp_path / "trainer-banks"
        trainer.mkdir()
        (trainer / "words.yaml").write_text("thesaurus: mine\ngroups:\n  - words: [售后单, 工单]\n", encoding="utf-8")
        assert graded("--banks", str(trainer), qid="ticket", answer="工单") == "correct"
    finally:
        lexicon.unregister_all()


HARASSED = q(type="scenario", prompt="一伙买家索要补偿不成就天天打电话骚扰你，你怎么处理？", keypoints=[
    {"point": "保留证据", "any": ["截图", "录音", "保留证据"]},
    {"point": "报警", "any": ["报警", "110"]},
], forbidden=["abuse"], pass_=0.6)


@pytest.mark.parametrize("answer", ["保留聊天记录截图，打电话骚扰就报警", "留好录音，再打电话骚扰就直接报警", "截图存证，电话轰炸就报警"])
def test_what_brings_a_report_is_the_other_sides_act_not_the_learners(answer: str) -> None:
    """打电话骚扰就报警 reads "(if they) harass by phone, call the police": the harassment is the condition."""
    r = grade(HARASSED, answer)
    assert not r.violations, r.feedback
    assert r.verdict == "correct", r.feedback


@pytest.mark.parametrize("answer", ["保留截图，我们也打电话骚扰他", "天天打电话骚扰他，让他删差评", "截图后打电话骚扰他就行"])
def test_harassing_the_buyer_is_still_the_learners_act(answer: str) -> None:
    assert grade(HARASSED, answer).violations, answer
