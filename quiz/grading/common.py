"""What every question type's grading shares: the per-question cache, results, small text helpers.

Feedback is written in the learner's language: ``tr(zh, en)`` picks one by the language
``grade()`` was asked for (a context variable, so concurrent gradings in threads do not mix).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, Literal

from quiz.grading.result import GradeResult, Verdict
from quiz.model import AnyQuestion, MultiQuestion, SingleQuestion, resolve_choice

Lang = Literal["zh", "en"]
_LANG: ContextVar[Lang] = ContextVar("grading_lang", default="zh")


def tr(zh: str, en: str) -> str:
    """The feedback text in the language grading was asked for."""
    return en if _LANG.get() == "en" else zh


def current_lang() -> Lang:
    return _LANG.get()


@contextmanager
def language(lang: Lang) -> Iterator[None]:
    token = _LANG.set(lang)
    try:
        yield
    finally:
        _LANG.reset(token)


MAX_ANSWER = 20_000  # characters of an answer that are read; beyond that is not an exam answer
DEFAULT_CUTOFF = 75.0


@dataclass(slots=True)
class _Meta:
    """What grading a question needs, computed once: the expected text, the right options, the matchers."""

    question: object
    expected: str
    right: frozenset[int] = frozenset()
    compiled: object = None


# id(question) -> its _Meta; the entry holds the question itself, so the id cannot be reused meanwhile.
_CACHE: dict[int, _Meta] = {}


def _meta(q: AnyQuestion) -> _Meta:
    m = _CACHE.get(id(q))
    if m is not None and m.question is q:
        return m
    try:
        expected = q.expected_text()
    except Exception:  # a question the loader would refuse: still answer
        expected = ""
    right: frozenset[int] = frozenset()
    if isinstance(q, SingleQuestion):
        i = resolve_choice(q.answer, q.choices)
        also = (resolve_choice(a, q.choices) for a in q.also_correct)
        right = frozenset() if i is None else frozenset({i, *(j for j in also if j is not None)})
    elif isinstance(q, MultiQuestion):
        right = frozenset(i for i in (resolve_choice(a, q.choices) for a in q.answer) if i is not None)
    if len(_CACHE) > 100_000:
        _CACHE.clear()
    m = _CACHE[id(q)] = _Meta(q, expected, right)
    return m


def _compiled(q: AnyQuestion, build: Callable[[Any], Any]) -> Any:
    """The question's matchers, built once by ``build(q)``."""
    m = _meta(q)
    if m.compiled is None:
        m.compiled = build(q)
    return m.compiled


def _result(q: AnyQuestion, verdict: Verdict, score: float, feedback: str, **kw: Any) -> GradeResult:
    score = min(1.0, max(0.0, float(score))) if score == score else 0.0
    return GradeResult(verdict=verdict, score=round(score, 4), feedback=feedback, expected=_meta(q).expected, **kw)


def _list(items: list[str] | tuple[str, ...]) -> str:
    """Labels in a row: 甲、乙 / a; b (a label may hold a comma or 、 itself)."""
    return tr("、".join(items), "; ".join(items))


def _clip(text: str, n: int = 24) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


_EMPTY = "未作答。"


def _fold(raw: str) -> str:
    return unicodedata.normalize("NFKC", raw)


# An answer that asks (对吗? 可以吗) states nothing.
_QUESTION_RE = re.compile(r"吗[\W_]*$")


def is_question(raw: str) -> bool:
    """Whether a short answer is itself a question (对吗? / 可以吗 / 15天吗), which states nothing."""
    return bool(_QUESTION_RE.search(_fold(raw[-40:]).strip()))


# A question put back to the grader: 是不是7天? / 对不对 / 能不能投诉? (an A-not-A question, or 吗 at the end).
_A_NOT_A_RE = re.compile(r"(是不是|对不对|是否|有没有|能不能|可不可以|会不会|行不行|算不算|要不要|属不属于|是吗|对吧\?|是吧\?)")


def asks(raw: str) -> bool:
    """Whether an answer to a 判断 or 数值 question is itself a question, which states nothing."""
    if is_question(raw):
        return True
    t = _fold(raw[:60]).strip()
    return len(t) <= 40 and bool(_A_NOT_A_RE.search(t))


# An answer that says it is not sure (15天吧,不太确定 / B吧,拿不准 / 猜的): graded on what it answers,
# and marked unsure, so that a right answer is scheduled as Hard (seen again sooner), as a learner
# who doubts it would rate it in Anki.
_UNSURE_RE = re.compile(r"不确定|不太确定|不敢确定|拿不准|说不准|没把握|不敢肯定|蒙的|瞎猜|猜的|记不清|不太记得")


def unsure(raw: str) -> bool:
    """Whether an answer says it is not sure of itself."""
    return bool(_UNSURE_RE.search(_fold(raw[:200])))


UNSURE_NOTE = ("你说不太确定：这题算答对，但会安排得早一点再复习。", "You said you were not sure: it counts as right, and comes back a little sooner.")
