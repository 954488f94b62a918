"""模拟考试: a countdown, the 答题卡, answers saved as given, submit or time out.

The core :class:`ExamAttempt` draws the paper, saves every answer, keeps the
deadline and scores; this screen shows it. Text typed in an answer box is saved a
moment after the last key (the draft is the answer), and once more when the time
runs out, so what was typed is graded. A killed program resumes the attempt with
its drafts (the deadline is wall-clock time kept in the store).
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import Button, Header, Input, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from quiz.errors import UserError
from quiz.exam import ExamAttempt, ExamOver, ExamResult
from quiz.store import StoreError
from tui.app import grade_in_ui_language
from tui.i18n import join, t
from tui.keys import bind
from tui.screens.base import BrowserKeys, QuizScreen
from tui.widgets.answer import AnswerPad
from tui.widgets.answer_sheet import AnswerSheet, SheetCell
from tui.widgets.footer import QuizFooter
from tui.widgets.question import QuestionView
from tui.widgets.text import duration, plain
from tui.widgets.timer import Countdown
from tui.widgets.wrap import Paragraph

DRAFT_DELAY = 0.5
"""Seconds after the last key before the text in the answer box is saved."""


def _numbers(positions: list[int], limit: int = 20) -> str:
    shown = join(str(p + 1) for p in positions[:limit])
    return shown + ("…" if len(positions) > limit else "")


class ConfirmSubmit(BrowserKeys[bool], ModalScreen[bool]):
    """交卷确认: names the questions left unanswered (and flagged) before submitting."""

    BINDINGS: ClassVar[list[BindingType]] = [
        bind("y", "answer(True)", "exam.yes"),
        bind("n,escape", "answer(False)", "exam.no"),
    ]

    def __init__(self, unanswered: list[int], flagged: list[int]) -> None:
        super().__init__()
        self.unanswered = unanswered
        self.flagged = flagged

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(t("exam.confirm_title"), id="confirm-title")
            if self.unanswered:
                # the count on a line of its own: "还有 37 题未答" is never parted
                yield Static(Text(t("exam.confirm_unanswered", count=len(self.unanswered)), style="bold red"), id="confirm-unanswered")
                yield Static(Paragraph(Text(t("exam.confirm_numbers", list=_numbers(self.unanswered)), style="red")))
            else:
                yield Static(Text(t("exam.confirm_all"), style="green"), id="confirm-unanswered")
            if self.flagged:
                yield Static(Paragraph(Text(t("exam.confirm_flagged", list=_numbers(self.flagged)), style="yellow")))
            with Horizontal():
                yield Button(f"{t('exam.yes')} (Y)", variant="error", id="confirm-yes")
                yield Button(f"{t('exam.no')} (N)", variant="primary", id="confirm-no")

    def on_mount(self) -> None:
        self.query_one("#confirm-no", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "confirm-yes")

    def action_answer(self, value: bool) -> None:
        self.dismiss(value)


class ExamList(OptionList):
    """The exams to choose from; its Enter is in the footer (Textual's list hides it)."""

    BINDINGS: ClassVar[list[BindingType]] = [bind("enter", "select", "key.start_exam")]


class ExamPicker(QuizScreen[None]):
    """选择考试: every exam blueprint, Enter starts (or resumes) one."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield ExamList(id="exam-list")
        yield QuizFooter()

    def on_mount(self) -> None:
        self.refresh_view()
        self.query_one(OptionList).focus()

    def refresh_view(self) -> None:
        box = self.query_one(OptionList)
        box.border_title = t("exam.pick")
        box.clear_options()
        lib = self.library
        if lib is None or not lib.exams:
            box.add_option(Option(t("app.no_exams"), disabled=True))
            return
        for exam_id, exam in lib.exams.items():
            count = sum(s.count for s in exam.sections)
            line = t("exam.pick_line", title=exam.title, count=count, minutes=f"{exam.time_limit_minutes:g}",
                     pass_score=f"{exam.pass_score:g}", total=f"{exam.total_points:g}")
            box.add_option(Option(plain(line), id=exam_id))
        box.highlighted = 0

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            from tui.screens.exam import ExamScreen

            self.app.switch_screen(ExamScreen(event.option.id))


class ExamScreen(QuizScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        bind("escape", "back", "key.leave_exam"),
        # not "submit": the footer shows one key per action name, and an answer box's Ctrl+S is "submit"
        bind("ctrl+t", "submit_exam", "key.submit_exam"),
        bind("ctrl+n,pagedown", "move(1)", "key.next"),
        bind("ctrl+b,pageup", "move(-1)", "key.prev"),
        bind("ctrl+f", "flag", "key.flag"),
        bind("ctrl+g", "sheet", "key.sheet"),
    ]

    def __init__(self, exam_id: str, *, attempt: ExamAttempt | None = None) -> None:
        super().__init__()
        self.exam_id = exam_id
        self.attempt = attempt
        self.position = 0
        self._timer: Timer | None = None
        self._draft_timer: Timer | None = None
        self._over = False
        self._failing = False  # a save failed (database locked, read-only, full) and was reported

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="exam-top"):
            yield Static("", id="exam-title")
            yield Countdown(id="countdown")
        with Horizontal(id="exam-main"):
            with VerticalScroll(id="exam-question"):
                yield Static("", id="exam-section")
            with Vertical(id="exam-side"):
                yield AnswerSheet([], [], id="sheet")
                yield Static("", id="exam-status")
        yield QuizFooter()

    def on_mount(self) -> None:
        if self.attempt is None:
            try:
                self.attempt = self._open()
            except UserError as e:
                self.notify(str(e), severity="error")
                self.call_after_refresh(self.leave)
                return
        attempt = self.attempt
        if attempt.is_submitted:
            self.call_after_refresh(self._finish, attempt.submit(), True)
            return
        self.query_one("#exam-title", Static).update(plain(attempt.exam.title))
        self.query_one("#sheet", AnswerSheet).sections = [s.title for s in attempt.exam.sections]
        first_blank = next((q.position for q in attempt.questions if not q.answered), 0)
        self._show(first_blank)
        self.tick()
        self._timer = self.set_interval(1.0, self.tick)

    def _open(self) -> ExamAttempt:
        lib = self.library
        if lib is None:
            raise UserError(t("app.loading"))
        store, profile, clock = self.store, self.quiz.profile, self.quiz.clock
        info = ExamAttempt.latest_unfinished(store, profile, self.exam_id)
        if info is not None:
            attempt = ExamAttempt.resume(store, lib, info.attempt_id, now=clock, grader=grade_in_ui_language)
            if not attempt.is_submitted:
                self.notify(t("exam.resumed", time=duration(attempt.time_left().total_seconds())), timeout=4)
            return attempt
        return ExamAttempt.start(store, lib, profile, self.exam_id, now=clock, grader=grade_in_ui_language)

    # -- the clock ---------------------------------------------------------------
    def tick(self) -> None:
        """Once a second: the time left, and auto-submit when it runs out."""
        attempt = self.attempt
        if attempt is None or self._over:
            return
        if attempt.expired:
            self._save_draft()  # what was typed before the time ran out is the answer
            if self._over:
                return
        try:
            result = attempt.check_deadline()
        except StoreError as e:  # time is up but the score could not be stored: tried again next second
            self._store_failed(e)
            return
        if result is not None:
            self._finish(result, True)
            return
        self.query_one(Countdown).seconds_left = attempt.time_left().total_seconds()

    # -- showing a question --------------------------------------------------------
    def _show(self, position: int) -> None:
        attempt = self.attempt
        assert attempt is not None
        self.position = position
        try:
            attempt.visit(position)
        except StoreError:  # only the time spent on the last question: counted at the next visit
            pass
        eq = attempt.question(position)
        body = self.query_one("#exam-question", VerticalScroll)
        for old in self.query("QuestionView, AnswerPad"):
            old.remove()
        flag = "  ⚑" if eq.flagged else ""
        number = t("exam.question", n=position + 1, total=len(attempt.questions)) + flag
        body.mount(QuestionView(eq.question, number=number))
        pad = AnswerPad(eq.question, initial=eq.answer, autofocus=True)
        body.mount(pad)
        self.query_one("#exam-section", Static).update(plain(t("exam.section", title=eq.section_title, points=f"{eq.points:g}")))
        self._update_sheet()
        body.scroll_home(animate=False)

    def _update_sheet(self) -> None:
        attempt = self.attempt
        assert attempt is not None
        cells = [SheetCell(q.position, q.section, q.answered, q.flagged) for q in attempt.questions]
        self.query_one("#sheet", AnswerSheet).update_cells(cells, self.position)
        status = Text()
        status.append(f"■ {attempt.answered_count()}/{len(attempt.questions)}")
        flagged = sum(1 for q in attempt.questions if q.flagged)
        if flagged:
            status.append(f"   ⚑ {flagged}", style="yellow")
        self.query_one("#exam-status", Static).update(status)

    def _save_typed(self) -> bool:
        """Keep what is in the answer box (typed text, or choices toggled without Enter); False if it
        could not be saved (it stays in the box)."""
        return self._save_draft()

    @on(Input.Changed)
    @on(TextArea.Changed)
    def _typed(self) -> None:
        if self._over:
            return
        if self._draft_timer is not None:
            self._draft_timer.stop()
        self._draft_timer = self.set_timer(DRAFT_DELAY, self._save_draft)

    def save_now(self) -> None:
        self._save_draft()

    def _save_draft(self) -> bool:
        """Save the answer box's content as the answer of the question shown (a draft); False if it
        could not be saved."""
        if self._draft_timer is not None:
            self._draft_timer.stop()
            self._draft_timer = None
        attempt = self.attempt
        if attempt is None or self._over or attempt.is_submitted:
            return True
        for pad in self.query(AnswerPad):
            text = pad.typed_text() or pad.current_answer()
            if text.strip() != (attempt.question(self.position).answer or "").strip():
                return self._save(self.position, text, draft=True)
        return True

    def _save(self, position: int, text: str, *, draft: bool = False) -> bool:
        attempt = self.attempt
        assert attempt is not None
        try:
            attempt.answer(position, text, draft=draft)
        except ExamOver as over:
            self._finish(over.result, True)
            return False
        except StoreError as e:  # not saved: the answer stays in its box; Enter (or moving on) saves it again
            self._store_failed(e)
            return False
        self._failing = False
        if draft:
            self._update_sheet()
        return True

    def _store_failed(self, e: StoreError) -> None:
        if not self._failing:  # once, not every second
            self.notify(t("app.save_failed", message=str(e)), severity="error", timeout=8)
        self._failing = True

    @on(AnswerPad.Submitted)
    def _answered(self, event: AnswerPad.Submitted) -> None:
        attempt = self.attempt
        if attempt is None or self._over:
            return
        if not self._save(self.position, event.answer):
            return
        if self.position + 1 < len(attempt.questions):
            self._show(self.position + 1)
        else:
            self._update_sheet()
            self.notify(t("exam.saved"), timeout=1)

    @on(AnswerSheet.Jump)
    def _jump(self, event: AnswerSheet.Jump) -> None:
        if self._save_typed() and not self._over:
            self._show(event.position)

    # -- actions -------------------------------------------------------------------
    def action_move(self, step: int) -> None:
        attempt = self.attempt
        if attempt is None or self._over:
            return
        target = self.position + step
        if 0 <= target < len(attempt.questions):
            if self._save_typed() and not self._over:
                self._show(target)

    def action_flag(self) -> None:
        attempt = self.attempt
        if attempt is None or self._over:
            return
        flagged = not attempt.question(self.position).flagged
        if not self._save_typed() or self._over:
            return
        try:
            attempt.flag(self.position, flagged)
        except StoreError as e:
            self._store_failed(e)
            return
        except ExamOver as over:
            self._finish(over.result, True)
            return
        self.notify(t("exam.flagged") if flagged else t("exam.unflagged"), timeout=1)
        self._show(self.position)

    def action_sheet(self) -> None:
        self.query_one("#sheet", AnswerSheet).focus()

    def action_submit_exam(self) -> None:
        attempt = self.attempt
        if attempt is None or self._over:
            return
        if not self._save_typed() or self._over:
            return
        unanswered = [q.position for q in attempt.questions if not q.answered]
        flagged = [q.position for q in attempt.questions if q.flagged]

        def confirmed(yes: bool | None) -> None:
            if yes and self.attempt is not None and not self._over:
                try:
                    result = self.attempt.submit()
                except StoreError as e:  # not submitted: the exam goes on; submit again
                    self._failing = False
                    self._store_failed(e)
                    return
                self._finish(result, False)

        self.app.push_screen(ConfirmSubmit(unanswered, flagged), confirmed)

    def action_back(self) -> None:
        """Leaving keeps the attempt running: home offers to resume it while time is left
        (not while what was typed cannot be saved: it stays on screen)."""
        if not self._save_typed():
            return
        if self.attempt is not None and not self._over:
            try:
                self.attempt.visit(None)
            except StoreError:  # only the time spent on the last question
                pass
        self.dismiss()

    def _finish(self, result: ExamResult, timed_out: bool) -> None:
        if self._over and timed_out:
            return
        self._over = True
        if self._timer is not None:
            self._timer.stop()
        if self._draft_timer is not None:
            self._draft_timer.stop()
        if timed_out and result.auto_submitted:
            self.notify(t("exam.time_up"), severity="warning", timeout=6)
        from tui.screens.result import ResultScreen

        # a modal (the submit confirmation) may be on top when the time runs out
        while self.app.screen is not self and isinstance(self.app.screen, ModalScreen):
            self.app.pop_screen()
        self.app.switch_screen(ResultScreen(result, attempt=self.attempt))
