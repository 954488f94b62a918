"""The banks and exams in use, indexed for the rest of the core.

A question's global id is ``bank/id``; progress is keyed by it. ``fingerprint``
is a short hash of everything that decides a question's meaning (prompt, choices,
answers, key points), so the store can tell that a question changed under a
learner's history.

Questions on one fact share a ``family`` (a name global across banks, so siblings in
two banks can share it); :func:`fill_sections` picks, for the sections of an exam,
distinct families without ever failing when a paper exists (a maximum matching of
families to sections), and says which sections fall short when none does. Study uses
:meth:`Library.family` (:func:`sibling_groups`): the families, plus questions that plainly
state the same fact without one.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import unicodedata
from collections import defaultdict, deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the models (pydantic) are imported by whoever builds the library, not by its readers
    from quiz.model import AnyQuestion, Bank, Exam, Section

_MEANING_EXCLUDE = {"explanation", "source", "topic", "tags", "difficulty"}
# Neither do these; they are hashed at their defaults, so fingerprints taken before they existed still match.
_MEANING_AT_DEFAULT: dict[str, object] = {"as_of": None, "family": None, "examples": [], "retired": False}


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


MAX_AUTO_SIBLINGS = 3
"""A shared answer in more questions of one topic than this is a stock phrase, not one fact."""

_FOLD = re.compile(r"[\s\W_]+", re.UNICODE)


def _fold(text: str) -> str:
    return _FOLD.sub("", unicodedata.normalize("NFKC", text)).lower()


def answer_fact(q: AnyQuestion) -> str | None:
    """The fact a question's answer states, folded for comparison (None for 判断 and 情景, whose
    answers say nothing specific): the right choice's text (单选), the right choices' texts (多选),
    the number with its unit (数值), the first accepted answer (填空)."""
    from quiz.model import LETTERS, MultiQuestion, NumericQuestion, ShortQuestion, SingleQuestion

    if isinstance(q, SingleQuestion):
        text = q.choices[q.answer_index]
    elif isinstance(q, MultiQuestion):
        text = "|".join(sorted(_fold(q.choices[i]) for i in q.answer_indexes))
    elif isinstance(q, NumericQuestion | ShortQuestion):
        text = q.expected_text()
    else:
        return None
    folded = _fold(text) if not isinstance(q, MultiQuestion) else text
    if len(folded.replace("|", "")) < 2 or all(c in LETTERS.lower() for c in folded):
        return None
    return folded


def sibling_groups(items: Iterable[Item]) -> dict[str, str]:
    """Which questions are siblings (questions on one fact), as qid -> group key.

    A question's ``family`` (bank field) puts it in the group ``family:<name>``, across
    banks. Questions without a family are also grouped, conservatively, when two or three
    questions of one topic state the same fact as their answer (:func:`answer_fact`), as
    ``same:<topic>:<fact>``: the cheap case of "the next question's answer is this one's".
    Only groups of two or more are listed.
    """
    out: dict[str, str] = {}
    explicit: dict[str, list[str]] = defaultdict(list)
    auto: dict[tuple[str, str], list[str]] = defaultdict(list)
    for it in items:
        q = it.question
        if q.family:
            explicit[q.family].append(it.qid)
            continue
        fact = answer_fact(q) if it.topic else None
        if fact is not None:
            auto[(it.topic, fact)].append(it.qid)
    for name, qids in explicit.items():
        if len(qids) > 1:
            out.update((qid, f"family:{name}") for qid in qids)
    for (topic, fact), qids in auto.items():
        if 1 < len(qids) <= MAX_AUTO_SIBLINGS:
            out.update((qid, f"same:{topic}:{fact}") for qid in qids)
    return out


@dataclass
class Library:
    banks: dict[str, Bank] = field(default_factory=dict)
    exams: dict[str, Exam] = field(default_factory=dict)
    bank_paths: dict[str, Path] = field(default_factory=dict)
    exam_paths: dict[str, Path] = field(default_factory=dict)
    _items: dict[str, Item] = field(default_factory=dict, repr=False)
    # Retired questions: out of every pool, list and count, found only by id (history, old results, grading).
    _retired: dict[str, Item] = field(default_factory=dict, repr=False)
    _families: dict[str, str] | None = field(default=None, repr=False)

    def add_bank(self, bank: Bank, path: Path | None = None) -> None:
        self._families = None
        self.banks[bank.bank] = bank
        if path is not None:
            self.bank_paths[bank.bank] = path
        extra = frozenset(bank.tags)
        for q in bank.questions:
            qid = f"{bank.bank}/{q.id}"
            (self._retired if q.retired else self._items)[qid] = Item(qid, bank.bank, q, extra | frozenset(q.tags), path)

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

    def find(self, qid: str) -> Item | None:
        """A question by id, retired ones included (for history and past results, never for study)."""
        return self._items.get(qid) or self._retired.get(qid)

    def retired(self) -> list[Item]:
        return list(self._retired.values())

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

    def family(self, qid: str) -> str | None:
        """The sibling group of a question (see :func:`sibling_groups`), or None when it has none."""
        if self._families is None:
            self._families = sibling_groups(self._items.values())
        return self._families.get(qid)

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
