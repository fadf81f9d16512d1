"""The directory of units and officials in the app: lists, adding and editing under the
rules (duplicates, loops in the unit tree), the change history, the pickers' search and
widgets, and who may do what."""

import json
import re

from django import forms
from django.db import transaction
from django.urls import reverse

from units.forms import OfficialPicker, UnitForm, UnitPicker, UnitPickerMultiple
from units.models import Official, Unit
from units.services import save_form

from .base import PlanTestCase

ROLES = ["anonymous", "olivia", "charlie", "bob", "alice", "dave"]
LOGIN = "→ sign-in"


def expect(anonymous, olivia, charlie, bob, alice, dave):
    return dict(zip(ROLES, (anonymous, olivia, charlie, bob, alice, dave), strict=True))


READERS = expect(LOGIN, 403, 200, 200, 200, 200)  # every role reads the directory
EDITORS = expect(LOGIN, 403, 403, 403, 200, 200)  # the reform office and administrators
EDITORS_DO = expect(LOGIN, 403, 403, 403, 302, 302)


def unit_data(**overrides):
    base = {"name": "龙岗区测试局", "short_name": "区测试局", "kind": "government", "parent": ""}
    return base | overrides


class Ladder(PlanTestCase):
    """Runs one request per role, each in a transaction rolled back afterwards."""

    def status(self, role, method, url, data=None):
        self.client.logout()
        if role != "anonymous":
            self.client.force_login(getattr(self, role))
        with transaction.atomic():
            response = getattr(self.client, method)(url, data or {})
            transaction.set_rollback(True)
        if response.status_code == 302 and response["Location"].startswith(reverse("login")):
            return LOGIN
        return response.status_code

    def assert_ladder(self, method, url, expected, data=None):
        for role in ROLES:
            with self.subTest(url=url, method=method, role=role):
                self.assertEqual(self.status(role, method, url, data), expected[role])


class DirectoryPermissionTests(Ladder):
    def test_unit_pages(self):
        unit = self.fagai.pk
        self.assert_ladder("get", reverse("unit_list"), READERS)
        self.assert_ladder("get", reverse("unit_search"), READERS, {"q": "发改"})
        self.assert_ladder("get", reverse("unit_add"), EDITORS)
        self.assert_ladder("post", reverse("unit_add"), EDITORS_DO, unit_data())
        self.assert_ladder("get", reverse("unit_edit", args=[unit]), EDITORS)
        edited = unit_data() | {"name": "龙岗区发展和改革局（改）"}
        self.assert_ladder("post", reverse("unit_edit", args=[unit]), EDITORS_DO, edited)

    def test_official_pages(self):
        pk = Official.objects.get(name="戴斌").pk
        data = {"name": "王五", "position": "副区长", "unit": ""}
        self.assert_ladder("get", reverse("official_list"), READERS)
        self.assert_ladder("get", reverse("official_search"), READERS, {"q": "区长"})
        self.assert_ladder("get", reverse("official_add"), EDITORS)
        self.assert_ladder("post", reverse("official_add"), EDITORS_DO, data)
        self.assert_ladder("get", reverse("official_edit", args=[pk]), EDITORS)
        self.assert_ladder("post", reverse("official_edit", args=[pk]), EDITORS_DO, data)

    def test_refusal_names_who_may(self):
        self.client.force_login(self.charlie)
        response = self.client.post(reverse("unit_add"), unit_data())
        self.assertContains(response, "只有区委改革办和管理员可以新增单位。", status_code=403)
        self.assertFalse(Unit.objects.filter(name="龙岗区测试局").exists())

    def test_missing_rows_are_404(self):
        self.assertEqual(self.client.get(reverse("unit_edit", args=[999999])).status_code, 404)
        self.assertEqual(self.client.get(reverse("official_edit", args=[99999])).status_code, 404)

    def test_readers_see_no_edit_controls_and_editors_see_them(self):
        self.client.force_login(self.charlie)
        page = self.client.get(reverse("unit_list"))
        self.assertNotContains(page, reverse("unit_add"))
        self.assertNotContains(page, reverse("unit_edit", args=[self.fagai.pk]))
        self.assertNotContains(page, ">名录<")  # the header link is for editors
        self.client.force_login(self.alice)
        page = self.client.get(reverse("unit_list"))
        self.assertContains(page, reverse("unit_add"))
        self.assertContains(page, reverse("unit_edit", args=[self.fagai.pk]))
        self.assertContains(page, f'href="{reverse("unit_list")}">名录<')


class UnitFormTests(PlanTestCase):
    def post(self, url, **overrides):
        return self.client.post(url, unit_data() | overrides)

    def test_office_adds_a_unit_and_the_list_shows_it(self):
        response = self.post(reverse("unit_add"), parent=str(self.fagai.pk))
        self.assertRedirects(response, reverse("unit_list"), fetch_redirect_response=False)
        unit = Unit.objects.get(name="龙岗区测试局")
        self.assertEqual((unit.short_name, unit.parent), ("区测试局", self.fagai))
        page = self.client.get(reverse("unit_list"))
        self.assertContains(page, "已新增单位“龙岗区测试局”。")
        self.assertContains(page, "龙岗区测试局")

    def assert_refused(self, response, message, field=None):
        self.assertContains(response, message, status_code=400)
        if field:  # the message stands beside the field
            html = response.content.decode()
            block = re.search(rf'<div class="field field-{field}">.*?</div>\s*</div>', html, re.S)
            self.assertIn(message, block.group(0))

    def test_duplicate_full_name_is_refused_beside_the_field(self):
        before = Unit.objects.count()
        response = self.post(reverse("unit_add"), name="龙岗区发展和改革局", short_name="")
        self.assert_refused(response, "已存在同名单位。", "name")
        self.assertEqual(Unit.objects.count(), before)

    def test_duplicate_short_name_is_refused_but_two_blank_ones_are_fine(self):
        response = self.post(reverse("unit_add"), short_name="区发改局")
        self.assert_refused(response, "已有单位使用这个简称。", "short_name")
        self.assertFalse(Unit.objects.filter(name="龙岗区测试局").exists())
        self.post(reverse("unit_add"), name="甲单位", short_name="")
        response = self.post(reverse("unit_add"), name="乙单位", short_name="")
        self.assertEqual(response.status_code, 302)
        self.assertEqual(
            Unit.objects.filter(short_name="", name__in=["甲单位", "乙单位"]).count(), 2
        )

    def test_a_unit_cannot_be_below_itself(self):
        child = Unit.objects.create(name="平湖街道某社区工作站", parent=self.fagai)
        grandchild = Unit.objects.create(name="某网格", parent=child)
        url = reverse("unit_edit", args=[self.fagai.pk])
        data = {"name": self.fagai.name, "short_name": self.fagai.short_name, "kind": "government"}
        for below in (child, grandchild):
            response = self.client.post(url, data | {"parent": below.pk})
            self.assert_refused(response, "上级单位不能是本单位的下级单位", "parent")
        response = self.client.post(url, data | {"parent": self.fagai.pk})
        self.assert_refused(response, "单位不能是自己的上级单位。")
        self.fagai.refresh_from_db()
        self.assertIsNone(self.fagai.parent)

    def test_bad_input_gets_messages_not_a_server_error(self):
        for overrides, message in (
            ({"name": "   "}, "请填写单位全称。"),
            ({"name": "长" * 101}, "目前字符数 101"),
            ({"kind": "nonsense"}, "选择一个有效的选项"),
            ({"parent": "999999"}, "选择一个有效的选项"),
            ({"parent": "abc"}, "选择一个有效的选项"),
        ):
            with self.subTest(overrides=overrides):
                self.assertContains(
                    self.post(reverse("unit_add"), **overrides), message, status_code=400
                )
        self.assertFalse(Unit.objects.filter(short_name="区测试局").exists())

    def test_english_interface_gets_the_english_message(self):
        self.client.cookies["django_language"] = "en"
        response = self.post(reverse("unit_add"), name="龙岗区发展和改革局", short_name="")
        self.assertContains(response, "A unit with this name already exists.", status_code=400)

    def test_a_duplicate_saved_by_someone_else_meanwhile_gets_the_message(self):
        form = UnitForm(unit_data())
        self.assertTrue(form.is_valid())
        Unit.objects.create(name="龙岗区测试局")  # someone else, between check and save
        self.assertIsNone(save_form(form))
        self.assertIn("已存在同名单位。", form.errors["name"])
        self.assertEqual(Unit.objects.filter(name="龙岗区测试局").count(), 1)

    def test_markup_in_names_is_shown_as_text(self):
        self.post(reverse("unit_add"), name="<b>粗体</b>局", short_name="<i>x</i>")
        page = self.client.get(reverse("unit_list")).content.decode()
        self.assertIn("&lt;b&gt;粗体&lt;/b&gt;局", page)
        self.assertNotIn("<b>粗体", page)


class OfficialFormTests(PlanTestCase):
    def test_office_adds_and_edits_an_official(self):
        response = self.client.post(
            reverse("official_add"), {"name": "王五", "position": "副区长", "unit": self.fagai.pk}
        )
        self.assertRedirects(response, reverse("official_list"))
        official = Official.objects.get(name="王五")
        self.assertEqual(official.unit, self.fagai)
        url = reverse("official_edit", args=[official.pk])
        response = self.client.post(url, {"name": "王五", "position": "常务副区长", "unit": ""})
        self.assertRedirects(response, reverse("official_list"))
        official.refresh_from_db()
        self.assertEqual((official.position, official.unit), ("常务副区长", None))

    def test_same_name_and_position_is_refused(self):
        data = {"name": "高自民", "position": "区委书记", "unit": ""}
        response = self.client.post(reverse("official_add"), data)
        self.assertContains(response, "已存在同名同职务的区领导。", status_code=400)
        self.assertEqual(Official.objects.filter(name="高自民").count(), 1)
        # the same name in another position is another record
        response = self.client.post(reverse("official_add"), data | {"position": "区政协主席"})
        self.assertEqual(response.status_code, 302)

    def test_required_fields(self):
        response = self.client.post(reverse("official_add"), {"name": "", "position": " "})
        self.assertContains(response, "请填写姓名。", status_code=400)
        self.assertContains(response, "请填写职务。", status_code=400)


class HistoryTests(PlanTestCase):
    def test_unit_edit_page_shows_who_changed_what(self):
        url = reverse("unit_edit", args=[self.fagai.pk])
        self.assertContains(self.client.get(url), "暂无变更记录。")
        data = {"name": "龙岗区发展和改革局", "short_name": "发改局", "kind": "government"}
        self.client.post(url, data | {"parent": ""})
        page = self.client.get(url)
        self.assertContains(page, "<del>区发改局</del> → <ins>发改局</ins>", html=False)
        self.assertContains(page, "alice")
        self.assertNotContains(page, "暂无变更记录。")

    def test_official_edit_page_shows_the_change(self):
        official = Official.objects.get(name="戴斌")
        url = reverse("official_edit", args=[official.pk])
        self.client.post(url, {"name": "戴斌", "position": "区长", "unit": self.fagai.pk})
        page = self.client.get(url)
        self.assertContains(page, "<del>区委副书记、区长</del> → <ins>区长</ins>", html=False)
        self.assertContains(page, "<del>—</del> → <ins>区发改局</ins>", html=False)


class ListQueryCountTests(PlanTestCase):
    """The lists cost the same whatever their length: session, user, two for permissions
    (the user's and their roles'), two for the header's 待办 count, and the rows with what
    each row shows."""

    def assert_constant(self, url, expected, add_rows):
        self.client.force_login(self.alice)
        with self.assertNumQueries(expected):
            self.assertEqual(self.client.get(url).status_code, 200)
        add_rows()
        with self.assertNumQueries(expected):
            self.assertEqual(self.client.get(url).status_code, 200)
        with self.assertNumQueries(expected):
            self.assertEqual(self.client.get(url, {"q": "局"}).status_code, 200)

    def test_units_list(self):
        def more():
            for n in range(40):
                Unit.objects.create(name=f"测试单位{n}", short_name=f"测{n}", parent=self.fagai)

        self.assert_constant(reverse("unit_list"), 7, more)

    def test_officials_list(self):
        def more():
            for n in range(40):
                Official.objects.create(name=f"领导{n}", position="副区长", unit=self.fagai)

        self.assert_constant(reverse("official_list"), 7, more)


class SearchTests(PlanTestCase):
    def search(self, name, q):
        response = self.client.get(reverse(name), {"q": q})
        return response, json.loads(response.content) if response.status_code < 500 else None

    def test_short_name_fragment_finds_the_unit(self):
        response, data = self.search("unit_search", "发改")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(data["results"][0]["label"], "区发改局")
        self.assertEqual(data["results"][0]["detail"], "龙岗区发展和改革局")
        self.assertEqual(data["results"][0]["id"], self.fagai.pk)
        _, data = self.search("unit_search", "发展和改革")  # by full name too
        self.assertEqual([r["id"] for r in data["results"]], [self.fagai.pk])

    def test_officials_by_name_or_position(self):
        _, data = self.search("official_search", "区长")
        self.assertEqual([r["label"] for r in data["results"]], ["戴斌（区委副书记、区长）"])
        _, data = self.search("official_search", "高")
        self.assertEqual([r["label"] for r in data["results"]], ["高自民（区委书记）"])

    def test_exact_matches_come_first(self):
        Unit.objects.create(name="龙岗区教育局附属单位", short_name="教育局附属")
        _, data = self.search("unit_search", "区教育局")
        self.assertEqual(data["results"][0]["label"], "区教育局")

    def test_markup_comes_back_escaped(self):
        Unit.objects.create(name="<script>alert(1)</script>局", short_name="<img src=x>")
        response, data = self.search("unit_search", "script")
        body = response.content.decode()
        self.assertNotIn("<script>", body)
        self.assertNotIn("<img", body)
        self.assertIn("\\u003cscript\\u003e", body)
        self.assertEqual(data["results"][0]["detail"], "<script>alert(1)</script>局")
        self.assertEqual(response["Content-Type"], "application/json; charset=utf-8")

    def test_at_most_twenty_results_and_fifty_characters(self):
        for n in range(25):
            Unit.objects.create(name=f"批量单位{n:02d}")
        response, data = self.search("unit_search", "批量单位")
        self.assertEqual(len(data["results"]), 20)
        self.assertTrue(data["more"])
        response, data = self.search("unit_search", "字" * 51)
        self.assertEqual(response.status_code, 400)
        self.assertEqual(data["error"], "搜索内容最多50个字。")
        response, data = self.search("unit_search", "字" * 50)
        self.assertEqual((response.status_code, data["results"]), (200, []))

    def test_empty_and_odd_queries(self):
        for q in ("", "   ", "%", "_", "\\", "'; DROP TABLE units_unit; --"):
            with self.subTest(q=q):
                response, data = self.search("unit_search", q)
                self.assertEqual((response.status_code, data["results"]), (200, []))
        self.assertTrue(Unit.objects.exists())
        response, data = self.search("official_search", "区\x00长")  # PostgreSQL refuses NUL
        self.assertEqual(response.status_code, 400)
        self.assertIn("error", data)

    def test_search_costs_the_same_whatever_matches(self):
        self.client.force_login(self.bob)
        with self.assertNumQueries(5):  # session, user, 2 × permissions, the matches
            self.client.get(reverse("official_search"), {"q": "区"})


class PickerWidgetTests(PlanTestCase):
    """What another form gets from the pickers: a plain select with every choice (works
    without JavaScript), the search URL and the script."""

    class ProjectLikeForm(forms.Form):
        lead_unit = forms.ModelChoiceField(Unit.objects.all(), required=False, widget=UnitPicker)
        lead_official = forms.ModelChoiceField(
            Official.objects.all(), required=False, widget=OfficialPicker
        )
        units = forms.ModelMultipleChoiceField(
            Unit.objects.all(), required=False, widget=UnitPickerMultiple
        )

    def test_plain_selects_with_every_choice_and_the_search_urls(self):
        html = str(self.ProjectLikeForm())
        self.assertRegex(html, r'<select name="lead_unit"[^>]*data-picker="/units/search/"')
        self.assertRegex(html, r'<select name="lead_official"[^>]*data-picker="/officials/search/"')
        self.assertRegex(html, r'<select name="units"[^>]*multiple')
        self.assertEqual(html.count(f'<option value="{self.fagai.pk}"'), 2)
        self.assertIn('data-picker-placeholder="输入单位全称或简称搜索"', html)

    def test_media_is_one_deferred_script_from_this_site(self):
        media = str(self.ProjectLikeForm().media)
        self.assertRegex(
            media, r'^<script src="/static/js/picker\.([0-9a-f]+\.)?js" defer></script>$'
        )

    def test_the_form_takes_a_posted_choice_as_a_plain_select_would(self):
        form = self.ProjectLikeForm({"lead_unit": self.fagai.pk, "units": [self.fagai.pk]})
        self.assertTrue(form.is_valid())
        self.assertEqual(form.cleaned_data["lead_unit"], self.fagai)

    def test_unit_form_page_loads_the_picker_and_no_inline_script(self):
        html = self.client.get(reverse("unit_add")).content.decode()
        self.assertRegex(html, r'<script src="/static/js/picker\.([0-9a-f]+\.)?js" defer>')
        self.assertNotRegex(html, r"<script(?![^>]*\bsrc=)")
        self.assertNotRegex(html, r"\sstyle=")
