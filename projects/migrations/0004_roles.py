"""Create the four role groups with their permissions, so a fresh database has them."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from units.roles import ADMINISTRATOR, ROLE_PERMISSIONS


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations (post_migrate); make them now.
    for label in ("auth", "contenttypes", "units", "projects"):
        app_config = apps.get_app_config(label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    def lookup(names):
        wanted = {tuple(name.split(".")) for name in names}
        perms = Permission.objects.select_related("content_type").filter(
            content_type__app_label__in={app for app, _ in wanted}
        )
        found = [p for p in perms if (p.content_type.app_label, p.codename) in wanted]
        missing = wanted - {(p.content_type.app_label, p.codename) for p in found}
        if missing:
            raise RuntimeError(f"permissions missing: {sorted(missing)}")
        return found

    for role, names in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.add(*lookup(names))
    admin = Group.objects.get(name=ADMINISTRATOR)
    admin.permissions.add(
        *Permission.objects.filter(content_type__app_label__in=["projects", "units", "auth"])
    )


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
