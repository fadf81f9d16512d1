"""Prepare the throughput drill's database and print a signed-in session cookie and the
years of the two plans: the 2017 plan (11 projects) and a synthetic plan of 2,000
projects × 20 progress reports (generated once, kept). Prints ``SESSION SESSION_BEFORE
YEAR_SMALL YEAR_LARGE PROJECT_NUMBER``: a session records the authentication backend that
signed it in, and code from before issue 15 knows only Django's ModelBackend."""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))
sys.argv = sys.argv[:1]

import bench  # noqa: E402  (sets Django up)

bench.prepare_real_plan()
large = bench.synthetic_plan(2000, 20)
client = bench.signed_in_client()
before = bench.signed_in_client(backend="django.contrib.auth.backends.ModelBackend")
session, session_before = client.cookies["sessionid"].value, before.cookies["sessionid"].value
print(session, session_before, bench.REAL_YEAR, large.year, 1)
