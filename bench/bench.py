"""Server-side timings and query counts of the main pages, on the real and a large plan.

    DEBUG=false HTTPS=false SECRET_KEY=x ALLOWED_HOSTS=testserver,127.0.0.1,localhost \\
    STATICFILES_BACKEND=django.contrib.staticfiles.storage.StaticFilesStorage \\
    .venv/bin/python bench/bench.py [--projects 2000] [--updates 20] [--repeat 30]

Runs against the database of DATABASE_URL (default: the SQLite file in the repo). It
migrates, loads the 2017 plan if missing and, unless a synthetic plan of that size exists,
generates one with ``generate_portfolio`` (kept for later runs; remove it with
``manage.py generate_portfolio --clear``). Each page is requested in-process with Django's
test client, signed in as a member of 改革办: a few warm-up requests, then ``--repeat``
timed ones, then one more to count its SQL queries. Times exclude the network and the
browser; they include the view, the templates and reading a streamed body.

The dashboard, the list and the project page are cached under the data stamp
(``projects.freshness``), so each is measured twice: read again with no write in between
(most requests), and "after a write": the stamp moved before each request, so nothing
cached is found and the page is drawn in full, as the first request after any write is.
"""

import argparse
import gzip
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "longgang_reform.settings")
os.environ.setdefault("HTTPS", "false")  # the test client speaks plain HTTP

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import Group  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402

from projects import freshness, roles  # noqa: E402
from projects.models import ProgressUpdate, ReformPlan  # noqa: E402
from units.models import User  # noqa: E402

REAL_YEAR = 2017
WARM_UP = 3
SEED = 2017  # the same synthetic plan on every database

# page label → (URL name, reverse() args given the year, whether to add ?year=)
PAGES = {
    "dashboard": ("home", lambda year: [], True),
    "list": ("project_list", lambda year: [], True),
    "export xlsx": ("project_export", lambda year: ["xlsx"], True),
    "export csv": ("project_export", lambda year: ["csv"], True),
    "project page": ("project_detail", lambda year: [year, 1], False),
}
CACHED = {"dashboard", "list", "project page"}  # pages cached whole under the data stamp


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--projects", type=int, default=2000, help="synthetic plan size")
    parser.add_argument("--updates", type=int, default=20, help="progress updates per project")
    parser.add_argument("--repeat", type=int, default=30, help="timed requests per page")
    args = parser.parse_args()
    if args.repeat < 2:
        parser.error("--repeat must be at least 2 to give percentiles")
    return args


def prepare_real_plan():
    call_command("migrate", verbosity=0)
    if not ReformPlan.objects.filter(year=REAL_YEAR).exists():
        call_command("loaddata", "plan_2017", verbosity=0)


def synthetic_plan(projects, updates):
    """A synthetic plan of exactly this size, generated if none exists yet."""
    plan = find_synthetic_plan(projects, updates)
    if plan is None:
        print(f"generating a synthetic plan of {projects} projects × {updates} updates…")
        call_command(
            "generate_portfolio",
            plans=1,
            projects=projects,
            updates_per_project=updates,
            seed=SEED,
        )
        plan = find_synthetic_plan(projects, updates)
    return plan


def find_synthetic_plan(projects, updates):
    sized = ReformPlan.objects.filter(synthetic=True).annotate(size=Count("projects"))
    for plan in sized.filter(size=projects).order_by("-year"):
        if ProgressUpdate.objects.filter(project__plan=plan).count() == projects * updates:
            return plan
    return None


def signed_in_client(backend=None):
    user, _ = User.objects.get_or_create(username="bench", defaults={"last_name": "压测"})
    user.groups.add(Group.objects.get(name=roles.REFORM_OFFICE))
    client = Client()
    client.force_login(user, backend=backend)
    return client


def page_url(label, year):
    """The page's URL for the plan of ``year``, or None if the URL name does not exist."""
    name, args, with_year = PAGES[label]
    try:
        url = reverse(name, args=args(year))
    except NoReverseMatch:
        return None
    return f"{url}?year={year}" if with_year else url


def fetch(client, url):
    """One request, the body read in full (streamed or not); the response and its body."""
    response = client.get(url)
    if response.streaming:
        body = b"".join(response.streaming_content)
    else:
        body = response.content
    response.close()
    return response, body


def count_queries(client, url, before_each):
    """SQL queries of one request: the log is reset when a request starts, so read it now."""
    before_each()
    with CaptureQueriesContext(connection):
        fetch(client, url)
        return len(connection.queries)


def nothing():
    pass


def measure(client, url, repeat, before_each=nothing):
    for _ in range(WARM_UP):
        response, _body = fetch(client, url)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}: fix the set-up first")
    times = []
    for _ in range(repeat):
        before_each()
        start = time.perf_counter()
        response, body = fetch(client, url)
        times.append((time.perf_counter() - start) * 1000)
    p95 = statistics.quantiles(times, n=20, method="inclusive")[18]
    return {
        "status": response.status_code,
        "p50": statistics.median(times),
        "p95": p95,
        "queries": count_queries(client, url, before_each),
        "kb": len(body) / 1024,
        "gzip_kb": len(gzip.compress(body)) / 1024,
    }


HEADER = (
    f"{'page':<26} {'projects':>8} {'status':>6} {'p50 ms':>8} {'p95 ms':>8} "
    f"{'queries':>7} {'KB':>8} {'gzip KB':>8}"
)


def row(label, size, result):
    r = result
    return (
        f"{label:<26} {size:>8} {r['status']:>6} {r['p50']:>8.1f} {r['p95']:>8.1f} "
        f"{r['queries']:>7} {r['kb']:>8.1f} {r['gzip_kb']:>8.1f}"
    )


def database_label():
    settings_dict = connection.settings_dict
    return f"{connection.vendor} ({settings_dict['NAME']})"


def main():
    args = parse_args()
    prepare_real_plan()
    plans = [
        ReformPlan.objects.get(year=REAL_YEAR),
        synthetic_plan(args.projects, args.updates),
    ]
    client = signed_in_client()
    print(f"database: {database_label()}; {args.repeat} timed requests after {WARM_UP} warm-up")
    print(HEADER)
    for label in PAGES:
        for plan in plans:
            url = page_url(label, plan.year)
            if url is None:
                print(f"{label:<26} skipped: URL name {PAGES[label][0]!r} does not exist yet")
                break
            size = plan.projects.count()
            print(row(label, size, measure(client, url, args.repeat)))
            if label in CACHED:
                result = measure(client, url, args.repeat, before_each=freshness.bump)
                print(row(f"{label} (after a write)", size, result))


if __name__ == "__main__":
    main()
