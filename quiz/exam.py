"""Timed mock exams (模拟考试) drawn from blueprints.

An attempt (:class:`ExamAttempt`) draws each section's questions from the
section's pool with ``random.Random(seed)`` (the seed is stored, so the same
seed and banks give the same paper: :func:`draw`), never the same question twice
in one paper, nor two questions of one ``family`` (siblings on one fact that would
answer each other). The choices of 单选/多选 questions are shuffled; the permutation is
stored and the question is graded as shown (its answer key remapped), so the
learner's letters are the letters they saw. ``answer_original`` keeps the
answer in the bank's own letters for the trainer's item analysis.

The deadline is ``started + time_limit`` by the wall clock: a killed process
resumes with the time left. Every answer is saved when given, and the text in an
answer box is saved as it is typed (the UI saves drafts a moment after the last
key: :meth:`ExamAttempt.answer` with ``draft=True``, accepted up to
:data:`DRAFT_GRACE` after the deadline, so the text typed before time ran out is
graded). The time spent on each question is kept (:meth:`ExamAttempt.visit`).
Submitting, or any access after the deadline, scores the attempt: per question the
grader's score (多选 partial credit as the question's ``scoring`` says) times the
section's points; per section and per topic; pass when the score reaches
``pass_score``. Points: a correct answer earns the section's points, a partial one
``score x points`` (so 多选少选 earns what the question's ``scoring`` grants), a
wrong or blank one nothing.

Each *answered* question then counts as a review (mode ``exam``, FSRS-scheduled at
the time it was answered, rated from the verdict and the time spent on it, so a
fast right answer to a card in review is Easy), and a mistake goes to the
wrong-answer book. A question left blank (未作答) is not a review: no FSRS
update, not a mistake, not a new question of the day; its verdict is stored as
NULL and it is shown as 未作答.

Scores are shown with :func:`quiz.scores.format_score` everywhere (at most one decimal, a
trailing ``.0`` dropped: ``13``, ``12.5``).
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from quiz.errors import UserError
from quiz.grading.result import GradeResult
from quiz.library import Item, Library, fill_sections, fingerprint
from quiz.scheduler import Clock, SpacedScheduler, rating_for, to_utc, utc_now
from quiz.store import Store, dumps, iso, parse_ts

if TYPE_CHECKING:
    from quiz.model import AnyQuestion, Exam, MultiQuestion, SingleQuestion

Grader = Callable[["AnyQuestion", str], GradeResult]

DRAFT_GRACE = timedelta(seconds=5)
"""A draft typed before the deadline is still saved this long after it (the UI's clock ticks
once a second and saves drafts a moment after the last key)."""


PASS_TOLERANCE = 0.005
"""Partial credit is a fraction rounded to 4 places (3 x 0.3333 = 0.9999): a score this close
to the pass mark passes."""


@dataclass(frozen=True)
class DrawnQuestion:
    """One question of a paper, as drawn (before any answer)."""

    position: int  # 0-based, across sections
    section: int  # index of the blueprint's section
    qid: str
    points: float
    permutation: tuple[int, ...] | None  # shown choice i is the bank's choice permutation[i]; None if not shuffled


@dataclass(frozen=True)
class ExamQuestion:
    """A question of an attempt, as the UI shows it (choices already shuffled)."""

    position: int
    section: int
    section_title: str
    qid: str
    item: Item
    question: AnyQuestion  # with shuffled choices and remapped answer key
    points: float
    answer: str | None  # the learner's answer in the letters shown, None when blank
    flagged: bool
    seconds: float = 0.0  # time spent on the question so far

    @property
    def answered(self) -> bool:
        return self.answer is not None and self.answer.strip() != ""


@dataclass(frozen=True)
class QuestionResult:
    position: int
    section: int
    qid: str
    topic: str
    answer: str | None
    result: GradeResult
    points: float
    earned: float
    answered: bool = True  # False: left blank (未作答), not a review and not a mistake
    seconds: float | None = None  # time spent on the question


@dataclass(frozen=True)
class SectionResult:
    title: str
    count: int
    points: float  # possible
    earned: float
    correct: int


@dataclass(frozen=True)
class TopicResult:
    topic: str
    count: int
    points: float
    earned: float
    correct: int


@dataclass(frozen=True)
class ExamResult:
    attempt_id: int
    exam_id: str
    title: str
    score: float
    total: float
    pass_score: float
    passed: bool
    started: datetime
    submitted: datetime
    auto_submitted: bool  # the deadline submitted it
    seconds_used: float
    sections: list[SectionResult]
    topics: list[TopicResult]
    questions: list[QuestionResult]

    @property
    def unanswered(self) -> int:
        return sum(1 for q in self.questions if not q.answered)

    def missed(self) -> list[QuestionResult]:
        """The questions not answered fully right (wrong, partly right or left blank), in paper order:
        what the review's 只看错题 shows and 错题重练 practises."""
        return [q for q in self.questions if q.result.verdict != "correct"]


@dataclass(frozen=True)
class AttemptInfo:
    attempt_id: int
    exam_id: str
    started: datetime
    deadline: datetime
    submitted: datetime | None
    score: float | None
    total: float
    passed: bool | None


def draw(library: Library, exam: Exam, seed: int) -> list[DrawnQuestion]:
    """The paper for ``seed``: deterministic for the same banks and seed.

    No question twice, and at most one question of a family (questions on one fact) in the paper:
    families are matched to sections (:func:`quiz.library.fill_sections`), so a paper is found
    whenever one exists, however the sections' filters overlap. Raises UserError when none does,
    naming the section that falls short.
    """
    from quiz.model import MultiQuestion, SingleQuestion

    rng = random.Random(seed)
    pools = [library.section_pool(s) for s in exam.sections]
    fill = fill_sections(pools, [s.count for s in exam.sections], rng)
    if not fill.ok:
        si = next(i for i in fill.short if len(fill.families[i]) < exam.sections[i].count)
        section = exam.sections[si]
        together = "" if len(fill.short) == 1 else f" (with sections {', '.join(str(i + 1) for i in fill.short)})"
        raise UserError(
            f"exam {exam.exam}: section {si + 1} ({section.title}) needs {section.count} questions,"
            f" the banks in use hold {fill.available} that fit{together}"
            " (questions of one family count once)"
        )
    out: list[DrawnQuestion] = []
    for si, (section, pool, families) in enumerate(zip(exam.sections, pools, fill.families, strict=True)):
        members: dict[str, list[Item]] = {}
        for it in pool:
            members.setdefault(it.family_key, []).append(it)
        for key in families:
            it = rng.choice(members[key])
            perm: tuple[int, ...] | None = None
            q = it.question
            if isinstance(q, SingleQuestion | MultiQuestion):
                order = list(range(len(q.choices)))
                rng.shuffle(order)
                perm = tuple(order)
            out.append(DrawnQuestion(len(out), si, it.qid, section.points, perm))
    return out


def shuffled(question: AnyQuestion, permutation: Sequence[int] | None) -> AnyQuestion:
    """The question as shown: choice ``i`` is the bank's choice ``permutation[i]``, answer key remapped."""
    from quiz.model import LETTERS, MultiQuestion, SingleQuestion

    if permutation is None:
        return question
    order = list(permutation)
    if isinstance(question, SingleQuestion):
        pos = order.index(question.answer_index)
        also = sorted(order.index(j) for j in question.right_indexes - {question.answer_index})
        return question.model_copy(
            update={"choices": [question.choices[j] for j in permutation], "answer": LETTERS[pos],
                    "also_correct": [LETTERS[k] for k in also], "feedback": _shuffled_feedback(question, order)}
        )
    if isinstance(question, MultiQuestion):
        shown = sorted(order.index(j) for j in question.answer_indexes)
        return question.model_copy(
            update={"choices": [question.choices[j] for j in permutation], "answer": [LETTERS[k] for k in shown],
                    "feedback": _shuffled_feedback(question, order)}
        )
    return question


def _shuffled_feedback(question: SingleQuestion | MultiQuestion, order: list[int]) -> dict[str, str]:
    """Per-choice feedback under the letters the choices are shown with (verdict keys unchanged)."""
    from quiz.model import LETTERS

    out: dict[str, str] = {}
    for key, text in question.feedback.items():
        i = LETTERS.find(key) if len(key) == 1 else -1
        out[LETTERS[order.index(i)] if 0 <= i < len(order) else key] = text
    return out


_LETTERS_ONLY = re.compile(r"^[\sA-Ha-h,，、;；/]*$")


def to_original_letters(answer: str, permutation: Sequence[int] | None) -> str | None:
    """The learner's letters (as shown) in the bank's own letters, sorted; None if not letters."""
    from quiz.model import LETTERS

    if permutation is None or not _LETTERS_ONLY.match(answer):
        return None
    out = set()
    for ch in answer.upper():
        if ch in LETTERS:
            k = LETTERS.index(ch)
            if k >= len(permutation):
                return None
            out.add(LETTERS[permutation[k]])
    return "".join(sorted(out)) or None


def _blank_result(q: AnyQuestion) -> GradeResult:
    return GradeResult(verdict="wrong", score=0.0, feedback="未作答 · not answered", expected=q.expected_text())


@dataclass
class ExamAttempt:
    """One attempt at an exam. Build with :meth:`start` or :meth:`resume`."""

    store: Store
    library: Library
    exam: Exam
    profile: str
    attempt_id: int
    seed: int
    started: datetime
    deadline: datetime
    questions: list[ExamQuestion]
    now: Clock = utc_now
    grader: Grader | None = None
    scheduler: SpacedScheduler | None = None
    submitted: datetime | None = None
    _result: ExamResult | None = field(default=None, repr=False)
    _permutations: dict[int, tuple[int, ...] | None] = field(default_factory=dict, repr=False)
    _visiting: tuple[int, datetime] | None = field(default=None, repr=False)  # (position, since)

    @classmethod
    def start(
        cls,
        store: Store,
        library: Library,
        profile: str,
        exam_id: str,
        *,
        seed: int | None = None,
        now: Clock = utc_now,
        grader: Grader | None = None,
        scheduler: SpacedScheduler | None = None,
    ) -> ExamAttempt:
        """Draw and store a new attempt. UserError for an unknown exam or a pool too small."""
        exam = _exam(library, exam_id)
        if seed is None:
            seed = random.SystemRandom().randrange(2**31)
        paper = draw(library, exam, seed)
        t = to_utc(now())
        deadline = t + timedelta(minutes=exam.time_limit_minutes)
        store.ensure_profile(profile, t)
        with store.transaction() as c:
            cur = c.execute(
                "INSERT INTO exam_attempts (profile, exam_id, seed, started, deadline, total) VALUES (?, ?, ?, ?, ?, ?)",
                (profile, exam.exam, seed, iso(t), iso(deadline), exam.total_points),
            )
            aid = int(cur.lastrowid or 0)
            c.executemany(
                "INSERT INTO exam_answers (attempt_id, position, section, qid, points, permutation)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                [
                    (aid, d.position, d.section, d.qid, d.points, dumps(list(d.permutation)) if d.permutation else None)
                    for d in paper
                ],
            )
        questions = [cls._question(library, exam, d, None, False) for d in paper]
        att = cls(
            store=store,
            library=library,
            exam=exam,
            profile=profile,
            attempt_id=aid,
            seed=seed,
            started=t,
            deadline=deadline,
            questions=questions,
            now=now,
            grader=grader,
            scheduler=scheduler,
            _permutations={d.position: d.permutation for d in paper},
        )
        att._record_prediction("before")
        return att

    def _record_prediction(self, when: str) -> None:
        """Keep what the readiness model expected when the attempt started, and right after it,
        so the readiness can be calibrated by real scores (:func:`quiz.stats.exam_readiness`)."""
        from quiz.stats import model_score, readiness_score

        t = to_utc(self.now())
        model = model_score(self.store, self.library, self.profile, self.exam.exam, t)
        with self.store.transaction() as c:
            if when == "before":
                shown = readiness_score(self.store, self.library, self.profile, self.exam.exam, t)
                c.execute(
                    "UPDATE exam_attempts SET model_before = ?, readiness_before = ? WHERE id = ?",
                    (model, shown, self.attempt_id),
                )
            else:
                c.execute("UPDATE exam_attempts SET model_after = ? WHERE id = ?", (model, self.attempt_id))

    @staticmethod
    def _question(
        library: Library, exam: Exam, d: DrawnQuestion, answer: str | None, flagged: bool, seconds: float = 0.0
    ) -> ExamQuestion:
        item = library.find(d.qid)
        if item is None:
            raise UserError(f"exam attempt: question {d.qid} is no longer in the banks; the attempt cannot be shown")
        return ExamQuestion(
            position=d.position,
            section=d.section,
            section_title=exam.sections[d.section].title if d.section < len(exam.sections) else "",
            qid=d.qid,
            item=item,
            question=shuffled(item.question, d.permutation),
            points=d.points,
            answer=answer,
            flagged=flagged,
            seconds=seconds,
        )

    @classmethod
    def resume(
        cls,
        store: Store,
        library: Library,
        attempt_id: int,
        *,
        now: Clock = utc_now,
        grader: Grader | None = None,
        scheduler: SpacedScheduler | None = None,
    ) -> ExamAttempt:
        """Reopen an attempt (auto-submitted at once if its deadline has passed)."""
        r = store.execute(
            "SELECT profile, exam_id, seed, started, deadline, submitted FROM exam_attempts WHERE id = ?", (attempt_id,)
        ).fetchone()
        if r is None:
            raise UserError(f"no exam attempt {attempt_id}")
        profile, exam_id, seed, started, deadline, submitted = r
        exam = _exam(library, exam_id)
        rows = store.execute(
            "SELECT position, section, qid, points, permutation, answer, flagged, verdict, score, earned, seconds"
            " FROM exam_answers WHERE attempt_id = ? ORDER BY position",
            (attempt_id,),
        ).fetchall()
        questions: list[ExamQuestion] = []
        perms: dict[int, tuple[int, ...] | None] = {}
        for pos, sec, qid, points, perm, answer, flagged, *rest in rows:
            d = DrawnQuestion(pos, sec, qid, points, tuple(json.loads(perm)) if perm else None)
            perms[pos] = d.permutation
            questions.append(cls._question(library, exam, d, answer, bool(flagged), float(rest[3] or 0.0)))
        att = cls(
            store=store,
            library=library,
            exam=exam,
            profile=profile,
            attempt_id=attempt_id,
            seed=seed,
            started=parse_ts(started),
            deadline=parse_ts(deadline),
            questions=questions,
            now=now,
            grader=grader,
            scheduler=scheduler,
            submitted=parse_ts(submitted) if submitted else None,
            _permutations=perms,
        )
        if att.submitted is not None:
            att._result = att._stored_result(rows)
        else:
            att.check_deadline()
        return att

    @staticmethod
    def latest_unfinished(store: Store, profile: str, exam_id: str | None = None) -> AttemptInfo | None:
        infos = _attempts(store, profile, exam_id, unfinished=True)
        return infos[0] if infos else None

    @staticmethod
    def history(store: Store, profile: str, exam_id: str | None = None) -> list[AttemptInfo]:
        """Attempts, newest first."""
        return _attempts(store, profile, exam_id, unfinished=False)

    # -- taking the exam --------------------------------------------------
    def time_left(self) -> timedelta:
        """Never negative."""
        if self.submitted is not None:
            return timedelta(0)
        return max(timedelta(0), self.deadline - to_utc(self.now()))

    @property
    def expired(self) -> bool:
        return to_utc(self.now()) >= self.deadline

    @property
    def is_submitted(self) -> bool:
        return self.submitted is not None

    def question(self, position: int) -> ExamQuestion:
        return self.questions[position]

    def _ensure_open(self) -> None:
        res = self.check_deadline()
        if res is not None:
            raise ExamOver(res)

    def answer(self, position: int, text: str, *, draft: bool = False) -> None:
        """Save (or overwrite) the answer at ``position``, as typed; blank clears it.

        ``draft``: the text is in the answer box but not submitted (saved as it is typed; it
        is the answer all the same); accepted up to :data:`DRAFT_GRACE` after the deadline.
        After the deadline (and the grace, for a draft) the attempt is submitted instead and
        ``ExamOver`` raised.
        """
        t = to_utc(self.now())
        if not (draft and self.submitted is None and t <= self.deadline + DRAFT_GRACE):
            self._ensure_open()
        q = self.questions[position]
        value = text if text.strip() else None
        if value == q.answer:
            return
        original = to_original_letters(text, self._permutations.get(position)) if value is not None else None
        spent = self._spent(position, t)
        with self.store.transaction() as c:
            c.execute(
                "UPDATE exam_answers SET answer = ?, answer_original = ?, answered_at = ?, seconds = ?"
                " WHERE attempt_id = ? AND position = ?",
                (value, original, iso(t) if value is not None else None, spent, self.attempt_id, position),
            )
        self.questions[position] = replace(q, answer=value, seconds=spent)

    def _spent(self, position: int, t: datetime) -> float:
        """The time spent on ``position`` up to ``t``, counting the visit in progress (which
        then restarts at ``t``)."""
        spent = self.questions[position].seconds
        if self._visiting is not None and self._visiting[0] == position:
            spent += max(0.0, (min(t, self.deadline) - self._visiting[1]).total_seconds())
            self._visiting = (position, t)
        return spent

    def visit(self, position: int | None) -> None:
        """The learner is looking at ``position`` now (None: at none). The time a question is
        looked at before it is answered is its answer time (kept in the store); time spent
        on it after answering counts only if the answer is then changed."""
        if self.submitted is not None:
            return
        t = to_utc(self.now())
        if self._visiting is not None and self._visiting[0] != position:
            prev = self._visiting[0]
            if self.questions[prev].answered:
                self._visiting = None  # looked at again without changing the answer: not answer time
            else:
                spent = self._spent(prev, t)
                with self.store.transaction() as c:
                    c.execute(
                        "UPDATE exam_answers SET seconds = ? WHERE attempt_id = ? AND position = ?",
                        (spent, self.attempt_id, prev),
                    )
                self.questions[prev] = replace(self.questions[prev], seconds=spent)
        if position is None:
            self._visiting = None
        elif self._visiting is None or self._visiting[0] != position:
            self._visiting = (position, t)

    def flag(self, position: int, flagged: bool = True) -> None:
        """Mark a question on the answer sheet (答题卡) to come back to."""
        self._ensure_open()
        with self.store.transaction() as c:
            c.execute(
                "UPDATE exam_answers SET flagged = ? WHERE attempt_id = ? AND position = ?",
                (int(flagged), self.attempt_id, position),
            )
        self.questions[position] = replace(self.questions[position], flagged=flagged)

    def answered_count(self) -> int:
        return sum(1 for q in self.questions if q.answered)

    def check_deadline(self) -> ExamResult | None:
        """Submit if the deadline has passed; the result when submitted."""
        if self.submitted is not None:
            return self._result
        if self.expired:
            return self.submit()
        return None

    def _grade(self, q: ExamQuestion) -> GradeResult:
        if not q.answered or q.answer is None:
            return _blank_result(q.question)
        if self.grader is None:
            from quiz.session import default_grader

            self.grader = default_grader()
        return self.grader(q.question, q.answer)

    def submit(self) -> ExamResult:
        """Score, store and schedule (idempotent: a second call returns the same result).

        Only answered questions become reviews (see the module docstring)."""
        if self.submitted is not None and self._result is not None:
            return self._result
        t = to_utc(self.now())
        auto = t >= self.deadline
        self.visit(None)
        settings = self.store.get_settings(self.profile)
        sched = self.scheduler or SpacedScheduler(desired_retention=settings.desired_retention)
        results: list[QuestionResult] = []
        for q in self.questions:
            res = self._grade(q)
            results.append(
                QuestionResult(
                    q.position, q.section, q.qid, q.item.topic, q.answer, res, q.points,
                    _earned(res, q.points) if q.answered else 0.0, q.answered, q.seconds,
                )
            )
        result = self._build_result(results, submitted=t, auto=auto)
        # what the model expected on the questions answered, before they are recorded: the
        # prediction the next readiness is calibrated by
        from quiz.stats import predicted_correctness

        answered = [q for q in self.questions if q.answered]
        predicted = predicted_correctness(self.store, self.library, self.profile, [q.qid for q in answered], t)
        answered_points = sum(q.points for q in answered)
        expected_points = sum(q.points * predicted.get(q.qid, 0.0) for q in answered)
        answered_at = {
            int(r[0]): parse_ts(r[1])
            for r in self.store.execute(
                "SELECT position, answered_at FROM exam_answers WHERE attempt_id = ? AND answered_at IS NOT NULL",
                (self.attempt_id,),
            )
        }
        with self.store.transaction() as c:
            for q, qr in zip(self.questions, results, strict=True):
                if not qr.answered:
                    c.execute(
                        "UPDATE exam_answers SET verdict = NULL, score = 0, earned = 0 WHERE attempt_id = ? AND position = ?",
                        (self.attempt_id, q.position),
                    )
                    continue
                c.execute(
                    "UPDATE exam_answers SET verdict = ?, score = ?, earned = ? WHERE attempt_id = ? AND position = ?",
                    (qr.result.verdict, qr.result.score, qr.earned, self.attempt_id, q.position),
                )
                prev = self.store.get_card(self.profile, q.qid)
                prev_card = prev.card if prev else None
                when = min(answered_at.get(q.position, t), t)
                if prev_card is not None and prev_card.last_review is not None:
                    when = max(when, to_utc(prev_card.last_review))
                seconds = q.seconds if q.seconds > 0 else None
                rating = rating_for(
                    qr.result.verdict, qtype=q.item.type, seconds=seconds, state=prev_card.state if prev_card else None,
                    unsure=bool(qr.result.details.get("unsure")),
                )
                card = sched.review(prev_card, rating, when, seconds)
                self.store.record_answer(
                    profile=self.profile,
                    qid=q.qid,
                    mode="exam",
                    answer=q.answer or "",
                    verdict=qr.result.verdict,
                    score=qr.result.score,
                    now=when,
                    seconds=seconds,
                    card=card,
                    rating=rating,
                    auto_rating=rating,
                    fingerprint=fingerprint(q.item.question),
                    attempt_id=self.attempt_id,
                    wrong_book_streak=settings.wrong_book_streak,
                )
            c.execute(
                "UPDATE exam_attempts SET submitted = ?, auto_submitted = ?, score = ?, passed = ?, breakdown = ?,"
                " answered_points = ?, predicted_answered = ? WHERE id = ?",
                (
                    iso(t),
                    int(auto),
                    result.score,
                    int(result.passed),
                    dumps(
                        {"sections": [asdict(s) for s in result.sections], "topics": [asdict(s) for s in result.topics]}
                    ),
                    answered_points,
                    expected_points,
                    self.attempt_id,
                ),
            )
        self.submitted = t
        self._result = result
        self._record_prediction("after")
        return result

    def _build_result(self, results: list[QuestionResult], *, submitted: datetime, auto: bool) -> ExamResult:
        sections = []
        for si, sec in enumerate(self.exam.sections):
            rs = [r for r in results if r.section == si]
            sections.append(
                SectionResult(
                    title=sec.title,
                    count=len(rs),
                    points=sum(r.points for r in rs),
                    earned=round(sum(r.earned for r in rs), 4),
                    correct=sum(1 for r in rs if r.result.correct),
                )
            )
        by_topic: dict[str, list[QuestionResult]] = {}
        for r in results:
            by_topic.setdefault(r.topic, []).append(r)
        topics = [
            TopicResult(
                topic=t,
                count=len(rs),
                points=sum(r.points for r in rs),
                earned=round(sum(r.earned for r in rs), 4),
                correct=sum(1 for r in rs if r.result.correct),
            )
            for t, rs in by_topic.items()
        ]
        score = round(sum(r.earned for r in results), 4)
        end = min(submitted, self.deadline)
        return ExamResult(
            attempt_id=self.attempt_id,
            exam_id=self.exam.exam,
            title=self.exam.title,
            score=score,
            total=self.exam.total_points,
            pass_score=self.exam.pass_score,
            passed=score >= self.exam.pass_score - PASS_TOLERANCE,
            started=self.started,
            submitted=submitted,
            auto_submitted=auto,
            seconds_used=max(0.0, (end - self.started).total_seconds()),
            sections=sections,
            topics=topics,
            questions=results,
        )

    def _stored_result(self, rows: Sequence[Sequence[Any]]) -> ExamResult:
        r = self.store.execute("SELECT auto_submitted FROM exam_attempts WHERE id = ?", (self.attempt_id,)).fetchone()
        results = []
        for q, row in zip(self.questions, rows, strict=True):
            verdict, score, earned = row[7], row[8], row[9]
            res = GradeResult(
                verdict=verdict or "wrong", score=score or 0.0, feedback="", expected=q.question.expected_text()
            )
            results.append(
                QuestionResult(
                    q.position, q.section, q.qid, q.item.topic, q.answer, res, q.points, earned or 0.0,
                    q.answered, q.seconds or None,
                )
            )
        assert self.submitted is not None
        return self._build_result(results, submitted=self.submitted, auto=bool(r[0]))

    def result(self) -> ExamResult | None:
        """The result once submitted."""
        return self._result

    def dispute(self, position: int, note: str = "") -> int:
        """ "我答对了" on a submitted exam's answer: the learner says its grading was wrong. Returns the
        dispute id (the open one already there if the learner disputed it before). The dispute keeps the
        attempt and the question's place, and the answer in the bank's own letters (what the trainer
        reads beside the bank's question); accepting it corrects the attempt's score
        (:func:`quiz.team.resolve_dispute`)."""
        if self.submitted is None:
            raise UserError("an exam answer can be disputed once the exam is submitted")
        r = self.store.execute(
            "SELECT qid, answer, answer_original, verdict, score FROM exam_answers WHERE attempt_id = ? AND position = ?",
            (self.attempt_id, position),
        ).fetchone()
        if r is None:
            raise UserError(f"no question {position + 1} on this paper")
        qid, answer, original, verdict, score = r
        if verdict is None:
            raise UserError("a question left blank was not graded: there is nothing to dispute")
        if verdict == "correct":
            raise UserError("this answer was graded correct: there is nothing to dispute")
        open_ = self.store.execute(
            "SELECT id FROM disputes WHERE attempt_id = ? AND position = ? AND status = 'open'",
            (self.attempt_id, position),
        ).fetchone()
        if open_ is not None:
            return int(open_[0])
        review = self.store.execute(
            "SELECT id FROM reviews WHERE attempt_id = ? AND qid = ? AND profile = ? ORDER BY id DESC LIMIT 1",
            (self.attempt_id, qid, self.profile),
        ).fetchone()
        return self.store.add_dispute(
            self.profile, qid, original or answer or "", verdict, score=score, note=note,
            review_id=int(review[0]) if review else None, now=to_utc(self.now()),
            attempt_id=self.attempt_id, position=position,
        )

    def disputed(self) -> dict[int, str]:
        """The questions of this attempt the learner disputed: position -> the latest dispute's status."""
        return {
            int(pos): str(status)
            for pos, status in self.store.execute(
                "SELECT position, status FROM disputes WHERE attempt_id = ? AND position IS NOT NULL ORDER BY id",
                (self.attempt_id,),
            )
        }


def _earned(res: GradeResult, points: float) -> float:
    """Points earned: all for a correct answer, ``score x points`` for a partial one, none when wrong."""
    if res.verdict == "correct":
        return points
    if res.verdict == "partial":
        return round(points * max(0.0, min(1.0, res.score)), 4)
    return 0.0


def _exam(library: Library, exam_id: str) -> Exam:
    exam = library.exams.get(exam_id)
    if exam is None:
        known = ", ".join(sorted(library.exams)) or "none"
        raise UserError(f"unknown exam {exam_id!r} (exams in use: {known})")
    return exam


def _attempts(store: Store, profile: str, exam_id: str | None, *, unfinished: bool) -> list[AttemptInfo]:
    sql = "SELECT id, exam_id, started, deadline, submitted, score, total, passed FROM exam_attempts WHERE profile = ?"
    params: list[Any] = [profile]
    if exam_id is not None:
        sql += " AND exam_id = ?"
        params.append(exam_id)
    if unfinished:
        sql += " AND submitted IS NULL"
    sql += " ORDER BY started DESC, id DESC"
    return [
        AttemptInfo(
            attempt_id=r[0],
            exam_id=r[1],
            started=parse_ts(r[2]),
            deadline=parse_ts(r[3]),
            submitted=parse_ts(r[4]) if r[4] else None,
            score=r[5],
            total=r[6],
            passed=None if r[7] is None else bool(r[7]),
        )
        for r in store.execute(sql, params)
    ]


class ExamOver(Exception):
    """The attempt is submitted (by the learner or the deadline); ``result`` holds the score."""

    def __init__(self, result: ExamResult) -> None:
        super().__init__("the exam is over")
        self.result = result
