"""The command palette (Ctrl+P) in the learner's language.

Three providers: :class:`MainCommands` (every main action of the app, by its
human name with its key), :class:`ScreenCommands` (the keys of the screen the
palette was opened on, so everything in the footer is also searchable) and
:class:`ThemeCommands` (the themes by their translated names). Textual's own
system commands are replaced by :meth:`tui.app.QuizApp.get_system_commands`, and
:class:`QuizPalette` is Textual's palette with its placeholder and "no matches"
line translated.

A command is found by its name in either language (typing Chinese into a
search box is slower than typing ``stats``), but shown only in the language in use.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any, cast

from rich.align import Align
from rich.text import Text
from textual.command import CommandList, CommandPalette, DiscoveryHit, Hit, Hits, Provider
from textual.widgets.option_list import Option

from tui.i18n import STRINGS, t

if TYPE_CHECKING:
    from tui.app import QuizApp

# (string key, app action, the key that does it: "" when only the palette and menu do)
MAIN_ACTIONS: tuple[tuple[str, str, str], ...] = (
    ("cmd.home", "go_home", "F1"),
    ("cmd.study", "study('smart')", "s"),
    ("cmd.continue", "continue", "c"),
    ("cmd.sequential", "study('sequential')", ""),
    ("cmd.random", "study('random')", ""),
    ("cmd.memorize", "study('browse')", ""),
    ("cmd.exam", "exam", "e"),
    ("cmd.history", "history", ""),
    ("cmd.wrong_book", "wrong_book", "w"),
    ("cmd.bookmarks", "bookmarks", "f"),
    ("cmd.stats", "stats", "t"),
    ("cmd.browse", "browse", "b"),
    ("cmd.reload", "reload", ""),
    ("cmd.settings", "settings", "o"),
    ("cmd.trainer", "trainer", ""),
    ("cmd.language", "toggle_language", ""),
    ("cmd.logout", "logout", ""),
)
HOME_KEYS = {"s", "c", "e", "w", "f", "t", "b", "o"}  # keys that work on the home screen only


def key_help(key: str) -> str:
    """The help line of a palette entry: which key does the same."""
    if not key:
        return ""
    return t("cmd.key_home", key=key) if key in HOME_KEYS else t("cmd.key", key=key)


def _match(matcher: Any, *names: str) -> float:
    return max((matcher.match(n) for n in names if n), default=0.0)


class MainCommands(Provider):
    """Every main action of the app, by its human name; the help line names its key."""

    def _actions(self) -> list[tuple[str, str, str, Callable[[], object]]]:
        app = cast("QuizApp", self.app)
        out: list[tuple[str, str, str, Callable[[], object]]] = []
        access = app.access
        for key, action, keys in MAIN_ACTIONS:
            name = action.partition("(")[0]
            if not access.allows(name) or (name == "logout" and not access.served):
                continue  # a served learner's palette never lists the trainer's tools
            zh, en = STRINGS[key]
            out.append((t(key), f"{zh} {en}", key_help(keys), partial(app.run_action, action)))
        return out

    async def discover(self) -> Hits:
        for title, _, help_text, run in self._actions():
            yield DiscoveryHit(title, run, help=help_text or None)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, both, help_text, run in self._actions():
            score = _match(matcher, title, both)
            if score > 0:
                yield Hit(score, matcher.highlight(title), run, text=title, help=help_text or None)


class ScreenCommands(Provider):
    """The keys of the screen the palette was opened on (what its footer shows, and more)."""

    def _bindings(self) -> list[tuple[str, str, Callable[[], object]]]:
        app = cast("QuizApp", self.app)
        main = {action for _, action, _ in MAIN_ACTIONS} | {"command_palette", "quit", "app.quit"}
        seen: set[str] = set()
        out: list[tuple[str, str, Callable[[], object]]] = []
        for node, binding, enabled, _ in self.screen.active_bindings.values():
            action = binding.action.removeprefix("app.")
            if not enabled or binding.id not in STRINGS or action in main or action in seen:
                continue  # only our own keys (Textual's widgets describe theirs in English), each once
            if not app.access.allows(action.partition("(")[0]):
                continue  # a served learner's palette never lists what they may not do
            seen.add(action)
            keys = app.get_key_display(binding)
            out.append((binding.description, t("cmd.key", key=keys), partial(app.run_action, binding.action, node)))
        return out

    async def discover(self) -> Hits:
        for title, help_text, run in self._bindings():
            yield DiscoveryHit(title, run, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, run in self._bindings():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), run, text=title, help=help_text)


class ThemeCommands(Provider):
    """The themes, by their names in the learner's language."""

    def _themes(self) -> list[tuple[str, str, Callable[[], object]]]:
        from tui.app import THEMES

        app = cast("QuizApp", self.app)
        out: list[tuple[str, str, Callable[[], object]]] = []
        for setting in THEMES:
            zh, en = STRINGS[f"theme.{setting}"]
            out.append((t(f"theme.{setting}"), f"{zh} {en} {THEMES[setting]}", partial(app.use_theme, setting)))
        return out

    async def discover(self) -> Hits:
        for title, _, run in self._themes():
            yield DiscoveryHit(title, run)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, names, run in self._themes():
            score = _match(matcher, title, names)
            if score > 0:
                yield Hit(score, matcher.highlight(title), run, text=title)


class QuizPalette(CommandPalette):
    """Textual's command palette, speaking the learner's language."""

    def __init__(self, providers: Any = None, *, placeholder: str | None = None, id: str | None = None) -> None:
        super().__init__(providers, placeholder=placeholder or t("palette.placeholder"), id=id)

    def _start_no_matches_countdown(self, search_value: str) -> None:
        # Textual's own version adds "No matches found" in English; this is the same with our string.
        self._stop_no_matches_countdown()

        def _show_no_matches() -> None:
            if search_value:
                self.query_one(CommandList).add_option(
                    Option(Align.center(Text(t("palette.no_matches"), style="not bold")), disabled=True, id=self._NO_MATCHES)
                )
                self._list_visible = True
            else:
                self._list_visible = False

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, _show_no_matches)
