"""Shared test set-up: the 2017 plan and one person in each role.

- Alice works in the reform office (改革办).
- Bob is the liaison of 区发改局, which leads project 2.
- Erin is the liaison of 区教育局, which leads project 10.
- Charlie is a district leader, linked to 高自民.
- Dave is an administrator.
- Olivia has an account but no role (an outsider).
"""

from pathlib import Path

from django.contrib.auth.models import Group
from django.test import TestCase

from projects import roles
from units.models import Official, Unit, User

ARTICLE = (
    Path(__file__).resolve().parent.parent / "fixtures" / "sources" / "longgang_2017_article.txt"
).read_text(encoding="utf-8")

PASSWORD = "correct-horse-battery-staple"


def make_user(username, role=None, *, unit=None, official=None, staff=False):
    user = User.objects.create_user(
        username, password=PASSWORD, unit=unit, official=official, is_staff=staff
    )
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user


class PlanTestCase(TestCase):
    """The real 2017 plan and the people above; Alice is signed in by default."""

    fixtures = ["plan_2017"]

    @classmethod
    def setUpTestData(cls):
        cls.fagai = Unit.objects.get(short_name="区发改局")
        cls.jiaoyu = Unit.objects.get(short_name="区教育局")
        cls.alice = make_user("alice", roles.REFORM_OFFICE)
        cls.bob = make_user("bob", roles.UNIT_LIAISON, unit=cls.fagai)
        cls.erin = make_user("erin", roles.UNIT_LIAISON, unit=cls.jiaoyu)
        cls.charlie = make_user(
            "charlie", roles.LEADERSHIP, official=Official.objects.get(name="高自民")
        )
        cls.dave = make_user("dave", roles.ADMINISTRATOR, staff=True)
        cls.olivia = make_user("olivia")

    def setUp(self):
        self.client.force_login(self.alice)
