"""Encoding: rows of cells as people have them (numbers, text, blanks) -> rows of floats.

A TableEncoder learns, from the training rows only, what each column is
and how to turn it into numbers, then applies the same to any later rows:

==========  ===============================  ==================================
kind        what the column holds            what it becomes
==========  ===============================  ==================================
number      finite numbers (and blanks; at   itself; a blank gets the median
            least 95% numbers: other text    (and so does the odd text cell)
            counts as missing)
category    text                             one 0/1 column per category (one-
                                             hot); a blank gets the most
                                             frequent; an unseen category all 0
date        ISO dates, 2024-03-01[ 12:00]    three numbers: year, month and
                                             day of the year; a blank gets the
                                             median date
(left out)  unique text per row (names,      nothing, with a note saying why
            ids), row numbers 1..n, only
            blanks, too many categories
==========  ===============================  ==================================

A cell is missing when it is None, a float NaN, or text in the missing-cell
tokens (tinynet.data.tables.NA_VALUES by default). Everything the encoder
learned goes in to_dict, which a saved model carries, so predict and
evaluate encode new rows exactly as training did.

>>> enc = TableEncoder().fit([[1.0, "red"], [None, "blue"], [3.0, None]], ["size", "colour"])
>>> enc.feature_names
['size', 'colour=blue', 'colour=red']
>>> enc.transform([[2.0, "red"], ["NA", "green"]])
([[2.0, 0.0, 1.0], [2.0, 0.0, 0.0]], {'colour': 1})
"""

from __future__ import annotations

import datetime
import re
import statistics
from collections import Counter
from collections.abc import Mapping
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple

from ..checks import describe, is_sequence
from ..errors import TinynetError
from .tables import NA_VALUES, is_missing, na_set, to_number

__all__ = ["TableEncoder", "label_text", "row_number_columns", "MAX_CATEGORY_SHARE", "MIN_ID_ROWS",
           "MOSTLY_NUMBERS"]

MOSTLY_NUMBERS = 0.95     # this share of numbers makes a number column; other cells: missing
MIN_ID_ROWS = 10          # a column of unique text is an identifier from this many rows
MAX_CATEGORY_SHARE = 0.5  # more distinct texts than this share of the rows: left out
MIN_MANY_CATEGORIES = 20  # ... when there are more than this many
_DATE = re.compile(r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})([ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?)?$")
_DATE_PARTS = ("year", "month", "day_of_year")


def label_text(cell: Any) -> str:
    """Return a cell as the text of a category: numbers as written, 2.0 -> '2'.

    >>> label_text(2.0), label_text(" b "), label_text(True)
    ('2', 'b', 'True')
    """
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


class TableEncoder:
    """Learn how to turn each column of a table into numbers, and do it.

    fit(rows, names) reads rows (n, m) of cells with m column names; after
    it, columns describes the m' columns kept (kind, fill value,
    categories), feature_names the output columns and notes the columns
    left out and why. transform(rows) takes rows with the kept columns, in
    the order of input_names.

    >>> enc = TableEncoder().fit([["2024-01-31"], ["2024-12-31"]], ["day"])
    >>> enc.feature_names, enc.transform([["2024-02-01"]])[0]
    (['day.year', 'day.month', 'day.day_of_year'], [[2024.0, 2.0, 32.0]])

    Raises TinynetError for rows that are not a non-empty list of equal-
    length rows, names of another length, or a table with no usable column.
    """

    def __init__(self, *, na_values: Optional[Iterable[str]] = None):
        self.na_values = list(NA_VALUES if na_values is None else na_values)
        self.na = na_set(self.na_values, "TableEncoder")
        self.columns: List[Dict[str, Any]] = []
        self.notes: List[str] = []

    # --- learning ---------------------------------------------------------------

    def fit(self, rows: Sequence[Sequence[Any]], names: Sequence[str]) -> "TableEncoder":
        """Learn each column's kind and fill value from rows; return self.

        Raises TinynetError for bad rows or names, or no usable column.
        """
        rows = _rows("TableEncoder.fit", rows, len(names))
        self.columns, self.notes = [], []
        for j, name in enumerate(names):
            column = _fit_column(str(name), [row[j] for row in rows], self.na)
            if "left_out" in column:
                self.notes.append(f"column {name!r} left out: {column['left_out']}")
                continue
            if column["kind"] == "date":
                self.notes.append(f"column {name!r} holds dates: turned into its year, month "
                                  f"and day of the year")
            self.columns.append(column)
        if not self.columns:
            raise TinynetError("TableEncoder.fit: no column is usable as a feature ("
                               + "; ".join(self.notes) + ")")
        return self

    # --- applying ---------------------------------------------------------------

    @property
    def input_names(self) -> List[str]:
        """The names of the columns transform takes, in order."""
        return [c["name"] for c in self.columns]

    @property
    def feature_names(self) -> List[str]:
        """The names of the numbers transform returns: name, name=category, name.year."""
        out: List[str] = []
        for c in self.columns:
            if c["kind"] == "number":
                out.append(c["name"])
            elif c["kind"] == "category":
                out += [f"{c['name']}={v}" for v in c["categories"]]
            else:
                out += [f"{c['name']}.{part}" for part in _DATE_PARTS]
        return out

    def transform(self, rows: Sequence[Sequence[Any]], *,
                  lines: Optional[Sequence[int]] = None) -> Tuple[List[List[float]], Dict[str, int]]:
        """Return (x, unseen): the rows as floats (n, len(feature_names)), and
        per column the count of cells unlike those seen in fit: a new
        category (encoded as all zeros), or text in a number column (filled
        in as if missing).

        Missing cells get the fill value learned in fit. lines, the file's
        line number of each row, makes error messages point at the line.

        Raises TinynetError before fit, for rows of another width, or a cell
        that does not fit its column (text in a number column, a bad date).
        """
        if not self.columns:
            raise TinynetError("TableEncoder.transform: not fitted yet; call fit first")
        rows = _rows("TableEncoder.transform", rows, len(self.columns))
        unseen: Dict[str, int] = {}
        x = []
        for i, row in enumerate(rows):
            out: List[float] = []
            for c, cell in zip(self.columns, row):
                where = f"line {lines[i]}" if lines is not None else f"row {i}"
                out += self._encode(c, cell, where, unseen)
            x.append(out)
        return x, unseen

    def _encode(self, c: Dict[str, Any], cell: Any, where: str,
                unseen: Dict[str, int]) -> List[float]:
        missing = is_missing(cell, self.na)
        if c["kind"] == "number":
            value = None if missing else to_number(cell)
            if value is None and c["fill"] is None:
                raise TinynetError(f"{where}, column {c['name']!r}: expected a number, "
                                   f"got {cell!r}")
            if value is None and not missing:  # text in a number column: as if missing
                unseen[c["name"]] = unseen.get(c["name"], 0) + 1
            return [c["fill"] if value is None else value]
        if c["kind"] == "date":
            parts = _date_parts(c["fill"] if missing else cell)
            if parts is None:
                raise TinynetError(f"{where}, column {c['name']!r}: expected a date such "
                                   f"as 2024-03-01, got {cell!r}")
            return parts
        value = c["fill"] if missing else label_text(cell)
        hot = [1.0 if value == v else 0.0 for v in c["categories"]]
        if not any(hot):
            unseen[c["name"]] = unseen.get(c["name"], 0) + 1
        return hot

    # --- saving -----------------------------------------------------------------

    def to_dict(self) -> Dict[str, Any]:
        """Return what fit learned as a JSON-ready dict: na_values and columns."""
        return {"na_values": list(self.na_values), "columns": [dict(c) for c in self.columns]}

    @classmethod
    def from_dict(cls, d: Any) -> "TableEncoder":
        """Return the encoder that to_dict described, after checking it.

        >>> TableEncoder.from_dict({"columns": [{"name": "a", "kind": "colour"}]})
        Traceback (most recent call last):
            ...
        tinynet.errors.TinynetError: TableEncoder.from_dict: column 0 has kind 'colour'; expected number, category or date

        Raises TinynetError for a dict that to_dict could not have written.
        """
        op = "TableEncoder.from_dict"
        if not isinstance(d, Mapping) or not isinstance(d.get("columns"), list) \
                or not d["columns"]:
            raise TinynetError(f"{op}: needs a dict with a non-empty list 'columns', "
                               f"got {describe(d)}")
        na_values = d.get("na_values", list(NA_VALUES))
        if not isinstance(na_values, list):
            raise TinynetError(f"{op}: 'na_values' must be a list, got {describe(na_values)}")
        enc = cls(na_values=na_values)
        enc.columns = [_checked_column(op, j, c) for j, c in enumerate(d["columns"])]
        return enc

    def __repr__(self) -> str:
        kinds = Counter(c["kind"] for c in self.columns)
        return f"TableEncoder({', '.join(f'{n} {k}' for k, n in sorted(kinds.items()))})"


# --- one column ---------------------------------------------------------------------

def _fit_column(name: str, cells: List[Any], na: frozenset) -> Dict[str, Any]:
    """The description of one column from its training cells."""
    present = [c for c in cells if not is_missing(c, na)]
    if not present:
        return {"name": name, "left_out": "every cell is missing"}
    numbers = [to_number(c) for c in present]
    found = [v for v in numbers if v is not None]
    if len(found) >= MOSTLY_NUMBERS * len(present) and len(found) > len(present) / 2:
        if len(found) == len(numbers) and _row_numbers(found):
            return {"name": name, "left_out": "it counts the rows (1, 2, 3, ...)"}
        # a few stray texts ("unknown", ".") in a number column count as missing
        return {"name": name, "kind": "number", "fill": statistics.median(found)}
    if all(isinstance(c, str) and _DATE.match(c.strip()) for c in present):
        days = sorted(_ordinal(c) for c in present)
        if all(d is not None for d in days):
            median = datetime.date.fromordinal(days[(len(days) - 1) // 2])
            return {"name": name, "kind": "date", "fill": median.isoformat()}
    texts = [label_text(c) for c in present]
    counts = Counter(texts)
    if len(counts) == len(texts) >= MIN_ID_ROWS:
        return {"name": name, "left_out": "a different text in every row (an identifier)"}
    if len(counts) > max(MIN_MANY_CATEGORIES, MAX_CATEGORY_SHARE * len(texts)):
        return {"name": name, "left_out": f"{len(counts)} different texts in "
                                          f"{len(texts)} rows, too many to be categories"}
    fill = min(counts, key=lambda v: (-counts[v], v))  # the most frequent; ties: first
    return {"name": name, "kind": "category", "categories": sorted(counts), "fill": fill}


def row_number_columns(rows: Sequence[Sequence[Any]], names: Sequence[str]) -> List[str]:
    """Return the names of the columns that number the rows: 0, 1, 2, ... or
    1, 2, 3, ... in order (an exported index such as pandas' or R's rownames).

    Call it on the rows in file order, before any are dropped or shuffled.

    >>> row_number_columns([[1, "a"], [2, "b"], [3, "a"]] * 1, ["id", "k"])
    []
    >>> row_number_columns([[i + 1, i % 2] for i in range(12)], ["id", "k"])
    ['id']
    """
    rows = _rows("row_number_columns", rows, len(names))
    return [str(name) for j, name in enumerate(names)
            if _row_numbers([to_number(row[j]) for row in rows])]


def _row_numbers(values: List[Optional[float]]) -> bool:
    # 0, 1, 2, ... or 1, 2, 3, ... in file order, as an exported row index
    return len(values) >= MIN_ID_ROWS and values[0] in (0.0, 1.0) and all(
        v is not None and v == values[0] + i for i, v in enumerate(values))


def _ordinal(cell: str) -> Optional[int]:
    m = _DATE.match(cell.strip())
    try:
        return datetime.date(int(m.group(1)), int(m.group(2)), int(m.group(3))).toordinal()
    except (ValueError, AttributeError):
        return None


def _date_parts(cell: Any) -> Optional[List[float]]:
    day = _ordinal(cell) if isinstance(cell, str) else None
    if day is None:
        return None
    d = datetime.date.fromordinal(day)
    return [float(d.year), float(d.month), float(d.timetuple().tm_yday)]


def _rows(op: str, rows: Any, width: int) -> List[List[Any]]:
    if isinstance(rows, (str, bytes)) or not is_sequence(rows) or not len(rows):
        raise TinynetError(f"{op}: rows must be a non-empty list of rows, got {describe(rows)}")
    out = []
    for i, row in enumerate(rows):
        if isinstance(row, (str, bytes)) or not is_sequence(row):
            raise TinynetError(f"{op}: row {i} must be a list of cells, got {describe(row)}")
        row = list(row)
        if len(row) != width:
            raise TinynetError(f"{op}: row {i} has {len(row)} cells, expected {width}")
        out.append(row)
    return out


def _checked_column(op: str, j: int, c: Any) -> Dict[str, Any]:
    if not isinstance(c, Mapping) or not isinstance(c.get("name"), str):
        raise TinynetError(f"{op}: column {j} must be a dict with a 'name', got {describe(c)}")
    kind = c.get("kind")
    if kind not in ("number", "category", "date"):
        raise TinynetError(f"{op}: column {j} has kind {kind!r}; expected number, "
                           f"category or date")
    fill = c.get("fill")
    if kind == "number" and to_number(fill) is None:
        raise TinynetError(f"{op}: column {j} needs a finite number 'fill', got {fill!r}")
    if kind == "date" and _date_parts(fill) is None:
        raise TinynetError(f"{op}: column {j} needs a date 'fill', got {fill!r}")
    if kind == "category":
        cats = c.get("categories")
        if not isinstance(cats, list) or not cats or not all(isinstance(v, str) for v in cats) \
                or fill not in cats:
            raise TinynetError(f"{op}: column {j} needs 'categories', a list of strings "
                               f"holding its 'fill', got {describe(cats)}")
        return {"name": c["name"], "kind": kind, "categories": list(cats), "fill": fill}
    return {"name": c["name"], "kind": kind, "fill": float(fill) if kind == "number" else fill}
