"""The annual report in a real browser (issue 14): the office at year end opens the year-end
page, follows the link to the annual report, reads the print page and downloads the .docx,
which python-docx reads back with every project and its assessment. The page fits a phone
(only its tables scroll, inside their own box) and passes axe. Screenshots go to
artifacts/screenshots/."""

import io

import pytest
from docx import Document
from playwright.sync_api import expect

from projects import closing
from projects.choices import Grade
from projects.models import Assessment, Project

from . import browsing, test_closeout_browser
from .test_closeout_browser import PHONE, _axe_problems, _year_end_state, sign_in

# the fixtures of the year-end journeys: roles, static files, the 2017 plan and its people
_roles = test_closeout_browser._roles
_plain_static_files = test_closeout_browser._plain_static_files
people = test_closeout_browser.people

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

GRADES = {3: Grade.GOOD, 10: Grade.PASS, 7: Grade.FAIL}  # 1: 优秀 (the shared state)


def _assessed(people):
    """The shared year end (1 closed out and 优秀, 5 carried, 6 stopped) and three more
    assessments through the service."""
    _year_end_state(people)
    for number, grade in GRADES.items():
        project = Project.objects.get(plan__year=2017, number=number)
        closing.assess(
            Assessment(project=project, grade=grade, notes=f"评定意见{number}"),
            people["alice"],
            None,
        )
    return {1: Grade.EXCELLENT, **GRADES}


def test_the_office_takes_the_annual_report_to_the_year_end_meeting(
    page, live_server, people, screenshots
):
    grades = _assessed(people)
    url = live_server.url
    sign_in(page, live_server, "alice")
    page.goto(f"{url}/plans/2017/yearend/")
    page.click(".page-head a:has-text('年度改革工作总结')")
    expect(page).to_have_url(f"{url}/plans/2017/annual-report/")
    doc = page.locator("article.annual-doc")
    expect(doc.locator("h1")).to_have_text("龙岗区2017年改革计划年度改革工作总结")
    expect(doc).to_contain_text("确定重点改革项目11个")
    expect(doc).to_contain_text("形成龙岗模式")
    expect(doc).to_contain_text("上级政策调整")
    screenshots(page, "annual1-print-page-1366")

    with page.expect_download() as download_info:
        page.click("a:has-text('下载年度总结（Word）')")
    download = download_info.value
    assert download.suggested_filename == "龙岗区2017年改革计划_年度改革工作总结.docx"
    document = Document(io.BytesIO(open(download.path(), "rb").read()))
    paragraphs = [p.text for p in document.paragraphs]
    for project in Project.objects.filter(plan__year=2017).order_by("number"):
        index = next(
            i
            for i, text in enumerate(paragraphs)
            if text.startswith(f"{project.number}．{project.title}")
        )
        grade = grades.get(project.number)
        expected = f"年度评定：{grade.label}。" if grade else "年度评定：未评定。"
        assert paragraphs[index + 1].startswith(expected), (project.number, paragraphs[index + 1])
    text = "\n".join(paragraphs)
    five = Project.objects.get(plan__year=2017, number=5)
    assert f"{five.title}：结转为2018年计划第1项。" in text


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_print_page_fits_a_phone(browser, live_server, people, language, screenshots):
    _assessed(people)
    wide, problems = {}, {}
    for viewport in (PHONE, {"width": 1366, "height": 900}):
        page = browsing.page_in(browser, live_server, "alice", viewport, language)
        page.goto(f"{live_server.url}/plans/2017/annual-report/")
        expect(page.locator("html")).to_have_attribute("lang", language)
        wide[viewport["width"]] = page.evaluate(
            "document.documentElement.scrollWidth - window.innerWidth"
        )
        problems[viewport["width"]] = _axe_problems(page)
        screenshots(page, f"annual-{language}-{viewport['width']}")
        page.context.close()
    assert {width: px for width, px in wide.items() if px > 0} == {}
    assert {width: found for width, found in problems.items() if found} == {}
