"""What the property-based tests (tests/test_fuzz_*.py, marker ``fuzz``) share: the
strategies that generate field values with their verdicts, and FuzzCase with its checks.

Each property posts generated input through the test client, signed in as someone allowed to
use the form, and checks:

- never a 5xx;
- the outcome the input deserves: each generated field value carries a verdict (valid,
  invalid or unknown, for free text whose meaning the test does not decide), so a wholly
  valid input must be saved (302), any invalid part must give a 4xx, and a redirect only
  ever follows input that was valid (the stored row obeys every rule);
- a refused form leaves the database exactly as it was and shows a Chinese message;
- HTML/script in the input is never echoed unescaped, on the form and on the saved pages.

Every hypothesis example runs in its own savepoint (``hypothesis.extra.django.TestCase``),
so examples never see each other's rows. NUL is in the alphabet on purpose: PostgreSQL
refuses it in text columns, so the forms must refuse it first.
"""

import os
import re
from datetime import date, timedelta
from typing import Any, NamedTuple
from urllib.parse import urlencode

from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from projects.forms import TEXT_LIMIT
from projects.models import Project

from .base import PlanTestCase, db_state

TODAY = timezone.localdate()
EARLIEST = date(2000, 1, 1)
LATEST = date(9999, 12, 31)

FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "40")),
    deadline=None,
    database=None,  # no .hypothesis folder in the repository
    derandomize=bool(os.environ.get("CI")),
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.function_scoped_fixture,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
    ],
)

# ---------------------------------------------------------------------------------------
# Generated field values and their verdicts
# ---------------------------------------------------------------------------------------

VALID, INVALID, UNKNOWN = "valid", "invalid", "unknown"
UNSET = object()  # the expected stored value is not known in advance


class GeneratedField(NamedTuple):
    """One generated field: what is posted (None: left out), its verdict, and the value
    a valid input must be stored as (UNSET when the test does not predict it)."""

    raw: Any
    verdict: str
    clean: Any = UNSET


def valid(raw, clean=UNSET):
    return GeneratedField(raw, VALID, clean)


def invalid(raw):
    return GeneratedField(raw, INVALID)


def unknown(raw):
    """Free text whose fate the test does not decide (it may be valid or not)."""
    return GeneratedField(raw, UNKNOWN)


def combined_verdict(*fields):
    """Invalid if any field is, valid if all are, else unknown."""
    verdicts = {f.verdict for f in fields}
    if INVALID in verdicts:
        return INVALID
    return VALID if verdicts == {VALID} else UNKNOWN


XSS = (
    '<script>alert("fuzz")</script>',
    "<img src=x onerror=alert(1)>",
    '"><svg onload=alert(1)>',
)
NASTY = (
    "",
    " ",
    "\x00",
    "进展\x00正常",
    "\u202eevil",
    "\ufeff",
    "😀",
    "𝕏𝕐",
    "\r\n",
    "\t \u3000",
    "' OR 1=1 --",
    "%ff%fe",
    "%00",
    "{{ request }}",
    "{% debug %}",
    "\\",
    "NaN",
    "1e3",
    "-0",
    " 50 ",
    "９９",
    "null",
    "None",
    "true",
    "[]",
    "0" * 30,
    "9" * 5000,
)


def embed(before, payload, after):
    return before + payload + after


any_text = st.one_of(
    st.text(max_size=40),
    st.sampled_from(NASTY + XSS),
    st.builds(embed, st.text(max_size=8), st.sampled_from(XSS), st.text(max_size=8)),
    st.builds(
        lambda ch, n: ch * n,
        st.sampled_from(["x", "长", " ", "😀"]),
        st.sampled_from([TEXT_LIMIT - 1, TEXT_LIMIT, TEXT_LIMIT + 1, 3 * TEXT_LIMIT]),
    ),
)


def classify_text(s, *, required=False, limit=TEXT_LIMIT):
    """A Django CharField strips, then refuses NUL and more than ``limit`` characters."""
    stripped = (s or "").strip()
    if "\x00" in stripped:
        return invalid(s)
    if not stripped:
        return invalid(s) if required else valid(s, "")
    if len(stripped) > limit:
        return invalid(s)
    return valid(s, stripped)


def text_field(*, required=False, limit=TEXT_LIMIT):
    return st.one_of(st.none(), any_text).map(
        lambda s: classify_text(s, required=required, limit=limit)
    )


def iso_date(d):
    return f"{d.year:04d}-{d.month:02d}-{d.day:02d}"


IMPOSSIBLE_DATES = (
    "2017-02-30",
    "2017-02-29",
    "2017-13-01",
    "2017-00-10",
    "0000-00-00",
    "10000-01-01",
    "９９",
    "2017-1-32",
    "2017-04-31",
)


def date_field(*, required=True, future_ok=False):
    """Dates from 2000 to today are valid (to 9999 where the future is allowed)."""
    last = LATEST if future_ok else TODAY
    options = [
        st.dates(EARLIEST, last).map(lambda d: valid(iso_date(d), d)),
        st.dates(EARLIEST, last).map(lambda d: valid(d.strftime("%Y/%m/%d"), d)),
        st.dates(date(1, 1, 1), EARLIEST - timedelta(days=1)).map(lambda d: invalid(iso_date(d))),
        st.sampled_from(IMPOSSIBLE_DATES).map(invalid),
        st.sampled_from([None, ""]).map(invalid if required else lambda s: valid(s, None)),
        st.just(invalid("  ")),  # Django strips, then finds no date in ""
        any_text.map(unknown),
    ]
    if not future_ok:
        options.append(
            st.dates(TODAY + timedelta(days=2), LATEST).map(lambda d: invalid(iso_date(d)))
        )
    return st.one_of(options)


percent_field = st.one_of(
    st.integers(0, 100).map(lambda n: valid(str(n), n)),
    st.integers(0, 100).map(lambda n: valid(f" {n} ", n)),
    st.integers().filter(lambda n: not 0 <= n <= 100).map(lambda n: invalid(str(n))),
    st.sampled_from([None, "", "1e3", "NaN", "inf", "50.5", "abc", "0x10", "四十", "9" * 5000]).map(
        invalid
    ),
    any_text.map(unknown),
)


def choice_field(values, *, required=True):
    """Only the exact stored values of a choice are accepted ("" when not required)."""
    return st.one_of(
        st.sampled_from(values).map(lambda v: valid(v, v)),
        st.sampled_from([None, ""]).map(invalid if required else lambda v: valid(v, "")),
        any_text.filter(lambda s: s not in values and s != "").map(invalid),
    )


MATCH, CONFLICT = "match", "conflict"


class GeneratedVersion(NamedTuple):
    """A generated version field: the version posted and how it relates to the stored one
    (version 1 in every property: MATCH, CONFLICT, INVALID or UNKNOWN)."""

    raw: Any
    kind: str


version_field = st.one_of(
    st.sampled_from(["1", " 1 ", "1.0"]).map(lambda s: GeneratedVersion(s, MATCH)),
    st.integers(2, 10**6).map(lambda n: GeneratedVersion(str(n), CONFLICT)),
    st.just(GeneratedVersion(str(10**30), CONFLICT)),
    st.sampled_from([None, "", "abc", "0", "-1", "1e3", "NaN", "1\x00"]).map(
        lambda s: GeneratedVersion(s, INVALID)
    ),
    any_text.map(lambda s: GeneratedVersion(s, UNKNOWN)),
)


def expected_versioned(fields_verdict, version):
    """The statuses a versioned form may answer: form errors (400) come before the
    version check. A version the history does not hold is merged against what is stored:
    409 when a submitted value differs from it, else 302 (and the stored values are the
    submitted ones, which the property checks)."""
    if fields_verdict == INVALID or version.kind == INVALID:
        return {400}
    outcome = {MATCH: {302}, CONFLICT: {302, 409}, UNKNOWN: {302, 400, 409}}[version.kind]
    return outcome if fields_verdict == VALID else outcome | {400}


def expected_plain(verdict):
    return {VALID: {302}, INVALID: {400}, UNKNOWN: {302, 400}}[verdict]


encodings = st.sampled_from(["multipart", "urlencoded"])

# ---------------------------------------------------------------------------------------
# Checks shared by every property
# ---------------------------------------------------------------------------------------

LOGIN_PAGE = "http://testserver/accounts/login/"
CJK = re.compile(r"[\u4e00-\u9fff]")
ERRORLIST = re.compile(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', re.S)
CHINESE_MARKERS = ("未保存", "有误", "操作未完成", "请选择要载入的改革计划", "改革计划载入失败")


def flat_values(data):
    out = []
    for value in data.values():
        if isinstance(value, list | tuple):
            out.extend(str(v) for v in value)
        elif value is not None:
            out.append(str(value))
    return out


class ReusingClient(Client):
    """A test client that shares one middleware chain with the clients before it.

    Every hypothesis example gets a fresh client; building its middleware chain makes
    WhiteNoise scan the static files again, which would cost more than the request."""

    _handlers = {}

    def __init__(self, enforce_csrf_checks=False, *args, **kwargs):
        super().__init__(enforce_csrf_checks, *args, **kwargs)
        self.handler = self._handlers.setdefault(enforce_csrf_checks, self.handler)


class FuzzCase(HypothesisTestCase, PlanTestCase):
    """The 2017 plan and the users of tests/base.py; each example signs in for itself."""

    client_class = ReusingClient

    def setUp(self):
        """PlanTestCase signs Alice in here; hypothesis examples get their own client."""

    # posting -----------------------------------------------------------------------
    def send(self, url, fields, encoding="multipart"):
        data = {name: value for name, value in fields.items() if value is not None}
        if encoding == "urlencoded":
            return self.client.post(
                url, urlencode(data, doseq=True), content_type="application/x-www-form-urlencoded"
            )
        return self.client.post(url, data)

    # checks ------------------------------------------------------------------------
    def body(self, response):
        if getattr(response, "streaming", False):
            return b"".join(response.streaming_content).decode("utf-8", "replace")
        return response.content.decode("utf-8", "replace")

    def assert_status(self, response, allowed, context=""):
        self.assertLess(response.status_code, 500, context)
        self.assertIn(response.status_code, allowed, context)

    def assert_chinese_error(self, body, context=""):
        """A 400 page says in Chinese what was wrong."""
        if any(marker in body for marker in CHINESE_MARKERS):
            return
        for errors in ERRORLIST.findall(body):
            if CJK.search(errors):
                return
        self.fail(f"400 page without a Chinese error message {context}: {body[:500]!r}")

    def assert_escaped(self, body, values):
        """No generated HTML/script payload comes back unescaped."""
        for payload in XSS:
            if any(payload in value for value in values):
                self.assertNotIn(payload, body)

    def assert_refused(self, response, before, values, context=""):
        """A refused form: nothing stored, a Chinese message on a 400, input escaped."""
        self.assertEqual(db_state(), before, f"a refused form changed the database {context}")
        body = self.body(response)
        if response.status_code == 400:
            self.assert_chinese_error(body, context)
        elif response.status_code == 409:
            self.assertIn("已被他人修改", body)
        self.assert_escaped(body, values)

    def saved(self, response, allowed, before, data, context=None):
        """Check a form's answer: never a 5xx and one of the ``allowed`` statuses; when
        refused (anything but 302), nothing stored, the reason in Chinese and the input
        escaped. True when the input was saved."""
        context = context or str(data)[:300]
        self.assert_status(response, allowed, context)
        if response.status_code == 302:
            return True
        self.assert_refused(response, before, flat_values(data), context)
        return False

    def assert_saved_pages_escape(self, data, *urls):
        """Pages showing what ``data`` saved show its markup escaped."""
        values = flat_values(data)
        if not any(p in v for v in values for p in XSS):
            return
        for url in urls:
            page = self.client.get(url)
            self.assertEqual(page.status_code, 200, url)
            self.assert_escaped(self.body(page), values)

    @property
    def project2(self):
        return Project.objects.get(plan__year=2017, number=2)


def fk_field(draw, pks, *, multiple=False):
    """A foreign key (or a list of them): existing pks are valid, others are not."""
    missing = max(pks) + 1000
    if multiple:
        choice = draw(st.sampled_from(["subset", "missing", "junk", "none"]))
        if choice == "subset":
            chosen = draw(st.lists(st.sampled_from(pks), unique=True, max_size=4))
            return valid([str(pk) for pk in chosen], set(chosen))
        if choice == "missing":
            return invalid([str(pks[0]), str(missing)])
        if choice == "junk":
            return unknown([draw(any_text)])
        return valid(None, set())
    return draw(
        st.one_of(
            st.sampled_from(pks).map(lambda pk: valid(str(pk), pk)),
            st.sampled_from([None, ""]).map(lambda v: valid(v, None)),
            st.sampled_from([str(missing), "abc", "-1", "1.5", str(10**30)]).map(invalid),
            any_text.map(unknown),
        )
    )
