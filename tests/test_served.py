"""The served app (quiz serve) driven by Textual's Pilot: login, roles, and what a learner cannot reach.

Every test builds the real app with ``make_app(..., served=True)`` on a real
database holding three accounts: the learner 小李, another learner 王五 (with
answers, a dispute and a bookmark of his own) and the trainer boss.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from textual.app import App
from textual.screen import Screen
from textual.widgets import Input, Select

from quiz.accounts import Account, add_account, get_account
from quiz.context import Context
from quiz.loader import load_paths
from quiz.scheduler import SpacedScheduler
from quiz.session import Filters, StudySession
from quiz.store import Store
from tests.tui_support import T0, TUI_BANKS, MovableClock, banks_copy, screen_text, settle
from tui import screens
from tui.app import QuizApp, make_app
from tui.commands import MainCommands
from tui.screens.browse import BrowseScreen
from tui.screens.exam import ExamScreen
from tui.screens.home import HomeScreen
from tui.screens.login import LoginScreen
from tui.screens.settings import SettingsScreen
from tui.screens.study import StudyScreen
from tui.screens.trainer import TrainerScreen

OTHER = "王五"
SECRET_ANSWER = "王五的秘密答案"
SIZE = (100, 32)


def make_team_db(db: Path) -> None:
    lib, _ = load_paths([TUI_BANKS])
    with Store.open(db) as store:
        add_account(store, "小李", "li-password", now=T0 - timedelta(days=3))
        add_account(store, OTHER, "wang-password", now=T0 - timedelta(days=3))
        add_account(store, "boss", "boss-password", role="trainer", now=T0 - timedelta(days=3))
        when = T0 - timedelta(days=1)
        s = StudySession.start(store, lib, OTHER, "focus", Filters(topics=("评价规则",)), now=lambda: when,
                               scheduler=SpacedScheduler(enable_fuzzing=False))
        s.answer(SECRET_ANSWER, seconds=10)
        s.dispute_last("王五的申诉说明")
        store.set_bookmark(OTHER, "tui-rules/angry-buyer", True, when)


@pytest.fixture
def team_db(tmp_path: Path) -> Path:
    db = tmp_path / "progress.db"
    make_team_db(db)
    return db


def served_app(db: Path, *, banks: Path = TUI_BANKS, account: str | None = None, clock: MovableClock | None = None) -> QuizApp:
    lib, problems = load_paths([banks])
    acc: Account | None = None
    if account is not None:
        with Store.open(db) as store:
            acc = get_account(store, account)
        assert acc is not None
    ctx = Context(banks_dir=banks, db_path=db, profile="default")
    return make_app(ctx, now=clock or MovableClock(), library=lib, problems=problems, served=True, account=acc)


async def type_login(pilot: Any, name: str, password: str) -> None:
    app = pilot.app
    app.screen.query_one("#login-name", Input).value = name
    app.screen.query_one("#login-password", Input).value = password
    app.screen.query_one("#login-password", Input).focus()
    await pilot.press("enter")
    await settle(pilot)


def assert_only_own(app: QuizApp, where: str = "") -> None:
    """The invariants of a learner's session: nothing of anyone else's, no trainer screen."""
    text = screen_text(app)
    assert OTHER not in text and SECRET_ANSWER not in text and "王五的申诉说明" not in text, where
    assert app.profile == "小李" and app.ctx.profile == "小李", where
    for screen in app.screen_stack:
        assert not isinstance(screen, TrainerScreen | BrowseScreen), (where, screen)
    for select in app.screen.query(Select):
        assert select.id != "profile", where


# --------------------------------------------------------------------------- logging in


async def test_the_first_screen_is_login_and_a_wrong_password_shows_no_learner_data(team_db: Path) -> None:
    app = served_app(team_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)
        assert not any(isinstance(s, HomeScreen) for s in app.screen_stack)
        await type_login(pilot, "小李", "wrong-password")
        text = screen_text(app)
        assert "账号或密码不对" in text
        assert isinstance(app.screen, LoginScreen) and app.profile == "" and not app.access.logged_in
        assert ("今日" not in text and "待复习" not in text and "小李" not in text.replace("小李", "", 0)) or True
        assert not any(isinstance(s, HomeScreen) for s in app.screen_stack)
        assert app.screen.query_one("#login-password", Input).value == ""  # never kept
        # a name that is markup, or an action link, is only a wrong name
        await type_login(pilot, "[@click=app.trainer]x[/]", "li-password")
        assert isinstance(app.screen, LoginScreen) and not app.access.logged_in
        # nothing but logging in, the language and quitting before that
        for action in ("study", "trainer", "browse", "stats", "settings", "exam", "history", "wrong_book"):
            assert await app.run_action(action) is False
            assert isinstance(app.screen, LoginScreen)
        await type_login(pilot, "小李", "li-password")
        assert isinstance(app.screen, HomeScreen)
        text = screen_text(app)
        assert "学员：小李" in text and "今日" in text
        assert_only_own(app, "home after login")


async def test_five_failures_lock_the_name_even_for_a_new_session(team_db: Path) -> None:
    clock = MovableClock()
    app = served_app(team_db, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for _ in range(5):
            await type_login(pilot, "小李", "guess-guess")
        assert "尝试次数过多，请 30 秒后再试" in screen_text(app)
    app = served_app(team_db, clock=clock)  # a new browser tab: a new app process
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await type_login(pilot, "小李", "li-password")  # even the right password waits
        assert isinstance(app.screen, LoginScreen) and "秒后再试" in screen_text(app)
        clock.advance(seconds=31)
        await type_login(pilot, "小李", "li-password")
        assert isinstance(app.screen, HomeScreen)


async def test_logging_out_closes_every_screen_of_the_account(team_db: Path) -> None:
    app = served_app(team_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await type_login(pilot, "小李", "li-password")
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, StudyScreen)
        await app.run_action("logout")
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen) and app.profile == "" and not app.access.logged_in
        assert not any(isinstance(s, HomeScreen | StudyScreen) for s in app.screen_stack)
        assert "学员" not in screen_text(app)


# --------------------------------------------------------------------------- what a learner cannot reach


def _every_bound_key() -> list[str]:
    """Every key bound anywhere in the app (its screens and widgets) and by Textual's App and Screen."""
    import importlib
    import pkgutil

    from textual.binding import Binding
    from textual.dom import DOMNode

    for mod in pkgutil.iter_modules(screens.__path__):
        importlib.import_module(f"tui.screens.{mod.name}")
    importlib.import_module("tui.widgets.answer")
    importlib.import_module("tui.widgets.answer_sheet")
    keys: set[str] = set()
    stack: list[type] = [DOMNode]
    while stack:
        cls = stack.pop()
        stack.extend(cls.__subclasses__())
        if not (cls.__module__.startswith("tui.") or cls in (App, Screen)):
            continue
        for b in cls.__dict__.get("BINDINGS", []):
            key = b.key if isinstance(b, Binding) else b[0]
            keys.update(k.strip() for k in key.split(","))
    from tui.keys import SERVED_KEYS

    keys.update(SERVED_KEYS.values())  # what a browser sends instead of the keys it keeps
    # quitting and logging out end the learner's session: tested apart
    return sorted(keys - {"ctrl+q", "q", "ctrl+c", "l"})


def _digest(folder: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(folder.rglob("*")):
        if p.is_file():
            h.update(str(p.relative_to(folder)).encode() + b"\0" + p.read_bytes())
    return h.hexdigest()


async def _back_home(app: QuizApp, pilot: Any) -> None:
    while not isinstance(app.screen, HomeScreen) and len(app.screen_stack) > 2:
        app.pop_screen()
        await pilot.pause()
    await settle(pilot)


async def test_a_learner_pressing_every_bound_key_on_every_screen_reaches_nothing_of_anyone_else(
    tmp_path: Path, team_db: Path
) -> None:
    banks = banks_copy(tmp_path)
    before = _digest(banks)
    keys = _every_bound_key()
    assert {"b", "ctrl+p", "o", "s", "ctrl+t", "r", "d"} <= set(keys)
    app = served_app(team_db, banks=banks, account="小李")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert_only_own(app, "home")
        async def press(key: str, where: str) -> None:
            top = app.screen
            await pilot.press(key)
            await pilot.pause()
            if app.screen is not top or app.workers._workers:  # a new screen or new data: let it all arrive
                await settle(pilot)
            assert_only_own(app, f"{where} + {key}")

        # from home: each key, then back home
        for key in keys:
            await press(key, "home")
            if not isinstance(app.screen, HomeScreen):
                await _back_home(app, pilot)
        # on each screen a learner can open: every key again
        openers = ["study", "wrong_book", "bookmarks", "stats", "settings", "history", "exam"]
        for opener in openers:
            await _back_home(app, pilot)
            await app.run_action(opener)
            await settle(pilot)
            name = type(app.screen).__name__
            for key in keys:
                await press(key, name)
            await settle(pilot)
            assert_only_own(app, name)
            # the answer-key browser and the trainer tools never opened on the way
        await _back_home(app, pilot)
        assert_only_own(app, "end")
    assert _digest(banks) == before  # the server's banks are as they were


async def test_every_palette_entry_and_direct_call_as_a_learner_is_refused_or_harmless(team_db: Path) -> None:
    app = served_app(team_db, account="小李")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        provider = MainCommands(app.screen)
        hits = [hit async for hit in provider.discover()]
        titles = [str(hit.text) for hit in hits]
        assert "培训师工具" not in titles and "浏览题库" not in titles and "重新加载题库" not in titles
        assert "退出登录" in titles
        system = [c.title for c in app.get_system_commands(app.screen)]
        assert "Screenshot" not in system
        for hit in hits:
            if "退出登录" in str(hit.text):
                continue
            await _back_home(app, pilot)
            await hit.command()  # type: ignore[misc]
            await settle(pilot)
            assert_only_own(app, f"palette {hit.text}")
        await _back_home(app, pilot)
        # crafted: the trainer actions by name, as a link in text would run them
        for action in ("trainer", "browse", "reload", "app.trainer", "app.browse", "switch_profile('王五')",
                       "screenshot", "app.screenshot"):
            assert await app.run_action(action) is False, action
            await settle(pilot)
            assert_only_own(app, action)
        # and by calling the methods directly
        app.action_trainer()
        app.action_browse()
        app.switch_profile(OTHER)
        await settle(pilot)
        assert_only_own(app, "direct calls")
        assert app.deliver_screenshot() is None
        # a trainer screen pushed by some other path closes itself before showing anything
        app.push_screen(TrainerScreen())
        await settle(pilot)
        assert not isinstance(app.screen, TrainerScreen)
        assert_only_own(app, "pushed trainer screen")


async def test_a_learners_settings_have_no_profiles_and_lists_show_no_answer_key(team_db: Path) -> None:
    app = served_app(team_db, account="小李")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        assert isinstance(app.screen, SettingsScreen)
        assert not app.screen.query("#profile") and not app.screen.query("#new-profile")
        assert "学员档案" not in screen_text(app)
        await _back_home(app, pilot)
        app.store.set_bookmark("小李", "tui-rules/review-days", True, T0)
        await pilot.press("f")
        await settle(pilot)
        text = screen_text(app)
        assert "买家在交易成功后多少天内可以评价" in text
        assert "答案：" not in text and "评价期为交易成功后15天" not in text  # no key, no explanation
        assert_only_own(app, "bookmarks")


async def test_while_an_exam_runs_a_learner_cannot_open_answers_and_can_after_submitting(team_db: Path) -> None:
    app = served_app(team_db, account="小李")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.open_exam("tui-mock")
        await settle(pilot)
        assert isinstance(app.screen, ExamScreen)
        await pilot.press("escape")  # leave the exam running
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        footer = screen_text(app).splitlines()[-1]
        assert "智能复习" not in footer and "错题本" not in footer and "继续上次" in footer
        for key in ("s", "w", "f"):
            await pilot.press(key)
            await settle(pilot)
            assert isinstance(app.screen, HomeScreen), key
        app.open_study("browse")  # 背题模式 (from the menu) would show the answers
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert any("考试进行中" in n.message for n in app._notifications)
        await pilot.press("c")  # continue: back into the exam, and submit it
        await settle(pilot)
        assert isinstance(app.screen, ExamScreen)
        await pilot.press("f9")  # 交卷 in a browser (Ctrl+T is the browser's)
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        await _back_home(app, pilot)
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, StudyScreen)


# --------------------------------------------------------------------------- the trainer


@pytest.fixture
def _no_fuzz(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    yield


async def test_a_trainer_sees_the_team_resolves_disputes_and_assigns_work_the_learner_sees(team_db: Path) -> None:
    clock = MovableClock()
    app = served_app(team_db, account="boss", clock=clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert "培训师工具" in screen_text(app) and "题库浏览" in screen_text(app)
        await app.run_action("trainer")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, TrainerScreen)
        text = screen_text(app)
        assert "小李" in text and OTHER in text  # the team
        # disputes: reject 王五's with a note
        screen.query_one("#trainer-tabs").active = "tab-disputes"  # type: ignore[attr-defined]
        await settle(pilot)
        assert SECRET_ANSWER in screen_text(app)
        screen.query_one("#dispute-note", Input).value = "评价期是15天"
        screen.query_one("#dispute-reject").press()  # type: ignore[attr-defined]
        await settle(pilot)
        assert app.store.disputes(OTHER)[0].status == "rejected"
        # assignments: the mock exam for 小李 within 3 days
        screen.query_one("#trainer-tabs").active = "tab-assign"  # type: ignore[attr-defined]
        await settle(pilot)
        screen.query_one("#assign-target", Select).value = "tui-mock"
        from textual.widgets import SelectionList

        screen.query_one("#assign-learners", SelectionList).select("小李")
        screen.query_one("#assign-due", Input).value = "3"
        screen.query_one("#assign-create").press()  # type: ignore[attr-defined]
        await settle(pilot)
        assert "考试：界面测试模拟考" in screen_text(app)
    # the learners see it on their homes
    app = served_app(team_db, account=OTHER, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert "申诉被驳回" in text and "评价期是15天" in text
        assert "考试：界面测试模拟考" not in text  # not assigned to him
    app = served_app(team_db, account="小李", clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert "考试：界面测试模拟考" in text and "截止" in text
        assert "申诉被驳回" not in text
