"""The Textual app: built by :func:`make_app` with its services injected.

``quiz`` (``cli_home``), ``quiz study`` (``cli_study``) and ``quiz exam``
(``cli_exam``) build a :class:`Context`, open the progress store (so that a bad
``--db`` is a one-line error before the UI starts) and run the app. Tests call
:func:`make_app` with a temporary database, a small bank folder and a fixed
clock. The banks are loaded by a worker thread so the home screen paints at once.

The app holds no business rules: screens ask the core (sessions, exams, stats)
what to show and forward what the learner does.
"""

from __future__ import annotations

import argparse
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, ClassVar, Literal, cast

from textual import events, on, work
from textual.app import App, SystemCommand
from textual.binding import BindingType
from textual.notifications import SeverityLevel
from textual.screen import Screen

from quiz.access import Access
from quiz.context import Context
from quiz.dbfile import check_db_path
from quiz.errors import UserError
from quiz.text import UNSAFE_RE, printable, strip_unsafe
from tui import i18n
from tui.commands import MainCommands, QuizPalette, ScreenCommands, ThemeCommands
from tui.i18n import t
from tui.keys import bind, localize_all
from tui.layout import TALL, WIDE
from tui.messages import LibraryRefreshed

if TYPE_CHECKING:
    from textual.widgets import Input, TextArea

    from quiz.accounts import Account
    from quiz.grading.result import GradeResult
    from quiz.home import Prefetched
    from quiz.library import Library
    from quiz.loader import Problem
    from quiz.model import AnyQuestion
    from quiz.store import Settings, Store

Clock = Callable[[], datetime]
"""The app's clock: returns a timezone-aware now (tests pass a fixed or movable one)."""


def utc_now() -> datetime:
    return datetime.now(UTC)


IDLE_CHECK_SECONDS = 15.0
"""Served: how often an idle session is looked at (more often when the idle time is shorter)."""
IDLE_WARNING_SECONDS = 60.0
"""Served: how long before an idle session ends it says so."""
PREFETCH_WAIT = 0.3
"""How long ``quiz`` waits, once the UI is imported, for the home screen's numbers (quiz.home)."""
PREFETCH_LATE_WAIT = 5.0
"""How long the services worker waits for a child still working them out (it would do the same work)."""


@dataclass(frozen=True)
class Start:
    """Which screen the app opens on once the banks are loaded."""

    screen: Literal["home", "study", "exam"] = "home"
    mode: str = "smart"
    topic: str | None = None
    bank: str | None = None
    exam_id: str | None = None


def grade_in_ui_language(question: AnyQuestion, answer: str) -> GradeResult:
    """The grader the screens hand to sessions and exams: feedback in the language on screen."""
    from quiz.grading import grade

    return grade(question, answer, lang=i18n.language())


class QuizApp(App[int]):
    CSS_PATH = "app.tcss"
    TITLE = "掌柜学堂"
    COMMANDS = App.COMMANDS | {MainCommands, ScreenCommands}
    # Screens get a -narrow class below WIDE columns and -short below TALL rows (tui.layout; app.tcss lays them out for 80x24).
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (WIDE, "-wide")]  # noqa: RUF012 (Textual's own ClassVar)
    VERTICAL_BREAKPOINTS = [(0, "-short"), (TALL, "-tall")]  # noqa: RUF012
    BINDINGS: ClassVar[list[BindingType]] = [
        bind("ctrl+q", "quit", "key.quit", priority=True, show=False),
        bind("f1", "go_home", "key.home", show=False),
        bind("ctrl+p", "command_palette", "key.palette", show=False, priority=True),
    ]

    def __init__(
        self,
        ctx: Context,
        *,
        clock: Clock,
        store: Store | None = None,
        library: Library | None = None,
        problems: list[Problem] | None = None,
        start: Start | None = None,
        language: str | None = None,
        served: bool = False,
        account: Account | None = None,
        idle_minutes: float = 0.0,
        prefetched: Prefetched | None = None,
    ) -> None:
        super().__init__()
        self.ctx = ctx
        # the home screen's numbers and the learner's theme, worked out before the app started (quiz.home)
        self.prefetched = prefetched
        self.clock = clock
        self._store = store
        self.access = Access(served=served, account=account)
        # served: the learner is whoever logged in (nobody until then); at a terminal, the --profile
        self.profile = account.name if account is not None else "" if served else ctx.profile
        if served:
            ctx.profile = self.profile
        self._settings: Settings | None = None
        self.language_override = language
        self.fatal: str | None = None
        self.library: Library | None = library
        self.problems: list[Problem] = list(problems or [])
        self.start = start or Start()
        self.title = t("app.title")
        self.sub_title = self._sub_title()
        self._started = False
        # served: the session ends after this long without a key or a click (None: never)
        self.idle_seconds: float | None = idle_minutes * 60 if served and idle_minutes > 0 else None
        self.idle_ended = False
        self._last_input = time.monotonic()
        self._idle_warned = False

    # -- time ---------------------------------------------------------------
    def now(self) -> datetime:
        return self.clock()

    # -- Textual's own commands and notices, in the learner's language ------------
    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Only what makes sense here, translated (Textual's key panel and screenshots speak English; a
        screenshot would also be saved on the server in a served session)."""
        yield SystemCommand(t("cmd.theme"), t("cmd.theme_help"), self.action_change_theme)
        if not self.served:  # in a browser one leaves by logging out (the palette's own 退出登录) or closing the tab
            yield SystemCommand(t("cmd.quit"), t("cmd.key", key="^q"), self.action_quit)

    def action_command_palette(self) -> None:
        if self.use_command_palette and not QuizPalette.is_open(cast("App[object]", self)):
            self.push_screen(QuizPalette(id="--command-palette"))

    def action_change_theme(self) -> None:
        self.push_screen(QuizPalette(providers=[ThemeCommands], placeholder=t("palette.theme")))

    def action_help_quit(self) -> None:
        """Ctrl+C does not quit (it copies in a text box): say how to quit, in the learner's language
        (in a browser, how to log out: Ctrl+Q would close the browser itself on some systems)."""
        if self.served:
            self.notify(t("app.logout_hint"), title=t("app.quit_title"))
        else:
            self.notify(t("app.quit_hint", key="Ctrl+Q"), title=t("app.quit_title"))

    def use_theme(self, setting: str) -> None:
        """Switch to a theme (a key of :data:`THEMES`) and remember it."""
        if self._settings is None:
            self.theme = theme_name(setting)
            return
        self.save_settings(replace(self.settings, theme=setting))

    def notify(self, message: str, *, title: str = "", severity: SeverityLevel = "information",
               timeout: float | None = None, markup: bool = True) -> None:
        """A toast, always as plain text: messages carry bank and learner text (a topic, an exam's
        section title, an error naming either), which must never be read as markup."""
        super().notify(printable(message), title=printable(title), severity=severity, timeout=timeout, markup=False)

    # -- services ---------------------------------------------------------------
    @property
    def store(self) -> Store:
        """The progress store (open once :attr:`ready`)."""
        if self._store is None:
            raise RuntimeError("the progress store is not open yet")
        return self._store

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            from quiz.store import Settings

            return Settings()
        return self._settings

    @property
    def ready(self) -> bool:
        """The store is open and the banks are loaded."""
        return self._store is not None and self._settings is not None and self.library is not None

    @property
    def served(self) -> bool:
        """Running for a browser (``quiz serve``): accounts, roles and refusals apply."""
        return self.access.served

    @property
    def logged_in(self) -> bool:
        """Someone's progress is on the screen: a served session after login, or the terminal app."""
        return not self.served or self.access.logged_in

    # -- start-up -------------------------------------------------------------
    def on_mount(self) -> None:
        """Paint the first screen at once (home, or the login screen when served and nobody
        has logged in); open the store and load the banks off the UI thread, started now rather
        than after the first frame: the numbers are what the learner came for, and the worker's
        file and database reads overlap the first frames' layout instead of waiting for them
        (unless home's numbers were worked out already: see below)."""
        from tui.screens.home import HomeScreen
        from tui.screens.login import LoginScreen

        first = self.prefetched
        if first is not None and self.logged_in:
            # home's numbers were worked out while the app started (quiz.home): the home screen, complete,
            # is pushed once the app has started (what Textual lays out and draws inside its start-up
            # batch is never shown: the whole screen would be drawn twice), and it starts the services
            # once its first frame is out (loading the banks would take the CPU from drawing it)
            self.theme = theme_name(first.theme)
            self.call_later(self.push_screen, HomeScreen(first.view))
        else:
            self.push_screen(HomeScreen() if self.logged_in else LoginScreen())
            self.open_services()
        if self.idle_seconds is not None:
            self.set_interval(min(IDLE_CHECK_SECONDS, self.idle_seconds / 4), self._check_idle)

    # -- idle sessions (served) -------------------------------------------------------
    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key | events.MouseDown | events.MouseScrollDown | events.MouseScrollUp
                      | events.Paste):
            self._last_input = time.monotonic()
            self._idle_warned = False
        await super().on_event(event)

    def _check_idle(self) -> None:
        """Served: warn a minute before an idle session ends, and end it when the time is up."""
        if self.idle_seconds is None or self.idle_ended:
            return
        idle = time.monotonic() - self._last_input
        if idle >= self.idle_seconds:
            self.end_idle()
        elif idle >= self.idle_seconds - IDLE_WARNING_SECONDS and self.idle_seconds > 2 * IDLE_WARNING_SECONDS:
            if not self._idle_warned:
                self._idle_warned = True
                self.notify(t("app.idle_warning"), severity="warning", timeout=IDLE_WARNING_SECONDS)

    def end_idle(self) -> None:
        """End the idle session as a killed one ends, less the last half second: every screen first
        saves what it has not saved yet (the draft answer typed in study or an exam); a running exam
        goes on by the wall clock, a study session stays interrupted. Logging in again resumes both
        (home's ``c``)."""
        self.idle_ended = True
        for screen in reversed(self.screen_stack):
            save = getattr(screen, "save_now", None)
            if callable(save):
                try:
                    save()
                except UserError:  # not saved (locked, full): what the last draft save kept stays
                    pass
        self.exit(0)

    @work(thread=True, exclusive=True, group="services")
    def open_services(self) -> None:
        """Open the progress store, read the learner's settings and load the banks.

        In order, so the home screen fills in as early as it can: the store and the settings
        (language, theme), then the numbers from the light index of the banks (:mod:`quiz.index`,
        no pydantic), then the banks themselves, then, with the screen complete, the grader's
        tables are loaded so that the first answer is graded at once.
        """
        try:
            store = self._store
            if store is None:
                from quiz.store import Store

                store = Store.open(self.ctx.db_path)
            if self.logged_in:
                store.ensure_profile(self.profile, self.clock())
                settings = store.get_settings(self.profile)
            else:
                from quiz.store import Settings

                settings = Settings()
            self.call_from_thread(self._store_ready, store, settings)
            library, problems = self.library, self.problems
            if library is None:
                self._preview()
                library, problems = self.ctx.load_library()
            if self.logged_in:
                _check_changed(store, library, self.profile)
        except UserError as e:
            self.call_from_thread(self._fail, str(e))
            return
        self.call_from_thread(self._library_ready, library, problems)
        _warm_up(library)

    def _fail(self, message: str) -> None:
        """A database or bank folder the app cannot use: leave with the one-line message."""
        self.fatal = message
        self.exit(2, return_code=2)

    def _store_ready(self, store: Store, settings: Settings) -> None:
        self._store = store
        lang = self.language_override or settings.language
        if ("en" if lang == "en" else "zh") == i18n.language():
            # the screen already speaks it (make_app set it): translating every binding again and
            # redrawing the screens would only delay the first numbers
            self._settings = settings
            self.theme = theme_name(settings.theme)
            return
        self.apply_settings(settings, language=self.language_override)

    def _preview(self) -> None:
        """In the services worker: the home screen's numbers from the index of the banks, before the
        banks load (here, not in a worker of its own, so that loading them waits for it)."""
        from tui.screens.home import HomeScreen

        home = next((s for s in self.screen_stack if isinstance(s, HomeScreen)), None)
        if home is None or home.data is not None:
            return  # no home, or its numbers are already there (worked out before the app started)
        late = self.ctx.home_prefetch.result(PREFETCH_LATE_WAIT) if self.ctx.home_prefetch is not None else None
        if late is not None and self.logged_in:  # the child, still working when the app started, is done
            data = late.view
        else:
            quick = self.ctx.quick_library()
            if quick is None:
                return
            from quiz.home import home_view

            data = home_view(self.store, quick, self.profile, self.clock(), preview=True)
        painted = threading.Event()

        def show() -> None:
            home.show_preview(data)
            self.call_after_refresh(painted.set)

        self.call_from_thread(show)
        painted.wait(0.5)  # let the numbers reach the screen before loading the banks takes the CPU

    @work(thread=True, exclusive=True, group="library")
    def load_library(self) -> None:
        """Load (or reload) every bank and exam off the UI thread."""
        try:
            lib, problems = self.ctx.load_library()
            if self._store is not None:
                _check_changed(self._store, lib, self.profile)
        except (UserError, OSError) as e:  # a folder that vanished, permissions: shown, never a crash
            self.call_from_thread(self.notify, t("app.error", message=str(e)), severity="error")
            return
        self.call_from_thread(self._library_ready, lib, problems)

    def _library_ready(self, library: Library, problems: list[Problem]) -> None:
        """The banks are loaded (and the learner's changed questions flagged, by the worker)."""
        self.library = library
        self.problems = list(problems)
        for screen in self.screen_stack:
            screen.post_message(LibraryRefreshed())
        if problems:
            self.notify(t("app.load_problems", count=len(problems)), severity="warning", timeout=6)
        if not self._started and self.logged_in:
            self._started = True
            self._open_start()

    def on_library_changed(self) -> None:
        """Let the core flag the learner's questions that changed in their banks (never a crash)."""
        from quiz.session import check_changed_questions

        if self.library is not None and self._store is not None and self.logged_in:
            try:
                check_changed_questions(self._store, self.library, self.profile)
            except UserError as e:  # the database is locked or read-only: flagged next time
                self.notify(t("app.save_failed_retry", message=str(e)), severity="warning", timeout=6)

    # -- settings, language and profiles ----------------------------------------
    def apply_settings(self, settings: Settings, *, language: str | None = None) -> None:
        """Use the learner's settings: language and theme take effect at once."""
        self._settings = settings
        self._use_language(language or settings.language)
        self.theme = theme_name(settings.theme)

    def _use_language(self, lang: str) -> None:
        i18n.set_language(lang)
        localize_all(self if self.is_running else None)
        self.title = t("app.title")
        self.sub_title = self._sub_title()
        if self.is_running:
            for screen in self.screen_stack:
                screen.post_message(LibraryRefreshed())

    def _sub_title(self) -> str:
        account = self.access.account
        if account is None:
            return t("app.subtitle")
        return t("login.signed_in_trainer" if account.is_trainer else "login.signed_in", name=account.name)

    def save_settings(self, settings: Settings) -> None:
        """Store the settings (UserError from the core for a bad value) and apply them."""
        if not self.logged_in:  # the login screen's language switch: nobody's settings to store
            self.apply_settings(settings)
            return
        self.store.save_settings(self.profile, settings)
        self.apply_settings(settings)

    def set_language(self, lang: str) -> None:
        """Switch the UI language now and remember it in the learner's settings."""
        self.save_settings(replace(self.settings, language="en" if lang == "en" else "zh"))

    def action_toggle_language(self) -> None:
        self.set_language("en" if i18n.language() == "zh" else "zh")

    def switch_profile(self, profile: str) -> None:
        """Study as another learner (created when new); every screen shows that learner.
        UserError (StoreError) when the profile cannot be stored. Only at the server's terminal:
        a served session is its account's learner and no one else."""
        if not self.allowed("switch_profile"):
            return
        self.store.ensure_profile(profile, self.now())
        self.profile = profile
        self.ctx.profile = profile
        self.apply_settings(self.store.get_settings(profile))
        self.on_library_changed()
        for screen in self.screen_stack:
            screen.post_message(LibraryRefreshed())

    # -- accounts (served) ---------------------------------------------------------
    def login(self, account: Account) -> None:
        """``account`` logged in (checked by the login screen against the database): it is the
        learner from now on; its settings apply and its home replaces the login screen."""
        from tui.screens.home import HomeScreen

        self.access = Access(served=self.served, account=account)
        self.profile = account.name
        self.ctx.profile = account.name
        store = self.store
        store.ensure_profile(account.name, self.now())
        self.apply_settings(store.get_settings(account.name), language=self.language_override)
        self.on_library_changed()
        while len(self.screen_stack) > 2:  # e.g. the command palette, opened while the password was checked
            self.pop_screen()
        self.switch_screen(HomeScreen())
        self.sub_title = self._sub_title()

    def action_logout(self) -> None:
        """Leave the account: every screen of it closes and the login screen comes back."""
        if not self.served or not self.access.logged_in:
            return
        from tui.screens.login import LoginScreen

        self.access = Access(served=True)
        self.profile = ""
        self.ctx.profile = ""
        while len(self.screen_stack) > 2:
            self.pop_screen()
        self.switch_screen(LoginScreen())
        self.sub_title = self._sub_title()

    # -- what may run ---------------------------------------------------------------
    def exam_running(self) -> bool:
        """One of the learner's mock exams is running (served learners may not see answers meanwhile)."""
        if self._store is None or not self.logged_in:
            return False
        from quiz.access import exam_running

        return exam_running(self._store, self.profile, self.now())

    def _allows(self, action: str) -> bool:
        access = self.access
        if not access.served:
            return True
        from quiz.access import ANSWER_REVEALING

        running = action in ANSWER_REVEALING and not access.is_trainer and self.exam_running()
        return access.allows(action, exam_running=running)

    def allowed(self, action: str) -> bool:
        """Whether ``action`` may run now; says why not on the screen when it may not."""
        if self._allows(action):
            return True
        from quiz.access import ANSWER_REVEALING

        key = "access.exam_running" if action in ANSWER_REVEALING and self.access.logged_in else "access.refused"
        self.notify(t(key), severity="warning", timeout=3)
        return False

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Every app action (keys, palette, links in text) passes here first: refused ones do not run."""
        if not self._allows(action) or (action == "logout" and not self.served):
            return False
        return super().check_action(action, parameters)

    def action_screenshot(self, filename: str | None = None, path: str | None = None) -> None:
        if self.allowed("screenshot"):
            super().action_screenshot(filename, path)

    def deliver_screenshot(self, filename: str | None = None, path: str | None = None,
                           time_format: str | None = None) -> str | None:
        if not self.allowed("screenshot"):
            return None
        return super().deliver_screenshot(filename, path, time_format)

    def _open_start(self) -> None:
        """Open what the command line asked for; a topic, bank or exam that does not exist
        ends the app with a one-line error, as any other mistake on the command line."""
        s = self.start
        lib = self.library
        if lib is None:
            return
        if s.screen == "study":
            if s.topic is not None and s.topic not in lib.topics():
                self._fail(f"no topic {s.topic!r} in the banks (topics: {', '.join(lib.topics()) or 'none'})")
                return
            if s.bank is not None and s.bank not in lib.banks:
                self._fail(f"no bank {s.bank!r} (banks: {', '.join(lib.banks) or 'none'})")
                return
            self.open_study(s.mode, topic=s.topic, bank=s.bank)
        elif s.screen == "exam":
            if s.exam_id is not None and s.exam_id not in lib.exams:
                self._fail(f"no exam {s.exam_id!r} (exams: {', '.join(lib.exams) or 'none'})")
                return
            self.open_exam(s.exam_id)

    # -- navigation -------------------------------------------------------------
    def _can_open(self, action: str | None = None) -> bool:
        """Screens need the store and the banks (until then, say they are loading) and may be refused."""
        if action is not None and not self.allowed(action):
            return False
        if not self.ready:
            self.notify(t("app.loading"), timeout=2)
            return False
        return True

    def open(self, screen: Screen[Any]) -> None:
        self.push_screen(screen)

    def open_study(
        self, mode: str = "smart", *, topic: str | None = None, bank: str | None = None, qids: tuple[str, ...] = ()
    ) -> None:
        """A study session in ``mode`` over a topic, a bank, or exactly ``qids`` (错题重练)."""
        if not self._can_open("study"):
            return
        from tui.screens.study import StudyScreen

        self.push_screen(StudyScreen(mode, topic=topic, bank=bank, qids=qids))

    def resume_study(self, session_id: int) -> None:
        """Reopen an interrupted session where it stopped."""
        if not self._can_open("resume_study"):
            return
        from quiz.session import StudySession
        from tui.screens.study import StudyScreen

        if self.library is None:
            return
        try:
            session = StudySession.resume(self.store, self.library, session_id, now=self.clock, grader=grade_in_ui_language)
        except UserError as e:
            self.notify(str(e), severity="error")
            return
        if session.profile != self.profile:  # never another learner's session
            self.notify(t("access.refused"), severity="warning")
            return
        self.push_screen(StudyScreen(session.mode, session=session))

    def open_exam(self, exam_id: str | None = None) -> None:
        if not self._can_open("exam"):
            return
        from tui.screens.exam import ExamPicker, ExamScreen

        if exam_id is None:
            self.push_screen(ExamPicker())
            return
        if self.library is not None and exam_id not in self.library.exams:
            self.notify(t("app.unknown_exam", exam=exam_id), severity="error")
            return
        self.push_screen(ExamScreen(exam_id))

    def action_go_home(self) -> None:
        while len(self.screen_stack) > 2:
            self.pop_screen()

    def action_study(self, mode: str = "smart") -> None:
        self.open_study(mode)

    async def action_continue(self) -> None:
        """Continue the interrupted session or exam (what home's ``c`` does), from any screen."""
        self.action_go_home()
        from tui.screens.home import HomeScreen

        home = self.screen
        if isinstance(home, HomeScreen):
            home.action_continue()

    def action_exam(self) -> None:
        self.open_exam(None)

    def action_history(self) -> None:
        if not self._can_open("history"):
            return
        from tui.screens.result import HistoryScreen

        self.push_screen(HistoryScreen())

    def action_wrong_book(self) -> None:
        if not self._can_open("wrong_book"):
            return
        from tui.screens.wrong_book import WrongBookScreen

        self.push_screen(WrongBookScreen())

    def action_bookmarks(self) -> None:
        if not self._can_open("bookmarks"):
            return
        from tui.screens.bookmarks import BookmarksScreen

        self.push_screen(BookmarksScreen())

    def action_stats(self) -> None:
        if not self._can_open("stats"):
            return
        from tui.screens.stats import StatsScreen

        self.push_screen(StatsScreen())

    def action_browse(self) -> None:
        if not self._can_open("browse"):
            return
        from tui.screens.browse import BrowseScreen

        self.push_screen(BrowseScreen())

    def action_reload(self) -> None:
        if not self.allowed("reload"):
            return
        self.notify(t("browse.reloading"), timeout=2)
        self.load_library()

    def action_settings(self) -> None:
        if not self._can_open("settings"):
            return
        from tui.screens.settings import SettingsScreen

        self.push_screen(SettingsScreen())

    def action_trainer(self) -> None:
        if not self._can_open("trainer"):
            return
        from tui.screens.trainer import TrainerScreen

        self.push_screen(TrainerScreen())

    @on(LibraryRefreshed)
    def _ignore(self) -> None:  # the app itself has nothing to redraw
        pass

    # -- what the learner types is text, never a terminal control ------------------------
    # (handlers by name, not @on: the text widgets are not imported on the way to the first screen)
    def on_input_changed(self, event: Input.Changed) -> None:
        """A pasted escape sequence or direction override is dropped from any text box (an Input
        draws its value as it is: ESC would reach the terminal)."""
        if UNSAFE_RE.search(event.value):
            event.input.value = " ".join(strip_unsafe(event.value).splitlines())

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        text = event.text_area.text
        if UNSAFE_RE.search(text):
            event.text_area.text = strip_unsafe(text)


def _check_changed(store: Store, library: Library, profile: str) -> None:
    """Let the core flag the learner's questions that changed in their banks (in a worker: it
    fingerprints every question the learner has seen)."""
    from quiz.session import check_changed_questions

    check_changed_questions(store, library, profile)


def _warm_up(library: Library) -> None:
    """Import the core modules the screens use and let the grader load what it loads lazily,
    here in the worker, so the first answer's feedback does not wait for them."""
    import quiz.exam
    import quiz.session
    import quiz.stats  # noqa: F401
    from quiz.grading import grade

    for item in library:
        grade(item.question, "")
        break


# theme setting -> Textual theme; each has a name in both languages (``theme.<setting>`` in i18n)
THEMES: dict[str, str] = {
    "dark": "textual-dark",
    "light": "textual-light",
    "terminal": "ansi-dark",
    "nord": "nord",
    "gruvbox": "gruvbox",
    "tokyo-night": "tokyo-night",
    "solarized-light": "solarized-light",
    "catppuccin-latte": "catppuccin-latte",
}

def theme_name(setting: str) -> str:
    """The Textual theme for a stored theme setting (a key of :data:`THEMES`, or an older stored theme name)."""
    from textual.theme import BUILTIN_THEMES

    name = THEMES.get(setting, setting)
    return name if name in BUILTIN_THEMES else "textual-dark"


def make_app(
    ctx: Context,
    *,
    now: Clock | None = None,
    store: Store | None = None,
    library: Library | None = None,
    problems: list[Problem] | None = None,
    start: Start | None = None,
    language: str | None = None,
    served: bool = False,
    account: Account | None = None,
    idle_minutes: float = 0.0,
    prefetched: Prefetched | None = None,
) -> QuizApp:
    """The app with its services injected (``quiz`` and the tests both build it here).

    ``now`` is the clock (timezone-aware); tests pass a fixed or movable one.
    ``store`` is the progress store, opened from ``ctx.db_path`` by a worker after
    the first paint when not given (a database that cannot be used ends the app
    with its one-line message: see :func:`_run`); ``library`` skips loading the
    banks; ``language`` overrides the learner's setting. ``served`` runs it for a
    browser (``quiz serve``): a login screen first and the rules of
    :mod:`quiz.access`; ``account`` starts it logged in as that account (tests); ``idle_minutes``
    (served) ends the session after that long without a key or a click (0: never). ``prefetched``
    (:class:`quiz.home.HomePrefetch`) is the home screen's first view and the learner's language and
    theme settings, worked out while the app was starting: the first frame is then complete.
    """
    clock: Clock = now or utc_now
    # else the learner's own setting when worked out already (a setting, not an override: 设置 still changes it)
    i18n.set_language(language or (prefetched.language if prefetched is not None else "zh"))
    localize_all()
    return QuizApp(ctx, clock=clock, store=store, library=library, problems=problems, start=start, language=language,
                   served=served, account=account, idle_minutes=idle_minutes, prefetched=prefetched)


def head_start(ctx: Context) -> Prefetched | None:
    """The home screen's numbers from the child process started with ``quiz`` (quiz.home), if it is done:
    it has had the UI's imports to work them out, and a short wait more costs less than painting the
    home screen twice. Still working (a large database): None, and the app's services worker takes
    its answer when it comes."""
    prefetch = ctx.home_prefetch
    if prefetch is None or not prefetch.wait(PREFETCH_WAIT):
        return None
    return prefetch.result(0)


def _run(ctx: Context, start: Start) -> int:
    check_db_path(ctx.db_path)  # a bad --db is one line before anything is painted
    app = make_app(ctx, start=start, language=ctx.language, prefetched=head_start(ctx))
    result = app.run()
    if app.fatal:
        raise UserError(app.fatal)
    return int(result or 0)


def cli_home(args: argparse.Namespace, ctx: Context) -> int:
    """``quiz``: the home screen."""
    return _run(ctx, Start("home"))


def cli_study(args: argparse.Namespace, ctx: Context) -> int:
    """``quiz study [--topic T] [--bank B] [--mode M]``: straight into a study session."""
    mode = getattr(args, "mode", None) or "smart"
    mode = {"topic": "focus", "memorize": "browse"}.get(mode, mode)
    if mode not in ("smart", "sequential", "random", "focus", "wrong", "bookmarks", "browse"):
        raise UserError(f"unknown study mode {mode!r} (smart, sequential, random, focus, wrong, bookmarks, browse)")
    return _run(ctx, Start("study", mode=mode, topic=getattr(args, "topic", None), bank=getattr(args, "bank", None)))


def cli_exam(args: argparse.Namespace, ctx: Context) -> int:
    """``quiz exam [EXAM_ID]``: straight into a mock exam (a picker without an id)."""
    return _run(ctx, Start("exam", exam_id=getattr(args, "exam_id", None)))
