"""Issue 15: no file clobbered, no terminal injection, every bad input one line, no quadratic hang.

The UI side (every screen with hostile text) is in test_tui_hostile.py; the fuzz run in test_fuzz.py.
"""

from __future__ import annotations

import csv
import io
import json
import os
import pickle
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from quiz import cache, fileio
from quiz.cli import main
from quiz.context import Context
from quiz.errors import UserError
from quiz.exam import draw
from quiz.loader import _exam_problems, find_files, load_file, load_paths
from quiz.model import Bank, Exam
from quiz.store import SCHEMA_VERSION, Store, StoreError
from quiz.text import find_unsafe, printable, safe_json, strip_unsafe

BANK = textwrap.dedent(
    """\
    bank: demo
    title: 演示题库
    questions:
      - id: window
        type: numeric
        prompt: 投诉期限是交易成功后多少天?
        answer: 15
        unit: 天
        topic: 评价规则
      - id: fake
        type: judge
        prompt: 虚假发货会被扣分。
        answer: true
        topic: 处罚
      - id: code
        type: short
        prompt: 退货时需要填写什么?
        answers: [退货单号]
        topic: 售后
    """
)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def problems_of(tmp_path: Path, text: str, name: str = "b.yaml") -> list[str]:
    res = load_file(write(tmp_path / name, text), use_cache=False)
    return [str(p) for p in res.problems]


def run_cli(*args: str, stdin: bytes | None = None, timeout: float = 60) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "quiz.cli", *args], input=stdin, capture_output=True,
                          timeout=timeout, env={**os.environ, "PYTHONIOENCODING": "utf-8"})


# --------------------------------------------------------------------------- files are never destroyed


def test_import_onto_its_own_input_is_refused_and_the_input_is_byte_identical(tmp_path: Path) -> None:
    src = write(tmp_path / "in.csv", "题型,题目,答案\n判断,虚假发货会被扣分,对\n")
    before = src.read_bytes()
    assert main(["import", str(src), "-o", str(src)]) == 2
    assert main(["import", str(src), "-o", str(src), "--force"]) == 2  # not even with --force
    link = tmp_path / "alias.csv"
    link.symlink_to(src)
    assert main(["import", str(link), "-o", str(src), "--force"]) == 2  # the same file by another name
    assert src.read_bytes() == before


def test_import_over_an_existing_bank_needs_force_and_replaces_it_whole(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = write(tmp_path / "in.csv", "题型,题目,答案\n判断,虚假发货会被扣分,对\n")
    bank = write(tmp_path / "banks" / "demo.yaml", BANK)
    before = bank.read_bytes()
    assert main(["import", str(src), "-o", str(bank)]) == 2
    assert "already exists; add --force" in capsys.readouterr().err
    assert bank.read_bytes() == before
    assert main(["import", str(src), "-o", str(bank), "--force"]) == 0
    assert load_file(bank, use_cache=False).problems == [] and bank.read_bytes() != before
    assert [p.name for p in bank.parent.iterdir()] == ["demo.yaml"]  # no temporary file left behind


def test_export_onto_the_progress_database_is_refused_and_it_is_byte_identical(tmp_path: Path) -> None:
    db = tmp_path / "progress"
    Store.open(db).close()
    before = db.read_bytes()
    assert main(["--db", str(db), "export", str(db)]) == 2
    assert main(["--db", str(db), "export", str(db), "--force"]) == 2
    other = tmp_path / "other.csv"  # named .csv, but a SQLite database (another learner's progress)
    Store.open(other).close()
    other_before = other.read_bytes()
    assert main(["--db", str(db), "export", str(other), "--force"]) == 2
    assert db.read_bytes() == before and other.read_bytes() == other_before


def test_export_schema_and_template_write_new_files_and_refuse_existing_ones(tmp_path: Path) -> None:
    db = tmp_path / "progress.db"
    Store.open(db).close()
    out = tmp_path / "results.csv"
    assert main(["--db", str(db), "export", str(out)]) == 0
    assert out.read_bytes().startswith("\ufeff".encode())  # Excel's BOM: written whole
    assert main(["--db", str(db), "export", str(out)]) == 2
    assert main(["--db", str(db), "export", str(out), "--force"]) == 0
    schema = tmp_path / "bank.schema.json"
    assert main(["--db", str(db), "schema", "bank", "-o", str(schema)]) == 0
    json.loads(schema.read_text(encoding="utf-8"))
    assert main(["--db", str(db), "schema", "bank", "-o", str(schema)]) == 2
    assert main(["--db", str(db), "schema", "bank", "-o", str(db), "--force"]) == 2
    template = tmp_path / "template.xlsx"
    assert main(["--db", str(db), "import", "--template", str(template)]) == 0
    size = template.stat().st_size
    assert main(["--db", str(db), "import", "--template", str(template)]) == 2
    assert template.stat().st_size == size


def test_a_failed_write_leaves_the_old_file_and_no_temporary_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = write(tmp_path / "out.yaml", "old content\n")

    def disk_full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(fileio.os, "fsync", disk_full)
    with pytest.raises(UserError, match="No space left on device; the file was left as it was"):
        fileio.write_atomic(target, "new content\n", force=True)
    assert target.read_text(encoding="utf-8") == "old content\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.yaml"]
    monkeypatch.undo()
    with pytest.raises(RuntimeError), fileio.atomic_output(target, force=True) as f:  # killed half way
        f.write(b"half of the new")
        raise RuntimeError("killed")
    assert target.read_text(encoding="utf-8") == "old content\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.yaml"]


def test_outputs_are_refused_onto_folders_and_special_files(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="is a folder"):
        fileio.check_output(tmp_path, force=True)
    with pytest.raises(UserError, match="not a regular file"):
        fileio.check_output(Path("/dev/null"), force=True)


def test_a_replaced_file_keeps_its_permissions_and_a_symlink_its_link(tmp_path: Path) -> None:
    real = write(tmp_path / "real.yaml", "old\n")
    real.chmod(0o640)
    link = tmp_path / "link.yaml"
    link.symlink_to(real)
    fileio.write_atomic(link, "new\n", force=True)
    assert link.is_symlink() and real.read_text(encoding="utf-8") == "new\n"
    assert real.stat().st_mode & 0o777 == 0o640


# --------------------------------------------------------------------------- a refused database is untouched


def _foreign_db(path: Path, user_version: int, tables: bool = True) -> bytes:
    conn = sqlite3.connect(path)
    if tables:
        conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)")
        conn.execute("INSERT INTO invoices (total) VALUES (9.5)")
    conn.execute(f"PRAGMA user_version = {user_version}")
    conn.commit()
    conn.close()
    return path.read_bytes()


@pytest.mark.parametrize("version", [0, 1, 3, SCHEMA_VERSION, SCHEMA_VERSION + 1])
def test_a_refused_database_is_opened_read_only_and_left_byte_identical(tmp_path: Path, version: int) -> None:
    db = tmp_path / "other.db"
    before = _foreign_db(db, version)
    with pytest.raises(UserError, match=r"not a quiz progress database|newer version"):
        Store.open(db)
    assert db.read_bytes() == before
    assert not (tmp_path / "other.db-wal").exists()
    assert main(["--db", str(db), "stats"]) == 2
    assert db.read_bytes() == before


# --------------------------------------------------------------------------- locked, read-only, full


def test_database_write_failures_are_store_errors_that_keep_nothing_and_can_be_retried(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("quiz.store.BUSY_TIMEOUT_MS", 100)
    db = tmp_path / "progress.db"
    store = Store.open(db)
    other = sqlite3.connect(db, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    with pytest.raises(StoreError, match="locked by another program"):
        store.ensure_profile("amy")
    other.execute("ROLLBACK")
    store.ensure_profile("amy")  # the same call, retried, succeeds
    assert "amy" in store.profiles()

    store.conn.execute("PRAGMA query_only = ON")
    with pytest.raises(StoreError, match="read-only"):
        store.ensure_profile("bob")
    store.conn.execute("PRAGMA query_only = OFF")

    pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
    store.conn.execute(f"PRAGMA max_page_count = {pages}")
    with pytest.raises(StoreError, match="disk is full"):
        with store.transaction() as c:
            c.execute("CREATE TABLE filler (x BLOB)")
            c.execute("INSERT INTO filler VALUES (zeroblob(1000000))")
    assert "bob" not in store.profiles()
    assert store.conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'filler'").fetchone()[0] == 0
    store.close()
    other.close()


def test_a_database_locked_past_the_timeout_is_one_line_on_the_command_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("quiz.store.BUSY_TIMEOUT_MS", 100)
    db = tmp_path / "progress.db"
    conn = sqlite3.connect(db, isolation_level=None)
    conn.executescript("PRAGMA user_version = 0;")
    conn.execute("BEGIN EXCLUSIVE")  # a new database another program holds: creating it must wait
    assert main(["--db", str(db), "stats"]) != 0
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "locked by another program" in err and "Traceback" not in err
    conn.execute("ROLLBACK")
    conn.close()


# --------------------------------------------------------------------------- bank text is data


def test_unsafe_characters_are_refused_with_their_line_and_column(tmp_path: Path) -> None:
    text = BANK.replace("虚假发货会被扣分。", "虚假发货\x1b]52;c;aGk=\x07会被扣分。").replace(
        "退货时需要填写什么?", '"退货时\\e[2J需要\\u202e填写什么?"'
    )
    found = problems_of(tmp_path, text)
    assert any(":12:17: U+001B ESC" in p for p in found), found
    assert any(":12:28: U+0007 BEL" in p for p in found), found
    assert any(":17:13:" in p and "U+001B ESC" in p and "written as an escape" in p for p in found), found
    assert all("\x1b" not in p and "\x07" not in p for p in found)


@pytest.mark.parametrize("sep", ["\u2028", "\u2029", "\x85", "\r"])
def test_unicode_line_separators_do_not_shift_later_line_numbers(tmp_path: Path, sep: str) -> None:
    text = BANK.replace("演示题库", f"演示{sep}题库").replace("answer: true", "answer: maybe")
    found = problems_of(tmp_path, text)
    assert any(p.split(":")[1:3] == ["2", "10"] and f"U+{ord(sep):04X}" in p for p in found), found
    assert any(p.split(":")[1] == "13" and "`answer` must be true or false" in p for p in found), found


def test_a_newline_in_an_id_never_splits_a_message(tmp_path: Path) -> None:
    text = BANK.replace("id: fake", 'id: "fake\\nrm -rf"')
    res = run_cli("validate", str(write(tmp_path / "b.yaml", text)))
    assert res.returncode == 1
    lines = res.stdout.decode().splitlines()
    assert lines and all(line.startswith(str(tmp_path)) for line in lines), lines
    assert any("fake\\nrm -rf" in line for line in lines)


def test_printable_and_strip_unsafe() -> None:
    hostile = "a\x1b]52;c;aGk=\x07b\u202ec\u2028d\ud800\te\nf"
    assert printable(hostile) == "a\\x1b]52;c;aGk=\\x07b\\u202ec\\u2028d\\ud800\te\nf"
    assert printable(hostile, one_line=True).count("\n") == 0
    assert not list(find_unsafe(strip_unsafe(hostile)))
    assert strip_unsafe("a\u2028b\r\nc") == "a\nb\nc"


def test_the_cache_is_plain_data_and_a_planted_pickle_is_a_miss_not_code(tmp_path: Path) -> None:
    bank = write(tmp_path / "b.yaml", BANK)
    first = load_file(bank)
    assert first.document is not None and not first.from_cache
    [entry] = list(cache.cache_dir().glob("*.json"))
    assert entry.read_bytes().startswith(b'{"format": 2')
    assert load_file(bank).from_cache
    marker = tmp_path / "pwned"

    class Payload:
        def __reduce__(self) -> tuple[object, tuple[str]]:
            return (os.system, (f"touch {marker}",))

    entry.write_bytes(pickle.dumps(Payload()))
    res = load_file(bank)
    assert not res.from_cache and res.document is not None and not marker.exists()
    entry.write_bytes(b'{"format": 2, "key": "x", "kind": "bank"}\n{"bank": 1}')
    assert not load_file(bank).from_cache


# --------------------------------------------------------------------------- every bad input is one line

TAGS = ["!!null", "!!bool", "!!int", "!!float", "!!str", "!!binary", "!!timestamp", "!!seq", "!!map", "!!set",
        "!!omap", "!!pairs", "!!merge", "!!value", "!!python/object:os.system", "!custom"]
ODD = ["maybe", '""', "abc", "0x", "-", "1e999", ".nan", "-.inf", "~", "2024-13-45", "1" * 5000,
       '"\\ud800"', "[1, 2]", "{a: 1}", "0b102", "1_000", "=", "😀"]
FIELDS = ["answer", "difficulty", "explanation", "topic", "as_of"]


def test_the_yaml_tag_grid_gives_one_line_problems_never_a_traceback(tmp_path: Path) -> None:
    leaks = ("Traceback", "set_int_max_str_digits", "NoneType", "KeyError", "IndexError", "AttributeError",
             "`None`", "object has no attribute")
    checked = 0
    judge = "    answer: true\n    topic: 处罚\n"
    assert judge in BANK
    for field in FIELDS:
        for tag in TAGS:
            for value in ODD:
                fields = {"answer": "true", "topic": "处罚", field: f"{tag} {value}"}
                body = BANK.replace(judge, "".join(f"    {k}: {v}\n" for k, v in fields.items()))
                res = load_file(write(tmp_path / "grid.yaml", body), use_cache=False)
                for p in res.problems:
                    text = str(p)
                    assert "\n" not in text and not any(leak in text for leak in leaks), (field, tag, value, text)
                checked += 1
    assert checked == len(FIELDS) * len(TAGS) * len(ODD)
    found = problems_of(tmp_path, BANK.replace("answer: true", "answer: !!bool maybe"))
    assert len(found) == 1 and found[0].endswith(":13:13: bank demo, question fake: `maybe` is not true or false")


@pytest.mark.parametrize(
    ("old", "new", "expect"),
    [
        ("answer: 15", "answer: .nan", "`answer` must be a finite number"),
        ("answer: 15", "answer: -.inf", "`answer` must be a finite number"),
        ("unit: 天", "unit: 天\n    tolerance: .inf", "`tolerance` must be a finite number"),
        ("answer: 15", "answer: " + "9" * 5000, "a number with 5,000 digits: far too large"),
        ("answer: 15", "answer: yes", "answer must be a number, not true/false"),
        ("answer: true", "answer: true\n    difficulty: 1" + "0" * 400, "`difficulty`"),
        ("answers: [退货单号]", "answers: ['。。']", "accepted answer '。。' is only punctuation or spaces"),
        ("answers: [退货单号]", "answers: [退货单号]\n    reject: ['…']", "rejected answer '…' is only punctuation"),
        ("prompt: 虚假发货会被扣分。", 'prompt: "\\u200b\\u3000"', "`prompt`: is blank"),
        ("prompt: 虚假发货会被扣分。", "prompt: '   '", "`prompt`: is blank"),
    ],
)
def test_numbers_and_blank_text_are_refused(tmp_path: Path, old: str, new: str, expect: str) -> None:
    assert old in BANK
    found = problems_of(tmp_path, BANK.replace(old, new))
    assert any(expect in p for p in found), found


def test_keypoint_weights_must_be_finite(tmp_path: Path) -> None:
    text = BANK + textwrap.indent(textwrap.dedent(
        """\
        - id: reply
          type: scenario
          prompt: 买家说收到的商品有破损,怎么回复?
          keypoints:
            - point: 道歉
              any: [抱歉, 对不起]
              weight: .nan
            - point: 补发
              any: ['!!!']
        """), "  ")
    found = problems_of(tmp_path, text)
    assert any("weight` must be a finite number" in p for p in found), found


EXAM = textwrap.dedent(
    """\
    exam: mock
    title: 模拟考试
    time_limit_minutes: 30
    pass_score: 2
    sections:
      - title: 判断题
        types: [judge]
        count: 1
        points: 1
      - title: 数值题
        types: [numeric]
        count: 1
        points: 1
    """
)


@pytest.mark.parametrize(
    ("old", "new", "expect"),
    [
        ("time_limit_minutes: 30", "time_limit_minutes: .inf", "`time_limit_minutes` must be a finite number"),
        ("time_limit_minutes: 30", "time_limit_minutes: 1.0e+12", "less than or equal to 1440"),
        ("time_limit_minutes: 30", "time_limit_minutes: 1e12", "with a decimal point and a sign: 1.0e+12"),
        ("points: 1\n", "points: .inf\n", "`points` must be a finite number"),
        ("count: 1\n", "count: yes\n", "`count` must be a whole number"),
        ("pass_score: 2", "pass_score: 3", "pass_score 3 is above the paper's total of 2 points"),
        ("pass_score: 2", "pass_score: .nan", "`pass_score` must be a finite number"),
    ],
)
def test_exam_limits_are_finite_and_sane(tmp_path: Path, old: str, new: str, expect: str) -> None:
    write(tmp_path / "demo.yaml", BANK)
    write(tmp_path / "exams" / "mock.yaml", EXAM.replace(old, new, 1))
    lib, problems = load_paths([tmp_path], use_cache=False)
    assert any(expect in str(p) for p in problems), problems
    assert "mock" not in lib.exams
    assert all("\n" not in str(p) for p in problems)


def test_an_exam_the_loader_accepts_draws_for_every_seed(tmp_path: Path) -> None:
    """The issue's case: every question could be placed (4 for 4 places), but the first section,
    drawing first, could take the single-choice questions the second one needs. Papers are now
    filled by a matching (quiz.library.fill_sections), so the exam draws for every seed; and one
    that no assignment fills is refused by validate."""
    bank = {"bank": "b", "title": "t", "questions": [
        *({"id": f"s{i}", "type": "single", "prompt": "p", "choices": ["a", "b"], "answer": "A"} for i in range(2)),
        *({"id": f"j{i}", "type": "judge", "prompt": "p", "answer": True} for i in range(2)),
    ]}
    sections = [
        {"title": "A", "types": ["single", "judge"], "count": 2, "points": 1},
        {"title": "B", "types": ["single"], "count": 2, "points": 1},
    ]
    exam = Exam.model_validate({"exam": "e", "title": "t", "time_limit_minutes": 10, "pass_score": 1,
                                "sections": sections})
    from quiz.library import Library

    lib = Library()
    lib.add_bank(Bank.model_validate(bank))
    assert _exam_problems(lib, exam, str(tmp_path / "e.yaml")) == []
    for seed in range(200):
        paper = draw(lib, exam, seed)
        assert sorted(d.qid for d in paper if d.section == 1) == ["b/s0", "b/s1"]
    too_many = exam.model_copy(update={"sections": [*exam.sections[:1], exam.sections[1].model_copy(update={"count": 3})]})
    [problem] = _exam_problems(lib, too_many, str(tmp_path / "e.yaml"))
    assert "asks for 3 questions but its filters find only 2" in problem.message


def test_yaml_files_in_any_case_are_found_and_unreadable_folders_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path / "banks" / "A.YAML", BANK)
    write(tmp_path / "banks" / "sub" / "b.Yml", BANK.replace("bank: demo", "bank: demo2"))
    secret = tmp_path / "banks" / "locked"
    write(secret / "c.yaml", BANK.replace("bank: demo", "bank: demo3"))
    os.mkfifo(tmp_path / "banks" / "pipe.yaml")
    real_scandir = os.scandir

    def scandir(path: object = ".") -> object:
        if str(path) == str(secret):
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "scandir", scandir)
    files, problems = find_files([tmp_path / "banks"])
    assert [f.name for f in files] == ["A.YAML", "b.Yml"]
    messages = [str(p) for p in problems]
    assert any(str(secret) in m and "cannot read this folder" in m for m in messages), messages
    assert any("pipe.yaml" in m and "not a regular file" in m for m in messages), messages


@pytest.mark.parametrize("target", ["/dev/zero", "fifo", "folder"])
def test_special_files_are_refused_without_hanging(tmp_path: Path, target: str) -> None:
    if target == "fifo":
        os.mkfifo(tmp_path / "fifo")
        path = str(tmp_path / "fifo")
    elif target == "folder":
        path = str(tmp_path)
        write(tmp_path / "x.txt", "")
        path = str(tmp_path / "x.txt") + "/"
    else:
        path = target
    for args in (["validate", path], ["grade", path, "--id", "q", "--answer", "a"]):
        res = run_cli(*args, timeout=20)
        assert res.returncode in (1, 2), res
        assert b"Traceback" not in res.stderr


def test_a_bank_over_the_size_cap_is_refused_before_it_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fileio, "MAX_INPUT_BYTES", 1000)
    found = problems_of(tmp_path, BANK + "# " + "x" * 2000 + "\n")
    assert len(found) == 1 and "may be at most" in found[0]


def test_problem_counts_are_exact_when_the_list_is_capped(tmp_path: Path) -> None:
    dupes = "".join(f"      - id: q{i}\n        type: judge\n        prompt: p\n        answer: true\n        answer: no\n"
                    for i in range(2500))
    res = run_cli("validate", str(write(tmp_path / "b.yaml", "bank: b\ntitle: t\nquestions:\n" + dupes)))
    assert res.returncode == 1
    assert len(res.stdout.decode().splitlines()) == 200
    assert res.stderr.decode().strip() == "2,500 problems in 1 file (the first 200 of each file are listed)"


def test_a_missing_bank_folder_is_named(tmp_path: Path) -> None:
    res = run_cli("--banks", str(tmp_path / "nonexistent"), "stats")
    assert res.returncode != 0
    assert res.stderr.decode().strip() == f"quiz: {tmp_path / 'nonexistent'}: the bank folder does not exist (see --banks or QUIZ_BANKS)"


# --------------------------------------------------------------------------- grade --batch


def test_a_batch_answers_every_good_line_and_gives_every_bad_line_an_error(tmp_path: Path) -> None:
    bank = write(tmp_path / "b.yaml", BANK)
    good = '{"id": "fake", "answer": "对"}'
    lines = [
        good,
        '{"id": "fake", "answer": "\\ud800"}',  # a lone surrogate
        '{"id": "\\udfff", "answer": "x"}',
        "[" * 1000 + "]" * 1000,  # 1,000-deep nesting
        '{"id": "fake", "answer": ' + "[" * 900 + "]" * 900 + "}",
        '"just a string"',
        "[1, 2]",
        "null",
        "{not json",
        '{"id": "nope", "answer": "x"}',
        '{"id": "window", "answer": "15天"}',
    ]
    raw = ("\n".join(lines) + "\n").encode() + b'\xff\xfe not utf-8\n' + (good + "\n").encode()
    res = run_cli("grade", str(bank), "--batch", "-", stdin=raw)
    assert res.returncode == 1 and res.stderr == b""
    out = [json.loads(x) for x in res.stdout.decode().splitlines()]
    assert len(out) == len(lines) + 2
    verdicts = [o.get("verdict") for o in out]
    assert verdicts[0] == "correct" and verdicts[10] == "correct" and verdicts[12] == "correct"
    assert all("error" in o for i, o in enumerate(out) if i not in (0, 4, 10, 12))
    assert "lone surrogate" in out[1]["error"] and "line 12" in out[11]["error"]


def test_an_overlong_batch_line_is_skipped_in_bounded_memory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr("quiz.commands.MAX_BATCH_LINE", 64)
    bank = write(tmp_path / "b.yaml", BANK)
    batch = write(tmp_path / "batch.jsonl",
                  '{"id": "fake", "answer": "' + "对" * 200 + '"}\n{"id": "fake", "answer": "对"}\n')
    assert main(["grade", str(bank), "--batch", str(batch)]) == 1
    out = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert "longer than" in out[0]["error"] and out[1]["verdict"] == "correct"


def test_a_batch_from_a_fifo_or_device_is_refused(tmp_path: Path) -> None:
    bank = write(tmp_path / "b.yaml", BANK)
    os.mkfifo(tmp_path / "fifo")
    for source in (str(tmp_path / "fifo"), "/dev/zero"):
        res = run_cli("grade", str(bank), "--batch", source, timeout=20)
        assert res.returncode == 2 and b"use --batch -" in res.stderr


# --------------------------------------------------------------------------- JSON output


def test_safe_json_is_valid_json_and_terminal_safe() -> None:
    text = safe_json({"a": float("nan"), "b": [float("inf")], "c": "x\x9b2J\u202e"})
    assert json.loads(text, parse_constant=lambda c: pytest.fail(c)) == {"a": None, "b": [None], "c": "x\x9b2J\u202e"}
    assert not list(find_unsafe(text))


def test_stats_json_never_prints_nan(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    from quiz import stats

    real = stats.overview

    def broken(*a: object, **k: object) -> stats.Overview:
        from dataclasses import replace

        return replace(real(*a, **k), true_retention=float("nan"))  # type: ignore[arg-type]

    monkeypatch.setattr(stats, "overview", broken)
    ctx = Context(banks_dir=write(tmp_path / "banks" / "b.yaml", BANK).parent, db_path=tmp_path / "p.db")
    import argparse

    assert stats.cli_stats(argparse.Namespace(json=True), ctx) == 0
    data = json.loads(capsys.readouterr().out, parse_constant=lambda c: pytest.fail(c))
    assert data["true_retention"] is None


def test_validate_output_is_printable(tmp_path: Path) -> None:
    text = BANK.replace("bank: demo", 'bank: "demo\\e]52;c;aGk=\\a"')
    res = run_cli("validate", str(write(tmp_path / "b.yaml", text)))
    assert res.returncode == 1 and b"\x1b" not in res.stdout + res.stderr and b"\x07" not in res.stdout
    assert b"demo\\x1b]52" in res.stdout


def test_the_export_csv_is_one_row_per_record(tmp_path: Path) -> None:
    db = tmp_path / "p.db"
    Store.open(db).close()
    out = tmp_path / "r.csv"
    assert main(["--db", str(db), "export", str(out)]) == 0
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert len(rows) == 1 and rows[0][0].startswith("记录")
