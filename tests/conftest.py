"""Shared test set-up: hypothesis profiles and the ``subprocess`` marker.

The default profile is quick, for a developer's loop. ``.ci/run`` sets
TINYNET_HYPOTHESIS_PROFILE=ci for the thorough, derandomized profile, and
``.ci/pyodide_tests.mjs`` sets ``pyodide``: derandomized like ``ci`` but light,
because WebAssembly under Node is several times slower than CPython.

The example database: the ci and pyodide profiles keep none (derandomized
runs need none, and a failure saved under one interpreter must not replay
under the next). The default profile keeps one per interpreter and version,
under .hypothesis/, so a developer's failures replay where they happened.

Tests that start a subprocess are marked ``@pytest.mark.subprocess``. They are
skipped on ``sys.platform == "emscripten"`` (Pyodide), where there are no
processes; what they check runs there in-process where it can (see
tests/test_examples.py).
"""

import os
import platform
import sys

import pytest
from hypothesis import HealthCheck, settings
from hypothesis.database import DirectoryBasedExampleDatabase

_INTERPRETER = "{}-{}.{}".format(platform.python_implementation().lower(),
                                 *sys.version_info[:2])

settings.register_profile(
    "default", max_examples=40, deadline=None,
    database=DirectoryBasedExampleDatabase(os.path.join(".hypothesis", _INTERPRETER)),
)
settings.register_profile(
    "ci",
    max_examples=200,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "pyodide",
    max_examples=20,
    derandomize=True,
    deadline=None,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("TINYNET_HYPOTHESIS_PROFILE", "default"))

NO_PROCESSES = sys.platform == "emscripten"


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "subprocess: starts a subprocess; skipped where there are none (Pyodide)")


def pytest_collection_modifyitems(config, items):
    if not NO_PROCESSES:
        return
    skip = pytest.mark.skip(reason="no subprocesses on emscripten (Pyodide)")
    for item in items:
        if "subprocess" in item.keywords:
            item.add_marker(skip)
