"""答题卡: every question of a paper as a numbered cell: answered, unanswered, flagged."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from quiz.text import printable
from tui.i18n import t
from tui.keys import bind
from tui.widgets.wrap import wrap_text

CELL = 4  # cells per number: "■12 " fits numbers up to 999 with the mark


@dataclass(frozen=True)
class SheetCell:
    position: int
    section: int
    answered: bool
    flagged: bool


class AnswerSheet(Widget, can_focus=True):
    """A grid of question numbers; arrows move, Enter (or a click) jumps to one."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left", "move(-1)", show=False),
        Binding("right", "move(1)", show=False),
        Binding("up", "move_row(-1)", show=False),
        Binding("down", "move_row(1)", show=False),
        bind("enter", "jump", "key.review", show=False),
    ]

    DEFAULT_CSS = """
    AnswerSheet { height: auto; padding: 0 1; }
    AnswerSheet:focus { background: $boost; }
    """

    cursor: reactive[int] = reactive(0)
    current: reactive[int] = reactive(0)

    class Jump(Message):
        def __init__(self, position: int) -> None:
            super().__init__()
            self.position = position

    def __init__(self, cells: list[SheetCell], sections: list[str], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.cells = cells
        self.sections = sections
        self._rows: list[tuple[int, list[int]]] = []  # (y line, positions) for clicks

    def update_cells(self, cells: list[SheetCell], current: int) -> None:
        self.cells = cells
        self.current = current
        self.refresh(layout=True)

    @property
    def per_row(self) -> int:
        width = self.size.width - 2 if self.size.width else 32
        return max(1, width // CELL)

    def _layout(self) -> list[tuple[str | None, list[SheetCell]]]:
        """(section title or None, cells) rows."""
        rows: list[tuple[str | None, list[SheetCell]]] = []
        section = -1
        for c in self.cells:
            if c.section != section:
                section = c.section
                rows.append((self.sections[section] if section < len(self.sections) else "", []))
            if not rows[-1][1] or len(rows[-1][1]) >= self.per_row:
                if rows[-1][1]:
                    rows.append((None, []))
            rows[-1][1].append(c)
        return rows

    def render(self) -> Text:
        out = Text()
        self._rows = []
        y = 0
        for title, cells in self._layout():
            if title is not None:
                out.append(printable(title, one_line=True) + "\n", style="dim")
                y += 1
            self._rows.append((y, [c.position for c in cells]))
            for c in cells:
                mark = "⚑" if c.flagged else ("■" if c.answered else "□")
                style = "yellow" if c.flagged else ("green" if c.answered else "")
                if c.position == self.current:
                    style += " reverse"
                if c.position == self.cursor and self.has_focus:
                    style += " underline bold"
                out.append(f"{mark}{c.position + 1:<{CELL - 1}}", style=style.strip())
            out.append("\n")
            y += 1
        legend = wrap_text(Text(t("exam.legend"), style="dim"), max(8, (self.size.width or 34) - 2))
        out.append_text(Text("\n").join(legend))
        return out

    def get_content_height(self, container: object, viewport: object, width: int) -> int:
        return len(self.render().plain.splitlines())

    def watch_current(self, value: int) -> None:
        self.cursor = value

    def action_move(self, step: int) -> None:
        if self.cells:
            self.cursor = (self.cursor + step) % len(self.cells)

    def action_move_row(self, step: int) -> None:
        if self.cells:
            self.cursor = min(len(self.cells) - 1, max(0, self.cursor + step * self.per_row))

    def action_jump(self) -> None:
        self.post_message(self.Jump(self.cursor))

    def on_click(self, event: events.Click) -> None:
        for y, positions in self._rows:
            if event.y == y:
                i = (event.x - 1) // CELL
                if 0 <= i < len(positions):
                    self.cursor = positions[i]
                    self.post_message(self.Jump(positions[i]))
                return
