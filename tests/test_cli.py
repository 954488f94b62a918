"""The `quiz` command as a user runs it: exit codes, one-line errors, JSON output."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.test_loader import GOOD


def quiz(*args: str, stdin: str | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "quiz.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)},
    )


def test_validate_good_folder_exits_0(tmp_path: Path) -> None:
    (tmp_path / "b.yaml").write_text(GOOD, encoding="utf-8")
    out = quiz("validate", str(tmp_path))
    assert out.returncode == 0, out.stdout + out.stderr
    assert "1 bank, 6 questions" in out.stdout


def test_validate_bad_file_prints_each_problem_and_exits_1(tmp_path: Path) -> None:
    p = tmp_path / "b.yaml"
    p.write_text(GOOD.replace("answer: C", "anwser: C"), encoding="utf-8")
    out = quiz("validate", str(p))
    assert out.returncode == 1
    lines = out.stdout.splitlines()
    assert any(line.startswith(f"{p}:") and "unknown field `anwser`" in line for line in lines)
    assert "Traceback" not in out.stderr


def test_validate_missing_path_is_one_line(tmp_path: Path) -> None:
    out = quiz("validate", str(tmp_path / "nope.yaml"))
    assert out.returncode != 0
    assert out.stderr.strip().count("\n") == 0 and "no such file" in out.stderr
    assert "Traceback" not in out.stderr


def test_global_options_work_before_or_after_the_subcommand(tmp_path: Path) -> None:
    (tmp_path / "b.yaml").write_text(GOOD, encoding="utf-8")
    for args in (("--banks", str(tmp_path), "validate"), ("validate", "--banks", str(tmp_path))):
        out = quiz(*args)
        assert out.returncode == 0 and "6 questions" in out.stdout, (args, out.stdout, out.stderr)


def test_grade_one_answer_prints_one_json_object(tmp_path: Path) -> None:
    p = tmp_path / "b.yaml"
    p.write_text(GOOD, encoding="utf-8")
    out = quiz("grade", str(p), "--id", "window", "--answer", "十五天")
    assert out.returncode == 0, out.stderr
    obj = json.loads(out.stdout)
    assert obj["id"] == "window" and obj["verdict"] == "correct" and obj["score"] == 1.0
    assert isinstance(obj["feedback"], str)


def test_grade_feedback_follows_lang_for_one_answer_and_a_batch(tmp_path: Path) -> None:
    p = tmp_path / "b.yaml"
    p.write_text(GOOD, encoding="utf-8")
    zh = json.loads(quiz("grade", str(p), "--id", "window", "--answer", "30天").stdout)
    en = json.loads(quiz("--lang", "en", "grade", str(p), "--id", "window", "--answer", "30天").stdout)
    assert zh["verdict"] == en["verdict"] == "wrong"
    assert any("\u4e00" <= c <= "\u9fff" for c in zh["feedback"])
    assert en["feedback"] and not any("\u4e00" <= c <= "\u9fff" for c in en["feedback"]), en["feedback"]
    feed = json.dumps({"id": "window", "answer": "30天"}, ensure_ascii=False)
    [batch] = [json.loads(line) for line in quiz("grade", str(p), "--lang", "en", "--batch", "-", stdin=feed).stdout.splitlines()]
    assert batch["feedback"] == en["feedback"]


def test_grade_batch_keeps_order_and_reports_unknown_ids(tmp_path: Path) -> None:
    p = tmp_path / "b.yaml"
    p.write_text(GOOD, encoding="utf-8")
    feed = "\n".join(
        json.dumps(x, ensure_ascii=False)
        for x in [
            {"id": "pick", "answer": "C"},
            {"id": "nope", "answer": "x"},
            {"id": "formula", "answer": "咨询量/接待量"},
            {"id": "demo/ok", "answer": "对"},
        ]
    )
    out = quiz("grade", str(p), "--batch", "-", stdin=feed + "\nnot json\n")
    assert out.returncode == 1
    objs = [json.loads(line) for line in out.stdout.splitlines()]
    assert [o.get("verdict") for o in objs] == ["correct", None, "wrong", "correct", None]
    assert "error" in objs[1] and objs[1]["id"] == "nope"
    assert "line 5" in objs[4]["error"]


def test_grade_batch_keeps_choice_matchers_between_runs_and_never_grades_on_stale_or_damaged_ones(tmp_path: Path) -> None:
    p = tmp_path / "b.yaml"
    p.write_text(GOOD, encoding="utf-8")
    answers = [("pick", "90天"), ("pick", "选60天那个"), ("many", "甲和丙"), ("many", "乙"), ("pick", "C")]
    feed = "\n".join(json.dumps({"id": i, "answer": a}, ensure_ascii=False) for i, a in answers) + "\n"
    cache = Path(os.environ["QUIZ_CACHE_DIR"])

    def run() -> list[dict[str, object]]:
        out = quiz("grade", str(p), "--batch", "-", stdin=feed)
        assert out.returncode == 0, out.stderr
        return [json.loads(line) for line in out.stdout.splitlines()]

    first = run()
    assert [o["verdict"] for o in first] == ["correct", "wrong", "correct", "wrong", "correct"]
    [kept] = cache.glob("matchers-*.json")
    assert run() == first  # read back: the same results
    # a damaged file is a miss: the same results, and the file is written again
    kept.write_bytes(kept.read_bytes()[:40])
    assert run() == first
    assert json.loads(kept.read_bytes().partition(b"\n")[2])
    # an entry of the wrong shape is built again, not used
    head, _, body = kept.read_bytes().partition(b"\n")
    table = json.loads(body)
    kept.write_bytes(head + b"\n" + json.dumps({k: [[], 1] for k in table}).encode())
    assert run() == first
    # a changed choice is matched by its new words, not by what was kept for the old ones
    p.write_text(GOOD.replace("choices: [30天, 60天, 90天]", "choices: [30天, 60天, 七天无理由]"), encoding="utf-8")
    again = run()
    assert again[0]["verdict"] == "wrong" and "没有哪个选项" in str(again[0]["feedback"])


def test_grade_refuses_a_broken_bank_in_one_line(tmp_path: Path) -> None:
    p = tmp_path / "b.yaml"
    p.write_text(GOOD.replace("answer: C", "answer: Z"), encoding="utf-8")
    out = quiz("grade", str(p), "--id", "pick", "--answer", "C")
    assert out.returncode != 0
    assert "Traceback" not in out.stderr
    assert out.stderr.strip().splitlines()[-1].startswith("quiz: ")


def test_schema_prints_json(tmp_path: Path) -> None:
    out = quiz("schema", "bank")
    assert out.returncode == 0
    assert json.loads(out.stdout)["title"] == "Seller Academy question bank"


def test_the_app_refuses_a_db_that_is_not_sqlite_before_it_starts(tmp_path: Path) -> None:
    db = tmp_path / "orders.csv"
    db.write_text("订单号,金额\n1,100\n", encoding="utf-8")
    before = db.read_bytes()
    for args in ((), ("study",), ("exam",)):
        out = quiz("--db", str(db), *args, cwd=tmp_path)
        assert out.returncode == 2, (args, out.stderr)
        assert out.stdout == ""  # nothing was painted
        assert out.stderr.strip() == f"quiz: {db}: not a SQLite database (refusing to touch it); give another --db"
    assert db.read_bytes() == before


def test_plain_quiz_and_quiz_with_its_own_options_parse_as_the_full_parser_does() -> None:
    """``quiz`` alone skips building the parser, and ``quiz --db X`` builds only quiz's own options:
    both must read exactly as the full parser reads them."""
    import argparse

    from quiz import cli

    full = cli.build_parser()
    assert vars(full.parse_args([])) == vars(argparse.Namespace(command=None, **{o[2:]: None for o in cli.TOP_OPTIONS}))
    for argv in (["--db", "x.db"], ["--lang=en", "--profile", "amy"], ["--banks", "b", "--db=y"]):
        assert cli.opens_the_app(argv)
        assert vars(cli.build_parser(subcommands=False).parse_args(argv)) == vars(full.parse_args(argv))
    for argv in (["stats"], ["--db", "x", "stats"], ["-h"], ["--pro", "amy"], ["--unknown"]):
        assert not cli.opens_the_app(argv)
    # every option quiz itself takes is one opens_the_app knows
    top = {a.option_strings[0] for a in full._actions if a.option_strings and a.dest not in ("help",)}
    assert top == set(cli.TOP_OPTIONS)
