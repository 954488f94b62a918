"""Whole flows through the terminal UI (Textual Pilot) against a real temporary database."""

from __future__ import annotations

from pathlib import Path

from quiz.exam import ExamAttempt
from quiz.loader import load_paths
from quiz.session import StudySession
from tests.tui_support import TUI_BANKS, MovableClock, banks_copy, build_app, open_store, screen_text, settle
from tui.app import Start
from tui.screens.exam import ConfirmSubmit, ExamScreen
from tui.screens.home import HomeScreen
from tui.screens.result import ResultScreen
from tui.screens.study import StudyScreen
from tui.widgets.answer_sheet import AnswerSheet

# the right answer to each question of tests/data/tui-banks, as keys pressed
RIGHT_KEYS: dict[str, list[str]] = {
    "tui-rules/ship-days": ["b"],
    "tui-rules/delay-comp": ["a", "c", "enter"],
    "tui-rules/fake-goods": ["t"],
    "tui-rules/review-days": ["1", "5", "enter"],
    "tui-rules/response-rate": [*"接待量", "slash", *"咨询量", "enter"],
    "tui-rules/angry-buyer": [*"先道歉安抚买家，请买家拍照核实，再给补发或退款", "ctrl+s"],
    "tui-rules/freight-insurance": ["b"],
    "tui-rules/penalty-points": ["f"],
}


async def test_study_session_from_first_question_to_summary_stores_every_review(tmp_path: Path) -> None:
    app = build_app(tmp_path)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, StudyScreen)
        seen: list[str] = []
        while screen.state == "asking":
            assert screen.item is not None
            qid = screen.item.qid
            seen.append(qid)
            await pilot.press(*RIGHT_KEYS[qid])
            await pilot.pause()
            assert screen.state == "feedback", f"{qid}: no feedback after answering"
            assert screen.outcome is not None
            assert screen.outcome.result.verdict == "correct", (qid, screen.outcome.result)
            assert "回答正确" in screen_text(app)
            await pilot.press("enter")
            await pilot.pause()
        assert screen.state == "done"
        text = screen_text(app)
        assert "本轮练习完成" in text
        assert "答题 8 道" in text and "正确率 100%" in text
        assert sorted(seen) == sorted(RIGHT_KEYS)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
    store = open_store(tmp_path / "progress.db")
    reviews = store.reviews("default")
    assert sorted(r.qid for r in reviews) == sorted(RIGHT_KEYS)
    assert all(r.verdict == "correct" and r.mode == "smart" for r in reviews)
    assert StudySession.latest_unfinished(store, "default") is None


async def test_chinese_typed_answer_is_graded_and_a_wrong_one_shows_what_was_missed(tmp_path: Path) -> None:
    app = build_app(tmp_path, start=Start("study", mode="focus", topic="客服指标"))
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, StudyScreen)
        assert screen.item is not None and screen.item.qid == "tui-rules/response-rate"
        await pilot.press(*"咨询量", "slash", *"接待量", "enter")  # reversed: the classic trap
        await pilot.pause()
        assert screen.outcome is not None and screen.outcome.result.verdict == "wrong"
        text = screen_text(app)
        assert "回答错误" in text
        assert "你的答案：咨询量/接待量" in text
        assert "正确答案：接待量/咨询量" in text
        assert "解析：应答率等于接待量除以咨询量。" in text


async def test_rating_override_bookmark_and_dispute_reach_the_store(tmp_path: Path) -> None:
    app = build_app(tmp_path, start=Start("study", mode="focus", topic="发货规则"))
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, StudyScreen) and screen.item is not None
        qid = screen.item.qid
        assert qid == "tui-rules/ship-days"
        await pilot.press("ctrl+f")  # bookmark (收藏) before answering: ^f marks a question here and in exams
        await pilot.press("a")  # wrong
        await pilot.pause()
        assert screen.outcome is not None and screen.outcome.rating is not None
        assert int(screen.outcome.rating) == 1  # a wrong answer is Again
        await pilot.press("3")  # the learner overrides: Good
        await pilot.pause()
        assert int(screen.outcome.rating) == 3
        await pilot.press("d")  # 我答对了
        await pilot.pause()
    store = open_store(tmp_path / "progress.db")
    [review] = store.reviews("default", qid)
    assert review.verdict == "wrong" and review.rating == 3 and review.auto_rating == 1
    assert store.is_bookmarked("default", qid)
    assert [d.qid for d in store.disputes("default")] == [qid]
    # re-rated Good: the learner says they knew it, so the answer is not a mistake in the 错题本
    assert not store.in_wrong_book("default", qid)


async def test_memorize_mode_shows_the_answer_and_records_nothing(tmp_path: Path) -> None:
    app = build_app(tmp_path, start=Start("study", mode="browse"))
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, StudyScreen)
        assert screen.state == "memorize"
        assert "✓ ○ B. 48小时" in screen_text(app)  # the right choice marked, readable without colour
        assert "正确答案" not in screen_text(app)  # and not said twice
        await pilot.press("enter")
        await pilot.pause()
        assert screen.item is not None and screen.item.qid == "tui-rules/delay-comp"
    assert open_store(tmp_path / "progress.db").reviews("default") == []


async def test_exam_answered_flagged_and_submitted_after_naming_the_unanswered(tmp_path: Path) -> None:
    app = build_app(tmp_path, start=Start("exam", exam_id="tui-mock"))
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ExamScreen) and screen.attempt is not None
        attempt_id = screen.attempt.attempt_id
        await pilot.press("a")  # answers question 1 and moves on
        await pilot.pause()
        assert screen.position == 1
        await pilot.press("ctrl+f")  # flag question 2
        await pilot.pause()
        sheet = app.screen.query_one(AnswerSheet)
        assert [c.answered for c in sheet.cells] == [True, False, False, False, False]
        assert [c.flagged for c in sheet.cells] == [False, True, False, False, False]
        assert "■1" in screen_text(app) and "⚑2" in screen_text(app)
        await pilot.press("ctrl+b")  # back to question 1: change the answer
        await pilot.pause()
        assert screen.position == 0
        await pilot.press("b")
        await pilot.pause()
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmSubmit)
        assert "还有 4 题未答" in screen_text(app)
        assert "题号：2、3、4、5" in screen_text(app)
        assert "标记的题：2" in screen_text(app)
        await pilot.press("n")  # keep going
        await pilot.pause()
        assert app.screen is screen
        await pilot.press("ctrl+t")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, ResultScreen)
        assert "得分" in screen_text(app) and "未通过" in screen_text(app)
    store = open_store(tmp_path / "progress.db")
    lib, _ = load_paths([TUI_BANKS])
    attempt = ExamAttempt.resume(store, lib, attempt_id)
    assert attempt.is_submitted
    assert attempt.questions[0].answer == "B"
    assert attempt.questions[1].flagged
    assert [a.attempt_id for a in ExamAttempt.history(store, "default")] == [attempt_id]


async def test_exam_times_out_and_submits_itself(tmp_path: Path) -> None:
    clock = MovableClock()
    app = build_app(tmp_path, clock=clock, start=Start("exam", exam_id="tui-mock"))
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ExamScreen) and screen.attempt is not None
        assert "剩余 10:00" in screen_text(app)
        clock.advance(minutes=9, seconds=30)
        await pilot.pause(1.2)  # the countdown ticks once a second
        assert "剩余 00:30" in screen_text(app)
        await pilot.press("ctrl+t")  # the confirmation is open when the time runs out
        await pilot.pause()
        assert isinstance(app.screen, ConfirmSubmit)
        clock.advance(minutes=1)
        await pilot.pause(1.2)
        await settle(pilot)
        assert isinstance(app.screen, ResultScreen)
        assert app.screen.result.auto_submitted
        assert "时间到" in screen_text(app)


async def test_a_timed_out_result_at_80x24_keeps_each_part_of_its_heading_whole(tmp_path: Path) -> None:
    for language, time_up, blank in (("zh", "时间到，已自动交卷", "未作答 5 题：不计入复习和错题本"),
                                     ("en", "Time is up: the exam was submitted", "5 not answered: not reviews, not in the wrong book")):
        (tmp_path / language).mkdir()
        clock = MovableClock()
        app = build_app(tmp_path / language, clock=clock, start=Start("exam", exam_id="tui-mock"), language=language)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            assert isinstance(app.screen, ExamScreen)
            clock.advance(minutes=10, seconds=1)
            await pilot.pause(1.2)
            await settle(pilot)
            assert isinstance(app.screen, ResultScreen)
            rows = screen_text(app).splitlines()
            assert any(time_up in row for row in rows), rows[:5]
            assert any(blank in row for row in rows), rows[:5]


async def test_killed_exam_resumes_with_its_answers_and_the_time_left(tmp_path: Path) -> None:
    clock = MovableClock()
    app = build_app(tmp_path, clock=clock, start=Start("exam", exam_id="tui-mock"))
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ExamScreen) and screen.attempt is not None
        attempt_id = screen.attempt.attempt_id
        first = screen.attempt.questions[0].qid
        await pilot.press("c")
        await pilot.pause()
    # the program is gone (no submit); three minutes later it starts again
    clock.advance(minutes=3)
    app2 = build_app(tmp_path, clock=clock)
    async with app2.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        assert "继续考试：界面测试模拟考，剩余 07:00" in screen_text(app2)
        await pilot.press("c")
        await settle(pilot)
        screen = app2.screen
        assert isinstance(screen, ExamScreen) and screen.attempt is not None
        assert screen.attempt.attempt_id == attempt_id
        assert screen.attempt.questions[0].qid == first
        assert screen.attempt.questions[0].answer == "C"
        assert screen.position == 1  # the first question left blank
        text = screen_text(app2)
        assert "剩余 07:00" in text and "■1" in text


async def test_bank_reload_shows_the_problem_in_the_app(tmp_path: Path) -> None:
    banks = banks_copy(tmp_path)
    app = build_app(tmp_path, banks=banks, preload=False)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        assert app.library is not None and len(app.library) == 8
        await pilot.press("b")
        await settle(pilot)
        assert "题库全部有效" in screen_text(app)
        bank = banks / "tui-rules.yaml"
        bank.write_text(bank.read_text(encoding="utf-8").replace("answer: B\n", "answer: Z\n", 1), encoding="utf-8")
        await pilot.press("r")
        await settle(pilot)
        text = screen_text(app)
        assert "题库问题（" in text
        assert "tui-rules.yaml:" in text and "names no choice" in text
        assert app.is_running


async def test_an_unknown_topic_on_the_command_line_ends_with_one_line(tmp_path: Path) -> None:
    app = build_app(tmp_path, start=Start("study", topic="没有这个"))
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
    assert app.return_code == 2
    assert app.fatal is not None and "没有这个" in app.fatal and "发货规则" in app.fatal


async def test_leaving_a_session_midway_and_continuing_where_it_stopped(tmp_path: Path) -> None:
    app = build_app(tmp_path, start=Start("study", mode="sequential"))
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, StudyScreen) and screen.item is not None
        await pilot.press(*RIGHT_KEYS[screen.item.qid])
        await pilot.press("enter")
        await pilot.pause()
        assert screen.item is not None
        second = screen.item.qid
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert "继续上次：顺序练习（第 2/8 题）" in screen_text(app)  # the question it resumes at
        await pilot.press("c")
        await settle(pilot)
        resumed = app.screen
        assert isinstance(resumed, StudyScreen) and resumed.item is not None
        assert resumed.item.qid == second


async def test_answer_sheet_jumps_to_a_question(tmp_path: Path) -> None:
    app = build_app(tmp_path, start=Start("exam", exam_id="tui-mock"))
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ExamScreen)
        await pilot.press("ctrl+g", "right", "right", "right", "enter")
        await pilot.pause()
        assert screen.position == 3
        assert "第 4/5 题" in screen_text(app)


async def test_ime_text_from_the_terminal_with_full_width_punctuation_is_graded(tmp_path: Path) -> None:
    """What a Chinese input method sends arrives as terminal input: parse it as the driver does."""
    from textual._xterm_parser import XTermParser

    app = build_app(tmp_path, start=Start("study", mode="focus", topic="客服指标"))
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, StudyScreen) and screen.state == "asking"
        for event in XTermParser().feed("应答率＝接待量／咨询量。\r"):
            app.post_message(event)
        await settle(pilot)
        assert screen.outcome is not None
        assert screen.outcome.result.verdict == "correct", screen.outcome.result
        assert "你的答案：应答率＝接待量／咨询量。" in screen_text(app)


async def test_a_question_changed_in_its_bank_is_marked_when_it_comes_back(tmp_path: Path) -> None:
    banks = banks_copy(tmp_path)
    app = build_app(tmp_path, banks=banks, start=Start("study", mode="focus", topic="发货规则"))
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, StudyScreen) and screen.item is not None
        assert screen.item.qid == "tui-rules/ship-days"
        await pilot.press("a")
        await pilot.pause()
    bank = banks / "tui-rules.yaml"
    bank.write_text(bank.read_text(encoding="utf-8").replace("choices: [24小时, 48小时, 72小时, 7天]", "choices: [24小时, 48小时, 72小时, 15天]"), encoding="utf-8")
    app2 = build_app(tmp_path, banks=banks, start=Start("study", mode="focus", topic="发货规则"))
    async with app2.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        screen = app2.screen
        assert isinstance(screen, StudyScreen) and screen.item is not None
        assert screen.item.qid == "tui-rules/ship-days" and screen.item.flagged_changed
        assert "题目已修改" in screen_text(app2)


async def test_an_exam_whose_time_ran_out_while_the_program_was_closed_opens_on_its_result(tmp_path: Path) -> None:
    clock = MovableClock()
    app = build_app(tmp_path, clock=clock, start=Start("exam", exam_id="tui-mock"))
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await pilot.pause()
    clock.advance(minutes=30)
    app2 = build_app(tmp_path, clock=clock, start=Start("exam", exam_id="tui-mock"))
    async with app2.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        assert isinstance(app2.screen, ResultScreen)
        assert app2.screen.result.auto_submitted
        assert [a.submitted is not None for a in ExamAttempt.history(open_store(tmp_path / "progress.db"), "default")] == [True]


def test_quiz_study_with_an_unknown_mode_is_one_line(tmp_path: Path) -> None:
    import subprocess
    import sys

    out = subprocess.run(
        [sys.executable, "-m", "quiz.cli", "study", "--mode", "cram", "--db", str(tmp_path / "p.db")],
        capture_output=True, text=True, timeout=60,
    )
    assert out.returncode == 2
    assert out.stderr.strip().splitlines() == ["quiz: unknown study mode 'cram' (smart, sequential, random, focus, wrong, bookmarks, browse)"]
    assert not (tmp_path / "p.db").exists()
