"""Create the demo accounts for local development. Refuses to run with DEBUG off."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

DEMO_PASSWORD = "longgang-demo-2017"  # noqa: S105 - documented dev-only password


class Command(BaseCommand):
    help = "创建本地演示账号（仅 DEBUG 模式）。"

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("seed_demo 只能在 DEBUG 模式下运行：生产环境不创建演示账号。")
        User = get_user_model()
        user, created = User.objects.get_or_create(
            username="admin",
            defaults={"last_name": "管理员", "is_staff": True, "is_superuser": True},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        self.stdout.write(
            f"演示账号 admin / {DEMO_PASSWORD}（{'已创建' if created else '已存在'}）"
        )
