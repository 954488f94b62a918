"""In a browser, leaving is logging out (or closing the tab): Ctrl+C says so, and the palette offers
logging out, never a Ctrl+Q that some browsers take to close themselves."""

from __future__ import annotations

from pathlib import Path

from tests.test_served import served_app, team_db  # noqa: F401 (a fixture)
from tests.tui_support import build_app, settle
from tui.commands import MainCommands


async def test_served_ctrl_c_and_the_palette_say_how_to_log_out(team_db: Path) -> None:  # noqa: F811
    app = served_app(team_db, account="小李")
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        system = [c.title for c in app.get_system_commands(app.screen)]
        main = [str(hit.text) async for hit in MainCommands(app.screen).discover()]
        assert "退出掌柜学堂" not in system and main.count("退出登录") == 1  # once, and no Ctrl+Q quit
        await pilot.press("ctrl+c")
        await settle(pilot)
        shown = [str(n.message) for n in app._notifications]
        assert any("按 l 退出登录" in m for m in shown), shown
        assert not any("Ctrl+Q" in m for m in shown), shown


async def test_at_a_terminal_ctrl_c_says_ctrl_q_quits(tmp_path: Path) -> None:
    app = build_app(tmp_path)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        system = [c.title for c in app.get_system_commands(app.screen)]
        main = [str(hit.text) async for hit in MainCommands(app.screen).discover()]
        assert "退出掌柜学堂" in system and "退出登录" not in main
        await pilot.press("ctrl+c")
        await settle(pilot)
        assert any("Ctrl+Q" in str(n.message) for n in app._notifications)
