"""Queries pinned (issue 13): the to-do page of each role and the dashboard with its 督办
panel cost the same number of queries with the 2017 plan alone and with a generated plan
of 500 projects added, both with open periods (one due soon, one late, one 督办), late
checkpoints and instructions. tests/test_query_counts.py pins every other page, each
with the header's count (two queries)."""

from datetime import timedelta

from django.core.cache import cache
from django.urls import reverse

from projects import roles
from projects.choices import CheckpointKind, CheckpointStatus
from units.models import Official

from .base import PortfolioTestCase, make_user
from .factories import TODAY, generate_plan, make_instruction, set_checkpoint
from .test_chasing_support import open_period, period_report, project

# the to-do page: session, user, permissions (2), open periods, every count in one query,
# then one or two queries per list (a period's owed reports: projects, reports), and the
# reminders each item had (liaisons)
TODO = {"alice": 10, "bob": 12, "charlie": 11, "dai": 11, "dave": 10}
# the dashboard with periods open: + the 督办 panel's owed reports (projects, reports),
# the unit scoreboard panel (the plan's periods, projects, reports) with its chasing
# columns (reminders received, open 督办 items), + the data stamp (projects.freshness;
# the cache emptied first: a first request, nothing cached)
DASHBOARD = {"alice": 35, "bob": 35}  # the office also sees the 四个亲自 matrix (2)


def periods_for(plan):
    """Three open periods: due in five days, due yesterday, due ten days ago (督办)."""
    return [
        open_period(f"{plan.year}年{name}", due=TODAY + timedelta(days=days), plan=plan)
        for name, days in (("6月", 5), ("5月", -1), ("4月", -10))
    ]


class ChasingQueryCountTests(PortfolioTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.dai = make_user("dai", roles.LEADERSHIP, official=Official.objects.get(name="戴斌"))
        plan = cls.projects[1].plan
        periods_for(plan)
        period_report(project(10), plan.periods.first())
        p2 = project(2)
        set_checkpoint(p2, CheckpointKind.IMPLEMENTATION, CheckpointStatus.IN_PROGRESS, TODAY)
        make_instruction(p2, "请抓紧", official=p2.lead_official, author=cls.charlie)

    def counts(self):
        found = {}
        for who in TODO:
            user = getattr(self, who)
            self.client.force_login(user)
            with self.assertNumQueries(TODO[who]):
                response = self.client.get(reverse("todo"))
            self.assertEqual(response.status_code, 200)
            found[who] = response.context["total"]
        return found

    def test_the_todo_page_costs_the_same_with_500_projects_more(self):
        small = self.counts()
        self.assertTrue(all(small.values()), small)  # every list has something to show
        generated = generate_plan(500, updates_per_project=2)
        periods_for(generated)
        big = self.counts()
        self.assertGreater(big["alice"], small["alice"])

    def test_the_dashboard_with_its_panel_costs_the_same_in_both_plans(self):
        generated = generate_plan(500, updates_per_project=2)
        periods_for(generated)
        for year in (2017, generated.year):
            for who, expected in DASHBOARD.items():
                with self.subTest(year=year, who=who):
                    self.client.force_login(getattr(self, who))
                    cache.clear()
                    with self.assertNumQueries(expected):
                        response = self.client.get(f"/?year={year}")
                    self.assertContains(response, "督办事项")
                    if year == 2017:  # the generated plan has older ones first
                        self.assertContains(response, "逾期 10 天")
