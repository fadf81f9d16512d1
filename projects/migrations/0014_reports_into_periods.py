"""The progress reports written before report periods existed become period reports:
each plan gets a monthly period for every month it has reports in (closed once the month
is over), and each report joins its month's period as 已采纳, from the unit of its author
(or, for the office's reports, the project's lead unit). Nothing is lost: every report
keeps its texts, dates, status and history. Also: the roles get the new permissions."""

import calendar
from datetime import date

from django.db import migrations
from django.utils import timezone

OFFICE = ["add_reportperiod", "change_reportperiod", "view_reportperiod"]
READERS = ["view_reportperiod"]


def forwards(apps, schema_editor):
    Period = apps.get_model("projects", "ReportPeriod")
    Report = apps.get_model("projects", "ProgressUpdate")
    today = timezone.localdate()
    periods, taken = {}, set()
    reports = Report.objects.select_related("project", "author").filter(period__isnull=True)
    # newest first: a unit's newest report of a month joins the month's period (one per
    # unit and period); an older one of the same month stays a report of its own
    for report in reports.order_by("-reported_on", "-pk").iterator():
        plan_id, day = report.project.plan_id, report.reported_on
        key = (plan_id, day.year, day.month)
        if key not in periods:
            last = calendar.monthrange(day.year, day.month)[1]
            ends = date(day.year, day.month, last)
            periods[key], _ = Period.objects.get_or_create(
                plan_id=plan_id,
                name=f"{day.year}年{day.month}月",
                defaults={
                    "kind": "monthly",
                    "starts_on": date(day.year, day.month, 1),
                    "ends_on": ends,
                    "due_on": ends,
                    "tiers": ["district", "higher", "unit"],
                    "status": "closed" if ends < today else "open",
                },
            )
        author_unit = report.author.unit_id if report.author_id else None
        unit_id = author_unit or report.project.lead_unit_id
        slot = (periods[key].pk, report.project_id, unit_id)
        joins = unit_id is not None and slot not in taken
        taken.add(slot)
        Report.objects.filter(pk=report.pk).update(
            period=periods[key] if joins else None,
            unit_id=unit_id,
            state="accepted",
            submitted_at=report.created_at,
        )

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    from django.contrib.auth.management import create_permissions

    app_config = apps.get_app_config("projects")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    for role, names in {"改革办": OFFICE, "牵头单位联络员": READERS, "区领导": READERS}.items():
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="projects", codename__in=names)
        )
    admin, _ = Group.objects.get_or_create(name="管理员")
    admin.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="projects", content_type__model="reportperiod"
        )
    )


class Migration(migrations.Migration):
    dependencies = [("projects", "0013_report_periods")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
