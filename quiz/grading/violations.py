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
    """End of ``w`` said at ``i``, or with one filler character after its first two, else -1."""
    flat = a.flat
    head = w.head
    if flat.startswith(head, i):
        return _tail(a, i + len(head), w)
    if len(head) < 3:
        return -1
    # the filler stands where the word and the text first differ (删掉了差评 for 删掉差评)
    k = 2
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
        return _tail(a, i + len(head) + 1, w)
    return -1


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


@dataclass(slots=True)
class _Subset:
    """The words of some classes, indexed for one pass over an answer."""

    by2: dict[str, list[_Word]] = field(default_factory=dict)  # two first characters -> words
    skip1: dict[str, list[_Word]] = field(default_factory=dict)  # first and second, a filler between
    single: dict[str, list[_Word]] = field(default_factory=dict)  # one-character words
    patterns: list[tuple[re.Pattern[str], _Word]] = field(default_factory=list)
    starts: re.Pattern[str] | None = None  # the first characters of all words: where to look


_SUBSETS: dict[tuple[int, frozenset[str]], _Subset] = {}


def _subset(names: frozenset[str]) -> _Subset:
    """The index restricted to the words of the classes ``names`` (most questions share one set)."""
    key = (lexicon.generation(), names)
    got = _SUBSETS.get(key)
    if got is None:
        idx = _index()
        sub = _Subset()
        for ws in idx.first.values():
            for w in ws:
                member = tuple(m for m in w.member if m[0] in names)
                if not member:
                    continue
                w = _Word(w.text, w.head, w.tail, member)
                if len(w.head) == 1:
                    sub.single.setdefault(w.head, []).append(w)
                else:
                    sub.by2.setdefault(w.head[:2], []).append(w)
                    sub.skip1.setdefault(w.head[:2], []).append(w)
        sub.patterns = [
            (p, _Word(w.text, w.head, w.tail, tuple(m for m in w.member if m[0] in names)))
            for p, w in idx.patterns
            if any(m[0] in names for m in w.member)
        ]
        firsts = {k[0] for k in sub.by2} | set(sub.single)
        if firsts:
            sub.starts = re.compile("[" + "".join(re.escape(c) for c in sorted(firsts)) + "]")
        if len(_SUBSETS) > 256:
            _SUBSETS.clear()
        got = _SUBSETS[key] = sub
    return got


def raw_mentions(a: Analysed, names: frozenset[str]) -> list[tuple[int, int, _Word]]:
    """Where the words of the classes ``names`` stand in ``a`` (how they are said is not read yet).

    A word is looked up by the answer's next two characters (said as written, or with one filler
    character after its first two), or by the two characters around one filler (改个好评)."""
    sub = _subset(names)
    flat = a.flat
    n = len(flat)
    out: list[tuple[int, int, _Word]] = []
    by2, skip1, single = sub.by2, sub.skip1, sub.single
    for m in sub.starts.finditer(flat) if sub.starts is not None else ():
        i = m.start()
        ch = flat[i]
        if single:
            for w in single.get(ch, ()):
                e = _tail(a, i + 1, w)
                if e >= 0:
                    out.append((i, e, w))
        ws = by2.get(flat[i : i + 2])
        if ws:
            for w in ws:
                e = _match_at(a, i, w)
                if e >= 0:
                    out.append((i, e, w))
        if i + 2 < n:
            filler = flat[i + 1]
            ws = skip1.get(ch + flat[i + 2])
            if ws and filler not in NEGATOR_CHARS and not filler.isdigit() and (i + 1) not in a.bounds:
                for w in ws:
                    if flat.startswith(w.head[1:], i + 2) and (i + 2) not in a.bounds:
                        e = _tail(a, i + len(w.head) + 1, w)
                        if e >= 0:
                            out.append((i, e, w))
    for pat, w in sub.patterns:
        for m in pat.finditer(flat):
            if m.end() > m.start():
                out.append((m.start(), m.end(), w))
    return out


def _tail(a: Analysed, end: int, w: _Word) -> int:
    """For an A…B word whose A ends at ``end``: where B ends, else -1 (a plain word: ``end``)."""
    if not w.tail:
        return end
    ce = a.clause_end(end - 1)
    j = a.flat.find(w.tail, end, min(ce, end + _GAP_LIMIT + len(w.tail)))
    if j < 0 or any(c in NEGATOR_CHARS for c in a.flat[end:j]):
        return -1
    return j + len(w.tail)


def mentions(a: Analysed, names: frozenset[str], copied: list[tuple[int, int]]) -> list[Mention]:
    """Every class word of the classes ``names`` said in ``a``, with how it is said."""
    return [Mention(s, e, w, status(a, s, e, copied)) for s, e, w in raw_mentions(a, names)]


def find(
    a: Analysed, names: frozenset[str], copied: list[tuple[int, int]], other: OtherParty | None = None
) -> tuple[list[Violation], list[Mention]]:
    """The classes among ``names`` that the answer commits, and the class words it only mentions.

    A phrase that is a violation on its own is not the learner's when the clause gives it to
    someone else (买家要报复, 卖家的恐吓); the words of a conjunction are read together (你敢给差评
    names the buyer's act in a threat that is the learner's). How a word is said is read only
    where it can decide something: an `any` phrase, or the words of a sentence (or clause) that
    holds a word of every group of a conjunction.
    """
    if not names or not a.flat:
        return [], []
    idx = _index()
    raw = raw_mentions(a, names)
    if not raw:
        return [], []
    statuses: dict[tuple[int, int], Status] = {}
    set_aside: dict[tuple[int, int], tuple[_Word, Status]] = {}
    ending: dict[int, list[tuple[int, int]]] = {}
    for s0, e0, _w in raw:
        ending.setdefault(e0, []).append((s0, e0))

    def status_of(s: int, e: int, depth: int = 0) -> Status:
        st = statuses.get((s, e))
        if st is None:
            st = status(a, s, e, copied)
            if st == "stated" and depth < 3:
                # a move right after a denied one carries its denial (不要去他店里刷差评报复: 报复 too)
                cs = a.clause_start(s)
                for end in (s, s - 1):
                    if any(ps >= cs and status_of(ps, pe, depth + 1) == "negated" for ps, pe in ending.get(end, ())):
                        st = "negated"
                        break
            statuses[(s, e)] = st
        return st

    def said(s: int, e: int, w: _Word, alone: bool, anyone: bool) -> bool:
        key = (s, e)
        st = status_of(s, e)
        if st == "stated" and alone and (conditional(a, s) or (other is not None and not anyone and other(a, s, e))):
            # a phrase that is a violation alone, in a condition (恐吓的话…) or done by someone else
            st = "other"
        if st != "stated":
            set_aside.setdefault(key, (w, st))
            return False
        return True

    by_class: dict[str, list[tuple[int, int, _Word, int]]] = {}
    for s, e, w in raw:
        for cn, g in w.member:
            by_class.setdefault(cn, []).append((s, e, w, g))
    found: list[Violation] = []
    for name in sorted(by_class):
        c = idx.classes.get(name)
        if c is None:
            continue
        mine = by_class[name]
        anyone = c.agent == "any"
        hit: tuple[tuple[int, int], ...] | None = None
        for s, e, w, g in mine:
            if g == -1 and said(s, e, w, True, anyone):
                hit = ((s, e),)
                break
        if hit is None:
            for ci, (groups, within) in enumerate(c.conjunctions()):
                hit = _conjunction(a, ci * _CONJ, len(groups), within, mine, said, anyone)
                if hit is not None:
                    break
        if hit is not None:
            found.append(Violation(name, c.label, c.label_en, hit))
    ignored = [Mention(s, e, w, st) for (s, e), (w, st) in sorted(set_aside.items())]
    return found, ignored


def _conjunction(
    a: Analysed,
    base: int,
    need: int,
    within: str,
    mentions_: list[tuple[int, int, _Word, int]],
    said: Callable[[int, int, _Word, bool, bool], bool],
    anyone: bool,
) -> tuple[tuple[int, int], ...] | None:
    """One stated word of each of ``need`` groups (numbered from ``base``) in one sentence (or
    clause), at different places; how the words are said is read only in such a unit."""
    units: dict[int, dict[int, list[tuple[int, int, _Word]]]] = {}
    for s, e, w, g in mentions_:
        if base <= g < base + need:
            unit = a.clause_start(s) if within == "clause" else a.sentence_span(s)[0]
            units.setdefault(unit, {}).setdefault(g - base, []).append((s, e, w))
    for groups in units.values():
        if len(groups) < need:
            continue
        stated = {
            gi: [Mention(s, e, w, "stated") for s, e, w in ms if said(s, e, w, False, anyone)] for gi, ms in groups.items()
        }
        if any(not v for v in stated.values()):
            continue
        chosen: list[Mention] = []
        if _choose(stated, 0, need, chosen):
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
