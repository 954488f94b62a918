"""The exam countdown; the exam screen feeds it the time left from the core."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static

from tui.i18n import t
from tui.widgets.text import duration

WARN_SECONDS = 300
URGENT_SECONDS = 60


class Countdown(Static):
    """``剩余 mm:ss``, yellow under five minutes and red under one."""

    DEFAULT_CSS = """
    Countdown { width: auto; text-style: bold; }
    """

    seconds_left: reactive[float] = reactive(0.0)

    def render(self) -> Text:
        s = self.seconds_left
        style = "bold red" if s <= URGENT_SECONDS else "bold yellow" if s <= WARN_SECONDS else "bold"
        return Text("⏱ " + t("exam.time_left", time=duration(s)), style=style)
