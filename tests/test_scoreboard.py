"""The unit scoreboard (单位排名): figures on a hand-made case, the order, the page, the
dashboard panel, the ledger's second sheet, who may see it, and its query counts."""

import io
import re
from datetime import date, timedelta
from html import unescape

from django.core.cache import cache
from django.urls import reverse
from openpyxl import load_workbook

from projects.choices import CheckpointKind, CheckpointStatus, PeriodStatus, ProjectTier
from projects.choices import ReportState as S
from projects.models import ProgressUpdate, ReportPeriod
from projects.scoreboard import unit_scoreboard
from units.models import Unit

from .base import PlanTestCase
from .factories import TODAY, generate_plan, make_plan, make_project, report, set_checkpoint

JAN = (date(2020, 1, 1), date(2020, 1, 31))
FEB = (date(2020, 2, 1), date(2020, 2, 29))


def make_period(plan, name, days, *, due=None, status=PeriodStatus.CLOSED, tiers=None):
    starts, ends = days
    return ReportPeriod.objects.create(
        plan=plan,
        name=name,
        starts_on=starts,
        ends_on=ends,
        due_on=due or ends,
        status=status,
        tiers=tiers or [ProjectTier.DISTRICT],
    )


def period_report(project, period, unit, state=S.SUBMITTED, *, late=False, **fields):
    """``unit``'s report on ``project`` for ``period``, handed in on time unless ``late``."""
    return report(
        project,
        on=period.ends_on,
        period=period,
        unit=unit,
        state=state,
        submitted_late=late,
        **fields,
    )


def table_rows(response, css_class="scoreboard"):
    """The text of each body row of the page's table, cell by cell, as a reader sees it."""
    html = response.content.decode()
    table = re.search(rf'<table class="{css_class}[^"]*">(.*?)</table>', html, re.S).group(1)
    body = re.search(r"<tbody>(.*?)</tbody>", table, re.S).group(1)
    rows = []
    for row in re.findall(r"<tr>(.*?)</tr>", body, re.S):
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        rows.append([" ".join(unescape(re.sub(r"<[^>]+>", " ", c)).split()) for c in cells])
    return rows


class HandMadeCase(PlanTestCase):
    """Plan 2020: 甲局 leads projects 1 and 2, 乙局 leads project 3, project 4 has no lead unit
    (待定), project 5 (乙局) is 单位自主 and not covered. Two closed periods:

    | period | project 1 (甲局) | project 2 (甲局) | project 3 (乙局) |
    | 1月 | on time, accepted | late | draft → missing |
    | 2月 | returned (on time) | nothing → missing | on time, accepted |

    甲局 also files a report on project 3 (it takes part), which is not the lead unit's.
    Overdue checkpoints: project 1 实施关 planned 2020-01-15, project 3 方案关 planned
    2020-02-10, neither passed; project 2 方案关 passed 2020-02-05.
    """

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.jia = Unit.objects.create(name="测试甲局", short_name="甲局")
        cls.yi = Unit.objects.create(name="测试乙局", short_name="乙局")
        plan = cls.plan = make_plan(2020, "龙岗区2020年改革计划")
        p = cls.p = {
            1: make_project(plan, 1, "甲局的项目一", lead_unit=cls.jia),
            2: make_project(plan, 2, "甲局的项目二", lead_unit=cls.jia),
            3: make_project(plan, 3, "乙局的项目三", lead_unit=cls.yi, units=[cls.jia]),
            4: make_project(plan, 4, "待定的项目四"),
            5: make_project(plan, 5, "乙局的自主项目", lead_unit=cls.yi, tier=ProjectTier.UNIT),
        }
        jan = cls.jan = make_period(plan, "2020年1月", JAN)
        feb = cls.feb = make_period(plan, "2020年2月", FEB)
        period_report(p[1], jan, cls.jia, S.ACCEPTED)
        period_report(p[2], jan, cls.jia, late=True)
        period_report(p[3], jan, cls.yi, S.DRAFT)
        period_report(p[1], feb, cls.jia, S.RETURNED)
        period_report(p[3], feb, cls.yi, S.ACCEPTED)
        period_report(p[3], feb, cls.jia, S.ACCEPTED)  # a participating unit's
        period_report(p[5], feb, cls.yi, S.ACCEPTED)  # not covered
        set_checkpoint(p[1], CheckpointKind.IMPLEMENTATION, CheckpointStatus.IN_PROGRESS,
                       date(2020, 1, 15))  # fmt: skip
        set_checkpoint(p[3], CheckpointKind.PLAN, CheckpointStatus.REWORK, date(2020, 2, 10))
        set_checkpoint(p[2], CheckpointKind.PLAN, CheckpointStatus.PASSED, date(2020, 2, 1),
                       passed_on=date(2020, 2, 5))  # fmt: skip

    def board(self, period=None, today=None):
        periods = list(self.plan.periods.all())
        return unit_scoreboard(self.plan, periods, period, today)

    @staticmethod
    def figures(board):
        """unit → (due, on time, late, missing, returned, overdue checkpoints, rate %)"""
        return {
            row.name: (
                row.due,
                row.on_time,
                row.late,
                row.missing,
                row.returned,
                row.overdue_checkpoints,
                row.rate_percent,
            )
            for row in board.rows
        }


class ScoreboardFigureTests(HandMadeCase):
    def test_the_year(self):
        board = self.board()
        self.assertEqual(
            self.figures(board),
            {"甲局": (4, 2, 1, 1, 1, 1, 50), "乙局": (2, 1, 0, 1, 0, 1, 50)},
        )
        self.assertEqual(board.unassigned, 2)  # project 4, in two periods

    def test_each_period(self):
        self.assertEqual(
            self.figures(self.board(self.jan)),
            {"甲局": (2, 1, 1, 0, 0, 1, 50), "乙局": (1, 0, 0, 1, 0, 0, 0)},
        )
        self.assertEqual(
            self.figures(self.board(self.feb)),
            {"乙局": (1, 1, 0, 0, 0, 1, 100), "甲局": (2, 1, 0, 1, 1, 0, 50)},
        )

    def test_an_open_period_before_its_due_date_counts_only_what_is_in(self):
        march = make_period(
            self.plan,
            "本月",
            (TODAY - timedelta(days=5), TODAY + timedelta(days=5)),
            due=TODAY + timedelta(days=5),
            status=PeriodStatus.OPEN,
        )
        period_report(self.p[1], march, self.jia)
        self.assertEqual(
            self.figures(self.board(march)),
            {"甲局": (1, 1, 0, 0, 0, 0, 100), "乙局": (0, 0, 0, 0, 0, 0, None)},
        )
        self.assertEqual(self.board(march).unassigned, 0)
        # the day after the due date every covered project is owed
        after = TODAY + timedelta(days=6)
        self.assertEqual(
            self.figures(self.board(march, today=after)),
            {"甲局": (2, 1, 0, 1, 0, 0, 50), "乙局": (1, 0, 0, 1, 0, 0, 0)},
        )

    def test_order_by_rate_then_fewest_missing_then_name(self):
        # 丙局: 50 % like the others, but nothing missing (one on time, one late)
        bing = Unit.objects.create(name="测试丙局", short_name="丙局")
        project = make_project(self.plan, 6, "丙局的项目", lead_unit=bing)
        period_report(project, self.jan, bing)
        period_report(project, self.feb, bing, late=True)
        # 丁局 leads a project no period covers yet... it is covered, but reported nothing
        ding = Unit.objects.create(name="测试丁局", short_name="丁局")
        make_project(self.plan, 7, "丁局的项目", lead_unit=ding)
        names = [(row.rank, row.name) for row in self.board().rows]
        # 50 %, 0 missing; 50 %, 1 missing: 乙 (U+4E59) before 甲 (U+7532); 0 %
        self.assertEqual(names, [(1, "丙局"), (2, "乙局"), (3, "甲局"), (4, "丁局")])

    def test_a_withdrawn_project_is_not_owed(self):
        self.p[2].standing = "withdrawn"
        self.p[2].withdrawn_reason = "合并"
        self.p[2].save()
        # left: project 1, on time in both periods (returned in 2月)
        self.assertEqual(self.figures(self.board())["甲局"], (2, 2, 0, 0, 1, 1, 100))


class ScoreboardPageTests(HandMadeCase):
    def test_the_page_shows_the_year_sorted(self):
        response = self.client.get(reverse("scoreboard", args=[2020]))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "全年（2个报告期）")
        rows = table_rows(response)
        # rank, unit, due, on time, late, missing, returned, rate, overdue checkpoints,
        # reminders received, open 督办 items (the last two from the chasing app)
        self.assertEqual(
            rows,
            [
                ["1", "乙局", "2", "1", "0", "1", "0", "50%", "1", "0", "0"],
                ["2", "甲局", "4", "2", "1", "1", "1", "50%", "1", "0", "0"],
            ],
        )
        self.assertContains(response, "另有2份应报报告的项目牵头单位待定，不计入排名。")
        self.assertContains(response, "收到催办")
        self.assertContains(response, "督办事项")

    def test_reminders_received_count_each_piece_of_work_once_a_day(self):
        from chasing.models import Reminder

        def chase(item, day, channel):
            Reminder.objects.create(
                item=item,
                kind="report",
                stage="late",
                channel=channel,
                project=self.p[1],
                unit=self.jia,
                period=self.jan,
                to_whom="联络员",
                subject="催报",
                due_on=self.jan.due_on,
                day=day,
            )

        first, second = self.jan.due_on + timedelta(days=1), self.jan.due_on + timedelta(days=4)
        chase("report:a", first, "in_app")
        chase("report:a", first, "email")  # the same reminder by another channel
        chase("report:a", second, "in_app")  # chased again another day
        chase("report:b", second, "in_app")  # another piece of work
        page = self.client.get(reverse("scoreboard", args=[2020]))
        rows = {row[1]: row for row in table_rows(page)}
        self.assertEqual((rows["甲局"][9], rows["乙局"][9]), ("3", "0"))
        one = self.client.get(reverse("scoreboard", args=[2020]), {"period": self.feb.pk})
        self.assertEqual({row[1]: row[9] for row in table_rows(one)}, {"甲局": "0", "乙局": "0"})

    def test_one_period(self):
        response = self.client.get(reverse("scoreboard", args=[2020]), {"period": self.feb.pk})
        self.assertContains(response, "2020年2月 · 2020-02-01 – 2020-02-29")
        self.assertEqual(
            [row[:8] for row in table_rows(response)],
            [
                ["1", "乙局", "1", "1", "0", "0", "0", "100%"],
                ["2", "甲局", "2", "1", "0", "1", "1", "50%"],
            ],
        )

    def test_a_bad_period_is_a_chinese_message_not_an_error(self):
        other = make_period(make_plan(2021), "别的计划", JAN)
        url = reverse("scoreboard", args=[2020])
        for value in ("abc", "999999", str(other.pk), "1 OR 1=1", "\x00", "-1"):
            with self.subTest(value=value):
                response = self.client.get(url, {"period": value})
                self.assertEqual(response.status_code, 400)
                self.assertContains(response, "该年度计划没有这个报告期", status_code=400)
        self.assertEqual(self.client.get("/plans/1999/scoreboard/").status_code, 404)

    def test_a_plan_without_periods(self):
        make_plan(2022)
        response = self.client.get(reverse("scoreboard", args=[2022]))
        self.assertContains(response, "尚未开启报告期")

    def test_english(self):
        self.client.post(reverse("set_language"), {"language": "en", "next": "/"})
        response = self.client.get(reverse("scoreboard", args=[2020]))
        self.assertContains(response, "Unit scoreboard")
        self.assertContains(response, "On-time rate")

    def test_linked_from_the_periods_and_a_period(self):
        response = self.client.get(reverse("period_list", args=[2020]))
        self.assertContains(response, reverse("scoreboard", args=[2020]))
        response = self.client.get(reverse("period_detail", args=[self.feb.pk]))
        self.assertContains(response, f"{reverse('scoreboard', args=[2020])}?period={self.feb.pk}")


class ScoreboardPanelTests(HandMadeCase):
    def test_the_dashboard_shows_the_units_and_links_to_the_page(self):
        response = self.client.get("/?year=2020")
        self.assertContains(response, "单位排名（全年报送按时率）")
        self.assertContains(response, reverse("scoreboard", args=[2020]))
        self.assertContains(response, "按时 1/2，未报 1")  # 乙局
        self.assertContains(response, "按时 2/4，逾期 1，未报 1")  # 甲局: 1 late

    def test_top_and_bottom_three_of_many(self):
        plan = make_plan(2023)
        period = make_period(plan, "一月", JAN)
        for n in range(1, 9):  # unit n reports n of 8 projects, all on time
            unit = Unit.objects.create(name=f"排名单位{n}")
            for k in range(1, 9):
                project = make_project(plan, n * 10 + k, lead_unit=unit)
                if k <= n:
                    period_report(project, period, unit)
        html = self.client.get("/?year=2023").content.decode()
        panel = html[html.index('id="scoreboard-h"') :]
        self.assertIn("按时率最高", panel)
        self.assertIn("按时率最低", panel)
        shown = re.findall(r"排名单位(\d)", panel)
        self.assertEqual(shown, ["8", "7", "6", "3", "2", "1"])

    def test_no_panel_without_periods(self):
        make_plan(2022)
        self.assertNotContains(self.client.get("/?year=2022"), "scoreboard-h")


class LedgerSheetTests(HandMadeCase):
    def test_the_xlsx_has_the_scoreboard_as_a_second_sheet(self):
        response = self.client.get("/projects/export.xlsx?year=2020")
        workbook = load_workbook(io.BytesIO(response.content))
        self.assertEqual(workbook.sheetnames, ["改革台账", "单位排名"])
        rows = list(workbook["单位排名"].values)
        self.assertIn("单位排名（全年）", rows[0][0])
        header = rows[2]
        self.assertEqual(header[:8], ("名次", "单位", "应报", "按时报送", "逾期提交", "未报",
                                      "退回修改", "按时率"))  # fmt: skip
        self.assertEqual(rows[3][:9], (1, "乙局", 2, 1, 0, 1, 0, 0.5, 1))
        self.assertEqual(rows[4][:9], (2, "甲局", 4, 2, 1, 1, 1, 0.5, 1))


class ScoreboardAccessTests(HandMadeCase):
    def test_the_ladder(self):
        url = reverse("scoreboard", args=[2020])
        self.client.logout()
        self.assertRedirects(self.client.get(url), f"{reverse('login')}?next={url}")
        self.client.force_login(self.olivia)  # no role
        response = self.client.get(url)
        self.assertContains(response, "没有权限查看", status_code=403)
        self.assertNotContains(response, "乙局", status_code=403)
        for reader in (self.alice, self.bob, self.erin, self.charlie, self.dave):
            self.client.force_login(reader)
            self.assertContains(self.client.get(url), "乙局")


class ReportQueryCountTests(PlanTestCase):
    """The scoreboard page, the dashboard panel and the bulletin (page and .docx) cost the
    same at 11 and at 500 projects."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.generated = generate_plan(500, updates_per_project=1)
        for plan in (cls.generated, cls.generated.__class__.objects.get(year=2017)):
            period = make_period(
                plan, "上月", (TODAY - timedelta(days=40), TODAY - timedelta(days=10)),
                tiers=ProjectTier.values,
            )  # fmt: skip
            projects = plan.projects.exclude(lead_unit=None)
            states = [S.SUBMITTED, S.ACCEPTED, S.RETURNED, S.DRAFT]
            ProgressUpdate.objects.bulk_create(
                ProgressUpdate(
                    project=project,
                    period=period,
                    unit_id=project.lead_unit_id,
                    state=states[index % 4],
                    submitted_late=index % 3 == 0,
                    reported_on=period.ends_on,
                    summary="本期进展",
                    status="on_track",
                    percent_complete=50,
                )
                for index, project in enumerate(projects)
            )

    # every page + 2 for the header's 待办 count; with the chasing app the scoreboard also
    # reads the reminders received (1) and the open 督办 items (3)
    SCOREBOARD = 9 + 2 + 4
    # the dashboard's 17 + the plan's periods + projects + reports, + the header (2), the
    # 督办 panel (3) and the scoreboard panel's chasing columns (4)
    DASHBOARD = 19 + 2 + 3 + 4 + 2 + 1  # + the 四个亲自 matrix, + the data stamp
    # session, user, period, permissions (2), projects, reports, passed checkpoints; + the
    # open 督办 items and their units (chasing, 3); the print page also has the header (2)
    BULLETIN = 8 + 3
    BULLETIN_PAGE = 8 + 3 + 2

    def test_the_page_the_panel_and_the_bulletin(self):
        for year in (2017, self.generated.year):
            period = ReportPeriod.objects.get(plan__year=year)
            pages = {
                f"/plans/{year}/scoreboard/": self.SCOREBOARD,
                f"/plans/{year}/scoreboard/?period={period.pk}": self.SCOREBOARD,
                f"/?year={year}": self.DASHBOARD,
                f"/periods/{period.pk}/bulletin/": self.BULLETIN_PAGE,
                f"/periods/{period.pk}/bulletin.docx": self.BULLETIN,
            }
            for url, expected in pages.items():
                cache.clear()  # nothing cached (the cached dashboard: test_query_counts.py)
                with self.subTest(url=url), self.assertNumQueries(expected):
                    response = self.client.get(url)
                self.assertEqual(response.status_code, 200)
                if "scoreboard" in url:
                    self.assertGreater(len(table_rows(response)), 1)
