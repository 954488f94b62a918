"""`quiz serve` for real: the server in its own process, sessions over textual-serve's websocket.

Each session is what a browser tab is: a websocket to ``/ws``, keys sent as a
terminal sends them, the app's terminal output read into a ``pyte`` screen
(tests/served_client.py). The app processes are started by textual-serve with
the server's fixed command.
"""

from __future__ import annotations

import asyncio
import os
import shlex
import subprocess
import sys
from pathlib import Path

import aiohttp
import pytest

from quiz.context import Context
from quiz.errors import UserError
from quiz.store import Store
from tests.served_client import ROOT, ServedSession, Server, login
from tests.test_served import OTHER, SECRET_ANSWER, make_team_db
from tests.tui_support import TUI_BANKS
from tui.serve import prepare, session_command


def test_the_session_command_is_fixed_and_quoted() -> None:
    db = Path("/srv/quiz/a b'; rm -rf ~ $(id)/progress.db")
    banks = Path("/srv/quiz/banks")
    cmd = session_command(db, banks, python="/usr/bin/python3", idle_minutes=30)
    assert shlex.split(cmd) == ["/usr/bin/python3", "-m", "tui.served", "--db", str(db), "--banks", str(banks),
                                "--idle-minutes", "30"]


@pytest.mark.parametrize("minutes", ["-1", "nan", "inf", "100000"])
def test_serving_refuses_an_idle_time_that_is_no_time_in_one_line(tmp_path: Path, minutes: str) -> None:
    db = tmp_path / "p.db"
    make_team_db(db)
    out = subprocess.run(
        [sys.executable, "-m", "quiz.cli", "--db", str(db), "--banks", str(TUI_BANKS), "serve", "--port", "8199",
         "--idle-minutes", minutes],
        capture_output=True, text=True, timeout=120, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert out.returncode == 2 and "--idle-minutes" in out.stderr and out.stderr.strip().count("\n") == 0, out.stderr


def test_serving_refuses_a_database_without_accounts_in_one_line(tmp_path: Path) -> None:
    ctx = Context(banks_dir=TUI_BANKS, db_path=tmp_path / "p.db")
    with pytest.raises(UserError, match="no accounts yet"):
        prepare(ctx)
    out = subprocess.run(
        [sys.executable, "-m", "quiz.cli", "--db", str(tmp_path / "p.db"), "serve", "--port", "8199"],
        capture_output=True, text=True, timeout=120, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert out.returncode == 2 and out.stderr.count("\n") == 1 and "users add" in out.stderr


@pytest.fixture
def server(tmp_path: Path) -> Server:
    db = tmp_path / "progress.db"
    make_team_db(db)
    srv = Server(db, TUI_BANKS).start()
    yield srv  # type: ignore[misc]
    srv.stop()


async def test_over_the_websocket_a_wrong_password_never_shows_a_learners_home(server: Server) -> None:
    async with aiohttp.ClientSession() as http:
        page = await (await http.get(server.url + "/")).text()
        assert "<title>掌柜学堂 · Seller Academy</title>" in page
        assert "tui.served" not in page and "progress.db" not in page  # the command is not shown to browsers
        assert "fonts.googleapis.com" not in page
        tab = await ServedSession(server.url).open(http)
        await login(tab, "小李", "not-the-password")
        text = await tab.wait_for("账号或密码不对", timeout=90)
        for shown in (text, tab.text()):
            assert "今日" not in shown and "学员：" not in shown and "待复习" not in shown
            assert OTHER not in shown and SECRET_ANSWER not in shown
        await tab.close()


async def test_two_learners_logged_in_at_once_each_see_their_own_home(server: Server) -> None:
    async with aiohttp.ClientSession() as http:
        li, wang = ServedSession(server.url), ServedSession(server.url)
        await asyncio.gather(li.open(http), wang.open(http))
        await asyncio.gather(login(li, "小李", "li-password"), login(wang, OTHER, "wang-password"))
        li_home, wang_home = await asyncio.gather(
            li.wait_for("今日", "学员：小李", timeout=90), wang.wait_for("今日", f"学员：{OTHER}", timeout=90)
        )
        assert OTHER not in li_home and "小李" not in wang_home
        # both answer at the same time; each answer lands in its own learner's record
        await asyncio.gather(li.press("s"), wang.press("s"))
        await asyncio.gather(li.wait_for("第 1/", timeout=60), wang.wait_for("第 1/", timeout=60))
        assert OTHER not in li.text()
        await asyncio.gather(li.close(), wang.close())
    with Store.open(server.db) as store:
        assert store.profiles().count("小李") == 1
        assert [r.profile for r in store.reviews("小李")] == []  # nothing answered yet, nothing of 王五's
        assert len(store.reviews(OTHER)) == 1


async def test_an_idle_session_ends_keeping_the_typed_answer_and_a_new_login_resumes_it(tmp_path: Path) -> None:
    """quiz serve --idle-minutes: the app process ends, the browser's socket closes; what was typed
    (a study answer not yet submitted) comes back after logging in again, with F8 (skip) as a browser
    sends it."""
    db = tmp_path / "progress.db"
    make_team_db(db)
    with Server(db, TUI_BANKS, args=("--idle-minutes", "0.05")) as server:  # 3 s
        async with aiohttp.ClientSession() as http:
            tab = await ServedSession(server.url).open(http)
            await login(tab, "小李", "li-password")
            await tab.wait_for("今日", "学员：小李", timeout=90)
            await tab.press("s")
            await tab.wait_for("第 1/", timeout=60)
            for _ in range(8):  # to a question answered in words (F8 skips, as Ctrl+N does at a terminal)
                text = await tab.wait_for("第 ", timeout=30)
                if "输入答案后按回车" in text:
                    break
                await tab.press("f8")
                await asyncio.sleep(0.8)
            await tab.wait_for("输入答案后按回车", timeout=30)
            await tab.type("十五天")
            await tab.wait_for("十五天", timeout=30)
            await asyncio.wait_for(tab.closed.wait(), timeout=60)  # the session ended by itself
            await tab.close()
            with Store.open(db) as store:
                drafts = store.execute("SELECT draft FROM sessions WHERE profile = '小李'").fetchall()
                assert ("十五天",) in drafts
            again = await ServedSession(server.url).open(http)
            await login(again, "小李", "li-password")
            await again.wait_for("今日", "学员：小李", timeout=90)
            await again.press("c")
            await again.wait_for("十五天", "输入答案后按回车", timeout=60)
            await again.close()
