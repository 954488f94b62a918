"""Shared fixtures: no test touches the real progress.db, cache or home folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from quiz.store import Store

REPO = Path(__file__).resolve().parent.parent
SHIPPED_BANKS = REPO / "banks"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    """A progress store on a real SQLite file in the test's own folder."""
    s = Store.open(tmp_path / "progress.db")
    yield s
    s.close()


@pytest.fixture(autouse=True)
def _isolated_env(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("QUIZ_CACHE_DIR", str(home / "cache"))
    monkeypatch.setenv("QUIZ_DB", str(home / "progress.db"))
    monkeypatch.delenv("QUIZ_BANKS", raising=False)
    monkeypatch.delenv("QUIZ_PROFILE", raising=False)
    yield
