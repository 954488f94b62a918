"""Progress store at scale: 10,000 questions and 1,000,000 logged answers.

usage: python benchmarks/bench_store.py [--questions N] [--reviews M] [--repeat R] [--db PATH]

Builds (in a temporary folder unless --db is given) a progress database for one
learner who has already answered M times over a year (bulk insert, one
transaction), with a card for 80% of the N questions, a wrong-answer book and
some other learners' history; then times, R times each:

* ``start``: opening a 智能复习 session (due questions by due time, then new
  ones up to the daily limit), i.e. choosing what comes next from the whole bank;
* ``next``: ``StudySession.current()``, the next question with its card,
  bookmark, wrong-book and changed-question flags;
* ``record``: ``Store.record_answer`` (review row, card, wrong-answer book, session
  position, one committed transaction);
* ``answer``: ``StudySession.answer`` end to end (grading with a stand-in grader
  that does no work, FSRS scheduling, recording).

Target (issue 3): next and record well under 10 ms. Median and 95th percentile
reported. The statistics over the whole history are timed too (no target).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
GEN = REPO.parent / "shared" / "tools" / "gen_bank.py"
sys.path.insert(0, str(REPO))

from quiz.grading.result import GradeResult  # noqa: E402
from quiz.library import Library  # noqa: E402
from quiz.model import AnyQuestion  # noqa: E402
from quiz.scheduler import Rating, SpacedScheduler  # noqa: E402
from quiz.session import StudySession  # noqa: E402
from quiz.store import Store, iso  # noqa: E402

NOW = datetime(2026, 11, 27, 10, 0, tzinfo=UTC)


def instant_grade(q: AnyQuestion, answer: str) -> GradeResult:
    return GradeResult("correct" if answer == "A" else "wrong", 1.0 if answer == "A" else 0.0, "")


def build(db: Path, lib: Library, n_reviews: int, seed: int = 1) -> None:
    rng = random.Random(seed)
    qids = lib.qids
    seen = qids[: int(len(qids) * 0.8)]
    sched = SpacedScheduler(enable_fuzzing=False)
    t = time.perf_counter()
    with Store.open(db) as store:
        store.ensure_profile("bench", NOW - timedelta(days=400))
        store.ensure_profile("other", NOW - timedelta(days=400))
        with store.transaction() as c:
            # cards: a spread of states and due dates (about 5% due now)
            rows = []
            for q in seen:
                last = NOW - timedelta(days=rng.uniform(0, 60))
                card = sched.review(None, Rating.Good, last)
                card = sched.review(card, rng.choice([Rating.Good, Rating.Easy]), last + timedelta(minutes=10))
                card.due = NOW + timedelta(days=rng.uniform(-3, 57))
                rows.append(
                    ("bench", q, card.to_json(), iso(card.due), int(card.state), card.stability, card.difficulty,
                     iso(last), rng.randint(1, 30), rng.randint(0, 3), iso(NOW - timedelta(days=rng.uniform(1, 365))),
                     None, 0, rng.randint(0, 8), int(Rating.Good))
                )
            c.executemany(f"INSERT INTO cards ({Store._CARD_COLS}) VALUES ({', '.join('?' * 15)})", rows)
            # a million answers over the past year, 90% by this learner
            verdicts = ["correct"] * 7 + ["wrong"] * 2 + ["partial"]
            start = NOW - timedelta(days=365)

            def gen():  # type: ignore[no-untyped-def]
                for i in range(n_reviews):
                    prof = "bench" if i % 10 else "other"
                    q = seen[rng.randrange(len(seen))]
                    v = verdicts[rng.randrange(10)]
                    ts = iso(start + timedelta(seconds=i * 365 * 86400 / n_reviews))
                    rating = 3 if v == "correct" else (2 if v == "partial" else 1)
                    yield (ts, prof, q, "smart", "A", v, 1.0 if v == "correct" else 0.0, rating, rating, 6.5,
                           None, None, None, 2)

            c.executemany(
                "INSERT INTO reviews (ts, profile, qid, mode, answer, verdict, score, rating, auto_rating, seconds,"
                " session_id, attempt_id, fingerprint, state_before) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                gen(),
            )
            c.executemany(
                "INSERT INTO wrong_book (profile, qid, added, streak, wrong_count, last_wrong) VALUES (?,?,?,0,1,?)",
                [("bench", q, iso(NOW), iso(NOW)) for q in rng.sample(seen, 800)],
            )
            c.executemany(
                "INSERT INTO bookmarks (profile, qid, added) VALUES (?,?,?)",
                [("bench", q, iso(NOW)) for q in rng.sample(seen, 200)],
            )
        store.execute("ANALYZE")
    print(f"built: {len(seen)} cards, {n_reviews:,} reviews in {time.perf_counter() - t:.1f} s; "
          f"file {db.stat().st_size / 1e6:.0f} MB")


def timeit(fn: Callable[[], object], repeat: int) -> tuple[float, float]:
    xs = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        xs.append((time.perf_counter() - t) * 1000)
    xs.sort()
    return statistics.median(xs), xs[int(len(xs) * 0.95) - 1]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--questions", type=int, default=10_000)
    ap.add_argument("--reviews", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=200)
    ap.add_argument("--db", type=Path)
    a = ap.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        os.environ.setdefault("QUIZ_CACHE_DIR", str(Path(tmp) / "cache"))
        banks = Path(tmp) / "banks"
        subprocess.run([sys.executable, str(GEN), str(banks), "--questions", str(a.questions)], check=True,
                       capture_output=True)
        from quiz.loader import load_paths

        lib, problems = load_paths([banks])
        assert not problems, problems[:3]
        print(f"library: {len(lib):,} questions")
        db = a.db or Path(tmp) / "progress.db"
        if not db.exists():
            build(db, lib, a.reviews)

        with Store.open(db) as store:
            print(f"database: {store.review_count('bench'):,} reviews by the learner, "
                  f"{store.execute('SELECT count(*) FROM reviews').fetchone()[0]:,} in all")
            clock_t = [NOW]

            def clock() -> datetime:
                return clock_t[0]

            sched = SpacedScheduler()
            sessions: list[StudySession] = []

            def start() -> None:
                sessions.append(StudySession.start(store, lib, "bench", "smart", now=clock, grader=instant_grade,
                                                   scheduler=sched))

            ms, p95 = timeit(start, max(10, a.repeat // 10))
            s = sessions[-1]
            print(f"start smart session ({len(s.queue)} queued): median {ms:.2f} ms, p95 {p95:.2f} ms")

            ms, p95 = timeit(s.current, a.repeat)
            print(f"next question (current):            median {ms:.3f} ms, p95 {p95:.3f} ms")

            qs = [it.qid for it in lib]
            card = sched.review(None, Rating.Good, NOW)
            i = [0]

            def record() -> None:
                i[0] += 1
                store.record_answer(profile="bench", qid=qs[i[0] % len(qs)], mode="smart", answer="A",
                                    verdict="correct", score=1.0, now=NOW, seconds=5.0, card=card,
                                    rating=Rating.Good, auto_rating=Rating.Good, session_id=s.session_id,
                                    session_position=0)

            ms, p95 = timeit(record, a.repeat)
            print(f"record an answer (record_answer):   median {ms:.3f} ms, p95 {p95:.3f} ms")

            def answer() -> None:
                if s.current() is None:
                    s.position = 0
                s.answer("A" if i[0] % 3 else "B", seconds=6)
                i[0] += 1

            ms, p95 = timeit(answer, a.repeat)
            print(f"answer end to end (session.answer): median {ms:.3f} ms, p95 {p95:.3f} ms")

            # the statistics screen (not a target; reported so the UI knows what to run in a worker)
            from quiz import stats

            exam_id = next(iter(lib.exams), None)
            for name, fn in [
                ("stats overview", lambda: stats.overview(store, lib, "bench", NOW)),
                ("reviews per day (365)", lambda: stats.reviews_per_day(store, "bench", NOW)),
                ("due forecast (30)", lambda: stats.due_forecast(store, lib, "bench", NOW)),
                ("exam readiness", lambda: exam_id and stats.exam_readiness(store, lib, "bench", exam_id, NOW)),
            ]:
                ms, _ = timeit(fn, 3)
                print(f"{name + ':':<36}median {ms:.0f} ms")


if __name__ == "__main__":
    main()
