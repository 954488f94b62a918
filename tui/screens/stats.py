"""学习统计: reviews per day, a calendar heatmap, the due forecast, accuracy by topic,
exam scores and readiness. The numbers come from :mod:`quiz.stats`; this only draws them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from rich.console import Group
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Header, Static

from quiz import stats
from quiz.scores import format_score, score_range
from quiz.session import study_day
from quiz.stats import ExamHistoryEntry, Overview, Readiness
from tui.i18n import t
from tui.screens.base import QuizScreen
from tui.widgets.charts import BarsChart, ColumnChart, HeatmapChart, bar_widths, hbars
from tui.widgets.footer import QuizFooter
from tui.widgets.text import plain
from tui.widgets.wrap import Paragraph


@dataclass(frozen=True)
class StatsData:
    overview: Overview
    per_day: dict[date, int]
    forecast: list[tuple[date, int]]
    history: list[ExamHistoryEntry]
    readiness: list[Readiness]
    today: date
    best: dict[str, ExamHistoryEntry]


class StatsScreen(QuizScreen[None]):
    def __init__(self) -> None:
        super().__init__()
        self.data: StatsData | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="stats-body"):
            yield Static(t("app.loading"), id="stats-summary")
            with Horizontal(classes="stats-row"):
                with Vertical(classes="stats-block", id="block-reviews"):
                    yield ColumnChart(id="chart-reviews")
                with Vertical(classes="stats-block", id="block-forecast"):
                    yield ColumnChart(id="chart-forecast", style="dark_orange")
            with Horizontal(classes="stats-row"):
                with Vertical(classes="stats-block", id="block-heatmap"):
                    yield HeatmapChart(id="heatmap")
                with Vertical(classes="stats-block", id="block-accuracy"):
                    yield BarsChart(id="accuracy")
            with Horizontal(classes="stats-row"):
                with Vertical(classes="stats-block", id="block-exams"):
                    yield ColumnChart(id="chart-exams", style="cyan", every=1, top=100)
                with Vertical(classes="stats-block", id="block-readiness"):
                    yield Static(id="readiness")
        yield QuizFooter()

    def on_mount(self) -> None:
        self._titles()
        self.query_one("#stats-body").focus()
        self.refresh_view()

    def _titles(self) -> None:
        for block, key in (("reviews", "stats.reviews_per_day"), ("forecast", "stats.forecast"), ("heatmap", "stats.heatmap"),
                           ("accuracy", "stats.accuracy"), ("exams", "stats.exam_history"), ("readiness", "stats.readiness")):
            self.query_one(f"#block-{block}").border_title = t(key)

    def refresh_view(self) -> None:
        self._titles()
        if self.library is not None:
            self.load()

    @work(thread=True, exclusive=True, group="stats")
    def load(self) -> None:
        lib, store, profile, now = self.library, self.store, self.quiz.profile, self.quiz.now()
        if lib is None:
            return
        data = StatsData(
            overview=stats.overview(store, lib, profile, now),
            per_day=stats.reviews_per_day(store, profile, now, days=140),
            forecast=stats.due_forecast(store, lib, profile, now, days=30),
            history=list(reversed(stats.exam_history(store, profile))),
            readiness=[stats.exam_readiness(store, lib, profile, e, now) for e in lib.exams],
            today=study_day(now, None, self.quiz.settings.day_start_hour),
            best=stats.best_scores(store, profile),
        )
        self.app.call_from_thread(self._show, data)

    def _show(self, data: StatsData) -> None:
        if not self.is_attached:  # closed while the worker ran
            return
        self.data = data
        ov = data.overview
        retention = f"{ov.true_retention * 100:.0f}%" if ov.true_retention is not None else "-"
        summary = Text(t("stats.summary", seen=ov.seen, questions=ov.questions, reviews=ov.reviews, retention=retention, streak=ov.streak), style="bold")
        if ov.leeches:
            summary.append("  ·  " + t("stats.leeches", count=ov.leeches, threshold=ov.leech_threshold), style="bold red")
        self.query_one("#stats-summary", Static).update(summary)
        # reviews per day (last 30 days) and the due forecast (next 30 days)
        last30 = sorted(data.per_day.items())[-30:]
        self.query_one("#chart-reviews", ColumnChart).set_data([n for _, n in last30], [f"{d:%m-%d}" for d, _ in last30])
        days = [t("common.today") if i == 0 else f"+{i}" for i in range(len(data.forecast))]
        self.query_one("#chart-forecast", ColumnChart).set_data([n for _, n in data.forecast], days)
        # heatmap and accuracy
        self.query_one("#heatmap", HeatmapChart).set_data(data.per_day, data.today)
        rows = [(ts.topic or t("browse.no_topic"), ts.accuracy, f"{round(ts.accuracy * 100)}% · {ts.reviews}" if ts.accuracy is not None else f"0/{ts.questions}")
                for ts in ov.topics]
        self.query_one("#accuracy", BarsChart).set_data(rows)
        # exam scores: one column per attempt (oldest left), the score in % under it
        recent = data.history[-24:]
        scores = [round(h.score / h.total * 100) if h.total else 0 for h in recent]
        self.query_one("#chart-exams", ColumnChart).set_data(scores, [str(v) for v in scores], every=1)
        self._show_readiness()

    def on_resize(self) -> None:
        self._show_readiness()

    def _show_readiness(self) -> None:
        data = self.data
        if data is None:
            return
        box = self.query_one("#readiness", Static)
        width = max(20, box.content_region.width or self.size.width // 2 - 6)
        lines: list[Paragraph | Text] = []
        best, ov = data.best, data.overview
        for r in data.readiness:
            low, high = score_range(r.low, r.high)
            key = "stats.readiness_exam_day" if ov.days_to_exam is not None and ov.days_to_exam > 0 else "stats.readiness_line"
            line = plain(t(key, title=r.title, low=low, high=high, total=format_score(r.total), pass_score=format_score(r.pass_score)),
                        style="green" if r.likely_pass else "yellow")
            keep: list[tuple[int, int]] = []
            if r.exam_id in best:
                line.append("  ")
                start = len(line)
                line.append(t("stats.best", score=format_score(best[r.exam_id].score)), style="dim")
                keep.append((start, len(line)))  # 最高 13.8 is not parted
            lines.append(Paragraph(line, keep=keep))
            rows = [(s.title, s.mean_retrievability, f"{s.expected:.1f}/{s.count * s.points:g}") for s in r.sections]
            label_w, bar_w = bar_widths(rows, width)
            lines.append(hbars(rows, label_width=label_w, bar_width=bar_w))
        box.update(Group(*lines) if lines else Text(t("app.no_exams"), style="dim"))
