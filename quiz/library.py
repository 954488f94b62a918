"""The banks and exams in use, indexed for the rest of the core.

A question's global id is ``bank/id``; progress is keyed by it. ``fingerprint``
is a short hash of everything that decides a question's meaning (prompt, choices,
answers, key points), so the store can tell that a question changed under a
learner's history.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from quiz.model import AnyQuestion, Bank, Exam, Section

_MEANING_EXCLUDE = {"explanation", "source", "topic", "tags", "difficulty"}


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


def fingerprint(q: AnyQuestion) -> str:
    data = q.model_dump(mode="json", exclude=_MEANING_EXCLUDE, by_alias=True)
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
