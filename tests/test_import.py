"""quiz import: a trainer's spreadsheet (.xlsx, UTF-8 and GBK .csv) comes in as a bank that loads,
with every row that could not be used reported as FILE:ROW: reason."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from quiz.cli import main
from quiz.loader import load_file
from quiz.model import ID_PATTERN, Bank
from quiz.trainer.importers import import_file, slugify
from quiz.trainer.spreadsheet import TEMPLATE_HEADERS, write_template

# every type, Chinese headers in a shuffled order, and rows a trainer gets wrong
HEADERS_CN = ["编号", "题目", "题型", "答案", "选项A", "选项B", "选项C", "选项D", "错误答案", "解析", "知识点", "标签", "难度", "来源"]
ROWS_CN: list[list[object]] = [
    ["fee", "运费险由谁承担？", "单选", "B", "买家", "卖家", "平台", "快递", "", "卖家投保。", "运费承担", "运费,保险", 2, "运费规则"],
    ["", "以下哪些属于虚假宣传用语？", "多选", "A、C", "最高级", "新款", "国家级", "包邮", "", "", "虚假宣传", "", "", ""],
    ["", "恶意评价会被删除。", "判断", "√", "", "", "", "", "", "", "评价规则", "", "", ""],
    ["", "应答率怎么计算？", "填空", "接待量/咨询量|应答率=接待量/咨询量", "", "", "", "", "咨询量/接待量", "", "客服指标", "", "", ""],
    ["", "违约金多少元？", "数值", "100万元", "", "", "", "", "", "", "处罚规则", "", "困难", ""],
    ["", "买家以差评威胁索要补偿，怎么办？", "情景", "保留证据*2: 截图|保留聊天记录\n投诉：恶意评价投诉|投诉", "", "", "", "", "辱骂买家: 辱骂|骂", "", "纠纷处理", "", "", ""],
    # row 8: single whose answer names an option the row does not have
    ["", "坏的单选", "单选", "E", "甲", "乙", "", "", "", "", "", "", "", ""],
    # row 9: no prompt
    ["", "", "判断", "对", "", "", "", "", "", "", "", "", "", ""],
    # row 10: a type that has no equivalent here (matching)
    ["", "连线题", "连线", "随便", "", "", "", "", "", "", "", "", "", ""],
    # row 11: an accepted answer that is also rejected
    ["", "矛盾的填空", "填空", "甲|乙", "", "", "", "", "乙", "", "", "", "", ""],
    # row 12: the same id as row 2: kept, under a new id, and reported
    ["fee", "另一道运费题？", "判断", "错", "", "", "", "", "", "", "", "", "", ""],
    # row 13: a difficulty that is not 1-5: the question comes in without it, reported
    ["", "难度写错的判断题", "判断", "对", "", "", "", "", "", "", "", "", 9, ""],
]


def write_xlsx(path: Path, headers: list[str], rows: list[list[object]]) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(headers)
    for r in rows:
        ws.append([None if v == "" else v for v in r])
    wb.save(path)


def load_ok(path: Path) -> Bank:
    res = load_file(path, use_cache=False)
    assert res.problems == [], [str(p) for p in res.problems]
    assert isinstance(res.document, Bank)
    return res.document


def test_xlsx_every_type_comes_in_and_every_bad_row_is_reported(tmp_path: Path) -> None:
    src = tmp_path / "trainer.xlsx"
    write_xlsx(src, HEADERS_CN, ROWS_CN)
    res = import_file(src)
    by_prompt = {q.prompt: q for q in res.questions}
    assert len(res.questions) == 8 and res.found == 12

    single = by_prompt["运费险由谁承担？"]
    assert single.type == "single" and single.id == "fee" and single.answer == "B"
    assert single.tags == ["运费", "保险"] and single.difficulty == 2 and single.source == "运费规则"
    multi = by_prompt["以下哪些属于虚假宣传用语？"]
    assert multi.type == "multi" and multi.answer == ["A", "C"]
    judge = by_prompt["恶意评价会被删除。"]
    assert judge.type == "judge" and judge.answer is True
    short = by_prompt["应答率怎么计算？"]
    assert short.type == "short" and short.answers == ["接待量/咨询量", "应答率=接待量/咨询量"]
    assert short.reject == ["咨询量/接待量"]
    numeric = by_prompt["违约金多少元？"]
    assert numeric.type == "numeric" and numeric.answer == 1_000_000 and numeric.unit == "元"
    assert numeric.difficulty == 5
    scenario = by_prompt["买家以差评威胁索要补偿，怎么办？"]
    assert scenario.type == "scenario"
    assert [(k.point, k.any, k.weight) for k in scenario.keypoints] == [
        ("保留证据", ["截图", "保留聊天记录"], 2), ("投诉", ["恶意评价投诉", "投诉"], 1)]
    assert [(k.point, k.any) for k in scenario.forbidden] == [("辱骂买家", ["辱骂", "骂"])]

    renamed = by_prompt["另一道运费题？"]
    assert renamed.id == "fee-2"
    assert by_prompt["难度写错的判断题"].difficulty is None

    reported = {i.line: i.message for i in res.issues}
    assert set(reported) == {8, 9, 10, 11, 12, 13}
    assert "names option E" in reported[8]
    assert "题目" in reported[9]
    assert "连线" in reported[10]
    assert "both an accepted answer and in reject" in reported[11]
    assert "'fee' is already used (row 2)" in reported[12]
    assert "难度 '9' is not 1-5" in reported[13]
    assert all(str(i).startswith(f"{src}:{i.line}: ") for i in res.issues)

    # the ids are unique and valid, and what is written loads with the real loader
    ids = [q.id for q in res.questions]
    assert len(set(ids)) == len(ids)
    out = tmp_path / "out.yaml"
    out.write_text(res.to_yaml(), encoding="utf-8")
    bank = load_ok(out)
    assert bank.bank == "trainer" and len(bank.questions) == 8


def test_csv_with_english_headers_and_bom(tmp_path: Path) -> None:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["Prompt", "Type", "A", "B", "C", "Answer", "Explanation", "Topic", "Source", "ID"])
    w.writerow(["Which tool charges per click?", "single", "直通车", "钻展", "淘客", "直通车", "", "推广工具", "", "cpc"])
    w.writerow(["Pick the paid tools", "multi", "直通车", "钻展", "店铺首页", "A,B", "", "", "", ""])
    w.writerow(["Is 最高级 allowed?", "judge", "", "", "", "false", "广告法", "", "", ""])
    w.writerow(["Days to review", "numeric", "", "", "", "15 天", "", "", "", ""])
    src = tmp_path / "en.csv"
    src.write_bytes(buf.getvalue().encode("utf-8-sig"))
    res = import_file(src)
    assert res.issues == [] and res.complete
    types = [q.type for q in res.questions]
    assert types == ["single", "multi", "judge", "numeric"]
    assert res.questions[0].id == "cpc" and res.questions[0].answer == "A"  # the option's text names it
    assert res.questions[1].answer == ["A", "B"]
    assert res.questions[2].answer is False and res.questions[2].explanation == "广告法"
    assert res.questions[3].answer == 15 and res.questions[3].unit == "天"


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-8", "utf-8-sig"])
def test_csv_from_excel_on_chinese_windows(tmp_path: Path, encoding: str) -> None:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["题型", "题目", "答案", "错误答案", "知识点"])
    w.writerow(["填空", "直通车按什么方式扣费？", "按点击扣费|点击扣费", "按展示扣费", "推广工具"])
    w.writerow(["判断", "运费券的使用没有门槛。", "错", "", "运费承担"])
    w.writerow(["数值", "恶意评价投诉要在交易成功后几天内发起？", "15", "", ""])
    src = tmp_path / "客服题库.csv"
    src.write_bytes(buf.getvalue().encode(encoding))
    res = import_file(src)
    assert res.complete, [str(i) for i in res.issues]
    assert res.bank_id == "ke-fu-ti-ku"  # the Chinese file name, in pinyin
    short = res.questions[0]
    assert short.type == "short" and short.answers == ["按点击扣费", "点击扣费"] and short.reject == ["按展示扣费"]
    assert short.topic == "推广工具"
    assert res.questions[1].answer is False


def test_csv_multiline_cells_are_reported_by_the_row_excel_shows(tmp_path: Path) -> None:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["题型", "题目", "答案"])
    w.writerow(["情景", "差评怎么处理？", "核实: 核实情况\n道歉: 致歉|道歉\n跟进: 跟进"])  # row 2, three lines of text
    w.writerow(["单选", "没有选项的单选", "A"])  # row 3 in Excel, line 5 of the file
    src = tmp_path / "multi.csv"
    src.write_text(buf.getvalue(), encoding="utf-8")
    res = import_file(src)
    assert [i.line for i in res.issues] == [3]
    assert "at least two options" in res.issues[0].message


def test_template_has_the_columns_and_imports_cleanly(tmp_path: Path) -> None:
    tpl = tmp_path / "template.xlsx"
    assert main(["import", "--template", str(tpl)]) == 0
    ws = load_workbook(tpl).worksheets[0]
    header = [c.value for c in ws[1]]
    assert header == TEMPLATE_HEADERS
    assert header[:2] == ["题型", "题目"] and "选项H" in header and header[-1] == "编号"
    assert {ws.cell(row=r, column=1).value for r in range(2, ws.max_row + 1)} == {"单选", "多选", "判断", "填空", "数值", "情景"}

    res = import_file(tpl)
    assert res.complete, [str(i) for i in res.issues]
    assert sorted(q.type for q in res.questions) == sorted(["single", "multi", "judge", "short", "numeric", "scenario"])
    out = tmp_path / "template.yaml"
    out.write_text(res.to_yaml(), encoding="utf-8")
    assert len(load_ok(out).questions) == 6


def test_csv_template_imports_cleanly(tmp_path: Path) -> None:
    tpl = tmp_path / "template.csv"
    assert main(["import", "--template", str(tpl)]) == 0
    assert tpl.read_bytes().startswith(b"\xef\xbb\xbf")
    res = import_file(tpl)
    assert res.complete and len(res.questions) == 6
    assert main(["import", "--template", str(tmp_path / "template.doc")]) == 2


def test_cli_exit_codes_and_stderr(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = tmp_path / "good.xlsx"
    write_template(good)
    out = tmp_path / "banks" / "good.yaml"
    assert main(["import", str(good), "-o", str(out), "--bank-id", "cs-basics"]) == 0
    assert load_ok(out).bank == "cs-basics"
    err = capsys.readouterr().err
    assert "imported 6 of 6" in err

    bad = tmp_path / "bad.xlsx"
    write_xlsx(bad, HEADERS_CN, ROWS_CN)
    out2 = tmp_path / "bad.yaml"
    assert main(["import", str(bad), "-o", str(out2)]) == 1  # some rows skipped: still written
    err = capsys.readouterr().err
    assert f"{bad}:8: skipped:" in err and f"{bad}:10: skipped:" in err
    assert len(load_ok(out2).questions) == 8

    assert main(["import", str(bad), "-o", str(out2), "--force", "--bank-id", "Bad Id"]) == 2
    assert "--bank-id" in capsys.readouterr().err
    assert main(["import", str(tmp_path / "missing.csv"), "-o", str(out2)]) == 2
    assert "no such file" in capsys.readouterr().err


def test_nothing_usable_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "empty.csv"
    src.write_text("题型,题目,答案\n连线,配对,随便\n", encoding="utf-8")
    out = tmp_path / "empty.yaml"
    assert main(["import", str(src), "-o", str(out)]) == 1
    assert not out.exists()
    assert f"{src}:2: skipped" in capsys.readouterr().err


def test_a_file_without_a_header_row_is_one_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "nohead.csv"
    src.write_text("a,b,c\n1,2,3\n", encoding="utf-8")
    assert main(["import", str(src), "-o", str(tmp_path / "x.yaml")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "header" in err


def test_generated_ids_are_valid_and_unique(tmp_path: Path) -> None:
    src = tmp_path / "same.csv"
    src.write_text("题型,题目,答案\n判断,同一个题目,对\n判断,同一个题目,错\n判断,！？,对\n", encoding="utf-8")
    res = import_file(src)
    ids = [q.id for q in res.questions]
    assert ids == ["tong-yi-ge-ti-mu", "tong-yi-ge-ti-mu-2", "q4"]


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=60))
def test_slugify_gives_a_valid_id_or_nothing(text: str) -> None:
    import re

    slug = slugify(text)
    assert slug == "" or re.match(ID_PATTERN, slug)
    assert len(slug) <= 48


def test_cells_trainers_write_in_practice(tmp_path: Path) -> None:
    src = tmp_path / "practice.csv"
    src.write_text(
        "题型,题目,选项A,选项B,答案,难度\n"
        "判断,判断题也写了选项,正确,错误,B,中等\n"  # a 判断 answered by the letter of its option
        "数值,多少天？,,,九十天,\n"  # Chinese numerals
        "数值,误差,,,3±0.5个工作日,\n"
        "数值,范围,,,10~20元,\n",
        encoding="utf-8",
    )
    res = import_file(src)
    assert res.complete, [str(i) for i in res.issues]
    judge, days, tol, rng = res.questions
    assert judge.answer is False and judge.difficulty == 3
    assert (days.answer, days.unit) == (90, "天")
    assert (tol.answer, tol.tolerance, tol.unit) == (3, 0.5, "个工作日")
    assert (rng.answer, rng.tolerance, rng.unit) == (15, 5, "元")


def test_every_sheet_with_a_header_is_read(tmp_path: Path) -> None:
    src = tmp_path / "sheets.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.title = "评价"
    ws.append(["客服题库 2026"])  # a title row above the header
    ws.append(["题型", "题目", "答案"])
    ws.append(["判断", "第一页的题", "对"])
    notes = wb.create_sheet("说明")
    notes.append(["题目", "写题干"])  # notes, not questions
    other = wb.create_sheet("运费")
    other.append(["type", "prompt", "answer"])
    other.append(["judge", "第三页的题", "false"])
    other.append(["judge", "", "false"])
    wb.save(src)
    res = import_file(src)
    assert [q.prompt for q in res.questions] == ["第一页的题", "第三页的题"]
    assert [str(i) for i in res.issues] == [f"{src}[运费]:3: skipped: 题目 (prompt) is empty"]
