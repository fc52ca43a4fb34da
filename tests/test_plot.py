"""tinynet.plot: the terminal chart's layout, and the SVG plots read back as XML."""

import io
import math
import os
import sys
import xml.etree.ElementTree as ET

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tinynet import ShapeError, TinynetError
from tinynet.plot import (PALETTE, ConfusionMatrixPlot, DecisionBoundaryPlot, LossPlot,
                          save_svg, terminal_chart)
from tests.strategies import finite

NS = "{http://www.w3.org/2000/svg}"
BRAILLE = range(0x2800, 0x2900)


# --- terminal chart ----------------------------------------------------------

def plot_area(chart, title=False):
    """The plot's rows (right of the y axis) and the y-axis labels."""
    lines = chart.splitlines()
    axis = len(lines[-2]) - len(lines[-2].lstrip())  # the corner of the axes
    rows = lines[1 if title else 0:-2]
    return [line[axis + 1:] for line in rows], [line[:axis].strip() for line in rows]


def is_marked(ch):
    return ch != " "


@settings(max_examples=30)
@given(values=st.lists(finite, min_size=1, max_size=300), width=st.integers(40, 100),
       height=st.integers(5, 30), ascii=st.booleans(), title=st.none() | st.text(max_size=80))
def test_chart_has_the_requested_size(values, width, height, ascii, title):
    chart = terminal_chart(values, width=width, height=height, ascii=ascii, title=title)
    lines = chart.split("\n")
    assert len(lines) == height
    assert all(len(line) == width for line in lines)


@settings(max_examples=30)
@given(values=st.lists(finite, min_size=2, max_size=300), width=st.integers(40, 100),
       height=st.integers(5, 30))
def test_chart_line_is_connected(values, width, height):
    # A line through the points leaves no column of the plot empty.
    rows, _ = plot_area(terminal_chart(values, width=width, height=height, ascii=True))
    for c in range(len(rows[0])):
        assert any(row[c] == "*" for row in rows), c


@pytest.mark.parametrize("n", [10, 1500])
def test_decreasing_series_runs_from_top_left_to_bottom_right_ascii(n):
    values = [math.exp(-i / (n / 4)) for i in range(n)]
    rows, _ = plot_area(terminal_chart(values, width=50, height=12, ascii=True))
    assert rows[0][0] == "*" and rows[-1][-1] == "*"
    assert rows[0][-1] == " " and rows[-1][0] == " "


@pytest.mark.parametrize("n", [10, 1500])
def test_decreasing_series_runs_from_top_left_to_bottom_right_unicode(n):
    values = [math.exp(-i / (n / 4)) for i in range(n)]
    rows, _ = plot_area(terminal_chart(values, width=50, height=12, ascii=False))
    top_left, bottom_right = ord(rows[0][0]), ord(rows[-1][-1])
    assert top_left in BRAILLE and (top_left - 0x2800) & 0x01  # dot 1: top left
    assert bottom_right in BRAILLE and (bottom_right - 0x2800) & 0x80  # dot 8: bottom right
    assert rows[0][-1] == " " and rows[-1][0] == " "


def test_chart_labels_show_max_min_and_the_index_range():
    values = [8.0, 4.0, 2.0, 1.0, 0.5, 0.25]
    chart = terminal_chart(values, width=40, height=10, ascii=True)
    _, labels = plot_area(chart)
    assert labels[0] == "8" and labels[-1] == "0.25"
    middle = [label for label in labels[1:-1] if label]
    assert len(middle) == 1 and 0.25 < float(middle[0]) < 8
    assert chart.splitlines()[-1].split() == ["0", "5"]


def test_chart_unicode_uses_box_drawing_and_braille():
    chart = terminal_chart([3.0, 1.0, 2.0], width=30, height=8, ascii=False)
    assert "\u2502" in chart and "\u2514" in chart
    assert any(ord(ch) in BRAILLE for ch in chart)


def test_chart_ascii_is_plain_ascii():
    chart = terminal_chart([3.0, 1.0, 2.0], width=30, height=8, ascii=True, title="loss")
    chart.encode("ascii")
    assert chart.splitlines()[0].strip() == "loss"
    assert {"*", "|", "-", "+"} <= set(chart)


def test_log_scale_spaces_decades_evenly():
    # 1000, 100, 10, 1 are a straight line on a log scale: one row each when
    # there are 4 rows. On a linear scale 100, 10 and 1 all sit near the bottom.
    values = [1000.0, 100.0, 10.0, 1.0]
    log_rows, labels = plot_area(terminal_chart(values, width=33, height=6, ascii=True, log=True))
    lin_rows, _ = plot_area(terminal_chart(values, width=33, height=6, ascii=True))
    cols = len(log_rows[0])
    x = [round(i * (cols - 1) / 3) for i in range(4)]
    assert len(log_rows) == 4 and labels[0] == "1000" and labels[-1] == "1"
    for i in range(4):
        assert log_rows[i][x[i]] == "*"
    assert log_rows[3][x[1]] == " " and lin_rows[3][x[1]] == "*"


@pytest.mark.parametrize("values", [[2.5], [2.5, 2.5, 2.5]])
@pytest.mark.parametrize("ascii", [True, False])
def test_chart_of_a_constant_or_single_value(values, ascii):
    chart = terminal_chart(values, width=30, height=7, ascii=ascii)
    lines = chart.splitlines()
    assert len(lines) == 7 and all(len(line) == 30 for line in lines)
    rows, labels = plot_area(chart)
    marked = [i for i, row in enumerate(rows) if any(map(is_marked, row))]
    assert len(marked) == 1 and labels[marked[0]] == "2.5"


def test_chart_picks_unicode_from_the_stdout_encoding(monkeypatch):
    monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(io.BytesIO(), encoding="ascii"))
    terminal_chart([1.0, 2.0]).encode("ascii")
    monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(io.BytesIO(), encoding="utf-8"))
    assert "\u2502" in terminal_chart([1.0, 2.0])
    monkeypatch.setattr(sys, "stdout", None)
    terminal_chart([1.0, 2.0]).encode("ascii")


def test_chart_does_not_change_its_input():
    values = [3.0, 1.0, 2.0]
    terminal_chart(values, ascii=True)
    assert values == [3.0, 1.0, 2.0]


@pytest.mark.parametrize("values, kwargs", [
    ([], {}), ([1.0, math.nan], {}), ([1.0, math.inf], {}), ("123", {}), (None, {}),
    ([1.0, "a"], {}), ([1.0, 0.0], {"log": True}), ([1.0, -2.0], {"log": True}),
    ([1.0, 2.0], {"width": 5}), ([1.0, 2.0], {"height": 3}), ([1.0, 2.0], {"width": 0}),
    ([1.0, 2.0], {"height": 4.5}), ([1.0, 2.0], {"height": 4, "title": "t"}),
])
def test_chart_rejects_bad_input(values, kwargs):
    with pytest.raises(TinynetError, match="terminal_chart"):
        terminal_chart(values, **kwargs)


# --- SVG helpers ---------------------------------------------------------------

def parse(plot):
    """The SVG parsed as XML, after the checks every document must pass."""
    root = ET.fromstring(plot.svg)
    assert root.tag == NS + "svg"
    w, h = float(root.get("width")), float(root.get("height"))
    assert root.get("viewBox").split() == ["0", "0", root.get("width"), root.get("height")]
    assert w > 0 and h > 0
    return root


def find(root, tag, cls=None):
    """Elements with this tag and all the classes in cls ("tick-label x")."""
    wanted = set((cls or "").split())
    return [e for e in root.iter(NS + tag) if wanted <= set((e.get("class") or "").split())]


def texts(root, cls=None):
    return [e.text for e in find(root, "text", cls)]


def path_points(path):
    """[(x, y), ...] of a path written as M x,y L x,y ..."""
    d = path.get("d")
    assert d[0] == "M"
    return [tuple(map(float, p.split(","))) for p in d[1:].split("L")]


def train_points(plot):
    return path_points(find(parse(plot), "path", "series train")[0])


def is_nice_step(step):
    # 1, 2 or 5 times a power of ten
    mantissa = step / 10 ** math.floor(math.log10(step) + 1e-9)
    return any(math.isclose(mantissa, m, rel_tol=1e-6) for m in (1, 2, 5))


# --- LossPlot --------------------------------------------------------------------

LOSS = [1.0 / (1 + i) for i in range(30)]
VAL = [1.2 / (1 + i) + 0.05 for i in range(30)]


def test_loss_plot_has_axes_labels_and_one_path():
    root = parse(LossPlot(LOSS))
    assert len(find(root, "line", "axis")) == 2
    assert "epoch" in texts(root, "axis-label") and "loss" in texts(root, "axis-label")
    assert "Loss" in texts(root, "title")
    series = find(root, "path", "series")
    assert [p.get("class") for p in series] == ["series train"]
    assert not find(root, "rect", "legend")


def test_loss_path_follows_the_data():
    points = train_points(LossPlot(LOSS))
    assert len(points) == len(LOSS)
    xs, ys = zip(*points)
    assert all(a < b for a, b in zip(xs, xs[1:]))
    assert all(a < b for a, b in zip(ys, ys[1:]))  # loss falls, SVG y grows downwards


def test_loss_plot_with_validation_has_two_paths_and_a_legend():
    root = parse(LossPlot(LOSS, VAL))
    classes = [p.get("class") for p in find(root, "path", "series")]
    assert classes == ["series train", "series validation"]
    assert texts(root, "legend-label") == ["train", "validation"]
    strokes = {p.get("stroke") for p in find(root, "path", "series")}
    assert len(strokes) == 2 and strokes <= set(PALETTE)


def test_loss_ticks_are_nice_and_in_order():
    root = parse(LossPlot(LOSS))
    for axis, sign in (("x", 1), ("y", -1)):
        labels = find(root, "text", "tick-label " + axis)
        ticks = [(float(t.text), float(t.get(axis))) for t in labels]
        assert len(ticks) >= 3
        values = [v for v, _ in ticks]
        steps = {round(b - a, 9) for a, b in zip(values, values[1:])}
        assert len(steps) == 1 and is_nice_step(steps.pop())
        pixels = [p for _, p in ticks]
        assert all(sign * (b - a) > 0 for a, b in zip(pixels, pixels[1:]))


def test_log_loss_plot_spaces_decades_evenly():
    loss = [1.0, 0.1, 0.01, 0.001]
    log_y = [y for _, y in train_points(LossPlot(loss, log=True))]
    lin_y = [y for _, y in train_points(LossPlot(loss))]
    gaps = [b - a for a, b in zip(log_y, log_y[1:])]
    assert max(gaps) - min(gaps) < 0.05  # coordinates have 2 decimals
    lin_gaps = [b - a for a, b in zip(lin_y, lin_y[1:])]
    assert lin_gaps[0] > 5 * lin_gaps[1]


def test_loss_plot_of_one_epoch_is_drawn():
    points = train_points(LossPlot([0.5]))
    assert len(points) == 2 and points[0] != points[1]


def test_loss_plot_escapes_text():
    title, xlabel = 'a <b> & "c"', "x<y"
    root = parse(LossPlot(LOSS, title=title, xlabel=xlabel))
    assert title in texts(root, "title") and xlabel in texts(root, "axis-label")


@pytest.mark.parametrize("args, kwargs, error", [
    (([],), {}, TinynetError), (([1.0, math.nan],), {}, TinynetError),
    (([1.0, 0.5], [1.0]), {}, ShapeError), (([1.0, 0.0],), {"log": True}, TinynetError),
    ((None,), {}, TinynetError),
])
def test_loss_plot_rejects_bad_input(args, kwargs, error):
    with pytest.raises(error, match="LossPlot"):
        LossPlot(*args, **kwargs)


# --- DecisionBoundaryPlot ------------------------------------------------------------

X = [[-2.0, -1.0], [-1.5, 1.0], [-1.0, 0.5], [1.0, -0.5], [1.5, 1.5], [2.0, 0.0]]
LABELS = [0, 0, 0, 1, 1, 1]


class SignOfX1:
    """A classifier, class 1 where x1 > 0, that records how it is called."""

    def __init__(self):
        self.calls = []

    def __call__(self, rows):
        self.calls.append([list(r) for r in rows])
        return [int(a > 0) for a, _ in rows]


def test_decision_boundary_calls_predict_once_on_a_grid_wider_than_the_data():
    predict = SignOfX1()
    DecisionBoundaryPlot(predict, X, LABELS, resolution=20)
    assert len(predict.calls) == 1
    grid = predict.calls[0]
    assert len(grid) == 400 and all(len(row) == 2 for row in grid)
    for j in range(2):
        data = [row[j] for row in X]
        assert min(r[j] for r in grid) < min(data) and max(r[j] for r in grid) > max(data)
        assert len({r[j] for r in grid}) == 20


def test_decision_boundary_regions_and_points():
    resolution = 24
    root = parse(DecisionBoundaryPlot(SignOfX1(), X, LABELS, resolution=resolution))
    regions = find(root, "rect", "region")
    # Each grid row is one run of class 0 then one of class 1: 2 rects a row.
    assert len(regions) == 2 * resolution
    rows = {}
    for r in regions:
        rows.setdefault(float(r.get("y")), []).append(r)
    assert len(rows) == resolution
    widths = {round(sum(float(r.get("width")) for r in row), 1) for row in rows.values()}
    assert len(widths) == 1
    # The colour change sits within one cell of the x tick labelled 0.
    zero = next(float(t.get("x")) for t in find(root, "text", "tick-label x")
                if float(t.text) == 0)
    cell = widths.pop() / resolution
    for row in rows.values():
        left = min(row, key=lambda r: float(r.get("x")))
        assert abs(float(left.get("x")) + float(left.get("width")) - zero) <= cell
    assert len({r.get("fill") for r in regions}) == 2
    circles = find(root, "circle", "point")
    assert [c.get("fill") for c in circles] == [PALETTE[k] for k in LABELS]
    assert len(find(root, "line", "axis")) == 2
    assert {"x1", "x2"} <= set(texts(root, "axis-label"))


def test_decision_boundary_merges_runs_of_one_class():
    root = parse(DecisionBoundaryPlot(lambda rows: [0] * len(rows), X, LABELS, resolution=15))
    assert len(find(root, "rect", "region")) == 15


def test_decision_boundary_legend_escapes_class_names():
    names = ["<left>", "a & b"]
    root = parse(DecisionBoundaryPlot(SignOfX1(), X, LABELS, resolution=5, classes=names))
    assert texts(root, "legend-label") == names


@pytest.mark.parametrize("make, error", [
    (lambda: DecisionBoundaryPlot(SignOfX1(), [[1.0, 2.0, 3.0]], [0]), ShapeError),
    (lambda: DecisionBoundaryPlot(SignOfX1(), X, LABELS[:-1]), ShapeError),
    (lambda: DecisionBoundaryPlot(SignOfX1(), X, ["a"] * 6), TinynetError),
    (lambda: DecisionBoundaryPlot(SignOfX1(), X, [-1] * 6), TinynetError),
    (lambda: DecisionBoundaryPlot("not callable", X, LABELS), TinynetError),
    (lambda: DecisionBoundaryPlot(lambda rows: [0], X, LABELS), ShapeError),
    (lambda: DecisionBoundaryPlot(lambda rows: [0.5] * len(rows), X, LABELS), TinynetError),
    (lambda: DecisionBoundaryPlot(SignOfX1(), X, LABELS, classes=["one"]), TinynetError),
    (lambda: DecisionBoundaryPlot(SignOfX1(), X, LABELS, resolution=1), TinynetError),
    (lambda: DecisionBoundaryPlot(SignOfX1(), [[1.0, math.inf]], [0]), TinynetError),
])
def test_decision_boundary_rejects_bad_input(make, error):
    with pytest.raises(error, match="DecisionBoundaryPlot"):
        make()


def test_decision_boundary_accepts_float_labels_and_one_point():
    root = parse(DecisionBoundaryPlot(lambda rows: [1] * len(rows), [[0.0, 0.0]], [1.0],
                                      resolution=4))
    assert len(find(root, "circle", "point")) == 1


# --- ConfusionMatrixPlot -----------------------------------------------------------------

CM = [[50, 2, 0], [3, 45, 2], [0, 4, 46]]


def test_confusion_matrix_writes_every_count_and_both_axes():
    names = ["setosa", "versicolor", "virginica"]
    root = parse(ConfusionMatrixPlot(CM, names))
    assert texts(root, "count") == [str(v) for row in CM for v in row]
    assert len(find(root, "rect", "cell")) == 9
    assert texts(root, "tick-label x") == names and texts(root, "tick-label y") == names
    assert set(texts(root, "axis-label")) == {"true", "predicted"}
    cells = find(root, "rect", "cell")
    fills = {(float(c.get("x")), float(c.get("y"))): c.get("fill") for c in cells}
    assert fills[min(fills)] != "#FFFFFF"  # 50, the largest count, is coloured
    assert list(fills.values()).count("#FFFFFF") == 2  # the two zeros are white
    assert find(root, "rect", "colour-bar")


def test_confusion_matrix_normalized_rows():
    root = parse(ConfusionMatrixPlot(CM, ["a", "b", "c"], normalize=True))
    expected = [f"{v / sum(row):.2f}" for row in CM for v in row]
    assert texts(root, "count") == expected


def test_confusion_matrix_escapes_class_names():
    names = ["<cat>", "a & b", '"dog"', "\x00odd\ud800"]
    root = parse(ConfusionMatrixPlot([[1] * 4] * 4, names))
    assert texts(root, "tick-label x")[:3] == names[:3]
    assert texts(root, "tick-label y")[:3] == names[:3]


@settings(max_examples=25)
@given(st.lists(st.text(max_size=12), min_size=1, max_size=4))
def test_any_class_names_give_well_formed_xml(names):
    k = len(names)
    parse(ConfusionMatrixPlot([[1] * k] * k, names))


@pytest.mark.parametrize("matrix, classes, error", [
    ([[1, 2, 3], [4, 5, 6]], ["a", "b"], ShapeError),
    ([[1, 2], [3, 4]], ["a"], ShapeError),
    ([[1, -2], [3, 4]], ["a", "b"], TinynetError),
    ([[1, math.nan], [3, 4]], ["a", "b"], TinynetError),
    ([[1, 2], [3, 4]], "ab", TinynetError),
])
def test_confusion_matrix_rejects_bad_input(matrix, classes, error):
    with pytest.raises(error, match="ConfusionMatrixPlot"):
        ConfusionMatrixPlot(matrix, classes)


# --- saving and display ------------------------------------------------------------------

PLOTS = [
    lambda: LossPlot(LOSS, VAL),
    lambda: DecisionBoundaryPlot(SignOfX1(), X, LABELS, resolution=8, classes=["a", "b"]),
    lambda: ConfusionMatrixPlot(CM, ["a", "b", "c"]),
]


@pytest.mark.parametrize("make", PLOTS)
def test_svg_views_agree_and_repr_names_the_class(make):
    plot = make()
    assert plot.svg == plot.to_svg() == plot._repr_svg_()
    assert repr(plot).startswith(type(plot).__name__ + "(")


@pytest.mark.parametrize("make", PLOTS)
def test_save_writes_the_document_and_overwrites(make, tmp_path):
    plot = make()
    path = tmp_path / "plot.svg"
    path.write_text("old")
    plot.save(path)
    assert path.read_text(encoding="utf-8") == plot.svg
    ET.parse(str(path))
    save_svg(plot, str(path))
    assert path.read_text(encoding="utf-8") == plot.svg
    assert os.listdir(str(tmp_path)) == ["plot.svg"]


def test_save_into_a_missing_folder_fails_and_leaves_nothing(tmp_path):
    path = tmp_path / "missing" / "plot.svg"
    with pytest.raises(TinynetError, match="missing"):
        LossPlot(LOSS).save(path)
    assert os.listdir(str(tmp_path)) == []


def test_failed_replace_keeps_the_old_file_and_no_temporary(tmp_path, monkeypatch):
    path = tmp_path / "plot.svg"
    path.write_text("old")

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(TinynetError, match="plot.svg"):
        LossPlot(LOSS).save(path)
    assert path.read_text() == "old"
    assert os.listdir(str(tmp_path)) == ["plot.svg"]


def test_save_svg_needs_a_plot(tmp_path):
    with pytest.raises(TinynetError, match="save_svg"):
        save_svg("<svg/>", tmp_path / "x.svg")
