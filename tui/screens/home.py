"""首页: today's work, banks and topics with mastery, exams with readiness, entries to everything."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, ClassVar

from rich.console import Group
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from quiz.scores import format_score, score_range
from tui.i18n import t
from tui.keys import bind
from tui.screens.base import QuizScreen
from tui.widgets.text import clip, duration, fit, meter

if TYPE_CHECKING:  # the core is imported by the worker, after the first paint
    from quiz.exam import AttemptInfo
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

    overview: Overview
    session: SessionInfo | None
    attempt: AttemptInfo | None
    best: dict[str, ExamHistoryEntry]
    readiness: dict[str, Readiness]
    tasks: list[AssignmentStatus]  # what a trainer set this learner (quiz.team)
    notices: list[DisputeCase]  # this learner's disputes resolved lately


class HomeScreen(QuizScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        bind("s", "app.study('smart')", "key.study"),
        bind("c", "continue", "key.continue"),
        bind("e", "app.exam", "key.exam"),
        bind("w", "app.wrong_book", "key.wrong_book"),
        bind("f", "app.bookmarks", "key.bookmarks"),
        bind("t", "app.stats", "key.stats"),
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
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#home-notes").display = False
        self.query_one("#topics").border_title = t("home.banks")
        self.query_one("#exams").border_title = t("home.exams")
        self.query_one("#menu").border_title = t("home.menu")
        self._fill_menu()
        self.query_one("#menu", OptionList).focus()
        self.refresh_view()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return action != "back"  # home is the bottom of the stack

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
        if not self.quiz.ready:
            return
        from quiz import stats, team
        from quiz.exam import ExamAttempt
        from quiz.session import StudySession

        lib, store, profile, now = self.library, self.store, self.quiz.profile, self.quiz.now()
        if lib is None:
            return
        ov = stats.overview(store, lib, profile, now)
        session = StudySession.latest_unfinished(store, profile)
        attempt = ExamAttempt.latest_unfinished(store, profile)
        best = stats.best_scores(store, profile)
        readiness: dict[str, Readiness] = {}
        for exam_id in lib.exams:
            readiness[exam_id] = stats.exam_readiness(store, lib, profile, exam_id, now)
        tasks = [st for st in team.learner_assignments(store, lib, profile, now)
                 if not st.done or now - st.assignment.due < timedelta(days=1)]
        data = HomeData(ov, session, attempt, best, readiness, tasks, team.notices(store, profile, now))
        self.app.call_from_thread(self._show, data)

    def _show(self, data: HomeData) -> None:
        if not self.is_attached:  # the app closed while the worker ran
            return
        self.data = data
        ov = data.overview
        lib = self.library
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
        today.append(t("home.profile", profile=ov.profile), style="dim")
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
            for bank_id, bank in lib.banks.items():
                items = lib.select(banks=[bank_id])
                names = list(dict.fromkeys(it.topic for it in items))
                head = Text(fit(f"{bank.title}（{len(items)}）", 24), style="bold")
                topics.add_option(Option(self._mastery_line(head, by_bank.get(bank_id)), id=f"bank:{bank_id}"))
                if len(names) == 1:  # one topic: the bank's line says it all
                    continue
                for topic in names:
                    label = Text("  " + fit(topic or t("browse.no_topic"), 22))
                    topics.add_option(Option(self._mastery_line(label, by_topic.get(topic)), id=f"topic:{topic}"))
        if highlighted is not None and highlighted < topics.option_count:
            topics.highlighted = highlighted
        exams = self.query_one("#exams", OptionList)
        highlighted = exams.highlighted
        exams.clear_options()
        if lib is not None:
            for exam_id, exam in lib.exams.items():
                line = Text()
                line.append(fit(exam.title, 22), style="bold")
                best = data.best.get(exam_id)
                best_text = f"{format_score(best.score)}/{format_score(best.total)}" if best else ""
                line.append(" " + (t("home.best", score=best_text) if best else t("home.no_best")), style="dim")
                r = data.readiness.get(exam_id)
                if r is not None:
                    low, high = score_range(r.low, r.high)
                    line.append("  " + t("home.readiness", low=low, high=high, total=format_score(r.total)),
                                style="green" if r.likely_pass else "yellow")
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
            line.append(t("home.task_line", what=what, due=a.due.astimezone().strftime("%m-%d %H:%M")))
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
            item = lib.get(case.qid) if lib is not None else None
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
    def _mastery_line(label: Text, ts: TopicStats | None) -> Text:
        mastery = ts.mastery if ts is not None else 0.0
        line = label.copy()
        line.append(" ")
        line.append_text(meter(mastery, 20))
        line.append(" " + t("home.mastery", percent=round(mastery * 100)), style="dim")
        return line

    def _continue_text(self, data: HomeData) -> Text:
        out = Text()
        if data.attempt is not None and self.library is not None and data.attempt.exam_id in self.library.exams:
            left = (data.attempt.deadline - self.quiz.now()).total_seconds()
            title = self.library.exams[data.attempt.exam_id].title
            out.append("▶ " + t("home.continue_exam", title=title, left=duration(left)), style="bold yellow")
            out.append("  [c]", style="dim")
        elif data.session is not None:
            s = data.session
            out.append("▶ " + t("home.continue", what=t(f"mode.{s.mode}"), done=s.position, total=s.total), style="bold")
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
