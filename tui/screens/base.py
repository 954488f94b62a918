"""What every screen shares: Esc goes back, the app's services, redraw on reload."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Generic, TypeVar, cast

from textual import on
from textual.binding import BindingType
from textual.screen import Screen

from tui.keys import bind
from tui.messages import LibraryRefreshed

if TYPE_CHECKING:
    from quiz.library import Library
    from quiz.store import Store
    from tui.app import QuizApp

R = TypeVar("R")


class QuizScreen(Screen[R], Generic[R]):
    BINDINGS: ClassVar[list[BindingType]] = [bind("escape", "back", "key.back")]

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

    def refresh_view(self) -> None:
        """Redraw from the core (the banks were reloaded or the language changed)."""

    @on(LibraryRefreshed)
    def _library_refreshed(self, _: LibraryRefreshed) -> None:
        self.refresh_view()
