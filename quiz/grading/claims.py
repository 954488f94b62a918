"""判断 answered by restating the fact: does what the answer claims agree with the statement, or contradict it?

A learner often answers a 判断 by writing what is true (``点击不扣费``, ``每个问题都要回复``,
``应该先核实情况``, ``是100万不是10万``) instead of 对/错. Both the statement and each clause of the
answer are read into the same form (:class:`Clause`): content characters in canonical words
(:mod:`quiz.grading.paraphrase`: parties, money verbs, directions …), each with its polarity (how
many negations govern it), plus the numbers, who bears or does it, the quantifier (都/每/所有 vs 只/仅)
and the order of steps (先…再…). The answer's claim is then located in the statement and compared:

* the same content with the other polarity (``点击不扣费`` against ``点击后还会再扣一次费``; ``可以回避``
  against ``不要回避``; ``继续沟通`` against ``停止沟通``, an antonym being the negation of its pair)
  contradicts; the same polarity agrees;
* the other party (``寄回的运费也是商家承担`` against ``寄回的运费由消费者承担``), all where the
  statement has an exception or says only (``都由卖家承担``, ``每个问题都要回复`` against ``只需回复重点``),
  only where it says many or all (``只能改一次`` against ``可以多次修改``), a different number with the
  same unit (``100万`` against ``10万元``), steps in the other order (``先核实`` against ``先协调方案,
  再核实``) contradict;
* ``X不对`` / ``X是错的`` deny X; ``X才对`` proposes X as the truth (a correction: X not in the statement
  contradicts it); ``X违规`` / ``X不行`` deny that X is allowed, where the statement says whether it is.

An answer agrees only when most of what it says is found in the statement; anything unclear gives no
reading (``None``), never a guess.
"""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from dataclasses import dataclass, field

from quiz.grading.paraphrase import canon, roles
from quiz.grading.quantity import prepare

# --- preparing a text: numerals, canonical words, antonyms as negations ---------------------------

# An antonym is read as the negation of its pair: 继续沟通 = 不停止沟通, 逐渐增加 = 逐渐不减少.
_ANTONYMS = tuple(
    (re.compile(p), r)
    for p, r in (
        (r"停(?![止留车])", "停止"),
        (r"继续|接着|坚持", "不停止"),
        (r"增加", "不减少"),
        # which side of a threshold (低于 = 不高于): 是低于的时候才预警, for …高于…时预警
        (r"低于|小于|少于|不到(?=[\d一二三四五六七八九十百千万])", "不高于"),
        (r"高于|大于|多于|超过", "高于"),
        (r"合适|恰当|妥当", "合理"),
        (r"订单", "单"),
        # before and after a moment (裁定前 / 裁定之后): marks compared by what they follow
        (r"(?<=[\u4e00-\u9fff])(?<![在往提])(?:之前|以前|前)(?![面台往提景期者后])", "⊖"),
        (r"(?<=[\u4e00-\u9fff])(?<![在售然随最背])(?:之后|以后|后)(?![台果面续悔期来])", "⊕"),
    )
)
_QUOTE_RE = re.compile(r"[“”\"「」『』‘’]")
_Q = "\x03"  # a quote mark, kept through canonical rewriting


@functools.lru_cache(maxsize=4096)
def _prep(text: str) -> str:
    t = _QUOTE_RE.sub(_Q, unicodedata.normalize("NFKC", text).lower())
    t = prepare(canon(t))
    for p, r in _ANTONYMS:
        t = p.sub(r, t)
    return t


# --- reading a clause --------------------------------------------------------------------------

_WORDS: tuple[tuple[str, str], ...] = tuple(
    (w, kind)
    for kind, words in (
        # words that start like a negator or a modal but are content
        ("keep", "不仅 不但 不管 不论 不错 不久 不断 不少 不良 不法 不便 不同 无论 非常 非法 无理由 除非 没收 毫无 "
                 "无误 无损 别人 别的 别家 区别 特别 识别 分别 级别 类别 个别 差别 未来 要求 重要 主要 需要的 "
                 "协会 会员 机会 社会 功能 能力 性能 可靠 可见 可惜 应答 相应 对应 应用 反应 响应 答应 供应 "
                 "有利 有效 有关 有的 有些 有时 有点 具有 拥有 所以然 可能性 及时"),
        ("modal", "不得不 不能不 不可不"),
        ("full", "并不是 并非 不是 绝不是 绝非"),
        ("neg", "不能够 不可以 不需要 不应该 不应当 不一定 未必 没必要 用不着 不用 不必 无需 无须 不要 不应 不该 不得 "
                "不准 不许 不可 不能 不会 不算 不属于 不构成 不存在 没有 没法 无法 无权 禁止 严禁 不 没 无 未 别 勿 莫 非"),
        ("post", "不了 不成"),
        ("stop", "停止"),
        ("func", "非常 十分 特别 极其 相当 超级 很 挺 太 最"),
        ("func", "只要 要是 如果 的话 这样 这么 那么 其实 实际上 确实 真的 肯定 一定 已经 就此 因此 从此 由此"),
        ("only", "只有 只能 只需 只是 仅仅 仅 单单 只"),
        ("all", "均 每一次 每1次 每次 每回 每个 每一 每1 每 任何 哪一 哪1 哪"),
        ("modal", "可以 能够 允许 需要 必须 应该 应当 有权利 有权 属于 算是 算 构成 视为 认定为 认定 存在 得要 "
                  "可能 能 可 要 应 该 须 会 将 有 得"),
        ("end", "还是 所以 因此 但是 可是 但 却 而且 而 则 那就 然后 也 就 才"),
        ("adv", "仍然 依然 照样 同样 一样 还 又 再 仍 先 一直 都"),
        ("func", "的 了 是 被 把 着 啊 吧 呢 呀 哦 嘛 啦 这 那 么 在 给 和 与 跟 及 由 很 去 其 该 后"),
    )
    for w in words.split()
)
_WORD_RE = re.compile("|".join(re.escape(w) for w, _ in sorted(_WORDS, key=lambda x: -len(x[0]))))
_KIND = dict(_WORDS)
# What a modal or a negated modal says, for clauses that end with one (副标题也算, 沟通不能停): its group.
_GROUP = {
    w: g
    for g, words in (
        ("class", "属于 算是 算 构成 视为 认定为 认定 不算 不属于 不构成"),
        ("can", "可以 能够 能 可 允许 不能够 不可以 不可 不能 无法 没法 不得 不准 不许 禁止 严禁"),
        ("need", "需要 必须 应该 应当 应 要 该 须 得 得要 不需要 不用 不必 无需 无须 没必要 用不着 不要 不应该 不应当 不应 不该"),
        ("will", "会 将 不会"),
        ("have", "有 存在 没有 不存在"),
    )
    for w in words.split()
}
# 得 is "must" only where a predicate starts (也得道歉, 得及时补), not in 协商得好.
_DE_MODAL_BEFORE = frozenset("也还就都才必总")

_NUMBER_RE = re.compile(
    r"(\d+(?:\.\d+)?|多|几|好几|很多|好多)\s*(个工作日|工作日|个自然日|自然日|小时|分钟|万元|元|块|天|日|分|倍|年|月|号|次|例|条|颗星|星|%)"
    r"|(\d+(?:\.\d+)?)"
)
_UNIT = {"块": "元", "日": "天", "自然日": "天", "个自然日": "天", "个工作日": "工作日", "颗星": "星"}
_MANY = float("inf")

# How a clause can end by judging what it says: ``X不对`` denies X, ``X没错`` affirms it,
# ``X违规``/``X不行`` deny that X is allowed, ``X就行`` says it is.
_TRUTH_TAIL_RE = re.compile(
    r"(?:这句话|这个说法|说法)?(?:是)?(?P<t>不对|不正确|是错的|错的|错了|错误|是假的|没错|是对的|对的|正确|是真的|才对|是这样)"
    r"(?:的|了|啊|吧|呀|哦|哈)*$"
)
_PERM_TAIL_RE = re.compile(
    r"(?:是|就|也|都|属于|算是|算)?(?P<p>违规|违法|不合规|不合法|不合理|不行|不可以|不允许|不妥|不可取|合理|没问题|就行|就好|也行|都行|"
    r"可以|合规|合法)(?:的|了|啊|吧|呀|哦)*$"
)
_NEGATIVE_TAILS = frozenset("不对 不正确 是错的 错的 错了 错误 是假的 违规 违法 不合规 不合法 不合理 不行 不可以 不允许 不妥 不可取".split())
_NAMING_RE = re.compile(r"^(?:这|那|此|它)?(?:就|也|都)?(?:是|属于|叫|算是|算)")
# A clause that only judges the one before it: 是不合适的营销方式, 这是违规的.
_EVAL_CLAUSE_RE = re.compile(
    r"^(?:这|那|此)?(?:种|个|样)?(?:做法|行为|说法)?(?:是|属于|就是)?(?P<p>不合理|合理|违规|违法|不合规|合规|不对|不正确|错误|正确)"
    r"(?:的)?(?:营销方式|方式|做法|行为|说法|方法|回复|话术|回答|表达|用语|处理|态度)?$"
)
_DEONTIC_RE = re.compile(r"可以|能|允许|不得|禁止|严禁|应该|应当|必须|要|需要|不用|不必|就好|就行|合理|违规|违法|合规")
_CLAUSE_RE = re.compile(r"[,，。;；!！?？:：\n]+|(?=所以|因此|但是|可是|不过|而是|否则)")
# Agreement needs most of what the answer says found in the statement (这是诱导好评: only 好评 is: no reading).
_AGREE = 0.6
_WEAK_SINGLE = frozenset("人个一有会可以要能时前上下中大小多少来去到做为与及其之等于从向里内外第点么什哪谁就也都还再又把被")
# A statement with a formula is read by the choice and short-answer graders' formula rules, not here.
_FORMULA_RE = re.compile(r"[=*<>×÷]|除以|乘以|分之")


@dataclass(slots=True)
class Segment:
    text: str  # content characters
    parity: int  # 1 when an odd number of negations govern it
    pred: bool  # it follows a negator, a modal or an adverb (what the clause says of its subject)
    perm: bool = False  # its parity was flipped by a tail judging whether it is allowed (X违规)


@dataclass(slots=True)
class Clause:
    content: str = ""
    parity: list[int] = field(default_factory=list)
    segments: list[Segment] = field(default_factory=list)
    numbers: list[tuple[float, str, int]] = field(default_factory=list)  # value, unit, parity
    roles: frozenset[str] = frozenset()
    all: bool = False  # 都/均/每/所有 (not negated)
    only: bool = False  # 只/仅 (not negated)
    deontic: bool = False  # says whether something is allowed or needed
    correction: bool = False  # X才对
    quoted: list[bool] = field(default_factory=list)
    marks: list[tuple[str, int]] = field(default_factory=list)  # (group, polarity after it) of its modals
    tail: tuple[str, int] | None = None  # the clause ends with a modal, nothing after it (副标题也算)
    naming: bool = False  # 这是X / 属于X: it names what the statement is about, it does not restate it
    judged: int | None = None  # it ends by judging whether what it says is allowed: 0 allowed (没问题), 1 not (违规)


def _split(text: str) -> list[str]:
    """Clauses, not splitting inside quotes (a quoted script may have commas)."""
    out: list[str] = []
    buf: list[str] = []
    inside = False
    pieces = re.split(f"({_Q})", text)
    for piece in pieces:
        if piece == _Q:
            inside = not inside
            buf.append(piece)
            continue
        if inside:
            buf.append(piece)
            continue
        parts = _CLAUSE_RE.split(piece)
        for i, part in enumerate(parts):
            if i:
                out.append("".join(buf))
                buf = []
            buf.append(part)
    out.append("".join(buf))
    # 、 ends a clause where the next item says something of its own (主标题里、只写在副标题里)
    res: list[str] = []
    for c in out:
        res.extend(re.split(r"、(?=只|不|没|仅|也|都|均)", c))
    return [c for c in (x.strip() for x in res) if c.strip(_Q + " ")]


def _numbers(text: str) -> list[tuple[float, str, int]]:
    out = []
    for m in _NUMBER_RE.finditer(text):
        if m.group(1):
            v = m.group(1)
            value = _MANY if not v[0].isdigit() else float(v)
            unit = _UNIT.get(m.group(2), m.group(2))
            if value == _MANY and unit != "次":
                continue
            out.append((value, unit, m.start()))
        else:
            out.append((float(m.group(3)), "", m.start()))
    return out


def read_clause(text: str, answer: bool = False, said: str = "") -> Clause:
    """One clause of prepared text (see :func:`_prep`) in the form compared. An answer's clause may end
    by judging what it says (X不对, X违规); a judging word the statement itself has (…不算违规) is
    read as the statement's word, not as a judgment (``said``: the statement's prepared text)."""
    c = Clause()
    t = text
    tail = None
    m = _TRUTH_TAIL_RE.search(t) if answer else None
    if m and m.start() > 0:
        tail = ("truth", m.group("t"))
        t = t[: m.start()]
    elif answer:
        m = _PERM_TAIL_RE.search(t)
        if m and m.start() > 1 and m.group("p").lstrip("不") not in said:
            tail = ("perm", m.group("p"))
            t = t[: m.start()]
            c.deontic = True
    if tail is not None and tail[1] == "才对":
        c.correction = True
    if tail is not None and tail[0] == "perm":
        c.judged = int(tail[1] in _NEGATIVE_TAILS)
    if answer and _NAMING_RE.match(t):
        c.naming = True
    nums = _numbers(t)
    num_at = {pos: (v, u) for v, u, pos in nums}
    neg_full = 0  # negations that reach the end of the clause (不是X就Y)
    neg_vp: list[int] = []  # negations that end at 也/就/所以 …, once they have governed some words (不能就要求删)
    content: list[str] = []
    parity: list[int] = []
    quoted: list[bool] = []
    pred_after = False
    seg_start = 0
    segments: list[Segment] = []
    inside = False

    def flush() -> None:
        nonlocal seg_start
        if len(content) > seg_start:
            p = parity[seg_start]
            # split where the parity changes (a 的 ends a negation inside a run)
            k = seg_start
            for j in range(seg_start + 1, len(content) + 1):
                if j == len(content) or parity[j] != p:
                    segments.append(Segment("".join(content[k:j]), p, pred_after))
                    if j < len(content):
                        p = parity[j]
                    k = j
        seg_start = len(content)

    def current() -> int:
        return (neg_full + len(neg_vp)) % 2

    i = 0
    n = len(t)
    marked_after = False  # a marker follows the last run of words (副标题也算: the run is the subject)
    while i < n:
        ch = t[i]
        if ch == _Q:
            inside = not inside
            i += 1
            continue
        if i in num_at:
            v, u = num_at[i]
            c.numbers.append((v, u, current()))
            m2 = _NUMBER_RE.match(t, i)
            assert m2 is not None
            flush()
            i = m2.end()
            continue
        if ch.isdigit() or ch == ".":
            i += 1
            continue
        m = None if inside else _WORD_RE.match(t, i)  # a quote is words, not negations (“爱买不买”)
        if m is not None:
            w = m.group(0)
            kind = _KIND[w]
            if w == "得" and not (i == 0 or t[i - 1] in _DE_MODAL_BEFORE):
                kind = "func"
            if kind == "keep":
                for chx in w:
                    content.append(chx)
                    parity.append(current())
                    quoted.append(inside)
                marked_after = False
                i = m.end()
                continue
            if kind in ("neg", "full", "post", "modal", "end", "adv", "only", "all"):
                flush()
                marked_after = kind != "post"
            if kind == "neg":
                neg_vp.append(len(content))
                pred_after = True
            elif kind == "full":
                neg_full += 1
                pred_after = True
            elif kind == "post":  # 投诉不了: what came just before is negated
                if segments:
                    segments[-1].parity ^= 1
                    segments[-1].pred = True
            elif kind == "modal":
                pred_after = True
                c.deontic = c.deontic or w in ("可以", "能", "能够", "允许", "要", "需要", "必须", "应该", "应当", "得")
            elif kind == "end":
                if neg_vp and len(content) > neg_vp[-1]:
                    neg_vp.clear()
                pred_after = True
            elif kind == "stop":  # 停止沟通 = 不沟通; 沟通不能停止: what came before, negated again
                if i + len(w) < n and t[i + len(w) :].strip("了的啊吧呢" + _Q):
                    neg_vp.append(len(content))
                elif segments:
                    segments[-1].parity ^= 1 ^ (len(neg_vp) % 2)
                    segments[-1].pred = True
                    neg_vp.clear()
                pred_after = True
            elif kind in ("adv",):
                pred_after = True
            elif kind == "only":
                if current() == 0:
                    c.only = True
                pred_after = True
            elif kind == "all":
                if current() == 0:
                    c.all = True
                pred_after = True
            if kind in ("neg",) and w in ("不能", "不可以", "不得", "禁止", "严禁", "不准", "不许", "不要", "不用", "不必",
                                          "不需要", "不应该", "无需"):
                c.deontic = True
            if w in _GROUP and kind in ("neg", "modal"):
                c.marks.append((_GROUP[w], current()))
            i = m.end()
            continue
        if ch in "、 \t|" or not ch.isalnum():
            i += 1
            continue
        content.append(ch)
        parity.append(current())
        quoted.append(inside)
        marked_after = False
        i += 1
    flush()
    if tail is not None and tail[1] in _NEGATIVE_TAILS:
        for s in segments:
            s.parity ^= 1
            s.perm = tail[0] == "perm"
        parity = [p ^ 1 for p in parity]
        if tail[0] == "truth":  # 15天不对 denies 15天; in 过了15天就不行了 the number is the condition
            c.numbers = [(v, u, p ^ 1) for v, u, p in c.numbers]
    if segments and not any(s.pred for s in segments) and not marked_after:
        segments[-1].pred = True  # 证据很关键: one run of words is what the clause says
    if marked_after and c.marks:
        c.tail = c.marks[-1]
    c.content = "".join(content)
    c.parity = parity
    c.quoted = quoted
    c.segments = segments
    c.roles = roles(text, strict=True)
    return c


# --- the statement -----------------------------------------------------------------------------


@dataclass(slots=True)
class Statement:
    text: str  # the words of its clauses (not of a clause that only judges the one before), | between
    clauses: list[Clause]
    numbers: list[tuple[float, str, int]]
    order: list[str]
    quotes: tuple[str, ...] = ()  # what it quotes, prepared
    judgment: int | None = None  # it judges what it describes allowed (0) or not (1)
    prepared: str = ""


_ORDER_RE = re.compile(
    r"先([^,，。;；先再⊕]{1,24}?)(?:[,，]?\s*(?:再|然后|之后|接着|随后|后|⊕)([^,，。;；先再⊕]{1,24}))?(?=[,，。;；]|$|再|然后|后|⊕)"
)
_MOMENT_RE = re.compile(r"([\u4e00-\u9fff]{2})([⊖⊕])")
_FIRST_RE = re.compile(r"([^,，。;；]{2,16}?)(?:放)?在前|首先([^,，。;；]{2,16})|第1步([^,，。;；]{2,16})")
_BEFORE_AFTER_RE = re.compile(r"([^,，。;；]{1,16}?)在前[,，]?([^,，。;；]{1,16}?)在后")


def _order(text: str) -> list[str]:
    """The steps a text puts in order (先X再Y, X在前Y在后, X在前), as content characters."""
    m = _BEFORE_AFTER_RE.search(text)
    m1 = _FIRST_RE.search(text)
    if m:
        items = [m.group(1), m.group(2)]
    elif m1 and "先" not in text:
        items = [next(g for g in m1.groups() if g)]
    else:
        m = _ORDER_RE.search(text)
        if not m:
            return []
        items = [m.group(1)] + ([m.group(2)] if m.group(2) else [])
    return [x for x in (read_clause(it).content for it in items) if len(x) >= 2]


@functools.lru_cache(maxsize=2048)
def statement(prompt: str) -> Statement:
    t = _prep(prompt)
    pieces = _split(t)
    clauses = [read_clause(x) for x in pieces]
    raws = [x.replace(_Q, "") for x in pieces]
    # a clause that only judges the one before (是不合适的营销方式) judges what it quotes, or all of it
    for k in range(1, len(clauses)):
        m = _EVAL_CLAUSE_RE.match(raws[k])
        if not m:
            continue
        prev = clauses[k - 1]
        prev.deontic = True
        if m.group("p").startswith("不") or m.group("p") in ("违规", "违法", "错误"):
            whole = not any(prev.quoted)
            prev.parity = [p ^ 1 if (whole or q) else p for p, q in zip(prev.parity, prev.quoted, strict=True)]
    nums = [x for c in clauses for x in c.numbers]
    words = "|".join(c.content for k, c in enumerate(clauses) if not (k and _EVAL_CLAUSE_RE.match(raws[k])))
    quotes = tuple(q for q in t.split(_Q)[1::2] if len(q) >= 2)
    return Statement(words, clauses, nums, _order(t), quotes, _judgment(clauses), t)


def _judgment(clauses: list[Clause]) -> int | None:
    """Whether the statement judges what it describes allowed (0: 合规, 合理, 不算违规) or not (1: 违规,
    侵权, 不合适), where it says so once."""
    found = set()
    for c in clauses:
        for word, bad in (("违规", 1), ("违法", 1), ("侵权", 1), ("合规", 0), ("合法", 0), ("合理", 0)):
            k = c.content.find(word)
            if k >= 0:
                found.add(bad ^ c.parity[k])
    return found.pop() if len(found) == 1 else None


# --- comparing -----------------------------------------------------------------------------------


def _locate(seg: str, clause: Clause) -> tuple[int, int, int] | None:
    """(characters matched, score, the statement's polarity there) of ``seg`` in a statement clause: the
    polarity most of the matched characters have (the last one's on a tie: 使用没有门槛 is 没有门槛)."""
    text = clause.content
    sm = difflib.SequenceMatcher(None, seg, text, autojunk=False)
    blocks = [b for b in sm.get_matching_blocks() if b.size and (b.size >= 2 or seg[b.a] not in _WEAK_SINGLE)]
    mine = {b.a + d for b in blocks for d in range(b.size)}
    theirs = [b.b + d for b in blocks for d in range(b.size)]
    # two-character words said in another order (证据非常重要 for 重要证据都至为关键)
    for i in range(len(seg) - 1):
        if i in mine and i + 1 in mine:
            continue
        j = text.find(seg[i : i + 2])
        if j >= 0:
            mine |= {i, i + 1}
            theirs += [j, j + 1]
    if not mine:
        return None
    if any(clause.quoted[j] for j in theirs):  # what the statement quotes is what it judges (随便送赠品)
        theirs = [j for j in theirs if clause.quoted[j]]
    ps = [clause.parity[j] for j in theirs]
    ones = sum(ps)
    parity = 1 if 2 * ones > len(ps) else 0 if 2 * ones < len(ps) else ps[-1]
    quoted = all(clause.quoted[j] for j in theirs)
    score = sum(b.size * b.size for b in blocks) + (len(mine) - sum(b.size for b in blocks))
    return len(mine), score, parity + 2 * quoted


def _polarities(st: Statement, seg: str, matched: int) -> list[int]:
    """The statement's polarity at each clause that has ``seg`` (at least ``matched`` characters of it):
    the same words said both ways (只需回复重点, 其他问题可以不用回复) give both."""
    out = []
    for c2 in st.clauses:
        loc = _locate(seg, c2)
        if loc is not None and loc[0] >= matched and _enough(seg, loc[0]):
            out.append(loc[2] & 1)
    return out


def _said_elsewhere(st: Statement, seg: str, home: int, who: frozenset[str]) -> bool:
    """Whether the statement also affirms ``seg`` in another clause, of the same party if the answer names
    one (消费者只承担寄回的: the seller's 承担 elsewhere is not the consumer's): two or more of its
    characters there, or, for one character, every clause that has it affirms it."""
    clauses = [c2 for k, c2 in enumerate(st.clauses) if not who or not c2.roles or c2.roles & who or k == home]
    if len(seg) == 1:
        ps = [loc[2] & 1 for c2 in clauses if (loc := _locate(seg, c2)) is not None]
        return len(ps) > 1 and not any(ps)
    return any(
        c2 is not st.clauses[home] and (loc := _locate(seg, c2)) is not None and loc[0] >= 2 and loc[2] & 1 == 0
        for c2 in clauses
    )


def _enough(seg: str, matched: int) -> bool:
    """Whether enough of a run of words is found for it to be the same thing."""
    if len(seg) <= 2:
        return matched >= len(seg)
    return matched >= 2 and matched >= 0.4 * len(seg)


def _same_unit(a: str, b: str) -> bool:
    return a == b or not a or not b


def compare(prompt: str, pieces: list[str]) -> bool | None:
    """Whether the answer's ``pieces`` (its clauses, verdict words left out) agree with the statement
    (True), contradict it (False), or say nothing that can be compared (None)."""
    if _FORMULA_RE.search(prompt) and any(_FORMULA_RE.search(p) for p in pieces):
        return None  # a formula against a formula is read by the choice reader's formula rules, not here
    st = statement(prompt)
    if not st.clauses:
        return None
    agree = contra = False
    text = "，".join(_prep(p) for p in pieces)
    for quote in st.quotes:  # 不能说爱买不买: the statement's quote, in the answer, is read as a quote
        if quote in text:
            text = text.replace(quote, f"{_Q}{quote}{_Q}")
    for raw in _split(text):
        r = _compare_clause(st, read_clause(raw, answer=True, said=st.text))
        if r is False:
            contra = True
        elif r is True:
            agree = True
    # before / after the same moment (裁定前也会显示, for 裁定之后才会显示)
    for m in _MOMENT_RE.finditer(text):
        k = st.prepared.find(m.group(1))
        while k >= 0:
            after = st.prepared[k + len(m.group(1)) : k + len(m.group(1)) + 1]
            if after and after in "⊖⊕":
                if after != m.group(2):
                    contra = True
                break
            k = st.prepared.find(m.group(1), k + 1)
    # the order of steps
    mine = _order(text)
    if mine and st.order:
        r = _compare_order(st.order, mine)
        if r is False:
            contra = True
        elif r is True:
            agree = True
    if contra:
        return False
    return True if agree else None


def _compare_order(theirs: list[str], mine: list[str]) -> bool | None:
    def which(item: str) -> int | None:
        hits = [k for k, x in enumerate(theirs) if _shared(item, x) >= 2]
        return hits[0] if len(hits) == 1 else None

    pos = [which(x) for x in mine]
    if len(mine) == 1:
        if pos[0] is None:
            return None
        return pos[0] == 0
    if pos[0] is not None and pos[1] is not None and pos[0] != pos[1]:
        return pos[0] < pos[1]
    if pos[1] == 0:  # 先解释再道歉, for 先道歉: what comes first there comes second here
        return False
    return None


def _shared(a: str, b: str) -> int:
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return sum(x.size for x in sm.get_matching_blocks())


def _compare_clause(st: Statement, a: Clause) -> bool | None:
    """The answer clause against the statement clause it talks about: the one its words are most of.
    Where two clauses fit about as well and the readings differ (寄回 is said of both legs), no reading."""
    # by its subject when it has one said in the statement (同行给的也算…: the clause on 同行), else by all its words
    subject = "".join(x.text for x in a.segments if not x.pred)
    scored = []
    for probe in ([subject] if subject else []) + [a.content]:
        for k, sc in enumerate(st.clauses):
            loc = _locate(probe, sc) if probe else None
            if loc is not None and _enough(probe, loc[0]):
                scored.append((loc[1], k))
        if scored:
            break
    scored.sort(reverse=True)
    homes = [k for score, k in scored if score >= 0.8 * scored[0][0]] if scored else [None]
    readings = {_compare_at(st, a, home) for home in homes}
    return readings.pop() if len(readings) == 1 else None


def _compare_at(st: Statement, a: Clause, home: int | None) -> bool | None:
    agree = contra = False
    total = len(a.content)
    covered = 0
    for seg in a.segments:
        # where the clause's subject is, if it is said there (点击不扣费: in 买家点击后还会再扣一次费), else the best
        # (a single character only there: 用 in 不是每单都能用 is not the 用 of 使用门槛)
        best: tuple[int, int, int, int] | None = None  # matched, score, pos, clause
        loc = _locate(seg.text, st.clauses[home]) if home is not None else None
        if home is not None and loc is not None and _enough(seg.text, loc[0]):
            best = (loc[0], loc[1], loc[2], home)
        elif len(seg.text) > 1 or sum(seg.text in c2.content for c2 in st.clauses) == 1:
            for k in range(len(st.clauses)):
                loc = _locate(seg.text, st.clauses[k])
                if loc is not None and _enough(seg.text, loc[0]) and (best is None or loc[1] > best[1]):
                    best = (loc[0], loc[1], loc[2], k)
        if best is None:
            continue
        sc = st.clauses[best[3]]
        if best[2] >= 2 and a.naming:
            continue  # 这是好评返现: naming what the statement quotes says nothing about whether it is allowed
        covered += best[0]
        if not seg.pred:
            continue
        theirs = best[2] & 1
        mine = seg.parity
        if a.judged is not None and st.judgment is not None:
            continue  # X没问题 / X违规 is compared with the statement's own judgment, below
        if seg.perm and not sc.deontic:
            continue  # X违规 against a fact, not a permission: nothing to compare
        if a.all and len(set(_polarities(st, seg.text, best[0]))) > 1:
            contra = True  # 每个问题都要回复, where the statement says 回复 of some and 不用回复 of others
        elif a.only and _said_elsewhere(st, seg.text, best[3], a.roles):
            contra = True  # 只按展示扣费, where the statement says 扣费 of 点击 too
        elif mine == theirs:
            agree = agree or best[0] >= _AGREE * len(seg.text)
        else:
            contra = True
        # quantifiers: all against only, only against all
        if (a.all and sc.only) or (a.only and sc.all):
            contra = True
        # who bears or does it
        if a.roles and sc.roles and not (a.roles & sc.roles):
            contra = True
        if a.all and a.roles and any(
            c2.roles and not (c2.roles <= a.roles) and _shared(seg.text, c2.content) >= 2 for c2 in st.clauses
        ):
            contra = True
    # X没问题 / X违规 where the statement judges X itself (…存在违规, 是不合适的营销方式)
    if a.judged is not None and st.judgment is not None and covered >= _AGREE * max(total, 1):
        if a.judged == st.judgment:
            agree = True
        else:
            contra = True
    # a clause that ends with a modal (副标题也算, 同行的也算, 副标题不算): the statement's modal of that kind,
    # in the clause the subject is in, or the only clause that has one
    if a.tail is not None and not agree and not contra:
        group, mine_p = a.tail
        here = [m for m in st.clauses[home].marks if m[0] == group] if home is not None else []
        anywhere = [m for c2 in st.clauses for m in c2.marks if m[0] == group]
        theirs_p = here[-1][1] if here else anywhere[0][1] if len(anywhere) == 1 else None
        if theirs_p is not None:
            if theirs_p == mine_p:
                agree = covered >= _AGREE * max(total, 1)
            else:
                contra = True
    # quantifiers with little else to compare: 只交有利的 against 所有聊天记录都提交; 每次都扣 where the
    # statement says 扣分 of some cases and 不扣分 of others
    if not agree and not contra and (a.only or a.all):
        for seg in a.segments:
            if not seg.pred:
                continue
            if a.all and len(set(_polarities(st, seg.text, 1))) > 1:
                contra = True
            for c2 in st.clauses:
                if ((a.only and c2.all) or (a.all and c2.only)) and any(
                    ch in c2.content and ch not in _WEAK_SINGLE for ch in seg.text
                ):
                    contra = True
    # numbers
    for v, u, p in a.numbers:
        if u == "次" and _MANY not in (v, *(v2 for v2, u2, _ in st.numbers if u2 == "次")):
            continue  # 扣一次…再扣一次 is 扣两次: counts of times are compared only as once against many
        same = [(v2, p2) for v2, u2, p2 in st.numbers if _same_unit(u, u2)]
        if not same:
            continue
        hit = [p2 for v2, p2 in same if v2 == v]
        if p == 1:
            if hit:
                contra = True
        elif hit:
            agree = True
            covered += 1
        elif u or total <= 2 or a.correction:
            contra = True
        elif any(u2 in ("", "元") and v2 and 0.1 <= v / v2 <= 10 for v2, u2, _ in st.numbers):
            contra = True  # 一百万 where the statement says 10万元
    if a.correction and not contra:
        # X才对: X proposed as the truth; X not found in the statement corrects it
        return agree if agree and covered >= _AGREE * max(total, 1) else False
    if contra:
        return False
    if agree and covered >= _AGREE * max(total, 1):
        return True
    return None
