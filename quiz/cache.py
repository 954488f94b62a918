"""A cache of validated banks, so a warm start skips YAML parsing and validation.

An entry is keyed by the file's path and holds a hash of the file's bytes (and
of this program's version): any change to the file, or a new release, misses.
Entries are pickles of the validated models, written atomically; a cache that
cannot be read or written is simply not used. The folder is ``$QUIZ_CACHE_DIR``,
else ``$XDG_CACHE_HOME/seller-academy``, else ``~/.cache/seller-academy``.
"""

from __future__ import annotations

import gc
import hashlib
import os
import pickle
import tempfile
from pathlib import Path
from typing import Any

from quiz import __version__

_FORMAT = 1


def _models_digest() -> str:
    """A hash of the code that defines what is pickled: a changed model (a new field) is a miss,
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


def cache_dir() -> Path:
    explicit = os.environ.get("QUIZ_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "seller-academy"


def content_key(raw: bytes) -> str:
    return hashlib.blake2b(raw, digest_size=16, key=_SALT[:64]).hexdigest()


def _entry(path: Path) -> Path:
    name = hashlib.blake2b(str(path.resolve()).encode("utf-8", "surrogatepass"), digest_size=12).hexdigest()
    return cache_dir() / f"{name}.pickle"


def get(path: Path, key: str) -> Any | None:
    """The cached document for this file content, or None."""
    enabled = gc.isenabled()
    gc.disable()  # unpickling thousands of models would otherwise trigger full collections
    try:
        with open(_entry(path), "rb") as f:
            stored_key, doc = pickle.load(f)
    except Exception:  # a missing, truncated or foreign entry is a miss
        return None
    finally:
        if enabled:
            gc.enable()
    return doc if stored_key == key else None


def put(path: Path, key: str, doc: Any) -> None:
    target = _entry(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            pickle.dump((key, doc), f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, target)
    except OSError:
        return
