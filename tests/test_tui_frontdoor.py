"""The first hour of a learner: the screen fits an 80x24 terminal, footers tell the truth, keys
mean the same everywhere, focus follows the learner, nothing is lost to a stray key, and the
exam review works as a learner expects (只看错题, 错题重练)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from textual.widgets import DataTable, Input, Select
from textual.widgets._footer import FooterKey

from quiz.context import Context
from quiz.errors import UserError
from tests.tui_support import TUI_BANKS, build_app, open_store, press_into, screen_text, seed_history, settle
from tui import i18n
from tui.app import Start
from tui.commands import MainCommands
from tui.screens.exam import ExamScreen
from tui.screens.home import HomeScreen
from tui.screens.result import ResultScreen
from tui.screens.settings import SettingsScreen
from tui.screens.study import StudyScreen
from tui.screens.wrong_book import WrongBookScreen
from tui.widgets.answer import ChoicePad


@pytest.fixture(autouse=True)
def _chinese_after() -> object:
    yield
    i18n.set_language("zh")


def _footer_fits(app: object) -> list[str]:
    """The footer keys on screen: each must lie whole inside the terminal."""
    screen = app.screen  # type: ignore[attr-defined]
    width = app.size.width  # type: ignore[attr-defined]
    shown = []
    for key in screen.query(FooterKey):
        region = key.region
        if region.width == 0:
            continue
        assert region.x >= 0 and region.right <= width, (key.key_display, key.description, region, width)
        shown.append(f"{key.key_display} {key.description}".strip())
    return shown


@pytest.mark.parametrize("language", ["zh", "en"])
async def test_home_at_80x24_keeps_every_mastery_figure_on_its_row_and_the_whole_footer(tmp_path: Path, language: str) -> None:
    app = build_app(tmp_path, banks=TUI_BANKS.parent.parent.parent / "banks", language=language)  # the shipped banks
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        lines = screen_text(app).splitlines()
        figure = re.compile(r"掌握 \d+%" if language == "zh" else r"\d+% mastered")
        rows = [ln for ln in lines if "░" in ln or "█" in ln]
        assert len(rows) >= 8
        for row in rows:  # a bar row carries its figure, whole, on the same line
            assert figure.search(row), row
        # the focus is on what is on screen (the topics), never on the folded-away menu
        focused = app.focused
        assert focused is not None and focused.id == "topics" and focused.region.area > 0, focused
        shown = _footer_fits(app)
        assert any("命令" in k or "Commands" in k for k in shown)  # the palette key, whole
        assert any(k.startswith("m ") for k in shown)  # the folded menu can be found
        await pilot.press("m")
        await settle(pilot)
        assert app.screen.query_one("#menu").display
        for row in [ln for ln in screen_text(app).splitlines() if "░" in ln or "█" in ln]:
            assert figure.search(row), row


async def test_every_main_screen_fits_80x24_without_a_cut_footer(tmp_path: Path) -> None:
    db = tmp_path / "progress.db"
    seed_history(db)
    app = build_app(tmp_path, db=db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for key in ("s", "e", "w", "f", "t", "b", "o"):
            await pilot.press(key)
            await settle(pilot)
            assert app.screen is not None and _footer_fits(app), key
            await pilot.press("escape")
            await settle(pilot)
            if isinstance(app.screen, SettingsScreen):
                await pilot.press("escape")
                await settle(pilot)


@pytest.mark.parametrize("size", [(80, 24), (100, 32)])
async def test_a_long_scenario_feedback_scrolls_and_the_rating_row_stays_on_screen(tmp_path: Path, size: tuple[int, int]) -> None:
    app = build_app(tmp_path, start=Start("study", mode="focus", topic="纠纷处理"))
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press(*"我会先道歉安抚买家然后骂他，再说一遍我会先道歉安抚买家然后骂他", "ctrl+s")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, StudyScreen) and screen.state == "feedback"
        rating = screen.query_one("#rating")
        assert rating.display and rating.region.height >= 1
        assert rating.region.bottom <= size[1] - 1  # above the footer, on screen
        text = screen_text(app)
        assert "评分（按 1-4 修改）" in text and "1 重来" in text
        assert "参考答案：" in text and "正确答案" not in text  # a scenario's model answer is a 参考答案


async def test_after_a_jump_through_the_answer_sheet_the_answer_keys_work_at_once(tmp_path: Path) -> None:
    app = build_app(tmp_path, start=Start("exam", exam_id="tui-mock"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ExamScreen) and screen.attempt is not None
        await pilot.press("ctrl+g", "right", "enter")
        await settle(pilot)
        assert screen.position == 1
        assert isinstance(app.focused, ChoicePad)  # no Tab needed
        await pilot.press("b")
        await settle(pilot)
        assert screen.attempt.questions[1].answer is not None  # the key answered question 2
        assert screen.position == 2  # and moved on
        await pilot.press("ctrl+g", "left", "left", "enter")
        await settle(pilot)
        assert screen.position == 0 and isinstance(app.focused, ChoicePad)


async def test_exam_keys_match_study_keys_and_submit_shows_while_typing(tmp_path: Path) -> None:
    app = build_app(tmp_path, start=Start("exam", exam_id="tui-mock"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ExamScreen) and screen.attempt is not None
        typed = next(q.position for q in screen.attempt.questions if q.question.type == "numeric")
        await pilot.press(*(["ctrl+n"] * typed))
        await settle(pilot)
        assert isinstance(app.focused, Input)  # a text box has the focus
        shown = _footer_fits(app)
        assert "^t 交卷" in shown and "^b 上一题" in shown and "^f 标记" in shown
    study = build_app(tmp_path / "s", start=Start("study", mode="sequential"))
    (tmp_path / "s").mkdir()
    async with study.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        shown = _footer_fits(study)
        assert "^f 收藏" in shown  # ^f marks a question in both (收藏 here, 标记 in an exam)
        assert not any(k.startswith("^b") for k in shown)  # ^b is only an exam's 上一题


async def test_footers_tell_the_truth(tmp_path: Path) -> None:
    app = build_app(tmp_path, start=Start("study", mode="focus", topic="客服指标"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press(*"接待量", "slash", *"咨询量", "enter")
        await settle(pilot)
        assert "⏎ 下一题" in _footer_fits(app)
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, StudyScreen) and screen.state == "done"
        shown = _footer_fits(app)
        assert "⏎ 返回首页" in shown and "⏎ 下一题" not in shown  # Enter goes home, and says so
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("e")
        await settle(pilot)
        assert "⏎ 开始考试" in _footer_fits(app)


async def test_result_review_missed_only_and_retry_exactly_the_missed(tmp_path: Path) -> None:
    app = build_app(tmp_path, start=Start("exam", exam_id="tui-mock"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ExamScreen) and screen.attempt is not None
        first = screen.attempt.questions[0].question
        from quiz.model import LETTERS

        await pilot.press(LETTERS[getattr(first, "answer_index", 0)].lower())  # right
        await settle(pilot)
        await pilot.press("ctrl+t", "y")
        await settle(pilot)
        result = app.screen
        assert isinstance(result, ResultScreen)
        missed = [q.qid for q in result.result.missed()]
        assert len(missed) == 4 and screen.attempt.questions[0].qid not in missed
        table = result.query_one("#result-questions", DataTable)
        assert table.row_count == 5
        await pilot.press("w")  # 只看错题
        await settle(pilot)
        assert table.row_count == 4 and "只看错题（4/5）" in screen_text(app)
        assert "w 显示全部" in _footer_fits(app)
        await pilot.press("w")
        await settle(pilot)
        assert table.row_count == 5
        await pilot.press("r")  # 错题重练
        await settle(pilot)
        study = app.screen
        assert isinstance(study, StudyScreen) and study.session is not None
        assert study.session.mode == "retry" and study.session.queue == missed
        assert "错题重练" in screen_text(app)


async def test_removing_from_the_wrong_book_can_be_undone(tmp_path: Path) -> None:
    db = tmp_path / "progress.db"
    seed_history(db)
    before = {e.qid: e for e in open_store(db).wrong_book("default")}
    app = build_app(tmp_path, db=db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = await press_into(pilot, "w", WrongBookScreen)
        table = screen.query_one(DataTable)
        removed = str(next(iter(table.rows)).value)
        await pilot.press("x")
        await settle(pilot)
        assert table.row_count == len(before) - 1
        assert "已移除：按 u 撤销" in [n.message for n in app._notifications]
        assert "u 撤销" in _footer_fits(app)
        await pilot.press("u")
        await settle(pilot)
        assert table.row_count == len(before)
        assert "u 撤销" not in _footer_fits(app)
    after = {e.qid: e for e in open_store(db).wrong_book("default")}
    assert after[removed] == before[removed]  # back exactly as it was: count, streak, dates


async def test_escape_in_settings_with_unsaved_changes_asks(tmp_path: Path) -> None:
    app = build_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        settings = await press_into(pilot, "o", SettingsScreen)
        settings.query_one("#daily-new", Input).value = "7"
        await pilot.press("escape")
        await settle(pilot)
        assert "设置还没有保存" in screen_text(app)
        await pilot.press("escape")  # keep editing
        await settle(pilot)
        assert app.screen is settings and settings.query_one("#daily-new", Input).value == "7"
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("s")  # save and leave
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("o")
        await settle(pilot)
        app.screen.query_one("#daily-new", Input).value = "9"
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("d")  # discard
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("o")
        await settle(pilot)
        await pilot.press("escape")  # nothing changed: no question
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
    assert open_store(tmp_path / "progress.db").get_settings("default").daily_new_limit == 7


async def test_escape_asks_for_every_setting_edited_not_only_some(tmp_path: Path) -> None:
    """The exam date, the hour a day starts and the leech threshold are settings like the others:
    edited and left with Esc, they are asked about, not dropped."""
    app = build_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for field, value in (("#exam-date", "2027-01-15"), ("#day-start", "6"), ("#leech", "4")):
            settings = await press_into(pilot, "o", SettingsScreen)
            settings.query_one(field, Input).value = value
            await pilot.press("escape")
            await settle(pilot)
            assert "设置还没有保存" in screen_text(app), field
            await pilot.press("s")  # save and leave
            await settle(pilot)
            assert isinstance(app.screen, HomeScreen)
    saved = open_store(tmp_path / "progress.db").get_settings("default")
    assert (saved.exam_date, saved.day_start_hour, saved.leech_threshold) == ("2027-01-15", 6, 4)


async def test_settings_at_80x24_in_both_languages_wrap_labels_whole_and_translate_the_placeholder(tmp_path: Path) -> None:
    app = build_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        settings = await press_into(pilot, "o", SettingsScreen)
        form = settings.query_one("#settings-form")
        form.scroll_end(animate=False)
        await settle(pilot)
        rows = [row.strip() for row in screen_text(app).splitlines()]
        assert not any(row.startswith(("）", "(", ")")) for row in rows), rows
        assert any(row.startswith("新的一天从几点开始") for row in rows)
        from rich.text import Text
        from textual.widgets import Label

        from tui.widgets.wrap import wrap_text

        for label in settings.query(Label):  # every label whole in the room its row gives it
            text = str(label.content.text) if hasattr(label.content, "text") else str(label.content)
            room = label.parent.size.height - label.styles.padding.top  # type: ignore[union-attr]
            assert len(wrap_text(Text(text), label.content_region.width)) <= room, (text, room)
        assert settings.query_one("#new-profile", Input).placeholder == "新建档案名"
        settings.query_one("#language", Select).value = "en"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert settings.query_one("#new-profile", Input).placeholder == "New profile name"
        for label in settings.query(Label):
            text = str(label.content.text) if hasattr(label.content, "text") else str(label.content)
            room = label.parent.size.height - label.styles.padding.top  # type: ignore[union-attr]
            assert len(wrap_text(Text(text), label.content_region.width)) <= room, (text, room)
        assert "新建档案名" not in screen_text(app)


async def test_the_palette_and_textuals_own_notices_speak_the_learners_language(tmp_path: Path) -> None:
    app = build_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        provider = MainCommands(app.screen)
        hits = [(hit.text, hit.help) async for hit in provider.discover()]
        titles = [h[0] for h in hits]
        assert "开始智能复习" in titles and all("(" not in t and "_" not in t for t in titles)  # no internal names
        assert ("开始智能复习", "首页快捷键 s") in hits and ("打开首页", "快捷键 F1") in hits
        found = sorted([(hit.score, hit.text) async for hit in provider.search("statistics")], reverse=True)
        assert found[0][1] == "查看统计"  # found by its English name too
        await pilot.press("ctrl+p")
        await settle(pilot)
        text = screen_text(app)
        assert "搜索命令…" in text and "Search for commands" not in text
        assert "go_home" not in text and "study('smart')" not in text
        await pilot.press("escape")
        await pilot.press("ctrl+c")
        await settle(pilot)
        [notice] = list(app._notifications)
        assert notice.title == "要退出吗？" and "Ctrl+Q" in notice.message and "quit" not in notice.message
        app.clear_notifications()
        await app.run_action("change_theme")
        await settle(pilot)
        text = screen_text(app)
        assert "深色" in text and "textual-dark" not in text and "搜索主题…" in text


def test_quiz_lang_and_the_lang_option_choose_the_language(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUIZ_LANG", "en")
    assert Context.from_env().language == "en"
    assert Context.from_env(lang="zh").language == "zh"  # the option wins over the environment
    monkeypatch.setenv("QUIZ_LANG", "fr")
    with pytest.raises(UserError, match="QUIZ_LANG: unknown language 'fr'"):
        Context.from_env()
    monkeypatch.delenv("QUIZ_LANG")
    assert Context.from_env().language is None  # the profile's setting then


async def test_the_language_from_the_command_line_overrides_the_profile(tmp_path: Path) -> None:
    store = open_store(tmp_path / "progress.db")
    from dataclasses import replace

    store.save_settings("default", replace(store.get_settings("default"), language="zh"))
    store.close()
    app = build_app(tmp_path, language="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert "Banks and topics" in text and "题库与知识点" not in text
        footer = text.splitlines()[-1]
        assert not re.search(r"[\u4e00-\u9fff]", footer), footer


async def test_the_exam_footer_offers_submit_while_a_written_answer_is_focused(tmp_path: Path) -> None:
    """An answer box's Ctrl+S (提交答案) and the exam's Ctrl+T (交卷) are both in the footer: the
    footer shows one key per action, so the two must not share one (^t was hidden on 情景题)."""
    from tests.tui_support import banks_copy
    from tui.app import Start
    from tui.screens.exam import ExamScreen

    banks = banks_copy(tmp_path)
    (banks / "exams" / "tui-written.yaml").write_text(
        "exam: tui-written\ntitle: 情景题小测\ntime_limit_minutes: 10\npass_score: 6\n"
        "sections:\n  - title: 情景题\n    types: [scenario]\n    count: 1\n    points: 10\n",
        encoding="utf-8",
    )
    for size in ((80, 24), (100, 32)):
        app = build_app(tmp_path, banks=banks, start=Start("exam", exam_id="tui-written"))
        async with app.run_test(size=size) as pilot:
            await settle(pilot)
            assert isinstance(app.screen, ExamScreen)
            keys = _footer_fits(app)
            assert "^s 提交答案" in keys and "^t 交卷" in keys, (size, keys)
            await pilot.press("ctrl+t")
            await settle(pilot)
            assert "确认交卷" in screen_text(app)
    app = build_app(tmp_path, banks=banks, start=Start("exam", exam_id="tui-written"), language="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        keys = _footer_fits(app)
        assert "^s Submit answer" in keys and "^t Hand in" in keys, keys  # two keys that read as two
