"""A browser's side of ``quiz serve`` without a browser: textual-serve's websocket protocol
(what ``textual.js`` sends and reads), with the terminal output kept in a ``pyte`` screen.

Used by the websocket tests and by ``benchmarks/bench_serve.py``. The protocol: the
client sends JSON text frames ``["stdin", text]`` (keys as a terminal would send
them) and ``["resize", {"width": w, "height": h}]``; the server sends the app's
terminal output as binary frames, and closes the socket when the app exits.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import aiohttp
import pyte

ROOT = Path(__file__).resolve().parent.parent

KEYS: dict[str, str] = {
    "enter": "\r",
    "tab": "\t",
    "escape": "\x1b",
    "backspace": "\x7f",
    "up": "\x1b[A",
    "down": "\x1b[B",
    "right": "\x1b[C",
    "left": "\x1b[D",
    "pagedown": "\x1b[6~",
    "pageup": "\x1b[5~",
    "f1": "\x1bOP",
    "f2": "\x1bOQ",
    "f4": "\x1bOS",
    "f8": "\x1b[19~",
    "f9": "\x1b[20~",
}


def key_text(key: str) -> str:
    """What a terminal sends for ``key`` (a name above, ``ctrl+x``, or plain text)."""
    if key in KEYS:
        return KEYS[key]
    if key.startswith("ctrl+") and len(key) == 6:
        return chr(ord(key[-1].lower()) - 96)
    return key


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class ServedSession:
    """One browser tab: a websocket to the server and the screen it paints."""

    def __init__(self, base_url: str, *, width: int = 100, height: int = 32) -> None:
        self.base_url = base_url.rstrip("/")
        self.width, self.height = width, height
        self.screen = pyte.Screen(width, height)
        self.stream = pyte.ByteStream(self.screen)
        self.closed = asyncio.Event()
        self.changed = asyncio.Event()
        self.received = 0
        self._ws: aiohttp.ClientWebSocketResponse | None = None
        self._reader: asyncio.Task[None] | None = None

    async def open(self, http: aiohttp.ClientSession) -> ServedSession:
        url = self.base_url.replace("http", "ws", 1) + f"/ws?width={self.width}&height={self.height}"
        self._ws = await http.ws_connect(url, max_msg_size=0)
        self._reader = asyncio.create_task(self._read())
        return self

    async def _read(self) -> None:
        assert self._ws is not None
        async for msg in self._ws:
            if msg.type == aiohttp.WSMsgType.BINARY:
                self.stream.feed(msg.data)
                self.received += len(msg.data)
                self.changed.set()
            elif msg.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.ERROR):
                break
        self.closed.set()
        self.changed.set()

    def text(self) -> str:
        return "\n".join(line.rstrip() for line in self.screen.display)

    async def send(self, text: str) -> None:
        assert self._ws is not None
        await self._ws.send_json(["stdin", text])

    async def press(self, *keys: str, gap: float = 0.05) -> None:
        for key in keys:
            await self.send(key_text(key))
            if gap:
                await asyncio.sleep(gap)

    async def type(self, text: str) -> None:
        await self.send(text)

    async def wait_for(self, *needles: str, timeout: float = 30.0, absent: tuple[str, ...] = (),
                       any_of: tuple[str, ...] = ()) -> str:
        """Wait until the screen shows every one of ``needles``, none of ``absent`` and (if given)
        one of ``any_of``; return it."""
        deadline = time.monotonic() + timeout
        while True:
            text = self.text()
            if (all(n in text for n in needles) and not any(a in text for a in absent)
                    and (not any_of or any(a in text for a in any_of))):
                return text
            left = deadline - time.monotonic()
            if left <= 0 or self.closed.is_set():
                raise AssertionError(f"screen never showed {needles!r} (closed={self.closed.is_set()}):\n{text}")
            self.changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.changed.wait(), timeout=min(left, 0.5))

    async def close(self) -> None:
        if self._ws is not None:
            await self._ws.close()
        if self._reader is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._reader, 10)


class Server:
    """``quiz serve`` in a child process on a free port (stopped with SIGINT, as Ctrl+C would)."""

    def __init__(self, db: Path, banks: Path, *, port: int | None = None, env: dict[str, str] | None = None,
                 args: tuple[str, ...] = ()) -> None:
        self.db, self.banks = db, banks
        self.args = args  # more of quiz serve's options (--idle-minutes N)
        self.port = port or free_port()
        self.env = env
        self.proc: subprocess.Popen[bytes] | None = None
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = db.parent / f"serve-{self.port}.log"

    def start(self, timeout: float = 60.0) -> Server:
        import os

        env = {**os.environ, "PYTHONPATH": str(ROOT), **(self.env or {})}
        self._log = self.log.open("wb")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "quiz.cli", "--db", str(self.db), "--banks", str(self.banks),
             "serve", "--host", "127.0.0.1", "--port", str(self.port), *self.args],
            stdout=self._log, stderr=subprocess.STDOUT, env=env, cwd=str(self.db.parent),
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"quiz serve exited {self.proc.returncode}:\n{self.log.read_text(errors='replace')}")
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                return self
            time.sleep(0.2)
        raise RuntimeError(f"quiz serve did not listen within {timeout}s:\n{self.log.read_text(errors='replace')}")

    def stop(self) -> None:
        import signal

        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        if hasattr(self, "_log"):
            self._log.close()

    def __enter__(self) -> Server:
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()


async def login(session: ServedSession, name: str, password: str) -> None:
    """Type a name and a password into the login screen."""
    await session.wait_for("登录", "账号")
    await session.type(name)
    await session.press("enter")  # to the password box, before the next key is handled
    await session.type(password)
    await session.press("enter")
