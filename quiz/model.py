"""Typed models of question banks and exam blueprints (the contract in bank-format.md).

Every model forbids unknown fields, so a typo such as ``anwser`` is an error and
not a silently ignored key. Checks that need more than one field (an answer that
names no choice, a ``short`` answer also in ``reject``) are not raised by pydantic
but listed by :meth:`QuestionBase.problems`, so that the loader can point at the
exact field in the YAML file and report every problem, not only the first.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from typing import Annotated, Literal, TypeAlias

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictBool, StrictFloat, StrictInt, field_validator

ID_PATTERN = r"^[a-z0-9][a-z0-9-]*$"
LETTERS = "ABCDEFGH"

QuestionType = Literal["single", "multi", "judge", "short", "numeric", "scenario"]
QUESTION_TYPES: tuple[str, ...] = ("single", "multi", "judge", "short", "numeric", "scenario")

Id = Annotated[str, Field(pattern=ID_PATTERN, min_length=1, max_length=80)]

# Characters that show nothing on their own: spaces of every width, zero-width and format
# characters (U+200B, U+FEFF, U+2060), combining marks, and the "filler" letters (U+3164 ...).
_INVISIBLE_CATEGORIES = frozenset({"Zs", "Zl", "Zp", "Cc", "Cf", "Mn", "Me", "Cs", "Co", "Cn"})
_FILLERS = frozenset("ᅟᅠㅤﾠ⠀")


def _visible(v: str) -> str:
    if v and unicodedata.category(v[0])[0] in "LNPS" and v[0] not in _FILLERS:
        return v  # starts with a letter, digit, punctuation or symbol: visible (the usual case, decided at once)
    if not any(not ch.isspace() and ch not in _FILLERS and unicodedata.category(ch) not in _INVISIBLE_CATEGORIES
               for ch in v):
        raise ValueError("is blank: it holds only spaces or invisible characters")
    return v


Text = Annotated[str, Field(min_length=1), AfterValidator(_visible)]
# A number that is a number: not true/false (YAML's `yes`), not infinite, not NaN.
Finite = Annotated[StrictFloat, Field(allow_inf_nan=False)]
MAX_MINUTES = 24 * 60
MAX_POINTS = 1000
MAX_COUNT = 1000


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


Party = Literal["seller", "buyer", "platform"]
Expect = Literal["correct", "partial", "wrong"]
# A named violation class (inducement, threat, ...) in ``forbidden``: recognised by meaning, not by a phrase list.
ViolationName = Annotated[str, Field(pattern=ID_PATTERN, min_length=1, max_length=80)]


class KeyPoint(_Strict):
    """One thing a good free-text answer says, in any of several phrasings."""

    point: Text
    any: list[Text] = Field(min_length=1)
    weight: Finite = Field(default=1.0, gt=0, le=100)
    # The decision the question turns on: without it the answer is never ``correct``.
    required: bool = False
    # Who does or pays what the point says: an answer that gives it to another party does not make the point.
    who: Party | None = None


class Example(_Strict):
    """A learner's answer with the verdict a fair trainer gives it: the grader must agree (``quiz validate``)."""

    answer: str
    expect: Expect
    note: str | None = None


_AS_OF_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


class QuestionBase(_Strict):
    id: Id
    prompt: Text
    topic: str | None = None
    tags: list[str] = Field(default_factory=list)
    difficulty: Annotated[StrictInt, Field(ge=1, le=5)] | None = None
    explanation: str | None = None
    source: str | None = None
    # The year or date of the rule the question teaches (2016, 2024-09-01): rules change.
    as_of: str | None = None
    # Questions on one fact: an exam draws at most one of a family; study never shows two back to back.
    family: Id | None = None
    # Calibration: learners' answers with the verdict a trainer expects.
    examples: list[Example] = Field(default_factory=list)
    # Retired: no longer studied or drawn, but kept under its id so history, old exam results and
    # grading by id still find it (a question whose meaning changes gets a new id; the old one retires).
    retired: bool = False
    # Per-choice / per-outcome feedback, shown only to a learner whose answer it names: keys are choice
    # letters (single, multi), true/false (judge), or a verdict (correct, partial, wrong).
    feedback: dict[str, Text] = Field(default_factory=dict)

    @field_validator("as_of", mode="before")
    @classmethod
    def _as_of_text(cls, v: object) -> object:
        if isinstance(v, bool):
            raise ValueError("as_of must be a year or a date such as 2024 or 2024-09-01")
        if isinstance(v, (datetime.date, int)):
            v = v.isoformat() if isinstance(v, datetime.date) else str(v)
        if isinstance(v, str) and not _AS_OF_RE.match(v.strip()):
            raise ValueError(f"as_of {v!r} is not a year or a date such as 2024 or 2024-09-01")
        return v.strip() if isinstance(v, str) else v

    @field_validator("feedback", mode="before")
    @classmethod
    def _feedback_keys(cls, v: object) -> object:
        if isinstance(v, dict):  # YAML reads `true:` as a boolean key
            return {(str(k).lower() if isinstance(k, bool) else k): x for k, x in v.items()}
        return v

    def feedback_keys(self) -> frozenset[str]:
        """The keys ``feedback`` may use for this type of question."""
        return frozenset(("correct", "partial", "wrong"))

    def problems(self) -> list[tuple[tuple[str | int, ...], str]]:
        """Checks across fields: (location below the question, message) pairs."""
        return self._feedback_problems()

    def _feedback_problems(self) -> list[tuple[tuple[str | int, ...], str]]:
        allowed = self.feedback_keys()
        return [
            (("feedback", k), f"feedback key {k!r} names nothing in this question (use {', '.join(sorted(allowed))})")
            for k in self.feedback
            if k not in allowed
        ]

    def expected_text(self) -> str:
        """The right answer, as a learner would read it."""
        raise NotImplementedError


def _choice_problems(choices: list[str]) -> list[tuple[tuple[str | int, ...], str]]:
    seen: dict[str, int] = {}
    out: list[tuple[tuple[str | int, ...], str]] = []
    for i, c in enumerate(choices):
        key = unicodedata.normalize("NFKC", c).strip().lower()
        if key in seen:
            out.append((("choices", i), f"choice {LETTERS[i]} repeats choice {LETTERS[seen[key]]}: {c!r}"))
        else:
            seen[key] = i
    return out


_LETTER_RE = re.compile(r"^\s*([A-Ha-h])\s*$")


def resolve_choice(answer: str, choices: list[str]) -> int | None:
    """The index of the choice an answer key names: a letter, or a choice's exact text."""
    if answer in choices:
        return choices.index(answer)
    m = _LETTER_RE.match(answer)
    if m:
        i = LETTERS.index(m.group(1).upper())
        if i < len(choices):
            return i
    return None


class SingleQuestion(QuestionBase):
    type: Literal["single"]
    choices: list[Text] = Field(min_length=2, max_length=8)
    answer: Text
    # Other choices that are just as right (Moodle's single choice with several `=` answers): choosing any one
    # of `answer` and these is correct. Letters or exact choice texts, like `answer`.
    also_correct: list[Text] = Field(default_factory=list)

    @property
    def answer_index(self) -> int:
        i = resolve_choice(self.answer, self.choices)
        if i is None:  # pragma: no cover - the loader refuses such a bank
            raise ValueError(f"answer {self.answer!r} names no choice")
        return i

    @property
    def right_indexes(self) -> frozenset[int]:
        """Every choice that is fully right: ``answer`` and ``also_correct``."""
        out = {self.answer_index}
        for a in self.also_correct:
            i = resolve_choice(a, self.choices)
            if i is not None:
                out.add(i)
        return frozenset(out)

    def feedback_keys(self) -> frozenset[str]:
        return frozenset(LETTERS[: len(self.choices)]) | super().feedback_keys()

    def problems(self) -> list[tuple[tuple[str | int, ...], str]]:
        out = _choice_problems(self.choices) + self._feedback_problems()
        letters = LETTERS[: len(self.choices)]
        first = resolve_choice(self.answer, self.choices)
        if first is None:
            out.append((("answer",), f"answer {self.answer!r} names no choice (use a letter {letters[0]}-{letters[-1]} or a choice's exact text)"))
        seen = {first}
        for k, a in enumerate(self.also_correct):
            i = resolve_choice(a, self.choices)
            if i is None:
                out.append((("also_correct", k), f"also_correct {a!r} names no choice (use a letter {letters[0]}-{letters[-1]} or a choice's exact text)"))
            elif i in seen:
                out.append((("also_correct", k), f"also_correct {a!r} is already a right choice"))
            else:
                seen.add(i)
        return out

    def expected_text(self) -> str:
        return " / ".join(f"{LETTERS[i]}. {self.choices[i]}" for i in sorted(self.right_indexes))


class MultiQuestion(QuestionBase):
    type: Literal["multi"]
    choices: list[Text] = Field(min_length=2, max_length=8)
    answer: list[Text] = Field(min_length=1)
    scoring: Literal["all", "partial"] = "all"

    @property
    def answer_indexes(self) -> frozenset[int]:
        out = set()
        for a in self.answer:
            i = resolve_choice(a, self.choices)
            if i is None:  # pragma: no cover - the loader refuses such a bank
                raise ValueError(f"answer {a!r} names no choice")
            out.add(i)
        return frozenset(out)

    def feedback_keys(self) -> frozenset[str]:
        return frozenset(LETTERS[: len(self.choices)]) | super().feedback_keys()

    def problems(self) -> list[tuple[tuple[str | int, ...], str]]:
        out = _choice_problems(self.choices) + self._feedback_problems()
        seen: set[int] = set()
        letters = LETTERS[: len(self.choices)]
        for k, a in enumerate(self.answer):
            i = resolve_choice(a, self.choices)
            if i is None:
                out.append((("answer", k), f"answer {a!r} names no choice (use letters {letters[0]}-{letters[-1]} or a choice's exact text)"))
            elif i in seen:
                out.append((("answer", k), f"answer {a!r} is listed twice"))
            else:
                seen.add(i)
        return out

    def expected_text(self) -> str:
        return "".join(LETTERS[i] for i in sorted(self.answer_indexes))


class JudgeQuestion(QuestionBase):
    type: Literal["judge"]
    answer: StrictBool

    def feedback_keys(self) -> frozenset[str]:
        return frozenset(("true", "false")) | super().feedback_keys()

    def expected_text(self) -> str:
        return "对" if self.answer else "错"


class _FreeText(QuestionBase):
    keypoints: list[KeyPoint] = Field(default_factory=list)
    # Literal phrasings (a key point's shape), or the name of a violation class recognised by meaning.
    forbidden: list[KeyPoint | ViolationName] = Field(default_factory=list)
    ordered: bool = False
    # Who the learner speaks as: `seller` (我们 = the shop, 您 = the buyer), `buyer`, or `neutral`
    # (third-person advice). Unset: a scenario is answered as the seller.
    voice: Literal["seller", "buyer", "neutral"] | None = None

    def problems(self) -> list[tuple[tuple[str | int, ...], str]]:
        out = super().problems()
        for field in ("keypoints", "forbidden"):
            for i, k in enumerate(getattr(self, field)):
                if isinstance(k, KeyPoint):
                    out += _empty_phrases(k.any, (field, i, "any"), "phrase")
        return out


def _empty_phrases(phrases: list[str], loc: tuple[str | int, ...], what: str) -> list[tuple[tuple[str | int, ...], str]]:
    """Phrases that the grader's normalisation (no spaces, no punctuation) turns into nothing."""
    from quiz.grading.normalize import normalize  # the grader's own rule; imported late (it imports this module)

    return [
        ((*loc, i), f"{what} {p!r} is only punctuation or spaces: once normalised it is empty and matches nothing")
        for i, p in enumerate(phrases)
        if not normalize(p)
    ]


class ShortQuestion(_FreeText):
    type: Literal["short"]
    answers: list[Text] = Field(min_length=1)
    reject: list[Text] = Field(default_factory=list)
    threshold: Finite | None = Field(default=None, ge=0, le=100)
    pass_: Finite = Field(default=1.0, gt=0, le=1, alias="pass")

    def feedback_keys(self) -> frozenset[str]:
        # an accepted or rejected form, written exactly: shown to a learner whose answer matched it
        return frozenset(self.answers) | frozenset(self.reject) | super().feedback_keys()

    def problems(self) -> list[tuple[tuple[str | int, ...], str]]:
        out = super().problems()
        out += _empty_phrases(self.answers, ("answers",), "accepted answer")
        out += _empty_phrases(self.reject, ("reject",), "rejected answer")
        accepted = {_fold(a): a for a in self.answers}
        for i, r in enumerate(self.reject):
            if _fold(r) in accepted:
                out.append((("reject", i), f"{r!r} is both an accepted answer and in reject"))
        return out

    def expected_text(self) -> str:
        return self.answers[0]


class NumericQuestion(QuestionBase):
    type: Literal["numeric"]
    answer: Finite
    unit: str | None = None
    units: list[Text] = Field(default_factory=list)
    tolerance: Finite = Field(default=0, ge=0)

    @field_validator("answer", mode="before")
    @classmethod
    def _number_not_bool(cls, v: object) -> object:
        if isinstance(v, bool):
            raise ValueError("answer must be a number, not true/false")
        return v

    def expected_text(self) -> str:
        n = int(self.answer) if float(self.answer).is_integer() else self.answer
        return f"{n}{self.unit or ''}"


class ScenarioQuestion(_FreeText):
    type: Literal["scenario"]
    keypoints: list[KeyPoint] = Field(min_length=1)
    pass_: Finite = Field(default=0.6, gt=0, le=1, alias="pass")
    sample_answer: str | None = None

    def expected_text(self) -> str:
        return self.sample_answer or "；".join(k.point for k in self.keypoints)


Question = Annotated[
    SingleQuestion | MultiQuestion | JudgeQuestion | ShortQuestion | NumericQuestion | ScenarioQuestion,
    Field(discriminator="type"),
]


def _fold(s: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", s)).lower()


class Bank(_Strict):
    bank: Id
    title: Text
    description: str | None = None
    tags: list[str] = Field(default_factory=list)
    questions: list[Question] = Field(min_length=1)


class Section(_Strict):
    title: Text
    types: list[QuestionType] = Field(default_factory=list)
    topics: list[str] = Field(default_factory=list)
    tags: list[str] = Field(default_factory=list)
    banks: list[str] = Field(default_factory=list)
    count: StrictInt = Field(ge=1, le=MAX_COUNT)
    points: Finite = Field(gt=0, le=MAX_POINTS)


class Exam(_Strict):
    exam: Id
    title: Text
    description: str | None = None
    time_limit_minutes: Finite = Field(gt=0, le=MAX_MINUTES)
    pass_score: Finite = Field(ge=0)
    sections: list[Section] = Field(min_length=1)

    @property
    def total_points(self) -> float:
        return sum(s.count * s.points for s in self.sections)

    def problems(self) -> list[tuple[tuple[str | int, ...], str]]:
        """Checks across fields: (location below the exam, message) pairs."""
        if self.pass_score > self.total_points:
            return [(("pass_score",), f"pass_score {self.pass_score:g} is above the paper's total of "
                                      f"{self.total_points:g} points: nobody could pass")]
        return []


AnyQuestion: TypeAlias = SingleQuestion | MultiQuestion | JudgeQuestion | ShortQuestion | NumericQuestion | ScenarioQuestion
