"""Bank prose written in YAML ``|`` blocks reads as the author meant: a break that the author's editor
put after a comma mid-sentence is not a new line on screen; a new sentence, paragraph or list item is."""

from __future__ import annotations

from pathlib import Path

import pytest

from quiz.loader import load_paths
from quiz.text import reflow
from tui.widgets.question import question_text

BANKS = Path(__file__).resolve().parent.parent / "banks"


@pytest.mark.parametrize(("source", "shown"), [
    ("你拒绝后他真的给了差评，\n差评里写“质量差”。", "你拒绝后他真的给了差评，差评里写“质量差”。"),
    ("质检照片、\n  聊天记录", "质检照片、聊天记录"),  # the block's indentation goes with the break
    ("He refused,\nthen left a review.", "He refused, then left a review."),
    ("交易成功才3天。\n请列出证据。", "交易成功才3天。\n请列出证据。"),  # a new sentence keeps its line
    ("要做三件事：\n1. 截图，\n2. 举证，\n3. 申诉。", "要做三件事：\n1. 截图，\n2. 举证，\n3. 申诉。"),  # list items
    ("（1）截图，\n（2）举证", "（1）截图，\n（2）举证"),
    ("一、截图，\n二、举证", "一、截图，\n二、举证"),
    ("① 截图，\n② 举证", "① 截图，\n② 举证"),
    ("截图，\n- 举证", "截图，\n- 举证"),
    ("第一段，\n\n第二段", "第一段，\n\n第二段"),  # a blank line is a paragraph
])
def test_a_break_after_a_comma_is_the_editors_not_the_authors(source: str, shown: str) -> None:
    assert reflow(source) == shown


def test_a_shipped_scenario_prompt_reads_as_one_sentence_where_it_is_one() -> None:
    library, _ = load_paths([BANKS])
    item = library.find("review-rules/evidence-prep-scenario")
    assert item is not None and "给了差评，\n" in item.question.prompt  # the bank wraps mid-sentence
    shown = question_text(item.question).plain
    assert "给了差评，差评里写" in shown
    assert "交易成功才3天。" in shown
