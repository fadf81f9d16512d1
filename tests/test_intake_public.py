"""The public suggestion page on the open internet: limits per address and for everyone,
the robots' trap, sizes, HTML kept as text, receipt numbers nobody can guess, the status
page that shows only the status and the reply, and refusals that cost no database work."""

import re

from django.core.cache import cache
from django.test import Client, override_settings
from django.urls import reverse

from intake.models import Suggestion
from intake.models.suggestion import RECEIPT_ALPHABET
from intake.public import new_receipt

from .test_intake_base import IntakeTestCase

SUGGEST = "/suggest/"
GOOD = {
    "topic": "小区停车难",
    "text": "晚上停车位不够，建议开放学校操场夜间停车",
    "name": "",
    "contact": "",
}


def receipt_in(response):
    """The receipt number the thanks page gives (as stored: no dashes)."""
    match = re.search(r'href="/suggest/([A-Z0-9]{12})/"', response.content.decode())
    return match.group(1) if match else None


def without_receipts(response):
    """The page with receipt numbers and CSRF tokens taken out."""
    html = response.content.decode()
    return re.sub(r'[A-Z0-9]{4}(-?[A-Z0-9]{4}){2}|csrfmiddlewaretoken" value="\w+', "", html)


class SuggestTests(IntakeTestCase):
    def setUp(self):
        super().setUp()
        self.anonymous = Client()

    def post(self, data=None, client=None, **headers):
        return (client or self.anonymous).post(SUGGEST, data or GOOD, headers=headers)

    def test_anyone_sends_a_suggestion_and_gets_a_receipt_number(self):
        self.assertContains(self.anonymous.get(SUGGEST), "说出您身边的改革需求")
        response = self.post({**GOOD, "name": "王女士", "contact": "13800138000"})
        self.assertContains(response, "已收到您的建议，谢谢！")
        receipt = receipt_in(response)
        stored = Suggestion.objects.get()
        self.assertEqual(stored.receipt, receipt)
        self.assertEqual((stored.topic, stored.text), (GOOD["topic"], GOOD["text"]))
        self.assertEqual(
            (stored.name, stored.contact, stored.call), ("王女士", "13800138000", self.call)
        )
        self.assertContains(response, stored.receipt_display)  # shown as XXXX-XXXX-XXXX
        status = self.anonymous.get(reverse("suggest_status", args=[receipt]))
        self.assertContains(status, "已收到，待处理")

    def test_the_form_page_costs_no_query_and_a_suggestion_a_fixed_few(self):
        with self.assertNumQueries(0):
            self.anonymous.get(SUGGEST)
        # the open call, then the suggestion and its history row in a savepoint
        with self.assertNumQueries(5):
            self.post()

    def test_thirty_posts_in_a_minute_from_one_address_stop_at_the_limit(self):
        answers = [self.post({**GOOD, "topic": f"建议{n}"}).status_code for n in range(30)]
        self.assertEqual(answers, [200] * 5 + [429] * 25)
        self.assertEqual(Suggestion.objects.count(), 5)
        refused = self.post()
        self.assertContains(refused, "提交太频繁，请稍后再试", status_code=429)

    def test_a_refused_post_touches_no_database(self):
        for _ in range(5):
            self.post()
        with self.assertNumQueries(0):
            self.assertEqual(self.post().status_code, 429)

    @override_settings(BEHIND_PROXY=True, PROXY_COUNT=1)
    def test_behind_the_proxy_one_flooding_address_does_not_stop_another(self):
        for _ in range(8):
            self.post(x_forwarded_for="203.0.113.5")
        self.assertEqual(self.post(x_forwarded_for="198.51.100.7").status_code, 200)
        # addresses the sender writes on the left are ignored
        forged = self.post(x_forwarded_for="192.0.2.1, 203.0.113.5")
        self.assertEqual(forged.status_code, 429)
        self.assertEqual(Suggestion.objects.count(), 6)

    @override_settings(SUGGEST_PER_CLIENT_MINUTE=100, SUGGEST_PER_CLIENT_HOUR=20)
    def test_the_hourly_limit_per_address(self):
        answers = [self.post().status_code for _ in range(21)]
        self.assertEqual((answers.count(200), answers[-1]), (20, 429))

    @override_settings(BEHIND_PROXY=True, SUGGEST_GLOBAL_PER_HOUR=3)
    def test_the_limit_for_everyone_and_a_flooder_does_not_use_it_up(self):
        for _ in range(10):  # one address over its own limit: counted only up to it
            self.post(x_forwarded_for="203.0.113.5")
        self.assertEqual(Suggestion.objects.count(), 3)
        self.assertEqual(self.post(x_forwarded_for="198.51.100.7").status_code, 429)

    @override_settings(BEHIND_PROXY=True, SUGGEST_GLOBAL_PER_HOUR=2)
    def test_the_limit_for_everyone_holds_across_addresses(self):
        codes = [self.post(x_forwarded_for=f"198.51.100.{n}").status_code for n in range(1, 5)]
        self.assertEqual(codes, [200, 200, 429, 429])

    def test_a_filled_trap_stores_nothing_and_looks_the_same(self):
        real = self.post()
        trapped = self.post({**GOOD, "website": "http://spam.example"})
        self.assertEqual(trapped.status_code, 200)
        self.assertContains(trapped, "已收到您的建议，谢谢！")
        self.assertEqual(Suggestion.objects.count(), 1)
        fake = receipt_in(trapped)
        self.assertIsNotNone(fake)
        self.assertNotEqual(fake, receipt_in(real))
        self.assertEqual(without_receipts(trapped), without_receipts(real))
        status = self.anonymous.get(reverse("suggest_status", args=[fake]))
        self.assertEqual(status.status_code, 404)

    def test_a_hundred_kilobytes_are_refused_before_being_read(self):
        response = self.post({**GOOD, "text": "长" * 100_000})
        self.assertContains(response, "内容太长，未提交", status_code=413)
        self.assertFalse(Suggestion.objects.exists())

    def test_over_the_field_limits_gets_a_chinese_message_and_nothing_stored(self):
        for data, message in (
            ({**GOOD, "text": "字" * 2001}, "需求或建议不能超过2000字。"),
            ({**GOOD, "topic": "题" * 101}, "主题不能超过100字。"),
            ({**GOOD, "topic": "   "}, "请填写主题。"),
            ({**GOOD, "text": ""}, "请填写您的需求或建议。"),
            ({**GOOD, "contact": "not a phone"}, "请填写有效的电话号码或邮箱地址。"),
            ({**GOOD, "contact": "a@b"}, "请填写有效的邮箱地址。"),
            ({**GOOD, "text": "含\x00空字符"}, "空字符"),
        ):
            with self.subTest(data=data):
                cache.clear()  # each on its own, under the limits
                self.assertContains(self.post(data), message, status_code=400)
        self.assertFalse(Suggestion.objects.exists())

    def test_html_is_kept_as_text_and_shown_escaped(self):
        attack = '<script>alert("x")</script><img src=x onerror=alert(1)>'
        self.post({**GOOD, "topic": "<b>标题</b>", "text": attack})
        stored = Suggestion.objects.get()
        self.assertEqual((stored.topic, stored.text), ("<b>标题</b>", attack))
        for page in (
            self.client.get(stored.get_absolute_url()),
            self.client.get(reverse("intake:suggestion_list")),
        ):
            html = page.content.decode()
            self.assertNotIn("<script>alert", html)
            self.assertNotIn("<b>标题</b>", html)
            self.assertIn("&lt;b&gt;标题&lt;/b&gt;", html)

    def test_csrf_is_checked(self):
        strict = Client(enforce_csrf_checks=True)
        self.assertEqual(strict.post(SUGGEST, GOOD).status_code, 403)
        self.assertFalse(Suggestion.objects.exists())

    def test_the_public_pages_link_to_nothing_inside_and_run_no_inline_code(self):
        self.post()
        for url in (SUGGEST, reverse("suggest_status", args=[Suggestion.objects.get().receipt])):
            response = self.anonymous.get(url)
            html = response.content.decode()
            self.assertEqual(
                re.findall(r'href="/(?:intake|projects|plans|accounts|admin)', html), []
            )
            self.assertNotRegex(html, r"<script(?![^>]*\bsrc=)")
            self.assertNotRegex(html, r"\sstyle=")
            self.assertIn("frame-ancestors 'none'", response["Content-Security-Policy"])


class ReceiptTests(IntakeTestCase):
    def status_page(self, receipt):
        return Client().get(reverse("suggest_status", args=[receipt]))

    def test_receipts_are_random_twelve_characters_without_look_alikes(self):
        receipts = [new_receipt() for _ in range(2000)]
        self.assertEqual(len(set(receipts)), 2000)
        for receipt in receipts:
            self.assertEqual(len(receipt), 12)
            self.assertTrue(set(receipt) <= set(RECEIPT_ALPHABET))
        self.assertFalse(set("01ILOUV") & set(RECEIPT_ALPHABET))
        # not sequential: each position takes (nearly) every character
        for position in range(12):
            self.assertGreater(len({r[position] for r in receipts}), 25)

    def test_two_suggestions_in_a_row_do_not_tell_each_other(self):
        client = Client()
        first = receipt_in(client.post(SUGGEST, GOOD))
        second = receipt_in(client.post(SUGGEST, GOOD))
        same_places = sum(a == b for a, b in zip(first, second, strict=True))
        self.assertLess(same_places, 6)

    def test_the_status_page_shows_only_the_status_and_the_reply(self):
        suggestion = Suggestion.objects.create(
            receipt="K7QM2XHR9TBD",
            topic="停车难",
            text="操场夜间开放",
            name="王女士",
            contact="13800138000",
            public_reply="已转教育局研究",
        )
        page = self.status_page("k7qm-2xhr-9tbd")  # as typed: lower case, dashes
        self.assertContains(page, "已答复")
        self.assertContains(page, "已转教育局研究")
        for private in (suggestion.topic, suggestion.text, suggestion.name, suggestion.contact):
            self.assertNotContains(page, private)

    def test_an_unknown_or_malformed_receipt_is_not_found_alike(self):
        Suggestion.objects.create(receipt="K7QM2XHR9TBD", topic="a", text="b")
        for receipt in ("K7QM2XHR9TBC", "K7QM2XHR9TB", "0000000000000", "..%2F..", "x" * 300):
            with self.subTest(receipt=receipt):
                page = self.status_page(receipt)
                self.assertContains(page, "未找到该回执号", status_code=404)

    def test_the_lookup_form_goes_to_the_receipts_page(self):
        Suggestion.objects.create(receipt="K7QM2XHR9TBD", topic="a", text="b")
        response = Client().get(reverse("suggest_find"), {"receipt": " k7qm 2xhr 9tbd "})
        self.assertRedirects(response, reverse("suggest_status", args=["K7QM2XHR9TBD"]))
        self.assertEqual(Client().get(reverse("suggest_find"), {"receipt": ""}).status_code, 400)

    @override_settings(SUGGEST_LOOKUPS_PER_CLIENT=10)
    def test_guessing_receipts_is_throttled(self):
        client = Client()
        codes = [client.get(f"/suggest/{new_receipt()}/").status_code for _ in range(12)]
        self.assertEqual(codes, [404] * 10 + [429] * 2)

    def test_the_status_page_costs_one_query(self):
        Suggestion.objects.create(receipt="K7QM2XHR9TBD", topic="a", text="b")
        with self.assertNumQueries(1):
            self.assertEqual(self.status_page("K7QM2XHR9TBD").status_code, 200)
        with self.assertNumQueries(1):
            self.assertEqual(self.status_page("K7QM2XHR9TBC").status_code, 404)
