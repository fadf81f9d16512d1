"""The permission matrix: every role (and anonymous) against every view and action."""

from django.db import transaction
from django.urls import reverse

from projects.models import ProgressUpdate, Project

from .base import PlanTestCase
from .factories import TODAY, make_instruction, progress_form, report

UPDATE = progress_form(percent_complete="20", summary="完成调研")
ROLES = ["anonymous", "olivia", "charlie", "bob", "erin", "alice", "dave"]


def expect(anonymous, olivia, charlie, bob, erin, alice, dave):
    return dict(zip(ROLES, (anonymous, olivia, charlie, bob, erin, alice, dave), strict=True))


class PermissionMatrixTests(PlanTestCase):
    """Project 2 is led by 区发改局 (Bob's unit); Erin's 区教育局 has nothing to do with it."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.project = Project.objects.get(number=2)
        cls.instruction = make_instruction(cls.project, "加快推进", author=cls.charlie)
        cls.update = report(cls.project, summary="初稿", percent=5, author=cls.bob)

    def _status(self, role, method, url, data):
        self.client.logout()
        if role != "anonymous":
            self.client.force_login(getattr(self, role))
        with transaction.atomic():
            if method == "get":
                response = self.client.get(url)
            else:
                response = self.client.post(url, data)
            transaction.set_rollback(True)  # every cell starts from the same data
        return response.status_code

    def test_matrix(self):
        p = ("2017", "2")
        gate = reverse("checkpoint_detail", args=[*p, "plan"])
        cases = [
            ("portfolio", "get", reverse("home"), None, expect(302, 200, 200, 200, 200, 200, 200)),
            (
                "project page",
                "get",
                reverse("project_detail", args=p),
                None,
                expect(302, 200, 200, 200, 200, 200, 200),
            ),
            (
                "report progress",
                "post",
                reverse("update_add", args=p),
                UPDATE,
                expect(302, 403, 403, 302, 403, 302, 302),
            ),
            (
                "edit someone's update",
                "get",
                reverse("update_edit", args=[self.update.pk]),
                None,
                expect(302, 403, 403, 200, 403, 200, 200),
            ),
            (
                "edit project",
                "get",
                reverse("project_edit", args=p),
                None,
                expect(302, 403, 403, 403, 403, 200, 200),
            ),
            ("checkpoint page", "get", gate, None, expect(302, 200, 200, 200, 200, 200, 200)),
            (
                "start checkpoint",
                "post",
                gate,
                {"action": "start", "version": 1},
                expect(302, 403, 403, 302, 403, 302, 302),
            ),
            (
                "send back checkpoint",
                "post",
                gate,
                {"action": "send_back", "note": "x", "version": 1},
                # allowed roles reach the rule: a not-started gate cannot be sent back
                expect(302, 403, 403, 403, 403, 400, 400),
            ),
            (
                "schedule checkpoint",
                "post",
                gate,
                {"form": "schedule", "planned_date": "2017-09-30", "version": 1},
                expect(302, 403, 403, 403, 403, 302, 302),
            ),
            (
                "write instruction",
                "post",
                reverse("instruction_add", args=p),
                {"issued_on": TODAY.isoformat(), "text": "抓紧"},
                expect(302, 403, 302, 403, 403, 403, 302),
            ),
            (
                "follow up instruction",
                "get",
                reverse("instruction_follow_up", args=[self.instruction.pk]),
                None,
                expect(302, 403, 403, 200, 403, 200, 200),
            ),
            (
                "load plan",
                "get",
                reverse("load_plan"),
                None,
                expect(302, 403, 403, 403, 403, 403, 200),
            ),
            (
                "admin site",
                "get",
                reverse("admin:index"),
                None,
                expect(302, 302, 302, 302, 302, 302, 200),
            ),
            (
                "health check",
                "get",
                reverse("healthz"),
                None,
                expect(200, 200, 200, 200, 200, 200, 200),
            ),
        ]
        for name, method, url, data, expected in cases:
            for role in ROLES:
                with self.subTest(case=name, role=role):
                    self.assertEqual(self._status(role, method, url, data), expected[role])

    def test_anonymous_is_sent_to_login_with_next(self):
        self.client.logout()
        url = reverse("project_detail", args=[2017, 2])
        response = self.client.get(url)
        self.assertRedirects(response, f"{reverse('login')}?next={url}")

    def test_liaison_of_another_unit_cannot_report_and_nothing_is_saved(self):
        self.client.force_login(self.erin)
        before = ProgressUpdate.objects.count()
        response = self.client.post(reverse("update_add", args=[2017, 2]), UPDATE)
        self.assertEqual(response.status_code, 403)
        self.assertContains(response, "不能填报进展", status_code=403)
        self.assertEqual(ProgressUpdate.objects.count(), before)

    def test_liaison_reports_on_a_project_their_unit_takes_part_in(self):
        project = Project.objects.get(number=10)
        project.lead_unit = None
        project.save()
        project.participating_units.add(self.jiaoyu)
        self.client.force_login(self.erin)
        response = self.client.post(reverse("update_add", args=[2017, 10]), UPDATE)
        self.assertRedirects(response, project.get_absolute_url())
        self.assertEqual(project.updates.get().author, self.erin)

    def test_project_page_shows_only_the_controls_a_role_may_use(self):
        url = reverse("project_detail", args=[2017, 2])
        self.client.force_login(self.charlie)
        page = self.client.get(url).content.decode()
        self.assertIn("作出批示", page)
        self.assertNotIn("填报本周进展", page)
        self.assertNotIn("修改项目信息", page)
        self.client.force_login(self.bob)
        page = self.client.get(url).content.decode()
        self.assertIn("填报本周进展", page)
        self.assertNotIn("作出批示", page)
        self.client.force_login(self.erin)
        page = self.client.get(url).content.decode()
        self.assertNotIn("填报本周进展", page)
        self.assertNotIn("登记落实情况", page)

    def test_author_loses_edit_right_on_an_update_of_someone_else(self):
        other = report(self.project, summary="改革办填报", percent=5, author=self.alice)
        self.client.force_login(self.bob)
        response = self.client.get(reverse("update_edit", args=[other.pk]))
        self.assertEqual(response.status_code, 403)
