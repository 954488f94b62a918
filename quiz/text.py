"""Bank and learner text made safe to show: no terminal control, no invisible direction change.

Bank files and learners' answers are data. A character that a terminal acts on
(ESC starts an escape sequence: ``ESC ] 52`` sets the clipboard, ``ESC [ 2 J``
clears the screen), that reorders what is shown (bidi overrides and isolates,
the "Trojan Source" characters), that breaks a line where an editor shows none
(U+2028, U+2029, NEL) or that is not a character at all (a lone surrogate,
which cannot even be printed) is *unsafe*:

* ``quiz validate`` refuses it in a bank, with its line and column (:func:`find_unsafe`);
* the importers strip it (:func:`strip_unsafe`);
* everything that shows bank or learner text (``quiz`` messages, the terminal UI)
  shows it as a visible escape such as ``\\x1b`` (:func:`printable`).

Newline and tab are ordinary text; :func:`printable` escapes them too when the
text must stay on one line (an id in a one-line message).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterator

# C0 controls but tab and newline, DEL, C1 controls (NEL is U+0085), bidi embeddings/overrides
# (U+202A-U+202E) and isolates (U+2066-U+2069), the Unicode line and paragraph separators, and
# surrogates (a lone one comes from a "\ud800" escape in YAML or JSON and cannot be encoded).
_UNSAFE = "\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029\ud800-\udfff"
UNSAFE_RE = re.compile(f"[{_UNSAFE}]")
_UNSAFE_ONE_LINE_RE = re.compile(f"[{_UNSAFE}\t\n]")
_LINE_BREAKS = re.compile("\r\n|[\r\x85\u2028\u2029]")

_NAMES = {
    "\x00": "NUL",
    "\x07": "BEL (bell)",
    "\x08": "backspace",
    "\x0b": "vertical tab",
    "\x0c": "form feed",
    "\r": "carriage return",
    "\x1b": "ESC (starts a terminal escape sequence)",
    "\x7f": "DEL",
    "\x85": "NEL (next line)",
    "\x9b": "CSI (starts a terminal escape sequence)",
    "\x9d": "OSC (starts a terminal command)",
    "\u2028": "line separator",
    "\u2029": "paragraph separator",
    "\u202a": "left-to-right embedding",
    "\u202b": "right-to-left embedding",
    "\u202c": "pop directional formatting",
    "\u202d": "left-to-right override",
    "\u202e": "right-to-left override",
    "\u2066": "left-to-right isolate",
    "\u2067": "right-to-left isolate",
    "\u2068": "first strong isolate",
    "\u2069": "pop directional isolate",
}


def is_unsafe(ch: str) -> bool:
    return UNSAFE_RE.match(ch) is not None


def describe(ch: str) -> str:
    """``U+001B ESC (starts a terminal escape sequence)``: a character as a trainer can look it up."""
    code = f"U+{ord(ch):04X}"
    name = _NAMES.get(ch)
    if name is None:
        if 0xD800 <= ord(ch) <= 0xDFFF:
            name = "a lone surrogate, not a character"
        else:
            name = unicodedata.name(ch, "control character").lower()
    return f"{code} {name}"


def find_unsafe(text: str) -> Iterator[tuple[int, str]]:
    """(index, character) of every unsafe character in ``text``."""
    for m in UNSAFE_RE.finditer(text):
        yield m.start(), m.group()


def _escape(m: re.Match[str]) -> str:
    ch = m.group()
    if ch == "\n":
        return "\\n"
    if ch == "\t":
        return "\\t"
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str, *, one_line: bool = False) -> str:
    """``text`` with every unsafe character shown as an escape (``\\x1b``, ``\\u202e``).

    ``one_line`` also escapes newlines and tabs, for a value inside a one-line message.
    """
    pattern = _UNSAFE_ONE_LINE_RE if one_line else UNSAFE_RE
    if pattern.search(text) is None:
        return text
    return pattern.sub(_escape, text)


def strip_unsafe(text: str) -> str:
    """``text`` without unsafe characters; line and paragraph separators, NEL and CR become newlines."""
    text = _LINE_BREAKS.sub("\n", text)
    if UNSAFE_RE.search(text) is None:
        return text
    return UNSAFE_RE.sub("", text)


def plural(n: int, one: str, many: str | None = None) -> str:
    """``1 problem``, ``20,000 problems``: an exact count, grouped by thousands."""
    return f"{n:,} {one if n == 1 else (many or one + 's')}"


def _finite(value: object) -> object:
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(v) for v in value]
    return value


_SOFT_BREAK = re.compile(r"(?<=[，、,])[ \t]*\r?\n[ \t]*(?=\S)(?![0-9０-９]+[.．、)）]|[（(][0-9０-９一二三四五六七八九十]+[)）]|[-•·*]|[①-⑳]|[一二三四五六七八九十]+、)")


def reflow(text: str) -> str:
    """Bank prose as it is meant to read: a line break right after a comma (``，``, ``、``, ``,``) is where
    the author's editor wrapped a ``|`` block mid-sentence, not a new line, and is dropped (the sentence
    goes on; the screen wraps it at its own width). Breaks after a full stop or a colon, and before a list
    item (``2.``, ``（2）``, ``②``, ``- ``, ``二、``), stay."""
    return _SOFT_BREAK.sub(lambda m: " " if text[m.start() - 1] == "," else "", text)


def _u_escape(m: re.Match[str]) -> str:
    return f"\\u{ord(m.group()):04x}"


def safe_json(value: object, *, indent: int | None = None) -> str:
    """JSON that is valid (a NaN or an infinity becomes ``null``: JSON has neither) and safe on a
    terminal (every unsafe character is written as a ``\\uXXXX`` escape, so the value read back
    is the same)."""
    import json

    try:  # the common case: nothing to replace, so no copy of the value is made first
        text = json.dumps(value, ensure_ascii=False, allow_nan=False, indent=indent)
    except ValueError:  # a NaN or an infinity in it
        text = json.dumps(_finite(value), ensure_ascii=False, allow_nan=False, indent=indent)
    if UNSAFE_RE.search(text) is None:
        return text
    return UNSAFE_RE.sub(_u_escape, text)
