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


@dataclass
class Context:
    banks_dir: Path = field(default_factory=default_banks_dir)
    db_path: Path = field(default_factory=default_db_path)
    profile: str = "default"

    @classmethod
    def from_env(cls, banks: str | None = None, db: str | None = None, profile: str | None = None) -> Context:
        b = banks or os.environ.get("QUIZ_BANKS")
        d = db or os.environ.get("QUIZ_DB")
        p = profile or os.environ.get("QUIZ_PROFILE")
        return cls(
            banks_dir=Path(b) if b else default_banks_dir(),
            db_path=Path(d) if d else default_db_path(),
            profile=p or "default",
        )

    def load_library(self) -> tuple[Library, list[Problem]]:
        """Every bank and exam under the banks folder, with the problems found."""
        from quiz.errors import UserError
        from quiz.loader import load_paths
        from quiz.text import printable

        if not self.banks_dir.exists():
            raise UserError(f"{printable(str(self.banks_dir), one_line=True)}: the bank folder does not exist "
                            "(see --banks or QUIZ_BANKS)")
        return load_paths([self.banks_dir])
