"""Accounts for the served app (``quiz serve``): names, roles, passwords, logins.

An account's name *is* the learner's profile: a learner's progress is the rows
whose ``profile`` is their name, so adding an account for an existing profile
gives that learner their history, and removing an account disables it and keeps
the history.

Passwords are hashed with :func:`hashlib.scrypt` (memory-hard, in the standard
library) with a random 16-byte salt per account; the parameters are stored with
the hash (``scrypt$n$r$p$salt$hash``, salt and hash in base64), so they can be
raised later without invalidating stored hashes. A password is never stored,
logged or printed; comparisons are constant-time (:func:`hmac.compare_digest`).

Logins (:func:`authenticate`): a wrong name, a wrong password and a removed
account get the same answer and take the same time (an unknown name is checked
against a dummy hash). Failures are counted per name in the database, so a new
browser tab or a new app process does not reset them: from the
:data:`FREE_FAILURES`-th failure in a row on, the name is locked for a delay that
doubles with every further failure (:func:`lock_delay`), and attempts during the
lock are refused without looking at the password. A successful login clears the
count.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import hmac
import re
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Literal

from quiz.context import Context
from quiz.errors import UserError
from quiz.store import Store, iso, parse_ts

Role = Literal["learner", "trainer"]
ROLES: tuple[Role, ...] = ("learner", "trainer")

SCRYPT_N = 2**14
SCRYPT_R = 8
SCRYPT_P = 1
SALT_BYTES = 16
HASH_BYTES = 32
MIN_PASSWORD = 8
MAX_PASSWORD = 1024

FREE_FAILURES = 5
"""Failed logins in a row that are answered at once; from this many on the name is locked for a while."""
BASE_DELAY = timedelta(seconds=30)
MAX_DELAY = timedelta(hours=1)

NAME_RE = re.compile(r"^[\w\-]{1,40}$")
"""Letters (Chinese included), digits, ``_`` and ``-``: the same names as profiles."""


@dataclass(frozen=True)
class Account:
    name: str
    role: Role
    created: datetime
    disabled: datetime | None = None

    @property
    def is_trainer(self) -> bool:
        return self.role == "trainer"

    @property
    def active(self) -> bool:
        return self.disabled is None


@dataclass(frozen=True)
class LoginResult:
    """What :func:`authenticate` decided: ``account`` on success; otherwise ``wait`` is
    set while the name is locked (try again after it), else the credentials were wrong."""

    account: Account | None
    wait: timedelta | None = None
    failures: int = 0

    @property
    def ok(self) -> bool:
        return self.account is not None


# --------------------------------------------------------------------------- names and passwords


def clean_name(name: str) -> str:
    """The account name as stored (NFC, no surrounding space); UserError for a bad one."""
    n = unicodedata.normalize("NFC", name).strip()
    if not NAME_RE.match(n):
        raise UserError(f"bad account name {name!r}: use 1-40 letters, digits, Chinese characters, - or _")
    return n


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise UserError(f"the password is too short: at least {MIN_PASSWORD} characters")
    if len(password) > MAX_PASSWORD:
        raise UserError(f"the password is too long: at most {MAX_PASSWORD} characters")


def _b64(b: bytes) -> str:
    return base64.b64encode(b).decode("ascii")


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int, dklen: int) -> bytes:
    return hashlib.scrypt(
        password.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=dklen, maxmem=256 * r * (n + p + 2) + 2**20
    )


def hash_password(password: str, *, n: int = SCRYPT_N, r: int = SCRYPT_R, p: int = SCRYPT_P) -> str:
    """``scrypt$n$r$p$salt$hash`` for ``password`` with a fresh random salt."""
    salt = secrets.token_bytes(SALT_BYTES)
    digest = _scrypt(password, salt, n, r, p, HASH_BYTES)
    return f"scrypt${n}${r}${p}${_b64(salt)}${_b64(digest)}"


def verify_password(password: str, stored: str) -> bool:
    """Whether ``password`` matches ``stored`` (constant-time compare; False for a malformed hash)."""
    try:
        kind, n, r, p, salt, digest = stored.split("$")
        if kind != "scrypt":
            return False
        expected = base64.b64decode(digest, validate=True)
        actual = _scrypt(password, base64.b64decode(salt, validate=True), int(n), int(r), int(p), len(expected))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)


_DUMMY_HASH: list[str] = []


def _dummy_hash() -> str:
    """A hash no password matches, checked for unknown names so they take as long as known ones."""
    if not _DUMMY_HASH:
        _DUMMY_HASH.append(hash_password(secrets.token_urlsafe(24)))
    return _DUMMY_HASH[0]


# --------------------------------------------------------------------------- the accounts table


def _account(row: tuple[str, str, str, str | None]) -> Account:
    role: Role = "trainer" if row[1] == "trainer" else "learner"
    return Account(row[0], role, parse_ts(row[2]), parse_ts(row[3]) if row[3] else None)


def get_account(store: Store, name: str) -> Account | None:
    r = store.execute("SELECT name, role, created, disabled FROM accounts WHERE name = ?", (name,)).fetchone()
    return _account(r) if r else None


def list_accounts(store: Store) -> list[Account]:
    rows = store.execute("SELECT name, role, created, disabled FROM accounts ORDER BY disabled IS NOT NULL, name")
    return [_account(r) for r in rows]


def add_account(store: Store, name: str, password: str, *, role: Role = "learner", now: datetime) -> tuple[Account, bool]:
    """Create an account (or restore a removed one, with the new password and role).

    Returns the account and whether it was restored. UserError for a bad name or
    password, an unknown role, or a name that has an active account.
    """
    name = clean_name(name)
    if role not in ROLES:
        raise UserError(f"unknown role {role!r} (learner or trainer)")
    check_password(password)
    hashed = hash_password(password)
    ts = iso(now)
    store.ensure_profile(name, now)
    with store.transaction() as c:
        old = c.execute("SELECT disabled FROM accounts WHERE name = ?", (name,)).fetchone()
        if old is not None and old[0] is None:
            raise UserError(f"there is already an account {name!r} (quiz users passwd {name} to change its password)")
        if old is None:
            c.execute(
                "INSERT INTO accounts (name, role, password, created, updated, disabled) VALUES (?, ?, ?, ?, ?, NULL)",
                (name, role, hashed, ts, ts),
            )
        else:
            c.execute(
                "UPDATE accounts SET role = ?, password = ?, updated = ?, disabled = NULL WHERE name = ?",
                (role, hashed, ts, name),
            )
        c.execute("DELETE FROM login_failures WHERE name = ?", (name,))
    account = get_account(store, name)
    assert account is not None
    return account, old is not None


def set_password(store: Store, name: str, password: str, *, now: datetime) -> None:
    """Change an active account's password (and clear its failed logins)."""
    check_password(password)
    hashed = hash_password(password)
    with store.transaction() as c:
        cur = c.execute(
            "UPDATE accounts SET password = ?, updated = ? WHERE name = ? AND disabled IS NULL",
            (hashed, iso(now), name),
        )
        if cur.rowcount == 0:
            raise UserError(f"no active account {name!r} (quiz users list)")
        c.execute("DELETE FROM login_failures WHERE name = ?", (name,))


def remove_account(store: Store, name: str, *, now: datetime) -> None:
    """Disable an account: it can no longer log in; its progress and history stay in the database."""
    with store.transaction() as c:
        cur = c.execute(
            "UPDATE accounts SET disabled = ?, updated = ? WHERE name = ? AND disabled IS NULL", (iso(now), iso(now), name)
        )
        if cur.rowcount == 0:
            raise UserError(f"no active account {name!r} (quiz users list)")


# --------------------------------------------------------------------------- logging in


def lock_delay(failures: int) -> timedelta:
    """How long a name is locked after ``failures`` failed logins in a row (0 below :data:`FREE_FAILURES`)."""
    if failures < FREE_FAILURES:
        return timedelta(0)
    delay: timedelta = BASE_DELAY * (2 ** min(failures - FREE_FAILURES, 16))
    return min(delay, MAX_DELAY)


def _failures(store: Store, name: str) -> tuple[int, datetime | None]:
    r = store.execute("SELECT failures, locked_until FROM login_failures WHERE name = ?", (name,)).fetchone()
    if r is None:
        return 0, None
    return int(r[0]), parse_ts(r[1]) if r[1] else None


def authenticate(store: Store, name: str, password: str, *, now: datetime) -> LoginResult:
    """Check a login (see the module's docstring for the rules); records failures and clears them on success."""
    key = unicodedata.normalize("NFC", name).strip()[:80]
    failures, locked_until = _failures(store, key)
    if locked_until is not None and now < locked_until:
        return LoginResult(None, wait=locked_until - now, failures=failures)
    row = (
        store.execute("SELECT name, role, created, disabled, password FROM accounts WHERE name = ?", (key,)).fetchone()
        if key
        else None
    )
    stored = row[4] if row is not None else _dummy_hash()
    matches = verify_password(password, stored)
    if row is not None and row[3] is None and matches:
        if failures:
            with store.transaction() as c:
                c.execute("DELETE FROM login_failures WHERE name = ?", (key,))
        return LoginResult(_account((row[0], row[1], row[2], row[3])))
    with store.transaction() as c:
        r = c.execute("SELECT failures FROM login_failures WHERE name = ?", (key,)).fetchone()
        failures = (int(r[0]) if r else 0) + 1
        delay = lock_delay(failures)
        until = iso(now + delay) if delay else None
        c.execute(
            "INSERT OR REPLACE INTO login_failures (name, failures, last_failure, locked_until) VALUES (?, ?, ?, ?)",
            (key, failures, iso(now), until),
        )
    return LoginResult(None, wait=delay or None, failures=failures)


# --------------------------------------------------------------------------- quiz users


def read_password(stream_text: str) -> str:
    """The password from ``--password-stdin``: the first line, without its line ending."""
    first = stream_text.split("\n", 1)[0].removesuffix("\r")
    if not first:
        raise UserError("no password on standard input (echo it into --password-stdin, one line)")
    return first


def _password_from_stdin() -> str:
    import getpass
    import sys

    if sys.stdin is None:
        raise UserError("no standard input to read the password from")
    if sys.stdin.isatty():  # typed by a person: read without echo, twice
        first = getpass.getpass("password: ")
        if getpass.getpass("again: ") != first:
            raise UserError("the two passwords differ; nothing changed")
        if not first:
            raise UserError("no password given")
        return first
    return read_password(sys.stdin.read(MAX_PASSWORD * 4 + 2))


def cli_users(args: argparse.Namespace, ctx: Context) -> int:
    """``quiz users add|list|passwd|remove``: the served app's accounts in ``--db``."""
    from quiz.scheduler import utc_now

    action = getattr(args, "users_command", None)
    if action is None:
        raise UserError("quiz users: say add, list, passwd or remove (quiz users --help)")
    if action != "add" and not ctx.db_path.exists():
        raise UserError(f"{ctx.db_path}: no progress database here (use --db PATH or QUIZ_DB)")
    if action in ("add", "passwd") and not args.password_stdin:
        raise UserError(f"quiz users {action}: give the password on standard input with --password-stdin")
    password = _password_from_stdin() if action in ("add", "passwd") else ""
    with Store.open(ctx.db_path) as store:
        now = utc_now()
        if action == "add":
            role: Role = "trainer" if args.trainer else "learner"
            account, restored = add_account(store, args.name, password, role=role, now=now)
            what = "restored (its history is kept)" if restored else "added"
            print(f"account {account.name} ({account.role}) {what}")
        elif action == "passwd":
            set_password(store, clean_name(args.name), password, now=now)
            print(f"password of {clean_name(args.name)} changed")
        elif action == "remove":
            remove_account(store, clean_name(args.name), now=now)
            print(f"account {clean_name(args.name)} removed: it can no longer log in; its history is kept")
        else:
            accounts = list_accounts(store)
            if not accounts:
                print("no accounts yet (quiz users add NAME --password-stdin)")
            for a in accounts:
                state = "active" if a.active else f"removed {a.disabled:%Y-%m-%d}" if a.disabled else ""
                print(f"{a.name}\t{a.role}\t{state}\tcreated {a.created:%Y-%m-%d}")
    if action in ("add", "passwd"):
        _owner_only(ctx.db_path)
    return 0


def _owner_only(db: Path) -> None:
    """The database holds password hashes: readable by its owner only (with its -wal and -shm files)."""
    for path in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
        try:
            mode = path.stat().st_mode & 0o777
            if mode & 0o077:
                path.chmod(mode & 0o700)
        except OSError:
            continue  # absent, or not ours to change: the README's UMask=0077 covers a service
