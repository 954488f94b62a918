"""The command palette's main actions (Ctrl+P), in the learner's language."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider

from tui.i18n import t

if TYPE_CHECKING:
    from tui.app import QuizApp

# (string key, app action name) in the order the palette lists them
MAIN_ACTIONS: tuple[tuple[str, str], ...] = (
    ("cmd.home", "go_home"),
    ("cmd.study", "study('smart')"),
    ("cmd.sequential", "study('sequential')"),
    ("cmd.random", "study('random')"),
    ("cmd.memorize", "study('browse')"),
    ("cmd.exam", "exam"),
    ("cmd.history", "history"),
    ("cmd.wrong_book", "wrong_book"),
    ("cmd.bookmarks", "bookmarks"),
    ("cmd.stats", "stats"),
    ("cmd.browse", "browse"),
    ("cmd.reload", "reload"),
    ("cmd.settings", "settings"),
    ("cmd.trainer", "trainer"),
    ("cmd.language", "toggle_language"),
    ("cmd.logout", "logout"),
)


class MainCommands(Provider):
    """Every main action of the app, searchable by its name in either language."""

    def _actions(self) -> list[tuple[str, str, Callable[[], object]]]:
        app = cast("QuizApp", self.app)
        out: list[tuple[str, str, Callable[[], object]]] = []
        access = app.access
        for key, action in MAIN_ACTIONS:
            name = action.partition("(")[0]
            if not access.allows(name) or (name == "logout" and not access.served):
                continue  # a served learner's palette never lists the trainer's tools
            out.append((t(key), action, partial(app.run_action, action)))
        return out

    async def discover(self) -> Hits:
        for title, action, run in self._actions():
            yield DiscoveryHit(title, run, help=action)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, action, run in self._actions():
            score = max(matcher.match(title), matcher.match(action))
            if score > 0:
                yield Hit(score, matcher.highlight(title), run, text=title, help=action)
