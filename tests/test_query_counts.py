"""Queries per page, pinned: the same exact number for the 2017 plan (11 projects with some
reports, checkpoints and instructions) and for a generated plan of 500 projects, on SQLite
and PostgreSQL alike.

Each count is one signed-in request as it comes (``force_login``, nothing warmed up), so
it includes the session, the user and, where a page asks, the user's permissions. A
liaison's pages cost more than the office's: the dashboard adds "my projects" (the list and
its checkpoints) and the list filter offers "my projects" after asking his permissions.
A page that grows with the plan breaks its row here; so does a page that lost a join.

Every page drawn with the header costs two queries more for its 待办 count (the open report
periods, then every count in one query: ``chasing.todo``); the dashboard's 督办 panel three
more (late checkpoints, late instructions, who was told; the periods are shared with the
header), and the project and unit pages one for their 催办记录. The exports have no header.
"""

from django.core.cache import cache
from django.urls import reverse

from .base import PortfolioTestCase
from .factories import generate_plan

PAGES = {
    "dashboard": "/?year={year}",
    "list": "/projects/?year={year}",
    "filtered list": "/projects/?year={year}&domain=urban&status=on_track&gate=plan"
    "&gate_status=passed",
    "export.xlsx": "/projects/export.xlsx?year={year}",
    "export.csv": "/projects/export.csv?year={year}",
    "project page": "/projects/{year}/2/",
    "checkpoint page": "/projects/{year}/2/gates/plan/",
}

# page: queries for the office (Alice) and for the lead unit's liaison (Bob)
# The dashboard and the .xlsx read the plan's report periods for the unit scoreboard (its
# panel, its sheet): + 1 here, where the plans have none; with periods the panel costs 2
# and the sheet 3 more (pinned in test_scoreboard.py).
QUERIES = {
    # every page: + 2 for the header's 待办 count (chasing.context_processors)
    # the dashboard: + 3 for its 督办 panel (chasing.templatetags)
    # the dashboard: + the 四个亲自 matrix for the office (counts by leader and kind, the
    # leaders); a liaison is not shown it
    # the dashboard: + 1 for the data stamp (projects.freshness); these counts are of a
    # first request, when nothing is cached: the cached request is pinned in
    # DashboardCacheQueryTests below
    "dashboard": {"alice": 25, "bob": 25},
    # the list: + 1 for the data stamp (its results are cached: pinned below)
    "list": {"alice": 13, "bob": 13},
    "filtered list": {"alice": 13, "bob": 13},
    "export.xlsx": {"alice": 11, "bob": 11},
    "export.csv": {"alice": 10, "bob": 10},
    # the project page: + participating units' history, decisions, adjustments
    # + evidence files of the whole page, one query (evidence.templatetags.evidence)
    # + the proposal it came from (intake's project_origin tag)
    # + the project's 催办记录 (chasing)
    # + the leaders' actions and the units present at them, the units named in the
    #   instructions
    # + the year's end: its 销号 applications and its assessment
    # + the data stamp: the page is kept whole per session (projects.freshness)
    "project page": {"alice": 27, "bob": 27},
    "checkpoint page": {"alice": 10, "bob": 10},
}


class DashboardCacheQueryTests(PortfolioTestCase):
    """The dashboard, the list and the project page read again with no write in between:
    each is kept whole per session under the data stamp (projects.freshness.cached_page),
    so it costs the session, the user and the stamp, whatever the plan's size and the
    user's role."""

    CACHED = 3

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.generated = generate_plan(500, updates_per_project=2)

    def test_a_page_read_again_comes_from_the_cache(self):
        for year in (2017, self.generated.year):
            for url, text in (
                (f"/?year={year}", "三关进度"),
                (f"/projects/?year={year}", "个项目"),
                (f"/projects/{year}/2/", "三关"),
            ):
                for who in ("alice", "bob"):
                    self.client.force_login(getattr(self, who))
                    self.client.get(url)  # this one fills the cache
                    with self.subTest(url=url, who=who), self.assertNumQueries(self.CACHED):
                        response = self.client.get(url)
                    self.assertContains(response, text)

    def test_a_second_session_draws_the_page_from_the_shared_parts(self):
        """Another session's first request: the dashboard's and the list's parts the same
        for every reader come from the cache, the per-user ones are read (pinned)."""
        # session, user, the stamp, the plans (year menu); the permissions, the header's
        # 待办 count and the 四个亲自 matrix are cached under the stamp (the count and the
        # permissions by user); a liaison's "my projects" (the list and its checkpoints),
        # and the filter form's choices on the list, are read each time
        expected = {
            "/?year={}": {"alice": 4, "bob": 6},
            "/projects/?year={}": {"alice": 6, "bob": 6},
        }
        for year in (2017, self.generated.year):
            for url, counts in expected.items():
                for who, count in counts.items():
                    self.client.force_login(getattr(self, who))
                    self.client.get(url.format(year))
                    self.client.logout()
                    self.client.force_login(getattr(self, who))  # a new session
                    with self.subTest(url=url, year=year, who=who), self.assertNumQueries(count):
                        self.client.get(url.format(year))


class QueryCountTests(PortfolioTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.generated = generate_plan(500, updates_per_project=2)

    def assert_queries(self, expected, user, url):
        self.client.force_login(user)
        cache.clear()  # a first request: nothing cached (signing in moves no data stamp)
        with self.assertNumQueries(expected):
            response = self.client.get(url)
        self.assertEqual(response.status_code, 200, url)
        return response

    def test_each_page_at_11_and_at_500_projects(self):
        for page, url in PAGES.items():
            for who, expected in QUERIES[page].items():
                for year in (2017, self.generated.year):
                    with self.subTest(page=page, who=who, year=year):
                        self.assert_queries(expected, getattr(self, who), url.format(year=year))

    def test_the_filtered_list_has_rows_in_both_plans(self):
        """Else its count would be that of an empty page, which skips the prefetches."""
        for year in (2017, self.generated.year):
            response = self.client.get(PAGES["filtered list"].format(year=year))
            self.assertTrue(response.context["page"].object_list, year)

    def test_unit_page_with_both_plans(self):
        url = reverse("unit_detail", args=[self.fagai.pk])
        for user in (self.alice, self.bob):
            response = self.assert_queries(10, user, url)
            self.assertContains(response, "建立健全固定资产投资项目全流程管理体系")
