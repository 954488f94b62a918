"""Accounts for the served app: hashing, logins with a growing delay, and `quiz users`."""

from __future__ import annotations

import base64
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from quiz.accounts import (
    FREE_FAILURES,
    SCRYPT_N,
    add_account,
    authenticate,
    get_account,
    hash_password,
    list_accounts,
    lock_delay,
    read_password,
    remove_account,
    set_password,
    verify_password,
)
from quiz.errors import UserError
from quiz.store import Store

T0 = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
REPO = Path(__file__).resolve().parent.parent


def test_a_hash_is_scrypt_with_its_parameters_and_a_salt_of_its_own() -> None:
    a, b = hash_password("correct horse"), hash_password("correct horse")
    assert a != b  # a fresh salt each time
    kind, n, r, p, salt, digest = a.split("$")
    assert (kind, int(n), int(r), int(p)) == ("scrypt", SCRYPT_N, 8, 1)
    assert len(base64.b64decode(salt)) == 16 and len(base64.b64decode(digest)) == 32
    assert "correct horse" not in a
    assert verify_password("correct horse", a) and verify_password("correct horse", b)
    assert not verify_password("correct hors", a)
    assert not verify_password("correct horse", "plain-text")  # malformed: never a match, never a crash


def test_stronger_parameters_stored_with_a_hash_are_used_to_verify_it() -> None:
    stored = hash_password("密码也可以是中文", n=2**15, r=8, p=2)
    assert stored.startswith("scrypt$32768$8$2$")
    assert verify_password("密码也可以是中文", stored)


def test_accounts_are_added_listed_changed_and_removed_keeping_history(store: Store) -> None:
    acc, restored = add_account(store, "小李", "secret-pass", now=T0)
    assert (acc.name, acc.role, acc.active, restored) == ("小李", "learner", True, False)
    add_account(store, "boss", "trainer-pass", role="trainer", now=T0)
    assert "小李" in store.profiles()  # the account is the learner's profile
    raw = store.execute("SELECT password FROM accounts WHERE name = '小李'").fetchone()[0]
    assert "secret-pass" not in raw
    with pytest.raises(UserError, match="already an account"):
        add_account(store, "小李", "another-pass", now=T0)
    with pytest.raises(UserError, match="too short"):
        add_account(store, "小王", "short", now=T0)
    with pytest.raises(UserError, match="bad account name"):
        add_account(store, "a b", "secret-pass", now=T0)

    set_password(store, "小李", "new-secret-pass", now=T0)
    assert not authenticate(store, "小李", "secret-pass", now=T0).ok
    assert authenticate(store, "小李", "new-secret-pass", now=T0).ok

    store.add_dispute("小李", "b/q", "答案", "wrong", now=T0)
    remove_account(store, "小李", now=T0 + timedelta(days=1))
    assert not authenticate(store, "小李", "new-secret-pass", now=T0 + timedelta(days=1)).ok
    assert get_account(store, "小李") is not None and not get_account(store, "小李").active  # type: ignore[union-attr]
    assert [d.profile for d in store.disputes()] == ["小李"]  # history kept
    assert [a.name for a in list_accounts(store)] == ["boss", "小李"]  # active first
    with pytest.raises(UserError, match="no active account"):
        set_password(store, "小李", "whatever-pass", now=T0)

    again, restored = add_account(store, "小李", "third-secret", now=T0 + timedelta(days=2))
    assert restored and again.active
    assert authenticate(store, "小李", "third-secret", now=T0 + timedelta(days=2)).ok


def test_unknown_name_wrong_password_and_removed_account_get_the_same_answer(store: Store) -> None:
    add_account(store, "li", "secret-pass", now=T0)
    add_account(store, "gone", "secret-pass", now=T0)
    remove_account(store, "gone", now=T0)
    results = [
        authenticate(store, "nobody", "secret-pass", now=T0),
        authenticate(store, "li", "wrong-pass", now=T0),
        authenticate(store, "gone", "secret-pass", now=T0),
    ]
    assert all(r.account is None and r.wait is None and r.failures == 1 for r in results)


def test_five_failures_lock_the_name_with_a_growing_delay_kept_in_the_database(tmp_path: Path) -> None:
    db = tmp_path / "progress.db"
    with Store.open(db) as store:
        add_account(store, "li", "secret-pass", now=T0)
        for i in range(FREE_FAILURES - 1):
            r = authenticate(store, "li", f"wrong-{i}", now=T0)
            assert r.wait is None
        r = authenticate(store, "li", "wrong-again", now=T0)
        assert r.wait == lock_delay(FREE_FAILURES) == timedelta(seconds=30)
    # a new process (a new browser tab) sees the same lock: even the right password is refused meanwhile
    with Store.open(db) as store:
        locked = authenticate(store, "li", "secret-pass", now=T0 + timedelta(seconds=10))
        assert not locked.ok and locked.wait == timedelta(seconds=20)
        r = authenticate(store, "li", "wrong-6", now=T0 + timedelta(seconds=31))
        assert r.wait == timedelta(seconds=60)  # doubled
        assert not authenticate(store, "li", "secret-pass", now=T0 + timedelta(seconds=60)).ok
        ok = authenticate(store, "li", "secret-pass", now=T0 + timedelta(seconds=92))
        assert ok.ok
        assert authenticate(store, "li", "wrong", now=T0 + timedelta(seconds=93)).wait is None  # the count starts again
    assert lock_delay(40) == timedelta(hours=1)  # capped


def test_the_password_is_the_first_line_of_stdin() -> None:
    assert read_password("p@ss word 密码\n") == "p@ss word 密码"
    assert read_password("crlf-pass\r\nignored") == "crlf-pass"
    with pytest.raises(UserError):
        read_password("\n")


def quiz(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "quiz.cli", *args], input=stdin, capture_output=True, text=True, timeout=120,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )


def test_quiz_users_commands_never_echo_the_password(tmp_path: Path) -> None:
    db = str(tmp_path / "team.db")
    out = quiz("--db", db, "users", "add", "小李", "--password-stdin", stdin="hunter2-secret\n")
    assert out.returncode == 0, out.stderr
    assert "小李" in out.stdout and "hunter2" not in out.stdout + out.stderr
    # the database now holds a password hash: only its owner may read it, whatever the umask
    assert Path(db).stat().st_mode & 0o077 == 0
    out = quiz("--db", db, "users", "add", "boss", "--trainer", "--password-stdin", stdin="trainer-secret\n")
    assert out.returncode == 0 and "trainer" in out.stdout
    out = quiz("--db", db, "users", "list")
    lines = out.stdout.splitlines()
    assert any(line.startswith("小李\tlearner\tactive") for line in lines)
    assert any(line.startswith("boss\ttrainer\tactive") for line in lines)
    assert "secret" not in out.stdout and "scrypt" not in out.stdout

    out = quiz("--db", db, "users", "add", "小王")
    assert out.returncode == 2 and out.stderr.count("\n") == 1 and "--password-stdin" in out.stderr
    out = quiz("--db", db, "users", "passwd", "小李", "--password-stdin", stdin="short\n")
    assert out.returncode == 2 and "too short" in out.stderr and "short\n" not in out.stdout
    out = quiz("--db", db, "users", "passwd", "小李", "--password-stdin", stdin="a-new-long-secret\n")
    assert out.returncode == 0 and "a-new-long-secret" not in out.stdout + out.stderr
    out = quiz("--db", db, "users", "remove", "小李")
    assert out.returncode == 0 and "history is kept" in out.stdout
    out = quiz("--db", db, "users", "list")
    assert any(line.startswith("小李\tlearner\tremoved") for line in out.stdout.splitlines())
    out = quiz("--db", db, "users", "remove", "nobody")
    assert out.returncode == 2 and "no active account" in out.stderr and "Traceback" not in out.stderr
    with Store.open(Path(db)) as store:
        assert authenticate(store, "boss", "trainer-secret", now=datetime.now(UTC)).ok


def test_quiz_users_on_a_missing_database_says_so(tmp_path: Path) -> None:
    out = quiz("--db", str(tmp_path / "none.db"), "users", "list")
    assert out.returncode == 2 and "no progress database" in out.stderr
    assert not (tmp_path / "none.db").exists()
