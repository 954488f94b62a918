"""Spreadsheets as trainers keep them (issue 14): merged cells, two-row headers, hidden sheets, lettered options,
percent cells, Chinese type names, noise columns and total rows. Every guess is a notice; a clean file exits 0."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from quiz.cli import main
from quiz.errors import UserError
from quiz.loader import load_file
from quiz.model import Bank, MultiQuestion, NumericQuestion, ScenarioQuestion, ShortQuestion, SingleQuestion
from quiz.trainer.importers import import_file
from quiz.trainer.spreadsheet import parse_type, percent_text, split_options

DATA = Path(__file__).parent / "data" / "import"


def csv_file(path: Path, rows: list[list[object]], encoding: str = "utf-8-sig") -> Path:
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


# ---------------------------------------------------------------- the company file


@pytest.mark.parametrize("name", ["company.xlsx", "company.csv"])
def test_a_messy_company_file_imports_its_five_questions_with_exit_0(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = DATA / name
    out = tmp_path / "company.yaml"
    assert main(["import", str(src), "-o", str(out)]) == 0
    err = capsys.readouterr().err
    summary = err.strip().splitlines()[-1]
    assert summary.startswith("imported 5 of 5 questions") and "skipped" not in summary and "reported" not in summary
    loaded = load_file(out, use_cache=False)
    assert loaded.problems == [] and isinstance(loaded.document, Bank)
    bank = loaded.document
    assert bank.title == "杭州某电商公司 客服岗位考试题库（2024 版）"  # the merged title row names the bank
    single, multi, judge, short, numeric = bank.questions
    assert isinstance(single, SingleQuestion)
    assert single.choices == ["扣2分", "扣4分", "扣6分", "扣12分"] and single.answer == "D"  # no 'D. D.扣12分'
    assert isinstance(multi, MultiQuestion) and multi.answer == ["A", "B", "D"]  # 不定项选择题
    assert multi.choices[0] == "同行恶意评价"  # 'A、' removed too
    assert judge.type == "judge" and judge.answer is False  # ×
    assert isinstance(short, ShortQuestion) and short.answers == ["接待量/咨询量", "应答率=接待量/咨询量"]  # ；
    assert isinstance(numeric, NumericQuestion) and (numeric.answer, numeric.unit) == (95, "%")  # a 0% cell
    # 章节 merged over the rows of each chapter: every question has its chapter
    assert [q.topic for q in bank.questions] == ["评价规则"] * 3 + ["客服指标"] * 2
    # the hidden retired sheet contradicts the current one: not imported
    assert not any("旧规" in q.prompt for q in bank.questions)
    assert "hidden sheet: skipped" in err or name.endswith(".csv")
    assert "letters were removed" in err  # the guesses are listed, as notices


def test_xlsx_and_csv_of_one_sheet_agree() -> None:
    xlsx, csv_ = import_file(DATA / "company.xlsx"), import_file(DATA / "company.csv")
    assert xlsx.to_data()["questions"] == csv_.to_data()["questions"]


def test_the_company_fixtures_are_what_their_generator_writes(tmp_path: Path) -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_company", DATA / "make_company.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    xlsx, csv_ = module.write(tmp_path)
    assert csv_.read_bytes() == (DATA / "company.csv").read_bytes()
    assert import_file(xlsx).to_data()["questions"] == import_file(DATA / "company.xlsx").to_data()["questions"]


# ---------------------------------------------------------------- constructs


def test_options_in_one_cell(tmp_path: Path) -> None:
    src = csv_file(tmp_path / "one-cell.csv", [
        ["题型", "题目", "选项", "答案"],
        ["单选", "运费险由谁投保？", "A.买家 B.卖家 C.平台 D.快递", "B"],
        ["多选", "哪些是最高级用语？", "(A)最佳 (B)新款 (C)第一", "AC"],
        ["单选", "一行一个选项", "A、甲\nB、乙\nC、丙", "C"],
    ])
    res = import_file(src)
    assert res.complete, [str(i) for i in res.issues]
    a, b, c = res.questions
    assert isinstance(a, SingleQuestion) and a.choices == ["买家", "卖家", "平台", "快递"] and a.answer == "B"
    assert isinstance(b, MultiQuestion) and b.choices == ["最佳", "新款", "第一"] and b.answer == ["A", "C"]
    assert isinstance(c, SingleQuestion) and c.choices == ["甲", "乙", "丙"]
    assert any("split from one cell" in n.message for n in res.notices)


def test_split_options_refuses_what_it_cannot_tell_apart() -> None:
    assert split_options("A.B2C模式 B.C2C模式") == ["B2C模式", "C2C模式"]
    with pytest.raises(Exception, match="cannot tell the options apart"):
        split_options("只有一个选项")


def test_single_row_header_with_options_merged_over_columns(tmp_path: Path) -> None:
    src = tmp_path / "merged-options.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.append(["题型", "题目", "选项", None, None, "答案"])
    ws.merge_cells("C1:E1")
    ws.append(["单选", "谁出运费？", "买家", "卖家", "平台", "B"])
    wb.save(src)
    res = import_file(src)
    assert res.complete and res.questions[0].choices == ["买家", "卖家", "平台"]  # type: ignore[union-attr]


@pytest.mark.parametrize(("name", "qtype"), [
    ("单选题", "single"), ("单项选择题", "single"), ("多选题", "multi"), ("多项选择题", "multi"),
    ("不定项选择题", "multi"), ("不定项", "multi"), ("判断题", "judge"), ("是非题", "judge"), ("填空题", "short"),
    ("简答题", "free"), ("问答题", "free"), ("论述题", "free"), ("案例分析题", "free"), ("计算题", "numeric"),
    ("数值题", "numeric"), ("情景题", "scenario"), ("情境题", "scenario"), ("单选题（2分）", "single"), ("连线题", None),
])
def test_chinese_type_names(name: str, qtype: str | None) -> None:
    assert parse_type(name) == qtype


def test_short_answers_and_model_paragraphs(tmp_path: Path) -> None:
    paragraph = "首先向买家道歉，说明发货延迟的原因。然后核实物流信息；最后给出补偿方案并跟进。"
    src = csv_file(tmp_path / "free.csv", [
        ["题型", "题目", "答案"],
        ["简答题", "应答率的公式？", "接待量/咨询量|接待量÷咨询量"],
        ["简答题", "发货延迟被投诉，怎么回复买家？", paragraph],
        ["案例分析题", "买家以差评要挟，怎么办？", "保留证据: 截图|保留聊天记录\n投诉: 恶意评价投诉"],
        ["填空题", "多个答案用分号", "15天;十五天；半个月"],
    ])
    res = import_file(src)
    assert res.complete, [str(i) for i in res.issues]
    short, para, case, semi = res.questions
    assert isinstance(short, ShortQuestion) and short.answers == ["接待量/咨询量", "接待量÷咨询量"]
    assert isinstance(para, ScenarioQuestion) and para.sample_answer == paragraph
    assert [k.point for k in para.keypoints] == ["首先向买家道歉，说明发货延迟的原因", "然后核实物流信息", "最后给出补偿方案并跟进"]
    assert any(n.line == 3 and "review the key points" in n.message for n in res.notices)
    assert isinstance(case, ScenarioQuestion) and [k.point for k in case.keypoints] == ["保留证据", "投诉"]
    assert isinstance(semi, ShortQuestion) and semi.answers == ["15天", "十五天", "半个月"]


def test_noise_columns_numbered_empty_rows_totals_and_repeated_headers_are_quiet(tmp_path: Path) -> None:
    src = csv_file(tmp_path / "noise.csv", [
        ["序号", "题型", "题目", "答案", "分值"],
        [1, "判断", "运费券没有门槛。", "错", 2],
        [2, "", "", "", ""],
        [3, "", "", "", 2],
        ["序号", "题型", "题目", "答案", "分值"],  # the header again, as on a printed second page
        [4, "数值", "恶意评价投诉期限是多少天？", "15天", 2],
        ["合计", "", "", "", 4],
        ["", "", "", "总分", 100],
    ])
    res = import_file(src)
    assert res.complete and res.notices == [] and res.found == 2
    assert [q.type for q in res.questions] == ["judge", "numeric"]
    assert [q.id for q in res.questions] == ["yun-fei-quan-mei-you-men-kan", "e-yi-ping-jia-tou-su-qi-xian-shi-duo"]


def test_a_section_heading_gives_the_rows_below_their_type(tmp_path: Path) -> None:
    src = tmp_path / "sections.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.append(["题目", "选项A", "选项B", "答案"])
    ws.append(["一、判断题（每题 2 分）"])
    ws.merge_cells("A2:D2")
    ws.append(["运费券没有门槛。", None, None, "错"])
    ws.append(["二、单选题"])
    ws.append(["谁出运费？", "买家", "卖家", "B"])
    ws.append(["第三章 评价规则"])  # a chapter heading in a sheet without a 章节 column: the topic below it
    ws.append(["恶意评价会被删除。", None, None, "对"])
    wb.save(src)
    res = import_file(src)
    assert res.complete, [str(i) for i in res.issues]
    assert [q.type for q in res.questions] == ["judge", "single", "judge"]
    assert [q.topic for q in res.questions] == [None, None, "评价规则"]
    assert [n.line for n in res.notices if "section heading" in n.message] == [2, 4]
    assert [n.line for n in res.notices if "chapter heading" in n.message] == [6]


def test_unknown_columns_and_inferred_types_are_notices_not_errors(tmp_path: Path) -> None:
    src = csv_file(tmp_path / "infer.csv", [
        ["题目", "选项A", "选项B", "答案", "出题人"],
        ["谁出运费？", "买家", "卖家", "B", "王老师"],
        ["运费券没有门槛。", "", "", "错", "王老师"],
    ])
    assert main(["import", str(src), "-o", str(tmp_path / "out.yaml")]) == 0
    res = import_file(src)
    messages = [n.message for n in res.notices]
    assert "column '出题人' is not a known column; ignored" in messages
    assert any("no 题型 column" in m and "1 单选" in m and "1 判断" in m for m in messages)


def test_percent_cells_read_as_excel_shows_them(tmp_path: Path) -> None:
    assert percent_text(0.05, "0%") == "5%"
    assert percent_text(0.055, "0.0%") == "5.5%"
    assert percent_text(0.05, "0.00%") == "5.00%"
    assert percent_text(0.05, "General") is None
    assert percent_text(0.05, '0"%"') is None  # a literal % sign in quotes is not a percent format
    src = tmp_path / "percent.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.append(["题型", "题目", "答案"])
    ws.append(["数值", "好评率是多少？", 0.05])
    ws.append(["填空", "写出好评率", 0.9])
    ws["C2"].number_format = "0%"
    ws["C3"].number_format = "0%"
    wb.save(src)
    res = import_file(src)
    num, short = res.questions
    assert isinstance(num, NumericQuestion) and (num.answer, num.unit) == (5, "%")
    assert isinstance(short, ShortQuestion) and short.answers == ["90%"]


def test_merged_type_and_chapter_cells_are_filled(tmp_path: Path) -> None:
    src = tmp_path / "merged.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.append(["章节", "题型", "题目", "答案"])
    ws.append(["评价规则", "判断", "恶意评价会被删除。", "对"])
    ws.append([None, None, "如实差评可以删除。", "错"])
    ws.append([None, None, "评价期是 15 天。", "对"])
    ws.merge_cells("A2:A4")
    ws.merge_cells("B2:B4")
    wb.save(src)
    res = import_file(src)
    assert res.complete, [str(i) for i in res.issues]
    assert [(q.type, q.topic) for q in res.questions] == [("judge", "评价规则")] * 3


def test_negative_numbers_and_worked_answers(tmp_path: Path) -> None:
    src = csv_file(tmp_path / "numbers.csv", [
        ["题型", "题目", "答案"],
        ["数值", "零下五度写作？", "-5"],
        ["计算题", "应答率？", "190/200=95%"],
        ["数值", "范围", "3.141~3.142"],
    ])
    res = import_file(src)
    neg, worked, rng = res.questions
    assert isinstance(neg, NumericQuestion) and neg.answer == -5
    assert isinstance(worked, NumericQuestion) and (worked.answer, worked.unit) == (95, "%")
    assert any(n.line == 3 and "calculation" in n.message for n in res.notices)
    assert isinstance(rng, NumericQuestion) and (rng.answer, rng.tolerance) == (3.1415, 0.0005)


def test_control_characters_are_stripped_and_reported(tmp_path: Path) -> None:
    src = csv_file(tmp_path / "ctl.csv", [
        ["题型", "题目", "答案"],
        ["判断", "运费\x1b[2J券没有\u202e门槛。", "错"],
    ])
    res = import_file(src)
    [q] = res.questions
    assert q.prompt == "运费[2J券没有门槛。"
    [n] = res.notices
    assert n.line == 2 and "removed 2 control characters (U+001B, U+202E) from prompt" in n.message


def test_many_identical_prompts_get_unique_ids(tmp_path: Path) -> None:
    rows: list[list[object]] = [["题型", "题目", "答案", "编号"]]
    rows += [["判断", "同一个题目", "对", ""] for _ in range(500)]
    rows += [["判断", "写了编号", "对", "tong-yi-ge-ti-mu-7"]]  # a trainer's id: generated ones keep out of its way
    res = import_file(csv_file(tmp_path / "same.csv", rows))
    ids = [q.id for q in res.questions]
    assert len(set(ids)) == len(ids) == 501
    assert ids[:3] == ["tong-yi-ge-ti-mu", "tong-yi-ge-ti-mu-2", "tong-yi-ge-ti-mu-3"]
    assert ids[5] == "tong-yi-ge-ti-mu-6" and ids[6] == "tong-yi-ge-ti-mu-8" and ids[-1] == "tong-yi-ge-ti-mu-7"


# ---------------------------------------------------------------- damaged workbooks


def test_a_truncated_workbook_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    whole = (DATA / "company.xlsx").read_bytes()
    for cut in (len(whole) // 2, len(whole) - 30):
        bad = tmp_path / "truncated.xlsx"
        bad.write_bytes(whole[:cut])
        assert main(["import", str(bad), "-o", str(tmp_path / "x.yaml")]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "not a readable .xlsx workbook" in err and "Traceback" not in err
    assert not (tmp_path / "x.yaml").exists()


def _rezip(src: Path, dst: Path, replace: dict[str, bytes]) -> None:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, replace.get(info.filename, zin.read(info.filename)))


def test_an_entity_amplified_workbook_is_refused_in_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lol = b'<!DOCTYPE lolz [<!ENTITY lol "lollollollollollollollollollol">'
    for k in range(1, 10):
        lol += f'<!ENTITY lol{k} "{("&lol" + (str(k - 1) if k > 1 else "") + ";") * 10}">'.encode()
    lol += b"]>"
    with zipfile.ZipFile(DATA / "company.xlsx") as z:
        sheet = z.read("xl/worksheets/sheet1.xml")
    assert b"<t>" in sheet
    bomb = b'<?xml version="1.0" encoding="UTF-8"?>' + lol + sheet.replace(b"<t>", b"<t>&lol9;", 1)
    bad = tmp_path / "bomb.xlsx"
    _rezip(DATA / "company.xlsx", bad, {"xl/worksheets/sheet1.xml": bomb})
    assert main(["import", str(bad), "-o", str(tmp_path / "x.yaml")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "not a readable .xlsx workbook" in err


def test_a_zip_bomb_is_refused_before_it_is_unpacked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import quiz.trainer.spreadsheet as sheet

    monkeypatch.setattr(sheet, "MAX_UNPACKED_BYTES", 1 << 16)
    bad = tmp_path / "big.xlsx"
    _rezip(DATA / "company.xlsx", bad, {"xl/worksheets/sheet2.xml": b"<x>" + b" " * (1 << 17) + b"</x>"})
    with pytest.raises(UserError, match="unpacks to"):
        import_file(bad)
