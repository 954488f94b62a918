"""A light index of the banks, so the home screen shows its numbers before the banks are loaded.

Loading the banks means the pydantic models (and, cold, YAML parsing and validation);
the home screen needs much less: each question's id, bank, topic, type and tags, each
bank's title and each exam's sections. :func:`save` writes that as JSON beside the bank
cache after every load of a bank folder (:meth:`quiz.context.Context.load_library`), keyed
by the folder's files (path, size, modification time); :func:`load` reads it back as a
:class:`~quiz.library.Library` of stand-ins (:class:`QuestionStub`, :class:`BankStub`,
:class:`ExamStub`) that answer what :mod:`quiz.stats` asks of a library (``select``,
``section_pool``, titles, iteration), or None when any file changed. Nothing here imports
pydantic: the app computes its first numbers from the index while the real banks load,
then redraws from them.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from quiz import __version__

if TYPE_CHECKING:
    from quiz.library import Library

FORMAT = 1
YAML_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class QuestionStub:
    """What the index keeps of a question."""

    type: str
    topic: str | None


@dataclass(frozen=True)
class BankStub:
    bank: str
    title: str


@dataclass(frozen=True)
class SectionStub:
    title: str
    count: int
    points: float
    types: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    banks: tuple[str, ...] = ()


@dataclass(frozen=True)
class ExamStub:
    exam: str
    title: str
    sections: tuple[SectionStub, ...]
    pass_score: float
    total_points: float
    time_limit_minutes: float


def _files_key(banks_dir: Path) -> str | None:
    """A hash of the folder's bank files (relative path, size, modification time); None if unreadable."""
    try:
        entries = []
        for root, dirs, names in os.walk(banks_dir):
            dirs.sort()
            for name in sorted(names):
                if name.endswith(YAML_SUFFIXES):
                    p = Path(root) / name
                    st = p.stat()
                    entries.append(f"{p.relative_to(banks_dir)}\0{st.st_size}\0{st.st_mtime_ns}")
    except OSError:
        return None
    blob = "\n".join([f"{__version__}/{FORMAT}", *entries]).encode("utf-8", "surrogatepass")
    return hashlib.blake2b(blob, digest_size=16).hexdigest()


def _path(banks_dir: Path) -> Path:
    from quiz.cache import cache_dir

    name = hashlib.blake2b(str(banks_dir.resolve()).encode("utf-8", "surrogatepass"), digest_size=12).hexdigest()
    return cache_dir() / f"index-{name}.json"


def to_data(library: Library) -> dict[str, Any]:
    """The index of ``library`` as plain JSON data."""
    return {
        "banks": [[b, bank.title] for b, bank in library.banks.items()],
        "items": [[it.qid, it.bank, it.type, it.question.topic, sorted(it.tags)] for it in library],
        "exams": [
            [e.exam, e.title, e.pass_score, e.total_points, e.time_limit_minutes,
             [[s.title, s.count, s.points, list(s.types), list(s.topics), list(s.tags), list(s.banks)] for s in e.sections]]
            for e in library.exams.values()
        ],
    }


def from_data(data: dict[str, Any]) -> Library:
    """A library of stand-ins from :func:`to_data`'s output."""
    from quiz.library import Item, Library

    lib = Library()
    for bank_id, title in data["banks"]:
        lib.banks[bank_id] = BankStub(bank_id, title)  # type: ignore[assignment]
    for qid, bank, qtype, topic, tags in data["items"]:
        lib._items[qid] = Item(qid=qid, bank=bank, question=QuestionStub(qtype, topic), tags=frozenset(tags))  # type: ignore[arg-type]
    for exam_id, title, pass_score, total, minutes, sections in data["exams"]:
        secs = tuple(SectionStub(t, c, p, tuple(ty), tuple(to), tuple(ta), tuple(ba)) for t, c, p, ty, to, ta, ba in sections)
        lib.exams[exam_id] = ExamStub(exam_id, title, secs, pass_score, total, minutes)  # type: ignore[assignment]
    return lib


def save(banks_dir: Path, library: Library) -> None:
    """Write the index of ``library``, loaded from ``banks_dir`` (atomically; never an error)."""
    key = _files_key(banks_dir)
    if key is None:
        return
    target = _path(banks_dir)
    try:
        with open(target, encoding="utf-8") as f:
            if json.load(f).get("key") == key:
                return  # up to date
    except (OSError, ValueError, AttributeError):
        pass
    from quiz.cache import write_file

    # dumps, not dump: json.dump runs the pure-Python encoder (a third of a second for 10,000 questions)
    write_file(target, json.dumps({"key": key, "index": to_data(library)}, ensure_ascii=False).encode("utf-8"))


def load(banks_dir: Path) -> Library | None:
    """The index of ``banks_dir`` as a library of stand-ins, or None when it is missing or stale."""
    key = _files_key(banks_dir)
    if key is None:
        return None
    try:
        with open(_path(banks_dir), encoding="utf-8") as f:
            stored = json.load(f)
        if stored.get("key") != key:
            return None
        return from_data(stored["index"])
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
