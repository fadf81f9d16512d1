"""A form sent twice (a double click, a resent page) creates one row (issue 9, also)."""

import threading
import uuid

from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test import Client, TransactionTestCase, skipUnlessDBFeature
from django.urls import reverse
from django.utils import timezone

from projects import roles
from projects.models import Instruction, ProgressUpdate
from projects.roles import build_groups
from units.models import Unit

from .base import PlanTestCase, make_user

TODAY = timezone.localdate().isoformat()
REPORT = {
    "reported_on": TODAY,
    "status": "on_track",
    "percent_complete": "30",
    "summary": "完成调研",
}


def token_of(page, form_prefix=""):
    form = page.context[f"{form_prefix}form"]
    return str(form.initial["submission"])


class SubmittedOnceTests(PlanTestCase):
    def test_the_same_progress_form_sent_twice_saves_one_report(self):
        self.client.force_login(self.bob)
        page = self.client.get(reverse("project_detail", args=[2017, 2]))
        token = token_of(page, "update_")
        self.assertIn(f'name="submission" value="{token}"', page.content.decode())
        url = reverse("update_add", args=[2017, 2])
        first = self.client.post(url, {**REPORT, "submission": token}, follow=True)
        self.assertContains(first, "进展报告已保存。")
        again = self.client.post(url, {**REPORT, "submission": token}, follow=True)
        self.assertContains(again, "这份表单已经提交过，未重复保存。")
        self.assertEqual(ProgressUpdate.objects.count(), 1)

    def test_two_forms_with_the_same_words_are_two_reports(self):
        self.client.force_login(self.bob)
        url = reverse("update_add", args=[2017, 2])
        for _ in range(2):
            page = self.client.get(reverse("project_detail", args=[2017, 2]))
            self.client.post(url, {**REPORT, "submission": token_of(page, "update_")})
        self.assertEqual(ProgressUpdate.objects.count(), 2)

    def test_an_instruction_sent_twice_is_saved_once(self):
        self.client.force_login(self.charlie)
        page = self.client.get(reverse("project_detail", args=[2017, 1]))
        token = token_of(page, "instruction_")
        url = reverse("instruction_add", args=[2017, 1])
        data = {"issued_on": TODAY, "text": "加快推进", "submission": token}
        self.client.post(url, data)
        self.client.post(url, data)
        self.assertEqual(Instruction.objects.count(), 1)

    def test_a_refused_form_keeps_its_token(self):
        self.client.force_login(self.bob)
        page = self.client.get(reverse("project_detail", args=[2017, 2]))
        token = token_of(page, "update_")
        url = reverse("update_add", args=[2017, 2])
        refused = self.client.post(url, {**REPORT, "summary": "", "submission": token})
        self.assertContains(refused, f'value="{token}"', status_code=400)


@skipUnlessDBFeature("has_select_for_update")  # PostgreSQL: truly concurrent transactions
class SimultaneousSendingsTests(TransactionTestCase):
    fixtures = ["plan_2017"]

    def setUp(self):
        build_groups(Group, Permission)  # a TransactionTestCase starts from an empty database
        self.bob = make_user(
            "bob", roles.UNIT_LIAISON, unit=Unit.objects.get(short_name="区发改局")
        )

    def test_a_form_sent_four_times_at_the_same_moment_saves_once(self):
        url = reverse("update_add", args=[2017, 2])
        data = {**REPORT, "submission": str(uuid.uuid4())}
        start, answers = threading.Barrier(4, timeout=30), []

        def send():
            try:
                client = Client()
                # Each request has its own copy of the account, as in a real server.
                client.force_login(type(self.bob).objects.get(pk=self.bob.pk))
                start.wait()
                answers.append(client.post(url, data).status_code)
            except Exception as exc:  # shown in the assertion below
                answers.append(repr(exc))
            finally:
                connection.close()

        threads = [threading.Thread(target=send) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        self.assertEqual(answers, [302] * 4)
        self.assertEqual(ProgressUpdate.objects.count(), 1)
