"""Load and validate bank and exam files, reporting every problem with its place.

The YAML is composed into nodes (libyaml's parser when present), and the nodes
are turned into plain data by :func:`_construct`, which refuses duplicated keys
and alias expansions that would blow up memory. The data is validated by the
pydantic models in :mod:`quiz.model`; each validation error's location is walked
back through the nodes to a ``line:column``. Nothing here raises for bad input:
every problem becomes a :class:`Problem`.
"""

from __future__ import annotations

import difflib
import functools
import gc
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, TypeAdapter, ValidationError

from quiz import cache
from quiz.grading.lexicon import (
    LEXICON_KEYS,
    Conjunction,
    Lexicon,
    Thesaurus,
    ThesaurusGroup,
    ViolationClass,
    Violations,
)
from quiz.library import Library, fill_sections
from quiz.model import QUESTION_TYPES, Bank, Exam, Example, KeyPoint, Question, Section

try:  # libyaml's C parser is about 7x faster than the pure-Python one
    from yaml import CSafeLoader as _SafeLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _SafeLoader  # type: ignore[assignment]

MAX_ALIAS_EXPANSION = 1_000_000
MAX_PROBLEMS_PER_FILE = 200
YAML_SUFFIXES = (".yaml", ".yml")



@functools.cache
def _question_adapter() -> TypeAdapter[Any]:
    """Built on first use: a warm start (every bank from the cache) never validates a question."""
    return TypeAdapter(Question)

_STR_TAG = "tag:yaml.org,2002:str"
_MERGE_TAG = "tag:yaml.org,2002:merge"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in a file, at a place a trainer can jump to."""

    path: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.message}"


@dataclass
class LoadResult:
    path: Path
    document: Bank | Exam | Lexicon | None
    problems: list[Problem]
    from_cache: bool = False


class _TooLarge(Exception):
    pass


class _Builder:
    """Nodes to plain data, recording duplicated keys; bounded alias expansion."""

    def __init__(self, path: str, *, shared: bool = True) -> None:
        self.path = path
        self.shared = shared  # False when the text has no anchors: no node can be reached twice
        self.problems: list[Problem] = []
        self.problem_nodes: list[yaml.Node] = []  # the node of each problem, to name its bank and question
        self._constructor = yaml.constructor.SafeConstructor()
        self._memo: dict[int, Any] = {}
        self._sizes: dict[int, int] = {}

    def expanded_size(self, node: yaml.Node) -> int:
        """How many nodes the document has once every alias is expanded (memoised)."""
        key = id(node)
        size = self._sizes.get(key)
        if size is not None:
            return size
        self._sizes[key] = 1  # a recursive alias counts once; it is refused below
        total = 1
        if isinstance(node, yaml.SequenceNode):
            for child in node.value:
                total += self.expanded_size(child)
                if total > MAX_ALIAS_EXPANSION * 4:
                    break
        elif isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                total += self.expanded_size(k) + self.expanded_size(v)
                if total > MAX_ALIAS_EXPANSION * 4:
                    break
        self._sizes[key] = total
        return total

    def build(self, node: yaml.Node) -> Any:
        key = id(node)
        if self.shared and key in self._memo:
            return self._memo[key]
        if isinstance(node, yaml.ScalarNode):
            if node.tag == _STR_TAG:
                value: Any = node.value
            else:
                ctor = self._constructor.yaml_constructors.get(node.tag)
                value = ctor(self._constructor, node) if ctor else node.value
        elif isinstance(node, yaml.SequenceNode):
            value = []
            if self.shared:
                self._memo[key] = value
            value.extend(self.build(child) for child in node.value)
            return value
        elif isinstance(node, yaml.MappingNode):
            value = {}
            if self.shared:
                self._memo[key] = value
            first_at: dict[Any, yaml.Node] = {}
            for k_node, v_node in node.value:
                if k_node.tag == _MERGE_TAG:
                    merged = self.build(v_node)
                    for m in merged if isinstance(merged, list) else [merged]:
                        if isinstance(m, dict):
                            for mk, mv in m.items():
                                value.setdefault(mk, mv)
                    continue
                k = self.build(k_node)
                try:
                    hash(k)
                except TypeError:
                    self._problem(k_node, "a mapping key must be a plain value, not a list or mapping")
                    continue
                if k in first_at:
                    first = first_at[k].start_mark.line + 1
                    self._problem(
                        k_node,
                        f"duplicated key `{_short(k)}` (first at line {first}); YAML would silently keep the last one",
                    )
                    continue
                first_at[k] = k_node
                value[k] = self.build(v_node)
            return value
        else:  # pragma: no cover - yaml has no other node kinds
            value = None
        if self.shared:
            self._memo[key] = value
        return value

    def _problem(self, node: yaml.Node, message: str) -> None:
        m = node.start_mark
        self.problems.append(Problem(self.path, m.line + 1, m.column + 1, message))
        self.problem_nodes.append(node)


def _short(value: object, limit: int = 40) -> str:
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _decode(path: str, raw: bytes) -> tuple[str | None, list[Problem]]:
    if not raw.strip():
        return None, [Problem(path, 1, 1, "file is empty: a bank needs `bank:`, `title:` and `questions:`")]
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError as e:
        before = raw[: e.start]
        line = before.count(b"\n") + 1
        column = e.start - (before.rfind(b"\n") + 1) + 1
        hint = "save it as UTF-8"
        try:
            raw.decode("gb18030")
            hint = "it looks like GBK/GB18030 (as Windows Notepad or Excel save Chinese text); save it as UTF-8"
        except UnicodeDecodeError:
            pass
        return None, [Problem(path, line, column, f"file is not UTF-8 (byte 0x{raw[e.start]:02x}): {hint}")]


_TAB_INDENT = re.compile(r"^[ ]*\t", re.MULTILINE)


def _tab_problems(path: str, text: str) -> list[Problem]:
    out = []
    for m in _TAB_INDENT.finditer(text):
        line = text.count("\n", 0, m.start()) + 1
        column = m.end() - m.start()
        out.append(Problem(path, line, column, "tab character in indentation: YAML allows only spaces there"))
        if len(out) >= 20:
            break
    return out


def parse_yaml(path: str, raw: bytes) -> tuple[Any, yaml.Node | None, list[Problem]]:
    """Bytes to (data, root node, problems). Data is None when the file cannot be read as YAML."""
    text, problems = _decode(path, raw)
    if text is None:
        return None, None, problems
    tabs = _tab_problems(path, text)
    enabled = gc.isenabled()
    gc.disable()  # composing makes a node per value: collections midway would find nothing to free
    try:
        return _parse_nodes(path, text, tabs)
    finally:
        if enabled:
            gc.enable()


def _parse_nodes(path: str, text: str, tabs: list[Problem]) -> tuple[Any, yaml.Node | None, list[Problem]]:
    try:
        node = yaml.compose(text, Loader=_SafeLoader)
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        if any(t.line == line for t in tabs):
            return None, None, tabs
        what = e.problem or "not valid YAML"
        if e.context:
            what = f"{e.context}, {what}"
        return None, None, [*tabs, Problem(path, line, column, f"YAML syntax: {what}")]
    except yaml.YAMLError as e:
        return None, None, [*tabs, Problem(path, 1, 1, f"YAML: {_short(str(e), 200)}")]
    if node is None:
        return None, None, [Problem(path, 1, 1, "file is empty: a bank needs `bank:`, `title:` and `questions:`")]
    builder = _Builder(path, shared="&" in text)
    if builder.shared and builder.expanded_size(node) > MAX_ALIAS_EXPANSION:
        m = node.start_mark
        return None, None, [
            *tabs,
            Problem(
                path, m.line + 1, m.column + 1,
                f"YAML aliases expand to more than {MAX_ALIAS_EXPANSION:,} values (an alias bomb?); refused",
            ),
        ]
    try:
        data = builder.build(node)
    except (yaml.YAMLError, ValueError, TypeError) as e:
        return None, None, [*tabs, Problem(path, 1, 1, f"YAML value: {_short(str(e), 200)}")]
    named = [
        _with_place(problem, data, _path_to(node, target))
        for problem, target in zip(builder.problems, builder.problem_nodes, strict=True)
    ]
    return data, node, [*tabs, *named]


def _path_to(root: yaml.Node, target: yaml.Node) -> tuple[Any, ...]:
    """Where a key node stands in the document, as a location (searched only when there is a problem)."""
    stack: list[tuple[yaml.Node, tuple[Any, ...]]] = [(root, ())]
    seen: set[int] = set()
    while stack:
        node, loc = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                if k is target:
                    return loc
                stack.append((v, (*loc, k.value if isinstance(k, yaml.ScalarNode) else None)))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((child, (*loc, i)) for i, child in enumerate(node.value))
    return ()


def _with_place(problem: Problem, data: Any, loc: tuple[Any, ...]) -> Problem:
    place = _describe_place(data, loc)
    if not place:
        return problem
    return Problem(problem.path, problem.line, problem.column, f"{place}: {problem.message}")


# -- locating validation errors -------------------------------------------------


def _node_at(root: yaml.Node, data: Any, loc: Sequence[Any]) -> tuple[yaml.Node, bool]:
    """The node a pydantic location points at, and whether it is a key (unknown field)."""
    node, here = root, data
    for part in loc:
        if isinstance(node, yaml.MappingNode) and isinstance(here, dict):
            if part in here:
                for k_node, v_node in node.value:
                    if isinstance(k_node, yaml.ScalarNode) and k_node.value == str(part):
                        if isinstance(here[part], (dict, list)) or part != loc[-1]:
                            node = v_node
                        else:
                            return v_node, False
                        break
                here = here[part]
                continue
            if here.get("type") == part:  # the tag pydantic puts in a union's location
                continue
            return node, False
        if isinstance(node, yaml.SequenceNode) and isinstance(here, list) and isinstance(part, int):
            if 0 <= part < len(node.value):
                node, here = node.value[part], here[part]
                continue
        return node, False
    return node, False


def _key_node(root: yaml.Node, data: Any, loc: Sequence[Any]) -> yaml.Node:
    parent, _ = _node_at(root, data, loc[:-1])
    if isinstance(parent, yaml.MappingNode):
        for k_node, _v in parent.value:
            if isinstance(k_node, yaml.ScalarNode) and k_node.value == str(loc[-1]):
                return k_node
    return parent


def _model_for(data: Any, loc: Sequence[Any], top: type[BaseModel]) -> type[BaseModel] | None:
    """The model class whose field a location names (to suggest a field for a typo)."""
    model: type[BaseModel] | None = top
    here = data
    for part in loc[:-1]:
        if isinstance(here, dict):
            if part not in here:
                continue  # a union tag in the location
            here = here[part]
            model = {
                "questions": None,
                "keypoints": KeyPoint,
                "forbidden": KeyPoint,
                "sections": Section,
                "examples": Example,
                "groups": ThesaurusGroup,
                "classes": ViolationClass,
                "also": Conjunction,
            }.get(str(part), model)
        elif isinstance(here, list) and isinstance(part, int) and 0 <= part < len(here):
            here = here[part]
            if model is None and isinstance(here, dict):
                model = _QUESTION_MODELS.get(str(here.get("type")))
        else:
            return None
    return model


def _describe_place(data: Any, loc: Sequence[Any]) -> str:
    """'bank B, question Q' (or exam/section) for a location, as far as it is known."""
    if not isinstance(data, dict):
        return ""
    if "bank" in data:
        where = f"bank {_short(data.get('bank'))}"
        if len(loc) >= 2 and loc[0] == "questions" and isinstance(loc[1], int):
            qs = data.get("questions")
            if isinstance(qs, list) and 0 <= loc[1] < len(qs):
                q = qs[loc[1]]
                qid = q.get("id") if isinstance(q, dict) else None
                where += f", question {_short(qid)}" if qid else f", question #{loc[1] + 1}"
        return where
    if "exam" not in data:
        return ""  # a thesaurus or violations file names itself
    where = f"exam {_short(data.get('exam'))}"
    if len(loc) >= 2 and loc[0] == "sections" and isinstance(loc[1], int):
        secs = data.get("sections")
        if isinstance(secs, list) and 0 <= loc[1] < len(secs) and isinstance(secs[loc[1]], dict):
            where += f", section {_short(secs[loc[1]].get('title', loc[1] + 1))}"
    return where


def _field_path(loc: Sequence[Any], data: Any) -> str:
    """A location as a trainer reads it, below the bank/question or exam/section it names."""
    parts: list[str] = []
    here = data
    if len(loc) >= 2 and loc[0] in ("questions", "sections") and isinstance(loc[1], int):
        here = here.get(loc[0]) if isinstance(here, dict) else None
        here = here[loc[1]] if isinstance(here, list) and 0 <= loc[1] < len(here) else None
        loc = loc[2:]
    for part in loc:
        if isinstance(here, dict) and part not in here and here.get("type") == part:
            continue
        if isinstance(part, int):
            parts.append(f"[{part}]")
        else:
            parts.append(("." if parts else "") + str(part))
        here = here.get(part) if isinstance(here, dict) else (
            here[part] if isinstance(here, list) and isinstance(part, int) and 0 <= part < len(here) else None
        )
    return "".join(parts)


def _validation_problems(
    path: str, root: yaml.Node, data: Any, err: ValidationError, top: type[BaseModel], prefix: Sequence[Any] = ()
) -> list[Problem]:
    out = []
    for e in err.errors(include_url=False, include_input=False):
        loc = (*prefix, *e["loc"])
        kind = e["type"]
        field = _field_path(loc, data)
        if kind == "extra_forbidden":
            node = _key_node(root, data, loc)
            name = str(loc[-1])
            msg = f"unknown field `{name}`"
            model = _model_for(data, loc, top)
            if model is not None:
                names = [f.alias or n for n, f in model.model_fields.items()]
                close = difflib.get_close_matches(name, names, n=1, cutoff=0.6)
                if close:
                    msg += f" (did you mean `{close[0]}`?)"
        else:
            node, _ = _node_at(root, data, loc if kind != "missing" else loc[:-1])
            if kind == "missing":
                msg = f"missing required field `{loc[-1]}`"
            elif kind == "union_tag_invalid":
                msg = f"unknown question type (expected one of {', '.join(QUESTION_TYPES)})"
                node, _ = _node_at(root, data, (*loc, "type"))
            elif kind == "union_tag_not_found":
                msg = f"question has no `type` (one of {', '.join(QUESTION_TYPES)})"
            elif kind in ("bool_type", "bool_parsing"):
                msg = f"`{field}` must be true or false"
            elif kind in ("model_type", "dict_type"):
                msg = f"`{field}` must be a mapping of fields" if field else "must be a mapping of fields"
            else:
                msg = f"`{field}`: {e['msg']}" if field else e["msg"]
        place = _describe_place(data, loc)
        m = node.start_mark
        out.append(Problem(path, m.line + 1, m.column + 1, f"{place}: {msg}" if place else msg))
    return out


_QUESTION_MODELS: dict[str, type[BaseModel]] = {}


def _init_question_models() -> None:
    from quiz import model as m

    for cls in (m.SingleQuestion, m.MultiQuestion, m.JudgeQuestion, m.ShortQuestion, m.NumericQuestion, m.ScenarioQuestion):
        _QUESTION_MODELS[str(cls.model_fields["type"].annotation.__args__[0])] = cls  # type: ignore[union-attr]


_init_question_models()


def _bank_semantic_problems(path: str, root: yaml.Node, data: dict[str, Any], bank: Bank | None) -> list[Problem]:
    """Checks across fields and questions, on every question that validated."""
    out: list[Problem] = []
    raw_qs = data.get("questions")
    if not isinstance(raw_qs, list):
        return out
    seen: dict[str, int] = {}
    for i, raw in enumerate(raw_qs):
        if not isinstance(raw, dict):
            continue
        qid = raw.get("id")
        if isinstance(qid, str):
            if qid in seen:
                node, _ = _node_at(root, data, ("questions", i, "id"))
                first, _ = _node_at(root, data, ("questions", seen[qid], "id"))
                out.append(Problem(path, node.start_mark.line + 1, node.start_mark.column + 1,
                                   f"bank {_short(data.get('bank'))}: duplicate question id `{qid}` "
                                   f"(first at line {first.start_mark.line + 1})"))
            else:
                seen[qid] = i
        if bank is not None:
            q = bank.questions[i]
        else:
            try:
                q = _question_adapter().validate_python(raw)
            except ValidationError:
                continue
        for sub, message in [*q.problems(), *_class_name_problems(q)]:
            loc = ("questions", i, *sub)
            node, _ = _node_at(root, data, loc)
            m = node.start_mark
            out.append(Problem(path, m.line + 1, m.column + 1, f"{_describe_place(data, loc)}: {message}"))
    return out


def _class_name_problems(q: Any) -> list[tuple[tuple[str | int, ...], str]]:
    """Violation classes a question names in ``forbidden`` that no violations file defines."""
    names = [(k, f) for k, f in enumerate(getattr(q, "forbidden", ())) if isinstance(f, str)]
    if not names:
        return []
    from quiz.grading import lexicon

    known = lexicon.known_classes()
    out: list[tuple[tuple[str | int, ...], str]] = []
    for k, name in names:
        base = name.removeprefix("allow-")
        if base not in known:
            close = difflib.get_close_matches(base, sorted(known), n=1, cutoff=0.6)
            hint = f" (did you mean `{close[0]}`?)" if close else f" (known: {', '.join(sorted(known))})"
            out.append((("forbidden", k), f"unknown violation class `{name}`{hint}"))
    return out


def _partial_lexicon_problems(data: dict[str, Any], top: type[Thesaurus] | type[Violations]) -> list[
    tuple[tuple[str | int, ...], str]
]:
    from quiz.grading.lexicon import class_problems, thesaurus_problems

    if top is Thesaurus:
        groups = data.get("groups")
        ok: list[tuple[int, ThesaurusGroup]] = []
        for i, g in enumerate(groups if isinstance(groups, list) else []):
            try:
                ok.append((i, ThesaurusGroup.model_validate(g)))
            except ValidationError:
                continue
        return thesaurus_problems(ok)
    classes = data.get("classes")
    good: dict[str, ViolationClass] = {}
    for cname, c in (classes.items() if isinstance(classes, dict) else []):
        try:
            good[str(cname)] = ViolationClass.model_validate(c)
        except ValidationError:
            continue
    return class_problems(good)


def _validate_lexicon(path: str, root: yaml.Node, data: dict[str, Any]) -> tuple[Lexicon | None, list[Problem]]:
    """A thesaurus or violation-class file (quiz.grading.lexicon), every problem with its place."""
    top: type[Thesaurus] | type[Violations] = Thesaurus if "thesaurus" in data else Violations
    kind = "thesaurus" if top is Thesaurus else "violations"
    name = _short(data.get(kind))
    try:
        doc = top.model_validate(data)
    except ValidationError as e:
        found = [
            Problem(p.path, p.line, p.column, f"{kind} {name}: {p.message}")
            for p in _validation_problems(path, root, data, e, top)
        ]
        # the checks across groups or classes still run on the parts that are well formed
        for loc, message in _partial_lexicon_problems(data, top):
            node, _ = _node_at(root, data, loc)
            m = node.start_mark
            found.append(Problem(path, m.line + 1, m.column + 1, f"{kind} {name}: {message}"))
        return None, sorted(found)
    out = []
    for loc, message in doc.problems():
        node, _ = _node_at(root, data, loc)
        m = node.start_mark
        out.append(Problem(path, m.line + 1, m.column + 1, f"{kind} {_short(data.get(kind))}: {message}"))
    return (None if out else doc), out


def _validate(path: str, root: yaml.Node, data: Any) -> tuple[Bank | Exam | Lexicon | None, list[Problem]]:
    if isinstance(data, dict) and len(set(LEXICON_KEYS) & set(data)) == 1 and not ({"bank", "exam"} & set(data)):
        return _validate_lexicon(path, root, data)
    if not isinstance(data, dict) or not ({"bank", "exam"} & set(data)):
        m = root.start_mark
        shape = "a list" if isinstance(data, list) else "a mapping without `bank:` or `exam:`" if isinstance(data, dict) else "a single value"
        return None, [Problem(path, m.line + 1, m.column + 1,
                              f"top level is {shape}: a bank file starts with `bank:` (an exam file with `exam:`, "
                              "a thesaurus with `thesaurus:`, violation classes with `violations:`)")]
    if "bank" in data and "exam" in data:
        m = root.start_mark
        return None, [Problem(path, m.line + 1, m.column + 1, "a file is a bank or an exam, not both (`bank:` and `exam:`)")]
    top: type[BaseModel] = Bank if "bank" in data else Exam
    try:
        doc = top.model_validate(data)
    except ValidationError as e:
        problems = _validation_problems(path, root, data, e, top)
        if top is Bank:
            problems += _bank_semantic_problems(path, root, data, None)
        return None, problems
    if isinstance(doc, Bank):
        problems = _bank_semantic_problems(path, root, data, doc)
        return (None if problems else doc), problems
    assert isinstance(doc, Exam)
    return doc, []


def load_file(path: Path | str, *, use_cache: bool = True) -> LoadResult:
    """One bank or exam file, validated on its own (exam pools are checked by :func:`load_paths`)."""
    p = Path(path)
    shown = str(path)
    try:
        raw = p.read_bytes()
    except FileNotFoundError:
        return LoadResult(p, None, [Problem(shown, 1, 1, "no such file")])
    except IsADirectoryError:
        return LoadResult(p, None, [Problem(shown, 1, 1, "is a folder, not a bank file")])
    except OSError as e:
        return LoadResult(p, None, [Problem(shown, 1, 1, f"cannot read: {e.strerror or e}")])
    key = cache.content_key(raw) if use_cache else ""
    if use_cache:
        hit = cache.get(p, key)
        if hit is not None:
            return LoadResult(p, hit, [], from_cache=True)
    data, root, problems = parse_yaml(shown, raw)
    if root is None:
        return LoadResult(p, None, problems)
    doc, more = _validate(shown, root, data)
    problems = sorted(problems + more)[:MAX_PROBLEMS_PER_FILE]
    if problems:
        return LoadResult(p, None, problems)
    if use_cache and doc is not None:
        cache.put(p, key, doc)
    return LoadResult(p, doc, [])


def iter_files(paths: Iterable[Path | str]) -> list[Path]:
    out: list[Path] = []
    for path in paths:
        p = Path(path)
        if p.is_dir():
            out.extend(sorted(f for f in p.rglob("*") if f.suffix in YAML_SUFFIXES and f.is_file()))
        else:
            out.append(p)
    return out


def _exam_problems(lib: Library, exam: Exam, path: str) -> list[Problem]:
    """Sections whose filters find too few questions: counting one question per family (siblings on one
    fact are never drawn together) and the questions other sections also need (an exact check, by the
    matching the draw itself uses, so a blueprint accepted here always draws)."""
    out: list[Problem] = []
    line = _exam_section_lines(path)
    pools = [lib.section_pool(s) for s in exam.sections]
    for i, (s, pool) in enumerate(zip(exam.sections, pools, strict=True)):
        unknown = [b for b in s.banks if b not in lib.banks]
        ln = line.get(i, 1)
        if unknown:
            out.append(Problem(path, ln, 1, f"exam {exam.exam}, section {s.title}: no bank named {', '.join(unknown)}"))
        families = len({it.family_key for it in pool})
        if families < s.count:
            siblings = f" (of {len(pool)} questions: questions of one family count once)" if families < len(pool) else ""
            out.append(Problem(path, ln, 1, f"exam {exam.exam}, section {s.title}: asks for {s.count} questions "
                               f"but its filters find only {families}{siblings}"))
    if out:
        return out
    fill = fill_sections(pools, [s.count for s in exam.sections])
    if not fill.ok:
        names = "、".join(exam.sections[g].title for g in fill.short)
        need = sum(exam.sections[g].count for g in fill.short)
        siblings = "" if all(it.question.family is None for pool in pools for it in pool) else \
            " (questions of one family count once)"
        out.append(Problem(path, line.get(fill.short[0], 1), 1,
                           f"exam {exam.exam}, sections {names}: together ask for {need} different "
                           f"questions but their filters find only {fill.available}{siblings}"))
    return out


def _exam_section_lines(path: str) -> dict[int, int]:
    """Line of each section's `- title:` in an exam file, for pointing at sections."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return {}
    lines: dict[int, int] = {}
    in_sections = False
    for n, ln in enumerate(text.splitlines(), 1):
        if ln.startswith("sections:"):
            in_sections = True
            continue
        if in_sections and re.match(r"^\s*-\s", ln):
            lines[len(lines)] = n
    return lines


_LEXICON_HEAD_RE = re.compile(rb"^(?:thesaurus|violations)\s*:", re.MULTILINE)


def _is_lexicon_file(path: Path) -> bool:
    """Whether a file is a thesaurus or violation-class file (a top-level key near its start)."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(4096)
    except OSError:
        return False
    return _LEXICON_HEAD_RE.search(head) is not None and not re.search(rb"^(?:bank|exam)\s*:", head, re.MULTILINE)


def lexicon_files(folder: Path) -> list[Path]:
    """The thesaurus and violation-class files in a bank folder."""
    if not folder.is_dir():
        return []
    return [f for f in iter_files([folder]) if _is_lexicon_file(f)]


def register_lexicon(folder: Path) -> list[Problem]:
    """Load and register the thesaurus and violation-class files of a bank folder (for `quiz grade`)."""
    from quiz.grading import lexicon

    problems: list[Problem] = []
    for f in lexicon_files(folder):
        res = load_file(f)
        problems.extend(res.problems)
        if isinstance(res.document, (Thesaurus, Violations)):
            lexicon.register(f, res.document)
    return problems


def example_problems(lib: Library) -> list[Problem]:
    """Calibration: every example a bank gives whose verdict the grader does not share, at its place."""
    from quiz.grading import grade

    out: list[Problem] = []
    for bank_id, bank in lib.banks.items():
        path = lib.bank_paths.get(bank_id)
        bad: list[tuple[int, int, str]] = []  # (question index, example index, message)
        for qi, q in enumerate(bank.questions):
            for ei, ex in enumerate(q.examples):
                got = grade(q, ex.answer)
                if got.verdict != ex.expect:
                    bad.append((qi, ei, f"bank {bank_id}, question {q.id}: example {_short(ex.answer, 60)!r} "
                                        f"expects {ex.expect}, the grader says {got.verdict}"))
        if not bad:
            continue
        shown = str(path) if path else bank_id
        data = root = None
        if path is not None:
            try:
                data, root, _ = parse_yaml(shown, path.read_bytes())
            except OSError:
                pass
        for qi, ei, message in bad:
            line = column = 1
            if root is not None:
                node, _ = _node_at(root, data, ("questions", qi, "examples", ei, "answer"))
                line, column = node.start_mark.line + 1, node.start_mark.column + 1
            out.append(Problem(shown, line, column, message))
    return out


def load_paths(
    paths: Iterable[Path | str],
    *,
    reference: Callable[[], Library] | None = None,
    use_cache: bool = True,
) -> tuple[Library, list[Problem]]:
    """Every bank and exam under ``paths`` (folders are searched for *.yaml), and all problems.

    Banks with problems are left out of the library; exams are checked against the
    banks loaded here, or against the library ``reference()`` gives when the
    paths hold no bank (validating an exam file on its own).
    """
    lib = Library()
    problems: list[Problem] = []
    files = iter_files(paths)
    exams: list[tuple[Exam, Path]] = []
    bank_files: dict[str, Path] = {}
    # a trainer's thesaurus and violation classes first: the banks' grading and checks use them
    lexicon_files = [f for f in files if _is_lexicon_file(f)]
    files = lexicon_files + [f for f in files if f not in set(lexicon_files)]
    for f in files:
        res = load_file(f, use_cache=use_cache)
        problems.extend(res.problems)
        doc = res.document
        if isinstance(doc, (Thesaurus, Violations)):
            from quiz.grading import lexicon

            lexicon.register(f, doc)
        elif isinstance(doc, Bank):
            if doc.bank in bank_files:
                problems.append(Problem(str(f), 1, 1, f"bank id `{doc.bank}` is already used by {bank_files[doc.bank]}"))
                continue
            bank_files[doc.bank] = f
            lib.add_bank(doc, f)
        elif isinstance(doc, Exam):
            if doc.exam in lib.exams:
                problems.append(Problem(str(f), 1, 1, f"exam id `{doc.exam}` is already used by {lib.exam_paths[doc.exam]}"))
                continue
            exams.append((doc, f))
            lib.add_exam(doc, f)
    pool_lib = lib if lib.banks or reference is None or not exams else reference()
    for exam, f in exams:
        found = _exam_problems(pool_lib, exam, str(f))
        if found:
            problems.extend(found)
            del lib.exams[exam.exam]  # an exam that cannot be drawn is not offered
    return lib, problems
