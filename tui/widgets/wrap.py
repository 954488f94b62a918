"""Chinese line breaking for the text the learner reads (prompts, choices, feedback, dialogs).

Rich and Textual break lines only at spaces, so a run of Chinese is one "word":
it is pushed whole onto the next line (leaving a ragged gap) or chopped at the
width wherever that falls, so a line can start with ``。`` or ``，`` and a number
can be parted from its measure word (``本题 0`` / ``分``). :func:`wrap_offsets`
breaks by the usual rules instead (a simplified 禁则, as GB/T 15834 and W3C's
"Requirements for Chinese Text Layout" describe):

* a line may break between any two Chinese characters, and after a space;
* never before closing punctuation (``。，、；：？！」』）》`` ...) nor after opening
  punctuation (``「『（《`` ...), so punctuation stays on the line of its text;
* never inside a run of Latin letters and digits (a word, a number, ``48小时``'s
  ``48``), nor between a number and the word next to it, spaced or not
  (``37 题``, ``还有 37``, ``15天``), so a figure stays with its measure word;
* only a piece wider than the whole line is cut by the cell.

:class:`Paragraph` is a Rich renderable that wraps a :class:`rich.text.Text` so,
keeping its styles; Textual renders it at the widget's width.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from rich.cells import cell_len, get_character_cell_size
from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.segment import Segment
from rich.text import Text

CLOSING = frozenset("。，、；：？！」』）》〉】〕〗”’…‥·・%％‰℃,.;:?!)]}｝〙〛ー～~々")
"""Characters a line never starts with."""
OPENING = frozenset("「『（《〈【〔〖“‘([{｛〘〚")
"""Characters a line never ends with."""
NBSP = "\u00a0"
"""A space that never breaks (``■\u00a0已答``: a mark stays with its word)."""


@lru_cache(maxsize=4096)
def _wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F")


@lru_cache(maxsize=4096)
def _word(ch: str) -> bool:
    """A Chinese (or other wide) letter, not punctuation: what a number binds to."""
    return _wide(ch) and unicodedata.category(ch).startswith("L")


def _digit(ch: str) -> bool:
    return ch.isdigit() and ch.isascii()


# measure words of two or more characters: a number keeps all of it (10 分钟, 48 小时, 7 个工作日)
UNITS = ("分钟", "小时", "个月", "周年", "工作日", "自然日", "个工作日", "个自然日", "秒钟", "百分点", "分之")
_UNIT_AFTER_NUMBER = re.compile(r"[0-9]\s*(" + "|".join(sorted(UNITS, key=len, reverse=True)) + ")")


def _glued(text: str) -> set[int]:
    """Positions inside a multi-character measure word that follows a number (no break before them)."""
    out: set[int] = set()
    for m in _UNIT_AFTER_NUMBER.finditer(text):
        out.update(range(m.start(1) + 1, m.end(1)))
    return out


def _breakable(text: str, i: int, glued: set[int] | frozenset[int] = frozenset()) -> bool:
    """May a line break before ``text[i]`` (0 < i < len(text))?"""
    a, b = text[i - 1], text[i]
    if i in glued:
        return False
    if b.isspace() or a == NBSP:
        return False  # break after the spaces, not before them; never at a no-break space
    if b in CLOSING or a in OPENING:
        return False
    if a.isspace():
        # a number keeps the words on both sides of its spaces: 还有 37 题, 本题 0 分
        j = i - 1
        while j > 0 and text[j - 1].isspace():
            j -= 1
        before = text[j - 1] if j > 0 else ""
        if before in OPENING and before:
            return False
        if before and ((_digit(before) and _word(b)) or (_word(before) and _digit(b))):
            return False
        return True
    if (_digit(a) and _word(b)) or (_word(a) and _digit(b)):
        return False  # 15天, 第3题
    if _wide(a) or _wide(b):
        return True
    return False  # inside a Latin word, a number, or between narrow punctuation


def wrap_offsets(text: str, width: int, keep: Iterable[tuple[int, int]] = ()) -> list[tuple[int, int]]:
    """(start, end) of each line of ``text`` (one paragraph, no newlines) wrapped to ``width`` cells.

    Spaces at a break are dropped (they are outside every range); every line is at
    most ``width`` cells unless ``width`` is smaller than one character. Each
    ``keep`` range (start, end) is not broken inside (``下次复习：10 分钟后`` stays
    whole) unless it is wider than the line.
    """
    n = len(text)
    if n == 0:
        return [(0, 0)]
    width = max(1, width)
    # pieces between break opportunities
    glued = _glued(text)
    for start, end in keep:
        glued.update(range(max(1, start + 1), min(n, end)))
    starts = [0] + [i for i in range(1, n) if _breakable(text, i, glued)]
    pieces = [(s, e) for s, e in zip(starts, [*starts[1:], n], strict=True)]
    lines: list[tuple[int, int]] = []
    line_start: int | None = None
    line_end = 0
    used = 0  # cells on the current line, trailing spaces excluded
    for s, e in pieces:
        word_end = e
        while word_end > s and text[word_end - 1].isspace() and text[word_end - 1] != NBSP:
            word_end -= 1
        if line_start is None:  # a new line drops the spaces a break left at its start
            while s < word_end and text[s].isspace() and lines:
                s += 1
        w = cell_len(text[s:word_end])
        gap = cell_len(text[line_end:s]) if line_start is not None else 0
        if line_start is not None and used + gap + w <= width:
            line_end = word_end
            used += gap + w
            continue
        if line_start is not None:
            lines.append((line_start, line_end))
            line_start = None
            while s < word_end and text[s].isspace():
                s += 1
            w = cell_len(text[s:word_end])
        if w <= width:
            line_start, line_end, used = s, word_end, w
            continue
        # wider than a line: cut by the cell
        pos = s
        while pos < word_end:
            cells = 0
            end = pos
            while end < word_end and cells + get_character_cell_size(text[end]) <= width:
                cells += get_character_cell_size(text[end])
                end += 1
            if end == pos:  # one character wider than the line
                end = pos + 1
                cells = get_character_cell_size(text[pos])
            if end < word_end:
                lines.append((pos, end))
                pos = end
            else:
                line_start, line_end, used = pos, end, cells
                pos = end
    if line_start is not None:
        lines.append((line_start, line_end))
    return lines or [(0, 0)]


def wrap_text(text: Text, width: int, keep: Iterable[tuple[int, int]] = ()) -> list[Text]:
    """``text`` broken into lines of at most ``width`` cells by the rules above, styles kept.

    A newline in ``text`` always ends a line; ``keep``: ranges of ``text.plain`` not to break inside.
    """
    out: list[Text] = []
    ranges = list(keep)
    at = 0
    for para in text.split("\n", allow_blank=True):
        n = len(para.plain)
        mine = [(max(s, at) - at, min(e, at + n) - at) for s, e in ranges if s < at + n and e > at]
        for s, e in wrap_offsets(para.plain, width, mine):
            out.append(para[s:e])
        at += n + 1
    return out


class Paragraph:
    """A :class:`Text` that wraps by Chinese rules at the width it is given."""

    def __init__(self, text: Text | str, style: str = "", keep: Iterable[tuple[int, int]] = ()) -> None:
        self.text = Text(text, style=style) if isinstance(text, str) else text
        self.keep = tuple(keep)  # ranges of the text not broken inside (see wrap_offsets)
        self._lines: dict[int, list[Text]] = {}  # by width: Textual renders a widget at one width many times

    def lines(self, width: int) -> list[Text]:
        lines = self._lines.get(width)
        if lines is None:
            lines = self._lines[width] = wrap_text(self.text, width, self.keep)
            for line in lines:
                line.end = ""
                line.no_wrap = True
        return lines

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        for line in self.lines(options.max_width):
            yield from line.render(console)
            yield Segment.line()

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        plain = self.text.plain
        longest = max((cell_len(p) for p in plain.split("\n")), default=0)
        narrowest = max((_longest_piece(p) for p in plain.split("\n")), default=0)
        return Measurement(min(narrowest, longest), longest)


def _longest_piece(text: str) -> int:
    if not text:
        return 0
    glued = _glued(text)
    starts = [0] + [i for i in range(1, len(text)) if _breakable(text, i, glued)]
    return max(cell_len(text[s:e].strip()) for s, e in zip(starts, [*starts[1:], len(text)], strict=True))


def paragraphs(parts: Iterable[Text]) -> list[Paragraph]:
    return [Paragraph(p) for p in parts]
