"""How scores are written, in one place: home, stats, the exam result, the CSV export and
``quiz stats --json`` all use these (no heavy imports: the home screen uses them before
the rest of the core is loaded)."""

from __future__ import annotations

import math


def score_value(x: float) -> int | float:
    """A score as reported: at most one decimal, an int when whole (``13.0001`` -> ``13``,
    ``12.25`` -> ``12.2``, ``12.5`` -> ``12.5``)."""
    r = round(float(x), 1) + 0.0  # + 0.0: no "-0.0"
    return int(r) if r == int(r) else r


def format_score(x: float) -> str:
    """A score as shown: ``13``, ``12.5``."""
    return str(score_value(x))


def score_range(low: float, high: float) -> tuple[str, str]:
    """An expected-score range in whole points, rounded outward: (``"52"``, ``"64"``)."""
    return str(math.floor(low + 1e-9)), str(math.ceil(high - 1e-9))
