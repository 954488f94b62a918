"""Whatever a trainer's file holds, import never raises and what it builds always validates."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quiz.model import Bank
from quiz.trainer.gift import parse_gift
from quiz.trainer.importers import ReadResult, build_bank
from quiz.trainer.spreadsheet import parse_sheet

GIFT_ALPHABET = st.sampled_from([*"{}=~#%:->\\/$[]\n TF10.甲乙对错", "::", "####", "{T}", "{#", "//", "\n\n", "$CATEGORY: a/b\n"])
CELL = st.one_of(st.just(""), st.sampled_from(["单选", "多选", "判断", "填空", "数值", "情景", "A", "AC", "对", "90天",
                                               "甲|乙", "要点: 甲|乙", "3±1", "x", "9", "B.", "论述"]),
                 st.text(max_size=8))
HEADER = ["题型", "题目", "选项A", "选项B", "选项C", "答案", "错误答案", "难度", "编号"]


def _check(read: ReadResult) -> None:
    found = read.found
    res = build_bank(read, source=Path("x"), label="x", bank_id="x", title="x")
    if res.bank is not None:
        Bank.model_validate(res.to_data())  # what would be written loads
        assert len({q.id for q in res.questions}) == len(res.questions)
    skipped = sum(1 for i in res.issues if i.message.startswith("skipped"))
    assert res.imported + skipped == found  # every question found is imported or reported, never lost


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(GIFT_ALPHABET, max_size=40).map("".join))
def test_any_gift_text(text: str) -> None:
    _check(parse_gift(text, "x"))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(CELL, min_size=len(HEADER), max_size=len(HEADER)), max_size=6))
def test_any_spreadsheet_rows(rows: list[list[str]]) -> None:
    table = [(1, HEADER)] + [(n + 2, r) for n, r in enumerate(rows) if any(r)]
    parsed = parse_sheet(table, "x")
    assert parsed is not None
    _check(parsed)


def test_any_mutation_of_a_moodle_xml_file() -> None:
    """A seeded mutator over the XML fixture: a one-line refusal (UserError) or a bank that validates, nothing else."""
    import random

    from quiz.errors import UserError
    from quiz.trainer.moodle_xml import parse_moodle_xml

    src = (Path(__file__).parent / "data" / "import" / "constructs.xml").read_bytes()
    inserts = [b"<", b">", b"&", b"]]>", b'fraction="x"', b"\x00", b'<answer fraction="100">', b"\xff", b"<text>",
               b"<single>false</single>", b"<tolerance>nan</tolerance>", b'fraction="1e400"', b'encoding="x"']
    rng = random.Random(14)
    for _ in range(300):
        b = bytearray(src)
        for _ in range(rng.randint(1, 6)):
            k = rng.randrange(len(b))
            op = rng.random()
            if op < 0.4:
                del b[k : k + rng.randint(1, 20)]
            elif op < 0.7:
                b[k:k] = rng.choice(inserts)
            else:
                b[k] = rng.randrange(256)
        try:
            read = parse_moodle_xml(bytes(b), Path("x.xml"), "x")
        except UserError as e:
            assert "\n" not in str(e)
            continue
        _check(read)
