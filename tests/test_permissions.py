"""The permission matrix: every role (and anonymous) against every page and every action."""

from django.db import transaction
from django.urls import reverse

from projects.choices import CheckpointStatus
from projects.models import ProgressUpdate, Project
from units.models import Official

from .base import PlanTestCase
from .factories import TODAY, make_instruction, progress_form, project_form, report, set_checkpoint

UPDATE = progress_form(percent_complete="20", summary="完成调研")
ROLES = ["anonymous", "olivia", "charlie", "bob", "erin", "alice", "dave"]
LOGIN = "→ sign-in"  # a redirect to the sign-in page (any other redirect is plain 302)


def decision(action, note=""):
    """What the checkpoint page's decision form posts, at version 1."""
    return {"action": action, "note": note, "version": 1}


def expect(anonymous, olivia, charlie, bob, erin, alice, dave):
    return dict(zip(ROLES, (anonymous, olivia, charlie, bob, erin, alice, dave), strict=True))


# pages (GET)
# every role reads every page; an account without a role (or an outside expert) reads none
READ = expect(LOGIN, 403, 200, 200, 200, 200, 200)
OFFICE_ONLY = expect(LOGIN, 403, 403, 403, 403, 200, 200)  # the office (and administrators)
LEAD_UNIT = expect(LOGIN, 403, 403, 200, 403, 200, 200)  # …and Bob, whose unit leads project 2
ADMIN_ONLY = expect(LOGIN, 403, 403, 403, 403, 403, 200)
# actions (POST): done and redirected (302), or refused
OFFICE_DOES = expect(LOGIN, 403, 403, 403, 403, 302, 302)
LEAD_UNIT_DOES = expect(LOGIN, 403, 403, 302, 403, 302, 302)
LEADER_DOES = expect(LOGIN, 403, 302, 403, 403, 403, 302)
ADMIN_DOES = expect(LOGIN, 403, 403, 403, 403, 403, 302)


class PermissionMatrixTests(PlanTestCase):
    """Olivia: no role; Charlie: a leader; Bob: liaison of 区发改局, which leads project 2;
    Erin: liaison of 区教育局, which has nothing to do with it; Alice: the reform office;
    Dave: an administrator."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.project = Project.objects.get(number=2)
        cls.instruction = make_instruction(cls.project, "加快推进", author=cls.charlie)
        cls.update = report(cls.project, summary="初稿", percent=5, author=cls.bob)

    def _status(self, role, method, url, data, prepare=None):
        self.client.logout()
        if role != "anonymous":
            self.client.force_login(getattr(self, role))
        with transaction.atomic():
            if prepare:
                prepare()
            if method == "get":
                response = self.client.get(url)
            else:
                response = self.client.post(url, data)
            transaction.set_rollback(True)  # every cell starts from the same data
        if response.status_code == 302 and response["Location"].startswith(reverse("login")):
            return LOGIN
        return response.status_code

    def plan_checkpoint(self, status):
        return lambda: set_checkpoint(self.project, "plan", status)

    def pages(self):
        p = ("2017", "2")
        return [
            ("dashboard", reverse("home"), READ),
            ("list", reverse("project_list"), READ),
            ("export .xlsx", reverse("project_export", args=["xlsx"]), READ),
            ("export .csv", reverse("project_export", args=["csv"]), READ),
            ("project page", reverse("project_detail", args=p), READ),
            ("checkpoint page", reverse("checkpoint_detail", args=[*p, "plan"]), READ),
            ("edit project page", reverse("project_edit", args=p), OFFICE_ONLY),
            ("edit Bob's report page", reverse("update_edit", args=[self.update.pk]), LEAD_UNIT),
            (
                "follow-up page",
                reverse("instruction_follow_up", args=[self.instruction.pk]),
                LEAD_UNIT,
            ),
            ("unit page", reverse("unit_detail", args=[self.fagai.pk]), READ),
            (
                "official page",
                reverse("official_detail", args=[Official.objects.get(name="戴斌").pk]),
                READ,
            ),
            ("load plan page", reverse("load_plan"), ADMIN_ONLY),
            ("health check", reverse("healthz"), expect(200, 200, 200, 200, 200, 200, 200)),
            # the admin site sends everyone but staff to its own sign-in page
            ("admin index", reverse("admin:index"), expect(302, 302, 302, 302, 302, 302, 200)),
        ]

    def posts(self):
        p = ("2017", "2")
        gate = reverse("checkpoint_detail", args=[*p, "plan"])
        submitted = self.plan_checkpoint(CheckpointStatus.SUBMITTED)
        passed = self.plan_checkpoint(CheckpointStatus.PASSED)
        follow_up = reverse("instruction_follow_up", args=[self.instruction.pk])
        edit_report = reverse("update_edit", args=[self.update.pk])
        schedule = {"form": "schedule", "planned_date": "2017-09-30", "version": 1}
        done = {"follow_up": "已落实", "followed_up_on": TODAY.isoformat(), "version": 1}
        instruction = {"issued_on": TODAY.isoformat(), "text": "抓紧"}
        project = project_form(self.project)
        return [
            ("edit project", reverse("project_edit", args=p), project, None, OFFICE_DOES),
            ("checkpoint dates", gate, schedule, None, OFFICE_DOES),
            ("start", gate, decision("start"), None, LEAD_UNIT_DOES),
            ("submit", gate, decision("submit", "方案已印发"), None, LEAD_UNIT_DOES),
            ("pass", gate, decision("approve"), submitted, OFFICE_DOES),
            ("send back", gate, decision("send_back", "补充材料"), submitted, OFFICE_DOES),
            ("reopen", gate, decision("reopen", "复核"), passed, OFFICE_DOES),
            # allowed roles reach the rule: a not-started checkpoint cannot be sent back
            (
                "send back a checkpoint not started",
                gate,
                decision("send_back", "x"),
                None,
                expect(LOGIN, 403, 403, 403, 403, 400, 400),
            ),
            ("instruction follow-up", follow_up, done, None, LEAD_UNIT_DOES),
            (
                "write instruction",
                reverse("instruction_add", args=p),
                instruction,
                None,
                LEADER_DOES,
            ),
            ("report progress", reverse("update_add", args=p), UPDATE, None, LEAD_UNIT_DOES),
            ("edit Bob's report", edit_report, progress_form(version=1), None, LEAD_UNIT_DOES),
            ("load plan", reverse("load_plan"), {"fixture": "plan_2017"}, None, ADMIN_DOES),
        ]

    def test_every_page(self):
        for name, url, expected in self.pages():
            for role in ROLES:
                with self.subTest(page=name, role=role):
                    self.assertEqual(self._status(role, "get", url, None), expected[role])

    def test_every_action(self):
        for name, url, data, prepare, expected in self.posts():
            for role in ROLES:
                with self.subTest(action=name, role=role):
                    status = self._status(role, "post", url, data, prepare)
                    self.assertEqual(status, expected[role])

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


class RoleListTests(PlanTestCase):
    def test_the_live_role_list_is_what_the_migrations_made(self):
        """projects.roles (used when tests rebuild the groups) must not drift from the
        permissions the data migrations granted."""
        from django.contrib.auth.models import Group

        from projects.roles import ROLE_PERMISSIONS

        for role, names in ROLE_PERMISSIONS.items():
            granted = {
                f"{app}.{codename}"
                for app, codename in Group.objects.get(name=role).permissions.values_list(
                    "content_type__app_label", "codename"
                )
            }
            with self.subTest(role):
                self.assertEqual(set(names) - granted, set(), "listed but not granted")
                if role != "管理员":  # administrators get every model permission besides
                    extra = {n for n in granted - set(names) if n.startswith("projects.")}
                    self.assertEqual(extra, set(), "granted but not listed")
