"""Shared test set-up: the 2017 plan and people in each role."""

from pathlib import Path

from django.test import TestCase

from units.models import User

ARTICLE = (
    Path(__file__).resolve().parent.parent / "fixtures" / "sources" / "longgang_2017_article.txt"
).read_text(encoding="utf-8")


class PlanTestCase(TestCase):
    """The real 2017 plan, plus Alice (admin) signed in by default."""

    fixtures = ["plan_2017"]

    @classmethod
    def setUpTestData(cls):
        cls.alice = User.objects.create_superuser("alice", "alice@example.com", "x" * 12)

    def setUp(self):
        self.client.force_login(self.alice)
