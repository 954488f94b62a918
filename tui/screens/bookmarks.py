"""收藏: questions the learner bookmarked while studying."""

from __future__ import annotations

from collections.abc import Callable

from tui.i18n import t
from tui.screens.question_list import QuestionListScreen


class BookmarksScreen(QuestionListScreen):
    TITLE_KEY = "bookmarks.title"
    EMPTY_KEY = "bookmarks.empty"
    MODE = "bookmarks"

    def entries(self) -> list[tuple[str, str]]:
        profile = self.quiz.profile
        wrong = {e.qid for e in self.store.wrong_book(profile)}
        return [(qid, "✗ " + t("study.in_wrong_book") if qid in wrong else "★") for qid in self.store.bookmarks(profile)]

    def remove_entry(self, qid: str) -> Callable[[], None]:
        profile = self.quiz.profile
        self.store.set_bookmark(profile, qid, False, self.quiz.now())
        return lambda: self.store.set_bookmark(profile, qid, True, self.quiz.now())
