"""From proposals to the plan (issue 12): drafts and the moves of a proposal, experts and
their scores, field research, selection into the plan with its texts carried over, the
office's handling of public suggestions, and the plan page's funnel."""

from datetime import timedelta

from django.urls import reverse

from intake.choices import ProposalStatus
from intake.models import MOVES, FieldVisit, Proposal, Review, Suggestion
from projects.models import Project

from .factories import TODAY, make_project
from .test_intake_base import IntakeTestCase, proposal_form, review_form


def move(proposal, action, **data):
    return reverse("intake:proposal_move", args=[proposal.pk]), {
        "action": action,
        "version": proposal.version,
        **data,
    }


class DraftTests(IntakeTestCase):
    def test_a_liaison_saves_a_draft_for_their_own_unit_whatever_the_form_says(self):
        client = self.client_for(self.bob)
        data = proposal_form(unit=self.jiaoyu.pk, participating_units=[self.zhengwu.pk])
        response = client.post(reverse("intake:proposal_new", args=[2018]), data)
        proposal = Proposal.objects.get()
        self.assertRedirects(response, proposal.get_absolute_url())
        self.assertEqual((proposal.unit, proposal.status), (self.fagai, ProposalStatus.DRAFT))
        self.assertEqual(list(proposal.participating_units.all()), [self.zhengwu])
        self.assertIsNone(proposal.submitted_at)

    def test_a_half_written_draft_is_kept_but_cannot_be_submitted(self):
        client = self.client_for(self.bob)
        data = proposal_form(domain="", background="", outcomes="")
        client.post(reverse("intake:proposal_new", args=[2018]), data)
        proposal = Proposal.objects.get()
        url, data = move(proposal, "submit")
        response = client.post(url, data)
        self.assertContains(response, "提交前请填写：领域、立项背景、预计成效。", status_code=400)
        proposal.refresh_from_db()
        self.assertEqual(proposal.status, ProposalStatus.DRAFT)

    def test_submitted_the_proposal_is_locked_for_the_unit(self):
        proposal = self.proposal()
        client = self.client_for(self.bob)
        url, data = move(proposal, "submit")
        self.assertRedirects(client.post(url, data), proposal.get_absolute_url())
        proposal.refresh_from_db()
        self.assertEqual(proposal.status, ProposalStatus.SUBMITTED)
        self.assertIsNotNone(proposal.submitted_at)
        edit = reverse("intake:proposal_edit", args=[proposal.pk])
        page = client.get(edit)
        self.assertContains(page, "须经区委改革办退回后才能修改", status_code=403)
        client.post(edit, proposal_form(title="偷偷改名", version=proposal.version))
        proposal.refresh_from_db()
        self.assertEqual(proposal.title, "推行政府投资项目并联审批")
        self.assertNotContains(client.get(proposal.get_absolute_url()), "修改草稿")

    def test_returned_with_a_note_the_unit_edits_and_resubmits_even_after_the_call_closed(self):
        proposal = self.proposal(status=ProposalStatus.SUBMITTED)
        url, data = move(proposal, "return")
        response = self.client.post(url, data)
        self.assertContains(response, "退回修改须写明需要修改的内容。", status_code=400)
        self.client.post(url, {**data, "note": "请补充投资规模"})
        proposal.refresh_from_db()
        self.assertEqual(proposal.status, ProposalStatus.DRAFT)
        self.call.closes_on = TODAY - timedelta(days=1)
        self.call.save()
        bob = self.client_for(self.bob)
        page = bob.get(proposal.get_absolute_url())
        self.assertContains(page, "请补充投资规模")
        edit = reverse("intake:proposal_edit", args=[proposal.pk])
        data = proposal_form(content="并联审批，总投资约20亿元", version=proposal.version)
        self.assertRedirects(bob.post(edit, data), proposal.get_absolute_url())
        proposal.refresh_from_db()
        url, data = move(proposal, "submit")
        bob.post(url, data)
        proposal.refresh_from_db()
        self.assertEqual(
            (proposal.status, proposal.content),
            (ProposalStatus.SUBMITTED, "并联审批，总投资约20亿元"),
        )

    def test_a_first_submission_after_the_call_closed_is_refused(self):
        self.call.closes_on = TODAY - timedelta(days=1)
        self.call.save()
        proposal = self.proposal()
        url, data = move(proposal, "submit")
        response = self.client_for(self.bob).post(url, data)
        self.assertContains(response, "现不在征集期内，不能提交", status_code=400)
        proposal.refresh_from_db()
        self.assertEqual(proposal.status, ProposalStatus.DRAFT)

    def test_a_liaison_whose_unit_the_call_does_not_reach_is_refused(self):
        self.call.units.remove(self.jiaoyu)
        response = self.client_for(self.erin).get(reverse("intake:proposal_new", args=[2018]))
        self.assertContains(response, "本次征集不面向您所在的单位", status_code=403)

    def test_a_stale_move_is_refused(self):
        proposal = self.proposal(status=ProposalStatus.SUBMITTED)
        url, data = move(proposal, "reject", note="不符合方向")
        response = self.client.post(url, {**data, "version": proposal.version + 5})
        self.assertEqual(response.status_code, 409)
        proposal.refresh_from_db()
        self.assertEqual(proposal.status, ProposalStatus.SUBMITTED)


# Who may make each move from each status: written here again, apart from MOVES.
# (status, action) -> "unit" (the proposing unit's liaison and the office) or "office".
EXPECTED = {
    ("draft", "submit"): "unit",
    ("submitted", "return"): "office",
    ("in_review", "return"): "office",
    ("submitted", "reject"): "office",
    ("in_review", "reject"): "office",
    ("submitted", "merge"): "office",
    ("in_review", "merge"): "office",
    ("submitted", "to_unit"): "office",
    ("in_review", "to_unit"): "office",
    ("in_review", "select"): "office",
}


class MoveTableTests(IntakeTestCase):
    def test_the_buttons_each_person_sees_match_the_expected_matrix(self):
        people = {"bob": self.bob, "erin": self.erin, "alice": self.alice}
        people |= {"charlie": self.charlie, "xena": self.xena}
        other = self.proposal(status=ProposalStatus.SUBMITTED, title="另一项")
        for number, status in enumerate(ProposalStatus.values, start=1):
            needs = {}
            if status == ProposalStatus.MERGED:
                needs = {"merged_into": other}
            elif status == ProposalStatus.REJECTED:
                needs = {"decision_note": "不符合方向"}
            elif status in (ProposalStatus.SELECTED, ProposalStatus.UNIT_OWN):
                needs = {"project": make_project(self.plan, number)}
            proposal = self.proposal(status=status, title=f"建议{status}", **needs)
            for who, user in people.items():
                offered = {m.action for m in proposal.available_moves(user)}
                expected = {
                    action
                    for (source, action), actor in EXPECTED.items()
                    if source == status and (who == "alice" or (actor == "unit" and who == "bob"))
                }
                with self.subTest(status=status, who=who):
                    self.assertEqual(offered, expected)

    def test_every_move_but_the_automatic_one_is_expected(self):
        table = {(s, m.action) for m in MOVES.values() if not m.automatic for s in m.sources}
        self.assertEqual(table, set(EXPECTED))

    def test_a_move_from_the_wrong_status_is_refused_in_words(self):
        proposal = self.proposal()
        url, data = move(proposal, "reject", note="不符合")
        response = self.client.post(url, data)
        self.assertContains(response, "当前状态为「草稿」，不能执行“未入选”。", status_code=400)

    def test_an_unknown_action_is_a_400_not_a_500(self):
        proposal = self.proposal(status=ProposalStatus.SUBMITTED)
        for action in ("review", "fly", "select", ""):
            url, data = move(proposal, action)
            with self.subTest(action=action):
                self.assertEqual(self.client.post(url, data).status_code, 400)
        proposal.refresh_from_db()
        self.assertEqual(proposal.status, ProposalStatus.SUBMITTED)


class DecisionTests(IntakeTestCase):
    def test_not_selected_needs_a_reason_which_the_unit_reads(self):
        proposal = self.in_review()
        url, data = move(proposal, "reject")
        self.assertContains(self.client.post(url, data), "未入选须说明理由", status_code=400)
        self.client.post(url, {**data, "note": "与市级改革任务重复"})
        proposal.refresh_from_db()
        self.assertEqual(proposal.status, ProposalStatus.REJECTED)
        page = self.client_for(self.bob).get(proposal.get_absolute_url())
        self.assertContains(page, "与市级改革任务重复")
        self.assertContains(page, "未入选")

    def test_merge_names_another_proposal_of_the_same_call(self):
        keep = self.proposal(unit=self.jiaoyu, status=ProposalStatus.SUBMITTED, title="保留的")
        merged = self.proposal(status=ProposalStatus.SUBMITTED, title="并入的")
        url, data = move(merged, "merge")
        self.assertContains(
            self.client.post(url, data), "请选择要合并到的项目建议", status_code=400
        )
        self.client.post(url, {**data, "target": keep.pk, "note": "内容相近"})
        merged.refresh_from_db()
        self.assertEqual((merged.status, merged.merged_into), (ProposalStatus.MERGED, keep))
        self.assertContains(self.client.get(keep.get_absolute_url()), "并入的")
        # a merged proposal is no target
        third = self.proposal(status=ProposalStatus.SUBMITTED, title="第三项")
        url, data = move(third, "merge", target=merged.pk)
        self.assertEqual(self.client.post(url, data).status_code, 400)

    def test_experts_assigned_the_proposal_goes_to_review_with_the_move_recorded(self):
        proposal = self.proposal(status=ProposalStatus.SUBMITTED)
        url = reverse("intake:proposal_experts", args=[proposal.pk])
        data = {"version": proposal.version, "experts": [self.xena.pk, self.yuri.pk]}
        self.assertRedirects(self.client.post(url, data), proposal.get_absolute_url())
        proposal.refresh_from_db()
        self.assertEqual(proposal.status, ProposalStatus.IN_REVIEW)
        self.assertEqual(
            set(proposal.reviews.values_list("expert__username", flat=True)), {"xena", "yuri"}
        )
        self.assertContains(self.client.get(proposal.get_absolute_url()), "送专家评审")

    def test_an_expert_who_finished_cannot_be_removed_and_a_non_expert_cannot_be_added(self):
        proposal = self.in_review(self.xena, self.yuri)
        self.finish(proposal, self.xena)
        url = reverse("intake:proposal_experts", args=[proposal.pk])
        response = self.client.post(url, {"version": proposal.version, "experts": [self.yuri.pk]})
        self.assertContains(response, "已完成评审的专家不能取消", status_code=400)
        response = self.client.post(url, {"version": proposal.version, "experts": [self.bob.pk]})
        self.assertContains(response, "请选择评审专家", status_code=400)
        self.assertEqual(proposal.reviews.count(), 2)


class ReviewTests(IntakeTestCase):
    def test_an_expert_scores_and_the_office_sees_average_spread_and_who_is_left(self):
        proposal = self.in_review(self.xena, self.yuri)
        url = reverse("intake:proposal_review", args=[proposal.pk])
        response = self.client_for(self.xena).post(url, review_form())
        self.assertRedirects(response, reverse("intake:review_list"))
        review = Review.objects.get(expert=self.xena)
        self.assertEqual((review.total, review.recommendation), (16, "select"))
        page = self.client.get(proposal.get_absolute_url())
        self.assertContains(page, "已完成 1 / 2 位专家")
        self.assertContains(page, "未完成：yuri")
        self.client_for(self.yuri).post(url, review_form(score_pilot=2, recommendation="revise"))
        page = self.client.get(proposal.get_absolute_url())
        self.assertContains(page, "已完成 2 / 2 位专家")
        self.assertContains(page, "<strong>15.0 / 20</strong>", html=False)
        self.assertEqual(page.context["sheet"].total.spread, 2)

    def test_bad_scores_are_refused_in_words_and_nothing_is_saved(self):
        proposal = self.in_review()
        url = reverse("intake:proposal_review", args=[proposal.pk])
        client = self.client_for(self.xena)
        for data, message in (
            (review_form(score_focus="6"), "评分须为1至5分。"),
            (review_form(score_need="0"), "评分须为1至5分。"),
            (review_form(score_pilot="x"), "评分须为1至5分。"),
            (review_form(score_replicable=""), "请为“可复制推广”评分。"),
            (review_form(recommendation="maybe"), "评审建议无效。"),
            (review_form(comment="长" * 2001), "2000"),
        ):
            with self.subTest(data=data):
                self.assertContains(client.post(url, data), message, status_code=400)
        self.assertFalse(Review.objects.get(expert=self.xena).is_finished)

    def test_the_unit_sees_the_status_but_not_the_experts_scores(self):
        proposal = self.in_review()
        self.finish(proposal, self.xena)
        page = self.client_for(self.bob).get(proposal.get_absolute_url())
        self.assertContains(page, "专家评审中")
        self.assertNotContains(page, "xena")
        self.assertNotContains(page, "评分汇总")


class FieldVisitTests(IntakeTestCase):
    def test_the_office_records_field_research_and_a_future_date_is_refused(self):
        proposal = self.in_review()
        url = reverse("intake:proposal_visit", args=[proposal.pk])
        visit = {
            "visited_on": TODAY.isoformat(),
            "place": "区政务服务中心",
            "people": "改革办、专家",
        }
        response = self.client.post(url, {**visit, "findings": "窗口排队时间长"})
        self.assertRedirects(response, proposal.get_absolute_url())
        self.assertContains(self.client.get(proposal.get_absolute_url()), "窗口排队时间长")
        future = (TODAY + timedelta(days=3)).isoformat()
        response = self.client.post(url, {**visit, "visited_on": future, "findings": "x"})
        self.assertContains(response, "日期不能晚于今天。", status_code=400)
        self.assertEqual(FieldVisit.objects.count(), 1)


class BadInputTests(IntakeTestCase):
    """Odd input to every intake form: a 4xx with a Chinese message, never a 5xx, and the
    rows as they were."""

    def test_odd_input_is_refused_in_words_and_changes_nothing(self):
        proposal = self.in_review(self.xena)
        suggestion = Suggestion.objects.create(receipt="K7QM2XHR9TBD", topic="a", text="b")
        before = (
            list(Proposal.objects.values_list()),
            list(Review.objects.values_list()),
            list(Suggestion.objects.values_list()),
            Project.objects.count(),
            FieldVisit.objects.count(),
        )
        pk, v = proposal.pk, proposal.version
        cases = [
            ("intake:call_new", [], {"plan": "x", "opens_on": "2018-13-40", "units": ["x"]}),
            (
                "intake:call_new",
                [],
                {
                    "plan": self.plan.pk,
                    "opens_on": "2018-02-01",
                    "closes_on": "2018-01-01",
                    "units": [self.fagai.pk],
                },
            ),
            ("intake:call_edit", [2018], {"version": "abc", "opens_on": "", "closes_on": ""}),
            ("intake:proposal_new", [2018], {**proposal_form(domain="nowhere"), "unit": "x"}),
            ("intake:proposal_move", [pk], {"action": "reject", "version": "abc"}),
            ("intake:proposal_move", [pk], {"action": "merge", "version": v, "target": "999"}),
            ("intake:proposal_experts", [pk], {"version": v, "experts": ["abc", "-1"]}),
            (
                "intake:proposal_visit",
                [pk],
                {"visited_on": "1999-01-01", "place": " ", "people": "x", "findings": "\x00"},
            ),
            ("intake:proposal_select", [pk, "select"], {"version": v, "number": "-1", "title": ""}),
            ("intake:proposal_select", [pk, "select"], {"version": v, "number": "9" * 30}),
            (
                "intake:suggestion_detail",
                [suggestion.pk],
                {"version": suggestion.version, "disposition": "maybe", "proposals": ["x"]},
            ),
        ]
        for name, args, data in cases:
            with self.subTest(name=name, data=data):
                response = self.client.post(reverse(name, args=args), data)
                self.assertEqual(response.status_code, 400)
                self.assertRegex(response.content.decode(), r"未保存|未列入计划|操作未完成")
        after = (
            list(Proposal.objects.values_list()),
            list(Review.objects.values_list()),
            list(Suggestion.objects.values_list()),
            Project.objects.count(),
            FieldVisit.objects.count(),
        )
        self.assertEqual(after, before)
