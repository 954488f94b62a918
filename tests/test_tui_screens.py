"""The secondary screens: 错题本, 收藏, settings, bank browser, statistics, trainer, command palette."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable, Input, Select, Tree

from tests.tui_support import build_app, open_store, press_into, screen_text, seed_history, settle
from tui.commands import MAIN_ACTIONS, MainCommands
from tui.screens.bookmarks import BookmarksScreen
from tui.screens.browse import BrowseScreen
from tui.screens.settings import SettingsScreen
from tui.screens.stats import StatsScreen
from tui.screens.study import StudyScreen
from tui.screens.trainer import TrainerScreen
from tui.screens.wrong_book import WrongBookScreen


async def test_wrong_book_lists_filters_removes_and_practises(tmp_path: Path) -> None:
    db = tmp_path / "progress.db"
    seed_history(db)
    wrong_before = {e.qid for e in open_store(db).wrong_book("default")}
    assert "tui-rules/response-rate" in wrong_before
    app = build_app(tmp_path, db=db)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await pilot.press("w")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, WrongBookScreen)
        table = screen.query_one(DataTable)
        assert table.row_count == len(wrong_before)
        screen.query_one(Select).value = "客服指标"
        await settle(pilot)
        assert [str(k.value) for k in table.rows] == [
            q for q in (e.qid for e in open_store(db).wrong_book("default")) if q == "tui-rules/response-rate"
        ]
        assert "客服应答率的计算公式" in screen_text(app)  # the preview of the highlighted question
        await pilot.press("p")  # practise the filtered book
        await settle(pilot)
        study = app.screen
        assert isinstance(study, StudyScreen)
        assert study.session is not None and study.session.mode == "wrong"
        assert study.item is not None and study.item.qid == "tui-rules/response-rate"
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen
        await pilot.press("x")  # remove it from the book
        await settle(pilot)
    assert "tui-rules/response-rate" not in {e.qid for e in open_store(db).wrong_book("default")}


async def test_bookmarks_screen_removes_a_bookmark(tmp_path: Path) -> None:
    db = tmp_path / "progress.db"
    store = open_store(db)
    store.set_bookmark("default", "tui-rules/fake-goods", True)
    store.close()
    app = build_app(tmp_path, db=db)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await press_into(pilot, "f", BookmarksScreen)
        assert "出售假冒商品属于严重违规行为" in screen_text(app)
        await pilot.press("delete")
        await settle(pilot)
        assert "还没有收藏题目" in screen_text(app)
    assert open_store(db).bookmarks("default") == []


async def test_settings_create_a_profile_and_save_limits(tmp_path: Path) -> None:
    app = build_app(tmp_path)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SettingsScreen)
        screen.query_one("#new-profile", Input).focus()
        await pilot.press(*"小王", "enter")
        await settle(pilot)
        assert app.profile == "小王"
        screen.query_one("#daily-new", Input).value = "5"
        screen.query_one("#retention", Input).value = "0.85"
        await pilot.press("ctrl+s")
        await settle(pilot)
        screen.query_one("#retention", Input).value = "1.5"  # refused by the core, shown, nothing saved
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.is_running
    store = open_store(tmp_path / "progress.db")
    assert "小王" in store.profiles()
    s = store.get_settings("小王")
    assert (s.daily_new_limit, s.desired_retention) == (5, 0.85)
    assert store.get_settings("default").daily_new_limit == 20


async def test_bank_browser_previews_a_question_with_its_accepted_and_rejected_answers(tmp_path: Path) -> None:
    app = build_app(tmp_path)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await pilot.press("b")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, BrowseScreen)
        tree: Tree[str] = screen.query_one(Tree)
        node = next(n for n in _walk(tree.root) if n.data == "q:tui-rules/response-rate")
        node.parent.expand()  # type: ignore[union-attr]
        await pilot.pause()
        tree.move_cursor(node)
        await settle(pilot)
        text = screen_text(app)
        assert "✓ 接待量/咨询量" in text and "✗ 咨询量/接待量" in text


def _walk(node):  # type: ignore[no-untyped-def]
    yield node
    for child in node.children:
        yield from _walk(child)


async def test_statistics_screen_draws_from_the_history(tmp_path: Path) -> None:
    db = tmp_path / "progress.db"
    seed_history(db)
    app = build_app(tmp_path, db=db)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await press_into(pilot, "t", StatsScreen)
        text = screen_text(app)
        assert "已学 8/8 题" in text and "连续 3 天" in text
        assert "每日答题数" in text and "学习日历" in text and "各知识点正确率" in text


async def test_grader_playground_grades_as_the_trainer_types(tmp_path: Path) -> None:
    app = build_app(tmp_path)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await app.run_action("trainer")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, TrainerScreen)
        await pilot.press("right")  # the playground tab
        await settle(pilot)
        screen.query_one("#pg-qid", Input).value = "tui-rules/response-rate"
        screen.query_one("#pg-answer", Input).focus()
        await pilot.press(*"接待量", "slash", *"咨询量")
        await settle(pilot)
        assert "回答正确" in screen_text(app)
        screen.query_one("#pg-answer", Input).value = "咨询量/接待量"
        await settle(pilot)
        assert "回答错误" in screen_text(app)


async def test_command_palette_lists_the_main_actions(tmp_path: Path) -> None:
    app = build_app(tmp_path)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        provider = MainCommands(app.screen)
        titles = [hit.text async for hit in provider.discover()]
        assert len(titles) == len(MAIN_ACTIONS) - 1  # all but 退出登录, which only a served session has
        assert "开始智能复习" in titles and "模拟考试" in titles and "打开错题本" in titles
        hits = [hit.text async for hit in provider.search("错题")]
        assert hits == ["打开错题本"]
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"统计")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, StatsScreen)


async def test_trainer_report_shows_facility_wrong_answers_and_disputes(tmp_path: Path) -> None:
    db = tmp_path / "progress.db"
    seed_history(db)
    store = open_store(db)
    store.add_dispute("default", "tui-rules/response-rate", "咨询量/接待量", "wrong", note="教材写法")
    store.close()
    app = build_app(tmp_path, db=db)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await app.run_action("trainer")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, TrainerScreen)
        table = screen.query_one("#report-items", DataTable)
        rows = {str(k.value) for k in table.rows}
        assert "tui-rules/response-rate" in rows and "tui-rules/ship-days" in rows
        table.focus()
        table.move_cursor(row=[str(k.value) for k in table.rows].index("tui-rules/response-rate"))
        await settle(pilot)
        text = screen_text(app)
        assert "⚑ default：咨询量/接待量" in text and "教材写法" in text
        assert "default" in text  # the learners' summary


async def test_a_progress_file_that_is_not_sqlite_ends_the_app_with_one_line_and_is_left_alone(tmp_path: Path) -> None:
    db = tmp_path / "notes.txt"
    db.write_text("这不是数据库\n" * 50, encoding="utf-8")
    before = db.read_bytes()
    app = build_app(tmp_path, db=db)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
    assert app.fatal is not None and "\n" not in app.fatal and str(db) in app.fatal
    assert app.return_code == 2
    assert db.read_bytes() == before


async def test_memorize_toggle_and_exam_history(tmp_path: Path) -> None:
    db = tmp_path / "progress.db"
    seed_history(db)
    app = build_app(tmp_path, db=db)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        study = app.screen
        assert isinstance(study, StudyScreen) and study.state == "asking"
        await pilot.press("ctrl+r")  # 背题模式: the answer is shown, nothing to type
        await settle(pilot)
        assert study.state == "memorize" and study.session is not None and study.session.memorizing
        assert study.session.mode == "smart"  # the same session, in 背题模式
        assert study.item is not None
        shown = screen_text(app)
        if study.item.question.type in ("single", "multi"):
            assert "✓ ○" in shown  # the right choice is marked on the choices themselves
        else:
            assert "正确答案" in shown or "参考答案" in shown
        await pilot.press("ctrl+r")  # back to answering
        await settle(pilot)
        assert study.state == "asking" and study.session is not None and not study.session.memorizing
        await pilot.press("escape")
        await settle(pilot)
        await app.run_action("history")
        await settle(pilot)
        assert "界面测试模拟考" in screen_text(app) and "未通过" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        from tui.screens.result import ResultScreen

        assert isinstance(app.screen, ResultScreen)
        assert "逐题回顾" in screen_text(app)


async def test_theme_setting_changes_the_theme(tmp_path: Path) -> None:
    app = build_app(tmp_path)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        app.screen.query_one("#theme", Select).value = "light"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.theme == "textual-light"
    assert open_store(tmp_path / "progress.db").get_settings("default").theme == "light"


async def test_readiness_keeps_the_best_score_in_one_piece_at_any_width(tmp_path: Path) -> None:
    """A long exam title pushes 最高 13.8 to the end of the row: it moves whole, never 最 / 高 13.8."""
    import re

    from rich.console import Console

    from tests.tui_support import banks_copy

    banks = banks_copy(tmp_path)
    exam = banks / "exams" / "tui-mock.yaml"
    exam.write_text(exam.read_text(encoding="utf-8").replace("title: 界面测试模拟考", "title: 客服认证模拟考试（售前售后与纠纷处理综合卷）"), encoding="utf-8")
    seed_history(tmp_path / "progress.db")
    for width in range(80, 101, 3):
        app = build_app(tmp_path, banks=banks)
        async with app.run_test(size=(width, 40)) as pilot:
            await settle(pilot)
            await pilot.press("t")
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, StatsScreen)
            box = screen.query_one("#readiness")
            console = Console(width=box.content_region.width, record=True, color_system=None)
            console.print(box.content)
            rows = console.export_text().splitlines()
            best = [row for row in rows if "最" in row or "高 " in row]
            assert best and all(re.search(r"最高 \d", row) for row in best), (width, rows[:4])


async def test_the_bank_browser_at_80x24_shows_every_bank_and_topic_count_whole(tmp_path: Path) -> None:
    import re

    from tests.conftest import SHIPPED_BANKS

    app = build_app(tmp_path, banks=SHIPPED_BANKS)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press_into(pilot, "b", BrowseScreen)
        seen = 0
        for _ in range(6):  # page through the tree
            for row in screen_text(app).splitlines():
                left = row.split("▕")[0]
                if "▶" in left or "▼ " in left[3:]:
                    assert re.search(r"[(（]\d+[)）]", left), row  # the count whole: (10), not (1
                    seen += 1
            await pilot.press("pagedown")
            await pilot.pause()
        assert seen > 20
