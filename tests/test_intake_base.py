"""Shared set-up of the intake tests (no tests of its own): the 2017 plan and its people
(``tests.base``), a draft 2018 plan with a call open today that goes to 区发改局 (Bob's
unit) and 区教育局 (Erin's), two outside experts, and rows in one line each.

- Xena and Yuri are outside experts (评审专家).
"""

from datetime import timedelta

from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from intake.choices import ProposalStatus
from intake.models import Call, Proposal, Review
from intake.roles import EXPERT
from projects.choices import Domain
from projects.models import ReformPlan
from units.models import Official, Unit

from .base import PlanTestCase, make_user
from .factories import TODAY

PROPOSAL = {
    "title": "推行政府投资项目并联审批",
    "domain": Domain.GOVERNMENT_FUNCTIONS,
    "background": "政府投资项目审批环节多、时间长",
    "content": "发改、规划、住建并联审批，一表申报",
    "highlights": "全市首个全流程并联审批",
    "outcomes": "审批时间压缩一半",
}
SCORES = {"score_focus": 5, "score_need": 4, "score_pilot": 4, "score_replicable": 3}


def proposal_form(**overrides):
    """What the proposal form posts: a complete proposal, with ``overrides``."""
    return {**PROPOSAL, "suggested_leader": "", "participating_units": [], **overrides}


def review_form(**overrides):
    return {**SCORES, "recommendation": "select", "comment": "切中痛点", **overrides}


class IntakeTestCase(PlanTestCase):
    """Alice (office) is signed in by default; the throttles' counts start at zero."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.plan = ReformPlan.objects.create(year=2018, title="龙岗区2018年改革计划")
        cls.call = Call.objects.create(
            plan=cls.plan,
            opens_on=TODAY - timedelta(days=10),
            closes_on=TODAY + timedelta(days=20),
        )
        cls.call.units.add(cls.fagai, cls.jiaoyu)
        cls.xena = make_user("xena", EXPERT)
        cls.yuri = make_user("yuri", EXPERT)
        cls.dai = Official.objects.get(name="戴斌")
        cls.zhengwu = Unit.objects.get(short_name="区政务办")

    def setUp(self):
        super().setUp()
        cache.clear()

    def proposal(self, unit=None, status=ProposalStatus.DRAFT, call=None, **fields):
        """A complete proposal of ``unit`` (区发改局) in ``status`` (no rules applied)."""
        submitted = None if status == ProposalStatus.DRAFT else timezone.now()
        return Proposal.objects.create(
            call=call or self.call,
            unit=unit or self.fagai,
            status=status,
            submitted_at=submitted,
            **{**PROPOSAL, **fields},
        )

    def in_review(self, *experts, **fields):
        """A proposal under review, assigned to ``experts`` (Xena by default)."""
        proposal = self.proposal(status=ProposalStatus.IN_REVIEW, **fields)
        for expert in experts or (self.xena,):
            Review.objects.create(proposal=proposal, expert=expert)
        return proposal

    def finish(self, proposal, expert, recommendation="select", **scores):
        review = Review.objects.get(proposal=proposal, expert=expert)
        for name, value in {**SCORES, **scores}.items():
            setattr(review, name, value)
        review.recommendation = recommendation
        review.finished_at = timezone.now()
        review.save()
        return review

    def client_for(self, user):
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    def status(self, user, method, url, data=None):
        client = self.client_for(user)
        response = client.post(url, data or {}) if method == "post" else client.get(url)
        return response.status_code
