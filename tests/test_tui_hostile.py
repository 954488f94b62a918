"""Bank and learner text is data: every screen shows hostile text literally, and nothing acts or crashes.

A bank built in memory (the loader would refuse its control characters; the UI must be
safe even so) holds markup that crashes Rich (``[/规则]``), markup that swallows text
(``[a]``), a link that runs an action when clicked (``[@click=app.screenshot()]``), a
screen-clearing escape sequence and an OSC 52 clipboard write, in every field a screen
shows; the learner's profile name, answers and the problems list hold them too.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from textual.widgets import Input, Tree

from quiz.context import Context
from quiz.library import Library
from quiz.loader import Problem
from quiz.model import Bank, Exam
from quiz.text import UNSAFE_RE
from tests.tui_support import MovableClock, screen_text, settle
from tui.app import QuizApp, make_app
from tui.screens.exam import ExamScreen
from tui.screens.result import ResultScreen
from tui.screens.study import StudyScreen
from tui.widgets.answer import ScenarioArea

MARKUP = "[/规则] [a] [@click=app.screenshot()]x[/]"
H = f"{MARKUP} \x1b[2J\x1b]52;c;aGk=\x07 \u202e!"
TOPIC = "知识点" + H


def hostile_library() -> Library:
    common: dict[str, Any] = {"topic": TOPIC, "tags": [H], "explanation": "解析" + H, "source": "来源" + H}
    bank = Bank.model_validate({
        "bank": "evil", "title": "题库" + H, "description": H, "tags": [H],
        "questions": [
            {"id": "single", "type": "single", "prompt": "单选" + H, "choices": ["甲" + H, "乙" + H], "answer": "A",
             "feedback": {"B": "反馈" + H}, **common},
            {"id": "multi", "type": "multi", "prompt": "多选" + H, "choices": ["丙" + H, "丁" + H, "戊"],
             "answer": ["A", "B"], **common},
            {"id": "judge", "type": "judge", "prompt": "判断" + H, "answer": True, "feedback": {"false": "错" + H},
             **common},
            {"id": "short", "type": "short", "prompt": "填空" + H, "answers": ["正确答案" + H], "reject": ["错误" + H],
             "keypoints": [{"point": "要点" + H, "any": ["短语" + H]}], **common},
            {"id": "numeric", "type": "numeric", "prompt": "数值" + H, "answer": 15, "unit": "天" + H,
             "units": ["日" + H], **common},
            {"id": "scenario", "type": "scenario", "prompt": "情景" + H, "sample_answer": "示例" + H,
             "keypoints": [{"point": "道歉" + H, "any": ["抱歉", "对不起"]}],
             "forbidden": [{"point": "威胁" + H, "any": ["差评"]}, "inducement"], **common},
        ],
    })
    exam = {"title": "考试" + H, "description": H, "time_limit_minutes": 30, "pass_score": 1,
            "sections": [{"title": "第一部分" + H, "topics": [TOPIC], "count": 6, "points": 1}]}
    lib = Library()
    lib.add_bank(bank, Path("evil.yaml"))
    lib.add_exam(Exam.model_validate({"exam": "evil-exam", **exam}))
    # drawn from too few questions: starting it is an error toast that names the section
    lib.add_exam(Exam.model_validate({"exam": "evil-short", **exam, "sections": [{**exam["sections"][0], "count": 99}]}))
    return lib


def check(app: QuizApp, *, shows: bool = True) -> str:
    """The screen as drawn: no terminal control reached it, no link from bank text, the markup literal."""
    text = screen_text(app)
    bad = UNSAFE_RE.search(text)
    where = text[max(0, bad.start() - 80): bad.end() + 20] if bad else ""
    assert bad is None, f"{type(app.screen).__name__}: raw {bad.group()!r} on screen: {where!r}"
    for strip in app.screen._compositor.render_strips():
        for segment in strip:
            meta = segment.style.meta if segment.style is not None else {}
            assert "screenshot" not in str(meta), f"{type(app.screen).__name__}: a link from bank text"
    if shows:
        assert "[/规则]" in text and "[a]" in text, f"{type(app.screen).__name__} does not show the text literally:\n{text}"
    return text


async def test_every_screen_shows_hostile_text_literally_and_nothing_acts(tmp_path: Path) -> None:
    ctx = Context(banks_dir=tmp_path, db_path=tmp_path / "progress.db", profile="学员" + H)
    problems = [Problem(f"evil{H}.yaml", 3, 1, "问题" + H)]
    app = make_app(ctx, now=MovableClock(), library=hostile_library(), problems=problems)
    acted: list[str] = []
    app.action_screenshot = lambda *a, **k: acted.append("screenshot")  # type: ignore[method-assign]
    app.save_screenshot = lambda *a, **k: acted.append("save_screenshot")  # type: ignore[method-assign]
    async with app.run_test(size=(220, 80), notifications=True) as pilot:
        await settle(pilot)
        check(app)  # home: bank title, topics, exam title, profile, the problems toast

        # study every question, answering with hostile text where text is typed
        app.open_study("focus", topic=TOPIC)
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, StudyScreen)
        check(app)
        await pilot.press("ctrl+f")  # bookmark the first question
        await pilot.pause()
        while screen.state == "asking":
            assert screen.item is not None
            q = screen.item.question
            if q.type in ("single", "multi"):
                await pilot.press("b", *(["enter"] if q.type == "multi" else []))
            elif q.type == "judge":
                await pilot.press("f")
            elif q.type == "scenario":
                screen.query_one(ScenarioArea).text = "我的回复" + H
                await pilot.press("ctrl+s")
            else:
                screen.query_one(Input).value = "我的答案" + H
                await pilot.press("enter")
            await pilot.pause()
            assert screen.state == "feedback", q.id
            check(app)  # the question, the choices, the learner's answer, feedback, explanation, source
            await pilot.press("d")  # 我答对了: a dispute with the learner's text, for the trainer
            await pilot.press("enter")
            await pilot.pause()
        check(app, shows=False)  # the summary

        app.action_go_home()
        await settle(pilot)
        check(app)

        # error toasts: an exam that cannot be drawn names its section; an unknown exam, its id
        app.clear_notifications()
        app.open_exam("evil-short")
        await settle(pilot)
        for _ in range(5):
            await pilot.pause(0.1)
        [toast] = [n.message for n in app._notifications]
        assert toast.startswith("exam evil-short: section 1 (第一部分[/规则] [a] [@click=app.screenshot()]x[/] \\x1b")
        shown = check(app)
        assert "needs 99 questions" in shown, shown
        app.clear_notifications()
        app.open_exam(MARKUP)
        await settle(pilot)
        for _ in range(5):
            await pilot.pause(0.1)
        assert [n.message for n in app._notifications] == [f"没有这个考试：{MARKUP}"]
        shown = check(app)
        assert f"考试：{MARKUP}" in shown, shown  # the toast (its first characters may still be sliding in)

        # the exam: picker, header, section, answer sheet, result, history
        app.action_go_home()
        app.open_exam(None)
        await settle(pilot)
        check(app)
        app.action_go_home()
        app.open_exam("evil-exam")
        await settle(pilot)
        assert isinstance(app.screen, ExamScreen)
        check(app)
        await pilot.press("ctrl+g")
        await pilot.pause()
        check(app)
        await pilot.press("ctrl+t")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, ResultScreen)
        check(app)
        await pilot.press("h")
        await settle(pilot)
        check(app)

        for action in ("wrong_book", "bookmarks", "browse", "stats", "settings", "trainer"):
            app.action_go_home()
            await settle(pilot)
            await app.run_action(f"app.{action}")
            await settle(pilot)
            if action == "browse":
                tree = app.screen.query_one(Tree)
                tree.root.expand_all()
                await pilot.pause()
                for _ in range(4):  # down the tree to a question: its full preview
                    await pilot.press("down")
                await pilot.pause()
                assert "解析[/规则] [a]" in screen_text(app)  # the preview's explanation
            if action == "trainer":
                app.screen.query_one("#pg-qid", Input).value = "evil/short"
                app.screen.query_one("#pg-answer", Input).value = "试答" + H
                await pilot.pause()
            check(app)
        assert app.screen.query_one("#playground-result").render()  # the playground graded the answer
    assert acted == []


async def test_a_locked_database_keeps_the_answer_on_screen_and_retries(tmp_path: Path,
                                                                      monkeypatch: Any) -> None:
    monkeypatch.setattr("quiz.store.BUSY_TIMEOUT_MS", 50)
    monkeypatch.setattr("tui.screens.study.RETRY_SECONDS", 0.2)
    db = tmp_path / "progress.db"
    ctx = Context(banks_dir=tmp_path, db_path=db)
    app = make_app(ctx, now=MovableClock(), library=hostile_library(), problems=[])
    async with app.run_test(size=(160, 50), notifications=True) as pilot:
        await settle(pilot)
        app.open_study("focus", topic=TOPIC)
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, StudyScreen) and screen.item is not None
        while screen.item is not None and screen.item.question.type != "short":
            await pilot.press("ctrl+n")
            await pilot.pause()
        assert screen.item is not None
        app.store.conn.execute("PRAGMA busy_timeout = 50")
        other = sqlite3.connect(db, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")  # another program holds the database
        box = screen.query_one(Input)
        box.value = "正确答案" + H
        await pilot.pause()
        typed = box.value
        assert "\x1b" not in typed and MARKUP in typed  # a pasted escape sequence is dropped from a text box
        await pilot.press("enter")
        await pilot.pause()
        assert screen.state == "asking" and box.value == typed  # kept on screen, not lost
        [toast] = [n.message for n in app._notifications]
        assert "locked by another program" in toast and "自动重试" in toast
        await pilot.pause(0.2)
        assert "学习记录没有保存" in screen_text(app)  # the toast is on screen
        other.execute("ROLLBACK")  # released: the retry saves it
        other.close()
        for _ in range(20):
            await pilot.pause(0.1)
            if screen.state == "feedback":
                break
        assert screen.state == "feedback" and screen.outcome is not None
        assert screen.outcome.result.verdict == "correct"
        assert len(app.store.reviews(ctx.profile)) == 1

        # read-only and full: reported, nothing lost, the app goes on
        await pilot.press("enter")
        await pilot.pause()
        app.store.conn.execute("PRAGMA query_only = ON")
        await pilot.press("ctrl+f")
        await pilot.pause()
        assert any("read-only" in n.message for n in app._notifications)
        app.store.conn.execute("PRAGMA query_only = OFF")
        await pilot.press("ctrl+f")
        await pilot.pause()
        assert app.store.bookmarks(ctx.profile)  # saved once writable again
        assert isinstance(app.screen, StudyScreen)  # the app went on
