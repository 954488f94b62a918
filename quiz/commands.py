"""The core's own subcommands: ``validate``, ``grade`` and ``schema``."""

from __future__ import annotations

import argparse
import json
import os
import stat
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from quiz.context import Context
from quiz.errors import UserError
from quiz.fileio import write_atomic
from quiz.library import Library
from quiz.loader import (
    MAX_PROBLEMS_PER_FILE,
    example_problems,
    load_file,
    load_paths_counted,
    register_lexicon,
    summary,
)
from quiz.model import AnyQuestion, Bank
from quiz.schema import schema_json
from quiz.text import describe, find_unsafe, plural, printable, safe_json

if TYPE_CHECKING:
    from quiz.grading.common import Lang


def cmd_validate(args: argparse.Namespace, ctx: Context) -> int:
    paths = [Path(p) for p in args.paths] or [ctx.banks_dir]
    for p in paths:
        if not p.exists() and not p.is_symlink():
            raise UserError(f"{printable(str(p), one_line=True)}: no such file or folder")
    # exams validated on their own are checked against the banks in use
    lib, problems, total = load_paths_counted(paths, reference=lambda: ctx.load_library()[0])
    examples = example_problems(lib)  # the grader must agree with each bank's own examples
    problems, total = problems + examples, total + len(examples)
    for problem in sorted(problems):
        print(problem)
    if problems:
        files = len({problem.path for problem in problems})
        shown = "" if total == len(problems) else f" (the first {MAX_PROBLEMS_PER_FILE} of each file are listed)"
        print(f"{summary(total, files)}{shown}", file=sys.stderr)
        return 1
    print(f"ok: {plural(len(lib.banks), 'bank')}, {plural(len(lib), 'question')}, {plural(len(lib.exams), 'exam')}")
    return 0


def _load_bank(path: str) -> Bank:
    p = Path(path)
    shown = printable(path, one_line=True)
    res = load_file(p)
    if res.problems:
        for problem in res.problems:
            print(problem, file=sys.stderr)
        raise UserError(f"{shown}: the bank has {plural(res.total, 'problem')}; fix them first (quiz validate)")
    if not isinstance(res.document, Bank):
        raise UserError(f"{shown}: is an exam blueprint, not a bank")
    return res.document


def _index(bank: Bank) -> dict[str, AnyQuestion]:
    lib = Library()
    lib.add_bank(bank)
    out: dict[str, AnyQuestion] = {}
    for it in [*lib, *lib.retired()]:  # a retired question is still graded by its id
        out[it.question.id] = it.question
        out[it.qid] = it.question
    return out


MAX_BATCH_LINE = 1 << 20  # bytes in one line of a batch: an answer is at most a few thousand characters


def _batch_lines(source: BinaryIO) -> Iterator[tuple[int, bytes | None]]:
    """(line number, bytes) of each line, in bounded memory: a line longer than
    :data:`MAX_BATCH_LINE` is skipped to its end and given as None."""
    n = 0
    while True:
        line = source.readline(MAX_BATCH_LINE + 1)
        if not line:
            return
        n += 1
        if len(line) > MAX_BATCH_LINE and not line.endswith(b"\n"):
            while True:  # the rest of the overlong line
                more = source.readline(MAX_BATCH_LINE)
                if not more or more.endswith(b"\n"):
                    break
            yield n, None
            continue
        yield n, line


def _read_batch(source: BinaryIO) -> Iterator[tuple[int, dict[str, Any] | str]]:
    """Each line of a batch as an object, or as the error to print for it (the batch goes on)."""
    for n, raw in _batch_lines(source):
        if raw is None:
            yield n, f"line {n}: longer than {MAX_BATCH_LINE // 1024} KiB; not graded"
            continue
        try:
            line = raw.decode("utf-8-sig" if n == 1 else "utf-8")
        except UnicodeDecodeError as e:
            yield n, f"line {n}: not UTF-8 text (byte 0x{raw[e.start]:02x} at column {e.start + 1})"
            continue
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            yield n, f"line {n}: not JSON ({e.msg} at column {e.colno})"
            continue
        except RecursionError:
            yield n, f"line {n}: JSON nested too deeply"
            continue
        except ValueError:  # a number of more than 4,300 digits
            yield n, f"line {n}: a number in it has too many digits"
            continue
        if not isinstance(obj, dict) or "id" not in obj:
            yield n, f"line {n}: expected an object with `id` and `answer`"
            continue
        yield n, obj


def _text(value: Any, what: str) -> str:
    """A batch value as text; ValueError for one that cannot be (a lone surrogate, deep nesting)."""
    if value is None:
        return ""
    try:
        text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, allow_nan=False)
    except (ValueError, RecursionError):
        raise ValueError(f"`{what}` cannot be read as text") from None
    bad = next(find_unsafe(text), None)
    if bad is not None and "\ud800" <= bad[1] <= "\udfff":
        raise ValueError(f"`{what}` holds {describe(bad[1])} (an invalid \\u escape)")
    return text


def _grade_lines(
    questions: dict[str, AnyQuestion], batch: Iterable[tuple[int, dict[str, Any] | str]], lang: Lang = "zh"
) -> Iterator[tuple[str, bool]]:
    from quiz.grading import grade

    # Grading is deterministic: an answer given again to the same question (a class answering "B") is
    # written out again rather than graded again.
    graded: dict[tuple[str, str], str] = {}
    for n, item in batch:
        if isinstance(item, str):
            yield safe_json({"error": item}), False
            continue
        raw_id = item.get("id")
        try:
            qid = _text(raw_id, "id")
            text = _text(item.get("answer"), "answer")
        except ValueError as e:
            out: dict[str, Any] = {"error": f"line {n}: {e}"}
            if isinstance(raw_id, str) and next(find_unsafe(raw_id), None) is None:
                out = {"id": raw_id, **out}
            yield safe_json(out), False
            continue
        q = questions.get(qid)
        if q is None:
            yield safe_json({"id": qid, "error": f"unknown question id `{printable(qid, one_line=True)}`"}), False
            continue
        line = graded.get((qid, text))
        if line is None:
            line = safe_json(grade(q, text, lang).to_json(qid))
            if len(graded) < 100_000:
                graded[(qid, text)] = line
        yield line, True


def _open_batch(name: str) -> BinaryIO:
    """The batch: stdin for ``-``, else a regular file (a FIFO or a device is refused, not read forever)."""
    if name == "-":
        return sys.stdin.buffer
    try:
        fd = os.open(name, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as e:
        raise UserError(f"{printable(name, one_line=True)}: {e.strerror or e}") from None
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise UserError(f"{printable(name, one_line=True)}: not a regular file; to grade from a pipe, use --batch -")
    return os.fdopen(fd, "rb")


def cmd_grade(args: argparse.Namespace, ctx: Context) -> int:
    # the shipped thesaurus and classes always apply; a trainer's files in the bank folder in use add to them
    for problem in register_lexicon(ctx.banks_dir):
        print(problem, file=sys.stderr)
    bank = _load_bank(args.bank_file)
    questions = _index(bank)
    # feedback in --lang / QUIZ_LANG (the learner's saved setting is not read: grading opens no database)
    lang: Lang = "en" if ctx.language == "en" else "zh"
    if args.batch is not None:
        if args.qid or args.answer is not None:
            raise UserError("use either --batch FILE or --id QID --answer TEXT, not both")
        source = _open_batch(args.batch)
        from quiz.grading import matchers

        matchers.use(Path(args.bank_file))  # the matchers the last batch on this bank built, read back
        ok_all = True
        out: list[str] = []
        try:
            for line, ok in _grade_lines(questions, _read_batch(source), lang):
                out.append(line)
                ok_all &= ok
                if len(out) >= 2048:
                    sys.stdout.write("\n".join(out) + "\n")
                    out.clear()
            if out:
                sys.stdout.write("\n".join(out) + "\n")
                out.clear()
            matchers.save()
        finally:
            matchers.stop()
            if source is not sys.stdin.buffer:
                source.close()
        sys.stdout.flush()
        return 0 if ok_all else 1
    if not args.qid or args.answer is None:
        raise UserError("grade needs --id QID and --answer TEXT, or --batch FILE")
    [(line, ok)] = list(_grade_lines(questions, [(1, {"id": args.qid, "answer": args.answer})], lang))
    print(line)
    return 0 if ok else 1


def cmd_schema(args: argparse.Namespace, ctx: Context) -> int:
    text = schema_json(args.kind)
    if args.output and args.output != "-":
        write_atomic(Path(args.output), text, protect=[ctx.db_path], force=args.force)
    else:
        sys.stdout.write(text)
    return 0
