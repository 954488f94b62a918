"""Who may do what in the app: the rules the served app (``quiz serve``) enforces.

The app asks :meth:`Access.allows` before every action (a key, a menu line, a
command-palette entry, a click on a link) and refuses what it does not allow;
the screens that matter check again when they open. Action names are the app's
(``trainer``, ``browse``, ``study`` ...).

* At a terminal (``quiz``), not served: everything, as before accounts existed
  (whoever sits at the terminal owns the database).
* Served, before logging in: only logging in, the language, and quitting.
* Served, a learner: their own progress only. No trainer tools (the team, the
  item analysis, the bank browser with its answer keys, reloading the banks), no
  profile switching, nothing that touches the server's files (screenshots saved
  there). While one of their mock exams is running, nothing that shows answers
  either (practice, 背题模式, the wrong book, bookmarks, past results): an
  exam's answers only after submitting it.
* Served, a trainer: the trainer tools too; still no profile switching and no
  server files.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the terminal app starts without the accounts (hashing) or the store's imports
    from datetime import datetime

    from quiz.accounts import Account
    from quiz.store import Store

TRAINER_ACTIONS = frozenset({"trainer", "browse", "reload"})
"""The trainer's tools: the team view, item analysis, the bank browser (answer keys), reloading banks."""

SERVER_ACTIONS = frozenset({"switch_profile", "screenshot", "deliver_file", "suspend_process", "open_file"})
"""What only makes sense at the server's own terminal: never in a served session."""

BEFORE_LOGIN = frozenset({
    "login", "quit", "help_quit", "toggle_language", "command_palette", "focus_next", "focus_previous",
    "show_help_panel", "hide_help_panel", "change_theme", "bell", "back",
})
"""A served session that has not logged in may do only these."""

ANSWER_REVEALING = frozenset({"study", "resume_study", "wrong_book", "bookmarks", "history", "browse"})
"""Closed to a served learner while one of their mock exams is running."""


@dataclass(frozen=True)
class Access:
    served: bool = False
    account: Account | None = None

    @property
    def logged_in(self) -> bool:
        return self.account is not None

    @property
    def is_trainer(self) -> bool:
        """Sees the team: a served trainer, or whoever runs the app at the server's terminal."""
        return not self.served or (self.account is not None and self.account.is_trainer)

    def allows(self, action: str, *, exam_running: bool = False) -> bool:
        """Whether ``action`` (an app action's name, without namespace or parameters) may run."""
        if not self.served:
            return True
        if self.account is None:
            return action in BEFORE_LOGIN
        if action in SERVER_ACTIONS:
            return False
        if action in TRAINER_ACTIONS and not self.account.is_trainer:
            return False
        if exam_running and not self.account.is_trainer and action in ANSWER_REVEALING:
            return False
        return True


def exam_running(store: Store, profile: str, now: datetime) -> bool:
    """Whether ``profile`` has a mock exam started, not submitted, with time left at ``now``."""
    from quiz.store import iso

    r = store.execute(
        "SELECT 1 FROM exam_attempts WHERE profile = ? AND submitted IS NULL AND deadline > ? LIMIT 1",
        (profile, iso(now)),
    ).fetchone()
    return r is not None
