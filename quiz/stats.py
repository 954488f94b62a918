"""What a learner's progress means: the numbers behind the stats screen and ``quiz stats``.

Definitions (every function takes ``now``; a *study day* starts at the learner's
``day_start_hour``, default 4:00 as in Anki, in ``tz``, default the machine's time zone):

* **seen**: questions answered at least once (outside 背题模式; a question left blank in an
  exam is not answered).
* **accuracy** of a topic: share of ``correct`` verdicts among all its reviews
  (partial counts as not correct); ``None`` with no review.
* **known**: a question whose latest answer was not failed (not rated Again). A question
  never answered, or whose latest answer failed, is not known: you have not shown you can
  recall it since.
* **mastery** of a topic: the mean over all its questions in the banks of the predicted
  recall at the *mastery horizon*: FSRS retrievability at that time (py-fsrs
  ``Scheduler.get_card_retrievability(card, current_datetime=horizon)``) for a known
  question, 0 for a question not known. The horizon is :data:`MASTERY_HORIZON_DAYS` (7)
  days from now, or the start of the exam day when the learner set an exam date later
  than that. It reads "how much of this topic you would still recall then, without more
  study". A topic whose only question was just answered wrong shows 0%.
* **mastered**: questions in the Review state with stability of at least
  :data:`MASTERED_STABILITY_DAYS` (21 days, Anki's "mature").
* **true retention**: share of correct answers among reviews of cards that were
  in the Review state when answered (Anki's definition); ``None`` without any.
* **streak**: consecutive study days with at least one review, ending today (or
  yesterday, when today has none yet).
* **due forecast**: per study day for the next 30 days, how many cards fall due that
  day (cards already overdue count on day 0), questions no longer in the banks excluded.
* **leech** (顽固题): a question failed (rated Again) at least ``leech_threshold`` times
  (default 6, a setting; Anki counts 8 lapses of mature cards, here every failure counts,
  because in a course of weeks few cards ever mature).
* **exam readiness** (:func:`exam_readiness`): the score expected on a blueprint at the
  *readiness time* (the start of the exam day when one is set and still ahead, else now):

  1. the *model*: sum over sections of ``points x count x mean predicted correctness`` of
     the section's pool, where a known question counts its FSRS retrievability at that
     time and a question not known counts the learner's *first-try rate* for its type
     (the share of first answers to such questions that were right, smoothed toward the
     chance of guessing: ``(right + 4 x chance) / (tries + 4)``; chance is right choices /
     choices for 单选, 1/2 for 判断, 1/(2^choices - 1) for 多选, 0 for written answers);
  2. *calibrated by the learner's mock results*: each submitted attempt of the exam
     stores the points the model expected on the questions answered (read before they were
     recorded); the readiness adds ``total x`` the weighted mean of (points earned - points
     expected) per point answered, a mock weighing the share of the paper answered (a mock
     left blank says nothing) halving every :data:`MOCK_HALF_LIFE_DAYS` days, shrunk toward
     0 as if :data:`PRIOR_MOCKS` more full mocks had matched the model;
  3. *a failed mock is never better news than its score*: after a failed attempt the
     readiness is at most the score, when the score beat what was shown before it, or else
     what was shown before, moved toward the score by the mock's calibration weight; plus
     what the model gained since the attempt by study (what answering the mock itself added
     to the model does not count). So it never rises after a failed mock that went worse
     than predicted, and never above the score of one that went better;
  4. *an honest range* (:data:`RANGE_Z`, an 80% interval for the next mock's score): the
     spread of a randomly drawn paper (binomial per section) plus the uncertainty of the
     calibration, :data:`MODEL_SD_SHARE` of the total before any mock and shrinking as
     mocks accumulate. "约 52-64 分".

  The simulation in ``tests/test_readiness_simulation.py`` checks that this predicts
  simulated learners' next mock within 10 points on average and never rises after a
  failed mock.
* **suggested daily new questions** (with an exam date): the questions not yet seen,
  spread over the days left before the exam minus :data:`REVIEW_DAYS_BEFORE_EXAM`
  (the last days are for review), rounded up.
"""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING, Any

from quiz.context import Context
from quiz.errors import UserError
from quiz.exam import ExamAttempt
from quiz.library import Item, Library
from quiz.scheduler import Card, SpacedScheduler, State, to_utc, utc_now
from quiz.scores import format_score, score_range, score_value
from quiz.session import check_changed_questions, day_start, start_of_day, study_day
from quiz.store import CardSummary, Settings, Store, iso
from quiz.text import plural, printable, safe_json

if TYPE_CHECKING:  # the model (pydantic) is not imported for the home screen's first numbers
    from quiz.model import AnyQuestion

MASTERED_STABILITY_DAYS = 21.0
MASTERY_HORIZON_DAYS = 7
FIRST_TRY_PRIOR = 4.0  # pseudo-answers at the chance rate in the first-try rate
MOCK_HALF_LIFE_DAYS = 14.0
PRIOR_MOCKS = 1.0
MODEL_SD_SHARE = 0.12
RANGE_Z = 1.28  # an 80% interval
REVIEW_DAYS_BEFORE_EXAM = 3


@dataclass(frozen=True)
class TopicStats:
    """Progress over a group of questions: a topic, or in :func:`bank_stats` a bank (``topic`` is its id)."""

    topic: str
    questions: int
    seen: int
    reviews: int
    correct: int
    accuracy: float | None
    mastery: float  # 0..1
    mastered: int
    due: int


@dataclass(frozen=True)
class SectionReadiness:
    title: str
    count: int
    points: float
    pool: int
    seen: int
    mean_retrievability: float  # the mean predicted correctness over the pool
    expected: float  # points expected from the model


@dataclass(frozen=True)
class Readiness:
    exam_id: str
    title: str
    expected_score: float  # the readiness: the model calibrated by mocks (and capped after a failed one)
    total: float
    pass_score: float
    likely_pass: bool
    sections: list[SectionReadiness]
    low: float = 0.0  # the honest range ("约 low-high 分")
    high: float = 0.0
    model: float = 0.0  # the model's estimate alone
    mocks: int = 0  # submitted attempts that calibrate it
    at: datetime | None = None  # the time it is for (the exam day, or now)
    capped: bool = False  # held down by a failed mock

    def to_json(self) -> dict[str, Any]:
        return {
            "expected": score_value(self.expected_score),
            "low": score_value(self.low),
            "high": score_value(self.high),
            "model": score_value(self.model),
            "total": score_value(self.total),
            "pass_score": score_value(self.pass_score),
            "likely_pass": self.likely_pass,
            "mocks": self.mocks,
            "at": self.at.isoformat() if self.at else None,
        }


@dataclass(frozen=True)
class ExamHistoryEntry:
    attempt_id: int
    exam_id: str
    started: datetime
    submitted: datetime
    score: float
    total: float
    passed: bool


@dataclass(frozen=True)
class Overview:
    """Everything ``quiz stats`` reports (``to_json`` gives the cli.md keys and more)."""

    profile: str
    questions: int
    seen: int
    due: int
    new_today: int
    new_left_today: int
    reviews: int
    reviews_today: int
    wrong_book: int
    bookmarks: int
    exams: int
    changed: int
    mastered: int
    true_retention: float | None
    streak: int
    topics: list[TopicStats]
    states: dict[str, int] = field(default_factory=dict)  # new/learning/review/relearning counts
    banks: list[TopicStats] = field(default_factory=list)  # the same measures per bank
    leeches: int = 0
    leech_threshold: int = 6
    day_start_hour: int = 4
    exam_date: date | None = None
    days_to_exam: int | None = None
    suggested_daily_new: int | None = None
    mastery_horizon: datetime | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "profile": self.profile,
            "questions": self.questions,
            "seen": self.seen,
            "due": self.due,
            "new_today": self.new_today,
            "new_left_today": self.new_left_today,
            "reviews": self.reviews,
            "reviews_today": self.reviews_today,
            "wrong_book": self.wrong_book,
            "bookmarks": self.bookmarks,
            "exams": self.exams,
            "changed": self.changed,
            "mastered": self.mastered,
            "true_retention": _r(self.true_retention),
            "streak": self.streak,
            "states": dict(self.states),
            "topics": {t.topic: _group_json(t) for t in self.topics},
            "banks": {b.topic: _group_json(b) for b in self.banks},
            "leeches": self.leeches,
            "leech_threshold": self.leech_threshold,
            "day_start_hour": self.day_start_hour,
            "exam_date": self.exam_date.isoformat() if self.exam_date else None,
            "days_to_exam": self.days_to_exam,
            "suggested_daily_new": self.suggested_daily_new,
            "mastery_horizon": self.mastery_horizon.isoformat() if self.mastery_horizon else None,
        }


def _group_json(t: TopicStats) -> dict[str, Any]:
    return {
        "questions": t.questions,
        "seen": t.seen,
        "accuracy": _r(t.accuracy),
        "reviews": t.reviews,
        "mastery": _r(t.mastery),
        "mastered": t.mastered,
        "due": t.due,
    }


def _r(x: float | None) -> float | None:
    return None if x is None else round(x, 4)


def _local_offset(now: datetime, tz: tzinfo | None) -> timedelta:
    local = now.astimezone(tz) if tz is not None else now.astimezone()
    off = local.utcoffset()
    return off if off is not None else timedelta(0)


def _sqlite_modifier(offset: timedelta) -> str:
    return f"{int(offset.total_seconds() // 60):+d} minutes"


def _cards_in_library(store: Store, library: Library, profile: str) -> dict[str, CardSummary]:
    return {r.qid: r for r in store.card_summaries(profile) if r.qid in library}


def _retrievability(sched: SpacedScheduler, c: CardSummary | None, at: datetime) -> float:
    """FSRS's predicted recall of the card at ``at`` (0 for no card)."""
    if c is None or c.stability is None or c.last_review is None:
        return 0.0
    card = Card(card_id=1, state=State(c.state), stability=c.stability, last_review=c.last_review, due=c.due)
    return sched.retrievability(card, at)


def predicted_recall(sched: SpacedScheduler, c: CardSummary | None, at: datetime) -> float:
    """Mastery of one question at ``at``: FSRS retrievability when known, 0 when not (never
    answered, or its latest answer failed)."""
    if c is None or c.failed_last:
        return 0.0
    return _retrievability(sched, c, at)


def _mastered(c: CardSummary) -> bool:
    return c.state == int(State.Review) and (c.stability or 0.0) >= MASTERED_STABILITY_DAYS


def _scheduler(settings: Settings) -> SpacedScheduler:
    return SpacedScheduler(desired_retention=settings.desired_retention, enable_fuzzing=False)


def exam_day_start(settings: Settings, now: datetime, tz: tzinfo | None = None) -> datetime | None:
    """When the learner's exam day starts, if an exam date is set and the day is still ahead."""
    day = settings.exam_day
    if day is None or day <= study_day(now, tz, settings.day_start_hour):
        return None
    return day_start(day, tz, settings.day_start_hour)


def mastery_horizon(settings: Settings, now: datetime, tz: tzinfo | None = None) -> datetime:
    """The time mastery is predicted for: 7 days ahead, or the exam day when later."""
    week = to_utc(now) + timedelta(days=MASTERY_HORIZON_DAYS)
    exam = exam_day_start(settings, now, tz)
    return max(week, exam) if exam is not None else week


def suggested_daily_new(unseen: int, today: date, exam_day: date | None) -> int | None:
    """New questions a day that see every question before the exam (None without an exam ahead)."""
    if exam_day is None or exam_day <= today:
        return None
    days = max(1, (exam_day - today).days - REVIEW_DAYS_BEFORE_EXAM)
    return math.ceil(unseen / days)


def overview(store: Store, library: Library, profile: str, now: datetime, tz: tzinfo | None = None) -> Overview:
    now = to_utc(now)
    cards = _cards_in_library(store, library, profile)
    settings = store.get_settings(profile)
    today = start_of_day(now, tz, settings.day_start_hour)
    new_today = store.new_seen_since(profile, today)
    reviews_today = int(
        store.execute("SELECT count(*) FROM reviews WHERE profile = ? AND ts >= ?", (profile, iso(today))).fetchone()[0]
    )
    exams = int(
        store.execute(
            "SELECT count(*) FROM exam_attempts WHERE profile = ? AND submitted IS NOT NULL", (profile,)
        ).fetchone()[0]
    )
    states = {"new": len(library) - len(cards), "learning": 0, "review": 0, "relearning": 0}
    for c in cards.values():
        states[{1: "learning", 2: "review", 3: "relearning"}.get(c.state, "learning")] += 1
    day = study_day(now, tz, settings.day_start_hour)
    exam_day = settings.exam_day
    horizon = mastery_horizon(settings, now, tz)
    return Overview(
        profile=profile,
        questions=len(library),
        seen=len(cards),
        due=sum(1 for c in cards.values() if c.due <= now),
        new_today=new_today,
        new_left_today=max(0, settings.daily_new_limit - new_today),
        reviews=store.review_count(profile),
        reviews_today=reviews_today,
        wrong_book=sum(1 for e in store.wrong_book(profile) if e.qid in library),
        bookmarks=sum(1 for q in store.bookmarks(profile) if q in library),
        exams=exams,
        changed=sum(1 for q in store.changed_qids(profile) if q in library),
        mastered=sum(1 for c in cards.values() if _mastered(c)),
        true_retention=true_retention(store, profile),
        streak=streak(store, profile, now, tz),
        topics=topic_stats(store, library, profile, now, tz=tz, _cards=cards),
        states=states,
        banks=bank_stats(store, library, profile, now, tz=tz, _cards=cards),
        leeches=sum(1 for c in cards.values() if c.fails >= settings.leech_threshold),
        leech_threshold=settings.leech_threshold,
        day_start_hour=settings.day_start_hour,
        exam_date=exam_day,
        days_to_exam=(exam_day - day).days if exam_day is not None else None,
        suggested_daily_new=suggested_daily_new(len(library) - len(cards), day, exam_day),
        mastery_horizon=horizon,
    )


def topic_stats(
    store: Store,
    library: Library,
    profile: str,
    now: datetime,
    *,
    tz: tzinfo | None = None,
    _cards: dict[str, CardSummary] | None = None,
) -> list[TopicStats]:
    """Per topic in bank order (questions without a topic under ``""``)."""
    return _group_stats(store, library, profile, now, lambda it: it.topic, _cards, tz)


def bank_stats(
    store: Store,
    library: Library,
    profile: str,
    now: datetime,
    *,
    tz: tzinfo | None = None,
    _cards: dict[str, CardSummary] | None = None,
) -> list[TopicStats]:
    """Per bank, in load order (``topic`` holds the bank id)."""
    return _group_stats(store, library, profile, now, lambda it: it.bank, _cards, tz)


def _group_stats(
    store: Store,
    library: Library,
    profile: str,
    now: datetime,
    key: Callable[[Item], str],
    _cards: dict[str, CardSummary] | None,
    tz: tzinfo | None,
) -> list[TopicStats]:
    now = to_utc(now)
    cards = _cards if _cards is not None else _cards_in_library(store, library, profile)
    settings = store.get_settings(profile)
    sched = _scheduler(settings)
    horizon = mastery_horizon(settings, now, tz)
    per_q = {
        r[0]: (int(r[1]), int(r[2]))
        for r in store.execute(
            "SELECT qid, count(*), coalesce(sum(verdict = 'correct'), 0) FROM reviews WHERE profile = ? GROUP BY qid",
            (profile,),
        )
    }
    groups: dict[str, list[str]] = {}
    for it in library:
        groups.setdefault(key(it), []).append(it.qid)
    out = []
    for topic, qids in groups.items():
        reviews = sum(per_q.get(q, (0, 0))[0] for q in qids)
        correct = sum(per_q.get(q, (0, 0))[1] for q in qids)
        seen = [cards[q] for q in qids if q in cards]
        out.append(
            TopicStats(
                topic=topic,
                questions=len(qids),
                seen=len(seen),
                reviews=reviews,
                correct=correct,
                accuracy=correct / reviews if reviews else None,
                mastery=sum(predicted_recall(sched, c, horizon) for c in seen) / len(qids) if qids else 0.0,
                mastered=sum(1 for c in seen if _mastered(c)),
                due=sum(1 for c in seen if c.due <= now),
            )
        )
    return out


def _reviews_by_local_day(
    store: Store, profile: str, now: datetime, tz: tzinfo | None, since: str | None, hour: int
) -> dict[date, int]:
    """Reviews per study day (the offset of ``tz`` at ``now``, days starting at ``hour``),
    read from the (profile, ts) index."""
    offset = _local_offset(now, tz) - timedelta(hours=hour)
    where, params = "profile = ?", [profile]
    if since is not None:
        where += " AND ts >= ?"
        params.append(since)
    out: dict[date, int] = {}
    if offset.total_seconds() % 3600 == 0:
        # group by UTC hour (cheap text prefix), then shift whole hours into local days
        for h, n in store.execute(
            f"SELECT substr(ts, 1, 13), count(*) FROM reviews WHERE {where} GROUP BY 1", params
        ):
            d = (datetime.fromisoformat(h + ":00:00+00:00") + offset).date()
            out[d] = out.get(d, 0) + int(n)
        return out
    mod = _sqlite_modifier(offset)
    for d, n in store.execute(
        f"SELECT date(ts, ?) AS d, count(*) FROM reviews WHERE {where} GROUP BY d", [mod, *params]
    ):
        out[date.fromisoformat(d)] = int(n)
    return out


def reviews_per_day(
    store: Store, profile: str, now: datetime, days: int = 365, tz: tzinfo | None = None
) -> dict[date, int]:
    """Reviews per study day over the last ``days`` days (days without reviews included as 0).

    The day boundary uses ``tz``'s offset at ``now`` (no DST shifts inside the range) and the
    learner's ``day_start_hour``.
    """
    now = to_utc(now)
    hour = store.get_settings(profile).day_start_hour
    today = study_day(now, tz, hour)
    first = today - timedelta(days=days - 1)
    out = {first + timedelta(days=i): 0 for i in range(days)}
    since = iso(start_of_day(now, tz, hour) - timedelta(days=days - 1))
    for day, n in _reviews_by_local_day(store, profile, now, tz, since, hour).items():
        if day in out:
            out[day] = n
    return out


def due_forecast(
    store: Store, library: Library, profile: str, now: datetime, days: int = 30, tz: tzinfo | None = None
) -> list[tuple[date, int]]:
    now = to_utc(now)
    hour = store.get_settings(profile).day_start_hour
    today = study_day(now, tz, hour)
    counts = [0] * days
    for c in _cards_in_library(store, library, profile).values():
        k = max(0, (study_day(c.due, tz, hour) - today).days)
        if k < days:
            counts[k] += 1
    return [(today + timedelta(days=i), n) for i, n in enumerate(counts)]


def true_retention(store: Store, profile: str, since: datetime | None = None) -> float | None:
    sql = "SELECT count(*), coalesce(sum(verdict = 'correct'), 0) FROM reviews WHERE profile = ? AND state_before = ?"
    params: list[Any] = [profile, int(State.Review)]
    if since is not None:
        sql += " AND ts >= ?"
        params.append(iso(since))
    n, ok = store.execute(sql, params).fetchone()
    return int(ok) / int(n) if n else None


def streak(store: Store, profile: str, now: datetime, tz: tzinfo | None = None) -> int:
    now = to_utc(now)
    hour = store.get_settings(profile).day_start_hour
    day = study_day(now, tz, hour)

    def any_review(d: date) -> bool:
        row = store.execute(
            "SELECT 1 FROM reviews WHERE profile = ? AND ts >= ? AND ts < ? LIMIT 1",
            (profile, iso(day_start(d, tz, hour)), iso(day_start(d + timedelta(days=1), tz, hour))),
        ).fetchone()
        return row is not None

    if not any_review(day):  # today not studied yet: the streak may still end yesterday
        day -= timedelta(days=1)
    n = 0
    while any_review(day):  # one index seek per day
        n += 1
        day -= timedelta(days=1)
    return n


def leeches(store: Store, library: Library, profile: str) -> dict[str, int]:
    """The learner's leeches in the banks: qid -> failed answers, most failed first."""
    threshold = store.get_settings(profile).leech_threshold
    return {q: n for q, n in store.leeches(profile, threshold).items() if q in library}


def exam_history(store: Store, profile: str, exam_id: str | None = None) -> list[ExamHistoryEntry]:
    """Submitted attempts, newest first."""
    return [
        ExamHistoryEntry(a.attempt_id, a.exam_id, a.started, a.submitted, a.score or 0.0, a.total, bool(a.passed))
        for a in ExamAttempt.history(store, profile, exam_id)
        if a.submitted is not None
    ]


def best_scores(store: Store, profile: str) -> dict[str, ExamHistoryEntry]:
    """The best submitted attempt of each exam (the earliest of equal scores)."""
    best: dict[str, ExamHistoryEntry] = {}
    for entry in reversed(exam_history(store, profile)):
        if entry.exam_id not in best or entry.score > best[entry.exam_id].score:
            best[entry.exam_id] = entry
    return best


# --------------------------------------------------------------------------- readiness


def chance(q: AnyQuestion) -> float:
    """The chance of getting a question right by guessing."""
    model = sys.modules.get("quiz.model")
    if model is None:  # no question of the model exists yet: the home screen's light index (quiz.index)
        return 0.0
    SingleQuestion, JudgeQuestion, MultiQuestion = model.SingleQuestion, model.JudgeQuestion, model.MultiQuestion
    if isinstance(q, SingleQuestion):
        return len(q.right_indexes) / len(q.choices)
    if isinstance(q, JudgeQuestion):
        return 0.5
    if isinstance(q, MultiQuestion):
        return 1.0 / float(2 ** len(q.choices) - 1)
    return 0.0


def first_try_rates(store: Store, library: Library, profile: str) -> dict[str, tuple[int, int]]:
    """Per question type: (first answers that were right, first answers)."""
    out: dict[str, tuple[int, int]] = {}
    for qid, ok in store.execute(
        "SELECT qid, verdict = 'correct' FROM reviews WHERE profile = ? AND state_before IS NULL", (profile,)
    ):
        it = library.get(qid)
        if it is None:
            continue
        right, n = out.get(it.type, (0, 0))
        out[it.type] = (right + int(ok), n + 1)
    return out


@dataclass(frozen=True)
class _Evidence:
    """What the readiness of one learner is computed from (read once per call)."""

    settings: Settings
    sched: SpacedScheduler
    cards: dict[str, CardSummary]
    first_try: dict[str, tuple[int, int]]

    @classmethod
    def read(cls, store: Store, library: Library, profile: str) -> _Evidence:
        settings = store.get_settings(profile)
        return cls(
            settings, _scheduler(settings), _cards_in_library(store, library, profile),
            first_try_rates(store, library, profile),
        )

    def correctness(self, it: Item, at: datetime) -> float:
        """The predicted chance of answering ``it`` right at ``at``."""
        c = self.cards.get(it.qid)
        if c is not None and not c.failed_last:
            return _retrievability(self.sched, c, at)
        right, n = self.first_try.get(it.type, (0, 0))
        prior = (right + FIRST_TRY_PRIOR * chance(it.question)) / (n + FIRST_TRY_PRIOR)
        if c is not None:  # failed last time: no better than a question never met
            return min(prior, _retrievability(self.sched, c, at))
        return prior


def _model(library: Library, exam_id: str, ev: _Evidence, at: datetime) -> tuple[float, list[SectionReadiness], float]:
    """(expected score, per section, variance of a drawn paper's score)."""
    exam = library.exams.get(exam_id)
    if exam is None:
        raise UserError(f"unknown exam {exam_id!r} (exams in use: {', '.join(sorted(library.exams)) or 'none'})")
    sections = []
    var = 0.0
    for sec in exam.sections:
        pool = library.section_pool(sec)
        ps = [ev.correctness(it, at) for it in pool]
        mean = sum(ps) / len(ps) if ps else 0.0
        var += sec.points**2 * sec.count * mean * (1 - mean)
        sections.append(
            SectionReadiness(
                title=sec.title,
                count=sec.count,
                points=sec.points,
                pool=len(pool),
                seen=sum(1 for it in pool if it.qid in ev.cards),
                mean_retrievability=mean,
                expected=sec.points * sec.count * mean,
            )
        )
    return sum(s.expected for s in sections), sections, var


def predicted_correctness(
    store: Store, library: Library, profile: str, qids: Iterable[str], at: datetime
) -> dict[str, float]:
    """The model's chance of a right answer to each question at ``at``."""
    ev = _Evidence.read(store, library, profile)
    return {q: ev.correctness(it, to_utc(at)) for q in qids if (it := library.find(q)) is not None}


def model_score(store: Store, library: Library, profile: str, exam_id: str, at: datetime) -> float:
    """The model's expected score (before calibration by mocks) for a paper sat at ``at``."""
    return _model(library, exam_id, _Evidence.read(store, library, profile), to_utc(at))[0]


def readiness_score(store: Store, library: Library, profile: str, exam_id: str, now: datetime) -> float:
    """The readiness as shown at ``now`` (:func:`exam_readiness`'s ``expected_score``)."""
    return exam_readiness(store, library, profile, exam_id, now).expected_score


def exam_readiness(
    store: Store, library: Library, profile: str, exam_id: str, now: datetime, tz: tzinfo | None = None
) -> Readiness:
    """The expected score on ``exam_id`` with its range (the module docstring says how).

    UserError for an unknown exam."""
    now = to_utc(now)
    ev = _Evidence.read(store, library, profile)
    at = exam_day_start(ev.settings, now, tz) or now
    model, sections, paper_var = _model(library, exam_id, ev, at)
    exam = library.exams[exam_id]
    total = exam.total_points
    rows = store.execute(
        "SELECT submitted, score, passed, answered_points, predicted_answered, readiness_before, model_after"
        " FROM exam_attempts WHERE profile = ? AND exam_id = ? AND submitted IS NOT NULL ORDER BY submitted, id",
        (profile, exam_id),
    ).fetchall()
    weight = residual = last_share = 0.0
    mocks = 0
    for submitted, score, _passed, points, predicted, _shown, _after in rows:
        last_share = 0.0
        if not points or predicted is None or score is None:
            continue  # nothing answered, or an attempt from before predictions were kept
        age = max(0.0, (now - to_utc(datetime.fromisoformat(submitted))).total_seconds() / 86400)
        # a mock weighs by how much of it was answered, and less as it ages
        answered = min(1.0, float(points) / total)
        last_share = answered / (PRIOR_MOCKS + weight + answered)  # its say when it was sat
        w = 0.5 ** (age / MOCK_HALF_LIFE_DAYS) * answered
        weight += w
        residual += w * (float(score) - float(predicted)) / float(points)  # per point answered
        mocks += 1
    bias = total * residual / (PRIOR_MOCKS + weight)
    expected = min(total, max(0.0, model + bias))
    capped = False
    if rows:
        _submitted, score, passed, _points, _predicted, shown, after = rows[-1]
        if not passed and shown is not None and after is not None:
            # up to the score when it beat what was shown; else what was shown, moved toward the
            # score by the mock's say; plus only what the model gained since by study (not what
            # answering the mock itself added to it)
            s_ = float(score or 0.0)
            moved = float(shown) + last_share * (s_ - float(shown))
            now_model = model if at == now else _model(library, exam_id, ev, now)[0]
            cap = max(s_, moved) + (now_model - float(after))
            if cap < expected:
                expected, capped = max(0.0, cap), True
    sd = math.sqrt(paper_var + (MODEL_SD_SHARE * total) ** 2 / (PRIOR_MOCKS + weight))
    return Readiness(
        exam_id=exam.exam,
        title=exam.title,
        expected_score=expected,
        total=total,
        pass_score=exam.pass_score,
        likely_pass=expected >= exam.pass_score,
        sections=sections,
        low=max(0.0, expected - RANGE_Z * sd),
        high=min(total, expected + RANGE_Z * sd),
        model=model,
        mocks=mocks,
        at=at,
        capped=capped,
    )


# --------------------------------------------------------------------------- quiz stats


def cli_stats(args: argparse.Namespace, ctx: Context) -> int:
    """``quiz stats [--json]``."""
    library, problems = ctx.load_library()
    store = Store.open(ctx.db_path)
    try:
        check_changed_questions(store, library, ctx.profile)
        now = utc_now()
        ov = overview(store, library, ctx.profile, now)
        readiness = [exam_readiness(store, library, ctx.profile, e, now) for e in library.exams]
        best = best_scores(store, ctx.profile)
        if getattr(args, "json", False):
            data = ov.to_json()
            data["readiness"] = {
                r.exam_id: {**r.to_json(), "best": score_value(best[r.exam_id].score) if r.exam_id in best else None}
                for r in readiness
            }
            print(safe_json(data, indent=2))
        else:
            print(printable(_human(ov, readiness, best, ctx.language or store.get_settings(ctx.profile).language)))
    finally:
        store.close()
    if problems:
        print(f"quiz: {plural(len(problems), 'problem')} in the banks: those files were skipped; run `quiz validate`",
              file=sys.stderr)
    return 0


def _days(n: int) -> str:
    """``1 day``, ``3 days``."""
    return f"{n} day" if n == 1 else f"{n} days"


def _pct(x: float | None) -> str:
    return "—" if x is None else f"{x * 100:.0f}%"


def readiness_range(r: Readiness) -> str:
    """The range as shown: ``52-64`` (whole points, rounded outward)."""
    return "-".join(score_range(r.low, r.high))


def _human(ov: Overview, readiness: Iterable[Readiness], best: dict[str, ExamHistoryEntry], language: str) -> str:
    zh = language != "en"
    lines = []
    if zh:
        lines.append(f"学习进度 · {ov.profile}")
        lines.append(
            f"题目 {ov.questions}  已学 {ov.seen}  待复习 {ov.due}  今日新题 {ov.new_today}（还可学 {ov.new_left_today}）"
        )
        lines.append(
            f"作答 {ov.reviews} 次（今日 {ov.reviews_today}）  真实记忆率 {_pct(ov.true_retention)}  连续学习 {ov.streak} 天"
        )
        lines.append(
            f"错题本 {ov.wrong_book}  顽固题 {ov.leeches}  收藏 {ov.bookmarks}  模拟考试 {ov.exams} 次  已掌握 {ov.mastered}"
        )
        if ov.exam_date is not None:
            line = f"考试日期 {ov.exam_date.isoformat()}（还有 {ov.days_to_exam} 天）"
            if ov.suggested_daily_new is not None:
                line += f"  建议每天学 {ov.suggested_daily_new} 道新题，可在考前学完"
            lines.append(line)
        if ov.changed:
            lines.append(f"题库中有 {ov.changed} 道已学题目被修改，可在复习时重置")
        when = ov.mastery_horizon.astimezone().strftime("%m-%d") if ov.mastery_horizon else ""
        lines.append(f"掌握度 = 预计到 {when} 还能答对的比例（未学和上次答错的题算 0）")
        for t in ov.topics:
            lines.append(
                f"  {t.topic or '（无知识点）'}: {t.seen}/{t.questions} 已学, 正确率 {_pct(t.accuracy)}, 掌握度 {_pct(t.mastery)}"
            )
        for r in readiness:
            b = best.get(r.exam_id)
            head = "考试当天" if r.at is not None and ov.exam_date is not None and r.at > to_utc(utc_now()) else "如果今天考试"
            lines.append(
                f"「{r.title}」{head}预计得分约 {readiness_range(r)} 分（约 {format_score(round(r.expected_score))}，"
                f"满分 {format_score(r.total)}，及格 {format_score(r.pass_score)}）"
                + (f"  最高 {format_score(b.score)}" if b else "")
            )
    else:
        lines.append(f"Progress · {ov.profile}")
        lines.append(
            f"questions {ov.questions}  seen {ov.seen}  due {ov.due}  new today {ov.new_today} ({ov.new_left_today} left)"
        )
        lines.append(
            f"answers {ov.reviews} (today {ov.reviews_today})  true retention {_pct(ov.true_retention)}  streak {_days(ov.streak)}"
        )
        lines.append(
            f"wrong book {ov.wrong_book}  leeches {ov.leeches}  bookmarks {ov.bookmarks}  exams {ov.exams}  mastered {ov.mastered}"
        )
        if ov.exam_date is not None:
            line = f"exam date {ov.exam_date.isoformat()} ({_days(ov.days_to_exam or 0)} left)"
            if ov.suggested_daily_new is not None:
                line += f"  learn {ov.suggested_daily_new} new questions a day to see them all in time"
            lines.append(line)
        if ov.changed:
            lines.append(f"{ov.changed} question(s) you studied changed in their bank; reset them while reviewing")
        when = ov.mastery_horizon.astimezone().strftime("%m-%d") if ov.mastery_horizon else ""
        lines.append(f"mastery = share you would still recall on {when} (unseen and last-failed questions count 0)")
        for t in ov.topics:
            lines.append(
                f"  {t.topic or '(no topic)'}: {t.seen}/{t.questions} seen, accuracy {_pct(t.accuracy)}, mastery {_pct(t.mastery)}"
            )
        for r in readiness:
            b = best.get(r.exam_id)
            lines.append(
                f"{r.title}: expected about {readiness_range(r)} of {format_score(r.total)}"
                f" (pass {format_score(r.pass_score)})" + (f"  best {format_score(b.score)}" if b else "")
            )
    return "\n".join(lines)
