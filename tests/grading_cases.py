"""Scoring a grading case set (bank + JSON-lines cases) the way the shared eval script scores it."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import TypeAdapter

from quiz.grading import grade
from quiz.model import AnyQuestion, Bank


def load_bank(text: str) -> dict[str, AnyQuestion]:
    bank = TypeAdapter(Bank).validate_python(yaml.safe_load(text))
    return {q.id: q for q in bank.questions}


@dataclass
class CaseScore:
    cases: int
    failures: list[tuple[str, str, str, str]]
    false_accepts: list[tuple[str, str]]

    @property
    def accuracy(self) -> float:
        return (self.cases - len(self.failures)) / self.cases


def score_cases(bank_file: Path, cases_file: Path) -> CaseScore:
    questions = load_bank(bank_file.read_text(encoding="utf-8"))
    lines = cases_file.read_text(encoding="utf-8").splitlines()
    cases: list[dict[str, Any]] = [json.loads(line) for line in lines if line.strip()]
    failures, false_accepts = [], []
    for case in cases:
        got = grade(questions[case["id"]], case["answer"]).verdict
        expect = case["expect"]
        ok = got in ("partial", "wrong") if expect == "notcorrect" else got == expect
        if not ok:
            failures.append((case["id"], case["answer"], expect, got))
        if got == "correct" and expect != "correct":
            false_accepts.append((case["id"], case["answer"]))
    return CaseScore(len(cases), failures, false_accepts)
