"""错题本: questions answered wrong until answered right enough times in a row."""

from __future__ import annotations

from collections.abc import Callable

from tui.i18n import t
from tui.screens.question_list import QuestionListScreen


class WrongBookScreen(QuestionListScreen):
    TITLE_KEY = "wrong.title"
    EMPTY_KEY = "wrong.empty"
    MODE = "wrong"

    def entries(self) -> list[tuple[str, str]]:
        need = self.quiz.settings.wrong_book_streak
        return [
            (e.qid, f"{t('wrong.count', count=e.wrong_count)} · {t('wrong.streak', streak=e.streak, need=need)}")
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
