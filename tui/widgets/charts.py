"""Charts drawn with Rich text cells: the study calendar heatmap and horizontal bars."""

from __future__ import annotations

from datetime import date, timedelta

from rich.text import Text

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


def hbars(rows: list[tuple[str, float | None, str]], *, label_width: int = 14, bar_width: int = 20) -> Text:
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
