"""Daily 催办 and 督办: meant for cron (see the README), safe to run as often as you like."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError, no_translations

from chasing.choices import Channel, Stage
from chasing.reminders import Run
from chasing.texts import what


class Command(BaseCommand):
    help = (
        "发送到期前、到期当日和逾期后的催办提醒，并将逾期较久的事项列入督办、通知牵头区领导。"
        "同一事项、同一接收人、同一渠道每天最多一条，可重复运行。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--date",
            help="按这一天计算（YYYY-MM-DD），默认今天；用于补发或核对。",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="只列出将要发送的提醒，不发送、不记录。",
        )

    @no_translations  # the labels in its output in Chinese, whatever ran before it
    def handle(self, *args, **options):
        today = None
        if options["date"]:
            try:
                today = date.fromisoformat(options["date"])
            except ValueError as exc:
                raise CommandError("--date 须为 YYYY-MM-DD 格式的日期。") from exc
        run = Run(today, dry_run=options["dry_run"])
        outcome = run.go()
        if options["dry_run"]:
            for planned in run.planned:
                self.stdout.write(
                    f"{Stage(planned.stage).label} · {Channel(planned.channel).label} · "
                    f"{planned.to_whom} · {what(planned.item)}"
                )
            self.stdout.write(f"将发送 {len(run.planned)} 条（未发送）。")
            return
        channels = "、".join(
            f"{Channel(channel).label} {n}" for channel, n in sorted(outcome.by_channel.items())
        )
        line = f"催办：已送达 {outcome.sent} 条"
        if channels:
            line += f"（{channels}）"
        line += f"，发送失败 {outcome.failed} 条"
        if outcome.failed:
            line += "（已记录，下次运行时重试）"
        line += f"，今日已发送而跳过 {outcome.repeated} 条。"
        self.stdout.write(line)
        if outcome.unreachable:
            names = "、".join(sorted(outcome.unreachable))
            self.stdout.write(f"无人可通知（没有联络员账号、邮箱或群机器人）：{names}")
