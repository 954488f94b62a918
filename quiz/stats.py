"""What a learner's progress means: the numbers behind the stats screen and ``quiz stats``.

Definitions (every function takes ``now``; days are calendar days in ``tz``,
default the machine's local time zone):

* **seen**: questions answered at least once (outside 背题模式).
* **accuracy** of a topic: share of ``correct`` verdicts among all its reviews
  (partial counts as not correct); ``None`` with no review.
* **mastery** of a topic: mean FSRS retrievability *now* over all its questions
  in the banks, a question never answered counting 0. It reads "how much of this
  topic you would get right today".
* **mastered**: questions in the Review state with stability of at least
  :data:`MASTERED_STABILITY_DAYS` (21 days, Anki's "mature").
* **true retention**: share of correct answers among reviews of cards that were
  in the Review state when answered (Anki's definition); ``None`` without any.
* **streak**: consecutive days with at least one review, ending today (or
  yesterday, when today has none yet).
* **due forecast**: per day for the next 30 days, how many cards fall due that
  day (cards already overdue count on day 0), questions no longer in the banks excluded.
* **exam readiness**: expected score on a blueprint = sum over sections of
  ``points x count x mean retrievability of the section's pool``, where a
  question never answered counts 0 (nothing is assumed known).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from typing import Any

from quiz.context import Context
from quiz.errors import UserError
from quiz.exam import ExamAttempt
from quiz.library import Item, Library
from quiz.scheduler import Card, SpacedScheduler, State, to_utc, utc_now
from quiz.session import check_changed_questions, start_of_day
from quiz.store import Store, iso

MASTERED_STABILITY_DAYS = 21.0


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
    mean_retrievability: float
    expected: float


@dataclass(frozen=True)
class Readiness:
    exam_id: str
    title: str
    expected_score: float
    total: float
    pass_score: float
    likely_pass: bool
    sections: list[SectionReadiness]


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
    """Everything ``quiz stats`` reports (``to_json`` gives the cli.md keys)."""

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


def _local_date(t: datetime, tz: tzinfo | None) -> date:
    return (t.astimezone(tz) if tz is not None else t.astimezone()).date()


@dataclass(frozen=True)
class _CardInfo:
    qid: str
    state: int
    stability: float | None
    last_review: datetime | None
    due: datetime


def _cards_in_library(store: Store, library: Library, profile: str) -> dict[str, _CardInfo]:
    return {r[0]: _CardInfo(*r) for r in store.card_summaries(profile) if r[0] in library}


def _retrievability(sched: SpacedScheduler, c: _CardInfo | None, now: datetime) -> float:
    if c is None or c.stability is None or c.last_review is None:
        return 0.0
    card = Card(card_id=1, state=State(c.state), stability=c.stability, last_review=c.last_review, due=c.due)
    return sched.retrievability(card, now)


def _mastered(c: _CardInfo) -> bool:
    return c.state == int(State.Review) and (c.stability or 0.0) >= MASTERED_STABILITY_DAYS


def overview(store: Store, library: Library, profile: str, now: datetime, tz: tzinfo | None = None) -> Overview:
    now = to_utc(now)
    cards = _cards_in_library(store, library, profile)
    settings = store.get_settings(profile)
    today = start_of_day(now, tz)
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
        topics=topic_stats(store, library, profile, now, _cards=cards),
        states=states,
        banks=bank_stats(store, library, profile, now, _cards=cards),
    )


def topic_stats(
    store: Store, library: Library, profile: str, now: datetime, *, _cards: dict[str, _CardInfo] | None = None
) -> list[TopicStats]:
    """Per topic in bank order (questions without a topic under ``""``)."""
    return _group_stats(store, library, profile, now, lambda it: it.topic, _cards)


def bank_stats(
    store: Store, library: Library, profile: str, now: datetime, *, _cards: dict[str, _CardInfo] | None = None
) -> list[TopicStats]:
    """Per bank, in load order (``topic`` holds the bank id)."""
    return _group_stats(store, library, profile, now, lambda it: it.bank, _cards)


def _group_stats(
    store: Store,
    library: Library,
    profile: str,
    now: datetime,
    key: Callable[[Item], str],
    _cards: dict[str, _CardInfo] | None,
) -> list[TopicStats]:
    now = to_utc(now)
    cards = _cards if _cards is not None else _cards_in_library(store, library, profile)
    sched = SpacedScheduler(desired_retention=store.get_settings(profile).desired_retention, enable_fuzzing=False)
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
                mastery=sum(_retrievability(sched, c, now) for c in seen) / len(qids) if qids else 0.0,
                mastered=sum(1 for c in seen if _mastered(c)),
                due=sum(1 for c in seen if c.due <= now),
            )
        )
    return out


def _reviews_by_local_day(
    store: Store, profile: str, now: datetime, tz: tzinfo | None, since: str | None
) -> dict[date, int]:
    """Reviews per local calendar day (the offset of ``tz`` at ``now``), read from the (profile, ts) index."""
    offset = _local_offset(now, tz)
    where, params = "profile = ?", [profile]
    if since is not None:
        where += " AND ts >= ?"
        params.append(since)
    out: dict[date, int] = {}
    if offset.total_seconds() % 3600 == 0:
        # group by UTC hour (cheap text prefix), then shift whole hours into local days
        for hour, n in store.execute(
            f"SELECT substr(ts, 1, 13), count(*) FROM reviews WHERE {where} GROUP BY 1", params
        ):
            d = (datetime.fromisoformat(hour + ":00:00+00:00") + offset).date()
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
    """Reviews per calendar day over the last ``days`` days (days without reviews included as 0).

    The day boundary uses ``tz``'s offset at ``now`` (no DST shifts inside the range).
    """
    now = to_utc(now)
    today = _local_date(now, tz)
    first = today - timedelta(days=days - 1)
    out = {first + timedelta(days=i): 0 for i in range(days)}
    since = iso(start_of_day(now, tz) - timedelta(days=days - 1))
    for day, n in _reviews_by_local_day(store, profile, now, tz, since).items():
        if day in out:
            out[day] = n
    return out


def due_forecast(
    store: Store, library: Library, profile: str, now: datetime, days: int = 30, tz: tzinfo | None = None
) -> list[tuple[date, int]]:
    now = to_utc(now)
    today = _local_date(now, tz)
    counts = [0] * days
    for c in _cards_in_library(store, library, profile).values():
        k = max(0, (_local_date(c.due, tz) - today).days)
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
    day_start = start_of_day(now, tz)

    def any_review(start: datetime) -> bool:
        end = start_of_day(start + timedelta(hours=36), tz)  # the next local midnight, DST-proof
        row = store.execute(
            "SELECT 1 FROM reviews WHERE profile = ? AND ts >= ? AND ts < ? LIMIT 1", (profile, iso(start), iso(end))
        ).fetchone()
        return row is not None

    if not any_review(day_start):  # today not studied yet: the streak may still end yesterday
        day_start = start_of_day(day_start - timedelta(hours=12), tz)
    n = 0
    while any_review(day_start):  # one index seek per day
        n += 1
        day_start = start_of_day(day_start - timedelta(hours=12), tz)
    return n


def exam_history(store: Store, profile: str, exam_id: str | None = None) -> list[ExamHistoryEntry]:
    """Submitted attempts, newest first."""
    return [
        ExamHistoryEntry(a.attempt_id, a.exam_id, a.started, a.submitted, a.score or 0.0, a.total, bool(a.passed))
        for a in ExamAttempt.history(store, profile, exam_id)
        if a.submitted is not None
    ]


def exam_readiness(store: Store, library: Library, profile: str, exam_id: str, now: datetime) -> Readiness:
    """Expected score if the exam were taken at ``now`` (UserError for an unknown exam)."""
    now = to_utc(now)
    exam = library.exams.get(exam_id)
    if exam is None:
        raise UserError(f"unknown exam {exam_id!r} (exams in use: {', '.join(sorted(library.exams)) or 'none'})")
    cards = _cards_in_library(store, library, profile)
    sched = SpacedScheduler(desired_retention=store.get_settings(profile).desired_retention, enable_fuzzing=False)
    sections = []
    for sec in exam.sections:
        pool = library.section_pool(sec)
        rs = [_retrievability(sched, cards.get(it.qid), now) for it in pool]
        mean = sum(rs) / len(rs) if rs else 0.0
        sections.append(
            SectionReadiness(
                title=sec.title,
                count=sec.count,
                points=sec.points,
                pool=len(pool),
                seen=sum(1 for it in pool if it.qid in cards),
                mean_retrievability=mean,
                expected=sec.points * sec.count * mean,
            )
        )
    expected = sum(s.expected for s in sections)
    return Readiness(
        exam_id=exam.exam,
        title=exam.title,
        expected_score=expected,
        total=exam.total_points,
        pass_score=exam.pass_score,
        likely_pass=expected >= exam.pass_score,
        sections=sections,
    )


def cli_stats(args: argparse.Namespace, ctx: Context) -> int:
    """``quiz stats [--json]``."""
    library, problems = ctx.load_library()
    store = Store.open(ctx.db_path)
    try:
        check_changed_questions(store, library, ctx.profile)
        now = utc_now()
        ov = overview(store, library, ctx.profile, now)
        readiness = [exam_readiness(store, library, ctx.profile, e, now) for e in library.exams]
        if getattr(args, "json", False):
            data = ov.to_json()
            data["readiness"] = {
                r.exam_id: {"expected": round(r.expected_score, 1), "total": r.total, "pass_score": r.pass_score}
                for r in readiness
            }
            print(json.dumps(data, ensure_ascii=False, indent=2))
        else:
            print(_human(ov, readiness, ctx.language or store.get_settings(ctx.profile).language))
    finally:
        store.close()
    if problems:
        print(f"quiz: {len(problems)} problem(s) in the banks were skipped; run `quiz validate`", file=sys.stderr)
    return 0


def _pct(x: float | None) -> str:
    return "—" if x is None else f"{x * 100:.0f}%"


def _human(ov: Overview, readiness: list[Readiness], language: str) -> str:
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
        lines.append(f"错题本 {ov.wrong_book}  收藏 {ov.bookmarks}  模拟考试 {ov.exams} 次  已掌握 {ov.mastered}")
        if ov.changed:
            lines.append(f"题库中有 {ov.changed} 道已学题目被修改，可在复习时重置")
        for t in ov.topics:
            lines.append(
                f"  {t.topic or '（无知识点）'}: {t.seen}/{t.questions} 已学, 正确率 {_pct(t.accuracy)}, 掌握度 {_pct(t.mastery)}"
            )
        for r in readiness:
            lines.append(
                f"「{r.title}」如果今天考试，预计得分约 {r.expected_score:.0f} / {r.total:.0f}（及格 {r.pass_score:.0f}）"
            )
    else:
        lines.append(f"Progress · {ov.profile}")
        lines.append(
            f"questions {ov.questions}  seen {ov.seen}  due {ov.due}  new today {ov.new_today} ({ov.new_left_today} left)"
        )
        lines.append(
            f"answers {ov.reviews} (today {ov.reviews_today})  true retention {_pct(ov.true_retention)}  streak {ov.streak} days"
        )
        lines.append(f"wrong book {ov.wrong_book}  bookmarks {ov.bookmarks}  exams {ov.exams}  mastered {ov.mastered}")
        if ov.changed:
            lines.append(f"{ov.changed} question(s) you studied changed in their bank; reset them while reviewing")
        for t in ov.topics:
            lines.append(
                f"  {t.topic or '(no topic)'}: {t.seen}/{t.questions} seen, accuracy {_pct(t.accuracy)}, mastery {_pct(t.mastery)}"
            )
        for r in readiness:
            lines.append(
                f"{r.title}: if the exam were today you would score about {r.expected_score:.0f} of {r.total:.0f}"
                f" (pass {r.pass_score:.0f})"
            )
    return "\n".join(lines)
