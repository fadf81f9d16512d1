"""Plan files hold only the plan's own rows, load in bulk, and keep a first history row
(issue 9, items 3 and 8)."""

import json
import shutil
import tempfile
from pathlib import Path
from unittest import mock

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from projects.choices import CheckpointStatus
from projects.models import Checkpoint, Project, ReformPlan
from projects.planfiles import load_plan_fixture
from units.models import Official, Unit, User

from .base import PlanTestCase

UNITS = [
    # a unit may name a parent that comes later in the file
    {"model": "units.unit", "fields": {"name": "测试区发改局", "parent": ["测试区政府"]}},
    {"model": "units.unit", "fields": {"name": "测试区政府", "kind": "government"}},
    {"model": "units.unit", "fields": {"name": "测试街道", "kind": "subdistrict"}},
]
OFFICIALS = [{"model": "units.official", "fields": {"name": "测试领导", "position": "副区长"}}]


def plan_records(year=2099, count=3):
    projects = [
        {
            "model": "projects.project",
            "fields": {
                "plan": [year],
                "number": n,
                "title": f"测试项目{n}",
                "domain": "economy",
                "lead_official": ["测试领导", "副区长"],
                "lead_unit": ["测试区发改局"],
                "participating_units": [["测试街道"]],
            },
        }
        for n in range(1, count + 1)
    ]
    plan = {"model": "projects.reformplan", "fields": {"year": year, "title": f"测试计划{year}"}}
    return [*UNITS, *OFFICIALS, plan, *projects]


class PlanFileCase(PlanTestCase):
    def setUp(self):
        super().setUp()
        self.folder = Path(tempfile.mkdtemp(prefix="plan-files-"))
        self.addCleanup(shutil.rmtree, self.folder, ignore_errors=True)
        settings = override_settings(FIXTURE_DIRS=[self.folder])
        settings.enable()
        self.addCleanup(settings.disable)

    def write(self, name, records):
        (self.folder / f"{name}.json").write_text(json.dumps(records, ensure_ascii=False))
        return name


class ForeignRecordTests(PlanFileCase):
    """Anything but the plan's own models refuses the whole file, naming the record."""

    FOREIGN = {
        "units.user": {
            "username": "intruder",
            "password": "x",
            "is_superuser": True,
            "is_staff": True,
        },
        "auth.group": {"name": "新建的组"},
        "auth.permission": {"name": "x", "codename": "x", "content_type": ["projects", "project"]},
        "contenttypes.contenttype": {"app_label": "x", "model": "y"},
        "sessions.session": {"session_data": "x", "expire_date": "2099-01-01T00:00:00Z"},
        "admin.logentry": {"action_flag": 1, "change_message": "x"},
        "projects.historicalproject": {"title": "x"},
        "projects.checkpoint": {"kind": "plan", "status": "passed"},
        "axes.accessattempt": {"username": "x"},
    }

    def test_each_foreign_model_refuses_the_file_and_changes_nothing(self):
        for model, fields in self.FOREIGN.items():
            with self.subTest(model):
                records = plan_records()
                records.insert(2, {"model": model, "fields": fields})
                name = self.write("plan_2099", records)
                users, groups = User.objects.count(), Group.objects.count()
                with self.assertRaises(ValidationError) as caught:
                    load_plan_fixture(name)
                message = " ".join(caught.exception.messages)
                self.assertIn("第 3 条记录", message)
                self.assertIn(model, message)
                self.assertFalse(ReformPlan.objects.filter(year=2099).exists())
                self.assertFalse(Unit.objects.filter(name="测试区发改局").exists())
                self.assertEqual((User.objects.count(), Group.objects.count()), (users, groups))
        self.assertFalse(User.objects.filter(username="intruder").exists())

    def test_the_administrator_page_refuses_a_file_with_a_superuser(self):
        records = [
            *plan_records(),
            {
                "model": "units.user",
                "fields": {
                    "username": "intruder",
                    "password": "x",
                    "is_superuser": True,
                    "groups": [["管理员"]],
                },
            },
        ]
        self.write("plan_2099", records)
        self.client.force_login(self.dave)
        with mock.patch("projects.views.plans.plan_fixtures", return_value=["plan_2099"]):
            response = self.client.post(reverse("load_plan"), {"fixture": "plan_2099"})
        self.assertContains(response, "units.user", status_code=400)
        self.assertContains(response, "数据库未作任何改动", status_code=400)
        self.assertFalse(User.objects.filter(username="intruder").exists())
        self.assertFalse(ReformPlan.objects.filter(year=2099).exists())


class BulkLoadingTests(PlanFileCase):
    def test_a_new_plan_loads_with_checkpoints_units_and_a_first_history_row(self):
        load_plan_fixture(self.write("plan_2099", plan_records()))
        projects = Project.objects.filter(plan__year=2099)
        self.assertEqual(projects.count(), 3)
        government = Unit.objects.get(name="测试区政府")
        self.assertEqual(Unit.objects.get(name="测试区发改局").parent, government)
        project = projects.get(number=2)
        self.assertEqual(project.lead_official, Official.objects.get(name="测试领导"))
        self.assertEqual([u.name for u in project.participating_units.all()], ["测试街道"])
        statuses = set(Checkpoint.objects.filter(project__plan__year=2099).values_list("status"))
        self.assertEqual(statuses, {(CheckpointStatus.NOT_STARTED,)})
        self.assertEqual(Checkpoint.objects.filter(project__plan__year=2099).count(), 9)
        first = project.history.get()
        self.assertEqual((first.history_type, first.history_change_reason), ("+", "载入计划"))
        page = self.client.get(project.get_absolute_url())
        self.assertContains(page, "载入计划")

    def test_loading_twice_adds_nothing_and_keeps_edits(self):
        name = self.write("plan_2099", plan_records())
        load_plan_fixture(name)
        Project.objects.filter(plan__year=2099, number=1).update(title="改过的名称")
        load_plan_fixture(name)
        self.assertEqual(Project.objects.filter(plan__year=2099).count(), 3)
        self.assertEqual(Project.objects.get(plan__year=2099, number=1).title, "改过的名称")
        self.assertEqual(Checkpoint.objects.filter(project__plan__year=2099).count(), 9)

    def test_an_edit_of_a_loaded_project_merges_against_its_first_version(self):
        load_plan_fixture(self.write("plan_2099", plan_records()))
        url = reverse("project_edit", args=[2099, 1])
        form = self.client.get(url).context["form"]
        data = {k: ("" if v is None else v) for k, v in form.initial.items()}
        data["participating_units"] = [u.pk for u in form.instance.participating_units.all()]
        self.assertEqual(self.client.post(url, {**data, "goals": "甲的目标"}).status_code, 302)
        merged = self.client.post(url, {**data, "content": "乙的内容"})
        self.assertEqual(merged.status_code, 302)
        project = Project.objects.get(plan__year=2099, number=1)
        self.assertEqual((project.goals, project.content), ("甲的目标", "乙的内容"))

    def test_queries_do_not_grow_with_the_number_of_projects(self):
        load_plan_fixture(self.write("plan_2097", plan_records(2097, 1)))  # units, officials
        counts = []
        for year, size in ((2098, 10), (2099, 300)):  # both within one batch of 1,000 rows
            name = self.write(f"plan_{year}", plan_records(year, size))
            with CaptureQueriesContext(connection) as queries:
                load_plan_fixture(name)
            counts.append(len(queries))
        self.assertEqual(Project.objects.filter(plan__year=2099).count(), 300)
        self.assertEqual(counts[0], counts[1], counts)

    def test_a_file_too_big_for_the_browser_is_refused_up_front_naming_the_command(self):
        self.write("plan_2099", plan_records(count=4))
        self.client.force_login(self.dave)
        with (
            mock.patch("projects.views.plans.BROWSER_LIMIT", 3),
            mock.patch("projects.views.plans.plan_fixtures", return_value=["plan_2099"]),
        ):
            response = self.client.post(reverse("load_plan"), {"fixture": "plan_2099"})
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "python manage.py load_plan plan_2099", status_code=400)
        self.assertFalse(ReformPlan.objects.filter(year=2099).exists())
