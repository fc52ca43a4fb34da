"""Files: the one place tinynet writes a file, and the bounded readers.

Writing. Every file tinynet writes (a saved model, an SVG plot, the CLI's
predictions and reports) goes through ``write_atomic``: the text goes to a
temporary file ``.tinynet-<12 hex digits>.tmp`` in the target's folder, is
flushed to disk, and os.replace moves it into place. os.replace is atomic on
POSIX and Windows, so a reader sees the old file or the new one, never half
of one, and a failed write leaves the old file byte for byte as it was. Only
a process killed outright (kill -9, a power cut) can leave a
``.tinynet-*.tmp`` file behind; the target is intact then too, and the
temporary file may be deleted.

The writer keeps what the user chose about the existing file: it writes
through a symlink to the file it points at, keeps the file's permission
bits, refuses a read-only file, and refuses anything that is not a regular
file (a folder, a FIFO, a device), which replacing would destroy.

Reading. ``read_text`` and ``open_text`` read regular files only (a FIFO or
/dev/zero would hang or never end) and at most ``limit`` bytes: a file larger
than that is refused before it is read. A ``.gz`` file is decompressed as it
is read, with a running count, and refused once it expands past ``limit``
or past ``MAX_GZIP_RATIO`` times its own size (a decompression bomb).

>>> import os, tempfile
>>> path = os.path.join(tempfile.mkdtemp(), "note.txt")
>>> write_atomic(path, "hello\\n", op="demo")
>>> read_text(path, op="demo", limit=100)
'hello\\n'
"""

from __future__ import annotations

import gzip
import io
import os
import stat
import zlib
from typing import Any, Optional, TextIO, Tuple

from .checks import describe
from .errors import TinynetError

__all__ = ["write_atomic", "check_writable", "same_file", "read_text", "open_text",
           "file_name", "MAX_BYTES", "MAX_GZIP_RATIO"]

TEMP_PREFIX = ".tinynet-"  # temporary files are .tinynet-<12 hex digits>.tmp
TEMP_SUFFIX = ".tmp"
MAX_BYTES = 64 * 2 ** 20   # the default bound on a file tinynet reads: 64 MiB
MAX_GZIP_RATIO = 100       # a .gz may expand to at most 100 times its size ...
_GZIP_FLOOR = 2 ** 20      # ... or 1 MiB, whichever is more


# --- writing -------------------------------------------------------------------

def write_atomic(path: Any, text: str, *, op: str) -> None:
    """Write text to path as UTF-8, atomically: all of it or nothing.

    A new file gets the permissions a new file would (0666 less the
    umask); an existing one keeps its own. A symlink is written through,
    so the link stays and the file it points at gets the text.

    >>> write_atomic(3, "x", op="save")
    Traceback (most recent call last):
        ...
    tinynet.errors.TinynetError: save: needs a file name (str or os.PathLike), got int 3

    Raises TinynetError naming the operation and the file when path is not a
    file name, names a folder, a FIFO, a device or a read-only file, or the
    file cannot be written (a missing folder, no space, no permission); the
    file at path is then untouched.
    """
    name = file_name(path, op=op)
    target, mode = _write_target(op, name)
    data = text.encode("utf-8")
    fd, tmp = _create_temp(op, name, target)
    try:
        with os.fdopen(fd, "wb") as f:
            if mode is not None:
                _chmod(f.fileno(), tmp, mode)
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, target)
    except BaseException as error:  # also KeyboardInterrupt: no temporary left
        _remove(tmp)
        if isinstance(error, OSError):
            raise _cannot("write", op, name, error) from None
        raise
    _sync_folder(os.path.dirname(target))


def check_writable(path: Any, *, op: str) -> None:
    """Check, without touching it, that write_atomic could write path now.

    This creates and removes a temporary file in the target's folder, so a
    long job (training) learns before it starts that its result can be kept.

    >>> check_writable("/no/such/folder/model.json", op="--save")
    Traceback (most recent call last):
        ...
    tinynet.errors.TinynetError: --save: cannot write '/no/such/folder/model.json': the folder '/no/such/folder' does not exist

    Raises TinynetError for every reason write_atomic would.
    """
    name = file_name(path, op=op)
    target, _ = _write_target(op, name)
    fd, tmp = _create_temp(op, name, target)
    os.close(fd)
    _remove(tmp)


def same_file(a: Any, b: Any) -> bool:
    """Return True if the paths a and b name the same file: the same path
    after following symlinks, or the same existing file (a hard link, or
    another spelling on a case-insensitive disk).

    >>> same_file("a/../b.csv", "b.csv")
    True
    """
    try:
        a, b = os.fspath(a), os.fspath(b)
        return os.path.realpath(a) == os.path.realpath(b) or os.path.samefile(a, b)
    except (OSError, ValueError):  # one does not exist (yet), or cannot: "a\0b"
        return False


def _write_target(op: str, name: str) -> Tuple[str, Optional[int]]:
    """(the real path to write, the existing file's mode or None if new)."""
    target = os.path.realpath(name)  # through symlinks, to the file itself
    folder = os.path.dirname(target)
    if not os.path.isdir(folder):
        raise TinynetError(f"{op}: cannot write {name!r}: the folder {folder!r} does not exist")
    try:
        st = os.stat(target)
    except FileNotFoundError:
        return target, None
    except OSError as error:
        raise _cannot("write", op, name, error) from None
    if not stat.S_ISREG(st.st_mode):
        raise TinynetError(f"{op}: {name!r} is {_kind(st.st_mode)}, not a regular file; "
                           f"not replacing it")
    mode = stat.S_IMODE(st.st_mode) & 0o777
    if not mode & 0o222 or not os.access(target, os.W_OK):
        raise TinynetError(f"{op}: {name!r} is read-only; not replacing it")
    return target, mode


def _create_temp(op: str, name: str, target: str) -> Tuple[int, str]:
    """Create .tinynet-XXXXXXXXXXXX.tmp beside target; return (fd, its path).

    Mode 0o666 here means "what a new file gets": the kernel takes the
    umask off as it creates the file. Reading the umask instead would mean
    setting it (os.umask is the only portable reader), which races with
    every other thread that creates a file meanwhile.
    """
    folder = os.path.dirname(target)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    for _ in range(100):
        tmp = os.path.join(folder, f"{TEMP_PREFIX}{os.urandom(6).hex()}{TEMP_SUFFIX}")
        try:
            return os.open(tmp, flags, 0o666), tmp
        except FileExistsError:
            continue
        except OSError as error:
            raise _cannot("write", op, name, error) from None
    raise TinynetError(f"{op}: cannot write {name!r}: no free temporary file name")


def _chmod(fd: int, path: str, mode: int) -> None:
    if hasattr(os, "fchmod"):
        os.fchmod(fd, mode)
    else:  # Windows: only the read-only bit exists
        os.chmod(path, mode)


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def _sync_folder(folder: str) -> None:
    # Make the rename itself durable; not possible (nor needed) everywhere.
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


# --- reading -------------------------------------------------------------------

def read_text(path: Any, *, op: str, limit: int = MAX_BYTES) -> str:
    """Return the UTF-8 text of the regular file at path, if it is at most
    limit bytes.

    >>> read_text("no/such/file.json", op="load", limit=10)
    Traceback (most recent call last):
        ...
    tinynet.errors.TinynetError: load: cannot read 'no/such/file.json': No such file or directory

    Raises TinynetError naming the operation and the file when it cannot be
    read, is not a regular file (a FIFO, /dev/zero), is larger than limit
    bytes, or is not UTF-8 text.
    """
    name = file_name(path, op=op)
    try:
        st, f = _open_regular(op, name)
        with f:
            _check_size(op, name, st.st_size, limit)
            data = _read_at_most(f, limit + 1)  # + 1: a file that grew is caught
    except OSError as error:
        raise _cannot("read", op, name, error) from None
    _check_size(op, name, len(data), limit)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise TinynetError(f"{op}: {name!r} is not UTF-8 text") from None


def _read_at_most(f: Any, n: int) -> bytes:
    # In 1 MiB pieces: f.read(n) would set aside n bytes before reading one.
    chunks = []
    while n > 0:
        chunk = f.read(min(n, 2 ** 20))
        if not chunk:
            break
        chunks.append(chunk)
        n -= len(chunk)
    return b"".join(chunks)


def open_text(path: Any, *, op: str, limit: int = MAX_BYTES,
              encoding: str = "utf-8") -> TextIO:
    """Return the regular file at path opened for reading text, bounded to
    limit bytes of text; a name ending in ".gz" is decompressed as it is read.

    A .gz file may expand to at most min(limit, max(MAX_GZIP_RATIO * its
    size, 1 MiB)) bytes: real tables compress 3 to 50 times, while 32 KB of
    compressed newlines expand 1000 times, to 32 MB that take a CSV reader
    tens of seconds.

    >>> open_text("no/such/file.csv", op="read_csv")
    Traceback (most recent call last):
        ...
    tinynet.errors.TinynetError: read_csv: no such file: 'no/such/file.csv'

    Raises TinynetError naming the file when it is missing, cannot be read,
    or is not a regular file, and (while it is read) when it is larger than
    its bound or is not valid gzip data. Undecodable text raises
    UnicodeDecodeError as it is read.
    """
    name = file_name(path, op=op)
    try:
        st, raw = _open_regular(op, name)
    except FileNotFoundError:
        raise TinynetError(f"{op}: no such file: {name!r}") from None
    except OSError as error:
        raise _cannot("read", op, name, error) from None
    if name.endswith(".gz"):
        inner: Any = gzip.GzipFile(fileobj=raw, mode="rb")
        bound = min(limit, max(MAX_GZIP_RATIO * st.st_size, _GZIP_FLOOR))
        why = (f"it expands past {_size(bound)}" + ("" if bound == limit else
               f", {MAX_GZIP_RATIO} times its size of {_size(st.st_size)}; "
               f"decompress it yourself if that is right"))
    else:
        _check_size(op, name, st.st_size, limit, raw)
        inner, bound, why = raw, limit, f"it is larger than {limit} bytes"
    counted = _Bounded(inner, raw, bound, f"{op}: refusing {name!r}: {why}",
                       f"{op}: {name!r} is not valid gzip data")
    return io.TextIOWrapper(io.BufferedReader(counted), encoding=encoding, newline="")


class _Bounded(io.RawIOBase):
    """A binary stream that counts what it passes on and refuses more than bound."""

    def __init__(self, inner: Any, raw: Any, bound: int, too_big: str, bad_gzip: str):
        super().__init__()
        self._inner, self._raw, self._left = inner, raw, bound
        self._too_big, self._bad_gzip = too_big, bad_gzip

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        try:
            n = self._inner.readinto(buffer)
        except (zlib.error, EOFError, gzip.BadGzipFile):
            raise TinynetError(self._bad_gzip) from None
        self._left -= n
        if self._left < 0:
            raise TinynetError(self._too_big)
        return n

    def close(self) -> None:
        if not self.closed:
            self._inner.close()
            self._raw.close()
        super().close()


def _open_regular(op: str, name: str) -> Tuple[os.stat_result, Any]:
    """(stat, binary file) of a regular file; O_NONBLOCK, so that a FIFO put
    in its place between the check and the open cannot hang us."""
    st = os.stat(name)
    _check_regular(op, name, st)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(name, flags)
    try:
        st = os.fstat(fd)
        _check_regular(op, name, st)  # the file we opened, not the one we checked
    except BaseException:
        os.close(fd)
        raise
    return st, os.fdopen(fd, "rb")


def _check_regular(op: str, name: str, st: os.stat_result) -> None:
    if not stat.S_ISREG(st.st_mode):
        raise TinynetError(f"{op}: {name!r} is {_kind(st.st_mode)}, not a regular file")


def _check_size(op: str, name: str, size: int, limit: int, f: Any = None) -> None:
    if size > limit:
        if f is not None:
            f.close()
        raise TinynetError(f"{op}: {name!r} is larger than {limit} bytes"
                           + (f" ({_size(size)})" if size > 2 ** 20 else ""))


def _kind(mode: int) -> str:
    kinds = [(stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO (named pipe)"),
             (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
             (stat.S_ISSOCK, "a socket")]
    return next((what for test, what in kinds if test(mode)), "a special file")


def _size(n: int) -> str:
    for unit in ("bytes", "KiB", "MiB"):
        if n < 1024:
            return f"{n:.0f} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} GiB"


def file_name(path: Any, *, op: str) -> str:
    """Return path as a str, if it is a str or an os.PathLike naming a file.

    Only these: an int would be taken for a file descriptor (0 is stdin),
    and bytes are a platform's business.

    >>> file_name(0, op="load")
    Traceback (most recent call last):
        ...
    tinynet.errors.TinynetError: load: needs a file name (str or os.PathLike), got int 0

    Raises TinynetError for anything else, an empty name, or a name with a
    NUL character.
    """
    if not isinstance(path, (str, os.PathLike)):
        raise TinynetError(f"{op}: needs a file name (str or os.PathLike), "
                           f"got {describe(path)}")
    try:
        name = os.fsdecode(os.fspath(path))
    except (TypeError, ValueError):
        raise TinynetError(f"{op}: needs a file name, got {describe(path)}") from None
    if not name or "\0" in name:
        raise TinynetError(f"{op}: needs a file name, got {name!r}")
    return name


def _cannot(verb: str, op: str, name: str, error: OSError) -> TinynetError:
    reason = error.strerror or type(error).__name__
    return TinynetError(f"{op}: cannot {verb} {name!r}: {reason}")
