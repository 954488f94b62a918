"""数值: the asked quantity in the answer, as a number, in an accepted unit.

An answer may explain itself, show its working or name a related number; the answer's
number is chosen among its quantities (:mod:`quiz.grading.quantity`) thus:

1. numbers that cannot be the answer are set aside: a unit the question does not accept
   (``3个工作日`` when points are asked), a denied or retracted one (``不是30天``,
   ``30天,不对``), a step of working that has a result (``200`` in ``200×0.9=180``);
   and, while others remain, an ordinal (``第16天``), an example (``比如150元``), and a bare
   number the prompt itself gives with another unit;
2. two different numbers offered as alternatives (``15天或者30天``, ``12还是24分``) or a
   range (``7-15天``; but ``0-15天`` or ``1-15天`` where the question asks "within how long") are a hedge:
   wrong, whatever else is there;
3. of what is left: the result of the working (after ``=``); else numbers other than the
   prompt's own; else those written with a unit over bare ones. Two different numbers
   still left are refused: the answer does not say which it means.

A sign is never dropped: ``-5`` is right for -5 and ``5`` is not; only where the question asks what is
deducted, fined or reduced (扣/罚/减少) does a minus say "deducted": ``-12分`` answers 扣多少分 (12). Percent forms follow the
question: ``九成`` is 90 where the question's unit is ``%`` and 0.9 where it asks a fraction.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass

from quiz.grading.common import _EMPTY, _compiled, _result, asks, tr
from quiz.grading.normalize import format_number, normalize
from quiz.grading.quantity import Quantity, UnitReader, alternatives_between, read, with_aliases
from quiz.grading.result import GradeResult
from quiz.model import NumericQuestion

_MULTIPLIERS = (("千万", 1e7), ("百万", 1e6), ("万", 1e4), ("亿", 1e8), ("千", 1e3))
_WITHIN_PROMPT_RE = re.compile(r"内|以内|之内|以下|多久|多长时间|期限")
# A question that asks how much is deducted, fined or reduced: a minus sign there says "deducted" (-12分).
_DEDUCT_PROMPT_RE = re.compile(r"扣|罚|减少|降低|下降|降了|少了|减去")


@dataclass(slots=True)
class _Spec:
    units: UnitReader
    allowed: frozenset[str]  # the question's units, normalised
    scaled: dict[str, float]  # a base unit -> its multiplier, for units like 万元 (500万元 = 5000000元)
    percent: bool  # the question's unit is %
    within: bool  # the question asks "within how long": 0-15天 (or 1-15天) reads 15天
    deduct: bool  # the question asks what is deducted (and the answer is positive): -12分 reads 12分
    prompt_units: dict[float, str]  # numbers the prompt gives, with their unit
    prompt_before: dict[float, str]  # ... and the words just before each (参照价为 200)
    ordinal_asked: bool  # the prompt asks 第几
    prompt_pairs: frozenset[str]  # the prompt's two-character words (for which clause answers it)
    simple: re.Pattern[str]  # a plain answer (15, 15天, 15天内): graded without reading the sentence


def _compile(q: NumericQuestion) -> _Spec:
    allowed_raw = ([q.unit] if q.unit else []) + list(q.units)
    allowed = with_aliases(frozenset(normalize(u) for u in allowed_raw) - {""})
    scaled: dict[str, float] = {}
    for u in allowed:
        for pre, mult in _MULTIPLIERS:
            if u.startswith(pre) and u != pre:
                scaled.setdefault(u[len(pre) :], mult)
                break
    units = UnitReader(allowed | frozenset(scaled))
    pt, given = read(q.prompt, units)
    prompt_units: dict[float, str] = {}
    prompt_before: dict[float, str] = {}
    for g in given:
        prompt_units.setdefault(g.value, g.unit)
        prompt_before.setdefault(g.value, pt[max(0, g.start - 4) : g.start])
    return _Spec(
        units,
        allowed,
        scaled,
        "%" in allowed,
        bool(_WITHIN_PROMPT_RE.search(q.prompt)),
        bool(_DEDUCT_PROMPT_RE.search(q.prompt)) and q.answer > 0,
        prompt_units,
        prompt_before,
        "第几" in q.prompt,
        _pairs(pt),
        re.compile(
            r"\s*(\d{1,15}(?:\.\d{1,15})?)\s*("
            + "|".join(re.escape(u) for u in sorted(allowed, key=len, reverse=True))
            + r")?\s*(?:以内|之内|内|左右)?\s*"
        ),
    )


def _pairs(text: str) -> frozenset[str]:
    """The two-character sequences of Chinese characters in a text."""
    return frozenset(a + b for a, b in itertools.pairwise(text) if "\u4e00" <= a <= "\u9fff" and "\u4e00" <= b <= "\u9fff")


def _values(spec: _Spec, q: NumericQuestion, x: Quantity) -> tuple[float, ...] | None:
    """The values ``x`` may stand for in the question's unit, or None when its unit is not the question's."""
    u, v = x.unit, x.value
    if spec.deduct and v < 0:  # 扣了多少分? -24分: the minus says "deducted"
        v = -v
    if u == "个" and any(a.startswith("个") for a in spec.allowed):  # 其实是3个 (个工作日 said before)
        u = ""
    if u == "%":
        if spec.percent:
            return (v,)
        if spec.allowed:
            return None
        # no unit: a percent answers a fraction (80% = 0.8), or a percentage asked as a bare number (90)
        return (v / 100, v) if abs(q.answer) >= 1 else (v / 100,)
    if not u:
        return (v, *(v / m for m in spec.scaled.values()))
    if not spec.allowed or u in spec.allowed or "个" + u in spec.allowed or u.removeprefix("个") in spec.allowed:
        return (v,)
    if u in spec.scaled:
        return (v / spec.scaled[u],)
    return None


def _context(spec: _Spec, x: Quantity) -> bool:
    """A bare number the prompt gives with a unit this question does not take (100万 for a question in 倍)."""
    given = spec.prompt_units.get(x.value)
    return not x.unit and bool(given) and bool(spec.allowed) and given not in spec.allowed and given not in spec.scaled


def _restated(spec: _Spec, x: Quantity, text: str) -> bool:
    """A number of the prompt's, written after the same words as there (参照价200 for 参照价为200元)."""
    before = spec.prompt_before.get(x.value)
    if before is None:
        return False
    mine = text[max(0, x.start - 2) : x.start]
    return len(mine) == 2 and mine in before


_CLAUSE_SPLIT_RE = re.compile(r"[,，。;；!！?？\n、]")


def _answering(spec: _Spec, text: str, cands: list[Quantity]) -> Quantity | None:
    """Which of several numbers answers the question, by the words around it.

    The one whose clause shares clearly more words with the prompt than the others' (``交易成功后15天内
    投诉,30天内修改``, for a question on complaints after 交易成功); when none stands out, the first
    (learners answer, then explain), provided each of the others stands in a clause of its own that
    says something else (``180元,优惠了20元``), not a bare list (``15天,30天``).
    """
    spans = [(m.start(), m.end()) for m in re.finditer(r"[^,，。;；!！?？\n、]+", text)]

    def clause(x: Quantity) -> str:
        for s, e in spans:
            if s <= x.start < e:
                return text[s:e]
        return ""

    def score(x: Quantity) -> int:
        return len(_pairs(clause(x).replace(x.text, "|")) & spec.prompt_pairs)

    scores = sorted(((score(x), i) for i, x in enumerate(cands)), reverse=True)
    if scores[0][0] >= 2 and scores[0][0] - scores[1][0] >= 2:
        return cands[scores[0][1]]
    first = cands[0]
    for x in cands[1:]:
        if clause(x) == clause(first):
            return None
        own = re.sub(r"[\d.%]|[^\u4e00-\u9fff]", "", clause(x).replace(x.text, ""))
        if len(own) < 2:
            return None
    return first


def _right(q: NumericQuestion, vals: tuple[float, ...]) -> bool:
    return any(abs(v - q.answer) <= q.tolerance + 1e-9 * max(1.0, abs(q.answer)) for v in vals)


def _said(x: Quantity) -> str:
    if x.lo is not None:
        return f"{format_number(x.lo)}-{format_number(x.value)}{x.unit}"
    return format_number(x.value) + x.unit


def _grade_numeric(q: NumericQuestion, raw: str) -> GradeResult:
    spec: _Spec = _compiled(q, _compile)
    plain = spec.simple.fullmatch(raw)
    if plain:  # the common case, a number and its unit (15, 15天, 15天内): nothing else to read
        x = Quantity(float(plain.group(1)), plain.group(2) or "", plain.group(0).strip(), 0, len(raw), 0)
        v = _values(spec, q, x)
        if v is not None:
            return _verdict(q, spec, x, v, several=False)
    text, found = read(raw[:2000], spec.units)
    if not found:
        if not text.strip():
            return _result(q, "wrong", 0, tr(_EMPTY, "No answer."))
        return _result(q, "wrong", 0, tr("没有找到数值，请填写数字（可带单位）。", "No number found: write a number (a unit may follow)."))
    if asks(raw):
        return _result(q, "wrong", 0, tr("这是一个问句，请直接写出数值。", "That is a question: write the number itself."))

    vals = {id(x): _values(spec, q, x) for x in found}
    live = [x for x in found if vals[id(x)] is not None and not x.negated and not x.retracted and not x.working]
    if not live:
        denied = [x for x in found if x.negated or x.retracted]
        if denied:
            return _result(
                q, "wrong", 0,
                tr(f"答案里只否定了 {_said(denied[0])}，没有给出数值。", f"The answer only denies “{_said(denied[0])}”; it gives no number."),
            )
        odd = next((x for x in found if vals[id(x)] is None), None)
        if odd is not None:
            units = "、".join(sorted(spec.allowed)) or "-"
            units_en = ", ".join(f"“{u}”" for u in sorted(spec.allowed)) or "-"
            return _result(
                q, "wrong", 0,
                tr(f"单位不对：「{odd.unit}」，本题的单位是 {units}。", f"Wrong unit: “{odd.unit}”; this question takes {units_en}."),
                nearest=_said(odd),
            )
        return _result(q, "wrong", 0, tr("请写出计算的结果。", "Write the result of the calculation."))

    # Set aside, while others remain: ordinals, examples, a bare number the prompt gives with another unit,
    # the prompt's numbers restated (参照价200), steps of working without a result (200×0.8,160元).
    asides: tuple[Callable[[Quantity], bool], ...] = (
        lambda x: x.ordinal and not spec.ordinal_asked,
        lambda x: x.example,
        lambda x: _context(spec, x),
        lambda x: _restated(spec, x, text),
        lambda x: x.operand,
    )
    for aside in asides:
        rest = [x for x in live if not aside(x)]
        if rest and len(rest) < len(live):
            live = rest

    if all(x.operand for x in live) and sum(x.operand for x in found) >= 2:  # 200×0.8, and no result
        return _result(q, "wrong", 0, tr("请写出计算的结果。", "Write the result of the calculation."))
    # A hedge: a range that is not "0 up to the answer", a lower bound, or two numbers offered as alternatives.
    for x in live:
        if x.lower:
            return _result(
                q, "wrong", 0,
                tr(f"「{x.text}」说的是下限，不是答案的数值。", f"“{x.text}” is a lower bound, not the amount asked."),
                nearest=_said(x),
            )
        if x.lo is not None and x.lo != x.value and not (x.lo in (0, 1) and spec.within):
            return _result(
                q, "wrong", 0,
                tr(f"给出的是一个范围（{_said(x)}），请只写一个数值。", f"That is a range (“{_said(x)}”): give one number."),
                nearest=_said(x),
            )
    for a, b in itertools.pairwise(live):
        if vals[id(a)] != vals[id(b)] and alternatives_between(a, b, text):
            return _result(
                q, "wrong", 0,
                tr(
                    f"给了两个不同的答案（{_said(a)}、{_said(b)}），只能选一个。",
                    f"Two different answers (“{_said(a)}”, “{_said(b)}”): give only one.",
                ),
            )

    if spec.percent and len({vals[id(x)] for x in live}) > 1:  # 0.9, 也就是90%: one value said twice
        pct = {x.value for x in live if x.unit == "%"}
        live = [x for x in live if x.unit or x.value * 100 not in pct] or live
    # The answer among what is left: the result of the working; else not the prompt's own numbers; else with a unit.
    keeps: tuple[Callable[[Quantity], bool], ...] = (
        lambda x: x.result,
        lambda x: x.value not in spec.prompt_units,
        lambda x: bool(x.unit),
    )
    for keep in keeps:
        if len({vals[id(x)] for x in live}) <= 1:
            break
        rest = [x for x in live if keep(x)]
        if rest:
            live = rest
    distinct = list({vals[id(x)]: x for x in live}.values())
    if len(distinct) > 1:
        chosen = _answering(spec, text, distinct)
        if chosen is not None:
            distinct = [chosen]
    if len(distinct) > 1:
        said = "、".join(_said(x) for x in distinct[:4])
        said_en = ", ".join(f"“{_said(x)}”" for x in distinct[:4])
        return _result(
            q, "wrong", 0,
            tr(f"写了几个不同的数值（{said}），看不出哪个是答案。", f"Several different numbers ({said_en}): which one is the answer?"),
        )
    x = distinct[0]
    v = vals[id(x)]
    assert v is not None
    return _verdict(q, spec, x, v, several=len(found) > 1)


def _verdict(q: NumericQuestion, spec: _Spec, x: Quantity, v: tuple[float, ...], *, several: bool) -> GradeResult:
    """The verdict on the number read as the answer (``v``: its values in the question's unit)."""
    said = _said(x)
    if _right(q, v):
        if several:
            return _result(q, "correct", 1, tr(f"回答正确（按 {said} 评分）。", f"Correct (graded on “{said}”)."), nearest=said)
        return _result(q, "correct", 1, tr("回答正确。", "Correct."), nearest=said)
    if _right(q, tuple(-y for y in v)) and q.answer != 0:
        return _result(
            q, "wrong", 0,
            tr(f"符号不对：按 {said} 评分。", f"Wrong sign: graded on “{said}”.") if several else tr("符号不对。", "Wrong sign."),
            nearest=said,
        )
    if spec.percent and not x.unit and _right(q, (x.value * 100,)):
        return _result(
            q, "wrong", 0,
            tr(f"本题要填百分数：你写的 {said} 应写成 {format_number(x.value * 100)}%。",
               f"This question asks for a percentage: write “{said}” as {format_number(x.value * 100)}%."),
            nearest=said,
        )
    more = tr("大了", "too high") if v[0] > q.answer else tr("小了", "too low")
    if several:  # which of its numbers was graded
        return _result(
            q, "wrong", 0, tr(f"数值不对：按 {said} 评分，{more}。", f"Wrong number: graded on “{said}”, {more}."), nearest=said
        )
    return _result(q, "wrong", 0, tr(f"数值不对，{more}。", f"Wrong number, {more}."), nearest=said)
