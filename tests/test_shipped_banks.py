"""The shipped banks: they load cleanly, cover the seed, and grade their own answers.

Every question is graded against its own answer key through the real grader
(quiz.grading.grade): each accepted form and sample answer must be ``correct``,
each rejected form and wrong option ``wrong``. A failure names the question
(``bank/id``); it is either a bank bug (fix the wording) or a grader bug.
The learner answers at the bottom are realistic, colloquial answers to each
scenario: a good one must pass, a retaliating one must fail.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from quiz.exam import draw
from quiz.grading import grade
from quiz.grading.lexicon import known_classes
from quiz.grading.normalize import has_negator
from quiz.library import Item, Library
from quiz.loader import load_paths
from quiz.model import (
    LETTERS,
    QUESTION_TYPES,
    JudgeQuestion,
    MultiQuestion,
    NumericQuestion,
    ScenarioQuestion,
    ShortQuestion,
    SingleQuestion,
)

BANKS = Path(__file__).resolve().parent.parent / "banks"

# Loaded once at collection, without the cache, so nothing is written anywhere.
LIBRARY, PROBLEMS = load_paths([BANKS], use_cache=False)
ITEMS: list[Item] = sorted(LIBRARY, key=lambda it: it.qid)


def _items(*types: str) -> list[Item]:
    return [it for it in ITEMS if it.type in types]


def _ids(items: list[Item]) -> list[str]:
    return [it.qid for it in items]


def _verdict(item: Item, answer: str) -> str:
    return grade(item.question, answer).verdict


# --- the banks as a whole --------------------------------------------------------------


def test_shipped_banks_load_without_problems() -> None:
    assert PROBLEMS == [], "\n".join(str(p) for p in PROBLEMS)


def test_shipped_banks_cover_the_seed() -> None:
    lib: Library = LIBRARY
    assert len(lib) >= 120
    assert len(lib.banks) >= 6
    assert len(lib.topics()) >= 6
    assert {it.type for it in lib} == set(QUESTION_TYPES)
    assert len(lib.select(types=["scenario"])) >= 15
    for bank_id in (
        "review-rules",
        "penalties",
        "freight-aftersales",
        "cs-metrics",
        "advertising-marketing",
        "disputes",
    ):
        assert len(lib.select(banks=[bank_id])) >= 15, bank_id


@pytest.mark.parametrize("bank_id", sorted(LIBRARY.banks))
def test_bank_topics_are_finer_than_the_bank(bank_id: str) -> None:
    """专项练习 and the per-topic mastery bars need sub-areas: a topic equal to the bank adds nothing."""
    bank = LIBRARY.banks[bank_id]
    topics: dict[str, int] = {}
    for it in LIBRARY.select(banks=[bank_id]):
        assert it.question.topic, it.qid
        topics[it.question.topic] = topics.get(it.question.topic, 0) + 1
    assert len(topics) >= 3, topics
    assert bank.title not in topics, bank.title
    small = {t: n for t, n in topics.items() if n < 3}
    assert not small, f"topics with fewer than 3 questions: {small}"


def test_each_topic_lives_in_one_bank() -> None:
    """A topic's mastery bar sits under one bank on the home screen, so it must not straddle two."""
    banks_of: dict[str, set[str]] = {}
    for it in ITEMS:
        banks_of.setdefault(it.question.topic or "", set()).add(it.qid.split("/")[0])
    assert {t: b for t, b in banks_of.items() if len(b) > 1} == {}


def test_topic_filter_selects_exactly_its_questions() -> None:
    """Choosing a topic for 专项练习 gives every question with that topic, and nothing else."""
    for topic in LIBRARY.topics():
        expected = {it.qid for it in ITEMS if it.question.topic == topic}
        assert {it.qid for it in LIBRARY.select(topics=[topic])} == expected, topic
    assert sum(len(LIBRARY.select(topics=[t])) for t in LIBRARY.topics()) == len(ITEMS)


def test_every_bank_file_names_its_schema() -> None:
    """The editor's schema line resolves, relative to the file, to the shipped banks/schema/*.json."""
    prefix = "# yaml-language-server: $schema="
    for path, kind in [
        *((p, "bank") for p in BANKS.glob("*.yaml")),
        *((p, "exam") for p in BANKS.glob("exams/*.yaml")),
        *((p, p.stem) for p in BANKS.glob("lexicon/*.yaml")),
    ]:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith(prefix), path
        target = (path.parent / first.removeprefix(prefix)).resolve()
        assert target == (BANKS / "schema" / f"{kind}.schema.json").resolve(), path
        assert target.is_file()


@pytest.mark.parametrize("item", ITEMS, ids=_ids(ITEMS))
def test_question_is_documented(item: Item) -> None:
    q = item.question
    assert q.topic, "topic"
    assert q.difficulty is not None, "difficulty"
    assert q.explanation and len(q.explanation) >= 8, "explanation"
    assert q.source and len(q.source) >= 6, "source"
    assert q.as_of, "as_of: the year or date of the rule it teaches"
    learner_facing = " ".join([q.prompt, q.explanation, q.source, *getattr(q, "choices", [])])
    assert "种子" not in learner_facing, "name the real source: a learner never saw the seed"


# --- self-grading: the answer key grades as it says -------------------------------------


@pytest.mark.parametrize("item", _items("single"), ids=_ids(_items("single")))
def test_single_grades_its_own_key(item: Item) -> None:
    q = item.question
    assert isinstance(q, SingleQuestion)
    right = q.answer_index
    letter = LETTERS[right]
    for answer in (letter, letter.lower(), f"选{letter}", q.choices[right]):
        assert _verdict(item, answer) == "correct", answer
    for i, choice in enumerate(q.choices):
        if i != right:
            assert _verdict(item, LETTERS[i]) == "wrong", LETTERS[i]
            assert _verdict(item, choice) == "wrong", choice


@pytest.mark.parametrize("item", _items("multi"), ids=_ids(_items("multi")))
def test_multi_grades_its_own_key(item: Item) -> None:
    q = item.question
    assert isinstance(q, MultiQuestion)
    right = sorted(q.answer_indexes)
    letters = "".join(LETTERS[i] for i in right)
    assert _verdict(item, letters) == "correct"
    assert _verdict(item, "、".join(reversed(letters.lower()))) == "correct"
    wrong = [i for i in range(len(q.choices)) if i not in right]
    assert wrong, "a 多选 whose every option is right teaches nothing"
    assert _verdict(item, letters + LETTERS[wrong[0]]) == "wrong"
    assert _verdict(item, LETTERS[wrong[0]]) == "wrong"
    if len(right) > 1:
        fewer = _verdict(item, LETTERS[right[0]])
        assert fewer == ("partial" if q.scoring == "partial" else "wrong")


@pytest.mark.parametrize("item", _items("judge"), ids=_ids(_items("judge")))
def test_judge_grades_its_own_key(item: Item) -> None:
    q = item.question
    assert isinstance(q, JudgeQuestion)
    yes, no = ("对", "错") if q.answer else ("错", "对")
    assert _verdict(item, yes) == "correct"
    assert _verdict(item, "正确" if q.answer else "错误") == "correct"
    assert _verdict(item, no) == "wrong"


@pytest.mark.parametrize("item", _items("numeric"), ids=_ids(_items("numeric")))
def test_numeric_grades_its_own_key(item: Item) -> None:
    q = item.question
    assert isinstance(q, NumericQuestion)
    n = int(q.answer) if float(q.answer).is_integer() else q.answer
    assert q.unit, "a shipped numeric question names its unit"
    for unit in [q.unit, *q.units]:
        assert _verdict(item, f"{n}{unit}") == "correct", unit
    assert _verdict(item, str(n)) == "correct"
    for near in (n + 1, n - 1, n * 10):
        assert _verdict(item, f"{near}{q.unit}") == "wrong", near


@pytest.mark.parametrize("item", _items("short"), ids=_ids(_items("short")))
def test_short_grades_its_own_key(item: Item) -> None:
    q = item.question
    assert isinstance(q, ShortQuestion)
    for answer in q.answers:
        assert _verdict(item, answer) == "correct", answer
    for answer in q.reject:
        assert _verdict(item, answer) == "wrong", answer
    assert _verdict(item, "") == "wrong"


@pytest.mark.parametrize("item", _items("scenario"), ids=_ids(_items("scenario")))
def test_scenario_sample_answer_is_correct(item: Item) -> None:
    q = item.question
    assert isinstance(q, ScenarioQuestion)
    assert q.sample_answer, "every shipped scenario has a sample answer"
    r = grade(q, q.sample_answer)
    assert r.verdict == "correct", (r.missed, r.violations)
    assert r.violations == ()
    assert q.forbidden, "every shipped scenario names forbidden actions"
    assert _verdict(item, "") == "wrong"


@pytest.mark.parametrize("item", _items("scenario"), ids=_ids(_items("scenario")))
def test_scenario_forbidden_action_fails_a_good_answer(item: Item) -> None:
    """Adding any forbidden action to the model answer makes it wrong; negating it does not."""
    q = item.question
    assert isinstance(q, ScenarioQuestion) and q.sample_answer
    for f in q.forbidden:
        if isinstance(f, str):  # a violation class, recognised by meaning: it must exist (its wordings are tested in
            assert f in known_classes() or f.removeprefix("allow-") in known_classes(), f  # test_grading_meaning)
            continue
        for phrase in f.any:
            r = grade(q, f"{q.sample_answer}另外{phrase}。")
            assert r.verdict == "wrong" and f.point in r.violations, phrase
            if not has_negator(phrase):
                assert _verdict(item, f"{q.sample_answer}但是绝对不要{phrase}。") == "correct", phrase


@pytest.mark.parametrize("item", _items("scenario"), ids=_ids(_items("scenario")))
def test_scenario_one_key_point_is_not_enough(item: Item) -> None:
    """An answer that makes only the weightiest point is partial, never correct."""
    q = item.question
    assert isinstance(q, ScenarioQuestion)
    top = max(q.keypoints, key=lambda k: k.weight)
    assert _verdict(item, top.any[0]) == "partial", top.any[0]


@pytest.mark.parametrize("item", _items("scenario"), ids=_ids(_items("scenario")))
def test_scenario_half_the_key_points_is_not_correct(item: Item) -> None:
    """Any set of key points worth at most half the weight is partial, never correct (bank-format.md)."""
    q = item.question
    assert isinstance(q, ScenarioQuestion)
    total = sum(k.weight for k in q.keypoints)
    for r in range(1, len(q.keypoints)):
        for subset in itertools.combinations(q.keypoints, r):
            if sum(k.weight for k in subset) * 2 <= total:
                answer = "，".join(k.any[0] for k in subset)
                assert _verdict(item, answer) != "correct", answer


# --- exams ----------------------------------------------------------------------------


def test_shipped_exams() -> None:
    assert set(LIBRARY.exams) >= {"cs-mock", "dispute-practice", "rules-recall"}
    mock = LIBRARY.exams["cs-mock"]
    assert mock.total_points == 100
    assert {t for s in mock.sections for t in s.types} == {"single", "multi", "judge"}
    assert 0 < mock.pass_score < mock.total_points
    practice = LIBRARY.exams["dispute-practice"]
    assert practice.total_points == 100
    assert all(s.types == ["scenario"] for s in practice.sections)
    recall = LIBRARY.exams["rules-recall"]
    assert recall.total_points == 100
    assert {t for s in recall.sections for t in s.types} == {"numeric", "short"}


def test_dispute_practice_sections_split_the_scenarios_by_bank() -> None:
    """Each scenario belongs to exactly one section of 纠纷处理实战, and the first one holds the dispute banks."""
    first, second = ({it.qid for it in LIBRARY.section_pool(s)} for s in LIBRARY.exams["dispute-practice"].sections)
    assert first.isdisjoint(second)
    assert first | second == {it.qid for it in _items("scenario")}
    assert {q.split("/")[0] for q in first} == {"disputes", "review-rules", "penalties"}


def test_every_question_can_be_drawn_by_some_exam() -> None:
    drawable = {it.qid for exam in LIBRARY.exams.values() for s in exam.sections for it in LIBRARY.section_pool(s)}
    assert drawable == {it.qid for it in ITEMS}


@pytest.mark.parametrize("exam_id", sorted(LIBRARY.exams))
def test_exam_blueprint_draws(exam_id: str) -> None:
    exam = LIBRARY.exams[exam_id]
    for section in exam.sections:
        assert len(LIBRARY.section_pool(section)) >= section.count, section.title
    for seed in range(5):
        drawn = draw(LIBRARY, exam, seed)
        qids = [d.qid for d in drawn]
        assert len(qids) == sum(s.count for s in exam.sections)
        assert len(set(qids)) == len(qids)
        for qid in qids:
            assert qid in LIBRARY


# --- what learners really write ------------------------------------------------------------

LEARNER_ANSWERS: list[tuple[str, str, str]] = [
    # 评价规则与恶意评价
    (
        "review-rules/late-review-what-now",
        "已经过了15天,投诉不了了。先联系买家问问开胶的情况,给他换一双,30天内协商看能不能改一次评价,再在差评下面回复解释一下",
        "correct",
    ),
    ("review-rules/late-review-what-now", "跟买家说改好评就返现20块", "wrong"),
    ("review-rules/late-review-what-now", "还没过15天,可以投诉恶意评价", "wrong"),
    ("review-rules/competitor-review-scenario", "这是同行恶意差评,先截个图留证据,然后15天内去投诉", "correct"),
    ("review-rules/competitor-review-scenario", "也给他差评,去他店里刷差评报复回去", "wrong"),
    (
        "review-rules/evidence-prep-scenario",
        "旺旺聊天截图要带用户名和时间,快递单截图,再加上质量合格证,最后把有利的聊天举证,填举证号码",
        "correct",
    ),
    ("review-rules/evidence-prep-scenario", "P个图,把他说的话改得更难听一点再交上去", "wrong"),
    # 处罚与违约金
    (
        "penalties/counterfeit-supplier-scenario",
        "不能进,高仿就是假货,被查到严重违规扣100分,还要赔100万或者累计销售额的10倍",
        "correct",
    ),
    ("penalties/counterfeit-supplier-scenario", "先少量试卖看看,标题不写品牌名就行", "wrong"),
    (
        "penalties/seller-retaliation-scenario",
        "老板别冲动,骚扰买家会被扣分,严重的算严重违规,还可能违法。我们先跟买家沟通,不行就找小二投诉",
        "correct",
    ),
    (
        "penalties/seller-retaliation-scenario",
        "千万别骂他、别威胁他,也别把他信息发到群里。骚扰买家会被扣分,走平台投诉",
        "correct",
    ),
    ("penalties/seller-retaliation-scenario", "支持老板,把他电话发到群里,大家一起打电话骂他", "wrong"),
    # 运费承担与售后
    (
        "freight-aftersales/refund-process-scenario",
        "先联系买家,让她拍照核实一下,跟她道个歉,然后给她换货或者退款,跟进物流,最后登记一下",
        "correct",
    ),
    ("freight-aftersales/refund-process-scenario", "肯定是你自己摔的,不关我们的事", "wrong"),
    (
        "freight-aftersales/late-delivery-scenario",
        "这样算延迟发货,会违规的,还是按时发货吧,聊天记录截图留着,真给恶意差评再投诉",
        "correct",
    ),
    ("freight-aftersales/late-delivery-scenario", "听老板的,先压着不发,拖几天再发", "wrong"),
    (
        "freight-aftersales/freight-repair-scenario",
        "亲,不好意思给您添麻烦了,这是质量问题,来回运费我们出,维修进度我随时告诉您",
        "correct",
    ),
    ("freight-aftersales/freight-repair-scenario", "亲抱歉,运费都由商家承担,进度随时告诉您", "correct"),
    ("freight-aftersales/freight-repair-scenario", "寄回运费您出,修好了我们包邮寄给您", "wrong"),
    ("freight-aftersales/freight-repair-scenario", "亲抱歉,运费由您承担哦,修好我们跟进", "wrong"),
    # 客服指标与话术
    ("cs-metrics/answer-all-scenario", "亲,M码有货哦,今天下午就能发,运费券要满足门槛才能用", "correct"),
    ("cs-metrics/answer-all-scenario", "M码有货的亲", "partial"),
    ("cs-metrics/answer-all-scenario", "有货,自己看详情页", "wrong"),
    (
        "cs-metrics/slow-reply-scenario",
        "亲,真不好意思,大促买的人多,客服忙不过来回复慢了,我们会加强客服培训,谢谢您的支持",
        "correct",
    ),
    (
        "cs-metrics/slow-reply-scenario",
        "亲,抱歉,人多忙不过来,回复慢了,会加强培训,感谢支持。不会搞好评返现那一套",
        "correct",
    ),
    ("cs-metrics/slow-reply-scenario", "亲,对不起回复慢了,您改好评就返现5元", "wrong"),
    ("cs-metrics/slow-reply-scenario", "嫌慢别买", "wrong"),
    (
        "cs-metrics/bad-attitude-scenario",
        "亲,非常抱歉,您的心情我理解,我们会加强培训。老话术用返现换好评属于利益诱导好评,是违规的,不能用",
        "correct",
    ),
    ("cs-metrics/bad-attitude-scenario", "道歉,理解,改进。老话术里改好评后返现、免邮属于利益诱导,违规", "correct"),
    ("cs-metrics/bad-attitude-scenario", "亲对不起,您的心情我理解,您改好评后返现10元,您看行吗", "wrong"),
    ("cs-metrics/bad-attitude-scenario", "抱歉,理解您,会改进。给您发个红包您改成好评吧", "wrong"),
    (
        "cs-metrics/reply-under-review-scenario",
        "亲,实在抱歉,仓库排单晚发了两天,我们已经调整了,以后会加快发货,谢谢您的反馈",
        "correct",
    ),
    ("cs-metrics/reply-under-review-scenario", "这位买家素质低,催什么催", "wrong"),
    # 广告用语与营销
    (
        "advertising-marketing/ad-copy-scenario",
        "最低价、最好、国家级、最大让利都是极限词,违反广告法,要删掉,改成如实描述",
        "correct",
    ),
    ("advertising-marketing/ad-copy-scenario", "标题没问题,再找人刷单刷好评冲销量", "wrong"),
    # 纠纷处理与维权
    (
        "disputes/ring-orders-scenario",
        "这是职业差评师团伙,先截图保存聊天记录和通话记录,15天内赶紧投诉恶意评价,电话太多就报警",
        "correct",
    ),
    # the generic line plus the police: no refusal of the ring's demands, no proof the goods are genuine
    ("disputes/ring-orders-scenario", "不要骂回去,也别曝光买家,截图留证据,尽快投诉,报警", "partial"),
    ("disputes/ring-orders-scenario", "截个图,找小二投诉", "partial"),
    ("disputes/ring-orders-scenario", "报警", "partial"),
    ("disputes/ring-orders-scenario", "打电话骂回去,把他们的信息发到网上曝光", "wrong"),
    ("disputes/ring-orders-scenario", "截图留证据,尽快投诉,然后人肉他们", "wrong"),
    ("disputes/ring-orders-scenario", "给他们退款并补偿,息事宁人", "wrong"),
    ("disputes/ring-orders-scenario", "不截图也不投诉,自认倒霉", "wrong"),
    ("disputes/resale-harassment-scenario", "不答应他,电话录音留证据,向平台投诉,还骚扰就报警", "correct"),
    ("disputes/resale-harassment-scenario", "打电话骂回去,吓唬他", "wrong"),
    (
        "disputes/washed-underwear-scenario",
        "跟她好好说,吊牌拆了还洗过了不能退。把她威胁的聊天截图留证据,给了差评就去投诉恶意评价,把威胁的话举证",
        "correct",
    ),
    ("disputes/washed-underwear-scenario", "保留聊天记录,投诉她恶意评价,然后给她打电话骂她一顿", "wrong"),
    ("disputes/washed-underwear-scenario", "保留聊天记录,投诉,然后给她返现让她改好评", "wrong"),
    ("disputes/washed-underwear-scenario", "直接骂回去,把她的地址挂出来", "wrong"),
    (
        "disputes/inconsistent-service-scenario",
        "记下两个客服的工号和时间,尽快再次申诉,把她威胁的聊天记录举证,详细描述情况",
        "correct",
    ),
    ("disputes/inconsistent-service-scenario", "打电话骂客服,再去找她算账", "wrong"),
    (
        "disputes/freight-threat-scenario",
        "婉拒他,这个要求不合理,聊天截图保存,他给差评就在15天内投诉恶意评价",
        "correct",
    ),
    ("disputes/freight-threat-scenario", "骂回去,威胁他再差评就人肉他", "wrong"),
    (
        "disputes/appeal-writing-scenario",
        "要有聊天记录和订单详情这些证据,详细描述事情经过,指出评价与事实不符,提交后耐心等待,要补充证据就及时补",
        "correct",
    ),
    ("disputes/appeal-writing-scenario", "证据不够就伪造聊天记录", "wrong"),
    (
        "disputes/honest-review-lawsuit-scenario",
        "买家有权给差评,没有侮辱诽谤,不构成侵权,告了也会被驳回。不如沟通一下,回评解释,改进面料",
        "correct",
    ),
    ("disputes/honest-review-lawsuit-scenario", "起诉吓唬他,再天天打电话逼他删评", "wrong"),
    (
        "disputes/harassed-buyer-scenario",
        "先把通话记录和短信截图留证据,去平台投诉,严重的可以报警,也可以依据民法典去法院起诉",
        "correct",
    ),
    ("disputes/harassed-buyer-scenario", "留好通话记录短信,报警,去法院起诉,再去平台投诉。别骂回去", "correct"),
    ("disputes/harassed-buyer-scenario", "以牙还牙,骂回去", "wrong"),
    ("disputes/harassed-buyer-scenario", "留好通话记录短信,报警,再人肉他", "wrong"),
    # colloquial phrasings: 留个证据/存证/找淘宝客服; retaliation in other words
    ("disputes/ring-orders-scenario", "别跟他们吵,留个证据,找淘宝客服投诉,要尽快", "partial"),
    ("disputes/ring-orders-scenario", "天天打电话骚扰他们,让他们也尝尝滋味", "wrong"),
    ("disputes/ring-orders-scenario", "截图存证,投诉,再给他们返现让他们改好评", "wrong"),
    ("disputes/freight-threat-scenario", "给他返现,让他别给差评", "wrong"),
    ("disputes/freight-threat-scenario", "跟他说这个要求不合理,截个图存证,差评了就找淘宝客服投诉", "correct"),
    ("disputes/washed-underwear-scenario", "截个图存证,找淘宝客服投诉,跟她好好说吊牌拆了不能退", "correct"),
    ("disputes/washed-underwear-scenario", "截图,投诉,再打电话骚扰她", "wrong"),
    ("disputes/inconsistent-service-scenario", "录音记下工号,尽快重新申诉,补充证据,把威胁的聊天举证", "correct"),
    ("disputes/inconsistent-service-scenario", "申诉没用,直接去找她算账", "wrong"),
    (
        "disputes/honest-review-lawsuit-scenario",
        "告不赢的,买家有权利给差评,只要不是恶意诋毁就不算侵权,还是好好沟通吧",
        "correct",
    ),
    ("disputes/honest-review-lawsuit-scenario", "告他,再把他信息挂出来", "wrong"),
    ("review-rules/late-review-what-now", "过期了投诉不了,30天内跟买家友好协商,做好售后", "correct"),
    ("review-rules/late-review-what-now", "过期了,打电话吓唬他删评", "wrong"),
    ("review-rules/competitor-review-scenario", "同行恶意差评,截图留证据,找淘宝客服投诉,15天内", "correct"),
    ("review-rules/evidence-prep-scenario", "聊天截图、快递单、合格证,都准备好,举证号码填上", "correct"),
    ("review-rules/evidence-prep-scenario", "截图快递单合格证都准备,然后把他信息挂出来", "wrong"),
    ("freight-aftersales/late-delivery-scenario", "这算延迟发货,照常发货,保留聊天记录,真有恶意差评就投诉", "correct"),
    ("penalties/counterfeit-supplier-scenario", "假货不能卖,严重违规100分,违约金100万", "correct"),
    ("penalties/counterfeit-supplier-scenario", "假货会被罚,但是可以换个名字卖", "wrong"),
    ("advertising-marketing/ad-copy-scenario", "最好、最低价这些是极限词,违反广告法,删掉", "correct"),
    ("cs-metrics/reply-under-review-scenario", "抱歉亲,仓库排单晚了,以后会改进,谢谢", "correct"),
    ("cs-metrics/reply-under-review-scenario", "抱歉,晚发了,改好评返现5元", "wrong"),
    ("freight-aftersales/refund-process-scenario", "联系买家核实情况,道歉,给她换货,跟进,登记备案", "correct"),
    ("freight-aftersales/refund-process-scenario", "道歉", "partial"),
    # condemning a forbidden action is not doing it
    (
        "cs-metrics/slow-reply-scenario",
        "亲,抱歉,人多忙不过来,回复慢了,会加强培训,感谢支持。好评返现是违规的",
        "correct",
    ),
    (
        "review-rules/late-review-what-now",
        "过期了投诉不了,30天内跟买家友好协商,做好售后。好评返现是违规的,不能做",
        "correct",
    ),
    (
        "disputes/honest-review-lawsuit-scenario",
        "买家有权给差评,告不赢,只有恶意诋毁才侵权,去沟通改进。威胁买家删评会被扣分",
        "correct",
    ),
    # the seed's facts, pinned by choice text or value, so a wrong answer key cannot pass unnoticed
    ("review-rules/malicious-review-deduction", "12分", "correct"),
    ("review-rules/malicious-review-who-is-deducted", "作出恶意评价的评价人", "correct"),
    ("review-rules/verify-time-single", "3个工作日", "correct"),
    ("review-rules/modify-review-once", "30天内可以修改一次", "correct"),
    ("review-rules/modify-review-days", "30天", "correct"),
    ("review-rules/review-window-days", "15个自然日", "correct"),
    ("review-rules/over-five-malicious", "5例", "correct"),
    ("review-rules/bad-review-stars", "低于3颗星", "correct"),
    ("review-rules/complaint-window-start", '交易状态变为"交易成功"时', "correct"),
    ("review-rules/malicious-review-deleted", "对", "correct"),
    ("review-rules/complaint-expired", "错", "correct"),
    ("penalties/counterfeit-fine", "100万元或该店铺全部累计销售额10倍", "correct"),
    ("penalties/detail-shot-ban-single", "90天", "correct"),
    ("penalties/superlative-subtitle", "对", "correct"),
    ("penalties/violation-lookup-path", "对", "correct"),
    ("freight-aftersales/repair-freight-quality", "均由商家承担", "correct"),
    ("freight-aftersales/freight-coupon-has-threshold", "对", "correct"),
    ("freight-aftersales/seven-day-return-days", "7天", "correct"),
    ("cs-metrics/response-rate-formula", "应答率 = 接待量 / 咨询量", "correct"),
    ("cs-metrics/answer-all-questions-judge", "错", "correct"),
    ("advertising-marketing/zhizuan-cpm-single", "在CPM投放模式下按展示扣费,点击不扣费", "correct"),
    ("advertising-marketing/discount-monitor-single", "商品最低价 < 参照价 × 预警阈值", "correct"),
    ("advertising-marketing/funnel-judge", "对", "correct"),
    ("advertising-marketing/ztc-traffic-factors-short", "关键词、宝贝、类目", "correct"),
    ("disputes/court-infringement", "错", "correct"),
    ("disputes/court-outcome", "一审驳回申某的诉讼请求,二审维持原判", "correct"),
    ("disputes/ring-orders-points", "24分", "correct"),
    # facts added or re-keyed in the content review (issue 10): new seed facts, flipped 判断, re-keyed choices
    ("review-rules/evidence-click-path",
     "点“聊天记录” → 查看本地聊天记录 → 右键有利的对话选“举证” → 点“提交证据” → 复制举证号码填进投诉信息", "correct"),
    ("review-rules/jd-refund-review", "对退款给出解释说明，并提供充分的证明材料", "correct"),
    ("review-rules/buyer-defective-evidence", "ACD", "correct"),
    ("review-rules/appeal-review-time", "对", "correct"),
    ("review-rules/platform-no-delete-judge", "对", "correct"),
    ("review-rules/reply-to-bad-review-judge", "对", "correct"),
    ("penalties/penalty-pairs-detail-shot", "被取消细节特写拍摄服务——90天内不得申请加入", "correct"),
    ("penalties/seller-harass-only-serious-judge", "错", "correct"),
    ("penalties/seller-harass-liability-multi", "AC", "correct"),
    ("advertising-marketing/gift-careless-improper-judge", "对", "correct"),
    ("cs-metrics/bad-review-promotion-judge", "对", "correct"),
    ("cs-metrics/bad-review-promotion", "真诚道歉，说明回复慢的原因，承诺加强客服培训，感谢买家支持", "correct"),
    ("disputes/ring-orders-closure-cause", "有一单差评没能及时申诉，店铺被扣24分，口碑和销量下滑", "correct"),
    ("disputes/zhang-not-counterfeit", "所售产品只是参考了一些流行理念，并非高仿假货", "correct"),
    ("disputes/zhang-resale", "以每双58元挂到二手网站出售，又打电话要张女士把鞋买回去", "correct"),
    ("disputes/court-case-facts", "王某2014年11月1日订购了一条拼皮裤，收货后给差评并追评", "correct"),
    ("disputes/court-suit-judge", "对", "correct"),
    ("disputes/court-courts", "上海市黄浦区人民法院一审，上海市第二中级人民法院二审", "correct"),
    ("disputes/appeal-evidence-link", "提供相关证据的链接", "correct"),
    ("disputes/buyer-cheap-shop-judge", "错", "correct"),
    # free text beyond scenarios: reversal, negation, swapped parties
    ("cs-metrics/response-rate-formula-short", "应答率=接待量÷咨询量", "correct"),
    ("cs-metrics/response-rate-formula-short", "咨询量÷接待量", "wrong"),
    ("freight-aftersales/repair-freight-who", "都是商家出", "correct"),
    ("freight-aftersales/repair-freight-who", "消费者承担", "wrong"),
    ("freight-aftersales/freight-coupon-short", "运费券没有使用门槛", "wrong"),
    ("advertising-marketing/discount-monitor-short", "商品最低价小于参照价×预警阈值", "correct"),
    ("advertising-marketing/discount-monitor-short", "商品最低价大于参照价×预警阈值", "wrong"),
    ("advertising-marketing/zhizuan-cpm-short", "按展示扣费,点击不扣", "correct"),
    ("advertising-marketing/zhizuan-cpm-short", "按点击扣费", "wrong"),
    ("review-rules/delete-review-steps", "1. 联系客服 2. 申诉 3. 等待审核", "correct"),
    ("review-rules/delete-review-steps", "申诉删除差评、联系淘宝客服、等待淘宝审核", "partial"),
    ("freight-aftersales/refund-steps-order", "联系消费者→核实情况→安抚致歉→协调方案→跟进处理→登记备案", "correct"),
    (
        "freight-aftersales/refund-steps-order",
        "核实情况、联系消费者、安抚致歉、协调方案、登记备案、跟进处理",
        "partial",
    ),
    ("penalties/counterfeit-fine-short", "一百万元或者店铺全部累计销售额的十倍", "correct"),
    ("penalties/counterfeit-fine-short", "十万元或者累计销售额的十倍", "wrong"),
    ("review-rules/complaint-window-days", "十五天", "correct"),
    ("review-rules/complaint-window-days", "30天", "wrong"),
    ("review-rules/verify-working-days", "三个工作日", "correct"),
    ("review-rules/verify-working-days", "7个工作日", "wrong"),
    ("review-rules/malicious-review-deduction-points", "十二分", "correct"),
    ("review-rules/malicious-review-deduction-points", "6分", "wrong"),
    ("penalties/detail-shot-ban-days", "九十天", "correct"),
    ("cs-metrics/response-rate-calc-90", "90%", "correct"),
]


@pytest.mark.parametrize(
    ("qid", "answer", "expected"), LEARNER_ANSWERS, ids=[f"{q}:{a[:12]}" for q, a, _ in LEARNER_ANSWERS]
)
def test_learner_answer(qid: str, answer: str, expected: str) -> None:
    assert qid in LIBRARY, qid
    r = grade(LIBRARY.item(qid).question, answer)
    assert r.verdict == expected, (r.score, r.found, r.missed, r.violations)


def test_every_scenario_has_learner_answers_both_ways() -> None:
    for it in _items("scenario"):
        verdicts = {e for q, _, e in LEARNER_ANSWERS if q == it.qid}
        assert {"correct", "wrong"} <= verdicts, it.qid


def test_the_grader_agrees_with_every_example_in_the_shipped_banks() -> None:
    """Calibration: each free-text question's examples are graded as the trainer expects (quiz validate)."""
    from quiz.loader import example_problems

    assert example_problems(LIBRARY) == []

