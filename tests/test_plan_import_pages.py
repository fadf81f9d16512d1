"""The import pages: who may open them (one ladder per page), CSRF on the upload, escaped
output, the link on the plan page, and the preview's query count, which does not grow
with the plan."""

import html as html_lib
import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from projects.models import Project

from .factories import generate_plan
from .test_plan_import import ImportCase, edit_cells, workbook_of

CJK = re.compile(r"[\u4e00-\u9fff]")
LOGIN = "→ sign-in"
PEOPLE = ["anonymous", "olivia", "charlie", "bob", "alice"]  # no role, leader, liaison, office


class ImportLadderTests(ImportCase):
    def status(self, person, method, url, data=None):
        self.client.logout()
        if person != "anonymous":
            self.client.force_login(getattr(self, person))
        response = getattr(self.client, method)(url, data or {})
        if response.status_code == 302 and response["Location"].startswith(reverse("login")):
            return LOGIN
        return response.status_code

    def ladder(self, method, url, data=None, done=200):
        return {p: self.status(p, method, url, data) for p in PEOPLE}, dict(
            zip(PEOPLE, [LOGIN, 403, 403, 403, done], strict=True)
        )

    def test_the_upload_page(self):
        self.assertEqual(*self.ladder("get", reverse("plan_import", args=[2017])))

    def test_the_template(self):
        self.assertEqual(*self.ladder("get", reverse("plan_import_template", args=[2017])))

    def test_uploading(self):
        data = workbook_of([["序号", "项目名称"], [1, "改名"]])
        got, expected = {}, dict(zip(PEOPLE, [LOGIN, 403, 403, 403, 302], strict=True))
        for person in PEOPLE:
            self.client.logout()
            if person != "anonymous":
                self.client.force_login(getattr(self, person))
            response = self.upload(2017, data)
            login = response.status_code == 302 and response["Location"].startswith("/accounts")
            got[person] = LOGIN if login else response.status_code
        self.assertEqual(got, expected)
        self.assertEqual(len(self.kept_files()), 1)  # only the office's upload is kept

    def test_the_preview_and_confirming_it(self):
        page = self.preview(2017, edit_cells(self.ledger(), {(5, "改革目标"): "新目标"}))
        url = reverse("plan_import_preview", args=[2017, page.context["token"]])
        got = {}
        for person in PEOPLE[:-1]:  # each in a browser of their own; Alice stays signed in
            browser = Client()
            if person != "anonymous":
                browser.force_login(getattr(self, person))
            for method, data in (("get", {}), ("post", {"action": "apply"})):
                response = getattr(browser, method)(url, data)
                login = response.status_code == 302 and response["Location"].startswith("/accounts")
                got[f"{person} {method}"] = LOGIN if login else response.status_code
        got["alice get"] = self.client.get(url).status_code
        self.assertEqual(
            got,
            {
                "anonymous get": LOGIN,
                "anonymous post": LOGIN,
                "olivia get": 403,
                "olivia post": 403,
                "charlie get": 403,
                "charlie post": 403,
                "bob get": 403,
                "bob post": 403,
                "alice get": 200,
            },
        )
        self.assertNotEqual(Project.objects.get(plan__year=2017, number=5).goals, "新目标")

    def test_the_link_on_the_plan_page_is_for_those_who_manage_the_plan(self):
        url = reverse("plan_detail", args=[2017])
        link = reverse("plan_import", args=[2017])
        self.assertContains(self.client.get(url), f'href="{link}"')
        self.client.force_login(self.charlie)
        self.assertNotContains(self.client.get(url), f'href="{link}"')


class UploadSafetyTests(ImportCase):
    def test_an_upload_without_the_csrf_token_is_refused(self):
        client = Client(enforce_csrf_checks=True)
        client.force_login(self.alice)
        data = workbook_of([["序号", "项目名称"], [1, "改名"]])
        response = client.post(
            reverse("plan_import", args=[2017]), {"file": SimpleUploadedFile("a.xlsx", data)}
        )
        self.assertEqual(response.status_code, 403)
        self.assertEqual(self.kept_files(), [])

    def test_text_from_the_file_is_escaped(self):
        data = edit_cells(self.ledger(), {(5, "改革目标"): "<script>alert(1)</script>"})
        page = self.preview(2017, data)
        self.assertNotContains(page, "<script>alert(1)</script>")
        self.assertContains(page, "&lt;script&gt;alert(1)&lt;/script&gt;")

    def test_the_preview_in_english(self):
        self.client.post(reverse("set_language"), {"language": "en", "next": "/"})
        page = self.preview(2017, edit_cells(self.ledger(), {(5, "Reform goals"): "新目标"}))
        self.assertContains(page, "Import preview")
        self.assertContains(page, "Reason for the adjustment")
        self.assertContains(page, "新目标")


class PreviewQueryTests(ImportCase):
    def test_the_preview_costs_the_same_queries_at_11_and_300_projects(self):
        big = generate_plan(300, updates_per_project=0)
        for year, size in ((2017, 11), (big.year, 300)):
            with self.subTest(projects=size):
                response = self.upload(year, self.ledger(year))
                self.assertEqual(response.status_code, 302)
                with self.assertNumQueries(12):  # + 2: the header's 待办 count
                    page = self.client.get(response["Location"])
                self.assertEqual(len(page.context["preview"].unchanged), size)


class EnglishPageTests(ImportCase):
    """Every Chinese character left on the English import pages comes from the data."""

    def data(self):
        from projects.models import ReformPlan
        from units.models import Official, Unit

        words = {"改革台账.xlsx", "新目标", "张三", "龙岗区新设单位"}
        for plan in ReformPlan.objects.all():
            words.add(plan.title)
        for project in Project.objects.all():
            words.update((project.title, project.goals, str(project.number_cn)))
        for unit in Unit.objects.all():
            words.update((unit.name, unit.short_name, str(unit)))
        for official in Official.objects.all():
            words.update((official.name, official.position, str(official)))
        words.update(("简体中文", "改"))  # the language's own name, the logo
        return sorted((w for w in words if w), key=len, reverse=True)

    def leftovers(self, response):
        text = html_lib.unescape(re.sub(r"<[^>]+>", "\n", response.content.decode()))
        for word in self.data():
            text = text.replace(word, "")
        return [line.strip() for line in text.splitlines() if CJK.search(line)]

    def test_upload_and_preview_pages(self):
        self.client.post(reverse("set_language"), {"language": "en", "next": "/"})
        self.assertEqual(self.leftovers(self.client.get(reverse("plan_import", args=[2017]))), [])
        edited = edit_cells(
            self.ledger(), {(5, "Reform goals"): "新目标", (6, "Lead unit"): "龙岗区新设单位"}
        )
        page = self.preview(2017, edited)
        self.assertEqual(self.leftovers(page), [])
        key = page.context["preview"].names[0].key
        chosen = self.post_preview(page, action="apply", **{key: ""})
        self.assertEqual(chosen.status_code, 400)
        self.assertEqual(self.leftovers(chosen), [])
        refused = self.upload(
            2017, workbook_of([["No.", "Project name", "Area"], [1, "x", "经发"]])
        )
        self.assertContains(refused, "is not a valid Area", status_code=400)
