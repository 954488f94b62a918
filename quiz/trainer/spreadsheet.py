"""Trainer spreadsheets (.xlsx through openpyxl, .csv in UTF-8 with or without BOM, GBK/GB18030 or UTF-16).

Columns (cli.md), Chinese or English headers in any order: 题型/type, 题目/prompt,
选项A…选项H/A…H, 答案/answer, 错误答案/reject, 解析/explanation, 知识点/topic (also 章节),
标签/tags, 难度/difficulty, 来源/source, 编号/id. Also understood: 计分/scoring
(全对/部分 for 多选), 单位/unit and 误差/tolerance (数值), 参考回答/sample_answer (情景),
and 选项 as one column holding every option (``A.xx B.xx C.xx``, or one per line).

Files as trainers keep them:

- a title row above the header; a two-row header (选项 merged over A, B, C, D);
- merged cells (a 章节 over several rows) are filled into every row they cover;
- hidden sheets are skipped, and said so; sheets without a header (a 说明 sheet) too;
- 序号/题号/分值 columns, rows with nothing but a number, a repeated header and a
  合计 row are ignored without a report; a section heading row (一、单选题) gives the
  rows under it their 题型 when the 题型 cell is empty;
- option cells written ``A.扣2分``, ``A、扣2分`` or ``(A)扣2分`` lose the letter;
- a cell formatted as a percent reads as Excel shows it (``5%``), as the CSV of the
  same sheet does.

Cells by type:

- 单选: 答案 is a letter (``B``, ``b``, ``B.``) or the exact text of an option.
- 多选 (不定项): 答案 is letters (``ACD``, ``A,C,D``, ``A、C、D``) or option texts separated by ``|``.
- 判断: 答案 is 对/错 (正确/错误, √/×, T/F, true/false, yes/no); when the row has
  options (A 正确, B 错误), a letter naming one of them.
- 填空: 答案 holds accepted forms separated by ``|``, ``；`` or ``;`` (错误答案 likewise).
- 数值 (计算): 答案 is a number with an optional unit, tolerance or range:
  ``90``, ``90天``, ``100万元``, ``3±0.5``, ``10~20``, ``5%``.
- 情景: one key point per line in 答案 as ``label: phrase|phrase`` (a weight as
  ``label*2: ...``); 错误答案 lists forbidden actions the same way.
- 简答/问答/论述/案例分析: a short answer is a 填空; key-point lines make a 情景; a
  model paragraph makes a 情景 whose key points are its sentences, with the paragraph
  as ``sample_answer`` (listed for review).

Every guess the importer makes (a type inferred, letters removed from options, a
paragraph made into key points ...) is a notice in the summary, not an error. Rows of
the second and later sheets are reported as ``FILE[sheet]:ROW``.
"""

from __future__ import annotations

import bisect
import csv
import datetime as dt
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from quiz.errors import UserError
from quiz.fileio import atomic_output, write_atomic
from quiz.model import LETTERS
from quiz.trainer.importers import Draft, ImportIssue, ReadResult, paragraph_keypoints

# ---------------------------------------------------------------- headers

_ALIASES: dict[str, tuple[str, ...]] = {
    "type": ("题型", "类型", "题目类型", "试题类型", "题类", "题型名称", "type", "questiontype", "qtype", "kind"),
    "prompt": ("题目", "题干", "问题", "试题", "题目内容", "试题内容", "试题题干", "题干内容", "题目名称", "问题描述",
               "prompt", "question", "stem", "text"),
    "answer": ("答案", "正确答案", "标准答案", "参考答案", "答案内容", "answer", "answers", "correct", "correctanswer", "key"),
    "reject": ("错误答案", "常见错误答案", "拒绝答案", "不接受答案", "错误说法", "reject", "rejects", "wronganswers", "forbidden"),
    "explanation": ("解析", "答案解析", "试题解析", "解释", "题目解析", "explanation", "analysis", "feedback"),
    "topic": ("知识点", "主题", "专题", "分类", "章节", "所属章节", "章节名称", "知识点名称", "topic", "category", "chapter"),
    "tags": ("标签", "tags", "tag", "labels"),
    "difficulty": ("难度", "难度系数", "难易程度", "difficulty", "level"),
    "source": ("来源", "出处", "依据", "source", "reference"),
    "id": ("编号", "试题编号", "题目编号", "id", "qid"),
    "scoring": ("计分", "计分方式", "评分方式", "scoring"),
    "unit": ("单位", "unit"),
    "tolerance": ("误差", "容差", "允许误差", "tolerance"),
    "sample_answer": ("参考回答", "示范回答", "范文", "sampleanswer", "sample"),
    "options": ("选项", "选项内容", "备选项", "备选答案", "答案选项", "options", "choices"),
    # numbering and points: nothing a bank keeps, ignored without a report
    "noise": ("序号", "题号", "分值", "分数", "得分", "满分", "题分", "no", "number", "score", "points", "#"),
}

TEMPLATE_HEADERS = ["题型", "题目", *[f"选项{c}" for c in LETTERS], "答案", "错误答案", "解析", "知识点", "标签", "难度", "来源", "编号"]


def _norm_header(h: str) -> str:
    h = unicodedata.normalize("NFKC", h).strip().lower()
    h = re.sub(r"\(.*?\)$", "", h)  # 题目(必填)
    return re.sub(r"[\s*_:：\-]+", "", h) or h


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


_PERCENT_FORMAT_RE = re.compile(r'"[^"]*"|\\.')  # quoted text and escaped characters in a number format


def percent_text(v: int | float, number_format: str) -> str | None:
    """A number in a cell formatted as a percent, as Excel shows it (0.05 with ``0%`` → ``5%``); else None."""
    fmt = _PERCENT_FORMAT_RE.sub("", number_format.split(";", 1)[0])
    if "%" not in fmt:
        return None
    decimals = len(m[1]) if (m := re.search(r"\.([0#]+)", fmt)) else 0
    d = (Decimal(repr(float(v))) * 100).quantize(Decimal(1).scaleb(-decimals))
    return f"{d}%"


# ---------------------------------------------------------------- reading files


Row = tuple[int, list[str]]  # (row number as the sheet shows it, cells)

# A workbook that unpacks to more than this is refused before it is read: no import needs it, and a
# crafted one (a "zip bomb") would otherwise fill the memory.
MAX_UNPACKED_BYTES = 1 << 30
MAX_RATIO = 500  # unpacked / packed size of one part, beyond which a large part is refused


@dataclass
class Sheet:
    title: str
    rows: list[Row]
    filled: set[tuple[int, int]] = field(default_factory=set)  # (row, column index) filled from a merged cell
    merged_columns: set[int] = field(default_factory=set)  # columns with a vertical merge filled
    merges_known: bool = True  # False for CSV: a merged 章节 left its value in its first row only


def _unreadable(path: Path, e: BaseException) -> UserError:
    reason = " ".join(str(e).split()) or type(e).__name__
    if len(reason) > 120:
        reason = reason[:119] + "…"
    return UserError(f"{path}: not a readable .xlsx workbook (truncated, damaged or not a workbook: {reason})")


def _check_zip(path: Path) -> None:
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as e:
        raise _unreadable(path, e) from e
    total = sum(i.file_size for i in infos)
    if total > MAX_UNPACKED_BYTES:
        raise UserError(f"{path}: the workbook unpacks to {total / 2**20:.0f} MB, more than an import reads "
                        f"({MAX_UNPACKED_BYTES >> 20} MB); refused")
    for i in infos:
        if i.file_size > 64 << 20 and i.file_size > MAX_RATIO * max(i.compress_size, 1):
            raise UserError(f"{path}: part {i.filename!r} of the workbook unpacks {i.file_size // max(i.compress_size, 1)} "
                            "times larger than it is stored (a zip bomb?); refused")


_MERGE_RE = re.compile(rb'<(?:\w+:)?mergeCell\b[^>]*?\bref="([A-Z]{1,3})(\d{1,7}):([A-Z]{1,3})(\d{1,7})"')


def _col_index(letters: bytes) -> int:
    n = 0
    for c in letters:
        n = n * 26 + (c - 64)
    return n - 1


def _merged_ranges(archive: zipfile.ZipFile, part: str) -> list[tuple[int, int, int, int]]:
    """(first row, last row, first column, last column) of each merged range, read from the sheet's XML as a stream.

    openpyxl's read-only mode, which keeps memory flat on large sheets, does not load them.
    """
    out: list[tuple[int, int, int, int]] = []
    tail = b""
    with archive.open(part.lstrip("/")) as f:
        while chunk := f.read(1 << 20):
            data = tail + chunk
            cut = data.rfind(b"<")
            scan, tail = (data[:cut], data[cut:]) if cut > 0 else (data, b"")
            if len(tail) > 4096:  # no tag is that long: not a mergeCell
                scan, tail = data, b""
            for m in _MERGE_RE.finditer(scan):
                r1, r2 = sorted((int(m[2]), int(m[4])))
                c1, c2 = sorted((_col_index(m[1]), _col_index(m[3])))
                out.append((r1, r2, c1, c2))
        for m in _MERGE_RE.finditer(tail):
            r1, r2 = sorted((int(m[2]), int(m[4])))
            c1, c2 = sorted((_col_index(m[1]), _col_index(m[3])))
            out.append((r1, r2, c1, c2))
    return out


def _fill_merges(sheet: Sheet, ranges: list[tuple[int, int, int, int]]) -> None:
    """Each merged range's value (its top-left cell) into every cell of it, in the rows the sheet has."""
    if not ranges or not sheet.rows:
        return
    numbers = [r for r, _ in sheet.rows]
    index = {r: k for k, r in enumerate(numbers)}
    width = max(len(cells) for _, cells in sheet.rows)
    for r1, r2, c1, c2 in ranges:
        if r1 not in index or c1 >= width:
            continue
        value = sheet.rows[index[r1]][1][c1] if c1 < len(sheet.rows[index[r1]][1]) else ""
        if not value:
            continue
        c2 = min(c2, width - 1)
        if r2 > r1:
            sheet.merged_columns.add(c1)
        for k in range(bisect.bisect_left(numbers, r1), bisect.bisect_right(numbers, r2)):
            r, cells = sheet.rows[k]
            if len(cells) <= c2:
                cells.extend([""] * (c2 + 1 - len(cells)))
            for c in range(c1, c2 + 1):
                if (r, c) != (r1, c1) and not cells[c]:
                    cells[c] = value
                    sheet.filled.add((r, c))


def _read_xlsx(path: Path) -> tuple[list[Sheet], list[str]]:
    """The visible sheets, and the titles of the hidden ones (skipped)."""
    from openpyxl import load_workbook

    _check_zip(path)
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as e:  # openpyxl raises zipfile/KeyError/InvalidFileException/ParseError on damaged files
        raise _unreadable(path, e) from e
    sheets: list[Sheet] = []
    hidden: list[str] = []
    try:
        with zipfile.ZipFile(path) as archive:
            for ws in wb.worksheets:
                if getattr(ws, "sheet_state", "visible") != "visible":
                    hidden.append(ws.title)
                    continue
                rows: list[Row] = []
                for cells in ws.iter_rows():
                    values = [_cell_value(c) for c in cells]
                    if not any(values):
                        continue
                    row_no = next((c.row for c in cells if getattr(c, "row", None) is not None), None)
                    if row_no is None:
                        continue
                    rows.append((int(row_no), values))
                sheet = Sheet(ws.title, rows)
                part = getattr(ws, "_worksheet_path", None)
                if isinstance(part, str):
                    _fill_merges(sheet, _merged_ranges(archive, part))
                sheets.append(sheet)
    except UserError:
        raise
    except Exception as e:  # a part truncated or malformed (zlib, CRC, XML, entity limits ...)
        raise _unreadable(path, e) from e
    finally:
        wb.close()
    return sheets, hidden


def _cell_value(c: Any) -> str:
    v = c.value
    if isinstance(v, int | float) and not isinstance(v, bool):
        fmt = getattr(c, "number_format", None)
        if isinstance(fmt, str) and "%" in fmt:
            shown = percent_text(v, fmt)
            if shown is not None:
                return shown
    return cell_text(v)


def decode_text(data: bytes, path: Path) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else GB18030 (a superset of the GBK Excel writes)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as e:
            raise UserError(f"{path}: not readable UTF-16 text (byte {e.start}); save it as CSV UTF-8") from e
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as e:
        raise UserError(f"{path}: the text is neither UTF-8 nor GBK/GB18030 (byte {e.start}); save it as CSV UTF-8") from e


def _read_csv(path: Path) -> list[Sheet]:
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
    return [Sheet(path.stem, rows, merges_known=False)]


# ---------------------------------------------------------------- cells to fields


_JUDGE_TRUE = {"对", "正确", "是", "√", "✓", "✔", "t", "true", "yes", "y", "1", "对的", "right", "r"}
_JUDGE_FALSE = {"错", "错误", "否", "×", "✗", "✘", "x", "f", "false", "no", "n", "0", "不对", "不正确", "wrong"}

# "free": a free-text answer that is a 填空 or a 情景 depending on what the 答案 cell holds
_TYPE_NAMES: dict[str, str] = {}
for _t, _names in {
    "single": ("单选", "单选题", "单项选择", "单项选择题", "单择", "single", "singlechoice", "sc", "radio"),
    "multi": ("多选", "多选题", "多项选择", "多项选择题", "不定项", "不定项选择", "不定项选择题", "multi", "multiple",
              "multichoice", "multiplechoice", "mc", "checkbox"),
    "judge": ("判断", "判断题", "是非", "是非题", "对错", "对错题", "judge", "truefalse", "tf", "bool", "boolean"),
    "short": ("填空", "填空题", "short", "shortanswer", "fill", "blank", "text"),
    "free": ("简答", "简答题", "问答", "问答题", "论述", "论述题", "案例分析", "案例分析题", "essay"),
    "numeric": ("数值", "数值题", "计算", "计算题", "数字", "numeric", "number", "numerical"),
    "scenario": ("情景", "情景题", "情境", "情境题", "案例", "案例题", "场景", "场景题", "情景分析题", "scenario", "case"),
}.items():
    for _n in _names:
        _TYPE_NAMES[_n] = _t
TYPE_LABELS = {"single": "单选", "multi": "多选", "judge": "判断", "short": "填空", "numeric": "数值", "scenario": "情景"}

_DIFFICULTY_WORDS = {"简单": 1, "容易": 1, "易": 1, "较易": 2, "偏易": 2, "中": 3, "中等": 3, "一般": 3,
                     "较难": 4, "偏难": 4, "难": 5, "困难": 5, "很难": 5, "easy": 1, "medium": 3, "hard": 5}
_SCORING_WORDS = {"all": "all", "全对": "all", "全部": "all", "全对得分": "all", "全部正确": "all",
                  "partial": "partial", "部分": "partial", "部分得分": "partial", "少选得分": "partial",
                  "少选得部分分": "partial", "按比例": "partial"}
# between accepted answers (and key-point phrasings): |, full-width ｜ and ；, ; and a new line
_LIST_SPLIT = re.compile(r"[|｜;；\n]")
_PHRASE_SPLIT = re.compile(r"[|｜;；]")
_TAG_SPLIT = re.compile(r"[,，、;；\n]")
_KEYPOINT_LINE = re.compile(r"^\s*(?:\d+[.、)）]\s*)?(?P<label>[^:：]+?)\s*(?:[*×x]\s*(?P<w>\d+(?:\.\d+)?))?\s*[:：]\s*(?P<any>.+)$")
_DEC = r"[-+]?\d+(?:\.\d+)?"
_NUMBER = re.compile(rf"^(?P<n>{_DEC})\s*(?:(?:±|\+-|\+/-)\s*(?P<tol>\d+(?:\.\d+)?))?\s*(?P<rest>.*)$")
_RANGE = re.compile(rf"^(?P<lo>{_DEC})\s*(?:~|～|\.\.|至|到)\s*(?P<hi>{_DEC})\s*(?P<rest>.*)$")
_MULTIPLIERS = {"万": 10_000, "亿": 100_000_000, "千": 1_000, "百": 100}
_TOTAL_WORDS = {"合计", "总计", "总分", "小计", "共计", "总计分", "合计分", "total", "sum"}
# an option cell that starts with its own letter: A.扣2分, A、扣2分, A:扣2分, (A)扣2分, Ａ．扣2分
_OPTION_PREFIX = re.compile(r"^\s*(?:[(（]\s*([A-Ha-h])\s*[)）]|([A-Ha-h])\s*[.．、:：)）])\s*")
# the letters of options written in one cell: A.xx B.xx, (A)xx (B)xx, A、xx on separate lines
_OPTION_MARK = re.compile(r"(?:^|(?<=[\s;；,，|]))(?:[(（]([A-Ha-h])[)）]|([A-Ha-h])[.．、:：)）])\s*")
# a section heading row: 一、单选题（每题2分）, 第二部分 判断题
_HEADING = re.compile(r"^\s*(?:[一二三四五六七八九十]+\s*[、.．]|第[一二三四五六七八九十\d]+\s*(?:部分|大题|章|节)|[IVX]+\s*[.、])")


class RowError(Exception):
    """A row that cannot become a question; the message is the reason."""


def _norm_word(s: str) -> str:
    s = re.sub(r"[(（\[【].*?[)）\]】]", "", unicodedata.normalize("NFKC", s))  # 单选题(2分)
    return re.sub(r"[\s.。、,，:：]+", "", s).lower()


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


def _decimal(s: str) -> Decimal:
    try:
        return Decimal(s)
    except InvalidOperation as e:  # pragma: no cover - the patterns admit only numbers
        raise RowError(f"{s!r} is not a number") from e


def _plain(d: Decimal) -> int | float:
    return int(d) if d == d.to_integral_value() else float(d)


def parse_number(cell: str) -> tuple[int | float, int | float, str]:
    """(value, tolerance, unit) from ``90``, ``90天``, ``100万元``, ``3±0.5``, ``10~20``, ``-5``, ``5%`` ..."""
    text = unicodedata.normalize("NFKC", cell).strip().replace("\u2212", "-")
    text = re.sub(r"(?<=\d),(?=\d{3})", "", text)
    m = _RANGE.match(text)
    if m:
        lo, hi = sorted((_decimal(m["lo"]), _decimal(m["hi"])))
        return _plain((lo + hi) / 2), _plain((hi - lo) / 2), m["rest"].strip()
    m = _NUMBER.match(text)
    if not m:
        from quiz.grading.normalize import normalize  # Chinese numerals: 九十天 -> 90天

        m = _NUMBER.match(normalize(text))
    if not m:
        raise RowError(f"答案 {cell!r} is not a number (write it in digits, e.g. 90 or 90天)")
    value = _decimal(m["n"])
    tol = _decimal(m["tol"]) if m["tol"] else Decimal(0)
    rest = m["rest"].strip()
    if rest[:1] in _MULTIPLIERS:
        value *= _MULTIPLIERS[rest[0]]
        tol *= _MULTIPLIERS[rest[0]]
        rest = rest[1:].strip()
    if rest and re.search(r"\d", rest):
        raise RowError(f"答案 {cell!r} is not one number")
    return _plain(value), _plain(tol), rest


def _number(v: float) -> int | float:
    return int(v) if float(v).is_integer() else v


def _is_keypoint_text(cell: str) -> bool:
    lines = [x for x in cell.split("\n") if x.strip()]
    return bool(lines) and all(_KEYPOINT_LINE.match(x) for x in lines)


def parse_keypoints(cell: str, what: str) -> list[dict[str, Any]]:
    """``label: phrase|phrase`` per line (``label*2: ...`` for a weight)."""
    out: list[dict[str, Any]] = []
    for line in cell.split("\n"):
        if not line.strip():
            continue
        m = _KEYPOINT_LINE.match(line)
        if m:
            label, phrases = m["label"].strip(), [p.strip() for p in _PHRASE_SPLIT.split(m["any"]) if p.strip()]
            kp: dict[str, Any] = {"point": label, "any": phrases or [label]}
            if m["w"]:
                kp["weight"] = _number(float(m["w"]))
        else:
            phrases = [p.strip() for p in _PHRASE_SPLIT.split(line) if p.strip()]
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


def _is_paragraph(answer: str) -> bool:
    """A model answer written as prose, not a list of accepted forms."""
    text = answer.strip()
    return len(text) > 30 or bool(re.search(r"[。！？!?，,]", text)) or (text.count("\n") >= 1 and not re.search(r"[|｜;；]", text))


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
    if _is_keypoint_text(answer):
        return "scenario"
    return "short"


def split_options(cell: str) -> list[str]:
    """Every option written in one cell: ``A.xx B.xx C.xx``, ``(A)xx (B)xx``, or one option per line."""
    text = unicodedata.normalize("NFKC", cell).strip()
    marks: list[tuple[int, int]] = []  # (start of the letter, start of the option's text)
    want = 0
    for m in _OPTION_MARK.finditer(text):
        letter = (m[1] or m[2]).upper()
        if want < len(LETTERS) and letter == LETTERS[want]:
            marks.append((m.start(), m.end()))
            want += 1
    if len(marks) >= 2 and marks[0][0] == 0:
        out = []
        for k, (_, begin) in enumerate(marks):
            end = marks[k + 1][0] if k + 1 < len(marks) else len(text)
            out.append(text[begin:end].strip(" \t\n;；,，|"))
        return out
    lines = [x.strip() for x in re.split(r"[\n|｜]", text) if x.strip()]
    if len(lines) >= 2:
        return [_OPTION_PREFIX.sub("", x, count=1) for x in lines]
    raise RowError(f"选项 {cell!r}: cannot tell the options apart (write them as A.xx B.xx C.xx, or one per line)")


def _free_answer(prompt: str, answer: str, reject: str, cells: dict[str, str], explicit: str,
                 guesses: list[str]) -> dict[str, Any]:
    """简答/问答/论述/案例分析 (or a 情景 written as a paragraph): a 填空, or a 情景 with key points."""
    if _is_keypoint_text(answer):
        data: dict[str, Any] = {"type": "scenario", "keypoints": parse_keypoints(answer, "答案")}
    elif explicit != "scenario" and not _is_paragraph(answer):
        return {"type": "short", "answers": _split_list(answer), **({"reject": _split_list(reject)} if reject else {})}
    else:
        points = paragraph_keypoints(answer)
        if not points:
            raise RowError("答案 (answer) is empty")
        guesses.append(f"the model answer of this 简答/情景 became a 情景 with {len(points)} key point(s), one per "
                       "sentence, and is kept as the sample answer: review the key points")
        data = {"type": "scenario", "keypoints": points, "sample_answer": answer}
    forbidden = parse_keypoints(reject, "错误答案") if reject else []
    if forbidden:
        data["forbidden"] = forbidden
    if cells.get("sample_answer"):
        data["sample_answer"] = cells["sample_answer"]
    return data


def row_to_draft(row_no: int, cells: dict[str, str], default_type: str | None = None) -> Draft:
    """One data row (field name → cell text) as a draft question; raises RowError with the reason.

    ``default_type`` is the 题型 a section heading above the row gave (used when 题型 is empty).
    """
    prompt = cells.get("prompt", "")
    if not prompt:
        raise RowError("题目 (prompt) is empty")
    guesses: list[str] = []
    notes: list[str] = []
    choices: list[str] = []
    if cells.get("options") and not any(cells.get(f"choice{i}") for i in range(len(LETTERS))):
        choices = split_options(cells["options"])
        if len(choices) > len(LETTERS):
            raise RowError(f"选项 holds {len(choices)} options: at most {len(LETTERS)}")
    else:
        last = max((i for i in range(len(LETTERS)) if cells.get(f"choice{i}")), default=-1)
        for i in range(last + 1):
            c = cells.get(f"choice{i}", "")
            if not c:
                raise RowError(f"选项{LETTERS[i]} is empty but a later option is filled (options must be consecutive)")
            m = _OPTION_PREFIX.match(c)
            if m and (m[1] or m[2]).upper() == LETTERS[i] and c[m.end():].strip():
                c = c[m.end():].strip()
            choices.append(c)
    answer = cells.get("answer", "")
    reject = cells.get("reject", "")
    type_cell = cells.get("type", "")
    if type_cell:
        qtype = parse_type(type_cell)
        if qtype is None:
            raise RowError(f"题型 {type_cell!r} is not a type (单选/多选/不定项/判断/填空/简答/数值/计算/情景/案例分析 "
                           "or single/multi/judge/short/numeric/scenario)")
    elif default_type:
        qtype = default_type
    else:
        qtype = infer_type(answer, choices)
        guesses.append(f"题型 is empty: read as {TYPE_LABELS[qtype]} from the answer")
    if not answer and qtype not in ("scenario", "free"):
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
        try:
            value, tol, unit = parse_number(answer)
        except RowError:
            # a worked answer (100×5%=5元): the number after the last '='
            if "=" not in answer:
                raise
            value, tol, unit = parse_number(answer.rsplit("=", 1)[1])
            guesses.append(f"答案 {answer!r} is a calculation: its result {answer.rsplit('=', 1)[1].strip()!r} is the answer")
        unit_cell = cells.get("unit", "")
        if unit_cell:
            units = _split_list(unit_cell)
            if unit and unit not in units:
                units.insert(0, unit)
            unit = units[0]
            if len(units) > 1:
                data["units"] = units
        data["answer"] = value
        if unit:
            data["unit"] = unit
        tol_cell = cells.get("tolerance", "")
        if tol_cell:
            try:
                tol = _plain(abs(Decimal(unicodedata.normalize("NFKC", tol_cell).lstrip("±"))))
            except InvalidOperation:
                notes.append(f"误差 {tol_cell!r} is not a number; ignored")
        if tol:
            data["tolerance"] = tol
    elif qtype == "free" or (qtype == "scenario" and _is_paragraph(answer) and not _is_keypoint_text(answer)):
        if not answer:
            raise RowError("答案 (answer) is empty")
        data = {"prompt": prompt, **_free_answer(prompt, answer, reject, cells, qtype, guesses)}
    else:  # scenario with key-point lines
        data["keypoints"] = parse_keypoints(answer, "答案")
        forbidden = parse_keypoints(reject, "错误答案") if reject else []
        if forbidden:
            data["forbidden"] = forbidden
        if cells.get("sample_answer"):
            data["sample_answer"] = cells["sample_answer"]
    if data["type"] not in ("single", "multi", "judge") and choices:
        notes.append(f"options are not used for {TYPE_LABELS[data['type']]}; ignored")

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
    return Draft(line=row_no, data=data, id_hint=cells.get("id") or None, explicit_id=True, notes=list(notes),
                 guesses=list(guesses))


# ---------------------------------------------------------------- sheets to drafts


def _find_header(rows: list[Row]) -> int | None:
    for k, (_, cells) in enumerate(rows[:10]):
        fields = {column_of(c) for c in cells if c}
        if "prompt" in fields and ("answer" in fields or "type" in fields):
            return k
    return None


@dataclass
class _Layout:
    columns: dict[int, str]  # column index -> field
    data_start: int  # index into the sheet's rows of the first data row
    header_rows: tuple[int, ...]  # their row numbers
    notices: list[tuple[int, str]] = field(default_factory=list)


def _layout(sheet: Sheet, k: int, label: str, issues: list[ImportIssue]) -> _Layout:
    """Which field each column holds: from the header row, and a second header row below it (选项 over A-D)."""
    header_no, header = sheet.rows[k]
    sub: list[str] = []
    rows_used: tuple[int, ...] = (header_no,)
    if k + 1 < len(sheet.rows):
        nxt_no, nxt = sheet.rows[k + 1]
        named = [column_of(c) for c in nxt if c]
        if named and all(f is not None for f in named) and sum(1 for f in named if f and f.startswith("choice")) >= 2:
            sub, rows_used = nxt, (header_no, nxt_no)
    layout = _Layout({}, k + len(rows_used), rows_used)
    if sub:
        letters = [c for c in sub if (column_of(c) or "").startswith("choice")]
        layout.notices.append((header_no, f"two header rows ({header_no}-{rows_used[1]}): options under "
                                          f"{', '.join(repr(x) for x in letters)}"))
    named_at: dict[str, str] = {}
    option_columns: list[int] = []
    for j in range(max(len(header), len(sub))):
        h = header[j] if j < len(header) else ""
        s = sub[j] if j < len(sub) else ""
        f = column_of(s) if s and (column_of(s) or "").startswith("choice") else (column_of(h) if h else None)
        shown = s if s and f == column_of(s) else h
        if not shown:
            continue
        if f is None:
            layout.notices.append((header_no, f"column {shown!r} is not a known column; ignored"))
            continue
        if f == "noise":
            layout.columns[j] = f
            continue
        if f == "options":
            option_columns.append(j)
            continue
        if f in named_at:
            layout.notices.append((header_no, f"column {shown!r} repeats column {named_at[f]!r}; ignored"))
            continue
        named_at[f] = shown
        layout.columns[j] = f
    if len(option_columns) == 1:
        layout.columns[option_columns[0]] = "options"  # every option in one cell
    elif option_columns:
        # 选项 merged over several columns with no letters under it: the options in order, A first
        for i, j in enumerate(option_columns[: len(LETTERS)]):
            layout.columns[j] = f"choice{i}"
        layout.notices.append((header_no, f"{len(option_columns)} columns under 选项 read as options "
                                          f"A-{LETTERS[min(len(option_columns), len(LETTERS)) - 1]}"))
    return layout


def parse_sheet(sheet: Sheet | list[Row], label: str) -> ReadResult | None:
    """Drafts from one sheet's rows; None when the sheet has no header row (an instructions sheet)."""
    if not isinstance(sheet, Sheet):
        sheet = Sheet("", sheet)
    rows = sheet.rows
    k = _find_header(rows)
    if k is None:
        return None
    out = ReadResult()
    layout = _layout(sheet, k, label, out.issues)
    out.notices.extend(ImportIssue(label, n, m) for n, m in layout.notices)
    header_keys = {_norm_header(c) for c in rows[k][1] if c}
    header_prompt = next((rows[k][1][j] for j, f in layout.columns.items() if f == "prompt" and j < len(rows[k][1])), None)
    fields = set(layout.columns.values())
    section_type: str | None = None
    section_topic: str | None = None
    last_topic = ""
    topic_filled = 0
    prefixed = 0
    counts: dict[str, int] = {}
    merged_topic = any(j in sheet.merged_columns for j, f in layout.columns.items() if f in ("topic", "type"))
    for row_no, cells in rows[layout.data_start:]:
        values: dict[str, str] = {}
        own: set[str] = set()  # fields the row holds itself, not numbering, points or merged-in cells
        for j, f in layout.columns.items():
            if j >= len(cells) or not cells[j]:
                continue
            if f != "noise":
                values[f] = cells[j]
                if (row_no, j) not in sheet.filled:
                    own.add(f)
        if not own:
            continue  # an empty row, perhaps numbered, or covered only by a merged 章节
        texts = {c for c in cells if c}
        whole = bool(values.get("prompt") and values.get("answer"))
        if not whole and {_norm_word(t) for t in texts} & _TOTAL_WORDS:
            continue  # a 合计 row
        if values.get("prompt") == header_prompt and {_norm_header(t) for t in texts} <= header_keys:
            continue  # the header again (a sheet printed in pages)
        if len(texts) == 1 and "answer" not in own - {"prompt", "type"} and _HEADING.match(next(iter(texts))):
            heading = next(iter(texts))
            section_type = next((t for n, t in sorted(_TYPE_NAMES.items(), key=lambda x: -len(x[0]))
                                 if n in _norm_word(heading) and not n.isascii()), None)
            if section_type:
                label_t = TYPE_LABELS.get(section_type, "简答")
                out.notices.append(ImportIssue(label, row_no, f"section heading {heading!r}: rows below with no 题型 "
                                                              f"are read as {label_t}"))
            elif "topic" not in fields:
                section_topic = _HEADING.sub("", heading, count=1).strip(" 　:：、.．") or None
                if section_topic:
                    out.notices.append(ImportIssue(label, row_no, f"chapter heading {heading!r}: the rows below are "
                                                                  f"in topic {section_topic!r}"))
            else:
                out.notices.append(ImportIssue(label, row_no, f"{heading!r} has no answer and reads as a heading: "
                                                              "skipped"))
            continue
        if section_topic and "topic" not in values:
            values["topic"] = section_topic
        if "topic" in fields and not sheet.merges_known:
            # a CSV saved from a sheet with 章节 merged over its rows holds it in the first row only
            if values.get("topic"):
                last_topic = values["topic"]
            elif last_topic:
                values["topic"] = last_topic
                topic_filled += 1
        out.found += 1
        try:
            d = row_to_draft(row_no, values, default_type=section_type)
        except RowError as e:
            out.issues.append(ImportIssue(label, row_no, f"skipped: {e}"))
            continue
        if "type" not in fields and not section_type:
            d.guesses = [g for g in d.guesses if not str(g).startswith("题型 is empty")]  # said once for the sheet
            counts[d.data["type"]] = counts.get(d.data["type"], 0) + 1
        for i in range(len(LETTERS)):
            c = values.get(f"choice{i}", "")
            m = _OPTION_PREFIX.match(c)
            if m and (m[1] or m[2]).upper() == LETTERS[i]:
                prefixed += 1
                break
        if "options" in values and "choice0" not in values:
            d.guesses.append(f"the options were split from one cell: {len(d.data.get('choices', []))} options")
        out.drafts.append(d)
    if counts:
        out.notices.append(ImportIssue(label, 0, "no 题型 column: each row's type was read from its answer ("
                                       + ", ".join(f"{n} {TYPE_LABELS[t]}" for t, n in counts.items()) + ")"))
    if prefixed:
        out.notices.append(ImportIssue(label, 0, f"{prefixed} row(s) wrote the option letter in the option cells "
                                                 "(A.扣2分): the letters were removed"))
    if merged_topic:
        out.notices.append(ImportIssue(label, 0, "merged 章节/知识点 or 题型 cells were filled into every row they cover"))
    if topic_filled:
        out.notices.append(ImportIssue(label, 0, f"{topic_filled} row(s) with an empty 章节/知识点 took the one above "
                                                 "(as a merged cell saved as CSV leaves it)"))
    title_rows = [cells for _, cells in rows[:k] if len({c for c in cells if c}) == 1]
    if title_rows:
        out.title = next(c for c in title_rows[0] if c)  # a title row above the header names the bank
    return out


def read_spreadsheet(path: Path, label: str) -> ReadResult:
    """Every data row of every visible sheet that has a header row (sheets without one, such as 说明, are skipped)."""
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        sheets, hidden = _read_xlsx(path)
    else:
        sheets, hidden = _read_csv(path), []
    out = ReadResult()
    for title in hidden:
        out.notices.append(ImportIssue(f"{label}[{title}]", 0, "hidden sheet: skipped"))
    parsed_any = False
    for n, sheet in enumerate(sheets):
        sheet_label = label if n == 0 or len(sheets) == 1 else f"{label}[{sheet.title}]"
        parsed = parse_sheet(sheet, sheet_label)
        if parsed is None:
            continue
        parsed_any = True
        out.drafts.extend(parsed.drafts)
        out.issues.extend(parsed.issues)
        out.notices.extend(parsed.notices)
        out.found += parsed.found
        out.title = out.title or parsed.title
    if not parsed_any:
        raise UserError(f"{path}: no header row with a 题目/prompt column in the first 10 rows"
                        + (" of a visible sheet" if hidden else ""))
    return out



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
    ("题型", "单选 / 多选（不定项）/ 判断 / 填空 / 数值（计算）/ 情景（案例分析），也可写 single, multi, judge, short, "
             "numeric, scenario；简答、问答、论述按答案判断：几个可接受的说法是填空，一段范文会拆成要点做成情景（导入时列出请核对）"),
    ("题目", "题干（必填）"),
    ("选项A…选项H", "单选、多选的选项，从 A 起连续填写，2 到 8 个"),
    ("答案", "单选：字母；多选：字母如 ACD；判断：对/错；填空：可接受的答案用 | 或 ；分隔；数值：数字加单位如 90天、3±0.5、5%；"
             "情景：每行一个要点，写成 要点: 说法|说法|说法（要点*2: 表示权重 2）"),
    ("错误答案", "填空：容易混淆的错误答案，用 | 分隔；情景：禁止的做法，格式同答案"),
    ("解析", "答题后显示的解析（强烈建议填写）"),
    ("知识点", "一个知识点，用于专项练习和统计"),
    ("标签", "用逗号分隔"),
    ("难度", "1（易）到 5（难）"),
    ("来源", "依据的规则或文件（强烈建议填写）"),
    ("编号", "题目编号：小写字母、数字和 -；留空则自动生成。学习记录按编号保存，改动编号会丢失记录"),
]


def write_template(path: Path, *, inputs: Iterable[Path] = (), protect: Iterable[Path] = (), force: bool = False) -> None:
    """The import template: the header row, one example row of each type, and a 说明 sheet.

    A ``.csv`` path gets the same rows as CSV (UTF-8 with BOM, which Excel opens right).
    Written atomically (:mod:`quiz.fileio`): never over an input or a database, over an
    existing file only with ``force``.
    """
    if path.suffix.lower() == ".csv":
        buf = io.StringIO()
        csv.writer(buf).writerows(rows_for_csv(TEMPLATE_ROWS))
        write_atomic(path, buf.getvalue(), inputs=inputs, protect=protect, force=force, encoding="utf-8-sig")
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
    with atomic_output(path, inputs=inputs, protect=protect, force=force) as f:
        wb.save(f)


def rows_for_csv(rows: Iterable[dict[str, Any]]) -> list[list[str]]:
    """The template's rows as CSV records (header first): for tests and for trainers who prefer CSV."""
    out = [list(TEMPLATE_HEADERS)]
    for r in rows:
        out.append([cell_text(r.get(h)) for h in TEMPLATE_HEADERS])
    return out
