"""A seeded fuzz run over every input the program reads: banks and exams, grading batches, imports.

Each case mutates a real input (the shipped banks and exams, a batch of answers, the
import template, a trainer's CSV and workbook, GIFT and Moodle XML files) with a seeded mutator that knows
what breaks parsers: YAML tags with odd values, anchors and aliases, NaN and infinite
and huge numbers, control and direction characters, markup, truncation, deep nesting,
invalid UTF-8. The real command runs on it in this process, and the test asserts:

* never a traceback: the command returns an exit status (0, 1 or 2) for every case;
* never a hang: each case must finish within ``CASE_SECONDS`` (an alarm fails it);
* never a changed input: the input file's bytes are the same afterwards;
* the output keeps its contract: ``validate`` prints ``path:line:column: message`` lines,
  ``grade --batch`` one JSON object per input line, ``import`` a bank that validates.

The cases are fixed (seeds 0 .. N-1 per kind: the same on every machine) and few enough to
run in CI in well under a minute. A failure names the kind and the seed, to replay it.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import random
import re
import signal
from collections.abc import Callable, Iterator
from pathlib import Path
from types import FrameType

import pytest

from quiz.cli import main
from quiz.loader import load_file
from quiz.trainer.spreadsheet import TEMPLATE_ROWS, rows_for_csv

REPO = Path(__file__).resolve().parent.parent
IMPORTS = Path(__file__).resolve().parent / "data" / "import"
BANK_FILES = sorted((REPO / "banks").glob("*.yaml")) + sorted((REPO / "banks" / "exams").glob("*.yaml"))
CASE_SECONDS = 10  # generous for a loaded CI machine; a real hang never ends
CASES = {"banks": 120, "batches": 150, "csv": 50, "gift": 50, "xml": 40, "xlsx": 40}  # about 40 s on a busy machine

TOKENS = [
    "!!bool maybe", '!!int ""', "!!timestamp abc", "!!float x", "!!binary !!", "!!python/object:os.system", "!x",
    "&a", "*a", "*nope", "<<: *a", "{", "}", "[", "]", '"', "'", ": ", "- ", "? ", "#", "|", ">", "---", "...",
    "%YAML 1.1", "\t", "\r", "\x00", "\x1b[2J", "\x1b]52;c;aGk=\x07", "\u202e", "\u2028", "\x85", "\ufeff",
    "\\e", "\\u202e", "\\ud800", ".nan", ".inf", "-.inf", "1e999", "9" * 5000, "0x", "~", "null", "yes", "no",
    "[/规则]", "[@click=app.screenshot()]x[/]", "[a]", "。。", "\u200b", "😀", "𠀀", "\udcff", "{=a {=b} ~c}",
    "::N::", "$CATEGORY:", "=", "~", "#", "->", "%50%", "\\", "\n", "\n  - ", "\n    ", ",", '"",', "\r\n",
]


class Hang(Exception):
    pass


@contextlib.contextmanager
def deadline(seconds: float, what: str) -> Iterator[None]:
    def alarm(signum: int, frame: FrameType | None) -> None:
        raise Hang(f"{what}: still running after {seconds} s")

    old = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def mutate(rng: random.Random, text: str, rounds: int = 3) -> str:
    """A few random edits that tend to break parsers, at random places."""
    for _ in range(rng.randint(1, rounds)):
        n = len(text)
        at = rng.randrange(n + 1)
        op = rng.randrange(9)
        if op == 0:  # insert a token
            text = text[:at] + rng.choice(TOKENS) + text[at:]
        elif op == 1 and n:  # delete a span
            text = text[:at] + text[at + rng.randint(1, 40):]
        elif op == 2 and n:  # duplicate a span (duplicate keys, repeated questions)
            end = min(n, at + rng.randint(1, 400))
            text = text[:end] + text[at:end] + text[end:]
        elif op == 3:  # truncate
            text = text[:at]
        elif op == 4:  # replace a value after a colon
            m = list(re.finditer(r": [^\n]*", text))
            if m:
                hit = rng.choice(m)
                text = text[: hit.start()] + ": " + rng.choice(TOKENS) + text[hit.end():]
        elif op == 5:  # re-indent a line
            lines = text.split("\n")
            i = rng.randrange(len(lines))
            lines[i] = " " * rng.randint(0, 9) + lines[i].lstrip()
            text = "\n".join(lines)
        elif op == 6:  # swap two lines
            lines = text.split("\n")
            i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
            lines[i], lines[j] = lines[j], lines[i]
            text = "\n".join(lines)
        elif op == 7:  # a random character, any plane
            ch = chr(rng.choice([rng.randrange(0x20), rng.randrange(0x80, 0xA0), rng.randrange(0x10FFFF)]))
            text = text[:at] + ch + text[at:]
        else:  # nest deeply
            depth = rng.choice([10, 70, 500, 2000])
            text = text[:at] + "[" * depth + "]" * depth + text[at:]
    return text


def encode(rng: random.Random, text: str) -> bytes:
    raw = text.encode("utf-8", "surrogatepass")
    if rng.random() < 0.1:  # invalid UTF-8, or GBK as Notepad saves it
        at = rng.randrange(len(raw) + 1)
        raw = raw[:at] + bytes([rng.randrange(0x80, 0x100)]) + raw[at:]
    return raw


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run(args: list[str], what: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with deadline(CASE_SECONDS, what), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(args)
    assert code in (0, 1, 2), (what, code)
    assert "Traceback" not in err.getvalue(), (what, err.getvalue())
    return code, out.getvalue(), err.getvalue()


def cases(kind: str, step: Callable[[int], None], count: int) -> int:
    """Seeds 0 .. count-1 of one kind (the same cases on every machine); a failure names its seed."""
    for seed in range(count):
        try:
            step(seed)
        except (AssertionError, Hang) as e:
            raise AssertionError(f"{kind}, seed {seed}: {e}") from e
    return count


PROBLEM_LINE = re.compile(r"^.+:\d+:\d+: .+$")


def test_fuzz_banks_and_exams(tmp_path: Path) -> None:
    """Mutated shipped banks and exams: validate reports problems as lines, grade refuses or grades."""

    def step(seed: int) -> None:
        rng = random.Random(seed)
        source = rng.choice(BANK_FILES)
        target = tmp_path / f"case{seed % 5}" / source.name.replace(".yaml", rng.choice([".yaml", ".YAML", ".yml"]))
        target.parent.mkdir(exist_ok=True)
        for old in target.parent.iterdir():
            old.unlink()
        target.write_bytes(encode(rng, mutate(rng, source.read_text(encoding="utf-8"))))
        before = digest(target)
        code, out, _err = run(["validate", str(target)], f"validate {source.name}")
        assert code in (0, 1)
        for line in out.splitlines():
            if code == 1:
                assert PROBLEM_LINE.match(line) and "\x1b" not in line, line
        if code == 0 and "exams" not in str(source):
            res = load_file(target, use_cache=False)
            qids = [q.id for q in getattr(res.document, "questions", [])][:3]
            batch = target.parent / "batch.jsonl"
            batch.write_text("".join(json.dumps({"id": q, "answer": rng.choice(TOKENS)}) + "\n" for q in qids),
                             encoding="utf-8")
            code, out, _ = run(["grade", str(target), "--batch", str(batch)], f"grade {source.name}")
            answers = [json.loads(x) for x in out.splitlines()]
            assert len(answers) == len(qids) and all("verdict" in a or "error" in a for a in answers)
            assert code == (0 if all("verdict" in a for a in answers) else 1)
        assert digest(target) == before, "the input changed"

    cases("banks", step, CASES["banks"])


def test_fuzz_grade_batches(tmp_path: Path) -> None:
    """Mutated batches: one JSON object per line, good lines graded, the batch never dies."""
    bank = REPO / "banks" / "disputes.yaml"
    res = load_file(bank, use_cache=False)
    qids = [q.id for q in getattr(res.document, "questions", [])]
    assert qids

    def step(seed: int) -> None:
        rng = random.Random(seed)
        lines = []
        for _ in range(rng.randint(1, 12)):
            line = json.dumps({"id": rng.choice([*qids, "nope", 7]), "answer": rng.choice(TOKENS)}, ensure_ascii=False)
            if rng.random() < 0.5:
                line = mutate(rng, line, rounds=2).replace("\n", " ").replace("\r", " ").replace("\x85", " ")
                line = line.replace("\u2028", " ").replace("\u2029", " ")
            lines.append(line)
        batch = tmp_path / "batch.jsonl"
        batch.write_bytes(b"\n".join(encode(rng, line) for line in lines) + b"\n")
        before = digest(batch)
        code, out, _ = run(["grade", str(bank), "--batch", str(batch)], "grade --batch")
        given = [x for x in batch.read_bytes().split(b"\n") if x.strip()]
        answers = [json.loads(x) for x in out.splitlines()]
        assert len(answers) == len(given), (len(answers), len(given))
        assert all("verdict" in a or "error" in a for a in answers)
        assert code == (0 if all("verdict" in a for a in answers) else 1)
        assert digest(batch) == before

    cases("batches", step, CASES["batches"])


@pytest.mark.parametrize("kind", ["csv", "gift", "xml", "xlsx"])
def test_fuzz_imports(tmp_path: Path, kind: str) -> None:
    """Mutated import files: rows reported or imported; a written bank validates; the input is untouched."""
    import csv

    template = io.StringIO()
    csv.writer(template).writerows(rows_for_csv(TEMPLATE_ROWS))
    sources = {
        "csv": [template.getvalue(), (IMPORTS / "company.csv").read_text(encoding="utf-8-sig")],
        "gift": [(IMPORTS / "constructs.gift").read_text(encoding="utf-8")],
        "xml": [(IMPORTS / "constructs.xml").read_text(encoding="utf-8")],
    }

    def step(seed: int) -> None:
        rng = random.Random(seed)
        src = tmp_path / f"in.{kind}"
        out = tmp_path / "out.yaml"
        if kind == "xlsx":
            from openpyxl import Workbook

            rows = list(csv.reader(io.StringIO(mutate(rng, template.getvalue(), rounds=4), newline="")))
            wb = Workbook()
            ws = wb.active
            for row in rows:
                ws.append([re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", "", cell) for cell in row])
            wb.save(src)
            if rng.random() < 0.2:  # a damaged workbook: ours, or a trainer's
                raw = src.read_bytes() if rng.random() < 0.5 else (IMPORTS / "company.xlsx").read_bytes()
                src.write_bytes(raw[: rng.randrange(len(raw))])
        else:
            src.write_bytes(encode(rng, mutate(rng, rng.choice(sources[kind]), rounds=4)))
        before = digest(src)
        code, _out, _err = run(["import", str(src), "-o", str(out), "--force"], f"import {kind}")
        if code in (0, 1) and out.exists():
            problems = load_file(out, use_cache=False).problems
            assert not problems, [str(p) for p in problems[:3]]
        assert digest(src) == before, "the input changed"
        code, _out, _err = run(["import", str(src), "-o", str(src), "--force"], f"import {kind} onto itself")
        assert code == 2 and digest(src) == before, "the input was written over"
        if out.exists():
            out.unlink()

    cases(f"import {kind}", step, CASES[kind])
