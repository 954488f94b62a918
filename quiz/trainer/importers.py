"""Bring a trainer's questions in: spreadsheets (.xlsx, .csv), Moodle GIFT and Moodle XML files become a bank.

The readers (:mod:`quiz.trainer.spreadsheet`, :mod:`quiz.trainer.gift`,
:mod:`quiz.trainer.moodle_xml`) turn a file into a :class:`ReadResult`: :class:`Draft`
questions plus :class:`ImportIssue` reports; :func:`build_bank` settles the ids,
strips control characters, validates every question with the bank model and keeps
only the ones that validate, so the bank written always loads.

Two kinds of report, each ``FILE:ROW: message`` (the row number as the spreadsheet
shows it, or the line of a GIFT or XML file):

- an **issue**: a row or question that could not be used, or data dropped from one;
- a **notice**: how the importer read something a person should glance at (a guess
  such as a model paragraph turned into key points, a hidden sheet skipped, control
  characters removed). Notices are listed in a summary; they are not errors.

``quiz import`` exits 0 when everything came in (notices or not), 1 when an issue was
reported (the usable questions are still written), 2 on a user error (missing file, ...).
"""

from __future__ import annotations

import argparse
import functools
import os
import re
import sys
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import TypeAdapter, ValidationError

from quiz.context import Context
from quiz.errors import UserError
from quiz.fileio import check_output, write_atomic
from quiz.model import ID_PATTERN, AnyQuestion, Bank, Question
from quiz.text import UNSAFE_RE, plural, printable

SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".csv", ".tsv")
GIFT_SUFFIXES = (".gift", ".txt")
XML_SUFFIXES = (".xml",)

_ID_RE = re.compile(ID_PATTERN)
_QUESTION_ADAPTER: TypeAdapter[AnyQuestion] = TypeAdapter(Question)

# The order in which a question's fields are written: what a trainer reads first comes first.
_FIELD_ORDER = (
    "id", "type", "prompt", "choices", "answer", "also_correct", "answers", "reject", "scoring", "unit", "units",
    "tolerance", "threshold", "keypoints", "forbidden", "ordered", "pass", "sample_answer",
    "feedback", "topic", "tags", "difficulty", "explanation", "source",
)


@dataclass(frozen=True)
class ImportIssue:
    """A row or question that could not be used, data dropped from one, or (as a notice) a reading to check.

    ``line`` 0 means the whole file or sheet.
    """

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        text = f"{self.path}:{self.line}: {self.message}" if self.line else f"{self.path}: {self.message}"
        return printable(text, one_line=True)


Note = str | tuple[int, str]  # a message about the draft's own line, or (line, message)


@dataclass
class Draft:
    """One question as read from a file, before its id is settled and it is validated.

    ``data`` holds the question's fields without ``id``. ``id_hint`` is the id the
    trainer wrote (spreadsheet 编号, ``explicit_id``) or a name to make one from (a
    GIFT ``::title::``); without it the id is made from the prompt. ``notes`` are
    issues about data dropped from a question that is still imported; ``guesses``
    are notices about how it was read. Either is a message about the draft's line,
    or a ``(line, message)`` pair for another line.
    """

    line: int
    data: dict[str, Any]
    id_hint: str | None = None
    explicit_id: bool = False
    notes: list[Note] = field(default_factory=list)
    guesses: list[Note] = field(default_factory=list)


@dataclass
class ReadResult:
    """What a reader found in a file: drafts, issues, notices, and what the file says of its bank."""

    drafts: list[Draft] = field(default_factory=list)
    issues: list[ImportIssue] = field(default_factory=list)
    found: int = 0
    notices: list[ImportIssue] = field(default_factory=list)
    bank_id: str | None = None  # e.g. a Moodle category's idnumber
    title: str | None = None  # e.g. a Moodle category's name
    description: str | None = None  # e.g. a Moodle category's info


@dataclass
class ImportResult:
    """What came out of one file: the bank (``None`` when no question was usable), every issue and notice."""

    source: Path
    bank_id: str
    title: str
    found: int
    questions: list[AnyQuestion] = field(default_factory=list)
    issues: list[ImportIssue] = field(default_factory=list)
    notices: list[ImportIssue] = field(default_factory=list)
    bank: Bank | None = None

    @property
    def imported(self) -> int:
        return len(self.questions)

    @property
    def complete(self) -> bool:
        """Everything in the file came in, nothing was reported (notices are not problems)."""
        return not self.issues and self.bank is not None

    def to_data(self) -> dict[str, Any]:
        """The bank as plain data in the order a person reads it."""
        if self.bank is None:
            raise ValueError("no question was imported")
        return bank_to_data(self.bank)

    def to_yaml(self, schema_ref: str | None = None) -> str:
        """The bank file's text; ``schema_ref`` (a path to bank.schema.json) adds the editor's schema line."""
        head = f"# yaml-language-server: $schema={schema_ref}\n" if schema_ref else ""
        head += f"# imported from {_one_line(self.source.name)} by `quiz import`\n"
        return head + dump_yaml(self.to_data())


def _one_line(text: str) -> str:
    return "".join(c if c.isprintable() else "?" for c in text)


# ---------------------------------------------------------------- ids


def slugify(text: str, max_length: int = 48) -> str:
    """A readable id from any text: Chinese becomes pinyin (``淘宝规则`` -> ``tao-bao-gui-ze``).

    Returns "" when nothing usable is left (text of punctuation only).
    """
    text = unicodedata.normalize("NFKC", text)
    # pinyin for the start of the text only (a Chinese character gives at least two letters of the id) ...
    head = text[: max_length + 8]
    slug, full = _slug(head, max_length)
    if not full and len(head) < len(text):
        slug, _ = _slug(text, max_length)  # ... unless the start was too thin (punctuation, short words)
    return slug


@functools.cache
def _runs() -> re.Pattern[str]:
    """Runs of Chinese characters and runs of others, as pypinyin's simple_seg splits text (one regex, not a loop)."""
    from pypinyin.constants import RE_HANS

    cls = RE_HANS.pattern[len("^(?:"): -len(")+$")]
    return re.compile(f"{cls}+|[^{cls[1:-1]}]+")


def _slug(text: str, max_length: int) -> tuple[str, bool]:
    """The slug, and whether it was cut at max_length (so that more text would not change it)."""
    slug = ""
    for chunk in _runs().findall(text):
        for w in _chunk_words(chunk):
            candidate = f"{slug}-{w}" if slug else w
            if len(candidate) > max_length:
                return (slug or w[:max_length]), True
            slug = candidate
    return slug, False


_NON_SLUG = re.compile(r"[^a-z0-9]+")


@functools.lru_cache(maxsize=1 << 16)
def _chunk_words(chunk: str) -> tuple[str, ...]:
    """The id words of a run of Chinese (or of other) characters: pypinyin's segmentation and pinyin, cached."""
    from pypinyin.seg.simpleseg import seg

    out: list[str] = []
    for word in seg(chunk):
        for part in _word_pinyin(word):
            out.extend(w for w in _NON_SLUG.split(part.lower()) if w)
    return tuple(out)


@functools.lru_cache(maxsize=1 << 16)
def _word_pinyin(word: str) -> tuple[str, ...]:
    """What ``lazy_pinyin`` gives for one of its words: the same as for the whole text, at a cache lookup's cost."""
    from pypinyin import lazy_pinyin

    return tuple(lazy_pinyin(word, errors="default"))


class _Ids:
    """Ids handed out so far, and the next free suffix per base: settling n ids costs O(n), not O(n²)."""

    def __init__(self, reserved: set[str]) -> None:
        self.claimed: set[str] = set()  # ids of imported questions and ids trainers wrote
        self.reserved = reserved  # ids trainers wrote anywhere in the file: generated ids keep out of their way
        self._next: dict[str, int] = {}

    def free(self, qid: str, *, generated: bool) -> bool:
        return qid not in self.claimed and not (generated and qid in self.reserved)

    def unique(self, base: str, *, generated: bool) -> str:
        base = base[:70].rstrip("-") or "q"
        if self.free(base, generated=generated):
            return base
        n = self._next.get(base, 2)
        while not self.free(f"{base}-{n}", generated=generated):
            n += 1
        self._next[base] = n + 1
        return f"{base}-{n}"


def bank_id_for(path: Path, given: str | None = None) -> str:
    """``--bank-id`` when given (it must be a valid id), else the file name as a slug, else ``imported``."""
    if given is not None:
        if not _ID_RE.match(given) or len(given) > 80:
            raise UserError(f"--bank-id {given!r}: use lowercase letters, digits and '-', starting with a letter or digit")
        return given
    return slugify(path.stem) or "imported"


# ---------------------------------------------------------------- validation


def validation_message(err: ValidationError) -> str:
    parts = []
    for e in err.errors():
        loc = [str(x) for x in e["loc"]]
        # the discriminated union puts the type name first: it says nothing to a trainer
        if loc and loc[0] in {"single", "multi", "judge", "short", "numeric", "scenario"}:
            loc = loc[1:]
        where = ".".join(loc)
        parts.append(f"{where}: {e['msg']}" if where else e["msg"])
    return "; ".join(parts)


def build_bank(read: ReadResult, *, source: Path, label: str, bank_id: str, title: str,
               place: str = "row", description: str | None = None) -> ImportResult:
    """Settle ids, strip control characters, validate each draft, and assemble the bank from the ones that validate.

    ``place`` is what a draft's number counts in messages: "row" (spreadsheets) or "line" (GIFT, XML).
    """
    result = ImportResult(source=source, bank_id=bank_id, title=title, found=read.found,
                          issues=list(read.issues), notices=list(read.notices))
    explicit_at: dict[str, int] = {}
    # ids the trainer wrote are kept: generated ids keep out of their way
    ids = _Ids({d.id_hint.strip() for d in read.drafts
                if d.explicit_id and d.id_hint and _ID_RE.match(d.id_hint.strip())})
    pending = read.drafts[::-1]
    read.drafts = []  # each draft is let go once it is a question: a 100,000-row import holds one copy, not two
    while pending:
        d = pending.pop()
        d.data, removed = strip_controls(d.data)
        if removed:
            d.guesses.append(f"removed {removed}")
        qid, id_note = _settle_id(d, ids, explicit_at, place)
        try:
            q = _QUESTION_ADAPTER.validate_python({"id": qid, **d.data})
        except ValidationError as e:
            result.issues.append(ImportIssue(label, d.line, f"skipped: {validation_message(e)}"))
            continue
        problems = q.problems()
        if problems:
            msg = "; ".join(m for _, m in problems)
            result.issues.append(ImportIssue(label, d.line, f"skipped: {msg}"))
            continue
        ids.claimed.add(qid)
        result.questions.append(q)
        if id_note:
            result.issues.append(ImportIssue(label, d.line, id_note))
        result.issues.extend(_issue(label, d.line, n) for n in d.notes)
        result.notices.extend(_issue(label, d.line, n) for n in d.guesses)
    result.issues.sort(key=lambda i: i.line)
    result.notices.sort(key=lambda i: i.line)
    if result.questions:
        # each question is validated; the bank's own fields now (tests check that what is written loads)
        head: dict[str, Any] = {"bank": bank_id, "title": title}
        if description:
            head["description"] = description
        result.bank = Bank.model_validate({**head, "questions": result.questions})
    return result


def _issue(label: str, line: int, note: Note) -> ImportIssue:
    return ImportIssue(label, note[0], note[1]) if isinstance(note, tuple) else ImportIssue(label, line, note)


def _settle_id(d: Draft, ids: _Ids, explicit_at: dict[str, int], place: str = "row") -> tuple[str, str | None]:
    """The question's id, and a note when the id the trainer wrote had to change."""
    hint, _ = strip_controls_text((d.id_hint or "").strip())
    if hint and d.explicit_id:
        base = hint if _ID_RE.match(hint) else (slugify(hint) or "")
        if base:
            note = None
            qid = base
            if not ids.free(base, generated=False):
                qid = ids.unique(base, generated=False)
                where = f" ({place} {explicit_at[base]})" if base in explicit_at else ""
                note = f"id {hint!r} is already used{where}; imported as {qid!r}"
            if base not in explicit_at:
                explicit_at[base] = d.line
                ids.claimed.add(base)
            return qid, note
    base = slugify(hint) if hint else ""
    if not base:
        base = slugify(str(d.data.get("prompt", "")), max_length=40) or f"q{d.line}"
    return ids.unique(base, generated=True), None


# ---------------------------------------------------------------- model paragraphs

_NUMBERING_RE = re.compile(r"(?:(?:^|(?<=[\s：:。；;，,]))(?:\d{1,2}[.、)）]|[(（]\d{1,2}[)）]|第[一二三四五六七八九十]+[，,、])|[①-⑳])\s*")
_CLAUSE_END_RE = re.compile(r"[。；;！!？?\n]+")
_LABEL_MAX = 24


def paragraph_keypoints(paragraph: str) -> list[dict[str, Any]]:
    """Key points from a model answer written as a paragraph: one per sentence or numbered item.

    Each point's label and only phrasing is its sentence; a trainer should shorten the
    phrasings to what an answer must say (the importer reports every question made so).
    """
    text = _NUMBERING_RE.sub("\n", paragraph)
    points: list[dict[str, Any]] = []
    seen: set[str] = set()
    for clause in _CLAUSE_END_RE.split(text):
        clause = re.sub(r"^(?:答|参考答案|答案)[：:]", "", clause.strip()).strip(" \t，,、：:")
        if len(clause) < 2 or clause in seen:
            continue
        seen.add(clause)
        label = clause if len(clause) <= _LABEL_MAX else clause[: _LABEL_MAX - 1] + "…"
        points.append({"point": label, "any": [clause]})
    return points


# ---------------------------------------------------------------- control characters

# C0 and C1 controls except tab and newline, DEL, and the bidi embeddings, overrides and isolates: invisible,
# and in a terminal or a browser able to move, hide or reorder the text around them.
# One definition for import, validate and display (quiz.text.UNSAFE_RE: also lone surrogates); the line
# breaks among them (CR, U+2028, U+2029) are turned into newlines first.
_CONTROL_RE = _ANY_RE = UNSAFE_RE
_LINE_BREAKS = str.maketrans({"\r": "\n", "\u2028": "\n", "\u2029": "\n"})


def strip_controls_text(text: str) -> tuple[str, list[str]]:
    """The text without control characters (CR, U+2028 and U+2029 become newlines), and the names of those removed."""
    if not _ANY_RE.search(text):
        return text, []  # nearly every text: one search
    text = text.replace("\r\n", "\n").translate(_LINE_BREAKS)
    found = _CONTROL_RE.findall(text)
    if not found:
        return text, []
    return _CONTROL_RE.sub("", text), [f"U+{ord(c):04X}" for c in found]


def strip_controls(data: dict[str, Any]) -> tuple[dict[str, Any], str]:
    """A draft's fields with control characters stripped from every string, and what was removed (or "")."""
    where: dict[str, list[str]] = {}

    def clean(v: Any, field_name: str) -> Any:
        if isinstance(v, str):
            text, found = strip_controls_text(v)
            if found:
                where.setdefault(field_name, []).extend(found)
            return text
        if isinstance(v, list):
            return [clean(x, field_name) for x in v]
        if isinstance(v, dict):
            return {clean(k, field_name): clean(x, field_name) for k, x in v.items()}
        return v

    out = {k: clean(v, k) for k, v in data.items()}
    if not where:
        return out, ""
    count = sum(len(v) for v in where.values())
    kinds = sorted({c for v in where.values() for c in v})
    return out, (f"{count} control character{'s' if count > 1 else ''} ({', '.join(kinds[:4])}"
                 f"{', ...' if len(kinds) > 4 else ''}) from {', '.join(where)}")


# ---------------------------------------------------------------- output


def _plain_numbers(v: Any) -> Any:
    """3.0 -> 3, everywhere: the model keeps numbers as floats, a trainer writes 3."""
    if isinstance(v, float) and v.is_integer():
        return int(v)
    if isinstance(v, list):
        return [_plain_numbers(x) for x in v]
    if isinstance(v, dict):
        return {k: _plain_numbers(x) for k, x in v.items()}
    return v


def _question_data(q: AnyQuestion) -> dict[str, Any]:
    raw = _plain_numbers(q.model_dump(mode="json", by_alias=True, exclude_defaults=True))
    raw["type"] = q.type
    out = {k: raw.pop(k) for k in _FIELD_ORDER if k in raw}
    out.update(raw)
    if "feedback" in out:  # per choice or answer first, then per verdict, as a trainer reads them
        fb = out["feedback"]
        out["feedback"] = {k: fb[k] for k in sorted(fb, key=lambda k: (k in _VERDICT_ORDER, _VERDICT_ORDER.get(k, 0)))}
    return out


_VERDICT_ORDER = {"correct": 1, "partial": 2, "wrong": 3}


def question_yaml(q: AnyQuestion) -> str:
    """One question as the YAML a trainer pastes into a bank's ``questions:`` list."""
    return dump_yaml({"questions": [_question_data(q)]}).split("\n", 1)[1]


def bank_to_data(bank: Bank) -> dict[str, Any]:
    data: dict[str, Any] = {"bank": bank.bank, "title": bank.title}
    if bank.description:
        data["description"] = bank.description
    if bank.tags:
        data["tags"] = list(bank.tags)
    data["questions"] = [_question_data(q) for q in bank.questions]
    return data


class _Dumper(yaml.SafeDumper):
    pass


def _str_representer(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if "\n" in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_Dumper.add_representer(str, _str_representer)


def dump_yaml(data: dict[str, Any]) -> str:
    """Readable YAML: block style, Chinese as is, keys in the order given, long lines unwrapped."""
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                     default_flow_style=False, width=4096, indent=2)


# ---------------------------------------------------------------- entry points


def read_file(path: Path, label: str) -> tuple[ReadResult, str]:
    """The file read by the reader its kind needs, and what a draft's number counts ("row" or "line")."""
    suffix = path.suffix.lower()
    if suffix in SPREADSHEET_SUFFIXES:
        from quiz.trainer.spreadsheet import read_spreadsheet

        return read_spreadsheet(path, label), "row"
    if suffix in GIFT_SUFFIXES:
        from quiz.trainer.gift import read_gift

        return read_gift(path, label), "line"
    if suffix in XML_SUFFIXES:
        from quiz.trainer.moodle_xml import read_moodle_xml

        return read_moodle_xml(path, label), "line"
    if suffix == ".xls":
        raise UserError(f"{path}: old .xls workbooks cannot be read; save it as .xlsx (Excel: 另存为 → .xlsx)")
    raise UserError(f"{path}: unknown kind of file {suffix or '(no extension)'!r}; use .xlsx, .csv, .gift, .txt or .xml")


def import_file(path: Path, bank_id: str | None = None, title: str | None = None) -> ImportResult:
    """Read a spreadsheet, GIFT or Moodle XML file into a validated bank, with every issue and notice.

    Raises :class:`UserError` when the file cannot be read at all (missing, an
    unknown kind, a spreadsheet without a header row, a damaged workbook).
    """
    path = Path(path)
    if not path.is_file():
        raise UserError(f"{path}: no such file")
    label = str(path)
    read, place = read_file(path, label)
    if bank_id is None and read.bank_id and _ID_RE.match(read.bank_id) and len(read.bank_id) <= 80:
        bank_id = read.bank_id
    bid = bank_id_for(path, bank_id)
    return build_bank(read, source=path, label=label, bank_id=bid, title=title or read.title or path.stem,
                      place=place, description=read.description)


def schema_ref_for(output: Path, banks_dir: Path) -> str | None:
    """The shipped bank schema, relative to the folder the bank is written to (None when not found)."""
    schema = banks_dir / "schema" / "bank.schema.json"
    if not schema.is_file():
        return None
    try:
        return Path(os.path.relpath(schema.resolve(), output.resolve().parent)).as_posix()
    except ValueError:  # another drive on Windows
        return schema.resolve().as_uri()


def write_output(output: Path, text: str, *, inputs: Iterable[Path] = (), protect: Iterable[Path] = (),
                 force: bool = False) -> None:
    """Write a file the trainer asked for (a bank, an export). Every such write goes through here: atomically
    (:mod:`quiz.fileio`), never over an input or a database, over an existing file only with ``force``."""
    write_atomic(output, text, inputs=inputs, protect=protect, force=force)


def write_bank(result: ImportResult, output: Path, schema_ref: str | None = None, *,
               inputs: Iterable[Path] = (), protect: Iterable[Path] = (), force: bool = False) -> None:
    """Write the bank atomically; never over an input or a database, over an existing file only with
    ``force``; and never a bank that would not validate (UserError naming its first problem)."""
    from quiz.loader import validate_bytes

    text = result.to_yaml(schema_ref)
    _doc, problems = validate_bytes(str(output), text.encode("utf-8"))
    if problems:
        first = min(problems)
        raise UserError(f"{printable(str(output), one_line=True)}: not written: the imported bank would not validate "
                        f"({plural(len(problems), 'problem')}, the first at line {first.line}: "
                        f"{printable(first.message, one_line=True)})")
    write_output(output, text, inputs=inputs, protect=protect, force=force)


def print_notices(notices: list[ImportIssue]) -> None:
    """The summary of the importer's readings, on stderr: things to glance at, not errors."""
    if not notices:
        return
    print(f"to check ({len(notices)}): how the file was read; not errors", file=sys.stderr)
    for n in notices:
        print(f"  {n}", file=sys.stderr)


def cli_import(args: argparse.Namespace, ctx: Context) -> int:
    """``quiz import FILE [-o OUT.yaml] [--bank-id ID]`` and ``quiz import --template OUT.xlsx``.

    Exit 0 when every row came in, 1 when some rows or data were reported on
    stderr (the usable questions are still written), 2 on a user error.
    """
    force = bool(getattr(args, "force", False))
    inputs = [Path(args.file)] if args.file else []
    protect = [ctx.db_path]
    if args.output and args.output != "-" and all(p.exists() for p in inputs):  # refused before a long import
        check_output(Path(args.output), inputs=inputs, protect=protect, force=force)
    if args.template:
        from quiz.trainer.spreadsheet import write_template

        write_template(Path(args.template), inputs=inputs, protect=protect, force=force)
        print(f"wrote the template {printable(args.template, one_line=True)}", file=sys.stderr)
        if not args.file:
            return 0
    if not args.file:
        raise UserError("import: give a FILE to import (.xlsx, .csv, .gift, .txt), or --template OUT.xlsx")
    result = import_file(Path(args.file), bank_id=args.bank_id)
    for issue in result.issues:
        print(issue, file=sys.stderr)
    print_notices(result.notices)
    if result.bank is None:
        print(f"quiz: nothing imported from {printable(args.file, one_line=True)}: no usable question (found {result.found})", file=sys.stderr)
        return 1
    if args.output and args.output != "-":
        out = Path(args.output)
        write_bank(result, out, schema_ref_for(out, ctx.banks_dir), inputs=inputs, protect=protect, force=force)
        where = printable(args.output, one_line=True)
    else:
        sys.stdout.write(result.to_yaml())
        where = "stdout"
    skipped = result.found - result.imported
    print(
        f"imported {result.imported} of {result.found} questions into {where} (bank {result.bank_id!r})"
        + (f"; {skipped} skipped" if skipped else "")
        + (f"; {len(result.issues)} reported" if result.issues else ""),
        file=sys.stderr,
    )
    return 0 if result.complete else 1
