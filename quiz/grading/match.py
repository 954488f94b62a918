"""Finding a phrase in an answer the way a careful grader reads: exactly, through a
pinyin-input homophone, with a few filler characters inserted, or with one
mistyped character in a long phrase; and telling whether it is negated there.

Tolerance never touches what carries the meaning: digits (numbers are compared
as numbers), negating characters, operators, known contrast pairs (买/卖,
收/发, 多/少 ...) and the characters that distinguish an accepted answer from
the rejected ones (点击 vs 展示).
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from quiz.grading.normalize import (
    NEGATOR_CHARS,
    Analysed,
    negator_spans,
    non_negator_spans,
    numbers,
    reading,
    readings,
    sound,
    sound_char,
    syllable,
)

How = Literal["exact", "homophone", "insert", "split", "typo", "reorder"]
HOW_RANK: dict[str, int] = {"exact": 3, "homophone": 2, "insert": 1, "split": 0, "typo": 0, "reorder": 0}

# Pairs that differ in one character and mean opposite things: never a typo.
_CONTRAST_TEXT = (
    "买卖 买商 收发 进出 入出 增减 加减 多少 高低 上下 前后 大小 内外 左右 正负 有无 是否 对错 真假 长短 早晚 "
    "先后 开关 升降 涨跌 借贷 男女 收支 盈亏 胜负 首末 新旧 快慢 轻重 冷热 甲乙 原被 主被 你我 你他 我他 "
    "必可 能否 准禁 同异 全半 单双 退换 退付 赔收 允禁 取存 签拒 接拒 好差 好中 中差 正反 明暗 公私 买租 借还 "
    "收付 免收 免付 加扣 扣退 扣返 增扣 进退 存取 输赢 正误 真伪 增删 启停 许禁 可禁 批驳 优劣 强弱 难易 宽严 "
    "松紧 远近 始终 头尾 里外 主次 正副 得失 成败 冻解 封解 开封 允拒 赢亏 涨降 升跌 最少 最多 至少 至多 "
    "以上 以下 超低 超高 满欠 已未 初终 交退 供需 售购 卖租 寄收 拆合 整零"
)
CONTRAST: frozenset[frozenset[str]] = frozenset(frozenset(p) for p in _CONTRAST_TEXT.split())
CONTRAST_CHARS: frozenset[str] = frozenset("".join(_CONTRAST_TEXT.split()))
# Contrast characters that change a phrase wherever they are inserted (parties, directions, yes/no).
_CORE_CONTRAST: frozenset[str] = frozenset("买卖收发进出增减多少高低正负有无是否对错真假退换好差你我他")
# Characters whose change always changes the meaning.
SENSITIVE: frozenset[str] = frozenset("0123456789/*<>=+%.") | NEGATOR_CHARS
_COORDINATORS = frozenset("和或也及与跟")
# Phrases that are themselves a refusal or a denial (不答应, 拒绝回购, 禁止…).
_NEGATIVE_HEADS = ("拒绝", "禁止", "避免", "杜绝", "严禁", "无法", "无需", "婉拒")


@dataclass(slots=True)
class Phrase:
    """A normalised phrase with what must not be changed in it."""

    text: str
    label: str  # what feedback calls it
    group: int = 0  # phrases of one group mean the same thing (one key point, accepted forms ...)
    _snd: str | None = field(default=None, repr=False)
    _sndset: frozenset[str] | None = field(default=None, repr=False)
    _negative: bool | None = field(default=None, repr=False)
    _allowance: int = field(default=-1, repr=False)
    _has_digit: bool | None = field(default=None, repr=False)
    _twin_diff: frozenset[int] | None = field(default=None, repr=False)
    # Set by mark_rivals; what they imply is worked out on first need (most answers never need it).
    _groups: list[frozenset[str]] | None = field(default=None, repr=False)
    _gi: int = field(default=0, repr=False)
    _contrastive: bool = field(default=False, repr=False)
    _rivals: frozenset[str] | None = field(default=None, repr=False)
    _sensitive: frozenset[str] | None = field(default=None, repr=False)
    _foreign: frozenset[str] | None = field(default=None, repr=False)

    @property
    def rivals(self) -> frozenset[str]:
        """Normalised phrases that mean something else (other groups' phrases)."""
        if self._rivals is None:
            g = self._groups
            self._rivals = (
                frozenset().union(*(t for k, t in enumerate(g) if k != self._gi)) - {self.text} if g else frozenset()
            )
        return self._rivals

    def _chars(self) -> None:
        others: frozenset[str] = frozenset()
        mine: frozenset[str] = frozenset(self.text)
        if self._contrastive and self._groups:
            others = frozenset("".join(self.rivals))
            mine = frozenset("".join(self._groups[self._gi]))
        own = frozenset(self.text)
        # what only this phrase has, against what only the rivals have (not its own group's other forms)
        self._sensitive = own - others if others else frozenset()
        self._foreign = others - mine if others else frozenset()

    @property
    def sensitive(self) -> frozenset[str]:
        """Its characters that tell it from rival phrases (accepted vs rejected answers only)."""
        if self._sensitive is None:
            self._chars()
        assert self._sensitive is not None
        return self._sensitive

    @property
    def foreign(self) -> frozenset[str]:
        """Characters of rival phrases it lacks (accepted vs rejected answers only)."""
        if self._foreign is None:
            self._chars()
        assert self._foreign is not None
        return self._foreign

    @property
    def snd(self) -> str:
        if self._snd is None:
            self._snd = sound(self.text)
        return self._snd

    @property
    def sndset(self) -> frozenset[str]:
        if self._sndset is None:
            self._sndset = frozenset(self.snd)
        return self._sndset

    @property
    def negative(self) -> bool:
        """Whether the phrase is itself a refusal or a denial (不答应, 拒绝回购)."""
        if self._negative is None:
            self._negative = self.text[:1] in NEGATOR_CHARS or self.text.startswith(_NEGATIVE_HEADS)
        return self._negative

    @property
    def allowance(self) -> int:
        """How many of its sounds an answer may lack and still be found to say it (typos)."""
        if self._allowance < 0:
            self._allowance = max(1, max_typos(len(self.text)))
        return self._allowance

    def homophone_ok(self, positions: list[int]) -> bool:
        """Whether homophones typed at ``positions`` cannot be taken for a rival that sounds the same.

        维护权利 and the rejected 维护权力 sound alike: a homophone for 利 is refused,
        one for 护 (维户权利) is still a slip.
        """
        if self._twin_diff is None:
            me, n = self.snd, len(self.text)
            diff: set[int] = set()
            for r in self.rivals:
                if len(r) == n and r != self.text and sound(r) == me:
                    diff.update(k for k in range(n) if r[k] != self.text[k])
            self._twin_diff = frozenset(diff)
        return not any(k in self._twin_diff for k in positions)


@dataclass(frozen=True, slots=True)
class Hit:
    start: int
    end: int
    quality: float  # 0-100
    how: How
    negated: bool  # not stated by the learner: negated, or (with ``agent``) done by someone else
    by_other: bool = False  # someone else does it (买家骂人), rather than the learner saying not to


class Answer:
    """An analysed answer, with its homophone key computed on first need."""

    __slots__ = ("_snd", "_sndset", "a", "flat", "has_cjk")

    def __init__(self, a: Analysed) -> None:
        self.a = a
        self.flat = a.flat
        self._snd: str | None = None
        self._sndset: frozenset[str] | None = None
        self.has_cjk = _CJK_RE.search(a.flat) is not None

    @property
    def snd(self) -> str:
        if self._snd is None:
            self._snd = sound(self.flat) if self.has_cjk else self.flat
        return self._snd

    @property
    def sndset(self) -> frozenset[str]:
        """The sounds the answer has (a phrase with sounds it lacks cannot be in it but by typos)."""
        if self._sndset is None:
            self._sndset = frozenset(self.snd)
        return self._sndset


_CJK_RE = re.compile("[\u3400-\U0010ffff]")

# 及时, 准时, 随后 ...: 时/后 ending a word, not a "when ..." clause
_TIME_WORD_HEADS = frozenset("及准按随临适同当此彼那这届平暂有过然之事以最稍日")


# A copula or verdict word between a negator and the text closes the negator's scope: in
# 拒绝发货属于延迟发货 and 不发货就是延迟发货 the negated action is the subject, the rest is said of it.
_COPULA_RE = re.compile("属于|就是|算是|也是|都是|即是|等于|构成|视为|意味着|会导致|导致|会被|会算|算|是")


def is_negated(a: Analysed, start: int, *, adjacent: bool = False) -> bool:
    """Whether a negating word governs the text at ``start`` within its clause.

    The negator must stand close before it (at most four characters between, as in
    不要去投诉, 不给买家补偿), or further when the gap coordinates verbs with
    和/或/也/及/与/、 (不截图和投诉). Negators standing right next to each other
    cancel out in pairs (不是没有 = 有). A copula after some of the gap ends the
    negator's scope (拒绝发货属于延迟发货). With ``adjacent`` (the text is itself a
    negative, 不答应), only a negator right before it counts (不是不答应).
    """
    cs = a.clause_start(start)
    if cs in a.weak:
        # 不先行赔付, 不再投诉: a negator right before a one-character connective still governs
        before = negator_spans(a.flat[a.clause_start(cs - 1) : cs])
        if before and before[-1][1] == cs - a.clause_start(cs - 1):
            cs = a.clause_start(cs - 1) + before[-1][0]
    if cs >= start:
        return False
    prefix = a.flat[cs:start]
    spans = negator_spans(prefix)
    if not spans:
        return False
    ne = spans[-1][1]
    gap = prefix[ne:]
    if adjacent and gap:
        return False
    if len(gap) >= 3 and gap[-1] in "时后" and gap[-2] not in _TIME_WORD_HEADS:
        return False  # 买家不收货时报警: the negator stays in its "when" clause
    if len(gap) >= 2:
        m = _COPULA_RE.search(gap, 1)
        if m is not None:
            return False
    governs = len(gap) <= 4 or (
        len(gap) <= 12 and (any(c in _COORDINATORS for c in gap) or any(cs + ne < p <= start for p in a.soft))
    )
    if not governs:
        return False
    chain = 1
    k = len(spans) - 1
    while k > 0 and spans[k - 1][1] == spans[k][0]:
        chain += 1
        k -= 1
    return chain % 2 == 1


# A negator right after an answer (卖家不承担, 商家也不用出): the answer is the subject of a denied predicate.
_AFTER_NEG_RE = re.compile(
    "(?:也|都|就|并|还|则|可|是)?(?:不用|不必|不需要|不需|无需|无须|不会|不能|不该|不应|不要|不得|不是|没有|没|无权|不)"
)
# ... but not a double negative (不能少) or a word that only starts with 不 (不仅, 不错).
_AFTER_NEG_EXEMPT_RE = re.compile(
    "不(?:能|可|应|要)?(?:少|缺|忘|漏|停)|不仅|不但|不管|不论|不错|不久|不断|不少|不满|不良"
)


def negated_after(a: Analysed, h: Hit) -> bool:
    """Whether a negator right after the hit, in its clause, denies what the hit says (卖家不承担)."""
    if h.end >= len(a.flat) or (h.end in a.bounds and h.end not in a.weak):
        return False
    ce = next((b for b in a.bounds if b > h.end and b not in a.weak), len(a.flat))
    tail = a.flat[h.end : ce]
    m = _AFTER_NEG_RE.match(tail)
    if m is None:
        return False
    neg_at = m.start() + (1 if tail[0] in "也都就并还则可是" and not tail.startswith(("不", "没", "无")) else 0)
    return _AFTER_NEG_EXEMPT_RE.match(tail, neg_at) is None


# A clause that ends by waving off what it lists (保存证据、报警都不用; 报警就不必了), or by dismissing it as
# useless (投诉也没用, 告他白搭, 回购没必要): the learner rejects it.
_WAVED_OFF_RE = re.compile(
    "(?:都|也|就|全都|统统|一律|全部|根本|完全|那就|是|也是|都是)?"
    "(?:不用|不必|不需要|不需|无需|没必要|没有必要|用不着|不要|不做|算了|没用|没有用|没啥用|没什么用|没多大用|"
    "不管用|不顶用|没效果|白搭|白费|没意义|没有意义|无济于事|不可取|要不得|行不通|不行|不同意|不答应|别想|想都别想|"
    "免谈|没门|不了|不成)(?:了|吧|啦|的|啊|呀|哦|哈|呢|嘛|噢)*"
)
# 算了 alone is ambiguous: 发群里就算了 drops it, but 给她退了算了 / 送他算了 gives in ("just do it"). Without
# 就/也/都 before it, 算了 waves off only when the next clause refuses (补偿算了,一分不给).
_REFUSAL_NEXT_RE = re.compile(
    "(?:坚决|绝对|肯定|一律)?(?:1分(?:钱)?(?:都|也)?不给|不给|不同意|不答应|拒绝|不退|没门|想都别想|别想|不可能)"
)
# A dismissal inside an "otherwise" clause (不然投诉也没用) says what the answer's own step is for.
_OTHERWISE_RE = re.compile("(?:否则|不然|要不然|要不|没有.{0,6}的话|如果|要是)")


def waved_off(a: Analysed, end: int) -> bool:
    """Whether the clause holding the text ending at ``end`` ends by waving it off or dismissing it
    (不用/不必/没必要, 没用/白搭/不管用, 就算了), which denies it."""
    ce = next((b for b in a.bounds if b >= end and b not in a.weak), len(a.flat))
    tail = a.flat[end:ce]
    if not tail or len(tail) > 24:
        return False
    for k in range(len(tail)):
        if k and tail[k - 1] in "少免离缺省" and tail[k] == "不":
            continue  # 少不了, 免不了: cannot do without it
        if tail[k] in "都也就全统一不没用算白无要行根完那是别想免" and _WAVED_OFF_RE.fullmatch(tail, k):
            m = _WAVED_OFF_RE.fullmatch(tail, k)
            assert m is not None
            body = m.group(0)
            if k and body.startswith(("不了", "不成")):
                continue  # X不了 is X's own complement (超期了投不了: 不了 is 投's)
            if body.lstrip("都也就全统一律部根本完那是").startswith("算了") and body[:1] not in "都也就那":
                nxt = a.flat[ce : next((b for b in a.bounds if b > ce and b not in a.weak), len(a.flat))]
                if not _REFUSAL_NEXT_RE.match(nxt):
                    return False  # 送他算了: gives in
            cs = a.clause_start(end - 1)
            if _OTHERWISE_RE.match(a.flat, cs) or a.flat[max(0, cs - 2) : cs] in ("否则", "不然"):
                return False
            return True
    return False


_OTHER_SUBJECT_RE = re.compile(
    "(?:现在|之前|以前|后来|结果|最近|今天|昨天|当时|接着|而且)?(?:如果|若|要是|当|假如|万一|一旦|即使)?"
    "(?:买家|买方|对方|顾客|消费者|他们|她们|他|她|职业差评师|差评师|骗子)"
    "(?:又|也|还|都|一直|总是|经常|恶意|故意|不断|再|会|要|竟然|居然|反复|说要|说|威胁要|威胁|扬言要|扬言|"
    "跑来|来|去|在|已经|就|想|打算)*"
    ".{0,2}"  # the start of a compound verb: 买家辱骂 for 骂
)
_PASSIVE_RE = re.compile("被(?:买家|对方|顾客|消费者|客户|他们|她们|他|她|人)?$")
# What someone else says or wants, reported (供货商说标题不写品牌就没事, 老板想把信息发群里).
_REPORTED_RE = re.compile(
    "(?:供货商|供应商|厂家|厂商|同行|老板|店长|掌柜|领导|运营|别人|有人|别家|朋友|客服)"
    "(?:说|讲|提议|建议|想|觉得|认为|打算|要求|的意思是|说的是|讲的)(?:要|是|的|了)?.{0,10}"
)


def by_other(a: Analysed, start: int) -> bool:
    """Whether someone else is the one doing what stands at ``start``: the clause begins with
    them as subject (买家骂人, 如果对方恶意投诉) or the learner suffers it (被买家骂)."""
    cs = a.clause_start(start)
    prefix = a.flat[cs:start]
    if not prefix:
        return False
    return bool(_OTHER_SUBJECT_RE.fullmatch(prefix) or _PASSIVE_RE.search(prefix) or _REPORTED_RE.fullmatch(prefix))


_TOPIC_PREFIX_RE = re.compile("(?:如果|若|要是|一旦|因为|卖家|商家|客服|我们|店铺)?(?:私下|主动|去|恶意|故意)?")
_TOPIC_SUFFIX_RE = re.compile(
    "(?:买家|他们|她们|他|她|对方|顾客|客户|消费者|别人|人)?(?:都|也|就)?"
    "(?:会被|会受|会遭|会导致|会构成|会违|会扣|会算|是违|是不对|是错|是犯|是严重|是禁止|是不允许|属于|算违|算严重|"
    "涉嫌|违规|违法|违反|要被|将被|将会被|可能会被|可能构成|可能违|可能被|容易被|容易导致|导致|构成|被平台|被扣|"
    "被处罚|被封|被罚)"
)


def is_topic(a: Analysed, start: int, end: int) -> bool:
    """Whether the text at ``start:end`` is what the clause talks about rather than an action
    taken: 骚扰买家会被扣分, 辱骂买家属于违规."""
    cs = a.clause_start(start)
    if not _TOPIC_PREFIX_RE.fullmatch(a.flat[cs:start]):
        return False
    ce = next((b for b in a.bounds if b > start), len(a.flat))
    return _TOPIC_SUFFIX_RE.match(a.flat, end, ce) is not None


# 一个/一下/一点 (read as 1个 ...) are filler words, not numbers, inside a phrase said with words between.
_ONE_FILLER = frozenset("个下点些份套次遍声")


def _filler_free(extra: list[str]) -> list[str]:
    """Inserted characters without the 1 of 一个/一下/一点 (normalised to 1个 ...)."""
    out: list[str] = []
    for k, c in enumerate(extra):
        if c == "1" and k + 1 < len(extra) and extra[k + 1] in _ONE_FILLER:
            continue
        out.append(c)
    return out


def _changes_meaning(c: str, p: Phrase) -> bool:
    """Whether an inserted character may change what the phrase means: a number, a negation, an
    operator, a coordinated second item, a rival's distinguishing character, or the opposite of
    one of the phrase's own characters (卖 inside a phrase with 买)."""
    if c in SENSITIVE or c in p.foreign or c in _COORDINATORS or c == "~" or c.isdigit():
        return True
    if c in CONTRAST_CHARS:
        return c in _CORE_CONTRAST or any(frozenset((c, x)) in CONTRAST for x in p.text)
    return False


def _digit_edge(flat: str, start: int, end: int, phrase: str) -> bool:
    """Whether the numbers in ``flat[start:end]``, widened to whole numbers, differ from the phrase's.

    Numbers are compared as numbers: 3 is not found in 13, nor 1000 in 10000.
    """
    if _DIGIT_RE.search(phrase) is None:
        m = _DIGIT_RE.search(flat, start, end)
        while m is not None:
            k = m.start()
            if not (flat[k] == "1" and k + 1 < end and flat[k + 1] in _ONE_FILLER):
                return True
            m = _DIGIT_RE.search(flat, k + 1, end)
        return False
    while start > 0 and (flat[start - 1].isdigit() or flat[start - 1] == "."):
        start -= 1
    while end < len(flat) and (flat[end].isdigit() or flat[end] == "."):
        end += 1
    return numbers(flat[start:end]) != numbers(phrase)


def _find_all(text: str, ch: str) -> list[int]:
    out: list[int] = []
    i = text.find(ch)
    while i >= 0 and len(out) < 32:
        out.append(i)
        i = text.find(ch, i + 1)
    return out


def _sub_ok(p: Phrase, a: str, b: str, *, any_reading: bool = False) -> bool:
    """Whether writing ``b`` for the phrase's ``a`` may be a slip."""
    if a == b:
        return True
    if a in SENSITIVE or b in SENSITIVE:
        return False
    if sound_char(a) == sound_char(b) and a >= "\u3400":
        return True  # a homophone; the caller checks it cannot be taken for a rival (homophone_ok)
    if any_reading:
        return frozenset((a, b)) not in CONTRAST  # like a homophone: the caller checks the rivals
    if a in p.sensitive or b in p.foreign:
        return False
    return frozenset((a, b)) not in CONTRAST


def _edits_ok(p: Phrase, ans: Answer, start: int, end: int, max_edits: int) -> bool:
    """Whether the edits turning ``p`` into ``ans.flat[start:end]`` may all be slips.

    Homophones do not count as edits, but need a phrase no rival sounds like.
    """
    ops = Levenshtein.editops(p.snd, ans.snd[start:end])
    if len(ops) > max_edits:
        return False
    if any(b.src_pos - a_.src_pos <= 1 and "replace" in (a_.tag, b.tag) for a_, b in itertools.pairwise(ops)):
        return False  # a slip changes one character: two changed side by side are another word (累计 -> 当月)
    window = ans.flat[start:end]
    if window != p.text:
        homs = [
            op.src_pos
            for op in Levenshtein.editops(p.text, window)
            if op.tag == "replace" and sound_char(p.text[op.src_pos]) == sound_char(window[op.dest_pos])
        ]
        if homs and not p.homophone_ok(homs):
            return False
    for op in ops:
        if op.tag == "replace":
            if not _sub_ok(p, p.text[op.src_pos], ans.flat[start + op.dest_pos]):
                return False
        elif op.tag == "delete":
            c = p.text[op.src_pos]
            if c in SENSITIVE or c in p.sensitive or c in CONTRAST_CHARS:
                return False
        else:
            c = ans.flat[start + op.dest_pos]
            if c in SENSITIVE or c in p.foreign:
                return False
    return True


def max_typos(n: int) -> int:
    if n < 5:
        return 0
    if n < 10:
        return 1
    if n < 16:
        return 2
    return 3


def _crosses_clause(a: Analysed, start: int, end: int, *, weak_ok: bool = False) -> bool:
    return any(start < b < end and not (weak_ok and b in a.weak) for b in a.bounds)


_NUM_CHUNK_RE = re.compile(r"\d+(?:\.\d+)?[^\W\d_]?")
_PARTIES = ("买家", "卖家", "商家", "客户", "顾客", "消费者", "对方", "平台", "淘宝", "客服", "买方", "卖方")
_GAP = "([^|]{0,%d}?)"
_PREP_VERBS = ("联系", "沟通", "协商", "商量", "道歉", "致歉", "解释", "说明")


@functools.lru_cache(maxsize=4096)
def _reorder_patterns(
    text: str, agent: bool, contrastive: bool = False
) -> tuple[tuple[str, str, tuple[int, ...], tuple[str, ...]], ...]:
    """Patterns that find ``text`` said with its parts in another order:
    (kind, regular expression, groups that hold filler, literal parts an answer must contain).

    * ``num``: a number with its unit moved (累计销售额的10倍 = 10倍累计销售额, 1000元保证金 = 保证金1000元);
    * ``ba``: a verb and its object fronted by 把/将 (公开买家信息 = 把买家的信息公开);
    * ``agent``: for what must not be done, two parts in either order a few characters apart
      (好评返现 = 返现让他改成好评), unless a part is a party (骚扰买家 is not 买家骚扰);
    * ``prep``: 跟买家联系 = 联系买家; ``neg``: 不会把鞋买回来 = 不买回来; ``topic``: the object
      said first, 补偿的要求都拒绝 = 拒绝补偿 (key points only: never where accepted and rejected
      forms must be told apart, nor across a number or a negation).

    The expressions are compiled only when an answer holds the literal parts (most never do).
    """
    out: list[tuple[str, str, tuple[int, ...], tuple[str, ...]]] = []
    nums = list(_NUM_CHUNK_RE.finditer(text))
    if len(nums) == 1:
        m = nums[0]
        parts = [x.strip("的") for x in (text[: m.start()], m.group(0), text[m.end() :])]
        parts = [x for x in parts if x]
        if 2 <= len(parts) <= 3 and all(len(x) >= 2 for x in parts):
            for perm in itertools.permutations(parts):
                if list(perm) == parts and "的" not in text:
                    continue
                body = (_GAP % 3).join(re.escape(x) for x in perm)
                out.append(("num", body, tuple(range(1, len(perm))), tuple(parts)))
    elif not contrastive and len(text) >= 3 and text[0] in "不没" and not any(c in SENSITIVE for c in text[1:]):
        # 不会把鞋买回来 = 不买回来, 不能再给补偿 = 不给补偿
        out.append(("neg", f"{re.escape(text[0])}{_GAP % 5}{re.escape(text[1:])}", (1,), (text[0], text[1:])))
    elif not nums and len(text) >= 4:
        for verb in _PREP_VERBS:
            obj = text[len(verb) :]
            if text.startswith(verb) and len(obj) >= 2:
                # 跟买家联系 = 联系买家, 向买家道歉 = 道歉 ... 买家
                src = f"(?:跟|和|与|同|向|给){re.escape(obj)}{_GAP % 3}{re.escape(verb)}"
                out.append(("prep", src, (1,), (verb, obj)))
        if not contrastive and not any(c in SENSITIVE for c in text):
            for k in range(2, len(text) - 1):
                verb, obj = text[:k], text[k:]
                if obj.startswith(_PARTIES) or obj.endswith(_PARTIES) or verb.endswith(_PARTIES):
                    continue
                # the object said first (退款不退货和补偿的要求都拒绝, 聊天记录都保存好)
                out.append(("topic", f"{re.escape(obj)}{_GAP % 6}{re.escape(verb)}", (1,), (verb, obj)))
        for k in range(2, len(text) - 1):
            verb, obj = text[:k], text[k:]
            loose_obj = "的?".join(re.escape(c) for c in obj)
            out.append(("ba", f"(?:把|将){loose_obj}{_GAP % 4}{re.escape(verb)}", (1,), (verb, obj[0], obj[-1])))
        if agent:
            for k in range(2, len(text) - 1):
                a, b = text[:k], text[k:]
                if a.startswith(_PARTIES) or b.startswith(_PARTIES) or a.endswith(_PARTIES):
                    continue
                out.append(("agent", f"{re.escape(b)}{_GAP % 6}{re.escape(a)}", (1,), (a, b)))
                out.append(("agent", f"{re.escape(a)}([^|]{{1,6}}?){re.escape(b)}", (1,), (a, b)))
    return tuple(out)


_compile = functools.lru_cache(maxsize=4096)(re.compile)
_DIGIT_RE = re.compile(r"\d")


def locate(
    p: Phrase,
    ans: Answer,
    *,
    cutoff: float = 75.0,
    typos: bool = True,
    homophones: bool = True,
    agent: bool = False,
) -> Hit | None:
    """The best place ``p`` is said in the answer, or None (see :func:`_locate`). A negative phrase
    (不进) is not found on the 不 of a word that does not negate (要不先进一小批)."""
    h = _locate(p, ans, cutoff=cutoff, typos=typos, homophones=homophones, agent=agent)
    if h is not None and p.text[:1] in NEGATOR_CHARS and _inside_non_negator(ans, h.start):
        return None
    return h


def _inside_non_negator(ans: Answer, pos: int) -> bool:
    a = ans.a
    cs = a.clause_start(pos)
    return any(s <= pos < e for s, e in non_negator_spans(a.flat[cs : pos + 4], offset=cs))


def _locate(
    p: Phrase,
    ans: Answer,
    *,
    cutoff: float = 75.0,
    typos: bool = True,
    homophones: bool = True,
    agent: bool = False,
) -> Hit | None:
    """The best place ``p`` is said in the answer, or None.

    A stated (not negated) hit is preferred to a negated one; among stated
    hits, an exact one to a homophone, an insertion or a typo. A fuzzy hit whose
    text is exactly one of the phrase's rivals is no hit. With ``agent``, what
    someone else does (买家骂人) or what a rule is about (骚扰买家会被扣分) is not
    stated by the learner either.
    """

    negative = p.negative

    def hit(s: int, e: int, quality: float, how: How) -> Hit:
        neg = is_negated(ans.a, s, adjacent=negative) or (not negative and waved_off(ans.a, e))
        other = agent and not neg and (by_other(ans.a, s) or is_topic(ans.a, s, e))
        return Hit(s, e, quality, how, neg or other, other)

    flat, text = ans.flat, p.text
    n = len(text)
    if n == 0 or not flat:
        return None
    negated_hit: Hit | None = None
    # 1. exact
    i = flat.find(text)
    guard = 0
    while i >= 0 and guard < 64:
        guard += 1
        if not _digit_edge(flat, i, i + n, text):
            h = hit(i, i + n, 100.0, "exact")
            if not h.negated:
                return h
            negated_hit = negated_hit or h
        i = flat.find(text, i + 1)
    if negated_hit is not None or (not ans.has_cjk and not typos):
        return negated_hit
    candidates: list[Hit] = []
    snd, psnd = None, None
    # Sounds of the phrase the answer lacks: the modes below forgive none (homophones, insertions,
    # pieces), one (a character picked for another reading) or a few (typos) of them.
    missing = len(p.sndset - ans.sndset) if ans.has_cjk else n
    if missing > max(1, max_typos(n)):
        return None  # (the same words in another order need every character, too)
    # 2. homophones typed by pinyin input (接代量 for 接待量)
    if missing == 0 and homophones and n >= 2 and ans.has_cjk and any(c >= "\u3400" for c in text):
        snd, psnd = ans.snd, p.snd
        i = snd.find(psnd)
        guard = 0
        while i >= 0 and guard < 16:
            guard += 1
            window = flat[i : i + n]
            subs = [k for k in range(n) if text[k] != window[k]]
            if window not in p.rivals and not _crosses_clause(ans.a, i, i + n) and p.homophone_ok(subs):
                if not _digit_edge(flat, i, i + n, text) and all(_sub_ok(p, text[k], window[k]) for k in subs):
                    candidates.append(hit(i, i + n, 100.0 - 5 * len(subs), "homophone"))
                    break
            i = snd.find(psnd, i + 1)
    # 2b. a character picked for another of its readings (掏宝 for 淘宝: 掏 reads tāo and táo)
    if not candidates and missing <= 1 and homophones and n >= 2 and ans.has_cjk and any(c >= "\u3400" for c in text):
        starts = {k for k in _find_all(flat, text[0])} | {k - n + 1 for k in _find_all(flat, text[-1])}
        for i in sorted(starts):
            if i < 0 or i + n > len(flat):
                continue
            window = flat[i : i + n]
            subs = [k for k in range(n) if text[k] != window[k]]
            if (
                len(subs) == 1
                and reading(text[subs[0]]) in readings(window[subs[0]])
                and window not in p.rivals
                and not _crosses_clause(ans.a, i, i + n)
                and p.homophone_ok(subs)
                and _sub_ok(p, text[subs[0]], window[subs[0]], any_reading=True)
                and not _digit_edge(flat, i, i + n, text)
            ):
                candidates.append(hit(i, i + n, 92.0, "homophone"))
                break
    # 2c. one character of the same syllable in another tone (商价 for 商家: pinyin typed without tones)
    if not candidates and missing <= 1 and homophones and n >= 2 and ans.has_cjk and any(c >= "\u3400" for c in text):
        starts = {k for k in _find_all(flat, text[0])} | {k - n + 1 for k in _find_all(flat, text[-1])}
        for i in sorted(starts):
            if i < 0 or i + n > len(flat):
                continue
            window = flat[i : i + n]
            subs = [k for k in range(n) if text[k] != window[k]]
            if len(subs) != 1:
                continue
            k = subs[0]
            a_, b_ = text[k], window[k]
            if (
                a_ >= "\u3400"
                and b_ >= "\u3400"
                and syllable(a_) == syllable(b_)
                and a_ not in CONTRAST_CHARS
                and b_ not in CONTRAST_CHARS
                and _sub_ok(p, a_, b_)
                and window not in p.rivals
                and not any(
                    len(r) == n and r[:k] == text[:k] and r[k + 1 :] == text[k + 1 :] and syllable(r[k]) == syllable(a_)
                    for r in p.rivals
                )
                and not _crosses_clause(ans.a, i, i + n)
                and not _digit_edge(flat, i, i + n, text)
            ):
                candidates.append(hit(i, i + n, 88.0, "homophone"))
                break
    # 3. a few characters inserted (有使用门槛 for 有门槛, 按照点击付费 for 按点击付费)
    if not candidates and missing == 0 and n >= 2:
        if snd is None:
            snd, psnd = ans.snd, p.snd
        assert psnd is not None
        gap = 2
        first = psnd[0]
        i = snd.find(first)
        guard = 0
        while i >= 0 and guard < 64:
            guard += 1
            j, k = 1, i + 1  # greedy in-order match of the phrase's remaining characters
            limit = min(len(snd), i + n + gap)
            while j < n and k < limit:
                if snd[k] == psnd[j]:
                    j += 1
                k += 1
            if j == n:
                end = k
                window = flat[i:end]
                inserted = end - i - n
                if (
                    inserted > 0
                    and window not in p.rivals
                    and not _crosses_clause(ans.a, i, end, weak_ok=inserted == 1)
                ):
                    extra, pairs = _unmatched(text, psnd, snd[i:end], window)
                    # Filler may come in (有使用门槛, 按照点击付费); a party, a contrast, a
                    # coordinated second item (卖家和买家承担), a negation or a number may not.
                    ok = not any(_changes_meaning(c, p) for c in _filler_free(extra))
                    ok = ok and all(_sub_ok(p, text[k], y) for k, y in pairs) and p.homophone_ok([k for k, _ in pairs])
                    if ok and not _digit_edge(flat, i, end, text):
                        quality = 100.0 - 5 * inserted - 5 * len(pairs)
                        candidates.append(hit(i, end, quality, "insert"))
                        break
            i = snd.find(first, i + 1)
    # 3b. the phrase in pieces with a few words between them (加强客服团队的服务培训 for 加强客服培训)
    if not candidates and missing == 0 and typos and n >= 4 and ans.has_cjk:
        if snd is None:
            snd, psnd = ans.snd, p.snd
        assert psnd is not None
        got = _split_match(p, ans, snd, psnd)
        if got is not None:
            s_, e_, quality = got
            candidates.append(hit(s_, e_, quality, "split"))
    # 4. one mistyped character in a long phrase (按点击扣钱 for 按点击扣费)
    if not candidates and typos and n >= 5 and missing <= max_typos(n):
        if snd is None:
            snd, psnd = ans.snd, p.snd
        assert psnd is not None
        al = fuzz.partial_ratio_alignment(psnd, snd, score_cutoff=cutoff)
        if al is not None:
            if n <= len(snd):
                s0, e0 = al.dest_start, al.dest_end
                # the alignment may leave out a mistyped first or last character (介人 for 介入)
                windows = [(s0, e0)]
                if n >= 6:  # (a shorter phrase keeps its edges: 违约金协的 is not 违约金协商)
                    windows += [(s0, min(len(snd), s0 + n)), (max(0, e0 - n), e0)]
            else:
                windows = [(0, len(snd))]
            for s, e in dict.fromkeys(windows):
                window = flat[s:e]
                if window and window not in p.rivals and not _digit_edge(flat, s, e, text):
                    if _edits_ok(p, ans, s, e, max_typos(n)) and al.score >= cutoff:
                        candidates.append(hit(s, e, float(al.score), "typo"))
                        break
    # 5. the same words in another order (10倍累计销售额, 把买家信息公开, 返现让他改好评)
    if not candidates and missing == 0 and n >= 3:
        r = _reordered(p, ans, agent, hit)
        if r is not None:
            candidates.append(r)
    if not candidates:
        return None
    candidates.sort(key=lambda h: (not h.negated, HOW_RANK[h.how], h.quality), reverse=True)
    return candidates[0]


def _reordered(p: Phrase, ans: Answer, agent: bool, hit: Callable[[int, int, float, How], Hit]) -> Hit | None:
    """The phrase said with its parts in another order (10倍累计销售额, 把买家信息公开, 返现让他改好评)."""
    flat, text = ans.flat, p.text
    pats = _reorder_patterns(text, agent, p._contrastive or agent)
    if not pats:
        return None
    has_ba = "把" in flat or "将" in flat
    has_digit = _DIGIT_RE.search(flat) is not None
    for kind, source, gaps, needs in pats:
        if (kind == "ba" and not has_ba) or (kind == "num" and not has_digit):
            continue
        if not all(x in flat for x in needs):
            continue
        pat = _compile(source)
        m = pat.search(flat)
        guard = 0
        while m is not None and guard < 8:
            guard += 1
            s_, e_ = m.start(), m.end()
            filler = "".join(m.group(g) or "" for g in gaps)
            ok = not any(
                c in SENSITIVE or c in p.foreign or c in _COORDINATORS or c == "~" or c.isdigit() for c in filler
            )
            if ok and not _crosses_clause(ans.a, s_, e_, weak_ok=True) and not _digit_edge(flat, s_, e_, text):
                return hit(s_, e_, 80.0, "reorder")
            m = pat.search(flat, s_ + 1)
    return None


_SPLIT_GAP = 6  # characters between two pieces of a phrase


def _split_match(p: Phrase, ans: Answer, snd: str, psnd: str) -> tuple[int, int, float] | None:
    """The phrase said in two or more pieces of at least two characters each, in order, within a
    clause, with words between them that carry no meaning of their own here: no number, negation,
    contrast, party-changing coordination, nor a rival's distinguishing character."""
    n = len(psnd)
    max_pieces = 2 if n < 8 else 3 if n < 14 else 4
    flat = ans.flat
    text = p.text
    i = snd.find(psnd[0])
    guard = 0
    while i >= 0 and guard < 32:
        guard += 1
        j, k, pieces, run, gap_total = 0, i, 1, 0, 0
        ok = True
        while j < n:
            if k < len(snd) and snd[k] == psnd[j]:
                j += 1
                k += 1
                run += 1
                continue
            if run < 2 or pieces >= max_pieces:
                ok = False
                break
            nxt = snd.find(psnd[j], k + 1, k + 1 + _SPLIT_GAP)
            if nxt < 0:
                ok = False
                break
            gap_total += nxt - k
            pieces += 1
            run = 0
            k = nxt
        if ok and run >= 2 and pieces > 1 and gap_total <= max(4, n):
            end = k
            window = flat[i:end]
            if window not in p.rivals and not _crosses_clause(ans.a, i, end, weak_ok=True):
                extra, pairs = _unmatched(text, psnd, snd[i:end], window)
                bad = any(_changes_meaning(c, p) for c in _filler_free(extra))
                if (
                    not bad
                    and all(_sub_ok(p, text[q], y) for q, y in pairs)
                    and p.homophone_ok([q for q, _ in pairs])
                    and not _digit_edge(flat, i, end, text)
                ):
                    return i, end, 95.0 - 3 * pieces - gap_total
        i = snd.find(psnd[0], i + 1)
    return None


def _unmatched(text: str, psnd: str, wsnd: str, window: str) -> tuple[list[str], list[tuple[int, str]]]:
    """Match ``psnd`` greedily in order in ``wsnd``: (characters of ``window`` left over,
    (phrase position, window char) of characters matched by sound but written differently)."""
    extra: list[str] = []
    subs: list[tuple[int, str]] = []
    j = 0
    for k, c in enumerate(wsnd):
        if j < len(psnd) and c == psnd[j]:
            if text[j] != window[k]:
                subs.append((j, window[k]))
            j += 1
        else:
            extra.append(window[k])
    return extra, subs


def find_best(
    phrases: list[Phrase],
    ans: Answer,
    *,
    cutoff: float = 75.0,
    typos: bool = True,
    homophones: bool = True,
    first_exact: bool = True,
    agent: bool = False,
) -> tuple[Phrase, Hit] | None:
    """The best stated hit among ``phrases`` (the longest of equal rank), else a negated one, else None.

    With ``first_exact``, the first stated exact hit ends the search.
    """
    best: tuple[Phrase, Hit] | None = None
    sset = ans.sndset if ans.has_cjk else None
    for p in phrases:
        if sset is not None and len(p.sndset - sset) > p.allowance:
            continue  # it lacks more of the phrase's sounds than any way of finding it forgives
        h = locate(p, ans, cutoff=cutoff, typos=typos, homophones=homophones, agent=agent)
        if h is None:
            continue
        if best is None or (not h.negated, HOW_RANK[h.how], h.quality, h.end - h.start) > (
            not best[1].negated,
            HOW_RANK[best[1].how],
            best[1].quality,
            best[1].end - best[1].start,
        ):
            best = (p, h)
        if first_exact and not h.negated and h.how == "exact":
            break
    return best


def mark_rivals(groups: list[list[Phrase]], *, contrastive: bool) -> None:
    """Give each phrase the other groups' phrases as rivals.

    With ``contrastive`` (accepted vs rejected answers, or the choices of a
    question), a phrase also gets the characters that tell it from its rivals
    (``sensitive``) and theirs it lacks (``foreign``): a typo may not touch those.
    """
    texts = [frozenset(p.text for p in g) for g in groups]
    for gi, g in enumerate(groups):
        for p in g:
            p._groups, p._gi, p._contrastive = texts, gi, contrastive
            p._rivals = p._sensitive = p._foreign = None
