"""The directory and account pages as a whole: English with no Chinese left but the data,
no inline script or style, the usual security headers, and the page after a refusal."""

import html as html_lib
import re

from django.contrib.auth.models import Group
from django.urls import reverse

from units.models import Official, Unit, User

from .base import PlanTestCase

CJK = re.compile(r"[\u4e00-\u9fff]")


class PeoplePagesTests(PlanTestCase):
    def setUp(self):
        self.client.force_login(self.dave)

    def urls(self):
        official = Official.objects.get(name="高自民")
        return [
            reverse("unit_list"),
            reverse("unit_add"),
            reverse("unit_edit", args=[self.fagai.pk]),
            reverse("official_list"),
            reverse("official_add"),
            reverse("official_edit", args=[official.pk]),
            reverse("account_list"),
            reverse("account_add"),
            reverse("account_edit", args=[self.bob.pk]),
            reverse("account_edit", args=[self.dave.pk]),
        ]

    def data_strings(self):
        for unit in Unit.objects.all():
            yield from (unit.name, unit.short_name, str(unit))
        for official in Official.objects.all():
            yield from (official.name, official.position, str(official))
        for user in User.objects.all():
            yield from (user.username, user.get_full_name(), str(user))
        yield from Group.objects.values_list("name", flat=True)
        yield "简体中文"  # the language switch names each language in its own script

    def test_english_pages_carry_no_untranslated_interface_text(self):
        # a change to show in the history, by someone
        self.client.post(
            reverse("unit_edit", args=[self.fagai.pk]),
            {"name": self.fagai.name, "short_name": "发改局", "kind": "government"},
        )
        self.client.get(reverse("unit_list"))  # shows (and uses up) the Chinese message
        self.client.cookies["django_language"] = "en"
        data = {s for s in self.data_strings() if s} | {"区发改局"}  # the old short name
        data = sorted(data, key=len, reverse=True)
        for url in self.urls():
            with self.subTest(url=url):
                html = self.client.get(url).content.decode()
                self.assertIn('<html lang="en">', html)
                html = re.sub(r'<span[^>]*aria-hidden="true"[^>]*>[^<]*</span>', "", html)
                text = html_lib.unescape(re.sub(r"<[^>]+>", "\n", html))
                for value in data:
                    text = text.replace(value, "")
                leftovers = [line.strip() for line in text.splitlines() if CJK.search(line)]
                self.assertEqual(leftovers, [])

    def test_no_inline_script_or_style_and_the_security_headers(self):
        for url in self.urls():
            with self.subTest(url=url):
                response = self.client.get(url)
                html = response.content.decode()
                self.assertNotRegex(html, r"<script(?![^>]*\bsrc=)")
                self.assertNotRegex(html, r"\sstyle=")
                self.assertNotRegex(html, r"\son[a-z]+=")
                self.assertNotIn("unsafe-inline", response["Content-Security-Policy"])
                self.assertEqual(response["X-Frame-Options"], "DENY")

    def test_every_form_carries_the_csrf_token(self):
        for url in self.urls():
            with self.subTest(url=url):
                html = self.client.get(url).content.decode()
                forms = re.findall(r'<form method="post".*?</form>', html, re.S)
                self.assertTrue(forms)
                for form in forms:
                    self.assertIn('name="csrfmiddlewaretoken"', form)

    def test_a_post_without_the_csrf_token_is_refused(self):
        from django.test import Client

        client = Client(enforce_csrf_checks=True)
        client.force_login(self.dave)
        response = client.post(reverse("account_deactivate", args=[self.bob.pk]))
        self.assertEqual(response.status_code, 403)
        self.bob.refresh_from_db()
        self.assertTrue(self.bob.is_active)

    def test_wrong_methods_are_refused(self):
        self.assertEqual(self.client.get(reverse("account_deactivate", args=[1])).status_code, 405)
        self.assertEqual(self.client.post(reverse("unit_list")).status_code, 405)
        self.assertEqual(self.client.post(reverse("unit_search")).status_code, 405)

    def test_a_too_long_list_search_says_so(self):
        response = self.client.get(reverse("unit_list"), {"q": "局" * 51})
        self.assertContains(response, "搜索内容最多50个字。", status_code=400)
        self.assertContains(response, "龙岗区发展和改革局", status_code=400)  # the whole list

    def test_admin_site_pages_still_open(self):
        for url in (
            "/admin/units/unit/",
            f"/admin/units/unit/{self.fagai.pk}/history/",
            f"/admin/units/user/{self.bob.pk}/change/",
            "/admin/units/rolechange/",
        ):
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 200)


class RolePermissionTests(PlanTestCase):
    def units_permissions(self, role):
        group = Group.objects.get(name=role)
        perms = group.permissions.filter(content_type__app_label="units")
        return set(perms.values_list("codename", flat=True))

    def test_the_migration_lets_the_office_keep_the_directory_and_administrators_accounts(self):
        directory = {
            "add_unit",
            "change_unit",
            "view_unit",
            "add_official",
            "change_official",
            "view_official",
        }
        accounts = {"add_user", "change_user", "view_user"}
        self.assertLessEqual(directory, self.units_permissions("改革办"))
        self.assertFalse(accounts & self.units_permissions("改革办"))
        self.assertLessEqual(directory | accounts, self.units_permissions("管理员"))
        for reader in ("区领导", "牵头单位联络员"):
            self.assertEqual(self.units_permissions(reader), {"view_unit", "view_official"})

    def test_running_the_migration_again_changes_nothing(self):
        import importlib

        from django.db import connection
        from django.db.migrations.executor import MigrationExecutor

        migration = importlib.import_module("units.migrations.0004_directory_roles")
        state = MigrationExecutor(connection).loader.project_state(
            ("units", "0004_directory_roles")
        )
        before = {role: self.units_permissions(role) for role in ("改革办", "管理员")}
        migration.grant(state.apps, None)
        after = {role: self.units_permissions(role) for role in ("改革办", "管理员")}
        self.assertEqual(before, after)


TEXT_ODD = ["\x00", "进展\x00", "长" * 5000]  # NUL, or far too long
CHOICE_ODD = ["\x00", "abc", "-1", "1e3", "0x10", "999999", "长" * 5000]
CHOICES = {"kind", "parent", "unit", "official", "groups", "password_mode"}


class BadInputTests(PlanTestCase):
    """Odd values in every field of every new form: a message and 400, never a 500, and
    nothing written."""

    def setUp(self):
        self.client.force_login(self.dave)

    def state(self):
        return (
            list(Unit.objects.order_by("pk").values_list()),
            list(Official.objects.order_by("pk").values_list()),
            list(User.objects.order_by("pk").values_list()),
            list(User.groups.through.objects.order_by("pk").values_list()),
            Unit.history.count() + Official.history.count() + User.history.count(),
        )

    def forms(self):
        liaison = Group.objects.get(name="牵头单位联络员").pk
        unit = {"name": "新单位", "short_name": "", "kind": "other", "parent": ""}
        official = {"name": "王五", "position": "副区长", "unit": ""}
        account = {
            "username": "newbie",
            "full_name": "",
            "email": "",
            "groups": [liaison],
            "unit": "",
            "official": "",
            "password_mode": "type",
            "password1": "Newbie-temp-2017",
            "password2": "Newbie-temp-2017",
        }
        password = {k: account[k] for k in ("password_mode", "password1", "password2")}
        edit = {k: v for k, v in account.items() if k not in password} | {"username": "bob"}
        return [
            (reverse("unit_add"), unit),
            (reverse("unit_edit", args=[self.fagai.pk]), unit),
            (reverse("official_add"), official),
            (reverse("account_add"), account),
            (reverse("account_edit", args=[self.bob.pk]), edit),
            (reverse("account_password", args=[self.bob.pk]), password),
        ]

    def test_odd_values_anywhere(self):
        before = self.state()
        for url, data in self.forms():
            for field in data:
                # the password fields take any text: the validators judge it (tested apart)
                if field in ("password1", "password2"):
                    continue
                for value in CHOICE_ODD if field in CHOICES else TEXT_ODD:
                    with self.subTest(url=url, field=field, value=value[:20]):
                        response = self.client.post(url, data | {field: value})
                        self.assertEqual(response.status_code, 400)
                        self.assertRegex(response.content.decode(), r'class="form-errors"')
        self.assertEqual(self.state(), before)
