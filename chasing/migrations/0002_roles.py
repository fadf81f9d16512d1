"""The reform office may chase by hand and set up the units' group robots; administrators
get every chasing permission. The lists are frozen here, like projects' 0004 and 0011."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

OFFICE = [
    "chase",
    "view_reminder",
    "view_unitwebhook",
    "add_unitwebhook",
    "change_unitwebhook",
    "delete_unitwebhook",
]


def forwards(apps, schema_editor):
    app_config = apps.get_app_config("chasing")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    chasing = Permission.objects.filter(content_type__app_label="chasing")
    office, _ = Group.objects.get_or_create(name="改革办")
    office.permissions.add(*chasing.filter(codename__in=OFFICE))
    admin, _ = Group.objects.get_or_create(name="管理员")
    admin.permissions.add(*chasing)


def backwards(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Permission.objects.filter(content_type__app_label="chasing").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("chasing", "0001_initial"),
        ("projects", "0014_reports_into_periods"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
