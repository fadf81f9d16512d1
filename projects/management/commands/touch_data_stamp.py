"""Move the data stamp by hand, after writing to the database outside the app."""

from django.core.management.base import BaseCommand

from projects import freshness


class Command(BaseCommand):
    help = (
        "移动数据版本号：在应用之外（如 psql）直接改了数据库之后运行，"
        "各进程缓存的页面在下一次请求时即重新计算。"
    )

    def handle(self, *args, **options):
        freshness.bump()
        self.stdout.write(f"数据版本号已更新：{freshness.current_stamp()}")
