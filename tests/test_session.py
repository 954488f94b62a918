"""Study sessions against a real SQLite file: every mode, resuming, overrides, changed questions."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest

from quiz.errors import UserError
from quiz.library import Library
from quiz.model import Bank
from quiz.scheduler import Rating, SpacedScheduler, State
from quiz.session import Filters, StudySession, check_changed_questions, start_of_day
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


# -- the smart queue: interleaving and siblings ------------------------------------


def test_day_one_of_the_shipped_banks_interleaves_every_bank_and_topic(store: Store) -> None:
    from quiz.loader import load_paths
    from tests.conftest import SHIPPED_BANKS

    shipped, problems = load_paths([SHIPPED_BANKS])
    assert not problems
    s = StudySession.start(store, shipped, "amy", "smart", now=Clock(), grader=fake_grade)
    assert len(s.queue) == 20  # the default daily limit
    banks = [shipped.item(q).bank for q in s.queue]
    assert set(banks) == set(shipped.banks)  # not bank 1 in file order
    assert banks[0] != banks[1]
    # no bank gets more than its share of the day, give or take one
    total = len(shipped)
    for bank in shipped.banks:
        share = 20 * len(shipped.select(banks=[bank])) / total
        assert abs(banks.count(bank) - share) <= 1.5, bank
    # within a bank, its topics take turns
    for bank in shipped.banks:
        topics = [shipped.item(q).topic for q in s.queue if shipped.item(q).bank == bank]
        assert all(a != b for a, b in itertools.pairwise(topics)), bank
    rules = [shipped.item(q).topic for q in s.queue if shipped.item(q).bank == "review-rules"]
    assert len(set(rules)) >= min(len(rules), 4)
    # and no two questions of one sibling group come on one day
    fams = [f for q in s.queue if (f := shipped.family(q)) is not None]
    assert len(fams) == len(set(fams))


def _family_library() -> Library:
    """Bank `rules`: r0-r2 share the family `five-days`; r3 and r4 say the same fact (`7天`)
    in one topic without a family; r5-r7 are on their own."""
    qs = [single(f"r{i}", "发货" if i < 5 else "评价") for i in range(8)]
    for q in qs[:3]:
        q["family"] = "five-days"
    for q in qs[3:5]:
        q["choices"] = ["7天", "15天", "30天", "3天"]
        q["answer"] = "A"
    lib = Library()
    lib.add_bank(make_bank("rules", qs))
    return lib


def test_siblings_by_family_and_by_a_shared_answer() -> None:
    lib = _family_library()
    fams = {q: lib.family(q) for q in lib.qids}
    assert fams["rules/r0"] == fams["rules/r1"] == fams["rules/r2"] == "family:five-days"
    assert fams["rules/r3"] == fams["rules/r4"] == "same:发货:7天"
    assert fams["rules/r5"] is None and fams["rules/r6"] is None


def test_siblings_are_buried_for_the_day_once_one_is_answered(store: Store) -> None:
    lib = _family_library()
    clock = Clock()
    s = start(store, lib, clock)
    fams = [lib.family(q) for q in s.queue]
    # one of each sibling group today: 8 questions, 3 + 2 in groups -> 5 distinct
    assert len(s.queue) == 5 and len([f for f in fams if f]) == len({f for f in fams if f})
    answer_all(s)
    # later the same day: nothing new, siblings stay buried
    clock.advance(hours=2)
    later = start(store, lib, clock)
    assert not any(lib.family(q) and q not in s.queue for q in later.queue)
    # day after day, one question of a group a day (as Anki buries siblings), until all are met
    seen = set(s.queue)
    for _ in range(20):
        clock.advance(days=1)
        day = start(store, lib, clock)
        fams = [f for q in day.queue if (f := lib.family(q)) is not None]
        assert len(fams) == len(set(fams))
        seen |= set(answer_all(day))
    assert seen == set(lib.qids)


def test_a_sibling_still_ahead_in_the_session_is_dropped_when_one_is_answered(store: Store) -> None:
    lib = _family_library()
    clock = Clock()
    s = start(store, lib, clock, "random", seed=5)
    # random practice over everything: siblings are never back to back
    for a, b in itertools.pairwise(s.queue):
        assert lib.family(a) is None or lib.family(a) != lib.family(b)
    # smart mode buries: a session built before a sibling was answered elsewhere drops it
    store.save_settings("amy", Settings(daily_new_limit=20))
    smart = start(store, lib, clock)
    smart.queue = ["rules/r0", "rules/r5", "rules/r1", "rules/r6"]  # as if built before a family existed
    it = smart.current()
    assert it is not None and it.qid == "rules/r0"
    smart.answer(right_answer(it.question))
    assert smart.queue == ["rules/r0", "rules/r5", "rules/r6"]
    resumed = StudySession.resume(store, lib, smart.session_id, now=clock, grader=fake_grade)
    assert resumed.queue == smart.queue  # the stored queue too


def test_the_study_day_starts_at_the_day_start_hour_in_the_learners_zone(store: Store, lib: Library) -> None:
    from zoneinfo import ZoneInfo

    shanghai = ZoneInfo("Asia/Shanghai")
    clock = Clock(datetime(2026, 3, 2, 13, 0, tzinfo=shanghai))  # 13:00 in Shanghai
    store.save_settings("amy", Settings(daily_new_limit=2))
    s = StudySession.start(store, lib, "amy", "smart", now=clock, grader=fake_grade, tz=shanghai,
                           scheduler=SpacedScheduler(enable_fuzzing=False))
    answer_all(s)
    # 03:30 the next morning is still the same study day (it starts at 04:00): no new questions
    clock.t = datetime(2026, 3, 3, 3, 30, tzinfo=shanghai)
    night = StudySession.start(store, lib, "amy", "smart", now=clock, grader=fake_grade, tz=shanghai)
    assert not set(night.queue) - set(s.queue)
    # 04:00: a new day, two new questions
    clock.t = datetime(2026, 3, 3, 4, 0, tzinfo=shanghai)
    morning = StudySession.start(store, lib, "amy", "smart", now=clock, grader=fake_grade, tz=shanghai)
    assert len(set(morning.queue) - set(s.queue)) == 2
    # a learner who starts the day at midnight gets them at 00:00
    store.save_settings("amy", Settings(daily_new_limit=2, day_start_hour=0))
    assert start_of_day(datetime(2026, 3, 3, 0, 30, tzinfo=shanghai), shanghai, 0) == datetime(
        2026, 3, 2, 16, 0, tzinfo=UTC
    )
    assert start_of_day(datetime(2026, 3, 3, 3, 30, tzinfo=shanghai), shanghai, 4) == datetime(
        2026, 3, 1, 20, 0, tzinfo=UTC
    )


# -- 背题模式 inside a session, drafts -------------------------------------------------


def test_memorize_inside_a_session_keeps_the_place_and_returns_to_it(store: Store, lib: Library) -> None:
    clock = Clock()
    s = start(store, lib, clock, "sequential")
    first = s.current()
    assert first is not None
    s.answer(right_answer(first.question))
    here = s.current()
    assert here is not None and s.progress() == (1, len(lib))
    s.set_memorize(True)
    peek = s.current()
    assert peek is not None and peek.qid == here.qid and peek.show_answer  # the same question, answer shown
    with pytest.raises(ValueError):
        s.answer("B")
    s.next()
    s.next()
    assert s.progress() == (3, len(lib))
    assert StudySession.latest_unfinished(store, "amy") is not None
    assert StudySession.latest_unfinished(store, "amy").position == 1  # type: ignore[union-attr]
    s.set_memorize(False)
    back = s.current()
    assert back is not None and back.qid == here.qid and not back.show_answer and s.progress() == (1, len(lib))
    assert store.review_count("amy") == 1


def test_continue_never_offers_a_memorize_session(store: Store, lib: Library) -> None:
    clock = Clock()
    real = start(store, lib, clock, "random", seed=1)
    it = real.current()
    assert it is not None
    real.answer(right_answer(it.question))
    clock.advance(minutes=5)
    browse = start(store, lib, clock, "browse")
    browse.next()
    info = StudySession.latest_unfinished(store, "amy")
    assert info is not None and info.session_id == real.session_id
    # a 背题 session switched to answering becomes a real (sequential) session at its place
    browse.set_memorize(False)
    assert browse.mode == "sequential" and not browse.memorizing and browse.progress()[0] == 1
    it2 = browse.current()
    assert it2 is not None
    browse.answer(right_answer(it2.question))
    info = StudySession.latest_unfinished(store, "amy")
    assert info is not None and info.session_id == browse.session_id and info.mode == "sequential"


def test_a_draft_is_kept_with_the_session_until_answered(store: Store, lib: Library) -> None:
    clock = Clock()
    s = start(store, lib, clock, "sequential", filters=Filters(banks=("cs",)))
    s.skip()
    s.skip()
    s.skip()
    it = s.current()
    assert it is not None and it.qid == "cs/num1"
    s.save_draft("1")
    s.save_draft("15 ")  # as typed
    del s  # killed
    r = StudySession.resume(store, lib, StudySession.latest_unfinished(store, "amy").session_id,  # type: ignore[union-attr]
                            now=clock, grader=fake_grade)
    assert r.draft() == "15 "
    out = r.answer(r.draft() or "")
    assert out.result.correct
    assert r.draft() is None  # the next question has no draft
    row = store.execute("SELECT draft_qid, draft FROM sessions WHERE id = ?", (r.session_id,)).fetchone()
    assert row == (None, None)


def test_a_re_rating_updates_the_wrong_book(store: Store, lib: Library) -> None:
    clock = Clock()
    s = start(store, lib, clock, "sequential")
    out = s.answer("A")  # wrong
    assert out.added_to_wrong_book and store.in_wrong_book("amy", out.qid)
    over = s.override_rating(Rating.Good)  # "I knew it, I slipped"
    assert not over.in_wrong_book and not store.in_wrong_book("amy", out.qid)
    back = s.override_rating(Rating.Again)  # changed their mind
    assert back.in_wrong_book and store.in_wrong_book("amy", out.qid)
    [entry] = store.wrong_book("amy")
    assert entry.wrong_count == 1  # one mistake, not two
