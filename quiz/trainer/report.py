"""Item analysis for trainers, over every learner (profile) in the progress database.

Per question:

- ``attempts``: answers given (practice and exams), by ``learners`` learners; an exam
  question left blank is not an answer: it is counted apart as ``not_reached``;
- ``facility``: the share of those answers graded correct (Moodle's facility index);
  ``first_facility`` counts each learner's first answer only (before practice helps);
- ``discrimination``: learners who answered the question are ranked by their
  accuracy over *all* their answers; the question's facility among the top 27%
  minus among the bottom 27% (each learner weighted once: their share correct on
  this question). From -1 to 1; near 0 or negative means the question does not
  separate learners who know the material from those who do not (often a wrong
  key or an ambiguous prompt). ``None`` with fewer than ``min_learners`` learners;
- ``wrong_answers``: the most common answers not graded correct, grouped after
  normalisation (letters for 单选/多选, 对/错 for 判断, the grader's normalised
  text otherwise), with counts; exam answers are counted in the bank's own option
  letters (exam papers shuffle the options);
- ``disputes``: the answers learners marked "我答对了", with their notes;
- ``older_version``: how many of the answers were given to an earlier version of
  the question (its prompt, options or answers changed since): after a fix, read
  the numbers with that in mind;
- ``not_reached``: how often the question was left blank in a submitted mock exam;
- ``leech_learners``: learners for whom the question is a leech (顽固题: failed at least
  their ``leech_threshold`` times, default 6): a question many keep failing is often
  badly written, not hard.

Per learner: answers, accuracy, questions seen, exams taken and passed, best exam
score (share of the total), leeches, last active.

Reads only: the store's query methods, plus read-only SELECTs on the tables the
store documents (the join that gives exam answers in the bank's own letters).
"""

from __future__ import annotations

import argparse
import csv
import io
import math
import sys
import unicodedata
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from quiz.context import Context
from quiz.errors import UserError
from quiz.exam import ExamAttempt
from quiz.fileio import check_output, write_atomic
from quiz.library import Library, fingerprint
from quiz.model import AnyQuestion, JudgeQuestion, MultiQuestion, SingleQuestion
from quiz.scores import format_score
from quiz.store import Store, parse_ts
from quiz.text import printable, safe_json

MIN_LEARNERS = 8  # 27% of 8 is two learners per group: fewer says nothing
GROUP_SHARE = 0.27
TOP_WRONG = 5
VERDICT_CN = {"correct": "正确", "partial": "部分正确", "wrong": "错误"}


@dataclass(frozen=True)
class WrongAnswer:
    answer: str  # as learners most often wrote it ("" for a blank exam answer)
    count: int
    shown: str  # for people: "C. 30天", "对", "（未作答）"


@dataclass(frozen=True)
class DisputeInfo:
    id: int
    ts: datetime
    profile: str
    answer: str
    verdict: str
    score: float | None
    note: str
    status: str


@dataclass
class QuestionStats:
    qid: str
    type: str | None  # None when the question is no longer in the banks
    prompt: str | None
    topic: str | None
    attempts: int = 0
    learners: int = 0
    correct: int = 0
    facility: float | None = None
    first_facility: float | None = None
    mean_score: float | None = None
    discrimination: float | None = None
    wrong_answers: list[WrongAnswer] = field(default_factory=list)
    disputes: list[DisputeInfo] = field(default_factory=list)
    older_version: int = 0  # answers given to an earlier version of the question (it changed since)
    not_reached: int = 0  # left blank in a submitted mock exam (not an attempt)
    leech_learners: int = 0  # learners for whom it is a leech

    @property
    def in_banks(self) -> bool:
        return self.type is not None

    @property
    def open_disputes(self) -> int:
        return sum(1 for d in self.disputes if d.status == "open")


@dataclass
class LearnerSummary:
    profile: str
    answers: int = 0
    correct: int = 0
    accuracy: float | None = None
    questions_seen: int = 0
    exams_taken: int = 0
    exams_passed: int = 0
    best_exam_score: float | None = None  # share of the total, 0-1
    best_exam: str | None = None
    leeches: int = 0
    last_active: datetime | None = None


@dataclass
class Report:
    generated: datetime
    min_learners: int
    questions: list[QuestionStats]
    learners: list[LearnerSummary]

    def to_json(self) -> dict[str, Any]:
        def conv(v: Any) -> Any:
            if isinstance(v, datetime):
                return v.isoformat()
            if isinstance(v, float):
                return round(v, 4)
            if isinstance(v, dict):
                return {k: conv(x) for k, x in v.items()}
            if isinstance(v, list):
                return [conv(x) for x in v]
            return v

        return {
            "generated": self.generated.isoformat(),
            "min_learners": self.min_learners,
            "learners": [conv(asdict(x)) for x in self.learners],
            "questions": [
                conv({**asdict(q), "in_banks": q.in_banks, "open_disputes": q.open_disputes}) for q in self.questions
            ],
        }


# ---------------------------------------------------------------- reading the database


@dataclass(frozen=True)
class _Answer:
    ts: datetime
    profile: str
    qid: str
    answer: str
    verdict: str
    score: float
    fingerprint: str | None


def _answers(store: Store) -> list[_Answer]:
    """Every answer ever given; exam answers in the bank's own option letters (a question left
    blank in an exam has no review: see :func:`_not_reached`)."""
    rows = store.execute(
        "SELECT r.ts, r.profile, r.qid, coalesce(ea.answer_original, r.answer), r.verdict, r.score, r.fingerprint"
        " FROM reviews r LEFT JOIN exam_answers ea ON r.attempt_id IS NOT NULL"
        " AND ea.attempt_id = r.attempt_id AND ea.qid = r.qid ORDER BY r.id"
    )
    return [_Answer(parse_ts(r[0]), r[1], r[2], r[3] or "", r[4], float(r[5]), r[6]) for r in rows]


@dataclass(frozen=True)
class _Attempt:
    attempt_id: int
    profile: str
    exam_id: str
    submitted: datetime
    score: float
    total: float
    passed: bool


def _finished_attempts(store: Store, profiles: list[str]) -> list[_Attempt]:
    """Submitted exam attempts of every learner (through the exam module's history)."""
    out: list[_Attempt] = []
    for p in profiles:
        for a in ExamAttempt.history(store, p):
            if a.submitted is not None and a.score is not None:
                out.append(_Attempt(a.attempt_id, p, a.exam_id, a.submitted, a.score, a.total, bool(a.passed)))
    return out


def _not_reached(store: Store) -> Counter[str]:
    """Per question: how often it was left blank in a submitted exam attempt."""
    return Counter(
        r[0]
        for r in store.execute(
            "SELECT ea.qid FROM exam_answers ea JOIN exam_attempts a ON a.id = ea.attempt_id"
            " WHERE a.submitted IS NOT NULL AND (ea.answer IS NULL OR trim(ea.answer) = '')"
        )
    )


def _leeches(store: Store, profiles: list[str]) -> dict[str, set[str]]:
    """Per learner: their leeches (each with their own threshold)."""
    return {p: set(store.leeches(p, store.get_settings(p).leech_threshold)) for p in profiles}


# ---------------------------------------------------------------- answers, grouped


def _answer_key(q: AnyQuestion | None, answer: str) -> tuple[str, str | None]:
    """(key to group by, how to show it; None: as learners most often wrote it) for an answer not correct."""
    from quiz.grading import parse_judge, parse_letters
    from quiz.grading.normalize import normalize

    text = answer.strip()
    if not text:
        return "", "（未作答）"
    if isinstance(q, SingleQuestion | MultiQuestion):
        letters = parse_letters(text)
        if letters:
            key = "".join(sorted(set(letters)))
            if isinstance(q, SingleQuestion) and len(key) == 1 and "ABCDEFGH".index(key) < len(q.choices):
                return key, f"{key}. {q.choices['ABCDEFGH'.index(key)]}"
            return key, key
    if isinstance(q, JudgeQuestion):
        truth = parse_judge(text)
        if truth is not None:
            return ("对", "对") if truth else ("错", "错")
    return normalize(text) or text, None


def _share(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def build_report(store: Store, library: Library | None = None, *, min_learners: int = MIN_LEARNERS,
                 top_wrong: int = TOP_WRONG, now: datetime | None = None) -> Report:
    """The item analysis and learner summaries from ``store``; ``library`` gives prompts and types."""
    from quiz.scheduler import utc_now

    answers = _answers(store)
    profiles = store.profiles()
    attempts = _finished_attempts(store, profiles)
    disputes = store.disputes()
    blanks = _not_reached(store)
    leeches = _leeches(store, profiles)
    leech_count: Counter[str] = Counter(q for qs in leeches.values() for q in qs)

    # learners
    learners: dict[str, LearnerSummary] = {p: LearnerSummary(p) for p in profiles}
    seen: dict[str, set[str]] = defaultdict(set)
    for a in answers:
        s = learners.setdefault(a.profile, LearnerSummary(a.profile))
        s.answers += 1
        s.correct += a.verdict == "correct"
        seen[a.profile].add(a.qid)
        if s.last_active is None or a.ts > s.last_active:
            s.last_active = a.ts
    for at in attempts:
        s = learners.setdefault(at.profile, LearnerSummary(at.profile))
        s.exams_taken += 1
        s.exams_passed += at.passed
        share = at.score / at.total if at.total else 0.0
        if s.best_exam_score is None or share > s.best_exam_score:
            s.best_exam_score, s.best_exam = share, at.exam_id
        if s.last_active is None or at.submitted > s.last_active:
            s.last_active = at.submitted
    for p, s in learners.items():
        s.accuracy = s.correct / s.answers if s.answers else None
        s.questions_seen = len(seen[p])
        s.leeches = len(leeches.get(p, ()))
    overall = {p: s.accuracy for p, s in learners.items() if s.accuracy is not None}

    # questions
    by_qid: dict[str, list[_Answer]] = defaultdict(list)
    for a in answers:
        by_qid[a.qid].append(a)
    disputes_by_qid: dict[str, list[DisputeInfo]] = defaultdict(list)
    for d in disputes:
        disputes_by_qid[d.qid].append(DisputeInfo(d.id, d.ts, d.profile, d.answer, d.verdict, d.score, d.note, d.status))
    stats: list[QuestionStats] = []
    for qid in sorted(set(by_qid) | set(disputes_by_qid) | set(blanks)):
        item = library.find(qid) if library is not None else None
        q = item.question if item is not None else None
        st = QuestionStats(qid, q.type if q else None, q.prompt if q else None, (q.topic or None) if q else None)
        rows = by_qid.get(qid, [])
        if q is not None:
            current = fingerprint(q)
            st.older_version = sum(1 for a in rows if a.fingerprint is not None and a.fingerprint != current)
        st.attempts = len(rows)
        st.not_reached = blanks.get(qid, 0)
        st.leech_learners = leech_count.get(qid, 0)
        st.correct = sum(1 for a in rows if a.verdict == "correct")
        per_learner: dict[str, list[float]] = defaultdict(list)
        first: dict[str, bool] = {}
        for a in rows:
            per_learner[a.profile].append(1.0 if a.verdict == "correct" else 0.0)
            first.setdefault(a.profile, a.verdict == "correct")
        st.learners = len(per_learner)
        if rows:
            st.facility = st.correct / st.attempts
            st.mean_score = sum(a.score for a in rows) / len(rows)
            st.first_facility = sum(first.values()) / len(first)
        st.discrimination = discrimination(
            {p: sum(v) / len(v) for p, v in per_learner.items()}, overall, min_learners
        )
        wrong: Counter[str] = Counter()
        forms: dict[str, Counter[str]] = defaultdict(Counter)
        label: dict[str, str | None] = {}
        for a in rows:
            if a.verdict == "correct":
                continue
            key, shown = _answer_key(q, a.answer)
            wrong[key] += 1
            forms[key][a.answer.strip()] += 1
            label.setdefault(key, shown)
        st.wrong_answers = []
        for key, n in wrong.most_common(top_wrong):
            common = forms[key].most_common(1)[0][0]
            st.wrong_answers.append(WrongAnswer(common, n, label[key] or common))
        st.disputes = disputes_by_qid.get(qid, [])
        stats.append(st)
    stats.sort(key=_badness)
    learner_list = sorted(learners.values(), key=lambda s: (s.accuracy is None, s.accuracy or 0.0, s.profile))
    return Report(now or utc_now(), min_learners, stats, learner_list)


def discrimination(item_score: dict[str, float], overall: dict[str, float], min_learners: int) -> float | None:
    """Facility among the top 27% of learners (by overall accuracy) minus among the bottom 27%."""
    ranked = sorted((p for p in item_score if p in overall), key=lambda p: (overall[p], p))
    n = len(ranked)
    if n < max(min_learners, 2):
        return None
    g = max(1, math.floor(n * GROUP_SHARE + 0.5))
    lower, upper = ranked[:g], ranked[-g:]
    return sum(item_score[p] for p in upper) / g - sum(item_score[p] for p in lower) / g


def _badness(q: QuestionStats) -> tuple[Any, ...]:
    """Worst first: open disputes, then negative discrimination, then low facility."""
    disc = q.discrimination
    return (
        -q.open_disputes,
        0 if disc is not None and disc < 0 else 1,
        q.facility if q.facility is not None else 2.0,
        -q.attempts,
        q.qid,
    )


def open_store(ctx: Context) -> Store:
    """The progress database, which must exist already (a report never creates one)."""
    if not ctx.db_path.exists():
        raise UserError(f"{ctx.db_path}: no progress database here (use --db PATH or QUIZ_DB)")
    return Store.open(ctx.db_path)


def report_for(ctx: Context, *, min_learners: int = MIN_LEARNERS) -> Report:
    """The report as ``quiz report`` builds it: the database and the banks in use."""
    library, _problems = ctx.load_library()
    with open_store(ctx) as store:
        return build_report(store, library, min_learners=min_learners)


# ---------------------------------------------------------------- showing it


def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def _fit(s: str, width: int) -> str:
    s = " ".join(s.split())
    if _width(s) <= width:
        return s + " " * (width - _width(s))
    out = ""
    for ch in s:
        if _width(out + ch) > width - 1:
            break
        out += ch
    return out + "…" + " " * (width - 1 - _width(out))


def _pct(v: float | None) -> str:
    return "-" if v is None else f"{v * 100:.0f}%"


def format_report(report: Report, *, limit: int | None = None) -> str:
    lines: list[str] = []
    qs = report.questions if limit is None else report.questions[:limit]
    lines.append(f"题目 questions: {len(report.questions)} answered, left blank or disputed, worst first "
                 f"(discrimination needs {report.min_learners}+ learners; blank = left blank in a mock, not an attempt;"
                 f" leech = learners who keep failing it)")
    head = (f"{_fit('question', 34)} {'type':<8} {'tries':>5} {'who':>4} {'facil':>6} {'1st':>5} {'discr':>6} {'disp':>4}"
            f" {'blank':>5} {'leech':>5}  common wrong answers")
    lines.append(head)
    lines.append("-" * _width(head))
    if not qs:
        lines.append("(no answers recorded yet)")
    for q in qs:
        disc = "-" if q.discrimination is None else f"{q.discrimination:+.2f}"
        wrong = ", ".join(f"{w.shown}×{w.count}" for w in q.wrong_answers[:3])
        lines.append(
            f"{_fit(q.qid + ('*' if q.older_version else ''), 34)} {(q.type or 'gone'):<8} {q.attempts:>5} {q.learners:>4} {_pct(q.facility):>6} "
            f"{_pct(q.first_facility):>5} {disc:>6} {len(q.disputes):>4} {q.not_reached:>5} {q.leech_learners:>5}"
            f"  {_fit(wrong, 40).rstrip()}"
        )
    if any(q.older_version for q in qs):
        lines.append("* the question changed since some of these answers were given")
    disputed = [q for q in qs if q.disputes]
    if disputed:
        lines.append("")
        lines.append("我答对了 disputes (add an accepted form, or fix the question):")
        for q in disputed:
            lines.append(f"  {q.qid}: {_fit(q.prompt or '(no longer in the banks)', 60).rstrip()}")
            for d in q.disputes:
                note = f" — {d.note}" if d.note else ""
                lines.append(f"    [{d.status}] {d.profile}: {d.answer!r} graded {d.verdict}{note}")
    lines.append("")
    lines.append(f"学员 learners: {len(report.learners)}")
    head = (f"{_fit('profile', 20)} {'answers':>7} {'accuracy':>8} {'seen':>5} {'exams':>5} {'passed':>6} {'best':>5}"
            f" {'leech':>5}  last active")
    lines.append(head)
    lines.append("-" * _width(head))
    for s in report.learners:
        last = s.last_active.astimezone().strftime("%Y-%m-%d %H:%M") if s.last_active else "-"
        lines.append(
            f"{_fit(s.profile, 20)} {s.answers:>7} {_pct(s.accuracy):>8} {s.questions_seen:>5} {s.exams_taken:>5} "
            f"{s.exams_passed:>6} {_pct(s.best_exam_score):>5} {s.leeches:>5}  {last}"
        )
    return "\n".join(lines)


def cli_report(args: argparse.Namespace, ctx: Context) -> int:
    report = report_for(ctx)
    if args.json:
        print(safe_json(report.to_json(), indent=2))
    else:
        print(printable(format_report(report)))
    return 0


# ---------------------------------------------------------------- export

EXPORT_COLUMNS = [
    "记录 kind", "学员 profile", "时间 time", "考试 exam", "考试记录 attempt", "题目编号 qid", "题目 prompt",
    "模式 mode", "答案 answer", "判定 verdict", "得分 score", "考试得分 exam score", "满分 total", "通过 passed",
]


@dataclass(frozen=True)
class ExportSummary:
    path: Path
    attempts: int
    answers: int


def export_rows(store: Store, library: Library | None = None) -> list[list[str]]:
    """One row per finished exam attempt (记录 = 考试) and per answer given (记录 = 答题), by learner and time."""
    rows: list[tuple[str, str, int, list[str]]] = []

    def local(t: datetime) -> str:
        return t.astimezone().strftime("%Y-%m-%d %H:%M:%S")

    profiles = store.profiles()
    for at in _finished_attempts(store, profiles):
        rows.append((at.profile, at.submitted.isoformat(), 0, [
            "考试", at.profile, local(at.submitted), at.exam_id, str(at.attempt_id), "", "", "exam", "", "", "",
            format_score(at.score), format_score(at.total), "是" if at.passed else "否",
        ]))
    for r in store.execute(
        "SELECT r.ts, r.profile, r.qid, r.mode, r.answer, r.verdict, r.score, r.attempt_id, ea.exam_id"
        " FROM reviews r LEFT JOIN exam_attempts ea ON ea.id = r.attempt_id ORDER BY r.id"
    ):
        ts = parse_ts(r[0])
        item = library.find(r[2]) if library is not None else None
        rows.append((r[1], ts.isoformat(), 1, [
            "答题", r[1], local(ts), r[8] or "", "" if r[7] is None else str(r[7]), r[2],
            item.question.prompt if item else "", r[3], r[4] or "", VERDICT_CN.get(r[5], r[5]), _num(r[6]), "", "", "",
        ]))
    rows.sort(key=lambda x: (x[0], x[1], x[2]))
    return [list(EXPORT_COLUMNS)] + [r[3] for r in rows]


def _num(v: float | None) -> str:
    if v is None:
        return ""
    return str(int(v)) if float(v).is_integer() else f"{v:.4g}"


def export_results(store: Store, path: Path, library: Library | None = None, *, force: bool = False) -> ExportSummary:
    """Write the CSV (UTF-8 with BOM, so Excel on Chinese Windows reads it right), atomically;
    never over the database (UserError), over an existing file only with ``force``."""
    rows = export_rows(store, library)
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    write_atomic(path, buf.getvalue(), protect=[store.path], force=force, encoding="utf-8-sig")
    kinds = Counter(r[0] for r in rows[1:])
    return ExportSummary(path, kinds["考试"], kinds["答题"])


def cli_export(args: argparse.Namespace, ctx: Context) -> int:
    out = Path(args.output)
    if out.suffix.lower() not in ("", ".csv", ".txt"):
        raise UserError(f"{out}: export writes CSV; name the file .csv")
    check_output(out, protect=[ctx.db_path], force=args.force)  # before the database is opened
    library, _problems = ctx.load_library()
    with open_store(ctx) as store:
        summary = export_results(store, out, library, force=args.force)
    print(f"wrote {summary.attempts} exam attempt(s) and {summary.answers} answer(s) to {out}", file=sys.stderr)
    return 0
