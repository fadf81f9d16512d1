"""History rows written before 0007 did not record the row's version: mark them 0 (unknown)
and write one baseline row per object at its current version, so that a form opened at
that version can be merged field by field against it (projects.versioning)."""

from django.db import migrations
from django.utils import timezone

BASELINE_REASON = "版本基线"  # projects.choices.Record.BASELINE, frozen here
MODELS = ["Project", "Checkpoint", "ProgressUpdate", "Instruction"]


def add_baselines(apps, schema_editor):
    now = timezone.now()
    for name in MODELS:
        model = apps.get_model("projects", name)
        history = apps.get_model("projects", f"Historical{name}")
        history.objects.all().update(version=0)
        names = {f.attname for f in history._meta.concrete_fields}
        fields = [f.attname for f in model._meta.concrete_fields if f.attname in names]
        rows = []
        for obj in model.objects.all().iterator():
            values = {attname: getattr(obj, attname) for attname in fields}
            rows.append(
                history(
                    **values,
                    history_date=now,
                    history_type="~",
                    history_change_reason=BASELINE_REASON,
                )
            )
        history.objects.bulk_create(rows, batch_size=500)
        if name == "Project":
            through = apps.get_model("projects", "HistoricalProject_participating_units")
            links = model.participating_units.through.objects.all()
            newest = {h.id: h for h in history.objects.filter(version__gt=0)}
            through.objects.bulk_create(
                [
                    through(history=newest[link.project_id], project_id=link.project_id,
                            unit_id=link.unit_id)
                    for link in links
                    if link.project_id in newest
                ],
                batch_size=500,
            )


class Migration(migrations.Migration):
    dependencies = [("projects", "0007_history_keeps_version")]

    operations = [migrations.RunPython(add_baselines, migrations.RunPython.noop)]
