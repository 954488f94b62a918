"""Load on one `quiz serve`: concurrent learners answering over the websocket.

Run from the project root:  .venv/bin/python benchmarks/bench_serve.py [--sessions 10] [--answers 50]

A real ``quiz serve`` (its own process, the shipped banks, a fresh database with
one account per learner) and N browser sessions speaking textual-serve's
websocket protocol at once (tests/served_client.py: keys in, terminal output
into a ``pyte`` screen). Each learner logs in, opens 随机练习 from the home
menu and answers questions one after another, reading each question for a
moment first (``--think`` seconds) as people do. Reported:

* errors (a session that failed) and lost answers: the ``reviews`` rows per
  learner in the database must equal the answers each one gave;
* answer-to-feedback latency: from the key that submits an answer to the
  moment the session's screen shows the feedback, over every answer of every
  session (median, p95, max; target p95 < 300 ms);
* server memory per session: the RSS (and PSS, which counts shared pages once)
  of each app process textual-serve started, read from /proc while all the
  sessions are open; and the server process itself.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import aiohttp  # noqa: E402

from quiz.accounts import add_account  # noqa: E402
from quiz.scheduler import utc_now  # noqa: E402
from quiz.store import Store  # noqa: E402
from tests.served_client import ServedSession, Server, login  # noqa: E402

HINTS = ("按 1-", "按 T/1", "输入答案后按回车", "写下你的处理方法", "按数字或字母选择多个选项")


def _status(pid: int, field: str) -> int:
    """A ``kB`` field of /proc/PID/status or smaps_rollup, in bytes (0 if gone)."""
    for name in ("status", "smaps_rollup"):
        try:
            for line in Path(f"/proc/{pid}/{name}").read_text().splitlines():
                if line.startswith(field + ":"):
                    return int(line.split()[1]) * 1024
        except OSError:
            continue
    return 0


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (0 if gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def session_pids(server_pid: int) -> list[int]:
    """The app processes under the server (textual-serve runs each through a shell)."""
    out: list[int] = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmd = (entry / "cmdline").read_bytes().replace(b"\0", b" ")
        except OSError:
            continue
        if b"tui.served" in cmd and b"/bin/sh" not in cmd.split(b" ")[0]:
            pid = int(entry.name)
            ppid = pid
            for _ in range(4):  # is it a descendant of the server?
                try:
                    ppid = int(Path(f"/proc/{ppid}/stat").read_text().rsplit(")", 1)[1].split()[1])
                except (OSError, ValueError, IndexError):
                    break
                if ppid == server_pid:
                    out.append(pid)
                    break
    return out


async def learner(url: str, name: str, password: str, answers: int, think: float, latencies: list[float],
                  given: dict[str, int]) -> None:
    async with aiohttp.ClientSession() as http:
        tab = await ServedSession(url, width=100, height=32).open(http)
        try:
            await login(tab, name, password)
            await tab.wait_for("今日", f"学员：{name}", timeout=120)
            await asyncio.sleep(0.5)
            await tab.press("down", "down", "enter", gap=0.15)  # the menu: 随机练习
            for n in range(1, answers + 1):
                text = await tab.wait_for(f"第 {n}/", timeout=60, absent=("你的答案",), any_of=HINTS)
                await asyncio.sleep(think)
                if "按 T/1" in text:
                    submit = "t"
                elif "写下你的处理方法" in text:
                    await tab.type("先道歉安抚买家，再核实情况，按平台规则处理")
                    submit = "ctrl+s"
                elif "按数字或字母选择多个选项" in text:
                    await tab.press("a")
                    submit = "enter"
                elif "按 1-" in text:
                    submit = "b"
                else:
                    await tab.type("15")
                    submit = "enter"
                await asyncio.sleep(0.05)
                t0 = time.perf_counter()
                await tab.press(submit, gap=0)
                await tab.wait_for("你的答案", timeout=60)
                latencies.append(time.perf_counter() - t0)
                given[name] = given.get(name, 0) + 1
                await tab.press("enter", gap=0)
        finally:
            await tab.close()


async def run(args: argparse.Namespace) -> int:
    tmp = Path(tempfile.mkdtemp(prefix="bench-serve-"))
    db = tmp / "progress.db"
    names = [f"学员{i:02d}" for i in range(1, args.sessions + 1)]
    with Store.open(db) as store:
        for name in names:
            add_account(store, name, f"{name}-password", now=utc_now())
    server = Server(db, ROOT / "banks").start()
    assert server.proc is not None
    latencies: list[float] = []
    given: dict[str, int] = {}
    memory: list[tuple[int, int]] = []
    cpu: dict[int, float] = {}
    errors: list[str] = []
    client_cpu = time.process_time()

    async def sample_memory() -> None:
        while True:
            await asyncio.sleep(2.0)
            pids = session_pids(server.proc.pid)  # type: ignore[union-attr]
            if len(pids) == args.sessions:  # every session open: the latest reading wins
                memory[:] = [(_status(p, "VmRSS"), _status(p, "Pss")) for p in pids]
            for p in pids:
                cpu[p] = max(cpu.get(p, 0.0), cpu_seconds(p))
            cpu[server.proc.pid] = cpu_seconds(server.proc.pid)  # type: ignore[union-attr]

    started = time.perf_counter()
    sampler = asyncio.create_task(sample_memory())
    try:
        results = await asyncio.gather(
            *(learner(server.url, n, f"{n}-password", args.answers, args.think, latencies, given) for n in names),
            return_exceptions=True,
        )
    finally:
        sampler.cancel()
        server_rss = _status(server.proc.pid, "VmRSS")
        server.stop()
    wall = time.perf_counter() - started
    client_cpu = time.process_time() - client_cpu
    for name, r in zip(names, results, strict=True):
        if isinstance(r, BaseException):
            errors.append(f"{name}: {type(r).__name__}: {r}" if args.verbose else f"{name}: {type(r).__name__}: {str(r).splitlines()[0] if str(r) else ''}")
    with Store.open(db) as store:
        stored = {n: len(store.reviews(n)) for n in names}
    lost = {n: given.get(n, 0) - stored[n] for n in names if given.get(n, 0) != stored[n]}

    ms = sorted(x * 1000 for x in latencies)
    p95 = ms[max(0, int(len(ms) * 0.95 + 0.5) - 1)] if ms else float("nan")
    print(f"quiz serve load: {args.sessions} sessions x {args.answers} answers, think {args.think:g} s, "
          f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")
    print(f"  wall time {wall:.1f} s; answers given {sum(given.values())}, stored {sum(stored.values())}; "
          f"lost {sum(lost.values())}; sessions failed {len(errors)}")
    for e in errors:
        print(f"    {e}")
    if ms:
        print(f"  answer -> feedback: median {statistics.median(ms):.0f} ms, p95 {p95:.0f} ms, max {ms[-1]:.0f} ms "
              f"(target p95 < 300 ms: {'met' if p95 < 300 else 'MISSED'})")
    if memory:
        rss = [r for r, _ in memory]
        pss = [p for _, p in memory]
        mb = 1024 * 1024
        print(f"  memory per session (app process): RSS mean {statistics.mean(rss) / mb:.0f} MB "
              f"(max {max(rss) / mb:.0f}), PSS mean {statistics.mean(pss) / mb:.0f} MB; "
              f"all {len(memory)} sessions: RSS {sum(rss) / mb:.0f} MB, PSS {sum(pss) / mb:.0f} MB; "
              f"server process RSS {server_rss / mb:.0f} MB")
    answered = max(1, sum(given.values()))
    apps = sum(v for k, v in cpu.items() if k != server.proc.pid)
    print(f"  CPU: app processes {apps:.1f} s ({apps / answered * 1000:.0f} ms per answer, start-up included), "
          f"server {cpu.get(server.proc.pid, 0.0):.0f} s, this client (pyte) {client_cpu:.0f} s, "
          f"over {wall:.0f} s on {os.cpu_count()} CPUs")
    return 1 if errors or lost else 0


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sessions", type=int, default=10)
    p.add_argument("--answers", type=int, default=50)
    p.add_argument("--think", type=float, default=1.0, help="seconds a learner reads before answering")
    p.add_argument("--verbose", action="store_true", help="print the screen of a session that failed")
    return asyncio.run(run(p.parse_args()))


if __name__ == "__main__":
    sys.exit(main())
