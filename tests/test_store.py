"""The progress database: opening, refusing, migrating, and what one answer writes."""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quiz.errors import UserError
from quiz.scheduler import Rating, SpacedScheduler, State
from quiz.store import MIGRATIONS, SCHEMA_VERSION, V1_DDL, RecordedAnswer, Settings, Store, iso
from tests.progress_helpers import T0


def test_fresh_database_is_created_in_wal_mode_at_current_version(tmp_path: Path) -> None:
    path = tmp_path / "p.db"
    with Store.open(path) as s:
        assert s.schema_version() == SCHEMA_VERSION == len(MIGRATIONS)
        assert s.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert s.execute("PRAGMA busy_timeout").fetchone()[0] >= 1000
        tables = set(s.db.table_names())
    assert {"profiles", "settings", "cards", "reviews", "wrong_book", "bookmarks", "sessions"} <= tables
    assert {"exam_attempts", "exam_answers", "disputes", "positions"} <= tables
    assert path.read_bytes()[:16] == b"SQLite format 3\x00"


@pytest.mark.parametrize(
    "content",
    [b"name,answer\nfoo,bar\n", b"\x00\x01\x02garbage" * 100, "这不是数据库".encode()],
)
def test_a_file_that_is_not_sqlite_is_refused_and_left_untouched(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "notes.db"
    path.write_bytes(content)
    with pytest.raises(UserError) as e:
        Store.open(path)
    assert "not a SQLite database" in str(e.value)
    assert "\n" not in str(e.value)
    assert path.read_bytes() == content
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.db"]


def test_a_damaged_database_is_a_one_line_user_error(tmp_path: Path) -> None:
    path = tmp_path / "damaged.db"
    content = b"SQLite format 3\x00" + b"\xff" * 4000
    path.write_bytes(content)
    with pytest.raises(UserError) as e:
        Store.open(path)
    assert str(path) in str(e.value) and "\n" not in str(e.value)
    assert path.read_bytes() == content


def test_a_database_from_a_newer_version_is_refused_and_not_altered(tmp_path: Path) -> None:
    path = tmp_path / "future.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE reviews (id INTEGER PRIMARY KEY, future_column TEXT)")
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(UserError) as e:
        Store.open(path)
    msg = str(e.value)
    assert "newer version" in msg and str(SCHEMA_VERSION + 5) in msg
    assert path.read_bytes() == before


def test_another_programs_sqlite_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE customers (id INTEGER)")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(UserError, match="not a quiz progress database"):
        Store.open(path)
    assert path.read_bytes() == before


def test_a_folder_or_a_missing_parent_is_a_user_error(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="folder"):
        Store.open(tmp_path)
    with pytest.raises(UserError, match="does not exist"):
        Store.open(tmp_path / "nope" / "p.db")


def test_an_empty_file_becomes_a_database(tmp_path: Path) -> None:
    path = tmp_path / "empty.db"
    path.touch()
    with Store.open(path) as s:
        assert s.schema_version() == SCHEMA_VERSION


def test_a_version_1_database_migrates_forward_keeping_its_history(tmp_path: Path) -> None:
    path = tmp_path / "v1.db"
    conn = sqlite3.connect(path)
    conn.executescript(V1_DDL)
    conn.execute("INSERT INTO profiles VALUES ('amy', ?)", (iso(T0),))
    card = SpacedScheduler(enable_fuzzing=False).review(None, Rating.Good, T0)
    conn.execute(
        "INSERT INTO cards (profile, qid, card, due, state, stability, difficulty, last_review, reps, lapses, first_seen)"
        " VALUES ('amy', 'rules/r0', ?, ?, ?, ?, ?, ?, 1, 0, ?)",
        (card.to_json(), iso(card.due), int(card.state), card.stability, card.difficulty, iso(T0), iso(T0)),
    )
    conn.execute(
        "INSERT INTO reviews (ts, profile, qid, mode, answer, verdict, score, rating) VALUES (?, 'amy', 'rules/r0', 'smart', 'B', 'correct', 1, 3)",
        (iso(T0),),
    )
    conn.execute(
        "INSERT INTO exam_attempts (profile, exam_id, seed, started, deadline, total) VALUES ('amy', 'mock', 1, ?, ?, 10)",
        (iso(T0), iso(T0)),
    )
    conn.execute("INSERT INTO exam_answers (attempt_id, position, section, qid, points, answer) VALUES (1, 0, 0, 'rules/r0', 1, 'B')")
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()

    with Store.open(path) as s:
        assert s.schema_version() == SCHEMA_VERSION
        [r] = s.reviews("amy")
        assert (r.qid, r.verdict, r.rating) == ("rules/r0", "correct", 3)
        row = s.get_card("amy", "rules/r0")
        assert row is not None and row.due == card.due
        cols = {c[1] for c in s.execute("PRAGMA table_info(exam_answers)")}
        assert "answer_original" in cols
        assert {c[1] for c in s.execute("PRAGMA table_info(reviews)")} >= {"fingerprint", "state_before"}
        # the migrated database works for new answers
        s.record_answer(profile="amy", qid="rules/r1", mode="smart", answer="A", verdict="wrong", score=0, now=T0)
        s.set_position("amy", "all", "rules/r1", T0)
        assert s.get_position("amy", "all") == "rules/r1"
    # opening again is a no-op
    with Store.open(path) as s:
        assert s.schema_version() == SCHEMA_VERSION
        assert s.review_count("amy") == 2


def _answer(s: Store, verdict: str, qid: str = "rules/r0", streak: int = 2, profile: str = "amy") -> object:
    return s.record_answer(
        profile=profile,
        qid=qid,
        mode="smart",
        answer="x",
        verdict=verdict,
        score=1.0 if verdict == "correct" else 0.0,
        now=T0,
        wrong_book_streak=streak,
    )


def test_wrong_answer_book_fills_on_mistakes_and_empties_after_two_correct_in_a_row(store: Store) -> None:
    _answer(store, "correct")
    assert store.wrong_book("amy") == []
    r = _answer(store, "wrong")
    assert r.added_to_wrong_book and r.in_wrong_book
    r = _answer(store, "correct")
    assert r.in_wrong_book and r.wrong_streak == 1
    _answer(store, "partial")  # a partial answer is not correct: the streak starts again
    [e] = store.wrong_book("amy")
    assert e.streak == 0 and e.wrong_count == 2
    _answer(store, "correct")
    r = _answer(store, "correct")
    assert r.left_wrong_book and not r.in_wrong_book
    assert store.wrong_book("amy") == []


def test_wrong_book_streak_is_configurable(store: Store) -> None:
    _answer(store, "wrong")
    for _ in range(2):
        _answer(store, "correct", streak=3)
    assert store.in_wrong_book("amy", "rules/r0")
    _answer(store, "correct", streak=3)
    assert not store.in_wrong_book("amy", "rules/r0")


def test_profiles_keep_separate_progress(store: Store) -> None:
    _answer(store, "wrong", profile="amy")
    _answer(store, "correct", profile="bo")
    assert [e.qid for e in store.wrong_book("amy")] == ["rules/r0"]
    assert store.wrong_book("bo") == []
    assert store.review_count("amy") == 1 and store.review_count("bo") == 1
    assert set(store.profiles()) == {"amy", "bo"}


def test_recorded_answer_holds_every_field_and_the_card(store: Store) -> None:
    sched = SpacedScheduler(enable_fuzzing=False)
    card = sched.review(None, Rating.Good, T0, 4.5)
    rec = store.record_answer(
        profile="amy",
        qid="cs/num1",
        mode="sequential",
        answer="15天",
        verdict="correct",
        score=1.0,
        now=T0,
        seconds=4.5,
        card=card,
        rating=Rating.Good,
        auto_rating=Rating.Good,
        fingerprint="abc",
    )
    [r] = store.reviews("amy")
    assert (r.id, r.qid, r.mode, r.answer, r.verdict, r.score, r.rating, r.seconds) == (
        rec.review_id,
        "cs/num1",
        "sequential",
        "15天",
        "correct",
        1.0,
        int(Rating.Good),
        4.5,
    )
    row = store.get_card("amy", "cs/num1")
    assert row is not None
    assert row.card.to_dict() == card.to_dict() and row.fingerprint == "abc" and row.reps == 1
    assert store.due_qids("amy", T0 + timedelta(hours=1)) == ["cs/num1"]
    assert store.due_qids("amy", T0) == []


def test_a_lapse_is_counted_when_a_review_card_is_forgotten(store: Store) -> None:
    sched = SpacedScheduler(enable_fuzzing=False)
    card = sched.review(sched.review(None, Rating.Good, T0), Rating.Good, T0 + timedelta(minutes=10))
    store.record_answer(profile="a", qid="q", mode="smart", answer="", verdict="correct", score=1, now=T0, card=card)
    assert card.state == State.Review
    forgot = sched.review(card, Rating.Again, card.due)
    store.record_answer(profile="a", qid="q", mode="smart", answer="", verdict="wrong", score=0, now=card.due, card=forgot)
    row = store.get_card("a", "q")
    assert row is not None and row.lapses == 1 and row.state == State.Relearning
    # true retention needs the state before each answer
    states = [r[0] for r in store.execute("SELECT state_before FROM reviews ORDER BY id")]
    assert states == [None, int(State.Review)]


def test_bookmarks_disputes_and_settings(store: Store) -> None:
    assert store.toggle_bookmark("amy", "rules/r1", T0) is True
    assert store.toggle_bookmark("amy", "rules/r2", T0 + timedelta(seconds=1)) is True
    assert store.bookmarks("amy") == ["rules/r1", "rules/r2"]
    assert store.toggle_bookmark("amy", "rules/r1") is False
    assert store.bookmarks("amy") == ["rules/r2"]

    did = store.add_dispute("amy", "rules/r2", "接待量除以咨询量", "wrong", score=0.0, note="同义", now=T0)
    [d] = store.disputes()
    assert (d.id, d.qid, d.answer, d.note, d.status) == (did, "rules/r2", "接待量除以咨询量", "同义", "open")

    assert store.get_settings("amy") == Settings()
    store.save_settings("amy", Settings(desired_retention=0.85, daily_new_limit=5, language="en", wrong_book_streak=3))
    got = store.get_settings("amy")
    assert (got.desired_retention, got.daily_new_limit, got.language, got.wrong_book_streak) == (0.85, 5, "en", 3)
    assert store.get_settings("bo") == Settings()
    with pytest.raises(UserError):
        store.save_settings("amy", Settings(desired_retention=1.5))
    with pytest.raises(UserError):
        store.save_settings("amy", Settings(daily_new_limit=-1))


def test_changed_question_is_flagged_and_can_be_accepted_or_reset(store: Store) -> None:
    card = SpacedScheduler(enable_fuzzing=False).review(None, Rating.Good, T0)
    for q in ("b/x", "b/y", "b/gone"):
        store.record_answer(profile="a", qid=q, mode="smart", answer="", verdict="correct", score=1, now=T0, card=card, fingerprint="v1")
    flagged = store.flag_changed("a", {"b/x": "v2", "b/y": "v1"})  # b/gone removed from the banks
    assert flagged == ["b/x"]
    row = store.get_card("a", "b/x")
    assert row is not None and row.flagged_changed
    store.accept_change("a", "b/x", "v2")
    assert store.changed_qids("a") == []
    assert store.flag_changed("a", {"b/x": "v2", "b/y": "v3"}) == ["b/y"]
    store.reset_card("a", "b/y")
    assert store.get_card("a", "b/y") is None
    assert len(store.reviews("a", "b/y")) == 1  # history kept
    assert store.get_card("a", "b/gone") is not None


@settings(max_examples=40, deadline=None)
@given(
    verdicts=st.lists(st.sampled_from(["correct", "partial", "wrong"]), max_size=12),
    streak=st.integers(1, 3),
)
def test_wrong_book_membership_follows_the_rule_for_any_history(
    tmp_path_factory: pytest.TempPathFactory, verdicts: list[str], streak: int
) -> None:
    with Store.open(tmp_path_factory.mktemp("wb") / "p.db") as s:
        inside, run = False, 0
        for v in verdicts:
            rec = _answer(s, v, streak=streak)
            if v != "correct":
                inside, run = True, 0
            elif inside:
                run += 1
                if run >= streak:
                    inside, run = False, 0
            assert rec.in_wrong_book == inside
            assert s.in_wrong_book("amy", "rules/r0") == inside
        assert s.review_count("amy") == len(verdicts)


def test_a_version_4_database_migrates_to_5_with_failures_counted_from_its_history(tmp_path: Path) -> None:
    """A database of the previous release: v5 fills the new card columns from the history, and
    a blank exam answer (recorded as a failed review before v5) is not counted as a failure."""
    path = tmp_path / "v4.db"
    conn = sqlite3.connect(path, isolation_level=None)
    for migrate in MIGRATIONS[:4]:
        migrate(conn)
    conn.execute("PRAGMA user_version = 4")
    sched = SpacedScheduler(enable_fuzzing=False)
    card = sched.review(None, Rating.Again, T0)
    conn.execute("INSERT INTO profiles VALUES ('amy', ?)", (iso(T0),))
    conn.execute(
        "INSERT INTO settings VALUES ('amy', 0.85, 7, 'en', 'light', 3)"
    )
    for qid in ("rules/r0", "rules/r1", "rules/r2"):
        conn.execute(
            "INSERT INTO cards (profile, qid, card, due, state, stability, difficulty, last_review, reps, lapses, first_seen)"
            " VALUES ('amy', ?, ?, ?, ?, ?, ?, ?, 2, 0, ?)",
            (qid, card.to_json(), iso(card.due), int(card.state), card.stability, card.difficulty, iso(T0), iso(T0)),
        )
    history = [
        ("rules/r0", "smart", "A", "wrong", 1),
        ("rules/r0", "smart", "B", "correct", 3),
        ("rules/r0", "smart", "C", "wrong", 1),
        ("rules/r1", "smart", "B", "correct", 3),
        ("rules/r1", "exam", "", "wrong", 1),  # a blank exam answer, as v4 recorded it
        ("rules/r2", "exam", "", "wrong", 1),  # ... the only "answer" to r2: its card and 错题本 entry go
    ]
    for k, (qid, mode, answer, verdict, rating) in enumerate(history):
        conn.execute(
            "INSERT INTO reviews (ts, profile, qid, mode, answer, verdict, score, rating, attempt_id)"
            " VALUES (?, 'amy', ?, ?, ?, ?, 0, ?, ?)",
            (iso(T0 + timedelta(minutes=k)), qid, mode, answer, verdict, rating, 1 if mode == "exam" else None),
        )
    for qid in ("rules/r0", "rules/r2"):
        conn.execute(
            "INSERT INTO wrong_book (profile, qid, added, streak, wrong_count, last_wrong) VALUES ('amy', ?, ?, 0, 1, ?)",
            (qid, iso(T0), iso(T0)),
        )
    conn.execute(
        "INSERT INTO exam_attempts (profile, exam_id, seed, started, deadline, submitted, score, total, passed)"
        " VALUES ('amy', 'mock', 1, ?, ?, ?, 0, 10, 0)",
        (iso(T0), iso(T0), iso(T0)),
    )
    conn.execute(
        "INSERT INTO exam_answers (attempt_id, position, section, qid, points, verdict, score, earned)"
        " VALUES (1, 0, 0, 'rules/r2', 1, 'wrong', 0, 0)"
    )
    conn.execute(
        "INSERT INTO sessions (profile, mode, filters, queue, position, started, updated) VALUES ('amy', 'smart', '{}', '[\"rules/r0\"]', 0, ?, ?)",
        (iso(T0), iso(T0)),
    )
    conn.close()

    with Store.open(path) as s:
        assert s.schema_version() == SCHEMA_VERSION  # v5 and everything after it
        r0, r1 = s.get_card("amy", "rules/r0"), s.get_card("amy", "rules/r1")
        assert r0 is not None and (r0.fails, r0.last_rating, r0.failed_last) == (2, 1, True)
        assert r1 is not None and (r1.fails, r1.last_rating, r1.failed_last) == (0, 3, False)
        # the blank exam answers are gone, with what only they made
        assert [r.qid for r in s.reviews("amy")] == ["rules/r0"] * 3 + ["rules/r1"]
        assert s.get_card("amy", "rules/r2") is None
        assert [e.qid for e in s.wrong_book("amy")] == ["rules/r0"]
        assert s.execute("SELECT verdict FROM exam_answers WHERE attempt_id = 1").fetchone() == (None,)
        # the old settings keep their values; the new ones take their defaults
        got = s.get_settings("amy")
        assert (got.desired_retention, got.daily_new_limit, got.language, got.wrong_book_streak) == (0.85, 7, "en", 3)
        assert (got.day_start_hour, got.leech_threshold, got.exam_date) == (4, 6, None)
        # the new columns work
        s.save_settings("amy", Settings(day_start_hour=5, leech_threshold=2, exam_date="2026-12-20"))
        assert s.leeches("amy", 2) == {"rules/r0": 2}
        cols = {c[1] for c in s.execute("PRAGMA table_info(sessions)")}
        assert {"draft_qid", "draft"} <= cols
        assert {"model_before", "readiness_before", "model_after"} <= {c[1] for c in s.execute("PRAGMA table_info(exam_attempts)")}
        assert "seconds" in {c[1] for c in s.execute("PRAGMA table_info(exam_answers)")}


def test_new_settings_are_validated_and_kept(store: Store) -> None:
    store.save_settings("amy", Settings(day_start_hour=0, leech_threshold=8, exam_date="2026-12-20"))
    got = store.get_settings("amy")
    assert (got.day_start_hour, got.leech_threshold, got.exam_date) == (0, 8, "2026-12-20")
    assert got.exam_day is not None and got.exam_day.isoformat() == "2026-12-20"
    for bad, message in (
        (Settings(day_start_hour=24), "between 0 and 23"),
        (Settings(leech_threshold=1), "at least 2"),
        (Settings(exam_date="12/20"), "not a date such as 2026-12-20"),
    ):
        with pytest.raises(UserError, match=message):
            store.save_settings("amy", bad)
    assert store.get_settings("amy") == got  # nothing saved by a refused change


def _scheduled(
    s: Store, verdict: str, rating: Rating, qid: str = "rules/r0", when: timedelta = timedelta(0)
) -> RecordedAnswer:
    card = SpacedScheduler(enable_fuzzing=False).review(None, rating, T0 + when)
    return s.record_answer(
        profile="amy", qid=qid, mode="smart", answer="x", verdict=verdict, score=0.0, now=T0 + when,
        card=card, rating=rating, auto_rating=rating,
    )


def test_failures_make_a_leech_at_the_threshold(store: Store) -> None:
    for k in range(5):
        _scheduled(store, "wrong", Rating.Again, when=timedelta(minutes=k))
    _scheduled(store, "correct", Rating.Good, when=timedelta(minutes=6))
    row = store.get_card("amy", "rules/r0")
    assert row is not None and row.fails == 5 and row.last_rating == int(Rating.Good) and not row.failed_last
    assert store.leeches("amy", 6) == {}
    _scheduled(store, "wrong", Rating.Again, when=timedelta(minutes=7))
    assert store.leeches("amy", 6) == {"rules/r0": 6}
    assert store.leeches("amy", 8) == {}


def test_a_re_rating_redoes_the_answers_effect_on_the_wrong_book(store: Store) -> None:
    sched = SpacedScheduler(enable_fuzzing=False)
    # a wrong answer re-rated Good: the mistake is taken back, and so is its failure
    rec = _scheduled(store, "wrong", Rating.Again)
    assert store.in_wrong_book("amy", "rules/r0")
    out = store.update_rating(rec.review_id, sched.review(None, Rating.Good, T0), Rating.Good, T0,
                              wrong_before=rec.wrong_before)
    assert not out.in_wrong_book and not store.in_wrong_book("amy", "rules/r0")
    row = store.get_card("amy", "rules/r0")
    assert row is not None and row.fails == 0 and row.last_rating == int(Rating.Good)
    # a right answer re-rated Again: a mistake after all
    rec2 = _scheduled(store, "correct", Rating.Good, qid="rules/r1")
    assert not store.in_wrong_book("amy", "rules/r1")
    out2 = store.update_rating(rec2.review_id, sched.review(None, Rating.Again, T0), Rating.Again, T0,
                               wrong_before=rec2.wrong_before)
    assert out2.in_wrong_book and out2.added_to_wrong_book and store.in_wrong_book("amy", "rules/r1")
    # a question already in the book: re-rating the answer that kept it there restores its streak
    _scheduled(store, "wrong", Rating.Again, qid="rules/r2")
    _scheduled(store, "correct", Rating.Good, qid="rules/r2", when=timedelta(minutes=1))
    [entry] = [e for e in store.wrong_book("amy") if e.qid == "rules/r2"]
    assert entry.streak == 1
    rec3 = _scheduled(store, "wrong", Rating.Again, qid="rules/r2", when=timedelta(minutes=2))
    [entry] = [e for e in store.wrong_book("amy") if e.qid == "rules/r2"]
    assert (entry.streak, entry.wrong_count) == (0, 2)
    store.update_rating(rec3.review_id, sched.review(None, Rating.Good, T0), Rating.Good, T0,
                        wrong_before=rec3.wrong_before)
    # the book as if that answer had been right: wrong once, two right in a row -> out (default streak 2)
    assert not store.in_wrong_book("amy", "rules/r2")
