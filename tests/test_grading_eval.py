"""The shared development grading cases (../shared/eval): at least 97% and no false accept."""

from __future__ import annotations

import json
from typing import Any

import yaml
from pydantic import TypeAdapter

from quiz.grading import grade
from quiz.model import Bank
from tests.conftest import SHARED

EVAL = SHARED / "eval"


def test_dev_cases_accuracy_and_no_false_accept() -> None:
    bank = TypeAdapter(Bank).validate_python(yaml.safe_load((EVAL / "dev-bank.yaml").read_text(encoding="utf-8")))
    questions = {question.id: question for question in bank.questions}
    cases: list[dict[str, Any]] = [
        json.loads(line) for line in (EVAL / "dev-cases.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    assert len(cases) >= 90
    failures, false_accepts = [], []
    for case in cases:
        got = grade(questions[case["id"]], case["answer"]).verdict
        expect = case["expect"]
        ok = got in ("partial", "wrong") if expect == "notcorrect" else got == expect
        if not ok:
            failures.append((case["id"], case["answer"], expect, got))
        if got == "correct" and expect != "correct":
            false_accepts.append((case["id"], case["answer"]))
    assert false_accepts == []
    assert (len(cases) - len(failures)) / len(cases) >= 0.97, failures
