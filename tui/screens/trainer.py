"""培训师工具: the team, disputes to resolve, assignments, item analysis over every learner,
and a grader playground to tune a question.

Only for trainers: at the server's terminal (``quiz``) or a served trainer account.
A served learner never gets here (:mod:`quiz.access` refuses the action); if the
screen were pushed all the same, it closes itself before showing anything.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.console import Group
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.suggester import SuggestFromList
from textual.widgets import DataTable, Header, Input, Static, TabbedContent, TabPane

from quiz.library import Item
from tui.i18n import colon, join, t
from tui.screens.base import QuizScreen
from tui.screens.browse import preview
from tui.screens.team import AssignPane, DisputesPane, TeamPane
from tui.widgets.feedback import feedback_renderable
from tui.widgets.footer import QuizFooter
from tui.widgets.text import clip, plain

if TYPE_CHECKING:
    from quiz.trainer.report import Report, WrongAnswer


def _num(v: float | None, *, signed: bool = False) -> str:
    if v is None:
        return "-"
    return f"{v:+.2f}" if signed else f"{v:.2f}"


def _shown(w: WrongAnswer) -> str:
    """A common wrong answer as the trainer reads it, in the UI's language (blank, 对/错)."""
    if not w.answer.strip():
        return t("result.unanswered")
    if w.shown in ("对", "错"):
        return t("study.true") if w.shown == "对" else t("study.false")
    return w.shown


class TrainerScreen(QuizScreen[None]):
    def __init__(self) -> None:
        super().__init__()
        self.stats: dict[str, Any] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        if not self.quiz.access.is_trainer:
            return
        with TabbedContent(id="trainer-tabs"):
            with TabPane(t("team.title"), id="tab-team"):
                yield TeamPane(id="team-pane")
            with TabPane(t("disputes.tab"), id="tab-disputes"):
                yield DisputesPane(id="disputes-pane")
            with TabPane(t("assign.title"), id="tab-assign"):
                yield AssignPane(id="assign-pane")
            with TabPane(t("trainer.report"), id="tab-report"):
                yield Static("", id="report-note")
                yield DataTable(id="report-items", cursor_type="row", zebra_stripes=True)
                yield Static("", id="report-detail")
                yield DataTable(id="report-learners", cursor_type="row", zebra_stripes=True)
            with TabPane(t("trainer.playground"), id="tab-playground"):
                yield Input(placeholder=t("trainer.pick"), id="pg-qid")
                yield Input(placeholder=t("trainer.candidate"), id="pg-answer")
                yield Static("", id="playground-result")
        yield QuizFooter()

    def on_mount(self) -> None:
        if not self.quiz.access.is_trainer:
            self.notify(t("access.refused"), severity="warning")
            self.app.pop_screen()
            return
        self.refresh_view()

    def refresh_view(self) -> None:
        if not self.quiz.access.is_trainer:
            return
        for pane in self.query("TeamPane, DisputesPane, AssignPane"):
            pane.refresh_view()  # type: ignore[attr-defined]
        lib = self.library
        if lib is not None:
            self.query_one("#pg-qid", Input).suggester = SuggestFromList(lib.qids, case_sensitive=False)
        self._report()

    # -- item analysis -----------------------------------------------------------
    def _report(self) -> None:
        if self.quiz.ready:
            self.query_one("#report-note", Static).update(Text(t("app.loading"), style="dim"))
            self.load_report()

    @work(thread=True, exclusive=True, group="report")
    def load_report(self) -> None:
        """Item analysis over every learner in the database (quiz.trainer.report), off the UI thread."""
        from quiz.trainer.report import build_report

        report = build_report(self.store, self.library, now=self.quiz.now())
        self.app.call_from_thread(self._show_report, report)

    def _show_report(self, report: Report) -> None:
        if not self.is_attached:
            return
        table = self.query_one("#report-items", DataTable)
        learners = self.query_one("#report-learners", DataTable)
        note = self.query_one("#report-note", Static)
        table.clear(columns=True)
        learners.clear(columns=True)
        self.stats = {q.qid: q for q in report.questions}
        table.border_title = t("trainer.report")
        table.add_columns(t("trainer.col.qid"), t("trainer.col.attempts"), t("trainer.col.facility"),
                          t("trainer.col.discrimination"), t("trainer.col.wrong"), t("trainer.col.disputes"))
        for q in report.questions:
            if not q.attempts and not q.disputes:
                continue
            wrong = join(f"{_shown(w)}×{w.count}" for w in q.wrong_answers[:3])
            table.add_row(plain(clip(q.qid, 30)), str(q.attempts), _num(q.facility), _num(q.discrimination, signed=True),
                          plain(clip(wrong, 28)), str(len(q.disputes)) if q.disputes else "", key=q.qid)
        learners.border_title = t("trainer.learners")
        learners.add_columns(t("trainer.col.learner"), t("trainer.col.answers"), t("trainer.col.accuracy"), t("trainer.col.exams"))
        for lr in report.learners:
            acc = f"{lr.accuracy * 100:.0f}%" if lr.accuracy is not None else "-"
            learners.add_row(plain(clip(lr.profile, 30)), str(lr.answers), acc, f"{lr.exams_passed}/{lr.exams_taken}")
        note.update(Text(t("trainer.no_report"), style="dim") if not table.row_count else "")

    @on(DataTable.RowHighlighted, "#report-items")
    def _item_detail(self, event: DataTable.RowHighlighted) -> None:
        qid = event.row_key.value
        q = self.stats.get(qid or "")
        box = self.query_one("#report-detail", Static)
        if q is None:
            box.update("")
            return
        lines: list[Text] = [plain(f"{q.qid}  {q.prompt or ''}", style="bold")]
        if q.wrong_answers:
            lines.append(plain(t("trainer.col.wrong") + colon() + join(f"{_shown(w)} ×{w.count}" for w in q.wrong_answers)))
        for d in q.disputes:
            verdict = t("verdict." + d.verdict) if d.verdict in ("correct", "partial", "wrong") else d.verdict
            lines.append(plain(f"⚑ {d.profile}{colon()}{d.answer} ({verdict})"
                              + (f" — {d.note}" if d.note else ""), style="yellow"))
        box.update(Group(*lines))

    # -- grader playground ---------------------------------------------------------
    def _item(self) -> Item | None:
        lib = self.library
        qid = self.query_one("#pg-qid", Input).value.strip()
        return lib.find(qid) if lib is not None and qid else None

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
        from tui.app import grade_in_ui_language

        result = grade_in_ui_language(item.question, answer)
        self.query_one("#playground-result", Static).update(feedback_renderable(item.question, result, answer))
