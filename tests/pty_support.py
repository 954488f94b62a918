"""Run the real ``quiz`` command in a pseudo-terminal, as a person at an 80x24 terminal would.

:func:`run_in_pty` starts the command on a new pty of the given size, waits until
the screen shows every expected piece of text, types keys, and returns the exit
status and everything the program wrote (escape sequences removed). POSIX only.
"""

from __future__ import annotations

import os
import re
import select
import signal
import struct
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ANSI = re.compile(r"\x1b\[[0-9;?<>=$]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(\x07|\x1b\\)|\x1bP[^\x1b]*\x1b\\|\x1b[()][0-9A-Za-z]|\x1b[=>78c]")


@dataclass
class PtyRun:
    status: int  # the exit status (128 + signal when killed)
    output: str  # what the program wrote, escape sequences removed
    seen: bool  # every expected text appeared before the keys were typed
    seen_after: float | None = None  # seconds from the start until it did
    cpu: float = 0.0  # CPU seconds (user + system) the program used in all


def quiz_command() -> list[str]:
    """The installed ``quiz`` script beside this Python, else ``python -m quiz.cli``."""
    script = Path(sys.executable).with_name("quiz")
    return [str(script)] if script.exists() else [sys.executable, "-m", "quiz.cli"]


def plain(raw: str) -> str:
    return ANSI.sub("", raw)


def run_in_pty(
    argv: Sequence[str],
    *,
    env: dict[str, str],
    cwd: Path,
    expect: Sequence[str] = (),
    keys: bytes = b"\x11",
    size: tuple[int, int] = (80, 24),
    timeout: float = 90.0,
) -> PtyRun:
    """Run ``argv`` on a ``size`` (columns, rows) terminal; once every text in ``expect`` has been
    painted, type ``keys`` (Ctrl+Q by default) and wait for the program to end."""
    import fcntl
    import pty
    import termios

    cols, rows = size
    pid, fd = pty.fork()
    if pid == 0:  # the child: the pty is its terminal
        try:
            fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
            os.chdir(cwd)
            os.execvpe(argv[0], list(argv), env)
        finally:
            os._exit(127)
    chunks: list[bytes] = []
    started = time.monotonic()
    seen_after: float | None = None
    deadline = started + timeout
    typed = False
    seen = not expect
    status: int | None = None
    usage: Any = None
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([fd], [], [], 0.1)
            if ready:
                try:
                    data = os.read(fd, 65536)
                except OSError:  # the child closed the terminal
                    data = b""
                if not data:
                    break
                chunks.append(data)
            if not typed:
                text = plain(b"".join(chunks).decode("utf-8", "replace"))
                if expect and all(e in text for e in expect):
                    seen = True
                    seen_after = time.monotonic() - started
                    time.sleep(0.3)  # let the frame settle before typing
                    os.write(fd, keys)
                    typed = True
            done, code, usage = os.wait4(pid, os.WNOHANG)
            if done:
                status = code
                break
        while status is None and time.monotonic() < deadline:
            done, code, usage = os.wait4(pid, os.WNOHANG)
            if done:
                status = code
                break
            time.sleep(0.05)
        if status is None:  # hung: a failure, not a wait forever
            os.kill(pid, signal.SIGKILL)
            _, status, usage = os.wait4(pid, 0)
    finally:
        os.close(fd)
    exit_status = os.waitstatus_to_exitcode(status) if status else 0
    if exit_status < 0:
        exit_status = 128 - exit_status
    cpu = usage.ru_utime + usage.ru_stime if status is not None else 0.0
    return PtyRun(exit_status, plain(b"".join(chunks).decode("utf-8", "replace")), seen, seen_after, cpu)
