"""The home screen's head start (quiz.home): its numbers worked out by a child process while the UI
starts, handed to the app so that the first frame is complete, and never at the cost of the database."""

from __future__ import annotations

import os
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from quiz.context import Context
from quiz.home import HomePrefetch, HomeView, Prefetched, home_view, prefetch
from quiz.scheduler import utc_now
from quiz.session import StudySession
from quiz.store import Settings, Store
from tests.pty_support import quiz_command, run_in_pty
from tests.tui_support import TUI_BANKS, MovableClock, banks_copy, screen_text, settle
from tui.app import QuizApp, make_app
from tui.screens.home import HomeScreen

posix_only = pytest.mark.skipif(not hasattr(os, "fork"), reason="the head start needs fork (POSIX)")


def _learner(tmp_path: Path, *, language: str = "zh") -> Context:
    """A learner who has used the app: a database with their profile and settings, an unfinished
    study session, and the index of the banks the last start left."""
    ctx = Context(banks_dir=TUI_BANKS, db_path=tmp_path / "progress.db", profile="amy")
    lib, _ = ctx.load_library()  # saves the index, as every start does
    with Store.open(ctx.db_path) as store:
        store.ensure_profile("amy", utc_now())
        store.save_settings("amy", replace(Settings(), language=language, theme="nord"))
        StudySession.start(store, lib, "amy", "random", seed=1)  # left unfinished
    return ctx


@posix_only
def test_the_head_start_is_the_view_the_app_works_out_itself(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUIZ_CACHE_DIR", str(tmp_path / "cache"))
    ctx = _learner(tmp_path, language="en")
    started = HomePrefetch.start(ctx)
    assert started is not None
    got = started.result(30)
    assert got is not None
    quick = ctx.quick_library()
    assert quick is not None
    with Store.open(ctx.db_path) as store:
        expected = home_view(store, quick, "amy", utc_now(), preview=True)
    assert got == Prefetched("en", "nord", expected)
    assert got.view.resume is not None and got.view.resume.kind == "study"
    assert [row.id for row in got.view.topics][:1] == [f"bank:{next(iter(quick.banks))}"]


@posix_only
def test_no_head_start_for_a_first_start_a_new_profile_or_a_changed_bank(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUIZ_CACHE_DIR", str(tmp_path / "cache"))
    now = utc_now()
    # no database yet: nothing is created by the reader
    fresh = Context(banks_dir=TUI_BANKS, db_path=tmp_path / "new.db", profile="amy")
    fresh.load_library()
    assert prefetch(fresh, now) is None
    assert not fresh.db_path.exists()
    # a profile the database does not know yet (the app records it)
    ctx = _learner(tmp_path)
    assert prefetch(replace(ctx, profile="bob"), now) is None
    # a bank changed since the index was written: the index is out of date
    banks = banks_copy(tmp_path)
    moved = replace(ctx, banks_dir=banks)
    moved.load_library()
    assert prefetch(moved, now) is not None
    first = sorted(banks.rglob("*.yaml"))[0]
    first.write_text(first.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert prefetch(moved, now) is None
    # a child with nothing to say hands over nothing, and is reaped
    started = HomePrefetch.start(moved)
    assert started is not None and started.result(30) is None
    assert started.result(1) is None  # once only


def test_no_head_start_where_it_is_switched_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUIZ_NO_PREFETCH", "1")
    assert HomePrefetch.start(Context(banks_dir=TUI_BANKS, db_path=tmp_path / "p.db")) is None


def _view(due: int) -> HomeView:
    from quiz.home import ExamRow, Resume, TopicRow

    return HomeView(
        profile="amy", due=due, new_left_today=5, suggested_daily_new=None, streak=3, leeches=0, days_to_exam=None,
        resume=Resume("study", session_id=1, mode="random", number=2, total=9),
        topics=(TopicRow("bank:b", "一个" + "很长" * 30 + "的题库名称", True, 12, 0.5),
                TopicRow("topic:t1", "评价", False, 0, 1.0), TopicRow("topic:t2", "", False, 0, 0.0)),
        exams=(ExamRow("mock", "模拟考试", 80.0, 100.0, 60.0, 75.0, 100.0, False),),
        tasks=(), notices=(), preview=True,
    )


@pytest.mark.parametrize("size", [(80, 24), (100, 32)])
async def test_home_draws_the_numbers_it_was_handed_in_its_first_frame(tmp_path: Path, size: tuple[int, int],
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """With a head start the home screen never says 加载中: its numbers, in the learner's language,
    are there when it is first drawn, every topic row whole at any width."""
    monkeypatch.setattr(QuizApp, "open_services", lambda self: None)  # only what was handed over
    ctx = Context(banks_dir=TUI_BANKS, db_path=tmp_path / "p.db", profile="amy")
    app = make_app(ctx, now=MovableClock(), prefetched=Prefetched("en", "nord", _view(42)))
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        text = screen_text(app)
        assert "42 due" in text, text
        assert "Loading" not in text
        assert "question 2 of 9" in text, text
        assert app.theme == "nord"
        rows = [line for line in text.splitlines() if "░" in line or "█" in line]
        assert len(rows) == 3, text
        for row, figure in zip(rows, ("50% mastered", "100% mastered", "0% mastered"), strict=True):
            assert figure in row, row  # whole, on its row
        assert "…" in rows[0]  # the long bank title is cut to fit, not the figure


@pytest.mark.skipif(sys.platform == "win32", reason="runs the app in a POSIX pseudo-terminal")
def test_a_returning_learner_never_sees_the_loading_line(tmp_path: Path) -> None:
    """The real command: the first start creates the database and the index; the next shows home
    complete in its first frame (no 正在加载题库…)."""
    (tmp_path / "banks").symlink_to(TUI_BANKS, target_is_directory=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("QUIZ_")}
    env.update(QUIZ_DB=str(tmp_path / "progress.db"), QUIZ_CACHE_DIR=str(tmp_path / "cache"),
               QUIZ_BANKS=str(tmp_path / "banks"), TERM="xterm-256color")
    first = run_in_pty(quiz_command(), env=env, cwd=tmp_path, expect=["待复习", "掌握"], size=(100, 32))
    assert first.seen and first.status == 0, first.output[-400:]
    again = run_in_pty(quiz_command(), env=env, cwd=tmp_path, expect=["待复习", "掌握"], size=(100, 32))
    assert again.seen and again.status == 0, again.output[-400:]
    assert "正在加载题库" not in again.output


async def test_after_the_first_frame_the_app_loads_the_banks_and_shows_their_own_numbers(tmp_path: Path) -> None:
    """The head start is only the first frame: the store and the banks are loaded right after it, and
    home then shows what they say (here the handed-over view claimed 42 due; the learner has none)."""
    ctx = Context(banks_dir=TUI_BANKS, db_path=tmp_path / "p.db", profile="amy")
    app = make_app(ctx, now=MovableClock(), prefetched=Prefetched("zh", "dark", _view(42)))
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        for _ in range(50):
            if app.ready and "待复习 0 题" in screen_text(app):
                break
            await pilot.pause(0.1)
        assert app.ready
        text = screen_text(app)
        assert "待复习 0 题" in text and "待复习 42 题" not in text, text
        await pilot.press("s")  # and the app works: a study session opens on the loaded banks
        await settle(pilot)
        assert type(app.screen).__name__ == "StudyScreen"


@posix_only
def test_a_child_slower_than_the_ui_is_waited_for_again_not_lost(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """On a large database the child can take longer than the UI takes to start: the app waits a
    little, paints, and its services worker takes the child's answer when it comes."""
    import time

    import quiz.home

    monkeypatch.setenv("QUIZ_CACHE_DIR", str(tmp_path / "cache"))
    ctx = _learner(tmp_path)
    real = quiz.home.prefetch

    def slow(ctx: Context, now: object) -> Prefetched | None:
        time.sleep(1.0)
        return real(ctx, now)  # type: ignore[arg-type]

    monkeypatch.setattr(quiz.home, "prefetch", slow)  # (the child is a fork of this process)
    started = HomePrefetch.start(ctx)
    assert started is not None
    assert started.wait(0.1) is False  # still working: the app goes on
    got = started.result(30)  # the worker's later, longer wait
    assert got is not None and got.view.profile == "amy"
    assert started.result(1) is None  # once only


@posix_only
def test_a_child_that_does_not_answer_in_time_is_stopped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    import quiz.home

    monkeypatch.setenv("QUIZ_CACHE_DIR", str(tmp_path / "cache"))
    ctx = _learner(tmp_path)
    monkeypatch.setattr(quiz.home, "prefetch", lambda ctx, now: time.sleep(60))
    started = HomePrefetch.start(ctx)
    assert started is not None
    t = time.monotonic()
    assert started.result(0.2) is None
    assert time.monotonic() - t < 5  # stopped and reaped, not waited for
    with pytest.raises(ChildProcessError):
        os.waitpid(started._pid, os.WNOHANG)  # reaped already


@posix_only
def test_an_answer_read_whole_by_wait_is_the_result(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What ``quiz`` does at start: wait a bounded time, then take the answer without waiting more."""
    monkeypatch.setenv("QUIZ_CACHE_DIR", str(tmp_path / "cache"))
    started = HomePrefetch.start(_learner(tmp_path))
    assert started is not None
    assert started.wait(30) is True
    got = started.result(0)
    assert got is not None and got.view.profile == "amy"


@posix_only
def test_quiz_takes_the_head_start_when_the_child_is_done(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tui.app import head_start

    monkeypatch.setenv("QUIZ_CACHE_DIR", str(tmp_path / "cache"))
    ctx = _learner(tmp_path, language="en")
    ctx.home_prefetch = HomePrefetch.start(ctx)
    got = head_start(ctx)
    assert got is not None and got.language == "en" and got.view.profile == "amy"
    assert head_start(Context(banks_dir=TUI_BANKS, db_path=tmp_path / "none.db")) is None  # none started
