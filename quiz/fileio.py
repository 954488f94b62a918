"""Reading input files safely and writing output files without ever destroying one.

Every file the program writes (an imported bank, the import template, an export,
the JSON Schema) goes through :func:`write_atomic` / :func:`atomic_output`:

* the output is refused, before anything is written, when it is the input being
  read, the progress database or any SQLite database (checked by the file's
  header), a folder or a special file (a FIFO, a device);
* an existing file is replaced only with ``force`` (``--force``);
* the content goes to a temporary file in the same folder, is flushed to disk
  (``fsync``) and renamed over the target in one step, so a full disk, a kill or
  a crash leaves either the old file or the new one, never a truncated one.

Input files (banks, batches, spreadsheets) are read by :func:`read_input`: a
FIFO, a device or a folder is refused instead of blocking or reading forever,
and a file over the size cap is refused instead of filling memory.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO

from quiz.dbfile import SQLITE_HEADER
from quiz.errors import UserError
from quiz.text import printable


def _shown(path: Path | str) -> str:
    return printable(str(path), one_line=True)


def _same(a: Path, b: Path) -> bool:
    """The same file: by device and inode when both exist, else by resolved path."""
    try:
        return os.path.samefile(a, b)
    except OSError:
        pass
    try:
        return a.resolve() == b.resolve()
    except (OSError, RuntimeError):
        return False


def is_sqlite(path: Path) -> bool:
    try:
        with open(path, "rb") as f:
            return f.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    except OSError:
        return False


def check_output(path: Path, *, inputs: Iterable[Path | str] = (), protect: Iterable[Path | str] = (),
                 force: bool = False) -> None:
    """Refuse (UserError, nothing written) an output that would destroy a file it must not.

    ``inputs`` are the files being read, ``protect`` other files never to replace
    (the progress database); neither is replaced even with ``force``.
    """
    shown = _shown(path)
    for other in inputs:
        if _same(path, Path(other)):
            raise UserError(f"{shown}: is the input file; refusing to write over it (give another output file)")
    for other in protect:
        if _same(path, Path(other)):
            raise UserError(f"{shown}: is the progress database; refusing to write over it (give another output file)")
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return
    except OSError as e:
        raise UserError(f"{shown}: cannot write: {e.strerror or e}") from None
    if stat.S_ISDIR(st.st_mode):
        raise UserError(f"{shown}: is a folder; give a file name")
    if not stat.S_ISREG(st.st_mode):
        raise UserError(f"{shown}: is not a regular file (a device or a pipe); refusing to write to it")
    if is_sqlite(path):
        raise UserError(f"{shown}: is a SQLite database (a progress database?); refusing to write over it")
    if not force:
        raise UserError(f"{shown}: already exists; add --force to replace it")


@contextlib.contextmanager
def atomic_output(path: Path | str, *, inputs: Iterable[Path | str] = (), protect: Iterable[Path | str] = (),
                  force: bool = False) -> Iterator[IO[bytes]]:
    """A binary file to write the output into; it replaces ``path`` only when the block ends without error.

    The checks of :func:`check_output` come first. The temporary file is in the
    target's folder (so the rename is atomic), gets the replaced file's
    permissions (a new file gets the usual ones), and is fsynced before the
    rename; the folder is fsynced after it.
    """
    p = Path(path)
    check_output(p, inputs=inputs, protect=protect, force=force)
    target = Path(os.path.realpath(p))  # replace a symlink's target, not the link
    shown = _shown(p)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as e:
        raise UserError(f"{shown}: cannot write: {e.strerror or e}") from None
    try:
        try:
            mode = stat.S_IMODE(os.stat(target).st_mode)
        except OSError:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        with os.fdopen(fd, "wb") as f:
            os.fchmod(f.fileno(), mode)
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, target)
    except OSError as e:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise UserError(f"{shown}: cannot write: {e.strerror or e}; the file was left as it was") from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    with contextlib.suppress(OSError):
        dfd = os.open(target.parent, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)


def write_atomic(path: Path | str, data: bytes | str, *, inputs: Iterable[Path | str] = (),
                 protect: Iterable[Path | str] = (), force: bool = False, encoding: str = "utf-8") -> None:
    """Write ``data`` to ``path`` through :func:`atomic_output`."""
    raw = data.encode(encoding) if isinstance(data, str) else data
    with atomic_output(path, inputs=inputs, protect=protect, force=force) as f:
        f.write(raw)


# --------------------------------------------------------------------------- reading

MAX_INPUT_BYTES = 64 * 1024 * 1024
"""The largest bank, batch or import file read (64 MiB: ten times the largest bank we have seen a use for)."""


class InputError(UserError):
    """An input file that cannot be read; ``reason`` is the message without the path."""

    def __init__(self, path: Path | str, reason: str) -> None:
        super().__init__(f"{_shown(path)}: {reason}")
        self.path = str(path)
        self.reason = reason


def read_input(path: Path | str, *, limit: int | None = None, what: str = "file") -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes; UserError otherwise.

    Opened without blocking, so a FIFO with no writer is refused at once rather
    than waiting forever; a device such as ``/dev/zero`` or a folder is refused
    before anything is read.
    """
    if limit is None:
        limit = MAX_INPUT_BYTES
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise InputError(path, "no such file") from None
    except IsADirectoryError:
        raise InputError(path, f"is a folder, not a {what}") from None
    except OSError as e:
        raise InputError(path, f"cannot read: {e.strerror or e}") from None
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise InputError(path, f"is a folder, not a {what}")
        if not stat.S_ISREG(st.st_mode):
            raise InputError(path, f"is not a regular file (a pipe or a device); give a {what}")
        if st.st_size > limit:
            raise InputError(path, f"is {st.st_size / 2**20:.0f} MiB; a {what} may be at most {limit // 2**20} MiB")
        chunks: list[bytes] = []
        size = 0
        while True:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            size += len(chunk)
            if size > limit:  # it grew while being read
                raise InputError(path, f"a {what} may be at most {limit // 2**20} MiB")
            chunks.append(chunk)
        return b"".join(chunks)
    except OSError as e:
        raise InputError(path, f"cannot read: {e.strerror or e}") from None
    finally:
        os.close(fd)
