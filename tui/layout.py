"""The terminal sizes the screens are laid out for: one place for the breakpoints.

Below :data:`WIDE` columns a screen has the ``-narrow`` class (``-wide`` from there), below
:data:`TALL` rows ``-short`` (``-tall`` from there); ``app.tcss`` lays the screens out for an
80x24 terminal with them, the footer turns compact and home folds its menu away.
"""

from __future__ import annotations

WIDE = 100
"""Columns from which a screen is laid out wide (the side menu, roomy footer keys)."""
TALL = 30
"""Rows from which a screen is laid out tall."""


def is_narrow(columns: int) -> bool:
    """Whether a terminal ``columns`` wide gets the narrow layout."""
    return columns < WIDE
