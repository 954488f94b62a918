"""The input a question's type needs: keys for choices, a text box for free text.

:class:`AnswerPad` composes the right control for the question and posts
:class:`AnswerPad.Submitted` with the answer as text the grader reads
(``"B"``, ``"ACD"``, ``"对"``, or what was typed). It never grades.
"""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Input, Static, TextArea

from quiz.model import LETTERS, AnyQuestion, JudgeQuestion, MultiQuestion, SingleQuestion
from quiz.text import printable
from tui.i18n import t
from tui.keys import bind
from tui.widgets.text import plain
from tui.widgets.wrap import Paragraph

TRUE_KEYS = {"t", "1", "a", "y", "对", "√"}
FALSE_KEYS = {"f", "2", "b", "n", "错", "×"}


def judge_choices() -> list[str]:
    return [t("study.true"), t("study.false")]


class ChoicePad(Widget, can_focus=True):
    """Choices as lines; 1-8 or A-H pick one (单选/判断) or toggle (多选), Enter submits."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor(-1)", show=False),
        Binding("down", "cursor(1)", show=False),
        bind("space", "toggle_cursor", "key.toggle", show=False),
        bind("enter", "submit", "key.submit_answer", show=False),  # the hint under the choices says it
    ]

    DEFAULT_CSS = """
    ChoicePad { height: auto; padding: 0 1; }
    ChoicePad:focus { background: $boost; }
    """

    cursor: reactive[int] = reactive(0)
    selected: reactive[frozenset[int]] = reactive(frozenset())

    class Submitted(Message):
        def __init__(self, answer: str) -> None:
            super().__init__()
            self.answer = answer

    def __init__(self, choices: list[str], *, kind: str, initial: frozenset[int] = frozenset(), locked: bool = False, key_marks: frozenset[int] = frozenset(), id: str | None = None) -> None:
        super().__init__(id=id)
        self.choices = choices
        self.kind = kind  # "single", "multi" or "judge"
        self.locked = locked
        self.key_marks = key_marks  # the right choices, shown after answering or in 背题模式
        self.set_reactive(ChoicePad.selected, initial)
        if initial:
            self.set_reactive(ChoicePad.cursor, min(initial))

    def render(self) -> Table:
        # two columns, so a long choice wraps under its own text, not under the letter
        grid = Table.grid(padding=0)
        grid.add_column(no_wrap=True)
        grid.add_column(ratio=1, overflow="fold")
        for i, c in enumerate(self.choices):
            chosen = i in self.selected
            if self.kind == "multi":
                box = "☑ " if chosen else "☐ "
            else:
                box = "● " if chosen else "○ "
            label = f"{LETTERS[i]}. " if self.kind != "judge" else f"{'TF'[i]}. "
            style = ""
            if i in self.key_marks:
                style = "bold green"
            elif chosen and self.key_marks:
                style = "bold red"
            elif chosen:
                style = "bold"
            # readable without colour too: ✓ the right choice, ✗ a wrong pick (once the key is shown)
            if i in self.key_marks:
                pointer = "✓ "
            elif chosen and self.key_marks:
                pointer = "✗ "
            else:
                pointer = "▸ " if (i == self.cursor and self.has_focus and not self.locked) else "  "
            grid.add_row(Text(pointer + box + label, style=style), Paragraph(plain(c, style=style)))
        return grid

    def answer_text(self) -> str:
        if self.kind == "judge":
            return "对" if 0 in self.selected else "错"
        return "".join(LETTERS[i] for i in sorted(self.selected))

    def _pick(self, i: int) -> None:
        if self.locked or not 0 <= i < len(self.choices):
            return
        self.cursor = i
        if self.kind == "multi":
            self.selected = self.selected ^ {i}
        else:
            self.selected = frozenset({i})
            self.post_message(self.Submitted(self.answer_text()))

    def on_key(self, event: events.Key) -> None:
        if self.locked:
            return
        ch = (event.character or "").lower()
        if not ch or event.key in ("enter", "space", "up", "down", "escape", "tab"):
            return
        index: int | None = None
        if self.kind == "judge":
            if ch in TRUE_KEYS:
                index = 0
            elif ch in FALSE_KEYS:
                index = 1
        elif ch.isdigit() and ch != "0":
            index = int(ch) - 1
        elif ch.upper() in LETTERS:
            index = LETTERS.index(ch.upper())
        if index is not None and index < len(self.choices):
            event.stop()
            event.prevent_default()
            self._pick(index)

    def action_cursor(self, step: int) -> None:
        self.cursor = (self.cursor + step) % len(self.choices)

    def action_toggle_cursor(self) -> None:
        if self.kind == "multi":
            self._pick(self.cursor)

    def action_submit(self) -> None:
        if self.locked:
            return
        if self.kind != "multi" and not self.selected:
            self._pick(self.cursor)
            return
        if not self.selected:
            self.notify(t("study.empty_answer"), severity="warning")
            return
        self.post_message(self.Submitted(self.answer_text()))


class ScenarioArea(TextArea):
    """A text area for a written reply; Ctrl+S submits (Enter starts a new line)."""

    BINDINGS: ClassVar[list[BindingType]] = [bind("ctrl+s", "submit", "key.submit_answer")]

    class Submitted(Message):
        def __init__(self, answer: str) -> None:
            super().__init__()
            self.answer = answer

    def action_submit(self) -> None:
        self.post_message(self.Submitted(self.text))


def _initial_indexes(question: AnyQuestion, answer: str | None) -> frozenset[int]:
    if not answer:
        return frozenset()
    if isinstance(question, JudgeQuestion):
        return frozenset({0}) if answer == "对" else frozenset({1}) if answer == "错" else frozenset()
    return frozenset(LETTERS.index(c) for c in answer.upper() if c in LETTERS[: len(getattr(question, "choices", []))])


def _key_indexes(question: AnyQuestion) -> frozenset[int]:
    if isinstance(question, SingleQuestion):
        return question.right_indexes
    if isinstance(question, MultiQuestion):
        return question.answer_indexes
    if isinstance(question, JudgeQuestion):
        return frozenset({0 if question.answer else 1})
    return frozenset()


class AnswerPad(Vertical):
    """The control for a question's type; posts :class:`AnswerPad.Submitted`."""

    DEFAULT_CSS = """
    AnswerPad { height: auto; }
    AnswerPad .hint { color: $text-muted; padding: 0 1; }
    AnswerPad Input { margin: 0 1; }
    AnswerPad ScenarioArea { height: 7; margin: 0 1; }
    """

    class Submitted(Message):
        def __init__(self, answer: str) -> None:
            super().__init__()
            self.answer = answer

    def __init__(
        self,
        question: AnyQuestion,
        *,
        initial: str | None = None,
        locked: bool = False,
        show_key: bool = False,
        autofocus: bool = False,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.question = question
        self.initial = initial
        self.locked = locked
        self.show_key = show_key
        self.autofocus = autofocus  # take the focus once mounted, so 1-4/A-D or typing work at once

    def on_mount(self) -> None:
        if self.autofocus and not self.locked:
            self.focus_input()

    def compose(self) -> ComposeResult:
        q = self.question
        marks = _key_indexes(q) if self.show_key else frozenset()
        initial = _initial_indexes(q, self.initial)
        if isinstance(q, (SingleQuestion, MultiQuestion)):
            n = len(q.choices)
            yield ChoicePad(list(q.choices), kind=q.type, initial=initial, locked=self.locked, key_marks=marks)
            if not self.locked:
                key = "study.hint.single" if q.type == "single" else "study.hint.multi"
                yield Static(t(key, n=n, last=LETTERS[n - 1]), classes="hint")
        elif isinstance(q, JudgeQuestion):
            yield ChoicePad(judge_choices(), kind="judge", initial=initial, locked=self.locked, key_marks=marks)
            if not self.locked:
                yield Static(t("study.hint.judge"), classes="hint")
        elif q.type == "scenario":
            area = ScenarioArea(printable(self.initial or ""), soft_wrap=True, show_line_numbers=False)
            area.read_only = self.locked
            yield area
            if not self.locked:
                yield Static(t("study.hint.scenario"), classes="hint")
        else:
            yield Input(value=printable(self.initial or "", one_line=True), placeholder=t("study.placeholder"), disabled=self.locked)
            if not self.locked:
                yield Static(t("study.hint.text"), classes="hint")

    def freeze(self, *, show_key: bool = True) -> None:
        """After answering: no more input; the right choices marked (cheaper than a new pad)."""
        self.locked = True
        for pad in self.query(ChoicePad):
            pad.locked = True
            if show_key:
                pad.key_marks = _key_indexes(self.question)
            pad.refresh()
        for box in self.query(Input):
            box.disabled = True
        for area in self.query(ScenarioArea):
            area.read_only = True
            area.styles.height = "auto"
            area.styles.max_height = 5
        for hint in self.query(".hint"):
            hint.display = False

    def focus_input(self) -> None:
        for w in self.query("ChoicePad, Input, ScenarioArea"):
            w.focus(scroll_visible=False)
            return

    @on(ChoicePad.Submitted)
    @on(ScenarioArea.Submitted)
    def _forward(self, event: ChoicePad.Submitted | ScenarioArea.Submitted) -> None:
        event.stop()
        self._submit(event.answer)

    @on(Input.Submitted)
    def _input(self, event: Input.Submitted) -> None:
        event.stop()
        self._submit(event.value)

    def _submit(self, answer: str) -> None:
        if self.locked:
            return
        if not answer.strip():
            self.notify(t("study.empty_answer"), severity="warning")
            return
        self.post_message(self.Submitted(answer.strip()))

    def typed_text(self) -> str:
        """The text in the answer box as typed ("" for choices): what is saved as a draft."""
        for area in self.query(ScenarioArea):
            return area.text
        for box in self.query(Input):
            return box.value
        return ""

    def current_answer(self) -> str:
        """What is entered now, submitted or not (the exam saves it when leaving a question)."""
        for pad in self.query(ChoicePad):
            return pad.answer_text() if pad.selected else ""
        for area in self.query(ScenarioArea):
            return area.text.strip()
        for box in self.query(Input):
            return box.value.strip()
        return ""
