"""Load a year's plan fixture, checked first, in one transaction: a broken file changes nothing."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from projects.planfiles import load_plan_fixture


class Command(BaseCommand):
    help = "载入年度改革计划（fixtures/plan_<年度>.json），先检查再整体载入；出错时不作任何改动。"

    def add_arguments(self, parser):
        parser.add_argument("name", help="fixture name, e.g. plan_2017")

    def handle(self, *args, name, **options):
        try:
            plans = load_plan_fixture(name)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(f"已载入 {name}；现有计划：" + "、".join(str(p.year) for p in plans))
