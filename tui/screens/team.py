"""The trainer's team tabs (inside 培训师工具): the team, disputes to resolve, assignments.

The numbers and every decision come from :mod:`quiz.team`; these panes show
them and forward the trainer's choices. They are only ever mounted inside the
trainer screen, which a served learner cannot open (see :mod:`quiz.access`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from rich.console import Group
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, DataTable, Input, Label, Select, SelectionList, Static

from quiz.errors import UserError
from tui.i18n import colon, t
from tui.layout import is_narrow
from tui.widgets.text import clip, plain

if TYPE_CHECKING:
    from quiz.library import Library
    from quiz.store import Store
    from quiz.team import Assignment, AssignmentStatus, DisputeCase, LearnerRow
    from tui.app import QuizApp


def _pct(x: float | None) -> str:
    return "-" if x is None else f"{x * 100:.0f}%"


def _pts(x: float) -> str:
    return f"{x:g}" if x == int(x) else f"{x:.1f}"


def _local(dt: object) -> str:
    from datetime import datetime

    return dt.astimezone().strftime("%m-%d %H:%M") if isinstance(dt, datetime) else "-"


class _Pane(Vertical):
    @property
    def quiz(self) -> QuizApp:
        return cast("QuizApp", self.app)

    @property
    def store(self) -> Store:
        return self.quiz.store

    @property
    def library(self) -> Library | None:
        return self.quiz.library

    @property
    def trainer_name(self) -> str:
        account = self.quiz.access.account
        return account.name if account is not None else self.quiz.profile or "terminal"

    def refresh_view(self) -> None:
        """Reload from the database."""


# --------------------------------------------------------------------------- the team


COLUMNS = ("learner", "answers", "accuracy", "seen", "due", "mastery", "readiness", "exams", "disputes", "tasks", "last")
"""The team table's columns (``team.col.<name>`` in i18n)."""
NARROW_COLUMNS = ("learner", "accuracy", "due", "mastery", "readiness", "disputes", "tasks")
"""Below 100 columns: what a trainer acts on (the rest is in the learner's detail)."""


class TeamPane(_Pane):
    """Every learner: progress, readiness, exams, disputes, assignments; the highlighted one in detail."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rows: dict[str, LearnerRow] = {}
        self._narrow = False

    def compose(self) -> ComposeResult:
        yield Static("", id="team-note")
        yield DataTable(id="team-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="team-detail")

    def on_mount(self) -> None:
        self.refresh_view()

    def refresh_view(self) -> None:
        if self.quiz.ready:
            self.query_one("#team-note", Static).update(Text(t("app.loading"), style="dim"))
            self.load()

    @work(thread=True, exclusive=True, group="team")
    def load(self) -> None:
        from quiz import team

        lib = self.library
        if lib is None:
            return
        rows = team.team(self.store, lib, self.quiz.now())
        self.app.call_from_thread(self._show, rows)

    def _show(self, rows: list[LearnerRow]) -> None:
        if not self.is_attached:
            return
        self.rows = {r.name: r for r in rows}
        table = self.query_one("#team-table", DataTable)
        table.clear(columns=True)
        table.border_title = t("team.title")
        # below 100 columns the table keeps what a trainer acts on and fits without scrolling sideways;
        # the rest (answers, seen, exams passed, last active) is in the highlighted learner's detail
        self._narrow = is_narrow(self.app.size.width)
        columns = NARROW_COLUMNS if self._narrow else COLUMNS
        table.add_columns(*(t(f"team.col.{c}") for c in columns))
        for r in rows:
            name = Text(clip(r.name, 14))
            if r.role == "trainer":
                name.append(" " + t("team.trainer"), style="cyan")
            if not r.active:
                name.stylize("strike dim")
            ready = r.readiness[0] if r.readiness else None
            ready_text = Text(f"{round(ready.expected)}/{_pts(ready.total)}" if ready else "-",
                              style="green" if ready and ready.likely_pass else "yellow")
            tasks = Text(str(r.assignments_open) if r.assignments_open else "")
            if r.assignments_overdue:
                tasks.append(" " + t("team.overdue", count=r.assignments_overdue), style="bold red")
            cells: dict[str, str | Text] = {
                "learner": name, "answers": str(r.answers), "accuracy": _pct(r.accuracy), "seen": f"{r.seen}/{r.questions}",
                "due": str(r.due), "mastery": _pct(r.mastery), "readiness": ready_text,
                "exams": f"{r.exams_passed}/{r.exams_taken}", "disputes": str(r.open_disputes) if r.open_disputes else "",
                "tasks": tasks, "last": _local(r.last_active),
            }
            table.add_row(*(cells[c] for c in columns), key=r.name)
        self.query_one("#team-note", Static).update(Text(t("team.none"), style="dim") if not rows else "")
        if rows:
            self._detail(rows[0])

    @on(DataTable.RowHighlighted, "#team-table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        row = self.rows.get(event.row_key.value or "")
        if row is not None:
            self._detail(row)

    def on_resize(self) -> None:
        if self.rows and self._narrow != is_narrow(self.app.size.width):  # the other set of columns
            self._show(list(self.rows.values()))

    def _detail(self, r: LearnerRow) -> None:
        lines: list[Text] = [plain(r.name, style="bold")]
        lines.append(Text("  " + t("team.summary", answers=r.answers, seen=r.seen, questions=r.questions,
                                   passed=r.exams_passed, taken=r.exams_taken, last=_local(r.last_active)), style="dim"))
        for rd in r.readiness:
            line = plain(f"  {t('team.readiness_line', title=rd.title, score=round(rd.expected), total=_pts(rd.total))}")
            line.append("  " + (t("result.pass") if rd.likely_pass else t("result.fail")),
                        style="green" if rd.likely_pass else "yellow")
            lines.append(line)
        lib = self.library
        done = [a for a in r.attempts if a.submitted is not None]
        lines.append(Text(t("team.attempts", count=len(done)), style="bold"))
        for a in done[:6]:
            title = lib.exams[a.exam_id].title if lib is not None and a.exam_id in lib.exams else a.exam_id
            mark = Text(f"  {_local(a.submitted)}  {clip(title, 24)}  {_pts(a.score or 0)}/{_pts(a.total)}  ")
            mark.append(t("result.pass") if a.passed else t("result.fail"), style="green" if a.passed else "red")
            lines.append(mark)
        self.query_one("#team-detail", Static).update(Group(*lines))


# --------------------------------------------------------------------------- disputes


def _with_choices(question: object, answer: str) -> str:
    """A choice answer given as letters (the bank's), with each choice's text: ``D. 7天``."""
    from quiz.model import LETTERS

    choices = getattr(question, "choices", None)
    letters = "".join(answer.split()).upper()
    if not choices or not letters or any(c not in LETTERS[: len(choices)] for c in letters):
        return answer
    return " / ".join(f"{c}. {choices[LETTERS.index(c)]}" for c in letters)


class DisputesPane(_Pane):
    """申诉: open disputes first; accept (regrade as correct) or reject with a note the learner sees."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.cases: dict[str, DisputeCase] = {}

    def compose(self) -> ComposeResult:
        yield DataTable(id="dispute-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="dispute-detail")
        with Horizontal(id="dispute-actions"):
            yield Input(id="dispute-note", max_length=200)
            yield Button("", variant="success", id="dispute-accept")
            yield Button("", variant="error", id="dispute-reject")

    def on_mount(self) -> None:
        self.refresh_view()

    def refresh_view(self) -> None:
        self.query_one("#dispute-note", Input).placeholder = t("disputes.note")
        self.query_one("#dispute-accept", Button).label = t("disputes.accept")
        self.query_one("#dispute-reject", Button).label = t("disputes.reject")
        if not self.quiz.ready:
            return
        from quiz import team

        cases = team.disputes(self.store)
        self.cases = {str(c.id): c for c in cases}
        table = self.query_one("#dispute-table", DataTable)
        cursor = table.cursor_row
        table.clear(columns=True)
        table.border_title = t("disputes.title", count=sum(1 for c in cases if c.open))
        table.add_columns(t("disputes.col.status"), t("team.col.learner"), t("disputes.col.source"),
                          t("trainer.col.qid"), t("disputes.col.answer"), t("disputes.col.when"))
        for c in cases:
            status = Text(t(f"disputes.status.{c.status}"),
                          style={"open": "bold yellow", "accepted": "green", "rejected": "red"}.get(c.status, ""))
            source = (t("disputes.source.exam", n=c.position + 1) if c.attempt_id is not None and c.position is not None
                      else t("disputes.source.study"))
            table.add_row(status, plain(clip(c.profile, 12)), source, plain(clip(c.qid, 24)), plain(clip(c.answer, 20)),
                          _local(c.ts), key=str(c.id))
        if not cases:
            self.query_one("#dispute-detail", Static).update(Text(t("disputes.none"), style="dim"))
        elif 0 <= cursor < len(cases):
            table.move_cursor(row=cursor)
        self._buttons()

    def _current(self) -> DisputeCase | None:
        table = self.query_one("#dispute-table", DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return self.cases.get(key or "")

    def _buttons(self) -> None:
        case = self._current()
        for bid in ("#dispute-accept", "#dispute-reject"):
            self.query_one(bid, Button).disabled = case is None or not case.open

    @on(DataTable.RowHighlighted, "#dispute-table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        case = self.cases.get(event.row_key.value or "")
        if case is None:
            return
        lib = self.library
        item = lib.get(case.qid) if lib is not None else None
        lines: list[Text] = []
        if item is not None:
            lines.append(plain(clip(item.question.prompt, 200), style="bold"))
            lines.append(plain(f"{t('feedback.expected')}{colon()}{item.question.expected_text()}", style="green"))
        else:
            lines.append(plain(case.qid, style="dim"))
        verdict = t("verdict." + case.verdict) if case.verdict in ("correct", "partial", "wrong") else case.verdict
        answer = _with_choices(item.question, case.answer) if item is not None else case.answer
        lines.append(plain(f"{t('feedback.your_answer')}（{case.profile}）{colon()}{answer}  · {verdict}"))
        lines.extend(self._exam_lines(case))
        if case.note:
            lines.append(plain(f"{t('disputes.learner_note')}{colon()}{case.note}", style="yellow"))
        if not case.open:
            lines.append(plain(t("disputes.resolved", who=case.resolved_by or "", when=_local(case.resolved_at))
                               + (f"{colon()}{case.resolution_note}" if case.resolution_note else ""), style="dim"))
        self.query_one("#dispute-detail", Static).update(Group(*lines))
        self._buttons()

    def _exam_lines(self, case: DisputeCase) -> list[Text]:
        """A dispute of an exam answer: which exam, which question, and the score (before and after)."""
        from quiz import team
        from quiz.scores import format_score

        ctx = team.exam_context(self.store, case)
        if ctx is None:
            return []
        lib = self.library
        title = lib.exams[ctx.exam_id].title if lib is not None and ctx.exam_id in lib.exams else ctx.exam_id
        lines = [plain(t("disputes.exam", title=title, when=_local(ctx.started), n=ctx.position + 1,
                         points=format_score(ctx.points)), style="cyan")]
        verdict = t("result.pass") if ctx.passed else t("result.fail")
        if case.open and ctx.score is not None:
            after = ctx.score - ctx.earned + ctx.points
            lines.append(plain(t("disputes.exam_open", score=format_score(ctx.score), total=format_score(ctx.total),
                                 verdict=verdict, after=format_score(after))))
        elif case.status == "accepted" and case.original_exam_score is not None and ctx.score is not None:
            lines.append(plain(t("disputes.exam_corrected", before=format_score(case.original_exam_score),
                                 after=format_score(ctx.score), total=format_score(ctx.total), verdict=verdict),
                               style="green"))
        return lines

    @on(Button.Pressed, "#dispute-accept")
    def _accept(self) -> None:
        self._resolve(True)

    @on(Button.Pressed, "#dispute-reject")
    def _reject(self) -> None:
        self._resolve(False)

    def _resolve(self, accept: bool) -> None:
        if not self.quiz.access.is_trainer:  # never reached by a learner; refused all the same
            return
        case = self._current()
        if case is None:
            return
        from quiz import team

        note_box = self.query_one("#dispute-note", Input)
        try:
            team.resolve_dispute(self.store, self.library, case.id, accept=accept, note=note_box.value,
                                 by=self.trainer_name, now=self.quiz.now())
        except UserError as e:
            self.notify(str(e), severity="error")
            return
        note_box.value = ""
        self.notify(t("disputes.accepted" if accept else "disputes.rejected", learner=case.profile))
        self.refresh_view()


# --------------------------------------------------------------------------- assignments


class AssignPane(_Pane):
    """布置任务: an exam or a topic for chosen learners by a deadline; every assignment's progress."""

    def compose(self) -> ComposeResult:
        with Horizontal(id="assign-main"):
            with VerticalScroll(id="assign-form"):
                yield Label("", id="assign-kind-label")
                yield Select[str]([(t("assign.kind.exam"), "exam"), (t("assign.kind.topic"), "topic")],
                                  allow_blank=False, id="assign-kind")
                yield Select[str]([], allow_blank=True, id="assign-target")
                yield Label("", id="assign-learners-label")
                yield SelectionList[str](id="assign-learners")
                yield Input(id="assign-due", max_length=10)
                yield Input(id="assign-note", max_length=200)
                yield Button("", variant="primary", id="assign-create")
            with Vertical(id="assign-side"):
                yield DataTable(id="assign-table", cursor_type="row", zebra_stripes=True)
                yield Button("", variant="warning", id="assign-cancel")

    def on_mount(self) -> None:
        self.refresh_view()

    def refresh_view(self) -> None:
        self.query_one("#assign-kind-label", Label).update(t("assign.kind"))
        self.query_one("#assign-learners-label", Label).update(t("assign.learners"))
        self.query_one("#assign-due", Input).placeholder = t("assign.due")
        self.query_one("#assign-note", Input).placeholder = t("assign.note")
        self.query_one("#assign-create", Button).label = t("assign.create")
        self.query_one("#assign-cancel", Button).label = t("assign.cancel")
        kind = self.query_one("#assign-kind", Select)
        current = kind.value if isinstance(kind.value, str) else "exam"
        with kind.prevent(Select.Changed):
            kind.set_options([(t("assign.kind.exam"), "exam"), (t("assign.kind.topic"), "topic")])
            kind.value = current
        self._targets()
        if not self.quiz.ready:
            return
        from quiz import team

        learners = self.query_one("#assign-learners", SelectionList)
        chosen = set(learners.selected)
        learners.clear_options()
        for name, role, active in team.team_names(self.store):
            if active and role != "trainer":
                learners.add_option((plain(name), name, name in chosen))
        self._table()

    def _targets(self) -> None:
        lib = self.library
        kind = self.query_one("#assign-kind", Select).value
        target = self.query_one("#assign-target", Select)
        if lib is None:
            return
        if kind == "topic":
            options = [(tp, tp) for tp in lib.topics() if tp]
        else:
            options = [(exam.title, exam_id) for exam_id, exam in lib.exams.items()]
        with target.prevent(Select.Changed):
            target.set_options(options)
            target.prompt = t("assign.target")

    @on(Select.Changed, "#assign-kind")
    def _kind_changed(self) -> None:
        self._targets()

    def _table(self) -> None:
        from quiz import team

        lib = self.library
        if lib is None:
            return
        now = self.quiz.now()
        table = self.query_one("#assign-table", DataTable)
        table.clear(columns=True)
        table.border_title = t("assign.title")
        table.add_columns(t("assign.col.task"), t("team.col.learner"), t("assign.col.due"), t("assign.col.status"))
        for a in team.assignments(self.store):
            for name in a.learners:
                st = team.status(self.store, lib, a, name, now)
                table.add_row(plain(clip(self._what(a), 26)), plain(clip(name, 12)), _local(a.due), self._status_text(st),
                              key=f"{a.id}:{name}")

    def _what(self, a: Assignment) -> str:
        lib = self.library
        if a.kind == "exam":
            title = lib.exams[a.target].title if lib is not None and a.target in lib.exams else a.target
            return t("assign.what.exam", title=title)
        return t("assign.what.topic", topic=a.target)

    @staticmethod
    def _status_text(st: AssignmentStatus) -> Text:
        if st.done:
            if st.score is not None and st.exam_total is not None:
                return Text(t("assign.done_score", score=_pts(st.score), total=_pts(st.exam_total)), style="green")
            return Text(t("assign.done"), style="green")
        if st.overdue:
            return Text(t("assign.overdue"), style="bold red")
        if st.total:
            return Text(t("assign.progress", done=st.answered, total=st.total), style="yellow")
        return Text(t("assign.open"), style="yellow")

    @on(Button.Pressed, "#assign-create")
    def _create(self) -> None:
        if not self.quiz.access.is_trainer or self.library is None:
            return
        from quiz import team

        kind = self.query_one("#assign-kind", Select).value
        target = self.query_one("#assign-target", Select).value
        learners = list(self.query_one("#assign-learners", SelectionList).selected)
        if not isinstance(target, str):
            self.notify(t("assign.pick_target"), severity="error")
            return
        now = self.quiz.now()
        try:
            due = team.parse_due(self.query_one("#assign-due", Input).value, now)
            team.assign(self.store, self.library, kind="topic" if kind == "topic" else "exam", target=target,
                        learners=learners, due=due, by=self.trainer_name, now=now,
                        note=self.query_one("#assign-note", Input).value)
        except UserError as e:
            self.notify(str(e), severity="error")
            return
        self.notify(t("assign.created", count=len(learners)))
        self.query_one("#assign-note", Input).value = ""
        self._table()

    @on(Button.Pressed, "#assign-cancel")
    def _cancel(self) -> None:
        if not self.quiz.access.is_trainer:
            return
        from quiz import team

        table = self.query_one("#assign-table", DataTable)
        if not table.row_count:
            return
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value or ""
        aid = key.partition(":")[0]
        if not aid.isdigit():
            return
        try:
            team.cancel_assignment(self.store, int(aid), self.quiz.now())
        except UserError as e:
            self.notify(str(e), severity="error")
            return
        self.notify(t("assign.cancelled"))
        self._table()
