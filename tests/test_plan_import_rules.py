"""What an import changes and what it leaves: columns the file lacks, the ledger's guard
against formulas, withdrawn projects, and a name two officials share."""

from projects.choices import ProjectStanding
from projects.models import Project
from units.models import Official

from .test_plan_import import REASON, ImportCase, edit_cells, workbook_of


class ImportRuleTests(ImportCase):
    def test_columns_the_file_lacks_are_left_as_they_are(self):
        before = Project.objects.get(plan__year=2017, number=2)
        page = self.preview(2017, workbook_of([["序号", "项目名称"], [2, "固定资产投资项目管理"]]))
        (outcome,) = page.context["preview"].changed
        self.assertEqual([c.label for c in outcome.changes], ["项目名称"])
        self.assertEqual(self.post_preview(page, reason=REASON).status_code, 302)
        after = Project.objects.get(pk=before.pk)
        self.assertEqual(after.title, "固定资产投资项目管理")
        for name in ("domain", "goals", "content", "problem", "lead_official", "lead_unit"):
            self.assertEqual(getattr(after, name), getattr(before, name), name)
        self.assertEqual(Project.objects.filter(plan__year=2017).count(), 11)

    def test_an_emptied_text_cell_empties_the_text(self):
        page = self.preview(
            2017,
            workbook_of(
                [["序号", "项目名称", "拟解决的问题"], [4, "优化社区股份合作公司监管服务", None]]
            ),
        )
        self.assertEqual(self.post_preview(page).status_code, 302)  # 拟解决的问题 is not watched
        self.assertEqual(Project.objects.get(plan__year=2017, number=4).problem, "")

    def test_text_the_ledger_guarded_against_formulas_comes_back_as_it_was(self):
        Project.objects.filter(plan__year=2017, number=5).update(goals="=1+1 开头的目标")
        page = self.preview(2017, self.ledger())
        self.assertEqual(len(page.context["preview"].unchanged), 11)
        data = edit_cells(self.ledger(), {(6, "改革目标"): "'+86 开头的目标"})
        page = self.preview(2017, data)
        (outcome,) = page.context["preview"].changed
        self.assertEqual(outcome.fields["goals"], "+86 开头的目标")

    def test_a_withdrawn_project_cannot_be_changed_but_may_appear_unchanged(self):
        Project.objects.filter(plan__year=2017, number=3).update(
            standing=ProjectStanding.WITHDRAWN, withdrawn_reason="并入其他项目"
        )
        title = Project.objects.get(plan__year=2017, number=3).title
        response = self.upload(2017, workbook_of([["序号", "项目名称"], [3, "改过的名称"]]))
        self.assertContains(response, "序号 3 的项目已撤销，不能通过导入修改", status_code=400)
        page = self.preview(2017, workbook_of([["序号", "项目名称"], [3, title]]))
        self.assertEqual(len(page.context["preview"].unchanged), 1)

    def test_a_name_two_officials_share_keeps_the_projects_own_and_asks_for_others(self):
        Official.objects.create(name="高自民", position="区长")
        secretary = Official.objects.get(name="高自民", position="区委书记")
        rows = [
            ["序号", "项目名称", "牵头区领导"],
            [1, Project.objects.get(number=1).title, "高自民"],
        ]
        rows.append([4, Project.objects.get(number=4).title, "高自民"])
        page = self.preview(2017, workbook_of(rows))
        preview = page.context["preview"]
        self.assertEqual([o.number for o in preview.unchanged], [1])  # still its secretary
        (name,) = preview.names
        self.assertEqual((name.name, len(name.candidates)), ("高自民", 2))
        self.assertContains(page, "系统中有 2 个同名者，请选择")
        response = self.post_preview(page, reason=REASON, **{name.key: str(secretary.pk)})
        self.assertEqual(response.status_code, 302)
        self.assertEqual(Project.objects.get(plan__year=2017, number=4).lead_official, secretary)
