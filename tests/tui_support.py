"""Helpers for the terminal UI tests: a movable clock, an app on a temporary database."""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from quiz.context import Context
from quiz.loader import load_paths
from quiz.store import Store
from tui.app import QuizApp, Start, make_app

TUI_BANKS = Path(__file__).resolve().parent / "data" / "tui-banks"
SIZE = (100, 32)
T0 = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)


@dataclass
class MovableClock:
    """The app's clock in tests: fixed until moved."""

    now: datetime = field(default_factory=lambda: T0)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kw: float) -> None:
        self.now += timedelta(**kw)


def banks_copy(tmp_path: Path) -> Path:
    """A private copy of the UI test banks (tests may edit it)."""
    dest = tmp_path / "banks"
    shutil.copytree(TUI_BANKS, dest)
    return dest


def build_app(
    tmp_path: Path,
    *,
    clock: MovableClock | None = None,
    start: Start | None = None,
    banks: Path | None = None,
    preload: bool = True,
    language: str | None = None,
    db: Path | None = None,
) -> QuizApp:
    """The real app on a temporary database and the small UI bank."""
    banks_dir = banks or TUI_BANKS
    ctx = Context(banks_dir=banks_dir, db_path=db or tmp_path / "progress.db", profile="default")
    library: Any = None
    problems: Any = None
    if preload:
        library, problems = load_paths([banks_dir])
    return make_app(ctx, now=clock or MovableClock(), library=library, problems=problems, start=start, language=language)


def screen_text(app: QuizApp) -> str:
    """What the screen shows, as plain text (one line per terminal row)."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


async def settle(pilot: Any) -> None:
    """Let workers finish and the screen repaint."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def open_store(path: Path) -> Store:
    return Store.open(path)
