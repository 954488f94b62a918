"""``quiz serve``: the app in browsers, one app process per browser session (textual-serve).

textual-serve's :class:`~textual_serve.server.Server` answers the page and, for
every browser websocket, starts :data:`command` with the server's environment and
pipes the terminal to the browser. The command is built here from fixed,
server-side values only (this Python, ``-m tui.served``, the absolute database and
bank paths, each quoted with :func:`shlex.quote`): a browser sends keystrokes and
its window size, nothing that reaches the command line. Every session starts at
the login screen and checks the password itself against the database (see
:mod:`tui.served`, :mod:`quiz.accounts`); all sessions share the one
``progress.db`` (SQLite in WAL mode: many readers, one writer at a time, each
graded answer its own short transaction). A session without a key or a click for
``--idle-minutes`` ends (:meth:`tui.app.QuizApp.end_idle`): what was typed is saved first, as
it is saved as typed anyway, and the learner logs in again to resume.
"""

from __future__ import annotations

import argparse
import math
import os
import shlex
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from quiz.context import Context
from quiz.errors import UserError

if TYPE_CHECKING:
    from textual_serve.server import Server

TITLE = "掌柜学堂 · Seller Academy"
MAX_IDLE_MINUTES = 24 * 60
TEMPLATES = Path(__file__).resolve().parent / "web"


def session_command(db: Path, banks: Path, python: str | None = None, *, idle_minutes: float = 0.0) -> str:
    """The shell command textual-serve runs for one browser session (every part quoted)."""
    parts = [python or sys.executable, "-m", "tui.served", "--db", str(db), "--banks", str(banks),
             "--idle-minutes", f"{idle_minutes:g}"]
    return " ".join(shlex.quote(p) for p in parts)


def session_environment() -> None:
    """Keep the environment the sessions inherit from deciding anything a login should decide."""
    for name in ("QUIZ_PROFILE", "QUIZ_LANG", "TEXTUAL", "TEXTUAL_LOG"):
        os.environ.pop(name, None)


def prepare(ctx: Context) -> tuple[Path, Path, int, int]:
    """Check what a served session needs before serving: (db, banks, accounts, problems).

    The database is created and migrated if needed; serving without any account is
    refused (nobody could log in); a bank folder with no usable question too.
    """
    from quiz.accounts import list_accounts
    from quiz.store import Store

    db = ctx.db_path.expanduser().resolve()
    banks = ctx.banks_dir.expanduser().resolve()
    if not banks.is_dir():
        raise UserError(f"{banks}: no such bank folder (use --banks DIR)")
    with Store.open(db) as store:
        active = [a for a in list_accounts(store) if a.active]
    if not active:
        raise UserError(f"{db}: no accounts yet; add one first: quiz --db {shlex.quote(str(db))} users add NAME --password-stdin")
    library, problems = Context(banks_dir=banks, db_path=db).load_library()
    if not len(library):
        raise UserError(f"{banks}: no usable questions in the bank folder (quiz validate {shlex.quote(str(banks))})")
    return db, banks, len(active), len(problems)


def make_server(db: Path, banks: Path, *, host: str, port: int, public_url: str | None = None,
                idle_minutes: float = 0.0) -> Server:
    """The textual-serve server for ``db`` and ``banks`` (tests start it on a free port)."""
    from textual_serve.server import Server

    session_environment()
    return Server(
        session_command(db, banks, idle_minutes=idle_minutes),
        host=host,
        port=port,
        title=TITLE,
        public_url=public_url,
        templates_path=TEMPLATES,
    )


def cli_serve(args: argparse.Namespace, ctx: Context) -> int:
    """``quiz serve [--host H] [--port P] [--public-url URL] [--idle-minutes N]``."""
    if not 0 < args.port < 65536:
        raise UserError(f"--port {args.port}: not a port number")
    idle = float(getattr(args, "idle_minutes", 0.0) or 0.0)
    if not math.isfinite(idle) or not 0 <= idle <= MAX_IDLE_MINUTES:
        raise UserError(f"--idle-minutes {args.idle_minutes:g}: give minutes from 0 (never) to {MAX_IDLE_MINUTES}")
    db, banks, accounts, problems = prepare(ctx)
    print(f"quiz serve: {db} ({accounts} active account(s)), banks {banks}"
          + (f" ({problems} problem(s): quiz validate)" if problems else ""), file=sys.stderr)
    if args.host not in ("127.0.0.1", "localhost", "::1") and not (args.public_url or "").startswith("https://"):
        print("quiz serve: listening beyond this machine without TLS: passwords cross the network in clear; "
              "put a reverse proxy with TLS in front (see the README)", file=sys.stderr)
    server = make_server(db, banks, host=args.host, port=args.port, public_url=args.public_url, idle_minutes=idle)
    try:
        server.serve()
    except OSError as e:
        raise UserError(f"cannot listen on {args.host}:{args.port}: {e.strerror or e}") from e
    return 0
