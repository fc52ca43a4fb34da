"""Files: the one place tinynet writes a file, and a bounded reader.

Every file tinynet writes (a saved model, an SVG plot, the CLI's
predictions and reports) goes through ``write_atomic``: the text goes to a
temporary file ``.tinynet-*.tmp`` in the target's folder, is flushed to
disk, and os.replace moves it into place. os.replace is atomic on POSIX and
Windows, so a reader sees the old file or the new one, never half of one,
and a failed write leaves the old file untouched and no temporary behind.

``read_text`` reads a text file of at most ``limit`` bytes, so a huge or
endless file (/dev/zero) cannot fill memory.

>>> import os, tempfile
>>> path = os.path.join(tempfile.mkdtemp(), "note.txt")
>>> write_atomic(path, "hello\\n", op="demo")
>>> read_text(path, op="demo", limit=100)
'hello\\n'
"""

from __future__ import annotations

import os
import tempfile
from typing import Any

from .checks import describe
from .errors import TinynetError

__all__ = ["write_atomic", "read_text"]

TEMP_PREFIX = ".tinynet-"  # temporary files are .tinynet-XXXXXXXX.tmp
TEMP_SUFFIX = ".tmp"


def write_atomic(path: Any, text: str, *, op: str) -> None:
    """Write text to path as UTF-8, atomically: all of it or nothing.

    The file gets the permissions a new file would (0666 less the umask),
    not the private 0600 of a temporary file.

    >>> write_atomic(3, "x", op="save")
    Traceback (most recent call last):
        ...
    tinynet.errors.TinynetError: save: needs a file name, got int 3

    Raises TinynetError naming the operation and the file when path is not a
    file name or the file cannot be written (a missing folder, no space, no
    permission); the file at path is then untouched.
    """
    target = _file_name(op, path)
    folder = os.path.dirname(os.path.abspath(target))
    data = text.encode("utf-8")
    try:
        fd, tmp = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=TEMP_SUFFIX, dir=folder)
    except OSError as error:
        raise _cannot("write", op, target, error) from None
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, target)
    except BaseException as error:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(error, OSError):
            raise _cannot("write", op, target, error) from None
        raise


def read_text(path: Any, *, op: str, limit: int) -> str:
    """Return the UTF-8 text of the file at path, if it is at most limit bytes.

    >>> read_text("no/such/file.json", op="load", limit=10)
    Traceback (most recent call last):
        ...
    tinynet.errors.TinynetError: load: cannot read 'no/such/file.json': No such file or directory

    Raises TinynetError naming the operation and the file when it cannot be
    read, is larger than limit bytes, or is not UTF-8 text.
    """
    source = _file_name(op, path)
    try:
        with open(source, "rb") as f:
            data = f.read(limit + 1)
    except OSError as error:
        raise _cannot("read", op, source, error) from None
    if len(data) > limit:
        raise TinynetError(f"{op}: {source!r} is larger than {limit} bytes")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise TinynetError(f"{op}: {source!r} is not UTF-8 text") from None


def _file_name(op: str, path: Any) -> str:
    try:
        return os.fsdecode(path)
    except TypeError:
        raise TinynetError(f"{op}: needs a file name, got {describe(path)}") from None


def _cannot(verb: str, op: str, name: str, error: OSError) -> TinynetError:
    reason = error.strerror or type(error).__name__
    return TinynetError(f"{op}: cannot {verb} {name!r}: {reason}")


def _umask() -> int:
    # The only portable way to read the umask is to set it and put it back.
    mask = os.umask(0)
    os.umask(mask)
    return mask
