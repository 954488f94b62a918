"""A small modal question with buttons, each with its key (Y/N, S/D/Esc ...)."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from tui.widgets.wrap import Paragraph


class AskDialog(ModalScreen[str]):
    """Asks ``title`` (with ``lines`` under it); dismisses with the id of the button chosen.

    ``buttons`` are ``(id, label, key, variant)``; Esc chooses ``cancel`` (the last button's id
    unless one is called ``cancel``). The first button whose variant is ``primary`` has the focus.
    """

    BINDINGS: ClassVar[list[BindingType]] = []

    DEFAULT_CSS = """
    AskDialog { align: center middle; }
    AskDialog > Vertical {
        width: 64; max-width: 95%; height: auto;
        padding: 1 2; border: thick $warning; background: $surface;
    }
    AskDialog .ask-title { text-style: bold; margin-bottom: 1; }
    AskDialog Horizontal { height: auto; margin-top: 1; align-horizontal: center; }
    AskDialog Button { margin: 0 1; min-width: 10; }
    """

    def __init__(self, title: str, lines: list[Text], buttons: list[tuple[str, str, str, str]], *, cancel: str | None = None) -> None:
        super().__init__()
        self.title_text = title
        self.lines = lines
        self.buttons = buttons
        self.cancel = cancel or buttons[-1][0]
        self.keys = {key.lower(): bid for bid, _, key, _ in buttons if len(key) == 1}

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Paragraph(Text(self.title_text)), classes="ask-title")
            for line in self.lines:
                yield Static(Paragraph(line))
            with Horizontal():
                for bid, label, key, variant in self.buttons:
                    shown = f"{label} ({key.upper()})" if len(key) == 1 else f"{label} (Esc)" if key == "escape" else label
                    yield Button(shown, id=f"ask-{bid}", variant=variant)  # type: ignore[arg-type]

    def on_mount(self) -> None:
        primary = next((b for b in self.buttons if b[3] == "primary"), self.buttons[0])
        self.query_one(f"#ask-{primary[0]}", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss((event.button.id or "").removeprefix("ask-") or self.cancel)

    def on_key(self, event: events.Key) -> None:
        if event.key == "escape":
            event.stop()
            self.dismiss(self.cancel)
            return
        chosen = self.keys.get((event.character or "").lower())
        if chosen is not None:
            event.stop()
            self.dismiss(chosen)
