"""Messages the app sends to its screens."""

from __future__ import annotations

from textual.message import Message


class LibraryRefreshed(Message):
    """The banks were (re)loaded or the language changed: screens showing them redraw."""
