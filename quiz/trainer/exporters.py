"""A bank out to an LMS: Moodle XML and GIFT, each with the list of what it could not express.

``quiz export --format moodle-xml BANK -o OUT.xml`` / ``--format gift ... -o OUT.gift``:
BANK is a bank file or the id of a bank in use. What the target format has no place for
(difficulty, key points, all-or-nothing 多选 ...) is reported by field, with the ids of
the questions concerned, so a trainer knows exactly what a round trip through the LMS
would lose. ``quiz export results.csv`` (exam results) is unchanged.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from quiz.context import Context
from quiz.errors import UserError
from quiz.model import (
    LETTERS,
    AnyQuestion,
    Bank,
    JudgeQuestion,
    MultiQuestion,
    NumericQuestion,
    ScenarioQuestion,
    ShortQuestion,
    SingleQuestion,
)
from quiz.trainer import markup
from quiz.trainer.moodle_xml import Export, _common_lost, _judge_feedback, _scenario_lost, export_moodle_xml, share

FORMATS = {"moodle-xml": ".xml", "gift": ".gift"}

# ---------------------------------------------------------------- GIFT

_GIFT_ESCAPE = str.maketrans({c: "\\" + c for c in "\\~=#{}:"} | {"\n": "\\n", "\r": ""})


def _gift(text: str, html: bool) -> str:
    """Text for a GIFT file: HTML-escaped when the question is written as [html], GIFT's special characters escaped."""
    return (markup.to_html(text) if html else text).translate(_GIFT_ESCAPE)


def _texts(q: AnyQuestion) -> list[str]:
    out = [q.prompt, q.explanation or "", q.source or "", *q.feedback.values()]
    if isinstance(q, SingleQuestion | MultiQuestion):
        out += q.choices
    if isinstance(q, ShortQuestion):
        out += q.answers + q.reject
    if isinstance(q, ScenarioQuestion):
        out.append(q.sample_answer or "")
    return out


def _meta(value: str) -> str:
    return value.replace("]", ")").replace("\n", " ")


def _gift_question(q: AnyQuestion, out: Export) -> str:
    # [html] only where the text needs it (line breaks, < > &): Moodle's default format reads HTML too
    html = any(markup.to_html(t) != t for t in _texts(q))

    def t(s: str) -> str:
        return _gift(s, html)

    fb = dict(q.feedback)
    _common_lost(q, out)
    lines = [f"// [id:{_meta(q.id)}]" + "".join(f" [tag:{_meta(tag)}]" for tag in q.tags)]
    head = f"::{_gift(q.id, False)}::" + ("[html]" if html else "") + t(q.prompt)
    general = markup.join_source(q.explanation, q.source)
    body: list[str] = []
    if isinstance(q, SingleQuestion):
        right = q.right_indexes
        for i, c in enumerate(q.choices):
            f = fb.pop(LETTERS[i], "")
            body.append(("=" if i in right else "~") + t(c) + (f"#{t(f)}" if f else ""))
    elif isinstance(q, MultiQuestion):
        right = q.answer_indexes
        for i, c in enumerate(q.choices):
            f = fb.pop(LETTERS[i], "")
            body.append(f"~%{share(len(right)) if i in right else '-100'}%" + t(c) + (f"#{t(f)}" if f else ""))
        if q.scoring == "all":
            out.lose("scoring: all (Moodle gives partial credit for some right answers)", q.id, "scoring")
    elif isinstance(q, JudgeQuestion):
        right_fb, wrong_fb = _judge_feedback(q, fb, out)
        tail = (f"#{t(wrong_fb)}" if wrong_fb or right_fb else "") + (f"#{t(right_fb)}" if right_fb else "")
        body.append(("TRUE" if q.answer else "FALSE") + tail)
    elif isinstance(q, ShortQuestion):
        correct = fb.pop("correct", "")
        if correct and any(a in fb for a in q.answers):
            out.lose("feedback correct beside feedback on one accepted answer", q.id, "feedback")
        for a in q.answers:
            f = fb.pop(a, "") or correct
            body.append("=" + t(a.replace("\\", "\\\\").replace("*", "\\*")) + (f"#{t(f)}" if f else ""))
        for r in q.reject:
            f = fb.pop(r, "")
            body.append("=%0%" + t(r.replace("\\", "\\\\").replace("*", "\\*")) + (f"#{t(f)}" if f else ""))
        wrong = fb.pop("wrong", "")
        if wrong:
            body.append(f"=%0%*#{t(wrong)}")
    elif isinstance(q, NumericQuestion):
        correct, wrong = fb.pop("correct", ""), fb.pop("wrong", "")

        def n(v: float) -> str:
            return str(int(v)) if float(v).is_integer() else repr(v)

        body.append("#" if correct or wrong else "#" + n(q.answer) + (f":{n(q.tolerance)}" if q.tolerance else ""))
        if correct or wrong:
            body.append(f"=%100%{n(q.answer)}:{n(q.tolerance)}" + (f"#{t(correct)}" if correct else ""))
            if wrong:
                body.append(f"~#{t(wrong)}")
        if q.unit or q.units:
            out.lose("units (GIFT has none: Moodle accepts the bare number)", q.id, "unit", "units")
    else:
        assert isinstance(q, ScenarioQuestion)
        # a GIFT essay has only its general feedback: the sample answer (or the key points) go there
        general = q.sample_answer or "\n".join(f"{k.point}：{' / '.join(k.any)}" for k in q.keypoints)
        _scenario_lost(q, out, *([] if q.sample_answer else ["sample_answer"]))
        if q.explanation or q.source:
            out.lose("explanation and source of a 情景 (a GIFT essay's one feedback holds the sample answer)", q.id,
                     "explanation", "source")
    if fb:
        out.lose("feedback " + ", ".join(sorted(fb)), q.id, "feedback")
    if isinstance(q, NumericQuestion) and len(body) == 1:
        inner = body[0]
    elif isinstance(q, JudgeQuestion | ScenarioQuestion):
        inner = "".join(body)
    else:
        inner = "\n" + "".join(f"\t{b}\n" for b in body)
    if general:
        inner += ("\t" if inner.endswith("\n") else "") + f"####{t(general)}" + ("\n" if inner.endswith("\n") else "")
    lines.append(f"{head}{{{inner}}}")
    return "\n".join(lines) + "\n"


def export_gift(bank: Bank) -> Export:
    """The bank as a GIFT file: ``$CATEGORY`` per topic, ``// [id:...]`` and ``// [tag:...]`` per question."""
    out = Export("", len(bank.questions))
    parts = [f"// bank {_meta(bank.bank)}: {_meta(bank.title)}, exported by `quiz export`\n\n"]
    if bank.tags:
        out.lose("bank tags (added to every question's tags)", bank.bank)
    topic: str | None = None
    first = True
    for q in bank.questions:
        if first or q.topic != topic:
            path = "/".join(p.replace("/", "//") for p in ["$course$", "top", bank.title, *([q.topic] if q.topic else [])])
            parts.append(f"$CATEGORY: {path.replace(chr(10), ' ')}\n\n")
            topic, first = q.topic, False
        if bank.tags:
            q = q.model_copy(update={"tags": list(dict.fromkeys([*q.tags, *bank.tags]))})
        parts.append(_gift_question(q, out) + "\n")
    out.text = "".join(parts)
    return out


# ---------------------------------------------------------------- the command


def export_bank(bank: Bank, fmt: str) -> Export:
    if fmt == "moodle-xml":
        return export_moodle_xml(bank)
    if fmt == "gift":
        return export_gift(bank)
    raise UserError(f"export: unknown format {fmt!r}; use moodle-xml or gift")


def _find_bank(spec: str, ctx: Context) -> Bank:
    p = Path(spec)
    if p.exists():
        from quiz.commands import _load_bank

        return _load_bank(spec)
    library, _ = ctx.load_library()
    banks = library.banks.values() if isinstance(library.banks, dict) else library.banks
    for b in banks:
        if b.bank == spec:
            return b
    raise UserError(f"export: {spec}: no such file, and no bank with that id in {ctx.banks_dir}")


def print_lost(export: Export, fmt: str) -> None:
    if not export.lost:
        return
    print(f"not in the {fmt} file ({len(export.lost)} kind(s)): the LMS has no place for", file=sys.stderr)
    for what, ids in export.lost.items():
        shown = ", ".join(ids[:8]) + (f" and {len(ids) - 8} more" if len(ids) > 8 else "")
        print(f"  {what} ({len(ids)}): {shown}", file=sys.stderr)


def cli_export(args: argparse.Namespace, ctx: Context) -> int:
    """``quiz export --format moodle-xml|gift BANK [-o OUT]``, or ``quiz export results.csv`` (exam results)."""
    fmt = args.format
    if fmt is None and args.output:  # -o bank.xml / -o bank.gift say which
        fmt = next((f for f, suffix in FORMATS.items() if Path(args.output).suffix.lower() == suffix), None)
    if fmt in (None, "csv"):
        from quiz.trainer.report import cli_export as export_results

        target = args.output or args.target
        if not target:
            raise UserError("export: name the CSV file to write (quiz export results.csv), or give --format and a bank")
        return export_results(argparse.Namespace(**{**vars(args), "output": target}), ctx)
    if not args.target:
        raise UserError(f"export --format {fmt}: name the bank to export (a bank file, or a bank id)")
    bank = _find_bank(args.target, ctx)
    export = export_bank(bank, fmt)
    if args.output and args.output != "-":
        from quiz.trainer.importers import write_output

        source = Path(args.target)
        if not source.is_file():  # a bank id: the bank's file in the banks in use
            found = ctx.load_library()[0].bank_paths.get(bank.bank)
            source = found if found is not None else source
        write_output(Path(args.output), export.text, inputs=[source], protect=[ctx.db_path],
                     force=bool(getattr(args, "force", False)))
        where = args.output
    else:
        sys.stdout.write(export.text)
        where = "stdout"
    print_lost(export, fmt)
    print(f"exported {export.questions} question(s) of bank {bank.bank!r} to {where} as {fmt}", file=sys.stderr)
    return 0
