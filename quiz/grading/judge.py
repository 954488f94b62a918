"""判断: true/false in any of the usual words and marks, or a modal word (可以/不能) answering the statement."""

from __future__ import annotations

import re

from quiz.grading.common import _clip, _fold, _result, is_question
from quiz.grading.normalize import normalize
from quiz.grading.result import GradeResult
from quiz.model import JudgeQuestion

_TRUE = frozenset("对 正确 是 √ ✓ ✔ ☑ t true yes y 真 right correct 对的 是的 正确的 没错 v".split())
_FALSE = frozenset("错 错误 不对 不正确 否 × ✗ ✘ ☒ x f false no n 假 wrong incorrect 错的 不是 错误的 不对的".split())
_JUDGE_DROP_RE = re.compile(r"[^\w√✓✔☑×✗✘☒]+|_")
_JUDGE_PREFIX_RE = re.compile(
    r"^(?:我的答案是|答案是|答案为|答案|我认为|我觉得|应该是|应该|判断|这个说法是|这个说法|说法是|说法|这句话是|这句话|"
    r"这是|题目说的|回答|是(?=.))"
)
_JUDGE_TOKEN_RE = re.compile(r"(不是|并非|不|没)?(不正确|不对|正确|错误|对|错|√|✓|✔|×|✗|✘)")
_JUDGE_SUFFIX_RE = re.compile(r"(?:的|了|啊|吧|呀|哦|呢|啦|嘛)$")
_JUDGE_NEG_RE = re.compile(r"^(不是|并非|不|没|非|not)(.+)$")


def parse_judge(raw: str) -> bool | None:
    """True/False named by an answer (对/正确/是/√/T/yes... 错/错误/不对/否/×/F/no...), negation aware; else None."""
    t = raw.strip().lower()
    if t in _TRUE:
        return True
    if t in _FALSE:
        return False
    t = _JUDGE_DROP_RE.sub("", _fold(t))
    for _ in range(3):
        t2 = _JUDGE_SUFFIX_RE.sub("", _JUDGE_PREFIX_RE.sub("", t))
        if t2 == t:
            break
        t = t2
    flips = 0
    start = t
    for _ in range(4):
        if t in _TRUE:
            return flips % 2 == 0
        if t in _FALSE:
            return flips % 2 == 1
        m = _JUDGE_NEG_RE.match(t)
        if not m:
            break
        flips += 1
        t = m.group(2)
    # A short sentence (对，这句话是正确的 / 不对，是错的): every true/false word in it must agree.
    if len(start) <= 20:
        said = set()
        for m in _JUDGE_TOKEN_RE.finditer(start):
            word = m.group(2)
            value = word in _TRUE
            if m.group(1):
                value = not value
            said.add(value)
        if len(said) == 1:
            return said.pop()
    return None


_MODALS: tuple[tuple[frozenset[str], tuple[str, ...]], ...] = (
    (
        frozenset("可以 可 能 能够 允许 行 准许".split()),
        ("不可以", "不可", "不能够", "不能", "不允许", "不行", "不得", "不准", "无法"),
    ),
    (frozenset("有权 有权利".split()), ("无权", "没有权利", "没权")),
    (frozenset("有 有的".split()), ("没有", "没")),
)
_MODAL_PREFIX_RE = re.compile(r"^(?:当然|肯定|应该|我觉得|我认为|答案是)")


def _parse_modal(raw: str, prompt: str) -> bool | None:
    """True/False an answer of a modal word (可以, 不能, 有权, 没有) gives a statement.

    The word affirms the statement, unless the statement itself says the denying form of the
    same word (买家不能…: 不能 agrees, 可以 disagrees); a statement holding both is left alone.
    """
    t = _JUDGE_DROP_RE.sub("", _fold(raw.strip().lower()))
    t = _JUDGE_SUFFIX_RE.sub("", _MODAL_PREFIX_RE.sub("", t))
    if not t:
        return None
    stmt = normalize(prompt)
    for yes, nos in _MODALS:
        if t in yes:
            value = True
        elif t in nos:
            value = False
        else:
            continue
        rest = stmt
        denies = False
        for w in nos:
            if w in rest:
                denies = True
                rest = rest.replace(w, "|")
        affirms = any(w in rest for w in yes if len(w) > 1)
        if denies and affirms:
            return None
        return value != denies
    return None


def _grade_judge(q: JudgeQuestion, raw: str) -> GradeResult:
    said = parse_judge(raw[:200]) if len(raw) <= 200 else None
    if said is None and len(raw) <= 20:
        said = _parse_modal(raw, q.prompt)
    if is_question(raw) and len(raw) <= 20:
        said = None
    expected = "对" if q.answer else "错"
    if said is None:
        head = "未作答。" if not raw.strip() else f"无法识别「{_clip(raw.strip(), 12)}」。"
        if raw.strip() and is_question(raw):
            head = f"「{_clip(raw.strip(), 12)}」是问句。"
        return _result(q, "wrong", 0, head + "请回答 对 或 错（也可用 √/×、T/F）。")
    if said == q.answer:
        return _result(q, "correct", 1, f"正确：{expected}", nearest=expected)
    return _result(q, "wrong", 0, f"错误：这句话是{'对' if q.answer else '错'}的。", nearest="对" if said else "错")
