"""错题本: questions answered wrong until answered right enough times in a row; leeches (顽固题) marked."""

from __future__ import annotations

from collections.abc import Callable

from tui.i18n import t
from tui.screens.question_list import QuestionListScreen


class WrongBookScreen(QuestionListScreen):
    TITLE_KEY = "wrong.title"
    EMPTY_KEY = "wrong.empty"
    MODE = "wrong"

    def entries(self) -> list[tuple[str, str]]:
        settings = self.quiz.settings
        need = settings.wrong_book_streak
        leeches = self.store.leeches(self.quiz.profile, settings.leech_threshold)
        return [
            (
                e.qid,
                f"{t('wrong.count', count=e.wrong_count)} · {t('wrong.streak', streak=e.streak, need=need)}"
                + (f" · ‼ {t('wrong.leech')}" if e.qid in leeches else ""),
            )
            for e in self.store.wrong_book(self.quiz.profile)
        ]

    def remove_entry(self, qid: str) -> Callable[[], None]:
        profile = self.quiz.profile
        entry = self.store.wrong_book_entry(profile, qid)
        self.store.remove_from_wrong_book(profile, qid)

        def put_back() -> None:
            if entry is not None:
                self.store.restore_wrong_book(profile, entry)

        return put_back
