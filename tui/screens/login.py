"""登录: the first screen of a served session (``quiz serve``).

The name and password are checked against the server's database by
:func:`quiz.accounts.authenticate` in a worker (scrypt takes a moment); on success
the app becomes that account's (:meth:`tui.app.QuizApp.login`). A failure says
the same thing for an unknown name, a wrong password and a removed account; a
locked name says how long to wait. The password box is emptied after every try
and its text is never shown, logged or kept.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from rich.text import Text
from textual import on, work
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Button, Footer, Header, Input, Static

from tui.i18n import t
from tui.keys import bind
from tui.messages import LibraryRefreshed
from tui.screens.base import BrowserKeys

if TYPE_CHECKING:
    from quiz.accounts import LoginResult
    from tui.app import QuizApp


class LoginScreen(BrowserKeys[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        bind("f2", "app.toggle_language", "key.language"),
        # a priority binding runs before the app hands the next key to a widget: the password typed
        # right after Enter lands in the password box however slow the server is
        Binding("enter", "enter", show=False, priority=True),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.busy = False
        self.waiting = False
        self.attempts = 0

    @property
    def quiz(self) -> QuizApp:
        return cast("QuizApp", self.app)

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="login-box"):
            yield Static("", id="login-title")
            yield Input(id="login-name", max_length=40)
            yield Input(id="login-password", password=True, max_length=1024)
            yield Button("", variant="primary", id="login-button")
            yield Static("", id="login-message")
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_view()
        self.query_one("#login-name", Input).focus()

    def refresh_view(self) -> None:
        title = Text(t("login.title"), style="bold")
        title.append("\n" + t("login.hint"), style="dim")
        self.query_one("#login-title", Static).update(title)
        self.query_one("#login-name", Input).placeholder = t("login.name")
        self.query_one("#login-password", Input).placeholder = t("login.password")
        self.query_one("#login-button", Button).label = t("login.button")
        self.query_one("#login-box").border_title = t("app.title")

    @on(LibraryRefreshed)
    def _relabel(self, _: LibraryRefreshed) -> None:
        self.refresh_view()

    def _say(self, key: str, *, error: bool = False, **values: object) -> None:
        self.query_one("#login-message", Static).update(Text(t(key, **values), style="bold red" if error else "dim"))

    def action_enter(self) -> None:
        """Enter in the name box moves to the password box at once; elsewhere Enter goes on to the
        focused widget in its turn (after the keys typed before it), and logs in from there."""
        if self.focused is not self.query_one("#login-name", Input):
            raise SkipAction()
        self.set_focus(self.query_one("#login-password", Input))

    @on(Input.Submitted, "#login-password")
    @on(Button.Pressed, "#login-button")
    def _submit(self) -> None:
        if self.busy:
            return
        name_box = self.query_one("#login-name", Input)
        password_box = self.query_one("#login-password", Input)
        name, password = name_box.value.strip(), password_box.value
        if not name or not password:
            password_box.value = ""
            self._say("login.missing", error=True)
            (name_box if not name else password_box).focus()
            return
        if self.quiz._store is None:  # the database is still being opened: log in as soon as it is
            self._say("app.loading")
            if not self.waiting:
                self.waiting = True
                self.set_timer(0.2, self._retry)
            return
        password_box.value = ""
        self.busy = True
        self._say("login.checking")
        self.check(name, password)

    def _retry(self) -> None:
        self.waiting = False
        if self.is_attached and not self.busy:
            self._submit()

    @work(thread=True, exclusive=True, group="login")
    def check(self, name: str, password: str) -> None:
        from quiz.accounts import authenticate

        result = authenticate(self.quiz.store, name, password, now=self.quiz.now())
        del password
        self.app.call_from_thread(self._checked, result)

    def _checked(self, result: LoginResult) -> None:
        self.busy = False
        if not self.is_attached:
            return
        if result.account is not None:
            self.quiz.login(result.account)
            return
        self.attempts += 1
        if result.wait is not None:
            seconds = max(1, round(result.wait.total_seconds()))
            self._say("login.locked", error=True, seconds=seconds)
        else:
            self._say("login.failed", error=True)
        self.query_one("#login-password", Input).focus()
