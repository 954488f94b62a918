"""Text of an LMS question as a bank holds it: HTML and Moodle's text formats to plain text (Markdown kept).

Moodle stores each text with a format: ``html``, ``moodle`` (auto-format, HTML allowed),
``markdown`` or ``plain``. A bank's text is plain text or Markdown, so HTML loses its tags
(line breaks kept, entities decoded, comments removed whole) and Markdown and plain text
stay as written. Images, audio, video and embedded objects cannot be shown from a bank:
each one found is returned, so the importer can report it by line instead of dropping it
silently.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

FORMATS = ("html", "moodle", "markdown", "plain")

_COMMENT_RE = re.compile(r"<!--.*?(?:-->|$)", re.DOTALL)  # an unclosed comment runs to the end, as in a browser
_MEDIA_RE = re.compile(r"<(img|audio|video|source|embed|object|iframe|track|picture)\b[^>]*>", re.IGNORECASE)
_MEDIA_END_RE = re.compile(r"</(audio|video|object|iframe|picture)\s*>", re.IGNORECASE)
_BREAK_RE = re.compile(r"<br\s*/?>|</(?:p|div|li|tr|h[1-6]|pre|blockquote)\s*>", re.IGNORECASE)
_TAG_RE = re.compile(r"</?[A-Za-z][A-Za-z0-9:-]*(?:\s[^<>]*)?/?>")
_MD_IMAGE_RE = re.compile(r"!\[([^\]]*)\]\(([^)\s]*)[^)]*\)")
_PRE_RE = re.compile(r"(<pre\b.*?</pre\s*>)", re.IGNORECASE | re.DOTALL)
_SPACE_RE = re.compile(r"\s+")
_INDENT_RE = re.compile(r"\n[ \t]+")
_SRC_RE = re.compile(r"""\b(?:src|data)\s*=\s*["']?([^"'\s>]+)""", re.IGNORECASE)


@dataclass
class Converted:
    text: str
    media: list[str] = field(default_factory=list)  # a short description of each image, sound or video removed


def _describe(tag: str) -> str:
    kind = tag[1:].split(None, 1)[0].split(">", 1)[0].lower()
    name = {"img": "image", "picture": "image", "audio": "audio", "video": "video", "source": "media source"}.get(
        kind, f"embedded {kind}"
    )
    src = _SRC_RE.search(tag)
    return f"{name} {src[1]!r}" if src else name


def to_text(raw: str, fmt: str) -> Converted:
    """``raw`` in Moodle format ``fmt`` as bank text, with the media it held."""
    media: list[str] = []
    text = raw
    if fmt in ("html", "moodle"):
        text = _COMMENT_RE.sub("", text)
        for m in _MEDIA_RE.finditer(text):
            media.append(_describe(m[0]))
        text = _MEDIA_RE.sub("", text)
        text = _MEDIA_END_RE.sub("", text)
        if fmt == "html":
            # in HTML a line break in the source is a space (outside <pre>); <br> and </p> are the breaks
            text = "".join(part if k % 2 else _SPACE_RE.sub(" ", part) for k, part in enumerate(_PRE_RE.split(text)))
        else:
            text = _INDENT_RE.sub("\n", text)  # Moodle's auto-format keeps line breaks; indentation shows as nothing
        text = _BREAK_RE.sub("\n", text)
        text = _TAG_RE.sub("", text)
        if fmt == "html":
            text = _INDENT_RE.sub("\n", text)  # the space a source line break left after a <br> or </p>
        text = html.unescape(text).replace("\xa0", " ")
    elif fmt == "markdown":
        for m in _MD_IMAGE_RE.finditer(text):
            media.append(f"image {m[2]!r}" if m[2] else "image")
        text = _MD_IMAGE_RE.sub(lambda m: m[1], text)
        for m in _MEDIA_RE.finditer(text):  # Markdown allows inline HTML
            media.append(_describe(m[0]))
        text = _MEDIA_RE.sub("", text)
    return Converted(tidy(text), media)


def tidy(text: str) -> str:
    """Trailing spaces off every line, at most one blank line in a row, no blank ends."""
    text = re.sub(r"[ \t]+\n", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def to_html(text: str) -> str:
    """Bank text (plain, or Markdown kept as typed) as HTML an LMS shows as written: escaped, line breaks kept."""
    return html.escape(text, quote=False).replace("\n", "<br>")


def strip_wildcards(answer: str) -> tuple[str, bool]:
    """A Moodle short answer without its ``*`` wildcards (``\\*`` is a literal star), and whether any was removed.

    Moodle's ``*`` matches any text; a bank's accepted forms are compared as written.
    """
    if "*" not in answer.replace("\\*", ""):
        return answer.replace("\\*", "*"), False
    kept = answer.replace("\\*", "\ue010").replace("*", "").replace("\ue010", "*").strip()
    return kept, True


_SOURCE_RE = re.compile(r"(?:^|\n\n)(?:来源|出处|依据|Source)[:：]\s*(?P<source>[^\n]+)\s*$")


def split_source(feedback: str) -> tuple[str, str | None]:
    """General feedback as (explanation, source): a last paragraph ``来源：...`` is the source (the export writes it so)."""
    m = _SOURCE_RE.search(feedback)
    if not m:
        return feedback, None
    return feedback[: m.start()].strip(), m["source"].strip()


def join_source(explanation: str | None, source: str | None) -> str:
    """The general feedback an LMS shows: the explanation, then ``来源：`` and the source."""
    parts = [p for p in (explanation, f"来源：{source}" if source else None) if p]
    return "\n\n".join(parts)
