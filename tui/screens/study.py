"""练习: one question at a time from a core :class:`StudySession`, feedback, rating, summary.

The session decides what comes next, grades, records and schedules; this screen
shows its state and forwards the learner's keys.
"""

from __future__ import annotations

import gc
from dataclasses import replace
from datetime import datetime
from typing import ClassVar

from rich.console import Group
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.timer import Timer
from textual.widgets import Header, Input, ProgressBar, Static, TextArea

from quiz import stats
from quiz.errors import UserError
from quiz.scheduler import Rating
from quiz.session import AnswerOutcome, Filters, SessionSummary, StudyItem, StudyMode, StudySession, study_day
from quiz.store import StoreError
from tui.app import grade_in_ui_language
from tui.i18n import t
from tui.keys import bind
from tui.screens.base import QuizScreen
from tui.widgets.answer import AnswerPad
from tui.widgets.feedback import CHOICE_TYPES, FeedbackPanel
from tui.widgets.footer import QuizFooter
from tui.widgets.question import QuestionView
from tui.widgets.text import duration, relative
from tui.widgets.wrap import NBSP, Paragraph


def _whole(text: str) -> str:
    """``text`` that a wrapping line keeps in one piece (its inner spaces made no-break)."""
    core = text.strip(" ")
    start = text.index(core) if core else 0
    return text[:start] + core.replace(" ", NBSP) + text[start + len(core):]


RETRY_SECONDS = 2.0  # a failed save (database locked, read-only, disk full) is tried again this often

RATING_KEYS = {Rating.Again: "key.again", Rating.Hard: "key.hard", Rating.Good: "key.good", Rating.Easy: "key.easy"}
DRAFT_DELAY = 0.5
"""Seconds after the last key before the text in the answer box is saved as a draft."""


class StudyScreen(QuizScreen[None]):
    """States: ``asking`` (input focused), ``feedback`` (after grading), ``memorize``
    (背题模式: the answer shown), ``done`` (the summary)."""

    # The same keys as in an exam where they mean the same: ^n moves on, ^f marks the question
    # (收藏 here, 标记 there); ^b is an exam's 上一题 and unused here.
    BINDINGS: ClassVar[list[BindingType]] = [
        bind("1", "rate(1)", "key.again", show=False),
        bind("2", "rate(2)", "key.hard", show=False),
        bind("3", "rate(3)", "key.good", show=False),
        bind("4", "rate(4)", "key.easy", show=False),
        bind("enter,n", "next", "key.next"),
        bind("enter", "finish", "key.home_back"),
        bind("d", "dispute", "key.dispute"),
        bind("ctrl+n", "skip", "key.skip"),
        bind("ctrl+f", "bookmark", "key.bookmark"),
        bind("ctrl+r", "memorize", "key.memorize"),
        bind("ctrl+r", "memorize_off", "key.memorize_off"),  # the same key, offered as the way out
    ]

    def __init__(
        self,
        mode: str = "smart",
        *,
        topic: str | None = None,
        bank: str | None = None,
        qids: tuple[str, ...] = (),
        session: StudySession | None = None,
    ) -> None:
        super().__init__()
        self.mode = mode
        self.filters = Filters(
            topics=(topic,) if topic is not None else (), banks=(bank,) if bank is not None else (), qids=qids
        )
        self.session = session
        self.state = "asking"
        self.item: StudyItem | None = None
        self.outcome: AnswerOutcome | None = None
        self.shown_at: datetime | None = None
        self.summary: SessionSummary | None = None
        self._draft_timer: Timer | None = None
        self._retry: Timer | None = None  # a failed save of the answer, tried again
        self._failing = False  # a save failed (database locked, read-only, full) and was reported

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="study-top"):
            yield Static("", id="study-mode")
            yield ProgressBar(show_eta=False, id="study-progress")
            yield Static("", id="study-count")
        with VerticalScroll(id="study-body"):
            yield Static("", id="study-tags")
            yield Static(id="question-slot")
            yield Static(id="answer-slot")
            yield FeedbackPanel(id="feedback")
        # outside the scrolling body: the rating (and the summary's way out) stay on screen
        yield Static("", id="rating")
        yield QuizFooter()

    def on_mount(self) -> None:
        self.query_one("#feedback").display = False
        self.query_one("#rating").display = False
        if self.session is None:
            try:
                self.session = self._start(self.mode)
            except UserError as e:
                self.notify(str(e), severity="error")
                self.call_after_refresh(self.leave)
                return
        self.mode = self.session.mode
        self._show_current()

    def _start(self, mode: str) -> StudySession:
        lib = self.library
        if lib is None:
            raise UserError(t("app.loading"))
        if mode == "smart" and not self.filters.empty:
            mode = "focus"
        chosen: StudyMode = mode  # type: ignore[assignment]
        return StudySession.start(
            self.store, lib, self.quiz.profile, chosen, self.filters, now=self.quiz.clock, grader=grade_in_ui_language
        )

    # -- showing ---------------------------------------------------------------
    def _show_current(self) -> None:
        assert self.session is not None
        item = self.session.current()
        if item is None and self.session.memorize:  # 背题模式 ran past the end: back to the place
            self.session.set_memorize(False)
            self.notify(t("study.memorize_off", n=self.session.progress()[0] + 1), timeout=2)
            item = self.session.current()
        self.item = item
        self.outcome = None
        self._update_progress()
        if item is None:
            self._show_summary()
            return
        q = item.question
        memorize = item.show_answer
        self.state = "memorize" if memorize else "asking"
        body = self.query_one("#study-body", VerticalScroll)
        for old in self.query("QuestionView, AnswerPad"):
            old.remove()
        body.mount(QuestionView(q, number=t("study.progress", n=item.index + 1, total=item.total)), after="#study-tags")
        draft = None if memorize else self.session.draft()
        pad = AnswerPad(q, initial=draft, locked=memorize, show_key=memorize, autofocus=not memorize)
        if draft:
            self.notify(t("study.draft_restored"), timeout=2)
        body.mount(pad, before="#feedback")
        self._update_tags()
        fb = self.query_one("#feedback", FeedbackPanel)
        rating = self.query_one("#rating", Static)
        rating.display = False
        if memorize:
            fb.show(q, None, None)
            body.focus()
        else:
            fb.display = False
        body.scroll_home(animate=False)
        self.shown_at = self.quiz.now()
        self.refresh_bindings()
        # While the learner reads, collect garbage, so that a full collection is
        # unlikely to land between their Enter and the feedback.
        self.set_timer(0.15, gc.collect)

    def _update_tags(self) -> None:
        item = self.item
        if item is None:
            return
        tags = Text()
        tags.append(f" {t('study.state.' + item.state)} ", style="reverse")
        if item.bookmarked:
            tags.append(f"  ★ {t('study.bookmarked')}", style="yellow")
        if item.in_wrong_book:
            tags.append(f"  ✗ {t('study.in_wrong_book')}", style="red")
        if item.flagged_changed:
            tags.append(f"  ⚠ {t('study.changed')}", style="magenta")
        if item.leech:
            tags.append(f"  ‼ {t('study.leech', count=item.fails)}", style="bold red")
        self.query_one("#study-tags", Static).update(tags)

    def _update_progress(self) -> None:
        """The one progress counter: the number of the question shown (as in its heading) of the
        session's questions; updated when a question is shown, so the two always agree."""
        assert self.session is not None
        done, total = self.session.progress()
        bar = self.query_one("#study-progress", ProgressBar)
        bar.update(total=max(total, 1), progress=done)
        mode = "browse" if self.session.memorizing else self.session.mode
        self.query_one("#study-mode", Static).update(Text(t(f"mode.{mode}"), style="bold"))
        self.query_one("#study-count", Static).update(f"{min(done + 1, total)}/{total}" if done < total else f"{done}/{total}")

    # -- drafts ------------------------------------------------------------------
    @on(Input.Changed)
    @on(TextArea.Changed)
    def _typed(self) -> None:
        """Save what is typed a moment after the last key (a killed terminal loses at most that)."""
        if self.state != "asking":
            return
        if self._draft_timer is not None:
            self._draft_timer.stop()
        self._draft_timer = self.set_timer(DRAFT_DELAY, self._save_draft)

    def save_now(self) -> None:
        self._save_draft()

    def _save_draft(self) -> None:
        if self._draft_timer is not None:
            self._draft_timer.stop()
            self._draft_timer = None
        if self.session is None or self.state != "asking":
            return
        for pad in self.query(AnswerPad):
            try:
                self.session.save_draft(pad.typed_text())
            except StoreError as e:  # the text is still in the box; saved with the answer, or at the next key
                self._store_failed(e)

    def _store_failed(self, e: StoreError, key: str = "app.save_failed_retry") -> None:
        """Say once that saving failed (database locked, read-only, disk full), not at every attempt."""
        if not self._failing:
            self.notify(t(key, message=str(e)), severity="error", timeout=8)
        self._failing = True

    # -- answering -------------------------------------------------------------
    @on(AnswerPad.Submitted)
    def _answered(self, event: AnswerPad.Submitted) -> None:
        self._submit(event.answer)

    def _submit(self, answer: str, *, retry: bool = False) -> None:
        if self.state != "asking" or self.session is None or self.item is None:
            return
        if self._retry is not None:
            self._retry.stop()
            self._retry = None
        now = self.quiz.now()
        seconds = (now - self.shown_at).total_seconds() if self.shown_at else None
        if self._draft_timer is not None:
            self._draft_timer.stop()
            self._draft_timer = None
        try:
            outcome = self.session.answer(answer, seconds)
        except StoreError as e:
            # Nothing was recorded: the answer stays on screen, and is tried again in a moment
            # (Enter tries at once). The session has not moved on.
            if not retry:
                self._failing = False
                self._store_failed(e, "app.save_failed")
            self._retry = self.set_timer(RETRY_SECONDS, lambda: self._submit(answer, retry=True))
            return
        if self._failing:
            self.notify(t("app.saved_after_all"), timeout=3)
            self._failing = False
        self.outcome = outcome
        self.state = "feedback"
        q = self.item.question
        typed = q.type not in CHOICE_TYPES
        for pad in self.query(AnswerPad):
            pad.freeze(show_key=True)
            if typed:  # the feedback shows what was written, marked up: once is enough
                pad.display = False
        feedback = self.query_one("#feedback", FeedbackPanel)
        feedback.show(q, outcome.result, answer, show_answer=typed)
        self._show_rating()
        if outcome.added_to_wrong_book:
            self.notify(t("study.added_wrong_book"), timeout=2)
        elif outcome.left_wrong_book:
            self.notify(t("study.left_wrong_book"), timeout=2)
        body = self.query_one("#study-body", VerticalScroll)
        body.focus()
        self.call_after_refresh(body.scroll_to_widget, feedback, animate=False, top=True)
        self.refresh_bindings()

    def _show_rating(self) -> None:
        outcome = self.outcome
        line = Text()
        keep: list[tuple[int, int]] = []  # each piece is kept whole when the row wraps (下次复习：10 分钟后)

        def piece(text: str, style: str, gap: str = "") -> None:
            line.append(gap)
            start = len(line)
            line.append(_whole(text), style=style)
            keep.append((start, len(line)))

        if outcome is not None and outcome.rating is not None:
            piece(t("study.rate_line"), "bold")
            for r, key in RATING_KEYS.items():
                piece(f" {int(r)} {t(key)} ", "reverse bold" if r == outcome.rating else "dim", gap=" " if r > 1 else "")
            if outcome.next_due is not None:
                piece(t("study.next_due", when=relative(outcome.next_due, self.quiz.now())), "cyan", gap="    ")
            if outcome.in_wrong_book and not outcome.added_to_wrong_book:
                piece(t("study.wrong_streak", streak=outcome.wrong_streak), "dim", gap="   ")
        rating = self.query_one("#rating", Static)
        rating.update(Paragraph(line, keep=keep))
        rating.display = True

    # -- bindings --------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("rate", "dispute"):
            return self.state == "feedback" and self.outcome is not None and self.outcome.rating is not None
        if action == "next":
            return self.state in ("feedback", "memorize")
        if action == "finish":
            return self.state == "done"
        if action == "skip":
            return self.state == "asking"
        if action == "bookmark":
            return self.state != "done"
        if action in ("memorize", "memorize_off"):
            memorizing = self.session is not None and self.session.memorizing
            return self.state != "done" and memorizing == (action == "memorize_off")
        return True

    def action_rate(self, value: int) -> None:
        if self.session is None or self.state != "feedback":
            return
        before = self.outcome
        try:
            self.outcome = self.session.override_rating(Rating(value))
        except StoreError as e:
            self._failing = False
            self._store_failed(e)
            return
        self._show_rating()
        self.notify(t("study.rating_changed", rating=t(RATING_KEYS[Rating(value)])), timeout=1.5)
        if before is not None and before.in_wrong_book != self.outcome.in_wrong_book:
            self.notify(t("study.added_wrong_book") if self.outcome.in_wrong_book else t("study.left_wrong_book"), timeout=2)

    def action_finish(self) -> None:
        self.dismiss()

    def action_next(self) -> None:
        if self.state == "done":
            self.dismiss()
            return
        if self.session is None:
            return
        if self.state == "memorize":
            try:
                self.session.skip()
            except StoreError as e:
                self._failing = False
                self._store_failed(e)
                return
        self._show_current()

    def action_skip(self) -> None:
        if self.session is not None and self.state == "asking":
            self._save_draft()
            try:
                self.session.skip()
            except StoreError as e:
                self._failing = False
                self._store_failed(e)
                return
            self._show_current()

    def action_dispute(self) -> None:
        if self.session is not None and self.state == "feedback":
            try:
                self.session.dispute_last()
            except StoreError as e:
                self._failing = False
                self._store_failed(e)
                return
            self.notify(t("study.disputed"))

    def action_bookmark(self) -> None:
        item = self.item
        if item is None:
            return
        try:
            on_now = self.store.toggle_bookmark(self.quiz.profile, item.qid, self.quiz.now())
        except StoreError as e:
            self._failing = False
            self._store_failed(e)
            return
        self.item = replace(item, bookmarked=on_now)
        self._update_tags()
        self.notify(t("study.bookmarked") if on_now else t("study.unbookmarked"), timeout=1.5)

    def action_memorize(self) -> None:
        """Switch between answering and 背题模式 in the same session: the place is kept, and
        switching back returns to the question where 背题模式 was switched on."""
        if self.session is None:
            return
        if self.state == "asking":
            self._save_draft()
        on_now = not self.session.memorizing
        try:
            self.session.set_memorize(on_now)
        except StoreError as e:
            self._failing = False
            self._store_failed(e)
            return
        if on_now:
            self.notify(t("study.memorize_on"), timeout=2)
        else:
            self.notify(t("study.memorize_off", n=self.session.progress()[0] + 1), timeout=2)
        self._show_current()

    def action_memorize_off(self) -> None:
        """退出背题: the same switch, shown as the way back while 背题模式 is on."""
        self.action_memorize()

    def action_back(self) -> None:
        """Leave; an unfinished session stays in the store and home offers to continue it."""
        if self.state == "asking":
            self._save_draft()
        if self._retry is not None:
            self._retry.stop()
        self.dismiss()

    # -- the end -----------------------------------------------------------------
    def _show_summary(self) -> None:
        assert self.session is not None
        self.state = "done"
        try:
            summary = self.session.finish()
        except StoreError:  # not marked finished: home offers to continue it, which ends it at once
            summary = self.session.summary()
        self.summary = summary
        for old in self.query("QuestionView, AnswerPad"):
            old.remove()
        self.query_one("#study-tags", Static).update("")
        lines: list[Text] = [Text(t("summary.title"), style="bold")]
        if not summary.total:
            lines = [Text(t("study.no_questions"), style="bold")]
        else:
            acc = summary.accuracy
            line = Text(t("summary.answered", count=summary.answered))
            if acc is not None:
                line.append("  ·  " + t("summary.accuracy", percent=round(acc * 100)))
            line.append("  ·  " + t("summary.time", time=duration(summary.seconds)))
            lines.append(line)
            lines.append(Text(f"✓ {summary.correct}   ◐ {summary.partial}   ✗ {summary.wrong}", style="bold"))
        if self.library is not None:
            forecast = stats.due_forecast(self.store, self.library, self.quiz.profile, self.quiz.now(), days=7)
            coming = [(d, n) for d, n in forecast if n]
            lines.append(Text(""))
            lines.append(Text(t("summary.due_list"), style="bold"))
            if not coming:
                lines.append(Text(t("summary.nothing_due"), style="dim"))
            today = study_day(self.quiz.now(), None, self.quiz.settings.day_start_hour)
            for d, n in coming[:5]:
                days = (d - today).days
                day = t("common.today") if days <= 0 else t("common.tomorrow") if days == 1 else t("common.in_days", days=days)
                lines.append(Text("  " + t("summary.due_day", day=f"{day} {d:%m-%d}", count=n)))
        self.query_one("#rating", Static).display = False
        summary_box = self.query_one("#feedback", FeedbackPanel)
        summary_box.remove_class("-correct", "-partial", "-wrong")
        summary_box.update(Group(*(Paragraph(line) for line in lines)))
        summary_box.display = True
        body = self.query_one("#study-body", VerticalScroll)
        body.focus()
        body.scroll_home(animate=False)
        self.refresh_bindings()
