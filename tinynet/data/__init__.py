"""Data: toy and real data sets, label encoding, splitting, scaling, batching, CSV.

Three rooms, each with one job; every name is re-exported here, so
``from tinynet import data; data.moons(...)`` works as it always has.

=========================  ===================================================
module                     holds
=========================  ===================================================
tinynet.data.datasets      xor, moons, circles, spirals, gaussians, load_iris,
                           load_digits, DATASETS, load_dataset
tinynet.data.preprocess    one_hot, from_one_hot, labels_to_indices,
                           train_test_split, Standardizer, batches
tinynet.data.tables        read_csv: (x, y, feature_names, target_name);
                           read_sheet: the cells of a CSV file as published
tinynet.data.encode        TableEncoder: text, blanks and dates -> numbers
=========================  ===================================================

>>> x, y = xor()
>>> x[1], y[1]
([0.0, 1.0, 1.0], [1.0])
>>> one_hot(["cat", "dog", "cat"])
([[1.0, 0.0], [0.0, 1.0], [1.0, 0.0]], ['cat', 'dog'])
"""

from .datasets import (DATASETS, circles, gaussians, load_dataset, load_digits, load_iris,
                       moons, spirals, xor)
from .preprocess import (Standardizer, batches, from_one_hot, labels_to_indices, one_hot,
                         train_test_split)
from .encode import TableEncoder
from .tables import NA_VALUES, Sheet, na_set, read_csv, read_sheet

__all__ = [
    "xor", "moons", "circles", "spirals", "gaussians", "load_iris", "load_digits",
    "DATASETS", "load_dataset", "one_hot", "from_one_hot", "labels_to_indices",
    "train_test_split", "Standardizer", "batches", "read_csv", "read_sheet", "Sheet",
    "NA_VALUES", "na_set", "TableEncoder",
]
