"""tinynet.files: the one atomic writer and the bounded reader."""

import os
import stat
import sys

import pytest

from tinynet import TinynetError
from tinynet.files import read_text, write_atomic


def test_write_atomic_writes_the_text_exactly_and_overwrites(tmp_path):
    path = tmp_path / "out.txt"
    write_atomic(path, "old\n", op="demo")
    write_atomic(str(path), "caf\u00e9\r\nline\n", op="demo")
    assert path.read_bytes() == "caf\u00e9\r\nline\n".encode("utf-8")
    assert os.listdir(str(tmp_path)) == ["out.txt"]


@pytest.mark.skipif(sys.platform in ("win32", "emscripten"),
                    reason="POSIX permission bits, with the umask applied")
def test_write_atomic_gives_the_permissions_of_a_new_file(tmp_path):
    old = os.umask(0o022)
    try:
        write_atomic(tmp_path / "out.txt", "x", op="demo")
    finally:
        os.umask(old)
    assert stat.S_IMODE(os.stat(str(tmp_path / "out.txt")).st_mode) == 0o644


def test_a_failed_replace_keeps_the_old_file_and_leaves_no_temporary(tmp_path, monkeypatch):
    path = tmp_path / "out.txt"
    path.write_text("old")

    def broken_replace(src, dst):
        assert os.path.basename(src).startswith(".tinynet-") and src.endswith(".tmp")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(TinynetError, match="demo: cannot write .*out.txt.*No space left"):
        write_atomic(path, "new", op="demo")
    assert path.read_text() == "old"
    assert os.listdir(str(tmp_path)) == ["out.txt"]


def test_write_atomic_names_a_missing_folder_and_a_bad_path(tmp_path):
    with pytest.raises(TinynetError, match="demo: cannot write .*missing.*out.txt"):
        write_atomic(tmp_path / "missing" / "out.txt", "x", op="demo")
    with pytest.raises(TinynetError,
                       match=r"demo: needs a file name \(str or os.PathLike\), got NoneType None"):
        write_atomic(None, "x", op="demo")


def test_read_text_reads_up_to_the_limit_and_refuses_more(tmp_path):
    path = tmp_path / "in.txt"
    path.write_bytes(b"12345")
    assert read_text(path, op="demo", limit=5) == "12345"
    with pytest.raises(TinynetError, match="demo: .*in.txt.* is larger than 4 bytes"):
        read_text(path, op="demo", limit=4)


def test_read_text_names_a_missing_or_binary_file(tmp_path):
    with pytest.raises(TinynetError, match="demo: cannot read .*nope.txt"):
        read_text(tmp_path / "nope.txt", op="demo", limit=10)
    (tmp_path / "bin").write_bytes(b"\xff\xfe\x80")
    with pytest.raises(TinynetError, match="demo: .*bin.* is not UTF-8 text"):
        read_text(tmp_path / "bin", op="demo", limit=10)
