"""考试成绩: score, pass or fail, by section and topic, every question reviewable; exam history."""

from __future__ import annotations

from typing import ClassVar

from rich.cells import cell_len
from rich.console import Group, RenderableType
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import DataTable, Header, Static

from quiz.errors import UserError
from quiz.exam import ExamAttempt, ExamResult, QuestionResult
from quiz.model import AnyQuestion
from quiz.scores import format_score
from quiz.text import printable
from tui.app import grade_in_ui_language
from tui.i18n import colon, t
from tui.keys import bind
from tui.screens.base import QuizScreen
from tui.widgets.feedback import VERDICT_MARK, VERDICT_STYLE, feedback_renderable
from tui.widgets.footer import QuizFooter
from tui.widgets.question import question_text
from tui.widgets.table import FillTable
from tui.widgets.text import clip, duration, plain
from tui.widgets.wrap import Paragraph


def _item_lines(label: str, items: list[str], width: int, *, max_lines: int) -> list[Text]:
    """``label`` then ``items`` (each kept whole) separated by `` · ``, in at most ``max_lines`` lines
    of ``width`` cells; items that do not fit are counted at the end (``…+3``)."""
    lines: list[Text] = [Text(label, style="bold")]
    items = [printable(item, one_line=True) for item in items]  # topic names: bank text
    sep = " · "
    for i, item in enumerate(items):
        line = lines[-1]
        gap = sep if line.plain.strip() and not line.plain.endswith(colon()) else ""
        left = len(items) - i
        more = f"{sep}…+{left - 1}" if left > 1 else ""
        fits = line.cell_len + cell_len(gap + item) + (cell_len(more) if len(lines) == max_lines else 0) <= width
        if fits:
            line.append(gap + item)
            continue
        if len(lines) < max_lines and cell_len(item) <= width:
            lines.append(Text(item))
            continue
        line.append(f"{gap}…+{left}", style="dim")
        break
    return lines


def _pts(x: float) -> str:
    return format_score(x)


class ResultScreen(QuizScreen[None]):
    """The result of one attempt, reviewed as a learner expects (驾考宝典-style): every question,
    or only the ones missed (``w``); ``r`` practises exactly the missed ones (错题重练). The
    highlighted question is shown in full below the table."""

    BINDINGS: ClassVar[list[BindingType]] = [
        bind("w", "missed_only(True)", "key.missed_only"),
        bind("w", "missed_only(False)", "key.show_all"),
        bind("r", "retry", "key.retry"),
        bind("h", "app.history", "key.history"),
        bind("d", "dispute", "key.dispute"),
    ]

    def __init__(self, result: ExamResult, *, attempt: ExamAttempt | None = None) -> None:
        super().__init__()
        self.result = result
        self.attempt = attempt
        self.missed_only = False
        self.current: QuestionResult | None = None  # the question highlighted in the table
        self.disputes: dict[int, str] = attempt.disputed() if attempt is not None else {}

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="result-head")
        with Horizontal(id="result-tables"):
            yield DataTable(id="result-sections", cursor_type="none", zebra_stripes=True)
            yield DataTable(id="result-topics", cursor_type="none", zebra_stripes=True)
        yield Static(id="result-breakdown")  # the two tables as two lines, on a short screen
        yield FillTable(id="result-questions", cursor_type="row", zebra_stripes=True)
        with VerticalScroll(id="review-detail-box"):
            yield Static(id="review-detail")
        yield QuizFooter()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "missed_only":
            return parameters[0] != self.missed_only  # one ``w`` shows in the footer: the switch to make
        if action == "retry":
            return bool(self.result.missed()) or None  # shown greyed out when nothing was missed
        if action == "dispute":
            return self._disputable(self.current) or None
        return True

    def _disputable(self, qr: QuestionResult | None) -> bool:
        """我答对了: a question of this attempt answered and not graded correct, not disputed already."""
        return (self.attempt is not None and qr is not None and qr.answered and qr.result.verdict != "correct"
                and self.disputes.get(qr.position) not in ("open", "accepted"))

    def action_dispute(self) -> None:
        """我答对了 on the highlighted question: a trainer reviews it with the exam beside it."""
        qr = self.current
        if self.attempt is None or qr is None or not self._disputable(qr):
            self.notify(t("result.dispute_none"), timeout=2)
            return
        try:
            self.attempt.dispute(qr.position)
        except UserError as e:  # a locked or read-only database (StoreError), or nothing to dispute
            self.notify(str(e), severity="error")
            return
        self.disputes[qr.position] = "open"
        self.notify(t("study.disputed"))
        self._detail(qr)
        self.refresh_bindings()

    def action_missed_only(self, on: bool) -> None:
        """只看错题: the table lists only the questions not answered fully right (and back)."""
        self.missed_only = on
        self._fill_questions()
        self.refresh_bindings()

    def action_retry(self) -> None:
        """错题重练: a practice session on exactly the questions this attempt missed."""
        missed = self.result.missed()
        if not missed:
            self.notify(t("result.nothing_missed"))
            return
        self.quiz.open_study("retry", qids=tuple(q.qid for q in missed))

    def on_mount(self) -> None:
        self.refresh_view()
        self.query_one("#result-questions", DataTable).focus()

    def refresh_view(self) -> None:
        r = self.result
        head = Text()
        keep: list[tuple[int, int]] = []  # each piece moves whole when the row wraps (时间到，已自动交卷)

        def piece(text: str, style: str, gap: str = "   ") -> None:
            head.append(gap)
            start = len(head)
            head.append(text, style=style)
            keep.append((start, len(head)))

        head.append(t("result.title") + "  ", style="bold")
        head.append(printable(r.title) + "\n")
        piece(t("result.score", score=_pts(r.score), total=_pts(r.total)), "bold", gap="")
        piece(f" {t('result.pass') if r.passed else t('result.fail')} ", "bold reverse green" if r.passed else "bold reverse red")
        piece(t("result.pass_line", score=_pts(r.pass_score)), "dim")
        piece(t("result.time_used", time=duration(r.seconds_used)), "dim")
        if r.auto_submitted:
            piece(t("exam.time_up"), "yellow")
        if r.unanswered:
            head.append("\n" + t("result.not_answered_note", count=r.unanswered), style="dim")
        self.query_one("#result-head", Static).update(Paragraph(head, keep=keep))

        sections = self.query_one("#result-sections", DataTable)
        sections.border_title = t("result.sections")
        self.query_one("#result-topics", DataTable).border_title = t("result.topics")
        sections.clear(columns=True)
        sections.add_columns(t("result.col.section"), t("result.col.correct"), t("result.col.score"))
        for s in r.sections:
            sections.add_row(plain(s.title), f"{s.correct}/{s.count}", f"{_pts(s.earned)}/{_pts(s.points)}")
        topics = self.query_one("#result-topics", DataTable)
        topics.clear(columns=True)
        topics.add_columns(t("result.col.topic"), t("result.col.correct"), t("result.col.score"))
        for tp in r.topics:
            topics.add_row(plain(tp.topic or t("browse.no_topic")), f"{tp.correct}/{tp.count}", f"{_pts(tp.earned)}/{_pts(tp.points)}")

        self._show_breakdown()
        self._fill_questions()

    def on_resize(self) -> None:
        self._show_breakdown()

    def _show_breakdown(self) -> None:
        """On a short screen the two tables as lines of whole items: every section, then the
        weakest topics first, as many as two lines hold (the rest counted)."""
        r = self.result
        width = max(20, self.size.width - 2)
        sections = [f"{s.title} {s.correct}/{s.count}" for s in r.sections]
        weakest = sorted(r.topics, key=lambda tp: (tp.correct / tp.count if tp.count else 1.0, -tp.count))
        topics = [f"{tp.topic or t('browse.no_topic')} {tp.correct}/{tp.count}" for tp in weakest]
        lines = _item_lines(t("result.sections") + colon(), sections, width, max_lines=2)
        lines += _item_lines(t("result.topics_weakest") + colon(), topics, width, max_lines=2)
        self.query_one("#result-breakdown", Static).update(Text("\n").join(lines))

    def _fill_questions(self) -> None:
        r = self.result
        table = self.query_one("#result-questions", DataTable)
        shown = r.missed() if self.missed_only else r.questions
        table.border_title = (t("result.questions_missed", count=len(shown), total=len(r.questions))
                              if self.missed_only else t("result.questions"))
        table.clear(columns=True)
        table.add_columns(t("result.col.n"), t("result.col.verdict"), t("result.col.score"), t("result.col.prompt"))
        width = max(20, self.size.width - 30)
        for qr in shown:
            if qr.answered:
                verdict = Text(f"{VERDICT_MARK[qr.result.verdict]} {t('verdict.' + qr.result.verdict)}", style=VERDICT_STYLE[qr.result.verdict])
            else:
                verdict = Text(f"– {t('result.not_answered')}", style="dim")
            prompt = self._question(qr)
            table.add_row(str(qr.position + 1), verdict, f"{_pts(qr.earned)}/{_pts(qr.points)}",
                          plain(clip(prompt.prompt if prompt else qr.qid, width)), key=str(qr.position))
        if shown:
            self._detail(shown[0])
        else:
            self.query_one("#review-detail", Static).update(Text(t("result.nothing_missed"), style="green"))

    def _question(self, qr: QuestionResult) -> AnyQuestion | None:
        """The question as the learner saw it (choices in the shuffled order)."""
        if self.attempt is not None and qr.position < len(self.attempt.questions):
            return self.attempt.question(qr.position).question
        lib = self.library
        item = lib.find(qr.qid) if lib is not None else None
        return item.question if item is not None else None

    def _detail(self, qr: QuestionResult) -> None:
        self.current = qr
        self.refresh_bindings()
        q = self._question(qr)
        box = self.query_one("#review-detail", Static)
        if q is None:
            box.update(plain(qr.qid, style="dim"))
            return
        if not qr.answered:  # nothing was graded: the question, 未作答, and the right answer
            box.update(Group(
                Paragraph(question_text(q, number=f"#{qr.position + 1}")), Text(""),
                Text(t("result.not_answered"), style="bold"),
                Text.assemble((t("feedback.expected") + "  ", "bold"), (printable(q.expected_text()), "green")),
            ))
        else:
            answer = qr.answer or t("result.unanswered")
            parts: list[RenderableType] = [Paragraph(question_text(q, number=f"#{qr.position + 1}")), Text(""), feedback_renderable(q, qr.result, answer)]
            status = self.disputes.get(qr.position)
            if status is not None:
                parts.append(Text(t(f"result.dispute.{status}"),
                                  style={"open": "yellow", "accepted": "green", "rejected": "red"}.get(status, "")))
            box.update(Group(*parts))
        self.query_one("#review-detail-box", VerticalScroll).scroll_home(animate=False)

    @on(DataTable.RowHighlighted, "#result-questions")
    def _row(self, event: DataTable.RowHighlighted) -> None:
        key = event.row_key.value
        if key is None:
            return
        pos = int(key)
        for qr in self.result.questions:
            if qr.position == pos:
                self._detail(qr)
                return


class HistoryScreen(QuizScreen[None]):
    """考试记录: every submitted attempt, newest first; Enter reviews one."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable(id="history", cursor_type="row", zebra_stripes=True)
        yield QuizFooter()

    def on_mount(self) -> None:
        self.refresh_view()
        self.query_one(DataTable).focus()

    def refresh_view(self) -> None:
        table = self.query_one(DataTable)
        table.border_title = t("result.history")
        table.clear(columns=True)
        table.add_columns(t("result.col.date"), t("result.col.exam"), t("result.col.score"), t("result.col.verdict"))
        attempts = [a for a in ExamAttempt.history(self.store, self.quiz.profile) if a.submitted is not None]
        lib = self.library
        for a in attempts:
            title = lib.exams[a.exam_id].title if lib is not None and a.exam_id in lib.exams else a.exam_id
            passed = Text(t("result.pass") if a.passed else t("result.fail"), style="green" if a.passed else "red")
            when = a.started.astimezone().strftime("%Y-%m-%d %H:%M")
            table.add_row(when, plain(title), f"{_pts(a.score or 0)}/{_pts(a.total)}", passed, key=str(a.attempt_id))
        if not attempts:
            table.add_row(t("result.no_history"), "", "", "")

    @on(DataTable.RowSelected)
    def _open(self, event: DataTable.RowSelected) -> None:
        key = event.row_key.value
        if not key or not key.isdigit() or self.library is None:
            return
        try:
            attempt = ExamAttempt.resume(self.store, self.library, int(key), now=self.quiz.clock, grader=grade_in_ui_language)
        except (UserError, KeyError, ValueError) as e:
            self.notify(str(e), severity="error")
            return
        if attempt.profile != self.quiz.profile:  # never another learner's paper
            return
        result = attempt.result()
        if result is not None:
            self.app.push_screen(ResultScreen(result, attempt=attempt))
