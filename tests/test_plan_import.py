"""Importing a plan's projects from Excel (issue 11): the ledger's round trip into a new
plan and back into its own, the blank template, names the database lacks, and a preview
that no longer matches the plan. The other test_plan_import_* files reuse ImportCase."""

import io
import shutil
import tempfile
from datetime import date
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from projects.choices import CheckpointKind, Domain, IssuingLevel, ProjectTier
from projects.models import Checkpoint, PlanAdjustment, Project
from units.models import Official, Unit

from .base import PlanTestCase, db_state
from .factories import make_plan

REASON = "按领导小组第十四次会议要求调整"
TEXTS = ("title", "domain", "tier", "issuing_level", "problem", "content", "goals")


def sheet_bytes(workbook):
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def workbook_of(rows):
    """An .xlsx with ``rows`` from the first row on."""
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    return sheet_bytes(workbook)


def edit_cells(data, changes=None, *, add=()):
    """The workbook ``data`` changed as an office would in Excel: ``changes`` maps
    (序号, header) to a cell's new value; ``add`` holds new rows ({header: value})."""
    workbook = load_workbook(io.BytesIO(data))
    ws = workbook.active
    header_row = next(r for r in ws.iter_rows() if r[0].value in ("序号", "No."))
    columns = {cell.value: cell.column for cell in header_row}
    rows = {ws.cell(r, 1).value: r for r in range(header_row[0].row + 1, ws.max_row + 1)}
    for (number, header), value in (changes or {}).items():
        ws.cell(rows[number], columns[header], value)
    for values in add:
        line = ws.max_row + 1
        for header, value in values.items():
            ws.cell(line, columns[header], value)
    return sheet_bytes(workbook)


def project_values(project):
    """What the import carries over, as comparable values."""
    return {
        **{name: getattr(project, name) for name in TEXTS},
        "lead_official": project.lead_official_id,
        "lead_unit": project.lead_unit_id,
        "units": sorted(u.pk for u in project.participating_units.all()),
        "dates": [c.planned_date for c in project.checkpoints.order_by("kind")],
    }


class ImportCase(PlanTestCase):
    """The 2017 plan, Alice (the office) signed in, kept files in a folder of their own."""

    def setUp(self):
        super().setUp()
        self.kept = Path(tempfile.mkdtemp(prefix="import-kept-"))
        self.addCleanup(shutil.rmtree, self.kept, ignore_errors=True)
        folder = override_settings(PLAN_IMPORT_ROOT=str(self.kept))
        folder.enable()
        self.addCleanup(folder.disable)

    def ledger(self, year=2017):
        response = self.client.get(reverse("project_export", args=["xlsx"]), {"year": year})
        self.assertEqual(response.status_code, 200)
        return response.content

    def upload(self, year, data, name="改革台账.xlsx"):
        url = reverse("plan_import", args=[year])
        return self.client.post(url, {"file": SimpleUploadedFile(name, data)})

    def preview(self, year, data):
        """Upload ``data`` and open the preview it leads to."""
        response = self.upload(year, data)
        self.assertEqual(
            response.status_code,
            302,
            response.context
            and [str(e) for e in response.context.get("errors", [])]
            + [response.context.get("error")],
        )
        return self.client.get(response["Location"])

    def post_preview(self, page, action="apply", **fields):
        """Send the preview page's form: its fingerprint and ``fields``."""
        url = reverse(
            "plan_import_preview", args=[page.context["plan"].year, page.context["token"]]
        )
        data = {"action": action, "fingerprint": page.context["preview"].fingerprint, **fields}
        return self.client.post(url, data)

    def kept_files(self):
        return sorted(p.name for p in self.kept.iterdir()) if self.kept.exists() else []


class RoundTripTests(ImportCase):
    def test_the_2017_ledger_with_one_edit_makes_the_2018_draft_plan(self):
        plan = make_plan(2018, title="龙岗区2018年改革计划")
        Checkpoint.objects.filter(project__plan__year=2017, project__number=2, kind="plan").update(
            planned_date=date(2017, 6, 30)
        )
        data = edit_cells(self.ledger(), {(3, "改革目标"): "2018年的新目标"})
        page = self.preview(2018, data)
        self.assertContains(page, "导入预览")
        self.assertEqual(page.context["preview"].new.__len__(), 11)
        self.assertNotContains(page, "调整理由")  # a draft plan needs none
        response = self.post_preview(page)
        self.assertRedirects(response, plan.get_absolute_url(), fetch_redirect_response=False)
        shown = self.client.get(plan.get_absolute_url())
        self.assertContains(shown, "已导入：新增 11 个项目，修改 0 个，0 个无变化。")
        for old in Project.objects.filter(plan__year=2017):
            with self.subTest(number=old.number):
                new = Project.objects.get(plan=plan, number=old.number)
                self.assertContains(shown, old.title)
                expected = project_values(old) | (
                    {"goals": "2018年的新目标"} if old.number == 3 else {}
                )
                self.assertEqual(project_values(new), expected)
                self.assertEqual(new.checkpoints.count(), 3)
                self.assertEqual(new.history.get().history_change_reason, "新增项目")
        self.assertEqual(
            Checkpoint.objects.get(project__plan=plan, project__number=2, kind="plan").planned_date,
            date(2017, 6, 30),
        )
        self.assertFalse(PlanAdjustment.objects.filter(plan=plan).exists())
        self.assertEqual(self.kept_files(), [])  # the kept file is gone once confirmed

    def test_reimporting_into_2017_with_one_edited_cell_changes_that_project_only(self):
        before = {p.number: (project_values(p), p.version) for p in Project.objects.all()}
        data = edit_cells(self.ledger(), {(5, "改革目标"): "到2017年底培养技能人才一万名"})
        page = self.preview(2017, data)
        preview = page.context["preview"]
        self.assertEqual(
            (len(preview.new), len(preview.changed), len(preview.unchanged)), (0, 1, 10)
        )
        self.assertContains(page, "到2017年底培养技能人才一万名")
        self.assertContains(page, "调整理由")  # approved: the change needs a reason

        state = db_state()
        refused = self.post_preview(page)
        self.assertContains(refused, "须说明调整理由", status_code=400)
        self.assertEqual(db_state(), state)

        self.assertEqual(self.post_preview(page, reason=REASON).status_code, 302)
        for project in Project.objects.all():
            values, version = before[project.number]
            if project.number == 5:
                self.assertEqual(project.goals, "到2017年底培养技能人才一万名")
                self.assertEqual(project.version, version + 1)
                values["goals"] = project.goals
            else:
                self.assertEqual(project.version, version)
            self.assertEqual(project_values(project), values)
        adjustment = PlanAdjustment.objects.get()
        self.assertEqual((adjustment.project.number, adjustment.kind), (5, "changed"))
        self.assertEqual((adjustment.reason, adjustment.made_by), (REASON, self.alice))
        self.assertEqual(adjustment.changes[0]["field"], "改革目标")
        self.assertEqual(adjustment.changes[0]["after"], "到2017年底培养技能人才一万名")
        page = self.client.get(reverse("plan_detail", args=[2017]))
        self.assertContains(page, "到2017年底培养技能人才一万名")  # listed under 计划调整

    def test_an_unchanged_ledger_changes_nothing_in_either_language(self):
        for language in ("zh-hans", "en"):
            with self.subTest(language):
                self.client.post(reverse("set_language"), {"language": language, "next": "/"})
                page = self.preview(2017, self.ledger())
                preview = page.context["preview"]
                self.assertEqual((len(preview.changed), len(preview.unchanged)), (0, 11))
                self.assertFalse(preview.has_work)
                self.assertNotContains(page, 'value="apply"')

    def test_a_new_project_on_an_approved_plan_is_recorded_with_the_reason(self):
        data = edit_cells(
            self.ledger(), add=[{"序号": 12, "项目名称": "新增的改革项目", "领域": "民生事业"}]
        )
        page = self.preview(2017, data)
        self.assertContains(page, "新增的改革项目")
        self.assertEqual(self.post_preview(page, reason=REASON).status_code, 302)
        project = Project.objects.get(plan__year=2017, number=12)
        self.assertEqual((project.domain, project.tier), (Domain.LIVELIHOOD, ProjectTier.DISTRICT))
        adjustment = PlanAdjustment.objects.get()
        self.assertEqual(
            (adjustment.project, adjustment.kind, adjustment.reason), (project, "added", REASON)
        )

    def test_an_edit_saved_after_the_preview_is_not_overwritten(self):
        data = edit_cells(self.ledger(), {(5, "改革目标"): "导入的目标"})
        page = self.preview(2017, data)
        project = Project.objects.get(plan__year=2017, number=5)
        Project.objects.filter(pk=project.pk).update(
            goals="别人刚保存的目标", version=project.version + 1
        )
        response = self.post_preview(page, reason=REASON)
        self.assertContains(response, "预览之后计划已有变动", status_code=409)
        self.assertEqual(Project.objects.get(pk=project.pk).goals, "别人刚保存的目标")
        self.assertContains(response, "别人刚保存的目标", status_code=409)  # the new preview
        self.assertFalse(PlanAdjustment.objects.exists())


class TemplateTests(ImportCase):
    def template(self):
        response = self.client.get(reverse("plan_import_template", args=[2018]))
        self.assertEqual(response.status_code, 200)
        self.assertIn("2018_import_template.xlsx", response["Content-Disposition"])
        return load_workbook(io.BytesIO(response.content))

    def setUp(self):
        super().setUp()
        self.plan = make_plan(2018, title="龙岗区2018年改革计划")

    def test_the_guide_sheet_lists_columns_allowed_values_and_the_date_format(self):
        guide = "\n".join(
            str(cell.value) for row in self.template()["说明"].iter_rows() for cell in row
        )
        for text in (
            "序号",
            "改革目标",
            "2018-06-30",
            "、".join(str(label) for label in Domain.labels),
            "上级部署",
            "省",
        ):
            self.assertIn(str(text), guide)

    def test_the_blank_template_imports_after_filling_two_rows(self):
        workbook = self.template()
        sheet = workbook["导入项目"]
        headers = [cell.value for cell in sheet[1]]

        def row(**values):
            sheet.append([values.get(h) for h in headers])

        row(
            序号=1,
            项目名称="深化商事制度改革",
            领域="Economic development",
            牵头区领导="高自民",
            牵头单位="区发改局",
            参与单位="区教育局、平湖街道",
            方案关计划完成日期=date(2018, 3, 31),
            实施关计划完成日期="2018/9/30",
            改革目标="企业开办时间压缩至3个工作日",
        )
        row(
            序号=2,
            项目名称="落实省级部署的改革任务",
            领域="社会管理",
            项目类别="上级部署",
            部署层级="省",
        )
        page = self.preview(2018, sheet_bytes(workbook))
        self.assertEqual(len(page.context["preview"].new), 2)
        self.assertEqual(self.post_preview(page).status_code, 302)
        first, second = Project.objects.filter(plan=self.plan).order_by("number")
        self.assertEqual(first.domain, Domain.ECONOMY)
        self.assertEqual(first.lead_official, Official.objects.get(name="高自民"))
        self.assertEqual(first.lead_unit, self.fagai)
        self.assertEqual(
            {u.short_name for u in first.participating_units.all()}, {"区教育局", "平湖街道"}
        )
        dates = dict(first.checkpoints.values_list("kind", "planned_date"))
        self.assertEqual(
            dates,
            {
                CheckpointKind.PLAN: date(2018, 3, 31),
                CheckpointKind.IMPLEMENTATION: date(2018, 9, 30),
                CheckpointKind.OUTCOME: None,
            },
        )
        self.assertEqual(
            (second.tier, second.issuing_level), (ProjectTier.HIGHER, IssuingLevel.PROVINCE)
        )
        self.assertIsNone(second.lead_official)


class UnknownNameTests(ImportCase):
    def setUp(self):
        super().setUp()
        self.plan = make_plan(2018, title="龙岗区2018年改革计划")
        self.data = workbook_of(
            [
                ["序号", "项目名称", "领域", "牵头区领导", "牵头单位", "参与单位"],
                [1, "项目甲", "城市建设", "张三", "龙岗区新设单位", "区教育局"],
                [2, "项目乙", "城市建设", "张三", "待定", "龙岗区新设单位"],
            ]
        )

    def keys(self, page):
        return {n.name: n.key for n in page.context["preview"].names}

    def test_each_unknown_name_waits_for_a_choice_and_nothing_is_written_before(self):
        page = self.preview(2018, self.data)
        self.assertContains(page, "系统中没有的区领导和单位")
        self.assertEqual(set(self.keys(page)), {"张三", "龙岗区新设单位"})
        self.assertNotContains(page, 'value="apply"')
        state = db_state()
        response = self.post_preview(page)
        self.assertContains(response, "请为区领导「张三」选择", status_code=400)
        self.assertContains(response, "请为单位「龙岗区新设单位」选择", status_code=400)
        keys = self.keys(page)
        response = self.post_preview(page, **{keys["张三"]: "new", keys["龙岗区新设单位"]: "new"})
        self.assertContains(response, "新建区领导「张三」须填写职务", status_code=400)
        response = self.post_preview(
            page, **{keys["张三"]: "new", f"{keys['张三']}-position": "待定"}
        )
        self.assertContains(response, "新建区领导「张三」须填写职务", status_code=400)
        self.assertEqual(db_state(), state)

    def test_an_official_is_created_with_the_position_given_and_a_unit_matched(self):
        page = self.preview(2018, self.data)
        keys = self.keys(page)
        choices = {
            keys["张三"]: "new",
            f"{keys['张三']}-position": "副区长",
            keys["龙岗区新设单位"]: str(self.fagai.pk),
        }
        refreshed = self.post_preview(page, action="preview", **choices)
        self.assertContains(refreshed, "张三（副区长）")
        self.assertContains(refreshed, 'value="apply"')
        units = Unit.objects.count()
        self.assertEqual(self.post_preview(page, **choices).status_code, 302)
        zhang = Official.objects.get(name="张三")
        self.assertEqual(zhang.position, "副区长")
        first, second = Project.objects.filter(plan=self.plan).order_by("number")
        self.assertEqual((first.lead_official, second.lead_official), (zhang, zhang))
        self.assertEqual(first.lead_unit, self.fagai)
        self.assertIsNone(second.lead_unit)
        self.assertEqual(list(second.participating_units.all()), [self.fagai])
        self.assertEqual(Unit.objects.count(), units)

    def test_a_unit_may_be_created_by_its_full_name(self):
        page = self.preview(2018, self.data)
        keys = self.keys(page)
        choices = {
            keys["张三"]: str(Official.objects.get(name="戴斌").pk),
            keys["龙岗区新设单位"]: "new",
        }
        self.assertEqual(self.post_preview(page, **choices).status_code, 302)
        unit = Unit.objects.get(name="龙岗区新设单位")
        self.assertEqual(Project.objects.get(plan=self.plan, number=1).lead_unit, unit)
        self.assertEqual(Project.objects.get(plan=self.plan, number=1).lead_official.name, "戴斌")


class KeptFileTests(ImportCase):
    def test_cancelling_deletes_the_kept_file_and_its_preview(self):
        page = self.preview(2017, self.ledger())
        self.assertEqual(len(self.kept_files()), 1)
        self.assertRedirects(self.post_preview(page, action="cancel"), "/plans/2017/")
        self.assertEqual(self.kept_files(), [])
        url = reverse("plan_import_preview", args=[2017, page.context["token"]])
        self.assertContains(self.client.get(url), "请重新上传", status_code=404)

    def test_another_session_cannot_open_the_preview(self):
        page = self.preview(2017, self.ledger())
        url = reverse("plan_import_preview", args=[2017, page.context["token"]])
        self.client.logout()
        self.client.force_login(self.dave)  # may manage plans, but it is not his upload
        self.assertEqual(self.client.get(url).status_code, 404)
        self.assertEqual(self.client.post(url, {"action": "apply"}).status_code, 404)

    def test_a_kept_file_changed_on_disk_is_refused(self):
        page = self.preview(2017, self.ledger())
        (kept,) = self.kept.iterdir()
        kept.write_bytes(edit_cells(self.ledger(), {(5, "改革目标"): "磁盘上被改的目标"}))
        response = self.post_preview(page, reason=REASON)
        self.assertEqual(response.status_code, 404)
        self.assertFalse(Project.objects.filter(goals="磁盘上被改的目标").exists())
