"""Violation classes recognised by meaning (lexicon.py defines them as data).

All class words are found in one pass over the answer (an index by first character), each with
up to one filler character inside (改个好评 for 改好评). A found word counts only when the learner
states it: not negated (不会给您返现), not done by someone else (买家要求返现), not explained or
condemned (返现换好评属于利益诱导), not copied from the prompt.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from quiz.grading import lexicon
from quiz.grading.match import by_other, is_negated, is_topic, waved_off
from quiz.grading.normalize import NEGATOR_CHARS, Analysed, normalize
from quiz.grading.semantics import conditional, explained, inside

Status = Literal["stated", "negated", "other", "explained", "prompt", "asked"]
# Whether someone other than the learner's side acts at a place of an answer (买家要报复).
OtherParty = Callable[[Analysed, int, int], bool]
_GAP_LIMIT = 4  # characters between the parts of an A…B word
_CONJ = 1000  # group numbers of a class's n-th conjunction start at n * _CONJ


@dataclass(frozen=True, slots=True)
class _Word:
    text: str
    head: str  # for A…B: A (else the word)
    tail: str  # for A…B: B (else "")
    member: tuple[tuple[str, int], ...]  # (class, conjunction * _CONJ + group); -1 is `any`


@dataclass(slots=True)
class _Index:
    first: dict[str, list[_Word]] = field(default_factory=dict)
    patterns: list[tuple[re.Pattern[str], _Word]] = field(default_factory=list)  # `re:` entries
    classes: dict[str, lexicon.ViolationClass] = field(default_factory=dict)


_LOCK = threading.Lock()
_BUILT: dict[int, _Index] = {}


def _index() -> _Index:
    gen = lexicon.generation()
    got = _BUILT.get(gen)
    if got is not None:
        return got
    with _LOCK:
        got = _BUILT.get(gen)
        if got is not None:
            return got
        classes = lexicon.classes()
        members: dict[str, list[tuple[str, int]]] = {}
        for name, c in classes.items():
            for w in c.any:
                members.setdefault(w, []).append((name, -1))
            for ci, (groups, _within) in enumerate(c.conjunctions()):
                for gi, group in enumerate(groups):
                    for w in group:
                        members.setdefault(w, []).append((name, ci * _CONJ + gi))
        idx = _Index(classes=classes)
        for raw, mem in members.items():
            if raw.startswith("re:"):
                idx.patterns.append((re.compile(raw[3:]), _Word(raw, raw, "", tuple(mem))))
                continue
            head_raw, sep, tail_raw = raw.partition("…")
            head = normalize(head_raw)
            tail = normalize(tail_raw) if sep else ""
            if not head or (sep and not tail):
                continue
            word = _Word(normalize(raw.replace("…", "")), head, tail, tuple(mem))
            idx.first.setdefault(head[0], []).append(word)
        for ws in idx.first.values():
            ws.sort(key=lambda w: len(w.head) + len(w.tail), reverse=True)
        _BUILT.clear()
        _BUILT[gen] = idx
        return idx


def _match_at(a: Analysed, i: int, w: _Word) -> int:
    """End of ``w`` said at ``i`` (one filler character may stand inside it), else -1."""
    flat = a.flat
    head = w.head
    end = -1
    if flat.startswith(head, i):
        end = i + len(head)
    elif len(head) >= 2:
        # the filler stands where the word and the text first differ (改个好评 for 改好评)
        k = 1
        n = len(flat)
        while k < len(head) and i + k < n and flat[i + k] == head[k]:
            k += 1
        c = flat[i + k] if i + k < n else ""
        if (
            c
            and k < len(head)
            and c not in NEGATOR_CHARS
            and not c.isdigit()
            and flat.startswith(head[k:], i + k + 1)
            and (i + k) not in a.bounds
            and (i + k + 1) not in a.bounds
        ):
            end = i + len(head) + 1
    if end < 0 or not w.tail:
        return end
    ce = a.clause_end(i)
    j = flat.find(w.tail, end, min(ce, end + _GAP_LIMIT + len(w.tail)))
    if j < 0 or any(c in NEGATOR_CHARS for c in flat[end:j]):
        return -1
    return j + len(w.tail)


@dataclass(frozen=True, slots=True)
class Mention:
    start: int
    end: int
    word: _Word
    status: Status


@dataclass(frozen=True, slots=True)
class Violation:
    name: str
    label: str
    label_en: str
    spans: tuple[tuple[int, int], ...]


def status(a: Analysed, s: int, e: int, copied: list[tuple[int, int]]) -> Status:
    """Whether the learner says the words at ``s:e`` as their own action."""
    if copied and inside(copied, s, e):
        return "prompt"
    if a.asking(s):
        return "asked"
    if is_negated(a, s) or waved_off(a, e):
        return "negated"
    if by_other(a, s) or is_topic(a, s, e):
        return "other"
    if explained(a, s, e):
        return "explained"
    return "stated"


_SUBSETS: dict[tuple[int, frozenset[str]], tuple[dict[str, list[_Word]], list[tuple[re.Pattern[str], _Word]]]] = {}


def _subset(names: frozenset[str]) -> tuple[dict[str, list[_Word]], list[tuple[re.Pattern[str], _Word]]]:
    """The index restricted to the words of the classes ``names`` (most questions share one set)."""
    key = (lexicon.generation(), names)
    got = _SUBSETS.get(key)
    if got is None:
        idx = _index()
        first: dict[str, list[_Word]] = {}
        for ch, ws in idx.first.items():
            mine = [
                _Word(w.text, w.head, w.tail, tuple(m for m in w.member if m[0] in names))
                for w in ws
                if any(m[0] in names for m in w.member)
            ]
            if mine:
                first[ch] = mine
        pats = [
            (p, _Word(w.text, w.head, w.tail, tuple(m for m in w.member if m[0] in names)))
            for p, w in idx.patterns
            if any(m[0] in names for m in w.member)
        ]
        if len(_SUBSETS) > 256:
            _SUBSETS.clear()
        got = _SUBSETS[key] = (first, pats)
    return got


def raw_mentions(a: Analysed, names: frozenset[str]) -> list[tuple[int, int, _Word]]:
    """Where the words of the classes ``names`` stand in ``a`` (how they are said is not read yet)."""
    first, pats = _subset(names)
    flat = a.flat
    out: list[tuple[int, int, _Word]] = []
    get = first.get
    for i, ch in enumerate(flat):
        ws = get(ch)
        if ws is None:
            continue
        for w in ws:
            e = _match_at(a, i, w)
            if e >= 0:
                out.append((i, e, w))
    for pat, w in pats:
        for m in pat.finditer(flat):
            if m.end() > m.start():
                out.append((m.start(), m.end(), w))
    return out


def mentions(a: Analysed, names: frozenset[str], copied: list[tuple[int, int]]) -> list[Mention]:
    """Every class word of the classes ``names`` said in ``a``, with how it is said."""
    return [Mention(s, e, w, status(a, s, e, copied)) for s, e, w in raw_mentions(a, names)]


def find(
    a: Analysed, names: frozenset[str], copied: list[tuple[int, int]], other: OtherParty | None = None
) -> tuple[list[Violation], list[Mention]]:
    """The classes among ``names`` that the answer commits, and the class words it only mentions.

    A phrase that is a violation on its own is not the learner's when the clause gives it to
    someone else (买家要报复, 卖家的恐吓); the words of a conjunction are read together (你敢给差评
    names the buyer's act in a threat that is the learner's).
    """
    if not names or not a.flat:
        return [], []
    idx = _index()
    raw = raw_mentions(a, names)
    if not raw:
        return [], []
    # read how a word is said only where it can matter: an `any` phrase, or an `all` group whose
    # class has a word of every group in the answer
    present: dict[str, set[int]] = {}
    for _s, _e, w in raw:
        for cn, g in w.member:
            present.setdefault(cn, set()).add(g)
    live = {
        cn
        for cn, gs in present.items()
        if (c := idx.classes.get(cn)) is not None
        and (
            -1 in gs
            or any(
                all(ci * _CONJ + gi in gs for gi in range(len(groups)))
                for ci, (groups, _w) in enumerate(c.conjunctions())
            )
        )
    }
    ms = [
        Mention(s, e, w, status(a, s, e, copied) if any(cn in live for cn, _g in w.member) else "stated")
        for s, e, w in raw
    ]
    others: dict[int, bool] = {}

    def said(m: Mention, g: int, anyone: bool) -> bool:
        if m.status != "stated":
            return False
        if g != -1:
            return True
        k = id(m)
        if k not in others:
            # a phrase that is a violation alone, in a condition (恐吓的话…) or done by someone else
            others[k] = conditional(a, m.start) or (other is not None and not anyone and other(a, m.start, m.end))
        return not others[k]

    found: list[Violation] = []
    for name in sorted(live):
        c = idx.classes.get(name)
        if c is None:
            continue
        mine = [(m, g) for m in ms for (cn, g) in m.word.member if cn == name]
        stated = [(m, g) for m, g in mine if said(m, g, c.agent == "any")]
        hit: tuple[tuple[int, int], ...] | None = None
        for m, g in stated:
            if g == -1:
                hit = ((m.start, m.end),)
                break
        if hit is None and stated:
            for ci, (groups, within) in enumerate(c.conjunctions()):
                base = ci * _CONJ
                mine_c = [(m, g - base) for m, g in stated if base <= g < base + len(groups)]
                hit = _conjunction(a, len(groups), within, mine_c)
                if hit is not None:
                    break
        if hit is not None:
            found.append(Violation(name, c.label, c.label_en, hit))
    ignored = [
        m if m.status != "stated" else Mention(m.start, m.end, m.word, "other")
        for m in ms
        if m.status != "stated" or others.get(id(m))
    ]
    return found, ignored


def _conjunction(
    a: Analysed, need: int, within: str, stated: list[tuple[Mention, int]]
) -> tuple[tuple[int, int], ...] | None:
    """One stated word of each of ``need`` groups in one sentence (or clause), at different places."""
    if len(stated) < need:
        return None
    units: dict[int, dict[int, list[Mention]]] = {}
    for m, g in stated:
        if g < 0:
            continue
        unit = a.clause_start(m.start) if within == "clause" else a.sentence_span(m.start)[0]
        units.setdefault(unit, {}).setdefault(g, []).append(m)
    for groups in units.values():
        if len(groups) < need:
            continue
        chosen: list[Mention] = []
        if _choose(groups, 0, need, chosen):
            return tuple(sorted((m.start, m.end) for m in chosen))
    return None


def _choose(groups: dict[int, list[Mention]], g: int, need: int, chosen: list[Mention]) -> bool:
    if g == need:
        return True
    for m in groups.get(g, []):
        if all(m.end <= o.start or o.end <= m.start for o in chosen):
            chosen.append(m)
            if _choose(groups, g + 1, need, chosen):
                return True
            chosen.pop()
    return False
