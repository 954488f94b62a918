"""The footer: the screen's keys, every one whole, at any width.

Textual's :class:`~textual.widgets.Footer` lays its keys in a row and lets the
row run off the right edge, so at 80 columns the last key is cut (``^p 命``).
:class:`QuizFooter` is compact below 100 columns (:data:`tui.layout.WIDE`) and leaves out, from the end,
the keys that do not fit whole; the command palette key (Ctrl+P, always shown
on the right) lists every key the footer left out. Screens order their
bindings most useful first.
"""

from __future__ import annotations

from typing import Any

from rich.cells import cell_len
from textual import events
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from tui.layout import is_narrow


def key_width(key: FooterKey, compact: bool) -> int:
    """Cells a footer key takes (Textual's FooterKey: padding and margin as in its CSS)."""
    text = cell_len(key.key_display)
    if key.description:
        text += 1 + cell_len(key.description)
    if "-command-palette" in key.classes:
        return text + 1 + 1 + (0 if compact else 2)  # the left border, the right padding
    return text + (1 if compact else 3)


class QuizFooter(Footer):
    """A footer whose keys always show whole (see the module docstring)."""

    def __init__(self) -> None:
        super().__init__(compact=False)
        self._width = 0
        self._recompose_due = False

    def compose(self) -> ComposeResult:
        width = self.app.size.width
        widgets: list[Widget] = list(super().compose())
        palette: list[Widget] = [w for w in widgets if isinstance(w, FooterKey) and "-command-palette" in w.classes]
        keys = [w for w in widgets if w not in palette]
        # Esc (back) is known to everyone: it goes last, after the keys this screen is about
        keys.sort(key=lambda w: isinstance(w, FooterKey) and w.key == "escape")

        def need(ws: list[Widget], compact: bool) -> int:
            return sum(key_width(w, compact) for w in ws if isinstance(w, FooterKey))

        # roomy when every key fits that way (and the terminal is wide), else compact
        compact = is_narrow(width) or need(keys + palette, False) > width
        if self.compact != compact:
            self.set_reactive(Footer.compact, compact)
            self.set_class(compact, "-compact")
        room = width - need(palette, compact)
        shown: list[Widget] = []
        used = 0
        for w in keys:
            n = key_width(w, compact) if isinstance(w, FooterKey) else 0
            if used + n > room:
                break
            shown.append(w)
            used += n
        for w in shown + palette:
            if isinstance(w, FooterKey):
                # What setting ``compact`` does, without its watcher restyling a key that is not mounted
                # yet (its styles are worked out when it mounts; reading or setting the reactive runs the
                # watcher twice, default then value): that cost a third of the home screen's first paint.
                w.set_reactive(FooterKey.compact, compact)
                w.set_class(compact, "-compact", update=False)
        self._width = width
        yield from shown
        yield from palette

    def bindings_changed(self, screen: Screen[Any]) -> None:
        """As Textual's Footer does, but one recompose for a burst of changes (a screen that mounts
        changes its bindings several times before its first frames: each recompose rebuilt every key)."""
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen:
            self._recompose_soon()

    def _recompose_soon(self) -> None:
        """Recompose after the next refresh, unless one is already due (it reads the bindings when it runs)."""
        if not self._recompose_due:
            self._recompose_due = True
            self.call_after_refresh(self._recompose_now)

    async def _recompose_now(self) -> None:
        self._recompose_due = False
        await self.recompose()

    def on_resize(self, event: events.Resize) -> None:
        if self._bindings_ready and self.app.size.width != self._width:
            self._recompose_soon()
