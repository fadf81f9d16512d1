"""Create the four role groups with their permissions, so a fresh database has them."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from units.roles import ROLE_PERMISSIONS, build_groups


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations (post_migrate); make them now.
    for label in ("auth", "contenttypes", "units", "projects"):
        app_config = apps.get_app_config(label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    build_groups(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=list(ROLE_PERMISSIONS)).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("units", "0001_initial"),
        ("projects", "0003_workflow"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
