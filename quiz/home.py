"""首页's numbers as plain data, and a head start on them at launch.

:func:`home_view` asks the core (overview, readiness, best scores, the session or exam to
resume, the trainer's assignments, the answers to disputes) and returns a :class:`HomeView`:
what the home screen shows, as plain values (text, numbers, times), ready to lay out. The
screen draws it and holds no rule of its own about what is due, mastered or ready.

This module imports nothing heavy and its records are named tuples (a dataclass costs a
millisecond to define, on the way to the first frame): a view can be drawn, and unpickled,
without the core's modules. That is what :class:`HomePrefetch` is for. ``quiz`` (the home screen) starts, as its
first step, a child process that opens the progress database read-only, reads the light index
of the banks (:mod:`quiz.index`) and works out the view, while this process imports the UI on
the other core; the app takes the view when it starts and paints the home screen complete in
its first frame. Whatever goes wrong in the child (no index yet, a database to create or
migrate, a new profile, no ``fork`` on this system, a child too slow) leaves the app to work the
numbers out itself after its first frame, as it does without a head start.
"""

from __future__ import annotations

import os
import pickle
import select
import signal
import time
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Literal, NamedTuple

if TYPE_CHECKING:
    from quiz.context import Context
    from quiz.library import Library
    from quiz.store import Store


class TopicRow(NamedTuple):
    """One row of 题库: a bank (its title and question count), or a topic of a bank with several."""

    id: str  # what selecting it opens: "bank:<bank id>" or "topic:<topic>"
    title: str  # the bank's title or the topic ("" for questions without a topic)
    is_bank: bool
    questions: int  # the bank's questions (0 for a topic row)
    mastery: float  # 0..1


class ExamRow(NamedTuple):
    """One row of 模拟考试: the exam, the learner's best score and the readiness range."""

    exam_id: str
    title: str
    best_score: float | None  # None: never submitted
    best_total: float
    low: float  # the readiness range ("约 low-high 分") out of total
    high: float
    total: float
    likely_pass: bool


class Resume(NamedTuple):
    """What ``c`` (继续上次) resumes: a running mock exam, else an unfinished study session."""

    kind: Literal["exam", "study"]
    exam_id: str = ""  # exam
    title: str = ""  # exam: its title
    deadline: datetime | None = None  # exam: when its time is up
    session_id: int = 0  # study
    mode: str = ""  # study: the session's mode (smart, focus ...)
    number: int = 0  # study: the question it resumes at (1-based, as the session numbers it)
    total: int = 0  # study: the session's questions


class Task(NamedTuple):
    """A trainer's assignment for this learner (an exam to take or a topic to practise)."""

    kind: str  # "exam" or "topic"
    what: str  # the exam's title (its id if the banks no longer hold it) or the topic
    due: datetime
    done: bool
    answered: int
    total: int
    note: str


class Notice(NamedTuple):
    """A dispute of this learner's, resolved lately."""

    prompt: str  # the question's prompt (its id when the banks are not loaded yet)
    accepted: bool
    note: str


class HomeView(NamedTuple):
    """What the home screen shows (see the module docstring)."""

    profile: str
    due: int
    new_left_today: int
    suggested_daily_new: int | None
    streak: int
    leeches: int
    days_to_exam: int | None
    resume: Resume | None
    topics: tuple[TopicRow, ...]
    exams: tuple[ExamRow, ...]
    tasks: tuple[Task, ...]
    notices: tuple[Notice, ...]
    preview: bool  # worked out from the index of the banks, before the banks themselves were loaded


def home_view(store: Store, lib: Library, profile: str, now: datetime, *, preview: bool = False) -> HomeView:
    """The home screen's view for ``profile`` at ``now``. ``lib`` may be the light index of the banks
    (``preview``): then without the trainer's assignments, which need the banks."""
    from quiz import stats, team
    from quiz.exam import ExamAttempt
    from quiz.session import StudySession

    ov = stats.overview(store, lib, profile, now)
    by_topic = {ts.topic: ts.mastery for ts in ov.topics}
    by_bank = {bs.topic: bs.mastery for bs in ov.banks}
    topics: list[TopicRow] = []
    for bank_id, bank in lib.banks.items():
        items = lib.select(banks=[bank_id])
        names = list(dict.fromkeys(it.topic for it in items))
        topics.append(TopicRow(f"bank:{bank_id}", bank.title, True, len(items), by_bank.get(bank_id, 0.0)))
        if len(names) > 1:  # one topic: the bank's line says it all
            topics += [TopicRow(f"topic:{topic}", topic or "", False, 0, by_topic.get(topic, 0.0)) for topic in names]
    best = stats.best_scores(store, profile)
    exams: list[ExamRow] = []
    for exam_id, exam in lib.exams.items():
        b = best.get(exam_id)
        r = stats.exam_readiness(store, lib, profile, exam_id, now)
        exams.append(ExamRow(exam_id, exam.title, b.score if b else None, b.total if b else 0.0,
                             r.low, r.high, r.total, r.likely_pass))
    resume: Resume | None = None
    attempt = ExamAttempt.latest_unfinished(store, profile)
    session = StudySession.latest_unfinished(store, profile)
    if attempt is not None and attempt.exam_id in lib.exams:
        resume = Resume("exam", exam_id=attempt.exam_id, title=lib.exams[attempt.exam_id].title,
                        deadline=attempt.deadline)
    elif session is not None:
        resume = Resume("study", session_id=session.session_id, mode=session.mode,
                        number=min(session.position + 1, session.total), total=session.total)
    tasks: list[Task] = []
    if not preview:
        for st in team.learner_assignments(store, lib, profile, now):
            a = st.assignment
            if st.done and now - a.due >= timedelta(days=1):
                continue  # done, and its day has passed
            what = (lib.exams[a.target].title if a.target in lib.exams else a.target) if a.kind == "exam" else a.target
            tasks.append(Task(a.kind, what, a.due, st.done, st.answered, st.total, a.note))
    notices: list[Notice] = []
    for case in team.notices(store, profile, now)[:3]:
        item = None if preview else lib.find(case.qid)
        notices.append(Notice(item.question.prompt if item is not None else case.qid, case.status == "accepted",
                              case.resolution_note or ""))
    return HomeView(
        profile=ov.profile, due=ov.due, new_left_today=ov.new_left_today, suggested_daily_new=ov.suggested_daily_new,
        streak=ov.streak, leeches=ov.leeches, days_to_exam=ov.days_to_exam, resume=resume, topics=tuple(topics),
        exams=tuple(exams), tasks=tuple(tasks), notices=tuple(notices), preview=preview,
    )


# --------------------------------------------------------------------------- the head start


class Prefetched(NamedTuple):
    """What the child process worked out: the learner's language and theme settings and the view."""

    language: str
    theme: str
    view: HomeView


def prefetch(ctx: Context, now: datetime) -> Prefetched | None:
    """The view from the index of the banks and the database as they are, reading only: None when the
    index is missing or out of date, or the database is missing, not at this version's schema, or
    does not know the profile yet (the app creates, migrates and records those itself)."""
    from quiz.store import Store

    lib = ctx.quick_library()
    if lib is None:
        return None
    store = Store.open_current_readonly(ctx.db_path)
    if store is None:
        return None
    try:
        if ctx.profile not in store.profiles():
            return None
        settings = store.get_settings(ctx.profile)
        return Prefetched(settings.language, settings.theme, home_view(store, lib, ctx.profile, now, preview=True))
    finally:
        store.conn.close()


class HomePrefetch:
    """:func:`prefetch` run in a child process while this one goes on (see the module docstring).

    :meth:`start` forks; :meth:`wait` reads the child's answer for a bounded time (again and again
    if need be: a large database takes the child longer than the UI takes to start); :meth:`result`
    waits a last bounded time, reaps the child and gives its answer. Where ``fork`` is missing
    (Windows) or ``QUIZ_NO_PREFETCH`` is set, there is no head start.
    """

    def __init__(self, pid: int, fd: int) -> None:
        self._pid = pid
        self._fd = fd
        self._chunks: list[bytes] = []
        self._done = False  # the child's answer is read whole

    @classmethod
    def start(cls, ctx: Context) -> HomePrefetch | None:
        if not hasattr(os, "fork") or os.environ.get("QUIZ_NO_PREFETCH"):
            return None
        read, write = os.pipe()
        try:
            pid = os.fork()
        except OSError:  # no more processes: no head start
            os.close(read)
            os.close(write)
            return None
        if pid == 0:  # the child: work the view out, hand it over, leave without running the parent's exit code
            code = 1
            try:
                os.close(read)
                from quiz.scheduler import utc_now

                payload = pickle.dumps(prefetch(ctx, utc_now()), protocol=pickle.HIGHEST_PROTOCOL)
                view = memoryview(payload)
                while view:
                    view = view[os.write(write, view):]
                code = 0
            except BaseException:  # any failure only means no head start
                pass
            finally:
                os._exit(code)
        os.close(write)
        return cls(pid, read)

    def wait(self, timeout: float) -> bool:
        """Read what the child has written, for at most ``timeout`` seconds: True once it is done (its
        answer read whole), False while it is still working (call again to wait more)."""
        if self._fd < 0 or self._done:
            return True
        deadline = time.monotonic() + timeout
        try:
            while True:
                left = deadline - time.monotonic()
                if left <= 0 or not select.select([self._fd], [], [], left)[0]:
                    return False
                chunk = os.read(self._fd, 1 << 16)
                if not chunk:
                    self._done = True
                    return True
                self._chunks.append(chunk)
        except OSError:  # nothing more to read: no head start
            self._close(kill=True)
            return True

    def result(self, timeout: float) -> Prefetched | None:
        """The child's view, waiting at most ``timeout`` seconds more for it; None if it has none, failed
        or is not done by then (it is stopped). Once only: the child is reaped and the pipe closed."""
        if self._fd < 0:
            return None
        done = self.wait(timeout) and self._done
        self._close(kill=not done)
        chunks, self._chunks, self._done = self._chunks, [], False
        if not done:
            return None
        try:
            value = pickle.loads(b"".join(chunks))
        except Exception:  # a child killed mid-write: no head start
            return None
        return value if isinstance(value, Prefetched) else None

    def _close(self, *, kill: bool) -> None:
        """Close the pipe and reap the child (stopped first when ``kill``)."""
        if self._fd < 0:
            return
        os.close(self._fd)
        self._fd = -1
        try:
            if kill:
                os.kill(self._pid, signal.SIGKILL)
            os.waitpid(self._pid, 0)
        except OSError:
            pass
