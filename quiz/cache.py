"""A cache of validated banks, so a warm start skips YAML parsing and the checks across fields.

An entry is keyed by the file's path and holds a hash of the file's bytes (and
of this program's version): any change to the file, or a new release, misses.
Entries are plain data, never code: a JSON header line (format, key, kind)
followed by the validated document as JSON, which pydantic validates again on
the way in (in its compiled core: fast). A missing, truncated, foreign or
planted entry is a miss, never an error and never executed. Entries are
written atomically; a cache that cannot be read or written is simply not
used. The folder is ``$QUIZ_CACHE_DIR``, else ``$XDG_CACHE_HOME/seller-academy``,
else ``~/.cache/seller-academy``.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from quiz import __version__

_FORMAT = 2  # 1 was pickle, never read again


def _models_digest() -> str:
    """A hash of the code that defines what is cached and how it is checked: a changed model (a new field) is a miss,
    even between two checkouts of one version sharing the cache folder."""
    h = hashlib.blake2b(digest_size=8)
    here = Path(__file__).resolve().parent
    for name in ("model.py", "grading/lexicon.py"):
        try:
            h.update((here / name).read_bytes())
        except OSError:
            h.update(name.encode())
    return h.hexdigest()


_SALT = f"{__version__}/{_FORMAT}/{_models_digest()}".encode()
_MAX_ENTRY = 256 * 1024 * 1024


def cache_dir() -> Path:
    explicit = os.environ.get("QUIZ_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "seller-academy"


def write_file(path: Path, data: bytes) -> None:
    """Write a cache file atomically (a reader gets the old file or the new one, never half of one); a
    cache that cannot be written is simply not kept (no error, no temporary file left behind)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            os.replace(tmp, path)
        except OSError:
            os.unlink(tmp)
            raise
    except OSError:
        return


def content_key(raw: bytes) -> str:
    return hashlib.blake2b(raw, digest_size=16, key=_SALT[:64]).hexdigest()


def _entry(path: Path) -> Path:
    name = hashlib.blake2b(str(path.resolve()).encode("utf-8", "surrogatepass"), digest_size=12).hexdigest()
    return cache_dir() / f"{name}.json"


def _models() -> dict[str, Any]:
    """The document kinds an entry may hold, by the name in its header."""
    from quiz.grading.lexicon import Thesaurus, Violations
    from quiz.model import Bank, Exam

    return {"bank": Bank, "exam": Exam, "thesaurus": Thesaurus, "violations": Violations}


def get(path: Path, key: str) -> Any | None:
    """The cached document for this file content, or None (a miss)."""
    try:
        entry = _entry(path)
        if not entry.is_file() or entry.stat().st_size > _MAX_ENTRY:
            return None
        raw = entry.read_bytes()
        head, sep, body = raw.partition(b"\n")
        if not sep:
            return None
        header = json.loads(head)
        if not isinstance(header, dict) or header.get("format") != _FORMAT or header.get("key") != key:
            return None
        model = _models().get(str(header.get("kind")))
        return None if model is None else model.model_validate_json(body)
    except (OSError, ValueError, RecursionError):  # missing, truncated, foreign (pydantic's ValidationError is a ValueError): a miss
        return None


def put(path: Path, key: str, doc: Any) -> None:
    kind = next((name for name, model in _models().items() if type(doc) is model), None)
    if kind is None:
        return
    header = json.dumps({"format": _FORMAT, "key": key, "kind": kind}).encode()
    body = doc.model_dump_json(by_alias=True).encode()
    write_file(_entry(path), header + b"\n" + body)
