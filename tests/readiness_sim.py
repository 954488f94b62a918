"""Simulated learners for validating exam readiness (``tests/test_readiness_simulation.py``).

Each simulated learner has a *known* probability of answering each question right at
any moment, from a memory model that is not FSRS (so the test does not grade FSRS by
itself):

* a question's difficulty ``b`` and the learner's ability ``a`` give the chance of
  knowing it before any study, ``sigmoid(a - b - 1.5)``;
* a question once learned is recalled with probability ``(1 + t / (9 S))^-1`` after
  ``t`` days (a power forgetting curve; ``S`` is the memory's stability, scaled by the
  learner's ``memory``); a right answer (retrieval practice) multiplies ``S`` by
  ``1.8 x memory`` (or sets it to ``memory`` days when first learned); a wrong answer in
  practice, where the feedback shows the answer, encodes the question with probability
  ``sigmoid(a - b)`` at ``S = 0.4 x memory`` days; nothing is learned from a wrong exam
  answer (no feedback during the exam);
* a question not recalled is still guessed right at the chance rate (1/4 单选, 1/2
  判断, 1/15 多选 of four options).

The learners study with the real :class:`StudySession` (smart review, their own daily
limit, skipping some days) and sit mocks with the real :class:`ExamAttempt` on a real
SQLite file; readiness is :func:`quiz.stats.exam_readiness`, read just before each
mock and right after it.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from quiz.exam import ExamAttempt
from quiz.library import Library
from quiz.model import Exam, JudgeQuestion, MultiQuestion, SingleQuestion
from quiz.scheduler import SpacedScheduler
from quiz.session import StudySession
from quiz.stats import exam_readiness
from quiz.store import Settings, Store
from tests.progress_helpers import T0, Clock, fake_grade, make_bank, right_answer, wrong_answer


def sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def sim_library(seed: int = 1) -> tuple[Library, dict[str, float]]:
    """Three banks of 单选/多选/判断 (180 questions, each its own fact) and a 100-point mock
    shaped like the shipped cs-mock (20 单选 x 2, 10 多选 x 3, 15 判断 x 2, pass 60).
    Returns the library and each question's difficulty."""
    rng = random.Random(seed)
    lib = Library()
    difficulty: dict[str, float] = {}
    n = 0
    for bank, topics in (("rules", ("评价", "处罚")), ("service", ("指标", "话术")), ("after", ("运费", "售后"))):
        qs: list[dict[str, Any]] = []
        for k in range(60):
            n += 1
            qid = f"q{n}"
            topic = topics[k % 2]
            kind = ("single", "single", "judge", "multi", "judge", "single", "multi")[k % 7]
            if kind == "single":
                qs.append({"id": qid, "type": "single", "topic": topic, "prompt": f"{qid}?",
                           "choices": [f"{c}{qid}" for c in "甲乙丙丁"], "answer": "ABCD"[n % 4]})
            elif kind == "judge":
                qs.append({"id": qid, "type": "judge", "topic": topic, "prompt": f"{qid}?", "answer": n % 2 == 0})
            else:
                qs.append({"id": qid, "type": "multi", "topic": topic, "prompt": f"{qid}?",
                           "choices": [f"{c}{qid}" for c in "一二三四"], "answer": ["A", "C"] if n % 2 else ["B", "C", "D"]})
            difficulty[f"{bank}/{qid}"] = rng.gauss(0.0, 1.0)
        lib.add_bank(make_bank(bank, qs))
    lib.add_exam(Exam.model_validate({
        "exam": "mock", "title": "模拟考试", "time_limit_minutes": 60, "pass_score": 60,
        "sections": [
            {"title": "单选", "types": ["single"], "count": 20, "points": 2},
            {"title": "多选", "types": ["multi"], "count": 10, "points": 3},
            {"title": "判断", "types": ["judge"], "count": 15, "points": 2},
        ],
    }))
    return lib, difficulty


@dataclass
class LearnerType:
    name: str
    ability: float  # the learner's a
    memory: float  # stability growth and scale (1 = typical; < 1 forgets fast)
    daily_new: int
    study_prob: float  # the chance of studying on a given day
    mock_days: tuple[int, ...]  # the days mocks are sat on
    days: int = 30


LEARNERS: tuple[LearnerType, ...] = (
    LearnerType("steady", 0.3, 1.0, 12, 0.9, (6, 12, 18, 24, 30)),
    LearnerType("weak", -1.0, 0.6, 8, 0.7, (5, 12, 20, 28)),
    LearnerType("strong crammer", 1.0, 1.2, 40, 0.6, (3, 8, 14, 21)),
    LearnerType("forgetful", 0.0, 0.4, 15, 0.8, (7, 14, 21, 28)),
    LearnerType("mock only", -0.3, 1.0, 0, 0.0, (1, 4, 8, 15)),
    LearnerType("late starter", 0.5, 1.0, 20, 0.5, (2, 10, 17, 25)),
)


@dataclass
class Memory:
    stability: float = 0.0  # 0: not learned
    last: float = 0.0  # day of the last exposure


@dataclass
class SimLearner:
    kind: LearnerType
    lib: Library
    difficulty: dict[str, float]
    rng: random.Random
    memories: dict[str, Memory] = field(default_factory=dict)

    def p_correct(self, qid: str, day: float) -> float:
        q = self.lib.item(qid).question
        b = self.difficulty[qid]
        prior = sigmoid(self.kind.ability - b - 1.5)
        m = self.memories.get(qid)
        recall = 0.0
        if m is not None and m.stability > 0:
            recall = 1.0 / (1.0 + max(0.0, day - m.last) / (9.0 * m.stability))
        known = prior + (1 - prior) * recall
        guess = 0.25 if isinstance(q, SingleQuestion) else 0.5 if isinstance(q, JudgeQuestion) else 1 / 15
        return known + (1 - known) * guess

    def respond(self, qid: str, day: float, *, feedback: bool) -> bool:
        ok = self.rng.random() < self.p_correct(qid, day)
        m = self.memories.setdefault(qid, Memory())
        b = self.difficulty[qid]
        if ok:
            m.stability = m.stability * 1.8 * self.kind.memory if m.stability > 0 else self.kind.memory
        elif feedback and self.rng.random() < sigmoid(self.kind.ability - b):
            m.stability = 0.4 * self.kind.memory
        m.last = day
        return ok

    def expected_mock(self, attempt: ExamAttempt, day: float) -> float:
        return sum(q.points * self.p_correct(q.qid, day) for q in attempt.questions)


@dataclass
class MockRecord:
    learner: str
    day: int
    before: float  # readiness right before the mock
    low: float
    high: float
    score: float  # the mock's real score
    truth: float  # the learner's true expected score on that paper
    after: float  # readiness right after it
    passed: bool


def _text(q: Any, ok: bool) -> str:
    if isinstance(q, MultiQuestion) and not ok:
        return wrong_answer(q)
    return right_answer(q) if ok else wrong_answer(q)


def simulate(kind: LearnerType, db: Path, seed: int) -> list[MockRecord]:
    """One simulated learner's month: study most days, mocks on ``kind.mock_days``."""
    lib, difficulty = sim_library()
    rng = random.Random(seed)
    learner = SimLearner(kind, lib, difficulty, rng)
    clock = Clock(T0)
    sched = SpacedScheduler(enable_fuzzing=False)
    out: list[MockRecord] = []
    profile = kind.name.replace(" ", "-")
    with Store.open(db) as store:
        store.save_settings(profile, Settings(daily_new_limit=kind.daily_new))
        for day in range(1, kind.days + 1):
            clock.t = T0 + timedelta(days=day)
            if kind.daily_new and rng.random() < kind.study_prob:
                s = StudySession.start(store, lib, profile, "smart", now=clock, grader=fake_grade, scheduler=sched)
                while (it := s.current()) is not None:
                    ok = learner.respond(it.qid, day + (clock.t - T0 - timedelta(days=day)).total_seconds() / 86400,
                                         feedback=True)
                    s.answer(_text(it.question, ok), seconds=12)
                    clock.t += timedelta(seconds=40)
                s.finish()
            if day in kind.mock_days:
                clock.t = T0 + timedelta(days=day, hours=10)
                r0 = exam_readiness(store, lib, profile, "mock", clock.t)
                att = ExamAttempt.start(store, lib, profile, "mock", seed=rng.randrange(2**31), now=clock,
                                        grader=fake_grade, scheduler=sched)
                truth = learner.expected_mock(att, day)
                for q in att.questions:
                    att.visit(q.position)
                    clock.t += timedelta(seconds=30)
                    ok = learner.respond(q.qid, day, feedback=False)
                    att.answer(q.position, _text(q.question, ok))
                res = att.submit()
                r1 = exam_readiness(store, lib, profile, "mock", clock.t)
                out.append(MockRecord(kind.name, day, r0.expected_score, r0.low, r0.high, res.score, truth,
                                      r1.expected_score, res.passed))
    return out


def run_all(tmp: Path, seeds: tuple[int, ...] = (1, 2)) -> list[MockRecord]:
    records: list[MockRecord] = []
    for seed in seeds:
        for i, kind in enumerate(LEARNERS):
            records += simulate(kind, tmp / f"sim-{seed}-{i}.db", seed * 100 + i)
    return records


if __name__ == "__main__":  # prints the measured error: python -m tests.readiness_sim
    import sys
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        recs = run_all(Path(d), tuple(int(x) for x in sys.argv[1:]) or (1, 2))
    for r in recs:
        print(f"{r.learner:15} day {r.day:2}  readiness {r.before:5.1f} [{r.low:5.1f}-{r.high:5.1f}]  "
              f"score {r.score:5.1f}  truth {r.truth:5.1f}  after {r.after:5.1f}  {'pass' if r.passed else 'FAIL'}")
    err = [abs(r.before - r.score) for r in recs]
    inside = sum(1 for r in recs if r.low <= r.score <= r.high)
    rises = [r for r in recs if not r.passed and r.after > r.before + 1e-9]
    print(f"mocks {len(recs)}  mean |readiness - score| {sum(err) / len(err):.2f}  "
          f"mean |readiness - truth| {sum(abs(r.before - r.truth) for r in recs) / len(recs):.2f}  "
          f"in range {inside}/{len(recs)}  rises after a failed mock {len(rises)}")
