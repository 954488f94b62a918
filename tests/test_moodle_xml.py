"""Moodle XML both ways, and GIFT out: a company moves its bank between this tool and its LMS.

`tests/data/import/constructs.xml` holds one question per Moodle construct. The round trips take
every shipped bank out and back in, and check that every question comes back the same except for
what the export said it could not express.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from quiz.cli import main
from quiz.grading import grade
from quiz.loader import load_file, load_paths
from quiz.model import (
    Bank,
    JudgeQuestion,
    MultiQuestion,
    NumericQuestion,
    ScenarioQuestion,
    ShortQuestion,
    SingleQuestion,
)
from quiz.trainer.exporters import export_gift
from quiz.trainer.importers import ImportResult, _question_data, import_file
from quiz.trainer.moodle_xml import export_moodle_xml

DATA = Path(__file__).parent / "data" / "import"
XML = DATA / "constructs.xml"
XML_LINES = XML.read_text(encoding="utf-8").splitlines()
BANKS = Path(__file__).resolve().parent.parent / "banks"


def line_of(text: str) -> int:
    return next(n for n, ln in enumerate(XML_LINES, 1) if text in ln)


@pytest.fixture(scope="module")
def res() -> ImportResult:
    return import_file(XML)


def test_multichoice_single_with_per_answer_and_combined_feedback(res: ImportResult) -> None:
    q = {x.id: x for x in res.questions}["review-window"]  # <idnumber> is the id
    assert isinstance(q, SingleQuestion)
    assert q.prompt == "买家有权在确认收货后多少天内评价？"  # HTML and its comment gone
    assert q.choices == ["7天", "15天", "30天"] and q.answer == "B"
    assert q.feedback == {"A": "太短了", "correct": "答对了。", "wrong": "再看一遍评价规则。"}
    assert q.explanation == "评价期为交易成功后15天内。" and q.tags == ["评价", "时限"] and q.topic == "评价规则"
    assert grade(q, "A").answer_feedback == ("太短了", "再看一遍评价规则。")
    assert grade(q, "B").answer_feedback == ("答对了。",)


def test_several_full_marks_and_a_partial_one(res: ImportResult) -> None:
    q = next(x for x in res.questions if x.prompt == "哪个是季节？")
    assert isinstance(q, SingleQuestion) and (q.answer, q.also_correct) == ("A", ["B"])
    issue = next(i for i in res.issues if "初夏" in i.message)
    assert issue.line == line_of("初夏") and "(50%) dropped" in issue.message


def test_multiple_response_truefalse_short_and_numerical(res: ImportResult) -> None:
    by_prompt = {x.prompt: x for x in res.questions}
    multi = by_prompt["以下哪些情况无法发起恶意评价投诉？"]
    assert isinstance(multi, MultiQuestion) and multi.answer == ["A", "B", "C"] and multi.scoring == "partial"
    assert multi.feedback == {"D": "这种可以投诉", "correct": "全对。", "partial": "还有漏选。"}
    judge = by_prompt["经核实属于恶意评价的，淘宝网会删除该条违规评价。"]
    assert isinstance(judge, JudgeQuestion) and judge.answer is True
    assert judge.feedback == {"true": "正确", "false": "不对，会删除"}
    short = by_prompt["应答率怎么计算？"]
    assert isinstance(short, ShortQuestion)
    assert short.answers == ["接待量/咨询量"] and short.reject == ["咨询量/接待量"]
    assert short.feedback == {"咨询量/接待量": "反了", "correct": "对", "wrong": "公式是 接待量/咨询量"}
    pi = by_prompt["圆周率保留三位小数是多少？"]
    assert isinstance(pi, NumericQuestion) and (pi.answer, pi.tolerance) == (3.1415, 0.0005)
    assert pi.feedback == {"correct": "对", "wrong": "再算一遍"}
    neg = by_prompt["零下一度写作？"]
    assert isinstance(neg, NumericQuestion) and neg.answer == -1
    days = by_prompt["评价期是多少天？"]
    assert isinstance(days, NumericQuestion) and (days.unit, days.units) == ("天", ["天", "日"])
    assert days.topic == "运费"  # the second category
    assert any(i.line == line_of("<unit_name>小时") and "'小时'" in i.message for i in res.issues)


def test_essay_becomes_a_scenario_with_its_grader_information(res: ImportResult) -> None:
    q = next(x for x in res.questions if isinstance(x, ScenarioQuestion))
    assert q.sample_answer == "保留聊天记录作为证据。\n向平台发起恶意评价投诉。\n拒绝不合理的要求。"
    assert [k.point for k in q.keypoints] == ["保留聊天记录作为证据", "向平台发起恶意评价投诉", "拒绝不合理的要求"]
    assert any("check the key points" in n.message for n in res.notices)


def test_what_cannot_come_in_is_reported_by_line(res: ImportResult) -> None:
    issues = {(i.line, i.message.split(":")[0]) for i in res.issues}
    assert (line_of('<question type="matching">'), "skipped") in issues
    assert (line_of('<question type="description">'), "skipped") in issues
    assert (line_of('<question type="calculated">'), "skipped") in issues
    img = [i for i in res.issues if "waybill.png" in i.message]
    assert len(img) == 2 and {i.line for i in img} == {line_of("@@PLUGINFILE@@/waybill.png")}
    assert res.found == 14 and len(res.questions) == 10


def test_malformed_xml_and_entities_are_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.xml"
    bad.write_text("<quiz>\n<question type='truefalse'>\n</quiz>\n", encoding="utf-8")
    assert main(["import", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"{bad}:3:" in err and "not well-formed" in err
    bomb = tmp_path / "bomb.xml"
    bomb.write_text('<?xml version="1.0"?><!DOCTYPE q [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><quiz>&b;</quiz>',
                    encoding="utf-8")
    assert main(["import", str(bomb)]) == 2
    assert "declares entities" in capsys.readouterr().err
    other = tmp_path / "other.xml"
    other.write_text("<html><body/></html>", encoding="utf-8")
    assert main(["import", str(other)]) == 2
    assert "not a Moodle XML question file" in capsys.readouterr().err


# ---------------------------------------------------------------- round trips


def shipped() -> list[Bank]:
    lib, problems = load_paths([BANKS], use_cache=False)  # collection time: the per-test cache folder is not set yet
    assert problems == []
    banks = list(lib.banks.values()) if isinstance(lib.banks, dict) else list(lib.banks)
    assert len(banks) >= 6
    return banks


def _stripped(v: Any) -> Any:
    """Text without the line break a YAML block scalar (|) ends with: not part of what a learner reads."""
    if isinstance(v, str):
        return v.strip()
    if isinstance(v, list):
        return [_stripped(x) for x in v]
    if isinstance(v, dict):
        return {k: _stripped(x) for k, x in v.items()}
    return v


def comparable(q: Any, bank_tags: list[str], drop: set[str]) -> dict[str, Any]:
    data = _stripped(_question_data(q))
    data["tags"] = sorted(set(data.get("tags", [])) | set(bank_tags))
    if "unit" in data:  # `unit: 天, units: [天]` says what `unit: 天` says
        data["units"] = sorted({data["unit"], *data.get("units", [])})
    for f in drop:
        data.pop(f, None)
    if data.get("type") == "scenario" and "keypoints" in drop:
        data.pop("type")  # an essay comes back as a scenario, with key points made from its sample answer
    return data


@pytest.mark.parametrize("fmt", ["moodle-xml", "gift"])
@pytest.mark.parametrize("bank", shipped(), ids=lambda b: b.bank)
def test_every_shipped_bank_round_trips(bank: Bank, fmt: str, tmp_path: Path) -> None:
    export = export_moodle_xml(bank) if fmt == "moodle-xml" else export_gift(bank)
    path = tmp_path / (f"{bank.bank}.xml" if fmt == "moodle-xml" else f"{bank.bank}.gift")
    path.write_text(export.text, encoding="utf-8")
    back = import_file(path)
    assert [i for i in back.issues] == []  # nothing the export wrote is refused on the way back
    assert back.bank is not None and (back.bank.bank, back.bank.title) == (bank.bank, bank.title)
    if fmt == "moodle-xml":
        assert back.bank.description == bank.description
    assert [q.id for q in back.questions] == [q.id for q in bank.questions]  # ids (progress keys) kept
    for before, after in zip(bank.questions, back.questions, strict=True):
        drop = export.fields.get(before.id, set())
        assert comparable(after, [], drop) == comparable(before, bank.tags, drop), before.id
    # what was not kept is said, by question: every scenario, every difficulty
    scenarios = [q.id for q in bank.questions if isinstance(q, ScenarioQuestion)]
    assert all("keypoints" in export.fields[qid] for qid in scenarios)
    assert all("difficulty" in export.fields[q.id] for q in bank.questions if q.difficulty is not None)


def test_a_bank_with_every_expressible_construct_round_trips_whole(tmp_path: Path) -> None:
    src = tmp_path / "full.yaml"
    src.write_text(
        """bank: full
title: 全部题型
description: 往返测试
questions:
  - {id: s, type: single, prompt: "多行\\n题干 <b> & 1 * 2", choices: ["甲 = 1", "乙 {x}", 丙], answer: A, also_correct: [B],
     feedback: {A: "好#", C: 不对, correct: 对, wrong: 错}, topic: 话题, tags: [t1, t2], explanation: 解析, source: 出处}
  - {id: m, type: multi, prompt: 多选, choices: [甲, 乙, 丙, 丁], answer: [A, C], scoring: partial,
     feedback: {B: 不是, partial: 漏了}}
  - {id: j, type: judge, prompt: 判断, answer: false, feedback: {"true": 想反了, "false": 对}}
  - {id: t, type: short, prompt: 填空, answers: ["a*b", 乙], reject: [丙], feedback: {丙: 反了, wrong: 再想想}}
  - {id: n, type: numeric, prompt: 数值, answer: -2.5, tolerance: 0.25, unit: 天, units: [天, 日],
     feedback: {correct: 好, wrong: 差}}
""",
        encoding="utf-8",
    )
    loaded = load_file(src, use_cache=False)
    assert loaded.problems == [] and isinstance(loaded.document, Bank)
    bank = loaded.document
    export = export_moodle_xml(bank)
    assert export.lost == {}
    out = tmp_path / "full.xml"
    out.write_text(export.text, encoding="utf-8")
    back = import_file(out)
    assert back.issues == [] and back.bank is not None
    assert back.to_data() == import_file(out).to_data()
    assert [_question_data(q) for q in back.bank.questions] == [_question_data(q) for q in bank.questions]
    assert (back.bank.bank, back.bank.title, back.bank.description) == ("full", "全部题型", "往返测试")

    gift = export_gift(bank)
    assert set(gift.lost) == {"feedback correct, wrong", "units (GIFT has none: Moodle accepts the bare number)",
                              "feedback partial"}
    g = tmp_path / "full.gift"
    g.write_text(gift.text, encoding="utf-8")
    gback = import_file(g)
    assert gback.issues == [] and gback.bank is not None
    for before, after in zip(bank.questions, gback.bank.questions, strict=True):
        drop = gift.fields.get(before.id, set())
        assert comparable(after, [], drop) == comparable(before, [], drop)


def test_export_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    loaded = load_file(BANKS / "penalties.yaml", use_cache=False)
    assert isinstance(loaded.document, Bank)
    n = len(loaded.document.questions)
    out = tmp_path / "penalties.xml"
    assert main(["export", "--format", "moodle-xml", "penalties", "-o", str(out), "--banks", str(BANKS)]) == 0
    err = capsys.readouterr().err
    assert f"exported {n} question(s) of bank 'penalties'" in err
    assert f"difficulty ({n})" in err and "情景 key points" in err  # what Moodle has no place for, by question
    assert import_file(out).bank is not None
    gift = tmp_path / "p.gift"
    assert main(["export", str(BANKS / "penalties.yaml"), "-o", str(gift)]) == 0  # the format from the suffix
    assert gift.read_text(encoding="utf-8").startswith("// bank penalties")
    assert main(["export", "--format", "gift", "no-such-bank", "--banks", str(BANKS)]) == 2
    assert "no bank with that id" in capsys.readouterr().err
