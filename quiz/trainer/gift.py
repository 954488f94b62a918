"""Moodle GIFT files (.gift, .txt) as draft questions.

What comes in, and as what:

- ``$CATEGORY: a/b/c`` sets the topic of the questions after it to the last part (``c``).
- ``::title::`` names the question: its id is the title as a slug (pinyin for Chinese);
  a Moodle ``// [id:x]`` comment line gives the id itself, ``// [tag:x]`` adds tags.
- ``{=right ~wrong ~wrong}`` → 单选 (``single``); partial credit on a wrong option
  (``~%50%...``) cannot be expressed and is reported.
- ``{~%50%a ~%50%b ~%-100%c}`` → 多选 (``multi``, scoring ``partial``): options with a
  positive weight are the answer; zero or negative weights are wrong options.
- ``{T}``/``{TRUE}``/``{F}``/``{FALSE}`` → 判断 (``judge``).
- ``{=a =b}`` (only ``=``) → 填空 (``short``) with every full-credit form accepted;
  ``=%0%x`` (a known wrong answer, Moodle's way to give it feedback) goes to ``reject``;
  a form worth between 0 and 100% is dropped and reported (no partial credit here).
- ``{#90:0}``, ``{#1..5}``, ``{#=90:0 =%50%89:2}`` → 数值 (``numeric``) with the
  tolerance or range of the full-credit answer.
- ``#feedback`` after an answer and ``####general feedback`` become the explanation.
- Text after the answer block (Moodle's missing-word form) stays in the prompt
  with ``____`` where the block was.
- ``//`` comment lines are ignored; ``\\~ \\= \\# \\{ \\} \\:`` and ``\\n`` are escapes;
  ``[html]`` (tags removed), ``[markdown]``, ``[plain]``, ``[moodle]`` markers are removed.
- Matching (``=a -> b``), essay (``{}``) and descriptions (no answer block) have no
  question type here: each is reported with its line number.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from quiz.errors import UserError
from quiz.model import LETTERS
from quiz.trainer.importers import Draft, ImportIssue

_ESCAPES = {"~": "\ue000", "=": "\ue001", "#": "\ue002", "{": "\ue003", "}": "\ue004", ":": "\ue005", "\\": "\ue006"}
_RESTORE = str.maketrans({v: k for k, v in _ESCAPES.items()})
_ESCAPE_RE = re.compile(r"\\(.)")
_NUM = r"[-+]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?"
_WEIGHT_RE = re.compile(r"^\s*%(-?\d+(?:\.\d+)?)%")
_TF_RE = re.compile(r"^(T|TRUE|F|FALSE)\s*(?:#([^#]*))?(?:#([^#]*))?$", re.IGNORECASE | re.DOTALL)
_FORMAT_RE = re.compile(r"^\s*\[(html|moodle|plain|markdown)\]", re.IGNORECASE)


class GiftError(Exception):
    """A question that cannot come in; the message is the reason."""


def _protect(text: str) -> str:
    """Escapes to private-use placeholders, so the parser sees only real markers; ``\\n`` → newline."""
    return _ESCAPE_RE.sub(lambda m: "\n" if m[1] == "n" else _ESCAPES.get(m[1], m[0]), text)


def _clean(text: str, fmt: str) -> str:
    text = text.translate(_RESTORE)
    if fmt == "html":
        text = re.sub(r"(?i)<br\s*/?>|</p\s*>|</div\s*>|</li\s*>", "\n", text)
        text = re.sub(r"<[^>]+>", "", text)
        text = html.unescape(text)
    text = re.sub(r"[ \t]+\n", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


@dataclass
class _Answer:
    mark: str  # "=" or "~"
    text: str
    weight: float
    feedback: str


@dataclass
class _Block:
    line: int
    text: str
    topic: str | None
    meta_id: str | None = None
    meta_tags: list[str] = field(default_factory=list)


def _split_blocks(text: str) -> list[_Block]:
    """Questions are separated by blank lines; ``$CATEGORY`` lines set the topic; ``//`` lines are comments."""
    blocks: list[_Block] = []
    topic: str | None = None
    lines: list[str] = []
    start = 0
    meta_id: str | None = None
    meta_tags: list[str] = []

    def flush() -> None:
        nonlocal lines, meta_id, meta_tags
        body = "\n".join(lines).strip()
        if body:
            blocks.append(_Block(start, body, topic, meta_id, meta_tags))
            meta_id, meta_tags = None, []
        lines = []

    for n, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.strip()
        if stripped.startswith("//"):
            for kind, value in re.findall(r"\[(id|tag):([^\]]+)\]", stripped):
                if kind == "id":
                    meta_id = value.strip()
                else:
                    meta_tags.append(value.strip())
            continue
        if stripped.startswith("$CATEGORY:"):
            flush()
            path = stripped[len("$CATEGORY:") :].strip()
            parts = [p.strip() for p in path.split("/") if p.strip()]
            last = parts[-1] if parts else ""
            topic = None if not last or last.startswith("$") or last == "top" else last
            continue
        if not stripped:
            body = _protect("\n".join(lines))
            if body.count("{") > body.count("}"):
                lines.append(raw)  # a blank line inside an answer block
                continue
            flush()
            continue
        if lines and stripped.startswith("::"):
            so_far = _protect("\n".join(lines))
            if "}" in so_far and so_far.count("{") == so_far.count("}"):
                flush()  # a titled question right after the last one, without the blank line GIFT wants
        if not lines:
            start = n
        lines.append(raw)
    flush()
    return blocks


def _parse_answers(body: str) -> list[_Answer]:
    lead = re.match(r"^\s*([^=~]*)", body)
    if lead and lead[1].strip():
        raise GiftError(f"text {lead[1].strip().translate(_RESTORE)!r} before the first =/~ answer")
    out: list[_Answer] = []
    for mark, rest in re.findall(r"([=~])([^=~]*)", body):
        weight = 100.0 if mark == "=" else 0.0
        m = _WEIGHT_RE.match(rest)
        if m:
            weight = float(m[1])
            rest = rest[m.end() :]
        text, _, feedback = rest.partition("#")
        out.append(_Answer(mark, text, weight, feedback))
    return out


def _numeric(body: str, fmt: str, notes: list[str]) -> dict[str, Any]:
    """``#90:0``, ``#1..5``, ``#90``, ``#=90:0 =%50%89:2`` (the ``#`` already removed)."""
    specs: list[tuple[float, str, str]] = []  # (weight, spec, feedback)
    if "=" in body:
        for a in _parse_answers(body):
            specs.append((a.weight, a.text.strip(), a.feedback))
    else:
        spec, _, fb = body.partition("#")
        specs.append((100.0, spec.strip(), fb))
    full = [s for s in specs if s[0] >= 100]
    if not full:
        raise GiftError("numerical question has no full-credit (100%) answer")
    for w, spec, _ in specs:
        if w < 100:
            notes.append(f"numerical answer {spec.translate(_RESTORE)!r} ({w:g}%) dropped: partial credit cannot be expressed")
    for _, spec, _ in full[1:]:
        notes.append(f"numerical answer {spec.translate(_RESTORE)!r} dropped: only one full-credit number can be kept")
    spec = full[0][1].translate(_RESTORE)
    m = re.fullmatch(rf"({_NUM})\s*\.\.\s*({_NUM})", spec)
    if m:
        lo, hi = sorted((float(m[1]), float(m[2])))
        value, tol = (lo + hi) / 2, (hi - lo) / 2
    else:
        m = re.fullmatch(rf"({_NUM})\s*(?::\s*({_NUM}))?", spec)
        if not m:
            raise GiftError(f"numerical answer {spec!r} is not a number, number:tolerance or min..max")
        value, tol = float(m[1]), abs(float(m[2])) if m[2] else 0.0
    data: dict[str, Any] = {"type": "numeric", "answer": int(value) if value.is_integer() else value}
    if tol:
        data["tolerance"] = int(tol) if tol.is_integer() else tol
    feedback = [_clean(fb, fmt) for _, _, fb in full[:1] if fb.strip()]
    if feedback:
        data["_feedback"] = feedback
    return data


def _choices(answers: list[_Answer], fmt: str) -> list[str]:
    choices = [_clean(a.text, fmt) for a in answers]
    if any(not c for c in choices):
        raise GiftError("an answer option is empty")
    if len(choices) < 2:
        raise GiftError("a choice question needs at least two options")
    if len(choices) > len(LETTERS):
        raise GiftError(f"{len(choices)} options: at most {len(LETTERS)} are allowed")
    return choices


def _answer_block(body: str, fmt: str, notes: list[str]) -> dict[str, Any]:
    """The question's type and answer fields from the text between ``{`` and ``}``."""
    body, _, general = body.partition("####")
    general_text = _clean(general, fmt)
    stripped = body.strip()
    feedback: list[str] = [general_text] if general_text else []
    if not stripped:
        raise GiftError("essay question ({}) has no type here (use 情景 with key points); not imported")
    if stripped.startswith("#"):
        data = _numeric(stripped[1:], fmt, notes)
        feedback += data.pop("_feedback", [])
    elif tf := _TF_RE.match(stripped):
        data = {"type": "judge", "answer": tf[1].upper().startswith("T")}
        # Moodle: the first feedback is shown for a wrong answer, the second for a right one
        feedback += [_clean(x, fmt) for x in (tf[3], tf[2]) if x and _clean(x, fmt)]
    else:
        answers = _parse_answers(stripped)
        if not answers:
            raise GiftError("no answers in the answer block")
        if any("->" in a.text for a in answers if a.mark == "="):
            raise GiftError("matching question (a -> b) has no type here; not imported")
        if all(a.mark == "=" for a in answers):
            accepted: list[str] = []
            rejected: list[str] = []
            for a in answers:
                text = _clean(a.text, fmt)
                if not text:
                    raise GiftError("an accepted answer is empty")
                if a.weight >= 100:
                    accepted.append(text)
                elif a.weight <= 0:
                    rejected.append(text)  # Moodle's way to give feedback on a known wrong answer
                else:
                    notes.append(f"short answer {text!r} ({a.weight:g}%) dropped: partial credit cannot be expressed")
                    continue
                if a.feedback.strip():
                    feedback.append(f"{text}: {_clean(a.feedback, fmt)}")
            if not accepted:
                raise GiftError("short-answer question has no full-credit (100%) answer")
            data = {"type": "short", "answers": accepted}
            if rejected:
                data["reject"] = rejected
        else:
            choices = _choices(answers, fmt)
            has_equals = any(a.mark == "=" for a in answers)
            if has_equals:
                right = [i for i, a in enumerate(answers) if a.mark == "="]
                for i, a in enumerate(answers):
                    if a.mark == "~" and a.weight > 0:
                        notes.append(f"partial credit for option {LETTERS[i]} {choices[i]!r} ({a.weight:g}%) dropped: it counts as wrong")
            else:
                right = [i for i, a in enumerate(answers) if a.weight > 0]
            if not right:
                raise GiftError("no option is right (no = answer and no positive %weight%)")
            if has_equals and len(right) == 1:
                data = {"type": "single", "choices": choices, "answer": LETTERS[right[0]]}
            elif not has_equals and len(right) == 1 and answers[right[0]].weight >= 100:
                data = {"type": "single", "choices": choices, "answer": LETTERS[right[0]]}
            else:
                data = {"type": "multi", "choices": choices, "answer": [LETTERS[i] for i in right],
                        "scoring": "all" if has_equals else "partial"}
            for i, a in enumerate(answers):
                if a.feedback.strip():
                    feedback.append(f"{LETTERS[i]}. {choices[i]}: {_clean(a.feedback, fmt)}")
    if feedback:
        data["explanation"] = "\n".join(feedback)
    return data


def parse_question(block: _Block) -> Draft:
    text = _protect(block.text)
    title: str | None = None
    m = re.match(r"^::(.*?)::", text, re.DOTALL)
    if m:
        title = m[1].translate(_RESTORE).strip() or None
        text = text[m.end() :]
    fmt = "moodle"
    m = _FORMAT_RE.match(text)
    if m:
        fmt = m[1].lower()
        text = text[m.end() :]
    open_at = text.find("{")
    if open_at < 0:
        raise GiftError("no answer block { }: a description, not a question; not imported")
    close_at = text.find("}", open_at)
    if close_at < 0:
        raise GiftError("the answer block { has no closing }")
    before, inside, after = text[:open_at], text[open_at + 1 : close_at], text[close_at + 1 :]
    if "{" in after:
        raise GiftError("more than one answer block (embedded answers / cloze) has no type here; not imported")
    m = _FORMAT_RE.match(inside)
    if m:
        inside = inside[m.end() :]
    notes: list[str] = []
    data = _answer_block(inside, fmt, notes)
    prompt = _clean(before, fmt)
    tail = _clean(after, fmt)
    if tail:
        prompt = f"{prompt} ____ {tail}" if prompt else f"____ {tail}"
    if not prompt:
        raise GiftError("the question has no text")
    out: dict[str, Any] = {"type": data.pop("type"), "prompt": prompt, **data}
    if block.topic:
        out["topic"] = block.topic
    if block.meta_tags:
        out["tags"] = list(dict.fromkeys(block.meta_tags))
    if block.meta_id:
        return Draft(line=block.line, data=out, id_hint=block.meta_id, explicit_id=True, notes=notes)
    return Draft(line=block.line, data=out, id_hint=title, explicit_id=False, notes=notes)


def parse_gift(text: str, label: str) -> tuple[list[Draft], list[ImportIssue], int]:
    """Drafts from GIFT text, with an issue for every question that cannot come in."""
    issues: list[ImportIssue] = []
    drafts: list[Draft] = []
    blocks = _split_blocks(text.lstrip("\ufeff"))
    for b in blocks:
        try:
            drafts.append(parse_question(b))
        except GiftError as e:
            issues.append(ImportIssue(label, b.line, f"skipped: {e}"))
    return drafts, issues, len(blocks)


def read_gift(path: Path, label: str) -> tuple[list[Draft], list[ImportIssue], int]:
    from quiz.trainer.spreadsheet import decode_text

    try:
        data = path.read_bytes()
    except OSError as e:
        raise UserError(f"{path}: cannot read: {e.strerror or e}") from e
    return parse_gift(decode_text(data, path), label)
