"""培训师工具: item analysis over every learner, and a grader playground to tune a question."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.suggester import SuggestFromList
from textual.widgets import DataTable, Footer, Header, Input, Static, TabbedContent, TabPane

from quiz.library import Item
from tui.i18n import t
from tui.screens.base import QuizScreen
from tui.screens.browse import preview
from tui.widgets.feedback import feedback_renderable
from tui.widgets.text import clip


class TrainerScreen(QuizScreen[None]):
    def compose(self) -> ComposeResult:
        yield Header()
        with TabbedContent(id="trainer-tabs"):
            with TabPane(t("trainer.report"), id="tab-report"):
                yield Static("", id="report-note")
                yield DataTable(id="report-items", cursor_type="row", zebra_stripes=True)
            with TabPane(t("trainer.playground"), id="tab-playground"):
                yield Input(placeholder=t("trainer.pick"), id="pg-qid")
                yield Input(placeholder=t("trainer.candidate"), id="pg-answer")
                yield Static("", id="playground-result")
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_view()

    def refresh_view(self) -> None:
        lib = self.library
        if lib is not None:
            self.query_one("#pg-qid", Input).suggester = SuggestFromList(lib.qids, case_sensitive=False)
        self._report()

    # -- item analysis -----------------------------------------------------------
    def _report(self) -> None:
        table = self.query_one("#report-items", DataTable)
        note = self.query_one("#report-note", Static)
        table.clear(columns=True)
        try:
            import importlib

            report_mod = importlib.import_module("quiz.trainer.report")
        except ImportError:
            note.update(Text(t("trainer.unavailable"), style="dim"))
            return
        build = getattr(report_mod, "build_report", None)
        if build is None or self.library is None:
            note.update(Text(t("trainer.unavailable"), style="dim"))
            return
        rep: Any = build(self.store, self.library)
        items = list(getattr(rep, "items", []))
        table.add_columns(t("trainer.col.qid"), t("trainer.col.attempts"), t("trainer.col.facility"),
                          t("trainer.col.discrimination"), t("trainer.col.wrong"), t("trainer.col.disputes"))
        for it in items:
            fac = getattr(it, "facility", None)
            disc = getattr(it, "discrimination", None)
            wrong = getattr(it, "common_wrong", None) or getattr(it, "wrong_answers", []) or []
            wrong_text = "、".join(str(w[0] if isinstance(w, tuple) else w) for w in list(wrong)[:3])
            disputes = getattr(it, "disputes", []) or []
            table.add_row(it.qid, str(getattr(it, "attempts", "")), "-" if fac is None else f"{fac:.2f}",
                          "-" if disc is None else f"{disc:+.2f}", clip(wrong_text, 30), str(len(disputes)))
        note.update(Text(t("trainer.no_report"), style="dim") if not items else "")

    # -- grader playground ---------------------------------------------------------
    def _item(self) -> Item | None:
        lib = self.library
        qid = self.query_one("#pg-qid", Input).value.strip()
        return lib.get(qid) if lib is not None and qid else None

    @on(Input.Changed, "#pg-qid")
    @on(Input.Submitted, "#pg-qid")
    def _qid(self) -> None:
        item = self._item()
        box = self.query_one("#playground-result", Static)
        if item is not None:
            box.update(preview(item))
            self._grade()

    @on(Input.Changed, "#pg-answer")
    def _grade(self) -> None:
        item = self._item()
        answer = self.query_one("#pg-answer", Input).value
        if item is None or not answer.strip():
            return
        from quiz.grading import grade

        result = grade(item.question, answer)
        self.query_one("#playground-result", Static).update(feedback_renderable(item.question, result, answer))
