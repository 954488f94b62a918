"""Loading and validating banks: every kind of bad bank is refused at the right line."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from quiz import cache
from quiz.loader import load_file, load_paths
from quiz.model import Bank, Exam
from quiz.schema import schema

GOOD = textwrap.dedent(
    """\
    bank: demo
    title: 演示题库
    tags: [规则]
    questions:
      - id: window
        type: numeric
        prompt: 投诉期限是交易成功后多少天?
        answer: 15
        unit: 天
        topic: 评价规则
      - id: pick
        type: single
        prompt: 选哪个?
        choices: [30天, 60天, 90天]
        answer: C
      - id: many
        type: multi
        prompt: 哪些?
        choices: [甲, 乙, 丙]
        answer: [A, 丙]
        scoring: partial
      - id: formula
        type: short
        prompt: 应答率公式?
        answers: ["接待量/咨询量"]
        reject: ["咨询量/接待量"]
      - id: ok
        type: judge
        prompt: 恶意评价会被删除。
        answer: true
      - id: case
        type: scenario
        prompt: 遇到职业差评师怎么办?
        keypoints:
          - point: 保留证据
            any: [截图, 保留聊天记录]
            weight: 2
        forbidden:
          - point: 辱骂买家
            any: [辱骂]
        pass: 0.5
    """
)


def write(tmp_path: Path, text: str, name: str = "bank.yaml") -> Path:
    p = tmp_path / name
    p.write_text(textwrap.dedent(text), encoding="utf-8")
    return p


def messages(path: Path) -> list[str]:
    res = load_file(path, use_cache=False)
    assert res.document is None
    return [str(p) for p in res.problems]


def test_good_bank_loads_every_type(tmp_path: Path) -> None:
    res = load_file(write(tmp_path, GOOD), use_cache=False)
    assert res.problems == []
    assert isinstance(res.document, Bank)
    types = [q.type for q in res.document.questions]
    assert types == ["numeric", "single", "multi", "short", "judge", "scenario"]
    many = res.document.questions[2]
    assert many.type == "multi" and many.answer_indexes == {0, 2}
    case = res.document.questions[5]
    assert case.type == "scenario" and case.pass_ == 0.5 and case.keypoints[0].weight == 2


def test_library_indexes_questions_with_bank_tags(tmp_path: Path) -> None:
    lib, problems = load_paths([write(tmp_path, GOOD)], use_cache=False)
    assert problems == []
    item = lib.item("demo/window")
    assert item.topic == "评价规则" and "规则" in item.tags
    assert {it.qid for it in lib.select(types=["single", "multi"])} == {"demo/pick", "demo/many"}


@pytest.mark.parametrize(
    ("body", "line", "expect"),
    [
        ("      - id: q\n        type: judge\n        prompt: x\n        anwser: true\n", 7, "unknown field `anwser` (did you mean `answer`?)"),
        ("      - id: q\n        type: judge\n        prompt: x\n        answer: true\n        answer: false\n", 8, "duplicated key `answer`"),
        ("      - id: q\n        type: single\n        prompt: x\n        choices: [a, b]\n        answer: C\n", 8, "answer 'C' names no choice"),
        ("      - id: q\n        type: multi\n        prompt: x\n        choices: [a, b]\n        answer: [A, 丁]\n", 8, "answer '丁' names no choice"),
        ("      - id: q\n        type: short\n        prompt: x\n        answers: [有门槛]\n        reject: [无门槛, 有门槛]\n", 8, "'有门槛' is both an accepted answer and in reject"),
        ("      - id: q\n        type: numeric\n        prompt: x\n        answer: 很多\n", 7, "`answer` must be a number, not the text `很多`"),
        ("      - id: q\n        type: judge\n        prompt: x\n        answer: true\n        difficulty: 9\n", 8, "`difficulty`"),
        ("      - id: q\n        type: essay\n        prompt: x\n", 5, "unknown question type"),
        ("      - id: q\n        prompt: x\n", 4, "question has no `type`"),
        ("      - id: q\n        type: judge\n        prompt: x\n", 4, "missing required field `answer`"),
    ],
)
def test_each_bad_question_is_refused_at_its_line(tmp_path: Path, body: str, line: int, expect: str) -> None:
    text = "bank: demo\ntitle: t\nquestions:\n" + textwrap.indent(textwrap.dedent(body), "  ")
    text = text.replace("  - id: q", "  - id: q")
    p = tmp_path / "b.yaml"
    p.write_text(text, encoding="utf-8")
    found = messages(p)
    hits = [m for m in found if expect in m]
    assert hits, found
    assert hits[0].startswith(f"{p}:{line}:"), hits
    assert "bank demo, question q: " in hits[0]


def test_every_problem_in_a_file_is_reported(tmp_path: Path) -> None:
    p = write(
        tmp_path,
        """\
        bank: demo
        title: t
        questions:
          - id: a
            type: judge
            prompt: x
            anwser: true
          - id: a
            type: single
            prompt: y
            choices: [甲, 乙, 甲]
            answer: Z
        """,
    )
    found = messages(p)
    assert any(":7:" in m and "anwser" in m for m in found)
    assert any(":8:" in m and "duplicate question id `a` (first at line 4)" in m for m in found)
    assert any(":11:" in m and "choice C repeats choice A" in m for m in found)
    assert any(":12:" in m and "names no choice" in m for m in found)


def test_tabs_are_reported_by_line(tmp_path: Path) -> None:
    p = tmp_path / "tabs.yaml"
    p.write_text("bank: x\ntitle: t\nquestions:\n\t- id: a\n", encoding="utf-8")
    assert messages(p) == [f"{p}:4:1: tab character in indentation: YAML allows only spaces there"]


def test_gbk_file_is_named_as_such(tmp_path: Path) -> None:
    p = tmp_path / "gbk.yaml"
    p.write_bytes("bank: x\ntitle: 标题\n".encode("gbk"))
    [m] = messages(p)
    assert m.startswith(f"{p}:2:8: file is not UTF-8") and "GBK" in m


def test_utf8_bom_is_accepted(tmp_path: Path) -> None:
    p = tmp_path / "bom.yaml"
    p.write_bytes(b"\xef\xbb\xbf" + GOOD.encode("utf-8"))
    assert load_file(p, use_cache=False).problems == []


@pytest.mark.parametrize(
    ("text", "expect"),
    [
        ("", "file is empty"),
        ("   \n# only a comment\n", "file is empty"),
        ("- a\n- b\n", "top level is a list"),
        ("title: x\n", "top level is a mapping without `bank:` or `exam:`"),
        ("just text\n", "top level is a single value"),
        ("bank: x\ntitle: [unclosed\n", "YAML syntax"),
    ],
)
def test_files_that_are_not_banks(tmp_path: Path, text: str, expect: str) -> None:
    p = tmp_path / "x.yaml"
    p.write_text(text, encoding="utf-8")
    [m] = messages(p)
    assert expect in m and m.startswith(f"{p}:")


def test_alias_bomb_fails_fast_in_bounded_memory(tmp_path: Path) -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    lines.append("bank: *i")
    p = tmp_path / "bomb.yaml"
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    # in a child process with a hard memory cap, so a regression cannot take the machine down
    code = (
        "import resource,sys; resource.setrlimit(resource.RLIMIT_AS, (1<<30, 1<<30));"
        "from quiz.loader import load_file; r=load_file(sys.argv[1], use_cache=False);"
        "print(len(r.problems)); print(r.problems[0])"
    )
    start = time.monotonic()
    out = subprocess.run([sys.executable, "-c", code, str(p)], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr[-500:]
    assert "alias bomb" in out.stdout
    assert time.monotonic() - start < 30


def test_exam_blueprint_needs_enough_questions(tmp_path: Path) -> None:
    write(tmp_path, GOOD)
    (tmp_path / "exams").mkdir()
    write(
        tmp_path,
        """\
        exam: mock
        title: 模拟考试
        time_limit_minutes: 10
        pass_score: 6
        sections:
          - title: 单选题
            types: [single]
            count: 1
            points: 2
          - title: 判断题
            types: [judge]
            count: 3
            points: 2
        """,
        "exams/mock.yaml",
    )
    lib, problems = load_paths([tmp_path], use_cache=False)
    assert [str(p) for p in problems] == [
        f"{tmp_path / 'exams/mock.yaml'}:10:1: exam mock, section 判断题: asks for 3 questions but its filters find only 1"
    ]
    assert "mock" not in lib.exams  # an exam that cannot be drawn is not offered


def test_overlapping_sections_count_distinct_questions(tmp_path: Path) -> None:
    write(tmp_path, GOOD)
    write(
        tmp_path,
        """\
        exam: mock
        title: 模拟考试
        time_limit_minutes: 10
        pass_score: 1
        sections:
          - title: 选择题
            types: [single, multi]
            count: 2
            points: 1
          - title: 单选题
            types: [single]
            count: 1
            points: 1
        """,
        "mock.yaml",
    )
    _lib, problems = load_paths([tmp_path], use_cache=False)
    assert len(problems) == 1 and "together ask for 3 different questions" in problems[0].message


def test_good_exam_loads(tmp_path: Path) -> None:
    write(tmp_path, GOOD)
    write(tmp_path, "exam: e\ntitle: 考试\ntime_limit_minutes: 5\npass_score: 2\nsections:\n  - title: 全部\n    count: 6\n    points: 1\n", "e.yaml")
    lib, problems = load_paths([tmp_path], use_cache=False)
    assert problems == []
    assert isinstance(lib.exams["e"], Exam) and lib.exams["e"].total_points == 6


def test_duplicate_bank_ids_across_files(tmp_path: Path) -> None:
    write(tmp_path, GOOD, "a.yaml")
    write(tmp_path, GOOD, "b.yaml")
    lib, problems = load_paths([tmp_path], use_cache=False)
    assert len(problems) == 1 and "bank id `demo` is already used by" in problems[0].message
    assert len(lib) == 6


def test_cache_hits_when_unchanged_and_misses_after_an_edit(tmp_path: Path) -> None:
    p = write(tmp_path, GOOD)
    first = load_file(p)
    assert not first.from_cache and first.document is not None
    again = load_file(p)
    assert again.from_cache and again.document == first.document
    p.write_text(GOOD.replace("演示题库", "改过的题库"), encoding="utf-8")
    edited = load_file(p)
    assert not edited.from_cache
    assert isinstance(edited.document, Bank) and edited.document.title == "改过的题库"


def test_a_broken_file_is_never_served_from_cache(tmp_path: Path) -> None:
    p = write(tmp_path, GOOD)
    load_file(p)
    p.write_text(GOOD.replace("answer: C", "answer: Q"), encoding="utf-8")
    res = load_file(p)
    assert res.document is None and any("names no choice" in x.message for x in res.problems)


def test_corrupt_cache_entry_is_a_miss(tmp_path: Path) -> None:
    p = write(tmp_path, GOOD)
    load_file(p)
    for entry in cache.cache_dir().glob("*.json"):
        entry.write_bytes(b"garbage")
    res = load_file(p)
    assert not res.from_cache and res.document is not None


def test_shipped_schema_files_match_the_models() -> None:
    root = Path(__file__).resolve().parent.parent / "banks" / "schema"
    for kind in ("bank", "exam", "thesaurus", "violations"):
        shipped = json.loads((root / f"{kind}.schema.json").read_text(encoding="utf-8"))
        assert shipped == schema(kind), f"regenerate with: quiz schema {kind} --force -o banks/schema/{kind}.schema.json"


def test_schema_forbids_unknown_fields_and_knows_types() -> None:
    s = schema("bank")
    single = s["$defs"]["SingleQuestion"]
    assert single["additionalProperties"] is False
    assert "answer" in single["required"]
    assert s["properties"]["questions"]["items"]["discriminator"]["propertyName"] == "type"


def test_anchors_and_aliases_within_reason_load(tmp_path: Path) -> None:
    p = write(
        tmp_path,
        """\
        bank: demo
        title: t
        questions:
          - id: a
            type: scenario
            prompt: x
            keypoints:
              - &evidence {point: 保留证据, any: [截图, 聊天记录]}
          - id: b
            type: scenario
            prompt: y
            keypoints: [*evidence]
        """,
    )
    res = load_file(p, use_cache=False)
    assert res.problems == [] and isinstance(res.document, Bank)
    assert res.document.questions[1].keypoints[0].point == "保留证据"  # type: ignore[union-attr]


FAMILY_BANK = """\
bank: fam
title: 家族
questions:
  - {id: a1, type: judge, prompt: 甲一, answer: true, family: fact-a}
  - {id: a2, type: judge, prompt: 甲二, answer: false, family: fact-a}
  - {id: a3, type: single, prompt: 甲三, choices: [对, 错], answer: A, family: fact-a}
  - {id: b1, type: judge, prompt: 乙一, answer: true}
  - {id: c1, type: single, prompt: 丙一, choices: [对, 错], answer: A}
"""


def _exam(sections: str) -> str:
    return f"exam: e\ntitle: 考试\ntime_limit_minutes: 5\npass_score: 1\nsections:\n{sections}"


def test_a_section_counts_one_question_per_family(tmp_path: Path) -> None:
    (tmp_path / "fam.yaml").write_text(FAMILY_BANK, encoding="utf-8")
    (tmp_path / "e.yaml").write_text(_exam("  - title: 判断\n    types: [judge]\n    count: 3\n    points: 1\n"),
                                     encoding="utf-8")
    lib, problems = load_paths([tmp_path], use_cache=False)
    assert [p.message for p in problems] == [
        "exam e, section 判断: asks for 3 questions but its filters find only 2 "
        "(of 3 questions: questions of one family count once)"
    ]
    assert "e" not in lib.exams


def test_sections_sharing_a_family_are_refused_together(tmp_path: Path) -> None:
    """Each section alone can be filled, but fact-a cannot serve both: 3 families for 4 questions."""
    (tmp_path / "fam.yaml").write_text(FAMILY_BANK, encoding="utf-8")
    sections = ("  - title: 判断\n    types: [judge]\n    count: 2\n    points: 1\n"
                "  - title: 单选\n    types: [single]\n    count: 2\n    points: 1\n")
    (tmp_path / "e.yaml").write_text(_exam(sections), encoding="utf-8")
    lib, problems = load_paths([tmp_path], use_cache=False)
    assert len(problems) == 1
    assert problems[0].message == ("exam e, sections 判断、单选: together ask for 4 different questions but their "
                                   "filters find only 3 (questions of one family count once)")
    # one question fewer and the blueprint is accepted, and draws
    (tmp_path / "e.yaml").write_text(_exam(sections.replace("count: 2\n    points: 1\n", "count: 1\n    points: 1\n",
                                                            1)), encoding="utf-8")
    lib, problems = load_paths([tmp_path], use_cache=False)
    assert problems == []
    from quiz.exam import draw

    for seed in range(10):
        keys = [lib.item(d.qid).family_key for d in draw(lib, lib.exams["e"], seed)]
        assert len(keys) == len(set(keys)) == 3
