"""The served app in a real browser: headless Chromium from the system, driven by Playwright.

A learner logs in, answers a question and sees the feedback, sits and submits a
short mock exam, and logs out; keys are typed on the page's keyboard (F8 and
F9, which stand for Ctrl+N and Ctrl+T that a browser keeps) and the exam is submitted by clicking
the footer's 交卷 key with the mouse. A
screenshot of every step is kept in ``tests/artifacts/browser/`` (git-ignored;
the path is printed). What the page shows is also read from the very bytes the
browser's terminal receives on its websocket, into a ``pyte`` screen, so that
each step can wait for what a learner would wait for.

Skips, saying why, where Playwright (``pip install -e ".[browser]"``) or a
Chromium (``apt-get install chromium``; ``QUIZ_CHROMIUM`` names another) is
missing. Playwright's own browser downloads are never used.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import time
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import pyte
import pytest

from quiz.store import Store
from tests.served_client import Server
from tests.test_served import make_team_db
from tests.tui_support import TUI_BANKS

ARTIFACTS = Path(__file__).resolve().parent / "artifacts" / "browser"
HINTS = ("按 1-", "按 T/1", "输入答案后按回车", "写下你的处理方法", "按数字或字母选择多个选项")
"""The hint under every kind of question: once it is on the page, the answer pad is there."""
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def chromium() -> str | None:
    for candidate in (os.environ.get("QUIZ_CHROMIUM"), shutil.which("chromium"), shutil.which("chromium-browser"),
                      "/usr/bin/chromium"):
        if candidate and Path(candidate).exists():
            return candidate
    return None


class BrowserScreen:
    """The page's terminal, rebuilt from the websocket frames the page receives."""

    def __init__(self) -> None:
        self.screen = pyte.Screen(80, 24)
        self.stream = pyte.ByteStream(self.screen)
        self.sockets = 0

    def attach(self, ws: Any) -> None:
        query = parse_qs(urlparse(ws.url).query)
        self.screen = pyte.Screen(int(query.get("width", ["80"])[0]), int(query.get("height", ["24"])[0]))
        self.stream = pyte.ByteStream(self.screen)
        self.sockets += 1
        ws.on("framereceived", self._received)
        ws.on("framesent", self._sent)

    def _received(self, payload: bytes | str) -> None:
        if isinstance(payload, bytes):
            self.stream.feed(payload)

    def _sent(self, payload: bytes | str) -> None:
        if isinstance(payload, str) and payload.startswith('["resize"'):
            size = json.loads(payload)[1]
            self.screen.resize(size["height"], size["width"])

    def text(self) -> str:
        return "\n".join(line.rstrip() for line in self.screen.display)

    def find(self, needle: str) -> tuple[int, int] | None:
        """(column, row) of ``needle`` on the screen, in cells (a Chinese character is two)."""
        for row in range(self.screen.lines):
            cells = [self.screen.buffer[row][col].data for col in range(self.screen.columns)]
            line = "".join(cells)  # a wide character's second cell is "": index in ``line`` is not the column
            i = line.find(needle)
            if i >= 0:
                col, seen = 0, 0
                while seen < i:
                    seen += len(cells[col])
                    col += 1
                return col, row
        return None

    async def wait_any(self, *needles: str, timeout: float = 60.0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            text = self.text()
            if any(n in text for n in needles):
                return text
            await asyncio.sleep(0.1)
        raise AssertionError(f"the page never showed any of {needles!r}:\n{self.text()}")

    async def wait_for(self, *needles: str, timeout: float = 60.0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            text = self.text()
            if all(n in text for n in needles):
                return text
            await asyncio.sleep(0.1)
        raise AssertionError(f"the page never showed {needles!r}:\n{self.text()}")


@pytest.mark.skipif(chromium() is None, reason="no Chromium on this machine (apt-get install chromium, or QUIZ_CHROMIUM)")
async def test_a_learner_in_a_real_browser_logs_in_studies_sits_an_exam_and_logs_out(tmp_path: Path) -> None:
    playwright_api = pytest.importorskip(
        "playwright.async_api", reason="the playwright package is not installed (pip install -e '.[browser]')"
    )
    db = tmp_path / "progress.db"
    make_team_db(db)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for old in ARTIFACTS.glob("*.png"):
        old.unlink()
    print(f"\nbrowser screenshots: {ARTIFACTS}")
    shots: list[Path] = []
    with Server(db, TUI_BANKS) as server:
        async with playwright_api.async_playwright() as pw:
            browser = await pw.chromium.launch(executable_path=chromium(), args=CHROMIUM_ARGS)
            page = await browser.new_page(viewport={"width": 1280, "height": 800}, locale="zh-CN")
            term = BrowserScreen()
            page.on("websocket", term.attach)

            async def shot(name: str) -> None:
                await asyncio.sleep(0.6)  # let the canvas paint the last frame
                path = ARTIFACTS / f"{len(shots) + 1:02d}-{name}.png"
                await page.screenshot(path=str(path))
                shots.append(path)

            async def click_text(needle: str) -> None:
                """Click the middle of ``needle`` where the page's terminal draws it."""
                pos = term.find(needle)
                assert pos is not None, f"{needle!r} is not on the page:\n{term.text()}"
                box = await page.locator(".xterm-screen").bounding_box()
                assert box is not None
                cw, ch = box["width"] / term.screen.columns, box["height"] / term.screen.lines
                col, row = pos
                await page.mouse.click(box["x"] + (col + 1.5) * cw, box["y"] + (row + 0.5) * ch)

            async def answer(text: str) -> None:
                """Answer the question on the screen (right or wrong does not matter here)."""
                await asyncio.sleep(0.3)  # a learner reads first; the answer pad takes the focus
                if "按 T/1" in text:
                    await page.keyboard.press("t")
                elif "写下你的处理方法" in text:
                    await page.keyboard.type("先道歉安抚买家，再核实情况")
                    await page.keyboard.press("Control+s")
                elif "按数字或字母选择多个选项" in text:
                    await page.keyboard.press("a")
                    await page.keyboard.press("Enter")
                elif "按 1-" in text:
                    await page.keyboard.press("b")
                else:
                    await page.keyboard.type("15")
                    await page.keyboard.press("Enter")

            try:
                await page.goto(server.url + "/")
                await term.wait_for("登录掌柜学堂", "账号", "密码", timeout=90)
                await click_text("账号 ")  # into the name box, as a learner clicks into the page
                await page.keyboard.type("小李")
                await term.wait_for("小李 ")
                await page.keyboard.press("Enter")
                await asyncio.sleep(1.5)  # the password box takes the focus (a person types slower than this)
                await page.keyboard.type("li-password")
                await term.wait_for("•••••••••••")  # the password box shows dots, never the password
                assert "li-password" not in term.text()
                await shot("login")
                await page.keyboard.press("Enter")
                await term.wait_for("今日", "学员：小李", "模拟考试")
                await shot("home")

                await page.keyboard.press("s")
                await term.wait_for("第 1/")
                text = await term.wait_any(*HINTS)  # the question and its answer pad are painted
                await shot("question")
                await answer(text)
                await term.wait_any("回答正确", "回答错误", "部分正确")  # a choice's feedback has no 你的答案 line
                await shot("feedback")

                await page.keyboard.press("Escape")
                await term.wait_for("今日")
                await page.keyboard.press("e")
                await term.wait_for("界面测试模拟考")
                await page.keyboard.press("Enter")
                await term.wait_for("第 1/5 题")
                await term.wait_any(*HINTS)
                # the keys a browser keeps (Ctrl+T, Ctrl+N) are F9 and F8 here, and the footer says so
                # (the footer is built after the question is painted: wait for it, do not race it)
                footer = (await term.wait_for("f9 交卷", "f8 下一题")).splitlines()[-1]
                assert "f9 交卷" in footer and "f8 下一题" in footer and "^t" not in footer, footer
                await shot("exam")
                await page.keyboard.press("F8")
                await term.wait_for("第 2/5 题")
                await page.keyboard.press("Control+b")
                await term.wait_for("第 1/5 题")
                for n in range(1, 6):
                    await term.wait_for(f"第 {n}/5 题")
                    text = await term.wait_any(*HINTS)
                    await answer(text)
                await term.wait_for("■ 5/5")  # every answer saved
                await page.keyboard.press("F9")  # 交卷 from the keyboard
                await term.wait_for("确认交卷")
                await page.keyboard.press("n")
                await term.wait_for("■ 5/5")
                await click_text("交卷")  # and with the mouse: every footer key is clickable
                await term.wait_for("确认交卷")
                await shot("confirm-submit")
                await page.keyboard.press("y")
                await term.wait_for("考试成绩", "逐题回顾")
                await shot("exam-result")

                await page.keyboard.press("Escape")
                await term.wait_for("今日")
                await page.keyboard.press("l")
                await term.wait_for("登录掌柜学堂", "账号")
                assert "学员：小李" not in term.text()
                await shot("logged-out")
            finally:
                if not shots or "logged-out" not in shots[-1].name:
                    await page.screenshot(path=str(ARTIFACTS / "failure.png"))
                await browser.close()
    assert [p.name.split("-", 1)[1] for p in shots] == [
        "login.png", "home.png", "question.png", "feedback.png", "exam.png", "confirm-submit.png",
        "exam-result.png", "logged-out.png",
    ]
    assert all(p.stat().st_size > 5000 for p in shots)
    with Store.open(db) as store:
        modes = [r.mode for r in store.reviews("小李")]
        assert modes.count("exam") >= 4 and len(modes) - modes.count("exam") == 1
        submitted = store.execute(
            "SELECT count(*) FROM exam_attempts WHERE profile = '小李' AND submitted IS NOT NULL"
        ).fetchone()[0]
        assert submitted == 1
