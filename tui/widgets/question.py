"""A question's header (type, topic) and prompt."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from quiz.model import AnyQuestion
from quiz.text import printable, reflow
from tui.i18n import t
from tui.widgets.wrap import Paragraph


def question_text(question: AnyQuestion, *, number: str = "") -> Text:
    out = Text()
    out.append(f" {t('type.' + question.type)} ", style="bold reverse")
    if question.topic:
        out.append(f"  {printable(question.topic)}", style="italic")
    if number:
        out.append(f"  {number}", style="dim")
    out.append("\n\n")
    out.append(printable(reflow(question.prompt.strip())), style="bold")
    return out


class QuestionView(Static):
    """The prompt of one question with its type and topic."""

    DEFAULT_CSS = """
    QuestionView { padding: 0 1 1 1; height: auto; }
    """

    def __init__(self, question: AnyQuestion, *, number: str = "", id: str | None = None) -> None:
        super().__init__(Paragraph(question_text(question, number=number)), id=id)
        self.question = question
