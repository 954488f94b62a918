"""Mock exams: drawing, shuffling, saving each answer, resuming, the deadline, scoring."""

from __future__ import annotations

import itertools
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quiz.errors import UserError
from quiz.exam import ExamAttempt, ExamOver, draw, shuffled, to_original_letters
from quiz.library import Library, fill_sections
from quiz.model import LETTERS, MultiQuestion, SingleQuestion
from quiz.scheduler import Rating, SpacedScheduler, State
from quiz.store import Store
from tests.progress_helpers import (
    Clock,
    fake_grade,
    make_bank,
    make_exam,
    make_library,
    right_answer,
    wrong_answer,
)


@pytest.fixture
def lib() -> Library:
    return make_library(n_rules=8, n_cs=6, exams=[make_exam()])


def begin(store: Store, lib: Library, clock: Clock, seed: int = 11) -> ExamAttempt:
    return ExamAttempt.start(
        store, lib, "amy", "mock", seed=seed, now=clock, grader=fake_grade, scheduler=SpacedScheduler(enable_fuzzing=False)
    )


def test_the_same_seed_draws_the_same_paper_and_no_question_twice(lib: Library) -> None:
    exam = lib.exams["mock"]
    a, b = draw(lib, exam, 5), draw(lib, exam, 5)
    assert a == b
    papers = {tuple(d.qid for d in draw(lib, exam, s)) for s in range(20)}
    assert len(papers) > 1
    for s in range(20):
        qids = [d.qid for d in draw(lib, exam, s)]
        assert len(qids) == len(set(qids)) == 7
    # overlapping sections still never repeat a question
    overlap = make_exam(
        sections=[
            {"title": "A", "types": ["single"], "count": 6, "points": 1},
            {"title": "B", "types": ["single", "judge"], "count": 5, "points": 1},
        ]
    )
    for s in range(10):
        qids = [d.qid for d in draw(lib, overlap, s)]
        assert len(set(qids)) == 11


def test_a_section_larger_than_its_pool_is_a_user_error(lib: Library) -> None:
    big = make_exam(sections=[{"title": "多选", "types": ["multi"], "count": 5, "points": 2}])
    with pytest.raises(UserError, match="needs 5 questions"):
        draw(lib, big, 1)


def test_unknown_exam_is_a_user_error(store: Store, lib: Library) -> None:
    with pytest.raises(UserError, match="unknown exam"):
        ExamAttempt.start(store, lib, "amy", "nope", now=Clock())


def test_choices_are_shuffled_with_the_answer_key_remapped(store: Store, lib: Library) -> None:
    att = begin(store, lib, Clock())
    shuffled_any = False
    for q in att.questions:
        orig = q.item.question
        shown = q.question
        if isinstance(orig, SingleQuestion):
            assert isinstance(shown, SingleQuestion)
            assert sorted(shown.choices) == sorted(orig.choices)
            assert shown.choices[shown.answer_index] == orig.choices[orig.answer_index]
            shuffled_any |= shown.choices != orig.choices
        if isinstance(orig, MultiQuestion):
            assert isinstance(shown, MultiQuestion)
            assert {shown.choices[i] for i in shown.answer_indexes} == {orig.choices[i] for i in orig.answer_indexes}
            assert shown.scoring == orig.scoring
    assert shuffled_any


def test_to_original_letters_maps_shown_letters_back() -> None:
    perm = (2, 0, 3, 1)  # shown A is the bank's C, shown B is A, ...
    assert to_original_letters("a", perm) == "C"
    assert to_original_letters("B, D", perm) == "AB"
    assert to_original_letters("乙", perm) is None
    assert to_original_letters("A", None) is None


@settings(max_examples=60, deadline=None)
@given(perm=st.permutations(range(4)), chosen=st.sets(st.integers(0, 3), max_size=4), scoring=st.sampled_from(["all", "partial"]))
def test_grading_the_shuffled_question_equals_grading_the_bank_question(
    perm: list[int], chosen: set[int], scoring: str
) -> None:
    from quiz.grading import grade

    q = MultiQuestion(
        id="m", type="multi", prompt="?", choices=["一", "二", "三", "四"], answer=["A", "C", "D"], scoring=scoring  # type: ignore[arg-type]
    )
    shown = shuffled(q, perm)
    shown_letters = "".join(LETTERS[i] for i in sorted(chosen))
    original = "".join(LETTERS[perm[i]] for i in sorted(chosen))
    for g in (fake_grade, grade):
        a, b = g(shown, shown_letters), g(q, original)
        assert (a.verdict, a.score) == (b.verdict, b.score)
    if chosen:
        assert to_original_letters(shown_letters, perm) == "".join(sorted(original))
    s1 = SingleQuestion(id="s", type="single", prompt="?", choices=["一", "二", "三", "四"], answer="B")
    shown1 = shuffled(s1, perm)
    for k in range(4):
        assert fake_grade(shown1, LETTERS[k]).verdict == fake_grade(s1, LETTERS[perm[k]]).verdict
        assert grade(shown1, LETTERS[k]).verdict == grade(s1, LETTERS[perm[k]]).verdict


def test_each_answer_is_saved_at_once_and_survives_a_restart(store: Store, lib: Library, tmp_path: Path) -> None:
    clock = Clock()
    att = begin(store, lib, clock)
    q0 = att.questions[0]
    att.answer(0, wrong_answer(q0.question))
    att.answer(0, right_answer(q0.question))  # answering again overwrites
    att.answer(1, "A")
    att.answer(1, "")  # cleared
    att.flag(2)
    clock.advance(minutes=12)
    # a second connection (another process) sees the saved state
    with Store.open(tmp_path / "progress.db") as other:
        info = ExamAttempt.latest_unfinished(other, "amy")
        assert info is not None and info.attempt_id == att.attempt_id
        back = ExamAttempt.resume(other, lib, info.attempt_id, now=clock, grader=fake_grade)
        assert [q.qid for q in back.questions] == [q.qid for q in att.questions]
        assert back.questions[0].answer == right_answer(q0.question)
        assert back.questions[1].answer is None and not back.questions[1].answered
        assert back.questions[2].flagged and not back.questions[0].flagged
        assert back.time_left() == timedelta(minutes=18)
        assert [q.question for q in back.questions] == [q.question for q in att.questions]  # same shuffle
        row = other.execute(
            "SELECT answer, answer_original FROM exam_answers WHERE attempt_id = ? AND position = 0", (att.attempt_id,)
        ).fetchone()
        orig = q0.item.question
        if isinstance(orig, SingleQuestion):
            assert row == (right_answer(q0.question), LETTERS[orig.answer_index])


def test_after_the_deadline_the_attempt_submits_itself(store: Store, lib: Library) -> None:
    clock = Clock()
    att = begin(store, lib, clock)
    att.answer(0, right_answer(att.questions[0].question))
    clock.advance(minutes=31)
    with pytest.raises(ExamOver) as e:
        att.answer(1, "A")
    res = e.value.result
    assert res.auto_submitted and att.is_submitted and att.time_left() == timedelta(0)
    assert res.seconds_used == 30 * 60
    assert ExamAttempt.latest_unfinished(store, "amy") is None


def test_resuming_after_the_deadline_submits_with_what_was_saved(store: Store, lib: Library) -> None:
    clock = Clock()
    att = begin(store, lib, clock)
    for q in att.questions:
        att.answer(q.position, right_answer(q.question))
    clock.advance(hours=2)
    back = ExamAttempt.resume(store, lib, att.attempt_id, now=clock, grader=fake_grade)
    res = back.result()
    assert res is not None and res.auto_submitted and res.score == res.total == 4 * 1 + 2 * 2 + 1
    assert res.passed


def test_scoring_by_section_with_partial_credit_pass_mark_and_topics(store: Store, lib: Library) -> None:
    clock = Clock()
    att = begin(store, lib, clock)
    for q in att.questions:
        if q.section == 0:  # singles: 3 right, 1 wrong
            text = right_answer(q.question) if q.position < 3 else wrong_answer(q.question)
        elif q.section == 1:  # multis: two of three right options on the partial one; blank on the other
            if isinstance(q.question, MultiQuestion) and q.question.scoring == "partial":
                text = "".join(LETTERS[i] for i in sorted(q.question.answer_indexes)[:2])
            else:
                text = ""
        else:
            text = right_answer(q.question)
        if text:
            att.answer(q.position, text)
    clock.advance(minutes=10)
    res = att.submit()
    assert not res.auto_submitted and res.seconds_used == 600
    assert [(s.title, s.count, s.points, s.earned, s.correct) for s in res.sections] == [
        ("单选", 4, 4, 3, 3),
        ("多选", 2, 4, pytest.approx(2 * 2 / 3, abs=1e-3), 0),
        ("判断", 1, 1, 1, 1),
    ]
    assert res.total == 9 and res.score == pytest.approx(3 + 4 / 3 + 1, abs=1e-3)
    assert not res.passed  # 5.33 < pass_score 6
    topics = {t.topic: t for t in res.topics}
    assert sum(t.count for t in topics.values()) == 7
    assert sum(t.earned for t in topics.values()) == pytest.approx(res.score, abs=1e-3)
    assert topics["客服指标"].count >= 3  # the multis and the judge
    # submitting again changes nothing
    assert att.submit() is res
    # 6 answered questions are reviews; the blank multi is not
    assert store.execute("SELECT count(*) FROM reviews WHERE attempt_id = ?", (att.attempt_id,)).fetchone()[0] == 6


def test_answered_exam_questions_count_as_reviews_and_blank_ones_do_not(store: Store, lib: Library) -> None:
    clock = Clock()
    att = begin(store, lib, clock)
    att.answer(0, right_answer(att.questions[0].question))
    att.answer(1, wrong_answer(att.questions[1].question))
    res = att.submit()
    answered = {att.questions[0].qid, att.questions[1].qid}
    reviews = {r.qid: r for r in store.reviews("amy")}
    assert set(reviews) == answered  # the 5 blank questions are not reviews
    assert all(r.mode == "exam" and r.attempt_id == att.attempt_id for r in reviews.values())
    assert reviews[att.questions[0].qid].verdict == "correct"
    assert {e.qid for e in store.wrong_book("amy")} == {att.questions[1].qid}  # only the wrong answer
    assert set(store.cards("amy")) == answered  # no FSRS card for a blank question
    # the result says which were left blank (未作答), and they earn nothing
    blank = [q for q in res.questions if not q.answered]
    assert len(blank) == res.unanswered == 5 and all(q.earned == 0 and q.answer is None for q in blank)
    assert [q.answered for q in res.questions[:2]] == [True, True]
    stored = store.execute(
        "SELECT count(*) FROM exam_answers WHERE attempt_id = ? AND verdict IS NULL", (att.attempt_id,)
    ).fetchone()[0]
    assert stored == 5
    # reopened from the store, a blank question is still 未作答
    again = ExamAttempt.resume(store, lib, att.attempt_id, now=clock, grader=fake_grade)
    r2 = again.result()
    assert r2 is not None and [q.answered for q in r2.questions] == [q.answered for q in res.questions]


def test_history_and_stored_result(store: Store, lib: Library) -> None:
    clock = Clock()
    a1 = begin(store, lib, clock, seed=1)
    for q in a1.questions:
        a1.answer(q.position, right_answer(q.question))
    a1.submit()
    clock.advance(hours=1)
    a2 = begin(store, lib, clock, seed=2)
    hist = ExamAttempt.history(store, "amy")
    assert [h.attempt_id for h in hist] == [a2.attempt_id, a1.attempt_id]
    assert hist[1].passed is True and hist[1].score == 9 and hist[0].submitted is None
    again = ExamAttempt.resume(store, lib, a1.attempt_id, now=clock, grader=fake_grade)
    res = again.result()
    assert res is not None and res.score == 9 and [s.earned for s in res.sections] == [4, 4, 1]
    with pytest.raises(ExamOver):
        again.answer(0, "A")


# --- families: siblings on one fact are never drawn together ------------------------------


def _family_library(questions: list[dict[str, object]]) -> Library:
    lib = Library()
    lib.add_bank(make_bank("fam", questions))
    return lib


def _q(qid: str, type_: str, family: str | None = None) -> dict[str, object]:
    q: dict[str, object] = {"id": qid, "type": type_, "prompt": f"{qid}?", "topic": "t"}
    if type_ == "single":
        q.update(choices=["甲", "乙", "丙"], answer="A")
    else:
        q.update(answer=True)
    if family:
        q["family"] = family
    return q


def test_a_paper_never_holds_two_questions_of_one_family() -> None:
    # six singles on three facts, two per fact; a judge that shares the first fact
    lib = _family_library([_q(f"s{i}", "single", f"fact{i // 2}") for i in range(6)] + [_q("j0", "judge", "fact0"),
                                                                                         _q("j1", "judge")])
    exam = make_exam(sections=[{"title": "单选", "types": ["single"], "count": 3, "points": 1},
                               {"title": "判断", "types": ["judge"], "count": 1, "points": 1}])
    seen_singles: set[str] = set()
    for seed in range(40):
        paper = draw(lib, exam, seed)
        families = [lib.item(d.qid).family_key for d in paper]
        assert len(families) == len(set(families)) == 4
        seen_singles.update(d.qid for d in paper if d.section == 0)
        if any(lib.item(d.qid).question.family == "fact0" for d in paper if d.section == 0):
            assert [d.qid for d in paper if d.section == 1] == ["fam/j1"]  # fact0's judge is not drawn beside it
    assert seen_singles == {f"fam/s{i}" for i in range(6)}  # every sibling gets its turn
    too_many = make_exam(sections=[{"title": "单选", "types": ["single"], "count": 4, "points": 1}])
    with pytest.raises(UserError, match=r"needs 4 questions, the banks in use hold 3 .*one family count once"):
        draw(lib, too_many, 1)


def test_overlapping_sections_are_filled_whenever_a_paper_exists() -> None:
    """A section taking singles or judges must leave the only judge to the judge section, whatever the seed."""
    lib = _family_library([_q("s1", "single"), _q("j1", "judge")])
    exam = make_exam(sections=[{"title": "选择或判断", "types": ["single", "judge"], "count": 1, "points": 1},
                               {"title": "判断", "types": ["judge"], "count": 1, "points": 1}])
    for seed in range(30):
        assert [d.qid for d in draw(lib, exam, seed)] == ["fam/s1", "fam/j1"]
    # a family shared across the two sections counts once for both
    lib = _family_library([_q("s1", "single", "f"), _q("j1", "judge", "f")])
    with pytest.raises(UserError, match="one family count once"):
        draw(lib, exam, 3)


def test_a_family_name_is_shared_across_banks() -> None:
    """Siblings on one fact may live in two banks (a rule taught in 处罚 and in 营销): still one per paper."""
    lib = Library()
    lib.add_bank(make_bank("rules", [_q("a", "judge", "superlative"), _q("b", "judge")]))
    lib.add_bank(make_bank("ads", [_q("c", "judge", "superlative"), _q("d", "judge")]))
    exam = make_exam(sections=[{"title": "判断", "types": ["judge"], "count": 3, "points": 1}])
    for seed in range(20):
        qids = {d.qid for d in draw(lib, exam, seed)}
        assert len(qids) == 3 and not {"rules/a", "ads/c"} <= qids


def _paper_exists(pools: list[list[str]], counts: list[int]) -> bool:
    """Brute force: can each section i take counts[i] distinct families from pools[i], none twice?"""
    def go(i: int, used: frozenset[str]) -> bool:
        if i == len(pools):
            return True
        options = sorted(set(pools[i]) - used)
        return any(go(i + 1, used | set(pick)) for pick in itertools.combinations(options, counts[i]))

    return go(0, frozenset())


@settings(max_examples=150, deadline=None)
@given(
    questions=st.lists(st.tuples(st.sampled_from(["single", "judge"]), st.sampled_from([None, "x", "y", "z"])),
                       min_size=1, max_size=7),
    sections=st.lists(st.tuples(st.sampled_from([("single",), ("judge",), ("single", "judge")]),
                                st.integers(min_value=1, max_value=3)), min_size=1, max_size=3),
)
def test_a_paper_is_drawn_exactly_when_one_exists(questions: list[tuple[str, str | None]],
                                                   sections: list[tuple[tuple[str, ...], int]]) -> None:
    lib = _family_library([_q(f"q{i}", t, f) for i, (t, f) in enumerate(questions)])
    exam = make_exam(sections=[{"title": f"S{i}", "types": list(types), "count": n, "points": 1}
                               for i, (types, n) in enumerate(sections)])
    pools = [[it.family_key for it in lib.section_pool(s)] for s in exam.sections]
    exists = _paper_exists(pools, [s.count for s in exam.sections])
    # the loader's check (no shuffling) agrees, so a blueprint it accepts always draws
    assert fill_sections([lib.section_pool(s) for s in exam.sections], [s.count for s in exam.sections]).ok == exists
    for seed in range(3):
        if not exists:
            with pytest.raises(UserError):
                draw(lib, exam, seed)
            continue
        paper = draw(lib, exam, seed)
        keys = [lib.item(d.qid).family_key for d in paper]
        assert len(keys) == len(set(keys)) == sum(s.count for s in exam.sections)
        for d in paper:
            assert lib.item(d.qid) in lib.section_pool(exam.sections[d.section])


def _review_card(store: Store, qid: str, clock: Clock) -> None:
    """Bring a question to the Review state (two Good answers, days apart) before the exam."""
    sched = SpacedScheduler(enable_fuzzing=False)
    card = None
    for days in (20, 17):
        when = clock.t - timedelta(days=days)
        card = sched.review(card, Rating.Good, when)
        store.record_answer(profile="amy", qid=qid, mode="smart", answer="x", verdict="correct", score=1, now=when,
                            card=card, rating=Rating.Good, auto_rating=Rating.Good)
    assert card is not None and card.state == State.Review


def test_exam_answers_are_scheduled_with_the_time_spent_on_them(store: Store, lib: Library) -> None:
    clock = Clock()
    att = begin(store, lib, clock)
    known = att.questions[0]  # a 单选 the learner knows well
    _review_card(store, known.qid, clock)
    att.visit(0)
    clock.advance(seconds=3)
    att.answer(0, right_answer(known.question))  # fast and right: Easy
    att.visit(1)
    clock.advance(seconds=40)
    att.visit(2)  # looked at question 2 for 40 s, then came back
    clock.advance(seconds=5)
    att.visit(1)
    clock.advance(seconds=20)
    att.answer(1, right_answer(att.questions[1].question))
    answered_at = clock.t
    clock.advance(minutes=5)
    att.submit()
    by_qid = {r.qid: r for r in store.reviews("amy") if r.mode == "exam"}
    first = by_qid[known.qid]
    assert first.seconds == pytest.approx(3) and first.rating == int(Rating.Easy)
    second = by_qid[att.questions[1].qid]
    assert second.seconds == pytest.approx(60) and second.rating == int(Rating.Good)  # a first meeting is never Easy
    assert second.ts == answered_at  # scheduled when it was answered, not at submission
    spent = store.execute(
        "SELECT position, seconds FROM exam_answers WHERE attempt_id = ? AND position < 3 ORDER BY position",
        (att.attempt_id,),
    ).fetchall()
    assert [(p, round(x or 0)) for p, x in spent] == [(0, 3), (1, 60), (2, 5)]


def test_a_draft_typed_before_the_deadline_is_saved_just_after_it(store: Store, lib: Library) -> None:
    clock = Clock()
    att = begin(store, lib, clock)
    clock.advance(minutes=30, seconds=1)  # the UI's clock ticks a second late
    att.answer(0, right_answer(att.questions[0].question), draft=True)
    assert att.questions[0].answered and not att.is_submitted
    res = att.check_deadline()
    assert res is not None and res.auto_submitted and res.questions[0].result.correct
    # a second late is a draft; a minute late is not
    att2 = begin(store, lib, clock, seed=3)
    clock.advance(minutes=31)
    with pytest.raises(ExamOver):
        att2.answer(0, "A", draft=True)
