"""Helpers for the terminal UI tests: a movable clock, an app on a temporary database."""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

from textual.screen import Screen

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
    """What the screen shows, as plain text (one line per terminal row; a no-break space shows as a space)."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips()).replace("\u00a0", " ")


S = TypeVar("S", bound=Screen[Any])


async def press_into(pilot: Any, key: str, screen_type: type[S]) -> S:
    """Press ``key`` and let the app settle: the screen it opened, checked to be a ``screen_type``."""
    await pilot.press(key)
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, screen_type), screen
    return screen


async def settle(pilot: Any) -> None:
    """Let workers finish and the screen repaint (an exclusive worker replaced by a newer one is fine)."""
    from textual.worker import WorkerCancelled

    await pilot.pause()
    for _ in range(20):
        try:
            await pilot.app.workers.wait_for_complete()
            break
        except WorkerCancelled:
            await pilot.pause()
    await pilot.pause()


def open_store(path: Path) -> Store:
    return Store.open(path)


# answers a learner gave over the past days: (days before T0, qid, answer)
HISTORY: list[tuple[int, str, str]] = [
    (12, "tui-rules/ship-days", "A"),
    (12, "tui-rules/fake-goods", "对"),
    (9, "tui-rules/ship-days", "B"),
    (9, "tui-rules/review-days", "15天"),
    (6, "tui-rules/response-rate", "咨询量/接待量"),
    (6, "tui-rules/freight-insurance", "B"),
    (3, "tui-rules/penalty-points", "错"),
    (3, "tui-rules/delay-comp", "A"),
    (1, "tui-rules/response-rate", "接待量/咨询量"),
    (1, "tui-rules/angry-buyer", "先道歉安抚，再核实情况"),
]


def seed_history(db: Path, *, exam_seed: int = 7) -> None:
    """A learner with two weeks of answers and one finished mock exam (fixed, for snapshots)."""
    from quiz.exam import ExamAttempt
    from quiz.scheduler import SpacedScheduler
    from quiz.session import Filters, StudySession

    lib, _ = load_paths([TUI_BANKS])
    store = Store.open(db)
    store.ensure_profile("default", T0 - timedelta(days=30))
    scheduler = SpacedScheduler(enable_fuzzing=False)
    for days, qid, answer in HISTORY:
        when = T0 - timedelta(days=days)
        item = lib.item(qid)
        session = StudySession.start(
            store, lib, "default", "focus", Filters(topics=(item.topic,)), now=lambda w=when: w, scheduler=scheduler
        )
        while (cur := session.current()) is not None and cur.qid != qid:
            session.skip()
        session.answer(answer, seconds=20)
        session.finish()
    when = T0 - timedelta(days=2)
    attempt = ExamAttempt.start(store, lib, "default", "tui-mock", seed=exam_seed, now=lambda: when, scheduler=scheduler)
    for q in attempt.questions[:3]:
        attempt.answer(q.position, "A" if q.question.type == "single" else "对")
    attempt.submit()
    store.close()
