"""Trainer warnings beyond validity: what makes a valid question a bad one.

Checks (each warning is ``path:line: bank/id: message``, ``code`` names the check):

- ``near-duplicate``: two questions, in one bank or across banks, whose normalised
  prompt and options are at least ``similarity`` % alike (rapidfuzz ``cdist``:
  10,000 questions in a few seconds, see ``benchmarks/bench_lint.py``);
- ``grader-confusion``: an accepted answer and a rejected one the grader cannot tell
  apart (a rejected form graded correct, an accepted form graded not correct, or an
  accepted form that passes when graded against the rejected forms alone), and a key
  point phrasing that the grader counts as a forbidden action;
- ``repeated-choice``: options that say the same thing once normalised (or nearly);
- ``multi-all-choices``: a 多选 whose answer is every option;
- ``few-distractors``: a 多选 with a single wrong option (one believable distractor is not a choice);
- ``no-explanation`` / ``no-source``: what the learner sees after answering, and where
  the fact comes from;
- ``no-as-of``: a question that does not say the year or date of the rule it teaches;
- ``outdated``: a rule dated more than ``max_age_years`` (default 10, ``--max-age-years``) before today:
  check it is still in force, then update ``as_of``, or keep it as a dated rule with ``# lint: ignore outdated``;
- ``half-width-punct``: half-width ``,;:?!()`` beside Chinese in what the learner reads (prompt, choices,
  explanation, source, sample answer, key point labels, accepted short answers): Chinese text takes ，；：？！（）;
- ``family-size``: more than three questions on one fact (one ``family``; family names are global);
- ``judge-balance``: a bank whose 判断 answers lean to one side (a learner who always answers 对 should not pass);
- ``never-drawn``: questions no exam blueprint can draw (only when exams are loaded). A blueprint that
  cannot be drawn at all (too few questions, or too few distinct families) is a validation problem.
- ``no-examples``: a free-text question (填空, 数值, 情景) without calibration ``examples``
  (learner answers with the verdict a trainer expects; ``quiz validate`` checks the grader agrees).

A warning a trainer has looked at and accepts is turned off by a comment on the
question's ``id:`` line (``- id: coupon-short  # lint: ignore near-duplicate``) or,
for the whole bank, on its ``bank:`` line; ``# lint: ignore`` alone turns off every check.

:func:`lint_paths` loads and lints files; :func:`lint_library` lints what is loaded.
``quiz lint`` exits 0 when the files are valid (warnings alone do not fail, unless
``--strict``), 1 when a file is invalid (its problems are printed) or, with
``--strict``, when there is any warning.
"""

from __future__ import annotations

import argparse
import datetime
import re
import sys
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from quiz.context import Context
from quiz.errors import UserError
from quiz.library import Item, Library
from quiz.model import (
    LETTERS,
    AnyQuestion,
    JudgeQuestion,
    KeyPoint,
    MultiQuestion,
    NumericQuestion,
    ScenarioQuestion,
    ShortQuestion,
    SingleQuestion,
)

if TYPE_CHECKING:
    from quiz.loader import Problem

DEFAULT_SIMILARITY = 90
CHOICE_SIMILARITY = 95
DEFAULT_MAX_AGE_YEARS = 10.0
MAX_FAMILY = 3  # questions on one fact
CHECKS = ("near-duplicate", "grader-confusion", "repeated-choice", "multi-all-choices", "few-distractors",
          "no-explanation", "no-source", "no-as-of", "outdated", "half-width-punct", "family-size",
          "judge-balance", "never-drawn", "no-examples")


@dataclass(frozen=True, order=True)
class LintWarning:
    path: str
    line: int
    qid: str  # "bank/id", or a bank id for a warning about a whole bank
    code: str
    message: str

    def __str__(self) -> str:
        from quiz.text import printable

        return printable(f"{self.path}:{self.line}: {self.qid}: {self.message}", one_line=True)


@dataclass
class LintReport:
    warnings: list[LintWarning] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # validation problems of the files
    banks: int = 0
    questions: int = 0
    exams: int = 0

    @property
    def valid(self) -> bool:
        return not self.problems

    def counts(self) -> dict[str, int]:
        return dict(Counter(w.code for w in self.warnings))


# ---------------------------------------------------------------- where questions are


_ID_LINE = re.compile(r"""^\s*(?:-\s+)?id\s*:\s*["']?([A-Za-z0-9][A-Za-z0-9-]*)["']?\s*(?:#(.*))?$""")
_BANK_LINE = re.compile(r"^bank\s*:[^#]*(?:#(.*))?$")
_IGNORE = re.compile(r"lint\s*:\s*ignore\b\s*(.*)$")

ALL = "*"


def _ignored(comment: str | None) -> frozenset[str]:
    """Checks a ``# lint: ignore near-duplicate, no-source`` comment turns off (``# lint: ignore``: all)."""
    if not comment:
        return frozenset()
    m = _IGNORE.search(comment)
    if not m:
        return frozenset()
    codes = frozenset(c for c in re.split(r"[\s,，]+", m.group(1)) if c)
    return codes or frozenset({ALL})


@dataclass
class _FileIndex:
    ids: dict[str, int] = field(default_factory=dict)
    ignores: dict[str, frozenset[str]] = field(default_factory=dict)
    bank_line: int = 1
    bank_ignores: frozenset[str] = frozenset()


class _Lines:
    """The line of each question's ``id:`` in its bank file (line 1 when it cannot be found), and the
    checks a trainer turned off there with a ``# lint: ignore ...`` comment (on the ``id:`` or ``bank:`` line)."""

    def __init__(self) -> None:
        self._files: dict[Path, _FileIndex] = {}

    def _scan(self, path: Path) -> _FileIndex:
        if path not in self._files:
            index = _FileIndex()
            try:
                text = path.read_text(encoding="utf-8-sig")
            except (OSError, UnicodeDecodeError):
                text = ""
            for n, line in enumerate(text.splitlines(), start=1):
                m = _ID_LINE.match(line)
                if m:
                    if m.group(1) not in index.ids:
                        index.ids[m.group(1)] = n
                        index.ignores[m.group(1)] = _ignored(m.group(2))
                    continue
                b = _BANK_LINE.match(line)
                if b:
                    index.bank_line = n
                    index.bank_ignores = _ignored(b.group(1))
            self._files[path] = index
        return self._files[path]

    def question(self, item: Item) -> tuple[str, int]:
        if item.path is None:
            return item.bank, 1
        return str(item.path), self._scan(item.path).ids.get(item.question.id, 1)

    def bank(self, lib: Library, bank: str) -> tuple[str, int]:
        path = lib.bank_paths.get(bank)
        if path is None:
            return bank, 1
        return str(path), self._scan(path).bank_line

    def ignored(self, lib: Library, w: LintWarning) -> bool:
        """Whether a ``# lint: ignore`` comment on the question's or its bank's line turns ``w`` off."""
        bank, _, qid = w.qid.partition("/")
        path = lib.bank_paths.get(bank)
        if path is None:
            return False
        index = self._scan(path)
        codes = index.bank_ignores | (index.ignores.get(qid, frozenset()) if qid else frozenset())
        return ALL in codes or w.code in codes


# ---------------------------------------------------------------- near-duplicates


_NOT_WORD = re.compile(r"[\W_]+")


def _flat(text: str) -> str:
    """Full-width = half-width, case folded, punctuation and spaces gone (cheaper than the grader's normalize)."""
    return _NOT_WORD.sub("", unicodedata.normalize("NFKC", text).lower())


def _comparable(q: AnyQuestion) -> str:
    parts = [_flat(q.prompt)]
    if isinstance(q, SingleQuestion | MultiQuestion):
        parts.extend(_flat(c) for c in q.choices)
    return "\x1f".join(parts)


def _compact_alphabet(texts: list[str]) -> list[str]:
    """The same texts with their most frequent characters recoded below 256.

    rapidfuzz looks characters below 256 up in an array and others in a hash map;
    recoding (a one-to-one map, so every score is unchanged) makes Chinese text
    about five times faster to compare.
    """
    freq = Counter(ch for t in texts for ch in t)
    code = {ch: chr(rank + 1) if rank < 255 else chr(0x100 + rank) for rank, (ch, _) in enumerate(freq.most_common())}
    table = str.maketrans(code)
    return [t.translate(table) for t in texts]


def similar_pairs(texts: Sequence[str], similarity: float, block: int | None = None) -> dict[int, tuple[int, float]]:
    """For each text, the most similar earlier text scoring at least ``similarity`` (0-100): j -> (i, score).

    Rows are compared in blocks against the texts from the block on (each pair once), so
    memory stays near 20 MB whatever the number of questions.
    """
    import numpy as np
    from rapidfuzz import fuzz, process

    coded = _compact_alphabet(list(texts))
    best: dict[int, tuple[int, float]] = {}
    n = len(coded)
    if block is None:
        block = max(100, min(2000, 20_000_000 // max(n, 1)))
    for a in range(0, n, block):
        b = min(n, a + block)
        scores = process.cdist(coded[a:b], coded[a:], scorer=fuzz.ratio, processor=None,
                               score_cutoff=similarity, dtype=np.uint8, workers=-1)
        rows, cols = np.nonzero(scores)
        for r, c in zip(rows.tolist(), cols.tolist(), strict=True):
            i, j = a + r, a + c
            if i >= j:
                continue
            s = float(scores[r, c])
            old = best.get(j)
            if old is None or s > old[1] or (s == old[1] and i < old[0]):
                best[j] = (i, s)
    return best


def near_duplicates(items: list[Item], lines: _Lines, similarity: float = DEFAULT_SIMILARITY) -> list[LintWarning]:
    texts = [_comparable(it.question) for it in items]
    keep = [k for k, t in enumerate(texts) if len(t) >= 4]  # "是?" against "否?" says nothing
    pairs = similar_pairs([texts[k] for k in keep], similarity)
    out: list[LintWarning] = []
    for j, (i, score) in sorted(pairs.items()):
        first, second = items[keep[i]], items[keep[j]]
        fpath, fline = lines.question(first)
        path, line = lines.question(second)
        what = "duplicate" if texts[keep[i]] == texts[keep[j]] else f"near-duplicate ({score:.0f}% alike)"
        kind = f", a {first.type} question" if first.type != second.type else ""
        out.append(LintWarning(path, line, second.qid, "near-duplicate",
                               f"{what} of {first.qid} ({fpath}:{fline}{kind})"))
    return out


# ---------------------------------------------------------------- the grader


def _short_confusion(q: ShortQuestion) -> list[str]:
    from quiz.grading import grade

    out: list[str] = []
    for r in q.reject:
        res = grade(q, r)
        if res.verdict == "correct":
            out.append(f"rejected answer {r!r} is graded correct"
                       + (f" (taken for {res.nearest!r})" if res.nearest else "") + ": the grader cannot tell them apart")
    for a in q.answers:
        res = grade(q, a)
        if res.verdict != "correct":
            out.append(f"accepted answer {a!r} is itself graded {res.verdict}: {res.feedback}")
    if q.reject and not q.keypoints:
        as_rejects = q.model_copy(update={"answers": list(q.reject), "reject": [], "keypoints": [], "forbidden": []})
        for a in q.answers:
            res = grade(as_rejects, a)
            if res.verdict == "correct":
                near = res.nearest or "a rejected answer"
                out.append(f"accepted answer {a!r} and rejected {near!r} are so alike that the grader takes one for "
                           "the other when only the reject list stands between them: a typo can flip the verdict")
    return out


def _keypoint_confusion(q: ShortQuestion | ScenarioQuestion) -> list[str]:
    from quiz.grading import grade

    out: list[str] = []
    if not q.forbidden:
        return out
    for kp in q.keypoints:
        for phrase in kp.any:
            res = grade(q, phrase)
            if res.violations:
                out.append(f"key point {kp.point!r} phrasing {phrase!r} counts as forbidden "
                           f"{'、'.join(res.violations)}")
    return out


def grader_confusions(q: AnyQuestion) -> list[str]:
    try:
        out: list[str] = []
        if isinstance(q, ShortQuestion):
            out += _short_confusion(q)
        if isinstance(q, ShortQuestion | ScenarioQuestion):
            out += _keypoint_confusion(q)
        return out
    except Exception as e:  # a grader bug must not hide the other warnings; it is itself worth a warning
        return [f"the grader failed on this question: {type(e).__name__}: {e}"]


def revise_question(q: AnyQuestion, changes: dict[str, Any]) -> AnyQuestion:
    """The question with some fields changed (``answers``, ``reject``, ``keypoints``, ...), validated as a
    bank would be: for the grader playground, where a trainer tunes phrasings before publishing.

    ``keypoints``/``forbidden`` may be given as text, one per line as ``label: phrase|phrase``.
    Raises ``ValueError`` with a readable message when the result would not validate.
    """
    from pydantic import TypeAdapter, ValidationError

    from quiz.model import Question
    from quiz.trainer.importers import validation_message
    from quiz.trainer.spreadsheet import RowError, parse_keypoints

    data = q.model_dump(by_alias=True)
    for key, value in changes.items():
        if key in ("keypoints", "forbidden") and isinstance(value, str):
            try:
                value = parse_keypoints(value, "答案" if key == "keypoints" and q.type == "scenario" else key)
            except RowError as e:
                raise ValueError(str(e)) from None
        data["pass" if key == "pass_" else key] = value
    try:
        new: AnyQuestion = TypeAdapter(Question).validate_python(data)
    except ValidationError as e:
        raise ValueError(validation_message(e)) from None
    problems = new.problems()
    if problems:
        raise ValueError("; ".join(m for _, m in problems))
    return new


def keypoints_text(points: Iterable[KeyPoint]) -> str:
    """Key points as the lines :func:`revise_question` reads back (``label*2: phrase|phrase``)."""
    lines = []
    for kp in points:
        weight = f"*{kp.weight:g}" if kp.weight != 1 else ""
        lines.append(f"{kp.point}{weight}: {'|'.join(kp.any)}")
    return "\n".join(lines)


# ---------------------------------------------------------------- choices


def _choice_form(text: str) -> str:
    t = unicodedata.normalize("NFKC", text).lower()
    return re.sub(r"[\s。.!！?？;；,，、\"'“”‘’]+", "", t)


def _symbols(form: str) -> list[str]:
    return re.findall(r"[^\w]", form)


def repeated_choices(choices: list[str]) -> list[str]:
    """Pairs of options that say the same thing once normalised, or nearly (numbers and negation must agree)."""
    from rapidfuzz import fuzz

    from quiz.grading.normalize import has_negator, normalize, numbers

    # lighter than the grader's normalisation: operators and signs keep formulas apart (咨询量/接待量 vs 咨询量-接待量)
    norm = [_choice_form(c) for c in choices]
    out: list[str] = []
    for j in range(len(choices)):
        for i in range(j):
            if not norm[i] or not norm[j]:
                continue
            if norm[i] == norm[j] or (normalize(choices[i]) == normalize(choices[j])
                                      and _symbols(norm[i]) == _symbols(norm[j])):
                out.append(f"options {LETTERS[i]} and {LETTERS[j]} say the same thing ({choices[i]!r}, {choices[j]!r})")
                break
            score = fuzz.ratio(norm[i], norm[j])
            if (score >= CHOICE_SIMILARITY and numbers(normalize(choices[i])) == numbers(normalize(choices[j]))
                    and has_negator(norm[i]) == has_negator(norm[j])):
                out.append(f"options {LETTERS[i]} and {LETTERS[j]} are nearly the same ({score:.0f}% alike): "
                           f"{choices[i]!r}, {choices[j]!r}")
                break
    return out


# ---------------------------------------------------------------- dates


def as_of_date(as_of: str) -> datetime.date:
    """The first day of the period an ``as_of`` names (``2015`` -> 2015-01-01, ``2015-03`` -> 2015-03-01)."""
    parts = [int(x) for x in as_of.split("-")]
    month, day = [*parts[1:], 1, 1][:2]
    return datetime.date(parts[0], month, day)


def outdated(as_of: str, today: datetime.date, max_age_years: float) -> str | None:
    try:
        when = as_of_date(as_of)
    except ValueError:
        return f"as_of {as_of!r} is not a date"
    age = (today - when).days / 365.25
    if age <= max_age_years:
        return None
    return (f"as_of {as_of} is {age:.0f} years old (more than {max_age_years:g}): check that the rule is still in "
            "force, then update as_of; or keep it as a dated rule with # lint: ignore outdated")


# ---------------------------------------------------------------- punctuation

_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_HALF_WIDTH_BESIDE_HAN = re.compile(f"(?<=[{_HAN}])[ \\t]*[,;:?!()]|[,;:?!()][ \\t]*(?=[{_HAN}])")


def half_width_spots(text: str) -> list[str]:
    """Half-width ``,;:?!()`` beside a Chinese character, each with a little context."""
    return [text[max(0, m.start() - 3):m.end() + 3].replace("\n", " ") for m in _HALF_WIDTH_BESIDE_HAN.finditer(text)]


def _reader_texts(q: AnyQuestion) -> list[tuple[str, str]]:
    """(field, text) for everything a learner reads: prompt, choices, explanation, source, model answers, labels."""
    out = [("prompt", q.prompt), ("explanation", q.explanation or ""), ("source", q.source or "")]
    out += [("feedback", t) for t in q.feedback.values()]
    if isinstance(q, SingleQuestion | MultiQuestion):
        out += [("choices", c) for c in q.choices]
    if isinstance(q, ShortQuestion):
        out += [("answers", a) for a in q.answers]
    if isinstance(q, ShortQuestion | ScenarioQuestion):
        out += [("keypoints", k.point) for k in q.keypoints]
        out += [("forbidden", k.point) for k in q.forbidden if isinstance(k, KeyPoint)]
    if isinstance(q, ScenarioQuestion):
        out.append(("sample_answer", q.sample_answer or ""))
    return out


def half_width_punctuation(q: AnyQuestion) -> str | None:
    per_field: Counter[str] = Counter()
    first = ""
    for name, text in _reader_texts(q):
        spots = half_width_spots(text)
        if spots:
            per_field[name] += len(spots)
            first = first or spots[0]
    if not per_field:
        return None
    where = ", ".join(f"{name} ×{n}" for name, n in per_field.items())
    return f"half-width punctuation beside Chinese in {where} (first: {first!r}): use ，；：？！（）"


# ---------------------------------------------------------------- families and balance


def oversized_families(items: list[Item], lines: _Lines) -> list[LintWarning]:
    members: dict[str, list[Item]] = {}
    for it in items:
        if it.question.family:
            members.setdefault(it.question.family, []).append(it)
    out: list[LintWarning] = []
    for family, its in members.items():
        if len(its) > MAX_FAMILY:
            path, line = lines.question(its[0])
            out.append(LintWarning(path, line, its[0].qid, "family-size",
                                   f"family {family} has {len(its)} questions ({', '.join(i.qid for i in its)}): "
                                   f"more than {MAX_FAMILY} on one fact; merge or retire the extra ones"))
    return out


def judge_imbalance(lib: Library, lines: _Lines) -> list[LintWarning]:
    out: list[LintWarning] = []
    for bank_id, bank in lib.banks.items():
        answers = [q.answer for q in bank.questions if isinstance(q, JudgeQuestion) and not q.retired]
        n, yes = len(answers), sum(answers)
        if n < 4 or abs(yes - (n - yes)) <= max(1, n // 5):
            continue
        path, line = lines.bank(lib, bank_id)
        lean = max(yes, n - yes)
        out.append(LintWarning(path, line, bank_id, "judge-balance",
                               f"判断 answers are {yes} true / {n - yes} false: always answering "
                               f"{'对' if yes > n - yes else '错'} scores {lean * 100 // n}%; aim for about half each"))
    return out


# ---------------------------------------------------------------- exams


def never_drawn(lib: Library, lines: _Lines) -> list[LintWarning]:
    if not lib.exams:
        return []
    drawable: set[str] = set()
    for exam in lib.exams.values():
        for section in exam.sections:
            drawable.update(it.qid for it in lib.section_pool(section))
    out: list[LintWarning] = []
    exams = "、".join(sorted(lib.exams))
    for bank_id, bank in lib.banks.items():
        qids = [f"{bank_id}/{q.id}" for q in bank.questions if not q.retired]
        missing = [qid for qid in qids if qid not in drawable]
        if not missing:
            continue
        if len(missing) == len(qids) and len(qids) > 1:
            path, line = lines.bank(lib, bank_id)
            out.append(LintWarning(path, line, bank_id, "never-drawn",
                                   f"no exam blueprint ({exams}) can draw any of the bank's {len(qids)} questions"))
            continue
        for qid in missing:
            item = lib.item(qid)
            path, line = lines.question(item)
            out.append(LintWarning(path, line, qid, "never-drawn",
                                   f"no exam blueprint ({exams}) can draw this question "
                                   f"(type {item.type}, topic {item.topic or '-'})"))
    return out


# ---------------------------------------------------------------- all together


def lint_library(lib: Library, *, similarity: float = DEFAULT_SIMILARITY, checks: Iterable[str] = CHECKS,
                 max_age_years: float = DEFAULT_MAX_AGE_YEARS, today: datetime.date | None = None) -> list[LintWarning]:
    """Every warning about the banks and exams in ``lib``, sorted by file and line."""
    wanted = set(checks)
    today = today or datetime.date.today()
    lines = _Lines()
    items = list(lib)
    out: list[LintWarning] = []
    if "near-duplicate" in wanted and len(items) > 1:
        out += near_duplicates(items, lines, similarity)
    for it in items:
        q = it.question
        path, line = lines.question(it)

        def warn(code: str, message: str, path: str = path, line: int = line, qid: str = it.qid) -> None:
            out.append(LintWarning(path, line, qid, code, message))

        if "grader-confusion" in wanted:
            for m in grader_confusions(q):
                warn("grader-confusion", m)
        if isinstance(q, SingleQuestion | MultiQuestion):
            if "repeated-choice" in wanted:
                for m in repeated_choices(q.choices):
                    warn("repeated-choice", m)
            if "multi-all-choices" in wanted and isinstance(q, MultiQuestion) and len(q.answer_indexes) == len(q.choices):
                warn("multi-all-choices", f"多选 answer is every option ({q.expected_text()}): "
                     "ticking everything is always right")
            if "few-distractors" in wanted and isinstance(q, MultiQuestion) and len(q.choices) - len(q.answer_indexes) == 1:
                warn("few-distractors", "多选 has only one wrong option: spotting it answers the question; "
                     "give at least two wrong options a learner could believe")
        if "no-explanation" in wanted and not (q.explanation or "").strip():
            warn("no-explanation", "no explanation: the learner is not told why after answering")
        if "no-source" in wanted and not (q.source or "").strip():
            warn("no-source", "no source: name the rule or document the fact comes from")
        if "no-as-of" in wanted and not q.as_of:
            warn("no-as-of", "no as_of: say the year or date of the rule it teaches (rules change)")
        if "outdated" in wanted and q.as_of and (old := outdated(q.as_of, today, max_age_years)):
            warn("outdated", old)
        if "half-width-punct" in wanted and (spots := half_width_punctuation(q)):
            warn("half-width-punct", spots)
        if "no-examples" in wanted and isinstance(q, ShortQuestion | NumericQuestion | ScenarioQuestion) and not q.examples:
            warn("no-examples", "no calibration examples: add learners' answers with the verdict you expect "
                 "(examples:), so that quiz validate checks the grader agrees")
    if "family-size" in wanted:
        out += oversized_families(items, lines)
    if "judge-balance" in wanted:
        out += judge_imbalance(lib, lines)
    if "never-drawn" in wanted:
        out += never_drawn(lib, lines)
    return sorted(w for w in out if not lines.ignored(lib, w))


def lint_paths(paths: Sequence[Path], *, similarity: float = DEFAULT_SIMILARITY, checks: Iterable[str] = CHECKS,
               max_age_years: float = DEFAULT_MAX_AGE_YEARS, today: datetime.date | None = None) -> LintReport:
    """Load ``paths`` (files or folders) and lint what loads; invalid files are in ``problems``."""
    from quiz.loader import load_paths

    for p in paths:
        if not Path(p).exists():
            raise UserError(f"{p}: no such file or folder")
    lib, problems = load_paths(paths)
    report = LintReport(problems=sorted(problems), banks=len(lib.banks), questions=len(lib), exams=len(lib.exams))
    report.warnings = lint_library(lib, similarity=similarity, checks=checks, max_age_years=max_age_years, today=today)
    return report


def cli_lint(args: argparse.Namespace, ctx: Context) -> int:
    paths = [Path(p) for p in args.paths] or [ctx.banks_dir]
    max_age = getattr(args, "max_age_years", None)
    report = lint_paths(paths, max_age_years=DEFAULT_MAX_AGE_YEARS if max_age is None else max_age)
    for problem in report.problems:
        print(problem)
    for w in report.warnings:
        print(w)
    counts = report.counts()
    summary = ", ".join(f"{counts[c]} {c}" for c in CHECKS if c in counts) or "no warnings"
    print(f"{report.questions} question(s) in {report.banks} bank(s): {summary}"
          + (f"; {len(report.problems)} validation problem(s)" if report.problems else ""), file=sys.stderr)
    if report.problems:
        return 1
    return 1 if getattr(args, "strict", False) and report.warnings else 0
