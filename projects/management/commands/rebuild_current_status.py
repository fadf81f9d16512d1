"""Store every project's current status again from its progress reports."""

from django.core.management.base import BaseCommand
from django.db import transaction

from projects import current


class Command(BaseCommand):
    help = "按进展报告重新计算并保存每个项目的最新进展状态（一条 UPDATE，在一个事务中）。"

    def handle(self, *args, **options):
        with transaction.atomic():
            count = current.refresh()
        self.stdout.write(f"已重算 {count} 个项目的最新进展状态。")
