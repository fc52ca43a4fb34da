"""Tables: reading a CSV file into features x and a target column y.

>>> import tempfile
>>> with tempfile.TemporaryDirectory() as tmp:
...     path = os.path.join(tmp, "xy.csv")
...     with open(path, "w") as f:
...         _ = f.write("a,b\\n1,2\\n3,4\\n")
...     read_csv(path)
([[1.0], [3.0]], [2.0, 4.0], ['a'], 'b')
"""

from __future__ import annotations

import csv
import gzip
import math
import os
from typing import Any, List, Optional, Sequence, Tuple

from ..checks import describe, is_sequence
from ..errors import TinynetError
from ..matrix import Matrix

__all__ = ["read_csv"]

# --- CSV -----------------------------------------------------------------------

def read_csv(path: Any, *, target: Any = -1,
             features: Optional[Sequence[str]] = None
             ) -> Tuple[Matrix, Optional[list], List[str], Optional[str]]:
    """Return (x, y, feature_names, target_name) read from a CSV file.

    The file is comma-separated UTF-8 text, gzip-compressed if its name ends
    in ".gz". Cells are stripped of surrounding spaces; blank lines, and rows
    whose cells are all empty, are skipped.

    Header. The first row is a header when one of its cells is not a number
    while the cell below it is (so a text label column does not make a
    header by itself); a file of a single row is a header when any of its
    cells is not a number. Without a header the target column is named "y"
    and the other columns "x0", "x1", ... in order.

    target picks the target column: a column name (needs a header), an
    index (negative counts from the end; the default -1 is the last column),
    or None for no target, when y and target_name are None. features, a list
    of column names, picks the feature columns and their order; by default
    every column but the target is a feature.

    x holds the features as floats. y holds the target as floats when every
    target cell is a finite number, and otherwise as the strings of the file
    (class names). It is never converted further: a 0/1 class column comes
    back as floats 0.0 and 1.0.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = os.path.join(tmp, "pets.csv")
    ...     with open(path, "w") as f:
    ...         _ = f.write("weight,height,kind\\n4.0,25,cat\\n30,60,dog\\n")
    ...     read_csv(path, target="kind")
    ([[4.0, 25.0], [30.0, 60.0]], ['cat', 'dog'], ['weight', 'height'], 'kind')

    Raises TinynetError, naming the file, for: a missing or unreadable file,
    an empty file, a header with no data rows, an empty or repeated column
    name, a row with a different number of columns (``line 4 has 3 columns,
    expected 5``), a feature cell that is not a finite number (``line 4,
    column 'age': expected a number, got 'abc'``), an unknown target or
    feature name (the message lists the columns), a target index out of
    range, or a target name for a file with no header.
    """
    op = "read_csv"
    if isinstance(path, bytes):
        path = os.fsdecode(path)
    if not isinstance(path, (str, os.PathLike)):
        raise TinynetError(f"{op}: path must be a file name, got {describe(path)}")
    name = os.fspath(path)
    rows = _read_rows(name)
    if not rows:
        raise TinynetError(f"{op}: {name} is empty")
    width = len(rows[0][1])
    for line, cells in rows:
        if len(cells) != width:
            raise TinynetError(
                f"{op}: {name} line {line} has {len(cells)} columns, expected {width}")
    names: Optional[List[str]] = None
    if _has_header(rows):
        names = _header_names(name, rows[0])
        rows = rows[1:]
        if not rows:
            raise TinynetError(f"{op}: {name} has a header but no data rows")
    t = _target_column(name, target, names, width)
    if names is None:
        names = _default_names(width, t)
    columns = ([j for j in range(width) if j != t] if features is None
               else _feature_columns(name, features, names, t))
    if not columns:
        raise TinynetError(f"{op}: {name} has no feature columns, only the target {names[t]!r}")
    x = [_features(name, line, cells, columns, names) for line, cells in rows]
    y = None if t is None else _target_values([cells[t] for _, cells in rows])
    return x, y, [names[j] for j in columns], (None if t is None else names[t])


def _read_rows(name: str) -> List[Tuple[int, List[str]]]:
    """(line number, stripped cells) of every non-blank row of the file."""
    opener = gzip.open if name.endswith(".gz") else open
    rows = []
    line = 0
    try:
        # utf-8-sig drops the byte-order mark some spreadsheets write
        with opener(name, "rt", encoding="utf-8-sig", newline="") as f:
            reader = csv.reader(f)
            for cells in reader:
                line = reader.line_num
                cells = [c.strip() for c in cells]
                if any(cells):
                    rows.append((line, cells))
    except FileNotFoundError:
        raise TinynetError(f"read_csv: no such file: {name!r}") from None
    except (OSError, EOFError) as e:
        reason = e.strerror if getattr(e, "strerror", None) else (str(e) or type(e).__name__)
        raise TinynetError(f"read_csv: cannot read {name!r}: {reason}") from None
    except UnicodeDecodeError:
        raise TinynetError(f"read_csv: {name} is not UTF-8 text") from None
    except csv.Error as e:
        raise TinynetError(f"read_csv: {name} line {line + 1}: {e}") from None
    return rows


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def _has_header(rows: List[Tuple[int, List[str]]]) -> bool:
    first = rows[0][1]
    if len(rows) == 1:
        return not all(map(_is_number, first))
    second = rows[1][1]
    return any(not _is_number(a) and _is_number(b) for a, b in zip(first, second))


def _header_names(name: str, row: Tuple[int, List[str]]) -> List[str]:
    line, names = row
    seen = set()
    for j, column in enumerate(names):
        if not column:
            raise TinynetError(f"read_csv: {name} line {line}: column {j} has an empty name")
        if column in seen:
            raise TinynetError(
                f"read_csv: {name} line {line}: column name {column!r} appears twice")
        seen.add(column)
    return names


def _default_names(width: int, t: Optional[int]) -> List[str]:
    """Names for a file without a header: "y" for the target, x0, x1, ... for the rest."""
    names = ["y"] * width
    for k, j in enumerate(j for j in range(width) if j != t):
        names[j] = f"x{k}"
    return names


def _target_column(name: str, target: Any, names: Optional[List[str]],
                   width: int) -> Optional[int]:
    if target is None:
        return None
    if isinstance(target, str):
        if names is None:
            raise TinynetError(
                f"read_csv: {name} has no header row, so target must be a column "
                f"index, got {target!r}")
        if target not in names:
            raise TinynetError(
                f"read_csv: {name} has no column {target!r}; columns are {_names(names)}")
        return names.index(target)
    if isinstance(target, bool) or not isinstance(target, int):
        raise TinynetError(
            f"read_csv: target must be a column name, an index or None, got {describe(target)}")
    if not -width <= target < width:
        raise TinynetError(
            f"read_csv: target index {target} is out of range for {width} columns")
    return target % width


def _feature_columns(name: str, features: Any, names: List[str],
                     t: Optional[int]) -> List[int]:
    if isinstance(features, (str, bytes)) or not is_sequence(features):
        raise TinynetError(
            f"read_csv: features must be a list of column names, got {describe(features)}")
    if not features:
        raise TinynetError("read_csv: features is empty")
    columns = []
    for feature in features:
        if not isinstance(feature, str):
            raise TinynetError(
                f"read_csv: features must be column names, got {describe(feature)}")
        if feature not in names:
            raise TinynetError(
                f"read_csv: {name} has no column {feature!r}; columns are {_names(names)}")
        j = names.index(feature)
        if j == t:
            raise TinynetError(
                f"read_csv: column {feature!r} is the target; it cannot also be a feature")
        if j in columns:
            raise TinynetError(f"read_csv: features lists {feature!r} twice")
        columns.append(j)
    return columns


def _names(names: List[str]) -> str:
    return ", ".join(repr(n) for n in names)


def _features(name: str, line: int, cells: List[str], columns: List[int],
              names: List[str]) -> List[float]:
    try:
        row = [float(cells[j]) for j in columns]
        if all(map(math.isfinite, row)):
            return row
    except ValueError:
        pass
    # the slow path, only to find the first bad cell and name it
    j = next(j for j in columns if not _is_finite_number(cells[j]))
    needed = "a finite number" if _is_number(cells[j]) else "a number"
    raise TinynetError(
        f"read_csv: {name} line {line}, column {names[j]!r}: "
        f"expected {needed}, got {cells[j]!r}")


def _is_finite_number(cell: str) -> bool:
    return _is_number(cell) and math.isfinite(float(cell))


def _target_values(cells: List[str]) -> list:
    try:
        values = [float(c) for c in cells]
    except ValueError:
        return cells  # class names
    return values if all(map(math.isfinite, values)) else cells
