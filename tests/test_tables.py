"""Reading tables as published (tinynet.data.tables.read_sheet) and encoding them
(tinynet.data.encode.TableEncoder), on messy files written here."""

import statistics

import pytest

from tinynet import TinynetError
from tinynet.data import NA_VALUES, TableEncoder, read_csv, read_sheet
from tinynet.data.tables import is_missing, sniff_delimiter
from tests.messy import PENGUIN_COLUMNS, penguin_rows, write_table


def write(tmp_path, text, name="t.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return str(path)


# --- delimiters, quotes, BOM, CRLF -----------------------------------------------------

@pytest.mark.parametrize("style, delimiter", [
    ("plain", ","), ("semicolon", ";"), ("tab", "\t"), ("crlf-bom", ","), ("r", ","),
    ("pandas", ","),
])
def test_every_style_of_file_reads_to_the_same_cells(tmp_path, style, delimiter):
    rows = penguin_rows(n=30, seed=3)
    sheet = read_sheet(write_table(tmp_path / f"{style}.csv", PENGUIN_COLUMNS, rows,
                                   style=style))
    assert sheet.delimiter == delimiter and sheet.header
    assert sheet.names == PENGUIN_COLUMNS
    # numbers agree whatever the decimal mark; missing cells are missing in every style
    for got, want in zip(sheet.rows, rows):
        assert [is_missing(c) for c in got] == [c == "NA" for c in want]
        assert [float(g) for g, w in zip(got, want) if w != "NA" and w[0].isdigit()] == \
               [float(w) for w in want if w != "NA" and w[0].isdigit()]
    said = " ".join(sheet.notes)
    assert ("semicolons" in said) == (style == "semicolon")
    assert ("row names" in said) == (style in ("r", "pandas"))


def test_the_index_column_is_kept_aside_not_lost(tmp_path):
    rows = penguin_rows(n=12, seed=4)
    sheet = read_sheet(write_table(tmp_path / "r.csv", PENGUIN_COLUMNS, rows, style="r"))
    assert sheet.index == ("", [str(i + 1) for i in range(12)])
    sheet = read_sheet(write_table(tmp_path / "p.csv", PENGUIN_COLUMNS, rows, style="pandas"))
    assert sheet.index == ("", [str(i) for i in range(12)])


def test_quoted_delimiters_and_a_given_delimiter(tmp_path):
    path = write(tmp_path, 'name|note\n"a|b"|"x, y"\nc|"z; w"\n')
    sheet = read_sheet(path)
    assert sheet.delimiter == "|" and sheet.rows == [["a|b", "x, y"], ["c", "z; w"]]
    # told otherwise, a file is read so
    other = write(tmp_path, "name|note\na|x\nc|z\n", "other.csv")
    assert read_sheet(other, delimiter=",").names == ["name|note"]
    with pytest.raises(TinynetError, match="delimiter must be one character"):
        read_sheet(path, delimiter=";;")


def test_sniffing_prefers_the_delimiter_that_splits_lines_alike():
    assert sniff_delimiter("a,b;c\n1,2;3\n4,5;6\n") == ","   # both split; comma first
    assert sniff_delimiter("a;b\n1,5;2\n3,25;4,5\n") == ";"  # decimal commas vary
    assert sniff_delimiter("x\n1\n") == ","                  # one column


# --- headers ----------------------------------------------------------------------------

@pytest.mark.parametrize("text, header", [
    ("name,colour\nann,red\nbob,blue\ncid,red\n", True),     # all text: names do not repeat
    ("red,small\nblue,big\nred,big\n", False),               # 'red' comes back: data
    ("1,2\n3,4\n", False),
    ("a,b\n1,2\n", True),
    ("5.1,setosa\n6.2,virginica\n", False),                  # a text label column alone
    ("city,temp\nOslo,NA\nRome,20\n", True),                  # NA is no reason against
    ("first;second\nx;y\nz;w\n", True),                      # semicolons, all text
])
def test_the_header_is_detected_in_text_and_number_files(tmp_path, text, header):
    sheet = read_sheet(write(tmp_path, text))
    assert sheet.header is header
    assert ("no header row" in " ".join(sheet.notes)) is not header


def test_missing_cells_follow_the_documented_list_or_the_callers(tmp_path):
    tokens = [t for t in NA_VALUES if t]
    path = write(tmp_path, "a,b\n" + "".join(f"{t.lower()},1\n" for t in tokens) + "0,-\n")
    sheet = read_sheet(path)
    assert all(is_missing(row[0], sheet.na) for row in sheet.rows[:-1])
    assert is_missing(sheet.rows[-1][1], sheet.na) and not is_missing("0", sheet.na)
    own = read_sheet(path, na_values=["missing"])
    assert not is_missing("NA", own.na) and is_missing("MISSING", own.na)
    assert is_missing("", own.na)  # an empty cell always is
    with pytest.raises(TinynetError, match="na_values must be a list of strings"):
        read_sheet(path, na_values="NA")


def test_a_trailing_delimiter_is_not_a_column(tmp_path):
    sheet = read_sheet(write(tmp_path, "a,b,\n1,2,\n3,4\n"))
    assert sheet.names == ["a", "b"] and sheet.rows == [["1", "2"], ["3", "4"]]


def test_read_csv_reads_an_r_file_of_numbers_without_the_index(tmp_path):
    path = write(tmp_path, '"","x","y"\n"1",0.5,1\n"2",1.5,0\n')
    assert read_csv(path) == ([[0.5], [1.5]], [1.0, 0.0], ["x"], "y")


# --- the encoder ------------------------------------------------------------------------

def penguin_table(n=60, seed=5):
    rows = penguin_rows(n=n, seed=seed)
    return [r[1:] for r in rows], PENGUIN_COLUMNS[1:]


def test_numbers_get_the_training_median_and_text_the_most_frequent():
    rows, names = penguin_table()
    enc = TableEncoder().fit(rows, names)
    by_name = {c["name"]: c for c in enc.columns}
    for j, name in enumerate(names[1:5], start=1):
        present = [float(r[j]) for r in rows if r[j] != "NA"]
        assert by_name[name]["kind"] == "number"
        assert by_name[name]["fill"] == statistics.median(present)
    sexes = [r[5] for r in rows if r[5] != "NA"]
    assert by_name["sex"]["fill"] == max(sorted(set(sexes)), key=sexes.count)
    assert by_name["island"]["categories"] == sorted({r[0] for r in rows})
    x, unseen = enc.transform(rows)
    assert unseen == {} and len(x[0]) == len(enc.feature_names)
    # every row has exactly one 1 among each category column's entries
    islands = [k for k, f in enumerate(enc.feature_names) if f.startswith("island=")]
    assert all(sum(row[k] for k in islands) == 1.0 for row in x)
    missing = rows.index(next(r for r in rows if r[1] == "NA"))
    assert x[missing][names.index("bill_length_mm") - 1 + len(islands)] == \
        by_name["bill_length_mm"]["fill"]


def test_an_unseen_category_is_all_zeros_and_counted():
    enc = TableEncoder().fit([["a"], ["b"], ["a"]], ["k"])
    x, unseen = enc.transform([["a"], ["c"], ["c"], [None]])
    assert x == [[1.0, 0.0], [0.0, 0.0], [0.0, 0.0], [1.0, 0.0]]
    assert unseen == {"k": 2}


def test_identifiers_row_numbers_and_empty_columns_are_left_out_with_a_note():
    n = 30
    rows = [[f"name {i}", i + 1, None, i % 3, "2024-01-%02d" % (i % 28 + 1)] for i in range(n)]
    enc = TableEncoder().fit(rows, ["name", "id", "empty", "k", "day"])
    assert enc.input_names == ["k", "day"]
    assert enc.feature_names == ["k", "day.year", "day.month", "day.day_of_year"]
    said = " ".join(enc.notes)
    assert "'name' left out: a different text in every row" in said
    assert "'id' left out: it counts the rows" in said
    assert "'empty' left out: every cell is missing" in said
    with pytest.raises(TinynetError, match="no column is usable"):
        TableEncoder().fit([[None], [None]], ["e"])


def test_a_few_stray_texts_in_a_number_column_count_as_missing():
    rows = [[float(i)] for i in range(40)] + [["unknown"]]
    enc = TableEncoder().fit(rows, ["v"])
    assert enc.columns[0]["kind"] == "number"
    x, unseen = enc.transform([["oops"], [2.0]])
    assert x == [[enc.columns[0]["fill"]], [2.0]] and unseen == {"v": 1}
    assert TableEncoder().fit([[1.0], ["a"], ["b"]], ["v"]).columns[0]["kind"] == "category"


def test_the_encoder_round_trips_through_its_dict_and_checks_it():
    rows, names = penguin_table()
    enc = TableEncoder(na_values=["NA", "?"]).fit(rows, names)
    again = TableEncoder.from_dict(enc.to_dict())
    assert again.transform(rows) == enc.transform(rows) and again.na_values == ["NA", "?"]
    bad = enc.to_dict()
    bad["columns"][0]["fill"] = "Atlantis"
    with pytest.raises(TinynetError, match="holding its 'fill'"):
        TableEncoder.from_dict(bad)
    with pytest.raises(TinynetError, match="non-empty list 'columns'"):
        TableEncoder.from_dict({"columns": []})


def test_thousands_separators_and_decimal_commas_are_numbers(tmp_path):
    sheet = read_sheet(write(tmp_path, 'a,b\n"1,234.5",x\n"12,000",y\n"1,2",z\n'))
    assert [row[0] for row in sheet.rows] == ["1234.5", "12000", "1,2"]  # 1,2 is no number
    sheet = read_sheet(write(tmp_path, "a;b\n1,5;x\n-0,25;y\n", "s.csv"))
    assert [row[0] for row in sheet.rows] == ["1.5", "-0.25"]
