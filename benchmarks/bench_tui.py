"""How fast the terminal UI answers: home paint vs a bare Textual app, and feedback after Enter.

Run from the project root:  .venv/bin/python benchmarks/bench_tui.py [--runs N] [--questions N]

1. **Home paint** (target: at most 1.5 x a bare Textual hello world).
   *Process*: a fresh interpreter is started for each run and the time from the
   parent's ``Popen`` to the app's first frame (``App._display`` with content) is taken,
   for a bare hello-world app and for ``quiz`` itself (``quiz.cli.main``, headless,
   100x32, an existing progress database, the shipped banks). Runs alternate; medians.
   This is what a learner waits for. The home screen paints its frame at once and the
   store, the banks and the numbers arrive from a worker: the time until the home
   screen shows the learner's numbers is reported too.
   *In-process*: the same two first paints inside one process (imports excluded).
2. **Feedback after Enter** (target: < 100 ms). In a 随机练习 session over the shipped
   banks, the time from the key that submits an answer to the first frame painted with
   the feedback, per question type (Pilot drives the keys; the frame is caught in
   ``App._display``).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SIZE = (100, 32)

# The child process: run one app headless and report (on stderr) when its first frame,
# and the home screen's numbers, were painted, in seconds since the parent's clock reading.
CHILD = r'''
import os, sys, time
T0 = float(sys.argv[2])
from textual.app import App
state = {"painted": False}
orig_display = App._display
def _display(self, screen, renderable):
    orig_display(self, screen, renderable)
    if renderable is None:
        return
    if not state["painted"]:
        state["painted"] = True
        os.write(2, f"PAINT {time.time() - T0:.4f}\n".encode())
        if sys.argv[1] == "hello":
            self.exit()
    elif getattr(screen, "data", None) is not None:
        os.write(2, f"READY {time.time() - T0:.4f}\n".encode())
        self.exit()
App._display = _display
orig_run = App.run
def run(self, *a, **k):
    k.update(headless=True, size=(100, 32))
    return orig_run(self, *a, **k)
App.run = run
if sys.argv[1] == "hello":
    from textual.widgets import Static
    class Hello(App):
        def compose(self):
            yield Static("Hello, world")
    Hello().run()
else:
    from quiz.cli import main
    main(["--db", sys.argv[3]])
'''


def _child(kind: str, db: Path) -> dict[str, float]:
    t0 = time.time()
    out = subprocess.run([sys.executable, "-c", CHILD, kind, str(t0), str(db)], capture_output=True, text=True, cwd=ROOT, timeout=60)
    marks = {}
    for line in out.stderr.splitlines():
        if line.startswith(("PAINT ", "READY ")):
            k, v = line.split()
            marks[k] = float(v)
    if "PAINT" not in marks:
        raise SystemExit(f"{kind}: no frame painted\n{out.stderr[-2000:]}")
    return marks


def _ms(xs: list[float]) -> str:
    xs = sorted(xs)
    p90 = xs[min(len(xs) - 1, int(len(xs) * 0.9))]
    return f"median {statistics.median(xs) * 1000:6.1f} ms  p90 {p90 * 1000:6.1f}  (min {xs[0] * 1000:.1f}, max {xs[-1] * 1000:.1f}, n={len(xs)})"


def bench_process(runs: int, tmp: Path) -> None:
    db = tmp / "home.db"
    _child("home", db)  # creates the database and the bank cache, as after a first start
    hello: list[float] = []
    paint: list[float] = []
    ready: list[float] = []
    for _ in range(runs):
        hello.append(_child("hello", db)["PAINT"])
        m = _child("home", db)
        paint.append(m["PAINT"])
        if "READY" in m:
            ready.append(m["READY"])
    print("process start -> first frame")
    print(f"  hello world           : {_ms(hello)}")
    print(f"  quiz home (frame)     : {_ms(paint)}")
    if ready:
        print(f"  quiz home (numbers)   : {_ms(ready)}")
    print(f"  ratio home/hello      : {statistics.median(paint) / statistics.median(hello):.2f}  (target <= 1.5)")
    if ready:
        print(f"  ratio numbers/hello   : {statistics.median(ready) / statistics.median(hello):.2f}")


async def bench_in_process(runs: int, tmp: Path) -> None:
    from textual.app import App, ComposeResult
    from textual.widgets import Static

    from quiz.context import Context
    from tui.app import make_app

    class Hello(App[None]):
        def compose(self) -> ComposeResult:
            yield Static("Hello, world")

    first: dict[int, float] = {}
    orig = App._display

    def _display(self: App[Any], screen: Any, renderable: Any) -> None:
        orig(self, screen, renderable)
        if renderable is not None and id(self) not in first:
            first[id(self)] = time.perf_counter()

    App._display = _display  # type: ignore[method-assign]

    async def one(make: Any) -> float:
        t0 = time.perf_counter()
        app = make()
        async with app.run_test(size=SIZE):
            pass
        return first[id(app)] - t0

    def home() -> Any:
        return make_app(Context(db_path=tmp / "home.db"))

    await one(Hello)
    await one(home)
    hello = [await one(Hello) for _ in range(runs)]
    quiz = [await one(home) for _ in range(runs)]
    App._display = orig  # type: ignore[method-assign]
    print("in-process first frame (imports excluded)")
    print(f"  hello world           : {_ms(hello)}")
    print(f"  quiz home (frame)     : {_ms(quiz)}")
    print(f"  ratio                 : {statistics.median(quiz) / statistics.median(hello):.2f}")


ANSWERS = {"single": ["a"], "judge": ["t"], "multi": ["a", "b", "enter"], "numeric": ["1", "5", "enter"],
           "short": [*"接待量", "enter"], "scenario": [*"先道歉安抚买家再核实情况", "ctrl+s"]}


async def bench_feedback(questions: int, tmp: Path) -> None:
    from textual.app import App

    from quiz.context import Context
    from tui.app import make_app
    from tui.screens.study import StudyScreen

    mark: dict[str, float | None] = {"t0": None, "shown": None}
    orig = App._display

    def _display(self: App[Any], screen: Any, renderable: Any) -> None:
        orig(self, screen, renderable)
        if renderable is not None and mark["t0"] is not None and mark["shown"] is None and getattr(screen, "state", "") == "feedback":
            mark["shown"] = time.perf_counter()

    App._display = _display  # type: ignore[method-assign]
    app = make_app(Context(db_path=tmp / "feedback.db"))
    out: dict[str, list[float]] = {}
    async with app.run_test(size=SIZE) as pilot:
        while not app.ready:
            await asyncio.sleep(0.01)
        await pilot.pause()
        app.open_study("random")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, StudyScreen)
        for _ in range(questions):
            if screen.state != "asking" or screen.item is None:
                break
            qtype = screen.item.question.type
            keys = ANSWERS[qtype]
            if keys[:-1]:
                await pilot.press(*keys[:-1])
            await pilot.pause()
            mark["t0"], mark["shown"] = time.perf_counter(), None
            await pilot.press(keys[-1])
            while mark["shown"] is None:
                await asyncio.sleep(0.0005)
            out.setdefault(qtype, []).append(mark["shown"] - mark["t0"])  # type: ignore[operator]
            mark["t0"] = None
            await pilot.pause()
            await pilot.press("enter")
            await pilot.pause()
    App._display = orig  # type: ignore[method-assign]
    print("feedback after the submitting key -> first frame with the feedback")
    for qtype, vs in sorted(out.items()):
        print(f"  {qtype:9}             : {_ms(vs)}")
    allv = [v for vs in out.values() for v in vs]
    if allv:
        print(f"  all                   : {_ms(allv)}  (target < 100 ms)")


async def main(runs: int, questions: int) -> None:
    os.environ.setdefault("QUIZ_CACHE_DIR", tempfile.mkdtemp(prefix="quiz-bench-cache-"))
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        bench_process(runs, tmp)
        await bench_in_process(runs, tmp)
        await bench_feedback(questions, tmp)


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=11)
    ap.add_argument("--questions", type=int, default=60)
    a = ap.parse_args()
    asyncio.run(main(a.runs, a.questions))
