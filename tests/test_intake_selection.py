"""Selection into the plan (入选, 转为单位自主项目), the office's handling of public
suggestions, and the funnel on the plan page, 2017's recorded totals included."""

import re

from django.urls import reverse

from intake.choices import Disposition, ProposalStatus, PublicStatus
from intake.models import Suggestion
from projects.choices import AdjustmentKind, PlanStatus, ProjectTier
from projects.models import PlanAdjustment, Project, ReformPlan

from .factories import make_project
from .test_intake_base import PROPOSAL, IntakeTestCase


def select_url(proposal, action="select"):
    return reverse("intake:proposal_select", args=[proposal.pk, action])


class SelectionTests(IntakeTestCase):
    def selected(self):
        proposal = self.in_review(suggested_leader=self.dai)
        proposal.participating_units.add(self.zhengwu)
        self.finish(proposal, self.xena)
        return proposal

    def test_selected_the_proposal_becomes_a_project_of_the_draft_plan_with_its_texts(self):
        proposal = self.selected()
        page = self.client.get(select_url(proposal))
        self.assertEqual(page.context["form"]["number"].value(), 1)
        data = {"version": proposal.version, "number": "1", "title": proposal.title}
        response = self.client.post(select_url(proposal), data)
        project = Project.objects.get(plan=self.plan)
        self.assertRedirects(response, project.get_absolute_url())
        self.assertEqual(
            (project.problem, project.content, project.innovation, project.goals),
            (
                PROPOSAL["background"],
                PROPOSAL["content"],
                PROPOSAL["highlights"],
                PROPOSAL["outcomes"],
            ),
        )
        self.assertEqual((project.lead_official, project.lead_unit), (self.dai, self.fagai))
        self.assertEqual(list(project.participating_units.all()), [self.zhengwu])
        self.assertEqual((project.tier, project.domain), (ProjectTier.DISTRICT, "government"))
        self.assertEqual(project.checkpoints.count(), 3)
        proposal.refresh_from_db()
        self.assertEqual((proposal.status, proposal.project), (ProposalStatus.SELECTED, project))
        # the project page links back; the draft plan records no adjustment
        page = self.client.get(project.get_absolute_url())
        self.assertContains(page, f'href="{proposal.get_absolute_url()}"')
        self.assertContains(page, "区发改局提出的项目建议「推行政府投资项目并联审批」")
        self.assertFalse(PlanAdjustment.objects.exists())

    def test_selection_needs_a_finished_review_and_then_nothing_is_created(self):
        proposal = self.in_review()
        data = {"version": proposal.version, "number": "1", "title": proposal.title}
        response = self.client.post(select_url(proposal), data)
        self.assertContains(response, "入选须至少有一位评审专家完成评审。", status_code=400)
        self.assertFalse(Project.objects.filter(plan=self.plan).exists())
        proposal.refresh_from_db()
        self.assertEqual(proposal.status, ProposalStatus.IN_REVIEW)

    def test_a_number_the_plan_already_has_is_refused(self):
        make_project(self.plan, 1, "已有项目")
        proposal = self.selected()
        data = {"version": proposal.version, "number": "1", "title": proposal.title}
        response = self.client.post(select_url(proposal), data)
        self.assertContains(response, "该序号已被计划中的其他项目占用", status_code=400)
        self.assertEqual(self.plan.projects.count(), 1)

    def test_an_approved_plan_takes_it_only_with_a_reason_listed_as_an_adjustment(self):
        self.plan.status = PlanStatus.APPROVED
        self.plan.save()
        proposal = self.selected()
        data = {"version": proposal.version, "number": "1", "title": proposal.title}
        response = self.client.post(select_url(proposal), data)
        self.assertContains(response, "新增项目须说明调整理由", status_code=400)
        self.assertFalse(self.plan.projects.exists())
        self.client.post(select_url(proposal), {**data, "reason": "领导小组会议同意增补"})
        adjustment = PlanAdjustment.objects.get()
        self.assertEqual(
            (adjustment.kind, adjustment.reason), (AdjustmentKind.ADDED, "领导小组会议同意增补")
        )

    def test_a_closed_plan_takes_nothing(self):
        proposal = self.selected()
        ReformPlan.objects.filter(pk=self.plan.pk).update(status=PlanStatus.CLOSED)
        data = {"version": proposal.version, "number": "1", "title": proposal.title}
        self.assertEqual(self.client.post(select_url(proposal), data).status_code, 403)
        self.assertFalse(self.plan.projects.exists())

    def test_made_a_units_own_project_without_expert_review(self):
        proposal = self.proposal(status=ProposalStatus.SUBMITTED)
        data = {"version": proposal.version, "number": "4", "title": "并联审批（单位自主）"}
        self.client.post(select_url(proposal, "to_unit"), data)
        project = Project.objects.get(plan=self.plan)
        self.assertEqual((project.number, project.tier), (4, ProjectTier.UNIT))
        proposal.refresh_from_db()
        self.assertEqual(proposal.status, ProposalStatus.UNIT_OWN)

    def test_only_the_moves_that_make_a_project_have_a_selection_page(self):
        proposal = self.selected()
        self.assertEqual(self.client.get(select_url(proposal, "reject")).status_code, 404)
        self.assertEqual(self.client.get(select_url(proposal, "x" * 60)).status_code, 404)


class ModerationTests(IntakeTestCase):
    def suggestion(self, **fields):
        defaults = {"receipt": "ABCDEFGHJKMN", "topic": "停车难", "text": "小区停车位不足"}
        return Suggestion.objects.create(**{**defaults, "call": self.call, **fields})

    def moderate(self, suggestion, **data):
        url = reverse("intake:suggestion_detail", args=[suggestion.pk])
        form = {"version": suggestion.version, "call": self.call.pk, "domain": "urban"}
        return self.client.post(url, {**form, "disposition": "valid", **data})

    def public(self, suggestion):
        return self.client_for(None).get(reverse("suggest_status", args=[suggestion.receipt]))

    def test_linked_and_replied_the_sender_follows_it_into_the_plan(self):
        suggestion = self.suggestion()
        proposal = self.in_review()
        self.finish(proposal, self.xena)
        self.moderate(suggestion, proposals=[proposal.pk], public_reply="已转区发改局研究")
        suggestion.refresh_from_db()
        self.assertEqual(list(suggestion.proposals.all()), [proposal])
        self.assertIsNotNone(suggestion.replied_at)
        page = self.public(suggestion)
        self.assertContains(page, "已转入改革项目征集")
        self.assertContains(page, "已转区发改局研究")
        self.assertNotContains(page, "停车难")  # only the status and the reply
        self.assertNotContains(page, "小区停车位不足")
        self.client.post(
            select_url(proposal), {"version": proposal.version, "number": 1, "title": "并联审批"}
        )
        self.assertContains(self.public(suggestion), "已纳入年度改革项目")
        # and the proposal's page lists it
        self.assertContains(self.client.get(proposal.get_absolute_url()), "小区停车位不足")

    def test_a_duplicate_names_the_original_by_receipt_and_spam_is_closed(self):
        original = self.suggestion()
        copy = self.suggestion(receipt="ZZZZ2345ZZZZ", topic="停车难（重复）")
        response = self.moderate(copy, disposition="duplicate", duplicate_receipt="")
        self.assertContains(response, "请填写与之重复的另一条建议的回执号", status_code=400)
        self.moderate(copy, disposition="duplicate", duplicate_receipt="abcd-efgh-jkmn")
        copy.refresh_from_db()
        self.assertEqual((copy.disposition, copy.duplicate_of), (Disposition.DUPLICATE, original))
        self.assertContains(self.public(copy), "与其他建议重复")
        self.moderate(original, disposition="spam")
        self.assertContains(self.public(original), str(PublicStatus.CLOSED.label))
        listed = self.client.get(reverse("intake:suggestion_list"), {"show": "spam"})
        self.assertEqual([s.pk for s in listed.context["page"].object_list], [original.pk])

    def test_the_office_sees_name_and_contact_escaped(self):
        suggestion = self.suggestion(name="<b>张三</b>", contact="13800138000")
        page = self.client.get(suggestion.get_absolute_url())
        self.assertContains(page, "&lt;b&gt;张三&lt;/b&gt;")
        self.assertContains(page, "13800138000")


class FunnelTests(IntakeTestCase):
    def test_the_2017_plan_shows_108_115_and_11_as_totals_from_the_source(self):
        page = self.client.get(reverse("plan_detail", args=[2017]))
        funnel = page.content.decode().split('<section class="funnel"')[1].split("</section>")[0]
        counts = re.findall(r'class="funnel-count">(\d+)<', funnel)
        self.assertEqual(counts, ["108", "11", "115"])
        self.assertIn("资料记载的总数", funnel)
        self.assertIn("不是逐条登记", funnel)
        self.assertIn("向区直单位、街道、驻区单位共征集改革项目108个", funnel)
        self.assertNotIn("收到项目建议", funnel)  # no items were recorded for 2017

    def test_a_plan_with_a_call_counts_its_items(self):
        proposals = [self.in_review(title=f"建议{n}") for n in range(3)]
        self.proposal(title="草稿不计")
        self.finish(proposals[0], self.xena)
        self.finish(proposals[1], self.xena)
        chosen = proposals[0]
        self.client.post(
            select_url(chosen), {"version": chosen.version, "number": 1, "title": "入选的"}
        )
        linked = Suggestion.objects.create(
            receipt="2345678ABCDE", topic="a", text="b", call=self.call
        )
        linked.proposals.add(chosen)
        Suggestion.objects.create(receipt="3456789ABCDE", topic="c", text="d", call=self.call)
        Suggestion.objects.create(
            receipt="456789ABCDEF", topic="e", text="f", call=self.call, disposition="spam"
        )
        page = self.client.get(reverse("plan_detail", args=[2018]))
        funnel = page.content.decode().split('<section class="funnel"')[1].split("</section>")[0]
        self.assertEqual(
            re.findall(r'class="funnel-count">(\d+)<', funnel), ["3", "2", "1", "2", "1"]
        )
        self.assertNotIn("资料记载的总数", funnel)

    def test_a_plan_without_intake_shows_no_funnel(self):
        ReformPlan.objects.create(year=2019, title="龙岗区2019年改革计划")
        page = self.client.get(reverse("plan_detail", args=[2019]))
        self.assertNotContains(page, 'class="funnel"')
