"""首页: today's work, banks and topics with mastery, exams with readiness, entries to everything."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, ClassVar

from rich.cells import cell_len
from rich.console import Group
from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Header, OptionList, Static
from textual.widgets.option_list import Option

from quiz.scores import format_score, score_range
from quiz.text import printable
from tui.i18n import t
from tui.keys import bind
from tui.screens.base import QuizScreen
from tui.widgets.footer import QuizFooter
from tui.widgets.text import clip, duration, fit, meter

if TYPE_CHECKING:  # the core is imported by the worker, after the first paint
    from quiz.exam import AttemptInfo
    from quiz.library import Library
    from quiz.session import SessionInfo
    from quiz.stats import ExamHistoryEntry, Overview, Readiness, TopicStats
    from quiz.team import AssignmentStatus, DisputeCase

MENU: tuple[tuple[str, str], ...] = (
    ("study", "home.menu.study"),
    ("sequential", "home.menu.sequential"),
    ("random", "home.menu.random"),
    ("exam", "key.exam"),
    ("history", "key.history"),
    ("wrong_book", "home.menu.wrong_book"),
    ("bookmarks", "home.menu.bookmarks"),
    ("stats", "home.menu.stats"),
    ("browse", "home.menu.browse"),
    ("settings", "home.menu.settings"),
    ("trainer", "home.menu.trainer"),
    ("logout", "home.menu.logout"),
)


@dataclass(frozen=True)
class HomeData:
    """What the home screen shows, read from the core in a worker."""

    library: Library  # the banks, or their light index (quiz.index) before the banks are loaded
    overview: Overview
    session: SessionInfo | None
    attempt: AttemptInfo | None
    best: dict[str, ExamHistoryEntry]
    readiness: dict[str, Readiness]
    tasks: list[AssignmentStatus]  # what a trainer set this learner (quiz.team)
    notices: list[DisputeCase]  # this learner's disputes resolved lately


class HomeScreen(QuizScreen[None]):
    # most useful first: at 80 columns the footer shows what fits and the palette the rest
    BINDINGS: ClassVar[list[BindingType]] = [
        bind("s", "app.study('smart')", "key.study"),
        bind("c", "continue", "key.continue"),
        bind("e", "app.exam", "key.exam"),
        bind("w", "app.wrong_book", "key.wrong_book"),
        bind("f", "app.bookmarks", "key.bookmarks"),
        bind("t", "app.stats", "key.stats"),
        bind("m", "toggle_menu", "key.menu"),
        bind("b", "app.browse", "key.browse"),
        bind("o", "app.settings", "key.settings"),
        bind("q", "app.quit", "key.quit", show=False),
        bind("l", "app.logout", "key.logout"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.data: HomeData | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="home-top"):
            yield Static(t("app.loading"), id="today")
            yield Static("", id="continue")
        yield Static("", id="home-notes")
        with Horizontal(id="home-main"):
            with Vertical(id="home-left"):
                yield OptionList(id="topics")
                yield OptionList(id="exams")
            yield OptionList(id="menu")
        yield QuizFooter()

    def on_mount(self) -> None:
        self.query_one("#home-notes").display = False
        self.query_one("#topics").border_title = t("home.banks")
        self.query_one("#exams").border_title = t("home.exams")
        self.query_one("#menu").border_title = t("home.menu")
        self._fill_menu()
        # below 100 columns the menu is folded away: the focus goes to what is on screen (the -narrow
        # class is not set yet at the first mount, so the width is read from the terminal)
        narrow = self.has_class("-narrow") or self.app.size.width < 100
        self.query_one("#topics" if narrow else "#menu", OptionList).focus()
        self.refresh_view()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "back":
            return False  # home is the bottom of the stack
        if action == "toggle_menu":
            return self.has_class("-narrow")  # the menu is always there on a wide screen
        return True

    def action_toggle_menu(self) -> None:
        """Below 100 columns the menu folds away; ``m`` shows it (and hides it again)."""
        menu = self.query_one("#menu", OptionList)
        opened = not self.has_class("-menu-open")
        self.set_class(opened, "-menu-open")
        if opened:
            menu.focus()
        else:
            self.query_one("#topics", OptionList).focus()
        if self.data is not None:  # the lists changed width: their rows are laid out again
            self.call_after_refresh(self._show, self.data)

    def on_resize(self, event: events.Resize) -> None:
        if self.data is not None:
            self.call_after_refresh(self._show, self.data)

    def on_screen_resume(self) -> None:
        self.refresh_view()

    def refresh_view(self) -> None:
        self.query_one("#topics").border_title = t("home.banks")
        self.query_one("#exams").border_title = t("home.exams")
        self.query_one("#menu").border_title = t("home.menu")
        self._fill_menu()
        if self.quiz.ready:
            self.load_data()

    def _fill_menu(self) -> None:
        menu = self.query_one("#menu", OptionList)
        highlighted = menu.highlighted
        menu.clear_options()
        access = self.quiz.access
        menu.add_options([
            Option(t(key), id=action) for action, key in MENU
            if access.allows(action) and (action != "logout" or access.served)
        ])
        menu.highlighted = highlighted if highlighted is not None else 0

    # -- data ---------------------------------------------------------------
    @work(thread=True, exclusive=True, group="home")
    def load_data(self) -> None:
        if not self.quiz.ready or self.library is None:
            return
        data = self.compute(self.library)
        self.app.call_from_thread(self._show, data)

    def compute(self, lib: Library, *, assignments: bool = True) -> HomeData:
        """The numbers, from the core (in a worker thread); ``lib`` may be the light index of the
        banks (:mod:`quiz.index`) before they are loaded (then without the trainer's assignments, which need the banks)."""
        from quiz import stats, team
        from quiz.exam import ExamAttempt
        from quiz.session import StudySession

        store, profile, now = self.store, self.quiz.profile, self.quiz.now()
        ov = stats.overview(store, lib, profile, now)
        session = StudySession.latest_unfinished(store, profile)
        attempt = ExamAttempt.latest_unfinished(store, profile)
        best = stats.best_scores(store, profile)
        readiness: dict[str, Readiness] = {}
        for exam_id in lib.exams:
            readiness[exam_id] = stats.exam_readiness(store, lib, profile, exam_id, now)
        tasks = [st for st in team.learner_assignments(store, lib, profile, now)
                 if not st.done or now - st.assignment.due < timedelta(days=1)] if assignments else []
        return HomeData(lib, ov, session, attempt, best, readiness, tasks, team.notices(store, profile, now))

    def show_preview(self, data: HomeData) -> None:
        """Numbers from the index of the banks: shown unless the banks' own came first."""
        if self.data is None or self.data.library is data.library:
            self._show(data)

    def _show(self, data: HomeData) -> None:
        if not self.is_attached:  # the app closed while the worker ran
            return
        self.data = data
        ov = data.overview
        lib = data.library
        today = Text()
        today.append(f"{t('home.today')}  ", style="bold")
        today.append(t("home.due", count=ov.due), style="bold yellow")
        today.append("  ·  ")
        today.append(t("home.new", count=ov.new_left_today), style="bold cyan")
        if ov.suggested_daily_new:
            today.append(" (" + t("home.suggest_new", count=ov.suggested_daily_new) + ")", style="cyan")
        today.append("  ·  ")
        today.append(t("home.streak", days=ov.streak), style="bold magenta")
        if ov.leeches:
            today.append("  ·  ")
            today.append(t("home.leeches", count=ov.leeches), style="bold red")
        today.append("    ")
        today.append(t("home.profile", profile=printable(ov.profile, one_line=True)), style="dim")
        self.query_one("#today", Static).update(today)
        self.query_one("#continue", Static).update(self._continue_text(data))
        exams_box = self.query_one("#exams")
        exams_box.border_title = t("home.exams")
        if ov.days_to_exam is not None and ov.days_to_exam > 0:
            exams_box.border_title += " · " + t("home.exam_countdown", days=ov.days_to_exam)
        self._show_notes(data)
        topics = self.query_one("#topics", OptionList)
        highlighted = topics.highlighted
        topics.clear_options()
        if lib is not None:
            by_topic = {ts.topic: ts for ts in ov.topics}
            by_bank = {bs.topic: bs for bs in ov.banks}
            rows: list[tuple[str, bool, TopicStats | None, str]] = []  # label, is a bank, stats, option id
            for bank_id, bank in lib.banks.items():
                items = lib.select(banks=[bank_id])
                names = list(dict.fromkeys(it.topic for it in items))
                rows.append((t("home.bank_line", title=bank.title, count=len(items)), True, by_bank.get(bank_id), f"bank:{bank_id}"))
                if len(names) == 1:  # one topic: the bank's line says it all
                    continue
                for topic in names:
                    rows.append((topic or t("browse.no_topic"), False, by_topic.get(topic), f"topic:{topic}"))
            width = topics.scrollable_content_region.width
            if len(rows) > topics.scrollable_content_region.height and not topics.show_vertical_scrollbar:
                width -= topics.styles.scrollbar_size_vertical  # the scrollbar the rows are about to need
            label_w, bar_w = self._row_widths([("" if is_bank else "  ") + label for label, is_bank, *_ in rows], width)
            for label, is_bank, ts, oid in rows:
                head = Text(fit(label, label_w), style="bold") if is_bank else Text("  " + fit(label, label_w - 2))
                topics.add_option(Option(self._mastery_line(head, ts, bar_w), id=oid))
        if highlighted is not None and highlighted < topics.option_count:
            topics.highlighted = highlighted
        exams = self.query_one("#exams", OptionList)
        highlighted = exams.highlighted
        exams.clear_options()
        if lib is not None:
            width = exams.scrollable_content_region.width
            title_w = max((cell_len(e.title) for e in lib.exams.values()), default=8)
            tails: dict[str, Text] = {}
            for exam_id in lib.exams:
                tail = Text()
                best = data.best.get(exam_id)
                best_text = f"{format_score(best.score)}/{format_score(best.total)}" if best else ""
                tail.append(" " + (t("home.best", score=best_text) if best else t("home.no_best")), style="dim")
                r = data.readiness.get(exam_id)
                if r is not None:
                    low, high = score_range(r.low, r.high)
                    tail.append("  " + t("home.readiness", low=low, high=high, total=format_score(r.total)),
                                style="green" if r.likely_pass else "yellow")
                tails[exam_id] = tail
                title_w = min(title_w, max(8, width - tail.cell_len))
            for exam_id, exam in lib.exams.items():
                line = Text(fit(exam.title, title_w), style="bold")
                line.append_text(tails[exam_id])
                exams.add_option(Option(line, id=f"exam:{exam_id}"))
            if not lib.exams:
                exams.add_option(Option(t("app.no_exams"), disabled=True))
        if highlighted is not None and highlighted < exams.option_count:
            exams.highlighted = highlighted

    def _show_notes(self, data: HomeData) -> None:
        """The trainer's assignments and the answers to this learner's disputes (none: nothing shown)."""
        box = self.query_one("#home-notes", Static)
        lines: list[Text] = []
        lib = self.library
        now = self.quiz.now()
        for st in data.tasks:
            a = st.assignment
            if a.kind == "exam":
                title = lib.exams[a.target].title if lib is not None and a.target in lib.exams else a.target
                what = t("assign.what.exam", title=title)
            else:
                what = t("assign.what.topic", topic=a.target)
            line = Text("▸ ", style="bold")
            line.append(printable(t("home.task_line", what=what, due=a.due.astimezone().strftime("%m-%d %H:%M")), one_line=True))
            if st.done:
                line.append("  " + t("assign.done"), style="green")
            elif a.due < now:
                line.append("  " + t("assign.overdue"), style="bold red")
            elif st.total:
                line.append("  " + t("assign.progress", done=st.answered, total=st.total), style="yellow")
            if a.note:
                line.append(f"  {clip(a.note, 40)}", style="dim")
            lines.append(line)
        for case in data.notices[:3]:
            item = lib.find(case.qid) if lib is not None else None
            prompt = clip(item.question.prompt if item is not None else case.qid, 40)
            accepted = case.status == "accepted"
            line = Text("✓ " if accepted else "✗ ", style="green" if accepted else "red")
            line.append(t("home.notice.accepted" if accepted else "home.notice.rejected", prompt=prompt))
            if case.resolution_note:
                line.append(f"  — {clip(case.resolution_note, 50)}", style="italic")
            lines.append(line)
        box.display = bool(lines)
        if lines:
            box.border_title = t("home.tasks")
            box.update(Group(*lines))

    @staticmethod
    def _row_widths(labels: list[str], width: int) -> tuple[int, int]:
        """Cells for the label and the bar so that a row (label, bar, ``掌握 100%``) fits ``width`` whole.

        The bar gives way first (down to 6 cells), then the label (cut with …, never below 8).
        """
        figure = cell_len(t("home.mastery", percent=100))
        longest = max((cell_len(label) for label in labels), default=8)
        room = max(0, width - figure - 2)  # two spaces between label, bar and figure
        bar_w = max(6, min(20, room - longest))
        label_w = max(8, min(longest, room - bar_w))
        return label_w, max(1, min(bar_w, room - label_w))

    @staticmethod
    def _mastery_line(label: Text, ts: TopicStats | None, bar_w: int = 20) -> Text:
        mastery = ts.mastery if ts is not None else 0.0
        line = label.copy()
        line.append(" ")
        line.append_text(meter(mastery, bar_w))
        line.append(" " + t("home.mastery", percent=round(mastery * 100)), style="dim")
        return line

    def _continue_text(self, data: HomeData) -> Text:
        out = Text()
        if data.attempt is not None and data.attempt.exam_id in data.library.exams:
            left = (data.attempt.deadline - self.quiz.now()).total_seconds()
            title = data.library.exams[data.attempt.exam_id].title
            out.append("▶ " + t("home.continue_exam", title=printable(title, one_line=True), left=duration(left)), style="bold yellow")
            out.append("  [c]", style="dim")
        elif data.session is not None:
            s = data.session
            # the question it resumes at, numbered as the study screen numbers it (第 n/total 题)
            n = min(s.position + 1, s.total)
            out.append("▶ " + t("home.continue", what=t(f"mode.{s.mode}"), n=n, total=s.total), style="bold")
            out.append("  [c]", style="dim")
        else:
            out.append(t("home.continue_none"), style="dim")
        return out

    # -- actions ---------------------------------------------------------------
    def action_continue(self) -> None:
        data = self.data
        if data is None:
            return
        if data.attempt is not None:
            self.quiz.open_exam(data.attempt.exam_id)
        elif data.session is not None:
            self.quiz.resume_study(data.session.session_id)
        else:
            self.notify(t("home.continue_none"))

    @on(OptionList.OptionSelected, "#menu")
    async def _menu(self, event: OptionList.OptionSelected) -> None:
        action = event.option.id or ""
        if action in ("study", "sequential", "random"):
            self.quiz.open_study({"study": "smart"}.get(action, action))
        else:
            await self.app.run_action(f"app.{action}")

    @on(OptionList.OptionSelected, "#topics")
    def _topic(self, event: OptionList.OptionSelected) -> None:
        kind, _, value = (event.option.id or "").partition(":")
        if kind == "bank":
            self.quiz.open_study("focus", bank=value)
        elif kind == "topic":
            self.quiz.open_study("focus", topic=value)

    @on(OptionList.OptionSelected, "#exams")
    def _exam(self, event: OptionList.OptionSelected) -> None:
        kind, _, value = (event.option.id or "").partition(":")
        if kind == "exam":
            self.quiz.open_exam(value)
