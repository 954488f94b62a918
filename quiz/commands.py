"""The core's own subcommands: ``validate``, ``grade`` and ``schema``."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, TextIO

from quiz.context import Context
from quiz.errors import UserError
from quiz.library import Library
from quiz.loader import example_problems, load_file, load_paths, register_lexicon
from quiz.model import AnyQuestion, Bank
from quiz.schema import schema_json


def cmd_validate(args: argparse.Namespace, ctx: Context) -> int:
    paths = [Path(p) for p in args.paths] or [ctx.banks_dir]
    for p in paths:
        if not p.exists():
            raise UserError(f"{p}: no such file or folder")
    # exams validated on their own are checked against the banks in use
    lib, problems = load_paths(paths, reference=lambda: ctx.load_library()[0])
    problems = problems + example_problems(lib)  # the grader must agree with each bank's own examples
    for problem in sorted(problems):
        print(problem)
    if problems:
        files = len({problem.path for problem in problems})
        print(f"{len(problems)} problem(s) in {files} file(s)", file=sys.stderr)
        return 1
    print(f"ok: {len(lib.banks)} bank(s), {len(lib)} question(s), {len(lib.exams)} exam(s)")
    return 0


def _load_bank(path: str) -> Bank:
    p = Path(path)
    if not p.exists():
        raise UserError(f"{path}: no such file")
    res = load_file(p)
    if res.problems:
        for problem in res.problems:
            print(problem, file=sys.stderr)
        raise UserError(f"{path}: the bank has {len(res.problems)} problem(s); fix them first (quiz validate)")
    if not isinstance(res.document, Bank):
        raise UserError(f"{path}: is an exam blueprint, not a bank")
    return res.document


def _index(bank: Bank) -> dict[str, AnyQuestion]:
    lib = Library()
    lib.add_bank(bank)
    out: dict[str, AnyQuestion] = {}
    for it in [*lib, *lib.retired()]:  # a retired question is still graded by its id
        out[it.question.id] = it.question
        out[it.qid] = it.question
    return out


def _read_batch(source: TextIO) -> Iterator[tuple[int, dict[str, Any] | str]]:
    for n, line in enumerate(source, 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            yield n, f"line {n}: not JSON ({e.msg})"
            continue
        if not isinstance(obj, dict) or "id" not in obj:
            yield n, f"line {n}: expected an object with `id` and `answer`"
            continue
        yield n, obj


def _grade_lines(questions: dict[str, AnyQuestion], batch: Iterable[tuple[int, dict[str, Any] | str]]) -> Iterator[tuple[str, bool]]:
    from quiz.grading import grade

    for _n, item in batch:
        if isinstance(item, str):
            yield json.dumps({"error": item}, ensure_ascii=False), False
            continue
        qid = str(item.get("id"))
        answer = item.get("answer")
        q = questions.get(qid)
        if q is None:
            yield json.dumps({"id": qid, "error": f"unknown question id `{qid}`"}, ensure_ascii=False), False
            continue
        text = "" if answer is None else answer if isinstance(answer, str) else json.dumps(answer, ensure_ascii=False)
        yield json.dumps(grade(q, text).to_json(qid), ensure_ascii=False), True


def cmd_grade(args: argparse.Namespace, ctx: Context) -> int:
    # the shipped thesaurus and classes always apply; a trainer's files in the bank folder in use add to them
    for problem in register_lexicon(ctx.banks_dir):
        print(problem, file=sys.stderr)
    bank = _load_bank(args.bank_file)
    questions = _index(bank)
    if args.batch is not None:
        if args.qid or args.answer is not None:
            raise UserError("use either --batch FILE or --id QID --answer TEXT, not both")
        if args.batch == "-":
            source: TextIO = sys.stdin
        else:
            try:
                source = open(args.batch, encoding="utf-8")
            except OSError as e:
                raise UserError(f"{args.batch}: {e.strerror or e}") from e
        ok_all = True
        out: list[str] = []
        try:
            for line, ok in _grade_lines(questions, _read_batch(source)):
                out.append(line)
                ok_all &= ok
                if len(out) >= 2048:
                    sys.stdout.write("\n".join(out) + "\n")
                    out.clear()
        except UnicodeDecodeError as e:
            raise UserError(f"{args.batch}: not UTF-8 text ({e.reason})") from e
        finally:
            if source is not sys.stdin:
                source.close()
        if out:
            sys.stdout.write("\n".join(out) + "\n")
        sys.stdout.flush()
        return 0 if ok_all else 1
    if not args.qid or args.answer is None:
        raise UserError("grade needs --id QID and --answer TEXT, or --batch FILE")
    [(line, ok)] = list(_grade_lines(questions, [(1, {"id": args.qid, "answer": args.answer})]))
    print(line)
    return 0 if ok else 1


def cmd_schema(args: argparse.Namespace, ctx: Context) -> int:
    text = schema_json(args.kind)
    if args.output:
        try:
            Path(args.output).write_text(text, encoding="utf-8")
        except OSError as e:
            raise UserError(f"{args.output}: {e.strerror or e}") from e
    else:
        sys.stdout.write(text)
    return 0
