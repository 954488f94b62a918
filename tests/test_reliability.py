"""Reliability against a real SQLite file and real processes: SIGKILL mid-session, two
learners at once, refusing files that are not ours (through the `quiz` command)."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from quiz.store import SCHEMA_VERSION, Store

REPO = Path(__file__).resolve().parent.parent

WORKER = r"""
import os, sys, time
from quiz.scheduler import SpacedScheduler
from quiz.session import StudySession
from quiz.store import Store
from tests.progress_helpers import fake_grade, make_library, right_answer, wrong_answer

db, profile, rounds, mode = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
lib = make_library(n_rules=60, n_cs=4)
store = Store.open(db)
print("ready", flush=True)
if len(sys.argv) > 5:  # wait for the go signal, so that both learners study at the same time
    while not os.path.exists(sys.argv[5]):
        time.sleep(0.005)
for r in range(rounds):
    s = StudySession.start(store, lib, profile, mode, grader=fake_grade, seed=r,
                           scheduler=SpacedScheduler(enable_fuzzing=False))
    k = 0
    while (it := s.current()) is not None:
        text = right_answer(it.question) if k % 3 else wrong_answer(it.question)
        out = s.answer(text, seconds=3)
        print(out.review_id, s.session_id, it.qid, flush=True)
        k += 1
        time.sleep(0.002)  # a learner reads between answers; keeps the two runs overlapping on a busy machine
    s.finish()
store.close()
print("done", flush=True)
"""


def _spawn(
    tmp_path: Path, db: Path, profile: str, rounds: int, mode: str = "random", go: Path | None = None
) -> subprocess.Popen[str]:
    script = tmp_path / "worker.py"
    script.write_text(WORKER, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.Popen(
        [sys.executable, str(script), str(db), profile, str(rounds), mode, *([str(go)] if go else [])],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _integrity_ok(db: Path) -> bool:
    conn = sqlite3.connect(db)
    try:
        return bool(conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok")
    finally:
        conn.close()


@pytest.mark.parametrize("after", [5, 57])
def test_sigkill_mid_session_loses_no_graded_answer(tmp_path: Path, after: int) -> None:
    db = tmp_path / "progress.db"
    proc = _spawn(tmp_path, db, "amy", rounds=1000)
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "ready"
    graded: list[tuple[int, int, str]] = []
    for line in proc.stdout:
        rid, sid, qid = line.split()
        graded.append((int(rid), int(sid), qid))
        if len(graded) >= after:
            break
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL

    assert _integrity_ok(db)
    with Store.open(db) as store:
        stored = {(r.id, r.session_id, r.qid) for r in store.reviews("amy")}
        assert set(graded) <= stored  # every answer reported as graded is on disk
        assert len(stored) >= len(graded)
        # every stored review has its card, and the session knows how far it got
        assert set(store.cards("amy")) == {q for _, _, q in stored}
        sid = graded[-1][1]
        n_in_session = store.execute("SELECT count(*) FROM reviews WHERE session_id = ?", (sid,)).fetchone()[0]
        pos = store.execute("SELECT position FROM sessions WHERE id = ?", (sid,)).fetchone()[0]
        assert pos == n_in_session
        from quiz.session import StudySession

        info = StudySession.latest_unfinished(store, "amy")
        assert info is not None and info.session_id == sid and info.position == n_in_session


@pytest.mark.parametrize("profiles", [("amy", "bo"), ("amy", "amy")])
def test_two_processes_studying_one_new_database_both_succeed(tmp_path: Path, profiles: tuple[str, str]) -> None:
    db = tmp_path / "shared.db"  # does not exist yet: both processes create and migrate it at once
    go = tmp_path / "go"
    procs = [_spawn(tmp_path, db, p, rounds=3, mode="random", go=go) for p in profiles]
    for p in procs:
        assert p.stdout is not None and p.stdout.readline().strip() == "ready"
    go.touch()
    outs = [p.communicate(timeout=120) for p in procs]
    for p, (out, err) in zip(procs, outs, strict=True):
        assert p.returncode == 0, err
        assert "locked" not in err
        assert out.strip().endswith("done")
    answered = sum(len([ln for ln in out.splitlines() if ln[:1].isdigit()]) for out, _ in outs)
    assert answered == 2 * 3 * 64
    # the two learners really studied at the same time: their answers interleave in the log
    ids = [[int(ln.split()[0]) for ln in out.splitlines() if ln[:1].isdigit()] for out, _ in outs]
    assert max(min(ids[0]), min(ids[1])) < min(max(ids[0]), max(ids[1]))
    assert _integrity_ok(db)
    with Store.open(db) as store:
        assert store.schema_version() == SCHEMA_VERSION
        total = store.execute("SELECT count(*) FROM reviews").fetchone()[0]
        assert total == answered


def _quiz(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run(
        [sys.executable, "-m", "quiz.cli", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120
    )


def test_quiz_refuses_a_db_that_is_not_sqlite_in_one_line(tmp_path: Path) -> None:
    db = tmp_path / "orders.xlsx"
    content = b"PK\x03\x04" + bytes(range(256)) * 4
    db.write_bytes(content)
    res = _quiz("--db", str(db), "stats", "--json", cwd=tmp_path)
    assert res.returncode != 0 and res.stdout == ""
    assert len(res.stderr.strip().splitlines()) == 1 and "Traceback" not in res.stderr
    assert str(db) in res.stderr and "not a SQLite database" in res.stderr
    assert db.read_bytes() == content


def test_quiz_refuses_a_newer_database_and_leaves_it_alone(tmp_path: Path) -> None:
    db = tmp_path / "future.db"
    with Store.open(db) as s:
        s.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
        s.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    before = db.read_bytes()
    res = _quiz("--db", str(db), "stats", cwd=tmp_path)
    assert res.returncode != 0
    assert len(res.stderr.strip().splitlines()) == 1 and "newer version" in res.stderr
    assert db.read_bytes() == before
