"""Shared test set-up: hypothesis profiles.

The default profile is quick, for a developer's loop. ``.ci/run`` sets
TINYNET_HYPOTHESIS_PROFILE=ci for the thorough, derandomized profile.

The example database: the ci profile keeps none (derandomized runs need
none, and a failure saved under one interpreter must not replay under the
next). The default profile keeps one per interpreter and version, under
.hypothesis/, so a developer's failures replay where they happened.
"""

import os
import platform
import sys

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
settings.load_profile(os.environ.get("TINYNET_HYPOTHESIS_PROFILE", "default"))
