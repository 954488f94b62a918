"""The README's examples work: every concrete ``quiz`` command in its tables runs against the
shipped banks and exits as the README says (0, or the ``(exit N)`` written beside it).

The app's commands (``quiz``, ``quiz study``, ``quiz exam``) run in a real 80x24 pseudo-terminal:
the test waits for the screen they open, presses Ctrl+Q and expects exit 0. The commands run in
README order in one folder (``quiz import template.xlsx`` reads what ``--template`` wrote), with a
``banks`` link to the shipped banks so that ``banks/...`` paths work as they do in a checkout.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from tests.pty_support import quiz_command, run_in_pty

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
PLACEHOLDER = re.compile(r"\[|\.\.\.|\b(BANK|QID|TEXT|FILE|PATH|DIR|NAME|EXAM_ID|OUT|T|B|M)\b")
UI_COMMANDS = {"", "study", "exam"}
# what the screen a UI command opens shows once it is ready
UI_READY = {"": "题库与知识点", "study": "第 1/", "exam": "剩余"}


def readme_examples() -> list[tuple[str, int]]:
    """(command, expected exit status) for every concrete ``quiz`` command in the README's tables."""
    out: list[tuple[str, int]] = []
    for line in README.read_text(encoding="utf-8").splitlines():
        if not line.startswith("|"):
            continue
        for m in re.finditer(r"`(quiz(?: [^`]*)?)`(\s*\(exit (\d+)\))?", line):
            command = m.group(1).replace("\\|", "|")
            if PLACEHOLDER.search(command) or (command, int(m.group(3) or 0)) in out:
                continue
            out.append((command, int(m.group(3) or 0)))
    return out


def _subcommand(argv: list[str]) -> str:
    """The subcommand of ``quiz [options] SUBCOMMAND ...`` ("" for the app itself)."""
    i = 1
    while i < len(argv):
        if argv[i].startswith("--"):
            i += 2 if "=" not in argv[i] else 1
            continue
        return argv[i]
    return ""


def test_the_readme_has_examples_for_every_command() -> None:
    commands = {_subcommand(shlex.split(c)) for c, _ in readme_examples()}
    for sub in ("", "study", "exam", "validate", "grade", "schema", "stats", "import", "lint", "report", "export"):
        assert sub in commands, f"no runnable example of `quiz {sub}` in the README"


@pytest.mark.skipif(sys.platform == "win32", reason="the app's examples run in a POSIX pseudo-terminal")
def test_every_readme_example_runs_and_exits_as_documented(tmp_path: Path) -> None:
    (tmp_path / "banks").symlink_to(ROOT / "banks", target_is_directory=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("QUIZ_")}
    env.update(QUIZ_DB=str(tmp_path / "progress.db"), QUIZ_CACHE_DIR=str(tmp_path / "cache"),
               TERM="xterm-256color", PYTHONIOENCODING="utf-8", COLUMNS="80", LINES="24")
    failures: list[str] = []
    examples = readme_examples()
    assert len(examples) >= 14
    for command, expected in examples:
        argv = shlex.split(command)
        sub = _subcommand(argv)
        run = quiz_command() + argv[1:]
        if sub in UI_COMMANDS:
            ready = [UI_READY[sub]] if expected == 0 else []
            result = run_in_pty(run, env=env, cwd=tmp_path, expect=ready, timeout=120)
            status, out = result.status, result.output
            if expected == 0 and not result.seen:
                failures.append(f"{command}: never showed {ready} (exit {status}): {out[-400:]!r}")
                continue
        else:
            done = subprocess.run(run, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
            status, out = done.returncode, done.stdout + done.stderr
        if status != expected:
            failures.append(f"{command}: exit {status}, README says {expected}: {out[-600:]!r}")
        elif expected and (not re.search(r"quiz: [^\n]+\s*$", out) or "Traceback" in out):
            # (the app's screen, left behind the terminal's alternate screen, precedes the line in a pty)
            failures.append(f"{command}: a mistake must end with one `quiz: ...` line, got {out[-400:]!r}")
    assert not failures, "\n".join(failures)
