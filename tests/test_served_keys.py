"""Keys a browser keeps (Ctrl+T, Ctrl+N, Ctrl+W, Ctrl+Tab, Ctrl+R, F5 ...): in a served session every
action bound to one of them has a key that reaches the app, and the footer, the key panel and the
palette show that key; the terminal app keeps its own keys.

The same in a real browser, through the real ``quiz serve``: ``tests/test_browser.py``.
"""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

from textual.binding import Binding
from textual.dom import DOMNode
from textual.widgets import Input

from tests.test_served import served_app, team_db  # noqa: F401 (a fixture)
from tests.tui_support import SIZE, Start, build_app, screen_text, settle
from tui import screens, widgets
from tui.keys import BROWSER_KEYS, SERVED_KEYS
from tui.screens.base import BrowserKeys
from tui.screens.exam import ConfirmSubmit, ExamScreen
from tui.screens.study import StudyScreen


def _our_bindings() -> list[tuple[type, Binding]]:
    """Every binding the app declares (its app class, screens and widgets)."""
    for pkg, name in ((screens, "tui.screens"), (widgets, "tui.widgets")):
        for mod in pkgutil.iter_modules(pkg.__path__):
            importlib.import_module(f"{name}.{mod.name}")
    importlib.import_module("tui.app")
    out: list[tuple[type, Binding]] = []
    stack: list[type] = [DOMNode]
    while stack:
        cls = stack.pop()
        stack.extend(cls.__subclasses__())
        if not cls.__module__.startswith("tui."):
            continue
        for b in cls.__dict__.get("BINDINGS", []):
            if isinstance(b, Binding):
                out.extend((cls, one) for one in Binding.make_bindings([b]))
    return out


def test_every_action_on_a_browser_key_has_a_stand_in_that_the_browser_lets_through() -> None:
    bindings = _our_bindings()
    on_browser_keys = [(cls, b) for cls, b in bindings if b.key in BROWSER_KEYS]
    assert {b.key for _, b in on_browser_keys} >= {"ctrl+t", "ctrl+n", "ctrl+r"}  # the test sees them
    for cls, b in on_browser_keys:
        assert b.key in SERVED_KEYS, f"{cls.__name__}: {b.action} on {b.key} has no key in a browser"
    assert not set(SERVED_KEYS.values()) & BROWSER_KEYS
    # a stand-in is bound to nothing else anywhere (it never takes another key's place)
    taken = {b.key for _, b in bindings}
    assert not set(SERVED_KEYS.values()) & taken
    # and every screen those bindings live on applies them (widgets live on such screens)
    from tui.screens.login import LoginScreen

    for cls, _ in on_browser_keys:
        assert issubclass(cls, BrowserKeys) or cls.__module__ == "tui.app", cls
    assert issubclass(LoginScreen, BrowserKeys) and issubclass(ConfirmSubmit, BrowserKeys)


def _footer(app: object) -> str:
    return screen_text(app).splitlines()[-1]  # type: ignore[arg-type]


async def test_served_exam_submits_with_f9_and_moves_with_f8_and_the_footer_says_so(team_db: Path) -> None:  # noqa: F811
    app = served_app(team_db, account="小李")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.open_exam("tui-mock")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ExamScreen) and screen.attempt is not None
        footer = _footer(app)
        assert "f9 交卷" in footer and "f8 下一题" in footer, footer
        assert "^t" not in footer and "^n" not in footer
        app.action_show_help_panel()  # Textual's key panel lists the screen's keys as the browser has them
        await settle(pilot)
        panel = screen_text(app)
        assert "f9" in panel and "交卷" in panel and "^t" not in panel
        app.action_hide_help_panel()
        await settle(pilot)
        # F8 moves on even from a text box (PageDown is the text box's own there)
        typed = next(q.position for q in screen.attempt.questions if q.question.type in ("numeric", "short"))
        for _ in range(typed):
            await pilot.press("f8")
            await settle(pilot)
        assert screen.position == typed and isinstance(app.focused, Input)
        await pilot.press(*"15")
        last = typed + 1 == len(screen.attempt.questions)
        await pilot.press("ctrl+b" if last else "f8")
        await settle(pilot)
        assert screen.position == (typed - 1 if last else typed + 1)
        assert screen.attempt.question(typed).answer == "15"  # what was typed is kept on moving on
        footer = _footer(app)
        assert "f9 交卷" in footer
        await pilot.press("ctrl+t")  # what a browser never sends: nothing
        await settle(pilot)
        assert app.screen is screen
        await pilot.press("f9")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmSubmit)
        await pilot.press("y")
        await settle(pilot)
        assert type(app.screen).__name__ == "ResultScreen"
        assert screen.attempt.is_submitted


async def test_served_study_skips_with_f8_and_switches_to_memorize_with_f4(team_db: Path) -> None:  # noqa: F811
    app = served_app(team_db, account="小李")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.open_study("sequential")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, StudyScreen) and screen.session is not None
        footer = _footer(app)
        assert "f8 跳过" in footer and "^n" not in footer, footer
        first = screen.item
        await pilot.press("f8")
        await settle(pilot)
        assert screen.item is not None and first is not None and screen.item.qid != first.qid
        await pilot.press("f4")
        await settle(pilot)
        assert screen.session.memorize and screen.state == "memorize"
        # the palette lists the screen's keys as the browser has them
        from tui.commands import ScreenCommands

        provider = ScreenCommands(screen)
        helps = {title: help_text for title, help_text, _ in provider._bindings()}
        assert any("f4" in h for h in helps.values()) and not any("^r" in h for h in helps.values()), helps


async def test_the_terminal_app_keeps_its_keys(tmp_path: Path) -> None:
    app = build_app(tmp_path, start=Start("exam", exam_id="tui-mock"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ExamScreen)
        footer = _footer(app)
        assert "^t 交卷" in footer and "f9" not in footer
        await pilot.press("f9")
        await settle(pilot)
        assert app.screen is screen
        await pilot.press("ctrl+t")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmSubmit)
