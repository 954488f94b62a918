"""Snapshots of the main screens at 80x24 (most terminals' default) and 100x32, for a person
to judge by eye; in Chinese, and the home screen and a feedback in English too.

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
from tests.tui_support import T0, TUI_BANKS, MovableClock, build_app, open_store, seed_history, settle
from tui.app import QuizApp, Start

SnapCompare = Callable[..., bool]
SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((100, 32), id="100x32")]


@pytest.fixture(autouse=True)
def _utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def _seeded_app(tmp_path: Path, start: Start | None = None, language: str | None = None) -> QuizApp:
    db = tmp_path / "progress.db"
    seed_history(db)
    return build_app(tmp_path, clock=MovableClock(T0), start=start, db=db, language=language)


async def _quiet(pilot: Any) -> None:
    await settle(pilot)
    pilot.app.clear_notifications()
    await pilot.pause()


def _exam_in_progress(tmp_path: Path, language: str | None = None) -> QuizApp:
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
    return build_app(tmp_path, clock=MovableClock(T0), start=Start("exam", exam_id="tui-mock"), db=db, language=language)


@pytest.mark.parametrize("size", SIZES)
def test_home(snap_compare: SnapCompare, tmp_path: Path, size: tuple[int, int]) -> None:
    assert snap_compare(_seeded_app(tmp_path), terminal_size=size, run_before=_quiet)


def test_home_in_english(snap_compare: SnapCompare, tmp_path: Path) -> None:
    assert snap_compare(_seeded_app(tmp_path, language="en"), terminal_size=(80, 24), run_before=_quiet)


def test_home_menu_unfolded(snap_compare: SnapCompare, tmp_path: Path) -> None:
    async def menu(pilot: Any) -> None:
        await _quiet(pilot)
        await pilot.press("m")
        await _quiet(pilot)

    assert snap_compare(_seeded_app(tmp_path), terminal_size=(80, 24), run_before=menu)


@pytest.mark.parametrize("size", SIZES)
def test_study_with_feedback(snap_compare: SnapCompare, tmp_path: Path, size: tuple[int, int]) -> None:
    """A scenario answered with a forbidden action: the long feedback scrolls, the rating stays."""
    app = _seeded_app(tmp_path, Start("study", mode="focus", topic="纠纷处理"))

    async def answer(pilot: Any) -> None:
        await _quiet(pilot)
        await pilot.press(*"我会先道歉安抚买家然后骂他", "ctrl+s")
        await _quiet(pilot)

    assert snap_compare(app, terminal_size=size, run_before=answer)


@pytest.mark.parametrize("language", ["zh", "en"])
def test_study_choice_feedback(snap_compare: SnapCompare, tmp_path: Path, language: str) -> None:
    """A 多选 answered wrong at 80x24: ✓ on the right choices, ✗ on the wrong pick, said once."""
    app = _seeded_app(tmp_path, Start("study", mode="focus", topic="发货规则"), language=language)

    async def answer(pilot: Any) -> None:
        await _quiet(pilot)
        await pilot.press("b", "enter")
        await _quiet(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=answer)


@pytest.mark.parametrize("size", SIZES)
def test_exam_with_answer_sheet(snap_compare: SnapCompare, tmp_path: Path, size: tuple[int, int]) -> None:
    assert snap_compare(_exam_in_progress(tmp_path), terminal_size=size, run_before=_quiet)


@pytest.mark.parametrize("size", SIZES)
def test_exam_result(snap_compare: SnapCompare, tmp_path: Path, size: tuple[int, int]) -> None:
    async def submit(pilot: Any) -> None:
        await _quiet(pilot)
        await pilot.press("ctrl+t", "y")
        await _quiet(pilot)
        await pilot.press("down")
        await _quiet(pilot)

    assert snap_compare(_exam_in_progress(tmp_path), terminal_size=size, run_before=submit)


@pytest.mark.parametrize("size", SIZES)
def test_stats(snap_compare: SnapCompare, tmp_path: Path, size: tuple[int, int]) -> None:
    async def open_stats(pilot: Any) -> None:
        await _quiet(pilot)
        await pilot.press("t")
        await _quiet(pilot)

    assert snap_compare(_seeded_app(tmp_path), terminal_size=size, run_before=open_stats)
