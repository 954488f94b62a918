"""The ``quiz`` command: one entry point for the terminal UI and every subcommand.

Heavy modules (Textual, the grader's dictionaries, the store) are imported only
by the subcommand that needs them, so ``quiz grade`` and ``quiz validate`` start
fast. Every subcommand handler has the signature ``(args, ctx) -> exit code``.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Callable, Sequence
from typing import cast

from quiz.context import Context
from quiz.errors import UserError
from quiz.text import printable

Handler = Callable[[argparse.Namespace, Context], int]

# subcommand -> "module:function"; each module owns its command.
HANDLERS: dict[str, str] = {
    "validate": "quiz.commands:cmd_validate",
    "grade": "quiz.commands:cmd_grade",
    "schema": "quiz.commands:cmd_schema",
    "stats": "quiz.stats:cli_stats",
    "study": "tui.app:cli_study",
    "exam": "tui.app:cli_exam",
    "import": "quiz.trainer.importers:cli_import",
    "lint": "quiz.trainer.lint:cli_lint",
    "report": "quiz.trainer.report:cli_report",
    "export": "quiz.trainer.exporters:cli_export",
    "users": "quiz.accounts:cli_users",
    "serve": "tui.serve:cli_serve",
}
UI_HANDLER = "tui.app:cli_home"


def _common(p: argparse.ArgumentParser, *, top: bool = False) -> None:
    """--db, --banks, --profile: accepted before or after the subcommand."""
    default = None if top else argparse.SUPPRESS  # a subcommand must not reset what came before it
    p.add_argument("--db", metavar="PATH", default=default, help="progress database (env QUIZ_DB; default ./progress.db)")
    p.add_argument("--banks", metavar="DIR", default=default, help="bank folder (env QUIZ_BANKS; default: the shipped banks)")
    p.add_argument("--profile", metavar="NAME", default=default, help="learner profile (env QUIZ_PROFILE; default 'default')")
    p.add_argument("--lang", metavar="zh|en", default=default,
                   help="language of the app and of grading feedback (env QUIZ_LANG; default: the profile's setting, else zh)")


TOP_OPTIONS = ("--db", "--banks", "--profile", "--lang")
"""The options ``quiz`` itself takes, each with a value."""


def opens_the_app(argv: Sequence[str]) -> bool:
    """Whether ``argv`` is ``quiz`` with at most its own options (``--db X``, ``--lang=en`` ...): the home
    screen, for which the subcommands' parsers need not be built. Anything else (a subcommand, ``-h``,
    an abbreviated or unknown option) is left to the full parser."""
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg in TOP_OPTIONS:
            i += 2
        elif arg.partition("=")[0] in TOP_OPTIONS and "=" in arg:
            i += 1
        else:
            return False
    return True


def build_parser(*, subcommands: bool = True) -> argparse.ArgumentParser:
    """The command line's parser; without ``subcommands``, only ``quiz``'s own options (see :func:`opens_the_app`)."""
    parser = argparse.ArgumentParser(
        prog="quiz",
        description="掌柜学堂 · Seller Academy: platform rules and dispute handling, practised until they stick.",
    )
    _common(parser, top=True)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    if not subcommands:
        return parser

    p = sub.add_parser("study", help="open the UI in a study session")
    _common(p)
    p.add_argument("--topic", help="study one topic (专项练习)")
    p.add_argument("--bank", help="study one bank")
    p.add_argument("--mode", default="smart", help="smart, sequential, random, wrong, bookmarks, browse")

    p = sub.add_parser("exam", help="open the UI in a mock exam")
    _common(p)
    p.add_argument("exam_id", nargs="?", metavar="EXAM_ID")

    p = sub.add_parser("validate", help="check bank and exam files")
    _common(p)
    p.add_argument("paths", nargs="*", metavar="PATH")

    p = sub.add_parser("grade", help="grade answers to a bank's questions, as JSON")
    _common(p)
    p.add_argument("bank_file", metavar="BANK_FILE")
    p.add_argument("--id", dest="qid", metavar="QID")
    p.add_argument("--answer")
    p.add_argument("--batch", metavar="FILE", help="JSON lines {id, answer}; '-' for stdin")

    p = sub.add_parser("schema", help="print the JSON Schema of bank or exam files")
    _common(p)
    p.add_argument("kind", nargs="?", choices=["bank", "exam", "thesaurus", "violations", "any"], default="any")
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout")
    p.add_argument("--force", action="store_true", help="replace FILE if it exists")

    p = sub.add_parser("stats", help="the learner's progress")
    _common(p)
    p.add_argument("--json", action="store_true", help="one JSON object")

    p = sub.add_parser(
        "import", help="turn a spreadsheet, GIFT or Moodle XML file into a bank",
        epilog="Every row or question that cannot be used is reported on stderr as FILE:ROW: reason; how the "
        "importer read the file (its guesses) is listed after them under 'to check'. Without -o the bank is "
        "printed. The output is never the input or a database; an existing file is replaced only with --force, "
        "and always in one step (a crash leaves the old file). Exit status: 0 when everything came in, 1 when something was reported (the usable questions "
        "are still written), 2 on an error such as a missing file.",
    )
    _common(p)
    p.add_argument("file", nargs="?", metavar="FILE")
    p.add_argument("-o", "--output", metavar="OUT.yaml")
    p.add_argument("--template", metavar="OUT.xlsx", help="write an empty template spreadsheet")
    p.add_argument("--bank-id", help="id of the bank written (default: from the file name)")
    p.add_argument("--force", action="store_true", help="replace OUT.yaml (or the template) if it exists")

    p = sub.add_parser("lint", help="trainer warnings beyond validity",
                       epilog="Exit status: 0 when the files are valid (warnings alone do not fail, unless --strict), "
                       "1 when a file is invalid or, with --strict, when there are warnings.")
    _common(p)
    p.add_argument("paths", nargs="*", metavar="PATH")
    p.add_argument("--strict", action="store_true", help="exit 1 when there are warnings")
    p.add_argument("--max-age-years", type=float, default=None, metavar="N",
                   help="warn on rules whose as_of is more than N years old (default 10)")

    p = sub.add_parser("report", help="item analysis over every learner")
    _common(p)
    p.add_argument("--json", action="store_true")

    p = sub.add_parser(
        "export", help="write exam results as CSV, or a bank as Moodle XML or GIFT for an LMS",
        usage="quiz export results.csv\n       quiz export --format {moodle-xml,gift} BANK [-o OUT]",
        epilog="BANK is a bank file or the id of a bank in use. Without -o the bank is printed. What the format "
        "cannot express (difficulty, key points, ...) is listed on stderr with the ids of the questions concerned.",
    )
    _common(p)
    p.add_argument("target", nargs="?", metavar="results.csv | BANK")
    p.add_argument("--format", choices=["csv", "moodle-xml", "gift"],
                   help="csv: exam results (default); moodle-xml, gift: a bank (inferred from -o OUT.xml / OUT.gift)")
    p.add_argument("-o", "--output", metavar="OUT")
    p.add_argument("--force", action="store_true", help="replace OUT (or results.csv) if it exists")

    p = sub.add_parser("users", help="accounts for the served app (quiz serve)")
    _common(p)
    users = p.add_subparsers(dest="users_command", metavar="ACTION")
    u = users.add_parser("add", help="create an account (its name is the learner's profile)")
    _common(u)
    u.add_argument("name", metavar="NAME")
    u.add_argument("--trainer", action="store_true", help="a trainer: sees the team and the trainer tools")
    u.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    u = users.add_parser("list", help="every account, its role and whether it is active")
    _common(u)
    u = users.add_parser("passwd", help="change an account's password")
    _common(u)
    u.add_argument("name", metavar="NAME")
    u.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    u = users.add_parser("remove", help="disable an account (its history is kept)")
    _common(u)
    u.add_argument("name", metavar="NAME")

    p = sub.add_parser(
        "serve", help="serve the app to browsers (every session starts at a login screen)",
        epilog="Binds to 127.0.0.1 unless --host says otherwise; put it behind a reverse proxy with TLS "
        "(see the README) and give --public-url the address browsers use.",
    )
    _common(p)
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    p.add_argument("--public-url", metavar="URL", help="the address browsers reach, e.g. https://quiz.example.com")
    p.add_argument("--idle-minutes", type=float, default=30.0, metavar="N",
                   help="end a browser session after N minutes without a key or a click (default 30; 0: never); "
                   "what was typed is saved and the learner logs in again to resume")
    return parser


def _resolve(spec: str) -> Handler:
    module, _, name = spec.partition(":")
    return cast(Handler, getattr(importlib.import_module(module), name))


def main(argv: Sequence[str] | None = None) -> int:
    # pydantic looks for plugins in every installed package's entry points on first use: this
    # program uses none, and the look-up is a measurable part of the start-up
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    arguments = sys.argv[1:] if argv is None else list(argv)
    if arguments:
        args = build_parser(subcommands=not opens_the_app(arguments)).parse_args(arguments)
    else:  # plain `quiz`, the most common start: what the parser would say, without building it
        args = argparse.Namespace(command=None, **{option[2:]: None for option in TOP_OPTIONS})
    spec = HANDLERS.get(args.command) if args.command else UI_HANDLER
    ctx = Context()
    try:
        ctx = Context.from_env(banks=args.banks, db=args.db, profile=args.profile, lang=args.lang)
        if not args.command:  # the home screen: its numbers are worked out beside the UI's start-up (quiz.home)
            from quiz.home import HomePrefetch

            ctx.home_prefetch = HomePrefetch.start(ctx)
        handler = _resolve(spec or UI_HANDLER)
        return handler(args, ctx)
    except UserError as e:
        print(f"quiz: {printable(str(e), one_line=True)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except Exception as e:
        import sqlite3  # (here: the app starts without it on its way to the first screen)

        if not isinstance(e, sqlite3.OperationalError):
            raise
        from quiz.store import StoreError  # e.g. a database locked by another program for too long

        print(f"quiz: {StoreError.of(ctx.db_path, e)}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
