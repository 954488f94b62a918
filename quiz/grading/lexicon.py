"""The grader's word knowledge, kept as data a trainer can read and extend: the domain thesaurus
(``thesaurus:`` files) and the violation classes (``violations:`` files).

The shipped files are ``banks/lexicon/thesaurus.yaml`` and ``banks/lexicon/violations.yaml``;
any other file with one of these top-level keys in the bank folder in use adds to them (the
loader registers it). Both are validated like a bank, every problem with its line and column.

* A **thesaurus group** lists words that mean the same in this trade (卖家/商家/店家/经营者);
  free-text answers and the phrasings of key points and accepted answers are compared with
  every word of a group replaced by the group's first word. ``narrower`` lists kinds of the
  group's word (截图, 录音 are kinds of 证据): a key point that asks for the word is made by a
  kind of it, not the other way round. ``party`` marks words that name a party (seller, buyer,
  platform), which is what key points with ``who`` read. A group of one word protects a longer
  word from a shorter one's rewriting (客户端 is not 客户 + 端).
* A **violation class** (inducement, threat ...) is recognised by meaning: ``any`` lists phrases
  that are the violation on their own; ``all`` lists word groups of which one word each, all
  stated in one sentence (or clause, ``within: clause``), make it. A word written ``A…B`` is
  ``A`` followed, in the same clause, by ``B`` within four characters; ``re:PATTERN`` is a
  regular expression over the normalised answer (a phone number written out). Classes with
  ``default: true`` apply to every scenario answered as the seller; the others only where a
  question names them in ``forbidden``.
"""

from __future__ import annotations

import bisect
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from quiz.model import ID_PATTERN, Party

Id = Annotated[str, Field(pattern=ID_PATTERN, min_length=1, max_length=80)]
Word = Annotated[str, Field(min_length=1, max_length=120)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ThesaurusGroup(_Strict):
    """Words that mean the same; the first is the one the others are read as."""

    words: list[Word] = Field(min_length=1)
    narrower: list[Word] = Field(default_factory=list)
    party: Party | None = None


class Thesaurus(_Strict):
    thesaurus: Id
    description: str | None = None
    groups: list[ThesaurusGroup] = Field(min_length=1)

    def problems(self) -> list[tuple[tuple[str | int, ...], str]]:
        return thesaurus_problems(list(enumerate(self.groups)))


def thesaurus_problems(groups: list[tuple[int, ThesaurusGroup]]) -> list[tuple[tuple[str | int, ...], str]]:
    """Checks across a thesaurus's groups (each group given with its place): a word in two groups."""
    from quiz.grading.normalize import normalize

    out: list[tuple[tuple[str | int, ...], str]] = []
    seen: dict[str, int] = {}
    for gi, g in groups:
        for key in ("words", "narrower"):
            for wi, w in enumerate(getattr(g, key)):
                n = normalize(w)
                if not n:
                    out.append((("groups", gi, key, wi), f"{w!r} is only punctuation"))
                    continue
                if key == "words" and n in seen and seen[n] != gi:
                    out.append(
                        (("groups", gi, key, wi), f"{w!r} is already in group {seen[n] + 1}: a word means one thing")
                    )
                elif key == "words":
                    seen[n] = gi
    return out


Within = Literal["clause", "sentence"]


class Conjunction(_Strict):
    """One word of each group, all stated in one sentence (or clause)."""

    all: list[list[Word]] = Field(min_length=2)
    within: Within = "sentence"


class ViolationClass(_Strict):
    """A forbidden move recognised by meaning."""

    label: str = Field(min_length=1)
    label_en: str = Field(min_length=1)
    # `self`: a phrase is the learner's move unless the clause gives it to someone else (买家要报复);
    # `any`: the phrases tell the other party what to do (您自己去看), whoever the clause names
    agent: Literal["self", "any"] = "self"
    any: list[Word] = Field(default_factory=list)
    all: list[list[Word]] = Field(default_factory=list)
    within: Within = "sentence"
    # more conjunctions, each with its own scope (edit words that are ambiguous need one clause)
    also: list[Conjunction] = Field(default_factory=list)
    default: bool = True

    def conjunctions(self) -> list[tuple[list[list[str]], Within]]:
        out: list[tuple[list[list[str]], Within]] = [(self.all, self.within)] if self.all else []
        return out + [(c.all, c.within) for c in self.also]


class Violations(_Strict):
    violations: Id
    description: str | None = None
    classes: dict[Id, ViolationClass] = Field(min_length=1)

    def problems(self) -> list[tuple[tuple[str | int, ...], str]]:
        return class_problems(self.classes)


def class_problems(classes: dict[str, ViolationClass]) -> list[tuple[tuple[str | int, ...], str]]:
    """Checks within each violation class: something to match, two or more groups, valid patterns."""
    out: list[tuple[tuple[str | int, ...], str]] = []
    for name, c in classes.items():
        if name.startswith("allow-"):
            out.append((("classes", name), f"class name {name!r} may not start with allow- (that opts a question out)"))
        if not c.any and not c.all and not c.also:
            out.append((("classes", name), f"class {name!r} needs `any` phrases or `all` word groups"))
        if len(c.all) == 1:
            out.append((("classes", name, "all"), f"class {name!r}: `all` needs two or more word groups"))
        for gi, group in enumerate(c.all):
            if not group:
                out.append((("classes", name, "all", gi), "an empty word group matches nothing"))
        lists: list[tuple[tuple[str | int, ...], list[str]]] = [(("any",), c.any)]
        lists += [(("all", gi), g) for gi, g in enumerate(c.all)]
        lists += [(("also", ci, "all", gi), g) for ci, conj in enumerate(c.also) for gi, g in enumerate(conj.all)]
        for key, words in lists:
            for wi, w in enumerate(words):
                where: tuple[str | int, ...] = ("classes", name, *key, wi)
                if w.startswith("re:"):
                    try:
                        re.compile(w[3:])
                    except re.error as e:
                        out.append((where, f"{w!r} is not a valid regular expression: {e}"))
                elif w.strip("…") != w or "……" in w:
                    out.append((where, f"{w!r}: write A…B with words on both sides of …"))
    return out


Lexicon = Thesaurus | Violations
LEXICON_KEYS = ("thesaurus", "violations")


def shipped_dir() -> Path:
    from quiz.context import default_banks_dir

    return default_banks_dir() / "lexicon"


# --- the registry -------------------------------------------------------------------------------

_LOCK = threading.RLock()
_EXTRA: dict[Path, Lexicon] = {}  # registered by the loader, by resolved path
_SHIPPED: dict[Path, Lexicon] | None = None
_STATE: dict[str, Any] = {}  # compiled thesaurus / classes, rebuilt after a change
_GENERATION = [0]


def generation() -> int:
    """Bumped whenever the lexicon changes: compiled questions built before are stale."""
    return _GENERATION[0]


def _shipped() -> dict[Path, Lexicon]:
    global _SHIPPED
    if _SHIPPED is None:
        from quiz.loader import iter_files, load_file

        docs: dict[Path, Lexicon] = {}
        folder = shipped_dir()
        if folder.is_dir():
            for f in iter_files([folder]):
                res = load_file(f)
                if isinstance(res.document, (Thesaurus, Violations)):
                    docs[f.resolve()] = res.document
        _SHIPPED = docs
    return _SHIPPED


def register(path: Path, doc: Lexicon) -> None:
    """Add a trainer's thesaurus or violation classes (a file of the bank folder in use)."""
    key = path.resolve()
    with _LOCK:
        if key in _shipped() or _EXTRA.get(key) == doc:
            return
        _EXTRA[key] = doc
        _STATE.clear()
        _GENERATION[0] += 1


def unregister_all() -> None:
    """Forget every registered file (tests; a reloaded bank folder registers its files again)."""
    with _LOCK:
        if _EXTRA:
            _EXTRA.clear()
            _STATE.clear()
            _GENERATION[0] += 1


def _docs() -> list[Lexicon]:
    return [*_shipped().values(), *_EXTRA.values()]


def docs() -> list[Lexicon]:
    """The thesaurus and violation-class documents in use: the shipped ones, then those registered."""
    with _LOCK:
        return _docs()


def known_classes() -> frozenset[str]:
    return frozenset(classes())


def classes() -> dict[str, ViolationClass]:
    with _LOCK:
        got = _STATE.get("classes")
        if got is None:
            got = {}
            for d in _docs():
                if isinstance(d, Violations):
                    got.update(d.classes)
            _STATE["classes"] = got
        return dict(got)


def thesaurus() -> CompiledThesaurus:
    with _LOCK:
        got = _STATE.get("thesaurus")
        if got is None:
            got = CompiledThesaurus.build([d for d in _docs() if isinstance(d, Thesaurus)])
            _STATE["thesaurus"] = got
        assert isinstance(got, CompiledThesaurus)
        return got


# --- the compiled thesaurus ---------------------------------------------------------------------


@dataclass(slots=True)
class CompiledThesaurus:
    """Words to their group's first word, found longest first in a normalised text."""

    canon: dict[str, str] = field(default_factory=dict)
    first: dict[str, tuple[str, ...]] = field(default_factory=dict)
    narrower: dict[str, tuple[str, ...]] = field(default_factory=dict)
    party: dict[str, Party] = field(default_factory=dict)
    pattern: re.Pattern[str] | None = None  # every word, longest first
    _canonical: dict[str, str] = field(default_factory=dict)  # phrasings read before (banks repeat them)

    @classmethod
    def build(cls, docs: list[Thesaurus]) -> CompiledThesaurus:
        from quiz.grading.normalize import normalize

        t = cls()
        by_first: dict[str, set[str]] = {}
        for d in docs:
            for g in d.groups:
                words = [w for w in (normalize(x) for x in g.words) if w]
                if not words:
                    continue
                head = t.canon.get(words[0], words[0])
                for w in words:
                    t.canon.setdefault(w, head)
                    by_first.setdefault(w[0], set()).add(w)
                if g.narrower:
                    kinds = [n for n in (normalize(x) for x in g.narrower) if n]
                    t.narrower[head] = tuple(dict.fromkeys((*t.narrower.get(head, ()), *kinds)))
                if g.party:
                    t.party[head] = g.party
        t.first = {c: tuple(sorted(ws, key=len, reverse=True)) for c, ws in by_first.items()}
        words = sorted((w for ws in by_first.values() for w in ws), key=lambda w: (-len(w), w))
        t.pattern = re.compile("|".join(re.escape(w) for w in words)) if words else None
        # narrower words are read in their own canonical form
        for head, narrower in list(t.narrower.items()):
            t.narrower[head] = tuple(dict.fromkeys(t.rewrite(k)[0] for k in narrower))
        return t

    def rewrite(self, flat: str, bounds: tuple[int, ...] = ()) -> tuple[str, list[tuple[int, int, str]]]:
        """``flat`` with every thesaurus word replaced by its group's first word, and the
        replacements made, as (start, end, new word) in ``flat``. A word never spans a clause boundary."""
        if self.pattern is None:
            return flat, []
        out: list[str] = []
        reps: list[tuple[int, int, str]] = []
        last = 0
        canon = self.canon
        inner = [b for b in bounds if 0 < b < len(flat)]
        for m in self.pattern.finditer(flat):
            w = m.group(0)
            c = canon[w]
            if c == w:
                continue
            i, e = m.span()
            if inner:
                k = bisect.bisect_right(inner, i)
                if k < len(inner) and inner[k] < e:
                    continue  # (a word never spans a clause boundary)
            out.append(flat[last:i])
            out.append(c)
            reps.append((i, e, c))
            last = e
        if not reps:
            return flat, []
        out.append(flat[last:])
        return "".join(out), reps

    def canonical(self, flat: str) -> str:
        got = self._canonical.get(flat)
        if got is None:
            got = self.rewrite(flat)[0]
            if len(self._canonical) > 50_000:
                self._canonical.clear()
            self._canonical[flat] = got
        return got
