"""Trainer spreadsheets (.xlsx through openpyxl, .csv in UTF-8 with or without BOM, GBK/GB18030 or UTF-16).

Columns (cli.md), Chinese or English headers in any order: 题型/type, 题目/prompt,
选项A…选项H/A…H, 答案/answer, 错误答案/reject, 解析/explanation, 知识点/topic,
标签/tags, 难度/difficulty, 来源/source, 编号/id. Also understood: 计分/scoring
(全对/部分 for 多选), 单位/unit and 误差/tolerance (数值), 参考回答/sample_answer (情景).

Cells by type:

- 单选: 答案 is a letter (``B``, ``b``, ``B.``) or the exact text of an option.
- 多选: 答案 is letters (``ACD``, ``A,C,D``, ``A、C、D``) or option texts separated by ``|``.
- 判断: 答案 is 对/错 (正确/错误, √/×, T/F, true/false, yes/no); when the row has
  options (A 正确, B 错误), a letter naming one of them.
- 填空: 答案 holds accepted forms separated by ``|``, 错误答案 likewise.
- 数值: 答案 is a number with an optional unit, tolerance or range:
  ``90``, ``90天``, ``100万元``, ``3±0.5``, ``10~20``.
- 情景: one key point per line in 答案 as ``label: phrase|phrase`` (a weight as
  ``label*2: ...``); 错误答案 lists forbidden actions the same way.

Every sheet of a workbook whose first rows hold a header with 题目/prompt and
题型/type or 答案/answer is read (a 说明 sheet of notes is skipped); rows of the
second and later sheets are reported as ``FILE[sheet]:ROW``.

An empty 题型 is inferred: options with one letter → 单选, several → 多选; 对/错 →
判断; a number → 数值; ``label: phrase`` lines → 情景; else 填空.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from quiz.errors import UserError
from quiz.model import LETTERS
from quiz.trainer.importers import Draft, ImportIssue

# ---------------------------------------------------------------- headers

_ALIASES: dict[str, tuple[str, ...]] = {
    "type": ("题型", "类型", "题目类型", "试题类型", "题类", "type", "questiontype", "qtype", "kind"),
    "prompt": ("题目", "题干", "问题", "试题", "题目内容", "试题内容", "prompt", "question", "stem", "text"),
    "answer": ("答案", "正确答案", "标准答案", "参考答案", "answer", "answers", "correct", "correctanswer", "key"),
    "reject": ("错误答案", "常见错误答案", "拒绝答案", "不接受答案", "错误说法", "reject", "rejects", "wronganswers", "forbidden"),
    "explanation": ("解析", "答案解析", "试题解析", "解释", "explanation", "analysis", "feedback"),
    "topic": ("知识点", "主题", "专题", "分类", "章节", "topic", "category"),
    "tags": ("标签", "tags", "tag", "labels"),
    "difficulty": ("难度", "难度系数", "difficulty", "level"),
    "source": ("来源", "出处", "依据", "source", "reference"),
    "id": ("编号", "题号", "试题编号", "id", "qid"),
    "scoring": ("计分", "计分方式", "评分方式", "scoring"),
    "unit": ("单位", "unit"),
    "tolerance": ("误差", "容差", "允许误差", "tolerance"),
    "sample_answer": ("参考回答", "示范回答", "范文", "sampleanswer", "sample"),
}

TEMPLATE_HEADERS = ["题型", "题目", *[f"选项{c}" for c in LETTERS], "答案", "错误答案", "解析", "知识点", "标签", "难度", "来源", "编号"]


def _norm_header(h: str) -> str:
    h = unicodedata.normalize("NFKC", h).strip().lower()
    h = re.sub(r"\(.*?\)$", "", h)  # 题目(必填)
    return re.sub(r"[\s*_:：\-]+", "", h)


def _header_index() -> dict[str, str]:
    out: dict[str, str] = {}
    for name, aliases in _ALIASES.items():
        for a in aliases:
            out[_norm_header(a)] = name
    for i, letter in enumerate(LETTERS):
        for a in (f"选项{letter}", letter, f"option{letter}", f"choice{letter}", f"选项{i + 1}", f"option{i + 1}", f"choice{i + 1}"):
            out[_norm_header(a)] = f"choice{i}"
    return out


_HEADERS = _header_index()


def column_of(header: str) -> str | None:
    """The field a header names (``选项C`` -> ``choice2``), or None for a column we do not know."""
    return _HEADERS.get(_norm_header(header))


# ---------------------------------------------------------------- cells


def cell_text(v: Any) -> str:
    """A cell as the trainer sees it: 90.0 → "90", TRUE → "true", None → ""."""
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() else repr(v)
    if isinstance(v, dt.datetime | dt.date | dt.time):
        return v.isoformat()
    return str(v).replace("\r\n", "\n").replace("\r", "\n").strip()


# ---------------------------------------------------------------- reading files


Row = tuple[int, list[str]]  # (row number as the sheet shows it, cells)


def _read_xlsx(path: Path) -> list[tuple[str, list[Row]]]:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as e:  # openpyxl raises zipfile/KeyError/InvalidFileException on damaged files
        raise UserError(f"{path}: not a readable .xlsx workbook ({type(e).__name__}: {e})") from e
    sheets: list[tuple[str, list[Row]]] = []
    try:
        for ws in wb.worksheets:
            rows: list[Row] = []
            for cells in ws.iter_rows():
                values = [cell_text(c.value) for c in cells]
                if not any(values):
                    continue
                row_no = next((c.row for c in cells if getattr(c, "row", None) is not None), None)
                if row_no is None:
                    continue
                rows.append((int(row_no), values))
            sheets.append((ws.title, rows))
    finally:
        wb.close()
    return sheets


def decode_text(data: bytes, path: Path) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else GB18030 (a superset of the GBK Excel writes)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as e:
        raise UserError(f"{path}: the text is neither UTF-8 nor GBK/GB18030 (byte {e.start}); save it as CSV UTF-8") from e


def _read_csv(path: Path) -> list[tuple[str, list[Row]]]:
    try:
        data = path.read_bytes()
    except OSError as e:
        raise UserError(f"{path}: cannot read: {e.strerror or e}") from e
    text = decode_text(data, path)
    first = text.split("\n", 1)[0]
    delimiter = "\t" if path.suffix.lower() == ".tsv" or first.count("\t") > first.count(",") else ","
    rows: list[Row] = []
    try:
        for n, record in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), start=1):
            values = [cell_text(v) for v in record]
            if any(values):
                rows.append((n, values))
    except csv.Error as e:
        raise UserError(f"{path}: not a readable CSV file: {e}") from e
    return [(path.stem, rows)]


# ---------------------------------------------------------------- rows to drafts


_JUDGE_TRUE = {"对", "正确", "是", "√", "✓", "✔", "t", "true", "yes", "y", "1", "对的", "right", "r"}
_JUDGE_FALSE = {"错", "错误", "否", "×", "✗", "✘", "x", "f", "false", "no", "n", "0", "不对", "不正确", "wrong"}

_TYPE_NAMES: dict[str, str] = {}
for _t, _names in {
    "single": ("单选", "单选题", "单项选择", "单项选择题", "单择", "single", "singlechoice", "sc", "radio"),
    "multi": ("多选", "多选题", "多项选择", "多项选择题", "不定项", "不定项选择", "multi", "multiple", "multichoice", "multiplechoice", "mc", "checkbox"),
    "judge": ("判断", "判断题", "是非", "是非题", "对错", "judge", "truefalse", "tf", "bool", "boolean"),
    "short": ("填空", "填空题", "简答", "简答题", "问答", "short", "shortanswer", "fill", "blank", "text"),
    "numeric": ("数值", "数值题", "计算", "计算题", "数字", "numeric", "number", "numerical"),
    "scenario": ("情景", "情景题", "情境", "情境题", "案例", "案例题", "案例分析", "场景", "场景题", "scenario", "case"),
}.items():
    for _n in _names:
        _TYPE_NAMES[_n] = _t

_DIFFICULTY_WORDS = {"简单": 1, "容易": 1, "易": 1, "较易": 2, "偏易": 2, "中": 3, "中等": 3, "一般": 3,
                     "较难": 4, "偏难": 4, "难": 5, "困难": 5, "很难": 5, "easy": 1, "medium": 3, "hard": 5}
_SCORING_WORDS = {"all": "all", "全对": "all", "全部": "all", "全对得分": "all", "全部正确": "all",
                  "partial": "partial", "部分": "partial", "部分得分": "partial", "少选得分": "partial",
                  "少选得部分分": "partial", "按比例": "partial"}
_LIST_SPLIT = re.compile(r"[|｜\n]")
_TAG_SPLIT = re.compile(r"[,，、;；\n]")
_KEYPOINT_LINE = re.compile(r"^\s*(?:\d+[.、)）]\s*)?(?P<label>[^:：]+?)\s*(?:[*×x]\s*(?P<w>\d+(?:\.\d+)?))?\s*[:：]\s*(?P<any>.+)$")
_NUMBER = re.compile(
    r"^(?P<n>[-+]?\d+(?:\.\d+)?)\s*(?:(?:±|\+-|\+/-)\s*(?P<tol>\d+(?:\.\d+)?))?\s*(?P<rest>.*)$"
)
_RANGE = re.compile(r"^(?P<lo>[-+]?\d+(?:\.\d+)?)\s*(?:~|～|\.\.|至|到)\s*(?P<hi>[-+]?\d+(?:\.\d+)?)\s*(?P<rest>.*)$")
_MULTIPLIERS = {"万": 10_000, "亿": 100_000_000, "千": 1_000, "百": 100}


class RowError(Exception):
    """A row that cannot become a question; the message is the reason."""


def _norm_word(s: str) -> str:
    return re.sub(r"[\s.。、,，:：()（）]+", "", unicodedata.normalize("NFKC", s)).lower()


def parse_type(cell: str) -> str | None:
    return _TYPE_NAMES.get(_norm_word(cell))


def parse_judge(cell: str) -> bool | None:
    w = _norm_word(cell)
    if w in _JUDGE_TRUE:
        return True
    if w in _JUDGE_FALSE:
        return False
    return None


def _letter_of(token: str, choices: list[str]) -> int | None:
    t = unicodedata.normalize("NFKC", token).strip()
    m = re.fullmatch(r"(?:选项|选)?\(?([A-Ha-h])\)?[.、)）]?", t)
    if m:
        i = LETTERS.index(m.group(1).upper())
        return i if i < len(choices) else -1
    for i, c in enumerate(choices):
        if _norm_word(c) == _norm_word(t):
            return i
    return None


def parse_letters(cell: str, choices: list[str]) -> list[str]:
    """Letters a 单选/多选 answer names: ``ACD``, ``A,C,D``, ``A、C、D``, or option texts joined by ``|``."""
    text = unicodedata.normalize("NFKC", cell).strip()
    if not text:
        raise RowError("答案 (answer) is empty")
    if re.fullmatch(r"[A-Ha-h][A-Ha-h\s,，、;；/|]*", text):
        letters = [c.upper() for c in text if c.upper() in LETTERS]
    else:
        letters = []
        for part in _LIST_SPLIT.split(text):
            if not part.strip():
                continue
            i = _letter_of(part, choices)
            if i is None:
                raise RowError(f"答案 {part.strip()!r} is neither a letter nor the text of an option")
            if i < 0:
                raise RowError(f"答案 {part.strip()!r} names an option the row does not have")
            letters.append(LETTERS[i])
    out: list[str] = []
    for c in letters:
        if LETTERS.index(c) >= len(choices):
            raise RowError(f"答案 names option {c} but the row has options {LETTERS[0]}-{LETTERS[len(choices) - 1]} only"
                           if choices else f"答案 names option {c} but the row has no options")
        if c not in out:
            out.append(c)
    return out


def parse_number(cell: str) -> tuple[float, float, str]:
    """(value, tolerance, unit) from ``90``, ``90天``, ``100万元``, ``3±0.5``, ``10~20`` ..."""
    text = unicodedata.normalize("NFKC", cell).strip()
    text = re.sub(r"(?<=\d),(?=\d{3})", "", text)
    m = _RANGE.match(text)
    if m:
        lo, hi = float(m["lo"]), float(m["hi"])
        if lo > hi:
            lo, hi = hi, lo
        return (lo + hi) / 2, (hi - lo) / 2, m["rest"].strip()
    m = _NUMBER.match(text)
    if not m:
        from quiz.grading.normalize import normalize  # Chinese numerals: 九十天 -> 90天

        m = _NUMBER.match(normalize(text))
    if not m:
        raise RowError(f"答案 {cell!r} is not a number (write it in digits, e.g. 90 or 90天)")
    value = float(m["n"])
    tol = float(m["tol"]) if m["tol"] else 0.0
    rest = m["rest"].strip()
    if rest[:1] in _MULTIPLIERS:
        value *= _MULTIPLIERS[rest[0]]
        tol *= _MULTIPLIERS[rest[0]]
        rest = rest[1:].strip()
    if rest and re.search(r"\d", rest):
        raise RowError(f"答案 {cell!r} is not one number")
    return value, tol, rest


def _number(v: float) -> int | float:
    return int(v) if float(v).is_integer() else v


def parse_keypoints(cell: str, what: str) -> list[dict[str, Any]]:
    """``label: phrase|phrase`` per line (``label*2: ...`` for a weight)."""
    out: list[dict[str, Any]] = []
    for line in cell.split("\n"):
        if not line.strip():
            continue
        m = _KEYPOINT_LINE.match(line)
        if m:
            label, phrases = m["label"].strip(), [p.strip() for p in _LIST_SPLIT.split(m["any"]) if p.strip()]
            kp: dict[str, Any] = {"point": label, "any": phrases or [label]}
            if m["w"]:
                kp["weight"] = _number(float(m["w"]))
        else:
            phrases = [p.strip() for p in re.split(r"[|｜]", line) if p.strip()]
            kp = {"point": phrases[0], "any": phrases}
        out.append(kp)
    if not out and what == "答案":
        raise RowError("情景 needs key points in 答案, one per line as 'label: phrase|phrase'")
    return out


def _split_list(cell: str) -> list[str]:
    out: list[str] = []
    for p in _LIST_SPLIT.split(cell):
        p = p.strip()
        if p and p not in out:
            out.append(p)
    return out


def infer_type(answer: str, choices: list[str]) -> str:
    if choices:
        try:
            return "single" if len(parse_letters(answer, choices)) == 1 else "multi"
        except RowError:
            return "single"
    if parse_judge(answer) is not None:
        return "judge"
    try:
        parse_number(answer)
        return "numeric"
    except RowError:
        pass
    lines = [x for x in answer.split("\n") if x.strip()]
    if lines and all(_KEYPOINT_LINE.match(x) for x in lines):
        return "scenario"
    return "short"


def row_to_draft(row_no: int, cells: dict[str, str]) -> Draft:
    """One data row (field name → cell text) as a draft question; raises RowError with the reason."""
    prompt = cells.get("prompt", "")
    if not prompt:
        raise RowError("题目 (prompt) is empty")
    choices: list[str] = []
    last = max((i for i in range(len(LETTERS)) if cells.get(f"choice{i}")), default=-1)
    for i in range(last + 1):
        c = cells.get(f"choice{i}", "")
        if not c:
            raise RowError(f"选项{LETTERS[i]} is empty but a later option is filled (options must be consecutive)")
        choices.append(c)
    answer = cells.get("answer", "")
    reject = cells.get("reject", "")
    type_cell = cells.get("type", "")
    notes: list[str] = []
    if type_cell:
        qtype = parse_type(type_cell)
        if qtype is None:
            raise RowError(f"题型 {type_cell!r} is not a type (单选/多选/判断/填空/数值/情景 or single/multi/judge/short/numeric/scenario)")
    else:
        qtype = infer_type(answer, choices)
    if not answer and qtype != "scenario":
        raise RowError("答案 (answer) is empty")

    data: dict[str, Any] = {"type": qtype, "prompt": prompt}
    if qtype in ("single", "multi"):
        if len(choices) < 2:
            raise RowError(f"{'单选' if qtype == 'single' else '多选'} needs at least two options (选项A, 选项B, ...)")
        letters = parse_letters(answer, choices)
        data["choices"] = choices
        if qtype == "single":
            if len(letters) != 1:
                raise RowError(f"单选 answer names {len(letters)} options ({''.join(letters)}); use 多选 for several")
            data["answer"] = letters[0]
        else:
            data["answer"] = letters
            scoring = cells.get("scoring", "")
            if scoring:
                s = _SCORING_WORDS.get(_norm_word(scoring))
                if s is None:
                    notes.append(f"计分 {scoring!r} is not 全对/部分 (all/partial); kept the default 全对")
                else:
                    data["scoring"] = s
        if reject:
            notes.append("错误答案 is not used for 单选/多选; ignored")
    elif qtype == "judge":
        truth = parse_judge(answer)
        if truth is None and choices:
            k = _letter_of(answer, choices)
            if k is not None and k >= 0:
                truth = parse_judge(choices[k])
        if truth is None:
            raise RowError(f"判断 answer {answer!r} is not 对/错 (正确/错误, T/F, true/false)")
        data["answer"] = truth
    elif qtype == "short":
        answers = _split_list(answer)
        if not answers:
            raise RowError("答案 (answer) is empty")
        data["answers"] = answers
        rejects = _split_list(reject)
        if rejects:
            data["reject"] = rejects
    elif qtype == "numeric":
        value, tol, unit = parse_number(answer)
        unit_cell = cells.get("unit", "")
        if unit_cell:
            units = _split_list(unit_cell)
            if unit and unit not in units:
                units.insert(0, unit)
            unit = units[0]
            if len(units) > 1:
                data["units"] = units
        data["answer"] = _number(value)
        if unit:
            data["unit"] = unit
        tol_cell = cells.get("tolerance", "")
        if tol_cell:
            try:
                tol = abs(float(unicodedata.normalize("NFKC", tol_cell).lstrip("±")))
            except ValueError:
                notes.append(f"误差 {tol_cell!r} is not a number; ignored")
        if tol:
            data["tolerance"] = _number(tol)
    else:  # scenario
        data["keypoints"] = parse_keypoints(answer, "答案")
        forbidden = parse_keypoints(reject, "错误答案") if reject else []
        if forbidden:
            data["forbidden"] = forbidden
        if cells.get("sample_answer"):
            data["sample_answer"] = cells["sample_answer"]
    if qtype not in ("single", "multi", "judge") and choices:
        notes.append(f"options are not used for {qtype}; ignored")

    for key in ("topic", "explanation", "source"):
        if cells.get(key):
            data[key] = cells[key]
    if cells.get("tags"):
        tags: list[str] = []
        for t in _TAG_SPLIT.split(cells["tags"]):
            t = t.strip()
            if t and t not in tags:
                tags.append(t)
        data["tags"] = tags
    diff = cells.get("difficulty", "")
    if diff:
        level: int | None = _DIFFICULTY_WORDS.get(_norm_word(diff))
        if level is None:
            try:
                f = float(unicodedata.normalize("NFKC", diff))
                level = int(f) if f.is_integer() and 1 <= f <= 5 else None
            except ValueError:
                level = None
        if level is None:
            notes.append(f"难度 {diff!r} is not 1-5 (or 简单/中等/困难); left out")
        else:
            data["difficulty"] = level
    return Draft(line=row_no, data=data, id_hint=cells.get("id") or None, explicit_id=True, notes=notes)


def _find_header(rows: list[Row]) -> int | None:
    for k, (_, cells) in enumerate(rows[:10]):
        fields = {column_of(c) for c in cells if c}
        if "prompt" in fields and ("answer" in fields or "type" in fields):
            return k
    return None


def parse_sheet(rows: list[Row], label: str) -> tuple[list[Draft], list[ImportIssue], int] | None:
    """Drafts from one sheet's rows; None when the sheet has no header row (an instructions sheet)."""
    k = _find_header(rows)
    if k is None:
        return None
    header_no, header = rows[k]
    issues: list[ImportIssue] = []
    columns: dict[int, str] = {}
    named: dict[str, str] = {}
    for j, h in enumerate(header):
        if not h:
            continue
        f = column_of(h)
        if f is None:
            issues.append(ImportIssue(label, header_no, f"column {h!r} is not a known column; ignored"))
        elif f in named:
            issues.append(ImportIssue(label, header_no, f"column {h!r} repeats column {named[f]!r}; ignored"))
        else:
            named[f] = h
            columns[j] = f
    drafts: list[Draft] = []
    found = 0
    for row_no, cells in rows[k + 1 :]:
        values = {f: cells[j] for j, f in columns.items() if j < len(cells) and cells[j]}
        extra = [c for j, c in enumerate(cells) if c and j not in columns]
        if not values:
            if extra:
                found += 1
                issues.append(ImportIssue(label, row_no, "skipped: the row's cells are all in unknown or repeated columns"))
            continue
        found += 1
        try:
            drafts.append(row_to_draft(row_no, values))
        except RowError as e:
            issues.append(ImportIssue(label, row_no, f"skipped: {e}"))
    return drafts, issues, found


def read_spreadsheet(path: Path, label: str) -> tuple[list[Draft], list[ImportIssue], int]:
    """Every data row of every sheet that has a header row (sheets without one, such as 说明, are skipped)."""
    sheets = _read_xlsx(path) if path.suffix.lower() in (".xlsx", ".xlsm") else _read_csv(path)
    drafts: list[Draft] = []
    issues: list[ImportIssue] = []
    found = 0
    parsed_any = False
    for n, (title, rows) in enumerate(sheets):
        sheet_label = label if n == 0 or len(sheets) == 1 else f"{label}[{title}]"
        parsed = parse_sheet(rows, sheet_label)
        if parsed is None:
            continue
        parsed_any = True
        d, i, f = parsed
        drafts.extend(d)
        issues.extend(i)
        found += f
    if not parsed_any:
        raise UserError(f"{path}: no header row with a 题目/prompt column in the first 10 rows")
    return drafts, issues, found


# ---------------------------------------------------------------- template

TEMPLATE_ROWS: list[dict[str, Any]] = [
    {"题型": "单选", "题目": "买家有权在确认收货后多少个自然日内对交易进行评价？",
     "选项A": "7天", "选项B": "15天", "选项C": "30天", "选项D": "90天", "答案": "B",
     "解析": "评价期为交易成功后15天内。", "知识点": "评价规则", "标签": "评价,时限", "难度": 2,
     "来源": "淘宝网评价规范", "编号": "review-window"},
    {"题型": "多选", "题目": "以下哪些情况无法发起恶意评价投诉？",
     "选项A": "双方评价后中差评未生效", "选项B": "交易成功已超过15天", "选项C": "买家给的是好评",
     "选项D": "交易成功后第3天收到的恶意差评", "答案": "ABC",
     "解析": "恶意评价投诉须在交易成功后0-15天内，且针对已生效的中差评发起。", "知识点": "评价规则",
     "标签": "恶意评价", "难度": 3, "来源": "恶意评价解读", "编号": "no-complaint-cases"},
    {"题型": "判断", "题目": "经核实属于恶意评价的，淘宝网会删除该条违规评价。", "答案": "对",
     "解析": "恶意评价的，淘宝网给予删除该条违规评价。", "知识点": "评价规则", "标签": "恶意评价", "难度": 1,
     "来源": "淘宝网评价规范", "编号": "malicious-deleted"},
    {"题型": "填空", "题目": "客服应答率怎么计算？", "答案": "接待量/咨询量|应答率=接待量/咨询量",
     "错误答案": "咨询量/接待量", "解析": "应答率=接待量/咨询量。", "知识点": "客服指标", "标签": "指标",
     "难度": 2, "来源": "淘宝考试练习题", "编号": "response-rate"},
    {"题型": "数值", "题目": "发起恶意评价投诉后，淘宝网官方会在几个工作日内给予证实？", "答案": "3个工作日",
     "解析": "淘宝网官方会在三个工作日内给予证实。", "知识点": "评价规则", "标签": "时限", "难度": 2,
     "来源": "恶意评价解读", "编号": "verify-days"},
    {"题型": "情景", "题目": "买家收货后以差评相威胁，索要额外补偿，不答应就不停打电话骚扰。你该怎么做？",
     "答案": "保留证据*2: 保留聊天记录|截图|保存证据\n向平台投诉: 恶意评价投诉|投诉|申诉|举报\n拒绝不合理要求: 拒绝补偿|不给补偿",
     "错误答案": "辱骂或报复买家: 辱骂|报复|骚扰买家",
     "解析": "以差评威胁谋取额外利益属于恶意评价：保留证据，向平台投诉，不答应不合理要求。",
     "知识点": "纠纷处理", "标签": "恶意评价,情景", "难度": 4, "来源": "恶意评价解读", "编号": "threat-scenario"},
]

_TEMPLATE_HELP = [
    ("列", "说明"),
    ("题型", "单选 / 多选 / 判断 / 填空 / 数值 / 情景（也可写 single, multi, judge, short, numeric, scenario）"),
    ("题目", "题干（必填）"),
    ("选项A…选项H", "单选、多选的选项，从 A 起连续填写，2 到 8 个"),
    ("答案", "单选：字母；多选：字母如 ACD；判断：对/错；填空：可接受的答案用 | 分隔；数值：数字加单位如 90天、3±0.5；"
             "情景：每行一个要点，写成 要点: 说法|说法|说法（要点*2: 表示权重 2）"),
    ("错误答案", "填空：容易混淆的错误答案，用 | 分隔；情景：禁止的做法，格式同答案"),
    ("解析", "答题后显示的解析（强烈建议填写）"),
    ("知识点", "一个知识点，用于专项练习和统计"),
    ("标签", "用逗号分隔"),
    ("难度", "1（易）到 5（难）"),
    ("来源", "依据的规则或文件（强烈建议填写）"),
    ("编号", "题目编号：小写字母、数字和 -；留空则自动生成。学习记录按编号保存，改动编号会丢失记录"),
]


def write_template(path: Path) -> None:
    """The import template: the header row, one example row of each type, and a 说明 sheet.

    A ``.csv`` path gets the same rows as CSV (UTF-8 with BOM, which Excel opens right).
    """
    if path.suffix.lower() == ".csv":
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("w", encoding="utf-8-sig", newline="") as f:
                csv.writer(f).writerows(rows_for_csv(TEMPLATE_ROWS))
        except OSError as e:
            raise UserError(f"{path}: cannot write: {e.strerror or e}") from e
        return
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        raise UserError(f"{path}: the template is a workbook; name it .xlsx (or .csv)")
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    ws.title = "题目"
    ws.append(TEMPLATE_HEADERS)
    for row in TEMPLATE_ROWS:
        ws.append([row.get(h, None) for h in TEMPLATE_HEADERS])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    for row_cells in ws.iter_rows(min_row=2):
        for cell in row_cells:
            cell.alignment = wrap
    widths = {"题型": 8, "题目": 40, "答案": 36, "错误答案": 24, "解析": 30, "来源": 16, "编号": 18}
    for j, h in enumerate(TEMPLATE_HEADERS, start=1):
        ws.column_dimensions[ws.cell(row=1, column=j).column_letter].width = widths.get(h, 12)
    ws.freeze_panes = "A2"
    help_ws = wb.create_sheet("说明")
    for line in _TEMPLATE_HELP:
        help_ws.append(list(line))
    help_ws.column_dimensions["A"].width = 14
    help_ws.column_dimensions["B"].width = 100
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        wb.save(path)
    except OSError as e:
        raise UserError(f"{path}: cannot write: {e.strerror or e}") from e


def rows_for_csv(rows: Iterable[dict[str, Any]]) -> list[list[str]]:
    """The template's rows as CSV records (header first): for tests and for trainers who prefer CSV."""
    out = [list(TEMPLATE_HEADERS)]
    for r in rows:
        out.append([cell_text(r.get(h)) for h in TEMPLATE_HEADERS])
    return out
