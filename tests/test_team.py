"""The trainer's team view in the core: disputes regraded or rejected, assignments, team rows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from quiz import team
from quiz.accounts import add_account
from quiz.errors import UserError
from quiz.exam import ExamAttempt
from quiz.loader import load_paths
from quiz.scheduler import Rating, SpacedScheduler
from quiz.session import Filters, StudySession
from quiz.store import Store
from tests.tui_support import TUI_BANKS

T0 = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
LIB, _ = load_paths([TUI_BANKS])
SCHED = SpacedScheduler(enable_fuzzing=False)


def answer(store: Store, profile: str, qid: str, text: str, when: datetime) -> StudySession:
    item = LIB.item(qid)
    s = StudySession.start(store, LIB, profile, "focus", Filters(topics=(item.topic,)), now=lambda: when, scheduler=SCHED)
    while (cur := s.current()) is not None and cur.qid != qid:
        s.skip()
    s.answer(text, seconds=20)
    return s


def test_an_accepted_dispute_regrades_the_answer_card_and_wrong_book(store: Store) -> None:
    qid = "tui-rules/review-days"
    s = answer(store, "li", qid, "14天", T0)  # graded wrong; the learner says it was right
    dispute_id = s.dispute_last("教材上写的是14天")
    assert store.in_wrong_book("li", qid)
    card_before = store.get_card("li", qid)
    assert card_before is not None and card_before.card.stability is not None

    case = team.resolve_dispute(store, LIB, dispute_id, accept=True, by="boss", now=T0 + timedelta(hours=2),
                                scheduler=SCHED)
    assert (case.status, case.resolved_by) == ("accepted", "boss")
    review = store.reviews("li", qid)[0]
    assert (review.verdict, review.score, review.rating) == ("correct", 1.0, int(Rating.Good))
    expected = SCHED.review(None, Rating.Good, T0, 20)  # as if it had been graded right the first time
    card = store.get_card("li", qid)
    assert card is not None and card.due == expected.due and card.stability == expected.stability
    assert card.reps == 1 and card.lapses == 0 and card.fails == 0 and card.last_rating == int(Rating.Good)
    assert not store.in_wrong_book("li", qid)
    orig = store.execute("SELECT original_verdict, original_score FROM disputes WHERE id = ?", (dispute_id,)).fetchone()
    assert orig == ("wrong", 0.0)
    [notice] = team.notices(store, "li", T0 + timedelta(days=1))
    assert notice.status == "accepted" and notice.qid == qid
    with pytest.raises(UserError, match="already accepted"):
        team.resolve_dispute(store, LIB, dispute_id, accept=False, note="x", by="boss", now=T0)


def _failed_exam(store: Store) -> tuple[ExamAttempt, int]:
    """li sits tui-mock and fails it: every choice and judge answered right but the numeric one wrong,
    and one single choice wrong (the pass mark is 6 of 8). Returns the attempt and the wrong single's place."""
    att = ExamAttempt.start(store, LIB, "li", "tui-mock", seed=3, now=lambda: T0, scheduler=SCHED)
    wrong_single = None
    for q in att.questions:
        key = q.question.expected_text()
        if q.question.type == "single":
            right = str(q.question.answer)  # type: ignore[union-attr]
            if wrong_single is None:
                wrong_single = q.position
                right = "A" if right != "A" else "B"
            att.answer(q.position, right)
        elif q.question.type == "judge":
            att.answer(q.position, "对" if q.question.answer else "错")  # type: ignore[union-attr]
        else:
            att.answer(q.position, "999")
        assert key
    att.submit()
    assert wrong_single is not None
    return att, wrong_single


def test_a_dispute_of_an_exam_answer_corrects_the_attempts_score_when_accepted(store: Store) -> None:
    att, pos = _failed_exam(store)
    before = att.result()
    assert before is not None and before.score == 4 and not before.passed  # 2 (one single) + 2 (the judges) of 8; 6 passes
    qid = att.question(pos).qid
    with pytest.raises(UserError, match="nothing to dispute"):
        att.dispute(next(q.position for q in before.questions if q.result.verdict == "correct"))
    dispute_id = att.dispute(pos, "选项B也对")
    assert att.dispute(pos) == dispute_id  # disputing again is the same open dispute
    assert att.disputed() == {pos: "open"}
    [case] = team.disputes(store, status="open")
    assert (case.attempt_id, case.position, case.qid) == (att.attempt_id, pos, qid)
    ctx = team.exam_context(store, case)
    assert ctx is not None and (ctx.exam_id, ctx.position, ctx.points, ctx.earned, ctx.score) == ("tui-mock", pos, 2, 0, 4)
    assert store.in_wrong_book("li", qid)

    team.resolve_dispute(store, LIB, dispute_id, accept=True, by="boss", now=T0 + timedelta(hours=1), scheduler=SCHED)
    # the paper: the question earns its points; the score, pass and breakdown are recomputed
    row = store.execute("SELECT verdict, score, earned FROM exam_answers WHERE attempt_id = ? AND position = ?",
                        (att.attempt_id, pos)).fetchone()
    assert row == ("correct", 1.0, 2.0)
    again = ExamAttempt.resume(store, LIB, att.attempt_id).result()
    assert again is not None and again.score == 6 and again.passed
    [info] = ExamAttempt.history(store, "li")
    assert info.score == 6 and info.passed
    import json

    breakdown = json.loads(store.execute("SELECT breakdown FROM exam_attempts WHERE id = ?", (att.attempt_id,)).fetchone()[0])
    single = next(s for s in breakdown["sections"] if s["title"] == "单选题")
    assert (single["correct"], single["earned"]) == (2, 4)
    # the exam's review of that answer is regraded as a study answer's would be, the wrong book replayed
    review = next(r for r in store.reviews("li", qid) if r.mode == "exam")
    assert (review.verdict, review.score) == ("correct", 1.0)
    assert not store.in_wrong_book("li", qid)
    # and it is auditable: what the answer and the attempt had before stays on the dispute
    [done] = team.disputes(store, status="accepted")
    assert (done.original_exam_score, done.original_exam_passed) == (4, False)
    orig = store.execute("SELECT original_verdict, original_score FROM disputes WHERE id = ?", (dispute_id,)).fetchone()
    assert orig == ("wrong", 0.0)
    assert att.disputed() == {pos: "accepted"}
    with pytest.raises(UserError, match="nothing to dispute"):
        att.dispute(pos)  # now graded correct


def test_a_rejected_exam_dispute_leaves_the_score(store: Store) -> None:
    att, pos = _failed_exam(store)
    dispute_id = att.dispute(pos)
    team.resolve_dispute(store, LIB, dispute_id, accept=False, note="B 不对，见第3条", by="boss", now=T0)
    [info] = ExamAttempt.history(store, "li")
    assert info.score == 4 and not info.passed
    assert store.execute("SELECT verdict FROM exam_answers WHERE attempt_id = ? AND position = ?",
                         (att.attempt_id, pos)).fetchone() == ("wrong",)
    [case] = team.notices(store, "li", T0 + timedelta(hours=1))
    assert case.status == "rejected" and case.original_exam_score is None


def test_an_exam_answer_cannot_be_disputed_before_the_exam_is_submitted(store: Store) -> None:
    att = ExamAttempt.start(store, LIB, "li", "tui-mock", seed=3, now=lambda: T0, scheduler=SCHED)
    att.answer(0, "A")
    with pytest.raises(UserError, match="once the exam is submitted"):
        att.dispute(0)


def test_a_regrade_keeps_the_later_answers_and_their_wrong_book_streak(store: Store) -> None:
    qid = "tui-rules/review-days"
    answer(store, "li", qid, "14天", T0)
    s = answer(store, "li", qid, "13天", T0 + timedelta(days=1))  # wrong again; this one is disputed
    dispute_id = s.dispute_last()
    answer(store, "li", qid, "15天", T0 + timedelta(days=2))  # right
    entry = {e.qid: e for e in store.wrong_book("li")}[qid]
    assert (entry.streak, entry.wrong_count) == (1, 2)
    team.resolve_dispute(store, LIB, dispute_id, accept=True, by="boss", now=T0 + timedelta(days=3), scheduler=SCHED)
    # wrong, correct (regraded), correct: two right in a row take it out of the book
    assert not store.in_wrong_book("li", qid)
    verdicts = [r.verdict for r in store.reviews("li", qid)]
    assert verdicts == ["wrong", "correct", "correct"]
    card = store.get_card("li", qid)
    assert card is not None and card.reps == 3


def test_a_rejected_dispute_needs_a_note_the_learner_then_sees(store: Store) -> None:
    s = answer(store, "li", "tui-rules/review-days", "14天", T0)
    dispute_id = s.dispute_last()
    with pytest.raises(UserError, match="note"):
        team.resolve_dispute(store, LIB, dispute_id, accept=False, by="boss", now=T0)
    case = team.resolve_dispute(store, LIB, dispute_id, accept=False, note="评价期是15天，见《淘宝网评价规范》",
                                by="boss", now=T0 + timedelta(hours=1))
    assert case.status == "rejected"
    assert store.reviews("li")[0].verdict == "wrong"  # nothing regraded
    [notice] = team.notices(store, "li", T0 + timedelta(days=1))
    assert notice.resolution_note == "评价期是15天，见《淘宝网评价规范》"
    assert team.notices(store, "li", T0 + timedelta(days=team.NOTICE_DAYS + 1)) == []
    assert team.notices(store, "wang", T0 + timedelta(days=1)) == []  # nobody else's


def test_an_exam_assignment_is_done_by_an_attempt_submitted_after_it_was_set(store: Store) -> None:
    for name in ("li", "wang"):
        store.ensure_profile(name, T0)
    old = ExamAttempt.start(store, LIB, "li", "tui-mock", seed=1, now=lambda: T0 - timedelta(days=1), scheduler=SCHED)
    old.submit()  # before the assignment: does not count
    due = team.parse_due("2026-12-01", T0, UTC)
    a = team.assign(store, LIB, kind="exam", target="tui-mock", learners=["li", "wang"], due=due, by="boss", now=T0,
                    note="周五前完成")
    assert a.learners == ("li", "wang") and a.note == "周五前完成"
    st = team.status(store, LIB, a, "li", T0)
    assert not st.done and not st.overdue
    attempt = ExamAttempt.start(store, LIB, "li", "tui-mock", seed=2, now=lambda: T0 + timedelta(hours=1), scheduler=SCHED)
    attempt.submit()
    [mine] = team.learner_assignments(store, LIB, "li", T0 + timedelta(hours=2))
    assert mine.done and mine.score is not None and mine.exam_total == 8
    late = team.learner_assignments(store, LIB, "wang", due + timedelta(minutes=1))
    assert late[0].overdue and not late[0].done
    team.cancel_assignment(store, a.id, T0)
    assert team.learner_assignments(store, LIB, "wang", T0) == []


def test_a_topic_assignment_counts_the_topics_questions_answered_since(store: Store) -> None:
    store.ensure_profile("li", T0)
    a = team.assign(store, LIB, kind="topic", target="发货规则", learners=["li"], due=T0 + timedelta(days=3),
                    by="boss", now=T0)
    answer(store, "li", "tui-rules/ship-days", "B", T0 + timedelta(hours=1))
    st = team.status(store, LIB, a, "li", T0 + timedelta(hours=1))
    assert (st.answered, st.total, st.done) == (1, 2, False) and st.progress == 0.5
    answer(store, "li", "tui-rules/delay-comp", "A", T0 + timedelta(hours=2))  # wrong still counts as practised
    assert team.status(store, LIB, a, "li", T0 + timedelta(hours=2)).done


def test_assigning_refuses_what_does_not_exist(store: Store) -> None:
    store.ensure_profile("li", T0)
    due = T0 + timedelta(days=1)
    with pytest.raises(UserError, match="no exam"):
        team.assign(store, LIB, kind="exam", target="nope", learners=["li"], due=due, by="b", now=T0)
    with pytest.raises(UserError, match="no topic"):
        team.assign(store, LIB, kind="topic", target="nope", learners=["li"], due=due, by="b", now=T0)
    with pytest.raises(UserError, match="no learner"):
        team.assign(store, LIB, kind="topic", target="发货规则", learners=["ghost"], due=due, by="b", now=T0)
    with pytest.raises(UserError, match="at least one"):
        team.assign(store, LIB, kind="topic", target="发货规则", learners=[], due=due, by="b", now=T0)
    with pytest.raises(UserError, match="past"):
        team.assign(store, LIB, kind="topic", target="发货规则", learners=["li"], due=T0, by="b", now=T0)
    with pytest.raises(UserError, match="YYYY-MM-DD"):
        team.parse_due("next friday", T0)
    with pytest.raises(UserError, match="past"):
        team.parse_due("2026-11-01", T0)
    assert team.parse_due("0", T0, UTC) == datetime(2026, 11, 27, 23, 59, 59, tzinfo=UTC)


def test_the_team_lists_accounts_and_profiles_with_their_progress(tmp_path: Path) -> None:
    with Store.open(tmp_path / "p.db") as store:
        add_account(store, "li", "secret-pass", now=T0)
        add_account(store, "boss", "secret-pass", role="trainer", now=T0)
        answer(store, "li", "tui-rules/ship-days", "B", T0)
        answer(store, "default", "tui-rules/ship-days", "A", T0).dispute_last()
        rows = {r.name: r for r in team.team(store, LIB, T0 + timedelta(minutes=5))}
        assert list(rows) == ["default", "li", "boss"]  # learners (and profiles) first, trainers after
        li = rows["li"]
        assert (li.role, li.answers, li.accuracy, li.seen, li.questions) == ("learner", 1, 1.0, 1, len(LIB))
        assert li.readiness[0].exam_id == "tui-mock" and li.readiness[0].total == 8
        assert rows["default"].role is None and rows["default"].open_disputes == 1


def test_a_v5_database_gains_accounts_and_keeps_its_disputes(tmp_path: Path) -> None:
    from quiz.store import MIGRATIONS, SCHEMA_VERSION

    path = tmp_path / "old.db"
    import sqlite3

    conn = sqlite3.connect(path, isolation_level=None)
    for step in MIGRATIONS[:5]:
        step(conn)
    conn.execute("PRAGMA user_version = 5")
    conn.execute("INSERT INTO disputes (ts, profile, qid, answer, verdict) VALUES ('2026-01-01T00:00:00+00:00', 'li', 'b/q', 'x', 'wrong')")
    conn.close()
    with Store.open(path) as store:
        assert store.schema_version() == SCHEMA_VERSION == 7
        [case] = team.disputes(store)
        assert case.open and case.resolution_note is None
        assert case.attempt_id is None and team.exam_context(store, case) is None  # a study answer's dispute
        add_account(store, "li", "secret-pass", now=T0)  # the learner with a history gets an account
        assert team.team_names(store) == [("li", "learner", True)]
