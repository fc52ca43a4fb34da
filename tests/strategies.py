"""Hypothesis strategies shared by the tests."""

from hypothesis import strategies as st

finite = st.floats(min_value=-1e3, max_value=1e3, allow_nan=False, allow_infinity=False)
dims = st.integers(min_value=1, max_value=8)


def matrices(rows, cols, elements=finite):
    """A strategy for (rows, cols) lists of lists of floats."""
    return st.lists(st.lists(elements, min_size=cols, max_size=cols),
                    min_size=rows, max_size=rows)


@st.composite
def any_matrix(draw, elements=finite):
    return draw(matrices(draw(dims), draw(dims), elements))
