"""Idle served sessions end (``quiz serve --idle-minutes``), keeping what was typed as a killed
session keeps it; logging in again resumes the exam and the study session where they were.

Through the real ``quiz serve`` and its websocket: ``tests/test_serve_ws.py``.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from textual.widgets import Input

from quiz.accounts import get_account
from quiz.context import Context
from quiz.loader import load_paths
from quiz.store import Store
from tests.test_served import served_app, team_db  # noqa: F401 (a fixture)
from tests.tui_support import SIZE, TUI_BANKS, settle
from tui.app import make_app
from tui.screens.exam import ExamScreen
from tui.screens.home import HomeScreen
from tui.screens.study import StudyScreen
from tui.widgets.answer import AnswerPad


def idle_app(db: Path, account: str, minutes: float):  # type: ignore[no-untyped-def]
    lib, problems = load_paths([TUI_BANKS])
    with Store.open(db) as store:
        acc = get_account(store, account)
    ctx = Context(banks_dir=TUI_BANKS, db_path=db, profile="default")
    return make_app(ctx, library=lib, problems=problems, served=True, account=acc, idle_minutes=minutes)


async def wait_until(cond, seconds: float) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if cond():
            return True
        await asyncio.sleep(0.05)
    return bool(cond())


async def test_an_idle_exam_session_ends_with_the_typed_answer_saved_and_resumes_after_login(
    team_db: Path,  # noqa: F811
) -> None:
    app = idle_app(team_db, "小李", minutes=0.03)  # 1.8 s
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.open_exam("tui-mock")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ExamScreen) and screen.attempt is not None
        typed = next(q.position for q in screen.attempt.questions if q.question.type == "numeric")
        for _ in range(typed):
            await pilot.press("f8")
        await settle(pilot)
        assert screen.position == typed and isinstance(app.focused, Input)
        await pilot.press("1", "6")
        attempt_id = screen.attempt.attempt_id
        assert await wait_until(lambda: app.idle_ended, 15), "the idle session did not end"
    assert app.return_code == 0
    with Store.open(team_db) as store:
        row = store.execute("SELECT answer FROM exam_answers WHERE attempt_id = ? AND position = ?",
                            (attempt_id, typed)).fetchone()
        assert row == ("16",)
        assert store.execute("SELECT submitted FROM exam_attempts WHERE id = ?", (attempt_id,)).fetchone() == (None,)
    # log in again: home offers the exam, 继续 resumes it with the answer in its box
    app = served_app(team_db, account="小李")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("c")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ExamScreen) and screen.attempt is not None
        assert screen.attempt.attempt_id == attempt_id and screen.attempt.question(typed).answer == "16"
        screen._show(typed)
        await settle(pilot)
        assert screen.query_one(AnswerPad).typed_text() == "16"


async def test_ending_idle_saves_a_study_draft_not_yet_saved_and_login_puts_it_back(team_db: Path) -> None:  # noqa: F811
    app = idle_app(team_db, "小李", minutes=60)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.open_study("sequential")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, StudyScreen) and screen.session is not None and screen.item is not None
        while screen.item.question.type not in ("short", "numeric", "scenario"):
            await pilot.press("f8")
            await settle(pilot)
        qid = screen.item.qid
        screen.query_one(AnswerPad).focus()
        await pilot.press(*"十五天")
        app.end_idle()  # at once: before the half-second draft save
        await pilot.pause()
    with Store.open(team_db) as store:
        assert store.execute("SELECT draft_qid, draft FROM sessions WHERE profile = '小李'").fetchall()[-1] == (qid, "十五天")
    app = served_app(team_db, account="小李")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, StudyScreen) and screen.item is not None and screen.item.qid == qid
        assert screen.query_one(AnswerPad).typed_text() == "十五天"


async def test_keys_keep_a_session_alive_and_the_terminal_app_never_times_out(team_db: Path, tmp_path: Path) -> None:  # noqa: F811
    app = idle_app(team_db, "小李", minutes=0.05)  # 3 s
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        start = time.monotonic()
        while time.monotonic() - start < 4.5:  # longer than the idle time, a key every 0.3 s
            await pilot.press("down")
            await asyncio.sleep(0.3)
            assert not app.idle_ended
        assert await wait_until(lambda: app.idle_ended, 15)
    from tests.tui_support import build_app

    terminal = build_app(tmp_path)
    assert terminal.idle_seconds is None  # unserved: no idle end
    unlimited = idle_app(team_db, "小李", minutes=0)
    assert unlimited.idle_seconds is None
