"""The trainer's team table at 80x24: what a trainer acts on, whole, without scrolling sideways;
everything else about the highlighted learner in the detail below it."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import DataTable

from tests.test_served import OTHER, served_app, team_db  # noqa: F401 (a fixture)
from tests.tui_support import screen_text, settle
from tui import i18n
from tui.screens.trainer import TrainerScreen


@pytest.fixture(autouse=True)
def _chinese_after() -> object:
    yield
    i18n.set_language("zh")


@pytest.mark.parametrize("language", ["zh", "en"])
async def test_the_team_table_fits_80_columns_and_the_detail_keeps_the_rest(team_db: Path, language: str) -> None:  # noqa: F811
    app = served_app(team_db, account="boss")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        if language == "en":
            app.apply_settings(app.settings, language="en")
            await settle(pilot)
        await app.run_action("trainer")
        await settle(pilot)
        assert isinstance(app.screen, TrainerScreen)
        table = app.screen.query_one("#team-table", DataTable)
        assert len(table.columns) == 7
        assert table.virtual_size.width <= table.scrollable_content_region.width, (table.virtual_size, table.region)
        text = screen_text(app)
        assert OTHER in text
        summary = "答题" if language == "zh" else "answers"
        assert summary in text and ("最近学习" in text or "last active" in text), text
        await pilot.resize_terminal(120, 36)  # wide: every column again
        await settle(pilot)
        assert len(app.screen.query_one("#team-table", DataTable).columns) == 11
