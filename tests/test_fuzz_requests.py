"""Property-based bad input (hypothesis) for everything else a request can carry: list
filters and the export's query string, sign-in, plan loading, and malformed bodies
(invalid UTF-8, percent-encoded junk, broken multipart). What each property checks:
tests/fuzzing.py."""

import re
import unicodedata
from urllib.parse import urljoin, urlsplit

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from projects.choices import (
    CheckpointKind,
    CheckpointStatus,
    Domain,
    ProgressStatus,
)
from projects.filters import SEARCH_LIMIT
from projects.forms import TEXT_LIMIT
from projects.models import ProgressUpdate
from units.models import Official, Unit

from .base import PASSWORD, db_state
from .fuzzing import (
    FUZZ,
    INVALID,
    LOGIN_PAGE,
    UNKNOWN,
    VALID,
    FuzzCase,
    any_text,
    combined_verdict,
    encodings,
    fk_field,
    flat_values,
    invalid,
    valid,
)

pytestmark = pytest.mark.fuzz

# ---------------------------------------------------------------------------------------
# List filters and the export
# ---------------------------------------------------------------------------------------


def filter_params(draw, officials, units):
    def choice(values):
        return draw(
            st.one_of(
                st.sampled_from(["", *values]).map(valid),
                any_text.filter(lambda s: s not in values and s != "").map(invalid),
            )
        )

    def anything():
        return valid(draw(st.one_of(any_text, st.integers().map(str))))

    # keywords are capped at SEARCH_LIMIT characters (after stripping), NUL is refused
    q = draw(any_text.filter(lambda text: len(text) <= TEXT_LIMIT + 1))
    bad_q = "\x00" in q.strip() or len(q.strip()) > SEARCH_LIMIT
    params = {
        "q": invalid(q) if bad_q else valid(q),
        "domain": choice(Domain.values),
        "lead_official": choice(["none", *map(str, officials)]),
        "unit": fk_field(draw, units),
        "status": choice([*ProgressStatus.values, "none"]),
        "gate": choice(CheckpointKind.values),
        "gate_status": choice(CheckpointStatus.values),
        "overdue": anything(),
        "stale": anything(),
        "page": anything(),
        "year": anything(),
    }
    keep = draw(st.sets(st.sampled_from(sorted(params))))
    return {name: f for name, f in params.items() if name in keep}


class FilterFuzzTests(FuzzCase):
    @FUZZ
    @given(data=st.data(), export=st.booleans())
    def test_list_and_export_filters(self, data, export):
        officials = sorted(Official.objects.values_list("pk", flat=True))
        units = sorted(Unit.objects.values_list("pk", flat=True))
        params = filter_params(data.draw, officials, units)
        self.client.force_login(self.alice)
        query = {name: f.raw for name, f in params.items() if f.raw is not None}
        url = reverse("project_export", args=["csv"]) if export else reverse("project_list")
        response = self.client.get(url, query)
        allowed = {VALID: {200}, INVALID: {400}, UNKNOWN: {200, 400}}[
            combined_verdict(*params.values())
        ]
        year = str(query.get("year", "")).strip()
        if year and year != "2017":  # a year without a plan says so, before any filter
            allowed = {404}
        self.assert_status(response, allowed, str(query)[:300])
        body = self.body(response)
        if response.status_code == 400:
            self.assertIn("有误", body)
        if export:
            return
        self.assert_escaped(body, flat_values(query))
        if response.status_code == 200:
            listed = response.context["page"].object_list
            domain = query.get("domain")
            if domain:
                self.assertTrue(all(p.domain == domain for p in listed))

    @FUZZ
    @given(raw=st.binary(max_size=80), export=st.booleans())
    def test_raw_bytes_in_the_query_string(self, raw, export):
        """The query string as a browser or a robot might send it: any bytes at all."""
        self.client.force_login(self.alice)
        url = reverse("project_export", args=["csv"]) if export else reverse("project_list")
        for query in (raw.decode("latin-1"), "".join(f"%{b:02x}" for b in raw)):
            response = self.client.get(url, QUERY_STRING=query)
            # 404: the bytes happened to spell a year without a plan
            self.assert_status(response, {200, 400, 404}, repr(raw))


# ---------------------------------------------------------------------------------------
# Sign-in and plan loading
# ---------------------------------------------------------------------------------------

usernames = st.one_of(
    st.sampled_from(["alice", " alice ", "ａｌｉｃｅ", "Alice", "alice\x00", "bob", "", "x" * 255]),
    # over 255 characters is a known 500 on PostgreSQL (KnownProblemTests)
    any_text.filter(lambda u: len(u) <= 255),
)
passwords = st.one_of(st.sampled_from([PASSWORD, PASSWORD + " ", "", "\x00"]), any_text)
next_urls = st.one_of(
    st.sampled_from(
        [
            None,
            "",
            "/projects/",
            "https://evil.example/",
            "//evil.example/",
            "/\\evil.example",
            "\\\\evil.example",
            "javascript:alert(1)",
            " https://evil.example",
            "https:evil.example",
        ]
    ),
    any_text,
)


ACCOUNTS = {"alice", "bob", "erin", "charlie", "dave", "olivia"}  # all with PASSWORD


class SignInFuzzTests(FuzzCase):
    @FUZZ
    @given(username=usernames, password=passwords, next_url=next_urls, encoding=encodings)
    def test_login_form(self, username, password, next_url, encoding):
        # django-axes stays on: each example has a fresh client and rolls its failures back
        data = {"username": username, "password": password, "next": next_url}
        response = self.send(reverse("login"), data, encoding)
        context = repr(data)[:300]
        cleaned = unicodedata.normalize("NFKC", username.strip()) if username else ""
        right = cleaned in ACCOUNTS and password == PASSWORD and "\x00" not in username
        self.assert_status(response, {302} if right else {200, 400, 403, 429}, context)
        body = self.body(response)
        self.assert_escaped(body, flat_values(data))
        if response.status_code == 302:  # and only to this site
            location = re.sub(r"[\t\n\r]", "", response["Location"])  # as a browser reads it:
            location = location.lstrip("".join(map(chr, range(33)))).replace("\\", "/")
            target = urlsplit(urljoin(LOGIN_PAGE, location))
            self.assertEqual((target.scheme, target.netloc), ("http", "testserver"), context)
            return
        self.assertNotIn("_auth_user_id", self.client.session)
        fields_clean = (
            cleaned
            and "\x00" not in cleaned
            and len(cleaned) <= 150
            and password
            and "\x00" not in password
        )
        if fields_clean:  # a wrong name or password: the form says so
            self.assertIn("请输入一个正确的", body, context)


class LoadPlanFuzzTests(FuzzCase):
    @FUZZ
    @given(
        name=st.one_of(
            st.sampled_from(
                [
                    "",
                    "plan_2017.json",
                    "../fixtures/plan_2017",
                    "fixtures/plan_2017",
                    "/etc/passwd",
                    "plan_2017\x00",
                    " plan_2017",
                    "plan_*",
                    "plan_2018",
                    "PLAN_2017",
                ]
            ),
            any_text,
        ).filter(lambda n: n != "plan_2017"),
        encoding=encodings,
    )
    def test_only_listed_plan_files_load(self, name, encoding):
        self.client.force_login(self.dave)
        before = db_state()
        response = self.send(reverse("load_plan"), {"fixture": name}, encoding)
        self.assert_status(response, {400}, repr(name))
        self.assertContains(response, "请选择要载入的改革计划。", status_code=400)
        self.assert_refused(response, before, [name])


# ---------------------------------------------------------------------------------------
# Malformed bodies: invalid UTF-8, percent-encoded junk, broken multipart
# ---------------------------------------------------------------------------------------

BAD_UTF8 = (
    b"\xff\xfe",
    b"\xc3\x28",
    b"\xa0\xa1",
    b"\xe2\x28\xa1",
    b"\xf0\x28\x8c\x28",
    b"\xc0\xaf",
)


class MalformedBodyFuzzTests(FuzzCase):
    def targets(self):
        """Every form, with a user allowed to post it."""
        update = self.bobs_report()
        instruction = self.charlies_instruction()
        return {
            "update_add": (reverse("update_add", args=[2017, 2]), self.bob),
            "update_edit": (reverse("update_edit", args=[update.pk]), self.bob),
            "project_edit": (reverse("project_edit", args=[2017, 2]), self.alice),
            "checkpoint": (reverse("checkpoint_detail", args=[2017, 2, "plan"]), self.alice),
            "instruction_add": (reverse("instruction_add", args=[2017, 2]), self.charlie),
            "follow_up": (reverse("instruction_follow_up", args=[instruction.pk]), self.bob),
            "load_plan": (reverse("load_plan"), self.dave),
            "login": (reverse("login"), None),
        }

    @FUZZ
    @given(
        target=st.sampled_from(
            [
                "update_add",
                "update_edit",
                "project_edit",
                "checkpoint",
                "instruction_add",
                "follow_up",
                "load_plan",
                "login",
            ]
        ),
        pieces=st.lists(
            st.one_of(
                st.binary(max_size=20),
                st.sampled_from(BAD_UTF8),
                st.sampled_from(BAD_UTF8).map(lambda b: "".join(f"%{c:02x}" for c in b).encode()),
                st.sampled_from(
                    [
                        b"summary=",
                        b"&status=on_track",
                        b"&percent_complete=50",
                        b"&reported_on=2017-06-01",
                        b"&version=1",
                        b"&action=start",
                        b"&form=schedule",
                        b"&text=",
                        b"&follow_up=",
                        b"&followed_up_on=2017-06-02",
                        b"&title=",
                        b"&domain=urban",
                        b"&fixture=",
                        b"&username=alice&password=",
                        b"&",
                        b"=",
                        b"%",
                        b"%0",
                        b"+",
                        b"%00",
                    ]
                ),
            ),
            max_size=12,
        ),
        multipart=st.booleans(),
    )
    def test_malformed_bodies_never_give_a_server_error(self, target, pieces, multipart):
        url, user = self.targets()[target]
        if user is not None:
            self.client.force_login(user)
        before = db_state()
        body = b"".join(pieces)
        if multipart:
            body = (
                b"--fuzzboundary\r\n"
                b'Content-Disposition: form-data; name="summary"\r\n\r\n' + body + b"\r\n"
                b"--fuzzboundary\r\n"
                b'Content-Disposition: form-data; name="' + body[:20] + b'"\r\n\r\n'
                b"x\r\n--fuzzboundary--\r\n"
            )
            content_type = "multipart/form-data; boundary=fuzzboundary"
        else:
            content_type = "application/x-www-form-urlencoded"
        response = self.client.generic("POST", url, data=body, content_type=content_type)
        self.assertLess(response.status_code, 500, repr(body[:200]))
        self.assertIn(response.status_code, {200, 302, 400, 403, 409, 429}, repr(body[:200]))
        if response.status_code != 302:
            if target != "login":
                self.assertEqual(db_state(), before)
            return
        # bytes that decode to a valid form are saved; what is stored is clean text
        for update in ProgressUpdate.objects.all():
            self.assertNotIn("\x00", update.summary)
            update.summary.encode("utf-8")  # no lone surrogates

    @FUZZ
    @given(
        value=st.lists(st.sampled_from(BAD_UTF8), min_size=1, max_size=4).map(b"".join),
        percent_encode=st.booleans(),
    )
    def test_invalid_utf8_in_a_valid_report(self, value, percent_encode):
        """Django decodes invalid UTF-8 with U+FFFD; the report is then valid text."""
        self.client.force_login(self.bob)
        raw = "".join(f"%{b:02x}" for b in value).encode() if percent_encode else value
        body = b"reported_on=2017-06-01&status=on_track&percent_complete=50&summary=" + raw + b"x"
        response = self.client.generic(
            "POST",
            reverse("update_add", args=[2017, 2]),
            data=body,
            content_type="application/x-www-form-urlencoded",
        )
        self.assert_status(response, {302})
        summary = ProgressUpdate.objects.get().summary
        # percent-encoded bytes decode with U+FFFD; a raw body that is not UTF-8 is read
        # as Latin-1 (Django's rule for misbehaving user agents)
        decoded = value.decode("utf-8", "replace") if percent_encode else value.decode("latin-1")
        self.assertEqual(summary, (decoded + "x").strip())
