"""The admin site looks like the app (red header, 改 mark, 看板 back to the app) and speaks
the interface language, its selects' blank option and autocomplete boxes included."""

from django.templatetags.static import static
from django.urls import reverse

from .base import PlanTestCase


class AdminLookTests(PlanTestCase):
    def setUp(self):
        self.client.force_login(self.dave)  # 管理员, staff

    def english(self):
        self.client.post(reverse("set_language"), {"language": "en", "next": "/"})

    def test_index_has_the_apps_stylesheet_brand_and_a_link_back_to_the_dashboard(self):
        response = self.client.get(reverse("admin:index"))
        self.assertContains(response, f'<link rel="stylesheet" href="{static("css/admin.css")}">')
        self.assertContains(response, '<span class="brand-mark" aria-hidden="true">改</span>')
        self.assertContains(response, f'<a href="{reverse("home")}" class="back-to-app">看板</a>')
        self.assertNotContains(response, "查看站点")  # Django's link to the same page: replaced
        self.assertNotRegex(response.content.decode(), r"\sstyle=|<style")  # CSP: none inline

    def test_the_stylesheet_is_served_with_the_apps_red(self):
        response = self.client.get(static("css/admin.css"))
        self.assertEqual(response.status_code, 200)
        body = b"".join(response.streaming_content).decode()
        self.assertIn("--header-bg: #b3261e;", body)

    def test_the_admin_login_page_has_the_look_too(self):
        self.client.logout()
        response = self.client.get(reverse("admin:login"))
        self.assertContains(response, static("css/admin.css"))
        self.assertContains(response, "龙岗改革台账 管理后台")

    def test_blank_option_in_chinese_then_in_english(self):
        url = reverse("admin:projects_project_changelist")
        response = self.client.get(url)  # the 动作 (action) select starts blank
        self.assertContains(response, '<option value="" selected>- 请选择 -</option>', html=True)
        self.assertNotContains(response, "Select an option")
        self.english()
        response = self.client.get(url)
        self.assertContains(
            response, '<option value="" selected>- Select an option -</option>', html=True
        )

    def test_autocomplete_boxes_load_select2_in_the_interface_language(self):
        url = reverse("admin:units_user_change", args=[self.bob.pk])
        chinese = static("admin/js/vendor/select2/i18n/zh-CN.js")
        response = self.client.get(url)
        self.assertContains(response, 'class="admin-autocomplete"', count=2)  # unit, official
        self.assertContains(response, 'lang="zh-CN"')
        self.assertContains(response, chinese)
        served = self.client.get(chinese)
        self.assertEqual(served.status_code, 200)
        self.assertIn("未找到结果", b"".join(served.streaming_content).decode())  # No results
        self.english()
        response = self.client.get(url)
        self.assertContains(response, static("admin/js/vendor/select2/i18n/en.js"))
        self.assertNotContains(response, chinese)
