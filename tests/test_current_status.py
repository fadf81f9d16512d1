"""Each project's current status is stored on it (``projects.current``): every way a
report is written, moved or removed shows on the very next page, and an edit of the
project never writes back a status it loaded before a report came in."""

import io
import threading
import time
from datetime import date

import pytest
from django.core.management import call_command
from django.db import connection, connections, transaction
from django.urls import reverse

from projects import current
from projects.choices import ProgressStatus, ReportState
from projects.models import ProgressUpdate, Project

from .base import PlanTestCase
from .factories import report


class StoredStatusTests(PlanTestCase):
    def setUp(self):
        super().setUp()
        self.project = Project.objects.get(plan__year=2017, number=4)

    def stored(self):
        return Project.objects.get(pk=self.project.pk).current

    def test_a_new_report_sets_it_and_an_older_one_does_not(self):
        report(self.project, 3, ProgressStatus.WARNING, 40)
        report(self.project, 10, ProgressStatus.DELAYED, 5)
        self.assertEqual((self.stored().status, self.stored().percent), ("warning", 40))

    def test_only_counted_reports_count_and_moving_one_counts(self):
        draft = report(self.project, 1, ProgressStatus.DELAYED, 5, state=ReportState.DRAFT)
        self.assertIsNone(self.stored().status)
        draft.state = ReportState.SUBMITTED
        draft.save()
        self.assertEqual(self.stored().status, "delayed")

    def test_deleting_the_newest_report_falls_back_to_the_one_before(self):
        report(self.project, 9, ProgressStatus.WARNING, 10)
        newest = report(self.project, 2, ProgressStatus.ON_TRACK, 30)
        newest.delete()
        self.assertEqual(self.stored().status, "warning")
        ProgressUpdate.objects.filter(project=self.project).delete()
        self.assertIsNone(self.stored().reported_on)

    def test_an_edit_of_the_project_loaded_before_a_report_keeps_the_report(self):
        loaded = Project.objects.get(pk=self.project.pk)
        report(self.project, 1, ProgressStatus.DELAYED, 5)
        loaded.title = "改了名称"
        loaded.save()
        self.assertEqual(self.stored().status, "delayed")

    def test_the_dashboard_and_the_list_show_a_report_at_once(self):
        report(self.project, 1, ProgressStatus.DELAYED, 5)
        response = self.client.get(reverse("project_list"), {"year": 2017, "status": "delayed"})
        self.assertContains(response, self.project.title)

    def test_rebuild_puts_back_what_bulk_writes_left_behind(self):
        ProgressUpdate.objects.bulk_create(
            [
                ProgressUpdate(
                    project=self.project,
                    reported_on=date(2017, 6, 1),
                    status=ProgressStatus.WARNING,
                    percent_complete=60,
                    summary="批量写入",
                )
            ]
        )
        self.assertIsNone(self.stored().status)  # bulk_create sends no signal
        call_command("rebuild_current_status", stdout=io.StringIO())
        self.assertEqual((self.stored().status, self.stored().percent), ("warning", 60))
        self.assertEqual(current.refresh([self.project.pk]), 1)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has one writer at a time")
@pytest.mark.django_db(transaction=True)
def test_two_reports_written_at_once_leave_the_newest():
    """A report written while another report on the same project is being saved (found by
    the two-app-server load drill): the second writer waits for the first and then reads
    the reports again, so the newest one is stored, whichever commits last."""
    call_command("loaddata", "plan_2017", verbosity=0)
    project = Project.objects.get(plan__year=2017, number=4)
    done = threading.Event()

    def older_report_meanwhile():
        try:
            with transaction.atomic():
                report(project, 10, ProgressStatus.WARNING, 20)  # waits for the first
            done.set()
        finally:
            connections.close_all()

    with transaction.atomic():
        report(project, 1, ProgressStatus.DELAYED, 50)  # the newest, not committed yet
        other = threading.Thread(target=older_report_meanwhile)
        other.start()
        time.sleep(1.5)  # the other writer is now waiting for this transaction
    other.join(timeout=60)
    assert done.is_set()
    project.refresh_from_db()
    assert (project.current.status, project.current.percent) == ("delayed", 50)
