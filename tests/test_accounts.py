"""Accounts managed in the app by administrators: creating one with a temporary password,
the forced password change at first sign-in, deactivation, the rules about one's own
account, the change history, and who may do what."""

import re

from django.contrib.auth.models import Group
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from projects import roles
from units.models import RoleChange, User

from .base import PASSWORD, PlanTestCase
from .test_people import LOGIN, Ladder, expect

ADMIN_ONLY = expect(LOGIN, 403, 403, 403, 403, 200)
ADMIN_DOES = expect(LOGIN, 403, 403, 403, 403, 302)
TEMPORARY = "Lin-temp-2017-pass"
OWN = "Lin-own-password-2017"


def group(name):
    return Group.objects.get(name=name)


def new_account(**overrides):
    """What the new-account form posts: a liaison of 区发改局 with a typed password."""
    return {
        "username": "lin",
        "full_name": "林联络",
        "email": "lin@example.com",
        "groups": [group(roles.UNIT_LIAISON).pk],
        "unit": "",
        "official": "",
        "password_mode": "type",
        "password1": TEMPORARY,
        "password2": TEMPORARY,
    } | overrides


def account_form(user, **overrides):
    """What the edit form posts for ``user`` as stored."""
    return {
        "username": user.username,
        "full_name": user.get_full_name(),
        "email": user.email,
        "groups": [g.pk for g in user.groups.all()],
        "unit": user.unit_id or "",
        "official": user.official_id or "",
    } | overrides


def sign_in(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


class AccountPermissionTests(Ladder):
    def test_every_account_page(self):
        bob = self.bob.pk
        self.assert_ladder("get", reverse("account_list"), ADMIN_ONLY)
        self.assert_ladder("get", reverse("account_add"), ADMIN_ONLY)
        data = new_account(unit=self.fagai.pk)
        self.assert_ladder("post", reverse("account_add"), ADMIN_DOES, data)
        self.assert_ladder("get", reverse("account_edit", args=[bob]), ADMIN_ONLY)
        data = account_form(self.bob, full_name="鲍勃")
        self.assert_ladder("post", reverse("account_edit", args=[bob]), ADMIN_DOES, data)
        typed = {"password_mode": "type", "password1": TEMPORARY, "password2": TEMPORARY}
        self.assert_ladder("post", reverse("account_password", args=[bob]), ADMIN_DOES, typed)
        self.assert_ladder("post", reverse("account_deactivate", args=[bob]), ADMIN_DOES)
        self.assert_ladder("post", reverse("account_reactivate", args=[bob]), ADMIN_DOES)

    def test_the_office_is_told_who_may(self):
        response = self.client.get(reverse("account_list"))
        self.assertContains(response, "只有管理员可以管理账号。", status_code=403)
        # the directory's tabs offer the accounts to administrators only
        self.assertNotContains(self.client.get(reverse("unit_list")), reverse("account_list"))
        self.client.force_login(self.dave)
        self.assertContains(self.client.get(reverse("unit_list")), reverse("account_list"))


class AccountListTests(PlanTestCase):
    def setUp(self):
        self.client.force_login(self.dave)

    def test_shows_roles_unit_official_state_and_last_sign_in(self):
        self.erin.is_active = False
        self.erin.save()
        sign_in(Client(), "bob", PASSWORD)
        page = self.client.get(reverse("account_list")).content.decode()
        bob_row = re.search(r"<tr>\s*<th[^>]*><a[^>]*>bob</a>.*?</tr>", page, re.S).group(0)
        self.assertIn("牵头单位联络员", bob_row)
        self.assertIn("区发改局", bob_row)
        self.assertNotIn("从未登录", bob_row)
        erin_row = re.search(r'<tr class="inactive">.*?</tr>', page, re.S).group(0)
        self.assertIn("已停用", erin_row)
        self.assertIn("从未登录", erin_row)
        self.assertIn("高自民", page)

    def test_query_count_does_not_grow_with_the_accounts(self):
        url = reverse("account_list")
        # session, user, 2 × permissions, the header's 待办 count (2), accounts (with unit
        # and official), their roles
        with self.assertNumQueries(8):
            self.client.get(url)
        for n in range(30):
            make = User.objects.create_user(f"user{n}", unit=self.fagai)
            make.groups.add(group(roles.UNIT_LIAISON), group(roles.LEADERSHIP))
        with self.assertNumQueries(8):
            response = self.client.get(url)
        self.assertContains(response, "user29")
        with self.assertNumQueries(8):
            self.client.get(url, {"q": "user2"})


class AccountLifeTests(PlanTestCase):
    def setUp(self):
        self.client.force_login(self.dave)

    def test_create_sign_in_forced_to_change_then_free(self):
        response = self.client.post(reverse("account_add"), new_account(unit=self.fagai.pk))
        lin = User.objects.get(username="lin")
        self.assertRedirects(
            response, reverse("account_edit", args=[lin.pk]), fetch_redirect_response=False
        )
        self.assertEqual((lin.get_full_name(), lin.unit), ("林联络", self.fagai))
        self.assertEqual(list(lin.groups.values_list("name", flat=True)), [roles.UNIT_LIAISON])
        self.assertTrue(lin.must_change_password)
        self.assertNotIn(TEMPORARY, lin.password)

        person = Client()
        self.assertRedirects(
            sign_in(person, "lin", TEMPORARY), reverse("intake:start"), target_status_code=302
        )
        for url in (reverse("home"), reverse("project_list"), reverse("unit_list"), "/admin/"):
            with self.subTest(url=url):
                response = person.get(url)
                self.assertRedirects(
                    response, reverse("password_change"), fetch_redirect_response=False
                )
        page = person.get(reverse("password_change"))
        self.assertContains(page, "您正在使用临时密码，请先设置自己的新密码。", count=1)
        self.assertEqual(person.get(reverse("healthz")).status_code, 200)

        change = {"old_password": TEMPORARY, "new_password1": OWN, "new_password2": OWN}
        response = person.post(reverse("password_change"), change)
        self.assertRedirects(response, reverse("password_change_done"))
        lin.refresh_from_db()
        self.assertFalse(lin.must_change_password)
        self.assertContains(person.get(reverse("home")), "三关进度")

    def test_a_generated_password_is_shown_once_and_stored_nowhere(self):
        data = new_account(password_mode="generate", password1="", password2="")
        response = self.client.post(reverse("account_add"), data)
        self.assertEqual(response.status_code, 200)
        self.assertIn("no-store", response["Cache-Control"])
        password = re.search(
            r'<code id="temporary-password">([^<]+)</code>', response.content.decode()
        )
        password = password.group(1)
        self.assertRegex(password, r"^[A-Za-z2-9]{4}-[A-Za-z2-9]{4}-[A-Za-z2-9]{4}$")
        self.assertContains(response, "这个密码只显示这一次")
        lin = User.objects.get(username="lin")
        self.assertTrue(lin.check_password(password))
        # nowhere in plain text: not the account, its history, the sessions or a later page
        self.assertNotIn(password, lin.password)
        history = [str(row) for row in lin.history.values()]
        self.assertFalse(any(password in row for row in history))
        self.assertFalse(any(password in s.session_data for s in Session.objects.all()))
        self.assertNotContains(self.client.get(reverse("account_edit", args=[lin.pk])), password)
        self.assertEqual(sign_in(Client(), "lin", password).status_code, 302)

    def test_typed_temporary_passwords_are_checked(self):
        for overrides, message in (
            ({"password1": "12345678", "password2": "12345678"}, "这个密码太常见了"),
            ({"password1": "Ab3$x", "password2": "Ab3$x"}, "此密码太短"),
            ({"password2": "something-else-2017"}, "两次输入的密码不一致。"),
            ({"password1": "", "password2": ""}, "请输入临时密码，或选择自动生成。"),
            (
                {"password1": "lin-lin-lin", "password2": "lin-lin-lin", "username": "lin-lin-lin"},
                "太相似",
            ),
        ):
            with self.subTest(overrides=overrides):
                response = self.client.post(reverse("account_add"), new_account(**overrides))
                self.assertContains(response, message, status_code=400)
                self.assertFalse(User.objects.filter(username__startswith="lin").exists())
                self.assertFalse(
                    RoleChange.objects.filter(user__username__startswith="lin").exists()
                )

    def test_bad_account_input_is_refused_with_messages(self):
        for overrides, message in (
            ({"username": "bob"}, "该用户名已被使用。"),
            ({"username": ""}, "请填写用户名。"),
            ({"username": "a b"}, "请输入合法的用户名"),
            ({"groups": []}, "请至少选择一个角色。"),
            ({"groups": ["999999"]}, "所选角色不存在。"),
            ({"email": "not-an-address"}, "请填写有效的电子邮箱。"),
            ({"official": self.charlie.official_id}, "该区领导已关联其他账号。"),
            ({"password_mode": "sideways"}, "选择一个有效的选项"),
        ):
            with self.subTest(overrides=overrides):
                response = self.client.post(reverse("account_add"), new_account(**overrides))
                self.assertContains(response, message, status_code=400)
        self.assertFalse(User.objects.filter(username="lin").exists())

    def test_new_temporary_password_for_an_existing_account(self):
        url = reverse("account_password", args=[self.bob.pk])
        bobs_browser = Client()
        bobs_browser.force_login(self.bob)
        typed = {"password_mode": "type", "password1": TEMPORARY, "password2": TEMPORARY}
        response = self.client.post(url, typed)
        self.assertRedirects(
            response, reverse("account_edit", args=[self.bob.pk]), fetch_redirect_response=False
        )
        self.bob.refresh_from_db()
        self.assertTrue(self.bob.must_change_password)
        self.assertTrue(self.bob.check_password(TEMPORARY))
        # his open session ended with the old password
        self.assertRedirects(bobs_browser.get(reverse("home")), f"{reverse('login')}?next=/")
        refused = self.client.post(url, typed | {"password2": "x"})
        self.assertContains(refused, "两次输入的密码不一致。", status_code=400)

    def test_deactivated_account_cannot_sign_in_and_can_be_reactivated(self):
        bobs_browser = Client()
        bobs_browser.force_login(self.bob)
        response = self.client.post(reverse("account_deactivate", args=[self.bob.pk]))
        self.assertRedirects(
            response, reverse("account_edit", args=[self.bob.pk]), fetch_redirect_response=False
        )
        self.bob.refresh_from_db()
        self.assertFalse(self.bob.is_active)
        self.assertTrue(User.objects.filter(username="bob").exists())  # never deleted
        self.assertRedirects(bobs_browser.get(reverse("home")), f"{reverse('login')}?next=/")
        refused = sign_in(Client(), "bob", PASSWORD)
        self.assertEqual(refused.status_code, 200)
        self.assertContains(refused, "请输入一个正确的")
        self.client.post(reverse("account_reactivate", args=[self.bob.pk]))
        self.assertEqual(sign_in(Client(), "bob", PASSWORD).status_code, 302)

    def test_an_administrator_cannot_deactivate_themselves(self):
        response = self.client.post(reverse("account_deactivate", args=[self.dave.pk]))
        self.assertContains(response, "您不能停用自己的账号。", status_code=403)
        self.dave.refresh_from_db()
        self.assertTrue(self.dave.is_active)
        page = self.client.get(reverse("account_edit", args=[self.dave.pk]))
        self.assertContains(page, "不能停用自己的账号。")
        self.assertNotContains(page, reverse("account_deactivate", args=[self.dave.pk]))
        response = self.client.post(reverse("account_password", args=[self.dave.pk]), {})
        self.assertContains(response, "不能给自己设置临时密码", status_code=403)

    def test_only_a_superuser_touches_a_superusers_account(self):
        root = User.objects.create_superuser("root", password=PASSWORD)
        typed = {"password_mode": "type", "password1": TEMPORARY, "password2": TEMPORARY}
        for url in (
            reverse("account_edit", args=[root.pk]),
            reverse("account_password", args=[root.pk]),
            reverse("account_deactivate", args=[root.pk]),
        ):
            with self.subTest(url=url):
                response = self.client.post(url, typed)
                self.assertContains(response, "超级用户的账号只有超级用户可以修改", status_code=403)
        root.refresh_from_db()
        self.assertTrue(root.is_active and root.check_password(PASSWORD))
        self.assertFalse(root.must_change_password)
        self.client.force_login(root)
        response = self.client.post(reverse("account_deactivate", args=[self.dave.pk]))
        self.assertEqual(response.status_code, 302)

    def test_an_administrator_cannot_drop_their_own_administrator_role(self):
        url = reverse("account_edit", args=[self.dave.pk])
        office = group(roles.REFORM_OFFICE).pk
        response = self.client.post(url, account_form(self.dave, groups=[office]))
        self.assertContains(response, "您不能取消自己的管理员角色。", status_code=400)
        self.assertEqual(
            list(self.dave.groups.values_list("name", flat=True)), [roles.ADMINISTRATOR]
        )
        # adding a role beside it is fine; so is taking it from someone else
        both = [office, group(roles.ADMINISTRATOR).pk]
        self.assertEqual(
            self.client.post(url, account_form(self.dave, groups=both)).status_code, 302
        )
        other = User.objects.create_user("eve")
        other.groups.add(group(roles.ADMINISTRATOR))
        data = account_form(other, groups=[office])
        response = self.client.post(reverse("account_edit", args=[other.pk]), data)
        self.assertEqual(response.status_code, 302)

    def test_edit_page_shows_what_changed_and_who_changed_it(self):
        url = reverse("account_edit", args=[self.bob.pk])
        data = account_form(self.bob, full_name="鲍勃", unit=self.jiaoyu.pk)
        data["groups"] = [group(roles.REFORM_OFFICE).pk]
        self.client.post(url, data)
        self.client.post(reverse("account_deactivate", args=[self.bob.pk]))
        page = self.client.get(url)
        html = page.content.decode()
        self.assertIn("<del>区发改局</del> → <ins>区教育局</ins>", html)
        self.assertIn("<del>—</del> → <ins>鲍勃</ins>", html)
        self.assertIn("授予角色", html)
        self.assertIn("<del>—</del> → <ins>改革办</ins>", html)
        self.assertIn("取消角色", html)
        self.assertIn("<del>牵头单位联络员</del> → <ins>—</ins>", html)
        self.assertIn("停用账号", html)
        self.assertIn("<del>是</del> → <ins>否</ins>", html)
        by = RoleChange.objects.filter(user=self.bob).values_list("changed_by__username", flat=True)
        self.assertEqual(list(by)[-2:], ["dave", "dave"])  # the first came with the test data
        self.assertNotIn(self.bob.password.split("$")[0] + "$", html)  # no hash shown

    def test_role_changes_from_the_groups_side_are_recorded_too(self):
        group(roles.LEADERSHIP).user_set.add(self.bob)
        group(roles.LEADERSHIP).user_set.remove(self.bob)
        self.bob.groups.clear()
        changes = list(RoleChange.objects.filter(user=self.bob).values_list("role", "added"))
        self.assertEqual(
            changes[-3:],
            [(roles.LEADERSHIP, True), (roles.LEADERSHIP, False), (roles.UNIT_LIAISON, False)],
        )

    def test_signing_in_adds_no_history_row(self):
        before = self.bob.history.count()
        sign_in(Client(), "bob", PASSWORD)
        self.assertEqual(self.bob.history.count(), before)
