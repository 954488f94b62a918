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
import os
import re
import stat
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, TypeAdapter, ValidationError

from quiz import cache
from quiz.errors import UserError
from quiz.fileio import InputError, read_input
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
from quiz.text import UNSAFE_RE, describe, find_unsafe, plural, printable

try:  # libyaml's C parser is about 7x faster than the pure-Python one
    from yaml import CSafeLoader as _SafeLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _SafeLoader  # type: ignore[assignment]

MAX_ALIAS_EXPANSION = 1_000_000
MAX_PROBLEMS_PER_FILE = 200  # shown per file; LoadResult.total counts them all
MAX_MESSAGE = 400  # characters of a problem's message: a quoted value may be long
MAX_DEPTH = 64  # levels of nesting: a bank needs about six
YAML_SUFFIXES = (".yaml", ".yml")  # in any case: BANK.YAML is a bank too



@functools.cache
def _question_adapter() -> TypeAdapter[Any]:
    """Built on first use: a warm start (every bank from the cache) never validates a question."""
    return TypeAdapter(Question)

_STR_TAG = "tag:yaml.org,2002:str"
_SEQ_TAG = "tag:yaml.org,2002:seq"
_MAP_TAG = "tag:yaml.org,2002:map"
_MERGE_TAG = "tag:yaml.org,2002:merge"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in a file, at a place a trainer can jump to."""

    path: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        """``path:line:column: message`` on one line, every unsafe character shown as an escape."""
        message = printable(self.message, one_line=True)
        if len(message) > MAX_MESSAGE:
            message = message[: MAX_MESSAGE - 1] + "…"
        return f"{printable(self.path, one_line=True)}:{self.line}:{self.column}: {message}"


@dataclass
class LoadResult:
    path: Path
    document: Bank | Exam | Lexicon | None
    problems: list[Problem]  # the first MAX_PROBLEMS_PER_FILE, by place in the file
    from_cache: bool = False
    total: int = -1  # every problem found (more than ``problems`` holds when capped)

    def __post_init__(self) -> None:
        if self.total < len(self.problems):
            self.total = len(self.problems)


class _TooLarge(Exception):
    pass


class _TooDeep(Exception):
    def __init__(self, node: yaml.Node) -> None:
        super().__init__("nested too deeply")
        self.node = node


class _Builder:
    """Nodes to plain data, recording duplicated keys; bounded alias expansion."""

    def __init__(self, path: str, *, shared: bool = True, escapes: bool = True) -> None:
        self.path = path
        self.shared = shared  # False when the text has no anchors: no node can be reached twice
        self.escapes = escapes  # False when the text has no backslash: no escape can make a control character
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

    def build(self, node: yaml.Node, depth: int = 0) -> Any:
        key = id(node)
        if self.shared and key in self._memo:
            return self._memo[key]
        if isinstance(node, yaml.ScalarNode):
            value: Any = node.value if node.tag == _STR_TAG and not self.escapes else self._scalar(node)
        elif isinstance(node, yaml.SequenceNode):
            if node.tag != _SEQ_TAG:
                self._check_collection_tag(node, "list")
            value = []
            if self.shared:
                self._memo[key] = value
            if depth >= MAX_DEPTH:
                raise _TooDeep(node)
            value.extend([self.build(child, depth + 1) for child in node.value])
            return value
        elif isinstance(node, yaml.MappingNode):
            if node.tag != _MAP_TAG:
                self._check_collection_tag(node, "mapping")
            if depth >= MAX_DEPTH:
                raise _TooDeep(node)
            value = {}
            if self.shared:
                self._memo[key] = value
            first_at: dict[Any, yaml.Node] = {}
            for k_node, v_node in node.value:
                if k_node.tag == _MERGE_TAG:
                    merged = self.build(v_node, depth + 1)
                    for m in merged if isinstance(merged, list) else [merged]:
                        if isinstance(m, dict):
                            for mk, mv in m.items():
                                value.setdefault(mk, mv)
                    continue
                k = self.build(k_node, depth + 1)
                try:
                    hash(k)
                except TypeError:
                    self._problem(k_node, "a mapping key must be a plain value, not a list or mapping")
                    continue
                if k in first_at:
                    first = first_at[k].start_mark.line + 1
                    self._problem(
                        k_node,
                        f"duplicated key `{_short(_spelled(k_node, k))}` (first at line {first}); "
                        "YAML would silently keep the last one",
                    )
                    continue
                first_at[k] = k_node
                value[k] = self.build(v_node, depth + 1)
            return value
        else:  # pragma: no cover - yaml has no other node kinds
            value = None
        if self.shared:
            self._memo[key] = value
        return value

    def _scalar(self, node: yaml.ScalarNode) -> Any:
        raw = node.value
        bad = UNSAFE_RE.search(raw)
        if bad is not None:
            self._problem(node, f"{describe(bad.group())}, written as an escape: {_UNSAFE_HINT}")
        tag = node.tag
        if tag == _STR_TAG:
            return raw
        if tag.startswith(_YAML_TAG):
            kind = tag[len(_YAML_TAG):]
            if kind in _SCALAR_KINDS:
                try:
                    return self._constructor.yaml_constructors[tag](self._constructor, node)
                except Exception:
                    self._problem(node, _bad_scalar(kind, raw))
                    return raw
            if kind in _COLLECTION_KINDS:
                self._problem(node, f"a `!!{kind}` tag on a single value: a `!!{kind}` is a list or a mapping")
                return raw
            return raw  # !!merge, !!value: plain text here
        self._problem(node, f"unknown YAML tag `{_short(tag)}`: quote the value if the `!` is part of the text")
        return raw

    def _check_collection_tag(self, node: yaml.Node, shape: str) -> None:
        tag = node.tag
        if tag.startswith(_YAML_TAG):
            kind = tag[len(_YAML_TAG):]
            if kind in _SCALAR_KINDS:
                self._problem(node, f"a `!!{kind}` tag on a {shape}: `!!{kind}` is for a single value")
        else:
            self._problem(node, f"unknown YAML tag `{_short(tag)}` on a {shape}")

    def _problem(self, node: yaml.Node, message: str) -> None:
        m = node.start_mark
        self.problems.append(Problem(self.path, m.line + 1, m.column + 1, message))
        self.problem_nodes.append(node)


_YAML_TAG = "tag:yaml.org,2002:"
_SCALAR_KINDS = {
    "null": "null (~)",
    "bool": "true or false",
    "int": "a whole number",
    "float": "a number",
    "binary": "base64 data",
    "timestamp": "a date such as 2024-09-01",
    "str": "text",
}
_COLLECTION_KINDS = frozenset({"seq", "map", "omap", "pairs", "set"})
_UNSAFE_HINT = "bank text cannot hold terminal control, direction-override or line-separator characters; delete it"
_INT_DIGITS = 4300  # Python's limit on converting digits to an int


def _bad_scalar(kind: str, raw: str) -> str:
    if kind in ("int", "float") and sum(ch.isdigit() for ch in raw) > _INT_DIGITS:
        return f"a number with {sum(ch.isdigit() for ch in raw):,} digits: far too large"
    return f"`{_short(raw)}` is not {_SCALAR_KINDS[kind]}" + (
        "" if raw.strip() else " (it is empty)"
    )


def _spelled(node: yaml.Node, value: object) -> object:
    """A key as the file spells it (``~``, ``yes``), for messages."""
    return node.value if isinstance(node, yaml.ScalarNode) and node.value else value


def _short(value: object, limit: int = 40) -> str:
    """A value for a one-line message: printable, cut to ``limit`` characters; ``(none)`` for a null."""
    if value is None:
        return "(none)"
    text = printable(value if isinstance(value, str) else repr(value), one_line=True)
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


def _unsafe_text(path: str, text: str) -> tuple[str, list[Problem]]:
    """Every unsafe character written as itself, with its line and column (lines counted by
    newlines, as an editor counts them); and the text with each one replaced by a character
    YAML reads as plain text, so that YAML's own line numbers stay those of the file."""
    problems: list[Problem] = []
    pieces: list[str] = []
    done = 0
    line, line_start, counted_to = 1, 0, 0
    for i, ch in find_unsafe(text):
        if ch == "\r" and text.startswith("\n", i + 1):
            continue  # a Windows line end
        nl = text.count("\n", counted_to, i)
        if nl:
            line += nl
            line_start = text.rfind("\n", counted_to, i) + 1
        counted_to = i
        if ch in "\r\x85\u2028\u2029":
            hint = "YAML breaks the line there but editors do not, so every later line number would be off; use a newline"
        else:
            hint = _UNSAFE_HINT
        problems.append(Problem(path, line, i - line_start + 1, f"{describe(ch)}: {hint}"))
        pieces.append(text[done:i])
        pieces.append(" " if ch in "\r\x85\u2028\u2029" else "\ufffd")
        done = i + 1
    if not problems:
        return text, []
    pieces.append(text[done:])
    return "".join(pieces), problems


def parse_yaml(path: str, raw: bytes) -> tuple[Any, yaml.Node | None, list[Problem]]:
    """Bytes to (data, root node, problems). Data is None when the file cannot be read as YAML."""
    text, problems = _decode(path, raw)
    if text is None:
        return None, None, problems
    text, unsafe = _unsafe_text(path, text)
    tabs = [*unsafe, *_tab_problems(path, text)]
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
        return None, None, [*tabs, Problem(path, 1, 1, "file is empty: a bank needs `bank:`, `title:` and `questions:`")]
    builder = _Builder(path, shared="&" in text, escapes="\\" in text)
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
    except _TooDeep as e:
        m = e.node.start_mark
        return None, None, [*tabs, Problem(path, m.line + 1, m.column + 1,
                                           f"lists and mappings nested more than {MAX_DEPTH} levels deep; refused")]
    except (yaml.YAMLError, ValueError, TypeError) as e:
        return None, None, [*tabs, Problem(path, 1, 1, f"YAML value: {_short(str(e), 200)}")]
    places = _paths_to(node, builder.problem_nodes)
    named = [
        _with_place(problem, data, places.get(id(target), ()))
        for problem, target in zip(builder.problems, builder.problem_nodes, strict=True)
    ]
    return data, node, [*tabs, *named]


def _paths_to(root: yaml.Node, targets: Sequence[yaml.Node]) -> dict[int, tuple[Any, ...]]:
    """Where each target node stands in the document, as a location: one walk for all of them."""
    wanted = {id(t) for t in targets}
    out: dict[int, tuple[Any, ...]] = {}
    if not wanted:
        return out
    stack: list[tuple[yaml.Node, tuple[Any, ...]]] = [(root, ())]
    seen: set[int] = set()
    while stack and len(out) < len(wanted):
        node, loc = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if id(node) in wanted:
            out.setdefault(id(node), loc)
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                if id(k) in wanted:
                    out.setdefault(id(k), loc)
                stack.append((v, (*loc, k.value if isinstance(k, yaml.ScalarNode) else None)))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((child, (*loc, i)) for i, child in enumerate(node.value))
    return out


def _with_place(problem: Problem, data: Any, loc: tuple[Any, ...]) -> Problem:
    place = _describe_place(data, loc)
    if not place:
        return problem
    return Problem(problem.path, problem.line, problem.column, f"{place}: {problem.message}")


# -- locating validation errors -------------------------------------------------


class _Keys:
    """Key lookups in mapping nodes: each mapping is indexed once, so locating N problems
    in a mapping of N keys is linear, not quadratic."""

    def __init__(self) -> None:
        self._maps: dict[int, dict[str, tuple[yaml.Node, yaml.Node]]] = {}

    def get(self, node: yaml.MappingNode, key: object) -> tuple[yaml.Node, yaml.Node] | None:
        m = self._maps.get(id(node))
        if m is None:
            m = {}
            for k, v in node.value:
                if isinstance(k, yaml.ScalarNode):
                    m.setdefault(k.value, (k, v))
            self._maps[id(node)] = m
        return m.get(str(key))


def _node_at(root: yaml.Node, data: Any, loc: Sequence[Any], keys: _Keys) -> tuple[yaml.Node, bool]:
    """The node a pydantic location points at, and whether it is a key (unknown field)."""
    node, here = root, data
    for part in loc:
        if isinstance(node, yaml.MappingNode) and isinstance(here, dict):
            if part in here:
                found = keys.get(node, part)
                if found is not None:
                    if isinstance(here[part], (dict, list)) or part != loc[-1]:
                        node = found[1]
                    else:
                        return found[1], False
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


def _key_node(root: yaml.Node, data: Any, loc: Sequence[Any], keys: _Keys) -> yaml.Node:
    parent, _ = _node_at(root, data, loc[:-1], keys)
    if isinstance(parent, yaml.MappingNode):
        found = keys.get(parent, loc[-1])
        if found is not None:
            return found[0]
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


def _value_at(data: Any, loc: Sequence[Any]) -> Any:
    """The input value at a pydantic location (skipping a union's tag), or None."""
    here = data
    for part in loc:
        if isinstance(here, dict):
            if part in here:
                here = here[part]
            elif here.get("type") != part:
                return None
        elif isinstance(here, list) and isinstance(part, int) and 0 <= part < len(here):
            here = here[part]
        else:
            return None
    return here


def _looks_numeric(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _validation_problems(
    path: str, root: yaml.Node, data: Any, err: ValidationError, top: type[BaseModel], keys: _Keys,
    prefix: Sequence[Any] = (),
) -> list[Problem]:
    out = []
    suggested = 0
    for e in err.errors(include_url=False, include_input=False):
        loc = (*prefix, *e["loc"])
        kind = e["type"]
        field = _field_path(loc, data)
        if kind == "invalid_key":
            node, _ = _node_at(root, data, loc[:-1], keys)
            msg = f"a field name must be text, not `{_short(loc[-1])}`"
        elif kind == "extra_forbidden":
            node = _key_node(root, data, loc, keys)
            name = _short(loc[-1])
            msg = f"unknown field `{name}`"
            model = _model_for(data, loc, top) if suggested < MAX_PROBLEMS_PER_FILE else None
            suggested += 1  # a suggestion costs a fuzzy match: only for as many fields as can be listed
            if model is not None:
                names = [f.alias or n for n, f in model.model_fields.items()]
                close = difflib.get_close_matches(name, names, n=1, cutoff=0.6)
                if close:
                    msg += f" (did you mean `{close[0]}`?)"
        else:
            node, _ = _node_at(root, data, loc if kind != "missing" else loc[:-1], keys)
            if kind == "missing":
                msg = f"missing required field `{loc[-1]}`"
            elif kind == "union_tag_invalid":
                msg = f"unknown question type (expected one of {', '.join(QUESTION_TYPES)})"
                node, _ = _node_at(root, data, (*loc, "type"), keys)
            elif kind == "union_tag_not_found":
                msg = f"question has no `type` (one of {', '.join(QUESTION_TYPES)})"
            elif kind in ("bool_type", "bool_parsing"):
                msg = f"`{field}` must be true or false"
            elif kind in ("model_type", "dict_type"):
                msg = f"`{field}` must be a mapping of fields" if field else "must be a mapping of fields"
            elif kind in ("int_type", "int_from_float", "int_parsing"):
                msg = f"`{field}` must be a whole number" if field else "must be a whole number"
            elif kind in ("float_type", "float_parsing"):
                msg = f"`{field}` must be a number" if field else "must be a number"
                given = _value_at(data, loc)
                if isinstance(given, str):
                    msg += f", not the text `{_short(given)}`"
                    if _looks_numeric(given) and "e" in given.lower():
                        msg += " (YAML reads a number with an exponent only with a decimal point and a sign: 1.0e+12)"
                    elif _looks_numeric(given):
                        msg += " (remove the quotes)"
                elif isinstance(given, bool):
                    msg += ", not true/false"
            elif kind in ("string_type", "string_unicode"):
                msg = f"`{field}` must be text" if field else "must be text"
            elif kind == "finite_number":
                msg = f"`{field}` must be a finite number (not .inf or .nan)" if field else "must be a finite number"
            else:
                text = e["msg"].removeprefix("Value error, ")
                msg = f"`{field}`: {text}" if field else text
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


def _bank_semantic_problems(
    path: str, root: yaml.Node, data: dict[str, Any], bank: Bank | None, keys: _Keys
) -> list[Problem]:
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
                node, _ = _node_at(root, data, ("questions", i, "id"), keys)
                first, _ = _node_at(root, data, ("questions", seen[qid], "id"), keys)
                out.append(Problem(path, node.start_mark.line + 1, node.start_mark.column + 1,
                                   f"bank {_short(data.get('bank'))}: duplicate question id `{_short(qid)}` "
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
            node, _ = _node_at(root, data, loc, keys)
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
    keys = _Keys()
    try:
        doc = top.model_validate(data)
    except ValidationError as e:
        found = [
            Problem(p.path, p.line, p.column, f"{kind} {name}: {p.message}")
            for p in _validation_problems(path, root, data, e, top, keys)
        ]
        # the checks across groups or classes still run on the parts that are well formed
        for loc, message in _partial_lexicon_problems(data, top):
            node, _ = _node_at(root, data, loc, keys)
            m = node.start_mark
            found.append(Problem(path, m.line + 1, m.column + 1, f"{kind} {name}: {message}"))
        return None, sorted(found)
    out = []
    for loc, message in doc.problems():
        node, _ = _node_at(root, data, loc, keys)
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
    keys = _Keys()
    try:
        doc = top.model_validate(data)
    except ValidationError as e:
        problems = _validation_problems(path, root, data, e, top, keys)
        if top is Bank:
            problems += _bank_semantic_problems(path, root, data, None, keys)
        return None, problems
    if isinstance(doc, Bank):
        problems = _bank_semantic_problems(path, root, data, doc, keys)
        return (None if problems else doc), problems
    assert isinstance(doc, Exam)
    problems = []
    for sub, message in doc.problems():
        node, _ = _node_at(root, data, sub, keys)
        m = node.start_mark
        problems.append(Problem(path, m.line + 1, m.column + 1, f"{_describe_place(data, sub)}: {message}"))
    return (None if problems else doc), problems


def load_file(path: Path | str, *, use_cache: bool = True) -> LoadResult:
    """One bank or exam file, validated on its own (exam pools are checked by :func:`load_paths`).

    A folder, a FIFO, a device or a file over :data:`quiz.fileio.MAX_INPUT_BYTES` is a
    problem, found without reading it.
    """
    p = Path(path)
    shown = str(path)
    try:
        raw = read_input(p, what="bank file")
    except InputError as e:
        return LoadResult(p, None, [Problem(shown, 1, 1, e.reason)])
    key = cache.content_key(raw) if use_cache else ""
    if use_cache:
        hit = cache.get(p, key)
        if hit is not None:
            return LoadResult(p, hit, [], from_cache=True)
    doc, found = validate_bytes(shown, raw)
    if found:
        return LoadResult(p, None, sorted(found)[:MAX_PROBLEMS_PER_FILE], total=len(found))
    if use_cache and doc is not None:
        cache.put(p, key, doc)
    return LoadResult(p, doc, [])


def validate_bytes(label: str, raw: bytes) -> tuple[Bank | Exam | Lexicon | None, list[Problem]]:
    """A bank or exam file's content validated on its own: the document, or every problem
    (unsorted, uncapped). Used for files read, and for files about to be written."""
    enabled = gc.isenabled()
    gc.disable()  # the nodes and data are all kept: collections while building them only cost time
    try:
        return _validate_bytes(label, raw)
    finally:
        if enabled:
            gc.enable()


def _validate_bytes(label: str, raw: bytes) -> tuple[Bank | Exam | Lexicon | None, list[Problem]]:
    data, root, problems = parse_yaml(label, raw)
    if root is None:
        return None, problems
    doc, more = _validate(label, root, data)
    if problems:  # a value already refused while reading (`!!bool maybe`) is not refused twice
        taken = {(pr.line, pr.column) for pr in problems}
        more = [pr for pr in more if (pr.line, pr.column) not in taken]
        doc = None
    found = problems + more
    return (None if found else doc), found


def iter_files(paths: Iterable[Path | str]) -> list[Path]:
    """Every bank or exam file named or found under the folders named (see :func:`find_files`)."""
    return find_files(paths)[0]


def find_files(paths: Iterable[Path | str]) -> tuple[list[Path], list[Problem]]:
    """The files named, and every ``*.yaml``/``*.yml`` (any case) under the folders named, sorted;
    with a problem for each folder that cannot be read and each such name that is not a
    regular file (a FIFO named ``x.yaml`` is reported, never opened)."""
    out: list[Path] = []
    problems: list[Problem] = []
    for path in paths:
        p = Path(path)
        if not p.is_dir():
            out.append(p)
            continue
        found: list[Path] = []

        def unreadable(e: OSError, top: Path = p) -> None:
            where = e.filename if e.filename is not None else top
            problems.append(Problem(str(where), 1, 1, f"cannot read this folder ({e.strerror or e}): "
                                                      "its banks and exams were not loaded"))

        for folder, dirs, names in os.walk(p, onerror=unreadable):
            dirs.sort()
            for name in names:
                if not name.lower().endswith(YAML_SUFFIXES):
                    continue
                f = Path(folder) / name
                try:
                    mode = os.stat(f).st_mode
                except OSError as e:
                    problems.append(Problem(str(f), 1, 1, f"cannot read: {e.strerror or e}"))
                    continue
                if stat.S_ISREG(mode):
                    found.append(f)
                elif not stat.S_ISDIR(mode):
                    problems.append(Problem(str(f), 1, 1, "is not a regular file (a pipe or a device); skipped"))
        out.extend(sorted(found))
    return out, problems


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
    """Line of each section of an exam file (from the YAML nodes), for pointing at sections."""
    try:
        raw = read_input(path, what="exam file")
        _data, root, _problems = parse_yaml(path, raw)
    except UserError:
        return {}
    if not isinstance(root, yaml.MappingNode):
        return {}
    found = _Keys().get(root, "sections")
    if found is None or not isinstance(found[1], yaml.SequenceNode):
        return {}
    return {i: item.start_mark.line + 1 for i, item in enumerate(found[1].value)}


_LEXICON_HEAD_RE = re.compile(rb"^(?:thesaurus|violations)\s*:", re.MULTILINE)


def _is_lexicon_file(path: Path) -> bool:
    """Whether a file is a thesaurus or violation-class file (a top-level key near its start)."""
    try:  # without blocking on a FIFO, and only a regular file (a device is reported by load_file)
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return False
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return False
        head = os.read(fd, 4096)
    except OSError:
        return False
    finally:
        os.close(fd)
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
                data, root, _ = parse_yaml(shown, read_input(path, what="bank file"))
            except UserError:
                pass
        keys = _Keys()
        for qi, ei, message in bad:
            line = column = 1
            if root is not None:
                node, _ = _node_at(root, data, ("questions", qi, "examples", ei, "answer"), keys)
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
    paths hold no bank (validating an exam file on its own). Use
    :func:`load_paths_counted` for the exact number of problems (at most
    :data:`MAX_PROBLEMS_PER_FILE` per file are listed).
    """
    lib, problems, _total = load_paths_counted(paths, reference=reference, use_cache=use_cache)
    return lib, problems


def load_paths_counted(
    paths: Iterable[Path | str],
    *,
    reference: Callable[[], Library] | None = None,
    use_cache: bool = True,
) -> tuple[Library, list[Problem], int]:
    """:func:`load_paths` with the total number of problems found (the list is capped per file)."""
    lib = Library()
    files, problems = find_files(paths)
    total = len(problems)
    exams: list[tuple[Exam, Path]] = []
    bank_files: dict[str, Path] = {}
    # a trainer's thesaurus and violation classes first: the banks' grading and checks use them
    lexicon_files = [f for f in files if _is_lexicon_file(f)]
    files = lexicon_files + [f for f in files if f not in set(lexicon_files)]
    for f in files:
        res = load_file(f, use_cache=use_cache)
        problems.extend(res.problems)
        total += res.total
        doc = res.document
        if isinstance(doc, (Thesaurus, Violations)):
            from quiz.grading import lexicon

            lexicon.register(f, doc)
        elif isinstance(doc, Bank):
            if doc.bank in bank_files:
                problems.append(Problem(str(f), 1, 1, f"bank id `{doc.bank}` is already used by {bank_files[doc.bank]}"))
                total += 1
                continue
            bank_files[doc.bank] = f
            lib.add_bank(doc, f)
        elif isinstance(doc, Exam):
            if doc.exam in lib.exams:
                problems.append(Problem(str(f), 1, 1, f"exam id `{doc.exam}` is already used by {lib.exam_paths[doc.exam]}"))
                total += 1
                continue
            exams.append((doc, f))
            lib.add_exam(doc, f)
    pool_lib = lib if lib.banks or reference is None or not exams else reference()
    for exam, f in exams:
        found = _exam_problems(pool_lib, exam, str(f))
        if found:
            problems.extend(found)
            total += len(found)
            del lib.exams[exam.exam]  # an exam that cannot be drawn is not offered
    return lib, problems, total


def summary(problems: int, files: int) -> str:
    """``20,000 problems in 1 file``: exact counts, for ``quiz validate`` and ``quiz lint``."""
    return f"{plural(problems, 'problem')} in {plural(files, 'file')}"
