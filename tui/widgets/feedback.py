"""What the learner sees after answering: verdict, score, key points, explanation."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.text import Text
from textual.widgets import Static

from quiz.grading.result import GradeResult
from quiz.model import LETTERS, AnyQuestion
from quiz.text import printable
from tui.i18n import colon, t
from tui.widgets.text import plain

FREE_TEXT = ("short", "scenario")
VERDICT_STYLE = {"correct": "bold green", "partial": "bold yellow", "wrong": "bold red"}
VERDICT_MARK = {"correct": "✓", "partial": "◐", "wrong": "✗"}


def _line(label: str, value: str, style: str = "") -> Text:
    out = Text()
    out.append(f"{label}{colon()}", style="bold")
    out.append(printable(value), style=style)
    return out


def answer_display(question: AnyQuestion, answer: str) -> str:
    """The learner's answer as they read it: a choice letter with its text."""
    if question.type in ("single", "multi"):
        picked = [LETTERS.index(c) for c in answer.upper() if c in LETTERS[: len(question.choices)]]
        if picked and len(picked) == len([c for c in answer if not c.isspace() and c not in ",，、"]):
            return "；".join(f"{LETTERS[i]}. {question.choices[i]}" for i in picked)
    return answer


def feedback_renderable(question: AnyQuestion, result: GradeResult | None, answer: str | None) -> RenderableType:
    """The feedback for ``answer``; with no result (背题模式) only the answer and explanation."""
    parts: list[RenderableType] = []
    if result is not None:
        head = Text()
        head.append(f"{VERDICT_MARK[result.verdict]} {t('verdict.' + result.verdict)}", style=VERDICT_STYLE[result.verdict])
        head.append(f"   {t('feedback.score', score=round(result.score * 100))}")
        parts.append(head)
        # the grader's feedback, unless it only says the verdict again ("回答正确。")
        if result.feedback and result.feedback.rstrip("。.") != t("verdict." + result.verdict):
            parts.append(plain(result.feedback, style="italic"))
        if answer is not None:
            parts.append(_line(t("feedback.your_answer"), answer_display(question, answer)))
    expected = result.expected if result is not None and result.expected else question.expected_text()
    parts.append(_line(t("feedback.expected"), expected, "green"))
    if result is not None:
        if result.nearest and result.nearest != expected and question.type in FREE_TEXT:
            parts.append(_line(t("feedback.nearest"), result.nearest))
        if result.found:
            parts.append(_line(t("feedback.found"), "、".join(result.found), "green"))
        if result.missed:
            parts.append(_line(t("feedback.missed"), "、".join(result.missed), "yellow"))
        if result.violations:
            parts.append(_line(t("feedback.violations"), "、".join(result.violations), "red"))
    if question.explanation:
        parts.append(_line(t("feedback.explanation"), question.explanation.strip()))
    if question.source:
        parts.append(_line(t("feedback.source"), question.source.strip(), "dim"))
    return Group(*parts)


class FeedbackPanel(Static):
    """Feedback on one answer (hidden until there is some)."""

    DEFAULT_CSS = """
    FeedbackPanel { height: auto; padding: 0 1; border: round $primary; }
    FeedbackPanel.-correct { border: round $success; }
    FeedbackPanel.-partial { border: round $warning; }
    FeedbackPanel.-wrong { border: round $error; }
    """

    def show(self, question: AnyQuestion, result: GradeResult | None, answer: str | None) -> None:
        self.remove_class("-correct", "-partial", "-wrong")
        if result is not None:
            self.add_class(f"-{result.verdict}")
        self.update(feedback_renderable(question, result, answer))
        self.display = True
