"""What the learner sees after answering: verdict, the right answer once, key points, explanation.

Each thing is said once. For choices (单选/多选/判断) on the study screen the
choices above stay on screen with the right ones marked, so the feedback does not
repeat the learner's pick; a typed answer is shown here, marked up: with the
grader's character spans (``GradeResult.details["spans"]``, see
:mod:`quiz.grading.result`) the parts that were matched, forgiven (typo,
homophone), negated or forbidden are highlighted in the answer itself; without
them the key points found, missed and forbidden are listed by label (with them, those found that
no span marks still are). A 判断
answer is spelled out (``正确答案：错（这个说法不对）``), a scenario's model answer
is a 参考答案, and the rule's date (``as_of``) stands beside the source.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from rich.console import Group, RenderableType
from rich.text import Text
from textual.widgets import Static

from quiz.grading.result import GradeResult
from quiz.model import LETTERS, AnyQuestion
from quiz.text import UNSAFE_RE, printable, reflow
from tui.i18n import colon, language, t
from tui.widgets.text import plain
from tui.widgets.wrap import Paragraph

FREE_TEXT = ("short", "scenario")
CHOICE_TYPES = ("single", "multi", "judge")
VERDICT_STYLE = {"correct": "bold green", "partial": "bold yellow", "wrong": "bold red"}
VERDICT_MARK = {"correct": "✓", "partial": "◐", "wrong": "✗"}

# how each kind of span in the learner's answer is marked, and its legend entry
SPAN_STYLE = {
    "matched": "bold green underline",
    "typo": "bold yellow underline",
    "homophone": "bold yellow underline",
    "negated": "dim strike",
    "violation": "bold white on red",
}
SPAN_LEGEND = {
    "matched": "spans.matched",
    "typo": "spans.typo",
    "homophone": "spans.homophone",
    "negated": "spans.negated",
    "violation": "spans.violation",
}


def _line(label: str, value: str | Text, style: str = "") -> Text:
    out = Text()
    out.append(f"{label}{colon()}", style="bold")
    if isinstance(value, Text):
        out.append_text(value)
    else:
        out.append(printable(value), style=style)
    return out


def answer_display(question: AnyQuestion, answer: str) -> str:
    """The learner's answer as they read it: a choice letter with its text, 对/错 in the UI's words."""
    if question.type in ("single", "multi"):
        choices: list[str] = getattr(question, "choices", [])
        picked = [LETTERS.index(c) for c in answer.upper() if c in LETTERS[: len(choices)]]
        if picked and len(picked) == len([c for c in answer if not c.isspace() and c not in ",，、"]):
            return ("；" if language() == "zh" else "; ").join(f"{LETTERS[i]}. {choices[i]}" for i in picked)
    if question.type == "judge" and answer in ("对", "错"):
        return t("study.true") if answer == "对" else t("study.false")
    return answer


def spans_of(result: GradeResult, answer: str) -> list[tuple[int, int, str, str]]:
    """The grader's spans over ``answer`` that can be drawn: in range, of a known kind, not overlapping.

    Anything malformed is left out rather than drawn wrong (the labels are shown then).
    """
    raw: Any = result.details.get("spans") if isinstance(result.details, dict) else None
    if not isinstance(raw, (list, tuple)):
        return []
    out: list[tuple[int, int, str, str]] = []
    for span in raw:
        if not isinstance(span, (list, tuple)) or len(span) < 3:
            continue
        start, end, kind = span[0], span[1], span[2]
        label = span[3] if len(span) > 3 and isinstance(span[3], str) else ""
        if not (isinstance(start, int) and isinstance(end, int) and isinstance(kind, str)):
            continue
        if kind not in SPAN_STYLE or not 0 <= start < end <= len(answer):
            continue
        out.append((start, end, kind, label))
    out.sort()
    kept: list[tuple[int, int, str, str]] = []
    for span in out:
        if kept and span[0] < kept[-1][1]:
            continue  # overlapping: the first one wins
        kept.append(span)
    return kept


def marked_answer(answer: str, spans: Iterable[tuple[int, int, str, str]]) -> Text:
    """``answer`` with each span styled by its kind (an unsafe character shown as ``�``, so offsets hold)."""
    text = Text(UNSAFE_RE.sub("\ufffd", answer))
    for start, end, kind, _ in spans:
        text.stylize(SPAN_STYLE[kind], start, end)
    return text


def _legend(kinds: Iterable[str]) -> Text:
    out = Text(style="dim")
    seen: list[str] = []
    for kind in kinds:
        key = SPAN_LEGEND[kind]
        if key in seen:
            continue
        seen.append(key)
        if len(seen) > 1:
            out.append("  ")
        out.append("▆▆", style=SPAN_STYLE[kind])
        out.append(" " + t(key))
    return out


def expected_line(question: AnyQuestion, expected: str) -> Text:
    """The right answer, said so that it cannot be misread (判断 spelled out; a scenario's is a 参考答案)."""
    if question.type == "judge":
        is_true = expected in ("对", "true", "True")
        return _line(t("feedback.expected"), t("feedback.judge_true") if is_true else t("feedback.judge_false"), "green")
    if question.type == "scenario":
        return _line(t("feedback.sample"), reflow(expected), "green")
    return _line(t("feedback.expected"), expected, "green")


# longest first: 最接近的标准答案 is a whole label, not 标准答案 inside a sentence
_RESTATEMENTS = ("最接近的标准答案", "最接近的参考答案", "正确答案", "参考答案", "标准答案", "正确", "Nearest accepted answer",
                 "Right answer", "Correct answer", "Sample answer", "Correct", "Expected")
_QUOTED = re.compile(r"“[^”]*”|「[^」]*」|《[^》]*》|\"[^\"]*\"")


def _chinese(text: str) -> bool:
    """Is ``text`` written in Chinese? (Quoted Chinese in an English note does not make it Chinese.)"""
    return any("\u4e00" <= c <= "\u9fff" for c in _QUOTED.sub("", text))


def grader_note(note: str, expected: str) -> str:
    """The grader's note without a closing sentence that restates the right answer (shown on its own line).

    Only a whole sentence is cut (``…大了。正确答案：15天``); a restatement inside a sentence
    (``最接近的参考答案：…``) is left as the grader wrote it.
    """
    text = note.strip()
    if not expected:
        return text
    for label in _RESTATEMENTS:
        for sep in ("：", ": ", ":"):
            tail = f"{label}{sep}{expected}"
            if text.endswith(tail) or text.endswith(tail + "。") or text.endswith(tail + "."):
                at = text.rindex(tail)
                if at and text[:at].rstrip()[-1:] not in ("。", ".", "；", ";", "！", "!", "？", "?"):
                    return text  # inside a sentence
                text = text[:at].rstrip(" 。.;；，,")
                if text and text[-1] not in "。.！!？?":
                    text += "。" if _chinese(text) else "."
                return "" if not text.strip("。. ") else text
    return text


def _points(labels: Iterable[str]) -> str:
    """Key point labels in a row, parted by ；/; : a label may hold 、 or a comma itself
    (识别异常订单、有组织的恶意买家), so 、 between labels could not be told from 、 inside one."""
    return ("；" if language() == "zh" else "; ").join(labels)


def _source(question: AnyQuestion) -> Text | None:
    source = (question.source or "").strip()
    as_of = getattr(question, "as_of", None)
    if not source and not as_of:
        return None
    line = _line(t("feedback.source"), source or "-", "dim")
    if as_of:
        line.append(t("feedback.as_of", date=as_of), style="dim")
    return line


def feedback_renderable(
    question: AnyQuestion,
    result: GradeResult | None,
    answer: str | None,
    *,
    show_answer: bool = True,
    key_shown: bool = False,
) -> RenderableType:
    """The feedback on ``answer``; with no result (背题模式) the right answer and the explanation.

    ``show_answer``: show what the learner answered (off where the answer is on screen already);
    ``key_shown``: the choices on screen mark the right ones, so a 单选/多选's right answer is not repeated.
    """
    parts: list[Text] = []
    expected = result.expected if result is not None and result.expected else question.expected_text()
    if result is not None:
        head = Text()
        head.append(f"{VERDICT_MARK[result.verdict]} {t('verdict.' + result.verdict)}", style=VERDICT_STYLE[result.verdict])
        if result.verdict == "partial" or (question.type in ("multi", "scenario") and 0 < result.score < 1):
            head.append(f"   {t('feedback.score', score=round(result.score * 100))}")
        parts.append(head)
    spans = spans_of(result, answer) if result is not None and answer else []
    if result is not None and answer is not None and show_answer:
        if spans:
            parts.append(_line(t("feedback.your_answer"), marked_answer(answer, spans)))
            parts.append(_legend(kind for _, _, kind, _ in spans))
        else:
            parts.append(_line(t("feedback.your_answer"), answer_display(question, answer)))
    listed = result is not None and question.type in FREE_TEXT and bool(result.found or result.missed or result.violations)
    if result is not None and question.type not in CHOICE_TYPES and result.feedback and not (listed and question.type == "scenario"):
        # a scenario's note sums up the key points listed below: said once, there
        note = grader_note(result.feedback, expected)
        if note and note.rstrip("。.") != t("verdict." + result.verdict):  # not the verdict said again
            parts.append(plain(note, style="italic"))
    wrong = result is None or result.verdict != "correct"
    if question.type == "judge":
        if wrong or not key_shown:
            parts.append(expected_line(question, expected))
    elif question.type in ("single", "multi"):
        if not key_shown:
            parts.append(expected_line(question, answer_display(question, expected) if question.type == "multi" else expected))
    elif question.type == "scenario" or wrong:
        parts.append(expected_line(question, expected))
    if result is not None and question.type in FREE_TEXT:
        if result.nearest and result.nearest != expected and question.type == "short" and wrong:
            parts.append(_line(t("feedback.nearest"), result.nearest))
        # what the spans mark is not listed again; a point found but not placed in the answer still is
        marked = {label for _s, _e, _k, label in spans if label}
        found = [x for x in result.found if x not in marked] if spans else list(result.found)
        if found:
            parts.append(_line(t("feedback.found"), _points(found), "green"))
        if result.missed:
            parts.append(_line(t("feedback.missed"), _points(result.missed), "yellow"))
        violations = [x for x in result.violations if x not in marked] if spans else list(result.violations)
        if violations:
            parts.append(_line(t("feedback.violations"), _points(violations), "red"))
    if result is not None:
        for note in result.answer_feedback:
            parts.append(plain("» " + note.strip(), style="cyan"))
    if question.explanation:
        parts.append(_line(t("feedback.explanation"), reflow(question.explanation.strip())))
    source = _source(question)
    if source is not None:
        parts.append(source)
    return Group(*(Paragraph(p) for p in parts))


class FeedbackPanel(Static):
    """Feedback on one answer (hidden until there is some)."""

    DEFAULT_CSS = """
    FeedbackPanel { height: auto; padding: 0 1; border: round $primary; }
    FeedbackPanel.-correct { border: round $success; }
    FeedbackPanel.-partial { border: round $warning; }
    FeedbackPanel.-wrong { border: round $error; }
    """

    def show(
        self, question: AnyQuestion, result: GradeResult | None, answer: str | None, *, show_answer: bool = True
    ) -> None:
        self.remove_class("-correct", "-partial", "-wrong")
        if result is not None:
            self.add_class(f"-{result.verdict}")
        key_shown = question.type in CHOICE_TYPES
        self.update(feedback_renderable(question, result, answer, show_answer=show_answer, key_shown=key_shown))
        self.display = True
