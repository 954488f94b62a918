"""Grade one answer to one question (bank-format.md: "Question types and how each is graded").

Each question is compiled once (normalised choices, accepted and rejected forms,
key-point phrasings) and cached by object identity, so grading a batch costs a
few string searches per answer. Grading never raises: any failure inside is
caught and reported as a ``wrong`` verdict with a note, so one odd answer cannot
stop a batch or an exam.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz

from quiz.grading.match import (
    SENSITIVE,
    Answer,
    Hit,
    Phrase,
    find_best,
    locate,
    mark_rivals,
    negated_after,
)
from quiz.grading.normalize import analyse, format_number, has_negator, normalize, numbers
from quiz.grading.result import GradeResult, Verdict
from quiz.model import (
    LETTERS,
    AnyQuestion,
    JudgeQuestion,
    KeyPoint,
    MultiQuestion,
    NumericQuestion,
    ScenarioQuestion,
    ShortQuestion,
    SingleQuestion,
    resolve_choice,
)

MAX_ANSWER = 20_000  # characters of an answer that are read; beyond that is not an exam answer
DEFAULT_CUTOFF = 75.0

# --- compiled questions -----------------------------------------------------------


@dataclass(slots=True)
class _Point:
    label: str
    weight: float
    phrases: list[Phrase]


@dataclass(slots=True)
class _Choices:
    flats: list[str]
    phrases: list[Phrase]
    nums: list[list[float]]


@dataclass(slots=True)
class _Free:
    accepted: list[Phrase] = field(default_factory=list)
    rejected: list[Phrase] = field(default_factory=list)
    points: list[_Point] = field(default_factory=list)
    forbidden: list[_Point] = field(default_factory=list)
    ordered: bool = False
    pass_: float = 1.0
    cutoff: float = DEFAULT_CUTOFF


@dataclass(slots=True)
class _Meta:
    """What grading a question needs, computed once: the expected text, the right options, the matchers."""

    question: object
    expected: str
    right: frozenset[int] = frozenset()
    compiled: object = None


# id(question) -> its _Meta; the entry holds the question itself, so the id cannot be reused meanwhile.
_CACHE: dict[int, _Meta] = {}


def _meta(q: AnyQuestion) -> _Meta:
    m = _CACHE.get(id(q))
    if m is not None and m.question is q:
        return m
    try:
        expected = q.expected_text()
    except Exception:  # a question the loader would refuse: still answer
        expected = ""
    right: frozenset[int] = frozenset()
    if isinstance(q, SingleQuestion):
        i = resolve_choice(q.answer, q.choices)
        right = frozenset() if i is None else frozenset({i})
    elif isinstance(q, MultiQuestion):
        right = frozenset(i for i in (resolve_choice(a, q.choices) for a in q.answer) if i is not None)
    if len(_CACHE) > 100_000:
        _CACHE.clear()
    m = _CACHE[id(q)] = _Meta(q, expected, right)
    return m


def _compiled(q: AnyQuestion) -> Any:
    m = _meta(q)
    if m.compiled is None:
        if isinstance(q, (SingleQuestion, MultiQuestion)):
            m.compiled = _compile_choices(q.choices)
        elif isinstance(q, (ShortQuestion, ScenarioQuestion)):
            m.compiled = _compile_free(q)
    return m.compiled


def _phrases(texts: list[str], group: int) -> list[Phrase]:
    out: list[Phrase] = []
    seen: set[str] = set()
    for t in texts:
        n = normalize(t)
        if n and n not in seen:
            seen.add(n)
            out.append(Phrase(n, t, group))
    return out


def _compile_choices(choices: list[str]) -> _Choices:
    phrases = [Phrase(normalize(c), c, i) for i, c in enumerate(choices)]
    mark_rivals([[p] for p in phrases], contrastive=True)
    return _Choices([p.text for p in phrases], phrases, [sorted(numbers(p.text)) for p in phrases])


def _points(kps: list[KeyPoint], group0: int, with_label: bool) -> list[_Point]:
    return [
        _Point(kp.point, kp.weight, _phrases([*kp.any, kp.point] if with_label else list(kp.any), group0 + i))
        for i, kp in enumerate(kps)
    ]


def _compile_free(q: ShortQuestion | ScenarioQuestion) -> _Free:
    f = _Free(ordered=q.ordered, pass_=q.pass_)
    f.points = _points(q.keypoints, 2, True)
    f.forbidden = _points(q.forbidden, 2 + len(f.points), True)
    groups = [p.phrases for p in f.points] + [p.phrases for p in f.forbidden]
    if groups:
        mark_rivals(groups, contrastive=False)
    if isinstance(q, ShortQuestion):
        f.accepted = _phrases(q.answers, 0)
        f.rejected = _phrases(q.reject, 1)
        if f.rejected:
            mark_rivals([f.accepted, f.rejected], contrastive=True)
        if q.threshold is not None:
            f.cutoff = float(q.threshold)
    return f


# --- helpers ----------------------------------------------------------------------------


def _result(q: AnyQuestion, verdict: Verdict, score: float, feedback: str, **kw: Any) -> GradeResult:
    score = min(1.0, max(0.0, float(score))) if score == score else 0.0
    return GradeResult(verdict=verdict, score=round(score, 4), feedback=feedback, expected=_meta(q).expected, **kw)


def _list(items: list[str] | tuple[str, ...]) -> str:
    return "、".join(items)


def _clip(text: str, n: int = 24) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


_EMPTY = "未作答。"

# --- single / multi -------------------------------------------------------------------

_DECOR_RE = re.compile(
    r"正确答案是|正确答案为|正确答案|正确的是|我的答案是|答案应该是|答案是|答案为|答案|答|应该选|应选|我选择|我选|选择|选项|选|是|为|项|吧|的|呢|啊|哦|呀|啦|"
    r"以及|和|及|与|还有|或者|或"
)
_NON_LETTER_RE = re.compile(r"[\W_]+")
_LEAD_LETTER_RE = re.compile(r"^\W*([A-H])(?:[\s.)\]】:、,]+|$)(.*)$", re.S)


def _fold(raw: str) -> str:
    return unicodedata.normalize("NFKC", raw)


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
    right = min(rs) if rs else None
    k = len(q.choices)
    right_text = f"{LETTERS[right]}. {q.choices[right]}" if right is not None else q.answer
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
        c = _compiled(q)
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
    if chosen == right:
        return _result(q, "correct", 1, f"正确：{right_text}", nearest=nearest)
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
        c = _compiled(q)
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


# --- judge ---------------------------------------------------------------------------------

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


# An answer that asks (对吗? 可以吗) states nothing.
_QUESTION_RE = re.compile(r"吗[\W_]*$")


def is_question(raw: str) -> bool:
    """Whether a short answer is itself a question (对吗? / 可以吗 / 15天吗), which states nothing."""
    return bool(_QUESTION_RE.search(_fold(raw[-40:]).strip()))


# Modal answers to a judge statement (可以 / 不能 / 有权 / 没有): (affirming words, denying words).
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


# --- numeric ---------------------------------------------------------------------------------

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


# --- free text: short and scenario ---------------------------------------------------------------


def _span_in(inner: Hit, outer: Hit) -> bool:
    return (
        outer.start <= inner.start and inner.end <= outer.end and (outer.end - outer.start) > (inner.end - inner.start)
    )


def _nearest(phrases: list[Phrase], ans: Answer) -> tuple[Phrase | None, float]:
    best: Phrase | None = None
    score = -1.0
    for p in phrases:
        s = fuzz.ratio(ans.flat, p.text)
        if s > score:
            best, score = p, s
    return best, score


def _why_not(ans: Answer, near: Phrase) -> str:
    """Where a near miss differs from the nearest accepted answer, when that is short to say."""
    from rapidfuzz.distance import Levenshtein

    if sorted(numbers(ans.flat)) != sorted(numbers(near.text)) and numbers(near.text):
        return "：数字不对"
    if fuzz.ratio(ans.flat, near.text) < 60:
        return ""
    diffs = [op for op in Levenshtein.opcodes(ans.flat, near.text) if op.tag != "equal"]
    if not diffs or len(diffs) > 2:
        return ""
    parts = []
    for op in diffs:
        said, want = ans.flat[op.src_start : op.src_end], near.text[op.dest_start : op.dest_end]
        if len(said) > 6 or len(want) > 6:
            return ""
        if op.tag == "replace":
            parts.append(f"「{said}」应为「{want}」")
        elif op.tag == "delete":
            parts.append(f"多了「{said}」")
        else:
            parts.append(f"少了「{want}」")
    return "：" + "，".join(parts)


@dataclass(slots=True)
class _Points:
    score: float
    need_met: bool
    found: list[str]
    missed: list[str]
    negated: list[str]
    violations: list[str]
    out_of_order: list[str]


def _grade_points(f: _Free, ans: Answer) -> _Points:
    hits: list[tuple[int, int]] = []  # (point index, position)
    negated: list[str] = []
    for i, pt in enumerate(f.points):
        r = find_best(pt.phrases, ans, cutoff=f.cutoff)
        if r is None:
            continue
        if r[1].negated:
            if not r[1].by_other:
                negated.append(pt.label)
        else:
            hits.append((i, r[1].start))
    violations = []
    for fp in f.forbidden:
        hits_fp = [
            h for p in fp.phrases if (h := locate(p, ans, cutoff=f.cutoff, typos=False, homophones=False, agent=True))
        ]
        unsaid = [h for h in hits_fp if h.negated]
        # a stated hit inside a longer phrasing's unstated one (骂 in 不要辱骂, in 辱骂买家会被扣分) does not count
        if any(
            not h.negated
            and not any(u.start <= h.start and h.end <= u.end and u.end - u.start > h.end - h.start for u in unsaid)
            for h in hits_fp
        ):
            violations.append(fp.label)
    counted = {i for i, _ in hits}
    out_of_order: list[str] = []
    if f.ordered and len(hits) > 1:
        counted = _ordered_best(hits, [p.weight for p in f.points])
        out_of_order = [f.points[i].label for i, _ in hits if i not in counted]
    total = sum(p.weight for p in f.points) or 1.0
    got = sum(f.points[i].weight for i in counted)
    need = f.pass_ * total
    if all(float(p.weight).is_integer() for p in f.points):
        # Whole points: the pass mark is the nearest whole number of points (60% of 7 points = 4
        # points), but half of the points or less never passes a mark above one half.
        need = max(math.floor(need + 0.5 + 1e-9), 1)
        if f.pass_ > 0.5:
            need = max(need, math.floor(total / 2) + 1)
    met = got + 1e-9 >= need and got > 0
    return _Points(
        score=got / total,
        need_met=met,
        found=[f.points[i].label for i in sorted(counted)],
        missed=[p.label for i, p in enumerate(f.points) if i not in counted and p.label not in out_of_order],
        negated=negated,
        violations=violations,
        out_of_order=out_of_order,
    )


def _ordered_best(hits: list[tuple[int, int]], weights: list[float]) -> set[int]:
    """The heaviest set of found points whose positions follow the required order."""
    hs = sorted(hits)
    best: list[float] = []
    prev: list[int] = []
    for k, (i, pos) in enumerate(hs):
        b, pv = weights[i], -1
        for j in range(k):
            if hs[j][1] < pos and best[j] + weights[i] > b:
                b, pv = best[j] + weights[i], j
        best.append(b)
        prev.append(pv)
    k = max(range(len(hs)), key=lambda j: best[j])
    out: set[int] = set()
    while k >= 0:
        out.add(hs[k][0])
        k = prev[k]
    return out


def _points_result(q: AnyQuestion, pr: _Points, nearest: str | None = None) -> GradeResult:
    kw: dict[str, Any] = {
        "found": tuple(pr.found),
        "missed": tuple(pr.missed + pr.out_of_order),
        "violations": tuple(pr.violations),
        "nearest": nearest,
    }
    parts = []
    if pr.violations:
        parts.append(f"出现了不应有的做法：{_list(pr.violations)}，本题 0 分。")
    if pr.found:
        parts.append(f"要点已答到：{_list(pr.found)}")
    plain_missed = [m for m in pr.missed if m not in pr.negated]
    if plain_missed:
        parts.append(f"缺少：{_list(plain_missed)}")
    if pr.out_of_order:
        parts.append(f"顺序不对，未计分：{_list(pr.out_of_order)}")
    if pr.negated:
        parts.append(f"被否定，不计分：{_list(pr.negated)}")
    text = "；".join(p.rstrip("。") for p in parts) + "。"
    if pr.violations:
        return _result(q, "wrong", 0, text, **kw)
    if pr.need_met:
        return _result(q, "correct", pr.score, "正确。" + text, **kw)
    if pr.score > 0:
        return _result(q, "partial", pr.score, "部分正确。" + text, **kw)
    return _result(q, "wrong", 0, ("未答到任何要点。" if not pr.negated else "") + text, **kw)


def _grade_short(q: ShortQuestion, raw: str) -> GradeResult:
    f: _Free = _compiled(q)
    ans = Answer(analyse(raw[:MAX_ANSWER]))
    if not ans.flat:
        return _result(q, "wrong", 0, _EMPTY + f"参考答案：{q.answers[0]}", nearest=None)
    acc = find_best(f.accepted, ans, cutoff=f.cutoff, first_exact=False)
    rej = find_best(f.rejected, ans, cutoff=f.cutoff, first_exact=False) if f.rejected else None
    acc_hit = acc[1] if acc and not acc[1].negated and acc[1].quality >= f.cutoff else None
    if acc_hit and (negated_after(ans.a, acc_hit) or (is_question(raw) and len(ans.flat) <= 16)):
        acc_hit = None  # 卖家不承担 / 商家不用出 deny what 卖家 would answer; 可以吗 asks
    rej_hit = rej[1] if rej and not rej[1].negated else None
    if rej_hit and acc_hit and negated_after(ans.a, rej_hit):
        rej_hit = None  # 买家不承担，商家承担: the wrong answer is denied, the right one said
    if acc_hit and rej_hit:
        if _span_in(acc_hit, rej_hit):
            acc_hit = None
        elif _span_in(rej_hit, acc_hit):
            rej_hit = None
    near, _ = _nearest(f.accepted, ans)
    nearest = near.label if near else None
    if rej_hit and rej:
        return _result(
            q, "wrong", 0, f"错误：与错误答案「{rej[0].label}」更接近。参考答案：{q.answers[0]}", nearest=nearest
        )
    if acc_hit and acc and acc_hit.how != "exact" and f.rejected:
        # Contrastive: a tolerated near-miss must still be nearer an accepted form than any rejected one.
        said = sorted(numbers(ans.flat))

        def closeness(p: Phrase) -> tuple[bool, float, float]:
            # numbers as numbers first; then by sound, then by writing (权利 / 权力 sound alike)
            return sorted(numbers(p.text)) == said, fuzz.ratio(ans.snd, p.snd), fuzz.ratio(ans.flat, p.text)

        ra = max(closeness(p) for p in f.accepted)
        rr_p = max(f.rejected, key=closeness)
        if closeness(rr_p) >= ra:
            return _result(
                q, "wrong", 0, f"错误：与错误答案「{rr_p.label}」更接近。参考答案：{q.answers[0]}", nearest=nearest
            )
    if acc_hit and acc:
        note = {"homophone": "（有同音错字）", "typo": "（有错字）"}.get(acc_hit.how, "")
        kw: dict[str, Any] = {"nearest": acc[0].label}
        if f.points:
            kw["found"] = tuple(p.label for p in f.points)
        return _result(q, "correct", 1, f"正确{note}：{acc[0].label}", **kw)
    if q.threshold is not None and not (acc and acc[1].negated):
        # The trainer set how close is close enough: the whole answer against the nearest
        # accepted form, still nearer to it than to any rejected one, and never differing
        # in a number, a negation, an operator or a contrast.
        best = max(f.accepted, key=lambda p: fuzz.ratio(ans.snd, p.snd))
        to_best = fuzz.ratio(ans.snd, best.snd)
        to_rejected = max((fuzz.ratio(ans.snd, p.snd) for p in f.rejected), default=-1.0)
        if to_best >= q.threshold and to_best > to_rejected and sorted(numbers(ans.flat)) == sorted(numbers(best.text)):
            if _diff_ok(best, ans):
                return _result(q, "correct", 1, f"基本正确：{best.label}", nearest=best.label)
    if f.points:
        pr = _grade_points(f, ans)
        return _points_result(q, pr, nearest)
    if acc and acc[1].negated:
        return _result(
            q, "wrong", 0, f"错误：你的答案否定了「{acc[0].label}」。参考答案：{q.answers[0]}", nearest=acc[0].label
        )
    why = _why_not(ans, near) if near else ""
    return _result(q, "wrong", 0, f"错误{why}。最接近的标准答案：{nearest}", nearest=nearest)


def _grade_scenario(q: ScenarioQuestion, raw: str) -> GradeResult:
    f: _Free = _compiled(q)
    ans = Answer(analyse(raw[:MAX_ANSWER]))
    if not ans.flat:
        return _result(
            q,
            "wrong",
            0,
            _EMPTY + "要点：" + _list([p.label for p in f.points]),
            missed=tuple(p.label for p in f.points),
        )
    return _points_result(q, _grade_points(f, ans))


# --- entry point ------------------------------------------------------------------------------------


def grade(question: AnyQuestion, answer: str) -> GradeResult:
    """Grade ``answer`` to ``question``. Never raises; the score is within 0..1."""
    if not isinstance(answer, str):
        answer = "" if answer is None else str(answer)
    try:
        if isinstance(question, SingleQuestion):
            return _grade_single(question, answer)
        if isinstance(question, MultiQuestion):
            return _grade_multi(question, answer)
        if isinstance(question, JudgeQuestion):
            return _grade_judge(question, answer)
        if isinstance(question, NumericQuestion):
            return _grade_numeric(question, answer)
        if isinstance(question, ShortQuestion):
            return _grade_short(question, answer)
        if isinstance(question, ScenarioQuestion):
            return _grade_scenario(question, answer)
    except Exception as e:  # never let one answer stop a batch or an exam
        return _result(
            question, "wrong", 0, f"无法评分（{type(e).__name__}），请换一种写法。", details={"error": repr(e)}
        )
    return GradeResult(verdict="wrong", score=0.0, feedback="未知题型。")
