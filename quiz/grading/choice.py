"""单选 and 多选: letters in any decoration, or the text of a choice, whole or by the part that tells it apart.

A text answer selects the choice its words come from (:func:`_pick`):

* every stretch of two or more characters the answer shares with a choice counts, as
  long as it is negated in neither or in both (``存在`` is not the ``不存在`` of three
  other choices); a stretch only one choice has is *distinguishing* (``让利``, ``按展示扣费``);
* the choice with distinguishing stretches, when only one has them (or one has far more,
  and the answer does not offer two choices with 或/还是), is chosen;
* with none, the choice that has everything the answer shares with any choice, if only
  one has it all (``驳回,维持原判``: each part is in two choices, together only in one);
* a fragment several choices share (``减少`` of ``逐渐减少`` and ``先减少后增加``) chooses none.

Numbers are compared as numbers first: ``12分`` keeps only the choices that have 12 in them,
``40/50=80%`` is read by its result. Letters with decoration (``选B``, ``(b)``) are read as before.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from quiz.grading import matchers
from quiz.grading.common import (
    _EMPTY,
    MAX_ANSWER,
    _clip,
    _compiled,
    _fold,
    _list,
    _meta,
    _result,
    asks,
    tr,
)
from quiz.grading.match import CONTRAST, CONTRAST_CHARS, SENSITIVE, Answer, Phrase
from quiz.grading.normalize import Analysed, analyse, negator_spans, normalize, sound
from quiz.grading.paraphrase import PARTIES, canon, canon_formula, roles
from quiz.grading.quantity import read
from quiz.grading.result import GradeResult
from quiz.model import LETTERS, MultiQuestion, SingleQuestion

_MAX_KEY = 24  # longest stretch indexed per choice
_MAX_READ = 160  # characters of a text answer compared with the choices
# Characters that let a negator before them reach the next word: 不是由买家承担, 没被删除.
_NEG_REACH = frozenset("是由在被把让给对向从为")
_HEDGE_RE = re.compile(r"或者|还是|要么|或")
_RETRACTED_RE = re.compile(r"(?:不对|错了|是错的|是错误的|不正确|不是|不选)$|^不选")


def _neg_starts(a: Analysed, scope: int = 8) -> frozenset[int]:
    """Positions in a normalised text that a negator governs: what follows it in its clause, up to
    ``scope`` characters (不是最大让利: all of 最大让利; 不存在,违规只看主标题: only 存在)."""
    flat = a.flat
    out: set[int] = set()
    for _, e in negator_spans(flat):
        start = e
        if e < len(flat) and flat[e] in _NEG_REACH:  # 不是由买家承担
            e += 1
        end = min(len(flat), e + scope)
        for b in a.bounds:
            if e < b < end:
                end = b
                break
        out.update(range(start, end))
    return frozenset(out)


# A pointer around a choice's words: 选商家承担的, 卖家那个, 逐渐减少那项.
_POINTER_HEAD_RE = re.compile(r"^\s*(?:我选的是|我选|应该选|应选|选择|选的是|选)\s*(?=\S)")
_POINTER_TAIL_RE = re.compile(
    r"(?<=\S)\s*(?:的)?\s*(?:那一个|那一项|那一种|那个|那项|那条|那句|那种|那一|这一项|这个|这项|那)?\s*(?:选项)?\s*[。.!！~～]*$"
)
_TAIL_DE_RE = re.compile(r"(?<=\S)的\s*[。.!！]*$")


def _strip_pointer(raw: str) -> str:
    """The words of an answer without a pointer around them (选…的, …那个, …那项)."""
    t = _POINTER_HEAD_RE.sub("", raw, count=1)
    t2 = _POINTER_TAIL_RE.sub("", t, count=1)
    t2 = _TAIL_DE_RE.sub("", t2, count=1)
    return t2 if t2.strip() else raw


def _analysed(raw: str) -> Analysed:
    """A choice's or an answer's text as compared: normalised, in canonical words (paraphrase.py), a formula
    written one way (``b<a`` for ``a>b``, factors sorted: the same length, so clause bounds still hold)."""
    a = analyse(canon(raw))
    f = canon_formula(a.flat)
    if f != a.flat and len(f) == len(a.flat):
        a = Analysed(f, a.bounds, a.soft, a.weak)
    elif f != a.flat:
        a = analyse(f)
    return a


def _cuts(flat: str) -> list[bool]:
    """For each position 0..len(flat), whether a cut there keeps numbers whole (one before ``flat[i]``
    splits a number where ``flat[i]`` is a digit after a digit or a point)."""
    out = [True] * (len(flat) + 1)
    if any(ch.isdigit() for ch in flat):
        for i in range(1, len(flat)):
            if flat[i].isdigit() and (flat[i - 1].isdigit() or flat[i - 1] == "."):
                out[i] = False
    return out


@dataclass(slots=True)
class _Choices:
    flats: list[str]
    snds: list[str]
    nums: list[list[tuple[float, bool]]]
    index: dict[str, int]  # a stretch ("¬" before it when negated there) -> bitmask of the choices that have it
    given: frozenset[float] = frozenset()  # numbers the prompt gives (50 and 40 in "咨询量为50,接待量为40")
    roles: tuple[frozenset[str], ...] = ()  # who bears or does what each choice says (paraphrase.roles)
    deduct: bool = False  # the prompt asks how much is deducted: -12分 names the choice 12分
    steps: tuple[tuple[str, ...], ...] = ()  # a choice that lists steps (联系消费者、核实情况、…): its steps
    negs: tuple[frozenset[int], ...] = ()  # positions in each flat that a negator governs (_neg_starts)


def _numbers(raw: str, deduct: bool = False) -> list[tuple[float, bool]]:
    """The numbers an answer or a choice states, each with whether it is a percent: results of working
    only, negated ones left out, each once. Where the question asks what is deducted, a minus sign says
    "deducted" (-12分 is 12分)."""
    _, qs = read(raw)
    qs = [x for x in qs if not x.negated and not x.retracted and not x.working]
    if any(x.result for x in qs):
        qs = [x for x in qs if x.result]
    return sorted({(abs(x.value) if deduct else x.value, x.unit == "%") for x in qs})


# A question that asks how much is deducted, fined or reduced (扣了多少分, 罚多少, 降低多少).
DEDUCT_RE = re.compile(r"扣|罚|减少|降低|下降|降了|少了|减去")


def _same_number(a: tuple[float, bool], b: tuple[float, bool]) -> bool:
    """80 = 80%, 0.8 = 80%, 80% = 80%."""
    if abs(a[0] - b[0]) < 1e-9:
        return True
    if a[1] != b[1]:
        fa = a[0] / 100 if a[1] else a[0]
        fb = b[0] / 100 if b[1] else b[0]
        return abs(fa - fb) < 1e-9
    return False


def _compile_choices(choices: list[str], prompt: str = "") -> _Choices:
    analysed = [_analysed(c) for c in choices]
    flats = [a.flat for a in analysed]
    negs = [_neg_starts(a) for a in analysed]
    given = frozenset(x.value for x in read(prompt)[1])
    deduct = bool(DEDUCT_RE.search(prompt))
    return _Choices(
        flats, [sound(f) for f in flats], [_numbers(c, deduct) for c in choices], _index(flats, negs), given,
        tuple(roles(f) for f in flats), deduct, tuple(_list_steps(ch) for ch in choices), tuple(negs),
    )


def _index(flats: list[str], negs: list[frozenset[int]]) -> dict[str, int]:
    """Every stretch of two to ``_MAX_KEY`` characters of each choice (numbers kept whole; "¬" before one
    a negator governs there) -> the bitmask of the choices that have it."""
    index: dict[str, int] = {}
    for i, f in enumerate(flats):
        neg = negs[i]
        n = len(f)
        cut = _cuts(f)
        keys: set[str] = set()  # the stretches of this choice (each once: the index ORs its bit in)
        for s in range(n):
            if not cut[s]:
                continue
            mark = "¬" if s in neg else ""
            keys.update([mark + f[s:e] for e in range(s + 2, min(n, s + _MAX_KEY) + 1) if cut[e]])
        bit = 1 << i
        for key in keys:
            index[key] = index.get(key, 0) | bit
    return index


def _choices_of(q: SingleQuestion | MultiQuestion) -> _Choices:
    c: _Choices = _compiled(
        q,
        lambda q: matchers.cached(
            "choices", [q.prompt, *q.choices], lambda: _compile_choices(q.choices, q.prompt), _dump_choices, _restore_choices
        ),
    )
    return c


def _dump_choices(c: _Choices) -> list[Any]:
    """Compiled choices as JSON data (matchers.py keeps them between batch runs). The sound keys are not
    kept: they are private-use characters given out in the order a process first meets each syllable."""
    return [
        c.flats, c.nums, [sorted(n) for n in c.negs], sorted(c.given), [sorted(r) for r in c.roles], c.deduct,
        [list(s) for s in c.steps],
    ]


def _strs(x: Any) -> list[str]:
    if not isinstance(x, list) or not all(isinstance(s, str) for s in x):
        raise TypeError("expected a list of strings")
    return x


def _num(x: Any) -> float:
    if isinstance(x, bool) or not isinstance(x, (int, float)):
        raise TypeError("expected a number")
    return x


def _restore_choices(data: Any) -> _Choices:
    """:func:`_dump_choices`'s data back, every field checked (a malformed entry raises TypeError or ValueError)."""
    flats_, nums_, negs_, given_, roles_, deduct_, steps_ = data
    flats = _strs(flats_)
    if not all(isinstance(x, list) for x in (nums_, negs_, roles_, steps_)):
        raise TypeError("expected lists")
    if not (len(nums_) == len(negs_) == len(roles_) == len(steps_) == len(flats)):
        raise ValueError("one entry per choice")
    negs: list[frozenset[int]] = []
    for ps in negs_:
        if not isinstance(ps, list) or not all(isinstance(p, int) and not isinstance(p, bool) for p in ps):
            raise TypeError("expected positions")
        negs.append(frozenset(ps))
    nums: list[list[tuple[float, bool]]] = []
    for ns in nums_:
        if not isinstance(ns, list):
            raise TypeError("expected a list")
        row: list[tuple[float, bool]] = []
        for pair in ns:
            v, pct = pair
            if not isinstance(pct, bool):
                raise TypeError("expected a flag")
            row.append((_num(v), pct))
        nums.append(row)
    if not isinstance(given_, list) or not isinstance(deduct_, bool):
        raise TypeError("expected numbers and a flag")
    return _Choices(
        flats, [sound(f) for f in flats], nums, _index(flats, negs), frozenset(_num(v) for v in given_),
        tuple(frozenset(_strs(r)) for r in roles_), deduct_, tuple(tuple(_strs(s)) for s in steps_), tuple(negs),
    )


def _bits(mask: int) -> list[int]:
    out = []
    while mask:
        low = mask & -mask
        out.append(low.bit_length() - 1)
        mask ^= low
    return out


def _diff_ok(p: Phrase, ans: Answer) -> bool:
    """A fuzzy answer may differ from the phrase it is nearest to, but not in digits, negation or a contrast.

    (Used by short-answer grading, free.py.)
    """
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


def _harmless_diff(choice: str, choice_snd: str, flat: str, snd: str) -> bool:
    """A fuzzy answer may differ from the choice it is nearest to, but not in digits, negation or a contrast."""
    for op in Levenshtein.editops(choice_snd, snd):
        a = choice[op.src_pos] if op.tag != "insert" else ""
        b = flat[op.dest_pos] if op.tag != "delete" else ""
        for ch in (a, b):
            if ch and (ch in SENSITIVE or ch in PARTIES):
                return False
        if op.tag == "replace" and frozenset((a, b)) in CONTRAST:
            return False
        if op.tag == "delete" and a in CONTRAST_CHARS:
            return False
    return True


def _pick(c: _Choices, raw: str) -> tuple[int | None, str]:
    """The choice a text answer names: (index, "") or (None, why not)."""
    raw = _strip_pointer(raw[:MAX_ANSWER])
    a = _analysed(raw)
    flat = a.flat[:_MAX_READ]
    if not flat:
        return None, ""
    if _RETRACTED_RE.search(flat):  # 最大让利不对 / 不选D: it says what is not the answer
        return None, tr("答案里否定了它", "the answer denies it")
    if flat in c.flats:
        return c.flats.index(flat), ""
    k = len(c.flats)
    allowed = (1 << k) - 1
    if "=" in flat and len(flat.rsplit("=", 1)[1]) >= 1:  # working: the result after the last = names the choice
        tail = flat.rsplit("=", 1)[1]
        if tail in c.flats:
            return c.flats.index(tail), ""
    nums = _numbers(raw[: 2 * _MAX_READ], c.deduct)
    if len(nums) > 1 and any(v not in c.given for v, _ in nums):  # 80%,40 50: the prompt's own numbers are working
        nums = [x for x in nums if x[0] not in c.given]
    nums = [x for i, x in enumerate(nums) if not any(_same_number(x, y) for y in nums[:i])]  # 80%, 即0.8
    if (
        nums and all(0 < v <= 3 and not pct for v, pct in nums) and len(_CJK_RE.findall(raw)) >= 4
        and not any(_same_number(v, w) for v in nums for ws in c.nums for w in ws)
    ):
        nums = []  # 两趟运费都由卖家出, 商家一个人出: a small count in passing, not a choice's number
    if nums and any(c.nums):
        allowed = 0
        for i in range(k):
            pool = list(c.nums[i])
            for v in nums:
                hit = next((j for j, w in enumerate(pool) if _same_number(w, v)), None)
                if hit is None:
                    break
                pool.pop(hit)
            else:
                allowed |= 1 << i
        if not allowed:
            return None, tr("没有哪个选项是这个数", "no choice has that number")
        if allowed & (allowed - 1) == 0:
            return _bits(allowed)[0], ""
    n = len(flat)
    neg = _neg_starts(a)
    cut = _cuts(flat)
    cover = [0] * k  # bitmask of answer positions shared with each choice
    uniq = [0] * k  # ... shared with that choice alone (among those allowed)
    for s in range(n - 1):
        if not cut[s]:
            continue
        mark = "¬" if s in neg else ""
        # the choices having flat[s:e], for growing e (each set within the one before)
        steps: list[tuple[int, int]] = []
        for e in range(s + 2, min(n, s + _MAX_KEY) + 1):
            if not cut[e]:
                continue
            mask = c.index.get(mark + flat[s:e])
            if mask is None:
                break
            mask &= allowed
            if not mask:
                break
            steps.append((e, mask))
        if not steps:
            continue
        done = 0
        for e, mask in reversed(steps):  # each choice's longest stretch from s
            new = mask & ~done
            if new:
                span = ((1 << (e - s)) - 1) << s
                for i in _bits(new):
                    cover[i] |= span
                done |= new
        e, last = steps[-1]
        if last & (last - 1) == 0:  # the longest stretch only one choice has
            uniq[last.bit_length() - 1] |= ((1 << (e - s)) - 1) << s
    size = [x.bit_count() for x in cover]
    own = [x.bit_count() for x in uniq]
    top = max(size)
    candidates = [j for j in range(k) if allowed >> j & 1]
    if top:
        tied = [i for i in range(k) if size[i] == top]
        with_own = [i for i in tied if own[i]]
        best = tied[0] if len(tied) == 1 else with_own[0] if len(with_own) == 1 else None
        if best is None and len(with_own) > 1:
            # each has words of its own: the one the answer leads with, as the choice does (存在违规 for 存在,…)
            leads = [i for i in with_own if uniq[i] & 1 and c.flats[i][:2] == flat[:2]]
            best = leads[0] if len(leads) == 1 else None
        if best is None:
            best = _tiebreak(c, flat, raw, tied, steps_only=bool(with_own))
        if best is not None:
            # two choices offered as alternatives (电话或者当面): not an answer
            rival = _offered_with(c, flat, best, cover, uniq)
            if rival is not None:
                return None, tr(
                    f"同时提到选项 {LETTERS[best]} 和 {LETTERS[rival]}",
                    f"it offers both choice {LETTERS[best]} and {LETTERS[rival]}",
                )
            return best, ""
        # The answer says more than the shared fragment (都由商家承担 for 均由商家承担): the nearest whole choice
        # (not when the tied choices each have words of their own in it: that offers them both).
        if top < n and not with_own:
            near = _nearest(c, flat, tied, margin=15, floor=75)
            if near is not None:
                return near, ""
        return None, tr(
            f"这部分几个选项都有（{_list([LETTERS[i] for i in tied])}）",
            f"choices {', '.join(LETTERS[i] for i in tied)} all have that part",
        )
    best = _tiebreak(c, flat, raw, candidates)
    if best is not None:
        return best, ""
    near = _nearest(c, flat, candidates, margin=8, floor=60) if n >= 2 else None
    if near is None:
        return None, tr("对不上任何选项", "it matches no choice")
    return near, ""


def _offered_with(c: _Choices, flat: str, best: int, cover: list[int], uniq: list[int]) -> int | None:
    """A second choice the answer offers as an alternative to ``best`` (电话或者当面), or None.

    Words of another choice on one side of 或/还是 and none of ``best``'s there; 或 between two
    parts of ``best`` itself (打电话或者旺旺联系, for 电话或旺旺) offers nothing else.
    """
    rivals = [i for i in range(len(c.flats)) if i != best and uniq[i] & ~cover[best]]
    if not rivals:
        return None
    for m in _HEDGE_RE.finditer(flat):
        for lo, hi in ((0, m.start()), (m.end(), len(flat))):
            side = ((1 << hi) - 1) ^ ((1 << lo) - 1)
            if cover[best] & side:
                continue
            for i in rivals:
                if uniq[i] & side:
                    return i
    return None


_STEP_SPLIT_RE = re.compile(r"[、,，;；→>\s/]+|-+>?|先|再|然后|接着|之后|随后|最后|开头|第.步")


_LIST_SEP_RE = re.compile(r"[、→>]+|-+>")


def _list_steps(choice: str) -> tuple[str, ...]:
    """The steps a choice lists (联系消费者、核实情况、… or A → B → C), if it is such a list."""
    if not _LIST_SEP_RE.search(choice):
        return ()
    items = [normalize(canon(p)) for p in _LIST_SEP_RE.split(choice)]
    return tuple(items) if len(items) >= 3 and all(items) else ()


def _steps(text: str) -> list[str]:
    return [normalize(canon(p)) for p in _STEP_SPLIT_RE.split(text) if len(normalize(p)) >= 2]


def _shared(a: str, b: str) -> int:
    """The length of the longest stretch two short texts share."""
    best = 0
    for i in range(len(a)):
        for j in range(i + best + 1, len(a) + 1):
            if a[i:j] in b:
                best = j - i
            else:
                break
    return best


_ALONE_RE = re.compile(r"自己|独自|单独|一个人|1个人|一人|1人|只|仅|均")
_CJK_RE = re.compile(r"[\u4e00-\u9fff]")


def _tiebreak(c: _Choices, flat: str, raw: str, among: list[int], *, steps_only: bool = False) -> int | None:
    """One of several choices an answer's words fit equally, told apart by what the words leave out:

    * who bears or does it (卖家那个, 选商家承担的: the choice where the seller alone pays);
    * 都/均 (都是商家出: the choice that says all);
    * the order of steps (先联系再核实再安抚: the choice with those steps in that order, next to each other).
    """
    if len(among) < 2:
        return None
    steps = _steps(raw)
    if len(steps) >= 2 and all(c.steps[i] for i in among):
        return _in_order(c, steps, among, raw)
    if steps_only:  # each choice has words of its own in the answer: only their order tells them apart
        return None
    mine = roles(flat)
    if mine:
        # the choices where these parties bear it (商家承担: B 均由商家承担 and C …返回由商家承担 both: none);
        # said as theirs alone (顾客自己付运费), the choice where only they do
        alone = bool(_ALONE_RE.search(flat))
        fit = [i for i in among if (c.roles[i] == mine if alone else mine <= c.roles[i])]
        if len(fit) == 1:
            return fit[0]
    if "均" in flat:
        fit = [i for i in among if "均" in c.flats[i]]
        if len(fit) == 1:
            return fit[0]
    return None


_FIRST_RE = re.compile(r"^\W*(?:先|首先|第一步|第一)|开头|打头|起头|第一步")


def _in_order(c: _Choices, steps: list[str], among: list[int], raw: str = "") -> int | None:
    """The choice listing the answer's steps in the answer's order (next to each other, if several do)."""
    fits: list[tuple[int, int]] = []
    first = bool(_FIRST_RE.search(raw))  # 先联系…, 联系消费者开头: the first step is the choice's first
    for i in among:
        items = c.steps[i]
        pos = []
        for s in steps:
            hits = [j for j, it in enumerate(items) if _shared(s, it) >= 2]
            if len(hits) != 1:
                break
            pos.append(hits[0])
        else:
            if all(a < b for a, b in itertools.pairwise(pos)) and (pos[0] == 0 or not first):
                fits.append((int(all(b - a == 1 for a, b in itertools.pairwise(pos))), i))
    if not fits:
        return None
    fits.sort(reverse=True)
    if len(fits) == 1 or fits[0][0] > fits[1][0]:
        return fits[0][1]
    return None


def _nearest(c: _Choices, flat: str, among: list[int], *, margin: float, floor: float) -> int | None:
    """The choice a mistyped answer is nearest to (by sound), when clearly nearest and differing harmlessly."""
    if not among:
        return None
    snd = sound(flat)
    scores = sorted(((fuzz.ratio(snd, c.snds[i]), i) for i in among), reverse=True)
    best, i = scores[0]
    if best < floor or (len(scores) > 1 and best - scores[1][0] < margin):
        return None
    if not _harmless_diff(c.flats[i], c.snds[i], flat, snd):
        return None
    return i


_DECOR_RE = re.compile(
    r"正确答案是|正确答案为|正确答案|正确的是|我的答案是|答案应该是|答案是|答案为|答案|答|应该选|应选|我选择|我选|选择|选项|选|都是|都|是|为|项|吧|的|呢|啊|哦|呀|啦|"
    r"以及|和|及|与|还有|或者|或"
)
_NON_LETTER_RE = re.compile(r"[\W_]+")
# Letters that open an answer, then its explanation: 选D,因为…  答案B,因为A、C、D都不对  CDE三个  D还是A
_LEAD_LETTERS_RE = re.compile(
    r"^\W*(?:我的答案是|正确答案是|答案应该是|答案是|答案为|答案|应该选|应选|我选择|我选|选择|选项|选|应该是|是)?\W*"
    r"([A-H](?:[\s,，、/和及与]*[A-H])*)(?![A-Z0-9])"
    r"(?=$|[\s,，。.;；:：!！?？()（）\]】、]|因为|由于|选项|项|这|那|都|是|吧|的|三个|两个|四个|五个|或|还是)"
    r"(?:\s*(?:或者|或|还是)\s*([A-H])(?![A-Z0-9]))?(.*)$",
    re.S,
)


def _lead_letters(raw: str) -> tuple[str, str] | None:
    """The letters an answer opens with (a second one offered with 或/还是 included) and the rest of it."""
    m = _LEAD_LETTERS_RE.match(_fold(raw[:MAX_ANSWER]).upper().strip())
    if m is None:
        return None
    letters = re.sub(r"[^A-H]", "", m.group(1)) + (m.group(2) or "")
    return letters, re.sub(r"^[\W_]+", "", m.group(3))


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


def _named(q: SingleQuestion | MultiQuestion, i: int) -> str:
    return f"{LETTERS[i]}. {q.choices[i]}"


def _grade_single(q: SingleQuestion, raw: str) -> GradeResult:
    rs = _meta(q).right
    k = len(q.choices)
    letters = parse_letters(raw)
    if letters is None and asks(raw):
        return _result(q, "wrong", 0, tr("这是一个问句，请写出你选的选项。", "That is a question: give the option you choose."))
    chosen: int | None = None
    by_text = False  # chosen by its words, not by a letter: feedback says which choice they were read as
    if letters is not None:
        if len(set(letters)) > 1:
            said = _list(sorted(set(letters)))
            return _result(
                q, "wrong", 0, tr(f"单选题只能选一个选项（你选了 {said}）。", f"Choose one option only (you chose {', '.join(sorted(set(letters)))})."),
            )
        chosen = LETTERS.index(letters[0])
        if chosen >= k:
            return _result(
                q, "wrong", 0,
                tr(f"没有选项 {letters[0]}（选项为 A-{LETTERS[k - 1]}）。", f"There is no option {letters[0]} (options are A-{LETTERS[k - 1]})."),
            )
    else:
        if not normalize(raw[:MAX_ANSWER]):
            return _result(q, "wrong", 0, tr(_EMPTY, "No answer."))
        c = _choices_of(q)
        lead = _lead_letters(raw)
        if lead and len(set(lead[0])) > 1:
            said = _list(sorted(set(lead[0])))
            return _result(
                q, "wrong", 0, tr(f"单选题只能选一个选项（你选了 {said}）。", f"Choose one option only (you chose {', '.join(sorted(set(lead[0])))})."),
            )
        if lead and LETTERS.index(lead[0][0]) < k:
            chosen = LETTERS.index(lead[0][0])
            rest = normalize(lead[1])
            # D. 按点击扣费: the letter of one choice with (little more than) the text of another
            said_too = next(
                (i for i, f in enumerate(c.flats) if rest and (rest in f or (f in rest and len(rest) <= len(f) + 2))),
                None,
            )
            if said_too is not None and said_too != chosen and rest not in c.flats[chosen]:
                return _result(
                    q, "wrong", 0,
                    tr(f"选项字母 {lead[0][0]} 与内容「{_clip(lead[1])}」不一致。",
                       f"Letter {lead[0][0]} does not go with “{_clip(lead[1])}”."),
                )
        else:
            chosen, why = _pick(c, raw)
            by_text = True
            if chosen is None:
                return _result(
                    q, "wrong", 0,
                    tr(f"无法判断你选的是哪个选项：{why}。请填写选项字母。", f"Cannot tell which option you mean: {why}. Give the letter."),
                )
    nearest = _named(q, chosen)
    details = {"chosen": [LETTERS[chosen]]}
    if chosen in rs:  # the answer, or one of also_correct
        return _result(q, "correct", 1, tr("回答正确。", "Correct."), nearest=nearest, details=details)
    if by_text:
        said = tr(f"回答错误：你的回答读作 {nearest}。", f"Wrong: your answer reads as “{nearest}”.")
    else:  # the letter and its text are shown as the learner's answer
        said = tr("回答错误。", "Wrong.")
    return _result(q, "wrong", 0, said, nearest=nearest, details=details)


_SPLIT_RE = re.compile(r"[、,，;；/+&\s]+|和|及|与|以及|还有")
_LETTER_PIECE_RE = re.compile(r"^\W*(?:选)?([a-hA-H]{1,8})\W*$")
# An explanation after the letters (因为…, B是…, C不对): letters in it are not chosen.
_WHY_RE = re.compile(r"因为|由于|是|不|错|排除|除了|以外")
# Letters written against words: C国家级E, CD最佳 (a letter inside a Latin word, CPM, is not one).
_LETTER_BEFORE_WORDS_RE = re.compile(r"(?<![A-Za-z])([A-Ha-h]+)(?=[\u4e00-\u9fff])")
_LETTER_AFTER_WORDS_RE = re.compile(r"(?<=[\u4e00-\u9fff])([A-Ha-h]+)(?![A-Za-z])")
# Letters, then what other letters are: ABD,C是道歉E是感谢信 / ACD。B项错
_LETTERS_THEN_WHY_RE = re.compile(
    r"^\W*(?:我选|选|答案是|答案)?\W*([A-H](?:[\s,，、/和及与]*[A-H])*?)\s*[,，。;；:：]+\s*"
    r"(?=[A-H](?:是|不是|项|选项|错|不对|属于|不属于|为|说的是|讲的是))"
)


def _grade_multi(q: MultiQuestion, raw: str) -> GradeResult:
    right = set(_meta(q).right)
    k = len(q.choices)
    letters = parse_letters(raw)
    if letters is None and asks(raw):
        return _result(q, "wrong", 0, tr("这是一个问句，请写出你选的选项。", "That is a question: give the option you choose."))
    if letters is not None:
        bad = sorted({ch for ch in letters if LETTERS.index(ch) >= k})
        if bad:
            return _result(
                q, "wrong", 0,
                tr(f"没有选项 {_list(bad)}（选项为 A-{LETTERS[k - 1]}）。", f"There is no option {', '.join(bad)} (options are A-{LETTERS[k - 1]})."),
            )
        chosen = {LETTERS.index(ch) for ch in letters}
    else:
        text = _fold(raw[:MAX_ANSWER])
        c = _choices_of(q)
        told = _LETTERS_THEN_WHY_RE.match(text.upper())
        if told is not None and all(LETTERS.index(ch) < k for ch in re.sub(r"[^A-H]", "", told.group(1))):
            # ABD,C是道歉,E是感谢信: the letters chosen, then what the others are
            text = told.group(1)
        text = _LETTER_BEFORE_WORDS_RE.sub(r"\1、", _LETTER_AFTER_WORDS_RE.sub(r"、\1", text))  # C国家级E, CD最佳
        pieces = [p for p in _SPLIT_RE.split(text) if normalize(p)]
        if not pieces:
            return _result(q, "wrong", 0, tr(_EMPTY, "No answer."))
        chosen = set()
        # Choice texts written out whole (they may contain 和/、 themselves), longest first.
        rest = _analysed(text).flat
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
            lm = _LETTER_PIECE_RE.match(piece)
            if lm and all(LETTERS.index(ch) < k for ch in lm.group(1).upper()):
                chosen.update(LETTERS.index(ch) for ch in lm.group(1).upper())
                continue
            i, why = _pick(c, piece)
            if i is None:
                lead = _lead_letters(raw)  # CDE,因为都是绝对化用语: the letters, then why
                more = set(re.findall(r"(?<![A-Za-z])[A-H](?![A-Za-z])", lead[1].upper())) - set(lead[0]) if lead else set()
                if more and not _WHY_RE.search(lead[1] if lead else ""):
                    lead = None  # AD,B也选: more letters chosen after the first ones
                if lead is not None and all(LETTERS.index(ch) < k for ch in lead[0]):
                    chosen = {LETTERS.index(ch) for ch in lead[0]}
                    break
                return _result(
                    q, "wrong", 0,
                    tr(f"无法判断「{_clip(piece)}」是哪个选项：{why}。请填写选项字母，如 ACD。",
                       f"Cannot tell which option “{_clip(piece)}” is: {why}. Give letters, such as ACD."),
                )
            chosen.add(i)
    got = "".join(LETTERS[i] for i in sorted(chosen))
    wrong_chosen = sorted(chosen - right)
    missing = sorted(right - chosen)
    found = tuple(LETTERS[i] for i in sorted(chosen & right))
    missed = tuple(LETTERS[i] for i in missing)
    details = {"chosen": [LETTERS[i] for i in sorted(chosen)]}
    if wrong_chosen:
        bad_letters = _list([LETTERS[i] for i in wrong_chosen])
        return _result(
            q, "wrong", 0,
            tr(f"选了错误选项 {bad_letters}，不得分。", f"Wrong option chosen ({', '.join(LETTERS[i] for i in wrong_chosen)}): no points."),
            nearest=got, found=found, missed=missed, details=details,
        )
    if not missing:
        return _result(q, "correct", 1, tr("回答正确。", "Correct."), nearest=got, found=found, details=details)
    if q.scoring == "partial":
        share = len(chosen) / len(right)
        return _result(
            q, "partial", share,
            tr(f"少选了 {_list(list(missed))}，得部分分 {len(chosen)}/{len(right)}。",
               f"Missing {', '.join(missed)}: partial credit {len(chosen)}/{len(right)}."),
            nearest=got, found=found, missed=missed, details=details,
        )
    return _result(
        q, "wrong", 0,
        tr(f"少选了 {_list(list(missed))}，本题须全部选对。", f"Missing {', '.join(missed)}: this question needs every right option."),
        nearest=got, found=found, missed=missed, details=details,
    )
