"""Where the program's files are: banks folder, progress database, learner profile.

``Context`` is what ``quiz.cli`` builds from options and environment and hands
to every command and to the app factory; tests build one with a temporary
database and banks folder.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from quiz.home import HomePrefetch
    from quiz.library import Library
    from quiz.loader import Problem

PACKAGE_DIR = Path(__file__).resolve().parent


def default_banks_dir() -> Path:
    """The shipped banks: inside the installed wheel, else the checkout's ``banks/``."""
    installed = PACKAGE_DIR / "_banks"
    if installed.is_dir():
        return installed
    return PACKAGE_DIR.parent / "banks"


def default_db_path() -> Path:
    return Path.cwd() / "progress.db"


LANGUAGES = ("zh", "en")


@dataclass
class Context:
    banks_dir: Path = field(default_factory=default_banks_dir)
    db_path: Path = field(default_factory=default_db_path)
    profile: str = "default"
    # ``--lang`` / ``QUIZ_LANG``: overrides the learner's language setting; None keeps the setting.
    language: str | None = None
    # ``quiz`` (the home screen): the child process working out the home screen's numbers (quiz.home)
    home_prefetch: HomePrefetch | None = field(default=None, repr=False, compare=False)

    @classmethod
    def from_env(
        cls, banks: str | None = None, db: str | None = None, profile: str | None = None, lang: str | None = None
    ) -> Context:
        """The context from options, else the environment, else the defaults.

        Raises :class:`UserError` for a language other than ``zh`` or ``en``.
        """
        from quiz.errors import UserError

        b = banks or os.environ.get("QUIZ_BANKS")
        d = db or os.environ.get("QUIZ_DB")
        p = profile or os.environ.get("QUIZ_PROFILE")
        lg = lang or os.environ.get("QUIZ_LANG") or None
        if lg is not None and lg not in LANGUAGES:
            where = "--lang" if lang else "QUIZ_LANG"
            raise UserError(f"{where}: unknown language {lg!r} (use zh or en)")
        return cls(
            banks_dir=Path(b) if b else default_banks_dir(),
            db_path=Path(d) if d else default_db_path(),
            profile=p or "default",
            language=lg,
        )

    def load_library(self) -> tuple[Library, list[Problem]]:
        """Every bank and exam under the banks folder, with the problems found.

        Raises :class:`UserError` when the folder does not exist (a mistyped ``--banks``
        is said, not shown as a program with no questions).
        """
        from quiz.errors import UserError
        from quiz.loader import load_paths
        from quiz.text import printable

        if not self.banks_dir.exists():
            raise UserError(f"{printable(str(self.banks_dir), one_line=True)}: the bank folder does not exist "
                            "(see --banks or QUIZ_BANKS)")
        if not self.banks_dir.is_dir():
            raise UserError(f"{printable(str(self.banks_dir), one_line=True)}: not a folder "
                            "(--banks / QUIZ_BANKS names the folder holding the banks)")
        library, problems = load_paths([self.banks_dir])
        from quiz import index

        index.save(self.banks_dir, library)  # what the next start shows before the banks are loaded
        return library, problems

    def quick_library(self) -> Library | None:
        """The light index of the banks as the last load left it (:mod:`quiz.index`), or None when
        a bank file changed since: enough for the first screen's numbers, without loading the banks."""
        from quiz import index

        return index.load(self.banks_dir)
