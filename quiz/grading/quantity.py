"""Reading the quantities in a learner's answer: each number's value (with its sign), its unit,
and the part it plays in the sentence.

A learner who explains writes more than one number: ``200×0.9=180元`` (working),
``3个工作日核实,核实后扣12分`` (a second, related fact), ``不是30天,是15天`` (a correction),
``0-15天`` (a range up to the answer). :func:`read` keeps every number with what tells
the answer apart from the rest: the unit after it, whether it is a step of a calculation
that has a result (``=``), a result, negated (``不是15天``), retracted (``30天不对``), an
ordinal (``第16天``), an example (``比如150元``), a lower bound (``15天以上``), the upper end
of a range (``0-15天``); :func:`alternatives_between` tells two numbers offered as alternatives
(``15天或者30天``).

Forms read: Arabic and Chinese numerals (``一百六``, ``两万``, ``九十``), ``萬``/``億``/``兩``/``俩``,
thousands separators (``1,000,000``), ``1e6``, ``100w``/``5k``, signs (``-1``, ``−1``, ``负1``),
percent forms (``90%``, ``百分之九十``, ``九成`` = 90%, ``八五折`` = 85%), fractions (``三分之一``).
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from quiz.grading.normalize import _numerals, cn_to_number, negator_spans, reading

# Dashes between numbers are ranges (0—15天); the minus sign and its full-width form are minus.
_PREP = str.maketrans(
    {
        "−": "-",
        "﹣": "-",
        "–": "~",
        "—": "~",
        "〜": "~",
        "～": "~",
        "俩": "两",
        "×": "*",
        "✕": "*",
        "÷": "/",
        "＝": "=",
    }
)
_THOUSANDS_RE = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
_SCI_RE = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)e([+-]?\d{1,2})(?![0-9a-z])")
_SHORTHAND_RE = re.compile(r"(?<=\d)([wk])(?![a-z])")
_TIMES_X_RE = re.compile(r"(?<=\d)\s*x\s*(?=\d)")
_NUM_RE = re.compile(r"\d+(?:\.\d+)?|(?<![\d.])\.\d+")
# 百万 said alone for 一百万 (not the idiom 千万别...)
_BARE_BIG_RE = re.compile(r"(?<![0-9零〇一二两三四五六七八九十百千.])(百万|千万)(?![别不要记得])")
_FRACTION_RE = re.compile(r"([0-9零〇一二两三四五六七八九十百千.]+)分之([0-9零〇一二两三四五六七八九十点.]+)")
_CLAUSE_RE = re.compile(r"[,，。;；!！?？\n、]")

# Units a learner may write after a number, longest first when matched; a question's own units are added.
_LEXICON = (
    "个工作日 工作日 个自然日 自然日 个小时 小时 钟头 分钟 秒钟 秒 个月 月份 月 个星期 星期 礼拜 周 年 天 日 号 "
    "个百分点 百分点 倍 次 例 笔 单 件 颗星 颗 星 分 元 块钱 块 毛 角 美元 刀 人 条 张 位 岁 家 个 份 遍 回 步 项 "
    "万 千 百 亿 米 公里 斤 公斤 克 千克 种 类 套 批 句 段 篇 声 口 间 所 台 部 本 双 对 只 支 点 样 些 方面 "
    "人民币 rmb 美金 港币 港元 欧元 日元 英镑 季度 个季度 学期 毫秒 秒钟 小时 度 级 层 楼 瓶 盒 包 袋 箱 辆 吨 升 厘米 毫米 英寸 "
    "平方米 平米 星级 颗钻 钻 冠"
).split()
_WITHIN_RE = re.compile(r"\s*(?:以内|之内|内|以下|之下|以里)")
# A negator that bounds rather than denies: 不超过15天 is "within 15 days".
_BOUND_RE = re.compile(r"(?:不|没有|没)(?:能|得|可以|可|要|会|应该|应)?(?:超过|超出|多于|晚于|迟于|大于|高于|逾期|过)")
# What may stand between a negator and the number it denies: 不是15天, 不到15天, 没有15天.
_NEG_GAP_RE = re.compile(r"[是有为到足止满在了会能要用就再过]{0,3}\s*")
_RETRACT_AFTER_RE = re.compile(
    r"\s*(?:是|就|也)?(?:哦|噢|喔|额|呃|啊)?(?:不对|错的|错了|是错的|不正确|写错了|说错了|搞错了|记错了|不不)"
)
_RETRACT_CLAUSE_RE = re.compile(
    r"^\s*(?:哦|噢|喔|额|呃|啊|嗯)*\s*(?:不对|错了|说错了|写错了|搞错了|记错了|打错了|更正|纠正|改一下|不是|不不|不)\s*"
    r"(?:的|了|啊|哦|呀)?\s*$"
)
_INTERJECTION_RE = re.compile(r"^\s*(?:哦|噢|喔|额|呃|啊|嗯|唉|哎)+\s*$")
# A number the learner says they once believed: 一开始以为是30天(, 其实是15天), 原来记成7个工作日.
_BELIEVED_RE = re.compile(r"以为|记成|记得是|算成|写成|看成|当成|想成|弄成|搞成")
_EXAMPLE_RE = re.compile(r"比如|例如|譬如|举例|举个例子|假如|假设|打个比方")
# Words between two numbers that offer them as alternatives (a hedge, not an answer).
_ALTERNATIVE_RE = re.compile(
    r"或者|或|还是|要么|可能|也许|不确定|不太确定|不清楚|记不清|有的|有时|也有|也行|都行|也可以|都可以|不一定|\bor\b"
)
# A lower bound (15天以上, 至少15天, 超过15天) is not an amount, unless a consequence follows (超过15天就不能投诉).
_LOWER_AFTER_RE = re.compile(r"\s*(?:以上|之上|往上|开外|多|以后|之后|起)")
_LOWER_BEFORE_RE = re.compile(r"(?:至少|最少|起码|不少于|不低于|(?<![不没能得可要该应])(?:超过|超出|大于|多于|高于|过了|满))\s*$")
_CONSEQUENCE_RE = re.compile(r"就|才|不能|不行|不可以|不得|无法|没法|会|要|算|视为|则")
_RESULT_BEFORE_RE = re.compile(
    r"(?:=|等于|得出|得到|算出来是|算出|算下来是|结果是|结果为|即|也就是|换算成|相当于|约等于|≈)\s*$"
)
_OPERATOR_BEFORE_RE = re.compile(r"(?:[*/+-]|乘以|乘|除以|除|减去|减|加上|加)\s*$")
_OPERATOR_AFTER_RE = re.compile(r"\s*(?:[*/+-]|乘以|乘|除以|除|减去|减|加上|加)(?=[^,，。;；、]{0,4}?\d)")
_RESULT_IN_CLAUSE_RE = re.compile(r"=|等于|得出|算出|结果是|结果为")


@dataclass(slots=True)
class Quantity:
    """One number in an answer, with the unit after it and the part it plays."""

    value: float
    unit: str  # normalised unit written after it ('' for a bare number); 成/折/百分之 give '%'
    text: str  # as written, for feedback (prepared form: 一百六 reads 160)
    start: int
    end: int
    clause: int
    lo: float | None = None  # a range lo-hi: its low end (``value`` is the high end)
    within: bool = False  # 15天内 / 不超过15天
    operand: bool = False  # a step of working: 200 in 200×0.9=180 (or in 200×0.9, with no result)
    working: bool = False  # an operand in a clause that has a result: never the answer
    result: bool = False  # after = / 等于 / 即
    negated: bool = False  # 不是15天
    retracted: bool = False  # 30天不对 / 30天,不对,是15天
    ordinal: bool = False  # 第16天
    lower: bool = False  # a lower bound: 15天以上, 至少15天
    example: bool = False  # 比如150元
    signed: bool = False  # written with a sign (+5, -5, 负5)


def prepare(raw: str) -> str:
    """The answer with numerals made Arabic and separators, signs and percent words made uniform."""
    t = unicodedata.normalize("NFKC", raw).lower().translate(_PREP)
    if "," in t:
        t = _THOUSANDS_RE.sub("", t)
    if "e" in t:
        t = _SCI_RE.sub(lambda m: _plain(float(m.group(1)) * 10 ** int(m.group(2))), t)
    if "w" in t or "k" in t:
        t = _SHORTHAND_RE.sub(lambda m: "万" if m.group(1) == "w" else "千", t)
    if "x" in t:
        t = _TIMES_X_RE.sub("*", t)
    if "百万" in t or "千万" in t:
        t = _BARE_BIG_RE.sub(r"一\1", t)
    if "分之" in t:
        t = _FRACTION_RE.sub(_fraction, t)
    return _numerals(t)


def _fraction(m: re.Match[str]) -> str:
    """三分之一 = 0.333..., 千分之五 = 0.005 (百分之五十 is left to be read as 50%)."""
    if m.group(1) == "百":
        return m.group(0)
    den = cn_to_number(m.group(1)) if not m.group(1).replace(".", "").isdigit() else float(m.group(1))
    num = cn_to_number(m.group(2)) if not m.group(2).replace(".", "").isdigit() else float(m.group(2))
    return _plain(num / den) if den else m.group(0)


def _plain(v: float) -> str:
    if v != v or v in (float("inf"), float("-inf")):
        return "0"
    if v == int(v):
        return str(int(v))
    return f"{v:.10f}".rstrip("0").rstrip(".")


def _toneless(s: str) -> str:
    return "".join(unicodedata.normalize("NFKD", reading(c)).encode("ascii", "ignore").decode() or c for c in s)


# Units that name the same thing: a question in 元 takes 块 and 人民币 too.
ALIASES: tuple[frozenset[str], ...] = (
    frozenset("元 块 块钱 人民币 rmb 圆 元钱 元人民币".split()),
    frozenset("天 日 个自然日 自然日".split()),
    frozenset("个工作日 工作日".split()),
    frozenset("% 个百分点 百分点".split()),
)


def with_aliases(units: frozenset[str]) -> frozenset[str]:
    """``units`` and every unit that names the same thing as one of them."""
    out = set(units)
    for group in ALIASES:
        if units & group:
            out |= group
    return frozenset(out)


class UnitReader:
    """Reads the unit after a number: the question's own units (or a homophone of one), else the lexicon."""

    def __init__(self, own: frozenset[str] = frozenset()) -> None:
        self.own = own
        words = sorted(set(_LEXICON) | own | {"个" + u for u in own if u[:1] not in ("个", "%")}, key=len, reverse=True)
        self.words = re.compile(r"\s*(" + "|".join(re.escape(w) for w in words) + ")")
        # a question's Chinese units by their toneless reading: 15填 was typed for 15天
        self.sounds = {_toneless(u): u for u in own if u and all("\u4e00" <= c <= "\u9fff" for c in u)}

    def read(self, t: str, i: int) -> tuple[str, int]:
        """(unit, end) of the unit starting at ``t[i]``, or ('', i)."""
        m = self.words.match(t, i)
        if m:
            return m.group(1), m.end()
        if self.sounds:
            j = i
            while j < len(t) and t[j] == " ":
                j += 1
            for n in (3, 2, 1):
                piece = t[j : j + n]
                if len(piece) == n and all("\u4e00" <= c <= "\u9fff" for c in piece):
                    u = self.sounds.get(_toneless(piece))
                    if u is not None:
                        return u, j + n
        return "", i


_PLAIN_UNITS = UnitReader()


MAX_READ = 2000  # characters of an answer read for numbers
_WINDOW = 24  # characters around a number that say what it is (不超过, 比如, 以上 ...)


def read(raw: str, units: UnitReader | None = None) -> tuple[str, list[Quantity]]:
    """The prepared text of ``raw`` (its first ``MAX_READ`` characters) and every quantity in it, in order."""
    ur = units or _PLAIN_UNITS
    t = prepare(raw[:MAX_READ])
    clause_starts = [0] + [m.end() for m in _CLAUSE_RE.finditer(t)]
    has_result: dict[int, bool] = {}

    def clause_of(pos: int) -> int:
        return bisect.bisect_right(clause_starts, pos) - 1

    def clause_text(k: int) -> str:
        end = clause_starts[k + 1] - 1 if k + 1 < len(clause_starts) else len(t)
        return t[clause_starts[k] : end]

    out: list[Quantity] = []
    matches = list(_NUM_RE.finditer(t))
    last_end = 0
    for m in matches:
        s, e = m.start(), m.end()
        if s < last_end or (s > 1 and t[s - 1] == "." and t[s - 2].isdigit()):  # read with the one before, or 1.2.3
            continue
        value = float(m.group(0))
        k = clause_of(s)
        start = s
        signed = False
        # sign: 负5, -5 (a '-' right after a digit is subtraction or a range: 3-8, 0-15)
        b = s - 1
        while b >= 0 and t[b] == " ":
            b -= 1
        if b >= 0 and t[b] in "-+":
            bb = b - 1
            while bb >= 0 and t[bb] == " ":
                bb -= 1
            if bb < 0 or not (t[bb].isdigit() or t[bb] in "-+~%)）" or (t[bb].isascii() and t[bb].isalpha())):
                signed = True
                if t[b] == "-":
                    value = -value
                start = b
        elif b >= 0 and t[b] == "负":
            signed = True
            value = -value
            start = b
        # unit, with the percent forms 成 and 折
        unit, ue = "", e
        if e < len(t) and t[e] == "%":
            unit, ue = "%", e + 1
        elif e < len(t) and t[e] == "成":
            unit, ue = "%", e + 1
            if abs(value) < 10:
                value *= 10
                if ue < len(t) and t[ue].isdigit() and (ue + 1 == len(t) or not t[ue + 1].isdigit()):
                    value += int(t[ue]) * (1 if value >= 0 else -1)  # 九成五 = 95%
                    ue += 1
        elif e < len(t) and t[e] == "折":
            unit, ue = "%", e + 1
            if abs(value) < 10:
                value *= 10
        else:
            unit, ue = ur.read(t, e)
        q = Quantity(value, unit, t[start:ue], start, ue, k, signed=signed)
        w = _WITHIN_RE.match(t, ue)
        if w:
            q.within = True
            q.end = w.end()
        q.ordinal = (s > 0 and t[s - 1] == "第") or (start > 0 and t[start - 1] == "第")
        before = t[max(clause_starts[k], start - _WINDOW) : start]
        q.example = bool(_EXAMPLE_RE.search(before))
        q.result = bool(_RESULT_BEFORE_RE.search(before))
        q.operand = bool(_OPERATOR_BEFORE_RE.search(before)) or bool(_OPERATOR_AFTER_RE.match(t, ue))
        if k not in has_result:
            has_result[k] = bool(_RESULT_IN_CLAUSE_RE.search(clause_text(k)))
        if q.operand and has_result[k]:
            q.working = True
            q.result = False
        if _LOWER_BEFORE_RE.search(before) or _LOWER_AFTER_RE.match(t, q.end):
            clause_end = clause_starts[k + 1] if k + 1 < len(clause_starts) else len(t)
            q.lower = not _CONSEQUENCE_RE.search(t[q.end : min(clause_end, q.end + _WINDOW)])
        out.append(q)
        last_end = q.end

    _mark_ranges(t, out)
    _mark_fractions(t, out, clause_text)
    _mark_negation(t, out)
    _mark_retractions(t, out, clause_starts, clause_text)
    return t, out


_RANGE_GAP_RE = re.compile(r"^\s*(?:~|-|到|至)\s*(?:负)?$")


def _mark_ranges(t: str, qs: list[Quantity]) -> None:
    """Merge ``lo-hi`` (0-15天, 3到5个工作日) into one quantity with ``lo`` set; 3-8=-5 is subtraction."""
    i = 0
    while i + 1 < len(qs):
        a, b = qs[i], qs[i + 1]
        gap = t[a.end : b.start]
        if (
            a.clause == b.clause
            and not a.working
            and not b.working
            and _RANGE_GAP_RE.match(gap)
            and not b.signed
            and (not a.unit or not b.unit or a.unit == b.unit)
            and not _RESULT_IN_CLAUSE_RE.search(t[a.start : b.end + 8])
        ):
            b.lo = a.value
            b.operand = False
            b.start = a.start
            b.text = t[a.start : b.end]
            b.within = b.within or a.within
            qs.pop(i)
            continue
        i += 1


def _mark_fractions(t: str, qs: list[Quantity], clause_text: Callable[[int], str]) -> None:
    """Read a bare ``a/b`` with no result as the fraction it writes (4/5 = 0.8, 180/200 = 0.9)."""
    i = 0
    while i + 1 < len(qs):
        a, b = qs[i], qs[i + 1]
        if (
            a.clause == b.clause
            and not a.unit
            and b.unit in ("", "%") and not b.signed
            and t[a.end : b.start].strip() == "/"
            and b.value
            and not _RESULT_IN_CLAUSE_RE.search(clause_text(a.clause))
        ):
            b.value = a.value / b.value
            b.unit = ""
            b.start, b.text = a.start, t[a.start : b.end]
            b.operand = a.operand = False
            b.signed = a.signed
            qs.pop(i)
            continue
        i += 1


def _mark_negation(t: str, qs: list[Quantity]) -> None:
    """A number right after a negator (不是15天, 没有15天) is denied; after 不超过 it is a bound (within)."""
    spans = negator_spans(t)
    if not spans:
        return
    ends = [ne for _, ne in spans]
    for q in qs:
        j = bisect.bisect_right(ends, q.start) - 1  # the nearest negator before the number
        if j < 0:
            continue
        ns, ne = spans[j]
        bound = _BOUND_RE.match(t, ns)
        if bound:  # 不超过15天: a bound, not a denial
            if _NEG_GAP_RE.fullmatch(t[bound.end() : q.start]):
                q.within = True
        elif _NEG_GAP_RE.fullmatch(t[ne : q.start]):
            q.negated = True


def _mark_retractions(t: str, qs: list[Quantity], clause_starts: list[int], clause_text: Callable[[int], str]) -> None:
    for q in qs:
        if _RETRACT_AFTER_RE.match(t, q.end):
            q.retracted = True
        elif q is not qs[-1] and _BELIEVED_RE.search(t[clause_starts[q.clause] : q.start]):
            q.retracted = True  # 以为是30天, 其实是15天: what is said after it counts
    by_clause: dict[int, list[Quantity]] = {}
    for q in qs:
        by_clause.setdefault(q.clause, []).append(q)
    for k in range(1, len(clause_starts)):
        if k not in by_clause and _RETRACT_CLAUSE_RE.match(clause_text(k)):
            j = k - 1
            while j > 0 and j not in by_clause and _INTERJECTION_RE.match(clause_text(j)):
                j -= 1  # 6分,哦,不对,是12分
            for q in by_clause.get(j, []):
                q.retracted = True


def alternatives_between(a: Quantity, b: Quantity, t: str) -> bool:
    """Whether ``a`` and ``b`` are offered as alternatives: 15天或者30天, 12还是24分, 15天/30天, 15天,30天也行."""
    gap = t[a.end : b.start]
    if _ALTERNATIVE_RE.search(gap):
        return True
    tail = _CLAUSE_RE.split(t[b.end :], 1)[0]
    if _ALTERNATIVE_RE.match(tail.strip()) or _ALTERNATIVE_RE.search(tail[:6]):
        return True
    return gap.strip() == "/" and bool(a.unit or b.unit)
