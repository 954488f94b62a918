"""Moodle GIFT files (.gift, .txt) read as Moodle reads them (``question/format/gift/format.php``).

Construct by construct (the README's import section lists where this reader
deliberately differs from Moodle):

- Questions are separated by blank lines; ``//`` lines are comments, and a comment's
  ``[id:x]`` gives the next question its id, ``[tag:x]`` a tag. ``$CATEGORY: a/b/c``
  sets the topic of the questions after it to the last part (``c``).
- ``::title::`` names the question: its id is the title as a slug (pinyin for Chinese).
- Format markers ``[html]``, ``[moodle]``, ``[plain]``, ``[markdown]`` open any text
  (the question, an answer, a feedback) and are removed; HTML loses its tags and
  comments, and each image, sound or video is reported by its line.
- The answer block is the text from the first ``{`` to the first ``}``; the question
  text is what is around it, with ``_____`` where it was when text follows it
  (Moodle's missing-word form). ``\\~ \\= \\# \\{ \\} \\:`` and ``\\\\`` escape, ``\\n``
  is a line break. A ``{`` inside the block, or a second block, is refused.
- The type is chosen in Moodle's order: ``{}`` essay; ``{#...}`` numerical; any ``~``
  multiple choice; ``=`` with ``->`` matching; ``T``/``TRUE``/``F``/``FALSE``
  true/false; anything else short answer.
- Multiple choice with an ``=`` is 单选: every ``=`` (or 100% option) is fully right
  (``also_correct`` beyond the first). Without ``=`` Moodle lets the learner tick
  several: 多选 with the positive-weight options as the answer, partial credit.
- Short answer: each ``=`` form (default 100%) is accepted; ``=%0%x`` is a known wrong
  answer (``reject``); ``=%0%*`` is Moodle's catch-all, whose feedback becomes the
  feedback for any wrong answer.
- Numerical: ``{#90}``, ``{#90:2}``, ``{#1..5}``, ``{#=90:0 =%50%89:2}``, and
  ``~#feedback`` for any wrong answer.
- ``#feedback`` after an answer is kept per choice / per answer (``feedback``), shown
  only to a learner who gave it; ``{TRUE#wrong-fb#right-fb}`` gives the feedback for
  each of true and false; ``####general feedback`` is the explanation.
- Matching, descriptions (no answer block) and partial credit have no equivalent
  here: each is reported with its line, never dropped silently.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from quiz.errors import UserError
from quiz.model import LETTERS
from quiz.trainer import markup
from quiz.trainer.importers import Draft, ImportIssue, ReadResult, paragraph_keypoints

# GIFT's escapes, as private-use placeholders while the structure is parsed
_ESCAPES = {"~": "\ue000", "=": "\ue001", "#": "\ue002", "{": "\ue003", "}": "\ue004", ":": "\ue005", "\\": "\ue006",
            "n": "\ue007"}
_RESTORE = str.maketrans({v: ("\n" if k == "n" else k) for k, v in _ESCAPES.items()})
_ESCAPE_RE = re.compile(r"\\(.)")
_WEIGHT_RE = re.compile(r"^%(-?\d+(?:\.\d*)?)%")
_FORMAT_RE = re.compile(r"^\[(html|moodle|plain|markdown)\]", re.IGNORECASE)
_TF = {"T": True, "TRUE": True, "F": False, "FALSE": False}
_NUM = r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?"
_NUM_RE = re.compile(_NUM)
_CONTINUES_BLOCK = ("~", "=", "#", "}", "%")
_LINE_SPLIT = re.compile(r"\r\n|\r|\n")  # only real line ends: U+2028, NEL ... must not shift line numbers


class GiftError(Exception):
    """A question that cannot come in; the message is the reason."""


def _protect(text: str) -> str:
    return _ESCAPE_RE.sub(lambda m: _ESCAPES.get(m[1], m[0]), text)


@dataclass
class _Block:
    line: int
    lines: list[str]  # protected; a comment line inside the question is an empty line (line numbers hold)
    topic: str | None
    meta_id: str | None = None
    meta_tags: list[str] = field(default_factory=list)

    def line_of(self, needle: str) -> int:
        """The file line of the first of the block's lines that holds ``needle`` (the block's line if none)."""
        for k, ln in enumerate(self.lines):
            if needle and needle in ln:
                return self.line + k
        return self.line


# the first line `quiz export` writes: the bank's id and title
_EXPORT_HEAD = re.compile(r"^// bank ([a-z0-9][a-z0-9-]*): (.+), exported by `quiz export`$")


def _category_topic(path: str, bank_title: str | None = None) -> str | None:
    # Moodle writes a '/' inside a category name as '//'
    parts = [p.replace("\0", "/").strip() for p in path.replace("//", "\0").split("/")]
    parts = [p for p in parts if p and not p.startswith("$") and p != "top"]
    if bank_title is not None and parts[:1] == [bank_title]:
        parts = parts[1:]  # the bank's own category, as `quiz export` writes it
    return parts[-1] if parts else None


def _split_blocks(text: str, bank_title: str | None = None) -> list[_Block]:
    """Questions, one pass over the lines: a block ends at a blank line, as in Moodle.

    A blank line inside an open ``{`` continues the question only when the next line
    goes on with answers (``~ = # } %``): a forgotten ``}`` costs its own question, not
    the rest of the file, and nothing is scanned twice.
    """
    raw = _LINE_SPLIT.split(text)
    # the next line holding something other than a comment, for every line (one backward pass)
    nxt: list[str] = [""] * (len(raw) + 1)
    for i in range(len(raw) - 1, -1, -1):
        s = raw[i].strip()
        nxt[i] = nxt[i + 1] if not s or s.startswith("//") else s
    blocks: list[_Block] = []
    topic: str | None = None
    lines: list[str] = []
    start = 0
    depth = 0  # unescaped '{' minus '}' so far in the block
    closed = False  # a '}' has been seen in the block
    meta_id: str | None = None
    meta_tags: list[str] = []

    def flush() -> None:
        nonlocal lines, meta_id, meta_tags, depth, closed
        while lines and not lines[-1].strip():
            lines.pop()
        if lines:
            blocks.append(_Block(start, lines, topic, meta_id, meta_tags))
            meta_id, meta_tags = None, []
        lines, depth, closed = [], 0, False

    for n, line in enumerate(raw, start=1):
        stripped = line.strip()
        if stripped.startswith("//"):
            for kind, value in re.findall(r"\[(id|tag):([^\]]+)\]", stripped):
                if kind == "id":
                    meta_id = value.strip()
                else:
                    meta_tags.append(value.strip())
            if lines:
                lines.append("")
            continue
        if stripped.startswith("$CATEGORY:"):
            flush()
            topic = _category_topic(stripped[len("$CATEGORY:"):], bank_title)
            continue
        if not stripped:
            if depth > 0 and nxt[n].startswith(_CONTINUES_BLOCK):
                lines.append("")  # a blank line between the answers of an open block
                continue
            flush()
            continue
        if lines and stripped.startswith("::") and (closed or depth > 0):
            flush()  # a titled question right after the last one (closed or not), without the blank line GIFT wants
        p = _protect(line)
        if not lines:
            start = n
        lines.append(p)
        opens, closes = p.count("{"), p.count("}")
        depth += opens - closes
        closed = closed or closes > 0
    flush()
    return blocks


# ---------------------------------------------------------------- text pieces


@dataclass
class _Ctx:
    """What parsing one question collects besides its fields."""

    block: _Block
    notes: list[tuple[int, str]] = field(default_factory=list)
    guesses: list[tuple[int, str]] = field(default_factory=list)

    def note(self, message: str, near: str = "") -> None:
        self.notes.append((self.block.line_of(near), message))

    def guess(self, message: str, near: str = "") -> None:
        self.guesses.append((self.block.line_of(near), message))


def _format_of(text: str, default: str) -> tuple[str, str]:
    """(format, text without its marker): Moodle's parse_text_with_format, on trimmed text."""
    text = text.strip()
    m = _FORMAT_RE.match(text)
    if m:
        return m[1].lower(), text[m.end():]
    return default, text


def _text(piece: str, default: str, ctx: _Ctx) -> str:
    """A piece of protected GIFT text as bank text: marker removed, markup converted, escapes restored."""
    fmt, body = _format_of(piece, default)
    conv = markup.to_text(body, fmt)
    for m in conv.media:
        src = m.split("'")[1] if m.count("'") >= 2 else ""
        ctx.note(f"{m.translate(_RESTORE)} dropped: a bank shows no images, audio or video (describe it in words)",
                 near=src or "<")
    return markup.tidy(conv.text.translate(_RESTORE))


def _split_feedback(piece: str) -> tuple[str, str]:
    answer, _, feedback = piece.partition("#")
    return answer, feedback


def _weight(piece: str, default: float) -> tuple[float, str]:
    """Moodle's answer weight ``%50%`` at the start of an answer (after ``=`` or ``~``), else ``default``."""
    piece = piece.strip()
    m = _WEIGHT_RE.match(piece)
    if m:
        return float(m[1]), piece[m.end():]
    return default, piece


# ---------------------------------------------------------------- question types


def _multichoice(body: str, fmt: str, ctx: _Ctx) -> dict[str, Any]:
    single = "=" in body
    pieces = body.replace("=", "~=").split("~")
    if pieces and not pieces[0].strip():
        pieces = pieces[1:]
    elif pieces:
        ctx.guess(f"text {_clip(pieces[0])!r} before the first ~ read as a wrong option, as Moodle does")
    choices: list[str] = []
    weights: list[float] = []
    feedback: dict[str, str] = {}
    for piece in pieces:
        piece = piece.strip()
        if piece.startswith("="):
            weight, piece = _weight(piece[1:], 100.0)
        else:
            weight, piece = _weight(piece, 0.0)
        answer, fb = _split_feedback(piece)
        text = _text(answer, fmt, ctx)
        if not text:
            # Moodle drops an empty option when it saves the question
            if weight > 0:
                raise GiftError("a right option (= or a positive %weight%) is empty")
            ctx.guess("an empty option was left out, as Moodle does")
            continue
        if len(choices) == len(LETTERS):
            raise GiftError(f"more than {len(LETTERS)} options: a bank question has at most {len(LETTERS)}")
        fb_text = _text(fb, fmt, ctx)
        if fb_text:
            feedback[LETTERS[len(choices)]] = fb_text
        choices.append(text)
        weights.append(weight)
    if len(choices) < 2:
        raise GiftError("a choice question needs at least two options")
    data: dict[str, Any] = {"choices": choices}
    if single:
        right = [i for i, w in enumerate(weights) if w >= 100]
        if not right:
            raise GiftError("no option is fully right (100%)")
        for i, w in enumerate(weights):
            if 0 < w < 100:
                ctx.note(f"partial credit for option {LETTERS[i]} {choices[i]!r} ({w:g}%) dropped: it counts as wrong",
                         near=choices[i])
            elif w < 0:
                ctx.note(f"negative mark for option {LETTERS[i]} {choices[i]!r} ({w:g}%) dropped: it scores 0",
                         near=choices[i])
        data.update(type="single", answer=LETTERS[right[0]])
        if len(right) > 1:
            data["also_correct"] = [LETTERS[i] for i in right[1:]]
    else:
        right = [i for i, w in enumerate(weights) if w > 0]
        if not right:
            raise GiftError("no option has a positive %weight%: nothing is right")
        data.update(type="multi", answer=[LETTERS[i] for i in right], scoring="partial")
        shares = sorted({round(weights[i], 1) for i in right})
        total = sum(weights[i] for i in right)
        if len(shares) > 1:
            ctx.note("unequal weights (" + ", ".join(f"{weights[i]:g}%" for i in right)
                     + ") become equal shares: partial credit counts the right options chosen")
        elif abs(total - 100) > 1:
            ctx.note(f"the right options' weights add up to {total:g}%, not 100%: here choosing all of them is full marks")
    if feedback:
        data["feedback"] = feedback
    return data


def _wildcards(text: str, ctx: _Ctx) -> str:
    """Moodle's short-answer wildcard ``*`` cannot be expressed: removed, and reported; ``\\*`` is a plain star."""
    kept, changed = markup.strip_wildcards(text)
    if changed:
        ctx.note(f"wildcard * in the answer {text!r} cannot be expressed; kept as {kept!r}", near=text.split("*")[0])
    return kept


def _shortanswer(body: str, fmt: str, ctx: _Ctx) -> dict[str, Any]:
    accepted: list[str] = []
    rejected: list[str] = []
    fb_accepted: dict[str, str] = {}
    feedback: dict[str, str] = {}
    for k, piece in enumerate(body.split("=")):
        if k == 0 and not piece.strip():
            continue
        weight, piece = _weight(piece, 100.0)
        answer, fb = _split_feedback(piece)
        text = _text(answer, fmt, ctx)
        fb_text = _text(fb, fmt, ctx)
        if text == "*":
            if weight > 0:
                raise GiftError("a catch-all * with a positive weight makes every answer right")
            if fb_text:
                feedback["wrong"] = fb_text  # Moodle's catch-all: the feedback for any other answer
            continue
        text = _wildcards(text, ctx)
        if not text:
            ctx.note("an empty answer was left out")
            continue
        if weight >= 100:
            accepted.append(text)
            if fb_text:
                fb_accepted[text] = fb_text
        elif weight <= 0:
            rejected.append(text)  # a known wrong answer (Moodle's way to give it feedback)
            if fb_text:
                feedback[text] = fb_text
        else:
            ctx.note(f"short answer {text!r} ({weight:g}%) dropped: partial credit cannot be expressed", near=text)
    if not accepted:
        raise GiftError("short-answer question has no full-credit (100%) answer")
    data: dict[str, Any] = {"type": "short", "answers": accepted}
    if rejected:
        data["reject"] = rejected
    if fb_accepted and len(fb_accepted) == len(accepted) and len(set(fb_accepted.values())) == 1:
        feedback["correct"] = next(iter(fb_accepted.values()))  # the same words for every right answer
    else:
        feedback.update(fb_accepted)
    if feedback:
        data["feedback"] = feedback
    return data


def _number(spec: str) -> Decimal:
    s = unicodedata.normalize("NFKC", spec).replace("\u2212", "-").strip()
    if not _NUM_RE.fullmatch(s):
        raise GiftError(f"numerical answer {spec!r} is not a number (Moodle would silently accept any answer)")
    try:
        return Decimal(s)
    except InvalidOperation as e:  # pragma: no cover - the pattern admits only numbers
        raise GiftError(f"numerical answer {spec!r} is not a number") from e


def _plain(d: Decimal) -> int | float:
    """A Decimal as the number a trainer writes: 15, 3.1415, -1 (never 3.1414999999999997)."""
    if d == d.to_integral_value():
        return int(d)
    return float(d)


def _numerical(body: str, fmt: str, ctx: _Ctx) -> dict[str, Any]:
    body = body[1:]  # the '#'
    wrong_fb = ""
    if "~" in body:
        body, _, rest = body.partition("~")
        wrong_fb = _text(_split_feedback(rest)[1], fmt, ctx)
    specs: list[tuple[float, str, str]] = []
    for k, piece in enumerate(body.split("=")):
        if k == 0 and not piece.strip():
            continue
        weight, piece = _weight(piece, 100.0)
        answer, fb = _split_feedback(piece)
        spec, fb_text = answer.translate(_RESTORE).strip(), _text(fb, fmt, ctx)
        if spec == "*" and weight <= 0:
            wrong_fb = wrong_fb or fb_text  # =%0%*#...: the catch-all, as ~#... is
            continue
        specs.append((weight, spec, fb_text))
    if not specs:
        raise GiftError("numerical question has no answer")
    full = [s for s in specs if s[0] >= 100]
    if not full:
        raise GiftError("numerical question has no full-credit (100%) answer")
    for w, spec, _ in specs:
        if 0 < w < 100:
            ctx.note(f"numerical answer {spec!r} ({w:g}%) dropped: partial credit cannot be expressed", near=spec)
        elif w <= 0:
            ctx.note(f"numerical answer {spec!r} ({w:g}%) and its feedback dropped: only the right number is kept",
                     near=spec)
    for _, spec, _ in full[1:]:
        ctx.note(f"numerical answer {spec!r} dropped: only one full-credit number can be kept", near=spec)
    _, spec, fb = full[0]
    if spec == "*":
        raise GiftError("numerical answer * makes every answer right")
    if spec.find("..") > 0:
        lo_s, _, hi_s = spec.partition("..")
        lo, hi = sorted((_number(lo_s), _number(hi_s)))
        value, tol = (lo + hi) / 2, (hi - lo) / 2
    elif spec.find(":") > 0:
        v_s, _, t_s = spec.partition(":")
        value, tol = _number(v_s), abs(_number(t_s))
    else:
        value, tol = _number(spec), Decimal(0)
    data: dict[str, Any] = {"type": "numeric", "answer": _plain(value)}
    if tol:
        data["tolerance"] = _plain(tol)
    feedback = {k: v for k, v in (("correct", fb), ("wrong", wrong_fb)) if v}
    if feedback:
        data["feedback"] = feedback
    return data


def _truefalse(body: str, fmt: str, ctx: _Ctx) -> dict[str, Any] | None:
    head = body.split("#", 1)[0].strip() if body.find("#") > 0 else body.strip()
    truth = _TF.get(head.translate(_RESTORE))
    if truth is None:
        truth = _TF.get(head.translate(_RESTORE).upper())
        if truth is None:
            return None
        ctx.guess(f"{{{head}}} read as 判断 ({'true' if truth else 'false'}); Moodle reads only upper-case "
                  f"T/TRUE/F/FALSE so, and would make it a short answer {head!r}")
    bits = body.split("#", 2)
    wrong_fb = _text(bits[1], fmt, ctx) if len(bits) > 1 else ""
    right_fb = _text(bits[2], fmt, ctx) if len(bits) > 2 else ""
    # Moodle: the first feedback is for the wrong answer, the second for the right one
    by_value = {str(truth).lower(): right_fb, str(not truth).lower(): wrong_fb}
    data: dict[str, Any] = {"type": "judge", "answer": truth}
    feedback = {k: v for k, v in by_value.items() if v}
    if feedback:
        data["feedback"] = feedback
    return data


def _answer_block(body: str, fmt: str, ctx: _Ctx, general: str) -> dict[str, Any]:
    """The question's type and answer fields from the text between ``{`` and ``}``."""
    if not body:
        if not general:
            raise GiftError("essay question ({}) has no key points to grade by; not imported "
                            "(write it as 情景 with key points)")
        points = paragraph_keypoints(general)
        if not points:
            raise GiftError("essay question ({}) has no key points to grade by; not imported")
        ctx.guess(f"essay ({{}}) made a 情景 with {len(points)} key point(s) from its general feedback, "
                  "which is kept as the sample answer: check the key points")
        return {"type": "scenario", "keypoints": points, "sample_answer": general}
    if body.startswith("#"):
        return _numerical(body, fmt, ctx)
    if "~" in body:
        return _multichoice(body, fmt, ctx)
    if "=" in body and "->" in body:
        pairs = [p for p in body.split("=") if p.strip()]
        if not any("->" in p.split("#", 1)[0] for p in pairs):
            # the arrow is only in a feedback: a short answer (Moodle would take it for matching and refuse it)
            ctx.guess("read as a short answer: the -> is in a feedback (Moodle would take it for a matching question "
                      "and refuse it)")
            return _shortanswer(body, fmt, ctx)
        if all("->" in p.split("#", 1)[0] for p in pairs):
            if len(pairs) >= 2:
                raise GiftError("matching question (=a -> b pairs) has no type here; not imported")
            raise GiftError("one =a -> b pair: Moodle reads it as a matching question and refuses it (a matching "
                            "question needs two pairs); for an arrow in a short answer write [html] and -&gt;")
        raise GiftError("Moodle reads = with -> as a matching question, but not every answer is a pair a -> b "
                        "(for an arrow in a short answer write [html] and -&gt;)")
    tf = _truefalse(body, fmt, ctx)
    if tf is not None:
        return tf
    return _shortanswer(body, fmt, ctx)


def parse_question(block: _Block) -> Draft:
    ctx = _Ctx(block)
    text = "\n".join(block.lines).strip()
    title: str | None = None
    if text.startswith("::"):
        end = text.find("::", 2)
        if end >= 0:
            title = text[2:end].translate(_RESTORE).strip() or None
            text = text[end + 2:].strip()
        else:
            text = text[2:].strip()
    fmt, _ = _format_of(text, "moodle")
    open_at, close_at = text.find("{"), text.find("}")
    if open_at < 0 and close_at < 0:
        raise GiftError("no answer block { }: a description, not a question; not imported")
    if open_at < 0:
        raise GiftError("a } without an opening {")
    if close_at < 0:
        raise GiftError("the answer block { has no closing }")
    if close_at < open_at:
        raise GiftError("a } before the answer block's {")
    before, inside, after = text[:open_at], text[open_at + 1:close_at], text[close_at + 1:]
    if "{" in inside:
        raise GiftError("a { inside the answer block (nested blocks are not GIFT; write \\{ for a literal brace)")
    if "{" in after or "}" in after:
        raise GiftError("more than one answer block (embedded answers / cloze) has no type here; not imported")
    inside = inside.strip()
    general = ""
    if "####" in inside:
        cut = inside.rfind("####")
        inside, general = inside[:cut].strip(), _text(inside[cut + 4:], fmt, ctx)
    # the question text as Moodle builds it: the block removed, or _____ where text follows it
    question = before + ("_____" + after if after.strip() else "")
    data = _answer_block(inside, fmt, ctx, general)
    prompt = _text(question, "moodle", ctx)
    if not prompt:
        raise GiftError("the question has no text")
    out: dict[str, Any] = {"type": data.pop("type"), "prompt": prompt, **data}
    if general and out["type"] != "scenario":
        explanation, source = markup.split_source(general)
        if explanation:
            out["explanation"] = explanation
        if source:
            out["source"] = source
    if block.topic:
        out["topic"] = block.topic
    if block.meta_tags:
        out["tags"] = list(dict.fromkeys(block.meta_tags))
    explicit = block.meta_id is not None
    return Draft(line=block.line, data=out, id_hint=block.meta_id if explicit else title, explicit_id=explicit,
                 notes=list(ctx.notes), guesses=list(ctx.guesses))


def _clip(text: str, n: int = 30) -> str:
    text = text.translate(_RESTORE).strip()
    return text if len(text) <= n else text[: n - 1] + "…"


def parse_gift(text: str, label: str) -> ReadResult:
    """Drafts from GIFT text, with an issue for every question that cannot come in."""
    out = ReadResult()
    text = text.lstrip("\ufeff")
    head = _EXPORT_HEAD.match(text.split("\n", 1)[0].rstrip("\r"))
    if head:
        out.bank_id, out.title = head[1], head[2]
    blocks = _split_blocks(text, out.title)
    for b in blocks:
        try:
            out.drafts.append(parse_question(b))
        except GiftError as e:
            out.issues.append(ImportIssue(label, b.line, f"skipped: {e}"))
    out.found = len(blocks)
    return out


def read_gift(path: Path, label: str) -> ReadResult:
    from quiz.trainer.spreadsheet import decode_text

    try:
        data = path.read_bytes()
    except OSError as e:
        raise UserError(f"{path}: cannot read: {e.strerror or e}") from e
    return parse_gift(decode_text(data, path), label)
