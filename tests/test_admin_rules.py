"""The admin site keeps the app's rules: versions and the 三关 (issue 9, item 2)."""

from django.test import Client
from django.urls import reverse

from projects.choices import CheckpointStatus
from projects.models import Checkpoint, Project

from .base import PlanTestCase


def admin_form(client, url):
    """The data the admin change form would post unchanged."""
    form = client.get(url).context["adminform"].form
    data = {}
    for name in form.fields:
        value = form[name].value()
        if isinstance(value, list | tuple):
            data[name] = [str(v) for v in value]
        elif value is not None:
            data[name] = value
    return data


class AdminVersionTests(PlanTestCase):
    def setUp(self):
        super().setUp()
        self.admin = Client()
        self.admin.force_login(self.dave)
        self.project = Project.objects.get(number=8)
        self.url = reverse("admin:projects_project_change", args=[self.project.pk])

    def post_admin(self, data):
        inline = {
            "checkpoints-TOTAL_FORMS": "3",
            "checkpoints-INITIAL_FORMS": "3",
            "checkpoints-MIN_NUM_FORMS": "0",
            "checkpoints-MAX_NUM_FORMS": "3",
        }
        for i, checkpoint in enumerate(self.project.checkpoints.all()):
            inline[f"checkpoints-{i}-id"] = str(checkpoint.pk)
            inline[f"checkpoints-{i}-project"] = str(self.project.pk)
        return self.admin.post(self.url, {**data, **inline})

    def test_an_admin_save_bumps_the_version_and_a_stale_app_form_does_not_undo_it(self):
        office_form = self.client.get(reverse("project_edit", args=[2017, 8])).context["form"]
        self.assertEqual(office_form.initial["version"], 1)
        data = admin_form(self.admin, self.url)
        self.assertEqual(self.post_admin({**data, "goals": "管理员改的目标"}).status_code, 302)
        self.project.refresh_from_db()
        self.assertEqual((self.project.goals, self.project.version), ("管理员改的目标", 2))
        # the office saves the form it opened at version 1, changing the goals too
        office = {k: ("" if v is None else v) for k, v in office_form.initial.items()}
        office["participating_units"] = [u.pk for u in self.project.participating_units.all()]
        stale = self.client.post(
            reverse("project_edit", args=[2017, 8]),
            {**office, "goals": "改革办改的目标", "reason": "按会议要求调整"},
        )
        self.assertEqual(stale.status_code, 409)
        self.project.refresh_from_db()
        self.assertEqual(self.project.goals, "管理员改的目标")

    def test_a_stale_admin_form_is_refused(self):
        data = admin_form(self.admin, self.url)
        Project.objects.filter(pk=self.project.pk).update(version=2, goals="别人改的")
        response = self.post_admin({**data, "goals": "管理员改的目标"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "已被他人修改")
        self.project.refresh_from_db()
        self.assertEqual(self.project.goals, "别人改的")


class AdminCheckpointTests(PlanTestCase):
    def setUp(self):
        super().setUp()
        self.admin = Client()
        self.admin.force_login(self.dave)

    def test_status_cannot_be_changed_in_the_admin(self):
        implementation = Checkpoint.objects.get(project__number=8, kind="implementation")
        url = reverse("admin:projects_checkpoint_change", args=[implementation.pk])
        data = admin_form(self.admin, url)
        self.assertNotIn("status", data)
        response = self.admin.post(
            url, {**data, "status": "passed", "passed_on": "2017-06-30", "evidence": "材料"}
        )
        self.assertEqual(response.status_code, 302)
        implementation.refresh_from_db()
        self.assertEqual(implementation.status, CheckpointStatus.NOT_STARTED)
        self.assertEqual((implementation.passed_on, implementation.evidence), (None, "材料"))
        self.assertEqual(implementation.version, 2)

    def test_the_project_page_inline_cannot_pass_a_checkpoint(self):
        project = Project.objects.get(number=8)
        url = reverse("admin:projects_project_change", args=[project.pk])
        data = admin_form(self.admin, url)
        inline = {
            "checkpoints-TOTAL_FORMS": "3",
            "checkpoints-INITIAL_FORMS": "3",
            "checkpoints-MIN_NUM_FORMS": "0",
            "checkpoints-MAX_NUM_FORMS": "3",
        }
        for i, checkpoint in enumerate(project.checkpoints.all()):
            inline |= {
                f"checkpoints-{i}-id": str(checkpoint.pk),
                f"checkpoints-{i}-project": str(project.pk),
                f"checkpoints-{i}-status": "passed",
                f"checkpoints-{i}-passed_on": "2017-06-30",
            }
        self.admin.post(url, {**data, **inline})
        statuses = set(project.checkpoints.values_list("status", flat=True))
        self.assertEqual(statuses, {CheckpointStatus.NOT_STARTED})

    def test_an_old_version_cannot_be_saved_back_from_the_history_page(self):
        plan = Checkpoint.objects.get(project__number=8, kind="plan")
        first = plan.history.earliest()
        plan.status, plan.passed_on = CheckpointStatus.IN_PROGRESS, None
        plan.save()
        url = reverse("admin:projects_checkpoint_simple_history", args=[plan.pk, first.pk])
        response = self.admin.post(url, {"planned_date": "", "evidence": ""})
        self.assertEqual(response.status_code, 403)
        plan.refresh_from_db()
        self.assertEqual(plan.status, CheckpointStatus.IN_PROGRESS)
