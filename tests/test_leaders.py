"""The leaders' record (四个亲自): the matrix's figures on the 2017 plan (only what the
article says) and on a generated plan of 2,000 projects, the rule that flags a kind still
empty late in the year, and who may record what."""

from datetime import date

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.test import override_settings
from django.urls import reverse

from projects import leaders, roles
from projects.choices import LeaderActionKind
from projects.models import LeaderAction, Project, ReformPlan
from units.models import Official

from .base import PlanTestCase, make_user
from .factories import TODAY, generate_plan

DEPLOY, REVIEW = LeaderActionKind.DEPLOY, LeaderActionKind.REVIEW
COORDINATE, INSPECT = LeaderActionKind.COORDINATE, LeaderActionKind.INSPECT


def figures(matrix):
    """{leader's name: {kind: (count, latest date, flagged)}}: what the matrix shows."""
    return {
        row.subject.name: {c.kind.value: (c.count, c.latest, c.flagged) for c in row.cells}
        for row in matrix.rows
    }


def action_form(**overrides):
    """What the record form posts: a 亲自督查 on a date of the plan's year."""
    return {"kind": INSPECT, "done_on": "2017-09-12", "what": "到平湖街道督查试点", **overrides}


class Matrix2017Tests(PlanTestCase):
    def test_the_article_gives_gao_one_deployment_and_dai_nothing(self):
        plan = ReformPlan.objects.get(year=2017)
        matrix = leaders.plan_matrix(plan, today=date(2017, 6, 1))
        self.assertEqual([row.subject.name for row in matrix.rows], ["高自民", "戴斌"])
        none = (0, None, False)
        self.assertEqual(
            figures(matrix),
            {
                # chaired the 13th meeting; the article gives no date ("昨日")
                "高自民": {DEPLOY: (1, None, False), REVIEW: none, COORDINATE: none, INSPECT: none},
                "戴斌": {DEPLOY: none, REVIEW: none, COORDINATE: none, INSPECT: none},
            },
        )

    def test_seen_today_every_empty_kind_of_2017_is_flagged(self):
        matrix = leaders.plan_matrix(ReformPlan.objects.get(year=2017))
        flagged = {
            name: [k for k, c in cells.items() if c[2]] for name, cells in figures(matrix).items()
        }
        self.assertEqual(
            flagged,
            {
                "高自民": [REVIEW, COORDINATE, INSPECT],
                "戴斌": [DEPLOY, REVIEW, COORDINATE, INSPECT],
            },
        )

    def test_the_dashboard_shows_the_matrix_to_the_office_and_the_leaders_only(self):
        for user in (self.alice, self.charlie, self.dave):
            self.client.force_login(user)
            page = self.client.get(reverse("home"))
            self.assertContains(page, 'id="leader-matrix-h"', msg_prefix=user.username)
            self.assertContains(page, "日期未载")  # 高自民's deployment, no date in the article
        self.client.force_login(self.bob)
        self.assertNotContains(self.client.get(reverse("home")), 'id="leader-matrix-h"')

    def test_the_official_page_shows_the_leaders_years(self):
        gao = Official.objects.get(name="高自民")
        page = self.client.get(reverse("official_detail", args=[gao.pk]))
        self.assertContains(page, 'id="leader-matrix-h"')
        self.assertContains(page, "龙岗区2017年改革计划")
        matrix = leaders.official_matrix(gao)
        self.assertEqual([r.subject.year for r in matrix.rows], [2017])
        self.assertEqual(
            [(c.kind, c.count) for c in matrix.rows[0].cells if c.count], [(DEPLOY, 1)]
        )
        unit = self.client.get(reverse("unit_detail", args=[self.fagai.pk]))
        self.assertNotContains(unit, 'id="leader-matrix-h"')


class GeneratedMatrixTests(PlanTestCase):
    """2,000 generated projects led at random by the fixture's two leaders, and actions
    written here for them and for a third leader who leads nothing."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.plan = generate_plan(2000, updates_per_project=0)
        cls.gao, cls.dai = Official.objects.get(name="高自民"), Official.objects.get(name="戴斌")
        cls.wang = Official.objects.create(name="王督查", position="区委常委")
        project = cls.plan.projects.get(number=1234)
        y = cls.plan.year
        rows = [
            (cls.gao, DEPLOY, date(y, 1, 10), None),
            (cls.gao, DEPLOY, date(y, 3, 5), project),
            (cls.gao, DEPLOY, date(y, 2, 1), None),
            (cls.gao, INSPECT, None, project),
            (cls.gao, INSPECT, date(y, 6, 30), project),
            *((cls.dai, COORDINATE, date(y, 4, day), project) for day in (1, 9, 17, 25, 28)),
            (cls.wang, REVIEW, date(y, 7, 1), None),
        ]
        LeaderAction.objects.bulk_create(
            LeaderAction(plan=cls.plan, official=o, kind=k, done_on=d, project=p, what="记录")
            for o, k, d, p in rows
        )
        # the 2017 plan's action is not counted in the generated plan

    def test_counts_and_latest_dates(self):
        y = self.plan.year
        with self.assertNumQueries(2):
            matrix = leaders.plan_matrix(self.plan, today=date(y, 8, 1))
        none = (0, None, False)
        self.assertEqual(
            figures(matrix),
            {
                "高自民": {
                    DEPLOY: (3, date(y, 3, 5), False),
                    REVIEW: none,
                    COORDINATE: none,
                    INSPECT: (2, date(y, 6, 30), False),
                },
                "戴斌": {
                    DEPLOY: none,
                    REVIEW: none,
                    COORDINATE: (5, date(y, 4, 28), False),
                    INSPECT: none,
                },
                "王督查": {
                    DEPLOY: none,
                    REVIEW: (1, date(y, 7, 1), False),
                    COORDINATE: none,
                    INSPECT: none,
                },
            },
        )
        # who leads a project comes first, in the order of the first project they lead;
        # a leader who only acted comes last
        first = {
            o: Project.objects.filter(plan=self.plan, lead_official=o).order_by("number")[0].number
            for o in (self.gao, self.dai)
        }
        leading = sorted((self.gao, self.dai), key=first.get)
        self.assertEqual([r.subject for r in matrix.rows], [*leading, self.wang])

    def test_flagged_from_october_of_the_plan_year(self):
        y = self.plan.year
        before = leaders.plan_matrix(self.plan, today=date(y, 9, 30))
        after = leaders.plan_matrix(self.plan, today=date(y, 10, 1))
        self.assertFalse(any(c.flagged for row in before.rows for c in row.cells))
        flagged = {row.subject.name: [c.kind for c in row.cells if c.flagged] for row in after.rows}
        self.assertEqual(
            flagged,
            {
                "高自民": [REVIEW, COORDINATE],
                "戴斌": [DEPLOY, REVIEW, INSPECT],
                "王督查": [DEPLOY, COORDINATE, INSPECT],
            },
        )

    def test_the_dashboard_costs_the_same_as_for_2017(self):
        """No progress reports in either plan here (test_query_counts pins the dashboard
        with reports): the matrix adds its two queries whatever the plan's size (and the
        header's 待办 count 2, the 督办 panel 3, the scoreboard panel's periods 1, the data
        stamp 1; nothing cached: the cached dashboard is pinned in test_query_counts)."""
        self.client.force_login(self.alice)
        for year in (2017, self.plan.year):
            cache.clear()
            with self.subTest(year=year), self.assertNumQueries(24):
                page = self.client.get(reverse("home"), {"year": year})
            self.assertContains(page, 'id="leader-matrix-h"')
        self.assertContains(page, "王督查")


class FlagRuleTests(PlanTestCase):
    def test_from_the_first_of_october_of_the_plan_year(self):
        self.assertFalse(leaders.flags_empty(2030, today=date(2030, 9, 30)))
        self.assertTrue(leaders.flags_empty(2030, today=date(2030, 10, 1)))
        self.assertFalse(leaders.flags_empty(2031, today=date(2030, 12, 31)))  # a coming year

    def test_a_past_plan_year_flags_everything_empty(self):
        self.assertTrue(leaders.flags_empty(2029, today=date(2030, 1, 2)))

    @override_settings(LEADER_FLAG_FROM_MONTH=6)
    def test_the_month_is_a_setting(self):
        self.assertFalse(leaders.flags_empty(2030, today=date(2030, 5, 31)))
        self.assertTrue(leaders.flags_empty(2030, today=date(2030, 6, 1)))

    def test_an_odd_setting_falls_back_or_is_kept_within_the_year(self):
        for value, month in (("十月", 10), (13, 12), (0, 1), (None, 10)):
            with self.subTest(value=value), override_settings(LEADER_FLAG_FROM_MONTH=value):
                self.assertEqual(leaders.flag_from_month(), month)

    def test_a_kind_with_an_action_is_never_flagged(self):
        plan = ReformPlan.objects.get(year=2017)
        cells = leaders.plan_matrix(plan, today=date(2018, 1, 1)).rows[0].cells
        self.assertEqual((cells[0].kind, cells[0].flagged), (DEPLOY, False))


class RecordingTests(PlanTestCase):
    def setUp(self):
        super().setUp()  # Alice, the office, signed in
        self.url = reverse("project_action_new", args=[2017, 1])
        self.gao, self.dai = Official.objects.get(name="高自民"), Official.objects.get(name="戴斌")
        self.before = LeaderAction.objects.count()

    def test_a_leader_records_their_own_inspection_and_the_matrix_shows_it(self):
        self.client.force_login(self.charlie)
        form = self.client.get(self.url)
        self.assertNotContains(form, 'name="official"')  # not theirs to choose
        self.assertContains(form, "记录的区领导：高自民（本人）")
        data = action_form(units=[self.fagai.pk], official=self.dai.pk)  # the official is ignored
        response = self.client.post(self.url, data)
        self.assertRedirects(response, reverse("project_detail", args=[2017, 1]))
        action = LeaderAction.objects.get(kind=INSPECT)
        self.assertEqual((action.official, action.recorded_by), (self.gao, self.charlie))
        self.assertEqual((action.project.number, action.done_on), (1, date(2017, 9, 12)))
        self.assertEqual(list(action.units.all()), [self.fagai])
        page = self.client.get(reverse("project_detail", args=[2017, 1]))
        self.assertContains(page, "到平湖街道督查试点")
        cells = leaders.plan_matrix(action.plan).rows[0].cells
        self.assertEqual((cells[3].count, cells[3].latest), (1, date(2017, 9, 12)))

    def test_a_leader_may_not_record_for_another_leader(self):
        action = LeaderAction(
            plan=ReformPlan.objects.get(year=2017),
            official=self.dai,
            kind=INSPECT,
            what="替他人录入",
            done_on=TODAY,
        )
        with self.assertRaisesMessage(PermissionDenied, "区领导本人"):
            leaders.record_action(action, self.charlie)
        self.assertEqual(LeaderAction.objects.count(), self.before)

    def test_the_office_records_for_any_leader(self):
        response = self.client.post(self.url, action_form(official=self.dai.pk, kind=COORDINATE))
        self.assertEqual(response.status_code, 302)
        action = LeaderAction.objects.get(kind=COORDINATE)
        self.assertEqual((action.official, action.recorded_by), (self.dai, self.alice))

    def test_the_office_must_name_the_leader(self):
        response = self.client.post(self.url, action_form())
        self.assertContains(response, "请选择区领导。", status_code=400)
        self.assertEqual(LeaderAction.objects.count(), self.before)

    def test_a_liaison_never_records(self):
        self.client.force_login(self.bob)
        self.assertEqual(self.client.get(self.url).status_code, 403)
        response = self.client.post(self.url, action_form(official=self.gao.pk))
        self.assertContains(response, "只有区委改革办和区领导本人可以录入", status_code=403)
        self.assertEqual(LeaderAction.objects.count(), self.before)

    def test_a_leader_not_linked_to_an_official_cannot_record(self):
        self.client.force_login(make_user("lin", roles.LEADERSHIP))
        self.assertEqual(self.client.post(self.url, action_form()).status_code, 403)
        self.assertEqual(LeaderAction.objects.count(), self.before)

    def test_an_action_for_the_whole_plan(self):
        self.client.force_login(self.charlie)
        url = reverse("plan_action_new", args=[2017])
        response = self.client.post(url, action_form(kind=DEPLOY, what="部署全年改革"))
        self.assertRedirects(response, reverse("leader_matrix", args=[2017]))
        action = LeaderAction.objects.get(what="部署全年改革")
        self.assertIsNone(action.project)
        page = self.client.get(reverse("leader_matrix", args=[2017]))
        self.assertContains(page, "部署全年改革")
        self.assertContains(page, "全年计划")

    def test_bad_input_gets_a_chinese_message_and_saves_nothing(self):
        self.client.force_login(self.charlie)
        cases = [
            ({"kind": ""}, "请选择类型。"),
            ({"kind": "dance"}, "类型无效。"),
            ({"done_on": ""}, "请填写日期。"),
            ({"done_on": "2017-13-40"}, "请按“年-月-日”填写有效日期。"),
            ({"done_on": "2999-01-01"}, "日期不能晚于今天。"),
            ({"what": "   "}, "请填写内容。"),
            ({"units": ["999999"]}, "所选项不存在，请重新选择。"),
            ({"meeting": "999999"}, "所选项不存在，请重新选择。"),
        ]
        for change, message in cases:
            with self.subTest(change=change):
                response = self.client.post(self.url, action_form(**change))
                self.assertContains(response, message, status_code=400)
        self.assertEqual(LeaderAction.objects.count(), self.before)

    def test_a_review_links_to_the_projects_plan_checkpoint_and_its_meeting(self):
        self.client.force_login(self.charlie)
        meeting = LeaderAction.objects.get().meeting
        self.client.post(self.url, action_form(kind=REVIEW, meeting=meeting.pk, what="审定方案"))
        page = self.client.get(reverse("project_detail", args=[2017, 1]))
        self.assertContains(page, reverse("checkpoint_detail", args=[2017, 1, "plan"]))
        self.assertContains(page, meeting.get_absolute_url())

    def test_no_such_plan_or_project(self):
        self.assertEqual(
            self.client.get(reverse("project_action_new", args=[2017, 99])).status_code, 404
        )
        self.assertEqual(self.client.get(reverse("plan_action_new", args=[1999])).status_code, 404)
