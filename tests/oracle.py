"""Textbook reference implementations, the oracles for the fast kernels.

These are written the way a first course writes them: explicit index loops,
no tricks. They are slow and obviously right.
"""

import math


def matmul(a, b):
    n, k, m = len(a), len(b), len(b[0])
    out = [[0.0] * m for _ in range(n)]
    for i in range(n):
        for j in range(m):
            total = 0.0
            for p in range(k):
                total += a[i][p] * b[p][j]
            out[i][j] = total
    return out


def transpose(a):
    return [[a[i][j] for i in range(len(a))] for j in range(len(a[0]))]


def elementwise(f, a, b):
    return [[f(a[i][j], b[i][j]) for j in range(len(a[0]))] for i in range(len(a))]


def close(x, y, rel=1e-9, abs_=1e-9):
    return math.isclose(x, y, rel_tol=rel, abs_tol=abs_)


def all_close(a, b, rel=1e-9, abs_=1e-9):
    """True when two matrices (or vectors) have equal shapes and close entries."""
    if isinstance(a, (int, float)):
        return close(a, b, rel, abs_)
    return len(a) == len(b) and all(all_close(x, y, rel, abs_) for x, y in zip(a, b))
