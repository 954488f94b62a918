"""Bring a trainer's questions in: spreadsheets (.xlsx, .csv) and Moodle GIFT files become a bank.

The readers (:mod:`quiz.trainer.spreadsheet`, :mod:`quiz.trainer.gift`) turn a file
into :class:`Draft` questions plus :class:`ImportIssue` reports; :func:`build_bank`
settles the ids, validates every question with the bank model and keeps only the
ones that validate, so the bank written always loads. Every row or question that
could not be used (and every piece of data that was dropped) is an issue, reported
as ``FILE:ROW: reason`` (the row number as the spreadsheet shows it, or the line of
a GIFT file).

``quiz import`` exits 0 when everything came in, 1 when something was reported
(the usable questions are still written), 2 on a user error (missing file, ...).
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import TypeAdapter, ValidationError

from quiz.context import Context
from quiz.errors import UserError
from quiz.model import ID_PATTERN, AnyQuestion, Bank, Question

SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".csv", ".tsv")
GIFT_SUFFIXES = (".gift", ".txt")

_ID_RE = re.compile(ID_PATTERN)
_QUESTION_ADAPTER: TypeAdapter[AnyQuestion] = TypeAdapter(Question)

# The order in which a question's fields are written: what a trainer reads first comes first.
_FIELD_ORDER = (
    "id", "type", "prompt", "choices", "answer", "answers", "reject", "scoring", "unit", "units",
    "tolerance", "threshold", "keypoints", "forbidden", "ordered", "pass", "sample_answer",
    "topic", "tags", "difficulty", "explanation", "source",
)


@dataclass(frozen=True)
class ImportIssue:
    """A row or question that could not be used, or data that was dropped from one."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


@dataclass
class Draft:
    """One question as read from a file, before its id is settled and it is validated.

    ``data`` holds the question's fields without ``id``. ``id_hint`` is the id the
    trainer wrote (spreadsheet 编号, ``explicit_id``) or a name to make one from (a
    GIFT ``::title::``); without it the id is made from the prompt. ``notes`` are
    issues about data dropped from a question that is still imported.
    """

    line: int
    data: dict[str, Any]
    id_hint: str | None = None
    explicit_id: bool = False
    notes: list[str] = field(default_factory=list)


@dataclass
class ImportResult:
    """What came out of one file: the bank (``None`` when no question was usable) and every issue."""

    source: Path
    bank_id: str
    title: str
    found: int
    questions: list[AnyQuestion] = field(default_factory=list)
    issues: list[ImportIssue] = field(default_factory=list)
    bank: Bank | None = None

    @property
    def imported(self) -> int:
        return len(self.questions)

    @property
    def complete(self) -> bool:
        """Everything in the file came in, nothing was reported."""
        return not self.issues and self.bank is not None

    def to_data(self) -> dict[str, Any]:
        """The bank as plain data in the order a person reads it."""
        if self.bank is None:
            raise ValueError("no question was imported")
        return bank_to_data(self.bank)

    def to_yaml(self, schema_ref: str | None = None) -> str:
        """The bank file's text; ``schema_ref`` (a path to bank.schema.json) adds the editor's schema line."""
        head = f"# yaml-language-server: $schema={schema_ref}\n" if schema_ref else ""
        head += f"# imported from {self.source.name} by `quiz import`\n"
        return head + dump_yaml(self.to_data())


# ---------------------------------------------------------------- ids


def slugify(text: str, max_length: int = 48) -> str:
    """A readable id from any text: Chinese becomes pinyin (``淘宝规则`` -> ``tao-bao-gui-ze``).

    Returns "" when nothing usable is left (text of punctuation only).
    """
    from pypinyin import lazy_pinyin

    text = unicodedata.normalize("NFKC", text)
    parts = lazy_pinyin(text, errors="default")
    words: list[str] = []
    for part in parts:
        words.extend(w for w in re.split(r"[^a-z0-9]+", part.lower()) if w)
    slug = ""
    for w in words:
        candidate = f"{slug}-{w}" if slug else w
        if len(candidate) > max_length:
            if not slug:
                slug = w[:max_length]
            break
        slug = candidate
    return slug


def _unique(base: str, used: set[str]) -> str:
    base = base[:70].rstrip("-") or "q"
    if base not in used:
        return base
    n = 2
    while f"{base}-{n}" in used:
        n += 1
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


def build_bank(drafts: list[Draft], issues: list[ImportIssue], *, source: Path, label: str, bank_id: str,
               title: str, found: int | None = None, place: str = "row") -> ImportResult:
    """Settle ids, validate each draft, and assemble the bank from the ones that validate.

    ``place`` is what a draft's number counts in messages: "row" (spreadsheets) or "line" (GIFT).
    """
    result = ImportResult(source=source, bank_id=bank_id, title=title,
                          found=len(drafts) if found is None else found, issues=list(issues))
    used: set[str] = set()
    explicit_at: dict[str, int] = {}
    # ids the trainer wrote are kept: generated ids keep out of their way
    reserved = {d.id_hint.strip() for d in drafts if d.explicit_id and d.id_hint and _ID_RE.match(d.id_hint.strip())}
    for d in drafts:
        qid, id_note = _settle_id(d, used, explicit_at, reserved, place)
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
        used.add(qid)
        result.questions.append(q)
        if id_note:
            result.issues.append(ImportIssue(label, d.line, id_note))
        result.issues.extend(ImportIssue(label, d.line, n) for n in d.notes)
    result.issues.sort(key=lambda i: i.line)
    if result.questions:
        # the whole bank through the model once more: what is written must load
        result.bank = Bank.model_validate(
            {"bank": bank_id, "title": title, "questions": [_question_data(q) for q in result.questions]}
        )
    return result


def _settle_id(d: Draft, used: set[str], explicit_at: dict[str, int], reserved: set[str],
               place: str = "row") -> tuple[str, str | None]:
    """The question's id, and a note when the id the trainer wrote had to change."""
    hint = (d.id_hint or "").strip()
    taken = used | set(explicit_at)
    if hint and d.explicit_id:
        base = hint if _ID_RE.match(hint) else (slugify(hint) or "")
        if base:
            note = None
            qid = base
            if base in taken:
                qid = _unique(base, taken)
                where = f" ({place} {explicit_at[base]})" if base in explicit_at else ""
                note = f"id {hint!r} is already used{where}; imported as {qid!r}"
            explicit_at.setdefault(base, d.line)
            return qid, note
    base = slugify(hint) if hint else ""
    if not base:
        base = slugify(str(d.data.get("prompt", "")), max_length=40) or f"q{d.line}"
    return _unique(base, taken | reserved), None


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
    return out


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


def import_file(path: Path, bank_id: str | None = None, title: str | None = None) -> ImportResult:
    """Read a spreadsheet or GIFT file into a validated bank, with every issue found.

    Raises :class:`UserError` when the file cannot be read at all (missing, an
    unknown kind, a spreadsheet without a header row).
    """
    path = Path(path)
    if not path.is_file():
        raise UserError(f"{path}: no such file")
    suffix = path.suffix.lower()
    bid = bank_id_for(path, bank_id)
    label = str(path)
    if suffix in SPREADSHEET_SUFFIXES:
        from quiz.trainer.spreadsheet import read_spreadsheet

        drafts, issues, found = read_spreadsheet(path, label)
    elif suffix in GIFT_SUFFIXES:
        from quiz.trainer.gift import read_gift

        drafts, issues, found = read_gift(path, label)
    elif suffix == ".xls":
        raise UserError(f"{path}: old .xls workbooks cannot be read; save it as .xlsx (Excel: 另存为 → .xlsx)")
    else:
        raise UserError(f"{path}: unknown kind of file {suffix or '(no extension)'!r}; use .xlsx, .csv, .gift or .txt")
    return build_bank(drafts, issues, source=path, label=label, bank_id=bid, title=title or path.stem, found=found,
                      place="line" if suffix in GIFT_SUFFIXES else "row")


def schema_ref_for(output: Path, banks_dir: Path) -> str | None:
    """The shipped bank schema, relative to the folder the bank is written to (None when not found)."""
    schema = banks_dir / "schema" / "bank.schema.json"
    if not schema.is_file():
        return None
    try:
        return Path(os.path.relpath(schema.resolve(), output.resolve().parent)).as_posix()
    except ValueError:  # another drive on Windows
        return schema.resolve().as_uri()


def write_bank(result: ImportResult, output: Path, schema_ref: str | None = None) -> None:
    text = result.to_yaml(schema_ref)
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding="utf-8")
    except OSError as e:
        raise UserError(f"{output}: cannot write: {e.strerror or e}") from e


def cli_import(args: argparse.Namespace, ctx: Context) -> int:
    """``quiz import FILE [-o OUT.yaml] [--bank-id ID]`` and ``quiz import --template OUT.xlsx``.

    Exit 0 when every row came in, 1 when some rows or data were reported on
    stderr (the usable questions are still written), 2 on a user error.
    """
    if args.template:
        from quiz.trainer.spreadsheet import write_template

        write_template(Path(args.template))
        print(f"wrote the template {args.template}", file=sys.stderr)
        if not args.file:
            return 0
    if not args.file:
        raise UserError("import: give a FILE to import (.xlsx, .csv, .gift, .txt), or --template OUT.xlsx")
    result = import_file(Path(args.file), bank_id=args.bank_id)
    for issue in result.issues:
        print(issue, file=sys.stderr)
    if result.bank is None:
        print(f"quiz: nothing imported from {args.file}: no usable question (found {result.found})", file=sys.stderr)
        return 1
    if args.output and args.output != "-":
        out = Path(args.output)
        write_bank(result, out, schema_ref_for(out, ctx.banks_dir))
        where = args.output
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
