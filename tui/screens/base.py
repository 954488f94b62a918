"""What every screen shares: Esc goes back, the app's services, redraw on reload, and in a
browser (served), keys the browser does not keep."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Generic, TypeVar, cast

from textual import events, on
from textual.binding import BindingsMap, BindingType
from textual.dom import DOMNode
from textual.screen import Screen

from tui.keys import bind, served_bindings
from tui.messages import LibraryRefreshed

if TYPE_CHECKING:
    from quiz.library import Library
    from quiz.store import Store
    from tui.app import QuizApp

R = TypeVar("R")


class BrowserKeys(Screen[R], Generic[R]):
    """A screen whose keys, in a served session, are the ones a browser lets through.

    Every key press, the footer, the key panel and the palette read a screen's binding chain
    (the focused widget, its ancestors, the screen, the app); served, each map in it is
    :func:`tui.keys.served_bindings` of itself: Ctrl+T is F9 there, and so on. At a terminal
    the chain is Textual's own."""

    @property
    def _binding_chain(self) -> list[tuple[DOMNode, BindingsMap]]:
        chain = super()._binding_chain
        access = getattr(self.app, "access", None)
        if access is None or not access.served:
            return chain
        return [(node, served_bindings(bindings)) for node, bindings in chain]


class QuizScreen(BrowserKeys[R], Generic[R]):
    BINDINGS: ClassVar[list[BindingType]] = [bind("escape", "back", "key.back")]

    _resumed = False

    @on(events.ScreenResume)
    def _styled_at_mount(self, event: events.ScreenResume) -> None:
        """A screen's first resume follows its mount, where every widget was just styled: Textual would
        style them all again (a later resume does, for what changed while the screen was covered).
        (Runs before Textual's own handler: handlers run from the subclass up.)"""
        if not self._resumed:
            self._resumed = True
            event.refresh_styles = False

    @property
    def quiz(self) -> QuizApp:
        return cast("QuizApp", self.app)

    @property
    def library(self) -> Library | None:
        return self.quiz.library

    @property
    def store(self) -> Store:
        return self.quiz.store

    def leave(self) -> None:
        """Dismiss this screen from a callback of its own (``call_after_refresh``): a dismiss
        awaited there, as Textual awaits a callback's result, raises ScreenError."""
        self.dismiss()

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 2:
            self.dismiss()

    def save_now(self) -> None:
        """Save at once what this screen keeps as it is typed (a draft answer): the session is about to
        end (served, idle). Nothing to save on most screens."""

    def refresh_view(self) -> None:
        """Redraw from the core (the banks were reloaded or the language changed)."""

    @on(LibraryRefreshed)
    def _library_refreshed(self, _: LibraryRefreshed) -> None:
        self.refresh_view()
