"""Question matchers kept on disk between runs of ``quiz grade --batch``.

Building a question's matchers (for 单选/多选: every choice read, indexed by each stretch of its words,
its numbers and parties) costs about as much as grading a few answers; a batch of a class's answers
to a bank of a thousand questions spends a tenth of its time on it. A batch run keeps what it built
in the program's cache folder (``quiz.cache.cache_dir``), in one file per bank file, and the next run
reads it back instead of building it again.

An entry is keyed by what the matchers are built from (the question's text) and the file by what
builds them: a hash of the grader's source, of this program's version, of Python's and Unicode's
versions and of the thesaurus and violation classes in use. Any change there is a miss: the file is
replaced. Entries are plain JSON data, never code, checked field by field when read back; a missing,
truncated, foreign or malformed entry is a miss, never an error. The file is written atomically; a
folder that cannot be written is simply not used. Outside a batch run (``use`` not called) nothing is
read or written.
"""

from __future__ import annotations

import hashlib
import json
import sys
import threading
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from quiz import __version__
from quiz.grading import lexicon

T = TypeVar("T")

_FORMAT = 1
_MAX_FILE = 64 * 1024 * 1024
_MAX_ENTRIES = 50_000
_LOCK = threading.Lock()
_STATE: dict[str, Any] = {}  # path, salt, generation, table, dirty


def _code_digest() -> str:
    """A hash of the code that builds matchers: the grader's modules and the question model."""
    h = hashlib.blake2b(digest_size=16)
    h.update(f"{__version__}/{_FORMAT}/{sys.version}/{unicodedata.unidata_version}".encode())
    here = Path(__file__).resolve().parent
    for f in [*sorted(here.glob("*.py")), here.parent / "model.py"]:
        h.update(f.name.encode())
        try:
            h.update(f.read_bytes())
        except OSError:
            h.update(b"?")
    return h.hexdigest()


def _lexicon_digest() -> str:
    h = hashlib.blake2b(digest_size=16)
    for doc in lexicon.docs():
        h.update(type(doc).__name__.encode())
        h.update(doc.model_dump_json().encode("utf-8", "surrogatepass"))
    return h.hexdigest()


def _file_for(bank: Path) -> Path:
    from quiz.cache import cache_dir

    name = hashlib.blake2b(str(bank.resolve()).encode("utf-8", "surrogatepass"), digest_size=12).hexdigest()
    return cache_dir() / f"matchers-{name}.json"


def use(bank: Path) -> None:
    """Read the matchers kept for ``bank`` (built with this code and lexicon), and keep what is built next."""
    try:
        path = _file_for(bank)
        salt = f"{_code_digest()}/{_lexicon_digest()}"
    except (OSError, ValueError):
        return
    table: dict[str, Any] = {}
    try:
        if path.is_file() and path.stat().st_size <= _MAX_FILE:
            head, sep, body = path.read_bytes().partition(b"\n")
            header = json.loads(head) if sep else None
            if isinstance(header, dict) and header.get("format") == _FORMAT and header.get("key") == salt:
                got = json.loads(body)
                if isinstance(got, dict):
                    table = got
    except (OSError, ValueError, RecursionError):
        table = {}
    with _LOCK:
        _STATE.update(path=path, salt=salt, generation=lexicon.generation(), table=table, dirty=False)


def cached(kind: str, parts: list[str], build: Callable[[], T], dump: Callable[[T], Any], restore: Callable[[Any], T]) -> T:
    """The matchers ``build()`` makes from ``parts``, read back with ``restore`` when kept (``dump`` keeps them)."""
    table: dict[str, Any] | None = _STATE.get("table")
    if table is None or _STATE.get("generation") != lexicon.generation():
        return build()
    key = kind + ":" + hashlib.blake2b(
        json.dumps(parts, ensure_ascii=False).encode("utf-8", "surrogatepass"), digest_size=16
    ).hexdigest()
    data = table.get(key)
    if data is not None:
        try:
            return restore(data)
        except (TypeError, ValueError, KeyError, IndexError, AttributeError):
            pass  # malformed: built again, and kept in its place
    value = build()
    with _LOCK:
        if len(table) >= _MAX_ENTRIES:  # entries of questions since edited pile up: start afresh
            table.clear()
        table[key] = dump(value)
        _STATE["dirty"] = True
    return value


def save() -> None:
    """Write what this run built to the file ``use`` read (atomically); nothing when nothing is new."""
    with _LOCK:
        if not _STATE.get("dirty") or _STATE.get("generation") != lexicon.generation():
            return
        path: Path = _STATE["path"]
        try:
            header = json.dumps({"format": _FORMAT, "key": _STATE["salt"]}).encode()
            body = json.dumps(_STATE["table"], ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        except (ValueError, UnicodeEncodeError):  # a lone surrogate in a question's text: not kept
            return
        _STATE["dirty"] = False
    from quiz.cache import write_file

    write_file(path, header + b"\n" + body)


def stop() -> None:
    """Forget the table (tests; a run that grades another bank calls ``use`` again)."""
    with _LOCK:
        _STATE.clear()
