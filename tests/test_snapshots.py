"""Snapshots of the main screens at 100x32 in Chinese, for a person to judge by eye.

Deterministic: a fixed clock (``T0``), the small fixed bank in tests/data/tui-banks,
a seeded history and a seeded exam paper, the machine's time zone set to UTC.
Regenerate with ``pytest tests/test_snapshots.py --snapshot-update`` and look at
the SVG files in tests/__snapshots__/test_snapshots/.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from quiz.exam import ExamAttempt
from quiz.loader import load_paths
from quiz.model import LETTERS, SingleQuestion
from tests.tui_support import SIZE, T0, TUI_BANKS, MovableClock, build_app, open_store, seed_history, settle
from tui.app import QuizApp, Start

SnapCompare = Callable[..., bool]


@pytest.fixture(autouse=True)
def _utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def _seeded_app(tmp_path: Path, start: Start | None = None) -> QuizApp:
    db = tmp_path / "progress.db"
    seed_history(db)
    return build_app(tmp_path, clock=MovableClock(T0), start=start, db=db)


async def _quiet(pilot: Any) -> None:
    await settle(pilot)
    pilot.app.clear_notifications()
    await pilot.pause()


def _exam_in_progress(tmp_path: Path) -> QuizApp:
    """An attempt on a fixed paper with two answers and a flag; the app resumes it."""
    db = tmp_path / "progress.db"
    seed_history(db)
    lib, _ = load_paths([TUI_BANKS])
    store = open_store(db)
    started = T0 - timedelta(minutes=3, seconds=20)
    attempt = ExamAttempt.start(store, lib, "default", "tui-mock", seed=11, now=lambda: started)
    first = attempt.question(0).question
    assert isinstance(first, SingleQuestion)
    attempt.answer(0, LETTERS[first.answer_index])  # right
    attempt.answer(1, "A")
    attempt.flag(3, True)
    store.close()
    return build_app(tmp_path, clock=MovableClock(T0), start=Start("exam", exam_id="tui-mock"), db=db)


def test_home(snap_compare: SnapCompare, tmp_path: Path) -> None:
    assert snap_compare(_seeded_app(tmp_path), terminal_size=SIZE, run_before=_quiet)


def test_study_with_feedback(snap_compare: SnapCompare, tmp_path: Path) -> None:
    app = _seeded_app(tmp_path, Start("study", mode="focus", topic="纠纷处理"))

    async def answer(pilot: Any) -> None:
        await _quiet(pilot)
        await pilot.press(*"我会先道歉安抚买家，然后骂他", "ctrl+s")
        await _quiet(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=answer)


def test_exam_with_answer_sheet(snap_compare: SnapCompare, tmp_path: Path) -> None:
    assert snap_compare(_exam_in_progress(tmp_path), terminal_size=SIZE, run_before=_quiet)


def test_exam_result(snap_compare: SnapCompare, tmp_path: Path) -> None:
    async def submit(pilot: Any) -> None:
        await _quiet(pilot)
        await pilot.press("ctrl+t", "y")
        await _quiet(pilot)
        await pilot.press("down")
        await _quiet(pilot)

    assert snap_compare(_exam_in_progress(tmp_path), terminal_size=SIZE, run_before=submit)


def test_stats(snap_compare: SnapCompare, tmp_path: Path) -> None:
    async def open_stats(pilot: Any) -> None:
        await _quiet(pilot)
        await pilot.press("t")
        await _quiet(pilot)

    assert snap_compare(_seeded_app(tmp_path), terminal_size=SIZE, run_before=open_stats)
