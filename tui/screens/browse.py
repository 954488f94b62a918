"""题库浏览: banks > topics > questions as a tree, a full preview, reload with problems shown."""

from __future__ import annotations

from typing import ClassVar

from rich.console import Group, RenderableType
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Header, Static, Tree

from quiz.library import Item
from quiz.model import LETTERS, AnyQuestion, KeyPoint
from quiz.text import printable, reflow
from tui.i18n import colon, join, t
from tui.keys import bind
from tui.screens.base import QuizScreen
from tui.widgets.footer import QuizFooter
from tui.widgets.question import question_text
from tui.widgets.text import clip, plain
from tui.widgets.wrap import Paragraph


def _keypoints(title: str, points: list[KeyPoint] | list[KeyPoint | str]) -> list[RenderableType]:
    if not points:
        return []
    out: list[RenderableType] = [Text(title, style="bold")]
    for k in points:
        if isinstance(k, str):  # a violation class, recognised by meaning
            out.append(plain(f"  • {k}"))
            continue
        w = f" ×{k.weight:g}" if k.weight != 1 else ""
        out.append(plain(f"  • {k.point}{w}{colon()}" + " | ".join(k.any)))
    return out


def preview(item: Item) -> RenderableType:
    """Everything a trainer needs to check a question: answers, key points, explanation."""
    q: AnyQuestion = item.question
    parts: list[RenderableType] = [
        question_text(q),
        plain(t("browse.meta", qid=item.qid, type=t("type." + q.type), difficulty=q.difficulty or "-"), style="dim"),
        Text(""),
    ]
    if q.type in ("single", "multi"):
        parts.append(Text(t("browse.choices"), style="bold"))
        for i, c in enumerate(q.choices):
            parts.append(plain(f"  {LETTERS[i]}. {c}"))
    if q.type in ("single", "multi", "judge", "numeric"):
        parts.append(plain(f"{t('browse.answer')}{colon()}{q.expected_text()}", style="green"))
    if q.type == "numeric":
        extra = []
        if q.tolerance:
            extra.append(t("browse.tolerance", tolerance=f"{q.tolerance:g}"))
        if q.units:
            extra.append(t("browse.units", units=printable(join(q.units))))
        if extra:
            parts.append(Text("  " + "  ".join(extra), style="dim"))
    if q.type == "short":
        parts.append(Text(t("browse.accepted"), style="bold"))
        parts.extend(plain(f"  ✓ {a}", style="green") for a in q.answers)
        if q.reject:
            parts.append(Text(t("browse.rejected"), style="bold"))
            parts.extend(plain(f"  ✗ {r}", style="red") for r in q.reject)
    if q.type in ("short", "scenario"):
        parts.extend(_keypoints(t("browse.keypoints"), q.keypoints))
        parts.extend(_keypoints(t("browse.forbidden"), q.forbidden))
        if q.keypoints:
            parts.append(Text(t("browse.pass", percent=round(q.pass_ * 100)), style="dim"))
    if q.type == "scenario" and q.sample_answer:
        parts.append(Text(t("browse.sample"), style="bold"))
        parts.append(plain("  " + reflow(q.sample_answer.strip())))
    if q.explanation:
        parts.append(Text(""))
        parts.append(plain(f"{t('feedback.explanation')}{colon()}{reflow(q.explanation.strip())}"))
    if q.source or q.as_of:
        source = plain(f"{t('feedback.source')}{colon()}{(q.source or '-').strip()}", style="dim")
        if q.as_of:
            source.append(t("feedback.as_of", date=printable(q.as_of)))
        parts.append(source)
    return Group(*(Paragraph(p) if isinstance(p, Text) else p for p in parts))


class BrowseScreen(QuizScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        bind("r", "reload", "key.reload"),
        bind("p", "practice", "key.practice"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal():
            yield Tree(t("browse.title"), id="bank-tree")
            with VerticalScroll(id="preview-pane"):
                yield Static(t("browse.pick"), id="preview")
        yield Static("", id="problems")
        yield QuizFooter()

    def on_mount(self) -> None:
        self.refresh_view()
        self.query_one(Tree).focus()

    def refresh_view(self) -> None:
        tree: Tree[str] = self.query_one("#bank-tree", Tree)
        tree.clear()
        tree.root.set_label(t("browse.title"))
        lib = self.library
        if lib is None:
            tree.root.add_leaf(t("app.loading"))
            return
        for bank_id, bank in lib.banks.items():
            items = lib.select(banks=[bank_id])
            bnode = tree.root.add(plain(t("home.bank_line", title=bank.title, count=len(items))), data=f"bank:{bank_id}", expand=True)
            topics: dict[str, list[Item]] = {}
            for it in items:
                topics.setdefault(it.topic, []).append(it)
            for topic, its in topics.items():
                tnode = bnode.add(plain(t("home.bank_line", title=topic or t("browse.no_topic"), count=len(its))), data=f"topic:{topic}")
                for it in its:
                    tnode.add_leaf(plain(clip(f"[{t('type_short.' + it.type)}] {it.question.prompt}", 48)), data=f"q:{it.qid}")
        tree.root.expand()
        self._show_problems()

    def _show_problems(self) -> None:
        probs = self.quiz.problems
        box = self.query_one("#problems", Static)
        if not probs:
            box.update(Text(t("browse.no_problems"), style="green"))
            box.set_class(False, "-bad")
            return
        lines = [Text(t("browse.problems", count=len(probs)), style="bold red")]
        lines.extend(plain(str(p), style="red") for p in probs[:12])
        if len(probs) > 12:
            lines.append(Text(f"… +{len(probs) - 12}", style="red"))
        box.update(Group(*lines))
        box.set_class(True, "-bad")

    @on(Tree.NodeHighlighted)
    def _highlighted(self, event: Tree.NodeHighlighted[str]) -> None:
        data = event.node.data or ""
        if data.startswith("q:") and self.library is not None:
            item = self.library.get(data[2:])
            if item is not None:
                self.query_one("#preview", Static).update(preview(item))

    def action_reload(self) -> None:
        self.quiz.action_reload()

    def action_practice(self) -> None:
        """Practise the highlighted bank, topic or question."""
        node = self.query_one(Tree).cursor_node
        data = (node.data if node else None) or ""
        if data.startswith("bank:"):
            self.quiz.open_study("focus", bank=data[5:])
        elif data.startswith("topic:"):
            self.quiz.open_study("focus", topic=data[6:])
        elif data.startswith("q:") and self.library is not None:
            item = self.library.get(data[2:])
            if item is not None:
                self.quiz.open_study("focus", topic=item.topic or None, bank=None if item.topic else item.bank)
