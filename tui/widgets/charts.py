"""Charts drawn with Rich text cells: the study calendar heatmap and horizontal bars."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from rich.cells import cell_len
from rich.text import Text
from textual.widget import Widget

from tui.i18n import t
from tui.widgets.text import bar, fit

HEAT_COLORS = ("grey23", "dark_green", "green4", "green3", "bright_green")
WEEKDAYS_ZH = "一二三四五六日"
WEEKDAYS_EN = "MTWTFSS"


def heat_level(count: int, top: int) -> int:
    """0 for no reviews, else 1-4 by share of the busiest day."""
    if count <= 0 or top <= 0:
        return 0
    return min(4, 1 + int(3 * count / top + 0.5) if count < top else 4)


def heatmap(per_day: dict[date, int], today: date, weeks: int = 20) -> Text:
    """A calendar: a column per week (oldest left), a row per weekday, each day two cells."""
    from tui.i18n import language

    names = WEEKDAYS_ZH if language() == "zh" else WEEKDAYS_EN
    start = today - timedelta(days=today.weekday() + 7 * (weeks - 1))
    top = max(per_day.values(), default=0)
    out = Text()
    # month labels above the first week of each month
    months = Text("   ")
    col = 0
    last_month = None
    for w in range(weeks):
        d = start + timedelta(weeks=w)
        if d.month != last_month:
            label = f"{d.month}月" if language() == "zh" else d.strftime("%b")
            if months.cell_len <= 3 + 2 * w:
                months.append(" " * (3 + 2 * w - months.cell_len))
                months.append(label, style="dim")
            last_month = d.month
        col += 1
    out.append_text(months)
    out.append("\n")
    for wd in range(7):
        out.append(fit(names[wd], 2) + " ", style="dim")
        for w in range(weeks):
            d = start + timedelta(weeks=w, days=wd)
            if d > today:
                out.append("  ")
                continue
            level = heat_level(per_day.get(d, 0), top)
            out.append("■ ", style=HEAT_COLORS[level])
        out.append("\n")
    out.append("   " + t("stats.less") + " ", style="dim")
    for c in HEAT_COLORS:
        out.append("■ ", style=c)
    out.append(t("stats.more"), style="dim")
    return out


def hbars(rows: Sequence[tuple[str, float | None, str]], *, label_width: int = 14, bar_width: int = 20) -> Text:
    """Horizontal bars: (label, fraction or None for no data, text after the bar)."""
    out = Text()
    for i, (label, fraction, after) in enumerate(rows):
        out.append(fit(label, label_width) + " ")
        if fraction is None:
            out.append(fit(t("stats.no_data"), bar_width), style="dim")
        else:
            style = "green" if fraction >= 0.8 else "yellow" if fraction >= 0.6 else "red"
            out.append(bar(fraction, bar_width), style=style)
        out.append(" " + after, style="dim")
        if i < len(rows) - 1:
            out.append("\n")
    return out


EIGHTHS = " ▁▂▃▄▅▆▇█"
MAX_COLUMN = 6


def columns(
    values: list[int],
    labels: list[str],
    *,
    height: int = 8,
    every: int = 7,
    style: str = "green",
    width: int = 0,
    top: int | None = None,
) -> Text:
    """A column chart in text cells: a y axis, one column per value, labels every ``every`` columns.

    ``width`` (cells, 0 for the narrowest) widens each column to fill it, up to ``MAX_COLUMN`` cells; ``top`` fixes the
    scale (100 for percentages), else the largest value is the top. Only whole numbers appear
    on the axes, and a single value is a column like any other.
    """
    data_top = max(values, default=0)
    if (data_top <= 0 and top is None) or not values:
        return Text(t("stats.no_data"), style="dim")
    top = max(top or 0, data_top, 1)
    axis = len(str(top))
    n = max(1, len(values))
    # a few values (one mock exam) are columns, not a band across the chart: at most MAX_COLUMN cells each
    col = max(1, min(MAX_COLUMN, (width - axis - 1) // n)) if width else 1
    bar_w = col - 1 if col >= 3 else col
    out = Text()
    for row in range(height, 0, -1):
        label = str(top) if row == height else (str(round(top * row / height)) if row == (height + 1) // 2 else "")
        out.append(label.rjust(axis) + "┤" if label else " " * axis + "│", style="dim")
        for v in values:
            level = max(0, v) / top * height
            if level >= row:
                cell = "█"
            elif level > row - 1 and v > 0:
                cell = EIGHTHS[max(1, round((level - (row - 1)) * 8))]
            else:
                cell = " "
            out.append(cell * bar_w, style=style)
            out.append(" " * (col - bar_w))
        out.append("\n")
    out.append(" " * axis + "└" + "─" * (col * len(values)) + "\n", style="dim")
    line = " " * (axis + 1)
    for i in range(0, len(values), every):
        pos = axis + 1 + i * col
        gap = 1 if line.strip() else 0  # labels never touch
        if cell_len(line) + gap <= pos:
            line += " " * (pos - cell_len(line)) + labels[i]
    out.append(line, style="dim")
    return out


class ColumnChart(Widget):
    """:func:`columns` sized to the widget's width."""

    DEFAULT_CSS = """
    ColumnChart { height: 10; }
    """

    def __init__(self, *, style: str = "green", every: int = 7, top: int | None = None, id: str | None = None) -> None:
        super().__init__(id=id)
        self.style = style
        self.every = every
        self.top = top
        self.values: list[int] = []
        self.labels: list[str] = []

    def set_data(self, values: list[int], labels: list[str], *, every: int | None = None) -> None:
        self.values = values
        self.labels = labels
        if every is not None:
            self.every = every
        self.refresh()

    def render(self) -> Text:
        height = max(3, min(8, self.size.height - 2))  # two rows for the axis and its labels
        return columns(self.values, self.labels, height=height, every=self.every, style=self.style, width=self.size.width, top=self.top)


class HeatmapChart(Widget):
    """:func:`heatmap` with as many weeks as its width holds (up to 26)."""

    DEFAULT_CSS = """
    HeatmapChart { height: 9; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.per_day: dict[date, int] = {}
        self.today: date | None = None

    def set_data(self, per_day: dict[date, int], today: date) -> None:
        self.per_day = per_day
        self.today = today
        self.refresh()

    def render(self) -> Text:
        if self.today is None:
            return Text("")
        weeks = max(4, min(26, (self.size.width - 3) // 2))
        return heatmap(self.per_day, self.today, weeks=weeks)


class BarsChart(Widget):
    """:func:`hbars` sized to its width: labels whole (up to half the width), the bar takes the rest."""

    DEFAULT_CSS = """
    BarsChart { height: auto; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rows: list[tuple[str, float | None, str]] = []

    def set_data(self, rows: list[tuple[str, float | None, str]]) -> None:
        self.rows = rows
        self.refresh(layout=True)

    def get_content_height(self, container: object, viewport: object, width: int) -> int:
        return max(1, len(self.rows))

    def render(self) -> Text:
        if not self.rows:
            return Text(t("stats.no_data"), style="dim")
        label_w, bar_w = bar_widths(self.rows, self.size.width)
        return hbars(self.rows, label_width=label_w, bar_width=bar_w)


def bar_widths(rows: Sequence[tuple[str, float | None, str]], width: int) -> tuple[int, int]:
    """Label and bar widths for :func:`hbars` rows in ``width`` cells: every label whole when it
    can be (up to half the width), the text after the bar whole, the bar what is left (4 to 30)."""
    longest = max((cell_len(label) for label, _, _ in rows), default=4)
    after = max((cell_len(a) for _, _, a in rows), default=0)
    label_w = min(longest, max(4, width // 2))
    bar_w = max(4, min(30, width - label_w - after - 2))
    return label_w, bar_w
