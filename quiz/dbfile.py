"""Whether a path can be a progress database, checked without opening it.

Kept apart from :mod:`quiz.store` (which imports sqlite-utils) so that the app can
refuse a bad ``--db`` in one line before it paints anything, at no start-up cost.
"""

from __future__ import annotations

from pathlib import Path

from quiz.errors import UserError

SQLITE_HEADER = b"SQLite format 3\x00"


def check_db_path(p: Path) -> None:
    """Refuse, without writing anything, a path that cannot be a progress database."""
    if p.is_dir():
        raise UserError(f"{p}: is a folder, not a progress database")
    if p.exists():
        try:
            with p.open("rb") as f:
                head = f.read(len(SQLITE_HEADER))
        except OSError as e:
            raise UserError(f"{p}: cannot read the progress database: {e.strerror}") from None
        if head and head != SQLITE_HEADER:
            raise UserError(f"{p}: not a SQLite database (refusing to touch it); give another --db")
    elif not p.parent.exists():
        raise UserError(f"{p}: folder {p.parent} does not exist")
