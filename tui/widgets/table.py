"""A DataTable whose rows always fill its width.

Textual's DataTable caches each rendered row with the blank that extends it to the
widget's width, keyed without that width: a row drawn while the table was briefly
narrower (a scrollbar shown for one layout pass) kept its shorter fill, so the same
screen came out two cells different from one run to the next. This table drops its
row caches whenever it is drawn at another width.
"""

from __future__ import annotations

from typing import Any

from textual.geometry import Region
from textual.strip import Strip
from textual.widgets import DataTable


class FillTable(DataTable[Any]):
    _drawn_width = -1

    def render_lines(self, crop: Region) -> list[Strip]:
        if self.size.width != self._drawn_width:
            self._drawn_width = self.size.width
            self._clear_caches()  # (Textual >= 8.2: the row, cell and line caches)
        return super().render_lines(crop)
