"""The timeline (三关时间轴, issue 10): what a reader sees in the chart, its text version and
the phone's list; who may see it; its query count. In Chromium (accessibility, narrow
screens, A4 landscape printing): test_timeline_browser.py."""

import html as html_lib
import re
from calendar import monthrange
from datetime import date, timedelta

from django.test.html import Element, parse_html
from django.urls import reverse

from projects.choices import CheckpointKind, CheckpointStatus
from projects.models import Project

from .base import PlanTestCase, PortfolioTestCase
from .factories import TODAY, generate_plan, make_plan, set_checkpoint

URL = reverse("timeline")
CJK = re.compile(r"[\u4e00-\u9fff]")
PLAN, IMPLEMENTATION, OUTCOME = CheckpointKind.values


# ---- reading the page as a reader would: the SVG's rows and marks, the text version ----


def walk(node):
    for child in node.children:
        if isinstance(child, Element):
            yield child
            yield from walk(child)


def attrs(element):
    return dict(element.attributes)


def classes(element):
    return set((attrs(element).get("class") or "").split())


def find(node, tag, css_class=None):
    return [e for e in walk(node) if e.name == tag and (not css_class or css_class in classes(e))]


def text(node):
    return "".join(c if isinstance(c, str) else text(c) for c in node.children)


def percent(element, name):
    """An x coordinate, in percent of the chart's width."""
    return float(attrs(element)[name].removesuffix("%"))


def title_of(element):
    return text(find(element, "title")[0])


class Page:
    """The timeline page, parsed: ``rows`` maps each project number to its SVG row."""

    def __init__(self, response):
        assert response.status_code == 200, response.status_code
        self.html = response.content.decode()
        self.tree = parse_html(self.html)
        self.rows = {int(attrs(g)["data-number"]): g for g in find(self.tree, "g", "tl-row")}
        self.ticks = {attrs(t)["data-month"]: percent(t, "x1") for t in find(self.tree, "line")
                      if "tl-tick" in classes(t)}  # fmt: skip

    def marks(self, number, which):
        """{kind: mark} of a project's planned (``tl-planned``) or passed marks."""
        return {attrs(a)["data-kind"]: a for a in find(self.rows[number], "a", which)}

    def today_x(self):
        """The x of today's line in each block of the chart (the legend's aside)."""
        lines = [line for g in find(self.tree, "g", "tl-today") for line in find(g, "line")]
        return {percent(line, "x1") for line in lines}

    def text_version(self):
        """The visually hidden table: {row header: [cell per checkpoint]}."""
        table = find(self.tree, "table")[0]
        return {
            text(find(tr, "th")[0]).strip(): [text(td).strip() for td in find(tr, "td")]
            for tr in find(table, "tr")
            if find(tr, "td")
        }

    def phone_list(self):
        return find(self.tree, "section", "tl-list")[0]


def month(day):
    return day.strftime("%Y-%m")


def next_month(day):
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def leftover_chinese(html, plan):
    """Lines of an English page that hold Chinese characters not from the data."""
    data = {plan.title, "简体中文"}  # the language switcher names each language in itself
    for project in plan.projects.all():
        data |= {project.title, project.number_cn}
    html = re.sub(r'<span[^>]*aria-hidden="true"[^>]*>[^<]*</span>', "", html)  # the logo
    page_text = html_lib.unescape(re.sub(r"<[^>]+>", "\n", html))
    for value in sorted(data, key=len, reverse=True):
        page_text = page_text.replace(value, "")
    return [line.strip() for line in page_text.splitlines() if CJK.search(line)]


class TimelineOfThe2017PlanTests(PortfolioTestCase):
    """The 2017 plan as PortfolioTestCase leaves it: project 1 passed 方案关 and 实施关 (no
    planned dates), project 2's 实施关 is overdue since yesterday, project 3's 方案关 is in
    rework and overdue, project 10's 方案关 is planned in ten days; the rest unscheduled."""

    def page(self, **query):
        return Page(self.client.get(URL, {"year": 2017, **query}))

    def test_one_row_per_project_a_mark_per_planned_date_and_per_pass_all_linked(self):
        page = self.page()
        self.assertEqual(sorted(page.rows), list(range(1, 12)))
        self.assertIn(f"二、{Project.objects.get(number=2).title}", text(page.rows[2]))
        expected_planned = {2: {IMPLEMENTATION}, 3: {PLAN}, 10: {PLAN}}
        expected_passed = {1: {PLAN, IMPLEMENTATION}, 2: {PLAN}}
        for number in page.rows:
            with self.subTest(project=number):
                label = find(page.rows[number], "a", "tl-label")[0]
                self.assertEqual(attrs(label)["href"], f"/projects/2017/{number}/")
                planned = page.marks(number, "tl-planned")
                passed = page.marks(number, "tl-passed")
                self.assertEqual(set(planned), expected_planned.get(number, set()))
                self.assertEqual(set(passed), expected_passed.get(number, set()))
                for kind, mark in {**planned, **passed}.items():
                    url = reverse("checkpoint_detail", args=[2017, number, kind])
                    self.assertEqual(attrs(mark)["href"], url)

    def test_each_mark_has_a_tooltip_naming_project_checkpoint_and_dates(self):
        page = self.page()
        mark = page.marks(10, "tl-planned")[PLAN]
        planned = (TODAY + timedelta(days=10)).isoformat()
        self.assertEqual(
            title_of(mark),
            f"十、{Project.objects.get(number=10).title} · 方案关：计划完成 {planned}；待审核",
        )
        passed = page.marks(1, "tl-passed")[IMPLEMENTATION]
        self.assertIn(
            f"实施关：未排期；通过 {(TODAY - timedelta(days=3)).isoformat()}", title_of(passed)
        )

    def test_an_overdue_checkpoint_is_marked_and_said_overdue(self):
        page = self.page()
        mark = page.marks(2, "tl-planned")[IMPLEMENTATION]
        self.assertIn("overdue", classes(mark))
        self.assertIn("checkpoint-in_progress", classes(mark))
        self.assertIn("逾期", title_of(mark))
        self.assertEqual(text(find(mark, "text", "tl-flag")[0]), "!")  # not colour alone
        not_late = page.marks(10, "tl-planned")[PLAN]
        self.assertNotIn("overdue", classes(not_late))
        self.assertEqual(find(not_late, "text", "tl-flag"), [])
        # the lateness runs from the planned date to today's line
        late = find(page.rows[2], "line", "tl-late")[0]
        self.assertEqual(percent(late, "x1"), percent(find(mark, "use")[0], "x"))
        self.assertEqual({percent(late, "x2")}, page.today_x())

        cells = page.text_version()
        yesterday = (TODAY - timedelta(days=1)).isoformat()
        row = cells[f"二、{Project.objects.get(number=2).title}"]
        self.assertEqual(row[1], f"计划完成 {yesterday}；进行中；逾期")
        self.assertNotIn("逾期", row[0] + row[2])
        self.assertIn("逾期", cells[f"三、{Project.objects.get(number=3).title}"][0])
        self.assertNotIn("逾期", "".join(cells[f"十、{Project.objects.get(number=10).title}"]))

    def test_a_project_without_dates_says_unscheduled(self):
        page = self.page()
        self.assertEqual(page.marks(5, "tl-planned"), {})
        self.assertEqual(page.marks(5, "tl-passed"), {})
        self.assertIn("未排期", text(page.rows[5]))
        self.assertNotIn("未排期", text(page.rows[10]))  # it has a mark
        row = page.text_version()[f"五、{Project.objects.get(number=5).title}"]
        self.assertEqual(row, ["未排期；未开始"] * 3)

    def test_the_phone_list_shows_each_projects_checkpoints_in_order(self):
        section = self.page().phone_list()
        projects = find(section, "li", "tl-project")
        self.assertEqual(len(projects), 11)
        second = projects[1]
        self.assertEqual(
            [text(find(step, "a")[0]) for step in find(second, "li", "tl-step")],
            ["方案关", "实施关", "成效关"],
        )
        implementation = find(second, "li", "tl-step")[1]
        self.assertIn("overdue", classes(implementation))
        self.assertIn("逾期", text(implementation))
        self.assertIn((TODAY - timedelta(days=1)).isoformat(), text(implementation))
        self.assertIn("未排期", text(find(projects[4], "li", "tl-step")[0]))

    def test_the_axis_runs_from_the_plan_year_to_the_latest_date(self):
        """January 2017 to the end of the month of project 10's date, ten days ahead; today
        is on it. Years apart, so a grid line a year."""
        page = self.page()
        months = list(page.ticks)
        self.assertEqual(months[0], "2017-01")
        self.assertEqual(months[-1], month(next_month(TODAY + timedelta(days=10))))
        self.assertIn("2018-01", months)
        self.assertNotIn("2017-02", months)
        (today,) = page.today_x()
        self.assertLess(page.ticks[f"{TODAY.year}-01"], today)
        self.assertLess(today, page.ticks[months[-1]])

    def test_the_dashboard_links_to_the_timeline_of_its_plan(self):
        response = self.client.get(reverse("home"), {"year": 2017})
        self.assertContains(response, f'href="{URL}?year=2017"')


class MonthAxisTests(PlanTestCase):
    """A plan of this year with dates in it: one grid line a month, marks at their dates."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.year = TODAY.year
        cls.plan = make_plan(cls.year, projects=2)
        first = cls.plan.projects.get(number=1)
        passed_on = date(cls.year, 3, 10)
        set_checkpoint(first, PLAN, CheckpointStatus.PASSED, date(cls.year, 3, 31), passed_on)
        set_checkpoint(first, IMPLEMENTATION, CheckpointStatus.IN_PROGRESS, date(cls.year, 9, 16))

    def page(self):
        return Page(self.client.get(URL, {"year": self.year}))

    def position(self, page, x, day):
        """Where ``x`` lies in the month of ``day``: 0 at its first day, 1 at the next's."""
        start, end = page.ticks[month(day)], page.ticks[month(next_month(day))]
        return (x - start) / (end - start)

    def test_one_grid_line_a_month_over_the_plan_year(self):
        page = self.page()
        months = [f"{self.year}-{m:02d}" for m in range(1, 13)] + [f"{self.year + 1}-01"]
        self.assertEqual(list(page.ticks), months)
        xs = list(page.ticks.values())
        self.assertEqual(xs, sorted(xs))
        labels = [text(t) for t in find(page.tree, "text", "tl-month")]
        self.assertEqual(labels, [f"{m}月" for m in range(1, 13)])
        years = [text(t) for t in find(page.tree, "text", "tl-year")]
        self.assertEqual(years, [f"{self.year}年"])

    def test_marks_sit_at_their_dates(self):
        page = self.page()
        for which, kind, shape, x, day, share in (
            ("tl-passed", PLAN, "circle", "cx", date(self.year, 3, 10), 9 / 31),
            ("tl-planned", PLAN, "use", "x", date(self.year, 3, 31), 30 / 31),
            ("tl-planned", IMPLEMENTATION, "use", "x", date(self.year, 9, 16), 15 / 30),
        ):
            mark = find(page.marks(1, which)[kind], shape)[0]
            self.assertAlmostEqual(self.position(page, percent(mark, x), day), share, places=2)

    def test_todays_line_lies_within_todays_month(self):
        page = self.page()
        (x,) = page.today_x()
        share = self.position(page, x, TODAY)
        days = monthrange(TODAY.year, TODAY.month)[1]
        self.assertAlmostEqual(share, (TODAY.day - 1) / days, places=2)
        self.assertTrue(0 <= share < 1)
        self.assertIn(f"竖线为今天（{TODAY.isoformat()}）", page.html)

    def test_english_month_labels_and_no_chinese_interface_text(self):
        self.client.post(reverse("set_language"), {"language": "en", "next": URL})
        page = self.page()
        labels = [text(t) for t in find(page.tree, "text", "tl-month")]
        self.assertEqual(labels, ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep",
                                  "Oct", "Nov", "Dec"])  # fmt: skip
        years = [text(t) for t in find(page.tree, "text", "tl-year")]
        self.assertEqual(years, [str(self.year)])
        tooltip = f"1、项目1 · Plan checkpoint: planned {self.year}-03-31; passed {self.year}-03-10"
        self.assertEqual(title_of(page.marks(1, "tl-passed")[PLAN]), tooltip)
        self.assertEqual(leftover_chinese(page.html, self.plan), [])

    def test_english_on_the_2017_plan_too(self):
        self.client.post(reverse("set_language"), {"language": "en", "next": URL})
        response = self.client.get(URL, {"year": 2017})
        self.assertEqual(leftover_chinese(response.content.decode(), response.context["plan"]), [])
        self.assertContains(response, "Not scheduled")


class AxisRangeTests(PlanTestCase):
    def test_the_plan_year_alone_when_nothing_is_dated_and_today_is_far(self):
        page = Page(self.client.get(URL, {"year": 2017}))
        months = list(page.ticks)
        self.assertEqual((months[0], months[-1]), ("2017-01", "2018-01"))  # to December's end
        self.assertEqual(page.today_x(), set())  # years away: no today line
        self.assertIn(f"今天（{TODAY.isoformat()}）不在本计划的时间范围内", page.html)
        self.assertEqual(len(page.rows), 11)
        self.assertTrue(all("未排期" in text(row) for row in page.rows.values()))

    def test_a_date_outside_the_plan_year_widens_the_axis(self):
        project = Project.objects.get(plan__year=2017, number=4)
        set_checkpoint(project, OUTCOME, CheckpointStatus.NOT_STARTED, date(2018, 3, 15))
        set_checkpoint(
            project, PLAN, CheckpointStatus.PASSED, date(2017, 1, 20), passed_on=date(2016, 12, 5)
        )
        page = Page(self.client.get(URL, {"year": 2017}))
        self.assertEqual(min(page.ticks), "2016-12")
        self.assertIn("2018-03", page.ticks)
        passed = percent(find(page.marks(4, "tl-passed")[PLAN], "circle")[0], "cx")
        self.assertLess(page.ticks["2016-12"], passed)
        self.assertLess(passed, page.ticks["2017-01"])
        # the same axis on every page of the plan, whatever projects it shows
        self.assertEqual(Page(self.client.get(URL, {"year": 2017, "page": 1})).ticks, page.ticks)


class TimelinePageTests(PlanTestCase):
    def test_anonymous_is_sent_to_sign_in(self):
        self.client.logout()
        response = self.client.get(URL)
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response["Location"].startswith(reverse("login")))

    def test_an_account_without_a_role_is_refused(self):
        self.client.force_login(self.olivia)
        self.assertEqual(self.client.get(URL).status_code, 403)

    def test_every_reader_sees_it(self):
        for user in (self.charlie, self.bob, self.erin, self.alice, self.dave):
            with self.subTest(user=user.username):
                self.client.force_login(user)
                response = self.client.get(URL)
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, "《龙岗区2017年改革计划》三关时间轴")

    def test_year_selects_the_plan_and_an_empty_plan_says_so(self):
        make_plan(2099, "龙岗区2099年改革计划", synthetic=True)
        response = self.client.get(URL, {"year": 2099})
        self.assertContains(response, "《龙岗区2099年改革计划》三关时间轴")
        self.assertContains(response, "该计划暂无项目。")
        self.assertNotContains(response, 'class="tl-row"')
        default = self.client.get(URL)  # the newest real plan, as on the dashboard
        self.assertContains(default, "《龙岗区2017年改革计划》三关时间轴")

    def test_titles_are_escaped_in_the_chart_and_its_text(self):
        project = Project.objects.get(plan__year=2017, number=1)
        project.title = '<script>alert("x")</script>&'
        project.save()
        html = self.client.get(URL).content.decode()
        self.assertNotIn("<script>alert", html)
        self.assertIn("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;", html)

    def test_no_inline_script_or_style_and_its_own_stylesheet(self):
        html = self.client.get(URL).content.decode()
        self.assertNotRegex(html, r"<script(?![^>]*\bsrc=)")
        self.assertNotRegex(html, r"\sstyle=")
        self.assertNotRegex(html, r"\son[a-z]+=")
        self.assertRegex(html, r'<link rel="stylesheet" href="/static/css/timeline\.\w+\.css"')


class TimelineAtScaleTests(PortfolioTestCase):
    """Pages of 50 projects, and the same number of queries at 11 and at 500 projects."""

    # the session, the user, the plans, the page's count, its projects, their checkpoints,
    # the plan's date range, the user's permissions (for the navigation) and the header's
    # 待办 count (the open periods, then every count in one query)
    QUERIES = {"alice": 11, "bob": 11}

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.generated = generate_plan(500, updates_per_project=0)

    def test_fifty_projects_a_page(self):
        url = {"year": self.generated.year}
        first = Page(self.client.get(URL, url))
        self.assertEqual(sorted(first.rows), list(range(1, 51)))
        last = Page(self.client.get(URL, {**url, "page": 10}))
        self.assertEqual(sorted(last.rows), list(range(451, 501)))
        self.assertIn("第 10 / 10 页", last.html)
        # every generated checkpoint has a planned date: three marks a row
        self.assertTrue(all(len(last.marks(n, "tl-planned")) == 3 for n in last.rows))

    def test_query_count_is_the_same_at_11_and_500_projects(self):
        for who, expected in self.QUERIES.items():
            for year in (2017, self.generated.year):
                with self.subTest(who=who, year=year):
                    self.client.force_login(getattr(self, who))
                    with self.assertNumQueries(expected):
                        response = self.client.get(URL, {"year": year})
                    self.assertEqual(response.status_code, 200)
                    self.assertTrue(response.context["chart"].rows)
