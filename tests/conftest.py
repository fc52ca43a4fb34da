"""Shared test set-up: hypothesis profiles.

The default profile is quick, for a developer's loop. ``.ci/run`` sets
TINYNET_HYPOTHESIS_PROFILE=ci for the thorough, derandomized profile.
"""

import os

from hypothesis import HealthCheck, settings

settings.register_profile("default", max_examples=40, deadline=None)
settings.register_profile(
    "ci",
    max_examples=200,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("TINYNET_HYPOTHESIS_PROFILE", "default"))
