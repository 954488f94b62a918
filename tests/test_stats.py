"""Statistics: overview, topics, heatmap, forecast, retention, streak, readiness, and `quiz stats`."""

from __future__ import annotations

import json
from datetime import UTC, date, timedelta
from pathlib import Path
from textwrap import dedent

import pytest

from quiz.cli import main
from quiz.exam import ExamAttempt
from quiz.library import Library
from quiz.scheduler import SpacedScheduler
from quiz.session import Filters, StudySession
from quiz.stats import (
    bank_stats,
    due_forecast,
    exam_history,
    exam_readiness,
    leeches,
    overview,
    reviews_per_day,
    streak,
    topic_stats,
    true_retention,
)
from quiz.store import Settings, Store
from tests.progress_helpers import (
    Clock,
    fake_grade,
    make_bank,
    make_exam,
    make_library,
    right_answer,
    single,
    wrong_answer,
)


@pytest.fixture
def lib() -> Library:
    return make_library(exams=[make_exam(sections=[{"title": "单选", "types": ["single"], "count": 4, "points": 2.5}], pass_score=6)])


def study(store: Store, lib: Library, clock: Clock, mode: str = "sequential", right: bool = True, **kw: object) -> None:
    s = StudySession.start(
        store, lib, "amy", mode, now=clock, grader=fake_grade, scheduler=SpacedScheduler(enable_fuzzing=False), **kw  # type: ignore[arg-type]
    )
    while (it := s.current()) is not None:
        s.answer(right_answer(it.question) if right else wrong_answer(it.question), seconds=10)
    s.finish()


def test_fresh_database_overview(store: Store, lib: Library) -> None:
    ov = overview(store, lib, "amy", Clock().t, tz=UTC)
    assert (ov.questions, ov.seen, ov.due, ov.reviews, ov.wrong_book, ov.bookmarks, ov.exams) == (10, 0, 0, 0, 0, 0, 0)
    assert ov.true_retention is None and ov.streak == 0 and ov.states["new"] == 10
    j = ov.to_json()
    assert j["topics"]["评价规则"] == {
        "questions": 3, "seen": 0, "accuracy": None, "reviews": 0, "mastery": 0.0, "mastered": 0, "due": 0
    }


def test_topics_accuracy_and_mastery_follow_the_answers(store: Store, lib: Library) -> None:
    clock = Clock()
    study(store, lib, clock, filters=Filters(topics=("评价规则",)))  # 3 right
    study(store, lib, clock, right=False, filters=Filters(topics=("处罚规则",)), limit=2)  # 2 wrong
    topics = {t.topic: t for t in topic_stats(store, lib, "amy", clock.t)}
    assert (topics["评价规则"].seen, topics["评价规则"].accuracy) == (3, 1.0)
    assert (topics["处罚规则"].questions, topics["处罚规则"].seen, topics["处罚规则"].accuracy) == (3, 2, 0.0)
    assert topics["客服指标"].accuracy is None and topics["客服指标"].mastery == 0.0
    # mastery counts unseen questions and questions last answered wrong as 0: 处罚规则 had only wrong answers
    assert topics["处罚规则"].mastery == 0.0
    # answered right once: FSRS's recall a week ahead (a first Good has 2.3 days of stability: about 81%)
    assert topics["评价规则"].mastery == pytest.approx(0.81, abs=0.02)
    ov = overview(store, lib, "amy", clock.t, tz=UTC)
    assert (ov.seen, ov.reviews, ov.wrong_book) == (5, 5, 2)
    assert ov.states["learning"] == 5 and ov.states["new"] == 5


def test_bank_mastery_pools_every_topic_of_the_bank(store: Store, lib: Library) -> None:
    clock = Clock()
    study(store, lib, clock, filters=Filters(topics=("评价规则",)))  # 3 right, all in bank `rules`
    banks = {b.topic: b for b in bank_stats(store, lib, "amy", clock.t)}
    topics = {t.topic: t for t in topic_stats(store, lib, "amy", clock.t)}
    rules_qids = [it.qid for it in lib.select(banks=["rules"])]
    assert banks["rules"].questions == len(rules_qids) and banks["rules"].seen == 3
    assert banks["cs"].seen == 0 and banks["cs"].mastery == 0.0
    # the bank's mastery spreads what its studied topic holds over all its questions
    expected = topics["评价规则"].mastery * topics["评价规则"].questions / len(rules_qids)
    assert banks["rules"].mastery == pytest.approx(expected)
    assert overview(store, lib, "amy", clock.t, tz=UTC).to_json()["banks"]["rules"]["seen"] == 3


def test_reviews_per_day_and_streak(store: Store, lib: Library) -> None:
    clock = Clock()
    for day in range(3):  # three consecutive days
        study(store, lib, clock, limit=day + 1)
        clock.advance(days=1)
    heat = reviews_per_day(store, "amy", clock.t, days=7, tz=UTC)
    today = clock.t.date()
    assert len(heat) == 7 and max(heat) == today
    assert [heat[today - timedelta(days=k)] for k in (3, 2, 1, 0)] == [1, 2, 3, 0]
    assert streak(store, "amy", clock.t, tz=UTC) == 3  # up to yesterday: today is not over
    clock.advance(days=1)
    assert streak(store, "amy", clock.t, tz=UTC) == 0


def test_a_day_is_a_local_calendar_day(store: Store, lib: Library) -> None:
    from datetime import timezone

    beijing = timezone(timedelta(hours=8))
    clock = Clock()
    clock.t = clock.t.replace(hour=20)  # 04:00 next day in Beijing
    study(store, lib, clock, limit=1)
    heat = reviews_per_day(store, "amy", clock.t, days=2, tz=beijing)
    assert heat == {date(2026, 3, 2): 0, date(2026, 3, 3): 1}


def test_due_forecast_counts_cards_per_day_ahead(store: Store, lib: Library) -> None:
    clock = Clock()
    study(store, lib, clock, limit=4)  # learning: due in 10 minutes
    fc = due_forecast(store, lib, "amy", clock.t, tz=UTC)
    assert len(fc) == 30 and fc[0] == (clock.t.date(), 4) and sum(n for _, n in fc) == 4
    clock.advance(minutes=20)
    study(store, lib, clock, "smart")  # the 4 graduate to Review, due in days; plus new ones
    fc = due_forecast(store, lib, "amy", clock.t, tz=UTC)
    assert sum(n for _, n in fc[1:]) >= 4


def test_true_retention_counts_only_answers_to_review_cards(store: Store, lib: Library) -> None:
    clock = Clock()
    study(store, lib, clock, limit=4)
    clock.advance(minutes=20)
    study(store, lib, clock, "smart", filters=Filters(banks=("rules",)), limit=4)  # graduate r0-r3
    assert true_retention(store, "amy") is None  # no review-state answer yet
    clock.advance(days=60)
    s = StudySession.start(store, lib, "amy", "smart", now=clock, grader=fake_grade,
                           scheduler=SpacedScheduler(enable_fuzzing=False), filters=Filters(banks=("rules",)), limit=4)
    for k in range(4):
        it = s.current()
        assert it is not None and it.state == "review"
        s.answer(right_answer(it.question) if k < 3 else wrong_answer(it.question))
    assert true_retention(store, "amy") == 0.75


def test_exam_readiness_starts_at_guessing_and_grows_with_study(store: Store, lib: Library) -> None:
    clock = Clock()
    r0 = exam_readiness(store, lib, "amy", "mock", clock.t)
    # nothing studied: every question counts at the chance of guessing it (1 of 4 choices)
    assert r0.expected_score == pytest.approx(10 * 0.25) and r0.total == 10 and not r0.likely_pass
    assert r0.sections[0].pool == 6  # the single questions of both banks (rules r0-r5)
    assert r0.low < r0.expected_score < r0.high  # a range, wide without evidence
    study(store, lib, clock, filters=Filters(types=("single",)))
    clock.advance(minutes=20)
    study(store, lib, clock, "smart")
    clock.advance(days=1)
    r1 = exam_readiness(store, lib, "amy", "mock", clock.t)
    sec = r1.sections[0]
    assert sec.seen == 6 and 0.5 < sec.mean_retrievability <= 1
    assert r1.expected_score == pytest.approx(2.5 * 4 * sec.mean_retrievability)  # no mock yet: the model alone
    clock.advance(days=365)
    assert exam_readiness(store, lib, "amy", "mock", clock.t).expected_score < r1.expected_score


def test_exam_history(store: Store, lib: Library) -> None:
    clock = Clock()
    att = ExamAttempt.start(store, lib, "amy", "mock", seed=1, now=clock, grader=fake_grade)
    for q in att.questions:
        att.answer(q.position, right_answer(q.question))
    att.submit()
    ExamAttempt.start(store, lib, "amy", "mock", seed=2, now=clock, grader=fake_grade)  # unfinished
    [h] = exam_history(store, "amy")
    assert (h.score, h.total, h.passed) == (10, 10, True)
    assert overview(store, lib, "amy", clock.t).exams == 1


# -- the command -------------------------------------------------------------

BANK = dedent(
    """\
    bank: mini
    title: 小题库
    questions:
      - id: q1
        type: single
        topic: 评价规则
        prompt: 哪个对?
        choices: [甲, 乙, 丙]
        answer: B
      - id: q2
        type: judge
        topic: 评价规则
        prompt: 对吗?
        answer: true
      - id: q3
        type: numeric
        topic: 运费
        prompt: 几天?
        answer: 15
    """
)


@pytest.fixture
def banks(tmp_path: Path) -> Path:
    d = tmp_path / "banks"
    d.mkdir()
    (d / "mini.yaml").write_text(BANK, encoding="utf-8")
    return d


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_quiz_stats_json_on_a_fresh_database(tmp_path: Path, banks: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "new.db"
    code, out, err = run(capsys, "--db", str(db), "--banks", str(banks), "stats", "--json")
    assert code == 0, err
    data = json.loads(out)
    for key in ("profile", "questions", "seen", "due", "reviews", "wrong_book", "bookmarks", "exams", "topics"):
        assert key in data
    assert (data["profile"], data["questions"], data["seen"], data["reviews"]) == ("default", 3, 0, 0)
    assert data["topics"]["评价规则"] == {**data["topics"]["评价规则"], "questions": 2, "seen": 0, "accuracy": None}
    assert db.exists()


def test_quiz_stats_after_study(tmp_path: Path, banks: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from quiz.context import Context

    db = tmp_path / "p.db"
    ctx = Context(banks_dir=banks, db_path=db, profile="lin")
    lib, problems = ctx.load_library()
    assert not problems
    with Store.open(db) as store:
        s = StudySession.start(store, lib, "lin", "sequential", grader=fake_grade)
        s.answer("B")
        s.answer("错")
        s.toggle_bookmark()
    code, out, err = run(capsys, "stats", "--json", "--db", str(db), "--banks", str(banks), "--profile", "lin")
    assert code == 0, err
    data = json.loads(out)
    assert (data["profile"], data["seen"], data["reviews"], data["wrong_book"], data["bookmarks"]) == ("lin", 2, 2, 1, 1)
    assert data["topics"]["评价规则"]["seen"] == 2 and data["topics"]["评价规则"]["accuracy"] == 0.5
    assert data["topics"]["运费"]["seen"] == 0
    # the human summary
    code, out, err = run(capsys, "stats", "--db", str(db), "--banks", str(banks), "--profile", "lin")
    assert code == 0 and "已学 2" in out and "错题本 1" in out
    code, out, err = run(capsys, "--lang", "en", "stats", "--db", str(db), "--banks", str(banks), "--profile", "lin")
    assert code == 0 and "seen 2" in out and "streak 1 day\n" in out  # one day, not "1 days"


def test_quiz_stats_refuses_a_file_that_is_not_sqlite(tmp_path: Path, banks: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "notes.txt"
    db.write_text("买家说好评返现\n", encoding="utf-8")
    before = db.read_bytes()
    code, out, err = run(capsys, "--db", str(db), "--banks", str(banks), "stats", "--json")
    assert code != 0 and out == ""
    assert err.count("\n") == 1 and "not a SQLite database" in err and "Traceback" not in err
    assert db.read_bytes() == before


# -- issue 11: numbers a learner can trust --------------------------------------------


def test_one_answer_in_a_45_question_mock_is_one_review(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The shipped 客服认证模拟考试 (45 questions) submitted with one question answered, wrong."""
    from quiz.loader import load_paths
    from tests.conftest import SHIPPED_BANKS

    shipped, _ = load_paths([SHIPPED_BANKS])
    db = tmp_path / "p.db"
    with Store.open(db) as store:
        att = ExamAttempt.start(store, shipped, "default", "cs-mock")
        assert len(att.questions) == 45
        att.answer(0, wrong_answer(att.questions[0].question))
        res = att.submit()
        assert res.unanswered == 44
    code, out, err = run(capsys, "--db", str(db), "stats", "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["reviews"] <= 1 and data["wrong_book"] <= 1 and data["new_today"] <= 1
    assert (data["reviews"], data["wrong_book"], data["new_today"], data["seen"]) == (1, 1, 1, 1)
    assert data["exams"] == 1
    mock = data["readiness"]["cs-mock"]
    assert mock["best"] == 0 and mock["expected"] < 60 and mock["low"] <= mock["expected"] <= mock["high"]


def test_a_topic_whose_only_question_was_just_answered_wrong_is_below_half(store: Store) -> None:
    lib = Library()
    lib.add_bank(make_bank("one", [single("q", "运费险")]))
    clock = Clock()
    s = StudySession.start(store, lib, "amy", "sequential", now=clock, grader=fake_grade)
    it = s.current()
    assert it is not None
    s.answer(wrong_answer(it.question), seconds=5)
    [topic] = topic_stats(store, lib, "amy", clock.t)
    assert topic.seen == 1 and topic.mastery < 0.5
    assert topic.mastery == 0.0  # not known until answered right
    # answered right afterwards, it counts FSRS's predicted recall a week ahead
    s2 = StudySession.start(store, lib, "amy", "sequential", now=clock, grader=fake_grade)
    s2.answer(right_answer(it.question), seconds=5)
    [topic] = topic_stats(store, lib, "amy", clock.t)
    assert 0.5 < topic.mastery < 0.9


def test_mastery_looks_as_far_ahead_as_the_exam_date(store: Store, lib: Library) -> None:
    clock = Clock()
    study(store, lib, clock, filters=Filters(topics=("评价规则",)))
    week = {t.topic: t.mastery for t in topic_stats(store, lib, "amy", clock.t)}["评价规则"]
    store.save_settings("amy", Settings(exam_date=(clock.t + timedelta(days=40)).date().isoformat()))
    ov = overview(store, lib, "amy", clock.t, tz=UTC)
    exam = {t.topic: t.mastery for t in ov.topics}["评价规则"]
    assert 0 < exam < week  # 40 days ahead, less is remembered than a week ahead
    assert ov.mastery_horizon is not None and (ov.mastery_horizon - clock.t).days >= 39
    assert ov.days_to_exam == 40
    # 7 questions unseen, 40 days left, the last 3 for review: one a day sees them all
    assert ov.suggested_daily_new == 1
    j = ov.to_json()
    assert (j["exam_date"], j["days_to_exam"], j["suggested_daily_new"]) == (ov.exam_date.isoformat(), 40, 1)  # type: ignore[union-attr]
    # an exam date that has passed is ignored
    store.save_settings("amy", Settings(exam_date="2020-01-01"))
    assert overview(store, lib, "amy", clock.t, tz=UTC).suggested_daily_new is None


def test_suggested_daily_new_spreads_the_unseen_questions_over_the_days_left() -> None:
    from datetime import date

    from quiz.stats import suggested_daily_new

    today = date(2026, 3, 2)
    assert suggested_daily_new(152, today, date(2026, 3, 22)) == 9  # 20 days, 17 for new questions
    assert suggested_daily_new(152, today, date(2026, 3, 4)) == 152  # two days left: all now
    assert suggested_daily_new(0, today, date(2026, 4, 1)) == 0
    assert suggested_daily_new(10, today, None) is None and suggested_daily_new(10, today, today) is None


def test_readiness_does_not_rise_after_a_failed_mock(store: Store) -> None:
    """The issue's case: right after failing a mock with 15/100 the readiness said 76/100."""
    from tests.readiness_sim import sim_library

    lib, _ = sim_library()
    clock = Clock()
    # a learner who studied a little first (so readiness rests on something)
    s = StudySession.start(store, lib, "amy", "smart", now=clock, grader=fake_grade,
                           scheduler=SpacedScheduler(enable_fuzzing=False))
    k = 0
    while (it := s.current()) is not None:
        s.answer(right_answer(it.question) if k % 2 else wrong_answer(it.question), seconds=8)
        k += 1
    clock.advance(hours=1)
    before = exam_readiness(store, lib, "amy", "mock", clock.t)
    att = ExamAttempt.start(store, lib, "amy", "mock", seed=3, now=clock, grader=fake_grade)
    wrong = 0
    for q in att.questions:
        if q.position < 8:
            att.answer(q.position, right_answer(q.question))
        elif q.position < 30:
            att.answer(q.position, wrong_answer(q.question))
            wrong += 1
    res = att.submit()
    assert not res.passed and res.score < 25
    after = exam_readiness(store, lib, "amy", "mock", clock.t)
    assert after.expected_score <= max(before.expected_score, res.score) + 1e-9
    assert after.expected_score < before.expected_score or before.expected_score <= res.score
    assert not after.likely_pass and after.mocks == 1
    assert after.low <= after.expected_score <= after.high


def test_leeches_and_the_day_start_hour_in_the_overview(store: Store, lib: Library) -> None:
    clock = Clock()
    for _ in range(6):
        study(store, lib, clock, "focus", right=False, filters=Filters(topics=("评价规则",)), limit=1)
        clock.advance(minutes=30)
    ov = overview(store, lib, "amy", clock.t, tz=UTC)
    assert ov.leeches == 1 and ov.to_json()["leeches"] == 1 and ov.to_json()["leech_threshold"] == 6
    assert leeches(store, lib, "amy") == {"rules/r0": 6}
    store.save_settings("amy", Settings(leech_threshold=7))
    assert overview(store, lib, "amy", clock.t, tz=UTC).leeches == 0
    # the study day starts at 04:00: answers at 02:00 belong to the day before
    assert ov.day_start_hour == 4
    night = clock.t.replace(hour=2, minute=0) + timedelta(days=1)  # 02:00 UTC the next day
    study(store, lib, Clock(night), filters=Filters(topics=("处罚规则",)), limit=1)
    days = reviews_per_day(store, "amy", night, days=3, tz=UTC)
    assert days[clock.t.date()] == 7  # the six earlier answers and the one at 02:00
    assert overview(store, lib, "amy", night, tz=UTC).reviews_today == 7
    assert streak(store, "amy", night, tz=UTC) == 1


def test_best_score_has_one_format(tmp_path: Path, banks: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from quiz.scores import format_score, score_value

    assert [format_score(x) for x in (13.0001, 12.9999, 12.5, 12.25, 0.0, 100)] == ["13", "13", "12.5", "12.2", "0", "100"]
    assert score_value(13.0001) == 13 and isinstance(score_value(13.0001), int) and score_value(12.55) == 12.6
    db = tmp_path / "p.db"
    (banks / "exams").mkdir()
    (banks / "exams" / "mini.yaml").write_text(dedent(
        """\
        exam: mini
        title: 小考
        time_limit_minutes: 10
        pass_score: 2
        sections:
          - {title: 单选, types: [single], count: 1, points: 13.0001}
        """
    ), encoding="utf-8")
    from quiz.context import Context

    lib, problems = Context(banks_dir=banks, db_path=db, profile="default").load_library()
    assert not problems
    with Store.open(db) as store:
        att = ExamAttempt.start(store, lib, "default", "mini", grader=fake_grade)
        att.answer(0, right_answer(att.questions[0].question))
        assert att.submit().score == pytest.approx(13.0001)
    code, out, _ = run(capsys, "--db", str(db), "--banks", str(banks), "stats", "--json")
    assert code == 0 and json.loads(out)["readiness"]["mini"]["best"] == 13
    _code, out, _ = run(capsys, "--db", str(db), "--banks", str(banks), "stats")
    assert "最高 13" in out and "13.0" not in out
