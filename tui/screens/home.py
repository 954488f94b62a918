"""首页: today's work, banks and topics with mastery, exams with readiness, entries to everything."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache, partial
from typing import TYPE_CHECKING, ClassVar

from rich.cells import cell_len
from rich.console import Group
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Header, OptionList, Static
from textual.widgets.option_list import Option

from quiz.scores import format_score, score_range
from quiz.text import printable
from tui.i18n import t
from tui.keys import bind
from tui.layout import is_narrow
from tui.screens.base import QuizScreen
from tui.widgets.footer import QuizFooter
from tui.widgets.text import Fitted, clip, duration, fit, meter

if TYPE_CHECKING:
    from quiz.home import HomeView, TopicRow

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

    def __init__(self, view: HomeView | None = None) -> None:
        super().__init__()
        self.data: HomeView | None = None
        # the numbers worked out before the app started (quiz.home.HomePrefetch)
        self._first_view = view

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
        # below 100 columns the menu is folded away: the focus goes to what is on screen (the -narrow
        # class is not set yet at the first mount, so the width is read from the terminal)
        narrow = self.has_class("-narrow") or is_narrow(self.app.size.width)
        self.query_one("#topics" if narrow else "#menu", OptionList).focus()
        if self._first_view is not None:  # the numbers are here already: in the first frame
            self._show(self._first_view)
            self._first_view = None
            # the store and the banks are loaded once that frame is out (they would take the CPU from it)
            self.call_after_refresh(self.quiz.open_services)
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
        from quiz.home import home_view

        view = home_view(self.store, self.library, self.quiz.profile, self.quiz.now())
        self.app.call_from_thread(self._show, view)

    def show_preview(self, view: HomeView) -> None:
        """Numbers from the index of the banks: shown unless the banks' own came first."""
        if self.data is None or self.data.preview:
            self._show(view)

    def _show(self, data: HomeView) -> None:
        if not self.is_attached:  # the app closed while the worker ran
            return
        self.data = data
        today = Text()
        today.append(f"{t('home.today')}  ", style="bold")
        today.append(t("home.due", count=data.due), style="bold yellow")
        today.append("  ·  ")
        today.append(t("home.new", count=data.new_left_today), style="bold cyan")
        if data.suggested_daily_new:
            today.append(" (" + t("home.suggest_new", count=data.suggested_daily_new) + ")", style="cyan")
        today.append("  ·  ")
        today.append(t("home.streak", days=data.streak), style="bold magenta")
        if data.leeches:
            today.append("  ·  ")
            today.append(t("home.leeches", count=data.leeches), style="bold red")
        today.append("    ")
        today.append(t("home.profile", profile=printable(data.profile, one_line=True)), style="dim")
        self.query_one("#today", Static).update(today)
        self.query_one("#continue", Static).update(self._continue_text(data))
        exams_box = self.query_one("#exams")
        exams_box.border_title = t("home.exams")
        if data.days_to_exam is not None and data.days_to_exam > 0:
            exams_box.border_title += " · " + t("home.exam_countdown", days=data.days_to_exam)
        self._show_notes(data)
        topics = self.query_one("#topics", OptionList)
        highlighted = topics.highlighted
        topics.clear_options()
        labels = [t("home.bank_line", title=row.title, count=row.questions) if row.is_bank
                  else "  " + (row.title or t("browse.no_topic")) for row in data.topics]
        # each row lays itself out at the list's width (label, bar and figure in columns, every row whole)
        columns = lru_cache(maxsize=4)(partial(self._row_widths, labels))  # worked out once per width
        topics.add_options([Option(Fitted(partial(self._topic_line, columns, labels[i], row)), id=row.id)
                            for i, row in enumerate(data.topics)])  # at once: each add lays the list out again
        if highlighted is not None and highlighted < topics.option_count:
            topics.highlighted = highlighted
        exams = self.query_one("#exams", OptionList)
        highlighted = exams.highlighted
        exams.clear_options()
        tails: list[Text] = []
        for e in data.exams:
            tail = Text()
            best = f"{format_score(e.best_score)}/{format_score(e.best_total)}" if e.best_score is not None else ""
            tail.append(" " + (t("home.best", score=best) if best else t("home.no_best")), style="dim")
            low, high = score_range(e.low, e.high)
            tail.append("  " + t("home.readiness", low=low, high=high, total=format_score(e.total)),
                        style="green" if e.likely_pass else "yellow")
            tails.append(tail)
        titles = [e.title for e in data.exams]
        lines = [Option(Fitted(partial(self._exam_line, titles, tails, i)), id=f"exam:{e.exam_id}")
                 for i, e in enumerate(data.exams)]
        exams.add_options(lines or [Option(t("app.no_exams"), disabled=True)])
        if highlighted is not None and highlighted < exams.option_count:
            exams.highlighted = highlighted

    def _show_notes(self, data: HomeView) -> None:
        """The trainer's assignments and the answers to this learner's disputes (none: nothing shown)."""
        box = self.query_one("#home-notes", Static)
        lines: list[Text] = []
        now = self.quiz.now()
        for task in data.tasks:
            what = (t("assign.what.exam", title=task.what) if task.kind == "exam"
                    else t("assign.what.topic", topic=task.what))
            line = Text("▸ ", style="bold")
            line.append(printable(t("home.task_line", what=what, due=task.due.astimezone().strftime("%m-%d %H:%M")),
                                  one_line=True))
            if task.done:
                line.append("  " + t("assign.done"), style="green")
            elif task.due < now:
                line.append("  " + t("assign.overdue"), style="bold red")
            elif task.total:
                line.append("  " + t("assign.progress", done=task.answered, total=task.total), style="yellow")
            if task.note:
                line.append(f"  {clip(task.note, 40)}", style="dim")
            lines.append(line)
        for notice in data.notices:
            line = Text("✓ " if notice.accepted else "✗ ", style="green" if notice.accepted else "red")
            line.append(t("home.notice.accepted" if notice.accepted else "home.notice.rejected",
                          prompt=clip(notice.prompt, 40)))
            if notice.note:
                line.append(f"  — {clip(notice.note, 50)}", style="italic")
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

    @classmethod
    def _topic_line(cls, columns: Callable[[int], tuple[int, int]], label: str, row: TopicRow, width: int) -> Text:
        """A row of the banks and topics at ``width`` cells: its label, its mastery bar and figure, in the
        ``columns`` (label and bar widths, :meth:`_row_widths`) every row shares."""
        label_w, bar_w = columns(width)
        if row.is_bank:
            head = Text(fit(label, label_w), style="bold")
        else:
            head = Text("  " + fit(label[2:], label_w - 2))
        return cls._mastery_line(head, row.mastery, bar_w)

    @staticmethod
    def _exam_line(titles: list[str], tails: list[Text], index: int, width: int) -> Text:
        """Exam ``index`` at ``width`` cells: its title, cut so that every exam's best score and readiness
        show whole, in a column shared by every exam."""
        title_w = max((cell_len(title) for title in titles), default=8)
        for tail in tails:
            title_w = min(title_w, max(8, width - tail.cell_len))
        line = Text(fit(titles[index], title_w), style="bold")
        line.append_text(tails[index])
        return line

    @staticmethod
    def _mastery_line(label: Text, mastery: float, bar_w: int = 20) -> Text:
        line = label.copy()
        line.append(" ")
        line.append_text(meter(mastery, bar_w))
        line.append(" " + t("home.mastery", percent=round(mastery * 100)), style="dim")
        return line

    def _continue_text(self, data: HomeView) -> Text:
        out = Text()
        resume = data.resume
        if resume is not None and resume.kind == "exam" and resume.deadline is not None:
            left = (resume.deadline - self.quiz.now()).total_seconds()
            out.append("▶ " + t("home.continue_exam", title=printable(resume.title, one_line=True), left=duration(left)),
                       style="bold yellow")
            out.append("  [c]", style="dim")
        elif resume is not None and resume.kind == "study":
            # the question it resumes at, numbered as the study screen numbers it (第 n/total 题)
            out.append("▶ " + t("home.continue", what=t(f"mode.{resume.mode}"), n=resume.number, total=resume.total),
                       style="bold")
            out.append("  [c]", style="dim")
        else:
            out.append(t("home.continue_none"), style="dim")
        return out

    # -- actions ---------------------------------------------------------------
    def action_continue(self) -> None:
        resume = self.data.resume if self.data is not None else None
        if resume is None:
            if self.data is not None:
                self.notify(t("home.continue_none"))
        elif resume.kind == "exam":
            self.quiz.open_exam(resume.exam_id)
        else:
            self.quiz.resume_study(resume.session_id)

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
