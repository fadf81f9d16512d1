"""Plans approved before plan statuses existed become 审议通过 (the 2017 plan names its
meeting), generated demo plans 执行中; the roles get what setting up a plan needs.

The role lists are frozen here, like 0004's."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

READ = [
    "projects.view_meeting",
    "projects.view_agendaitem",
    "projects.view_decision",
    "projects.view_planadjustment",
]
OFFICE = [
    *READ,
    "projects.add_reformplan",
    "projects.change_reformplan",
    "projects.add_project",
    "projects.add_meeting",
    "projects.change_meeting",
    "projects.add_agendaitem",
    "projects.change_agendaitem",
    "projects.add_decision",
    "projects.add_planadjustment",
]
GRANTS = {"改革办": OFFICE, "牵头单位联络员": READ, "区领导": READ}
NEW_MODELS = ["meeting", "agendaitem", "decision", "planadjustment", "reformplan"]


def forwards(apps, schema_editor):
    ReformPlan = apps.get_model("projects", "ReformPlan")
    ReformPlan.objects.filter(synthetic=True).update(status="in_progress")
    ReformPlan.objects.filter(synthetic=False).exclude(approved_by="").update(status="approved")

    for label in ("auth", "contenttypes", "units", "projects"):
        app_config = apps.get_app_config(label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    def perms(names):
        codenames = [name.split(".")[1] for name in names]
        return Permission.objects.filter(
            content_type__app_label="projects", codename__in=codenames
        )

    for role, names in GRANTS.items():
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.add(*perms(names))
    admin, _ = Group.objects.get_or_create(name="管理员")
    admin.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="projects", content_type__model__in=NEW_MODELS
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("projects", "0010_plan_setup"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
