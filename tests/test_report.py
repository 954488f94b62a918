"""quiz report and quiz export on a database with several learners, made through the store's real API:
facility, discrimination, common wrong answers, disputes, learner summaries, and the CSV for Excel."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from quiz.cli import main
from quiz.exam import ExamAttempt
from quiz.grading import grade
from quiz.library import Library
from quiz.model import Bank, Exam
from quiz.store import Store
from quiz.trainer.report import EXPORT_COLUMNS, QuestionStats, Report, build_report, discrimination, export_results

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
CHOICES = ["甲", "乙", "丙", "丁"]

BANK_YAML = """\
bank: rules
title: 规则
questions:
  - {id: good, type: single, prompt: 好题, choices: [甲, 乙, 丙, 丁], answer: B}
  - {id: broken, type: single, prompt: 答案标错的题, choices: [甲, 乙, 丙, 丁], answer: B}
  - {id: billing, type: short, prompt: 直通车按什么扣费？, answers: [按点击扣费], reject: [按展示扣费]}
  - {id: rare, type: judge, prompt: 很少人答的题, answer: true}
"""
FILLERS = [f"f{i}" for i in range(10)]
FILLER_YAML = "".join(f"  - {{id: {f}, type: judge, prompt: 填充题{f}, answer: true}}\n" for f in FILLERS)
EXAM_YAML = """\
exam: mini
title: 小测
time_limit_minutes: 10
pass_score: 1
sections:
  - {title: 判断, types: [judge], banks: [rules], count: 2, points: 1}
"""


def make_library() -> Library:
    import yaml

    lib = Library()
    lib.add_bank(Bank.model_validate(yaml.safe_load(BANK_YAML + FILLER_YAML)))
    lib.add_exam(Exam.model_validate(yaml.safe_load(EXAM_YAML)))
    return lib


def answer(store: Store, lib: Library, profile: str, qid: str, text: str, t: datetime) -> int:
    qid = f"rules/{qid}"
    q = lib.item(qid).question
    res = grade(q, text)
    return store.record_answer(profile=profile, qid=qid, mode="random", answer=text, verdict=res.verdict,
                               score=res.score, now=t).review_id


def learners_db(path: Path, lib: Library) -> Store:
    """Ten learners p0..p9: learner i knows i of the ten filler facts, so p9 is the strongest.

    'good' separates them (the five strongest answer B, the others A); 'broken' has the wrong key: the
    five strongest answer C (the true answer) and are marked wrong, the weak ones answer B and pass.
    """
    store = Store.open(path)
    t = T0
    for i in range(10):
        p = f"p{i}"
        for k, f in enumerate(FILLERS):
            t += timedelta(minutes=1)
            answer(store, lib, p, f, "对" if k < i else "错", t)
        answer(store, lib, p, "good", "B" if i >= 5 else "A", t)
        answer(store, lib, p, "broken", "C" if i >= 5 else "B", t)
    # three learners type the same wrong answer three ways; one answers right
    for p, text in [("p0", "按展示扣费"), ("p1", "按展示扣费。"), ("p2", " 按 展示扣费"), ("p3", "按点击扣费")]:
        t += timedelta(minutes=1)
        answer(store, lib, p, "billing", text, t)
    # only two learners answered 'rare'
    answer(store, lib, "p8", "rare", "对", t)
    answer(store, lib, "p9", "rare", "错", t)
    # p9 says the grading of 'broken' was wrong (我答对了)
    review = answer(store, lib, "p9", "broken", "C", t + timedelta(minutes=1))
    store.add_dispute("p9", "rules/broken", "C", "wrong", score=0.0, note="教材上是丙", review_id=review, now=t)
    # p9 takes the mini exam and gets everything right
    clock = [t + timedelta(hours=1)]
    attempt = ExamAttempt.start(store, lib, "p9", "mini", seed=1, now=lambda: clock[0])
    for q in attempt.questions:
        attempt.answer(q.position, "对")
    attempt.submit()
    return store


@pytest.fixture()
def db(tmp_path: Path) -> Iterator[tuple[Store, Library]]:
    lib = make_library()
    store = learners_db(tmp_path / "progress.db", lib)
    yield store, lib
    store.close()


def stats(report: Report, qid: str) -> QuestionStats:
    return next(q for q in report.questions if q.qid == qid)


def test_facility_and_discrimination(db: tuple[Store, Library]) -> None:
    store, lib = db
    report = build_report(store, lib)
    good, broken = stats(report, "rules/good"), stats(report, "rules/broken")
    assert good.attempts == 10 and good.learners == 10
    assert good.facility == pytest.approx(0.5)
    assert good.discrimination == pytest.approx(1.0)  # the top three all right, the bottom three all wrong
    assert broken.attempts == 11  # p9 answered it twice
    assert broken.discrimination is not None and broken.discrimination < 0  # the strong fail: a wrong key
    assert broken.first_facility == pytest.approx(0.5)
    rare = stats(report, "rules/rare")
    assert rare.learners == 2 and rare.discrimination is None  # too few learners to say
    assert rare.facility == pytest.approx(0.5)


def test_common_wrong_answers_are_grouped_and_labelled(db: tuple[Store, Library]) -> None:
    store, lib = db
    report = build_report(store, lib)
    good = stats(report, "rules/good")
    assert [(w.shown, w.count) for w in good.wrong_answers] == [("A. 甲", 5)]
    broken = stats(report, "rules/broken")
    assert broken.wrong_answers[0].shown == "C. 丙" and broken.wrong_answers[0].count == 6
    billing = stats(report, "rules/billing")
    assert len(billing.wrong_answers) == 1 and billing.wrong_answers[0].count == 3  # one answer, typed three ways
    assert billing.wrong_answers[0].answer in {"按展示扣费", "按展示扣费。", "按 展示扣费"}


def test_disputes_and_worst_first(db: tuple[Store, Library]) -> None:
    store, lib = db
    report = build_report(store, lib)
    assert report.questions[0].qid == "rules/broken"  # an open dispute and a negative discrimination
    d = report.questions[0].disputes
    assert len(d) == 1 and d[0].profile == "p9" and d[0].answer == "C" and d[0].note == "教材上是丙"
    # after the disputed question, the hardest question first
    rest = [q.facility for q in report.questions[1:] if q.facility is not None]
    assert rest == sorted(rest)


def test_learner_summaries(db: tuple[Store, Library]) -> None:
    store, lib = db
    report = build_report(store, lib)
    by = {s.profile: s for s in report.learners}
    assert set(by) == {f"p{i}" for i in range(10)}
    p0, p9 = by["p0"], by["p9"]
    assert p0.answers == 13 and p0.correct == 1 and p0.accuracy == pytest.approx(1 / 13)  # only 'broken' (B)
    assert p0.exams_taken == 0 and p0.best_exam_score is None
    assert p9.exams_taken == 1 and p9.exams_passed == 1 and p9.best_exam == "mini"
    assert p9.best_exam_score == pytest.approx(1.0)
    assert p9.answers == 10 + 2 + 1 + 1 + 2  # fillers, good, broken twice, rare, two exam answers
    assert report.learners[0].profile == "p0"  # weakest first


def test_json_is_one_object(db: tuple[Store, Library]) -> None:
    store, lib = db
    data = json.loads(json.dumps(build_report(store, lib).to_json(), ensure_ascii=False))
    q = next(x for x in data["questions"] if x["qid"] == "rules/good")
    assert q["facility"] == 0.5 and q["discrimination"] == 1.0 and q["in_banks"] is True
    assert {"profile", "accuracy", "exams_taken", "best_exam_score"} <= set(data["learners"][0])


def test_discrimination_needs_enough_learners() -> None:
    overall = {f"p{i}": i / 10 for i in range(10)}
    item = {p: 1.0 if v >= 0.5 else 0.0 for p, v in overall.items()}
    assert discrimination(item, overall, 8) == pytest.approx(1.0)
    assert discrimination(dict(list(item.items())[:5]), overall, 8) is None
    flat = dict.fromkeys(overall, 1.0)
    assert discrimination(flat, overall, 8) == pytest.approx(0.0)


def test_export_csv_opens_in_excel(db: tuple[Store, Library], tmp_path: Path) -> None:
    store, lib = db
    out = tmp_path / "results.csv"
    summary = export_results(store, out, lib)
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM Excel on Chinese Windows needs
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == EXPORT_COLUMNS
    total_reviews = len(store.reviews())
    assert summary.attempts == 1 and summary.answers == total_reviews
    assert len(rows) == 1 + 1 + total_reviews
    exam_rows = [r for r in rows[1:] if r[0] == "考试"]
    assert len(exam_rows) == 1 and exam_rows[0][1] == "p9" and exam_rows[0][3] == "mini" and exam_rows[0][13] == "是"
    in_exam = [r for r in rows[1:] if r[0] == "答题" and r[3] == "mini"]
    assert len(in_exam) == 2 and all(r[7] == "exam" for r in in_exam)
    good = [r for r in rows[1:] if r[5] == "rules/good"]
    assert len(good) == 10 and good[0][6] == "好题" and {r[9] for r in good} == {"正确", "错误"}


def test_cli_report_and_export(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    banks = tmp_path / "banks"
    (banks / "exams").mkdir(parents=True)
    (banks / "rules.yaml").write_text(BANK_YAML + FILLER_YAML, encoding="utf-8")
    (banks / "exams" / "mini.yaml").write_text(EXAM_YAML, encoding="utf-8")
    dbp = tmp_path / "progress.db"
    learners_db(dbp, make_library()).close()

    assert main(["report", "--json", "--db", str(dbp), "--banks", str(banks)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["questions"][0]["qid"] == "rules/broken"
    assert main(["report", "--db", str(dbp), "--banks", str(banks)]) == 0
    text = capsys.readouterr().out
    assert "rules/broken" in text and "教材上是丙" in text and "A. 甲×5" in text

    out = tmp_path / "out" / "results.csv"
    assert main(["export", str(out), "--db", str(dbp), "--banks", str(banks)]) == 0
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")

    missing = tmp_path / "none.db"
    assert main(["report", "--db", str(missing), "--banks", str(banks)]) == 2
    assert "no progress database" in capsys.readouterr().err
    assert not missing.exists()  # a report never creates a database


def test_answers_to_an_older_version_are_counted(tmp_path: Path) -> None:
    from quiz.library import fingerprint
    from quiz.trainer.report import format_report

    lib = make_library()
    q = lib.item("rules/good").question
    with Store.open(tmp_path / "p.db") as store:
        for n, fp in enumerate(["before-the-fix", "before-the-fix", fingerprint(q)]):
            store.record_answer(profile="p0", qid="rules/good", mode="random", answer="B", verdict="correct",
                                score=1.0, now=T0 + timedelta(minutes=n), fingerprint=fp)
        report = build_report(store, lib)
    good = stats(report, "rules/good")
    assert good.attempts == 3 and good.older_version == 2
    assert "rules/good*" in format_report(report)


def test_blank_exam_answers_are_not_reached_not_attempts_and_leeches_are_counted(tmp_path: Path) -> None:
    from quiz.scheduler import Rating, SpacedScheduler
    from quiz.trainer.report import format_report

    lib = make_library()
    sched = SpacedScheduler(enable_fuzzing=False)
    with Store.open(tmp_path / "p.db") as store:
        attempt = ExamAttempt.start(store, lib, "amy", "mini", seed=2, now=lambda: T0)
        first, second = attempt.questions
        attempt.answer(first.position, "错")  # answered (wrong); the other question left blank
        attempt.submit()
        # bo keeps failing 'rare': a leech for bo (threshold 6), not yet for cy (5 failures)
        for who, n in (("bo", 6), ("cy", 5)):
            card = None
            for k in range(n):
                when = T0 + timedelta(minutes=k)
                card = sched.review(card, Rating.Again, when)
                store.record_answer(profile=who, qid="rules/rare", mode="smart", answer="错", verdict="wrong",
                                    score=0, now=when, card=card, rating=Rating.Again, auto_rating=Rating.Again)
        report = build_report(store, lib, min_learners=2)
    blank = stats(report, second.qid)
    assert (blank.attempts, blank.not_reached, blank.facility) == (0, 1, None)
    answered = stats(report, first.qid)
    assert answered.attempts == 1 and answered.not_reached == 0
    rare = stats(report, "rules/rare")
    assert rare.leech_learners == 1 and rare.attempts == 11 and rare.facility == 0
    learners = {s.profile: s for s in report.learners}
    assert learners["bo"].leeches == 1 and learners["cy"].leeches == 0
    text = format_report(report)
    assert "blank" in text and "leech" in text
    j = report.to_json()
    row = next(q for q in j["questions"] if q["qid"] == second.qid)
    assert row["not_reached"] == 1 and row["attempts"] == 0


def test_export_writes_exam_scores_in_the_one_format(tmp_path: Path) -> None:
    import yaml

    lib = make_library()
    exam = yaml.safe_load(EXAM_YAML)
    exam["sections"][0]["points"] = 6.5
    lib.add_exam(Exam.model_validate(exam))
    with Store.open(tmp_path / "p.db") as store:
        attempt = ExamAttempt.start(store, lib, "amy", "mini", seed=2, now=lambda: T0)
        for q in attempt.questions:
            attempt.answer(q.position, "对")
        attempt.submit()
        out = tmp_path / "r.csv"
        export_results(store, out, lib)
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    [exam_row] = [r for r in rows[1:] if r[0] == "考试"]
    assert (exam_row[11], exam_row[12]) == ("13", "13")
