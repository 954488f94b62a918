"""Moodle XML (``<quiz><question type=...>``), both ways: the format Moodle and many LMSs exchange.

Reading (``quiz import bank.xml``), as ``question/format/xml/format.php`` reads it:

- ``category`` questions set the topic of the questions after them (the last part of
  the path); a category with an ``idnumber`` names the bank (``quiz export`` writes one);
- ``multichoice`` with ``<single>true`` is 单选 (every 100% answer fully right), else
  多选 with the positive-fraction answers right and partial credit; per-answer
  feedback is kept per choice and the combined correct/partially/incorrect feedback
  per verdict;
- ``truefalse`` is 判断, ``shortanswer`` 填空 (0% answers are known wrong ones, ``*``
  the feedback for any other answer), ``numerical`` 数值 (tolerance, units with
  multiplier 1), ``essay`` 情景 with the grader information as the sample answer
  and its sentences as key points (listed for review);
- ``idnumber`` is the question's id, ``name`` makes one when it is empty;
  ``generalfeedback`` is the explanation (a last paragraph ``来源：...`` its source);
  ``tags`` are tags. Images and files are reported by line, as is every type with no
  equivalent here (matching, cloze, calculated, drag and drop ...).

Writing (``quiz export --format moodle-xml``): :func:`export_moodle_xml` gives the
file's text and the list of what it could not express, by field and question.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element
from xml.parsers import expat

from quiz.errors import UserError
from quiz.model import (
    LETTERS,
    AnyQuestion,
    Bank,
    JudgeQuestion,
    MultiQuestion,
    NumericQuestion,
    ScenarioQuestion,
    ShortQuestion,
    SingleQuestion,
)
from quiz.trainer import markup
from quiz.trainer.importers import Draft, ImportIssue, ReadResult, paragraph_keypoints

MAX_XML_BYTES = 256 << 20  # a question file larger than this is not a question file

_FORMATS = {"html": "html", "moodle_auto_format": "moodle", "plain_text": "plain", "markdown": "markdown",
            "wiki_like": "plain"}


class _Skip(Exception):
    """A question that cannot come in; the message is the reason."""


# ---------------------------------------------------------------- parsing


class _Tree:
    """Elements with the line each starts on, built on expat so that no entity can be declared."""

    def __init__(self) -> None:
        self.lines: dict[int, int] = {}
        self.root: Element | None = None
        self._stack: list[Element] = []
        self._text: list[list[str]] = []

    def parse(self, data: bytes, path: Path) -> Element:
        p = expat.ParserCreate()
        p.buffer_text = True

        def start(tag: str, attrs: dict[str, str]) -> None:
            e = Element(tag, attrs)
            self.lines[id(e)] = p.CurrentLineNumber
            if self._stack:
                self._stack[-1].append(e)
            else:
                self.root = e
            self._stack.append(e)
            self._text.append([])

        def end(tag: str) -> None:
            e = self._stack.pop()
            e.text = "".join(self._text.pop())

        def chars(data: str) -> None:
            if self._text:
                self._text[-1].append(data)

        def entity(*_: object) -> None:
            raise UserError(f"{path}: the XML declares entities (<!ENTITY>): refused, a question file has none")

        p.StartElementHandler = start
        p.EndElementHandler = end
        p.CharacterDataHandler = chars
        p.EntityDeclHandler = entity
        try:
            p.Parse(data, True)
        except expat.ExpatError as e:
            raise UserError(f"{path}:{e.lineno}:{e.offset + 1}: not well-formed XML: "
                            f"{expat.ErrorString(e.code)}") from e
        except (LookupError, ValueError) as e:  # an encoding Python does not know, a NUL in a name ...
            raise UserError(f"{path}: not readable XML ({e})") from e
        if self.root is None:  # pragma: no cover - expat refuses a document without an element
            raise UserError(f"{path}: no XML element")
        return self.root

    def line(self, e: Element) -> int:
        return self.lines.get(id(e), 0)


def _child_text(e: Element | None, *path: str) -> str:
    for tag in path:
        if e is None:
            return ""
        e = e.find(tag)
    return (e.text or "").strip() if e is not None else ""


@dataclass
class _Ctx:
    tree: _Tree
    question: Element
    notes: list[tuple[int, str]] = field(default_factory=list)
    guesses: list[tuple[int, str]] = field(default_factory=list)

    def note(self, message: str, at: Element | None = None) -> None:
        self.notes.append((self.tree.line(at if at is not None else self.question), message))

    def guess(self, message: str, at: Element | None = None) -> None:
        self.guesses.append((self.tree.line(at if at is not None else self.question), message))

    def text(self, e: Element | None, default_fmt: str = "html") -> str:
        """The text of a Moodle text field (``<x format=..><text>..</text><file/></x>``) as bank text."""
        if e is None:
            return ""
        fmt = _FORMATS.get(e.get("format", ""), default_fmt)
        conv = markup.to_text(_child_text(e, "text"), fmt)
        for m in conv.media:
            self.note(f"{m} dropped: a bank shows no images, audio or video (describe it in words)", e)
        for f in e.findall("file"):
            self.note(f"file {f.get('name', '')!r} dropped: a bank holds no files", f)
        return conv.text


def _fraction(a: Element) -> float:
    raw = a.get("fraction", "0")
    try:
        return float(raw)
    except ValueError as e:
        raise _Skip(f"answer fraction {raw!r} is not a number") from e


def _feedback_text(ctx: _Ctx, a: Element) -> str:
    return ctx.text(a.find("feedback"))


def _combined(ctx: _Ctx, q: Element) -> dict[str, str]:
    out = {}
    for tag, key in (("correctfeedback", "correct"), ("partiallycorrectfeedback", "partial"),
                     ("incorrectfeedback", "wrong")):
        text = ctx.text(q.find(tag))
        if text:
            out[key] = text
    return out


def _multichoice(ctx: _Ctx, q: Element) -> dict[str, Any]:
    single = _child_text(q, "single").lower() not in ("false", "0")
    choices: list[str] = []
    fractions: list[float] = []
    elements: list[Element] = []
    feedback: dict[str, str] = {}
    for a in q.findall("answer"):
        text = ctx.text(a)
        fraction = _fraction(a)
        if not text:
            if fraction > 0:
                raise _Skip("a right answer is empty")
            ctx.guess("an empty answer was left out, as Moodle does", a)
            continue
        if len(choices) == len(LETTERS):
            raise _Skip(f"more than {len(LETTERS)} answers: a bank question has at most {len(LETTERS)}")
        fb = _feedback_text(ctx, a)
        if fb:
            feedback[LETTERS[len(choices)]] = fb
        choices.append(text)
        fractions.append(fraction)
        elements.append(a)
    if len(choices) < 2:
        raise _Skip("a choice question needs at least two answers")
    data: dict[str, Any] = {"choices": choices}
    if single:
        right = [i for i, f in enumerate(fractions) if f >= 99.999]
        if not right:
            raise _Skip("no answer is fully right (fraction 100)")
        for i, f in enumerate(fractions):
            if 0 < f < 99.999:
                ctx.note(f"partial credit for answer {LETTERS[i]} {choices[i]!r} ({f:g}%) dropped: it counts as wrong",
                         elements[i])
            elif f < 0:
                ctx.note(f"negative mark for answer {LETTERS[i]} {choices[i]!r} ({f:g}%) dropped: it scores 0",
                         elements[i])
        data.update(type="single", answer=LETTERS[right[0]])
        if len(right) > 1:
            data["also_correct"] = [LETTERS[i] for i in right[1:]]
    else:
        right = [i for i, f in enumerate(fractions) if f > 0]
        if not right:
            raise _Skip("no answer has a positive fraction: nothing is right")
        data.update(type="multi", answer=[LETTERS[i] for i in right], scoring="partial")
        total = sum(fractions[i] for i in right)
        if max(fractions[i] for i in right) - min(fractions[i] for i in right) > 0.01:
            ctx.note("unequal fractions (" + ", ".join(f"{fractions[i]:g}%" for i in right)
                     + ") become equal shares: partial credit counts the right answers chosen")
        elif abs(total - 100) > 1:
            ctx.note(f"the right answers' fractions add up to {total:g}%, not 100%: here choosing all of them is full marks")
    feedback.update(_combined(ctx, q))
    if feedback:
        data["feedback"] = feedback
    return data


def _truefalse(ctx: _Ctx, q: Element) -> dict[str, Any]:
    truth: bool | None = None
    feedback: dict[str, str] = {}
    for k, a in enumerate(q.findall("answer")):
        text = _child_text(a, "text").lower()
        if text not in ("true", "false"):
            text = "true" if k == 0 else "false"  # old files: true first, then false (Moodle does the same)
        value = text == "true"
        if _fraction(a) >= 99.999:
            truth = value
        fb = _feedback_text(ctx, a)
        if fb:
            feedback[text] = fb
    if truth is None:
        raise _Skip("neither true nor false has fraction 100")
    data: dict[str, Any] = {"type": "judge", "answer": truth}
    if feedback:
        data["feedback"] = feedback
    return data


def _shortanswer(ctx: _Ctx, q: Element) -> dict[str, Any]:
    if _child_text(q, "usecase") == "1":
        ctx.guess("case-sensitive matching (usecase) is not kept: answers here are compared ignoring case")
    accepted: list[str] = []
    rejected: list[str] = []
    fb_accepted: dict[str, str] = {}
    feedback: dict[str, str] = {}
    for a in q.findall("answer"):
        raw = _child_text(a, "text")
        fraction = _fraction(a)
        fb = _feedback_text(ctx, a)
        if raw == "*":
            if fraction > 0:
                raise _Skip("a catch-all * with a positive fraction makes every answer right")
            if fb:
                feedback["wrong"] = fb
            continue
        text, changed = markup.strip_wildcards(raw)
        if changed:
            ctx.note(f"wildcard * in the answer {raw!r} cannot be expressed; kept as {text!r}", a)
        if not text:
            continue
        if fraction >= 99.999:
            accepted.append(text)
            if fb:
                fb_accepted[text] = fb
        elif fraction <= 0:
            rejected.append(text)
            if fb:
                feedback[text] = fb
        else:
            ctx.note(f"short answer {text!r} ({fraction:g}%) dropped: partial credit cannot be expressed", a)
    if not accepted:
        raise _Skip("short-answer question has no full-credit (100%) answer")
    data: dict[str, Any] = {"type": "short", "answers": accepted}
    if rejected:
        data["reject"] = rejected
    if fb_accepted and len(fb_accepted) == len(accepted) and len(set(fb_accepted.values())) == 1:
        feedback["correct"] = next(iter(fb_accepted.values()))
    else:
        feedback.update(fb_accepted)
    if feedback:
        data["feedback"] = feedback
    return data


def _number(raw: str, what: str) -> float:
    try:
        v = float(raw.strip().replace("\u2212", "-"))
    except ValueError as e:
        raise _Skip(f"{what} {raw!r} is not a number") from e
    if v != v or v in (float("inf"), float("-inf")):
        raise _Skip(f"{what} {raw!r} is not a finite number")
    return v


def _plain(v: float) -> int | float:
    return int(v) if v.is_integer() else v


def _numerical(ctx: _Ctx, q: Element) -> dict[str, Any]:
    full: list[tuple[float, float, str, Element]] = []
    feedback: dict[str, str] = {}
    for a in q.findall("answer"):
        raw = _child_text(a, "text") or (a.text or "").strip()  # an answer outside <text> is Moodle's old form
        fraction = _fraction(a)
        fb = _feedback_text(ctx, a)
        if raw in ("*", ""):
            if fraction > 0:
                raise _Skip("a catch-all * with a positive fraction makes every answer right")
            if fb:
                feedback["wrong"] = fb
            continue
        if fraction >= 99.999:
            full.append((_number(raw, "answer"), abs(_number(_child_text(a, "tolerance") or "0", "tolerance")), fb, a))
        elif fraction > 0:
            ctx.note(f"numerical answer {raw!r} ({fraction:g}%) dropped: partial credit cannot be expressed", a)
        else:
            ctx.note(f"numerical answer {raw!r} (0%) and its feedback dropped: only the right number is kept", a)
    if not full:
        raise _Skip("numerical question has no full-credit (100%) answer")
    for value, _, _, a in full[1:]:
        ctx.note(f"numerical answer {_plain(value)!r} dropped: only one full-credit number can be kept", a)
    value, tol, fb, _ = full[0]
    data: dict[str, Any] = {"type": "numeric", "answer": _plain(value)}
    if tol:
        data["tolerance"] = _plain(tol)
    if fb:
        feedback["correct"] = fb
    units: list[str] = []
    for u in q.findall("units/unit"):
        name = _child_text(u, "unit_name")
        multiplier = _child_text(u, "multiplier") or "1"
        try:
            same = float(multiplier) == 1
        except ValueError:
            same = False
        if not name:
            continue
        if same:
            units.append(name)
        else:
            ctx.note(f"unit {name!r} (×{multiplier}) dropped: only units that mean the same number are kept", u)
    if units:
        data["unit"] = units[0]
        if len(units) > 1:
            data["units"] = units
    if feedback:
        data["feedback"] = feedback
    return data


def _essay(ctx: _Ctx, q: Element) -> dict[str, Any]:
    info = ctx.text(q.find("graderinfo"))
    if not info:
        raise _Skip("essay question has no grader information to take key points from; not imported "
                    "(write it as 情景 with key points)")
    points = paragraph_keypoints(info)
    if not points:
        raise _Skip("essay question's grader information holds no sentence to make a key point of")
    ctx.guess(f"essay made a 情景 with {len(points)} key point(s) from its grader information, which is kept "
              "as the sample answer: check the key points")
    return {"type": "scenario", "keypoints": points, "sample_answer": info}


_READERS: dict[str, Callable[[_Ctx, Element], dict[str, Any]]] = {
    "multichoice": _multichoice, "truefalse": _truefalse, "shortanswer": _shortanswer, "numerical": _numerical,
    "essay": _essay,
}
_NO_TYPE = {"matching": "matching", "match": "matching", "cloze": "embedded answers (cloze)",
            "multianswer": "embedded answers (cloze)", "calculated": "calculated", "calculatedsimple": "calculated",
            "calculatedmulti": "calculated multichoice", "ddwtos": "drag and drop into text",
            "ddimageortext": "drag and drop onto image", "ddmarker": "drag and drop markers",
            "gapselect": "select missing words", "randomsamatch": "random short-answer matching",
            "ordering": "ordering"}


def _category(path: str) -> list[str]:
    """A category path's parts, without Moodle's ``$course$``/``top`` roots (``//`` is a ``/`` in a name)."""
    parts = [p.replace("\0", "/").strip() for p in path.replace("//", "\0").split("/")]
    return [p for p in parts if p and not p.startswith("$") and p != "top"]


def parse_moodle_xml(data: bytes, path: Path, label: str) -> ReadResult:
    tree = _Tree()
    root = tree.parse(data, path)
    if root.tag != "quiz":
        raise UserError(f"{path}: not a Moodle XML question file (its root element is <{root.tag}>, not <quiz>)")
    out = ReadResult()
    bank_path: list[str] | None = None
    topic: str | None = None
    for q in root.findall("question"):
        qtype = q.get("type", "")
        line = tree.line(q)
        if qtype == "category":
            parts = _category(_child_text(q, "category", "text") or _child_text(q, "category"))
            idnumber = _child_text(q, "idnumber")
            if bank_path is None and idnumber and parts:
                bank_path, out.bank_id, out.title = parts, idnumber, parts[-1]
                info = _Ctx(tree, q).text(q.find("info"))
                out.description = info or None
            inner = parts[len(bank_path):] if bank_path is not None and parts[: len(bank_path)] == bank_path else parts
            topic = inner[-1] if inner else None
            continue
        out.found += 1
        ctx = _Ctx(tree, q)
        try:
            reader = _READERS.get(qtype)
            if reader is None:
                if qtype == "description":
                    raise _Skip("a description, not a question; not imported")
                raise _Skip(f"a {_NO_TYPE.get(qtype, repr(qtype))} question has no type here; not imported")
            data_ = reader(ctx, q)
            prompt = ctx.text(q.find("questiontext"))
            if not prompt:
                raise _Skip("the question has no text")
        except _Skip as e:
            out.issues.append(ImportIssue(label, line, f"skipped: {e}"))
            continue
        fields: dict[str, Any] = {"type": data_.pop("type"), "prompt": prompt, **data_}
        explanation, source = markup.split_source(ctx.text(q.find("generalfeedback")))
        if explanation:
            fields["explanation"] = explanation
        if source:
            fields["source"] = source
        if topic:
            fields["topic"] = topic
        tags = [t for t in (_child_text(tag, "text") for tag in q.findall("tags/tag")) if t]
        if tags:
            fields["tags"] = list(dict.fromkeys(tags))
        idnumber = _child_text(q, "idnumber")
        name = _child_text(q, "name", "text")
        out.drafts.append(Draft(line=line, data=fields, id_hint=idnumber or name or None, explicit_id=bool(idnumber),
                                notes=list(ctx.notes), guesses=list(ctx.guesses)))
    return out


def read_moodle_xml(path: Path, label: str) -> ReadResult:
    try:
        size = path.stat().st_size
        if size > MAX_XML_BYTES:
            raise UserError(f"{path}: {size >> 20} MB is more than a question file holds ({MAX_XML_BYTES >> 20} MB); refused")
        data = path.read_bytes()
    except OSError as e:
        raise UserError(f"{path}: cannot read: {e.strerror or e}") from e
    return parse_moodle_xml(data, path, label)


# ---------------------------------------------------------------- writing


@dataclass
class Export:
    """An exported file's text, and what it could not express.

    ``lost`` says it for a person (what -> ids of the questions); ``fields`` for a program
    (question id -> the bank fields that will not come back the same from the file).
    """

    text: str
    questions: int
    lost: dict[str, list[str]] = field(default_factory=dict)
    fields: dict[str, set[str]] = field(default_factory=dict)

    def lose(self, what: str, qid: str, *fields: str) -> None:
        self.lost.setdefault(what, []).append(qid)
        self.fields.setdefault(qid, set()).update(fields)


def _cdata(text: str) -> str:
    if not text:
        return ""
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def _xml_text(text: str) -> str:
    """Characters an XML 1.0 document cannot hold at all are left out (a bank should have none)."""
    return "".join(c for c in text if c in "\t\n\r" or " " <= c <= "\ud7ff" or "\ue000" <= c <= "\ufffd"
                   or c >= "\U00010000")


def _field(tag: str, text: str, indent: str = "    ") -> str:
    """A Moodle text field in HTML (escaped, line breaks kept): every LMS that reads Moodle XML shows it as written."""
    return f'{indent}<{tag} format="html">\n{indent}  <text>{_cdata(markup.to_html(_xml_text(text)))}</text>\n{indent}</{tag}>\n'


def _plain_text(tag: str, text: str, indent: str) -> str:
    return f"{indent}<{tag}>{_cdata(_xml_text(text))}</{tag}>\n"


def _answer(fraction: str, text: str, feedback: str, *, html: bool = True, extra: str = "") -> str:
    body = (f'      <text>{_cdata(markup.to_html(_xml_text(text)) if html else _xml_text(text))}</text>\n'
            + _field("feedback", feedback, "      ") + extra)
    fmt = ' format="html"' if html else ""
    return f'    <answer fraction="{fraction}"{fmt}>\n{body}    </answer>\n'


def share(k: int) -> str:
    """Each of k right answers' fraction, as Moodle's grade list writes it (100, 50, 33.33333 ...)."""
    return f"{100 / k:.5f}".rstrip("0").rstrip(".")


def _num(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else repr(v)


def _common_lost(q: AnyQuestion, out: Export) -> None:
    for name in ("difficulty", "as_of", "family"):
        if getattr(q, name) is not None:
            out.lose(name, q.id, name)
    if q.examples:
        out.lose("examples", q.id, "examples")
    if q.retired:
        out.lose("retired (exported as an ordinary question)", q.id, "retired")
    if isinstance(q, ShortQuestion):
        extra = [f for f in ("keypoints", "forbidden", "voice") if getattr(q, f)]
        if q.ordered:
            extra.append("ordered")
        if q.pass_ != 1.0:
            extra.append("pass")
        if extra:
            out.lose("key points of a 填空 (" + ", ".join(extra) + ")", q.id, *extra)
        if q.threshold is not None:
            out.lose("threshold", q.id, "threshold")


def _judge_feedback(q: JudgeQuestion, fb: dict[str, str], out: Export) -> tuple[str, str]:
    """The feedback on the right and on the wrong answer of a 判断 (an LMS has one per answer)."""
    right, wrong = ("true", "false") if q.answer else ("false", "true")
    if "correct" in fb or "wrong" in fb:
        out.lose("feedback correct/wrong of a 判断 (kept, on its true/false answer)", q.id, "feedback")
    right_fb = "\n\n".join(x for x in (fb.pop(right, ""), fb.pop("correct", "")) if x)
    wrong_fb = "\n\n".join(x for x in (fb.pop(wrong, ""), fb.pop("wrong", "")) if x)
    return right_fb, wrong_fb


def _scenario_lost(q: ScenarioQuestion, out: Export, *more: str) -> None:
    out.lose("情景 key points and forbidden actions (an essay, graded by hand, with the "
             + ("sample answer" if q.sample_answer else "key points") + " for the grader)", q.id,
             "keypoints", "forbidden", "ordered", "pass", "voice", *more)


def _question_xml(q: AnyQuestion, out: Export) -> str:
    fb = dict(q.feedback)
    head = (f"    <name>\n      <text>{_cdata(q.id)}</text>\n    </name>\n" + _field("questiontext", q.prompt)
            + _field("generalfeedback", markup.join_source(q.explanation, q.source))
            + "    <defaultgrade>1</defaultgrade>\n    <penalty>0.3333333</penalty>\n    <hidden>0</hidden>\n"
            + f"    <idnumber>{_cdata(q.id)}</idnumber>\n")
    body = ""
    _common_lost(q, out)
    if isinstance(q, SingleQuestion | MultiQuestion):
        right = q.right_indexes if isinstance(q, SingleQuestion) else q.answer_indexes
        single = isinstance(q, SingleQuestion)
        qtype = "multichoice"
        body += (f"    <single>{'true' if single else 'false'}</single>\n    <shuffleanswers>true</shuffleanswers>\n"
                 "    <answernumbering>ABCD</answernumbering>\n")
        body += _field("correctfeedback", fb.pop("correct", ""))
        body += _field("partiallycorrectfeedback", fb.pop("partial", ""))
        body += _field("incorrectfeedback", fb.pop("wrong", ""))
        for i, c in enumerate(q.choices):
            if single:
                fraction = "100" if i in right else "0"
            else:
                fraction = share(len(right)) if i in right else "-100"
            body += _answer(fraction, c, fb.pop(LETTERS[i], ""))
        if isinstance(q, MultiQuestion) and q.scoring == "all":
            out.lose("scoring: all (Moodle gives partial credit for some right answers)", q.id, "scoring")
    elif isinstance(q, JudgeQuestion):
        qtype = "truefalse"
        right_fb, wrong_fb = _judge_feedback(q, fb, out)
        yes, no = ("true", "false") if q.answer else ("false", "true")
        body += _answer("100", yes, right_fb, html=False) + _answer("0", no, wrong_fb, html=False)
    elif isinstance(q, ShortQuestion):
        qtype = "shortanswer"
        body += "    <usecase>0</usecase>\n"
        correct = fb.pop("correct", "")
        if correct and any(a in fb for a in q.answers):
            out.lose("feedback correct beside feedback on one accepted answer", q.id, "feedback")
        for a in q.answers:
            body += _answer("100", _escape_wildcard(a), fb.pop(a, "") or correct, html=False)
        for r in q.reject:
            body += _answer("0", _escape_wildcard(r), fb.pop(r, ""), html=False)
        wrong = fb.pop("wrong", "")
        if wrong:
            body += _answer("0", "*", wrong, html=False)  # Moodle's catch-all, last: answers match in order
    elif isinstance(q, NumericQuestion):
        qtype = "numerical"
        body += _answer("100", _num(q.answer), fb.pop("correct", ""), html=False,
                        extra=f"      <tolerance>{_num(q.tolerance)}</tolerance>\n")
        wrong = fb.pop("wrong", "")
        if wrong:
            body += _answer("0", "*", wrong, html=False, extra="      <tolerance>0</tolerance>\n")
        units = list(dict.fromkeys([u for u in (q.unit, *q.units) if u]))
        if units:
            body += "    <units>\n" + "".join(
                f"      <unit>\n        <multiplier>1</multiplier>\n        <unit_name>{_cdata(_xml_text(u))}</unit_name>\n"
                "      </unit>\n" for u in units) + "    </units>\n"
            body += "    <unitgradingtype>0</unitgradingtype>\n    <unitpenalty>0.1</unitpenalty>\n"
            body += "    <showunits>0</showunits>\n    <unitsleft>0</unitsleft>\n"
    else:
        assert isinstance(q, ScenarioQuestion)
        qtype = "essay"
        info = q.sample_answer or "\n".join(f"{k.point}：{' / '.join(k.any)}" for k in q.keypoints)
        body += ("    <responseformat>editor</responseformat>\n    <responserequired>1</responserequired>\n"
                 "    <responsefieldlines>10</responsefieldlines>\n    <attachments>0</attachments>\n"
                 "    <attachmentsrequired>0</attachmentsrequired>\n")
        body += _field("graderinfo", info) + _field("responsetemplate", "")
        _scenario_lost(q, out, *([] if q.sample_answer else ["sample_answer"]))
    if fb:
        out.lose("feedback " + ", ".join(sorted(fb)), q.id, "feedback")
    if q.tags:
        body += "    <tags>\n" + "".join(f"      <tag><text>{_cdata(_xml_text(t))}</text></tag>\n" for t in q.tags)
        body += "    </tags>\n"
    return f'  <question type="{qtype}">\n{head}{body}  </question>\n'


def _escape_wildcard(text: str) -> str:
    return text.replace("*", "\\*")  # a bank's star is a star, not Moodle's wildcard


def _category_xml(parts: list[str], idnumber: str = "", info: str = "") -> str:
    path = "/".join(["$course$", "top", *(p.replace("/", "//") for p in parts)])
    return ('  <question type="category">\n    <category>\n'
            f"      <text>{_cdata(_xml_text(path))}</text>\n    </category>\n" + _field("info", info)
            + (f"    <idnumber>{_cdata(idnumber)}</idnumber>\n" if idnumber else "") + "  </question>\n")


def export_moodle_xml(bank: Bank) -> Export:
    """The bank as a Moodle XML file: a category for the bank (its idnumber the bank id), one below it per topic."""
    out = Export("", len(bank.questions))
    parts = ['<?xml version="1.0" encoding="UTF-8"?>\n<quiz>\n',
             f"<!-- bank {bank.bank.replace('--', '- -')}: exported by `quiz export` -->\n",
             _category_xml([bank.title], bank.bank, bank.description or "")]
    if bank.tags:
        out.lose("bank tags (added to every question's tags)", bank.bank)
    topic: str | None = None
    for q in bank.questions:  # in the bank's order: a category each time the topic changes
        if q.topic != topic:
            parts.append(_category_xml([bank.title, q.topic] if q.topic else [bank.title]))
            topic = q.topic
        if bank.tags:
            q = q.model_copy(update={"tags": list(dict.fromkeys([*q.tags, *bank.tags]))})
        parts.append(_question_xml(q, out))
    parts.append("</quiz>\n")
    out.text = "".join(parts)
    return out
