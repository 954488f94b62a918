"""What 错题本 and 收藏 share: a question table with a topic filter, preview, practise, remove."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.widgets import DataTable, Header, Select, Static

from quiz.library import Item
from quiz.store import StoreError
from tui.i18n import t
from tui.keys import bind
from tui.screens.base import QuizScreen
from tui.screens.browse import preview
from tui.widgets.footer import QuizFooter
from tui.widgets.question import question_text
from tui.widgets.text import clip, plain

ALL = "__all__"
TOPIC_WIDTH = 14


class QuestionListScreen(QuizScreen[None]):
    TITLE_KEY = ""
    EMPTY_KEY = ""
    MODE = ""
    BINDINGS: ClassVar[list[BindingType]] = [
        bind("p", "practice", "key.practice"),
        bind("x,delete", "remove", "key.remove"),
        bind("u,ctrl+z", "undo", "key.undo"),
        bind("slash", "filter", "key.filter"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.topic: str | None = None
        self.undo_stack: list[tuple[str, Callable[[], None]]] = []  # (qid, puts it back), newest last
        self._width = 0  # the terminal width the rows were clipped for

    def compose(self) -> ComposeResult:
        yield Header()
        yield Select[str]([], prompt=t("list.all_topics"), allow_blank=True, classes="list-filter", id="topic-filter")
        yield DataTable(cursor_type="row", zebra_stripes=True, classes="list-table", id="question-table")
        yield Static("", classes="list-preview", id="list-preview")
        yield QuizFooter()

    def on_mount(self) -> None:
        self.refresh_view()
        self.query_one(DataTable).focus()

    def on_screen_resume(self) -> None:
        self.refresh_view()

    def on_resize(self) -> None:
        if self._width and self._width != self.app.size.width:
            self.refresh_view()

    # subclasses ------------------------------------------------------------------
    def entries(self) -> list[tuple[str, str]]:
        """(qid, status text) in the order shown."""
        raise NotImplementedError

    def remove_entry(self, qid: str) -> Callable[[], None]:
        """Remove the entry; returns what puts it back as it was (undo)."""
        raise NotImplementedError

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "undo":
            return bool(self.undo_stack)
        return True

    # ---------------------------------------------------------------------------
    def _item(self, qid: str) -> Item | None:
        return self.library.get(qid) if self.library is not None else None

    def refresh_view(self) -> None:
        table = self.query_one(DataTable)
        table.border_title = t(self.TITLE_KEY)
        rows = self.entries()
        topics = sorted({it.topic for qid, _ in rows if (it := self._item(qid)) is not None and it.topic})
        select = self.query_one("#topic-filter", Select)
        with select.prevent(Select.Changed):
            select.set_options([(plain(clip(tp, 40)), tp) for tp in topics])
            if self.topic in topics:
                select.value = self.topic
            else:
                self.topic = None
        cursor = table.cursor_row
        table.clear(columns=True)
        table.add_columns(t("list.col.question"), t("list.col.topic"), t("list.col.info"))
        shown = 0
        # the status (错 3 次 · 连对 0/2 · ‼ 顽固题) stays on screen: the prompt is clipped to what is left
        # of the width (the border, a scrollbar and each column's padding take 10 cells)
        info_w = max([cell_len(info) for _, info in rows] + [cell_len(t("list.col.info"))])
        prompt_w = max(16, min(56, self.app.size.width - 10 - TOPIC_WIDTH - info_w))
        self._width = self.app.size.width
        for qid, info in rows:
            item = self._item(qid)
            topic = item.topic if item is not None else ""
            if self.topic is not None and topic != self.topic:
                continue
            prompt = item.question.prompt if item is not None else qid
            table.add_row(plain(clip(prompt, prompt_w)), plain(clip(topic, TOPIC_WIDTH)), plain(info), key=qid)
            shown += 1
        preview_box = self.query_one("#list-preview", Static)
        if not shown:
            preview_box.update(Text(t(self.EMPTY_KEY), style="dim"))
        elif 0 <= cursor < shown:
            table.move_cursor(row=cursor)

    @on(DataTable.RowHighlighted)
    def _highlight(self, event: DataTable.RowHighlighted) -> None:
        qid = event.row_key.value
        item = self._item(qid) if qid else None
        box = self.query_one("#list-preview", Static)
        if item is None:
            box.update(plain(qid or "", style="dim"))
        elif self.quiz.access.is_trainer:
            box.update(preview(item))
        else:  # a served learner: the question as studied, not the bank's answer key
            box.update(question_text(item.question))

    @on(Select.Changed, "#topic-filter")
    def _filter(self, event: Select.Changed) -> None:
        self.topic = event.value if isinstance(event.value, str) else None
        self.refresh_view()

    def action_filter(self) -> None:
        self.query_one("#topic-filter", Select).focus()

    def _current_qid(self) -> str | None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return key

    def action_remove(self) -> None:
        """Remove the highlighted question from the list; ``u`` puts it back."""
        qid = self._current_qid()
        if qid is None:
            return
        try:
            entry = self.remove_entry(qid)
        except StoreError as e:
            self.notify(t("app.save_failed_retry", message=str(e)), severity="error", timeout=8)
            return
        self.undo_stack.append((qid, entry))
        self.notify(t("list.removed_undo"), timeout=4)
        self.refresh_view()
        self.refresh_bindings()

    def action_undo(self) -> None:
        if not self.undo_stack:
            return
        qid, put_back = self.undo_stack.pop()
        put_back()
        self.notify(t("list.restored"), timeout=2)
        self.refresh_view()
        table = self.query_one(DataTable)
        keys = [str(k.value) for k in table.rows]
        if qid in keys:
            table.move_cursor(row=keys.index(qid))
        self.refresh_bindings()

    def action_practice(self) -> None:
        self.quiz.open_study(self.MODE, topic=self.topic)
