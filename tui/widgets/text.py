"""Text measured in terminal cells (a Chinese character is two cells wide), and bank or
learner text made safe to show.

Bank and learner text is data, never markup and never a terminal control: every place
the UI shows it goes through :func:`plain` (a ``Text``, which no widget reads as markup,
with every unsafe character shown as an escape: :func:`quiz.text.printable`), or through
:func:`fit`/:func:`clip`, which make it printable too. A ``str`` handed to a Static,
an Option, a Tree label, a DataTable cell or a Select option would be read as markup:
``[/规则]`` crashes it and ``[@click=...]`` makes a link that runs an action.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from rich.cells import cell_len, set_cell_size
from rich.text import Text
from textual.content import Content
from textual.css.styles import RulesMap
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual

from quiz.text import printable


def plain(text: str, style: str = "") -> Text:
    """Bank or learner text to show as it is: never markup, never a terminal control."""
    return Text(printable(text), style=style)


class Fitted(Visual):
    """One line laid out for the width it is drawn at: ``line(width)`` makes it when the width changes.
    An option list's row built this way is right in the first frame, before any widget has a size, and
    after a resize, without the screen building it again. Drawn as Textual draws a ``Text`` (as
    :class:`~textual.content.Content`); always one line high, so measuring it draws nothing."""

    def __init__(self, line: Callable[[int], Text]) -> None:
        self._line = line
        self._width = -1
        self._content: Content | None = None

    def content(self, width: int) -> Content:
        if self._content is None or width != self._width:
            text = self._line(width)
            text.truncate(width, overflow="crop")
            self._content, self._width = Content.from_rich_text(text), width
        return self._content

    def render_strips(self, width: int, height: int | None, style: Style, options: RenderOptions) -> list[Strip]:
        return self.content(width).render_strips(width, height, style, options)

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return container_width

    def get_height(self, rules: RulesMap, width: int) -> int:
        return 1


def fit(text: str, width: int) -> str:
    """``text`` cut (with an ellipsis) or padded to exactly ``width`` cells (printable, one line)."""
    text = " ".join(printable(text).split())
    if width <= 0:
        return ""
    if cell_len(text) <= width:
        return text + " " * (width - cell_len(text))
    return set_cell_size(text, width - 1) + "…"


def clip(text: str, width: int) -> str:
    """``text`` on one line, cut with an ellipsis to at most ``width`` cells (not padded; printable)."""
    text = " ".join(printable(text).split())
    if cell_len(text) <= width:
        return text
    return set_cell_size(text, max(0, width - 1)).rstrip() + "…"


def bar(fraction: float, width: int) -> str:
    """A horizontal bar of ``width`` cells filled to ``fraction`` (eighth-cell precision)."""
    fraction = min(1.0, max(0.0, fraction))
    eighths = round(fraction * width * 8)
    full, part = divmod(eighths, 8)
    partial = " ▏▎▍▌▋▊▉"[part] if part else ""
    out = "█" * full + partial
    return out + " " * (width - cell_len(out))


def meter(fraction: float, width: int, style: str = "green") -> Text:
    """A bar on a dim track: how full something is, readable without colour too."""
    filled = bar(fraction, width).rstrip()
    out = Text(filled, style=style)
    out.append("░" * (width - cell_len(filled)), style="dim")
    return out


def duration(seconds: float) -> str:
    """``mm:ss`` (or ``h:mm:ss``) for a countdown or time used."""
    s = max(0, int(seconds))
    h, rest = divmod(s, 3600)
    m, sec = divmod(rest, 60)
    return f"{h}:{m:02d}:{sec:02d}" if h else f"{m:02d}:{sec:02d}"


def relative(when: datetime, now: datetime) -> str:
    """When something comes due, as a learner reads it: 现在, 10 分钟后, 明天, 3 天后."""
    from tui.i18n import t

    seconds = (when - now).total_seconds()
    if seconds <= 60:
        return t("common.now")
    if seconds < 3600:
        return t("common.in_minutes", minutes=round(seconds / 60))
    if seconds < 86400:
        return t("common.in_hours", hours=round(seconds / 3600))
    days = round(seconds / 86400)
    return t("common.tomorrow") if days == 1 else t("common.in_days", days=days)
