"""The banks and exams in use, indexed for the rest of the core.

A question's global id is ``bank/id``; progress is keyed by it. ``fingerprint``
is a short hash of everything that decides a question's meaning (prompt, choices,
answers, key points), so the store can tell that a question changed under a
learner's history.

Questions on one fact share a ``family`` (a name global across banks, so siblings in
two banks can share it); :func:`fill_sections` picks, for the sections of an exam,
distinct families without ever failing when a paper exists (a maximum matching of
families to sections), and says which sections fall short when none does.
"""

from __future__ import annotations

import hashlib
import json
import random
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the models (pydantic) are imported by whoever builds the library, not by its readers
    from quiz.model import AnyQuestion, Bank, Exam, Section

_MEANING_EXCLUDE = {"explanation", "source", "topic", "tags", "difficulty"}
# Neither do these; they are hashed at their defaults, so fingerprints taken before they existed still match.
_MEANING_AT_DEFAULT: dict[str, object] = {"as_of": None, "family": None, "examples": []}


@dataclass(frozen=True)
class Item:
    """A question with where it comes from."""

    qid: str  # "bank/id"
    bank: str
    question: AnyQuestion
    tags: frozenset[str]
    path: Path | None = None

    @property
    def topic(self) -> str:
        return self.question.topic or ""

    @property
    def type(self) -> str:
        return self.question.type

    @property
    def family_key(self) -> str:
        """What an exam draws at most one of: the question's family, or the question itself."""
        return f"family:{self.question.family}" if self.question.family else self.qid


def fingerprint(q: AnyQuestion) -> str:
    data = q.model_dump(mode="json", exclude=_MEANING_EXCLUDE, by_alias=True)
    data.update(_MEANING_AT_DEFAULT)
    blob = json.dumps(data, sort_keys=True, ensure_ascii=False).encode("utf-8")
    return hashlib.blake2b(blob, digest_size=8).hexdigest()


@dataclass
class Library:
    banks: dict[str, Bank] = field(default_factory=dict)
    exams: dict[str, Exam] = field(default_factory=dict)
    bank_paths: dict[str, Path] = field(default_factory=dict)
    exam_paths: dict[str, Path] = field(default_factory=dict)
    _items: dict[str, Item] = field(default_factory=dict, repr=False)

    def add_bank(self, bank: Bank, path: Path | None = None) -> None:
        self.banks[bank.bank] = bank
        if path is not None:
            self.bank_paths[bank.bank] = path
        extra = frozenset(bank.tags)
        for q in bank.questions:
            qid = f"{bank.bank}/{q.id}"
            self._items[qid] = Item(qid, bank.bank, q, extra | frozenset(q.tags), path)

    def add_exam(self, exam: Exam, path: Path | None = None) -> None:
        self.exams[exam.exam] = exam
        if path is not None:
            self.exam_paths[exam.exam] = path

    # -- lookup -----------------------------------------------------------
    def __contains__(self, qid: object) -> bool:
        return qid in self._items

    def __len__(self) -> int:
        return len(self._items)

    def __iter__(self) -> Iterator[Item]:
        return iter(self._items.values())

    def item(self, qid: str) -> Item:
        return self._items[qid]

    def get(self, qid: str) -> Item | None:
        return self._items.get(qid)

    @property
    def qids(self) -> list[str]:
        return list(self._items)

    def topics(self) -> list[str]:
        """Topics in the order they first appear in the banks."""
        seen: dict[str, None] = {}
        for it in self._items.values():
            if it.topic:
                seen.setdefault(it.topic, None)
        return list(seen)

    def select(
        self,
        *,
        types: Iterable[str] = (),
        topics: Iterable[str] = (),
        tags: Iterable[str] = (),
        banks: Iterable[str] = (),
    ) -> list[Item]:
        """Questions passing every given filter (an empty filter passes all)."""
        ty, to, ta, ba = set(types), set(topics), set(tags), set(banks)
        return [
            it
            for it in self._items.values()
            if (not ty or it.type in ty)
            and (not to or it.topic in to)
            and (not ta or bool(ta & it.tags))
            and (not ba or it.bank in ba)
        ]

    def section_pool(self, section: Section) -> list[Item]:
        return self.select(types=section.types, topics=section.topics, tags=section.tags, banks=section.banks)


@dataclass(frozen=True)
class SectionFill:
    """Distinct families chosen for each section of an exam (see :func:`fill_sections`)."""

    families: list[list[str]]  # per section, the family keys it draws (``Item.family_key``)
    short: tuple[int, ...] = ()  # when some section cannot be filled: the sections that together fall short
    available: int = 0  # ... and how many distinct families those sections can draw from between them

    @property
    def ok(self) -> bool:
        return not self.short


def fill_sections(pools: Sequence[Sequence[Item]], counts: Sequence[int],
                  rng: random.Random | None = None) -> SectionFill:
    """Assign distinct families to sections: section ``i`` gets ``counts[i]`` families that have a
    question in ``pools[i]``, no family twice in the paper.

    A maximum b-matching (Kuhn's augmenting paths, the sections on one side): it fills every section
    whenever any assignment does, however the sections overlap. With ``rng`` the families are tried in
    random order (a random paper); without, in pool order (a check). Time is linear in the pool sizes
    plus, per augmenting path, the questions asked for times the number of sections.

    When the sections cannot all be filled, ``short`` names the group of sections that together ask for
    more than the ``available`` families their pools hold (Hall's condition, read off the matching).
    """
    k = len(pools)
    sections_of: dict[str, list[int]] = {}
    for i, pool in enumerate(pools):
        for it in pool:
            secs = sections_of.setdefault(it.family_key, [])
            if not secs or secs[-1] != i:
                secs.append(i)
    keys = list(sections_of)
    if rng is not None:
        rng.shuffle(keys)
    assigned: list[list[str]] = [[] for _ in range(k)]
    owner: dict[str, int] = {}
    missing = sum(counts)
    dead: set[int] = set()  # full sections from which no augmenting path leads (until the matching moves)

    def room(s: int) -> bool:
        return len(assigned[s]) < counts[s]

    for f in keys:
        if missing <= 0:
            break
        secs = sections_of[f]
        open_ = [s for s in secs if room(s)]
        # a random paper gives a family that fits several sections to any of them, in proportion to the room left
        free = (rng.choices(open_, [counts[s] - len(assigned[s]) for s in open_])[0] if rng is not None and len(open_) > 1
                else open_[0] if open_ else None)
        if free is not None:
            assigned[free].append(f)
            owner[f] = free
            missing -= 1
            continue
        if all(s in dead for s in secs):
            continue
        # Breadth-first over sections: from a full section, move one of its families to another section.
        parent: dict[int, tuple[int, str] | None] = {s: None for s in secs}
        queue = deque(secs)
        target = None
        while queue and target is None:
            s = queue.popleft()
            for g in assigned[s]:
                for s2 in sections_of[g]:
                    if s2 in parent:
                        continue
                    parent[s2] = (s, g)
                    if room(s2):
                        target = s2
                        break
                    queue.append(s2)
                if target is not None:
                    break
        if target is None:
            dead.update(parent)
            continue
        t = target
        while (step := parent[t]) is not None:
            prev, g = step
            assigned[prev].remove(g)
            assigned[t].append(g)
            owner[g] = t
            t = prev
        assigned[t].append(f)
        owner[f] = t
        missing -= 1
        dead.clear()

    if missing <= 0:
        return SectionFill(assigned)
    # Sections reachable from an unfilled one along (pool family -> section holding it): together they ask
    # for more families than their pools hold, since every such family is already used inside the group.
    fams_of = [{it.family_key for it in pool} for pool in pools]
    group = {s for s in range(k) if room(s)}
    todo = list(group)
    while todo:
        s = todo.pop()
        for f in fams_of[s]:
            holder = owner.get(f)
            if holder is not None and holder not in group:
                group.add(holder)
                todo.append(holder)
    available = len(set().union(*(fams_of[s] for s in group)))
    return SectionFill(assigned, tuple(sorted(group)), available)
