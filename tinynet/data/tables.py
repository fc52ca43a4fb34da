"""Tables: reading a CSV file as it is published.

A file goes through read_sheet, which finds what a person would see in it:

- the delimiter, sniffed among , ; tab and | (or given);
- quoted fields, a byte-order mark, CRLF line ends, a gzip file (".gz");
- whether the first row is a header, even in an all-text file;
- an unnamed first column of row numbers (R's write.csv, pandas' to_csv
  write one): read as the row index and left out of the columns;
- missing cells: empty, or one of NA_VALUES (case-insensitive), like
  pandas' na_values; a file may pass its own list;
- decimal commas (3,5) in a semicolon-separated file, and thousands
  separators ("1,234.5", quoted) elsewhere.

read_csv then picks a target and feature columns and returns numbers, for
tables that are all numbers. Tables with text and missing cells go through
tinynet.data.encode (and tinynet.recipe, which the command line uses).

>>> import tempfile
>>> with tempfile.TemporaryDirectory() as tmp:
...     path = os.path.join(tmp, "xy.csv")
...     with open(path, "w") as f:
...         _ = f.write("a;b\\n1;2\\n3,5;4\\n")
...     read_csv(path)
([[1.0], [3.5]], [2.0, 4.0], ['a'], 'b')
"""

from __future__ import annotations

import csv
import gzip
import math
import os
import re
from typing import Any, FrozenSet, Iterable, List, NamedTuple, Optional, Sequence, Tuple

from ..checks import describe, is_sequence
from ..errors import TinynetError
from ..matrix import Matrix

__all__ = ["read_csv", "read_sheet", "Sheet", "NA_VALUES", "DELIMITERS", "na_set",
           "is_missing", "to_number", "pick_columns"]

# The cells that mean "no value", compared case-insensitively after
# stripping spaces: pandas' defaults, less its rarer spellings (#N/A, 1.#QNAN).
NA_VALUES = ("", "NA", "N/A", "NaN", "null", "None", "?", "-")
DELIMITERS = (",", ";", "\t", "|")
_DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}
_UNNAMED = ("", "Unnamed: 0")  # the header cell R and pandas write over row names
_DECIMAL_COMMA = re.compile(r"^[+-]?[0-9]+,[0-9]+$")
_THOUSANDS = re.compile(r"^[+-]?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?$")
_SNIFF_LINES = 50
MAX_CHARS = 512 * 2 ** 20  # read_sheet reads at most this much text: 512 MiB


class Sheet(NamedTuple):
    """The cells of a CSV file, as read_sheet found them.

    rows hold the cells as text (stripped), one list per data row, and
    lines the file's line number of each row. index is (name, values) of
    the row-index column that was left out, or None. notes say in words
    what was detected, for the command line to print.
    """
    names: List[str]
    rows: List[List[str]]
    lines: List[int]
    header: bool
    delimiter: str
    na: FrozenSet[str]
    index: Optional[Tuple[str, List[str]]]
    notes: List[str]
    source: str


def read_csv(path: Any, *, target: Any = -1,
             features: Optional[Sequence[str]] = None, delimiter: Optional[str] = None,
             na_values: Optional[Iterable[str]] = None
             ) -> Tuple[Matrix, Optional[list], List[str], Optional[str]]:
    """Return (x, y, feature_names, target_name) read from a CSV file of numbers.

    The file is read by read_sheet (delimiter, header, row index and missing
    cells as it describes). Without a header the target column is named "y"
    and the other columns "x0", "x1", ... in order.

    target picks the target column: a column name (needs a header), an
    index (negative counts from the end; the default -1 is the last column),
    or None for no target, when y and target_name are None. features, a list
    of column names, picks the feature columns and their order; by default
    every column but the target is a feature.

    x holds the features as floats. y holds the target as floats when every
    target cell is a finite number, and otherwise as the strings of the file
    (class names). It is never converted further: a 0/1 class column comes
    back as floats 0.0 and 1.0. For text features and missing cells, use
    tinynet.recipe or tinynet.Classifier, which encode and impute them.

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
    sheet = read_sheet(path, delimiter=delimiter, na_values=na_values, op="read_csv")
    t, columns, names = pick_columns(sheet, target, features, op="read_csv")
    x = [_features(sheet.source, line, cells, columns, names)
         for line, cells in zip(sheet.lines, sheet.rows)]
    y = None if t is None else _target_values([cells[t] for cells in sheet.rows])
    return x, y, [names[j] for j in columns], (None if t is None else names[t])


def read_sheet(path: Any, *, delimiter: Optional[str] = None,
               na_values: Optional[Iterable[str]] = None, op: str = "read_sheet") -> Sheet:
    """Return the Sheet of a CSV file: its column names and cells as text.

    delimiter None sniffs it among DELIMITERS: the one that splits the
    first lines into the same number of columns (more than one) most
    consistently. na_values replaces NA_VALUES as the missing-cell tokens.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = os.path.join(tmp, "r.csv")
    ...     with open(path, "w") as f:
    ...         _ = f.write('"","size","kind"\\n"1",3,"a"\\n"2",NA,"b"\\n')
    ...     sheet = read_sheet(path)
    >>> sheet.names, sheet.rows, sheet.index
    (['size', 'kind'], [['3', 'a'], ['NA', 'b']], ('', ['1', '2']))
    >>> sheet.notes[0]
    "the first column has no name: read as row names (R's write.csv and pandas' to_csv write them) and left out"

    Raises TinynetError, naming the file, as read_csv does for a bad file.
    """
    name = _file_name(op, path)
    na = na_set(na_values, op)
    if delimiter is not None and (not isinstance(delimiter, str) or len(delimiter) != 1
                                  or delimiter in "\"\r\n "):
        raise TinynetError(f"{op}: delimiter must be one character such as ',' or ';', "
                           f"got {delimiter!r}")
    text = _read_text(op, name)
    notes = []
    if delimiter is None:
        delimiter = sniff_delimiter(text)
        if delimiter != ",":
            notes.append(f"columns separated by {_DELIMITER_NAMES[delimiter]}s "
                         f"(detected; --delimiter sets it)")
    rows = _rows(op, name, text, delimiter)
    if not rows:
        raise TinynetError(f"{op}: {name} is empty")
    width = _check_widths(op, name, rows)
    rows = [(line, cells[:width]) for line, cells in rows]
    rows = [(line, [_number_text(c, delimiter) for c in cells]) for line, cells in rows]
    header = _has_header([cells for _, cells in rows], na)
    index = None
    if header:
        names = _header_names(op, name, rows[0], first_may_be_empty=width > 1)
        rows = rows[1:]
        if not rows:
            raise TinynetError(f"{op}: {name} has a header but no data rows")
        if names[0] in _UNNAMED and width > 1:
            index = (names[0], [cells[0] for _, cells in rows])
            names, rows = names[1:], [(line, cells[1:]) for line, cells in rows]
            notes.append("the first column has no name: read as row names (R's write.csv "
                         "and pandas' to_csv write them) and left out")
    else:
        names = [f"x{j}" for j in range(width)]
        notes.append("no header row (the first row looks like data): the columns are "
                     "named x0, x1, ... and the target y")
    return Sheet(names, [cells for _, cells in rows], [line for line, _ in rows], header,
                 delimiter, na, index, notes, name)


def na_set(na_values: Optional[Iterable[str]] = None, op: str = "na_set") -> FrozenSet[str]:
    """Return the missing-cell tokens, lower-cased: NA_VALUES, or the caller's list.

    >>> sorted(na_set(["NA", "missing"]))
    ['', 'missing', 'na']

    The empty cell always counts as missing. Raises TinynetError for a
    list that is not of strings.
    """
    if na_values is None:
        na_values = NA_VALUES
    if isinstance(na_values, (str, bytes)) or not is_sequence(na_values) and not isinstance(
            na_values, (set, frozenset)):
        raise TinynetError(f"{op}: na_values must be a list of strings, got "
                           f"{describe(na_values)}")
    for v in na_values:
        if not isinstance(v, str):
            raise TinynetError(f"{op}: na_values must be strings, got {describe(v)}")
    return frozenset([""] + [v.strip().lower() for v in na_values])


def is_missing(cell: Any, na: FrozenSet[str] = na_set()) -> bool:
    """Return True for a missing cell: None, a float NaN, or text in na.

    >>> [is_missing(c) for c in (None, float("nan"), "NA", " n/a ", "0", 0.0)]
    [True, True, True, True, False, False]
    """
    if cell is None:
        return True
    if isinstance(cell, float):
        return math.isnan(cell)
    return isinstance(cell, str) and cell.strip().lower() in na


def to_number(cell: Any) -> Optional[float]:
    """Return the cell as a finite float, or None if it is not one.

    >>> to_number(" 2.5 "), to_number(3), to_number("inf"), to_number("cat"), to_number(True)
    (2.5, 3.0, None, None, None)
    """
    if isinstance(cell, bool):
        return None
    if isinstance(cell, str):
        try:
            value = float(cell)
        except ValueError:
            return None
    else:
        try:
            value = float(cell)
        except (TypeError, ValueError, OverflowError):
            return None
    return value if math.isfinite(value) else None


def sniff_delimiter(text: str) -> str:
    """Return the delimiter among DELIMITERS that splits the first lines most consistently.

    The score of a delimiter is the share of lines that have its most common
    column count, when that count is above 1; ties go to the earlier one in
    DELIMITERS.

    >>> sniff_delimiter("a;b;c\\n1,5;2;3\\n"), sniff_delimiter("a\\tb\\n1\\t2\\n")
    (';', '\\t')
    >>> sniff_delimiter("one column\\n1\\n")
    ','
    """
    lines = [line for line in text.splitlines()[:_SNIFF_LINES] if line.strip()]
    best, best_score = ",", (0.0, 0)
    for d in DELIMITERS:
        try:
            widths = [len(cells) for cells in csv.reader(lines, delimiter=d)]
        except csv.Error:
            continue
        if not widths:
            continue
        common = max(set(widths), key=lambda w: (widths.count(w), w))
        score = (widths.count(common) / len(widths), common)
        if common > 1 and score > best_score:
            best, best_score = d, score
    return best


def pick_columns(sheet: Sheet, target: Any, features: Optional[Sequence[str]], *,
                 exclude: Optional[Sequence[str]] = None, op: str = "read_csv"
                 ) -> Tuple[Optional[int], List[int], List[str]]:
    """Return (t, columns, names): the target's column index (None for no
    target), the feature columns' indices in order, and the column names.

    A file without a header names the target "y" and the other columns
    x0, x1, ... in order.

    >>> sheet = Sheet(["a", "b", "c"], [["1", "2", "3"]], [2], True, ",", na_set(), None,
    ...               [], "t.csv")
    >>> pick_columns(sheet, "b", None, exclude=["c"])
    (1, [0], ['a', 'b', 'c'])

    Raises TinynetError for an unknown column, a feature that is the target,
    a column listed twice, or no feature column left.
    """
    name, width = sheet.source, len(sheet.names)
    t = _target_column(op, name, target, sheet.names if sheet.header else None, width)
    names = sheet.names if sheet.header else _default_names(width, t)
    columns = ([j for j in range(width) if j != t] if features is None
               else _feature_columns(op, name, features, names, t))
    for column in exclude or ():
        if column not in names:
            raise TinynetError(
                f"{op}: {name} has no column {column!r} to exclude; columns are {_names(names)}")
        if names.index(column) in columns:
            columns.remove(names.index(column))
    if not columns:
        raise TinynetError(f"{op}: {name} has no feature columns"
                           + ("" if t is None else f", only the target {names[t]!r}"))
    return t, columns, names


def _default_names(width: int, t: Optional[int]) -> List[str]:
    """Names for a file without a header: "y" for the target, x0, x1, ... for the rest."""
    names = ["y"] * width
    for k, j in enumerate(j for j in range(width) if j != t):
        names[j] = f"x{k}"
    return names


# --- reading --------------------------------------------------------------------

def _file_name(op: str, path: Any) -> str:
    if isinstance(path, bytes):
        path = os.fsdecode(path)
    if not isinstance(path, (str, os.PathLike)):
        raise TinynetError(f"{op}: path must be a file name, got {describe(path)}")
    return os.fspath(path)


def _read_text(op: str, name: str) -> str:
    """The file's text, at most MAX_CHARS characters of it."""
    opener = gzip.open if name.endswith(".gz") else open
    try:
        # utf-8-sig drops the byte-order mark some spreadsheets write
        with opener(name, "rt", encoding="utf-8-sig", newline="") as f:
            text = f.read(MAX_CHARS + 1)
    except FileNotFoundError:
        raise TinynetError(f"{op}: no such file: {name!r}") from None
    except (OSError, EOFError) as e:
        reason = e.strerror if getattr(e, "strerror", None) else (str(e) or type(e).__name__)
        raise TinynetError(f"{op}: cannot read {name!r}: {reason}") from None
    except UnicodeDecodeError:
        raise TinynetError(f"{op}: {name} is not UTF-8 text") from None
    if len(text) > MAX_CHARS:
        raise TinynetError(f"{op}: {name} is larger than {MAX_CHARS // 2 ** 20} MiB of text; "
                           f"tinynet reads tables that fit in memory")
    return text


def _number_text(cell: str, delimiter: str) -> str:
    """A number written with a decimal comma (3,5 in a ; file) or thousands
    separators ("1,234.5" quoted in a , file) as Python reads it."""
    if delimiter == ";" and _DECIMAL_COMMA.match(cell):
        return cell.replace(",", ".")
    if delimiter != ";" and _THOUSANDS.match(cell):
        return cell.replace(",", "")
    return cell


def _rows(op: str, name: str, text: str, delimiter: str) -> List[Tuple[int, List[str]]]:
    """(line number, stripped cells) of every row with a non-empty cell."""
    rows = []
    line = 0
    reader = csv.reader(text.splitlines(keepends=True), delimiter=delimiter)
    try:
        for cells in reader:
            line = reader.line_num
            cells = [c.strip() for c in cells]
            if any(cells):
                rows.append((line, cells))
    except csv.Error as e:
        raise TinynetError(f"{op}: {name} line {line + 1}: {e}") from None
    return rows


def _check_widths(op: str, name: str, rows: List[Tuple[int, List[str]]]) -> int:
    # Extra empty cells at the end of a row (a trailing delimiter) are not columns.
    width = len(rows[0][1])
    while width > 1 and not rows[0][1][width - 1] and all(
            len(cells) < width or not cells[width - 1] for _, cells in rows):
        width -= 1
    for line, cells in rows:
        if len(cells) != width and not (len(cells) > width and not any(cells[width:])):
            raise TinynetError(
                f"{op}: {name} line {line} has {len(cells)} columns, expected {width}")
    return width


def _has_header(rows: List[List[str]], na: FrozenSet[str]) -> bool:
    """Whether the first row names the columns.

    It does when a column holds text in the first row and numbers below; it
    does not when the first row holds a number; an all-text first row is a
    header unless one of its cells comes back lower in its column (data
    repeats, column names do not).
    """
    first, below = rows[0], rows[1:501]
    text = [not is_missing(c, na) and to_number(c) is None and not _is_number(c)
            for c in first]
    if not below:
        return any(text)
    for j, cell in enumerate(first):
        column = [r[j] for r in below if not is_missing(r[j], na)]
        if text[j] and column and all(_is_number(c) for c in column):
            return True
    if any(not is_missing(c, na) and _is_number(c) for c in first):
        return False
    return not any(text[j] and any(r[j] == cell for r in below)
                   for j, cell in enumerate(first))


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def _header_names(op: str, name: str, row: Tuple[int, List[str]],
                  first_may_be_empty: bool) -> List[str]:
    line, names = row
    seen = set()
    for j, column in enumerate(names):
        if not column and not (j == 0 and first_may_be_empty):
            raise TinynetError(f"{op}: {name} line {line}: column {j} has an empty name")
        if column in seen:
            raise TinynetError(
                f"{op}: {name} line {line}: column name {column!r} appears twice")
        seen.add(column)
    return names


def _target_column(op: str, name: str, target: Any, names: Optional[List[str]],
                   width: int) -> Optional[int]:
    if target is None:
        return None
    if isinstance(target, str):
        if names is None:
            raise TinynetError(
                f"{op}: {name} has no header row, so target must be a column "
                f"index, got {target!r}")
        if target not in names:
            raise TinynetError(
                f"{op}: {name} has no column {target!r}; columns are {_names(names)}")
        return names.index(target)
    if isinstance(target, bool) or not isinstance(target, int):
        raise TinynetError(
            f"{op}: target must be a column name, an index or None, got {describe(target)}")
    if not -width <= target < width:
        raise TinynetError(
            f"{op}: target index {target} is out of range for {width} columns")
    return target % width


def _feature_columns(op: str, name: str, features: Any, names: List[str],
                     t: Optional[int]) -> List[int]:
    if isinstance(features, (str, bytes)) or not is_sequence(features):
        raise TinynetError(
            f"{op}: features must be a list of column names, got {describe(features)}")
    if not features:
        raise TinynetError(f"{op}: features is empty")
    columns = []
    for feature in features:
        if not isinstance(feature, str):
            raise TinynetError(
                f"{op}: features must be column names, got {describe(feature)}")
        if feature not in names:
            raise TinynetError(
                f"{op}: {name} has no column {feature!r}; columns are {_names(names)}")
        j = names.index(feature)
        if j == t:
            raise TinynetError(
                f"{op}: column {feature!r} is the target; it cannot also be a feature")
        if j in columns:
            raise TinynetError(f"{op}: features lists {feature!r} twice")
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
