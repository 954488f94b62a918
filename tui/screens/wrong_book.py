"""错题本: questions answered wrong until answered right enough times in a row."""

from __future__ import annotations

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

    def remove_entry(self, qid: str) -> None:
        self.store.remove_from_wrong_book(self.quiz.profile, qid)
