"""数值: the number in the answer, as a number, in an accepted unit."""

from __future__ import annotations

import re

from quiz.grading.common import _EMPTY, _clip, _meta, _result, is_question
from quiz.grading.normalize import format_number, has_negator, normalize
from quiz.grading.result import GradeResult
from quiz.model import NumericQuestion

_NUM_SPAN_RE = re.compile(r"\d+(?:\.\d+)?")
_UNIT_TAIL_RE = re.compile(r"(?:以内|之内|内|左右|整|人民币|钱|的|了|哦|啊|呀|吧|啦|呢|即可|就行|就可以)+$")


_MULTIPLIERS = (("千万", 1e7), ("百万", 1e6), ("万", 1e4), ("亿", 1e8), ("千", 1e3))


def _grade_numeric(q: NumericQuestion, raw: str) -> GradeResult:
    expected = _meta(q).expected
    flat = normalize(raw[:2000])
    spans = list(_NUM_SPAN_RE.finditer(flat))
    if not spans:
        head = _EMPTY if not flat else "没有找到数值，请填写数字（可带单位）。"
        return _result(q, "wrong", 0, f"{head}正确答案：{expected}")
    values = {float(m.group(0)) for m in spans}
    if len(values) > 1:
        said = "、".join(format_number(v) for v in sorted(values))
        return _result(q, "wrong", 0, f"只能填写一个数值（你写了 {said}）。正确答案：{expected}")
    value = values.pop()
    if is_question(raw):
        return _result(q, "wrong", 0, f"请直接作答，不要用问句。正确答案：{expected}")
    if has_negator(flat[: spans[0].start()]):
        return _result(q, "wrong", 0, f"答案里有否定（{_clip(raw.strip(), 12)}），请直接填写数值。正确答案：{expected}")
    unit = flat[spans[0].end() : spans[1].start() if len(spans) > 1 else len(flat)]
    unit = _UNIT_TAIL_RE.sub("", unit)
    allowed = [u for u in ([q.unit] if q.unit else []) + list(q.units)]
    allowed_n = {normalize(u) for u in allowed} - {""}
    said = format_number(value) + unit
    # A unit with a multiplier (万元, 万): 500万元 reads 5000000元 once normalised, so the
    # answer times the multiplier is also right, said in the base unit (元) or bare.
    scaled: dict[str, float] = {}
    for u in allowed_n:
        for pre, mult in _MULTIPLIERS:
            if u.startswith(pre):
                scaled.setdefault(u[len(pre) :], mult)
                break
    plain_ok = not unit or not allowed_n or bool({unit, unit.removeprefix("个"), "个" + unit} & allowed_n)
    mults = list(scaled.values()) if not unit else [scaled[unit]] if unit in scaled else []
    if not plain_ok and not mults:
        units = "、".join(dict.fromkeys(allowed))
        return _result(q, "wrong", 0, f"单位不对：「{unit}」，应为 {units}。正确答案：{expected}", nearest=said)
    targets = ([q.answer] if plain_ok else []) + [q.answer * m for m in mults]
    if any(
        abs(value - t) <= q.tolerance * (t / q.answer if q.answer else 1) + 1e-9 * max(1.0, abs(t)) for t in targets
    ):
        return _result(q, "correct", 1, f"正确：{expected}", nearest=said)
    more = "大了" if value > (targets[-1] if targets else q.answer) else "小了"
    return _result(q, "wrong", 0, f"数值不对：你答 {said}，{more}。正确答案：{expected}", nearest=said)
