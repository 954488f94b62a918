"""Write company.xlsx and company.csv: a question bank as a company's trainers keep it (test fixtures).

usage: python tests/data/import/make_company.py [OUT_DIR]   (default: this folder)

The workbook has what real files have: a merged title row above a two-row header (选项
merged over A-D, 序号/章节/题型/题目/答案 merged down over both rows), 章节 merged over the
rows of each chapter, option cells that repeat their letter (A.扣2分), accepted answers
separated by a full-width ；, a cell formatted as a percent, a 不定项选择题, numbered rows
left empty, a 合计 row, a 说明 sheet, and a hidden retired sheet that contradicts the
current one. company.csv is the first sheet as Excel saves it as "CSV UTF-8": the merged
cells' value in their first cell only, the percent as shown.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

from openpyxl import Workbook

TITLE = "杭州某电商公司 客服岗位考试题库（2024 版）"
HEADER = ["序号", "章节", "题型", "题目", "选项", None, None, None, "答案", "解析", "分值"]
SUBHEADER = [None, None, None, None, "A", "B", "C", "D", None, None, None]
ROWS: list[list[object]] = [
    [1, "评价规则", "单选题", "恶意评价成立的，评价人每次扣几分？", "A.扣2分", "B.扣4分", "C.扣6分", "D.扣12分", "D",
     "恶意评价成立，评价人每次扣 12 分。", 2],
    [2, None, "不定项选择题", "以下哪些属于恶意评价？", "A、同行恶意评价", "B、以差评要挟索要财物", "C、如实描述的差评",
     "D、以中差评要挟退运费", "ABD", "如实的差评不是恶意评价。", 3],
    [3, None, "判断题", "如实描述商品问题的差评，卖家也可以投诉删除。", None, None, None, None, "×",
     "如实评价受保护。", 2],
    [4, "客服指标", "填空题", "客服应答率怎么计算？", None, None, None, None, "接待量/咨询量；应答率=接待量/咨询量",
     "应答率=接待量/咨询量。", 2],
    [5, None, "计算题", "某天咨询量 200 人，接待量 190 人，应答率是多少？", None, None, None, None, 0.95,
     "190/200=95%。", 3],
    [6, None, None, None, None, None, None, None, None, None, None],
    [7, None, None, None, None, None, None, None, None, None, None],
    ["合计", None, None, None, None, None, None, None, None, None, 12],
]
RETIRED = [
    ["题型", "题目", "答案"],
    ["单选题", "恶意评价成立的，评价人每次扣几分？（旧规）", "B"],
    ["判断题", "如实描述商品问题的差评，卖家也可以投诉删除。", "√"],
]


def write(out: Path) -> tuple[Path, Path]:
    wb = Workbook()
    ws = wb.active
    ws.title = "客服题库"
    ws.append([TITLE])
    ws.merge_cells("A1:K1")
    ws.append(HEADER)
    ws.append(SUBHEADER)
    ws.merge_cells("E2:H2")  # 选项 over A-D
    for col in "ABCDIJK":  # 序号, 章节, 题型, 题目, 答案, 解析, 分值 over both header rows
        ws.merge_cells(f"{col}2:{col}3")
    for row in ROWS:
        ws.append(row)
    ws.merge_cells("B4:B6")  # 评价规则 over its three questions
    ws.merge_cells("B7:B11")  # 客服指标 over its two questions and the numbered empty rows
    ws["I8"].number_format = "0%"  # 0.95, shown as 95%
    notes = wb.create_sheet("说明")
    notes.append(["填写说明：答案列填选项字母；填空题多个答案用；分隔。"])
    retired = wb.create_sheet("旧题库（已停用）")
    for row in RETIRED:
        retired.append(row)
    retired.sheet_state = "hidden"
    xlsx = out / "company.xlsx"
    wb.save(xlsx)

    csv_path = out / "company.csv"
    with csv_path.open("w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow([TITLE] + [""] * 10)
        w.writerow(["" if v is None else v for v in HEADER])
        w.writerow(["" if v is None else v for v in SUBHEADER])
        for row in ROWS:
            w.writerow(["95%" if v == 0.95 else "" if v is None else v for v in row])
    return xlsx, csv_path


if __name__ == "__main__":
    write(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parent)
