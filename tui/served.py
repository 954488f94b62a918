"""One served session: the app for one browser tab, started by ``quiz serve``.

``quiz serve`` runs ``python -m tui.served --db DB --banks DIR`` through
textual-serve once per browser connection, with the database and bank folder
fixed by the server (quoted, absolute); nothing a browser sends reaches this
command line. The app starts at its login screen, and who is logged in is
decided here, by the password checked against the database: there is no other
way in. Always served: this entry point has no option to run unserved.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from quiz.context import Context
from quiz.dbfile import check_db_path
from quiz.errors import UserError


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tui.served", description="one browser session of quiz serve")
    parser.add_argument("--db", required=True)
    parser.add_argument("--banks", required=True)
    parser.add_argument("--idle-minutes", type=float, default=0.0)
    args = parser.parse_args(argv)
    ctx = Context(banks_dir=Path(args.banks), db_path=Path(args.db), profile="")
    try:
        check_db_path(ctx.db_path)
    except UserError as e:
        print(f"quiz serve: {e}", file=sys.stderr)
        return 2
    from tui.app import make_app

    app = make_app(ctx, served=True, idle_minutes=args.idle_minutes)
    result = app.run()
    if app.fatal:
        print(f"quiz serve: {app.fatal}", file=sys.stderr)
        return 2
    return int(result or 0)


if __name__ == "__main__":
    sys.exit(main())
