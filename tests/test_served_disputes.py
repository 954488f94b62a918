"""我答对了 on an exam answer, end to end in the served app: the learner disputes it from the exam's
review, the trainer sees it with its exam and accepts it, and the learner's exam history shows the
corrected score."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable

from quiz.exam import ExamAttempt
from quiz.loader import load_paths
from quiz.store import Store
from tests.test_served import served_app, team_db  # noqa: F401 (a fixture)
from tests.tui_support import T0, TUI_BANKS, MovableClock, screen_text, settle
from tui.screens.result import HistoryScreen, ResultScreen
from tui.screens.trainer import TrainerScreen


def failed_attempt(db: Path) -> tuple[int, int]:
    """小李's submitted tui-mock: one single choice and the numeric answered wrong (4 of 8, pass 6)."""
    lib, _ = load_paths([TUI_BANKS])
    with Store.open(db) as store:
        att = ExamAttempt.start(store, lib, "小李", "tui-mock", seed=3, now=lambda: T0)
        wrong = -1
        for q in att.questions:
            if q.question.type == "single":
                right = str(q.question.answer)  # type: ignore[union-attr]
                if wrong < 0:
                    wrong, right = q.position, ("A" if right != "A" else "B")
                att.answer(q.position, right)
            elif q.question.type == "judge":
                att.answer(q.position, "对" if q.question.answer else "错")  # type: ignore[union-attr]
            else:
                att.answer(q.position, "999")
        result = att.submit()
        assert result.score == 4 and not result.passed
        return att.attempt_id, wrong


async def test_a_learner_disputes_an_exam_answer_and_the_trainers_acceptance_corrects_the_score(
    team_db: Path,  # noqa: F811
) -> None:
    attempt_id, wrong = failed_attempt(team_db)
    clock = MovableClock(T0)
    app = served_app(team_db, account="小李", clock=clock)
    async with app.run_test(size=(110, 34)) as pilot:
        await settle(pilot)
        await app.run_action("history")
        await settle(pilot)
        assert isinstance(app.screen, HistoryScreen)
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ResultScreen)
        assert "得分 4 / 8" in screen_text(app)
        # a question answered right cannot be disputed: the key is greyed out and says so
        right = next(q.position for q in screen.result.questions if q.result.verdict == "correct")
        table = screen.query_one("#result-questions", DataTable)
        table.move_cursor(row=right)
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        assert app.store.disputes("小李") == []
        table.move_cursor(row=wrong)
        await settle(pilot)
        assert "我答对了" in screen_text(app).splitlines()[-1]
        await pilot.press("d")
        await settle(pilot)
        assert "已申诉，等待培训师复核" in screen_text(app)
        [d] = app.store.disputes("小李")
        assert d.status == "open"
        await pilot.press("d")  # once is enough
        await settle(pilot)
        assert len(app.store.disputes("小李")) == 1

    clock.advance(hours=1)
    app = served_app(team_db, account="boss", clock=clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await app.run_action("trainer")
        await settle(pilot)
        trainer = app.screen
        assert isinstance(trainer, TrainerScreen)
        trainer.query_one("#trainer-tabs").active = "tab-disputes"  # type: ignore[attr-defined]
        await settle(pilot)
        table = trainer.query_one("#dispute-table", DataTable)
        table.move_cursor(row=0)  # open ones first, newest first: 小李's exam answer
        await settle(pilot)
        text = screen_text(app)
        assert f"考试第{wrong + 1}题" in text
        assert "模拟考试：界面测试模拟考" in text and f"第 {wrong + 1} 题，本题 2 分" in text
        assert "这次考试现在 4/8（未通过）；接受后本题得满分，成绩 6/8" in text
        trainer.query_one("#dispute-accept").press()  # type: ignore[attr-defined]
        await settle(pilot)
        [d] = app.store.disputes("小李")
        assert d.status == "accepted"
        table.move_cursor(row=table.get_row_index(str(d.id)))  # open ones stay first: 王五's
        await settle(pilot)
        assert "考试成绩已更正：4 → 6/8（通过）" in screen_text(app)

    app = served_app(team_db, account="小李", clock=clock)
    async with app.run_test(size=(110, 34)) as pilot:
        await settle(pilot)
        assert "申诉已接受" in screen_text(app)  # on the home
        await app.run_action("history")
        await settle(pilot)
        text = screen_text(app)
        assert "6/8" in text and "通过" in text
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ResultScreen) and screen.result.attempt_id == attempt_id
        assert "得分 6 / 8" in screen_text(app)
        screen.query_one("#result-questions", DataTable).move_cursor(row=wrong)
        await settle(pilot)
        assert "申诉已接受：已改判正确，成绩已更正" in screen_text(app)
