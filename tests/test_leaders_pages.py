"""The new pages of the leaders' record and of the instruction's life: who may open them
and make their moves (every role, and anonymous), and their query counts, pinned: the same
for the 2017 plan and for a generated plan of 300 projects."""

from datetime import date

from django.core.cache import cache
from django.db import transaction
from django.urls import reverse

from projects.choices import InstructionStatus
from projects.models import Instruction, LeaderAction, Project, ReformPlan
from units.models import Official

from .base import PlanTestCase
from .factories import TODAY, generate_plan, make_instruction

ROLES = ["anonymous", "olivia", "charlie", "bob", "erin", "alice", "dave"]
LOGIN = "→ sign-in"


def expect(anonymous, olivia, charlie, bob, erin, alice, dave):
    return dict(zip(ROLES, (anonymous, olivia, charlie, bob, erin, alice, dave), strict=True))


READ = expect(LOGIN, 403, 200, 200, 200, 200, 200)
RECORD = expect(LOGIN, 403, 200, 403, 403, 200, 200)  # the office, a leader for themself
AUTHOR = expect(LOGIN, 403, 200, 403, 403, 403, 403)  # Charlie wrote it
LEAD_UNIT = expect(LOGIN, 403, 403, 200, 403, 200, 200)  # Bob's unit leads project 2
RECORDS = expect(LOGIN, 403, 302, 403, 403, 302, 302)
AUTHOR_OR_OFFICE_DOES = expect(LOGIN, 403, 302, 403, 403, 302, 302)
OFFICE_DOES = expect(LOGIN, 403, 403, 403, 403, 302, 302)
AUTHOR_DOES = expect(LOGIN, 403, 302, 403, 403, 403, 403)
LEAD_UNIT_DOES = expect(LOGIN, 403, 403, 302, 403, 302, 302)


class LadderTests(PlanTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.project = Project.objects.get(number=2)
        cls.instruction = make_instruction(
            cls.project, "加快推进", official=cls.charlie.official, author=cls.charlie
        )
        cls.done = make_instruction(
            cls.project, "已办", official=cls.charlie.official, author=cls.charlie, done_on=TODAY
        )
        cls.gao = Official.objects.get(name="高自民")

    def _status(self, role, method, url, data=None):
        self.client.logout()
        if role != "anonymous":
            self.client.force_login(getattr(self, role))
        with transaction.atomic():
            response = getattr(self.client, method)(url, data or {})
            transaction.set_rollback(True)  # every cell starts from the same data
        if response.status_code == 302 and response["Location"].startswith(reverse("login")):
            return LOGIN
        return response.status_code

    def check(self, rows, method):
        for name, url, data, expected in rows:
            actual = {role: self._status(role, method, url, data) for role in ROLES}
            self.assertEqual(actual, expected, name)

    def test_pages(self):
        i = self.instruction.pk
        self.check(
            [
                ("plan's leaders", reverse("leader_matrix", args=[2017]), None, READ),
                ("record on the plan", reverse("plan_action_new", args=[2017]), None, RECORD),
                (
                    "record on a project",
                    reverse("project_action_new", args=[2017, 2]),
                    None,
                    RECORD,
                ),
                ("official page", reverse("official_detail", args=[self.gao.pk]), None, READ),
                (
                    "a leader's instructions",
                    reverse("official_instructions", args=[self.gao.pk]),
                    None,
                    READ,
                ),
                ("instruction page", reverse("instruction_detail", args=[i]), None, READ),
                ("correct", reverse("instruction_correct", args=[i]), None, AUTHOR),
                ("follow up", reverse("instruction_follow_up", args=[i]), None, LEAD_UNIT),
            ],
            "get",
        )

    def test_moves(self):
        i, done = self.instruction, self.done
        action = {
            "official": self.gao.pk,
            "kind": "inspect",
            "done_on": "2017-09-01",
            "what": "督查",
        }
        fixed = {"text": "更正后的批示", "units": [self.fagai.pk], "version": 1}
        followed = {"follow_up": "已落实", "followed_up_on": TODAY.isoformat(), "version": 1}
        self.check(
            [
                ("record", reverse("project_action_new", args=[2017, 2]), action, RECORDS),
                ("record on the plan", reverse("plan_action_new", args=[2017]), action, RECORDS),
                (
                    "withdraw",
                    reverse("instruction_detail", args=[i.pk]),
                    {"action": "withdraw", "note": "有误", "version": 1},
                    AUTHOR_OR_OFFICE_DOES,
                ),
                (
                    "close",
                    reverse("instruction_detail", args=[done.pk]),
                    {"action": "close", "note": "", "version": 1},
                    OFFICE_DOES,
                ),
                (
                    "send back",
                    reverse("instruction_detail", args=[done.pk]),
                    {"action": "send_back", "note": "请补充", "version": 1},
                    OFFICE_DOES,
                ),
                ("correct", reverse("instruction_correct", args=[i.pk]), fixed, AUTHOR_DOES),
                (
                    "follow up",
                    reverse("instruction_follow_up", args=[i.pk]),
                    followed,
                    LEAD_UNIT_DOES,
                ),
            ],
            "post",
        )


class QueryCountTests(PlanTestCase):
    """Each plan gets an action with units on a project, a plan-level action, and an
    instruction naming a unit; the generated plan has 300 projects and the generator's
    own instructions besides."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.generated = generate_plan(300, updates_per_project=0)
        cls.gao, cls.dai = Official.objects.get(name="高自民"), Official.objects.get(name="戴斌")
        cls.instructions = {}
        for plan in (ReformPlan.objects.get(year=2017), cls.generated):
            project = plan.projects.get(number=2)
            project.lead_unit = cls.fagai
            project.save()
            for official, kind, on in ((cls.gao, "inspect", project), (cls.dai, "deploy", None)):
                action = LeaderAction.objects.create(
                    plan=plan,
                    project=on,
                    official=official,
                    kind=kind,
                    what="记录",
                    done_on=date(2017, 9, 1),
                )
                action.units.set([cls.fagai, cls.jiaoyu])
            instruction = make_instruction(project, "请落实", official=cls.gao, author=cls.charlie)
            instruction.units.set([cls.jiaoyu])
            cls.instructions[plan.year] = instruction

    def assert_queries(self, expected, user, url):
        self.client.force_login(user)
        cache.clear()  # a first request: nothing cached (projects.freshness)
        with self.assertNumQueries(expected):
            response = self.client.get(url)
        self.assertEqual(response.status_code, 200, url)
        return response

    # every page also counts the header's 待办 (2 queries, chasing)
    def test_pages_of_a_plan(self):
        for year in (2017, self.generated.year):
            i = self.instructions[year].pk
            pages = [
                # session, user, plan, 2 permissions, the count, the page of actions and
                # their units, 2 for the matrix
                ("plan's leaders", reverse("leader_matrix", args=[year]), self.charlie, 12),
                # session, user, project, 2 permissions, the leader (本人), the units and
                # the meetings offered
                ("record", reverse("project_action_new", args=[year, 2]), self.charlie, 10),
                # …the plan, and the leaders offered to the office
                ("record on the plan", reverse("plan_action_new", args=[year]), self.alice, 10),
                # session, user, 2 permissions, the instruction, its units, its history, its
                # files (evidence)
                ("instruction page", reverse("instruction_detail", args=[i]), self.alice, 10),
                ("correct", reverse("instruction_correct", args=[i]), self.charlie, 9),
                ("follow up", reverse("instruction_follow_up", args=[i]), self.bob, 8),
                # as test_query_counts, with an instruction and its files (evidence)
                ("project page", reverse("project_detail", args=[year, 2]), self.alice, 27),
            ]
            for name, url, user, expected in pages:
                with self.subTest(page=name, year=year):
                    self.assert_queries(expected, user, url)

    def test_pages_of_a_leader(self):
        for official in (self.gao, self.dai):
            with self.subTest(official=official.name):
                # the page's 7, and the panel's: the instructions' counts and 2 for the
                # matrix by year; the files of the instructions (1)
                page = self.assert_queries(
                    13, self.alice, reverse("official_detail", args=[official.pk])
                )
                self.assertContains(page, 'id="leader-matrix-h"')
                # session, user, 2 permissions, the leader, the live and the finished
                # instructions, their units
                self.assert_queries(
                    10, self.charlie, reverse("official_instructions", args=[official.pk])
                )

    def test_the_leaders_list_shows_the_generators_instructions_too(self):
        mine = Instruction.objects.filter(official=self.gao)
        page = self.client.get(reverse("official_instructions", args=[self.gao.pk]))
        live = mine.filter(status__in=[InstructionStatus.OPEN, InstructionStatus.DONE]).count()
        self.assertEqual(len(page.context["live"]), live)
        self.assertGreater(live, 1)
