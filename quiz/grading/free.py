"""Free text: 填空/简答 (accepted and rejected forms, key points) and 情景题 (weighted key points, forbidden actions)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz

from quiz.grading.choice import _diff_ok
from quiz.grading.common import _EMPTY, DEFAULT_CUTOFF, MAX_ANSWER, _compiled, _list, _result, is_question
from quiz.grading.match import Answer, Hit, Phrase, find_best, locate, mark_rivals, negated_after
from quiz.grading.normalize import analyse, normalize, numbers
from quiz.grading.result import GradeResult
from quiz.model import AnyQuestion, KeyPoint, ScenarioQuestion, ShortQuestion


@dataclass(slots=True)
class _Point:
    label: str
    weight: float
    phrases: list[Phrase]


@dataclass(slots=True)
class _Free:
    accepted: list[Phrase] = field(default_factory=list)
    rejected: list[Phrase] = field(default_factory=list)
    points: list[_Point] = field(default_factory=list)
    forbidden: list[_Point] = field(default_factory=list)
    ordered: bool = False
    pass_: float = 1.0
    cutoff: float = DEFAULT_CUTOFF


def _phrases(texts: list[str], group: int) -> list[Phrase]:
    out: list[Phrase] = []
    seen: set[str] = set()
    for t in texts:
        n = normalize(t)
        if n and n not in seen:
            seen.add(n)
            out.append(Phrase(n, t, group))
    return out


def _points(kps: list[KeyPoint], group0: int, with_label: bool) -> list[_Point]:
    return [
        _Point(kp.point, kp.weight, _phrases([*kp.any, kp.point] if with_label else list(kp.any), group0 + i))
        for i, kp in enumerate(kps)
    ]


def _compile_free(q: ShortQuestion | ScenarioQuestion) -> _Free:
    f = _Free(ordered=q.ordered, pass_=q.pass_)
    f.points = _points(q.keypoints, 2, True)
    f.forbidden = _points([k for k in q.forbidden if isinstance(k, KeyPoint)], 2 + len(f.points), True)
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


def _free_of(q: ShortQuestion | ScenarioQuestion) -> _Free:
    f: _Free = _compiled(q, _compile_free)
    return f


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
    f = _free_of(q)
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
            q, "wrong", 0, f"错误：与错误答案「{rej[0].label}」更接近。参考答案：{q.answers[0]}", nearest=nearest,
            details={"rejected": rej[0].label},
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
                q, "wrong", 0, f"错误：与错误答案「{rr_p.label}」更接近。参考答案：{q.answers[0]}", nearest=nearest,
                details={"rejected": rr_p.label},
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
    f = _free_of(q)
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
