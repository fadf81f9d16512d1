"""A whole month of reporting in Chromium, as issue 13 tells it: the office opens a period;
the liaison of the lead unit finds the report in 待办, writes it with a PDF attached
(through the page's own upload form) and submits it; the office returns it with a note; the
liaison finds it returned in 待办, fixes and resubmits it; the office accepts it. Another
unit reports late, the office closes the period, and the scoreboard, the dashboard panel
and the bulletin (.docx, read back with python-docx) tell the month. Screenshots at 1366 px
and 390 px go to artifacts/screenshots/month-*; no page is wider than the phone."""

import hashlib
import re
from datetime import timedelta

import pytest
from docx import Document
from playwright.sync_api import expect

from evidence.models import Attachment
from projects import reporting, roles
from projects.choices import ProgressStatus, ReportState
from projects.models import ProgressUpdate, Project, ReportPeriod
from units.models import Unit

from . import browsing
from .browsing import DESKTOP, PHONE, sign_in, todo_count
from .factories import TODAY, make_user
from .test_browser import _overflow
from .test_evidence_samples import PDF

# the journeys' fixtures: static files from the apps; the roles, the 2017 plan, Alice and Bob
_plain_static_files = browsing.plain_static_files
people = browsing.people

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF_NAME = "六月进展（盖章版）.pdf"
NOTE = "请补充项目审批时限压缩的具体数据"


@pytest.fixture(autouse=True)
def _files(settings, tmp_path):
    """Evidence files go to a folder of the test's own, never the repository's files/."""
    settings.MEDIA_ROOT = tmp_path / "files"
    return settings.MEDIA_ROOT


@pytest.fixture
def shoot(screenshots):
    """A screenshot at 1366 px and one at 390 px; how far each phone page overflows."""
    wide = {}

    def both(page, name):
        for label, size in (("desktop", DESKTOP), ("phone", PHONE)):
            page.set_viewport_size(size)
            screenshots(page, f"month-{name}-{label}")
        wide[name] = _overflow(page)
        page.set_viewport_size(DESKTOP)

    both.wide = wide
    return both


def report_row(page, project):
    """The period page's row of ``project``."""
    return page.locator("table.period-reports tbody tr", has_text=project.title)


def score_row(page, unit):
    return page.locator("table.scoreboard tbody tr", has_text=unit)


def test_a_month_of_reporting(browser, live_server, people, _files, shoot):
    two, ten = Project.objects.get(number=2), Project.objects.get(number=10)

    # --- the office opens the period -------------------------------------------------
    office = sign_in(browser.new_context(viewport=DESKTOP), live_server, "alice")
    office.goto(f"{live_server.url}/plans/2017/periods/")
    office.locator("main").get_by_role("link", name="开启报告期").click()
    office.fill("#id_name", "2017年6月")
    office.fill("#id_starts_on", (TODAY - timedelta(days=20)).isoformat())
    office.fill("#id_ends_on", (TODAY + timedelta(days=5)).isoformat())
    office.fill("#id_due_on", (TODAY + timedelta(days=10)).isoformat())
    office.click("main form.card-form button[type=submit]")
    expect(office.locator(".messages")).to_contain_text("报告期已开启：2017年6月")
    period = ReportPeriod.objects.get(name="2017年6月")
    expect(report_row(office, two)).to_contain_text("尚未报送")

    # --- the liaison finds it in 待办 and writes it, with a PDF ----------------------
    liaison = sign_in(browser.new_context(viewport=DESKTOP), live_server, "bob")
    owed = todo_count(liaison)
    assert owed >= 1
    liaison.locator(".site-nav").get_by_role("link", name=re.compile("待办")).click()
    item = liaison.locator("#todo-reports + ul li", has_text=two.title)
    expect(item).to_contain_text("2017年6月进展报告")
    shoot(liaison, "liaison-todo")
    item.get_by_role("link", name="填报").click()
    expect(liaison).to_have_url(re.compile(r"/projects/2017/2/#progress-form$"))
    liaison.select_option("#id_status", ProgressStatus.ON_TRACK.value)
    liaison.fill("#id_percent_complete", "30")
    liaison.fill("#id_summary", "六月完成全流程管理办法初稿，征求12个部门意见")
    liaison.click("#progress-form button[value=draft]")
    expect(liaison.locator(".messages")).to_contain_text("进展报告草稿已保存。")
    draft = liaison.locator("article.update", has_text="六月完成全流程管理办法初稿")
    draft.locator("details.attach-files summary").click()
    draft.locator("input[type=file]").set_input_files(
        files=[{"name": PDF_NAME, "mimeType": "application/pdf", "buffer": PDF}]
    )
    draft.get_by_role("button", name="上传").click()
    expect(liaison.locator(".messages")).to_contain_text(f"附件已上传：{PDF_NAME}")
    expect(draft.locator(".attachment-list")).to_contain_text(PDF_NAME)
    stored = Attachment.objects.get()
    assert stored.sha256 == hashlib.sha256(PDF).hexdigest()
    assert (_files / stored.stored_name).read_bytes() == PDF
    draft.get_by_role("button", name="提交", exact=True).click()
    expect(liaison.locator(".messages")).to_contain_text("进展报告已提交，等待区委改革办采纳。")
    report = ProgressUpdate.objects.get(project=two)
    assert (report.period, report.unit, report.state) == (
        period,
        Unit.objects.get(short_name="区发改局"),
        ReportState.SUBMITTED,
    )
    assert not report.submitted_late
    assert todo_count(liaison) == owed - 1
    shoot(liaison, "liaison-report")

    # --- the office reads the PDF and returns the report with a note -------------------
    office.goto(f"{live_server.url}/todo/")
    waiting = office.locator("#todo-to_accept + ul li", has_text=two.title)
    expect(waiting).to_contain_text("区发改局")
    shoot(office, "office-todo")
    office.goto(f"{live_server.url}{two.get_absolute_url()}")
    with office.expect_download() as download:
        office.get_by_role("link", name=PDF_NAME, exact=True).click()
    assert download.value.suggested_filename == PDF_NAME
    assert download.value.path().read_bytes() == PDF
    office.goto(f"{live_server.url}{period.get_absolute_url()}")
    row = report_row(office, two)
    expect(row).to_contain_text("已提交")
    row.locator("input[name=note]").fill(NOTE)
    row.get_by_role("button", name="退回修改").click()
    expect(office.locator(".messages")).to_contain_text("进展报告已退回修改。")
    expect(report_row(office, two)).to_contain_text("退回修改")
    shoot(office, "office-period-returned")

    # --- the liaison sees it returned, fixes it and resubmits ----------------------------
    liaison.reload()
    assert todo_count(liaison) == owed
    liaison.goto(f"{live_server.url}/todo/")
    item = liaison.locator("#todo-reports + ul li", has_text=two.title)
    expect(item).to_contain_text("退回修改")
    item.get_by_role("link", name="修改并提交").click()
    expect(liaison.locator(".review-note")).to_contain_text(NOTE)
    liaison.fill("#id_summary", "六月完成全流程管理办法初稿；审批时限由45个工作日压缩至20个")
    shoot(liaison, "liaison-fix")
    liaison.get_by_role("button", name="保存并提交").click()
    expect(liaison.locator(".messages")).to_contain_text(
        "进展报告已修改并提交，等待区委改革办采纳。"
    )
    assert todo_count(liaison) == owed - 1

    # --- the office accepts it ---------------------------------------------------------
    office.reload()
    row = report_row(office, two)
    expect(row).to_contain_text("已提交")
    row.get_by_role("button", name="采纳").click()
    expect(office.locator(".messages")).to_contain_text("进展报告已采纳。")
    report.refresh_from_db()
    assert (report.state, report.submitted_late) == (ReportState.ACCEPTED, False)

    # --- the due date passes: 区教育局 reports late; the office closes the period -------
    ReportPeriod.objects.filter(pk=period.pk).update(due_on=TODAY - timedelta(days=1))
    erin = make_user("erin", roles.UNIT_LIAISON, unit=Unit.objects.get(short_name="区教育局"))
    late = ProgressUpdate(
        reported_on=TODAY, status=ProgressStatus.WARNING, percent_complete=10, summary="方案起草中"
    )
    assert reporting.write_report(ten, erin, late).submitted_late
    office.reload()
    office.get_by_role("button", name="关闭报告期").click()
    expect(office.locator(".messages")).to_contain_text("报告期已关闭，其中的报告已锁定。")
    shoot(office, "office-period-closed")

    # --- the scoreboard and the dashboard panel ---------------------------------------
    office.goto(f"{live_server.url}/plans/2017/scoreboard/")
    fagai = score_row(office, "区发改局")
    for label, value in (("应报", "1"), ("按时报送", "1"), ("逾期提交", "0"), ("未报", "0")):
        expect(fagai.locator(f"td[data-label={label}]")).to_have_text(value)
    expect(fagai.locator("td[data-label=按时率]")).to_contain_text("100%")
    expect(fagai.locator("td[data-label=名次]")).to_have_text("1")
    expect(score_row(office, "区教育局").locator("td[data-label=逾期提交]")).to_have_text("1")
    expect(score_row(office, "区政务办").locator("td[data-label=未报]")).to_have_text("1")
    shoot(office, "scoreboard")
    office.goto(f"{live_server.url}/")
    best = office.locator(".scoreboard-panel li", has_text="区发改局")
    expect(best).to_contain_text("100%")
    expect(best).to_contain_text("按时 1/1，未报 0")
    expect(office.locator(".scoreboard-panel li", has_text="区教育局")).to_contain_text(
        "按时 0/1，逾期 1，未报 0"
    )
    shoot(office, "dashboard")

    # --- the bulletin, downloaded and read back ----------------------------------------
    office.goto(f"{live_server.url}{period.get_absolute_url()}")
    with office.expect_download() as download:
        office.get_by_role("link", name="下载通报（Word）").click()
    assert download.value.suggested_filename == "龙岗区2017年改革计划_2017年6月_进展情况通报.docx"
    lines = [p.text for p in Document(download.value.path()).paragraphs]
    text = "\n".join(lines)
    assert "关于2017年6月改革项目进展情况的通报" in lines
    for project in Project.objects.filter(number__in=(2, 7, 9, 10)):
        assert project.title in text, project.title
    line_two = next(line for line in lines if two.title in line)
    assert "正常，完成30%。六月完成全流程管理办法初稿；审批时限由45个工作日压缩至20个。" in (
        line_two
    )
    assert "（一）逾期提交的单位：区教育局（第10项）。" in lines
    missing = next(line for line in lines if line.startswith("（二）未报送的单位："))
    assert "区政务办（第7项）" in missing
    assert "区科创局（第9项）" in missing
    assert "区发改局" not in missing
    assert "已采纳1个" in text

    assert {name: px for name, px in shoot.wide.items() if px > 0} == {}
