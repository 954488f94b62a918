"""判断: the verdict an answer gives a statement, in any of the words learners use.

An answer is read by its verdict, whatever its length: the first clause, when it gives one
(``不行,这是诱导好评``, ``可以的``, ``不能,只能改一次``, ``有门槛``), else a clause that is
only a verdict (``副标题也算,这句话不对``). Verdict words are of two kinds:

* absolute: 对/错, 正确/错误, 没错, √/×, T/F, 说反了, 不一定 ...;
* relative to the statement: a predicate word, affirmed or denied (可以/不可以, 能/不能,
  行/不行, 有/没有, 会/不会, 要/不用, 属于/不属于, 算/不算, 构成/不构成, 存在/不存在,
  合规/违规 ...). The answer agrees with the statement when it says the predicate the way
  the statement says it: for "客户不会在意", ``不会`` agrees and ``会在意的`` disagrees.
  Where the answer goes on (``要回评``), the statement's polarity is read where it says the
  same thing (``不要回评``).

Two verdicts that disagree (``对也不对``, ``对,不对``) or an answer that asks back
(``对吗?``, ``是不是``) give no verdict: the learner is told what to write.
"""

from __future__ import annotations

import functools
import re

from quiz.grading.claims import compare
from quiz.grading.common import _clip, _fold, _result, asks, tr
from quiz.grading.result import GradeResult
from quiz.model import JudgeQuestion

_TRUE = frozenset(
    "对 正确 是 √ ✓ ✔ ☑ t true yes y 真 right correct 对的 是的 正确的 没错 v 对啊 是啊 没问题 是这样 就是这样 "
    "确实如此 是这样的 对头 没毛病 是对的 说得对 正确无误 完全正确 ture treu".split()
)
_FALSE = frozenset(
    "错 错误 不对 不正确 否 × ✗ ✘ ☒ x f false no n 假 wrong incorrect 错的 不是 错误的 不对的 说反了 反了 弄反了 "
    "搞反了 颠倒了 写反了 不一定 未必 不完全对 不全对 不是这样 不是这样的 并非如此 不是的 非也 错了 是错的 不太对 "
    "flase fasle fales".split()
)
_DROP_RE = re.compile(r"[^\w√✓✔☑×✗✘☒]+|_")
_CLAUSE_RE = re.compile(
    r"[,，。;；!！?？、\n\t …~～:：/]+|(?<=[\u4e00-\u9fff])\.|\s+|(?=所以|因此|因为|但是|可是|不过|否则)"
)
_FILLER_RE = re.compile(
    r"^(?:嗯+|额+|呃+|哦+|噢+|啊+|唔+|emm+|em+|我的答案是|答案是|答案为|答案|我认为是|我认为|我觉得是|我觉得|我想|"
    r"这个说法是|这个说法|这种说法是|这种说法|这个做法是|这个做法|这种做法是|这种做法|这样做是|这样做|说法是|说法|"
    r"这句话说得|这句话说的|这句话是|这句话|这道题|这题|本题|题目说的|题目说得|题目|原题|这个是|这个|"
    r"(?:这|那)(?:就|也)?(?=.)|所以说|所以|"
    r"因此|因而|总之|综上|回答|我选|选|判断|是(?=对|错|正确|错误|不对|真的|假的)|当然|肯定|绝对|完全|确实|真的|根本|显然|明显|那肯定|那当然|必然|本来就|压根)"
)
# Guesses: stripped only when what follows is a verdict (应该是对的; but 应该 alone answers 应当…).
_GUESS_RE = re.compile(r"^(?:应该是|应该|估计是|估计|可能是|可能|也许是|也许|大概是|大概|我猜是|我猜)")
# Adverbs before a predicate: 也要道歉, 还是要改进, 都会被删除.
_ADVERB_RE = re.compile(r"^(?:还是|仍然|依然|照样|同样|一样|也|还|都|就|才|又|仍|一定|必须得)(?=.)")
_PUNCT_RE = re.compile(r"[,，。;；!！?？、:：\n]+")
_SUFFIX_RE = re.compile(r"(?:的|了|啊|吧|吗|呀|哦|呢|啦|嘛|哈|噢|滴|哟|喔|咯|哇)+$")
_NEG_PREFIX_RE = re.compile(r"^(不是|并非|不|没|非|not)(.+)$")
# A verdict word that starts a clause and is followed by what explains it (不对应该是15天, 错在...).
_LEAD_RE = re.compile(r"^(不正确|不对|错误|没错|是的|对的|错的|说反了|反了|不一定|错(?!过))(?=.)")
_BAD_LEAD_RE = re.compile(r"^(?:正确的(?:做法|方法|是)|错误的(?:做法|方法|是))")

# Predicates whose affirmed or denied form answers a statement, relative to how the statement says them.
_GROUPS: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (("可以", "能够", "能", "可", "允许", "行", "准许", "准"),
     ("不可以", "不能够", "不能", "不可", "不允许", "不行", "不得", "不准", "不许", "无法", "没法", "禁止")),
    (("需要", "必须", "应该", "应当", "得要", "要", "该", "须", "应"),
     ("不需要", "不用", "不必", "无需", "无须", "不要", "不应该", "不应当", "不该", "没必要", "用不着", "不须", "不应")),
    (("有权利", "有权"), ("无权", "没有权利", "没权")),
    (("有",), ("没有", "没", "无")),
    (("会",), ("不会",)),
    # counting as something: 属于, 算, 构成 say the same (不算延迟发货 agrees with 不属于延迟发货)
    (("属于", "算是", "算", "构成", "视为"), ("不属于", "不算", "不构成", "不视为")),
    (("存在",), ("不存在",)),
    (("够", "足够"), ("不够", "不足")),
    (("合规", "合法", "合理", "合适"), ("违规", "违法", "不合规", "不合法", "不合理", "不合适")),
    (("侵权",), ("不侵权", "不构成侵权")),
)
# Its words are also what statements are about (…就不算违规): not read as the predicate after a subject.
_COMPLY = next(i for i, (ps, _) in enumerate(_GROUPS) if "合规" in ps)
_FORMS: list[tuple[str, int, bool]] = sorted(
    ((f, gi, pos) for gi, (ps, ns) in enumerate(_GROUPS) for forms, pos in ((ps, True), (ns, False)) for f in forms),
    key=lambda x: -len(x[0]),
)
_FORMS_RE = re.compile("|".join(re.escape(f) for f, _, _ in _FORMS))
_FORM_OF = {f: (f, gi, pos) for f, gi, pos in _FORMS}
# Words containing a predicate character that are not the predicate (可能, 行为, 要求 ...): blanked in statements.
_NOT_PREDICATE_RE = re.compile(
    "可能|可是|可惜|可靠|可见|功能|能力|才能|本能|性能|技能|要求|重要|主要|只要|要是|需要的|行为|进行|银行|行业|执行|"
    "实行|履行|运行|发行|流行|行使|有关|所有|有效|具有|拥有|没收|无论|无理由|会员|机会|社会|会计|算法|计算|合算|打算|"
    "能否|该店铺|该商品|该条|该笔|应该的|应答|回应|相应|应用|响应|反应|适应|供应|对应|答应|应对|应有|理应"
)
_GAP = "被再去得还都也就才已经"
_NEGATORS = ("不是", "没有", "不", "没", "无", "非", "未")


def _strip(c: str) -> str:
    """A clause without the fillers around its verdict (我觉得, 这句话是, 当然 ... 的/了/啊)."""
    for _ in range(4):
        c2 = _FILLER_RE.sub("", c)
        if c2 == c or not c2:
            break
        c = c2
    n = len(c)
    for size in range(1, min(4, n // 2) + 1):  # 对对对, 对的对的, 不行不行
        if n % size == 0 and c == c[:size] * (n // size):
            return c[:size]
    return c


def _word_verdict(c: str) -> bool | None:
    if c in _TRUE:
        return True
    if c in _FALSE:
        return False
    c = _SUFFIX_RE.sub("", c)
    if c in _TRUE:
        return True
    if c in _FALSE:
        return False
    return None


def _pure(c: str) -> bool | None:
    """The verdict of a clause that is only a verdict word (with negations: 不是对的), else None."""
    flips = 0
    for _ in range(4):
        v = _word_verdict(c)
        if v is not None:
            return v == (flips % 2 == 0)
        m = _NEG_PREFIX_RE.match(c)
        if not m:
            return None
        flips += 1
        c = m.group(2)
    return None


@functools.lru_cache(maxsize=4096)
def _statement(prompt: str) -> str:
    """The statement as predicates are looked up in it (words like 可能, 行为 blanked)."""
    t = _DROP_RE.sub("", _PUNCT_RE.sub("|", _fold(prompt).lower()))  # clause ends kept as |
    return _NOT_PREDICATE_RE.sub("#", t)


def _polarity_at(stmt: str, p: int, gi: int | None) -> bool | None:
    """How the statement says what stands at ``stmt[p:]``: True affirmed, False denied, None no word for it.

    For a predicate group, its nearest word before ``p`` in the same clause (不要回避，应…先给对方回评:
    回评 goes with 应, not with 不要); otherwise a predicate or negator right before it.
    """
    before = stmt[stmt.rfind("|", 0, p) + 1 : p]
    if gi is not None:
        best: tuple[int, int, bool] | None = None
        for f, g, pos in _FORMS:
            if g == gi:
                k = before.rfind(f)
                if k >= 0 and (best is None or (k + len(f), len(f)) > best[:2]):
                    best = (k + len(f), len(f), pos)
        if best is not None:
            return best[2]
    before = before[-8:]
    for _ in range(2):
        for f, g, pos in _FORMS:
            if (gi is None or g == gi) and before.endswith(f):
                return pos
        if before and before[-1] in _GAP:
            before = before[:-1]
    if gi is None:
        return not before.endswith(_NEGATORS)
    if before.endswith(_NEGATORS):
        return False
    return None


@functools.lru_cache(maxsize=16384)
def _group_polarity(stmt: str, gi: int) -> bool | None:
    """How the statement says a predicate of group ``gi`` anywhere: affirmed (also when absent), denied, or both."""
    pos = neg = False
    rest = stmt
    for f, g, p in _FORMS:
        if g != gi or f not in rest:
            continue
        if p:
            pos = True
        else:
            neg = True
        rest = rest.replace(f, "|")
    if pos and neg:
        return None
    return not neg


def _anchored(stmt: str, form: tuple[str, int, bool], rest: str) -> bool:
    """Whether a predicate is read against the statement's own word for it: a bare 可以 where the statement
    says 可以 or 不可以, or 要X where X is in the statement (not 要继续沟通 for …停止与买家的沟通)."""
    if not rest:
        return any(g == form[1] and f in stmt for f, g, _ in _FORMS)
    p = stmt.find(rest[:2]) if len(rest) >= 2 else -1
    return p >= 0 and _polarity_at(stmt, p, form[1]) is not None


def _predicate(c: str) -> tuple[str, int, bool] | None:
    """The predicate form a clause starts with (可以, 不会, 有, 属于 ...), as (form, group, affirmed)."""
    if _NOT_PREDICATE_RE.match(c):
        return None
    m = _FORMS_RE.match(c)
    return None if m is None else _FORM_OF[m.group(0)]


def _against(stmt: str, form: tuple[str, int, bool], rest: str) -> bool | None:
    """Whether a predicate (with what follows it in the answer) agrees with how the statement says it."""
    _, gi, pos = form
    if len(rest) >= 2:
        p = stmt.find(rest[:2])
        if p >= 0:
            said = _polarity_at(stmt, p, gi)
            if said is not None:
                return pos == said
    if rest and not any(g == gi and f in stmt for f, g, _ in _FORMS) and stmt.find(rest[:2]) < 0:
        return None  # 凭证可以扔: neither 可以 nor 扔 is in the statement
    said = _group_polarity(stmt, gi)
    return None if said is None else pos == said


def _relative(c: str, stmt: str, first: bool) -> bool | None:
    """Whether a clause that states a predicate (可以, 不会在意, 有门槛, 也要道歉, 是侵权, 不合规) agrees with the statement.

    Any clause may start with the predicate; the first clause may also restate the statement
    (用户是逐渐减少的), name its subject first (副标题也算违规), or echo a part of it with
    是/不是/不 (是侵权, 不是侵权).
    """
    c = _SUFFIX_RE.sub("", c) or c
    c = _ADVERB_RE.sub("", c)
    form = _predicate(c)
    if form is not None:
        return _against(stmt, form, c[len(form[0]) :])
    if not first:
        return None
    if len(c) >= 4 and c in stmt:
        return True
    # 是X / 不是X / 不X / 没X, X being something the statement says
    m = re.match(r"^(是|不是|并非|没有|不|没)(.{2,})$", c)
    if m:
        form = _predicate(m.group(2))
        if form is not None and m.group(1) in ("是", "不是"):  # 是违规的, 不是合规的
            v = _against(stmt, form, m.group(2)[len(form[0]) :])
            return v if v is None or m.group(1) == "是" else not v
        x = m.group(2)
        p = stmt.find(x)  # the whole of it: 是侵权 (…侵权行为), not 是好评返现 for a statement that mentions 好评
        if p < 0 and len(x) >= 4:
            p = stmt.find(x[:-1])
        if p >= 0:
            said = _polarity_at(stmt, p, None)
            if said is not None:
                return (m.group(1) == "是") == said
        return None
    # the statement's subject, then the predicate: 副标题也算违规, 客户会在意的
    for k in range(2, min(len(c) - 1, 8)):
        head = c[:k]
        if head not in stmt:
            break
        tail = _ADVERB_RE.sub("", c[k:].lstrip("的"))
        form = _predicate(tail)
        if form is not None and form[1] != _COMPLY:
            return _against(stmt, form, tail[len(form[0]) :])
    return None


def _clause_verdict(c: str, stmt: str | None, first: bool) -> tuple[bool, int, str] | None:
    """A clause's verdict, how plainly it gives it, and what follows a leading verdict word: 2 a verdict
    word alone (不对), 1 a verdict word or a predicate starting the clause (不对应该…, 不可以, 有门槛),
    0 an echo of the statement (是侵权)."""
    c = _strip(c)
    if not c:
        return None
    v = _pure(c)
    if v is None:
        g = _GUESS_RE.sub("", c)
        if g != c and g:
            v = _pure(_strip(g))
    if v is not None:
        return v, 2, ""
    if first:
        m = _LEAD_RE.match(c)
        if m and not _BAD_LEAD_RE.match(c):
            return m.group(1) in _TRUE, 1, c[m.end() :]
    if stmt is None:
        return None
    v = _relative(c, stmt, first)
    if v is None:
        return None
    bare = _ADVERB_RE.sub("", _SUFFIX_RE.sub("", c) or c)
    return v, 1 if _predicate(bare) is not None else 0, c


def read_verdict(raw: str, statement: str | None = None) -> bool | None:
    """The verdict (True/False) an answer gives; relative words (可以, 不会, 有门槛) need the ``statement``."""
    return _read(raw, statement)[0]


# Why no verdict was read: nothing recognisable, an unsure answer, or a verdict its own explanation contradicts.
_NONE, _UNSURE, _CONFLICT, _HEDGED = "none", "unsure", "conflict", "hedged"


def _read(raw: str, statement: str | None) -> tuple[bool | None, str]:
    t = _fold(raw[:2000]).lower().strip()
    if not t:
        return None, _NONE
    if t in _TRUE:
        return True, ""
    if t in _FALSE:
        return False, ""
    stmt = _statement(statement) if statement is not None else None
    clauses = [c for c in (_DROP_RE.sub("", x) for x in _CLAUSE_RE.split(t)) if c]
    if not clauses:
        return None, _NONE
    hedged = _hedged(clauses)
    if hedged:
        # Graded on the verdict it leans to (可能对吧 reads 对), and marked unsure (scheduled as Hard);
        # with no verdict left (不确定, 不知道) it answers nothing.
        clauses = [c for c in clauses if not _UNSURE_RE.match(c)]
        if clauses:
            clauses[0] = _HEDGE_START_RE.sub("", _strip(clauses[0])) or clauses[0]
        clauses = [c for c in clauses if c]
        if not clauses:
            return None, _UNSURE
        said_, why_ = _read_clauses(clauses, stmt, statement)
        return (said_, _HEDGED if said_ is not None else (why_ if why_ != _NONE else _UNSURE))
    return _read_clauses(clauses, stmt, statement)


def _read_clauses(clauses: list[str], stmt: str | None, statement: str | None) -> tuple[bool | None, str]:
    # The plainest verdict, the earliest of equally plain ones (the first clause may also echo the
    # statement; later ones count when they are a verdict word or start with a predicate). Verdict
    # words standing alone in a clause (不对 / 所以是错的) must all agree with it.
    found: list[tuple[int, int, bool]] = []
    pure: set[bool] = set()
    words: set[bool] = set()  # verdict words: alone (不对) or leading a clause (不对应该是15天)
    said: list[str] = []  # what the answer says besides its verdict words
    for k, c in enumerate(clauses):
        r = _clause_verdict(c, stmt, k == 0)
        if r is None:
            said.append(_strip(c))
            continue
        v, plain, rest = r
        found.append((-plain, k, v))
        if plain == 2:
            pure.add(v)
            words.add(v)
        elif rest != _strip(c):  # a leading verdict word, then what explains it
            words.add(v)
            said.append(_strip(c) if _strip(c).startswith(("不一定", "未必")) else rest)  # 不一定能删: all of it
        else:
            said.append(rest)
            bare = _ADVERB_RE.sub("", _SUFFIX_RE.sub("", rest) or rest)
            form = _predicate(bare)
            if stmt is not None and form is not None and form[0] == bare and _anchored(stmt, form, ""):
                words.add(v)  # a bare 可以, where the statement says 可以 or 不可以: as plain as a verdict word
    # What the answer claims, compared with the statement (claims.py): a restatement gives the verdict,
    # and an explanation that contradicts the verdict (可以,但只能一次) makes the answer a hedge.
    restated = compare(statement, [x for x in said if x]) if statement is not None and any(said) else None
    if restated is not None:
        return (restated, "") if words <= {restated} else (None, _CONFLICT)
    if not found:
        return None, _NONE
    verdict = min(found)[2]
    return (verdict, "") if pure <= {verdict} else (None, _CONFLICT)


# An answer that is unsure of its verdict: 可能对吧, 大概是对的, 应该会吧, 不太确定.
_HEDGE_START_RE = re.compile(r"^(?:可能|也许|大概|估计|好像|似乎|或许|我猜|说不定|八成)")
_UNSURE_RE = re.compile(r"^(?:我)?(?:也|还|真|都)?(?:不知道(?:呢|啊|哦|诶|耶)*$|不确定|不太确定|不敢确定|说不准|说不好|拿不准|不敢肯定|没把握|不清楚|不太清楚|记不清)")
_GUESS_TAIL_RE = re.compile(r"^(?:应该|应当)\w*吧$")


def _hedged(clauses: list[str]) -> bool:
    first = _strip(clauses[0])
    if _HEDGE_START_RE.match(first) or _GUESS_TAIL_RE.match(clauses[0]):
        return True
    return any(_UNSURE_RE.match(c) for c in clauses)


def parse_judge(raw: str, statement: str | None = None) -> bool | None:
    """True/False named by an answer (对/正确/是/√/T/yes... 错/错误/不对/否/×/F/no...), negation aware; else None.

    With the ``statement`` it answers, relative words count too: 可以, 不能, 有门槛, 不会在意.
    """
    if asks(raw):
        return None
    return read_verdict(raw, statement)


def _word(v: bool) -> str:
    return tr("对", "true") if v else tr("错", "false")


def _grade_judge(q: JudgeQuestion, raw: str) -> GradeResult:
    text = raw.strip()
    if not text:
        return _result(q, "wrong", 0, tr("未作答。请回答 对 或 错。", "No answer. Answer true or false."))
    if asks(raw):
        return _result(
            q, "wrong", 0,
            tr(f"「{_clip(text, 12)}」是问句。请回答 对 或 错。", f"“{_clip(text, 12)}” is a question. Answer true or false."),
        )
    said, why = _read(raw, q.prompt)
    if said is None:
        if why == _UNSURE:
            msg = tr(
                f"「{_clip(text, 12)}」没有拿定主意。请明确回答 对 或 错。",
                f"“{_clip(text, 12)}” is not sure either way. Answer true or false.",
            )
        elif why == _CONFLICT:
            msg = tr(
                f"「{_clip(text, 12)}」前后矛盾：判断和说明说的不一致。请回答 对 或 错，说明要与判断一致。",
                f"“{_clip(text, 12)}” contradicts itself: its verdict and its explanation disagree. Answer true or false.",
            )
        else:
            msg = tr(
                f"无法从「{_clip(text, 12)}」读出判断。请回答 对 或 错（也可用 √/×、T/F，或 可以/不可以 这类词开头）。",
                f"Could not read a verdict in “{_clip(text, 12)}”. Answer true or false (“对”/“错”, √/×, T/F).",
            )
        return _result(q, "wrong", 0, msg)
    chose = "true" if said else "false"
    plain = _fold(text).lower().strip() in (_TRUE | _FALSE)
    reading = "" if plain else tr(f"（你的回答读作“{_word(said)}”）", f" (your answer reads “{_word(said)}”)")
    if said == q.answer:
        return _result(
            q, "correct", 1,
            tr(f"回答正确：这句话是{_word(q.answer)}的{reading}。", f"Correct: the statement is {_word(q.answer)}{reading}."),
            nearest=_word(said), details={"chosen": [chose], **({"unsure": True} if why == _HEDGED else {})},
        )
    return _result(
        q, "wrong", 0,
        tr(
            f"回答错误：这句话是{_word(q.answer)}的（你答了“{_word(said)}”）。" if plain
            else f"回答错误：这句话是{_word(q.answer)}的{reading}。",
            f"Wrong: the statement is {_word(q.answer)} (you answered “{_word(said)}”)." if plain
            else f"Wrong: the statement is {_word(q.answer)}{reading}.",
        ),
        nearest=_word(said), details={"chosen": [chose]},
    )
