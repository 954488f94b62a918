"""Study sessions against a real SQLite file: every mode, resuming, overrides, changed questions."""

from __future__ import annotations

from datetime import timedelta

import pytest

from quiz.errors import UserError
from quiz.library import Library
from quiz.model import Bank
from quiz.scheduler import Rating, SpacedScheduler, State
from quiz.session import Filters, StudySession, check_changed_questions
from quiz.store import Settings, Store
from tests.progress_helpers import Clock, fake_grade, make_bank, make_library, right_answer, single, wrong_answer


@pytest.fixture
def lib() -> Library:
    return make_library()


def start(store: Store, lib: Library, clock: Clock, mode: str = "smart", **kw: object) -> StudySession:
    return StudySession.start(
        store,
        lib,
        "amy",
        mode,  # type: ignore[arg-type]
        now=clock,
        grader=fake_grade,
        scheduler=SpacedScheduler(enable_fuzzing=False),
        **kw,  # type: ignore[arg-type]
    )


def answer_all(sess: StudySession, right: bool = True) -> list[str]:
    seen = []
    while (it := sess.current()) is not None:
        seen.append(it.qid)
        sess.answer(right_answer(it.question) if right else wrong_answer(it.question), seconds=10)
    return seen


def test_smart_new_questions_are_capped_by_the_daily_limit(store: Store, lib: Library) -> None:
    clock = Clock()
    store.save_settings("amy", Settings(daily_new_limit=3))
    sess = start(store, lib, clock)
    assert sess.progress() == (0, 3)
    # the banks interleaved (rules holds 6 questions, cs 4), and inside rules its two topics
    assert answer_all(sess) == ["rules/r0", "cs/judge1", "rules/r1"]
    # later the same day: the limit is used up, and nothing is due yet
    clock.advance(minutes=30)
    again = start(store, lib, clock)
    assert [again.current() is not None] == [True]  # the learning cards (10 min step) are due
    assert set(again.queue) == {"rules/r0", "cs/judge1", "rules/r1"}
    # next day: 3 new questions more
    clock.advance(days=1)
    store.save_settings("amy", Settings(daily_new_limit=3))
    nxt = start(store, lib, clock)
    due_part, new_part = nxt.queue[:3], nxt.queue[3:]
    assert set(due_part) == {"rules/r0", "cs/judge1", "rules/r1"}
    assert new_part == ["rules/r2", "cs/multi-p", "rules/r3"]  # interleaved again over what is left


def test_smart_puts_due_questions_first_earliest_due_first(store: Store, lib: Library) -> None:
    clock = Clock()
    sess = start(store, lib, clock, filters=Filters(banks=("rules",)))
    # r0 right (due in 10 min), r1 wrong (due in 1 min)
    it = sess.current()
    assert it is not None and it.state == "new"
    sess.answer(right_answer(it.question))
    it = sess.current()
    assert it is not None
    out = sess.answer(wrong_answer(it.question))
    assert out.rating == Rating.Again and out.next_due == clock.t + timedelta(minutes=1)
    clock.advance(minutes=15)
    nxt = start(store, lib, clock, filters=Filters(banks=("rules",)))
    assert nxt.queue[:2] == ["rules/r1", "rules/r0"]
    first = nxt.current()
    assert first is not None and first.state == "learning" and first.in_wrong_book


def test_smart_brings_a_wrong_answer_back_in_the_same_session(store: Store, lib: Library) -> None:
    clock = Clock()
    sess = start(store, lib, clock, filters=Filters(banks=("rules",)), limit=2)
    it = sess.current()
    assert it is not None
    sess.answer(wrong_answer(it.question))
    assert sess.queue == ["rules/r0", "rules/r1", "rules/r0"]
    assert sess.progress() == (1, 3)


def test_a_question_removed_from_the_banks_is_never_scheduled_and_nothing_crashes(store: Store, lib: Library) -> None:
    clock = Clock()
    sess = start(store, lib, clock, "sequential", filters=Filters(banks=("rules",)))
    answer_all(sess, right=False)
    smaller = Library()
    smaller.add_bank(make_bank("rules", [single("r0", "评价规则")]))
    clock.advance(days=1)
    nxt = start(store, smaller, clock)
    assert nxt.queue == ["rules/r0"]
    # a session stored before the removal skips the removed question when resumed
    resumed = StudySession.resume(store, smaller, sess.session_id, now=clock, grader=fake_grade)
    resumed.position = 0
    assert resumed.current() is not None and resumed.current().qid == "rules/r0"  # type: ignore[union-attr]
    resumed.answer("B")
    assert resumed.current() is None
    assert len(store.reviews("amy", "rules/r5")) == 1  # history kept


def test_sequential_resumes_after_the_last_question_answered(store: Store, lib: Library) -> None:
    clock = Clock()
    sess = start(store, lib, clock, "sequential", filters=Filters(banks=("rules",)))
    for _ in range(2):
        it = sess.current()
        assert it is not None
        sess.answer(right_answer(it.question))
    sess.finish()
    nxt = start(store, lib, clock, "sequential", filters=Filters(banks=("rules",)))
    assert nxt.queue == ["rules/r2", "rules/r3", "rules/r4", "rules/r5", "rules/r0", "rules/r1"]
    # a skipped question counts as passed
    nxt.skip()
    again = start(store, lib, clock, "sequential", filters=Filters(banks=("rules",)))
    assert again.queue[0] == "rules/r3"
    # another scope keeps its own place
    other = start(store, lib, clock, "sequential", filters=Filters(banks=("cs",)))
    assert other.queue[0] == "cs/judge1"


def test_random_is_reproducible_by_its_seed_and_keeps_its_order_on_resume(store: Store, lib: Library) -> None:
    clock = Clock()
    a = start(store, lib, clock, "random", seed=42)
    b = start(store, lib, clock, "random", seed=42)
    c = start(store, lib, clock, "random", seed=7)
    assert a.queue == b.queue != c.queue
    assert sorted(a.queue) == sorted(lib.qids)
    r = StudySession.resume(store, lib, b.session_id, now=clock, grader=fake_grade)
    assert r.queue == b.queue and r.seed == 42


def test_focus_needs_a_filter_and_orders_due_wrong_new_then_weakest(store: Store, lib: Library) -> None:
    clock = Clock()
    with pytest.raises(UserError):
        start(store, lib, clock, "focus")
    f = Filters(topics=("评价规则",))  # r0, r2, r4
    s1 = start(store, lib, clock, "sequential", filters=f)
    it = s1.current()
    assert it is not None and it.qid == "rules/r0"
    s1.answer(wrong_answer(it.question))  # r0 wrong: due in 1 min, in the wrong book
    it = s1.current()
    assert it is not None
    s1.answer(right_answer(it.question))  # r2 right: due in 10 min
    clock.advance(minutes=5)  # r0 due, r2 not yet
    s = start(store, lib, clock, "focus", filters=f)
    assert s.queue == ["rules/r0", "rules/r4", "rules/r2"]


def test_wrong_book_practice_removes_a_question_after_two_correct_in_a_row(store: Store, lib: Library) -> None:
    clock = Clock()
    s = start(store, lib, clock, "sequential", filters=Filters(banks=("rules",)), limit=2)
    answer_all(s, right=False)
    assert [e.qid for e in store.wrong_book("amy")] == ["rules/r0", "rules/r1"]
    w = start(store, lib, clock, "wrong")
    assert w.queue == ["rules/r0", "rules/r1"]
    out = w.answer("B")
    assert out.in_wrong_book and out.wrong_streak == 1 and not out.left_wrong_book
    w.answer("A")  # r1 wrong again
    w2 = start(store, lib, clock, "wrong")
    out = w2.answer("B")
    assert out.left_wrong_book and not out.in_wrong_book
    assert [e.qid for e in store.wrong_book("amy")] == ["rules/r1"]


def test_bookmark_practice_and_toggling(store: Store, lib: Library) -> None:
    clock = Clock()
    s = start(store, lib, clock, "sequential")
    assert s.toggle_bookmark() is True
    it = s.current()
    assert it is not None and it.bookmarked
    s.skip()
    clock.advance(seconds=1)
    s.toggle_bookmark()
    b = start(store, lib, clock, "bookmarks")
    assert b.queue == ["rules/r0", "rules/r1"]
    assert b.mode == "bookmarks"
    b.answer("B")
    assert store.reviews("amy")[0].mode == "bookmarks"


def test_browse_mode_shows_answers_and_records_nothing(store: Store, lib: Library) -> None:
    clock = Clock()
    s = start(store, lib, clock, "browse", filters=Filters(banks=("cs",)))
    it = s.current()
    assert it is not None and it.show_answer and it.qid == "cs/judge1"
    out = s.answer("对")
    assert out.result.correct and out.rating is None and out.review_id is None
    s.next()
    s.back()
    assert s.current().qid == "cs/multi-p"  # type: ignore[union-attr]
    assert store.review_count("amy") == 0
    assert store.cards("amy") == {}
    assert store.wrong_book("amy") == []


def test_an_interrupted_session_resumes_where_it_stopped(store: Store, lib: Library) -> None:
    clock = Clock()
    s = start(store, lib, clock, "random", seed=3)
    done = []
    for _ in range(3):
        it = s.current()
        assert it is not None
        done.append(it.qid)
        s.answer(right_answer(it.question))
    s.skip()
    del s  # the process dies; the database remembers
    info = StudySession.latest_unfinished(store, "amy")
    assert info is not None and info.mode == "random" and info.position == 4 and info.total == len(lib)
    r = StudySession.resume(store, lib, info.session_id, now=clock, grader=fake_grade)
    assert r.queue[:3] == done and r.progress() == (4, len(lib))
    answer_all(r)
    summary = r.finish()
    assert summary.answered == len(lib) - 1 and summary.skipped == 1 and summary.correct == len(lib) - 1
    assert StudySession.latest_unfinished(store, "amy") is None


def test_starting_anew_closes_the_old_unfinished_session_of_that_mode(store: Store, lib: Library) -> None:
    clock = Clock()
    start(store, lib, clock, "random", seed=1)
    s2 = start(store, lib, clock, "random", seed=2)
    info = StudySession.latest_unfinished(store, "amy", "random")
    assert info is not None and info.session_id == s2.session_id


def test_override_rating_reschedules_and_keeps_the_rules_rating(store: Store, lib: Library) -> None:
    clock = Clock()
    s = start(store, lib, clock, "sequential")
    out = s.answer("B", seconds=2)
    assert out.rating == Rating.Good and out.next_due == clock.t + timedelta(minutes=10)
    over = s.override_rating(Rating.Easy)
    assert over.rating == Rating.Easy and over.next_due is not None and over.next_due >= clock.t + timedelta(days=1)
    row = store.get_card("amy", "rules/r0")
    assert row is not None and row.state == State.Review and row.due == over.next_due and row.reps == 1
    [r] = store.reviews("amy")
    assert r.rating == int(Rating.Easy) and r.auto_rating == int(Rating.Good)


def test_dispute_of_the_last_answer_is_stored(store: Store, lib: Library) -> None:
    clock = Clock()
    s = start(store, lib, clock, "sequential")
    out = s.answer("乙是对的")
    s.dispute_last("我选的就是乙")
    [d] = store.disputes("amy")
    assert (d.qid, d.answer, d.verdict, d.review_id, d.note) == ("rules/r0", "乙是对的", out.result.verdict, out.review_id, "我选的就是乙")


def test_partial_answers_are_rated_hard_and_go_to_the_wrong_book(store: Store, lib: Library) -> None:
    clock = Clock()
    s = start(store, lib, clock, "sequential", filters=Filters(banks=("cs",)))
    s.skip()
    out = s.answer("AC")  # multi-p: 2 of 3 right options
    assert out.result.verdict == "partial" and out.rating == Rating.Hard and out.added_to_wrong_book


def test_a_changed_question_is_flagged_and_can_be_reset(store: Store, lib: Library) -> None:
    clock = Clock()
    s = start(store, lib, clock, "sequential", filters=Filters(banks=("rules",)), limit=2)
    answer_all(s)
    # the trainer rewrites r0's prompt; r1 only gets a new explanation (same meaning)
    edited = Library()
    qs = [single(f"r{i}", "评价规则") for i in range(6)]
    qs[0]["prompt"] = "改过的题目?"
    qs[1]["explanation"] = "新的解析"
    edited.add_bank(Bank.model_validate({"bank": "rules", "title": "rules", "questions": qs}))
    assert check_changed_questions(store, edited, "amy") == ["rules/r0"]
    clock.advance(days=5)
    s2 = start(store, edited, clock, "sequential", filters=Filters(banks=("rules",)))
    s2.queue = ["rules/r0", "rules/r1"]
    it = s2.current()
    assert it is not None and it.flagged_changed and it.state != "new"
    store.reset_card("amy", "rules/r0")
    it = s2.current()
    assert it is not None and not it.flagged_changed and it.state == "new"
    s2.answer("B")
    s2_it = s2.current()
    assert s2_it is not None and not s2_it.flagged_changed
    assert check_changed_questions(store, edited, "amy") == []


def test_unknown_mode_is_a_user_error(store: Store, lib: Library) -> None:
    with pytest.raises(UserError, match="unknown study mode"):
        start(store, lib, Clock(), "cram")


def test_answering_after_the_end_is_refused(store: Store, lib: Library) -> None:
    s = start(store, lib, Clock(), "sequential", limit=1)
    s.answer("B")
    assert s.current() is None and s.finished
    with pytest.raises(ValueError):
        s.answer("B")


def test_sessions_grade_with_the_real_grader_by_default(store: Store, lib: Library) -> None:
    s = StudySession.start(store, lib, "amy", "sequential", filters=Filters(banks=("cs",)), now=Clock())
    assert s.answer("对", seconds=3).result.verdict == "correct"  # judge1
    assert s.answer("a, c", seconds=3).result.verdict == "partial"  # multi-p: 2 of 3, partial scoring
    assert [r.verdict for r in store.reviews("amy")] == ["correct", "partial"]
