"""Create one demo account per role for local development. Refuses to run with DEBUG off."""

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from projects import roles
from units.models import Official, Unit, User

DEMO_PASSWORD = "longgang-demo-2017"  # noqa: S105 - documented dev-only password

DEMO_ACCOUNTS = [
    # username, display name, role, unit (full name), official (name, position), staff
    ("admin", "系统管理员（演示）", roles.ADMINISTRATOR, None, None, True),
    (
        "office",
        "改革办工作人员（演示）",
        roles.REFORM_OFFICE,
        "中共深圳市龙岗区委全面深化改革领导小组办公室",
        None,
        False,
    ),
    ("liaison", "发改局联络员（演示）", roles.UNIT_LIAISON, "龙岗区发展和改革局", None, False),
    ("leader", "区领导（演示）", roles.LEADERSHIP, None, ("高自民", "区委书记"), False),
]


class Command(BaseCommand):
    help = "创建每个角色各一个本地演示账号（仅 DEBUG 模式）。"

    @transaction.atomic
    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("seed_demo 只能在 DEBUG 模式下运行：生产环境不创建演示账号。")
        for username, name, role, unit_name, official_key, staff in DEMO_ACCOUNTS:
            unit = Unit.objects.filter(name=unit_name).first() if unit_name else None
            official = (
                Official.objects.filter(name=official_key[0], position=official_key[1]).first()
                if official_key
                else None
            )
            user, created = User.objects.get_or_create(
                username=username,
                defaults={"last_name": name, "is_staff": staff, "unit": unit, "official": official},
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save()
            user.groups.add(Group.objects.get(name=role))
            state = "已创建" if created else "已存在"
            self.stdout.write(f"{role}: {username} / {DEMO_PASSWORD}（{state}）")
