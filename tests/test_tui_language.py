"""One language at a time: a walk through every screen, in English and in Chinese.

The walk drives the real app (Pilot) through home, the menu, the command palette and its theme
list, the Ctrl+C notice, a study session answering every question type (wrong, so that all the
feedback shows), its summary, 背题模式, the exam picker, an exam with its answer sheet and submit
dialog, the result with 只看错题 and 错题重练, the exam history, 错题本 with removal and undo, 收藏,
statistics, the bank browser with a preview, settings with the unsaved-changes question, and the
trainer tools, at 80x24 and at 160x50, capturing every screen.

* English: every run of Chinese characters on screen must come from the banks (prompts,
  choices, topics, titles, explanations, sources, answers) or from what the learner typed.
* Chinese: every English word (two letters or more) must come from the banks, from what the
  learner typed, or be a key's name (``esc``, ``Ctrl``) or the language's own name (English).

Grader notes are the grader's text: the screen must show the note ``grade(..., lang=<the UI
language>)`` returned; while a grader still writes a note in Chinese for ``lang="en"``, that
note counts as the grader's (checked in the grader's own tests), not the screen's.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from quiz.grading import grade
from quiz.library import Library
from quiz.loader import load_paths
from tests.tui_support import TUI_BANKS, build_app, screen_text, seed_history, settle
from tui import i18n
from tui.screens.study import StudyScreen

CJK_RUN = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]+")
WORD = re.compile(r"[A-Za-z]{2,}")
KEY_WORDS = {"esc", "Esc", "Ctrl", "Enter", "Tab"}
LANGUAGE_NAMES = {"English"}  # a language is offered by its own name
LANGUAGE_NAMES_CJK = {"中文", "简体中文"}

# wrong answers by question, so that the feedback shows everything it can
WRONG_KEYS: dict[str, list[str]] = {
    "tui-rules/ship-days": ["a"],
    "tui-rules/delay-comp": ["a", "enter"],
    "tui-rules/fake-goods": ["f"],
    "tui-rules/review-days": ["1", "6", "enter"],
    "tui-rules/response-rate": [*"jiedai", "enter"],
    "tui-rules/angry-buyer": [*"I would shout at him", "ctrl+s"],
    "tui-rules/freight-insurance": ["a"],
    "tui-rules/penalty-points": ["t"],
}
TYPED = ["jiedai", "I would shout at him", "16", "default", "zzqq"]


@pytest.fixture(autouse=True)
def _chinese_after() -> Iterator[None]:
    yield
    i18n.set_language("zh")


def bank_corpus(lib: Library) -> str:
    """Every text the banks put on screen, whitespace removed, one per line."""
    parts: list[str] = []
    for bank_id, bank in lib.banks.items():
        parts += [bank_id, bank.title, getattr(bank, "description", "") or ""]
    for exam_id, exam in lib.exams.items():
        parts += [exam_id, exam.title, *(s.title for s in exam.sections)]
    for it in lib:
        q = it.question
        parts += [it.qid, it.bank, q.prompt, q.topic or "", q.explanation or "", q.source or "", q.as_of or "",
                  q.expected_text(), *q.tags, *q.feedback.values()]
        parts += list(getattr(q, "choices", []) or [])
        parts += list(getattr(q, "answers", []) or []) + list(getattr(q, "reject", []) or [])
        parts += [*list(getattr(q, "units", []) or []), getattr(q, "unit", None) or "", getattr(q, "sample_answer", None) or ""]
        for k in [*getattr(q, "keypoints", []), *getattr(q, "forbidden", [])]:
            parts += [k] if isinstance(k, str) else [k.point, *k.any]
    return "\n".join(re.sub(r"\s+", "", p) for p in parts)


async def walk(app: Any, size: tuple[int, int], *, full: bool = True) -> list[tuple[str, str]]:
    """Every screen of the app, as (what, screen text); ``full=False`` leaves out the study
    session and the lists (the same strings at any width), keeping the screens laid out by width."""
    shots: list[tuple[str, str]] = []

    async def shot(name: str, pause: float = 0.0) -> None:
        await settle(pilot)
        if pause:
            await pilot.pause(pause)
        shots.append((f"{name} @{size[0]}x{size[1]}", screen_text(app)))

    async with app.run_test(size=size) as pilot:
        await shot("home")
        if size[0] < 100:
            await pilot.press("m")
            await shot("home menu")
            await pilot.press("m")
        await pilot.press("ctrl+p")
        await shot("palette")
        await pilot.press(*"zzqq")
        await shot("palette, no match", pause=0.8)
        await pilot.press("escape")
        await app.run_action("change_theme")
        await shot("theme palette")
        await pilot.press("escape")
        await pilot.press("ctrl+c")
        await shot("ctrl+c notice")
        app.clear_notifications()
        if not full:
            await pilot.press("t")
            await shot("stats")
            await pilot.press("escape", "e", "enter")
            await settle(pilot)
            await pilot.press("ctrl+t")
            await shot("exam submit dialog")
            await pilot.press("y")
            await shot("exam result")
            return shots
        # a study session: every question answered wrong, the rating changed, the summary
        await pilot.press("s")
        await settle(pilot)
        study = app.screen
        assert isinstance(study, StudyScreen)
        while study.state == "asking" and study.item is not None:
            qid = study.item.qid
            await shot(f"study asking {qid}")
            await pilot.press(*WRONG_KEYS[qid])
            await shot(f"study feedback {qid}")
            await pilot.press("2")
            await shot(f"study rating {qid}")
            app.clear_notifications()
            await pilot.press("enter")
            await settle(pilot)
        await shot("study summary")
        await pilot.press("enter")
        await pilot.press("s")
        await settle(pilot)
        await pilot.press("ctrl+r")
        await shot("memorize")
        await pilot.press("escape")
        # an exam: picker, paper, answer sheet, submit dialog, result, missed only, retry, history
        await pilot.press("e")
        await shot("exam picker")
        await pilot.press("enter")
        await shot("exam")
        await pilot.press("ctrl+g", "right", "enter", "ctrl+f")
        await shot("exam sheet and flag")
        await pilot.press("ctrl+t")
        await shot("exam submit dialog")
        await pilot.press("y")
        await shot("exam result")
        await pilot.press("w")
        await shot("exam result, missed only")
        await pilot.press("r")
        await shot("retry session")
        await pilot.press("escape")
        await app.run_action("history")
        await shot("exam history")
        await app.run_action("go_home")
        # the lists, stats, browser, settings, trainer
        await pilot.press("w")
        await shot("wrong book")
        await pilot.press("x")
        await shot("wrong book after x")
        await pilot.press("u")
        await shot("wrong book after undo")
        await pilot.press("escape", "f")
        await shot("bookmarks")
        await pilot.press("escape", "t")
        await shot("stats")
        await pilot.press("escape", "b")
        await settle(pilot)
        await pilot.press("down", "down", "space", "down")
        await shot("bank browser preview")
        await pilot.press("escape", "o")
        await settle(pilot)
        from textual.widgets import Input

        app.screen.query_one("#daily-new", Input).value = "16"
        await pilot.press("escape")
        await shot("settings, unsaved")
        await pilot.press("d")
        await app.run_action("trainer")
        await shot("trainer report")
        await pilot.press("right")
        await settle(pilot)
        app.screen.query_one("#pg-qid", Input).value = "tui-rules/response-rate"
        app.screen.query_one("#pg-answer", Input).value = "jiedai"
        await shot("trainer playground")
    return shots


def _grader_notes(lib: Library, lang: str) -> str:
    """The grader's notes, for the walk's answers, where the grader has not written them in ``lang``."""
    notes = []
    answers = {"tui-rules/ship-days": "A", "tui-rules/delay-comp": "A", "tui-rules/fake-goods": "错",
               "tui-rules/review-days": "16", "tui-rules/response-rate": "jiedai",
               "tui-rules/angry-buyer": "I would shout at him", "tui-rules/freight-insurance": "A",
               "tui-rules/penalty-points": "对"}
    for qid, answer in answers.items():
        note = grade(lib.item(qid).question, answer, lang=lang).feedback  # type: ignore[arg-type]
        if lang == "en" and CJK_RUN.search(note):
            notes.append(re.sub(r"\s+", "", note))
    return "\n".join(notes)


SIZES = [pytest.param((80, 24), True, id="80x24-every-screen"), pytest.param((160, 50), False, id="160x50-wide-layouts")]


@pytest.mark.parametrize(("size", "full"), SIZES)
async def test_english_screens_carry_no_chinese_outside_bank_content(tmp_path: Path, size: tuple[int, int], full: bool) -> None:
    db = tmp_path / "progress.db"
    seed_history(db)
    lib, _ = load_paths([TUI_BANKS])
    corpus = bank_corpus(lib) + "\n" + _grader_notes(lib, "en")
    shots = await walk(build_app(tmp_path, db=db, language="en"), size, full=full)
    problems = []
    for name, text in shots:
        for line in text.splitlines():
            for run in CJK_RUN.findall(line):
                if run not in corpus and run not in LANGUAGE_NAMES_CJK:
                    problems.append(f"{name}: {run!r} in {line.strip()!r}")
    assert len(shots) > (30 if full else 6)
    assert not problems, "\n".join(dict.fromkeys(problems))


@pytest.mark.parametrize(("size", "full"), SIZES)
async def test_chinese_screens_carry_no_english_ui_words(tmp_path: Path, size: tuple[int, int], full: bool) -> None:
    db = tmp_path / "progress.db"
    seed_history(db)
    lib, _ = load_paths([TUI_BANKS])
    corpus = bank_corpus(lib) + "\n" + "\n".join(TYPED)
    shots = await walk(build_app(tmp_path, db=db, language="zh"), size, full=full)
    problems = []
    for name, text in shots:
        for line in text.splitlines():
            for word in WORD.findall(line):
                if word not in KEY_WORDS and word not in LANGUAGE_NAMES and word not in corpus:
                    problems.append(f"{name}: {word!r} in {line.strip()!r}")
    assert len(shots) > (30 if full else 6)
    assert not problems, "\n".join(dict.fromkeys(problems))


async def test_the_screens_grade_in_the_language_on_screen(tmp_path: Path) -> None:
    """What the grader is asked for follows the UI language (its notes are its own business)."""
    import tui.app

    asked: list[tuple[str, str]] = []
    real = grade

    def spy(question: Any, answer: str, lang: str = "zh") -> Any:
        asked.append((answer, lang))
        return real(question, answer, lang=lang)  # type: ignore[arg-type]

    import quiz.grading

    original = quiz.grading.__dict__.get("grade")
    quiz.grading.grade = spy  # type: ignore[attr-defined]
    try:
        from tui.app import Start

        app = build_app(tmp_path, start=Start("study", mode="focus", topic="评价规则"), language="en")
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("1", "6", "enter")
            await settle(pilot)
            assert "Wrong" in screen_text(app)
            await app.run_action("toggle_language")
            await settle(pilot)
            await pilot.press("enter")
            await settle(pilot)
            await pilot.press("t")
            await settle(pilot)
    finally:
        if original is None:
            del quiz.grading.grade  # type: ignore[attr-defined]
        else:
            quiz.grading.grade = original  # type: ignore[attr-defined]
    assert tui.app.grade_in_ui_language is not None
    # (the app's warm-up grades an empty answer once, in the background: not the learner's)
    assert [lang for answer, lang in asked if answer] == ["en", "zh"]
