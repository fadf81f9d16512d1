"""Settings overlay for the throughput drill only (not part of the app): the app's settings
with one more URL, ``/_floor/``, a trivial page that only requires a signed-in user."""

from longgang_reform.settings import *  # noqa: F403

ROOT_URLCONF = "urls_floor"
