"""设置: learner profiles, language, daily new-question limit, desired retention, theme,
exam date (with the daily new questions that see every question in time), the hour a
study day starts, the leech threshold.

Served (``quiz serve``), the profile rows are not there at all: a session is its
account's learner, and the list of profiles would name the other learners.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Header, Input, Label, Select, Static

from quiz.errors import UserError
from tui.app import THEMES
from tui.i18n import t
from tui.keys import bind
from tui.screens.base import QuizScreen
from tui.widgets.footer import QuizFooter
from tui.widgets.text import plain
from tui.widgets.wrap import Paragraph

PROFILE_RE = re.compile(r"^[\w\-]{1,40}$")
LANGUAGE_OPTIONS = [("简体中文", "zh"), ("English", "en")]


class SettingsScreen(QuizScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [bind("ctrl+s", "save", "settings.save")]

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="settings-form"):
            if not self.quiz.served:
                with Horizontal(classes="row"):
                    yield Label(t("settings.profile"), id="lbl-profile")
                    yield Select[str]([(plain(p), p) for p in self._profiles()], allow_blank=False, id="profile")
                with Horizontal(classes="row"):
                    yield Label(t("settings.new_profile"), id="lbl-new-profile")
                    yield Input(placeholder=t("settings.new_profile"), id="new-profile")
                    yield Button(t("settings.create"), id="create-profile")
            with Horizontal(classes="row"):
                yield Label(t("settings.language"), id="lbl-language")
                yield Select[str](LANGUAGE_OPTIONS, allow_blank=False, id="language")
            with Horizontal(classes="row"):
                yield Label(t("settings.daily_new"), id="lbl-daily")
                yield Input(type="integer", id="daily-new")
            yield Static("", id="suggest")
            with Horizontal(classes="row"):
                yield Label(t("settings.exam_date"), id="lbl-exam-date")
                yield Input(placeholder="2026-12-20", id="exam-date")
            with Horizontal(classes="row"):
                yield Label(t("settings.retention"), id="lbl-retention")
                yield Input(type="number", id="retention")
            with Horizontal(classes="row"):
                yield Label(t("settings.day_start"), id="lbl-day-start")
                yield Input(type="integer", id="day-start")
            with Horizontal(classes="row"):
                yield Label(t("settings.leech"), id="lbl-leech")
                yield Input(type="integer", id="leech")
            with Horizontal(classes="row"):
                yield Label(t("settings.theme"), id="lbl-theme")
                yield Select[str](self._themes(), allow_blank=False, id="theme")
            yield Button(t("settings.save"), variant="primary", id="save")
        yield QuizFooter()

    def _profiles(self) -> list[str]:
        if self.quiz.served:
            return [self.quiz.profile]
        profiles = list(self.store.profiles())
        return profiles if self.quiz.profile in profiles else [*profiles, self.quiz.profile]

    def _themes(self) -> list[tuple[str, str]]:
        """(name in the learner's language, setting) for each theme; an older stored name is kept as is."""
        out = [(t(f"theme.{k}"), k) for k in THEMES]
        stored = self.quiz.settings.theme
        if stored not in THEMES:
            out.append((stored, stored))
        return out

    def _form(self) -> tuple[str, str, object, object, str, str, str]:
        """What the form holds now: daily limit, retention (as typed), language, theme, exam date,
        day start hour, leech threshold."""
        return (
            self.query_one("#daily-new", Input).value.strip(),
            self.query_one("#retention", Input).value.strip(),
            self.query_one("#language", Select).value,
            self.query_one("#theme", Select).value,
            self.query_one("#exam-date", Input).value.strip(),
            self.query_one("#day-start", Input).value.strip(),
            self.query_one("#leech", Input).value.strip(),
        )

    def _saved_form(self) -> tuple[str, str, object, object, str, str, str]:
        s = self.quiz.settings
        return (str(s.daily_new_limit), f"{s.desired_retention:g}", s.language, s.theme, s.exam_date or "",
                str(s.day_start_hour), str(s.leech_threshold))

    def unsaved(self) -> bool:
        """Does the form hold changes not saved yet? (A profile switch or creation is saved at once.)"""
        daily, retention, *rest = self._form()
        s_daily, s_retention, *s_rest = self._saved_form()
        try:
            same_retention = float(retention) == float(s_retention)
        except ValueError:
            same_retention = retention == s_retention
        return (daily, *rest) != (s_daily, *s_rest) or not same_retention

    def action_back(self) -> None:
        """Esc with unsaved changes asks first: save, discard, or keep editing."""
        if not self.unsaved():
            self.dismiss()
            return
        from tui.widgets.dialog import AskDialog

        def chosen(answer: str | None) -> None:
            if answer == "save":
                if self.action_save():
                    self.dismiss()
            elif answer == "discard":
                self.dismiss()

        self.app.push_screen(
            AskDialog(
                t("settings.unsaved_title"),
                [Text(t("settings.unsaved_body"))],
                [
                    ("save", t("settings.save"), "s", "primary"),
                    ("discard", t("settings.discard"), "d", "error"),
                    ("cancel", t("settings.keep_editing"), "escape", "default"),
                ],
                cancel="cancel",
            ),
            chosen,
        )

    def on_mount(self) -> None:
        self.refresh_view()
        self.query_one("#language" if self.quiz.served else "#profile", Select).focus()

    def refresh_view(self) -> None:
        s = self.quiz.settings
        for wid, key in (("lbl-profile", "settings.profile"), ("lbl-new-profile", "settings.new_profile"),
                         ("lbl-language", "settings.language"), ("lbl-daily", "settings.daily_new"),
                         ("lbl-retention", "settings.retention"), ("lbl-theme", "settings.theme"),
                         ("lbl-exam-date", "settings.exam_date"), ("lbl-day-start", "settings.day_start"),
                         ("lbl-leech", "settings.leech")):
            for label in self.query(f"#{wid}").results(Label):
                label.update(Paragraph(t(key)))  # 新的一天从几点开始 / （0-23）, never a lone ）
        self.query_one("#save", Button).label = t("settings.save")
        if not self.quiz.served:
            self.query_one("#create-profile", Button).label = t("settings.create")
            self.query_one("#new-profile", Input).placeholder = t("settings.new_profile")
            profiles = self._profiles()
            profile = self.query_one("#profile", Select)
            with profile.prevent(Select.Changed):
                profile.set_options([(plain(p), p) for p in profiles])
                profile.value = self.quiz.profile
        language = self.query_one("#language", Select)
        with language.prevent(Select.Changed):
            language.value = s.language
        self.query_one("#daily-new", Input).value = str(s.daily_new_limit)
        self.query_one("#retention", Input).value = f"{s.desired_retention:g}"
        self.query_one("#exam-date", Input).value = s.exam_date or ""
        self.query_one("#day-start", Input).value = str(s.day_start_hour)
        self.query_one("#leech", Input).value = str(s.leech_threshold)
        self._suggest()
        themes = self._themes()
        theme = self.query_one("#theme", Select)
        with theme.prevent(Select.Changed):
            theme.set_options(themes)
            theme.value = s.theme if s.theme in {k for _, k in themes} else "dark"

    def _suggest(self) -> None:
        """With an exam date ahead: the daily new questions that see every question in time."""
        from quiz.session import study_day
        from quiz.stats import suggested_daily_new

        s = self.quiz.settings
        box = self.query_one("#suggest", Static)
        lib = self.library
        day = study_day(self.quiz.now(), None, s.day_start_hour)
        exam_day = s.exam_day
        if lib is None or exam_day is None or exam_day <= day:
            box.display = False
            return
        unseen = len(lib) - len(self.store.seen_qids(self.quiz.profile) & set(lib.qids))
        count = suggested_daily_new(unseen, day, exam_day)
        box.update(t("settings.suggest", days=(exam_day - day).days, count=count or 0, unseen=unseen))
        box.display = True

    @on(Select.Changed, "#profile")
    def _switch(self, event: Select.Changed) -> None:
        if isinstance(event.value, str) and event.value != self.quiz.profile:
            try:
                self.quiz.switch_profile(event.value)
            except UserError as e:
                self.notify(str(e), severity="error")
                return
            self.notify(t("settings.switched", profile=event.value))
            self.refresh_view()

    @on(Button.Pressed, "#create-profile")
    @on(Input.Submitted, "#new-profile")
    def _create(self) -> None:
        box = self.query_one("#new-profile", Input)
        name = box.value.strip()
        if not PROFILE_RE.match(name):
            self.notify(t("settings.bad_profile"), severity="error")
            return
        try:
            self.quiz.switch_profile(name)
        except UserError as e:
            self.notify(str(e), severity="error")
            return
        box.value = ""
        self.notify(t("settings.switched", profile=name))
        self.refresh_view()

    @on(Button.Pressed, "#save")
    def _save_button(self) -> None:
        self.action_save()

    def action_save(self) -> bool:
        """Save the form; False (with the reason shown) when a value is refused."""
        try:
            daily = int(self.query_one("#daily-new", Input).value)
        except ValueError:
            self.notify(t("settings.bad_number", field=t("settings.daily_new")), severity="error")
            return False
        try:
            retention = float(self.query_one("#retention", Input).value)
        except ValueError:
            self.notify(t("settings.bad_number", field=t("settings.retention")), severity="error")
            return False
        numbers: dict[str, int] = {}
        for wid, key in (("day-start", "settings.day_start"), ("leech", "settings.leech")):
            try:
                numbers[wid] = int(self.query_one(f"#{wid}", Input).value)
            except ValueError:
                self.notify(t("settings.bad_number", field=t(key)), severity="error")
                return False
        language = self.query_one("#language", Select).value
        theme = self.query_one("#theme", Select).value
        exam_date = self.query_one("#exam-date", Input).value.strip() or None
        new = replace(
            self.quiz.settings,
            daily_new_limit=daily,
            desired_retention=retention,
            language=language if isinstance(language, str) else "zh",
            theme=theme if isinstance(theme, str) else "dark",
            exam_date=exam_date,
            day_start_hour=numbers["day-start"],
            leech_threshold=numbers["leech"],
        )
        try:
            self.quiz.save_settings(new)
        except UserError as e:
            self.notify(str(e), severity="error")
            return False
        self.notify(t("settings.saved"))
        self.refresh_view()
        return True
