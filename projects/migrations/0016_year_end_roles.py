"""What the year's end needs of the roles (frozen lists): the office closes projects out,
assesses them and records leaders' actions; a leader records their own actions;
everyone who reads the plan reads these."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

READ = ["view_leaderaction", "view_closeout", "view_assessment"]
GRANTS = {
    "改革办": [
        *READ,
        "add_leaderaction",
        "change_leaderaction",
        "add_closeout",
        "change_closeout",
        "add_assessment",
        "change_assessment",
    ],
    "牵头单位联络员": [*READ, "add_closeout"],
    "区领导": [*READ, "add_leaderaction"],
}
NEW_MODELS = ["leaderaction", "closeout", "assessment"]


def forwards(apps, schema_editor):
    app_config = apps.get_app_config("projects")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, codenames in GRANTS.items():
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="projects", codename__in=codenames)
        )
    admin, _ = Group.objects.get_or_create(name="管理员")
    admin.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="projects", content_type__model__in=NEW_MODELS
        )
    )


class Migration(migrations.Migration):
    dependencies = [("auth", "0012_alter_user_first_name_max_length"), ("projects", "0015_year_end")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
