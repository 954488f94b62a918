"""单选 and 多选: letters in any decoration, or the text of a choice matched to the nearest one."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz

from quiz.grading.common import _EMPTY, MAX_ANSWER, _clip, _compiled, _fold, _list, _meta, _result, tr
from quiz.grading.match import SENSITIVE, Answer, Phrase, locate, mark_rivals
from quiz.grading.normalize import analyse, normalize, numbers
from quiz.grading.result import GradeResult
from quiz.model import LETTERS, MultiQuestion, SingleQuestion


@dataclass(slots=True)
class _Choices:
    flats: list[str]
    phrases: list[Phrase]
    nums: list[list[float]]


def _compile_choices(choices: list[str]) -> _Choices:
    phrases = [Phrase(normalize(c), c, i) for i, c in enumerate(choices)]
    mark_rivals([[p] for p in phrases], contrastive=True)
    return _Choices([p.text for p in phrases], phrases, [sorted(numbers(p.text)) for p in phrases])


def _choices_of(q: SingleQuestion | MultiQuestion) -> _Choices:
    c: _Choices = _compiled(q, lambda q: _compile_choices(q.choices))
    return c


_DECOR_RE = re.compile(
    r"正确答案是|正确答案为|正确答案|正确的是|我的答案是|答案应该是|答案是|答案为|答案|答|应该选|应选|我选择|我选|选择|选项|选|是|为|项|吧|的|呢|啊|哦|呀|啦|"
    r"以及|和|及|与|还有|或者|或"
)
_NON_LETTER_RE = re.compile(r"[\W_]+")
_LEAD_LETTER_RE = re.compile(r"^\W*([A-H])(?:[\s.)\]】:、,]+|$)(.*)$", re.S)


def parse_letters(raw: str) -> str | None:
    """The option letters an answer names (``b``, ``B.``, ``(B)``, ``选B``, ``答案是B``, ``a,c,d``), else None."""
    t = raw.strip().upper()
    if t and len(t) <= 8 and t.isascii() and t.isalpha() and all("A" <= c <= "H" for c in t):
        return t  # the common case, without NFKC and regular expressions
    t = _fold(t)
    t = _NON_LETTER_RE.sub("", t)
    t = _DECOR_RE.sub("", t)
    if t and len(t) <= 8 and all("A" <= c <= "H" for c in t):
        return t
    return None


def _match_choice(c: _Choices, ans: Answer) -> tuple[int | None, str]:
    """The choice a text answer names: (index or None, why not)."""
    flat = ans.flat
    if flat in c.flats:
        return c.flats.index(flat), ""
    cand = list(range(len(c.flats)))
    nums = sorted(numbers(flat))
    if nums and any(c.nums):
        cand = [i for i in cand if c.nums[i] == nums]
        if not cand:
            return None, "没有哪个选项是这个数"
    scores: list[tuple[float, int]] = []
    for i in cand:
        p = c.phrases[i]
        h = locate(p, ans, typos=False)
        if h is not None and not h.negated and len(p.text) >= 2:
            scores.append((90.0 + min(len(p.text), 9), i))
            continue
        r = fuzz.ratio(ans.snd, p.snd) if ans.has_cjk else fuzz.ratio(flat, p.text)
        if h is not None and h.negated:
            r = 0.0
        elif len(flat) >= 2 and flat in p.text and set(flat) & p.sensitive:
            r = max(r, 85.0)  # the part of a choice that tells it from the others (卖家 for 由卖家承担)
        scores.append((r, i))
    scores.sort(reverse=True)
    if not scores or scores[0][0] < 60:
        return None, "对不上任何选项"
    best, i = scores[0]
    if len(scores) > 1 and best - scores[1][0] < 8:
        return None, f"分不清是选项 {LETTERS[i]} 还是 {LETTERS[scores[1][1]]}"
    if best < 90 and not _diff_ok(c.phrases[i], ans):
        return None, f"与选项 {LETTERS[i]} 的关键字不同"
    return i, ""


def _diff_ok(p: Phrase, ans: Answer) -> bool:
    """A fuzzy answer may differ from the choice it is nearest to, but not in digits, negation or a contrast."""
    from rapidfuzz.distance import Levenshtein

    from quiz.grading.match import CONTRAST, CONTRAST_CHARS

    for op in Levenshtein.editops(p.snd, ans.snd):
        a = p.text[op.src_pos] if op.tag != "insert" else ""
        b = ans.flat[op.dest_pos] if op.tag != "delete" else ""
        for ch in (a, b):
            if ch and (ch in SENSITIVE or ch in p.sensitive or ch in p.foreign):
                return False
        if op.tag == "replace" and frozenset((a, b)) in CONTRAST:
            return False
        if op.tag == "delete" and a in CONTRAST_CHARS:
            return False
    return True


def _grade_single(q: SingleQuestion, raw: str) -> GradeResult:
    rs = _meta(q).right
    k = len(q.choices)
    # several right choices (also_correct): any one of them is correct
    right_text = tr(" 或 ", " or ").join(f"{LETTERS[i]}. {q.choices[i]}" for i in sorted(rs)) if rs else q.answer
    letters = parse_letters(raw)
    chosen: int | None = None
    if letters is not None:
        if len(set(letters)) > 1:
            return _result(
                q, "wrong", 0, f"单选题只能选一个选项（你选了 {_list(sorted(set(letters)))}）。正确答案：{right_text}"
            )
        chosen = LETTERS.index(letters[0])
        if chosen >= k:
            return _result(q, "wrong", 0, f"没有选项 {letters[0]}（选项为 A-{LETTERS[k - 1]}）。正确答案：{right_text}")
    else:
        m = _LEAD_LETTER_RE.match(_fold(raw).upper().strip())
        a = analyse(raw[:MAX_ANSWER])
        if not a.flat:
            return _result(q, "wrong", 0, _EMPTY + f"正确答案：{right_text}")
        c = _choices_of(q)
        if m and LETTERS.index(m.group(1)) < k:
            chosen = LETTERS.index(m.group(1))
            rest = normalize(m.group(2))
            if rest and rest in c.flats and c.flats.index(rest) != chosen:
                return _result(
                    q, "wrong", 0, f"选项字母 {m.group(1)} 与内容「{_clip(m.group(2))}」不一致。正确答案：{right_text}"
                )
        else:
            chosen, why = _match_choice(c, Answer(a))
            if chosen is None:
                return _result(
                    q, "wrong", 0, f"无法判断你选的是哪个选项：{why}。请填写选项字母。正确答案：{right_text}"
                )
    nearest = f"{LETTERS[chosen]}. {q.choices[chosen]}"
    if chosen in rs:
        return _result(q, "correct", 1, f"正确：{nearest}", nearest=nearest)
    return _result(q, "wrong", 0, f"你选的是 {nearest}，不对。正确答案：{right_text}", nearest=nearest)


_SPLIT_RE = re.compile(r"[、,，;；/\s]+|和|及|与|以及")


def _grade_multi(q: MultiQuestion, raw: str) -> GradeResult:
    right = set(_meta(q).right)
    k = len(q.choices)
    expected = "".join(LETTERS[i] for i in sorted(right))
    letters = parse_letters(raw)
    if letters is not None:
        bad = sorted({ch for ch in letters if LETTERS.index(ch) >= k})
        if bad:
            return _result(q, "wrong", 0, f"没有选项 {_list(bad)}（选项为 A-{LETTERS[k - 1]}）。正确答案：{expected}")
        chosen = {LETTERS.index(ch) for ch in letters}
    else:
        text = _fold(raw[:MAX_ANSWER])
        pieces = [p for p in _SPLIT_RE.split(text) if normalize(p)]
        if not pieces:
            return _result(q, "wrong", 0, _EMPTY + f"正确答案：{expected}")
        c = _choices_of(q)
        chosen = set()
        # Choice texts written out whole (they may contain 和/、 themselves), longest first.
        rest = normalize(text)
        for ci in sorted(range(k), key=lambda j: -len(c.flats[j])):
            f = c.flats[ci]
            if f and f in rest:
                chosen.add(ci)
                rest = rest.replace(f, "|")
        if chosen and not re.sub(r"[|和及与以还有]", "", rest):
            pieces = []
        else:
            chosen = set()
        for piece in pieces[:16]:
            i, why = _match_choice(c, Answer(analyse(piece)))
            if i is None:
                return _result(
                    q,
                    "wrong",
                    0,
                    f"无法判断「{_clip(piece)}」是哪个选项：{why}。请填写选项字母，如 ACD。正确答案：{expected}",
                )
            chosen.add(i)
    got = "".join(LETTERS[i] for i in sorted(chosen))
    wrong_chosen = sorted(chosen - right)
    missing = sorted(right - chosen)
    found = tuple(LETTERS[i] for i in sorted(chosen & right))
    missed = tuple(LETTERS[i] for i in missing)
    if wrong_chosen:
        return _result(
            q,
            "wrong",
            0,
            f"选了错误选项 {_list([LETTERS[i] for i in wrong_chosen])}，不得分。正确答案：{expected}",
            nearest=got,
            found=found,
            missed=missed,
        )
    if not missing:
        return _result(q, "correct", 1, f"正确：{expected}", nearest=got, found=found)
    if q.scoring == "partial":
        share = len(chosen) / len(right)
        return _result(
            q,
            "partial",
            share,
            f"少选了 {_list(list(missed))}，得部分分 {len(chosen)}/{len(right)}。正确答案：{expected}",
            nearest=got,
            found=found,
            missed=missed,
        )
    return _result(
        q,
        "wrong",
        0,
        f"少选了 {_list(list(missed))}，本题须全部选对。正确答案：{expected}",
        nearest=got,
        found=found,
        missed=missed,
    )
