"""What the console shows: one line per refused request (no traceback), the full
traceback for a server error, each once."""

import io
import logging
from contextlib import contextmanager

from django.test import override_settings
from django.urls import path, reverse
from django.utils.log import log_message

from .base import PlanTestCase


def crash(request):
    raise RuntimeError("ledger test crash")


# a URLconf for these tests only: the app has no page that fails on purpose
urlpatterns = [path("crash/", crash)]


@contextmanager
def console():
    """Everything the configured console handlers print (the root's, and Django's own if
    it still had one), in one buffer."""
    buffer = io.StringIO()
    handlers = {
        h
        for name in ("django.request", "django", "django.server", "")
        for h in logging.getLogger(name).handlers
        if type(h) is logging.StreamHandler  # not pytest's capturing handlers
    }
    streams = {h: h.setStream(buffer) for h in handlers}
    try:
        yield buffer
    finally:
        for h, stream in streams.items():
            h.setStream(stream)


class RefusalLogTests(PlanTestCase):
    def test_a_403_is_one_record_without_traceback(self):
        self.client.force_login(self.bob)  # liaison: may not edit projects
        url = reverse("project_edit", args=[2017, 1])
        with self.assertLogs("django.request", logging.WARNING) as logs:
            self.assertEqual(self.client.get(url).status_code, 403)
        self.assertEqual(len(logs.records), 1)
        record = logs.records[0]
        self.assertIsNone(record.exc_info)
        self.assertEqual(
            record.getMessage(),
            f"403 Forbidden: GET {url} user={self.bob.pk} (只有区委改革办可以修改项目信息。)",
        )
        self.assertNotIn("Traceback", logs.output[0])

    def test_the_console_prints_a_403_on_one_line_once_also_with_debug(self):
        self.client.force_login(self.bob)
        url = reverse("project_edit", args=[2017, 1])
        for debug in (False, True):
            with self.subTest(debug=debug), override_settings(DEBUG=debug), console() as out:
                self.assertEqual(self.client.get(url).status_code, 403)
                lines = out.getvalue().splitlines()
                self.assertEqual(len(lines), 1, lines)
                self.assertTrue(lines[0].startswith(f"403 Forbidden: GET {url} user="))

    def test_a_404_names_method_path_and_user(self):
        url = reverse("project_detail", args=[2017, 99])
        with console() as out:
            self.assertEqual(self.client.get(url).status_code, 404)
        self.assertEqual(out.getvalue(), f"404 Not Found: GET {url} user={self.alice.pk}\n")

    def test_a_line_break_in_the_path_cannot_forge_a_log_line(self):
        with console() as out:
            self.assertEqual(self.client.get("/nope%0A403 Forbidden: x").status_code, 404)
        self.assertEqual(len(out.getvalue().splitlines()), 1)
        self.assertIn("/nope\\x0a403 Forbidden: x", out.getvalue())

    def test_runserver_leaves_the_refusals_to_django_request(self):
        """Its access line for a 4xx would repeat the line above; other lines stay."""
        server = logging.getLogger("django.server")
        with console() as out:
            for status in ("403", "200", "500"):
                log_message(
                    server,
                    '"%s" %s %s',
                    "GET /projects/ HTTP/1.1",
                    status,
                    "10",
                    status_code=int(status),
                    server_time="27/Nov/2026 10:00:00",
                )
        self.assertEqual(
            out.getvalue().splitlines(),
            [
                '[27/Nov/2026 10:00:00] "GET /projects/ HTTP/1.1" 200 10',
                '[27/Nov/2026 10:00:00] "GET /projects/ HTTP/1.1" 500 10',
            ],
        )


@override_settings(ROOT_URLCONF=__name__)
class ServerErrorLogTests(PlanTestCase):
    def setUp(self):
        super().setUp()
        self.client.raise_request_exception = False

    def test_a_500_is_one_record_with_its_exception(self):
        with self.assertLogs("django.request", logging.ERROR) as logs:
            self.assertEqual(self.client.get("/crash/").status_code, 500)
        self.assertEqual(len(logs.records), 1)
        self.assertIsInstance(logs.records[0].exc_info[1], RuntimeError)

    def test_the_console_prints_a_500_with_its_traceback_once(self):
        with console() as out:  # not inside assertLogs, which keeps records from it
            self.assertEqual(self.client.get("/crash/").status_code, 500)
        printed = out.getvalue()
        self.assertTrue(printed.startswith("Internal Server Error: /crash/\n"), printed)
        self.assertIn("Traceback (most recent call last):", printed)
        self.assertIn("RuntimeError: ledger test crash", printed)
        self.assertEqual(printed.count("Traceback"), 1)
