"""Every UI string exists in Chinese and English; switching language changes what is on screen."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from tests.tui_support import build_app, open_store, screen_text, settle
from tui import i18n
from tui.i18n import STRINGS, t


@pytest.fixture(autouse=True)
def _chinese_after() -> None:
    yield
    i18n.set_language("zh")


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("key", sorted(STRINGS))
def test_each_string_has_both_languages_with_the_same_placeholders(key: str) -> None:
    zh, en = STRINGS[key]
    assert zh.strip() and en.strip(), key
    assert _fields(zh) == _fields(en), key


def test_every_string_key_used_in_the_ui_exists() -> None:
    used: set[str] = set()
    for path in Path(i18n.__file__).parent.rglob("*.py"):
        if path.name == "keys.py":  # its docstring shows the pattern, not a key
            continue
        src = path.read_text(encoding="utf-8")
        used |= set(re.findall(r"""\bt\(\s*["']([a-z_]+\.[a-z_.]*[a-z_])["']""", src))
        used |= set(re.findall(r"""bind\([^)]*?["'](key\.[a-z_]+)["']""", src))
    missing = sorted(k for k in used if k not in STRINGS)
    assert not missing, missing


def test_language_switch_translates_lookups() -> None:
    i18n.set_language("en")
    assert t("home.due", count=3) == "3 due"
    i18n.set_language("zh")
    assert t("home.due", count=3) == "待复习 3 题"
    assert i18n.set_language("fr") == "zh"  # unknown falls back to Chinese


async def test_toggling_language_redraws_the_screen_and_footer_and_is_remembered(tmp_path: Path) -> None:
    app = build_app(tmp_path)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        assert "待复习" in screen_text(app) and "智能复习" in screen_text(app)
        await app.run_action("toggle_language")
        await settle(pilot)
        text = screen_text(app)
        assert "Smart review" in text  # the menu
        assert "due" in text and "待复习" not in text
        assert "s Review" in text.splitlines()[-1]  # the footer speaks English too
    assert open_store(tmp_path / "progress.db").get_settings("default").language == "en"
    # the next start is in English
    app2 = build_app(tmp_path)
    async with app2.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        assert "Smart review" in screen_text(app2)


async def test_short_answer_feedback_in_english_is_english_and_says_the_answer_once(tmp_path: Path) -> None:
    from tui.app import Start
    from tui.screens.study import StudyScreen

    app = build_app(tmp_path, start=Start("study", mode="focus", topic="客服指标"), language="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, StudyScreen) and screen.item is not None
        while screen.item.qid != "tui-rules/response-rate":
            await pilot.press("ctrl+n")
            await pilot.pause()
            assert screen.item is not None
        await pilot.press(*"咨询量", "slash", *"接待量", "enter")
        await settle(pilot)
        text = screen_text(app)
        assert "Wrong" in text and "“咨询量/接待量”." in text
        assert "。" not in text.replace("应答率等于接待量除以咨询量。", "")  # only the bank's own Chinese ends with 。
        assert text.count("接待量/咨询量") == 1  # the right answer, once
